//! The `documents` and `changes` tables: snapshots, and the append-only
//! change log that devices pull from.

use std::collections::HashMap;

use automerge::{Automerge, Change, ChangeHash};
use innom_shared::records::RecordKind;
pub use innom_shared::sync::server::{Author, LoggedChange, Scope, StoredDoc};
use innom_shared::sync::server::{Limits, Snapshot};
use innom_shared::sync::wire;
use innom_shared::sync::{AnyRecord, Merged};
use innom_shared::values::DocId;
use serde_json::{Value, json};
use sqlx::{Sqlite, Transaction};

use super::projections::Projection;
use super::{Db, now_millis};

/// The bind values of the scope filter every pull query carries: a
/// mentor's `(? IS NULL OR (kind = 'mentor_feedback' AND placement = ? AND
/// created_by = ?))`, and the teams' (a JSON array; `NULL` for any) that
/// a document's `document_teams` row must name (or be for everyone).
struct ScopeFilter<'a> {
    placement: Option<Vec<u8>>,
    created_by: Option<&'a str>,
    teams: Option<String>,
}

fn scope_filter(scope: &Scope) -> ScopeFilter<'_> {
    match scope {
        Scope::All => ScopeFilter { placement: None, created_by: None, teams: None },
        Scope::Teams(teams) => ScopeFilter {
            placement: None,
            created_by: None,
            teams: Some(serde_json::to_string(teams).unwrap_or_else(|_| "[]".into())),
        },
        Scope::MentorFeedback { placement, created_by } => {
            ScopeFilter { placement: Some(id_bytes(*placement)), created_by: Some(created_by), teams: None }
        }
    }
}

pub(crate) fn id_bytes(id: DocId) -> Vec<u8> {
    id.0.as_bytes().to_vec()
}

/// A record id as the 16 bytes the tables key it by.
pub fn id_bytes_of(id: DocId) -> Vec<u8> {
    id_bytes(id)
}

/// An id as the hex that the JSON-array statements turn back with `unhex`.
pub(crate) fn hex_id(id: DocId) -> String {
    id.0.simple().to_string()
}

pub(crate) fn doc_id(bytes: &[u8]) -> Option<DocId> {
    uuid::Uuid::from_slice(bytes).ok().map(DocId)
}

/// Heads as stored: sorted hashes, concatenated.
pub fn encode_heads(heads: &[ChangeHash]) -> Vec<u8> {
    let mut sorted = heads.to_vec();
    sorted.sort();
    sorted.iter().flat_map(|h| h.0).collect()
}

/// Heads from their stored form.
pub fn decode_heads(bytes: &[u8]) -> Vec<ChangeHash> {
    bytes.chunks_exact(32).filter_map(|c| <[u8; 32]>::try_from(c).ok()).map(ChangeHash).collect()
}

/// Loads the stored document, if any.
pub async fn load(db: &Db, id: DocId) -> anyhow::Result<Option<Automerge>> {
    let id = id_bytes(id);
    let snapshot = sqlx::query_scalar!("SELECT snapshot FROM documents WHERE id = ?", id).fetch_optional(db).await?;
    Ok(match snapshot {
        Some(bytes) => Some(Automerge::load(bytes.as_slice())?),
        None => None,
    })
}

/// One bind value for any number of ids: a JSON array of their hex.
fn json_ids(ids: &[DocId]) -> anyhow::Result<String> {
    Ok(serde_json::to_string(&ids.iter().map(|id| hex_id(*id)).collect::<Vec<_>>())?)
}

/// The stored snapshots and heads of those of `ids` that exist, read in
/// one query.
pub async fn snapshots_of(db: impl sqlx::SqliteExecutor<'_>, ids: &[DocId]) -> anyhow::Result<Vec<StoredDoc>> {
    let ids = json_ids(ids)?;
    let rows = sqlx::query!(
        "SELECT id, snapshot, heads FROM documents WHERE id IN (SELECT unhex(value) FROM json_each(?))",
        ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(StoredDoc::saved(doc_id(&r.id)?, r.snapshot, decode_heads(&r.heads))))
        .collect())
}

