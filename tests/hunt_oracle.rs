//! `huntvault hunt` against an oracle: every query of `tests/kql/corpus.txt`
//! runs through the real binary over an indexed generated export, and is
//! also evaluated here, naively, over the export's JSON lines (duplicates
//! removed as the archive does: the first delivery by blob path and
//! offset). Both must give the same rows, and as many as the corpus says.
//!
//! The oracle shares only the parser (the syntax tree) with the library:
//! values, types, operators, functions and aggregations are evaluated by
//! the simple code below, one row at a time, with no index.
//!
//! Corpus entries: a header line `== ROWS MODE`, then the query's lines, up
//! to a blank line. MODE says how rows are compared: `set` (as multisets),
//! `ordered` (in order: the query sorts by unique keys), `sample` (the query
//! takes N rows without an order: as many rows as the oracle finds when the
//! `take` is removed, at most N, each one of them).

mod common;

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use common::Scratch;
use huntvault::query::kql::ast::{
    Agg, AggFn, BinOp, Expr, ExprKind, OpKind, Query, SortKey, Source, StrOp,
};
use huntvault::query::kql::parser;
use huntvault::schema::{Catalog, Kind};
use serde_json::Value as J;
use serde_json::value::RawValue;

const NOW: &str = "2026-01-01T06:00:00Z";

/// An oracle value.
#[derive(Debug, Clone)]
enum V {
    Null,
    B(bool),
    I(i64),
    F(f64),
    /// Nanoseconds since the epoch.
    T(i128),
    /// Nanoseconds.
    Span(i64),
    S(String),
    /// Objects and arrays.
    D(J),
}

impl V {
    fn null(&self) -> bool {
        matches!(self, V::Null)
    }
    fn num(&self) -> Option<f64> {
        match self {
            V::I(i) => Some(*i as f64),
            V::F(f) => Some(*f),
            _ => None,
        }
    }
    fn text(&self) -> String {
        match self {
            V::Null => String::new(),
            V::S(s) => s.clone(),
            V::B(b) => b.to_string(),
            V::I(i) => i.to_string(),
            V::F(f) => f.to_string(),
            V::D(j) => j.to_string(),
            V::T(_) | V::Span(_) => self.json().as_str().unwrap_or_default().to_string(),
        }
    }
    fn json(&self) -> J {
        match self {
            V::Null => J::Null,
            V::B(b) => J::Bool(*b),
            V::I(i) => J::from(*i),
            V::F(f) => J::from(*f),
            V::S(s) => J::String(s.clone()),
            V::D(j) => j.clone(),
            V::T(t) => J::String(
                jiff::Timestamp::from_nanosecond(*t)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            ),
            V::Span(s) => J::String(format!("{s}ns")),
        }
    }
    fn from_json(j: &J) -> V {
        match j {
            J::Null => V::Null,
            J::Bool(b) => V::B(*b),
            J::Number(n) => n.as_i64().map_or_else(|| V::F(n.as_f64().unwrap()), V::I),
            J::String(s) => V::S(s.clone()),
            other => V::D(other.clone()),
        }
    }
    /// Ordering of two values of one kind; None for null or mixed kinds.
    fn cmp(&self, o: &V) -> Option<Ordering> {
        match (self, o) {
            (V::S(a), V::S(b)) => Some(a.cmp(b)),
            (V::T(a), V::T(b)) => Some(a.cmp(b)),
            (V::Span(a), V::Span(b)) => Some(a.cmp(b)),
            (V::B(a), V::B(b)) => Some(a.cmp(b)),
            (V::I(a), V::I(b)) => Some(a.cmp(b)),
            _ => self.num()?.partial_cmp(&o.num()?),
        }
    }
    fn key(&self) -> String {
        format!("{:?}", self.json())
    }
}

type Row = Vec<(String, V)>;

fn get<'a>(row: &'a Row, name: &str) -> Option<&'a V> {
    row.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

