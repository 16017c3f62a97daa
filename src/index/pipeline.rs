//! The indexing run: plan what to read from the checkpoint, read blobs
//! concurrently, decode on worker threads, and add documents and progress in
//! one committer that publishes both atomically.
//!
//! ```text
//! discover ─► plan ─► readers (async, --concurrency blobs) ─► batches of lines
//!          ─► decode workers (one per core; dedupe against the committed index)
//!          ─► committer (in-order per blob; dedupe within the run; commit +
//!             checkpoint payload + dead-letter entries together)
//! ```
//!
//! A blob whose identity changed, that shrank, or whose first bytes differ
//! was replaced: its documents are deleted and its progress dropped in a
//! commit of their own before anything is read, so it is read again from
//! the start with nothing left over. Memory is bounded by the channel sizes,
//! the batch size, the longest line allowed and the writer's heap budget.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, IndexReader, IndexWriter, ReloadPolicy, Searcher, TERMINATED, Term};

use super::checkpoint::{self, BlobProgress, Checkpoint, HEAD_LEN};
use super::deadletter::{self, DeadLetter};
use super::history::{self, RunRecord};
use super::seal::{self, Listed};
use super::{Archive, Fields, fields};
use crate::decode::{Decoder, LineContext, Record};
use crate::discover::{self, Discovered, Window};
use crate::error::{Error, Result};
use crate::read::{Batch, Splitter};
use crate::schema::Catalog;
use crate::source::{BlobInfo, RequestStats, Source};

/// Target size of a batch of lines handed to a decode worker.
pub const BATCH_BYTES: usize = 1 << 20;
/// Longest line decoded; longer lines are dead-lettered.
pub const MAX_LINE: usize = 64 << 20;
/// Generations of in-run identities kept for dedupe (older batches are
/// checked against the latest committed index instead).
const KEPT_GENERATIONS: usize = 4;

/// What to index and how.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Tables to read (empty: all).
    pub tables: Vec<String>,
    pub window: Window,
    /// Blobs read at once.
    pub concurrency: usize,
    /// Decode workers and tantivy indexing threads.
    pub threads: usize,
    /// Writer heap, in bytes, across all indexing threads.
    pub memory_budget: usize,
    /// Commit after this many bytes read ...
    pub commit_bytes: u64,
    /// ... or this much time, whichever comes first.
    pub commit_interval: Duration,
    /// Show a progress bar.
    pub progress: bool,
    /// Grace after which an unchanged blob, and a quiet past partition, is
    /// sealed (see [`seal`](super::seal)).
    pub seal_after: jiff::SignedDuration,
    /// When set (by a signal), no further blob is started and reading stops
    /// at the next chunk; what was read is committed.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        IndexOptions {
            tables: Vec::new(),
            window: Window::default(),
            concurrency: 8,
            threads,
            memory_budget: 256 << 20,
            commit_bytes: 512 << 20,
            commit_interval: Duration::from_secs(60),
            progress: false,
            seal_after: seal::DEFAULT_SEAL_AFTER,
            stop: None,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunSummary {
    pub source: String,
    pub containers: usize,
    pub blobs_listed: usize,
    pub blobs_read: usize,
    pub blobs_unchanged: usize,
    pub blobs_replaced: usize,
    pub list_calls: u64,
    /// Requests made to the source during the run (listings, reads, bytes).
    pub requests: RequestStats,
    pub bytes_read: u64,
    pub lines: u64,
    pub records: u64,
    pub docs_added: u64,
    pub duplicates: u64,
    pub bad_lines: u64,
    pub docs_deleted: u64,
    /// Blobs whose progress was folded into a sealed partition folder.
    pub blobs_sealed: u64,
    /// Partition folders sealed by this run (never listed nor read again).
    pub folders_sealed: u64,
    pub commits: u64,
    pub elapsed_secs: f64,
    /// The run was asked to stop and committed what it had read so far.
    pub stopped: bool,
    /// Blobs that could not be read completely; what was read of them is kept.
    pub errors: Vec<String>,
}

