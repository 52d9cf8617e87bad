//! The records' JSON Schema, generated from their Rust types, and the shape
//! check that names the field of a pushed document that does not fit it.
//!
//! The schema is served at `GET /api/schema/records.json` and kept in
//! `docs/records.schema.json` (a test keeps the two equal). JSON has fewer
//! kinds of value than Automerge, so every value in the schema also says
//! which Automerge value it is with the annotation `x-automerge`: `str` (a
//! scalar string), `text` (a text object), `uint`, `timestamp` or
//! `boolean`. An optional value is stored as null, not left out: autosurgeon
//! reads an absent key as an error, except for the few fields added after
//! records existed (those are not in `required`).
//!
//! The server reads a pushed document with autosurgeon, which stops at the
//! first value it cannot use and does not say where it was. Only then does
//! [`check`] walk the document against this schema to say which field is
//! wrong and how, so a valid push costs nothing extra.

use std::borrow::Cow;
use std::sync::OnceLock;

use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value as Json, json};

use crate::records::{MentorFeedback, Participant, Placement, RecordKind, Visit, Workplace};
use crate::validation::words::{self, Lang};
use crate::values::{Date, DocId, OrgNumber};

/// Stands in for autosurgeon's `Text` in the schema: a string that is an
/// Automerge text object, so two people can edit it at once.
#[derive(Debug)]
pub struct AutomergeText;

impl JsonSchema for AutomergeText {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "AutomergeText".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "x-automerge": "text",
            "description": "An Automerge text object (in JavaScript a plain string becomes one)."
        })
    }
}

/// Stands in for an `Option<T>` autosurgeon requires to be present: null
/// or a `T`, and required (schemars leaves an `Option` out of `required`).
#[derive(Debug)]
pub struct Nullable<T>(std::marker::PhantomData<T>);

impl<T: JsonSchema> JsonSchema for Nullable<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("Nullable_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <Option<T>>::json_schema(generator)
    }
}

/// The JSON Schema of every record kind (draft 2020-12): one of the five
/// record definitions, chosen by `kind`.
pub fn records() -> &'static Json {
    static SCHEMA: OnceLock<Json> = OnceLock::new();
    SCHEMA.get_or_init(generate)
}

fn generate() -> Json {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let kinds = [
        (RecordKind::Workplace, generator.subschema_for::<Workplace>()),
        (RecordKind::Participant, generator.subschema_for::<Participant>()),
        (RecordKind::Placement, generator.subschema_for::<Placement>()),
        (RecordKind::Visit, generator.subschema_for::<Visit>()),
        (RecordKind::MentorFeedback, generator.subschema_for::<MentorFeedback>()),
    ];
    let mut defs = generator.take_definitions(true);
    let mut one_of = Vec::new();
    for (kind, reference) in kinds {
        let reference = Json::from(reference);
        let name = reference["$ref"].as_str().and_then(|r| r.strip_prefix("#/$defs/")).unwrap_or_default().to_owned();
        // Each definition accepts its own kind only, so `oneOf` picks by it.
        if let Some(properties) = defs.get_mut(&name).and_then(|def| def.get_mut("properties")) {
            properties["kind"] = json!({ "type": "string", "const": kind.as_str() });
        }
        one_of.push(reference);
    }
    let mut defs = Json::Object(defs);
    annotate(&mut defs);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Innom records",
        "description": "The root map of each record's Automerge document. `x-automerge` says which Automerge value each value is: `str` a scalar string, `text` a text object, `uint` an unsigned integer, `timestamp` an Automerge timestamp, `boolean`. Optional values are stored as null; a property not in `required` may also be absent. Beyond this shape, the rules in docs/SYNC.md (Record rules) apply.",
        "oneOf": one_of,
        "$defs": defs,
    })
}

/// Adds `x-automerge` to every scalar value that does not say already.
fn annotate(node: &mut Json) {
    match node {
        Json::Object(map) => {
            if !map.contains_key("x-automerge")
                && let Some(kind) = automerge_kind(map)
            {
                map.insert("x-automerge".into(), kind.into());
            }
            map.values_mut().for_each(annotate);
        }
        Json::Array(items) => items.iter_mut().for_each(annotate),
        _ => {}
    }
}

