//! A device's side of sync: its documents, what the server has confirmed,
//! and the cursor into the server's change log. No IO: the caller sends
//! [`DeviceSync::request`] however it can and hands the reply, if one
//! comes, to [`DeviceSync::receive`]. Lost, repeated or reordered replies
//! are harmless: the worst case is sending something twice.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{AutoCommit, ChangeHash};

use super::merge::AnyRecord;
use super::retention;
use super::wire::{
    self, MAX_CHANGES_PER_PUSH, MAX_DOCS_PER_PUSH, PushedDoc, Rejection, RejectionCode, SyncRequest, SyncResponse,
    WIRE_VERSION,
};
use crate::values::{Date, DocId};

/// Where one record is, as its author sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordSyncState {
    /// Only on this device: the server has not confirmed any of it.
    LocalOnly,
    /// Sent; no confirmation yet.
    Sent,
    /// The server has everything this device has.
    Confirmed,
    /// The server refused the last push, for this reason.
    Rejected(Rejection),
}

/// One document on the device.
#[derive(Debug, Clone)]
pub struct LocalDoc {
    pub doc: AutoCommit,
    /// Heads the server is known to have; all changes not behind these
    /// are pushed.
    pub acked: Vec<ChangeHash>,
    /// Heads of the last push not yet answered.
    pub sent: Option<Vec<ChangeHash>>,
    /// The server's reason if it refused the last push.
    pub rejection: Option<Rejection>,
}

/// Everything a device keeps for sync.
#[derive(Debug, Default, Clone)]
pub struct DeviceSync {
    pub docs: BTreeMap<DocId, LocalDoc>,
    /// The last change-log position applied.
    pub cursor: u64,
    /// Part way through a bootstrap: the server is sending snapshots page by
    /// page, and the cursor is only valid for more snapshots.
    pub bootstrapping: bool,
    /// The last request left documents out to stay within the per-push
    /// limits; sync again to send them.
    pub held_back: bool,
    /// Records dropped under the retention rule ([`DeviceSync::retire`]):
    /// changes pulled for them later are ignored, since the device no
    /// longer has the history they build on.
    pub retired: BTreeSet<DocId>,
    /// The server's log that `cursor` counts in, as its last reply named it.
    pub log: Option<wire::LogId>,
    /// Part way through a new bootstrap because what this device may see
    /// changed (`rescope`): the documents it has brought so far.
    pub rescoping: Option<BTreeSet<DocId>>,
    /// Set by the reply that ended a rescope: the confirmed documents it
    /// did not bring, now dropped as no longer for this device. The caller
    /// deletes them from storage after [`Self::receive`].
    pub out_of_scope: Vec<DocId>,
}

fn sorted(mut heads: Vec<ChangeHash>) -> Vec<ChangeHash> {
    heads.sort();
    heads
}

/// Why a reply could not be applied; the device state is unchanged for
/// the documents concerned, and the next sync starts over.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("a pulled change or snapshot for {id} is corrupt: {message}")]
    Corrupt { id: DocId, message: String },
}

impl DeviceSync {
    /// Adds a document made on this device.
    pub fn insert_local(&mut self, id: DocId, doc: AutoCommit) {
        self.docs.insert(id, LocalDoc::new(doc));
    }

    /// The document, for reading or editing. An edit clears a rejection:
    /// the author is trying again.
    pub fn doc_mut(&mut self, id: DocId) -> Option<&mut AutoCommit> {
        self.docs.get_mut(&id).map(|local| {
            local.rejection = None;
            &mut local.doc
        })
    }

    /// The sync state of one record.
    pub fn state(&mut self, id: DocId) -> Option<RecordSyncState> {
        let local = self.docs.get_mut(&id)?;
        let heads = sorted(local.doc.get_heads());
        Some(if let Some(rejection) = &local.rejection {
            RecordSyncState::Rejected(rejection.clone())
        } else if sorted(local.acked.clone()) == heads {
            RecordSyncState::Confirmed
        } else if local.sent.as_ref().is_some_and(|sent| sorted(sent.clone()) == heads) {
            RecordSyncState::Sent
        } else {
            RecordSyncState::LocalOnly
        })
    }

    /// Whether anything is not yet confirmed by the server.
    pub fn has_unconfirmed(&mut self) -> bool {
        let ids: Vec<DocId> = self.docs.keys().copied().collect();
        ids.into_iter().any(|id| self.state(id) != Some(RecordSyncState::Confirmed))
    }

