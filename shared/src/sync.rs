//! Sync, without IO: what a device sends, what the server merges, and how
//! a device applies the reply. The server and the browser run this same
//! code; tests drive it over a deterministic in-memory network.
//!
//! The protocol is a stateless, idempotent exchange over the server's
//! append-only change log (see `docs/SYNC.md`):
//!
//! * [`wire`]: the versioned CBOR messages.
//! * [`merge`]: the server's strict merge of one pushed document.
//! * [`reread`] (not in the browser): reading a merged record again only
//!   where the push changed it.
//! * [`server`] (not in the browser): the server's rules around the merge:
//!   batches, pulls, bootstrap pages and erasures, as data in, decisions out.
//! * [`device`]: a device's documents, acknowledged heads and cursor.
//! * [`retention`]: which records a field device stops keeping.

pub mod device;
pub mod merge;
#[cfg(not(target_arch = "wasm32"))]
pub mod reread;
pub mod retention;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;
pub mod wire;

pub use device::{DeviceSync, LocalDoc, RecordSyncState};
pub use merge::{AnyRecord, Merged, merge};
pub use wire::{Rejection, RejectionCode, SyncRequest, SyncResponse};
