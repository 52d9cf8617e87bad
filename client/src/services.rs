//! Everything that talks to the outside world: the server's API, the
//! device's storage, and the sync engine that joins them.

pub mod api;
pub mod files;
pub mod json;
pub mod local_store;
pub mod storage;
pub mod sync;
