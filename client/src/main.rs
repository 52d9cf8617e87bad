//! Innom's phone app: a Yew single-page app compiled to WebAssembly.
//!
//! * [`app`]: the router and the top-level state provider.
//! * [`state`]: language and session, in a reducer shared by context.
//! * [`pages`]: one routed screen per file; [`components`]: shared pieces.
//! * [`services`]: the server's API and the device's storage.
//! * [`i18n`]: every interface string, bokmål and English.

mod app;
mod components;
mod hooks;
mod i18n;
mod pages;
mod services;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
