//! The Azure Blob source: reads the storage account Defender XDR streams into,
//! through the official SDK (`azure_storage_blob` 1.x on `azure_core`). This
//! module owns the client and its pipeline (authentication from [`super::auth`],
//! retries, request counting), listing, ranged streamed reads that resume
//! after a dropped connection, and turning service errors into one-line,
//! secret-free messages.
//!
//! - Containers are listed with the SDK's pager, every page.
//! - Blobs are listed with `List Blobs` sent through the same kind of
//!   `azure_core` pipeline, because the SDK's `list_blobs` has no `delimiter`
//!   (hierarchical listing), which discovery needs to walk
//!   `tenantId=/y=/m=/d=` folder by folder. Flat and delimited listings share
//!   that one request and parser. An absent container lists as empty.
//! - A blob's identity is its creation time (`Creation-Time`, which appends
//!   do not change and a delete and re-create does, at one-second
//!   resolution); its etag changes on every append.
//! - Reads are one ranged `Get Blob` (the SDK's download with one partition
//!   covering the range, so the body is streamed, not buffered). When the
//!   connection drops mid-body, the read continues with a new ranged request
//!   from the next byte not yet delivered, a bounded number of times, and
//!   checks the blob was not replaced meanwhile (same creation time), so the
//!   caller sees one gap-free, duplicate-free stream.
//! - Throttling (429, 503), other 5xx, timeouts and dropped connections are
//!   retried with exponential backoff (the pipeline's retry options). A
//!   connection that cannot be opened to an endpoint never reached before
//!   (refused, unknown host) is not retried: it fails at once as unreachable.

use std::num::NonZero;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use azure_core::error::{CheckSuccessOptions, ErrorKind};
use azure_core::http::policies::auth::BearerTokenAuthorizationPolicy;
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{
    AsyncResponseBody, ClientOptions, Context, ExponentialRetryOptions, Method, Pipeline,
    PipelineSendOptions, Request, RetryOptions, StatusCode, Transport, Url,
};
use azure_storage_blob::models::{
    BlobClientDownloadOptions, BlobServiceClientListContainersOptions, HttpRange,
};
use azure_storage_blob::{BlobClient, BlobServiceClient, BlobServiceClientOptions};
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;

use super::auth::{STORAGE_SCOPE, SasFields, StorageAuth, StorageConfig, redact};
use super::{BlobInfo, ByteStream, Listing, RequestStats, Source};
use crate::error::{Error, Result};

/// Resumes allowed in a row without a byte of progress, and in all, per read.
const MAX_RESUMES_IN_ROW: u32 = 5;
const MAX_RESUMES: u32 = 50;

#[derive(Debug, Default)]
struct Counters {
    list: AtomicU64,
    read: AtomicU64,
    bytes: AtomicU64,
}

/// What error messages say about the source, and the secrets they must not.
#[derive(Debug)]
struct ErrorContext {
    account: String,
    endpoint: String,
    auth: String,
    /// The SAS token's non-secret fields, with SAS auth.
    sas: Option<SasFields>,
    entra: bool,
    secrets: Vec<String>,
}

/// What was being done, for messages.
enum Op<'a> {
    ListContainers,
    List(&'a str),
    Read(&'a str, &'a str),
}

impl Op<'_> {
    fn describe(&self) -> String {
        match self {
            Op::ListContainers => "listing containers".into(),
            Op::List(c) => format!("listing container {c}"),
            Op::Read(c, b) => format!("reading {c}/{b}"),
        }
    }
}

/// An Azure Storage account (or Azurite) as a [`Source`].
pub struct AzureSource {
    service: BlobServiceClient,
    /// For `List Blobs` with a delimiter, which the SDK lacks.
    lister: Pipeline,
    container_base: Url,
    version: String,
    describe: String,
    errors: Arc<ErrorContext>,
    counters: Arc<Counters>,
    /// Items per list page (the service's default, 5000, when `None`).
    page_size: Option<u32>,
}