/// A blob to read, from `start`.
struct ReadTask {
    key: String,
    /// The same key, shared by the positions of the records read from it.
    blob: Arc<str>,
    info: BlobInfo,
    table: String,
    start: u64,
}

/// Sent by a reader: a batch of complete lines, in order per blob.
struct Work {
    task: Arc<ReadTask>,
    seq: u64,
    batch: Batch,
    /// On the last batch of a fully read blob: the hash and length of its head.
    last: Option<Option<(u64, u64)>>,
}

/// Where the stored copy of a record was read: blob key and line offset.
/// Of several copies (Azure re-deliveries), the archive keeps the one with
/// the smallest position, whatever order they were read in.
#[derive(Debug, Clone)]
struct Stored {
    blob: Arc<str>,
    offset: u64,
}

impl Stored {
    fn precedes(&self, other: &Stored) -> bool {
        (self.blob.as_ref(), self.offset) < (other.blob.as_ref(), other.offset)
    }
}

/// Sent by a decode worker.
struct Decoded {
    task: Arc<ReadTask>,
    seq: u64,
    end: u64,
    bytes: u64,
    lines: u64,
    /// Each record, the offset of its line, and where the committed index
    /// already holds a copy of it.
    records: Vec<(Record, u64, Option<Stored>)>,
    bad: Vec<DeadLetter>,
    /// The commit generation whose index the worker checked against.
    generation: u64,
    last: Option<Option<(u64, u64)>>,
}

/// Runs one indexing pass of `source` into `archive`, holding the writer
/// lock, and records it in the run history.
pub async fn run(
    archive: &Archive,
    catalog: &Catalog,
    source: Arc<dyn Source>,
    opts: &IndexOptions,
) -> Result<RunSummary> {
    let start = jiff::Timestamp::now();
    let started = Instant::now();
    let _lock = archive.lock()?;
    let describe = source.describe();
    let result = run_locked(archive, catalog, source, opts, started).await;
    let record = match &result {
        Ok(summary) => RunRecord::finished(start, summary),
        Err(e) => RunRecord::failed(start, started.elapsed().as_secs_f64(), describe, e),
    };
    history::record(&archive.dir, record)?;
    result
}

