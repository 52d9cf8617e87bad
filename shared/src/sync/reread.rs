//! Reading a merged record again where a push changed it, not whole.
//!
//! After a merge the server needs the record as it now stands. Reading all
//! of it from the document was a sixth of the server's CPU per change
//! (Automerge looks each field up by key), while a phone's edit touches a
//! field or two. So the record as it stood before the merge is kept and
//! only the root fields the new changes write under are read again: those
//! set at the root, and those holding an object (the summary's text, a list
//! of concerns) that a change edits somewhere inside.
//!
//! Whenever that cannot be told for certain (an operation this does not
//! place, a key that is not one of the record's fields, a field that does
//! not read), the caller reads the whole record instead, so the result is
//! always what a whole read gives. Debug builds check exactly that on
//! every merge.

use std::collections::{BTreeSet, HashSet};

use automerge::legacy::{Key, ObjectId, OpId};
use automerge::{Automerge, Change, Prop, ROOT, ReadDoc};
use autosurgeon::HydrateError;

use super::merge::AnyRecord;

/// The root keys of `doc` under which `changes` (applied to it) write, or
/// `None` when one of their operations cannot be placed under a root key.
pub fn touched_root_keys(doc: &Automerge, changes: &[Change]) -> Option<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    let mut objects: HashSet<OpId> = HashSet::new();
    for change in changes {
        for op in change.decode().operations {
            match (op.obj, op.key) {
                (ObjectId::Root, Key::Map(key)) => {
                    keys.insert(key.to_string());
                }
                (ObjectId::Root, Key::Seq(_)) => return None,
                (ObjectId::Id(object), _) => {
                    objects.insert(object);
                }
            }
        }
    }
    for OpId(counter, actor) in objects {
        let object = doc.import_obj(&format!("{counter}@{actor}")).ok()?;
        // The path from the object up to the root; its last step is the
        // root key the object hangs under.
        let top = doc.parents(&object).ok()?.last()?;
        match top.prop {
            Prop::Map(key) if top.obj == ROOT => keys.insert(key),
            _ => return None,
        };
    }
    Some(keys)
}

/// Sets one root field of a record from `doc`; `Ok(false)` for a key that
/// is none of its fields. Each kind lists every field of its struct, by
/// the name its derived `Hydrate` reads it under.
macro_rules! reread_fields {
    ($($kind:ident { $($field:ident),* $(,)? })*) => {
        fn reread_field(record: &mut AnyRecord, doc: &Automerge, key: &str) -> Result<bool, HydrateError> {
            match record {
                $(AnyRecord::$kind(record) => match key {
                    $(stringify!($field) => record.$field = autosurgeon::hydrate_prop(doc, ROOT, key)?,)*
                    _ => return Ok(false),
                },)*
            }
            Ok(true)
        }
    };
}

reread_fields! {
    Workplace {
        id, kind, schema_version, created_at, created_by, name, org_number, address, industry, contacts,
        mapping, hiring_outlook, peak_months,
    }
    Participant {
        id, kind, schema_version, created_at, created_by, display_name, programme, advisor, goal,
        language_level,
    }
    Placement {
        id, kind, schema_version, created_at, created_by, participant, workplace, mentor, advisor, start,
        planned_end, ended_on, status, phase, tasks, first_meeting, second_meeting, contract_signed,
        job_prospect, outcome, outcome_note,
    }
    MentorFeedback {
        id, kind, schema_version, created_at, created_by, placement, mentor_name, attendance, punctuality,
        initiative, norwegian, tasks_mastered, ready_for_next_phase, going_well, needs_attention, contact_me,
        status, review,
    }
    Visit {
        id, kind, schema_version, created_at, created_by, visit_type, workplace, placements, advisor, at,
        duration_minutes, met, summary, concerns, follow_ups, job_signal, status, review,
    }
}

/// `before` with the fields under `keys` read again from `doc`, or `None`
/// if one of them is not a field of the record or does not read as one
/// (a field deleted, a value of another type): the whole read then says
/// what is wrong. Not yet checked against the rules.
pub fn reread(before: &AnyRecord, doc: &Automerge, keys: &BTreeSet<String>) -> Option<AnyRecord> {
    let mut record = before.clone();
    for key in keys {
        if !reread_field(&mut record, doc, key).ok()? {
            return None;
        }
    }
    Some(record)
}

#[cfg(test)]
mod tests {
    use automerge::AutoCommit;
    use automerge::transaction::Transactable;

    use super::*;
    use crate::document;
    use crate::fixtures::{feedback, participant, placement, visit, workplace};
    use crate::values::DocId;

    fn id(n: u128) -> DocId {
        DocId(uuid::Uuid::from_u128(n))
    }

