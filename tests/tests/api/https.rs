//! Innom serving HTTPS itself: a phone syncs over it, every answer carries
//! HSTS, plain HTTP is only redirected, and a renewed certificate on disk is
//! served without a restart.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use innom_shared::api::Role;
use innom_tests::test_ca::TestCa;
use innom_tests::{PASSWORD, TestApp, spawn_app_with, usual_world};

/// The certificate the server showed for this answer.
fn served_certificate(response: &reqwest::Response) -> Vec<u8> {
    let info = response.extensions().get::<reqwest::tls::TlsInfo>().expect("TLS info");
    info.peer_certificate().expect("a certificate").to_vec()
}

async fn https_app(ca: &TestCa, folder: &std::path::Path) -> TestApp {
    let (cert, key) = ca.issue("first").write_to(folder);
    let mut app = spawn_app_with(|config| {
        config.tls_cert = Some(cert);
        config.tls_key = Some(key);
        config.redirect_listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    })
    .await;
    app.http = ca.client();
    app
}

#[tokio::test]
async fn a_phone_syncs_over_https_and_every_answer_says_to_stay_on_https() {
    let ca = TestCa::new();
    let folder = tempfile::tempdir().expect("folder");
    let app = https_app(&ca, folder.path()).await;
    assert!(app.address.starts_with("https://"), "{}", app.address);
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = app.token("kari", PASSWORD).await;

    let mut phone = usual_world();
    app.sync_device(&token, &mut phone).await;
    assert!(!phone.has_unconfirmed(), "everything the phone made is confirmed over HTTPS");
    assert_eq!(app.dump().await.0.len(), 4);

    let health = app.get("/api/health", None).await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    // A client that does not know the authority is refused at the handshake.
    let stranger = reqwest::Client::builder().use_rustls_tls().build().expect("client");
    assert!(stranger.get(app.url("/api/health")).send().await.is_err());
}

#[tokio::test]
async fn plain_http_is_only_sent_to_https_keeping_the_path() {
    let ca = TestCa::new();
    let folder = tempfile::tempdir().expect("folder");
    let app = https_app(&ca, folder.path()).await;
    let redirect = app.redirect.clone().expect("the redirect listener");

    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    for path in ["/", "/m/abc?lang=en", "/api/sync"] {
        let answer = http.get(format!("{redirect}{path}")).send().await.expect("request");
        assert_eq!(answer.status(), 308, "{path}");
        assert_eq!(answer.headers()["location"], app.url(path), "{path}");
    }
    // A POST is redirected too, never answered: nothing reaches the API in clear.
    let answer = http.post(format!("{redirect}/api/auth/login")).body("{}").send().await.expect("request");
    assert_eq!(answer.status(), 308);
    assert!(answer.text().await.expect("body").is_empty());
}

#[tokio::test]
async fn a_certificate_replaced_on_disk_is_served_without_a_restart() {
    let ca = TestCa::new();
    let folder = tempfile::tempdir().expect("folder");
    let app = https_app(&ca, folder.path()).await;
    let before = served_certificate(&app.get("/api/health", None).await);

    // A half-finished renewal (a certificate that is not PEM) is not served;
    // the old certificate stays.
    std::fs::write(folder.path().join("cert.pem"), "not a certificate").expect("write");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let during = app.get("/api/health", None).await;
    assert_eq!(served_certificate(&during), before);

    let renewed = ca.issue("renewed");
    renewed.write_to(folder.path());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        // A new client each time: a new connection, a new handshake.
        let fresh = ca.client();
        let answer = fresh.get(app.url("/api/health")).send().await.expect("request");
        assert_eq!(answer.status(), 200);
        if served_certificate(&answer) == renewed.der {
            break;
        }
        assert!(Instant::now() < deadline, "the renewed certificate was not served within 15 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
