//! Choosing a record's entities and deriving their details: devices,
//! people, process chains (parents, accounts, long-running and new
//! instances), and the process and account attributes columns show
//! (integrity, elevation, logon and session ids, signer, remote sessions,
//! domains, SIDs).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::HOUR;
use super::catalogue::processes::{PROCS, RunAs};
use super::random::{hash2, hash3};
use super::records::{Ctx, INIT, PARENT, ProcInst};
use super::text::push_u64;
use super::world::{Act, Dom, LOCAL_SERVICE, NETWORK_SERVICE, ROOT, Role, SYSTEM, UserKind, WIN};

impl<'w> Ctx<'w> {
    // ── choosing entities ──

    pub(super) fn pick_device(&mut self, windows_only: bool) -> u16 {
        let pool = if windows_only {
            &self.w.windows_devices
        } else {
            &self.w.all_devices
        };
        pool.sample(&mut self.rng) as u16
    }

    pub(super) fn pick_person(&mut self) -> u16 {
        self.w.person_pool.sample(&mut self.rng) as u16
    }

    /// A process of the catalogue that does `act` on a device of `role`.
    pub(super) fn pick_proc(&mut self, dev: u16, act: Act) -> u16 {
        let role = self.w.devices[dev as usize].role;
        let pool = &self.w.proc_pools[role as usize][act as usize];
        let pool = if pool.is_empty() {
            &self.w.proc_pools[role as usize][Act::Spawn as usize]
        } else {
            pool
        };
        pool.sample(&mut self.rng) as u16
    }

    /// The catalogue process named `name` if it runs on the device, else one
    /// that does `act` there.
    pub(super) fn proc_named(&mut self, dev: u16, name: &str, act: Act) -> u16 {
        let role = self.w.devices[dev as usize].role;
        match self.w.proc_by_name(name, role) {
            Some(p) => p,
            None => self.pick_proc(dev, act),
        }
    }

    pub(super) fn parent_of(&mut self, spec: u16, dev: u16) -> u16 {
        let w = self.w;
        let role = w.devices[dev as usize].role;
        let parents = &w.procs[spec as usize].parents;
        let total: u32 = parents
            .iter()
            .filter(|(p, _)| w.procs[*p as usize].spec.hosts & role.bit() != 0)
            .map(|(_, wt)| u32::from(*wt))
            .sum();
        if total > 0 {
            let mut x = self.rng.random_range(0..total);
            for &(p, wt) in parents {
                if w.procs[p as usize].spec.hosts & role.bit() == 0 {
                    continue;
                }
                if x < u32::from(wt) {
                    return p;
                }
                x -= u32::from(wt);
            }
        }
        w.root_proc(role)
    }

    /// The account a process runs as on a device.
    pub(super) fn run_user(&mut self, spec: u16, dev: u16, inherited: Option<u16>) -> u16 {
        let w = self.w;
        let device = &w.devices[dev as usize];
        match w.procs[spec as usize].spec.run_as {
            RunAs::System => SYSTEM,
            RunAs::NetworkService => NETWORK_SERVICE,
            RunAs::Root => ROOT,
            RunAs::Account(name) => w.user_by_name(name).unwrap_or(SYSTEM),
            RunAs::Inherit if inherited.is_some() => inherited.unwrap_or(SYSTEM),
            RunAs::User | RunAs::Inherit => match device.role {
                Role::Linux if self.chance(0.3) => ROOT,
                Role::Linux => (w.admins.start + self.rng.random_range(0..w.admins.len())) as u16,
                r if r.is_server() => {
                    if self.chance(0.7) {
                        (w.admins.start + self.rng.random_range(0..w.admins.len())) as u16
                    } else {
                        (w.services.start + self.rng.random_range(0..w.services.len())) as u16
                    }
                }
                _ if self.chance(0.95) => device.user,
                _ => self.pick_person(),
            },
        }
    }

    /// A long-running process instance: the same device, process and period
    /// give the same pid, creation time and unique id across records.
    pub(super) fn stable_proc(&mut self, spec: u16, dev: u16, user: u16) -> ProcInst {
        let life = match self.w.procs[spec as usize].spec.run_as {
            RunAs::User => 6 * HOUR,
            RunAs::Inherit => HOUR,
            _ => 48 * HOUR,
        };
        let epoch = self.ev.ts.div_euclid(life);
        let key = hash3(
            u64::from(dev) << 32 | u64::from(spec),
            epoch as u64,
            u64::from(user) ^ self.w.seed,
        );
        let created = epoch * life - 1_000_000 - (key % life as u64) as i64;
        ProcInst {
            spec,
            pid: self.pid(spec, dev, key),
            created: created - created.rem_euclid(100),
            key,
            user,
        }
    }

    /// A process created at the event's time.
    pub(super) fn new_proc(&mut self, spec: u16, dev: u16, user: u16) -> ProcInst {
        let key: u64 = self.rng.random();
        ProcInst {
            spec,
            pid: self.pid(spec, dev, key),
            created: self.ev.ts,
            key,
            user,
        }
    }

    fn pid(&self, spec: u16, dev: u16, key: u64) -> u32 {
        if matches!(PROCS[spec as usize].name, "systemd" | "launchd") {
            return 1;
        }
        match self.w.devices[dev as usize].role {
            Role::Linux => 1_000 + (key % 400_000) as u32,
            Role::Mac => 300 + (key % 99_000) as u32,
            _ => 4 * (100 + (key % 9_000) as u32),
        }
    }

