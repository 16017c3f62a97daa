//! Azurite (the Azure Storage emulator) for tests that drive the real
//! `huntvault` binary against a storage account: start an emulator with
//! accounts of its own, write real append blobs into it, mint SAS tokens, and
//! run the binary with a clean environment.
//!
//! `huntvault index` lists every container of an account whose name starts
//! with `insights-logs-advancedhunting-`, so tests reading whole accounts
//! cannot share one: [`Emulator::start`] starts a dedicated Azurite (through
//! `scripts/azurite.sh`, which installs it with npm when missing) holding one
//! account per test, each with its own key (Azurite's `AZURITE_ACCOUNTS`).
//! The emulator stops, and its folder goes, when the test binary exits.
//! [`shared_account`] gives the development account of the emulator
//! `scripts/test.sh` exports (`HUNTVAULT_AZURITE_BLOB_ENDPOINT` or
//! `AZURITE_CS`), for tests that never list an account's data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use azure_core::http::RequestContent;
use huntvault::source::auth::{DEV_ACCOUNT, DEV_ACCOUNT_KEY, StorageConfig, StorageFlags};
use huntvault::source::azure::AzureSource;

use super::https::TestCa;

/// A running Azurite Blob service, by its base URL (`http://127.0.0.1:PORT`,
/// or `https://` when started with a test authority's certificate).
#[derive(Debug, Clone)]
pub struct Emulator {
    pub base: String,
    accounts: Vec<String>,
    /// The authority (PEM) to trust for an https emulator.
    ca_file: Option<PathBuf>,
}

impl Emulator {
    /// Starts an Azurite holding exactly `accounts` (keys from [`key_for`]),
    /// stopped when this process exits. Panics when it cannot start: tests
    /// never skip for want of an emulator.
    pub fn start(accounts: &[&str]) -> Emulator {
        Emulator::launch(accounts, None)
    }

    /// Like [`Emulator::start`], but over https with `ca`'s server
    /// certificate, accepting Microsoft Entra ID bearer tokens too.
    pub fn start_https(accounts: &[&str], ca: &TestCa) -> Emulator {
        Emulator::launch(accounts, Some(ca))
    }

    fn launch(accounts: &[&str], ca: Option<&TestCa>) -> Emulator {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "huntvault-azurite-cli-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        let spec: Vec<String> = accounts
            .iter()
            .map(|a| format!("{a}:{}", key_for(a)))
            .collect();
        let mut command = Command::new("bash");
        command
            .arg(root.join("scripts/azurite.sh"))
            .arg("start")
            .arg(&dir)
            .env("AZURITE_ACCOUNTS", spec.join(";"))
            .env("AZURITE_WATCH_PID", std::process::id().to_string())
            .stderr(std::process::Stdio::inherit());
        if let Some(ca) = ca {
            command
                .env("AZURITE_CERT", &ca.cert_pem)
                .env("AZURITE_KEY", &ca.key_pem);
        }
        let out = command.output().expect("run scripts/azurite.sh");
        assert!(
            out.status.success(),
            "scripts/azurite.sh start {} failed: Azurite is needed (npm install azurite)",
            dir.display()
        );
        let port = std::fs::read_to_string(dir.join("port")).expect("Azurite's port file");
        let scheme = if ca.is_some() { "https" } else { "http" };
        Emulator {
            base: format!("{scheme}://127.0.0.1:{}", port.trim()),
            accounts: accounts.iter().map(|a| a.to_string()).collect(),
            ca_file: ca.map(|c| c.ca_pem.clone()),
        }
    }

    /// One of the accounts the emulator was started with.
    pub fn account(&self, name: &str) -> Account {
        assert!(
            self.accounts.iter().any(|a| a == name),
            "account {name} was not created: add it to the emulator's list"
        );
        let mut account = Account::new(&self.base, name, &key_for(name));
        account.ca_file = self.ca_file.clone();
        account
    }
}

/// The development account of the emulator `scripts/test.sh` started, when
/// it exported one.
pub fn shared_account() -> Option<Account> {
    let from_endpoint = std::env::var("HUNTVAULT_AZURITE_BLOB_ENDPOINT").ok();
    let from_cs = std::env::var("AZURITE_CS").ok().and_then(|cs| {
        cs.split(';')
            .find_map(|p| p.trim().strip_prefix("BlobEndpoint="))
            .map(str::to_string)
    });
    let endpoint = from_endpoint
        .into_iter()
        .chain(from_cs)
        .map(|e| e.trim().trim_end_matches('/').to_string())
        .find(|e| !e.is_empty())?;
    let base = endpoint
        .strip_suffix(&format!("/{DEV_ACCOUNT}"))
        .unwrap_or_else(|| panic!("{endpoint} is not an emulator endpoint of {DEV_ACCOUNT}"));
    Some(Account::new(base, DEV_ACCOUNT, DEV_ACCOUNT_KEY))
}

/// The key of a test account: base64 of 64 bytes derived from its name.
pub fn key_for(account: &str) -> String {
    let seed = format!("huntvault test key for {account} ");
    let bytes: Vec<u8> = seed.bytes().cycle().take(64).collect();
    azure_core::base64::encode(bytes)
}

/// A storage account in an emulator.
#[derive(Clone)]
pub struct Account {
    pub base: String,
    pub name: String,
    pub key: String,
    /// The authority (PEM) to trust for an https emulator.
    pub ca_file: Option<PathBuf>,
    writer: Arc<OnceLock<AzureSource>>,
}

