//! The sync core over a deterministic in-memory network that drops,
//! duplicates, delays and reorders messages: replicas still converge.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use automerge::{AutoCommit, Automerge, ChangeHash};
use innom_shared::access::teams::Directory;
use innom_shared::access::{Actor, Scope};
use innom_shared::document;
use innom_shared::records::{FollowUp, RecordKind, Review, SCHEMA_VERSION, Status, Visit, VisitType};
use innom_shared::sync::server::{
    Author, Batch, Limits, LoggedChange, Pushed, Pusher, QueuedPush, Snapshot, StoredDoc, bootstrap_page, merge_batch,
    pull_page, reply,
};
use innom_shared::sync::wire::{self, SyncRequest, SyncResponse};
use innom_shared::sync::{DeviceSync, RecordSyncState};
use innom_shared::values::{DocId, Timestamp};
use proptest::prelude::*;

/// The server's sync rules (`innom_shared::sync::server`, the code the
/// real server runs) with an in-memory change log instead of SQLite.
#[derive(Default)]
struct MemoryServer {
    docs: BTreeMap<DocId, Automerge>,
    /// Position `i` holds the change with sequence number `i + 1`.
    log: Vec<LoggedChange>,
    /// Each document's latest sequence number, as in `documents.seq`.
    doc_seq: BTreeMap<DocId, i64>,
}

/// Small pages, so the tests page often.
const LIMITS: Limits = Limits { pull: 3, page_docs: 2, page_bytes: 1 << 20 };

impl MemoryServer {
    /// One round trip for the device session `session`.
    fn handle(&mut self, session: i64, request: &SyncRequest) -> SyncResponse {
        let author = Author { user_id: Some(1), session_id: Some(session), mentor_session_id: None };
        let ids: Vec<wire::WireId> = request.push.iter().map(|doc| doc.id).collect();
        let pushed: Pushed = request
            .push
            .iter()
            .map(|doc| (wire::doc_id(&doc.id), doc.changes.iter().map(|c| c.to_vec()).collect()))
            .collect();
        let stored = self.stored(pushed.iter().map(|(id, _)| *id));
        let batch = Batch::new(
            vec![QueuedPush::merged(pushed, Pusher::new(Actor::System, Scope::All), stored)],
            &HashSet::new(),
        );
        let current: HashMap<DocId, Vec<ChangeHash>> =
            batch.documents().into_iter().filter_map(|id| Some((id, self.docs.get(&id)?.get_heads()))).collect();
        let again = batch.to_merge_again(&current);
        let stored = self.stored(again.iter().flat_map(|(docs, _)| docs.iter().map(|(id, _)| *id)));
        let remerged = merge_batch(
            stored,
            &again.iter().map(|(docs, pusher)| (docs, pusher)).collect::<Vec<_>>(),
            &Directory::default(),
        );
        let mut settled = batch.settle(&current, remerged, &mut Directory::default()).expect("every merge made again");
        for (_, id, merged) in settled.to_store {
            for change in &merged.new_changes {
                let seq = self.log.len() as i64 + 1;
                self.log.push(LoggedChange {
                    seq,
                    doc_id: id,
                    bytes: change.raw_bytes().to_vec(),
                    session_id: Some(session),
                    mentor_session_id: None,
                    doc_heads: Vec::new(),
                });
                self.doc_seq.insert(id, seq);
            }
            self.docs.insert(id, merged.doc);
        }
        let outcomes = settled.outcomes.pop().unwrap_or_default();

        let cursor = i64::try_from(request.cursor).unwrap_or(i64::MAX);
        let end = self.log.len() as i64;
        if cursor == 0 || request.snapshots {
            // As the store reads a page: in log order until it is full.
            let mut order: Vec<(i64, DocId)> =
                self.doc_seq.iter().filter(|(_, seq)| **seq > cursor).map(|(id, seq)| (*seq, *id)).collect();
            order.sort();
            let mut snapshots = Vec::new();
            let mut bytes = 0;
            for (seq, id) in order {
                let doc = &self.docs[&id];
                let snapshot = doc.save();
                bytes += snapshot.len();
                snapshots.push(Snapshot { id, snapshot, heads: doc.get_heads(), seq });
                if LIMITS.page_full(snapshots.len(), bytes) {
                    break;
                }
            }
            return reply(&ids, outcomes, bootstrap_page(snapshots, end, LIMITS), true, Vec::new(), None);
        }
        let start = usize::try_from(cursor).unwrap_or(usize::MAX).min(self.log.len());
        let logged = self.log[start..]
            .iter()
            .take(LIMITS.pull)
            .map(|change| LoggedChange { doc_heads: self.docs[&change.doc_id].get_heads(), ..change.clone() })
            .collect();
        reply(&ids, outcomes, pull_page(logged, cursor, LIMITS, author), false, Vec::new(), None)
    }

