//! A placement's timeline for the office: its visits and mentor feedback
//! (with their follow-ups and reviews), and the placement's own phase,
//! status and training-plan changes read from its change log, in time
//! order on one page.
//!
//! The query tables find the records (`visit_placements`, `feedback_rows`);
//! the documents give their content.
//!
//! Also a workplace's overview: its contacts, mapping notes, hiring outlook
//! and placements.

use automerge::{AutoSerde, Automerge, Change};
use innom_shared::api::{
    ContactView, FollowUpView, MeetingView, PlacementTimeline, Rating, ReviewView, TimelineEntry, TimelineKind,
    WorkplaceOverview, WorkplacePlacement,
};
use innom_shared::records::{AgreedMeeting, MentorFeedback, Placement, Review, Visit};
use innom_shared::sync::AnyRecord;
use innom_shared::values::{Date, DocId};
use serde_json::Value as Json;

use crate::store::Db;
use crate::store::documents::{self, doc_id, id_bytes};
use crate::store::{erasures, users};

/// The timeline of placement `id`; `None` if there is no such placement.
pub async fn of_placement(db: &Db, id: DocId) -> anyhow::Result<Option<PlacementTimeline>> {
    let Some(doc) = documents::load(db, id).await? else { return Ok(None) };
    let AnyRecord::Placement(placement) = AnyRecord::read(&doc)? else { return Ok(None) };
    let key = id_bytes(id);
    let names = sqlx::query!(
        r#"SELECT pa.name AS "participant?", w.name AS "workplace?"
           FROM placement_rows p
           LEFT JOIN participant_rows pa ON pa.id = p.participant
           LEFT JOIN workplace_rows w ON w.id = p.workplace
           WHERE p.id = ?"#,
        key
    )
    .fetch_optional(db)
    .await?;
    let (participant, workplace) = names.map(|n| (n.participant, n.workplace)).unwrap_or_default();

    let mut entries = Vec::new();
    let visits =
        sqlx::query_scalar!("SELECT visit FROM visit_placements WHERE placement = ?", key).fetch_all(db).await?;
    let feedback = sqlx::query_scalar!("SELECT id FROM feedback_rows WHERE placement = ?", key).fetch_all(db).await?;
    for record in visits.iter().chain(&feedback).filter_map(|bytes| doc_id(bytes)) {
        let Some(doc) = documents::load(db, record).await? else { continue };
        let conflicted = crate::history::has_conflicts(&doc);
        match AnyRecord::read(&doc)? {
            AnyRecord::Visit(visit) => entries.push(TimelineEntry { conflicted, ..visit_entry(visit) }),
            AnyRecord::MentorFeedback(feedback) => {
                entries.push(TimelineEntry { conflicted, ..feedback_entry(feedback) })
            }
            _ => {}
        }
    }
    entries.extend(placement_changes(erasures::change_log(db, id).await?, id)?);
    entries.sort_by_key(|entry| entry.at);
    // Staff know advisors by name; a mentor's entries carry their name.
    let names = users::names(db).await?;
    let name_of = |username: &str| names.get(username).cloned().unwrap_or_else(|| username.to_owned());
    for entry in &mut entries {
        entry.author_name = match entry.kind {
            TimelineKind::Feedback => entry.author.clone(),
            _ => entry.author.as_deref().map(name_of),
        };
        if let Some(review) = &mut entry.review {
            review.reviewer_name = review.reviewer.as_deref().map(name_of);
        }
    }
    let advisor_name = name_of(&placement.advisor);

    let tasks = i64::try_from(placement.tasks.len()).unwrap_or(i64::MAX);
    let tasks_mastered = i64::try_from(placement.tasks.iter().filter(|t| t.mastered).count()).unwrap_or(i64::MAX);
    Ok(Some(summary(placement, advisor_name, participant, workplace, tasks, tasks_mastered, entries)))
}

