//! The Azure Blob source against a real Azurite (the Azure Storage emulator).
//!
//! With `HUNTVAULT_AZURITE_BLOB_ENDPOINT` set (e.g.
//! `http://127.0.0.1:PORT/devstoreaccount1`, as `scripts/azurite.sh start`
//! prints), the tests use that emulator; otherwise the first test to need one
//! starts one for this test binary through `scripts/azurite.sh` (installing
//! Azurite with npm when missing), which stops it when the binary exits. They
//! never skip.
//!
//! Data is written with real append blobs (create, then append blocks) through
//! the SDK client, signed by huntvault's own Shared Key policy; each test uses
//! containers of its own prefix, unique to the run, so the tests run in
//! parallel on one emulator, and again on the same one.

#[path = "common/azurite.rs"]
mod azurite;
#[path = "common/https.rs"]
mod https;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use futures::StreamExt;
use huntvault::Error;
use huntvault::source::RequestStats;
use huntvault::source::Source;
use huntvault::source::auth::{DEV_ACCOUNT, DEV_ACCOUNT_KEY, StorageConfig, StorageFlags};
use huntvault::source::azure::AzureSource;

/// A container name unique to this run and test (runs may share an emulator).
fn name(suffix: &str) -> String {
    static RUN: OnceLock<String> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        format!("{:06x}", (std::process::id() ^ nanos) & 0xff_ffff)
    });
    format!("hv{run}-{suffix}")
}

/// The Blob endpoint of the emulator these tests use.
fn endpoint() -> &'static str {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT.get_or_init(|| {
        if let Ok(e) = std::env::var("HUNTVAULT_AZURITE_BLOB_ENDPOINT")
            && !e.trim().is_empty()
        {
            return e.trim().trim_end_matches('/').to_string();
        }
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = std::env::temp_dir().join(format!("huntvault-azurite-{}", std::process::id()));
        let out = Command::new("bash")
            .arg(root.join("scripts/azurite.sh"))
            .arg("start")
            .arg(&dir)
            .env("AZURITE_WATCH_PID", std::process::id().to_string())
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run scripts/azurite.sh");
        assert!(out.status.success(), "scripts/azurite.sh start failed");
        let port = std::fs::read_to_string(dir.join("port")).expect("Azurite port file");
        format!("http://127.0.0.1:{}/{DEV_ACCOUNT}", port.trim())
    })
}

fn connection_string(endpoint: &str, key: &str) -> String {
    format!(
        "DefaultEndpointsProtocol=http;AccountName={DEV_ACCOUNT};AccountKey={key};BlobEndpoint={endpoint};"
    )
}

fn config(flags: StorageFlags) -> StorageConfig {
    StorageConfig::resolve(flags, &|_| None, None).expect("resolve storage config")
}

/// A source with the development account's key, through a connection string.
fn key_source() -> AzureSource {
    let flags = StorageFlags {
        connection_string: Some(connection_string(endpoint(), DEV_ACCOUNT_KEY)),
        ..Default::default()
    };
    AzureSource::new(&config(flags)).expect("key source")
}

async fn create_container(source: &AzureSource, container: &str) {
    source
        .client()
        .blob_container_client(container)
        .create(None)
        .await
        .expect("create container");
}

/// Creates an append blob and appends each block to it.
async fn append_blob(source: &AzureSource, container: &str, blob: &str, blocks: &[&[u8]]) {
    let client = source
        .client()
        .blob_client(container, blob)
        .append_blob_client();
    client.create(None).await.expect("create append blob");
    append(source, container, blob, blocks).await;
}

async fn append(source: &AzureSource, container: &str, blob: &str, blocks: &[&[u8]]) {
    azurite::append_blocks(source, container, blob, blocks).await;
}

async fn read_all(
    source: &AzureSource,
    container: &str,
    blob: &str,
    start: u64,
    end: Option<u64>,
) -> Result<Vec<u8>, Error> {
    let mut stream = source.read(container, blob, start, end).await?;
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk?);
    }
    Ok(out)
}

fn hour_blob(day: u8, hour: u8) -> String {
    format!("tenantId=0f1e2d3c/y=2026/m=01/d={day:02}/h={hour:02}/m=00/PT1H.json")
}

