//! Reconciling the index with its source, blob by blob: the proof that
//! nothing was lost and nothing was added twice.
//!
//! Every blob of the source is read through the same [`Source`] trait and
//! line [`Splitter`] the indexer uses, and each complete line decoded, which
//! gives the lines, records and bad lines the source holds. They are compared
//! with the checkpoint (lines consumed; documents plus duplicates skipped;
//! bad lines) and with the documents the index holds from that blob (`_blob`
//! field). A sealed partition is compared as one unit: its blobs' counts
//! were summed when it was sealed. Blobs the index knows but the source no
//! longer holds (a storage lifecycle rule deleted them) are checked against
//! the checkpoint only, and counted.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::StreamExt;
use serde::Serialize;

use super::tally;
use crate::decode::{Decoder, LineContext};
use crate::discover::{self, Window};
use crate::error::{Error, Result};
use crate::index::Archive;
use crate::index::checkpoint::Checkpoint;
use crate::index::pipeline::{BATCH_BYTES, MAX_LINE};
use crate::layout;
use crate::read::{Batch, Splitter};
use crate::schema::Catalog;
use crate::source::{BlobInfo, Source};

/// One blob, or one sealed partition folder, as the source, the checkpoint
/// and the index see it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Unit {
    /// `container/blob path`, or `container/folder/` for a sealed folder.
    pub key: String,
    pub sealed: bool,
    /// Whether the source still holds it.
    pub in_source: bool,
    pub source_lines: u64,
    pub source_records: u64,
    pub source_bad: u64,
    /// Whether the checkpoint has progress for it.
    pub indexed: bool,
    pub checkpoint_lines: u64,
    pub checkpoint_docs: u64,
    pub duplicates: u64,
    pub bad: u64,
    /// Documents the index holds from it.
    pub index_docs: u64,
    /// What differs, in words.
    pub problems: Vec<String>,
}

/// What `verify` found.
#[derive(Debug, Default, Serialize)]
pub struct VerifyReport {
    /// Blobs read from the source.
    pub blobs_read: u64,
    /// Blobs and sealed folders compared.
    pub checked: u64,
    pub sealed_folders: u64,
    pub source_lines: u64,
    pub index_docs: u64,
    /// Indexed blobs the source no longer holds (checked against the checkpoint only).
    pub gone_from_source: u64,
    /// Every blob or sealed folder that differs.
    pub differences: Vec<Unit>,
}

/// Lines, records and bad lines in a blob.
#[derive(Debug, Default, Clone, Copy)]
struct SourceCount {
    lines: u64,
    records: u64,
    bad: u64,
}

/// Reads and decodes every complete line of one blob.
async fn count_blob(
    source: Arc<dyn Source>,
    decoder: Arc<Decoder>,
    info: BlobInfo,
    table: String,
) -> Result<SourceCount> {
    let key = info.key();
    let mut count = SourceCount::default();
    let mut add = |batch: &Batch| {
        count.lines += batch.lines.len() as u64;
        for line in &batch.lines {
            if line.too_long.is_some() {
                count.bad += 1;
                continue;
            }
            let ctx = LineContext {
                blob: &key,
                table: &table,
                offset: line.offset,
            };
            let decoded = decoder.decode_line(batch.line(line), &ctx);
            count.records += decoded.records.len() as u64;
            count.bad += decoded.bad.len() as u64;
        }
    };
    let mut stream = source
        .read(&info.container, &info.name, 0, Some(info.size))
        .await?;
    let mut splitter = Splitter::new(0, BATCH_BYTES, MAX_LINE);
    while let Some(chunk) = stream.next().await {
        for batch in splitter.push(&chunk?) {
            add(&batch);
        }
    }
    add(&splitter.finish());
    Ok(count)
}

/// The unit a blob or folder key is counted in: its sealed folder, if any.
fn unit<'a>(
    units: &'a mut BTreeMap<String, Unit>,
    checkpoint: &Checkpoint,
    key: &str,
) -> &'a mut Unit {
    let (key, sealed) = match checkpoint.sealed_folder_of(key) {
        Some((folder, _)) => (folder.clone(), true),
        None => (key.to_string(), false),
    };
    units.entry(key.clone()).or_insert_with(|| Unit {
        key,
        sealed,
        ..Default::default()
    })
}

/// Whether a `_blob` key names a blob of an exported table's container.
/// Pulled alerts carry the API endpoint they came from instead: they have no
/// source lines to reconcile, and are kept one document per alert by id.
fn from_container(key: &str) -> bool {
    key.split('/')
        .next()
        .and_then(layout::container_table_suffix)
        .is_some()
}

