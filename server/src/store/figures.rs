//! Programme figures for a period, from the query tables: the input and
//! result factors of Ny sjanse (employers contacted and visited, visits per
//! week, placements by status and phase, job offers and hires, and how
//! many ended placements led to work or education).

use std::collections::BTreeMap;

pub use innom_shared::api::Figures;
use innom_shared::values::Date;

use super::Db;

fn millis(date: Date) -> i64 {
    date.0.midnight().assume_utc().unix_timestamp() * 1000
}

fn iso_week(date: time::Date) -> String {
    let (year, week, _) = date.to_iso_week_date();
    format!("{year}-W{week:02}")
}

/// The figures for the days `from` to `to`, both included, of the
/// records for `teams` (`teams::office_filter`; `None`: all).
pub async fn for_period(db: &Db, from: Date, to: Date, teams: Option<String>) -> anyhow::Result<Figures> {
    let (start, end) = (millis(from), millis(to) + 24 * 3600 * 1000);
    let visits = sqlx::query!(
        "SELECT workplace, visit_type, at FROM visit_rows v WHERE at >= ?1 AND at < ?2
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM document_teams t WHERE t.doc_id = v.id
                      AND (t.team_id IS NULL OR t.team_id IN (SELECT value FROM json_each(?3)))))
         ORDER BY at",
        start,
        end,
        teams
    )
    .fetch_all(db)
    .await?;
    let mut contacted = std::collections::BTreeSet::new();
    let mut visited = std::collections::BTreeSet::new();
    let mut interviews = 0;
    let mut per_week: BTreeMap<String, i64> = BTreeMap::new();
    let mut day = from.0;
    while day <= to.0 {
        per_week.entry(iso_week(day)).or_default();
        day = day.saturating_add(time::Duration::days(1));
    }
    for visit in &visits {
        visited.insert(visit.workplace.clone());
        if matches!(visit.visit_type.as_str(), "mapping_visit" | "contract_meeting") {
            contacted.insert(visit.workplace.clone());
        }
        if visit.visit_type == "job_interview" {
            interviews += 1;
        }
        let at = time::OffsetDateTime::from_unix_timestamp(visit.at / 1000)?;
        *per_week.entry(iso_week(at.date())).or_default() += 1;
    }

    let (from_iso, to_iso) = (from.to_iso(), to.to_iso());
    let placements = sqlx::query!(
        r#"SELECT status, phase, job_prospect, outcome, coalesce(ended_on, planned_end) AS "ended!: String"
           FROM placement_rows p WHERE start <= ?1 AND coalesce(ended_on, planned_end) >= ?2
             AND (?3 IS NULL OR EXISTS (SELECT 1 FROM document_teams t WHERE t.doc_id = p.id
                    AND (t.team_id IS NULL OR t.team_id IN (SELECT value FROM json_each(?3)))))"#,
        to_iso,
        from_iso,
        teams
    )
    .fetch_all(db)
    .await?;
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_phase: BTreeMap<i64, i64> = BTreeMap::new();
    let (mut offers, mut hires, mut ended, mut to_work) = (0, 0, 0, 0);
    for p in &placements {
        *by_status.entry(p.status.clone()).or_default() += 1;
        if p.status == "active" {
            *by_phase.entry(p.phase).or_default() += 1;
        }
        if p.job_prospect == "offered" {
            offers += 1;
        }
        let has_ended = matches!(p.status.as_str(), "completed" | "ended_early" | "hired");
        if has_ended && p.ended >= from_iso && p.ended <= to_iso {
            ended += 1;
            if p.status == "hired" {
                hires += 1;
            }
            if matches!(p.outcome.as_deref(), Some("hired" | "education")) {
                to_work += 1;
            }
        }
    }
    Ok(Figures {
        from: from_iso,
        to: to_iso,
        employers_contacted: i64::try_from(contacted.len())?,
        employers_visited: i64::try_from(visited.len())?,
        visits: i64::try_from(visits.len())?,
        visits_per_week: per_week.into_iter().collect(),
        placements_by_status: by_status,
        placements_by_phase: by_phase,
        interviews,
        job_offers: offers,
        hires,
        ended,
        ended_in_work_or_education: to_work,
    })
}