    /// The next request: every change the server is not known to have,
    /// up to the per-push limits, and the cursor. Rejected documents are
    /// not pushed again until they are edited.
    pub fn request(&mut self) -> SyncRequest {
        let mut push = Vec::new();
        let mut change_count = 0;
        self.held_back = false;
        for (id, local) in &mut self.docs {
            if local.rejection.is_some() {
                continue;
            }
            let heads = local.doc.get_heads();
            if sorted(heads.clone()) == sorted(local.acked.clone()) {
                continue;
            }
            let changes = local.doc.get_changes(&local.acked);
            if changes.is_empty() {
                continue;
            }
            if changes.len() > MAX_CHANGES_PER_PUSH {
                // No push could ever carry it; say so rather than retry.
                local.rejection = Some(Rejection::new(
                    RejectionCode::TooLarge,
                    format!("{} unsent changes; at most {MAX_CHANGES_PER_PUSH} fit in one push", changes.len()),
                ));
                continue;
            }
            if push.len() == MAX_DOCS_PER_PUSH || change_count + changes.len() > MAX_CHANGES_PER_PUSH {
                self.held_back = true;
                continue;
            }
            change_count += changes.len();
            push.push(PushedDoc {
                id: wire::wire_id(*id),
                changes: changes.iter().map(|c| c.raw_bytes().to_vec().into()).collect(),
            });
            local.sent = Some(heads);
        }
        SyncRequest { version: WIRE_VERSION, cursor: self.cursor, push, snapshots: self.bootstrapping, log: self.log }
    }

    /// The last request got no reply (no network, or the reply was lost):
    /// what it carried counts as not sent. Sending it again is harmless.
    pub fn no_reply(&mut self) {
        for local in self.docs.values_mut() {
            local.sent = None;
        }
    }

    /// The documents the server says are erased, or refused as erased:
    /// the caller deletes them from storage after [`Self::receive`].
    pub fn erased_by(response: &SyncResponse) -> Vec<DocId> {
        let refused = response
            .results
            .iter()
            .filter(|r| r.rejection.as_ref().is_some_and(|r| r.code == RejectionCode::Erased))
            .map(|r| wire::doc_id(&r.id));
        response.erased.iter().map(wire::doc_id).chain(refused).collect()
    }

    /// Drops the records of placements that ended before `cutoff` and
    /// returns their ids, for the caller to delete from storage. While any
    /// of them holds work the server has not confirmed, nothing is dropped:
    /// the next sync sends it, and the pass after that drops them together.
    /// A record the server refused stays, with its reason, for its author.
    pub fn retire(&mut self, cutoff: Date) -> Vec<DocId> {
        let records: Vec<(DocId, AnyRecord)> = self
            .docs
            .iter_mut()
            .filter_map(|(id, local)| AnyRecord::read(local.doc.document()).ok().map(|record| (*id, record)))
            .collect();
        let retired = retention::retired(records.iter().map(|(id, record)| (*id, record)), cutoff, &self.retired);
        let mut dropped = Vec::new();
        for id in retired {
            match self.state(id) {
                Some(RecordSyncState::Confirmed) => dropped.push(id),
                Some(RecordSyncState::LocalOnly | RecordSyncState::Sent) => return Vec::new(),
                Some(RecordSyncState::Rejected(_)) | None => {}
            }
        }
        for id in &dropped {
            self.docs.remove(id);
            self.retired.insert(*id);
        }
        dropped
    }

