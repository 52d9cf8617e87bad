//! The records' JSON Schema against what the server reads: a refused shape
//! names its field, and the schema walk agrees with autosurgeon on every
//! document, valid or broken.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use innom_shared::document::DocumentError;
use innom_shared::fixtures;
use innom_shared::schema::{self, ShapeError, ShapeProblem};
use innom_shared::sync::merge::{AnyRecord, merge};
use innom_shared::sync::wire::{Rejection, RejectionCode};
use innom_shared::values::DocId;
use proptest::prelude::*;

fn id(n: u128) -> DocId {
    DocId(uuid::Uuid::from_u128(n))
}

/// A valid record of each kind.
fn records() -> Vec<AnyRecord> {
    let workplace = fixtures::workplace(id(1));
    let participant = fixtures::participant(id(2));
    let placement = fixtures::placement(id(3), participant.id, workplace.id, "2027-03-01");
    let mut visit = fixtures::visit(id(4));
    visit.placements = vec![placement.id];
    let feedback = fixtures::feedback(id(5), placement.id, "mentor:x");
    vec![workplace.into(), participant.into(), placement.into(), visit.into(), feedback.into()]
}

fn document(record: &AnyRecord) -> AutoCommit {
    record.create_document().expect("a valid record writes")
}

/// The rejection a server gives this document, pushed as new.
fn refusal(doc: &mut AutoCommit) -> Rejection {
    let id = AnyRecord::read(doc.document()).map(|r| r.id()).unwrap_or_else(|_| {
        match doc.get(ROOT, "id").expect("readable") {
            Some((Value::Scalar(s), _)) => DocId::parse(&s.to_string().replace('"', "")).expect("an id"),
            _ => panic!("the document has no id"),
        }
    });
    let changes: Vec<Vec<u8>> = doc.get_changes(&[]).into_iter().map(|c| c.raw_bytes().to_vec()).collect();
    match merge(id, None, &changes) {
        Ok(_) => panic!("the document was accepted"),
        Err(rejection) => rejection,
    }
}

fn kind(records: &[AnyRecord], kind: &str) -> AutoCommit {
    document(records.iter().find(|r| r.kind().as_str() == kind).expect("that kind"))
}

#[test]
fn a_visit_without_met_is_refused_naming_met() {
    let mut doc = kind(&records(), "visit");
    doc.delete(ROOT, "met").expect("delete");
    let refused = refusal(&mut doc);
    assert_eq!(refused.code, RejectionCode::InvalidRecord);
    assert_eq!(refused.message, "met: missing");
    assert_eq!(refused.message_nb.as_deref(), Some("Hvem vi møtte mangler."));
}

#[test]
fn a_word_outside_the_vocabulary_is_named_with_the_words_allowed() {
    let mut doc = kind(&records(), "visit");
    doc.put(ROOT, "visit_type", "coffee_break").expect("put");
    assert_eq!(
        refusal(&mut doc).message,
        "visit_type: \"coffee_break\" is not one of drop_in, follow_up_meeting, contract_meeting, mapping_visit, job_interview"
    );
}

#[test]
fn an_impossible_date_names_which_date() {
    let mut doc = kind(&records(), "placement");
    let meeting = match doc.get(ROOT, "second_meeting").expect("read") {
        Some((Value::Object(ObjType::Map), meeting)) => meeting,
        other => panic!("second_meeting is {other:?}"),
    };
    doc.put(&meeting, "planned", "2026-02-30").expect("put");
    let refused = refusal(&mut doc);
    assert_eq!(refused.message, "second_meeting.planned: \"2026-02-30\" is not a date (YYYY-MM-DD)");
    assert_eq!(
        refused.message_nb.as_deref(),
        Some("2. oppfølgingsmøte › Planlagt dato «2026-02-30» er ikke en dato (ÅÅÅÅ-MM-DD).")
    );
}

