//! Columns → value builders: a table's `Plan` (its columns, each resolved
//! once to a `Gen`, and the key orders its records use), the builder
//! helpers, the columns that mean the same in every table (processes,
//! accounts, files, connections, registry values, device, download origin,
//! `ReportId`), and the fallback for columns nobody described.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::HOUR;
use super::catalogue::device_activity::REGISTRY;
use super::catalogue::processes::Ver;
use super::catalogue::templates::FILLER_WORDS;
use super::records::{Ctx, Event, INIT, PARENT, REQUEST, SUBJECT, TARGET, TARGET_ACCOUNT};
use super::tables::TableKind;
use super::text::{ENVELOPE_TIME, TRIMMED_TIME, json_string};
use super::world::{Device, EpCat, Role, UserKind};
use crate::schema::{Column, Kind, TableSchema};

// ─────────────────────────── columns → builders ───────────────────────────

/// Writes one column's value for the current record.
pub(super) type Gen = Box<dyn Fn(&mut Ctx<'_>)>;

pub(super) fn g(f: impl Fn(&mut Ctx<'_>) + 'static) -> Gen {
    Box::new(f)
}

/// A weighted choice of strings (None = null).
pub(super) fn lit(items: &'static [(Option<&'static str>, u16)]) -> Gen {
    g(move |c| c.lit(items))
}

/// A weighted choice of raw JSON values (`null`, `true`, `"\"[]\""` ...).
pub(super) fn raw(items: &'static [(&'static str, u16)]) -> Gen {
    g(move |c| c.raw_of(items))
}

pub(super) fn text(s: &'static str) -> Gen {
    g(move |c| c.str(s))
}

/// Null or `""`.
pub(super) fn nothing() -> Gen {
    g(|c| c.empty())
}

/// Applies `f` to what `get` finds in the record; writes an empty value
/// (null or `""` when `stringy`) when it finds nothing.
pub(super) fn when<T: Copy + 'static>(
    get: impl Fn(&Event) -> Option<T> + 'static,
    stringy: bool,
    f: impl Fn(&mut Ctx<'_>, T) + 'static,
) -> Gen {
    g(move |c| match get(&c.ev) {
        Some(v) => f(c, v),
        None if stringy => c.empty(),
        None => c.null(),
    })
}

