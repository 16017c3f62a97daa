//! How huntvault authenticates to Azure Blob storage. This module owns the
//! choice of account, endpoint and credential, the pipeline pieces that apply
//! the credential to each request, and the redaction that keeps secrets out of
//! every message.
//!
//! ## Choosing account and credential
//!
//! [`StorageConfig::resolve`] reads three layers, command-line flags first,
//! then the environment (the conventional `AZURE_STORAGE_CONNECTION_STRING`,
//! `AZURE_STORAGE_ACCOUNT`, `AZURE_STORAGE_KEY`, `AZURE_STORAGE_SAS_TOKEN`,
//! `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`,
//! `AZURE_FEDERATED_TOKEN_FILE`, `AZURE_AUTHORITY_HOST`), then the `[storage]`
//! table of a TOML config file ([`load_config_file`]). Each setting is taken
//! from the first layer that has it. The credential kind is named by
//! `auth_mode` or, when it is not, inferred from the first layer holding a
//! credential: a connection string, else an account key, else a SAS token,
//! else a client secret, else a federated token file; with none at all, the
//! Microsoft Entra ID default chain is used. So `--sas-token` on the command
//! line wins over a key in the environment, and an Azurite connection string
//! is not mixed with an account name left in the shell.
//!
//! ## Shared Key
//!
//! The official SDK (`azure_storage_blob` 1.x) authenticates with Entra ID
//! tokens only. For account keys huntvault signs each request itself, in a
//! per-try pipeline policy ([`SharedKeyPolicy`]) implementing the documented
//! "Shared Key for Blob service" scheme (canonical headers and resource,
//! HMAC-SHA256 with the decoded key). This was preferred over minting a
//! short-lived SAS from the key: each request is signed independently (no SAS
//! to renew during a long run, no clock-skew window), and a refused key is
//! reported as a refused key rather than as a SAS failure.
//!
//! ## SAS and Entra ID
//!
//! A SAS token is appended to every request's query ([`SasPolicy`]). Entra ID
//! uses `azure_identity` credentials; the default chain ([`ChainCredential`])
//! tries, in the order other Azure SDKs' `DefaultAzureCredential` does,
//! workload identity (when its token file is configured), managed identity,
//! then the developer tools (Azure CLI, Azure Developer CLI). Entra ID tokens
//! are only ever sent over https (the SDK refuses otherwise), and
//! `azure_identity` only accepts an https authority host.
//!
//! ## Secrets
//!
//! Keys, SAS tokens, client secrets and connection strings live in [`Secret`],
//! whose `Debug` and `Display` print `<redacted>`; every config type's `Debug`
//! shows which settings are present, never their values. [`redact`] scrubs
//! any text that may echo a URL or a header before it becomes a message.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::http::policies::{Policy, PolicyResult};
use azure_core::http::{ClientOptions, Context, Request, Url};
use serde::Deserialize;

use crate::error::{Error, Result};

/// The account name of the storage emulator (Azurite) development account.
pub const DEV_ACCOUNT: &str = "devstoreaccount1";
/// The documented, public key of the emulator's development account.
pub const DEV_ACCOUNT_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
/// The emulator's default Blob endpoint (`UseDevelopmentStorage=true`).
const DEV_BLOB_ENDPOINT: &str = "http://127.0.0.1:10000/devstoreaccount1";

/// The environment variable naming extra certificate authorities to trust.
pub const CA_FILE_ENV: &str = "HUNTVAULT_CA_FILE";

/// The scope of Azure Storage for Entra ID tokens.
pub(crate) const STORAGE_SCOPE: &str = "https://storage.azure.com/.default";

const REDACTED: &str = "<redacted>";

/// Pipeline policies, in order.
pub(crate) type Policies = Vec<Arc<dyn Policy>>;

/// A secret value. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for signing or sending; never for messages.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Storage settings given on the command line.
#[derive(Clone, Default)]
pub struct StorageFlags {
    pub connection_string: Option<String>,
    pub account: Option<String>,
    pub account_key: Option<String>,
    pub sas_token: Option<String>,
    pub blob_endpoint: Option<String>,
    /// `key`, `sas`, `connection-string`, `client-secret`, `managed-identity`,
    /// `workload-identity`, `azure-cli` or `default`.
    pub auth_mode: Option<String>,
    /// Extra certificate authorities (PEM) to trust.
    pub ca_file: Option<PathBuf>,
}

impl fmt::Debug for StorageFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StorageFlags")
            .field("connection_string", &presence(&self.connection_string))
            .field("account", &self.account)
            .field("account_key", &presence(&self.account_key))
            .field("sas_token", &presence(&self.sas_token))
            .field("blob_endpoint", &self.blob_endpoint)
            .field("auth_mode", &self.auth_mode)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// A parsed `huntvault.toml`.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub storage: FileStorage,
    /// The `[alerts]` table, read by `alerts pull`.
    #[serde(default)]
    pub alerts: crate::alerts::config::AlertsSettings,
}

impl fmt::Debug for FileConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileConfig")
            .field("storage", &self.storage)
            .field("alerts", &self.alerts)
            .finish()
    }
}

/// The `[storage]` table of the config file: the flags' settings, plus the
/// Entra ID ones that otherwise come from the environment.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileStorage {
    pub connection_string: Option<String>,
    pub account: Option<String>,
    pub account_key: Option<String>,
    pub sas_token: Option<String>,
    pub blob_endpoint: Option<String>,
    pub auth_mode: Option<String>,
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub federated_token_file: Option<String>,
    pub ca_file: Option<String>,
}

impl fmt::Debug for FileStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileStorage")
            .field("connection_string", &presence(&self.connection_string))
            .field("account", &self.account)
            .field("account_key", &presence(&self.account_key))
            .field("sas_token", &presence(&self.sas_token))
            .field("blob_endpoint", &self.blob_endpoint)
            .field("auth_mode", &self.auth_mode)
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &presence(&self.client_secret))
            .field("federated_token_file", &self.federated_token_file)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

fn presence(value: &Option<String>) -> &'static str {
    if value.is_some() { REDACTED } else { "None" }
}

/// Reads a TOML config file. Parse errors give the line and column only, as
/// the offending line may hold a secret.
pub fn load_config_file(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    toml::from_str(&text).map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!(" at line {line}, column {column}")
            })
            .unwrap_or_default();
        Error::Usage(format!(
            "{}{at}: {}",
            path.display(),
            e.message().trim_end()
        ))
    })
}

