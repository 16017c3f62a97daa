//! One record being built: the roles of its processes and accounts, the
//! entities its table's scenario chose (`Event`), and the rendering context
//! (`Ctx`) with its value writers, template expansion and entity look-ups.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::catalogue::processes::ProcSpec;
use super::catalogue::templates::{
    DOC_NAMES, PIPE_NAMES, PS_CMDLETS, SCRIPT_LINES, SERVICE_NAMES, TASKS, THREAT_NAMES,
};
use super::columns::Plan;
use super::random::{hash2, mix64, pick, pick_at};
use super::text::{
    ENVELOPE_TIME, TimeStyle, push_escaped, push_guid, push_hash, push_hex, push_i64,
    push_json_str, push_padded, push_time, push_u64,
};
use super::world::{AlertRef, Device, EpCat, Hashes, Msg, Role, User, UserKind, World};

/// Process roles in a record.
pub(super) const TARGET: usize = 0;
pub(super) const INIT: usize = 1;
pub(super) const PARENT: usize = 2;
/// Account roles in a record (`INIT` is the initiating process's account).
pub(super) const SUBJECT: usize = 0;
pub(super) const REQUEST: usize = 2;
pub(super) const TARGET_ACCOUNT: usize = 3;

/// A running process: its catalogue entry and instance details.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ProcInst {
    pub(super) spec: u16,
    pub(super) pid: u32,
    pub(super) created: i64,
    pub(super) key: u64,
    pub(super) user: u16,
}

/// Where a file's name, path and hashes come from.
#[derive(Debug, Clone, Copy)]
pub(super) enum FileRef {
    Proc(u16),
    Pool(u32),
    Dll(u16),
}

/// A connection: the far end (an endpoint) and the ports.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct NetRef {
    pub(super) remote: Option<u32>,
    pub(super) local_port: u16,
    pub(super) remote_port: u16,
    /// A full URL (from the URL pool) rather than the host name in `RemoteUrl`.
    pub(super) url: Option<u32>,
    pub(super) udp: bool,
}

/// The entities of one record, chosen by the table's scenario and read by the
/// column builders.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Event {
    pub(super) seq: u64,
    pub(super) ts: i64,
    pub(super) device: Option<u16>,
    /// A second device: SMB client, logon source, domain controller.
    pub(super) peer: Option<u16>,
    pub(super) action: &'static str,
    pub(super) procs: [Option<ProcInst>; 3],
    pub(super) accts: [Option<u16>; 4],
    pub(super) file: Option<FileRef>,
    /// The file was renamed (DeviceFileEvents) / a previous value exists (registry).
    pub(super) previous: bool,
    pub(super) net: Option<NetRef>,
    pub(super) reg: Option<u16>,
    /// Download origin (URL pool index).
    pub(super) origin: Option<u32>,
    pub(super) msg: Option<Msg>,
    pub(super) alert: Option<AlertRef>,
    /// Index into the table's own spec list (logon kind, device event, cloud action ...).
    pub(super) spec: u16,
    pub(super) app: u16,
    pub(super) geo: u8,
    pub(super) flag: bool,
}

/// The per-table rendering context: the world, the table's random stream,
/// the current record and the output buffers.
pub(super) struct Ctx<'w> {
    pub(super) w: &'w World,
    pub(super) rng: ChaCha8Rng,
    /// Per-table salt for derived identifiers.
    pub(super) salt: u64,
    report_base: u64,
    pub(super) ts_style: TimeStyle,
    pub(super) ev: Event,
    /// Escape non-ASCII in this record.
    pub(super) ascii: bool,
    /// The `properties` object being built.
    pub(super) out: String,
    tmp: String,
    val: String,
    /// The process whose command line is being rendered (for `{{user}}`, `{{self}}`).
    pub(super) tpl_proc: Option<ProcInst>,
    /// AlertEvidence: the alert being described and its next entity.
    pub(super) cursor: (u64, usize),
}

impl<'w> Ctx<'w> {
    pub(super) fn new(
        w: &'w World,
        rng: ChaCha8Rng,
        salt: u64,
        report_base: u64,
        ts_style: TimeStyle,
    ) -> Self {
        Ctx {
            w,
            rng,
            salt,
            report_base,
            ts_style,
            ev: Event::default(),
            ascii: false,
            out: String::with_capacity(8 << 10),
            tmp: String::with_capacity(1 << 10),
            val: String::with_capacity(256),
            tpl_proc: None,
            cursor: (0, 0),
        }
    }

