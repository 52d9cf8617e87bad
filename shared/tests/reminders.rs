//! The advisor's home page reminders: running placements nobody has
//! visited for 14 days, and those ending within 14 days.

use innom_shared::fixtures;
use innom_shared::records::PlacementStatus;
use innom_shared::reminders::reminders;
use innom_shared::sync::AnyRecord;
use innom_shared::values::{Date, DocId, Timestamp};

fn id(n: u128) -> DocId {
    DocId(uuid::Uuid::from_u128(n))
}

const DAY: i64 = 24 * 3600 * 1000;

fn today() -> Date {
    Date::parse("2026-11-25").expect("date")
}

/// Noon on `today` less `days`.
fn days_ago(days: i64) -> Timestamp {
    let noon = today().0.with_hms(12, 0, 0).expect("time").assume_utc().unix_timestamp() * 1000;
    Timestamp(noon - days * DAY)
}

fn placement(n: u128, end: &str, status: PlacementStatus) -> AnyRecord {
    let mut p = fixtures::placement(id(n), id(100), id(200), end);
    p.status = status;
    AnyRecord::Placement(p)
}

fn visit(n: u128, placement: u128, days: i64) -> AnyRecord {
    let mut v = fixtures::visit(id(n));
    v.placements = vec![id(placement)];
    v.at = days_ago(days);
    AnyRecord::Visit(v)
}

#[test]
fn placements_unvisited_for_14_days_need_a_visit_the_longest_first() {
    let records = [
        placement(1, "2099-01-01", PlacementStatus::Active),
        placement(2, "2099-01-01", PlacementStatus::Active),
        placement(3, "2099-01-01", PlacementStatus::Active),
        placement(4, "2099-01-01", PlacementStatus::Active),
        placement(5, "2099-01-01", PlacementStatus::Completed),
        visit(11, 1, 3),
        visit(12, 2, 20),
        visit(13, 2, 30),
        visit(14, 3, 15),
    ];
    let found = reminders(&records, today(), days_ago(0));
    assert_eq!(
        found.needs_visit,
        [(id(4), None), (id(2), Some(days_ago(20))), (id(3), Some(days_ago(15)))],
        "never visited first, then the longest ago; visited 3 days ago and ended ones are left out"
    );
}

#[test]
fn active_placements_ending_within_14_days_are_listed_soonest_first() {
    let records = [
        placement(1, "2026-12-09", PlacementStatus::Active),
        placement(2, "2026-11-25", PlacementStatus::Active),
        placement(3, "2026-12-10", PlacementStatus::Active),
        placement(4, "2026-11-24", PlacementStatus::Active),
        placement(5, "2026-11-30", PlacementStatus::Planned),
    ];
    let found = reminders(&records, today(), days_ago(0));
    assert_eq!(
        found.ending_soon,
        [(id(2), today()), (id(1), Date::parse("2026-12-09").expect("date"))],
        "today and 14 days ahead count; 15 days, yesterday and planned ones do not"
    );
}

#[test]
fn a_placement_is_unvisited_for_14_days_only_once_it_has_run_14_days() {
    let started = |n: u128, start: &str| {
        let AnyRecord::Placement(mut p) = placement(n, "2099-01-01", PlacementStatus::Active) else { unreachable!() };
        p.start = Date::parse(start).expect("date");
        AnyRecord::Placement(p)
    };
    let records = [started(1, "2026-11-25"), started(2, "2026-11-12"), started(3, "2026-11-11")];
    let found = reminders(&records, today(), days_ago(0));
    assert_eq!(
        found.needs_visit,
        [(id(3), None)],
        "started today or 13 days ago: not yet two weeks without a visit; 14 days ago: due"
    );
}
