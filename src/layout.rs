//! The storage layout Defender XDR writes: container names and partition
//! paths, and their mapping to (table, tenant, hour).
//!
//! ```text
//! insights-logs-advancedhunting-<table lower case>/
//!     tenantId=<guid>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json
//! ```

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Prefix of every container the Streaming API writes Advanced Hunting tables to.
pub const CONTAINER_PREFIX: &str = "insights-logs-advancedhunting-";

/// The container name for a table (`DeviceProcessEvents` →
/// `insights-logs-advancedhunting-deviceprocessevents`).
pub fn container_for_table(table: &str) -> String {
    format!("{CONTAINER_PREFIX}{}", table.to_ascii_lowercase())
}

/// The lower-case table part of a container name, if it is one of ours.
pub fn container_table_suffix(container: &str) -> Option<&str> {
    container
        .strip_prefix(CONTAINER_PREFIX)
        .filter(|s| !s.is_empty())
}

/// The blob path of an hour's append blob.
pub fn blob_path(tenant: &str, hour: Timestamp) -> String {
    let dt = hour.to_zoned(TimeZone::UTC).datetime();
    format!(
        "tenantId={tenant}/y={:04}/m={:02}/d={:02}/h={:02}/m=00/PT1H.json",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour()
    )
}

/// A partition path parsed back: the tenant and the hour it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    pub tenant: String,
    pub hour: Timestamp,
}

/// Parses `tenantId=…/y=…/m=…/d=…/h=…/…` (any trailing part) into its tenant
/// and hour. Returns `None` for paths outside the layout.
pub fn parse_blob_path(path: &str) -> Option<Partition> {
    let mut parts = path.split('/');
    let tenant = parts.next()?.strip_prefix("tenantId=")?.to_string();
    let y: i16 = parts.next()?.strip_prefix("y=")?.parse().ok()?;
    let m: i8 = parts.next()?.strip_prefix("m=")?.parse().ok()?;
    let d: i8 = parts.next()?.strip_prefix("d=")?.parse().ok()?;
    let h: i8 = parts.next()?.strip_prefix("h=")?.parse().ok()?;
    let hour = DateTime::new(y, m, d, h, 0, 0, 0)
        .ok()?
        .to_zoned(TimeZone::UTC)
        .ok()?
        .timestamp();
    Some(Partition { tenant, hour })
}

/// The level of a partition folder name (`y=2026` → `('y', 2026)`).
pub fn parse_level(segment: &str) -> Option<(char, i32)> {
    let (key, value) = segment.trim_end_matches('/').split_once('=')?;
    let mut chars = key.chars();
    let c = chars.next()?;
    if chars.next().is_some() || !matches!(c, 'y' | 'm' | 'd' | 'h') {
        return None;
    }
    Some((c, value.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_partition_path() {
        let hour: Timestamp = "2026-07-18T14:00:00Z".parse().unwrap();
        let path = blob_path("4b8c18bd-2f9f-4227-af55-9f1061cf9c32", hour);
        assert_eq!(
            path,
            "tenantId=4b8c18bd-2f9f-4227-af55-9f1061cf9c32/y=2026/m=07/d=18/h=14/m=00/PT1H.json"
        );
        let p = parse_blob_path(&path).unwrap();
        assert_eq!(p.hour, hour);
        assert_eq!(p.tenant, "4b8c18bd-2f9f-4227-af55-9f1061cf9c32");
    }

    #[test]
    fn rejects_foreign_paths() {
        assert!(parse_blob_path("resourceId=/tenants/x/y=2026/PT1H.json").is_none());
        assert!(parse_blob_path("tenantId=x/y=2026/m=13/d=01/h=00/m=00/PT1H.json").is_none());
        assert_eq!(
            container_table_suffix("insights-logs-advancedhunting-"),
            None
        );
        assert_eq!(
            container_table_suffix(&container_for_table("EmailEvents")),
            Some("emailevents")
        );
    }
}