/// The stored heads of those of `ids` that exist, read in one query: the
/// sync writer checks that nothing was stored over a document since a
/// push was merged onto it.
pub async fn heads_of(
    db: impl sqlx::SqliteExecutor<'_>,
    ids: &[DocId],
) -> anyhow::Result<HashMap<DocId, Vec<ChangeHash>>> {
    let ids = json_ids(ids)?;
    let rows = sqlx::query!("SELECT id, heads FROM documents WHERE id IN (SELECT unhex(value) FROM json_each(?))", ids)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|r| Some((doc_id(&r.id)?, decode_heads(&r.heads)))).collect())
}

/// Stores a batch of merges inside `tx`, in order: each document's
/// snapshot and heads, its query-table rows, and each new change appended
/// to the log (a change already present is skipped, so a replay stores
/// nothing). A handful of statements whatever the batch's size: the rows
/// of a table go as one JSON array (see `projections`). Returns the
/// changes that were new, in log order, each with its document's heads.
pub async fn store_merges(
    tx: &mut Transaction<'_, Sqlite>,
    merges: &[(DocId, Merged, Author)],
) -> anyhow::Result<Vec<LoggedChange>> {
    // A document merged twice in one batch is stored as its last merge,
    // projected against what it was before the first.
    let mut latest: Vec<(DocId, &Merged, Option<&AnyRecord>)> = Vec::new();
    let mut position: HashMap<DocId, usize> = HashMap::new();
    // Each new change with its author, to say what a stored change was.
    let mut new: HashMap<(DocId, ChangeHash), (&Change, &Author)> = HashMap::new();
    let mut changes = Vec::new();
    for (id, merged, author) in merges.iter().filter(|(_, merged, _)| !merged.new_changes.is_empty()) {
        match position.get(id) {
            Some(&at) => latest[at].1 = merged,
            None => {
                position.insert(*id, latest.len());
                latest.push((*id, merged, merged.before.as_ref()));
            }
        }
        new.extend(merged.new_changes.iter().map(|change| ((*id, change.hash()), (change, author))));
        changes.extend(merged.new_changes.iter().map(|change| {
            json!({
                "doc_id": hex_id(*id), "hash": hex::encode(change.hash().0), "bytes": hex::encode(change.raw_bytes()),
                "user_id": author.user_id, "session_id": author.session_id,
                "mentor_session_id": author.mentor_session_id,
            })
        }));
    }
    if latest.is_empty() {
        return Ok(Vec::new());
    }
    let documents: Vec<Value> = latest
        .iter()
        .map(|(id, merged, _)| {
            json!({
                "id": hex_id(*id), "kind": merged.record.kind().as_str(), "created_by": merged.record.created_by(),
                "placement": merged.record.feedback_placement().map(hex_id),
                "snapshot": hex::encode(&merged.snapshot), "heads": hex::encode(encode_heads(&merged.heads())),
            })
        })
        .collect();
    let (documents, changes) = (serde_json::to_string(&documents)?, serde_json::to_string(&changes)?);
    let regrouped = RegroupedRecords::before_storing(tx, &latest).await?;
    let now = now_millis();
    // `WHERE true` tells SQLite's parser the `ON CONFLICT` is an upsert.
    sqlx::query!(
        "INSERT INTO documents (id, kind, created_by, placement, snapshot, heads, created_at, updated_at)
         SELECT unhex(d->>'id'), d->>'kind', d->>'created_by', unhex(d->>'placement'), unhex(d->>'snapshot'),
             unhex(d->>'heads'), ?2, ?2
         FROM (SELECT value AS d FROM json_each(?1)) WHERE true
         ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, heads = excluded.heads,
                                        updated_at = excluded.updated_at",
        documents,
        now,
    )
    .execute(&mut **tx)
    .await?;
    let projections: Vec<Projection<'_>> = latest
        .iter()
        .map(|(id, merged, before)| Projection {
            id: *id,
            record: &merged.record,
            before: *before,
            conflicted: merged.conflicted,
        })
        .collect();
    super::projections::project(&mut *tx, &projections).await?;
    let new_participants: Vec<(Vec<u8>, Option<i64>)> = merges
        .iter()
        .filter(|(_, merged, _)| merged.before.is_none() && merged.record.kind() == RecordKind::Participant)
        .map(|(id, _, author)| (id_bytes(*id), author.user_id))
        .collect();
    if !new_participants.is_empty() {
        super::teams::place_new_participants(tx, &new_participants).await?;
    }
    regrouped.after_storing(tx).await?;
    // In push order, so the log's order is the order of arrival.
    // `documents.seq` moves with each new change (trigger in migration 0010).
    let stored = sqlx::query!(
        r#"INSERT INTO changes (doc_id, hash, bytes, user_id, session_id, mentor_session_id, received_at)
           SELECT unhex(c->>'doc_id'), unhex(c->>'hash'), unhex(c->>'bytes'), c->>'user_id', c->>'session_id',
               c->>'mentor_session_id', ?2
           FROM (SELECT key, value AS c FROM json_each(?1)) WHERE true ORDER BY key
           ON CONFLICT (doc_id, hash) DO NOTHING
           RETURNING seq AS "seq!: i64", doc_id, hash"#,
        changes,
        now,
    )
    .fetch_all(&mut **tx)
    .await?;
    // What each new change was, found by its document and hash.
    let mut logged = Vec::with_capacity(stored.len());
    for row in stored {
        let id = doc_id(&row.doc_id);
        let hash = <[u8; 32]>::try_from(row.hash.as_slice()).ok().map(ChangeHash);
        let found = id.zip(hash).and_then(|key| new.get(&key)).zip(id.and_then(|id| position.get(&id)));
        let (Some(((change, author), &at)), Some(id)) = (found, id) else {
            anyhow::bail!("a stored change is not among the batch's");
        };
        logged.push(LoggedChange {
            seq: row.seq,
            doc_id: id,
            bytes: change.raw_bytes().to_vec(),
            session_id: author.session_id,
            mentor_session_id: author.mentor_session_id,
            doc_heads: latest[at].1.heads(),
        });
    }
    logged.sort_by_key(|change| change.seq);
    Ok(logged)
}

