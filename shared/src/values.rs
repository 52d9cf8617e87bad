//! Small domain values that are parsed once and then trusted: organisation
//! numbers, dates, timestamps, document ids and the closed vocabularies
//! (enums) that records use.
//!
//! Every value here maps to a plain Automerge scalar (a string, an integer or
//! a timestamp), so that a client written against the official JavaScript
//! Automerge library reads the same documents without knowing Rust.

use std::borrow::Cow;
use std::fmt;

use automerge::{ScalarValue, Value};
use autosurgeon::reconcile::LoadKey;
use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Reconcile, ReconcileError, Reconciler};
use serde::{Deserialize, Serialize};

/// Defines a closed vocabulary stored in documents and JSON as lowercase
/// snake_case strings.
///
/// Generates `ALL`, `as_str`, `parse`, `Display`, serde and autosurgeon
/// impls. The value can be used as a `#[key]` of list items, so that a
/// concern tag added on two phones at once stays one tag.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every value, in the order the interface lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored form of this value.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stored form; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    ::serde::de::Error::unknown_variant(&text, &[$($text),+])
                })
            }
        }

        impl ::autosurgeon::Reconcile for $name {
            type Key<'a> = $name;

            fn reconcile<R: ::autosurgeon::Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
                r.str(self.as_str())
            }

            fn key(&self) -> ::autosurgeon::reconcile::LoadKey<Self::Key<'_>> {
                ::autosurgeon::reconcile::LoadKey::Found(*self)
            }

            fn hydrate_key<'a, D: ::autosurgeon::ReadDoc>(
                doc: &D,
                obj: &::automerge::ObjId,
                prop: ::autosurgeon::Prop<'_>,
            ) -> Result<::autosurgeon::reconcile::LoadKey<Self::Key<'a>>, ::autosurgeon::ReconcileError> {
                $crate::values::hydrate_str_key(doc, obj, prop, $name::parse)
            }
        }

        impl ::autosurgeon::Hydrate for $name {
            fn hydrate<D: ::autosurgeon::ReadDoc>(
                doc: &D,
                obj: &::automerge::ObjId,
                prop: ::autosurgeon::Prop<'_>,
            ) -> Result<Self, ::autosurgeon::HydrateError> {
                $crate::values::hydrate_via_string(doc, obj, prop)
            }

            fn hydrate_string(text: &str) -> Result<Self, ::autosurgeon::HydrateError> {
                $name::parse(text).ok_or_else(|| {
                    ::autosurgeon::HydrateError::unexpected(
                        concat!("a ", stringify!($name)),
                        format!("{text:?}"),
                    )
                })
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::ToSchema for $name {}

        #[cfg(feature = "schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string", "enum": [$($text),+] })
            }
        }
    };
}
pub(crate) use string_enum;

/// Reads a value stored as a string through `String`'s reader. Every
/// string-valued type uses it, so the phone's wasm holds one copy of
/// autosurgeon's dispatch over all value kinds instead of one per type.
pub(crate) fn hydrate_via_string<D: ReadDoc, T: Hydrate>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: Prop<'_>,
) -> Result<T, HydrateError> {
    T::hydrate_string(&String::hydrate(doc, obj, prop)?)
}

/// Reads a string-valued list item key; shared by every string-keyed value.
pub(crate) fn hydrate_str_key<D: ReadDoc, K>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: Prop<'_>,
    parse: impl FnOnce(&str) -> Option<K>,
) -> Result<LoadKey<K>, ReconcileError> {
    Ok(match doc.get(obj, &prop)? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(text) => parse(text).map_or(LoadKey::KeyNotFound, LoadKey::Found),
            _ => LoadKey::KeyNotFound,
        },
        _ => LoadKey::KeyNotFound,
    })
}

/// A record's identity: a UUID, stored as its hyphenated lowercase text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
pub struct DocId(pub uuid::Uuid);

impl DocId {
    /// A new random (v4) id.
    pub fn new_random() -> Self {
        Self(uuid::Uuid::new_v4())
    }

    /// Parses hyphenated or simple UUID text.
    pub fn parse(text: &str) -> Option<Self> {
        uuid::Uuid::try_parse(text).ok().map(Self)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl Reconcile for DocId {
    type Key<'a> = DocId;

    fn reconcile<R: Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        r.str(self.0.hyphenated().to_string())
    }

    fn key(&self) -> LoadKey<Self::Key<'_>> {
        LoadKey::Found(*self)
    }

    fn hydrate_key<'a, D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<LoadKey<Self::Key<'a>>, ReconcileError> {
        hydrate_str_key(doc, obj, prop, DocId::parse)
    }
}

impl Hydrate for DocId {
    fn hydrate<D: ReadDoc>(doc: &D, obj: &automerge::ObjId, prop: Prop<'_>) -> Result<Self, HydrateError> {
        hydrate_via_string(doc, obj, prop)
    }

    fn hydrate_string(text: &str) -> Result<Self, HydrateError> {
        DocId::parse(text).ok_or_else(|| HydrateError::unexpected("a UUID", format!("{text:?}")))
    }
}

