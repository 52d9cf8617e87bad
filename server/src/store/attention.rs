//! The office's attention list, read from the query tables: every planned
//! or running placement with what the views need to say why it needs
//! attention.

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
                  (SELECT max(v.at) FROM visit_rows v JOIN visit_placements vp ON vp.visit = v.id
                    WHERE vp.placement = p.id) AS "last_visit_at?: i64",
                  (SELECT v.status FROM visit_rows v JOIN visit_placements vp ON vp.visit = v.id
                    WHERE vp.placement = p.id ORDER BY v.at DESC LIMIT 1) AS "visit_status?: String",
                  (SELECT f.status FROM feedback_rows f WHERE f.placement = p.id
                    ORDER BY f.created_at DESC LIMIT 1) AS "feedback_status?: String",
                  (SELECT f.contact_me FROM feedback_rows f WHERE f.placement = p.id
                    ORDER BY f.created_at DESC LIMIT 1) AS "contact_me?: i64",
                  (SELECT f.readiness FROM feedback_rows f WHERE f.placement = p.id
                    ORDER BY f.created_at DESC LIMIT 1) AS "readiness?: String",
                  (SELECT count(*) FROM visit_rows v JOIN visit_placements vp ON vp.visit = v.id
                    WHERE vp.placement = p.id AND v.open_follow_ups > 0 AND v.next_due < ?1) AS "overdue!: i64",
                  (SELECT count(*) FROM visit_rows v JOIN visit_placements vp ON vp.visit = v.id
                    WHERE vp.placement = p.id AND v.review_state != 'reviewed')
                + (SELECT count(*) FROM feedback_rows f WHERE f.placement = p.id AND f.review_state != 'reviewed')
                  AS "unreviewed!: i64"
           FROM placement_rows p
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
