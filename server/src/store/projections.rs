//! The query tables behind the office's views (`migrations/0007`): one row
//! per record with the fields views filter and sort on. Written by
//! [`project`] in the transaction that stores each merge, so they never
//! lag the documents; [`rebuild`] makes them again from the documents.
//! `placement_activity` (`migrations/0008`) sums up each placement's visits
//! and feedback for the attention list; [`refresh_activity`] keeps it in
//! step whenever one of them is projected.

use std::collections::BTreeSet;

use automerge::Automerge;
use innom_shared::sync::AnyRecord;
use innom_shared::values::DocId;
use serde_json::{Value, json};
use sqlx::SqliteConnection;

use super::documents::hex_id;
use super::{BEGIN_WRITE, Db};

/// One record to project: its id, what it is now, and what it was when
/// last projected (`None` if it never was). A visit or feedback that no
/// longer names a placement must take it out of that placement's summary;
/// taking the former record from the merge saves reading it back.
#[derive(Debug, Clone, Copy)]
pub struct Projection<'a> {
    pub id: DocId,
    pub record: &'a AnyRecord,
    pub before: Option<&'a AnyRecord>,
    /// Whether the document holds concurrent values nobody has chosen
    /// between (`history::has_conflicts`).
    pub conflicted: bool,
}

/// The rows of a batch of records, table by table, each a JSON array
/// bound as one value: a table costs one statement however many records
/// the batch holds (each statement is a hand-off to SQLite's connection
/// thread, and the sync writer stores many pushes at once). Ids and
/// blobs travel as hex and are turned back with `unhex`.
#[derive(Debug, Default)]
struct Rows {
    export: Vec<Value>,
    workplaces: Vec<Value>,
    participants: Vec<Value>,
    placements: Vec<Value>,
    visits: Vec<Value>,
    feedback: Vec<Value>,
    /// Visits whose former placement links go.
    unlinked_visits: Vec<String>,
    /// `[visit, placement]` links to add.
    links: Vec<[String; 2]>,
    /// Placements whose activity is summed up again.
    touched: BTreeSet<String>,
}

impl Rows {
    fn add(&mut self, Projection { id, record, before, conflicted }: Projection<'_>) -> anyhow::Result<()> {
        let (cells, refs) = crate::exports::stored_row(record)?;
        self.export.push(json!({
            "id": hex_id(id), "kind": record.kind().as_str(), "created_at": record.created_at().0,
            "cells": cells, "refs": refs,
        }));
        match record {
            AnyRecord::Workplace(w) => self.workplaces.push(json!({
                "id": hex_id(id), "name": w.name, "org_number": w.org_number.as_str(),
                "industry": w.industry.as_str(), "hiring_outlook": w.hiring_outlook.as_str(),
            })),
            AnyRecord::Participant(p) => self.participants.push(json!({
                "id": hex_id(id), "name": p.display_name, "programme": p.programme.as_str(),
                "goal": p.goal.as_str(), "advisor": p.advisor,
            })),
            AnyRecord::Placement(p) => {
                // Its own conflicts count in its activity summary too.
                self.touched.insert(hex_id(id));
                self.placements.push(json!({
                "id": hex_id(id), "participant": hex_id(p.participant), "workplace": hex_id(p.workplace),
                "advisor": p.advisor, "status": p.status.as_str(), "phase": p.phase,
                "start": p.start.to_iso(), "planned_end": p.planned_end.to_iso(),
                "ended_on": p.ended_on.map(|d| d.to_iso()), "job_prospect": p.job_prospect.as_str(),
                "outcome": p.outcome.map(|o| o.as_str()), "tasks": p.tasks.len(),
                "tasks_mastered": p.tasks.iter().filter(|t| t.mastered).count(), "conflicted": conflicted,
                }));
            }
            AnyRecord::Visit(v) => {
                let open: Vec<_> = v.follow_ups.iter().filter(|f| !f.done).collect();
                self.visits.push(json!({
                    "id": hex_id(id), "workplace": hex_id(v.workplace), "advisor": v.advisor, "at": v.at.0,
                    "visit_type": v.visit_type.as_str(), "status": v.status.as_str(),
                    "job_signal": v.job_signal.as_str(), "review_state": v.review.state.as_str(),
                    "open_follow_ups": open.len(),
                    "next_due": open.iter().filter_map(|f| f.due).min().map(|d| d.to_iso()),
                    "conflicted": conflicted,
                }));
                let before: BTreeSet<String> = match before {
                    Some(AnyRecord::Visit(before)) => before.placements.iter().map(|p| hex_id(*p)).collect(),
                    _ => BTreeSet::new(),
                };
                let now: BTreeSet<String> = v.placements.iter().map(|p| hex_id(*p)).collect();
                // Most edits leave the placements as they were.
                if before != now {
                    if !before.is_empty() {
                        self.unlinked_visits.push(hex_id(id));
                    }
                    self.links.extend(now.iter().map(|p| [hex_id(id), p.clone()]));
                }
                // The placements it was about before need their summary
                // again too, if it no longer names them.
                self.touched.extend(before);
                self.touched.extend(now);
            }
            AnyRecord::MentorFeedback(f) => {
                self.feedback.push(json!({
                    "id": hex_id(id), "placement": hex_id(f.placement), "created_at": f.created_at.0,
                    "status": f.status.as_str(), "readiness": f.ready_for_next_phase.as_str(),
                    "contact_me": f.contact_me, "review_state": f.review.state.as_str(), "conflicted": conflicted,
                }));
                if let Some(AnyRecord::MentorFeedback(before)) = before {
                    self.touched.insert(hex_id(before.placement));
                }
                self.touched.insert(hex_id(f.placement));
            }
        }
        Ok(())
    }
}

