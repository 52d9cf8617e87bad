//! `GET /api/documents/{id}`: what the server holds of one record — its
//! kind and heads — so a client or a person can check that a record
//! arrived without speaking the sync protocol; and
//! `GET /api/documents/{id}/history`, its change history for the office.

use axum::extract::{Path, State};
use innom_shared::api::{DocumentInfo, ErrorBody};
use innom_shared::values::DocId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access_log::Channel;
use crate::auth::{CurrentStaff, CurrentUser};
use crate::error::{ApiError, Json, Result};
use crate::history;
use crate::state::AppState;
use crate::store::{Db, documents, erasures, names};
use innom_shared::api::History;
use innom_shared::sync::AnyRecord;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(document_info)).routes(routes!(document_history))
}

/// The kind and current heads of one stored record; for a caller limited
/// to teams, only of a record in their scope (need to know).
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    tag = "sync",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The record's UUID")),
    responses(
        (status = 200, description = "The record is stored", body = DocumentInfo),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "The record is not for the caller's teams", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
    )
)]
async fn document_info(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<DocumentInfo>> {
    let id = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let doc = documents::load(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    state.hub.check_in_scope(&user.scope, id)?;
    let kind = innom_shared::sync::merge::read_kind(&doc).map(|k| k.as_str().to_owned()).unwrap_or_default();
    let mut heads: Vec<String> = doc.get_heads().iter().map(ToString::to_string).collect();
    heads.sort();
    Ok(Json(DocumentInfo { id: id.to_string(), kind, heads }))
}

/// A record's history: each stored change with when, which account and
/// which device, and the fields it changed; and the fields that hold
/// concurrent values (two people wrote them at once).
///
/// Changes are oldest first, each field with its new value (`review.state`
/// and the like one level down). `conflicts` holds the fields two devices set
/// concurrently, with every value, until someone writes the field again
/// (see `POST /api/documents/{id}/resolve`); `kind` and `title` say what the
/// record is, by names; `names` gives the names of the records its values
/// point to, by id. For office staff.
#[utoipa::path(
    get,
    path = "/api/documents/{id}/history",
    tag = "sync",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The record's UUID")),
    responses(
        (status = 200, description = "The record's history", body = History),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff, or the record is not for the caller's teams", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
    )
)]
async fn document_history(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<History>> {
    let id = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let db = &state.db;
    let log = erasures::change_log(db, id).await?;
    if log.is_empty() {
        return Err(ApiError::NotFound);
    }
    state.hub.check_in_scope(&staff.scope, id)?;
    state.access_log.records(&staff.username, Channel::Office, [id]).await?;
    let mut history = history::replay(log)?;
    for referenced in history::referenced_ids(&history) {
        if let Some(name) = names::of_record(db, referenced).await? {
            history.names.insert(referenced.to_string(), name);
        }
    }
    if let Some(doc) = documents::load(db, id).await? {
        let record = AnyRecord::read(&doc).map_err(anyhow::Error::from)?;
        history.kind = record.kind().as_str().to_owned();
        history.title = title(db, &record).await?;
    }
    Ok(Json(history))
}

/// What a record is, by names: the heading of its history.
async fn title(db: &Db, record: &AnyRecord) -> anyhow::Result<String> {
    let name = async |id: DocId| Ok::<_, anyhow::Error>(names::of_record(db, id).await?.unwrap_or_default());
    let parts = match record {
        AnyRecord::Workplace(w) => vec![w.name.clone()],
        AnyRecord::Participant(p) => vec![p.display_name.clone()],
        AnyRecord::Placement(p) => vec![name(p.participant).await?, name(p.workplace).await?],
        AnyRecord::Visit(v) => {
            let mut parts = vec![name(v.workplace).await?];
            for placement in &v.placements {
                parts.push(name(*placement).await?);
            }
            parts
        }
        AnyRecord::MentorFeedback(f) => vec![name(f.placement).await?, f.mentor_name.clone()],
    };
    Ok(parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · "))
}
