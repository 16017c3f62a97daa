//! Pulling Microsoft Defender alerts into the archive, from the Defender for
//! Endpoint SIEM alerts API ([`siem`], deprecated) or its successor, the
//! Microsoft Graph `security/alerts_v2` API ([`graph`]).
//!
//! ```text
//! config ──► token ──► fetch (pages, retries) ──► store (one document per alert) ──► commit (+cursor)
//! ```
//!
//! - [`config`]: which API, endpoint, tenant and app; flags win over the
//!   environment, which wins over the `[alerts]` table of the config file.
//! - [`token`]: OAuth 2.0 client credentials through `azure_identity`, whose
//!   cache refreshes a token before it expires; a fresh one on a 401.
//! - [`fetch`]: authenticated GETs, retried with backoff on 429/500/503
//!   (honouring `Retry-After`), errors as one-line messages naming what to do.
//! - [`store`]: alerts become documents of table `SiemAlerts` or
//!   `GraphAlerts`, identified by the alert's id, so that an alert that comes
//!   back updated replaces its older version: one document per alert.
//!
//! An element of an answer that is not a JSON object is kept in the
//! dead-letter log (with the endpoint and its position in the pull) and
//! counted, in the same commit, like a bad line of an export.
//!
//! A pull is one commit: the documents and the API's cursor (the newest
//! `LastProcessedTimeUtc` / `lastUpdateDateTime` committed) land together in
//! the checkpoint payload, or, when anything fails, nothing does. The next
//! pull asks for alerts from the cursor minus [`OVERLAP`]; alerts seen again
//! in the overlap are recognised as unchanged.

pub mod config;
pub mod fetch;
pub mod graph;
pub mod siem;
pub mod store;
pub mod token;

use std::sync::Arc;
use std::time::Instant;

use azure_core::http::HttpClient;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::index::Archive;
use crate::index::checkpoint::Checkpoint;
use crate::schema::Catalog;
use config::AlertsConfig;
use fetch::Fetcher;
use store::Store;

/// How far before the cursor the next pull starts, so that alerts the
/// service committed late (or with equal timestamps) are not missed.
pub const OVERLAP: SignedDuration = SignedDuration::from_secs(5 * 60);

/// One of the two alerts APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `GET https://wdatp-alertexporter-<region>.windows.com/api/alerts`.
    Siem,
    /// `GET https://graph.microsoft.com/v1.0/security/alerts_v2`.
    Graph,
}

impl Api {
    pub fn parse(name: &str) -> Result<Api> {
        match name.trim().to_ascii_lowercase().as_str() {
            "siem" => Ok(Api::Siem),
            "graph" => Ok(Api::Graph),
            other => Err(Error::Usage(format!(
                "unknown alerts API {other:?}: use graph (Microsoft Graph alerts_v2) or siem (the Defender SIEM API)"
            ))),
        }
    }

    /// The short name used in the checkpoint and in summaries.
    pub fn key(self) -> &'static str {
        match self {
            Api::Siem => "siem",
            Api::Graph => "graph",
        }
    }

    /// The name used in messages.
    pub fn title(self) -> &'static str {
        match self {
            Api::Siem => "Defender SIEM alerts API",
            Api::Graph => "Microsoft Graph alerts_v2 API",
        }
    }

    /// The table its alerts are stored in.
    pub fn table(self) -> &'static str {
        match self {
            Api::Siem => "SiemAlerts",
            Api::Graph => "GraphAlerts",
        }
    }

    /// The API whose alerts `table` holds, if it is an alerts table.
    pub fn of_table(table: &str) -> Option<Api> {
        [Api::Siem, Api::Graph]
            .into_iter()
            .find(|api| api.table() == table)
    }

    /// The token scope: for the SIEM API, the resource its documentation
    /// names (`https://graph.windows.net`); for Graph, Microsoft Graph.
    pub fn default_scope(self) -> &'static str {
        match self {
            Api::Siem => "https://graph.windows.net/.default",
            Api::Graph => "https://graph.microsoft.com/.default",
        }
    }

    /// The application permission the API requires.
    pub fn permission(self) -> &'static str {
        match self {
            Api::Siem => "Alert.Read.All (WindowsDefenderATP)",
            Api::Graph => "SecurityAlert.Read.All (Microsoft Graph)",
        }
    }

    /// The members holding the alert's identity, in order of preference.
    fn id_fields(self) -> &'static [&'static str] {
        match self {
            Api::Siem => &["FullId", "AlertId"],
            Api::Graph => &["id"],
        }
    }

    /// The member the API orders and filters by: when the alert last changed.
    pub fn version_field(self) -> &'static str {
        match self {
            Api::Siem => "LastProcessedTimeUtc",
            Api::Graph => "lastUpdateDateTime",
        }
    }

    /// The member holding the alert's own time (`_time`).
    fn time_field(self) -> &'static str {
        match self {
            Api::Siem => "AlertTime",
            Api::Graph => "createdDateTime",
        }
    }
}

