//! A local fake of the Microsoft Entra ID token endpoint (client credentials,
//! v2.0) and of both alerts APIs, implementing their documented contract
//! strictly, so that tests prove what the client sends:
//!
//! - `POST /{tenant}/oauth2/v2.0/token`: exactly `client_id`,
//!   `client_secret`, `grant_type=client_credentials` and a `scope` of one of
//!   the two APIs; wrong tenant, client or secret are refused as Entra ID
//!   refuses them. Each token is good for its scope's API only.
//! - `GET /api/alerts` (SIEM): only the documented parameters, each in its
//!   documented format (`sinceTimeUtc`/`untilTimeUtc` date-times, `ago` an
//!   ISO 8601 duration, `limit` a positive integer, `machinegroups`
//!   repeatable, the two tag filters); the alerts whose
//!   `LastProcessedTimeUtc` is in the window (the last two hours when none is
//!   given), the most recent `limit` of them, as one JSON array.
//! - `GET /v1.0/security/alerts_v2` (Graph): only `$filter` (on
//!   `lastUpdateDateTime`, `ge`/`gt`/`lt`/`le`, joined by `and`), `$top`,
//!   `$skip` and `$count`; pages of `$top` alerts with an
//!   `@odata.nextLink` while more remain.
//!
//! Knobs make it answer 401 (a token expires after some requests, or every
//! token is refused), 403, or a queue of failures (429/500/503 with an
//! optional `Retry-After`). Every request is logged.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::https::{Request, Response};

/// The app registration of the seed's token example.
pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub const CLIENT: &str = "35e0f735-5fe4-4693-9e68-3de80f1d3745";
pub const SECRET: &str = "IKXc6PxB2eoFNJ/IT+l2JZZD9d9032VXz6Ul3D2WyUQ=";

pub const SIEM_SCOPE: &str = "https://graph.windows.net/.default";
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";
pub const SIEM_PATH: &str = "/api/alerts";
pub const GRAPH_PATH: &str = "/v1.0/security/alerts_v2";

/// The example alert of the SIEM API's documentation (seed 002).
pub const SEED_ALERT: &str = r#"{"AlertTime":"2017-01-23T07:32:54.1861171Z","ComputerDnsName":"desktop-bvccckk","AlertTitle":"Suspicious PowerShell commandline","Category":"SuspiciousActivity","Severity":"Medium","AlertId":"636207535742330111_-1114309685","Actor":null,"LinkToWDATP":"https://securitycenter.windows.com/alert/636207535742330111_-1114309685","IocName":null,"IocValue":null,"CreatorIocName":null,"CreatorIocValue":null,"Sha1":"69484ca722b4285a234896a2e31707cbedc59ef9","FileName":"powershell.exe","FilePath":"C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0","IpAddress":null,"Url":null,"IoaDefinitiondId":"7f1c3609-a3ff-40e2-995b-c01770161d68","UserName":null,"AlertPart":0,"FullId":"636207535742330111_-1114309685:9DE735BA9FF87725E392C6DFBEB2AF279035CDE229FCC00D28C0F3242C5A50AF","LastProcessedTimeUtc":"2017-01-23T11:33:45.0760449Z","ThreatCategory":null,"ThreatFamily":null,"ThreatName":null,"RemediationAction":null,"RemediationIsSuccess":null,"Source":"Microsoft Defender ATP","Md5":null,"Sha256":null,"WasExecutingWhileDetected":null,"FileHash":"69484ca722b4285a234896a2e31707cbedc59ef9","IocUniqueId":"9DE735BA9FF87725E392C6DFBEB2AF279035CDE229FCC00D28C0F3242C5A50AF"}"#;

fn odata_error(status: u16, code: &str, message: &str) -> Response {
    Response::json(
        status,
        &json!({"error": {"code": code, "message": message}}),
    )
}

/// One logged request.
#[derive(Debug, Clone)]
pub struct Logged {
    pub path: String,
    pub query: Vec<(String, String)>,
    pub status: u16,
    pub at: Instant,
}

/// A SIEM alert (its JSON text, served as is) and the machine group of its
/// machine (not in the JSON).
#[derive(Debug, Clone)]
pub struct SiemAlert {
    pub group: String,
    pub json: String,
}

