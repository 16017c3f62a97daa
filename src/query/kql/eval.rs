//! Scalar expressions evaluated on one row: operators, string predicates
//! and the supported functions.
//!
//! String predicates follow KQL: `==`/`!=` and the `_cs` operators compare
//! case-sensitively; `=~`, `!~`, `in~`, `has`, `contains`, `startswith`,
//! `endswith` ignore case. `has` finds the needle as whole terms: where it
//! occurs, the characters around it are not letters or digits. A predicate
//! on null is not true (`where` drops the row), except the negated string
//! operators and `!in`, which hold for null.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::Timestamp;

use super::ast::{BinOp, Expr, ExprKind, StrOp};
use super::lexer::error_at;
use super::value::Value;
use crate::error::Result;

/// The scalar functions, with their least and greatest number of arguments.
pub const FUNCTION_ARITY: &[(&str, usize, usize)] = &[
    ("ago", 1, 1),
    ("now", 0, 1),
    ("bin", 2, 2),
    ("floor", 2, 2),
    ("tolower", 1, 1),
    ("toupper", 1, 1),
    ("strcat", 1, 64),
    ("strlen", 1, 1),
    ("tostring", 1, 1),
    ("toint", 1, 1),
    ("tolong", 1, 1),
    ("todouble", 1, 1),
    ("toreal", 1, 1),
    ("parse_json", 1, 1),
    ("todynamic", 1, 1),
    ("isempty", 1, 1),
    ("isnotempty", 1, 1),
    ("isnull", 1, 1),
    ("isnotnull", 1, 1),
    ("not", 1, 1),
    ("iff", 3, 3),
    ("iif", 3, 3),
];

/// A row: named values in order.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cols: Vec<(Arc<str>, Value)>,
    /// The original record, while the row is still one (no project,
    /// extend or summarize yet).
    pub raw: Option<Arc<crate::query::search::Hit>>,
    /// Made by an operator (project, summarize, …): a missing column is an
    /// error, not an absent value.
    pub derived: bool,
}

impl Row {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.cols.iter().find(|(n, _)| &**n == name).map(|(_, v)| v)
    }

    /// Sets a column, adding it at the end if it is new.
    pub fn set(&mut self, name: &str, value: Value) {
        match self.cols.iter_mut().find(|(n, _)| &**n == name) {
            Some((_, v)) => *v = value,
            None => self.cols.push((Arc::from(name), value)),
        }
    }
}

/// What evaluation needs besides the row.
#[derive(Debug, Clone)]
pub struct Context {
    /// The query text, for error positions.
    pub src: Arc<str>,
    /// `now()`, in nanoseconds since the epoch.
    pub now: i128,
    /// Columns whose absent value is the empty string (keyword and text
    /// columns); `search` looks in these.
    pub string_columns: Arc<HashSet<String>>,
}

impl Context {
    pub fn new(src: &str, now: Timestamp, string_columns: HashSet<String>) -> Context {
        Context {
            src: Arc::from(src),
            now: now.as_nanosecond(),
            string_columns: Arc::new(string_columns),
        }
    }
}

/// Parses the text of `datetime(…)`: a date, a date and time (`T` or a
/// space; no offset means UTC), or an RFC 3339 instant.
pub fn parse_datetime(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Some(t) = crate::timefmt::parse_export_time(text) {
        return Some(Value::datetime(t));
    }
    if let Some(t) = crate::timefmt::parse_export_time(&text.replacen(' ', "T", 1)) {
        return Some(Value::datetime(t));
    }
    let date: jiff::civil::Date = text.parse().ok()?;
    let t = date.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some(Value::datetime(t))
}

