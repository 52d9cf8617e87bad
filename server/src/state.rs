//! The state every handler can reach.

use axum::extract::FromRef;

use crate::passwords::Passwords;
use crate::store::Db;
use crate::sync::SyncHub;
use crate::throttle::LoginThrottle;

/// Shared by all requests; cheap to clone.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub db: Db,
    pub passwords: Passwords,
    pub hub: SyncHub,
    pub throttle: LoginThrottle,
}
