//! Retention: removing the partitions of hours before a cutoff, with every
//! document read from them and their progress records, then reclaiming the
//! space (merging the segments, deleting unused files).
//!
//! Pruning goes by partition, the unit the checkpoint counts: a blob goes
//! when its hour is before the cutoff (floored to the hour), together with
//! all its documents (by `_blob`), so that `verify` still reconciles what is
//! left. A sealed folder goes as a whole once its span ended by the cutoff;
//! a sealed folder that spans the cutoff stays whole, and the cutoff used is
//! moved back to its start. The cutoff is kept in the checkpoint
//! (`pruned_before`): later runs neither list nor read those partitions,
//! even though the storage account may still hold them.
//!
//! Alerts have no partition: an alert goes when its own time (`_time`:
//! `AlertTime` / `createdDateTime`) is before the cutoff.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Query, RangeQuery, RegexQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, Term};

use super::tally;
use crate::alerts::Api;
use crate::discover;
use crate::error::{Error, Result};
use crate::index::checkpoint::Checkpoint;
use crate::index::format::{self, dir_size};
use crate::index::{Archive, deadletter};
use crate::layout;

/// What a prune removed.
#[derive(Debug, Default, Serialize)]
pub struct PruneReport {
    /// The cutoff applied: partitions of hours before it are gone.
    pub cutoff: String,
    pub blobs: u64,
    pub sealed_folders: u64,
    pub documents: u64,
    /// Documents removed per table.
    pub tables: BTreeMap<String, u64>,
    /// Index size on disk before and after.
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// The span of a sealed folder key (`container/tenantId=…/y=…/…/`).
fn folder_span(key: &str) -> Option<(Timestamp, Timestamp)> {
    let levels: Vec<(char, i32)> = key
        .split('/')
        .skip(2)
        .filter_map(layout::parse_level)
        .collect();
    discover::folder_span(&levels)
}

fn hour_of(key: &str) -> Option<Timestamp> {
    let (_, name) = key.split_once('/')?;
    layout::parse_blob_path(name).map(|p| p.hour)
}

/// Escapes a literal for tantivy's regular expressions.
fn regex_literal(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~\"<>@".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// Deletes the alerts whose own time is before `cut`.
fn prune_alerts(
    archive: &Archive,
    writer: &IndexWriter,
    cut: Timestamp,
    report: &mut PruneReport,
) -> Result<()> {
    let f = &archive.fields;
    let searcher = archive.index.reader()?.searcher();
    for api in [Api::Siem, Api::Graph] {
        let table = api.table();
        let old_alerts = || {
            BooleanQuery::intersection(vec![
                Box::new(TermQuery::new(
                    Term::from_field_text(f.table, table),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
                Box::new(RangeQuery::new(
                    std::ops::Bound::Unbounded,
                    std::ops::Bound::Excluded(Term::from_field_date(
                        f.time,
                        crate::timefmt::to_tantivy(cut),
                    )),
                )),
            ])
        };
        let docs = searcher.search(&old_alerts(), &Count)? as u64;
        if docs > 0 {
            writer.delete_query(Box::new(old_alerts()))?;
            *report.tables.entry(table.to_string()).or_default() += docs;
            report.documents += docs;
        }
    }
    Ok(())
}

/// Removes the partitions of hours before `cutoff`.
pub fn prune(archive: &Archive, cutoff: Timestamp) -> Result<PruneReport> {
    let _lock = archive.lock()?;
    let tantivy_dir = format::tantivy_dir(&archive.dir);
    let mut report = PruneReport {
        bytes_before: dir_size(&tantivy_dir),
        ..Default::default()
    };
    let mut checkpoint = Checkpoint::load(&archive.index)?;
    let mut cut = cutoff
        .round(
            jiff::TimestampRound::new()
                .smallest(jiff::Unit::Hour)
                .mode(jiff::RoundMode::Trunc),
        )
        .map_err(|e| Error::Usage(format!("cutoff {cutoff}: {e}")))?;
    for key in checkpoint.sealed.keys() {
        if let Some((start, end)) = folder_span(key)
            && start < cut
            && cut < end
        {
            cut = start;
        }
    }
    report.cutoff = cut.to_string();

    let blobs: Vec<String> = checkpoint
        .blobs
        .keys()
        .filter(|k| hour_of(k).is_some_and(|h| h < cut))
        .cloned()
        .collect();
    let folders: Vec<String> = checkpoint
        .sealed
        .keys()
        .filter(|k| folder_span(k).is_some_and(|(_, end)| end <= cut))
        .cloned()
        .collect();

    let counted = tally::tally(archive)?;
    let mut writer: IndexWriter = archive.index.writer(64 << 20)?;
    prune_alerts(archive, &writer, cut, &mut report)?;
    for key in &blobs {
        writer.delete_term(Term::from_field_text(archive.fields.blob, key));
        if let Some(p) = checkpoint.blobs.remove(key) {
            let docs = counted.blobs.get(key).copied().unwrap_or(0);
            *report.tables.entry(p.table).or_default() += docs;
            report.documents += docs;
        }
    }
    for key in &folders {
        let pattern = format!("{}.*", regex_literal(key));
        writer.delete_query(Box::new(RegexQuery::from_pattern(
            &pattern,
            archive.fields.blob,
        )?))?;
        if let Some(f) = checkpoint.sealed.remove(key) {
            let docs: u64 = counted
                .blobs
                .iter()
                .filter(|(b, _)| b.starts_with(key.as_str()))
                .map(|(_, n)| n)
                .sum();
            *report.tables.entry(f.table).or_default() += docs;
            report.documents += docs;
        }
    }
    report.blobs = blobs.len() as u64;
    report.sealed_folders = folders.len() as u64;
    checkpoint.pruned_before = checkpoint.pruned_before.max(Some(cut.as_second()));

    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&checkpoint.to_payload());
    let opstamp = prepared.commit()?;
    deadletter::rewrite(&archive.dir, opstamp, |e| {
        !blobs.contains(&e.blob) && !folders.iter().any(|f| e.blob.starts_with(f.as_str()))
    })?;
    let segments = archive.index.searchable_segment_ids()?;
    if segments.len() > 1 || report.documents > 0 {
        futures::executor::block_on(writer.merge(&segments))?;
    }
    futures::executor::block_on(writer.garbage_collect_files())?;
    writer.wait_merging_threads()?;
    report.bytes_after = dir_size(&tantivy_dir);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_keys_give_their_span() {
        let (s, e) =
            folder_span("insights-logs-advancedhunting-x/tenantId=t/y=2025/m=02/").unwrap();
        assert_eq!(s, "2025-02-01T00:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(e, "2025-03-01T00:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(regex_literal("a-b/y=1.json"), "a\\-b/y=1\\.json");
    }
}
