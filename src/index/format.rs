//! The index directory's format file (`FORMAT`), its writer lock, and the
//! publishing of a rebuilt index (`reindex`) in place of the live one.
//!
//! Format versions:
//!
//! - **1**: `FORMAT` holds `1`. The tantivy files are in `tantivy/` (fields as
//!   in [`fields`](super::fields), the checkpoint as the commit payload), with
//!   the dead-letter log and the run history beside them.
//! - **2**: the same files; `FORMAT` holds `2` and, on its second line, a
//!   JSON object naming the index's *generation* (new with each rebuild) and
//!   when it was made. A process that opened the index, then finds another
//!   generation when it takes the writer lock, stops instead of writing into
//!   files it did not open. A format 1 index is read as it is, and upgraded
//!   to format 2 the first time a command takes its writer lock.
//!
//! An index of a newer format, or a `FORMAT` that cannot be read, is refused
//! with a message, never guessed at.
//!
//! A rebuild is staged in `rebuild/` (its own `tantivy/`, dead-letter log and
//! `FORMAT`), under the writer lock, while the live index stays readable.
//! When the staged index is complete, `rebuild/READY` is written; from then
//! on the rebuild is published by a roll-forward journal: the staged files
//! replace the live ones one rename at a time, and each step can be repeated,
//! so a crash anywhere is finished by the next command that opens the index.
//! A `rebuild/` without `READY` is an interrupted rebuild: it is discarded,
//! and the live index was never touched.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The format this huntvault writes.
pub const FORMAT_VERSION: u32 = 2;
/// The oldest format it reads (and upgrades).
pub const OLDEST_FORMAT_VERSION: u32 = 1;
/// Directory (inside the index directory) holding the tantivy files.
pub const TANTIVY_DIR: &str = "tantivy";
/// Directory (inside the index directory) where a rebuild is staged.
pub const REBUILD_DIR: &str = "rebuild";
/// Marker of a complete staged rebuild, ready to replace the live index.
const READY: &str = "READY";
/// The files a rebuild replaces, in the order they are published; `FORMAT`
/// (with the new generation) last.
const PUBLISHED: &[&str] = &[TANTIVY_DIR, super::deadletter::FILE_NAME, FILE_NAME];
/// Where the replaced tantivy files wait for removal.
const OLD_TANTIVY: &str = "tantivy.old";
const FILE_NAME: &str = "FORMAT";
/// File holding the writer lock (and who holds it).
const LOCK_FILE: &str = "LOCK";

/// What `FORMAT` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    pub version: u32,
    /// Absent in a format 1 index.
    pub meta: Option<Meta>,
}

/// The second line of a format 2 `FORMAT` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Changes whenever the tantivy files are replaced by a rebuild.
    pub generation: String,
    /// When this generation was made (RFC 3339).
    pub created: String,
}

impl Meta {
    /// A new generation, made now.
    fn fresh() -> Meta {
        let now = jiff::Timestamp::now();
        Meta {
            generation: format!("{:x}-{:x}", now.as_nanosecond(), std::process::id()),
            created: now.round(jiff::Unit::Second).unwrap_or(now).to_string(),
        }
    }
}

impl Format {
    pub fn generation(&self) -> Option<&str> {
        self.meta.as_ref().map(|m| m.generation.as_str())
    }
}

pub fn tantivy_dir(dir: &Path) -> PathBuf {
    dir.join(TANTIVY_DIR)
}

