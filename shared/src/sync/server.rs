//! The server's side of sync as data in, decisions out (sans-IO): which
//! merges of a batch of pushes stand and which are merged again, how a
//! pull and a bootstrap page are cut, and where erasures go in a reply.
//!
//! `server/src/sync.rs` only reads, writes and waits around these; the
//! convergence test (`shared/tests/sync_network.rs`) runs its in-memory
//! server on the same functions, so it tests what the server runs.

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{Automerge, ChangeHash};

pub use super::merge::LoadedDoc;
use super::merge::{Merged, merge_onto};
use super::wire::{self, PulledDoc, PushResult, Rejection, RejectionCode, SyncResponse};
use crate::access::Actor;
pub use crate::access::Scope;
use crate::access::teams::{self, Directory, TeamFacts};
use crate::values::DocId;

/// The documents of one push: each id with its change chunks.
pub type Pushed = Vec<(DocId, Vec<Vec<u8>>)>;

/// What merging one pushed document gave: the merge, or why it is refused.
pub type DocMerge = Result<Merged, Rejection>;

/// What became of one pushed document: its heads on the server, or why not.
pub type Outcome = Result<Vec<ChangeHash>, Rejection>;

/// How much one reply carries.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most change-log entries in one pull; the device syncs again for more.
    pub pull: usize,
    /// Most snapshots in one bootstrap page…
    pub page_docs: usize,
    /// …and about how many bytes of them (a page holds at least one).
    pub page_bytes: usize,
}

impl Limits {
    /// What the server sends.
    pub const SERVER: Self = Self { pull: 5_000, page_docs: 1_000, page_bytes: 2 << 20 };

    /// Whether a bootstrap page of `docs` snapshots of `bytes` in all is full.
    pub fn page_full(&self, docs: usize, bytes: usize) -> bool {
        docs >= self.page_docs || bytes >= self.page_bytes
    }
}

/// Who a push comes from, as the change log records it: an account's
/// device session, or a mentor's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Author {
    pub user_id: Option<i64>,
    pub session_id: Option<i64>,
    /// Set instead of the two above for a mentor's push.
    pub mentor_session_id: Option<i64>,
}

impl Author {
    /// The server itself (demo data).
    pub const SYSTEM: Self = Self { user_id: None, session_id: None, mentor_session_id: None };

    /// Whether this author's device session pushed `change`: a pull leaves
    /// those out, the device has them.
    pub fn pushed(&self, change: &LoggedChange) -> bool {
        (self.session_id.is_some() && change.session_id == self.session_id)
            || (self.mentor_session_id.is_some() && change.mentor_session_id == self.mentor_session_id)
    }
}

/// A document as stored: its heads, and the document itself as saved bytes
/// or already loaded.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    pub id: DocId,
    pub heads: Vec<ChangeHash>,
    pub document: StoredDocument,
}

/// The stored document, in the form the server has at hand.
#[derive(Debug, Clone)]
pub enum StoredDocument {
    /// The bytes as read from the database.
    Saved(Vec<u8>),
    /// Loaded already: the server keeps recently stored documents in
    /// memory, so a push onto one does not decode it again. The push takes
    /// it out of the server's keeping and merges onto it in place.
    Loaded(Box<LoadedDoc>),
}

impl StoredDoc {
    /// A document read from the database.
    pub fn saved(id: DocId, snapshot: Vec<u8>, heads: Vec<ChangeHash>) -> Self {
        Self { id, heads, document: StoredDocument::Saved(snapshot) }
    }

    /// A document kept in memory as it was stored.
    pub fn loaded(id: DocId, loaded: Box<LoadedDoc>) -> Self {
        Self { id, heads: loaded.doc.get_heads(), document: StoredDocument::Loaded(loaded) }
    }

    fn load(self) -> Result<LoadedDoc, String> {
        match self.document {
            StoredDocument::Saved(snapshot) => Automerge::load(&snapshot)
                .map(|doc| LoadedDoc { doc, record: None, saved: snapshot })
                .map_err(|e| e.to_string()),
            StoredDocument::Loaded(loaded) => Ok(*loaded),
        }
    }
}

/// Who pushes: their rights, their scope, and whether their device has
/// yet to be sent a changed scope (its work was made under the old one).
#[derive(Debug, Clone)]
pub struct Pusher {
    pub actor: Actor,
    pub scope: Scope,
    /// The session is marked to be sent its records anew: the office
    /// handed a participant over, or moved the account between teams,
    /// since the device last synced. A new record it made offline may
    /// still name what was in its scope then ([`teams::may_write`]).
    pub stale_view: bool,
}

