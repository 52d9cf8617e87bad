//! Custom hooks.

pub mod use_online;
pub mod use_prefilled;
pub mod use_records;
pub mod use_sync;