#[test]
fn text_where_a_string_is_expected_and_int_where_uint_is_are_named_with_a_hint() {
    let mut doc = kind(&records(), "visit");
    let met = doc.put_object(ROOT, "met", ObjType::Text).expect("text");
    doc.splice_text(&met, 0, 0, "daglig leder").expect("splice");
    doc.put(ROOT, "duration_minutes", ScalarValue::Int(45)).expect("int");
    // What `@automerge/automerge` 3.5 makes of a Uint inside a literal.
    let version = doc.put_object(ROOT, "schema_version", ObjType::Map).expect("map");
    doc.put(&version, "value", 1).expect("put");
    let message = refusal(&mut doc).message;
    assert!(
        message.contains(
            "met: an Automerge text object where a scalar string is expected \
             (in JavaScript, wrap the string in new ImmutableString(…))"
        ),
        "{message}"
    );
    assert!(
        message.contains("duration_minutes: a signed integer (int) where an unsigned integer (uint) is expected"),
        "{message}"
    );
    assert!(
        message.contains(
            "schema_version: a map where an unsigned integer (uint) is expected \
             (in JavaScript, assign new Uint(n) to the key or index itself, not inside a literal)"
        ),
        "{message}"
    );
}

#[test]
fn an_absent_optional_field_says_to_write_null() {
    let mut doc = kind(&records(), "placement");
    doc.delete(ROOT, "outcome").expect("delete");
    assert_eq!(refusal(&mut doc).message, "outcome: missing (write null for none)");
}

#[test]
fn fields_added_after_records_existed_may_be_absent() {
    let mut doc = kind(&records(), "visit");
    let review = match doc.get(ROOT, "review").expect("read") {
        Some((Value::Object(ObjType::Map), review)) => review,
        other => panic!("review is {other:?}"),
    };
    doc.delete(&review, "answer").expect("delete");
    assert!(AnyRecord::read(doc.document()).is_ok());
    assert_eq!(schema::check(doc.document()), Vec::<ShapeError>::new());
}

#[test]
fn the_schema_is_draft_2020_12_with_one_definition_per_kind() {
    let schema = schema::records();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["oneOf"].as_array().map(Vec::len), Some(5));
    let visit = &schema["$defs"]["Visit"];
    assert_eq!(visit["properties"]["kind"]["const"], "visit");
    assert_eq!(visit["properties"]["summary"]["x-automerge"], "text");
    assert_eq!(visit["properties"]["met"]["x-automerge"], "str");
    assert_eq!(visit["properties"]["duration_minutes"]["x-automerge"], "uint");
    assert_eq!(visit["properties"]["at"]["x-automerge"], "timestamp");
    let required: Vec<&str> =
        visit["required"].as_array().expect("required").iter().filter_map(|r| r.as_str()).collect();
    assert!(required.contains(&"met") && required.contains(&"review"), "{required:?}");
}

/// Every map key and list index of a document, with its path.
fn places(doc: &AutoCommit) -> Vec<(ObjId, automerge::Prop)> {
    fn walk(doc: &AutoCommit, obj: &ObjId, found: &mut Vec<(ObjId, automerge::Prop)>) {
        let props: Vec<automerge::Prop> = match doc.object_type(obj) {
            Ok(ObjType::Map | ObjType::Table) => doc.keys(obj).map(automerge::Prop::Map).collect(),
            Ok(ObjType::List) => (0..doc.length(obj)).map(automerge::Prop::Seq).collect(),
            _ => Vec::new(),
        };
        for prop in props {
            if let Ok(Some((Value::Object(_), child))) = doc.get(obj, prop.clone()) {
                walk(doc, &child, found);
            }
            found.push((obj.clone(), prop));
        }
    }
    let mut found = Vec::new();
    walk(doc, &ROOT, &mut found);
    found
}

