//! `huntvault export`: the original records that match a search query, a
//! KQL predicate and a time window, written back byte for byte — one per
//! line, in one stream or in the storage account's layout (one file per
//! blob they were read from), ordered by blob and offset.
//!
//! Memory grows with the number of matching records (an address, a blob
//! name shared per blob, and an offset each), not with their size: the
//! records themselves are read and written one at a time.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;
use tantivy::DocAddress;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Occur, Query};

use super::kql::eval::{Context, eval};
use super::kql::pushdown::Pushdown;
use super::kql::rows::{RowMode, scan};
use super::kql::{parser, string_columns};
use super::search::{self, HitReader, SearchRequest};
use crate::error::{Error, Result};
use crate::index::Archive;
use crate::index::fields;
use crate::schema::Catalog;

/// Where exported records go.
pub enum Destination<'a> {
    /// One stream, one record a line.
    Stream(&'a mut dyn Write),
    /// A directory laid out like the storage account: `DIR/<container>/<blob path>`.
    Layout(PathBuf),
}

/// What an export wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    pub records: u64,
    pub bytes: u64,
    /// Files written (layout) or 1 (stream).
    pub blobs: u64,
}

/// Writes the records matching `req` (its query string, tables and time
/// window; its limit and sort are ignored) and, if given, the KQL predicate
/// `where_kql`, which `now()`/`ago()` in it count from `now`.
pub fn export(
    archive: &Archive,
    catalog: &Catalog,
    req: &SearchRequest,
    where_kql: Option<&str>,
    now: Timestamp,
    dest: Destination,
) -> Result<ExportSummary> {
    let searcher = search::open_searcher(archive)?;
    let fields = &archive.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(search::request_query(archive, catalog, req)?),
    )];
    let mut residual = None;
    let ctx = Context::new(where_kql.unwrap_or_default(), now, string_columns(archive));
    if let Some(text) = where_kql {
        let predicate = parser::parse_expr(text)?;
        let text_analyzer = archive
            .index
            .tokenizers()
            .get(fields::TEXT_TOKENIZER)
            .ok_or_else(|| {
                Error::Index("the text analyzer is not registered on this index".into())
            })?;
        let pushed = Pushdown {
            fields,
            ctx: &ctx,
            text: text_analyzer,
        }
        .push(&predicate);
        clauses.push((Occur::Must, pushed.query));
        if !pushed.exact {
            residual = Some(predicate);
        }
    }
    let query = BooleanQuery::new(clauses);
    let mode = if residual.is_some() {
        RowMode::Full
    } else {
        RowMode::Fast(Vec::new())
    };
    let mut addresses = Vec::new();
    scan(&searcher, fields, &query, &mode, |address, row| {
        let keep = match &residual {
            Some(p) => eval(p, &row, &ctx)?.as_bool() == Some(true),
            None => true,
        };
        if keep {
            addresses.push(address);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    let mut located = locate(&searcher, addresses)?;
    located.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut hits = HitReader::new(&searcher, fields);
    let mut summary = ExportSummary::default();
    match dest {
        Destination::Stream(out) => {
            for (_, _, address) in located {
                let hit = hits.read(address)?;
                write_line(out, &hit.raw, &mut summary)
                    .map_err(|e| Error::io("standard output", e))?;
            }
            summary.blobs = 1;
        }
        Destination::Layout(dir) => {
            let mut current: Option<(Arc<str>, PathBuf, BufWriter<File>)> = None;
            for (blob, _, address) in located {
                if current.as_ref().is_none_or(|(b, _, _)| *b != blob) {
                    if let Some((_, path, mut w)) = current.take() {
                        w.flush().map_err(|e| Error::io(&path, e))?;
                    }
                    let path = blob_path(&dir, &blob)?;
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                    }
                    let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
                    summary.blobs += 1;
                    current = Some((blob.clone(), path, BufWriter::new(file)));
                }
                let hit = hits.read(address)?;
                if let Some((_, path, w)) = current.as_mut() {
                    write_line(w, &hit.raw, &mut summary).map_err(|e| Error::io(&*path, e))?;
                }
            }
            if let Some((_, path, mut w)) = current.take() {
                w.flush().map_err(|e| Error::io(&path, e))?;
            }
        }
    }
    Ok(summary)
}

fn write_line(out: &mut dyn Write, raw: &str, summary: &mut ExportSummary) -> std::io::Result<()> {
    out.write_all(raw.as_bytes())?;
    out.write_all(b"\n")?;
    summary.records += 1;
    summary.bytes += raw.len() as u64 + 1;
    Ok(())
}

/// The file a blob is written to under `dir`; a blob name that would leave
/// `dir` (`..`, an absolute path) is refused.
fn blob_path(dir: &Path, blob: &str) -> Result<PathBuf> {
    let relative = Path::new(blob);
    if blob.is_empty()
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(Error::Index(format!(
            "a record's blob name `{blob}` is not a relative path: it cannot be exported in the storage layout (export to one stream instead)"
        )));
    }
    Ok(dir.join(relative))
}

/// The blob and offset of each document, from the fast fields.
fn locate(
    searcher: &tantivy::Searcher,
    addresses: Vec<DocAddress>,
) -> Result<Vec<(Arc<str>, u64, DocAddress)>> {
    let mut columns: HashMap<u32, (Option<StrColumn>, Option<Column<u64>>)> = HashMap::new();
    let mut names: HashMap<(u32, u64), Arc<str>> = HashMap::new();
    let mut out = Vec::with_capacity(addresses.len());
    for address in addresses {
        let segment = address.segment_ord;
        if let std::collections::hash_map::Entry::Vacant(e) = columns.entry(segment) {
            let ff = searcher.segment_reader(segment).fast_fields();
            e.insert((ff.str(fields::BLOB)?, ff.u64(fields::OFFSET).ok()));
        }
        let Some((blob, offset)) = columns.get(&segment) else {
            continue;
        };
        let ord = blob.as_ref().and_then(|c| c.ords().first(address.doc_id));
        let name = match (blob, ord) {
            (Some(column), Some(ord)) => match names.get(&(segment, ord)) {
                Some(name) => name.clone(),
                None => {
                    let mut s = String::new();
                    column
                        .ord_to_str(ord, &mut s)
                        .map_err(|e| Error::Index(format!("reading a fast field: {e}")))?;
                    let name: Arc<str> = Arc::from(s);
                    names.insert((segment, ord), name.clone());
                    name
                }
            },
            _ => Arc::from(""),
        };
        let offset = offset
            .as_ref()
            .and_then(|c| c.first(address.doc_id))
            .unwrap_or_default();
        out.push((name, offset, address));
    }
    Ok(out)
}
