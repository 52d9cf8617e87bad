//! Prometheus metrics, served at `GET /metrics` on their own address
//! (`--metrics-listen`), apart from the API. Without that option nothing is
//! recorded: the `metrics` macros then do nothing.
//!
//! The names, all documented in `docs/OPERATIONS.md`, are the constants
//! below; the stored totals and file sizes are read when scraped.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;

use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

use crate::store::Db;
use crate::sync::SyncHub;

/// Sync round trips, by `outcome`: `ok`, `refused` (a 4xx answer) or
/// `failed` (a 5xx answer).
pub const SYNCS: &str = "innom_syncs_total";
/// Pushed documents, by `outcome`: `accepted` or the rejection code.
pub const PUSHES: &str = "innom_pushed_documents_total";
/// Seconds from a sync request's arrival to its answer.
pub const SYNC_SECONDS: &str = "innom_sync_duration_seconds";
/// Pushes the writer stored in one transaction.
pub const WRITER_BATCH: &str = "innom_writer_batch_pushes";
/// Pushes waiting for the writer.
pub const WRITER_QUEUE: &str = "innom_writer_queue_depth";
/// Records stored.
pub const DOCUMENTS: &str = "innom_documents";
/// Changes in the change log.
pub const CHANGES: &str = "innom_changes";
/// Open `GET /api/events` streams.
pub const EVENT_STREAMS: &str = "innom_event_streams_open";
/// Logins, by `outcome`: `ok`, `failed` (wrong name or password, or a
/// disabled account) or `throttled`.
pub const LOGINS: &str = "innom_logins_total";
/// Size of the database file, and of its write-ahead log, in bytes.
pub const DATABASE_BYTES: &str = "innom_database_bytes";
pub const WAL_BYTES: &str = "innom_database_wal_bytes";

/// The process's one recorder: installed by the first server that serves
/// metrics, shared by any later one in the same process (the tests').
fn recorder() -> Result<PrometheusHandle, BuildError> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
    let pushes = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(SYNC_SECONDS.into()), &seconds)?
        .set_buckets_for_metric(Matcher::Full(WRITER_BATCH.into()), &pushes)?
        .install_recorder()?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}

#[derive(Clone)]
struct Scrape {
    handle: PrometheusHandle,
    db: Db,
    database: PathBuf,
}

/// Binds the metrics address; serve it with [`serve`].
pub async fn bind(addr: SocketAddr) -> anyhow::Result<(TcpListener, PrometheusHandle)> {
    let handle = recorder()?;
    let listener =
        TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("cannot listen for metrics on {addr}: {e}"))?;
    Ok((listener, handle))
}

/// Serves `GET /metrics` on `listener` until the server shuts down.
pub fn serve(listener: TcpListener, handle: PrometheusHandle, db: Db, database: PathBuf, hub: SyncHub) {
    let app = Router::new().route("/metrics", get(scrape)).with_state(Scrape { handle, db, database });
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(async move { hub.closed().await }).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    });
}

async fn scrape(State(scrape): State<Scrape>) -> impl IntoResponse {
    let count = |table: &'static str| {
        let db = scrape.db.clone();
        async move { sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db).await }
    };
    if let (Ok(documents), Ok(changes)) = (count("documents").await, count("changes").await) {
        metrics::gauge!(DOCUMENTS).set(documents as f64);
        metrics::gauge!(CHANGES).set(changes as f64);
    }
    let size = |suffix: &str| {
        let mut name = scrape.database.as_os_str().to_owned();
        name.push(suffix);
        std::fs::metadata(PathBuf::from(name)).map_or(0.0, |m| m.len() as f64)
    };
    metrics::gauge!(DATABASE_BYTES).set(size(""));
    metrics::gauge!(WAL_BYTES).set(size("-wal"));
    scrape.handle.run_upkeep();
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], scrape.handle.render())
}