/// A point in time: milliseconds since the Unix epoch, UTC. Stored as an
/// Automerge timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Reconcile for Timestamp {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        r.timestamp(self.0)
    }
}

impl Hydrate for Timestamp {
    fn hydrate_timestamp(millis: i64) -> Result<Self, HydrateError> {
        Ok(Self(millis))
    }
}

/// A calendar date without a time zone ("2026-11-24"), stored as ISO 8601 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

impl Date {
    /// Parses `YYYY-MM-DD`; rejects impossible dates such as 2025-02-29.
    /// Written out rather than through `time`'s format descriptions, whose
    /// parser and formatter would add to every phone's download.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            let part = bytes.get(range)?;
            part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
        };
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = i32::try_from(digits(0..4)?).ok()?;
        let month = u8::try_from(digits(5..7)?).ok()?;
        let day = u8::try_from(digits(8..10)?).ok()?;
        Self::from_ymd(year, month, day)
    }

    /// Builds a date from its parts; `None` if it does not exist.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Self> {
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day).ok().map(Self)
    }

    /// The same day `months` calendar months earlier, or the month's last
    /// day if it is shorter (31 May less 3 months is 28 or 29 February).
    pub fn months_before(self, months: u32) -> Self {
        let index = i64::from(self.0.year()) * 12 + i64::from(u8::from(self.0.month())) - 1 - i64::from(months);
        let year = i32::try_from(index.div_euclid(12)).unwrap_or(i32::MIN);
        let month =
            time::Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(time::Month::January);
        let day = self.0.day().min(time::util::days_in_month(month, year));
        time::Date::from_calendar_date(year, month, day).map_or(self, Self)
    }

    /// The day `weeks` weeks later (a placement's usual length is counted in
    /// weeks).
    pub fn weeks_after(self, weeks: u16) -> Self {
        Self(self.0.saturating_add(time::Duration::weeks(i64::from(weeks))))
    }

    /// The ISO 8601 text, as stored.
    pub fn to_iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }

    /// Norwegian short form, `24.11.2026`.
    pub fn to_norwegian(self) -> String {
        format!("{:02}.{:02}.{}", self.0.day(), u8::from(self.0.month()), self.0.year())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Reconcile for Date {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        r.str(self.to_iso())
    }
}

impl Hydrate for Date {
    fn hydrate<D: ReadDoc>(doc: &D, obj: &automerge::ObjId, prop: Prop<'_>) -> Result<Self, HydrateError> {
        hydrate_via_string(doc, obj, prop)
    }

    fn hydrate_string(text: &str) -> Result<Self, HydrateError> {
        Date::parse(text).ok_or_else(|| HydrateError::unexpected("a date (YYYY-MM-DD)", format!("{text:?}")))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom("expected a date YYYY-MM-DD"))
    }
}

/// A Norwegian organisation number (organisasjonsnummer): nine digits whose
/// last digit is a modulus-11 check digit over the first eight.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgNumber(String);

/// Why a text is not an organisation number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OrgNumberError {
    /// Not exactly nine digits (spaces are allowed between groups).
    #[error("an organisation number has exactly nine digits")]
    NotNineDigits,
    /// Nine digits, but the check digit does not match.
    #[error("the check digit does not match: check the number for typos")]
    BadCheckDigit,
}

impl OrgNumber {
    /// The weights Brønnøysundregistrene uses for the check digit.
    const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

    /// Parses nine digits, ignoring spaces ("923 609 016" is accepted), and
    /// verifies the mod-11 check digit.
    pub fn parse(text: &str) -> Result<Self, OrgNumberError> {
        let digits: Vec<u32> = text
            .chars()
            .filter(|c| *c != ' ')
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()
            .ok_or(OrgNumberError::NotNineDigits)?;
        let [body @ .., check] = digits.as_slice() else {
            return Err(OrgNumberError::NotNineDigits);
        };
        if digits.len() != 9 {
            return Err(OrgNumberError::NotNineDigits);
        }
        let sum: u32 = body.iter().zip(Self::WEIGHTS).map(|(d, w)| d * w).sum();
        // Remainder 0 gives check digit 0; remainder 1 would need "10", so
        // such numbers are never issued and are rejected here.
        let expected = match 11 - sum % 11 {
            11 => 0,
            10 => return Err(OrgNumberError::BadCheckDigit),
            digit => digit,
        };
        if *check != expected {
            return Err(OrgNumberError::BadCheckDigit);
        }
        Ok(Self(digits.iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect()))
    }

    /// The nine digits without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for reading: `923 609 016`.
    pub fn grouped(&self) -> String {
        format!("{} {} {}", &self.0[0..3], &self.0[3..6], &self.0[6..9])
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Reconcile for OrgNumber {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        r.str(&self.0)
    }
}

impl Hydrate for OrgNumber {
    fn hydrate<D: ReadDoc>(doc: &D, obj: &automerge::ObjId, prop: Prop<'_>) -> Result<Self, HydrateError> {
        hydrate_via_string(doc, obj, prop)
    }

