//! `POST /api/sync` and `GET /api/events` against the real server and a
//! real SQLite file, driven by the shared sync core with real Automerge
//! changes.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ScalarValue};
use futures_util::StreamExt;
use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{FollowUp, Status, Visit};
use innom_shared::sync::wire::{self, PushedDoc, RejectionCode, SyncRequest, WIRE_VERSION, content_digest};
use innom_shared::sync::{DeviceSync, RecordSyncState};
use innom_shared::values::DocId;
use innom_tests::fixtures::visit;
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app};

async fn app_and_token() -> (TestApp, String) {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = app.token("kari", PASSWORD).await;
    (app, token)
}

fn device_with_visit(n: u128) -> (DeviceSync, DocId) {
    let id = id(n);
    let mut device = DeviceSync::default();
    device.add_record(id, &visit(id));
    (device, id)
}

fn edit(device: &mut DeviceSync, id: DocId, change: impl FnOnce(&mut Visit)) {
    let doc = device.doc_mut(id).expect("doc");
    let mut record: Visit = document::read(doc).expect("valid");
    change(&mut record);
    document::write(doc, &record).expect("reconcile");
}

fn read(device: &DeviceSync, id: DocId) -> Visit {
    document::read(&device.docs[&id].doc).expect("valid")
}

#[tokio::test]
async fn two_devices_editing_one_visit_offline_end_with_every_edit_in_either_order() {
    for a_first in [true, false] {
        let (app, token) = app_and_token().await;
        let other_token = app.token("kari", PASSWORD).await;
        let (mut phone_a, id) = device_with_visit(1);
        app.sync_device(&token, &mut phone_a).await;
        let mut phone_b = DeviceSync::default();
        app.sync_device(&other_token, &mut phone_b).await;

        edit(&mut phone_a, id, |v| {
            v.status = Status::Red;
            v.summary.splice(0, 0, "A: ");
        });
        edit(&mut phone_b, id, |v| {
            v.follow_ups.push(FollowUp { id: "f1".into(), text: "Ring fadder".into(), due: None, done: false });
            let end = v.summary.as_str().chars().count();
            v.summary.splice(end, 0, " B.");
        });

        let ((first, first_token), (second, second_token)) = if a_first {
            ((&mut phone_a, &token), (&mut phone_b, &other_token))
        } else {
            ((&mut phone_b, &other_token), (&mut phone_a, &token))
        };
        app.sync_device(first_token, first).await;
        app.sync_device(second_token, second).await;
        app.sync_device(first_token, first).await;

        let (a, b) = (read(&phone_a, id), read(&phone_b, id));
        assert_eq!(a, b);
        assert_eq!(a.status, Status::Red);
        assert_eq!(a.follow_ups.len(), 1);
        assert_eq!(a.summary.as_str(), "A: Alt vel. B.");
        let mut heads_a = phone_a.docs.get_mut(&id).expect("doc").doc.get_heads();
        let mut heads_b = phone_b.docs.get_mut(&id).expect("doc").doc.get_heads();
        heads_a.sort();
        heads_b.sort();
        assert_eq!(heads_a, heads_b);
        assert_eq!(phone_a.state(id), Some(RecordSyncState::Confirmed));
        assert_eq!(phone_b.state(id), Some(RecordSyncState::Confirmed));
    }
}

#[tokio::test]
async fn a_replayed_push_is_stored_once_and_answered_identically() {
    let (app, token) = app_and_token().await;
    let (mut device, _) = device_with_visit(2);
    let request = device.request();

    let first = app.sync(&token, &request).await;
    let after_first = app.dump().await;
    for _ in 0..10 {
        assert_eq!(app.sync(&token, &request).await, first);
    }
    let concurrent = futures_util::future::join_all((0..10).map(|_| app.sync(&token, &request))).await;

    assert!(concurrent.iter().all(|reply| *reply == first));
    assert_eq!(app.dump().await, after_first);
    assert_eq!(after_first.1.len(), 1, "one change stored");
}

/// A document's position in the feed, and the newest of its changes.
async fn feed_positions(app: &TestApp, id: DocId) -> (i64, i64) {
    sqlx::query_as(
        "SELECT d.seq, (SELECT max(c.seq) FROM changes c WHERE c.doc_id = d.id) FROM documents d WHERE d.id = ?",
    )
    .bind(id.0.as_bytes().to_vec())
    .fetch_one(&app.db)
    .await
    .expect("positions")
}