/// Writes the query-table rows of `records`, replacing what was there, in
/// a fixed number of statements. Each record appears at most once.
pub async fn project(conn: &mut SqliteConnection, records: &[Projection<'_>]) -> anyhow::Result<()> {
    let mut rows = Rows::default();
    for record in records {
        rows.add(*record)?;
    }
    let json = |rows: &[Value]| serde_json::to_string(rows);
    if !rows.export.is_empty() {
        let export = json(&rows.export)?;
        sqlx::query!(
            "INSERT OR REPLACE INTO export_rows (id, kind, created_at, cells, refs)
             SELECT unhex(r->>'id'), r->>'kind', r->>'created_at', r->>'cells', r->>'refs'
             FROM (SELECT value AS r FROM json_each(?))",
            export
        )
        .execute(&mut *conn)
        .await?;
    }
    if !rows.workplaces.is_empty() {
        let workplaces = json(&rows.workplaces)?;
        sqlx::query!(
            "INSERT OR REPLACE INTO workplace_rows (id, name, org_number, industry, hiring_outlook)
             SELECT unhex(r->>'id'), r->>'name', r->>'org_number', r->>'industry', r->>'hiring_outlook'
             FROM (SELECT value AS r FROM json_each(?))",
            workplaces
        )
        .execute(&mut *conn)
        .await?;
    }
    if !rows.participants.is_empty() {
        let participants = json(&rows.participants)?;
        sqlx::query!(
            "INSERT OR REPLACE INTO participant_rows (id, name, programme, goal, advisor)
             SELECT unhex(r->>'id'), r->>'name', r->>'programme', r->>'goal', r->>'advisor'
             FROM (SELECT value AS r FROM json_each(?))",
            participants
        )
        .execute(&mut *conn)
        .await?;
    }
    if !rows.placements.is_empty() {
        let placements = json(&rows.placements)?;
        sqlx::query!(
            "INSERT OR REPLACE INTO placement_rows (id, participant, workplace, advisor, status, phase, start,
                 planned_end, ended_on, job_prospect, outcome, tasks, tasks_mastered, conflicted)
             SELECT unhex(r->>'id'), unhex(r->>'participant'), unhex(r->>'workplace'), r->>'advisor',
                 r->>'status', r->>'phase', r->>'start', r->>'planned_end', r->>'ended_on', r->>'job_prospect',
                 r->>'outcome', r->>'tasks', r->>'tasks_mastered', r->>'conflicted'
             FROM (SELECT value AS r FROM json_each(?))",
            placements
        )
        .execute(&mut *conn)
        .await?;
    }
    if !rows.visits.is_empty() {
        let visits = json(&rows.visits)?;
        sqlx::query!(
            "INSERT OR REPLACE INTO visit_rows (id, workplace, advisor, at, visit_type, status, job_signal,
                 review_state, open_follow_ups, next_due, conflicted)
             SELECT unhex(r->>'id'), unhex(r->>'workplace'), r->>'advisor', r->>'at', r->>'visit_type',
                 r->>'status', r->>'job_signal', r->>'review_state', r->>'open_follow_ups', r->>'next_due',
                 r->>'conflicted'
             FROM (SELECT value AS r FROM json_each(?))",
            visits
        )
        .execute(&mut *conn)
        .await?;
    }
    if !rows.feedback.is_empty() {
        let feedback = json(&rows.feedback)?;
        sqlx::query!(
            "INSERT OR REPLACE INTO feedback_rows (id, placement, created_at, status, readiness, contact_me,
                 review_state, conflicted)
             SELECT unhex(r->>'id'), unhex(r->>'placement'), r->>'created_at', r->>'status', r->>'readiness',
                 r->>'contact_me', r->>'review_state', r->>'conflicted'
             FROM (SELECT value AS r FROM json_each(?))",
            feedback
        )
        .execute(&mut *conn)
        .await?;
    }
    if !rows.unlinked_visits.is_empty() {
        let visits = serde_json::to_string(&rows.unlinked_visits)?;
        sqlx::query!("DELETE FROM visit_placements WHERE visit IN (SELECT unhex(value) FROM json_each(?))", visits)
            .execute(&mut *conn)
            .await?;
    }
    if !rows.links.is_empty() {
        let links = serde_json::to_string(&rows.links)?;
        sqlx::query!(
            "INSERT INTO visit_placements (visit, placement)
             SELECT unhex(value->>0), unhex(value->>1) FROM json_each(?)",
            links
        )
        .execute(&mut *conn)
        .await?;
    }
    refresh_activity(conn, &rows.touched).await
}

