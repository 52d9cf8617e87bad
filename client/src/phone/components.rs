//! Pieces the phone app's screens share.

pub mod app_header;
pub mod end_placement;
pub mod office_questions;
pub mod placement_records;
pub mod problem_line;
pub mod qr_code;
pub mod reminders;
pub mod sync_panel;
