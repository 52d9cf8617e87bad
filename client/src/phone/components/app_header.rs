//! The bar at the top of every screen: the name, the language switch and,
//! when logged in, a way home and the logout button.

use innom_shared::api::Role;
use yew::prelude::*;

use crate::components::language_switch::LanguageSwitch;
use crate::hooks::use_online::use_online;
use crate::hooks::use_sync::use_sync;
use crate::i18n::Text;
use crate::phone::routes::{Link, Route, use_navigator};
use crate::services::{api, storage};
use crate::state::{Action, use_app};

#[function_component(AppHeader)]
pub fn app_header() -> Html {
    let app = use_app();
    let navigator = use_navigator();
    let online = use_online();
    let sync = use_sync();
    let on_logout = {
        let app = app.clone();
        let engine = sync.engine.clone();
        Callback::from(move |_| {
            let unconfirmed = engine.as_ref().is_some_and(|e| e.has_unconfirmed());
            if unconfirmed
                && !gloo::utils::window().confirm_with_message(app.t(Text::ConfirmLogoutUnsynced)).unwrap_or(false)
            {
                return;
            }
            storage::save_owner(None);
            if let Some(engine) = engine.clone() {
                // The phone forgets the records of the user logging out.
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = engine.forget_everything().await {
                        web_sys::console::error_1(&e.to_string().into());
                    }
                });
            }
            if let Some(session) = app.session.clone() {
                // Forget the session on the device at once; tell the server
                // when it can be reached so the token stops working there too.
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = api::logout(&session.token).await;
                });
            }
            app.dispatch(Action::LoggedOut);
            if let Some(navigator) = &navigator {
                navigator.push(&Route::Login);
            }
        })
    };
    html! {
        <>
        <header class="app-header">
            <Link to={Route::Home} classes="brand">{ "Innom" }</Link>
            <nav class="header-actions" aria-label={app.t(Text::MainNavigation)}>
                if app.session.is_some() {
                    // A way home that reads as one on every screen; the
                    // brand links there too, but not everyone tries it.
                    <Link to={Route::Home} classes="button button-quiet">{ app.t(Text::HomeLink) }</Link>
                }
                <LanguageSwitch />
                if app.session.as_ref().is_some_and(|s| s.user.role == Role::Staff) {
                    // The office app is its own page load (its own bundle).
                    <a href="/kontor" class="button button-quiet">{ app.t(Text::Office) }</a>
                }
                if app.session.is_some() {
                    <button type="button" class="button button-quiet" onclick={on_logout}>
                        { app.t(Text::LogOut) }
                    </button>
                }
            </nav>
        </header>
        if !online {
            <p class="offline-banner" role="status">{ app.t(Text::Offline) }</p>
        }
        </>
    }
}
