//! Custom hooks.

pub mod use_online;
