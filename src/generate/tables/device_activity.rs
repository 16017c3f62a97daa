//! Device activity tables (DeviceProcessEvents, DeviceNetworkEvents,
//! DeviceFileEvents, DeviceEvents, DeviceRegistryEvents,
//! DeviceImageLoadEvents, DeviceLogonEvents): their scenarios and own
//! columns.

use rand::Rng;

use super::TableKind;
use crate::generate::catalogue::device_activity::{
    DEVICE_EVENTS, FILE_ACTIONS, FilePick, LOGON_FAILURES, LOGONS, OUTBOUND_ACTIONS, POSIX_FIELDS,
    REGISTRY, SHARES, Who,
};
use crate::generate::catalogue::processes::Net;
use crate::generate::columns::{Gen, g, lit, raw, when};
use crate::generate::random::{hash2, pick_at};
use crate::generate::records::{Ctx, FileRef, INIT, NetRef, REQUEST, SUBJECT, TARGET};
use crate::generate::world::{Act, EpCat, NETWORK_SERVICE, Role, SYSTEM, UserKind};

pub(super) fn process_event(c: &mut Ctx<'_>) {
    let dev = c.pick_device(false);
    let target = c.pick_proc(dev, Act::Spawn);
    let init = c.parent_of(target, dev);
    c.chain(dev, init);
    let user = c.run_user(target, dev, c.ev.accts[INIT]);
    c.ev.procs[TARGET] = Some(c.new_proc(target, dev, user));
    c.ev.accts[SUBJECT] = Some(user);
    c.ev.file = Some(FileRef::Proc(target));
    c.ev.action = "ProcessCreated";
}

pub(super) fn file_event(c: &mut Ctx<'_>) {
    let dev = c.device_activity(Act::File, false);
    let w = c.w;
    let role = w.devices[dev as usize].role;
    let file = w.file_pools[role as usize].sample(&mut c.rng);
    c.ev.file = Some(FileRef::Pool(file as u32));
    c.ev.action = *c.pick(FILE_ACTIONS);
    c.ev.previous = c.ev.action == "FileRenamed";
    let entry = &w.files[file];
    if entry.origin && c.ev.action == "FileCreated" {
        c.ev.origin = Some(w.url_pools[usize::from(entry.malicious)].sample(&mut c.rng) as u32);
    }
    if role == Role::FileServer && c.chance(0.6) {
        let client = c.pick_device(true);
        c.ev.peer = Some(client);
        c.ev.accts[REQUEST] = Some(w.devices[client as usize].user);
    } else {
        c.ev.accts[REQUEST] = c.ev.accts[INIT];
    }
}

pub(super) fn network_event(c: &mut Ctx<'_>) {
    c.device_activity(Act::Net, false);
    let w = c.w;
    let init = c.ev.procs[INIT].unwrap_or_default();
    let profile = c.spec(init).net;
    // Servers mostly accept connections.
    if let Net::Server(ports) = profile
        && c.chance(0.75)
    {
        let local_port = ports[c.rng.random_range(0..ports.len())];
        let listening = c.chance(0.03);
        let client = w.ep_pools[EpCat::Client as usize].sample(&mut c.rng) as u32;
        c.ev.action = if listening {
            "ListeningConnectionCreated"
        } else {
            "InboundConnectionAccepted"
        };
        c.ev.net = Some(NetRef {
            remote: (!listening).then_some(client),
            local_port,
            remote_port: if listening {
                0
            } else {
                c.rng.random_range(49_152..65_535)
            },
            url: None,
            udp: false,
        });
        return;
    }
    let net = c.connect(profile);
    let port = net.remote_port;
    let action = *c.pick(OUTBOUND_ACTIONS);
    c.ev.action = match action {
        "SslConnectionInspected" if port != 443 => "ConnectionSuccess",
        "HttpConnectionInspected" if port != 80 && port != 8080 => "ConnectionSuccess",
        "DnsConnectionInspected" if port != 53 => "ConnectionSuccess",
        a => a,
    };
    c.ev.net = Some(net);
}