fn line(n: usize) -> String {
    format!(
        "{{\"time\":\"2026-01-02T03:00:{:02}Z\",\"operationName\":\"Publish\",\"properties\":{{\"n\":{n}}}}}\r\n",
        n % 60
    )
}

/// An account SAS for the Blob service, signed with the development key
/// (version 2021-08-06 string-to-sign: account, permissions, services,
/// resource types, start, expiry, IP, protocol, version, encryption scope).
fn account_sas(permissions: &str, expiry: &str) -> String {
    let version = "2021-08-06";
    let to_sign = format!("{DEV_ACCOUNT}\n{permissions}\nb\nsco\n\n{expiry}\n\n\n{version}\n\n");
    let sig = azure_core::hmac::hmac_sha256(
        &to_sign,
        &azure_core::credentials::Secret::new(DEV_ACCOUNT_KEY),
    )
    .expect("sign SAS");
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "sv={version}&ss=b&srt=sco&sp={permissions}&se={}&sig={}",
        enc(expiry),
        enc(&sig)
    )
}

fn in_an_hour() -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn sas_source(token: &str) -> AzureSource {
    let flags = StorageFlags {
        sas_token: Some(token.to_string()),
        blob_endpoint: Some(endpoint().to_string()),
        ..Default::default()
    };
    AzureSource::new(&config(flags)).expect("SAS source")
}

/// Asserts the message is one line and holds none of the secrets.
fn assert_clean(message: &str, secrets: &[&str]) {
    assert!(!message.contains('\n'), "not one line: {message}");
    for s in secrets {
        assert!(!message.contains(s), "secret {s:?} in: {message}");
    }
}

#[tokio::test]
async fn lists_containers_folders_and_blobs_exactly() {
    let source = key_source();
    let prefix = &name("list-");
    let (a, b, empty) = (&name("list-alpha"), &name("list-beta"), &name("list-empty"));
    for c in [a, b, empty, &name("other-gamma")] {
        create_container(&source, c).await;
    }
    append_blob(
        &source,
        a,
        &hour_blob(2, 3),
        &[line(1).as_bytes(), line(2).as_bytes()],
    )
    .await;
    append_blob(&source, a, &hour_blob(2, 4), &[line(3).as_bytes()]).await;
    append_blob(&source, a, &hour_blob(3, 0), &[line(4).as_bytes()]).await;
    append_blob(&source, a, "notes.txt", &[b"hello"]).await;
    append_blob(&source, b, &hour_blob(2, 3), &[line(5).as_bytes()]).await;

    let mut containers = source.list_containers(prefix).await.unwrap();
    containers.sort();
    assert_eq!(containers, [a.as_str(), b, empty]);

    let top = source.list(a, "", true).await.unwrap();
    assert_eq!(top.prefixes, ["tenantId=0f1e2d3c/"]);
    assert_eq!(
        top.blobs
            .iter()
            .map(|b| b.name.as_str())
            .collect::<Vec<_>>(),
        ["notes.txt"]
    );
    assert_eq!(top.blobs[0].size, 5);

    let month = source
        .list(a, "tenantId=0f1e2d3c/y=2026/m=01/", true)
        .await
        .unwrap();
    assert_eq!(
        month.prefixes,
        [
            "tenantId=0f1e2d3c/y=2026/m=01/d=02/",
            "tenantId=0f1e2d3c/y=2026/m=01/d=03/"
        ]
    );
    assert!(month.blobs.is_empty());

    let day = source
        .list(a, "tenantId=0f1e2d3c/y=2026/m=01/d=02/", false)
        .await
        .unwrap();
    assert!(day.prefixes.is_empty());
    let found: Vec<(String, u64)> = day.blobs.iter().map(|b| (b.name.clone(), b.size)).collect();
    assert_eq!(
        found,
        [
            (hour_blob(2, 3), (line(1).len() + line(2).len()) as u64),
            (hour_blob(2, 4), line(3).len() as u64),
        ]
    );
    for blob in &day.blobs {
        assert_eq!(&blob.container, a);
        assert!(blob.etag.as_deref().is_some_and(|e| !e.is_empty()));
        assert!(blob.identity.as_deref().is_some_and(|i| i.ends_with("GMT")));
    }

    let flat = source.list(a, "", false).await.unwrap();
    assert_eq!(flat.blobs.len(), 4);
    assert!(flat.prefixes.is_empty());

    // Empty container, absent prefix, absent container: empty listings.
    for (c, p) in [
        (empty, ""),
        (a, "tenantId=nobody/"),
        (&name("list-absent"), ""),
        (&name("list-absent"), "tenantId=x/"),
    ] {
        for delimited in [true, false] {
            let l = source.list(c, p, delimited).await.unwrap();
            assert!(l.blobs.is_empty() && l.prefixes.is_empty(), "{c} {p}");
        }
    }
}

