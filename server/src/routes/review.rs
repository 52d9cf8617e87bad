//! Office staff's own changes to records:
//!
//! * `POST /api/documents/{id}/review`: review a visit or a piece of
//!   mentor feedback;
//! * `POST /api/documents/{id}/resolve`: choose which of two concurrent
//!   values of a field stands.
//!
//! Each is a change to the record's document like any other — made here
//! on the staff member's behalf, merged by the same writer and checked by
//! the same access rules and validation — so it syncs to every phone.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc, Value};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use innom_shared::access::Actor;
use innom_shared::api::{ErrorBody, ResolveRequest, ReviewRequest};
use innom_shared::document;
use innom_shared::records::{Review, ReviewState};
use innom_shared::sync::AnyRecord;
use innom_shared::sync::server::Pusher;
use innom_shared::sync::wire::RejectionCode;
use innom_shared::values::DocId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentStaff;
use crate::error::{ApiError, Json, Result};
use crate::state::AppState;
use crate::store::documents::{self, Author};
use crate::store::sessions::SessionUser;
use crate::sync;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(review_record)).routes(routes!(resolve_conflict))
}

/// Marks a visit or feedback reviewed or "needs more information", with a
/// comment. Answers with no content once the change is stored.
///
/// `state` is `reviewed`, `needs_more_info` or `unreviewed`;
/// `needs_more_info` is a question to the advisor and needs it in `comment`
/// (`422` naming `comment` otherwise). The review is written as an Automerge
/// change to the record (`review.state`, `reviewer`, `reviewer_name`,
/// `comment`) on the staff member's behalf, through the same merge and access
/// rules as a sync, so it reaches the advisor's phone on its next sync. The
/// advisor may make one review change herself: answering moves the record
/// from `needs_more_info` back to `unreviewed`, keeping who asked and what; on
/// a visit she adds her answer to the summary, on mentor feedback she writes
/// it in `review.answer`. A later `reviewed` keeps the answer; a new question
/// clears it.
#[utoipa::path(
    post,
    path = "/api/documents/{id}/review",
    tag = "office",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The visit's or feedback's record id")),
    request_body = ReviewRequest,
    responses(
        (status = 204, description = "Stored; it reaches the phones on their next sync"),
        (status = 400, description = "The change was refused", body = ErrorBody),
        (status = 422, description = "Not a valid review (a request for more information without a question)", body = ErrorBody),
        (status = 403, description = "Not office staff", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
        (status = 409, description = "Only visits and mentor feedback are reviewed", body = ErrorBody),
    )
)]
async fn review_record(
    State(state): State<AppState>,
    CurrentStaff(user): CurrentStaff,
    Path(id): Path<String>,
    Json(request): Json<ReviewRequest>,
) -> Result<StatusCode> {
    // "Needs more information" is a question to the advisor: without
    // words, the phone would show an empty one.
    if request.state == ReviewState::NeedsMoreInfo && request.comment.trim().is_empty() {
        return Err(ApiError::InvalidBody {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "comment: a request for more information needs the question as text".into(),
        });
    }
    let id = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let stored = documents::load(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    let mut doc = AutoCommit::load(&stored.save()).map_err(anyhow::Error::from)?;
    let heads = doc.get_heads();
    let asked = request.state != ReviewState::Unreviewed;
    // A new question starts without an answer; marking reviewed keeps the
    // answer that was given, as part of the record.
    let review = |answer: Option<String>| Review {
        state: request.state,
        reviewer: asked.then(|| user.username.clone()),
        reviewer_name: asked.then(|| user.display_name.clone()),
        comment: request.comment.trim().to_owned(),
        answer: answer.filter(|_| request.state == ReviewState::Reviewed),
    };
    match AnyRecord::read(doc.document()).map_err(anyhow::Error::from)? {
        AnyRecord::Visit(mut visit) => {
            visit.review = review(visit.review.answer.take());
            document::write(&mut doc, &visit).map_err(anyhow::Error::from)?;
        }
        AnyRecord::MentorFeedback(mut feedback) => {
            feedback.review = review(feedback.review.answer.take());
            document::write(&mut doc, &feedback).map_err(anyhow::Error::from)?;
        }
        _ => return Err(ApiError::Conflict("only visits and mentor feedback are reviewed".into())),
    }
    push_on_behalf(&state, &user, id, &mut doc, &heads).await?;
    tracing::info!(user = %user.username, record = %id, state = %request.state, "reviewed");
    Ok(StatusCode::NO_CONTENT)
}

/// Chooses the value that stands for a field two people changed
/// concurrently: writes it again, over every concurrent value, so all
/// devices converge on it. Answers with no content once stored.
///
/// `field` is the field's path as the history names it; `value` one of
/// its concurrent values there. `409` if the field has no conflict or not
/// that value. For office staff.
#[utoipa::path(
    post,
    path = "/api/documents/{id}/resolve",
    tag = "office",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The record's UUID")),
    request_body = ResolveRequest,
    responses(
        (status = 204, description = "The value stands; the change is stored"),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
        (status = 409, description = "The field has no conflict, or not that value", body = ErrorBody),
    )
)]
async fn resolve_conflict(
    State(state): State<AppState>,
    CurrentStaff(user): CurrentStaff,
    Path(id): Path<String>,
    Json(request): Json<ResolveRequest>,
) -> Result<StatusCode> {
    let id = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let stored = documents::load(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    let mut doc = AutoCommit::load(&stored.save()).map_err(anyhow::Error::from)?;
    let heads = doc.get_heads();
    // `review.state` is the field `state` of the map `review`.
    let (parent, key) = match request.field.split_once('.') {
        None => (automerge::ROOT, request.field.as_str()),
        Some((map, key)) => match doc.get(automerge::ROOT, map).map_err(anyhow::Error::from)? {
            Some((Value::Object(ObjType::Map), obj)) => (obj, key),
            _ => return Err(ApiError::NotFound),
        },
    };
    let values = doc.get_all(&parent, key).map_err(anyhow::Error::from)?;
    if values.len() < 2 {
        return Err(ApiError::Conflict(format!("{} has no concurrent values", request.field)));
    }
    // The chosen value is written back with its own Automerge type.
    let chosen = values.iter().find_map(|(value, _)| match value {
        Value::Scalar(scalar) if crate::history::scalar(scalar) == request.value => Some(scalar.clone().into_owned()),
        _ => None,
    });
    let Some(chosen) = chosen else {
        return Err(ApiError::Conflict(format!("{} has no such value", request.field)));
    };
    doc.put(&parent, key, chosen).map_err(anyhow::Error::from)?;
    push_on_behalf(&state, &user, id, &mut doc, &heads).await?;
    tracing::info!(user = %user.username, record = %id, field = %request.field, "conflict resolved");
    Ok(StatusCode::NO_CONTENT)
}

/// Pushes the changes made to `doc` since `heads` through the sync writer,
/// as `user`'s: the same merge, access rules and validation as a phone's.
async fn push_on_behalf(
    state: &AppState,
    user: &SessionUser,
    id: DocId,
    doc: &mut AutoCommit,
    heads: &[automerge::ChangeHash],
) -> Result<()> {
    let changes: Vec<Vec<u8>> = doc.get_changes(heads).iter().map(|c| c.raw_bytes().to_vec()).collect();
    let author = Author { user_id: Some(user.user_id), session_id: Some(user.session_id), mentor_session_id: None };
    let actor = Actor::Staff { username: user.username.clone() };
    let outcome = sync::push(&state.hub, vec![(id, changes)], author, Pusher::new(actor, user.scope.clone())).await?;
    match outcome.into_iter().next() {
        Some(Ok(_)) => Ok(()),
        Some(Err(rejection)) if rejection.code == RejectionCode::Forbidden => Err(ApiError::Forbidden),
        Some(Err(rejection)) => {
            Err(ApiError::InvalidBody { status: StatusCode::BAD_REQUEST, message: rejection.message })
        }
        None => Err(ApiError::Internal(anyhow::anyhow!("the writer gave no outcome"))),
    }
}
