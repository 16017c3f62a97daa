//! `huntvault index` reading a storage account, through the real binary,
//! against Azurite (the Azure Storage emulator): the same documents as from a
//! local directory, appends between runs, replaced blobs, empty containers,
//! many partitions, every key and SAS way to authenticate, and errors that say
//! what to do without showing a secret.
//!
//! Emulators. `huntvault index` reads every container of an account whose
//! name starts with `insights-logs-advancedhunting-`, so two tests writing
//! such containers into one account would see each other's data, and a second
//! run of the tests would see the first's. This binary therefore starts one
//! Azurite of its own (about 2 s, through `scripts/azurite.sh`, installing it
//! with npm when missing) holding one account per test, each with its own key
//! (Azurite's `AZURITE_ACCOUNTS`): the tests run in parallel, each on an
//! account nobody else writes to, and every run starts empty. The emulator
//! stops when the binary exits. The error tests read no data, so they use the
//! emulator `scripts/test.sh` exports (`HUNTVAULT_AZURITE_BLOB_ENDPOINT` or
//! `AZURITE_CS`) when there is one, and an account of this binary's emulator
//! otherwise. No test skips.
//!
//! Data is written as real append blobs (create, then Append Block), through
//! the SDK client of huntvault's own `AzureSource`; generated exports are
//! loaded with `examples/upload.rs`, the loader the benchmark uses.

#[path = "common/azurite.rs"]
mod azurite;
mod common;
#[path = "common/https.rs"]
mod https;
#[allow(dead_code)]
#[path = "../examples/upload.rs"]
mod upload;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Output;
use std::sync::OnceLock;

use azurite::{Account, Emulator, assert_no_secret, huntvault, secret_forms};
use common::files_below;
use common::{TENANT, process_line};
use futures::StreamExt;
use serde_json::Value;

/// One account per test.
const ACCOUNTS: [&str; 7] = [
    "hvsame",
    "hvexact",
    "hvappend",
    "hvreplace",
    "hvparts",
    "hvauth",
    "hverrors",
];

fn account(name: &str) -> Account {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR
        .get_or_init(|| Emulator::start(&ACCOUNTS))
        .account(name)
}

const PROCESS: &str = "insights-logs-advancedhunting-deviceprocessevents";
const LOGON: &str = "insights-logs-advancedhunting-devicelogonevents";

fn hour_blob(day: u8, hour: u8) -> String {
    format!("tenantId={TENANT}/y=2026/m=03/d={day:02}/h={hour:02}/m=00/PT1H.json")
}

/// A compact DeviceLogonEvents envelope line (no line end).
fn logon_line(n: u64, account: &str, time: &str) -> String {
    format!(
        concat!(
            r#"{{"time":"{time}","tenantId":"{tenant}","operationName":"Publish","#,
            r#""category":"AdvancedHunting-DeviceLogonEvents","properties":{{"#,
            r#""Timestamp":"{time}","DeviceName":"dc-01","ActionType":"LogonSuccess","#,
            r#""AccountName":"{account}","ReportId":{n}}},"Tenant":"DefaultTenant"}}"#
        ),
        time = time,
        tenant = TENANT,
        account = account,
        n = n
    )
}

fn crlf(line: &str) -> Vec<u8> {
    format!("{line}\r\n").into_bytes()
}