#[tokio::test]
async fn lists_every_page() {
    let source = key_source().with_page_size(2);
    let c = &name("pages-data");
    create_container(&source, c).await;
    for hour in 0..5 {
        append_blob(
            &source,
            c,
            &hour_blob(9, hour),
            &[line(hour.into()).as_bytes()],
        )
        .await;
    }
    for extra in ["pages-x1", "pages-x2", "pages-x3"] {
        create_container(&source, &name(extra)).await;
    }
    let before = source.stats();
    let day = source
        .list(c, "tenantId=0f1e2d3c/y=2026/m=01/d=09/", false)
        .await
        .unwrap();
    let names: Vec<String> = day.blobs.into_iter().map(|b| b.name).collect();
    assert_eq!(names, (0..5).map(|h| hour_blob(9, h)).collect::<Vec<_>>());
    assert_eq!(source.stats().since(before).list_requests, 3);

    let hours = source
        .list(c, "tenantId=0f1e2d3c/y=2026/m=01/d=09/", true)
        .await
        .unwrap();
    assert_eq!(hours.prefixes.len(), 5);

    let before = source.stats();
    let containers = source.list_containers(&name("pages-")).await.unwrap();
    assert_eq!(containers.len(), 4);
    assert_eq!(source.stats().since(before).list_requests, 2);
}

