//! The login page.

use innom_shared::api::LoginResponse;
use yew::prelude::*;

use crate::components::login_form::LoginForm;
use crate::hooks::use_sync::use_sync;
use crate::i18n::Text;
use crate::phone::routes::{Redirect, Route, use_navigator};
use crate::services::storage;
use crate::state::{Action, Session, use_app};

#[function_component(LoginPage)]
pub fn login_page() -> Html {
    let app = use_app();
    let navigator = use_navigator();
    let engine = use_sync().engine;

    if app.session.is_some() {
        return html! { <Redirect to={Route::Home} /> };
    }

    let on_login = {
        let app = app.clone();
        Callback::from(move |response: LoginResponse| {
            let (app, navigator, engine) = (app.clone(), navigator.clone(), engine.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // Another user's records never mix with this one's.
                let owner = storage::load_owner();
                if owner.is_some_and(|o| o != response.user.username)
                    && let Some(engine) = &engine
                    && let Err(e) = engine.forget_everything().await
                {
                    web_sys::console::error_1(&e.to_string().into());
                }
                storage::save_owner(Some(&response.user.username));
                app.dispatch(Action::LoggedIn(Session { token: response.token, user: response.user }));
                if let Some(navigator) = navigator {
                    navigator.push(&Route::Home);
                }
            });
        })
    };

    html! {
        <section class="card narrow">
            <h1>{ app.t(Text::LogIn) }</h1>
            <p class="tagline">{ app.t(Text::AppTagline) }</p>
            if let Some(notice) = app.notice {
                <p class="notice" role="status">{ app.t(notice) }</p>
            }
            <LoginForm {on_login} sign_in_at="/api/auth/oidc/start?app=phone" />
        </section>
    }
}
