//! Who is asking: the bearer-token extractor used by every protected route.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::sessions::{self, SessionUser};
use crate::tokens;

/// The user of a live device session. Extracting it fails with 401 when the
/// `Authorization: Bearer …` header is missing, malformed, unknown or revoked.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub SessionUser);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        let user = sessions::authenticate(&state.db, &tokens::hash(token)).await?;
        user.map(CurrentUser).ok_or(ApiError::Unauthorized)
    }
}
