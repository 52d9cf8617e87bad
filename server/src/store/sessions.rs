//! The `sessions` table: one row per device login.

use innom_shared::api::{DeviceSession, DeviceSessionState, Role};

use super::{Db, now_millis};

/// The account behind a live session.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub is_admin: bool,
    /// What the session is sent: every record, or the records for these
    /// teams (read with the session, so a sync asks nothing more).
    pub scope: innom_shared::access::Scope,
    /// Marked to be sent its records anew (`sessions.rescope`).
    pub rescope: bool,
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

/// Stores a new session made by a sign-in at the identity provider, with
/// the provider's refresh token (to ask it later whether the person may
/// still sign in).
pub async fn create_via_provider(
    db: &Db,
    user_id: i64,
    token_hash: &[u8],
    device_name: &str,
    refresh_token: &str,
) -> Result<i64, sqlx::Error> {
    let now = now_millis();
    let done = sqlx::query!(
        "INSERT INTO sessions (user_id, token_hash, device_name, created_at, last_seen_at,
                               provider_refresh_token, provider_checked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        user_id,
        token_hash,
        device_name,
        now,
        now,
        refresh_token,
        now,
    )
    .execute(db)
    .await?;
    Ok(done.last_insert_rowid())
}

/// A live session the identity provider is due to be asked about.
pub struct DueForCheck {
    pub session_id: i64,
    pub username: String,
    pub refresh_token: String,
}

// The refresh token is a secret: never printed.
impl std::fmt::Debug for DueForCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueForCheck").field("session_id", &self.session_id).finish_non_exhaustive()
    }
}

/// Live sessions with a refresh token not checked for `every_ms`, oldest first.
pub async fn due_for_provider_check(db: &Db, every_ms: i64) -> Result<Vec<DueForCheck>, sqlx::Error> {
    let before = now_millis() - every_ms;
    let rows = sqlx::query!(
        r#"SELECT s.id AS "session_id!", u.username, s.provider_refresh_token AS "refresh_token!"
           FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.provider_refresh_token IS NOT NULL AND s.revoked_at IS NULL
             AND coalesce(s.provider_checked_at, 0) <= ?
           ORDER BY s.provider_checked_at LIMIT 500"#,
        before
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DueForCheck { session_id: r.session_id, username: r.username, refresh_token: r.refresh_token })
        .collect())
}

/// Records that the provider still accepts the session's person, with
/// its new refresh token when it gave one.
pub async fn provider_checked(db: &Db, session_id: i64, rotated: Option<&str>) -> Result<(), sqlx::Error> {
    let now = now_millis();
    sqlx::query!(
        "UPDATE sessions SET provider_checked_at = ?,
                provider_refresh_token = coalesce(?, provider_refresh_token)
         WHERE id = ?",
        now,
        rotated,
        session_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// How stale `last_seen_at` may get before a request refreshes it. Every
/// request is authenticated, and writing on each one would put an fsync in
/// front of every sync and compete with the sync writer.
const LAST_SEEN_PRECISION_MS: i64 = 60_000;

/// What a bearer token's hash stands for.
#[derive(Debug, Clone)]
pub enum Authenticated {
    /// A live session of an enabled account.
    Live(SessionUser),
    /// A session revoked with "wipe": the phone must delete its data.
    Wiped,
    /// Unknown, revoked, unused for longer than the idle limit, or of a
    /// disabled account.
    No,
}

/// Looks up the session with this token hash. A live one is marked as seen
/// now, at most once a minute; `idle_ms` is how long it may go unused.
pub async fn authenticate(db: &Db, token_hash: &[u8], idle_ms: i64) -> Result<Authenticated, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT s.id AS "session_id!", s.user_id, s.last_seen_at, s.revoked_at, s.wipe, s.rescope,
                  u.username, u.display_name, u.role, u.is_admin, u.disabled_at, u.all_teams,
                  (SELECT json_group_array(m.team_id) FROM team_members m WHERE m.user_id = u.id) AS "teams!: String"
           FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = ?"#,
        token_hash
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(Authenticated::No) };
    if row.revoked_at.is_some() && row.wipe != 0 {
        return Ok(Authenticated::Wiped);
    }
    let now = now_millis();
    if row.revoked_at.is_some() || row.disabled_at.is_some() || now - row.last_seen_at > idle_ms {
        return Ok(Authenticated::No);
    }
    if now - row.last_seen_at >= LAST_SEEN_PRECISION_MS {
        sqlx::query!("UPDATE sessions SET last_seen_at = ? WHERE id = ?", now, row.session_id).execute(db).await?;
    }
    let Some(role) = Role::parse(&row.role) else { return Ok(Authenticated::No) };
    let scope = if role == Role::Staff && row.all_teams != 0 {
        innom_shared::access::Scope::All
    } else {
        innom_shared::access::Scope::Teams(serde_json::from_str(&row.teams).unwrap_or_default())
    };
    Ok(Authenticated::Live(SessionUser {
        session_id: row.session_id,
        user_id: row.user_id,
        username: row.username,
        display_name: row.display_name,
        role,
        is_admin: row.is_admin != 0,
        scope,
        rescope: row.rescope != 0,
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

/// Ends a session, optionally telling its phone to delete its data.
/// Returns the id of the session's user, if the session exists.
pub async fn revoke_with(db: &Db, session_id: i64, wipe: bool) -> Result<Option<i64>, sqlx::Error> {
    let now = now_millis();
    let wipe = i64::from(wipe);
    let user = sqlx::query_scalar!(
        "UPDATE sessions SET revoked_at = coalesce(revoked_at, ?), wipe = max(wipe, ?) WHERE id = ? RETURNING user_id",
        now,
        wipe,
        session_id
    )
    .fetch_optional(db)
    .await?;
    Ok(user)
}

/// Ends every session of a user (inside the caller's transaction).
pub async fn revoke_all_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now, user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A user's device sessions, newest first.
pub async fn list_for_user(db: &Db, user_id: i64, idle_ms: i64) -> Result<Vec<DeviceSession>, sqlx::Error> {
    let now = now_millis();
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", device_name, created_at, last_seen_at, revoked_at, wipe
           FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC"#,
        user_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DeviceSession {
            id: r.id,
            device_name: r.device_name,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            state: match (r.revoked_at, r.wipe != 0) {
                (Some(_), true) => DeviceSessionState::Wiped,
                (Some(_), false) => DeviceSessionState::Revoked,
                (None, _) if now - r.last_seen_at > idle_ms => DeviceSessionState::Expired,
                (None, _) => DeviceSessionState::Active,
            },
        })
        .collect())
}