/// A column of the record's device.
pub(super) fn device_col(f: impl Fn(&mut Ctx<'_>, &Device) + 'static) -> Gen {
    when(
        |e| e.device,
        true,
        move |c, d| {
            let w = c.w;
            f(c, &w.devices[d as usize]);
        },
    )
}

/// One column and its builder.
pub(super) struct PlanCol {
    name: String,
    /// `"Name":`, pre-encoded.
    pub(super) key: String,
    pub(super) build: Gen,
}

/// A table's columns and the key orders its records use (quirks E.4:
/// `Timestamp` first in about a third of the records, among the last three
/// in about half).
pub(super) struct Plan {
    pub(super) cols: Vec<PlanCol>,
    pub(super) orders: [Vec<usize>; 3],
}

impl Plan {
    pub(super) fn build(schema: &TableSchema, kind: TableKind, rng: &mut ChaCha8Rng) -> Plan {
        let mut cols: Vec<PlanCol> = schema
            .columns
            .iter()
            .map(|c| PlanCol::new(&c.name, kind, Some(c)))
            .collect();
        for extra in kind.extra_columns() {
            if !cols.iter().any(|c| c.name == *extra) {
                cols.push(PlanCol::new(extra, kind, None));
            }
        }
        // Every record must be unique: a table without an identifier column gets one.
        if !cols
            .iter()
            .any(|c| c.name == "ReportId" || c.name == "AlertId")
        {
            cols.push(PlanCol::new("ReportId", kind, None));
        }
        let n = cols.len();
        let ts = cols.iter().position(|c| c.name == "Timestamp");
        let mut first: Vec<usize> = (0..n).collect();
        let mut late = first.clone();
        let mut middle = first.clone();
        late.shuffle(rng);
        middle.shuffle(rng);
        if let Some(ts) = ts {
            place(&mut first, ts, 0);
            let from_end = rng.random_range(0..3);
            place(&mut late, ts, n.saturating_sub(1 + from_end));
            place(&mut middle, ts, n / 2);
        }
        Plan {
            cols,
            orders: [first, late, middle],
        }
    }
}

/// Moves `item` to position `pos` of `order`.
fn place(order: &mut Vec<usize>, item: usize, pos: usize) {
    if let Some(i) = order.iter().position(|&x| x == item) {
        order.remove(i);
        order.insert(pos.min(order.len()), item);
    }
}

impl PlanCol {
    fn new(name: &str, kind: TableKind, col: Option<&Column>) -> PlanCol {
        let build = kind
            .columns(name)
            .or_else(|| shared_column(name, col))
            .unwrap_or_else(|| fallback_column(col));
        PlanCol {
            name: name.to_string(),
            key: format!("{}:", json_string(name)),
            build,
        }
    }
}

/// Columns that mean the same in every table.
fn shared_column(name: &str, col: Option<&Column>) -> Option<Gen> {
    if let Some(build) = proc_column(name)
        .or_else(|| account_column(name))
        .or_else(|| file_column(name))
        .or_else(|| net_column(name))
        .or_else(|| registry_column(name))
    {
        return Some(build);
    }
    Some(match name {
        "Timestamp" => g(|c| {
            let (ts, style) = (c.ev.ts, c.ts_style);
            c.time(ts, style);
        }),
        "DeviceId" => device_col(|c, d| c.str(&d.id)),
        "DeviceName" => device_col(|c, d| c.str(&d.name)),
        "MachineGroup" => device_col(|c, d| c.opt(d.group)),
        "ActionType" => g(|c| {
            let a = c.ev.action;
            c.str_or_null(a);
        }),
        "AppGuardContainerId" => nothing(),
        // The logon session of the subject: the process running as the subject.
        "LogonId" => when(
            |e| {
                [e.procs[TARGET], e.procs[INIT]]
                    .into_iter()
                    .flatten()
                    .find(|p| Some(p.user) == e.accts[SUBJECT])
            },
            false,
            |c, p| {
                let id = c.logon_id(p);
                c.uint(id);
            },
        ),
        "FileOriginUrl" => when(
            |e| e.origin,
            true,
            |c, u| {
                let url = &c.w.urls[u as usize].url;
                c.str(url);
            },
        ),
        "FileOriginReferrerUrl" => when(
            |e| e.origin,
            true,
            |c, u| {
                let domain = &c.w.urls[u as usize].domain;
                if c.chance(0.3) {
                    c.empty();
                } else {
                    c.str(&format!("https://{domain}/"));
                }
            },
        ),
        "FileOriginIP" => when(
            |e| e.origin,
            true,
            |c, u| {
                let ip = &c.w.urls[u as usize].ip;
                c.str(ip);
            },
        ),
        "ReportId" if col.is_none_or(|c| c.kind == Kind::Int) => g(|c| {
            let v = c.counter(7);
            c.uint(v);
        }),
        "ReportId" => g(|c| c.unique_guid()),
        _ => return None,
    })
}

/// Columns nobody told us about: a plausible value of the column's kind.
fn fallback_column(col: Option<&Column>) -> Gen {
    let Some(col) = col else {
        return g(|c| c.null());
    };
    match col.kind {
        Kind::Date => g(|c| {
            let t = c.ev.ts - c.rng.random_range(0..HOUR);
            let style = c.ts_style;
            c.time(t, style);
        }),
        Kind::Int => g(|c| {
            if c.chance(0.2) {
                c.null();
            } else {
                let v = c.rng.random_range(0..5_000);
                c.int(v);
            }
        }),
        Kind::Bool => raw(&[("false", 6), ("true", 2), ("null", 2)]),
        Kind::Dynamic if col.source_type == "dynamic" => raw(&[("null", 4), ("{}", 2), ("[]", 2)]),
        Kind::Dynamic => raw(&[("null", 4), (r#""{}""#, 2), (r#""[]""#, 1)]),
        Kind::Text | Kind::Keyword => g(|c| {
            if c.chance(0.5) {
                c.empty();
            } else {
                let v = *c.pick(FILLER_WORDS);
                c.str(v);
            }
        }),
    }
}

// ─────────────────────── processes, accounts, files ───────────────────────

/// `InitiatingProcessParent*`, `InitiatingProcess*`, `Process*` columns.
fn proc_column(name: &str) -> Option<Gen> {
    let (role, attr) = match name {
        "IsInitiatingProcessRemoteSession" => (INIT, "IsRemoteSession"),
        "IsProcessRemoteSession" => (TARGET, "IsRemoteSession"),
        "CreatedProcessSessionId" => (TARGET, "SessionId"),
        _ if name.starts_with("InitiatingProcessAccount") => return None,
        _ => {
            if let Some(attr) = name.strip_prefix("InitiatingProcessParent") {
                (PARENT, attr)
            } else if let Some(attr) = name.strip_prefix("InitiatingProcess") {
                (INIT, attr)
            } else if let Some(attr) = name.strip_prefix("Process") {
                (TARGET, attr)
            } else {
                return None;
            }
        }
    };
    let get = move |e: &Event| e.procs[role];
    let version = move |field: fn(&Ver) -> &'static str| {
        when(get, true, move |c, p| {
            let v = field(&c.spec(p).ver);
            c.str_or_null(v);
        })
    };
    Some(match attr {
        "FileName" => when(get, true, |c, p| {
            let name = c.spec(p).name;
            c.str(name);
        }),
        "FolderPath" => when(get, true, move |c, p| {
            let spec = c.spec(p);
            c.path(spec.dir, spec.name, role == INIT);
        }),
        "SHA1" => when(get, true, |c, p| {
            let w = c.w;
            c.str(&w.procs[p.spec as usize].hashes.sha1);
        }),
        "SHA256" => when(get, true, |c, p| {
            let w = c.w;
            c.str(&w.procs[p.spec as usize].hashes.sha256);
        }),
        "MD5" => when(get, true, |c, p| {
            let w = c.w;
            c.str(&w.procs[p.spec as usize].hashes.md5);
        }),
        "FileSize" => when(get, false, |c, p| {
            let size = c.spec(p).size;
            c.uint(u64::from(size));
        }),
        "VersionInfoCompanyName" => version(|v| v.company),
        "VersionInfoProductName" => version(|v| v.product),
        "VersionInfoProductVersion" => version(|v| v.version),
        "VersionInfoInternalFileName" | "VersionInfoOriginalFileName" => version(|v| v.original),
        "VersionInfoFileDescription" => version(|v| v.description),
        "Id" => when(get, false, |c, p| c.uint(u64::from(p.pid))),
        "CommandLine" => when(get, true, |c, p| c.command_line(p)),
        "CreationTime" => when(get, false, move |c, p| {
            let style = match role {
                TARGET => c.ts_style,
                INIT => ENVELOPE_TIME,
                _ => TRIMMED_TIME,
            };
            c.time(p.created, style);
        }),
        "IntegrityLevel" => when(get, true, |c, p| {
            let v = c.integrity(p);
            c.opt(v);
        }),
        "TokenElevation" => when(get, true, |c, p| {
            let v = c.elevation(p);
            c.str(v);
        }),
        "LogonId" => when(get, false, |c, p| {
            let id = c.logon_id(p);
            c.uint(id);
        }),
        "SessionId" => when(get, false, |c, p| match c.session_id(p) {
            Some(s) => c.uint(s),
            None => c.null(),
        }),
        "UniqueId" => when(get, true, |c, p| {
            if c.device().is_some_and(|d| d.role == Role::Mac) {
                c.str("0");
            } else {
                let id = 10_000_000_000_000_000 + (p.key >> 4) % 90_000_000_000_000_000;
                c.out.push('"');
                c.uint(id);
                c.out.push('"');
            }
        }),
        "SignerType" => when(get, true, |c, p| {
            let v = c.signer_type(p).0;
            c.opt(v);
        }),
        "SignatureStatus" => when(get, true, |c, p| {
            let v = c.signer_type(p).1;
            c.str(v);
        }),
        "IsRemoteSession" => when(get, false, |c, p| {
            let remote = c.remote_session(p).is_some();
            c.bool(remote);
        }),
        "RemoteSessionDeviceName" => when(get, true, |c, p| match c.remote_session(p) {
            Some(d) => {
                let w = c.w;
                c.str(&w.devices[d].name.to_ascii_uppercase());
            }
            None => c.null(),
        }),
        "RemoteSessionIP" => when(get, true, |c, p| match c.remote_session(p) {
            Some(d) => {
                let w = c.w;
                c.str(&w.devices[d].ip);
            }
            None => c.null(),
        }),
        _ => return None,
    })
}

/// `Account*`, `InitiatingProcessAccount*`, `RequestAccount*`, `TargetAccount*`.
fn account_column(name: &str) -> Option<Gen> {
    let (role, attr) = if let Some(attr) = name.strip_prefix("InitiatingProcessAccount") {
        (INIT, attr)
    } else if let Some(attr) = name.strip_prefix("RequestAccount") {
        (REQUEST, attr)
    } else if let Some(attr) = name.strip_prefix("TargetAccount") {
        (TARGET_ACCOUNT, attr)
    } else if let Some(attr) = name.strip_prefix("Account") {
        (SUBJECT, attr)
    } else {
        return None;
    };
    let get = move |e: &Event| e.accts[role];
    // Request accounts are written in upper case (`SYSTEM`, `NT AUTHORITY`).
    let upper = role == REQUEST;
    Some(match attr {
        "Name" => when(get, true, move |c, u| {
            let w = c.w;
            let user = &w.users[u as usize];
            if upper && user.kind == UserKind::Builtin {
                c.str(&user.name.to_ascii_uppercase());
            } else {
                c.str(&user.name);
            }
        }),
        "Domain" => when(get, true, move |c, u| {
            let domain = c.account_domain(u);
            if upper {
                c.str(&domain.to_ascii_uppercase());
            } else {
                c.str(domain);
            }
        }),
        "Sid" => when(get, true, |c, u| c.account_sid(u)),
        "Upn" => when(get, true, |c, u| {
            let w = c.w;
            let user = &w.users[u as usize];
            if c.is_local_account(user) {
                c.null()
            } else {
                c.opt(user.upn.as_deref())
            }
        }),
        "ObjectId" | "Id" => when(get, true, |c, u| {
            let w = c.w;
            let user = &w.users[u as usize];
            if c.is_local_account(user) {
                c.null()
            } else {
                c.opt(user.object_id.as_deref())
            }
        }),
        "DisplayName" => when(get, true, |c, u| {
            let w = c.w;
            c.str(&w.users[u as usize].display);
        }),
        _ => return None,
    })
}

/// `FileName`, `FolderPath`, hashes and size of the record's file.
fn file_column(name: &str) -> Option<Gen> {
    let get = |e: &Event| e.file;
    Some(match name {
        "FileName" => when(get, true, |c, f| {
            let v = c.file_view(f);
            c.str(v.name);
        }),
        "FolderPath" => when(get, true, |c, f| {
            let v = c.file_view(f);
            c.path(v.dir, v.name, false);
        }),
        "SHA1" => when(get, true, |c, f| {
            let v = c.file_view(f);
            c.str(&v.hashes.sha1);
        }),
        "SHA256" => when(get, true, |c, f| {
            let v = c.file_view(f);
            c.str(&v.hashes.sha256);
        }),
        "MD5" => when(get, true, |c, f| {
            let v = c.file_view(f);
            c.str(&v.hashes.md5);
        }),
        "FileSize" => when(get, false, |c, f| {
            let v = c.file_view(f);
            c.uint(v.size);
        }),
        _ => return None,
    })
}

/// Local and remote ends of the record's connection.
fn net_column(name: &str) -> Option<Gen> {
    let get = |e: &Event| e.net;
    let remote = |e: &Event| e.net.and_then(|n| n.remote);
    Some(match name {
        "RemoteIP" => when(remote, true, |c, r| {
            let w = c.w;
            c.str(&w.endpoints[r as usize].ip);
        }),
        "RemotePort" => when(get, false, |c, n| match n.remote_port {
            0 => c.null(),
            p => c.uint(u64::from(p)),
        }),
        "LocalPort" => when(get, false, |c, n| match n.local_port {
            0 => c.null(),
            p => c.uint(u64::from(p)),
        }),
        "RemoteUrl" => when(get, true, |c, n| {
            let w = c.w;
            match (n.url, n.remote.and_then(|r| w.endpoints[r as usize].host)) {
                (Some(u), _) => c.str(&w.urls[u as usize].url),
                (None, Some(host)) if !c.chance(0.08) => c.str(host),
                _ => c.empty(),
            }
        }),
        "RemoteDeviceName" => when(remote, true, |c, r| {
            let w = c.w;
            match w.endpoints[r as usize].device {
                Some(d) => c.str(&w.devices[d as usize].name),
                None => c.empty(),
            }
        }),
        "RemoteIPType" => when(remote, true, |c, r| {
            let w = c.w;
            let kind = match w.endpoints[r as usize].cat {
                EpCat::Internal | EpCat::Client => "Private",
                _ => "Public",
            };
            c.str(kind);
        }),
        "LocalIP" => when(get, true, |c, _| match c.device() {
            Some(d) => c.str(&d.ip),
            None => c.empty(),
        }),
        "LocalIPType" => when(get, true, |c, _| c.str("Private")),
        "Protocol" => when(get, true, |c, n| c.str(if n.udp { "Udp" } else { "Tcp" })),
        _ => return None,
    })
}

/// `Registry*` and `PreviousRegistry*` of the record's registry change.
fn registry_column(name: &str) -> Option<Gen> {
    let get = |e: &Event| e.reg.map(|r| (r, e.action.contains("Key"), e.previous));
    Some(match name {
        "RegistryKey" => when(get, true, |c, (r, ..)| c.render(REGISTRY[r as usize].key)),
        "RegistryValueName" => when(get, true, |c, (r, key_only, _)| {
            if key_only {
                c.raw("\"\"")
            } else {
                c.render(REGISTRY[r as usize].value)
            }
        }),
        "RegistryValueType" => when(get, true, |c, (r, key_only, _)| {
            if key_only {
                c.str("None")
            } else {
                c.str(REGISTRY[r as usize].kind)
            }
        }),
        "RegistryValueData" => when(get, true, |c, (r, key_only, _)| {
            if key_only {
                c.raw("\"\"")
            } else {
                c.render(REGISTRY[r as usize].data)
            }
        }),
        "PreviousRegistryKey" => when(get, true, |c, (r, _, previous)| {
            if previous {
                c.render(REGISTRY[r as usize].key)
            } else {
                c.raw("\"\"")
            }
        }),
        "PreviousRegistryValueName" => when(get, true, |c, (r, _, previous)| {
            if previous {
                c.render(REGISTRY[r as usize].value)
            } else {
                c.raw("\"\"")
            }
        }),
        "PreviousRegistryValueData" => when(get, true, |c, (r, _, previous)| {
            if previous {
                c.render(REGISTRY[r as usize].previous)
            } else {
                c.raw("\"\"")
            }
        }),
        _ => return None,
    })
}