/// The kind of credential, as named by `--auth-mode` / `auth_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    Key,
    Sas,
    ConnectionString,
    ClientSecret,
    ManagedIdentity,
    WorkloadIdentity,
    AzureCli,
    Default,
}

impl AuthMode {
    const ALL: [(&'static str, AuthMode); 8] = [
        ("key", AuthMode::Key),
        ("sas", AuthMode::Sas),
        ("connection-string", AuthMode::ConnectionString),
        ("client-secret", AuthMode::ClientSecret),
        ("managed-identity", AuthMode::ManagedIdentity),
        ("workload-identity", AuthMode::WorkloadIdentity),
        ("azure-cli", AuthMode::AzureCli),
        ("default", AuthMode::Default),
    ];

    pub fn parse(name: &str) -> Result<Self> {
        let wanted = name.trim().to_ascii_lowercase().replace('_', "-");
        Self::ALL
            .iter()
            .find(|(n, _)| *n == wanted)
            .map(|(_, m)| *m)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|(n, _)| *n).collect();
                Error::Usage(format!(
                    "unknown auth mode {name:?}: use one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// The credential used for every request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageAuth {
    /// Shared Key: requests signed with the account key.
    SharedKey { account: String, key: Secret },
    /// A SAS token appended to each request (without a leading `?`).
    Sas { token: Secret },
    /// A Microsoft Entra ID token.
    Entra(EntraMode),
}

/// Where a Microsoft Entra ID token comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntraMode {
    /// A service principal with a client secret.
    ClientSecret {
        tenant_id: String,
        client_id: String,
        secret: Secret,
    },
    /// The managed identity of the Azure host (user-assigned when a client id
    /// is given).
    ManagedIdentity { client_id: Option<String> },
    /// Kubernetes workload identity: a federated token file.
    WorkloadIdentity {
        tenant_id: String,
        client_id: String,
        token_file: PathBuf,
    },
    /// The identity logged in to the Azure CLI.
    AzureCli { tenant_id: Option<String> },
    /// Workload identity (when fully configured), managed identity, then the
    /// developer tools (Azure CLI, Azure Developer CLI).
    Default {
        workload: Option<(String, String, PathBuf)>,
        managed_client_id: Option<String>,
    },
}

/// Which storage account to read and how to authenticate to it.
#[derive(Clone, Debug)]
pub struct StorageConfig {
    /// The account name (from the settings, or the endpoint's host or path).
    pub account: String,
    /// The Blob service endpoint, e.g. `https://acct.blob.core.windows.net/`
    /// or `http://127.0.0.1:10000/devstoreaccount1`.
    pub blob_endpoint: Url,
    pub auth: StorageAuth,
    /// An Entra ID authority host other than the public cloud's
    /// (`AZURE_AUTHORITY_HOST`).
    pub authority_host: Option<String>,
    /// Whether the credential came from a connection string (for messages).
    pub from_connection_string: bool,
    /// Extra certificate authorities (PEM) to trust, besides the system's.
    pub ca_file: Option<PathBuf>,
}

/// One layer of settings: flags, environment or config file.
#[derive(Default)]
struct Layer {
    connection_string: Option<String>,
    account: Option<String>,
    account_key: Option<String>,
    sas_token: Option<String>,
    blob_endpoint: Option<String>,
    auth_mode: Option<String>,
    tenant_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    federated_token_file: Option<String>,
    ca_file: Option<String>,
}

/// Settings by precedence: flags, environment, file.
struct Layers([Layer; 3]);

impl Layers {
    /// The first layer's value of a setting, with that layer's index.
    fn get(&self, pick: impl Fn(&Layer) -> &Option<String>) -> Option<(String, usize)> {
        self.0
            .iter()
            .enumerate()
            .find_map(|(i, l)| pick(l).clone().map(|v| (v, i)))
    }

    /// Like `get`, but only from layers `0..=upto`.
    fn get_upto(&self, upto: usize, pick: impl Fn(&Layer) -> &Option<String>) -> Option<String> {
        self.get(pick).filter(|(_, i)| *i <= upto).map(|(v, _)| v)
    }

    fn value(&self, pick: impl Fn(&Layer) -> &Option<String>) -> Option<String> {
        self.get(pick).map(|(v, _)| v)
    }

    /// The credential kind implied by the first layer that holds one.
    fn inferred_mode(&self) -> AuthMode {
        for l in &self.0 {
            if l.connection_string.is_some() {
                return AuthMode::ConnectionString;
            }
            if l.account_key.is_some() {
                return AuthMode::Key;
            }
            if l.sas_token.is_some() {
                return AuthMode::Sas;
            }
            if l.client_secret.is_some() {
                return AuthMode::ClientSecret;
            }
            if l.federated_token_file.is_some() {
                return AuthMode::WorkloadIdentity;
            }
        }
        AuthMode::Default
    }
}

/// `None` for an absent or blank setting.
pub(crate) fn nonempty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A parsed connection string.
struct ConnectionString {
    account: String,
    endpoint: Url,
    auth: StorageAuth,
}

/// Parses an Azure Storage connection string. Error messages never echo it.
fn parse_connection_string(text: &str) -> Result<ConnectionString> {
    let bad = |what: &str| Error::Usage(format!("the connection string {what}"));
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            return Err(bad("has a part without '=': expected Key=Value;Key=Value"));
        };
        fields.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
    }
    let field = |k: &str| fields.get(k).cloned().filter(|v| !v.is_empty());
    if field("usedevelopmentstorage").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        let endpoint = parse_endpoint(DEV_BLOB_ENDPOINT)?;
        return Ok(ConnectionString {
            account: DEV_ACCOUNT.to_string(),
            endpoint,
            auth: StorageAuth::SharedKey {
                account: DEV_ACCOUNT.to_string(),
                key: Secret::new(DEV_ACCOUNT_KEY),
            },
        });
    }
    let endpoint = match field("blobendpoint") {
        Some(e) => Some(parse_endpoint(&e)?),
        None => None,
    };
    let account = match (field("accountname"), &endpoint) {
        (Some(a), _) => a,
        (None, Some(e)) => account_from_endpoint(e)
            .ok_or_else(|| bad("has no AccountName, and its BlobEndpoint does not name one"))?,
        (None, None) => return Err(bad("has neither AccountName nor BlobEndpoint")),
    };
    let endpoint = match endpoint {
        Some(e) => e,
        None => {
            let protocol = field("defaultendpointsprotocol").unwrap_or_else(|| "https".into());
            let suffix = field("endpointsuffix").unwrap_or_else(|| "core.windows.net".into());
            parse_endpoint(&format!("{protocol}://{account}.blob.{suffix}"))?
        }
    };
    let auth = if let Some(key) = field("accountkey") {
        check_key(&key)?;
        StorageAuth::SharedKey {
            account: account.clone(),
            key: Secret::new(key),
        }
    } else if let Some(sas) = field("sharedaccesssignature") {
        StorageAuth::Sas {
            token: sas_token(&sas)?,
        }
    } else {
        return Err(bad("has neither AccountKey nor SharedAccessSignature"));
    };
    Ok(ConnectionString {
        account,
        endpoint,
        auth,
    })
}

