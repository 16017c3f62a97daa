//! Every query example in the README's search table runs: documentation
//! that shows syntax the compiler rejects is a bug.

mod common;

use common::{Scratch, append, process_line};

/// The backquoted examples in the second column of the README's search
/// table, less the bare operator names listed there and the elided ones.
fn examples() -> Vec<String> {
    common::readme_table_examples("## Searching", "\nNotes:")
        .into_iter()
        .filter(|part| {
            let operator = ["AND", "OR", "NOT", "+", "-", "( )"].contains(&part.as_str());
            !part.contains('…') && !operator
        })
        .collect()
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
