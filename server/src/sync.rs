//! Sync on the server: merges pushed documents strictly, stores them, and
//! answers with everything after the device's cursor.
//!
//! All pushes go through one writer task. It takes every push waiting at
//! that moment, merges them (each document's pushes one after another, on
//! one thread, so a document is never merged twice at once) and stores
//! them in one SQLite transaction: one fsync for many phones (group
//! commit), one writer (no `SQLITE_BUSY` reaches a device), and log
//! sequence numbers assigned in commit order.

mod recent;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use automerge::{Automerge, ChangeHash};
use innom_shared::access::Actor;
use innom_shared::api::Role;
use innom_shared::sync::wire::{self, PulledDoc, PushResult, Rejection, RejectionCode, SyncRequest, SyncResponse};
use innom_shared::sync::{Merged, merge};
use innom_shared::values::DocId;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use tokio::sync::{mpsc, oneshot, watch};

use crate::auth::Caller;
use crate::store::Db;
use crate::store::documents::{self, Author, Scope};
use crate::store::erasures;
use recent::RecentChanges;

/// Most change-log entries sent in one reply; the device syncs again for more.
pub const PULL_LIMIT: i64 = 5_000;
/// Most snapshots in one bootstrap page, and about how many bytes of them.
pub const SNAPSHOT_PAGE: i64 = 1_000;
const SNAPSHOT_PAGE_BYTES: usize = 2 << 20;
/// Most pushes stored in one transaction.
const BATCH: usize = 64;

/// What became of one pushed document: its heads on the server, or why not.
pub type Outcome = Result<Vec<ChangeHash>, Rejection>;

/// The documents of one push: each id with its change chunks.
pub type Pushed = Vec<(DocId, Vec<Vec<u8>>)>;

/// One push waiting for the writer.
struct PushJob {
    pushed: Pushed,
    author: Author,
    /// Decides which of the pushed changes the author may make.
    actor: Actor,
    reply: oneshot::Sender<Result<Vec<Outcome>, String>>,
}

/// What sync needs besides the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct SyncHub {
    writer: mpsc::Sender<Job>,
    feed: watch::Sender<i64>,
    /// The newest changes, appended by the writer as it commits them.
    recent: Arc<Mutex<RecentChanges>>,
    /// Set when the server shuts down, so open event streams end.
    closing: watch::Sender<bool>,
}

/// An erasure, run by the writer so no push can slip in between.
struct EraseJob {
    participant: DocId,
    by: i64,
    reply: oneshot::Sender<Result<Option<Vec<DocId>>, String>>,
}

/// What the writer task does, one at a time.
enum Job {
    Push(PushJob),
    Erase(EraseJob),
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Push(job) => job.fmt(f),
            Self::Erase(job) => f.debug_struct("EraseJob").field("participant", &job.participant).finish(),
        }
    }
}

impl std::fmt::Debug for PushJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushJob").field("documents", &self.pushed.len()).finish()
    }
}

impl SyncHub {
    /// Starts the writer task on `db`; the feed starts at the log's end.
    pub async fn start(db: Db) -> anyhow::Result<Self> {
        let end = documents::last_seq(&db).await?;
        let feed = watch::Sender::new(end);
        let recent = Arc::new(Mutex::new(RecentChanges::new(end, erasures::last_position(&db).await?)));
        // The writer's own connection, with the pool's settings: it never
        // waits behind the readers for one of the pool's.
        let conn = db.connect_options().connect().await?;
        let erased = erasures::all(&db).await?;
        let (writer, jobs) = mpsc::channel(1_024);
        tokio::spawn(write_loop(conn, erased, jobs, feed.clone(), recent.clone()));
        Ok(Self { writer, feed, recent, closing: watch::Sender::new(false) })
    }

    /// Follows the feed position: changes whenever new changes are stored.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.feed.subscribe()
    }

    /// The newest changes held in memory. A panic elsewhere cannot leave
    /// them half-changed (each change is one push or one pop), so a
    /// poisoned lock is still read.
    fn recent(&self) -> std::sync::MutexGuard<'_, RecentChanges> {
        self.recent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends every event stream (at shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Completes when the server starts shutting down.
    pub async fn closed(&self) {
        let mut closing = self.closing.subscribe();
        let _ = closing.wait_for(|closed| *closed).await;
    }
}