    /// Applies the server's reply. Erased records are dropped.
    pub fn receive(&mut self, response: &SyncResponse) -> Result<(), ReceiveError> {
        if response.reset {
            // The server's database was restored from a backup: what it
            // confirmed since may be gone. Every document counts as unknown
            // to it (pushed whole next time; changes it has are skipped),
            // and the cursor starts over in its log.
            for local in self.docs.values_mut() {
                local.acked.clear();
            }
            self.cursor = 0;
        }
        self.out_of_scope.clear();
        if response.rescope {
            // What this device may see changed: a new bootstrap starts,
            // and what it does not bring is no longer for this device.
            self.cursor = 0;
            self.rescoping = Some(BTreeSet::new());
        }
        for pulled in &response.pull {
            let id = wire::doc_id(&pulled.id);
            if let Some(brought) = &mut self.rescoping {
                brought.insert(id);
            }
            if self.retired.contains(&id) {
                continue;
            }
            let corrupt = |message: String| ReceiveError::Corrupt { id, message };
            let mut incoming = Vec::with_capacity(pulled.changes.len());
            for bytes in &pulled.changes {
                incoming.push(super::merge::decode_change(bytes).map_err(corrupt)?);
            }
            let snapshot = match &pulled.snapshot {
                Some(bytes) => Some(AutoCommit::load(bytes).map_err(|e| corrupt(e.to_string()))?),
                None => None,
            };
            let local = self.docs.entry(id).or_insert_with(|| LocalDoc {
                doc: AutoCommit::new(),
                acked: Vec::new(),
                sent: None,
                rejection: None,
            });
            if let Some(mut snapshot) = snapshot {
                local.doc.merge(&mut snapshot).map_err(|e| corrupt(e.to_string()))?;
            }
            local.doc.apply_changes(incoming).map_err(|e| corrupt(e.to_string()))?;
            local.mark_server_has(&wire::heads(&pulled.heads));
        }
        for result in &response.results {
            let id = wire::doc_id(&result.id);
            if result.rejection.as_ref().is_some_and(|r| r.code == RejectionCode::Erased) {
                self.docs.remove(&id);
                continue;
            }
            let Some(local) = self.docs.get_mut(&id) else { continue };
            match &result.rejection {
                // Pushed on top of what the server no longer has (it was
                // restored, or lost the document): the whole history goes
                // with the next request. Refused again with the whole
                // history sent, it is kept as refused.
                Some(rejection)
                    if rejection.code == RejectionCode::MissingDependencies
                        && (response.reset || !local.acked.is_empty()) =>
                {
                    local.acked.clear();
                    local.sent = None;
                }
                Some(rejection) => {
                    local.rejection = Some(rejection.clone());
                    local.sent = None;
                }
                None => {
                    // The server has what we sent; its heads may also hold
                    // others' changes this reply did not bring yet.
                    let sent = local.sent.take();
                    if !local.mark_server_has(&wire::heads(&result.heads))
                        && let Some(sent) = sent
                    {
                        local.mark_server_has(&sent);
                    }
                }
            }
        }
        for id in &response.erased {
            self.docs.remove(&wire::doc_id(id));
        }
        if response.log.is_some() {
            self.log = response.log;
        }
        // Replies may arrive out of order; the cursor only moves forward
        // (from 0 after a reset).
        if response.cursor >= self.cursor {
            self.cursor = response.cursor;
            // Until the last page of snapshots, only more snapshots may
            // follow this cursor: a document not yet sent can hold changes
            // from before it.
            self.bootstrapping = response.snapshots && response.more;
            if response.snapshots && !response.more {
                self.end_rescope();
            }
        }
        Ok(())
    }

    /// At the end of a rescope's bootstrap: drops every confirmed document
    /// it did not bring. Unsent or refused work stays, for its author.
    fn end_rescope(&mut self) {
        let Some(brought) = self.rescoping.take() else { return };
        let held: Vec<DocId> = self.docs.keys().filter(|id| !brought.contains(id)).copied().collect();
        for id in held {
            if self.state(id) == Some(RecordSyncState::Confirmed) {
                self.docs.remove(&id);
                self.out_of_scope.push(id);
            }
        }
    }
}

/// How a device keeps one document between visits (in IndexedDB): CBOR,
/// like the wire format.
#[derive(Debug, Clone, PartialEq, Eq, minicbor::Encode, minicbor::Decode)]
#[cbor(map)]
struct StoredDoc {
    #[n(0)]
    doc: minicbor::bytes::ByteVec,
    #[n(1)]
    acked: Vec<wire::WireHash>,
    #[n(2)]
    rejection: Option<Rejection>,
}

/// Why a stored document could not be read back.
#[derive(Debug, thiserror::Error)]
#[error("a stored document is unreadable: {0}")]
pub struct StoredDocError(String);

impl LocalDoc {
    /// A document made on this device, not yet sent.
    pub fn new(doc: AutoCommit) -> Self {
        Self { doc, acked: Vec::new(), sent: None, rejection: None }
    }

    /// The bytes to keep on the device: the compacted document, the
    /// acknowledged heads and any rejection. Saved without DEFLATE: records
    /// are small, and leaving the compressor out of the phone's wasm saves
    /// 18 KB of download (automerge still reads compressed documents).
    pub fn to_bytes(&mut self) -> Vec<u8> {
        let stored = StoredDoc {
            doc: self.doc.save_nocompress().into(),
            acked: wire::wire_heads(&self.acked),
            rejection: self.rejection.clone(),
        };
        minicbor::to_vec(&stored).unwrap_or_default()
    }

    /// Reads back what [`LocalDoc::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, StoredDocError> {
        let stored: StoredDoc = minicbor::decode(bytes).map_err(|e| StoredDocError(e.to_string()))?;
        let doc = AutoCommit::load(&stored.doc).map_err(|e| StoredDocError(e.to_string()))?;
        Ok(Self { doc, acked: wire::heads(&stored.acked), sent: None, rejection: stored.rejection })
    }

    /// Records that the server's heads are `heads`, if this device has all
    /// of those changes; returns whether it did. The server never loses a
    /// change, so its heads cover everything it was sent before.
    fn mark_server_has(&mut self, heads: &[ChangeHash]) -> bool {
        if heads.is_empty() || heads.iter().any(|h| self.doc.get_change_by_hash(h).is_none()) {
            return false;
        }
        self.acked = heads.to_vec();
        true
    }
}
