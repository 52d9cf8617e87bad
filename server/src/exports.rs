//! CSV exports for office staff: one file per record kind, with Norwegian
//! column names, that Excel on a Norwegian desktop opens as it is.
//!
//! Excel reads a file as UTF-8 only with a byte-order mark, and in the
//! Norwegian locale it splits columns on semicolons (the comma is the
//! decimal mark), so files start with a BOM and use `;`. Every field is
//! quoted, so commas, quotes and line breaks inside a field survive. Enum
//! values are in Norwegian words under the Norwegian headers ("Gul",
//! "Stikke innom", `innom_shared::labels`); programs that need Innom's
//! stable codes read the JSON views and export instead. Advisors are named
//! by their full name in every file. A text that starts with `=`, `+`,
//! `@`, a tab or a carriage return gets a leading `'`, so Excel shows it
//! as text rather than running it as a formula (CSV injection); a phone
//! number is written with `00` for a leading `+` (`0047 412 34 567`),
//! which Excel keeps as text and a phone still dials, so it needs none.
//!
//! Each record's row is rendered when it is merged and kept in
//! `export_rows` (`migrations/0009`), without the names of the records it
//! points to, which [`NameRef`] says where to put; an export fills them in
//! from the query tables and streams the rows page by page, so exporting
//! 100,000 visits reads one table and holds one page in memory.

use std::collections::HashMap;

use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use innom_shared::api::{AttentionReason, AttentionRow};
use innom_shared::records::{RecordKind, Status};
use innom_shared::sync::AnyRecord;
use innom_shared::values::{DocId, Timestamp};
use serde::{Deserialize, Serialize};

/// A record kind as exported: its address, file name and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportKind {
    pub kind: RecordKind,
    /// The last part of `/api/exports/{slug}.csv`.
    pub slug: &'static str,
    /// The Norwegian file name, before the date.
    pub file_stem: &'static str,
}

pub const EXPORT_KINDS: [ExportKind; 5] = [
    ExportKind { kind: RecordKind::Workplace, slug: "workplaces", file_stem: "arbeidsplasser" },
    ExportKind { kind: RecordKind::Participant, slug: "participants", file_stem: "deltakere" },
    ExportKind { kind: RecordKind::Placement, slug: "placements", file_stem: "praksisplasser" },
    ExportKind { kind: RecordKind::Visit, slug: "visits", file_stem: "besok" },
    ExportKind { kind: RecordKind::MentorFeedback, slug: "feedback", file_stem: "tilbakemeldinger" },
];

impl ExportKind {
    pub fn from_slug(slug: &str) -> Option<Self> {
        EXPORT_KINDS.into_iter().find(|k| k.slug == slug)
    }
}

/// Names other records refer to: workplaces and participants by id, and
/// each placement's participant.
#[derive(Debug, Default, Clone)]
pub struct Names {
    pub workplaces: HashMap<DocId, String>,
    pub participants: HashMap<DocId, String>,
    pub placement_participant: HashMap<DocId, DocId>,
    /// Full names by username.
    pub users: HashMap<String, String>,
}

/// A cell of a record's row that holds other records' names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameRef {
    pub cell: usize,
    pub of: NameOf,
    pub ids: Vec<DocId>,
}

/// Whose name a [`NameRef`] cell holds; a placement's is its participant's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameOf {
    Workplace,
    Participant,
    Placement,
    /// An account, by username (kept in the cell): its full name.
    User,
}

/// The cells of `record`'s row that hold names, as [`row`] fills them.
pub fn name_refs(record: &AnyRecord) -> Vec<NameRef> {
    let one = |cell, of, id| NameRef { cell, of, ids: vec![id] };
    // The cell keeps the username; the export puts the name in its place.
    let user = |cell| NameRef { cell, of: NameOf::User, ids: Vec::new() };
    match record {
        AnyRecord::Workplace(_) => vec![user(12)],
        AnyRecord::Participant(_) => vec![user(5), user(7)],
        AnyRecord::Placement(p) => {
            vec![one(1, NameOf::Participant, p.participant), one(2, NameOf::Workplace, p.workplace), user(3)]
        }
        AnyRecord::Visit(v) => vec![
            user(2),
            one(3, NameOf::Workplace, v.workplace),
            NameRef { cell: 4, of: NameOf::Placement, ids: v.placements.clone() },
        ],
        AnyRecord::MentorFeedback(f) => vec![one(2, NameOf::Placement, f.placement)],
    }
}

/// A record's row as `export_rows` keeps it: the cells as JSON, the names
/// left empty, and the [`NameRef`]s as JSON.
pub fn stored_row(record: &AnyRecord) -> anyhow::Result<(String, String)> {
    let cells = row(record, &Names::default());
    Ok((serde_json::to_string(&cells)?, serde_json::to_string(&name_refs(record))?))
}

