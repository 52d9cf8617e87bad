//! A visit: a drop-in (stikke innom), an agreed follow-up meeting, a
//! contract meeting or a mapping visit at a workplace.

use autosurgeon::{Hydrate, Reconcile, Text};

use super::{Record, RecordKind, Review, Status, check_header, impl_record};
use crate::validation::{Checker, Problem, Validate, limits};
use crate::values::{Date, DocId, Timestamp, string_enum};

string_enum! {
    /// Why the advisor was there.
    pub enum VisitType {
        DropIn = "drop_in",
        FollowUpMeeting = "follow_up_meeting",
        ContractMeeting = "contract_meeting",
        MappingVisit = "mapping_visit",
        /// A job interview the advisor went to with the participant.
        JobInterview = "job_interview",
    }
}

string_enum! {
    /// The kinds of small thing that should be caught before they grow.
    pub enum ConcernTag {
        Attendance = "attendance",
        Punctuality = "punctuality",
        Language = "language",
        CulturalMisunderstanding = "cultural_misunderstanding",
        Safety = "safety",
        EmployerExpectations = "employer_expectations",
        Workload = "workload",
        Health = "health",
        Other = "other",
    }
}

string_enum! {
    /// What the advisor picked up about a possible job.
    pub enum JobSignal {
        None = "none",
        Possible = "possible",
        Strong = "strong",
    }
}

/// A tagged concern; the tag is the key, so the same tag added on two
/// phones stays one concern.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Concern {
    #[key]
    pub tag: ConcernTag,
    pub note: String,
}

/// Something someone must do after the visit.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FollowUp {
    /// Stable item id (a UUID).
    #[key]
    pub id: String,
    pub text: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Nullable<Date>"))]
    pub due: Option<Date>,
    pub done: bool,
}

/// A visit record.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Visit {
    pub id: DocId,
    pub kind: RecordKind,
    pub schema_version: u32,
    pub created_at: Timestamp,
    pub created_by: String,
    pub visit_type: VisitType,
    pub workplace: DocId,
    /// The placements discussed during the visit.
    pub placements: Vec<DocId>,
    /// Username of the advisor who made the visit.
    pub advisor: String,
    /// When the visit started.
    pub at: Timestamp,
    pub duration_minutes: u32,
    /// Who the advisor met ("daglig leder og fadder").
    pub met: String,
    /// Collaborative text: two people can edit it at once.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::AutomergeText"))]
    pub summary: Text,
    pub concerns: Vec<Concern>,
    pub follow_ups: Vec<FollowUp>,
    pub job_signal: JobSignal,
    pub status: Status,
    pub review: Review,
}

impl_record!(Visit, RecordKind::Visit);

/// The rule a visit with neither a summary nor a status breaks.
pub const SUMMARY_OR_STATUS: &str = "a visit needs a summary or a status";

impl Validate for Visit {
    fn check(&self, c: &mut Checker) {
        check_header(c, &self.header(), RecordKind::Visit);
        c.max_items("placements", self.placements.len(), limits::LIST);
        c.distinct("placements", &self.placements, |p| *p);
        c.required_text("advisor", &self.advisor, limits::NAME);
        if self.at.0 < 0 {
            c.fail("at", Problem::OutOfRange { min: 0, max: i64::MAX });
        }
        // A visit lasts from a minute to a long working day.
        c.range("duration_minutes", self.duration_minutes.into(), 1, 12 * 60);
        c.text("met", &self.met, limits::LINE);
        c.text("summary", self.summary.as_str(), limits::SUMMARY);
        // A visit that says nothing about how it went is not a record of one.
        if self.summary.as_str().trim().is_empty() && self.status == Status::NotAssessed {
            c.fail("summary", Problem::Inconsistent(SUMMARY_OR_STATUS));
        }
        c.each("concerns", &self.concerns, |c, concern| c.text("note", &concern.note, limits::NOTE));
        c.distinct("concerns", &self.concerns, |concern| concern.tag);
        c.each("follow_ups", &self.follow_ups, |c, follow_up| {
            c.required_text("id", &follow_up.id, limits::NAME);
            c.required_text("text", &follow_up.text, limits::LINE);
        });
        c.distinct("follow_ups", &self.follow_ups, |f| f.id.clone());
        self.review.check(c);
    }
}
