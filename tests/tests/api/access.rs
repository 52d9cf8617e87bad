//! The access rules enforced on real pushes: the server compares each
//! document before and after the pushed changes, whatever the client sent.

use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{ReviewState, Status, Visit};
use innom_shared::sync::DeviceSync;
use innom_shared::sync::wire::{self, RejectionCode};
use innom_shared::values::DocId;
use innom_tests::fixtures::visit;
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app};

async fn app_with_advisor_and_staff() -> (TestApp, String, String) {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    app.add_user("ola", Role::Staff, PASSWORD).await;
    let advisor = app.token("kari", PASSWORD).await;
    let staff = app.token("ola", PASSWORD).await;
    (app, advisor, staff)
}

fn edit(device: &mut DeviceSync, id: DocId, change: impl FnOnce(&mut Visit)) {
    let doc = device.doc_mut(id).expect("doc");
    let mut record: Visit = document::read(doc).expect("valid");
    change(&mut record);
    document::write(doc, &record).expect("reconcile");
}

fn mark_needs_more_info(visit: &mut Visit) {
    visit.review.state = ReviewState::NeedsMoreInfo;
    visit.review.reviewer = Some("ola".into());
    visit.review.comment = "Hvem var til stede?".into();
}

#[tokio::test]
async fn an_advisor_cannot_review_a_visit_and_nothing_of_the_attempt_is_stored() {
    let (app, advisor, _) = app_with_advisor_and_staff().await;
    let id = id(1);
    let mut phone = DeviceSync::default();
    phone.add_record(id, &visit(id));
    app.sync_device(&advisor, &mut phone).await;
    let before = app.dump().await;

    // One change that edits a field the advisor may edit and the review.
    edit(&mut phone, id, |v| {
        v.status = Status::Red;
        mark_needs_more_info(v);
    });
    let reply = app.sync(&advisor, &phone.request()).await;

    let rejection = reply.results[0].rejection.as_ref().expect("refused");
    assert_eq!(rejection.code, RejectionCode::Forbidden);
    assert_eq!(app.dump().await, before, "nothing is stored");
}

#[tokio::test]
async fn a_new_record_in_someone_elses_name_is_refused() {
    let (app, advisor, _) = app_with_advisor_and_staff().await;
    let id = id(2);
    let mut forged = visit(id);
    forged.created_by = "ola".into();
    let mut phone = DeviceSync::default();
    phone.add_record(id, &forged);

    let reply = app.sync(&advisor, &phone.request()).await;

    assert_eq!(reply.results[0].rejection.as_ref().map(|r| r.code), Some(RejectionCode::Forbidden));
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM documents").fetch_one(&app.db).await.expect("q");
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn staff_review_a_visit_and_the_review_reaches_the_advisors_phone() {
    let (app, advisor, staff) = app_with_advisor_and_staff().await;
    let id = id(3);
    let mut phone = DeviceSync::default();
    phone.add_record(id, &visit(id));
    app.sync_device(&advisor, &mut phone).await;
    let mut desk = DeviceSync::default();
    app.sync_device(&staff, &mut desk).await;

    edit(&mut desk, id, mark_needs_more_info);
    let reply = app.sync_device(&staff, &mut desk).await;
    assert!(reply.results.iter().all(|r| r.rejection.is_none()), "{:?}", reply.results);
    app.sync_device(&advisor, &mut phone).await;

    let on_phone: Visit = document::read(&phone.docs[&id].doc).expect("valid");
    assert_eq!(on_phone.review.state, ReviewState::NeedsMoreInfo);
    assert_eq!(wire::doc_id(&reply.results[0].id), id);
}

#[tokio::test]
async fn extra_fields_such_as_role_in_a_login_are_ignored() {
    let (app, _, _) = app_with_advisor_and_staff().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&serde_json::json!({ "username": "kari", "password": PASSWORD, "role": "staff", "is_admin": true }))
        .send()
        .await
        .expect("login");
    assert!(response.status().is_success());
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["user"]["role"], "advisor");
}
