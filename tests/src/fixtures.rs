//! Valid records for tests.

use innom_shared::records::{JobSignal, RecordKind, Review, SCHEMA_VERSION, Status, Visit, VisitType};
use innom_shared::values::{DocId, Timestamp};

/// A valid drop-in visit with the given id.
pub fn visit(id: DocId) -> Visit {
    Visit {
        id,
        kind: RecordKind::Visit,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "kari".into(),
        visit_type: VisitType::DropIn,
        workplace: DocId(uuid::Uuid::from_u128(7)),
        placements: vec![],
        advisor: "kari".into(),
        at: Timestamp(1_764_000_000_000),
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
