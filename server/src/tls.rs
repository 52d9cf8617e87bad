//! HTTPS served by Innom itself (`--tls-cert`, `--tls-key`): the
//! certificate files are read at start and again whenever they change on
//! disk, so a renewed certificate is served without a restart; and the
//! plain-HTTP listener (`--redirect-listen`) that only sends browsers to
//! the HTTPS address.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::extract::Request;
use axum::http::header::{HOST, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_server::tls_rustls::RustlsConfig;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// How often the certificate files are looked at for a change.
const RELOAD_CHECK: Duration = Duration::from_secs(2);

/// The certificate chain and private key, as PEM files.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Why the certificate could not be used; names the file.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the TLS certificate {}: {reason}", path.display())]
    Certificate { path: PathBuf, reason: String },
    #[error("cannot read the TLS private key {}: {reason}", path.display())]
    Key { path: PathBuf, reason: String },
    #[error("the TLS certificate {} and key {} do not go together: {reason}", cert.display(), key.display())]
    Mismatch { cert: PathBuf, key: PathBuf, reason: String },
}

impl TlsFiles {
    /// Reads both files into a rustls configuration (HTTP/2 and HTTP/1.1).
    pub fn load(&self) -> Result<ServerConfig, TlsError> {
        let cert_error = |reason: String| TlsError::Certificate { path: self.cert.clone(), reason };
        let chain = CertificateDer::pem_file_iter(&self.cert)
            .map_err(|e| cert_error(e.to_string()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| cert_error(e.to_string()))?;
        if chain.is_empty() {
            return Err(cert_error("no PEM certificate in it".into()));
        }
        let key = PrivateKeyDer::from_pem_file(&self.key)
            .map_err(|e| TlsError::Key { path: self.key.clone(), reason: e.to_string() })?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mismatch = |e: rustls::Error| TlsError::Mismatch {
            cert: self.cert.clone(),
            key: self.key.clone(),
            reason: e.to_string(),
        };
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(mismatch)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(mismatch)?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    }

    /// When either file was last changed, and its size: a renewal that
    /// rewrites a file in place within one second still changes one.
    fn stamp(&self) -> Option<[(SystemTime, u64); 2]> {
        let stamp = |path: &Path| std::fs::metadata(path).ok().and_then(|m| Some((m.modified().ok()?, m.len())));
        Some([stamp(&self.cert)?, stamp(&self.key)?])
    }
}

/// Loads the files and starts watching them: a change is served from the
/// next connection on; a half-written or broken pair is logged and the
/// certificate in use kept.
pub fn serve_and_reload(files: TlsFiles) -> Result<RustlsConfig, TlsError> {
    let mut seen = files.stamp();
    let config = RustlsConfig::from_config(Arc::new(files.load()?));
    let reloading = config.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RELOAD_CHECK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let now = files.stamp();
            if now.is_none() || now == seen {
                continue;
            }
            match files.load() {
                Ok(fresh) => {
                    reloading.reload_from_config(Arc::new(fresh));
                    seen = now;
                    tracing::info!(cert = %files.cert.display(), "TLS certificate reloaded");
                }
                // A renewal may write the certificate before the key; the
                // next look sees both.
                Err(e) => tracing::warn!("{e}; still serving the previous certificate"),
            }
        }
    });
    Ok(config)
}

/// The plain-HTTP listener's whole app: every request is sent, method and
/// body kept (308), to the same path on the HTTPS port of the same host.
pub fn redirect_app(https_port: u16) -> Router {
    Router::new().fallback(move |request: Request| async move { redirect(&request, https_port) })
}

fn redirect(request: &Request, https_port: u16) -> Response {
    let Some(host) = request.headers().get(HOST).and_then(|h| h.to_str().ok()).and_then(host_without_port) else {
        return (StatusCode::BAD_REQUEST, "Use HTTPS: the request named no host to send it to.\n").into_response();
    };
    let port = if https_port == 443 { String::new() } else { format!(":{https_port}") };
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    match HeaderValue::try_from(format!("https://{host}{port}{path}")) {
        Ok(location) => (StatusCode::PERMANENT_REDIRECT, [(LOCATION, location)]).into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "Use HTTPS.\n").into_response(),
    }
}

/// `example.no:80` → `example.no`, `[::1]:80` → `[::1]`; `None` for
/// anything that is not a plain host name or address.
fn host_without_port(host: &str) -> Option<&str> {
    let name = match host.strip_prefix('[') {
        Some(rest) => &host[..rest.find(']')? + 2],
        None => host.split(':').next()?,
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    (!name.is_empty() && name.chars().all(allowed)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redirect_keeps_host_path_and_query_and_names_the_https_port() {
        let request = Request::builder()
            .uri("/m/abc?x=1")
            .header(HOST, "innom.kommune.no:8080")
            .body(axum::body::Body::empty())
            .expect("request");
        let response = redirect(&request, 8443);
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(response.headers()[LOCATION], "https://innom.kommune.no:8443/m/abc?x=1");
        assert_eq!(redirect(&request, 443).headers()[LOCATION], "https://innom.kommune.no/m/abc?x=1");
    }

    #[test]
    fn hosts_are_taken_without_their_port_and_odd_ones_refused() {
        assert_eq!(host_without_port("[::1]:80"), Some("[::1]"));
        assert_eq!(host_without_port("127.0.0.1"), Some("127.0.0.1"));
        assert_eq!(host_without_port("evil.no/x"), None);
        assert_eq!(host_without_port("a@b"), None);
        assert_eq!(host_without_port(""), None);
    }
}