    pub(super) fn build_props(&mut self, plan: &Plan) {
        let order = match self.rng.random_range(0..6) {
            0 | 1 => &plan.orders[0],
            2..=4 => &plan.orders[1],
            _ => &plan.orders[2],
        };
        self.out.clear();
        self.out.push('{');
        for &i in order {
            let col = &plan.cols[i];
            if self.out.len() > 1 {
                self.out.push(',');
            }
            self.out.push_str(&col.key);
            (col.build)(self);
        }
        self.out.push('}');
    }

    // ── value writers ──

    pub(super) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    pub(super) fn null(&mut self) {
        self.out.push_str("null");
    }

    /// An empty string value: null or `""` (quirks D.8).
    pub(super) fn empty(&mut self) {
        if self.rng.random_ratio(1, 5) {
            self.out.push_str("\"\"");
        } else {
            self.null();
        }
    }

    pub(super) fn str(&mut self, s: &str) {
        push_json_str(&mut self.out, s, self.ascii);
    }

    pub(super) fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// A string, or null when empty.
    pub(super) fn str_or_null(&mut self, s: &str) {
        if s.is_empty() {
            self.null()
        } else {
            self.str(s)
        }
    }

    pub(super) fn int(&mut self, v: i64) {
        push_i64(&mut self.out, v);
    }

    pub(super) fn uint(&mut self, v: u64) {
        push_u64(&mut self.out, v);
    }

    pub(super) fn bool(&mut self, b: bool) {
        self.raw(if b { "true" } else { "false" });
    }

    pub(super) fn time(&mut self, nanos: i64, style: TimeStyle) {
        self.out.push('"');
        push_time(&mut self.out, nanos, style);
        self.out.push('"');
    }

    pub(super) fn guid(&mut self, hi: u64, lo: u64) {
        self.out.push('"');
        push_guid(&mut self.out, hi, lo, false);
        self.out.push('"');
    }

    pub(super) fn hash(&mut self, key: u64, digits: usize) {
        self.out.push('"');
        push_hash(&mut self.out, key, digits);
        self.out.push('"');
    }

    /// A GUID unique to this record of this table.
    pub(super) fn unique_guid(&mut self) {
        let seq = self.ev.seq;
        self.guid(mix64(seq ^ self.salt), hash2(self.salt, seq));
    }

    /// A strictly increasing per-table number (numeric `ReportId`s).
    pub(super) fn counter(&self, stride: u64) -> u64 {
        self.report_base + self.ev.seq * stride + hash2(self.salt, self.ev.seq) % stride
    }

    /// Starts an object key inside a nested object or array (adds the comma).
    pub(super) fn key(&mut self, k: &str) {
        self.sep();
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
    }

    pub(super) fn sep(&mut self) {
        if !matches!(self.out.as_bytes().last(), Some(b'{' | b'[' | b':') | None) {
            self.out.push(',');
        }
    }

    /// Writes what `f` writes as a JSON string holding that JSON (quirks D.1).
    pub(super) fn stringified(&mut self, f: impl FnOnce(&mut Self)) {
        let start = self.out.len();
        f(self);
        let mut inner = std::mem::take(&mut self.tmp);
        inner.clear();
        inner.push_str(&self.out[start..]);
        self.out.truncate(start);
        push_json_str(&mut self.out, &inner, self.ascii);
        self.tmp = inner;
    }

