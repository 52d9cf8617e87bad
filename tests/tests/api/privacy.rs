//! Privacy: erasing a participant removes every trace of them from the
//! database file and its write-ahead log, phones drop their copies, and a
//! phone that was offline cannot bring them back. Export gives everything
//! held about a participant as JSON.

use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{Participant, Visit};
use innom_shared::sync::DeviceSync;
use innom_shared::sync::wire::RejectionCode;
use innom_tests::fixtures::{participant, placement, visit, workplace};
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app};

/// A string found nowhere else, in the participant's name and a visit.
const CANARY: &str = "Kanarifugl Qx7Zw Hemmelighetsen";

const PARTICIPANT: u128 = 0x51;
const PLACEMENT: u128 = 0x52;
const VISIT: u128 = 0x53;
const WORKPLACE: u128 = 0x54;
const OTHER_PARTICIPANT: u128 = 0x55;

/// Ola (admin) and Kari (advisor) with a phone holding a participant whose
/// name and visit carry the canary, and another participant.
async fn setup() -> (TestApp, String, String, DeviceSync) {
    let app = spawn_app().await;
    app.add_admin("ola", PASSWORD).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let admin = app.token("ola", PASSWORD).await;
    let kari = app.token("kari", PASSWORD).await;

    let mut person: Participant = participant(id(PARTICIPANT));
    person.display_name = CANARY.into();
    let mut about: Visit = visit(id(VISIT));
    about.workplace = id(WORKPLACE);
    about.placements = vec![id(PLACEMENT)];
    about.summary = format!("Snakket med {CANARY} om turnus.").as_str().into();
    let mut phone = DeviceSync::default();
    phone.add_record(id(WORKPLACE), &workplace(id(WORKPLACE)));
    phone.add_record(id(PARTICIPANT), &person);
    phone.add_record(id(OTHER_PARTICIPANT), &participant(id(OTHER_PARTICIPANT)));
    let plan = placement(id(PLACEMENT), id(PARTICIPANT), id(WORKPLACE), "2027-03-01");
    phone.add_record(id(PLACEMENT), &plan);
    phone.add_record(id(VISIT), &about);
    app.sync_device(&kari, &mut phone).await;
    assert!(!phone.has_unconfirmed());
    (app, admin, kari, phone)
}

/// The database file and its write-ahead log, as bytes.
fn file_bytes(app: &TestApp) -> Vec<u8> {
    let mut bytes = std::fs::read(&app.database).expect("database file");
    let mut wal = app.database.clone().into_os_string();
    wal.push("-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn erasure_removes_the_canary_from_the_file_and_an_offline_phone_cannot_bring_it_back() {
    let (app, admin, kari, mut online_phone) = setup().await;
    // A second phone got everything, then went offline and edited the visit.
    let mut offline_phone = DeviceSync::default();
    app.sync_device(&kari, &mut offline_phone).await;
    let doc = offline_phone.doc_mut(id(VISIT)).expect("the visit is on the phone");
    let mut edited: Visit = document::read(doc).expect("valid");
    edited.summary.splice(0, 0, "Uten dekning: ");
    document::write(doc, &edited).expect("edit");
    assert!(contains(&file_bytes(&app), "Kanarifugl"), "the canary is in the file before erasure");

    let response = app
        .http
        .post(app.url(&format!("/api/participants/{}/erase", id(PARTICIPANT))))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let mut erased: Vec<String> = response.json().await.expect("ids");
    erased.sort();
    assert_eq!(erased, vec![id(PARTICIPANT).to_string(), id(PLACEMENT).to_string(), id(VISIT).to_string()]);

    assert!(!contains(&file_bytes(&app), "Kanarifugl"), "the canary is gone from the file and its WAL");

    // The offline phone comes back: its edit is refused and it drops its copies.
    let reply = app.sync(&kari, &offline_phone.request()).await;
    let refused = reply.results.iter().find(|r| innom_shared::sync::wire::doc_id(&r.id) == id(VISIT)).expect("result");
    assert_eq!(refused.rejection.as_ref().map(|r| r.code), Some(RejectionCode::Erased));
    offline_phone.receive(&reply).expect("applies");
    for gone in [PARTICIPANT, PLACEMENT, VISIT] {
        assert!(!offline_phone.docs.contains_key(&id(gone)), "{gone:x} dropped from the offline phone");
    }
    assert!(offline_phone.docs.contains_key(&id(WORKPLACE)) && offline_phone.docs.contains_key(&id(OTHER_PARTICIPANT)));
    assert!(!contains(&file_bytes(&app), "Kanarifugl"), "nothing came back");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM documents").fetch_one(&app.db).await.expect("count");
    assert_eq!(stored, 2, "the workplace and the other participant stay");

    // The phone that was online is told on its next sync.
    let reply = app.sync(&kari, &online_phone.request()).await;
    assert_eq!(reply.erased.len(), 3);
    online_phone.receive(&reply).expect("applies");
    assert!(!online_phone.docs.contains_key(&id(PARTICIPANT)) && !online_phone.docs.contains_key(&id(VISIT)));

    // A new push of the same record id is refused too.
    let mut again = DeviceSync::default();
    again.add_record(id(PARTICIPANT), &participant(id(PARTICIPANT)));
    let reply = app.sync(&kari, &again.request()).await;
    assert_eq!(reply.results[0].rejection.as_ref().map(|r| r.code), Some(RejectionCode::Erased));
}

#[tokio::test]
async fn only_admins_erase_and_unknown_participants_get_404() {
    let (app, admin, kari, _) = setup().await;
    let path = format!("/api/participants/{}/erase", id(PARTICIPANT));
    let by_advisor = app.http.post(app.url(&path)).bearer_auth(&kari).send().await.expect("request");
    assert_eq!(by_advisor.status(), 403);
    let unknown = format!("/api/participants/{}/erase", id(0x99));
    let missing = app.http.post(app.url(&unknown)).bearer_auth(&admin).send().await.expect("request");
    assert_eq!(missing.status(), 404);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM documents").fetch_one(&app.db).await.expect("count");
    assert_eq!(stored, 5, "nothing was erased");
}

#[tokio::test]
async fn staff_export_everything_held_about_a_participant_with_its_history() {
    let (app, admin, kari, _) = setup().await;
    let path = format!("/api/participants/{}/export", id(PARTICIPANT));

    assert_eq!(app.get(&path, Some(&kari)).await.status(), 403, "advisors do not export");
    let response = app.get(&path, Some(&admin)).await;
    assert_eq!(response.status(), 200);
    let export: serde_json::Value = response.json().await.expect("json");

    let records = export["records"].as_array().expect("records");
    let kinds: Vec<&str> = records.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(kinds.len(), 3);
    for kind in ["participant", "placement", "visit"] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
    let person = records.iter().find(|r| r["kind"] == "participant").expect("participant");
    assert_eq!(person["content"]["display_name"], CANARY);
    let history = person["history"].as_array().expect("history");
    assert_eq!(history[0]["username"], "kari");
    assert!(history[0]["received_at"].as_i64().is_some_and(|t| t > 0));
    assert!(!export.to_string().contains("Fjordhotellet"), "the workplace is not part of the person's data");
    assert_eq!(app.get(&format!("/api/participants/{}/export", id(0x99)), Some(&admin)).await.status(), 404);
}
