//! The phone's records, for a screen that needs someone logged in.

use yew::prelude::*;

use crate::hooks::use_sync::use_sync;
use crate::services::sync::Listed;
use crate::state::use_app;

/// Every record on the phone, as the screen should show them; `None` when
/// nobody is logged in, and the screen sends them to the login page.
/// Re-renders the screen whenever the records change.
#[hook]
pub fn use_records() -> Option<Vec<Listed>> {
    let app = use_app();
    let sync = use_sync();
    app.session.as_ref().map(|_| sync.engine.as_ref().map(|e| e.records()).unwrap_or_default())
}