pub fn format_file(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

fn rebuild_dir(dir: &Path) -> PathBuf {
    dir.join(REBUILD_DIR)
}

/// Bytes of the files directly in `dir` (the tantivy files of an index).
pub fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Reads the `FORMAT` file of the index at `dir`.
pub fn read(dir: &Path) -> Result<Format> {
    let path = format_file(dir);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    parse(&text).map_err(|why| {
        Error::Index(format!(
            "{} is not an index this huntvault can read: {why}",
            dir.display()
        ))
    })
}

fn parse(text: &str) -> std::result::Result<Format, String> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default().trim();
    let version: u32 = first
        .parse()
        .map_err(|_| format!("its FORMAT file starts with {first:?}, not a format number"))?;
    if version > FORMAT_VERSION {
        return Err(format!(
            "it is of format {version}, made by a newer huntvault; this one reads formats \
             {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION}: upgrade huntvault"
        ));
    }
    if version < OLDEST_FORMAT_VERSION {
        return Err(format!("format {version} is not known"));
    }
    let meta = match (version, lines.next()) {
        (1, _) => None,
        (_, Some(line)) => Some(
            serde_json::from_str(line)
                .map_err(|e| format!("its FORMAT file's second line is not readable: {e}"))?,
        ),
        (_, None) => return Err("its FORMAT file has no generation line".into()),
    };
    Ok(Format { version, meta })
}

/// Writes a current `FORMAT` file with a new generation into `dir`
/// (through a temporary file renamed over the old one); returns what it says.
pub fn write(dir: &Path) -> Result<Format> {
    let meta = Meta::fresh();
    let path = format_file(dir);
    let tmp = path.with_extension("tmp");
    let text = format!(
        "{FORMAT_VERSION}\n{}\n",
        serde_json::to_string(&meta).map_err(|e| Error::Index(e.to_string()))?
    );
    write_synced(&tmp, text.as_bytes())?;
    rename(&tmp, &path)?;
    Ok(Format {
        version: FORMAT_VERSION,
        meta: Some(meta),
    })
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io(from, e))
}

/// Held while a process writes to the index; released when dropped.
pub struct WriterLock {
    _file: std::fs::File,
}

/// Takes the writer lock of the index at `dir`, failing at once, naming the
/// holder, when another process holds it.
pub fn lock(dir: &Path) -> Result<WriterLock> {
    let path = dir.join(LOCK_FILE);
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
                path: dir.to_path_buf(),
                holder: if holder.is_empty() {
                    "unknown process".into()
                } else {
                    holder.into()
                },
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
    }
    let now = jiff::Timestamp::now();
    let holder = format!(
        "pid {} since {}",
        std::process::id(),
        now.round(jiff::Unit::Second).unwrap_or(now)
    );
    file.set_len(0).map_err(|e| Error::io(&path, e))?;
    file.write_all(holder.as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(WriterLock { _file: file })
}

/// A rebuild being staged: the directory to build the new index in.
pub struct Staging {
    pub dir: PathBuf,
}

impl Staging {
    /// Starts a rebuild of the index at `dir` (whose lock the caller holds),
    /// discarding what an interrupted one left.
    pub fn start(dir: &Path) -> Result<Staging> {
        let staging = rebuild_dir(dir);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        let tantivy = tantivy_dir(&staging);
        std::fs::create_dir_all(&tantivy).map_err(|e| Error::io(&tantivy, e))?;
        Ok(Staging { dir: staging })
    }

    /// Marks the staged index complete and publishes it in place of the live
    /// one (the caller still holds the lock).
    pub fn publish(self, dir: &Path) -> Result<()> {
        write(&self.dir)?;
        sync_dir(&tantivy_dir(&self.dir))?;
        sync_dir(&self.dir)?;
        write_synced(&self.dir.join(READY), b"")?;
        sync_dir(&self.dir)?;
        roll_forward(dir)
    }

    /// Removes the staged files of a rebuild that failed.
    pub fn discard(self) -> Result<()> {
        std::fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))
    }
}

fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(dir, e))
}

/// Moves the staged files of a ready rebuild over the live ones. Every step
/// checks what is already done, so it can run again after a crash.
fn roll_forward(dir: &Path) -> Result<()> {
    let staging = rebuild_dir(dir);
    for name in PUBLISHED {
        let staged = staging.join(name);
        if !staged.exists() {
            continue;
        }
        let live = dir.join(name);
        if *name == TANTIVY_DIR {
            let old = staging.join(OLD_TANTIVY);
            if live.exists() && !old.exists() {
                rename(&live, &old)?;
            }
        }
        rename(&staged, &live)?;
        sync_dir(dir)?;
    }
    std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    sync_dir(dir)
}