impl Pusher {
    /// `actor` with `scope`, its device's view current.
    pub fn new(actor: Actor, scope: Scope) -> Self {
        Self { actor, scope, stale_view: false }
    }
}

/// Merges each push's documents in order onto the `stored` documents and
/// checks each merge against its pusher's rights and scope (with `facts`);
/// a document pushed twice is merged onto the result of the first push
/// that stands.
pub fn merge_batch(
    stored: Vec<StoredDoc>,
    pushes: &[(&Pushed, &Pusher)],
    facts: &impl TeamFacts,
) -> Vec<Vec<DocMerge>> {
    // How many more pushes of each document follow: a merge is kept as
    // the next one's base only if one does.
    let mut left: HashMap<DocId, usize> = HashMap::new();
    for (id, _) in pushes.iter().flat_map(|(pushed, _)| pushed.iter()) {
        *left.entry(*id).or_default() += 1;
    }
    // A stored document that does not load blocks only its own pushes.
    let mut docs: HashMap<DocId, Result<LoadedDoc, String>> =
        stored.into_iter().map(|doc| (doc.id, doc.load())).collect();
    let mut merges = Vec::with_capacity(pushes.len());
    for (pushed, pusher) in pushes {
        let mut push_merges = Vec::with_capacity(pushed.len());
        for (id, changes) in pushed.iter() {
            let more_follow = left.get_mut(id).is_some_and(|left| {
                *left -= 1;
                *left > 0
            });
            // The last push of a document merges onto it in place; one
            // with more to follow onto a copy, kept for them if it is
            // refused.
            let base = if more_follow { docs.get(id).cloned() } else { docs.remove(id) };
            let stored = match base {
                Some(Ok(loaded)) => Some(loaded),
                Some(Err(e)) => {
                    let message = format!("the stored document is unreadable ({e}); the office must look at it");
                    push_merges.push(Err(Rejection::new(RejectionCode::InvalidRecord, message)));
                    continue;
                }
                None => None,
            };
            let merged = merge_onto(*id, stored, changes).and_then(|merged| allowed(pusher, *id, merged, facts));
            if let Ok(merged) = &merged
                && more_follow
                && !merged.new_changes.is_empty()
            {
                let next = LoadedDoc {
                    doc: merged.doc.clone(),
                    record: Some(merged.record.clone()),
                    saved: merged.snapshot.clone(),
                };
                docs.insert(*id, Ok(next));
            }
            push_merges.push(merged);
        }
        merges.push(push_merges);
    }
    merges
}

/// `merged`, if its pusher may make it: their role's rights
/// ([`Actor::may_change`]) and, for a scope limited to teams,
/// [`teams::may_write`].
fn allowed(pusher: &Pusher, id: DocId, merged: Merged, facts: &impl TeamFacts) -> DocMerge {
    pusher.actor.may_change(merged.before.as_ref(), &merged.record)?;
    in_scope(pusher, id, merged, facts)
}

/// `merged`, if `pusher` may make it within their scope.
fn in_scope(pusher: &Pusher, id: DocId, merged: Merged, facts: &impl TeamFacts) -> DocMerge {
    if let Scope::Teams(teams) = &pusher.scope
        && !merged.new_changes.is_empty()
    {
        let writer = teams::Writer {
            teams,
            username: pusher.actor.identity().unwrap_or_default(),
            stale_view: pusher.stale_view,
        };
        teams::may_write(&writer, id, merged.before.as_ref(), &merged.record, facts)?;
    }
    Ok(merged)
}

/// One push waiting to be stored, already merged onto its documents as
/// they were stored when it came in.
#[derive(Debug)]
pub struct QueuedPush {
    pub pushed: Pushed,
    /// Per pushed document, in order: the stored heads the merge started
    /// from (`None`: the document was not stored) and what it gave.
    pub premerged: Vec<(Option<Vec<ChangeHash>>, DocMerge)>,
    /// Decides which of the pushed changes the pusher may make: their
    /// rights, and for a scope limited to teams [`teams::may_write`].
    pub pusher: Pusher,
}

impl QueuedPush {
    /// Merges `pushed` onto `stored` (the stored versions of its documents).
    pub fn merged(pushed: Pushed, pusher: Pusher, stored: Vec<StoredDoc>) -> Self {
        let bases: HashMap<DocId, Vec<ChangeHash>> = stored.iter().map(|doc| (doc.id, doc.heads.clone())).collect();
        // Checked against the teams again when stored, with the facts then.
        let merges = merge_batch(stored, &[(&pushed, &pusher)], &Directory::default()).pop().unwrap_or_default();
        let premerged = pushed.iter().zip(merges).map(|((id, _), merge)| (bases.get(id).cloned(), merge)).collect();
        Self { pushed, premerged, pusher }
    }
}