/// Merges and stores pushed documents; one outcome per document, in order.
/// A document that fails is reported and never blocks the others.
pub async fn push(hub: &SyncHub, pushed: Pushed, author: Author, actor: Actor) -> anyhow::Result<Vec<Outcome>> {
    if pushed.is_empty() {
        return Ok(Vec::new());
    }
    let (reply, answer) = oneshot::channel();
    hub.writer
        .send(Job::Push(PushJob { pushed, author, actor, reply }))
        .await
        .map_err(|_| anyhow::anyhow!("the writer has stopped"))?;
    answer.await?.map_err(|e| anyhow::anyhow!(e))
}

/// Erases a participant and every record about them (see
/// `store::erasures`), then cleans the database file. Returns the erased
/// record ids, or `None` if there is no such participant.
pub async fn erase_participant(hub: &SyncHub, participant: DocId, by: i64) -> anyhow::Result<Option<Vec<DocId>>> {
    let (reply, answer) = oneshot::channel();
    hub.writer
        .send(Job::Erase(EraseJob { participant, by, reply }))
        .await
        .map_err(|_| anyhow::anyhow!("the writer has stopped"))?;
    answer.await?.map_err(|e| anyhow::anyhow!(e))
}

/// The writer task. `erased` holds the tombstones, kept in memory: every
/// erasure goes through this task.
async fn write_loop(
    mut conn: SqliteConnection,
    mut erased: HashSet<DocId>,
    mut jobs: mpsc::Receiver<Job>,
    feed: watch::Sender<i64>,
    recent: Arc<Mutex<RecentChanges>>,
) {
    let recent = || recent.lock().unwrap_or_else(PoisonError::into_inner);
    let mut next = None;
    loop {
        let job = match next.take() {
            Some(job) => job,
            None => match jobs.recv().await {
                Some(job) => job,
                None => return,
            },
        };
        let first = match job {
            Job::Erase(job) => {
                recent().pause();
                let outcome = erase(&mut conn, &mut erased, &job).await;
                let position = match &outcome {
                    Ok(Some((_, seq))) => Some(*seq),
                    _ => None,
                };
                recent().resume(position);
                if let Some(seq) = position {
                    feed.send_replace(seq);
                }
                let _ = job.reply.send(outcome.map(|o| o.map(|(ids, _)| ids)).map_err(|e| format!("{e:#}")));
                continue;
            }
            Job::Push(job) => job,
        };
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match jobs.try_recv() {
                Ok(Job::Push(job)) => batch.push(job),
                Ok(erase) => {
                    next = Some(erase);
                    break;
                }
                Err(_) => break,
            }
        }
        match write_batch(&mut conn, &erased, &mut batch).await {
            Ok((outcomes, stored)) => {
                if let Some(seq) = stored.last().map(|change| change.seq) {
                    recent().append(stored);
                    // Wake the open event streams: the feed has moved.
                    feed.send_replace(seq);
                }
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    let _ = job.reply.send(Ok(outcome));
                }
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "storing pushes failed");
                for job in batch {
                    let _ = job.reply.send(Err(format!("{e:#}")));
                }
            }
        }
    }
}

/// One erasure: the records, the tombstones, then a clean file.
async fn erase(
    conn: &mut SqliteConnection,
    erased: &mut HashSet<DocId>,
    job: &EraseJob,
) -> anyhow::Result<Option<(Vec<DocId>, i64)>> {
    let Some(records) = erasures::records_about(&mut *conn, job.participant).await? else { return Ok(None) };
    let ids: Vec<DocId> = records.iter().map(|(id, _)| *id).collect();
    let seq = erasures::erase(conn, &ids, job.by).await?;
    erased.extend(ids.iter().copied());
    erasures::clean_file(conn).await?;
    tracing::info!(participant = %job.participant, records = ids.len(), "participant erased");
    Ok(Some((ids, seq)))
}

