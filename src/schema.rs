//! The column catalog: which tables exist, their columns, and the index kind
//! of each column, loaded from `schema/*.json` (embedded at build time, or a
//! directory given at run time).
//!
//! A column name maps to one index field across all tables. Where tables
//! disagree on a column's kind (`ReportId` is a number in Device tables and a
//! string in Email tables), the field takes the kind that holds every value:
//! `dynamic` if any table says so, else `keyword` (numbers are then indexed by
//! their decimal text), so one field answers for every table.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::layout;

include!(concat!(env!("OUT_DIR"), "/embedded_schema.rs"));

/// How a column is indexed and queried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Tokenized full text (words, phrases).
    Text,
    /// Exact value, case-insensitive.
    Keyword,
    /// 64-bit signed integer.
    Int,
    /// An instant (UTC, nanoseconds).
    Date,
    /// true / false.
    Bool,
    /// JSON (object, array, or JSON held in a string), indexed under dotted paths.
    Dynamic,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Keyword => "keyword",
            Kind::Int => "int",
            Kind::Date => "date",
            Kind::Bool => "bool",
            Kind::Dynamic => "dynamic",
        }
    }
}

/// One column of a table schema file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// The type Microsoft documents (`string`, `long`, `datetime`, ...).
    #[serde(rename = "type")]
    pub source_type: String,
    pub kind: Kind,
    /// Which reference the column came from.
    #[serde(default, rename = "from", skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// One `schema/<Table>.json` file: a streamed table names its `container`;
/// a table pulled from an alerts API names that `api` instead.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableSchema {
    pub table: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub container: String,
    /// The alerts API the table is pulled from (`siem`, `graph`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    pub columns: Vec<Column>,
}

impl TableSchema {
    /// Whether the Streaming API exports this table to storage.
    pub fn streamed(&self) -> bool {
        self.api.is_none()
    }
}

/// Envelope keys with a fixed meaning, and their kinds. Other envelope keys
/// are kept as unknown columns.
pub const ENVELOPE_FIELDS: &[(&str, Kind)] = &[
    ("time", Kind::Date),
    ("tenantId", Kind::Keyword),
    ("operationName", Kind::Keyword),
    ("category", Kind::Keyword),
    ("_TimeReceivedBySvc", Kind::Date),
    ("Tenant", Kind::Keyword),
];

/// All table schemas, and the one kind per column name they imply.
#[derive(Debug, Clone)]
pub struct Catalog {
    tables: BTreeMap<String, TableSchema>,
    by_lower: HashMap<String, String>,
    fields: BTreeMap<String, Kind>,
}

impl Catalog {
    /// The schema compiled into this binary (the repository's `schema/`).
    pub fn embedded() -> Self {
        let tables = EMBEDDED_SCHEMA
            .iter()
            .map(|(name, text)| {
                serde_json::from_str::<TableSchema>(text)
                    .unwrap_or_else(|e| panic!("embedded schema/{name} is invalid: {e}"))
            })
            .collect();
        Self::from_tables(tables)
    }

    /// Loads every `*.json` file of a directory.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut tables = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| Error::io(dir, e))?.path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let table = serde_json::from_str::<TableSchema>(&text)
                .map_err(|e| Error::Schema(format!("{}: {e}", path.display())))?;
            tables.push(table);
        }
        if tables.is_empty() {
            return Err(Error::Schema(format!(
                "{} holds no schema file (*.json)",
                dir.display()
            )));
        }
        Ok(Self::from_tables(tables))
    }

    /// The embedded catalog, or the one in `dir` when given.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        match dir {
            Some(d) => Self::load_dir(d),
            None => Ok(Self::embedded()),
        }
    }

    fn from_tables(list: Vec<TableSchema>) -> Self {
        let mut kinds: BTreeMap<String, Vec<Kind>> = BTreeMap::new();
        for (name, kind) in ENVELOPE_FIELDS {
            kinds.entry((*name).to_string()).or_default().push(*kind);
        }
        for t in &list {
            for c in &t.columns {
                kinds.entry(c.name.clone()).or_default().push(c.kind);
            }
        }
        let fields = kinds
            .into_iter()
            .map(|(name, ks)| {
                let first = ks[0];
                let kind = if ks.iter().all(|k| *k == first) {
                    first
                } else if ks.contains(&Kind::Dynamic) {
                    Kind::Dynamic
                } else {
                    Kind::Keyword
                };
                (name, kind)
            })
            .collect();
        let by_lower = list
            .iter()
            .map(|t| (t.table.to_ascii_lowercase(), t.table.clone()))
            .collect();
        let tables = list.into_iter().map(|t| (t.table.clone(), t)).collect();
        Catalog {
            tables,
            by_lower,
            fields,
        }
    }

    pub fn tables(&self) -> impl Iterator<Item = &TableSchema> {
        self.tables.values()
    }

    /// The tables the Streaming API exports (every table but the alert ones).
    pub fn streamed_tables(&self) -> impl Iterator<Item = &TableSchema> {
        self.tables().filter(|t| t.streamed())
    }

    pub fn table(&self, name: &str) -> Option<&TableSchema> {
        self.tables.get(name)
    }

    /// The table's canonical name, matched case-insensitively.
    pub fn canonical_table(&self, name: &str) -> Option<&str> {
        self.by_lower
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The table a container holds: the schema's name for it, or, for a
    /// table no schema file knows, the container's suffix as written.
    pub fn table_for_container(&self, container: &str) -> Option<String> {
        let suffix = layout::container_table_suffix(container)?;
        Some(
            self.canonical_table(suffix)
                .map(str::to_string)
                .unwrap_or_else(|| suffix.to_string()),
        )
    }

    /// Every column name the catalog knows, with the one kind its index field has.
    pub fn fields(&self) -> &BTreeMap<String, Kind> {
        &self.fields
    }

    /// The kind a table gives a column, if the table's schema lists it.
    pub fn column_kind(&self, table: &str, column: &str) -> Option<Kind> {
        self.tables
            .get(table)?
            .columns
            .iter()
            .find(|c| c.name == column)
            .map(|c| c.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_has_the_21_streamed_tables_and_the_alert_tables() {
        let c = Catalog::embedded();
        assert_eq!(c.streamed_tables().count(), 21);
        assert_eq!(c.tables().count(), 23);
        assert_eq!(
            c.table("SiemAlerts").and_then(|t| t.api.as_deref()),
            Some("siem")
        );
        assert_eq!(c.fields()["LastProcessedTimeUtc"], Kind::Date);
        assert_eq!(c.fields()["lastUpdateDateTime"], Kind::Date);
        assert_eq!(c.fields()["ReportId"], Kind::Keyword);
        assert_eq!(c.fields()["AdditionalFields"], Kind::Dynamic);
        assert_eq!(c.fields()["ProcessCommandLine"], Kind::Text);
        assert_eq!(c.fields()["Timestamp"], Kind::Date);
        assert_eq!(
            c.column_kind("DeviceFileEvents", "ReportId"),
            Some(Kind::Int)
        );
        assert_eq!(
            c.canonical_table("deviceprocessevents"),
            Some("DeviceProcessEvents")
        );
        assert_eq!(
            c.table_for_container("insights-logs-advancedhunting-behaviorinfo")
                .as_deref(),
            Some("behaviorinfo")
        );
    }
}