/// The overview of workplace `id`, with the placements for `teams`
/// (`teams::office_filter`; `None`: all); `None` if there is no such
/// workplace.
pub async fn of_workplace(db: &Db, id: DocId, teams: Option<String>) -> anyhow::Result<Option<WorkplaceOverview>> {
    let Some(doc) = documents::load(db, id).await? else { return Ok(None) };
    let AnyRecord::Workplace(workplace) = AnyRecord::read(&doc)? else { return Ok(None) };
    let key = id_bytes(id);
    let placements = sqlx::query!(
        r#"SELECT p.id, pa.name AS "participant?", p.advisor, coalesce(u.display_name, p.advisor) AS "advisor_name!: String",
                  p.status, p.phase, p.start, p.planned_end
           FROM placement_rows p LEFT JOIN participant_rows pa ON pa.id = p.participant
           LEFT JOIN users u ON u.username = p.advisor
           WHERE p.workplace = ?1
             AND (?2 IS NULL OR EXISTS (SELECT 1 FROM document_teams t WHERE t.doc_id = p.id
                    AND (t.team_id IS NULL OR t.team_id IN (SELECT value FROM json_each(?2)))))
           ORDER BY p.start DESC"#,
        key,
        teams
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|row| WorkplacePlacement {
        placement: doc_id(&row.id).map(|id| id.to_string()).unwrap_or_default(),
        participant: row.participant.unwrap_or_default(),
        advisor: row.advisor,
        advisor_name: row.advisor_name,
        status: row.status,
        phase: row.phase,
        start: row.start,
        planned_end: row.planned_end,
    })
    .collect();
    Ok(Some(WorkplaceOverview {
        id: id.to_string(),
        name: workplace.name,
        org_number: workplace.org_number.grouped(),
        address: workplace.address,
        industry: workplace.industry.as_str().to_owned(),
        hiring_outlook: workplace.hiring_outlook.as_str().to_owned(),
        peak_months: workplace.peak_months,
        needs: workplace.mapping.needs,
        requirements: workplace.mapping.requirements,
        safety_routines: workplace.mapping.safety_routines,
        contacts: workplace
            .contacts
            .into_iter()
            .map(|c| ContactView { name: c.name, role: c.role, phone: c.phone, email: c.email })
            .collect(),
        placements,
    }))
}

fn summary(
    placement: Placement,
    advisor_name: String,
    participant: Option<String>,
    workplace: Option<String>,
    tasks: i64,
    tasks_mastered: i64,
    entries: Vec<TimelineEntry>,
) -> PlacementTimeline {
    PlacementTimeline {
        placement: placement.id.to_string(),
        participant: participant.unwrap_or_default(),
        participant_id: placement.participant.to_string(),
        workplace: workplace.unwrap_or_default(),
        workplace_id: placement.workplace.to_string(),
        advisor: placement.advisor,
        advisor_name,
        mentor: placement.mentor.name,
        status: placement.status.as_str().to_owned(),
        phase: i64::from(placement.phase),
        start: placement.start.to_iso(),
        planned_end: placement.planned_end.to_iso(),
        job_prospect: placement.job_prospect.as_str().to_owned(),
        tasks,
        tasks_mastered,
        first_meeting: meeting(&placement.first_meeting),
        second_meeting: meeting(&placement.second_meeting),
        contract_signed: placement.contract_signed,
        entries,
    }
}

fn meeting(meeting: &AgreedMeeting) -> MeetingView {
    MeetingView { planned: meeting.planned.map(Date::to_iso), held: meeting.held }
}

fn review(review: Review) -> Option<ReviewView> {
    Some(ReviewView {
        state: review.state,
        reviewer: review.reviewer,
        reviewer_name: None,
        comment: review.comment,
        answer: review.answer,
    })
}

fn visit_entry(visit: Visit) -> TimelineEntry {
    TimelineEntry {
        at: visit.at.0,
        kind: TimelineKind::Visit,
        record: visit.id.to_string(),
        author: Some(visit.advisor),
        author_name: None,
        code: visit.visit_type.as_str().to_owned(),
        status: Some(visit.status.as_str().to_owned()),
        text: visit.summary.as_str().to_owned(),
        follow_ups: visit
            .follow_ups
            .into_iter()
            .map(|f| FollowUpView { text: f.text, due: f.due.map(|d| d.to_iso()), done: f.done })
            .collect(),
        review: review(visit.review),
        conflicted: false,
        ratings: Vec::new(),
    }
}

