//! The simulated organisation (`World`) every table draws from: device
//! roles, devices and accounts, the process, file, DLL, endpoint and URL
//! pools, and the e-mail messages and alerts derived from their numbers, all
//! built from the seed and the catalogue.

use std::collections::BTreeSet;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::catalogue::alerts::{ALERTS, AlertSpec, MDE};
use super::catalogue::device_activity::{DEVICE_EVENTS, LOGONS, REGISTRY};
use super::catalogue::email::{ATTACHMENTS, PARTNER_CONTACTS, SENDERS, SUBJECTS};
use super::catalogue::files::{DLLS, DllSpec, FILE_KINDS};
use super::catalogue::network::{GEOS, HOME_GEOS, HOSTS, URL_SITES};
use super::catalogue::org::{
    ADMINS, CORP_EGRESS, DOMAIN_SID, FIRST_NAMES, FLEET, LAST_NAMES, OsSpec, PERSONS,
    SERVICE_ACCOUNTS,
};
use super::catalogue::processes::{PROCS, ProcSpec};
use super::catalogue::templates::PAYLOADS;
use super::random::{Pool, hash2, hash3, mix64, pick, pick_at, unit};
use super::text::{guid, hash_hex, push_hash, push_hex, push_u64};
use super::{HOUR, TICKS_AT_UNIX_EPOCH};

/// Device roles; each has its own process, file and logon mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Workstation,
    Laptop,
    Dc,
    Sql,
    FileServer,
    Web,
    App,
    Linux,
    Mac,
}

const ROLES: [Role; 9] = [
    Role::Workstation,
    Role::Laptop,
    Role::Dc,
    Role::Sql,
    Role::FileServer,
    Role::Web,
    Role::App,
    Role::Linux,
    Role::Mac,
];

impl Role {
    pub(super) const fn bit(self) -> u16 {
        1 << self as u16
    }

    pub(super) fn is_windows(self) -> bool {
        !matches!(self, Role::Linux | Role::Mac)
    }

    pub(super) fn is_server(self) -> bool {
        !matches!(self, Role::Workstation | Role::Laptop | Role::Mac)
    }
}

pub(super) const WKS: u16 = Role::Workstation.bit() | Role::Laptop.bit();
pub(super) const SRV: u16 =
    Role::Dc.bit() | Role::Sql.bit() | Role::FileServer.bit() | Role::Web.bit() | Role::App.bit();
pub(super) const WIN: u16 = WKS | SRV;
pub(super) const LNX: u16 = Role::Linux.bit();
pub(super) const MAC: u16 = Role::Mac.bit();

/// What a process does, for choosing the initiating process of each table.
#[derive(Debug, Clone, Copy)]
pub(super) enum Act {
    Spawn,
    Net,
    File,
    Reg,
    Img,
    Misc,
}
pub(super) const ACTS: usize = 6;

pub(super) struct ProcInfo {
    pub(super) spec: &'static ProcSpec,
    pub(super) hashes: Hashes,
    pub(super) parents: Vec<(u16, u16)>,
}

pub(super) struct Hashes {
    pub(super) sha1: String,
    pub(super) sha256: String,
    pub(super) md5: String,
}

impl Hashes {
    fn of(key: u64) -> Hashes {
        Hashes {
            sha1: hash_hex(key, 40),
            sha256: hash_hex(key ^ 0x256, 64),
            md5: hash_hex(key ^ 0x5, 32),
        }
    }
}

pub(super) struct Device {
    pub(super) name: String,
    pub(super) id: String,
    pub(super) role: Role,
    pub(super) os: &'static OsSpec,
    /// Primary user (people's devices) or first admin (servers).
    pub(super) user: u16,
    pub(super) ip: String,
    pub(super) mac: String,
    pub(super) public_ip: String,
    pub(super) group: Option<&'static str>,
    pub(super) vendor: &'static str,
    pub(super) model: &'static str,
    pub(super) aad: Option<String>,
    /// Azure VM id, for servers running in Azure.
    pub(super) azure: Option<String>,
    pub(super) key: u64,
}