fn parse_endpoint(text: &str) -> Result<Url> {
    let mut url = Url::parse(text.trim()).map_err(|e| {
        Error::Usage(format!(
            "the blob endpoint {:?} is not a URL: {e}",
            redact(text, &[])
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() || url.host().is_none() {
        return Err(Error::Usage(format!(
            "the blob endpoint {} must be an http or https URL such as https://ACCOUNT.blob.core.windows.net",
            redact(text, &[])
        )));
    }
    if url.query().is_some() {
        return Err(Error::Usage(
            "the blob endpoint must not carry a query: give a SAS with --sas-token".into(),
        ));
    }
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(if path.is_empty() { "/" } else { &path });
    Ok(url)
}

/// The account an endpoint names: the first label of
/// `ACCOUNT.blob.core.windows.net`, or the first path segment of an emulator
/// style endpoint (`http://127.0.0.1:10000/ACCOUNT`).
fn account_from_endpoint(url: &Url) -> Option<String> {
    if let Some(first) = url.path_segments().and_then(|mut s| s.next())
        && !first.is_empty()
    {
        return Some(first.to_string());
    }
    match url.host()? {
        url::Host::Domain(d) if d.contains('.') => d.split('.').next().map(str::to_string),
        _ => None,
    }
}

fn check_key(key: &str) -> Result<()> {
    match azure_core::base64::decode(key) {
        Ok(bytes) if !bytes.is_empty() => Ok(()),
        _ => Err(Error::Usage(
            "the account key is not valid base64: copy it whole from the portal's Access keys page"
                .into(),
        )),
    }
}

fn sas_token(text: &str) -> Result<Secret> {
    let token = text.trim().trim_start_matches('?');
    if !token.split('&').any(|p| p.starts_with("sig=")) {
        return Err(Error::Usage(
            "the SAS token has no signature (sig=): give the whole token".into(),
        ));
    }
    Ok(Secret::new(token))
}

impl StorageConfig {
    /// Resolves the settings: flags win over the environment (read through
    /// `env`), which wins over the config file.
    pub fn resolve(
        flags: StorageFlags,
        env: &dyn Fn(&str) -> Option<String>,
        file: Option<&FileConfig>,
    ) -> Result<StorageConfig> {
        let e = |name: &str| nonempty(env(name));
        let flags_layer = Layer {
            connection_string: nonempty(flags.connection_string),
            account: nonempty(flags.account),
            account_key: nonempty(flags.account_key),
            sas_token: nonempty(flags.sas_token),
            blob_endpoint: nonempty(flags.blob_endpoint),
            auth_mode: nonempty(flags.auth_mode),
            ca_file: nonempty(flags.ca_file.map(|p| p.to_string_lossy().into_owned())),
            ..Layer::default()
        };
        let env_layer = Layer {
            connection_string: e("AZURE_STORAGE_CONNECTION_STRING"),
            account: e("AZURE_STORAGE_ACCOUNT"),
            account_key: e("AZURE_STORAGE_KEY"),
            sas_token: e("AZURE_STORAGE_SAS_TOKEN"),
            tenant_id: e("AZURE_TENANT_ID"),
            client_id: e("AZURE_CLIENT_ID"),
            client_secret: e("AZURE_CLIENT_SECRET"),
            federated_token_file: e("AZURE_FEDERATED_TOKEN_FILE"),
            ca_file: e(CA_FILE_ENV),
            ..Layer::default()
        };
        let file_layer = file.map_or_else(Layer::default, |f| {
            let s = f.storage.clone();
            Layer {
                connection_string: nonempty(s.connection_string),
                account: nonempty(s.account),
                account_key: nonempty(s.account_key),
                sas_token: nonempty(s.sas_token),
                blob_endpoint: nonempty(s.blob_endpoint),
                auth_mode: nonempty(s.auth_mode),
                tenant_id: nonempty(s.tenant_id),
                client_id: nonempty(s.client_id),
                client_secret: nonempty(s.client_secret),
                federated_token_file: nonempty(s.federated_token_file),
                ca_file: nonempty(s.ca_file),
            }
        });
        let layers = Layers([flags_layer, env_layer, file_layer]);
        let mode = match layers.value(|l| &l.auth_mode) {
            Some(name) => AuthMode::parse(&name)?,
            None => layers.inferred_mode(),
        };
        let authority_host = e("AZURE_AUTHORITY_HOST");
        let ca_file = layers.value(|l| &l.ca_file).map(PathBuf::from);

        if mode == AuthMode::ConnectionString {
            let (text, layer) = layers.get(|l| &l.connection_string).ok_or_else(|| {
                Error::Usage(
                    "auth mode connection-string needs --connection-string or \
                     AZURE_STORAGE_CONNECTION_STRING"
                        .into(),
                )
            })?;
            let cs = parse_connection_string(&text)?;
            // Only settings given at least as directly as the connection
            // string override what it says.
            let endpoint = match layers.get_upto(layer, |l| &l.blob_endpoint) {
                Some(e) => parse_endpoint(&e)?,
                None => cs.endpoint,
            };
            let account = layers.get_upto(layer, |l| &l.account).unwrap_or(cs.account);
            let auth = match cs.auth {
                StorageAuth::SharedKey { key, .. } => StorageAuth::SharedKey {
                    account: account.clone(),
                    key,
                },
                other => other,
            };
            return Ok(StorageConfig {
                account,
                blob_endpoint: endpoint,
                auth,
                authority_host,
                from_connection_string: true,
                ca_file,
            });
        }

        let endpoint = match layers.value(|l| &l.blob_endpoint) {
            Some(e) => Some(parse_endpoint(&e)?),
            None => None,
        };
        let account = match (layers.value(|l| &l.account), &endpoint) {
            (Some(a), _) => a,
            (None, Some(e)) => account_from_endpoint(e).unwrap_or_else(|| e.to_string()),
            (None, None) => {
                return Err(Error::Usage(
                    "no storage account: give --account NAME, --blob-endpoint URL or \
                     --connection-string (or AZURE_STORAGE_ACCOUNT / \
                     AZURE_STORAGE_CONNECTION_STRING, or the [storage] table of the config file); \
                     a local export is read with --source DIR"
                        .into(),
                ));
            }
        };
        let blob_endpoint = match endpoint {
            Some(e) => e,
            None => parse_endpoint(&format!("https://{account}.blob.core.windows.net"))?,
        };
        let missing =
            |mode: &str, what: &str| Error::Usage(format!("auth mode {mode} needs {what}"));
        let tenant = layers.value(|l| &l.tenant_id);
        let client = layers.value(|l| &l.client_id);
        let token_file = layers.value(|l| &l.federated_token_file).map(PathBuf::from);
        let auth = match mode {
            AuthMode::Key => {
                let key = layers
                    .value(|l| &l.account_key)
                    .ok_or_else(|| missing("key", "--account-key or AZURE_STORAGE_KEY"))?;
                check_key(&key)?;
                StorageAuth::SharedKey {
                    account: account.clone(),
                    key: Secret::new(key),
                }
            }
            AuthMode::Sas => {
                let token = layers
                    .value(|l| &l.sas_token)
                    .ok_or_else(|| missing("sas", "--sas-token or AZURE_STORAGE_SAS_TOKEN"))?;
                StorageAuth::Sas {
                    token: sas_token(&token)?,
                }
            }
            AuthMode::ClientSecret => StorageAuth::Entra(EntraMode::ClientSecret {
                tenant_id: tenant.ok_or_else(|| missing("client-secret", "AZURE_TENANT_ID"))?,
                client_id: client.ok_or_else(|| missing("client-secret", "AZURE_CLIENT_ID"))?,
                secret: Secret::new(
                    layers
                        .value(|l| &l.client_secret)
                        .ok_or_else(|| missing("client-secret", "AZURE_CLIENT_SECRET"))?,
                ),
            }),
            AuthMode::ManagedIdentity => {
                StorageAuth::Entra(EntraMode::ManagedIdentity { client_id: client })
            }
            AuthMode::WorkloadIdentity => StorageAuth::Entra(EntraMode::WorkloadIdentity {
                tenant_id: tenant.ok_or_else(|| missing("workload-identity", "AZURE_TENANT_ID"))?,
                client_id: client.ok_or_else(|| missing("workload-identity", "AZURE_CLIENT_ID"))?,
                token_file: token_file
                    .ok_or_else(|| missing("workload-identity", "AZURE_FEDERATED_TOKEN_FILE"))?,
            }),
            AuthMode::AzureCli => StorageAuth::Entra(EntraMode::AzureCli { tenant_id: tenant }),
            AuthMode::Default => {
                let workload = match (tenant, client.clone(), token_file) {
                    (Some(t), Some(c), Some(f)) => Some((t, c, f)),
                    _ => None,
                };
                StorageAuth::Entra(EntraMode::Default {
                    workload,
                    managed_client_id: client,
                })
            }
            AuthMode::ConnectionString => unreachable!("handled above"),
        };
        Ok(StorageConfig {
            account,
            blob_endpoint,
            auth,
            authority_host,
            from_connection_string: false,
            ca_file,
        })
    }

    /// What is read and how, for messages: never a secret.
    pub fn describe(&self) -> String {
        format!(
            "account {} ({}) with {}",
            self.account,
            self.blob_endpoint,
            self.auth_description()
        )
    }

    /// The credential kind, for messages.
    pub fn auth_description(&self) -> String {
        let via = if self.from_connection_string {
            " from a connection string"
        } else {
            ""
        };
        match &self.auth {
            StorageAuth::SharedKey { .. } => format!("shared key{via}"),
            StorageAuth::Sas { token } => {
                let sas = SasFields::parse(token.expose());
                let mut out = format!("SAS token{via}");
                if let Some(p) = &sas.permissions {
                    out.push_str(&format!(" (permissions {p}"));
                    if let Some(e) = &sas.expiry {
                        out.push_str(&format!(", expires {e}"));
                    }
                    out.push(')');
                }
                out
            }
            StorageAuth::Entra(mode) => match mode {
                EntraMode::ClientSecret {
                    tenant_id,
                    client_id,
                    ..
                } => format!(
                    "Microsoft Entra ID client secret (tenant {tenant_id}, client {client_id})"
                ),
                EntraMode::ManagedIdentity { client_id: None } => {
                    "Microsoft Entra ID managed identity (system-assigned)".into()
                }
                EntraMode::ManagedIdentity { client_id: Some(c) } => {
                    format!("Microsoft Entra ID managed identity (client {c})")
                }
                EntraMode::WorkloadIdentity { client_id, .. } => {
                    format!("Microsoft Entra ID workload identity (client {client_id})")
                }
                EntraMode::AzureCli { .. } => "Microsoft Entra ID via the Azure CLI login".into(),
                EntraMode::Default { workload, .. } => format!(
                    "Microsoft Entra ID default chain ({}managed identity, Azure CLI, \
                     Azure Developer CLI)",
                    if workload.is_some() {
                        "workload identity, "
                    } else {
                        ""
                    }
                ),
            },
        }
    }

    /// Every secret this configuration holds, in the forms in which it could
    /// appear in text (as is, and percent-encoded), for [`redact`].
    pub fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut add = |s: &str| {
            if !s.is_empty() {
                out.push(s.to_string());
                let encoded: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
                if encoded != s {
                    out.push(encoded);
                }
            }
        };
        match &self.auth {
            StorageAuth::SharedKey { key, .. } => add(key.expose()),
            StorageAuth::Sas { token } => {
                add(token.expose());
                if let Some(sig) = SasFields::parse(token.expose()).signature {
                    add(&sig);
                }
            }
            StorageAuth::Entra(EntraMode::ClientSecret { secret, .. }) => add(secret.expose()),
            StorageAuth::Entra(_) => {}
        }
        out
    }

    /// The pipeline policies that apply the key or SAS: `(per call, per try)`.
    pub(crate) fn policies(&self) -> (Policies, Policies) {
        match &self.auth {
            StorageAuth::SharedKey { account, key } => (
                Vec::new(),
                vec![Arc::new(SharedKeyPolicy {
                    account: account.clone(),
                    key: key.clone(),
                })],
            ),
            StorageAuth::Sas { token } => (
                vec![Arc::new(SasPolicy {
                    token: token.clone(),
                })],
                Vec::new(),
            ),
            StorageAuth::Entra(_) => (Vec::new(), Vec::new()),
        }
    }

    /// The Entra ID credential, for Entra auth; `client_options` carry the
    /// transport and retry settings the credentials' own requests use.
    pub(crate) fn token_credential(
        &self,
        client_options: &ClientOptions,
    ) -> Result<Option<Arc<dyn TokenCredential>>> {
        let StorageAuth::Entra(mode) = &self.auth else {
            return Ok(None);
        };
        let mut options = client_options.clone();
        if let Some(host) = &self.authority_host {
            let mut custom = azure_core::cloud::CustomConfiguration::default();
            custom.authority_host = host.clone();
            options.cloud = Some(Arc::new(custom.into()));
        }
        let failed = |e: azure_core::Error| {
            Error::Usage(format!(
                "cannot set up {}: {}",
                self.auth_description(),
                redact(&e.to_string(), &[])
            ))
        };
        let managed = |client_id: &Option<String>| {
            azure_identity::ManagedIdentityCredential::new(Some(
                azure_identity::ManagedIdentityCredentialOptions {
                    user_assigned_id: client_id
                        .clone()
                        .map(azure_identity::UserAssignedId::ClientId),
                    client_options: options.clone(),
                },
            ))
        };
        let workload = |tenant_id: &str, client_id: &str, token_file: &Path| {
            azure_identity::WorkloadIdentityCredential::new(Some(
                azure_identity::WorkloadIdentityCredentialOptions {
                    credential_options: azure_identity::ClientAssertionCredentialOptions {
                        client_options: options.clone(),
                    },
                    client_id: Some(client_id.to_string()),
                    tenant_id: Some(tenant_id.to_string()),
                    token_file_path: Some(token_file.to_path_buf()),
                },
            ))
        };
        let credential: Arc<dyn TokenCredential> = match mode {
            EntraMode::ClientSecret {
                tenant_id,
                client_id,
                secret,
            } => azure_identity::ClientSecretCredential::new(
                tenant_id,
                client_id.clone(),
                azure_core::credentials::Secret::new(secret.expose().to_string()),
                Some(azure_identity::ClientSecretCredentialOptions {
                    client_options: options.clone(),
                }),
            )
            .map_err(failed)?,
            EntraMode::ManagedIdentity { client_id } => managed(client_id).map_err(failed)?,
            EntraMode::WorkloadIdentity {
                tenant_id,
                client_id,
                token_file,
            } => workload(tenant_id, client_id, token_file).map_err(failed)?,
            EntraMode::AzureCli { tenant_id } => azure_identity::AzureCliCredential::new(Some(
                azure_identity::AzureCliCredentialOptions {
                    tenant_id: tenant_id.clone(),
                    ..Default::default()
                },
            ))
            .map_err(failed)?,
            EntraMode::Default {
                workload: wl,
                managed_client_id,
            } => {
                let mut sources: Vec<(&'static str, Arc<dyn TokenCredential>)> = Vec::new();
                if let Some((t, c, f)) = wl {
                    sources.push(("workload identity", workload(t, c, f).map_err(failed)?));
                }
                // Managed identity is unavailable off Azure; it fails then at
                // token time, and the chain moves on.
                if let Ok(m) = managed(managed_client_id) {
                    sources.push(("managed identity", m));
                }
                sources.push((
                    "Azure CLI / Azure Developer CLI",
                    azure_identity::DeveloperToolsCredential::new(None).map_err(failed)?,
                ));
                Arc::new(ChainCredential {
                    sources,
                    chosen: AtomicUsize::new(usize::MAX),
                })
            }
        };
        Ok(Some(credential))
    }
}

/// The non-secret fields of a SAS token.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct SasFields {
    /// `sp`: the permissions (`r` read, `l` list, ...).
    pub permissions: Option<String>,
    /// `se`: the expiry, as given.
    pub expiry: Option<String>,
    /// `sig`: the signature (secret; for redaction only).
    pub signature: Option<String>,
}

impl SasFields {
    pub(crate) fn parse(token: &str) -> SasFields {
        let mut out = SasFields::default();
        for (k, v) in url::form_urlencoded::parse(token.trim_start_matches('?').as_bytes()) {
            match k.as_ref() {
                "sp" => out.permissions = Some(v.into_owned()),
                "se" => out.expiry = Some(v.into_owned()),
                "sig" => out.signature = Some(v.into_owned()),
                _ => {}
            }
        }
        out
    }

    /// Whether the expiry is known and past.
    pub(crate) fn expired(&self) -> bool {
        let Some(se) = &self.expiry else {
            return false;
        };
        // `se` is an ISO 8601 UTC time, with or without seconds, or a date.
        let parsed = se
            .parse::<jiff::Timestamp>()
            .ok()
            .or_else(|| format!("{}:00Z", se.trim_end_matches('Z')).parse().ok())
            .or_else(|| format!("{se}T00:00:00Z").parse().ok());
        parsed.is_some_and(|t| t < jiff::Timestamp::now())
    }
}

/// Replaces secrets in `text`: each of `secrets`, and the values that follow
/// the markers that announce one (`sig=`, `AccountKey=`,
/// `SharedAccessSignature=`, `client_secret=`, `Bearer `, `SharedKey `).
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    let mut sorted: Vec<&str> = secrets.iter().copied().filter(|s| s.len() >= 4).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in sorted {
        out = out.replace(s, REDACTED);
    }
    for marker in [
        "sig=",
        "accountkey=",
        "sharedaccesssignature=",
        "client_secret=",
        "access_token=",
        "bearer ",
        "sharedkey ",
    ] {
        out = mask_after(&out, marker);
    }
    out
}

/// Masks the value after each (ASCII case-insensitive) `marker`, up to the
/// next separator.
fn mask_after(text: &str, marker: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(found) = lower[pos..].find(marker) {
        let value_start = pos + found + marker.len();
        out.push_str(&text[pos..value_start]);
        let rest = &text[value_start..];
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | '"' | '\'' | '<' | ','))
            .unwrap_or(rest.len());
        if len > 0 && !rest[..len].starts_with(REDACTED) {
            out.push_str(REDACTED);
        } else {
            out.push_str(&rest[..len]);
        }
        pos = value_start + len;
    }
    out.push_str(&text[pos..]);
    out
}

