//! User administration, for staff with the admin right: accounts (create,
//! disable, enable, role, admin right, password reset) and each account's
//! device sessions (list, revoke, revoke and wipe).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use innom_shared::api::{
    DeviceSession, ErrorBody, MIN_PASSWORD_CHARS, NewUser, PasswordReset, RevokeSession, Role, UserAccount, UserChange,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentAdmin;
use crate::error::{ApiError, Json, Result};
use crate::state::AppState;
use crate::store::sessions;
use crate::store::teams::Membership;
use crate::store::users::{self, AddUserError};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(change_user))
        .routes(routes!(reset_password))
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError::InvalidBody { status: StatusCode::UNPROCESSABLE_ENTITY, message: message.into() }
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(bad_request(format!("the password must have at least {MIN_PASSWORD_CHARS} characters")));
    }
    Ok(())
}

/// Every account, with its number of working device sessions.
#[utoipa::path(
    get,
    path = "/api/admin/users",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All accounts", body = Vec<UserAccount>),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
    )
)]
async fn list_users(State(state): State<AppState>, _admin: CurrentAdmin) -> Result<Json<Vec<UserAccount>>> {
    Ok(Json(users::list(&state.db, state.session_idle.millis()).await?))
}

/// Adds an account.
#[utoipa::path(
    post,
    path = "/api/admin/users",
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewUser,
    responses(
        (status = 201, description = "The new account", body = UserAccount),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 422, description = "Empty name, short password, admin right for an advisor, an unknown team, or no team for an advisor when there are several", body = ErrorBody),
    )
)]
async fn create_user(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Json(request): Json<NewUser>,
) -> Result<(StatusCode, Json<UserAccount>)> {
    let username = request.username.trim();
    if username.is_empty() || username.contains(char::is_whitespace) || username.chars().count() > 64 {
        return Err(bad_request("the username must be one word of at most 64 characters"));
    }
    let display_name = request.display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(bad_request("the name must have 1 to 100 characters"));
    }
    // With passwords switched off, an account may be made without one: the
    // person signs in through the identity provider.
    let without_password = !state.sign_in.password && request.password.is_empty();
    if !without_password {
        check_password(&request.password)?;
    }
    if request.is_admin && request.role != Role::Staff {
        return Err(bad_request("only staff can have the admin right"));
    }
    let hash = if without_password {
        crate::oidc::accounts::NO_PASSWORD.to_owned()
    } else {
        state.passwords.hash(request.password).await?
    };
    let membership = Membership::Teams(request.teams);
    let role = (request.role, request.is_admin);
    let id = match users::add(&state.db, username, display_name, role, &hash, &membership).await {
        Ok(id) => id,
        Err(AddUserError::Exists(_)) => {
            return Err(ApiError::Conflict(format!("a user named {username:?} already exists")));
        }
        Err(AddUserError::Teams(e)) => return Err(super::teams::team_error(e)),
        Err(AddUserError::Database(e)) => return Err(e.into()),
    };
    state.hub.reload_teams().await?;
    tracing::info!(admin = %admin.username, user = %username, "user added");
    let account = users::account(&state.db, id, state.session_idle.millis()).await?.ok_or(ApiError::NotFound)?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Changes an account's role or admin right, or disables or enables it.
/// Disabling ends all its sessions at once. Admins cannot lock themselves
/// out: they can neither disable themselves nor drop their own admin right.
#[utoipa::path(
    patch,
    path = "/api/admin/users/{id}",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")),
    request_body = UserChange,
    responses(
        (status = 200, description = "The account after the change", body = UserAccount),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "A change that would lock the admin out, or admin right for an advisor", body = ErrorBody),
    )
)]
async fn change_user(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Path(id): Path<i64>,
    Json(change): Json<UserChange>,
) -> Result<Json<UserAccount>> {
    let idle = state.session_idle.millis();
    let current = users::account(&state.db, id, idle).await?.ok_or(ApiError::NotFound)?;
    let is_self = id == admin.user_id;
    if is_self
        && (change.disabled == Some(true) || change.is_admin == Some(false) || change.role == Some(Role::Advisor))
    {
        return Err(bad_request("you cannot disable yourself or take away your own admin right"));
    }
    let role = change.role.unwrap_or(current.role);
    if change.is_admin.unwrap_or(current.is_admin) && role != Role::Staff {
        return Err(bad_request("only staff can have the admin right"));
    }
    if let Some(role) = change.role {
        users::set_role(&state.db, id, role).await?;
    }
    if let Some(is_admin) = change.is_admin {
        users::set_admin(&state.db, id, is_admin).await?;
    }
    if let Some(disabled) = change.disabled {
        users::set_disabled(&state.db, id, disabled).await?;
    }
    tracing::info!(admin = %admin.username, user = %current.username, ?change, "user changed");
    Ok(Json(users::account(&state.db, id, idle).await?.ok_or(ApiError::NotFound)?))
}

/// Sets a new password and ends the account's sessions; its phones keep
/// their unsynced work and ask for the new password.
#[utoipa::path(
    post,
    path = "/api/admin/users/{id}/password",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")),
    request_body = PasswordReset,
    responses(
        (status = 204, description = "Password set, sessions ended"),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "Password too short", body = ErrorBody),
    )
)]
async fn reset_password(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Path(id): Path<i64>,
    Json(request): Json<PasswordReset>,
) -> Result<StatusCode> {
    check_password(&request.password)?;
    let hash = state.passwords.hash(request.password).await?;
    if !users::set_password_hash(&state.db, id, &hash).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(admin = %admin.username, user_id = id, "password reset");
    Ok(StatusCode::NO_CONTENT)
}

/// An account's device sessions, most recently used first.
#[utoipa::path(
    get,
    path = "/api/admin/users/{id}/sessions",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The account's sessions", body = Vec<DeviceSession>),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
    )
)]
async fn list_sessions(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> Result<Json<Vec<DeviceSession>>> {
    let idle = state.session_idle.millis();
    users::account(&state.db, id, idle).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(sessions::list_for_user(&state.db, id, idle).await?))
}

/// Ends a device session at once. With `wipe`, the phone is told to delete
/// its local data the next time it reaches the server; whatever it had not
/// synced by then is refused, since its token no longer works.
#[utoipa::path(
    post,
    path = "/api/admin/sessions/{id}/revoke",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The session's id")),
    request_body = RevokeSession,
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
        (status = 404, description = "No such session", body = ErrorBody),
    )
)]
async fn revoke_session(
    State(state): State<AppState>,
    CurrentAdmin(admin): CurrentAdmin,
    Path(id): Path<i64>,
    Json(request): Json<RevokeSession>,
) -> Result<StatusCode> {
    let user = sessions::revoke_with(&state.db, id, request.wipe).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(admin = %admin.username, session_id = id, user_id = user, wipe = request.wipe, "session revoked");
    Ok(StatusCode::NO_CONTENT)
}
