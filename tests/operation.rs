//! Running an index for a long time: `verify` proves the index matches its
//! source (and catches a tampered one), `status` and the run history show
//! what each run did, and sealing keeps an hourly run over a year of
//! partitions as cheap as over a day.

mod common;

use std::path::Path;

use common::{Scratch, TENANT, append, generate, process_line};
use serde_json::Value;

/// `verify --source export --format json`: exit code and report.
fn verify(s: &Scratch) -> (i32, Value) {
    let export = s.export();
    let out = s.run(&[
        "verify",
        "--source",
        export.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "verify printed no report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("exit code"), report)
}

/// Deletes the document with this record identity straight through
/// tantivy, keeping the committed checkpoint as it is.
fn delete_document_by_hand(index: &Path, id: u128) {
    let archive = huntvault::index::Archive::open(index).unwrap();
    let payload = archive.index.load_metas().unwrap().payload.unwrap();
    let mut writer: tantivy::IndexWriter = archive.index.writer(50 << 20).unwrap();
    writer.delete_term(tantivy::Term::from_field_text(
        archive.fields.id,
        &format!("{id:032x}"),
    ));
    let mut prepared = writer.prepare_commit().unwrap();
    prepared.set_payload(&payload);
    prepared.commit().unwrap();
}

/// The record identity of an original line, as the indexer computes it.
fn record_id(raw: &str) -> u128 {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        category: String,
        #[serde(borrow)]
        properties: &'a serde_json::value::RawValue,
    }
    let env: Envelope = serde_json::from_str(raw).unwrap();
    huntvault::decode::record_id(&env.category, env.properties.get())
}

#[test]
fn verify_passes_a_clean_index_and_names_the_blob_of_a_deleted_document() {
    let s = Scratch::new();
    let report = generate(&s, "3MiB", "4", "11");
    let records = report["records"].as_u64().unwrap();
    s.index_export(&[]);

    let (code, clean) = verify(&s);
    assert_eq!(code, 0, "{clean}");
    assert_eq!(clean["differences"], Value::Array(vec![]));
    assert_eq!(clean["index_docs"].as_u64().unwrap(), records);
    assert_eq!(clean["source_lines"], report["lines"]);
    assert_eq!(
        clean["checked"].as_u64().unwrap(),
        report["blobs"].as_array().unwrap().len() as u64
    );

    // Take one document out by hand.
    let raw = s.ok(&[
        "search",
        "*",
        "--table",
        "DeviceProcessEvents",
        "--limit",
        "1",
        "--format",
        "raw",
    ]);
    let id = record_id(raw.trim_end());
    let hit = s.ok(&[
        "search",
        &format!("_id:{id:032x}"),
        "--select",
        "_blob",
        "--format",
        "json",
    ]);
    let blob = serde_json::from_str::<Value>(hit.trim()).unwrap()["_blob"]
        .as_str()
        .unwrap()
        .to_string();
    delete_document_by_hand(&s.index(), id);
    assert_eq!(s.count("*", &[]), records - 1);

    let (code, tampered) = verify(&s);
    assert_eq!(code, 11, "{tampered}");
    let differences = tampered["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 1, "{tampered}");
    let d = &differences[0];
    assert_eq!(d["key"], blob.as_str());
    assert_eq!(
        d["index_docs"].as_u64().unwrap() + 1,
        d["checkpoint_docs"].as_u64().unwrap()
    );
    // The table form names it too.
    let export = s.export();
    let out = s.run(&["verify", "--source", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(11));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("DIFFERS {blob}: the index holds")),
        "{text}"
    );
    assert!(text.ends_with("1 differ\n"), "{text}");
}

#[test]
fn verify_reports_lines_not_yet_indexed_and_accepts_blobs_gone_from_the_source() {
    let s = Scratch::new();
    let grown = s.blob("DeviceProcessEvents", 2026, 1, 1, 10);
    let gone = s.blob("DeviceProcessEvents", 2026, 1, 1, 11);
    for (i, blob) in [&grown, &gone].into_iter().enumerate() {
        for n in 0..3 {
            let line = process_line(10 * i as u64 + n, "wks-1", "2026-01-01T10:00:00Z");
            append(blob, format!("{line}\r\n").as_bytes());
        }
    }
    append(&grown, b"not json\n");
    s.index_export(&[]);
    let (code, report) = verify(&s);
    assert_eq!(code, 0, "{report}");

    // A storage lifecycle rule deletes an old blob: the archive keeps it.
    std::fs::remove_file(&gone).unwrap();
    let (code, report) = verify(&s);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["gone_from_source"], 1);

    // New lines not indexed yet differ until the next run reads them.
    let line = process_line(99, "wks-2", "2026-01-01T10:30:00Z");
    append(&grown, format!("{line}\n").as_bytes());
    let (code, report) = verify(&s);
    assert_eq!(code, 11, "{report}");
    let d = &report["differences"][0];
    assert_eq!(d["source_lines"], 5);
    assert_eq!(d["checkpoint_lines"], 4);
    assert_eq!(d["bad"], 1);
    s.index_export(&[]);
    assert_eq!(verify(&s).0, 0);
}