/// One alert as the API returned it.
#[derive(Debug, Clone)]
pub struct Alert {
    /// The alert's identity (`FullId`, else `AlertId`; or `id`), if it has one.
    pub id: Option<String>,
    /// When it last changed (`LastProcessedTimeUtc` / `lastUpdateDateTime`).
    pub version: Option<Timestamp>,
    /// Its own time (`AlertTime` / `createdDateTime`).
    pub time: Option<Timestamp>,
    /// The alert's JSON text, exactly as received.
    pub raw: String,
    pub object: Map<String, Value>,
}

impl Alert {
    /// Reads one alert object of `api`'s response; what is not a JSON object
    /// gives the reason.
    pub fn parse(api: Api, raw: &str) -> std::result::Result<Alert, String> {
        let object: Map<String, Value> = serde_json::from_str(raw)
            .map_err(|e| format!("not an alert: not a JSON object ({e})"))?;
        let text = |name: &str| object.get(name).and_then(Value::as_str);
        let time = |name: &str| text(name).and_then(crate::timefmt::parse_export_time);
        Ok(Alert {
            id: api
                .id_fields()
                .iter()
                .find_map(|f| text(f).filter(|s| !s.is_empty()))
                .map(str::to_string),
            version: time(api.version_field()),
            time: time(api.time_field()),
            raw: raw.to_string(),
            object,
        })
    }
}

/// How far a pull has come for one API and tenant, committed with the
/// documents (see [`crate::index::checkpoint::Checkpoint::alerts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertCursor {
    /// The newest `LastProcessedTimeUtc` / `lastUpdateDateTime` committed (RFC 3339).
    pub newest: Option<String>,
    /// Documents in the archive from this API and tenant.
    pub alerts: u64,
}

/// What to ask the API for, beyond the cursor.
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// Start here instead of at the cursor.
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// SIEM: alerts of the last span (`ago`), instead of the cursor.
    pub ago: Option<SignedDuration>,
    /// SIEM: at most this many (the most recent).
    pub limit: Option<u32>,
    /// SIEM: only these machine groups.
    pub machine_groups: Vec<String>,
    /// SIEM: `DeviceCreatedMachineTags`.
    pub device_tag: Option<String>,
    /// SIEM: `CloudCreatedMachineTags`.
    pub cloud_tag: Option<String>,
    /// Graph: page size (`$top`).
    pub top: Option<u32>,
}

impl PullOptions {
    /// Refuses options the API does not take.
    pub fn check(&self, api: Api) -> Result<()> {
        match api {
            Api::Siem => siem::check(self),
            Api::Graph => graph::check(self),
        }
    }
}

