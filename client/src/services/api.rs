//! One typed function per API endpoint, using the bodies from `shared`.

use gloo::net::http::{Request, RequestBuilder, Response};
use innom_shared::api::{
    DeviceSession, ErrorBody, LoginRequest, LoginResponse, Me, MentorLink, MentorLinkCreated, MentorSessionCreated,
    MentorSessionRequest, MentorView, NewMentorLink, NewTeam, NewUser, PasswordReset, RevokeSession, TeamSummary,
    UserAccount, UserChange, UserTeams,
};
use innom_shared::sync::wire::{self, SyncRequest, SyncResponse};
use innom_shared::values::DocId;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::json;

/// Why an API call failed.
#[derive(Debug)]
pub enum ApiError {
    /// No answer: offline, or the server is down.
    Network(gloo::net::Error),
    /// The token is not (or no longer) valid.
    Unauthorized(ErrorBody),
    /// The server answered with another error.
    Server { status: u16, body: Option<ErrorBody> },
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Network(e) => write!(f, "no answer from the server: {e}"),
            Self::Unauthorized(body) => write!(f, "not authorised: {}", body.message),
            Self::Server { status, body: Some(body) } => write!(f, "server error {status}: {}", body.message),
            Self::Server { status, body: None } => write!(f, "server error {status}"),
        }
    }
}

impl From<gloo::net::Error> for ApiError {
    fn from(e: gloo::net::Error) -> Self {
        Self::Network(e)
    }
}

pub(crate) async fn error_from(response: Response) -> ApiError {
    let status = response.status();
    let body = response.text().await.ok().and_then(|text| json::from_str::<ErrorBody>(&text).ok());
    match (status, body) {
        (401, Some(body)) => ApiError::Unauthorized(body),
        (status, body) => ApiError::Server { status, body },
    }
}

/// A way to get a device session.
#[derive(Debug)]
pub enum Login {
    /// `POST /api/auth/login`.
    Password(LoginRequest),
    /// `POST /api/auth/oidc/finish`: the code a sign-in at the identity
    /// provider left in the page's address.
    SignInCode(String),
}

/// Logs in; both ways answer a [`LoginResponse`].
pub async fn login(login: Login) -> Result<LoginResponse, ApiError> {
    let request = match login {
        Login::Password(request) => with_json(Request::post("/api/auth/login"), &request)?,
        // The code is the server's URL-safe base64 (nothing to escape in
        // JSON); anything else is not a code it gave.
        Login::SignInCode(code) => {
            let code: String = code.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect();
            Request::post("/api/auth/oidc/finish")
                .header("Content-Type", "application/json")
                .body(format!("{{\"code\":\"{code}\"}}"))?
        }
    };
    read(request.send().await?).await
}

/// `GET /api/auth/methods`: whether passwords are open, and the identity
/// provider's name if sign-in through one is. `None` when the server does
/// not answer. Read field by field from the browser's JSON, which costs
/// the phone's download less than a serde type.
pub async fn login_methods() -> Option<(bool, Option<String>)> {
    let response = Request::get("/api/auth/methods").send().await.ok().filter(Response::ok)?;
    let body = js_sys::JSON::parse(&response.text().await.ok()?).ok()?;
    let field = |name: &str| js_sys::Reflect::get(&body, &name.into()).ok();
    Some((field("password")?.as_bool() != Some(false), field("provider").and_then(|p| p.as_string())))
}

/// `POST /api/auth/logout`.
pub async fn logout(token: &str) -> Result<(), ApiError> {
    let response = Request::post("/api/auth/logout").header("Authorization", &format!("Bearer {token}")).send().await?;
    if response.ok() { Ok(()) } else { Err(error_from(response).await) }
}

/// `GET /api/me`.
pub async fn me(token: &str) -> Result<Me, ApiError> {
    let response = Request::get("/api/me").header("Authorization", &format!("Bearer {token}")).send().await?;
    read(response).await
}

