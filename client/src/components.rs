//! Pieces more than one app uses.

pub mod language_switch;
pub mod login_form;
pub mod sync_badge;