fn set(row: &mut Row, name: &str, v: V) {
    match row.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = v,
        None => row.push((name.to_string(), v)),
    }
}

/// A record of the export: its table, raw line and typed columns.
struct Record {
    table: String,
    raw: String,
    row: Row,
}

fn parse_time(s: &str) -> Option<i128> {
    huntvault::timefmt::parse_export_time(s).map(|t| t.as_nanosecond())
}

/// Types a JSON value by the index kind of its column.
fn typed(kind: Option<Kind>, j: &J) -> V {
    match kind {
        Some(Kind::Keyword | Kind::Text) => V::S(match j {
            J::String(s) => s.clone(),
            J::Number(n) => n.to_string(),
            J::Bool(b) => b.to_string(),
            _ => String::new(),
        }),
        Some(Kind::Int) => match j {
            J::Number(n) => n.as_i64().map_or(V::Null, V::I),
            J::String(s) => s.trim().parse().map_or(V::Null, V::I),
            J::Bool(b) => V::I(i64::from(*b)),
            _ => V::Null,
        },
        Some(Kind::Bool) => match j {
            J::Bool(b) => V::B(*b),
            J::Number(n) if n.as_i64() == Some(0) => V::B(false),
            J::Number(n) if n.as_i64() == Some(1) => V::B(true),
            J::String(s) if s.eq_ignore_ascii_case("true") => V::B(true),
            J::String(s) if s.eq_ignore_ascii_case("false") => V::B(false),
            _ => V::Null,
        },
        Some(Kind::Date) => match j {
            J::String(s) => parse_time(s).map_or(V::Null, V::T),
            _ => V::Null,
        },
        Some(Kind::Dynamic) | None => V::from_json(j),
    }
}

/// Every record of the export, each content once (first delivery by blob
/// path, then offset).
fn load(export: &Path, kinds: &BTreeMap<String, Kind>) -> Vec<Record> {
    let mut files = Vec::new();
    let mut stack = vec![export.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort_by_key(|p| {
        p.strip_prefix(export)
            .unwrap()
            .to_string_lossy()
            .into_owned()
    });
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for line in text.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let Ok(env) = serde_json::from_str::<HashMap<String, Box<RawValue>>>(line) else {
                continue;
            };
            let category: String = serde_json::from_str(env["category"].get()).unwrap();
            let props = env["properties"].get();
            if !seen.insert(format!("{category}\u{0}{props}")) {
                continue;
            }
            let map: serde_json::Map<String, J> = serde_json::from_str(props).unwrap();
            let row = map
                .iter()
                .map(|(k, v)| (k.clone(), typed(kinds.get(k).copied(), v)))
                .collect();
            out.push(Record {
                table: category.trim_start_matches("AdvancedHunting-").to_string(),
                raw: line.to_string(),
                row,
            });
        }
    }
    out
}

struct Oracle<'a> {
    now: i128,
    strings: &'a HashSet<String>,
}

fn truth(b: Option<bool>) -> V {
    b.map_or(V::Null, V::B)
}

fn has(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let chars: Vec<char> = text.chars().collect();
    let n: Vec<char> = needle.chars().collect();
    (0..=chars.len().saturating_sub(n.len())).any(|i| {
        chars.len() >= n.len()
            && chars[i..i + n.len()] == n[..]
            && (!word(n.first().copied()) || !word(i.checked_sub(1).map(|j| chars[j])))
            && (!word(n.last().copied()) || !word(chars.get(i + n.len()).copied()))
    })
}

fn str_op(op: StrOp, cs: bool, text: &str, needle: &str) -> bool {
    let (t, n) = if cs {
        (text.to_string(), needle.to_string())
    } else {
        (text.to_lowercase(), needle.to_lowercase())
    };
    match op {
        StrOp::Has => has(&t, &n),
        StrOp::Contains => t.contains(&n),
        StrOp::StartsWith => t.starts_with(&n),
        StrOp::EndsWith => t.ends_with(&n),
    }
}

