//! Turning records into Automerge documents and back.
//!
//! Reading a document always validates it: a record that comes out of
//! [`read`] or [`load`] satisfies every rule in [`crate::validation`].

use automerge::AutoCommit;
use autosurgeon::{HydrateError, ReadDoc, ReconcileError};

use crate::records::Record;
use crate::validation::ValidationErrors;

/// Why a document could not be turned into a record.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The bytes are not a complete Automerge document.
    #[error("not a valid automerge document: {0}")]
    Load(#[from] automerge::AutomergeError),
    /// The document does not have the shape of this record kind.
    #[error("the document does not match the record's shape: {0}")]
    Shape(#[from] HydrateError),
    /// The record breaks one or more rules.
    #[error("the record is invalid: {0}")]
    Invalid(#[from] ValidationErrors),
}

/// Writes `record` into `doc`, changing only what differs, as one change:
/// each save is one step in the record's history.
pub fn write<R: Record>(doc: &mut AutoCommit, record: &R) -> Result<(), ReconcileError> {
    autosurgeon::reconcile(doc, record)?;
    doc.commit();
    Ok(())
}

/// A new document holding `record`.
pub fn create<R: Record>(record: &R) -> Result<AutoCommit, ReconcileError> {
    let mut doc = AutoCommit::new();
    write(&mut doc, record)?;
    Ok(doc)
}

/// Reads and validates the record held in `doc`.
pub fn read<R: Record>(doc: &impl ReadDoc) -> Result<R, DocumentError> {
    let record: R = autosurgeon::hydrate(doc)?;
    record.validate()?;
    Ok(record)
}

/// Loads a saved document strictly and reads its record.
pub fn load<R: Record>(bytes: &[u8]) -> Result<(AutoCommit, R), DocumentError> {
    let doc = AutoCommit::load(bytes)?;
    let record = read(&doc)?;
    Ok((doc, record))
}
