//! E-mail: partner contacts, external senders, and the subjects,
//! attachments, verdicts and post-delivery actions of each kind of message.

use crate::generate::world::MailKind;

pub(in crate::generate) const PARTNER_CONTACTS: &[(&str, &str)] = &[
    ("anna", "berg"),
    ("tom", "hughes"),
    ("li", "na"),
    ("pedro", "alves"),
    ("emma", "fischer"),
    ("raj", "kumar"),
];

/// An external mail sender.
pub(in crate::generate) struct ExtSender {
    pub(in crate::generate) display: &'static str,
    pub(in crate::generate) address: &'static str,
    pub(in crate::generate) ip_prefix: &'static str,
    pub(in crate::generate) kind: MailKind,
}

impl ExtSender {
    pub(in crate::generate) fn domain(&self) -> &'static str {
        self.address.rsplit('@').next().unwrap_or(self.address)
    }
}

const fn sender(
    display: &'static str,
    address: &'static str,
    ip_prefix: &'static str,
    kind: MailKind,
) -> ExtSender {
    ExtSender {
        display,
        address,
        ip_prefix,
        kind,
    }
}

pub(in crate::generate) const SENDERS: &[ExtSender] = &[
    sender(
        "Microsoft Azure",
        "azure-noreply@microsoft.com",
        "20.105.209.",
        MailKind::Clean,
    ),
    sender(
        "DocuSign",
        "dse_na4@docusign.net",
        "64.207.219.",
        MailKind::Clean,
    ),
    sender(
        "GitHub",
        "noreply@github.com",
        "192.30.252.",
        MailKind::Clean,
    ),
    sender(
        "Amazon Web Services",
        "no-reply-aws@amazon.com",
        "54.240.8.",
        MailKind::Clean,
    ),
    sender(
        "Deutsche Bahn",
        "buchungsbestaetigung@bahn.de",
        "81.200.198.",
        MailKind::Clean,
    ),
    sender(
        "Fabrikam Procurement",
        "orders@fabrikam.com",
        "20.54.89.",
        MailKind::Clean,
    ),
    sender(
        "Northwind Traders",
        "billing@northwindtraders.com",
        "40.92.18.",
        MailKind::Clean,
    ),
    sender(
        "Adatum Corporation",
        "info@adatum.com",
        "40.107.22.",
        MailKind::Clean,
    ),
    sender(
        "LinkedIn",
        "messages-noreply@linkedin.com",
        "108.174.3.",
        MailKind::Bulk,
    ),
    sender("Zoom", "no-reply@zoom.us", "170.114.10.", MailKind::Bulk),
    sender(
        "Contoso Events",
        "events@mail.contoso-events.com",
        "149.72.47.",
        MailKind::Bulk,
    ),
    sender(
        "Prize Center",
        "winner@prize-center-2026.top",
        "194.87.31.",
        MailKind::Spam,
    ),
    sender(
        "Pharma Direct",
        "deals@pharma-direct.shop",
        "176.111.174.",
        MailKind::Spam,
    ),
    sender(
        "Microsoft 365",
        "no-reply@micros0ft-support.com",
        "45.142.212.",
        MailKind::Phish,
    ),
    sender(
        "IT Helpdesk",
        "helpdesk@contoso-it-support.com",
        "91.92.251.",
        MailKind::Phish,
    ),
    sender(
        "DHL Express",
        "tracking@dhl-delivery-notice.info",
        "91.92.250.",
        MailKind::Phish,
    ),
    sender(
        "SharePoint Online",
        "sharepoint@secure-docs-share.net",
        "185.234.216.",
        MailKind::Phish,
    ),
    sender(
        "Accounts Payable",
        "ap@northwind-traders-billing.com",
        "5.188.206.",
        MailKind::Malware,
    ),
    sender(
        "Xerox WorkCentre",
        "scanner@xerox-scan-service.com",
        "193.42.33.",
        MailKind::Malware,
    ),
];

/// Subjects (and their language) per `MailKind`.
pub(in crate::generate) const SUBJECTS: [&[(&str, &str)]; 5] = [
    &[
        ("Re: Q3 budget review", "en"),
        ("Meeting notes – project Atlas", "en"),
        ("Invoice INV-2026-0412 from Fabrikam", "en"),
        ("Your Azure invoice is ready", "en"),
        ("Weekly status report", "en"),
        ("Rechnung Nr. 2026-0042", "de"),
        ("Réunion d'équipe jeudi", "fr"),
        ("Angebot für Wartungsvertrag", "de"),
        ("Updated: All-hands agenda", "en"),
        ("【重要】システムメンテナンスのお知らせ", "ja"),
        ("Reminder: expense reports due Friday", "en"),
        ("FW: Vendor onboarding documents", "en"),
        ("Travel itinerary – Berlin, 12–14 Feb", "en"),
        ("Your GitHub security alert digest", "en"),
        ("Ihre Buchungsbestätigung", "de"),
    ],
    &[
        ("Your weekly LinkedIn digest", "en"),
        ("Last chance: 40% off all plans", "en"),
        ("Webinar: Zero Trust in 2026", "en"),
        ("New features in Zoom Workplace", "en"),
    ],
    &[
        ("You have won a €1,000 gift card", "en"),
        ("Congratulations! Claim your reward", "en"),
        ("Cheap meds online – 80% off", "en"),
    ],
    &[
        ("Action required: Your password expires today", "en"),
        ("DocuSign: Please review and sign 'Payment Advice'", "en"),
        ("Microsoft 365: Unusual sign-in activity", "en"),
        ("Voicemail received (00:43) – listen now", "en"),
        ("Shared document: Q4 Bonus Plan.xlsx", "en"),
        ("DHL: Zustellung fehlgeschlagen", "de"),
        ("Urgent wire transfer request", "en"),
    ],
    &[
        ("Invoice overdue – see attachment", "en"),
        ("Scanned document from Xerox WorkCentre", "en"),
        ("Purchase order PO-88231", "en"),
        ("Remittance advice", "en"),
    ],
];

