//! `GET /api/schema/records.json`: the JSON Schema of the records a client
//! syncs, generated from the record types (`innom_shared::schema`).

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(records_schema))
}

/// The JSON Schema (draft 2020-12) of each record kind's Automerge
/// document, with `x-automerge` saying which Automerge value each value is.
/// Needs no login: it describes the format, not anyone's data.
#[utoipa::path(
    get,
    path = "/api/schema/records.json",
    tag = "sync",
    responses(
        (status = 200, description = "The schema", content_type = "application/schema+json", body = Object),
    )
)]
async fn records_schema() -> impl IntoResponse {
    let body = serde_json::to_vec_pretty(innom_shared::schema::records()).unwrap_or_default();
    ([(CONTENT_TYPE, "application/schema+json")], body)
}
