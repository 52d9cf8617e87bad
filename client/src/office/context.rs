//! What every office screen reads: the live-update counter, the
//! session's token, the words in the app's language, and the notice for a
//! failed load.

use yew::prelude::*;

use super::text::{OfficeText, ot};
use crate::state::AppContext;

/// Counts the server's feed moves while the page is open; pages that show
/// records load again when it changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Live(pub u32);

/// The token of the logged-in staff member; pages are only shown with one.
pub fn token(app: &AppContext) -> String {
    app.session.as_ref().map(|s| s.token.clone()).unwrap_or_default()
}

/// Text in the app's language.
pub fn t(app: &AppContext, key: OfficeText) -> &'static str {
    ot(app.lang, key)
}

/// The error line every page shows when loading failed.
pub fn load_failed(app: &AppContext) -> Html {
    html! { <p class="notice notice-error" role="alert">{ t(app, OfficeText::LoadFailed) }</p> }
}