async fn run_locked(
    archive: &Archive,
    catalog: &Catalog,
    source: Arc<dyn Source>,
    opts: &IndexOptions,
    started: Instant,
) -> Result<RunSummary> {
    let requests_before = source.stats();
    let committed = archive.index.load_metas()?.opstamp;
    deadletter::repair(&archive.dir, committed)?;
    let mut checkpoint = Checkpoint::load(&archive.index)?;
    let mut summary = RunSummary {
        source: source.describe(),
        ..Default::default()
    };

    let now = jiff::Timestamp::now();
    let sealed = |folder: &str| checkpoint.sealed.contains_key(folder);
    let window = checkpoint.unpruned(&opts.window);
    let found =
        discover::discover_open(source.as_ref(), catalog, &opts.tables, &window, &sealed).await?;
    summary.containers = found.containers;
    summary.blobs_listed = found.blobs.len();
    summary.list_calls = found.list_calls;
    let listed_keys: Vec<String> = found.blobs.iter().map(|d| d.info.key()).collect();
    let containers: BTreeSet<String> = found
        .blobs
        .iter()
        .map(|d| d.info.container.clone())
        .collect();

    let (tasks, replaced, unchanged) =
        plan(source.as_ref(), &checkpoint, found.blobs, &mut summary).await?;
    summary.blobs_read = tasks.len();
    // A blob whose last line is still partial never seals: it waits for the
    // line end (or shows as open in `status`).
    let quiet = |key: &String| {
        let p = checkpoint.blobs.get(key)?;
        Some(p.offset == p.size && now.as_second() - p.changed_at? >= opts.seal_after.as_secs())
    };
    let listed: Vec<Listed> = listed_keys
        .iter()
        .map(|key| Listed {
            key,
            sealable: unchanged.contains(key) && quiet(key).unwrap_or(false),
        })
        .collect();
    let mut changed = false;
    for key in &unchanged {
        if let Some(p) = checkpoint.blobs.get_mut(key)
            && p.changed_at.is_none()
        {
            p.changed_at = Some(now.as_second());
            changed = true;
        }
    }
    let sealing = seal::seal(
        &mut checkpoint,
        &listed,
        &containers,
        &window,
        now,
        opts.seal_after,
    );
    summary.blobs_sealed = sealing.blobs;
    summary.folders_sealed = sealing.folders;

    let threads = opts.threads.max(1);
    let mut writer: IndexWriter = archive
        .index
        .writer_with_num_threads(threads, opts.memory_budget.max(threads * (16 << 20)))?;
    if !replaced.is_empty() || changed || sealing.folders > 0 {
        for key in &replaced {
            summary.docs_deleted += checkpoint.blobs.get(key).map_or(0, |p| p.docs);
            writer.delete_term(Term::from_field_text(archive.fields.blob, key));
            checkpoint.blobs.remove(key);
        }
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&checkpoint.to_payload());
        let opstamp = prepared.commit()?;
        if !replaced.is_empty() {
            deadletter::forget_blobs(&archive.dir, opstamp, &replaced)?;
        }
        summary.commits += 1;
        summary.blobs_replaced = replaced.len();
    }
    if tasks.is_empty() {
        summary.requests = source.stats().since(requests_before);
        summary.elapsed_secs = started.elapsed().as_secs_f64();
        return Ok(summary);
    }

    let reader = archive
        .index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let generation = Arc::new(AtomicU64::new(0));
    let decoder = Arc::new(Decoder::new(&archive.fields, catalog));
    let total_bytes: u64 = tasks.iter().map(|t| t.info.size - t.start).sum();
    let bar = progress_bar(opts.progress, total_bytes, summary.containers);

    let (work_tx, work_rx) = async_channel::bounded::<Work>(threads * 2);
    let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Decoded>(threads * 2);
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let rx = work_rx.clone();
            let tx = done_tx.clone();
            let decoder = decoder.clone();
            let reader: IndexReader = Clone::clone(&reader);
            let generation = generation.clone();
            let fields = archive.fields.clone();
            std::thread::spawn(move || {
                decode_worker(&rx, &tx, &decoder, &reader, &generation, &fields)
            })
        })
        .collect();
    drop(done_tx);
    drop(work_rx);

    let committer = {
        let mut c = Committer {
            writer,
            reader,
            generation,
            fields: archive.fields.clone(),
            dir: archive.dir.clone(),
            checkpoint,
            seen: VecDeque::from([(0, HashMap::new())]),
            pending: HashMap::new(),
            dead: Vec::new(),
            since_commit: 0,
            last_commit: Instant::now(),
            commit_bytes: opts.commit_bytes,
            commit_interval: opts.commit_interval,
            summary: RunSummary::default(),
            bar: bar.clone(),
            blobs_total: tasks.len(),
            blobs_done: 0,
            started,
            listed_at: now.as_second(),
        };
        std::thread::spawn(move || c.run(&done_rx).map(|()| c.summary))
    };

    let concurrency = opts.concurrency.max(1);
    let errors: Vec<String> = futures::stream::iter(tasks)
        .map(|task| {
            let source = source.clone();
            let tx = work_tx.clone();
            let bar = bar.clone();
            let stop = opts.stop.as_deref();
            async move {
                if stopping(stop) {
                    return None;
                }
                let key = task.key.clone();
                read_blob(source.as_ref(), Arc::new(task), &tx, &bar, stop)
                    .await
                    .err()
                    .map(|e| format!("{key}: {e}"))
            }
        })
        .buffer_unordered(concurrency)
        .filter_map(|e| async move { e })
        .collect()
        .await;
    drop(work_tx);

    for w in workers {
        w.join()
            .map_err(|_| Error::Index("a decode worker panicked".into()))?;
    }
    let counted = committer
        .join()
        .map_err(|_| Error::Index("the committer panicked".into()))??;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    summary.errors = errors;
    summary.stopped = stopping(opts.stop.as_deref());
    summary.bytes_read = counted.bytes_read;
    summary.lines = counted.lines;
    summary.records = counted.records;
    summary.docs_added = counted.docs_added;
    summary.duplicates = counted.duplicates;
    summary.bad_lines = counted.bad_lines;
    summary.commits += counted.commits;
    summary.requests = source.stats().since(requests_before);
    summary.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Decides per blob: unchanged (skip), grown (read from its offset), new
