//! Microsoft Entra ID, end to end, through the real binary: `huntvault index
//! --auth-mode client-secret` gets a token from a token endpoint and reads
//! Azurite with it.
//!
//! Entra ID tokens only travel over https (azure_identity refuses an http
//! authority host, and the SDK's bearer policy an http endpoint), so both
//! ends run on loopback with certificates of a test authority
//! (`tests/common/https.rs`) that the binary is told to trust with
//! `HUNTVAULT_CA_FILE`: Azurite over https with `--oauth basic` (it checks a
//! token's issuer, audience and lifetime, not its signature), and a fake of
//! the Microsoft identity platform's v2.0 token endpoint that implements the
//! client-credentials grant as documented: a form POST to
//! `/{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`,
//! `client_id`, `client_secret` and `scope`, answered with a bearer token or
//! an `invalid_client` error.

#[path = "common/azurite.rs"]
mod azurite;
mod common;
#[path = "common/https.rs"]
mod https;

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use azurite::{Account, Emulator, assert_no_secret, huntvault, secret_forms};
use common::files_below;
use common::process_line;
use https::{Request, Response, Server, TestCa};
use serde_json::{Value, json};

const TENANT_ID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID: &str = "0f3ef1c2-7b4d-4a52-9a43-5d1f6c0b8e21";
const CLIENT_SECRET: &str = "hv~Entra.client-secret_value~0123456789";
const CONTAINER: &str = "insights-logs-advancedhunting-deviceprocessevents";
const BLOB: &str =
    "tenantId=00000000-0000-0000-0000-000000000001/y=2026/m=03/d=01/h=10/m=00/PT1H.json";
/// Lines written to the account.
const LINES: u64 = 40;

/// The test authority, the https emulator and its one account with data.
struct World {
    ca: TestCa,
    account: Account,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let ca = TestCa::new();
        let account = Emulator::start_https(&["hventra"], &ca).account("hventra");
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            account.create_container(CONTAINER).await;
            let body: String = (0..LINES)
                .map(|n| process_line(n, "ws-entra", "2026-03-01T10:00:00.0000000Z") + "\n")
                .collect();
            account
                .create_blob(CONTAINER, BLOB, &[body.as_bytes()])
                .await;
        });
        World { ca, account }
    })
}

/// The token endpoint's record of what it was asked.
#[derive(Default)]
struct Calls {
    tokens_issued: AtomicUsize,
    refused: Mutex<Vec<String>>,
    issued: Mutex<Vec<String>>,
}

/// An unsigned JWT with the claims Azurite checks for Azure Storage.
fn storage_token(tenant: &str) -> String {
    let now = jiff::Timestamp::now().as_second();
    let part = |v: Value| azure_core::base64::encode_url_safe(v.to_string());
    format!(
        "{}.{}.{}",
        part(json!({"alg": "RS256", "typ": "JWT"})),
        part(json!({
            "aud": "https://storage.azure.com",
            "iss": format!("https://sts.windows.net/{tenant}/"),
            "iat": now - 60,
            "nbf": now - 60,
            "exp": now + 3600,
            "appid": CLIENT_ID,
            "oid": "5d2e1a6c-0000-4000-8000-000000000001",
            "tid": tenant,
        })),
        azure_core::base64::encode_url_safe(b"not-verified-by-the-emulator")
    )
}

/// The v2.0 token endpoint for one tenant and one app with one secret.
fn token_endpoint(ca: &TestCa, calls: Arc<Calls>) -> Server {
    https::serve(ca, move |req: Request| {
        let refuse = |status: u16, error: &str, description: &str| {
            calls.refused.lock().unwrap().push(description.to_string());
            Response::json(
                status,
                &json!({"error": error, "error_description": description, "error_codes": [7000215]}),
            )
        };
        if req.method != "POST" || req.path != format!("/{TENANT_ID}/oauth2/v2.0/token") {
            return refuse(
                404,
                "invalid_request",
                "AADSTS90002: unknown tenant or path",
            );
        }
        if !req
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
        {
            return refuse(
                400,
                "invalid_request",
                "AADSTS900144: the body must be a form",
            );
        }
        let form = req.form();
        let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        if field("grant_type") != Some("client_credentials") {
            return refuse(400, "unsupported_grant_type", "AADSTS70003: grant type");
        }
        if field("scope") != Some("https://storage.azure.com/.default") {
            return refuse(400, "invalid_scope", "AADSTS70011: scope");
        }
        if field("client_id") != Some(CLIENT_ID) {
            return refuse(
                400,
                "unauthorized_client",
                "AADSTS700016: application not found",
            );
        }
        if field("client_secret") != Some(CLIENT_SECRET) {
            return refuse(
                401,
                "invalid_client",
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent \
                 in the request is the client secret value, not the client secret ID",
            );
        }
        calls.tokens_issued.fetch_add(1, Ordering::SeqCst);
        let token = storage_token(TENANT_ID);
        calls.issued.lock().unwrap().push(token.clone());
        Response::json(
            200,
            &json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}),
        )
    })
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    huntvault(dir, &dir.join("index"), args, env)
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One test's token endpoint, index folder and settings.
struct Attempt {
    calls: Arc<Calls>,
    idp: Server,
    dir: tempfile::TempDir,
    endpoint: String,
    ca: String,
}

