//! Lines → records → typed tantivy documents.
//!
//! A line holds one envelope (`{"time", "tenantId", "category",
//! "properties": {…}, …}`), a list of them (`{"records": […]}`, the Event Hub
//! form), or a consumer's wrapper around either (`{"body": …}`). Each envelope
//! becomes one document: `properties` columns are flattened to top-level
//! fields typed by the catalog, envelope keys are kept as fields too, and the
//! record's own bytes are stored as `_raw`. See [`crate::index::fields`] for
//! where each value lands.
//!
//! Nothing is dropped: an unknown column, a value of the wrong type for its
//! column, or a dynamic column is indexed under its name in the `_kw`/`_txt`
//! JSON fields. `null` and `""` index nothing. A line that cannot be read as
//! an envelope is reported with its reason and never aborts the run.

use std::collections::HashMap;

use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};
use tantivy::TantivyDocument;
use tantivy::schema::{Field, OwnedValue};

use crate::index::Fields;
use crate::schema::{Catalog, Kind};
use crate::timefmt;

/// Where a line came from.
#[derive(Debug, Clone, Copy)]
pub struct LineContext<'a> {
    /// `container/blob path`.
    pub blob: &'a str,
    /// The table the container holds (used when a record has no `category`).
    pub table: &'a str,
    /// Byte offset of the line in the blob.
    pub offset: u64,
}

/// One decoded record.
pub struct Record {
    /// Content identity: the same `category` and `properties` bytes give the same id.
    pub id: u128,
    pub table: String,
    pub doc: TantivyDocument,
}

/// What a line held.
#[derive(Default)]
pub struct Decoded {
    pub records: Vec<Record>,
    /// Reasons the line, or records in it, could not be read.
    pub bad: Vec<String>,
    /// The line was empty or white space.
    pub blank: bool,
}

/// The record identity of an envelope: a 128-bit hash of its category and
/// the exact bytes of its `properties`.
pub fn record_id(category: &str, properties: &str) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(category.as_bytes());
    h.update(&[0]);
    h.update(properties.as_bytes());
    h.digest128()
}

/// Turns lines into documents for one index.
pub struct Decoder {
    fields: Fields,
    columns: HashMap<String, (Field, Kind)>,
    catalog: Catalog,
}

/// JSON values headed for `_kw` and `_txt`.
#[derive(Default)]
struct Loose {
    kw: Vec<(String, OwnedValue)>,
    txt: Vec<(String, OwnedValue)>,
}

impl Decoder {
    pub fn new(fields: &Fields, catalog: &Catalog) -> Self {
        let columns = fields
            .columns
            .iter()
            .map(|(name, fk)| (name.clone(), *fk))
            .collect();
        Decoder {
            fields: fields.clone(),
            columns,
            catalog: catalog.clone(),
        }
    }

    /// Decodes one line (without its line end).
    pub fn decode_line(&self, line: &[u8], ctx: &LineContext) -> Decoded {
        let mut out = Decoded::default();
        let text = match std::str::from_utf8(line) {
            Ok(t) => t,
            Err(e) => {
                out.bad
                    .push(format!("invalid UTF-8 at byte {}", e.valid_up_to()));
                return out;
            }
        };
        if text.trim().is_empty() {
            out.blank = true;
            return out;
        }
        self.decode_value(text, ctx, &mut out);
        out
    }

