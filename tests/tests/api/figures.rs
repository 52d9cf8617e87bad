//! Programme figures for a period, from the records the phones sent.

use innom_shared::records::{JobProspect, Outcome, PlacementStatus, VisitType};
use innom_shared::sync::DeviceSync;
use innom_shared::values::{Date, Timestamp};
use innom_tests::fixtures::{participant, placement, visit, workplace};
use innom_tests::{AddRecord, PASSWORD, id, spawn_app};
use serde_json::json;

fn noon(day: &str) -> Timestamp {
    let date = Date::parse(day).expect("date").0;
    Timestamp(date.with_hms(12, 0, 0).expect("noon").assume_utc().unix_timestamp() * 1000)
}

#[tokio::test]
async fn the_figures_count_what_happened_in_the_period() {
    let app = spawn_app().await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;

    let mut phone = DeviceSync::default();
    for w in [1, 2] {
        phone.add_record(id(w), &workplace(id(w)));
    }
    for (n, w, kind, day) in [
        (11, 1, VisitType::DropIn, "2026-11-10"),
        (12, 2, VisitType::MappingVisit, "2026-11-18"),
        (13, 1, VisitType::JobInterview, "2026-11-19"),
        (14, 1, VisitType::DropIn, "2026-01-05"),
    ] {
        let mut v = visit(id(n));
        v.workplace = id(w);
        v.visit_type = kind;
        v.at = noon(day);
        phone.add_record(id(n), &v);
    }
    phone.add_record(id(20), &participant(id(20)));
    let running = placement(id(21), id(20), id(1), "2027-03-01");
    let mut hired = placement(id(22), id(20), id(1), "2026-12-31");
    (hired.status, hired.outcome, hired.ended_on) =
        (PlacementStatus::Hired, Some(Outcome::Hired), Date::parse("2026-11-15"));
    let mut done = placement(id(23), id(20), id(2), "2026-11-30");
    (done.status, done.outcome, done.ended_on) =
        (PlacementStatus::Completed, Some(Outcome::NoJob), Date::parse("2026-11-05"));
    let mut offered = placement(id(24), id(20), id(2), "2027-01-31");
    (offered.phase, offered.job_prospect) = (1, JobProspect::Offered);
    for p in [running, hired, done, offered] {
        phone.add_record(p.id, &p);
    }
    app.sync_device(&kari, &mut phone).await;
    assert!(!phone.has_unconfirmed());

    let response = app.get("/api/figures?from=2026-11-01&to=2026-11-30", Some(&sofie)).await;
    assert_eq!(response.status(), 200);
    let figures: serde_json::Value = response.json().await.expect("json");
    assert_eq!(
        figures,
        json!({
            "from": "2026-11-01",
            "to": "2026-11-30",
            "employers_contacted": 1,
            "employers_visited": 2,
            "visits": 3,
            "visits_per_week": [["2026-W44", 0], ["2026-W45", 0], ["2026-W46", 1], ["2026-W47", 2], ["2026-W48", 0], ["2026-W49", 0]],
            "placements_by_status": { "active": 2, "completed": 1, "hired": 1 },
            "placements_by_phase": { "1": 1, "2": 1 },
            "interviews": 1,
            "job_offers": 1,
            "hires": 1,
            "ended": 2,
            "ended_in_work_or_education": 1,
        })
    );

    assert_eq!(app.get("/api/figures", Some(&kari)).await.status(), 403);
    assert_eq!(app.get("/api/figures", Some(&sofie)).await.status(), 200);
    for bad in ["?from=2026-12-01&to=2026-11-01", "?from=1.11.2026", "?from=2000-01-01&to=2026-01-01"] {
        assert_eq!(app.get(&format!("/api/figures{bad}"), Some(&sofie)).await.status(), 400, "{bad}");
    }
}
