//! The routed screens, one per file.

pub mod home;
pub mod login;
pub mod not_found;
