//! Finding the blobs to read: containers by prefix (narrowed by `--tables`),
//! then the `tenantId=/y=/m=/d=` folders by delimited listing, pruned by the
//! time window so that folders outside it are never opened; each day's blobs
//! are then listed in one flat call and filtered to the window's hours.
//!
//! The window selects partitions by their hour (when Defender wrote them): an
//! hour `H` is in `[since, until)` when `H + 1h > since` and `H < until`.

use futures::{StreamExt, TryStreamExt};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use crate::error::Result;
use crate::layout::{self, CONTAINER_PREFIX};
use crate::schema::Catalog;
use crate::source::{BlobInfo, Source};

/// How many containers are walked at once.
const CONTAINER_CONCURRENCY: usize = 8;

/// The partition hours to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

impl Window {
    /// Whether `[start, end)` overlaps the window.
    pub fn overlaps(&self, start: Timestamp, end: Timestamp) -> bool {
        self.since.is_none_or(|s| end > s) && self.until.is_none_or(|u| start < u)
    }
}

/// A blob found by discovery, with the table it holds.
#[derive(Debug, Clone)]
pub struct Discovered {
    pub info: BlobInfo,
    pub table: String,
}

/// What discovery found, and what it cost.
#[derive(Debug, Default)]
pub struct Discovery {
    pub containers: usize,
    pub blobs: Vec<Discovered>,
    /// Listing calls made (containers, folders and blobs).
    pub list_calls: u64,
}

/// Walks the source and returns every blob of the selected tables in the window.
pub async fn discover(
    source: &dyn Source,
    catalog: &Catalog,
    tables: &[String],
    window: &Window,
) -> Result<Discovery> {
    discover_open(source, catalog, tables, window, &|_| false).await
}

/// Like [`discover`], but never opens a folder for which `sealed` (given
/// `container/folder/`) is true.
pub async fn discover_open(
    source: &dyn Source,
    catalog: &Catalog,
    tables: &[String],
    window: &Window,
    sealed: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Discovery> {
    let wanted: Vec<String> = tables.iter().map(|t| t.to_ascii_lowercase()).collect();
    let containers: Vec<String> = source
        .list_containers(CONTAINER_PREFIX)
        .await?
        .into_iter()
        .filter(|c| {
            layout::container_table_suffix(c)
                .is_some_and(|t| wanted.is_empty() || wanted.iter().any(|w| w == t))
        })
        .collect();
    let walks: Vec<(Vec<BlobInfo>, u64)> = futures::stream::iter(containers.iter())
        .map(|c| walk_container(source, c, window, sealed))
        .buffered(CONTAINER_CONCURRENCY)
        .try_collect()
        .await?;
    let mut found = Discovery {
        containers: containers.len(),
        list_calls: 1,
        ..Default::default()
    };
    for (container, (blobs, calls)) in containers.iter().zip(walks) {
        found.list_calls += calls;
        let table = catalog
            .table_for_container(container)
            .unwrap_or_else(|| container.clone());
        found.blobs.extend(blobs.into_iter().map(|info| Discovered {
            info,
            table: table.clone(),
        }));
    }
    Ok(found)
}

/// The span of time a partition folder covers, from its `y=`/`m=`/`d=` path.
pub fn folder_span(levels: &[(char, i32)]) -> Option<(Timestamp, Timestamp)> {
    let get = |c: char| levels.iter().find(|(k, _)| *k == c).map(|(_, v)| *v);
    let year = i16::try_from(get('y')?).ok()?;
    let (start, step) = match (get('m'), get('d')) {
        (None, _) => (Date::new(year, 1, 1).ok()?, 1.year()),
        (Some(m), None) => (Date::new(year, i8::try_from(m).ok()?, 1).ok()?, 1.month()),
        (Some(m), Some(d)) => (
            Date::new(year, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?,
            1.day(),
        ),
    };
    let start_dt: DateTime = start.to_datetime(jiff::civil::Time::midnight());
    let end_dt = start_dt.checked_add(step).ok()?;
    let utc = |dt: DateTime| dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp());
    Some((utc(start_dt)?, utc(end_dt)?))
}

/// Walks one container down to its day folders, then lists each day flat.
async fn walk_container(
    source: &dyn Source,
    container: &str,
    window: &Window,
    sealed: &(dyn Fn(&str) -> bool + Sync),
) -> Result<(Vec<BlobInfo>, u64)> {
    let mut blobs = Vec::new();
    let mut calls = 0u64;
    // (prefix, parsed levels so far)
    let mut stack: Vec<(String, Vec<(char, i32)>)> = vec![(String::new(), Vec::new())];
    while let Some((prefix, levels)) = stack.pop() {
        let at_day = levels.iter().any(|(k, _)| *k == 'd');
        calls += 1;
        let listing = source.list(container, &prefix, !at_day).await?;
        for blob in listing.blobs {
            if in_window(&blob.name, window) {
                blobs.push(blob);
            }
        }
        for sub in listing.prefixes.into_iter().rev() {
            let segment = sub[prefix.len()..].trim_end_matches('/');
            let mut next = levels.clone();
            if let Some(level) = layout::parse_level(segment) {
                next.push(level);
                if let Some((start, end)) = folder_span(&next)
                    && !window.overlaps(start, end)
                {
                    continue;
                }
            }
            if sealed(&format!("{container}/{sub}")) {
                continue;
            }
            stack.push((sub, next));
        }
    }
    blobs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((blobs, calls))
}

/// Whether a blob's partition hour is in the window; blobs outside the
/// partition layout are kept (they cannot be placed in time).
fn in_window(name: &str, window: &Window) -> bool {
    match layout::parse_blob_path(name) {
        Some(p) => window.overlaps(p.hour, p.hour + SignedDuration::from_hours(1)),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_spans() {
        let (s, e) = folder_span(&[('y', 2026), ('m', 2), ('d', 28)]).unwrap();
        assert_eq!(s, "2026-02-28T00:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(e, "2026-03-01T00:00:00Z".parse::<Timestamp>().unwrap());
        let (s, e) = folder_span(&[('y', 2026), ('m', 12)]).unwrap();
        assert_eq!(s, "2026-12-01T00:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(e, "2027-01-01T00:00:00Z".parse::<Timestamp>().unwrap());
    }

    #[test]
    fn window_selects_partition_hours() {
        let w = Window {
            since: Some("2026-01-01T10:30:00Z".parse().unwrap()),
            until: Some("2026-01-01T12:00:00Z".parse().unwrap()),
        };
        let name = |h: u8| format!("tenantId=t/y=2026/m=01/d=01/h={h:02}/m=00/PT1H.json");
        assert!(!in_window(&name(9), &w));
        assert!(in_window(&name(10), &w));
        assert!(in_window(&name(11), &w));
        assert!(!in_window(&name(12), &w));
        assert!(in_window("notes.txt", &w));
    }
}