fn feedback_entry(feedback: MentorFeedback) -> TimelineEntry {
    let rating = |field: &str, score: innom_shared::records::Score| Rating {
        field: field.to_owned(),
        value: score.as_str().to_owned(),
    };
    let ratings = vec![
        rating("attendance", feedback.attendance),
        rating("punctuality", feedback.punctuality),
        rating("initiative", feedback.initiative),
        rating("norwegian", feedback.norwegian),
    ];
    let words = [feedback.going_well, feedback.needs_attention];
    TimelineEntry {
        at: feedback.created_at.0,
        kind: TimelineKind::Feedback,
        record: feedback.id.to_string(),
        author: Some(feedback.mentor_name),
        author_name: None,
        code: feedback.ready_for_next_phase.as_str().to_owned(),
        status: Some(feedback.status.as_str().to_owned()),
        text: words.into_iter().filter(|w| !w.trim().is_empty()).collect::<Vec<_>>().join(" — "),
        follow_ups: Vec::new(),
        review: review(feedback.review),
        conflicted: false,
        ratings,
    }
}

/// The phase, status and mastered-task changes in the placement's change
/// log, each at the time the server received it. The first change (the
/// placement being created) sets them all and is not an event.
fn placement_changes(log: Vec<(erasures::ChangeEntry, Vec<u8>)>, id: DocId) -> anyhow::Result<Vec<TimelineEntry>> {
    let mut doc = Automerge::new();
    let mut before = Json::Null;
    let mut entries = Vec::new();
    for (entry, bytes) in log {
        doc.apply_changes([Change::from_bytes(bytes)?])?;
        let after = serde_json::to_value(AutoSerde::from(&doc))?;
        if !before.is_null() {
            let event = |kind, code: String, text: String| TimelineEntry {
                at: entry.received_at,
                kind,
                record: id.to_string(),
                author: entry.username.clone(),
                author_name: None,
                code,
                status: None,
                text,
                follow_ups: Vec::new(),
                review: None,
                conflicted: false,
                ratings: Vec::new(),
            };
            if before["phase"] != after["phase"] {
                entries.push(event(TimelineKind::PhaseChanged, after["phase"].to_string(), String::new()));
            }
            if before["status"] != after["status"] {
                let status = after["status"].as_str().unwrap_or_default().to_owned();
                entries.push(event(TimelineKind::StatusChanged, status, String::new()));
            }
            for task in newly_mastered(&before["tasks"], &after["tasks"]) {
                entries.push(event(TimelineKind::TaskMastered, String::new(), task));
            }
        }
        before = after;
    }
    Ok(entries)
}

/// The text of every task mastered in `after` but not in `before`.
fn newly_mastered(before: &Json, after: &Json) -> Vec<String> {
    let mastered = |tasks: &Json| -> Vec<(String, String)> {
        tasks
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["mastered"] == Json::Bool(true))
            .map(|t| {
                (t["id"].as_str().unwrap_or_default().to_owned(), t["text"].as_str().unwrap_or_default().to_owned())
            })
            .collect()
    };
    let was = mastered(before);
    mastered(after).into_iter().filter(|(id, _)| !was.iter().any(|(old, _)| old == id)).map(|(_, text)| text).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::newly_mastered;

    #[test]
    fn only_tasks_ticked_in_this_change_count_as_newly_mastered() {
        let before =
            json!([{"id": "a", "text": "Vaske", "mastered": true}, {"id": "b", "text": "Rydde", "mastered": false}]);
        let after =
            json!([{"id": "a", "text": "Vaske", "mastered": true}, {"id": "b", "text": "Rydde", "mastered": true}]);
        assert_eq!(newly_mastered(&before, &after), vec!["Rydde".to_owned()]);
        assert!(newly_mastered(&after, &before).is_empty());
        assert!(newly_mastered(&after, &after).is_empty());
    }
}
