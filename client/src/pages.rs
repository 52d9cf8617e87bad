//! The routed screens, one per file.

pub mod home;
pub mod login;
pub mod new_visit;
pub mod not_found;
pub mod placement;
pub mod workplaces;