pub(super) fn registry_event(c: &mut Ctx<'_>) {
    let dev = c.pick_device(true);
    let i = c.w.registry_pool.sample(&mut c.rng);
    let spec = &REGISTRY[i];
    let init = match spec.init {
        Some(name) => c.proc_named(dev, name, Act::Reg),
        None => c.pick_proc(dev, Act::Reg),
    };
    c.chain(dev, init);
    c.ev.reg = Some(i as u16);
    c.ev.action = *c.pick(spec.actions);
    c.ev.previous = c.ev.action == "RegistryValueSet" && c.chance(0.3);
}

pub(super) fn image_load_event(c: &mut Ctx<'_>) {
    c.device_activity(Act::Img, true);
    c.ev.file = Some(FileRef::Dll(c.w.dll_pool.sample(&mut c.rng) as u16));
    c.ev.action = "ImageLoaded";
}

pub(super) fn logon_event(c: &mut Ctx<'_>) {
    let w = c.w;
    let dev = c.pick_device(false);
    let role = w.devices[dev as usize].role;
    let i = w.logon_pools[role as usize].sample(&mut c.rng);
    let spec = &LOGONS[i];
    let init = c.proc_named(dev, spec.init, Act::Spawn);
    c.chain(dev, init);
    let user = c.logon_user(spec.who, dev);
    c.ev.accts[SUBJECT] = Some(user);
    c.ev.spec = i as u16;
    c.ev.flag = spec.can_fail && c.chance(0.12);
    c.ev.action = if c.ev.flag {
        "LogonFailed"
    } else if c.chance(0.01) {
        "LogonAttempted"
    } else {
        "LogonSuccess"
    };
    if spec.remote {
        let cat = if c.ev.flag && c.chance(0.3) {
            EpCat::Bad
        } else {
            EpCat::Client
        };
        let remote = w.ep_pools[cat as usize].sample(&mut c.rng) as u32;
        c.ev.net = Some(NetRef {
            remote: Some(remote),
            local_port: 0,
            remote_port: if c.chance(0.5) {
                c.rng.random_range(49_152..65_535)
            } else {
                0
            },
            url: None,
            udp: false,
        });
    }
}

pub(super) fn device_event(c: &mut Ctx<'_>) {
    let w = c.w;
    let i = w.event_pool.sample(&mut c.rng);
    let spec = &DEVICE_EVENTS[i];
    let dev = c.pick_device(true);
    let init = match spec.init {
        Some(name) => c.proc_named(dev, name, Act::Misc),
        None => c.pick_proc(dev, Act::Misc),
    };
    c.chain(dev, init);
    c.ev.spec = i as u16;
    c.ev.action = spec.action;
    let role = w.devices[dev as usize].role;
    match spec.file {
        FilePick::None => {}
        FilePick::Pool => {
            c.ev.file = Some(FileRef::Pool(
                w.file_pools[role as usize].sample(&mut c.rng) as u32,
            ))
        }
        FilePick::Malware => c.ev.file = Some(FileRef::Pool(w.bad_files.sample(&mut c.rng) as u32)),
        FilePick::Lsass => {
            let lsass = c.proc_named(dev, "lsass.exe", Act::Spawn);
            c.ev.file = Some(FileRef::Proc(lsass));
            c.ev.procs[TARGET] = Some(c.stable_proc(lsass, dev, SYSTEM));
        }
    }
    if spec.process && c.ev.procs[TARGET].is_none() {
        let target = c.pick_proc(dev, Act::Spawn);
        let user = c.run_user(target, dev, c.ev.accts[INIT]);
        c.ev.procs[TARGET] = Some(c.new_proc(target, dev, user));
    }
    if spec.account {
        c.ev.accts[SUBJECT] = c.ev.accts[INIT];
    }
    if let Some(net) = spec.net {
        let mut conn = c.connect(net);
        if spec.action == "BrowserLaunchedToOpenUrl" {
            conn = NetRef {
                url: Some(w.url_pools[0].sample(&mut c.rng) as u32),
                ..NetRef::default()
            };
        } else if !spec.action.starts_with("Firewall") && !spec.action.starts_with("ExploitGuard") {
            // The far end is only named (DNS answers, SmartScreen): no ports.
            conn.local_port = 0;
            conn.remote_port = 0;
        }
        c.ev.net = Some(conn);
    }
}

