//! Innom's phone app: a Yew single-page app compiled to WebAssembly.
//!
//! * [`app`]: the routes and the top-level state provider; [`router`]: a
//!   small History-API router.
//! * [`state`]: language and session, in a reducer shared by context.
//! * [`pages`]: one routed screen per file; [`components`]: shared pieces.
//! * [`services`]: the server's API and the device's storage.
//! * [`i18n`]: every interface string, bokmål and English.
//! * [`mentor`]: the mentor's app, opened from a mentor link at `/fadder`.

mod app;
mod components;
mod hooks;
mod i18n;
mod mentor;
mod pages;
mod router;
mod services;
mod state;

/// Where mentor links point. The mentor's app is its own root: nothing of
/// the advisor's app (menu, routes, records) is reachable from it.
const MENTOR_PATH: &str = "/fadder";

fn main() {
    let path = gloo::utils::window().location().pathname().unwrap_or_default();
    if path == MENTOR_PATH || path.starts_with(&format!("{MENTOR_PATH}/")) {
        yew::Renderer::<mentor::MentorApp>::new().render();
    } else {
        yew::Renderer::<app::App>::new().render();
    }
}
