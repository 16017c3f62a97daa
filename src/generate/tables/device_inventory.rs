//! Device inventory tables (DeviceInfo, DeviceNetworkInfo,
//! DeviceFileCertificateInfo): their scenarios and own columns.

use rand::Rng;

use crate::generate::NANOS;
use crate::generate::catalogue::files::{SIGNERS, Signer};
use crate::generate::catalogue::org::AZURE_SUBSCRIPTION;
use crate::generate::columns::{Gen, device_col, g, lit, nothing, raw, text, when};
use crate::generate::random::hash2;
use crate::generate::records::{Ctx, Event, FileRef, SUBJECT};
use crate::generate::text::{TimeStyle, push_guid, push_hex};
use crate::generate::world::{Act, Role};

pub(super) fn inventory_event(c: &mut Ctx<'_>) {
    let w = c.w;
    let dev = c.rng.random_range(0..w.devices.len()) as u16;
    c.ev.device = Some(dev);
    c.ev.accts[SUBJECT] = Some(w.devices[dev as usize].user);
}

pub(super) fn adapter_event(c: &mut Ctx<'_>) {
    inventory_event(c);
    let laptop = c
        .device()
        .is_some_and(|d| matches!(d.role, Role::Laptop | Role::Mac));
    c.ev.spec = u16::from(laptop && c.chance(0.5));
}

pub(super) fn certificate_event(c: &mut Ctx<'_>) {
    let dev = c.pick_device(true);
    c.ev.device = Some(dev);
    c.ev.file = Some(if c.chance(0.6) {
        FileRef::Proc(c.pick_proc(dev, Act::Spawn))
    } else {
        FileRef::Dll(c.w.dll_pool.sample(&mut c.rng) as u16)
    });
}

