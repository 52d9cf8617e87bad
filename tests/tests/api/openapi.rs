use innom_tests::spawn_app;

#[tokio::test]
async fn the_openapi_document_describes_every_json_endpoint() {
    let app = spawn_app().await;

    let response = app.get("/api/openapi.json", None).await;

    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.expect("json");
    assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3."));
    for (path, method) in
        [("/api/health", "get"), ("/api/auth/login", "post"), ("/api/auth/logout", "post"), ("/api/me", "get")]
    {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} missing");
    }
    assert!(doc["components"]["schemas"]["LoginRequest"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
}