impl Device {
    pub(super) fn gateway(&self) -> String {
        let (prefix, _) = self.ip.rsplit_once('.').unwrap_or((self.ip.as_str(), ""));
        format!("{prefix}.1")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UserKind {
    Builtin,
    Root,
    Service,
    Admin,
    Person,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dom {
    NtAuthority,
    Corp,
}

pub(super) struct User {
    pub(super) name: String,
    pub(super) display: String,
    pub(super) kind: UserKind,
    pub(super) domain: Dom,
    pub(super) sid: Option<String>,
    pub(super) upn: Option<String>,
    pub(super) object_id: Option<String>,
    /// Index into `GEOS` of where they work from home.
    pub(super) home: u8,
    pub(super) key: u64,
}

pub(super) const SYSTEM: u16 = 0;
pub(super) const LOCAL_SERVICE: u16 = 1;
pub(super) const NETWORK_SERVICE: u16 = 2;
pub(super) const ROOT: u16 = 3;

/// Endpoint categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EpCat {
    Microsoft,
    Web,
    Internal,
    Bad,
    Repo,
    /// A device of the fleet, as the client side of a connection.
    Client,
}
const EP_CATS: usize = 6;

pub(super) struct Endpoint {
    pub(super) host: Option<&'static str>,
    pub(super) ip: String,
    pub(super) port: u16,
    pub(super) udp: bool,
    pub(super) cat: EpCat,
    pub(super) device: Option<u16>,
}

pub(super) struct FileEntry {
    pub(super) name: String,
    pub(super) dir: String,
    pub(super) hashes: Hashes,
    pub(super) size: u64,
    /// `AdditionalFields.FileType`.
    pub(super) kind: &'static str,
    /// Downloaded (has a `FileOriginUrl`).
    pub(super) origin: bool,
    pub(super) malicious: bool,
    /// Index into `FILE_KINDS`.
    source: u16,
    /// Share of its kind's activity (Zipf within the kind).
    weight: f64,
}

pub(super) struct DllInfo {
    pub(super) spec: &'static DllSpec,
    pub(super) hashes: Hashes,
}

pub(super) struct UrlEntry {
    pub(super) url: String,
    pub(super) domain: String,
    pub(super) ip: String,
    pub(super) bad: bool,
}

/// An e-mail message, derived from its number.
#[derive(Debug, Clone, Copy)]
pub(super) struct Msg {
    pub(super) key: u64,
    m: u64,
    pub(super) kind: MailKind,
    pub(super) sender: Sender,
    pub(super) recipient: u16,
    subject: u16,
    pub(super) direction: Direction,
    pub(super) attachments: u8,
    pub(super) urls: u8,
    pub(super) size: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MailKind {
    Clean,
    Bulk,
    Spam,
    Phish,
    Malware,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Sender {
    Internal(u16),
    External(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Inbound,
    Outbound,
    IntraOrg,
}

impl Direction {
    pub(super) fn name(self) -> &'static str {
        match self {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
            Direction::IntraOrg => "Intra-org",
        }
    }
}

impl Msg {
    /// Unique per message number (the GUID holds a bijection of it).
    pub(super) fn network_message_id(&self) -> String {
        guid(mix64(self.m ^ 0x6d5a_0e11), self.key)
    }

    pub(super) fn subject(&self) -> &'static str {
        SUBJECTS[self.kind as usize][self.subject as usize].0
    }

    pub(super) fn language(&self) -> &'static str {
        SUBJECTS[self.kind as usize][self.subject as usize].1
    }

    pub(super) fn cluster_id(&self) -> u64 {
        hash2(u64::from(self.subject) | (self.kind as u64) << 16, 77) % 4_000_000_000
    }
}

/// An alert, derived from its number.
#[derive(Debug, Clone, Copy)]
pub(super) struct AlertRef {
    no: u64,
    pub(super) spec: u16,
    pub(super) device: u16,
    pub(super) user: u16,
    pub(super) key: u64,
}

/// The simulated organisation everything is drawn from. Built from the seed
/// alone, so every table of an export (and every export of one seed) shares
/// the same devices, people and files.
pub(super) struct World {
    pub(super) seed: u64,
    pub(super) start: i64,
    pub(super) span: i64,
    /// Expected number of messages in EmailEvents.
    pub(super) emails: u64,
    /// The tenant GUID of the export.
    pub(super) tenant: String,
    pub(super) tenant_number: u64,
    pub(super) devices: Vec<Device>,
    pub(super) all_devices: Pool,
    pub(super) windows_devices: Pool,
    pub(super) dcs: Vec<usize>,
    pub(super) users: Vec<User>,
    pub(super) persons: std::ops::Range<usize>,
    pub(super) admins: std::ops::Range<usize>,
    pub(super) services: std::ops::Range<usize>,
    pub(super) person_pool: Pool,
    /// Each person's first device.
    person_devices: Vec<u16>,
    pub(super) procs: Vec<ProcInfo>,
    pub(super) proc_pools: Vec<[Pool; ACTS]>,
    pub(super) files: Vec<FileEntry>,
    pub(super) file_pools: Vec<Pool>,
    pub(super) bad_files: Pool,
    pub(super) dlls: Vec<DllInfo>,
    pub(super) dll_pool: Pool,
    pub(super) endpoints: Vec<Endpoint>,
    pub(super) ep_pools: [Pool; EP_CATS],
    pub(super) urls: Vec<UrlEntry>,
    /// Benign and malicious URLs.
    pub(super) url_pools: [Pool; 2],
    senders: [Vec<u16>; 5],
    pub(super) payloads: Vec<String>,
    pub(super) registry_pool: Pool,
    pub(super) event_pool: Pool,
    pub(super) logon_pools: Vec<Pool>,
    alert_pool: Pool,
    pub(super) risky_geos: Vec<u8>,
}

const WORLD_SALT: u64 = 0x9d2c_5680_a1b2_c3d4;

impl World {
    pub(super) fn new(seed: u64, tenant: &str, start: i64, hours: u32, emails: u64) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(mix64(seed ^ WORLD_SALT));
        let (users, persons, admins, services) = build_users(&mut rng);
        let person_pool = Pool::zipf(persons.len(), 0.8, &mut rng);
        let person_pool = Pool {
            ids: person_pool
                .ids
                .iter()
                .map(|&i| i + persons.start as u32)
                .collect(),
            cum: person_pool.cum,
        };
        let devices = build_fleet(&mut rng, &users, persons.clone(), admins.start);
        let mut person_devices = vec![0u16; users.len()];
        for (i, d) in devices.iter().enumerate().rev() {
            if !d.role.is_server() {
                person_devices[d.user as usize] = i as u16;
            }
        }
        let weights: Vec<f64> = {
            let zipf = Pool::zipf(devices.len(), 0.7, &mut rng);
            let mut w = vec![0.0; devices.len()];
            let mut previous = 0.0;
            for (&id, &cum) in zipf.ids.iter().zip(&zipf.cum) {
                w[id as usize] = cum - previous;
                previous = cum;
            }
            devices
                .iter()
                .zip(w)
                .map(|(d, w)| {
                    w * FLEET
                        .iter()
                        .find(|g| g.role == d.role)
                        .map_or(1.0, |g| g.weight)
                })
                .collect()
        };
        let all_devices = Pool::new(weights.iter().copied().enumerate());
        let windows_devices = Pool::new(
            weights
                .iter()
                .zip(&devices)
                .map(|(w, d)| if d.role.is_windows() { *w } else { 0.0 })
                .enumerate(),
        );
        let dcs = (0..devices.len())
            .filter(|&i| devices[i].role == Role::Dc)
            .collect();

        let procs: Vec<ProcInfo> = PROCS
            .iter()
            .map(|spec| ProcInfo {
                spec,
                hashes: Hashes::of(hash2(
                    seed,
                    xxhash_rust::xxh3::xxh3_64(spec.name.as_bytes()),
                )),
                // Parents by index, on the same kind of device.
                parents: spec
                    .parents
                    .iter()
                    .filter_map(|(name, w)| {
                        let p = PROCS
                            .iter()
                            .position(|p| p.name == *name && p.hosts & spec.hosts != 0)?;
                        Some((p as u16, *w))
                    })
                    .collect(),
            })
            .collect();
        let proc_pools = ROLES
            .iter()
            .map(|role| {
                std::array::from_fn(|act| {
                    Pool::new(PROCS.iter().enumerate().map(|(i, p)| {
                        let hosted = p.hosts & role.bit() != 0;
                        (i, if hosted { f64::from(p.acts[act]) } else { 0.0 })
                    }))
                })
            })
            .collect();

        let files = build_files(&mut rng, seed);
        let file_pools = ROLES
            .iter()
            .map(|role| {
                Pool::new(files.iter().enumerate().map(|(i, f)| {
                    let kind = &FILE_KINDS[f.source as usize];
                    let hosted = kind.hosts & role.bit() != 0 && !kind.malicious;
                    (i, if hosted { f.weight } else { 0.0 })
                }))
            })
            .collect();
        let bad_files = Pool::new(
            files
                .iter()
                .enumerate()
                .map(|(i, f)| (i, if f.malicious { 1.0 } else { 0.0 })),
        );
        let dlls = DLLS
            .iter()
            .map(|spec| DllInfo {
                spec,
                hashes: Hashes::of(hash2(
                    seed ^ 0xd11,
                    xxhash_rust::xxh3::xxh3_64(spec.name.as_bytes()),
                )),
            })
            .collect();
        let dll_pool = Pool::new(
            DLLS.iter()
                .enumerate()
                .map(|(i, d)| (i, f64::from(d.weight))),
        );

        let endpoints = build_endpoints(seed, &devices);
        let ep_pools = std::array::from_fn(|cat| {
            Pool::new(endpoints.iter().enumerate().map(|(i, e)| {
                let weight = if e.cat as usize == cat {
                    1.0 / (1.0 + (i % 13) as f64)
                } else {
                    0.0
                };
                (i, weight)
            }))
        });
        let urls = build_urls(&mut rng);
        let url_pools = std::array::from_fn(|bad| {
            Pool::new(
                urls.iter()
                    .enumerate()
                    .map(|(i, u)| (i, if u.bad == (bad == 1) { 1.0 } else { 0.0 })),
            )
        });
        let senders = std::array::from_fn(|kind| {
            (0..SENDERS.len() as u16)
                .filter(|&s| SENDERS[s as usize].kind as usize == kind)
                .collect()
        });
        let payloads = PAYLOADS.iter().map(|p| encode_powershell(p)).collect();
        let registry_pool = Pool::new(
            REGISTRY
                .iter()
                .enumerate()
                .map(|(i, r)| (i, f64::from(r.weight))),
        );
        let event_pool = Pool::new(
            DEVICE_EVENTS
                .iter()
                .enumerate()
                .map(|(i, e)| (i, f64::from(e.weight))),
        );
        let logon_pools = ROLES
            .iter()
            .map(|role| {
                Pool::new(LOGONS.iter().enumerate().map(|(i, l)| {
                    (
                        i,
                        if l.hosts & role.bit() != 0 {
                            f64::from(l.weight)
                        } else {
                            0.0
                        },
                    )
                }))
            })
            .collect();
        let alert_pool = Pool::new(
            ALERTS
                .iter()
                .enumerate()
                .map(|(i, a)| (i, f64::from(a.weight))),
        );
        let risky_geos = (0..GEOS.len() as u8)
            .filter(|&g| GEOS[g as usize].risky)
            .collect();
        World {
            seed,
            start,
            span: i64::from(hours) * HOUR,
            emails,
            tenant: tenant.to_string(),
            tenant_number: 4_000_000_000_000_000_000
                + hash2(seed, 0x7e4a) % 1_000_000_000_000_000_000,
            devices,
            all_devices,
            windows_devices,
            dcs,
            users,
            persons,
            admins,
            services,
            person_pool,
            person_devices,
            procs,
            proc_pools,
            files,
            file_pools,
            bad_files,
            dlls,
            dll_pool,
            endpoints,
            ep_pools,
            urls,
            url_pools,
            senders,
            payloads,
            registry_pool,
            event_pool,
            logon_pools,
            alert_pool,
            risky_geos,
        }
    }

    pub(super) fn proc_by_name(&self, name: &str, role: Role) -> Option<u16> {
        PROCS
            .iter()
            .position(|p| p.name == name && p.hosts & role.bit() != 0)
            .map(|i| i as u16)
    }

    /// The process every chain starts from.
    pub(super) fn root_proc(&self, role: Role) -> u16 {
        let name = match role {
            Role::Linux => "systemd",
            Role::Mac => "launchd",
            _ => "services.exe",
        };
        self.proc_by_name(name, role).unwrap_or(0)
    }

    pub(super) fn user_by_name(&self, name: &str) -> Option<u16> {
        self.users
            .iter()
            .position(|u| u.name == name)
            .map(|i| i as u16)
    }

    /// The device a person uses (admins and service accounts: a workstation).
    pub(super) fn persons_device(&self, user: u16) -> usize {
        match self.person_devices.get(user as usize) {
            Some(&d) if self.devices[d as usize].user == user => d as usize,
            _ => (hash2(self.seed, u64::from(user)) % (self.devices.len() as u64 / 2)) as usize,
        }
    }

    pub(super) fn message(&self, m: u64) -> Msg {
        let key = hash2(self.seed ^ 0x3a11, m);
        let kind = *pick_at(
            &[
                (MailKind::Clean, 78),
                (MailKind::Bulk, 8),
                (MailKind::Spam, 7),
                (MailKind::Phish, 5),
                (MailKind::Malware, 2),
            ],
            key,
        );
        let recipient = self.person_pool.at(unit(key >> 3)) as u16;
        let direction = match (kind, key % 100) {
            (MailKind::Clean, 0..=14) => Direction::IntraOrg,
            (MailKind::Clean, 15..=19) => Direction::Outbound,
            _ => Direction::Inbound,
        };
        let sender = if direction == Direction::Inbound {
            let list = &self.senders[kind as usize];
            Sender::External(list[(key >> 17) as usize % list.len()])
        } else {
            Sender::Internal(self.person_pool.at(unit(key >> 5)) as u16)
        };
        let (attachments, urls) = match kind {
            MailKind::Clean => (
                if key.is_multiple_of(4) {
                    1 + (key >> 40) % 3
                } else {
                    0
                },
                (key >> 44) % 12,
            ),
            MailKind::Bulk => (0, 5 + (key >> 44) % 25),
            MailKind::Spam => (0, 1 + (key >> 44) % 4),
            MailKind::Phish => ((key >> 40) % 2, 1 + (key >> 44) % 3),
            MailKind::Malware => (1 + (key >> 40) % 2, (key >> 44) % 2),
        };
        Msg {
            key,
            m,
            kind,
            sender,
            recipient,
            subject: ((key >> 23) % SUBJECTS[kind as usize].len() as u64) as u16,
            direction,
            attachments: attachments as u8,
            urls: urls as u8,
            size: 8_000 + ((key >> 30) % 400_000) as u32 + 250_000 * attachments as u32,
        }
    }

    /// The `k`-th URL of a message (phishing messages link to bad sites).
    pub(super) fn message_url(&self, msg: &Msg, k: u16) -> u32 {
        let bad = matches!(msg.kind, MailKind::Phish | MailKind::Malware);
        self.url_pools[usize::from(bad)].at(unit(hash2(msg.key, u64::from(k)))) as u32
    }

    /// The `k`-th attachment of a message: its name and content key (hash, size).
    pub(super) fn attachment(&self, msg: &Msg, k: u16) -> (&'static str, u64) {
        let names = ATTACHMENTS[msg.kind as usize];
        let h = hash2(msg.key ^ 0xa77, u64::from(k));
        let name = names[(h % names.len() as u64) as usize];
        // Few distinct contents, so one hash is seen in several messages.
        let variants = if msg.kind == MailKind::Clean { 40 } else { 6 };
        (
            name,
            hash3(
                self.seed,
                xxhash_rust::xxh3::xxh3_64(name.as_bytes()),
                (h >> 32) % variants,
            ),
        )
    }

    pub(super) fn sender_address(&self, msg: &Msg) -> String {
        match msg.sender {
            Sender::Internal(u) => self.users[u as usize].upn.clone().unwrap_or_default(),
            Sender::External(s) => SENDERS[s as usize].address.to_string(),
        }
    }

    pub(super) fn recipient_address(&self, msg: &Msg) -> String {
        if msg.direction == Direction::Outbound {
            let (first, last) = PARTNER_CONTACTS[(msg.key >> 13) as usize % PARTNER_CONTACTS.len()];
            format!("{first}.{last}@fabrikam.com")
        } else {
            self.users[msg.recipient as usize]
                .upn
                .clone()
                .unwrap_or_default()
        }
    }

    pub(super) fn alert(&self, no: u64) -> AlertRef {
        let key = hash2(self.seed ^ 0xa1e7, no);
        let device = self.windows_devices.at(unit(key >> 2)) as u16;
        AlertRef {
            no,
            spec: self.alert_pool.at(unit(key)) as u16,
            device,
            user: self.devices[device as usize].user,
            key,
        }
    }

    /// `AlertId`: unique per alert number, in the format of the service.
    pub(super) fn alert_id(&self, a: AlertRef, spec: &AlertSpec) -> String {
        let mut id = String::with_capacity(42);
        if spec.service == MDE {
            let ticks =
                (self.start / 100 + TICKS_AT_UNIX_EPOCH) as u64 + a.no * 7_919 + a.key % 7_919;
            id.push_str("da");
            push_u64(&mut id, ticks);
            id.push_str("_-");
            push_u64(&mut id, (a.key >> 33) % 2_147_483_647);
        } else {
            id.push_str(spec.id_prefix());
            push_hex(&mut id, mix64(a.no ^ self.seed), 16, false);
            push_hash(&mut id, a.key, 24);
        }
        id
    }
}

fn build_users(
    rng: &mut ChaCha8Rng,
) -> (
    Vec<User>,
    std::ops::Range<usize>,
    std::ops::Range<usize>,
    std::ops::Range<usize>,
) {
    let mut users = Vec::new();
    let mut taken = BTreeSet::new();
    let builtin = |name: &str, display: &str, sid: &str, kind, domain| User {
        name: name.to_string(),
        display: display.to_string(),
        kind,
        domain,
        sid: (!sid.is_empty()).then(|| sid.to_string()),
        upn: None,
        object_id: None,
        home: 0,
        key: xxhash_rust::xxh3::xxh3_64(name.as_bytes()),
    };
    users.push(builtin(
        "system",
        "SYSTEM",
        "S-1-5-18",
        UserKind::Builtin,
        Dom::NtAuthority,
    ));
    users.push(builtin(
        "local service",
        "LOCAL SERVICE",
        "S-1-5-19",
        UserKind::Builtin,
        Dom::NtAuthority,
    ));
    users.push(builtin(
        "network service",
        "NETWORK SERVICE",
        "S-1-5-20",
        UserKind::Builtin,
        Dom::NtAuthority,
    ));
    users.push(builtin("root", "root", "", UserKind::Root, Dom::Corp));
    let account = |users: &mut Vec<User>,
                   name: String,
                   display: String,
                   kind: UserKind,
                   rid: usize,
                   rng: &mut ChaCha8Rng| {
        let key: u64 = rng.random();
        let home = *pick(rng, HOME_GEOS);
        users.push(User {
            upn: Some(format!("{name}@contoso.com")),
            sid: Some(format!("{DOMAIN_SID}-{rid}")),
            object_id: Some(guid(key, key.rotate_left(23))),
            name,
            display,
            kind,
            domain: Dom::Corp,
            home,
            key,
        });
    };
    let services_start = users.len();
    for (i, name) in SERVICE_ACCOUNTS.iter().enumerate() {
        account(
            &mut users,
            name.to_string(),
            name.to_string(),
            UserKind::Service,
            1_120 + i,
            rng,
        );
    }
    let services = services_start..users.len();
    let mut people = Vec::new();
    for _ in 0..PERSONS {
        let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
        let folded_first = ascii_fold(first);
        let base = format!(
            "{}{}",
            folded_first.chars().next().unwrap_or('x'),
            ascii_fold(last)
        );
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        people.push((name, format!("{first} {last}")));
    }
    let admins_start = users.len();
    for (i, (name, display)) in people.iter().take(ADMINS).enumerate() {
        account(
            &mut users,
            format!("adm-{name}"),
            format!("{display} (Admin)"),
            UserKind::Admin,
            1_150 + i,
            rng,
        );
    }
    let admins = admins_start..users.len();
    let persons_start = users.len();
    for (i, (name, display)) in people.into_iter().enumerate() {
        account(
            &mut users,
            name,
            display,
            UserKind::Person,
            1_201 + i * 3,
            rng,
        );
    }
    let persons = persons_start..users.len();
    (users, persons, admins, services)
}

/// Lower-case ASCII letters of a name (`Müller` → `muller`, `O'Brien` → `obrien`).
pub(super) fn ascii_fold(s: &str) -> String {
    s.chars()
        .flat_map(|c| c.to_lowercase())
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ä' | 'å' | 'ã' => Some('a'),
            'ç' | 'ć' | 'č' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ę' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ı' => Some('i'),
            'ł' => Some('l'),
            'ñ' | 'ń' => Some('n'),
            'ò' | 'ó' | 'ô' | 'ö' | 'ø' | 'õ' => Some('o'),
            'ś' | 'š' | 'ş' => Some('s'),
            'ù' | 'ú' | 'û' | 'ü' | 'ư' => Some('u'),
            'ý' | 'ÿ' => Some('y'),
            'ž' | 'ź' | 'ż' => Some('z'),
            'ğ' => Some('g'),
            'ễ' => Some('e'),
            _ => None,
        })
        .collect()
}

