//! Everything that talks to the outside world: the server's API and the
//! device's storage.

pub mod api;
pub mod storage;