/// (read from 0) or replaced (delete, then read from 0). Blobs that changed
/// without proof in their listing have their first bytes compared.
///
/// A replaced blob's documents may be the only stored copies of records
/// whose other copies (Azure re-deliveries) were skipped as duplicates in
/// other blobs of its table. So every blob of that table that skipped
/// duplicates is rebuilt too, in the same run: its documents are deleted and
/// it is read again from the start, and each record is stored once again.
async fn plan(
    source: &dyn Source,
    checkpoint: &Checkpoint,
    found: Vec<Discovered>,
    summary: &mut RunSummary,
) -> Result<(Vec<ReadTask>, Vec<String>, HashSet<String>)> {
    let mut tasks: BTreeMap<String, ReadTask> = BTreeMap::new();
    let mut replaced = Vec::new();
    let mut to_check = Vec::new();
    let mut unchanged: HashMap<String, Discovered> = HashMap::new();
    for d in found {
        let key = d.info.key();
        let task = |start| ReadTask {
            key: key.clone(),
            blob: Arc::from(key.as_str()),
            info: d.info.clone(),
            table: d.table.clone(),
            start,
        };
        match checkpoint.blobs.get(&key) {
            None => {
                tasks.insert(key.clone(), task(0));
            }
            Some(p) if p.replaced(&d.info) => {
                replaced.push(key.clone());
                tasks.insert(key.clone(), task(0));
            }
            Some(p) if p.unchanged(&d.info) => {
                unchanged.insert(key.clone(), d);
            }
            Some(p) => to_check.push((task(p.offset), p.clone())),
        }
    }
    let checked: Vec<Result<(ReadTask, bool)>> = futures::stream::iter(to_check)
        .map(|(task, progress)| async move {
            let same = head_matches(source, &task.info, &progress).await?;
            Ok((task, same))
        })
        .buffer_unordered(8)
        .collect()
        .await;
    for c in checked {
        let (mut task, same) = c?;
        if !same {
            replaced.push(task.key.clone());
            task.start = 0;
        }
        tasks.insert(task.key.clone(), task);
    }

    let tables: HashSet<&str> = replaced
        .iter()
        .filter_map(|k| checkpoint.blobs.get(k).map(|p| p.table.as_str()))
        .collect();
    let rebuild: Vec<(String, BlobProgress)> = checkpoint
        .blobs
        .iter()
        .filter(|(k, p)| {
            tables.contains(p.table.as_str()) && p.duplicates > 0 && !replaced.contains(k)
        })
        .map(|(k, p)| (k.clone(), p.clone()))
        .collect();
    for (key, progress) in rebuild {
        replaced.push(key.clone());
        if let Some(task) = tasks.get_mut(&key) {
            task.start = 0;
            continue;
        }
        let task = match unchanged.remove(&key) {
            Some(d) => ReadTask {
                key: key.clone(),
                blob: Arc::from(key.as_str()),
                info: d.info,
                table: d.table,
                start: 0,
            },
            // Outside this run's listing (window, tables): read what the
            // checkpoint knows of it; a later run reads what it has grown.
            None => {
                let Some((container, name)) = key.split_once('/') else {
                    continue;
                };
                ReadTask {
                    key: key.clone(),
                    blob: Arc::from(key.as_str()),
                    info: BlobInfo {
                        container: container.to_string(),
                        name: name.to_string(),
                        size: progress.size,
                        etag: progress.etag.clone(),
                        identity: progress.identity.clone(),
                    },
                    table: progress.table.clone(),
                    start: 0,
                }
            }
        };
        tasks.insert(key, task);
    }
    summary.blobs_unchanged = unchanged.len();
    Ok((
        tasks.into_values().collect(),
        replaced,
        unchanged.into_keys().collect(),
    ))
}

