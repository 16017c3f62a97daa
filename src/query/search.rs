//! `huntvault search`: a Lucene-style query string, compiled against the
//! index's field model ([`crate::index::fields`]) into a tantivy query, run
//! with the caller's filters, sorted, and read back as [`Hit`]s.
//!
//! The string is parsed with tantivy's own grammar (`tantivy::query_grammar`,
//! lenient mode, so every syntax error comes back with its byte position);
//! the resulting tree is compiled here, not by tantivy's `QueryParser`,
//! because each column's kind decides what a value means and because values
//! that did not fit their column live in the `_kw`/`_txt` JSON fields.
//!
//! # Syntax
//!
//! | written | means |
//! |---------|-------|
//! | `*` or nothing | every record |
//! | `DeviceName:wks-01` | keyword column: the whole value, case-insensitive |
//! | `ProcessCommandLine:mimikatz` | text column: the word (case-insensitive) |
//! | `ProcessCommandLine:"-enc JAB"` | text column: the words in this order (a phrase); `"a b"~2` allows 2 words between |
//! | `FileName:power*`, `*mimi*`, `FileName:cmd?.exe` | wildcards: `*` any characters, `?` one; on a text column they stay within one word |
//! | `FileName:/power.*\.exe/` | regular expression over the indexed (lower-cased) values |
//! | `RemotePort:443`, `RemotePort:>=1024`, `RemotePort:[1 TO 1023]`, `{a TO b}` | integer value and ranges (`[` `]` inclusive, `{` `}` exclusive, `*` open) |
//! | `Timestamp:2026-01-01` | date column: that whole day (UTC); `…T10:00` that minute, `…T10:00:00Z` that second |
//! | `Timestamp:[2026-01-01 TO 2026-01-31]` | both days included; `Timestamp:>=2026-01-01T10:00:00Z`; `Timestamp:>7d` (within the last 7 days; `h`, `m`, `s`, `w` too) |
//! | `IsLocalAdmin:true` | bool column (`true`/`false`/`1`/`0`) |
//! | `RemotePort:IN [80 443 8080]` | any of the values |
//! | `RemoteUrl:*` | the column has a value |
//! | `AdditionalFields.FileType:pe` | a dynamic column (or an unknown one), by dotted path |
//! | `AdditionalFields.FROM\.DEVICE:x` | a key holding a dot: escape the dot with `\` |
//! | `_table:DeviceProcessEvents`, `_time:>1d`, `_blob:…`, `_id:…`, `_offset:…` | the archive's own fields |
//! | `a b`, `a AND b`, `+a +b` | both (the default operator is AND) |
//! | `a OR b`, `NOT a`, `-a`, `( … )`, `Field:(a OR b)` | boolean logic; a query of only negations means "everything except" |
//! | `mimikatz` (no column) | any text or keyword column (dynamic content needs its path) |
//!
//! Values are case-insensitive except in `_blob` and `_id`. A value holding
//! `:` (times, drive letters, IPv6) must be quoted or written with `\:` —
//! `Timestamp:"2026-01-01T10:00:00Z"`, `FolderPath:"C:\\Windows"` — except
//! inside a range or after `>`/`<`, where `Timestamp:>=2026-01-01T10:00:00Z`
//! is accepted as written. Inside quotes, `\` escapes the next character (so
//! a backslash is written `\\`). Quoted values are exact: `*` and `?` are
//! wildcards only in unquoted values; `"a b"*` is a prefix. Boosts (`^2`) are
//! accepted and ignored: results are sorted, not scored.
//!
//! Column names match exactly, else case-insensitively when only one column
//! matches; a name matching no column is searched as a dynamic path
//! (case-sensitive, as the JSON keys are).
//!
//! # Where values are looked for
//!
//! Each column with a field of its own is searched there with its kind's
//! meaning, and also in the JSON fields under its own name, where the
//! indexer puts values that did not fit the kind: `RemotePort:abc` finds a
//! record whose `RemotePort` was `"abc"`. Keyword, integer, date and bool
//! columns look in `_kw` (exact values, and the number/bool/date the text
//! spells), text columns in `_txt` (words). A dynamic path looks in both.
//! Ranges compare as the column's kind; on a dynamic path they compare as
//! numbers when both bounds are numbers (only values indexed as JSON numbers,
//! not digit strings), else as lower-cased text (plus indexed JSON dates when
//! both bounds are dates).

use std::collections::HashMap;
use std::ops::Bound;

use jiff::{SignedDuration, Timestamp};
use tantivy::collector::sort_key::SortByErasedType;
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FastValue;
use tantivy::json_utils::convert_to_fast_value_and_append_to_json_term;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, ExistsQuery, InvertedIndexRangeQuery, Occur, PhraseQuery,
    Query, RangeQuery, RegexPhraseQuery, RegexQuery, TermQuery,
};
use tantivy::query_grammar::{
    Delimiter, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral, parse_query_lenient,
};
use tantivy::schema::{DateTimePrecision, Field, IndexRecordOption, Value as _};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DateTime, DocAddress, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::error::{Error, Result};
use crate::index::Archive;
use crate::index::fields::{self, Fields};
use crate::schema::{Catalog, Kind};
use crate::timefmt;

/// Direction of a sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

/// Which field the hits are sorted by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortSpec {
    pub field: String,
    pub order: SortOrder,
}

impl SortSpec {
    /// Parses `field[:asc|desc]`; the order defaults to ascending.
    pub fn parse(spec: &str) -> Result<SortSpec> {
        let (field, order) = match spec.rsplit_once(':') {
            Some((field, order)) => {
                let order = match order.trim().to_ascii_lowercase().as_str() {
                    "asc" => SortOrder::Asc,
                    "desc" => SortOrder::Desc,
                    other => {
                        return Err(Error::Usage(format!(
                            "sort order `{other}` is neither `asc` nor `desc`: write `--sort Timestamp:desc`"
                        )));
                    }
                };
                (field, order)
            }
            None => (spec, SortOrder::Asc),
        };
        let field = field.trim();
        if field.is_empty() {
            return Err(Error::Usage(
                "--sort needs a field: `--sort _time:desc`, `--sort DeviceName`".into(),
            ));
        }
        Ok(SortSpec {
            field: field.to_string(),
            order,
        })
    }
}

/// A search: a query string and the filters and presentation around it.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Tables to keep (matched case-insensitively against the catalog); empty: all.
    pub tables: Vec<String>,
    /// Event time from (inclusive).
    pub since: Option<Timestamp>,
    /// Event time until (exclusive).
    pub until: Option<Timestamp>,
    /// Most hits returned; 0 returns none (the count is still exact).
    pub limit: usize,
    /// Sort; `None`: newest first by event time.
    pub sort: Option<SortSpec>,
    /// Count only; no hits are read.
    pub count_only: bool,
}

/// One matching record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub table: String,
    pub time: Option<Timestamp>,
    pub blob: String,
    pub offset: u64,
    /// The original record, byte for byte.
    pub raw: String,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResult {
    /// How many records match (exact, whatever the limit).
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// Runs a search.
pub fn search(archive: &Archive, catalog: &Catalog, req: &SearchRequest) -> Result<SearchResult> {
    let fields = &archive.fields;
    let query = request_query(archive, catalog, req)?;
    let (sort_field, order) = sort_key(fields, req.sort.as_ref())?;
    let searcher = open_searcher(archive)?;
    // TopDocs allocates for its limit: never more than there are documents.
    let limit = req
        .limit
        .min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
    if req.count_only || limit == 0 {
        let total = searcher.search(&query, &Count)?;
        return Ok(SearchResult {
            total,
            hits: Vec::new(),
        });
    }
    let top = TopDocs::with_limit(limit).order_by((SortByErasedType::for_field(sort_field), order));
    let (total, docs) = searcher.search(&query, &(Count, top))?;
    let mut hit_reader = HitReader::new(&searcher, fields);
    let hits = docs
        .into_iter()
        .map(|(_, address)| hit_reader.read(address))
        .collect::<Result<_>>()?;
    Ok(SearchResult { total, hits })
}

/// The request's query string with its table and time filters.
pub fn request_query(
    archive: &Archive,
    catalog: &Catalog,
    req: &SearchRequest,
) -> Result<BooleanQuery> {
    let fields = &archive.fields;
    let mut clauses = vec![(Occur::Must, compile(archive, &req.query)?)];
    clauses.extend(table_filter(fields, catalog, &req.tables).map(|q| (Occur::Must, q)));
    clauses.extend(time_filter(fields, req.since, req.until).map(|q| (Occur::Must, q)));
    Ok(BooleanQuery::new(clauses))
}

/// A searcher over the index's last commit.
pub fn open_searcher(archive: &Archive) -> Result<Searcher> {
    let reader: IndexReader = archive
        .index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(reader.searcher())
}

/// Compiles a query string (syntax: see the module documentation).
pub fn compile(archive: &Archive, query: &str) -> Result<Box<dyn Query>> {
    compile_at(archive, query, Timestamp::now())
}

/// [`compile`], with relative times (`>7d`) counted back from `now`.
fn compile_at(archive: &Archive, query: &str, now: Timestamp) -> Result<Box<dyn Query>> {
    let analyzer = |name: &str| {
        archive.index.tokenizers().get(name).ok_or_else(|| {
            Error::Index(format!(
                "the `{name}` analyzer is not registered on this index"
            ))
        })
    };
    let mut compiler = Compiler {
        fields: &archive.fields,
        source: query,
        now,
        keyword: analyzer(fields::KEYWORD_TOKENIZER)?,
        text: analyzer(fields::TEXT_TOKENIZER)?,
    };
    let (ast, errors) = parse_query_lenient(query);
    if let Some(e) = errors.first() {
        return Err(Error::query(explain_syntax_error(&e.message), Some(e.pos)));
    }
    compiler.ast(ast)
}

/// Turns the grammar's terse messages into what is wrong and how to write it.
fn explain_syntax_error(message: &str) -> String {
    let hint = match message {
        "parsed possible invalid field as term" => {
            "a value holding `:` must be quoted or escaped: `Timestamp:\"2026-01-01T10:00:00Z\"`, \
             `FolderPath:\"C:\\\\Windows\"`, `RemoteIP:fe80\\:\\:1`; a column name goes before the `:`"
        }
        "expected word" => {
            "a value is missing: write `Column:value`, `Column:>=value` or `[low TO high]`"
        }
        "expected ')'" => "a `(` is not closed: add the matching `)`",
        "unparsed end of query" => {
            "unexpected text here: check for a `)` without its `(` or a stray operator"
        }
        "missing delimiter \\\"" => "a `\"` is not closed: add the matching `\"`",
        "missing delimiter \\'" => "a `'` is not closed: add the matching `'`",
        "missing delimiter /" => {
            "a regular expression is written between slashes: `FileName:/power.*/`"
        }
        "missing ]" => "a set is written `Column:IN [a b c]`: add the closing `]`",
        "missing keyword TO" => "a range is written `Column:[low TO high]` (TO in capitals)",
        "missing range delimiter" => {
            "a range ends with `]` (inclusive) or `}` (exclusive): `RemotePort:[1 TO 1023]`"
        }
        "parsed keyword NOT as term. It should be quoted" => {
            "NOT needs a term after it (`NOT DeviceName:x`); quote it to search the word: `\"NOT\"`"
        }
        "Found unexpected boolean operator before term" => {
            "a query cannot start with AND or OR: put a term before it"
        }
        "expected whitespace, closing parenthesis, boost, or end of input" => {
            "a regular expression must be followed by a space or `)`: `FileName:/power.*/ AND …`"
        }
        other => return format!("syntax error: {other}"),
    };
    hint.to_string()
}

/// How a field with a field of its own is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    /// Words (`hv_text`).
    Text,
    /// Whole value, lower-cased (`hv_keyword`).
    Keyword,
    Int,
    Date,
    Bool,
    /// `_offset`.
    Unsigned,
    /// Raw-tokenized strings (`_table`, `_blob`, `_id`); `fold_case` matches
    /// them case-insensitively.
    Exact {
        fold_case: bool,
    },
}