/// What the fake holds and how it behaves.
#[derive(Debug, Default)]
pub struct State {
    pub siem: Vec<SiemAlert>,
    pub graph: Vec<Value>,
    /// Every token issued, with its scope.
    pub tokens: Vec<(String, String)>,
    /// Requests each token has served.
    uses: HashMap<String, u32>,
    /// Lifetime announced for new tokens (`expires_in`; default 3599 s).
    pub expires_in: Option<u64>,
    /// A token stops being accepted after this many API requests.
    pub token_lifetime: Option<u32>,
    /// Refuse every token (401).
    pub refuse_tokens: bool,
    /// Deny the app (403).
    pub deny: bool,
    /// The next API requests fail with these statuses and `Retry-After` values.
    pub failures: VecDeque<(u16, Option<String>)>,
    /// Every API request after the first N fails with this status
    /// (`Retry-After: 0`).
    pub fail_from: Option<(usize, u16)>,
    /// API requests (after authentication), in order.
    pub log: Vec<Logged>,
    /// Why requests were refused as malformed (400).
    pub rejected: Vec<String>,
}

/// The fake service.
#[derive(Debug, Default)]
pub struct Fake {
    pub state: Mutex<State>,
}

impl Fake {
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    /// Every token issued so far.
    pub fn issued(&self) -> Vec<String> {
        self.with(|s| s.tokens.iter().map(|(t, _)| t.clone()).collect())
    }

    pub fn handle(&self, req: &Request) -> Response {
        let mut s = self.state.lock().unwrap();
        let token_path = format!("/{TENANT}/oauth2/v2.0/token");
        if req.path.ends_with("/oauth2/v2.0/token") {
            return if req.path == token_path {
                s.token(req)
            } else {
                Response::json(
                    400,
                    &json!({"error": "invalid_request", "error_description": "AADSTS90002: Tenant not found."}),
                )
            };
        }
        let scope = match req.path.as_str() {
            SIEM_PATH => SIEM_SCOPE,
            GRAPH_PATH => GRAPH_SCOPE,
            _ => return odata_error(404, "NotFound", "no such resource"),
        };
        if req.method != "GET" {
            return odata_error(405, "MethodNotAllowed", "GET only");
        }
        if let Some(refused) = s.authorize(req, scope) {
            return refused;
        }
        let failure = match s.fail_from {
            Some((n, status)) if s.log.len() >= n => Some((status, Some("0".to_string()))),
            _ => s.failures.pop_front(),
        };
        let resp = match failure {
            Some((status, retry_after)) => {
                let mut r = odata_error(status, "ServiceUnavailable", "try again later");
                if let Some(ra) = retry_after {
                    r.headers.push(("retry-after".into(), ra));
                }
                r
            }
            None if req.path == SIEM_PATH => s.siem_alerts(req),
            None => s.graph_alerts(req),
        };
        s.log.push(Logged {
            path: req.path.clone(),
            query: req.query.clone(),
            status: resp.status,
            at: Instant::now(),
        });
        resp
    }
}

impl State {
    fn token(&mut self, req: &Request) -> Response {
        let form = req.form();
        let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let mut names: Vec<&str> = form.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        if names != ["client_id", "client_secret", "grant_type", "scope"]
            || field("grant_type") != Some("client_credentials")
        {
            return Response::json(
                400,
                &json!({"error": "invalid_request", "error_description": format!("AADSTS900144: unexpected form {names:?}")}),
            );
        }
        if field("client_id") != Some(CLIENT) {
            return Response::json(
                400,
                &json!({"error": "unauthorized_client", "error_description": "AADSTS700016: Application not found in the directory."}),
            );
        }
        if field("client_secret") != Some(SECRET) {
            return Response::json(
                401,
                &json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."}),
            );
        }
        let scope = field("scope").unwrap_or_default().to_string();
        if scope != SIEM_SCOPE && scope != GRAPH_SCOPE {
            return Response::json(
                400,
                &json!({"error": "invalid_scope", "error_description": format!("AADSTS70011: invalid scope {scope}")}),
            );
        }
        let token = format!("eyFAKE{}x{:08x}", self.tokens.len() + 1, rand_part());
        self.tokens.push((token.clone(), scope));
        Response::json(
            200,
            &json!({
                "token_type": "Bearer",
                "expires_in": self.expires_in.unwrap_or(3599),
                "ext_expires_in": 3599,
                "access_token": token
            }),
        )
    }