/// A stored row with the names filled in.
pub fn finished_row(cells: &str, refs: &str, names: &Names) -> anyhow::Result<Vec<String>> {
    let mut cells: Vec<String> = serde_json::from_str(cells)?;
    for name in serde_json::from_str::<Vec<NameRef>>(refs)? {
        if let Some(cell) = cells.get_mut(name.cell) {
            *cell = match name.of {
                // A username nobody has (a mentor, an account since deleted) stays as it is.
                NameOf::User => names.users.get(cell.as_str()).cloned().unwrap_or_else(|| cell.clone()),
                _ => names.of(&name),
            };
        }
    }
    Ok(cells)
}

impl Names {
    /// The names a [`NameRef`] points to, joined with ", ".
    fn of(&self, name: &NameRef) -> String {
        let one = |id: &DocId| match name.of {
            NameOf::Workplace => self.workplace(*id),
            NameOf::Participant => self.participant(*id),
            NameOf::Placement => self.placement(*id),
            NameOf::User => String::new(),
        };
        name.ids.iter().map(one).collect::<Vec<_>>().join(", ")
    }

    fn workplace(&self, id: DocId) -> String {
        self.workplaces.get(&id).cloned().unwrap_or_default()
    }

    fn participant(&self, id: DocId) -> String {
        self.participants.get(&id).cloned().unwrap_or_default()
    }

    fn placement(&self, id: DocId) -> String {
        self.placement_participant.get(&id).map(|p| self.participant(*p)).unwrap_or_default()
    }
}

/// The column names of `kind`.
pub fn header(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Workplace => &[
            "ID",
            "Navn",
            "Organisasjonsnummer",
            "Adresse",
            "Bransje",
            "Ansettelsesutsikter",
            "Høysesong (måneder)",
            "Behov",
            "Krav",
            "Sikkerhetsrutiner",
            "Kontakter",
            "Opprettet",
            "Opprettet av",
        ],
        RecordKind::Participant => {
            &["ID", "Navn", "Program", "Mål", "Språknivå", "Rådgiver", "Opprettet", "Opprettet av"]
        }
        RecordKind::Placement => &[
            "ID",
            "Deltaker",
            "Arbeidsplass",
            "Rådgiver",
            "Fadder",
            "Fadders telefon",
            "Start",
            "Planlagt slutt",
            "Sluttdato",
            "Status",
            "Fase",
            "Oppgaver mestret",
            "Kontrakt signert",
            "Jobbutsikter",
            "Utfall",
            "Merknad til utfall",
        ],
        RecordKind::Visit => &[
            "ID",
            "Tidspunkt",
            "Rådgiver",
            "Arbeidsplass",
            "Deltakere",
            "Type",
            "Varighet (min)",
            "Møtte",
            "Status",
            "Bekymringer",
            "Oppfølginger",
            "Jobbsignal",
            "Oppsummering",
            "Vurdering",
            "Kommentar fra kontoret",
        ],
        RecordKind::MentorFeedback => &[
            "ID",
            "Tidspunkt",
            "Deltaker",
            "Fadder",
            "Oppmøte",
            "Punktlighet",
            "Initiativ",
            "Norsk i samtale",
            "Klar for neste fase",
            "Dette går bra",
            "Dette trenger oppmerksomhet",
            "Kontakt meg",
            "Status",
            "Vurdering",
        ],
    }
}

fn yes_no(value: bool) -> String {
    if value { "ja" } else { "nei" }.to_owned()
}

fn status(status: Status) -> String {
    words(status.as_str())
}

/// A stored code in Norwegian words.
fn words(code: &str) -> String {
    innom_shared::labels::nb(code)
}

/// A phone number Excel keeps as text and a phone still dials: `+47 …`
/// becomes `0047 …` (Norway's international prefix), needing no `'`.
fn phone_number(phone: &str) -> String {
    match phone.strip_prefix('+') {
        Some(rest) => format!("00{rest}"),
        None => phone.to_owned(),
    }
}

