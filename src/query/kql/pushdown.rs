//! `where` predicates → tantivy queries.
//!
//! Each predicate becomes a query that matches *at least* the rows where it
//! holds, marked exact when it matches exactly those rows. Rows a superset
//! query lets through are checked again, one by one, with the evaluator
//! ([`super::eval`]), so the answer is always the exact one:
//!
//! | predicate | index query | exact |
//! |---|---|---|
//! | date or int column `==`, `!=`, `<`, `<=`, `>`, `>=`, `between` a constant (`ago(7d)`, `datetime(…)`, `443`) | range on the column | yes |
//! | bool column `==` | term | yes |
//! | keyword column `=~`, `!~`, `in~`, `!in~` (ASCII values), `isempty`, `isnotempty` | lower-cased term(s), existence | yes |
//! | keyword column `==`, `in` | lower-cased term(s): case is checked per row | no |
//! | keyword column `has`, `contains`, `startswith`, `endswith`, `has_any`, `has_all` | regular expression over the lower-cased values (plus values too long to be indexed) | no |
//! | text column `==`, `=~`, `has`, `in`, `has_any`, `has_all` | the needle's words as a phrase | no |
//! | text column `contains`, `startswith`, `endswith` | the needle's words that must be whole words of the value | no |
//! | `and`, `or` | both / either | if both sides are |
//! | `not(p)` | everything but `p` | no |
//! | anything else (dynamic columns, computed values) | every row | no |

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, ExistsQuery, InvertedIndexRangeQuery, Occur, PhraseQuery,
    Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Term};

use super::ast::{BinOp, Expr, ExprKind, StrOp};
use super::eval::{Context, constant};
use super::value::Value;
use crate::index::fields::{Fields, MAX_KEYWORD_LEN, MAX_WORD_LEN};
use crate::schema::Kind;

/// A query matching at least the rows where a predicate holds.
pub struct Pushed {
    pub query: Box<dyn Query>,
    /// It matches exactly those rows.
    pub exact: bool,
}

impl Pushed {
    fn all() -> Pushed {
        Pushed {
            query: Box::new(AllQuery),
            exact: false,
        }
    }

    fn exact(query: Box<dyn Query>) -> Pushed {
        Pushed { query, exact: true }
    }

    fn superset(query: Box<dyn Query>) -> Pushed {
        Pushed {
            query,
            exact: false,
        }
    }
}

/// Compiles predicates with what they need from the index.
pub struct Pushdown<'a> {
    pub fields: &'a Fields,
    pub ctx: &'a Context,
    /// The analyzer of text fields (words, lower-cased).
    pub text: TextAnalyzer,
}

fn term_q(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn all_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::union(queries))
}

fn but_not(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, query),
    ]))
}

/// Escapes text for a regular expression over terms.
fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push_str(&format!("\\x{{{:x}}}", u32::from(c)));
        }
    }
    out
}

fn tantivy_date(nanos: i128) -> DateTime {
    DateTime::from_timestamp_nanos(nanos.clamp(i64::MIN.into(), i64::MAX.into()) as i64)
}

/// A value turned into the term of a date or int field.
fn typed_term(field: Field, kind: Kind, v: &Value) -> Option<Term> {
    match (kind, v) {
        (Kind::Date, Value::DateTime(t)) => Some(Term::from_field_date(field, tantivy_date(*t))),
        (Kind::Int, Value::Long(n)) => Some(Term::from_field_i64(field, *n)),
        _ => None,
    }
}

