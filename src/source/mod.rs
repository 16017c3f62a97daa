//! Where bytes come from. A [`Source`] lists containers and blobs and reads a
//! byte range of a blob as a stream; the local directory source
//! ([`local::LocalSource`]) and the Azure Blob source ([`azure::AzureSource`],
//! authenticated as [`auth`] decides) implement it, and the
//! rest of the pipeline sees only this trait.

pub mod auth;
pub mod azure;
pub mod local;

use bytes::Bytes;
use futures::stream::BoxStream;

use crate::error::Result;

/// A blob as listed: enough to tell whether it changed since the last run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    pub container: String,
    /// Path inside the container (`tenantId=…/y=…/…/PT1H.json`).
    pub name: String,
    pub size: u64,
    /// Changes whenever the content changes (Azure ETag; locally size + mtime).
    pub etag: Option<String>,
    /// Changes only when the blob is replaced rather than appended to (Azure
    /// creation time; locally device, inode and birth time).
    pub identity: Option<String>,
}

impl BlobInfo {
    /// The key the checkpoint and the index use for this blob: `container/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.container, self.name)
    }
}

/// One level of a listing: sub-folders ("prefixes", ending in `/`) and blobs.
#[derive(Debug, Default)]
pub struct Listing {
    pub prefixes: Vec<String>,
    pub blobs: Vec<BlobInfo>,
}

/// Requests a source made and bytes it delivered, for run summaries and for
/// proving that a run with nothing new reads nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RequestStats {
    /// Listing requests (containers or blobs, every page and retry).
    pub list_requests: u64,
    /// Blob read requests (every range, resume and retry).
    pub read_requests: u64,
    /// Blob bytes delivered to readers.
    pub bytes: u64,
}

impl RequestStats {
    /// What was counted between `earlier` and `self`.
    pub fn since(self, earlier: RequestStats) -> RequestStats {
        RequestStats {
            list_requests: self.list_requests - earlier.list_requests,
            read_requests: self.read_requests - earlier.read_requests,
            bytes: self.bytes - earlier.bytes,
        }
    }
}

/// A stream of a blob's bytes, in order.
pub type ByteStream = BoxStream<'static, Result<Bytes>>;

#[async_trait::async_trait]
pub trait Source: Send + Sync {
    /// A description for messages: what is read, never a secret.
    fn describe(&self) -> String;

    /// Requests made and bytes delivered so far.
    fn stats(&self) -> RequestStats;

    /// Containers whose names start with `prefix`.
    async fn list_containers(&self, prefix: &str) -> Result<Vec<String>>;

    /// Lists under `prefix` (which ends in `/` or is empty). With `delimited`,
    /// one level: direct blobs plus sub-folders as prefixes; without it, every
    /// blob below `prefix`. An absent container or prefix lists as empty.
    async fn list(&self, container: &str, prefix: &str, delimited: bool) -> Result<Listing>;

    /// Reads bytes `start..end` (to the end of the blob when `end` is `None`).
    async fn read(
        &self,
        container: &str,
        blob: &str,
        start: u64,
        end: Option<u64>,
    ) -> Result<ByteStream>;
}
