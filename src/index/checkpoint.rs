//! Per-blob progress, committed atomically with the documents as the tantivy
//! commit payload: after a crash the index holds exactly the documents of
//! the lines its checkpoint says were consumed, never more, never fewer.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::error::{Error, Result};
use crate::source::BlobInfo;

/// Version of the checkpoint layout. Version 2 added sealed folders and the
/// pruning cutoff: a huntvault that knows only version 1 would read sealed
/// and pruned partitions again, so it must refuse a version 2 checkpoint.
const CHECKPOINT_VERSION: u32 = 2;
/// The oldest checkpoint layout still read (and upgraded on the next commit).
const OLDEST_CHECKPOINT_VERSION: u32 = 1;
/// Bytes at the start of a blob whose hash tells a replaced blob from a grown one.
pub const HEAD_LEN: u64 = 4096;

/// How far one blob was read, and what came of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobProgress {
    pub table: String,
    /// The source's replacement identity when read (see [`BlobInfo::identity`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Blob size when last listed and read.
    pub size: u64,
    /// Offset just past the last consumed (complete) line.
    pub offset: u64,
    /// Hash of the first `head_len` bytes, to detect a replaced blob.
    pub head_hash: u64,
    pub head_len: u64,
    /// Complete lines consumed (blank ones included).
    pub lines: u64,
    /// Records in them (a `records` line holds several).
    pub records: u64,
    /// Documents added from them.
    pub docs: u64,
    /// Records skipped as copies of records already indexed.
    pub duplicates: u64,
    /// Lines or records that could not be read (see the dead-letter log).
    pub bad: u64,
    /// When a listing last showed the blob changed (Unix seconds): the
    /// start of the run that read it. Sealing measures the grace from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<i64>,
}

impl BlobProgress {
    /// Whether the listed blob is exactly as when it was last read.
    pub fn unchanged(&self, info: &BlobInfo) -> bool {
        self.size == info.size && self.etag == info.etag && self.identity == info.identity
    }

    /// Whether the listing alone proves the blob was replaced.
    pub fn replaced(&self, info: &BlobInfo) -> bool {
        info.size < self.offset
            || (self.identity.is_some()
                && info.identity.is_some()
                && self.identity != info.identity)
    }
}

/// What the blobs of a sealed partition folder added up to. Their own
/// progress records are folded into this one, so the checkpoint grows with
/// the folders sealed, not with every blob ever read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedFolder {
    pub table: String,
    pub blobs: u64,
    /// Bytes consumed (the sum of the blobs' offsets).
    pub bytes: u64,
    pub lines: u64,
    pub records: u64,
    pub docs: u64,
    pub duplicates: u64,
    pub bad: u64,
    /// The newest partition hour among its blobs (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_hour: Option<i64>,
}

impl SealedFolder {
    /// One blob's progress as a folder of one; `hour` is its partition hour.
    pub fn of_blob(p: &BlobProgress, hour: Option<i64>) -> Self {
        SealedFolder {
            table: p.table.clone(),
            blobs: 1,
            bytes: p.offset,
            lines: p.lines,
            records: p.records,
            docs: p.docs,
            duplicates: p.duplicates,
            bad: p.bad,
            newest_hour: hour,
        }
    }

    /// Adds a blob or a sealed sub-folder.
    pub fn add(&mut self, f: &SealedFolder) {
        self.table.clone_from(&f.table);
        self.newest_hour = self.newest_hour.max(f.newest_hour);
        self.blobs += f.blobs;
        self.bytes += f.bytes;
        self.lines += f.lines;
        self.records += f.records;
        self.docs += f.docs;
        self.duplicates += f.duplicates;
        self.bad += f.bad;
    }
}

/// Progress of every blob ever read, keyed by `container/blob`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Checkpoint {
    pub version: u32,
    /// Blobs of partitions still open (not sealed).
    pub blobs: BTreeMap<String, BlobProgress>,
    /// Per alerts API and tenant (`siem/<tenant>`, `graph/<tenant>`): how far
    /// `alerts pull` has come.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub alerts: BTreeMap<String, crate::alerts::AlertCursor>,
    /// Sealed partition folders, keyed by `container/folder/` (a day, month
    /// or year of one tenant): never listed nor read again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sealed: BTreeMap<String, SealedFolder>,
    /// Partitions of hours before this (Unix seconds) were pruned: their
    /// documents and progress are gone, and they are never read again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pruned_before: Option<i64>,
}

impl Checkpoint {
    /// `window` narrowed to the partitions not pruned.
    pub fn unpruned(&self, window: &crate::discover::Window) -> crate::discover::Window {
        let pruned = self
            .pruned_before
            .and_then(|s| jiff::Timestamp::from_second(s).ok());
        crate::discover::Window {
            since: window.since.max(pruned),
            until: window.until,
        }
    }
}

impl Checkpoint {
    /// The checkpoint of the last commit (empty for a new index).
    pub fn load(index: &Index) -> Result<Self> {
        let meta = index.load_metas()?;
        match meta.payload {
            None => Ok(Checkpoint {
                version: CHECKPOINT_VERSION,
                ..Default::default()
            }),
            Some(p) => {
                let mut cp: Checkpoint = serde_json::from_str(&p).map_err(|e| {
                    Error::Index(format!("the committed checkpoint is unreadable: {e}"))
                })?;
                if !(OLDEST_CHECKPOINT_VERSION..=CHECKPOINT_VERSION).contains(&cp.version) {
                    return Err(Error::Index(format!(
                        "checkpoint version {} is not one this huntvault reads \
                         ({OLDEST_CHECKPOINT_VERSION} to {CHECKPOINT_VERSION}): \
                         this index was written by another huntvault version; use that one",
                        cp.version
                    )));
                }
                cp.version = CHECKPOINT_VERSION;
                Ok(cp)
            }
        }
    }

    /// The sealed folder holding a blob or folder key, if one does.
    pub fn sealed_folder_of(&self, key: &str) -> Option<(&String, &SealedFolder)> {
        self.sealed
            .range::<str, _>((Bound::Unbounded, Bound::Included(key)))
            .next_back()
            .filter(|(prefix, _)| key.starts_with(prefix.as_str()))
    }

    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("checkpoint serializes")
    }
}

/// Hash of a blob's first bytes.
pub fn head_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_with_payload(payload: &str) -> Index {
        let mut schema = tantivy::schema::Schema::builder();
        schema.add_text_field("x", tantivy::schema::STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer(15 << 20).unwrap();
        let mut prepared = writer.prepare_commit().unwrap();
        prepared.set_payload(payload);
        prepared.commit().unwrap();
        index
    }

    #[test]
    fn a_version_1_checkpoint_is_upgraded_and_a_newer_one_refused() {
        let v1 = r#"{"version":1,"blobs":{"c/b":{"table":"T","size":9,"offset":9,"head_hash":1,"head_len":9,"lines":1,"records":1,"docs":1,"duplicates":0,"bad":0}}}"#;
        let cp = Checkpoint::load(&index_with_payload(v1)).unwrap();
        assert_eq!(cp.version, CHECKPOINT_VERSION);
        assert_eq!(cp.blobs["c/b"].docs, 1);
        assert!(cp.sealed.is_empty() && cp.pruned_before.is_none());
        assert!(cp.to_payload().starts_with(r#"{"version":2,"#));

        let v3 = r#"{"version":3,"blobs":{}}"#;
        let err = Checkpoint::load(&index_with_payload(v3)).unwrap_err();
        assert!(
            err.to_string().contains("another huntvault version"),
            "{err}"
        );
    }
}
