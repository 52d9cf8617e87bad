//! Headers that tell the browser what the page may do: the
//! Content-Security-Policy, no framing, no MIME sniffing, no referrer, and
//! HSTS over HTTPS (served by Innom itself, or by a TLS proxy in front).

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// The header values, worked out once at start.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    csp: Arc<HeaderValue>,
    /// Innom serves TLS itself: every response is over HTTPS.
    over_tls: bool,
}

impl SecurityHeaders {
    /// The policy for the clients in `static_dir`. Trunk starts each app's
    /// wasm with one inline module script; those are allowed by their
    /// hashes, so the policy needs no `'unsafe-inline'`.
    pub fn for_client(static_dir: Option<&Path>, over_tls: bool) -> Self {
        let pages = static_dir.map(crate::static_files::index_files).unwrap_or_default();
        let hashes: Vec<String> = pages.iter().flat_map(|page| inline_script_hashes(page)).collect();
        let csp = content_security_policy(&hashes);
        Self {
            csp: Arc::new(
                HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'")),
            ),
            over_tls,
        }
    }
}

/// The Content-Security-Policy, with `'sha256-…'` sources for inline scripts.
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push_str(&format!(" 'sha256-{hash}'"));
    }
    [
        "default-src 'self'".to_owned(),
        format!("script-src {script_src}"),
        "style-src 'self'".to_owned(),
        // The QR code is an inline SVG element, not an image; data: is for
        // icons the manifest may inline.
        "img-src 'self' data:".to_owned(),
        "connect-src 'self'".to_owned(),
        "worker-src 'self'".to_owned(),
        "manifest-src 'self'".to_owned(),
        "object-src 'none'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'self'".to_owned(),
        "frame-ancestors 'none'".to_owned(),
    ]
    .join("; ")
}

/// Base64 SHA-256 of every inline `<script>` body in `html`, as CSP
/// wants them: over the exact text between the tags.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(tag_end) = after_tag.find('>') else { break };
        let tag = &after_tag[..tag_end];
        let body_and_rest = &after_tag[tag_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else { break };
        if !tag.contains(" src=") {
            hashes.push(STANDARD.encode(Sha256::digest(&body_and_rest.as_bytes()[..close])));
        }
        rest = &body_and_rest[close..];
    }
    hashes
}

/// Adds the headers to every response.
pub async fn add(State(headers): State<SecurityHeaders>, request: Request, next: Next) -> Response {
    let over_tls = headers.over_tls || forwarded_over_tls(request.headers());
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    out.insert(CONTENT_SECURITY_POLICY, headers.csp.as_ref().clone());
    out.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    out.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    out.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if over_tls {
        out.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

/// Without `--tls-cert` Innom serves plain HTTP and expects a TLS proxy in
/// front of it in production; the proxy says so with
/// `X-Forwarded-Proto: https`. Browsers
/// ignore HSTS received over plain HTTP, so trusting the header is harmless.
fn forwarded_over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').next().is_some_and(|first| first.trim().eq_ignore_ascii_case("https")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_and_skips_external_ones() {
        let html = r#"<script src="/a.js"></script><script type="module">alert(1)</script>"#;
        let expected = STANDARD.encode(Sha256::digest(b"alert(1)"));
        assert_eq!(inline_script_hashes(html), vec![expected]);
    }

    #[test]
    fn the_policy_allows_no_inline_code_or_eval_and_no_framing() {
        let csp = content_security_policy(&["abc".into()]);
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{csp}");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    }

    #[test]
    fn hsts_only_behind_a_tls_proxy() {
        let mut headers = HeaderMap::new();
        assert!(!forwarded_over_tls(&headers));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("http"));
        assert!(!forwarded_over_tls(&headers));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https, http"));
        assert!(forwarded_over_tls(&headers));
    }
}
