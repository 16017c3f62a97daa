//! The run history: the last runs of `huntvault index` (start, duration,
//! result, counts, error), newest last, in `runs.json` in the index
//! directory. It is rewritten whole on each run, through a temporary file
//! renamed over the old one, so a crash leaves either the old or the new
//! history, never a torn one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::pipeline::RunSummary;
use crate::error::{Error, Result};

pub const FILE_NAME: &str = "runs.json";
/// Runs kept.
pub const KEEP: usize = 100;

/// One indexing run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// When the run started (RFC 3339, UTC).
    pub start: String,
    pub duration_secs: f64,
    /// `ok`, `partial` (some blobs could not be read completely) or `error`.
    pub result: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub blobs_read: u64,
    #[serde(default)]
    pub bytes_read: u64,
    #[serde(default)]
    pub docs_added: u64,
    #[serde(default)]
    pub duplicates: u64,
    #[serde(default)]
    pub bad_lines: u64,
    #[serde(default)]
    pub blobs_sealed: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl RunRecord {
    /// The record of a run that finished (completely or with unread blobs).
    pub fn finished(start: jiff::Timestamp, s: &RunSummary) -> Self {
        RunRecord {
            start: start
                .round(jiff::Unit::Millisecond)
                .unwrap_or(start)
                .to_string(),
            duration_secs: s.elapsed_secs,
            result: if s.errors.is_empty() { "ok" } else { "partial" }.into(),
            source: s.source.clone(),
            blobs_read: s.blobs_read as u64,
            bytes_read: s.bytes_read,
            docs_added: s.docs_added,
            duplicates: s.duplicates,
            bad_lines: s.bad_lines,
            blobs_sealed: s.blobs_sealed,
            error: s.errors.first().cloned(),
        }
    }

    /// The record of a run that failed.
    pub fn failed(start: jiff::Timestamp, duration_secs: f64, source: String, e: &Error) -> Self {
        RunRecord {
            start: start
                .round(jiff::Unit::Millisecond)
                .unwrap_or(start)
                .to_string(),
            duration_secs,
            result: "error".into(),
            source,
            blobs_read: 0,
            bytes_read: 0,
            docs_added: 0,
            duplicates: 0,
            bad_lines: 0,
            blobs_sealed: 0,
            error: Some(e.to_string()),
        }
    }
}

pub fn path(index_dir: &Path) -> PathBuf {
    index_dir.join(FILE_NAME)
}

/// The recorded runs, oldest first (none for a new index).
pub fn read(index_dir: &Path) -> Result<Vec<RunRecord>> {
    let p = path(index_dir);
    match std::fs::read(&p) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            Error::Index(format!(
                "{} is unreadable ({e}): remove it to start a new run history",
                p.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io(&p, e)),
    }
}

/// Appends a run, keeping the last [`KEEP`].
pub fn record(index_dir: &Path, run: RunRecord) -> Result<()> {
    let mut runs = read(index_dir)?;
    runs.push(run);
    let drop = runs.len().saturating_sub(KEEP);
    runs.drain(..drop);
    let p = path(index_dir);
    let tmp = p.with_extension("json.tmp");
    let io = |e| Error::io(&tmp, e);
    let mut file = std::fs::File::create(&tmp).map_err(io)?;
    let text = serde_json::to_vec_pretty(&runs).map_err(|e| Error::io(&tmp, e.into()))?;
    file.write_all(&text).map_err(io)?;
    file.sync_all().map_err(io)?;
    std::fs::rename(&tmp, &p).map_err(|e| Error::io(&p, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_runs_in_order() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).unwrap().is_empty());
        let start: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        for i in 0..(KEEP as u64 + 5) {
            let s = RunSummary {
                docs_added: i,
                ..Default::default()
            };
            record(dir.path(), RunRecord::finished(start, &s)).unwrap();
        }
        let failed = Error::Source("unreachable".into());
        record(
            dir.path(),
            RunRecord::failed(start, 1.0, "x".into(), &failed),
        )
        .unwrap();
        let runs = read(dir.path()).unwrap();
        assert_eq!(runs.len(), KEEP);
        assert_eq!(runs[0].docs_added, 6);
        let last = runs.last().unwrap();
        assert_eq!(last.result, "error");
        assert_eq!(last.error.as_deref(), Some("source: unreachable"));
        assert!(!path(dir.path()).with_extension("json.tmp").exists());
    }
}
