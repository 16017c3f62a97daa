//! Device activity: registry changes, logon kinds, DeviceEvents action
//! types, file and connection actions, shares, and the POSIX
//! `AdditionalFields` template of DeviceProcessEvents.

use super::processes::Net;
use crate::generate::world::{LNX, MAC, Role, SRV, WIN, WKS};

/// A registry change (templates: `{{usersid}}`, `{{hexN}}` ...).
pub(in crate::generate) struct RegSpec {
    pub(in crate::generate) key: &'static str,
    pub(in crate::generate) value: &'static str,
    pub(in crate::generate) kind: &'static str,
    pub(in crate::generate) data: &'static str,
    pub(in crate::generate) previous: &'static str,
    pub(in crate::generate) weight: u16,
    pub(in crate::generate) init: Option<&'static str>,
    pub(in crate::generate) actions: &'static [(&'static str, u16)],
}

const VALUE_SET: &[(&str, u16)] = &[("RegistryValueSet", 1)];
const CHURN: &[(&str, u16)] = &[
    ("RegistryValueSet", 8),
    ("RegistryValueDeleted", 2),
    ("RegistryKeyCreated", 1),
    ("RegistryKeyDeleted", 1),
];

pub(in crate::generate) const REGISTRY: &[RegSpec] = &[
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\bam\\State\\UserSettings\\{{usersid}}",
        value: "\\Device\\HarddiskVolume3\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
        kind: "Binary",
        data: "{{hex48}}",
        previous: "{{hex48}}",
        weight: 30,
        init: Some("svchost.exe"),
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_CURRENT_USER\\{{usersid}}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.docx",
        value: "MRUListEx",
        kind: "Binary",
        data: "{{hex16}}ffffffff",
        previous: "{{hex16}}ffffffff",
        weight: 15,
        init: Some("explorer.exe"),
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\Results\\Detect",
        value: "LastSuccessTime",
        kind: "String",
        data: "{{date}}",
        previous: "{{date}}",
        weight: 8,
        init: Some("svchost.exe"),
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_CURRENT_USER\\{{usersid}}\\SOFTWARE\\Microsoft\\Office\\16.0\\Common\\Internet",
        value: "UseOnlineContent",
        kind: "Dword",
        data: "2",
        previous: "1",
        weight: 6,
        init: None,
        actions: CHURN,
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates",
        value: "AVSignatureVersion",
        kind: "String",
        data: "1.421.{{n3}}.0",
        previous: "1.421.{{n3}}.0",
        weight: 10,
        init: Some("MsMpEng.exe"),
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Installer\\UserData\\S-1-5-18\\Products\\{{HEX32}}",
        value: "",
        kind: "None",
        data: "",
        previous: "",
        weight: 6,
        init: Some("msiexec.exe"),
        actions: &[("RegistryKeyCreated", 3), ("RegistryKeyDeleted", 1)],
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
        value: "SecurityHealth",
        kind: "ExpandString",
        data: "%windir%\\system32\\SecurityHealthSystray.exe",
        previous: "%windir%\\system32\\SecurityHealthSystray.exe",
        weight: 2,
        init: None,
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_CURRENT_USER\\{{usersid}}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
        value: "Updater",
        kind: "String",
        data: "C:\\Users\\Public\\{{hex8}}.exe",
        previous: "",
        weight: 1,
        init: Some("reg.exe"),
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths",
        value: "C:\\Users\\Public",
        kind: "Dword",
        data: "0",
        previous: "",
        weight: 1,
        init: Some("MsMpEng.exe"),
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\SecurityProviders\\WDigest",
        value: "UseLogonCredential",
        kind: "Dword",
        data: "1",
        previous: "0",
        weight: 1,
        init: Some("reg.exe"),
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\{{svc}}",
        value: "ImagePath",
        kind: "ExpandString",
        data: "%SystemRoot%\\{{svc}}.exe",
        previous: "",
        weight: 2,
        init: Some("services.exe"),
        actions: &[("RegistryValueSet", 3), ("RegistryKeyCreated", 1)],
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
        value: "Userinit",
        kind: "String",
        data: "C:\\Windows\\system32\\userinit.exe,",
        previous: "C:\\Windows\\system32\\userinit.exe,",
        weight: 1,
        init: Some("winlogon.exe"),
        actions: VALUE_SET,
    },
    RegSpec {
        key: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate",
        value: "SetActiveHours",
        kind: "Dword",
        data: "1",
        previous: "0",
        weight: 4,
        init: None,
        actions: CHURN,
    },
];

