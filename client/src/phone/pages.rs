//! The routed screens, one per file.

pub mod home;
pub mod login;
pub mod new_placement;
pub mod new_visit;
pub mod not_found;
pub mod participants;
pub mod placement;
pub mod workplace_form;
pub mod workplaces;