/// Whether a blob still starts with the bytes it started with when read.
async fn head_matches(source: &dyn Source, info: &BlobInfo, p: &BlobProgress) -> Result<bool> {
    if p.head_len == 0 {
        return Ok(true);
    }
    let mut stream = source
        .read(&info.container, &info.name, 0, Some(p.head_len))
        .await?;
    let mut head = Vec::with_capacity(p.head_len as usize);
    while let Some(chunk) = stream.next().await {
        head.extend_from_slice(&chunk?);
    }
    Ok(head.len() as u64 == p.head_len && checkpoint::head_hash(&head) == p.head_hash)
}

fn stopping(stop: Option<&AtomicBool>) -> bool {
    stop.is_some_and(|s| s.load(Ordering::SeqCst))
}

/// Streams one blob from its start offset to its listed size, in batches.
/// Asked to stop, it returns after the batches already sent: the blob's
/// progress then ends at the last of them, and the next run resumes there.
async fn read_blob(
    source: &dyn Source,
    task: Arc<ReadTask>,
    tx: &async_channel::Sender<Work>,
    bar: &Option<ProgressBar>,
    stop: Option<&AtomicBool>,
) -> Result<()> {
    let closed = || Error::Index("the indexing pipeline stopped".into());
    let mut stream = source
        .read(
            &task.info.container,
            &task.info.name,
            task.start,
            Some(task.info.size),
        )
        .await?;
    let mut splitter = Splitter::new(task.start, BATCH_BYTES, MAX_LINE);
    let mut head = (task.start == 0).then(Vec::new);
    let mut seq = 0;
    while let Some(chunk) = stream.next().await {
        if stopping(stop) {
            return Ok(());
        }
        let chunk = chunk?;
        if let Some(h) = head.as_mut()
            && (h.len() as u64) < HEAD_LEN
        {
            let want = (HEAD_LEN as usize - h.len()).min(chunk.len());
            h.extend_from_slice(&chunk[..want]);
        }
        if let Some(bar) = bar {
            bar.inc(chunk.len() as u64);
        }
        for batch in splitter.push(&chunk) {
            let work = Work {
                task: task.clone(),
                seq,
                batch,
                last: None,
            };
            tx.send(work).await.map_err(|_| closed())?;
            seq += 1;
        }
    }
    let head = head.map(|h| (checkpoint::head_hash(&h), h.len() as u64));
    let work = Work {
        task: task.clone(),
        seq,
        batch: splitter.finish(),
        last: Some(head),
    };
    tx.send(work).await.map_err(|_| closed())
}

fn decode_worker(
    rx: &async_channel::Receiver<Work>,
    tx: &std::sync::mpsc::SyncSender<Decoded>,
    decoder: &Decoder,
    reader: &IndexReader,
    generation: &AtomicU64,
    fields: &Fields,
) {
    while let Ok(work) = rx.recv_blocking() {
        let generation = generation.load(Ordering::SeqCst);
        let searcher = reader.searcher();
        let task = &work.task;
        let mut records = Vec::new();
        let mut bad = Vec::new();
        let start = work
            .batch
            .lines
            .first()
            .map_or(work.batch.end, |l| l.offset);
        for line in &work.batch.lines {
            let bytes = work.batch.line(line);
            if let Some(len) = line.too_long {
                let reason =
                    format!("line of {len} bytes is longer than the {MAX_LINE}-byte limit");
                bad.push(DeadLetter::new(&task.key, line.offset, reason, bytes));
                continue;
            }
            let ctx = LineContext {
                blob: &task.key,
                table: &task.table,
                offset: line.offset,
            };
            let decoded = decoder.decode_line(bytes, &ctx);
            for reason in decoded.bad {
                bad.push(DeadLetter::new(&task.key, line.offset, reason, bytes));
            }
            for rec in decoded.records {
                let stored = stored_copy(&searcher, fields, rec.id);
                records.push((rec, line.offset, stored));
            }
        }
        let out = Decoded {
            task: work.task.clone(),
            seq: work.seq,
            end: work.batch.end,
            bytes: work.batch.end - start,
            lines: work.batch.lines.len() as u64,
            records,
            bad,
            generation,
            last: work.last,
        };
        if tx.send(out).is_err() {
            return;
        }
    }
}