#[tokio::test]
async fn a_documents_feed_position_follows_its_newest_change_and_a_replay_leaves_it() {
    let (app, token) = app_and_token().await;
    let (mut device, id) = device_with_visit(7);
    let (mut second, other) = device_with_visit(8);
    app.sync_device(&token, &mut device).await;
    let (first_seq, newest) = feed_positions(&app, id).await;
    assert_eq!(first_seq, newest);

    // Another document's change moves only that document.
    app.sync_device(&token, &mut second).await;
    assert_eq!(feed_positions(&app, id).await, (first_seq, newest));
    let (other_seq, other_newest) = feed_positions(&app, other).await;
    assert!(other_seq > first_seq);
    assert_eq!(other_seq, other_newest);

    edit(&mut device, id, |v| v.summary = "Endret etterpå".into());
    let request = device.request();
    app.sync(&token, &request).await;
    let (edited_seq, newest) = feed_positions(&app, id).await;
    assert!(edited_seq > other_seq, "the edit moved the document to the end of the feed");
    assert_eq!(edited_seq, newest);

    app.sync(&token, &request).await;
    assert_eq!(feed_positions(&app, id).await, (edited_seq, newest), "a replay stores nothing and moves nothing");
}

#[tokio::test]
async fn a_change_before_its_dependency_is_refused_until_the_dependency_arrives() {
    let (app, token) = app_and_token().await;
    let (mut device, id) = device_with_visit(3);
    app.sync_device(&token, &mut device).await;
    edit(&mut device, id, |v| v.status = Status::Yellow);
    edit(&mut device, id, |v| v.status = Status::Red);
    let local = device.docs.get_mut(&id).expect("doc");
    let acked = local.acked.clone();
    let changes = local.doc.get_changes(&acked);
    assert_eq!(changes.len(), 2);
    let push = |change: &automerge::Change| SyncRequest {
        version: WIRE_VERSION,
        cursor: 1,
        push: vec![PushedDoc { id: wire::wire_id(id), changes: vec![change.raw_bytes().to_vec().into()] }],
        snapshots: false,
        log: None,
    };

    let early = app.sync(&token, &push(&changes[1])).await;
    assert_eq!(early.results[0].rejection.as_ref().map(|r| r.code), Some(RejectionCode::MissingDependencies));
    assert_eq!(app.dump().await.1.len(), 1, "nothing stored");

    let dependency = app.sync(&token, &push(&changes[0])).await;
    let late = app.sync(&token, &push(&changes[1])).await;
    assert!(dependency.results[0].rejection.is_none());
    assert!(late.results[0].rejection.is_none());
    let mut server_heads = wire::heads(&late.results[0].heads);
    server_heads.sort();
    let mut device_heads = device.docs.get_mut(&id).expect("doc").doc.get_heads();
    device_heads.sort();
    assert_eq!(server_heads, device_heads);
}

#[tokio::test]
async fn a_damaged_body_gets_400_at_every_truncation_and_bit_flip_and_changes_nothing() {
    let (app, token) = app_and_token().await;
    let (mut seed, _) = device_with_visit(4);
    app.sync_device(&token, &mut seed).await;
    let (mut device, id) = device_with_visit(5);
    edit(&mut device, id, |v| v.status = Status::Yellow);
    let body = device.request().encode();
    let digest = content_digest(&body);
    let before = app.dump().await;

    for end in 0..body.len() {
        let status = app.sync_raw(&token, body[..end].to_vec(), Some(&digest)).await.status();
        assert_eq!(status, 400, "truncated at {end}");
    }
    // A fixed-seed xorshift, so a failure can be replayed.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for _ in 0..1_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let bit = usize::try_from(state % (body.len() as u64 * 8)).unwrap_or(0);
        let mut flipped = body.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        let status = app.sync_raw(&token, flipped, Some(&digest)).await.status();
        assert_eq!(status, 400, "bit {bit} flipped");
    }

    assert_eq!(app.dump().await, before);
}

