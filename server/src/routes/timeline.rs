//! The office's record views: `GET /api/placements/{id}/timeline`, one
//! placement and everything recorded about it in time order; and
//! `GET /api/workplaces/{id}/overview`.

use axum::extract::{Path, State};
use innom_shared::api::{ErrorBody, PlacementTimeline, WorkplaceOverview};
use innom_shared::values::DocId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access_log::{AccessLog, Channel};
use crate::auth::CurrentStaff;
use crate::error::{ApiError, Json, Result};
use crate::state::AppState;
use crate::store::Db;
use crate::timeline;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(placement_timeline)).routes(routes!(workplace_overview))
}

/// The placement, its visits and mentor feedback with their follow-ups and
/// reviews, and its phase, status and training-plan changes, oldest first.
///
/// Feedback carries the mentor's `ratings`; a visit or feedback with
/// values nobody has chosen between is `conflicted`. Advisors, authors and
/// reviewers are named by username and by name (`advisor_name`,
/// `author_name`, `reviewer_name`). For office staff.
#[utoipa::path(
    get,
    path = "/api/placements/{id}/timeline",
    tag = "office",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The placement's UUID")),
    responses(
        (status = 200, description = "The placement's timeline", body = PlacementTimeline),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff, or the placement's participant is not in the caller's teams", body = ErrorBody),
        (status = 404, description = "No such placement", body = ErrorBody),
    )
)]
async fn placement_timeline(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<PlacementTimeline>> {
    let id = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let timeline = timeline::of_placement(&state.db, id).await?.ok_or(ApiError::NotFound)?;
    state.hub.check_in_scope(&staff.scope, id)?;
    state.access_log.records(&staff.username, Channel::Office, [id]).await?;
    Ok(Json(timeline))
}

/// A workplace: contacts, mapping notes, hiring outlook and peak months,
/// and its placements, the newest first (for staff limited to teams:
/// their teams' placements).
#[utoipa::path(
    get,
    path = "/api/workplaces/{id}/overview",
    tag = "office",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The workplace's UUID")),
    responses(
        (status = 200, description = "The workplace's overview", body = WorkplaceOverview),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff", body = ErrorBody),
        (status = 404, description = "No such workplace", body = ErrorBody),
    )
)]
async fn workplace_overview(
    State(db): State<Db>,
    State(access_log): State<AccessLog>,
    CurrentStaff(staff): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<WorkplaceOverview>> {
    let id = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let teams = crate::store::teams::office_filter(&staff.scope);
    let overview = timeline::of_workplace(&db, id, teams).await?.ok_or(ApiError::NotFound)?;
    let placements = overview.placements.iter().filter_map(|p| DocId::parse(&p.placement));
    access_log.records(&staff.username, Channel::Office, placements).await?;
    Ok(Json(overview))
}