impl Account {
    fn new(base: &str, name: &str, key: &str) -> Account {
        Account {
            base: base.to_string(),
            name: name.to_string(),
            key: key.to_string(),
            ca_file: None,
            writer: Arc::default(),
        }
    }

    /// `http://127.0.0.1:PORT/ACCOUNT`.
    pub fn endpoint(&self) -> String {
        format!("{}/{}", self.base, self.name)
    }

    /// The `AccountKey=` connection string, with `key`.
    pub fn connection_string_with(&self, key: &str) -> String {
        format!(
            "DefaultEndpointsProtocol={};AccountName={};AccountKey={key};BlobEndpoint={};",
            self.base.split(':').next().unwrap_or("http"),
            self.name,
            self.endpoint()
        )
    }

    pub fn connection_string(&self) -> String {
        self.connection_string_with(&self.key)
    }

    /// A source with the account key, for writing test data (its client
    /// signs with huntvault's own Shared Key policy).
    pub fn source(&self) -> &AzureSource {
        self.writer.get_or_init(|| {
            let flags = StorageFlags {
                connection_string: Some(self.connection_string()),
                ca_file: self.ca_file.clone(),
                ..Default::default()
            };
            let config = StorageConfig::resolve(flags, &|_| None, None).expect("storage config");
            AzureSource::new(&config).expect("Azure source")
        })
    }

    /// An account SAS for the Blob service (services `b`, resource types
    /// `sco`), valid until `expiry` (`2026-01-31T00:00:00Z`), signed with the
    /// account key (string-to-sign of version 2020-12-06 and later).
    pub fn sas(&self, permissions: &str, expiry: &str) -> String {
        const VERSION: &str = "2022-11-02";
        let fields = [
            self.name.as_str(),
            permissions,
            "b",
            "sco",
            "",
            expiry,
            "",
            "",
            VERSION,
            "",
            "",
        ];
        let signature = azure_core::hmac::hmac_sha256(
            &fields.join("\n"),
            &azure_core::credentials::Secret::new(self.key.clone()),
        )
        .expect("sign the SAS");
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("sv", VERSION)
            .append_pair("ss", "b")
            .append_pair("srt", "sco")
            .append_pair("sp", permissions)
            .append_pair("se", expiry)
            .append_pair("sig", &signature);
        query.finish()
    }

    pub async fn create_container(&self, container: &str) {
        self.source()
            .client()
            .blob_container_client(container)
            .create(None)
            .await
            .unwrap_or_else(|e| panic!("creating container {container}: {e}"));
    }

    /// Creates an append blob (replacing one of that name) and appends each
    /// block to it.
    pub async fn create_blob(&self, container: &str, blob: &str, blocks: &[&[u8]]) {
        let source = self.source();
        source
            .client()
            .blob_client(container, blob)
            .append_blob_client()
            .create(None)
            .await
            .unwrap_or_else(|e| panic!("creating {container}/{blob}: {e}"));
        append_blocks(source, container, blob, blocks).await;
    }

    /// Appends each block, as one Append Block request each.
    pub async fn append(&self, container: &str, blob: &str, blocks: &[&[u8]]) {
        append_blocks(self.source(), container, blob, blocks).await;
    }

    pub async fn delete_blob(&self, container: &str, blob: &str) {
        self.source()
            .client()
            .blob_client(container, blob)
            .delete(None)
            .await
            .unwrap_or_else(|e| panic!("deleting {container}/{blob}: {e}"));
    }
}

/// Appends blocks to an existing append blob.
pub async fn append_blocks(source: &AzureSource, container: &str, blob: &str, blocks: &[&[u8]]) {
    let client = source
        .client()
        .blob_client(container, blob)
        .append_blob_client();
    for block in blocks {
        client
            .append_block(
                RequestContent::from(block.to_vec()),
                block.len() as u64,
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("appending to {container}/{blob}: {e}"));
    }
}

/// Environment variables huntvault reads; removed from every run so that the
/// caller's shell cannot change a test.
const HUNTVAULT_ENV: [&str; 14] = [
    "AZURE_STORAGE_CONNECTION_STRING",
    "AZURE_STORAGE_ACCOUNT",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_SAS_TOKEN",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_AUTHORITY_HOST",
    "HUNTVAULT_CONFIG",
    "HUNTVAULT_INDEX",
    "HUNTVAULT_SCHEMA",
    "HUNTVAULT_LOG",
    "HUNTVAULT_CA_FILE",
];

/// Runs `huntvault ARGS --index INDEX` in `cwd` (so no `./huntvault.toml` is
/// picked up by chance), with only `env` of huntvault's variables set.
pub fn huntvault(cwd: &Path, index: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huntvault"));
    cmd.args(args).arg("--index").arg(index).current_dir(cwd);
    for name in HUNTVAULT_ENV {
        cmd.env_remove(name);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("run huntvault")
}

/// Asserts that none of `secrets` occurs in `text` (named `what`).
pub fn assert_no_secret(what: &str, text: &str, secrets: &[&str]) {
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(!text.contains(s), "a secret ({s:?}) in {what}:\n{text}");
    }
}

/// A secret in every form it could be printed: as is, percent-encoded, and
/// percent-decoded.
pub fn secret_forms(secret: &str) -> Vec<String> {
    let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let mut out = vec![secret.to_string(), encoded, percent_decode(secret)];
    out.sort();
    out.dedup();
    out
}

/// `%XX` sequences replaced by their bytes (as text, lossily).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
