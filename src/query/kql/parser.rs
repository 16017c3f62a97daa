//! Tokens → [`ast::Query`]. A recursive-descent parser for the supported
//! subset of KQL; anything else is refused with an error naming it and its
//! `line:column`, never skipped.

use std::collections::HashMap;

use super::ast::{Agg, AggFn, BinOp, Expr, ExprKind, Op, OpKind, Query, SortKey, Source, StrOp};
use super::lexer::{Tok, Token, error_at, tokenize};
use super::value::Value;
use crate::error::{Error, Result};

/// The tabular operators this parser reads.
pub const OPERATORS: &[&str] = &[
    "where",
    "filter",
    "project",
    "project-away",
    "project-rename",
    "extend",
    "take",
    "limit",
    "top",
    "sort",
    "order",
    "distinct",
    "count",
    "summarize",
];

/// Parses a query.
pub fn parse(src: &str) -> Result<Query> {
    let tokens = tokenize(src)?;
    let mut p = Parser {
        src,
        tokens,
        i: 0,
        lets: HashMap::new(),
    };
    p.query()
}

/// Parses one scalar expression (a `where` predicate on its own).
pub fn parse_expr(src: &str) -> Result<Expr> {
    let tokens = tokenize(src)?;
    let mut p = Parser {
        src,
        tokens,
        i: 0,
        lets: HashMap::new(),
    };
    let e = p.expr()?;
    if *p.peek() != Tok::Eof {
        return Err(p.err(
            p.pos(),
            format!(
                "unexpected {} after the predicate",
                Parser::describe(p.peek())
            ),
        ));
    }
    Ok(e)
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    i: usize,
    /// `let` names and the expressions they stand for.
    lets: HashMap<String, Expr>,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.i].tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.tokens[(self.i + n).min(self.tokens.len() - 1)].tok
    }

    fn pos(&self) -> usize {
        self.tokens[self.i].pos
    }

    fn next(&mut self) -> Token {
        let t = self.tokens[self.i].clone();
        if self.i + 1 < self.tokens.len() {
            self.i += 1;
        }
        t
    }

    fn err(&self, pos: usize, message: impl std::fmt::Display) -> Error {
        error_at(self.src, pos, message)
    }

    fn unsupported(&self, pos: usize, what: &str) -> Error {
        self.err(pos, format!("not supported: {what}"))
    }

    fn describe(tok: &Tok) -> String {
        match tok {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Str(s) => format!("the string {s:?}"),
            Tok::Long(n) => format!("`{n}`"),
            Tok::Real(n) => format!("`{n}`"),
            Tok::Span(_) => "a timespan".into(),
            Tok::Date(d) => format!("`datetime({d})`"),
            Tok::Punct(p) => format!("`{p}`"),
            Tok::Eof => "the end of the query".into(),
        }
    }

    fn expect(&mut self, punct: &str) -> Result<usize> {
        if *self.peek() == Tok::Punct(punct_static(punct)) {
            Ok(self.next().pos)
        } else {
            Err(self.err(
                self.pos(),
                format!("expected `{punct}`, found {}", Self::describe(self.peek())),
            ))
        }
    }

    fn eat(&mut self, punct: &str) -> bool {
        if *self.peek() == Tok::Punct(punct_static(punct)) {
            self.next();
            true
        } else {
            false
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(w) if w.eq_ignore_ascii_case(word))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.is_word(word) {
            self.next();
            true
        } else {
            false
        }
    }

    fn ident(&mut self, what: &str) -> Result<(String, usize)> {
        match self.peek().clone() {
            Tok::Ident(name) if !name.starts_with('!') => {
                let pos = self.next().pos;
                Ok((name, pos))
            }
            Tok::Punct("[") => {
                // ['Column name']
                let pos = self.next().pos;
                let Tok::Str(name) = self.next().tok else {
                    return Err(self.err(pos, format!("expected {what}")));
                };
                self.expect("]")?;
                Ok((name, pos))
            }
            other => Err(self.err(
                self.pos(),
                format!("expected {what}, found {}", Self::describe(&other)),
            )),
        }
    }

    fn query(&mut self) -> Result<Query> {
        while self.is_word("let") {
            let pos = self.next().pos;
            let (name, _) = self.ident("a name after `let`")?;
            self.expect("=")?;
            if matches!(self.peek(), Tok::Punct("(")) && self.looks_like_function() {
                return Err(self.unsupported(pos, "`let` of a function"));
            }
            let value = self.expr()?;
            if matches!(self.peek(), Tok::Punct("|")) {
                return Err(self.unsupported(pos, "`let` of a tabular expression"));
            }
            self.lets.insert(name, value);
            self.expect(";")?;
        }
        let source = self.source()?;
        let mut ops = Vec::new();
        while self.eat("|") {
            ops.push(self.op()?);
        }
        self.eat(";");
        if *self.peek() != Tok::Eof {
            return Err(self.err(
                self.pos(),
                format!(
                    "unexpected {} here: operators are separated by `|`",
                    Self::describe(self.peek())
                ),
            ));
        }
        Ok(Query { source, ops })
    }

    /// `let f = (x: string) { … }`: a `(` followed by `name :`.
    fn looks_like_function(&self) -> bool {
        matches!(self.peek_at(1), Tok::Punct(")"))
            || (matches!(self.peek_at(1), Tok::Ident(_)) && *self.peek_at(2) == Tok::Punct(":"))
    }

    fn table_list(&mut self) -> Result<Vec<(String, usize)>> {
        let mut tables = vec![self.ident("a table name")?];
        while self.eat(",") {
            tables.push(self.ident("a table name")?);
        }
        Ok(tables)
    }

    fn source(&mut self) -> Result<Source> {
        let pos = self.pos();
        let Tok::Ident(word) = self.peek().clone() else {
            return Err(self.err(
                pos,
                format!(
                    "a query starts with a table name (`DeviceProcessEvents | …`), `union` or `search`; found {}",
                    Self::describe(self.peek())
                ),
            ));
        };
        match word.to_ascii_lowercase().as_str() {
            "union" => {
                self.next();
                if matches!(self.peek_at(1), Tok::Punct("=")) {
                    return Err(self.unsupported(self.pos(), "`union` parameters"));
                }
                Ok(Source::Tables(self.table_list()?))
            }
            "search" => {
                self.next();
                let mut tables = Vec::new();
                if self.eat_word("in") {
                    self.expect("(")?;
                    tables = self.table_list()?;
                    self.expect(")")?;
                }
                match self.next() {
                    Token {
                        tok: Tok::Str(term),
                        ..
                    } => Ok(Source::Search { tables, term }),
                    t => Err(self.unsupported(
                        t.pos,
                        "`search` with anything but one quoted term (`search \"mimikatz\"`)",
                    )),
                }
            }
            "find" | "print" | "range" | "datatable" | "externaldata" | "evaluate"
            | "materialize" | "toscalar" | "cluster" | "database" => {
                Err(self.unsupported(pos, &format!("`{word}`")))
            }
            _ => {
                self.next();
                if matches!(self.peek(), Tok::Punct("(")) {
                    return Err(
                        self.unsupported(pos, &format!("the function `{word}()` as a source"))
                    );
                }
                Ok(Source::Tables(vec![(word, pos)]))
            }
        }
    }

    fn count_value(&mut self, what: &str) -> Result<u64> {
        let pos = self.pos();
        let value = self.expr()?;
        match fold_literal(&value) {
            Some(Value::Long(n)) if n >= 0 => Ok(n as u64),
            _ => Err(self.err(
                pos,
                format!("{what} needs a whole number of rows: `{what} 100`"),
            )),
        }
    }

    fn op(&mut self) -> Result<Op> {
        let pos = self.pos();
        let Tok::Ident(word) = self.peek().clone() else {
            return Err(self.err(
                pos,
                format!(
                    "expected an operator after `|`, found {}",
                    Self::describe(self.peek())
                ),
            ));
        };
        let lower = word.to_ascii_lowercase();
        if !OPERATORS.contains(&lower.as_str()) {
            return Err(self.unsupported(
                pos,
                &format!("`{word}` (supported operators: {})", OPERATORS.join(", ")),
            ));
        }
        self.next();
        let kind = match lower.as_str() {
            "where" | "filter" => OpKind::Where(self.expr()?),
            "project" => OpKind::Project(self.assignments(false)?),
            "extend" => OpKind::Extend(self.assignments(true)?),
            "project-away" => {
                let mut names = vec![self.ident("a column name")?.0];
                while self.eat(",") {
                    names.push(self.ident("a column name")?.0);
                }
                OpKind::ProjectAway(names)
            }
            "project-rename" => {
                let mut pairs = Vec::new();
                loop {
                    let (new, _) = self.ident("a new column name")?;
                    self.expect("=")?;
                    let (old, _) = self.ident("the column to rename")?;
                    pairs.push((new, old));
                    if !self.eat(",") {
                        break;
                    }
                }
                OpKind::ProjectRename(pairs)
            }
            "take" | "limit" => OpKind::Take(self.count_value(&lower)?),
            "top" => {
                let n = self.count_value("top")?;
                if !self.eat_word("by") {
                    return Err(
                        self.err(self.pos(), "`top` needs `by`: `top 10 by Timestamp desc`")
                    );
                }
                OpKind::Top {
                    n,
                    keys: self.sort_keys()?,
                }
            }
            "sort" | "order" => {
                if !self.eat_word("by") {
                    return Err(self.err(
                        self.pos(),
                        format!("`{lower}` needs `by`: `{lower} by Timestamp desc`"),
                    ));
                }
                OpKind::Sort(self.sort_keys()?)
            }
            "distinct" => {
                if self.eat("*") {
                    OpKind::Distinct(None)
                } else {
                    let mut names = vec![self.ident("a column name")?.0];
                    while self.eat(",") {
                        names.push(self.ident("a column name")?.0);
                    }
                    OpKind::Distinct(Some(names))
                }
            }
            "count" => OpKind::Count,
            "summarize" => self.summarize()?,
            _ => unreachable!("every operator in OPERATORS is parsed"),
        };
        Ok(Op { kind, pos })
    }

    fn sort_keys(&mut self) -> Result<Vec<SortKey>> {
        let mut keys = Vec::new();
        loop {
            let expr = self.expr()?;
            let desc = if self.eat_word("asc") {
                false
            } else {
                self.eat_word("desc");
                true
            };
            let nulls_first = if self.eat_word("nulls") {
                if self.eat_word("first") {
                    true
                } else if self.eat_word("last") {
                    false
                } else {
                    return Err(self.err(self.pos(), "write `nulls first` or `nulls last`"));
                }
            } else {
                !desc
            };
            keys.push(SortKey {
                expr,
                desc,
                nulls_first,
            });
            if !self.eat(",") {
                return Ok(keys);
            }
        }
    }

    /// `name = expr, expr, …`; `named` requires a name (extend).
    fn assignments(&mut self, named: bool) -> Result<Vec<(String, Expr)>> {
        let mut out = Vec::new();
        let mut unnamed = 0;
        loop {
            let pos = self.pos();
            if matches!(self.peek(), Tok::Ident(_)) && *self.peek_at(1) == Tok::Punct("=") {
                let (name, _) = self.ident("a column name")?;
                self.next();
                out.push((name, self.expr()?));
            } else {
                let expr = self.expr()?;
                let name = match &expr.kind {
                    ExprKind::Col(name) => name.clone(),
                    ExprKind::Member(_, Value::Str(key)) => key.clone(),
                    _ if named => {
                        return Err(self.err(
                            pos,
                            "`extend` needs a name for the new column: `extend Name = …`",
                        ));
                    }
                    _ => {
                        unnamed += 1;
                        format!("Column{unnamed}")
                    }
                };
                out.push((name, expr));
            }
            if !self.eat(",") {
                return Ok(out);
            }
        }
    }

    fn summarize(&mut self) -> Result<OpKind> {
        let mut aggs = Vec::new();
        if !self.is_word("by") {
            loop {
                let name = if matches!(self.peek(), Tok::Ident(_))
                    && *self.peek_at(1) == Tok::Punct("=")
                {
                    let (name, _) = self.ident("a column name")?;
                    self.next();
                    Some(name)
                } else {
                    None
                };
                let agg = self.agg()?;
                let name = name.unwrap_or_else(|| default_agg_name(&agg));
                aggs.push((name, agg));
                if !self.eat(",") {
                    break;
                }
            }
        }
        let mut by = Vec::new();
        if self.eat_word("by") {
            let mut unnamed = 0;
            loop {
                if matches!(self.peek(), Tok::Ident(_)) && *self.peek_at(1) == Tok::Punct("=") {
                    let (name, _) = self.ident("a column name")?;
                    self.next();
                    by.push((name, self.expr()?));
                } else {
                    let expr = self.expr()?;
                    let name = match &expr.kind {
                        ExprKind::Col(name) => name.clone(),
                        ExprKind::Call(f, args) if matches!(f.as_str(), "bin" | "floor") => {
                            match args.first().map(|a| &a.kind) {
                                Some(ExprKind::Col(name)) => name.clone(),
                                _ => {
                                    unnamed += 1;
                                    format!("Column{unnamed}")
                                }
                            }
                        }
                        _ => {
                            unnamed += 1;
                            format!("Column{unnamed}")
                        }
                    };
                    by.push((name, expr));
                }
                if !self.eat(",") {
                    break;
                }
            }
        }
        if aggs.is_empty() && by.is_empty() {
            return Err(self.err(
                self.pos(),
                "`summarize` needs an aggregation or `by`: `summarize count() by DeviceName`",
            ));
        }
        Ok(OpKind::Summarize { aggs, by })
    }

    fn agg(&mut self) -> Result<Agg> {
        let (name, pos) = self.ident("an aggregation (`count()`, `dcount(x)`, …)")?;
        let func = match name.as_str() {
            "count" => AggFn::Count,
            "countif" => AggFn::CountIf,
            "dcount" => AggFn::DCount,
            "min" => AggFn::Min,
            "max" => AggFn::Max,
            "sum" => AggFn::Sum,
            "avg" => AggFn::Avg,
            "make_set" => AggFn::MakeSet,
            "arg_max" => AggFn::ArgMax,
            "arg_min" => AggFn::ArgMin,
            other => {
                return Err(self.unsupported(
                    pos,
                    &format!(
                        "the aggregation `{other}` (supported: count, countif, dcount, min, max, sum, avg, make_set, arg_max, arg_min)"
                    ),
                ));
            }
        };
        self.expect("(")?;
        let mut args = Vec::new();
        let mut star = false;
        if !self.eat(")") {
            loop {
                if self.eat("*") {
                    star = true;
                } else {
                    args.push(self.expr()?);
                }
                if !self.eat(",") {
                    break;
                }
            }
            self.expect(")")?;
        }
        let arity = match func {
            AggFn::Count => 0..=0,
            AggFn::DCount => 1..=2,
            AggFn::MakeSet => 1..=2,
            AggFn::ArgMax | AggFn::ArgMin => 1..=64,
            _ => 1..=1,
        };
        if !arity.contains(&args.len()) || (star && !matches!(func, AggFn::ArgMax | AggFn::ArgMin))
        {
            return Err(self.err(
                pos,
                format!(
                    "`{name}` takes {} argument(s) here",
                    match func {
                        AggFn::Count => "no".to_string(),
                        AggFn::ArgMax | AggFn::ArgMin =>
                            "a column to maximise and the columns to keep (or *)".to_string(),
                        _ => "one".to_string(),
                    }
                ),
            ));
        }
        Ok(Agg {
            func,
            args,
            star,
            pos,
        })
    }

    // ----- scalar expressions, lowest precedence first -----

    fn expr(&mut self) -> Result<Expr> {
        self.chain("or", BinOp::Or, Self::and_expr)
    }

    fn and_expr(&mut self) -> Result<Expr> {
        self.chain("and", BinOp::And, Self::comparison)
    }

    /// `operand (word operand)*`, grouped to the left as `op`.
    fn chain(
        &mut self,
        word: &str,
        op: BinOp,
        operand: fn(&mut Self) -> Result<Expr>,
    ) -> Result<Expr> {
        let mut left = operand(self)?;
        while self.is_word(word) {
            let pos = self.next().pos;
            let right = operand(self)?;
            left = Expr::new(ExprKind::Bin(op, Box::new(left), Box::new(right)), pos);
        }
        Ok(left)
    }

    fn list(&mut self) -> Result<Vec<Expr>> {
        self.expect("(")?;
        let mut items = Vec::new();
        if !self.eat(")") {
            loop {
                let item = self.expr()?;
                if let ExprKind::Call(f, _) = &item.kind
                    && f == "dynamic"
                {
                    return Err(self.unsupported(
                        item.pos,
                        "`dynamic([…])` lists: write the values in parentheses",
                    ));
                }
                items.push(item);
                if !self.eat(",") {
                    break;
                }
            }
            self.expect(")")?;
        }
        Ok(items)
    }

    fn comparison(&mut self) -> Result<Expr> {
        let left = self.additive()?;
        let pos = self.pos();
        let bin = |op| Some(op);
        let op = match self.peek() {
            Tok::Punct("==") => bin(BinOp::Eq),
            Tok::Punct("!=") => bin(BinOp::Ne),
            Tok::Punct("=~") => bin(BinOp::EqCi),
            Tok::Punct("!~") => bin(BinOp::NeCi),
            Tok::Punct("<") => bin(BinOp::Lt),
            Tok::Punct("<=") => bin(BinOp::Le),
            Tok::Punct(">") => bin(BinOp::Gt),
            Tok::Punct(">=") => bin(BinOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.next();
            let right = self.additive()?;
            return Ok(Expr::new(
                ExprKind::Bin(op, Box::new(left), Box::new(right)),
                pos,
            ));
        }
        let Tok::Ident(word) = self.peek().clone() else {
            return Ok(left);
        };
        let (neg, base) = match word.strip_prefix('!') {
            Some(rest) => (true, rest.to_string()),
            None => (false, word.clone()),
        };
        let string_op = match base.as_str() {
            "has" | "has_cs" => Some(StrOp::Has),
            "contains" | "contains_cs" => Some(StrOp::Contains),
            "startswith" | "startswith_cs" => Some(StrOp::StartsWith),
            "endswith" | "endswith_cs" => Some(StrOp::EndsWith),
            _ => None,
        };
        if let Some(op) = string_op {
            self.next();
            let needle = self.additive()?;
            return Ok(Expr::new(
                ExprKind::Str {
                    op,
                    cs: base.ends_with("_cs"),
                    neg,
                    value: Box::new(left),
                    needle: Box::new(needle),
                },
                pos,
            ));
        }
        match base.as_str() {
            "in" | "in~" => {
                self.next();
                let list = self.list()?;
                Ok(Expr::new(
                    ExprKind::In {
                        neg,
                        ci: base == "in~",
                        value: Box::new(left),
                        list,
                    },
                    pos,
                ))
            }
            "has_any" | "has_all" if !neg => {
                self.next();
                let list = self.list()?;
                Ok(Expr::new(
                    ExprKind::HasAny {
                        all: base == "has_all",
                        value: Box::new(left),
                        list,
                    },
                    pos,
                ))
            }
            "between" => {
                self.next();
                self.expect("(")?;
                let low = self.additive()?;
                if !(self.eat(".") && self.eat(".")) {
                    return Err(self.err(self.pos(), "a range is written `between (low .. high)`"));
                }
                let high = self.additive()?;
                self.expect(")")?;
                Ok(Expr::new(
                    ExprKind::Between {
                        neg,
                        value: Box::new(left),
                        low: Box::new(low),
                        high: Box::new(high),
                    },
                    pos,
                ))
            }
            "matches" | "has_prefix" | "has_suffix" | "hasprefix" | "hassuffix"
            | "hasprefix_cs" | "hassuffix_cs" | "contains_any" => {
                Err(self.unsupported(pos, &format!("the operator `{word}`")))
            }
            _ => Ok(left),
        }
    }

    fn additive(&mut self) -> Result<Expr> {
        self.binary_level(
            &[("+", BinOp::Add), ("-", BinOp::Sub)],
            Self::multiplicative,
        )
    }

    fn multiplicative(&mut self) -> Result<Expr> {
        self.binary_level(
            &[("*", BinOp::Mul), ("/", BinOp::Div), ("%", BinOp::Mod)],
            Self::unary,
        )
    }

    /// Left-associative operators of one precedence over `operand`.
    fn binary_level(
        &mut self,
        ops: &[(&str, BinOp)],
        operand: fn(&mut Self) -> Result<Expr>,
    ) -> Result<Expr> {
        let mut left = operand(self)?;
        loop {
            let op = match self.peek() {
                Tok::Punct(p) => ops.iter().find(|(sym, _)| sym == p).map(|(_, op)| *op),
                _ => None,
            };
            let Some(op) = op else { return Ok(left) };
            let pos = self.next().pos;
            let right = operand(self)?;
            left = Expr::new(ExprKind::Bin(op, Box::new(left), Box::new(right)), pos);
        }
    }

    fn unary(&mut self) -> Result<Expr> {
        if matches!(self.peek(), Tok::Punct("-")) {
            let pos = self.next().pos;
            let inner = self.unary()?;
            return Ok(Expr::new(ExprKind::Neg(Box::new(inner)), pos));
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Result<Expr> {
        let mut e = self.primary()?;
        loop {
            if matches!(self.peek(), Tok::Punct(".")) && matches!(self.peek_at(1), Tok::Ident(_)) {
                let pos = self.next().pos;
                let (key, _) = self.ident("a member name")?;
                e = Expr::new(ExprKind::Member(Box::new(e), Value::Str(key)), pos);
            } else if matches!(self.peek(), Tok::Punct("[")) {
                let pos = self.next().pos;
                let key = match self.next().tok {
                    Tok::Str(s) => Value::Str(s),
                    Tok::Long(n) => Value::Long(n),
                    other => {
                        return Err(self.err(
                            pos,
                            format!(
                                "expected a member name or index in `[…]`, found {}",
                                Self::describe(&other)
                            ),
                        ));
                    }
                };
                self.expect("]")?;
                e = Expr::new(ExprKind::Member(Box::new(e), key), pos);
            } else {
                return Ok(e);
            }
        }
    }

    fn primary(&mut self) -> Result<Expr> {
        let t = self.next();
        let pos = t.pos;
        let lit = |v| Ok(Expr::new(ExprKind::Lit(v), pos));
        match t.tok {
            Tok::Str(s) => lit(Value::Str(s)),
            Tok::Long(n) => lit(Value::Long(n)),
            Tok::Real(x) => lit(Value::Real(x)),
            Tok::Span(s) => lit(Value::Span(s)),
            Tok::Date(text) => match super::eval::parse_datetime(&text) {
                Some(v) => lit(v),
                None => Err(self.err(pos, format!("`datetime({text})` is not a date: write datetime(2026-01-31) or datetime(2026-01-31T10:00:00Z)"))),
            },
            Tok::Punct("(") => {
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Punct("[") => {
                let Tok::Str(name) = self.next().tok else {
                    return Err(self.err(pos, "expected a quoted column name in `['…']`"));
                };
                self.expect("]")?;
                Ok(Expr::new(ExprKind::Col(name), pos))
            }
            Tok::Ident(word) => {
                match word.as_str() {
                    "true" => return lit(Value::Bool(true)),
                    "false" => return lit(Value::Bool(false)),
                    "null" => return lit(Value::Null),
                    _ => {}
                }
                if matches!(self.peek(), Tok::Punct("(")) {
                    let args = self.list()?;
                    let known = super::eval::FUNCTION_ARITY.iter().map(|(name, _, _)| *name);
                    if !known.clone().any(|name| name == word) {
                        return Err(self.unsupported(
                            pos,
                            &format!(
                                "the function `{word}()` (supported: {})",
                                known.collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    }
                    return Ok(Expr::new(ExprKind::Call(word, args), pos));
                }
                if let Some(bound) = self.lets.get(&word) {
                    return Ok(bound.clone());
                }
                Ok(Expr::new(ExprKind::Col(word), pos))
            }
            other => Err(self.err(pos, format!("expected a value, a column or a function, found {}", Self::describe(&other)))),
        }
    }
}

/// The `'static` spelling of a punctuation token.
fn punct_static(p: &str) -> &'static str {
    match p {
        "(" => "(",
        ")" => ")",
        "," => ",",
        ";" => ";",
        "=" => "=",
        "|" => "|",
        "]" => "]",
        "." => ".",
        "*" => "*",
        _ => "",
    }
}

/// A literal value, or a negated one.
fn fold_literal(e: &Expr) -> Option<Value> {
    match &e.kind {
        ExprKind::Lit(v) => Some(v.clone()),
        _ => None,
    }
}

/// The column name KQL gives an aggregation written without one.
fn default_agg_name(agg: &Agg) -> String {
    let arg = agg.args.first().map(|a| match &a.kind {
        ExprKind::Col(name) => name.clone(),
        _ => String::new(),
    });
    let with = |prefix: &str| match &arg {
        Some(name) if !name.is_empty() => format!("{prefix}_{name}"),
        _ => format!("{prefix}_"),
    };
    match agg.func {
        AggFn::Count => "count_".into(),
        AggFn::CountIf => "countif_".into(),
        AggFn::DCount => with("dcount"),
        AggFn::Min => with("min"),
        AggFn::Max => with("max"),
        AggFn::Sum => with("sum"),
        AggFn::Avg => with("avg"),
        AggFn::MakeSet => with("set"),
        AggFn::ArgMax => with("max"),
        AggFn::ArgMin => with("min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(q: &str) -> String {
        parse(q).unwrap_err().to_string()
    }

    #[test]
    fn parses_a_hunting_query() {
        let q = parse(
            "let since = ago(7d);\nDeviceProcessEvents\n| where Timestamp > since and FileName in~ ('a.exe', 'b.exe')\n// note\n| summarize n = count(), dcount(DeviceName) by bin(Timestamp, 1h)\n| top 5 by n",
        )
        .unwrap();
        assert_eq!(q.ops.len(), 3);
        let OpKind::Summarize { aggs, by } = &q.ops[1].kind else {
            panic!("summarize")
        };
        assert_eq!(aggs[0].0, "n");
        assert_eq!(aggs[1].0, "dcount_DeviceName");
        assert_eq!(by[0].0, "Timestamp");
    }

    #[test]
    fn unsupported_syntax_is_named_with_its_position() {
        let e = err("DeviceProcessEvents\n| join (DeviceNetworkEvents) on DeviceId");
        assert!(
            e.contains("not supported: `join`") && e.contains("(at 2:3)"),
            "{e}"
        );
        let e = err("T | mv-expand X");
        assert!(
            e.contains("not supported: `mv-expand`") && e.contains("(at 1:5)"),
            "{e}"
        );
        let e = err("T | where x matches regex 'a'");
        assert!(e.contains("not supported: the operator `matches`"), "{e}");
        let e = err("T | extend y = base64_decode_tostring(x)");
        assert!(
            e.contains("not supported: the function `base64_decode_tostring()`"),
            "{e}"
        );
        let e = err("T | where (a == 1");
        assert!(e.contains("expected `)`"), "{e}");
    }
}
