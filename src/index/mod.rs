//! The tantivy index: its field model ([`fields`]), document identity,
//! the checkpoint committed with the documents ([`checkpoint`]), the
//! dead-letter log ([`deadletter`]), the indexing pipeline ([`pipeline`]),
//! the sealing of finished partitions ([`seal`]) and the history of runs
//! ([`history`]).

pub mod checkpoint;
pub mod deadletter;
pub mod fields;
pub mod history;
pub mod pipeline;
pub mod seal;

use std::io::Write;
use std::path::{Path, PathBuf};

use tantivy::Index;
use tantivy::directory::MmapDirectory;

use crate::error::{Error, Result};
use crate::schema::Catalog;
pub use fields::Fields;

/// Environment variable naming the index directory.
pub const INDEX_ENV: &str = "HUNTVAULT_INDEX";
/// Default index directory.
pub const DEFAULT_INDEX_DIR: &str = "index-data";
/// Version of the index layout; an index of another version is refused.
pub const FORMAT_VERSION: u32 = 1;
/// Directory (inside the index directory) holding the tantivy files.
const TANTIVY_DIR: &str = "tantivy";

/// File holding the writer lock (and who holds it).
const LOCK_FILE: &str = "LOCK";

/// Held while a process writes to the index; released when dropped.
pub struct WriterLock {
    _file: std::fs::File,
}

/// An opened index with its field handles.
pub struct Archive {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
}

fn tantivy_dir(dir: &Path) -> PathBuf {
    dir.join(TANTIVY_DIR)
}

fn format_file(dir: &Path) -> PathBuf {
    dir.join("FORMAT")
}

fn check_format(dir: &Path) -> Result<()> {
    let path = format_file(dir);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let found = text.trim();
    if found != FORMAT_VERSION.to_string() {
        return Err(Error::Index(format!(
            "{} is an index of format {found}; this huntvault reads format {FORMAT_VERSION}: \
             rebuild it with `huntvault reindex` from a matching version",
            dir.display()
        )));
    }
    Ok(())
}

impl Archive {
    /// Whether `dir` holds an index.
    pub fn exists(dir: &Path) -> bool {
        format_file(dir).exists()
    }

    /// Opens an existing index for reading.
    pub fn open(dir: &Path) -> Result<Self> {
        if !Self::exists(dir) {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        check_format(dir)?;
        let mmap = MmapDirectory::open(tantivy_dir(dir))
            .map_err(|e| Error::Index(format!("{}: {e}", dir.display())))?;
        let index = Index::open(mmap)?;
        Self::from_index(dir, index)
    }

    /// Opens the index at `dir`, creating it from `catalog` if absent.
    pub fn open_or_create(dir: &Path, catalog: &Catalog) -> Result<Self> {
        if Self::exists(dir) {
            return Self::open(dir);
        }
        let tdir = tantivy_dir(dir);
        std::fs::create_dir_all(&tdir).map_err(|e| Error::io(&tdir, e))?;
        let mmap = MmapDirectory::open(&tdir)
            .map_err(|e| Error::Index(format!("{}: {e}", dir.display())))?;
        let mut index = Index::create(
            mmap,
            fields::build_schema(catalog),
            tantivy::IndexSettings {
                docstore_compression: tantivy::store::Compressor::Zstd(
                    tantivy::store::ZstdCompressor {
                        compression_level: Some(1),
                    },
                ),
                docstore_blocksize: 64 * 1024,
                ..Default::default()
            },
        )?;
        index.set_default_multithread_executor()?;
        std::fs::write(format_file(dir), format!("{FORMAT_VERSION}\n"))
            .map_err(|e| Error::io(format_file(dir), e))?;
        Self::from_index(dir, index)
    }

    /// Takes the index's writer lock, held until the returned guard drops.
    /// Fails at once, naming the holder, when another process holds it.
    pub fn lock(&self) -> Result<WriterLock> {
        let path = self.dir.join(LOCK_FILE);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                return Err(Error::Locked {
                    path: self.dir.clone(),
                    holder: if holder.is_empty() {
                        "unknown process".into()
                    } else {
                        holder.into()
                    },
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let holder = format!(
            "pid {} since {}",
            std::process::id(),
            jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .unwrap_or(jiff::Timestamp::now())
        );
        file.set_len(0).map_err(|e| Error::io(&path, e))?;
        file.write_all(holder.as_bytes())
            .map_err(|e| Error::io(&path, e))?;
        Ok(WriterLock { _file: file })
    }

    fn from_index(dir: &Path, index: Index) -> Result<Self> {
        fields::register_tokenizers(&index);
        let fields = Fields::from_schema(&index.schema())?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            index,
            fields,
        })
    }
}
