//! Words for the codes records store (`yellow`, `drop_in`, `not_yet`), in
//! Norwegian bokmål and English: one table the phone, the office and the
//! server's CSV exports all read, so a code reads the same everywhere.
//! Codes are the stable values for programs (the JSON views and the sync
//! format keep them); people read these words.

/// The (bokmål, English) words for a stored code; `None` for a code the
/// table does not know. A code used by two vocabularies (`hired` as a
/// status and as an outcome) has one wording that fits both.
pub fn code(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "green" => ("Grønn", "Green"),
        "yellow" => ("Gul", "Yellow"),
        "red" => ("Rød", "Red"),
        "planned" => ("Planlagt", "Planned"),
        "active" => ("Aktiv", "Active"),
        "completed" => ("Fullført", "Completed"),
        "ended_early" => ("Avsluttet tidlig", "Ended early"),
        "hired" => ("Ansatt", "Hired"),
        "kindergarten" => ("Barnehage", "Kindergarten"),
        "care" => ("Helse og omsorg", "Care"),
        "cleaning" => ("Renhold", "Cleaning"),
        "retail" => ("Butikk", "Retail"),
        "kitchen_canteen" => ("Kjøkken og kantine", "Kitchen and canteen"),
        "hotel" => ("Hotell", "Hotel"),
        "warehouse" => ("Lager", "Warehouse"),
        "construction" => ("Bygg og anlegg", "Construction"),
        "other" => ("Annet", "Other"),
        "unknown" => ("Ukjent", "Unknown"),
        "none" => ("Ingen", "None"),
        "possible" => ("Mulig", "Possible"),
        "likely" => ("Sannsynlig", "Likely"),
        "offered" => ("Tilbudt", "Offered"),
        "drop_in" => ("Stikke innom", "Drop-in"),
        "follow_up_meeting" => ("Oppfølgingsmøte", "Follow-up meeting"),
        "contract_meeting" => ("Kontraktsmøte", "Contract meeting"),
        "mapping_visit" => ("Kartleggingsbesøk", "Mapping visit"),
        "job_interview" => ("Jobbintervju", "Job interview"),
        "yes" => ("Klar for neste fase", "Ready for the next phase"),
        "not_yet" => ("Ikke klar for neste fase ennå", "Not ready for the next phase yet"),
        "unsure" => ("Usikker på neste fase", "Unsure about the next phase"),
        "unreviewed" => ("Ikke gjennomgått", "Not reviewed"),
        "reviewed" => ("Gjennomgått", "Reviewed"),
        "needs_more_info" => ("Trenger mer informasjon", "Needs more information"),
        "visit" => ("Besøk", "Visit"),
        "introduction" => ("Introduksjonsprogrammet", "Introduction programme"),
        "jobbsjansen" => ("Jobbsjansen", "Jobbsjansen"),
        "ny_sjanse" => ("Ny sjanse", "Ny sjanse"),
        "work" => ("Arbeid", "Work"),
        "education" => ("Utdanning", "Education"),
        "pre_a1" => ("Før A1", "Pre-A1"),
        "a1" => ("A1", "A1"),
        "a2" => ("A2", "A2"),
        "b1" => ("B1", "B1"),
        "b2" => ("B2", "B2"),
        "c1" => ("C1", "C1"),
        "feedback" => ("Tilbakemelding fra fadder", "Mentor feedback"),
        "workplace" => ("Arbeidssted", "Workplace"),
        "participant" => ("Deltaker", "Participant"),
        "placement" => ("Praksisplass", "Placement"),
        "mentor_feedback" => ("Tilbakemelding fra fadder", "Mentor feedback"),
        "not_assessed" => ("Ikke vurdert", "Not assessed"),
        "needs_work" => ("Må øve mer", "Needs practice"),
        "ok" => ("OK", "OK"),
        "good" => ("Bra", "Good"),
        "strong" => ("Sterk", "Strong"),
        "other_placement" => ("Ny praksisplass", "Another placement"),
        "no_job" => ("Fullført uten jobb", "Completed, no job"),
        "attendance" => ("Oppmøte", "Attendance"),
        "punctuality" => ("Punktlighet", "Punctuality"),
        "language" => ("Språk", "Language"),
        "cultural_misunderstanding" => ("Kulturelle misforståelser", "Cultural misunderstandings"),
        "safety" => ("Sikkerhet", "Safety"),
        "employer_expectations" => ("Arbeidsgivers forventninger", "Employer's expectations"),
        "workload" => ("Arbeidsmengde", "Workload"),
        "health" => ("Helse", "Health"),
        _ => return None,
    })
}

/// The bokmål words for `code`, or the code itself if unknown.
pub fn nb(code: &str) -> String {
    self::code(code).map_or_else(|| code.to_owned(), |(nb, _)| nb.to_owned())
}

#[cfg(test)]
mod tests {
    use crate::records::{ConcernTag, Goal, Industry, JobProspect, JobSignal, Outcome, PlacementStatus, Programme};
    use crate::records::{HiringOutlook, LanguageLevel, Readiness, ReviewState, Score, Status, VisitType};

    #[test]
    fn every_code_a_record_stores_has_words() {
        let codes = Status::ALL
            .iter()
            .map(|c| c.as_str())
            .chain(Score::ALL.iter().map(|c| c.as_str()))
            .chain(Readiness::ALL.iter().map(|c| c.as_str()))
            .chain(ReviewState::ALL.iter().map(|c| c.as_str()))
            .chain(VisitType::ALL.iter().map(|c| c.as_str()))
            .chain(ConcernTag::ALL.iter().map(|c| c.as_str()))
            .chain(JobSignal::ALL.iter().map(|c| c.as_str()))
            .chain(PlacementStatus::ALL.iter().map(|c| c.as_str()))
            .chain(Outcome::ALL.iter().map(|c| c.as_str()))
            .chain(JobProspect::ALL.iter().map(|c| c.as_str()))
            .chain(Industry::ALL.iter().map(|c| c.as_str()))
            .chain(Programme::ALL.iter().map(|c| c.as_str()))
            .chain(Goal::ALL.iter().map(|c| c.as_str()))
            .chain(LanguageLevel::ALL.iter().map(|c| c.as_str()))
            .chain(HiringOutlook::ALL.iter().map(|c| c.as_str()));
        for code in codes {
            assert!(super::code(code).is_some(), "{code} has no words");
        }
        assert_eq!(super::nb("not_assessed"), "Ikke vurdert");
        assert_eq!(super::nb("no_such_code"), "no_such_code");
    }
}
