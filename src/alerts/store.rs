//! Alerts into the archive: one document per alert, at its latest version.
//!
//! A document's `_id` is a hash of the table and the alert's id, so the same
//! alert always has the same `_id`. An alert received again is compared with
//! the stored one: the same JSON is left alone (`unchanged`); another JSON
//! replaces it (`delete_term` and `add_document` in the same commit), unless
//! the stored one is newer by `LastProcessedTimeUtc` / `lastUpdateDateTime`.
//! Within one pull the newest version received wins the same way. An alert
//! without an id is identified by its content, like a streamed record.
//!
//! Documents are `_table` `SiemAlerts` or `GraphAlerts`, `_time` the alert's
//! time (`AlertTime` / `createdDateTime`), `_blob` the endpoint it came from,
//! `_raw` its JSON as received, and its members as typed columns.

use std::collections::HashMap;

use jiff::Timestamp;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::{Alert, Api};
use crate::decode::{Decoder, record_id};
use crate::error::Result;
use crate::index::Archive;
use crate::index::checkpoint::Checkpoint;
use crate::index::deadletter::{self, DeadLetter};
use crate::schema::Catalog;

/// Indexing heap of a pull (alerts are few and small).
const WRITER_MEMORY: usize = 32 << 20;

/// What happened to the alerts of a pull.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub without_id: u64,
    pub bad: u64,
}

/// The uncommitted changes of one pull.
pub struct Store {
    writer: IndexWriter,
    searcher: Searcher,
    decoder: Decoder,
    fields: crate::index::Fields,
    api: Api,
    origin: String,
    /// Alerts written in this pull: `_id` → version.
    written: HashMap<String, Option<Timestamp>>,
    newest: Option<Timestamp>,
    counts: Counts,
    dir: std::path::PathBuf,
    dead: Vec<DeadLetter>,
}

impl Store {
    /// Starts a pull into `archive` (whose writer lock the caller holds).
    pub fn open(archive: &Archive, catalog: &Catalog, api: Api, origin: &str) -> Result<Store> {
        let reader = archive.index.reader()?;
        Ok(Store {
            writer: archive.index.writer_with_num_threads(1, WRITER_MEMORY)?,
            searcher: reader.searcher(),
            decoder: Decoder::new(&archive.fields, catalog),
            fields: archive.fields.clone(),
            api,
            origin: origin.to_string(),
            written: HashMap::new(),
            newest: None,
            counts: Counts::default(),
            dir: archive.dir.clone(),
            dead: Vec::new(),
        })
    }

    /// The `_id` of an alert.
    pub fn doc_id(api: Api, alert: &Alert) -> String {
        let key = alert.id.as_deref().unwrap_or(&alert.raw);
        format!("{:032x}", record_id(api.table(), key))
    }