/// Lower-cases for the case-insensitive operators.
fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// `needle` occurs in `text` as whole terms.
pub fn has_term(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let alnum_start = needle.chars().next().is_some_and(char::is_alphanumeric);
    let alnum_end = needle
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let start = from + i;
        let end = start + needle.len();
        let before_ok = !alnum_start
            || text[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = !alnum_end
            || text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// A string operator on two texts.
pub fn string_op(op: StrOp, cs: bool, text: &str, needle: &str) -> bool {
    let (text, needle) = if cs {
        (text.to_string(), needle.to_string())
    } else {
        (fold(text), fold(needle))
    };
    match op {
        StrOp::Has => has_term(&text, &needle),
        StrOp::Contains => text.contains(&needle),
        StrOp::StartsWith => text.starts_with(&needle),
        StrOp::EndsWith => text.ends_with(&needle),
    }
}

fn is_stringy(v: &Value) -> bool {
    matches!(
        v,
        Value::Str(_) | Value::Dynamic(serde_json::Value::String(_))
    )
}

/// `a =~ b`: strings equal ignoring case; other values as `==`.
fn equals_ci(a: &Value, b: &Value) -> Option<bool> {
    if is_stringy(a) && is_stringy(b) {
        return Some(fold(&a.to_text()) == fold(&b.to_text()));
    }
    a.equals(b)
}

fn truth(v: Option<bool>) -> Value {
    v.map_or(Value::Null, Value::Bool)
}

/// Parses JSON held in a string; other values are kept.
pub fn to_dynamic(v: Value) -> Value {
    match v {
        Value::Str(s) => match serde_json::from_str::<serde_json::Value>(&s) {
            Ok(j) => Value::Dynamic(j),
            Err(_) => Value::Str(s),
        },
        Value::Dynamic(serde_json::Value::String(s)) => to_dynamic(Value::Str(s)),
        v => v,
    }
}

/// `x.key` / `x[i]`: a member of a dynamic value (JSON held in a string is
/// parsed first).
fn member(v: Value, key: &Value) -> Value {
    let json = match to_dynamic(v) {
        Value::Dynamic(j) => j,
        _ => return Value::Null,
    };
    let found = match (key, &json) {
        (Value::Str(k), serde_json::Value::Object(m)) => m.get(k).cloned(),
        (Value::Long(i), serde_json::Value::Array(a)) => {
            usize::try_from(*i).ok().and_then(|i| a.get(i)).cloned()
        }
        _ => None,
    };
    found.map_or(Value::Null, Value::from_json)
}

/// Rounds down to a multiple of `size` (`bin()`), for numbers, dates and spans.
fn bin(v: &Value, size: &Value) -> Value {
    match (v, size) {
        (Value::DateTime(t), Value::Span(s)) if *s > 0 => {
            let s = i128::from(*s);
            Value::DateTime(t.div_euclid(s) * s)
        }
        (Value::Span(t), Value::Span(s)) if *s > 0 => Value::Span(t.div_euclid(*s) * s),
        (Value::Long(n), Value::Long(s)) if *s > 0 => Value::Long(n.div_euclid(*s) * s),
        (v, s) => match (v.as_f64(), s.as_f64()) {
            (Some(x), Some(s)) if s > 0.0 && !matches!(v, Value::DateTime(_)) => {
                Value::Real((x / s).floor() * s)
            }
            _ => Value::Null,
        },
    }
}

fn arithmetic(op: BinOp, a: &Value, b: &Value) -> Value {
    use Value as V;
    match (op, a, b) {
        (BinOp::Add, V::DateTime(t), V::Span(s)) | (BinOp::Add, V::Span(s), V::DateTime(t)) => {
            V::DateTime(t + i128::from(*s))
        }
        (BinOp::Sub, V::DateTime(t), V::Span(s)) => V::DateTime(t - i128::from(*s)),
        (BinOp::Sub, V::DateTime(a), V::DateTime(b)) => {
            i64::try_from(a - b).map_or(V::Null, V::Span)
        }
        (BinOp::Add, V::Span(a), V::Span(b)) => V::Span(a.saturating_add(*b)),
        (BinOp::Sub, V::Span(a), V::Span(b)) => V::Span(a.saturating_sub(*b)),
        (BinOp::Mul, V::Span(a), V::Long(b)) | (BinOp::Mul, V::Long(b), V::Span(a)) => {
            V::Span(a.saturating_mul(*b))
        }
        (_, V::Long(x), V::Long(y)) => match op {
            BinOp::Add => x.checked_add(*y).map_or(V::Null, V::Long),
            BinOp::Sub => x.checked_sub(*y).map_or(V::Null, V::Long),
            BinOp::Mul => x.checked_mul(*y).map_or(V::Null, V::Long),
            BinOp::Div => x.checked_div(*y).map_or(V::Null, V::Long),
            BinOp::Mod => x.checked_rem(*y).map_or(V::Null, V::Long),
            _ => V::Null,
        },
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => V::Real(match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                BinOp::Mod => x % y,
                _ => return V::Null,
            }),
            _ => V::Null,
        },
    }
}

