//! The server's sync rules, sans IO: batches of pushes, pull pages,
//! bootstrap pages and where erasures go.

use std::collections::{HashMap, HashSet};

use automerge::{AutoCommit, ChangeHash};
use innom_shared::access::teams::Directory;
use innom_shared::access::{Actor, Scope};

/// The server itself pushing.
fn system() -> Pusher {
    Pusher::new(Actor::System, Scope::All)
}
use innom_shared::records::Status;
use innom_shared::sync::AnyRecord;
use innom_shared::sync::server::{
    Author, Batch, Limits, LoggedChange, Page, Pushed, Pusher, QueuedPush, Snapshot, StoredDoc, bootstrap_page,
    erasures_until, merge_batch, pull_page,
};
use innom_shared::sync::wire::{self, RejectionCode};
use innom_shared::values::DocId;
use innom_shared::{document, fixtures};

fn id(n: u128) -> DocId {
    DocId(uuid::Uuid::from_u128(n))
}

fn changes_of(doc: &mut AutoCommit, since: &[ChangeHash]) -> Vec<Vec<u8>> {
    doc.get_changes(since).iter().map(|c| c.raw_bytes().to_vec()).collect()
}

fn new_visit(n: u128) -> (AutoCommit, Vec<Vec<u8>>) {
    let mut doc = document::create(&fixtures::visit(id(n))).expect("create");
    let changes = changes_of(&mut doc, &[]);
    (doc, changes)
}

fn stored(doc: &mut AutoCommit, n: u128) -> StoredDoc {
    StoredDoc::saved(id(n), doc.save(), doc.get_heads())
}

fn summary(record: Option<&AnyRecord>) -> Option<String> {
    match record {
        Some(AnyRecord::Visit(visit)) => Some(visit.summary.as_str().to_owned()),
        _ => None,
    }
}

/// An edit of visit `n` in `doc`, and its changes.
fn edit(doc: &mut AutoCommit, n: u128, change: impl FnOnce(&mut innom_shared::records::Visit)) -> Vec<Vec<u8>> {
    let heads = doc.get_heads();
    let mut visit: innom_shared::records::Visit = document::read(doc).expect("valid");
    change(&mut visit);
    assert_eq!(visit.id, id(n));
    document::write(doc, &visit).expect("write");
    changes_of(doc, &heads)
}

#[test]
fn a_batch_merges_in_push_order_onto_stored_and_earlier_pushes() {
    // Document 1 is pushed twice, the second push building on the first.
    let (mut twice, first_push) = new_visit(1);
    let second_push = edit(&mut twice, 1, |v| v.summary = "Endret i neste push.".into());
    // Document 6 is stored already; its edit is pushed.
    let (mut earlier, _) = new_visit(6);
    let stored_six = vec![stored(&mut earlier, 6)];
    let edit_of_stored = edit(&mut earlier, 6, |v| v.status = Status::Red);
    let first: Pushed = vec![(id(1), first_push), (id(2), new_visit(2).1), (id(3), vec![vec![0x85, 0x6f, 0x4a]])];
    let second: Pushed = vec![(id(1), second_push.clone()), (id(6), edit_of_stored)];

    let merges = merge_batch(stored_six, &[(&first, &system()), (&second, &system())], &Directory::default());

    assert_eq!(merges.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 2]);
    assert!(merges[0][0].is_ok() && merges[0][1].is_ok());
    assert_eq!(merges[0][2].as_ref().err().map(|r| r.code), Some(RejectionCode::CorruptChange));
    let (twice_merged, stored_merged) = (merges[1][0].as_ref().expect("ok"), merges[1][1].as_ref().expect("ok"));
    assert_eq!(summary(twice_merged.before.as_ref()), Some("Alt vel.".into()));
    assert_eq!(summary(Some(&twice_merged.record)), Some("Endret i neste push.".into()));
    assert_eq!(twice_merged.heads(), twice.get_heads());
    assert!(stored_merged.before.is_some(), "merged onto the stored document");
    assert_eq!(stored_merged.heads(), earlier.get_heads());
    // Alone, the second push of document 1 misses the first.
    let alone = merge_batch(Vec::new(), &[(&vec![(id(1), second_push)], &system())], &Directory::default());
    assert_eq!(alone[0][0].as_ref().err().map(|r| r.code), Some(RejectionCode::MissingDependencies));
}

#[test]
fn a_merge_made_before_another_push_was_stored_is_made_again_and_keeps_both_edits() {
    let (mut original, _) = new_visit(1);
    let before = stored(&mut original, 1);
    let mut other_phone = original.fork();
    let mine = edit(&mut original, 1, |v| v.status = Status::Red);
    let theirs = edit(&mut other_phone, 1, |v| v.summary = "Fra den andre telefonen.".into());
    // Mine was merged on arrival onto the document as it was then…
    let push =
        QueuedPush::merged(vec![(id(1), mine.clone())], Pusher::new(Actor::System, Scope::All), vec![before.clone()]);
    // …but theirs was stored in the meantime.
    let mut now = original.fork_at(&before.heads).expect("fork");
    now.apply_changes(theirs.iter().map(|c| automerge::Change::from_bytes(c.clone()).expect("change"))).expect("apply");
    let current = HashMap::from([(id(1), now.get_heads())]);
    let batch = Batch::new(vec![push], &HashSet::new());
    assert_eq!(batch.documents(), vec![id(1)]);

    let again = batch.to_merge_again(&current);
    assert_eq!(again[0].0.len(), 1, "the stale merge is made again");
    let remerged = merge_batch(vec![stored(&mut now, 1)], &[(&again[0].0, &again[0].1)], &Directory::default());
    let settled = batch.settle(&current, remerged, &mut Directory::default()).expect("settled");

    let (push_index, stored_id, merged) = &settled.to_store[0];
    assert_eq!((*push_index, *stored_id), (0, id(1)));
    match &merged.record {
        AnyRecord::Visit(visit) => {
            assert_eq!(visit.status, Status::Red);
            assert_eq!(visit.summary.as_str(), "Fra den andre telefonen.");
        }
        other => panic!("a visit, not {other:?}"),
    }
    assert!(settled.outcomes[0][0].is_ok());
}

