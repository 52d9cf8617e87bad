//! The login page.

use innom_shared::api::LoginRequest;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::Route;
use crate::hooks::use_sync::use_sync;
use crate::i18n::Text;
use crate::router::{Redirect, use_navigator};
use crate::services::api::{self, ApiError};
use crate::services::storage;
use crate::state::{Action, Session, use_app};

#[function_component(LoginPage)]
pub fn login_page() -> Html {
    let app = use_app();
    let navigator = use_navigator();
    let username = use_node_ref();
    let password = use_node_ref();
    let busy = use_state(|| false);
    let error = use_state(|| None::<Text>);
    let engine = use_sync().engine;

    if app.session.is_some() {
        return html! { <Redirect to={Route::Home} /> };
    }

    let onsubmit = {
        let (app, busy, error, engine) = (app.clone(), busy.clone(), error.clone(), engine.clone());
        let (username, password) = (username.clone(), password.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let read = |node: &NodeRef| node.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let request = LoginRequest {
                username: read(&username).trim().to_owned(),
                password: read(&password),
                device_name: None,
            };
            if request.username.is_empty() || request.password.is_empty() {
                error.set(Some(Text::FillInBoth));
                return;
            }
            busy.set(true);
            error.set(None);
            let (app, busy, error, navigator) = (app.clone(), busy.clone(), error.clone(), navigator.clone());
            let engine = engine.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::login(&request).await {
                    Ok(response) => {
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
                    }
                    Err(e) => error.set(Some(match e {
                        // A wrong password is the user's business; anything
                        // else goes to the console for whoever debugs it.
                        ApiError::Unauthorized(_) => Text::WrongCredentials,
                        ApiError::Server { status: 429, .. } => Text::TooManyAttempts,
                        other => {
                            web_sys::console::warn_1(&format!("login failed: {other}").into());
                            match other {
                                ApiError::Network(_) => Text::NetworkError,
                                _ => Text::ServerError,
                            }
                        }
                    })),
                }
                busy.set(false);
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
            <form class="form" {onsubmit} novalidate=true>
                <label for="username">{ app.t(Text::Username) }</label>
                <input id="username" name="username" type="text" ref={username}
                    autocomplete="username" autocapitalize="none" spellcheck="false" required=true />
                <label for="password">{ app.t(Text::Password) }</label>
                <input id="password" name="password" type="password" ref={password}
                    autocomplete="current-password" required=true />
                if let Some(message) = *error {
                    <p class="error" role="alert">{ app.t(message) }</p>
                }
                <button type="submit" class="button button-primary" disabled={*busy}>
                    { if *busy { app.t(Text::LoggingIn) } else { app.t(Text::LogIn) } }
                </button>
            </form>
        </section>
    }
}