impl Pushdown<'_> {
    /// The pushed form of a predicate.
    pub fn push(&mut self, e: &Expr) -> Pushed {
        match &e.kind {
            ExprKind::Bin(BinOp::And, a, b) => {
                let (a, b) = (self.push(a), self.push(b));
                Pushed {
                    exact: a.exact && b.exact,
                    query: all_of(vec![a.query, b.query]),
                }
            }
            ExprKind::Bin(BinOp::Or, a, b) => {
                let (a, b) = (self.push(a), self.push(b));
                Pushed {
                    exact: a.exact && b.exact,
                    query: any_of(vec![a.query, b.query]),
                }
            }
            ExprKind::Call(f, args) if f == "not" && args.len() == 1 => {
                let inner = self.push(&args[0]);
                if inner.exact {
                    Pushed::superset(but_not(inner.query))
                } else {
                    Pushed::all()
                }
            }
            ExprKind::Call(f, args) if args.len() == 1 => match self.column(&args[0]) {
                Some((name, field, kind)) => self.emptiness(f, &name, field, kind),
                None => Pushed::all(),
            },
            ExprKind::Bin(op, a, b) => self.compare(*op, a, b),
            ExprKind::Between {
                neg,
                value,
                low,
                high,
            } => {
                let (Some((name, field, kind)), Some(lo), Some(hi)) =
                    (self.column(value), self.constant(low), self.constant(high))
                else {
                    return Pushed::all();
                };
                match (typed_term(field, kind, &lo), typed_term(field, kind, &hi)) {
                    (Some(lo), Some(hi)) => {
                        let range: Box<dyn Query> =
                            Box::new(RangeQuery::new(Bound::Included(lo), Bound::Included(hi)));
                        if *neg {
                            Pushed::exact(all_of(vec![
                                Box::new(ExistsQuery::new(name, false)),
                                but_not(range),
                            ]))
                        } else {
                            Pushed::exact(range)
                        }
                    }
                    _ => Pushed::all(),
                }
            }
            ExprKind::Str {
                op,
                neg: false,
                value,
                needle,
                ..
            } => match (self.column(value), self.constant(needle)) {
                (Some((_, field, kind)), Some(needle)) => {
                    self.contains(*op, field, kind, &needle.to_text())
                }
                _ => Pushed::all(),
            },
            ExprKind::In {
                neg,
                ci,
                value,
                list,
            } => self.in_list(*neg, *ci, value, list),
            ExprKind::HasAny { all, value, list } => {
                let (Some((_, field, kind)), Some(items)) =
                    (self.column(value), self.constants(list))
                else {
                    return Pushed::all();
                };
                let queries: Vec<_> = items
                    .iter()
                    .map(|v| self.contains(StrOp::Has, field, kind, &v.to_text()).query)
                    .collect();
                Pushed::superset(if *all {
                    all_of(queries)
                } else {
                    any_of(queries)
                })
            }
            ExprKind::AnyHas(term) => {
                let columns: Vec<(Field, Kind)> = self
                    .fields
                    .columns
                    .values()
                    .filter(|(_, k)| matches!(k, Kind::Keyword | Kind::Text))
                    .copied()
                    .collect();
                let queries = columns
                    .into_iter()
                    .map(|(field, kind)| self.contains(StrOp::Has, field, kind, term).query)
                    .collect();
                Pushed::superset(any_of(queries))
            }
            ExprKind::Lit(Value::Bool(true)) => Pushed::exact(Box::new(AllQuery)),
            ExprKind::Lit(Value::Bool(false)) => Pushed::exact(Box::new(EmptyQuery)),
            _ => Pushed::all(),
        }
    }

    /// A column with a field of its own: its name, field and kind.
    fn column(&self, e: &Expr) -> Option<(String, Field, Kind)> {
        let ExprKind::Col(name) = &e.kind else {
            return None;
        };
        let (field, kind) = self.fields.column(name)?;
        Some((name.clone(), field, kind))
    }

    fn constant(&self, e: &Expr) -> Option<Value> {
        constant(e, self.ctx).filter(|v| !v.is_null())
    }

    fn constants(&self, list: &[Expr]) -> Option<Vec<Value>> {
        list.iter().map(|e| self.constant(e)).collect()
    }

    /// `isempty`, `isnotempty`, `isnull`, `isnotnull` of a column.
    fn emptiness(&self, f: &str, name: &str, _field: Field, kind: Kind) -> Pushed {
        let exists = || Box::new(ExistsQuery::new(name.to_string(), false)) as Box<dyn Query>;
        let string = matches!(kind, Kind::Keyword | Kind::Text);
        match (f, kind) {
            // Text fields have no fast column to tell "-" (no words) from empty.
            ("isempty" | "isnotempty", Kind::Text) => Pushed::all(),
            ("isnull", _) if string => Pushed::exact(Box::new(EmptyQuery)),
            ("isnotnull", _) if string => Pushed::exact(Box::new(AllQuery)),
            ("isempty" | "isnull", _) => Pushed::exact(but_not(exists())),
            ("isnotempty" | "isnotnull", _) => Pushed::exact(exists()),
            _ => Pushed::all(),
        }
    }

    fn compare(&mut self, op: BinOp, a: &Expr, b: &Expr) -> Pushed {
        let (column, value, op) = match (self.column(a), self.constant(b)) {
            (Some(c), Some(v)) => (c, v, op),
            _ => match (self.column(b), self.constant(a)) {
                (Some(c), Some(v)) => (c, v, flip(op)),
                _ => return Pushed::all(),
            },
        };
        let (name, field, kind) = column;
        match kind {
            Kind::Date | Kind::Int => {
                let Some(term) = typed_term(field, kind, &value) else {
                    return Pushed::all();
                };
                let range = |l, u| Box::new(RangeQuery::new(l, u)) as Box<dyn Query>;
                let t = || term.clone();
                Pushed::exact(match op {
                    BinOp::Eq => range(Bound::Included(t()), Bound::Included(t())),
                    BinOp::Lt => range(Bound::Unbounded, Bound::Excluded(t())),
                    BinOp::Le => range(Bound::Unbounded, Bound::Included(t())),
                    BinOp::Gt => range(Bound::Excluded(t()), Bound::Unbounded),
                    BinOp::Ge => range(Bound::Included(t()), Bound::Unbounded),
                    BinOp::Ne => all_of(vec![
                        Box::new(ExistsQuery::new(name, false)),
                        but_not(range(Bound::Included(t()), Bound::Included(t()))),
                    ]),
                    _ => return Pushed::all(),
                })
            }
            Kind::Bool => match (op, value) {
                (BinOp::Eq, Value::Bool(b)) => {
                    Pushed::exact(term_q(Term::from_field_bool(field, b)))
                }
                _ => Pushed::all(),
            },
            Kind::Keyword => {
                let Value::Str(text) = value else {
                    return Pushed::all();
                };
                self.keyword_equals(op, &name, field, &text)
            }
            Kind::Text => match op {
                BinOp::Eq | BinOp::EqCi => self.contains(StrOp::Has, field, kind, &value.to_text()),
                _ => Pushed::all(),
            },
            Kind::Dynamic => Pushed::all(),
        }
    }

    /// `==`, `=~`, `!=`, `!~` on a keyword column.
    fn keyword_equals(&self, op: BinOp, name: &str, field: Field, text: &str) -> Pushed {
        let exists = || Box::new(ExistsQuery::new(name.to_string(), false)) as Box<dyn Query>;
        if text.is_empty() {
            return match op {
                BinOp::Eq | BinOp::EqCi => Pushed::exact(but_not(exists())),
                BinOp::Ne | BinOp::NeCi => Pushed::exact(exists()),
                _ => Pushed::all(),
            };
        }
        if text.len() > MAX_KEYWORD_LEN {
            return Pushed::all();
        }
        let term = term_q(Term::from_field_text(field, &text.to_lowercase()));
        match op {
            BinOp::Eq => Pushed::superset(term),
            BinOp::EqCi if text.is_ascii() => Pushed::exact(term),
            BinOp::EqCi => Pushed::superset(term),
            BinOp::NeCi if text.is_ascii() => Pushed::exact(but_not(term)),
            _ => Pushed::all(),
        }
    }

    fn in_list(&mut self, neg: bool, ci: bool, value: &Expr, list: &[Expr]) -> Pushed {
        let (Some((_, field, kind)), Some(items)) = (self.column(value), self.constants(list))
        else {
            return Pushed::all();
        };
        match kind {
            Kind::Keyword => {
                let texts: Vec<String> = items.iter().map(Value::to_text).collect();
                if texts
                    .iter()
                    .any(|t| t.is_empty() || t.len() > MAX_KEYWORD_LEN)
                {
                    return Pushed::all();
                }
                let exact = ci && texts.iter().all(|t| t.is_ascii());
                let terms = any_of(
                    texts
                        .iter()
                        .map(|t| term_q(Term::from_field_text(field, &t.to_lowercase())))
                        .collect(),
                );
                match (neg, exact) {
                    (false, true) => Pushed::exact(terms),
                    (false, false) => Pushed::superset(terms),
                    (true, true) => Pushed::exact(but_not(terms)),
                    (true, false) => Pushed::all(),
                }
            }
            Kind::Int | Kind::Date | Kind::Bool => {
                let terms: Option<Vec<Term>> = items
                    .iter()
                    .map(|v| match (kind, v) {
                        (Kind::Bool, Value::Bool(b)) => Some(Term::from_field_bool(field, *b)),
                        _ => typed_term(field, kind, v),
                    })
                    .collect();
                let Some(terms) = terms else {
                    return Pushed::all();
                };
                let ranges = any_of(
                    terms
                        .into_iter()
                        .map(|t| {
                            Box::new(RangeQuery::new(
                                Bound::Included(t.clone()),
                                Bound::Included(t),
                            )) as Box<dyn Query>
                        })
                        .collect(),
                );
                if neg {
                    // `!in` holds for null: every row without one of the values.
                    Pushed::exact(but_not(ranges))
                } else {
                    Pushed::exact(ranges)
                }
            }
            Kind::Text if !neg => {
                let queries = items
                    .iter()
                    .map(|v| self.contains(StrOp::Has, field, kind, &v.to_text()).query)
                    .collect();
                Pushed::superset(any_of(queries))
            }
            _ => Pushed::all(),
        }
    }

    /// A needle in a keyword or text column (a superset of `op`'s rows).
    fn contains(&mut self, op: StrOp, field: Field, kind: Kind, needle: &str) -> Pushed {
        let lower = needle.to_lowercase();
        match kind {
            Kind::Keyword => {
                if lower.is_empty() || lower.len() > MAX_KEYWORD_LEN {
                    return Pushed::all();
                }
                let pattern = match op {
                    StrOp::StartsWith => format!("{}.*", regex_escape(&lower)),
                    StrOp::EndsWith => format!(".*{}", regex_escape(&lower)),
                    StrOp::Has | StrOp::Contains => format!(".*{}.*", regex_escape(&lower)),
                };
                match RegexQuery::from_pattern(&format!("(?s:{pattern})"), field) {
                    Ok(q) => Pushed::superset(any_of(vec![Box::new(q), self.unindexed(field)])),
                    Err(_) => Pushed::all(),
                }
            }
            Kind::Text => {
                let mut words = Vec::new();
                self.text
                    .token_stream(needle)
                    .process(&mut |t| words.push((t.position, t.text.clone())));
                if words.is_empty() || words.iter().any(|(_, w)| w.len() > MAX_WORD_LEN) {
                    return Pushed::all();
                }
                match op {
                    StrOp::Has if words.len() == 1 => {
                        Pushed::superset(term_q(Term::from_field_text(field, &words[0].1)))
                    }
                    StrOp::Has => Pushed::superset(Box::new(PhraseQuery::new_with_offset(
                        words
                            .iter()
                            .map(|(p, w)| (*p, Term::from_field_text(field, w)))
                            .collect(),
                    ))),
                    _ => self.whole_words(op, field, needle, &words),
                }
            }
            _ => Pushed::all(),
        }
    }
}

