//! Field devices drop the records of placements that ended before the
//! server's cutoff, keep everything else, and never drop unsent work.

use std::collections::BTreeSet;

use automerge::AutoCommit;
use innom_shared::document;
use innom_shared::fixtures;
use innom_shared::records::{Outcome, Placement, PlacementStatus};
use innom_shared::sync::retention::retired;
use innom_shared::sync::wire::{self, PulledDoc, SyncResponse, WIRE_VERSION};
use innom_shared::sync::{AnyRecord, DeviceSync, Rejection, RejectionCode};
use innom_shared::values::{Date, DocId};

fn id(n: u128) -> DocId {
    DocId(uuid::Uuid::from_u128(n))
}

fn date(text: &str) -> Date {
    Date::parse(text).expect("date")
}

const WORKPLACE: u128 = 1;
const OLD_PARTICIPANT: u128 = 2;
const CURRENT_PARTICIPANT: u128 = 3;
const OLD_PLACEMENT: u128 = 10;
const CURRENT_PLACEMENT: u128 = 11;
const OLD_FEEDBACK: u128 = 20;
const CURRENT_FEEDBACK: u128 = 21;
const OLD_VISIT: u128 = 30;
const SHARED_VISIT: u128 = 31;
const WORKPLACE_VISIT: u128 = 32;

fn ended(mut placement: Placement, on: Option<&str>) -> Placement {
    placement.start = date("2025-09-01");
    placement.status = PlacementStatus::Completed;
    placement.outcome = Some(Outcome::Education);
    placement.ended_on = on.map(date);
    placement
}

/// A workplace with one placement that ended in March 2026 and one still
/// running, with their participants, feedback and visits.
fn records(old_ended_on: Option<&str>) -> Vec<(DocId, AnyRecord)> {
    let workplace = fixtures::workplace(id(WORKPLACE));
    let old =
        ended(fixtures::placement(id(OLD_PLACEMENT), id(OLD_PARTICIPANT), id(WORKPLACE), "2026-12-01"), old_ended_on);
    let current = fixtures::placement(id(CURRENT_PLACEMENT), id(CURRENT_PARTICIPANT), id(WORKPLACE), "2027-02-01");
    let visit = |n: u128, placements: &[u128]| {
        let mut visit = fixtures::visit(id(n));
        visit.workplace = id(WORKPLACE);
        visit.placements = placements.iter().map(|p| id(*p)).collect();
        AnyRecord::Visit(visit)
    };
    vec![
        (id(WORKPLACE), AnyRecord::Workplace(workplace)),
        (id(OLD_PARTICIPANT), AnyRecord::Participant(fixtures::participant(id(OLD_PARTICIPANT)))),
        (id(CURRENT_PARTICIPANT), AnyRecord::Participant(fixtures::participant(id(CURRENT_PARTICIPANT)))),
        (id(OLD_PLACEMENT), AnyRecord::Placement(old)),
        (id(CURRENT_PLACEMENT), AnyRecord::Placement(current)),
        (
            id(OLD_FEEDBACK),
            AnyRecord::MentorFeedback(fixtures::feedback(id(OLD_FEEDBACK), id(OLD_PLACEMENT), "mentor:1")),
        ),
        (
            id(CURRENT_FEEDBACK),
            AnyRecord::MentorFeedback(fixtures::feedback(id(CURRENT_FEEDBACK), id(CURRENT_PLACEMENT), "mentor:2")),
        ),
        (id(OLD_VISIT), visit(OLD_VISIT, &[OLD_PLACEMENT])),
        (id(SHARED_VISIT), visit(SHARED_VISIT, &[OLD_PLACEMENT, CURRENT_PLACEMENT])),
        (id(WORKPLACE_VISIT), visit(WORKPLACE_VISIT, &[])),
    ]
}

fn ids(list: &[u128]) -> Vec<DocId> {
    list.iter().map(|n| id(*n)).collect()
}

#[test]
fn a_placement_that_ended_before_the_cutoff_takes_its_feedback_visits_and_participant_with_it() {
    let records = records(Some("2026-03-01"));
    let gone: Vec<DocId> =
        retired(records.iter().map(|(id, r)| (*id, r)), date("2026-05-25"), &BTreeSet::new()).into_iter().collect();
    assert_eq!(gone, ids(&[OLD_PARTICIPANT, OLD_PLACEMENT, OLD_FEEDBACK, OLD_VISIT]));
}

#[test]
fn a_placement_that_ended_after_the_cutoff_or_is_still_running_keeps_everything() {
    let records = records(Some("2026-06-01"));
    assert!(retired(records.iter().map(|(id, r)| (*id, r)), date("2026-05-25"), &BTreeSet::new()).is_empty());
}

#[test]
fn without_an_end_date_the_planned_end_counts() {
    let records = records(None);
    // Planned to end 2026-12-01: kept at a cutoff before it, dropped after.
    assert!(retired(records.iter().map(|(id, r)| (*id, r)), date("2026-11-30"), &BTreeSet::new()).is_empty());
    assert!(
        retired(records.iter().map(|(id, r)| (*id, r)), date("2026-12-02"), &BTreeSet::new())
            .contains(&id(OLD_PLACEMENT))
    );
}

