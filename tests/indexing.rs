//! Indexing generated and hand-made exports through the real binary:
//! counts, re-runs, appends, partial lines, replaced blobs, bad lines.

mod common;

use common::{Scratch, append, generate, process_line};
use serde_json::Value;

#[test]
fn generated_export_counts_are_exact_and_a_rerun_adds_nothing() {
    let s = Scratch::new();
    let report = generate(&s, "6MiB", "6", "7");
    let records = report["records"].as_u64().unwrap();
    let duplicates = report["duplicates"].as_u64().unwrap();
    assert!(
        duplicates > 0,
        "the generator writes Azure-style duplicates"
    );

    let first = s.index_export(&[]);
    assert_eq!(first["docs_added"].as_u64().unwrap(), records, "{first}");
    assert_eq!(first["duplicates"].as_u64().unwrap(), duplicates, "{first}");
    assert_eq!(first["lines"], report["lines"]);
    assert_eq!(first["bad_lines"], 0);
    assert_eq!(s.count("*", &[]), records);

    let second = s.index_export(&[]);
    assert_eq!(second["docs_added"], 0, "{second}");
    assert_eq!(second["bytes_read"], 0, "{second}");
    assert_eq!(second["blobs_read"], 0, "{second}");
    assert_eq!(second["blobs_unchanged"], first["blobs_listed"]);
    assert_eq!(s.count("*", &[]), records);

    // Per-table counts add up to the generator's.
    for blob in report["blobs"].as_array().unwrap().iter().take(3) {
        let table = blob["table"].as_str().unwrap();
        let expected: u64 = report["blobs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["table"] == table)
            .map(|b| b["records"].as_u64().unwrap())
            .sum();
        // Duplicates may cross blobs of a table but never tables.
        assert_eq!(s.count("*", &["--table", table]), expected, "{table}");
    }
}

#[test]
fn appended_lines_and_a_completed_partial_line_are_indexed_once() {
    let s = Scratch::new();
    let blob = s.blob("DeviceProcessEvents", 2026, 3, 1, 10);
    for n in 0..5 {
        append(
            &blob,
            format!(
                "{}\r\n",
                process_line(n, "wks-1", "2026-03-01T10:00:01.1234567Z")
            )
            .as_bytes(),
        );
    }
    assert_eq!(s.index_export(&[])["docs_added"], 5);

    // Three more complete lines, and half of a fourth.
    for n in 5..8 {
        append(
            &blob,
            format!("{}\r\n", process_line(n, "wks-2", "2026-03-01T10:20:00Z")).as_bytes(),
        );
    }
    let last = process_line(8, "wks-3", "2026-03-01T10:30:00Z");
    let (head, tail) = last.split_at(last.len() / 2);
    append(&blob, head.as_bytes());
    let run = s.index_export(&[]);
    assert_eq!(run["docs_added"], 3, "{run}");
    assert_eq!(run["bad_lines"], 0, "a partial line is not bad: it waits");
    assert_eq!(s.count("DeviceName:wks-3", &[]), 0);

    // Unchanged: nothing read.
    let idle = s.index_export(&[]);
    assert_eq!(idle["bytes_read"], 0, "{idle}");

    append(&blob, format!("{tail}\r\n").as_bytes());
    let run = s.index_export(&[]);
    assert_eq!(run["docs_added"], 1, "{run}");
    assert_eq!(s.count("DeviceName:wks-3", &[]), 1);
    assert_eq!(s.count("*", &[]), 9);
}

#[test]
fn a_replaced_blob_is_reindexed_without_leftovers() {
    let s = Scratch::new();
    let blob = s.blob("DeviceProcessEvents", 2026, 3, 1, 11);
    let other = s.blob("DeviceProcessEvents", 2026, 3, 1, 12);
    for n in 0..6 {
        append(
            &blob,
            format!("{}\r\n", process_line(n, "old", "2026-03-01T11:00:00Z")).as_bytes(),
        );
    }
    append(
        &other,
        format!("{}\r\n", process_line(100, "keep", "2026-03-01T12:00:00Z")).as_bytes(),
    );
    assert_eq!(s.index_export(&[])["docs_added"], 7);

    // Replaced by a new file (new inode), longer than before.
    let tmp = blob.with_extension("tmp");
    for n in 200..210 {
        append(
            &tmp,
            format!("{}\r\n", process_line(n, "new", "2026-03-01T11:30:00Z")).as_bytes(),
        );
    }
    std::fs::rename(&tmp, &blob).unwrap();
    let run = s.index_export(&[]);
    assert_eq!(run["blobs_replaced"], 1, "{run}");
    assert_eq!(run["docs_added"], 10, "{run}");
    assert_eq!(s.count("DeviceName:old", &[]), 0);
    assert_eq!(s.count("DeviceName:new", &[]), 10);
    assert_eq!(s.count("DeviceName:keep", &[]), 1);

    // Rewritten in place (same inode), same length, different content.
    let content = std::fs::read_to_string(&blob)
        .unwrap()
        .replace("\"new\"", "\"neu\"");
    std::fs::write(&blob, content).unwrap();
    let run = s.index_export(&[]);
    assert_eq!(run["blobs_replaced"], 1, "{run}");
    assert_eq!(s.count("DeviceName:new", &[]), 0);
    assert_eq!(s.count("DeviceName:neu", &[]), 10);
    assert_eq!(s.count("*", &[]), 11);
}

#[test]
fn bad_lines_are_dead_lettered_and_counted_while_good_ones_index() {
    let s = Scratch::new();
    let blob = s.blob("DeviceProcessEvents", 2026, 3, 2, 0);
    let good = |n| format!("{}\r\n", process_line(n, "wks-9", "2026-03-02T00:00:00Z"));
    let mut bytes = Vec::new();
    bytes.extend(b"\xEF\xBB\xBF");
    bytes.extend(good(1).as_bytes());
    bytes.extend(b"this is not json\r\n");
    bytes.extend(good(2).as_bytes());
    bytes.extend(
        b"{\"time\":\"2026-03-02T00:00:00Z\",\"properties\":{\"DeviceName\":\"bad\xff\"}}\r\n",
    );
    bytes.extend(b"\r\n");
    bytes.extend(b"{\"time\":\"2026-03-02T00:00:00Z\",\"properties\":{\"DeviceName\":\r\n");
    bytes.extend(b"{\"foo\":1}\n");
    bytes.extend(b"[1,2,3]\n");
    bytes.extend(good(3).as_bytes());
    append(&blob, &bytes);

    let run = s.index_export(&[]);
    assert_eq!(run["docs_added"], 3, "{run}");
    assert_eq!(run["bad_lines"], 5, "{run}");
    assert_eq!(s.count("DeviceName:wks-9", &[]), 3);

    let log = s.ok(&["deadletter"]);
    let entries: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), 5);
    let offsets: Vec<u64> = entries
        .iter()
        .map(|e| e["offset"].as_u64().unwrap())
        .collect();
    let mut expected = Vec::new();
    let mut at = 3 + good(1).len();
    expected.push(at as u64);
    at += "this is not json\r\n".len() + good(2).len();
    expected.push(at as u64);
    assert_eq!(&offsets[..2], &expected[..]);
    assert!(
        entries
            .iter()
            .all(|e| e["blob"].as_str().unwrap().ends_with("PT1H.json"))
    );
    assert!(
        entries[1]["reason"].as_str().unwrap().contains("UTF-8"),
        "{}",
        entries[1]
    );
    assert!(entries[1]["line_hex"].is_string());
    assert!(
        entries[2]["reason"].as_str().unwrap().contains("truncated"),
        "{}",
        entries[2]
    );

    // A re-run neither re-reads nor re-logs them.
    let again = s.index_export(&[]);
    assert_eq!(again["bad_lines"], 0);
    assert_eq!(s.ok(&["deadletter"]).lines().count(), 5);
}

