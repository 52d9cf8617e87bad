//! The domain of Innom, shared by the server and the WebAssembly client.
//!
//! * [`values`]: small parsed values (organisation numbers, dates, ids) and
//!   the closed vocabularies records use.
//! * [`records`]: the five record kinds, each one Automerge document, mapped
//!   with `autosurgeon`.
//! * [`validation`]: the rules a record must satisfy; the phone and the
//!   server apply the same code, so they cannot disagree.
//! * [`edits`]: a form's edit applied onto the record as it is now.
//! * [`document`]: records to Automerge documents and back, validated.
//! * [`api`]: the JSON bodies of the HTTP API.
//! * [`access`]: who may read and change which records.
//! * [`reminders`]: what the advisor's home page reminds her of.
//! * [`training_plans`]: the training-plan templates a new placement starts from.
//! * `schema` (server): the records' JSON Schema, and the shape check that
//!   names the field a pushed document gets wrong.
//! * [`sorting`]: stable sorts with one copy of the algorithm, for a smaller client.
//!
//! Nothing here does IO, so everything runs the same in the browser and in
//! the server, and is tested without either.

pub mod access;
pub mod api;
pub mod document;
pub mod edits;
#[cfg(feature = "fixtures")]
pub mod fixtures;
pub mod labels;
pub mod records;
pub mod reminders;
#[cfg(feature = "schema")]
pub mod schema;
pub mod sorting;
pub mod sync;
pub mod training_plans;
pub mod validation;
pub mod values;
