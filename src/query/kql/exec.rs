//! Running a parsed query: the plan (which `where`s go to the index, whether
//! rows come from fast fields or whole records), then the operators.
//!
//! The `where` operators right after the source are pushed into one tantivy
//! query ([`super::pushdown`]); if that query is not exact, the same
//! predicates are checked again on each row it matches, and only on those.
//! Rows stream through the row-by-row operators (`where`, `extend`,
//! `project`, `project-away`, `project-rename`) into the first operator that
//! needs more than one row (`take`, `top`, `sort`, `distinct`, `count`,
//! `summarize`), which keeps only what it needs: `take` stops the scan once
//! it has its rows, `top` keeps its N, `count` and `summarize` keep counters
//! per group. Later operators work on that operator's output.
//!
//! When every column the query reads before its first `project`,
//! `summarize`, `distinct` or `count` has a fast field (keyword, int, date,
//! bool columns), rows are read from the fast fields and no document is
//! opened; `count` after an exact filter is answered by the index alone.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::Arc;

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::ast::{Agg, AggFn, Expr, ExprKind, Op, OpKind, Query as KqlQuery, SortKey, Source};
use super::eval::{Context, Row, eval};
use super::lexer::error_at;
use super::pushdown::Pushdown;
use super::rows::{RowMode, scan};
use super::value::Value;
use crate::error::{Error, Result};
use crate::index::Archive;
use crate::index::fields::{self, Fields};
use crate::schema::{Catalog, Kind};

/// What a query returned.
#[derive(Debug, Default)]
pub struct Output {
    /// Column names, in order (of the rows' columns, first seen first).
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// How the query ran.
    pub plan: Plan,
}

/// How a query ran (`hunt --explain`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The index decided the leading `where`s exactly (no per-row re-check).
    pub exact: bool,
    /// Where rows came from: fast-field columns, or `None` for stored records.
    pub fast_columns: Option<Vec<String>>,
    /// The index counted the rows itself (`count` after an exact filter).
    pub counted_by_index: bool,
    /// Documents the index query matched and that were read as rows.
    pub rows_read: u64,
}

impl std::fmt::Display for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let filter = if self.exact {
            "index filter exact"
        } else {
            "index filter selects candidates, re-checked per row"
        };
        let rows = match (&self.counted_by_index, &self.fast_columns) {
            (true, _) => "counted by the index".to_string(),
            (false, Some(cols)) if cols.is_empty() => "no column read".to_string(),
            (false, Some(cols)) => format!("rows from fast fields ({})", cols.join(", ")),
            (false, None) => "rows from stored records".to_string(),
        };
        write!(
            f,
            "plan: {filter}; {rows}; {} documents read",
            self.rows_read
        )
    }
}

impl Output {
    /// Every row is still an original record (no operator reshaped it).
    pub fn records(&self) -> bool {
        self.rows.iter().all(|r| r.raw.is_some())
    }
}

