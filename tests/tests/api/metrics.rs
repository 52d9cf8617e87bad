//! `--metrics-listen`: Prometheus metrics on their own address, moving as
//! syncs, refusals and logins happen; and the readiness check.

use innom_shared::api::Role;
use innom_shared::records::Visit;
use innom_shared::sync::DeviceSync;
use innom_tests::fixtures::visit;
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app_with};
use sqlx::Connection;

async fn scrape(app: &TestApp) -> String {
    let url = format!("{}/metrics", app.metrics.as_deref().expect("metrics are served"));
    let response = app.http.get(url).send().await.expect("scrape");
    assert_eq!(response.status(), 200);
    response.text().await.expect("text")
}

/// The value of the sample `name` (with its labels, as printed), 0 if absent.
fn sample(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .map_or(0.0, |value| value.trim().parse().expect("a number"))
}

#[tokio::test]
async fn the_counters_move_as_a_sync_a_refused_record_and_a_failed_login_happen() {
    let app = spawn_app_with(|c| c.metrics_listen = Some(([127, 0, 0, 1], 0).into())).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = app.token("kari", PASSWORD).await;
    // Not on the API's address.
    assert_eq!(app.get("/metrics", None).await.status(), 404);
    let before = scrape(&app).await;

    let mut phone = DeviceSync::default();
    phone.add_record(id(1), &visit(id(1)));
    // Says nothing: neither a summary nor a status.
    let empty = Visit { summary: "".into(), status: innom_shared::records::Status::NotAssessed, ..visit(id(2)) };
    phone.add_record(id(2), &empty);
    app.sync_device(&token, &mut phone).await;
    assert_eq!(app.login("kari", "not the password").await.status(), 401);
    let after = scrape(&app).await;

    let moved = |name: &str| sample(&after, name) - sample(&before, name);
    assert!(moved(r#"innom_syncs_total{outcome="ok"}"#) >= 1.0, "{after}");
    assert!(moved(r#"innom_pushed_documents_total{outcome="accepted"}"#) >= 1.0, "{after}");
    assert!(moved(r#"innom_pushed_documents_total{outcome="invalid_record"}"#) >= 1.0, "{after}");
    assert!(moved(r#"innom_logins_total{outcome="failed"}"#) >= 1.0, "{after}");
    assert!(moved("innom_sync_duration_seconds_count") >= 1.0, "{after}");
    assert!(sample(&after, "innom_writer_batch_pushes_count") >= 1.0, "{after}");
    assert!(sample(&after, "innom_documents") >= 1.0 && sample(&after, "innom_changes") >= 1.0, "{after}");
    assert!(sample(&after, "innom_database_bytes") > 0.0, "{after}");
    for name in ["innom_database_wal_bytes", "innom_writer_queue_depth"] {
        assert!(after.lines().any(|l| l.starts_with(name)), "{name} missing from {after}");
    }
}

#[tokio::test]
async fn an_open_event_stream_is_counted() {
    let app = spawn_app_with(|c| c.metrics_listen = Some(([127, 0, 0, 1], 0).into())).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = app.token("kari", PASSWORD).await;
    let before = sample(&scrape(&app).await, "innom_event_streams_open");
    let stream = app.get("/api/events", Some(&token)).await;
    assert_eq!(stream.status(), 200);
    let open = sample(&scrape(&app).await, "innom_event_streams_open");
    assert!(open >= before + 1.0, "{before} → {open}");
}

#[tokio::test]
async fn readiness_says_whether_the_database_takes_writes() {
    let app = spawn_app_with(|_| {}).await;
    let ready = app.get("/api/health/ready", None).await;
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.expect("json");
    assert_eq!(body["database"], "writable");

    // Another process holds the database's write lock: not ready, 503.
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&app.database);
    let mut other = sqlx::SqliteConnection::connect_with(&options).await.expect("connect");
    sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.expect("take the write lock");
    let blocked = app.get("/api/health/ready", None).await;
    assert_eq!(blocked.status(), 503);
    let body: serde_json::Value = blocked.json().await.expect("json");
    assert_eq!(body["database"], "not writable");
    sqlx::query("ROLLBACK").execute(&mut other).await.expect("let go");
    assert_eq!(app.get("/api/health/ready", None).await.status(), 200);
}
