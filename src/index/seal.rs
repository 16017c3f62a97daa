//! Sealing: partitions Defender has stopped writing to are folded out of the
//! per-blob checkpoint and never listed nor read again.
//!
//! A blob is sealable when a listing shows it unchanged for at least the
//! grace period (`--seal-after`), measured from the run that last saw it
//! change, and everything in it was consumed (no partial last line waits). A partition folder (a day, month or year of one tenant) is sealed
//! when its time span ended at least the grace period ago, lies wholly inside
//! the run's window (so this run listed all of it), and everything in it is
//! sealable or already sealed. The highest such folder is sealed: its blobs'
//! progress records and sealed sub-folders are summed into one
//! [`SealedFolder`], so the checkpoint grows with the folders sealed rather
//! than with every blob ever read, and keeps the counts `verify` compares.
//!
//! A sealed folder is trusted as final: a blob Defender rewrote inside one
//! afterwards would not be seen, which is why the grace is measured in hours
//! of silence and only past partitions seal. Replacing a blob rebuilds the
//! open blobs of its table that skipped duplicates (see the pipeline); the
//! sealed ones precede it in time and are not read again.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};

use super::checkpoint::{Checkpoint, SealedFolder};
use crate::discover::{self, Window};

/// Default grace: a blob unchanged for this long is sealed.
pub const DEFAULT_SEAL_AFTER: SignedDuration = SignedDuration::from_hours(6);

/// A blob as this run's listing saw it.
pub struct Listed<'a> {
    /// `container/blob path`.
    pub key: &'a str,
    /// Unchanged since it was read, for at least the grace period.
    pub sealable: bool,
}

/// What sealing did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sealed {
    pub folders: u64,
    pub blobs: u64,
}

/// The partition folders holding a blob or folder key, outermost first:
/// `container/tenantId=…/y=…/`, then `…/m=…/`, then `…/d=…/`, each with
/// the time span it covers. Keys outside the partition layout have none.
fn ancestors(key: &str) -> Vec<(String, Timestamp, Timestamp)> {
    let mut out = Vec::new();
    let mut segments = key.split_inclusive('/');
    let Some(container) = segments.next() else {
        return out;
    };
    let Some(tenant) = segments.next().filter(|t| t.starts_with("tenantId=")) else {
        return out;
    };
    let mut prefix = format!("{container}{tenant}");
    let mut levels = Vec::new();
    for (segment, expect) in segments.zip(['y', 'm', 'd']) {
        if !segment.ends_with('/') {
            break;
        }
        match crate::layout::parse_level(segment) {
            Some(level) if level.0 == expect => levels.push(level),
            _ => break,
        }
        prefix.push_str(segment);
        if let Some((start, end)) = discover::folder_span(&levels) {
            out.push((prefix.clone(), start, end));
        }
    }
    out
}

/// Seals what can be sealed after a listing, folding it into `checkpoint`.
/// `containers` are the containers this run listed: only their folders can
/// be known complete.
pub fn seal(
    checkpoint: &mut Checkpoint,
    listed: &[Listed],
    containers: &BTreeSet<String>,
    window: &Window,
    now: Timestamp,
    grace: SignedDuration,
) -> Sealed {
    // Every folder with something in it, and whether all of it may seal.
    let mut folders: BTreeMap<String, (bool, Timestamp, Timestamp)> = BTreeMap::new();
    let mut mark = |key: &str, ok: bool, strictly_above: bool| {
        for (folder, start, end) in ancestors(key) {
            if strictly_above && folder == key {
                continue;
            }
            let container = folder.split('/').next().unwrap_or_default();
            if !containers.contains(container) {
                continue;
            }
            folders.entry(folder).or_insert((true, start, end)).0 &= ok;
        }
    };
    for l in listed {
        mark(l.key, l.sealable, false);
    }
    for key in checkpoint.sealed.keys() {
        mark(key, true, true);
    }

    let inside = |start: Timestamp, end: Timestamp| {
        window.since.is_none_or(|s| start >= s) && window.until.is_none_or(|u| end <= u)
    };
    let mut chosen: Vec<String> = Vec::new();
    for (folder, (ok, start, end)) in folders {
        if chosen
            .last()
            .is_some_and(|c| folder.starts_with(c.as_str()))
        {
            continue;
        }
        if ok && inside(start, end) && end + grace <= now {
            chosen.push(folder);
        }
    }

    let mut done = Sealed::default();
    for folder in chosen {
        let mut sum = SealedFolder::default();
        for key in keys_under(&checkpoint.blobs, &folder) {
            if let Some(p) = checkpoint.blobs.remove(&key) {
                let hour = key
                    .split_once('/')
                    .and_then(|(_, name)| crate::layout::parse_blob_path(name))
                    .map(|p| p.hour.as_second());
                sum.add(&SealedFolder::of_blob(&p, hour));
                done.blobs += 1;
            }
        }
        for key in keys_under(&checkpoint.sealed, &folder) {
            if let Some(f) = checkpoint.sealed.remove(&key) {
                sum.add(&f);
            }
        }
        if sum.blobs > 0 {
            checkpoint.sealed.insert(folder, sum);
            done.folders += 1;
        }
    }
    done
}