#[test]
fn crlf_and_lf_lines_and_the_records_form_give_the_same_documents() {
    let s = Scratch::new();
    let a = process_line(1, "wks-a", "2026-03-03T00:00:00Z");
    let b = process_line(2, "wks-b", "2026-03-03T00:00:00Z");
    append(
        &s.blob("DeviceProcessEvents", 2026, 3, 3, 0),
        format!("{a}\r\n{b}\n").as_bytes(),
    );
    // The same two records again, as one Event Hub `records` line: duplicates.
    append(
        &s.blob("DeviceProcessEvents", 2026, 3, 3, 1),
        format!("{{\"records\":[{a},{b}]}}\r\n").as_bytes(),
    );
    let run = s.index_export(&[]);
    assert_eq!(run["docs_added"], 2, "{run}");
    assert_eq!(run["duplicates"], 2, "{run}");
    let raw = s.ok(&["search", "*", "--format", "raw", "--sort", "ReportId:asc"]);
    assert_eq!(raw, format!("{a}\n{b}\n"));
    // Where each was read: the earliest delivery, the first blob.
    let at = s.ok(&[
        "search",
        "*",
        "--format",
        "json",
        "--sort",
        "ReportId:asc",
        "--select",
        "_blob,_offset",
    ]);
    let blob = "insights-logs-advancedhunting-deviceprocessevents/tenantId=4b8c18bd-2f9f-4227-af55-9f1061cf9c32/y=2026/m=03/d=03/h=00/m=00/PT1H.json";
    assert_eq!(
        at,
        format!(
            "{{\"_blob\":\"{blob}\",\"_offset\":0}}\n{{\"_blob\":\"{blob}\",\"_offset\":{}}}\n",
            a.len() + 2
        )
    );
}