fn id_term(fields: &Fields, id: u128) -> Term {
    Term::from_field_text(fields.id, &format!("{id:032x}"))
}

/// Where the live document with this identity in the searcher's index was
/// read from, if there is one.
fn stored_copy(searcher: &Searcher, fields: &Fields, id: u128) -> Option<Stored> {
    let term = id_term(fields, id);
    searcher.segment_readers().iter().find_map(|seg| {
        let inverted = seg.inverted_index(fields.id).ok()?;
        let mut postings = inverted
            .read_postings(&term, IndexRecordOption::Basic)
            .ok()??;
        let alive = seg.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED && !alive.is_none_or(|a| a.is_alive(doc)) {
            doc = postings.advance();
        }
        if doc == TERMINATED {
            return None;
        }
        let fast = seg.fast_fields();
        let mut blob = String::new();
        if let Ok(Some(col)) = fast.str(fields::BLOB)
            && let Some(ord) = col.term_ords(doc).next()
        {
            // An unreadable column leaves the position empty: it then sorts
            // first, and the stored copy is kept.
            let _ = col.ord_to_str(ord, &mut blob);
        }
        let offset = fast
            .u64(fields::OFFSET)
            .ok()
            .and_then(|c| c.first(doc))
            .unwrap_or(0);
        Some(Stored {
            blob: Arc::from(blob),
            offset,
        })
    })
}

/// Owns the writer and the checkpoint; applies decoded batches in order.
struct Committer {
    writer: IndexWriter,
    reader: IndexReader,
    generation: Arc<AtomicU64>,
    fields: Fields,
    dir: std::path::PathBuf,
    checkpoint: Checkpoint,
    /// Identities added per commit generation (newest last).
    seen: VecDeque<(u64, HashMap<u128, Stored>)>,
    /// Per blob: the next batch expected and batches that came early.
    pending: HashMap<String, (u64, BTreeMap<u64, Decoded>)>,
    dead: Vec<DeadLetter>,
    since_commit: u64,
    last_commit: Instant,
    commit_bytes: u64,
    commit_interval: Duration,
    summary: RunSummary,
    bar: Option<ProgressBar>,
    /// Blobs to read, and how many are done (for the progress bar).
    blobs_total: usize,
    blobs_done: usize,
    started: Instant,
    /// When this run listed the source (Unix seconds).
    listed_at: i64,
}

impl Committer {
    fn run(&mut self, rx: &std::sync::mpsc::Receiver<Decoded>) -> Result<()> {
        while let Ok(d) = rx.recv() {
            let key = d.task.key.clone();
            let slot = self.pending.entry(key.clone()).or_default();
            slot.1.insert(d.seq, d);
            while let Some(slot) = self.pending.get_mut(&key)
                && let Some(next) = slot.1.remove(&slot.0)
            {
                slot.0 += 1;
                let done = next.last.is_some();
                self.apply(next)?;
                if done {
                    self.pending.remove(&key);
                }
            }
            if self.since_commit >= self.commit_bytes
                || (self.since_commit > 0 && self.last_commit.elapsed() >= self.commit_interval)
            {
                self.commit()?;
            }
        }
        if self.since_commit > 0 || !self.dead.is_empty() {
            self.commit()?;
        }
        Ok(())
    }

    /// Where a record was stored in this run by a generation the worker's
    /// index did not include (the newest such position).
    fn seen_since(&self, id: u128, generation: u64) -> Option<&Stored> {
        self.seen
            .iter()
            .rev()
            .take_while(|(g, _)| *g >= generation)
            .find_map(|(_, ids)| ids.get(&id))
    }

