//! Tests of the generator: determinism, envelopes and schema columns, exact
//! counts and re-deliveries, export quirks, table selection, the text
//! helpers and the catalogue's consistency.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::catalogue::alerts::{ALERTS, ENTITIES};
use super::catalogue::device_activity::{DEVICE_EVENTS, POSIX_FIELDS, REGISTRY};
use super::catalogue::identity::{
    IDENTITY_DIRECTORY, IDENTITY_LOGON_FIELDS, IDENTITY_QUERIES, IDENTITY_QUERY_FIELDS,
};
use super::catalogue::processes::PROCS;
use super::envelope::MAX_REDELIVERIES;
use super::records::Ctx;
use super::text::{ENVELOPE_TIME, TRIMMED_TIME, TimeStyle, guid, push_escaped, push_time};
use super::world::{World, ascii_fold, encode_powershell};
use super::*;
use crate::timefmt::parse_export_time;

/// The envelope keys the tests look at; `properties` kept as raw bytes.
#[derive(Deserialize)]
struct Line<'a> {
    time: &'a str,
    #[serde(rename = "tenantId")]
    tenant_id: &'a str,
    #[serde(rename = "operationName")]
    operation: &'a str,
    category: &'a str,
    #[serde(borrow)]
    properties: &'a RawValue,
}

fn options(out: &Path, seed: u64) -> GenerateOptions {
    GenerateOptions {
        out: out.to_path_buf(),
        size_bytes: 3 << 20,
        start: "2026-03-01T10:17:00Z".parse().unwrap(),
        hours: 3,
        seed,
        duplicate_rate: 0.05,
        ..GenerateOptions::default()
    }
}

fn run(opts: &GenerateOptions) -> GenerateReport {
    generate(&Catalog::embedded(), opts).unwrap()
}

/// Every file under `root`, by relative path, in order.
fn read_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(root, root, &mut files);
    files
}

/// The lines of a blob, each checked to end in CRLF.
fn lines(bytes: &[u8]) -> Vec<&str> {
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(text.ends_with("\r\n"), "blob does not end in CRLF");
    let lines: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    for line in &lines {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line}"
        );
    }
    lines
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let ra = run(&options(a.path(), 7));
    let rb = run(&options(b.path(), 7));
    let rc = run(&options(c.path(), 8));
    let (fa, fb, fc) = (
        read_tree(a.path()),
        read_tree(b.path()),
        read_tree(c.path()),
    );
    assert!(
        fa.len() >= 21 * 3,
        "one blob per table and hour: {}",
        fa.len()
    );
    assert_eq!(fa, fb);
    assert_eq!(
        serde_json::to_string(&ra).unwrap(),
        serde_json::to_string(&rb).unwrap()
    );
    assert_eq!(fa.keys().collect::<Vec<_>>(), fc.keys().collect::<Vec<_>>());
    assert_ne!(fa, fc);
    assert_ne!(ra.records, 0);
    assert_ne!(rc.records, 0);
}

#[test]
fn every_line_is_an_envelope_with_every_schema_column() {
    let dir = tempfile::tempdir().unwrap();
    let opts = options(dir.path(), 1);
    let report = run(&opts);
    let catalog = Catalog::embedded();
    let window = (
        opts.start.as_second() / 3_600 * 3_600,
        opts.start.as_second() / 3_600 * 3_600 + 3 * 3_600,
    );
    let mut seen_tables = HashSet::new();
    for blob in &report.blobs {
        let bytes = std::fs::read(dir.path().join(&blob.container).join(&blob.blob)).unwrap();
        let table = catalog.table_for_container(&blob.container).unwrap();
        let schema = catalog.table(&table).unwrap();
        let hour = layout::parse_blob_path(&blob.blob).unwrap().hour;
        seen_tables.insert(table.clone());
        for line in lines(&bytes) {
            let envelope: Line =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert_eq!(envelope.category, format!("AdvancedHunting-{table}"));
            assert_eq!(envelope.tenant_id, opts.tenant);
            assert_eq!(envelope.operation, "Publish");
            let time = parse_export_time(envelope.time).unwrap();
            assert_eq!(
                envelope.time.len(),
                "2026-03-01T10:17:00.0000000Z".len(),
                "{}",
                envelope.time
            );
            assert!(
                time >= hour && time.as_second() < hour.as_second() + 3_600,
                "time {time} outside {hour}"
            );
            let props: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(envelope.properties.get()).unwrap();
            for col in &schema.columns {
                assert!(
                    props.contains_key(&col.name),
                    "{table} lacks {}: {line}",
                    col.name
                );
            }
            let ts = props["Timestamp"]
                .as_str()
                .and_then(parse_export_time)
                .unwrap();
            assert!(ts <= time, "{table}: Timestamp {ts} after time {time}");
            assert!(
                (window.0..window.1).contains(&ts.as_second()),
                "{table}: Timestamp {ts} outside the window"
            );
        }
    }
    assert_eq!(seen_tables.len(), 21);
}

