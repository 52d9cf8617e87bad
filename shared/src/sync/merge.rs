//! The server's merge of one pushed document: strict, all or nothing.
//!
//! Every change is decoded on its own and its checksum verified, so a
//! truncated or corrupted chunk is refused instead of half-applied. The
//! changes are applied to a copy of the stored document; the result must
//! have no missing dependencies, keep its `id` and `kind`, and hydrate into
//! a valid record. Only then does the caller store anything.

use automerge::{Automerge, Change, ChangeHash, ReadDoc};

use super::wire::{Rejection, RejectionCode};
use crate::document::{self, DocumentError};
use crate::records::{MentorFeedback, Participant, Placement, RecordKind, Visit, Workplace};
use crate::validation::{Validate, words};
use crate::values::DocId;

/// Most changes accepted for one document in one push.
pub const MAX_CHANGES_PER_DOC: usize = 10_000;
/// The largest document the server keeps, as stored.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// A record of any kind, as hydrated from a document.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyRecord {
    Workplace(Workplace),
    Participant(Participant),
    Placement(Placement),
    Visit(Visit),
    MentorFeedback(MentorFeedback),
}

/// Wraps each kind of record, so code generic over [`crate::records::Record`]
/// can hold what it saved beside what it reads.
macro_rules! any_record_from {
    ($($kind:ident),*) => {$(
        impl From<$kind> for AnyRecord {
            fn from(record: $kind) -> Self {
                Self::$kind(record)
            }
        }

        impl TryFrom<AnyRecord> for $kind {
            /// A record of another kind, handed back.
            type Error = AnyRecord;

            fn try_from(record: AnyRecord) -> Result<Self, AnyRecord> {
                match record {
                    AnyRecord::$kind(record) => Ok(record),
                    other => Err(other),
                }
            }
        }
    )*};
}
any_record_from!(Workplace, Participant, Placement, Visit, MentorFeedback);

impl AnyRecord {
    /// Reads and validates the record in `doc`, whatever its kind.
    pub fn read(doc: &Automerge) -> Result<Self, DocumentError> {
        let record = Self::hydrate(doc)?;
        record.validate()?;
        Ok(record)
    }

    /// Checks the record against the rules of its kind.
    pub fn validate(&self) -> Result<(), crate::validation::ValidationErrors> {
        match self {
            Self::Workplace(r) => r.validate(),
            Self::Participant(r) => r.validate(),
            Self::Placement(r) => r.validate(),
            Self::Visit(r) => r.validate(),
            Self::MentorFeedback(r) => r.validate(),
        }
    }

    /// Reads the record in `doc` without checking its rules. For showing
    /// what a phone holds: a merge of two valid edits can break a rule
    /// (one phone empties the summary, another unsets the status), and the
    /// record must still be listed, with the server's reason, so its author
    /// can put it right.
    pub fn hydrate(doc: &Automerge) -> Result<Self, DocumentError> {
        let kind = read_kind(doc).ok_or_else(|| {
            DocumentError::Shape(autosurgeon::HydrateError::unexpected("a known kind", "no kind".into()))
        })?;
        Ok(match kind {
            RecordKind::Workplace => Self::Workplace(autosurgeon::hydrate(doc)?),
            RecordKind::Participant => Self::Participant(autosurgeon::hydrate(doc)?),
            RecordKind::Placement => Self::Placement(autosurgeon::hydrate(doc)?),
            RecordKind::Visit => Self::Visit(autosurgeon::hydrate(doc)?),
            RecordKind::MentorFeedback => Self::MentorFeedback(autosurgeon::hydrate(doc)?),
        })
    }

    /// A new document holding this record.
    pub fn create_document(&self) -> Result<automerge::AutoCommit, autosurgeon::ReconcileError> {
        match self {
            Self::Workplace(r) => document::create(r),
            Self::Participant(r) => document::create(r),
            Self::Placement(r) => document::create(r),
            Self::Visit(r) => document::create(r),
            Self::MentorFeedback(r) => document::create(r),
        }
    }

