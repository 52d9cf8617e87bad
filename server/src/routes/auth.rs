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
use crate::telemetry;
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
        (status = 403, description = "`password_login_off`: the server runs with `--password-login off`; sign in through the identity provider", body = ErrorBody),
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
    if !state.sign_in.password {
        return Err(ApiError::PasswordLoginOff);
    }
    let username = request.username.trim().to_owned();
    let forwarded_for = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let address = state.throttle.client_address(peer.ip(), forwarded_for);
    if let Some(wait) = state.throttle.wait(&username, address) {
        metrics::counter!(telemetry::LOGINS, "outcome" => "throttled").increment(1);
        return Err(ApiError::TooManyAttempts { retry_after: wait.as_secs().max(1) });
    }
    let user = users::find_by_username(&state.db, &username).await?;
    let live_user = user.filter(|u| !u.disabled);
    let stored = live_user.as_ref().map(|u| u.password_hash.as_str());
    let matches = state.passwords.verify(stored, request.password).await?;
    let user = match live_user {
        Some(user) if matches => user,
        _ => {
            state.throttle.failed(&username, address);
            metrics::counter!(telemetry::LOGINS, "outcome" => "failed").increment(1);
            return Err(ApiError::InvalidCredentials);
        }
    };
    state.throttle.succeeded(&username);
    let response = open_session(&state, &user, &headers, request.device_name, None).await?;
    metrics::counter!(telemetry::LOGINS, "outcome" => "ok").increment(1);
    Ok(Json(response))
}

/// Makes a device session for `user` (after a password or a sign-in at
/// the identity provider, whose refresh token it keeps) and logs it.
pub(crate) async fn open_session(
    state: &AppState,
    user: &users::User,
    headers: &HeaderMap,
    device_name: Option<String>,
    provider_refresh_token: Option<&str>,
) -> Result<LoginResponse> {
    let device_name = device_name
        .or_else(|| headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).map(device_label))
        .unwrap_or_else(|| "unknown device".into());
    let device_name: String = device_name.trim().chars().take(DEVICE_NAME_MAX).collect();
    let token = tokens::generate();
    let hash = tokens::hash(&token);
    let session_id = match provider_refresh_token {
        Some(refresh) => sessions::create_via_provider(&state.db, user.id, &hash, &device_name, refresh).await?,
        None => sessions::create(&state.db, user.id, &hash, &device_name).await?,
    };
    tracing::info!(user = %user.username, session_id, "logged in");
    Ok(LoginResponse { token, user: user.me() })
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

/// A short name for the device a browser runs on, such as "Chrome, Android",
/// for the admin's list of sessions. A full User-Agent is long and unreadable.
fn device_label(user_agent: &str) -> String {
    const BROWSERS: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("HeadlessChrome/", "Headless Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: &[(&str, &str)] = &[
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "Mac"),
        ("Linux", "Linux"),
    ];
    let find =
        |table: &[(&str, &'static str)]| table.iter().find(|(mark, _)| user_agent.contains(mark)).map(|(_, n)| *n);
    match (find(BROWSERS), find(SYSTEMS)) {
        (Some(browser), Some(system)) => format!("{browser}, {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) => user_agent.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::device_label;

    #[test]
    fn user_agents_become_short_device_names() {
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36";
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(android), "Chrome, Android");
        assert_eq!(device_label(iphone), "Safari, iPhone");
        assert_eq!(device_label("curl/8.5"), "curl/8.5");
    }
}
