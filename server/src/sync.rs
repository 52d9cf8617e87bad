//! Sync on the server: merges pushed documents strictly, stores them, and
//! answers with everything after the device's cursor.
//!
//! Each push is merged in its own request onto its documents as stored
//! then, and goes to one writer task. The writer takes every push waiting
//! at that moment, keeps each merge whose document nothing was stored over
//! since (merging the others again, in push order, onto what is stored
//! now, so no edit is lost) and stores them in one SQLite transaction: one
//! fsync for many phones (group commit), one writer (no `SQLITE_BUSY`
//! reaches a device), and log sequence numbers assigned in commit order.

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
use crate::store::documents::{self, Author, Scope, StoredDoc};
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

/// One push waiting for the writer, already merged onto its documents as
/// they were stored when it came in.
struct PushJob {
    pushed: Pushed,
    /// Per pushed document, in order: the stored heads the merge started
    /// from (`None`: the document was not stored) and what it gave.
    premerged: Vec<(Option<Vec<ChangeHash>>, DocMerge)>,
    author: Author,
    /// Decides which of the pushed changes the author may make.
    actor: Actor,
    reply: oneshot::Sender<Result<Vec<Outcome>, String>>,
}

/// What merging one pushed document gave: the merge, or why it is refused.
type DocMerge = Result<Merged, Rejection>;

