//! The `sessions` table: one row per device login.

use innom_shared::api::Role;

use super::{Db, now_millis};

/// The account behind a live session.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// Stores a new session for `user_id`, keyed by the token's hash.
pub async fn create(db: &Db, user_id: i64, token_hash: &[u8], device_name: &str) -> Result<i64, sqlx::Error> {
    let now = now_millis();
    let done = sqlx::query!(
        "INSERT INTO sessions (user_id, token_hash, device_name, created_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?)",
        user_id,
        token_hash,
        device_name,
        now,
        now,
    )
    .execute(db)
    .await?;
    Ok(done.last_insert_rowid())
}

/// How stale `last_seen_at` may get before a request refreshes it. Every
/// request is authenticated, and writing on each one would put an fsync in
/// front of every sync and compete with the sync writer.
const LAST_SEEN_PRECISION_MS: i64 = 60_000;

/// The user of the live (not revoked, user not disabled) session with this
/// token hash. Marks the session as seen now, at most once a minute.
pub async fn authenticate(db: &Db, token_hash: &[u8]) -> Result<Option<SessionUser>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT s.id AS "session_id!", s.user_id, s.last_seen_at, u.username, u.display_name, u.role
           FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = ? AND s.revoked_at IS NULL AND u.disabled_at IS NULL"#,
        token_hash
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let now = now_millis();
    if now - row.last_seen_at >= LAST_SEEN_PRECISION_MS {
        sqlx::query!("UPDATE sessions SET last_seen_at = ? WHERE id = ?", now, row.session_id).execute(db).await?;
    }
    Ok(Role::parse(&row.role).map(|role| SessionUser {
        session_id: row.session_id,
        user_id: row.user_id,
        username: row.username,
        display_name: row.display_name,
        role,
    }))
}

/// Ends a session; its token stops working at once.
pub async fn revoke(db: &Db, session_id: i64) -> Result<(), sqlx::Error> {
    let now = now_millis();
    sqlx::query!("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, session_id)
        .execute(db)
        .await?;
    Ok(())
}
