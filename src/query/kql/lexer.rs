//! KQL text → tokens, each with the byte position it starts at (turned into
//! `line:column` for messages by [`line_col`]).
//!
//! Handles `//` comments, single- and double-quoted strings with `\`
//! escapes, verbatim strings (`@"C:\path"`), integers, reals, timespan
//! literals (`7d`, `1h`, `30m`, `10s`, `100ms`), `datetime(…)` whose
//! content is taken as written, hyphenated operator names
//! (`project-away`), and the negated operators (`!has`, `!in~`, …).

use crate::error::{Error, Result};

/// Nanoseconds in each timespan unit the lexer accepts.
const SPAN_UNITS: &[(&str, i64)] = &[
    ("d", 86_400_000_000_000),
    ("day", 86_400_000_000_000),
    ("days", 86_400_000_000_000),
    ("h", 3_600_000_000_000),
    ("hr", 3_600_000_000_000),
    ("hrs", 3_600_000_000_000),
    ("hour", 3_600_000_000_000),
    ("hours", 3_600_000_000_000),
    ("m", 60_000_000_000),
    ("min", 60_000_000_000),
    ("minute", 60_000_000_000),
    ("minutes", 60_000_000_000),
    ("s", 1_000_000_000),
    ("sec", 1_000_000_000),
    ("second", 1_000_000_000),
    ("seconds", 1_000_000_000),
    ("ms", 1_000_000),
    ("millisecond", 1_000_000),
    ("milliseconds", 1_000_000),
    ("microsecond", 1_000),
    ("microseconds", 1_000),
    ("tick", 100),
    ("ticks", 100),
];

/// Operator names written with a hyphen.
const HYPHENATED: &[&str] = &[
    "project-away",
    "project-rename",
    "project-keep",
    "project-reorder",
    "mv-expand",
    "mv-apply",
    "make-series",
    "make-graph",
    "graph-match",
    "graph-merge",
    "graph-to-table",
];

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name, keyword or operator word (`where`, `DeviceName`, `!has`, `in~`).
    Ident(String),
    Str(String),
    Long(i64),
    Real(f64),
    /// A timespan literal, in nanoseconds.
    Span(i64),
    /// The text inside `datetime(…)`.
    Date(String),
    /// Punctuation: `|`, `(`, `)`, `,`, `;`, `=`, `==`, `!=`, `=~`, `!~`, `<`,
    /// `<=`, `>`, `>=`, `+`, `-`, `*`, `/`, `%`, `.`, `[`, `]`, `:`, `{`, `}`.
    Punct(&'static str),
    Eof,
}

/// A token and where it starts (byte offset in the query text).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: usize,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = &src[..pos];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// A query error at a byte offset, with `line:column` in the message.
pub fn error_at(src: &str, pos: usize, message: impl std::fmt::Display) -> Error {
    let (line, col) = line_col(src, pos);
    Error::query(format!("{message} (at {line}:{col})"), Some(pos))
}

const PUNCTS: &[&str] = &[
    "==", "!=", "=~", "!~", "<=", ">=", "|", "(", ")", ",", ";", "=", "<", ">", "+", "-", "*", "/",
    "%", ".", "[", "]", ":", "{", "}",
];

/// Splits a query into tokens; the last is [`Tok::Eof`].
pub fn tokenize(src: &str) -> Result<Vec<Token>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if src[i..].starts_with("//") {
            i = src[i..].find('\n').map_or(bytes.len(), |n| i + n);
            continue;
        }
        let start = i;
        if c == b'@' && matches!(bytes.get(i + 1), Some(b'"' | b'\'')) {
            let (text, end) = verbatim(src, i + 1)?;
            out.push(Token {
                tok: Tok::Str(text),
                pos: start,
            });
            i = end;
            continue;
        }
        if c == b'"' || c == b'\'' {
            let (text, end) = quoted(src, i)?;
            out.push(Token {
                tok: Tok::Str(text),
                pos: start,
            });
            i = end;
            continue;
        }
        if c.is_ascii_digit() {
            let (tok, end) = number(src, i)?;
            out.push(Token { tok, pos: start });
            i = end;
            continue;
        }
        if c == b'!' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic()) {
            let end = word_end(src, i + 1);
            let mut word = format!("!{}", &src[i + 1..end]);
            let mut end = end;
            if word == "!in" && bytes.get(end) == Some(&b'~') {
                word.push('~');
                end += 1;
            }
            out.push(Token {
                tok: Tok::Ident(word),
                pos: start,
            });
            i = end;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let mut end = word_end(src, i);
            let mut word = src[i..end].to_string();
            if bytes.get(end) == Some(&b'-') {
                let next_end = word_end(src, end + 1);
                let joined = format!("{word}-{}", &src[end + 1..next_end]);
                if HYPHENATED.contains(&joined.to_ascii_lowercase().as_str()) {
                    word = joined;
                    end = next_end;
                }
            }
            if word == "in" && bytes.get(end) == Some(&b'~') {
                word.push('~');
                end += 1;
            }
            if word == "datetime" {
                let rest = &src[end..];
                let open = rest.len() - rest.trim_start().len();
                if rest[open..].starts_with('(') {
                    let inner_start = end + open + 1;
                    let close = src[inner_start..]
                        .find(')')
                        .ok_or_else(|| error_at(src, start, "`datetime(` is not closed"))?;
                    out.push(Token {
                        tok: Tok::Date(src[inner_start..inner_start + close].trim().to_string()),
                        pos: start,
                    });
                    i = inner_start + close + 1;
                    continue;
                }
            }
            out.push(Token {
                tok: Tok::Ident(word),
                pos: start,
            });
            i = end;
            continue;
        }
        match PUNCTS.iter().find(|p| src[i..].starts_with(**p)) {
            Some(p) => {
                out.push(Token {
                    tok: Tok::Punct(p),
                    pos: start,
                });
                i += p.len();
            }
            None => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err(error_at(src, start, format!("unexpected character `{ch}`")));
            }
        }
    }
    out.push(Token {
        tok: Tok::Eof,
        pos: src.len(),
    });
    Ok(out)
}