fn build_fleet(
    rng: &mut ChaCha8Rng,
    users: &[User],
    persons: std::ops::Range<usize>,
    first_admin: usize,
) -> Vec<Device> {
    let mut order: Vec<usize> = persons.collect();
    order.shuffle(rng);
    let mut owners = order.into_iter().cycle();
    let mut devices = Vec::new();
    for group in FLEET {
        let mut number = 0usize;
        for i in 0..group.count {
            number += if group.gaps {
                rng.random_range(1..=4)
            } else {
                1
            };
            let owner = if group.role.is_server() {
                first_admin
            } else {
                owners.next().unwrap_or(first_admin)
            };
            let name = if group.role == Role::Mac {
                format!("{}{}", group.prefix, users[owner].name)
            } else if group.gaps {
                format!("{}{number:04}", group.prefix)
            } else {
                format!("{}{number:02}", group.prefix)
            };
            let key = hash2(rng.random(), devices.len() as u64);
            let (vendor, model) = group.hardware[rng.random_range(0..group.hardware.len())];
            let ip = format!(
                "10.{}.{}.{}",
                group.subnet.0,
                usize::from(group.subnet.1) + i / 240,
                10 + i % 240
            );
            let mut mac = String::with_capacity(17);
            for b in 0..6 {
                if b > 0 {
                    mac.push('-');
                }
                push_hex(&mut mac, key >> (8 * b), 2, true);
            }
            let public_ip = match group.role {
                Role::Laptop | Role::Mac => {
                    let geo = &GEOS[users[owner].home as usize];
                    format!("{}{}.{}", geo.prefix, key % 250 + 2, (key >> 8) % 250 + 2)
                }
                _ => format!("{}{}", CORP_EGRESS, 4 + key % 4),
            };
            let azure =
                (group.role.is_server() && group.role.is_windows() && key.is_multiple_of(2))
                    .then(|| guid(key.rotate_left(7), key));
            devices.push(Device {
                id: hash_hex(key, 40),
                os: pick::<&OsSpec>(rng, group.os),
                group: *pick(rng, group.groups),
                user: owner as u16,
                aad: (!group.role.is_server()).then(|| guid(key.rotate_left(11), key ^ 0xaad)),
                azure,
                name,
                role: group.role,
                ip,
                mac,
                public_ip,
                vendor,
                model,
                key,
            });
        }
    }
    devices
}