/// A time as `2026-11-25 14:05`, Norwegian local time (CET, or CEST from
/// the last Sunday of March to the last Sunday of October, 01:00 UTC).
pub fn oslo_time(at: Timestamp) -> String {
    let Ok(utc) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.0) * 1_000_000) else {
        return String::new();
    };
    let last_sunday = |month: time::Month| {
        let last = time::Date::from_calendar_date(utc.year(), month, 31).unwrap_or(utc.date());
        let back = last.weekday().number_days_from_sunday();
        last.checked_sub(time::Duration::days(back.into())).unwrap_or(last).midnight().assume_utc()
            + time::Duration::hours(1)
    };
    let summer = utc >= last_sunday(time::Month::March) && utc < last_sunday(time::Month::October);
    let local = utc + time::Duration::hours(if summer { 2 } else { 1 });
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// One record's fields, in the order of [`header`].
pub fn row(record: &AnyRecord, names: &Names) -> Vec<String> {
    match record {
        AnyRecord::Workplace(w) => vec![
            w.id.to_string(),
            w.name.clone(),
            w.org_number.as_str().to_owned(),
            w.address.clone(),
            words(w.industry.as_str()),
            words(w.hiring_outlook.as_str()),
            w.peak_months.iter().map(u8::to_string).collect::<Vec<_>>().join(", "),
            w.mapping.needs.clone(),
            w.mapping.requirements.clone(),
            w.mapping.safety_routines.clone(),
            w.contacts
                .iter()
                .map(|c| format!("{} ({}), {}, {}", c.name, c.role, phone_number(&c.phone), c.email))
                .collect::<Vec<_>>()
                .join("\n"),
            oslo_time(w.created_at),
            w.created_by.clone(),
        ],
        AnyRecord::Participant(p) => vec![
            p.id.to_string(),
            p.display_name.clone(),
            words(p.programme.as_str()),
            words(p.goal.as_str()),
            words(p.language_level.as_str()),
            p.advisor.clone(),
            oslo_time(p.created_at),
            p.created_by.clone(),
        ],
        AnyRecord::Placement(p) => vec![
            p.id.to_string(),
            names.participant(p.participant),
            names.workplace(p.workplace),
            p.advisor.clone(),
            p.mentor.name.clone(),
            phone_number(&p.mentor.phone),
            p.start.to_iso(),
            p.planned_end.to_iso(),
            p.ended_on.map(|d| d.to_iso()).unwrap_or_default(),
            words(p.status.as_str()),
            p.phase.to_string(),
            format!("{} av {}", p.tasks.iter().filter(|t| t.mastered).count(), p.tasks.len()),
            yes_no(p.contract_signed),
            words(p.job_prospect.as_str()),
            p.outcome.map(|o| words(o.as_str())).unwrap_or_default(),
            p.outcome_note.clone(),
        ],
        AnyRecord::Visit(v) => vec![
            v.id.to_string(),
            oslo_time(v.at),
            v.advisor.clone(),
            names.workplace(v.workplace),
            v.placements.iter().map(|p| names.placement(*p)).collect::<Vec<_>>().join(", "),
            words(v.visit_type.as_str()),
            v.duration_minutes.to_string(),
            v.met.clone(),
            status(v.status),
            v.concerns
                .iter()
                .map(|c| {
                    if c.note.is_empty() {
                        words(c.tag.as_str())
                    } else {
                        format!("{}: {}", words(c.tag.as_str()), c.note)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            v.follow_ups
                .iter()
                .map(|f| {
                    let due = f.due.map(|d| format!(" (frist {})", d.to_iso())).unwrap_or_default();
                    let done = if f.done { " [utført]" } else { "" };
                    format!("{}{due}{done}", f.text)
                })
                .collect::<Vec<_>>()
                .join("\n"),
            words(v.job_signal.as_str()),
            v.summary.as_str().to_owned(),
            words(v.review.state.as_str()),
            v.review.comment.clone(),
        ],
        AnyRecord::MentorFeedback(f) => vec![
            f.id.to_string(),
            oslo_time(f.created_at),
            names.placement(f.placement),
            f.mentor_name.clone(),
            words(f.attendance.as_str()),
            words(f.punctuality.as_str()),
            words(f.initiative.as_str()),
            words(f.norwegian.as_str()),
            words(f.ready_for_next_phase.as_str()),
            f.going_well.clone(),
            f.needs_attention.clone(),
            yes_no(f.contact_me),
            status(f.status),
            words(f.review.state.as_str()),
        ],
    }
}

/// A field as Excel should show it: text that would start a formula gets a
/// leading apostrophe.
fn neutralise(field: String) -> String {
    if field.starts_with(['=', '+', '@', '\t', '\r']) { format!("'{field}") } else { field }
}

/// `body` as a CSV file download named `filename`.
pub fn attachment(filename: &str, body: impl Into<axum::body::Body>) -> crate::error::Result<Response> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .map_err(|e| crate::error::ApiError::Internal(e.into()))?;
    Ok((
        [(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")), (CONTENT_DISPOSITION, disposition)],
        body.into(),
    )
        .into_response())
}

/// Rows as CSV the way Excel opens it: `;`, every field quoted, CRLF.
pub fn csv_rows(rows: impl IntoIterator<Item = Vec<String>>) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row.into_iter().map(neutralise))?;
    }
    writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// The start of a CSV file: the byte-order mark and the header.
pub fn csv_start(header: &[&str]) -> anyhow::Result<Vec<u8>> {
    let mut start = b"\xEF\xBB\xBF".to_vec();
    start.extend(csv_rows([header.iter().map(|h| (*h).to_owned()).collect()])?);
    Ok(start)
}

/// A whole CSV file.
fn file(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> anyhow::Result<Vec<u8>> {
    let mut file = csv_start(header)?;
    file.extend(csv_rows(rows)?);
    Ok(file)
}

/// The attention list as the office filtered it, one row per placement.
pub fn attention_csv(rows: &[AttentionRow]) -> anyhow::Result<Vec<u8>> {
    const HEADER: &[&str] = &[
        "Praksis-ID",
        "Deltaker",
        "Arbeidssted",
        "Bransje",
        "Veileder",
        "Status",
        "Fase",
        "Start",
        "Planlagt slutt",
        "Siste besøk",
        "Ikke gjennomgått",
        "Hvorfor",
    ];
    file(
        HEADER,
        rows.iter().map(|r| {
            vec![
                r.placement.clone(),
                r.participant.clone(),
                r.workplace.clone(),
                r.industry.clone(),
                r.advisor_name.clone(),
                r.status.clone(),
                r.phase.to_string(),
                r.start.clone(),
                r.planned_end.clone(),
                r.last_visit_at.map(|at| oslo_time(Timestamp(at))).unwrap_or_default(),
                r.unreviewed.to_string(),
                r.reasons.iter().map(|reason| reason_nb(*reason)).collect::<Vec<_>>().join(", "),
            ]
        }),
    )
}

/// Why a placement is on the attention list, in Norwegian.
fn reason_nb(reason: AttentionReason) -> &'static str {
    match reason {
        AttentionReason::RedStatus => "rød status",
        AttentionReason::YellowStatus => "gul status",
        AttentionReason::MentorAsksForContact => "fadder ber om kontakt",
        AttentionReason::NotReadyForNextPhase => "ikke klar for neste fase",
        AttentionReason::OverdueFollowUp => "forfalt oppfølging",
        AttentionReason::NoRecentVisit => "ikke besøkt nylig",
        AttentionReason::EndingSoon => "slutter snart",
        AttentionReason::Unreviewed => "ikke gjennomgått",
        AttentionReason::Conflict => "motstridende verdier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `"2026-01-15 12:00"` as UTC.
    fn at(text: &str) -> Timestamp {
        let part = |range: std::ops::Range<usize>| text[range].parse::<u8>().expect("number");
        let date = time::Date::from_calendar_date(
            text[0..4].parse().expect("year"),
            time::Month::try_from(part(5..7)).expect("month"),
            part(8..10),
        )
        .expect("date");
        let utc = date.with_hms(part(11..13), part(14..16), 0).expect("time").assume_utc();
        Timestamp(utc.unix_timestamp() * 1000)
    }

    #[test]
    fn times_are_norwegian_local_time_across_daylight_saving() {
        assert_eq!(oslo_time(at("2026-01-15 12:00")), "2026-01-15 13:00");
        assert_eq!(oslo_time(at("2026-07-01 12:00")), "2026-07-01 14:00");
        // Summer time starts 29 March 2026 at 01:00 UTC and ends 25 October.
        assert_eq!(oslo_time(at("2026-03-29 00:59")), "2026-03-29 01:59");
        assert_eq!(oslo_time(at("2026-03-29 01:00")), "2026-03-29 03:00");
        assert_eq!(oslo_time(at("2026-10-25 00:59")), "2026-10-25 02:59");
        assert_eq!(oslo_time(at("2026-10-25 01:00")), "2026-10-25 02:00");
    }

    #[test]
    fn formula_starts_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)".into()), "'=SUM(A1)");
        assert_eq!(neutralise("@kari".into()), "'@kari");
        assert_eq!(neutralise("- kom sent".into()), "- kom sent");
        assert_eq!(neutralise("Ålesund".into()), "Ålesund");
    }

    #[test]
    fn every_kind_has_as_many_columns_as_its_rows() {
        use innom_shared::fixtures;
        let id = |n: u128| DocId(uuid::Uuid::from_u128(n));
        let records = [
            AnyRecord::Workplace(fixtures::workplace(id(1))),
            AnyRecord::Participant(fixtures::participant(id(2))),
            AnyRecord::Placement(fixtures::placement(id(3), id(2), id(1), "2027-01-01")),
            AnyRecord::Visit(fixtures::visit(id(4))),
            AnyRecord::MentorFeedback(fixtures::feedback(id(5), id(3), "mentor:1")),
        ];
        for record in &records {
            assert_eq!(row(record, &Names::default()).len(), header(record.kind()).len(), "{:?}", record.kind());
        }
    }
}