impl Attempt {
    fn new() -> Attempt {
        let w = world();
        let calls = Arc::new(Calls::default());
        Attempt {
            idp: token_endpoint(&w.ca, calls.clone()),
            calls,
            dir: tempfile::tempdir().unwrap(),
            endpoint: w.account.endpoint(),
            ca: w.ca.ca_pem.to_string_lossy().into_owned(),
        }
    }

    /// The environment of a client-secret run with `secret`.
    fn env<'a>(&'a self, secret: &'a str) -> [(&'a str, &'a str); 5] {
        [
            ("AZURE_TENANT_ID", TENANT_ID),
            ("AZURE_CLIENT_ID", CLIENT_ID),
            ("AZURE_CLIENT_SECRET", secret),
            ("AZURE_AUTHORITY_HOST", self.idp.url.as_str()),
            ("HUNTVAULT_CA_FILE", self.ca.as_str()),
        ]
    }
}

#[test]
fn a_client_secret_token_reads_the_account() {
    let a = Attempt::new();
    let (calls, dir, endpoint) = (&a.calls, &a.dir, &a.endpoint);
    let env = a.env(CLIENT_SECRET);
    let out = run(
        dir.path(),
        &["index", "--blob-endpoint", endpoint, "--json-summary"],
        &env,
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "index failed: {stderr}");
    let summary: Value = serde_json::from_str(&stdout).expect("JSON summary");
    assert_eq!(summary["docs_added"].as_u64(), Some(LINES), "{summary}");
    assert!(
        calls.tokens_issued.load(Ordering::SeqCst) >= 1,
        "no token was asked for"
    );
    assert!(calls.refused.lock().unwrap().is_empty());

    // The documents are there and searchable.
    let found = run(
        dir.path(),
        &["search", "--count", "DeviceName:ws-entra"],
        &[],
    );
    assert_eq!(text(&found).0.trim(), LINES.to_string());

    // Neither the secret nor a token shows in any output or index file.
    let mut secrets = secret_forms(CLIENT_SECRET);
    for token in calls.issued.lock().unwrap().iter() {
        secrets.extend(secret_forms(token));
    }
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_no_secret("stdout", &stdout, &secrets);
    assert_no_secret("stderr", &stderr, &secrets);
    for file in files_below(&dir.path().join("index")) {
        let bytes = std::fs::read(&file).unwrap();
        assert_no_secret(
            &file.display().to_string(),
            &String::from_utf8_lossy(&bytes),
            &secrets,
        );
    }

    // A second run reads nothing new with a token of its own.
    let again = run(
        dir.path(),
        &["index", "--blob-endpoint", endpoint, "--json-summary"],
        &env,
    );
    assert!(again.status.success(), "{}", text(&again).1);
    let summary: Value = serde_json::from_str(&text(&again).0).unwrap();
    assert_eq!(summary["docs_added"].as_u64(), Some(0));
    assert_eq!(summary["requests"]["read_requests"].as_u64(), Some(0));
}

#[test]
fn a_wrong_client_secret_is_one_line_naming_the_app_and_tenant() {
    let a = Attempt::new();
    let wrong = "hv~Wrong.secret_value~9876543210";
    let out = run(
        a.dir.path(),
        &["index", "--blob-endpoint", &a.endpoint],
        &a.env(wrong),
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let line = stderr.trim_end();
    assert!(!line.contains('\n'), "not one line:\n{stderr}");
    for says in [
        "hventra",
        "client secret",
        CLIENT_ID,
        TENANT_ID,
        "AADSTS7000215",
    ] {
        assert!(line.contains(says), "{says:?} missing in: {line}");
    }
    assert!(!a.calls.refused.lock().unwrap().is_empty());
    let secrets: Vec<String> = secret_forms(wrong)
        .into_iter()
        .chain(secret_forms(CLIENT_SECRET))
        .collect();
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_no_secret("stderr", &stderr, &secrets);
}

#[test]
fn an_untrusted_certificate_says_to_give_the_authority() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let endpoint = w.account.endpoint();
    // The account key over https, without the test authority.
    let out = run(
        dir.path(),
        &["index", "--blob-endpoint", &endpoint],
        &[("AZURE_STORAGE_KEY", w.account.key.as_str())],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(8), "{stderr}");
    assert!(stdout.is_empty());
    let line = stderr.trim_end();
    assert!(!line.contains('\n'), "not one line:\n{stderr}");
    for says in ["certificate", "--ca-file"] {
        assert!(line.contains(says), "{says:?} missing in: {line}");
    }
    assert_no_secret("stderr", &stderr, &[w.account.key.as_str()]);

    // With it, the same key reads the account.
    let ca = w.ca.ca_pem.to_string_lossy().into_owned();
    let out = run(
        dir.path(),
        &[
            "index",
            "--blob-endpoint",
            &endpoint,
            "--ca-file",
            &ca,
            "--quiet",
        ],
        &[("AZURE_STORAGE_KEY", w.account.key.as_str())],
    );
    assert!(out.status.success(), "{}", text(&out).1);
}
