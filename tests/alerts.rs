//! `alerts pull` against a local fake of the token endpoint and of both
//! alerts APIs (`fake_alerts`), served over HTTPS on loopback with a test CA:
//! the real binary, the real `azure_identity` credential, a real index.

#[path = "common/azurite.rs"]
mod azurite;
mod common;
mod fake_alerts;
#[path = "common/https.rs"]
mod https;

use std::process::Output;
use std::sync::Arc;
use std::time::{Duration, Instant};

use azurite::{assert_no_secret, huntvault, secret_forms};
use common::Scratch;
use fake_alerts::{
    CLIENT, Fake, GRAPH_PATH, SECRET, SEED_ALERT, SIEM_PATH, SiemAlert, TENANT, graph_alert,
};
use https::{Server, TestCa, serve};
use serde_json::Value;

/// The fake, served over HTTPS with a test authority's certificate.
struct Served {
    fake: Arc<Fake>,
    ca: TestCa,
    server: Server,
}

impl Served {
    fn new() -> Served {
        let fake = Arc::new(Fake::default());
        let ca = TestCa::new();
        let handler = fake.clone();
        let server = serve(&ca, move |req| handler.handle(&req));
        Served { fake, ca, server }
    }

    /// `https://127.0.0.1:PORT`: the authority host, and the APIs' origin.
    fn base(&self) -> &str {
        &self.server.url
    }