#[test]
fn unknown_tables_columns_and_mistyped_values_are_kept_and_searchable() {
    let s = Scratch::new();
    let line = concat!(
        r#"{"time":"2026-03-04T00:00:00.1234567Z","tenantId":"t","category":"AdvancedHunting-BehaviorInfo","#,
        r#""properties":{"Timestamp":"2026-03-04T00:00:00.123Z","BehaviorId":"b-42","BrandNewColumn":"Zebra Stripe","#,
        r#""Nested":{"Deep":{"Value":7}}},"_TimeReceivedBySvc":"2026-03-04T00:00:01.0000000","Extra":"kept"}"#
    );
    let mistyped = concat!(
        r#"{"time":"2026-03-04T00:00:00Z","category":"AdvancedHunting-DeviceNetworkEvents","#,
        r#""properties":{"Timestamp":"2026-03-04T00:00:00Z","RemotePort":"abc","RemoteIP":"-","#,
        r#""DeviceName":"Caf\u00e9","LocalPort":"8080"}}"#
    );
    let dir = s
        .export()
        .join("insights-logs-advancedhunting-behaviorinfo/tenantId=t/y=2026/m=03/d=04/h=00/m=00");
    append(&dir.join("PT1H.json"), format!("{line}\r\n").as_bytes());
    append(
        &s.blob("DeviceNetworkEvents", 2026, 3, 4, 0),
        format!("{mistyped}\r\n").as_bytes(),
    );
    let run = s.index_export(&[]);
    assert_eq!(run["docs_added"], 2, "{run}");
    assert_eq!(s.count("BehaviorId:B-42", &[]), 1);
    assert_eq!(s.count("BrandNewColumn:zebra", &[]), 1);
    assert_eq!(s.count(r#"BrandNewColumn:"zebra stripe""#, &[]), 1);
    assert_eq!(s.count("Nested.Deep.Value:7", &[]), 1);
    assert_eq!(s.count("Extra:kept", &[]), 1);
    assert_eq!(s.count("*", &["--table", "BehaviorInfo"]), 1);
    assert_eq!(s.count("RemotePort:abc", &[]), 1);
    assert_eq!(
        s.count("LocalPort:8080", &[]),
        1,
        "digit strings in int columns are numbers"
    );
    assert_eq!(s.count("LocalPort:>=8000", &[]), 1);
    assert_eq!(s.count("DeviceName:café", &[]), 1);
}

#[test]
fn a_bad_query_is_a_usage_error() {
    let s = Scratch::new();
    append(
        &s.blob("DeviceProcessEvents", 2026, 3, 5, 0),
        format!("{}\n", process_line(1, "x", "2026-03-05T00:00:00Z")).as_bytes(),
    );
    s.index_export(&[]);
    let out = s.run(&["search", "DeviceName:(unclosed"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not closed"), "{err}");
    assert!(
        err.contains("DeviceName:(unclosed\n") && err.contains('^'),
        "points at it: {err}"
    );
    let none = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_huntvault"))
        .args(["search", "*", "--index"])
        .arg(none.path().join("nothing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn tables_and_the_time_window_prune_by_partition_path() {
    let s = Scratch::new();
    let mut n = 0;
    for table in ["DeviceProcessEvents", "DeviceFileEvents"] {
        for day in 1..=3u8 {
            for hour in [0u8, 23] {
                n += 1;
                let time = format!("2026-04-{day:02}T{hour:02}:10:00Z");
                let line = process_line(n, &format!("d{day}h{hour}"), &time)
                    .replace("DeviceProcessEvents", table);
                append(
                    &s.blob(table, 2026, 4, day, hour),
                    format!("{line}\r\n").as_bytes(),
                );
            }
        }
    }
    // Partitions from 2026-04-02T00 (inclusive) to 2026-04-02T23 (exclusive).
    let run = s.index_export(&[
        "--tables",
        "deviceprocessevents",
        "--since",
        "2026-04-02",
        "--until",
        "2026-04-02T23:00:00Z",
    ]);
    assert_eq!(run["containers"], 1, "{run}");
    assert_eq!(run["blobs_listed"], 1, "{run}");
    assert_eq!(run["docs_added"], 1, "{run}");
    assert_eq!(s.count("DeviceName:d2h0", &[]), 1);
    // containers, then container root, tenant, y=, m= folders, then one day
    // listed flat: the other days' folders are never opened.
    assert_eq!(run["list_calls"], 6, "{run}");

    let all = s.index_export(&[]);
    assert_eq!(all["docs_added"], 11, "{all}");
    assert_eq!(all["blobs_unchanged"], 1, "{all}");
    assert_eq!(all["list_calls"], 1 + 2 * (4 + 3), "{all}");
}

#[test]
fn a_second_writer_exits_at_once_naming_the_holder() {
    let s = Scratch::new();
    append(
        &s.blob("DeviceProcessEvents", 2026, 3, 6, 0),
        format!("{}\n", process_line(1, "x", "2026-03-06T00:00:00Z")).as_bytes(),
    );
    s.index_export(&[]);
    // Hold the index's writer lock as a running `index` would.
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(s.index().join("LOCK"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(
        s.index().join("LOCK"),
        "pid 4242 since 2026-03-06T00:00:00Z",
    )
    .unwrap();
    let export = s.export();
    let out = s.run(&["index", "--source", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pid 4242"), "{err}");
    // Searching is not blocked by a writer.
    assert_eq!(s.count("*", &[]), 1);
    drop(lock);
    assert_eq!(s.index_export(&[])["docs_added"], 0);
}

#[test]
fn a_replaced_blob_takes_its_old_bad_lines_out_of_the_dead_letter_log() {
    let s = Scratch::new();
    let blob = s.blob("DeviceProcessEvents", 2026, 3, 7, 0);
    let good = format!("{}\r\n", process_line(1, "a", "2026-03-07T00:00:00Z"));
    append(&blob, format!("{good}not json\r\n").as_bytes());
    assert_eq!(s.index_export(&[])["bad_lines"], 1);
    let tmp = blob.with_extension("tmp");
    append(&tmp, format!("also not json\r\n{good}").as_bytes());
    std::fs::rename(&tmp, &blob).unwrap();
    let run = s.index_export(&[]);
    assert_eq!(run["blobs_replaced"], 1, "{run}");
    let log = s.ok(&["deadletter"]);
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.contains("also not json"), "{log}");
    assert_eq!(s.count("*", &[]), 1);
}

#[test]
fn replacing_a_blob_keeps_records_whose_other_copies_were_skipped_as_duplicates() {
    let s = Scratch::new();
    let record = process_line(7, "wks-r", "2026-03-08T10:00:00Z");
    let first = s.blob("DeviceProcessEvents", 2026, 3, 8, 10);
    let second = s.blob("DeviceProcessEvents", 2026, 3, 8, 11);
    append(&first, format!("{record}\r\n").as_bytes());
    s.index_export(&[]);
    // An Azure re-delivery of the same record in the next hour: a new `time`.
    let copy = record.replacen("2026-03-08T10:00:00Z", "2026-03-08T11:00:05Z", 1);
    append(&second, format!("{copy}\r\n").as_bytes());
    let run = s.index_export(&[]);
    assert_eq!(
        (run["docs_added"].as_u64(), run["duplicates"].as_u64()),
        (Some(0), Some(1))
    );
    // The first blob is replaced by other content: the record must survive
    // through its copy.
    let tmp = first.with_extension("tmp");
    append(
        &tmp,
        format!(
            "{}\r\n",
            process_line(8, "wks-other", "2026-03-08T10:30:00Z")
        )
        .as_bytes(),
    );
    std::fs::rename(&tmp, &first).unwrap();
    let run = s.index_export(&[]);
    assert_eq!(
        run["blobs_replaced"], 2,
        "the blob that skipped a copy is rebuilt: {run}"
    );
    assert_eq!(s.count("DeviceName:wks-r", &[]), 1);
    assert_eq!(s.count("DeviceName:wks-other", &[]), 1);
    assert_eq!(s.count("*", &[]), 2);
    let raw = s.ok(&["search", "DeviceName:wks-r", "--format", "raw"]);
    assert_eq!(raw, format!("{copy}\n"));
    // And the next run is idle.
    assert_eq!(s.index_export(&[])["bytes_read"], 0);
}

#[test]
fn of_several_copies_the_earliest_delivery_is_kept_whatever_the_reading_order() {
    let s = Scratch::new();
    let first = process_line(9, "wks-d", "2026-03-09T10:00:00Z");
    let later = first.replacen("2026-03-09T10:00:00Z", "2026-03-09T11:00:07Z", 1);
    append(
        &s.blob("DeviceProcessEvents", 2026, 3, 9, 10),
        format!("{first}\r\n").as_bytes(),
    );
    append(
        &s.blob("DeviceProcessEvents", 2026, 3, 9, 11),
        format!("{later}\r\n").as_bytes(),
    );
    // The later delivery is indexed first ...
    let run = s.index_export(&["--since", "2026-03-09T11:00:00Z"]);
    assert_eq!(run["docs_added"], 1, "{run}");
    // ... then the earlier one takes its place.
    let run = s.index_export(&[]);
    assert_eq!(
        (run["docs_added"].as_u64(), run["duplicates"].as_u64()),
        (Some(0), Some(1)),
        "{run}"
    );
    assert_eq!(s.count("*", &[]), 1);
    assert_eq!(
        s.ok(&["search", "*", "--format", "raw"]),
        format!("{first}\n")
    );

    // A fresh index over both agrees.
    let fresh = Scratch::new();
    std::fs::rename(s.export(), fresh.export()).unwrap();
    let run = fresh.index_export(&[]);
    assert_eq!(
        (run["docs_added"].as_u64(), run["duplicates"].as_u64()),
        (Some(1), Some(1)),
        "{run}"
    );
    assert_eq!(
        fresh.ok(&["search", "*", "--format", "raw"]),
        format!("{first}\n")
    );
}
