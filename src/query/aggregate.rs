//! Counting the matching documents by the values of a column
//! (`search --count-by FIELD`). The counts come from a tantivy terms
//! aggregation over the column's fast field: the index answers, no document
//! is read.

use serde::Serialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, BucketResult};
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard, Key};
use tantivy::collector::Count;

use super::search::{self, SearchRequest};
use crate::error::{Error, Result};
use crate::index::Archive;
use crate::schema::Catalog;
use crate::timefmt;

/// One value and how many matching documents hold it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    pub value: String,
    pub count: u64,
}

/// The most frequent values of a column among the matching documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountBy {
    pub field: String,
    /// Matching documents.
    pub total: usize,
    /// Most frequent first.
    pub buckets: Vec<Bucket>,
    /// Matching documents holding a value outside the top buckets.
    pub other: u64,
}

/// Counts the documents matching `req` by the values of `column`, keeping
/// the `size` most frequent values.
pub fn count_by(
    archive: &Archive,
    catalog: &Catalog,
    req: &SearchRequest,
    column: &str,
    size: usize,
) -> Result<CountBy> {
    let field = search::fast_field(&archive.fields, column, "count by")?;
    let query = search::request_query(archive, catalog, req)?;
    let searcher = search::open_searcher(archive)?;
    let request: Aggregations = serde_json::from_value(serde_json::json!({
        "by": { "terms": { "field": field, "size": size.max(1), "order": { "_count": "desc" } } }
    }))
    .map_err(|e| Error::Index(format!("aggregation request: {e}")))?;
    let collector = AggregationCollector::from_aggs(
        request,
        AggContextParams::new(
            AggregationLimitsGuard::default(),
            archive.index.tokenizers().clone(),
        ),
    );
    let (total, mut results) = searcher.search(&query, &(Count, collector))?;
    let Some(AggregationResult::BucketResult(BucketResult::Terms {
        buckets,
        sum_other_doc_count,
        ..
    })) = results.0.remove("by")
    else {
        return Err(Error::Index(
            "the terms aggregation returned no buckets".into(),
        ));
    };
    let is_date = archive
        .fields
        .column(&field)
        .is_some_and(|(_, k)| k == crate::schema::Kind::Date)
        || field == crate::index::fields::TIME;
    let buckets = buckets
        .into_iter()
        .map(|b| Bucket {
            value: key_text(&b.key, b.key_as_string, is_date),
            count: b.doc_count,
        })
        .collect();
    Ok(CountBy {
        field,
        total,
        buckets,
        other: sum_other_doc_count,
    })
}

fn key_text(key: &Key, as_string: Option<String>, is_date: bool) -> String {
    if let Some(s) = as_string {
        return s;
    }
    match key {
        Key::Str(s) => s.clone(),
        Key::I64(i) if is_date => {
            timefmt::from_tantivy(tantivy::DateTime::from_timestamp_nanos(*i)).to_string()
        }
        Key::I64(i) => i.to_string(),
        Key::U64(u) => u.to_string(),
        Key::F64(f) => f.to_string(),
    }
}