#[tokio::test]
async fn a_corrupt_change_is_rejected_without_blocking_the_other_documents() {
    let (app, token) = app_and_token().await;
    let (mut device, good) = device_with_visit(6);
    let bad = id(7);
    device.add_record(bad, &visit(bad));
    let mut request = device.request();
    let corrupt = request.push.iter_mut().find(|p| wire::doc_id(&p.id) == bad).expect("pushed");
    let mut bytes = corrupt.changes[0].to_vec();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    corrupt.changes[0] = bytes.into();

    let reply = app.sync(&token, &request).await;

    for result in &reply.results {
        if wire::doc_id(&result.id) == bad {
            assert_eq!(result.rejection.as_ref().map(|r| r.code), Some(RejectionCode::CorruptChange));
        } else {
            assert!(result.rejection.is_none());
            assert_eq!(wire::doc_id(&result.id), good);
        }
    }
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT id FROM documents").fetch_all(&app.db).await.expect("q");
    assert_eq!(stored, vec![good.0.as_bytes().to_vec()]);
}

#[tokio::test]
async fn a_stored_document_that_no_longer_loads_blocks_only_itself() {
    let (app, token) = app_and_token().await;
    let (mut device, damaged) = device_with_visit(8);
    let first = app.sync(&token, &device.request()).await;
    device.receive(&first).expect("receive");
    // The file damaged under the server: the snapshot no longer loads.
    sqlx::query("UPDATE documents SET snapshot = x'00ff00ff' WHERE id = ?")
        .bind(damaged.0.as_bytes().to_vec())
        .execute(&app.db)
        .await
        .expect("damage");
    edit(&mut device, damaged, |v| v.summary = "Endret etterpå.".into());
    let fresh = id(9);
    device.add_record(fresh, &visit(fresh));

    let reply = app.sync(&token, &device.request()).await;

    let outcome = |id: DocId| reply.results.iter().find(|r| wire::doc_id(&r.id) == id).expect("answered");
    let refused = outcome(damaged).rejection.as_ref().expect("the damaged document is refused");
    assert_eq!(refused.code, RejectionCode::InvalidRecord);
    assert!(refused.message.contains("unreadable"), "{}", refused.message);
    assert!(outcome(fresh).rejection.is_none(), "the other document is stored");
    let changes: i64 = sqlx::query_scalar("SELECT count(*) FROM changes WHERE doc_id = ?")
        .bind(damaged.0.as_bytes().to_vec())
        .fetch_one(&app.db)
        .await
        .expect("q");
    assert_eq!(changes, 1, "nothing was added to the damaged document");
}

/// A document whose record was broken by a hand-made Automerge edit.
fn broken(n: u128, break_it: impl FnOnce(&mut AutoCommit, DocId)) -> (DocId, AutoCommit) {
    let id = id(n);
    let mut doc = document::create(&visit(id)).expect("create");
    break_it(&mut doc, id);
    (id, doc)
}