#[test]
fn report_counts_are_exact_and_duplicates_are_redeliveries() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(&options(dir.path(), 3));
    // (category, properties) → the `time`s it was written with, in export order.
    let mut identities: HashMap<(String, String), Vec<String>> = HashMap::new();
    let (mut lines_seen, mut bytes_seen) = (0u64, 0u64);
    for blob in &report.blobs {
        let bytes = std::fs::read(dir.path().join(&blob.container).join(&blob.blob)).unwrap();
        bytes_seen += bytes.len() as u64;
        let mut blob_lines = 0;
        for line in lines(&bytes) {
            let envelope: Line = serde_json::from_str(line).unwrap();
            let key = (
                envelope.category.to_string(),
                envelope.properties.get().to_string(),
            );
            identities
                .entry(key)
                .or_default()
                .push(envelope.time.to_string());
            blob_lines += 1;
        }
        assert_eq!(blob_lines, blob.lines);
        assert_eq!(blob.lines, blob.records + blob.duplicates);
        lines_seen += blob_lines;
    }
    assert_eq!(lines_seen, report.lines);
    assert_eq!(bytes_seen, report.bytes);
    assert_eq!(identities.len() as u64, report.records);
    assert_eq!(report.lines - report.records, report.duplicates);
    let share = report.duplicates as f64 / report.lines as f64;
    assert!((0.02..0.08).contains(&share), "duplicate share {share}");
    for times in identities.values() {
        assert!(times.len() <= 1 + usize::from(MAX_REDELIVERIES));
        let distinct: HashSet<&String> = times.iter().collect();
        assert_eq!(
            distinct.len(),
            times.len(),
            "a re-delivery kept its time: {times:?}"
        );
    }
    assert!(identities.values().any(|t| t.len() > 1));
}

