//! The tantivy index: its field model ([`fields`]), document identity,
//! the checkpoint committed with the documents ([`checkpoint`]), the
//! dead-letter log ([`deadletter`]), the indexing pipeline ([`pipeline`]),
//! the sealing of finished partitions ([`seal`]), the history of runs
//! ([`history`]), the format of the index directory and its writer lock
//! ([`format`]), and rebuilding the index from its original records
//! ([`rebuild`]).

pub mod checkpoint;
pub mod deadletter;
pub mod fields;
pub mod format;
pub mod history;
pub mod pipeline;
pub mod rebuild;
pub mod seal;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tantivy::Index;
use tantivy::directory::MmapDirectory;

use crate::error::{Error, Result};
use crate::schema::Catalog;
pub use fields::Fields;
pub use format::WriterLock;

/// Environment variable naming the index directory.
pub const INDEX_ENV: &str = "HUNTVAULT_INDEX";
/// Default index directory.
pub const DEFAULT_INDEX_DIR: &str = "index-data";

/// An opened index with its field handles.
pub struct Archive {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    /// What its `FORMAT` said when opened (or after this process upgraded it).
    format: Mutex<format::Format>,
}

impl Archive {
    /// Whether `dir` holds an index.
    pub fn exists(dir: &Path) -> bool {
        format::format_file(dir).exists()
    }

    /// Opens an existing index for reading, after finishing a rebuild that
    /// a crash interrupted while it was being published.
    pub fn open(dir: &Path) -> Result<Self> {
        if !Self::exists(dir) {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        format::recover(dir)?;
        let found = format::read(dir)?;
        let index = open_tantivy(&format::tantivy_dir(dir), dir)?;
        Self::from_index(dir, index, found)
    }

    /// Opens the index at `dir`, creating it from `catalog` if absent.
    pub fn open_or_create(dir: &Path, catalog: &Catalog) -> Result<Self> {
        if Self::exists(dir) {
            return Self::open(dir);
        }
        let index = create_tantivy(&format::tantivy_dir(dir), dir, catalog)?;
        let created = format::write(dir)?;
        Self::from_index(dir, index, created)
    }

    /// Opens the index again if a rebuild replaced it since it was opened
    /// (a long-running command calls this before each pass).
    pub fn refresh(&mut self) -> Result<()> {
        format::recover(&self.dir)?;
        let on_disk = format::read(&self.dir)?;
        if on_disk.generation() != self.format().generation() {
            *self = Self::open(&self.dir)?;
        }
        Ok(())
    }

    /// The format of the index as this process knows it.
    pub fn format(&self) -> format::Format {
        self.format
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Takes the index's writer lock, held until the returned guard drops.
    /// Fails at once, naming the holder, when another process holds it, and
    /// when the index was rebuilt since it was opened. Upgrades a format 1
    /// index to the current format.
    pub fn lock(&self) -> Result<WriterLock> {
        let guard = format::lock(&self.dir)?;
        let on_disk = format::read(&self.dir)?;
        let mut known = self
            .format
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if on_disk.generation() != known.generation() {
            return Err(Error::Rebuilt(self.dir.clone()));
        }
        if on_disk.version < format::FORMAT_VERSION {
            *known = format::write(&self.dir)?;
        }
        Ok(guard)
    }

    fn from_index(dir: &Path, index: Index, format: format::Format) -> Result<Self> {
        fields::register_tokenizers(&index);
        let fields = Fields::from_schema(&index.schema())?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            index,
            fields,
            format: Mutex::new(format),
        })
    }
}

/// Opens the tantivy index in `tdir` (of the index at `dir`, for messages).
fn open_tantivy(tdir: &Path, dir: &Path) -> Result<Index> {
    let mmap =
        MmapDirectory::open(tdir).map_err(|e| Error::Index(format!("{}: {e}", dir.display())))?;
    Ok(Index::open(mmap)?)
}

/// Creates an empty tantivy index in `tdir` with the fields of `catalog`.
fn create_tantivy(tdir: &Path, dir: &Path, catalog: &Catalog) -> Result<Index> {
    std::fs::create_dir_all(tdir).map_err(|e| Error::io(tdir, e))?;
    let mmap =
        MmapDirectory::open(tdir).map_err(|e| Error::Index(format!("{}: {e}", dir.display())))?;
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
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_that_opened_an_index_rebuilt_since_stops_until_it_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open_or_create(dir.path(), &Catalog::embedded()).unwrap();
        drop(archive.lock().unwrap());
        format::write(dir.path()).unwrap();
        assert!(matches!(archive.lock(), Err(Error::Rebuilt(_))));
        archive.refresh().unwrap();
        drop(archive.lock().unwrap());
    }

    #[test]
    fn a_format_1_index_is_upgraded_once_by_the_first_writer() {
        let dir = tempfile::tempdir().unwrap();
        drop(Archive::open_or_create(dir.path(), &Catalog::embedded()).unwrap());
        std::fs::write(format::format_file(dir.path()), "1\n").unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        assert_eq!(format::read(dir.path()).unwrap().version, 1);
        drop(archive.lock().unwrap());
        let upgraded = format::read(dir.path()).unwrap();
        assert_eq!(upgraded.version, format::FORMAT_VERSION);
        // The same process goes on writing (a watch's next pass).
        drop(archive.lock().unwrap());
        assert_eq!(format::read(dir.path()).unwrap(), upgraded);
    }
}
