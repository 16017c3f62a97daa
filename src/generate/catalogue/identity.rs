//! Identity: the kinds of IdentityLogonEvents, IdentityQueryEvents and
//! IdentityDirectoryEvents rows and their `AdditionalFields` templates.

/// A kind of IdentityLogonEvents row.
pub(in crate::generate) struct IdLogon {
    pub(in crate::generate) action: &'static str,
    pub(in crate::generate) logon_type: &'static str,
    pub(in crate::generate) protocol: &'static str,
    pub(in crate::generate) failure: Option<&'static str>,
    pub(in crate::generate) port: u16,
    pub(in crate::generate) weight: u16,
}

const fn id_logon(
    action: &'static str,
    logon_type: &'static str,
    protocol: &'static str,
    failure: Option<&'static str>,
    port: u16,
    weight: u16,
) -> IdLogon {
    IdLogon {
        action,
        logon_type,
        protocol,
        failure,
        port,
        weight,
    }
}

pub(in crate::generate) const IDENTITY_LOGONS: &[IdLogon] = &[
    id_logon("LogonSuccess", "Resource access", "Kerberos", None, 88, 50),
    id_logon(
        "LogonSuccess",
        "Credentials validation",
        "Ntlm",
        None,
        445,
        15,
    ),
    id_logon("LogonSuccess", "Interactive", "Kerberos", None, 88, 8),
    id_logon("LogonSuccess", "Resource access", "Ldap", None, 389, 5),
    id_logon("LogonSuccess", "Remote desktop", "Kerberos", None, 88, 3),
    id_logon(
        "LogonFailed",
        "Failed logon",
        "Ntlm",
        Some("WrongPassword"),
        445,
        6,
    ),
    id_logon(
        "LogonFailed",
        "Failed logon",
        "Kerberos",
        Some("UnknownUser"),
        88,
        2,
    ),
    id_logon(
        "LogonFailed",
        "Failed logon",
        "Ntlm",
        Some("AccountDisabled"),
        445,
        1,
    ),
];

pub(in crate::generate) const IDENTITY_LOGON_FIELDS: &str = r#"{"Count":"1","Spns":"krbtgt/CORP.CONTOSO.COM","SourceAccountName":"contoso\\{{user}}","SourceComputerOperatingSystemType":"windows","DestinationComputerOperatingSystem":"windows server 2022 datacenter","DestinationComputerOperatingSystemVersion":"10.0 (20348)","DestinationComputerOperatingSystemType":"windows","FROM.DEVICE":"{{HOST}}","TO.DEVICE":"{{dc}}","ACTOR.DEVICE":""}"#;
pub(in crate::generate) const IDENTITY_QUERY_FIELDS: &str = r#"{"SourceComputerOperatingSystemType":"windows","FROM.DEVICE":"{{HOST}}","TO.DEVICE":"{{dc}}","ACTOR.DEVICE":"","TARGET_OBJECT.USER":"{{tuser}}"}"#;

/// A kind of IdentityQueryEvents row.
pub(in crate::generate) struct IdQuery {
    pub(in crate::generate) action: &'static str,
    pub(in crate::generate) query_type: &'static str,
    pub(in crate::generate) protocol: &'static str,
    pub(in crate::generate) query: &'static str,
    pub(in crate::generate) target: &'static str,
    pub(in crate::generate) port: u16,
    pub(in crate::generate) weight: u16,
}

pub(in crate::generate) const IDENTITY_QUERIES: &[IdQuery] = &[
    IdQuery {
        action: "SAMR query",
        query_type: "QueryUser",
        protocol: "Samr",
        query: "QueryUser",
        target: "{{tuser}}",
        port: 445,
        weight: 20,
    },
    IdQuery {
        action: "DNS query",
        query_type: "Srv",
        protocol: "Dns",
        query: "_ldap._tcp.dc._msdcs.corp.contoso.com",
        target: "corp.contoso.com",
        port: 53,
        weight: 25,
    },
    IdQuery {
        action: "LDAP query",
        query_type: "AllUsers",
        protocol: "Ldap",
        query: "(&(objectCategory=person)(objectClass=user))",
        target: "corp.contoso.com",
        port: 389,
        weight: 6,
    },
    IdQuery {
        action: "LDAP query",
        query_type: "AllComputers",
        protocol: "Ldap",
        query: "(objectCategory=computer)",
        target: "corp.contoso.com",
        port: 389,
        weight: 4,
    },
    IdQuery {
        action: "SAMR query",
        query_type: "QueryGroup",
        protocol: "Samr",
        query: "QueryGroup",
        target: "Domain Admins",
        port: 445,
        weight: 3,
    },
    IdQuery {
        action: "LDAP query",
        query_type: "Spn",
        protocol: "Ldap",
        query: "(&(objectClass=user)(servicePrincipalName=*))",
        target: "corp.contoso.com",
        port: 389,
        weight: 1,
    },
];

/// A kind of IdentityDirectoryEvents row, with its `AdditionalFields` (dotted keys).
pub(in crate::generate) struct IdDirectory {
    pub(in crate::generate) action: &'static str,
    pub(in crate::generate) fields: &'static str,
    pub(in crate::generate) weight: u16,
}

pub(in crate::generate) const IDENTITY_DIRECTORY: &[IdDirectory] = &[
    IdDirectory {
        action: "Account Password changed",
        fields: r#"{"TARGET_OBJECT.USER":"{{tuser}}","ACTOR.ACCOUNT":"{{user}}","ACTOR.DEVICE":"{{HOST}}"}"#,
        weight: 30,
    },
    IdDirectory {
        action: "Group Membership changed",
        fields: r#"{"TO.GROUP":"Domain Admins","TARGET_OBJECT.GROUP":"Domain Admins","TARGET_OBJECT.USER":"{{tuser}}","ACTOR.ACCOUNT":"{{user}}"}"#,
        weight: 4,
    },
    IdDirectory {
        action: "Account Disabled changed",
        fields: r#"{"TARGET_OBJECT.USER":"{{tuser}}","ACTOR.ACCOUNT":"{{user}}","FROM Account Disabled":"False","TO Account Disabled":"True"}"#,
        weight: 6,
    },
    IdDirectory {
        action: "Account Supported Encryption Types changed",
        fields: r#"{"TARGET_OBJECT.USER":"{{tuser}}","FROM Account Supported Encryption Types":"","TO Account Supported Encryption Types":"AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96"}"#,
        weight: 3,
    },
    IdDirectory {
        action: "Directory Services replication",
        fields: r#"{"SourceComputerOperatingSystemType":"windows","FROM.DEVICE":"{{HOST}}","TO.DEVICE":"{{dc}}","ACTOR.DEVICE":""}"#,
        weight: 1,
    },
];