#[test]
fn records_carry_the_export_quirks() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(&GenerateOptions {
        size_bytes: 6 << 20,
        ..options(dir.path(), 5)
    });
    let mut text: HashMap<String, String> = HashMap::new();
    for blob in &report.blobs {
        let bytes = std::fs::read(dir.path().join(&blob.container).join(&blob.blob)).unwrap();
        text.entry(blob.table.clone())
            .or_default()
            .push_str(std::str::from_utf8(&bytes).unwrap());
    }
    let has = |table: &str, needle: &str| text[table].contains(needle);
    // Timestamp precision per table (quirks C.1).
    let digits = |table: &str| {
        let t = &text[table];
        let at = t.find("\"Timestamp\":\"").unwrap() + 13;
        let value = &t[at..at + t[at..].find('"').unwrap()];
        value.split_once('.').map_or(0, |(_, f)| f.len() - 1)
    };
    assert_eq!(digits("DeviceFileEvents"), 7);
    assert_eq!(digits("DeviceProcessEvents"), 6);
    assert_eq!(digits("CloudAppEvents"), 3);
    assert_eq!(digits("EmailEvents"), 0);
    // JSON in strings, native objects and arrays, dotted keys.
    assert!(has(
        "DeviceFileEvents",
        r#""AdditionalFields":"{\"FileType\":"#
    ));
    assert!(has("EmailEvents", r#""To":[""#));
    assert!(has("IdentityLogonEvents", r#""FROM.DEVICE":"#));
    assert!(has("CloudAppEvents", r#""RawEventData":{"#));
    assert!(
        has("EmailEvents", r#""_TimeReceivedBySvc":""#)
            && !text["EmailEvents"].contains(".0000000Z\",\"properties")
    );
    // Composite string and numeric ReportIds; numbers beyond 2^53.
    assert!(has("EmailEvents", r#""ReportId":""#));
    assert!(
        has("DeviceProcessEvents", r#""ReportId":"#)
            && !has("DeviceProcessEvents", r#""ReportId":""#)
    );
    let big = text["DeviceInfo"].split("\"ReportId\":").nth(1).unwrap();
    let number: u64 = big[..big.find(|c: char| !c.is_ascii_digit()).unwrap()]
        .parse()
        .unwrap();
    assert!(number > 1 << 53);
    // Digit-string ids, "" next to null, non-ASCII raw and escaped, envelope variants.
    assert!(has("DeviceProcessEvents", r#""ProcessUniqueId":""#));
    assert!(has("DeviceProcessEvents", r#""AppGuardContainerId":"""#));
    assert!(has("DeviceProcessEvents", r#""AppGuardContainerId":null"#));
    let all: String = text.values().map(String::as_str).collect();
    assert!(all.contains('®') && all.contains("\\u00ae"));
    assert!(all.contains("\r\n{\"Tenant\":\"DefaultTenant\",\"_TimeReceivedBySvc\""));
    assert!(all.contains("}}\r\n"), "some lines lack Tenant");
    // `Timestamp` first in about a third of the records (quirks E.4).
    let lines = all.matches("\r\n").count() as f64;
    let first = all.matches("\"properties\":{\"Timestamp\"").count() as f64;
    assert!((0.2..0.5).contains(&(first / lines)), "{first} of {lines}");
    // Values a hunter looks for.
    assert!(has("DeviceProcessEvents", "-enc ") || has("DeviceProcessEvents", "certutil"));
    assert!(has("DeviceProcessEvents", "wks-"));
}

#[test]
fn table_selection_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(&GenerateOptions {
        tables: Some(vec!["deviceprocessevents".into(), "EmailEvents".into()]),
        size_bytes: 1 << 20,
        ..options(dir.path(), 2)
    });
    let tables: HashSet<&str> = report.blobs.iter().map(|b| b.table.as_str()).collect();
    assert_eq!(
        tables,
        HashSet::from(["DeviceProcessEvents", "EmailEvents"])
    );
    assert!(
        report.bytes >= 1 << 20 && report.bytes < (1 << 20) + (64 << 10),
        "{}",
        report.bytes
    );
    // A tiny export still writes something, about as much as asked.
    let tiny = tempfile::tempdir().unwrap();
    let report = run(&GenerateOptions {
        size_bytes: 2_000,
        hours: 24,
        ..options(tiny.path(), 2)
    });
    assert!(report.lines > 0 && report.bytes < 40_000, "{report:?}");
    let catalog = Catalog::embedded();
    let bad = |opts: GenerateOptions| matches!(generate(&catalog, &opts), Err(Error::Usage(_)));
    assert!(bad(GenerateOptions {
        tables: Some(vec!["NoSuchTable".into()]),
        ..options(dir.path(), 2)
    }));
    assert!(bad(GenerateOptions {
        hours: 0,
        ..options(dir.path(), 2)
    }));
    assert!(bad(GenerateOptions {
        duplicate_rate: 1.0,
        ..options(dir.path(), 2)
    }));
}

#[test]
fn parses_sizes() {
    assert_eq!(parse_size("12345"), Some(12_345));
    assert_eq!(parse_size("10k"), Some(10_240));
    assert_eq!(parse_size("64MiB"), Some(64 << 20));
    assert_eq!(parse_size("500MB"), Some(500_000_000));
    assert_eq!(parse_size("1G"), Some(1 << 30));
    assert_eq!(parse_size("1GiB"), Some(1 << 30));
    assert_eq!(parse_size("1 GB"), Some(1_000_000_000));
    assert_eq!(parse_size("1.5G"), Some(3 << 29));
    assert_eq!(parse_size("2kb"), Some(2_000));
    assert_eq!(parse_size(""), None);
    assert_eq!(parse_size("MB"), None);
    assert_eq!(parse_size("12 parsecs"), None);
    assert_eq!(parse_size("-5"), None);
}

#[test]
fn helpers_render_like_the_export() {
    let mut s = String::new();
    push_time(&mut s, 1_784_383_736_291_444_600, ENVELOPE_TIME);
    assert_eq!(s, "2026-07-18T14:08:56.2914446Z");
    s.clear();
    push_time(
        &mut s,
        1_784_383_736_000_000_000,
        TimeStyle {
            digits: 7,
            trim: false,
            zulu: false,
        },
    );
    assert_eq!(s, "2026-07-18T14:08:56.0000000");
    s.clear();
    push_time(&mut s, 1_784_383_736_693_370_000, TRIMMED_TIME);
    assert_eq!(s, "2026-07-18T14:08:56.69337Z");
    s.clear();
    push_escaped(&mut s, "a\"b\\c\r\n®", false);
    assert_eq!(s, "a\\\"b\\\\c\\r\\n®");
    s.clear();
    push_escaped(&mut s, "Microsoft® 見", true);
    assert_eq!(s, "Microsoft\\u00ae \\u898b");
    assert_eq!(encode_powershell("IEX"), "SQBFAFgA");
    assert_eq!(ascii_fold("O'Brien-Müller Łukasz"), "obrienmullerlukasz");
    let a = guid(1, 2);
    assert_eq!(a.len(), 36);
    assert_ne!(a, guid(2, 2));
}

#[test]
fn catalogue_is_consistent_and_templates_render() {
    let world = World::new(9, DEFAULT_TENANT, 0, 24, 1_000);
    let mut c = Ctx::new(&world, ChaCha8Rng::seed_from_u64(9), 9, 1, TimeStyle::z(7));
    c.ev.device = Some(0);
    let mut text = String::new();
    let mut plain = |c: &mut Ctx<'_>, template: &str| {
        text.clear();
        c.expand(&mut text, template, false);
        assert!(!text.contains("{{"), "{template} -> {text}");
    };
    for spec in PROCS {
        for (cmd, _) in spec.cmds {
            plain(&mut c, cmd);
        }
        for (parent, _) in spec.parents {
            assert!(
                PROCS
                    .iter()
                    .any(|p| p.name == *parent && p.hosts & spec.hosts != 0),
                "{}: unknown parent {parent}",
                spec.name
            );
        }
    }
    for r in REGISTRY {
        for template in [r.key, r.value, r.data, r.previous] {
            plain(&mut c, template);
        }
    }
    for q in IDENTITY_QUERIES {
        plain(&mut c, q.query);
        plain(&mut c, q.target);
    }
    let json = DEVICE_EVENTS
        .iter()
        .filter_map(|e| e.fields)
        .chain(IDENTITY_DIRECTORY.iter().map(|d| d.fields))
        .chain(ENTITIES.iter().filter_map(|e| e.fields()))
        .chain([IDENTITY_LOGON_FIELDS, IDENTITY_QUERY_FIELDS, POSIX_FIELDS]);
    for template in json {
        // Values are random: render each template many times.
        for _ in 0..200 {
            c.out.clear();
            c.render_json(template, false);
            serde_json::from_str::<serde_json::Value>(&c.out)
                .unwrap_or_else(|e| panic!("{e}: {template} -> {}", c.out));
            assert!(!c.out.contains("{{"), "{template} -> {}", c.out);
        }
    }
    for alert in ALERTS {
        let distinct: HashSet<usize> = alert.entities.iter().map(|e| *e as usize).collect();
        assert_eq!(distinct.len(), alert.entities.len(), "{}", alert.title);
    }
    for (i, entity) in ENTITIES.iter().enumerate() {
        assert_eq!(*entity as usize, i);
    }
}

/// `HUNTVAULT_BENCH_SIZE=1GiB cargo test --release --lib generate::tests::throughput -- --ignored --nocapture`
#[test]
#[ignore = "benchmark"]
fn throughput() {
    let dir = tempfile::tempdir().unwrap();
    let opts = GenerateOptions {
        out: dir.path().to_path_buf(),
        size_bytes: std::env::var("HUNTVAULT_BENCH_SIZE")
            .ok()
            .and_then(|s| parse_size(&s))
            .unwrap_or(256 << 20),
        ..GenerateOptions::default()
    };
    let started = std::time::Instant::now();
    let report = run(&opts);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} MiB, {} lines, {} blobs in {secs:.2}s: {:.0} MiB/s",
        report.bytes >> 20,
        report.lines,
        report.blobs.len(),
        report.bytes as f64 / secs / (1 << 20) as f64
    );
}
