//! Every query example in the README's search table runs: documentation
//! that shows syntax the compiler rejects is a bug.

mod common;

use common::{Scratch, append, process_line};

/// The backquoted examples in the second column of the README's search table.
fn examples() -> Vec<String> {
    let readme = include_str!("../README.md");
    let start = readme.find("## Searching").expect("a Searching section");
    let table = &readme[start..];
    let table = &table[..table.find("\nNotes:").expect("notes after the table")];
    let mut out = Vec::new();
    for row in table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| what"))
    {
        // Cells are separated by unescaped `|`; the examples are the second cell.
        let cells: Vec<&str> = row.split(" | ").collect();
        let Some(cell) = cells.get(1) else { continue };
        for (i, part) in cell.split('`').enumerate() {
            let operator = ["AND", "OR", "NOT", "+", "-", "( )"].contains(&part);
            if i % 2 == 1 && !part.contains('…') && !operator {
                out.push(part.replace("\\|", "|"));
            }
        }
    }
    out
}

#[test]
fn every_readme_query_example_runs() {
    let s = Scratch::new();
    append(
        &s.blob("DeviceProcessEvents", 2026, 1, 1, 0),
        format!(
            "{}\r\n",
            process_line(1, "wks-0042", "2026-01-01T00:00:00Z")
        )
        .as_bytes(),
    );
    s.index_export(&[]);
    let examples = examples();
    assert!(examples.len() >= 25, "found {} examples", examples.len());
    for q in examples {
        let out = s.run(&["search", "--count", &q]);
        assert!(
            out.status.success(),
            "README example `{q}` fails: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(s.count("DeviceName:WKS-0042", &[]), 1);
}