pub(super) fn generic_event(c: &mut Ctx<'_>) {
    let dev = c.device_activity(Act::Misc, false);
    c.ev.accts[SUBJECT] = c.ev.accts[INIT];
    let role = c.w.devices[dev as usize].role;
    c.ev.file = Some(FileRef::Pool(
        c.w.file_pools[role as usize].sample(&mut c.rng) as u32,
    ));
}

impl Ctx<'_> {
    /// An outbound connection of a process with network profile `net`.
    fn connect(&mut self, net: Net) -> NetRef {
        let w = self.w;
        let mix = net.mix();
        let cats = [
            (EpCat::Microsoft, mix[0]),
            (EpCat::Web, mix[1]),
            (EpCat::Internal, mix[2]),
            (EpCat::Bad, mix[3]),
            (EpCat::Repo, mix[4]),
        ];
        let cat = *pick_at(&cats, self.rng.random());
        let remote = w.ep_pools[cat as usize].sample(&mut self.rng);
        let e = &w.endpoints[remote];
        NetRef {
            remote: Some(remote as u32),
            local_port: self.rng.random_range(49_152..65_535),
            remote_port: e.port,
            url: None,
            udp: e.udp,
        }
    }

    fn logon_user(&mut self, who: Who, dev: u16) -> u16 {
        let w = self.w;
        let device = &w.devices[dev as usize];
        match who {
            Who::System => SYSTEM,
            Who::Service => (w.services.start + self.rng.random_range(0..w.services.len())) as u16,
            Who::Admin => (w.admins.start + self.rng.random_range(0..w.admins.len())) as u16,
            Who::Person if device.role.is_server() && self.chance(0.6) => {
                (w.admins.start + self.rng.random_range(0..w.admins.len())) as u16
            }
            Who::Person if device.role.is_server() || self.chance(0.1) => self.pick_person(),
            Who::Person => device.user,
        }
    }
}

