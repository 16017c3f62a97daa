//! A local directory laid out exactly like the storage account:
//! `ROOT/<container>/tenantId=…/y=…/m=…/d=…/h=…/m=00/PT1H.json`.
//!
//! A file's identity (for telling a replaced blob from an appended one) is its
//! device, inode and birth time; its etag is its size and modification time.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::BytesMut;
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::{BlobInfo, ByteStream, Listing, RequestStats, Source};
use crate::error::{Error, Result};

/// Bytes per read from a local file.
const CHUNK: usize = 1 << 20;

pub struct LocalSource {
    root: PathBuf,
    lists: AtomicU64,
    reads: AtomicU64,
    bytes: Arc<AtomicU64>,
}

impl LocalSource {
    /// A source over `root`, which must be a directory.
    pub fn new(root: &Path) -> Result<Self> {
        if !root.is_dir() {
            return Err(Error::Source(format!(
                "{} is not a directory: give --source the folder that holds the \
                 insights-logs-advancedhunting-* containers",
                root.display()
            )));
        }
        Ok(LocalSource {
            root: root.to_path_buf(),
            lists: AtomicU64::new(0),
            reads: AtomicU64::new(0),
            bytes: Arc::new(AtomicU64::new(0)),
        })
    }

    fn blob_info(container: &str, name: String, meta: &std::fs::Metadata) -> BlobInfo {
        let birth = meta
            .created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        BlobInfo {
            container: container.to_string(),
            name,
            size: meta.len(),
            etag: Some(format!(
                "{}-{}.{}",
                meta.len(),
                meta.mtime(),
                meta.mtime_nsec()
            )),
            identity: Some(format!("{}:{}:{birth}", meta.dev(), meta.ino())),
        }
    }

    /// Every file below `dir`, with its path relative to the container.
    fn walk(container: &str, dir: &Path, rel: &str, out: &mut Vec<BlobInfo>) -> Result<()> {
        for (name, path, meta) in entries(dir)? {
            if meta.is_dir() {
                Self::walk(container, &path, &format!("{rel}{name}/"), out)?;
            } else if meta.is_file() {
                out.push(Self::blob_info(container, format!("{rel}{name}"), &meta));
            }
        }
        Ok(())
    }
}

/// The entries of `dir` sorted by name, with their metadata (following
/// links); an absent directory has none.
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf, std::fs::Metadata)>> {
    let read = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut out = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let path = entry.path();
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        out.push((name, path, meta));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

#[async_trait::async_trait]
impl Source for LocalSource {
    fn describe(&self) -> String {
        format!("local directory {}", self.root.display())
    }

    fn stats(&self) -> RequestStats {
        RequestStats {
            list_requests: self.lists.load(Ordering::Relaxed),
            read_requests: self.reads.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }

    async fn list_containers(&self, prefix: &str) -> Result<Vec<String>> {
        self.lists.fetch_add(1, Ordering::Relaxed);
        let root = self.root.clone();
        let prefix = prefix.to_string();
        blocking(move || {
            let out: Vec<String> = entries(&root)?
                .into_iter()
                .filter(|(name, _, meta)| meta.is_dir() && name.starts_with(&prefix))
                .map(|(name, _, _)| name)
                .collect();
            Ok(out)
        })
        .await
    }

    async fn list(&self, container: &str, prefix: &str, delimited: bool) -> Result<Listing> {
        self.lists.fetch_add(1, Ordering::Relaxed);
        let dir = self.root.join(container).join(prefix);
        let container = container.to_string();
        let prefix = prefix.to_string();
        blocking(move || {
            let mut listing = Listing::default();
            if !delimited {
                Self::walk(&container, &dir, &prefix, &mut listing.blobs)?;
                return Ok(listing);
            }
            for (name, _, meta) in entries(&dir)? {
                if meta.is_dir() {
                    listing.prefixes.push(format!("{prefix}{name}/"));
                } else if meta.is_file() {
                    listing.blobs.push(Self::blob_info(
                        &container,
                        format!("{prefix}{name}"),
                        &meta,
                    ));
                }
            }
            Ok(listing)
        })
        .await
    }

    async fn read(
        &self,
        container: &str,
        blob: &str,
        start: u64,
        end: Option<u64>,
    ) -> Result<ByteStream> {
        self.reads.fetch_add(1, Ordering::Relaxed);
        let path = self.root.join(container).join(blob);
        let mut file = tokio::fs::File::open(&path)
            .await
            .map_err(|e| Error::io(&path, e))?;
        file.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(|e| Error::io(&path, e))?;
        let remaining = end.map(|e| e.saturating_sub(start));
        let state = (file, path, remaining, self.bytes.clone());
        let stream =
            futures::stream::unfold(state, |(mut file, path, remaining, counted)| async move {
                let want = remaining.map_or(CHUNK, |r| (r as usize).min(CHUNK));
                if want == 0 {
                    return None;
                }
                let mut buf = BytesMut::zeroed(want);
                match file.read(&mut buf).await {
                    Ok(0) => None,
                    Ok(n) => {
                        counted.fetch_add(n as u64, Ordering::Relaxed);
                        buf.truncate(n);
                        let remaining = remaining.map(|r| r - n as u64);
                        Some((Ok(buf.freeze()), (file, path, remaining, counted)))
                    }
                    Err(e) => Some((Err(Error::io(&path, e)), (file, path, Some(0), counted))),
                }
            });
        Ok(stream.boxed())
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Source(format!("listing task failed: {e}")))?
}
