//! The library's error type. Every variant says what happened; the CLI adds
//! what to do about it and maps each to an exit code (see `exit_code`).

use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("schema: {0}")]
    Schema(String),
    #[error("index: {0}")]
    Index(String),
    #[error(
        "the index at {path} is in use by another huntvault process ({holder}); wait for it to finish or stop it"
    )]
    Locked { path: PathBuf, holder: String },
    #[error("no index at {0}: run `huntvault index` first, or point --index at an existing one")]
    NoIndex(PathBuf),
    #[error(
        "the index at {0} was rebuilt by `huntvault reindex` while this command was starting; run it again"
    )]
    Rebuilt(PathBuf),
    #[error("source: {0}")]
    Source(String),
    /// The storage service refused the credentials or their permissions (401/403).
    #[error("{0}")]
    AccessDenied(String),
    /// A container or blob that was expected is not there (404).
    #[error("{0}")]
    NotFound(String),
    /// The storage endpoint cannot be reached (DNS, refused connection).
    #[error("{0}")]
    Unreachable(String),
    /// A time-limited credential (a SAS token) has expired.
    #[error("{0}")]
    Expired(String),
    #[error("query: {message}")]
    Query {
        message: String,
        /// Byte position in the query text, where known.
        position: Option<usize>,
    },
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub fn query(message: impl Into<String>, position: Option<usize>) -> Self {
        Error::Query {
            message: message.into(),
            position,
        }
    }

    /// The process exit code for this error (documented in the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Query { .. } | Error::Usage(_) => 2,
            Error::Locked { .. } | Error::Rebuilt(_) => 3,
            Error::NoIndex(_) => 4,
            Error::Source(_) => 5,
            Error::AccessDenied(_) => 6,
            Error::NotFound(_) => 7,
            Error::Unreachable(_) => 8,
            Error::Expired(_) => 9,
            _ => 1,
        }
    }
}
