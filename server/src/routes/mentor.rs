//! Mentor links: advisors and staff make, list and revoke them on a
//! placement of their teams' participants; a mentor's phone trades a link's secret for a mentor session
//! and reads the little it needs to give feedback.
//!
//! The secret travels in the link's fragment, which browsers never send,
//! and reaches the server only in a POST body that is never logged.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use innom_shared::api::{
    ErrorBody, MentorLink, MentorLinkCreated, MentorSessionCreated, MentorSessionRequest, MentorTask, MentorView,
    NewMentorLink,
};
use innom_shared::document;
use innom_shared::records::{Participant, Placement, Workplace};
use innom_shared::values::DocId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{CurrentMentor, CurrentUser};
use crate::error::{ApiError, Json, Result};
use crate::state::AppState;
use crate::store::mentor_links::{self, MentorSession};
use crate::store::{Db, documents, now_millis, users};
use crate::sync::SyncHub;
use crate::tokens;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_link, list_links))
        .routes(routes!(revoke_link))
        .routes(routes!(open_session))
        .routes(routes!(mentor_placement))
}

/// How long a link outlives its placement's planned end, by default.
const DAYS_AFTER_PLANNED_END: i64 = 30;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The stored placement with this id, or 404.
async fn placement(db: &Db, id: &str) -> Result<Placement> {
    let id = DocId::parse(id).ok_or(ApiError::NotFound)?;
    let doc = documents::load(db, id).await?.ok_or(ApiError::NotFound)?;
    document::read(&doc).map_err(|_| ApiError::NotFound)
}

/// Makes a mentor link for a placement. The secret is in the answer once.
#[utoipa::path(
    post,
    path = "/api/placements/{id}/mentor-links",
    tag = "mentor",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The placement's UUID")),
    request_body = NewMentorLink,
    responses(
        (status = 201, description = "The link; put the secret in its fragment", body = MentorLinkCreated),
        (status = 400, description = "An expiry in the past", body = ErrorBody),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "The placement's participant is not in one of your teams", body = ErrorBody),
        (status = 404, description = "No such placement", body = ErrorBody),
    )
)]
async fn create_link(
    State(db): State<Db>,
    State(hub): State<SyncHub>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Json(request): Json<NewMentorLink>,
) -> Result<(StatusCode, Json<MentorLinkCreated>)> {
    let placement = placement(&db, &id).await?;
    hub.check_in_scope(&user.scope, placement.id)?;
    // The end of the planned end's day, in UTC, plus the grace period.
    let planned_end = placement.planned_end.0.midnight().assume_utc().unix_timestamp() * 1000;
    let expires_at = request.expires_at.unwrap_or(planned_end + (DAYS_AFTER_PLANNED_END + 1) * DAY_MS);
    if expires_at <= now_millis() {
        return Err(ApiError::InvalidBody {
            status: StatusCode::BAD_REQUEST,
            message: "the link would have expired already; choose a later expiry".into(),
        });
    }
    let secret = tokens::generate();
    let link = mentor_links::create(&db, placement.id, &tokens::hash(&secret), user.user_id, expires_at).await?;
    tracing::info!(user = %user.username, placement = %placement.id, link = link.id, "mentor link made");
    Ok((StatusCode::CREATED, Json(MentorLinkCreated { link, secret })))
}