    /// Decodes a JSON text that is an envelope, a `records` list or a wrapper.
    fn decode_value(&self, text: &str, ctx: &LineContext, out: &mut Decoded) {
        let top: HashMap<String, &RawValue> = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(e) => {
                out.bad.push(json_error(text, &e));
                return;
            }
        };
        if top.contains_key("properties") {
            match self.decode_envelope(text, &top, ctx) {
                Ok(r) => out.records.push(r),
                Err(reason) => out.bad.push(reason),
            }
        } else if let Some(records) = top.get("records") {
            match serde_json::from_str::<Vec<&RawValue>>(records.get()) {
                Ok(list) => {
                    for (i, rec) in list.into_iter().enumerate() {
                        let res = serde_json::from_str::<HashMap<String, &RawValue>>(rec.get())
                            .map_err(|e| json_error(rec.get(), &e))
                            .and_then(|m| self.decode_envelope(rec.get(), &m, ctx));
                        match res {
                            Ok(r) => out.records.push(r),
                            Err(reason) => out.bad.push(format!("records[{i}]: {reason}")),
                        }
                    }
                }
                Err(_) => out.bad.push("`records` is not a list".to_string()),
            }
        } else if let Some(body) = top.get("body") {
            let inner = match serde_json::from_str::<String>(body.get()) {
                Ok(s) => s,
                Err(_) => body.get().to_string(),
            };
            self.decode_value(&inner, ctx, out);
        } else {
            out.bad
                .push("not an envelope: no `properties`, `records` or `body` key".to_string());
        }
    }

    fn decode_envelope(
        &self,
        raw: &str,
        top: &HashMap<String, &RawValue>,
        ctx: &LineContext,
    ) -> Result<Record, String> {
        let props_raw = top
            .get("properties")
            .ok_or("not an envelope: no `properties` key")?;
        let props: Map<String, Value> = serde_json::from_str(props_raw.get())
            .map_err(|_| "not an envelope: `properties` is not an object".to_string())?;
        let category = top
            .get("category")
            .and_then(|c| serde_json::from_str::<String>(c.get()).ok());
        let table = category
            .as_deref()
            .and_then(|c| c.strip_prefix("AdvancedHunting-"))
            .map(|t| self.catalog.canonical_table(t).unwrap_or(t).to_string())
            .unwrap_or_else(|| ctx.table.to_string());
        let id = record_id(category.as_deref().unwrap_or(&table), props_raw.get());

        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.table, &table);
        doc.add_text(f.id, format!("{id:032x}"));
        doc.add_text(f.blob, ctx.blob);
        doc.add_u64(f.offset, ctx.offset);
        doc.add_text(f.raw, raw);

        let mut loose = Loose::default();
        let mut envelope_time = None;
        for (key, value) in top {
            if key == "properties" {
                continue;
            }
            let Ok(value) = serde_json::from_str::<Value>(value.get()) else {
                continue;
            };
            if key == "time" {
                envelope_time = value.as_str().and_then(timefmt::parse_export_time);
            }
            self.add_value(&mut doc, &mut loose, key, value);
        }
        let event_time = props
            .get("Timestamp")
            .and_then(Value::as_str)
            .and_then(timefmt::parse_export_time)
            .or(envelope_time);
        if let Some(t) = event_time {
            doc.add_date(f.time, timefmt::to_tantivy(t));
        }
        for (key, value) in props {
            self.add_value(&mut doc, &mut loose, &key, value);
        }
        loose.add_to(&mut doc, f);
        Ok(Record { id, table, doc })
    }

    /// The document of a JSON object that is a record by itself (an alert
    /// from an alerts API): each member is a column of `table`. `id` is its
    /// identity, `origin` where it was read (stored as `_blob`), `raw` the
    /// object's original text.
    pub fn object_document(
        &self,
        table: &str,
        id: &str,
        origin: &str,
        raw: &str,
        time: Option<jiff::Timestamp>,
        object: Map<String, Value>,
    ) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.table, table);
        doc.add_text(f.id, id);
        doc.add_text(f.blob, origin);
        doc.add_text(f.raw, raw);
        if let Some(t) = time {
            doc.add_date(f.time, timefmt::to_tantivy(t));
        }
        let mut loose = Loose::default();
        for (key, value) in object {
            self.add_value(&mut doc, &mut loose, &key, value);
        }
        loose.add_to(&mut doc, f);
        doc
    }

    /// Indexes one column value by its field's kind, or loosely when it has
    /// no field or does not fit it.
    fn add_value(&self, doc: &mut TantivyDocument, loose: &mut Loose, name: &str, value: Value) {
        if is_empty(&value) {
            return;
        }
        let Some(&(field, kind)) = self.columns.get(name) else {
            // Dynamic and unknown columns: JSON held in a string is indexed
            // as what it holds.
            let value = match value {
                Value::String(s) => parse_json_string(s),
                v => v,
            };
            loose.push(name, value);
            return;
        };
        let fitted = match (kind, &value) {
            (Kind::Keyword | Kind::Text, Value::String(s)) => {
                doc.add_text(field, s);
                true
            }
            (Kind::Keyword | Kind::Text, Value::Number(n)) => {
                doc.add_text(field, n.to_string());
                true
            }
            (Kind::Keyword | Kind::Text, Value::Bool(b)) => {
                doc.add_text(field, if *b { "true" } else { "false" });
                true
            }
            (Kind::Int, v) => match as_i64(v) {
                Some(i) => {
                    doc.add_i64(field, i);
                    true
                }
                None => false,
            },
            (Kind::Date, Value::String(s)) => match timefmt::parse_export_time(s) {
                Some(t) => {
                    doc.add_date(field, timefmt::to_tantivy(t));
                    true
                }
                None => false,
            },
            (Kind::Bool, v) => match as_bool(v) {
                Some(b) => {
                    doc.add_bool(field, b);
                    true
                }
                None => false,
            },
            _ => false,
        };
        if !fitted {
            loose.push(name, value);
        }
    }
}

