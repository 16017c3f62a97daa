//! `reindex` rebuilds the index from the records it keeps: a column added
//! to the schema becomes a typed field, nothing is lost, progress and dead
//! letters carry over, a killed rebuild leaves the live index whole; and the
//! index format is recognised, upgraded, or refused.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{Scratch, append, generate, process_line};
use huntvault::index::Archive;
use huntvault::schema::Kind;
use serde_json::Value;

/// A copy of the repository's schema with an int column `RiskScore` added
/// to DeviceProcessEvents.
fn schema_with_risk_score(s: &Scratch) -> PathBuf {
    let dir = s.dir.path().join("schema");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/schema")).unwrap() {
        let path = entry.unwrap().path();
        let mut table: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        if table["table"] == "DeviceProcessEvents" {
            table["columns"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!(
                    {"name": "RiskScore", "type": "long", "kind": "int"}
                ));
        }
        std::fs::write(dir.join(path.file_name().unwrap()), table.to_string()).unwrap();
    }
    dir
}

/// The RiskScore values of the export's unique records, read from its lines.
fn risk_scores(export: &Path) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for path in common::files_below(export) {
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if let Some(score) = v["properties"]["RiskScore"].as_i64()
                && seen.insert(v["properties"].to_string())
            {
                out.push(score);
            }
        }
    }
    out
}

fn kind_of(index: &Path, column: &str) -> Option<Kind> {
    let archive = Archive::open(index).unwrap();
    archive.fields.column(column).map(|(_, kind)| kind)
}

/// `hunt --explain`: the plan (stderr), then the result (stdout).
fn hunt(s: &Scratch, query: &str) -> String {
    let out = s.run(&["hunt", "--explain", query]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout)
}

/// The dead-letter entries, without the commit they belong to (a rebuilt
/// index has commits of its own).
fn dead_letters(s: &Scratch) -> Vec<Value> {
    s.ok(&["deadletter"])
        .lines()
        .map(|line| {
            let mut entry: Value = serde_json::from_str(line).unwrap();
            entry.as_object_mut().unwrap().remove("opstamp");
            entry
        })
        .collect()
}

fn reindex(s: &Scratch, schema: &Path) -> Value {
    let out = s.ok(&[
        "reindex",
        "--schema",
        schema.to_str().unwrap(),
        "--format",
        "json",
    ]);
    serde_json::from_str(&out).expect("reindex report")
}

