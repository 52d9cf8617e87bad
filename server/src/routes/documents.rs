//! `GET /api/documents/{id}`: what the server holds of one record — its
//! kind and heads — so a client or a person can check that a record
//! arrived without speaking the sync protocol; and
//! `GET /api/documents/{id}/history`, its change history for the office.

use axum::extract::{Path, State};
use innom_shared::api::{DocumentInfo, ErrorBody};
use innom_shared::values::DocId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{CurrentStaff, CurrentUser};
use crate::error::{ApiError, Json, Result};
use crate::history;
use crate::state::AppState;
use crate::store::{Db, documents, erasures};
use innom_shared::api::History;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(document_info)).routes(routes!(document_history))
}

/// The kind and current heads of one stored record.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    tag = "sync",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The record's UUID")),
    responses(
        (status = 200, description = "The record is stored", body = DocumentInfo),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
    )
)]
async fn document_info(
    State(db): State<Db>,
    CurrentUser(_user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<DocumentInfo>> {
    let id = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let doc = documents::load(&db, id).await?.ok_or(ApiError::NotFound)?;
    let kind = innom_shared::sync::merge::read_kind(&doc).map(|k| k.as_str().to_owned()).unwrap_or_default();
    let mut heads: Vec<String> = doc.get_heads().iter().map(ToString::to_string).collect();
    heads.sort();
    Ok(Json(DocumentInfo { id: id.to_string(), kind, heads }))
}

/// A record's history: each stored change with when, which account and
/// which device, and the fields it changed; and the fields that hold
/// concurrent values (two people wrote them at once).
#[utoipa::path(
    get,
    path = "/api/documents/{id}/history",
    tag = "sync",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The record's UUID")),
    responses(
        (status = 200, description = "The record's history", content_type = "application/json"),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
    )
)]
async fn document_history(
    State(db): State<Db>,
    CurrentStaff(_staff): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<History>> {
    let id = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let log = erasures::change_log(&db, id).await?;
    if log.is_empty() {
        return Err(ApiError::NotFound);
    }
    Ok(Json(history::replay(log)?))
}