impl AzureSource {
    /// A source for the account `config` names, authenticated as it says.
    pub fn new(config: &StorageConfig) -> Result<Self> {
        let entra = matches!(config.auth, StorageAuth::Entra(_));
        if entra && config.blob_endpoint.scheme() != "https" {
            return Err(Error::Usage(format!(
                "Microsoft Entra ID tokens are only sent over https, and the blob endpoint {} \
                 is http: use an https endpoint, or a key or SAS",
                config.blob_endpoint
            )));
        }
        let counters = Arc::new(Counters::default());
        let transport = Transport::new(crate::http::client(config.ca_file.as_deref())?);
        let retry = RetryOptions::exponential(ExponentialRetryOptions {
            initial_delay: azure_core::time::Duration::milliseconds(500),
            max_retries: 6,
            max_total_elapsed: azure_core::time::Duration::seconds(90),
            max_delay: azure_core::time::Duration::seconds(20),
        });
        let base_options = ClientOptions {
            transport: Some(transport),
            retry,
            ..Default::default()
        };
        let (per_call, mut per_try) = config.policies();
        if let Some(credential) = config.token_credential(&base_options)? {
            per_try.insert(
                0,
                Arc::new(BearerTokenAuthorizationPolicy::new(
                    credential,
                    [STORAGE_SCOPE],
                )),
            );
        }
        per_try.push(Arc::new(CountingPolicy {
            counters: counters.clone(),
        }));
        per_try.push(Arc::new(ReachGuard {
            reached: AtomicBool::new(false),
        }));
        let client_options = ClientOptions {
            per_call_policies: per_call,
            per_try_policies: per_try,
            ..base_options
        };
        let service_options = BlobServiceClientOptions {
            client_options: client_options.clone(),
            ..Default::default()
        };
        let version = service_options.version.clone();
        let sas = match &config.auth {
            StorageAuth::Sas { token } => Some(SasFields::parse(token.expose())),
            _ => None,
        };
        let errors = Arc::new(ErrorContext {
            account: config.account.clone(),
            endpoint: config.blob_endpoint.to_string(),
            auth: config.auth_description(),
            sas,
            entra,
            secrets: config.secrets(),
        });
        let service =
            BlobServiceClient::new(config.blob_endpoint.clone(), None, Some(service_options))
                .map_err(|e| Error::Usage(redact(&e.to_string(), &errors.secret_refs())))?;
        let lister = Pipeline::new(
            Some("huntvault"),
            Some(env!("CARGO_PKG_VERSION")),
            client_options,
            Vec::new(),
            Vec::new(),
            None,
        );
        Ok(AzureSource {
            service,
            lister,
            container_base: config.blob_endpoint.clone(),
            version,
            describe: config.describe(),
            errors,
            counters,
            page_size: None,
        })
    }

