//! The real published records in `shared/samples/` index, are found by a
//! fielded search on a typed column, and come back byte for byte.

mod common;

use std::path::PathBuf;

use common::{Scratch, append, minify};

fn samples_dir() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ["../shared/samples", "shared/samples"]
        .iter()
        .map(|p| here.join(p))
        .find(|p| p.is_dir())
        .expect("shared/samples beside the project")
}

/// (sample file, table, a fielded query that must find it)
const CASES: &[(&str, &str, &str)] = &[
    (
        "AlertInfo-graph2otel.json",
        "AlertInfo",
        "AlertId:AD6450625369250BA3FC4B5752F34F474EC80B20AE",
    ),
    (
        "CloudAppEvents-graph2otel.json",
        "CloudAppEvents",
        "IPAddress:52.252.113.251 AND ApplicationId:11770",
    ),
    (
        "DeviceFileEvents-graph2otel.json",
        "DeviceFileEvents",
        "SHA1:6866429eb0f03fc50f980019774036a21063a3c1 AND ReportId:8132",
    ),
    (
        "DeviceProcessEvents-graph2otel.json",
        "DeviceProcessEvents",
        "DeviceName:MBP14 AND ProcessId:91345",
    ),
    (
        "DeviceProcessEvents-splunkTA.json",
        "DeviceProcessEvents",
        r#"FileName:whoami.exe AND ProcessCommandLine:"whoami.exe /user""#,
    ),
    (
        "EmailEvents-graph2otel.json",
        "EmailEvents",
        r#"ReportId:"3c7b1317-ac21-4754-5a76-08dee4d61558-4061291175951672650-1" AND Subject:"user at risk""#,
    ),
    (
        "EmailPostDeliveryEvents-graph2otel.json",
        "EmailPostDeliveryEvents",
        "NetworkMessageId:80aa9dda-c565-45a0-6133-08dee7cf4a7a AND ActionType:Redelivery",
    ),
    (
        "IdentityLogonEvents-tenzir.json",
        "IdentityLogonEvents",
        "AccountName:elias AND ActionType:LogonFailed",
    ),
];

/// The original record bytes of a sample, as a blob line holds them.
fn records_of(text: &str) -> Vec<String> {
    let line = minify(text);
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    match v.get("records") {
        // Each record of a `records` line is given back as it stood in the line.
        Some(_) => {
            let inner: std::collections::HashMap<String, Box<serde_json::value::RawValue>> =
                serde_json::from_str(&line).unwrap();
            let list: Vec<Box<serde_json::value::RawValue>> =
                serde_json::from_str(inner["records"].get()).unwrap();
            list.into_iter().map(|r| r.get().to_string()).collect()
        }
        None => vec![line],
    }
}

#[test]
fn every_sample_is_found_and_given_back_byte_for_byte() {
    let s = Scratch::new();
    for (i, (file, table, _)) in CASES.iter().enumerate() {
        let text = std::fs::read_to_string(samples_dir().join(file)).unwrap();
        let blob = s.blob(table, 2026, 7, 18, i as u8);
        append(&blob, minify(&text).as_bytes());
        append(&blob, b"\r\n");
    }
    let summary = s.index_export(&[]);
    assert_eq!(summary["docs_added"], 8, "{summary}");
    assert_eq!(summary["bad_lines"], 0, "{summary}");
    assert_eq!(s.count("*", &[]), 8);

    for (file, table, query) in CASES {
        let text = std::fs::read_to_string(samples_dir().join(file)).unwrap();
        let expected = records_of(&text);
        let raw = s.ok(&["search", query, "--table", table, "--format", "raw"]);
        let got: Vec<&str> = raw.lines().collect();
        assert_eq!(got, expected, "{file}: `{query}`");
    }
}

#[test]
fn sample_quirks_are_searchable() {
    let s = Scratch::new();
    for (i, (file, table, _)) in CASES.iter().enumerate() {
        let text = std::fs::read_to_string(samples_dir().join(file)).unwrap();
        append(
            &s.blob(table, 2026, 7, 18, i as u8),
            format!("{}\n", minify(&text)).as_bytes(),
        );
    }
    s.index_export(&[]);
    // JSON held in a string is indexed as what it holds.
    assert_eq!(s.count("AdditionalFields.FileType:unknown", &[]), 1);
    assert_eq!(s.count("AuthenticationDetails.DMARC:pass", &[]), 1);
    // A native object, with a dotted key that is not a nested path.
    assert_eq!(
        s.count(r"AdditionalFields.FROM\.DEVICE:win-p3mcs4024kp", &[]),
        1
    );
    // Integers beyond 2^53 stay exact inside dynamic columns.
    assert_eq!(
        s.count(
            r#"RawEventData.id.uniqueQualifier:"-640236721980338696""#,
            &[]
        ),
        1
    );
    assert_eq!(
        s.count(
            r#"RawEventData.id.uniqueQualifier:"-640236721980338697""#,
            &[]
        ),
        0
    );
    // Native arrays.
    assert_eq!(s.count("To:rob@m7kni.io", &[]), 1);
    // ReportId is a number in Device tables and a string in Email tables: one field.
    assert_eq!(s.count("ReportId:8132 OR ReportId:35595", &[]), 2);
    // Event time comes from properties.Timestamp, not the envelope time a day later.
    assert_eq!(
        s.count(
            "*",
            &[
                "--table",
                "AlertInfo",
                "--since",
                "2026-07-17",
                "--until",
                "2026-07-18"
            ]
        ),
        1
    );
    // Non-ASCII text, raw or escaped, is one text.
    assert_eq!(
        s.count(
            r#"InitiatingProcessVersionInfoProductName:"Microsoft® Windows® Operating System""#,
            &[]
        ),
        2
    );
}
