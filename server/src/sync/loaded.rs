//! The documents the writer stored last, kept loaded in memory.
//!
//! A push is merged onto its documents as stored; loading a document from
//! its saved bytes was the largest part of a push's CPU time. The writer
//! hands each edited document it has stored here after the commit, so the
//! next push onto it starts from the loaded document. That push takes the
//! document out and merges onto it in place (a copy of each document in
//! flight nearly doubled the server's memory under load); the writer puts
//! the result back once stored. A push that is refused or stores nothing
//! leaves the document out, and the next one reads it from the database.
//! A push onto a document another push has taken reads it from the
//! database too. Nothing here is trusted
//! for correctness: the writer still checks each merge's starting heads
//! against the database and merges again from the stored bytes if they
//! moved, so an entry that is behind costs a merge, never an edit.

use std::sync::{Mutex, PoisonError};

use automerge::Automerge;
use hashlink::LruCache;
use innom_shared::sync::merge::AnyRecord;
#[cfg(test)]
use innom_shared::sync::server::StoredDocument;
use innom_shared::sync::server::{LoadedDoc, StoredDoc};
use innom_shared::values::DocId;

/// How many documents are kept loaded. A visit record loaded takes about
/// 30 KB (Automerge's in-memory columns, against about 1 KB saved), so
/// this holds the records being worked on across a municipality's phones
/// in about 30 MB.
pub const CAPACITY: usize = 1_000;

/// Recently stored documents, least recently used dropped first.
#[derive(Debug)]
pub struct LoadedDocuments {
    docs: Mutex<LruCache<DocId, LoadedDoc>>,
}

impl LoadedDocuments {
    pub fn new(capacity: usize) -> Self {
        Self { docs: Mutex::new(LruCache::new(capacity)) }
    }

    fn docs(&self) -> std::sync::MutexGuard<'_, LruCache<DocId, LoadedDoc>> {
        // Each call is one lookup or one insert: a panic cannot leave the
        // cache half-changed.
        self.docs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the documents of `ids` kept here out, and gives the ids of
    /// the rest (to be read from the database).
    pub fn take(&self, ids: &[DocId]) -> (Vec<StoredDoc>, Vec<DocId>) {
        let mut docs = self.docs();
        let (mut found, mut missing) = (Vec::new(), Vec::new());
        for id in ids {
            match docs.remove(id) {
                Some(doc) => found.push(StoredDoc::loaded(*id, Box::new(doc))),
                None => missing.push(*id),
            }
        }
        (found, missing)
    }

    /// Keeps `stored` with their records and bytes as stored (just
    /// committed, in commit order: a later one of the same id replaces an
    /// earlier).
    pub fn keep(&self, stored: impl IntoIterator<Item = (DocId, Automerge, AnyRecord, Vec<u8>)>) {
        let mut docs = self.docs();
        for (id, doc, record, saved) in stored {
            docs.insert(id, LoadedDoc { doc, record: Some(record), saved });
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
    use innom_shared::document;
    use innom_shared::fixtures::visit;

    use super::*;

    fn id(n: u128) -> DocId {
        DocId(uuid::Uuid::from_u128(n))
    }

    /// Visit `n` as stored, with `summary`.
    fn stored(n: u128, summary: &str) -> (DocId, Automerge, AnyRecord, Vec<u8>) {
        let mut record = visit(id(n));
        record.summary = summary.into();
        let doc = document::create(&record).expect("document").document().clone();
        let saved = doc.save();
        (id(n), doc, AnyRecord::Visit(record), saved)
    }

    #[test]
    fn lends_the_last_stored_version_once_and_forgets_the_least_used_and_the_erased() {
        let loaded = LoadedDocuments::new(2);
        let second = stored(1, "Andre versjon.");
        loaded.keep([stored(1, "Første versjon."), second.clone(), stored(2, "Et annet besøk.")]);
        let (found, missing) = loaded.take(&[id(1), id(3)]);
        assert_eq!(missing, vec![id(3)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].heads, second.1.get_heads(), "a later store of a document replaces the earlier");
        let StoredDocument::Loaded(kept) = &found[0].document else { panic!("not loaded") };
        assert_eq!(kept.record.as_ref(), Some(&second.2), "the record is kept with its document");
        assert_eq!(kept.saved, second.3, "and its bytes as stored");
        assert_eq!(loaded.take(&[id(1)]).1, vec![id(1)], "a document one push has taken is not there for another");
        // Stored again, 1 is the last used, so 3 makes room by dropping 2.
        loaded.keep([stored(1, "Tredje versjon."), stored(3, "Tredje.")]);
        assert_eq!(loaded.take(&[id(2)]).1, vec![id(2)]);
        loaded.forget(&[id(1)]);
        assert_eq!(loaded.take(&[id(1)]).1, vec![id(1)]);
        assert_eq!(loaded.len(), 1);
    }
}
