//! Time values as they appear in exports and on the command line.
//!
//! Export timestamps carry 0 to 7 fractional digits, with or without `Z`
//! (no offset means UTC, `shared/reference/quirks.md` C). Users write absolute
//! dates (`2026-01-01`, `2026-01-01T10:00:00Z`) or spans relative to now
//! (`7d`, `36h`, `30m`, `400d`).

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Parses an export timestamp: `YYYY-MM-DDTHH:MM:SS[.f{1,9}][Z|±HH:MM]`,
/// where no offset means UTC. Returns `None` for anything else.
pub fn parse_export_time(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.len() < 19 || !s.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    let civil: DateTime = s.parse().ok()?;
    civil.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Parses a span like `7d`, `36h`, `30m`, `90s`, `2w` (also `1d12h`).
pub fn parse_span(s: &str) -> Option<SignedDuration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = SignedDuration::ZERO;
    let mut digits = String::new();
    let mut saw_unit = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            digits.push(c);
            continue;
        }
        let unit: String = std::iter::once(c)
            .chain(std::iter::from_fn(|| {
                chars.next_if(|c| c.is_ascii_alphabetic())
            }))
            .collect();
        let n: f64 = digits.parse().ok()?;
        digits.clear();
        let secs = match unit.as_str() {
            "ms" => n / 1000.0,
            "s" => n,
            "m" | "min" => n * 60.0,
            "h" => n * 3600.0,
            "d" => n * 86_400.0,
            "w" => n * 7.0 * 86_400.0,
            _ => return None,
        };
        total = total.checked_add(SignedDuration::try_from_secs_f64(secs).ok()?)?;
        saw_unit = true;
    }
    if !digits.is_empty() || !saw_unit {
        return None;
    }
    Some(total)
}

/// Parses a user-given instant: an absolute date or date-time (UTC unless an
/// offset is given), or a span back from `now` (`7d` = seven days ago).
pub fn parse_user_time(s: &str, now: Timestamp) -> Option<Timestamp> {
    let s = s.trim();
    if let Some(span) = parse_span(s) {
        return now.checked_sub(span).ok();
    }
    if let Some(ts) = parse_export_time(s) {
        return Some(ts);
    }
    if let Ok(civil) = s.parse::<DateTime>() {
        return civil.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
    }
    let date: Date = s.parse().ok()?;
    date.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Converts to tantivy's date type (nanosecond precision).
pub fn to_tantivy(ts: Timestamp) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_nanos(ts.as_nanosecond() as i64)
}

/// Converts from tantivy's date type.
pub fn from_tantivy(dt: tantivy::DateTime) -> Timestamp {
    Timestamp::from_nanosecond(i128::from(dt.into_timestamp_nanos()))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_times_with_0_to_7_digits_are_one_instant() {
        let a = parse_export_time("2026-07-18T14:08:56Z").unwrap();
        assert_eq!(parse_export_time("2026-07-18T14:08:56.0000000").unwrap(), a);
        assert_eq!(parse_export_time("2026-07-18T14:08:56.000Z").unwrap(), a);
        assert_eq!(parse_export_time("2026-07-18T14:08:56").unwrap(), a);
        let b = parse_export_time("2026-07-18T13:01:51.2820995Z").unwrap();
        assert_eq!(b.subsec_nanosecond(), 282_099_500);
        assert_eq!(
            parse_export_time("2024-12-04T13:33:19.801823")
                .unwrap()
                .subsec_nanosecond(),
            801_823_000
        );
        assert!(parse_export_time("Failed logon").is_none());
        assert!(parse_export_time("2026").is_none());
    }

    #[test]
    fn spans_and_user_times() {
        assert_eq!(parse_span("7d").unwrap(), SignedDuration::from_hours(168));
        assert_eq!(parse_span("36h").unwrap(), SignedDuration::from_hours(36));
        assert_eq!(parse_span("1d12h").unwrap(), SignedDuration::from_hours(36));
        assert!(parse_span("7x").is_none());
        assert!(parse_span("12").is_none());
        let now: Timestamp = "2026-11-22T00:00:00Z".parse().unwrap();
        assert_eq!(
            parse_user_time("1d", now).unwrap(),
            "2026-11-21T00:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            parse_user_time("2026-01-01", now).unwrap(),
            "2026-01-01T00:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            parse_user_time("2026-01-01T10:00:00+02:00", now).unwrap(),
            "2026-01-01T08:00:00Z".parse::<Timestamp>().unwrap()
        );
    }
}