pub(super) fn device_activity_column(kind: TableKind, name: &str) -> Option<Gen> {
    use TableKind as T;
    Some(match (kind, name) {
        (T::DeviceProcessEvents, "AdditionalFields") => g(|c| {
            let unix = c.device().is_some_and(|d| !d.role.is_windows());
            if unix && c.chance(0.8) {
                c.render_json(POSIX_FIELDS, true);
            } else {
                c.raw_of(&[("null", 9), (r#""{}""#, 1)]);
            }
        }),
        (T::DeviceFileEvents, "AdditionalFields") => when(
            |e| e.file,
            false,
            |c, f| {
                let w = c.w;
                match (f, c.rng.random_range(0..10)) {
                    (_, 0) => c.raw(r#""{}""#),
                    (_, 1 | 2) => c.null(),
                    (FileRef::Pool(i), _) => {
                        let kind = w.files[i as usize].kind;
                        c.stringified(|c| {
                            c.raw("{");
                            c.key("FileType");
                            c.str(kind);
                            c.raw("}");
                        });
                    }
                    _ => c.raw(r#""{\"FileType\":\"PortableExecutable\"}""#),
                }
            },
        ),
        (T::DeviceNetworkEvents, "AdditionalFields") => g(|c| {
            let template = match c.ev.action {
                "SslConnectionInspected" => {
                    r#"{"direction":"Out","server_name":"{{rhost}}","established":true,"version":"TLS 1.2","client_cipher_suites":"0x1302,0x1303,0x1301"}"#
                }
                "HttpConnectionInspected" => {
                    r#"{"direction":"Out","host":"{{rhost}}","method":"GET","status_code":"200","uri":"/{{hex8}}/update.bin","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}"#
                }
                "DnsConnectionInspected" => {
                    r#"{"direction":"Out","query":"{{rhost}}","query_type":"A","query_class":"IN","rcode_name":"NOERROR","uid":"C{{hex16}}"}"#
                }
                _ => "",
            };
            if template.is_empty() {
                c.null()
            } else {
                c.render_json(template, true)
            }
        }),
        (T::DeviceLogonEvents, "AdditionalFields") => g(|c| {
            let local = !LOGONS[c.ev.spec as usize].remote;
            match (c.rng.random_range(0..10), local) {
                (0 | 1, _) => c.null(),
                (_, true) => c.raw(r#""{\"IsLocalLogon\":true}""#),
                (_, false) => c.raw(r#""{\"IsLocalLogon\":false}""#),
            }
        }),
        (T::DeviceEvents, "AdditionalFields") => {
            g(|c| match DEVICE_EVENTS[c.ev.spec as usize].fields {
                Some(template) => c.render_json(template, true),
                None => c.raw_of(&[("null", 7), (r#""{}""#, 1)]),
            })
        }
        (_, "AdditionalFields") => raw(&[("null", 8), (r#""{}""#, 2)]),
        (T::DeviceFileEvents, "PreviousFileName") => when(
            |e| e.file.filter(|_| e.previous),
            true,
            |c, f| {
                let name = c.file_view(f).name;
                let previous = format!(
                    "~${}.tmp",
                    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
                );
                c.str(&previous);
            },
        ),
        (T::DeviceFileEvents, "PreviousFolderPath") => when(
            |e| e.file.filter(|_| e.previous),
            true,
            |c, f| {
                let v = c.file_view(f);
                c.path(v.dir, "", false);
            },
        ),
        (T::DeviceFileEvents, "RequestProtocol") => {
            g(|c| c.str(if c.ev.peer.is_some() { "Smb" } else { "Local" }))
        }
        (T::DeviceFileEvents, "RequestSourceIP") => when(
            |e| e.peer,
            true,
            |c, p| {
                let w = c.w;
                c.str(&w.devices[p as usize].ip);
            },
        ),
        (T::DeviceFileEvents, "RequestSourcePort") => when(
            |e| e.peer,
            false,
            |c, _| {
                let port = c.rng.random_range(49_152..65_535u64);
                c.uint(port);
            },
        ),
        (T::DeviceFileEvents, "ShareName") => when(|e| e.peer, true, |c, _| c.lit(SHARES)),
        (T::DeviceFileEvents, "SensitivityLabel") => lit(&[
            (None, 90),
            (Some("General"), 6),
            (Some("Confidential"), 3),
            (Some("Highly Confidential"), 1),
        ]),
        (T::DeviceFileEvents, "SensitivitySubLabel") => {
            lit(&[(None, 95), (Some("All Employees"), 4), (Some("Finance"), 1)])
        }
        (T::DeviceFileEvents, "IsAzureInfoProtectionApplied") => raw(&[("null", 7), ("false", 3)]),
        (T::DeviceLogonEvents, "LogonId") => when(
            |e| e.accts[SUBJECT],
            false,
            |c, u| {
                let id = match u {
                    SYSTEM => 999,
                    NETWORK_SERVICE => 996,
                    _ => 0x10000 + hash2(c.salt, c.ev.seq) % 0xff_ffff,
                };
                c.uint(id);
            },
        ),
        (T::DeviceLogonEvents, "LogonType") => g(|c| c.str(LOGONS[c.ev.spec as usize].logon_type)),
        (T::DeviceLogonEvents, "Protocol") => g(|c| c.lit(LOGONS[c.ev.spec as usize].protocols)),
        (T::DeviceLogonEvents, "FailureReason") => g(|c| {
            if c.ev.flag {
                c.lit(LOGON_FAILURES)
            } else {
                c.null()
            }
        }),
        (T::DeviceLogonEvents, "IsLocalAdmin") => when(
            |e| e.accts[SUBJECT],
            false,
            |c, u| match c.w.users[u as usize].kind {
                UserKind::Admin => c.bool(true),
                UserKind::Person => {
                    let admin = c.ev.flag && c.chance(0.1);
                    c.bool(admin);
                }
                _ => c.null(),
            },
        ),
        (T::DeviceLogonEvents, "RemoteIPType") => when(
            |e| e.net.and_then(|n| n.remote),
            true,
            |c, r| {
                let w = c.w;
                c.str(if w.endpoints[r as usize].cat == EpCat::Bad {
                    "Public"
                } else {
                    "Private"
                });
            },
        ),
        (_, "ReportId") => g(|c| {
            let v = c.counter(7);
            c.uint(v);
        }),
        _ => return None,
    })
}
