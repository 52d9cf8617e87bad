//! Signing in through the municipality's identity provider (OpenID
//! Connect), and which ways of logging in are open. The flow is in
//! `crate::oidc`; these routes carry it over HTTP.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{COOKIE, HOST, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use innom_shared::api::{ErrorBody, FinishSignIn, LoginMethods, LoginResponse};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, Json, Result};
use crate::oidc::{App, Oidc, SignInError};
use crate::state::{AppState, SignIn};
use crate::store::users;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(methods))
        .routes(routes!(start))
        .routes(routes!(callback))
        .routes(routes!(finish))
}

/// The cookie that ties a sign-in to the browser that started it, so an
/// answer from the provider cannot be planted in someone else's browser.
const COOKIE_NAME: &str = "innom_sign_in";
/// Where the provider sends the browser back to.
const CALLBACK_PATH: &str = "/api/auth/oidc/callback";

/// How advisors and staff may log in: with a password, through the
/// identity provider, or both. Asked by the login page; needs no session.
#[utoipa::path(
    get,
    path = "/api/auth/methods",
    tag = "auth",
    responses((status = 200, description = "The open ways to log in", body = LoginMethods))
)]
async fn methods(State(state): State<AppState>) -> Json<LoginMethods> {
    Json(LoginMethods {
        password: state.sign_in.password,
        provider: state.sign_in.provider.as_ref().map(|p| p.name().to_owned()),
    })
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct StartQuery {
    /// The app that signs in and gets the answer: `phone` (sent back to
    /// `/logg-inn`) or `office` (sent back to `/kontor/`).
    app: Option<String>,
}

/// Starts a sign-in at the identity provider: open this in the browser
/// (a top-level navigation, not a fetch). The answer is `303 See Other`
/// to the provider's authorization endpoint (code flow with PKCE, `state`
/// and `nonce`) with a cookie binding the sign-in to this browser for ten
/// minutes. If the provider cannot be reached, the browser is sent back to
/// the app with `#oidc-error=provider_unreachable`.
#[utoipa::path(
    get,
    path = "/api/auth/oidc/start",
    tag = "auth",
    params(StartQuery),
    responses(
        (status = 303, description = "To the provider's sign-in page, or back to the app with `#oidc-error=<code>`"),
        (status = 400, description = "`app` is not `phone` or `office`", body = ErrorBody),
        (status = 404, description = "No identity provider is set up (`--oidc-issuer`)", body = ErrorBody),
    )
)]
async fn start(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<StartQuery>,
) -> Result<Response> {
    let provider = state.sign_in.provider.as_ref().ok_or(ApiError::NotFound)?;
    let app = match query.app.as_deref() {
        None => App::Phone,
        Some(text) => App::parse(text).ok_or_else(|| ApiError::InvalidBody {
            status: StatusCode::BAD_REQUEST,
            message: format!("app must be phone or office, not {text:?}"),
        })?,
    };
    let base = public_base(&state.sign_in, &headers, peer)?;
    match provider.begin(app, format!("{base}{CALLBACK_PATH}")).await {
        Ok(started) => {
            let secure = if base.starts_with("https:") { "; Secure" } else { "" };
            let cookie = format!(
                "{COOKIE_NAME}={}; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600{secure}",
                started.browser_cookie
            );
            Ok(see_other(&started.url, Some(cookie)))
        }
        Err(error) => {
            error.log();
            Ok(back_to_app(app, Err(&error)))
        }
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
struct CallbackQuery {
    /// The authorization code (on success).
    code: Option<String>,
    /// The `state` the sign-in was started with.
    state: Option<String>,
    /// The provider's error code (`access_denied` when cancelled).
    error: Option<String>,
    error_description: Option<String>,
}

// The code is a credential for a moment: keep it out of debug output.
impl std::fmt::Debug for CallbackQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackQuery").field("error", &self.error).finish_non_exhaustive()
    }
}