    /// Lists at most `n` items per request (the service allows 1 to 5000);
    /// smaller pages cost more requests, so this is mostly for tests.
    pub fn with_page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n.clamp(1, 5000));
        self
    }

    /// The SDK client, authenticated and counted like the source's own
    /// requests (for writing test data or loading a benchmark export).
    pub fn client(&self) -> &BlobServiceClient {
        &self.service
    }

    /// One page of `List Blobs`.
    async fn list_page(
        &self,
        container: &str,
        prefix: &str,
        delimited: bool,
        marker: Option<&str>,
    ) -> Result<Option<EnumerationResults>> {
        let mut url = self.container_base.clone();
        url.path_segments_mut()
            .map_err(|_| Error::Source("the blob endpoint cannot hold a container path".into()))?
            .pop_if_empty()
            .push(container);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("restype", "container");
            q.append_pair("comp", "list");
            if !prefix.is_empty() {
                q.append_pair("prefix", prefix);
            }
            if delimited {
                q.append_pair("delimiter", "/");
            }
            if let Some(m) = marker {
                q.append_pair("marker", m);
            }
            if let Some(n) = self.page_size {
                q.append_pair("maxresults", &n.to_string());
            }
        }
        let mut request = Request::new(url, Method::Get);
        request.insert_header("accept", "application/xml");
        request.insert_header("x-ms-version", self.version.clone());
        let op = Op::List(container);
        let response = self
            .lister
            .send(
                &Context::new(),
                &mut request,
                Some(PipelineSendOptions {
                    check_success: CheckSuccessOptions {
                        success_codes: &[200],
                    },
                    ..Default::default()
                }),
            )
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) if error_code(&e).as_deref() == Some("ContainerNotFound") => return Ok(None),
            Err(e) => return Err(self.errors.map(&op, &e)),
        };
        azure_core::xml::from_xml::<_, EnumerationResults>(response.body().as_ref())
            .map(Some)
            .map_err(|e| {
                Error::Source(format!(
                    "{} on account {}: unexpected listing response: {}",
                    op.describe(),
                    self.errors.account,
                    deepest_message(&e)
                ))
            })
    }

    /// Opens a ranged download of `start..end` (to the blob's end when `end`
    /// is `None`); `None` when `start` is at or past the end of the blob.
    async fn open(
        client: &BlobClient,
        errors: &ErrorContext,
        op: &Op<'_>,
        start: u64,
        end: Option<u64>,
    ) -> Result<Option<(AsyncResponseBody, Option<String>)>> {
        let (range, partition) = match end {
            Some(e) => (HttpRange::new(start, e - start), e - start),
            None => (HttpRange::from_offset(start), u64::MAX / 4),
        };
        // One partition covering the whole range: one request, whose body
        // the SDK hands over as a stream.
        let partition = usize::try_from(partition).unwrap_or(usize::MAX / 4);
        let options = BlobClientDownloadOptions {
            range: Some(range),
            parallel: NonZero::new(1),
            partition_size: NonZero::new(partition),
            ..Default::default()
        };
        match client.download(Some(options)).await {
            Ok(r) => {
                let created = r
                    .headers
                    .get_optional_str(&"x-ms-creation-time".into())
                    .map(str::to_string);
                Ok(Some((r.body, created)))
            }
            Err(e)
                if e.http_status() == Some(StatusCode::RequestedRangeNotSatisfiable)
                    && end.is_none() =>
            {
                Ok(None)
            }
            Err(e) => Err(errors.map(op, &e)),
        }
    }
}

#[async_trait::async_trait]
impl Source for AzureSource {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn stats(&self) -> RequestStats {
        RequestStats {
            list_requests: self.counters.list.load(Ordering::Relaxed),
            read_requests: self.counters.read.load(Ordering::Relaxed),
            bytes: self.counters.bytes.load(Ordering::Relaxed),
        }
    }

    async fn list_containers(&self, prefix: &str) -> Result<Vec<String>> {
        let options = BlobServiceClientListContainersOptions {
            prefix: (!prefix.is_empty()).then(|| prefix.to_string()),
            maxresults: self.page_size.and_then(|n| i32::try_from(n).ok()),
            ..Default::default()
        };
        let op = Op::ListContainers;
        let mut pager = self
            .service
            .list_containers(Some(options))
            .map_err(|e| self.errors.map(&op, &e))?;
        let mut out = Vec::new();
        while let Some(item) = pager
            .try_next()
            .await
            .map_err(|e| self.errors.map(&op, &e))?
        {
            if let Some(name) = item.name {
                out.push(name);
            }
        }
        Ok(out)
    }

    async fn list(&self, container: &str, prefix: &str, delimited: bool) -> Result<Listing> {
        let mut listing = Listing::default();
        let mut marker: Option<String> = None;
        loop {
            let Some(page) = self
                .list_page(container, prefix, delimited, marker.as_deref())
                .await?
            else {
                return Ok(Listing::default());
            };
            for item in page.blobs.items {
                match item {
                    BlobEntry::Blob(b) => listing.blobs.push(BlobInfo {
                        container: container.to_string(),
                        name: b.name.decoded(),
                        size: b.properties.content_length.unwrap_or(0),
                        etag: b.properties.etag,
                        identity: b.properties.creation_time,
                    }),
                    BlobEntry::BlobPrefix(p) => listing.prefixes.push(p.name.decoded()),
                    BlobEntry::Other => {}
                }
            }
            marker = page.next_marker.filter(|m| !m.is_empty());
            if marker.is_none() {
                return Ok(listing);
            }
        }
    }

