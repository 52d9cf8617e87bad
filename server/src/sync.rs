//! Sync on the server: merges pushed documents strictly, stores them, and
//! answers with everything after the device's cursor.
//!
//! All pushes go through one writer task. It takes every push waiting at
//! that moment, merges them one after another (so a document is never
//! merged twice at once) and stores them in one SQLite transaction: one
//! fsync for many phones (group commit), one writer (no `SQLITE_BUSY`
//! reaches a device), and log sequence numbers assigned in commit order.

use std::collections::{BTreeMap, HashMap};

use automerge::{Automerge, ChangeHash};
use innom_shared::sync::wire::{self, PulledDoc, PushResult, Rejection, SyncRequest, SyncResponse};
use innom_shared::sync::{Merged, merge};
use innom_shared::values::DocId;
use tokio::sync::{mpsc, oneshot, watch};

use crate::store::documents::{self, Author};
use crate::store::{Db, sessions::SessionUser};

/// Most change-log entries sent in one reply; the device syncs again for more.
pub const PULL_LIMIT: i64 = 5_000;
/// Most pushes stored in one transaction.
const BATCH: usize = 64;

/// What became of one pushed document: its heads on the server, or why not.
pub type Outcome = Result<Vec<ChangeHash>, Rejection>;

/// One push waiting for the writer.
struct PushJob {
    pushed: Vec<(DocId, Vec<Vec<u8>>)>,
    author: Author,
    reply: oneshot::Sender<Result<Vec<Outcome>, String>>,
}

/// What sync needs besides the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct SyncHub {
    writer: mpsc::Sender<PushJob>,
    feed: watch::Sender<i64>,
    /// Set when the server shuts down, so open event streams end.
    closing: watch::Sender<bool>,
}

impl std::fmt::Debug for PushJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushJob").field("documents", &self.pushed.len()).finish()
    }
}

impl SyncHub {
    /// Starts the writer task on `db`; the feed starts at the log's end.
    pub async fn start(db: Db) -> anyhow::Result<Self> {
        let feed = watch::Sender::new(documents::last_seq(&db).await?);
        let (writer, jobs) = mpsc::channel(1_024);
        tokio::spawn(write_loop(db, jobs, feed.clone()));
        Ok(Self { writer, feed, closing: watch::Sender::new(false) })
    }

    /// Follows the feed position: changes whenever new changes are stored.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.feed.subscribe()
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
pub async fn push(hub: &SyncHub, pushed: Vec<(DocId, Vec<Vec<u8>>)>, author: Author) -> anyhow::Result<Vec<Outcome>> {
    if pushed.is_empty() {
        return Ok(Vec::new());
    }
    let (reply, answer) = oneshot::channel();
    hub.writer.send(PushJob { pushed, author, reply }).await.map_err(|_| anyhow::anyhow!("the writer has stopped"))?;
    answer.await?.map_err(|e| anyhow::anyhow!(e))
}

async fn write_loop(db: Db, mut jobs: mpsc::Receiver<PushJob>, feed: watch::Sender<i64>) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match write_batch(&db, &batch).await {
            Ok((outcomes, last)) => {
                if let Some(seq) = last {
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

/// Merges every job's documents in order and stores the accepted ones in
/// one transaction. Returns each job's outcomes and the last new sequence.
async fn write_batch(db: &Db, batch: &[PushJob]) -> anyhow::Result<(Vec<Vec<Outcome>>, Option<i64>)> {
    // Documents merged earlier in this batch, newest state.
    let mut merged_docs: HashMap<DocId, Automerge> = HashMap::new();
    let mut to_store: Vec<(DocId, Merged, Author)> = Vec::new();
    let mut outcomes = Vec::with_capacity(batch.len());
    for job in batch {
        let mut job_outcomes = Vec::with_capacity(job.pushed.len());
        for (id, changes) in &job.pushed {
            let stored = match merged_docs.get(id) {
                Some(doc) => Some(doc.clone()),
                None => documents::load(db, *id).await?,
            };
            // Merging is CPU work proportional to the document; keep it off
            // the async threads.
            let (id_copy, changes) = (*id, changes.clone());
            let outcome = tokio::task::spawn_blocking(move || merge(id_copy, stored.as_ref(), &changes)).await?;
            match outcome {
                Ok(merged) => {
                    job_outcomes.push(Ok(merged.heads()));
                    if !merged.new_changes.is_empty() {
                        merged_docs.insert(*id, merged.doc.clone());
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
    let mut last = None;
    if !to_store.is_empty() {
        let mut tx = db.begin().await?;
        for (id, merged, author) in &to_store {
            if let Some(seq) = documents::store_merge(&mut tx, *id, merged, *author).await? {
                last = Some(seq);
            }
        }
        tx.commit().await?;
    }
    Ok((outcomes, last))
}

/// One sync round trip for `user`.
pub async fn sync(db: &Db, hub: &SyncHub, user: &SessionUser, request: SyncRequest) -> anyhow::Result<SyncResponse> {
    let pushed: Vec<(DocId, Vec<Vec<u8>>)> = request
        .push
        .iter()
        .map(|doc| (wire::doc_id(&doc.id), doc.changes.iter().map(|c| c.to_vec()).collect()))
        .collect();
    let author = Author { user_id: Some(user.user_id), session_id: Some(user.session_id) };
    let outcomes = push(hub, pushed, author).await?;
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
    let (pull, cursor, more) =
        if cursor == 0 { bootstrap(db).await? } else { pull(db, cursor, user.session_id).await? };
    Ok(SyncResponse { version: wire::WIRE_VERSION, results, pull, cursor: u64::try_from(cursor).unwrap_or(0), more })
}

/// A new device gets every document as one compacted snapshot.
async fn bootstrap(db: &Db) -> anyhow::Result<(Vec<PulledDoc>, i64, bool)> {
    let (snapshots, seq) = documents::snapshots(db).await?;
    let pull = snapshots
        .into_iter()
        .map(|s| PulledDoc {
            id: wire::wire_id(s.id),
            snapshot: Some(s.snapshot.into()),
            changes: vec![],
            heads: wire::wire_heads(&s.heads),
        })
        .collect();
    Ok((pull, seq, false))
}

/// The changes after `cursor`, except the ones this session pushed itself.
async fn pull(db: &Db, cursor: i64, session_id: i64) -> anyhow::Result<(Vec<PulledDoc>, i64, bool)> {
    let logged = documents::changes_after(db, cursor, PULL_LIMIT).await?;
    let more = logged.len() as i64 == PULL_LIMIT;
    let next_cursor = logged.last().map_or(cursor, |c| c.seq);
    let mut by_doc: BTreeMap<DocId, PulledDoc> = BTreeMap::new();
    for change in logged {
        if change.session_id == Some(session_id) {
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