/// Runs a parsed query over the archive.
pub fn run(
    archive: &Archive,
    catalog: &Catalog,
    query: &KqlQuery,
    ctx: &Context,
) -> Result<Output> {
    let fields = &archive.fields;
    let searcher = crate::query::search::open_searcher(archive)?;
    let (tables, search_term) = match &query.source {
        Source::Tables(t) => (t.as_slice(), None),
        Source::Search { tables, term } => (tables.as_slice(), Some(term.clone())),
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !tables.is_empty() {
        let mut any = Vec::new();
        for (name, pos) in tables {
            any.push(table_query(&searcher, fields, catalog, name, *pos, ctx)?);
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::union(any))));
    }
    let all_ops: Vec<&Op> = query.ops.iter().collect();
    check_columns(archive, catalog, &source_reads(&all_ops), ctx)?;
    let mut predicates: Vec<Expr> = Vec::new();
    if let Some(term) = search_term {
        predicates.push(Expr::new(ExprKind::AnyHas(term), 0));
    }
    let leading = query
        .ops
        .iter()
        .take_while(|op| matches!(op.kind, OpKind::Where(_)))
        .count();
    for op in &query.ops[..leading] {
        if let OpKind::Where(e) = &op.kind {
            predicates.push(e.clone());
        }
    }
    let analyzer = archive
        .index
        .tokenizers()
        .get(fields::TEXT_TOKENIZER)
        .ok_or_else(|| Error::Index("the text analyzer is not registered on this index".into()))?;
    let mut pushdown = Pushdown {
        fields,
        ctx,
        text: analyzer,
    };
    let mut exact = true;
    for p in &predicates {
        let pushed = pushdown.push(p);
        exact &= pushed.exact;
        clauses.push((Occur::Must, pushed.query));
    }
    let index_query: Box<dyn Query> = if clauses.is_empty() {
        Box::new(tantivy::query::AllQuery)
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    let residual: Vec<Op> = if exact {
        Vec::new()
    } else {
        predicates
            .into_iter()
            .map(|e| Op {
                pos: e.pos,
                kind: OpKind::Where(e),
            })
            .collect()
    };
    let rest = &query.ops[leading..];
    if exact && matches!(rest.first().map(|o| &o.kind), Some(OpKind::Count)) {
        let n = searcher.search(&index_query, &Count)?;
        let row = Row {
            cols: vec![(Arc::from("Count"), Value::Long(n as i64))],
            raw: None,
            derived: true,
        };
        let plan = Plan {
            exact,
            counted_by_index: true,
            ..Plan::default()
        };
        return finish(&rest[1..], vec![row], ctx, plan);
    }
    let ops: Vec<&Op> = residual.iter().chain(rest.iter()).collect();
    let reads = source_reads(&ops);
    let mode = if query_reads_every_column(&query.source) {
        RowMode::Full
    } else {
        fast_columns(&reads, fields).map_or(RowMode::Full, RowMode::Fast)
    };
    let streaming = ops.iter().take_while(|op| row_wise(op)).count();
    let (row_ops, blocking) = ops.split_at(streaming);
    let (mut acc, later) = match blocking.split_first() {
        Some((first, later)) => (Acc::new(first, ctx)?, later),
        None => (Acc::All(Vec::new()), &[][..]),
    };
    let rows_read = stream(
        &searcher,
        fields,
        index_query.as_ref(),
        &mode,
        row_ops,
        ctx,
        |row| acc.push(row),
    )?;
    let out = acc.finish()?;
    let later: Vec<Op> = later.iter().map(|o| (*o).clone()).collect();
    let plan = Plan {
        exact,
        fast_columns: match mode {
            RowMode::Fast(cols) => Some(cols.into_iter().map(|(name, _)| name).collect()),
            RowMode::Full => None,
        },
        counted_by_index: false,
        rows_read,
    };
    finish(&later, out, ctx, plan)
}

/// `search` looks in every string column of the record.
fn query_reads_every_column(source: &Source) -> bool {
    matches!(source, Source::Search { .. })
}

/// The `_table` term of a table name; a name neither the catalog nor the
/// index knows is an error (a typo would otherwise find nothing).
fn table_query(
    searcher: &Searcher,
    fields: &Fields,
    catalog: &Catalog,
    name: &str,
    pos: usize,
    ctx: &Context,
) -> Result<Box<dyn Query>> {
    let canonical = catalog.canonical_table(name).unwrap_or(name);
    let query = Box::new(TermQuery::new(
        Term::from_field_text(fields.table, canonical),
        IndexRecordOption::Basic,
    ));
    if catalog.canonical_table(name).is_none() && searcher.search(query.as_ref(), &Count)? == 0 {
        return Err(error_at(
            &ctx.src,
            pos,
            format!(
                "unknown table `{name}`: it is not in the schema and the index holds no record of it"
            ),
        ));
    }
    Ok(query)
}

fn row_wise(op: &Op) -> bool {
    matches!(
        op.kind,
        OpKind::Where(_)
            | OpKind::Extend(_)
            | OpKind::Project(_)
            | OpKind::ProjectAway(_)
            | OpKind::ProjectRename(_)
    )
}