    /// Adds an alert, replacing an older version of it.
    pub fn add(&mut self, alert: Alert) -> Result<()> {
        if let Some(v) = alert.version {
            self.newest = Some(self.newest.map_or(v, |n| n.max(v)));
        }
        let id = Self::doc_id(self.api, &alert);
        if let Some(version) = self.written.get(&id) {
            if older(alert.version, *version) {
                return Ok(());
            }
        } else {
            match self.stored(&id)? {
                Some((raw, _)) if raw == alert.raw => {
                    self.counts.unchanged += 1;
                    return Ok(());
                }
                Some((_, version)) if older(alert.version, version) => {
                    self.counts.unchanged += 1;
                    return Ok(());
                }
                Some(_) => self.counts.updated += 1,
                None => {
                    self.counts.added += 1;
                    if alert.id.is_none() {
                        self.counts.without_id += 1;
                    }
                }
            }
        }
        let term = Term::from_field_text(self.fields.id, &id);
        self.writer.delete_term(term);
        self.written.insert(id.clone(), alert.version);
        let doc = self.decoder.object_document(
            self.api.table(),
            &id,
            &self.origin,
            &alert.raw,
            alert.time,
            alert.object,
        );
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Keeps an element that is not an alert in the dead-letter log, with
    /// the endpoint and its position in the pull.
    pub fn reject(&mut self, position: u64, raw: &str, reason: String) {
        self.counts.bad += 1;
        self.dead.push(DeadLetter::new(
            &self.origin,
            position,
            reason,
            raw.as_bytes(),
        ));
    }

    /// The stored JSON and version of the alert with this `_id`, if any.
    fn stored(&self, id: &str) -> Result<Option<(String, Option<Timestamp>)>> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let Some((_, addr)) = self
            .searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let raw = doc
            .get_first(self.fields.raw)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let version = Alert::parse(self.api, &raw).ok().and_then(|a| a.version);
        Ok(Some((raw, version)))
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The newest version among the alerts received.
    pub fn newest(&self) -> Option<Timestamp> {
        self.newest
    }

    /// Publishes the pull's documents with `checkpoint` as the commit payload.
    pub fn commit(mut self, checkpoint: &Checkpoint) -> Result<()> {
        let mut prepared = self.writer.prepare_commit()?;
        deadletter::append(&self.dir, prepared.opstamp(), &mut self.dead)?;
        prepared.set_payload(&checkpoint.to_payload());
        prepared.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

/// Whether version `a` is known to be older than `b`.
fn older(a: Option<Timestamp>, b: Option<Timestamp>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a < b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(id: &str, version: &str, title: &str) -> Alert {
        let raw = format!(
            r#"{{"id":"{id}","title":"{title}","severity":"medium","createdDateTime":"2026-01-01T00:00:00Z","lastUpdateDateTime":"{version}"}}"#
        );
        Alert::parse(Api::Graph, &raw).unwrap()
    }

    fn pull(archive: &Archive, alerts: Vec<Alert>) -> Counts {
        let catalog = Catalog::embedded();
        let mut store = Store::open(archive, &catalog, Api::Graph, "https://graph.test/").unwrap();
        for a in alerts {
            store.add(a).unwrap();
        }
        let counts = store.counts();
        store
            .commit(&Checkpoint::load(&archive.index).unwrap())
            .unwrap();
        counts
    }

    fn titles(archive: &Archive) -> Vec<String> {
        let searcher = archive.index.reader().unwrap().searcher();
        let all = searcher
            .search(
                &tantivy::query::AllQuery,
                &TopDocs::with_limit(100).order_by_score(),
            )
            .unwrap();
        let mut out: Vec<String> = all
            .into_iter()
            .map(|(_, addr)| {
                let doc: TantivyDocument = searcher.doc(addr).unwrap();
                let raw = doc.get_first(archive.fields.raw).unwrap().as_str().unwrap();
                let v: serde_json::Value = serde_json::from_str(raw).unwrap();
                format!(
                    "{}={}",
                    v["id"].as_str().unwrap(),
                    v["title"].as_str().unwrap()
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn one_document_per_alert_at_its_latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open_or_create(dir.path(), &Catalog::embedded()).unwrap();
        let t1 = "2026-01-01T01:00:00Z";
        let t2 = "2026-01-01T02:00:00Z";
        let first = pull(&archive, vec![alert("a", t1, "one"), alert("b", t1, "one")]);
        assert_eq!((first.added, first.updated, first.unchanged), (2, 0, 0));
        // b comes back updated (twice, newest last, and an older copy after
        // it), a unchanged, c new.
        let second = pull(
            &archive,
            vec![
                alert("a", t1, "one"),
                alert("b", t1, "two"),
                alert("b", t2, "three"),
                alert("b", t1, "stale"),
                alert("c", t2, "one"),
            ],
        );
        assert_eq!((second.added, second.updated, second.unchanged), (1, 1, 1));
        assert_eq!(titles(&archive), ["a=one", "b=three", "c=one"]);
        // An older version of a stored alert does not replace it.
        let third = pull(&archive, vec![alert("b", t1, "old")]);
        assert_eq!((third.added, third.updated, third.unchanged), (0, 0, 1));
        assert_eq!(titles(&archive), ["a=one", "b=three", "c=one"]);
    }
}
