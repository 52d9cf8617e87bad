//! The five kinds of record, one Automerge document each.
//!
//! Every record carries the same header fields at the top of its document —
//! `id`, `kind`, `schema_version`, `created_at`, `created_by` — followed by
//! its own fields. The structs map to documents with `autosurgeon`; list
//! items that two people may edit at once carry a `#[key]`, so concurrent
//! inserts and edits merge item by item instead of position by position.

mod feedback;
mod participant;
mod placement;
mod visit;
mod workplace;

pub use feedback::{MentorFeedback, Readiness, Score};
pub use participant::{Goal, LanguageLevel, Participant, Programme};
pub use placement::{AgreedMeeting, JobProspect, Mentor, Outcome, PHASES, Placement, PlacementStatus, TrainingTask};
pub use visit::{Concern, ConcernTag, FollowUp, JobSignal, SUMMARY_OR_STATUS, Visit, VisitType};
pub use workplace::{Contact, HiringOutlook, Industry, MappingNotes, Workplace};

use autosurgeon::{Hydrate, Reconcile};

use crate::validation::{Checker, Problem, Validate, limits};
use crate::values::{DocId, Timestamp, string_enum};

/// The schema version this build writes and understands. A document with a
/// higher version comes from a newer client and is refused, not guessed at.
pub const SCHEMA_VERSION: u32 = 1;

string_enum! {
    /// Which kind of record a document holds.
    pub enum RecordKind {
        Workplace = "workplace",
        Participant = "participant",
        Placement = "placement",
        Visit = "visit",
        MentorFeedback = "mentor_feedback",
    }
}

string_enum! {
    /// The traffic light advisors and mentors use for an overall impression.
    /// Left unchosen, it is `not_assessed`: a form never picks a colour for
    /// its user.
    pub enum Status {
        Green = "green",
        Yellow = "yellow",
        Red = "red",
        NotAssessed = "not_assessed",
    }
}

impl Status {
    /// The colours a person can choose, in the order forms list them.
    pub const CHOICES: [Status; 3] = [Status::Green, Status::Yellow, Status::Red];
}

string_enum! {
    /// Where the office is with a visit or a piece of feedback.
    pub enum ReviewState {
        Unreviewed = "unreviewed",
        Reviewed = "reviewed",
        NeedsMoreInfo = "needs_more_info",
    }
}

/// The office's review of a visit or feedback; written by staff only.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Review {
    pub state: ReviewState,
    /// Username of the staff member who set `state`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Nullable<String>"))]
    pub reviewer: Option<String>,
    /// That staff member's full name as it was when they set `state`, so a
    /// phone, which has no list of users, can say who asked.
    #[autosurgeon(missing = "Option::default")]
    #[cfg_attr(feature = "schema", schemars(default))]
    pub reviewer_name: Option<String>,
    pub comment: String,
    /// The advisor's answer to the office's question on mentor feedback
    /// (on a visit, the answer goes into its summary instead). Absent in
    /// records made before the field.
    #[autosurgeon(missing = "Option::default")]
    #[cfg_attr(feature = "schema", schemars(default))]
    pub answer: Option<String>,
}

impl Review {
    /// A record nobody in the office has looked at yet.
    pub fn unreviewed() -> Self {
        Self {
            state: ReviewState::Unreviewed,
            reviewer: None,
            reviewer_name: None,
            comment: String::new(),
            answer: None,
        }
    }

    fn check(&self, c: &mut Checker) {
        c.nested("review", |c| {
            c.text("comment", &self.comment, limits::NOTE);
            if let Some(name) = &self.reviewer_name {
                c.text("reviewer_name", name, limits::NAME);
            }
            if let Some(answer) = &self.answer {
                c.required_text("answer", answer, limits::NOTE);
            }
            match (&self.reviewer, self.state) {
                (None, ReviewState::Reviewed | ReviewState::NeedsMoreInfo) => {
                    c.fail("reviewer", Problem::Required);
                }
                (Some(name), _) => c.required_text("reviewer", name, limits::NAME),
                (None, ReviewState::Unreviewed) => {}
            }
        });
    }
}

/// The header every record document starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    pub id: DocId,
    pub kind: RecordKind,
    pub schema_version: u32,
    pub created_at: Timestamp,
    pub created_by: &'a str,
}

/// What all record types have in common.
pub trait Record: Reconcile + Hydrate + Validate + Clone + PartialEq + std::fmt::Debug {
    /// The `kind` value of this type's documents.
    const KIND: RecordKind;

    /// The header fields.
    fn header(&self) -> Header<'_>;
}

/// Checks the header fields every record shares.
pub(crate) fn check_header(c: &mut Checker, header: &Header<'_>, expected: RecordKind) {
    if header.kind != expected {
        c.fail("kind", Problem::WrongShape("the document holds another kind of record"));
    }
    if header.schema_version == 0 || header.schema_version > SCHEMA_VERSION {
        c.fail("schema_version", Problem::WrongShape("unsupported schema version"));
    }
    if header.created_at.0 < 0 {
        c.fail("created_at", Problem::OutOfRange { min: 0, max: i64::MAX });
    }
    c.required_text("created_by", header.created_by, limits::NAME);
}

/// Implements [`Record`] for a struct with the standard header fields.
macro_rules! impl_record {
    ($ty:ty, $kind:expr) => {
        impl $crate::records::Record for $ty {
            const KIND: $crate::records::RecordKind = $kind;

            fn header(&self) -> $crate::records::Header<'_> {
                $crate::records::Header {
                    id: self.id,
                    kind: self.kind,
                    schema_version: self.schema_version,
                    created_at: self.created_at,
                    created_by: &self.created_by,
                }
            }
        }
    };
}
use impl_record;
