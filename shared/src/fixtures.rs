//! Valid records for tests and fuzzing (feature `fixtures`): one place, so
//! a new required field is added once.

use crate::records::*;
use crate::values::{Date, DocId, OrgNumber, Timestamp};

const CREATED_AT: Timestamp = Timestamp(1_764_000_000_000);

/// A valid drop-in visit with the given id.
pub fn visit(id: DocId) -> Visit {
    Visit {
        id,
        kind: RecordKind::Visit,
        schema_version: SCHEMA_VERSION,
        created_at: CREATED_AT,
        created_by: "kari".into(),
        visit_type: VisitType::DropIn,
        workplace: DocId(uuid::Uuid::from_u128(7)),
        placements: vec![],
        advisor: "kari".into(),
        at: CREATED_AT,
        duration_minutes: 10,
        met: "Daglig leder".into(),
        summary: "Alt vel.".into(),
        concerns: vec![],
        follow_ups: vec![],
        job_signal: JobSignal::None,
        status: Status::Green,
        review: Review::unreviewed(),
    }
}

/// A participant, made by "kari".
pub fn participant(id: DocId) -> Participant {
    Participant {
        id,
        kind: RecordKind::Participant,
        schema_version: SCHEMA_VERSION,
        created_at: CREATED_AT,
        created_by: "kari".into(),
        display_name: "Amina Hassan".into(),
        programme: Programme::Introduction,
        advisor: "kari".into(),
        goal: Goal::Work,
        language_level: LanguageLevel::A2,
    }
}

/// A hotel, made by "kari".
pub fn workplace(id: DocId) -> Workplace {
    Workplace {
        id,
        kind: RecordKind::Workplace,
        schema_version: SCHEMA_VERSION,
        created_at: CREATED_AT,
        created_by: "kari".into(),
        name: "Fjordhotellet".into(),
        org_number: OrgNumber::parse("923609016").expect("valid"),
        address: "Strandgata 1, 5013 Bergen".into(),
        industry: Industry::Hotel,
        contacts: vec![],
        mapping: MappingNotes { needs: String::new(), requirements: String::new(), safety_routines: String::new() },
        hiring_outlook: HiringOutlook::Likely,
        peak_months: vec![],
    }
}

/// An active placement in phase 2, planned to end on `planned_end`.
pub fn placement(id: DocId, participant: DocId, workplace: DocId, planned_end: &str) -> Placement {
    Placement {
        id,
        kind: RecordKind::Placement,
        schema_version: SCHEMA_VERSION,
        created_at: CREATED_AT,
        created_by: "kari".into(),
        participant,
        workplace,
        mentor: Mentor { name: "Lise Berg".into(), phone: "41234567".into() },
        advisor: "kari".into(),
        start: Date::parse("2026-09-01").expect("date"),
        planned_end: Date::parse(planned_end).expect("date"),
        ended_on: None,
        status: PlacementStatus::Active,
        phase: 2,
        tasks: vec![
            TrainingTask { id: "t1".into(), phase: 1, text: "Re senger".into(), mastered: true },
            TrainingTask { id: "t2".into(), phase: 2, text: "Vaske bad".into(), mastered: false },
        ],
        first_meeting: AgreedMeeting::default(),
        second_meeting: AgreedMeeting::default(),
        contract_signed: true,
        job_prospect: JobProspect::Possible,
        outcome: None,
        outcome_note: String::new(),
    }
}

/// Feedback on `placement` written by the mentor `created_by`.
pub fn feedback(id: DocId, placement: DocId, created_by: &str) -> MentorFeedback {
    MentorFeedback {
        id,
        kind: RecordKind::MentorFeedback,
        schema_version: SCHEMA_VERSION,
        created_at: CREATED_AT,
        created_by: created_by.into(),
        placement,
        mentor_name: "Lise Berg".into(),
        attendance: Score::Good,
        punctuality: Score::Good,
        initiative: Score::Ok,
        norwegian: Score::Ok,
        tasks_mastered: vec!["t2".into()],
        ready_for_next_phase: Readiness::Unsure,
        going_well: "Jobber godt".into(),
        needs_attention: String::new(),
        contact_me: false,
        status: Status::Green,
        review: Review::unreviewed(),
    }
}
