//! The `users` table: advisors and office staff.

use innom_shared::api::{Me, Role};

use super::{Db, now_millis};

/// A stored account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
}

impl User {
    /// What `GET /api/me` says about this user.
    pub fn me(&self) -> Me {
        Me { username: self.username.clone(), display_name: self.display_name.clone(), role: self.role }
    }
}

/// Why a user could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("a user named {0:?} already exists")]
    Exists(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Stores a new account; `password_hash` is an argon2id PHC string.
pub async fn add(
    db: &Db,
    username: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> Result<i64, AddUserError> {
    let role = role.as_str();
    let now = now_millis();
    let inserted = sqlx::query!(
        "INSERT INTO users (username, display_name, role, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?)",
        username,
        display_name,
        role,
        password_hash,
        now,
    )
    .execute(db)
    .await;
    match inserted {
        Ok(done) => Ok(done.last_insert_rowid()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AddUserError::Exists(username.into())),
        Err(e) => Err(e.into()),
    }
}

/// The account with this username (case-insensitive), if any.
pub async fn find_by_username(db: &Db, username: &str) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", username, display_name, role, password_hash, disabled_at
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
        })
    }))
}

/// How many accounts exist; zero means a fresh database.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM users"#).fetch_one(db).await
}
