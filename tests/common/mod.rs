//! Helpers shared by the integration tests: run the real binary, lay out
//! exports like the storage account, read its JSON summaries.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub const TENANT: &str = "4b8c18bd-2f9f-4227-af55-9f1061cf9c32";

/// A scratch directory holding an export (`export/`) and an index (`index/`).
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Scratch {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }
    pub fn export(&self) -> PathBuf {
        self.dir.path().join("export")
    }
    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Runs `huntvault` with `--index` set to this scratch index.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_huntvault"))
            .args(args)
            .arg("--index")
            .arg(self.index())
            .env_remove("HUNTVAULT_INDEX")
            .output()
            .expect("run huntvault")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "huntvault {args:?} failed ({:?}):\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// `index --source export --json-summary`, parsed.
    pub fn index_export(&self, extra: &[&str]) -> Value {
        let export = self.export();
        let mut args = vec![
            "index",
            "--source",
            export.to_str().unwrap(),
            "--json-summary",
        ];
        args.extend_from_slice(extra);
        serde_json::from_str(&self.ok(&args)).expect("summary JSON")
    }

    /// `generate` into this scratch's export directory.
    pub fn generate(&self, size: &str, hours: u32, seed: u64) {
        generate(self, size, &hours.to_string(), &seed.to_string());
    }

    /// `search --count QUERY`.
    pub fn count(&self, query: &str, extra: &[&str]) -> u64 {
        let mut args = vec!["search", "--count", query];
        args.extend_from_slice(extra);
        self.ok(&args).trim().parse().expect("a count")
    }

    /// Path of a blob in the export.
    pub fn blob(&self, table: &str, y: u16, m: u8, d: u8, h: u8) -> PathBuf {
        self.export()
            .join(format!(
                "insights-logs-advancedhunting-{}",
                table.to_lowercase()
            ))
            .join(format!(
                "tenantId={TENANT}/y={y:04}/m={m:02}/d={d:02}/h={h:02}/m=00/PT1H.json"
            ))
    }
}

/// `generate --json` into the scratch export; the generator's report.
pub fn generate(s: &Scratch, size: &str, hours: &str, seed: &str) -> Value {
    let export = s.export();
    let out = s.ok(&[
        "generate",
        "--out",
        export.to_str().unwrap(),
        "--size",
        size,
        "--hours",
        hours,
        "--seed",
        seed,
        "--json",
    ]);
    serde_json::from_str(&out).expect("generate report")
}

/// Waits (at most a minute) until an index run has committed a checkpoint.
pub fn wait_for_first_commit(index: &Path) {
    let meta = index.join("tantivy").join("meta.json");
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(&meta)
        .unwrap_or_default()
        .contains("\"payload\": \"")
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "no commit within a minute"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Appends bytes to a file, creating it and its folders.
pub fn append(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(bytes).unwrap();
}

/// A compact envelope line (no line end) for a DeviceProcessEvents record.
pub fn process_line(n: u64, device: &str, time: &str) -> String {
    format!(
        concat!(
            r#"{{"time":"{time}","tenantId":"{tenant}","operationName":"Publish","#,
            r#""category":"AdvancedHunting-DeviceProcessEvents","properties":{{"#,
            r#""Timestamp":"{time}","DeviceName":"{device}","ReportId":{n},"#,
            r#""FileName":"cmd.exe","ProcessCommandLine":"cmd.exe /c echo {n}"}},"Tenant":"DefaultTenant"}}"#
        ),
        time = time,
        tenant = TENANT,
        device = device,
        n = n
    )
}

/// Removes the white space between JSON tokens, keeping every byte of the
/// tokens themselves (key order, escapes, number spelling).
pub fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The backquoted spans in the second column of the README table that
/// follows the heading `section` and ends before `end`, with `\|` unescaped.
pub fn readme_table_examples(section: &str, end: &str) -> Vec<String> {
    let readme = include_str!("../../README.md");
    let start = readme
        .find(section)
        .unwrap_or_else(|| panic!("no {section:?} in the README"));
    let table = &readme[start..];
    let table = &table[..table
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {section:?}"))];
    let mut out = Vec::new();
    for row in table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| what"))
    {
        // Cells are separated by unescaped `|`; the examples are the second cell.
        let cells: Vec<&str> = row.split(" | ").collect();
        let Some(cell) = cells.get(1) else { continue };
        for (i, part) in cell.split('`').enumerate() {
            if i % 2 == 1 {
                out.push(part.replace("\\|", "|"));
            }
        }
    }
    out
}

/// Every file below `dir`, (an export, an index).
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}