/// Who logs on in a logon kind.
#[derive(Debug, Clone, Copy)]
pub(in crate::generate) enum Who {
    Person,
    Admin,
    Service,
    System,
}

/// A kind of logon of DeviceLogonEvents.
pub(in crate::generate) struct LogonSpec {
    pub(in crate::generate) logon_type: &'static str,
    pub(in crate::generate) weight: u16,
    pub(in crate::generate) hosts: u16,
    pub(in crate::generate) init: &'static str,
    pub(in crate::generate) protocols: &'static [(Option<&'static str>, u16)],
    pub(in crate::generate) who: Who,
    pub(in crate::generate) remote: bool,
    pub(in crate::generate) can_fail: bool,
}

const NEGOTIATE: &[(Option<&str>, u16)] = &[(Some("Negotiate"), 1)];
const UNIX_PROTOCOL: &[(Option<&str>, u16)] = &[(None, 1)];

pub(in crate::generate) const LOGONS: &[LogonSpec] = &[
    LogonSpec {
        logon_type: "Interactive",
        weight: 14,
        hosts: WKS,
        init: "winlogon.exe",
        protocols: &[(Some("Negotiate"), 3), (Some("Kerberos"), 1)],
        who: Who::Person,
        remote: false,
        can_fail: true,
    },
    LogonSpec {
        logon_type: "Unlock",
        weight: 10,
        hosts: WKS,
        init: "winlogon.exe",
        protocols: NEGOTIATE,
        who: Who::Person,
        remote: false,
        can_fail: true,
    },
    LogonSpec {
        logon_type: "CachedInteractive",
        weight: 5,
        hosts: Role::Laptop.bit(),
        init: "winlogon.exe",
        protocols: NEGOTIATE,
        who: Who::Person,
        remote: false,
        can_fail: false,
    },
    LogonSpec {
        logon_type: "Network",
        weight: 30,
        hosts: WIN,
        init: "lsass.exe",
        protocols: &[
            (Some("Kerberos"), 6),
            (Some("NTLM"), 3),
            (Some("Negotiate"), 1),
        ],
        who: Who::Person,
        remote: true,
        can_fail: true,
    },
    LogonSpec {
        logon_type: "RemoteInteractive",
        weight: 5,
        hosts: SRV,
        init: "svchost.exe",
        protocols: NEGOTIATE,
        who: Who::Admin,
        remote: true,
        can_fail: true,
    },
    LogonSpec {
        logon_type: "Service",
        weight: 16,
        hosts: WIN,
        init: "services.exe",
        protocols: NEGOTIATE,
        who: Who::System,
        remote: false,
        can_fail: false,
    },
    LogonSpec {
        logon_type: "Batch",
        weight: 4,
        hosts: SRV,
        init: "svchost.exe",
        protocols: NEGOTIATE,
        who: Who::Service,
        remote: false,
        can_fail: false,
    },
    LogonSpec {
        logon_type: "Network",
        weight: 25,
        hosts: LNX,
        init: "sshd",
        protocols: UNIX_PROTOCOL,
        who: Who::Admin,
        remote: true,
        can_fail: true,
    },
    LogonSpec {
        logon_type: "Interactive",
        weight: 20,
        hosts: MAC,
        init: "loginwindow",
        protocols: UNIX_PROTOCOL,
        who: Who::Person,
        remote: false,
        can_fail: true,
    },
];

pub(in crate::generate) const LOGON_FAILURES: &[(Option<&str>, u16)] = &[
    (Some("InvalidUserNameOrPassword"), 10),
    (Some("UnknownUser"), 3),
    (Some("AccountDisabled"), 1),
    (Some("UserLogonTypeNotGranted"), 1),
];

/// Which file a DeviceEvents action is about.
#[derive(Debug, Clone, Copy)]
pub(in crate::generate) enum FilePick {
    None,
    Pool,
    Malware,
    /// LSASS (its image is the file, its process the target).
    Lsass,
}

/// A DeviceEvents action type, the entities it involves and its
/// `AdditionalFields` template (JSON).
pub(in crate::generate) struct EventSpec {
    pub(in crate::generate) action: &'static str,
    pub(in crate::generate) weight: u16,
    pub(in crate::generate) file: FilePick,
    pub(in crate::generate) net: Option<Net>,
    pub(in crate::generate) process: bool,
    pub(in crate::generate) account: bool,
    pub(in crate::generate) init: Option<&'static str>,
    pub(in crate::generate) fields: Option<&'static str>,
}

