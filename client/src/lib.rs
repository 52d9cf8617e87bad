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
    wasm_bindgen_futures::spawn_local(async {
        // The splash drawn by `index.html` stays until it has reached the
        // screen once. When the wasm comes fast (from the service worker,
        // or a quick network), it can arrive before the first paint, and
        // the app's first render, a long task on a slow phone, would hold
        // back the page's first paint instead of following it. Two frames,
        // because the first callback runs before its frame is painted.
        let document = gloo::utils::document();
        if !document.hidden() {
            next_frame().await;
            next_frame().await;
        }
        if let Some(splash) = document.get_element_by_id("splash") {
            splash.remove();
        }
        render_phone();
    });
}

/// Resolves at the browser's next animation frame.
async fn next_frame() {
    let frame = js_sys::Promise::new(&mut |resolve, _reject| {
        // If the browser refuses the callback, the promise never resolves:
        // fall back to resolving at once rather than never starting.
        if gloo::utils::window().request_animation_frame(&resolve).is_err() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
}

fn render_phone() {
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
