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
    pub session_idle: SessionIdle,
}

/// How long a device session may go unused before it stops working.
#[derive(Clone, Copy, Debug)]
pub struct SessionIdle(pub std::time::Duration);

impl SessionIdle {
    pub fn millis(self) -> i64 {
        i64::try_from(self.0.as_millis()).unwrap_or(i64::MAX)
    }
}
