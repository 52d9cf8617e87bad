//! The example configuration for running Innom behind Caddy
//! (`packaging/Caddyfile`), run with Debian's `caddy` and its own local
//! certificate authority in place of ACME: phones sync through it, the
//! event stream passes as it comes, Innom sees HTTPS (HSTS), and plain
//! HTTP is sent to HTTPS.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use innom_shared::api::Role;
use innom_tests::test_ca::client_trusting;
use innom_tests::{PASSWORD, spawn_app_with, usual_world};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// Caddy, stopped when dropped.
struct Caddy(Child);

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn start_caddy(upstream: &str, https_port: u16, http_port: u16, storage: &Path) -> Caddy {
    let caddyfile = Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/Caddyfile");
    // Only for the test: Caddy's own authority instead of ACME, no trust
    // store changes, no admin port, free ports.
    let options = format!(
        "local_certs\nskip_install_trust\nadmin off\nhttp_port {http_port}\nhttps_port {https_port}\nstorage file_system {}",
        storage.display()
    );
    let child = Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(caddyfile)
        .env("INNOM_DOMAIN", format!("localhost:{https_port}"))
        .env("INNOM_UPSTREAM", upstream)
        .env("CADDY_OPTIONS", options)
        .env("HOME", storage)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("caddy runs (Debian package caddy; `cargo xtask test` installs it)");
    Caddy(child)
}

#[tokio::test]
async fn behind_the_example_caddy_configuration_phones_sync_over_https() {
    let app = spawn_app_with(|config| config.trusted_proxy = vec![[127, 0, 0, 1].into()]).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let upstream = app.address.trim_start_matches("http://").parse::<SocketAddr>().expect("address").to_string();
    let storage = tempfile::tempdir().expect("folder");
    let (https_port, http_port) = (free_port(), free_port());
    let _caddy = start_caddy(&upstream, https_port, http_port, storage.path());

    // Caddy makes its authority and the certificate on start.
    let root = storage.path().join("pki/authorities/local/root.crt");
    let deadline = Instant::now() + Duration::from_secs(20);
    let http = loop {
        if let Ok(der) = CertificateDer::from_pem_file(&root) {
            let http = client_trusting(der.to_vec());
            if http.get(format!("https://localhost:{https_port}/api/health")).send().await.is_ok() {
                break http;
            }
        }
        assert!(Instant::now() < deadline, "Caddy did not serve HTTPS within 20 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let mut proxied = app;
    proxied.address = format!("https://localhost:{https_port}");
    proxied.http = http;

    let health = proxied.get("/api/health", None).await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");

    let token = proxied.token("kari", PASSWORD).await;
    let events = proxied.http.get(proxied.url("/api/events")).bearer_auth(&token).send().await.expect("events");
    assert_eq!(events.status(), 200);
    let mut stream = events.bytes_stream();
    let mut seen = String::new();
    let mut wait_for = async |text: &str| {
        while !seen.contains(text) {
            let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
                .await
                .expect("the event arrives through Caddy without waiting for more")
                .expect("stream open")
                .expect("bytes");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    wait_for("data: 0").await;

    let mut phone = usual_world();
    proxied.sync_device(&token, &mut phone).await;
    assert!(!phone.has_unconfirmed(), "the phone's records are confirmed through Caddy");
    wait_for("data: 4").await;

    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let answer = plain.get(format!("http://localhost:{http_port}/logg-inn")).send().await.expect("request");
    assert!(answer.status().is_redirection(), "{}", answer.status());
    // Caddy 2.6 names no port in this redirect (in use it is 443 anyway).
    let location = answer.headers()["location"].to_str().expect("text");
    assert!(location.starts_with("https://localhost") && location.ends_with("/logg-inn"), "{location}");
}
