//! A practice placement (praksisplass): one participant at one workplace for
//! a period, learning stepwise through three phases (trinnvis innlæring).

use autosurgeon::{Hydrate, Reconcile};

use super::{Record, RecordKind, check_header, impl_record};
use crate::validation::{Checker, Problem, Validate, limits};
use crate::values::{Date, DocId, Timestamp, string_enum};

string_enum! {
    /// Where the placement is in its life.
    pub enum PlacementStatus {
        Planned = "planned",
        Active = "active",
        Completed = "completed",
        EndedEarly = "ended_early",
        Hired = "hired",
    }
}

string_enum! {
    /// Whether there is a real job at the end of this placement.
    pub enum JobProspect {
        Unknown = "unknown",
        None = "none",
        Possible = "possible",
        Likely = "likely",
        Offered = "offered",
    }
}

string_enum! {
    /// What came of a placement that has ended.
    pub enum Outcome {
        Hired = "hired",
        Education = "education",
        OtherPlacement = "other_placement",
        NoJob = "no_job",
        EndedEarly = "ended_early",
    }
}

/// The participant's fixed contact at the workplace (fadder).
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Mentor {
    pub name: String,
    pub phone: String,
}

/// One of the two follow-up meetings agreed for each placement period:
/// when it is planned, and whether it was held.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgreedMeeting {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Nullable<Date>"))]
    pub planned: Option<Date>,
    pub held: bool,
}

/// One task of the training plan (opplæringsplan).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrainingTask {
    /// Stable item id (a UUID), so ticking a task on two phones merges.
    #[key]
    pub id: String,
    /// The phase (1–3) the task belongs to.
    pub phase: u8,
    pub text: String,
    pub mastered: bool,
}

/// A placement record.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Placement {
    pub id: DocId,
    pub kind: RecordKind,
    pub schema_version: u32,
    pub created_at: Timestamp,
    pub created_by: String,
    pub participant: DocId,
    pub workplace: DocId,
    pub mentor: Mentor,
    /// Username of the responsible advisor.
    pub advisor: String,
    pub start: Date,
    pub planned_end: Date,
    /// The day it actually ended, once it has (older records lack it; the
    /// planned end stands in for it then).
    #[autosurgeon(missing = "Option::default")]
    #[cfg_attr(feature = "schema", schemars(default))]
    pub ended_on: Option<Date>,
    pub status: PlacementStatus,
    /// The current phase, 1 to 3.
    pub phase: u8,
    pub tasks: Vec<TrainingTask>,
    /// The first of the two agreed follow-up meetings (older records lack
    /// both; they read as not yet planned).
    #[autosurgeon(missing = "AgreedMeeting::default")]
    #[cfg_attr(feature = "schema", schemars(default))]
    pub first_meeting: AgreedMeeting,
    /// The second agreed follow-up meeting.
    #[autosurgeon(missing = "AgreedMeeting::default")]
    #[cfg_attr(feature = "schema", schemars(default))]
    pub second_meeting: AgreedMeeting,
    /// Whether the practice contract (praksiskontrakt) is signed.
    pub contract_signed: bool,
    pub job_prospect: JobProspect,
    /// Set once the placement has ended.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Nullable<Outcome>"))]
    pub outcome: Option<Outcome>,
    /// Why it ended, in a few words; required when it ended early.
    pub outcome_note: String,
}

impl_record!(Placement, RecordKind::Placement);

/// The phases of stepwise learning.
pub const PHASES: std::ops::RangeInclusive<u8> = 1..=3;

impl Validate for Placement {
    fn check(&self, c: &mut Checker) {
        check_header(c, &self.header(), RecordKind::Placement);
        c.nested("mentor", |c| {
            c.text("name", &self.mentor.name, limits::NAME);
            c.phone("phone", &self.mentor.phone);
        });
        c.required_text("advisor", &self.advisor, limits::NAME);
        if self.planned_end < self.start {
            c.fail("planned_end", Problem::BeforeOther { other: "start" });
        }
        if self.ended_on.is_some_and(|ended| ended < self.start) {
            c.fail("ended_on", Problem::BeforeOther { other: "start" });
        }
        c.range("phase", self.phase.into(), (*PHASES.start()).into(), (*PHASES.end()).into());
        c.each("tasks", &self.tasks, |c, task| {
            c.required_text("id", &task.id, limits::NAME);
            c.range("phase", task.phase.into(), (*PHASES.start()).into(), (*PHASES.end()).into());
            c.required_text("text", &task.text, limits::LINE);
        });
        c.distinct("tasks", &self.tasks, |task| task.id.clone());
        for (field, meeting) in [("first_meeting", &self.first_meeting), ("second_meeting", &self.second_meeting)] {
            if meeting.held && meeting.planned.is_none() {
                c.nested(field, |c| c.fail("planned", Problem::Required));
            }
        }
        c.text("outcome_note", &self.outcome_note, limits::NOTE);
        self.check_outcome(c);
    }
}

impl Placement {
    /// An ended placement says how it ended, and only an ended one does.
    fn check_outcome(&self, c: &mut Checker) {
        use PlacementStatus as S;
        match (self.status, self.outcome) {
            (S::Planned | S::Active, Some(_)) => {
                c.fail("outcome", Problem::Inconsistent("only an ended placement has an outcome"));
            }
            (S::Planned | S::Active, None) if self.ended_on.is_some() => {
                c.fail("ended_on", Problem::Inconsistent("only an ended placement has an end date"));
            }
            (S::Completed | S::EndedEarly | S::Hired, None) => c.fail("outcome", Problem::Required),
            (S::Hired, Some(outcome)) if outcome != Outcome::Hired => {
                c.fail("outcome", Problem::Inconsistent("a hired participant has the outcome hired"));
            }
            (S::EndedEarly, Some(_)) if self.outcome_note.trim().is_empty() => {
                c.fail("outcome_note", Problem::Required);
            }
            _ => {}
        }
    }

    /// Whether the placement is over (completed, ended early or hired).
    pub fn has_ended(&self) -> bool {
        matches!(self.status, PlacementStatus::Completed | PlacementStatus::EndedEarly | PlacementStatus::Hired)
    }

    /// Whether it ended before `cutoff`: then phones no longer keep it
    /// (see [`crate::sync::retention`]).
    pub fn ended_before(&self, cutoff: Date) -> bool {
        self.has_ended() && self.ended_on.unwrap_or(self.planned_end) < cutoff
    }

    /// The training plan's tasks for one phase.
    pub fn tasks_in_phase(&self, phase: u8) -> impl Iterator<Item = &TrainingTask> {
        self.tasks.iter().filter(move |t| t.phase == phase)
    }
}