impl FieldKind {
    /// The kind of a catalog column's own field (dynamic columns have none).
    fn of(kind: Kind) -> Option<FieldKind> {
        Some(match kind {
            Kind::Text => FieldKind::Text,
            Kind::Keyword => FieldKind::Keyword,
            Kind::Int => FieldKind::Int,
            Kind::Date => FieldKind::Date,
            Kind::Bool => FieldKind::Bool,
            Kind::Dynamic => return None,
        })
    }
}

/// Where a column name points.
#[derive(Debug, Clone)]
enum Target {
    /// A field of its own.
    Own {
        /// The name in the schema.
        name: String,
        field: Field,
        kind: FieldKind,
        /// The JSON path where the column's misfit values are (catalog columns).
        spill: Option<String>,
    },
    /// A path in `_kw`/`_txt` (as written: `\.` is a dot inside a key).
    Dynamic { path: String },
}

/// The JSON fields a dynamic lookup searches.
#[derive(Debug, Clone, Copy)]
struct Stores {
    kw: bool,
    txt: bool,
}

impl Stores {
    const BOTH: Stores = Stores {
        kw: true,
        txt: true,
    };

    /// Where the misfit values of a column of this kind are looked for.
    fn spill_of(kind: FieldKind) -> Stores {
        Stores {
            kw: kind != FieldKind::Text,
            txt: kind == FieldKind::Text,
        }
    }
}

/// Escapes a column name as one JSON path segment.
fn path_segment(name: &str) -> String {
    name.replace('\\', "\\\\").replace('.', "\\.")
}

/// Resolves a column name as written in a query or `--sort`; the error is
/// the message only.
fn resolve(fields: &Fields, name: &str) -> std::result::Result<Target, String> {
    let fixed = |field, kind| Target::Own {
        name: name.to_string(),
        field,
        kind,
        spill: None,
    };
    match name {
        fields::TABLE => return Ok(fixed(fields.table, FieldKind::Exact { fold_case: true })),
        fields::TIME => return Ok(fixed(fields.time, FieldKind::Date)),
        fields::BLOB => return Ok(fixed(fields.blob, FieldKind::Exact { fold_case: false })),
        fields::ID => return Ok(fixed(fields.id, FieldKind::Exact { fold_case: false })),
        fields::OFFSET => return Ok(fixed(fields.offset, FieldKind::Unsigned)),
        fields::RAW | fields::KW | fields::TXT => {
            return Err(format!(
                "`{name}` cannot be searched directly: search the columns (`DeviceName:x`) \
                 or a dynamic path (`AdditionalFields.FileType:x`)"
            ));
        }
        _ => {}
    }
    let column = |(column, (field, kind)): (&String, &(Field, Kind))| {
        Some(Target::Own {
            name: column.clone(),
            field: *field,
            kind: FieldKind::of(*kind)?,
            spill: Some(path_segment(column)),
        })
    };
    if let Some(target) = fields.columns.get_key_value(name).and_then(column) {
        return Ok(target);
    }
    let folded: Vec<_> = fields
        .columns
        .iter()
        .filter(|(column, _)| column.eq_ignore_ascii_case(name))
        .collect();
    match folded.as_slice() {
        [] => Ok(Target::Dynamic {
            path: name.to_string(),
        }),
        [one] => column(*one).ok_or_else(|| format!("`{name}` has no field")),
        many => Err(format!(
            "`{name}` matches several columns ({}): write the exact name",
            many.iter()
                .map(|entry| entry.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// What a leaf looks for.
#[derive(Debug, Clone)]
enum Needle<'q> {
    /// A value: keyword/number/date/bool as a whole, words for text.
    Exact { text: &'q str, slop: u32 },
    /// A wildcard pattern.
    Pattern(Pattern),
    /// A user regular expression over indexed terms.
    Regex(&'q str),
}

impl<'q> Needle<'q> {
    fn from_literal(literal: &'q UserInputLiteral) -> Needle<'q> {
        let text = literal.phrase.as_str();
        if literal.delimiter != Delimiter::None {
            if literal.prefix {
                let mut pattern = Pattern::literal(text);
                pattern.0.push(Piece::Any);
                return Needle::Pattern(pattern);
            }
            return Needle::Exact {
                text,
                slop: literal.slop,
            };
        }
        match Pattern::wildcard(text) {
            Some(pattern) => Needle::Pattern(pattern),
            None => Needle::Exact {
                text,
                slop: literal.slop,
            },
        }
    }
}

/// One element of a wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Char(char),
    /// `*`
    Any,
    /// `?`
    One,
}

/// How a pattern's characters are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Lower-cased, like the analyzers do.
    Lower,
    /// As written.
    Exact,
    /// Either case.
    Insensitive,
}

/// A wildcard pattern (`power*`, `cmd?.exe`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern(Vec<Piece>);

impl Pattern {
    fn literal(text: &str) -> Pattern {
        Pattern(text.chars().map(Piece::Char).collect())
    }

    /// The pattern of an unquoted value, if it holds a wildcard.
    fn wildcard(text: &str) -> Option<Pattern> {
        if !text.contains(['*', '?']) {
            return None;
        }
        Some(Pattern(
            text.chars()
                .map(|c| match c {
                    '*' => Piece::Any,
                    '?' => Piece::One,
                    c => Piece::Char(c),
                })
                .collect(),
        ))
    }

    /// The regular expression matching the same whole terms.
    fn regex(&self, case: Case) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Any => out.push_str("(?s:.*)"),
                Piece::One => out.push_str("(?s:.)"),
                Piece::Char(c) if case == Case::Lower => {
                    c.to_lowercase().for_each(|c| push_regex_char(&mut out, c));
                }
                Piece::Char(c) => push_regex_char(&mut out, *c),
            }
        }
        if case == Case::Insensitive {
            format!("(?i:{out})")
        } else {
            out
        }
    }

    /// The word patterns of a text value, with their positions: characters
    /// that are not alphanumeric separate words (as `hv_text` does); words
    /// made only of wildcards are dropped but keep their place.
    fn words(&self) -> Vec<(usize, Pattern)> {
        let mut words: Vec<Pattern> = Vec::new();
        let mut current = Vec::new();
        for piece in &self.0 {
            match piece {
                Piece::Char(c) if !c.is_alphanumeric() => {
                    if !current.is_empty() {
                        words.push(Pattern(std::mem::take(&mut current)));
                    }
                }
                piece => current.push(piece.clone()),
            }
        }
        if !current.is_empty() {
            words.push(Pattern(current));
        }
        let kept: Vec<(usize, Pattern)> = words
            .into_iter()
            .enumerate()
            .filter(|(_, word)| word.0.iter().any(|p| matches!(p, Piece::Char(_))))
            .collect();
        let first = kept.first().map_or(0, |(position, _)| *position);
        kept.into_iter()
            .map(|(position, word)| (position - first, word))
            .collect()
    }
}

/// Appends a character to a regular expression, escaped unless alphanumeric.
fn push_regex_char(out: &mut String, c: char) {
    if c.is_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:x}}}", u32::from(c)));
    }
}

/// A user date value: the span it names (`2026-01-01` is a whole day).
#[derive(Debug, Clone, Copy)]
struct DateValue {
    start: Timestamp,
    /// Exclusive.
    end: Timestamp,
    /// A span back from now (`7d`): only meaningful in a comparison.
    relative: bool,
}

