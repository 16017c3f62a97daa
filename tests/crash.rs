//! Crash safety, proven: `huntvault index` killed with SIGKILL at twenty
//! points of a run (opening, listing, reading, indexing, committing), then
//! re-run to completion, leaves an index that `verify` finds identical to
//! the source, with exactly the generator's documents; the same when the
//! storage account (Azurite) stops in the middle of a run and comes back.

mod common;

#[path = "../examples/upload.rs"]
#[allow(dead_code)]
mod upload;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Scratch, generate};

/// Commit every 128 KiB read, so that commits land all through a run.
const COMMIT_BYTES: &str = "131072";
/// `index` committing often, with few blobs and one thread at a time, so
/// that a kill or an outage finds a run in progress; the source follows.
const INDEX_IN_SMALL_STEPS: [&str; 8] = [
    "index",
    "--quiet",
    "--commit-bytes",
    COMMIT_BYTES,
    "--concurrency",
    "2",
    "--threads",
    "1",
];

fn huntvault(index: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huntvault"));
    cmd.args(args)
        .arg("--index")
        .arg(index)
        .env_remove("HUNTVAULT_INDEX")
        .env_remove("AZURE_STORAGE_CONNECTION_STRING")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn output(index: &Path, args: &[&str]) -> Output {
    huntvault(index, args).output().expect("run huntvault")
}

fn count(index: &Path) -> u64 {
    let out = output(index, &["search", "--count", "*"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// Runs `verify` and asserts it finds no difference.
fn assert_verifies(index: &Path, source: &[&str], what: &str) {
    let mut args = vec!["verify"];
    args.extend_from_slice(source);
    let out = output(index, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: verify found differences:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts an index run and SIGKILLs it after `delay` (if still running).
fn kill_after(index: &Path, args: &[&str], delay: Duration) -> bool {
    let mut child = huntvault(index, args).spawn().expect("spawn huntvault");
    std::thread::sleep(delay);
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap_or(());
    child.wait().unwrap();
    running
}

#[test]
fn killed_at_twenty_points_and_rerun_the_index_is_exact() {
    let s = Scratch::new();
    let report = generate(&s, "768KiB", "2", "21");
    let records = report["records"].as_u64().unwrap();
    let export = s.export();
    let source = ["--source", export.to_str().unwrap()];
    let args: Vec<&str> = INDEX_IN_SMALL_STEPS.into_iter().chain(source).collect();

    // How long an undisturbed run takes, to spread the kills over it.
    let clean = s.dir.path().join("clean");
    let start = Instant::now();
    let out = output(&clean, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = start.elapsed();
    assert_eq!(count(&clean), records);

    for point in 0..20u32 {
        let index: PathBuf = s.dir.path().join(format!("index-{point}"));
        // From process start to near the end of a run. A run that ended
        // before its kill (the machine was faster than when timed) proves
        // nothing: start over from an empty index, killing sooner.
        let mut delay = full.mul_f64(f64::from(point) / 21.0);
        while !kill_after(&index, &args, delay) {
            assert!(
                delay > Duration::from_millis(1),
                "point {point}: no run was still going when killed"
            );
            delay /= 2;
            std::fs::remove_dir_all(&index).unwrap();
        }
        // A second kill during the re-run, at a point of its own.
        if point % 4 == 3 {
            kill_after(&index, &args, full.mul_f64(0.1 * f64::from(point % 7)));
        }
        let out = output(&index, &args);
        assert!(
            out.status.success(),
            "re-run after a kill at {delay:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(count(&index), records, "kill at {delay:?}: documents");
        assert_verifies(&index, &source, &format!("kill at {delay:?}"));
        std::fs::remove_dir_all(&index).unwrap();
    }
}

/// An Azurite Blob service on a fixed port and data folder, stopped and
/// started again by the test (its data survives a restart).
struct Azurite {
    dir: PathBuf,
    port: u16,
    child: Option<std::process::Child>,
}

impl Azurite {
    /// Installs Azurite if needed (through scripts/azurite.sh, which also
    /// picks a free port), then runs it under this test's control.
    fn start(dir: &Path) -> Azurite {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/azurite.sh");
        let first = Command::new("bash")
            .arg(&script)
            .args(["start", dir.to_str().unwrap()])
            .stderr(Stdio::inherit())
            .output()
            .expect("run scripts/azurite.sh");
        assert!(
            first.status.success(),
            "Azurite is needed (npm install azurite)"
        );
        let port: u16 = std::fs::read_to_string(dir.join("port"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let stopped = Command::new("bash")
            .arg(&script)
            .args(["stop", dir.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(stopped.success());
        let mut azurite = Azurite {
            dir: dir.to_path_buf(),
            port,
            child: None,
        };
        azurite.restart();
        azurite
    }

    fn restart(&mut self) {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".tools/azurite/node_modules/.bin/azurite-blob");
        let bin = std::env::var("AZURITE_BLOB").map_or(bin, PathBuf::from);
        let child = Command::new(bin)
            .args([
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                &self.port.to_string(),
                "--location",
            ])
            .arg(&self.dir)
            .args([
                "--silent",
                "--skipApiVersionCheck",
                "--loose",
                "--disableTelemetry",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start azurite-blob");
        self.child = Some(child);
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "Azurite did not come back"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            child.wait().unwrap();
        }
    }

    fn connection_string(&self) -> String {
        format!(
            "DefaultEndpointsProtocol=http;AccountName={};AccountKey={};BlobEndpoint=http://127.0.0.1:{}/{};",
            huntvault::source::auth::DEV_ACCOUNT,
            huntvault::source::auth::DEV_ACCOUNT_KEY,
            self.port,
            huntvault::source::auth::DEV_ACCOUNT
        )
    }
}

impl Drop for Azurite {
    fn drop(&mut self) {
        self.stop();
    }
}

#[test]
fn azurite_stopped_mid_run_and_restarted_loses_and_duplicates_nothing() {
    let s = Scratch::new();
    let report = generate(&s, "1536KiB", "3", "22");
    let records = report["records"].as_u64().unwrap();
    let mut azurite = Azurite::start(&s.dir.path().join("azurite"));
    let cs = azurite.connection_string();
    let flags = huntvault::source::auth::StorageFlags {
        connection_string: Some(cs.clone()),
        ..Default::default()
    };
    let config = huntvault::source::auth::StorageConfig::resolve(flags, &|_| None, None).unwrap();
    let writer = huntvault::source::azure::AzureSource::new(&config).unwrap();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(upload::upload_export(writer.client(), &s.export(), 8))
        .expect("upload the export");

    let index = s.index();
    let args: Vec<&str> = INDEX_IN_SMALL_STEPS
        .into_iter()
        .chain(["--connection-string", &cs])
        .collect();
    let mut child = huntvault(&index, &args).spawn().unwrap();
    // Once the first commit has landed, take the storage account away for a
    // few seconds.
    common::wait_for_first_commit(&index);
    azurite.stop();
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before the outage"
    );
    std::thread::sleep(Duration::from_secs(3));
    azurite.restart();
    let out = child.wait_with_output().unwrap();
    // The run rides out the outage (retries) or ends with what it read.
    assert!(
        matches!(out.status.code(), Some(0 | 10)),
        "{:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );

    let out = output(&index, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(&index), records);
    assert_verifies(&index, &["--connection-string", &cs], "after the outage");
}