#[test]
fn a_column_added_to_the_schema_becomes_typed_and_nothing_is_lost() {
    let s = Scratch::new();
    let schema = schema_with_risk_score(&s);
    let export = s.export();
    s.ok(&[
        "generate",
        "--schema",
        schema.to_str().unwrap(),
        "--out",
        export.to_str().unwrap(),
        "--size",
        "3MiB",
        "--hours",
        "4",
        "--tables",
        "DeviceProcessEvents,DeviceNetworkEvents",
    ]);
    let blob = s.blob("DeviceProcessEvents", 2026, 1, 1, 1);
    append(&blob, b"{\"time\": not json}\n");
    let scores = risk_scores(&export);
    assert!(scores.len() > 100, "the generator wrote RiskScore values");
    let high = scores.iter().filter(|&&v| v > 2000).count() as u64;

    // Indexed with the built-in schema, RiskScore has no field of its own.
    let first = s.index_export(&[]);
    assert_eq!(kind_of(&s.index(), "RiskScore"), None);
    let total = s.count("*", &[]);
    let dead = dead_letters(&s);
    assert_eq!(dead.len(), 1);
    let query = "DeviceProcessEvents | where RiskScore > 2000 | count";
    let before = hunt(&s, query);
    assert!(before.contains("re-checked per row"), "{before}");
    assert!(before.ends_with(&format!("{high}\n")), "{before}");

    // Indexing with the new schema says a rebuild is due.
    let index_with_schema = |s: &Scratch| {
        s.run(&[
            "index",
            "--schema",
            schema.to_str().unwrap(),
            "--source",
            export.to_str().unwrap(),
        ])
    };
    let noted = String::from_utf8_lossy(&index_with_schema(&s).stderr).into_owned();
    assert!(
        noted.contains("note: the schema gives 1 columns a field of a kind this index does not have (RiskScore: int)"),
        "{noted}"
    );

    let report = reindex(&s, &schema);
    assert_eq!(report["documents"].as_u64(), Some(total));
    assert_eq!(
        report["columns_added"],
        serde_json::json!(["RiskScore: int"])
    );
    assert_eq!(report["dead_letters"].as_u64(), Some(1));

    // Now an int field: answered by the index alone, and right.
    assert_eq!(kind_of(&s.index(), "RiskScore"), Some(Kind::Int));
    let after = hunt(&s, query);
    assert!(after.contains("index filter exact"), "{after}");
    assert!(after.ends_with(&format!("{high}\n")), "{after}");
    assert_eq!(s.count("RiskScore:>2000", &[]), high);
    let sum: i64 = scores.iter().sum();
    let summed = s.ok(&["hunt", "DeviceProcessEvents | summarize s = sum(RiskScore)"]);
    assert!(summed.ends_with(&format!("{sum}\n")), "{summed}");

    // Nothing lost, nothing doubled; the same dead letters.
    assert_eq!(s.count("*", &[]), total);
    assert_eq!(dead_letters(&s), dead);
    let verify = s.run(&["verify", "--source", export.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(0));

    // Progress carried over: the next run reads nothing, then only what is new.
    let quiet = String::from_utf8_lossy(&index_with_schema(&s).stderr).into_owned();
    assert!(!quiet.contains("note:"), "{quiet}");
    let idle = s.index_export(&[]);
    assert_eq!(idle["blobs_read"].as_u64(), Some(0), "{idle}");
    assert_eq!(idle["docs_added"].as_u64(), Some(0));
    let line = process_line(7, "new-host", "2026-01-01T01:59:00Z")
        .replace("\"FileName\"", "\"RiskScore\":123456,\"FileName\"");
    append(&blob, format!("{line}\n").as_bytes());
    let grown = s.index_export(&[]);
    assert_eq!(grown["docs_added"].as_u64(), Some(1), "{grown}");
    assert_eq!(grown["bytes_read"].as_u64(), Some(line.len() as u64 + 1));
    assert_eq!(s.count("RiskScore:123456", &[]), 1);
    assert_eq!(first["docs_added"].as_u64().unwrap() + 1, s.count("*", &[]));
    assert_eq!(dead_letters(&s), dead);
}

#[test]
fn a_killed_reindex_leaves_the_live_index_whole() {
    let s = Scratch::new();
    generate(&s, "3MiB", "4", "5");
    s.index_export(&[]);
    let total = s.count("*", &[]);
    let format = std::fs::read_to_string(s.index().join("FORMAT")).unwrap();
    let export = s.export();
    let mut killed_while_staging = 0;
    for delay_ms in [20u64, 80, 200, 400, 700] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_huntvault"))
            .args(["reindex", "--index"])
            .arg(s.index())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        killed_while_staging += u32::from(s.index().join("rebuild").exists());
        assert_eq!(s.count("*", &[]), total, "killed after {delay_ms} ms");
        let verify = s.run(&["verify", "--source", export.to_str().unwrap()]);
        assert_eq!(verify.status.code(), Some(0), "killed after {delay_ms} ms");
        assert!(!s.index().join("rebuild").exists());
    }
    assert!(killed_while_staging > 0, "no kill hit the rebuild");
    // Whichever generation survived, a run after it reads nothing again.
    let idle = s.index_export(&[]);
    assert_eq!(idle["docs_added"].as_u64(), Some(0));
    s.ok(&["reindex"]);
    assert_ne!(
        std::fs::read_to_string(s.index().join("FORMAT")).unwrap(),
        format
    );
    assert_eq!(s.count("*", &[]), total);
}

#[test]
fn an_older_format_is_read_and_upgraded_and_a_newer_one_refused() {
    let s = Scratch::new();
    s.generate("1MiB", 2, 3);
    s.index_export(&[]);
    let total = s.count("*", &[]);
    let format_file = s.index().join("FORMAT");

    // Format 1 (the same files, a FORMAT without generation) is read as is,
    // and upgraded by the first command that writes.
    std::fs::write(&format_file, "1\n").unwrap();
    assert_eq!(s.count("*", &[]), total);
    assert_eq!(std::fs::read_to_string(&format_file).unwrap(), "1\n");
    s.index_export(&[]);
    let upgraded = std::fs::read_to_string(&format_file).unwrap();
    assert!(upgraded.starts_with("2\n{\"generation\":"), "{upgraded}");
    assert_eq!(s.count("*", &[]), total);

    // A newer format, or a FORMAT that is not one, is refused untouched.
    for (text, says) in [
        ("3\n{}\n", "format 3, made by a newer huntvault"),
        ("hello\n", "not a format number"),
    ] {
        std::fs::write(&format_file, text).unwrap();
        let export = s.export();
        let index = ["index", "--source", export.to_str().unwrap()];
        for args in [&["search", "*"][..], &index, &["reindex"]] {
            let out = s.run(args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.contains(says), "{args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
        assert_eq!(std::fs::read_to_string(&format_file).unwrap(), text);
    }
}