/// The highest sequence number in the log (0 when empty).
/// The id of this database's change log (`log_identity`).
pub async fn log_id(db: impl sqlx::SqliteExecutor<'_>) -> anyhow::Result<wire::LogId> {
    let log: Vec<u8> = sqlx::query_scalar("SELECT log FROM log_identity").fetch_one(db).await?;
    let log: [u8; 8] = log.try_into().map_err(|_| anyhow::anyhow!("log_identity.log is not 8 bytes"))?;
    Ok(log.into())
}

/// Gives this database's change log a new id: devices that synced with it
/// start over (see `innom restore`).
pub async fn new_log_id(db: impl sqlx::SqliteExecutor<'_>) -> anyhow::Result<()> {
    sqlx::query("UPDATE log_identity SET log = randomblob(8)").execute(db).await?;
    Ok(())
}

pub async fn last_seq(db: impl sqlx::SqliteExecutor<'_>) -> anyhow::Result<i64> {
    // Erasures take feed positions too (see `erasures`).
    Ok(sqlx::query_scalar!(
        r#"SELECT MAX(COALESCE((SELECT MAX(seq) FROM changes), 0),
                      COALESCE((SELECT MAX(seq) FROM erasures), 0)) AS "seq!: i64""#
    )
    .fetch_one(db)
    .await?)
}

/// One page of a bootstrap: the snapshots of documents whose latest change
/// is after `after`, in log order, until the page is full by `limits`
/// (always at least one). Also returns the log's end, read in the same
/// transaction.
pub async fn snapshots_after(
    db: &Db,
    scope: &Scope,
    after: i64,
    limits: Limits,
) -> anyhow::Result<(Vec<Snapshot>, i64)> {
    use futures_util::TryStreamExt;

    let limit = i64::try_from(limits.page_docs).unwrap_or(i64::MAX);
    let ScopeFilter { placement, created_by, teams } = scope_filter(scope);
    // A read transaction (deferred): the log's end and the rows from one snapshot.
    let mut tx = db.begin().await?;
    let end = last_seq(&mut *tx).await?;
    let mut snapshots = Vec::new();
    let mut bytes = 0;
    {
        let mut rows = sqlx::query!(
            r#"SELECT id, kind, snapshot, heads, seq FROM documents
               WHERE seq > ? AND (? IS NULL OR (kind = 'mentor_feedback' AND placement = ? AND created_by = ?))
                 AND (? IS NULL OR EXISTS (SELECT 1 FROM document_teams t WHERE t.doc_id = documents.id
                        AND (t.team_id IS NULL OR t.team_id IN (SELECT value FROM json_each(?)))))
               ORDER BY seq LIMIT ?"#,
            after,
            placement,
            placement,
            created_by,
            teams,
            teams,
            limit
        )
        .fetch(&mut *tx);
        while let Some(r) = rows.try_next().await? {
            let Some(id) = doc_id(&r.id) else { continue };
            bytes += r.snapshot.len();
            snapshots.push(Snapshot { id, snapshot: r.snapshot, heads: decode_heads(&r.heads), seq: r.seq });
            if limits.page_full(snapshots.len(), bytes) {
                break;
            }
        }
    }
    tx.commit().await?;
    Ok((snapshots, end))
}

