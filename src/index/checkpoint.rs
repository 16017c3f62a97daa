//! Per-blob progress, committed atomically with the documents as the tantivy
//! commit payload: after a crash the index holds exactly the documents of
//! the lines its checkpoint says were consumed, never more, never fewer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::error::{Error, Result};
use crate::source::BlobInfo;

/// Version of the checkpoint layout.
const CHECKPOINT_VERSION: u32 = 1;
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

/// Progress of every blob ever read, keyed by `container/blob`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Checkpoint {
    pub version: u32,
    pub blobs: BTreeMap<String, BlobProgress>,
    /// Per alerts API and tenant (`siem/<tenant>`, `graph/<tenant>`): how far
    /// `alerts pull` has come.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub alerts: BTreeMap<String, crate::alerts::AlertCursor>,
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
                let cp: Checkpoint = serde_json::from_str(&p).map_err(|e| {
                    Error::Index(format!("the committed checkpoint is unreadable: {e}"))
                })?;
                if cp.version != CHECKPOINT_VERSION {
                    return Err(Error::Index(format!(
                        "checkpoint version {} is not {CHECKPOINT_VERSION}: \
                         this index was written by another huntvault version",
                        cp.version
                    )));
                }
                Ok(cp)
            }
        }
    }

    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("checkpoint serializes")
    }
}

/// Hash of a blob's first bytes.
pub fn head_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}
