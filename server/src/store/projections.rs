//! The query tables behind the office's views (`migrations/0007`): one row
//! per record with the fields views filter and sort on. Written by
//! [`project`] in the transaction that stores each merge, so they never
//! lag the documents; [`rebuild`] makes them again from the documents.
//! `placement_activity` (`migrations/0008`) sums up each placement's visits
//! and feedback for the attention list; [`refresh_activity`] keeps it in
//! step whenever one of them is projected.

use automerge::Automerge;
use innom_shared::sync::AnyRecord;
use innom_shared::values::DocId;
use sqlx::SqliteConnection;

use super::Db;
use super::documents::id_bytes;

/// Writes the query-table row(s) of one record, replacing what was there.
/// `before` is the record as last projected (`None` if it never was): a
/// visit or feedback that no longer names a placement must take it out of
/// that placement's summary. Taking it from the merge instead of reading
/// it back saves the writer a statement per push.
pub async fn project(
    conn: &mut SqliteConnection,
    id: DocId,
    record: &AnyRecord,
    before: Option<&AnyRecord>,
) -> anyhow::Result<()> {
    let id = id_bytes(id);
    let (kind, created_at) = (record.kind().as_str(), record.created_at().0);
    let (cells, refs) = crate::exports::stored_row(record)?;
    sqlx::query!(
        "INSERT OR REPLACE INTO export_rows (id, kind, created_at, cells, refs) VALUES (?, ?, ?, ?, ?)",
        id,
        kind,
        created_at,
        cells,
        refs
    )
    .execute(&mut *conn)
    .await?;
    match record {
        AnyRecord::Workplace(w) => {
            let (org, industry, outlook) = (w.org_number.as_str(), w.industry.as_str(), w.hiring_outlook.as_str());
            sqlx::query!(
                "INSERT OR REPLACE INTO workplace_rows (id, name, org_number, industry, hiring_outlook)
                 VALUES (?, ?, ?, ?, ?)",
                id,
                w.name,
                org,
                industry,
                outlook
            )
            .execute(&mut *conn)
            .await?;
        }
        AnyRecord::Participant(p) => {
            let (programme, goal) = (p.programme.as_str(), p.goal.as_str());
            sqlx::query!(
                "INSERT OR REPLACE INTO participant_rows (id, name, programme, goal, advisor) VALUES (?, ?, ?, ?, ?)",
                id,
                p.display_name,
                programme,
                goal,
                p.advisor
            )
            .execute(&mut *conn)
            .await?;
        }
        AnyRecord::Placement(p) => {
            let (participant, workplace) = (id_bytes(p.participant), id_bytes(p.workplace));
            let (status, prospect) = (p.status.as_str(), p.job_prospect.as_str());
            let (start, planned_end, ended_on) =
                (p.start.to_iso(), p.planned_end.to_iso(), p.ended_on.map(|d| d.to_iso()));
            let outcome = p.outcome.map(|o| o.as_str());
            let tasks = i64::try_from(p.tasks.len())?;
            let mastered = i64::try_from(p.tasks.iter().filter(|t| t.mastered).count())?;
            sqlx::query!(
                "INSERT OR REPLACE INTO placement_rows (id, participant, workplace, advisor, status, phase, start,
                     planned_end, ended_on, job_prospect, outcome, tasks, tasks_mastered)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                participant,
                workplace,
                p.advisor,
                status,
                p.phase,
                start,
                planned_end,
                ended_on,
                prospect,
                outcome,
                tasks,
                mastered
            )
            .execute(&mut *conn)
            .await?;
        }
        AnyRecord::Visit(v) => {
            // The placements it was about before this change need their
            // summary again too, if it no longer names them.
            let mut before: Vec<Vec<u8>> = match before {
                Some(AnyRecord::Visit(before)) => before.placements.iter().map(|p| id_bytes(*p)).collect(),
                _ => Vec::new(),
            };
            let mut now: Vec<Vec<u8>> = v.placements.iter().map(|p| id_bytes(*p)).collect();
            before.sort();
            before.dedup();
            now.sort();
            now.dedup();
            let placements_changed = before != now;
            let had_placements = !before.is_empty();
            // Each placement summed up once, whether named before, now or both.
            let mut touched = before;
            touched.extend(now.iter().cloned());
            touched.sort();
            touched.dedup();
            let workplace = id_bytes(v.workplace);
            let (visit_type, status, signal, review) =
                (v.visit_type.as_str(), v.status.as_str(), v.job_signal.as_str(), v.review.state.as_str());
            let open: Vec<_> = v.follow_ups.iter().filter(|f| !f.done).collect();
            let open_count = i64::try_from(open.len())?;
            let next_due = open.iter().filter_map(|f| f.due).min().map(|d| d.to_iso());
            sqlx::query!(
                "INSERT OR REPLACE INTO visit_rows (id, workplace, advisor, at, visit_type, status, job_signal,
                     review_state, open_follow_ups, next_due)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                workplace,
                v.advisor,
                v.at.0,
                visit_type,
                status,
                signal,
                review,
                open_count,
                next_due
            )
            .execute(&mut *conn)
            .await?;
            // Most edits leave the placements as they were.
            if placements_changed {
                if had_placements {
                    sqlx::query!("DELETE FROM visit_placements WHERE visit = ?", id).execute(&mut *conn).await?;
                }
                for placement in &now {
                    sqlx::query!("INSERT INTO visit_placements (visit, placement) VALUES (?, ?)", id, placement)
                        .execute(&mut *conn)
                        .await?;
                }
            }
            refresh_activity(conn, &touched).await?;
        }
        AnyRecord::MentorFeedback(f) => {
            let mut touched: Vec<Vec<u8>> = match before {
                Some(AnyRecord::MentorFeedback(before)) => vec![id_bytes(before.placement)],
                _ => Vec::new(),
            };
            let placement = id_bytes(f.placement);
            if !touched.contains(&placement) {
                touched.push(placement.clone());
            }
            let (status, readiness, review) =
                (f.status.as_str(), f.ready_for_next_phase.as_str(), f.review.state.as_str());
            sqlx::query!(
                "INSERT OR REPLACE INTO feedback_rows (id, placement, created_at, status, readiness, contact_me,
                     review_state)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                id,
                placement,
                f.created_at.0,
                status,
                readiness,
                f.contact_me,
                review
            )
            .execute(&mut *conn)
            .await?;
            refresh_activity(conn, &touched).await?;
        }
    }
    Ok(())
}

