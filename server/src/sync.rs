//! Sync on the server: merges pushed documents strictly, stores them, and
//! answers with everything after the device's cursor. The rules (which
//! merges stand, how pages are cut, where erasures go) are pure code in
//! `innom_shared::sync::server`; this module reads, writes and waits.
//!
//! Each push is merged in its own request onto its documents as stored
//! then, and goes to one writer task. The writer takes every push waiting
//! at that moment, keeps each merge whose document nothing was stored over
//! since (merging the others again, in push order, onto what is stored
//! now, so no edit is lost) and stores them in one SQLite transaction: one
//! fsync for many phones (group commit), one writer (no `SQLITE_BUSY`
//! reaches a device), and log sequence numbers assigned in commit order.

mod loaded;
mod recent;

use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use innom_shared::access::Actor;
use innom_shared::access::teams::{Directory, TeamId};
use innom_shared::sync::server::{self as rules, Batch, Limits, Pusher, QueuedPush};
pub use innom_shared::sync::server::{Outcome, Pushed};
use innom_shared::sync::wire::{self, SyncRequest, SyncResponse};
use innom_shared::values::DocId;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use tokio::sync::{Semaphore, mpsc, oneshot, watch};

use crate::store::documents::{self, Author, Scope};
use crate::store::{BEGIN_WRITE, Db};
use crate::store::{erasures, teams};
use loaded::LoadedDocuments;
use recent::RecentChanges;

/// Most pushes stored in one transaction.
const BATCH: usize = 64;

/// Most bootstrap pages read at once. Each holds up to 2 MiB of snapshots
/// until it is sent; fifty phones signing in together would otherwise
/// hold a page each.
const BOOTSTRAPS_AT_ONCE: usize = 4;

