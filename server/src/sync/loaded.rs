//! The documents the writer stored last, kept loaded in memory.
//!
//! A push is merged onto its documents as stored; loading a document from
//! its saved bytes was the largest part of a push's CPU time. The writer
//! hands each edited document it has stored here after the commit, so the
//! next push onto it starts from the loaded document. Nothing here is trusted
//! for correctness: the writer still checks each merge's starting heads
//! against the database and merges again from the stored bytes if they
//! moved, so an entry that is behind costs a merge, never an edit.

use std::sync::{Arc, Mutex, PoisonError};

use automerge::Automerge;
use hashlink::LruCache;
use innom_shared::sync::server::StoredDoc;
use innom_shared::values::DocId;

/// How many documents are kept loaded. A visit record loaded takes about
/// 30 KB (Automerge's in-memory columns, against about 1 KB saved), so
/// this holds the records being worked on across a municipality's phones
/// in about 30 MB.
pub const CAPACITY: usize = 1_000;

/// Recently stored documents, least recently used dropped first.
#[derive(Debug)]
pub struct LoadedDocuments {
    docs: Mutex<LruCache<DocId, Arc<Automerge>>>,
}

impl LoadedDocuments {
    pub fn new(capacity: usize) -> Self {
        Self { docs: Mutex::new(LruCache::new(capacity)) }
    }

    fn docs(&self) -> std::sync::MutexGuard<'_, LruCache<DocId, Arc<Automerge>>> {
        // Each call is one lookup or one insert: a panic cannot leave the
        // cache half-changed.
        self.docs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The documents of `ids` kept here, and the ids of the rest (to be
    /// read from the database).
    pub fn find(&self, ids: &[DocId]) -> (Vec<StoredDoc>, Vec<DocId>) {
        let mut docs = self.docs();
        let (mut found, mut missing) = (Vec::new(), Vec::new());
        for id in ids {
            match docs.get(id) {
                Some(doc) => found.push(StoredDoc::loaded(*id, doc.clone())),
                None => missing.push(*id),
            }
        }
        (found, missing)
    }

    /// Keeps `stored` (just committed, in commit order: a later one of
    /// the same id replaces an earlier).
    pub fn keep(&self, stored: impl IntoIterator<Item = (DocId, Automerge)>) {
        let mut docs = self.docs();
        for (id, doc) in stored {
            docs.insert(id, Arc::new(doc));
        }
    }

    /// Drops `ids` (erased: nothing of them stays in memory).
    pub fn forget(&self, ids: &[DocId]) {
        let mut docs = self.docs();
        for id in ids {
            docs.remove(id);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.docs().len()
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    use super::*;

    fn doc(text: &str) -> Automerge {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "text", text).expect("put");
        doc.document().clone()
    }

    fn id(n: u128) -> DocId {
        DocId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn keeps_the_last_stored_version_and_forgets_the_least_used_and_the_erased() {
        let loaded = LoadedDocuments::new(2);
        let (first, second) = (doc("first"), doc("second"));
        loaded.keep([(id(1), first), (id(1), second.clone()), (id(2), doc("other"))]);
        let (found, missing) = loaded.find(&[id(1), id(3)]);
        assert_eq!(missing, vec![id(3)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].heads, second.get_heads(), "a later store of a document replaces the earlier");
        // 1 was used last, so 2 makes room for 3.
        loaded.keep([(id(3), doc("third"))]);
        assert_eq!(loaded.find(&[id(1), id(2), id(3)]).1, vec![id(2)]);
        loaded.forget(&[id(1)]);
        assert_eq!(loaded.find(&[id(1)]).1, vec![id(1)]);
        assert_eq!(loaded.len(), 1);
    }
}