pub(super) fn device_info_column(name: &str) -> Option<Gen> {
    Some(match name {
        "ReportId" => g(|c| {
            let v = c.counter(1_000_003);
            c.uint(v);
        }),
        "ClientVersion" => device_col(|c, d| c.str(d.os.client)),
        "PublicIP" => device_col(|c, d| c.str(&d.public_ip)),
        "OSArchitecture" => device_col(|c, d| c.str(d.os.arch)),
        "OSPlatform" => device_col(|c, d| c.str(d.os.platform)),
        "OSBuild" => device_col(|c, d| match d.os.build {
            0 => c.null(),
            b => c.uint(u64::from(b)),
        }),
        "OsBuildRevision" => device_col(|c, d| c.str_or_null(d.os.revision)),
        "OSVersion" => device_col(|c, d| c.str(d.os.version)),
        "OSDistribution" => device_col(|c, d| c.str(d.os.distribution)),
        "OSVersionInfo" => device_col(|c, d| {
            if d.os.version_info.is_empty() {
                c.empty()
            } else {
                c.str(d.os.version_info)
            }
        }),
        "IsAzureADJoined" => device_col(|c, d| match d.role {
            Role::Linux => c.null(),
            r => c.bool(!r.is_server()),
        }),
        "JoinType" => device_col(|c, d| match d.role {
            Role::Linux => c.null(),
            Role::Mac => c.str("Azure AD Registered"),
            r if r.is_server() => c.str("Domain Joined"),
            _ => c.str("Hybrid Azure AD Join"),
        }),
        "AadDeviceId" => device_col(|c, d| c.opt(d.aad.as_deref())),
        "LoggedOnUsers" => device_col(|c, d| {
            let w = c.w;
            let user = &w.users[d.user as usize];
            if d.role.is_server() || c.chance(0.1) {
                c.raw(r#""[]""#);
                return;
            }
            let domain = if d.role.is_windows() {
                "CONTOSO"
            } else {
                d.name.as_str()
            };
            c.stringified(|c| {
                c.raw("[{");
                c.key("UserName");
                c.str(&user.name);
                c.key("DomainName");
                c.str(domain);
                c.key("Sid");
                c.opt(user.sid.as_deref());
                c.raw("}]");
            });
        }),
        "RegistryDeviceTag" => lit(&[
            (None, 80),
            (Some(""), 10),
            (Some("Finance"), 6),
            (Some("PAW"), 4),
        ]),
        "OnboardingStatus" => text("Onboarded"),
        "AdditionalFields" => raw(&[("null", 5), (r#""[]""#, 3), (r#""{}""#, 1)]),
        "DeviceCategory" => text("Endpoint"),
        "DeviceType" => device_col(|c, d| {
            c.str(if d.role.is_server() {
                "Server"
            } else {
                "Workstation"
            })
        }),
        "DeviceSubtype" => nothing(),
        "Model" => device_col(|c, d| c.str(d.model)),
        "Vendor" => device_col(|c, d| c.str(d.vendor)),
        "MergedDeviceIds"
        | "MergedToDeviceId"
        | "HostDeviceId"
        | "AwsResourceName"
        | "GcpFullResourceName" => nothing(),
        "IsInternetFacing" => device_col(|c, d| {
            if matches!(d.role, Role::Web) {
                c.bool(true)
            } else {
                c.raw_of(&[("null", 7), ("false", 3)])
            }
        }),
        "SensorHealthState" => lit(&[
            (Some("Active"), 90),
            (Some("Inactive"), 6),
            (Some("ImpairedCommunication"), 2),
            (Some("NoSensorData"), 2),
        ]),
        "IsExcluded" | "IsTransient" => raw(&[("false", 1)]),
        "ExclusionReason" | "MitigationStatus" | "Site" | "DlpInfo" => g(|c| c.null()),
        "ExposureLevel" => lit(&[
            (Some("Low"), 5),
            (Some("Medium"), 4),
            (Some("High"), 1),
            (Some("None"), 1),
        ]),
        "AssetValue" => {
            device_col(|c, d| c.str(if d.role == Role::Dc { "High" } else { "Normal" }))
        }
        "DeviceManualTags" => raw(&[
            (r#""[]""#, 8),
            (r#""[\"VIP\"]""#, 1),
            (r#""[\"Finance\"]""#, 1),
        ]),
        "DeviceDynamicTags" => raw(&[(r#""[]""#, 9), (r#""[\"Internet facing\"]""#, 1)]),
        "ConnectivityType" => lit(&[(Some("Streamlined"), 7), (Some("Standard"), 3)]),
        "AzureResourceId" => device_col(|c, d| {
            if d.azure.is_some() {
                let id = format!(
                    "/subscriptions/{AZURE_SUBSCRIPTION}/resourceGroups/rg-prod-servers/providers/Microsoft.Compute/virtualMachines/{}",
                    d.name
                );
                c.str(&id);
            } else {
                c.empty();
            }
        }),
        "AzureVmId" => device_col(|c, d| match &d.azure {
            Some(id) => c.str(id),
            None => c.empty(),
        }),
        "AzureVmSubscriptionId" => device_col(|c, d| {
            if d.azure.is_some() {
                c.str(AZURE_SUBSCRIPTION)
            } else {
                c.empty()
            }
        }),
        "CloudPlatforms" => device_col(|c, d| {
            if d.azure.is_some() {
                c.str("Azure")
            } else {
                c.null()
            }
        }),
        "HardwareUuid" => device_col(|c, d| c.guid(d.key, hash2(d.key, 1))),
        "DiscoverySources" => raw(&[(r#""[\"Microsoft Defender for Endpoint\"]""#, 1)]),
        "DeviceRoles" => device_col(|c, d| {
            let roles = match d.role {
                Role::Dc => r#""[\"DomainController\"]""#,
                Role::Sql => r#""[\"SqlServer\"]""#,
                Role::Web => r#""[\"WebServer\"]""#,
                Role::FileServer => r#""[\"FileServer\"]""#,
                _ => r#""[]""#,
            };
            c.raw(roles);
        }),
        _ => return None,
    })
}

pub(super) fn adapter_column(name: &str) -> Option<Gen> {
    let wifi = |e: &Event| e.spec == 1;
    Some(match name {
        "ReportId" => g(|c| {
            let v = c.counter(1_000_003);
            c.uint(v);
        }),
        "NetworkAdapterName" => device_col(move |c, d| match d.role {
            Role::Linux => c.str("ens160"),
            Role::Mac => c.str(if wifi(&c.ev) { "en0" } else { "en7" }),
            _ => {
                let mut name = String::with_capacity(38);
                name.push('{');
                push_guid(&mut name, hash2(d.key, u64::from(c.ev.spec)), d.key, true);
                name.push('}');
                c.str(&name);
            }
        }),
        "MacAddress" => device_col(move |c, d| {
            let mut mac = d.mac.clone();
            if wifi(&c.ev) {
                mac.replace_range(mac.len() - 2.., "7C");
            }
            c.str(&mac);
        }),
        "NetworkAdapterType" => g(move |c| {
            c.str(if wifi(&c.ev) {
                "Wireless80211"
            } else {
                "Ethernet"
            })
        }),
        "NetworkAdapterStatus" => text("Up"),
        "TunnelType" => text("None"),
        "ConnectedNetworks" => device_col(|c, d| {
            let template = match d.role {
                Role::Laptop | Role::Mac if c.chance(0.5) => {
                    r#"[{"Name":"FRITZ!Box 7590 {{HEX2}}","Description":"Network 2","IsConnectedToInternet":true,"Category":"Private"}]"#
                }
                Role::Linux => {
                    c.null();
                    return;
                }
                _ => {
                    r#"[{"Name":"corp.contoso.com","Description":"corp.contoso.com","IsConnectedToInternet":true,"Category":"Domain"}]"#
                }
            };
            c.render_json(template, true);
        }),
        "DnsAddresses" => g(|c| {
            let w = c.w;
            c.stringified(|c| {
                c.raw("[");
                for &dc in w.dcs.iter().take(2) {
                    c.sep();
                    c.str(&w.devices[dc].ip);
                }
                c.raw("]");
            });
        }),
        "IPv4Dhcp" => device_col(|c, d| {
            if d.role.is_server() {
                c.null()
            } else {
                c.str(&d.gateway())
            }
        }),
        "IPv6Dhcp" => g(|c| c.null()),
        "DefaultGateways" => device_col(|c, d| {
            let gateway = d.gateway();
            c.stringified(|c| {
                c.raw("[");
                c.str(&gateway);
                c.raw("]");
            });
        }),
        "IPAddresses" => device_col(|c, d| {
            c.stringified(|c| {
                c.raw("[{");
                c.key("IPAddress");
                c.str(&d.ip);
                c.key("SubnetPrefix");
                c.raw("24");
                c.key("AddressType");
                c.str("Private");
                c.raw("},{");
                c.key("IPAddress");
                let mut v6 = String::from("fe80::");
                push_hex(&mut v6, d.key >> 48, 4, false);
                v6.push(':');
                push_hex(&mut v6, d.key >> 32, 4, false);
                v6.push(':');
                push_hex(&mut v6, d.key >> 16, 4, false);
                v6.push(':');
                push_hex(&mut v6, d.key, 4, false);
                c.str(&v6);
                c.key("SubnetPrefix");
                c.raw("64");
                c.key("AddressType");
                c.str("Private");
                c.raw("}]");
            });
        }),
        "NetworkAdapterVendor" => device_col(|c, d| {
            let vendor = match d.vendor {
                "Microsoft Corporation" if d.role.is_server() => "Microsoft",
                "VMware, Inc." => "VMware, Inc.",
                "Apple Inc." => "Apple",
                _ => "Intel Corporation",
            };
            c.str(vendor);
        }),
        "OnboardingStatus" => text("Onboarded"),
        "NetworkAdapterDnsSuffix" => device_col(|c, d| match d.role {
            Role::Linux | Role::Mac => c.empty(),
            _ => c.str("corp.contoso.com"),
        }),
        _ => return None,
    })
}

pub(super) fn certificate_column(name: &str) -> Option<Gen> {
    // The signer of the record's file, if any.
    let signer = |e: &Event| e.file;
    let with_signer = |stringy: bool, f: fn(&mut Ctx<'_>, &'static Signer)| {
        when(signer, stringy, move |c, file| match c.signer(file) {
            Some(s) => f(c, s),
            None if stringy => c.empty(),
            None => c.null(),
        })
    };
    Some(match name {
        "ReportId" => g(|c| {
            let v = c.counter(7);
            c.uint(v);
        }),
        "IsSigned" => when(signer, false, |c, f| {
            let signed = c.signer(f).is_some();
            c.bool(signed);
        }),
        "SignatureType" => with_signer(true, |c, s| {
            c.str(if s.catalog { "Catalog" } else { "Embedded" })
        }),
        "Signer" => with_signer(true, |c, s| c.str(s.signer)),
        "SignerHash" => with_signer(true, |c, s| {
            c.hash(xxhash_rust::xxh3::xxh3_64(s.signer.as_bytes()), 40)
        }),
        "Issuer" => with_signer(true, |c, s| c.str(s.issuer)),
        "IssuerHash" => with_signer(true, |c, s| {
            c.hash(xxhash_rust::xxh3::xxh3_64(s.issuer.as_bytes()), 40)
        }),
        "CertificateSerialNumber" => with_signer(true, |c, s| {
            c.hash(
                xxhash_rust::xxh3::xxh3_64(s.issuer.as_bytes()) ^ 0x5e71a1,
                38,
            );
        }),
        "CrlDistributionPointUrls" => with_signer(true, |c, s| c.str(s.crl)),
        "CertificateCreationTime" => {
            with_signer(false, |c, s| c.time(s.created * NANOS, TimeStyle::z(0)))
        }
        "CertificateExpirationTime" => with_signer(false, |c, s| {
            c.time((s.created + 400 * 86_400) * NANOS, TimeStyle::z(0));
        }),
        "CertificateCountersignatureTime" => with_signer(false, |c, s| {
            c.time((s.created + 30 * 86_400) * NANOS, TimeStyle::z(0));
        }),
        "IsTrusted" => when(signer, false, |c, f| {
            let trusted = c.signer(f).is_some();
            c.bool(trusted);
        }),
        "IsRootSignerMicrosoft" => with_signer(false, |c, s| c.bool(s.microsoft)),
        _ => return None,
    })
}

impl Ctx<'_> {
    /// Who signed a file: by the company in its version information.
    fn signer(&self, f: FileRef) -> Option<&'static Signer> {
        let (company, windows) = match f {
            FileRef::Proc(p) => {
                let ver = &self.w.procs[p as usize].spec.ver;
                (ver.company, ver.product.contains("Windows"))
            }
            FileRef::Dll(d) => (self.w.dlls[d as usize].spec.company, true),
            FileRef::Pool(_) => ("", false),
        };
        SIGNERS.iter().find(|s| {
            s.company == company && (s.windows == windows || s.company != "Microsoft Corporation")
        })
    }
}