    fn hydrate_string(text: &str) -> Result<Self, HydrateError> {
        OrgNumber::parse(text).map_err(|e| HydrateError::unexpected("an organisation number", e.to_string()))
    }
}

/// Makes `text` read `wanted` with one splice over the part that differs
/// (the common start and end are kept), so an edit merges with what
/// others typed elsewhere in the same text. A full text diff would bring
/// Unicode segmentation tables into the phone's download; typing changes
/// one stretch at a time, which this covers.
pub fn retype(text: &mut autosurgeon::Text, wanted: &str) {
    let old = text.as_str();
    let same_start = old
        .char_indices()
        .zip(wanted.chars())
        .find(|((_, a), b)| a != b)
        .map_or_else(|| old.len().min(wanted.len()), |((at, _), _)| at);
    // The common end, not overlapping the common start in either text.
    let same_end = old[same_start..]
        .chars()
        .rev()
        .zip(wanted[same_start..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let removed = old.len() - same_start - same_end;
    let inserted = &wanted[same_start..wanted.len() - same_end];
    if removed > 0 || !inserted.is_empty() {
        let inserted = inserted.to_owned();
        text.splice(same_start, removed as isize, inserted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_number_accepts_a_valid_number_with_or_without_spaces() {
        // 923609016 is Equinor ASA's organisation number.
        assert_eq!(OrgNumber::parse("923609016").map(|n| n.grouped()), Ok("923 609 016".into()));
        assert_eq!(OrgNumber::parse("923 609 016").map(|n| n.to_string()), Ok("923609016".into()));
        // 974760673 is Brønnøysundregistrene itself.
        assert!(OrgNumber::parse("974760673").is_ok());
    }

    #[test]
    fn org_number_rejects_a_wrong_check_digit() {
        assert_eq!(OrgNumber::parse("923609017"), Err(OrgNumberError::BadCheckDigit));
    }

    #[test]
    fn org_number_rejects_a_number_whose_check_digit_would_be_ten() {
        // Body "40000000": 4 · 3 = 12, remainder 1, so the check digit would
        // be 10. No such number is issued, whatever its last digit.
        for check in 0..=9 {
            assert_eq!(OrgNumber::parse(&format!("40000000{check}")), Err(OrgNumberError::BadCheckDigit));
        }
    }

    #[test]
    fn org_number_rejects_wrong_length_and_letters() {
        for text in ["", "92360901", "9236090160", "92360901x", "923-609-016"] {
            assert_eq!(OrgNumber::parse(text), Err(OrgNumberError::NotNineDigits), "{text}");
        }
    }

    #[test]
    fn date_rejects_impossible_dates_and_other_formats() {
        assert!(Date::parse("2024-02-29").is_some());
        for text in [
            "2025-02-29",
            "2025-13-01",
            "24.11.2026",
            "2026-11-24T10:00",
            "",
            "2026-1-01",
            "2026-01-1x",
            " 2026-01-01",
            "+2026-01-01",
            "2026-00-10",
        ] {
            assert!(Date::parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn date_prints_in_iso_and_norwegian_form() {
        let date = Date::from_ymd(2026, 3, 4).expect("valid date");
        assert_eq!(date.to_iso(), "2026-03-04");
        assert_eq!(date.to_norwegian(), "04.03.2026");
    }

    #[test]
    fn doc_id_round_trips_through_text() {
        let id = DocId::new_random();
        assert_eq!(DocId::parse(&id.to_string()), Some(id));
        assert_eq!(DocId::parse("not-a-uuid"), None);
    }
}

/// JSON Schemas of the values above, for the records' schema
/// ([`crate::schema`]). Each value's `format` names the parser the shape
/// check runs on it.
#[cfg(feature = "schema")]
mod json_schemas {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    use super::{Date, DocId, OrgNumber, Timestamp};

    macro_rules! inline_schema {
        ($ty:ty, $name:literal, $schema:tt) => {
            impl JsonSchema for $ty {
                fn inline_schema() -> bool {
                    true
                }

                fn schema_name() -> Cow<'static, str> {
                    $name.into()
                }

                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    json_schema!($schema)
                }
            }
        };
    }

    inline_schema!(DocId, "DocId", {
        "type": "string",
        "format": "uuid",
        "description": "A record id: a UUID as lowercase hyphenated text."
    });
    inline_schema!(Date, "Date", {
        "type": "string",
        "format": "date",
        "description": "A calendar day, YYYY-MM-DD."
    });
    inline_schema!(Timestamp, "Timestamp", {
        "type": "integer",
        "x-automerge": "timestamp",
        "description": "A point in time: an Automerge timestamp (milliseconds since 1970-01-01 UTC); in JavaScript a Date."
    });
    inline_schema!(OrgNumber, "OrgNumber", {
        "type": "string",
        "format": "org-number",
        "pattern": "^ *([0-9] *){9}$",
        "description": "A Norwegian organisation number: nine digits (spaces between them are ignored), the last a modulus-11 check digit; stored without spaces."
    });
}