/// Signs each request with Shared Key (Blob service, version 2009-09-19 and
/// later): a fresh `x-ms-date`, then `Authorization: SharedKey account:sig`.
#[derive(Debug)]
pub struct SharedKeyPolicy {
    account: String,
    key: Secret,
}

impl SharedKeyPolicy {
    fn sign(&self, request: &mut Request, date: &str) -> azure_core::Result<()> {
        request.insert_header("x-ms-date", date.to_string());
        let to_sign = string_to_sign(&self.account, request);
        let signature = azure_core::hmac::hmac_sha256(
            &to_sign,
            &azure_core::credentials::Secret::new(self.key.expose().to_string()),
        )?;
        request.insert_header(
            "authorization",
            format!("SharedKey {}:{signature}", self.account),
        );
        Ok(())
    }
}

#[async_trait::async_trait]
impl Policy for SharedKeyPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let now = azure_core::time::OffsetDateTime::now_utc();
        self.sign(request, &azure_core::time::to_rfc7231(&now))?;
        next[0].send(ctx, request, &next[1..]).await
    }
}

/// The Shared Key string-to-sign of a request (Blob service): the verb, the
/// standard headers in their fixed order, the `x-ms-` headers sorted, and the
/// canonicalized resource (`/account/path`, then the query parameters sorted
/// by lower-cased name, values decoded, sorted and comma-joined).
pub(crate) fn string_to_sign(account: &str, request: &Request) -> String {
    let headers = request.headers();
    let header = |name: &'static str| {
        headers
            .get_optional_str(&name.into())
            .unwrap_or_default()
            .to_string()
    };
    let content_length = match header("content-length").as_str() {
        "" => request
            .body()
            .len()
            .filter(|n| *n > 0)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        "0" => String::new(),
        n => n.to_string(),
    };
    let mut out = String::new();
    out.push_str(request.method().as_ref());
    out.push('\n');
    for value in [
        header("content-encoding"),
        header("content-language"),
        content_length,
        header("content-md5"),
        header("content-type"),
        // Date: empty, as x-ms-date is always set.
        String::new(),
        header("if-modified-since"),
        header("if-match"),
        header("if-none-match"),
        header("if-unmodified-since"),
        header("range"),
    ] {
        out.push_str(&value);
        out.push('\n');
    }
    let mut ms: Vec<(&str, String)> = headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("x-ms-"))
        .map(|(n, v)| {
            let folded = v.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
            (n.as_str(), folded)
        })
        .collect();
    ms.sort();
    for (name, value) in ms {
        out.push_str(name);
        out.push(':');
        out.push_str(&value);
        out.push('\n');
    }
    let url = request.url();
    out.push('/');
    out.push_str(account);
    out.push_str(if url.path().is_empty() {
        "/"
    } else {
        url.path()
    });
    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in url.query_pairs() {
        params
            .entry(k.to_lowercase())
            .or_default()
            .push(v.into_owned());
    }
    for (name, mut values) in params {
        values.sort();
        out.push('\n');
        out.push_str(&name);
        out.push(':');
        out.push_str(&values.join(","));
    }
    out
}