/// Merges every job's documents in order and stores the accepted ones in
/// one transaction. Returns each job's outcomes and the new changes.
async fn write_batch(
    conn: &mut SqliteConnection,
    erased: &HashSet<DocId>,
    batch: &mut [PushJob],
) -> anyhow::Result<(Vec<Vec<Outcome>>, Vec<documents::LoggedChange>)> {
    // The stored documents this batch touches, read in one query.
    let mut touched: Vec<DocId> =
        batch.iter().flat_map(|job| job.pushed.iter().map(|(id, _)| *id)).filter(|id| !erased.contains(id)).collect();
    touched.sort();
    touched.dedup();
    let stored = documents::snapshots_of(&mut *conn, &touched).await?;
    let jobs: Vec<MergeJob> = batch
        .iter_mut()
        .map(|job| (std::mem::take(&mut job.pushed), job.author, std::mem::replace(&mut job.actor, Actor::System)))
        .collect();
    // Merging is CPU work proportional to the documents; do the whole
    // batch in one go off the async threads.
    // Only the tombstones this batch touches go to the merge thread.
    let erased: HashSet<DocId> = jobs
        .iter()
        .flat_map(|(pushed, _, _)| pushed.iter().map(|(id, _)| *id))
        .filter(|id| erased.contains(id))
        .collect();
    let (outcomes, to_store) = tokio::task::spawn_blocking(move || merge_in_two(stored, &erased, jobs)).await?;
    let mut stored = Vec::new();
    if !to_store.is_empty() {
        let mut tx = conn.begin().await?;
        stored = documents::store_merges(&mut tx, &to_store).await?;
        tx.commit().await?;
    }
    Ok((outcomes, stored))
}

/// A merge to store, with its author.
type ToStore = (DocId, Merged, Author);
/// Stored snapshots, by document.
type Snapshots = Vec<(DocId, Vec<u8>)>;
/// One push as the merge sees it: its documents, who sent it, and what they may change.
type MergeJob = (Pushed, Author, Actor);

/// Fewest documents in a batch worth a second merge thread.
const SPLIT_FROM: usize = 16;

