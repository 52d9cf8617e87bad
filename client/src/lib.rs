//! Innom's three browser apps, compiled to WebAssembly from one crate:
//!
//! * the phone app (binary `innom-client`, started by [`start_phone`]):
//!   the advisor's offline field app;
//! * the mentor's app (binary `innom-mentor`, started by [`start_mentor`]):
//!   opened from a mentor link at `/fadder`, offline too. A bundle of its
//!   own: the mentor's phone downloads no advisor screens, and the
//!   advisor's none of the mentor's;
//! * the office app (binary `innom-office`, started by [`start_office`]):
//!   staff's review desk at `/kontor`. It reads the server's query tables
//!   over JSON and carries no Automerge, so it is its own, smaller bundle,
//!   and nothing of it weighs on the phone's download.
//!
//! * [`phone`], [`mentor`], [`office`]: the three apps, each with its
//!   screens and route table;
//! * what more than one app uses: [`router`], a small History-API router
//!   generic over an app's routes; [`state`], language and session in a
//!   reducer shared by context; [`components`] and [`hooks`]; [`browser`],
//!   small helpers over the browser's APIs; [`services`], the server's API,
//!   the device's storage and the sync engine; [`i18n`], every interface
//!   string in bokmål and English.

mod browser;
mod components;
mod hooks;
mod i18n;
mod mentor;
mod office;
mod phone;
mod router;
mod services;
mod state;

/// Where mentor links point, and the mentor app's service worker scope.
const MENTOR_PATH: &str = "/fadder";

/// Starts the advisor's phone app.
pub fn start_phone() {
    wasm_bindgen_futures::spawn_local(async {
        after_splash().await;
        yew::Renderer::<phone::App>::new().render();
    });
}

/// Starts the mentor's app.
pub fn start_mentor() {
    wasm_bindgen_futures::spawn_local(async {
        after_splash().await;
        yew::Renderer::<mentor::MentorApp>::new().render();
    });
}

/// Removes the splash drawn by the page's HTML, once it has reached the
/// screen. When the wasm comes fast (from the service worker, or a quick
/// network), it can arrive before the first paint, and the app's first
/// render, a long task on a slow phone, would hold back the page's first
/// paint instead of following it. Two frames, because the first callback
/// runs before its frame is painted.
async fn after_splash() {
    let document = gloo::utils::document();
    if !document.hidden() {
        next_frame().await;
        next_frame().await;
    }
    if let Some(splash) = document.get_element_by_id("splash") {
        splash.remove();
    }
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

/// Starts the office app.
pub fn start_office() {
    yew::Renderer::<office::OfficeApp>::new().render();
}