#[test]
fn a_settled_batch_without_the_merges_it_asked_for_is_an_error_not_a_loss() {
    let (mut doc, changes) = new_visit(1);
    let push = QueuedPush::merged(vec![(id(1), changes)], Pusher::new(Actor::System, Scope::All), Vec::new());
    // Something else stored document 1 since: the merge is stale.
    let current = HashMap::from([(id(1), stored(&mut doc, 1).heads)]);
    let batch = Batch::new(vec![push], &HashSet::new());
    assert!(batch.settle(&current, Vec::new(), &mut Directory::default()).is_err());
}

#[test]
fn an_erased_record_is_refused_whatever_was_pushed() {
    let (_, changes) = new_visit(1);
    let push = QueuedPush::merged(vec![(id(1), changes)], Pusher::new(Actor::System, Scope::All), Vec::new());
    let batch = Batch::new(vec![push], &HashSet::from([id(1)]));
    assert!(batch.documents().is_empty(), "no heads needed for an erased record");

    let settled = batch.settle(&HashMap::new(), Vec::new(), &mut Directory::default()).expect("settled");

    assert_eq!(settled.outcomes[0][0].as_ref().err().map(|r| r.code), Some(RejectionCode::Erased));
    assert!(settled.to_store.is_empty());
}

fn logged(seq: i64, doc: u128, session: i64) -> LoggedChange {
    LoggedChange {
        seq,
        doc_id: id(doc),
        bytes: vec![seq as u8],
        session_id: Some(session),
        mentor_session_id: None,
        doc_heads: vec![ChangeHash([doc as u8; 32])],
    }
}

#[test]
fn a_pull_groups_changes_by_document_leaves_out_the_sessions_own_and_says_when_more_waits() {
    let limits = Limits { pull: 3, ..Limits::SERVER };
    let me = Author { user_id: Some(1), session_id: Some(7), mentor_session_id: None };

    let page = pull_page(vec![logged(11, 1, 2), logged(12, 2, 7), logged(13, 1, 3)], 10, limits, me);

    assert!(page.more, "a full page: more may wait");
    assert_eq!(page.cursor, 13, "past my own change too");
    assert_eq!(page.pull.len(), 1, "only document 1; document 2's change is mine");
    assert_eq!(wire::doc_id(&page.pull[0].id), id(1));
    assert_eq!(page.pull[0].changes.len(), 2);
    let last = pull_page(vec![logged(14, 1, 2)], 13, limits, me);
    assert!(!last.more);
    assert_eq!(erasures_until(&last), i64::MAX, "the last page lists every erasure so far");
    assert_eq!(erasures_until(&page), 13, "a page with more lists erasures up to its end");
    let nothing = pull_page(Vec::new(), 20, limits, me);
    assert_eq!((nothing.cursor, nothing.more), (20, false));
}

fn snapshot(seq: i64, bytes: usize) -> Snapshot {
    Snapshot { id: id(seq as u128), snapshot: vec![0; bytes], heads: Vec::new(), seq }
}

#[test]
fn a_bootstrap_page_cursor_is_its_last_document_until_the_last_page_which_ends_at_the_log_end() {
    let limits = Limits { page_docs: 2, page_bytes: 100, ..Limits::SERVER };

    let full: Page = bootstrap_page(vec![snapshot(3, 10), snapshot(5, 10)], 9, limits);
    assert!(full.more);
    assert_eq!(full.cursor, 5);
    assert!(full.pull.iter().all(|doc| doc.snapshot.is_some()));

    let by_bytes = bootstrap_page(vec![snapshot(6, 150)], 9, limits);
    assert_eq!((by_bytes.cursor, by_bytes.more), (6, true), "a page full by bytes holds one large document");

    let last = bootstrap_page(vec![snapshot(7, 10)], 9, limits);
    assert_eq!((last.cursor, last.more), (9, false));

    let full_to_the_end = bootstrap_page(vec![snapshot(8, 10), snapshot(9, 10)], 9, limits);
    assert_eq!((full_to_the_end.cursor, full_to_the_end.more), (9, false), "nothing after the log's end");
}

#[test]
fn a_cursor_counts_in_the_servers_log_unless_it_names_another_or_is_past_its_end() {
    use innom_shared::sync::server::cursor_counts_in;
    let (log, other): (wire::LogId, wire::LogId) = ([1; 8].into(), [2; 8].into());
    assert!(cursor_counts_in(log, 10, Some(log), 10), "at the end");
    assert!(cursor_counts_in(log, 10, Some(log), 0), "a new device");
    assert!(cursor_counts_in(log, 10, None, 7), "a device that has not been told the log yet");
    assert!(!cursor_counts_in(log, 10, Some(other), 3), "a restored database's new log");
    assert!(!cursor_counts_in(log, 10, None, 11), "ahead of the end: synced before a restore");
    assert!(!cursor_counts_in(log, 10, Some(log), u64::MAX));
}
