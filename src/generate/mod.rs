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
//!
//! Where things are: `envelope` frames lines and keeps re-deliveries, `text`
//! and `random` hold the primitives, `records` the per-record context,
//! `columns` the column builders shared by all tables, `entities` how
//! records choose processes and accounts, `tables` each table's scenario and
//! own columns, `world` the simulated organisation and `catalogue` the
//! static data it is built from.

mod catalogue;
mod columns;
mod entities;
mod envelope;
mod random;
mod records;
mod tables;
mod text;
mod world;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use jiff::Timestamp;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use self::columns::Plan;
use self::envelope::{DupRing, Envelope, SHAPES};
use self::random::{mix64, pick};
use self::records::{Ctx, Event};
use self::tables::TableKind;
use self::text::{ENVELOPE_TIME, TimeStyle, json_string};
use self::world::World;
use crate::error::{Error, Result};
use crate::layout;
use crate::schema::{Catalog, TableSchema};

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
        return Ok(catalog.streamed_tables().collect());
    };
    let mut chosen = BTreeSet::new();
    for name in names {
        let streamed = |t: &&str| catalog.table(t).is_some_and(TableSchema::streamed);
        let table = catalog
            .canonical_table(name.trim())
            .filter(streamed)
            .ok_or_else(|| {
                let known: Vec<&str> = catalog
                    .streamed_tables()
                    .map(|t| t.table.as_str())
                    .collect();
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

#[cfg(test)]
mod tests;
