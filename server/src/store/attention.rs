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

/// Which placements the office asks for; `None` or empty is "any".
#[derive(Debug, Clone, Default)]
pub struct AttentionQuery {
    pub advisor: Option<String>,
    /// A workplace's 16-byte id.
    pub workplace: Option<Vec<u8>>,
    pub industry: Option<String>,
    /// `red` or `yellow`.
    pub status: Option<String>,
    pub phase: Option<i64>,
    /// The placement runs on or after this day.
    pub from: Option<Date>,
    /// The placement runs on or before this day.
    pub to: Option<Date>,
    /// Part of the participant's or the workplace's name, any case.
    pub q: Option<String>,
    /// Need to know: only placements for these teams (a JSON array of
    /// team ids, `teams::office_filter`); `None`: every placement.
    pub teams: Option<String>,
    /// At most this many rows, the most urgent first.
    pub limit: i64,
}

/// Lowercase as SQLite's `lower` does, plus the Norwegian letters (whose
/// capitals `lower` leaves alone): the search compares both sides this way.
fn folded(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii() || "ÆØÅ".contains(c) { c.to_lowercase().next().unwrap_or(c) } else { c })
        .collect()
}

/// A `LIKE … ESCAPE '\'` pattern matching any text that holds `part`,
/// folded: `%`, `_` and `\` in it match only themselves.
fn like_pattern(part: &str) -> String {
    let escaped = folded(part).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Placements that need attention, each with its reasons, filtered; the
/// most reasons first, then the soonest planned end; at most
/// `query.limit` of them, and how many there are in all. The reasons are
/// worked out in SQL, so the database sorts and cuts the list and only the
/// rows shown are read.
pub async fn list(db: &Db, clock: AttentionClock, query: &AttentionQuery) -> anyhow::Result<(Vec<AttentionRow>, i64)> {
    let today = clock.today.to_iso();
    let quiet_since = clock.now - i64::from(clock.quiet_days) * 24 * 3600 * 1000;
    // A placement is quiet only once it has run that long without a visit:
    // the days are counted from its start, not from before it.
    let quiet_started_by = Date(clock.today.0.saturating_sub(time::Duration::days(clock.quiet_days.into()))).to_iso();
    let ending_by = Date(clock.today.0.saturating_add(time::Duration::days(14))).to_iso();
    let (from, to) = (query.from.map(|d| d.to_iso()), query.to.map(|d| d.to_iso()));
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
    let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let (advisor, industry, status) = (nonempty(&query.advisor), nonempty(&query.industry), nonempty(&query.status));
    // Staff know advisors by name: the filter takes the username or a part
    // of the name, folded like the search.
    let advisor_name = advisor.as_deref().map(like_pattern);
    let rows = sqlx::query!(
        r#"WITH flagged AS (
             SELECT p.id, p.workplace AS workplace_id, p.advisor, coalesce(u.display_name, p.advisor) AS advisor_name,
                    p.status, p.phase, p.start, p.planned_end,
                    coalesce(pr.name, '') AS participant, coalesce(w.name, '') AS workplace,
                    coalesce(w.industry, '') AS industry, a.last_visit_at, coalesce(a.unreviewed, 0) AS unreviewed,
                    (a.last_visit_status = 'red' OR a.feedback_status = 'red') AS red,
                    (a.last_visit_status = 'yellow' OR a.feedback_status = 'yellow') AS yellow,
                    coalesce(a.contact_me = 1, 0) AS contact,
                    coalesce(a.readiness = 'not_yet', 0) AS not_ready,
                    coalesce(a.conflicts > 0, 0) AS conflict,
                    coalesce(a.next_due < ?1, 0) AS overdue,
                    (p.status = 'active' AND coalesce(a.last_visit_at < ?2, 1) AND p.start <= ?14) AS quiet,
                    (p.status = 'active' AND p.planned_end >= ?1 AND p.planned_end <= ?3) AS ending
             FROM placement_rows p
             LEFT JOIN placement_activity a ON a.placement = p.id
             LEFT JOIN participant_rows pr ON pr.id = p.participant
             LEFT JOIN workplace_rows w ON w.id = p.workplace
             LEFT JOIN users u ON u.username = p.advisor
             WHERE p.status IN ('planned', 'active')
               AND (?4 IS NULL OR p.advisor = ?4
                    OR lower(replace(replace(replace(u.display_name, 'Æ', 'æ'), 'Ø', 'ø'), 'Å', 'å')) LIKE ?13 ESCAPE '\')
               AND (?5 IS NULL OR p.workplace = ?5)
               AND (?6 IS NULL OR w.industry = ?6)
               AND (?7 IS NULL OR p.phase = ?7)
               AND (?8 IS NULL OR p.planned_end >= ?8)
               AND (?9 IS NULL OR p.start <= ?9)
               AND (?10 IS NULL
                    OR lower(replace(replace(replace(pr.name, 'Æ', 'æ'), 'Ø', 'ø'), 'Å', 'å')) LIKE ?10 ESCAPE '\'
                    OR lower(replace(replace(replace(w.name, 'Æ', 'æ'), 'Ø', 'ø'), 'Å', 'å')) LIKE ?10 ESCAPE '\')
               AND (?15 IS NULL OR EXISTS (SELECT 1 FROM document_teams t WHERE t.doc_id = p.id
                    AND (t.team_id IS NULL OR t.team_id IN (SELECT value FROM json_each(?15)))))
           ),
           counted AS (
             SELECT *, (coalesce(red, 0) OR coalesce(yellow, 0)) + contact + not_ready + overdue + conflict
                       + coalesce(quiet, 0) + coalesce(ending, 0) + (unreviewed > 0) AS reasons
             FROM flagged
           )
           SELECT id, workplace_id, advisor, advisor_name AS "advisor_name!: String", status, phase, start, planned_end,
                  participant AS "participant!: String", workplace AS "workplace!: String",
                  industry AS "industry!: String", last_visit_at AS "last_visit_at?: i64",
                  unreviewed AS "unreviewed!: i64", coalesce(red, 0) AS "red!: bool",
                  coalesce(yellow, 0) AS "yellow!: bool", contact AS "contact!: bool",
                  not_ready AS "not_ready!: bool", overdue AS "overdue!: bool", conflict AS "conflict!: bool", coalesce(quiet, 0) AS "quiet!: bool",
                  coalesce(ending, 0) AS "ending!: bool", count(*) OVER () AS "total!: i64"
           FROM counted
           WHERE reasons > 0
             AND (?11 IS NULL OR (?11 = 'red' AND coalesce(red, 0)) OR (?11 = 'yellow' AND coalesce(yellow, 0)))
           ORDER BY reasons DESC, planned_end, id
           LIMIT ?12"#,
        today,
        quiet_since,
        ending_by,
        advisor,
        query.workplace,
        industry,
        query.phase,
        from,
        to,
        q,
        status,
        query.limit,
        advisor_name,
        quiet_started_by,
        query.teams
    )
    .fetch_all(db)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let uuid = |bytes: &[u8]| uuid::Uuid::from_slice(bytes).map(|u| u.to_string()).unwrap_or_default();
    let list = rows
        .into_iter()
        .map(|r| {
            // Red outranks yellow: a placement says one of them.
            let flags = [
                (r.red, AttentionReason::RedStatus),
                (r.yellow && !r.red, AttentionReason::YellowStatus),
                (r.contact, AttentionReason::MentorAsksForContact),
                (r.not_ready, AttentionReason::NotReadyForNextPhase),
                (r.overdue, AttentionReason::OverdueFollowUp),
                (r.quiet, AttentionReason::NoRecentVisit),
                (r.ending, AttentionReason::EndingSoon),
                (r.unreviewed > 0, AttentionReason::Unreviewed),
                (r.conflict, AttentionReason::Conflict),
            ];
            AttentionRow {
                placement: uuid(&r.id),
                participant: r.participant,
                workplace: r.workplace,
                workplace_id: uuid(&r.workplace_id),
                industry: r.industry,
                advisor: r.advisor,
                advisor_name: r.advisor_name,
                status: r.status,
                phase: r.phase,
                start: r.start,
                planned_end: r.planned_end,
                last_visit_at: r.last_visit_at,
                unreviewed: r.unreviewed,
                reasons: flags.into_iter().filter(|(on, _)| *on).map(|(_, reason)| reason).collect(),
            }
        })
        .collect();
    Ok((list, total))
}

#[cfg(test)]
mod tests {
    use super::folded;

    #[test]
    fn search_folds_ascii_and_norwegian_capitals_like_the_query_does() {
        assert_eq!(folded("ØYVIND Åsheim-LØVÅS"), "øyvind åsheim-løvås");
        assert_eq!(folded("Bashir"), "bashir");
        assert_eq!(folded("Émile"), "Émile", "other capitals stay, as SQLite's lower leaves them");
    }
}
