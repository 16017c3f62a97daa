//! The index's field model: how a record's values map onto tantivy fields.
//!
//! Fixed fields (names start with `_`, except the envelope's own):
//!
//! | field       | type                  | holds |
//! |-------------|-----------------------|-------|
//! | `_table`    | exact string, fast    | the table (`DeviceProcessEvents`) |
//! | `_time`     | date (fast field)     | event time: `properties.Timestamp`, else envelope `time` |
//! | `_id`       | exact string          | content identity: hash of `category` + `properties` bytes |
//! | `_blob`     | exact string, fast    | `container/blob path` the record was read from |
//! | `_offset`   | u64, fast             | byte offset of its line in that blob |
//! | `_raw`      | stored only           | the original record, byte for byte (compressed docstore) |
//! | `_kw`       | JSON, keyword         | dynamic columns, unknown columns, mistyped values: exact, case-insensitive |
//! | `_txt`      | JSON, text            | the same strings, tokenized for words and phrases |
//!
//! Every column the catalog knows gets a field of its kind, named as the
//! column: keyword (raw tokenizer, lower-cased; fast, case preserved), text
//! (words, lower-cased, with positions), int (i64), date, bool. A dynamic
//! column has no field of its own: its content lives under its name in
//! `_kw`/`_txt` (`AdditionalFields.FileType`). A column the catalog does not
//! know, or a value whose type contradicts its column (text in an int
//! column), is stored there too, so nothing is dropped and everything is
//! searchable.
//!
//! An index keeps the fields it was created with; columns added to `schema/`
//! later land in `_kw`/`_txt` until `reindex` rebuilds it.

use std::collections::BTreeMap;

use tantivy::Index;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, FieldType, INDEXED, IndexRecordOption,
    JsonObjectOptions, NumericOptions, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

use crate::error::{Error, Result};
use crate::schema::{Catalog, Kind};

/// Tokenizer of keyword fields: the whole value, lower-cased.
pub const KEYWORD_TOKENIZER: &str = "hv_keyword";
/// Tokenizer of text fields: alphanumeric words, lower-cased.
pub const TEXT_TOKENIZER: &str = "hv_text";
/// Longest keyword value indexed (bytes); longer values stay in `_raw` and `_txt`.
pub const MAX_KEYWORD_LEN: usize = 16 * 1024;
/// Longest word indexed in text fields (bytes).
pub const MAX_WORD_LEN: usize = 512;

pub const TABLE: &str = "_table";
pub const TIME: &str = "_time";
pub const ID: &str = "_id";
pub const BLOB: &str = "_blob";
pub const OFFSET: &str = "_offset";
pub const RAW: &str = "_raw";
pub const KW: &str = "_kw";
pub const TXT: &str = "_txt";

/// Handles to every field of an index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    pub table: Field,
    pub time: Field,
    pub id: Field,
    pub blob: Field,
    pub offset: Field,
    pub raw: Field,
    pub kw: Field,
    pub txt: Field,
    /// Column name → (field, kind), for every column with a field of its own.
    pub columns: BTreeMap<String, (Field, Kind)>,
}

fn keyword_options() -> TextOptions {
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_TOKENIZER)
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_fast("raw")
}

fn text_indexing() -> TextFieldIndexing {
    TextFieldIndexing::default()
        .set_tokenizer(TEXT_TOKENIZER)
        .set_fieldnorms(false)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions)
}

/// Dates are fast fields only: every query on them is a range (a bare date
/// is its day, a time its second), which tantivy answers from the fast
/// column; indexing them would add a unique term per value for nothing.
fn date_options() -> DateOptions {
    DateOptions::from(FAST).set_precision(DateTimePrecision::Nanoseconds)
}

fn exact_string(fast: bool) -> TextOptions {
    let o = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::Basic),
    );
    if fast { o.set_fast("raw") } else { o }
}