/// The keys of `map` that start with `prefix`.
fn keys_under<V>(map: &BTreeMap<String, V>, prefix: &str) -> Vec<String> {
    map.range(prefix.to_string()..)
        .take_while(|(k, _)| k.starts_with(prefix))
        .map(|(k, _)| k.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::checkpoint::BlobProgress;

    const C: &str = "insights-logs-advancedhunting-deviceevents";

    fn key(d: u8, h: u8) -> String {
        format!("{C}/tenantId=t/y=2025/m=03/d={d:02}/h={h:02}/m=00/PT1H.json")
    }

    fn checkpoint(keys: &[String]) -> Checkpoint {
        let mut cp = Checkpoint::default();
        for k in keys {
            cp.blobs.insert(
                k.clone(),
                BlobProgress {
                    table: "DeviceEvents".into(),
                    offset: 100,
                    lines: 2,
                    records: 2,
                    docs: 2,
                    ..Default::default()
                },
            );
        }
        cp
    }

    #[test]
    fn ancestors_are_year_month_day() {
        let a = ancestors(&key(5, 3));
        let names: Vec<&str> = a.iter().map(|(f, _, _)| f.as_str()).collect();
        assert_eq!(
            names,
            [
                format!("{C}/tenantId=t/y=2025/"),
                format!("{C}/tenantId=t/y=2025/m=03/"),
                format!("{C}/tenantId=t/y=2025/m=03/d=05/"),
            ]
        );
        assert!(ancestors(&format!("{C}/notes.txt")).is_empty());
    }

    #[test]
    fn the_highest_quiet_folder_seals_and_keeps_the_counts() {
        let keys = [key(5, 3), key(5, 4), key(6, 0)];
        let mut cp = checkpoint(&keys);
        let containers = BTreeSet::from([C.to_string()]);
        let now: Timestamp = "2025-03-06T12:00:00Z".parse().unwrap();
        let grace = SignedDuration::from_hours(6);
        // Day 6 is not over: only day 5 seals, and not while a blob of it changes.
        let listed = |open: &str| -> Vec<Listed> {
            keys.iter()
                .map(|k| Listed {
                    key: k,
                    sealable: k != open,
                })
                .collect()
        };
        let w = Window::default();
        assert_eq!(
            seal(&mut cp, &listed(&key(5, 4)), &containers, &w, now, grace),
            Sealed::default()
        );
        let done = seal(&mut cp, &listed(""), &containers, &w, now, grace);
        assert_eq!(
            done,
            Sealed {
                folders: 1,
                blobs: 2
            }
        );
        assert_eq!(cp.blobs.len(), 1);
        let day = &cp.sealed[&format!("{C}/tenantId=t/y=2025/m=03/d=05/")];
        assert_eq!((day.blobs, day.docs, day.bytes), (2, 4, 200));
        assert!(cp.sealed_folder_of(&key(5, 3)).is_some());
        assert!(cp.sealed_folder_of(&key(6, 0)).is_none());

        // A year later the whole year seals, folding the day in.
        let later: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
        let rest = [Listed {
            key: &keys[2],
            sealable: true,
        }];
        // A window that cuts the year keeps it open.
        let cut = Window {
            since: Some("2025-03-06T00:00:00Z".parse().unwrap()),
            until: None,
        };
        let done = seal(&mut cp.clone(), &rest, &containers, &cut, later, grace);
        assert_eq!(done.blobs, 1, "only the day inside the window seals");
        let done = seal(&mut cp, &rest, &containers, &w, later, grace);
        assert_eq!(done.folders, 1);
        assert!(cp.blobs.is_empty());
        let year = &cp.sealed[&format!("{C}/tenantId=t/y=2025/")];
        assert_eq!((year.blobs, year.docs, year.lines), (3, 6, 6));
        assert_eq!(cp.sealed.len(), 1);
        // Containers this run did not list are left alone.
        let mut other = checkpoint(&keys);
        let none = seal(&mut other, &[], &BTreeSet::new(), &w, later, grace);
        assert_eq!(none, Sealed::default());
    }
}