fn word_end(src: &str, from: usize) -> usize {
    src[from..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .map_or(src.len(), |n| from + n)
}

/// A quoted string starting at `start` (the quote); returns the text and
/// the offset after the closing quote.
fn quoted(src: &str, start: usize) -> Result<(String, usize)> {
    let quote = src.as_bytes()[start] as char;
    let mut text = String::new();
    let mut chars = src[start + 1..].char_indices();
    while let Some((n, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((_, e)) = chars.next() else { break };
                text.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    other => other,
                });
            }
            c if c == quote => return Ok((text, start + 1 + n + 1)),
            '\n' => break,
            c => text.push(c),
        }
    }
    Err(error_at(
        src,
        start,
        format!("a string is not closed: add the matching {quote}"),
    ))
}

/// A verbatim string (`@"…"`, no escapes, `""` for a quote) whose quote is at `start`.
fn verbatim(src: &str, start: usize) -> Result<(String, usize)> {
    let quote = src.as_bytes()[start] as char;
    let mut text = String::new();
    let mut chars = src[start + 1..].char_indices().peekable();
    while let Some((n, c)) = chars.next() {
        if c == quote {
            if chars.peek().map(|(_, c)| *c) == Some(quote) {
                chars.next();
                text.push(quote);
                continue;
            }
            return Ok((text, start + 1 + n + 1));
        }
        text.push(c);
    }
    Err(error_at(
        src,
        start - 1,
        format!("a string is not closed: add the matching {quote}"),
    ))
}

/// A number or timespan literal starting at `start`.
fn number(src: &str, start: usize) -> Result<(Tok, usize)> {
    let bytes = src.as_bytes();
    let mut end = start;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    let mut real = false;
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        real = true;
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    let digits = &src[start..end];
    if end < bytes.len() && (bytes[end].is_ascii_alphabetic()) {
        let unit_end = word_end(src, end);
        let unit = &src[end..unit_end];
        if matches!(unit, "e" | "E")
            || unit.starts_with(['e', 'E'])
                && unit[1..].chars().all(|c| c.is_ascii_digit())
                && unit.len() > 1
        {
            let value: f64 = src[start..unit_end].parse().map_err(|_| {
                error_at(
                    src,
                    start,
                    format!("`{}` is not a number", &src[start..unit_end]),
                )
            })?;
            return Ok((Tok::Real(value), unit_end));
        }
        let Some((_, nanos)) = SPAN_UNITS.iter().find(|(u, _)| *u == unit) else {
            return Err(error_at(
                src,
                start,
                format!(
                    "`{digits}{unit}` is not a number or a timespan: write 7d, 1h, 30m, 10s or 100ms"
                ),
            ));
        };
        let amount: f64 = digits
            .parse()
            .map_err(|_| error_at(src, start, format!("`{digits}` is not a number")))?;
        return Ok((Tok::Span((amount * *nanos as f64).round() as i64), unit_end));
    }
    if real {
        let value = digits
            .parse()
            .map_err(|_| error_at(src, start, format!("`{digits}` is not a number")))?;
        return Ok((Tok::Real(value), end));
    }
    let value = digits.parse().map_err(|_| {
        error_at(
            src,
            start,
            format!("`{digits}` is too large for a 64-bit integer"),
        )
    })?;
    Ok((Tok::Long(value), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn words_operators_literals_and_comments() {
        assert_eq!(
            toks("T // comment\n| where A !has 'x' and B in~ (1, 2.5, 7d) | project-away C"),
            vec![
                Tok::Ident("T".into()),
                Tok::Punct("|"),
                Tok::Ident("where".into()),
                Tok::Ident("A".into()),
                Tok::Ident("!has".into()),
                Tok::Str("x".into()),
                Tok::Ident("and".into()),
                Tok::Ident("B".into()),
                Tok::Ident("in~".into()),
                Tok::Punct("("),
                Tok::Long(1),
                Tok::Punct(","),
                Tok::Real(2.5),
                Tok::Punct(","),
                Tok::Span(7 * 86_400_000_000_000),
                Tok::Punct(")"),
                Tok::Punct("|"),
                Tok::Ident("project-away".into()),
                Tok::Ident("C".into()),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn strings_dates_and_spans() {
        assert_eq!(
            toks(r#"@"C:\W" "a\"b" datetime(2026-01-01 10:00) 100ms 1.5h"#),
            vec![
                Tok::Str(r"C:\W".into()),
                Tok::Str("a\"b".into()),
                Tok::Date("2026-01-01 10:00".into()),
                Tok::Span(100_000_000),
                Tok::Span(5_400_000_000_000),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = tokenize("T\n| where A == \"open").unwrap_err().to_string();
        assert!(e.contains("(at 2:14)"), "{e}");
        let e = tokenize("T | take 5x").unwrap_err().to_string();
        assert!(e.contains("`5x`") && e.contains("(at 1:10)"), "{e}");
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