/// Pushes stored together in one transaction (group commit). A push's
/// merge stands if the batch holds its document once and nothing was
/// stored over the document since it was merged; otherwise the document
/// is merged again, in push order, onto what is stored now, so no edit is
/// lost. An erased document is refused whatever was pushed.
///
/// The store asks [`Batch::documents`] for their heads, merges
/// [`Batch::to_merge_again`] onto the snapshots of those, and hands both
/// to [`Batch::settle`].
#[derive(Debug)]
pub struct Batch {
    pushes: Vec<QueuedPush>,
    documents: BatchDocuments,
}

/// The documents of a batch: how many times it holds each that is not
/// erased, and the erased ones.
#[derive(Debug)]
struct BatchDocuments {
    times: HashMap<DocId, usize>,
    erased: HashSet<DocId>,
}

impl BatchDocuments {
    /// Whether the merge of `id` made on `base` must be made again.
    fn stale(&self, id: &DocId, base: Option<&Vec<ChangeHash>>, current: &HashMap<DocId, Vec<ChangeHash>>) -> bool {
        !self.erased.contains(id) && (self.times.get(id) > Some(&1) || current.get(id) != base)
    }
}

/// What a settled batch gives: each push's outcomes, and the merges to
/// store, each with the index of its push.
#[derive(Debug)]
pub struct Settled {
    pub outcomes: Vec<Vec<Outcome>>,
    pub to_store: Vec<(usize, DocId, Merged)>,
}

impl Batch {
    /// A batch of `pushes`, in the order they came; `erased` holds every
    /// erased record's id.
    pub fn new(pushes: Vec<QueuedPush>, erased: &HashSet<DocId>) -> Self {
        let mut times: HashMap<DocId, usize> = HashMap::new();
        let mut erased_here = HashSet::new();
        for (id, _) in pushes.iter().flat_map(|push| &push.pushed) {
            if erased.contains(id) {
                erased_here.insert(*id);
            } else {
                *times.entry(*id).or_default() += 1;
            }
        }
        Self { pushes, documents: BatchDocuments { times, erased: erased_here } }
    }

    /// The documents whose stored heads [`Self::settle`] needs.
    pub fn documents(&self) -> Vec<DocId> {
        self.documents.times.keys().copied().collect()
    }

    /// Per push, in order, the documents to merge again onto what is
    /// stored now (`current`: the stored heads), with the pusher's rights
    /// and scope.
    pub fn to_merge_again(&self, current: &HashMap<DocId, Vec<ChangeHash>>) -> Vec<(Pushed, Pusher)> {
        self.pushes
            .iter()
            .map(|push| {
                let docs = push.pushed.iter().zip(&push.premerged);
                let stale = docs.filter(|((id, _), (base, _))| self.documents.stale(id, base.as_ref(), current));
                (stale.map(|(doc, _)| doc.clone()).collect(), push.pusher.clone())
            })
            .collect()
    }

    /// The outcome of every pushed document, and the merges to store, from
    /// the stored heads and the merges of [`Self::to_merge_again`]'s
    /// documents (`remerged`, as [`merge_batch`] gives them). A merge a
    /// pusher limited to teams may not make is refused; each merge to
    /// store is noted in `directory` in order, so a participant made
    /// earlier in the batch is known to the placements that follow.
    pub fn settle(
        self,
        current: &HashMap<DocId, Vec<ChangeHash>>,
        remerged: Vec<Vec<DocMerge>>,
        directory: &mut Directory,
    ) -> Result<Settled, MissingMerge> {
        let Batch { pushes, documents } = self;
        let mut remerged: Vec<std::vec::IntoIter<DocMerge>> = remerged.into_iter().map(Vec::into_iter).collect();
        let mut outcomes = Vec::with_capacity(pushes.len());
        let mut to_store = Vec::new();
        for (n, push) in pushes.into_iter().enumerate() {
            let mut push_outcomes = Vec::with_capacity(push.premerged.len());
            for ((id, _), (base, premerged)) in push.pushed.iter().zip(push.premerged) {
                let merge = if documents.erased.contains(id) {
                    Err(Rejection::new(RejectionCode::Erased, "this record was erased and cannot return"))
                } else if documents.stale(id, base.as_ref(), current) {
                    remerged.get_mut(n).and_then(Iterator::next).ok_or(MissingMerge(*id))?
                } else {
                    premerged
                };
                let merge = merge.and_then(|merged| in_scope(&push.pusher, *id, merged, &*directory));
                match merge {
                    Ok(merged) => {
                        push_outcomes.push(Ok(merged.heads()));
                        if !merged.new_changes.is_empty() {
                            directory.note(*id, &merged.record, push.pusher.actor.identity());
                            to_store.push((n, *id, merged));
                        }
                    }
                    Err(rejection) => push_outcomes.push(Err(rejection)),
                }
            }
            outcomes.push(push_outcomes);
        }
        Ok(Settled { outcomes, to_store })
    }
}