fn parse_date_value(text: &str, now: Timestamp) -> Option<DateValue> {
    let text = text.trim();
    if let Some(span) = timefmt::parse_span(text) {
        let start = now.checked_sub(span).ok()?;
        return Some(DateValue {
            start,
            end: start.checked_add(SignedDuration::from_nanos(1)).ok()?,
            relative: true,
        });
    }
    let start = timefmt::parse_user_time(text, now)?;
    Some(DateValue {
        start,
        end: start.checked_add(date_granule(text)).ok()?,
        relative: false,
    })
}

/// The precision a date is written with: a day, an hour, a minute, a second
/// or a fraction of one.
fn date_granule(text: &str) -> SignedDuration {
    let Some((_, time)) = text.split_once(['T', 't', ' ']) else {
        return SignedDuration::from_hours(24);
    };
    let clock = time.split(['Z', 'z', '+', '-']).next().unwrap_or_default();
    let (hms, digits) = match clock.split_once(['.', ',']) {
        Some((hms, fraction)) => (hms, fraction.len()),
        None => (clock, 0),
    };
    match (hms.matches(':').count(), digits) {
        (0, _) => SignedDuration::from_hours(1),
        (1, _) => SignedDuration::from_mins(1),
        (_, 0) => SignedDuration::from_secs(1),
        (_, n) => SignedDuration::from_nanos(10_i64.pow(9_u32.saturating_sub(n as u32))),
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A numeric range bound as written.
#[derive(Debug, Clone, Copy)]
struct Number {
    /// Exact when the text is an integer.
    int: Option<i128>,
    float: f64,
}

impl Number {
    fn parse(text: &str) -> Option<Number> {
        let text = text.trim();
        let float: f64 = text.parse().ok().filter(|f: &f64| f.is_finite())?;
        let int = text
            .parse::<i128>()
            .ok()
            .or_else(|| (float.fract() == 0.0).then_some(float as i128));
        Some(Number { int, float })
    }

    /// The least integer this lower bound admits.
    fn int_from(self, inclusive: bool) -> i128 {
        match self.int {
            Some(i) if inclusive => i,
            Some(i) => i.saturating_add(1),
            None => self.float.ceil() as i128,
        }
    }

    /// The greatest integer this upper bound admits.
    fn int_to(self, inclusive: bool) -> i128 {
        match self.int {
            Some(i) if inclusive => i,
            Some(i) => i.saturating_sub(1),
            None => self.float.floor() as i128,
        }
    }
}

/// Inclusive integer bounds within `[min, max]`, or `None` if empty.
fn int_span(
    lower: Bound<Number>,
    upper: Bound<Number>,
    min: i128,
    max: i128,
) -> Option<(i128, i128)> {
    let from = match lower {
        Bound::Included(n) => n.int_from(true),
        Bound::Excluded(n) => n.int_from(false),
        Bound::Unbounded => min,
    }
    .max(min);
    let to = match upper {
        Bound::Included(n) => n.int_to(true),
        Bound::Excluded(n) => n.int_to(false),
        Bound::Unbounded => max,
    }
    .min(max);
    (from <= to).then_some((from, to))
}

/// Parses both bounds, if both parse.
fn parse_bounds<T>(
    lower: Bound<&str>,
    upper: Bound<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<(Bound<T>, Bound<T>)> {
    let one = |bound: Bound<&str>| match bound {
        Bound::Included(s) => parse(s).map(Bound::Included),
        Bound::Excluded(s) => parse(s).map(Bound::Excluded),
        Bound::Unbounded => Some(Bound::Unbounded),
    };
    Some((one(lower)?, one(upper)?))
}

/// A bound as written, without the quotes a user may put around it.
fn user_bound(bound: &UserInputBound) -> Bound<&str> {
    fn unquote(s: &str) -> &str {
        let s = s.trim();
        ['"', '\'']
            .iter()
            .find_map(|q| s.strip_prefix(*q).and_then(|s| s.strip_suffix(*q)))
            .unwrap_or(s)
    }
    match bound {
        UserInputBound::Inclusive(s) => Bound::Included(unquote(s)),
        UserInputBound::Exclusive(s) => Bound::Excluded(unquote(s)),
        UserInputBound::Unbounded => Bound::Unbounded,
    }
}

fn map_bound<T, U>(bound: Bound<T>, f: impl FnOnce(T) -> U) -> Bound<U> {
    match bound {
        Bound::Included(t) => Bound::Included(f(t)),
        Bound::Excluded(t) => Bound::Excluded(f(t)),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// What a column of each kind accepts, as a message with examples.
fn kind_hint(name: &str, kind: FieldKind) -> String {
    match kind {
        FieldKind::Int => format!(
            "{name} is an integer column: `{name}:443`, `{name}:>=1024`, `{name}:[1 TO 1023]`"
        ),
        FieldKind::Unsigned => {
            format!("{name} is a byte offset: `{name}:1234`, `{name}:[0 TO 65536}}`")
        }
        FieldKind::Date => format!(
            "{name} is a date column: `{name}:2026-01-01` (that day), \
             `{name}:>=2026-01-01T10:00:00Z`, `{name}:[2026-01-01 TO 2026-02-01}}`, `{name}:>7d`"
        ),
        FieldKind::Bool => format!("{name} is a boolean column: `{name}:true` or `{name}:false`"),
        FieldKind::Text => format!(
            "{name} is a text column, searched by words: `{name}:powershell`, \
             `{name}:\"-enc JAB\"`, `{name}:power*`"
        ),
        FieldKind::Keyword | FieldKind::Exact { .. } => {
            format!("{name} holds exact values: `{name}:value`, `{name}:val*`")
        }
    }
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn regex_query(field: Field, pattern: &str) -> Result<Box<dyn Query>> {
    RegexQuery::from_pattern(pattern, field)
        .map(|q| Box::new(q) as Box<dyn Query>)
        .map_err(|e| Error::query(format!("invalid regular expression `{pattern}`: {e}"), None))
}

/// Matches any of the queries (nothing if there are none).
fn any(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        0 => Box::new(EmptyQuery),
        1 => queries.remove(0),
        _ => Box::new(BooleanQuery::union(queries)),
    }
}

/// Combines one level of a boolean expression. Unmarked clauses are
/// required (the default operator is AND); `OR`ed clauses form one
/// alternative that is required next to them; negations alone mean
/// "everything except".
fn combine(clauses: Vec<(Option<Occur>, Box<dyn Query>)>) -> Box<dyn Query> {
    let mut must = Vec::new();
    let mut should = Vec::new();
    let mut must_not = Vec::new();
    for (occur, query) in clauses {
        match occur.unwrap_or(Occur::Must) {
            Occur::Must => must.push(query),
            Occur::Should => should.push(query),
            Occur::MustNot => must_not.push(query),
        }
    }
    if !should.is_empty() {
        must.push(any(should));
    }
    if must.is_empty() {
        must.push(Box::new(AllQuery));
    }
    if must.len() == 1 && must_not.is_empty() {
        return must.remove(0);
    }
    let clauses = must
        .into_iter()
        .map(|q| (Occur::Must, q))
        .chain(must_not.into_iter().map(|q| (Occur::MustNot, q)))
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// Runs an analyzer: `(position, token)` pairs.
fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut tokens = Vec::new();
    analyzer
        .token_stream(text)
        .process(&mut |token| tokens.push((token.position, token.text.clone())));
    tokens
}

/// Words as one term or a phrase; `None` when there are no words.
fn words_query(
    tokens: Vec<(usize, String)>,
    slop: u32,
    term: impl Fn(&str) -> Term,
) -> Option<Box<dyn Query>> {
    match tokens.as_slice() {
        [] => None,
        [(_, one)] => Some(term_query(term(one))),
        _ => {
            let terms = tokens.iter().map(|(p, t)| (*p, term(t))).collect();
            Some(Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)))
        }
    }
}

/// A JSON term with its path and nothing after.
fn json_term(field: Field, path: &str) -> Term {
    Term::from_field_json_path(field, path, false)
}

fn json_str_term(field: Field, path: &str, text: &str) -> Term {
    let mut term = json_term(field, path);
    term.append_type_and_str(text);
    term
}

/// The first term after every string term of a JSON path.
fn json_str_end(field: Field, path: &str) -> Term {
    let mut term = json_str_term(field, path, "");
    let bytes = term.serialized_value_bytes();
    let (len, code) = (bytes.len(), bytes[bytes.len() - 1]);
    term.truncate_value_bytes(len - 1);
    term.append_bytes(&[code + 1]);
    term
}

/// A regular expression over the string values of a JSON path.
fn json_regex(field: Field, path: &str, pattern: &str) -> Result<Box<dyn Query>> {
    let prefix = json_str_term(field, path, "");
    let mut full = String::new();
    String::from_utf8_lossy(prefix.serialized_value_bytes())
        .chars()
        .for_each(|c| push_regex_char(&mut full, c));
    full.push_str(&format!("(?:{pattern})"));
    RegexQuery::from_pattern(&full, field)
        .map(|q| Box::new(q) as Box<dyn Query>)
        .map_err(|e| Error::query(format!("invalid regular expression `{pattern}`: {e}"), None))
}

/// Every value at a JSON path or below it.
fn json_exists(field: Field, path: &str) -> Box<dyn Query> {
    // Terms of the path are `path\0<type><value>`, those of its children
    // `path\1child...`: all sort between `path\0` and `path\2`.
    let from = json_term(field, path);
    let mut to = from.clone();
    let len = to.serialized_value_bytes().len();
    to.truncate_value_bytes(len - 1);
    to.append_bytes(&[2]);
    Box::new(InvertedIndexRangeQuery::new(
        Bound::Included(from),
        Bound::Excluded(to),
    ))
}

/// A range over the typed terms of a JSON path. Both bounds must be given:
/// an open end would reach past the path's terms of that type.
fn json_typed_range<T: FastValue>(
    field: Field,
    path: &str,
    lower: Bound<T>,
    upper: Bound<T>,
) -> Box<dyn Query> {
    let term = |v: T| {
        let mut term = json_term(field, path);
        term.append_type_and_fast_value(v);
        term
    };
    Box::new(InvertedIndexRangeQuery::new(
        map_bound(lower, term),
        map_bound(upper, term),
    ))
}

/// Compiles one query string; holds what every leaf needs.
struct Compiler<'a> {
    fields: &'a Fields,
    source: &'a str,
    now: Timestamp,
    keyword: TextAnalyzer,
    text: TextAnalyzer,
}

impl Compiler<'_> {
    /// Where a column name (or value) appears in the query, for messages.
    fn position_of(&self, needle: &str) -> Option<usize> {
        (!needle.is_empty())
            .then(|| self.source.find(needle))
            .flatten()
    }

    fn error(&self, message: impl Into<String>, near: &str) -> Error {
        Error::query(message, self.position_of(near))
    }

    fn resolve(&self, name: &str) -> Result<Target> {
        resolve(self.fields, name).map_err(|m| self.error(m, name))
    }

    fn ast(&mut self, ast: UserInputAst) -> Result<Box<dyn Query>> {
        match ast {
            UserInputAst::Clause(clauses) => {
                let compiled = clauses
                    .into_iter()
                    .map(|(occur, sub)| Ok((occur, self.ast(sub)?)))
                    .collect::<Result<Vec<_>>>()?;
                Ok(combine(compiled))
            }
            UserInputAst::Boost(inner, _) => self.ast(*inner),
            UserInputAst::Leaf(leaf) => self.leaf(*leaf),
        }
    }

    fn leaf(&mut self, leaf: UserInputLeaf) -> Result<Box<dyn Query>> {
        match leaf {
            UserInputLeaf::All => Ok(Box::new(AllQuery)),
            UserInputLeaf::Literal(literal) => {
                let needle = Needle::from_literal(&literal);
                match &literal.field_name {
                    Some(name) => {
                        let target = self.resolve(name)?;
                        self.find(&target, &needle)
                    }
                    None => {
                        if literal.delimiter == Delimiter::None
                            && matches!(literal.phrase.as_str(), "AND" | "OR")
                        {
                            return Err(self.error(
                                format!(
                                    "`{}` needs a term on both sides; quote it to search the word: `\"{}\"`",
                                    literal.phrase, literal.phrase
                                ),
                                &literal.phrase,
                            ));
                        }
                        self.unfielded(&[needle])
                    }
                }
            }
            UserInputLeaf::Range {
                field,
                lower,
                upper,
            } => {
                let Some(name) = field else {
                    return Err(self.error(
                        "a range needs a column: `RemotePort:>=1024`, `Timestamp:[2026-01-01 TO 2026-02-01}`",
                        lower.term_str(),
                    ));
                };
                let target = self.resolve(&name)?;
                self.range(&target, user_bound(&lower), user_bound(&upper))
            }
            UserInputLeaf::Set { field, elements } => {
                let needles: Vec<Needle> = elements
                    .iter()
                    .map(|text| Needle::Exact { text, slop: 0 })
                    .collect();
                match field {
                    Some(name) => {
                        let target = self.resolve(&name)?;
                        let queries = needles
                            .iter()
                            .map(|needle| self.find(&target, needle))
                            .collect::<Result<_>>()?;
                        Ok(any(queries))
                    }
                    None => self.unfielded(&needles),
                }
            }
            UserInputLeaf::Exists { field } => {
                let target = self.resolve(&field)?;
                Ok(self.exists(&target))
            }
            UserInputLeaf::Regex { field, pattern } => {
                let needle = Needle::Regex(&pattern);
                match field {
                    Some(name) => {
                        let target = self.resolve(&name)?;
                        self.find(&target, &needle)
                    }
                    None => self.unfielded(&[needle]),
                }
            }
        }
    }

    /// Any of the needles in any text or keyword column.
    fn unfielded(&mut self, needles: &[Needle]) -> Result<Box<dyn Query>> {
        let mut queries = Vec::new();
        for (field, kind) in self.fields.columns.values() {
            let kind = match FieldKind::of(*kind) {
                Some(kind @ (FieldKind::Text | FieldKind::Keyword)) => kind,
                _ => continue,
            };
            for needle in needles {
                queries.extend(self.own(*field, kind, needle)?);
            }
        }
        Ok(any(queries))
    }

    /// A value in a column: its own field and where its misfits are, or a
    /// dynamic path.
    fn find(&mut self, target: &Target, needle: &Needle) -> Result<Box<dyn Query>> {
        match target {
            Target::Dynamic { path } => Ok(any(self.json(path, Stores::BOTH, needle)?)),
            Target::Own {
                name,
                field,
                kind,
                spill,
            } => {
                let own = self.own(*field, *kind, needle)?;
                match spill {
                    Some(path) => {
                        let mut queries: Vec<_> = own.into_iter().collect();
                        queries.extend(self.json(path, Stores::spill_of(*kind), needle)?);
                        Ok(any(queries))
                    }
                    None => own.ok_or_else(|| self.error(kind_hint(name, *kind), name)),
                }
            }
        }
    }

    /// A value in a field of its own; `None` when the value cannot be of
    /// the field's kind (text in an integer column, a wildcard on a date).
    fn own(
        &mut self,
        field: Field,
        kind: FieldKind,
        needle: &Needle,
    ) -> Result<Option<Box<dyn Query>>> {
        use FieldKind as K;
        let query = match (kind, needle) {
            (K::Keyword, Needle::Exact { text, .. }) => analyze(&mut self.keyword, text)
                .pop()
                .map(|(_, token)| term_query(Term::from_field_text(field, &token))),
            (K::Keyword, Needle::Pattern(p)) => Some(regex_query(field, &p.regex(Case::Lower))?),
            (K::Text, Needle::Exact { text, slop }) => {
                words_query(analyze(&mut self.text, text), *slop, |t| {
                    Term::from_field_text(field, t)
                })
            }
            (K::Text, Needle::Pattern(p)) => Some(self.text_pattern(field, p)?),
            (K::Exact { fold_case: false }, Needle::Exact { text, .. }) => {
                Some(term_query(Term::from_field_text(field, text)))
            }
            (K::Exact { fold_case: true }, Needle::Exact { text, .. }) => Some(regex_query(
                field,
                &Pattern::literal(text).regex(Case::Insensitive),
            )?),
            (K::Exact { fold_case }, Needle::Pattern(p)) => {
                let case = if fold_case {
                    Case::Insensitive
                } else {
                    Case::Exact
                };
                Some(regex_query(field, &p.regex(case))?)
            }
            (K::Keyword | K::Text | K::Exact { .. }, Needle::Regex(r)) => {
                Some(regex_query(field, r)?)
            }
            (K::Int, Needle::Exact { text, .. }) => text
                .trim()
                .parse::<i64>()
                .ok()
                .map(|n| term_query(Term::from_field_i64(field, n))),
            (K::Unsigned, Needle::Exact { text, .. }) => text
                .trim()
                .parse::<u64>()
                .ok()
                .map(|n| term_query(Term::from_field_u64(field, n))),
            (K::Bool, Needle::Exact { text, .. }) => {
                parse_bool(text).map(|b| term_query(Term::from_field_bool(field, b)))
            }
            (K::Date, Needle::Exact { text, .. }) => match parse_date_value(text, self.now) {
                Some(date) if date.relative => {
                    return Err(self.error(
                        format!(
                            "`{text}` is a time relative to now: compare with it, e.g. `{}:>{text}`",
                            self.fields.schema.get_field_name(field)
                        ),
                        text,
                    ));
                }
                Some(date) => Some(date_range(
                    field,
                    Bound::Included(date.start),
                    Bound::Excluded(date.end),
                )),
                None => None,
            },
            (K::Int | K::Unsigned | K::Bool | K::Date, _) => None,
        };
        Ok(query)
    }

    /// A wildcard pattern in a text field: one word, or words in sequence.
    fn text_pattern(&mut self, field: Field, pattern: &Pattern) -> Result<Box<dyn Query>> {
        let words = pattern.words();
        match words.as_slice() {
            [] => Ok(self.own_exists(field, FieldKind::Text)),
            [(_, word)] => regex_query(field, &word.regex(Case::Lower)),
            _ => {
                let terms = words
                    .iter()
                    .map(|(position, word)| (*position, word.regex(Case::Lower)))
                    .collect();
                Ok(Box::new(RegexPhraseQuery::new_with_offset(field, terms)))
            }
        }
    }

    /// A value under a JSON path: exact values (and the number, bool or date
    /// the text spells) in `_kw`, words in `_txt`.
    fn json(&mut self, path: &str, stores: Stores, needle: &Needle) -> Result<Vec<Box<dyn Query>>> {
        let (kw, txt) = (self.fields.kw, self.fields.txt);
        let mut queries = Vec::new();
        if stores.kw {
            match needle {
                Needle::Exact { text, .. } => {
                    if let Some((_, token)) = analyze(&mut self.keyword, text).pop() {
                        queries.push(term_query(json_str_term(kw, path, &token)));
                    }
                    let typed = convert_to_fast_value_and_append_to_json_term(
                        &json_term(kw, path),
                        text.trim(),
                        true,
                    );
                    queries.extend(typed.map(term_query));
                }
                Needle::Pattern(p) => queries.push(json_regex(kw, path, &p.regex(Case::Lower))?),
                Needle::Regex(r) => queries.push(json_regex(kw, path, r)?),
            }
        }
        if stores.txt {
            match needle {
                Needle::Exact { text, slop } => {
                    let tokens = analyze(&mut self.text, text);
                    queries.extend(words_query(tokens, *slop, |t| json_str_term(txt, path, t)));
                }
                Needle::Pattern(p) => {
                    // Several words are matched on the whole value in `_kw`.
                    if let [(_, word)] = p.words().as_slice() {
                        queries.push(json_regex(txt, path, &word.regex(Case::Lower))?);
                    }
                }
                Needle::Regex(r) => queries.push(json_regex(txt, path, r)?),
            }
        }
        Ok(queries)
    }

    /// `Column:*`
    fn exists(&self, target: &Target) -> Box<dyn Query> {
        let (kw, txt) = (self.fields.kw, self.fields.txt);
        match target {
            Target::Dynamic { path } => any(vec![json_exists(kw, path), json_exists(txt, path)]),
            Target::Own {
                field, kind, spill, ..
            } => {
                let mut queries = vec![self.own_exists(*field, *kind)];
                if let Some(path) = spill {
                    let stores = Stores::spill_of(*kind);
                    queries.extend(stores.kw.then(|| json_exists(kw, path)));
                    queries.extend(stores.txt.then(|| json_exists(txt, path)));
                }
                any(queries)
            }
        }
    }

    fn own_exists(&self, field: Field, kind: FieldKind) -> Box<dyn Query> {
        match kind {
            FieldKind::Text | FieldKind::Keyword | FieldKind::Exact { .. } => {
                Box::new(InvertedIndexRangeQuery::new(
                    Bound::Included(Term::from_field_text(field, "")),
                    Bound::Unbounded,
                ))
            }
            _ => Box::new(ExistsQuery::new(
                self.fields.schema.get_field_name(field).to_string(),
                false,
            )),
        }
    }

    fn range(
        &mut self,
        target: &Target,
        lower: Bound<&str>,
        upper: Bound<&str>,
    ) -> Result<Box<dyn Query>> {
        if lower == Bound::Unbounded && upper == Bound::Unbounded {
            return Ok(self.exists(target));
        }
        let (name, field, kind, spill) = match target {
            Target::Dynamic { path } => return Ok(self.json_range(path, lower, upper)),
            Target::Own {
                name,
                field,
                kind,
                spill,
            } => (name, *field, *kind, spill.as_deref()),
        };
        let hint = || self.error(kind_hint(name, kind), name);
        let own: Box<dyn Query> = match kind {
            FieldKind::Text | FieldKind::Bool => {
                return Err(self.error(
                    format!("a range cannot apply here: {}", kind_hint(name, kind)),
                    name,
                ));
            }
            FieldKind::Int => {
                let (l, u) = parse_bounds(lower, upper, |s| s.trim().parse::<i64>().ok())
                    .ok_or_else(hint)?;
                let term = |n| Term::from_field_i64(field, n);
                Box::new(RangeQuery::new(map_bound(l, term), map_bound(u, term)))
            }
            FieldKind::Unsigned => {
                let (l, u) = parse_bounds(lower, upper, |s| s.trim().parse::<u64>().ok())
                    .ok_or_else(hint)?;
                let term = |n| Term::from_field_u64(field, n);
                Box::new(RangeQuery::new(map_bound(l, term), map_bound(u, term)))
            }
            FieldKind::Date => {
                let (l, u) = parse_bounds(lower, upper, |s| parse_date_value(s, self.now))
                    .ok_or_else(hint)?;
                // A bound covers its whole span: `>2026-01-01` starts the next day.
                let l = match l {
                    Bound::Included(d) => Bound::Included(d.start),
                    Bound::Excluded(d) => Bound::Included(d.end),
                    Bound::Unbounded => Bound::Unbounded,
                };
                let u = match u {
                    Bound::Included(d) => Bound::Excluded(d.end),
                    Bound::Excluded(d) => Bound::Excluded(d.start),
                    Bound::Unbounded => Bound::Unbounded,
                };
                date_range(field, l, u)
            }
            FieldKind::Keyword => {
                let (l, u) = (
                    map_bound(lower, str::to_lowercase),
                    map_bound(upper, str::to_lowercase),
                );
                text_range(field, l, u)
            }
            FieldKind::Exact { .. } => text_range(
                field,
                map_bound(lower, String::from),
                map_bound(upper, String::from),
            ),
        };
        let spilled = match (spill, kind) {
            // Both parse: the integer bounds did.
            (Some(path), FieldKind::Int) => parse_bounds(lower, upper, Number::parse)
                .map(|(l, u)| any(self.json_numbers(path, l, u))),
            (Some(path), FieldKind::Keyword) => Some(self.json_text_range(path, lower, upper)),
            _ => None,
        };
        Ok(any(std::iter::once(own).chain(spilled).collect()))
    }

    /// A range over the values of a dynamic path: as numbers when both
    /// bounds are numbers, else as text (and as indexed JSON dates when both
    /// bounds are dates).
    fn json_range(&self, path: &str, lower: Bound<&str>, upper: Bound<&str>) -> Box<dyn Query> {
        if let Some((l, u)) = parse_bounds(lower, upper, Number::parse) {
            return any(self.json_numbers(path, l, u));
        }
        let text = self.json_text_range(path, lower, upper);
        any(std::iter::once(text)
            .chain(self.json_date_range(path, lower, upper))
            .collect())
    }

    /// Numbers under a JSON path in `_kw`: integers are indexed as i64 (u64
    /// above `i64::MAX`), other numbers as f64.
    fn json_numbers(
        &self,
        path: &str,
        lower: Bound<Number>,
        upper: Bound<Number>,
    ) -> Vec<Box<dyn Query>> {
        let kw = self.fields.kw;
        let mut queries = Vec::new();
        if let Some((from, to)) = int_span(lower, upper, i64::MIN.into(), i64::MAX.into()) {
            queries.push(json_typed_range(
                kw,
                path,
                Bound::Included(from as i64),
                Bound::Included(to as i64),
            ));
        }
        if let Some((from, to)) = int_span(lower, upper, 0, u64::MAX.into()) {
            queries.push(json_typed_range(
                kw,
                path,
                Bound::Included(from as u64),
                Bound::Included(to as u64),
            ));
        }
        let float = |bound: Bound<Number>, open: f64| match bound {
            Bound::Unbounded => Bound::Included(open),
            bound => map_bound(bound, |n| n.float),
        };
        queries.push(json_typed_range(
            kw,
            path,
            float(lower, f64::NEG_INFINITY),
            float(upper, f64::INFINITY),
        ));
        queries
    }

    /// Lower-cased strings under a JSON path in `_kw`.
    fn json_text_range(
        &self,
        path: &str,
        lower: Bound<&str>,
        upper: Bound<&str>,
    ) -> Box<dyn Query> {
        let kw = self.fields.kw;
        let term = |s: &str| json_str_term(kw, path, &s.to_lowercase());
        let lower = match lower {
            Bound::Unbounded => Bound::Included(json_str_term(kw, path, "")),
            bound => map_bound(bound, term),
        };
        let upper = match upper {
            Bound::Unbounded => Bound::Excluded(json_str_end(kw, path)),
            bound => map_bound(bound, term),
        };
        Box::new(InvertedIndexRangeQuery::new(lower, upper))
    }

    /// Dates the indexer typed as such under a JSON path (indexed to the
    /// second), if both bounds are absolute dates.
    fn json_date_range(
        &self,
        path: &str,
        lower: Bound<&str>,
        upper: Bound<&str>,
    ) -> Option<Box<dyn Query>> {
        let (l, u) = parse_bounds(lower, upper, |s| {
            parse_date_value(s, self.now).filter(|d| !d.relative)
        })?;
        let second = |t: Timestamp| tantivy_time(t).truncate(DateTimePrecision::Seconds);
        let from = match l {
            Bound::Included(d) => Bound::Included(second(d.start)),
            Bound::Excluded(d) => Bound::Included(second(d.end)),
            Bound::Unbounded => Bound::Included(DateTime::MIN),
        };
        let to = match u {
            Bound::Included(d) => Bound::Excluded(second(d.end)),
            Bound::Excluded(d) => Bound::Excluded(second(d.start)),
            Bound::Unbounded => Bound::Included(DateTime::MAX),
        };
        Some(json_typed_range(self.fields.kw, path, from, to))
    }
}

/// An instant as tantivy's date (nanoseconds in an i64: years 1677 to 2262;
/// instants outside are clamped).
fn tantivy_time(t: Timestamp) -> DateTime {
    let nanos = t.as_nanosecond().clamp(i64::MIN.into(), i64::MAX.into());
    DateTime::from_timestamp_nanos(nanos as i64)
}

fn date_range(field: Field, lower: Bound<Timestamp>, upper: Bound<Timestamp>) -> Box<dyn Query> {
    let term = |t| Term::from_field_date(field, tantivy_time(t));
    Box::new(RangeQuery::new(
        map_bound(lower, term),
        map_bound(upper, term),
    ))
}

fn text_range(field: Field, lower: Bound<String>, upper: Bound<String>) -> Box<dyn Query> {
    let term = |s: String| Term::from_field_text(field, &s);
    let lower = match lower {
        Bound::Unbounded => Bound::Included(term(String::new())),
        bound => map_bound(bound, term),
    };
    Box::new(InvertedIndexRangeQuery::new(lower, map_bound(upper, term)))
}

/// `_table` is one of the tables (canonical names where the catalog knows them).
fn table_filter(fields: &Fields, catalog: &Catalog, tables: &[String]) -> Option<Box<dyn Query>> {
    let queries: Vec<_> = tables
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| {
            let name = catalog.canonical_table(t).unwrap_or(t);
            term_query(Term::from_field_text(fields.table, name))
        })
        .collect();
    (!queries.is_empty()).then(|| any(queries))
}

