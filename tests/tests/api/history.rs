//! A record's history: who changed which field, when, from which device;
//! two devices that set the same field concurrently show as a conflict
//! with both values until someone picks one, and then every device agrees.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{Status, Visit};
use innom_shared::sync::DeviceSync;
use innom_shared::values::DocId;
use innom_tests::fixtures::visit;
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app};
use serde_json::{Value, json};

const VISIT: u128 = 0x81;

fn edit(device: &mut DeviceSync, change: impl FnOnce(&mut Visit)) {
    let doc = device.doc_mut(id(VISIT)).expect("the visit");
    let mut record: Visit = document::read(doc).expect("a visit");
    change(&mut record);
    document::write(doc, &record).expect("write");
}

fn status_of(device: &mut DeviceSync) -> String {
    let doc: &mut AutoCommit = &mut device.docs.get_mut(&id(VISIT)).expect("the visit").doc;
    match doc.get(ROOT, "status").expect("read") {
        Some((automerge::Value::Scalar(s), _)) => s.as_str().unwrap_or_default().to_owned(),
        other => panic!("no status: {other:?}"),
    }
}

async fn history(app: &TestApp, token: &str) -> Value {
    let response = app.get(&format!("/api/documents/{}/history", id(VISIT)), Some(token)).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn concurrent_edits_show_both_values_until_staff_pick_one_and_every_device_converges() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    app.add_user("sofie", Role::Staff, PASSWORD).await;
    let phone_token = app.token("kari", PASSWORD).await;
    let laptop_token = app.token("kari", PASSWORD).await;
    let office = app.token("sofie", PASSWORD).await;

    // Kari records a visit on her phone; her laptop syncs it too.
    let mut phone = DeviceSync::default();
    phone.add_record(id(VISIT), &visit(id(VISIT)));
    app.sync_device(&phone_token, &mut phone).await;
    let mut laptop = DeviceSync::default();
    app.sync_device(&laptop_token, &mut laptop).await;

    // Offline, the phone says yellow and the laptop red; then both sync.
    edit(&mut phone, |v| v.status = Status::Yellow);
    edit(&mut laptop, |v| {
        v.status = Status::Red;
        v.met = "Fadder".into();
    });
    app.sync_device(&phone_token, &mut phone).await;
    app.sync_device(&laptop_token, &mut laptop).await;
    app.sync_device(&phone_token, &mut phone).await;

    let seen = history(&app, &office).await;
    let steps = seen["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 3, "{seen:#}");
    assert!(steps.iter().all(|s| s["username"] == "kari" && s["received_at"].is_i64()));
    let fields = |step: &Value| -> Vec<(String, Value)> {
        step["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| (f["field"].as_str().expect("name").to_owned(), f["value"].clone()))
            .collect()
    };
    let created = fields(&steps[0]);
    assert!(
        created.contains(&("status".into(), json!("green")))
            && created.contains(&("review.state".into(), json!("unreviewed"))),
        "{created:?}"
    );
    assert_eq!(fields(&steps[1]), [("status".into(), json!("yellow"))]);
    // The second edit's status lands beside the first: which one Automerge
    // shows is its own deterministic choice; `met` is plainly changed.
    assert!(fields(&steps[2]).contains(&("met".into(), json!("Fadder"))), "{:?}", fields(&steps[2]));
    let conflicts = seen["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["field"], "status");
    let mut values: Vec<&str> =
        conflicts[0]["values"].as_array().expect("values").iter().map(|v| v.as_str().expect("text")).collect();
    values.sort_unstable();
    assert_eq!(values, ["red", "yellow"]);

    // Sofie picks yellow: a new write that follows both.
    let mut desk = DeviceSync::default();
    app.sync_device(&office, &mut desk).await;
    let doc = desk.doc_mut(id(VISIT)).expect("the visit");
    doc.put(ROOT, "status", "yellow").expect("put");
    doc.commit();
    app.sync_device(&office, &mut desk).await;
    app.sync_device(&phone_token, &mut phone).await;
    app.sync_device(&laptop_token, &mut laptop).await;

    let seen = history(&app, &office).await;
    assert_eq!(seen["conflicts"], json!([]));
    assert_eq!(seen["steps"].as_array().expect("steps").last().expect("a step")["username"], "sofie");
    for device in [&mut phone, &mut laptop, &mut desk] {
        assert_eq!(status_of(device), "yellow");
    }
    let heads = |d: &mut DeviceSync| {
        let mut h = d.docs.get_mut(&id(VISIT)).expect("visit").doc.get_heads();
        h.sort();
        h
    };
    assert_eq!(heads(&mut phone), heads(&mut desk));
    assert_eq!(heads(&mut laptop), heads(&mut desk));
}

#[tokio::test]
async fn only_office_staff_see_a_history_of_a_record_that_exists() {
    let app = spawn_app().await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;
    let mut phone = DeviceSync::default();
    phone.add_record(id(VISIT), &visit(id(VISIT)));
    app.sync_device(&kari, &mut phone).await;
    let path = format!("/api/documents/{}/history", id(VISIT));
    assert_eq!(app.get(&path, Some(&kari)).await.status(), 403);
    assert_eq!(app.get(&path, None).await.status(), 401);
    let unknown = id(0x99);
    assert_eq!(app.get(&format!("/api/documents/{unknown}/history"), Some(&sofie)).await.status(), 404);
    assert_eq!(app.get(&path, Some(&sofie)).await.status(), 200);
}

/// Kari's phone and laptop set the visit's status to yellow and red at
/// once; returns them synced, with their tokens and the office's.
async fn conflicting_statuses(app: &TestApp) -> (DeviceSync, DeviceSync, String, String, String) {
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    app.add_user("sofie", Role::Staff, PASSWORD).await;
    let (phone_token, laptop_token) = (app.token("kari", PASSWORD).await, app.token("kari", PASSWORD).await);
    let office = app.token("sofie", PASSWORD).await;
    let mut phone = DeviceSync::default();
    phone.add_record(id(VISIT), &visit(id(VISIT)));
    app.sync_device(&phone_token, &mut phone).await;
    let mut laptop = DeviceSync::default();
    app.sync_device(&laptop_token, &mut laptop).await;
    edit(&mut phone, |v| v.status = Status::Yellow);
    edit(&mut laptop, |v| v.status = Status::Red);
    app.sync_device(&phone_token, &mut phone).await;
    app.sync_device(&laptop_token, &mut laptop).await;
    app.sync_device(&phone_token, &mut phone).await;
    (phone, laptop, phone_token, laptop_token, office)
}

#[tokio::test]
async fn staff_resolve_a_conflict_through_the_api_and_every_device_converges_on_their_choice() {
    let app = spawn_app().await;
    let (mut phone, mut laptop, phone_token, laptop_token, office) = conflicting_statuses(&app).await;
    let path = format!("/api/documents/{}/resolve", id(VISIT));

    // Only staff, only a field in conflict, only one of its values.
    assert_eq!(app.post_json(&path, &phone_token, &json!({"field": "status", "value": "red"})).await.status(), 403);
    assert_eq!(app.post_json(&path, &office, &json!({"field": "met", "value": "x"})).await.status(), 409);
    assert_eq!(app.post_json(&path, &office, &json!({"field": "status", "value": "green"})).await.status(), 409);
    assert_eq!(app.post_json(&path, &office, &json!({"field": "review.nope", "value": 1})).await.status(), 409);
    let unknown = format!("/api/documents/{}/resolve", id(0x99));
    assert_eq!(app.post_json(&unknown, &office, &json!({"field": "status", "value": "red"})).await.status(), 404);

    // Whichever value Automerge shows now, staff choose the other one.
    let shown = status_of(&mut phone);
    let chosen = if shown == "red" { "yellow" } else { "red" };
    let response = app.post_json(&path, &office, &json!({"field": "status", "value": chosen})).await;
    assert_eq!(response.status(), 204, "{}", response.text().await.unwrap_or_default());

    let seen = history(&app, &office).await;
    assert_eq!(seen["conflicts"], json!([]));
    let last = seen["steps"].as_array().expect("steps").last().expect("a step").clone();
    assert_eq!(last["username"], "sofie");
    assert_eq!(last["fields"], json!([{"field": "status", "value": chosen}]));
    app.sync_device(&phone_token, &mut phone).await;
    app.sync_device(&laptop_token, &mut laptop).await;
    for device in [&mut phone, &mut laptop] {
        assert_eq!(status_of(device), chosen);
    }
    // Resolved once, it is no longer a conflict to resolve.
    assert_eq!(app.post_json(&path, &office, &json!({"field": "status", "value": chosen})).await.status(), 409);
}

#[tokio::test]
async fn a_conflict_marks_the_placement_in_the_attention_list_and_the_visit_in_the_timeline_until_resolved() {
    use innom_tests::fixtures::{participant, placement, workplace};
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    app.add_user("sofie", Role::Staff, PASSWORD).await;
    let (phone_token, laptop_token) = (app.token("kari", PASSWORD).await, app.token("kari", PASSWORD).await);
    let office = app.token("sofie", PASSWORD).await;
    let other = |n: u128| id(n);
    let (person, place, plan) = (other(0x91), other(0x92), other(0x93));
    let mut phone = DeviceSync::default();
    phone.add_record(person, &participant(person));
    phone.add_record(place, &workplace(place));
    phone.add_record(plan, &placement(plan, person, place, "2099-01-01"));
    let about_plan = Visit { placements: vec![plan], workplace: place, ..visit(id(VISIT)) };
    phone.add_record(id(VISIT), &about_plan);
    app.sync_device(&phone_token, &mut phone).await;
    let mut laptop = DeviceSync::default();
    app.sync_device(&laptop_token, &mut laptop).await;

    assert_eq!(marked(&app, &office, plan).await, (false, false), "no conflict yet");

    edit(&mut phone, |v| v.status = Status::Yellow);
    edit(&mut laptop, |v| v.status = Status::Red);
    app.sync_device(&phone_token, &mut phone).await;
    app.sync_device(&laptop_token, &mut laptop).await;
    assert_eq!(marked(&app, &office, plan).await, (true, true), "two values for the status");

    let path = format!("/api/documents/{}/resolve", id(VISIT));
    let resolved = app.post_json(&path, &office, &json!({"field": "status", "value": "red"})).await;
    assert_eq!(resolved.status(), 204);
    assert_eq!(marked(&app, &office, plan).await, (false, false), "staff chose one");
}

/// Whether the attention list names a conflict, and whether the timeline
/// of `plan` marks the visit as conflicted.
async fn marked(app: &TestApp, office: &str, plan: DocId) -> (bool, bool) {
    use innom_shared::api::{AttentionReason, AttentionRow, PlacementTimeline};
    let rows: Vec<AttentionRow> = app.get("/api/attention", Some(office)).await.json().await.expect("json");
    let listed = rows.iter().any(|r| r.reasons.contains(&AttentionReason::Conflict));
    let path = format!("/api/placements/{plan}/timeline");
    let timeline: PlacementTimeline = app.get(&path, Some(office)).await.json().await.expect("json");
    let entry = timeline.entries.iter().find(|e| e.record == id(VISIT).to_string()).expect("the visit");
    (listed, entry.conflicted)
}