/// Streams the matching rows through the row-wise operators into `sink`;
/// returns how many documents were read.
fn stream(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    mode: &RowMode,
    row_ops: &[&Op],
    ctx: &Context,
    mut sink: impl FnMut(Row) -> Result<ControlFlow<()>>,
) -> Result<u64> {
    let mut rows_read = 0;
    scan(searcher, fields, query, mode, |_, row| {
        rows_read += 1;
        let mut row = row;
        for op in row_ops {
            match map_row(op, row, ctx)? {
                Some(r) => row = r,
                None => return Ok(ControlFlow::Continue(())),
            }
        }
        sink(row)
    })?;
    Ok(rows_read)
}

/// The record columns the operators read before the first one that
/// reshapes rows (`project`, `summarize`, `distinct`, `count`).
struct SourceReads {
    /// Names and where they are written (columns made by `extend` or
    /// `project-rename` on the way are not listed).
    columns: Vec<(String, usize)>,
    /// Whole records are needed (`project-away`, `distinct *`, `arg_max(x, *)`).
    whole_rows: bool,
    /// An operator reshapes the rows, so the output is not whole records.
    shaped: bool,
}

fn source_reads(ops: &[&Op]) -> SourceReads {
    let mut reads = SourceReads {
        columns: Vec::new(),
        whole_rows: false,
        shaped: false,
    };
    let mut defined: HashSet<String> = HashSet::new();
    let read = |e: &Expr, defined: &HashSet<String>, out: &mut Vec<(String, usize)>| {
        let mut cols = Vec::new();
        e.columns(&mut cols);
        out.extend(cols.into_iter().filter(|(c, _)| !defined.contains(c)));
    };
    for op in ops {
        let out = &mut reads.columns;
        let named =
            |names: &[String], defined: &HashSet<String>, out: &mut Vec<(String, usize)>| {
                out.extend(
                    names
                        .iter()
                        .filter(|n| !defined.contains(*n))
                        .map(|n| (n.clone(), op.pos)),
                );
            };
        match &op.kind {
            OpKind::Where(e) => read(e, &defined, out),
            OpKind::Extend(list) => {
                for (name, e) in list {
                    read(e, &defined, out);
                    defined.insert(name.clone());
                }
            }
            OpKind::ProjectRename(pairs) => {
                for (new, old) in pairs {
                    named(std::slice::from_ref(old), &defined, out);
                    defined.insert(new.clone());
                }
            }
            OpKind::ProjectAway(names) => {
                named(names, &defined, out);
                reads.whole_rows = true;
            }
            OpKind::Distinct(None) => reads.whole_rows = true,
            OpKind::Take(_) => {}
            OpKind::Top { keys, .. } | OpKind::Sort(keys) => {
                keys.iter().for_each(|k| read(&k.expr, &defined, out));
            }
            OpKind::Project(list) => {
                list.iter().for_each(|(_, e)| read(e, &defined, out));
                reads.shaped = true;
            }
            OpKind::Distinct(Some(names)) => {
                named(names, &defined, out);
                reads.shaped = true;
            }
            OpKind::Count => reads.shaped = true,
            OpKind::Summarize { aggs, by } => {
                reads.whole_rows |= aggs.iter().any(|(_, a)| a.star);
                by.iter().for_each(|(_, e)| read(e, &defined, out));
                for (_, agg) in aggs {
                    agg.args.iter().for_each(|e| read(e, &defined, out));
                }
                reads.shaped = true;
            }
        }
        if reads.shaped {
            break;
        }
    }
    reads
}

/// The fast-field columns the operators read, if all of them have one and
/// the output does not need whole records.
fn fast_columns(reads: &SourceReads, fields: &Fields) -> Option<Vec<(String, Kind)>> {
    if reads.whole_rows || !reads.shaped {
        return None;
    }
    let mut out: Vec<(String, Kind)> = Vec::new();
    for (name, _) in &reads.columns {
        if out.iter().any(|(n, _)| n == name) {
            continue;
        }
        let (field, kind) = fields.column(name)?;
        let fast = fields.schema.get_field_entry(field).is_fast();
        if !fast || !matches!(kind, Kind::Keyword | Kind::Int | Kind::Date | Kind::Bool) {
            return None;
        }
        out.push((name.clone(), kind));
    }
    Some(out)
}