    /// A sample record of every kind.
    fn samples() -> Vec<AnyRecord> {
        vec![
            workplace(id(1)).into(),
            participant(id(2)).into(),
            placement(id(3), id(2), id(1), "2027-03-01").into(),
            feedback(id(4), id(3), "mentor:1").into(),
            visit(id(5)).into(),
        ]
    }

    /// The changes `edit` makes to `doc`, applied to a copy of it.
    fn edited(doc: &mut AutoCommit, edit: impl FnOnce(&mut AutoCommit)) -> (Automerge, Vec<Change>) {
        let heads = doc.get_heads();
        edit(doc);
        doc.commit();
        let changes: Vec<Change> = doc.get_changes(&heads);
        (doc.document().clone(), changes)
    }

    #[test]
    fn every_root_key_of_every_kind_is_a_field_that_rereads_to_the_whole_read() {
        for record in samples() {
            let mut doc = record.create_document().expect("document");
            let keys: BTreeSet<String> = doc.keys(ROOT).collect();
            let again = reread(&record, doc.document(), &keys);
            assert_eq!(again.as_ref(), Some(&record), "{:?}: a root key is missing from its field list", record.kind());
        }
    }

    #[test]
    fn a_splice_into_the_summary_and_a_field_set_touch_just_those_keys() {
        let record = AnyRecord::from(visit(id(5)));
        let mut doc = record.create_document().expect("document");
        let (merged, changes) = edited(&mut doc, |doc| {
            doc.put(ROOT, "duration_minutes", 75_u64).expect("put");
            let (_, summary) = doc.get(ROOT, "summary").expect("get").expect("summary");
            doc.splice_text(&summary, 0, 0, "Kort: ").expect("splice");
        });
        let keys = touched_root_keys(&merged, &changes).expect("placed");
        assert_eq!(keys, BTreeSet::from(["duration_minutes".to_owned(), "summary".to_owned()]));
        let again = reread(&record, &merged, &keys).expect("rereads");
        assert_eq!(again, AnyRecord::read(&merged).expect("valid"));
        let AnyRecord::Visit(visit) = again else { panic!("not a visit") };
        assert_eq!(visit.duration_minutes, 75);
        assert!(visit.summary.as_str().starts_with("Kort: "));
    }

    #[test]
    fn an_edit_deep_inside_a_list_item_is_placed_under_its_root_key() {
        let record = AnyRecord::from(placement(id(3), id(2), id(1), "2027-03-01"));
        let AnyRecord::Placement(placement) = &record else { unreachable!() };
        assert!(!placement.tasks.is_empty(), "the sample has training tasks");
        let mut doc = record.create_document().expect("document");
        let (merged, changes) = edited(&mut doc, |doc| {
            let (_, tasks) = doc.get(ROOT, "tasks").expect("get").expect("tasks");
            let (_, second) = doc.get(&tasks, 1).expect("get").expect("a task");
            doc.put(&second, "mastered", true).expect("put");
        });
        let keys = touched_root_keys(&merged, &changes).expect("placed");
        assert_eq!(keys, BTreeSet::from(["tasks".to_owned()]));
        let again = reread(&record, &merged, &keys).expect("rereads");
        assert_eq!(again, AnyRecord::read(&merged).expect("valid"));
        assert_ne!(again, record, "the task's change is read");
    }

    #[test]
    fn a_key_that_is_no_field_or_a_field_that_does_not_read_asks_for_the_whole_read() {
        let record = AnyRecord::from(visit(id(5)));
        let mut doc = record.create_document().expect("document");
        let (merged, changes) = edited(&mut doc, |doc| {
            doc.put(ROOT, "not_a_field", "x").expect("put");
            doc.put(ROOT, "duration_minutes", "lenge").expect("put");
        });
        let keys = touched_root_keys(&merged, &changes).expect("placed");
        assert_eq!(reread(&record, &merged, &BTreeSet::from(["not_a_field".to_owned()])), None);
        assert_eq!(reread(&record, &merged, &BTreeSet::from(["duration_minutes".to_owned()])), None);
        assert_eq!(reread(&record, &merged, &keys), None);
    }

    #[test]
    fn a_record_written_whole_again_rereads_to_the_whole_read() {
        let record = AnyRecord::from(visit(id(5)));
        let mut doc = record.create_document().expect("document");
        let mut changed = visit(id(5));
        changed.summary = "Et helt nytt sammendrag.".into();
        changed.follow_ups.clear();
        let (merged, changes) = edited(&mut doc, |doc| document::write(doc, &changed).expect("write"));
        let keys = touched_root_keys(&merged, &changes).expect("placed");
        let again = reread(&record, &merged, &keys).expect("rereads");
        assert_eq!(again, AnyRecord::Visit(changed));
    }
}