/// `POST /api/sync`: one round trip of the sync protocol (docs/SYNC.md).
pub async fn sync(token: &str, request: &SyncRequest) -> Result<SyncResponse, ApiError> {
    let body = request.encode();
    let response = Request::post("/api/sync")
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", wire::MEDIA_TYPE)
        .header("Content-Digest", &wire::content_digest(&body))
        .body(js_sys::Uint8Array::from(body.as_slice()))?
        .send()
        .await?;
    if !response.ok() {
        return Err(error_from(response).await);
    }
    let bytes = response.binary().await?;
    SyncResponse::decode(&bytes).map_err(|e| ApiError::Server {
        status: 200,
        body: Some(ErrorBody { error: "invalid_response".into(), message: e.to_string() }),
    })
}

/// `POST /api/mentor/session`: trades a mentor link's secret for a session.
pub async fn open_mentor_session(secret: &str) -> Result<MentorSessionCreated, ApiError> {
    let request = MentorSessionRequest { secret: secret.to_owned() };
    let response = with_json(Request::post("/api/mentor/session"), &request)?.send().await?;
    read(response).await
}

/// `GET /api/mentor/placement`: what the mentor sees of their placement.
pub async fn mentor_placement(token: &str) -> Result<MentorView, ApiError> {
    let response =
        Request::get("/api/mentor/placement").header("Authorization", &format!("Bearer {token}")).send().await?;
    read(response).await
}

/// `POST /api/placements/{id}/mentor-links`: a new link, with its secret.
pub async fn create_mentor_link(token: &str, placement: DocId) -> Result<MentorLinkCreated, ApiError> {
    let request =
        Request::post(&format!("/api/placements/{placement}/mentor-links")).header("Authorization", &bearer(token));
    let response = with_json(request, &NewMentorLink::default())?.send().await?;
    read(response).await
}

/// `GET /api/placements/{id}/mentor-links`.
pub async fn mentor_links(token: &str, placement: DocId) -> Result<Vec<MentorLink>, ApiError> {
    let response = Request::get(&format!("/api/placements/{placement}/mentor-links"))
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await?;
    read(response).await
}

/// `POST /api/placements/{id}/mentor-links/{link}/revoke`.
pub async fn revoke_mentor_link(token: &str, placement: DocId, link: i64) -> Result<(), ApiError> {
    let response = Request::post(&format!("/api/placements/{placement}/mentor-links/{link}/revoke"))
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await?;
    if response.ok() { Ok(()) } else { Err(error_from(response).await) }
}

/// The body of a successful answer, or the error. An answer that is not
/// the JSON expected is a server error, not a network one.
pub(crate) async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(error_from(response).await);
    }
    let status = response.status();
    json::from_str(&response.text().await?).map_err(|e| ApiError::Server {
        status,
        body: Some(ErrorBody { error: "invalid_response".into(), message: e.to_string() }),
    })
}

/// `request` with `body` as its JSON body.
pub(crate) fn with_json<T: Serialize>(request: RequestBuilder, body: &T) -> Result<Request, ApiError> {
    let text = json::to_string(body).map_err(|e| ApiError::Server {
        status: 0,
        body: Some(ErrorBody { error: "invalid_request".into(), message: e.to_string() }),
    })?;
    Ok(request.header("Content-Type", "application/json").body(text)?)
}

/// Success with nothing to read, or the error.
pub(crate) async fn done(response: Response) -> Result<(), ApiError> {
    if response.ok() { Ok(()) } else { Err(error_from(response).await) }
}

pub(crate) fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// `GET /api/admin/users`.
pub async fn users(token: &str) -> Result<Vec<UserAccount>, ApiError> {
    read(Request::get("/api/admin/users").header("Authorization", &bearer(token)).send().await?).await
}

/// `POST /api/admin/users`.
pub async fn create_user(token: &str, user: &NewUser) -> Result<UserAccount, ApiError> {
    read(with_json(Request::post("/api/admin/users").header("Authorization", &bearer(token)), user)?.send().await?)
        .await
}