#[tokio::test]
async fn wrong_types_and_shapes_are_rejected_with_a_reason_and_the_rest_is_accepted() {
    let (app, token) = app_and_token().await;
    let (mut device, good) = device_with_visit(10);
    let cases = [
        broken(11, |doc, _| doc.put(ROOT, "at", ScalarValue::counter(5)).expect("put")),
        broken(12, |doc, _| doc.delete(ROOT, "advisor").expect("delete")),
        broken(13, |doc, _| doc.put(ROOT, "kind", "spaceship").expect("put")),
        broken(14, |doc, _| doc.put(ROOT, "id", id(99).to_string()).expect("put")),
        broken(15, |doc, _| doc.put(ROOT, "duration_minutes", "ti minutter").expect("put")),
    ];
    let bad_ids: Vec<DocId> = cases.iter().map(|(id, _)| *id).collect();
    for (id, doc) in cases {
        device.insert_local(id, doc);
    }

    let reply = app.sync_device(&token, &mut device).await;

    for result in &reply.results {
        let id = wire::doc_id(&result.id);
        if id == good {
            assert!(result.rejection.is_none(), "{:?}", result.rejection);
        } else {
            let rejection = result.rejection.as_ref().expect("rejected");
            assert!(
                matches!(rejection.code, RejectionCode::InvalidRecord | RejectionCode::WrongIdentity),
                "{id}: {rejection}"
            );
            assert!(!rejection.message.is_empty());
            assert!(matches!(device.state(id), Some(RecordSyncState::Rejected(_))));
        }
    }
    assert_eq!(reply.results.len(), 6);
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT id FROM documents").fetch_all(&app.db).await.expect("q");
    assert_eq!(stored, vec![good.0.as_bytes().to_vec()]);
    assert!(bad_ids.iter().all(|id| device.docs.contains_key(id)), "rejected records stay on the device");
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413() {
    let (app, token) = app_and_token().await;
    let body = vec![0u8; 9 * 1024 * 1024];
    let digest = content_digest(&body);

    let response = app.sync_raw(&token, body, Some(&digest)).await;

    assert_eq!(response.status(), 413);
    let error: serde_json::Value = response.json().await.expect("json");
    assert_eq!(error["error"], "too_large");
}

#[tokio::test]
async fn requests_without_a_session_digest_or_cbor_are_refused() {
    let (app, token) = app_and_token().await;
    let body = DeviceSync::default().request().encode();
    let digest = content_digest(&body);

    let anonymous = app.http.post(app.url("/api/sync")).body(body.clone()).send().await.expect("request");
    let no_digest = app.sync_raw(&token, body.clone(), None).await;
    let json = app
        .http
        .post(app.url("/api/sync"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .header("content-digest", digest.clone())
        .body(body.clone())
        .send()
        .await
        .expect("request");
    let garbage = b"not cbor".to_vec();
    let garbage_digest = content_digest(&garbage);
    let not_cbor = app.sync_raw(&token, garbage, Some(&garbage_digest)).await;

    assert_eq!(anonymous.status(), 401);
    assert_eq!(no_digest.status(), 400);
    assert_eq!(json.status(), 415);
    assert_eq!(not_cbor.status(), 400);
    let error: serde_json::Value = not_cbor.json().await.expect("json");
    assert!(error["message"].as_str().unwrap_or_default().contains("malformed sync message"));
}

#[tokio::test]
async fn a_new_device_starts_from_snapshots_not_history() {
    let (app, token) = app_and_token().await;
    let (mut phone, id) = device_with_visit(20);
    for n in 0..5 {
        edit(&mut phone, id, |v| v.duration_minutes = 11 + n);
        app.sync_device(&token, &mut phone).await;
    }
    let laptop_token = app.token("kari", PASSWORD).await;
    let mut laptop = DeviceSync::default();

    let reply = app.sync_device(&laptop_token, &mut laptop).await;

    assert_eq!(reply.pull.len(), 1);
    assert!(reply.pull[0].snapshot.is_some());
    assert!(reply.pull[0].changes.is_empty());
    assert_eq!(read(&laptop, id), read(&phone, id));
    assert_eq!(laptop.state(id), Some(RecordSyncState::Confirmed));
    assert_eq!(reply.cursor, 6);
}

#[tokio::test]
async fn a_bootstrap_comes_in_pages_and_picks_up_edits_made_meanwhile() {
    let (app, token) = app_and_token().await;
    let mut phone = DeviceSync::default();
    let total = 2_300u128;
    for n in 0..total {
        let id = id(10_000 + n);
        phone.add_record(id, &visit(id));
    }
    app.sync_device(&token, &mut phone).await;
    let first_id = id(10_000);
    let laptop_token = app.token("kari", PASSWORD).await;
    let mut laptop = DeviceSync::default();

    let first = app.sync(&laptop_token, &laptop.request()).await;
    laptop.receive(&first).expect("applies");
    assert!(first.snapshots && first.more, "a first page, with more to come");
    assert_eq!(first.pull.len(), 1_000);
    assert!(laptop.bootstrapping);
    // The first document, already sent to the laptop, is edited before
    // the laptop asks for the next page.
    assert!(laptop.docs.contains_key(&first_id));
    edit(&mut phone, first_id, |v| v.duration_minutes = 42);
    app.sync_device(&token, &mut phone).await;

    let mut pages = 1;
    loop {
        let request = laptop.request();
        assert!(request.snapshots, "the laptop asks for more snapshots, not changes");
        let reply = app.sync(&laptop_token, &request).await;
        laptop.receive(&reply).expect("applies");
        pages += 1;
        assert!(reply.snapshots);
        if !reply.more {
            assert_eq!(reply.cursor, app.dump().await.1.len() as u64, "the last page ends at the log's end");
            break;
        }
    }

    assert_eq!(pages, 3);
    assert!(!laptop.bootstrapping);
    assert_eq!(laptop.docs.len(), total as usize);
    assert_eq!(read(&laptop, first_id).duration_minutes, 42, "the edit made during the bootstrap arrived");
    assert!(!laptop.has_unconfirmed());
    let after = app.sync_device(&laptop_token, &mut laptop).await;
    assert!(!after.snapshots && after.pull.is_empty(), "then plain change pulls, with nothing new");
}

#[tokio::test]
async fn a_sync_with_nothing_new_costs_well_under_2_kb() {
    let (app, token) = app_and_token().await;
    let mut device = DeviceSync::default();
    for n in 0..10 {
        let id = id(100 + n);
        device.add_record(id, &visit(id));
    }
    app.sync_device(&token, &mut device).await;

    let request = device.request();
    let reply = app.sync(&token, &request).await;

    let bytes = request.encode().len() + reply.encode().len();
    assert!(bytes < 2048, "{bytes} bytes");
    assert!(request.push.is_empty() && reply.pull.is_empty());
}

#[tokio::test]
async fn every_stored_change_records_its_author_and_device_session() {
    let (app, token) = app_and_token().await;
    let (mut device, _) = device_with_visit(30);

    app.sync_device(&token, &mut device).await;

    let (user_id, session_id): (i64, i64) =
        sqlx::query_as("SELECT user_id, session_id FROM changes").fetch_one(&app.db).await.expect("q");
    let expected: (i64, i64) = sqlx::query_as(
        "SELECT users.id, sessions.id FROM sessions JOIN users ON users.id = sessions.user_id WHERE username = 'kari'",
    )
    .fetch_one(&app.db)
    .await
    .expect("q");
    assert_eq!((user_id, session_id), expected);
}

#[tokio::test]
async fn the_event_stream_says_when_the_feed_moves() {
    let (app, token) = app_and_token().await;
    let response = app.http.get(app.url("/api/events")).bearer_auth(&token).send().await.expect("request");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/event-stream"));
    let mut stream = response.bytes_stream();
    let mut seen = String::new();
    let mut next_event = async || loop {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
            .await
            .expect("an event in time")
            .expect("stream open")
            .expect("bytes");
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(end) = seen.find("\n\n") {
            let event: String = seen.drain(..end + 2).collect();
            if event.contains("event: feed") {
                return event;
            }
        }
    };

    let first = next_event().await;
    let (mut device, _) = device_with_visit(40);
    app.sync_device(&token, &mut device).await;
    let second = next_event().await;

    assert!(first.contains("data: 0"), "{first}");
    assert!(second.contains("data: 1"), "{second}");
}

#[tokio::test]
async fn the_event_stream_needs_a_session() {
    let (app, _) = app_and_token().await;
    assert_eq!(app.get("/api/events", None).await.status(), 401);
}

#[tokio::test]
async fn a_stored_record_can_be_looked_up_by_id() {
    let (app, token) = app_and_token().await;
    let (mut device, id) = device_with_visit(50);
    app.sync_device(&token, &mut device).await;

    let found: innom_shared::api::DocumentInfo =
        app.get(&format!("/api/documents/{id}"), Some(&token)).await.json().await.expect("json");
    let missing = app.get(&format!("/api/documents/{}", DocId::new_random()), Some(&token)).await;
    let anonymous = app.get(&format!("/api/documents/{id}"), None).await;

    assert_eq!(found.kind, "visit");
    let heads = device.docs.get_mut(&id).expect("doc").doc.get_heads();
    assert_eq!(found.heads, heads.iter().map(ToString::to_string).collect::<Vec<_>>());
    assert_eq!(missing.status(), 404);
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_pull_answered_from_memory_equals_the_same_pull_read_from_the_log() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let app = innom_tests::spawn_app_with(|c| c.database.database = database.clone()).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let (pusher, puller) = (app.token("kari", PASSWORD).await, app.token("kari", PASSWORD).await);
    let (mut phone_a, first) = device_with_visit(1);
    app.sync_device(&pusher, &mut phone_a).await;
    let mut phone_b = DeviceSync::default();
    app.sync_device(&puller, &mut phone_b).await;
    assert!(phone_b.cursor > 0, "past the bootstrap");

    // After phone B's cursor: two new visits, and two edits of the first
    // in separate pushes (its heads move past its first pulled change).
    for n in [2, 3] {
        let id = id(n);
        phone_a.add_record(id, &visit(id));
    }
    edit(&mut phone_a, first, |v| v.status = Status::Yellow);
    app.sync_device(&pusher, &mut phone_a).await;
    edit(&mut phone_a, first, |v| v.status = Status::Red);
    app.sync_device(&pusher, &mut phone_a).await;

    let request = phone_b.request();
    let from_memory = app.sync(&puller, &request).await;
    assert_eq!(from_memory.pull.len(), 3);
    assert_eq!(from_memory.pull.iter().map(|doc| doc.changes.len()).sum::<usize>(), 4);
    drop(app);
    // A restarted server holds nothing in memory: the log answers.
    let app = innom_tests::spawn_app_with(|c| c.database.database = database.clone()).await;
    let from_log = app.sync(&puller, &request).await;
    assert_eq!(from_memory, from_log);
    // And the pull brings phone B level with phone A.
    phone_b.receive(&from_log).expect("applies");
    assert_eq!(read(&phone_b, first).status, Status::Red);
    assert_eq!(phone_b.state(first), Some(RecordSyncState::Confirmed));
}

/// The visit as the server stores it.
async fn stored_visit(app: &TestApp, id: DocId) -> Visit {
    let snapshot: Vec<u8> = sqlx::query_scalar("SELECT snapshot FROM documents WHERE id = ?")
        .bind(id.0.as_bytes().to_vec())
        .fetch_one(&app.db)
        .await
        .expect("stored");
    document::read(&automerge::Automerge::load(&snapshot).expect("loads")).expect("valid")
}

#[tokio::test]
async fn two_pushes_merged_side_by_side_onto_one_stored_visit_keep_both_edits() {
    // Each push is merged onto the document as stored when it arrives;
    // when two arrive together, the second to be stored was merged onto a
    // document the first has since changed, and must be merged again.
    // The first pair is merged onto the stored bytes, the second onto the
    // record the server keeps loaded once it has been edited.
    let (app, token) = app_and_token().await;
    let other = app.token("kari", PASSWORD).await;
    for round in 0..20 {
        let (mut phone_a, id) = device_with_visit(0x100 + round);
        app.sync_device(&token, &mut phone_a).await;
        let mut phone_b = DeviceSync::default();
        app.sync_device(&other, &mut phone_b).await;
        for (pair, status) in [(1, Status::Red), (2, Status::Yellow)] {
            edit(&mut phone_a, id, |v| v.status = status);
            edit(&mut phone_b, id, |v| {
                let id = format!("f{pair}");
                v.follow_ups.push(FollowUp { id, text: "Ring fadder".into(), due: None, done: false });
            });
            let (request_a, request_b) = (phone_a.request(), phone_b.request());
            let (a, b) = tokio::join!(app.sync(&token, &request_a), app.sync(&other, &request_b));
            for reply in [&a, &b] {
                let result = reply.results.iter().find(|r| wire::doc_id(&r.id) == id).expect("result");
                assert_eq!(result.rejection, None, "round {round}");
            }
            phone_a.receive(&a).expect("receive");
            phone_b.receive(&b).expect("receive");
            let stored = stored_visit(&app, id).await;
            assert_eq!((stored.status, stored.follow_ups.len()), (status, pair), "round {round}: an edit was lost");
        }
    }
}

#[tokio::test]
async fn the_media_type_is_application_cbor_in_any_case_with_parameters_and_nothing_else() {
    let (app, token) = app_and_token().await;
    let body = DeviceSync::default().request().encode();
    let digest = content_digest(&body);
    let send = |content_type: &'static str| {
        app.http
            .post(app.url("/api/sync"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .header("content-digest", digest.clone())
            .body(body.clone())
            .send()
    };
    for accepted in ["application/cbor", "Application/CBOR", "application/cbor; charset=binary"] {
        assert_eq!(send(accepted).await.expect("request").status(), 200, "{accepted}");
    }
    for refused in ["application/cbor-seq", "application/cbor+foo"] {
        assert_eq!(send(refused).await.expect("request").status(), 415, "{refused}");
    }
}
