//! Counting the live documents of the index per blob and per table, and the
//! newest event time of each table, in one pass over the fast columns
//! (`_blob`, `_table`, `_time`), without reading any stored document.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use tantivy::columnar::StrColumn;

use crate::error::{Error, Result};
use crate::index::{Archive, fields};
use crate::timefmt;

/// What one table holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableTally {
    pub docs: u64,
    /// The newest `_time` among its documents.
    pub newest: Option<Timestamp>,
}

/// Live documents per blob key and per table.
#[derive(Debug, Default)]
pub struct Tally {
    pub blobs: HashMap<String, u64>,
    pub tables: BTreeMap<String, TableTally>,
}

fn column(fast: &tantivy::fastfield::FastFieldReaders, name: &str) -> Result<Option<StrColumn>> {
    fast.str(name)
        .map_err(|e| Error::Index(format!("reading the {name} column: {e}")))
}

fn term(col: &StrColumn, ord: u64) -> Result<String> {
    let mut s = String::new();
    col.ord_to_str(ord, &mut s)
        .map_err(|e| Error::Index(format!("reading a column dictionary: {e}")))?;
    Ok(s)
}

/// Counts the live documents of the index as last committed.
pub fn tally(archive: &Archive) -> Result<Tally> {
    let reader = archive.index.reader()?;
    let searcher = reader.searcher();
    let mut out = Tally::default();
    for seg in searcher.segment_readers() {
        let fast = seg.fast_fields();
        let (Some(blob), Some(table)) = (column(fast, fields::BLOB)?, column(fast, fields::TABLE)?)
        else {
            continue;
        };
        let time = fast.date(fields::TIME)?;
        let mut per_blob = vec![0u64; blob.num_terms()];
        let mut per_table = vec![(0u64, None::<tantivy::DateTime>); table.num_terms()];
        for doc in seg.doc_ids_alive() {
            if let Some(ord) = blob.term_ords(doc).next() {
                per_blob[ord as usize] += 1;
            }
            if let Some(ord) = table.term_ords(doc).next() {
                let slot = &mut per_table[ord as usize];
                slot.0 += 1;
                if let Some(t) = time.first(doc) {
                    slot.1 = Some(slot.1.map_or(t, |n| n.max(t)));
                }
            }
        }
        for (ord, n) in per_blob.into_iter().enumerate() {
            if n > 0 {
                *out.blobs.entry(term(&blob, ord as u64)?).or_default() += n;
            }
        }
        for (ord, (n, newest)) in per_table.into_iter().enumerate() {
            if n > 0 {
                let t = out.tables.entry(term(&table, ord as u64)?).or_default();
                t.docs += n;
                let newest = newest.map(timefmt::from_tantivy);
                t.newest = t.newest.max(newest);
            }
        }
    }
    Ok(out)
}