/// `PATCH /api/admin/users/{id}`.
pub async fn change_user(token: &str, id: i64, change: &UserChange) -> Result<UserAccount, ApiError> {
    let request = Request::patch(&format!("/api/admin/users/{id}")).header("Authorization", &bearer(token));
    read(with_json(request, change)?.send().await?).await
}

/// `GET /api/admin/teams`.
pub async fn teams(token: &str) -> Result<Vec<TeamSummary>, ApiError> {
    read(Request::get("/api/admin/teams").header("Authorization", &bearer(token)).send().await?).await
}

/// `POST /api/admin/teams`.
pub async fn create_team(token: &str, team: &NewTeam) -> Result<TeamSummary, ApiError> {
    read(with_json(Request::post("/api/admin/teams").header("Authorization", &bearer(token)), team)?.send().await?)
        .await
}

/// `PUT /api/admin/users/{id}/teams`.
pub async fn set_user_teams(token: &str, id: i64, teams: &UserTeams) -> Result<UserAccount, ApiError> {
    let request = Request::put(&format!("/api/admin/users/{id}/teams")).header("Authorization", &bearer(token));
    read(with_json(request, teams)?.send().await?).await
}

/// `POST /api/admin/users/{id}/password`.
pub async fn reset_password(token: &str, id: i64, password: String) -> Result<(), ApiError> {
    let request = Request::post(&format!("/api/admin/users/{id}/password")).header("Authorization", &bearer(token));
    done(with_json(request, &PasswordReset { password })?.send().await?).await
}

/// `GET /api/admin/users/{id}/sessions`.
pub async fn user_sessions(token: &str, id: i64) -> Result<Vec<DeviceSession>, ApiError> {
    read(Request::get(&format!("/api/admin/users/{id}/sessions")).header("Authorization", &bearer(token)).send().await?)
        .await
}

/// `POST /api/admin/sessions/{id}/revoke`.
pub async fn revoke_session(token: &str, id: i64, wipe: bool) -> Result<(), ApiError> {
    let request = Request::post(&format!("/api/admin/sessions/{id}/revoke")).header("Authorization", &bearer(token));
    done(with_json(request, &RevokeSession { wipe })?.send().await?).await
}

/// `GET /api/participants/{id}/export`: everything held about a
/// participant, as the JSON text to save.
pub async fn export_participant(token: &str, id: DocId) -> Result<String, ApiError> {
    let response =
        Request::get(&format!("/api/participants/{id}/export")).header("Authorization", &bearer(token)).send().await?;
    if response.ok() { Ok(response.text().await?) } else { Err(error_from(response).await) }
}

/// `POST /api/participants/{id}/erase`: the ids of the erased records.
pub async fn erase_participant(token: &str, id: DocId) -> Result<Vec<String>, ApiError> {
    read(Request::post(&format!("/api/participants/{id}/erase")).header("Authorization", &bearer(token)).send().await?)
        .await
}

/// `GET /api/events`: reads the server's event stream until it ends,
/// calling `on_seq` with the feed position each event announces. Read with
/// `fetch`, so the token travels in a header and never in an address.
pub async fn read_events(token: &str, mut on_seq: impl FnMut(u64)) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let response =
        Request::get("/api/events").header("Authorization", &bearer(token)).send().await.map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("status {}", response.status()));
    }
    let body = response.body().ok_or("no body")?;
    let reader: web_sys::ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|_| "not a default reader".to_owned())?;
    let mut buffer = String::new();
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read()).await.map_err(|e| format!("{e:?}"))?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
        if done {
            return Ok(());
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(|e| format!("{e:?}"))?;
        buffer.push_str(&String::from_utf8_lossy(&js_sys::Uint8Array::new(&value).to_vec()));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if let Some(seq) = event.lines().find_map(|l| l.strip_prefix("data: ")).and_then(|d| d.trim().parse().ok())
            {
                on_seq(seq);
            }
        }
    }
}
