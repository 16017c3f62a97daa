//! How hits are printed: `table` (aligned, for people), `json` (one object
//! per line, for jq), `csv` (RFC 4180 quoting, `\n` line ends) and `raw`
//! (the original records, byte for byte).
//!
//! Every format but `raw` sees a hit as one flat row: `_table`, `_time`
//! (RFC 3339), then the record's `properties` keys, then the other envelope
//! keys (`time`, `tenantId`, `category`, ...; a key already present is not
//! repeated). Values are kept as the record has them (a JSON-in-string stays
//! a string). A selected name may be dotted to reach inside objects, arrays
//! (`To.0`) and JSON held in strings: `AdditionalFields.FileType`; a key
//! holding a dot (`FROM.DEVICE`) is found too. A missing value is `null` in
//! JSON and empty in CSV and tables.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::query::search::Hit;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Raw,
}

impl Format {
    /// The names [`Format::parse`] accepts.
    pub const NAMES: &[&str] = &["table", "json", "csv", "raw"];

    /// Parses a format name (case-insensitive).
    pub fn parse(name: &str) -> Result<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(Format::Table),
            "json" | "jsonl" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "raw" => Ok(Format::Raw),
            other => Err(Error::Usage(format!(
                "unknown output format `{other}`: use one of {}",
                Format::NAMES.join(", ")
            ))),
        }
    }
}

/// Columns shown by `table` and `csv` when none are selected, after `_time`
/// and `_table`, if at least one hit has a value for them.
const DEFAULT_COLUMNS: &[&str] = &[
    "DeviceName",
    "ActionType",
    "FileName",
    "ProcessCommandLine",
    "InitiatingProcessCommandLine",
    "RemoteIP",
    "RemotePort",
    "RemoteUrl",
    "AccountName",
    "SenderFromAddress",
    "Subject",
    "Title",
];

/// Longest cell of a `table`, in characters.
const MAX_CELL: usize = 40;

/// Writes hits in a format; `select` names the columns (all but `raw`).
pub fn write_hits(
    out: &mut dyn Write,
    hits: &[Hit],
    format: Format,
    select: &[String],
) -> io::Result<()> {
    if format == Format::Raw {
        for hit in hits {
            out.write_all(hit.raw.as_bytes())?;
            out.write_all(b"\n")?;
        }
        return Ok(());
    }
    let records: Vec<Record> = hits.iter().map(Record::parse).collect();
    if format == Format::Json {
        for record in &records {
            let cells: Vec<(Cow<str>, Cell)> = if select.is_empty() {
                record.all()
            } else {
                select
                    .iter()
                    .map(|name| (Cow::from(name.as_str()), record.get(name)))
                    .collect()
            };
            write_json_line(out, &cells)?;
        }
        return Ok(());
    }
    let columns: Vec<String> = if select.is_empty() {
        default_columns(&records)
    } else {
        select.to_vec()
    };
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|record| {
            columns
                .iter()
                .map(|name| record.get(name).text().into_owned())
                .collect()
        })
        .collect();
    match format {
        Format::Csv => write_csv(out, &columns, &rows),
        _ => write_table(out, &columns, &rows),
    }
}

/// Writes rows of named values (what a hunting query returns when it
/// reshaped the records): `json` one object per line with the columns in
/// order, `csv` and `table` with strings unquoted and null empty. `raw`
/// needs whole records ([`write_hits`]); here it writes JSON.
pub fn write_rows(
    out: &mut dyn Write,
    columns: &[String],
    rows: &[Vec<serde_json::Value>],
    format: Format,
) -> io::Result<()> {
    let cell = |v: &serde_json::Value| {
        RawValue::from_string(v.to_string()).map_or(Cell::Missing, Cell::Found)
    };
    if matches!(format, Format::Json | Format::Raw) {
        for row in rows {
            let cells: Vec<(Cow<str>, Cell)> = columns
                .iter()
                .zip(row)
                .map(|(name, v)| (Cow::from(name.as_str()), cell(v)))
                .collect();
            write_json_line(out, &cells)?;
        }
        return Ok(());
    }
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|v| cell(v).text().into_owned()).collect())
        .collect();
    match format {
        Format::Csv => write_csv(out, columns, &texts),
        _ => write_table(out, columns, &texts),
    }
}

/// `_time`, `_table`, and the default columns some record has a value for.
fn default_columns(records: &[Record]) -> Vec<String> {
    let present = |name: &str| records.iter().any(|r| !r.get(name).text().is_empty());
    ["_time", "_table"]
        .into_iter()
        .chain(DEFAULT_COLUMNS.iter().copied().filter(|name| present(name)))
        .map(String::from)
        .collect()
}