/// The Automerge value a schema with this `type` (and `format`) is.
fn automerge_kind(schema: &Map<String, Json>) -> Option<&'static str> {
    let types = match schema.get("type")? {
        Json::String(one) => vec![one.as_str()],
        Json::Array(many) => many.iter().filter_map(Json::as_str).collect(),
        _ => return None,
    };
    let unsigned = schema.get("format").and_then(Json::as_str).is_some_and(|f| f.starts_with("uint"));
    types.iter().find_map(|t| match *t {
        "string" => Some("str"),
        "integer" if unsigned => Some("uint"),
        "boolean" => Some("boolean"),
        _ => None,
    })
}

/// One place where a document does not fit the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// Dotted path with list indices, as validation reports it:
    /// `second_meeting.planned`, `follow_ups[0].due`.
    pub field: String,
    pub problem: ShapeProblem,
}

/// What is wrong with the value at a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeProblem {
    /// A required key is absent (`nullable`: write null for "none").
    Missing { nullable: bool },
    /// Another kind of Automerge value: the `x-automerge` names (`str`,
    /// `text`, `uint`, `int`, `timestamp`, `boolean`, `null`, `map`,
    /// `list`, `f64`, `counter`, `bytes`).
    WrongType { found: &'static str, expected: &'static str },
    /// A string outside a closed vocabulary.
    NotOneOf { found: String, allowed: Vec<String> },
    /// A string that does not parse as its `format` (`date`, `uuid`,
    /// `org-number`).
    NotFormat { found: String, format: &'static str },
    /// An unsigned integer above what the field holds.
    TooBig { found: u64, max: u64 },
}

impl ShapeError {
    /// `field: what is wrong`, for programs and logs.
    pub fn english(&self) -> String {
        format!("{}: {}", self.field, self.problem.describe(Lang::En))
    }

    /// One sentence with the field as the forms name it.
    pub fn sentence(&self, lang: Lang) -> String {
        format!("{} {}.", words::field_name(lang, &self.field), self.problem.describe(lang))
    }
}

impl ShapeProblem {
    fn describe(&self, lang: Lang) -> String {
        let nb = lang == Lang::Nb;
        match self {
            Self::Missing { nullable: false } => if nb { "mangler" } else { "missing" }.to_owned(),
            Self::Missing { nullable: true } => {
                if nb { "mangler (skriv null når den er tom)" } else { "missing (write null for none)" }.to_owned()
            }
            Self::WrongType { found, expected } => {
                let (found, expected) = (value_name(found, lang), value_name(expected, lang));
                let hint = hint(self, lang);
                if nb {
                    format!("er {found} der det skal være {expected}{hint}")
                } else {
                    format!("{found} where {expected} is expected{hint}")
                }
            }
            Self::NotOneOf { found, allowed } => {
                let allowed = allowed.join(", ");
                if nb {
                    format!("«{}» er ikke en av {allowed}", shorten(found))
                } else {
                    format!("{:?} is not one of {allowed}", shorten(found))
                }
            }
            Self::NotFormat { found, format } => {
                let what = match (*format, nb) {
                    ("date", true) => "en dato (ÅÅÅÅ-MM-DD)",
                    ("date", false) => "a date (YYYY-MM-DD)",
                    ("uuid", true) => "en UUID",
                    ("uuid", false) => "a UUID",
                    ("org-number", true) => "et organisasjonsnummer (ni sifre med riktig kontrollsiffer)",
                    ("org-number", false) => "an organisation number (nine digits with a valid check digit)",
                    (other, _) => other,
                };
                if nb {
                    format!("«{}» er ikke {what}", shorten(found))
                } else {
                    format!("{:?} is not {what}", shorten(found))
                }
            }
            Self::TooBig { found, max } => {
                if nb {
                    format!("{found} er større enn {max}")
                } else {
                    format!("{found} is above {max}")
                }
            }
        }
    }
}

/// How to write the expected value with the JavaScript library, where the
/// mistake is an easy one to make there.
fn hint(problem: &ShapeProblem, lang: Lang) -> &'static str {
    let ShapeProblem::WrongType { found, expected } = problem else { return "" };
    match (*found, *expected, lang) {
        ("text", "str", Lang::En) => " (in JavaScript, wrap the string in new ImmutableString(…))",
        ("text", "str", Lang::Nb) => " (i JavaScript: pakk teksten inn i new ImmutableString(…))",
        ("int" | "f64", "uint", Lang::En) => " (in JavaScript, write new Uint(n))",
        ("int" | "f64", "uint", Lang::Nb) => " (i JavaScript: skriv new Uint(n))",
        ("map", "uint", Lang::En) => {
            " (in JavaScript, assign new Uint(n) to the key or index itself, not inside a literal)"
        }
        ("map", "uint", Lang::Nb) => {
            " (i JavaScript: sett new Uint(n) rett på nøkkelen eller plassen, ikke inne i en literal)"
        }
        (_, "timestamp", Lang::En) => " (in JavaScript, a Date)",
        (_, "timestamp", Lang::Nb) => " (i JavaScript: en Date)",
        _ => "",
    }
}

