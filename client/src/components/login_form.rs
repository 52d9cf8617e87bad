//! The username-and-password form, shared by the phone app's and the
//! office app's login pages; each decides what a login leads to.

use innom_shared::api::{LoginRequest, LoginResponse};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::Text;
use crate::services::api::{self, ApiError};
use crate::state::use_app;

#[derive(Debug, PartialEq, Properties)]
pub struct LoginFormProps {
    /// Called with the server's answer once the login succeeded.
    pub on_login: Callback<LoginResponse>,
}

#[function_component(LoginForm)]
pub fn login_form(props: &LoginFormProps) -> Html {
    let app = use_app();
    let username = use_node_ref();
    let password = use_node_ref();
    let busy = use_state(|| false);
    let error = use_state(|| None::<Text>);

    let onsubmit = {
        let (busy, error, on_login) = (busy.clone(), error.clone(), props.on_login.clone());
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
            let (busy, error, on_login) = (busy.clone(), error.clone(), on_login.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::login(&request).await {
                    Ok(response) => on_login.emit(response),
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
    }
}