/// [`Batch::settle`] was not given the new merge of a document it had to
/// merge again: a bug in the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("document {0} was to be merged again, but its merge is missing")]
pub struct MissingMerge(pub DocId);

/// One change from the log, with its document's heads as of the read.
#[derive(Debug, Clone)]
pub struct LoggedChange {
    pub seq: i64,
    pub doc_id: DocId,
    pub bytes: Vec<u8>,
    pub session_id: Option<i64>,
    pub mentor_session_id: Option<i64>,
    pub doc_heads: Vec<ChangeHash>,
}

/// A page of a pull: the documents with their changes, the cursor to send
/// next, and whether more is waiting.
#[derive(Debug)]
pub struct Page {
    pub pull: Vec<PulledDoc>,
    pub cursor: i64,
    pub more: bool,
}

/// The changes after `cursor` as a reply sends them (`logged`: at most
/// `limits.pull` of them, in log order, in the reader's scope), grouped by
/// document, without the ones `author`'s session pushed itself.
pub fn pull_page(logged: Vec<LoggedChange>, cursor: i64, limits: Limits, author: Author) -> Page {
    let more = logged.len() >= limits.pull;
    let next = logged.last().map_or(cursor, |c| c.seq);
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
    Page { pull: by_doc.into_values().collect(), cursor: next, more }
}

/// A stored document for a bootstrap page, with its latest change's
/// position in the log.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub id: DocId,
    pub snapshot: Vec<u8>,
    pub heads: Vec<ChangeHash>,
    pub seq: i64,
}

/// One page of a new device's bootstrap: `snapshots` are the documents in
/// scope whose latest change is after the cursor, in log order, read until
/// [`Limits::page_full`]; `end` is the log's end, read with them.
///
/// Until the last page, the cursor is the last sent document's position
/// and only more snapshots may follow it; the last page's cursor is the
/// log's end, where change pulls begin. A document that changes meanwhile
/// moves past the cursor and is sent again on a later page.
pub fn bootstrap_page(snapshots: Vec<Snapshot>, end: i64, limits: Limits) -> Page {
    let bytes = snapshots.iter().map(|s| s.snapshot.len()).sum();
    let more = snapshots.last().is_some_and(|last| last.seq < end) && limits.page_full(snapshots.len(), bytes);
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
    Page { pull, cursor, more }
}

/// Up to which log position a change pull's reply lists erasures: to the
/// end of the page, or every erasure so far on the last page (an erasure
/// has a position of its own, after the changes it removed).
pub fn erasures_until(page: &Page) -> i64 {
    if page.more { page.cursor } else { i64::MAX }
}

/// The whole reply: the push results (one per pushed document, in order,
/// with `ids` the pushed documents' wire ids), a page, and for a change
/// pull the erasures listed and the position of the last of them.
pub fn reply(
    ids: &[wire::WireId],
    outcomes: Vec<Outcome>,
    page: Page,
    snapshots: bool,
    erased: Vec<DocId>,
    last_erasure: Option<i64>,
) -> SyncResponse {
    let results = ids
        .iter()
        .zip(outcomes)
        .map(|(id, outcome)| match outcome {
            Ok(heads) => PushResult { id: *id, heads: wire::wire_heads(&heads), rejection: None },
            Err(rejection) => PushResult { id: *id, heads: vec![], rejection: Some(rejection) },
        })
        .collect();
    let cursor = last_erasure.map_or(page.cursor, |seq| seq.max(page.cursor));
    SyncResponse {
        version: wire::WIRE_VERSION,
        results,
        pull: page.pull,
        cursor: u64::try_from(cursor).unwrap_or(0),
        more: page.more,
        snapshots,
        erased: erased.into_iter().map(wire::wire_id).collect(),
        retire_before: None,
        log: None,
        reset: false,
        rescope: false,
    }
}

/// Whether a device's `cursor` counts in this server's log, whose id is
/// `log` and whose newest position is `end`. It does not when the device
/// names another log, or is ahead of the end: it synced with this
/// database before it was restored from an older backup. The device is
/// then answered as a new one (with `reset`), and pushes everything again.
pub fn cursor_counts_in(log: wire::LogId, end: i64, device_log: Option<wire::LogId>, cursor: u64) -> bool {
    device_log.is_none_or(|theirs| theirs == log) && i64::try_from(cursor).is_ok_and(|cursor| cursor <= end)
}