pub(in crate::generate) const ATTACHMENTS: [&[&str]; 5] = [
    &[
        "Invoice_INV-2026-0412.pdf",
        "Q3 Budget.xlsx",
        "Agenda.docx",
        "Angebot_2026.pdf",
        "signature.png",
        "Contract draft v3.docx",
    ],
    &["newsletter.pdf"],
    &["gift_card.pdf"],
    &[
        "Payment_Advice.html",
        "Q4-Bonus-Plan.htm",
        "Voicemail_00-43.html",
    ],
    &[
        "Invoice_88231.zip",
        "Scan_2026-01.iso",
        "Remittance.xlsm",
        "PO-88231.img",
    ],
];

/// How a message of a `MailKind` was handled.
pub(in crate::generate) struct Verdict {
    pub(in crate::generate) action: &'static str,
    pub(in crate::generate) location: &'static str,
    pub(in crate::generate) threats: Option<&'static str>,
    pub(in crate::generate) threat_names: Option<&'static str>,
    pub(in crate::generate) detection: Option<&'static str>,
    pub(in crate::generate) confidence: Option<&'static str>,
    pub(in crate::generate) bcl: Option<u8>,
    pub(in crate::generate) email_action: Option<&'static str>,
    pub(in crate::generate) policy: Option<&'static str>,
    pub(in crate::generate) org_action: Option<&'static str>,
    pub(in crate::generate) auth: &'static str,
}

const AUTH_PASS: &str = r#"{"SPF":"pass","DKIM":"pass","DMARC":"pass","CompAuth":"pass"}"#;
const AUTH_FAIL: &str = r#"{"SPF":"fail","DKIM":"none","DMARC":"fail","CompAuth":"fail"}"#;

pub(in crate::generate) const VERDICTS: [Verdict; 5] = [
    Verdict {
        action: "Delivered",
        location: "Inbox/folder",
        threats: None,
        threat_names: None,
        detection: None,
        confidence: None,
        bcl: None,
        email_action: None,
        policy: None,
        org_action: None,
        auth: AUTH_PASS,
    },
    Verdict {
        action: "Delivered",
        location: "Junk folder",
        threats: None,
        threat_names: None,
        detection: None,
        confidence: None,
        bcl: Some(7),
        email_action: Some("Move message to junk mail folder"),
        policy: Some("Anti-spam policy"),
        org_action: Some("MoveToJmf"),
        auth: AUTH_PASS,
    },
    Verdict {
        action: "Junked",
        location: "Junk folder",
        threats: Some("Spam"),
        threat_names: None,
        detection: Some(r#"{"Spam":["Mixed analysis detection"]}"#),
        confidence: Some(r#"{"Spam":"High"}"#),
        bcl: Some(0),
        email_action: Some("Move message to junk mail folder"),
        policy: Some("Anti-spam policy"),
        org_action: Some("MoveToJmf"),
        auth: r#"{"SPF":"softfail","DKIM":"none","DMARC":"none","CompAuth":"fail"}"#,
    },
    Verdict {
        action: "Blocked",
        location: "Quarantine",
        threats: Some("Phish"),
        threat_names: None,
        detection: Some(r#"{"Phish":["URL detonation reputation","Impersonation brand"]}"#),
        confidence: Some(r#"{"Phish":"High"}"#),
        bcl: Some(0),
        email_action: Some("Send to quarantine"),
        policy: Some("Anti-phishing policy"),
        org_action: Some("Quarantine"),
        auth: AUTH_FAIL,
    },
    Verdict {
        action: "Blocked",
        location: "Quarantine",
        threats: Some("Malware, Phish"),
        threat_names: Some("Trojan:Script/Wacatac.H!ml"),
        detection: Some(r#"{"Malware":["File detonation","Antimalware protection"]}"#),
        confidence: Some(r#"{"Malware":"High"}"#),
        bcl: Some(0),
        email_action: Some("Send to quarantine"),
        policy: Some("Anti-malware policy"),
        org_action: Some("Quarantine"),
        auth: AUTH_FAIL,
    },
];

/// (Action, ActionType, ActionTrigger, DeliveryLocation) per `MailKind`.
pub(in crate::generate) const POST_DELIVERY: [&[(&str, &str, &str, &str)]; 5] = [
    &[("Reprocessed", "Redelivery", "SpecialAction", "Inbox")],
    &[(
        "Moved to junk folder",
        "Spam ZAP",
        "SpecialAction",
        "Junk folder",
    )],
    &[(
        "Moved to junk folder",
        "Spam ZAP",
        "SpecialAction",
        "Junk folder",
    )],
    &[
        (
            "Moved to quarantine",
            "Phish ZAP",
            "SpecialAction",
            "Quarantine",
        ),
        (
            "Moved to deleted items",
            "Manual Remediation",
            "AdminAction",
            "Deleted items",
        ),
    ],
    &[(
        "Moved to quarantine",
        "Malware ZAP",
        "SpecialAction",
        "Quarantine",
    )],
];
