//! Mentor feedback (tilbakemelding fra fadder): the workplace mentor's short
//! report on how the placement goes, given from their own phone.

use autosurgeon::{Hydrate, Reconcile};

use super::{Record, RecordKind, Review, Status, check_header, impl_record};
use crate::validation::{Checker, Validate, limits};
use crate::values::{DocId, Timestamp, string_enum};

string_enum! {
    /// A three-step tap scale for attendance, punctuality, initiative and
    /// Norwegian communication. A mentor who leaves a scale untouched has
    /// not assessed it: that is stored as such, never as "ok".
    pub enum Score {
        NeedsWork = "needs_work",
        Ok = "ok",
        Good = "good",
        NotAssessed = "not_assessed",
    }
}

string_enum! {
    /// Whether the participant is ready for the next phase.
    pub enum Readiness {
        Yes = "yes",
        NotYet = "not_yet",
        Unsure = "unsure",
        /// The mentor left the question unanswered.
        NotAssessed = "not_assessed",
    }
}

/// A mentor feedback record.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MentorFeedback {
    pub id: DocId,
    pub kind: RecordKind,
    pub schema_version: u32,
    pub created_at: Timestamp,
    pub created_by: String,
    pub placement: DocId,
    pub mentor_name: String,
    pub attendance: Score,
    pub punctuality: Score,
    pub initiative: Score,
    pub norwegian: Score,
    /// Ids of the training plan tasks mastered in the current phase.
    pub tasks_mastered: Vec<String>,
    pub ready_for_next_phase: Readiness,
    pub going_well: String,
    pub needs_attention: String,
    /// "Please contact me": the mentor wants the advisor to get in touch.
    pub contact_me: bool,
    pub status: Status,
    pub review: Review,
}

impl Score {
    /// The answers a mentor can tap, in the order the form lists them.
    pub const ANSWERS: [Score; 3] = [Score::NeedsWork, Score::Ok, Score::Good];
}

impl Readiness {
    /// The answers a mentor can tap, in the order the form lists them.
    pub const ANSWERS: [Readiness; 3] = [Readiness::Yes, Readiness::NotYet, Readiness::Unsure];
}

impl_record!(MentorFeedback, RecordKind::MentorFeedback);

impl Validate for MentorFeedback {
    fn check(&self, c: &mut Checker) {
        check_header(c, &self.header(), RecordKind::MentorFeedback);
        c.required_text("mentor_name", &self.mentor_name, limits::NAME);
        c.each("tasks_mastered", &self.tasks_mastered, |c, id| c.required_text("id", id, limits::NAME));
        c.distinct("tasks_mastered", &self.tasks_mastered, Clone::clone);
        c.text("going_well", &self.going_well, limits::NOTE);
        c.text("needs_attention", &self.needs_attention, limits::NOTE);
        self.review.check(c);
    }
}
