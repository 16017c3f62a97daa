//! Authenticated GETs to an alerts API, and what its answers mean.
//!
//! | answer | what happens |
//! |---|---|
//! | 2xx | the body is returned |
//! | 401 (malformed request or invalid token) | a fresh token once, then the request again; a second 401 fails, naming the app registration and tenant |
//! | 403 (the app or tenant is not authorized) | fails, naming the permission the app needs |
//! | 408, 429, 500, 502, 503, 504, or no answer | retried with exponential backoff, waiting what `Retry-After` says when it says it (at most [`Retry::max_delay`]); fails after [`Retry::attempts`] tries |
//! | anything else | fails with the status and the start of the body |
//!
//! Messages are one line and pass through [`redact`]: neither the client
//! secret nor a token ever appears in them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use azure_core::http::headers::HeaderName;
use azure_core::http::{HttpClient, Method, Request, StatusCode, Url};
use bytes::Bytes;

use super::config::AlertsConfig;
use super::token::{Tokens, one_line};
use crate::error::{Error, Result};
use crate::source::auth::redact;

/// Longest part of an error body quoted in a message.
const MAX_QUOTE: usize = 300;

/// How often and how long to retry.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Tries in all (the first one included).
    pub attempts: u32,
    /// Wait before the first retry; doubled after each.
    pub first_delay: Duration,
    /// Longest wait, whatever `Retry-After` says.
    pub max_delay: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 5,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

/// Gets pages of one API as one app registration.
pub struct Fetcher {
    config: AlertsConfig,
    http: Arc<dyn HttpClient>,
    tokens: Tokens,
    retry: Retry,
    requests: AtomicU64,
}

impl Fetcher {
    pub fn new(config: &AlertsConfig, http: Arc<dyn HttpClient>) -> Result<Self> {
        Ok(Fetcher {
            config: config.clone(),
            tokens: Tokens::new(config, http.clone())?,
            http,
            retry: Retry::default(),
            requests: AtomicU64::new(0),
        })
    }

    /// API requests sent so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The body of a successful GET of `url`.
    pub async fn get(&self, url: &Url) -> Result<Bytes> {
        let mut renewed = false;
        let mut attempt = 1;
        let mut delay = self.retry.first_delay;
        loop {
            let token = self.tokens.token().await?;
            let mut request = Request::new(url.clone(), Method::Get);
            request.insert_header("authorization", format!("Bearer {}", token.secret()));
            request.insert_header("accept", "application/json");
            self.requests.fetch_add(1, Ordering::Relaxed);
            let (status, wait, body) = match self.http.execute_request(&request).await {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = response
                        .headers()
                        .get_optional_str(&HeaderName::from_static("retry-after"))
                        .and_then(retry_after);
                    match response.into_body().collect().await {
                        Ok(body) => (Some(status), retry_after, Ok(body)),
                        Err(e) => (None, None, Err(e)),
                    }
                }
                Err(e) => (None, None, Err(e)),
            };
            let secrets = [self.config.client_secret.expose(), token.secret()];
            let outcome = match (status, body) {
                (Some(s), Ok(body)) if s.is_success() => return Ok(body),
                (Some(StatusCode::Unauthorized), Ok(_)) if !renewed => {
                    renewed = true;
                    self.tokens.renew()?;
                    continue;
                }
                (Some(StatusCode::Unauthorized), Ok(_)) => return Err(self.unauthorized()),
                (Some(StatusCode::Forbidden), Ok(_)) => return Err(self.forbidden()),
                (Some(s), Ok(body)) if retried(s) => Failure::Status(s, quote(&body, &secrets)),
                (Some(s), Ok(body)) => return Err(self.refused(url, s, &quote(&body, &secrets))),
                (_, Err(e)) => Failure::NoAnswer(one_line(&redact(&e.to_string(), &secrets))),
                (None, Ok(_)) => Failure::NoAnswer(String::new()),
            };
            if attempt >= self.retry.attempts {
                return Err(self.gave_up(url, attempt, &outcome));
            }
            let pause = wait.unwrap_or(delay).min(self.retry.max_delay);
            tracing::info!(
                api = self.config.api.key(),
                attempt,
                wait_ms = pause.as_millis() as u64,
                "{}",
                outcome.describe()
            );
            tokio::time::sleep(pause).await;
            delay = (delay * 2).min(self.retry.max_delay);
            attempt += 1;
        }
    }

    fn unauthorized(&self) -> Error {
        let c = &self.config;
        Error::AccessDenied(format!(
            "the {} refused the token of {} (HTTP 401: malformed request or invalid token), \
             also a fresh one: check that the app registration is in that tenant and that the \
             token scope {} is the API's",
            c.api.title(),
            c.app(),
            c.scope
        ))
    }

    fn forbidden(&self) -> Error {
        let c = &self.config;
        Error::AccessDenied(format!(
            "the {} denied {} (HTTP 403: the app or tenant is not authorized): grant the app \
             registration the application permission {} with admin consent",
            c.api.title(),
            c.app(),
            c.api.permission()
        ))
    }

    fn refused(&self, url: &Url, status: StatusCode, body: &str) -> Error {
        let what = if status == StatusCode::NotFound {
            "check --endpoint or --region".to_string()
        } else {
            format!("the service said: {body}")
        };
        Error::Source(format!(
            "the {} answered HTTP {} {} to GET {}: {what}",
            self.config.api.title(),
            u16::from(status),
            status.canonical_reason(),
            endpoint_of(url)
        ))
    }

    fn gave_up(&self, url: &Url, attempts: u32, failure: &Failure) -> Error {
        let message = format!(
            "the {} at {} failed {attempts} times ({}); nothing was committed: try again later",
            self.config.api.title(),
            endpoint_of(url),
            failure.describe()
        );
        match failure {
            Failure::NoAnswer(_) => Error::Unreachable(message),
            Failure::Status(..) => Error::Source(message),
        }
    }
}

