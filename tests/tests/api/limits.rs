//! Limits and headers: body sizes per endpoint, request timeouts, caps on
//! what one push may carry, and the security headers on every response.

use std::time::{Duration, Instant};

use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::sync::DeviceSync;
use innom_shared::sync::wire::{MAX_CHANGES_PER_PUSH, MAX_DOCS_PER_PUSH, PushedDoc, SyncRequest, WIRE_VERSION};
use innom_shared::values::DocId;
use innom_tests::fixtures::visit;
use innom_tests::{PASSWORD, TestApp, error_code, id, spawn_app, spawn_app_serving, spawn_app_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn app_and_token() -> (TestApp, String) {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = app.token("kari", PASSWORD).await;
    (app, token)
}

fn visit_doc(n: u128) -> (DocId, automerge::AutoCommit) {
    let id = id(n);
    (id, document::create(&visit(id)).expect("create"))
}

#[tokio::test]
async fn a_login_body_over_16_kib_gets_413_before_any_password_work() {
    let app = spawn_app().await;
    let huge = "x".repeat(20 * 1024);
    let response = app
        .http
        .post(app.url("/api/auth/login"))
        .json(&serde_json::json!({ "username": "kari", "password": huge }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 413);
    assert_eq!(error_code(response).await, "too_large");
}

#[tokio::test]
async fn a_push_with_too_many_documents_or_changes_gets_413_and_stores_nothing() {
    let (app, token) = app_and_token().await;
    let (_, doc) = visit_doc(1);
    let change = doc.clone().get_changes(&[]).first().expect("a change").raw_bytes().to_vec();

    let too_many_docs = SyncRequest {
        version: WIRE_VERSION,
        cursor: 0,
        push: (0..=MAX_DOCS_PER_PUSH as u128)
            .map(|n| PushedDoc {
                id: innom_shared::sync::wire::wire_id(visit_doc(n).0),
                changes: vec![change.clone().into()],
            })
            .collect(),
        snapshots: false,
        log: None,
    };
    let too_many_changes = SyncRequest {
        version: WIRE_VERSION,
        cursor: 0,
        push: (0..3)
            .map(|n| PushedDoc {
                id: innom_shared::sync::wire::wire_id(visit_doc(n).0),
                changes: vec![change.clone().into(); MAX_CHANGES_PER_PUSH / 3 + 1],
            })
            .collect(),
        snapshots: false,
        log: None,
    };

    for request in [too_many_docs, too_many_changes] {
        let body = request.encode();
        let digest = innom_shared::sync::wire::content_digest(&body);
        let response = app.sync_raw(&token, body, Some(&digest)).await;
        assert_eq!(response.status(), 413);
        assert_eq!(error_code(response).await, "too_large");
    }
    let (documents, changes) = app.dump().await;
    assert!(documents.is_empty() && changes.is_empty(), "nothing is stored");
}

#[tokio::test]
async fn a_device_with_more_than_one_push_of_records_sends_them_over_several_round_trips() {
    let (app, token) = app_and_token().await;
    let mut device = DeviceSync::default();
    let count = MAX_DOCS_PER_PUSH + 200;
    for n in 0..count as u128 {
        let (id, doc) = visit_doc(n + 1);
        device.insert_local(id, doc);
    }

    let first = device.request();
    assert_eq!(first.push.len(), MAX_DOCS_PER_PUSH);
    assert!(device.held_back);
    device.no_reply();
    app.sync_device(&token, &mut device).await;

    assert!(!device.has_unconfirmed(), "every record reached the server");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM documents").fetch_one(&app.db).await.expect("count");
    assert_eq!(stored, count as i64);
}

#[tokio::test]
async fn a_stalled_upload_gets_408_after_the_request_timeout() {
    let app = spawn_app_with(|config| config.request_timeout = 1).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    // Promises 100 bytes of body, sends 10, then nothing.
    let head =
        "POST /api/auth/login HTTP/1.1\r\nHost: innom\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    stream.write_all(format!("{head}{{\"username\"").as_bytes()).await.expect("write");
    let started = Instant::now();

    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;

    assert!(read.is_ok(), "the server answered instead of waiting for ever");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"error\":\"timeout\""), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_api_answers_are_not_cached() {
    let app = spawn_app().await;
    let response = app.get("/api/health", None).await;
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");

    let behind_tls = app.http.get(app.url("/api/health")).header("x-forwarded-proto", "https").send().await;
    let behind_tls = behind_tls.expect("request");
    assert!(behind_tls.headers()["strict-transport-security"].to_str().expect("ascii").starts_with("max-age="));
}

#[tokio::test]
async fn the_policy_allows_the_clients_inline_start_script_by_its_hash_only() {
    let folder = tempfile::tempdir().expect("folder");
    let start = "import init from '/app.js'; await init();";
    let html = format!("<!doctype html><html><head><script type=\"module\">{start}</script></head></html>");
    std::fs::write(folder.path().join("index.html"), html).expect("write");
    let app = spawn_app_serving(Some(folder.path())).await;

    let response = app.get("/", None).await;

    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(start.as_bytes()));
    let csp = response.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';")), "{csp}");
}
