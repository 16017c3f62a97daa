//! `huntvault hunt`: Advanced Hunting queries (a subset of KQL) over the
//! archive.
//!
//! - [`lexer`]: text → tokens with positions (`line:column` in messages).
//! - [`parser`]: tokens → [`ast`]; unsupported syntax is refused by name.
//! - [`value`]: KQL scalar values, their comparison and printing.
//! - [`eval`]: expressions on one row.
//! - [`pushdown`]: `where` predicates → tantivy queries (exact, or a
//!   superset re-checked per row).
//! - [`rows`]: matching documents → rows, from the document store or from
//!   fast fields.
//! - [`exec`]: the plan and the tabular operators.

pub mod ast;
pub mod eval;
pub mod exec;
pub mod lexer;
pub mod parser;
pub mod pushdown;
pub mod rows;
pub mod value;

use std::collections::HashSet;

use jiff::Timestamp;

pub use exec::Output;

use crate::error::Result;
use crate::index::Archive;
use crate::schema::{Catalog, Kind};

/// Environment variable pinning `now()` and `ago()` (an RFC 3339 instant).
pub const NOW_ENV: &str = "HUNTVAULT_NOW";

/// Parses and runs a query; `now` is what `now()` and `ago()` count from.
pub fn hunt(archive: &Archive, catalog: &Catalog, text: &str, now: Timestamp) -> Result<Output> {
    let query = parser::parse(text)?;
    let ctx = eval::Context::new(text, now, string_columns(archive));
    exec::run(archive, catalog, &query, &ctx)
}

/// The columns whose absent value is the empty string: keyword and text.
pub fn string_columns(archive: &Archive) -> HashSet<String> {
    archive
        .fields
        .columns
        .iter()
        .filter(|(_, (_, kind))| matches!(kind, Kind::Keyword | Kind::Text))
        .map(|(name, _)| name.clone())
        .collect()
}