/// Lists a placement's mentor links with their state, newest first.
#[utoipa::path(
    get,
    path = "/api/placements/{id}/mentor-links",
    tag = "mentor",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The placement's UUID")),
    responses(
        (status = 200, description = "The links", body = Vec<MentorLink>),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "The placement's participant is not in one of your teams", body = ErrorBody),
        (status = 404, description = "No such placement", body = ErrorBody),
    )
)]
async fn list_links(
    State(db): State<Db>,
    State(hub): State<SyncHub>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<MentorLink>>> {
    let placement = placement(&db, &id).await?;
    hub.check_in_scope(&user.scope, placement.id)?;
    Ok(Json(mentor_links::for_placement(&db, placement.id).await?))
}

/// Revokes a mentor link: it and every session made from it stop working.
#[utoipa::path(
    post,
    path = "/api/placements/{id}/mentor-links/{link}/revoke",
    tag = "mentor",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The placement's UUID"),
        ("link" = i64, Path, description = "The link's id"),
    ),
    responses(
        (status = 204, description = "Revoked (or already revoked)"),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "The placement's participant is not in one of your teams", body = ErrorBody),
        (status = 404, description = "No such link on this placement", body = ErrorBody),
    )
)]
async fn revoke_link(
    State(db): State<Db>,
    State(hub): State<SyncHub>,
    CurrentUser(user): CurrentUser,
    Path((id, link)): Path<(String, i64)>,
) -> Result<StatusCode> {
    let placement = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    hub.check_in_scope(&user.scope, placement)?;
    if !mentor_links::revoke(&db, placement, link).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(user = %user.username, %placement, link, "mentor link revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// Trades a mentor link's secret for a mentor session.
///
/// An unknown, expired or revoked link gets the same 410 answer.
#[utoipa::path(
    post,
    path = "/api/mentor/session",
    tag = "mentor",
    request_body = MentorSessionRequest,
    responses(
        (status = 200, description = "A mentor session for the link's placement", body = MentorSessionCreated),
        (status = 410, description = "The link does not work (any more)", body = ErrorBody),
    )
)]
async fn open_session(
    State(db): State<Db>,
    Json(request): Json<MentorSessionRequest>,
) -> Result<Json<MentorSessionCreated>> {
    let token = tokens::generate();
    let session = mentor_links::open_session(&db, &tokens::hash(request.secret.trim()), &tokens::hash(&token))
        .await?
        .ok_or(ApiError::LinkNotWorking)?;
    tracing::info!(link = session.link_id, mentor_session = session.session_id, "mentor link opened");
    let view = view(&db, &session).await?;
    Ok(Json(MentorSessionCreated { token, view }))
}

/// What the mentor sees of their placement.
#[utoipa::path(
    get,
    path = "/api/mentor/placement",
    tag = "mentor",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The mentor's view of the placement", body = MentorView),
        (status = 401, description = "No live mentor session", body = ErrorBody),
    )
)]
async fn mentor_placement(State(db): State<Db>, CurrentMentor(session): CurrentMentor) -> Result<Json<MentorView>> {
    Ok(Json(view(&db, &session).await?))
}

/// Only what feedback needs: the participant's first name, the workplace,
/// the phase and its tasks. Nothing else of the records leaves the server.
async fn view(db: &Db, session: &MentorSession) -> Result<MentorView> {
    let placement = placement(db, &session.placement.to_string()).await?;
    let participant = match documents::load(db, placement.participant).await? {
        Some(doc) => document::read::<Participant>(&doc).ok().map(|p| p.first_name().to_owned()),
        None => None,
    };
    let workplace = match documents::load(db, placement.workplace).await? {
        Some(doc) => document::read::<Workplace>(&doc).ok().map(|w| w.name),
        None => None,
    };
    // The advisor by name: a mentor knows people, not usernames.
    let advisor_name = users::find_by_username(db, &placement.advisor)
        .await?
        .map_or_else(|| placement.advisor.clone(), |user| user.display_name);
    let tasks = placement
        .tasks_in_phase(placement.phase)
        .map(|t| MentorTask { id: t.id.clone(), text: t.text.clone(), mastered: t.mastered })
        .collect();
    Ok(MentorView {
        placement: placement.id,
        participant_first_name: participant.unwrap_or_default(),
        workplace_name: workplace.unwrap_or_default(),
        mentor_name: placement.mentor.name.clone(),
        advisor_name,
        phase: placement.phase,
        tasks,
        identity: session.identity(),
        expires_at: session.expires_at,
    })
}
