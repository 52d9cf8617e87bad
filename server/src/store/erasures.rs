//! Erasing a participant for good: their records and change history are
//! deleted, the file is cleaned, and a tombstone per record keeps phones
//! from bringing them back and tells phones to drop their copies.

use std::collections::HashSet;

use automerge::Automerge;
use innom_shared::sync::AnyRecord;
use innom_shared::values::DocId;
use sqlx::{Connection, SqliteConnection};

use super::documents::{doc_id, id_bytes};
use super::{BEGIN_WRITE, Db, now_millis};

/// The records that hold data about one participant: the participant,
/// their placements, the visits about those placements and the mentors'
/// feedback on them.
pub async fn records_about(
    db: impl sqlx::SqliteExecutor<'_>,
    participant: DocId,
) -> anyhow::Result<Option<Vec<(DocId, AnyRecord)>>> {
    let rows = sqlx::query!(
        r#"SELECT id, snapshot FROM documents WHERE kind IN ('participant', 'placement', 'visit', 'mentor_feedback')"#
    )
    .fetch_all(db)
    .await?;
    let mut records = Vec::new();
    for row in rows {
        let (Some(id), Ok(doc)) = (doc_id(&row.id), Automerge::load(&row.snapshot)) else { continue };
        if let Ok(record) = AnyRecord::read(&doc) {
            records.push((id, record));
        }
    }
    if !records.iter().any(|(id, r)| *id == participant && matches!(r, AnyRecord::Participant(_))) {
        return Ok(None);
    }
    let placements: HashSet<DocId> = records
        .iter()
        .filter_map(|(id, r)| match r {
            AnyRecord::Placement(p) if p.participant == participant => Some(*id),
            _ => None,
        })
        .collect();
    records.retain(|(id, record)| match record {
        AnyRecord::Participant(_) => *id == participant,
        AnyRecord::Placement(_) => placements.contains(id),
        AnyRecord::Visit(v) => v.placements.iter().any(|p| placements.contains(p)),
        AnyRecord::MentorFeedback(f) => placements.contains(&f.placement),
        AnyRecord::Workplace(_) => false,
    });
    records.sort_by_key(|(id, _)| *id);
    Ok(Some(records))
}

/// Deletes the documents `ids`, their change logs and the mentor links of
/// any placement among them, and leaves a tombstone for each, in one
/// transaction. Returns the feed position of the erasure.
pub async fn erase(conn: &mut SqliteConnection, ids: &[DocId], by: i64) -> anyhow::Result<i64> {
    let now = now_millis();
    let mut tx = conn.begin_with(BEGIN_WRITE).await?;
    // A fresh position in the change feed, past every change so far: the
    // `changes` sequence moves on without a change row.
    sqlx::query!(
        "INSERT INTO sqlite_sequence (name, seq)
         SELECT 'changes', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'changes')"
    )
    .execute(&mut *tx)
    .await?;
    let seq = sqlx::query_scalar!(
        r#"UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'changes' RETURNING seq AS "seq!: i64""#
    )
    .fetch_one(&mut *tx)
    .await?;
    for id in ids {
        let bytes = id_bytes(*id);
        sqlx::query!("DELETE FROM changes WHERE doc_id = ?", bytes).execute(&mut *tx).await?;
        sqlx::query!("DELETE FROM documents WHERE id = ?", bytes).execute(&mut *tx).await?;
        sqlx::query!(
            "INSERT OR IGNORE INTO erasures (id, seq, erased_at, erased_by) VALUES (?, ?, ?, ?)",
            bytes,
            seq,
            now,
            by
        )
        .execute(&mut *tx)
        .await?;
    }
    // After the changes that name them are gone.
    for id in ids {
        let bytes = id_bytes(*id);
        sqlx::query!(
            "DELETE FROM mentor_sessions WHERE link_id IN (SELECT id FROM mentor_links WHERE placement = ?)",
            bytes
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("DELETE FROM mentor_links WHERE placement = ?", bytes).execute(&mut *tx).await?;
    }
    // The erased visits and feedback leave the placements' summaries.
    super::projections::refresh_all_activity(&mut tx).await?;
    tx.commit().await?;
    Ok(seq)
}

/// Rewrites the file so nothing of the deleted rows is left in it or in
/// its write-ahead log: the log is copied into the file and emptied, the
/// file is vacuumed (free pages dropped), and the log emptied again.
pub async fn clean_file(conn: &mut SqliteConnection) -> anyhow::Result<()> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
    sqlx::query("VACUUM").execute(&mut *conn).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
    Ok(())
}

/// The feed position of the newest erasure (0 if none).
pub async fn last_position(db: &Db) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar!(r#"SELECT COALESCE(MAX(seq), 0) AS "seq!: i64" FROM erasures"#).fetch_one(db).await?)
}

/// Every erased record (the sync writer keeps them in memory).
pub async fn all(db: &Db) -> anyhow::Result<HashSet<DocId>> {
    let rows = sqlx::query_scalar!("SELECT id FROM erasures").fetch_all(db).await?;
    Ok(rows.iter().filter_map(|id| doc_id(id)).collect())
}

/// Records erased after feed position `after`, up to `until`, with the
/// last position among them.
pub async fn erased_after(db: &Db, after: i64, until: i64) -> anyhow::Result<(Vec<DocId>, Option<i64>)> {
    let rows = sqlx::query!("SELECT id, seq FROM erasures WHERE seq > ? AND seq <= ? ORDER BY seq", after, until)
        .fetch_all(db)
        .await?;
    let last = rows.last().map(|r| r.seq);
    Ok((rows.iter().filter_map(|r| doc_id(&r.id)).collect(), last))
}

/// One stored change of a record, for the export: when, by whom, from
/// which device.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChangeEntry {
    pub seq: i64,
    pub received_at: i64,
    /// The account that pushed it; none for demo data or a mentor.
    pub username: Option<String>,
    /// That account's name.
    pub user_name: Option<String>,
    pub device: Option<String>,
    /// The mentor link whose session pushed it, for mentor feedback.
    pub mentor_link: Option<i64>,
}

/// The change log of one record, oldest first.
pub async fn history(db: &Db, id: DocId) -> anyhow::Result<Vec<ChangeEntry>> {
    Ok(change_log(db, id).await?.into_iter().map(|(entry, _)| entry).collect())
}

/// Each stored change of one record with its bytes, oldest first (an
/// order in which every change's dependencies come before it).
pub async fn change_log(db: &Db, id: DocId) -> anyhow::Result<Vec<(ChangeEntry, Vec<u8>)>> {
    let bytes = id_bytes(id);
    let rows = sqlx::query!(
        r#"SELECT c.seq AS "seq!", c.received_at, c.bytes, u.username AS "username?", u.display_name AS "user_name?",
                  s.device_name AS "device?",
                  ms.link_id AS "mentor_link?"
           FROM changes c
           LEFT JOIN users u ON u.id = c.user_id
           LEFT JOIN sessions s ON s.id = c.session_id
           LEFT JOIN mentor_sessions ms ON ms.id = c.mentor_session_id
           WHERE c.doc_id = ? ORDER BY c.seq"#,
        bytes
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let entry = ChangeEntry {
                seq: r.seq,
                received_at: r.received_at,
                username: r.username,
                user_name: r.user_name,
                device: r.device,
                mentor_link: r.mentor_link,
            };
            (entry, r.bytes)
        })
        .collect())
}