    async fn read(
        &self,
        container: &str,
        blob: &str,
        start: u64,
        end: Option<u64>,
    ) -> Result<ByteStream> {
        if end.is_some_and(|e| e <= start) {
            return Ok(futures::stream::empty().boxed());
        }
        let client = self.service.blob_client(container, blob);
        let op = Op::Read(container, blob);
        let Some((body, created)) = Self::open(&client, &self.errors, &op, start, end).await?
        else {
            return Ok(futures::stream::empty().boxed());
        };
        let state = ReadState {
            client,
            container: container.to_string(),
            blob: blob.to_string(),
            next: start,
            end,
            body: Some(body),
            created,
            in_row: 0,
            resumes: 0,
            done: false,
            errors: self.errors.clone(),
            counters: self.counters.clone(),
        };
        Ok(futures::stream::unfold(state, ReadState::step).boxed())
    }
}

/// A read in progress: the response being streamed and where it is.
struct ReadState {
    client: BlobClient,
    container: String,
    blob: String,
    /// The next byte to deliver.
    next: u64,
    end: Option<u64>,
    body: Option<AsyncResponseBody>,
    /// The blob's creation time, when the first response gave it.
    created: Option<String>,
    in_row: u32,
    resumes: u32,
    done: bool,
    errors: Arc<ErrorContext>,
    counters: Arc<Counters>,
}

impl ReadState {
    async fn step(mut self) -> Option<(Result<Bytes>, ReadState)> {
        loop {
            if self.done || self.end.is_some_and(|e| self.next >= e) {
                return None;
            }
            let Some(body) = self.body.as_mut() else {
                match self.reopen().await {
                    Ok(true) => continue,
                    Ok(false) => return None,
                    Err(e) => {
                        self.done = true;
                        return Some((Err(e), self));
                    }
                }
            };
            let failure = match body.next().await {
                Some(Ok(mut bytes)) => {
                    if let Some(e) = self.end {
                        let room = usize::try_from(e - self.next).unwrap_or(usize::MAX);
                        bytes.truncate(room);
                    }
                    if bytes.is_empty() {
                        continue;
                    }
                    self.next += bytes.len() as u64;
                    self.in_row = 0;
                    self.counters
                        .bytes
                        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                    return Some((Ok(bytes), self));
                }
                Some(Err(e)) => deepest_message(&e),
                None if self.end.is_none() => return None,
                None => "the response ended early".to_string(),
            };
            self.body = None;
            if self.in_row >= MAX_RESUMES_IN_ROW || self.resumes >= MAX_RESUMES {
                self.done = true;
                let err = Error::Source(redact(
                    &format!(
                        "reading {}/{} on account {}: the connection failed at byte {} \
                         after {} resumes: {failure}",
                        self.container, self.blob, self.errors.account, self.next, self.resumes
                    ),
                    &self.errors.secret_refs(),
                ));
                return Some((Err(err), self));
            }
            self.in_row += 1;
            self.resumes += 1;
            tracing::warn!(
                blob = %format!("{}/{}", self.container, self.blob),
                at = self.next,
                reason = %redact(&failure, &self.errors.secret_refs()),
                "connection lost mid-blob; resuming"
            );
            let backoff = 200u64 << (self.in_row - 1).min(5);
            tokio::time::sleep(Duration::from_millis(backoff)).await;
        }
    }

    /// Opens a new ranged request from the next byte. `Ok(false)` when the
    /// blob ends there.
    async fn reopen(&mut self) -> Result<bool> {
        let op = Op::Read(&self.container, &self.blob);
        let opened =
            AzureSource::open(&self.client, &self.errors, &op, self.next, self.end).await?;
        let Some((body, created)) = opened else {
            return Ok(false);
        };
        if self.created.is_some() && created.is_some() && created != self.created {
            return Err(Error::Source(format!(
                "{}/{} was replaced while it was being read: run again to read the new blob",
                self.container, self.blob
            )));
        }
        self.body = Some(body);
        Ok(true)
    }
}

