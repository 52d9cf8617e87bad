//! Logging in and out, and asking who you are.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::USER_AGENT;
use innom_shared::api::{ErrorBody, LoginRequest, LoginResponse, Me};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentUser;
use crate::error::{ApiError, Json, Result};
use crate::state::AppState;
use crate::store::{sessions, users};
use crate::tokens;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout)).routes(routes!(me))
}

/// The longest device name kept; longer names are cut.
const DEVICE_NAME_MAX: usize = 100;

/// Logs in and creates a device session.
///
/// An unknown username and a wrong password get the same answer, after the
/// same amount of work.
#[utoipa::path(
    post,
    path = "/api/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; keep the token", body = LoginResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorBody),
    )
)]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    let username = request.username.trim().to_owned();
    if let Some(wait) = state.throttle.wait(&username, peer.ip()) {
        return Err(ApiError::TooManyAttempts { retry_after: wait.as_secs().max(1) });
    }
    let user = users::find_by_username(&state.db, &username).await?;
    let live_user = user.filter(|u| !u.disabled);
    let stored = live_user.as_ref().map(|u| u.password_hash.as_str());
    let matches = state.passwords.verify(stored, request.password).await?;
    let user = match live_user {
        Some(user) if matches => user,
        _ => {
            state.throttle.failed(&username, peer.ip());
            return Err(ApiError::InvalidCredentials);
        }
    };
    state.throttle.succeeded(&username);

    let device_name = request
        .device_name
        .or_else(|| headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| "unknown device".into());
    let device_name: String = device_name.trim().chars().take(DEVICE_NAME_MAX).collect();
    let token = tokens::generate();
    let session_id = sessions::create(&state.db, user.id, &tokens::hash(&token), &device_name).await?;
    tracing::info!(user = %user.username, session_id, "logged in");
    Ok(Json(LoginResponse { token, user: user.me() }))
}

/// Ends the caller's device session; its token stops working.
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "No live session", body = ErrorBody),
    )
)]
async fn logout(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<StatusCode> {
    sessions::revoke(&state.db, user.session_id).await?;
    tracing::info!(user = %user.username, session_id = user.session_id, "logged out");
    Ok(StatusCode::NO_CONTENT)
}

/// Who the bearer token belongs to.
#[utoipa::path(
    get,
    path = "/api/me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The logged-in user", body = Me),
        (status = 401, description = "No live session", body = ErrorBody),
    )
)]
async fn me(CurrentUser(user): CurrentUser) -> Json<Me> {
    Json(Me { username: user.username, display_name: user.display_name, role: user.role, is_admin: user.is_admin })
}
