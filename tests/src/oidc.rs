//! A real OpenID Connect provider for the API tests: `oidc-provider` (npm),
//! run by `tests/browser/oidc_provider.mjs` on 127.0.0.1, and a browser-like
//! client (cookies, no automatic redirects) that signs in through it.

use std::path::PathBuf;
use std::process::Stdio;

use reqwest::Url;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::TestApp;

/// The client id and secret Innom is registered with at the test provider.
pub const CLIENT_ID: &str = "innom";
pub const CLIENT_SECRET: &str = "innom-test-client-secret-7c1f";

/// The provider, stopped when dropped.
#[derive(Debug)]
pub struct TestProvider {
    pub issuer: String,
    /// A file holding the client secret, for `--oidc-client-secret-file`.
    pub secret_file: PathBuf,
    http: reqwest::Client,
    _child: Child,
    _folder: tempfile::TempDir,
}

impl TestProvider {
    /// Starts the provider with `users`: (username, password, name, groups).
    pub async fn start(users: &[(&str, &str, &str, &[&str])]) -> Self {
        Self::start_with(users, true).await
    }

    /// As [`start`](Self::start); `refresh_tokens` false makes a provider
    /// that issues none.
    pub async fn start_with(users: &[(&str, &str, &str, &[&str])], refresh_tokens: bool) -> Self {
        let users: serde_json::Map<String, serde_json::Value> = users
            .iter()
            .map(|(username, password, name, groups)| {
                ((*username).to_owned(), serde_json::json!({ "password": password, "name": name, "groups": groups }))
            })
            .collect();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser").join("oidc_provider.mjs");
        let mut child = Command::new("node")
            .arg(&script)
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_USERS", serde_json::Value::Object(users).to_string())
            .env("OIDC_NO_REFRESH", if refresh_tokens { "" } else { "1" })
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs tests/browser/oidc_provider.mjs (npm ci in tests/browser first)");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
            .await
            .expect("the provider starts within 30 s")
            .expect("reads")
            .expect("the provider prints its issuer");
        // Keep reading, so the provider never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let issuer = serde_json::from_str::<serde_json::Value>(&first).expect("JSON")["issuer"]
            .as_str()
            .expect("issuer")
            .to_owned();
        let folder = tempfile::tempdir().expect("folder");
        let secret_file = folder.path().join("client-secret");
        std::fs::write(&secret_file, format!("{CLIENT_SECRET}\n")).expect("writes");
        Self { issuer, secret_file, http: reqwest::Client::new(), _child: child, _folder: folder }
    }

    /// Sets the options that point `innom serve` at this provider.
    pub fn configure(&self, config: &mut innom_server::config::ServeConfig) {
        config.oidc.oidc_issuer = Some(self.issuer.clone());
        config.oidc.oidc_client_id = Some(CLIENT_ID.to_owned());
        config.oidc.oidc_client_secret_file = Some(self.secret_file.clone());
        config.oidc.oidc_name = Some("Testkommunen".to_owned());
    }

    /// From now on the provider refuses `username` (sign-ins and refreshes).
    pub async fn disable(&self, username: &str) {
        self.control(&format!("disable/{username}")).await;
    }

    /// The next ID token the provider issues is altered (`how`: see the script).
    pub async fn alter_next_token(&self, how: &str) {
        self.control(&format!("next-token/{how}")).await;
    }

    async fn control(&self, what: &str) {
        let response = self.http.post(format!("{}/__test/{what}", self.issuer)).send().await.expect("control");
        assert_eq!(response.status(), 204, "provider control {what}");
    }
}

/// A browser: keeps cookies, follows no redirect by itself.
#[derive(Debug, Clone)]
pub struct Browser {
    pub http: reqwest::Client,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self { http }
    }

    /// GETs `url` and follows redirects until one points at a URL starting
    /// with `stop_at` (returned, not followed) or a page answers 200 (its
    /// URL and body returned as `Err`).
    pub async fn follow(&self, url: &str, stop_at: &str) -> Result<String, (String, String)> {
        let mut url = Url::parse(url).expect("URL");
        for _ in 0..10 {
            let response = self.http.get(url.clone()).send().await.expect("request");
            let Some(location) = response.headers().get("location").and_then(|v| v.to_str().ok()) else {
                let body = response.text().await.unwrap_or_default();
                return Err((url.to_string(), body));
            };
            let next = url.join(location).expect("a location URL");
            if next.as_str().starts_with(stop_at) {
                return Ok(next.to_string());
            }
            url = next;
        }
        panic!("more than 10 redirects");
    }

    /// Posts a form and returns where the answer redirects to.
    pub async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> String {
        let response = self.http.post(url).form(form).send().await.expect("posts");
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let location = location.unwrap_or_else(|| panic!("no redirect from {url}"));
        Url::parse(url).expect("URL").join(&location).expect("location").to_string()
    }

    /// Starts a sign-in at `app` and logs in at the provider; returns the
    /// callback URL the provider sends the browser to (not yet followed).
    pub async fn sign_in_at_provider(&self, app: &TestApp, username: &str, password: &str) -> String {
        let login_page = self.provider_login_page(app, "phone").await;
        let resume =
            self.post_form(&format!("{login_page}/login"), &[("username", username), ("password", password)]).await;
        self.follow(&resume, &app.url("/api/auth/oidc/callback")).await.expect("the provider sends the browser back")
    }

    /// Starts a sign-in and cancels it at the provider; returns the callback URL.
    pub async fn cancel_at_provider(&self, app: &TestApp) -> String {
        let login_page = self.provider_login_page(app, "phone").await;
        let resume = self.post_form(&format!("{login_page}/abort"), &[]).await;
        self.follow(&resume, &app.url("/api/auth/oidc/callback")).await.expect("the provider sends the browser back")
    }

    /// The provider's login page a sign-in started at `app` reaches.
    pub async fn provider_login_page(&self, app: &TestApp, which: &str) -> String {
        let start = app.url(&format!("/api/auth/oidc/start?app={which}"));
        let (page, body) = self.follow(&start, &app.url("/")).await.expect_err("reaches the provider's login page");
        assert!(body.contains("Brukernavn"), "the provider's login page: {body}");
        page
    }

    /// Follows the provider's callback to the app; returns the fragment
    /// the app is given (`oidc=<code>` or `oidc-error=<code>`).
    pub async fn back_at_app(&self, app: &TestApp, callback: &str) -> String {
        let response = self.http.get(callback).send().await.expect("callback");
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().expect("text").to_owned();
        let (path, fragment) = location.split_once('#').expect("a fragment");
        assert!(path == "/logg-inn" || path == "/kontor/", "back at an app page: {location}");
        let _ = app;
        fragment.to_owned()
    }
}