/// Finishes or discards what a rebuild left in the index at `dir`, if
/// anything. With the lock held by another process, a rebuild that is
/// ready means the index is being replaced right now ([`Error::Locked`]);
/// one still being built leaves the live index as it is.
pub fn recover(dir: &Path) -> Result<()> {
    let staging = rebuild_dir(dir);
    if !staging.exists() {
        return Ok(());
    }
    match lock(dir) {
        Ok(_lock) => {
            if staging.join(READY).exists() {
                roll_forward(dir)
            } else {
                std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))
            }
        }
        Err(e @ Error::Locked { .. }) if staging.join(READY).exists() => Err(e),
        Err(Error::Locked { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_files_of_every_version() {
        assert_eq!(
            parse("1\n").unwrap(),
            Format {
                version: 1,
                meta: None
            }
        );
        let meta = Meta::fresh();
        let text = format!("2\n{}\n", serde_json::to_string(&meta).unwrap());
        assert_eq!(parse(&text).unwrap().meta, Some(meta));
        assert!(parse("3\n{}").unwrap_err().contains("newer huntvault"));
        assert!(parse("0\n").unwrap_err().contains("not known"));
        assert!(
            parse("{\"x\":1}")
                .unwrap_err()
                .contains("not a format number")
        );
        assert!(parse("2\n").unwrap_err().contains("no generation"));
        assert!(parse("2\nnot json").unwrap_err().contains("not readable"));
    }

    fn file(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn read_file(dir: &Path, rel: &str) -> String {
        std::fs::read_to_string(dir.join(rel)).unwrap()
    }

    #[test]
    fn a_ready_rebuild_is_finished_from_any_step_and_an_unready_one_dropped() {
        let meta = Meta::fresh();
        let new_format = format!("2\n{}\n", serde_json::to_string(&meta).unwrap());
        // Every point a publish can stop at: 0 = nothing moved yet,
        // 1 = old tantivy set aside, 2 = new tantivy in place, ...
        for step in 0..5 {
            let d = tempfile::tempdir().unwrap();
            let dir = d.path();
            file(dir, "FORMAT", "1\n");
            file(dir, "tantivy/meta.json", "old");
            file(dir, "deadletter.jsonl", "old");
            file(dir, "rebuild/tantivy/meta.json", "new");
            file(dir, "rebuild/deadletter.jsonl", "new");
            file(dir, "rebuild/FORMAT", &new_format);
            file(dir, "rebuild/READY", "");
            let moves: [(&str, &str); 4] = [
                ("tantivy", "rebuild/tantivy.old"),
                ("rebuild/tantivy", "tantivy"),
                ("rebuild/deadletter.jsonl", "deadletter.jsonl"),
                ("rebuild/FORMAT", "FORMAT"),
            ];
            for (from, to) in &moves[..step] {
                std::fs::rename(dir.join(from), dir.join(to)).unwrap();
            }
            recover(dir).unwrap();
            assert_eq!(read_file(dir, "tantivy/meta.json"), "new", "step {step}");
            assert_eq!(read_file(dir, "deadletter.jsonl"), "new", "step {step}");
            assert_eq!(read(dir).unwrap().meta, Some(meta.clone()), "step {step}");
            assert!(!dir.join(REBUILD_DIR).exists(), "step {step}");
        }

        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        file(dir, "FORMAT", "1\n");
        file(dir, "tantivy/meta.json", "old");
        file(dir, "rebuild/tantivy/meta.json", "half");
        recover(dir).unwrap();
        assert_eq!(read_file(dir, "tantivy/meta.json"), "old");
        assert!(!dir.join(REBUILD_DIR).exists());
    }

    #[test]
    fn a_ready_rebuild_under_another_lock_is_reported_as_locked() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        file(dir, "FORMAT", "1\n");
        file(dir, "rebuild/tantivy/meta.json", "half");
        let held = lock(dir).unwrap();
        // Being built: the live index is left alone and readable.
        recover(dir).unwrap();
        assert!(dir.join(REBUILD_DIR).exists());
        file(dir, "rebuild/READY", "");
        assert!(matches!(recover(dir), Err(Error::Locked { .. })));
        drop(held);
    }
}
