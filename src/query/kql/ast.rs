//! The syntax tree of a hunting query: a source, a pipe of tabular
//! operators, scalar expressions. Every node keeps the byte position it
//! was written at, for messages.

use super::value::Value;

/// A whole query: `let` bindings, a source, and operators.
#[derive(Debug, Clone)]
pub struct Query {
    pub source: Source,
    pub ops: Vec<Op>,
}

/// Where rows come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// One table, or `union T1, T2`.
    Tables(Vec<(String, usize)>),
    /// `search "term"` (in every table, or `search in (T1, T2) "term"`).
    Search {
        tables: Vec<(String, usize)>,
        term: String,
    },
}

/// One tabular operator and where it was written.
#[derive(Debug, Clone)]
pub struct Op {
    pub kind: OpKind,
    pub pos: usize,
}

#[derive(Debug, Clone)]
pub enum OpKind {
    Where(Expr),
    /// Output columns: name and expression.
    Project(Vec<(String, Expr)>),
    ProjectAway(Vec<String>),
    /// `new = old` pairs.
    ProjectRename(Vec<(String, String)>),
    Extend(Vec<(String, Expr)>),
    Take(u64),
    Top {
        n: u64,
        keys: Vec<SortKey>,
    },
    Sort(Vec<SortKey>),
    /// Column names; `None` for `distinct *`.
    Distinct(Option<Vec<String>>),
    Count,
    Summarize {
        aggs: Vec<(String, Agg)>,
        by: Vec<(String, Expr)>,
    },
}

/// A sort key: `expr [asc|desc] [nulls first|last]`.
#[derive(Debug, Clone)]
pub struct SortKey {
    pub expr: Expr,
    pub desc: bool,
    pub nulls_first: bool,
}

/// An aggregation function of `summarize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggFn {
    Count,
    CountIf,
    DCount,
    Min,
    Max,
    Sum,
    Avg,
    MakeSet,
    ArgMax,
    ArgMin,
}

/// An aggregation call.
#[derive(Debug, Clone)]
pub struct Agg {
    pub func: AggFn,
    pub args: Vec<Expr>,
    /// `arg_max(x, *)`: the other columns are every column of the row.
    pub star: bool,
    pub pos: usize,
}

/// A scalar expression and where it was written.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub pos: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Eq,
    Ne,
    EqCi,
    NeCi,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

/// The string operators that look for a needle in a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrOp {
    Has,
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Lit(Value),
    Col(String),
    Call(String, Vec<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    /// `a has b`, `a !contains_cs b`, …
    Str {
        op: StrOp,
        cs: bool,
        neg: bool,
        value: Box<Expr>,
        needle: Box<Expr>,
    },
    /// `a in (…)`, `a !in~ (…)`.
    In {
        neg: bool,
        ci: bool,
        value: Box<Expr>,
        list: Vec<Expr>,
    },
    /// `a has_any (…)` / `a has_all (…)`.
    HasAny {
        all: bool,
        value: Box<Expr>,
        list: Vec<Expr>,
    },
    /// `a between (lo .. hi)`, `a !between (…)`.
    Between {
        neg: bool,
        value: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
    },
    /// `x.Field`, `x["Field"]`, `x[0]`.
    Member(Box<Expr>, Value),
    /// `search "term"`: a string column of the row has the term.
    AnyHas(String),
}

impl Expr {
    pub fn new(kind: ExprKind, pos: usize) -> Expr {
        Expr { kind, pos }
    }

    /// Every column the expression reads, with where it is named.
    pub fn columns(&self, out: &mut Vec<(String, usize)>) {
        match &self.kind {
            ExprKind::Lit(_) | ExprKind::AnyHas(_) => {}
            ExprKind::Col(name) => out.push((name.clone(), self.pos)),
            ExprKind::Call(_, args) => args.iter().for_each(|a| a.columns(out)),
            ExprKind::Bin(_, a, b) => {
                a.columns(out);
                b.columns(out);
            }
            ExprKind::Neg(a) | ExprKind::Member(a, _) => a.columns(out),
            ExprKind::Str { value, needle, .. } => {
                value.columns(out);
                needle.columns(out);
            }
            ExprKind::In { value, list, .. } | ExprKind::HasAny { value, list, .. } => {
                value.columns(out);
                list.iter().for_each(|a| a.columns(out));
            }
            ExprKind::Between {
                value, low, high, ..
            } => {
                value.columns(out);
                low.columns(out);
                high.columns(out);
            }
        }
    }
}