/// Whether a key's container holds one of `tables` (all when empty).
fn wanted(key: &str, tables: &[String]) -> bool {
    tables.is_empty()
        || key
            .split('/')
            .next()
            .and_then(layout::container_table_suffix)
            .is_some_and(|t| tables.iter().any(|w| w.eq_ignore_ascii_case(t)))
}

/// Reconciles the index with `source`, for `tables` (all when empty).
pub async fn verify(
    archive: &Archive,
    catalog: &Catalog,
    source: Arc<dyn Source>,
    tables: &[String],
    concurrency: usize,
) -> Result<VerifyReport> {
    let checkpoint = Checkpoint::load(&archive.index)?;
    let counted = tally::tally(archive)?;
    let window = checkpoint.unpruned(&Window::default());
    let found = discover::discover(source.as_ref(), catalog, tables, &window).await?;
    let decoder = Arc::new(Decoder::new(&archive.fields, catalog));
    let mut report = VerifyReport {
        blobs_read: found.blobs.len() as u64,
        ..Default::default()
    };

    let mut units: BTreeMap<String, Unit> = BTreeMap::new();

    let counts: Vec<(String, Result<SourceCount>)> = futures::stream::iter(found.blobs)
        .map(|d| {
            let key = d.info.key();
            let task = tokio::spawn(count_blob(source.clone(), decoder.clone(), d.info, d.table));
            async move {
                let count = task
                    .await
                    .map_err(|e| Error::Index(format!("verifying {key}: {e}")))
                    .and_then(|r| r);
                (key, count)
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    for (key, count) in counts {
        let count = count.map_err(|e| Error::Source(format!("reading {key}: {e}")))?;
        let u = unit(&mut units, &checkpoint, &key);
        u.in_source = true;
        u.source_lines += count.lines;
        u.source_records += count.records;
        u.source_bad += count.bad;
        report.source_lines += count.lines;
    }
    for (key, p) in checkpoint.blobs.iter().filter(|(k, _)| wanted(k, tables)) {
        let u = unit(&mut units, &checkpoint, key);
        u.indexed = true;
        u.checkpoint_lines += p.lines;
        u.checkpoint_docs += p.docs;
        u.duplicates += p.duplicates;
        u.bad += p.bad;
    }
    for (key, f) in checkpoint.sealed.iter().filter(|(k, _)| wanted(k, tables)) {
        let u = unit(&mut units, &checkpoint, key);
        u.indexed = true;
        u.checkpoint_lines += f.lines;
        u.checkpoint_docs += f.docs;
        u.duplicates += f.duplicates;
        u.bad += f.bad;
    }
    for (key, n) in counted
        .blobs
        .iter()
        .filter(|(k, _)| from_container(k) && wanted(k, tables))
    {
        unit(&mut units, &checkpoint, key).index_docs += n;
        report.index_docs += n;
    }

    for mut u in units.into_values() {
        report.checked += 1;
        report.sealed_folders += u64::from(u.sealed);
        u.problems = problems(&u);
        if u.indexed && !u.in_source {
            report.gone_from_source += 1;
        }
        if !u.problems.is_empty() {
            report.differences.push(u);
        }
    }
    Ok(report)
}

/// What differs between the source, the checkpoint and the index for one unit.
fn problems(u: &Unit) -> Vec<String> {
    let mut out = Vec::new();
    if !u.indexed {
        if u.source_lines > 0 {
            out.push(format!(
                "not indexed: the source holds {} complete lines",
                u.source_lines
            ));
        }
        if u.index_docs > 0 {
            out.push(format!(
                "the index holds {} documents from it, but the checkpoint does not know it",
                u.index_docs
            ));
        }
        return out;
    }
    if u.in_source {
        if u.source_lines != u.checkpoint_lines {
            out.push(format!(
                "the source holds {} complete lines, {} were indexed",
                u.source_lines, u.checkpoint_lines
            ));
        }
        let kept = u.checkpoint_docs + u.duplicates;
        if u.source_records != kept {
            out.push(format!(
                "the source holds {} records, {} were indexed ({} documents + {} duplicates)",
                u.source_records, kept, u.checkpoint_docs, u.duplicates
            ));
        }
        if u.source_bad != u.bad {
            out.push(format!(
                "the source holds {} bad lines, {} were dead-lettered",
                u.source_bad, u.bad
            ));
        }
    }
    if u.index_docs != u.checkpoint_docs {
        out.push(format!(
            "the index holds {} documents from it, {} were indexed",
            u.index_docs, u.checkpoint_docs
        ));
    }
    out
}
