//! The test harness: [`spawn_app`] starts the real server (the same
//! `Application` that `innom serve` runs) on port 0 with a fresh SQLite
//! file in a temporary folder, and returns typed helpers to talk to it.
//!
//! Set `TEST_LOG` (a filter such as `debug` or `innom_server=trace`) to see
//! the server's log while a test runs; without it the tests stay quiet.
//!
//! [`fixtures`] builds valid records. API tests live in `tests/api/`; browser tests, which drive the built
//! client in headless Chromium, live in `browser/`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Once;

use innom_server::config::{DatabaseArg, ServeConfig};
use innom_server::startup::Application;
use innom_server::store::{self, Db};
use innom_shared::api::{LoginResponse, Role};
use innom_shared::sync::DeviceSync;
use innom_shared::sync::wire::{MEDIA_TYPE, SyncRequest, SyncResponse, content_digest};
use tempfile::TempDir;

pub mod test_ca;
use tokio::sync::oneshot;

pub mod bench;
pub mod oidc;

pub use innom_shared::fixtures;

/// The password every test account is made with.
pub const PASSWORD: &str = "correct horse battery";

/// The record id numbered `n` (`00000000-0000-0000-0000-0000000000nn`):
/// ids a test can read.
pub fn id(n: u128) -> innom_shared::values::DocId {
    innom_shared::values::DocId(uuid::Uuid::from_u128(n))
}

/// The `error` code of a JSON error answer, after checking that its
/// `message` says something.
pub async fn error_code(response: reqwest::Response) -> String {
    let body: serde_json::Value = response.json().await.expect("a JSON error");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body["error"].as_str().unwrap_or_default().to_owned()
}

/// The usual world of records, with readable ids: a participant (1), a
/// workplace (2), a placement of theirs there until 2030-06-30 (10) and a
/// visit about it (20).
pub mod world {
    pub const PARTICIPANT: u128 = 1;
    pub const WORKPLACE: u128 = 2;
    pub const PLACEMENT: u128 = 10;
    pub const VISIT: u128 = 20;
}

/// A new device holding [`world`]'s records, made by `kari` and not yet sent.
pub fn usual_world() -> DeviceSync {
    use innom_shared::fixtures::{participant, placement, visit, workplace};
    use world::{PARTICIPANT, PLACEMENT, VISIT, WORKPLACE};
    let mut phone = DeviceSync::default();
    phone.add_record(id(PARTICIPANT), &participant(id(PARTICIPANT)));
    phone.add_record(id(WORKPLACE), &workplace(id(WORKPLACE)));
    phone.add_record(id(PLACEMENT), &placement(id(PLACEMENT), id(PARTICIPANT), id(WORKPLACE), "2030-06-30"));
    let about = innom_shared::records::Visit { placements: vec![id(PLACEMENT)], ..visit(id(VISIT)) };
    phone.add_record(id(VISIT), &about);
    phone
}

/// A test's device makes records as the phone does.
pub trait AddRecord {
    /// Stores `record` as a new document `id`, not yet sent.
    fn add_record<R: innom_shared::records::Record>(&mut self, id: innom_shared::values::DocId, record: &R);
}

impl AddRecord for DeviceSync {
    fn add_record<R: innom_shared::records::Record>(&mut self, id: innom_shared::values::DocId, record: &R) {
        self.insert_local(id, innom_shared::document::create(record).expect("a valid record"));
    }
}

/// A running server with its own database.
#[derive(Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` when the
    /// server serves TLS.
    pub address: String,
    /// A pool on the same SQLite file, for looking behind the API.
    pub db: Db,
    /// The database file.
    pub database: PathBuf,
    /// `http://127.0.0.1:PORT` of the metrics, when asked for.
    pub metrics: Option<String>,
    /// `http://localhost:PORT` of the plain-HTTP redirect, when asked for.
    pub redirect: Option<String>,
    /// The running server's writer and change feed, for storing records
    /// as the server itself does (demo data).
    pub hub: innom_server::sync::SyncHub,
    pub http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    _folder: TempDir,
}

/// Starts the server with only the API.
/// `doc` with its record changed by `change`, as a new change.
pub fn edited<R: innom_shared::records::Record>(
    mut doc: automerge::AutoCommit,
    change: impl FnOnce(&mut R),
) -> automerge::AutoCommit {
    let mut record: R = innom_shared::document::read(&doc).expect("valid");
    change(&mut record);
    innom_shared::document::write(&mut doc, &record).expect("reconcile");
    doc
}

pub async fn spawn_app() -> TestApp {
    spawn_app_serving(None).await
}

/// Starts the server, serving the client files in `static_dir` if given.
pub async fn spawn_app_serving(static_dir: Option<&Path>) -> TestApp {
    spawn_app_with(|config| config.static_dir = static_dir.map(Path::to_owned)).await
}

/// Sends the server's log to the test's output when `TEST_LOG` is set; once
/// per test binary, as a subscriber can be set only once.
fn log_if_asked() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("TEST_LOG") {
            tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .init();
        }
    });
}

