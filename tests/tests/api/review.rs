//! The office's review round trip: staff ask for more information on a
//! visit, the advisor's phone gets it on its next sync, the advisor
//! answers, and staff mark it reviewed.

use innom_shared::document;
use innom_shared::records::{Placement, ReviewState, Visit};
use innom_shared::sync::DeviceSync;
use innom_shared::values::DocId;
use innom_tests::fixtures::{placement, visit};
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app};
use serde_json::json;

async fn review(app: &TestApp, token: &str, record: DocId, body: serde_json::Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/documents/{record}/review")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request")
}

fn read_visit(device: &mut DeviceSync, record: DocId) -> Visit {
    document::read(device.docs.get_mut(&record).expect("held").doc.document()).expect("a visit")
}

#[tokio::test]
async fn staff_ask_for_more_the_phone_shows_it_the_advisor_answers_and_staff_mark_it_reviewed() {
    let app = spawn_app().await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;
    let mut phone = DeviceSync::default();
    phone.add_record(id(1), &visit(id(1)));
    app.sync_device(&kari, &mut phone).await;

    let asked = review(&app, &sofie, id(1), json!({ "state": "needs_more_info", "comment": "Hvem møtte du?" })).await;
    assert_eq!(asked.status(), 204);
    app.sync_device(&kari, &mut phone).await;
    let seen = read_visit(&mut phone, id(1));
    assert_eq!(seen.review.state, ReviewState::NeedsMoreInfo);
    assert_eq!(seen.review.reviewer.as_deref(), Some("sofie"));
    assert_eq!(seen.review.comment, "Hvem møtte du?");

    // Kari answers on her phone; she may not touch the review herself.
    let mut answered = seen.clone();
    answered.met = "Daglig leder og fadder".into();
    document::write(phone.doc_mut(id(1)).expect("held"), &answered).expect("write");
    app.sync_device(&kari, &mut phone).await;
    assert!(!phone.has_unconfirmed());

    assert_eq!(review(&app, &sofie, id(1), json!({ "state": "reviewed" })).await.status(), 204);
    app.sync_device(&kari, &mut phone).await;
    let done = read_visit(&mut phone, id(1));
    assert_eq!((done.review.state, done.met.as_str()), (ReviewState::Reviewed, "Daglig leder og fadder"));

    // The history names who did what.
    let history: serde_json::Value =
        app.get(&format!("/api/documents/{}/history", id(1)), Some(&sofie)).await.json().await.expect("json");
    let authors: Vec<&str> =
        history["steps"].as_array().expect("steps").iter().map(|s| s["username"].as_str().expect("name")).collect();
    assert_eq!(authors, ["kari", "sofie", "kari", "sofie"]);
    let names: Vec<&str> =
        history["steps"].as_array().expect("steps").iter().map(|s| s["user_name"].as_str().expect("name")).collect();
    assert_eq!(names, ["kari display", "sofie display", "kari display", "sofie display"], "and by name");
}

#[tokio::test]
async fn only_staff_review_and_only_visits_and_feedback() {
    let app = spawn_app().await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;
    let mut phone = DeviceSync::default();
    phone.add_record(id(1), &visit(id(1)));
    let plan: Placement = placement(id(2), id(3), id(4), "2027-01-01");
    phone.add_record(id(2), &plan);
    app.sync_device(&kari, &mut phone).await;
    let before = app.dump().await;

    assert_eq!(review(&app, &kari, id(1), json!({ "state": "reviewed" })).await.status(), 403);
    assert_eq!(review(&app, &sofie, id(2), json!({ "state": "reviewed" })).await.status(), 409);
    assert_eq!(review(&app, &sofie, id(9), json!({ "state": "reviewed" })).await.status(), 404);
    let bad = review(&app, &sofie, id(1), json!({ "state": "approved" })).await;
    assert_eq!(bad.status(), 422, "an unknown state is refused like any wrongly typed field");
    assert_eq!(app.dump().await, before, "nothing was stored");
}