    /// Sets the record's device, initiating process, its parent and account.
    pub(super) fn chain(&mut self, dev: u16, init: u16) {
        self.ev.device = Some(dev);
        let user = self.run_user(init, dev, None);
        let init_inst = self.stable_proc(init, dev, user);
        let parent = self.parent_of(init, dev);
        let parent_user = self.run_user(parent, dev, Some(user));
        let mut parent_inst = self.stable_proc(parent, dev, parent_user);
        parent_inst.created = parent_inst.created.min(init_inst.created - 2_170_000);
        self.ev.procs[INIT] = Some(init_inst);
        self.ev.procs[PARENT] = Some(parent_inst);
        self.ev.accts[INIT] = Some(user);
    }

    /// A device and an initiating process that does `act` on it.
    pub(super) fn device_activity(&mut self, act: Act, windows_only: bool) -> u16 {
        let dev = self.pick_device(windows_only);
        let init = self.pick_proc(dev, act);
        self.chain(dev, init);
        dev
    }

    // ── process details ──

    pub(super) fn command_line(&mut self, p: ProcInst) {
        // One instance keeps one command line: render it from its own stream.
        let saved = std::mem::replace(&mut self.rng, ChaCha8Rng::seed_from_u64(p.key));
        let template = *self.pick(self.spec(p).cmds);
        self.tpl_proc = Some(p);
        self.render(template);
        self.tpl_proc = None;
        self.rng = saved;
    }

    fn is_windows_proc(&self, p: ProcInst) -> bool {
        self.spec(p).hosts & WIN != 0
    }

    pub(super) fn integrity(&self, p: ProcInst) -> Option<&'static str> {
        if !self.is_windows_proc(p) {
            return None;
        }
        Some(match self.w.users[p.user as usize].kind {
            UserKind::Builtin | UserKind::Root => "System",
            UserKind::Service | UserKind::Admin => "High",
            UserKind::Person if p.key.is_multiple_of(20) => "High",
            UserKind::Person => "Medium",
        })
    }

    pub(super) fn elevation(&self, p: ProcInst) -> &'static str {
        if !self.is_windows_proc(p) {
            return "None";
        }
        match self.w.users[p.user as usize].kind {
            UserKind::Admin => "TokenElevationTypeFull",
            UserKind::Person if p.key.is_multiple_of(20) => "TokenElevationTypeFull",
            UserKind::Person if !p.key.is_multiple_of(5) => "TokenElevationTypeLimited",
            _ => "TokenElevationTypeDefault",
        }
    }

    pub(super) fn logon_id(&self, p: ProcInst) -> u64 {
        if !self.is_windows_proc(p) {
            return 0;
        }
        match p.user {
            SYSTEM => 999,
            LOCAL_SERVICE => 997,
            NETWORK_SERVICE => 996,
            _ => 0x10000 + (p.key >> 8) % 0xff_ffff,
        }
    }

    pub(super) fn session_id(&self, p: ProcInst) -> Option<u64> {
        if !self.is_windows_proc(p) {
            return None;
        }
        Some(match self.w.users[p.user as usize].kind {
            UserKind::Person | UserKind::Admin => 1 + (p.key >> 20) % 2,
            _ => 0,
        })
    }

    /// (`SignerType`, `SignatureStatus`) of a process image.
    pub(super) fn signer_type(&self, p: ProcInst) -> (Option<&'static str>, &'static str) {
        let ver = &self.spec(p).ver;
        match ver.company {
            "" => (None, "Unsigned"),
            "(APPLE)" => (Some("OsVendor"), "Valid"),
            "Microsoft Corporation" if ver.product.contains("Windows") => {
                (Some("OsVendor"), "Valid")
            }
            "Microsoft Corporation" => (Some("Microsoft"), "Valid"),
            c if c.starts_with("gentilkiwi") => (None, "Unsigned"),
            _ => (Some("ThirdParty"), "Valid"),
        }
    }

    /// The device a person works from when a server process runs in their
    /// RDP session.
    pub(super) fn remote_session(&self, p: ProcInst) -> Option<usize> {
        let device = self.device()?;
        let user = &self.w.users[p.user as usize];
        (device.role.is_server()
            && device.role.is_windows()
            && matches!(user.kind, UserKind::Admin | UserKind::Person)
            && p.key.is_multiple_of(3))
        .then(|| self.w.persons_device(p.user))
    }

    // ── account details ──

    pub(super) fn account_domain(&self, u: u16) -> &'w str {
        let user = &self.w.users[u as usize];
        if self.is_local_account(user) {
            return self.device_name();
        }
        match user.domain {
            Dom::NtAuthority => "nt authority",
            Dom::Corp => "contoso",
        }
    }

    pub(super) fn account_sid(&mut self, u: u16) {
        let w = self.w;
        let user = &w.users[u as usize];
        if self.is_local_account(user) {
            match self.device() {
                Some(d) if d.role == Role::Mac => {
                    let mut sid = String::from("S-1-5-21-");
                    for part in [d.key as u32, (d.key >> 32) as u32, hash2(d.key, 7) as u32] {
                        push_u64(&mut sid, u64::from(part));
                        sid.push('-');
                    }
                    push_u64(&mut sid, 1_000 + u64::from(u) % 1_000);
                    self.str(&sid);
                }
                _ => self.null(),
            }
        } else {
            self.opt(user.sid.as_deref());
        }
    }
}
