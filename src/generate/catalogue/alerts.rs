//! Alerts: the evidence entity kinds and the alert kinds of AlertInfo and
//! AlertEvidence.

pub(in crate::generate) const MDE: &str = "Microsoft Defender for Endpoint";

/// Evidence entity kinds of AlertEvidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::generate) enum Entity {
    Machine,
    User,
    File,
    Process,
    Ip,
    Url,
    MailMessage,
    Mailbox,
    CloudApplication,
}

/// `Entity` by index (`Event::spec` holds the index on AlertEvidence records).
pub(in crate::generate) const ENTITIES: [Entity; 9] = [
    Entity::Machine,
    Entity::User,
    Entity::File,
    Entity::Process,
    Entity::Ip,
    Entity::Url,
    Entity::MailMessage,
    Entity::Mailbox,
    Entity::CloudApplication,
];

impl Entity {
    pub(in crate::generate) fn name(self) -> &'static str {
        match self {
            Entity::Machine => "Machine",
            Entity::User => "User",
            Entity::File => "File",
            Entity::Process => "Process",
            Entity::Ip => "Ip",
            Entity::Url => "Url",
            Entity::MailMessage => "MailMessage",
            Entity::Mailbox => "Mailbox",
            Entity::CloudApplication => "CloudApplication",
        }
    }

    /// `AdditionalFields` of an evidence row (JSON held in a string).
    pub(in crate::generate) fn fields(self) -> Option<&'static str> {
        match self {
            Entity::Machine => Some(
                r#"{"Type":"host","HostName":"{{host}}","DnsDomain":"corp.contoso.com","OSFamily":"Windows","RiskScore":"Medium","HealthStatus":"Active","MachineId":"{{hex40}}"}"#,
            ),
            Entity::User => Some(
                r#"{"Type":"account","Name":"{{user}}","NTDomain":"CONTOSO","UPNSuffix":"contoso.com","Sid":"{{usersid}}"}"#,
            ),
            Entity::File => {
                Some(r#"{"Type":"file","Name":"{{file}}","DetectionStatus":"Detected"}"#)
            }
            Entity::Ip => Some(r#"{"Type":"ip","Address":"{{rip}}"}"#),
            Entity::Url => Some(r#"{"Type":"url","Url":"https://{{rhost}}/"}"#),
            Entity::Process | Entity::MailMessage | Entity::Mailbox | Entity::CloudApplication => {
                None
            }
        }
    }
}

/// An alert kind: what AlertInfo shows and which evidence AlertEvidence lists.
pub(in crate::generate) struct AlertSpec {
    pub(in crate::generate) title: &'static str,
    pub(in crate::generate) category: &'static str,
    pub(in crate::generate) severity: &'static str,
    pub(in crate::generate) service: &'static str,
    pub(in crate::generate) detection: &'static str,
    pub(in crate::generate) techniques: &'static str,
    /// Distinct entity kinds (one evidence row each).
    pub(in crate::generate) entities: &'static [Entity],
    /// Process (or file) the Process/File evidence is about.
    pub(in crate::generate) process: &'static str,
    pub(in crate::generate) family: Option<&'static str>,
    pub(in crate::generate) weight: u16,
}

impl AlertSpec {
    /// The two-letter prefix of `AlertId` of non-Endpoint services.
    pub(in crate::generate) fn id_prefix(&self) -> &'static str {
        match self.service {
            "Microsoft Defender for Office 365" => "fa",
            "Microsoft Defender for Identity" => "aa",
            "Microsoft Defender for Cloud Apps" => "ca",
            _ => "ad",
        }
    }
}

