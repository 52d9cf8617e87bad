//! Records by name, for people: a workplace or a participant by its name,
//! a placement by its participant's, read from the query tables.

use innom_shared::values::DocId;

use super::Db;

/// The name of the workplace, participant or placement (its
/// participant's) with this id; `None` if no such record is stored.
pub async fn of_record(db: &Db, id: DocId) -> Result<Option<String>, sqlx::Error> {
    let key = id.0.as_bytes().to_vec();
    sqlx::query_scalar!(
        r#"SELECT coalesce(
               (SELECT name FROM workplace_rows WHERE id = ?1),
               (SELECT name FROM participant_rows WHERE id = ?1),
               (SELECT pr.name FROM placement_rows p JOIN participant_rows pr ON pr.id = p.participant
                 WHERE p.id = ?1)
           ) AS "name?: String""#,
        key
    )
    .fetch_one(db)
    .await
}