/// What a pull did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PullSummary {
    pub api: String,
    pub tenant: String,
    pub endpoint: String,
    /// The lower time bound asked for (RFC 3339), if any.
    pub since: Option<String>,
    /// API requests made (pages, retries and token refreshes included).
    pub requests: u64,
    pub pages: u64,
    /// Alerts received (an alert seen twice in the pull counts twice).
    pub received: u64,
    /// Alerts new to the archive.
    pub added: u64,
    /// Alerts whose stored version was replaced by a newer one.
    pub updated: u64,
    /// Alerts received exactly as already stored.
    pub unchanged: u64,
    /// Alerts without an id, stored by their content.
    pub without_id: u64,
    /// Elements that are not alerts (not JSON objects), kept in the dead-letter log.
    pub bad: u64,
    /// The cursor after the pull.
    pub cursor: Option<String>,
    pub committed: bool,
    pub elapsed_secs: f64,
}

/// Pulls new and updated alerts into `archive` in one commit.
pub async fn pull(
    archive: &Archive,
    catalog: &Catalog,
    config: &AlertsConfig,
    http: Arc<dyn HttpClient>,
    opts: &PullOptions,
) -> Result<PullSummary> {
    let started = Instant::now();
    let _lock = archive.lock()?;
    crate::index::deadletter::repair(&archive.dir, archive.index.load_metas()?.opstamp)?;
    let mut checkpoint = Checkpoint::load(&archive.index)?;
    let key = format!("{}/{}", config.api.key(), config.tenant_id);
    let cursor = checkpoint.alerts.get(&key).cloned().unwrap_or_default();
    let newest = cursor
        .newest
        .as_deref()
        .and_then(crate::timefmt::parse_export_time);
    let since = match (opts.since, opts.ago) {
        (Some(since), _) => Some(since),
        (None, Some(_)) => None,
        (None, None) => newest.and_then(|t| t.checked_sub(OVERLAP).ok()),
    };
    let mut summary = PullSummary {
        api: config.api.key().to_string(),
        tenant: config.tenant_id.clone(),
        endpoint: config.endpoint.to_string(),
        since: since.map(|t| t.to_string()),
        ..Default::default()
    };

    let fetcher = Fetcher::new(config, http)?;
    let mut store = Store::open(archive, catalog, config.api, config.endpoint.as_str())?;
    let mut pages = match config.api {
        Api::Siem => siem::Pages::new(&config.endpoint, since, opts)?.boxed(),
        Api::Graph => graph::Pages::new(&config.endpoint, since, opts)?.boxed(),
    };
    let mut complete = true;
    while let Some(url) = pages.next_url() {
        let body = fetcher.get(&url).await?;
        summary.pages += 1;
        let page = pages.read(&body, config.api)?;
        complete &= page.complete;
        for item in page.items {
            summary.received += 1;
            match item {
                Ok(alert) => store.add(alert)?,
                Err((raw, reason)) => store.reject(summary.received - 1, &raw, reason),
            }
        }
    }
    summary.requests = fetcher.requests();
    let counts = store.counts();
    summary.added = counts.added;
    summary.updated = counts.updated;
    summary.unchanged = counts.unchanged;
    summary.without_id = counts.without_id;
    summary.bad = counts.bad;

    // A truncated answer (SIEM `limit` reached) may leave older alerts of
    // the window behind: the cursor then stays where it was.
    let mut next = cursor.clone();
    next.alerts += counts.added;
    if complete
        && let Some(seen) = store.newest()
        && newest.is_none_or(|n| seen > n)
    {
        next.newest = Some(seen.to_string());
    }
    summary.cursor = next.newest.clone();
    if next != cursor || counts.added + counts.updated + counts.bad > 0 {
        checkpoint.alerts.insert(key, next);
        store.commit(&checkpoint)?;
        summary.committed = true;
    }
    summary.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Whether a failed pull may succeed when tried again later unchanged
/// (throttling, server trouble, the network, the index busy): `--watch`
/// goes on after these and stops at the others.
pub fn transient(e: &Error) -> bool {
    matches!(
        e,
        Error::Source(_) | Error::Unreachable(_) | Error::Locked { .. } | Error::Rebuilt(_)
    )
}

/// One page of an API's answer.
pub struct Page {
    /// Each element: an alert, or its text and why it is not one.
    pub items: Vec<std::result::Result<Alert, (String, String)>>,
    /// False when the answer may hold fewer alerts than the window has.
    pub complete: bool,
}

/// The elements of an answer, each read as an alert.
fn items(
    api: Api,
    list: Vec<&serde_json::value::RawValue>,
) -> Vec<std::result::Result<Alert, (String, String)>> {
    list.into_iter()
        .map(|raw| Alert::parse(api, raw.get()).map_err(|why| (raw.get().to_string(), why)))
        .collect()
}

/// The requests of one pull, one page at a time.
pub trait Paging: Send {
    /// The next URL to get, or `None` when the pull is complete.
    fn next_url(&mut self) -> Option<azure_core::http::Url>;
    /// Reads the body of the page just fetched (and learns the next URL).
    fn read(&mut self, body: &[u8], api: Api) -> Result<Page>;

    fn boxed(self) -> Box<dyn Paging>
    where
        Self: Sized + 'static,
    {
        Box::new(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example alert of the SIEM API's documentation.
    pub(crate) const SEED_ALERT: &str = r#"{"AlertTime":"2017-01-23T07:32:54.1861171Z","ComputerDnsName":"desktop-bvccckk","AlertTitle":"Suspicious PowerShell commandline","Category":"SuspiciousActivity","Severity":"Medium","AlertId":"636207535742330111_-1114309685","Actor":null,"LinkToWDATP":"https://securitycenter.windows.com/alert/636207535742330111_-1114309685","IocName":null,"IocValue":null,"CreatorIocName":null,"CreatorIocValue":null,"Sha1":"69484ca722b4285a234896a2e31707cbedc59ef9","FileName":"powershell.exe","FilePath":"C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0","IpAddress":null,"Url":null,"IoaDefinitiondId":"7f1c3609-a3ff-40e2-995b-c01770161d68","UserName":null,"AlertPart":0,"FullId":"636207535742330111_-1114309685:9DE735BA9FF87725E392C6DFBEB2AF279035CDE229FCC00D28C0F3242C5A50AF","LastProcessedTimeUtc":"2017-01-23T11:33:45.0760449Z","ThreatCategory":null,"ThreatFamily":null,"ThreatName":null,"RemediationAction":null,"RemediationIsSuccess":null,"Source":"Microsoft Defender ATP","Md5":null,"Sha256":null,"WasExecutingWhileDetected":null,"FileHash":"69484ca722b4285a234896a2e31707cbedc59ef9","IocUniqueId":"9DE735BA9FF87725E392C6DFBEB2AF279035CDE229FCC00D28C0F3242C5A50AF"}"#;

    #[test]
    fn a_siem_alert_is_identified_by_its_full_id() {
        let a = Alert::parse(Api::Siem, SEED_ALERT).unwrap();
        assert_eq!(
            a.id.as_deref(),
            Some(
                "636207535742330111_-1114309685:9DE735BA9FF87725E392C6DFBEB2AF279035CDE229FCC00D28C0F3242C5A50AF"
            )
        );
        assert_eq!(
            a.version.unwrap().to_string(),
            "2017-01-23T11:33:45.0760449Z"
        );
        assert_eq!(a.time.unwrap().to_string(), "2017-01-23T07:32:54.1861171Z");
        assert_eq!(a.raw, SEED_ALERT);

        let partial = Alert::parse(Api::Siem, r#"{"AlertId":"a-1","FullId":null}"#).unwrap();
        assert_eq!(partial.id.as_deref(), Some("a-1"));
        assert!(
            Alert::parse(Api::Graph, r#"{"title":"x"}"#)
                .unwrap()
                .id
                .is_none()
        );
        assert!(
            Alert::parse(Api::Graph, "[1]")
                .unwrap_err()
                .contains("not a JSON object")
        );
    }

    #[test]
    fn api_names() {
        assert_eq!(Api::parse("SIEM").unwrap(), Api::Siem);
        assert_eq!(Api::parse("graph").unwrap().table(), "GraphAlerts");
        assert!(Api::parse("mde").unwrap_err().to_string().contains("graph"));
    }
}