impl Pushdown<'_> {
    /// Documents holding a value of a keyword column too long to be
    /// indexed (only its fast field has it): no term query finds them.
    fn unindexed(&self, field: Field) -> Box<dyn Query> {
        let name = self.fields.schema.get_field_name(field).to_string();
        let indexed = Box::new(InvertedIndexRangeQuery::new(
            Bound::Included(Term::from_field_text(field, "")),
            Bound::Unbounded,
        ));
        all_of(vec![
            Box::new(ExistsQuery::new(name, false)),
            but_not(indexed),
        ])
    }

    /// `contains`, `startswith`, `endswith` on a text column: the needle's
    /// words that must be whole words of the value (bounded by non-word
    /// characters in the needle, or by the start or end the operator
    /// anchors) are required terms. Other words may be part of a longer
    /// word, possibly one too long to be indexed, so they are checked per
    /// row only.
    fn whole_words(
        &self,
        op: StrOp,
        field: Field,
        needle: &str,
        words: &[(usize, String)],
    ) -> Pushed {
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let bounded_start = op == StrOp::StartsWith || !alnum(needle.chars().next());
        let bounded_end = op == StrOp::EndsWith || !alnum(needle.chars().next_back());
        let last = words.len() - 1;
        let queries: Vec<Box<dyn Query>> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| (*i > 0 || bounded_start) && (*i < last || bounded_end))
            .map(|(_, (_, w))| term_q(Term::from_field_text(field, w)))
            .collect();
        if queries.is_empty() {
            Pushed::all()
        } else {
            Pushed::superset(all_of(queries))
        }
    }
}

/// The operator with its sides swapped (`5 < x` is `x > 5`).
fn flip(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        other => other,
    }
}
