//! `huntvault export`: original records back, byte for byte, in one stream
//! or in the storage layout, and an archive that survives the round trip.

mod common;

use std::collections::BTreeMap;

use common::Scratch;

/// Every stored record of an index, sorted (`search --format raw`).
fn records(index: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_huntvault"))
        .args([
            "search", "*", "--format", "raw", "--limit", "1000000", "--index",
        ])
        .arg(index)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn export_everything_and_reindex_gives_the_same_archive() {
    let s = Scratch::new();
    let export = s.export();
    s.generate("3MiB", 3, 5);
    let first = s.index_export(&[]);
    let docs = first["docs_added"].as_u64().unwrap();
    let copy = s.dir.path().join("copy");
    let out = s.run(&["export", "--out", copy.to_str().unwrap(), "--layout"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("exported {docs} records")));

    // Same containers and blob paths as the source.
    let blobs = |root: &std::path::Path| {
        let mut found = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    found.push(p.strip_prefix(root).unwrap().to_path_buf());
                }
            }
        }
        found.sort();
        found
    };
    assert_eq!(blobs(&copy), blobs(&export));

    let second = s.dir.path().join("index2");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_huntvault"))
        .args([
            "index",
            "--source",
            copy.to_str().unwrap(),
            "--json-summary",
            "--index",
        ])
        .arg(&second)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["docs_added"].as_u64(), Some(docs));
    assert_eq!(summary["duplicates"].as_u64(), Some(0));
    assert_eq!(summary["bad_lines"].as_u64(), Some(0));
    assert_eq!(records(&s.index()), records(&second));
}

#[test]
fn a_query_and_a_kql_predicate_select_the_records() {
    let s = Scratch::new();
    s.generate("2MiB", 2, 3);
    s.index_export(&[]);
    let hunt = s.ok(&[
        "hunt",
        "--format",
        "raw",
        "DeviceProcessEvents | where FileName =~ 'cmd.exe' or ProcessCommandLine contains 'powershell'",
    ]);
    let mut want: Vec<&str> = hunt.lines().collect();
    want.sort();
    assert!(!want.is_empty());
    let streamed = s.ok(&[
        "export",
        "--table",
        "DeviceProcessEvents",
        "--where",
        "FileName =~ 'cmd.exe' or ProcessCommandLine contains 'powershell'",
    ]);
    let mut got: Vec<&str> = streamed.lines().collect();
    got.sort();
    assert_eq!(got, want);

    // A search query and a time window, into one file.
    let file = s.dir.path().join("out.jsonl");
    s.ok(&[
        "export",
        "_table:DeviceNetworkEvents",
        "--since",
        "2026-01-01T01:00:00Z",
        "--out",
        file.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&file).unwrap();
    let count = s.count(
        "_table:DeviceNetworkEvents",
        &["--since", "2026-01-01T01:00:00Z"],
    );
    assert_eq!(text.lines().count() as u64, count);
    let mut per_table = BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        *per_table
            .entry(v["category"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    assert_eq!(
        per_table.keys().collect::<Vec<_>>(),
        ["AdvancedHunting-DeviceNetworkEvents"]
    );

    let out = s.run(&["export", "--where", "FileName has"]);
    assert_eq!(out.status.code(), Some(2));
}