/// Appends a SAS token to each request's query (once per call).
#[derive(Debug)]
pub struct SasPolicy {
    token: Secret,
}

#[async_trait::async_trait]
impl Policy for SasPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let url = request.url_mut();
        if !url.query_pairs().any(|(k, _)| k == "sig") {
            let query = match url.query() {
                Some(q) if !q.is_empty() => format!("{q}&{}", self.token.expose()),
                _ => self.token.expose().to_string(),
            };
            url.set_query(Some(&query));
        }
        next[0].send(ctx, request, &next[1..]).await
    }
}

/// Tries Entra ID credentials in order; the first that gives a token is used
/// from then on.
pub struct ChainCredential {
    sources: Vec<(&'static str, Arc<dyn TokenCredential>)>,
    chosen: AtomicUsize,
}

impl fmt::Debug for ChainCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.sources.iter().map(|(n, _)| *n).collect();
        f.debug_struct("ChainCredential")
            .field("sources", &names)
            .finish()
    }
}

#[async_trait::async_trait]
impl TokenCredential for ChainCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let chosen = self.chosen.load(Ordering::Relaxed);
        if let Some((_, source)) = self.sources.get(chosen) {
            return source.get_token(scopes, options).await;
        }
        let mut failures = Vec::new();
        for (i, (name, source)) in self.sources.iter().enumerate() {
            match source.get_token(scopes, options.clone()).await {
                Ok(token) => {
                    self.chosen.store(i, Ordering::Relaxed);
                    return Ok(token);
                }
                Err(e) => {
                    let first_line = e.to_string().lines().next().unwrap_or_default().to_string();
                    failures.push(format!("{name}: {first_line}"));
                }
            }
        }
        Err(azure_core::Error::with_message(
            azure_core::error::ErrorKind::Credential,
            format!(
                "no Microsoft Entra ID credential worked ({}); set AZURE_TENANT_ID, \
                 AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, run `az login`, or name one \
                 with --auth-mode",
                failures.join("; ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use azure_core::http::Method;

    fn env_from(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    const KEY: &str = "a2V5LWZvci10ZXN0cy1vbmx5LWtleS1mb3ItdGVzdHMtb25seQ==";

    #[test]
    fn development_storage_connection_string() {
        let flags = StorageFlags {
            connection_string: Some("UseDevelopmentStorage=true".into()),
            ..Default::default()
        };
        let c = StorageConfig::resolve(flags, &no_env, None).unwrap();
        assert_eq!(c.account, DEV_ACCOUNT);
        assert_eq!(c.blob_endpoint.as_str(), DEV_BLOB_ENDPOINT);
        assert_eq!(
            c.auth,
            StorageAuth::SharedKey {
                account: DEV_ACCOUNT.into(),
                key: Secret::new(DEV_ACCOUNT_KEY)
            }
        );
        assert!(c.describe().contains("shared key from a connection string"));
        assert!(!c.describe().contains(DEV_ACCOUNT_KEY));
    }

    #[test]
    fn connection_string_forms() {
        let cs = format!(
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={KEY};EndpointSuffix=core.usgovcloudapi.net"
        );
        let c = parse_connection_string(&cs).unwrap();
        assert_eq!(c.account, "acct");
        assert_eq!(
            c.endpoint.as_str(),
            "https://acct.blob.core.usgovcloudapi.net/"
        );
        let cs = "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1/;SharedAccessSignature=sv=2021-08-06&sp=rl&sig=abc%2Bdef";
        let c = parse_connection_string(cs).unwrap();
        assert_eq!(c.account, "devstoreaccount1");
        assert_eq!(c.endpoint.as_str(), "http://127.0.0.1:9/devstoreaccount1");
        assert_eq!(
            c.auth,
            StorageAuth::Sas {
                token: Secret::new("sv=2021-08-06&sp=rl&sig=abc%2Bdef")
            }
        );
        for bad in [
            "AccountName=acct",
            "AccountName=acct;AccountKey=!!!",
            "nonsense",
            "AccountKey=abcd",
        ] {
            let err = parse_connection_string(bad).err().unwrap().to_string();
            assert!(!err.contains("!!!") && !err.contains("abcd"), "{err}");
        }
    }

    #[test]
    fn flags_win_over_env_over_file() {
        let file = FileConfig {
            storage: FileStorage {
                account: Some("fileacct".into()),
                account_key: Some(KEY.into()),
                ..Default::default()
            },
            ..Default::default()
        };
        // File alone.
        let c = StorageConfig::resolve(StorageFlags::default(), &no_env, Some(&file)).unwrap();
        assert_eq!(c.account, "fileacct");
        assert!(matches!(c.auth, StorageAuth::SharedKey { .. }));
        // The environment's SAS beats the file's key; the account merges.
        let env = env_from(&[("AZURE_STORAGE_SAS_TOKEN", "?sv=1&sp=rl&sig=zzzz")]);
        let c = StorageConfig::resolve(StorageFlags::default(), &env, Some(&file)).unwrap();
        assert_eq!(c.account, "fileacct");
        assert_eq!(
            c.auth,
            StorageAuth::Sas {
                token: Secret::new("sv=1&sp=rl&sig=zzzz")
            }
        );
        // A flag account beats both.
        let flags = StorageFlags {
            account: Some("flagacct".into()),
            ..Default::default()
        };
        let c = StorageConfig::resolve(flags, &env, Some(&file)).unwrap();
        assert_eq!(c.account, "flagacct");
        assert_eq!(
            c.blob_endpoint.as_str(),
            "https://flagacct.blob.core.windows.net/"
        );
        // An explicit mode takes its values from wherever they are.
        let flags = StorageFlags {
            auth_mode: Some("key".into()),
            ..Default::default()
        };
        let c = StorageConfig::resolve(flags, &env, Some(&file)).unwrap();
        assert!(matches!(c.auth, StorageAuth::SharedKey { .. }));
    }

    #[test]
    fn connection_string_is_not_mixed_with_lower_layers() {
        let env = env_from(&[
            ("AZURE_STORAGE_ACCOUNT", "shellacct"),
            ("AZURE_STORAGE_KEY", KEY),
        ]);
        let flags = StorageFlags {
            connection_string: Some("UseDevelopmentStorage=true".into()),
            ..Default::default()
        };
        let c = StorageConfig::resolve(flags, &env, None).unwrap();
        assert_eq!(c.account, DEV_ACCOUNT);
        // But a flag endpoint overrides the connection string's.
        let flags = StorageFlags {
            connection_string: Some("UseDevelopmentStorage=true".into()),
            blob_endpoint: Some("http://127.0.0.1:12345/devstoreaccount1".into()),
            ..Default::default()
        };
        let c = StorageConfig::resolve(flags, &env, None).unwrap();
        assert_eq!(
            c.blob_endpoint.as_str(),
            "http://127.0.0.1:12345/devstoreaccount1"
        );
    }

    #[test]
    fn entra_modes() {
        let env = env_from(&[
            ("AZURE_STORAGE_ACCOUNT", "acct"),
            ("AZURE_TENANT_ID", "tenant"),
            ("AZURE_CLIENT_ID", "client"),
            ("AZURE_CLIENT_SECRET", "s3cr3t-value"),
        ]);
        let c = StorageConfig::resolve(StorageFlags::default(), &env, None).unwrap();
        assert_eq!(
            c.auth,
            StorageAuth::Entra(EntraMode::ClientSecret {
                tenant_id: "tenant".into(),
                client_id: "client".into(),
                secret: Secret::new("s3cr3t-value")
            })
        );
        assert!(!format!("{c:?}").contains("s3cr3t"));
        assert!(!c.describe().contains("s3cr3t"));
        let flags = StorageFlags {
            auth_mode: Some("managed-identity".into()),
            ..Default::default()
        };
        let c = StorageConfig::resolve(flags, &env, None).unwrap();
        assert_eq!(
            c.auth,
            StorageAuth::Entra(EntraMode::ManagedIdentity {
                client_id: Some("client".into())
            })
        );
        let env = env_from(&[("AZURE_STORAGE_ACCOUNT", "acct")]);
        let c = StorageConfig::resolve(StorageFlags::default(), &env, None).unwrap();
        assert_eq!(
            c.auth,
            StorageAuth::Entra(EntraMode::Default {
                workload: None,
                managed_client_id: None
            })
        );
        let flags = StorageFlags {
            auth_mode: Some("workload-identity".into()),
            ..Default::default()
        };
        let err = StorageConfig::resolve(flags, &env, None).unwrap_err();
        assert!(err.to_string().contains("AZURE_TENANT_ID"), "{err}");
        let flags = StorageFlags {
            auth_mode: Some("kerberos".into()),
            ..Default::default()
        };
        assert!(StorageConfig::resolve(flags, &env, None).is_err());
    }

    #[test]
    fn missing_account_is_a_usage_error() {
        let err = StorageConfig::resolve(StorageFlags::default(), &no_env, None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("--account"));
    }

    #[test]
    fn account_from_endpoints() {
        let acct = |u: &str| account_from_endpoint(&parse_endpoint(u).unwrap());
        assert_eq!(
            acct("https://myacct.blob.core.windows.net/").as_deref(),
            Some("myacct")
        );
        assert_eq!(
            acct("http://127.0.0.1:10000/devstoreaccount1").as_deref(),
            Some("devstoreaccount1")
        );
        assert!(parse_endpoint("ftp://x/").is_err());
        assert!(parse_endpoint("https://x/?sig=abc").is_err());
    }

    #[test]
    fn config_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huntvault.toml");
        std::fs::write(
            &path,
            "[storage]\naccount = \"acct\"\nsas_token = \"sp=rl&sig=abcd\"\n",
        )
        .unwrap();
        let file = load_config_file(&path).unwrap();
        assert_eq!(file.storage.account.as_deref(), Some("acct"));
        assert!(!format!("{file:?}").contains("abcd"));
        std::fs::write(&path, "[storage]\naccount_key = \"s3cr3t\" oops\n").unwrap();
        let err = load_config_file(&path).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(!err.contains("s3cr3t"), "{err}");
        std::fs::write(&path, "[storage]\naccount_name = \"x\"\n").unwrap();
        assert!(load_config_file(&path).is_err());
    }

    #[test]
    fn redaction() {
        let text = "GET https://a.blob.core.windows.net/c?sv=1&sig=AbC%2Bd&sp=rl failed; \
                    AccountKey=xyz==;BlobEndpoint=x Authorization: SharedKey a:QWERTY= \
                    Bearer eyJ0.abc client_secret=hunter2&x=1 plain-secret-value";
        let out = redact(text, &["plain-secret-value"]);
        for secret in [
            "AbC%2Bd",
            "xyz==",
            "QWERTY",
            "eyJ0",
            "hunter2",
            "plain-secret-value",
        ] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert!(out.contains("sp=rl"));
        assert!(out.contains("https://a.blob.core.windows.net/c?sv=1&sig=<redacted>"));
        assert_eq!(redact("nothing here", &[]), "nothing here");
    }

    #[test]
    fn sas_fields() {
        let f = SasFields::parse("?sv=2021-08-06&sp=rl&se=2001-01-01T00:00:00Z&sig=a%2Bb");
        assert_eq!(f.permissions.as_deref(), Some("rl"));
        assert_eq!(f.signature.as_deref(), Some("a+b"));
        assert!(f.expired());
        assert!(!SasFields::parse("se=2999-01-01T00:00Z").expired());
        assert!(SasFields::parse("se=2001-01-01").expired());
        assert!(!SasFields::parse("sp=r").expired());
    }

    /// The documented Shared Key algorithm, worked by hand for one request;
    /// the signature was computed independently (Python's `hmac` module over
    /// the string below, with the base64-decoded key).
    #[test]
    fn shared_key_string_to_sign_and_signature() {
        let url = Url::parse(
            "http://127.0.0.1:10000/devstoreaccount1/insights-logs-x?restype=container&comp=list&prefix=tenantId%3Dt%2F&delimiter=%2F&include=",
        )
        .unwrap();
        let mut request = Request::new(url, Method::Get);
        request.insert_header("x-ms-version", "2026-04-06");
        request.insert_header("accept", "application/xml");
        request.insert_header("x-ms-client-request-id", "  id-1  ");
        request.insert_header("range", "bytes=0-99");
        let policy = SharedKeyPolicy {
            account: DEV_ACCOUNT.into(),
            key: Secret::new(DEV_ACCOUNT_KEY),
        };
        policy
            .sign(&mut request, "Sat, 01 Aug 2026 10:00:00 GMT")
            .unwrap();
        let expected = "GET\n\n\n\n\n\n\n\n\n\n\nbytes=0-99\n\
                        x-ms-client-request-id:id-1\n\
                        x-ms-date:Sat, 01 Aug 2026 10:00:00 GMT\n\
                        x-ms-version:2026-04-06\n\
                        /devstoreaccount1/devstoreaccount1/insights-logs-x\n\
                        comp:list\n\
                        delimiter:/\n\
                        include:\n\
                        prefix:tenantId=t/\n\
                        restype:container";
        assert_eq!(string_to_sign(DEV_ACCOUNT, &request), expected);
        assert_eq!(
            request
                .headers()
                .get_optional_str(&"authorization".into())
                .unwrap(),
            "SharedKey devstoreaccount1:mStT4M44eG2ZgEOTBaE7vpx8+3lN4W1hl3Qp+mgfl+Y="
        );
    }

    /// A credential that fails, or returns a fixed token, counting its calls.
    #[derive(Debug)]
    struct Fixed(Option<&'static str>, std::sync::atomic::AtomicUsize);

    #[async_trait::async_trait]
    impl TokenCredential for Fixed {
        async fn get_token(
            &self,
            scopes: &[&str],
            _: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            assert_eq!(scopes, [STORAGE_SCOPE]);
            self.1.fetch_add(1, Ordering::Relaxed);
            match self.0 {
                Some(t) => Ok(AccessToken::new(
                    t.to_string(),
                    azure_core::time::OffsetDateTime::now_utc(),
                )),
                None => Err(azure_core::Error::with_message(
                    azure_core::error::ErrorKind::Credential,
                    "not available here\nsecond line",
                )),
            }
        }
    }

    #[tokio::test]
    async fn chain_uses_the_first_credential_that_works() {
        let failing = Arc::new(Fixed(None, AtomicUsize::new(0)));
        let working = Arc::new(Fixed(Some("tok"), AtomicUsize::new(0)));
        let chain = ChainCredential {
            sources: vec![("first", failing.clone()), ("second", working.clone())],
            chosen: AtomicUsize::new(usize::MAX),
        };
        for _ in 0..2 {
            let token = chain.get_token(&[STORAGE_SCOPE], None).await.unwrap();
            assert_eq!(token.token.secret(), "tok");
        }
        assert_eq!(failing.1.load(Ordering::Relaxed), 1);
        assert_eq!(working.1.load(Ordering::Relaxed), 2);

        let none = ChainCredential {
            sources: vec![("first", failing.clone())],
            chosen: AtomicUsize::new(usize::MAX),
        };
        let err = none.get_token(&[STORAGE_SCOPE], None).await.unwrap_err();
        let message = err.to_string();
        assert!(message.contains("(first: not available here)"), "{message}");
        assert!(!message.contains("second line"), "{message}");
    }

    #[test]
    fn shared_key_content_length() {
        let url = Url::parse("https://a.blob.core.windows.net/c/b?comp=appendblock").unwrap();
        let mut request = Request::new(url, Method::Put);
        request.set_body(b"hello".to_vec());
        request.insert_header("content-type", "application/octet-stream");
        let s = string_to_sign("a", &request);
        assert!(
            s.starts_with("PUT\n\n\n5\n\napplication/octet-stream\n"),
            "{s}"
        );
        request.insert_header("content-length", "0");
        assert!(string_to_sign("a", &request).starts_with("PUT\n\n\n\n"));
    }
}
