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

/// The user of the live (not revoked, user not disabled) session with this
/// token hash, marking the session as seen now.
pub async fn authenticate(db: &Db, token_hash: &[u8]) -> Result<Option<SessionUser>, sqlx::Error> {
    let now = now_millis();
    let row = sqlx::query!(
        r#"UPDATE sessions SET last_seen_at = ?
           WHERE token_hash = ? AND revoked_at IS NULL
             AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL)
           RETURNING id AS "session_id!", user_id"#,
        now,
        token_hash
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user =
        sqlx::query!("SELECT username, display_name, role FROM users WHERE id = ?", row.user_id).fetch_one(db).await?;
    Ok(Role::parse(&user.role).map(|role| SessionUser {
        session_id: row.session_id,
        user_id: row.user_id,
        username: user.username,
        display_name: user.display_name,
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
