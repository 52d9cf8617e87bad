//! The state every handler can reach.

use axum::extract::FromRef;
use innom_shared::values::Date;

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
    pub phone_retention: PhoneRetention,
    pub access_log: crate::access_log::AccessLog,
    pub sign_in: SignIn,
}

/// How advisors and staff log in: passwords, the identity provider, or both.
#[derive(Clone, Debug)]
pub struct SignIn {
    /// `--password-login on`.
    pub password: bool,
    /// `--oidc-issuer`: sign-in through the municipality's provider.
    pub provider: Option<crate::oidc::Oidc>,
    /// `--public-url`, without a trailing slash.
    pub public_url: Option<String>,
    /// Whether Innom serves HTTPS itself (so its own address is https).
    pub over_tls: bool,
    /// `--trusted-proxy`: whose `X-Forwarded-Proto` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// How long a device session may go unused before it stops working.
#[derive(Clone, Copy, Debug)]
pub struct SessionIdle(pub std::time::Duration);

impl SessionIdle {
    pub fn millis(self) -> i64 {
        i64::try_from(self.0.as_millis()).unwrap_or(i64::MAX)
    }
}

/// How many months after a placement ended advisors' phones keep its
/// records (`innom_shared::sync::retention`).
#[derive(Clone, Copy, Debug)]
pub struct PhoneRetention(pub u32);

impl PhoneRetention {
    /// The cutoff as of today: placements that ended before it are dropped.
    pub fn cutoff(self) -> Date {
        Date(time::OffsetDateTime::now_utc().date()).months_before(self.0)
    }
}