impl ErrorContext {
    fn secret_refs(&self) -> Vec<&str> {
        self.secrets.iter().map(String::as_str).collect()
    }

    /// A one-line, secret-free error for a failed request.
    fn map(&self, op: &Op<'_>, err: &azure_core::Error) -> Error {
        let secrets = self.secret_refs();
        let clean = |s: String| redact(&s, &secrets);
        let account = &self.account;
        let what = op.describe();
        if unreachable(err) {
            let cause = deepest_message(err);
            let advice = if cause.contains("certificate") {
                "its TLS certificate is not trusted: when a proxy or a private authority \
                 signs it, give that authority's certificate with --ca-file"
            } else {
                "check --blob-endpoint / network"
            };
            return Error::Unreachable(clean(format!(
                "cannot reach {} ({what}): {advice} ({cause})",
                self.endpoint
            )));
        }
        if matches!(err.kind(), ErrorKind::Credential) {
            return Error::AccessDenied(clean(format!(
                "could not get a Microsoft Entra ID token for account {account} ({}): {}",
                self.auth,
                one_line(&deepest_message(err))
            )));
        }
        let ErrorKind::HttpResponse {
            status,
            raw_response,
            ..
        } = err.kind()
        else {
            return Error::Source(clean(format!(
                "{what} on account {account}: {}",
                one_line(&deepest_message(err))
            )));
        };
        let code = error_code(err).unwrap_or_default();
        let body = raw_response
            .as_ref()
            .map(|r| String::from_utf8_lossy(r.body().as_ref()).into_owned())
            .unwrap_or_default();
        let detail = service_message(&body);
        let status_text = format!("HTTP {}{}", u16::from(*status), paren(&code));
        match *status {
            StatusCode::Forbidden | StatusCode::Unauthorized => {
                if let Some(sas) = &self.sas {
                    let time_window = body.contains("Signed expiry time")
                        || body.contains("Signature not valid in the specified time frame");
                    if sas.expired() || time_window {
                        return Error::Expired(clean(format!(
                            "the SAS token for account {account} has expired{}: create a new \
                             one with read and list permissions ({what}, {status_text})",
                            sas.expiry
                                .as_ref()
                                .map(|e| format!(" (it was valid until {e})"))
                                .unwrap_or_default()
                        )));
                    }
                    if code.starts_with("AuthorizationPermissionMismatch")
                        || code == "AuthorizationResourceTypeMismatch"
                        || code == "AuthorizationServiceMismatch"
                    {
                        return Error::AccessDenied(clean(format!(
                            "the SAS token for account {account} does not allow {what}: it \
                             grants permissions '{}', and huntvault needs r (read) and l \
                             (list) on the Blob service (an account SAS also needs \
                             resource types sco) ({status_text})",
                            sas.permissions.as_deref().unwrap_or("")
                        )));
                    }
                }
                if self.entra {
                    Error::AccessDenied(clean(format!(
                        "access denied to account {account} with {}: reading needs the \
                         'Storage Blob Data Reader' role (an Owner can list but not read) \
                         ({what}, {status_text})",
                        self.auth
                    )))
                } else {
                    Error::AccessDenied(clean(format!(
                        "access denied to account {account} with {}: the key or SAS was \
                         refused: check it, its permissions (read, list) and expiry \
                         ({what}, {status_text})",
                        self.auth
                    )))
                }
            }
            StatusCode::NotFound => {
                let message = match (op, code.as_str()) {
                    (Op::Read(c, _), "ContainerNotFound") | (Op::List(c), "ContainerNotFound") => {
                        format!("container {c} not found in account {account}")
                    }
                    (Op::Read(c, b), "BlobNotFound") => format!(
                        "blob {c}/{b} not found in account {account}: it was deleted since \
                         it was listed"
                    ),
                    _ => format!(
                        "{what}: not found at {} ({status_text}): check the account name \
                         and --blob-endpoint",
                        self.endpoint
                    ),
                };
                Error::NotFound(clean(message))
            }
            StatusCode::RequestedRangeNotSatisfiable => Error::Source(clean(format!(
                "{what} on account {account}: the blob is shorter than listed (it changed \
                 since it was listed; run again) ({status_text})"
            ))),
            _ => Error::Source(clean(format!(
                "{what} on account {account}: {status_text}{}",
                detail.map(|d| format!(": {d}")).unwrap_or_default()
            ))),
        }
    }
}

