//! `reindex`: rebuilding the index from the original records it stores, with
//! the fields of the current schema, without reading the source again.
//!
//! Every live document's `_raw` is decoded again as the indexer decodes a
//! line (with its `_table`, `_blob` and `_offset`), or, for an alert, as an
//! alert of its API; identities (`_id`) come out the same. The new index is
//! staged beside the live one (see [`format`](super::format)) and gets the
//! live one's checkpoint and dead-letter entries in its single commit, so
//! the next `index` goes on where the last one stopped. It replaces the
//! live index only if it holds exactly as many documents; until then,
//! searches go on against the live index. The staged copy needs about as
//! much disk space as the live one; a rebuild does not start without it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{IndexWriter, ReloadPolicy, TantivyDocument};

use super::checkpoint::Checkpoint;
use super::format::{self, Staging, dir_size};
use super::{Archive, Fields, deadletter, fields};
use crate::alerts::{Alert, Api, store};
use crate::decode::{Decoder, LineContext};
use crate::error::{Error, Result};
use crate::schema::Catalog;

/// Documents handed to a decode worker at once.
const BATCH_DOCS: usize = 512;

/// How to rebuild.
#[derive(Debug, Clone)]
pub struct RebuildOptions {
    /// Decode and indexing threads.
    pub threads: usize,
    /// Writer heap, in bytes, across all indexing threads.
    pub memory_budget: usize,
    /// Show a progress bar.
    pub progress: bool,
}

/// What a rebuild did.
#[derive(Debug, Default, Serialize)]
pub struct RebuildReport {
    /// The format of the index before, and after.
    pub format_before: u32,
    pub format_after: u32,
    pub documents: u64,
    /// Documents per table.
    pub tables: BTreeMap<String, u64>,
    /// Columns that now have a field of their own (name: kind).
    pub columns_added: Vec<String>,
    /// Columns whose field changed kind (name: old -> new).
    pub columns_retyped: Vec<String>,
    /// Columns that lost their field: their values are now under `_kw`/`_txt`.
    pub columns_removed: Vec<String>,
    pub dead_letters: u64,
    pub bytes_before: u64,
    pub bytes_after: u64,
    pub elapsed_secs: f64,
}

/// One stored document to decode again.
struct Original {
    raw: String,
    table: String,
    blob: String,
    offset: u64,
}

/// Rebuilds the index at `dir` with the fields of `catalog`.
pub fn rebuild(dir: &Path, catalog: &Catalog, opts: &RebuildOptions) -> Result<RebuildReport> {
    let started = Instant::now();
    let live = Archive::open(dir)?;
    let format_before = live.format().version;
    let _lock = live.lock()?;
    check_space(dir)?;
    let staging = Staging::start(dir)?;
    let built = build(&live, catalog, &staging, opts);
    drop(live);
    match built {
        Ok(mut report) => {
            staging.publish(dir)?;
            report.format_before = format_before;
            report.format_after = format::FORMAT_VERSION;
            report.bytes_after = dir_size(&format::tantivy_dir(dir));
            report.elapsed_secs = started.elapsed().as_secs_f64();
            Ok(report)
        }
        Err(e) => {
            // The live index is untouched; what was staged goes.
            let _ = staging.discard();
            Err(e)
        }
    }
}

/// Refuses to start when the file system has less room than the live
/// index takes (the staged copy grows to about its size).
fn check_space(dir: &Path) -> Result<()> {
    let needed = dir_size(&format::tantivy_dir(dir));
    match fs4::available_space(dir) {
        Ok(available) if available < needed => Err(Error::Index(format!(
            "rebuilding needs about {:.1} MB free beside the index (its own size), and {} has \
             {:.1} MB: free some space (or `huntvault prune` old partitions) and run it again",
            needed as f64 / 1e6,
            dir.display(),
            available as f64 / 1e6
        ))),
        _ => Ok(()),
    }
}

