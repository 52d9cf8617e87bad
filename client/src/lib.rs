//! Innom's two browser apps, compiled to WebAssembly from one crate:
//!
//! * the phone app (binary `innom-client`, started by [`start_phone`]):
//!   the advisor's offline field app, and the mentor's app at `/fadder`;
//! * the office app (binary `innom-office`, started by [`start_office`]):
//!   staff's review desk at `/kontor`. It reads the server's query tables
//!   over JSON and carries no Automerge, so it is its own, smaller bundle,
//!   and nothing of it weighs on the phone's download.
//!
//! * [`app`]: the routes and the top-level state provider; [`router`]: a
//!   small History-API router.
//! * [`state`]: language and session, in a reducer shared by context.
//! * [`pages`]: one routed screen per file; [`components`]: shared pieces.
//! * [`services`]: the server's API and the device's storage.
//! * [`i18n`]: every interface string, bokmål and English.
//! * [`mentor`]: the mentor's app, opened from a mentor link at `/fadder`.
//! * [`office`]: the office app's screens.

mod app;
mod components;
mod hooks;
mod i18n;
mod mentor;
mod office;
mod pages;
mod router;
mod services;
mod state;

/// Where mentor links point. The mentor's app is its own root: nothing of
/// the advisor's app (menu, routes, records) is reachable from it.
const MENTOR_PATH: &str = "/fadder";

/// Starts the phone app, or the mentor's app on a mentor link.
pub fn start_phone() {
    // The page drawn by `index.html` while the app was downloading.
    if let Some(splash) = gloo::utils::document().get_element_by_id("splash") {
        splash.remove();
    }
    let path = gloo::utils::window().location().pathname().unwrap_or_default();
    if path == MENTOR_PATH || path.starts_with(&format!("{MENTOR_PATH}/")) {
        yew::Renderer::<mentor::MentorApp>::new().render();
    } else {
        yew::Renderer::<app::App>::new().render();
    }
}

/// Starts the office app.
pub fn start_office() {
    yew::Renderer::<office::OfficeApp>::new().render();
}