fn eq(a: &V, b: &V, ci: bool) -> Option<bool> {
    if a.null() || b.null() {
        return None;
    }
    if ci && let (V::S(x), V::S(y)) = (a, b) {
        return Some(x.to_lowercase() == y.to_lowercase());
    }
    a.cmp(b).map(|o| o == Ordering::Equal)
}

impl Oracle<'_> {
    fn eval(&self, e: &Expr, row: &Row) -> V {
        match &e.kind {
            ExprKind::Lit(v) => V::from_json(&v.to_json()).lit(v),
            ExprKind::Col(n) => get(row, n).cloned().unwrap_or_else(|| {
                if self.strings.contains(n) {
                    V::S(String::new())
                } else {
                    V::Null
                }
            }),
            ExprKind::Neg(a) => match self.eval(a, row) {
                V::I(i) => V::I(-i),
                V::F(f) => V::F(-f),
                V::Span(s) => V::Span(-s),
                _ => V::Null,
            },
            ExprKind::Bin(op, a, b) => {
                let (x, y) = (self.eval(a, row), self.eval(b, row));
                let bool_of = |v: &V| match v {
                    V::B(b) => Some(*b),
                    _ => None,
                };
                match op {
                    BinOp::And => match (bool_of(&x), bool_of(&y)) {
                        (Some(false), _) | (_, Some(false)) => V::B(false),
                        (Some(true), Some(true)) => V::B(true),
                        _ => V::Null,
                    },
                    BinOp::Or => match (bool_of(&x), bool_of(&y)) {
                        (Some(true), _) | (_, Some(true)) => V::B(true),
                        (Some(false), Some(false)) => V::B(false),
                        _ => V::Null,
                    },
                    BinOp::Eq => truth(eq(&x, &y, false)),
                    BinOp::Ne => truth(eq(&x, &y, false).map(|b| !b)),
                    BinOp::EqCi => truth(eq(&x, &y, true)),
                    BinOp::NeCi => truth(eq(&x, &y, true).map(|b| !b)),
                    BinOp::Lt => truth(x.cmp(&y).map(Ordering::is_lt)),
                    BinOp::Le => truth(x.cmp(&y).map(Ordering::is_le)),
                    BinOp::Gt => truth(x.cmp(&y).map(Ordering::is_gt)),
                    BinOp::Ge => truth(x.cmp(&y).map(Ordering::is_ge)),
                    _ => match (op, &x, &y) {
                        (BinOp::Add, V::T(t), V::Span(s)) => V::T(t + i128::from(*s)),
                        (BinOp::Sub, V::T(t), V::Span(s)) => V::T(t - i128::from(*s)),
                        (BinOp::Sub, V::T(a), V::T(b)) => V::Span((a - b) as i64),
                        (BinOp::Add, V::I(a), V::I(b)) => V::I(a + b),
                        (BinOp::Sub, V::I(a), V::I(b)) => V::I(a - b),
                        (BinOp::Mul, V::I(a), V::I(b)) => V::I(a * b),
                        (BinOp::Div, V::I(a), V::I(b)) if *b != 0 => V::I(a / b),
                        (BinOp::Mod, V::I(a), V::I(b)) if *b != 0 => V::I(a % b),
                        _ => match (x.num(), y.num()) {
                            (Some(a), Some(b)) => V::F(match op {
                                BinOp::Add => a + b,
                                BinOp::Sub => a - b,
                                BinOp::Mul => a * b,
                                BinOp::Div => a / b,
                                _ => a % b,
                            }),
                            _ => V::Null,
                        },
                    },
                }
            }
            ExprKind::Str {
                op,
                cs,
                neg,
                value,
                needle,
            } => {
                let t = self.eval(value, row).text();
                let n = self.eval(needle, row).text();
                V::B(str_op(*op, *cs, &t, &n) != *neg)
            }
            ExprKind::In {
                neg,
                ci,
                value,
                list,
            } => {
                let v = self.eval(value, row);
                let found = list
                    .iter()
                    .any(|i| eq(&v, &self.eval(i, row), *ci) == Some(true));
                V::B(found != *neg)
            }
            ExprKind::HasAny { all, value, list } => {
                let t = self.eval(value, row).text();
                let mut hits = list
                    .iter()
                    .map(|i| str_op(StrOp::Has, false, &t, &self.eval(i, row).text()));
                V::B(if *all {
                    hits.all(|h| h)
                } else {
                    hits.any(|h| h)
                })
            }
            ExprKind::Between {
                neg,
                value,
                low,
                high,
            } => {
                let v = self.eval(value, row);
                let (lo, hi) = (self.eval(low, row), self.eval(high, row));
                match (v.cmp(&lo), v.cmp(&hi)) {
                    (Some(a), Some(b)) => V::B((a.is_ge() && b.is_le()) != *neg),
                    _ => V::Null,
                }
            }
            ExprKind::Member(a, key) => {
                let j = match self.eval(a, row) {
                    V::S(s) => serde_json::from_str::<J>(&s).unwrap_or(J::Null),
                    V::D(j) => j,
                    _ => J::Null,
                };
                let k = key.to_json();
                let found = match (&j, &k) {
                    (J::Object(m), J::String(k)) => m.get(k).cloned(),
                    (J::Array(a), J::Number(i)) => a.get(i.as_u64().unwrap() as usize).cloned(),
                    _ => None,
                };
                found.map_or(V::Null, |j| V::from_json(&j))
            }
            ExprKind::AnyHas(term) => V::B(row.iter().any(|(n, v)| {
                self.strings.contains(n) && str_op(StrOp::Has, false, &v.text(), term)
            })),
            ExprKind::Call(f, args) => {
                let a: Vec<V> = args.iter().map(|x| self.eval(x, row)).collect();
                let a0 = a.first().cloned().unwrap_or(V::Null);
                match f.as_str() {
                    "ago" => match a0 {
                        V::Span(s) => V::T(self.now - i128::from(s)),
                        _ => V::Null,
                    },
                    "now" => V::T(self.now),
                    "bin" | "floor" => match (&a0, &a[1]) {
                        (V::T(t), V::Span(s)) => {
                            V::T(t.div_euclid(i128::from(*s)) * i128::from(*s))
                        }
                        (V::I(i), V::I(s)) => V::I(i.div_euclid(*s) * s),
                        _ => V::Null,
                    },
                    "tolower" => V::S(a0.text().to_lowercase()),
                    "toupper" => V::S(a0.text().to_uppercase()),
                    "strcat" => V::S(a.iter().map(V::text).collect()),
                    "strlen" => V::I(a0.text().chars().count() as i64),
                    "tostring" => V::S(a0.text()),
                    "toint" | "tolong" => match a0 {
                        V::I(i) => V::I(i),
                        V::F(f) => V::I(f.trunc() as i64),
                        v => v.text().trim().parse().map_or(V::Null, V::I),
                    },
                    "parse_json" | "todynamic" => match a0 {
                        V::S(s) => serde_json::from_str::<J>(&s).map_or(V::S(s), |j| match j {
                            J::Object(_) | J::Array(_) => V::D(j),
                            j => V::from_json(&j),
                        }),
                        v => v,
                    },
                    "isempty" => V::B(a0.null() || a0.text().is_empty() && matches!(a0, V::S(_))),
                    "isnotempty" => {
                        V::B(!(a0.null() || a0.text().is_empty() && matches!(a0, V::S(_))))
                    }
                    "isnull" => V::B(a0.null()),
                    "isnotnull" => V::B(!a0.null()),
                    "not" => match a0 {
                        V::B(b) => V::B(!b),
                        _ => V::Null,
                    },
                    "iff" | "iif" => {
                        if matches!(a0, V::B(true)) {
                            a[1].clone()
                        } else {
                            a[2].clone()
                        }
                    }
                    other => panic!("the oracle has no function {other}"),
                }
            }
        }
    }

    fn sort(&self, rows: &mut [Row], keys: &[SortKey]) {
        rows.sort_by(|x, y| {
            for k in keys {
                let (a, b) = (self.eval(&k.expr, x), self.eval(&k.expr, y));
                let o = match (a.null(), b.null()) {
                    (true, true) => Ordering::Equal,
                    (true, false) => {
                        if k.nulls_first {
                            Ordering::Less
                        } else {
                            Ordering::Greater
                        }
                    }
                    (false, true) => {
                        if k.nulls_first {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        }
                    }
                    _ => {
                        let o = a.cmp(&b).unwrap_or(Ordering::Equal);
                        if k.desc { o.reverse() } else { o }
                    }
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
    }

    fn aggregate(&self, agg: &Agg, name: &str, rows: &[&Row], by: &[String], out: &mut Row) {
        let arg = |r: &Row, i: usize| self.eval(&agg.args[i], r);
        let values = || rows.iter().map(|r| arg(r, 0)).filter(|v| !v.null());
        match agg.func {
            AggFn::Count => out.push((name.into(), V::I(rows.len() as i64))),
            AggFn::CountIf => out.push((
                name.into(),
                V::I(
                    rows.iter()
                        .filter(|r| matches!(arg(r, 0), V::B(true)))
                        .count() as i64,
                ),
            )),
            AggFn::DCount => {
                let set: HashSet<String> = values().map(|v| v.key()).collect();
                out.push((name.into(), V::I(set.len() as i64)));
            }
            AggFn::Min | AggFn::Max => {
                let mut best: Option<V> = None;
                for v in values() {
                    let better = best.as_ref().is_none_or(|b| {
                        let o = v.cmp(b).unwrap_or(Ordering::Equal);
                        if agg.func == AggFn::Min {
                            o.is_lt()
                        } else {
                            o.is_gt()
                        }
                    });
                    if better {
                        best = Some(v);
                    }
                }
                out.push((name.into(), best.unwrap_or(V::Null)));
            }
            AggFn::Sum => {
                let vs: Vec<V> = values().filter(|v| v.num().is_some()).collect();
                let v = if vs.is_empty() {
                    V::Null
                } else if vs.iter().all(|v| matches!(v, V::I(_))) {
                    V::I(
                        vs.iter()
                            .map(|v| match v {
                                V::I(i) => *i,
                                _ => 0,
                            })
                            .sum(),
                    )
                } else {
                    V::F(vs.iter().filter_map(V::num).sum())
                };
                out.push((name.into(), v));
            }
            AggFn::Avg => {
                let vs: Vec<f64> = values().filter_map(|v| v.num()).collect();
                let v = if vs.is_empty() {
                    V::Null
                } else {
                    V::F(vs.iter().sum::<f64>() / vs.len() as f64)
                };
                out.push((name.into(), v));
            }
            AggFn::MakeSet => {
                let mut seen = HashSet::new();
                let list: Vec<J> = values()
                    .filter(|v| seen.insert(v.key()))
                    .map(|v| v.json())
                    .collect();
                out.push((name.into(), V::D(J::Array(list))));
            }
            AggFn::ArgMax | AggFn::ArgMin => {
                let mut best: Option<(V, &Row)> = None;
                for r in rows {
                    let v = arg(r, 0);
                    if v.null() {
                        continue;
                    }
                    let better = best.as_ref().is_none_or(|(b, _)| {
                        let o = v.cmp(b).unwrap_or(Ordering::Equal);
                        if agg.func == AggFn::ArgMin {
                            o.is_lt()
                        } else {
                            o.is_gt()
                        }
                    });
                    if better {
                        best = Some((v, r));
                    }
                }
                let first = match &agg.args[0].kind {
                    ExprKind::Col(c) => c.clone(),
                    _ => name.to_string(),
                };
                let (v, r) = match best {
                    Some((v, r)) => (v, Some(r)),
                    None => (V::Null, None),
                };
                out.push((first.clone(), v));
                for (i, e) in agg.args.iter().enumerate().skip(1) {
                    let n = match &e.kind {
                        ExprKind::Col(c) => c.clone(),
                        _ => format!("Column{i}"),
                    };
                    out.push((n, r.map_or(V::Null, |r| self.eval(e, r))));
                }
                if agg.star
                    && let Some(r) = r
                {
                    for (n, v) in r.iter() {
                        if !by.contains(n) && *n != first && !out.iter().any(|(o, _)| o == n) {
                            out.push((n.clone(), v.clone()));
                        }
                    }
                }
            }
        }
    }

    /// Runs a query; `sample` treats `take` as keeping every row.
    fn run(&self, q: &Query, records: &[Record], sample: bool) -> Vec<(Row, Option<String>)> {
        let (tables, term) = match &q.source {
            Source::Tables(t) => (t.clone(), None),
            Source::Search { tables, term } => (tables.clone(), Some(term.clone())),
        };
        let names: Vec<String> = tables.iter().map(|(t, _)| t.to_lowercase()).collect();
        let mut rows: Vec<(Row, Option<String>)> = records
            .iter()
            .filter(|r| names.is_empty() || names.contains(&r.table.to_lowercase()))
            .filter(|r| {
                term.as_ref().is_none_or(|t| {
                    r.row.iter().any(|(n, v)| {
                        self.strings.contains(n) && str_op(StrOp::Has, false, &v.text(), t)
                    })
                })
            })
            .map(|r| (r.row.clone(), Some(r.raw.clone())))
            .collect();
        for op in &q.ops {
            rows = match &op.kind {
                OpKind::Where(e) => rows
                    .into_iter()
                    .filter(|(r, _)| matches!(self.eval(e, r), V::B(true)))
                    .collect(),
                OpKind::Extend(list) => rows
                    .into_iter()
                    .map(|(mut r, _)| {
                        for (n, e) in list {
                            let v = self.eval(e, &r);
                            set(&mut r, n, v);
                        }
                        (r, None)
                    })
                    .collect(),
                OpKind::Project(list) => rows
                    .into_iter()
                    .map(|(r, _)| {
                        (
                            list.iter()
                                .map(|(n, e)| (n.clone(), self.eval(e, &r)))
                                .collect(),
                            None,
                        )
                    })
                    .collect(),
                OpKind::ProjectAway(names) => rows
                    .into_iter()
                    .map(|(mut r, _)| {
                        r.retain(|(n, _)| !names.contains(n));
                        (r, None)
                    })
                    .collect(),
                OpKind::ProjectRename(pairs) => rows
                    .into_iter()
                    .map(|(mut r, _)| {
                        for (new, old) in pairs {
                            for c in r.iter_mut().filter(|(n, _)| n == old) {
                                c.0 = new.clone();
                            }
                        }
                        (r, None)
                    })
                    .collect(),
                OpKind::Take(n) => {
                    if !sample {
                        rows.truncate(*n as usize);
                    }
                    rows
                }
                OpKind::Sort(keys) | OpKind::Top { keys, .. } => {
                    let mut plain: Vec<Row> = Vec::new();
                    let mut raws = HashMap::new();
                    for (i, (mut r, raw)) in rows.into_iter().enumerate() {
                        r.push(("\u{0}i".into(), V::I(i as i64)));
                        raws.insert(i, raw);
                        plain.push(r);
                    }
                    self.sort(&mut plain, keys);
                    if let OpKind::Top { n, .. } = op.kind {
                        plain.truncate(n as usize);
                    }
                    plain
                        .into_iter()
                        .map(|mut r| {
                            let Some((_, V::I(i))) = r.pop() else {
                                unreachable!()
                            };
                            let raw = raws.remove(&(i as usize)).flatten();
                            (r, raw)
                        })
                        .collect()
                }
                OpKind::Distinct(cols) => {
                    let mut seen = HashSet::new();
                    rows.into_iter()
                        .filter_map(|(r, raw)| {
                            let out: Row = match cols {
                                None => r.clone(),
                                Some(cols) => cols
                                    .iter()
                                    .map(|c| (c.clone(), get(&r, c).cloned().unwrap_or(V::Null)))
                                    .collect(),
                            };
                            let key: Vec<String> = out.iter().map(|(_, v)| v.key()).collect();
                            seen.insert(key)
                                .then(|| (out, if cols.is_none() { raw } else { None }))
                        })
                        .collect()
                }
                OpKind::Count => vec![(vec![("Count".into(), V::I(rows.len() as i64))], None)],
                OpKind::Summarize { aggs, by } => {
                    let by_names: Vec<String> = by.iter().map(|(n, _)| n.clone()).collect();
                    let mut order: Vec<String> = Vec::new();
                    let mut groups: HashMap<String, (Vec<V>, Vec<&Row>)> = HashMap::new();
                    for (r, _) in &rows {
                        let keys: Vec<V> = by.iter().map(|(_, e)| self.eval(e, r)).collect();
                        let k: String = keys.iter().map(V::key).collect::<Vec<_>>().join("\u{1}");
                        if !groups.contains_key(&k) {
                            order.push(k.clone());
                        }
                        groups
                            .entry(k)
                            .or_insert_with(|| (keys, Vec::new()))
                            .1
                            .push(r);
                    }
                    if groups.is_empty() && by.is_empty() {
                        order.push(String::new());
                        groups.insert(String::new(), (Vec::new(), Vec::new()));
                    }
                    order
                        .iter()
                        .map(|k| {
                            let (keys, members) = &groups[k];
                            let mut out: Row =
                                by_names.iter().cloned().zip(keys.iter().cloned()).collect();
                            for (name, agg) in aggs {
                                self.aggregate(agg, name, members, &by_names, &mut out);
                            }
                            (out, None)
                        })
                        .collect()
                }
            };
        }
        rows
    }
}

trait Lit {
    fn lit(self, v: &huntvault::query::kql::value::Value) -> V;
}

impl Lit for V {
    /// Literals whose JSON form loses their type (dates, spans).
    fn lit(self, v: &huntvault::query::kql::value::Value) -> V {
        use huntvault::query::kql::value::Value as L;
        match v {
            L::DateTime(t) => V::T(*t),
            L::Span(s) => V::Span(*s),
            _ => self,
        }
    }
}

/// A row as comparable text: numbers rounded to 9 significant digits,
/// arrays sorted (sets have no order).
fn canonical(j: &J) -> String {
    fn norm(j: &J) -> J {
        match j {
            J::Number(n) if n.as_i64().is_none() => {
                J::String(format!("{:.9e}", n.as_f64().unwrap()))
            }
            J::Array(a) => {
                let mut items: Vec<J> = a.iter().map(norm).collect();
                items.sort_by_key(|x| x.to_string());
                J::Array(items)
            }
            J::Object(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
            other => other.clone(),
        }
    }
    norm(j).to_string()
}

struct Entry {
    rows: usize,
    mode: String,
    query: String,
}

fn corpus() -> Vec<Entry> {
    let text = include_str!("kql/corpus.txt");
    let mut out: Vec<Entry> = Vec::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("== ") {
            let mut parts = header.split_whitespace();
            out.push(Entry {
                rows: parts.next().unwrap().parse().unwrap(),
                mode: parts.next().unwrap().to_string(),
                query: String::new(),
            });
        } else if line.trim().is_empty() || line.starts_with('#') {
            continue;
        } else if let Some(e) = out.last_mut() {
            e.query.push_str(line);
            e.query.push('\n');
        }
    }
    out
}

/// Whether the query keeps whole records (its output is compared as raw lines).
fn keeps_records(q: &Query) -> bool {
    q.ops.iter().all(|op| {
        matches!(
            op.kind,
            OpKind::Where(_)
                | OpKind::Take(_)
                | OpKind::Sort(_)
                | OpKind::Top { .. }
                | OpKind::Distinct(None)
        )
    })
}

#[test]
fn hunt_matches_the_oracle_on_the_corpus() {
    let s = Scratch::new();
    let export = s.export();
    s.generate("6MiB", 6, 11);
    s.index_export(&[]);
    let catalog = Catalog::embedded();
    let kinds = catalog.fields().clone();
    let strings: HashSet<String> = kinds
        .iter()
        .filter(|(_, k)| matches!(k, Kind::Keyword | Kind::Text))
        .map(|(n, _)| n.clone())
        .collect();
    let records = load(&export, &kinds);
    let oracle = Oracle {
        now: parse_time(NOW).unwrap(),
        strings: &strings,
    };
    let entries = corpus();
    assert!(
        entries.len() >= 60,
        "the corpus has {} queries",
        entries.len()
    );
    let mut failures = Vec::new();
    for entry in &entries {
        let q = &entry.query;
        let parsed = parser::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let sample = entry.mode == "sample";
        let expected = oracle.run(&parsed, &records, sample);
        let records_out = keeps_records(&parsed);
        let format = if records_out { "raw" } else { "json" };
        let out = s.run(&["hunt", "--now", NOW, "--format", format, q]);
        if !out.status.success() {
            failures.push(format!(
                "{q}: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let stdout = String::from_utf8(out.stdout).unwrap();
        let got: Vec<String> = stdout
            .lines()
            .map(|l| {
                if records_out {
                    l.to_string()
                } else {
                    canonical(&serde_json::from_str(l).unwrap())
                }
            })
            .collect();
        let want: Vec<String> = expected
            .iter()
            .map(|(row, raw)| {
                if records_out {
                    raw.clone().unwrap()
                } else {
                    canonical(&J::Object(
                        row.iter().map(|(n, v)| (n.clone(), v.json())).collect(),
                    ))
                }
            })
            .collect();
        let take = parsed.ops.iter().find_map(|op| match op.kind {
            OpKind::Take(n) => Some(n as usize),
            _ => None,
        });
        let oracle_rows = if sample {
            want.len().min(take.unwrap_or(usize::MAX))
        } else {
            want.len()
        };
        if std::env::var_os("HUNT_ORACLE_PRINT").is_some() {
            eprintln!("== {oracle_rows} {}\n{q}", entry.mode);
        }
        let ok = match entry.mode.as_str() {
            "ordered" => got == want,
            "set" => {
                let (mut a, mut b) = (got.clone(), want.clone());
                a.sort();
                b.sort();
                a == b
            }
            "sample" => {
                let all: HashSet<&String> = want.iter().collect();
                got.len() == oracle_rows && got.iter().all(|g| all.contains(g))
            }
            other => panic!("unknown mode {other}"),
        };
        if !ok {
            failures.push(format!(
                "{q}: hunt gave {} rows, the oracle {} ({} mode)\n  hunt:   {:?}\n  oracle: {:?}",
                got.len(),
                want.len(),
                entry.mode,
                got.iter().take(3).collect::<Vec<_>>(),
                want.iter().take(3).collect::<Vec<_>>()
            ));
        } else if oracle_rows != entry.rows {
            failures.push(format!(
                "{q}: {oracle_rows} rows, the corpus says {}",
                entry.rows
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries differ:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}