    /// `None` when the request carries a valid token for `scope`'s API.
    fn authorize(&mut self, req: &Request, scope: &str) -> Option<Response> {
        let unauthorized = || {
            let mut r = odata_error(401, "Unauthorized", "Malformed request or invalid token.");
            r.headers.push((
                "www-authenticate".into(),
                "Bearer error=\"invalid_token\"".into(),
            ));
            Some(r)
        };
        let Some(token) = req
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
        else {
            return unauthorized();
        };
        if self.refuse_tokens || !self.tokens.iter().any(|(t, s)| t == token && s == scope) {
            return unauthorized();
        }
        let uses = self.uses.entry(token.to_string()).or_default();
        if self.token_lifetime.is_some_and(|n| *uses >= n) {
            return unauthorized();
        }
        *uses += 1;
        if self.deny {
            return Some(odata_error(
                403,
                "Forbidden",
                "Unauthorized exception: the tenant is not authorized.",
            ));
        }
        None
    }

    fn bad(&mut self, why: String) -> Response {
        self.rejected.push(why.clone());
        odata_error(400, "BadRequest", &why)
    }

    fn siem_alerts(&mut self, req: &Request) -> Response {
        const SINGLE: &[&str] = &[
            "sinceTimeUtc",
            "untilTimeUtc",
            "ago",
            "limit",
            "DeviceCreatedMachineTags",
            "CloudCreatedMachineTags",
        ];
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (k, _) in &req.query {
            if k != "machinegroups" && !SINGLE.contains(&k.as_str()) {
                return self.bad(format!("unknown parameter {k}"));
            }
            *seen.entry(k.as_str()).or_default() += 1;
        }
        if let Some((k, _)) = seen.iter().find(|(k, n)| **k != "machinegroups" && **n > 1) {
            return self.bad(format!("{k} given twice"));
        }
        if seen.contains_key("ago") && seen.contains_key("sinceTimeUtc") {
            return self.bad("ago and sinceTimeUtc together".into());
        }
        let param = |k: &str| {
            req.query
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        let now = Timestamp::now();
        let mut since = now - SignedDuration::from_hours(2);
        let mut until = now;
        for (name, slot) in [("sinceTimeUtc", &mut since), ("untilTimeUtc", &mut until)] {
            if let Some(v) = param(name) {
                match siem_time(v) {
                    Some(t) => *slot = t,
                    None => return self.bad(format!("{name}={v} is not a date-time")),
                }
            }
        }
        if let Some(v) = param("ago") {
            match iso_duration(v) {
                Some(d) => since = now - d,
                None => return self.bad(format!("ago={v} is not an ISO 8601 duration")),
            }
        }
        let limit = match param("limit").map(str::parse::<usize>) {
            None => None,
            Some(Ok(n)) if n > 0 => Some(n),
            Some(_) => return self.bad("limit is not a positive integer".into()),
        };
        let groups: Vec<&str> = req
            .query
            .iter()
            .filter(|(k, _)| k == "machinegroups")
            .map(|(_, v)| v.as_str())
            .collect();
        let mut found: Vec<(Timestamp, &str)> = self
            .siem
            .iter()
            .filter(|a| groups.is_empty() || groups.contains(&a.group.as_str()))
            .map(|a| {
                let value: Value = serde_json::from_str(&a.json).unwrap_or_default();
                (time_of(&value, "LastProcessedTimeUtc"), a.json.as_str())
            })
            .filter(|(t, _)| *t >= since && *t <= until)
            .collect();
        found.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
        if let Some(n) = limit {
            found.truncate(n);
        }
        let texts: Vec<&str> = found.into_iter().map(|(_, text)| text).collect();
        Response {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: format!("[{}]", texts.join(",")).into_bytes(),
        }
    }

    fn graph_alerts(&mut self, req: &Request) -> Response {
        const NAMES: &[&str] = &["$filter", "$top", "$skip", "$count"];
        for (k, _) in &req.query {
            if !NAMES.contains(&k.as_str()) {
                return self.bad(format!("unknown query option {k}"));
            }
        }
        let param = |k: &str| {
            req.query
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
        };
        let top = match param("$top").map(str::parse::<usize>) {
            None => 100,
            Some(Ok(n)) if (1..=2000).contains(&n) => n,
            Some(_) => return self.bad("$top must be 1 to 2000".into()),
        };
        let skip = match param("$skip").map(str::parse::<usize>) {
            None => 0,
            Some(Ok(n)) => n,
            Some(Err(_)) => return self.bad("$skip is not a number".into()),
        };
        let conditions = match param("$filter").map(graph_filter) {
            None => Vec::new(),
            Some(Some(c)) => c,
            Some(None) => return self.bad(format!("unsupported $filter {:?}", param("$filter"))),
        };
        let mut found: Vec<&Value> = self
            .graph
            .iter()
            .filter(|a| {
                let t = time_of(a, "lastUpdateDateTime");
                conditions.iter().all(|(op, at)| match op.as_str() {
                    "ge" => t >= *at,
                    "gt" => t > *at,
                    "le" => t <= *at,
                    _ => t < *at,
                })
            })
            .collect();
        found.sort_by_key(|a| std::cmp::Reverse(time_of(a, "createdDateTime")));
        let page: Vec<Value> = found
            .iter()
            .skip(skip)
            .take(top)
            .map(|v| (*v).clone())
            .collect();
        let mut body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2",
            "value": page,
        });
        if skip + top < found.len() {
            let host = req.header("host").unwrap_or("localhost");
            let mut next = url::Url::parse(&format!("https://{host}{GRAPH_PATH}")).unwrap();
            {
                let mut q = next.query_pairs_mut();
                for (k, v) in &req.query {
                    if k != "$skip" {
                        q.append_pair(k, v);
                    }
                }
                q.append_pair("$skip", &(skip + top).to_string());
            }
            body["@odata.nextLink"] = Value::String(next.to_string());
        }
        Response::json(200, &body)
    }
}