/// A scratch directory for indexes and exports; huntvault runs in it.
struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new() -> Work {
        Work {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, index: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        huntvault(self.dir.path(), &self.path(index), args, env)
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, index: &str, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.run(index, args, env);
        assert!(
            out.status.success(),
            "huntvault {args:?} failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// `index ARGS --json-summary`, parsed.
    fn index(&self, index: &str, args: &[&str], env: &[(&str, &str)]) -> Value {
        let mut all = vec!["index"];
        all.extend_from_slice(args);
        all.push("--json-summary");
        serde_json::from_str(&self.ok(index, &all, env)).expect("summary JSON")
    }

    /// `index --connection-string` of `account`.
    fn index_account(&self, index: &str, account: &Account, extra: &[&str]) -> Value {
        let cs = account.connection_string();
        let mut args = vec!["--connection-string", cs.as_str()];
        args.extend_from_slice(extra);
        self.index(index, &args, &[])
    }

    fn count(&self, index: &str, query: &str, extra: &[&str]) -> u64 {
        let mut args = vec!["search", "--count", query];
        args.extend_from_slice(extra);
        self.ok(index, &args, &[]).trim().parse().expect("a count")
    }

    /// Every stored record, byte for byte, sorted.
    fn raw_sorted(&self, index: &str) -> Vec<String> {
        let out = self.ok(
            index,
            &["search", "*", "--format", "raw", "--limit", "1000000"],
            &[],
        );
        let mut lines: Vec<String> = out.lines().map(str::to_string).collect();
        lines.sort();
        lines
    }
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// Generates an export (`huntvault generate ARGS --json`), loads it into
/// `account` with the upload example, and indexes it both from the directory
/// (index `local`) and from the account (index `azure`); returns the
/// generator's report and the two run summaries.
async fn index_both_ways(w: &Work, account: &Account, generate: &[&str]) -> (Value, Value, Value) {
    let export = w.path("export");
    let mut args = vec!["generate", "--out", export.to_str().unwrap(), "--json"];
    args.extend_from_slice(generate);
    let report: Value = serde_json::from_str(&w.ok("unused", &args, &[])).expect("generate report");
    let uploaded = upload::upload_export(account.source().client(), &export, 8)
        .await
        .expect("upload the export");
    assert_eq!(
        uploaded.blobs.len(),
        report["blobs"].as_array().unwrap().len()
    );
    assert_eq!(uploaded.bytes, n(&report["bytes"]));

    let local = w.index("local", &["--source", export.to_str().unwrap()], &[]);
    let azure = w.index_account("azure", account, &[]);
    for field in [
        "containers",
        "blobs_listed",
        "blobs_read",
        "bytes_read",
        "lines",
        "records",
        "docs_added",
        "duplicates",
        "bad_lines",
    ] {
        assert_eq!(local[field], azure[field], "{field}:\n{local}\n{azure}");
    }
    assert_eq!(n(&azure["docs_added"]), n(&report["records"]), "{azure}");
    assert_eq!(azure["duplicates"], report["duplicates"], "{azure}");
    assert_eq!(azure["lines"], report["lines"], "{azure}");
    assert_eq!(azure["bad_lines"], 0, "{azure}");
    assert_eq!(azure["errors"], Value::Array(Vec::new()), "{azure}");
    // One ranged read per blob, every byte once.
    assert_eq!(azure["requests"]["read_requests"], azure["blobs_read"]);
    assert_eq!(azure["requests"]["bytes"], report["bytes"]);
    (report, local, azure)
}

/// A record's content identity as huntvault defines it: its `category` and
/// the exact bytes of its `properties`.
fn identity(raw: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        category: Option<String>,
        #[serde(borrow)]
        properties: Option<&'a serde_json::value::RawValue>,
    }
    let e: Envelope = serde_json::from_str(raw).expect("a stored record");
    format!(
        "{} {}",
        e.category.unwrap_or_default(),
        e.properties.map_or("", |p| p.get())
    )
}

#[tokio::test]
async fn an_account_indexes_to_the_same_documents_as_the_local_directory() {
    let account = account("hvsame");
    let w = Work::new();
    let (report, _, azure) = index_both_ways(
        &w,
        &account,
        &["--size", "8MiB", "--hours", "6", "--seed", "3"],
    )
    .await;
    assert!(
        n(&report["duplicates"]) > 0,
        "the export has Azure-style duplicates"
    );

    // The same documents, byte for byte: of duplicate deliveries both keep
    // the earliest (by blob path, then offset), whatever the reading order.
    let (from_dir, from_account) = (w.raw_sorted("local"), w.raw_sorted("azure"));
    assert_eq!(from_dir.len() as u64, n(&report["records"]));
    assert!(from_dir == from_account, "the documents differ");
    let mut ids: Vec<String> = from_dir.iter().map(|r| identity(r)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), from_dir.len(), "each record is stored once");
    // The same count per table as generated.
    let mut per_table: BTreeMap<&str, u64> = BTreeMap::new();
    for blob in report["blobs"].as_array().unwrap() {
        *per_table
            .entry(blob["table"].as_str().unwrap())
            .or_default() += n(&blob["records"]);
    }
    for (table, records) in per_table {
        for index in ["local", "azure"] {
            assert_eq!(
                w.count(index, "*", &["--table", table]),
                records,
                "{index} {table}"
            );
        }
    }

    // Nothing new: nothing read.
    let again = w.index_account("azure", &account, &[]);
    assert_eq!(again["docs_added"], 0, "{again}");
    assert_eq!(again["blobs_unchanged"], azure["blobs_listed"], "{again}");
    assert_eq!(again["requests"]["read_requests"], 0, "{again}");
    assert_eq!(again["requests"]["bytes"], 0, "{again}");
}

#[tokio::test]
async fn without_duplicates_both_indexes_store_the_same_bytes_from_the_same_blobs() {
    let account = account("hvexact");
    let w = Work::new();
    let (report, _, _) = index_both_ways(
        &w,
        &account,
        &[
            "--size",
            "4MiB",
            "--hours",
            "4",
            "--seed",
            "5",
            "--duplicates",
            "0",
        ],
    )
    .await;
    assert_eq!(report["duplicates"], 0);
    let (from_dir, from_account) = (w.raw_sorted("local"), w.raw_sorted("azure"));
    assert_eq!(from_dir.len() as u64, n(&report["records"]));
    assert!(from_dir == from_account, "the stored records differ");
    let per_blob = |index| {
        w.ok(
            index,
            &[
                "search",
                "*",
                "--count-by",
                "_blob",
                "--limit",
                "1000000",
                "--format",
                "json",
            ],
            &[],
        )
    };
    let blobs = per_blob("azure");
    assert_eq!(
        blobs.lines().count(),
        report["blobs"].as_array().unwrap().len()
    );
    assert_eq!(per_blob("local"), blobs);
}

#[tokio::test]
async fn appends_between_runs_add_exactly_the_new_complete_lines() {
    let account = account("hvappend");
    let w = Work::new();
    let (grows, stays) = (hour_blob(1, 10), hour_blob(1, 11));
    let line = |i: u64, device: &str| process_line(i, device, "2026-03-01T10:00:01.1234567Z");
    account.create_container(PROCESS).await;
    let first: Vec<String> = (0..5).map(|i| line(i, "wks-1")).collect();
    let (a, b) = (
        [crlf(&first[0]), crlf(&first[1]), crlf(&first[2])].concat(),
        [crlf(&first[3]), crlf(&first[4])].concat(),
    );
    account.create_blob(PROCESS, &grows, &[&a, &b]).await;
    let other = line(100, "other");
    account.create_blob(PROCESS, &stays, &[&crlf(&other)]).await;
    let mut expected: Vec<String> = first.clone();
    expected.push(other);

    let run = w.index_account("idx", &account, &[]);
    assert_eq!(run["docs_added"], 6, "{run}");
    assert_eq!(run["blobs_read"], 2, "{run}");

    // One block: three complete lines and the first half of a fourth.
    let more: Vec<String> = (5..8).map(|i| line(i, "wks-2")).collect();
    let split = line(8, "wks-3");
    let (head, tail) = split.split_at(split.len() / 2);
    let block = [
        crlf(&more[0]),
        crlf(&more[1]),
        crlf(&more[2]),
        head.as_bytes().to_vec(),
    ]
    .concat();
    account.append(PROCESS, &grows, &[&block]).await;
    let run = w.index_account("idx", &account, &[]);
    assert_eq!(run["docs_added"], 3, "{run}");
    assert_eq!(
        run["bad_lines"], 0,
        "a partial line is not bad: it waits: {run}"
    );
    assert_eq!(
        (run["blobs_read"].clone(), run["blobs_unchanged"].clone()),
        (1.into(), 1.into()),
        "{run}"
    );
    let grown_by = block.len() as u64;
    let read = n(&run["requests"]["bytes"]);
    assert!(
        read >= grown_by && read < grown_by + 4096,
        "a grown blob costs its new bytes (and a check of its head), not {read}: {run}"
    );
    assert_eq!(w.count("idx", "DeviceName:wks-3", &[]), 0);
    expected.extend(more);

    // Nothing new (the partial line still waits): nothing read.
    let idle = w.index_account("idx", &account, &[]);
    assert_eq!(idle["docs_added"], 0, "{idle}");
    assert_eq!(idle["requests"]["read_requests"], 0, "{idle}");
    assert_eq!(idle["requests"]["bytes"], 0, "{idle}");

    // A later block completes the line and adds one more; the other blob
    // grows too.
    let last = line(9, "wks-4");
    let completing = [tail.as_bytes().to_vec(), b"\r\n".to_vec(), crlf(&last)].concat();
    account.append(PROCESS, &grows, &[&completing]).await;
    let other_more = line(101, "other");
    account.append(PROCESS, &stays, &[&crlf(&other_more)]).await;
    let run = w.index_account("idx", &account, &[]);
    assert_eq!(run["docs_added"], 3, "{run}");
    assert_eq!(run["bad_lines"], 0, "{run}");
    assert_eq!(w.count("idx", "DeviceName:wks-3", &[]), 1);
    expected.extend([split, last, other_more]);

    // A third run with nothing new reads no blob bytes.
    let idle = w.index_account("idx", &account, &[]);
    assert_eq!(idle["docs_added"], 0, "{idle}");
    assert_eq!(idle["blobs_unchanged"], 2, "{idle}");
    assert_eq!(idle["requests"]["read_requests"], 0, "{idle}");
    assert_eq!(idle["requests"]["bytes"], 0, "{idle}");

    // Exactly the complete lines written, each once.
    expected.sort();
    assert_eq!(w.raw_sorted("idx"), expected);
}

#[tokio::test]
async fn replaced_blobs_are_reindexed_without_leftovers() {
    let account = account("hvreplace");
    let w = Work::new();
    account.create_container(PROCESS).await;
    let line = |i: u64, device: &str| process_line(i, device, "2026-03-02T05:00:00Z");
    let lines = |range: std::ops::Range<u64>, device: &str| -> Vec<String> {
        range.map(|i| line(i, device)).collect()
    };
    let blocks = |lines: &[String]| -> Vec<u8> { lines.iter().flat_map(|l| crlf(l)).collect() };
    // Replaced by shorter content; by longer content with other first
    // bytes; by content that starts the same (only its creation time
    // tells); and one blob left alone.
    let (shrinks, differs, same_start, kept) = (
        hour_blob(2, 5),
        hour_blob(2, 6),
        hour_blob(2, 7),
        hour_blob(2, 8),
    );
    let old_shrinks = lines(0..6, "old-a");
    let old_differs = lines(10..13, "old-b");
    let old_same = lines(20..23, "same");
    let kept_lines = lines(30..32, "kept");
    for (blob, content) in [
        (&shrinks, &old_shrinks),
        (&differs, &old_differs),
        (&same_start, &old_same),
        (&kept, &kept_lines),
    ] {
        account
            .create_blob(PROCESS, blob, &[&blocks(content)])
            .await;
    }
    let run = w.index_account("idx", &account, &[]);
    assert_eq!(run["docs_added"], 6 + 3 + 3 + 2, "{run}");

    // Creation times have one-second resolution.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let new_shrinks = lines(40..42, "new-a");
    let new_differs = lines(50..55, "new-b");
    let new_same: Vec<String> = old_same
        .iter()
        .cloned()
        .chain(lines(23..25, "same"))
        .collect();
    for (blob, content) in [
        (&shrinks, &new_shrinks),
        (&differs, &new_differs),
        (&same_start, &new_same),
    ] {
        account.delete_blob(PROCESS, blob).await;
        account
            .create_blob(PROCESS, blob, &[&blocks(content)])
            .await;
    }
    let run = w.index_account("idx", &account, &[]);
    assert_eq!(run["blobs_replaced"], 3, "{run}");
    assert_eq!(run["docs_deleted"], 6 + 3 + 3, "{run}");
    assert_eq!(run["docs_added"], 2 + 5 + 5, "{run}");
    assert_eq!(run["blobs_unchanged"], 1, "{run}");
    for old in ["old-a", "old-b"] {
        assert_eq!(
            w.count("idx", &format!("DeviceName:{old}"), &[]),
            0,
            "{old}"
        );
    }
    let mut expected: Vec<String> = [new_shrinks, new_differs, new_same, kept_lines].concat();
    expected.sort();
    assert_eq!(w.raw_sorted("idx"), expected);

    let idle = w.index_account("idx", &account, &[]);
    assert_eq!(idle["docs_added"], 0, "{idle}");
    assert_eq!(idle["blobs_replaced"], 0, "{idle}");
    assert_eq!(idle["requests"]["bytes"], 0, "{idle}");
}

#[tokio::test]
async fn many_partitions_and_empty_containers_index_exactly() {
    let account = account("hvparts");
    let w = Work::new();
    // An empty table container, a table container whose only blob is
    // still empty (created, nothing appended yet), and a container of
    // another prefix that must not be read.
    let (empty, unwritten) = (
        "insights-logs-advancedhunting-emailevents",
        "insights-logs-advancedhunting-devicefileevents",
    );
    for c in [PROCESS, LOGON, empty, unwritten, "insights-logs-signinlogs"] {
        account.create_container(c).await;
    }
    account.create_blob(unwritten, &hour_blob(3, 0), &[]).await;
    account
        .create_blob(
            "insights-logs-signinlogs",
            &hour_blob(3, 0),
            &[&crlf(&process_line(
                999,
                "elsewhere",
                "2026-03-03T00:00:00Z",
            ))],
        )
        .await;

    // 3 days x 24 hours x 2 tables, 1 to 3 lines an hour.
    let mut blobs = Vec::new();
    let mut per_day: BTreeMap<u8, u64> = BTreeMap::new();
    for day in 3..6u8 {
        for hour in 0..24u8 {
            let k = u64::from(hour % 3) + 1;
            let time = format!("2026-03-{day:02}T{hour:02}:30:00Z");
            let base = u64::from(day) * 1000 + u64::from(hour) * 10;
            let process: Vec<u8> = (0..k)
                .flat_map(|i| crlf(&process_line(base + i, "wks-p", &time)))
                .collect();
            let logon: Vec<u8> = (0..k)
                .flat_map(|i| crlf(&logon_line(base + i, "alice", &time)))
                .collect();
            blobs.push((PROCESS, hour_blob(day, hour), process));
            blobs.push((LOGON, hour_blob(day, hour), logon));
            *per_day.entry(day).or_default() += 2 * k;
        }
    }
    let total: u64 = per_day.values().sum();
    futures::stream::iter(&blobs)
        .for_each_concurrent(16, |(c, b, bytes)| async {
            account.create_blob(c, b, &[bytes.as_slice()]).await
        })
        .await;

    // A window of one day opens only that day's partitions.
    let run = w.index_account(
        "idx",
        &account,
        &["--since", "2026-03-04", "--until", "2026-03-05"],
    );
    assert_eq!(n(&run["docs_added"]), per_day[&4], "{run}");
    assert_eq!(run["blobs_listed"], 48, "{run}");
    assert_eq!(run["containers"], 4, "{run}");

    let run = w.index_account("idx", &account, &[]);
    assert_eq!(n(&run["docs_added"]), total - per_day[&4], "{run}");
    assert_eq!(run["bad_lines"], 0, "{run}");
    assert_eq!(run["errors"], Value::Array(Vec::new()), "{run}");
    assert_eq!(w.count("idx", "*", &[]), total);
    assert_eq!(
        w.count("idx", "*", &["--table", "DeviceProcessEvents"]),
        total / 2
    );
    assert_eq!(
        w.count("idx", "*", &["--table", "DeviceLogonEvents"]),
        total / 2
    );
    assert_eq!(w.count("idx", "DeviceName:elsewhere", &[]), 0);

    let idle = w.index_account("idx", &account, &[]);
    assert_eq!(idle["docs_added"], 0, "{idle}");
    assert_eq!(idle["requests"]["read_requests"], 0, "{idle}");
    assert_eq!(idle["requests"]["bytes"], 0, "{idle}");
}

/// A small export of 7 records in two tables, for the auth tests.
async fn small_export(account: &Account) -> u64 {
    account.create_container(PROCESS).await;
    account.create_container(LOGON).await;
    let process: Vec<u8> = (0..4)
        .flat_map(|i| crlf(&process_line(i, "wks-auth", "2026-03-06T01:00:00Z")))
        .collect();
    let logon: Vec<u8> = (0..3)
        .flat_map(|i| crlf(&logon_line(i, "bob", "2026-03-06T02:00:00Z")))
        .collect();
    account
        .create_blob(PROCESS, &hour_blob(6, 1), &[&process])
        .await;
    account
        .create_blob(LOGON, &hour_blob(6, 2), &[&logon])
        .await;
    7
}

fn in_an_hour() -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A key of the right form that the account does not have.
const WRONG_KEY: &str =
    "bm90IHRoZSBrZXkgb2YgdGhpcyBhY2NvdW50LCBub3QgdGhlIGtleSBvZiBhbnkgYWNjb3VudA==";

#[tokio::test]
async fn every_key_and_sas_way_to_authenticate_indexes_the_same() {
    let account = account("hvauth");
    let records = small_export(&account).await;
    let w = Work::new();
    let endpoint = account.endpoint();
    let cs = account.connection_string();
    let sas = account.sas("rl", &in_an_hour());
    let sig = url::form_urlencoded::parse(sas.as_bytes())
        .find(|(k, _)| k == "sig")
        .map(|(_, v)| v.into_owned())
        .expect("a signature");
    let config = |name: &str, body: String| -> String {
        let path = w.path(name);
        std::fs::write(&path, format!("[storage]\n{body}")).unwrap();
        path.to_str().unwrap().to_string()
    };
    let key_file = config(
        "key.toml",
        format!(
            "account = \"{}\"\naccount_key = \"{}\"\nblob_endpoint = \"{endpoint}\"\n",
            account.name, account.key
        ),
    );
    let sas_file = config(
        "sas.toml",
        format!("sas_token = \"{sas}\"\nblob_endpoint = \"{endpoint}\"\n"),
    );
    let wrong_key_file = config(
        "wrong.toml",
        format!(
            "account = \"{}\"\naccount_key = \"{WRONG_KEY}\"\nblob_endpoint = \"{endpoint}\"\n",
            account.name
        ),
    );
    let sas_cs = format!("BlobEndpoint={endpoint};SharedAccessSignature={sas}");
    let question_sas = format!("?{sas}");
    let wrong_cs = account.connection_string_with(WRONG_KEY);

    type Case<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        (
            "connection string",
            vec!["--connection-string", &cs],
            vec![],
        ),
        (
            "account and key",
            vec![
                "--account",
                &account.name,
                "--account-key",
                &account.key,
                "--blob-endpoint",
                &endpoint,
            ],
            vec![],
        ),
        (
            "SAS",
            vec!["--sas-token", &sas, "--blob-endpoint", &endpoint],
            vec![],
        ),
        (
            "SAS with ?",
            vec![
                "--sas-token",
                &question_sas,
                "--blob-endpoint",
                &endpoint,
                "--auth-mode",
                "sas",
            ],
            vec![],
        ),
        (
            "SAS connection string",
            vec!["--connection-string", &sas_cs],
            vec![],
        ),
        (
            "connection string in env",
            vec![],
            vec![("AZURE_STORAGE_CONNECTION_STRING", &cs)],
        ),
        (
            "account and key in env",
            vec!["--blob-endpoint", &endpoint],
            vec![
                ("AZURE_STORAGE_ACCOUNT", &account.name),
                ("AZURE_STORAGE_KEY", &account.key),
            ],
        ),
        (
            "config file with a key",
            vec!["--config", &key_file],
            vec![],
        ),
        (
            "config file with a SAS",
            vec!["--config", &sas_file],
            vec![],
        ),
        (
            "config file via HUNTVAULT_CONFIG",
            vec![],
            vec![("HUNTVAULT_CONFIG", &key_file)],
        ),
        // Precedence: flag over env over file.
        (
            "flag key over file key",
            vec!["--config", &wrong_key_file, "--account-key", &account.key],
            vec![],
        ),
        (
            "flag key over env key",
            vec![
                "--account",
                &account.name,
                "--account-key",
                &account.key,
                "--blob-endpoint",
                &endpoint,
            ],
            vec![("AZURE_STORAGE_KEY", WRONG_KEY)],
        ),
        (
            "env key over file key",
            vec!["--config", &wrong_key_file],
            vec![("AZURE_STORAGE_KEY", &account.key)],
        ),
        (
            "flag connection string over env",
            vec!["--connection-string", &cs],
            vec![("AZURE_STORAGE_CONNECTION_STRING", &wrong_cs)],
        ),
        (
            "env connection string over file",
            vec!["--config", &wrong_key_file],
            vec![("AZURE_STORAGE_CONNECTION_STRING", &cs)],
        ),
        (
            "SAS with debug logs",
            vec!["--sas-token", &sas, "--blob-endpoint", &endpoint],
            vec![("HUNTVAULT_LOG", "debug")],
        ),
        (
            "key with debug logs",
            vec!["--connection-string", &cs],
            vec![("HUNTVAULT_LOG", "debug")],
        ),
    ];
    let mut secrets: Vec<String> = Vec::new();
    for s in [account.key.as_str(), &sas, &sig, WRONG_KEY] {
        secrets.extend(secret_forms(s));
    }
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    for (i, (what, flags, env)) in cases.iter().enumerate() {
        let index = format!("idx{i}");
        let mut args = vec!["index"];
        args.extend(flags.iter().copied());
        args.push("--json-summary");
        let out = w.run(&index, &args, env);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{what}: exit {:?}: {stderr}",
            out.status.code()
        );
        let summary: Value = serde_json::from_str(&stdout).expect("summary JSON");
        assert_eq!(n(&summary["docs_added"]), records, "{what}: {summary}");
        assert!(
            summary["source"]
                .as_str()
                .unwrap()
                .starts_with(&format!("account {}", account.name)),
            "{what}: {summary}"
        );
        assert_no_secret(&format!("{what}: stdout"), &stdout, &secrets);
        assert_no_secret(&format!("{what}: stderr"), &stderr, &secrets);
        for file in files_below(&w.path(&index)) {
            let bytes = std::fs::read(&file).unwrap();
            assert_no_secret(
                &format!("{what}: {}", file.display()),
                &String::from_utf8_lossy(&bytes),
                &secrets,
            );
        }
    }

    // The flag wins even when it is the wrong one.
    let out = w.run(
        "flagwins",
        &[
            "index",
            "--account",
            &account.name,
            "--account-key",
            WRONG_KEY,
            "--blob-endpoint",
            &endpoint,
        ],
        &[("AZURE_STORAGE_KEY", &account.key)],
    );
    assert_eq!(
        out.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_secret("stderr", &String::from_utf8_lossy(&out.stderr), &secrets);
}

