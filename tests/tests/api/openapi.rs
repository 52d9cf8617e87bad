use innom_shared::api::Role;
use innom_tests::{PASSWORD, spawn_app};

/// Every operation the router serves, as `METHOD path`. A route added or
/// removed without this list (and so without the OpenAPI document) fails
/// the test below.
const OPERATIONS: &[&str] = &[
    "GET /api/health",
    "GET /api/health/ready",
    "POST /api/auth/login",
    "POST /api/auth/logout",
    "GET /api/auth/methods",
    "GET /api/auth/oidc/start",
    "GET /api/auth/oidc/callback",
    "POST /api/auth/oidc/finish",
    "GET /api/me",
    "POST /api/sync",
    "GET /api/events",
    "GET /api/schema/records.json",
    "GET /api/documents/{id}",
    "GET /api/documents/{id}/history",
    "POST /api/documents/{id}/review",
    "POST /api/documents/{id}/resolve",
    "GET /api/placements/{id}/mentor-links",
    "POST /api/placements/{id}/mentor-links",
    "POST /api/placements/{id}/mentor-links/{link}/revoke",
    "POST /api/mentor/session",
    "GET /api/mentor/placement",
    "GET /api/placements/{id}/timeline",
    "GET /api/workplaces/{id}/overview",
    "GET /api/attention",
    "GET /api/attention.csv",
    "GET /api/figures",
    "GET /api/exports/{file}",
    "GET /api/participants/{id}/export",
    "POST /api/participants/{id}/erase",
    "GET /api/admin/users",
    "POST /api/admin/users",
    "PATCH /api/admin/users/{id}",
    "POST /api/admin/users/{id}/password",
    "GET /api/admin/users/{id}/sessions",
    "POST /api/admin/sessions/{id}/revoke",
    "GET /api/admin/teams",
    "POST /api/admin/teams",
    "PUT /api/admin/users/{id}/teams",
    "PUT /api/participants/{id}/team",
    "GET /api/admin/access-log",
    "GET /api/admin/access-log.csv",
];

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_every_answer_it_gives() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    app.add_user("sofie", Role::Staff, PASSWORD).await;
    app.add_admin("ada", PASSWORD).await;
    let callers = [
        ("no token", None),
        ("an advisor", Some(app.token("kari", PASSWORD).await)),
        ("staff", Some(app.token("sofie", PASSWORD).await)),
        ("an admin", Some(app.token("ada", PASSWORD).await)),
    ];

    let response = app.get("/api/openapi.json", None).await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.expect("json");
    assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3."));
    assert!(doc["components"]["schemas"]["LoginRequest"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");

    let mut described = Vec::new();
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            described.push((method.to_uppercase(), path.clone(), operation.clone()));
        }
    }
    let mut names: Vec<String> = described.iter().map(|(method, path, _)| format!("{method} {path}")).collect();
    let mut expected: Vec<String> = OPERATIONS.iter().map(|s| s.to_string()).collect();
    names.sort();
    expected.sort();
    assert_eq!(names, expected, "the document's operations are the router's");

    // Each operation is served (not the unknown-path answer, not 405) and
    // answers each kind of caller with a status its description lists, a
    // protected one refusing a request without a token with 401.
    // Logging out ends the callers' sessions: it goes last.
    described.sort_by_key(|(_, path, _)| path == "/api/auth/logout");
    let mut wrong = Vec::new();
    for (method, path, operation) in &described {
        let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
        let documented: Vec<&String> = operation["responses"].as_object().expect("responses").keys().collect();
        for (status, answer) in operation["responses"].as_object().expect("responses") {
            let json = &answer["content"]["application/json"];
            if status.starts_with('2') && json.is_object() && !json["schema"].is_object() {
                wrong.push(format!("{method} {path} answers {status} in JSON without saying its schema"));
            }
        }
        assert!(
            operation["summary"].is_string() || operation["description"].is_string(),
            "{method} {path}: no summary"
        );
        let url = app.url(&with_unknown_ids(path, operation));
        for (caller, token) in &callers {
            let mut request = app.http.request(method.parse().expect("method"), &url);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if method != "GET" {
                request = request.json(&serde_json::json!({}));
            }
            let answer = request.send().await.expect("request");
            let status = answer.status().as_u16();
            assert_ne!(status, 405, "{method} {path} is not routed");
            if secured && token.is_none() {
                assert_eq!(status, 401, "{method} {path} without a token");
            }
            if !documented.contains(&&status.to_string()) {
                wrong.push(format!("{method} {path} answers {caller} with {status}, not in {documented:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "answers the document does not describe:\n{}", wrong.join("\n"));
}

/// `path` with each path parameter replaced by a value of its type that
/// names nothing stored.
fn with_unknown_ids(path: &str, operation: &serde_json::Value) -> String {
    let mut path = path.to_owned();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        let name = parameter["name"].as_str().expect("a parameter name");
        let value = match (name, parameter["schema"]["type"].as_str()) {
            ("file", _) => "visits.csv".to_owned(),
            (_, Some("integer")) => "999999".to_owned(),
            _ => uuid::Uuid::from_u128(0xdead).to_string(),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    path
}
