//! Validation problems as a person reads them, in bokmål or English. The
//! rules report `mentor.phone: is not a valid phone number`, a field path
//! for programs; a person reads "Fadderens telefon er ikke et gyldig
//! telefonnummer." The phone's forms and the server's refusals of a pushed
//! record (`Rejection::message_nb`) both use these words.

use super::{FieldError, Problem, ValidationErrors};

/// A language these words come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Norwegian bokmål.
    Nb,
    En,
}

/// Every problem in `errors`, one sentence each.
pub fn describe(lang: Lang, errors: &ValidationErrors) -> String {
    errors.0.iter().map(|error| sentence(lang, error)).collect::<Vec<_>>().join(" ")
}

/// One problem as a sentence: the field's name, then what is wrong.
pub fn sentence(lang: Lang, error: &FieldError) -> String {
    format!("{} {}.", field_name(lang, &error.field), problem(lang, &error.problem))
}

/// A field path such as `follow_ups[1].text` as "Oppfølgingspunkt 2 › Tekst".
pub fn field_name(lang: Lang, path: &str) -> String {
    // The few fields whose form label says it better than their parts.
    let whole = match (path, lang) {
        ("mentor.name", Lang::Nb) => Some("Fadder (navn)"),
        ("mentor.name", Lang::En) => Some("Mentor (name)"),
        ("mentor.phone", Lang::Nb) => Some("Fadderens telefon"),
        ("mentor.phone", Lang::En) => Some("Mentor's phone"),
        _ => None,
    };
    if let Some(whole) = whole {
        return whole.to_owned();
    }
    path.split('.')
        .map(|segment| {
            // `follow_ups[1]` is the second follow-up: people count from one.
            let (name, index) = match segment.split_once('[') {
                Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (segment, None),
            };
            let label = label(lang, name).map_or_else(|| name.replace('_', " "), str::to_owned);
            match index {
                Some(i) => format!("{label} {}", i + 1),
                None => label,
            }
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// The name of one field of a record, as the forms call it.
fn label(lang: Lang, field: &str) -> Option<&'static str> {
    let nb = lang == Lang::Nb;
    let pick = |nb_text, en_text| Some(if nb { nb_text } else { en_text });
    match field {
        "address" => pick("Adresse", "Address"),
        "advisor" => pick("Veileder", "Advisor"),
        "at" => pick("Tidspunkt", "Time"),
        "comment" => pick("Kommentar", "Comment"),
        "concerns" => pick("Bekymringer", "Concerns"),
        "contacts" => pick("Kontaktperson", "Contact"),
        "created_at" => pick("Opprettet", "Created"),
        "created_by" => pick("Opprettet av", "Created by"),
        "display_name" | "name" => pick("Navn", "Name"),
        "due" => pick("Frist", "Due"),
        "duration_minutes" => pick("Varighet", "Duration"),
        "email" => pick("E-post", "E-mail"),
        "ended_on" => pick("Sluttdato", "End date"),
        "first_meeting" => pick("1. oppfølgingsmøte", "1st follow-up meeting"),
        "follow_ups" => pick("Oppfølgingspunkt", "Follow-up"),
        "going_well" => pick("Det som går bra", "What is going well"),
        "id" => pick("Id", "Id"),
        "job_signal" => pick("Jobbsignal", "Job signal"),
        "kind" => pick("Type post", "Kind of record"),
        "mapping" => pick("Kartlegging", "Mapping"),
        "mentor" => pick("Fadder", "Mentor"),
        "mentor_name" => pick("Ditt navn", "Your name"),
        "met" => pick("Hvem vi møtte", "Who we met"),
        "needs" => pick("Behov", "Needs"),
        "needs_attention" => pick("Det som trenger oppfølging", "What needs attention"),
        "note" => pick("Notat", "Note"),
        "org_number" => pick("Organisasjonsnummer", "Organisation number"),
        "outcome" => pick("Utfall", "Outcome"),
        "outcome_note" => pick("Begrunnelse", "Reason"),
        "participant" => pick("Deltaker", "Participant"),
        "peak_months" => pick("Travle måneder", "Busy months"),
        "phase" => pick("Fase", "Phase"),
        "phone" => pick("Telefon", "Phone"),
        "placements" => pick("Praksisplasser", "Placements"),
        "planned" => pick("Planlagt dato", "Planned date"),
        "planned_end" => pick("Planlagt slutt", "Planned end"),
        "requirements" => pick("Krav", "Requirements"),
        "review" => pick("Gjennomgang", "Review"),
        "reviewer" => pick("Gjennomgått av", "Reviewed by"),
        "role" => pick("Rolle", "Role"),
        "safety_routines" => pick("Sikkerhetsrutiner", "Safety routines"),
        "second_meeting" => pick("2. oppfølgingsmøte", "2nd follow-up meeting"),
        "start" => pick("Startdato", "Start date"),
        "state" => pick("Status for gjennomgang", "Review state"),
        "status" => pick("Status", "Status"),
        "summary" => pick("Oppsummering", "Summary"),
        "tasks" => pick("Oppgave", "Task"),
        "tasks_mastered" => pick("Mestrede oppgaver", "Mastered tasks"),
        "text" => pick("Tekst", "Text"),
        "visit_type" => pick("Type besøk", "Kind of visit"),
        "workplace" => pick("Arbeidsplass", "Workplace"),
        _ => None,
    }
}

/// What is wrong, to follow the field's name.
fn problem(lang: Lang, problem: &Problem) -> String {
    let nb = lang == Lang::Nb;
    match problem {
        Problem::Required => if nb { "må fylles ut" } else { "is required" }.to_owned(),
        Problem::TooLong { max } if nb => format!("kan ha høyst {max} tegn"),
        Problem::TooLong { max } => format!("can be at most {max} characters long"),
        Problem::TooMany { max } if nb => format!("kan ha høyst {max} punkter"),
        Problem::TooMany { max } => format!("can have at most {max} items"),
        Problem::OutOfRange { min, max: i64::MAX } if nb => format!("må være minst {min}"),
        Problem::OutOfRange { min, max: i64::MAX } => format!("must be at least {min}"),
        Problem::OutOfRange { min, max } if nb => format!("må være mellom {min} og {max}"),
        Problem::OutOfRange { min, max } => format!("must be between {min} and {max}"),
        Problem::Duplicate => if nb { "har det samme to ganger" } else { "has the same item twice" }.to_owned(),
        Problem::BeforeOther { other } => {
            let other = match (*other, nb) {
                ("start", true) => "startdatoen",
                ("start", false) => "the start date",
                (other, _) => other,
            };
            if nb { format!("kan ikke være før {other}") } else { format!("cannot be before {other}") }
        }
        Problem::Inconsistent(rule) => match (*rule, nb) {
            ("only an ended placement has an outcome" | "only an ended placement has an end date", true) => {
                "settes først når praksisen er avsluttet".to_owned()
            }
            ("only an ended placement has an outcome" | "only an ended placement has an end date", false) => {
                "is set only once the placement has ended".to_owned()
            }
            ("a hired participant has the outcome hired", true) => {
                "må være «Fikk jobb» når deltakeren er ansatt".to_owned()
            }
            ("a hired participant has the outcome hired", false) => {
                "must be “Hired” when the participant was hired".to_owned()
            }
            (crate::records::SUMMARY_OR_STATUS, true) => "må fylles ut når ingen status er valgt".to_owned(),
            (crate::records::SUMMARY_OR_STATUS, false) => "is needed when no status is chosen".to_owned(),
            (rule, _) => rule.to_owned(),
        },
        Problem::Invalid(what) => match (*what, nb) {
            ("phone number", true) => "er ikke et gyldig telefonnummer".to_owned(),
            ("e-mail address", true) => "er ikke en gyldig e-postadresse".to_owned(),
            (_, true) => "er ikke gyldig".to_owned(),
            (what, false) => format!("is not a valid {what}"),
        },
        Problem::WrongShape(_) => if nb {
            "har en form denne versjonen av Innom ikke kjenner"
        } else {
            "has a shape this version of Innom does not know"
        }
        .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{FieldError, Lang, Problem, ValidationErrors, describe, sentence};

    fn error(field: &str, problem: Problem) -> FieldError {
        FieldError { field: field.into(), problem }
    }

    #[test]
    fn a_refused_mentor_phone_reads_as_the_form_label_says() {
        let refused = error("mentor.phone", Problem::Invalid("phone number"));
        assert_eq!(sentence(Lang::Nb, &refused), "Fadderens telefon er ikke et gyldig telefonnummer.");
        assert_eq!(sentence(Lang::En, &refused), "Mentor's phone is not a valid phone number.");
    }

    #[test]
    fn list_items_are_counted_from_one_and_nested_fields_are_named() {
        let missing = error("follow_ups[1].text", Problem::Required);
        assert_eq!(sentence(Lang::Nb, &missing), "Oppfølgingspunkt 2 › Tekst må fylles ut.");
        let unplanned = error("second_meeting.planned", Problem::Required);
        assert_eq!(sentence(Lang::En, &unplanned), "2nd follow-up meeting › Planned date is required.");
    }

    #[test]
    fn rules_between_fields_are_translated() {
        let early = error("planned_end", Problem::BeforeOther { other: "start" });
        assert_eq!(sentence(Lang::Nb, &early), "Planlagt slutt kan ikke være før startdatoen.");
        let outcome = error("outcome", Problem::Inconsistent("only an ended placement has an outcome"));
        assert_eq!(sentence(Lang::Nb, &outcome), "Utfall settes først når praksisen er avsluttet.");
        let months = error("peak_months", Problem::OutOfRange { min: 1, max: 12 });
        assert_eq!(sentence(Lang::Nb, &months), "Travle måneder må være mellom 1 og 12.");
    }

    #[test]
    fn every_problem_is_described_and_no_field_path_shows() {
        let errors = ValidationErrors(vec![
            error("summary", Problem::TooLong { max: 20_000 }),
            error("contacts[0].email", Problem::Invalid("e-mail address")),
            error("created_at", Problem::OutOfRange { min: 0, max: i64::MAX }),
        ]);
        let text = describe(Lang::Nb, &errors);
        assert_eq!(
            text,
            "Oppsummering kan ha høyst 20000 tegn. Kontaktperson 1 › E-post er ikke en gyldig e-postadresse. \
             Opprettet må være minst 0."
        );
        assert!(!text.contains('_') && !text.contains('['), "{text}");
    }

    #[test]
    fn a_field_the_table_does_not_know_still_reads_without_underscores() {
        let odd = error("some_new_field", Problem::Required);
        assert_eq!(sentence(Lang::En, &odd), "some new field is required.");
    }
}