#[test]
fn a_participant_with_a_running_placement_stays() {
    let mut records = records(Some("2026-03-01"));
    // A second placement for the old participant, still running.
    let again = fixtures::placement(id(12), id(OLD_PARTICIPANT), id(WORKPLACE), "2027-03-01");
    records.push((id(12), AnyRecord::Placement(again)));
    let gone = retired(records.iter().map(|(id, r)| (*id, r)), date("2026-05-25"), &BTreeSet::new());
    assert!(gone.contains(&id(OLD_PLACEMENT)));
    assert!(!gone.contains(&id(OLD_PARTICIPANT)));
}

fn device_holding(records: &[(DocId, AnyRecord)], unsent: &[u128]) -> DeviceSync {
    let mut device = DeviceSync::default();
    for (id, record) in records {
        let mut doc: AutoCommit = record.create_document().expect("document");
        device.insert_local(*id, doc.clone());
        if !unsent.iter().any(|n| self::id(*n) == *id) {
            device.docs.get_mut(id).expect("held").acked = doc.get_heads();
        }
    }
    device
}

#[test]
fn a_device_drops_confirmed_records_but_waits_while_any_of_them_is_unsent() {
    let records = records(Some("2026-03-01"));
    let mut device = device_holding(&records, &[OLD_FEEDBACK]);
    assert_eq!(device.retire(date("2026-05-25")), vec![], "unsent feedback holds the placement's records back");
    assert_eq!(device.docs.len(), records.len());

    // Once the server has the feedback, the next pass drops them together.
    let local = device.docs.get_mut(&id(OLD_FEEDBACK)).expect("held");
    local.acked = local.doc.get_heads();
    assert_eq!(device.retire(date("2026-05-25")), ids(&[OLD_PARTICIPANT, OLD_PLACEMENT, OLD_FEEDBACK, OLD_VISIT]));
    assert_eq!(device.docs.len(), records.len() - 4);
    assert!(device.docs.contains_key(&id(WORKPLACE)) && device.docs.contains_key(&id(SHARED_VISIT)));
}

#[test]
fn a_refused_record_stays_with_its_reason_and_does_not_hold_the_others_back() {
    let records = records(Some("2026-03-01"));
    let mut device = device_holding(&records, &[]);
    device.docs.get_mut(&id(OLD_FEEDBACK)).expect("held").rejection =
        Some(Rejection::new(RejectionCode::Forbidden, "not yours"));
    assert_eq!(device.retire(date("2026-05-25")), ids(&[OLD_PARTICIPANT, OLD_PLACEMENT, OLD_VISIT]));
    assert!(device.docs.contains_key(&id(OLD_FEEDBACK)));
    // Its placement is gone, but a later pass still knows it is retired.
    device.docs.get_mut(&id(OLD_FEEDBACK)).expect("held").rejection = None;
    assert_eq!(device.retire(date("2026-05-25")), ids(&[OLD_FEEDBACK]));
}

#[test]
fn changes_pulled_for_a_retired_record_do_not_bring_it_back() {
    let records = records(Some("2026-03-01"));
    let mut device = device_holding(&records, &[]);
    device.retire(date("2026-05-25"));

    // The office edits the old placement on the server.
    let (_, AnyRecord::Placement(old)) = &records[3] else { panic!("the old placement") };
    let mut doc = AnyRecord::Placement(old.clone()).create_document().expect("document");
    let mut edited = old.clone();
    edited.outcome_note = "Begynte på fagskole".into();
    document::write(&mut doc, &edited).expect("write");
    let change = doc.get_last_local_change().expect("change").raw_bytes().to_vec();
    let response = SyncResponse {
        version: WIRE_VERSION,
        results: vec![],
        pull: vec![PulledDoc {
            id: wire::wire_id(old.id),
            snapshot: None,
            changes: vec![change.into()],
            heads: wire::wire_heads(&doc.get_heads()),
        }],
        cursor: 9,
        more: false,
        snapshots: false,
        erased: vec![],
        retire_before: Some("2026-05-25".into()),
        log: None,
        reset: false,
        rescope: false,
    };
    device.receive(&response).expect("receive");
    assert!(!device.docs.contains_key(&id(OLD_PLACEMENT)));
    assert_eq!(device.cursor, 9);
}

#[test]
fn months_before_keeps_the_day_or_takes_the_months_last() {
    assert_eq!(date("2026-11-25").months_before(6), date("2026-05-25"));
    assert_eq!(date("2026-01-15").months_before(1), date("2025-12-15"));
    assert_eq!(date("2026-05-31").months_before(3), date("2026-02-28"));
    assert_eq!(date("2024-05-31").months_before(3), date("2024-02-29"));
    assert_eq!(date("2026-03-10").months_before(27), date("2023-12-10"));
    assert_eq!(date("2026-03-10").months_before(0), date("2026-03-10"));
}

#[test]
fn weeks_after_crosses_months_and_years() {
    assert_eq!(date("2026-11-26").weeks_after(12), date("2027-02-18"));
    assert_eq!(date("2026-02-20").weeks_after(1), date("2026-02-27"));
    assert_eq!(date("2026-02-26").weeks_after(0), date("2026-02-26"));
}
