//! What the index holds per table and how far it trails the source: newest
//! event time indexed, the newest blob hour known (from a listing of the
//! source's open partitions when a source is given, else from the
//! checkpoint), the lag between the two, bytes read, documents, duplicates
//! skipped, bad lines, open and sealed blobs; and the last runs.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::tally;
use crate::discover::{self, Window};
use crate::error::Result;
use crate::index::Archive;
use crate::index::checkpoint::Checkpoint;
use crate::index::history::{self, RunRecord};
use crate::layout;
use crate::schema::Catalog;
use crate::source::Source;

/// One table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TableStatus {
    pub table: String,
    /// Live documents in the index.
    pub docs: u64,
    /// Newest event time (`_time`) indexed.
    #[serde(serialize_with = "rfc3339")]
    pub newest_event: Option<Timestamp>,
    /// Newest partition hour known: listed in the source, or in the checkpoint.
    #[serde(serialize_with = "rfc3339")]
    pub newest_blob: Option<Timestamp>,
    /// How far the newest event indexed trails the newest blob's hour, in seconds.
    pub lag_secs: Option<i64>,
    /// Bytes of the source not read yet (only when a source was listed).
    pub pending_bytes: Option<u64>,
    pub bytes_read: u64,
    pub duplicates: u64,
    pub bad_lines: u64,
    /// Blobs whose partitions are still open (listed and re-checked each run).
    pub open_blobs: u64,
    /// Blobs folded into sealed partitions.
    pub sealed_blobs: u64,
}

/// The whole status.
#[derive(Debug, Default, Serialize)]
pub struct Status {
    /// What was listed for `newest_blob` and `pending_bytes`, if anything.
    pub source: Option<String>,
    pub tables: Vec<TableStatus>,
    /// The last runs, oldest first.
    pub runs: Vec<RunRecord>,
}

fn rfc3339<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_string()),
        None => s.serialize_none(),
    }
}

fn hour_of(key: &str) -> Option<Timestamp> {
    let (_, name) = key.split_once('/')?;
    layout::parse_blob_path(name).map(|p| p.hour)
}

/// The status of `archive`; with a `source`, its open partitions are listed
/// (never read) for the newest blob and the bytes still to read.
pub async fn status(
    archive: &Archive,
    catalog: &Catalog,
    source: Option<&dyn Source>,
    runs: usize,
) -> Result<Status> {
    let checkpoint = Checkpoint::load(&archive.index)?;
    let counted = tally::tally(archive)?;
    let mut tables: BTreeMap<String, TableStatus> = BTreeMap::new();
    fn table<'a>(tables: &'a mut BTreeMap<String, TableStatus>, name: &str) -> &'a mut TableStatus {
        tables
            .entry(name.to_string())
            .or_insert_with(|| TableStatus {
                table: name.to_string(),
                ..Default::default()
            })
    }
    for (key, p) in &checkpoint.blobs {
        let t = table(&mut tables, &p.table);
        t.open_blobs += 1;
        t.bytes_read += p.offset;
        t.duplicates += p.duplicates;
        t.bad_lines += p.bad;
        t.newest_blob = t.newest_blob.max(hour_of(key));
    }
    for f in checkpoint.sealed.values() {
        let t = table(&mut tables, &f.table);
        t.sealed_blobs += f.blobs;
        let hour = f.newest_hour.and_then(|h| Timestamp::from_second(h).ok());
        t.newest_blob = t.newest_blob.max(hour);
        t.bytes_read += f.bytes;
        t.duplicates += f.duplicates;
        t.bad_lines += f.bad;
    }
    for (name, c) in &counted.tables {
        let t = table(&mut tables, name);
        t.docs = c.docs;
        t.newest_event = c.newest;
    }
    let mut described = None;
    if let Some(source) = source {
        let sealed = |folder: &str| checkpoint.sealed.contains_key(folder);
        let found =
            discover::discover_open(source, catalog, &[], &Window::default(), &sealed).await?;
        for d in &found.blobs {
            let key = d.info.key();
            let read = checkpoint.blobs.get(&key).map_or(0, |p| p.offset);
            let t = table(&mut tables, &d.table);
            t.newest_blob = t.newest_blob.max(hour_of(&key));
            *t.pending_bytes.get_or_insert(0) += d.info.size.saturating_sub(read);
        }
        for t in tables.values_mut() {
            t.pending_bytes.get_or_insert(0);
        }
        described = Some(source.describe());
    }
    for t in tables.values_mut() {
        if let (Some(blob), Some(event)) = (t.newest_blob, t.newest_event) {
            t.lag_secs = Some(blob.duration_since(event).as_secs().max(0));
        }
    }
    let mut history = history::read(&archive.dir)?;
    history.drain(..history.len().saturating_sub(runs));
    Ok(Status {
        source: described,
        tables: tables.into_values().collect(),
        runs: history,
    })
}