/// Sums up again the visits and feedback of each placement in `placements`
/// (16-byte ids) into `placement_activity`.
pub async fn refresh_activity(conn: &mut SqliteConnection, placements: &[Vec<u8>]) -> anyhow::Result<()> {
    for placement in placements {
        sqlx::query!(
            "INSERT OR REPLACE INTO placement_activity
             SELECT ?1,
                 (SELECT max(v.at) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
                   WHERE vp.placement = ?1),
                 (SELECT v.status FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
                   WHERE vp.placement = ?1 ORDER BY v.at DESC LIMIT 1),
                 (SELECT min(v.next_due) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
                   WHERE vp.placement = ?1 AND v.open_follow_ups > 0),
                 (SELECT count(*) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
                   WHERE vp.placement = ?1 AND v.review_state != 'reviewed')
               + (SELECT count(*) FROM feedback_rows f WHERE f.placement = ?1 AND f.review_state != 'reviewed'),
                 (SELECT f.status FROM feedback_rows f WHERE f.placement = ?1 ORDER BY f.created_at DESC LIMIT 1),
                 (SELECT f.contact_me FROM feedback_rows f WHERE f.placement = ?1 ORDER BY f.created_at DESC LIMIT 1),
                 (SELECT f.readiness FROM feedback_rows f WHERE f.placement = ?1 ORDER BY f.created_at DESC LIMIT 1)",
            placement
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Sums up every placement again: after an erasure, which removes visits
/// and feedback without projecting them.
pub async fn refresh_all_activity(conn: &mut SqliteConnection) -> anyhow::Result<()> {
    sqlx::query!("DELETE FROM placement_activity").execute(&mut *conn).await?;
    let placements = sqlx::query_scalar!(
        r#"SELECT placement AS "placement!: Vec<u8>" FROM visit_placements
           UNION SELECT placement FROM feedback_rows"#
    )
    .fetch_all(&mut *conn)
    .await?;
    refresh_activity(conn, &placements).await
}

/// Empties the query tables and projects every stored document again, in
/// one transaction. Returns how many records were projected.
pub async fn rebuild(db: &Db) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    for table in [
        "export_rows",
        "placement_activity",
        "visit_placements",
        "visit_rows",
        "feedback_rows",
        "placement_rows",
        "participant_rows",
        "workplace_rows",
    ] {
        // The names are this list's own, not input.
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
    }
    let rows = sqlx::query!("SELECT id, snapshot FROM documents ORDER BY id").fetch_all(&mut *tx).await?;
    let mut projected = 0;
    for row in rows {
        let id = DocId(uuid::Uuid::from_slice(&row.id)?);
        let record = AnyRecord::read(&Automerge::load(&row.snapshot)?)?;
        project(&mut tx, id, &record, None).await?;
        projected += 1;
    }
    tx.commit().await?;
    Ok(projected)
}

/// Whether every document has its row: false after the upgrade that added
/// the query tables, until [`rebuild`] has run.
pub async fn in_step(db: &Db) -> anyhow::Result<bool> {
    let counts = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM documents) AS "documents!: i64",
                  (SELECT count(*) FROM workplace_rows) + (SELECT count(*) FROM participant_rows)
                + (SELECT count(*) FROM placement_rows) + (SELECT count(*) FROM visit_rows)
                + (SELECT count(*) FROM feedback_rows) AS "rows!: i64",
                  (SELECT count(*) FROM export_rows) AS "export_rows!: i64""#
    )
    .fetch_one(db)
    .await?;
    Ok(counts.documents == counts.rows && counts.documents == counts.export_rows)
}