fn paren(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(" {code}")
    }
}

/// The service's error code (`x-ms-error-code`), if any.
fn error_code(err: &azure_core::Error) -> Option<String> {
    match err.kind() {
        ErrorKind::HttpResponse {
            error_code,
            raw_response,
            ..
        } => error_code.clone().or_else(|| {
            raw_response.as_ref().and_then(|r| {
                r.headers()
                    .get_optional_str(&"x-ms-error-code".into())
                    .map(str::to_string)
            })
        }),
        _ => None,
    }
}

/// The first line of the `<Message>` of a Storage error body.
fn service_message(body: &str) -> Option<String> {
    let start = body.find("<Message>")? + "<Message>".len();
    let end = body[start..].find("</Message>")? + start;
    Some(one_line(&body[start..end]))
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// The innermost error's message (the actual cause: "Connection refused",
/// "dns error", ...).
fn deepest_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    one_line(&current.to_string())
}

/// Whether the error chain says the endpoint could not be connected to.
fn unreachable(err: &azure_core::Error) -> bool {
    if matches!(err.kind(), ErrorKind::Connection) {
        return true;
    }
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if e.is::<Unreachable>() {
            return true;
        }
        if let Some(az) = e.downcast_ref::<azure_core::Error>()
            && matches!(az.kind(), ErrorKind::Connection)
        {
            return true;
        }
        current = e.source();
    }
    false
}

/// Marks a connection failure to an endpoint never reached (holding its
/// cause), so that the retry policy gives up at once.
#[derive(Debug)]
struct Unreachable(String);

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreachable {}

/// Turns connection failures into final errors until the endpoint has
/// answered once; after that they stay retryable (a blip mid-run).
#[derive(Debug)]
struct ReachGuard {
    reached: AtomicBool,
}

#[async_trait::async_trait]
impl Policy for ReachGuard {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        match next[0].send(ctx, request, &next[1..]).await {
            Ok(response) => {
                self.reached.store(true, Ordering::Relaxed);
                Ok(response)
            }
            Err(e)
                if matches!(e.kind(), ErrorKind::Connection)
                    && !self.reached.load(Ordering::Relaxed) =>
            {
                Err(azure_core::Error::new(
                    ErrorKind::Other,
                    Unreachable(deepest_message(&e)),
                ))
            }
            Err(e) => Err(e),
        }
    }
}

/// Counts list and read requests (each attempt).
#[derive(Debug)]
struct CountingPolicy {
    counters: Arc<Counters>,
}

#[async_trait::async_trait]
impl Policy for CountingPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        if request.method() == Method::Get {
            let comp = request
                .url()
                .query_pairs()
                .find(|(k, _)| k == "comp")
                .map(|(_, v)| v.into_owned());
            match comp.as_deref() {
                Some("list") => {
                    self.counters.list.fetch_add(1, Ordering::Relaxed);
                }
                None => {
                    self.counters.read.fetch_add(1, Ordering::Relaxed);
                }
                Some(_) => {}
            }
        }
        next[0].send(ctx, request, &next[1..]).await
    }
}

