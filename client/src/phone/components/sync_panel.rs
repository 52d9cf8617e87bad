//! The sync state of the phone: unconfirmed records, the last successful
//! sync, why the last one failed, and a "sync now" button.

use yew::prelude::*;

use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Text};
use crate::services::sync::SyncFailure;
use crate::state::use_app;

#[function_component(SyncPanel)]
pub fn sync_panel() -> Html {
    let app = use_app();
    let sync = use_sync();
    let Some(engine) = sync.engine.clone() else { return html! {} };
    let status = engine.status();
    let onclick = Callback::from(move |_| {
        let engine = engine.clone();
        wasm_bindgen_futures::spawn_local(async move { engine.sync_now().await });
    });
    // Today the time says enough; an older sync also says which day.
    let last = status.last_success.map(|ms| {
        let at = innom_shared::values::Timestamp(ms as i64);
        let today = i18n::date(innom_shared::values::Timestamp(js_sys::Date::now() as i64));
        let (day, time) =
            i18n::date_time(at).split_once(' ').map(|(d, t)| (d.to_owned(), t.to_owned())).unwrap_or_default();
        if day == today { time } else { format!("{day} {time}") }
    });
    html! {
        <section class="card sync-panel" aria-labelledby="sync-heading">
            <h2 id="sync-heading" class="visually-hidden">{ app.t(Text::SyncNow) }</h2>
            <p class="sync-line">
                <span class="sync-count" data-unconfirmed={status.unconfirmed.to_string()}>
                    { format!("{}: {}", app.t(Text::Unconfirmed), status.unconfirmed) }
                </span>
                <br />
                { match last {
                    Some(time) => format!("{} {time}", app.t(Text::LastSynced)),
                    None => app.t(Text::NeverSynced).to_owned(),
                } }
            </p>
            if let Some(failure) = &status.last_error {
                <p class="sync-error" role="status">{ match failure {
                    SyncFailure::Offline => app.t(Text::SyncOffline).to_owned(),
                    SyncFailure::LoggedOut => app.t(Text::SyncLoggedOut).to_owned(),
                    SyncFailure::Wiped => app.t(Text::DeviceWiped).to_owned(),
                    SyncFailure::Server(message) => format!("{}: {message}", app.t(Text::SyncFailed)),
                } }</p>
            }
            <button type="button" class="button" {onclick} disabled={status.syncing}>
                { if status.syncing { app.t(Text::Syncing) } else { app.t(Text::SyncNow) } }
            </button>
        </section>
    }
}
