//! The HTTP client behind every outbound request: the storage account, the
//! Entra ID token endpoint and the alerts APIs.
//!
//! It is `reqwest`, as in the Azure SDK's default transport, with the same
//! timeouts and no redirects, plus two things the SDK's default cannot do:
//! trust extra certificate authorities (`--ca-file`: a TLS-inspecting proxy,
//! a private cloud, a test authority), and never decompress behind the
//! caller's back (ranged blob reads count bytes as stored).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use azure_core::http::HttpClient;

use crate::error::{Error, Result};

/// How long to wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a response may stay silent.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// A client that trusts the system's certificate authorities and, when
/// `ca_file` is given, also every PEM certificate in that file.
pub fn client(ca_file: Option<&Path>) -> Result<Arc<dyn HttpClient>> {
    let mut builder = reqwest::ClientBuilder::new()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .gzip(false)
        .deflate(false);
    if let Some(path) = ca_file {
        builder = builder.tls_certs_merge(certificates(path)?);
    }
    let client = builder.build().map_err(|e| {
        Error::Usage(format!(
            "cannot set up the HTTP client: {e}; check --ca-file"
        ))
    })?;
    Ok(Arc::new(client))
}

/// The certificates of a PEM file, which must hold at least one.
fn certificates(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let bad = |why: String| {
        Error::Usage(format!(
            "--ca-file {}: {why}; give a file of PEM certificates (-----BEGIN CERTIFICATE-----)",
            path.display()
        ))
    };
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad("it holds no certificate".into()));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_certificates_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let Err(err) = client(Some(&path)) else {
            panic!("a file without certificates was accepted");
        };
        let text = err.to_string();
        assert!(text.contains("--ca-file"), "{text}");
        assert!(text.contains("PEM"), "{text}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let Err(err) = client(Some(Path::new("/nonexistent/ca.pem"))) else {
            panic!("a missing file was accepted");
        };
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
    }
}