/// Random bits, so tokens cannot be guessed from their number.
fn rand_part() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish() as u32
}

fn time_of(alert: &Value, field: &str) -> Timestamp {
    alert[field]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// `2016-09-12T00:00:00.000` (UTC), with or without fraction and `Z`.
fn siem_time(v: &str) -> Option<Timestamp> {
    let b = v.as_bytes();
    let shape = b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':';
    if !shape {
        return None;
    }
    let civil: jiff::civil::DateTime = v.trim_end_matches('Z').parse().ok()?;
    civil
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// `P[nD][T[nH][nM][nS]]`.
fn iso_duration(v: &str) -> Option<SignedDuration> {
    let rest = v.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    if (rest.contains('T') && time.is_empty()) || (date.is_empty() && time.is_empty()) {
        return None;
    }
    let mut secs = 0i64;
    for (part, units) in [
        (date, &[('D', 86_400)][..]),
        (time, &[('H', 3600), ('M', 60), ('S', 1)][..]),
    ] {
        let mut digits = String::new();
        let mut last = 0;
        for c in part.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let i = units.iter().position(|(u, _)| *u == c)?;
            if digits.is_empty() || i < last {
                return None;
            }
            secs += digits.parse::<i64>().ok()? * units[i].1;
            digits.clear();
            last = i + 1;
        }
        if !digits.is_empty() {
            return None;
        }
    }
    Some(SignedDuration::from_secs(secs))
}

/// `lastUpdateDateTime ge 2026-01-01T00:00:00Z [and lastUpdateDateTime lt …]`.
fn graph_filter(f: &str) -> Option<Vec<(String, Timestamp)>> {
    f.split(" and ")
        .map(|clause| {
            let mut words = clause.split_whitespace();
            let (field, op, value) = (words.next()?, words.next()?, words.next()?);
            if words.next().is_some()
                || field != "lastUpdateDateTime"
                || !["ge", "gt", "le", "lt"].contains(&op)
            {
                return None;
            }
            Some((op.to_string(), value.parse().ok()?))
        })
        .collect()
}

/// A Graph alert in the shape `alerts_v2` returns.
pub fn graph_alert(id: &str, created: &str, updated: &str, status: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.security.alert",
        "id": id,
        "providerAlertId": id,
        "incidentId": "28282",
        "status": status,
        "severity": "medium",
        "classification": "unknown",
        "determination": "unknown",
        "serviceSource": "microsoftDefenderForEndpoint",
        "detectionSource": "antivirus",
        "detectorId": "e0da400f-affd-43ef-b1d5-afc2eb6f2756",
        "tenantId": TENANT,
        "title": "Suspicious execution of hidden file",
        "description": "A hidden file has been launched.",
        "category": "DefenseEvasion",
        "assignedTo": null,
        "mitreTechniques": ["T1564.001"],
        "createdDateTime": created,
        "lastUpdateDateTime": updated,
        "resolvedDateTime": null,
        "comments": [],
        "evidence": [{
            "@odata.type": "#microsoft.graph.security.fileEvidence",
            "createdDateTime": created,
            "verdict": "unknown",
            "fileDetails": {"sha1": "5f1e8acedc065031aad553b710838eb366cfee9a", "fileName": "MsSense.exe", "filePath": "C:\\Program Files\\temp"}
        }],
        "systemTags": ["Defender Experts"]
    })
}