    pub(super) fn pick<T>(&mut self, items: &'static [(T, u16)]) -> &'static T {
        pick(&mut self.rng, items)
    }

    /// A weighted choice of raw JSON values.
    pub(super) fn raw_of(&mut self, items: &'static [(&'static str, u16)]) {
        let v = *self.pick(items);
        self.raw(v);
    }

    pub(super) fn random_guid(&mut self) {
        let (hi, lo) = (self.rng.random(), self.rng.random());
        self.guid(hi, lo);
    }

    fn word(&mut self, items: &'static [(&'static str, u16)]) -> &'static str {
        self.pick::<&str>(items)
    }

    pub(super) fn lit(&mut self, items: &'static [(Option<&'static str>, u16)]) {
        let v = *self.pick(items);
        self.opt(v);
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    // ── templates ──

    /// Expands `{{placeholder}}`s of a template into `dst`; with `json`, the
    /// values are JSON-escaped (the template is JSON text).
    pub(super) fn expand(&mut self, dst: &mut String, template: &str, json: bool) {
        let mut rest = template;
        while let Some(open) = rest.find("{{") {
            dst.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else {
                dst.push_str(&rest[open..]);
                return;
            };
            let mut value = std::mem::take(&mut self.val);
            value.clear();
            self.placeholder(&after[..close], &mut value);
            if json {
                push_escaped(dst, &value, self.ascii);
            } else {
                dst.push_str(&value);
            }
            self.val = value;
            rest = &after[close + 2..];
        }
        dst.push_str(rest);
    }

    /// A template rendered as a JSON string value.
    pub(super) fn render(&mut self, template: &str) {
        let mut text = std::mem::take(&mut self.tmp);
        text.clear();
        self.expand(&mut text, template, false);
        push_json_str(&mut self.out, &text, self.ascii);
        self.tmp = text;
    }

    /// A JSON template rendered as a native value, or as a string holding it.
    pub(super) fn render_json(&mut self, template: &str, as_string: bool) {
        let mut text = std::mem::take(&mut self.tmp);
        text.clear();
        self.expand(&mut text, template, true);
        if as_string {
            push_json_str(&mut self.out, &text, self.ascii);
        } else {
            self.out.push_str(&text);
        }
        self.tmp = text;
    }

    /// A path: a directory template (only `{{user}}`), a separator and a name.
    pub(super) fn path(&mut self, dir: &str, name: &str, lower: bool) {
        let mut text = std::mem::take(&mut self.tmp);
        text.clear();
        let user = self.home_user();
        push_dir(&mut text, dir, &self.w.users[user].name);
        if !text.is_empty() {
            text.push(if text.starts_with('/') { '/' } else { '\\' });
        }
        text.push_str(name);
        if lower {
            text.make_ascii_lowercase();
        }
        push_json_str(&mut self.out, &text, self.ascii);
        self.tmp = text;
    }

    fn placeholder(&mut self, key: &str, v: &mut String) {
        let w = self.w;
        match key {
            "user" => v.push_str(&w.users[self.home_user()].name),
            "usersid" => {
                let u = &w.users[self.home_user()];
                v.push_str(u.sid.as_deref().unwrap_or("S-1-5-18"));
            }
            "host" => v.push_str(self.device_name()),
            "HOST" => v.push_str(&self.device_name().to_ascii_uppercase()),
            "dc" => {
                let dc = match self.ev.peer {
                    Some(p) if w.devices[p as usize].role == Role::Dc => p as usize,
                    _ => w.dcs[self.rng.random_range(0..w.dcs.len())],
                };
                v.push_str(&w.devices[dc].name);
            }
            "ip" => {
                let d = self.rng.random_range(0..w.devices.len());
                v.push_str(&w.devices[d].ip);
            }
            "web" => {
                let e = w.ep_pools[EpCat::Web as usize].sample(&mut self.rng);
                v.push_str(w.endpoints[e].host.unwrap_or("www.bing.com"));
            }
            "evil" | "evilip" => {
                let e = &w.endpoints[w.ep_pools[EpCat::Bad as usize].sample(&mut self.rng)];
                v.push_str(e.host.filter(|_| key == "evil").unwrap_or(&e.ip));
            }
            "rhost" | "rip" => match self.ev.net.and_then(|n| n.remote) {
                Some(r) => {
                    let e = &w.endpoints[r as usize];
                    v.push_str(e.host.filter(|_| key == "rhost").unwrap_or(&e.ip));
                }
                None => v.push_str("login.microsoftonline.com"),
            },
            "file" => match self.ev.file {
                Some(f) => v.push_str(self.file_view(f).name),
                None => v.push_str("document.docx"),
            },
            "self" => {
                let p = self.tpl_proc.unwrap_or_default();
                let spec = w.procs[p.spec as usize].spec;
                push_dir(v, spec.dir, &w.users[self.home_user()].name);
                v.push('\\');
                v.push_str(spec.name);
            }
            "tuser" => {
                let u = self.ev.accts[TARGET_ACCOUNT].map_or(self.home_user(), usize::from);
                v.push_str(&w.users[u].name);
            }
            "acct" => v.push_str(&w.users[self.actor()].name),
            "acctsid" => {
                let u = self.actor();
                v.push_str(w.users[u].sid.as_deref().unwrap_or("S-1-5-21-0-0-0-0"));
            }
            "uid" => {
                let u = self.actor();
                let uid = if w.users[u].kind == UserKind::Root {
                    0
                } else {
                    501 + u % 400
                };
                push_u64(v, uid as u64);
            }
            "guid" | "GUID" => push_guid(v, self.rng.random(), self.rng.random(), key == "GUID"),
            "b64" => v.push_str(&w.payloads[self.rng.random_range(0..w.payloads.len())]),
            "doc" => v.push_str(self.word(DOC_NAMES)),
            // One task per record: its name and command agree wherever they appear.
            "task" | "taskcmd" => {
                let (name, command) = pick_at(TASKS, hash2(self.salt, self.ev.seq));
                v.push_str(if key == "task" { name } else { command });
            }
            "threat" => v.push_str(self.word(THREAT_NAMES)),
            "pscmd" => v.push_str(self.word(PS_CMDLETS)),
            "pipe" => {
                // Pipe names hold numbers of their own.
                let name = self.word(PIPE_NAMES);
                self.expand(v, name, false);
            }
            "svc" => v.push_str(self.word(SERVICE_NAMES)),
            "script" => self.script(v),
            "date" => push_time(v, self.ev.ts, ENVELOPE_TIME),
            _ => {
                // hexN / HEXN / nN: N random hex or decimal digits.
                let (digits, hex, upper) = if let Some(n) = key.strip_prefix("hex") {
                    (n, true, false)
                } else if let Some(n) = key.strip_prefix("HEX") {
                    (n, true, true)
                } else {
                    (key.strip_prefix('n').unwrap_or("4"), false, false)
                };
                let Ok(mut left) = digits.parse::<usize>() else {
                    debug_assert!(false, "unknown template placeholder {key:?}");
                    return;
                };
                let start = v.len();
                while left > 0 {
                    let n = left.min(16);
                    let r: u64 = self.rng.random();
                    if hex {
                        push_hex(v, r, n, upper);
                    } else {
                        push_padded(v, r, n);
                    }
                    left -= n;
                }
                // Decimal numbers never start with 0 (they may be JSON numbers).
                if !hex && v[start..].starts_with('0') {
                    let digit = char::from(b'1' + self.rng.random_range(0..9u8));
                    v.replace_range(start..=start, digit.encode_utf8(&mut [0; 4]));
                }
            }
        }
    }

    /// A whole PowerShell script (DeviceEvents `ScriptContent`, quirks A.7):
    /// usually short, now and then many kilobytes.
    fn script(&mut self, v: &mut String) {
        let target = if self.chance(0.1) {
            self.rng.random_range(4_000..16_000)
        } else {
            self.rng.random_range(200..1_500)
        };
        while v.len() < target {
            v.push_str(self.word(SCRIPT_LINES));
            v.push_str("\r\n");
        }
    }

    // ── entities ──

    pub(super) fn device(&self) -> Option<&'w Device> {
        self.ev.device.map(|d| &self.w.devices[d as usize])
    }

    pub(super) fn device_name(&self) -> &'w str {
        self.device().map_or("localhost", |d| d.name.as_str())
    }

    pub(super) fn spec(&self, p: ProcInst) -> &'static ProcSpec {
        self.w.procs[p.spec as usize].spec
    }

    /// The user a template's `{{user}}` means: the process's (or the event's)
    /// person, else the device's primary user.
    fn home_user(&self) -> usize {
        let candidates = [
            self.tpl_proc.map(|p| p.user),
            self.ev.accts[SUBJECT],
            self.ev.accts[INIT],
        ];
        candidates
            .into_iter()
            .flatten()
            .map(usize::from)
            .find(|&u| matches!(self.w.users[u].kind, UserKind::Person | UserKind::Admin))
            .or_else(|| self.device().map(|d| usize::from(d.user)))
            .unwrap_or(self.w.persons.start)
    }

    /// The account the record is about: its subject, else the initiating
    /// process's account.
    fn actor(&self) -> usize {
        self.ev.accts[SUBJECT]
            .or(self.ev.accts[INIT])
            .map_or(self.w.persons.start, usize::from)
    }

    pub(super) fn file_view(&self, f: FileRef) -> FileView<'w> {
        let w = self.w;
        match f {
            FileRef::Proc(p) => {
                let info = &w.procs[p as usize];
                FileView {
                    name: info.spec.name,
                    dir: info.spec.dir,
                    hashes: &info.hashes,
                    size: u64::from(info.spec.size),
                }
            }
            FileRef::Pool(i) => {
                let f = &w.files[i as usize];
                FileView {
                    name: &f.name,
                    dir: &f.dir,
                    hashes: &f.hashes,
                    size: f.size,
                }
            }
            FileRef::Dll(i) => {
                let d = &w.dlls[i as usize];
                FileView {
                    name: d.spec.name,
                    dir: d.spec.dir,
                    hashes: &d.hashes,
                    size: u64::from(d.spec.size),
                }
            }
        }
    }

    /// Whether an account is local to the device (root, people on Linux/macOS).
    pub(super) fn is_local_account(&self, u: &User) -> bool {
        u.kind == UserKind::Root
            || (u.kind == UserKind::Person && self.device().is_some_and(|d| !d.role.is_windows()))
    }
}

/// Writes a directory template, substituting `{{user}}`.
fn push_dir(out: &mut String, dir: &str, user: &str) {
    let mut parts = dir.split("{{user}}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str(user);
        out.push_str(part);
    }
}

/// A file's name, directory template, hashes and size, wherever it comes from.
pub(super) struct FileView<'w> {
    pub(super) name: &'w str,
    pub(super) dir: &'w str,
    pub(super) hashes: &'w Hashes,
    pub(super) size: u64,
}
