//! Sync on the server: merges pushed documents strictly, stores them in
//! one transaction, and answers with everything after the device's cursor.
//!
//! Merges are serialised by one lock: a document is read, merged and
//! written without another push to it in between, and SQLite never sees
//! two writers (so no `SQLITE_BUSY` reaches a device).

use std::collections::BTreeMap;
use std::sync::Arc;

use innom_shared::sync::wire::{self, PulledDoc, PushResult, Rejection, SyncRequest, SyncResponse};
use innom_shared::sync::{Merged, merge};
use innom_shared::values::DocId;
use tokio::sync::{Mutex, watch};

use crate::store::documents::{self, Author};
use crate::store::{Db, sessions::SessionUser};

/// Most change-log entries sent in one reply; the device syncs again for more.
pub const PULL_LIMIT: i64 = 5_000;

/// What sync needs besides the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct SyncHub {
    merge_lock: Arc<Mutex<()>>,
    feed: watch::Sender<i64>,
    /// Set when the server shuts down, so open event streams end.
    closing: watch::Sender<bool>,
}

impl SyncHub {
    /// A hub whose feed starts at `last_seq`.
    pub fn new(last_seq: i64) -> Self {
        Self {
            merge_lock: Arc::new(Mutex::new(())),
            feed: watch::Sender::new(last_seq),
            closing: watch::Sender::new(false),
        }
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

    /// Follows the feed position: changes whenever new changes are stored.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.feed.subscribe()
    }
}

/// Merges and stores pushed documents; one result per document, in order.
/// A document that fails is reported and never blocks the others.
pub async fn push(
    db: &Db,
    hub: &SyncHub,
    pushed: &[(DocId, Vec<Vec<u8>>)],
    author: Author,
) -> anyhow::Result<Vec<Result<Vec<automerge::ChangeHash>, Rejection>>> {
    let _guard = hub.merge_lock.lock().await;
    let mut outcomes = Vec::with_capacity(pushed.len());
    let mut accepted: Vec<(DocId, Merged)> = Vec::new();
    // The same document twice in one push: merge into the first result.
    let mut merged_so_far: BTreeMap<DocId, usize> = BTreeMap::new();
    for (id, changes) in pushed {
        let stored = match merged_so_far.get(id) {
            Some(&i) => Some(accepted[i].1.doc.clone()),
            None => documents::load(db, *id).await?,
        };
        // Merging is CPU work proportional to the document; keep it off
        // the async threads.
        let (id_copy, changes) = (*id, changes.clone());
        let outcome = tokio::task::spawn_blocking(move || merge(id_copy, stored.as_ref(), &changes)).await?;
        match outcome {
            Ok(merged) => {
                outcomes.push(Ok(merged.heads()));
                match merged_so_far.get(id) {
                    Some(&i) => {
                        let mut combined = merged;
                        let mut earlier = std::mem::take(&mut accepted[i].1.new_changes);
                        earlier.append(&mut combined.new_changes);
                        combined.new_changes = earlier;
                        combined.before = accepted[i].1.before.take();
                        accepted[i].1 = combined;
                    }
                    None => {
                        merged_so_far.insert(*id, accepted.len());
                        accepted.push((*id, merged));
                    }
                }
            }
            Err(rejection) => {
                tracing::info!(doc = %id, %rejection, "push rejected");
                outcomes.push(Err(rejection));
            }
        }
    }
    let mut last = None;
    if accepted.iter().any(|(_, m)| !m.new_changes.is_empty()) {
        let mut tx = db.begin().await?;
        for (id, merged) in &accepted {
            if let Some(seq) = documents::store_merge(&mut tx, *id, merged, author).await? {
                last = Some(seq);
            }
        }
        tx.commit().await?;
    }
    if let Some(seq) = last {
        // Wake the open event streams: the feed has moved.
        hub.feed.send_replace(seq);
    }
    Ok(outcomes)
}

/// One sync round trip for `user`.
pub async fn sync(db: &Db, hub: &SyncHub, user: &SessionUser, request: SyncRequest) -> anyhow::Result<SyncResponse> {
    let pushed: Vec<(DocId, Vec<Vec<u8>>)> = request
        .push
        .iter()
        .map(|doc| (wire::doc_id(&doc.id), doc.changes.iter().map(|c| c.to_vec()).collect()))
        .collect();
    let author = Author { user_id: Some(user.user_id), session_id: Some(user.session_id) };
    let outcomes = push(db, hub, &pushed, author).await?;
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
    let mut by_doc: BTreeMap<DocId, Vec<Vec<u8>>> = BTreeMap::new();
    for change in logged {
        if change.session_id == Some(session_id) {
            continue;
        }
        by_doc.entry(change.doc_id).or_default().push(change.bytes);
    }
    let mut pull = Vec::with_capacity(by_doc.len());
    for (id, changes) in by_doc {
        let heads = documents::heads_of(db, id).await?;
        pull.push(PulledDoc {
            id: wire::wire_id(id),
            snapshot: None,
            changes: changes.into_iter().map(Into::into).collect(),
            heads: wire::wire_heads(&heads),
        });
    }
    Ok((pull, next_cursor, more))
}