/// Starts the server with the defaults of `innom serve`, changed by `adjust`.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut ServeConfig)) -> TestApp {
    log_if_asked();
    let folder = tempfile::tempdir().expect("temporary folder");
    let database = folder.path().join("data").join("innom.sqlite");
    let mut config = ServeConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database: DatabaseArg { database: database.clone() },
        static_dir: None,
        demo: false,
        request_timeout: 30,
        session_idle_days: 30,
        phone_retention_months: 6,
        access_log_days: 365,
        metrics_listen: None,
        tls_cert: None,
        tls_key: None,
        redirect_listen: None,
        trusted_proxy: Vec::new(),
        password_login: innom_server::config::Switch::On,
        public_url: None,
        oidc: innom_server::config::OidcArgs::default(),
    };
    adjust(&mut config);
    let app = Application::build(config).await.expect("the server starts");
    // The test certificates name localhost.
    let address = match app.scheme() {
        "https" => format!("https://localhost:{}", app.port()),
        _ => format!("http://127.0.0.1:{}", app.port()),
    };
    let metrics = app.metrics_addr().map(|addr| format!("http://{addr}"));
    let redirect = app.redirect_addr().map(|addr| format!("http://localhost:{}", addr.port()));
    let db = app.db().clone();
    let hub = app.hub().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { address, db, database, metrics, redirect, hub, http, stop: Some(stop), _folder: folder }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl TestApp {
    /// The full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Adds an account directly in the database.
    pub async fn add_user(&self, username: &str, role: Role, password: &str) {
        self.add_account(username, role, false, password).await;
    }

    /// The usual cast: adds the advisor `kari` and the office's `sofie`,
    /// both with `password`, and logs each in once. Returns their tokens.
    pub async fn kari_and_sofie(&self, password: &str) -> (String, String) {
        self.add_user("kari", Role::Advisor, password).await;
        self.add_user("sofie", Role::Staff, password).await;
        (self.token("kari", password).await, self.token("sofie", password).await)
    }

    /// Adds a staff account with the admin right.
    pub async fn add_admin(&self, username: &str, password: &str) {
        self.add_account(username, Role::Staff, true, password).await;
    }

    async fn add_account(&self, username: &str, role: Role, is_admin: bool, password: &str) {
        let passwords = innom_server::passwords::Passwords::new().expect("hasher");
        let hash = passwords.hash(password.into()).await.expect("hash");
        let membership = store::teams::Membership::Default;
        store::users::add(&self.db, username, &format!("{username} display"), (role, is_admin), &hash, &membership)
            .await
            .expect("add user");
    }

    /// `POST /api/auth/login` with the given credentials.
    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.http
            .post(self.url("/api/auth/login"))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request")
    }

    /// Logs in and returns the bearer token; panics if the login fails.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let response = self.login(username, password).await;
        assert_eq!(response.status(), 200, "login should succeed");
        response.json::<LoginResponse>().await.expect("login body").token
    }

    /// `GET` with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// Any method with a JSON body and a bearer token.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> reqwest::Response {
        self.http.request(method, self.url(path)).bearer_auth(token).json(&body).send().await.expect("request")
    }

    /// `POST` of a JSON body with a bearer token.
    pub async fn post_json(&self, path: &str, token: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http.post(self.url(path)).bearer_auth(token).json(body).send().await.expect("request")
    }
}

/// The rows of `documents` and `changes`, for comparing before and after.
pub type Dump = (Vec<(Vec<u8>, String, Vec<u8>, Vec<u8>)>, Vec<(i64, Vec<u8>, Vec<u8>, Vec<u8>)>);

impl TestApp {
    /// `POST /api/sync` with a raw body and the given `Content-Digest`.
    pub async fn sync_raw(&self, token: &str, body: Vec<u8>, digest: Option<&str>) -> reqwest::Response {
        let mut request = self.http.post(self.url("/api/sync")).bearer_auth(token).header("content-type", MEDIA_TYPE);
        if let Some(digest) = digest {
            request = request.header("content-digest", digest);
        }
        request.body(body).send().await.expect("request")
    }

    /// One sync round trip; panics unless the server answers 200.
    pub async fn sync(&self, token: &str, request: &SyncRequest) -> SyncResponse {
        let body = request.encode();
        let digest = content_digest(&body);
        let response = self.sync_raw(token, body, Some(&digest)).await;
        assert_eq!(response.status(), 200, "sync failed: {:?}", response.text().await);
        SyncResponse::decode(&response.bytes().await.expect("body")).expect("a valid response")
    }

    /// Pushes one document from a new device with `token`; returns the
    /// rejection's code, if it was refused.
    pub async fn push_document(
        &self,
        token: &str,
        doc_id: innom_shared::values::DocId,
        doc: automerge::AutoCommit,
    ) -> Option<innom_shared::sync::wire::RejectionCode> {
        let mut device = DeviceSync::default();
        device.insert_local(doc_id, doc);
        let reply = self.sync(token, &device.request()).await;
        let result =
            reply.results.iter().find(|r| innom_shared::sync::wire::doc_id(&r.id) == doc_id).expect("a result");
        result.rejection.as_ref().map(|r| r.code)
    }

    /// Syncs a device until the server says there is no more, and the
    /// device has nothing left that it held back.
    pub async fn sync_device(&self, token: &str, device: &mut DeviceSync) -> SyncResponse {
        loop {
            let request = device.request();
            let response = self.sync(token, &request).await;
            device.receive(&response).expect("the device applies the reply");
            if !response.more && !device.held_back {
                return response;
            }
        }
    }

    /// Every row of the document tables.
    pub async fn dump(&self) -> Dump {
        let documents = sqlx::query_as("SELECT id, kind, snapshot, heads FROM documents ORDER BY id")
            .fetch_all(&self.db)
            .await
            .expect("documents");
        let changes = sqlx::query_as("SELECT seq, doc_id, hash, bytes FROM changes ORDER BY seq")
            .fetch_all(&self.db)
            .await
            .expect("changes");
        (documents, changes)
    }
}