/// What sync needs besides the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct SyncHub {
    /// For reading what a push is merged onto.
    db: Db,
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
        Ok(Self { db, writer, feed, recent, closing: watch::Sender::new(false) })
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
///
/// The push is merged here, beside other pushes, onto its documents as
/// stored now; the one writer then only checks that nothing was stored
/// over them since (and merges again, in order, if something was). That
/// keeps merging, the biggest piece of CPU work in sync, out of the part
/// that runs one batch at a time.
pub async fn push(hub: &SyncHub, pushed: Pushed, author: Author, actor: Actor) -> anyhow::Result<Vec<Outcome>> {
    if pushed.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<DocId> = pushed.iter().map(|(id, _)| *id).collect();
    ids.sort();
    ids.dedup();
    let stored = documents::snapshots_of(&hub.db, &ids).await?;
    let (pushed, actor, premerged) = tokio::task::spawn_blocking(move || {
        let bases: HashMap<DocId, Vec<ChangeHash>> = stored.iter().map(|doc| (doc.id, doc.heads.clone())).collect();
        let merges = merge_batch(stored, &[(&pushed, &actor)]).pop().unwrap_or_default();
        let premerged = pushed.iter().zip(merges).map(|((id, _), merge)| (bases.get(id).cloned(), merge)).collect();
        (pushed, actor, premerged)
    })
    .await?;
    let (reply, answer) = oneshot::channel();
    hub.writer
        .send(Job::Push(PushJob { pushed, premerged, author, actor, reply }))
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

/// Settles every job's documents in order and stores the accepted ones in
/// one transaction. Returns each job's outcomes and the new changes.
async fn write_batch(
    conn: &mut SqliteConnection,
    erased: &HashSet<DocId>,
    batch: &mut [PushJob],
) -> anyhow::Result<(Vec<Vec<Outcome>>, Vec<documents::LoggedChange>)> {
    // How many times the batch holds each document (erased ones are
    // refused below), and the heads stored for them now.
    let mut times: HashMap<DocId, usize> = HashMap::new();
    for (id, _) in batch.iter().flat_map(|job| &job.pushed).filter(|(id, _)| !erased.contains(id)) {
        *times.entry(*id).or_default() += 1;
    }
    let ids: Vec<DocId> = times.keys().copied().collect();
    let current = documents::heads_of(&mut *conn, &ids).await?;
    // A push's merge stands if the batch holds its document once and
    // nothing was stored over the document since. Otherwise the document
    // is merged again here, in push order, onto what is stored now.
    let stale = |id: &DocId, base: &Option<Vec<ChangeHash>>| {
        !erased.contains(id) && (times.get(id) > Some(&1) || current.get(id) != base.as_ref())
    };
    let again: Vec<(Pushed, Actor)> = batch
        .iter()
        .map(|job| {
            let docs = job.pushed.iter().zip(&job.premerged).filter(|((id, _), (base, _))| stale(id, base));
            (docs.map(|(doc, _)| doc.clone()).collect(), job.actor.clone())
        })
        .collect();
    let mut remerged: Vec<std::vec::IntoIter<DocMerge>> = Vec::new();
    if again.iter().any(|(docs, _)| !docs.is_empty()) {
        let mut stale_ids: Vec<DocId> = again.iter().flat_map(|(docs, _)| docs.iter().map(|(id, _)| *id)).collect();
        stale_ids.sort();
        stale_ids.dedup();
        let stored = documents::snapshots_of(&mut *conn, &stale_ids).await?;
        let merges = tokio::task::spawn_blocking(move || {
            let jobs: Vec<(&Pushed, &Actor)> = again.iter().map(|(docs, actor)| (docs, actor)).collect();
            merge_batch(stored, &jobs)
        })
        .await?;
        remerged = merges.into_iter().map(Vec::into_iter).collect();
    }

    let mut outcomes = Vec::with_capacity(batch.len());
    let mut to_store = Vec::new();
    for (n, job) in batch.iter_mut().enumerate() {
        let premerged = std::mem::take(&mut job.premerged);
        let mut job_outcomes = Vec::with_capacity(premerged.len());
        for ((id, _), (base, merge)) in job.pushed.iter().zip(premerged) {
            let merge = if erased.contains(id) {
                Err(Rejection::new(RejectionCode::Erased, "this record was erased and cannot return"))
            } else if stale(id, &base) {
                let again = remerged.get_mut(n).and_then(Iterator::next);
                again.ok_or_else(|| anyhow::anyhow!("a document to merge again went missing"))?
            } else {
                merge
            };
            match merge {
                Ok(merged) => {
                    job_outcomes.push(Ok(merged.heads()));
                    if !merged.new_changes.is_empty() {
                        to_store.push((*id, merged, job.author));
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
    let mut stored = Vec::new();
    if !to_store.is_empty() {
        let mut tx = conn.begin().await?;
        stored = documents::store_merges(&mut tx, &to_store).await?;
        tx.commit().await?;
    }
    Ok((outcomes, stored))
}

/// Merges each job's documents in order onto the `stored` documents; a
/// document pushed twice is merged onto the result of the first push.
fn merge_batch(stored: Vec<StoredDoc>, jobs: &[(&Pushed, &Actor)]) -> Vec<Vec<DocMerge>> {
    // How many more pushes of each document follow: a merge is kept as
    // the next one's base only if one does.
    let mut left: HashMap<DocId, usize> = HashMap::new();
    for (id, _) in jobs.iter().flat_map(|(pushed, _)| pushed.iter()) {
        *left.entry(*id).or_default() += 1;
    }
    // A stored document that does not load blocks only its own pushes.
    let mut docs: HashMap<DocId, Result<Automerge, String>> =
        stored.into_iter().map(|doc| (doc.id, Automerge::load(&doc.snapshot).map_err(|e| e.to_string()))).collect();
    let mut merges = Vec::with_capacity(jobs.len());
    for (pushed, actor) in jobs {
        let mut job_merges = Vec::with_capacity(pushed.len());
        for (id, changes) in pushed.iter() {
            let more_follow = left.get_mut(id).is_some_and(|left| {
                *left -= 1;
                *left > 0
            });
            let stored = match docs.get(id) {
                Some(Ok(doc)) => Some(doc),
                Some(Err(e)) => {
                    tracing::error!(doc = %id, error = %e, "a stored document does not load");
                    let message = "the stored document is unreadable; the office must look at it";
                    job_merges.push(Err(Rejection::new(RejectionCode::InvalidRecord, message)));
                    continue;
                }
                None => None,
            };
            let merged = merge(*id, stored, changes)
                .and_then(|merged| actor.may_change(merged.before.as_ref(), &merged.record).map(|()| merged));
            if let Ok(merged) = &merged
                && more_follow
                && !merged.new_changes.is_empty()
            {
                docs.insert(*id, Ok(merged.doc.clone()));
            }
            job_merges.push(merged);
        }
        merges.push(job_merges);
    }
    merges
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

    fn changes_of(doc: &mut AutoCommit, since: &[ChangeHash]) -> Vec<Vec<u8>> {
        doc.get_changes(since).iter().map(|c| c.raw_bytes().to_vec()).collect()
    }

    fn new_visit(n: u128) -> (AutoCommit, Vec<Vec<u8>>) {
        let mut doc = document::create(&fixtures::visit(id(n))).expect("create");
        let changes = changes_of(&mut doc, &[]);
        (doc, changes)
    }

    fn summary(record: Option<&AnyRecord>) -> Option<String> {
        match record {
            Some(AnyRecord::Visit(visit)) => Some(visit.summary.as_str().to_owned()),
            _ => None,
        }
    }

    #[test]
    fn a_batch_merges_in_push_order_onto_stored_and_earlier_pushes() {
        // Document 1 is pushed twice, the second push building on the first.
        let (mut twice, first_push) = new_visit(1);
        let heads = twice.get_heads();
        let mut edited = fixtures::visit(id(1));
        edited.summary = "Endret i neste push.".into();
        document::write(&mut twice, &edited).expect("write");
        let second_push = changes_of(&mut twice, &heads);
        // Document 6 is stored already; its edit is pushed.
        let (mut earlier, _) = new_visit(6);
        let stored = vec![StoredDoc { id: id(6), snapshot: earlier.save(), heads: earlier.get_heads() }];
        let heads = earlier.get_heads();
        edited = fixtures::visit(id(6));
        edited.status = innom_shared::records::Status::Red;
        document::write(&mut earlier, &edited).expect("write");
        let edit_of_stored = changes_of(&mut earlier, &heads);
        let first: Pushed = vec![(id(1), first_push), (id(2), new_visit(2).1), (id(3), vec![vec![0x85, 0x6f, 0x4a]])];
        let second: Pushed = vec![(id(1), second_push.clone()), (id(6), edit_of_stored)];

        let merges = merge_batch(stored, &[(&first, &Actor::System), (&second, &Actor::System)]);
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
        let alone = merge_batch(Vec::new(), &[(&vec![(id(1), second_push)], &Actor::System)]);
        assert_eq!(alone[0][0].as_ref().err().map(|r| r.code), Some(RejectionCode::MissingDependencies));
    }
}
