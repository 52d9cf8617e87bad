//! The phone runs Automerge 2 (crate 0.6, for a smaller download) and the
//! server Automerge 3 (crate 0.12); see `shared/Cargo.toml`. These tests
//! drive the real server with a phone built on the phone's Automerge, and
//! check that documents and changes go both ways unchanged: same change
//! hashes, same heads, same values, text positions counted the same way.

use automerge_phone::transaction::Transactable as _;
use automerge_phone::{AutoCommit as PhoneDoc, Change as PhoneChange, ReadDoc as _};
use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{Status, Visit};
use innom_shared::sync::DeviceSync;
use innom_shared::sync::merge::appended_bytes;
use innom_shared::sync::wire::{PushedDoc, SyncRequest, SyncResponse, WIRE_VERSION};
use innom_shared::values::DocId;
use innom_tests::fixtures::visit;
use innom_tests::{PASSWORD, TestApp, id, spawn_app};
use minicbor::bytes::{ByteArray, ByteVec};

fn hex_heads(heads: impl IntoIterator<Item = [u8; 32]>) -> Vec<String> {
    let mut heads: Vec<String> = heads.into_iter().map(hex::encode).collect();
    heads.sort();
    heads
}

fn phone_heads(doc: &mut PhoneDoc) -> Vec<String> {
    hex_heads(doc.get_heads().into_iter().map(|h| h.0))
}

/// Pushes every change of `doc` the server may lack (all of them: the
/// server drops those it has) and returns the reply.
async fn push(app: &TestApp, token: &str, cursor: u64, id: DocId, doc: &mut PhoneDoc) -> SyncResponse {
    let changes = doc.get_changes(&[]).into_iter().map(|c| ByteVec::from(c.raw_bytes().to_vec())).collect();
    let request = SyncRequest {
        version: WIRE_VERSION,
        cursor,
        push: vec![PushedDoc { id: ByteArray::from(*id.0.as_bytes()), changes }],
        snapshots: false,
        log: None,
    };
    app.sync(token, &request).await
}

/// The summary text object of a visit on the phone.
fn phone_summary(doc: &PhoneDoc) -> (automerge_phone::ObjId, String) {
    let (_, summary) = doc.get(automerge_phone::ROOT, "summary").expect("read").expect("a summary");
    let text = doc.text(&summary).expect("text");
    (summary, text)
}

/// A string at the root of a document on the phone.
fn phone_string(doc: &PhoneDoc, key: &str) -> Option<String> {
    match doc.get(automerge_phone::ROOT, key).ok()??.0 {
        automerge_phone::Value::Scalar(value) => match value.as_ref() {
            automerge_phone::ScalarValue::Str(text) => Some(text.to_string()),
            _ => None,
        },
        automerge_phone::Value::Object(_) => None,
    }
}

#[tokio::test]
async fn a_visit_edited_with_the_phones_automerge_is_stored_and_read_back_by_the_server_and_a_new_phone() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let (phone_token, laptop_token) = (app.token("kari", PASSWORD).await, app.token("kari", PASSWORD).await);

    // The visit as the server's Automerge writes it, opened on the phone.
    let id = id(41);
    let mut written = document::create(&visit(id)).expect("create");
    let mut phone = PhoneDoc::load(&written.save()).expect("the phone loads a server-side document");
    assert_eq!(phone_heads(&mut phone), hex_heads(written.get_heads().into_iter().map(|h| h.0)));

    // The phone edits: a status and a text insert after a non-ASCII letter.
    let (summary, text) = phone_summary(&phone);
    assert_eq!(text, "Alt vel.");
    phone.put(automerge_phone::ROOT, "status", "red").expect("put");
    phone.splice_text(&summary, 0, 0, "Særlig: ").expect("splice");
    phone.splice_text(&summary, "Særlig: Alt".len(), 0, " er").expect("splice after ø");
    phone.commit();
    let reply = push(&app, &phone_token, 0, id, &mut phone).await;
    let result = &reply.results[0];
    assert_eq!(result.rejection, None, "the server accepts the phone's changes");
    assert_eq!(hex_heads(result.heads.iter().map(|h| **h)), phone_heads(&mut phone));

    // Another device, on the server's Automerge, gets exactly that.
    let mut laptop = DeviceSync::default();
    app.sync_device(&laptop_token, &mut laptop).await;
    let on_laptop: Visit = document::read(&laptop.docs[&id].doc).expect("valid");
    assert_eq!(on_laptop.status, Status::Red);
    assert_eq!(on_laptop.summary.as_str(), "Særlig: Alt er vel.");
    let laptop_heads = hex_heads(laptop.docs.get_mut(&id).expect("doc").doc.get_heads().into_iter().map(|h| h.0));
    assert_eq!(laptop_heads, phone_heads(&mut phone));

    // The laptop edits after the "ø" too; the phone pulls the change.
    {
        let doc = laptop.doc_mut(id).expect("doc");
        let mut record: Visit = document::read(doc).expect("valid");
        record.summary.splice("Særlig: Alt er vel".len(), 0, " på lageret");
        record.status = Status::Yellow;
        document::write(doc, &record).expect("reconcile");
    }
    app.sync_device(&laptop_token, &mut laptop).await;
    let pulled = push(&app, &phone_token, reply.cursor, id, &mut phone).await;
    let changes = pulled.pull.iter().find(|d| *d.id == *id.0.as_bytes()).expect("the laptop's edit is pulled");
    let parsed = changes.changes.iter().map(|c| PhoneChange::try_from(&c[..]).expect("the phone parses the change"));
    phone.apply_changes(parsed).expect("the phone applies the server's change");
    assert_eq!(phone_summary(&phone).1, "Særlig: Alt er vel på lageret.");
    assert_eq!(phone_string(&phone, "status").as_deref(), Some("yellow"));
    assert_eq!(phone_heads(&mut phone), hex_heads(changes.heads.iter().map(|h| **h)));

    // A new phone starts from the document as the server stores it: the
    // saved document with the laptop's change appended.
    let bootstrap = app
        .sync(
            &phone_token,
            &SyncRequest { version: WIRE_VERSION, cursor: 0, push: vec![], snapshots: false, log: None },
        )
        .await;
    let snapshot = bootstrap.pull.iter().find(|d| *d.id == *id.0.as_bytes()).and_then(|d| d.snapshot.clone());
    let snapshot = snapshot.expect("a snapshot for a new device");
    assert!(appended_bytes(&snapshot).is_some_and(|appended| appended > 0), "a change is appended");
    let mut fresh = PhoneDoc::load(&snapshot).expect("the phone loads the snapshot");
    assert_eq!(phone_heads(&mut fresh), phone_heads(&mut phone));
    assert_eq!(phone_summary(&fresh).1, "Særlig: Alt er vel på lageret.");
}
