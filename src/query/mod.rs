//! The query side of the archive.
//!
//! - [`search`]: compiles a Lucene-style query string into a tantivy query
//!   (using the index's field model, [`crate::index::fields`]), runs it with
//!   the caller's filters (tables, time window), sorts and reads the hits.
//! - [`aggregate`]: counts matching documents by a column's values.
//! - [`export`]: matching records written back byte for byte.
//! - [`kql`]: hunting queries (a subset of KQL), planned onto the index.
//! - [`output`]: prints hits as an aligned table, JSON Lines, CSV, or the
//!   original records byte for byte.

pub mod aggregate;
pub mod export;
pub mod kql;
pub mod output;
pub mod search;

pub use output::{Format, write_hits};
pub use search::{Hit, SearchRequest, SearchResult, SortOrder, SortSpec, compile, search};