/// Where the provider sends the browser back (the redirect URI to
/// register: `<public-url>/api/auth/oidc/callback`). The server checks the
/// `state` and the browser's cookie, exchanges the code for the ID token
/// and checks that token (signature against the provider's keys, issuer,
/// audience, expiry, nonce), then finds the account. The browser is sent
/// to the app — `/logg-inn` or `/kontor/` — with `#oidc=<one-time code>`
/// (trade it with `POST /api/auth/oidc/finish` within a minute), or with
/// `#oidc-error=<code>`: `provider_unreachable`, `not_allowed` (no such
/// account, disabled, or no group gives a role), `clock_skew` (the token's
/// times do not fit the server's clock), `cancelled` (at the provider), or
/// `failed` (anything else: unknown or used `state`, another browser, a
/// token that fails its checks). Each failure is logged with its cause.
#[utoipa::path(
    get,
    path = "/api/auth/oidc/callback",
    tag = "auth",
    params(CallbackQuery),
    responses(
        (status = 303, description = "Back to the app with `#oidc=<code>` or `#oidc-error=<code>`"),
        (status = 404, description = "No identity provider is set up", body = ErrorBody),
    )
)]
async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Result<Response> {
    let provider = state.sign_in.provider.as_ref().ok_or(ApiError::NotFound)?;
    let cookie = browser_cookie(&headers);
    let app = cookie.and_then(|c| c.split_once('.')).and_then(|(app, _)| App::parse(app)).unwrap_or(App::Phone);
    let outcome = signed_in(&state, provider, &query, cookie).await;
    if let Err(error) = &outcome {
        error.log();
    }
    let mut response = back_to_app(app, outcome.as_deref());
    // The cookie has done its work.
    let clear = format!("{COOKIE_NAME}=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&clear) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}

/// The one-time code for the app, once the provider's answer checks out.
async fn signed_in(
    state: &AppState,
    provider: &Oidc,
    query: &CallbackQuery,
    cookie: Option<&str>,
) -> std::result::Result<String, SignInError> {
    let sign_in_state =
        query.state.as_deref().ok_or_else(|| SignInError::Refused("the provider's answer has no state".into()))?;
    if let Some(error) = &query.error {
        provider.abandon(sign_in_state);
        let description = query.error_description.as_deref().unwrap_or("");
        return Err(match error.as_str() {
            "access_denied" => SignInError::Cancelled,
            "temporarily_unavailable" | "server_error" => {
                SignInError::Unreachable(format!("the provider answered {error}: {description}"))
            }
            _ => SignInError::Refused(format!("the provider answered {error}: {description}")),
        });
    }
    let code = query.code.as_deref().ok_or_else(|| SignInError::Refused("the provider's answer has no code".into()))?;
    let verified = provider.finish(sign_in_state, code, cookie).await?;
    let user_id = provider.claim_rules().account(&state.db, &verified.claims).await?;
    Ok(provider.hand_off(user_id, verified.refresh_token))
}

/// Trades the one-time code from the sign-in (`#oidc=<code>` in the app's
/// URL) for a device session, as `POST /api/auth/login` gives. The code
/// works once, for a minute.
#[utoipa::path(
    post,
    path = "/api/auth/oidc/finish",
    tag = "auth",
    request_body = FinishSignIn,
    responses(
        (status = 200, description = "Signed in; keep the token", body = LoginResponse),
        (status = 401, description = "`sign_in_code_refused`: unknown, used or expired code, or the account was disabled meanwhile", body = ErrorBody),
        (status = 404, description = "No identity provider is set up", body = ErrorBody),
    )
)]
async fn finish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(request): Json<FinishSignIn>,
) -> Result<Json<LoginResponse>> {
    let provider = state.sign_in.provider.as_ref().ok_or(ApiError::NotFound)?;
    let handoff = provider.redeem(request.code.trim()).ok_or(ApiError::SignInCodeRefused)?;
    let user = users::find_by_id(&state.db, handoff.user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or(ApiError::SignInCodeRefused)?;
    // Without a refresh token (the provider gave none) the session is an
    // ordinary one: there is nothing to ask the provider with later.
    let refresh = handoff.refresh_token.as_deref();
    let response = super::auth::open_session(&state, &user, &headers, request.device_name, refresh).await?;
    metrics::counter!(crate::telemetry::LOGINS, "outcome" => "ok").increment(1);
    Ok(Json(response))
}

/// Innom's own address as the browser sees it: `--public-url`, or the
/// request's `Host` (with `X-Forwarded-Proto` from a trusted proxy).
fn public_base(sign_in: &SignIn, headers: &HeaderMap, peer: SocketAddr) -> Result<String> {
    if let Some(url) = &sign_in.public_url {
        return Ok(url.clone());
    }
    let host = headers.get(HOST).and_then(|h| h.to_str().ok()).ok_or_else(|| ApiError::InvalidBody {
        status: StatusCode::BAD_REQUEST,
        message: "the request has no Host header; set --public-url".into(),
    })?;
    let forwarded = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|_| sign_in.trusted_proxies.contains(&peer.ip()))
        .filter(|p| matches!(*p, "http" | "https"));
    let scheme = forwarded.unwrap_or(if sign_in.over_tls { "https" } else { "http" });
    Ok(format!("{scheme}://{host}"))
}