#[test]
fn status_shows_tables_and_the_run_history() {
    let s = Scratch::new();
    let report = generate(&s, "2MiB", "3", "5");
    let first = s.index_export(&[]);
    s.index_export(&[]);
    let export = s.export();
    let out = s.ok(&[
        "status",
        "--source",
        export.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let st: Value = serde_json::from_str(&out).unwrap();
    let tables = st["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 21, "{st}");
    let sum = |k: &str| tables.iter().map(|t| t[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum("docs"), report["records"].as_u64().unwrap());
    assert_eq!(sum("duplicates"), report["duplicates"].as_u64().unwrap());
    assert_eq!(sum("bytes_read"), first["bytes_read"].as_u64().unwrap());
    assert_eq!(sum("pending_bytes"), 0);
    assert_eq!(
        sum("open_blobs"),
        report["blobs"].as_array().unwrap().len() as u64
    );
    for t in tables {
        assert_eq!(t["lag_secs"], 0, "{t}");
        assert!(
            t["newest_event"]
                .as_str()
                .unwrap()
                .starts_with("2026-01-01T02:"),
            "{t}"
        );
    }
    let runs = st["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["result"], "ok");
    assert_eq!(runs[0]["docs_added"], first["docs_added"]);
    assert_eq!(runs[1]["docs_added"], 0);

    // New bytes in the source show as pending, and as lag once a later hour arrives.
    let later = s.blob("DeviceProcessEvents", 2026, 1, 1, 9);
    append(
        &later,
        format!("{}\n", process_line(1, "wks-9", "2026-01-01T09:10:00Z")).as_bytes(),
    );
    let st: Value = serde_json::from_str(&s.ok(&[
        "status",
        "--source",
        export.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    let dpe = st["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "DeviceProcessEvents")
        .unwrap()
        .clone();
    assert!(dpe["pending_bytes"].as_u64().unwrap() > 0, "{dpe}");
    assert!(dpe["lag_secs"].as_i64().unwrap() > 5 * 3600, "{dpe}");

    // The table form.
    let text = s.ok(&["status"]);
    assert!(text.contains("DeviceProcessEvents"), "{text}");
    assert!(text.contains("last runs:"), "{text}");
}

/// Writes one small blob per hour of 2025 for each table.
fn year_of_partitions(s: &Scratch, tables: &[&str]) -> u64 {
    let mut blobs = 0;
    for table in tables {
        let container = s.export().join(format!(
            "insights-logs-advancedhunting-{}",
            table.to_lowercase()
        ));
        let mut hour: jiff::Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        let end: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        while hour < end {
            let path = container.join(huntvault::layout::blob_path(TENANT, hour));
            let line = format!(
                r#"{{"time":"{hour}","tenantId":"{TENANT}","operationName":"Publish","category":"AdvancedHunting-{table}","properties":{{"Timestamp":"{hour}","DeviceName":"wks-{blobs}","ReportId":{blobs}}}}}"#
            );
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("{line}\n")).unwrap();
            blobs += 1;
            hour += jiff::SignedDuration::from_hours(1);
        }
    }
    blobs
}

#[test]
fn a_sealed_year_is_neither_listed_nor_read_by_later_runs() {
    let s = Scratch::new();
    let tables = ["DeviceEvents", "EmailEvents"];
    let blobs = year_of_partitions(&s, &tables);
    assert_eq!(blobs, 2 * 8760);

    let first = s.index_export(&["--seal-after", "0s"]);
    assert_eq!(first["docs_added"].as_u64().unwrap(), blobs);
    // With no grace left, each table's year seals as one folder.
    let second = s.index_export(&["--seal-after", "0s"]);
    assert_eq!(second["folders_sealed"], 2, "{second}");
    assert_eq!(second["blobs_sealed"].as_u64().unwrap(), blobs);
    assert_eq!(second["requests"]["read_requests"], 0, "{second}");

    // The no-op run: a handful of listings (the account, then per container
    // its root and tenant folders), no reads.
    let noop = s.index_export(&[]);
    assert_eq!(noop["blobs_listed"], 0, "{noop}");
    assert_eq!(noop["requests"]["read_requests"], 0, "{noop}");
    let lists = noop["requests"]["list_requests"].as_u64().unwrap();
    assert!(
        lists <= 1 + 2 * tables.len() as u64,
        "{lists} listings: {noop}"
    );

    // The checkpoint no longer holds a record per blob.
    let archive = huntvault::index::Archive::open(&s.index()).unwrap();
    let payload = archive.index.load_metas().unwrap().payload.unwrap();
    assert!(
        payload.len() < 2048,
        "{} bytes of checkpoint",
        payload.len()
    );

    // New hours still arrive and are read; the sealed year stays closed.
    let new = s.blob("DeviceProcessEvents", 2026, 3, 1, 0);
    append(
        &new,
        format!("{}\n", process_line(7, "wks-new", "2026-03-01T00:10:00Z")).as_bytes(),
    );
    let next = s.index_export(&[]);
    assert_eq!(next["docs_added"], 1, "{next}");
    assert_eq!(next["blobs_listed"], 1, "{next}");
    assert_eq!(s.count("*", &[]), blobs + 1);
    let st: Value = serde_json::from_str(&s.ok(&["status", "--format", "json"])).unwrap();
    let de = &st["tables"][0];
    assert_eq!(de["table"], "DeviceEvents");
    assert_eq!(de["sealed_blobs"], 8760, "{de}");
    assert_eq!(de["open_blobs"], 0, "{de}");
    assert_eq!(de["docs"], 8760, "{de}");
    assert_eq!(de["lag_secs"], 0, "{de}");
}

#[test]
fn sealing_waits_for_the_grace_and_sealed_partitions_still_verify() {
    let s = Scratch::new();
    let report = generate(&s, "2MiB", "3", "8");
    let records = report["records"].as_u64().unwrap();
    // A blob whose last line is still being written.
    let partial = report["blobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["table"] == "DeviceInfo")
        .unwrap();
    let path = s
        .export()
        .join(partial["container"].as_str().unwrap())
        .join(partial["blob"].as_str().unwrap());
    append(&path, br#"{"time":"2026-01-01T00:59:"#);
    s.index_export(&[]);
    // Within the default grace (6h) nothing seals.
    let second = s.index_export(&[]);
    assert_eq!(second["folders_sealed"], 0, "{second}");
    let third = s.index_export(&["--seal-after", "0s"]);
    // January 2026 is over: each table's month seals, but for the one
    // waiting for a line end.
    assert_eq!(third["folders_sealed"], 20, "{third}");

    let (code, report) = verify(&s);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["sealed_folders"], 20);
    assert_eq!(report["index_docs"].as_u64().unwrap(), records);

    // A document deleted by hand from a sealed partition is found there.
    let raw = s.ok(&[
        "search",
        "*",
        "--table",
        "EmailEvents",
        "--limit",
        "1",
        "--format",
        "raw",
    ]);
    delete_document_by_hand(&s.index(), record_id(raw.trim_end()));
    let (code, report) = verify(&s);
    assert_eq!(code, 11, "{report}");
    let d = &report["differences"][0];
    let key = d["key"].as_str().unwrap();
    assert!(
        key.starts_with("insights-logs-advancedhunting-emailevents/tenantId=")
            && key.ends_with("/y=2026/m=01/"),
        "{key}"
    );
    assert_eq!(d["sealed"], true);
}

#[test]
fn prune_removes_old_partitions_and_later_runs_do_not_read_them_again() {
    let s = Scratch::new();
    let report = generate(&s, "2MiB", "4", "12");
    let records = report["records"].as_u64().unwrap();
    let blobs = report["blobs"].as_array().unwrap();
    let old = |b: &&Value| {
        let name = b["blob"].as_str().unwrap();
        name.contains("/h=00/") || name.contains("/h=01/")
    };
    let old_records: u64 = blobs
        .iter()
        .filter(old)
        .map(|b| b["records"].as_u64().unwrap())
        .sum();
    let kept_blobs = blobs.iter().filter(|b| !old(b)).count();
    s.index_export(&[]);

    let out = s.ok(&[
        "prune",
        "--before",
        "2026-01-01T02:30:00Z",
        "--format",
        "json",
    ]);
    let pruned: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(pruned["cutoff"], "2026-01-01T02:00:00Z");
    assert_eq!(
        pruned["documents"].as_u64().unwrap(),
        old_records,
        "{pruned}"
    );
    assert_eq!(
        pruned["blobs"].as_u64().unwrap() as usize,
        blobs.len() - kept_blobs
    );
    assert!(
        pruned["bytes_after"].as_u64() < pruned["bytes_before"].as_u64(),
        "{pruned}"
    );
    assert_eq!(s.count("*", &[]), records - old_records);

    // The source still holds the old blobs; they are not read again.
    let next = s.index_export(&[]);
    assert_eq!(next["docs_added"], 0, "{next}");
    assert_eq!(next["blobs_listed"].as_u64().unwrap() as usize, kept_blobs);
    assert_eq!(next["requests"]["read_requests"], 0, "{next}");
    let (code, report) = verify(&s);
    assert_eq!(code, 0, "{report}");

    // Pruning again removes nothing; the table form says so.
    let text = s.ok(&["prune", "--older-than", "400d"]);
    assert!(text.starts_with("removed 0 documents"), "{text}");
    assert_eq!(s.run(&["prune"]).status.code(), Some(2));
}
