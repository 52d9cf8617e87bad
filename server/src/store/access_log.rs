//! The `access_log` table (migration 0017): who was given which
//! participant's records, how, and on which day.

use innom_shared::api::AccessLogEntry;
use innom_shared::values::DocId;

use super::Db;
use super::documents::{doc_id, hex_id};

/// Notes that `reader` was given the records of `participants` on `day`
/// by `channel`; a row already there for that day stays as it is.
pub async fn record(
    db: &Db,
    day: &str,
    reader: &str,
    channel: &str,
    participants: &[DocId],
    at: i64,
) -> Result<(), sqlx::Error> {
    let ids = serde_json::to_string(&participants.iter().map(|id| hex_id(*id)).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    sqlx::query!(
        "INSERT INTO access_log (day, reader, participant, channel, first_at)
         SELECT ?1, ?2, unhex(value), ?3, ?4 FROM json_each(?5) WHERE true
         ON CONFLICT (participant, day, reader, channel) DO NOTHING",
        day,
        reader,
        channel,
        at,
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Removes the rows of the days before `day`; returns how many.
pub async fn remove_before(db: &Db, day: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!("DELETE FROM access_log WHERE day < ?", day).execute(db).await?.rows_affected())
}

/// What to read of the log.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    /// One participant's rows only.
    pub participant: Option<DocId>,
    /// From this day (`YYYY-MM-DD`)…
    pub from: Option<String>,
    /// …to this day, both included.
    pub to: Option<String>,
    /// Only participants of these teams (`teams::office_filter`).
    pub teams: Option<String>,
}

/// Up to `limit` rows after row `after`, in the order they were written,
/// each with its row id (for the next page).
pub async fn entries(
    db: &Db,
    query: &LogQuery,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, AccessLogEntry)>, sqlx::Error> {
    let participant = query.participant.map(|id| id.0.as_bytes().to_vec());
    let rows = sqlx::query!(
        r#"SELECT l.id AS "id!", l.day, l.first_at, l.reader, u.display_name AS "reader_name?", l.participant,
                  p.name AS "participant_name?", l.channel
           FROM access_log l
           LEFT JOIN users u ON u.username = l.reader
           LEFT JOIN participant_rows p ON p.id = l.participant
           WHERE l.id > ?1 AND (?2 IS NULL OR l.participant = ?2)
             AND (?3 IS NULL OR l.day >= ?3) AND (?4 IS NULL OR l.day <= ?4)
             AND (?5 IS NULL OR l.participant IN
                   (SELECT participant FROM participant_teams WHERE team_id IN (SELECT value FROM json_each(?5))))
           ORDER BY l.id LIMIT ?6"#,
        after,
        participant,
        query.from,
        query.to,
        query.teams,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let entry = AccessLogEntry {
                day: r.day,
                first_at: r.first_at,
                reader: r.reader,
                reader_name: r.reader_name,
                participant: doc_id(&r.participant).map(|id| id.to_string()).unwrap_or_default(),
                participant_name: r.participant_name,
                channel: r.channel,
            };
            (r.id, entry)
        })
        .collect())
}