/// The value of the sign-in cookie, if the browser sent one.
fn browser_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
}

/// Sends the browser to its app with the outcome in the fragment, which
/// the browser never sends to a server.
fn back_to_app(app: App, outcome: std::result::Result<&str, &SignInError>) -> Response {
    let fragment = match outcome {
        Ok(code) => format!("oidc={code}"),
        Err(error) => format!("oidc-error={}", error.code()),
    };
    see_other(&format!("{}#{fragment}", app.path()), None)
}

fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_in(public_url: Option<&str>, over_tls: bool) -> SignIn {
        SignIn {
            password: true,
            provider: None,
            public_url: public_url.map(str::to_owned),
            over_tls,
            trusted_proxies: vec!["127.0.0.1".parse().expect("address")],
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_str(value).expect("value"));
        }
        headers
    }

    #[test]
    fn the_redirect_uri_base_is_the_public_url_or_the_host_with_a_trusted_proxys_scheme() {
        let proxy: SocketAddr = "127.0.0.1:5000".parse().expect("address");
        let stranger: SocketAddr = "10.0.0.9:5000".parse().expect("address");
        let forwarded = headers(&[("host", "innom.kommune.no"), ("x-forwarded-proto", "https")]);
        let configured = sign_in(Some("https://innom.example"), false);
        assert_eq!(public_base(&configured, &forwarded, stranger).expect("base"), "https://innom.example");
        let from_host = sign_in(None, false);
        assert_eq!(public_base(&from_host, &forwarded, proxy).expect("base"), "https://innom.kommune.no");
        assert_eq!(
            public_base(&from_host, &forwarded, stranger).expect("base"),
            "http://innom.kommune.no",
            "X-Forwarded-Proto from anyone but a trusted proxy is ignored"
        );
        let plain = headers(&[("host", "innom.kommune.no:8443")]);
        assert_eq!(public_base(&sign_in(None, true), &plain, stranger).expect("base"), "https://innom.kommune.no:8443");
        assert!(public_base(&from_host, &HeaderMap::new(), stranger).is_err(), "no Host, no public URL");
    }

    #[test]
    fn the_sign_in_cookie_is_found_among_others() {
        let two = headers(&[("cookie", "a=1; innom_sign_in=office.abc"), ("cookie", "b=2")]);
        assert_eq!(browser_cookie(&two), Some("office.abc"));
        assert_eq!(browser_cookie(&headers(&[("cookie", "innom_sign_in_x=1")])), None);
    }
}
