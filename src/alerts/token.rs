//! Access tokens for the alerts APIs: OAuth 2.0 client credentials through
//! `azure_identity`'s `ClientSecretCredential`, whose cache hands out the
//! same token until shortly before it expires and then fetches a new one.
//!
//! When an API refuses a token (401) before its expiry (revoked, or the
//! service restarted its key set), [`Tokens::renew`] replaces the credential,
//! and with it its cache, so the next request gets a token fresh from the
//! token endpoint.

use std::sync::{Arc, Mutex, PoisonError};

use azure_core::credentials::{Secret as Token, TokenCredential};
use azure_core::http::{ClientOptions, HttpClient, Transport};

use super::config::AlertsConfig;
use crate::error::{Error, Result};
use crate::source::auth::redact;

/// Tokens for one app registration and scope.
pub struct Tokens {
    config: AlertsConfig,
    options: ClientOptions,
    credential: Mutex<Arc<dyn TokenCredential>>,
}

impl Tokens {
    pub fn new(config: &AlertsConfig, http: Arc<dyn HttpClient>) -> Result<Self> {
        let mut options = ClientOptions {
            transport: Some(Transport::new(http)),
            ..Default::default()
        };
        if let Some(host) = &config.authority_host {
            let mut custom = azure_core::cloud::CustomConfiguration::default();
            custom.authority_host = host.clone();
            options.cloud = Some(Arc::new(custom.into()));
        }
        let credential = credential(config, &options)?;
        Ok(Tokens {
            config: config.clone(),
            options,
            credential: Mutex::new(credential),
        })
    }

    /// A token for the API's scope (cached until shortly before it expires).
    pub async fn token(&self) -> Result<Token> {
        let credential = self
            .credential
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match credential.get_token(&[&self.config.scope], None).await {
            Ok(t) => Ok(t.token),
            Err(e) => Err(self.failed(&e)),
        }
    }

    /// Forgets the cached token: the next [`Tokens::token`] asks the token
    /// endpoint for a new one.
    pub fn renew(&self) -> Result<()> {
        let fresh = credential(&self.config, &self.options)?;
        *self
            .credential
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = fresh;
        Ok(())
    }

    /// A token request that failed, as a one-line message without secrets.
    fn failed(&self, e: &azure_core::Error) -> Error {
        let c = &self.config;
        let detail = one_line(&redact(&e.to_string(), &[c.client_secret.expose()]));
        let authority = c
            .authority_host
            .as_deref()
            .unwrap_or("https://login.microsoftonline.com");
        if matches!(e.kind(), azure_core::error::ErrorKind::Io) {
            return Error::Unreachable(format!(
                "cannot reach the token endpoint at {authority}: {detail}; check the network \
                 and --authority-host"
            ));
        }
        Error::AccessDenied(format!(
            "could not get a token for {} from {authority} (scope {}): {detail}; check the \
             tenant id, client id and client secret of the app registration",
            c.app(),
            c.scope
        ))
    }
}

fn credential(config: &AlertsConfig, options: &ClientOptions) -> Result<Arc<dyn TokenCredential>> {
    let credential = azure_identity::ClientSecretCredential::new(
        &config.tenant_id,
        config.client_id.clone(),
        azure_core::credentials::Secret::new(config.client_secret.expose().to_string()),
        Some(azure_identity::ClientSecretCredentialOptions {
            client_options: options.clone(),
        }),
    )
    .map_err(|e| {
        Error::Usage(format!(
            "cannot use {} for alerts: {}",
            config.app(),
            one_line(&redact(&e.to_string(), &[config.client_secret.expose()]))
        ))
    })?;
    Ok(credential)
}

/// Text on one line: line breaks and runs of white space become one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
