//! The login form, shared by the phone app's and the office app's login
//! pages; each decides what a login leads to. It offers what the server
//! has open: the identity provider's button ("Logg inn med …"), the
//! username and password, or both. A sign-in at the provider comes back
//! to this page with `#oidc=<code>` (traded here for a session) or
//! `#oidc-error=<reason>` (said here).

use innom_shared::api::{LoginMethods, LoginRequest, LoginResponse};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::Text;
use crate::services::api::{self, ApiError};
use crate::state::use_app;

#[derive(Debug, PartialEq, Properties)]
pub struct LoginFormProps {
    /// Called with the server's answer once the login succeeded.
    pub on_login: Callback<LoginResponse>,
    /// The app, as `GET /api/auth/oidc/start?app=` names it.
    pub app: &'static str,
}

/// What the provider's sign-in left in the URL fragment: a code to trade
/// for a session, or why it failed. The fragment is cleared at once, so a
/// reload or a shared address does not carry it.
fn take_sign_in_answer() -> Option<Result<String, Text>> {
    let window = gloo::utils::window();
    let hash = window.location().hash().ok()?;
    let answer = if let Some(code) = hash.strip_prefix("#oidc=") {
        Ok(code.to_owned())
    } else {
        Err(match hash.strip_prefix("#oidc-error=")? {
            "provider_unreachable" => Text::ProviderUnreachable,
            "not_allowed" => Text::NotAllowedToSignIn,
            "clock_skew" => Text::ClockSkew,
            "cancelled" => Text::SignInCancelled,
            _ => Text::SignInFailed,
        })
    };
    let path = window.location().pathname().unwrap_or_default();
    let _ = window.history().and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)));
    Some(answer)
}

#[function_component(LoginForm)]
pub fn login_form(props: &LoginFormProps) -> Html {
    let app = use_app();
    let username = use_node_ref();
    let password = use_node_ref();
    let busy = use_state(|| false);
    let error = use_state(|| None::<Text>);
    // Unknown until the server answers; offline, the password form shows.
    let methods = use_state(|| None::<LoginMethods>);

    {
        let (busy, error, methods, on_login) = (busy.clone(), error.clone(), methods.clone(), props.on_login.clone());
        use_effect_with((), move |()| {
            let answer = take_sign_in_answer();
            wasm_bindgen_futures::spawn_local(async move {
                match answer {
                    Some(Ok(code)) => {
                        busy.set(true);
                        match api::finish_sign_in(code).await {
                            Ok(response) => on_login.emit(response),
                            Err(e) => {
                                web_sys::console::warn_1(&format!("sign-in failed: {e}").into());
                                error.set(Some(Text::SignInFailed));
                            }
                        }
                        busy.set(false);
                    }
                    Some(Err(reason)) => error.set(Some(reason)),
                    None => {}
                }
                if let Ok(answer) = api::login_methods().await {
                    methods.set(Some(answer));
                }
            });
        });
    }

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

    let provider = methods.as_ref().and_then(|m| m.provider.clone());
    let password_open = methods.as_ref().is_none_or(|m| m.password);
    html! {
        <>
        if let Some(name) = provider {
            <a class="button button-primary sign-in" href={format!("/api/auth/oidc/start?app={}", props.app)}>
                { format!("{} {name}", app.t(Text::SignInWith)) }
            </a>
            if !password_open {
                if let Some(message) = *error {
                    <p class="error" role="alert">{ app.t(message) }</p>
                }
            }
        }
        if password_open {
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
        </>
    }
}
