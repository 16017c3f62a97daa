//! `index --watch`: a pass on every tick, new lines picked up, and SIGTERM
//! or SIGINT ending it cleanly (exit 0) with what was read committed.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Scratch, append, generate, process_line};
use serde_json::Value;

fn spawn_index(s: &Scratch, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_huntvault"))
        .args([
            "index",
            "--source",
            s.export().to_str().unwrap(),
            "--json-summary",
        ])
        .args(extra)
        .arg("--index")
        .arg(s.index())
        .env_remove("HUNTVAULT_INDEX")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn huntvault")
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("run kill")
        .success();
    assert!(ok, "kill -{name} failed");
}

/// Waits for the process to exit, at most `limit`.
fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            start.elapsed() < limit,
            "huntvault did not exit within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_indexes_on_every_tick_and_exits_cleanly_on_sigterm() {
    let s = Scratch::new();
    let report = generate(&s, "1MiB", "2", "4");
    let records = report["records"].as_u64().unwrap();
    let mut child = spawn_index(&s, &["--watch", "--interval", "1s"]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || -> Value { serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap() };

    let first = next();
    assert_eq!(first["docs_added"].as_u64().unwrap(), records, "{first}");
    let blob = s.blob("DeviceProcessEvents", 2026, 1, 1, 1);
    let line = process_line(424242, "wks-watch", "2026-01-01T01:30:00Z");
    append(&blob, format!("{line}\n").as_bytes());
    let mut added = 0;
    for _ in 0..20 {
        added += next()["docs_added"].as_u64().unwrap();
        if added > 0 {
            break;
        }
    }
    assert_eq!(added, 1, "the appended line is indexed on a later tick");

    signal(&child, "TERM");
    let status = wait_exit(&mut child, Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "SIGTERM ends the watch cleanly");
    assert_eq!(s.count("*", &[]), records + 1);
    let runs: Value =
        serde_json::from_slice(&std::fs::read(s.index().join("runs.json")).unwrap()).unwrap();
    assert!(runs.as_array().unwrap().len() >= 2, "{runs}");
}

#[test]
fn sigint_during_a_pass_commits_what_was_read_and_the_next_run_completes() {
    let s = Scratch::new();
    let report = generate(&s, "12MiB", "6", "9");
    let records = report["records"].as_u64().unwrap();
    let mut child = spawn_index(&s, &["--commit-bytes", "262144", "--concurrency", "2"]);
    // Wait until the first commit has landed, then interrupt.
    common::wait_for_first_commit(&s.index());
    signal(&child, "INT");
    let status = wait_exit(&mut child, Duration::from_secs(30));
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert_eq!(status.code(), Some(0), "{out}");
    let summary: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        summary["stopped"], true,
        "the pass was cut short: {summary}"
    );
    assert!(
        summary["docs_added"].as_u64().unwrap() < records,
        "{summary}"
    );

    let rest = s.index_export(&[]);
    assert_eq!(
        summary["docs_added"].as_u64().unwrap() + rest["docs_added"].as_u64().unwrap(),
        records
    );
    assert_eq!(s.count("*", &[]), records);
    let export = s.export();
    let out = s.run(&["verify", "--source", export.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