/// [`merge_batch`] on two threads when the batch is big enough: the
/// documents are split in two halves by id, so every push of one document
/// stays on one thread, in order, and documents never depend on each
/// other. Merging is the biggest piece of CPU work in the writer, which is
/// the serial part of sync; while it merges alone, the other core is often
/// idle. Each job's outcomes come back in the order its documents were
/// pushed.
fn merge_in_two(stored: Snapshots, erased: &HashSet<DocId>, jobs: Vec<MergeJob>) -> (Vec<Vec<Outcome>>, Vec<ToStore>) {
    let documents: usize = jobs.iter().map(|(pushed, _, _)| pushed.len()).sum();
    if documents < SPLIT_FROM {
        return merge_batch(stored, erased, jobs);
    }
    let second_half = |id: &DocId| id.0.as_bytes()[15] & 1 == 1;
    // For each job, which half each of its documents went to.
    let mut halves_of_jobs = Vec::with_capacity(jobs.len());
    let (mut first_jobs, mut second_jobs) = (Vec::with_capacity(jobs.len()), Vec::with_capacity(jobs.len()));
    for (pushed, author, actor) in jobs {
        halves_of_jobs.push(pushed.iter().map(|(id, _)| second_half(id)).collect::<Vec<_>>());
        let (second, first): (Pushed, Pushed) = pushed.into_iter().partition(|(id, _)| second_half(id));
        first_jobs.push((first, author, actor.clone()));
        second_jobs.push((second, author, actor));
    }
    let (second_stored, first_stored): (Vec<_>, Vec<_>) = stored.into_iter().partition(|(id, _)| second_half(id));
    let ((first_outcomes, mut to_store), (second_outcomes, second_to_store)) = std::thread::scope(|scope| {
        let second = scope.spawn(|| merge_batch(second_stored, erased, second_jobs));
        let first = merge_batch(first_stored, erased, first_jobs);
        (first, second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    to_store.extend(second_to_store);
    let outcomes = halves_of_jobs
        .into_iter()
        .zip(first_outcomes.into_iter().zip(second_outcomes))
        .map(|(halves, (first, second))| {
            let (mut first, mut second) = (first.into_iter(), second.into_iter());
            halves.into_iter().filter_map(|in_second| if in_second { second.next() } else { first.next() }).collect()
        })
        .collect();
    (outcomes, to_store)
}

/// Merges each job's documents in order onto the `stored` snapshots; a
/// document pushed twice in one batch is merged onto the result of the
/// first push.
fn merge_batch(stored: Snapshots, erased: &HashSet<DocId>, jobs: Vec<MergeJob>) -> (Vec<Vec<Outcome>>, Vec<ToStore>) {
    // A stored snapshot that does not load blocks only its own document.
    let mut docs: HashMap<DocId, Result<Automerge, String>> =
        stored.into_iter().map(|(id, bytes)| (id, Automerge::load(&bytes).map_err(|e| e.to_string()))).collect();
    let mut to_store = Vec::new();
    let mut outcomes = Vec::with_capacity(jobs.len());
    for (pushed, author, actor) in jobs {
        let mut job_outcomes = Vec::with_capacity(pushed.len());
        for (id, changes) in pushed {
            if erased.contains(&id) {
                job_outcomes
                    .push(Err(Rejection::new(RejectionCode::Erased, "this record was erased and cannot return")));
                continue;
            }
            let stored = match docs.get(&id) {
                Some(Ok(doc)) => Some(doc),
                Some(Err(e)) => {
                    tracing::error!(doc = %id, error = %e, "a stored document does not load");
                    let message = "the stored document is unreadable; the office must look at it";
                    job_outcomes.push(Err(Rejection::new(RejectionCode::InvalidRecord, message)));
                    continue;
                }
                None => None,
            };
            let merged = merge(id, stored, &changes)
                .and_then(|merged| actor.may_change(merged.before.as_ref(), &merged.record).map(|()| merged));
            match merged {
                Ok(merged) => {
                    job_outcomes.push(Ok(merged.heads()));
                    if !merged.new_changes.is_empty() {
                        docs.insert(id, Ok(merged.doc.clone()));
                        to_store.push((id, merged, author));
                    }
                }
                Err(rejection) => {
                    tracing::info!(doc = %id, %rejection, "push rejected");
                    job_outcomes.push(Err(rejection));
                }
            }
        }
        outcomes.push(job_outcomes);
    }
    (outcomes, to_store)
}

/// One sync round trip for `caller`.
pub async fn sync(db: &Db, hub: &SyncHub, caller: &Caller, request: SyncRequest) -> anyhow::Result<SyncResponse> {
    let (author, actor, scope) = access_of(caller);
    let pushed: Pushed = request
        .push
        .iter()
        .map(|doc| (wire::doc_id(&doc.id), doc.changes.iter().map(|c| c.to_vec()).collect()))
        .collect();
    let outcomes = push(hub, pushed, author, actor).await?;
    let results = request
        .push
        .iter()
        .zip(outcomes)
        .map(|(doc, outcome)| match outcome {
            Ok(heads) => PushResult { id: doc.id, heads: wire::wire_heads(&heads), rejection: None },
            Err(rejection) => PushResult { id: doc.id, heads: vec![], rejection: Some(rejection) },
        })
        .collect();

    let cursor = i64::try_from(request.cursor).unwrap_or(i64::MAX);
    if cursor == 0 || request.snapshots {
        // Erased records are no longer among the snapshots.
        let (pull, cursor, more) = bootstrap(db, &scope, cursor).await?;
        return Ok(response(results, pull, cursor, more, true, vec![]));
    }
    let (pull, next, more) = pull(db, hub, &scope, cursor, author).await?;
    // Erasures between the device's cursor and the end of this reply; with
    // no more changes waiting, every erasure so far.
    let until = if more { next } else { i64::MAX };
    let (erased, last_erasure) = if hub.recent().erased_since(cursor) {
        erasures::erased_after(db, cursor, until).await?
    } else {
        (Vec::new(), None)
    };
    let next = last_erasure.map_or(next, |seq| seq.max(next));
    let erased = erased.into_iter().map(wire::wire_id).collect();
    Ok(response(results, pull, next, more, false, erased))
}

/// Who the caller's changes are stored as, the rules their pushes are
/// checked against, and what they may pull.
fn access_of(caller: &Caller) -> (Author, Actor, Scope) {
    match caller {
        Caller::User(user) => {
            let author =
                Author { user_id: Some(user.user_id), session_id: Some(user.session_id), mentor_session_id: None };
            let username = user.username.clone();
            let actor = match user.role {
                Role::Staff => Actor::Staff { username },
                Role::Advisor => Actor::Advisor { username },
            };
            (author, actor, Scope::All)
        }
        Caller::Mentor(mentor) => {
            let author = Author { mentor_session_id: Some(mentor.session_id), ..Author::SYSTEM };
            let identity = mentor.identity();
            let scope = Scope::MentorFeedback { placement: mentor.placement, created_by: identity.clone() };
            (author, Actor::Mentor { placement: mentor.placement, identity }, scope)
        }
    }
}

fn response(
    results: Vec<PushResult>,
    pull: Vec<PulledDoc>,
    cursor: i64,
    more: bool,
    snapshots: bool,
    erased: Vec<wire::WireId>,
) -> SyncResponse {
    let cursor = u64::try_from(cursor).unwrap_or(0);
    SyncResponse { version: wire::WIRE_VERSION, results, pull, cursor, more, snapshots, erased, retire_before: None }
}

/// One page of a new device's bootstrap: documents as compacted snapshots,
/// in the order of their latest change. Until the last page, the cursor is
/// the last sent document's position and only more snapshots may follow
/// it; the last page's cursor is the log's end, where change pulls begin.
/// A document that changes meanwhile moves past the cursor and is sent
/// again on a later page.
async fn bootstrap(db: &Db, scope: &Scope, after: i64) -> anyhow::Result<(Vec<PulledDoc>, i64, bool)> {
    let (snapshots, end) = documents::snapshots_after(db, scope, after, SNAPSHOT_PAGE, SNAPSHOT_PAGE_BYTES).await?;
    let more = snapshots.last().is_some_and(|last| last.seq < end)
        && (snapshots.len() as i64 == SNAPSHOT_PAGE
            || snapshots.iter().map(|s| s.snapshot.len()).sum::<usize>() >= SNAPSHOT_PAGE_BYTES);
    let cursor = match snapshots.last() {
        Some(last) if more => last.seq,
        _ => end,
    };
    let pull = snapshots
        .into_iter()
        .map(|s| PulledDoc {
            id: wire::wire_id(s.id),
            snapshot: Some(s.snapshot.into()),
            changes: vec![],
            heads: wire::wire_heads(&s.heads),
        })
        .collect();
    Ok((pull, cursor, more))
}

/// The changes in scope after `cursor`, except the ones this session pushed
/// itself: from memory when the cursor is recent, else from the log.
async fn pull(
    db: &Db,
    hub: &SyncHub,
    scope: &Scope,
    cursor: i64,
    author: Author,
) -> anyhow::Result<(Vec<PulledDoc>, i64, bool)> {
    // Mentors pull only their own feedback; the log's query filters it.
    let held = match scope {
        Scope::All => hub.recent().after(cursor, PULL_LIMIT as usize),
        Scope::MentorFeedback { .. } => None,
    };
    let logged = match held {
        Some(logged) => logged,
        None => documents::changes_after(db, scope, cursor, PULL_LIMIT).await?,
    };
    let more = logged.len() as i64 == PULL_LIMIT;
    let next_cursor = logged.last().map_or(cursor, |c| c.seq);
    let mut by_doc: BTreeMap<DocId, PulledDoc> = BTreeMap::new();
    for change in logged {
        if author.pushed(&change) {
            continue;
        }
        let entry = by_doc.entry(change.doc_id).or_insert_with(|| PulledDoc {
            id: wire::wire_id(change.doc_id),
            snapshot: None,
            changes: Vec::new(),
            heads: wire::wire_heads(&change.doc_heads),
        });
        entry.changes.push(change.bytes.into());
    }
    let pull = by_doc.into_values().collect();
    Ok((pull, next_cursor, more))
}

#[cfg(test)]
mod tests {
    use automerge::AutoCommit;
    use innom_shared::sync::AnyRecord;
    use innom_shared::{document, fixtures};

    use super::*;

    fn id(n: u128) -> DocId {
        DocId(uuid::Uuid::from_u128(n))
    }

    fn new_visit(n: u128) -> (AutoCommit, Vec<Vec<u8>>) {
        let mut doc = document::create(&fixtures::visit(id(n))).expect("create");
        let changes = doc.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()).collect();
        (doc, changes)
    }

    /// Two jobs over documents in both halves: one document pushed by
    /// both (the second push builds on the first), one rejected, one
    /// stored before.
    fn batch() -> (Snapshots, Vec<MergeJob>) {
        let (mut twice, first_push) = new_visit(1);
        let heads = twice.get_heads();
        let mut edited = fixtures::visit(id(1));
        edited.summary = "Endret i neste push.".into();
        document::write(&mut twice, &edited).expect("write");
        let second_push = twice.get_changes(&heads).iter().map(|c| c.raw_bytes().to_vec()).collect();
        let (mut earlier, _) = new_visit(6);
        let stored = vec![(id(6), earlier.save())];
        let heads = earlier.get_heads();
        let mut edited = fixtures::visit(id(6));
        edited.status = innom_shared::records::Status::Red;
        document::write(&mut earlier, &edited).expect("write");
        let edit_of_stored = earlier.get_changes(&heads).iter().map(|c| c.raw_bytes().to_vec()).collect();
        let job = |pushed: Pushed| (pushed, Author::SYSTEM, Actor::System);
        let mut second_job =
            vec![(id(4), new_visit(4).1), (id(1), second_push), (id(5), new_visit(5).1), (id(6), edit_of_stored)];
        // Enough documents for the split.
        second_job.extend((7..7 + SPLIT_FROM as u128).map(|n| (id(n), new_visit(n).1)));
        let jobs = vec![
            job(vec![(id(1), first_push), (id(2), new_visit(2).1), (id(3), vec![vec![0x85, 0x6f, 0x4a]])]),
            job(second_job),
        ];
        (stored, jobs)
    }

    fn stored_heads(to_store: &[ToStore]) -> Vec<(DocId, Vec<ChangeHash>)> {
        let mut heads: Vec<_> = to_store.iter().map(|(id, merged, _)| (*id, merged.heads())).collect();
        heads.sort();
        heads
    }

    #[test]
    fn merging_on_two_threads_gives_what_one_thread_gives_in_push_order() {
        let erased = HashSet::new();
        let (stored, jobs) = batch();
        let (one_outcomes, one_store) = merge_batch(stored.clone(), &erased, jobs.clone());
        let (two_outcomes, two_store) = merge_in_two(stored, &erased, jobs);

        assert_eq!(two_outcomes, one_outcomes);
        assert_eq!(stored_heads(&two_store), stored_heads(&one_store));
        // What the batch holds: the corrupt change refused, the rest accepted.
        assert_eq!(two_outcomes.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 4 + SPLIT_FROM]);
        assert!(two_outcomes[0][2].is_err());
        assert_eq!(two_outcomes.iter().flatten().filter(|o| o.is_ok()).count(), 6 + SPLIT_FROM);
        // The document pushed twice is stored twice, its second merge on top of its first.
        let twice: Vec<_> = two_store.iter().filter(|(doc, _, _)| *doc == id(1)).collect();
        assert_eq!(twice.len(), 2);
        let summary = |record: Option<&AnyRecord>| match record {
            Some(AnyRecord::Visit(visit)) => Some(visit.summary.clone()),
            _ => None,
        };
        assert_eq!(summary(twice[1].1.before.as_ref()), Some("Alt vel.".into()));
        assert_eq!(summary(Some(&twice[1].1.record)), Some("Endret i neste push.".into()));
    }
}
