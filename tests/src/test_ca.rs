//! A certificate authority made in the test, for the HTTPS tests: it signs
//! server certificates for `localhost` and 127.0.0.1, and gives an HTTP
//! client that trusts it (and nothing else).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, PublicKeyData};
use sha2::{Digest, Sha256};

/// The authority: its certificate and the key it signs with.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    certificate_pem: String,
    certificate_der: Vec<u8>,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestCa")
    }
}

/// A server certificate with its key, in PEM, as `--tls-cert` and
/// `--tls-key` read them.
#[derive(Debug, Clone)]
pub struct ServerCertificate {
    pub cert_pem: String,
    pub key_pem: String,
    pub der: Vec<u8>,
    /// Base64 SHA-256 of the public key: what Chromium's
    /// `--ignore-certificate-errors-spki-list` takes.
    pub spki_sha256: String,
}

impl Default for TestCa {
    fn default() -> Self {
        Self::new()
    }
}

impl TestCa {
    pub fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, "Innom test authority");
        let key = KeyPair::generate().expect("CA key");
        let certificate = params.self_signed(&key).expect("CA certificate");
        Self {
            certificate_pem: certificate.pem(),
            certificate_der: certificate.der().to_vec(),
            issuer: Issuer::new(params, key),
        }
    }

    /// The authority's own certificate, PEM.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// A new certificate (and key) for `localhost` and 127.0.0.1.
    pub fn issue(&self, common_name: &str) -> ServerCertificate {
        let mut params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).expect("names");
        params.distinguished_name.push(DnType::CommonName, common_name);
        let key = KeyPair::generate().expect("server key");
        let certificate = params.signed_by(&key, &self.issuer).expect("signed");
        ServerCertificate {
            cert_pem: certificate.pem(),
            key_pem: key.serialize_pem(),
            der: certificate.der().to_vec(),
            spki_sha256: base64::engine::general_purpose::STANDARD
                .encode(Sha256::digest(key.subject_public_key_info())),
        }
    }

    /// An HTTP client that trusts this authority only, does not follow
    /// redirects, and reports the certificate it was shown.
    pub fn client(&self) -> reqwest::Client {
        client_trusting(self.certificate_der.clone())
    }
}

/// An HTTP client that trusts the authority whose certificate (DER) is
/// given and nothing else, does not follow redirects, and reports the
/// certificate it was shown.
pub fn client_trusting(authority_der: Vec<u8>) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(authority_der.into()).expect("the authority is a valid root");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .tls_info(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

impl ServerCertificate {
    /// Writes `cert.pem` and `key.pem` into `folder`, replacing any there
    /// (each by a rename, as a certificate renewal does); returns their paths.
    pub fn write_to(&self, folder: &Path) -> (PathBuf, PathBuf) {
        let write = |name: &str, text: &str| {
            let path = folder.join(name);
            let staged = folder.join(format!(".{name}.new"));
            std::fs::write(&staged, text).expect("write");
            std::fs::rename(&staged, &path).expect("rename");
            path
        };
        (write("cert.pem", &self.cert_pem), write("key.pem", &self.key_pem))
    }
}
