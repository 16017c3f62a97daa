//! The Defender for Endpoint SIEM alerts API (`GET /api/alerts`): its
//! regional endpoints, the query parameters it documents, and its answer, a
//! JSON array of alert objects in one response.
//!
//! Parameters, exactly as documented: `sinceTimeUtc` and `untilTimeUtc`
//! (bounds on `LastProcessedTimeUtc`, written like the documentation's
//! example, `2016-09-12T00:00:00.000`, in UTC), `ago` (an ISO 8601 duration,
//! `PT10M`), `limit` (the most recent N), `machinegroups` (repeatable),
//! `DeviceCreatedMachineTags` and `CloudCreatedMachineTags`. Without
//! parameters the API returns the alerts of the last two hours.

use azure_core::http::Url;
use jiff::{SignedDuration, Timestamp};
use serde_json::value::RawValue;

use super::{Api, Page, Paging, PullOptions};
use crate::error::{Error, Result};

/// The regions with an alert exporter endpoint.
pub const REGIONS: &[&str] = &["eu", "us", "uk"];

/// The endpoint of a region (`eu`, `us`, `uk`).
pub fn region_endpoint(region: &str) -> Result<String> {
    let region = region.trim().to_ascii_lowercase();
    if !REGIONS.contains(&region.as_str()) {
        return Err(Error::Usage(format!(
            "unknown SIEM API region {region:?}: use one of {}, or give the URL with --endpoint",
            REGIONS.join(", ")
        )));
    }
    Ok(format!(
        "https://wdatp-alertexporter-{region}.windows.com/api/alerts"
    ))
}

/// A time as `sinceTimeUtc`/`untilTimeUtc` take it: UTC, milliseconds.
pub fn format_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

/// A span as an ISO 8601 duration (`PT10M`, `P2DT3H`), whole seconds.
pub fn format_duration(span: SignedDuration) -> String {
    let mut secs = span.as_secs().max(1);
    let days = secs / 86_400;
    secs %= 86_400;
    let (hours, minutes, seconds) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if hours + minutes + seconds > 0 {
        out.push('T');
        for (n, unit) in [(hours, 'H'), (minutes, 'M'), (seconds, 'S')] {
            if n > 0 {
                out.push_str(&format!("{n}{unit}"));
            }
        }
    }
    out
}

/// Refuses the options of the other API.
pub fn check(opts: &PullOptions) -> Result<()> {
    if opts.top.is_some() {
        return Err(Error::Usage(
            "--top is a Graph parameter: the SIEM API answers in one response (use --limit)".into(),
        ));
    }
    Ok(())
}

/// The one request of a SIEM pull.
pub struct Pages {
    url: Option<Url>,
    limit: Option<u32>,
}

impl Pages {
    pub fn new(endpoint: &Url, since: Option<Timestamp>, opts: &PullOptions) -> Result<Self> {
        check(opts)?;
        let mut url = endpoint.clone();
        {
            let mut q = url.query_pairs_mut();
            match (opts.ago, since) {
                (Some(ago), _) => {
                    q.append_pair("ago", &format_duration(ago));
                }
                (None, Some(since)) => {
                    q.append_pair("sinceTimeUtc", &format_time(since));
                }
                (None, None) => {}
            }
            if let Some(until) = opts.until {
                q.append_pair("untilTimeUtc", &format_time(until));
            }
            if let Some(limit) = opts.limit {
                q.append_pair("limit", &limit.to_string());
            }
            for group in &opts.machine_groups {
                q.append_pair("machinegroups", group);
            }
            if let Some(tag) = &opts.device_tag {
                q.append_pair("DeviceCreatedMachineTags", tag);
            }
            if let Some(tag) = &opts.cloud_tag {
                q.append_pair("CloudCreatedMachineTags", tag);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(Pages {
            url: Some(url),
            limit: opts.limit,
        })
    }
}

impl Paging for Pages {
    fn next_url(&mut self) -> Option<Url> {
        self.url.take()
    }

    fn read(&mut self, body: &[u8], api: Api) -> Result<Page> {
        let list: Vec<&RawValue> = serde_json::from_slice(body).map_err(|e| {
            Error::Source(format!(
                "the {} did not answer with a JSON array of alerts: {e}",
                api.title()
            ))
        })?;
        let complete = self
            .limit
            .is_none_or(|l| (list.len() as u64) < u64::from(l));
        let items = super::items(api, list);
        Ok(Page { items, complete })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_of(since: Option<&str>, opts: PullOptions) -> String {
        let endpoint = Url::parse(&region_endpoint("EU").unwrap()).unwrap();
        let mut pages = Pages::new(&endpoint, since.map(|s| s.parse().unwrap()), &opts).unwrap();
        let url = pages.next_url().unwrap().to_string();
        assert!(pages.next_url().is_none(), "one request");
        url
    }

    #[test]
    fn parameters_are_the_documented_ones() {
        assert_eq!(
            url_of(None, PullOptions::default()),
            "https://wdatp-alertexporter-eu.windows.com/api/alerts"
        );
        let opts = PullOptions {
            until: Some("2016-09-13T00:00:00Z".parse().unwrap()),
            limit: Some(20),
            machine_groups: vec!["UKMachines".into(), "FranceMachines".into()],
            device_tag: Some("tag one".into()),
            cloud_tag: Some("c".into()),
            ..Default::default()
        };
        assert_eq!(
            url_of(Some("2016-09-12T00:00:00Z"), opts),
            "https://wdatp-alertexporter-eu.windows.com/api/alerts?sinceTimeUtc=2016-09-12T00%3A00%3A00.000\
             &untilTimeUtc=2016-09-13T00%3A00%3A00.000&limit=20&machinegroups=UKMachines\
             &machinegroups=FranceMachines&DeviceCreatedMachineTags=tag+one&CloudCreatedMachineTags=c"
        );
        let ago = PullOptions {
            ago: Some(SignedDuration::from_secs(600)),
            ..Default::default()
        };
        assert!(url_of(Some("2016-09-12T00:00:00Z"), ago).ends_with("?ago=PT10M"));
        assert!(
            region_endpoint("fr")
                .unwrap_err()
                .to_string()
                .contains("eu, us, uk")
        );
    }

    #[test]
    fn durations_and_times() {
        assert_eq!(format_duration(SignedDuration::from_secs(600)), "PT10M");
        assert_eq!(
            format_duration(SignedDuration::from_secs(2 * 86_400 + 3 * 3600 + 5)),
            "P2DT3H5S"
        );
        assert_eq!(format_duration(SignedDuration::from_secs(86_400)), "P1D");
        assert_eq!(
            format_time("2017-01-23T11:33:45.0760449Z".parse().unwrap()),
            "2017-01-23T11:33:45.076"
        );
    }

    #[test]
    fn a_full_answer_to_a_limit_may_be_incomplete() {
        let endpoint = Url::parse("https://example.test/api/alerts").unwrap();
        let opts = PullOptions {
            limit: Some(1),
            ..Default::default()
        };
        let mut pages = Pages::new(&endpoint, None, &opts).unwrap();
        let page = pages.read(br#"[{"AlertId":"a"}]"#, Api::Siem).unwrap();
        assert!(!page.complete);
        assert!(pages.read(b"[]", Api::Siem).unwrap().complete);
        let page = pages.read(br#"[7,{"AlertId":"b"}]"#, Api::Siem).unwrap();
        assert_eq!(page.items[0].as_ref().unwrap_err().0, "7");
        assert!(page.items[1].is_ok());
        assert!(pages.read(br#"{"value":[]}"#, Api::Siem).is_err());
    }
}