/// Runs an `index` that must fail with `code`, printing one line on stderr
/// that contains each of `says` and none of `secrets`, and nothing on
/// stdout; returns the line.
fn fails(
    w: &Work,
    args: &[&str],
    env: &[(&str, &str)],
    code: i32,
    says: &[&str],
    secrets: &[&str],
) -> String {
    let mut all = vec!["index"];
    all.extend_from_slice(args);
    let out = w.run("idx", &all, env);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stdout.is_empty(), "stdout: {stdout}");
    let line = stderr.trim_end();
    assert!(!line.contains('\n'), "not one line:\n{stderr}");
    assert!(line.starts_with("error: "), "{line}");
    for s in says {
        assert!(line.contains(s), "{s:?} missing in: {line}");
    }
    assert_no_secret("stdout", &stdout, secrets);
    assert_no_secret("stderr", &stderr, secrets);
    line.to_string()
}

#[test]
fn errors_are_one_actionable_line_without_secrets() {
    let account = azurite::shared_account().unwrap_or_else(|| account("hverrors"));
    let w = Work::new();
    let endpoint = account.endpoint();
    let name = account.name.as_str();
    let mut secrets: Vec<String> = Vec::new();
    let mut keep = |s: &str| secrets.extend(secret_forms(s));
    keep(&account.key);
    keep(WRONG_KEY);

    let no_list = account.sas("r", &in_an_hour());
    let expired = account.sas("rl", "2020-01-01T00:00:00Z");
    for token in [&no_list, &expired] {
        keep(token);
        for (k, v) in url::form_urlencoded::parse(token.as_bytes()) {
            if k == "sig" {
                keep(&v);
            }
        }
    }
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();

    // A wrong account key: as flags, and in a connection string from the
    // environment.
    let denied = [
        "access denied to account",
        name,
        "shared key",
        "check it, its permissions (read, list) and expiry",
    ];
    fails(
        &w,
        &[
            "--account",
            name,
            "--account-key",
            WRONG_KEY,
            "--blob-endpoint",
            &endpoint,
        ],
        &[],
        6,
        &denied,
        &secrets,
    );
    let wrong_cs = account.connection_string_with(WRONG_KEY);
    fails(
        &w,
        &[],
        &[("AZURE_STORAGE_CONNECTION_STRING", &wrong_cs)],
        6,
        &denied,
        &secrets,
    );

    // A SAS that may read but not list.
    fails(
        &w,
        &["--sas-token", &no_list, "--blob-endpoint", &endpoint],
        &[],
        6,
        &[
            "does not allow listing containers",
            "permissions 'r'",
            "r (read) and l (list)",
        ],
        &secrets,
    );

    // An expired SAS.
    fails(
        &w,
        &["--sas-token", &expired, "--blob-endpoint", &endpoint],
        &[],
        9,
        &[
            "has expired",
            "2020-01-01",
            "create a new one with read and list permissions",
        ],
        &secrets,
    );

    // An endpoint nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = account
        .connection_string_with(&account.key)
        .replace(&account.base, &format!("http://127.0.0.1:{port}"));
    let started = std::time::Instant::now();
    fails(
        &w,
        &["--connection-string", &closed],
        &[],
        8,
        &[
            &format!("cannot reach http://127.0.0.1:{port}/{name}"),
            "check --blob-endpoint",
        ],
        &secrets,
    );
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
}

/// The loader cuts blocks after line ends, never above 4 MiB.
#[test]
fn upload_blocks_end_at_line_ends() {
    let max = upload::MAX_BLOCK;
    let mut data = vec![b'x'; max + 10];
    data[100] = b'\n';
    data[max - 1] = b'\n';
    assert_eq!(upload::block_end(&data[..max], false), max);
    data[max - 1] = b'x';
    assert_eq!(upload::block_end(&data[..max], false), 101);
    assert_eq!(upload::block_end(&data[..50], true), 50);
    assert_eq!(
        upload::block_end(&vec![b'y'; max], false),
        max,
        "a longer line is cut at 4 MiB"
    );
}
