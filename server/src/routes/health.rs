//! `GET /api/health`: is the server up, and does the database answer?
//! `GET /api/health/ready`: can it take writes (for a load balancer)?

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use innom_shared::api::Health;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Json;
use crate::state::AppState;
use crate::store::Db;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(ready))
}

/// Reports the server version and whether the database answers.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "system",
    responses(
        (status = 200, description = "Everything answers", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
async fn health(State(db): State<Db>) -> (StatusCode, Json<Health>) {
    let ping = sqlx::query_scalar!(r#"SELECT 1 AS "one!: i64""#).fetch_one(&db);
    let database_ok = matches!(tokio::time::timeout(CHECK_WAIT, ping).await, Ok(Ok(1)));
    answer(database_ok, ("ok", "ok"), ("degraded", "unavailable"))
}

/// How long a check waits for the database.
const CHECK_WAIT: Duration = Duration::from_secs(2);

/// `200` with the `(status, database)` words of a passed check, or `503`
/// with those of a failed one.
fn answer(passed: bool, ok: (&str, &str), failed: (&str, &str)) -> (StatusCode, Json<Health>) {
    let ((status, database), code) =
        if passed { (ok, StatusCode::OK) } else { (failed, StatusCode::SERVICE_UNAVAILABLE) };
    let health = Health { status: status.into(), version: env!("CARGO_PKG_VERSION").into(), database: database.into() };
    (code, Json(health))
}

/// Reports whether the server can take work: the database accepts a write.
///
/// For a load balancer's or an orchestrator's readiness check; the write
/// changes nothing. `/api/health` says only whether the server is alive.
#[utoipa::path(
    get,
    path = "/api/health/ready",
    tag = "system",
    responses(
        (status = 200, description = "The database takes writes", body = Health),
        (status = 503, description = "The database cannot be written", body = Health),
    )
)]
async fn ready(State(db): State<Db>) -> (StatusCode, Json<Health>) {
    let write = sqlx::query("UPDATE log_identity SET log = log").execute(&db);
    let writable = matches!(tokio::time::timeout(CHECK_WAIT, write).await, Ok(Ok(_)));
    answer(writable, ("ok", "writable"), ("not ready", "not writable"))
}
