//! The Microsoft Graph alerts API (`GET /v1.0/security/alerts_v2`): the
//! `$filter` on `lastUpdateDateTime` and `$top` it documents, and paging
//! through `@odata.nextLink` until a page has none.
//!
//! A next link is followed only on the endpoint's own origin (scheme, host
//! and port): the bearer token is never sent anywhere else. A next link back
//! to the page it came with stops the pull rather than looping.

use azure_core::http::Url;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Api, Page, Paging, PullOptions};
use crate::error::{Error, Result};

/// The Graph endpoint of the alerts collection.
pub const DEFAULT_ENDPOINT: &str = "https://graph.microsoft.com/v1.0/security/alerts_v2";
/// Page size asked for when none is given.
pub const DEFAULT_TOP: u32 = 500;

/// An OData `DateTimeOffset` literal.
pub fn format_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
}

/// The `$filter` expression for a window on `lastUpdateDateTime`.
pub fn filter(since: Option<Timestamp>, until: Option<Timestamp>) -> Option<String> {
    let parts: Vec<String> = [("ge", since), ("lt", until)]
        .into_iter()
        .filter_map(|(op, t)| t.map(|t| format!("lastUpdateDateTime {op} {}", format_time(t))))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" and "))
}

/// Refuses the options of the other API.
pub fn check(opts: &PullOptions) -> Result<()> {
    let siem_only = [
        (opts.ago.is_some(), "--ago"),
        (opts.limit.is_some(), "--limit"),
        (!opts.machine_groups.is_empty(), "--machine-group"),
        (opts.device_tag.is_some(), "--device-tag"),
        (opts.cloud_tag.is_some(), "--cloud-tag"),
    ];
    if let Some((_, flag)) = siem_only.iter().find(|(given, _)| *given) {
        return Err(Error::Usage(format!(
            "{flag} is a parameter of the SIEM API (--api siem); Graph takes --since, --until and --top"
        )));
    }
    Ok(())
}

/// The pages of a Graph pull.
pub struct Pages {
    endpoint: Url,
    next: Option<Url>,
    /// The page being read.
    current: Option<Url>,
}

/// One page of the collection.
#[derive(Deserialize)]
struct Collection<'a> {
    #[serde(borrow)]
    value: Vec<&'a RawValue>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

impl Pages {
    pub fn new(endpoint: &Url, since: Option<Timestamp>, opts: &PullOptions) -> Result<Self> {
        check(opts)?;
        let mut url = endpoint.clone();
        {
            let mut q = url.query_pairs_mut();
            if let Some(f) = filter(since, opts.until) {
                q.append_pair("$filter", &f);
            }
            q.append_pair("$top", &opts.top.unwrap_or(DEFAULT_TOP).to_string());
        }
        Ok(Pages {
            endpoint: endpoint.clone(),
            next: Some(url),
            current: None,
        })
    }
}

impl Paging for Pages {
    fn next_url(&mut self) -> Option<Url> {
        self.current = self.next.take();
        self.current.clone()
    }

    fn read(&mut self, body: &[u8], api: Api) -> Result<Page> {
        let page: Collection = serde_json::from_slice(body).map_err(|e| {
            Error::Source(format!(
                "the {} did not answer with an alert collection (`value`): {e}",
                api.title()
            ))
        })?;
        if let Some(link) = page.next_link {
            let next = Url::parse(&link).map_err(|e| {
                Error::Source(format!(
                    "the {} sent an @odata.nextLink that is not a URL: {e}",
                    api.title()
                ))
            })?;
            if next.origin() != self.endpoint.origin() {
                return Err(Error::Source(format!(
                    "the {} sent an @odata.nextLink to {}, not to {}: refusing to send the token there",
                    api.title(),
                    next.origin().ascii_serialization(),
                    self.endpoint.origin().ascii_serialization()
                )));
            }
            if self.current.as_ref() == Some(&next) {
                return Err(Error::Source(format!(
                    "the {} sent an @odata.nextLink to the page it came with: stopping",
                    api.title()
                )));
            }
            self.next = Some(next);
        }
        let items = super::items(api, page.value);
        Ok(Page {
            items,
            complete: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_filters_on_last_update() {
        let endpoint = Url::parse(DEFAULT_ENDPOINT).unwrap();
        let since = "2021-05-02T14:19:01.3266667Z".parse().unwrap();
        let mut pages = Pages::new(&endpoint, Some(since), &PullOptions::default()).unwrap();
        let url = pages.next_url().unwrap();
        let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            q,
            [
                (
                    "$filter".to_string(),
                    "lastUpdateDateTime ge 2021-05-02T14:19:01.3266667Z".to_string()
                ),
                ("$top".to_string(), "500".to_string())
            ]
        );
        assert!(pages.next_url().is_none());
        let limited = PullOptions {
            limit: Some(3),
            ..Default::default()
        };
        let err = Pages::new(&endpoint, None, &limited).err().unwrap();
        assert!(err.to_string().contains("--limit"));
    }

    #[test]
    fn next_links_are_followed_on_the_same_origin_only() {
        let endpoint = Url::parse("https://127.0.0.1:8443/v1.0/security/alerts_v2").unwrap();
        let mut pages = Pages::new(&endpoint, None, &PullOptions::default()).unwrap();
        pages.next_url();
        let body = br#"{"value":[{"id":"a"}],"@odata.nextLink":"https://127.0.0.1:8443/v1.0/security/alerts_v2?$top=500&$skip=500"}"#;
        let page = pages.read(body, Api::Graph).unwrap();
        let first = page.items[0].as_ref().unwrap();
        assert_eq!(first.id.as_deref(), Some("a"));
        let second = pages.next_url().unwrap();
        assert!(second.as_str().ends_with("$skip=500"));
        let body = format!(r#"{{"value":[],"@odata.nextLink":"{second}"}}"#);
        let err = pages.read(body.as_bytes(), Api::Graph).err().unwrap();
        assert!(err.to_string().contains("the page it came with"), "{err}");
        let body =
            br#"{"value":[],"@odata.nextLink":"https://evil.example/v1.0/security/alerts_v2"}"#;
        let err = pages.read(body, Api::Graph).err().unwrap();
        assert!(err.to_string().contains("refusing"));
        assert!(pages.read(b"[]", Api::Graph).is_err());
    }

    #[test]
    fn filters() {
        assert_eq!(filter(None, None), None);
        let t = "2026-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            filter(Some(t), Some(t)).unwrap(),
            "lastUpdateDateTime ge 2026-01-01T00:00:00Z and lastUpdateDateTime lt 2026-01-01T00:00:00Z"
        );
    }
}