fn build_files(rng: &mut ChaCha8Rng, seed: u64) -> Vec<FileEntry> {
    let mut files = Vec::new();
    for (source, kind) in FILE_KINDS.iter().enumerate() {
        let norm: f64 = (0..kind.count).map(|j| 1.0 / (j as f64 + 1.0)).sum();
        for j in 0..kind.count {
            let template = kind.names[rng.random_range(0..kind.names.len())];
            let name = fill_digits(template, rng);
            let dir = fill_digits(kind.dir, rng);
            let ext = name
                .rsplit_once('.')
                .map_or("", |(_, e)| e)
                .to_ascii_lowercase();
            let (file_type, size_range) = match ext.as_str() {
                "exe" | "dll" | "sys" => ("PortableExecutable", 40_000..60_000_000),
                "msi" => ("Msi", 1_000_000..200_000_000),
                "pdf" => ("Pdf", 30_000..4_000_000),
                "docx" | "doc" => ("Docx", 12_000..2_000_000),
                "xlsx" | "xlsm" | "csv" => ("Xlsx", 8_000..6_000_000),
                "pptx" => ("Pptx", 200_000..30_000_000),
                "zip" | "iso" | "7z" => ("Zip", 50_000..80_000_000),
                "lnk" => ("Lnk", 1_000..4_000),
                "ps1" | "js" | "vbs" | "sh" | "bat" => ("Script", 200..60_000),
                "jpg" | "png" => ("Jpeg", 20_000..5_000_000),
                _ => ("Unknown", 0..2_000_000),
            };
            let key = hash3(
                seed,
                xxhash_rust::xxh3::xxh3_64(name.as_bytes()),
                files.len() as u64,
            );
            files.push(FileEntry {
                hashes: Hashes::of(key),
                size: rng.random_range(size_range),
                kind: file_type,
                origin: kind.origin,
                malicious: kind.malicious,
                source: source as u16,
                weight: kind.weight / (j as f64 + 1.0) / norm,
                name,
                dir,
            });
        }
    }
    files
}

