//! The `mentor_links` and `mentor_sessions` tables: how a mentor without an
//! account gets in, scoped to one placement.

use innom_shared::api::{MentorLink, MentorLinkState};
use innom_shared::values::DocId;

use super::{BEGIN_WRITE, Db, now_millis};

fn id_bytes(id: DocId) -> Vec<u8> {
    id.0.as_bytes().to_vec()
}

/// Stores a new link for `placement`, keyed by its secret's hash.
pub async fn create(
    db: &Db,
    placement: DocId,
    secret_hash: &[u8],
    created_by: i64,
    expires_at: i64,
) -> Result<MentorLink, sqlx::Error> {
    let placement_bytes = id_bytes(placement);
    let now = now_millis();
    let id = sqlx::query!(
        "INSERT INTO mentor_links (placement, secret_hash, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)",
        placement_bytes,
        secret_hash,
        created_by,
        now,
        expires_at,
    )
    .execute(db)
    .await?
    .last_insert_rowid();
    let created_by = sqlx::query_scalar!("SELECT username FROM users WHERE id = ?", created_by).fetch_one(db).await?;
    Ok(MentorLink { id, created_by, created_at: now, expires_at, state: MentorLinkState::Active })
}

fn state(now: i64, expires_at: i64, revoked_at: Option<i64>) -> MentorLinkState {
    match revoked_at {
        Some(_) => MentorLinkState::Revoked,
        None if expires_at <= now => MentorLinkState::Expired,
        None => MentorLinkState::Active,
    }
}

/// Every link made for `placement`, newest first.
pub async fn for_placement(db: &Db, placement: DocId) -> Result<Vec<MentorLink>, sqlx::Error> {
    let placement = id_bytes(placement);
    let now = now_millis();
    let rows = sqlx::query!(
        r#"SELECT l.id AS "id!", u.username, l.created_at, l.expires_at, l.revoked_at
           FROM mentor_links l JOIN users u ON u.id = l.created_by
           WHERE l.placement = ? ORDER BY l.id DESC"#,
        placement
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MentorLink {
            id: r.id,
            created_by: r.username,
            created_at: r.created_at,
            expires_at: r.expires_at,
            state: state(now, r.expires_at, r.revoked_at),
        })
        .collect())
}

/// Revokes link `id` of `placement`; its sessions stop working at once.
/// Returns whether such a link exists.
pub async fn revoke(db: &Db, placement: DocId, id: i64) -> Result<bool, sqlx::Error> {
    let placement = id_bytes(placement);
    let now = now_millis();
    let done = sqlx::query!(
        "UPDATE mentor_links SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND placement = ?",
        now,
        id,
        placement
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A mentor's way in: a live link, and the session made from it.
#[derive(Debug, Clone)]
pub struct MentorSession {
    pub session_id: i64,
    pub link_id: i64,
    pub placement: DocId,
    pub expires_at: i64,
}

impl MentorSession {
    /// The name a mentor's records carry in `created_by`: one identity per
    /// link, so a mentor who opens the link on a second phone can still
    /// correct what they wrote on the first.
    pub fn identity(&self) -> String {
        format!("mentor:{}", self.link_id)
    }
}

/// Trades a link's secret for a new mentor session, if the link is live.
pub async fn open_session(
    db: &Db,
    secret_hash: &[u8],
    token_hash: &[u8],
) -> Result<Option<MentorSession>, sqlx::Error> {
    let now = now_millis();
    let mut tx = db.begin_with(BEGIN_WRITE).await?;
    let link = sqlx::query!(
        r#"SELECT id AS "id!", placement, expires_at FROM mentor_links
           WHERE secret_hash = ? AND revoked_at IS NULL AND expires_at > ?"#,
        secret_hash,
        now
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(link) = link else { return Ok(None) };
    let Some(placement) = uuid::Uuid::from_slice(&link.placement).ok().map(DocId) else { return Ok(None) };
    let session_id = sqlx::query!(
        "INSERT INTO mentor_sessions (link_id, token_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
        link.id,
        token_hash,
        now,
        now
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    tx.commit().await?;
    Ok(Some(MentorSession { session_id, link_id: link.id, placement, expires_at: link.expires_at }))
}

/// The mentor session with this token hash, while its link is live.
pub async fn authenticate(db: &Db, token_hash: &[u8]) -> Result<Option<MentorSession>, sqlx::Error> {
    let now = now_millis();
    let row = sqlx::query!(
        r#"SELECT s.id AS "session_id!", l.id AS "link_id!", l.placement, l.expires_at
           FROM mentor_sessions s JOIN mentor_links l ON l.id = s.link_id
           WHERE s.token_hash = ? AND l.revoked_at IS NULL AND l.expires_at > ?"#,
        token_hash,
        now
    )
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|r| {
        let placement = uuid::Uuid::from_slice(&r.placement).ok().map(DocId)?;
        Some(MentorSession { session_id: r.session_id, link_id: r.link_id, placement, expires_at: r.expires_at })
    }))
}