/// A `List Blobs` response.
#[derive(Debug, Deserialize)]
struct EnumerationResults {
    #[serde(rename = "Blobs", default)]
    blobs: BlobsXml,
    #[serde(rename = "NextMarker", default)]
    next_marker: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct BlobsXml {
    #[serde(rename = "$value", default)]
    items: Vec<BlobEntry>,
}

#[derive(Debug, Deserialize)]
enum BlobEntry {
    Blob(BlobXml),
    BlobPrefix(PrefixXml),
    #[serde(other)]
    Other,
}

#[derive(Debug, Deserialize)]
struct BlobXml {
    #[serde(rename = "Name")]
    name: NameXml,
    #[serde(rename = "Properties")]
    properties: PropertiesXml,
}

#[derive(Debug, Deserialize)]
struct PrefixXml {
    #[serde(rename = "Name")]
    name: NameXml,
}

/// A blob name; `Encoded="true"` marks a percent-encoded one (names with
/// characters XML cannot hold).
#[derive(Debug, Deserialize)]
struct NameXml {
    #[serde(rename = "@Encoded", default)]
    encoded: Option<String>,
    #[serde(rename = "$text", default)]
    text: String,
}

impl NameXml {
    fn decoded(self) -> String {
        if self.encoded.as_deref() == Some("true") {
            url::form_urlencoded::parse(format!("n={}", self.text.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or(self.text)
        } else {
            self.text
        }
    }
}

#[derive(Debug, Deserialize)]
struct PropertiesXml {
    #[serde(rename = "Creation-Time", default)]
    creation_time: Option<String>,
    #[serde(rename = "Etag", default)]
    etag: Option<String>,
    #[serde(rename = "Content-Length", default)]
    content_length: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hierarchical_listing() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1:10000/devstoreaccount1" ContainerName="c">
  <Prefix>tenantId=t/</Prefix><Delimiter>/</Delimiter>
  <Blobs>
    <Blob><Name>tenantId=t/a.json</Name><Properties><Creation-Time>Sat, 01 Aug 2026 10:00:00 GMT</Creation-Time><Etag>0x8D1</Etag><Content-Length>42</Content-Length><BlobType>AppendBlob</BlobType></Properties><OrMetadata /></Blob>
    <BlobPrefix><Name>tenantId=t/y=2026/</Name></BlobPrefix>
    <Blob><Name Encoded="true">tenantId=t/odd%0Aname</Name><Properties><Content-Length>0</Content-Length></Properties></Blob>
  </Blobs>
  <NextMarker>page2</NextMarker>
</EnumerationResults>"#;
        let page: EnumerationResults = azure_core::xml::from_xml(xml).unwrap();
        assert_eq!(page.next_marker.as_deref(), Some("page2"));
        let mut names = Vec::new();
        for item in page.blobs.items {
            match item {
                BlobEntry::Blob(b) => {
                    names.push(format!(
                        "blob {} {:?} {:?} {:?}",
                        b.name.decoded(),
                        b.properties.content_length,
                        b.properties.etag,
                        b.properties.creation_time
                    ));
                }
                BlobEntry::BlobPrefix(p) => names.push(format!("prefix {}", p.name.decoded())),
                BlobEntry::Other => names.push("other".into()),
            }
        }
        assert_eq!(
            names,
            [
                "blob tenantId=t/a.json Some(42) Some(\"0x8D1\") Some(\"Sat, 01 Aug 2026 10:00:00 GMT\")",
                "prefix tenantId=t/y=2026/",
                "blob tenantId=t/odd\nname Some(0) None None",
            ]
        );
    }

    #[test]
    fn parses_empty_listing() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><EnumerationResults ContainerName="c"><Blobs /><NextMarker /></EnumerationResults>"#;
        let page: EnumerationResults = azure_core::xml::from_xml(xml).unwrap();
        assert!(page.blobs.items.is_empty());
        assert!(page.next_marker.unwrap_or_default().is_empty());
    }

    #[test]
    fn service_messages() {
        let body = "\u{feff}<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\nRequestId:1</Message></Error>";
        assert_eq!(
            service_message(body).as_deref(),
            Some("Server failed to authenticate the request.")
        );
        assert_eq!(service_message("nothing"), None);
    }
}
