//! SQLite storage: opening the database safely, and one module per table
//! group. Every query is checked at compile time by `sqlx::query!`.

pub mod access_log;
pub mod attention;
pub mod backup;
mod database;
pub mod documents;
pub mod erasures;
pub mod figures;
pub mod mentor_links;
pub mod names;
pub mod projections;
pub mod sessions;
pub mod teams;
pub mod users;

pub use database::{BEGIN_WRITE, BUSY_TIMEOUT, BUSY_TIMEOUT_MS, Db, OpenError, open};

/// Milliseconds since the Unix epoch, the time unit of every table.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
