//! Cloud apps: the applications of CloudAppEvents and their actions, admin
//! operations, SharePoint sites and user agents.

/// A cloud application of CloudAppEvents.
pub(in crate::generate) struct CloudApp {
    pub(in crate::generate) name: &'static str,
    pub(in crate::generate) id: u32,
    pub(in crate::generate) workload: &'static str,
    pub(in crate::generate) record_type: u16,
    pub(in crate::generate) actions: &'static [(&'static str, u16)],
    pub(in crate::generate) weight: u16,
    pub(in crate::generate) google: bool,
    pub(in crate::generate) files: bool,
}

pub(in crate::generate) const CLOUD_APPS: &[CloudApp] = &[
    CloudApp {
        name: "Microsoft Exchange Online",
        id: 20893,
        workload: "Exchange",
        record_type: 50,
        actions: &[
            ("MailItemsAccessed", 40),
            ("Send", 10),
            ("MoveToDeletedItems", 5),
            ("SoftDelete", 2),
            ("New-InboxRule", 1),
            ("Set-Mailbox", 1),
        ],
        weight: 40,
        google: false,
        files: false,
    },
    CloudApp {
        name: "Microsoft SharePoint Online",
        id: 20892,
        workload: "SharePoint",
        record_type: 6,
        actions: &[
            ("FileAccessed", 30),
            ("FileDownloaded", 10),
            ("FileModified", 10),
            ("FileUploaded", 8),
            ("SharingSet", 2),
            ("AnonymousLinkCreated", 1),
        ],
        weight: 25,
        google: false,
        files: true,
    },
    CloudApp {
        name: "Microsoft OneDrive for Business",
        id: 15600,
        workload: "OneDrive",
        record_type: 6,
        actions: &[
            ("FileSyncUploadedFull", 10),
            ("FileDownloaded", 5),
            ("FilePreviewed", 5),
            ("FileDeleted", 1),
        ],
        weight: 15,
        google: false,
        files: true,
    },
    CloudApp {
        name: "Microsoft Teams",
        id: 28375,
        workload: "MicrosoftTeams",
        record_type: 25,
        actions: &[
            ("MessagesListed", 10),
            ("ChatCreated", 3),
            ("MemberAdded", 1),
            ("TeamsSessionStarted", 5),
        ],
        weight: 10,
        google: false,
        files: false,
    },
    CloudApp {
        name: "Microsoft 365",
        id: 11161,
        workload: "AzureActiveDirectory",
        record_type: 15,
        actions: &[("UserLoggedIn", 20), ("UserLoginFailed", 3)],
        weight: 10,
        google: false,
        files: false,
    },
    CloudApp {
        name: "Google Workspace",
        id: 11770,
        workload: "",
        record_type: 0,
        actions: &[("activity", 5), ("authorize", 1)],
        weight: 2,
        google: true,
        files: false,
    },
];

pub(in crate::generate) const ADMIN_OPERATIONS: &[&str] = &[
    "New-InboxRule",
    "Set-Mailbox",
    "MemberAdded",
    "AnonymousLinkCreated",
];
pub(in crate::generate) const SHAREPOINT_SITES: &[&str] =
    &["Finance", "Sales", "HR", "Engineering", "Marketing"];
pub(in crate::generate) const USER_AGENTS: &[(Option<&str>, u16)] = &[
    (
        Some(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        ),
        5,
    ),
    (
        Some("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18025; Pro)"),
        3,
    ),
    (Some("OneDriveMpc-Transform_Thumbnail/1.0"), 1),
    (Some("python-requests/2.32.3"), 1),
    (None, 4),
];
