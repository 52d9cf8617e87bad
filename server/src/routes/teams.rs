//! Teams, for staff with the admin right: making teams and saying who is
//! in which. Which participants' records a person is sent follows from it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use innom_shared::api::{ErrorBody, NewTeam, ParticipantTeam, Role, TeamSummary, UserAccount, UserTeams};
use innom_shared::values::DocId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{CurrentAdmin, CurrentStaff};
use crate::error::{ApiError, Json, Result};
use crate::state::AppState;
use crate::store::documents::id_bytes_of;
use crate::store::teams::{self, TeamError};
use crate::store::users;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_teams, create_team))
        .routes(routes!(set_user_teams))
        .routes(routes!(hand_over))
}

/// What a team error means to the caller.
pub fn team_error(error: TeamError) -> ApiError {
    match error {
        TeamError::Exists(_) => ApiError::Conflict(error.to_string()),
        TeamError::Database(e) => e.into(),
        other => ApiError::InvalidBody { status: StatusCode::UNPROCESSABLE_ENTITY, message: other.to_string() },
    }
}

/// Every team, by name, with its members' usernames and how many
/// participants it holds.
#[utoipa::path(
    get,
    path = "/api/admin/teams",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The teams", body = Vec<TeamSummary>),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
    )
)]
async fn list_teams(State(state): State<AppState>, _admin: CurrentAdmin) -> Result<Json<Vec<TeamSummary>>> {
    Ok(Json(teams::list(&state.db).await?))
}

/// Makes a team. Its name is unique, case-insensitively.
#[utoipa::path(
    post,
    path = "/api/admin/teams",
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewTeam,
    responses(
        (status = 201, description = "The new team", body = TeamSummary),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
        (status = 409, description = "A team of that name exists", body = ErrorBody),
        (status = 422, description = "An empty name, or one longer than 100 characters", body = ErrorBody),
    )
)]
async fn create_team(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Json(request): Json<NewTeam>,
) -> Result<(StatusCode, Json<TeamSummary>)> {
    let team = teams::add(&state.db, &request.name).await.map_err(team_error)?;
    tracing::info!(admin = %admin.username, team = %team.name, "team added");
    Ok((StatusCode::CREATED, Json(team)))
}

/// Replaces an account's teams. An advisor is sent the records of their
/// teams' participants; staff with `all_teams` see every team, other staff
/// only theirs.
#[utoipa::path(
    put,
    path = "/api/admin/users/{id}/teams",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")),
    request_body = UserTeams,
    responses(
        (status = 200, description = "The account after the change", body = UserAccount),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "An unknown team, or an advisor without a team", body = ErrorBody),
    )
)]
async fn set_user_teams(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Path(id): Path<i64>,
    Json(request): Json<UserTeams>,
) -> Result<Json<UserAccount>> {
    let idle = state.session_idle.millis();
    let account = users::account(&state.db, id, idle).await?.ok_or(ApiError::NotFound)?;
    if account.role == Role::Advisor && request.teams.is_empty() {
        return Err(team_error(TeamError::AdvisorWithoutTeam("an advisor needs at least one team".into())));
    }
    let all_teams = account.role == Role::Staff && request.all_teams;
    teams::set_user_teams(&state.db, id, &request.teams, all_teams).await.map_err(team_error)?;
    state.hub.reload_teams().await?;
    tracing::info!(admin = %admin.username, user = %account.username, teams = ?request.teams, all_teams, "teams changed");
    Ok(Json(users::account(&state.db, id, idle).await?.ok_or(ApiError::NotFound)?))
}

/// Hands a participant over to another team and responsible advisor. At
/// their next sync the phones of the old team delete the participant's
/// records (an edit made offline there is sent first) and the new team's
/// phones receive them.
#[utoipa::path(
    put,
    path = "/api/participants/{id}/team",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's record id")),
    request_body = ParticipantTeam,
    responses(
        (status = 204, description = "Handed over"),
        (status = 403, description = "Not office staff", body = ErrorBody),
        (status = 404, description = "No such participant", body = ErrorBody),
        (status = 422, description = "An unknown team, or an advisor who is not an advisor in that team", body = ErrorBody),
    )
)]
async fn hand_over(
    State(state): State<AppState>,
    CurrentStaff(user): CurrentStaff,
    Path(id): Path<String>,
    Json(request): Json<ParticipantTeam>,
) -> Result<StatusCode> {
    let participant = DocId::parse(&id).ok_or(ApiError::NotFound)?;
    let unprocessable = |message: String| ApiError::InvalidBody { status: StatusCode::UNPROCESSABLE_ENTITY, message };
    let advisor = match &request.advisor {
        None => None,
        Some(username) => {
            let account = users::find_by_username(&state.db, username).await?;
            let in_team = match &account {
                Some(a) if a.role == Role::Advisor => teams::of_user(&state.db, a.id).await?.contains(&request.team),
                _ => false,
            };
            if !in_team {
                return Err(unprocessable(format!("{username:?} is not an advisor in team {}", request.team)));
            }
            account.map(|a| a.id)
        }
    };
    let moved =
        teams::hand_over(&state.db, &id_bytes_of(participant), request.team, advisor).await.map_err(team_error)?;
    if !moved {
        return Err(ApiError::NotFound);
    }
    state.hub.reload_teams().await?;
    tracing::info!(user = %user.username, %participant, team = request.team, "participant handed over");
    Ok(StatusCode::NO_CONTENT)
}
