//! Applying pushed changes to a stored document, as the server's writer
//! does. The input drives real edits to a stored visit (any field, any
//! type of value, made on a fork as a phone would), then may corrupt the
//! resulting change bytes or push raw bytes instead. Every push must be
//! merged or refused with a reason, never panic; whatever is accepted must
//! read back as a valid record with the same id.

#![no_main]

use std::sync::OnceLock;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ROOT, ScalarValue};
use innom_shared::sync::{AnyRecord, merge};
use innom_shared::values::DocId;
use libfuzzer_sys::fuzz_target;

/// Fields a push may touch: real ones, and some that do not exist.
const FIELDS: &[&str] = &[
    "id",
    "kind",
    "schema_version",
    "created_at",
    "created_by",
    "visit_type",
    "workplace",
    "placements",
    "advisor",
    "at",
    "duration_minutes",
    "met",
    "summary",
    "concerns",
    "follow_ups",
    "job_signal",
    "status",
    "review",
    "role",
];

/// A stored visit to merge into, and a phone's copy of it; built once.
fn stored() -> &'static (DocId, Automerge, AutoCommit) {
    static STORED: OnceLock<(DocId, Automerge, AutoCommit)> = OnceLock::new();
    STORED.get_or_init(|| {
        let id = DocId(uuid::Uuid::from_u128(1));
        let mut doc = innom_shared::document::create(&innom_shared::fixtures::visit(id)).expect("a valid visit");
        let stored = doc.document().clone();
        let phone = doc.fork().with_actor(automerge::ActorId::from(b"phone".as_slice()));
        (id, stored, phone)
    })
}

fn value(kind: u8, byte: u8) -> ScalarValue {
    match kind % 6 {
        0 => ScalarValue::Int(i64::from(byte) - 64),
        1 => ScalarValue::Str(["green", "red", "drop_in", "visit", "kari", ""][usize::from(byte) % 6].into()),
        2 => ScalarValue::Null,
        3 => ScalarValue::Boolean(byte % 2 == 0),
        4 => ScalarValue::Bytes(vec![byte; 16]),
        _ => ScalarValue::F64(f64::from(byte) / 3.0),
    }
}

fuzz_target!(|bytes: &[u8]| {
    let (id, doc, phone) = stored();
    let Some((&mode, rest)) = bytes.split_first() else { return };
    let chunks: Vec<Vec<u8>> = if mode % 4 == 3 {
        // Raw bytes, split into chunks at 0xFF.
        rest.split(|b| *b == 0xFF).map(<[u8]>::to_vec).collect()
    } else {
        let mut phone = phone.clone();
        let heads = phone.get_heads();
        for edit in rest.chunks(3).take(16) {
            let [field, kind, byte] = [edit[0], *edit.get(1).unwrap_or(&0), *edit.get(2).unwrap_or(&0)];
            let field = FIELDS[usize::from(field) % FIELDS.len()];
            if kind >= 240 {
                let _ = phone.delete(ROOT, field);
            } else {
                let _ = phone.put(ROOT, field, value(kind, byte));
            }
            phone.commit();
        }
        let mut chunks: Vec<Vec<u8>> = phone.get_changes(&heads).iter().map(|c| c.raw_bytes().to_vec()).collect();
        // Mode 1 flips one byte of the first change; mode 2 cuts it short.
        if let (Some(first), Some(&at)) = (chunks.first_mut(), rest.first()) {
            let at = usize::from(at) % first.len().max(1);
            match mode % 4 {
                1 if !first.is_empty() => first[at] ^= 0x5A,
                2 => first.truncate(at),
                _ => {}
            }
        }
        chunks
    };
    let base = (mode % 8 < 6).then_some(doc);
    if let Ok(merged) = merge::merge(*id, base, &chunks) {
        let read = AnyRecord::read(&merged.doc).expect("an accepted document reads back");
        assert_eq!(read.id(), *id);
    }
});