/// Replaces `#` by random digits and `%` by random hex digits.
fn fill_digits(template: &str, rng: &mut ChaCha8Rng) -> String {
    template
        .chars()
        .map(|c| match c {
            '#' => char::from(b'0' + rng.random_range(0..10u8)),
            '%' => char::from(b"0123456789ABCDEF"[rng.random_range(0..16usize)]),
            c => c,
        })
        .collect()
}

fn build_endpoints(seed: u64, devices: &[Device]) -> Vec<Endpoint> {
    let mut endpoints = Vec::new();
    for (i, host) in HOSTS.iter().enumerate() {
        for n in 0..2u64 {
            let h = hash3(seed, i as u64, n);
            let prefix = host.prefixes[(h % host.prefixes.len() as u64) as usize];
            let ip = if prefix.matches('.').count() == 3 {
                format!("{prefix}{}", 2 + (h >> 8) % 250)
            } else {
                format!("{prefix}{}.{}", (h >> 8) % 250 + 2, (h >> 16) % 250 + 2)
            };
            endpoints.push(Endpoint {
                host: (!host.host.is_empty()).then_some(host.host),
                ip,
                port: host.port,
                udp: host.port == 53 || host.port == 123,
                cat: host.cat,
                device: None,
            });
        }
    }
    for (i, d) in devices.iter().enumerate() {
        let ports: &[u16] = match d.role {
            Role::Dc => &[88, 389, 445, 135, 53],
            Role::Sql => &[1433],
            Role::FileServer => &[445],
            Role::Web => &[443, 80],
            Role::App => &[443, 8080],
            Role::Linux => &[22, 443],
            _ => &[],
        };
        for &port in ports {
            endpoints.push(Endpoint {
                host: None,
                ip: d.ip.clone(),
                port,
                udp: port == 53,
                cat: EpCat::Internal,
                device: Some(i as u16),
            });
        }
        endpoints.push(Endpoint {
            host: None,
            ip: d.ip.clone(),
            port: 0,
            udp: false,
            cat: EpCat::Client,
            device: Some(i as u16),
        });
    }
    endpoints
}

fn build_urls(rng: &mut ChaCha8Rng) -> Vec<UrlEntry> {
    let mut urls = Vec::new();
    for site in URL_SITES {
        for path in site.paths {
            let path = fill_digits(path, rng);
            let h: u64 = rng.random();
            urls.push(UrlEntry {
                url: format!("https://{}{path}", site.domain),
                domain: site.domain.to_string(),
                ip: format!("{}{}", site.ip_prefix, 2 + h % 250),
                bad: site.bad,
            });
        }
    }
    urls
}

/// `powershell -enc` payload: base64 of the UTF-16LE command.
pub(super) fn encode_powershell(command: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = command.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
