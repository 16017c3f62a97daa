//! The dead-letter log: every line or record that could not be indexed, with
//! its blob, byte offset, reason and bytes, in `deadletter.jsonl` under the
//! index directory.
//!
//! Entries are written just before the commit that consumes their lines,
//! tagged with that commit's opstamp. If the commit never lands (a crash),
//! the lines are read again by the next run; the stale entries are dropped
//! when the log is next opened, since their opstamp is above the index's.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const FILE_NAME: &str = "deadletter.jsonl";

/// One rejected line (or record of a `records` line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The commit whose checkpoint consumed the line.
    pub opstamp: u64,
    /// `container/blob path`.
    pub blob: String,
    pub offset: u64,
    pub reason: String,
    /// The line, when valid UTF-8 (cut to the kept head for over-long lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// The line's bytes, hex-encoded, when not valid UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_hex: Option<String>,
}

impl DeadLetter {
    pub fn new(blob: &str, offset: u64, reason: String, bytes: &[u8]) -> Self {
        let (line, line_hex) = match std::str::from_utf8(bytes) {
            Ok(s) => (Some(s.to_string()), None),
            Err(_) => (
                None,
                Some(bytes.iter().map(|b| format!("{b:02x}")).collect()),
            ),
        };
        DeadLetter {
            opstamp: 0,
            blob: blob.to_string(),
            offset,
            reason,
            line,
            line_hex,
        }
    }
}

pub fn path(index_dir: &Path) -> PathBuf {
    index_dir.join(FILE_NAME)
}

/// Reads the entries of commits up to `committed` (entries of commits that
/// never landed are skipped).
pub fn read(index_dir: &Path, committed: u64) -> Result<Vec<DeadLetter>> {
    let p = path(index_dir);
    let file = match File::open(&p) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&p, e)),
    };
    let mut out = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| Error::io(&p, e))?;
        // A torn last line (crash while appending) belongs to a commit that did not land.
        if let Ok(entry) = serde_json::from_str::<DeadLetter>(&line)
            && entry.opstamp <= committed
        {
            out.push(entry);
        }
    }
    Ok(out)
}

/// Drops entries of commits that never landed, rewriting the log atomically.
pub fn repair(index_dir: &Path, committed: u64) -> Result<()> {
    rewrite(index_dir, committed, |_| true)
}

/// Drops the entries of blobs whose documents were deleted (replaced blobs
/// are read again from their start, and log their bad lines anew).
pub fn forget_blobs(index_dir: &Path, committed: u64, blobs: &[String]) -> Result<()> {
    rewrite(index_dir, committed, |e| !blobs.contains(&e.blob))
}

/// Rewrites the log atomically with the landed entries that `keep` accepts.
pub fn rewrite(index_dir: &Path, committed: u64, keep: impl Fn(&DeadLetter) -> bool) -> Result<()> {
    let p = path(index_dir);
    if !p.exists() {
        return Ok(());
    }
    let keep: Vec<DeadLetter> = read(index_dir, committed)?
        .into_iter()
        .filter(|e| keep(e))
        .collect();
    let tmp = p.with_extension("jsonl.tmp");
    write_entries(&tmp, &keep, false)?;
    std::fs::rename(&tmp, &p).map_err(|e| Error::io(&p, e))
}

/// Appends entries for the commit `opstamp` and syncs them to disk.
pub fn append(index_dir: &Path, opstamp: u64, entries: &mut [DeadLetter]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    stamp(entries, opstamp);
    write_entries(&path(index_dir), entries, true)
}

/// Writes the whole log of a new index (a rebuild) whose one commit is
/// `opstamp`: the file exists afterwards even with no entry.
pub fn replace(index_dir: &Path, opstamp: u64, entries: &mut [DeadLetter]) -> Result<()> {
    stamp(entries, opstamp);
    write_entries(&path(index_dir), entries, false)
}

fn stamp(entries: &mut [DeadLetter], opstamp: u64) {
    for e in entries.iter_mut() {
        e.opstamp = opstamp;
    }
}

fn write_entries(p: &Path, entries: &[DeadLetter], append: bool) -> Result<()> {
    let file = OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(p)
        .map_err(|e| Error::io(p, e))?;
    let mut w = BufWriter::new(file);
    for e in entries {
        serde_json::to_writer(&mut w, e).map_err(|e| Error::io(p, e.into()))?;
        w.write_all(b"\n").map_err(|e| Error::io(p, e))?;
    }
    let file = w.into_inner().map_err(|e| Error::io(p, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(p, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_of_commits_that_did_not_land_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = vec![DeadLetter::new("c/b", 0, "not JSON".into(), b"x")];
        let mut b = vec![DeadLetter::new("c/b", 10, "invalid UTF-8".into(), b"\xff")];
        append(dir.path(), 3, &mut a).unwrap();
        append(dir.path(), 5, &mut b).unwrap();
        assert_eq!(read(dir.path(), 5).unwrap().len(), 2);
        repair(dir.path(), 4).unwrap();
        let left = read(dir.path(), 100).unwrap();
        assert_eq!(left, a);
        forget_blobs(dir.path(), 100, &["c/b".to_string()]).unwrap();
        assert!(read(dir.path(), 100).unwrap().is_empty());
        assert_eq!(left[0].line.as_deref(), Some("x"));
        assert_eq!(b[0].line_hex.as_deref(), Some("ff"));
    }
}
