//! A participant (deltaker) in the introduction programme or Jobbsjansen.
//! Holds as little personal data as the follow-up work needs: no national
//! identity number, no address, no health details.

use autosurgeon::{Hydrate, Reconcile};

use super::{Record, RecordKind, check_header, impl_record};
use crate::validation::{Checker, Validate, limits};
use crate::values::{DocId, Timestamp, string_enum};

string_enum! {
    /// The programme the participant is enrolled in.
    pub enum Programme {
        Introduction = "introduction",
        Jobbsjansen = "jobbsjansen",
        NySjanse = "ny_sjanse",
    }
}

string_enum! {
    /// What the programme works towards for this participant.
    pub enum Goal {
        Work = "work",
        Education = "education",
    }
}

string_enum! {
    /// Norwegian level on the CEFR scale, as last assessed.
    pub enum LanguageLevel {
        Unknown = "unknown",
        PreA1 = "pre_a1",
        A1 = "a1",
        A2 = "a2",
        B1 = "b1",
        B2 = "b2",
        C1 = "c1",
    }
}

/// A participant record.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Participant {
    pub id: DocId,
    pub kind: RecordKind,
    pub schema_version: u32,
    pub created_at: Timestamp,
    pub created_by: String,
    /// The name the participant goes by; mentors see only the first word.
    pub display_name: String,
    pub programme: Programme,
    /// Username of the responsible advisor.
    pub advisor: String,
    pub goal: Goal,
    pub language_level: LanguageLevel,
}

impl_record!(Participant, RecordKind::Participant);

impl Participant {
    /// The first name alone, which is all a workplace mentor is shown.
    pub fn first_name(&self) -> &str {
        self.display_name.split_whitespace().next().unwrap_or_default()
    }
}

impl Validate for Participant {
    fn check(&self, c: &mut Checker) {
        check_header(c, &self.header(), RecordKind::Participant);
        c.required_text("display_name", &self.display_name, limits::NAME);
        c.required_text("advisor", &self.advisor, limits::NAME);
    }
}