/// Refuses a column that no schema lists and no record holds: column names
/// are case-sensitive, and a misspelt one would otherwise be empty in every
/// row and quietly match nothing.
fn check_columns(
    archive: &Archive,
    catalog: &Catalog,
    reads: &SourceReads,
    ctx: &Context,
) -> Result<()> {
    let fields = &archive.fields;
    let searcher = crate::query::search::open_searcher(archive)?;
    let mut checked = HashSet::new();
    for (name, pos) in &reads.columns {
        if !checked.insert(name.as_str())
            || fields.columns.contains_key(name)
            || catalog.fields().contains_key(name)
        {
            continue;
        }
        let known = fields
            .columns
            .keys()
            .chain(catalog.fields().keys())
            .find(|c| c.eq_ignore_ascii_case(name));
        if let Some(known) = known {
            return Err(error_at(
                &ctx.src,
                *pos,
                format!(
                    "unknown column `{name}`: column names are case-sensitive, did you mean `{known}`?"
                ),
            ));
        }
        let held = crate::query::search::compile(archive, &format!("{name}:*"))
            .and_then(|q| Ok(searcher.search(q.as_ref(), &Count)?))
            .unwrap_or(0);
        if held == 0 {
            return Err(error_at(
                &ctx.src,
                *pos,
                format!("unknown column `{name}`: no schema lists it and no record holds it"),
            ));
        }
    }
    Ok(())
}

/// Applies a row-by-row operator; `None` drops the row.
fn map_row(op: &Op, mut row: Row, ctx: &Context) -> Result<Option<Row>> {
    Ok(Some(match &op.kind {
        OpKind::Where(e) => {
            if eval(e, &row, ctx)?.as_bool() != Some(true) {
                return Ok(None);
            }
            row
        }
        OpKind::Extend(list) => {
            for (name, e) in list {
                let v = eval(e, &row, ctx)?;
                row.set(name, v);
            }
            row.raw = None;
            row
        }
        OpKind::Project(list) => {
            let mut cols = Vec::with_capacity(list.len());
            for (name, e) in list {
                cols.push((Arc::from(name.as_str()), eval(e, &row, ctx)?));
            }
            Row {
                cols,
                raw: None,
                derived: true,
            }
        }
        OpKind::ProjectAway(names) => {
            row.cols.retain(|(n, _)| !names.iter().any(|x| **x == **n));
            row.raw = None;
            row
        }
        OpKind::ProjectRename(pairs) => {
            for (new, old) in pairs {
                if let Some(col) = row.cols.iter_mut().find(|(n, _)| **n == **old) {
                    col.0 = Arc::from(new.as_str());
                } else if row.derived {
                    return Err(error_at(
                        &ctx.src,
                        op.pos,
                        format!("there is no column `{old}` to rename"),
                    ));
                }
            }
            row.raw = None;
            row
        }
        _ => return Ok(Some(row)),
    }))
}

/// Runs the operators after the first blocking one on its output.
fn finish(ops: &[Op], mut rows: Vec<Row>, ctx: &Context, plan: Plan) -> Result<Output> {
    for op in ops {
        if row_wise(op) {
            let mut next = Vec::with_capacity(rows.len());
            for row in rows {
                next.extend(map_row(op, row, ctx)?);
            }
            rows = next;
        } else {
            let mut acc = Acc::new(op, ctx)?;
            for row in rows {
                if acc.push(row)?.is_break() {
                    break;
                }
            }
            rows = acc.finish()?;
        }
    }
    Ok(output(rows, plan))
}

fn output(rows: Vec<Row>, plan: Plan) -> Output {
    let mut columns: Vec<String> = Vec::new();
    let mut seen: HashSet<Arc<str>> = HashSet::new();
    for row in &rows {
        for (name, _) in &row.cols {
            if seen.insert(name.clone()) {
                columns.push(name.to_string());
            }
        }
    }
    Output {
        columns,
        rows,
        plan,
    }
}