/// `_time` in `[since, until)`.
fn time_filter(
    fields: &Fields,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> Option<Box<dyn Query>> {
    if since.is_none() && until.is_none() {
        return None;
    }
    Some(date_range(
        fields.time,
        since.map_or(Bound::Unbounded, Bound::Included),
        until.map_or(Bound::Unbounded, Bound::Excluded),
    ))
}

/// The fast field and order to sort by.
fn sort_key(fields: &Fields, sort: Option<&SortSpec>) -> Result<(String, Order)> {
    let Some(sort) = sort else {
        return Ok((fields::TIME.to_string(), Order::Desc));
    };
    let order = match sort.order {
        SortOrder::Asc => Order::Asc,
        SortOrder::Desc => Order::Desc,
    };
    Ok((fast_field(fields, &sort.field, "sort by")?, order))
}

/// The name of the fast field a column is sorted or counted by; `purpose`
/// ("sort by", "count by") words the error for other columns.
pub fn fast_field(fields: &Fields, column: &str, purpose: &str) -> Result<String> {
    match resolve(fields, column).map_err(|m| Error::query(m, None))? {
        Target::Own { name, field, .. } if fields.schema.get_field_entry(field).is_fast() => {
            Ok(name)
        }
        _ => Err(Error::query(
            format!(
                "cannot {purpose} `{column}`: use `_time`, `_offset`, `_table`, `_blob`, \
                 or an integer, date, bool or keyword column (not text or dynamic ones)"
            ),
            None,
        )),
    }
}

/// The fast-field columns of one segment that a hit is read from.
struct SegmentColumns {
    table: Option<StrColumn>,
    blob: Option<StrColumn>,
    time: Option<Column<DateTime>>,
    offset: Option<Column<u64>>,
}

/// Reads hits, opening each segment's columns once.
pub(crate) struct HitReader<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    segments: HashMap<u32, SegmentColumns>,
}