    /// The stored versions of those of `ids` the server holds.
    fn stored(&self, ids: impl Iterator<Item = DocId>) -> Vec<StoredDoc> {
        let ids: BTreeSet<DocId> = ids.collect();
        ids.into_iter()
            .filter_map(|id| {
                let doc = self.docs.get(&id)?;
                Some(StoredDoc::saved(id, doc.save(), doc.get_heads()))
            })
            .collect()
    }
}

fn new_visit(id: DocId, author: &str) -> Visit {
    Visit {
        id,
        kind: RecordKind::Visit,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: author.into(),
        visit_type: VisitType::DropIn,
        workplace: DocId(uuid::Uuid::from_u128(7)),
        placements: vec![],
        advisor: author.into(),
        at: Timestamp(1_764_000_000_000),
        duration_minutes: 5,
        met: String::new(),
        summary: "".into(),
        concerns: vec![],
        follow_ups: vec![],
        job_signal: innom_shared::records::JobSignal::None,
        status: Status::Green,
        review: Review::unreviewed(),
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Status(Status),
    FollowUp(u8),
    Type(u8),
}

fn apply_edit(device: &mut DeviceSync, id: DocId, edit: &Edit, replica: usize) {
    let doc = device.doc_mut(id).expect("document exists");
    let mut visit: Visit = document::read(doc).expect("valid visit");
    match edit {
        Edit::Status(status) => visit.status = *status,
        Edit::FollowUp(n) => visit.follow_ups.push(FollowUp {
            id: format!("r{replica}-{n}-{}", visit.follow_ups.len()),
            text: format!("Oppfølging {n}"),
            due: None,
            done: false,
        }),
        Edit::Type(n) => {
            let at = visit.summary.as_str().chars().count().min(usize::from(*n));
            visit.summary.splice(at, 0, format!("[{replica}]"));
        }
    }
    document::write(doc, &visit).expect("reconcile");
}

/// What the network does with one request and its reply.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Deliver,
    DropRequest,
    DropResponse,
    Duplicate,
    /// The reply is held back and delivered at the end, out of order.
    Delay,
}

#[derive(Debug, Clone)]
enum Action {
    Create(usize),
    Edit(usize, usize, Edit),
    Sync(usize, Fate),
}