/// Named values of a row.
type Columns = Vec<(Arc<str>, Value)>;

/// Sort keys evaluated for a row.
type Keyed = (Vec<Value>, Row);

fn compare_keys(keys: &[SortKey], a: &[Value], b: &[Value]) -> Ordering {
    for (k, (x, y)) in keys.iter().zip(a.iter().zip(b)) {
        let o = match (x.is_null(), y.is_null()) {
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
                let o = x.sort_cmp(y);
                if k.desc { o.reverse() } else { o }
            }
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// The state of one aggregation in one group.
#[derive(Debug, Clone)]
enum AggState {
    Count(u64),
    Distinct(HashSet<Value>),
    Min(Option<Value>),
    Max(Option<Value>),
    Sum(Option<Value>),
    Avg(f64, u64),
    Set(Vec<Value>, HashSet<Value>),
    /// The best value so far and the columns kept with it.
    Arg(Option<(Value, Columns)>),
}

/// The greatest number of values `make_set` keeps (KQL's default).
const MAKE_SET_MAX: usize = 1_048_576;

impl AggState {
    fn new(agg: &Agg) -> AggState {
        match agg.func {
            AggFn::Count | AggFn::CountIf => AggState::Count(0),
            AggFn::DCount => AggState::Distinct(HashSet::new()),
            AggFn::Min => AggState::Min(None),
            AggFn::Max => AggState::Max(None),
            AggFn::Sum => AggState::Sum(None),
            AggFn::Avg => AggState::Avg(0.0, 0),
            AggFn::MakeSet => AggState::Set(Vec::new(), HashSet::new()),
            AggFn::ArgMax | AggFn::ArgMin => AggState::Arg(None),
        }
    }

    fn add(&mut self, agg: &Agg, row: &Row, ctx: &Context, by_names: &[String]) -> Result<()> {
        let arg = |i: usize| -> Result<Value> {
            agg.args
                .get(i)
                .map_or(Ok(Value::Null), |e| eval(e, row, ctx))
        };
        match self {
            AggState::Count(n) => {
                if agg.func == AggFn::Count || arg(0)?.as_bool() == Some(true) {
                    *n += 1;
                }
            }
            AggState::Distinct(set) => {
                let v = arg(0)?;
                if !v.is_null() {
                    set.insert(v);
                }
            }
            AggState::Min(m) | AggState::Max(m) => {
                let v = arg(0)?;
                let want = if agg.func == AggFn::Min {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                if !v.is_null() && m.as_ref().is_none_or(|cur| v.sort_cmp(cur) == want) {
                    *m = Some(v);
                }
            }
            AggState::Sum(s) => {
                let v = arg(0)?;
                if v.as_f64().is_some() {
                    *s = Some(match (s.take(), v) {
                        (None, v) => v,
                        (Some(Value::Long(a)), Value::Long(b)) => a
                            .checked_add(b)
                            .map_or(Value::Real(a as f64 + b as f64), Value::Long),
                        (Some(a), b) => {
                            Value::Real(a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0))
                        }
                    });
                }
            }
            AggState::Avg(sum, n) => {
                if let Some(x) = arg(0)?.as_f64() {
                    *sum += x;
                    *n += 1;
                }
            }
            AggState::Set(list, seen) => {
                let v = arg(0)?;
                let max = match arg(1)? {
                    Value::Long(n) if n > 0 => n as usize,
                    _ => MAKE_SET_MAX,
                };
                if !v.is_null() && list.len() < max && seen.insert(v.clone()) {
                    list.push(v);
                }
            }
            AggState::Arg(best) => {
                let v = arg(0)?;
                let want = if agg.func == AggFn::ArgMin {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                if v.is_null()
                    || best
                        .as_ref()
                        .is_some_and(|(cur, _)| v.sort_cmp(cur) != want)
                {
                    return Ok(());
                }
                let mut kept = Vec::new();
                for (i, e) in agg.args.iter().enumerate().skip(1) {
                    kept.push((Arc::from(arg_name(e, i).as_str()), eval(e, row, ctx)?));
                }
                if agg.star {
                    let first = agg.args.first().and_then(col_name);
                    for (name, value) in &row.cols {
                        let skip = by_names.iter().any(|b| **b == **name)
                            || first.is_some_and(|f| f == &**name)
                            || kept.iter().any(|(k, _)| k == name);
                        if !skip {
                            kept.push((name.clone(), value.clone()));
                        }
                    }
                }
                *best = Some((v, kept));
            }
        }
        Ok(())
    }

    /// The aggregation's output columns.
    fn finish(self, name: &str, agg: &Agg, out: &mut Vec<(Arc<str>, Value)>) {
        let v = match self {
            AggState::Count(n) => Value::Long(n as i64),
            AggState::Distinct(set) => Value::Long(set.len() as i64),
            AggState::Min(m) | AggState::Max(m) | AggState::Sum(m) => m.unwrap_or(Value::Null),
            AggState::Avg(sum, n) => {
                if n == 0 {
                    Value::Null
                } else {
                    Value::Real(sum / n as f64)
                }
            }
            AggState::Set(list, _) => Value::Dynamic(serde_json::Value::Array(
                list.iter().map(Value::to_json).collect(),
            )),
            AggState::Arg(best) => {
                let first = agg.args.first().and_then(col_name).unwrap_or(name);
                let (value, kept) = best.unwrap_or((Value::Null, Vec::new()));
                out.push((Arc::from(first), value));
                out.extend(kept);
                return;
            }
        };
        out.push((Arc::from(name), v));
    }
}

fn col_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Col(n) => Some(n),
        _ => None,
    }
}

fn arg_name(e: &Expr, i: usize) -> String {
    col_name(e).map_or_else(|| format!("Column{i}"), str::to_string)
}

/// One group of `summarize`.
struct Group {
    keys: Vec<Value>,
    states: Vec<AggState>,
}

/// A blocking operator's state.
enum Acc<'a> {
    /// Every row (no blocking operator).
    All(Vec<Row>),
    Take(u64, Vec<Row>),
    Top(u64, &'a [SortKey], Vec<Keyed>, &'a Context),
    Sort(&'a [SortKey], Vec<Keyed>, &'a Context),
    Distinct(Option<&'a [String]>, HashSet<Vec<Value>>, Vec<Row>),
    Count(u64),
    Summarize {
        aggs: &'a [(String, Agg)],
        by: &'a [(String, Expr)],
        by_names: Vec<String>,
        groups: HashMap<Vec<Value>, usize>,
        list: Vec<Group>,
        ctx: &'a Context,
    },
}

impl<'a> Acc<'a> {
    fn new(op: &'a Op, ctx: &'a Context) -> Result<Acc<'a>> {
        Ok(match &op.kind {
            OpKind::Take(n) => Acc::Take(*n, Vec::new()),
            OpKind::Top { n, keys } => Acc::Top(*n, keys, Vec::new(), ctx),
            OpKind::Sort(keys) => Acc::Sort(keys, Vec::new(), ctx),
            OpKind::Distinct(names) => Acc::Distinct(names.as_deref(), HashSet::new(), Vec::new()),
            OpKind::Count => Acc::Count(0),
            OpKind::Summarize { aggs, by } => Acc::Summarize {
                aggs,
                by,
                by_names: by.iter().map(|(n, _)| n.clone()).collect(),
                groups: HashMap::new(),
                list: Vec::new(),
                ctx,
            },
            _ => {
                return Err(error_at(
                    &ctx.src,
                    op.pos,
                    "internal: not a blocking operator",
                ));
            }
        })
    }

    fn push(&mut self, row: Row) -> Result<ControlFlow<()>> {
        match self {
            Acc::All(rows) => rows.push(row),
            Acc::Take(n, rows) => {
                if rows.len() as u64 >= *n {
                    return Ok(ControlFlow::Break(()));
                }
                rows.push(row);
                if rows.len() as u64 >= *n {
                    return Ok(ControlFlow::Break(()));
                }
            }
            Acc::Top(n, keys, rows, ctx) => {
                let k = keys
                    .iter()
                    .map(|k| eval(&k.expr, &row, ctx))
                    .collect::<Result<_>>()?;
                rows.push((k, row));
                let n = usize::try_from(*n).unwrap_or(usize::MAX);
                if rows.len() > n.saturating_mul(2).max(1024) {
                    rows.sort_by(|a, b| compare_keys(keys, &a.0, &b.0));
                    rows.truncate(n);
                }
            }
            Acc::Sort(keys, rows, ctx) => {
                let k = keys
                    .iter()
                    .map(|k| eval(&k.expr, &row, ctx))
                    .collect::<Result<_>>()?;
                rows.push((k, row));
            }
            Acc::Distinct(names, seen, rows) => {
                let (key, out) = match names {
                    None => (row.cols.iter().map(|(_, v)| v.clone()).collect(), row),
                    Some(names) => {
                        let mut cols = Vec::with_capacity(names.len());
                        for name in names.iter() {
                            let v = row.get(name).cloned().unwrap_or(Value::Null);
                            cols.push((Arc::from(name.as_str()), v));
                        }
                        let key = cols.iter().map(|(_, v)| v.clone()).collect();
                        (
                            key,
                            Row {
                                cols,
                                raw: None,
                                derived: true,
                            },
                        )
                    }
                };
                if seen.insert(key) {
                    rows.push(out);
                }
            }
            Acc::Count(n) => *n += 1,
            Acc::Summarize {
                aggs,
                by,
                by_names,
                groups,
                list,
                ctx,
            } => {
                let mut keys = Vec::with_capacity(by.len());
                for (_, e) in by.iter() {
                    keys.push(eval(e, &row, ctx)?);
                }
                let i = match groups.get(&keys) {
                    Some(i) => *i,
                    None => {
                        list.push(Group {
                            keys: keys.clone(),
                            states: aggs.iter().map(|(_, a)| AggState::new(a)).collect(),
                        });
                        groups.insert(keys, list.len() - 1);
                        list.len() - 1
                    }
                };
                for (state, (_, agg)) in list[i].states.iter_mut().zip(aggs.iter()) {
                    state.add(agg, &row, ctx, by_names)?;
                }
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    fn finish(self) -> Result<Vec<Row>> {
        Ok(match self {
            Acc::All(rows) | Acc::Take(_, rows) => rows,
            Acc::Top(n, keys, mut rows, _) => {
                rows.sort_by(|a, b| compare_keys(keys, &a.0, &b.0));
                rows.truncate(usize::try_from(n).unwrap_or(usize::MAX));
                rows.into_iter().map(|(_, r)| r).collect()
            }
            Acc::Sort(keys, mut rows, _) => {
                rows.sort_by(|a, b| compare_keys(keys, &a.0, &b.0));
                rows.into_iter().map(|(_, r)| r).collect()
            }
            Acc::Distinct(_, _, rows) => rows,
            Acc::Count(n) => vec![Row {
                cols: vec![(Arc::from("Count"), Value::Long(n as i64))],
                raw: None,
                derived: true,
            }],
            Acc::Summarize {
                aggs, by, mut list, ..
            } => {
                if list.is_empty() && by.is_empty() {
                    list.push(Group {
                        keys: Vec::new(),
                        states: aggs.iter().map(|(_, a)| AggState::new(a)).collect(),
                    });
                }
                list.into_iter()
                    .map(|g| {
                        let mut cols: Vec<(Arc<str>, Value)> = by
                            .iter()
                            .map(|(n, _)| Arc::from(n.as_str()))
                            .zip(g.keys)
                            .collect();
                        for (state, (name, agg)) in g.states.into_iter().zip(aggs.iter()) {
                            state.finish(name, agg, &mut cols);
                        }
                        Row {
                            cols,
                            raw: None,
                            derived: true,
                        }
                    })
                    .collect()
            }
        })
    }
}
