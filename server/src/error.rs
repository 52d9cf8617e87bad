//! The one error type of the HTTP API, and a JSON extractor that reports bad
//! bodies in the same shape as every other error.

use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use innom_shared::api::ErrorBody;

/// `Result` with [`ApiError`] as the default error.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;

/// Everything a handler can fail with. Each variant documents its status;
/// the body is always an [`ErrorBody`].
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400, 413 or 415: the request body is malformed, too large or of the
    /// wrong media type.
    #[error("{message}")]
    InvalidBody { status: StatusCode, message: String },
    /// 401: no bearer token, or one that is unknown, revoked or expired.
    #[error("missing, unknown or expired session token; log in again")]
    Unauthorized,
    /// 401: the session was revoked with "wipe"; the device must delete
    /// its local data.
    #[error("this device was signed out by an administrator and must delete its local data")]
    Wiped,
    /// 403: a live session without the right for this.
    #[error("you do not have the right to do this")]
    Forbidden,
    /// 401: the same answer for an unknown user and a wrong password.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// 403: password login is switched off (`--password-login off`).
    #[error("logging in with a password is switched off here; sign in through the identity provider")]
    PasswordLoginOff,
    /// 401: a sign-in code that is unknown, used, older than a minute, or
    /// whose account was disabled meanwhile.
    #[error("this sign-in code is unknown, used or expired; sign in again")]
    SignInCodeRefused,
    /// 410: a mentor link that is unknown, expired or revoked.
    #[error("this link no longer works; contact your advisor")]
    LinkNotWorking,
    /// 429: too many failed logins for this account or from this address.
    #[error("too many failed attempts; try again in {retry_after} s")]
    TooManyAttempts { retry_after: u64 },
    /// 408: the request (body included) took longer than the server waits.
    #[error("the request took too long; try again")]
    Timeout,
    /// 409: the request clashes with what is stored (a taken username).
    #[error("{0}")]
    Conflict(String),
    /// 404: no such endpoint or record.
    #[error("no such resource")]
    NotFound,
    /// 500: a database or other unexpected failure. Logged with its cause
    /// chain, never shown to the client.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

impl ApiError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidBody { status, .. } => *status,
            Self::Unauthorized | Self::InvalidCredentials | Self::Wiped => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::PasswordLoginOff => StatusCode::FORBIDDEN,
            Self::SignInCodeRefused => StatusCode::UNAUTHORIZED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::LinkNotWorking => StatusCode::GONE,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::InvalidBody { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            Self::InvalidBody { status, .. } if *status == StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                "unsupported_media_type"
            }
            Self::InvalidBody { .. } => "invalid_body",
            Self::Unauthorized => "unauthorized",
            Self::Wiped => "wiped",
            Self::Forbidden => "forbidden",
            Self::PasswordLoginOff => "password_login_off",
            Self::SignInCodeRefused => "sign_in_code_refused",
            Self::Conflict(_) => "conflict",
            Self::InvalidCredentials => "invalid_credentials",
            Self::NotFound => "not_found",
            Self::Timeout => "timeout",
            Self::LinkNotWorking => "link_not_working",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let body = ErrorBody { error: self.code().into(), message: self.to_string() };
        let mut response = (self.status(), axum::Json(body)).into_response();
        if let Self::TooManyAttempts { retry_after } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(retry_after));
        }
        if matches!(self, Self::Unauthorized | Self::InvalidCredentials | Self::Wiped) {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        Self::InvalidBody { status: rejection.status(), message: rejection.body_text() }
    }
}

impl From<axum::extract::rejection::BytesRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::BytesRejection) -> Self {
        Self::InvalidBody { status: rejection.status(), message: rejection.body_text() }
    }
}

/// `axum::Json`, but a malformed body becomes an [`ApiError`].
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
