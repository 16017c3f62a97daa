//! `huntvault hunt` from the command line: where the query comes from,
//! output formats, `--now`, and errors that name what is wrong and where.

mod common;

use common::{Scratch, append, process_line};

fn scratch() -> Scratch {
    let s = Scratch::new();
    let lines: String = [
        process_line(1, "wks-01", "2026-01-01T00:10:00Z"),
        process_line(2, "wks-01", "2026-01-01T01:10:00Z"),
        process_line(3, "WKS-02", "2026-01-01T02:10:00Z"),
    ]
    .iter()
    .map(|l| format!("{l}\r\n"))
    .collect();
    append(
        &s.blob("DeviceProcessEvents", 2026, 1, 1, 0),
        lines.as_bytes(),
    );
    s.index_export(&[]);
    s
}

#[test]
fn query_from_argument_file_and_stdin() {
    let s = scratch();
    let q = "DeviceProcessEvents\n// devices, by name\n| summarize n = count() by DeviceName\n| sort by DeviceName asc";
    let want = "DeviceName,n\nWKS-02,1\nwks-01,2\n";
    assert_eq!(s.ok(&["hunt", "--format", "csv", q]), want);
    let file = s.dir.path().join("q.kql");
    std::fs::write(&file, q).unwrap();
    assert_eq!(
        s.ok(&["hunt", "--format", "csv", "-f", file.to_str().unwrap()]),
        want
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_huntvault"))
        .args(["hunt", "--format", "csv", "--index"])
        .arg(s.index())
        .stdin(std::fs::File::open(&file).unwrap())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
}

#[test]
fn whole_records_print_like_search_and_raw_gives_the_original_lines() {
    let s = scratch();
    let raw = s.ok(&[
        "hunt",
        "--format",
        "raw",
        "DeviceProcessEvents | where DeviceName == 'WKS-02'",
    ]);
    assert_eq!(
        raw,
        format!("{}\n", process_line(3, "WKS-02", "2026-01-01T02:10:00Z"))
    );
    let json = s.ok(&[
        "hunt",
        "--format",
        "json",
        "DeviceProcessEvents | where ReportId == '2'",
    ]);
    let v: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(v["_table"], "DeviceProcessEvents");
    assert_eq!(v["ProcessCommandLine"], "cmd.exe /c echo 2");
    // Reshaped rows have no original line to give back.
    let out = s.run(&[
        "hunt",
        "--format",
        "raw",
        "DeviceProcessEvents | project DeviceName",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format raw"));
}

#[test]
fn case_follows_kql() {
    let s = scratch();
    let count = |q: &str| -> String {
        s.ok(&[
            "hunt",
            "--format",
            "csv",
            &format!("DeviceProcessEvents | where {q} | count"),
        ])
        .lines()
        .nth(1)
        .unwrap()
        .to_string()
    };
    assert_eq!(count("DeviceName == 'wks-02'"), "0");
    assert_eq!(count("DeviceName =~ 'wks-02'"), "1");
    assert_eq!(count("DeviceName in~ ('WKS-01', 'wks-02')"), "3");
    assert_eq!(count("ProcessCommandLine has 'ECHO'"), "3");
    assert_eq!(count("ProcessCommandLine has_cs 'ECHO'"), "0");
    assert_eq!(count("ProcessCommandLine contains 'EXE /C'"), "3");
    assert_eq!(count("ProcessCommandLine has 'ech'"), "0");
}

#[test]
fn now_pins_ago() {
    let s = scratch();
    let q = "DeviceProcessEvents | where Timestamp between (ago(1h) .. now()) | project ReportId";
    let at = |now: &str| s.ok(&["hunt", "--format", "csv", "--now", now, q]);
    assert_eq!(at("2026-01-01T02:30:00Z"), "ReportId\n3\n");
    assert_eq!(at("2026-01-01T01:30:00Z"), "ReportId\n2\n");
    let out = s.run(&["hunt", "--now", "soon", q]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unsupported_kql_is_refused_by_name_and_position() {
    let s = scratch();
    for (q, what, at) in [
        (
            "DeviceProcessEvents\n| join kind=inner (DeviceNetworkEvents) on DeviceId",
            "`join`",
            "(at 2:3)",
        ),
        (
            "DeviceProcessEvents | mv-expand AdditionalFields",
            "`mv-expand`",
            "(at 1:23)",
        ),
        (
            "DeviceProcessEvents\n  | make-series count() on Timestamp step 1h",
            "`make-series`",
            "(at 2:5)",
        ),
        (
            "DeviceProcessEvents | where FileName matches regex 'a.*'",
            "the operator `matches`",
            "(at 1:38)",
        ),
        (
            "DeviceProcessEvents | extend x = base64_decode_tostring(FileName)",
            "the function `base64_decode_tostring()`",
            "(at 1:34)",
        ),
        (
            "DeviceProcessEvents | summarize percentile(FileSize, 50)",
            "the aggregation `percentile`",
            "(at 1:33)",
        ),
        (
            "let f = (x: string) { x };\nDeviceProcessEvents",
            "`let` of a function",
            "(at 1:1)",
        ),
    ] {
        let out = s.run(&["hunt", q]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{q}: {err}");
        assert!(
            err.contains(&format!("not supported: {what}")) && err.contains(at),
            "{q}: {err}"
        );
    }
}

#[test]
fn bad_queries_point_at_the_problem() {
    let s = scratch();
    for (q, message) in [
        (
            "DeviceProcessEvents\n| where (DeviceName == 'x'",
            "expected `)`",
        ),
        (
            "DeviceProcesEvents | count",
            "unknown table `DeviceProcesEvents`",
        ),
        (
            "DeviceProcessEvents | where DeviceName == \"open",
            "a string is not closed",
        ),
        (
            "DeviceProcessEvents | project DeviceName | where FileName == 'x'",
            "there is no column `FileName`",
        ),
        (
            "DeviceProcessEvents | take many",
            "take needs a whole number",
        ),
    ] {
        let out = s.run(&["hunt", q]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{q}: {err}");
        assert!(err.contains(message) && err.contains("(at "), "{q}: {err}");
        assert!(err.contains('^'), "{q}: no caret in {err}");
    }
}

/// The backquoted examples of the README's "Hunting in KQL" table; an
/// example starting with `|` runs after `DeviceProcessEvents`.
fn readme_examples() -> Vec<String> {
    common::readme_table_examples("## Hunting in KQL", "\nSemantics follow KQL")
        .into_iter()
        .map(|q| {
            if q.starts_with('|') {
                format!("DeviceProcessEvents {q}")
            } else {
                q
            }
        })
        .collect()
}

#[test]
fn every_readme_hunting_example_runs() {
    let s = scratch();
    let examples = readme_examples();
    assert!(examples.len() >= 30, "found {} examples", examples.len());
    for q in examples {
        let out = s.run(&["hunt", "--format", "json", &q]);
        assert!(
            out.status.success(),
            "README example `{q}` fails: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn explain_shows_what_the_index_answered() {
    let s = scratch();
    let plan = |q: &str| {
        let out = s.run(&["hunt", "--explain", "--format", "csv", q]);
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap().trim().to_string()
    };
    assert_eq!(
        plan(
            "DeviceProcessEvents | where DeviceName =~ 'WKS-01' | summarize count() by DeviceName"
        ),
        "plan: index filter exact; rows from fast fields (DeviceName); 2 documents read"
    );
    // Only the candidate the index finds is read and checked.
    assert_eq!(
        plan(
            "DeviceProcessEvents | where ProcessCommandLine has 'echo' and ReportId == '3' | project ReportId"
        ),
        "plan: index filter selects candidates, re-checked per row; rows from stored records; 1 documents read"
    );
    assert_eq!(
        plan("DeviceProcessEvents | where Timestamp >= datetime(2026-01-01T01:00:00Z) | count"),
        "plan: index filter exact; counted by the index; 0 documents read"
    );
}