    /// The arguments of `alerts pull` from the API at `path` on the fake.
    fn pull_args(&self, api: &str, path: &str, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = vec![
            "alerts".into(),
            "pull".into(),
            "--api".into(),
            api.into(),
            "--endpoint".into(),
            format!("{}{path}", self.base()),
            "--authority-host".into(),
            self.base().into(),
            "--ca-file".into(),
            self.ca.ca_pem.to_string_lossy().into_owned(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    }

    /// `alerts pull` from the API at `path`, run in the scratch directory
    /// with the app's credentials in the environment (`env` overrides them).
    fn run(
        &self,
        s: &Scratch,
        api: &str,
        path: &str,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Output {
        let args = self.pull_args(api, path, extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut vars = vec![
            ("AZURE_TENANT_ID", TENANT),
            ("AZURE_CLIENT_ID", CLIENT),
            ("AZURE_CLIENT_SECRET", SECRET),
        ];
        vars.extend_from_slice(env);
        huntvault(s.dir.path(), &s.index(), &args, &vars)
    }

    /// `alerts pull --api API` against the fake.
    fn pull(&self, s: &Scratch, api: &str, extra: &[&str]) -> Output {
        let path = if api == "siem" { SIEM_PATH } else { GRAPH_PATH };
        self.run(s, api, path, extra, &[])
    }

    /// Asserts that no output of `out` holds the secret or a token.
    fn assert_no_secret(&self, out: &Output) {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let mut secrets = secret_forms(SECRET);
        secrets.extend(self.fake.issued());
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        assert_no_secret("the output", &text, &secrets);
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A pull that must succeed; its JSON summary.
fn pulled(served: &Served, s: &Scratch, api: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--json-summary"];
    args.extend_from_slice(extra);
    let out = served.pull(s, api, &args);
    served.assert_no_secret(&out);
    assert!(out.status.success(), "pull failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("summary JSON")
}

/// A pull that must fail with `code` and a one-line message containing `needle`.
fn refused(served: &Served, s: &Scratch, api: &str, extra: &[&str], code: i32, needle: &str) {
    let out = served.pull(s, api, extra);
    served.assert_no_secret(&out);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
}

fn siem_alert(id: &str, processed: &str, severity: &str) -> SiemAlert {
    let mut json: Value = serde_json::from_str(SEED_ALERT).unwrap();
    json["AlertId"] = id.into();
    json["FullId"] = format!("{id}:9DE735BA").into();
    json["LastProcessedTimeUtc"] = processed.into();
    json["Severity"] = severity.into();
    SiemAlert {
        group: "UKMachines".into(),
        json: json.to_string(),
    }
}

/// The fakes, with the seed document's example alert on the SIEM API.
fn serving_the_seed_alert() -> Served {
    let served = Served::new();
    served.fake.with(|f| {
        f.siem.push(SiemAlert {
            group: "UKMachines".into(),
            json: SEED_ALERT.to_string(),
        })
    });
    served
}

#[test]
fn the_seed_alert_pulled_from_the_siem_api_is_found_by_search() {
    let served = serving_the_seed_alert();
    let s = Scratch::new();
    let summary = pulled(&served, &s, "siem", &["--since", "2017-01-01"]);
    assert_eq!(summary["added"], 1, "{summary}");
    let q = served.fake.with(|f| f.log[0].query.clone());
    assert_eq!(
        q,
        [(
            "sinceTimeUtc".to_string(),
            "2017-01-01T00:00:00.000".to_string()
        )]
    );
    let found = s.ok(&[
        "search",
        "--table",
        "SiemAlerts",
        "Severity:Medium AND FileName:powershell.exe",
        "--format",
        "raw",
    ]);
    assert_eq!(found, format!("{SEED_ALERT}\n"), "the alert, byte for byte");
    assert_eq!(
        s.count("AlertTitle:powershell", &["--table", "SiemAlerts"]),
        1
    );
    assert_eq!(s.count("_time:2017-01-23", &[]), 1);
    // Typed columns: dates, integers, keywords in any case.
    assert_eq!(
        s.count("LastProcessedTimeUtc:>=\"2017-01-23T11:00:00Z\"", &[]),
        1
    );
    assert_eq!(
        s.count("AlertPart:0 AND ComputerDnsName:DESKTOP-BVCCCKK", &[]),
        1
    );
    assert_eq!(s.count("LastProcessedTimeUtc:<2017-01-23", &[]), 0);
    // Hunting queries see the table too.
    let hunted = s.ok(&[
        "hunt",
        "SiemAlerts | where FileName =~ \"POWERSHELL.EXE\" and Severity == \"Medium\" | project AlertId",
        "--format",
        "csv",
    ]);
    assert_eq!(hunted, "AlertId\n636207535742330111_-1114309685\n");
    assert_eq!(s.count("Severity:High", &["--table", "SiemAlerts"]), 0);
}

#[test]
fn two_siem_pulls_keep_one_document_per_alert_at_its_latest_version() {
    let served = Served::new();
    let now = jiff::Timestamp::now();
    let at = |mins: i64| (now - jiff::SignedDuration::from_mins(mins)).to_string();
    served.fake.with(|f| {
        f.siem.push(siem_alert("a-1", &at(50), "Medium"));
        f.siem.push(siem_alert("a-2", &at(40), "Low"));
    });
    let s = Scratch::new();
    // No --since and no cursor: the API's default window (two hours).
    let first = pulled(&served, &s, "siem", &[]);
    assert_eq!(
        (first["added"].as_u64(), first["updated"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(served.fake.with(|f| f.log[0].query.is_empty()));

    // a-2 is raised to High, a-3 is new.
    served.fake.with(|f| {
        f.siem[1] = siem_alert("a-2", &at(10), "High");
        f.siem.push(siem_alert("a-3", &at(5), "Medium"));
    });
    let second = pulled(&served, &s, "siem", &[]);
    assert_eq!(second["added"], 1, "{second}");
    assert_eq!(second["updated"], 1, "{second}");
    // The second pull starts at the first one's newest alert, less 5 minutes.
    let since = served.fake.with(|f| f.log[1].query.clone());
    assert_eq!(since.len(), 1);
    assert_eq!(since[0].0, "sinceTimeUtc");
    let expected = now - jiff::SignedDuration::from_mins(45);
    assert_eq!(
        since[0].1,
        expected.strftime("%Y-%m-%dT%H:%M:%S%.3f").to_string()
    );
    assert_eq!(s.count("*", &["--table", "SiemAlerts"]), 3);
    assert_eq!(s.count("AlertId:a-2", &[]), 1);
    assert_eq!(s.count("AlertId:a-2 AND Severity:High", &[]), 1);
    assert!(served.fake.with(|f| f.rejected.is_empty()));
}

#[test]
fn siem_parameters_are_sent_as_documented() {
    let served = Served::new();
    served.fake.with(|f| {
        f.siem
            .push(siem_alert("a-1", "2026-01-01T10:00:00Z", "Medium"));
        f.siem
            .push(siem_alert("a-2", "2026-01-01T11:00:00Z", "Medium"));
    });
    let s = Scratch::new();
    let summary = pulled(
        &served,
        &s,
        "siem",
        &[
            "--since",
            "2026-01-01",
            "--until",
            "2026-01-02T00:00:00Z",
            "--limit",
            "5",
            "--machine-group",
            "UKMachines",
            "--machine-group",
            "FranceMachines",
            "--device-tag",
            "tag 1",
            "--cloud-tag",
            "vip",
        ],
    );
    assert_eq!(summary["added"], 2, "{summary}");
    let q = served.fake.with(|f| f.log[0].query.clone());
    let pairs: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("sinceTimeUtc", "2026-01-01T00:00:00.000"),
            ("untilTimeUtc", "2026-01-02T00:00:00.000"),
            ("limit", "5"),
            ("machinegroups", "UKMachines"),
            ("machinegroups", "FranceMachines"),
            ("DeviceCreatedMachineTags", "tag 1"),
            ("CloudCreatedMachineTags", "vip"),
        ]
    );
    let ago = pulled(&served, &s, "siem", &["--ago", "10m"]);
    assert_eq!(ago["added"], 0);
    let q = served.fake.with(|f| f.log[1].query.clone());
    assert_eq!(q, [("ago".to_string(), "PT10M".to_string())]);
    assert!(served.fake.with(|f| f.rejected.is_empty()));
}

#[test]
fn graph_pages_are_followed_and_updates_replace_alerts() {
    let served = Served::new();
    let now = jiff::Timestamp::now();
    let at = |mins: i64| (now - jiff::SignedDuration::from_mins(mins)).to_string();
    served.fake.with(|f| {
        for i in 0..5 {
            f.graph.push(graph_alert(
                &format!("da-{i}"),
                &at(60 - i),
                &at(30 - i),
                "new",
            ));
        }
    });
    let s = Scratch::new();
    let first = pulled(&served, &s, "graph", &["--top", "2"]);
    assert_eq!(first["pages"], 3, "{first}");
    assert_eq!(first["added"], 5, "{first}");
    let q = served.fake.with(|f| f.log[0].query.clone());
    assert_eq!(q, [("$top".to_string(), "2".to_string())]);

    served.fake.with(|f| {
        f.graph[1] = graph_alert("da-1", &at(59), &at(2), "resolved");
        f.graph.push(graph_alert("da-5", &at(1), &at(1), "new"));
    });
    let second = pulled(&served, &s, "graph", &["--top", "2"]);
    assert_eq!(second["added"], 1, "{second}");
    assert_eq!(second["updated"], 1, "{second}");
    let filter = served.fake.with(|f| f.log[3].query[0].clone());
    assert_eq!(filter.0, "$filter");
    let cursor = now - jiff::SignedDuration::from_mins(26 + 5);
    assert_eq!(filter.1, format!("lastUpdateDateTime ge {cursor}"));

    assert_eq!(s.count("*", &["--table", "GraphAlerts"]), 6);
    assert_eq!(s.count("id:da-1", &[]), 1);
    assert_eq!(s.count("status:resolved", &[]), 1);
    assert_eq!(s.count("evidence.fileDetails.fileName:MsSense.exe", &[]), 6);
    assert!(served.fake.with(|f| f.rejected.is_empty()));
}

#[test]
fn a_token_that_expires_mid_pull_is_renewed() {
    let served = Served::new();
    served.fake.with(|f| {
        for i in 0..3 {
            f.graph.push(graph_alert(
                &format!("da-{i}"),
                "2026-01-01T00:00:00Z",
                "2026-01-01T01:00:00Z",
                "new",
            ));
        }
        f.token_lifetime = Some(1);
    });
    let s = Scratch::new();
    let summary = pulled(&served, &s, "graph", &["--top", "1"]);
    assert_eq!(summary["added"], 3, "{summary}");
    assert_eq!(served.fake.issued().len(), 3, "a fresh token for each page");
    assert_eq!(s.count("*", &["--table", "GraphAlerts"]), 3);
}

#[test]
fn a_token_close_to_its_expiry_is_replaced_before_it_is_used() {
    let served = Served::new();
    three_graph_alerts(&served);
    // Tokens that expire within five minutes are not reused.
    served.fake.with(|f| f.expires_in = Some(120));
    let s = Scratch::new();
    let summary = pulled(&served, &s, "graph", &["--top", "1"]);
    assert_eq!(summary["added"], 3, "{summary}");
    assert_eq!(served.fake.issued().len(), 3);
    assert!(served.fake.with(|f| f.log.iter().all(|l| l.status == 200)));
}

#[test]
fn throttling_is_retried_after_the_time_the_service_asks() {
    let served = Served::new();
    served.fake.with(|f| {
        f.graph.push(graph_alert(
            "da-1",
            "2026-01-01T00:00:00Z",
            "2026-01-01T01:00:00Z",
            "new",
        ));
        f.failures.push_back((429, Some("2".into())));
        f.failures.push_back((503, None));
    });
    let s = Scratch::new();
    let started = Instant::now();
    let summary = pulled(&served, &s, "graph", &[]);
    assert_eq!(summary["added"], 1);
    let log = served.fake.with(|f| f.log.clone());
    let statuses: Vec<u16> = log.iter().map(|l| l.status).collect();
    assert_eq!(statuses, [429, 503, 200]);
    assert!(
        log[1].at - log[0].at >= Duration::from_secs(2),
        "Retry-After: 2 honoured"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

fn three_graph_alerts(served: &Served) {
    served.fake.with(|f| {
        for i in 0..3 {
            f.graph.push(graph_alert(
                &format!("da-{i}"),
                "2026-01-01T00:00:00Z",
                "2026-01-01T01:00:00Z",
                "new",
            ));
        }
    });
}

#[test]
fn a_pull_that_fails_midway_commits_nothing() {
    let served = Served::new();
    three_graph_alerts(&served);
    served.fake.with(|f| f.fail_from = Some((1, 500)));
    let s = Scratch::new();
    refused(
        &served,
        &s,
        "graph",
        &["--top", "1"],
        5,
        "failed 5 times (last: HTTP 500",
    );
    let statuses: Vec<u16> = served
        .fake
        .with(|f| f.log.iter().map(|l| l.status).collect());
    assert_eq!(statuses, [200, 500, 500, 500, 500, 500]);
    assert_eq!(
        s.count("*", &["--table", "GraphAlerts"]),
        0,
        "the first page was not committed"
    );

    served.fake.with(|f| f.fail_from = None);
    let summary = pulled(&served, &s, "graph", &["--top", "1"]);
    assert_eq!(summary["added"], 3);
    assert_eq!(s.count("*", &["--table", "GraphAlerts"]), 3);
}

#[test]
fn throttling_that_does_not_end_fails_without_committing() {
    let served = Served::new();
    three_graph_alerts(&served);
    served.fake.with(|f| {
        for _ in 0..5 {
            f.failures.push_back((429, Some("0".into())));
        }
    });
    let s = Scratch::new();
    refused(&served, &s, "graph", &[], 5, "HTTP 429");
    assert_eq!(s.count("*", &["--table", "GraphAlerts"]), 0);
}

#[test]
fn a_refused_token_is_renewed_once_then_the_pull_fails() {
    let served = Served::new();
    three_graph_alerts(&served);
    served.fake.with(|f| f.refuse_tokens = true);
    let s = Scratch::new();
    refused(&served, &s, "graph", &[], 6, "HTTP 401");
    assert_eq!(
        served.fake.issued().len(),
        2,
        "one fresh token, then no more"
    );
    let out = served.pull(&s, "siem", &["--since", "2026-01-01"]);
    let err = stderr(&out);
    assert!(err.contains(CLIENT) && err.contains(TENANT), "{err}");
    assert_eq!(s.count("*", &[]), 0);
}

#[test]
fn a_denied_app_is_told_which_permission_it_lacks() {
    let served = Served::new();
    three_graph_alerts(&served);
    served.fake.with(|f| f.deny = true);
    let s = Scratch::new();
    refused(&served, &s, "graph", &[], 6, "SecurityAlert.Read.All");
    refused(
        &served,
        &s,
        "siem",
        &[],
        6,
        "Alert.Read.All (WindowsDefenderATP)",
    );
}

#[test]
fn a_wrong_client_secret_is_reported_without_showing_it() {
    let served = Served::new();
    let s = Scratch::new();
    let wrong = "Wr0ng+Secret/Value==";
    let out = served.run(
        &s,
        "graph",
        GRAPH_PATH,
        &[],
        &[("AZURE_CLIENT_SECRET", wrong)],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("client secret") && err.contains(CLIENT),
        "{err}"
    );
    let forms = secret_forms(wrong);
    let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
    assert_no_secret("stderr", &err, &forms);
    served.assert_no_secret(&out);
}

#[test]
fn a_wrong_endpoint_path_is_reported() {
    let served = Served::new();
    let s = Scratch::new();
    let out = served.run(&s, "graph", "/v1.0/security/alertz", &[], &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("HTTP 404") && err.contains("--endpoint"),
        "{err}"
    );
    served.assert_no_secret(&out);
}

#[test]
fn credentials_can_come_from_the_config_file() {
    let served = Served::new();
    three_graph_alerts(&served);
    let s = Scratch::new();
    std::fs::write(
        s.dir.path().join("huntvault.toml"),
        format!(
            "[alerts]\napi = \"graph\"\nendpoint = \"{base}{GRAPH_PATH}\"\n\
             authority_host = \"{base}\"\ntenant_id = \"{TENANT}\"\nclient_id = \"{CLIENT}\"\n\
             client_secret = \"{SECRET}\"\nca_file = \"{ca}\"\n",
            base = served.base(),
            ca = served.ca.ca_pem.display()
        ),
    )
    .unwrap();
    let out = huntvault(
        s.dir.path(),
        &s.index(),
        &["alerts", "pull", "--json-summary"],
        &[],
    );
    served.assert_no_secret(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.count("*", &["--table", "GraphAlerts"]), 3);
}

#[test]
fn watch_pulls_again_from_the_cursor() {
    let served = Served::new();
    three_graph_alerts(&served);
    let s = Scratch::new();
    let index = s.index();
    let extra = [
        "--watch",
        "--interval",
        "1s",
        "--quiet",
        "--index",
        index.to_str().unwrap(),
    ];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_huntvault"))
        .args(served.pull_args("graph", GRAPH_PATH, &extra))
        .current_dir(s.dir.path())
        .env("AZURE_TENANT_ID", TENANT)
        .env("AZURE_CLIENT_ID", CLIENT)
        .env("AZURE_CLIENT_SECRET", SECRET)
        .env_remove("HUNTVAULT_INDEX")
        .env_remove("HUNTVAULT_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while served.fake.with(|f| f.log.len()) < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    served.assert_no_secret(&out);
    let log = served.fake.with(|f| f.log.clone());
    assert!(log.len() >= 2, "{}", stderr(&out));
    assert!(!log[0].query.iter().any(|(k, _)| k == "$filter"));
    let expected = "lastUpdateDateTime ge 2026-01-01T00:55:00Z".to_string();
    assert!(
        log[1].query.contains(&("$filter".to_string(), expected)),
        "{:?}",
        log[1].query
    );
    assert_eq!(s.count("*", &["--table", "GraphAlerts"]), 3);
}

/// Alerts are rebuilt from their own JSON, with the same identities: a pull
/// after a reindex finds every alert unchanged, and goes on from the cursor.
#[test]
fn indexing_an_export_and_reindexing_keep_the_alerts_and_their_cursor() {
    let served = Served::new();
    three_graph_alerts(&served);
    let s = Scratch::new();
    pulled(&served, &s, "graph", &[]);
    common::append(
        &s.blob("DeviceProcessEvents", 2026, 1, 1, 0),
        format!(
            "{}\n",
            common::process_line(1, "wks-01", "2026-01-01T00:00:00Z")
        )
        .as_bytes(),
    );
    s.index_export(&[]);
    let rebuilt: Value =
        serde_json::from_str(&s.ok(&["reindex", "--format", "json"])).expect("reindex report");
    assert_eq!(rebuilt["tables"]["GraphAlerts"], 3, "{rebuilt}");
    assert_eq!(s.count("status:new", &["--table", "GraphAlerts"]), 3);
    let again = pulled(&served, &s, "graph", &[]);
    assert_eq!(again["unchanged"], 3, "{again}");
    let second = served.fake.with(|f| f.log[1].query.clone());
    assert!(second.iter().any(|(k, _)| k == "$filter"), "{second:?}");
    assert_eq!(s.count("*", &[]), 4);
    assert_eq!(s.count("*", &["--table", "GraphAlerts"]), 3);
}

#[test]
fn an_element_that_is_not_an_alert_is_kept_and_counted() {
    let served = Served::new();
    three_graph_alerts(&served);
    served.fake.with(|f| f.graph.push(Value::from(42)));
    let s = Scratch::new();
    let summary = pulled(&served, &s, "graph", &[]);
    assert_eq!(summary["added"], 3, "{summary}");
    assert_eq!(summary["bad"], 1, "{summary}");
    let dead = s.ok(&["deadletter"]);
    let entry: Value = serde_json::from_str(dead.trim()).expect("one entry");
    assert_eq!(entry["line"], "42");
    assert!(entry["blob"].as_str().unwrap().ends_with(GRAPH_PATH));
    assert!(
        entry["reason"]
            .as_str()
            .unwrap()
            .contains("not a JSON object")
    );
    assert_eq!(s.count("*", &["--table", "GraphAlerts"]), 3);
}

#[test]
fn alerts_beside_an_indexed_export_verify_and_show_in_status() {
    let served = serving_the_seed_alert();
    let s = Scratch::new();
    s.generate("256KiB", 2, 5);
    s.index_export(&[]);
    pulled(&served, &s, "siem", &["--since", "2017-01-01"]);

    // Alerts have no source blob: verify reconciles the export alone.
    let export = s.export();
    let out = s.run(&["verify", "--source", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let status: Value =
        serde_json::from_str(&s.ok(&["status", "--format", "json"])).expect("status JSON");
    let alerts = status["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["table"] == "SiemAlerts")
        .unwrap_or_else(|| panic!("no SiemAlerts in {status}"));
    assert_eq!(alerts["docs"], 1, "{alerts}");
}

#[test]
fn prune_removes_the_alerts_older_than_its_cutoff() {
    let served = serving_the_seed_alert();
    let s = Scratch::new();
    s.generate("256KiB", 2, 5);
    s.index_export(&[]);
    let records = s.count("*", &[]);
    pulled(&served, &s, "siem", &["--since", "2017-01-01"]);
    let prune = |before: &str| -> Value {
        serde_json::from_str(&s.ok(&["prune", "--before", before, "--format", "json"]))
            .expect("prune report")
    };

    // The seed alert is of 2017-01-23: a cutoff before it keeps it.
    assert_eq!(prune("2017-01-23")["documents"], 0);
    assert_eq!(s.count("*", &["--table", "SiemAlerts"]), 1);
    let report = prune("2018-01-01");
    assert_eq!(report["documents"], 1, "{report}");
    assert_eq!(report["tables"]["SiemAlerts"], 1, "{report}");
    assert_eq!(s.count("*", &["--table", "SiemAlerts"]), 0);
    assert_eq!(s.count("*", &[]), records);
}