const fn event(
    action: &'static str,
    weight: u16,
    init: Option<&'static str>,
    fields: Option<&'static str>,
) -> EventSpec {
    EventSpec {
        action,
        weight,
        file: FilePick::None,
        net: None,
        process: false,
        account: false,
        init,
        fields,
    }
}

pub(in crate::generate) const DEVICE_EVENTS: &[EventSpec] = &[
    EventSpec {
        account: true,
        ..event(
            "PowerShellCommand",
            30,
            Some("powershell.exe"),
            Some(r#"{"Command":"{{pscmd}}"}"#),
        )
    },
    EventSpec {
        net: Some(Net::Browser),
        ..event(
            "DnsQueryResponse",
            20,
            None,
            Some(
                r#"{"DnsQueryString":"{{rhost}}","DnsQueryResult":[{"DnsQueryType":1,"DnsQueryTypeName":"A","DnsQueryResultRecord":"{{rip}}"}]}"#,
            ),
        )
    },
    event(
        "NamedPipeEvent",
        15,
        None,
        Some(
            r#"{"PipeName":"\\Device\\NamedPipe\\{{pipe}}","FileOperation":"File opened","NamedPipeEnd":"Client","RemoteClientsAccess":"AcceptRemote","DesiredAccess":1180063,"ShareMode":"Read, Write","ThreadId":{{n4}}}"#,
        ),
    ),
    EventSpec {
        net: Some(Net::Browser),
        ..event("BrowserLaunchedToOpenUrl", 8, Some("OUTLOOK.EXE"), None)
    },
    EventSpec {
        file: FilePick::Lsass,
        ..event(
            "OpenProcessApiCall",
            6,
            None,
            Some(r#"{"DesiredAccess":4112}"#),
        )
    },
    EventSpec {
        account: true,
        ..event(
            "ScheduledTaskCreated",
            4,
            Some("svchost.exe"),
            Some(
                r#"{"TaskName":"\\{{task}}","TaskContent":"<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Task version=\"1.4\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\r\n  <RegistrationInfo>\r\n    <Author>CONTOSO\\{{user}}</Author>\r\n    <URI>\\{{task}}</URI>\r\n  </RegistrationInfo>\r\n  <Triggers>\r\n    <LogonTrigger>\r\n      <Enabled>true</Enabled>\r\n    </LogonTrigger>\r\n  </Triggers>\r\n  <Actions Context=\"Author\">\r\n    <Exec>\r\n      <Command>{{taskcmd}}</Command>\r\n    </Exec>\r\n  </Actions>\r\n</Task>"}"#,
            ),
        )
    },
    EventSpec {
        account: true,
        ..event(
            "ScheduledTaskUpdated",
            3,
            Some("svchost.exe"),
            Some(r#"{"TaskName":"\\{{task}}"}"#),
        )
    },
    EventSpec {
        file: FilePick::Malware,
        account: true,
        ..event(
            "AntivirusDetection",
            3,
            Some("MsMpEng.exe"),
            Some(
                r#"{"ThreatName":"{{threat}}","WasRemediated":true,"WasExecutingWhileDetected":false,"ReportSource":"Realtime"}"#,
            ),
        )
    },
    event(
        "AntivirusScanCompleted",
        3,
        Some("MsMpEng.exe"),
        Some(r#"{"ScanTypeIndex":"Quick","ScanId":"{{GUID}}","DurationInSeconds":"{{n3}}"}"#),
    ),
    EventSpec {
        account: true,
        ..event(
            "LdapSearch",
            5,
            Some("powershell.exe"),
            Some(
                r#"{"AttributeList":"[\"objectSid\",\"sAMAccountName\",\"servicePrincipalName\"]","ScopeOfSearch":"SubTree","SearchFilter":"(&(objectCategory=person)(objectClass=user)(servicePrincipalName=*))","DistinguishedName":"DC=corp,DC=contoso,DC=com"}"#,
            ),
        )
    },
    EventSpec {
        file: FilePick::Pool,
        ..event(
            "ShellLinkCreateFileEvent",
            4,
            Some("explorer.exe"),
            Some(
                r#"{"ShellLinkRelativePath":"..\\..\\..\\..\\Documents\\{{file}}","ShellLinkWorkingDirectory":"C:\\Users\\{{user}}\\Documents","ShellLinkShowCommand":"SW_SHOWNORMAL"}"#,
            ),
        )
    },
    EventSpec {
        account: true,
        ..event(
            "ScriptContent",
            2,
            Some("powershell.exe"),
            Some(r#"{"ScriptContent":"{{script}}"}"#),
        )
    },
    EventSpec {
        account: true,
        ..event(
            "UsbDriveMounted",
            1,
            Some("svchost.exe"),
            Some(
                r#"{"DriveLetter":"E:","ProductName":"Cruzer Blade","ProductRevision":"1.00","SerialNumber":"{{HEX16}}","Manufacturer":"SanDisk","Volume":"\\Device\\HarddiskVolume7","BusType":7,"LoggedOnUsers":"CONTOSO\\{{user}}"}"#,
            ),
        )
    },
    EventSpec {
        net: Some(Net::Suspicious),
        account: true,
        ..event(
            "SmartScreenUrlWarning",
            1,
            Some("msedge.exe"),
            Some(r#"{"Experience":"Malicious","ApplicationName":"Microsoft Edge"}"#),
        )
    },
    EventSpec {
        net: Some(Net::Suspicious),
        ..event(
            "ExploitGuardNetworkProtectionBlocked",
            1,
            None,
            Some(
                r#"{"ResponseCategory":"CustomBlockList","DisplayName":"{{rhost}}","IsAudit":false}"#,
            ),
        )
    },
    EventSpec {
        net: Some(Net::Mixed),
        ..event("FirewallOutboundConnectionBlocked", 4, None, None)
    },
    EventSpec {
        process: true,
        account: true,
        ..event(
            "AsrOfficeChildProcessAudited",
            1,
            Some("WINWORD.EXE"),
            Some(r#"{"IsAudit":true,"RuleId":"d4f940ab-401b-4efc-aadc-ad5f3c50688a"}"#),
        )
    },
    EventSpec {
        process: true,
        account: true,
        ..event("ProcessCreatedUsingWmiQuery", 2, Some("WmiPrvSE.exe"), None)
    },
    EventSpec {
        account: true,
        ..event(
            "UserAccountAddedToLocalGroup",
            1,
            Some("net.exe"),
            Some(
                r#"{"GroupName":"Administrators","GroupDomainName":"BUILTIN","GroupSid":"S-1-5-32-544"}"#,
            ),
        )
    },
    EventSpec {
        account: true,
        ..event(
            "ServiceInstalled",
            2,
            Some("services.exe"),
            Some(
                r#"{"ServiceName":"{{svc}}","ServiceAccount":"LocalSystem","ServiceStartType":3,"ServiceType":16}"#,
            ),
        )
    },
    EventSpec {
        account: true,
        ..event(
            "DpapiAccessed",
            3,
            Some("msedge.exe"),
            Some(
                r#"{"DataDescription":"Microsoft Edge","OperationType":"CryptUnprotectData","ProtectorType":"DomainUser"}"#,
            ),
        )
    },
    event("GetClipboardData", 3, Some("ms-teams.exe"), None),
];

pub(in crate::generate) const FILE_ACTIONS: &[(&str, u16)] = &[
    ("FileCreated", 50),
    ("FileModified", 30),
    ("FileDeleted", 10),
    ("FileRenamed", 10),
];
pub(in crate::generate) const OUTBOUND_ACTIONS: &[(&str, u16)] = &[
    ("ConnectionSuccess", 80),
    ("ConnectionFailed", 5),
    ("ConnectionRequest", 8),
    ("ConnectionAttempt", 2),
    ("SslConnectionInspected", 3),
    ("HttpConnectionInspected", 1),
    ("DnsConnectionInspected", 2),
];
pub(in crate::generate) const SHARES: &[(Option<&str>, u16)] = &[
    (Some("Finance$"), 6),
    (Some("Users$"), 3),
    (Some("IPC$"), 1),
];

pub(in crate::generate) const POSIX_FIELDS: &str = r#"{"InitiatingProcessPosixEffectiveUser":{"Sid":"{{acctsid}}","Name":"{{acct}}","DomainName":"{{host}}","LogonId":0,"PosixUserId":{{uid}},"PrimaryPosixGroup":{"Name":"staff","PosixGroupId":20}},"InitiatingProcessPosixProcessGroupId":{{n4}},"InitiatingProcessPosixSessionId":1,"InitiatingProcessCurrentWorkingDirectory":"/","ProcessPosixEffectiveGroup":{"Name":"staff","PosixGroupId":20},"ProcessPosixProcessGroupId":{{n5}},"ProcessCurrentWorkingDirectory":"/","ProcessPosixFilePermissions":["None"]}"#;