    /// The record's id.
    pub fn id(&self) -> DocId {
        use crate::records::Record;
        match self {
            Self::Workplace(r) => r.header().id,
            Self::Participant(r) => r.header().id,
            Self::Placement(r) => r.header().id,
            Self::Visit(r) => r.header().id,
            Self::MentorFeedback(r) => r.header().id,
        }
    }

    /// Who created the record (a username, or a mentor's identity).
    pub fn created_by(&self) -> &str {
        use crate::records::Record;
        match self {
            Self::Workplace(r) => r.header().created_by,
            Self::Participant(r) => r.header().created_by,
            Self::Placement(r) => r.header().created_by,
            Self::Visit(r) => r.header().created_by,
            Self::MentorFeedback(r) => r.header().created_by,
        }
    }

    /// When the record was created.
    pub fn created_at(&self) -> crate::values::Timestamp {
        use crate::records::Record;
        match self {
            Self::Workplace(r) => r.header().created_at,
            Self::Participant(r) => r.header().created_at,
            Self::Placement(r) => r.header().created_at,
            Self::Visit(r) => r.header().created_at,
            Self::MentorFeedback(r) => r.header().created_at,
        }
    }

    /// The placement a mentor feedback record is about; `None` for the
    /// other kinds. Mentors may read only feedback on their own placement.
    pub fn feedback_placement(&self) -> Option<DocId> {
        match self {
            Self::MentorFeedback(r) => Some(r.placement),
            _ => None,
        }
    }

    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Workplace(_) => RecordKind::Workplace,
            Self::Participant(_) => RecordKind::Participant,
            Self::Placement(_) => RecordKind::Placement,
            Self::Visit(_) => RecordKind::Visit,
            Self::MentorFeedback(_) => RecordKind::MentorFeedback,
        }
    }
}

/// The `kind` at the root of a document, if it is a known one.
pub fn read_kind(doc: &Automerge) -> Option<RecordKind> {
    root_text(doc, "kind").and_then(|kind| RecordKind::parse(&kind))
}

fn read_id(doc: &Automerge) -> Option<DocId> {
    root_text(doc, "id").and_then(|id| DocId::parse(&id))
}

