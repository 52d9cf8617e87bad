//! The office's attention list, read from the query tables: every planned
//! or running placement with what the views need to say why it needs
//! attention — one pass over the placements, with each one's visits and
//! feedback already summed up in `placement_activity`.

use innom_shared::api::{AttentionReason, AttentionRow};
use innom_shared::values::Date;

use super::Db;

/// What the list is computed against.
#[derive(Debug, Clone, Copy)]
pub struct AttentionClock {
    pub today: Date,
    /// Milliseconds since the epoch, now.
    pub now: i64,
    /// A placement with no visit for this many days needs one.
    pub quiet_days: u32,
}

/// Placements that need attention, each with its reasons; the most
/// reasons first, then the soonest planned end.
pub async fn list(db: &Db, clock: AttentionClock) -> anyhow::Result<Vec<AttentionRow>> {
    let today = clock.today.to_iso();
    let rows = sqlx::query!(
        r#"SELECT p.id, p.workplace AS workplace_id, p.advisor, p.status, p.phase, p.start, p.planned_end,
                  coalesce(pr.name, '') AS "participant!: String",
                  coalesce(w.name, '') AS "workplace!: String",
                  coalesce(w.industry, '') AS "industry!: String",
                  a.last_visit_at AS "last_visit_at?: i64",
                  a.last_visit_status AS "visit_status?: String",
                  a.feedback_status AS "feedback_status?: String",
                  a.contact_me AS "contact_me?: i64",
                  a.readiness AS "readiness?: String",
                  coalesce(a.next_due < ?1, 0) AS "overdue!: i64",
                  coalesce(a.unreviewed, 0) AS "unreviewed!: i64"
           FROM placement_rows p
           LEFT JOIN placement_activity a ON a.placement = p.id
           LEFT JOIN participant_rows pr ON pr.id = p.participant
           LEFT JOIN workplace_rows w ON w.id = p.workplace
           WHERE p.status IN ('planned', 'active')"#,
        today
    )
    .fetch_all(db)
    .await?;
    let quiet_since = clock.now - i64::from(clock.quiet_days) * 24 * 3600 * 1000;
    let ending_by = Date(clock.today.0.saturating_add(time::Duration::days(14))).to_iso();
    let mut list: Vec<AttentionRow> = rows
        .into_iter()
        .map(|r| {
            let mut reasons = Vec::new();
            let statuses = [r.visit_status.as_deref(), r.feedback_status.as_deref()];
            if statuses.contains(&Some("red")) {
                reasons.push(AttentionReason::RedStatus);
            } else if statuses.contains(&Some("yellow")) {
                reasons.push(AttentionReason::YellowStatus);
            }
            if r.contact_me == Some(1) {
                reasons.push(AttentionReason::MentorAsksForContact);
            }
            if r.readiness.as_deref() == Some("not_yet") {
                reasons.push(AttentionReason::NotReadyForNextPhase);
            }
            if r.overdue > 0 {
                reasons.push(AttentionReason::OverdueFollowUp);
            }
            if r.status == "active" && r.last_visit_at.is_none_or(|at| at < quiet_since) {
                reasons.push(AttentionReason::NoRecentVisit);
            }
            if r.status == "active" && r.planned_end >= today && r.planned_end <= ending_by {
                reasons.push(AttentionReason::EndingSoon);
            }
            if r.unreviewed > 0 {
                reasons.push(AttentionReason::Unreviewed);
            }
            let uuid = |bytes: &[u8]| uuid::Uuid::from_slice(bytes).map(|u| u.to_string()).unwrap_or_default();
            AttentionRow {
                placement: uuid(&r.id),
                participant: r.participant,
                workplace: r.workplace,
                workplace_id: uuid(&r.workplace_id),
                industry: r.industry,
                advisor: r.advisor,
                status: r.status,
                phase: r.phase,
                start: r.start,
                planned_end: r.planned_end,
                last_visit_at: r.last_visit_at,
                unreviewed: r.unreviewed,
                reasons,
            }
        })
        .filter(|row| !row.reasons.is_empty())
        .collect();
    list.sort_by(|a, b| b.reasons.len().cmp(&a.reasons.len()).then_with(|| a.planned_end.cmp(&b.planned_end)));
    Ok(list)
}
