//! Who is asking: the bearer-token extractors used by every protected route.
//!
//! Accounts (advisors, staff) and mentors hold different tokens. Most
//! routes take [`CurrentUser`], which a mentor's token never satisfies;
//! sync takes [`Caller`], which is either.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::mentor_links::{self, MentorSession};
use crate::store::sessions::{self, Authenticated, SessionUser};
use crate::tokens;

/// The token of an `Authorization: Bearer …` header, hashed as stored.
fn bearer_hash(parts: &Parts) -> Result<[u8; 32], ApiError> {
    let token = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or(ApiError::Unauthorized)?;
    Ok(tokens::hash(token))
}

/// The user of a live device session. Extracting it fails with 401 when the
/// `Authorization: Bearer …` header is missing, malformed, unknown or revoked.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub SessionUser);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let hash = bearer_hash(parts)?;
        match sessions::authenticate(&state.db, &hash, state.session_idle.millis()).await? {
            Authenticated::Live(user) => Ok(Self(user)),
            Authenticated::Wiped => Err(ApiError::Wiped),
            Authenticated::No => Err(ApiError::Unauthorized),
        }
    }
}

/// A staff member with the admin right. 401 without a live session, 403
/// for anyone else.
#[derive(Debug, Clone)]
pub struct CurrentAdmin(pub SessionUser);

impl FromRequestParts<AppState> for CurrentAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.role == innom_shared::api::Role::Staff && user.is_admin {
            Ok(Self(user))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// A live session of office staff; 403 for anyone else logged in.
#[derive(Debug, Clone)]
pub struct CurrentStaff(pub SessionUser);

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.role == innom_shared::api::Role::Staff { Ok(Self(user)) } else { Err(ApiError::Forbidden) }
    }
}

/// A mentor session whose link is live. Fails with 401 otherwise, and for
/// an account's token.
#[derive(Debug, Clone)]
pub struct CurrentMentor(pub MentorSession);

impl FromRequestParts<AppState> for CurrentMentor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let hash = bearer_hash(parts)?;
        let mentor = mentor_links::authenticate(&state.db, &hash).await?;
        mentor.map(CurrentMentor).ok_or(ApiError::Unauthorized)
    }
}

/// Whoever may sync: an account's device session or a mentor session.
#[derive(Debug, Clone)]
pub enum Caller {
    User(SessionUser),
    Mentor(MentorSession),
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let hash = bearer_hash(parts)?;
        match sessions::authenticate(&state.db, &hash, state.session_idle.millis()).await? {
            Authenticated::Live(user) => return Ok(Self::User(user)),
            Authenticated::Wiped => return Err(ApiError::Wiped),
            Authenticated::No => {}
        }
        let mentor = mentor_links::authenticate(&state.db, &hash).await?;
        mentor.map(Self::Mentor).ok_or(ApiError::Unauthorized)
    }
}