/// A string at the root of a document. (Matched by hand: the phone's
/// Automerge 2 and the server's Automerge 3 name the accessor differently.)
fn root_text(doc: &Automerge, key: &str) -> Option<String> {
    match doc.get(automerge::ROOT, key).ok()?? {
        (automerge::Value::Scalar(s), _) => match s.as_ref() {
            automerge::ScalarValue::Str(text) => Some(text.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// A successful merge, not yet stored.
#[derive(Debug)]
pub struct Merged {
    /// The document with the pushed changes applied.
    pub doc: Automerge,
    /// The changes the stored document did not have, in application order;
    /// empty for a replay.
    pub new_changes: Vec<Change>,
    /// The record after the merge.
    pub record: AnyRecord,
    /// The record before the merge (`None` for a new document), for
    /// checking who may change what.
    pub before: Option<AnyRecord>,
    /// The document to store ([`stored_bytes`]); empty for a replay
    /// (nothing new).
    pub snapshot: Vec<u8>,
    /// Whether the merged document holds values two people wrote at once
    /// that nobody has chosen between ([`has_conflicts`]); worked out here,
    /// on the pushing request's thread, so the one writer need not.
    pub conflicted: bool,
}

impl Merged {
    pub fn heads(&self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }
}

/// Decodes one change chunk strictly: the whole slice must be one change
/// whose checksum matches its content.
pub fn decode_change(bytes: &[u8]) -> Result<Change, String> {
    let change = Change::try_from(bytes).map_err(|e| e.to_string())?;
    // Chunk layout: 4 magic bytes, then the first 4 bytes of the SHA-256
    // the change hash is. automerge's parser does not compare them.
    if bytes.get(4..8) != Some(&change.hash().0[..4]) {
        return Err("checksum mismatch".into());
    }
    Ok(change)
}

/// A stored document loaded, with its record when that is read already
/// and its bytes as stored when they are at hand.
#[derive(Debug, Clone)]
pub struct LoadedDoc {
    pub doc: Automerge,
    pub record: Option<AnyRecord>,
    /// As stored; empty when not at hand (the merge then saves anew).
    pub saved: Vec<u8>,
}

/// Merges `pushed` change chunks into the stored document of `id`.
pub fn merge(id: DocId, stored: Option<&Automerge>, pushed: &[impl AsRef<[u8]>]) -> Result<Merged, Rejection> {
    merge_onto(id, stored.map(|doc| LoadedDoc { doc: doc.clone(), record: None, saved: Vec::new() }), pushed)
}

/// [`merge`] onto the stored document itself, taken rather than copied
/// (a copy per push was most of the server's memory under load), with its
/// record when that is known already (reading it again was a tenth of a
/// push's work) and its stored bytes, which the new changes are appended
/// to. A refused merge may leave the document half-changed, so it is
/// dropped with the refusal.
pub fn merge_onto(id: DocId, stored: Option<LoadedDoc>, pushed: &[impl AsRef<[u8]>]) -> Result<Merged, Rejection> {
    if pushed.len() > MAX_CHANGES_PER_DOC {
        return Err(Rejection::new(
            RejectionCode::TooLarge,
            format!("{} changes in one push; at most {MAX_CHANGES_PER_DOC}", pushed.len()),
        ));
    }
    let mut changes = Vec::with_capacity(pushed.len());
    for (i, bytes) in pushed.iter().enumerate() {
        let change = decode_change(bytes.as_ref())
            .map_err(|e| Rejection::new(RejectionCode::CorruptChange, format!("change {i}: {e}")))?;
        changes.push(change);
    }

    let (mut doc, before, saved) = match stored {
        Some(LoadedDoc { doc, record: Some(record), saved }) => (doc, Some(record), saved),
        Some(LoadedDoc { doc, record: None, saved }) => {
            let record = AnyRecord::read(&doc).map_err(|e| {
                // A stored document is valid by construction; if not, refuse
                // to build on it rather than spread the damage.
                Rejection::new(RejectionCode::InvalidRecord, format!("the stored document is unreadable: {e}"))
            })?;
            (doc, Some(record), saved)
        }
        None => (Automerge::default(), None, Vec::new()),
    };
    let mut new_changes = Vec::new();
    for change in changes {
        let hash = change.hash();
        if doc.get_change_by_hash(&hash).is_none() && !new_changes.iter().any(|c: &Change| c.hash() == hash) {
            new_changes.push(change);
        }
    }
    doc.apply_changes(new_changes.iter().cloned())
        .map_err(|e| Rejection::new(RejectionCode::CorruptChange, e.to_string()))?;
    let missing = doc.get_missing_deps(&[]);
    if !missing.is_empty() {
        return Err(Rejection::new(
            RejectionCode::MissingDependencies,
            format!("{} change(s) this push depends on are not on the server; push them first", missing.len()),
        ));
    }

    if read_id(&doc) != Some(id) {
        return Err(Rejection::new(RejectionCode::WrongIdentity, format!("the document's id is not {id}")));
    }
    if let Some(before) = &before
        && read_kind(&doc) != Some(before.kind())
    {
        return Err(Rejection::new(RejectionCode::WrongIdentity, "a document's kind cannot change"));
    }
    let record = read_merged(&doc, before.as_ref(), &new_changes).map_err(|e| invalid_record(&doc, e))?;
    let snapshot = if new_changes.is_empty() { Vec::new() } else { stored_bytes(&saved, &doc, &new_changes) };
    if snapshot.len() > MAX_DOCUMENT_BYTES {
        return Err(Rejection::new(RejectionCode::TooLarge, "the document would exceed 4 MiB"));
    }
    // Only the server keeps the query tables the answer is for.
    #[cfg(not(target_arch = "wasm32"))]
    let conflicted = !new_changes.is_empty() && has_conflicts(&doc);
    #[cfg(target_arch = "wasm32")]
    let conflicted = false;
    Ok(Merged { doc, new_changes, record, before, snapshot, conflicted })
}

/// The bytes to store for `doc`, merged from the document stored as
/// `saved` and `new_changes`: `saved` with the new changes appended as
/// change chunks, which Automerge's `load` applies after the document
/// chunk. That costs nothing, where saving the whole document again
/// (compressing every column) was a tenth of a push's CPU. Once the
/// changes appended outweigh the document chunk, or there is none to
/// append to, the document is saved whole, so loading it never replays
/// more than its own size.
pub fn stored_bytes(saved: &[u8], doc: &Automerge, new_changes: &[Change]) -> Vec<u8> {
    let appended: usize = new_changes.iter().map(|change| change.raw_bytes().len()).sum();
    match document_chunk_len(saved) {
        Some(chunk) if saved.len() + appended <= 2 * chunk => {
            let mut bytes = Vec::with_capacity(saved.len() + appended);
            bytes.extend_from_slice(saved);
            for change in new_changes {
                bytes.extend_from_slice(change.raw_bytes());
            }
            bytes
        }
        _ => doc.save(),
    }
}

/// How many bytes of change chunks follow the document chunk `stored`
/// starts with ([`stored_bytes`]); `None` if it does not start with one.
pub fn appended_bytes(stored: &[u8]) -> Option<usize> {
    Some(stored.len().saturating_sub(document_chunk_len(stored)?))
}

/// The length of the document chunk `saved` starts with, or `None` if it
/// does not start with one. (Automerge's binary format: a chunk is 4 magic
/// bytes, 4 of checksum, its type, 0 for a document, and its length as
/// unsigned LEB128 before its contents.)
fn document_chunk_len(saved: &[u8]) -> Option<usize> {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    const DOCUMENT: u8 = 0;
    if saved.get(..4)? != MAGIC || *saved.get(8)? != DOCUMENT {
        return None;
    }
    let (mut len, mut shift) = (0_usize, 0_u32);
    for (i, byte) in saved.get(9..)?.iter().take(4).enumerate() {
        len |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(9 + i + 1 + len);
        }
        shift += 7;
    }
    None
}

/// The record in the merged `doc`: on the server, `before` with only the
/// fields `new_changes` touched read again ([`super::reread`]), else read
/// whole; checked against the rules either way.
fn read_merged(
    doc: &Automerge,
    before: Option<&AnyRecord>,
    new_changes: &[Change],
) -> Result<AnyRecord, DocumentError> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(before) = before
        && let Some(keys) = super::reread::touched_root_keys(doc, new_changes)
        && let Some(record) = super::reread::reread(before, doc, &keys)
    {
        debug_assert_eq!(
            AnyRecord::hydrate(doc).ok().as_ref(),
            Some(&record),
            "reading the fields {keys:?} again differs from reading the whole record"
        );
        record.validate()?;
        return Ok(record);
    }
    #[cfg(target_arch = "wasm32")]
    let _ = (before, new_changes);
    AnyRecord::read(doc)
}

/// Why a merged document is not a valid record, naming each field that is
/// wrong, in English and in bokmål.
fn invalid_record(doc: &Automerge, error: DocumentError) -> Rejection {
    let refused = |english: String, nb: String| Rejection::new(RejectionCode::InvalidRecord, english).with_nb(nb);
    if let DocumentError::Invalid(errors) = &error {
        return refused(errors.to_string(), words::describe(words::Lang::Nb, errors));
    }
    // autosurgeon stops at the first value it cannot read without saying
    // where; the schema walk names every field that is off.
    #[cfg(feature = "schema")]
    if let DocumentError::Shape(_) = &error {
        let found = crate::schema::check(doc);
        if !found.is_empty() {
            let english = found.iter().map(crate::schema::ShapeError::english).collect::<Vec<_>>().join("; ");
            let nb = found.iter().map(|e| e.sentence(words::Lang::Nb)).collect::<Vec<_>>().join(" ");
            return refused(english, nb);
        }
    }
    #[cfg(not(feature = "schema"))]
    let _ = doc;
    Rejection::new(RejectionCode::InvalidRecord, error.to_string())
}

/// Whether any field of `doc`, at the root or one level down
/// (`review.state`, an item of `placements`), holds concurrent values
/// nobody has chosen between: as far as a record's history lists conflicts
/// to choose from (the server's `history::DEPTH`). Reads Automerge's own
/// conflict flag as it ranges over each object once, which costs far less
/// than asking for every key's values.
#[cfg(not(target_arch = "wasm32"))]
pub fn has_conflicts(doc: &Automerge) -> bool {
    use automerge::{ObjId, ObjType, ValueRef};
    let nested = |value: &ValueRef<'_>, id: ObjId| match value {
        ValueRef::Object(ObjType::Map | ObjType::Table) => doc.map_range(&id, ..).any(|item| item.conflict),
        ValueRef::Object(ObjType::List) => doc.list_range(&id, ..).any(|item| item.conflict),
        _ => false,
    };
    doc.map_range(automerge::ROOT, ..)
        .any(|item| item.conflict || (matches!(item.value, ValueRef::Object(_)) && nested(&item.value, item.id())))
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    use super::*;
    use crate::fixtures::visit;

    /// A visit stored as saved, and `edits` single changes a phone makes
    /// to it afterwards, each appending to the summary.
    fn stored_and_edits(edits: usize) -> (DocId, Vec<u8>, Vec<Vec<u8>>) {
        let id = DocId(uuid::Uuid::from_u128(9));
        let mut phone: AutoCommit = document::create(&visit(id)).expect("document");
        let saved = phone.save();
        let mut changes = Vec::new();
        for n in 0..edits {
            let (_, summary) = phone.get(ROOT, "summary").expect("get").expect("summary");
            let end = phone.length(&summary);
            phone.splice_text(&summary, end, 0, " og fadder fulgte opp").expect("splice");
            phone.put(ROOT, "duration_minutes", 30 + n as u64).expect("put");
            phone.commit();
            changes.push(phone.get_last_local_change().expect("change").raw_bytes().to_vec());
        }
        (id, saved, changes)
    }

    #[test]
    fn a_pushs_changes_are_appended_to_the_stored_bytes_which_load_to_the_merged_document() {
        let (id, saved, changes) = stored_and_edits(1);
        let stored = LoadedDoc { doc: Automerge::load(&saved).expect("load"), record: None, saved: saved.clone() };
        let merged = merge_onto(id, Some(stored), &changes).expect("merged");
        assert_eq!(appended_bytes(&saved), Some(0), "a saved document is one document chunk");
        assert_eq!(merged.snapshot[..saved.len()], saved[..], "the stored bytes are kept as they were");
        assert_eq!(appended_bytes(&merged.snapshot), Some(changes[0].len()), "with the change after them");
        let loaded = Automerge::load(&merged.snapshot).expect("the stored bytes load");
        assert_eq!(loaded.get_heads(), merged.heads());
        assert_eq!(AnyRecord::read(&loaded).expect("valid"), merged.record);
    }

    #[test]
    fn appended_changes_are_saved_whole_again_once_they_outweigh_the_document() {
        let (id, saved, changes) = stored_and_edits(40);
        let (mut stored, mut compactions) = (saved, 0);
        for change in &changes {
            let base = LoadedDoc { doc: Automerge::load(&stored).expect("load"), record: None, saved: stored };
            let merged = merge_onto(id, Some(base), std::slice::from_ref(change)).expect("merged");
            let appended = appended_bytes(&merged.snapshot).expect("starts with a document chunk");
            if appended == 0 {
                compactions += 1;
            }
            assert!(appended <= merged.snapshot.len() - appended, "never more appended than the document chunk");
            assert_eq!(Automerge::load(&merged.snapshot).expect("loads").get_heads(), merged.heads());
            stored = merged.snapshot;
        }
        assert!(compactions >= 2, "saved whole again {compactions} times over 40 edits");
    }

    #[test]
    fn bytes_that_do_not_start_with_a_document_chunk_are_saved_anew() {
        let (id, saved, changes) = stored_and_edits(1);
        let doc = Automerge::load(&saved).expect("load");
        for odd in [Vec::new(), changes[0].clone(), b"not automerge at all".to_vec()] {
            assert_eq!(appended_bytes(&odd), None);
            let base = LoadedDoc { doc: doc.clone(), record: None, saved: odd };
            let merged = merge_onto(id, Some(base), &changes).expect("merged");
            assert_eq!(appended_bytes(&merged.snapshot), Some(0), "saved whole");
            assert_eq!(merged.snapshot, merged.doc.save());
        }
    }
}
