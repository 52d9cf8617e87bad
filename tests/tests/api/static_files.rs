use std::path::Path;

use innom_tests::{TestApp, spawn_app_serving};

const WASM: &str = "innom-client-0123456789abcdef_bg.wasm";
const JS: &str = "innom-client-0123456789abcdef.js";

/// A folder shaped like Trunk's `dist/`, with precompressed siblings.
fn fake_dist(dir: &Path) {
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Innom</title>").expect("write");
    std::fs::write(dir.join(WASM), b"\0asm\x01\0\0\0").expect("write");
    std::fs::write(dir.join(format!("{WASM}.br")), b"brotli bytes").expect("write");
    std::fs::write(dir.join(format!("{WASM}.gz")), b"gzip bytes").expect("write");
    std::fs::write(dir.join(JS), "export default 1;").expect("write");
}

async fn app_with_dist() -> (TestApp, tempfile::TempDir) {
    let dist = tempfile::tempdir().expect("dir");
    fake_dist(dist.path());
    (spawn_app_serving(Some(dist.path())).await, dist)
}

#[tokio::test]
async fn wasm_is_served_as_application_wasm_and_cached_as_immutable() {
    let (app, _dist) = app_with_dist().await;

    let response = app.get(&format!("/{WASM}"), None).await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(response.bytes().await.expect("body").as_ref(), b"\0asm\x01\0\0\0");
}

#[tokio::test]
async fn precompressed_brotli_and_gzip_are_served_when_accepted() {
    let (app, _dist) = app_with_dist().await;

    for (accept, encoding, body) in [("br, gzip", "br", "brotli bytes"), ("gzip", "gzip", "gzip bytes")] {
        let response =
            app.http.get(app.url(&format!("/{WASM}"))).header("accept-encoding", accept).send().await.expect("request");
        assert_eq!(response.headers()["content-encoding"], encoding);
        assert_eq!(response.headers()["content-type"], "application/wasm");
        assert_eq!(response.text().await.expect("body"), body);
    }
}

#[tokio::test]
async fn index_html_is_not_cached() {
    let (app, _dist) = app_with_dist().await;

    let response = app.get("/", None).await;

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(response.text().await.expect("body").contains("<title>Innom</title>"));
}

#[tokio::test]
async fn client_routes_fall_back_to_index_html() {
    let (app, _dist) = app_with_dist().await;

    for path in ["/logg-inn", "/arbeidsplasser/123", "/deep/client/route"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/html"));
        assert_eq!(response.headers()["cache-control"], "no-cache");
    }
}

#[tokio::test]
async fn api_routes_are_not_swallowed_by_the_client_fallback() {
    let (app, _dist) = app_with_dist().await;

    let response = app.get("/api/does-not-exist", None).await;

    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn responses_carry_nosniff_and_no_referrer() {
    let (app, _dist) = app_with_dist().await;

    let response = app.get(&format!("/{JS}"), None).await;

    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn the_office_and_mentor_apps_have_their_own_index_for_every_route_under_them_and_their_start_scripts_are_allowed()
 {
    use base64::Engine as _;
    use sha2::Digest as _;

    let dist = tempfile::tempdir().expect("dir");
    fake_dist(dist.path());
    let apps = [
        ("kontor", "Innom kontor", "startOffice()", ["/kontor", "/kontor/", "/kontor/praksis/123", "/kontor/tall"]),
        ("fadder", "Innom fadder", "startMentor()", ["/fadder", "/fadder/", "/fadder/x", "/fadder/a/b"]),
    ];
    for (dir, title, script, _) in &apps {
        std::fs::create_dir(dist.path().join(dir)).expect("dir");
        let page = format!("<!doctype html><title>{title}</title><script>{script}</script>");
        std::fs::write(dist.path().join(dir).join("index.html"), page).expect("write");
    }
    let app = spawn_app_serving(Some(dist.path())).await;

    for (_, title, script, paths) in &apps {
        let allowed = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()))
        );
        for path in paths {
            let response = app.get(path, None).await;
            assert_eq!(response.status(), 200, "{path}");
            let csp = response.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
            assert!(response.text().await.expect("body").contains(title), "{path}");
            assert!(csp.contains(&allowed), "{path}: {csp}");
        }
    }
    let phone = app.get("/besok/ny", None).await.text().await.expect("body");
    assert!(
        !phone.contains("kontor") && !phone.contains("fadder"),
        "the phone app's routes keep the phone app's index"
    );
}