impl<'a> HitReader<'a> {
    pub(crate) fn new(searcher: &'a Searcher, fields: &'a Fields) -> Self {
        HitReader {
            searcher,
            fields,
            segments: HashMap::new(),
        }
    }

    pub(crate) fn read(&mut self, address: DocAddress) -> Result<Hit> {
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let raw = doc
            .get_first(self.fields.raw)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let columns = match self.segments.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let ff = self
                    .searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields();
                e.insert(SegmentColumns {
                    table: ff.str(fields::TABLE)?,
                    blob: ff.str(fields::BLOB)?,
                    time: ff.date(fields::TIME).ok(),
                    offset: ff.u64(fields::OFFSET).ok(),
                })
            }
        };
        let doc_id = address.doc_id;
        let text = |column: &Option<StrColumn>| -> Result<String> {
            let mut out = String::new();
            if let Some(column) = column
                && let Some(ord) = column.ords().first(doc_id)
            {
                column
                    .ord_to_str(ord, &mut out)
                    .map_err(|e| Error::Index(format!("reading a fast field: {e}")))?;
            }
            Ok(out)
        };
        Ok(Hit {
            table: text(&columns.table)?,
            blob: text(&columns.blob)?,
            time: columns
                .time
                .as_ref()
                .and_then(|c| c.first(doc_id))
                .map(timefmt::from_tantivy),
            offset: columns
                .offset
                .as_ref()
                .and_then(|c| c.first(doc_id))
                .unwrap_or_default(),
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;
    use tantivy::IndexWriter;
    use tantivy::schema::OwnedValue;

    use super::*;

    /// One record to index: its table, event time, values of columns with a
    /// field of their own (each fitting its kind), and what the indexer puts
    /// in `_kw`/`_txt` (dynamic columns, unknown columns, misfits).
    struct Rec {
        table: &'static str,
        time: &'static str,
        columns: Vec<(&'static str, &'static str)>,
        dynamic: serde_json::Value,
    }

    fn rec(
        table: &'static str,
        time: &'static str,
        columns: &[(&'static str, &'static str)],
        dynamic: serde_json::Value,
    ) -> Rec {
        Rec {
            table,
            time,
            columns: columns.to_vec(),
            dynamic,
        }
    }

    /// A JSON value as the JSON fields get it (`_txt`: strings only).
    fn owned(value: &serde_json::Value, strings_only: bool) -> Option<OwnedValue> {
        use serde_json::Value as J;
        match value {
            J::Null => None,
            J::String(s) => Some(OwnedValue::Str(s.clone())),
            _ if strings_only && !value.is_array() && !value.is_object() => None,
            J::Bool(b) => Some(OwnedValue::Bool(*b)),
            J::Number(n) => Some(match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => OwnedValue::I64(i),
                (None, Some(u)) => OwnedValue::U64(u),
                _ => OwnedValue::F64(n.as_f64()?),
            }),
            J::Array(items) => Some(OwnedValue::Array(
                items
                    .iter()
                    .filter_map(|v| owned(v, strings_only))
                    .collect(),
            )),
            J::Object(map) => Some(OwnedValue::Object(
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), owned(v, strings_only)?)))
                    .collect(),
            )),
        }
    }

    fn object(value: &serde_json::Value, strings_only: bool) -> BTreeMap<String, OwnedValue> {
        match owned(value, strings_only) {
            Some(OwnedValue::Object(members)) => members.into_iter().collect(),
            _ => BTreeMap::new(),
        }
    }

    fn raw_of(r: &Rec) -> String {
        let mut properties = serde_json::Map::new();
        properties.insert("Timestamp".into(), json!(r.time));
        for (name, value) in &r.columns {
            properties.insert((*name).into(), json!(value));
        }
        if let serde_json::Value::Object(map) = &r.dynamic {
            properties.extend(map.clone());
        }
        json!({
            "time": r.time,
            "category": format!("AdvancedHunting-{}", r.table),
            "properties": properties,
        })
        .to_string()
    }

    fn archive(records: &[Rec]) -> (tempfile::TempDir, Archive) {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open_or_create(dir.path(), &Catalog::embedded()).unwrap();
        let f = &archive.fields;
        let mut writer: IndexWriter<TantivyDocument> = archive.index.writer(50_000_000).unwrap();
        for (i, r) in records.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            let time = timefmt::parse_export_time(r.time).unwrap();
            doc.add_text(f.table, r.table);
            doc.add_date(f.time, timefmt::to_tantivy(time));
            doc.add_text(f.id, format!("id-{i}"));
            doc.add_text(
                f.blob,
                format!(
                    "insights-logs-advancedhunting-{}/PT1H.json",
                    r.table.to_lowercase()
                ),
            );
            doc.add_u64(f.offset, i as u64 * 100);
            doc.add_text(f.raw, raw_of(r));
            let (timestamp, _) = f.column("Timestamp").unwrap();
            doc.add_date(timestamp, timefmt::to_tantivy(time));
            for (name, value) in &r.columns {
                let (field, kind) = f.column(name).unwrap();
                match kind {
                    Kind::Text | Kind::Keyword => doc.add_text(field, value),
                    Kind::Int => doc.add_i64(field, value.parse().unwrap()),
                    Kind::Date => doc.add_date(
                        field,
                        timefmt::to_tantivy(timefmt::parse_export_time(value).unwrap()),
                    ),
                    Kind::Bool => doc.add_bool(field, parse_bool(value).unwrap()),
                    Kind::Dynamic => unreachable!("{name} has no field"),
                }
            }
            doc.add_object(f.kw, object(&r.dynamic, false));
            doc.add_object(f.txt, object(&r.dynamic, true));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (dir, archive)
    }

    fn records() -> Vec<Rec> {
        vec![
            // 0
            rec(
                "DeviceProcessEvents",
                "2026-01-01T08:00:00.123456Z",
                &[
                    ("DeviceName", "wks-01"),
                    ("FileName", "powershell.exe"),
                    (
                        "ProcessCommandLine",
                        "powershell.exe -EncodedCommand JABzAG -NoProfile",
                    ),
                    ("ReportId", "8132"),
                ],
                json!({"AdditionalFields": {"FileType": "Unknown", "FROM.DEVICE": "X1"}}),
            ),
            // 1
            rec(
                "DeviceProcessEvents",
                "2026-01-01T23:59:59.9999999Z",
                &[
                    ("DeviceName", "wks-011"),
                    ("FileName", "mimikatz.exe"),
                    ("ProcessCommandLine", "mimikatz.exe privilege::debug"),
                ],
                json!({"AdditionalFields": {"FROM": {"DEVICE": "nested"}, "PosixUserId": 503}}),
            ),
            // 2
            rec(
                "DeviceNetworkEvents",
                "2026-01-02T10:00:00Z",
                &[
                    ("DeviceName", "WKS-02"),
                    ("RemotePort", "443"),
                    ("RemoteIP", "10.0.0.1"),
                    ("ActionType", "ConnectionSuccess"),
                ],
                json!({"AdditionalFields": {"PosixUserId": 12, "Description": "Outbound Tunnel to proxy"}}),
            ),
            // 3
            rec(
                "DeviceNetworkEvents",
                "2026-01-03T00:00:00Z",
                &[
                    ("DeviceName", "wks-03"),
                    ("RemotePort", "8080"),
                    ("FileName", "cmd1.exe"),
                ],
                json!({"AdditionalFields": {"Ratio": 1.5}}),
            ),
            // 4: a RemotePort that is not a number, and a column no schema knows
            rec(
                "DeviceNetworkEvents",
                "2026-01-04T00:00:00Z",
                &[("DeviceName", "wks-04")],
                json!({"RemotePort": "abc", "BrandNewColumn": "Shiny Value", "Big": 18446744073709551615_u64}),
            ),
            // 5
            rec(
                "EmailEvents",
                "2026-01-05T12:00:00Z",
                &[
                    ("ReportId", "3c7b9f1e-4061291175951672650-1"),
                    ("Subject", "Invoice: \"Q1\", overdue"),
                    ("SenderFromAddress", "Billing@Example.com"),
                ],
                json!({"To": ["a@example.com", "B@example.com"]}),
            ),
        ]
    }

    fn request(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            tables: Vec::new(),
            since: None,
            until: None,
            limit: 100,
            sort: None,
            count_only: false,
        }
    }

    /// A fixed "now" for relative times: 2026-01-06T00:00:00Z.
    fn now() -> Timestamp {
        "2026-01-06T00:00:00Z".parse().unwrap()
    }

    /// The indices (offset / 100) of the records a query finds, ascending.
    fn found(archive: &Archive, query: &str) -> Vec<u64> {
        let compiled = compile_at(archive, query, now()).unwrap_or_else(|e| panic!("{query}: {e}"));
        let reader = archive.index.reader().unwrap();
        let searcher = reader.searcher();
        let top = TopDocs::with_limit(100)
            .order_by((SortByErasedType::for_field(fields::OFFSET), Order::Asc));
        let docs = searcher.search(&compiled, &top).unwrap();
        let mut hit_reader = HitReader::new(&searcher, &archive.fields);
        docs.into_iter()
            .map(|(_, address)| hit_reader.read(address).unwrap().offset / 100)
            .collect()
    }

    fn query_error(archive: &Archive, query: &str) -> (String, Option<usize>) {
        match compile_at(archive, query, now()) {
            Err(e @ Error::Query { .. }) => {
                assert_eq!(e.exit_code(), 2);
                let Error::Query { message, position } = e else {
                    unreachable!()
                };
                (message, position)
            }
            Err(e) => panic!("{query}: not a query error: {e}"),
            Ok(_) => panic!("{query}: compiled"),
        }
    }

    #[test]
    fn everything_and_nothing() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "*").len(), 6);
        assert_eq!(found(&a, "").len(), 6);
        assert_eq!(found(&a, "   ").len(), 6);
        assert_eq!(found(&a, "DeviceName:nope"), Vec::<u64>::new());
    }

    #[test]
    fn keywords_are_exact_and_case_insensitive() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "DeviceName:WKS-01"), [0]);
        assert_eq!(found(&a, "DeviceName:wks-02"), [2]);
        assert_eq!(
            found(&a, "devicename:\"wks-011\""),
            [1],
            "column names fold case"
        );
        assert_eq!(found(&a, "DeviceName:wks"), Vec::<u64>::new());
        assert_eq!(found(&a, "RemoteIP:10.0.0.1"), [2]);
        assert_eq!(found(&a, "SenderFromAddress:billing@example.com"), [5]);
    }

    #[test]
    fn report_ids_of_both_kinds() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "ReportId:8132"), [0]);
        assert_eq!(found(&a, "ReportId:3c7b9f1e-4061291175951672650-1"), [5]);
        assert_eq!(
            found(&a, "ReportId:IN [8132 3C7B9F1E-4061291175951672650-1]"),
            [0, 5]
        );
    }

    #[test]
    fn text_words_and_phrases() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "ProcessCommandLine:encodedcommand"), [0]);
        assert_eq!(
            found(&a, "ProcessCommandLine:\"-EncodedCommand JABzAG\""),
            [0]
        );
        assert_eq!(
            found(&a, "ProcessCommandLine:\"jabzag encodedcommand\""),
            Vec::<u64>::new()
        );
        assert_eq!(
            found(&a, "ProcessCommandLine:\"encodedcommand noprofile\"~1"),
            [0]
        );
        assert_eq!(found(&a, "ProcessCommandLine:privilege\\:\\:debug"), [1]);
        assert_eq!(found(&a, "Subject:\"q1 overdue\""), [5]);
    }

    #[test]
    fn wildcards_and_regexes() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "FileName:power*"), [0]);
        assert_eq!(found(&a, "FileName:POWER*"), [0]);
        assert_eq!(found(&a, "FileName:cmd?.exe"), [3]);
        assert_eq!(
            found(&a, "*mimi*"),
            [1],
            "unfielded: keyword and text columns"
        );
        assert_eq!(found(&a, "ProcessCommandLine:*mimi*"), [1]);
        assert_eq!(
            found(&a, "ProcessCommandLine:*.exe"),
            [0, 1],
            "a word after any word"
        );
        assert_eq!(
            found(&a, "ProcessCommandLine:encoded*jab*"),
            Vec::<u64>::new(),
            "one word"
        );
        assert_eq!(
            found(&a, "ProcessCommandLine:-encoded*\\ jab*"),
            [0],
            "word patterns in sequence"
        );
        assert_eq!(found(&a, "FileName:/(power|mimi).*/"), [0, 1]);
        assert_eq!(found(&a, "FileName:\"power\"*"), [0], "a quoted prefix");
        assert_eq!(
            found(&a, "DeviceName:\"wks-0*\""),
            Vec::<u64>::new(),
            "quoted: `*` is a character"
        );
        assert_eq!(found(&a, "AdditionalFields.FileType:unk*"), [0]);
    }

    #[test]
    fn boolean_operators() {
        let (_dir, a) = archive(&records());
        assert_eq!(
            found(&a, "DeviceName:wks-01 AND FileName:powershell.exe"),
            [0]
        );
        assert_eq!(
            found(&a, "DeviceName:wks-01 FileName:mimikatz.exe"),
            Vec::<u64>::new(),
            "default AND"
        );
        assert_eq!(found(&a, "DeviceName:wks-01 OR DeviceName:wks-02"), [0, 2]);
        assert_eq!(found(&a, "NOT _table:DeviceNetworkEvents"), [0, 1, 5]);
        assert_eq!(
            found(&a, "-_table:DeviceNetworkEvents -_table:EmailEvents"),
            [0, 1]
        );
        assert_eq!(
            found(
                &a,
                "(DeviceName:wks-01 OR DeviceName:wks-03) -FileName:cmd1.exe"
            ),
            [0]
        );
        assert_eq!(
            found(&a, "+_table:DeviceNetworkEvents +RemotePort:443"),
            [2]
        );
        assert_eq!(
            found(
                &a,
                "DeviceName:wks-01 OR DeviceName:wks-02 _table:DeviceNetworkEvents"
            ),
            [2],
            "OR-ed terms form one required alternative"
        );
        assert_eq!(
            found(
                &a,
                "DeviceName:wks-01 AND FileName:powershell.exe OR DeviceName:wks-03"
            ),
            [0, 3]
        );
        assert_eq!(found(&a, "DeviceName:(wks-01 OR wks-011)"), [0, 1]);
        assert_eq!(found(&a, "DeviceName:wks-01^3"), [0], "boosts are ignored");
    }

    #[test]
    fn integer_columns() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "RemotePort:443"), [2]);
        assert_eq!(found(&a, "RemotePort:>=1024"), [3]);
        assert_eq!(found(&a, "RemotePort:<1024"), [2]);
        assert_eq!(found(&a, "RemotePort:[1 TO 1023]"), [2]);
        assert_eq!(found(&a, "RemotePort:{443 TO 8080]"), [3]);
        assert_eq!(found(&a, "RemotePort:IN [80 443 8080]"), [2, 3]);
        assert_eq!(
            found(&a, "RemotePort:*"),
            [2, 3, 4],
            "a misfit value counts as present"
        );
    }

    #[test]
    fn misfits_are_found_under_their_column() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "RemotePort:abc"), [4]);
        assert_eq!(found(&a, "RemotePort:ABC"), [4]);
        assert_eq!(
            found(&a, "BrandNewColumn:\"shiny value\""),
            [4],
            "unknown column, keyword"
        );
        assert_eq!(
            found(&a, "BrandNewColumn:shiny"),
            [4],
            "unknown column, words"
        );
    }

    #[test]
    fn dates_and_event_time() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "Timestamp:2026-01-01"), [0, 1], "a whole day");
        assert_eq!(found(&a, "Timestamp:[2026-01-01 TO 2026-01-02]"), [0, 1, 2]);
        assert_eq!(found(&a, "Timestamp:[2026-01-01 TO 2026-01-02}"), [0, 1]);
        assert_eq!(
            found(&a, "Timestamp:>2026-01-02"),
            [3, 4, 5],
            "after that day"
        );
        assert_eq!(found(&a, "_time:>=2026-01-02T10:00:00Z"), [2, 3, 4, 5]);
        assert_eq!(found(&a, "_time:>2026-01-02T10:00:00Z"), [3, 4, 5]);
        assert_eq!(found(&a, "_time:\"2026-01-01T08:00:00.123456Z\""), [0]);
        assert_eq!(
            found(&a, "_time:\"2026-01-01T08:00:00Z\""),
            [0],
            "that second"
        );
        assert_eq!(found(&a, "_time:\"2026-01-01T08:00\""), [0], "that minute");
        assert_eq!(found(&a, "_time:\"2026-01-01T08:00:00.12Z\""), [0]);
        assert_eq!(
            found(&a, "_time:\"2026-01-01T08:00:00.13Z\""),
            Vec::<u64>::new()
        );
        assert_eq!(found(&a, "_time:>=2d"), [4, 5], "relative to now");
        assert_eq!(found(&a, "_time:>2d"), [5], "strictly after that instant");
        assert_eq!(found(&a, "Timestamp:[* TO 4d}"), [0, 1]);
    }

    #[test]
    fn dynamic_paths() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "AdditionalFields.FileType:unknown"), [0]);
        assert_eq!(
            found(&a, "AdditionalFields.FROM\\.DEVICE:x1"),
            [0],
            "a key holding a dot"
        );
        assert_eq!(
            found(&a, "AdditionalFields.FROM.DEVICE:nested"),
            [1],
            "nested keys"
        );
        assert_eq!(
            found(&a, "AdditionalFields.FROM.DEVICE:x1"),
            Vec::<u64>::new()
        );
        assert_eq!(found(&a, "AdditionalFields.PosixUserId:503"), [1]);
        assert_eq!(found(&a, "AdditionalFields.PosixUserId:>100"), [1]);
        assert_eq!(found(&a, "AdditionalFields.PosixUserId:[1 TO 503}"), [2]);
        assert_eq!(found(&a, "AdditionalFields.Description:tunnel"), [2]);
        assert_eq!(
            found(&a, "AdditionalFields.Description:\"tunnel to proxy\""),
            [2]
        );
        assert_eq!(found(&a, "AdditionalFields.FileType:*"), [0]);
        assert_eq!(
            found(&a, "AdditionalFields:*"),
            [0, 1, 2, 3],
            "any key below"
        );
        assert_eq!(found(&a, "AdditionalFields.Ratio:1.5"), [3]);
        assert_eq!(found(&a, "AdditionalFields.Ratio:[1.5 TO 2]"), [3]);
        assert_eq!(found(&a, "AdditionalFields.Ratio:>1.5"), Vec::<u64>::new());
        assert_eq!(found(&a, "AdditionalFields.Ratio:<2"), [3]);
        assert_eq!(found(&a, "Big:18446744073709551615"), [4], "beyond i64");
        assert_eq!(found(&a, "Big:>9223372036854775807"), [4]);
        assert_eq!(found(&a, "Big:<0"), Vec::<u64>::new());
        assert_eq!(found(&a, "To:b@example.com"), [5], "array elements");
        assert_eq!(
            found(&a, "additionalfields.FileType:unknown"),
            Vec::<u64>::new(),
            "paths keep case"
        );
    }

    #[test]
    fn archive_fields() {
        let (_dir, a) = archive(&records());
        assert_eq!(found(&a, "_table:deviceprocessevents"), [0, 1]);
        assert_eq!(found(&a, "_table:Device*Events"), [0, 1, 2, 3, 4]);
        assert_eq!(found(&a, "_offset:200"), [2]);
        assert_eq!(found(&a, "_offset:[100 TO 300}"), [1, 2]);
        assert_eq!(found(&a, "_id:id-3"), [3]);
        assert_eq!(
            found(
                &a,
                "_blob:insights-logs-advancedhunting-emailevents/PT1H.json"
            ),
            [5]
        );
    }

    #[test]
    fn syntax_and_meaning_errors() {
        let (_dir, a) = archive(&records());
        let (message, position) = query_error(&a, "DeviceName:(wks-01 OR wks-02");
        assert!(message.contains("`(`"), "{message}");
        assert_eq!(position, Some(28));
        let (message, position) = query_error(&a, "Timestamp:2026-01-01T10:00:00Z");
        assert!(message.contains("quoted"), "{message}");
        assert!(position.is_some());
        let (message, _) = query_error(&a, "DeviceName:\"wks");
        assert!(message.contains("not closed"), "{message}");
        let (message, _) = query_error(&a, "RemotePort:[1 TO");
        assert!(!message.is_empty());
        let (message, position) = query_error(&a, "FileName:x AND ProcessCommandLine:[a TO b]");
        assert!(
            message.contains("ProcessCommandLine is a text column"),
            "{message}"
        );
        assert_eq!(position, Some(15));
        let (message, _) = query_error(&a, "_time:yesterday");
        assert!(message.contains("_time is a date column"), "{message}");
        let (message, _) = query_error(&a, "RemotePort:>=high");
        assert!(
            message.contains("RemotePort is an integer column: `RemotePort:443`"),
            "{message}"
        );
        let (message, _) = query_error(&a, "Timestamp:7d");
        assert!(message.contains("Timestamp:>7d"), "{message}");
        let (message, _) = query_error(&a, "mimikatz AND");
        assert!(message.contains("both sides"), "{message}");
        let (message, _) = query_error(&a, ">5");
        assert!(message.contains("needs a column"), "{message}");
        let (message, _) = query_error(&a, "FileName:/(unclosed/");
        assert!(message.contains("regular expression"), "{message}");
        let (message, _) = query_error(&a, "_raw:x");
        assert!(message.contains("cannot be searched"), "{message}");
    }

    #[test]
    fn search_reads_hits_newest_first() {
        let records = records();
        let (_dir, a) = archive(&records);
        let result = search(&a, &Catalog::embedded(), &request("DeviceName:wks-0*")).unwrap();
        assert_eq!(result.total, 5);
        let offsets: Vec<u64> = result.hits.iter().map(|h| h.offset).collect();
        assert_eq!(offsets, [400, 300, 200, 100, 0]);
        let hit = &result.hits[4];
        assert_eq!(hit.table, "DeviceProcessEvents");
        assert_eq!(
            hit.time,
            Some("2026-01-01T08:00:00.123456Z".parse().unwrap())
        );
        assert_eq!(
            hit.blob,
            "insights-logs-advancedhunting-deviceprocessevents/PT1H.json"
        );
        assert_eq!(hit.raw, raw_of(&records[0]));
    }

    #[test]
    fn filters_limit_and_count() {
        let (_dir, a) = archive(&records());
        let catalog = Catalog::embedded();
        let mut req = request("*");
        req.tables = vec!["devicenetworkevents".into(), "EMAILEVENTS".into()];
        assert_eq!(search(&a, &catalog, &req).unwrap().total, 4);
        req.tables = vec!["nosuchtable".into()];
        assert_eq!(search(&a, &catalog, &req).unwrap().total, 0);

        let mut req = request("*");
        req.since = Some("2026-01-02T10:00:00Z".parse().unwrap());
        req.until = Some("2026-01-04T00:00:00Z".parse().unwrap());
        let result = search(&a, &catalog, &req).unwrap();
        assert_eq!(
            result.hits.iter().map(|h| h.offset).collect::<Vec<_>>(),
            [300, 200]
        );

        let mut req = request("*");
        req.limit = usize::MAX;
        assert_eq!(search(&a, &catalog, &req).unwrap().hits.len(), 6);

        let mut req = request("_table:DeviceNetworkEvents");
        req.limit = 1;
        let result = search(&a, &catalog, &req).unwrap();
        assert_eq!((result.total, result.hits.len()), (3, 1));
        req.count_only = true;
        let result = search(&a, &catalog, &req).unwrap();
        assert_eq!((result.total, result.hits.len()), (3, 0));
    }

    #[test]
    fn sorting() {
        let (_dir, a) = archive(&records());
        let catalog = Catalog::embedded();
        let order = |sort: &str| -> Vec<u64> {
            let mut req = request("*");
            req.sort = Some(SortSpec::parse(sort).unwrap());
            let result = search(&a, &catalog, &req).unwrap();
            result.hits.iter().map(|h| h.offset / 100).collect()
        };
        assert_eq!(order("_time"), [0, 1, 2, 3, 4, 5]);
        assert_eq!(order("_time:desc"), [5, 4, 3, 2, 1, 0]);
        assert_eq!(order("Timestamp:ASC"), [0, 1, 2, 3, 4, 5]);
        assert_eq!(order("_offset:desc"), [5, 4, 3, 2, 1, 0]);
        // Keyword fast fields keep case: "WKS-02" sorts before the lower-case names.
        assert_eq!(
            &order("DeviceName")[..5],
            [2, 0, 1, 3, 4],
            "records without a value last"
        );
        assert_eq!(&order("devicename:desc")[..5], [4, 3, 1, 0, 2]);
        assert_eq!(order("RemotePort:desc")[..2], [3, 2]);
        assert_eq!(order("_table")[..3], [2, 3, 4]);

        let mut req = request("*");
        req.sort = Some(SortSpec::parse("ProcessCommandLine").unwrap());
        let err = search(&a, &catalog, &req).unwrap_err();
        assert!(matches!(err, Error::Query { .. }) && err.to_string().contains("cannot sort"));
        assert!(SortSpec::parse("_time:sideways").is_err());
        assert!(SortSpec::parse(":desc").is_err());
    }

    #[test]
    fn sorting_on_columns_no_record_has() {
        let (_dir, a) = archive(&records());
        let catalog = Catalog::embedded();
        for sort in ["AccountName", "LogonId:desc", "IsLocalAdmin", "time"] {
            let mut req = request("*");
            req.sort = Some(SortSpec::parse(sort).unwrap());
            let result = search(&a, &catalog, &req).unwrap_or_else(|e| panic!("{sort}: {e}"));
            assert_eq!(result.hits.len(), 6, "{sort}");
        }
        let (_dir, empty) = archive(&[]);
        let result = search(&empty, &catalog, &request("DeviceName:x")).unwrap();
        assert_eq!((result.total, result.hits.len()), (0, 0));
    }

    #[test]
    fn patterns_split_into_words_like_the_text_analyzer() {
        let words = |text: &str| -> Vec<(usize, String)> {
            Pattern::wildcard(text)
                .unwrap()
                .words()
                .iter()
                .map(|(p, w)| (*p, w.regex(Case::Lower)))
                .collect()
        };
        assert_eq!(words("*.ps1"), [(0, "ps1".to_string())]);
        assert_eq!(
            words("Invoke-*-Mimi*"),
            [(0, "invoke".into()), (2, "mimi(?s:.*)".into())]
        );
        assert!(words("*").is_empty());
        assert_eq!(Pattern::literal("a.b").regex(Case::Exact), "a\\x{2e}b");
    }

    #[test]
    fn date_values_cover_what_they_name() {
        let span = |text: &str| {
            let d = parse_date_value(text, now()).unwrap();
            d.end.duration_since(d.start)
        };
        assert_eq!(span("2026-01-01"), SignedDuration::from_hours(24));
        assert_eq!(span("2026-01-01T10:00"), SignedDuration::from_mins(1));
        assert_eq!(span("2026-01-01T10:00:00Z"), SignedDuration::from_secs(1));
        assert_eq!(
            span("2026-01-01T10:00:00.5+02:00"),
            SignedDuration::from_millis(100)
        );
        assert_eq!(
            span("2026-01-01T10:00:00.1234567"),
            SignedDuration::from_nanos(100)
        );
        assert!(parse_date_value("7d", now()).unwrap().relative);
        assert!(parse_date_value("soon", now()).is_none());
    }
}
