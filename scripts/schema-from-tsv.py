#!/usr/bin/env python3
"""Generate schema/<Table>.json from the Advanced Hunting column reference.

Run once when the reference changes; the generated files are committed and
are the source of truth afterwards (edit them by hand to change a column's
kind, then run `huntvault reindex`).

    scripts/schema-from-tsv.py ../shared/reference schema/

Kinds, chosen for how hunters query each column:
  text     tokenized full text: command lines, paths, titles, subjects, URLs
  keyword  exact, case-insensitive: names, ids, hashes, IPs, action types
  int      64-bit signed integer (long/int columns)
  date     instant, 0-7 fractional digits, UTC
  bool     true/false
  dynamic  JSON: native objects/arrays or JSON held in a string, indexed as
           what it holds under dotted paths (Column.Key.Sub)
"""
import csv
import json
import re
import sys
from pathlib import Path

TEXT = re.compile(
    r"(CommandLine|FolderPath|Title|Subject|Url|Query|Description|ProductName"
    r"|UserAgent|ObjectName|RegistryKey|RegistryValueData|ThreatTypes|ThreatNames)$"
)
# Columns documented as `string` that real exports fill with JSON text
# (shared/reference/quirks.md D.1, D.2, D.3).
JSON_IN_STRING = {
    "AdditionalFields", "AttackTechniques", "Categories", "DataSources",
    "LoggedOnUsers", "IPAddresses", "ConnectedNetworks", "DnsAddresses",
    "DefaultGateways", "CrlDistributionPointUrls", "AuthenticationDetails",
    "UrlChain", "DetectionMethods", "ConfidenceLevel", "To", "Cc",
    "OriginalDetectionMethods", "OriginalConfidenceLevel",
}
# Misspellings in newer docs that records never use (quirks.md E.5).
SKIP_NEWER = {("DeviceFileEvents", "LogonID"), ("DeviceNetworkEvents", "LogonID"),
              ("DeviceProcessEvents", "LogonID")}


def kind(column: str, typ: str) -> str:
    if typ == "datetime":
        return "date"
    if typ in ("bool", "boolean"):
        return "bool"
    if typ in ("int", "long"):
        return "int"
    if typ == "dynamic" or column in JSON_IN_STRING:
        return "dynamic"
    if TEXT.search(column):
        return "text"
    return "keyword"


def main() -> None:
    ref, out = Path(sys.argv[1]), Path(sys.argv[2])
    tables = [t.strip() for t in (ref / "streamed-tables.txt").read_text().split() if t.strip()]
    columns: dict[str, list[tuple[str, str, str]]] = {t: [] for t in tables}
    for name, origin in (("advanced-hunting-columns.tsv", "docs"),
                         ("advanced-hunting-columns-newer-docs.tsv", "newer-docs")):
        with open(ref / name, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                t, c, ty = row["table"], row["column"], row["type"]
                if t not in columns or (t, c) in SKIP_NEWER:
                    continue
                if any(c == seen for seen, _, _ in columns[t]):
                    continue
                columns[t].append((c, ty, origin))
    out.mkdir(parents=True, exist_ok=True)
    for t, cols in columns.items():
        lines = [f'    {{"name": {json.dumps(c)}, "type": {json.dumps(ty)}, '
                 f'"kind": {json.dumps(kind(c, ty))}, "from": {json.dumps(o)}}}'
                 for c, ty, o in cols]
        body = ",\n".join(lines)
        (out / f"{t}.json").write_text(
            "{\n"
            f'  "table": {json.dumps(t)},\n'
            f'  "container": {json.dumps("insights-logs-advancedhunting-" + t.lower())},\n'
            '  "columns": [\n' + body + "\n  ]\n}\n")


if __name__ == "__main__":
    main()