#[tokio::test]
async fn reads_ranges_exactly_and_counts_requests() {
    let source = key_source();
    let c = &name("read-data");
    create_container(&source, c).await;
    let blob = hour_blob(2, 3);
    let lines: Vec<String> = (0..200).map(line).collect();
    let blocks: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
    append_blob(&source, c, &blob, &blocks).await;
    let all: Vec<u8> = lines.concat().into_bytes();
    let size = all.len() as u64;

    let before = source.stats();
    assert_eq!(
        read_all(&source, c, &blob, 0, Some(size)).await.unwrap(),
        all
    );
    assert_eq!(
        read_all(&source, c, &blob, 0, None).await.unwrap(),
        all,
        "to the end"
    );
    assert_eq!(
        read_all(&source, c, &blob, 10, Some(25)).await.unwrap(),
        all[10..25]
    );
    assert_eq!(
        read_all(&source, c, &blob, size - 7, None).await.unwrap(),
        all[all.len() - 7..]
    );
    let d = source.stats().since(before);
    assert_eq!(d.read_requests, 4);
    assert_eq!(d.list_requests, 0);
    assert_eq!(d.bytes, 2 * size + 15 + 7);

    // Nothing new: an empty range or a start at the end reads no bytes, and
    // an empty range sends no request at all.
    let before = source.stats();
    assert!(
        read_all(&source, c, &blob, size, Some(size))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(source.stats().since(before), RequestStats::default());
    assert!(
        read_all(&source, c, &blob, size, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(source.stats().since(before).bytes, 0);

    // A listing costs list requests only.
    let before = source.stats();
    source.list(c, "", false).await.unwrap();
    let d = source.stats().since(before);
    assert_eq!((d.list_requests, d.read_requests, d.bytes), (1, 0, 0));
}

#[tokio::test]
async fn etag_follows_appends_and_identity_follows_replacement() {
    let source = key_source();
    let c = &name("ident-data");
    create_container(&source, c).await;
    let blob = hour_blob(4, 5);
    append_blob(&source, c, &blob, &[line(1).as_bytes()]).await;
    let info = |l: huntvault::source::Listing| l.blobs.into_iter().next().expect("one blob");
    let first = info(source.list(c, "", false).await.unwrap());

    append(&source, c, &blob, &[line(2).as_bytes()]).await;
    let grown = info(source.list(c, "", false).await.unwrap());
    assert_ne!(grown.etag, first.etag);
    assert_eq!(grown.identity, first.identity);
    assert_eq!(grown.size, (line(1).len() + line(2).len()) as u64);
    // The grown part reads alone.
    assert_eq!(
        read_all(&source, c, &blob, first.size, Some(grown.size))
            .await
            .unwrap(),
        line(2).into_bytes()
    );

    // Creation times have one-second resolution.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    source
        .client()
        .blob_client(c, &blob)
        .delete(None)
        .await
        .expect("delete blob");
    append_blob(&source, c, &blob, &[line(3).as_bytes()]).await;
    let replaced = info(source.list(c, "", false).await.unwrap());
    assert_ne!(replaced.identity, first.identity);
    assert_ne!(replaced.etag, grown.etag);
}

#[tokio::test]
async fn sas_token_reads_and_lists() {
    let writer = key_source();
    let c = &name("sas-data");
    create_container(&writer, c).await;
    let blob = hour_blob(5, 6);
    append_blob(&writer, c, &blob, &[line(1).as_bytes(), line(2).as_bytes()]).await;

    let token = account_sas("rl", &in_an_hour());
    for given in [token.clone(), format!("?{token}")] {
        let source = sas_source(&given);
        assert!(source.describe().contains("SAS token (permissions rl"));
        assert_clean(&source.describe(), &[&token]);
        assert_eq!(
            source.list_containers(&name("sas-")).await.unwrap(),
            [c.as_str()]
        );
        let day = source.list(c, "", false).await.unwrap();
        assert_eq!(day.blobs.len(), 1);
        assert_eq!(
            read_all(&source, c, &blob, 0, None).await.unwrap(),
            (line(1) + &line(2)).into_bytes()
        );
    }

    // The connection-string form.
    let flags = StorageFlags {
        connection_string: Some(format!(
            "BlobEndpoint={};SharedAccessSignature={token}",
            endpoint()
        )),
        ..Default::default()
    };
    let source = AzureSource::new(&config(flags)).unwrap();
    assert_eq!(source.list(c, "", true).await.unwrap().prefixes.len(), 1);
}

#[tokio::test]
async fn sas_without_list_permission_is_refused_clearly() {
    let token = account_sas("r", &in_an_hour());
    let sig = token.rsplit("sig=").next().unwrap().to_string();
    let source = sas_source(&token);
    let err = source.list_containers(&name("sas-")).await.unwrap_err();
    let message = err.to_string();
    assert_eq!(err.exit_code(), 6, "{message}");
    assert!(
        message.contains("does not allow listing containers"),
        "{message}"
    );
    assert!(message.contains("permissions 'r'"), "{message}");
    assert_clean(&message, &[&token, &sig]);
}

#[tokio::test]
async fn expired_sas_says_so() {
    let token = account_sas("rl", "2020-01-01T00:00:00Z");
    let sig = token.rsplit("sig=").next().unwrap().to_string();
    let source = sas_source(&token);
    let err = source.list_containers("hv").await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Expired(_)), "{message}");
    assert_eq!(err.exit_code(), 9);
    assert!(message.contains("has expired"), "{message}");
    assert_clean(&message, &[&token, &sig]);
}

#[tokio::test]
async fn wrong_key_is_refused_without_leaking_it() {
    let wrong = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";
    let flags = StorageFlags {
        account: Some(DEV_ACCOUNT.into()),
        account_key: Some(wrong.into()),
        blob_endpoint: Some(endpoint().into()),
        ..Default::default()
    };
    let config = config(flags);
    let source = AzureSource::new(&config).unwrap();
    assert_eq!(
        source.describe(),
        format!("account {DEV_ACCOUNT} ({}) with shared key", endpoint())
    );
    let err = source.list_containers("hv").await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::AccessDenied(_)), "{message}");
    assert_eq!(err.exit_code(), 6);
    assert!(
        message.starts_with(&format!(
            "access denied to account {DEV_ACCOUNT} with shared key: the key or SAS was refused"
        )),
        "{message}"
    );
    assert_clean(&message, &[wrong, DEV_ACCOUNT_KEY]);
    assert_clean(&format!("{config:?}"), &[wrong]);
}

