//! `schema/` covers Microsoft's column reference: every streamed table has a
//! file, and every column of the reference is in it with a kind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use huntvault::schema::Catalog;

fn reference(file: &str) -> String {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = ["../shared/reference", "shared/reference"]
        .iter()
        .map(|p| here.join(p).join(file))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("shared/reference/{file} beside the project"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn every_streamed_table_and_reference_column_is_in_the_schema() {
    let catalog =
        Catalog::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema")).unwrap();
    let streamed: BTreeSet<String> = reference("streamed-tables.txt")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert_eq!(streamed.len(), 21);
    let files: BTreeSet<String> = catalog.streamed_tables().map(|t| t.table.clone()).collect();
    assert_eq!(files, streamed, "one schema file per streamed table");
    let alerts: BTreeSet<&str> = catalog
        .tables()
        .filter(|t| !t.streamed())
        .map(|t| t.table.as_str())
        .collect();
    assert_eq!(alerts, BTreeSet::from(["GraphAlerts", "SiemAlerts"]));

    let mut expected: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in reference("advanced-hunting-columns.tsv").lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "{line}");
        expected
            .entry(cols[0].to_string())
            .or_default()
            .push((cols[1].to_string(), cols[2].to_string()));
    }
    let mut checked = 0;
    for (table, columns) in &expected {
        let schema = catalog
            .table(table)
            .unwrap_or_else(|| panic!("no schema/{table}.json"));
        for (column, source_type) in columns {
            let found = schema
                .columns
                .iter()
                .find(|c| &c.name == column)
                .unwrap_or_else(|| panic!("{table}.{column} is missing from schema/{table}.json"));
            assert_eq!(&found.source_type, source_type, "{table}.{column}");
            checked += 1;
        }
    }
    assert_eq!(checked, 680);
}

#[test]
fn the_embedded_schema_is_the_committed_one() {
    let dir = Catalog::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema")).unwrap();
    let embedded = Catalog::embedded();
    assert_eq!(dir.fields(), embedded.fields());
}