/// Sums up again the visits and feedback of each placement in `placements`
/// (hex ids) into `placement_activity`, in one statement.
pub async fn refresh_activity(conn: &mut SqliteConnection, placements: &BTreeSet<String>) -> anyhow::Result<()> {
    if placements.is_empty() {
        return Ok(());
    }
    let placements = serde_json::to_string(placements)?;
    sqlx::query!(
        "INSERT OR REPLACE INTO placement_activity
         SELECT p.id,
             (SELECT max(v.at) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
               WHERE vp.placement = p.id),
             (SELECT v.status FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
               WHERE vp.placement = p.id ORDER BY v.at DESC LIMIT 1),
             (SELECT min(v.next_due) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
               WHERE vp.placement = p.id AND v.open_follow_ups > 0),
             (SELECT count(*) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
               WHERE vp.placement = p.id AND v.review_state != 'reviewed')
           + (SELECT count(*) FROM feedback_rows f WHERE f.placement = p.id AND f.review_state != 'reviewed'),
             (SELECT f.status FROM feedback_rows f WHERE f.placement = p.id ORDER BY f.created_at DESC LIMIT 1),
             (SELECT f.contact_me FROM feedback_rows f WHERE f.placement = p.id ORDER BY f.created_at DESC LIMIT 1),
             (SELECT f.readiness FROM feedback_rows f WHERE f.placement = p.id ORDER BY f.created_at DESC LIMIT 1),
             coalesce((SELECT pr.conflicted FROM placement_rows pr WHERE pr.id = p.id), 0)
           + (SELECT count(*) FROM visit_placements vp JOIN visit_rows v ON v.id = vp.visit
               WHERE vp.placement = p.id AND v.conflicted)
           + (SELECT count(*) FROM feedback_rows f WHERE f.placement = p.id AND f.conflicted)
         FROM (SELECT unhex(value) AS id FROM json_each(?)) p",
        placements
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sums up every placement again: after an erasure, which removes visits
/// and feedback without projecting them.
pub async fn refresh_all_activity(conn: &mut SqliteConnection) -> anyhow::Result<()> {
    sqlx::query!("DELETE FROM placement_activity").execute(&mut *conn).await?;
    let placements = sqlx::query_scalar!(
        r#"SELECT hex(placement) AS "placement!: String" FROM visit_placements
           UNION SELECT hex(placement) FROM feedback_rows"#
    )
    .fetch_all(&mut *conn)
    .await?;
    refresh_activity(conn, &placements.into_iter().collect()).await
}

/// Empties the query tables and projects every stored document again, in
/// one transaction. Returns how many records were projected.
pub async fn rebuild(db: &Db) -> anyhow::Result<usize> {
    let mut tx = db.begin_with(BEGIN_WRITE).await?;
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
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let id = DocId(uuid::Uuid::from_slice(&row.id)?);
        let doc = Automerge::load(&row.snapshot)?;
        records.push((id, AnyRecord::read(&doc)?, crate::history::has_conflicts(&doc)));
    }
    // Batches keep the JSON of one statement to a few megabytes.
    for batch in records.chunks(1_000) {
        let batch: Vec<_> = batch
            .iter()
            .map(|(id, record, conflicted)| Projection { id: *id, record, before: None, conflicted: *conflicted })
            .collect();
        project(&mut tx, &batch).await?;
    }
    tx.commit().await?;
    Ok(records.len())
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