impl Loose {
    /// Adds what was gathered to the document's `_kw` and `_txt` fields.
    fn add_to(self, doc: &mut TantivyDocument, f: &Fields) {
        if !self.kw.is_empty() {
            doc.add_field_value(f.kw, &OwnedValue::Object(self.kw));
        }
        if !self.txt.is_empty() {
            doc.add_field_value(f.txt, &OwnedValue::Object(self.txt));
        }
    }

    fn push(&mut self, name: &str, value: Value) {
        if let Some(kw) = to_keyword_value(&value) {
            self.kw.push((name.to_string(), kw));
        }
        if let Some(txt) = to_text_value(value) {
            self.txt.push((name.to_string(), txt));
        }
    }
}

/// `null`, `""`, and containers with nothing in them.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn looks_like_json(s: &str) -> bool {
    matches!(s.trim_start().as_bytes().first(), Some(b'{' | b'['))
}

/// JSON held in a string, parsed; a string that is not valid JSON stays a string.
fn parse_json_string(s: String) -> Value {
    if looks_like_json(&s)
        && let Ok(v) = serde_json::from_str::<Value>(&s)
    {
        return v;
    }
    Value::String(s)
}

pub(crate) fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

pub(crate) fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn number_value(n: &Number) -> OwnedValue {
    if let Some(i) = n.as_i64() {
        OwnedValue::I64(i)
    } else if let Some(u) = n.as_u64() {
        OwnedValue::U64(u)
    } else {
        OwnedValue::F64(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// The value as indexed in `_kw`: strings whole (lower-cased by the
/// tokenizer), numbers and bools typed; nulls and empty strings left out.
fn to_keyword_value(v: &Value) -> Option<OwnedValue> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(OwnedValue::Str(s.clone())),
        Value::Bool(b) => Some(OwnedValue::Bool(*b)),
        Value::Number(n) => Some(number_value(n)),
        Value::Array(a) => {
            let items: Vec<_> = a.iter().filter_map(to_keyword_value).collect();
            (!items.is_empty()).then_some(OwnedValue::Array(items))
        }
        Value::Object(o) => {
            let items: Vec<_> = o
                .iter()
                .filter_map(|(k, v)| to_keyword_value(v).map(|v| (k.clone(), v)))
                .collect();
            (!items.is_empty()).then_some(OwnedValue::Object(items))
        }
    }
}

/// The value as indexed in `_txt`: its strings only.
fn to_text_value(v: Value) -> Option<OwnedValue> {
    match v {
        Value::String(s) if !s.is_empty() => Some(OwnedValue::Str(s)),
        Value::Array(a) => {
            let items: Vec<_> = a.into_iter().filter_map(to_text_value).collect();
            (!items.is_empty()).then_some(OwnedValue::Array(items))
        }
        Value::Object(o) => {
            let items: Vec<_> = o
                .into_iter()
                .filter_map(|(k, v)| to_text_value(v).map(|v| (k, v)))
                .collect();
            (!items.is_empty()).then_some(OwnedValue::Object(items))
        }
        _ => None,
    }
}

/// A short reason for a line that is not valid JSON.
fn json_error(text: &str, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!("truncated JSON: the line ends after {} bytes", text.len()),
        Category::Data => "not an envelope: the line is JSON but not an object".to_string(),
        _ => format!("not JSON: {e}"),
    }
}