#[tokio::test]
async fn unreachable_endpoint_fails_fast() {
    // A loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let flags = StorageFlags {
        connection_string: Some(connection_string(
            &format!("http://127.0.0.1:{port}/{DEV_ACCOUNT}"),
            DEV_ACCOUNT_KEY,
        )),
        ..Default::default()
    };
    let source = AzureSource::new(&config(flags)).unwrap();
    let started = Instant::now();
    let err = source.list_containers("hv").await.unwrap_err();
    let message = err.to_string();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(matches!(err, Error::Unreachable(_)), "{message}");
    assert_eq!(err.exit_code(), 8);
    assert!(
        message.starts_with(&format!(
            "cannot reach http://127.0.0.1:{port}/{DEV_ACCOUNT}"
        )),
        "{message}"
    );
    assert!(message.contains("--blob-endpoint"), "{message}");
    assert_clean(&message, &[DEV_ACCOUNT_KEY]);
}

#[tokio::test]
async fn missing_container_or_blob_on_read() {
    let source = key_source();
    let (none, here) = (name("missing-none"), name("missing-here"));
    let err = read_all(&source, &none, "x.json", 0, Some(10))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err}");
    assert_eq!(err.exit_code(), 7);
    assert_eq!(
        err.to_string(),
        format!("container {none} not found in account {DEV_ACCOUNT}")
    );

    create_container(&source, &here).await;
    let err = read_all(&source, &here, "gone.json", 0, Some(10))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("blob {here}/gone.json not found")),
        "{err}"
    );
}

#[tokio::test]
async fn entra_needs_https() {
    let env = |k: &str| match k {
        "AZURE_TENANT_ID" => Some("00000000-0000-0000-0000-000000000001".to_string()),
        "AZURE_CLIENT_ID" => Some("client".to_string()),
        "AZURE_CLIENT_SECRET" => Some("entra-secret-value".to_string()),
        _ => None,
    };
    let flags = StorageFlags {
        blob_endpoint: Some(endpoint().into()),
        ..Default::default()
    };
    let config = StorageConfig::resolve(flags, &env, None).unwrap();
    let err = AzureSource::new(&config).err().expect("refused over http");
    assert!(err.to_string().contains("only sent over https"), "{err}");
    assert_clean(&err.to_string(), &["entra-secret-value"]);
}

/// A loopback proxy to the emulator that cuts each of the first `cuts`
/// connections after `after` bytes of response (plain threads; it lives as
/// long as the test binary).
fn cutting_proxy(upstream: u16, cuts: usize, after: usize) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for (n, client) in listener.incoming().enumerate() {
            let Ok(mut client) = client else { continue };
            let limit = (n < cuts).then_some(after);
            std::thread::spawn(move || {
                let Ok(mut server) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
                    return;
                };
                let (Ok(mut client_in), Ok(mut server_out)) =
                    (client.try_clone(), server.try_clone())
                else {
                    return;
                };
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut client_in, &mut server_out);
                });
                let mut sent = 0usize;
                let mut buf = vec![0u8; 8192];
                loop {
                    let n = match server.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let n = limit.map_or(n, |l| n.min(l - sent));
                    if client.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    sent += n;
                    if limit.is_some_and(|l| sent >= l) {
                        break;
                    }
                }
                let _ = client.shutdown(std::net::Shutdown::Both);
                let _ = server.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    port
}

#[tokio::test]
async fn dropped_connection_resumes_without_gaps_or_duplicates() {
    let writer = key_source();
    let c = &name("resume-data");
    create_container(&writer, c).await;
    let blob = hour_blob(6, 7);
    let lines: Vec<String> = (0..4000).map(line).collect();
    let all = lines.concat().into_bytes();
    let blocks: Vec<&[u8]> = all.chunks(64 * 1024).collect();
    append_blob(&writer, c, &blob, &blocks).await;

    let upstream: u16 = endpoint()
        .rsplit_once(':')
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("emulator port");
    let proxy = cutting_proxy(upstream, 2, 50_000);
    let flags = StorageFlags {
        connection_string: Some(connection_string(
            &format!("http://127.0.0.1:{proxy}/{DEV_ACCOUNT}"),
            DEV_ACCOUNT_KEY,
        )),
        ..Default::default()
    };
    let source = AzureSource::new(&config(flags)).unwrap();
    let start = 1234;
    let got = read_all(&source, c, &blob, start, Some(all.len() as u64))
        .await
        .unwrap();
    assert_eq!(got.len(), all.len() - start as usize);
    assert!(got == all[start as usize..], "bytes differ after resuming");
    let stats = source.stats();
    assert_eq!(stats.read_requests, 3, "{stats:?}");
    assert_eq!(stats.bytes, got.len() as u64);
}