    fn apply(&mut self, d: Decoded) -> Result<()> {
        let task = &d.task;
        let oldest_kept = self.seen.front().map_or(0, |(g, _)| *g);
        let stale = d.generation < oldest_kept;
        let searcher = stale.then(|| self.reader.searcher());
        let mut docs = 0;
        let mut dups = 0;
        // Blobs whose stored copy of a record gave way to an earlier copy.
        let mut superseded: Vec<Arc<str>> = Vec::new();
        let records = d.records.len() as u64;
        for (rec, offset, found) in d.records {
            let stored = self
                .seen_since(rec.id, d.generation)
                .cloned()
                .or(found)
                .or_else(|| {
                    searcher
                        .as_ref()
                        .and_then(|s| stored_copy(s, &self.fields, rec.id))
                });
            let here = Stored {
                blob: task.blob.clone(),
                offset,
            };
            match stored {
                Some(s) if !here.precedes(&s) => {
                    dups += 1;
                    continue;
                }
                Some(s) => {
                    self.writer.delete_term(id_term(&self.fields, rec.id));
                    superseded.push(s.blob);
                }
                None => {}
            }
            if let Some((_, ids)) = self.seen.back_mut() {
                ids.insert(rec.id, here);
            }
            self.writer.add_document(rec.doc)?;
            docs += 1;
        }
        let entry = self
            .checkpoint
            .blobs
            .entry(task.key.clone())
            .or_insert_with(|| BlobProgress {
                table: task.table.clone(),
                identity: task.info.identity.clone(),
                ..Default::default()
            });
        entry.offset = d.end;
        entry.lines += d.lines;
        entry.records += records;
        entry.docs += docs;
        entry.duplicates += dups;
        entry.bad += d.bad.len() as u64;
        if let Some(head) = d.last {
            self.blobs_done += 1;
            entry.size = task.info.size;
            entry.etag = task.info.etag.clone();
            entry.identity = task.info.identity.clone();
            entry.changed_at = Some(self.listed_at);
            if let Some((hash, len)) = head {
                entry.head_hash = hash;
                entry.head_len = len;
            }
        }
        for blob in &superseded {
            if let Some(p) = self.checkpoint.blobs.get_mut(blob.as_ref()) {
                p.docs = p.docs.saturating_sub(1);
                p.duplicates += 1;
            }
        }
        let swaps = superseded.len() as u64;
        let s = &mut self.summary;
        s.bytes_read += d.bytes;
        s.lines += d.lines;
        s.records += records;
        s.docs_added += docs - swaps;
        s.duplicates += dups + swaps;
        s.bad_lines += d.bad.len() as u64;
        self.dead.extend(d.bad);
        self.since_commit += d.bytes.max(1);
        if let Some(bar) = &self.bar {
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{}/{} blobs, {} docs ({:.0}/s)",
                self.blobs_done,
                self.blobs_total,
                s.docs_added,
                s.docs_added as f64 / secs
            ));
        }
        Ok(())
    }

    /// Publishes the documents added so far with the checkpoint that
    /// produced them, and the dead-letter entries of the same lines.
    fn commit(&mut self) -> Result<()> {
        let payload = self.checkpoint.to_payload();
        let mut prepared = self.writer.prepare_commit()?;
        deadletter::append(&self.dir, prepared.opstamp(), &mut self.dead)?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.dead.clear();
        self.reader.reload()?;
        let next = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.seen.push_back((next, HashMap::new()));
        while self.seen.len() > KEPT_GENERATIONS {
            self.seen.pop_front();
        }
        self.since_commit = 0;
        self.last_commit = Instant::now();
        self.summary.commits += 1;
        Ok(())
    }
}

fn progress_bar(enabled: bool, total: u64, containers: usize) -> Option<ProgressBar> {
    if !enabled {
        return None;
    }
    let bar = ProgressBar::new(total);
    bar.set_prefix(format!("{containers} containers"));
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {prefix} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Some(bar)
}
