//! Which alerts API to pull, from where, as which app registration.
//!
//! Each setting comes from the first place that has it: the command-line
//! flags, then the environment (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
//! `AZURE_CLIENT_SECRET`, `AZURE_AUTHORITY_HOST`), then the `[alerts]` table
//! of the config file (the same `huntvault.toml` as the storage source). The
//! client secret is held in a [`Secret`] and never printed.

use std::fmt;
use std::path::PathBuf;

use azure_core::http::Url;
use serde::Deserialize;

use super::{Api, graph, siem};
use crate::error::{Error, Result};
use crate::source::auth::{FileConfig, Secret, nonempty};

/// Settings as given on the command line, or as the `[alerts]` table of
/// the config file.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsSettings {
    pub api: Option<String>,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub authority_host: Option<String>,
    pub scope: Option<String>,
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// PEM file of extra certificate authorities to trust.
    pub ca_file: Option<String>,
}

impl fmt::Debug for AlertsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlertsSettings")
            .field("api", &self.api)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("authority_host", &self.authority_host)
            .field("scope", &self.scope)
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(Secret::new),
            )
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// A resolved configuration.
#[derive(Clone, Debug)]
pub struct AlertsConfig {
    pub api: Api,
    /// The URL of the alert list.
    pub endpoint: Url,
    /// An Entra ID authority host other than the public cloud's.
    pub authority_host: Option<String>,
    pub scope: String,
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// Extra certificate authorities to trust (`--ca-file`).
    pub ca_file: Option<PathBuf>,
}

impl AlertsConfig {
    /// Resolves the settings: flags win over the environment (read through
    /// `env`), which wins over the config file.
    pub fn resolve(
        flags: AlertsSettings,
        env: &dyn Fn(&str) -> Option<String>,
        file: Option<&FileConfig>,
    ) -> Result<AlertsConfig> {
        let storage_ca_file = file.and_then(|f| f.storage.ca_file.clone());
        let file = file.map(|f| f.alerts.clone()).unwrap_or_default();
        let pick = |flag: Option<String>, var: Option<&str>, from_file: Option<String>| {
            nonempty(flag)
                .or_else(|| var.and_then(|v| nonempty(env(v))))
                .or_else(|| nonempty(from_file))
        };
        let api = match pick(flags.api, None, file.api) {
            Some(name) => Api::parse(&name)?,
            None => Api::Graph,
        };
        let region = pick(flags.region, None, file.region);
        let endpoint = match (pick(flags.endpoint, None, file.endpoint), region, api) {
            (Some(url), _, _) => url,
            (None, Some(region), Api::Siem) => siem::region_endpoint(&region)?,
            (None, Some(_), Api::Graph) => {
                return Err(Error::Usage(
                    "--region names a SIEM API endpoint: use it with --api siem".into(),
                ));
            }
            (None, None, Api::Siem) => {
                return Err(Error::Usage(format!(
                    "the SIEM API needs --region ({}) or --endpoint URL",
                    siem::REGIONS.join(", ")
                )));
            }
            (None, None, Api::Graph) => graph::DEFAULT_ENDPOINT.to_string(),
        };
        let endpoint = Url::parse(endpoint.trim())
            .ok()
            .filter(|u| u.scheme() == "https" && u.host().is_some() && u.query().is_none())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "the alerts endpoint {endpoint:?} must be an https URL without a query, \
                     such as {}",
                    graph::DEFAULT_ENDPOINT
                ))
            })?;
        let missing = |what: &str, flag: &str, var: &str| {
            Error::Usage(format!(
                "pulling alerts needs the app registration's {what}: give {flag}, set {var}, \
                 or put it in the [alerts] table of the config file"
            ))
        };
        let tenant_id = pick(flags.tenant_id, Some("AZURE_TENANT_ID"), file.tenant_id)
            .ok_or_else(|| missing("tenant id", "--tenant-id", "AZURE_TENANT_ID"))?;
        let client_id = pick(flags.client_id, Some("AZURE_CLIENT_ID"), file.client_id)
            .ok_or_else(|| missing("client id", "--client-id", "AZURE_CLIENT_ID"))?;
        let client_secret = pick(
            flags.client_secret,
            Some("AZURE_CLIENT_SECRET"),
            file.client_secret,
        )
        .map(Secret::new)
        .ok_or_else(|| missing("client secret", "--client-secret", "AZURE_CLIENT_SECRET"))?;
        Ok(AlertsConfig {
            api,
            endpoint,
            authority_host: pick(
                flags.authority_host,
                Some("AZURE_AUTHORITY_HOST"),
                file.authority_host,
            ),
            scope: pick(flags.scope, None, file.scope)
                .unwrap_or_else(|| api.default_scope().to_string()),
            tenant_id,
            client_id,
            client_secret,
            ca_file: pick(flags.ca_file, None, file.ca_file.or(storage_ca_file)).map(PathBuf::from),
        })
    }

    /// The app registration, for messages.
    pub fn app(&self) -> String {
        format!("app {} in tenant {}", self.client_id, self.tenant_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_from(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    const ENV: &[(&str, &str)] = &[
        ("AZURE_TENANT_ID", "env-tenant"),
        ("AZURE_CLIENT_ID", "env-client"),
        ("AZURE_CLIENT_SECRET", "env-secret-value"),
    ];

    #[test]
    fn flags_win_over_env_over_file() {
        let file: FileConfig = toml::from_str(
            "[alerts]\napi = \"siem\"\nregion = \"uk\"\ntenant_id = \"file-tenant\"\nclient_secret = \"file-secret\"\n",
        )
        .unwrap();
        let flags = AlertsSettings {
            tenant_id: Some("flag-tenant".into()),
            ..Default::default()
        };
        let c = AlertsConfig::resolve(flags, &env_from(ENV), Some(&file)).unwrap();
        assert_eq!(c.api, Api::Siem);
        assert_eq!(
            c.endpoint.as_str(),
            "https://wdatp-alertexporter-uk.windows.com/api/alerts"
        );
        assert_eq!(c.tenant_id, "flag-tenant");
        assert_eq!(c.client_id, "env-client");
        assert_eq!(c.client_secret.expose(), "env-secret-value");
        assert_eq!(c.scope, "https://graph.windows.net/.default");
        assert!(!format!("{c:?}{file:?}").contains("secret-value"));
        assert!(!format!("{:?}", file.alerts).contains("file-secret"));
    }

    #[test]
    fn graph_is_the_default_and_settings_are_checked() {
        let c = AlertsConfig::resolve(AlertsSettings::default(), &env_from(ENV), None).unwrap();
        assert_eq!(c.api, Api::Graph);
        assert_eq!(c.endpoint.as_str(), graph::DEFAULT_ENDPOINT);
        assert_eq!(c.scope, "https://graph.microsoft.com/.default");

        let siem = AlertsSettings {
            api: Some("siem".into()),
            ..Default::default()
        };
        let err = AlertsConfig::resolve(siem, &env_from(ENV), None).unwrap_err();
        assert!(err.to_string().contains("--region"), "{err}");

        let http = AlertsSettings {
            endpoint: Some("http://127.0.0.1:1/api/alerts".into()),
            ..Default::default()
        };
        let err = AlertsConfig::resolve(http, &env_from(ENV), None).unwrap_err();
        assert!(err.to_string().contains("https"), "{err}");

        let err = AlertsConfig::resolve(AlertsSettings::default(), &|_| None, None).unwrap_err();
        assert!(err.to_string().contains("AZURE_TENANT_ID"), "{err}");
    }
}
