//! Request and response bodies of the JSON API, shared so that the client
//! and the server cannot disagree about a field name.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::string_enum;

string_enum! {
    /// What an account may do. Mentors have no account; they come in by link.
    pub enum Role {
        Advisor = "advisor",
        Staff = "staff",
    }
}

/// `POST /api/auth/login`.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// A name for the device session, shown when sessions are listed
    /// ("Kari's phone"); defaults to the browser's description.
    #[serde(default)]
    pub device_name: Option<String>,
}

// Never print a password, not even in a debug log.
impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("device_name", &self.device_name)
            .finish()
    }
}

/// A successful login.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// Bearer token for the new device session. The server keeps only a
    /// hash of it, so it is shown exactly once.
    pub token: String,
    pub user: Me,
}

impl fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResponse").field("token", &"<redacted>").field("user", &self.user).finish()
    }
}

/// `GET /api/me`: who the bearer token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when everything answers, `degraded` otherwise.
    pub status: String,
    /// The server's version.
    pub version: String,
    /// `ok`, or `unavailable` when the database does not answer.
    pub database: String,
}

/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A stable, machine-readable code (`invalid_credentials`, `not_found`, …).
    pub error: String,
    /// A human-readable explanation in English.
    pub message: String,
}

/// `GET /api/documents/{id}`: what the server holds of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentInfo {
    pub id: String,
    /// The record kind (`visit`, `placement`, …).
    pub kind: String,
    /// The document's heads, as lowercase hex change hashes, sorted.
    pub heads: Vec<String>,
}