/// One push waiting for the writer, already merged onto its documents as
/// they were stored when it came in.
struct PushJob {
    push: QueuedPush,
    author: Author,
    reply: oneshot::Sender<Result<Vec<Outcome>, String>>,
}

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
    /// The id of the database's change log, named in every reply.
    log: wire::LogId,
    /// Who each record is for: kept by the writer, read by team pulls.
    directory: Arc<RwLock<Directory>>,
    /// The documents stored last, loaded: pushes are merged onto these.
    loaded: Arc<LoadedDocuments>,
    /// Permits to read a bootstrap page ([`BOOTSTRAPS_AT_ONCE`]).
    bootstraps: Arc<Semaphore>,
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
        f.debug_struct("PushJob").field("documents", &self.push.pushed.len()).finish()
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
        let mut conn = db.connect_options().connect().await?;
        let erased = erasures::all(&db).await?;
        let (writer, jobs) = mpsc::channel(1_024);
        let (directory, team_facts) = teams::load_directory(&mut conn).await?;
        let directory = Arc::new(RwLock::new(directory));
        let loaded = Arc::new(LoadedDocuments::new(loaded::CAPACITY));
        let writer_state = Writer {
            conn,
            erased,
            feed: feed.clone(),
            recent: recent.clone(),
            directory: directory.clone(),
            team_facts,
            loaded: loaded.clone(),
        };
        tokio::spawn(write_loop(writer_state, jobs));
        let log = documents::log_id(&db).await?;
        Ok(Self {
            db,
            writer,
            feed,
            recent,
            closing: watch::Sender::new(false),
            log,
            directory,
            loaded,
            bootstraps: Arc::new(Semaphore::new(BOOTSTRAPS_AT_ONCE)),
        })
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

    fn directory(&self) -> std::sync::RwLockReadGuard<'_, Directory> {
        self.directory.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// After a handover or a membership change: reads the team facts anew.
    /// (The change also marked the sessions concerned, whose next sync is
    /// a bootstrap by the view, so a pull that raced this is put right.)
    pub async fn reload_teams(&self) -> anyhow::Result<()> {
        let mut facts = Directory::default();
        teams::load_team_facts(&mut *self.db.acquire().await?, &mut facts).await?;
        self.directory.write().unwrap_or_else(PoisonError::into_inner).take_teams_from(facts);
        Ok(())
    }

    /// Whether the stored record `id` is for one of `teams` (or for everyone).
    pub fn is_for_teams(&self, id: DocId, teams: &BTreeSet<TeamId>) -> bool {
        self.directory().audience_of(id).is_some_and(|audience| audience.reaches(teams))
    }

    /// The participants the records `ids` are about.
    pub fn participants_of(&self, ids: impl IntoIterator<Item = DocId>) -> BTreeSet<DocId> {
        let directory = self.directory();
        ids.into_iter().flat_map(|id| directory.participants_of(id)).collect()
    }

    /// Refuses (`403`) a stored record that is not in a scope limited to
    /// teams (need to know): the office's views of one placement or
    /// participant, and the mentor links of a placement.
    pub fn check_in_scope(&self, scope: &Scope, id: DocId) -> Result<(), crate::error::ApiError> {
        match scope {
            Scope::Teams(teams) if !self.is_for_teams(id, teams) => Err(crate::error::ApiError::Forbidden),
            _ => Ok(()),
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
}

/// Merges and stores pushed documents; one outcome per document, in order.
/// A document that fails is reported and never blocks the others.
///
/// The push is merged here, beside other pushes, onto its documents as
/// stored now; the one writer then only checks that nothing was stored
/// over them since (and merges again, in order, if something was). That
/// keeps merging, the biggest piece of CPU work in sync, out of the part
/// that runs one batch at a time.
pub async fn push(hub: &SyncHub, pushed: Pushed, author: Author, pusher: Pusher) -> anyhow::Result<Vec<Outcome>> {
    if pushed.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<DocId> = pushed.iter().map(|(id, _)| *id).collect();
    ids.sort();
    ids.dedup();
    let (mut stored, unloaded) = hub.loaded.take(&ids);
    if !unloaded.is_empty() {
        stored.extend(documents::snapshots_of(&hub.db, &unloaded).await?);
    }
    let push = tokio::task::spawn_blocking(move || QueuedPush::merged(pushed, pusher, stored)).await?;
    let (reply, answer) = oneshot::channel();
    hub.writer
        .send(Job::Push(PushJob { push, author, reply }))
        .await
        .map_err(|_| anyhow::anyhow!("the writer has stopped"))?;
    metrics::gauge!(crate::telemetry::WRITER_QUEUE).set((hub.writer.max_capacity() - hub.writer.capacity()) as f64);
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

/// What the writer task holds. `erased` holds the tombstones, kept in
/// memory: every erasure goes through this task.
struct Writer {
    conn: SqliteConnection,
    erased: HashSet<DocId>,
    feed: watch::Sender<i64>,
    recent: Arc<Mutex<RecentChanges>>,
    directory: Arc<RwLock<Directory>>,
    /// The version of the team facts in the directory (migration 0016).
    team_facts: i64,
    /// Given each document once it is committed.
    loaded: Arc<LoadedDocuments>,
}

impl Writer {
    fn recent(&self) -> std::sync::MutexGuard<'_, RecentChanges> {
        self.recent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn directory(&self) -> std::sync::RwLockWriteGuard<'_, Directory> {
        self.directory.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the team facts anew if they changed outside this task.
    async fn refresh_team_facts(&mut self) -> anyhow::Result<()> {
        if teams::team_facts_version(&mut self.conn).await? != self.team_facts {
            let mut facts = Directory::default();
            self.team_facts = teams::load_team_facts(&mut self.conn, &mut facts).await?;
            self.directory().take_teams_from(facts);
        }
        Ok(())
    }

    /// Reads the whole directory anew (a batch noted in it failed).
    async fn reload_directory(&mut self) -> anyhow::Result<()> {
        let (directory, version) = teams::load_directory(&mut self.conn).await?;
        (*self.directory(), self.team_facts) = (directory, version);
        Ok(())
    }
}

/// The writer task: one job at a time, the pushes waiting together.
async fn write_loop(mut writer: Writer, mut jobs: mpsc::Receiver<Job>) {
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
                writer.recent().pause();
                let outcome = erase(&mut writer, &job).await;
                let position = match &outcome {
                    Ok(Some((_, seq))) => Some(*seq),
                    _ => None,
                };
                writer.recent().resume(position);
                if let Some(seq) = position {
                    writer.feed.send_replace(seq);
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
        metrics::histogram!(crate::telemetry::WRITER_BATCH).record(batch.len() as f64);
        metrics::gauge!(crate::telemetry::WRITER_QUEUE).set(jobs.len() as f64);
        let mut replies = Vec::with_capacity(batch.len());
        match write_batch(&mut writer, batch, &mut replies).await {
            Ok((outcomes, stored)) => {
                if let Some(seq) = stored.last().map(|change| change.seq) {
                    writer.recent().append(stored);
                    // Wake the open event streams: the feed has moved.
                    writer.feed.send_replace(seq);
                }
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "storing pushes failed");
                // The batch was noted in the directory before it failed.
                if let Err(e) = writer.reload_directory().await {
                    tracing::error!(error = format!("{e:#}"), "reading the directory again failed");
                }
                for reply in replies {
                    let _ = reply.send(Err(format!("{e:#}")));
                }
            }
        }
    }
}

/// One erasure: the records, the tombstones, then a clean file.
async fn erase(writer: &mut Writer, job: &EraseJob) -> anyhow::Result<Option<(Vec<DocId>, i64)>> {
    let conn = &mut writer.conn;
    let Some(records) = erasures::records_about(&mut *conn, job.participant).await? else { return Ok(None) };
    let ids: Vec<DocId> = records.iter().map(|(id, _)| *id).collect();
    let seq = erasures::erase(conn, &ids, job.by).await?;
    writer.erased.extend(ids.iter().copied());
    writer.loaded.forget(&ids);
    writer.directory().forget(&ids);
    erasures::clean_file(&mut writer.conn).await?;
    tracing::info!(participant = %job.participant, records = ids.len(), "participant erased");
    Ok(Some((ids, seq)))
}

/// Settles every job's documents in order (`rules::Batch`, which checks
/// them against the directory and notes the ones that stand) and stores
/// the accepted ones in one transaction. Returns each job's outcomes and
/// the new changes.
async fn write_batch(
    writer: &mut Writer,
    batch: Vec<PushJob>,
    replies: &mut Vec<oneshot::Sender<Result<Vec<Outcome>, String>>>,
) -> anyhow::Result<(Vec<Vec<Outcome>>, Vec<documents::LoggedChange>)> {
    let mut authors = Vec::with_capacity(batch.len());
    let mut pushes = Vec::with_capacity(batch.len());
    for job in batch {
        authors.push(job.author);
        pushes.push(job.push);
        replies.push(job.reply);
    }
    let pushed_ids: Vec<Vec<DocId>> =
        pushes.iter().map(|push| push.pushed.iter().map(|(id, _)| *id).collect()).collect();
    writer.refresh_team_facts().await?;
    let batch = Batch::new(pushes, &writer.erased);
    let current = documents::heads_of(&mut writer.conn, &batch.documents()).await?;
    let again = batch.to_merge_again(&current);
    let mut remerged = Vec::new();
    if again.iter().any(|(docs, _)| !docs.is_empty()) {
        let mut stale: Vec<DocId> = again.iter().flat_map(|(docs, _)| docs.iter().map(|(id, _)| *id)).collect();
        stale.sort();
        stale.dedup();
        let stored = documents::snapshots_of(&mut writer.conn, &stale).await?;
        let directory = writer.directory.clone();
        remerged = tokio::task::spawn_blocking(move || {
            let pushes: Vec<_> = again.iter().map(|(docs, pusher)| (docs, pusher)).collect();
            rules::merge_batch(stored, &pushes, &*directory.read().unwrap_or_else(PoisonError::into_inner))
        })
        .await?;
    }
    let settled = batch.settle(&current, remerged, &mut writer.directory())?;
    for (ids, outcomes) in pushed_ids.iter().zip(&settled.outcomes) {
        for (id, rejection) in ids.iter().zip(outcomes).filter_map(|(id, o)| Some((id, o.as_ref().err()?))) {
            tracing::info!(doc = %id, %rejection, "push rejected");
        }
    }
    let to_store: Vec<_> = settled.to_store.into_iter().map(|(n, id, merged)| (id, merged, authors[n])).collect();
    let mut stored = Vec::new();
    if !to_store.is_empty() {
        let mut tx = writer.conn.begin_with(BEGIN_WRITE).await?;
        stored = documents::store_merges(&mut tx, &to_store).await?;
        tx.commit().await?;
        // A record edited after it was made is likely to be edited again
        // soon (a visit being written up); a new one often is not (a
        // bootstrap's or an import's thousands), so only edits are kept.
        let edited = to_store.into_iter().filter(|(_, merged, _)| merged.before.is_some());
        writer.loaded.keep(edited.map(|(id, merged, _)| (id, merged.doc, merged.record, merged.snapshot)));
    }
    Ok((settled.outcomes, stored))
}

/// Who is syncing: whom their changes are stored as, the rules their
/// pushes are checked against, and what they are sent.
#[derive(Debug, Clone)]
pub struct Syncer {
    pub author: Author,
    pub actor: Actor,
    pub scope: Scope,
    /// Send the session everything in its scope anew (its scope changed).
    pub rescope: bool,
}

/// One sync round trip for `syncer`.
pub async fn sync(db: &Db, hub: &SyncHub, syncer: Syncer, request: SyncRequest) -> anyhow::Result<SyncResponse> {
    let Syncer { author, actor, scope, rescope } = syncer;
    let pushed: Pushed = request
        .push
        .iter()
        .map(|doc| (wire::doc_id(&doc.id), doc.changes.iter().map(|c| c.to_vec()).collect()))
        .collect();
    let ids: Vec<wire::WireId> = request.push.iter().map(|doc| doc.id).collect();
    // A device not yet sent its changed scope made its work under the old.
    let pusher = Pusher { actor, scope: scope.clone(), stale_view: rescope };
    let outcomes = push(hub, pushed, author, pusher).await?;

    // The feed can trail a commit a reply has already seen; the log's own
    // end settles a cursor that looks ahead of it.
    let counts = rules::cursor_counts_in(hub.log, *hub.feed.borrow(), request.log, request.cursor)
        || rules::cursor_counts_in(hub.log, documents::last_seq(db).await?, request.log, request.cursor);
    let cursor = if counts && !rescope { i64::try_from(request.cursor).unwrap_or(i64::MAX) } else { 0 };
    if cursor == 0 || request.snapshots {
        // Erased records are no longer among the snapshots.
        let _permit = hub.bootstraps.acquire().await?;
        let (snapshots, end) = documents::snapshots_after(db, &scope, cursor, Limits::SERVER).await?;
        let page = rules::bootstrap_page(snapshots, end, Limits::SERVER);
        let mut reply = rules::reply(&ids, outcomes, page, true, Vec::new(), None);
        // Both may be set: a restored server and a changed scope at once.
        (reply.log, reply.reset, reply.rescope) = (Some(hub.log), !counts, rescope);
        return Ok(reply);
    }
    let page = pull(db, hub, &scope, cursor, author).await?;
    let (erased, last_erasure) = if hub.recent().erased_since(cursor) {
        erasures::erased_after(db, cursor, rules::erasures_until(&page)).await?
    } else {
        (Vec::new(), None)
    };
    let mut reply = rules::reply(&ids, outcomes, page, false, erased, last_erasure);
    reply.log = Some(hub.log);
    Ok(reply)
}

/// The changes in scope after `cursor`, except the ones this session pushed
/// itself: from memory when the cursor is recent, else from the log.
async fn pull(db: &Db, hub: &SyncHub, scope: &Scope, cursor: i64, author: Author) -> anyhow::Result<rules::Page> {
    let limits = Limits::SERVER;
    let limit = i64::try_from(limits.pull).unwrap_or(i64::MAX);
    match scope {
        Scope::All => {
            // Its own statement: the cache's lock is not held across an await.
            let cached = hub.recent().after(cursor, limits.pull);
            let logged = match cached {
                Some(logged) => logged,
                None => documents::changes_after(db, &Scope::All, cursor, limit).await?,
            };
            Ok(rules::pull_page(logged, cursor, limits, author))
        }
        // A page of the log as for everyone, less the documents not for
        // these teams; the cursor still moves past what was left out, so
        // other teams' work is never read twice.
        Scope::Teams(teams) => {
            let cached = hub.recent().after(cursor, limits.pull);
            let logged = match cached {
                Some(logged) => logged,
                None => documents::changes_after(db, &Scope::All, cursor, limit).await?,
            };
            let (next, more) = (logged.last().map_or(cursor, |c| c.seq), logged.len() >= limits.pull);
            let kept = {
                let directory = hub.directory();
                let mut admitted = std::collections::HashMap::new();
                logged
                    .into_iter()
                    .filter(|c| {
                        *admitted.entry(c.doc_id).or_insert_with(|| {
                            directory.audience_of(c.doc_id).is_some_and(|audience| audience.reaches(teams))
                        })
                    })
                    .collect()
            };
            Ok(rules::Page { cursor: next, more, ..rules::pull_page(kept, cursor, limits, author) })
        }
        // Mentors pull only their own feedback; the log's query filters it.
        Scope::MentorFeedback { .. } => {
            Ok(rules::pull_page(documents::changes_after(db, scope, cursor, limit).await?, cursor, limits, author))
        }
    }
}
