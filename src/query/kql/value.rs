//! KQL scalar values: their types, comparisons, ordering and how they are
//! printed.
//!
//! A column of the index has the type of its kind: `keyword` and `text`
//! columns are strings (absent or `null` is the empty string, as in Advanced
//! Hunting), `int` is long, `date` is datetime, `bool` is bool. A value that
//! does not fit its column's type is null, as a typed column would hold it.
//! Dynamic and unknown columns keep their JSON value.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use jiff::Timestamp;

/// One scalar value.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Long(i64),
    Real(f64),
    /// Nanoseconds since the Unix epoch.
    DateTime(i128),
    /// Nanoseconds.
    Span(i64),
    Str(String),
    /// JSON: objects, arrays, and the values of dynamic columns.
    Dynamic(serde_json::Value),
}

impl Value {
    pub fn datetime(t: Timestamp) -> Value {
        Value::DateTime(t.as_nanosecond())
    }

    pub fn is_null(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Real(f) => f.is_nan(),
            Value::Dynamic(v) => v.is_null(),
            _ => false,
        }
    }

    /// `isempty()`: null or the empty string.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Str(s) => s.is_empty(),
            Value::Dynamic(serde_json::Value::String(s)) => s.is_empty(),
            v => v.is_null(),
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Dynamic(serde_json::Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// The value as a number (long or real), if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Long(i) => Some(*i as f64),
            Value::Real(f) => Some(*f),
            Value::Dynamic(serde_json::Value::Number(n)) => n.as_f64(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Long(i) => Some(*i),
            Value::Real(f) if f.is_finite() => Some(f.trunc() as i64),
            Value::Dynamic(serde_json::Value::Number(n)) => n.as_i64(),
            Value::Str(s) => s.trim().parse().ok(),
            Value::Dynamic(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as a string, as `tostring()` gives it: strings as they are,
    /// null empty, others as they print.
    pub fn to_text(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Dynamic(serde_json::Value::String(s)) => s.clone(),
            v if v.is_null() => String::new(),
            v => v.to_string(),
        }
    }

    /// The value as JSON, for `--format json`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Long(i) => J::from(*i),
            Value::Real(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Dynamic(v) => v.clone(),
            v => J::String(v.to_string()),
        }
    }

    /// A JSON value as KQL sees it inside a dynamic value.
    pub fn from_json(v: serde_json::Value) -> Value {
        use serde_json::Value as J;
        match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Long(i),
                None => n.as_f64().map_or(Value::Null, Value::Real),
            },
            J::String(s) => Value::Str(s),
            other => Value::Dynamic(other),
        }
    }

    /// Rank of the type for ordering values of different types.
    fn rank(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Long(_) | Value::Real(_) => 2,
            Value::DateTime(_) => 3,
            Value::Span(_) => 4,
            Value::Str(_) => 5,
            Value::Dynamic(_) => 6,
        }
    }

    /// Equality for `==`: numbers by value, strings case-sensitively; a
    /// null on either side is never equal. `None` when the types cannot be
    /// compared.
    pub fn equals(&self, other: &Value) -> Option<bool> {
        if self.is_null() || other.is_null() {
            return None;
        }
        self.compare(other).map(|o| o == Ordering::Equal)
    }

    /// Comparison for `<`, `>`, sorting of values of one type. `None` when
    /// either is null or the types differ.
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        use Value as V;
        match (self, other) {
            (V::Null, _) | (_, V::Null) => None,
            (V::Bool(a), V::Bool(b)) => Some(a.cmp(b)),
            (V::Long(a), V::Long(b)) => Some(a.cmp(b)),
            (V::DateTime(a), V::DateTime(b)) => Some(a.cmp(b)),
            (V::Span(a), V::Span(b)) => Some(a.cmp(b)),
            (V::Str(a), V::Str(b)) => Some(a.cmp(b)),
            (V::Str(_), V::Long(_) | V::Real(_) | V::Bool(_))
            | (V::Long(_) | V::Real(_) | V::Bool(_), V::Str(_)) => {
                Some(self.to_text().cmp(&other.to_text()))
            }
            (V::Dynamic(a), V::Dynamic(b)) => Some(a.to_string().cmp(&b.to_string())),
            (V::Dynamic(a), b) if !a.is_object() && !a.is_array() => {
                Value::from_json(a.clone()).compare(b)
            }
            (a, V::Dynamic(b)) if !b.is_object() && !b.is_array() => {
                a.compare(&Value::from_json(b.clone()))
            }
            _ => {
                let (a, b) = (self.as_f64()?, other.as_f64()?);
                a.partial_cmp(&b)
            }
        }
    }

    /// A total order for sorting: nulls first, then by type, then by value.
    pub fn sort_cmp(&self, other: &Value) -> Ordering {
        match (self.is_null(), other.is_null()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        self.compare(other)
            .unwrap_or_else(|| self.rank().cmp(&other.rank()))
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.rank() == other.rank() && self.sort_cmp(other) == Ordering::Equal
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.rank().hash(state);
        match self {
            Value::Null => {}
            Value::Bool(b) => b.hash(state),
            Value::Long(i) => (*i as f64).to_bits().hash(state),
            Value::Real(f) => f.to_bits().hash(state),
            Value::DateTime(t) => t.hash(state),
            Value::Span(s) => s.hash(state),
            Value::Str(s) => s.hash(state),
            Value::Dynamic(v) => v.to_string().hash(state),
        }
    }
}

/// Formats a timespan as KQL prints it: `[-][d.]hh:mm:ss[.fffffff]`.
fn format_span(f: &mut fmt::Formatter<'_>, nanos: i64) -> fmt::Result {
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    let ticks = (n % 1_000_000_000) / 100;
    let secs = n / 1_000_000_000;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    write!(f, "{sign}")?;
    if d > 0 {
        write!(f, "{d}.")?;
    }
    write!(f, "{h:02}:{m:02}:{s:02}")?;
    if ticks > 0 {
        write!(f, ".{ticks:07}")?;
    }
    Ok(())
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => Ok(()),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Long(i) => write!(f, "{i}"),
            Value::Real(x) => write!(f, "{x}"),
            Value::DateTime(t) => match i64::try_from(*t)
                .ok()
                .and_then(|n| Timestamp::from_nanosecond(n.into()).ok())
            {
                Some(ts) => write!(f, "{ts}"),
                None => write!(f, "{t}ns"),
            },
            Value::Span(s) => format_span(f, *s),
            Value::Str(s) => f.write_str(s),
            Value::Dynamic(v) => write!(f, "{v}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_follow_types_and_nulls() {
        assert_eq!(Value::Long(3).equals(&Value::Real(3.0)), Some(true));
        assert_eq!(
            Value::Str("a".into()).equals(&Value::Str("A".into())),
            Some(false)
        );
        assert_eq!(Value::Null.equals(&Value::Null), None);
        assert_eq!(
            Value::Long(2).compare(&Value::Long(10)),
            Some(Ordering::Less)
        );
        assert_eq!(Value::Null.sort_cmp(&Value::Long(1)), Ordering::Less);
        assert_eq!(Value::Long(1), Value::Real(1.0));
    }

    #[test]
    fn spans_and_dates_print_like_kql() {
        assert_eq!(Value::Span(3_600_000_000_000).to_string(), "01:00:00");
        assert_eq!(
            Value::Span(90_061_500_000_000).to_string(),
            "1.01:01:01.5000000"
        );
        let t: Timestamp = "2026-01-01T10:00:00Z".parse().unwrap();
        assert_eq!(Value::datetime(t).to_string(), "2026-01-01T10:00:00Z");
    }
}