/// Builds the tantivy schema for a catalog.
pub fn build_schema(catalog: &Catalog) -> Schema {
    let mut b = Schema::builder();
    b.add_text_field(TABLE, exact_string(true));
    b.add_date_field(TIME, date_options());
    b.add_text_field(ID, exact_string(false));
    b.add_text_field(BLOB, exact_string(true));
    b.add_u64_field(OFFSET, NumericOptions::default().set_fast());
    b.add_text_field(RAW, STORED);
    b.add_json_field(
        KW,
        JsonObjectOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_TOKENIZER)
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::Basic),
        ),
    );
    b.add_json_field(
        TXT,
        JsonObjectOptions::default().set_indexing_options(text_indexing()),
    );
    for (name, kind) in catalog.fields() {
        match kind {
            Kind::Text => {
                b.add_text_field(
                    name,
                    TextOptions::default().set_indexing_options(text_indexing()),
                );
            }
            Kind::Keyword => {
                b.add_text_field(name, keyword_options());
            }
            Kind::Int => {
                b.add_i64_field(name, INDEXED | FAST);
            }
            Kind::Date => {
                b.add_date_field(name, date_options());
            }
            Kind::Bool => {
                b.add_bool_field(name, INDEXED | FAST);
            }
            Kind::Dynamic => {}
        }
    }
    b.build()
}

/// Registers the analyzers the schema names. Call on every opened index.
pub fn register_tokenizers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(
        KEYWORD_TOKENIZER,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_KEYWORD_LEN))
            .filter(LowerCaser)
            .build(),
    );
    tokenizers.register(
        TEXT_TOKENIZER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_LEN))
            .filter(LowerCaser)
            .build(),
    );
}

impl Fields {
    /// Reads the field handles (and each column's kind) from an index schema.
    pub fn from_schema(schema: &Schema) -> Result<Self> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| {
                Error::Index(format!(
                    "the index has no `{name}` field: it was not made by this version of huntvault"
                ))
            })
        };
        let mut columns = BTreeMap::new();
        for (field, entry) in schema.fields() {
            let name = entry.name();
            if name.starts_with('_') && name != "_TimeReceivedBySvc" {
                continue;
            }
            let kind = match entry.field_type() {
                FieldType::Str(opts) => match opts.get_indexing_options().map(|i| i.tokenizer()) {
                    Some(TEXT_TOKENIZER) => Kind::Text,
                    _ => Kind::Keyword,
                },
                FieldType::I64(_) => Kind::Int,
                FieldType::Date(_) => Kind::Date,
                FieldType::Bool(_) => Kind::Bool,
                _ => continue,
            };
            columns.insert(name.to_string(), (field, kind));
        }
        Ok(Fields {
            table: get(TABLE)?,
            time: get(TIME)?,
            id: get(ID)?,
            blob: get(BLOB)?,
            offset: get(OFFSET)?,
            raw: get(RAW)?,
            kw: get(KW)?,
            txt: get(TXT)?,
            columns,
            schema: schema.clone(),
        })
    }

    /// The field and kind of a column, if it has a field of its own.
    pub fn column(&self, name: &str) -> Option<(Field, Kind)> {
        self.columns.get(name).copied()
    }

    /// How the columns with a field of their own differ in `new`.
    pub fn changes_to(&self, new: &Fields) -> ColumnChanges {
        let mut changes = ColumnChanges::default();
        for (name, (_, kind)) in &new.columns {
            match self.column(name) {
                None => changes.added.push(format!("{name}: {}", kind.name())),
                Some((_, was)) if was != *kind => {
                    changes
                        .retyped
                        .push(format!("{name}: {} -> {}", was.name(), kind.name()))
                }
                Some(_) => {}
            }
        }
        for (name, (_, kind)) in &self.columns {
            if new.column(name).is_none() {
                changes.removed.push(format!("{name}: {}", kind.name()));
            }
        }
        changes
    }

    /// How the columns of an index made from `catalog` would differ.
    pub fn changes_for(&self, catalog: &Catalog) -> Result<ColumnChanges> {
        Ok(self.changes_to(&Fields::from_schema(&build_schema(catalog))?))
    }
}

/// Columns that gain, change or lose a field of their own between two
/// field models (`name: kind`, `name: old -> new`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnChanges {
    pub added: Vec<String>,
    pub retyped: Vec<String>,
    pub removed: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_column_but_dynamic_gets_a_field() {
        let catalog = Catalog::embedded();
        let fields = Fields::from_schema(&build_schema(&catalog)).unwrap();
        for (name, kind) in catalog.fields() {
            match (kind, fields.column(name)) {
                (Kind::Dynamic, None) => {}
                (k, Some((_, got))) => assert_eq!(*k, got, "{name}"),
                (k, None) => panic!("{name} ({k:?}) has no field"),
            }
        }
        assert_eq!(fields.column("time").map(|c| c.1), Some(Kind::Date));
        assert_eq!(
            fields.column("_TimeReceivedBySvc").map(|c| c.1),
            Some(Kind::Date)
        );
    }
}