#[test]
fn the_fake_checks_parameter_formats() {
    assert!(siem_time("2016-09-12T00:00:00.000").is_some());
    assert!(siem_time("2016-09-12").is_none());
    assert_eq!(iso_duration("PT10M"), Some(SignedDuration::from_secs(600)));
    assert_eq!(
        iso_duration("P1DT2H"),
        Some(SignedDuration::from_secs(93_600))
    );
    for bad in ["10m", "PT", "P", "PT10", "PT1M2H"] {
        assert_eq!(iso_duration(bad), None, "{bad}");
    }
    assert!(graph_filter("lastUpdateDateTime ge 2026-01-01T00:00:00Z").is_some());
    assert!(graph_filter("createdDateTime ge 2026-01-01T00:00:00Z").is_none());
    assert!(graph_filter("lastUpdateDateTime ge '2026-01-01'").is_none());
}

#[test]
fn the_fake_refuses_what_the_apis_do_not_document() {
    let fake = Fake::default();
    let get = |path: &str, query: &[(&str, &str)], token: &str| Request {
        method: "GET".into(),
        path: path.into(),
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        headers: vec![("authorization".into(), format!("Bearer {token}"))],
        body: Vec::new(),
    };
    let token_for = |scope: &str| {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", CLIENT)
            .append_pair("client_secret", SECRET)
            .append_pair("grant_type", "client_credentials")
            .append_pair("scope", scope)
            .finish();
        let resp = fake.handle(&Request {
            method: "POST".into(),
            path: format!("/{TENANT}/oauth2/v2.0/token"),
            query: Vec::new(),
            headers: Vec::new(),
            body: body.into_bytes(),
        });
        assert_eq!(resp.status, 200);
        let v: Value = serde_json::from_slice(&resp.body).unwrap();
        v["access_token"].as_str().unwrap().to_string()
    };
    let siem = token_for(SIEM_SCOPE);
    let graph = token_for(GRAPH_SCOPE);
    let status = |path: &str, query: &[(&str, &str)], token: &str| {
        fake.handle(&get(path, query, token)).status
    };
    assert_eq!(status(SIEM_PATH, &[("limit", "20")], &siem), 200);
    assert_eq!(status(SIEM_PATH, &[("$top", "20")], &siem), 400);
    assert_eq!(
        status(SIEM_PATH, &[("sinceTimeUtc", "yesterday")], &siem),
        400
    );
    assert_eq!(status(SIEM_PATH, &[("ago", "10m")], &siem), 400);
    assert_eq!(
        status(SIEM_PATH, &[("limit", "1"), ("limit", "2")], &siem),
        400
    );
    assert_eq!(status(SIEM_PATH, &[], &graph), 401, "a Graph token");
    assert_eq!(status(GRAPH_PATH, &[("$top", "5")], &graph), 200);
    assert_eq!(status(GRAPH_PATH, &[("$orderby", "id")], &graph), 400);
    assert_eq!(status(GRAPH_PATH, &[("$top", "0")], &graph), 400);
    assert_eq!(status(GRAPH_PATH, &[], "made-up"), 401);
    assert_eq!(fake.with(|f| f.rejected.len()), 6);
}