/// Up to `limit` changes after `cursor`, in log order, read in one
/// statement so the heads match the changes. A mentor's scope is applied
/// here; a team scope is not (see `sync::pull`).
pub async fn changes_after(db: &Db, scope: &Scope, cursor: i64, limit: i64) -> anyhow::Result<Vec<LoggedChange>> {
    let ScopeFilter { placement, created_by, .. } = scope_filter(scope);
    let rows = sqlx::query!(
        r#"SELECT c.seq AS "seq!", c.doc_id, c.bytes, c.session_id, c.mentor_session_id, d.heads
           FROM changes c JOIN documents d ON d.id = c.doc_id
           WHERE c.seq > ?
             AND (? IS NULL OR (d.kind = 'mentor_feedback' AND d.placement = ? AND d.created_by = ?))
           ORDER BY c.seq LIMIT ?"#,
        cursor,
        placement,
        placement,
        created_by,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(LoggedChange {
                seq: r.seq,
                doc_id: doc_id(&r.doc_id)?,
                bytes: r.bytes,
                session_id: r.session_id,
                mentor_session_id: r.mentor_session_id,
                doc_heads: decode_heads(&r.heads),
            })
        })
        .collect())
}

/// Stored records that may come to concern other teams through a batch: a
/// visit that now names other placements, a placement now for another
/// participant, and the stored records about a placement or participant
/// that arrives only now. Their changes are already in the log, behind the
/// cursors of the phones of a team they now concern, so those phones (and
/// those of a team they no longer concern) are sent their records anew.
struct RegroupedRecords {
    before: HashMap<Vec<u8>, Option<std::collections::BTreeSet<i64>>>,
}

impl RegroupedRecords {
    async fn before_storing(
        tx: &mut Transaction<'_, Sqlite>,
        latest: &[(DocId, &Merged, Option<&AnyRecord>)],
    ) -> anyhow::Result<Self> {
        let (mut docs, mut placements, mut participants) = (Vec::new(), Vec::new(), Vec::new());
        for (id, merged, before) in latest {
            match (before, &merged.record) {
                (Some(AnyRecord::Visit(old)), AnyRecord::Visit(new)) if old.placements != new.placements => {
                    docs.push(id_bytes(*id));
                }
                (Some(AnyRecord::Placement(old)), AnyRecord::Placement(new)) if old.participant != new.participant => {
                    docs.push(id_bytes(*id));
                    placements.push(id_bytes(*id));
                }
                (None, AnyRecord::Placement(_)) => placements.push(id_bytes(*id)),
                (None, AnyRecord::Participant(_)) => participants.push(id_bytes(*id)),
                _ => {}
            }
        }
        if !placements.is_empty() || !participants.is_empty() {
            docs.extend(super::teams::dependents(tx, &placements, &participants).await?);
        }
        let before = if docs.is_empty() { HashMap::new() } else { super::teams::audiences(tx, &docs).await? };
        Ok(Self { before })
    }

    /// Marks the sessions concerned.
    async fn after_storing(self, tx: &mut Transaction<'_, Sqlite>) -> anyhow::Result<()> {
        if self.before.is_empty() {
            return Ok(());
        }
        let docs: Vec<Vec<u8>> = self.before.keys().cloned().collect();
        let after = super::teams::audiences(tx, &docs).await?;
        let mut teams = std::collections::BTreeSet::new();
        for (doc, was) in &self.before {
            if let (Some(was), Some(Some(now))) = (was, after.get(doc)) {
                teams.extend(was.symmetric_difference(now).copied());
            }
        }
        if !teams.is_empty() {
            super::teams::rescope_teams(tx, &teams).await?;
        }
        Ok(())
    }
}
