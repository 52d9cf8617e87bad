//! Serving the built clients: precompressed files when the browser accepts
//! them, hashed assets cached for a year, `index.html` revalidated every
//! time, and `index.html` for every client route (`/besok/123`). The office
//! app and the mentor's app are bundles of their own, under `kontor/` and
//! `fadder/`, each with its own `index.html` for every route under
//! `/kontor` and `/fadder`.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

/// Where the office app is served, and its folder in the built client.
pub const OFFICE_PATH: &str = "/kontor";
const OFFICE_DIR: &str = "kontor";
/// Where mentor links point, and the mentor app's folder.
const MENTOR_PATH: &str = "/fadder";
const MENTOR_DIR: &str = "fadder";

/// Serves the single-page app in `dir`: its files, or its `index.html`.
fn single_page_app(dir: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
    ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index)
}

/// A router that serves `dir` for any path, the office app under
/// [`OFFICE_PATH`] and the mentor's app under [`MENTOR_PATH`].
pub fn router(dir: &Path) -> Router {
    Router::new()
        .nest_service(OFFICE_PATH, single_page_app(&dir.join(OFFICE_DIR)))
        .nest_service(MENTOR_PATH, single_page_app(&dir.join(MENTOR_DIR)))
        .fallback_service(single_page_app(dir))
        .layer(middleware::from_fn(cache_headers))
}

/// The `index.html` of each app in the built client, those that exist.
pub fn index_files(dir: &Path) -> Vec<String> {
    [dir.join("index.html"), dir.join(OFFICE_DIR).join("index.html"), dir.join(MENTOR_DIR).join("index.html")]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect()
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let policy = if hashed && !is_html && response.status().is_success() {
        // The name changes whenever the content does.
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Whether the last path segment carries a content hash the way Trunk
/// writes them: `name-<hex digits>[_bg].ext` (16 digits, fewer when the
/// hash starts with zeros).
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _ext)) = file.split_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn trunk_asset_names_are_recognised_as_hashed() {
        assert!(is_hashed_asset("/innom-client-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/innom-client-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/innom-client-7ff91e65faf270c_bg.wasm"));
    }

    #[test]
    fn plain_names_are_not_hashed() {
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/besok/not-a-hash-at-all"));
    }
}
