//! Small helpers over the browser's APIs that any app or screen may use:
//! today's date on the device, the value an input event carries, and
//! preparing for offline use.

use innom_shared::values::Date;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Today's date on the phone's calendar.
pub fn today() -> Option<Date> {
    let now = js_sys::Date::new_0();
    Date::from_ymd(now.get_full_year() as i32, now.get_month() as u8 + 1, now.get_date() as u8)
}

/// The value of the input, textarea or select an event came from (the
/// `value` property is read by name, so the cast fits all three).
pub fn input_value(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// Registers the service worker that keeps the app shell for offline use,
/// and asks the browser not to evict the phone's records. `scope` is the
/// app's address: `/` for the advisor's app, `/fadder` for the mentor's.
/// The one worker script keeps the shell of the scope it was registered
/// for, so each phone caches only the app it uses.
pub fn prepare_offline_use(scope: &str) {
    let navigator = gloo::utils::window().navigator();
    let options = web_sys::RegistrationOptions::new();
    options.set_scope(scope);
    let _ = navigator.service_worker().register_with_options("/sw.js", &options);
    if let Ok(storage) = navigator.storage().persist() {
        drop(storage);
    }
}