/// Why a try failed in a way worth retrying.
enum Failure {
    Status(StatusCode, String),
    NoAnswer(String),
}

impl Failure {
    fn describe(&self) -> String {
        match self {
            Failure::Status(s, body) if body.is_empty() => {
                format!("last: HTTP {} {}", u16::from(*s), s.canonical_reason())
            }
            Failure::Status(s, body) => format!(
                "last: HTTP {} {}: {body}",
                u16::from(*s),
                s.canonical_reason()
            ),
            Failure::NoAnswer(e) => format!("last: no answer: {e}"),
        }
    }
}

/// Statuses that say "try again": throttling and server trouble.
fn retried(status: StatusCode) -> bool {
    matches!(u16::from(status), 408 | 429 | 500 | 502 | 503 | 504)
}

/// A `Retry-After` value: seconds, or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = azure_core::time::parse_rfc7231(value).ok()?;
    let now = azure_core::time::OffsetDateTime::now_utc();
    Some(Duration::from_secs_f64(
        (at - now).as_seconds_f64().max(0.0),
    ))
}

/// The start of a body, on one line, without secrets.
fn quote(body: &[u8], secrets: &[&str]) -> String {
    let text = one_line(&redact(&String::from_utf8_lossy(body), secrets));
    match text.char_indices().nth(MAX_QUOTE) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The URL without its query, for messages.
fn endpoint_of(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn quotes_are_short_one_line_and_secret_free() {
        let body = b"{\"error\":\n  \"bad\", \"client_secret=abc123\", \"tok-SECRET-1\"}";
        let q = quote(body, &["tok-SECRET-1"]);
        assert!(!q.contains('\n'));
        assert!(!q.contains("abc123") && !q.contains("tok-SECRET-1"), "{q}");
        let long = vec![b'x'; 1000];
        assert_eq!(quote(&long, &[]).chars().count(), MAX_QUOTE + 1);
    }

    #[test]
    fn what_is_retried() {
        for s in [429, 500, 503] {
            assert!(retried(StatusCode::from(s)), "{s}");
        }
        for s in [400, 401, 403, 404] {
            assert!(!retried(StatusCode::from(s)), "{s}");
        }
    }
}
