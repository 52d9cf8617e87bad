//! The `users` table: advisors and office staff.

use innom_shared::api::{Me, Role, UserAccount};

use super::teams::{self, Membership, TeamError};
use super::{BEGIN_WRITE, Db, now_millis};

/// A stored account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
    pub is_admin: bool,
}

impl User {
    /// What `GET /api/me` says about this user.
    pub fn me(&self) -> Me {
        Me {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            is_admin: self.is_admin,
        }
    }
}

/// Why a user could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("a user named {0:?} already exists")]
    Exists(String),
    #[error(transparent)]
    Teams(#[from] TeamError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Stores a new account, in its teams; `password_hash` is an argon2id
/// PHC string.
pub async fn add(
    db: &Db,
    username: &str,
    display_name: &str,
    (role, is_admin): (Role, bool),
    password_hash: &str,
    membership: &Membership,
) -> Result<i64, AddUserError> {
    let mut tx = db.begin_with(BEGIN_WRITE).await?;
    let role_text = role.as_str();
    let is_admin = i64::from(is_admin);
    let now = now_millis();
    let inserted = sqlx::query!(
        "INSERT INTO users (username, display_name, role, is_admin, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
        username,
        display_name,
        role_text,
        is_admin,
        password_hash,
        now,
    )
    .execute(&mut *tx)
    .await;
    let id = match inserted {
        Ok(done) => done.last_insert_rowid(),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AddUserError::Exists(username.into()));
        }
        Err(e) => return Err(e.into()),
    };
    teams::join_new_account(&mut tx, id, role, membership).await?;
    tx.commit().await?;
    Ok(id)
}

/// The account with this username (case-insensitive), if any.
pub async fn find_by_username(db: &Db, username: &str) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", username, display_name, role, password_hash, disabled_at, is_admin
           FROM users WHERE username = ?"#,
        username
    )
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|r| {
        Some(User {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            // The CHECK constraint keeps unknown roles out of the table.
            role: Role::parse(&r.role)?,
            password_hash: r.password_hash,
            disabled: r.disabled_at.is_some(),
            is_admin: r.is_admin != 0,
        })
    }))
}

/// The account with this id (a sign-in names its account by id).
pub async fn find_by_id(db: &Db, user_id: i64) -> Result<Option<User>, sqlx::Error> {
    let username = sqlx::query_scalar!("SELECT username FROM users WHERE id = ?", user_id).fetch_optional(db).await?;
    match username {
        Some(username) => find_by_username(db, &username).await,
        None => Ok(None),
    }
}

/// How many accounts exist; zero means a fresh database.
/// Every user's name by username: the office shows people by name where a
/// record holds the username.
pub async fn names(db: &Db) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    let rows = sqlx::query!("SELECT username, display_name FROM users").fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| (r.username, r.display_name)).collect())
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM users"#).fetch_one(db).await
}

/// Every account, with how many of its device sessions still work
/// (`idle_ms`: how long a session may go unused).
pub async fn list(db: &Db, idle_ms: i64) -> Result<Vec<UserAccount>, sqlx::Error> {
    let live_after = now_millis() - idle_ms;
    let rows = sqlx::query!(
        r#"SELECT u.id AS "id!", u.username, u.display_name, u.role, u.is_admin, u.disabled_at, u.all_teams,
                  (SELECT COUNT(*) FROM sessions s
                    WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.last_seen_at > ?) AS "active!: i64",
                  (SELECT json_group_array(m.team_id) FROM team_members m WHERE m.user_id = u.id)
                    AS "teams!: String"
           FROM users u ORDER BY u.display_name COLLATE NOCASE"#,
        live_after
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(UserAccount {
                id: r.id,
                username: r.username,
                display_name: r.display_name,
                role: Role::parse(&r.role)?,
                is_admin: r.is_admin != 0,
                disabled: r.disabled_at.is_some(),
                active_sessions: if r.disabled_at.is_some() { 0 } else { r.active },
                teams: {
                    let mut teams: Vec<i64> = serde_json::from_str(&r.teams).unwrap_or_default();
                    teams.sort_unstable();
                    teams
                },
                all_teams: r.role == "staff" && r.all_teams != 0,
            })
        })
        .collect())
}

/// Gives an account the admin right, or takes it away.
pub async fn set_admin(db: &Db, user_id: i64, is_admin: bool) -> Result<bool, sqlx::Error> {
    let flag = i64::from(is_admin);
    let done = sqlx::query!("UPDATE users SET is_admin = ? WHERE id = ?", flag, user_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// Changes an account's role.
pub async fn set_role(db: &Db, user_id: i64, role: Role) -> Result<bool, sqlx::Error> {
    let role = role.as_str();
    let done = sqlx::query!("UPDATE users SET role = ? WHERE id = ?", role, user_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// Disables an account and ends all its sessions in one transaction, or
/// enables it again (its old sessions stay ended).
pub async fn set_disabled(db: &Db, user_id: i64, disabled: bool) -> Result<bool, sqlx::Error> {
    let now = now_millis();
    let mut tx = db.begin_with(BEGIN_WRITE).await?;
    let done = if disabled {
        sqlx::query!("UPDATE users SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?", now, user_id)
            .execute(&mut *tx)
            .await?
    } else {
        sqlx::query!("UPDATE users SET disabled_at = NULL WHERE id = ?", user_id).execute(&mut *tx).await?
    };
    if disabled {
        super::sessions::revoke_all_in(&mut tx, user_id, now).await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a new password hash and ends the account's sessions.
pub async fn set_password_hash(db: &Db, user_id: i64, password_hash: &str) -> Result<bool, sqlx::Error> {
    let now = now_millis();
    let mut tx = db.begin_with(BEGIN_WRITE).await?;
    let done = sqlx::query!("UPDATE users SET password_hash = ? WHERE id = ?", password_hash, user_id)
        .execute(&mut *tx)
        .await?;
    super::sessions::revoke_all_in(&mut tx, user_id, now).await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// The account with this id, as the administration page lists it.
pub async fn account(db: &Db, user_id: i64, idle_ms: i64) -> Result<Option<UserAccount>, sqlx::Error> {
    Ok(list(db, idle_ms).await?.into_iter().find(|u| u.id == user_id))
}
