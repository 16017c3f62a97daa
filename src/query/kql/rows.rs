//! Rows out of the index: the documents a tantivy query matches, streamed
//! segment by segment (so `take` stops early and nothing is collected),
//! either as whole records (read from the document store, `properties`
//! typed by the field model) or, when a query reads only columns that have
//! fast fields, as values read from those columns without opening a
//! document.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{EnableScoring, Query};
use tantivy::{DateTime, DocAddress, DocSet, Searcher, TERMINATED};

use super::eval::Row;
use super::value::Value;
use crate::error::{Error, Result};
use crate::index::fields::Fields;
use crate::query::search::{Hit, HitReader};
use crate::schema::Kind;

/// How rows are made from documents.
#[derive(Debug, Clone)]
pub enum RowMode {
    /// The whole record, from the document store.
    Full,
    /// Only these columns (each with a fast field of its kind), from the
    /// fast fields.
    Fast(Vec<(String, Kind)>),
}

/// The value a typed column holds for a JSON value; a value that does not
/// fit the column's kind is null (empty for strings), as in the index.
pub fn typed(kind: Option<Kind>, json: serde_json::Value) -> Value {
    use serde_json::Value as J;
    match kind {
        Some(Kind::Keyword | Kind::Text) => Value::Str(match json {
            J::String(s) => s,
            J::Number(n) => n.to_string(),
            J::Bool(b) => b.to_string(),
            _ => String::new(),
        }),
        Some(Kind::Int) => crate::decode::as_i64(&json).map_or(Value::Null, Value::Long),
        Some(Kind::Bool) => crate::decode::as_bool(&json).map_or(Value::Null, Value::Bool),
        Some(Kind::Date) => match &json {
            J::String(s) => {
                crate::timefmt::parse_export_time(s).map_or(Value::Null, Value::datetime)
            }
            _ => Value::Null,
        },
        Some(Kind::Dynamic) | None => Value::from_json(json),
    }
}

/// A JSON object's members in their order.
struct Ordered(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(
                self,
                mut m: M,
            ) -> std::result::Result<Ordered, M::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(serde::Deserialize)]
struct Envelope {
    properties: Option<Ordered>,
}

/// A record as a row: its `properties` columns, typed.
pub fn full_row(fields: &Fields, hit: Hit) -> Row {
    let properties = serde_json::from_str::<Envelope>(&hit.raw)
        .ok()
        .and_then(|e| e.properties)
        .map_or_else(Vec::new, |p| p.0);
    let cols = properties
        .into_iter()
        .map(|(name, json)| {
            let kind = fields.column(&name).map(|(_, k)| k);
            let value = typed(kind, json);
            (Arc::from(name.as_str()), value)
        })
        .collect();
    Row {
        cols,
        raw: Some(Arc::new(hit)),
        derived: false,
    }
}

/// One segment's fast columns for [`RowMode::Fast`].
enum FastColumn {
    Str(Option<StrColumn>, HashMap<u64, String>),
    Int(Option<Column<i64>>),
    Date(Option<Column<DateTime>>),
    Bool(Option<Column<bool>>),
}

impl FastColumn {
    fn open(reader: &tantivy::SegmentReader, name: &str, kind: Kind) -> Result<FastColumn> {
        let ff = reader.fast_fields();
        Ok(match kind {
            Kind::Int => FastColumn::Int(ff.i64(name).ok()),
            Kind::Date => FastColumn::Date(ff.date(name).ok()),
            Kind::Bool => FastColumn::Bool(ff.bool(name).ok()),
            _ => FastColumn::Str(ff.str(name)?, HashMap::new()),
        })
    }

    fn value(&mut self, doc: u32) -> Result<Value> {
        Ok(match self {
            FastColumn::Str(column, cache) => {
                let Some(column) = column else {
                    return Ok(Value::Str(String::new()));
                };
                let Some(ord) = column.ords().first(doc) else {
                    return Ok(Value::Str(String::new()));
                };
                if let Some(s) = cache.get(&ord) {
                    return Ok(Value::Str(s.clone()));
                }
                let mut s = String::new();
                column
                    .ord_to_str(ord, &mut s)
                    .map_err(|e| Error::Index(format!("reading a fast field: {e}")))?;
                cache.insert(ord, s.clone());
                Value::Str(s)
            }
            FastColumn::Int(c) => c
                .as_ref()
                .and_then(|c| c.first(doc))
                .map_or(Value::Null, Value::Long),
            FastColumn::Date(c) => c
                .as_ref()
                .and_then(|c| c.first(doc))
                .map_or(Value::Null, |d| {
                    Value::DateTime(i128::from(d.into_timestamp_nanos()))
                }),
            FastColumn::Bool(c) => c
                .as_ref()
                .and_then(|c| c.first(doc))
                .map_or(Value::Null, Value::Bool),
        })
    }
}

/// Calls `each` with the address and a row of every document matching
/// `query`, until it breaks.
pub fn scan(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    mode: &RowMode,
    mut each: impl FnMut(DocAddress, Row) -> Result<ControlFlow<()>>,
) -> Result<()> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut hits = HitReader::new(searcher, fields);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let mut scorer = weight.scorer(segment, 1.0)?;
        let alive = segment.alive_bitset();
        let mut columns = match mode {
            RowMode::Full => Vec::new(),
            RowMode::Fast(cols) => cols
                .iter()
                .map(|(name, kind)| {
                    Ok((
                        Arc::<str>::from(name.as_str()),
                        FastColumn::open(segment, name, *kind)?,
                    ))
                })
                .collect::<Result<Vec<_>>>()?,
        };
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let address = DocAddress::new(ord as u32, doc);
                let row = match mode {
                    RowMode::Full => full_row(fields, hits.read(address)?),
                    RowMode::Fast(_) => {
                        let mut cols = Vec::with_capacity(columns.len());
                        for (name, column) in &mut columns {
                            cols.push((name.clone(), column.value(doc)?));
                        }
                        Row {
                            cols,
                            raw: None,
                            derived: false,
                        }
                    }
                };
                if each(address, row)?.is_break() {
                    return Ok(());
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(())
}
