//! Privacy: export everything held about a participant, and erase it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use innom_shared::api::ErrorBody;
use innom_shared::values::DocId;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access_log::Channel;
use crate::auth::{CurrentAdmin, CurrentStaff};
use crate::error::{ApiError, Json, Result};
use crate::state::AppState;
use crate::store::erasures::ChangeEntry;
use crate::store::{documents, erasures, now_millis};
use crate::sync;

/// `GET /api/participants/{id}/export`: everything held about one person.
#[derive(Debug, Serialize, ToSchema)]
struct ParticipantExport {
    /// The participant's record id.
    participant: String,
    /// When the export was made (ms since the epoch).
    exported_at: i64,
    /// The staff member who made it.
    exported_by: String,
    /// The participant's record, their placements, the visits about those
    /// placements and the mentors' feedback on them.
    records: Vec<ExportedRecord>,
}

/// One record in a participant's export.
#[derive(Debug, Serialize, ToSchema)]
struct ExportedRecord {
    id: String,
    /// `participant`, `placement`, `visit` or `mentor_feedback`.
    kind: String,
    /// The record as stored (see `/api/schema/records.json`).
    #[schema(value_type = Object)]
    content: Value,
    /// Its stored changes, oldest first.
    history: Vec<ChangeEntry>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_participant)).routes(routes!(erase_participant))
}

fn participant_id(id: &str) -> Result<DocId> {
    DocId::parse(id).ok_or(ApiError::NotFound)
}

/// Everything held about one participant, as JSON: each record's content
/// and its change history (when, which account, which device).
#[utoipa::path(
    get,
    path = "/api/participants/{id}/export",
    tag = "privacy",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's record id")),
    responses(
        (status = 200, description = "Everything held about the participant", body = ParticipantExport),
        (status = 403, description = "Not office staff, or the participant is not in the caller's teams", body = ErrorBody),
        (status = 404, description = "No such participant", body = ErrorBody),
    )
)]
async fn export_participant(
    State(state): State<AppState>,
    CurrentStaff(user): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<ParticipantExport>> {
    let participant = participant_id(&id)?;
    let records = erasures::records_about(&state.db, participant).await?.ok_or(ApiError::NotFound)?;
    state.hub.check_in_scope(&user.scope, participant)?;
    let mut exported = Vec::with_capacity(records.len());
    for (id, record) in &records {
        let Some(doc) = documents::load(&state.db, *id).await? else { continue };
        exported.push(ExportedRecord {
            id: id.to_string(),
            kind: record.kind().as_str().to_owned(),
            content: serde_json::to_value(automerge::AutoSerde::from(&doc)).map_err(anyhow::Error::from)?,
            history: erasures::history(&state.db, *id).await?,
        });
    }
    state.access_log.participants(&user.username, Channel::Export, [participant]).await?;
    tracing::info!(user = %user.username, %participant, "participant exported");
    Ok(Json(ParticipantExport {
        participant: participant.to_string(),
        exported_at: now_millis(),
        exported_by: user.username,
        records: exported,
    }))
}

/// Erases a participant for good: their record, placements, the visits
/// about those placements and the mentors' feedback, with all change
/// history and mentor links. The database file is cleaned, phones are told
/// to drop their copies, and a phone that was offline cannot push them back.
#[utoipa::path(
    post,
    path = "/api/participants/{id}/erase",
    tag = "privacy",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's record id")),
    responses(
        (status = 200, description = "The ids of the erased records", body = Vec<String>),
        (status = 403, description = "Not staff with the admin right, or the participant is not in the caller's teams", body = ErrorBody),
        (status = 404, description = "No such participant", body = ErrorBody),
    )
)]
async fn erase_participant(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Vec<String>>)> {
    let participant = participant_id(&id)?;
    state.hub.check_in_scope(&admin.scope, participant)?;
    let erased = sync::erase_participant(&state.hub, participant, admin.user_id).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(admin = %admin.username, %participant, records = erased.len(), "erased on request");
    Ok((StatusCode::OK, Json(erased.iter().map(ToString::to_string).collect())))
}
