//! `huntvault demo`: the main job on an embedded default, with no Azure
//! account. Generates a synthetic export (unless one is already there),
//! indexes it, and answers a few example searches a hunter would run.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use crate::error::Result;
use crate::generate::{self, GenerateOptions};
use crate::index::Archive;
use crate::index::pipeline::{self, IndexOptions};
use crate::query::aggregate;
use crate::query::output::{self, Format};
use crate::query::search::{self, SearchRequest};
use crate::schema::Catalog;
use crate::source::local::LocalSource;

/// Example searches: what each shows, and the query.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "Encoded PowerShell command lines",
        r#"FileName:powershell.exe AND ProcessCommandLine:"-enc""#,
    ),
    (
        "Credential theft: mimikatz-style command lines",
        "ProcessCommandLine:(sekurlsa OR dcsync OR logonpasswords)",
    ),
    (
        "Outbound connections to high ports",
        "ActionType:ConnectionSuccess AND RemotePort:>=1024",
    ),
    ("Phishing mail", "ThreatTypes:phish AND _table:EmailEvents"),
];

/// Runs the demo and returns what it has to say.
pub async fn run(catalog: &Catalog, export: &Path, index_dir: &Path, size: u64) -> Result<String> {
    let mut out = String::new();
    let has_export = std::fs::read_dir(export).is_ok_and(|mut d| d.next().is_some());
    if has_export {
        let _ = writeln!(out, "using the export already in {}", export.display());
    } else {
        let report = generate::generate(
            catalog,
            &GenerateOptions {
                out: export.to_path_buf(),
                size_bytes: size,
                ..GenerateOptions::default()
            },
        )?;
        let _ = writeln!(
            out,
            "generated {} lines ({} records, {} Azure-style duplicate deliveries) in {} hourly blobs into {}",
            report.lines,
            report.records,
            report.duplicates,
            report.blobs.len(),
            export.display()
        );
    }

    let archive = Archive::open_or_create(index_dir, catalog)?;
    let source = Arc::new(LocalSource::new(export)?);
    let s = pipeline::run(&archive, catalog, source, &IndexOptions::default()).await?;
    let _ = writeln!(
        out,
        "indexed {} documents from {} blobs ({:.1} MB in {:.1}s); {} duplicates skipped, {} bad lines, {} blobs already indexed\n",
        s.docs_added,
        s.blobs_read,
        s.bytes_read as f64 / 1e6,
        s.elapsed_secs,
        s.duplicates,
        s.bad_lines,
        s.blobs_unchanged,
    );

    let count = |query: &str, tables: Vec<String>| {
        search::search(
            &archive,
            catalog,
            &SearchRequest {
                query: query.to_string(),
                tables,
                since: None,
                until: None,
                limit: 0,
                sort: None,
                count_only: true,
            },
        )
        .map(|r| r.total)
    };
    let _ = writeln!(out, "documents per table in {}:", index_dir.display());
    for t in catalog.tables() {
        let n = count("*", vec![t.table.clone()])?;
        if n > 0 {
            let _ = writeln!(out, "  {:<28} {n:>9}", t.table);
        }
    }

    for (what, query) in EXAMPLES {
        let result = search::search(
            &archive,
            catalog,
            &SearchRequest {
                query: query.to_string(),
                tables: Vec::new(),
                since: None,
                until: None,
                limit: 3,
                sort: None,
                count_only: false,
            },
        )?;
        let _ = writeln!(
            out,
            "\n{what}\n  $ huntvault search '{query}'\n  {} matching documents; the newest:",
            result.total
        );
        let mut table = Vec::new();
        output::write_hits(&mut table, &result.hits, Format::Table, &[])
            .map_err(|e| crate::Error::io(index_dir, e))?;
        out.push_str(&String::from_utf8_lossy(&table));
    }
    let failed = SearchRequest {
        query: "ActionType:LogonFailed".to_string(),
        tables: Vec::new(),
        since: None,
        until: None,
        limit: 5,
        sort: None,
        count_only: false,
    };
    let counts = aggregate::count_by(&archive, catalog, &failed, "AccountName", 5)?;
    let _ = writeln!(
        out,
        "\nAccounts with the most failed logons\n  $ huntvault search 'ActionType:LogonFailed' --count-by AccountName --limit 5\n  {} matching documents:",
        counts.total
    );
    for b in &counts.buckets {
        let _ = writeln!(out, "  {:>8}  {}", b.count, b.value);
    }
    let _ = writeln!(
        out,
        "\nTry your own: huntvault search --index {} 'DeviceName:wks* AND ActionType:ProcessCreated' --limit 5",
        index_dir.display()
    );
    Ok(out)
}