fn build(
    live: &Archive,
    catalog: &Catalog,
    staging: &Staging,
    opts: &RebuildOptions,
) -> Result<RebuildReport> {
    let metas = live.index.load_metas()?;
    let checkpoint = Checkpoint::load(&live.index)?;
    let mut dead = deadletter::read(&live.dir, metas.opstamp)?;
    let index = super::create_tantivy(&format::tantivy_dir(&staging.dir), &live.dir, catalog)?;
    fields::register_tokenizers(&index);
    let new_fields = Fields::from_schema(&index.schema())?;
    let mut report = RebuildReport {
        bytes_before: dir_size(&format::tantivy_dir(&live.dir)),
        dead_letters: dead.len() as u64,
        ..Default::default()
    };
    let changes = live.fields.changes_to(&new_fields);
    report.columns_added = changes.added;
    report.columns_retyped = changes.retyped;
    report.columns_removed = changes.removed;

    let searcher = live
        .index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?
        .searcher();
    let expected = searcher.num_docs();
    let bar = progress_bar(opts.progress, expected);
    let threads = opts.threads.max(1);
    let writer: IndexWriter = index.writer_with_num_threads(threads, opts.memory_budget)?;
    let decoder = Decoder::new(&new_fields, catalog);
    let added = Added::default();
    let (tx, rx) = async_channel::bounded::<Vec<Original>>(threads * 2);
    let scanned = std::thread::scope(|scope| -> Result<()> {
        for _ in 0..threads {
            let rx = rx.clone();
            let (writer, decoder, added) = (&writer, &decoder, &added);
            scope.spawn(move || decode_worker(&rx, writer, decoder, added));
        }
        drop(rx);
        let read = read_originals(&searcher, &live.fields, |batch| {
            if let Some(bar) = &bar {
                bar.inc(batch.len() as u64);
            }
            tx.send_blocking(batch).is_ok()
        });
        tx.close();
        read
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    scanned?;
    if let Some(e) = added
        .failure
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(e);
    }
    let documents = added.documents.into_inner();
    if documents != expected {
        return Err(Error::Index(format!(
            "the rebuilt index would hold {documents} documents where the live one holds \
             {expected}; the live index is left as it was"
        )));
    }
    let mut writer = writer;
    let mut prepared = writer.prepare_commit()?;
    let opstamp = prepared.opstamp();
    deadletter::replace(&staging.dir, opstamp, &mut dead)?;
    prepared.set_payload(&checkpoint.to_payload());
    prepared.commit()?;
    writer.wait_merging_threads()?;
    report.documents = documents;
    report.tables = added
        .tables
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    Ok(report)
}

/// What the decode workers added, and the first error that stopped them.
#[derive(Default)]
struct Added {
    documents: AtomicU64,
    tables: Mutex<BTreeMap<String, u64>>,
    failure: Mutex<Option<Error>>,
}

/// Decodes batches of originals into `writer` until the channel closes; on
/// an error, keeps it and closes the channel, which stops the reading.
fn decode_worker(
    rx: &async_channel::Receiver<Vec<Original>>,
    writer: &IndexWriter,
    decoder: &Decoder,
    added: &Added,
) {
    while let Ok(batch) = rx.recv_blocking() {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        let result = batch.into_iter().try_for_each(|o| {
            writer.add_document(redecode(decoder, &o)?)?;
            *counts.entry(o.table).or_default() += 1;
            Ok::<_, Error>(())
        });
        added
            .documents
            .fetch_add(counts.values().sum(), Ordering::Relaxed);
        let mut tables = added.tables.lock().unwrap_or_else(PoisonError::into_inner);
        for (table, n) in counts {
            *tables.entry(table).or_default() += n;
        }
        if let Err(e) = result {
            added
                .failure
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert(e);
            rx.close();
            return;
        }
    }
}

/// The document an original record makes with the new fields.
fn redecode(decoder: &Decoder, o: &Original) -> Result<TantivyDocument> {
    let unreadable = |why: String| {
        Error::Index(format!(
            "the record stored from {} at byte {} ({}) cannot be decoded again: {why}; \
             the live index is left as it was",
            o.blob, o.offset, o.table
        ))
    };
    if let Some(api) = Api::of_table(&o.table) {
        let alert = Alert::parse(api, &o.raw).map_err(unreadable)?;
        let id = store::Store::doc_id(api, &alert);
        let (time, object) = (alert.time, alert.object);
        return Ok(decoder.object_document(&o.table, &id, &o.blob, &o.raw, time, object));
    }
    let ctx = LineContext {
        blob: &o.blob,
        table: &o.table,
        offset: o.offset,
    };
    let mut decoded = decoder.decode_line(o.raw.as_bytes(), &ctx);
    match (decoded.records.pop(), decoded.records.is_empty()) {
        (Some(record), true) => Ok(record.doc),
        _ => Err(unreadable(decoded.bad.join("; "))),
    }
}

/// Reads every live document of the index in batches, giving each to
/// `send` until it returns false.
fn read_originals(
    searcher: &tantivy::Searcher,
    f: &Fields,
    mut send: impl FnMut(Vec<Original>) -> bool,
) -> Result<()> {
    let column_error = |e: tantivy::TantivyError| Error::Index(format!("reading a column: {e}"));
    for seg in searcher.segment_readers() {
        let fast = seg.fast_fields();
        let table_col = fast.str(fields::TABLE).map_err(column_error)?;
        let blob_col = fast.str(fields::BLOB).map_err(column_error)?;
        let offset_col = fast.u64(fields::OFFSET).map_err(column_error)?;
        let store = seg
            .get_store_reader(8)
            .map_err(|e| Error::Index(format!("reading the stored records: {e}")))?;
        let term = |col: &Option<tantivy::columnar::StrColumn>, doc: u32| -> Result<String> {
            let mut s = String::new();
            if let Some(col) = col
                && let Some(ord) = col.term_ords(doc).next()
            {
                col.ord_to_str(ord, &mut s)
                    .map_err(|e| Error::Index(format!("reading a column dictionary: {e}")))?;
            }
            Ok(s)
        };
        let mut batch = Vec::with_capacity(BATCH_DOCS);
        for doc in seg.doc_ids_alive() {
            let stored: TantivyDocument = store.get(doc)?;
            let raw = stored
                .get_first(f.raw)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            batch.push(Original {
                raw,
                table: term(&table_col, doc)?,
                blob: term(&blob_col, doc)?,
                offset: offset_col.first(doc).unwrap_or(0),
            });
            if batch.len() == BATCH_DOCS
                && !send(std::mem::replace(
                    &mut batch,
                    Vec::with_capacity(BATCH_DOCS),
                ))
            {
                return Ok(());
            }
        }
        if !batch.is_empty() && !send(batch) {
            return Ok(());
        }
    }
    Ok(())
}

fn progress_bar(enabled: bool, total: u64) -> Option<ProgressBar> {
    if !enabled {
        return None;
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} reindex [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} documents {per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Some(bar)
}
