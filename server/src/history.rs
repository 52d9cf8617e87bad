//! A record's history for the office: who changed which field, when, from
//! which device, read from the stored change log; and the fields where two
//! people wrote different values concurrently, with every value.
//!
//! The log is replayed change by change; after each one the document is
//! compared with the step before, field by field (nested maps such as
//! `review` one level down, so `review.state` is a field of its own).

use automerge::{AutoSerde, Automerge, Change, ObjType, ReadDoc, ScalarValue, Value};
use innom_shared::api::{Conflict, FieldChange, History, HistoryStep};
use serde_json::Value as Json;

use crate::store::erasures::ChangeEntry;

/// Replays `log` (oldest first, as stored) into a history.
pub fn replay(log: Vec<(ChangeEntry, Vec<u8>)>) -> anyhow::Result<History> {
    let mut doc = Automerge::new();
    let mut before = Json::Object(serde_json::Map::new());
    let mut steps = Vec::with_capacity(log.len());
    for (entry, bytes) in log {
        let change = Change::from_bytes(bytes)?;
        doc.apply_changes([change])?;
        let after = serde_json::to_value(AutoSerde::from(&doc))?;
        let mut fields = Vec::new();
        changed_fields("", &before, &after, 0, &mut fields);
        let ChangeEntry { seq, received_at, username, user_name, device, mentor_link } = entry;
        steps.push(HistoryStep { seq, received_at, username, user_name, device, mentor_link, fields });
        before = after;
    }
    let mut conflicts = Vec::new();
    find_conflicts(&doc, automerge::ROOT, "", 0, &mut conflicts)?;
    Ok(History { kind: String::new(), title: String::new(), names: Default::default(), steps, conflicts })
}

/// How deep nested maps are split into fields of their own.
const DEPTH: usize = 1;

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") }
}

fn changed_fields(prefix: &str, before: &Json, after: &Json, depth: usize, out: &mut Vec<FieldChange>) {
    let (Json::Object(old), Json::Object(new)) = (before, after) else { return };
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (was, is) = (old.get(key), new.get(key));
        if was == is {
            continue;
        }
        let field = join(prefix, key);
        let empty = Json::Object(serde_json::Map::new());
        match (was, is) {
            // A nested map, new or changed: its fields one by one.
            (Some(Json::Object(_)) | None, Some(Json::Object(_))) if depth < DEPTH => {
                changed_fields(&field, was.unwrap_or(&empty), is.unwrap_or(&empty), depth + 1, out);
            }
            _ => out.push(FieldChange { field, value: is.cloned().unwrap_or(Json::Null) }),
        }
    }
}

/// A scalar as the history shows it.
pub fn scalar(value: &ScalarValue) -> Json {
    match value {
        ScalarValue::Str(s) => Json::from(s.as_str()),
        ScalarValue::Int(n) => Json::from(*n),
        ScalarValue::Uint(n) => Json::from(*n),
        ScalarValue::F64(n) => Json::from(*n),
        ScalarValue::Counter(c) => Json::from(i64::from(c)),
        ScalarValue::Timestamp(t) => Json::from(*t),
        ScalarValue::Boolean(b) => Json::from(*b),
        ScalarValue::Null => Json::Null,
        other => Json::from(other.to_string()),
    }
}

/// Every record id among the values of `history` (a visit's workplace and
/// placements, a placement's participant, …), for naming them.
pub fn referenced_ids(history: &History) -> std::collections::BTreeSet<innom_shared::values::DocId> {
    fn collect(value: &Json, out: &mut std::collections::BTreeSet<innom_shared::values::DocId>) {
        match value {
            Json::String(text) if text.len() == 36 => out.extend(innom_shared::values::DocId::parse(text)),
            Json::Array(items) => items.iter().for_each(|item| collect(item, out)),
            Json::Object(fields) => fields.values().for_each(|field| collect(field, out)),
            _ => {}
        }
    }
    let mut ids = std::collections::BTreeSet::new();
    for field in history.steps.iter().flat_map(|step| &step.fields) {
        // A record's own id names nothing else.
        if field.field != "id" {
            collect(&field.value, &mut ids);
        }
    }
    ids
}

/// Whether a document holds values nobody has chosen between; decided
/// with the merge, on the pushing request's thread (see `shared`).
pub use innom_shared::sync::merge::has_conflicts;

fn find_conflicts(
    doc: &Automerge,
    obj: automerge::ObjId,
    prefix: &str,
    depth: usize,
    out: &mut Vec<Conflict>,
) -> anyhow::Result<()> {
    for key in doc.keys(&obj) {
        let field = join(prefix, &key);
        let values = doc.get_all(&obj, key.as_str())?;
        if values.len() > 1 {
            let values = values
                .iter()
                .map(|(value, id)| match value {
                    Value::Scalar(s) => scalar(s),
                    Value::Object(ObjType::Text) => Json::from(doc.text(id).unwrap_or_default()),
                    Value::Object(_) => Json::from("(…)"),
                })
                .collect();
            out.push(Conflict { field, values });
        } else if let Some((Value::Object(ObjType::Map), child)) = values.into_iter().next()
            && depth < DEPTH
        {
            find_conflicts(doc, child, &field, depth + 1, out)?;
        }
    }
    Ok(())
}
