//! Phones keep only what the work needs. The server names a cutoff day in
//! each reply to a field device (`SyncResponse::retire_before`); the
//! records of placements that ended before it are dropped from the device.
//! They stay on the server, where the office still sees them.
//!
//! What belongs to a placement: the placement itself, its mentor feedback,
//! the visits about it (when every placement a visit names is retired) and
//! the participant (when every placement of theirs the device holds is
//! retired). Workplaces are kept: the next placement goes there too.

use std::collections::{BTreeMap, BTreeSet};

use super::merge::AnyRecord;
use crate::values::{Date, DocId};

/// The records, among `records`, that a device no longer keeps at `cutoff`.
/// `earlier` are records dropped before, whose feedback and visits may
/// still be held.
pub fn retired<'a>(
    records: impl IntoIterator<Item = (DocId, &'a AnyRecord)>,
    cutoff: Date,
    earlier: &BTreeSet<DocId>,
) -> BTreeSet<DocId> {
    let records: Vec<(DocId, &AnyRecord)> = records.into_iter().collect();
    let mut retired = BTreeSet::new();
    // Per participant: whether every placement of theirs is retired.
    let mut participants: BTreeMap<DocId, bool> = BTreeMap::new();
    for (id, record) in &records {
        if let AnyRecord::Placement(placement) = record {
            let gone = placement.ended_before(cutoff);
            if gone {
                retired.insert(*id);
            }
            *participants.entry(placement.participant).or_insert(true) &= gone;
        }
    }
    for (id, record) in &records {
        let gone = match record {
            AnyRecord::Participant(_) => participants.get(id).copied().unwrap_or(false),
            AnyRecord::Visit(visit) => {
                !visit.placements.is_empty()
                    && visit.placements.iter().all(|p| retired.contains(p) || earlier.contains(p))
            }
            AnyRecord::MentorFeedback(feedback) => {
                retired.contains(&feedback.placement) || earlier.contains(&feedback.placement)
            }
            AnyRecord::Placement(_) | AnyRecord::Workplace(_) => false,
        };
        if gone {
            retired.insert(*id);
        }
    }
    retired
}