fn value_name(kind: &str, lang: Lang) -> &str {
    let nb = lang == Lang::Nb;
    match kind {
        "str" if nb => "en enkel tekstverdi",
        "str" => "a scalar string",
        "text" if nb => "et Automerge-tekstobjekt",
        "text" => "an Automerge text object",
        "uint" if nb => "et heltall uten fortegn (uint)",
        "uint" => "an unsigned integer (uint)",
        "int" if nb => "et heltall med fortegn (int)",
        "int" => "a signed integer (int)",
        "timestamp" if nb => "et tidsstempel",
        "timestamp" => "a timestamp",
        "boolean" if nb => "true eller false",
        "boolean" => "true or false",
        "map" if nb => "et map",
        "map" => "a map",
        "list" if nb => "en liste",
        "list" => "a list",
        "f64" if nb => "et desimaltall",
        "f64" => "a float",
        other => other,
    }
}

fn shorten(text: &str) -> Cow<'_, str> {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// Every place where `doc` does not fit its kind's schema; empty if it
/// fits. A document whose `kind` is unknown gets one problem on `kind`.
pub fn check(doc: &Automerge) -> Vec<ShapeError> {
    let schema = records();
    let mut walker = Walker { doc, defs: &schema["$defs"], errors: Vec::new() };
    let kinds: Vec<&Json> =
        schema["oneOf"].as_array().map(|refs| refs.iter().map(|r| walker.resolve(r)).collect()).unwrap_or_default();
    let allowed =
        || kinds.iter().filter_map(|def| def["properties"]["kind"]["const"].as_str().map(str::to_owned)).collect();
    match doc.get(ROOT, "kind") {
        Ok(Some((Value::Scalar(kind), _))) => match kind.as_ref() {
            ScalarValue::Str(kind) => {
                match kinds.iter().find(|def| def["properties"]["kind"]["const"] == kind.as_str()) {
                    Some(def) => walker.object(def, &ROOT, ""),
                    None => walker.fail("kind", ShapeProblem::NotOneOf { found: kind.to_string(), allowed: allowed() }),
                }
            }
            other => walker.fail("kind", ShapeProblem::WrongType { found: scalar_kind(other), expected: "str" }),
        },
        Ok(Some((Value::Object(object), _))) => {
            walker.fail("kind", ShapeProblem::WrongType { found: object_kind(object), expected: "str" });
        }
        _ => walker.fail("kind", ShapeProblem::Missing { nullable: false }),
    }
    walker.errors
}

/// Walks a document beside its schema, collecting what does not fit.
struct Walker<'a> {
    doc: &'a Automerge,
    defs: &'a Json,
    errors: Vec<ShapeError>,
}

impl<'a> Walker<'a> {
    fn fail(&mut self, field: &str, problem: ShapeProblem) {
        self.errors.push(ShapeError { field: field.to_owned(), problem });
    }