/// What a broken client might write in place of a value.
#[derive(Debug, Clone)]
enum Replacement {
    Delete,
    Str(String),
    Text(String),
    Uint(u64),
    Int(i64),
    Timestamp(i64),
    Bool(bool),
    Null,
    F64(f64),
    Map,
    List,
}

fn replacement() -> impl Strategy<Value = Replacement> {
    // Strings that are valid somewhere: a word of each vocabulary, a date,
    // an id, an organisation number, and some that are valid nowhere.
    let words = prop::sample::select(vec![
        "drop_in",
        "green",
        "not_assessed",
        "unreviewed",
        "active",
        "hotel",
        "likely",
        "b1",
        "2026-11-24",
        "2026-02-30",
        "00000000-0000-4000-8000-000000000001",
        "923609016",
        "923609017",
        "",
        "visit",
        "placement",
        "coffee_break",
    ]);
    prop_oneof![
        Just(Replacement::Delete),
        words.clone().prop_map(|w| Replacement::Str(w.to_owned())),
        words.prop_map(|w| Replacement::Text(w.to_owned())),
        prop_oneof![0..400u64, Just(u64::from(u32::MAX) + 1)].prop_map(Replacement::Uint),
        (-5..400i64).prop_map(Replacement::Int),
        (0..2_000_000_000_000i64).prop_map(Replacement::Timestamp),
        any::<bool>().prop_map(Replacement::Bool),
        Just(Replacement::Null),
        Just(Replacement::F64(1.5)),
        Just(Replacement::Map),
        Just(Replacement::List),
    ]
}

fn replace(doc: &mut AutoCommit, obj: &ObjId, prop: automerge::Prop, with: Replacement) {
    let put = |doc: &mut AutoCommit, value: ScalarValue| doc.put(obj, prop.clone(), value).expect("put");
    match with {
        Replacement::Delete => doc.delete(obj, prop.clone()).expect("delete"),
        Replacement::Str(text) => put(doc, ScalarValue::Str(text.into())),
        Replacement::Text(text) => {
            let made = doc.put_object(obj, prop.clone(), ObjType::Text).expect("text");
            doc.splice_text(&made, 0, 0, &text).expect("splice");
        }
        Replacement::Uint(n) => put(doc, ScalarValue::Uint(n)),
        Replacement::Int(n) => put(doc, ScalarValue::Int(n)),
        Replacement::Timestamp(n) => put(doc, ScalarValue::Timestamp(n)),
        Replacement::Bool(b) => put(doc, ScalarValue::Boolean(b)),
        Replacement::Null => put(doc, ScalarValue::Null),
        Replacement::F64(f) => put(doc, ScalarValue::F64(f)),
        Replacement::Map => {
            doc.put_object(obj, prop.clone(), ObjType::Map).expect("map");
        }
        Replacement::List => {
            doc.put_object(obj, prop.clone(), ObjType::List).expect("list");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// The schema walk finds a problem exactly when autosurgeon cannot
    /// read the document, for one or two values replaced anywhere in a
    /// valid record of any kind.
    #[test]
    fn the_schema_and_the_reader_agree_on_every_shape(
        which in 0..5usize,
        edits in prop::collection::vec((any::<prop::sample::Index>(), replacement()), 1..3),
    ) {
        let mut doc = document(&records()[which]);
        for (at, with) in edits {
            let places = places(&doc);
            if places.is_empty() {
                break;
            }
            let (obj, prop) = places[at.index(places.len())].clone();
            replace(&mut doc, &obj, prop, with);
        }
        let read = AnyRecord::read(doc.document());
        let unreadable = matches!(read, Err(DocumentError::Shape(_)));
        let found = schema::check(doc.document());
        prop_assert_eq!(unreadable, !found.is_empty(), "read: {:?}\nschema: {:?}", read.err(), found);
        for problem in &found {
            prop_assert!(!problem.field.is_empty());
            if let ShapeProblem::WrongType { found, expected } = &problem.problem {
                prop_assert_ne!(found, expected);
            }
        }
    }
}