pub(in crate::generate) const ALERTS: &[AlertSpec] = &[
    AlertSpec {
        title: "Suspicious PowerShell command line",
        category: "Execution",
        severity: "Medium",
        service: MDE,
        detection: "EDR",
        techniques: r#"["PowerShell (T1059.001)","Obfuscated Files or Information (T1027)"]"#,
        entities: &[Entity::Machine, Entity::User, Entity::Process],
        process: "powershell.exe",
        family: None,
        weight: 12,
    },
    AlertSpec {
        title: "Malicious IP address",
        category: "InitialAccess",
        severity: "High",
        service: "AAD Identity Protection",
        detection: "AAD Identity Protection",
        techniques: "",
        entities: &[Entity::User, Entity::Ip],
        process: "",
        family: None,
        weight: 4,
    },
    AlertSpec {
        title: "'Mimikatz' credential theft tool was detected",
        category: "CredentialAccess",
        severity: "High",
        service: MDE,
        detection: "Antivirus",
        techniques: r#"["OS Credential Dumping (T1003)"]"#,
        entities: &[Entity::Machine, Entity::User, Entity::File, Entity::Process],
        process: "mk.exe",
        family: Some("Mimikatz"),
        weight: 2,
    },
    AlertSpec {
        title: "Suspicious access to LSASS service",
        category: "CredentialAccess",
        severity: "High",
        service: MDE,
        detection: "EDR",
        techniques: r#"["LSASS Memory (T1003.001)"]"#,
        entities: &[Entity::Machine, Entity::User, Entity::Process],
        process: "rundll32.exe",
        family: None,
        weight: 2,
    },
    AlertSpec {
        title: "Email messages containing malicious URL removed after delivery",
        category: "InitialAccess",
        severity: "Informational",
        service: "Microsoft Defender for Office 365",
        detection: "Microsoft Defender for Office 365",
        techniques: r#"["Phishing (T1566)"]"#,
        entities: &[Entity::MailMessage, Entity::Mailbox, Entity::Url],
        process: "",
        family: None,
        weight: 10,
    },
    AlertSpec {
        title: "Suspected DCSync attack (replication of directory services)",
        category: "CredentialAccess",
        severity: "High",
        service: "Microsoft Defender for Identity",
        detection: "Microsoft Defender for Identity",
        techniques: r#"["OS Credential Dumping (T1003)","DCSync (T1003.006)"]"#,
        entities: &[Entity::Machine, Entity::User],
        process: "",
        family: None,
        weight: 1,
    },
    AlertSpec {
        title: "Impossible travel activity",
        category: "InitialAccess",
        severity: "Medium",
        service: "Microsoft Defender for Cloud Apps",
        detection: "Microsoft Defender for Cloud Apps",
        techniques: r#"["Valid Accounts (T1078)"]"#,
        entities: &[Entity::User, Entity::Ip, Entity::CloudApplication],
        process: "",
        family: None,
        weight: 3,
    },
    AlertSpec {
        title: "Suspicious inbox manipulation rule",
        category: "DefenseEvasion",
        severity: "Medium",
        service: "Microsoft Defender for Cloud Apps",
        detection: "Microsoft Defender for Cloud Apps",
        techniques: r#"["Email Hiding Rules (T1564.008)"]"#,
        entities: &[
            Entity::User,
            Entity::Mailbox,
            Entity::CloudApplication,
            Entity::Ip,
        ],
        process: "",
        family: None,
        weight: 2,
    },
    AlertSpec {
        title: "Suspicious WMI process creation",
        category: "Execution",
        severity: "Medium",
        service: MDE,
        detection: "EDR",
        techniques: r#"["Windows Management Instrumentation (T1047)"]"#,
        entities: &[Entity::Machine, Entity::User, Entity::Process],
        process: "wmic.exe",
        family: None,
        weight: 3,
    },
    AlertSpec {
        title: "Ransomware behavior detected in the file system",
        category: "Impact",
        severity: "High",
        service: MDE,
        detection: "EDR",
        techniques: r#"["Data Encrypted for Impact (T1486)","Inhibit System Recovery (T1490)"]"#,
        entities: &[Entity::Machine, Entity::User, Entity::File, Entity::Process],
        process: "wmic.exe",
        family: Some("Ransom:Win32/LockBit"),
        weight: 1,
    },
    AlertSpec {
        title: "An active 'Wacatac' malware was blocked",
        category: "Malware",
        severity: "Informational",
        service: MDE,
        detection: "Antivirus",
        techniques: "",
        entities: &[Entity::Machine, Entity::File],
        process: "",
        family: Some("Wacatac"),
        weight: 8,
    },
    AlertSpec {
        title: "Suspicious scheduled task",
        category: "Persistence",
        severity: "Low",
        service: MDE,
        detection: "EDR",
        techniques: r#"["Scheduled Task (T1053.005)"]"#,
        entities: &[Entity::Machine, Entity::User, Entity::Process, Entity::File],
        process: "schtasks.exe",
        family: None,
        weight: 5,
    },
    AlertSpec {
        title: "Password spray attack",
        category: "CredentialAccess",
        severity: "Medium",
        service: "Microsoft Defender for Identity",
        detection: "Microsoft Defender for Identity",
        techniques: r#"["Password Spraying (T1110.003)"]"#,
        entities: &[Entity::User, Entity::Machine, Entity::Ip],
        process: "",
        family: None,
        weight: 2,
    },
    AlertSpec {
        title: "Anonymous IP address",
        category: "InitialAccess",
        severity: "Low",
        service: "AAD Identity Protection",
        detection: "AAD Identity Protection",
        techniques: "",
        entities: &[Entity::User, Entity::Ip],
        process: "",
        family: None,
        weight: 5,
    },
    AlertSpec {
        title: "Connection to a custom network indicator",
        category: "CommandAndControl",
        severity: "Medium",
        service: MDE,
        detection: "CustomTi",
        techniques: "",
        entities: &[Entity::Machine, Entity::Ip, Entity::Url, Entity::Process],
        process: "rundll32.exe",
        family: None,
        weight: 3,
    },
    AlertSpec {
        title: "[SOC][MDE] User bypass of SmartScreen warning",
        category: "SuspiciousActivity",
        severity: "Low",
        service: MDE,
        detection: "CustomDetection",
        techniques: "",
        entities: &[Entity::Machine, Entity::User, Entity::Url],
        process: "",
        family: None,
        weight: 3,
    },
];