    /// Follows a `$ref` into `$defs`.
    fn resolve(&self, schema: &'a Json) -> &'a Json {
        match schema.get("$ref").and_then(Json::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
            Some(name) => &self.defs[name],
            None => schema,
        }
    }

    fn allows_null(&self, schema: &'a Json) -> bool {
        let schema = self.resolve(schema);
        let typed_null = match &schema["type"] {
            Json::String(one) => one == "null",
            Json::Array(many) => many.iter().any(|t| t == "null"),
            _ => false,
        };
        typed_null || schema["anyOf"].as_array().is_some_and(|branches| branches.iter().any(|b| self.allows_null(b)))
    }

    fn object(&mut self, schema: &'a Json, obj: &ObjId, path: &str) {
        let required = |key: &str| schema["required"].as_array().is_some_and(|r| r.iter().any(|k| k == key));
        let Some(properties) = schema["properties"].as_object() else { return };
        for (key, property) in properties {
            let field = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            match self.doc.get(obj, key.as_str()) {
                Ok(Some((value, id))) => self.value(property, &value, &id, &field),
                _ if required(key) => self.fail(&field, ShapeProblem::Missing { nullable: self.allows_null(property) }),
                _ => {}
            }
        }
    }

    fn value(&mut self, schema: &'a Json, value: &Value<'_>, id: &ObjId, field: &str) {
        let schema = self.resolve(schema);
        if let Some(branches) = schema["anyOf"].as_array() {
            // `Option<T>`: null, or what the other branch says.
            if is_null(value) && self.allows_null(schema) {
                return;
            }
            if let Some(branch) = branches.iter().find(|b| b["type"] != "null") {
                self.value(branch, value, id, field);
            }
            return;
        }
        if is_null(value) && self.allows_null(schema) {
            return;
        }
        let expected = match schema["x-automerge"].as_str() {
            Some("str") => "str",
            Some("text") => "text",
            Some("uint") => "uint",
            Some("timestamp") => "timestamp",
            Some("boolean") => "boolean",
            _ => match schema["type"].as_str() {
                Some("object") => "map",
                Some("array") => "list",
                _ => return,
            },
        };
        let found = match value {
            Value::Object(object) => object_kind(*object),
            Value::Scalar(scalar) => scalar_kind(scalar),
        };
        if found != expected {
            return self.fail(field, ShapeProblem::WrongType { found, expected });
        }
        match (expected, value) {
            ("str", Value::Scalar(scalar)) => {
                if let ScalarValue::Str(text) = scalar.as_ref() {
                    self.string(schema, text, field);
                }
            }
            ("uint", Value::Scalar(scalar)) => {
                if let ScalarValue::Uint(n) = scalar.as_ref() {
                    let max = match schema["format"].as_str() {
                        Some("uint8") => u8::MAX.into(),
                        Some("uint16") => u16::MAX.into(),
                        Some("uint32") => u32::MAX.into(),
                        _ => u64::MAX,
                    };
                    if *n > max {
                        self.fail(field, ShapeProblem::TooBig { found: *n, max });
                    }
                }
            }
            ("map", _) => self.object(schema, id, field),
            ("list", _) => {
                let items = &schema["items"];
                for index in 0..self.doc.length(id) {
                    if let Ok(Some((item, item_id))) = self.doc.get(id, index) {
                        self.value(items, &item, &item_id, &format!("{field}[{index}]"));
                    }
                }
            }
            _ => {}
        }
    }

    fn string(&mut self, schema: &Json, text: &str, field: &str) {
        if let Some(allowed) = schema["enum"].as_array()
            && !allowed.iter().any(|a| a == text)
        {
            let allowed = allowed.iter().filter_map(|a| a.as_str().map(str::to_owned)).collect();
            return self.fail(field, ShapeProblem::NotOneOf { found: text.to_owned(), allowed });
        }
        if let Some(expected) = schema["const"].as_str()
            && expected != text
        {
            return self
                .fail(field, ShapeProblem::NotOneOf { found: text.to_owned(), allowed: vec![expected.to_owned()] });
        }
        let (format, parses) = match schema["format"].as_str() {
            Some("date") => ("date", Date::parse(text).is_some()),
            Some("uuid") => ("uuid", DocId::parse(text).is_some()),
            Some("org-number") => ("org-number", OrgNumber::parse(text).is_ok()),
            _ => return,
        };
        if !parses {
            self.fail(field, ShapeProblem::NotFormat { found: text.to_owned(), format });
        }
    }
}

fn is_null(value: &Value<'_>) -> bool {
    matches!(value, Value::Scalar(scalar) if matches!(scalar.as_ref(), ScalarValue::Null))
}

fn object_kind(object: ObjType) -> &'static str {
    match object {
        ObjType::Map | ObjType::Table => "map",
        ObjType::List => "list",
        ObjType::Text => "text",
    }
}

fn scalar_kind(scalar: &ScalarValue) -> &'static str {
    match scalar {
        ScalarValue::Str(_) => "str",
        ScalarValue::Uint(_) => "uint",
        ScalarValue::Int(_) => "int",
        ScalarValue::Timestamp(_) => "timestamp",
        ScalarValue::Boolean(_) => "boolean",
        ScalarValue::Null => "null",
        ScalarValue::F64(_) => "f64",
        ScalarValue::Counter(_) => "counter",
        ScalarValue::Bytes(_) => "bytes",
        _ => "unknown",
    }
}