/// Evaluates an expression on a row.
pub fn eval(e: &Expr, row: &Row, ctx: &Context) -> Result<Value> {
    Ok(match &e.kind {
        ExprKind::Lit(v) => v.clone(),
        ExprKind::Col(name) => match row.get(name) {
            Some(v) => v.clone(),
            None if row.derived => {
                return Err(error_at(
                    &ctx.src,
                    e.pos,
                    format!(
                        "there is no column `{name}` here (columns: {})",
                        row.cols
                            .iter()
                            .map(|(n, _)| &**n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            None if ctx.string_columns.contains(name) => Value::Str(String::new()),
            None => Value::Null,
        },
        ExprKind::Neg(a) => match eval(a, row, ctx)? {
            Value::Long(n) => n.checked_neg().map_or(Value::Null, Value::Long),
            Value::Real(x) => Value::Real(-x),
            Value::Span(s) => Value::Span(-s),
            _ => Value::Null,
        },
        ExprKind::Bin(op, a, b) => {
            let a = eval(a, row, ctx)?;
            match op {
                BinOp::And => {
                    if a.as_bool() == Some(false) {
                        return Ok(Value::Bool(false));
                    }
                    let b = eval(b, row, ctx)?;
                    match (a.as_bool(), b.as_bool()) {
                        (_, Some(false)) => Value::Bool(false),
                        (Some(true), Some(true)) => Value::Bool(true),
                        _ => Value::Null,
                    }
                }
                BinOp::Or => {
                    if a.as_bool() == Some(true) {
                        return Ok(Value::Bool(true));
                    }
                    let b = eval(b, row, ctx)?;
                    match (a.as_bool(), b.as_bool()) {
                        (_, Some(true)) => Value::Bool(true),
                        (Some(false), Some(false)) => Value::Bool(false),
                        _ => Value::Null,
                    }
                }
                _ => {
                    let b_value = eval(b, row, ctx)?;
                    check_comparable(*op, &a, &b_value, e, b, ctx)?;
                    let b = b_value;
                    match op {
                        BinOp::Eq => truth(a.equals(&b)),
                        BinOp::Ne => truth(a.equals(&b).map(|x| !x)),
                        BinOp::EqCi => truth(equals_ci(&a, &b)),
                        BinOp::NeCi => truth(equals_ci(&a, &b).map(|x| !x)),
                        BinOp::Lt => truth(a.compare(&b).map(|o| o.is_lt())),
                        BinOp::Le => truth(a.compare(&b).map(|o| o.is_le())),
                        BinOp::Gt => truth(a.compare(&b).map(|o| o.is_gt())),
                        BinOp::Ge => truth(a.compare(&b).map(|o| o.is_ge())),
                        _ => arithmetic(*op, &a, &b),
                    }
                }
            }
        }
        ExprKind::Str {
            op,
            cs,
            neg,
            value,
            needle,
        } => {
            let v = eval(value, row, ctx)?;
            let n = eval(needle, row, ctx)?;
            Value::Bool(string_op(*op, *cs, &v.to_text(), &n.to_text()) != *neg)
        }
        ExprKind::In {
            neg,
            ci,
            value,
            list,
        } => {
            let v = eval(value, row, ctx)?;
            let mut found = false;
            for item in list {
                let item = eval(item, row, ctx)?;
                let eq = if *ci {
                    equals_ci(&v, &item)
                } else {
                    v.equals(&item)
                };
                if eq == Some(true) {
                    found = true;
                    break;
                }
            }
            Value::Bool(found != *neg)
        }
        ExprKind::HasAny { all, value, list } => {
            let text = eval(value, row, ctx)?.to_text();
            let mut hits = Vec::with_capacity(list.len());
            for item in list {
                let needle = eval(item, row, ctx)?.to_text();
                hits.push(string_op(StrOp::Has, false, &text, &needle));
            }
            Value::Bool(if *all {
                hits.iter().all(|h| *h)
            } else {
                hits.iter().any(|h| *h)
            })
        }
        ExprKind::Between {
            neg,
            value,
            low,
            high,
        } => {
            let v = eval(value, row, ctx)?;
            let (lo, hi) = (eval(low, row, ctx)?, eval(high, row, ctx)?);
            let inside = match (v.compare(&lo), v.compare(&hi)) {
                (Some(a), Some(b)) => Some(a.is_ge() && b.is_le()),
                _ => None,
            };
            truth(inside.map(|x| x != *neg))
        }
        ExprKind::Member(a, key) => member(eval(a, row, ctx)?, key),
        ExprKind::AnyHas(term) => Value::Bool(row.cols.iter().any(|(name, v)| {
            ctx.string_columns.contains(&**name) && string_op(StrOp::Has, false, &v.to_text(), term)
        })),
        ExprKind::Call(name, args) => call(name, args, e.pos, row, ctx)?,
    })
}

/// A comparison of a column with a constant of another type (a datetime
/// with a string) is a mistake in the query, not a row that fails: KQL
/// refuses it, and so does this.
fn check_comparable(
    op: BinOp,
    a: &Value,
    b: &Value,
    e: &Expr,
    b_expr: &Expr,
    ctx: &Context,
) -> Result<()> {
    let comparison = matches!(
        op,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
    );
    let literal = |x: &Expr| matches!(x.kind, ExprKind::Lit(_) | ExprKind::Call(..));
    let typed = |v: &Value| matches!(v, Value::DateTime(_) | Value::Span(_));
    if comparison
        && !a.is_null()
        && !b.is_null()
        && (typed(a) || typed(b))
        && a.compare(b).is_none()
        && (literal(b_expr) || matches!(&e.kind, ExprKind::Bin(_, l, _) if literal(l)))
    {
        return Err(error_at(
            &ctx.src,
            e.pos,
            format!(
                "cannot compare {} with {}: write datetimes as datetime(2026-01-31) or ago(7d), timespans as 1h",
                type_name(a),
                type_name(b)
            ),
        ));
    }
    Ok(())
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Long(_) => "a long",
        Value::Real(_) => "a real",
        Value::DateTime(_) => "a datetime",
        Value::Span(_) => "a timespan",
        Value::Str(_) => "a string",
        Value::Dynamic(_) => "a dynamic value",
    }
}

fn call(name: &str, args: &[Expr], pos: usize, row: &Row, ctx: &Context) -> Result<Value> {
    let arity = FUNCTION_ARITY.iter().find(|(n, _, _)| *n == name);
    if let Some((_, min, max)) = arity
        && !(*min..=*max).contains(&args.len())
    {
        return Err(error_at(
            &ctx.src,
            pos,
            format!(
                "`{name}()` takes {} argument(s), not {}",
                if min == max {
                    min.to_string()
                } else {
                    format!("{min} to {max}")
                },
                args.len()
            ),
        ));
    }
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        values.push(eval(a, row, ctx)?);
    }
    let arg = |i: usize| values.get(i).cloned().unwrap_or(Value::Null);
    Ok(match name {
        "now" => match arg(0) {
            Value::Span(s) => Value::DateTime(ctx.now + i128::from(s)),
            _ => Value::DateTime(ctx.now),
        },
        "ago" => match arg(0) {
            Value::Span(s) => Value::DateTime(ctx.now - i128::from(s)),
            _ => {
                return Err(error_at(
                    &ctx.src,
                    pos,
                    "`ago()` takes a timespan: `ago(7d)`, `ago(1h)`",
                ));
            }
        },
        "bin" | "floor" => bin(&arg(0), &arg(1)),
        "tolower" => Value::Str(arg(0).to_text().to_lowercase()),
        "toupper" => Value::Str(arg(0).to_text().to_uppercase()),
        "strcat" => Value::Str(values.iter().map(Value::to_text).collect()),
        "strlen" => Value::Long(arg(0).to_text().chars().count() as i64),
        "tostring" => Value::Str(arg(0).to_text()),
        "toint" | "tolong" => match arg(0) {
            Value::Str(s) => s
                .trim()
                .parse::<i64>()
                .ok()
                .or_else(|| s.trim().parse::<f64>().ok().map(|f| f.trunc() as i64))
                .map_or(Value::Null, Value::Long),
            Value::Bool(b) => Value::Long(i64::from(b)),
            v => v.as_i64().map_or(Value::Null, Value::Long),
        },
        "todouble" | "toreal" => match arg(0) {
            Value::Str(s) => s.trim().parse().map_or(Value::Null, Value::Real),
            v => v.as_f64().map_or(Value::Null, Value::Real),
        },
        "parse_json" | "todynamic" => to_dynamic(arg(0)),
        "isempty" => Value::Bool(arg(0).is_empty()),
        "isnotempty" => Value::Bool(!arg(0).is_empty()),
        "isnull" => Value::Bool(arg(0).is_null()),
        "isnotnull" => Value::Bool(!arg(0).is_null()),
        "not" => truth(arg(0).as_bool().map(|b| !b)),
        "iff" | "iif" => {
            if arg(0).as_bool() == Some(true) {
                arg(1)
            } else {
                arg(2)
            }
        }
        other => {
            return Err(error_at(
                &ctx.src,
                pos,
                format!("not supported: the function `{other}()`"),
            ));
        }
    })
}

/// The value of an expression that reads no column, if it is one.
pub fn constant(e: &Expr, ctx: &Context) -> Option<Value> {
    let mut cols = Vec::new();
    e.columns(&mut cols);
    if !cols.is_empty() || matches!(e.kind, ExprKind::AnyHas(_)) {
        return None;
    }
    eval(e, &Row::default(), ctx).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_finds_whole_terms_only() {
        assert!(has_term("cmd.exe /c whoami", "whoami"));
        assert!(has_term("cmd.exe /c whoami", "cmd.exe"));
        assert!(!has_term("cmd.exe /c whoami", "who"));
        assert!(has_term("a -enc JAB", "-enc"));
        assert!(!has_term("powershell", "power"));
        assert!(string_op(StrOp::Has, false, "Invoke-Mimikatz", "MIMIKATZ"));
        assert!(!string_op(StrOp::Has, true, "Invoke-Mimikatz", "MIMIKATZ"));
        assert!(string_op(StrOp::Contains, false, "PowerShell", "erSh"));
    }

    #[test]
    fn bins_round_down() {
        let hour = 3_600_000_000_000_i64;
        assert_eq!(
            bin(
                &Value::DateTime(i128::from(hour) * 5 + 7),
                &Value::Span(hour)
            ),
            Value::DateTime(i128::from(hour) * 5)
        );
        assert_eq!(bin(&Value::Long(17), &Value::Long(5)), Value::Long(15));
    }
}