fn action(replicas: usize) -> impl Strategy<Value = Action> {
    let edit = prop_oneof![
        prop_oneof![Just(Status::Green), Just(Status::Yellow), Just(Status::Red)].prop_map(Edit::Status),
        any::<u8>().prop_map(Edit::FollowUp),
        any::<u8>().prop_map(Edit::Type),
    ];
    let fate = prop_oneof![
        4 => Just(Fate::Deliver),
        1 => Just(Fate::DropRequest),
        1 => Just(Fate::DropResponse),
        1 => Just(Fate::Duplicate),
        1 => Just(Fate::Delay),
    ];
    prop_oneof![
        1 => (0..replicas).prop_map(Action::Create),
        4 => (0..replicas, any::<usize>(), edit).prop_map(|(r, d, e)| Action::Edit(r, d, e)),
        3 => (0..replicas, fate).prop_map(|(r, f)| Action::Sync(r, f)),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Action>)> {
    (2usize..=5).prop_flat_map(|n| (Just(n), proptest::collection::vec(action(n), 1..40)))
}

/// Syncs until the server has nothing more (a bootstrap takes a page per
/// round trip).
fn sync_reliably(server: &mut MemoryServer, session: i64, device: &mut DeviceSync) {
    for _ in 0..1_000 {
        let request = device.request();
        let response = server.handle(session, &request);
        device.receive(&response).expect("valid reply");
        if !response.more {
            return;
        }
    }
    panic!("the server kept answering `more`");
}

fn run(replicas: usize, actions: &[Action]) -> Result<(), TestCaseError> {
    let mut server = MemoryServer::default();
    let mut devices: Vec<DeviceSync> = (0..replicas).map(|_| DeviceSync::default()).collect();
    let mut delayed: Vec<(usize, SyncResponse)> = Vec::new();
    let mut created = 0u128;

    for action in actions {
        match action {
            Action::Create(r) => {
                created += 1;
                let id = DocId(uuid::Uuid::from_u128(created * 1000 + *r as u128));
                let mut doc = document::create(&new_visit(id, &format!("user{r}"))).expect("create");
                doc.set_actor(automerge::ActorId::from(format!("device-{r}").as_bytes()));
                devices[*r].insert_local(id, doc);
            }
            Action::Edit(r, pick, edit) => {
                let ids: Vec<DocId> = devices[*r].docs.keys().copied().collect();
                if let Some(id) = ids.get(pick % ids.len().max(1)) {
                    apply_edit(&mut devices[*r], *id, edit, *r);
                }
            }
            Action::Sync(r, fate) => {
                let request = devices[*r].request();
                match fate {
                    Fate::DropRequest => devices[*r].no_reply(),
                    Fate::Deliver => {
                        let response = server.handle(*r as i64, &request);
                        devices[*r].receive(&response).expect("valid reply");
                    }
                    Fate::DropResponse => {
                        server.handle(*r as i64, &request);
                        devices[*r].no_reply();
                    }
                    Fate::Duplicate => {
                        let first = server.handle(*r as i64, &request);
                        let second = server.handle(*r as i64, &request);
                        devices[*r].receive(&first).expect("valid reply");
                        devices[*r].receive(&second).expect("valid reply");
                    }
                    Fate::Delay => delayed.push((*r, server.handle(*r as i64, &request))),
                }
            }
        }
    }
    // Late replies arrive, newest first: the worst order.
    while let Some((r, response)) = delayed.pop() {
        devices[r].receive(&response).expect("valid reply");
    }
    // The network heals: two reliable rounds reach everyone.
    for _ in 0..2 {
        for (r, device) in devices.iter_mut().enumerate() {
            sync_reliably(&mut server, r as i64, device);
        }
    }

    for device in &mut devices {
        prop_assert_eq!(device.docs.len(), server.docs.len());
        let ids: Vec<DocId> = device.docs.keys().copied().collect();
        for id in ids {
            prop_assert_eq!(device.state(id), Some(RecordSyncState::Confirmed));
            let local = &mut device.docs.get_mut(&id).expect("doc").doc;
            let mut local_heads = local.get_heads();
            local_heads.sort();
            let mut server_heads = server.docs[&id].get_heads();
            server_heads.sort();
            prop_assert_eq!(&local_heads, &server_heads);
            let mine: Visit = document::read(local).expect("valid");
            let theirs: Visit = document::read(&server.docs[&id]).expect("valid");
            prop_assert_eq!(mine, theirs);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn replicas_converge_over_a_lossy_network((replicas, actions) in scenario()) {
        run(replicas, &actions)?;
    }
}

#[test]
fn a_device_with_nothing_new_sends_a_tiny_request() {
    let mut server = MemoryServer::default();
    let mut device = DeviceSync::default();
    for n in 0..50u128 {
        let id = DocId(uuid::Uuid::from_u128(n + 1));
        device.insert_local(id, document::create(&new_visit(id, "kari")).expect("create"));
    }
    sync_reliably(&mut server, 1, &mut device);
    sync_reliably(&mut server, 1, &mut device);

    let request = device.request();

    assert!(request.push.is_empty());
    assert!(request.encode().len() < 20, "{} bytes", request.encode().len());
    assert!(!device.has_unconfirmed());
}

#[test]
fn concurrent_edits_to_one_visit_both_survive_in_either_order() {
    for phone_a_first in [true, false] {
        let mut server = MemoryServer::default();
        let id = DocId(uuid::Uuid::from_u128(1));
        let mut phone_a = DeviceSync::default();
        let doc: AutoCommit = document::create(&new_visit(id, "kari")).expect("create");
        phone_a.insert_local(id, doc);
        sync_reliably(&mut server, 1, &mut phone_a);
        let mut phone_b = DeviceSync::default();
        sync_reliably(&mut server, 2, &mut phone_b);

        // Offline, one changes the status and types; the other adds a follow-up and types.
        apply_edit(&mut phone_a, id, &Edit::Status(Status::Red), 0);
        apply_edit(&mut phone_a, id, &Edit::Type(0), 0);
        apply_edit(&mut phone_b, id, &Edit::FollowUp(1), 1);
        apply_edit(&mut phone_b, id, &Edit::Type(0), 1);
        assert_eq!(phone_a.state(id), Some(RecordSyncState::LocalOnly));

        let order: [(i64, &mut DeviceSync); 2] =
            if phone_a_first { [(1, &mut phone_a), (2, &mut phone_b)] } else { [(2, &mut phone_b), (1, &mut phone_a)] };
        let [(first_session, first), (second_session, second)] = order;
        sync_reliably(&mut server, first_session, first);
        sync_reliably(&mut server, second_session, second);
        sync_reliably(&mut server, first_session, first);

        for phone in [&mut phone_a, &mut phone_b] {
            let visit: Visit = document::read(&phone.docs[&id].doc).expect("valid");
            assert_eq!(visit.status, Status::Red);
            assert_eq!(visit.follow_ups.len(), 1);
            assert!(visit.summary.as_str().contains("[0]") && visit.summary.as_str().contains("[1]"));
            assert_eq!(phone.state(id), Some(RecordSyncState::Confirmed));
        }
    }
}

#[test]
fn a_rejected_record_stays_on_the_device_with_the_reason() {
    let mut server = MemoryServer::default();
    let id = DocId(uuid::Uuid::from_u128(9));
    let mut bad = new_visit(id, "kari");
    bad.duration_minutes = 0;
    let mut doc = AutoCommit::new();
    document::write(&mut doc, &bad).expect("reconcile");
    let mut device = DeviceSync::default();
    device.insert_local(id, doc);

    sync_reliably(&mut server, 1, &mut device);

    match device.state(id) {
        Some(RecordSyncState::Rejected(rejection)) => {
            assert_eq!(rejection.code, wire::RejectionCode::InvalidRecord);
            assert!(rejection.message.contains("duration_minutes"), "{}", rejection.message);
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert!(device.docs.contains_key(&id));
    assert!(server.docs.is_empty());
    // A rejected record is not pushed again until it is edited.
    assert!(device.request().push.is_empty());
}

#[test]
fn a_server_that_lost_a_document_is_sent_its_whole_history_after_missing_dependencies() {
    let mut server = MemoryServer::default();
    let id = DocId(uuid::Uuid::from_u128(10));
    let mut doc = AutoCommit::new();
    document::write(&mut doc, &new_visit(id, "kari")).expect("reconcile");
    let mut device = DeviceSync::default();
    device.insert_local(id, doc);
    sync_reliably(&mut server, 1, &mut device);
    assert_eq!(device.state(id), Some(RecordSyncState::Confirmed));

    // The server loses the document (say, a restore without the phone
    // noticing); the phone edits it and pushes only the new change.
    server.docs.remove(&id);
    let local = device.doc_mut(id).expect("the visit");
    let mut visit: Visit = document::read(local.document()).expect("a visit");
    visit.summary = "Endret etterpå.".into();
    document::write(local, &visit).expect("reconcile");
    let request = device.request();
    assert_eq!(request.push[0].changes.len(), 1, "only the edit");
    let refused = server.handle(1, &request);
    assert_eq!(refused.results[0].rejection.as_ref().map(|r| r.code), Some(wire::RejectionCode::MissingDependencies));
    device.receive(&refused).expect("valid reply");

    // Not kept as refused: the next request carries the whole history.
    let whole = device.request();
    assert_eq!(whole.push.len(), 1);
    assert!(whole.push[0].changes.len() > 1, "the whole history");
    let accepted = server.handle(1, &whole);
    device.receive(&accepted).expect("valid reply");
    assert_eq!(device.state(id), Some(RecordSyncState::Confirmed));
    assert_eq!(server.docs[&id].get_heads(), device.doc_mut(id).expect("visit").get_heads());
}

#[test]
fn a_document_kept_on_the_device_reads_back_with_its_sync_state() {
    let mut server = MemoryServer::default();
    let (confirmed, edited) = (DocId(uuid::Uuid::from_u128(1)), DocId(uuid::Uuid::from_u128(2)));
    let mut device = DeviceSync::default();
    for id in [confirmed, edited] {
        device.insert_local(id, document::create(&new_visit(id, "kari")).expect("create"));
    }
    sync_reliably(&mut server, 1, &mut device);
    apply_edit(&mut device, edited, &Edit::Status(Status::Red), 0);

    let mut reopened = DeviceSync { cursor: device.cursor, ..DeviceSync::default() };
    for (id, local) in &mut device.docs {
        let bytes = local.to_bytes();
        reopened.docs.insert(*id, innom_shared::sync::device::LocalDoc::from_bytes(&bytes).expect("reads back"));
    }

    assert_eq!(reopened.state(confirmed), Some(RecordSyncState::Confirmed));
    assert_eq!(reopened.state(edited), Some(RecordSyncState::LocalOnly));
    let visit: Visit = document::read(&reopened.docs[&edited].doc).expect("valid");
    assert_eq!(visit.status, Status::Red);
    assert!(innom_shared::sync::device::LocalDoc::from_bytes(b"garbage").is_err());
}

#[test]
fn a_request_that_got_no_reply_leaves_the_record_only_on_the_device() {
    let id = DocId(uuid::Uuid::from_u128(3));
    let mut device = DeviceSync::default();
    device.insert_local(id, document::create(&new_visit(id, "kari")).expect("create"));

    let _lost = device.request();
    assert_eq!(device.state(id), Some(RecordSyncState::Sent));
    device.no_reply();

    assert_eq!(device.state(id), Some(RecordSyncState::LocalOnly));
    assert_eq!(device.request().push.len(), 1, "sent again next time");
}

#[test]
fn a_record_with_more_changes_than_any_push_may_carry_is_marked_rejected_not_resent() {
    use automerge::transaction::Transactable as _;
    let id = DocId(uuid::Uuid::from_u128(11));
    let mut doc = document::create(&new_visit(id, "kari")).expect("create");
    for minutes in 0..wire::MAX_CHANGES_PER_PUSH {
        doc.put(automerge::ROOT, "duration_minutes", (minutes % 50 + 1) as i64).expect("put");
        doc.commit();
    }
    let mut device = DeviceSync::default();
    device.insert_local(id, doc);

    let request = device.request();

    assert!(request.push.is_empty() && !device.held_back);
    match device.state(id) {
        Some(RecordSyncState::Rejected(rejection)) => assert_eq!(rejection.code, wire::RejectionCode::TooLarge),
        other => panic!("expected a rejection, got {other:?}"),
    }
}