fn write_json_line(out: &mut dyn Write, cells: &[(Cow<str>, Cell)]) -> io::Result<()> {
    let mut line = String::from("{");
    for (i, (name, cell)) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&serde_json::Value::from(name.as_ref()).to_string());
        line.push(':');
        line.push_str(&cell.json());
    }
    line.push_str("}\n");
    out.write_all(line.as_bytes())
}

fn csv_field(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

fn write_csv(out: &mut dyn Write, columns: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    for row in std::iter::once(columns).chain(rows.iter().map(Vec::as_slice)) {
        let line: Vec<Cow<str>> = row.iter().map(|cell| csv_field(cell)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// A cell as a table shows it: on one line, at most [`MAX_CELL`] characters.
fn table_cell(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= MAX_CELL {
        return flat;
    }
    let mut cut: String = flat.chars().take(MAX_CELL - 1).collect();
    cut.push('…');
    cut
}

fn write_table(out: &mut dyn Write, columns: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let header: Vec<String> = columns.iter().map(|c| table_cell(c)).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| table_cell(c)).collect())
        .collect();
    let lines: Vec<&Vec<String>> = std::iter::once(&header).chain(&body).collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for line in lines {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            if i + 1 == line.len() {
                text.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                text.push_str(cell);
                text.extend(std::iter::repeat_n(' ', pad + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

/// A JSON object's members in their order, values unparsed.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct MembersVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for MembersVisitor<'a> {
            type Value = Members<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(
                self,
                mut map: M,
            ) -> std::result::Result<Members<'a>, M::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor(std::marker::PhantomData))
    }
}

impl<'a> Members<'a> {
    fn parse(json: &'a str) -> Option<Members<'a>> {
        serde_json::from_str(json).ok()
    }

    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The value at a dotted path; a key holding dots is tried whole first.
    fn lookup(&self, path: &str) -> Option<Box<RawValue>> {
        if let Some(value) = self.get(path) {
            return Some(value.to_owned());
        }
        path.match_indices('.').find_map(|(i, _)| {
            let value = self.get(&path[..i])?;
            lookup_in(value, &path[i + 1..])
        })
    }
}

/// The value at a dotted path inside a value: an object, an array, or JSON
/// held in a string.
fn lookup_in(value: &RawValue, path: &str) -> Option<Box<RawValue>> {
    let text = value.get();
    match text.trim_start().as_bytes().first()? {
        b'{' => Members::parse(text)?.lookup(path),
        b'[' => {
            let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
            let (index, rest) = path
                .split_once('.')
                .map_or((path, None), |(i, r)| (i, Some(r)));
            let item = items.get(index.parse::<usize>().ok()?)?;
            match rest {
                None => Some((*item).to_owned()),
                Some(rest) => lookup_in(item, rest),
            }
        }
        b'"' => {
            let inner: String = serde_json::from_str(text).ok()?;
            if !inner.trim_start().starts_with(['{', '[']) {
                return None;
            }
            let inner: Box<RawValue> = serde_json::from_str(&inner).ok()?;
            lookup_in(&inner, path)
        }
        _ => None,
    }
}

/// One value of a row.
enum Cell<'a> {
    Missing,
    /// JSON from the record.
    Json(&'a RawValue),
    /// JSON found inside a value (an object held in a string).
    Found(Box<RawValue>),
    /// A string the archive knows (`_table`, `_time`).
    Text(&'a str),
}

impl Cell<'_> {
    /// The value as JSON text.
    fn json(&self) -> Cow<'_, str> {
        match self {
            Cell::Missing => Cow::Borrowed("null"),
            Cell::Json(v) => Cow::Borrowed(v.get()),
            Cell::Found(v) => Cow::Borrowed(v.get()),
            Cell::Text(s) => Cow::Owned(serde_json::Value::from(*s).to_string()),
        }
    }

    /// The value as text: strings unquoted, `null` and missing empty, other
    /// values as their JSON.
    fn text(&self) -> Cow<'_, str> {
        let json = match self {
            Cell::Missing => return Cow::Borrowed(""),
            Cell::Text(s) => return Cow::Borrowed(s),
            Cell::Json(v) => v.get(),
            Cell::Found(v) => v.get(),
        };
        match json {
            "null" => Cow::Borrowed(""),
            s if s.starts_with('"') => {
                serde_json::from_str::<String>(s).map_or(Cow::Borrowed(s), Cow::Owned)
            }
            s => Cow::Borrowed(s),
        }
    }
}

/// A hit as one flat row.
struct Record<'a> {
    table: &'a str,
    /// RFC 3339.
    time: Option<String>,
    /// `properties` members, then the other envelope members (first wins).
    members: Members<'a>,
    /// Where the record was read: `container/blob` and its line's offset.
    blob: &'a str,
    offset: u64,
    /// The original text, when it is not a JSON object.
    unparsed: Option<&'a str>,
}

impl<'a> Record<'a> {
    fn parse(hit: &'a Hit) -> Record<'a> {
        let mut record = Record {
            table: &hit.table,
            time: hit.time.map(|t| t.to_string()),
            blob: &hit.blob,
            offset: hit.offset,
            members: Members(Vec::new()),
            unparsed: None,
        };
        let Some(envelope) = Members::parse(&hit.raw) else {
            record.unparsed = Some(&hit.raw);
            return record;
        };
        let properties = envelope
            .get("properties")
            .and_then(|p| Members::parse(p.get()));
        let has_properties = properties.is_some();
        let others = envelope
            .0
            .into_iter()
            .filter(|(k, _)| !has_properties || k != "properties");
        for (key, value) in properties.into_iter().flat_map(|p| p.0).chain(others) {
            if key != "_table" && key != "_time" && record.members.get(&key).is_none() {
                record.members.0.push((key, value));
            }
        }
        record
    }

    /// Every column of the row, in order.
    fn all(&self) -> Vec<(Cow<'_, str>, Cell<'_>)> {
        let mut cells = vec![
            (Cow::Borrowed("_table"), self.get("_table")),
            (Cow::Borrowed("_time"), self.get("_time")),
        ];
        cells.extend(
            self.members
                .0
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Cell::Json(v))),
        );
        if let Some(raw) = self.unparsed {
            cells.push((Cow::Borrowed("_raw"), Cell::Text(raw)));
        }
        cells
    }

    /// One column: `_table`, `_time`, `_blob`, `_offset`, a member, or a
    /// dotted path into one.
    fn get(&self, name: &str) -> Cell<'_> {
        match name {
            "_table" => Cell::Text(self.table),
            "_blob" => Cell::Text(self.blob),
            "_offset" => {
                RawValue::from_string(self.offset.to_string()).map_or(Cell::Missing, Cell::Found)
            }
            "_time" => self.time.as_deref().map_or(Cell::Missing, Cell::Text),
            "_raw" if self.unparsed.is_some() => self.unparsed.map_or(Cell::Missing, Cell::Text),
            _ => match self.members.get(name) {
                Some(value) => Cell::Json(value),
                None => self.members.lookup(name).map_or(Cell::Missing, Cell::Found),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE: &str = r#"{"time":"2026-07-18T13:01:53.1234567Z","tenantId":"t-1","operationName":"Publish","category":"AdvancedHunting-DeviceEvents","properties":{"Timestamp":"2026-07-18T13:01:51.2820995Z","DeviceName":"wks-01","ReportId":639199803770463703,"ActionType":"PowerShellCommand","AdditionalFields":"{\"Command\":\"Get-Item\",\"FROM.DEVICE\":\"x\",\"Nested\":{\"Count\":\"1\"},\"List\":[\"a\",\"b\"]}","Ratio":1.50},"Tenant":"DefaultTenant"}"#;
    const EMAIL: &str = r#"{"time":"2026-07-18T14:10:00Z","category":"AdvancedHunting-EmailEvents","properties":{"Timestamp":"2026-07-18T14:08:56Z","Subject":"Invoice: \"Q1\", overdue\nnow","SenderFromAddress":"billing@example.com","To":["a@example.com"]}}"#;

    fn hit(table: &str, time: &str, raw: &str) -> Hit {
        Hit {
            table: table.to_string(),
            time: Some(time.parse().unwrap()),
            blob: "c/PT1H.json".to_string(),
            offset: 0,
            raw: raw.to_string(),
        }
    }

    fn hits() -> Vec<Hit> {
        vec![
            hit("DeviceEvents", "2026-07-18T13:01:51.2820995Z", DEVICE),
            hit("EmailEvents", "2026-07-18T14:08:56Z", EMAIL),
        ]
    }

    fn render(hits: &[Hit], format: Format, select: &[&str]) -> String {
        let select: Vec<String> = select.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        write_hits(&mut out, hits, format, &select).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formats_parse() {
        assert_eq!(Format::parse("JSON").unwrap(), Format::Json);
        assert_eq!(Format::parse("table").unwrap(), Format::Table);
        assert!(matches!(Format::parse("xml"), Err(Error::Usage(_))));
    }

    #[test]
    fn raw_is_the_record_byte_for_byte() {
        let odd = hit(
            "DeviceEvents",
            "2026-01-01T00:00:00Z",
            "{\"a\": \"\\u00ae ®\",  \"b\":1.50}",
        );
        assert_eq!(
            render(&[hits()[0].clone(), odd], Format::Raw, &["ignored"]),
            format!("{DEVICE}\n{{\"a\": \"\\u00ae ®\",  \"b\":1.50}}\n")
        );
    }

    #[test]
    fn json_flattens_properties_and_keeps_values() {
        let out = render(&hits()[..1], Format::Json, &[]);
        assert_eq!(
            out,
            concat!(
                r#"{"_table":"DeviceEvents","_time":"2026-07-18T13:01:51.2820995Z","#,
                r#""Timestamp":"2026-07-18T13:01:51.2820995Z","DeviceName":"wks-01","#,
                r#""ReportId":639199803770463703,"ActionType":"PowerShellCommand","#,
                r#""AdditionalFields":"{\"Command\":\"Get-Item\",\"FROM.DEVICE\":\"x\",\"Nested\":{\"Count\":\"1\"},\"List\":[\"a\",\"b\"]}","#,
                r#""Ratio":1.50,"time":"2026-07-18T13:01:53.1234567Z","tenantId":"t-1","#,
                r#""operationName":"Publish","category":"AdvancedHunting-DeviceEvents","Tenant":"DefaultTenant"}"#,
                "\n"
            )
        );
        let parsed: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(parsed["ReportId"].as_u64(), Some(639_199_803_770_463_703));
    }

    #[test]
    fn json_select_reaches_into_objects_and_json_strings() {
        let select = [
            "DeviceName",
            "AdditionalFields.Command",
            "AdditionalFields.FROM.DEVICE",
            "AdditionalFields.Nested.Count",
            "AdditionalFields.List.1",
            "Missing",
            "_table",
            "tenantId",
        ];
        assert_eq!(
            render(&hits()[..1], Format::Json, &select),
            concat!(
                r#"{"DeviceName":"wks-01","AdditionalFields.Command":"Get-Item","#,
                r#""AdditionalFields.FROM.DEVICE":"x","AdditionalFields.Nested.Count":"1","#,
                r#""AdditionalFields.List.1":"b","Missing":null,"_table":"DeviceEvents","tenantId":"t-1"}"#,
                "\n"
            )
        );
        assert_eq!(
            render(&hits()[1..], Format::Json, &["To.0", "To", "_time"]),
            "{\"To.0\":\"a@example.com\",\"To\":[\"a@example.com\"],\"_time\":\"2026-07-18T14:08:56Z\"}\n"
        );
    }

    #[test]
    fn csv_quotes_per_rfc_4180() {
        let out = render(
            &hits(),
            Format::Csv,
            &["_table", "Subject", "ReportId", "AdditionalFields.Command"],
        );
        assert_eq!(
            out,
            concat!(
                "_table,Subject,ReportId,AdditionalFields.Command\n",
                "DeviceEvents,,639199803770463703,Get-Item\n",
                "EmailEvents,\"Invoice: \"\"Q1\"\", overdue\nnow\",,\n",
            )
        );
    }

    #[test]
    fn default_columns_are_those_some_hit_has() {
        let out = render(&hits(), Format::Csv, &[]);
        assert_eq!(
            out.lines().next().unwrap(),
            "_time,_table,DeviceName,ActionType,SenderFromAddress,Subject"
        );
        let out = render(&hits()[1..], Format::Csv, &[]);
        assert_eq!(
            out.lines().next().unwrap(),
            "_time,_table,SenderFromAddress,Subject"
        );
    }

    #[test]
    fn tables_align_and_truncate() {
        let long = format!(
            r#"{{"properties":{{"DeviceName":"{}","ActionType":"x"}}}}"#,
            "n".repeat(60)
        );
        let rows = [
            hit("DeviceEvents", "2026-07-18T13:01:51Z", &long),
            hit(
                "DeviceEvents",
                "2026-07-18T13:01:52Z",
                r#"{"properties":{"DeviceName":"short"}}"#,
            ),
        ];
        let out = render(&rows, Format::Table, &["DeviceName", "ActionType"]);
        let lines: Vec<&str> = out.lines().collect();
        let truncated = format!("{}…", "n".repeat(39));
        assert_eq!(lines[0], format!("DeviceName{}ActionType", " ".repeat(32)));
        assert_eq!(lines[1], format!("{truncated}  x"));
        assert_eq!(lines[2], "short");
        let out = render(&hits()[1..], Format::Table, &["Subject", "To"]);
        assert_eq!(
            out.lines().nth(1).unwrap(),
            "Invoice: \"Q1\", overdue now  [\"a@example.com\"]"
        );
    }

    #[test]
    fn records_that_are_not_objects_are_still_shown() {
        let bad = hit("DeviceEvents", "2026-01-01T00:00:00Z", "not json");
        assert_eq!(
            render(&[bad], Format::Json, &[]),
            "{\"_table\":\"DeviceEvents\",\"_time\":\"2026-01-01T00:00:00Z\",\"_raw\":\"not json\"}\n"
        );
    }
}
