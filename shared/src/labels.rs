//! Words for the codes records store (`yellow`, `drop_in`, `not_yet`), in
//! Norwegian bokmål and English: one table the phone, the office and the
//! server's CSV exports all read, so a code reads the same everywhere.
//! Codes are the stable values for programs (the JSON views and the sync
//! format keep them); people read these words.

/// The (bokmål, English) words for a stored code; `None` for a code the
/// table does not know. A code used by two vocabularies (`hired` as a
/// status and as an outcome) has one wording that fits both.
pub fn code(code: &str) -> Option<(&'static str, &'static str)> {
    // A sorted table and a binary search: data rather than a string match
    // of a hundred arms, which is code in every app's download.
    LABELS.binary_search_by(|(known, ..)| known.cmp(&code)).ok().map(|at| (LABELS[at].1, LABELS[at].2))
}

/// The bokmål words for `code`, or the code itself if unknown.
pub fn nb(code: &str) -> String {
    self::code(code).map_or_else(|| code.to_owned(), |(nb, _)| nb.to_owned())
}

/// (code, bokmål, English), sorted by code (a test checks it).
const LABELS: &[(&str, &str, &str)] = &[
    ("a1", "A1", "A1"),
    ("a2", "A2", "A2"),
    ("active", "Aktiv", "Active"),
    ("attendance", "Oppmøte", "Attendance"),
    ("b1", "B1", "B1"),
    ("b2", "B2", "B2"),
    ("c1", "C1", "C1"),
    ("care", "Helse og omsorg", "Care"),
    ("cleaning", "Renhold", "Cleaning"),
    ("completed", "Fullført", "Completed"),
    ("construction", "Bygg og anlegg", "Construction"),
    ("contract_meeting", "Kontraktsmøte", "Contract meeting"),
    ("cultural_misunderstanding", "Kulturelle misforståelser", "Cultural misunderstandings"),
    ("drop_in", "Stikke innom", "Drop-in"),
    ("education", "Utdanning", "Education"),
    ("employer_expectations", "Arbeidsgivers forventninger", "Employer's expectations"),
    ("ended_early", "Avsluttet tidlig", "Ended early"),
    ("feedback", "Tilbakemelding fra fadder", "Mentor feedback"),
    ("follow_up_meeting", "Oppfølgingsmøte", "Follow-up meeting"),
    ("good", "Bra", "Good"),
    ("green", "Grønn", "Green"),
    ("health", "Helse", "Health"),
    ("hired", "Ansatt", "Hired"),
    ("hotel", "Hotell", "Hotel"),
    ("introduction", "Introduksjonsprogrammet", "Introduction programme"),
    ("job_interview", "Jobbintervju", "Job interview"),
    ("jobbsjansen", "Jobbsjansen", "Jobbsjansen"),
    ("kindergarten", "Barnehage", "Kindergarten"),
    ("kitchen_canteen", "Kjøkken og kantine", "Kitchen and canteen"),
    ("language", "Språk", "Language"),
    ("likely", "Sannsynlig", "Likely"),
    ("mapping_visit", "Kartleggingsbesøk", "Mapping visit"),
    ("mentor_feedback", "Tilbakemelding fra fadder", "Mentor feedback"),
    ("needs_more_info", "Trenger mer informasjon", "Needs more information"),
    ("needs_work", "Må øve mer", "Needs practice"),
    ("no_job", "Fullført uten jobb", "Completed, no job"),
    ("none", "Ingen", "None"),
    ("not_assessed", "Ikke vurdert", "Not assessed"),
    ("not_yet", "Ikke klar for neste fase ennå", "Not ready for the next phase yet"),
    ("ny_sjanse", "Ny sjanse", "Ny sjanse"),
    ("offered", "Tilbudt", "Offered"),
    ("ok", "OK", "OK"),
    ("other", "Annet", "Other"),
    ("other_placement", "Ny praksisplass", "Another placement"),
    ("participant", "Deltaker", "Participant"),
    ("placement", "Praksisplass", "Placement"),
    ("planned", "Planlagt", "Planned"),
    ("possible", "Mulig", "Possible"),
    ("pre_a1", "Før A1", "Pre-A1"),
    ("punctuality", "Punktlighet", "Punctuality"),
    ("red", "Rød", "Red"),
    ("retail", "Butikk", "Retail"),
    ("reviewed", "Gjennomgått", "Reviewed"),
    ("safety", "Sikkerhet", "Safety"),
    ("strong", "Sterk", "Strong"),
    ("unknown", "Ukjent", "Unknown"),
    ("unreviewed", "Ikke gjennomgått", "Not reviewed"),
    ("unsure", "Usikker på neste fase", "Unsure about the next phase"),
    ("visit", "Besøk", "Visit"),
    ("warehouse", "Lager", "Warehouse"),
    ("work", "Arbeid", "Work"),
    ("workload", "Arbeidsmengde", "Workload"),
    ("workplace", "Arbeidssted", "Workplace"),
    ("yellow", "Gul", "Yellow"),
    ("yes", "Klar for neste fase", "Ready for the next phase"),
];

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
        assert!(super::LABELS.windows(2).all(|pair| pair[0].0 < pair[1].0), "sorted, each code once");
        assert_eq!(super::nb("no_such_code"), "no_such_code");
    }
}
