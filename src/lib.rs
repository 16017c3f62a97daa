//! huntvault: a lossless, searchable archive of Microsoft Defender XDR
//! Advanced Hunting exports.
//!
//! The indexing pipeline runs in one direction:
//!
//! ```text
//! source ──► discover ──► read ──► decode ──► index ──► commit (+checkpoint)
//! ```
//!
//! - [`source`]: where bytes come from (a local directory laid out like the
//!   storage account; the Azure Blob source implements the same trait).
//! - [`discover`]: containers and partitions, pruned by table and time window.
//! - [`read`]: ranged, streamed reads cut into complete lines.
//! - [`decode`]: lines → envelopes → typed documents.
//! - [`index`]: the tantivy index, document identity, checkpoint, commit;
//!   and rebuilding it from the original records it keeps (`reindex`).
//!
//! The query side, [`query`], compiles search strings to tantivy queries and
//! prints results. [`generate`] writes synthetic exports for tests, benchmarks
//! and the demo. [`alerts`] pulls Defender alerts from the SIEM and Graph
//! alerts APIs into the same archive.

pub mod alerts;
pub mod decode;
pub mod demo;
pub mod discover;
pub mod error;
pub mod generate;
pub mod http;
pub mod index;
pub mod layout;
pub mod ops;
pub mod query;
pub mod read;
pub mod schema;
pub mod source;
pub mod timefmt;

pub use error::{Error, Result};
