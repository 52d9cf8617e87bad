use innom_shared::api::Health;
use innom_tests::spawn_app;

#[tokio::test]
async fn health_reports_the_version_and_a_working_database() {
    let app = spawn_app().await;

    let response = app.get("/api/health", None).await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let health: Health = response.json().await.expect("json");
    assert_eq!(health.status, "ok");
    assert_eq!(health.database, "ok");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn health_reports_an_unavailable_database_with_503() {
    let app = spawn_app().await;
    app.db.close().await;

    let response = app.get("/api/health", None).await;

    assert_eq!(response.status(), 503);
    let health: Health = response.json().await.expect("json");
    assert_eq!(health.database, "unavailable");
}

#[tokio::test]
async fn unknown_api_routes_get_a_json_404() {
    let app = spawn_app().await;

    for path in ["/api/nope", "/api", "/api/deeply/nested/nope"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/json"));
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"], "not_found", "{path}");
    }
}
