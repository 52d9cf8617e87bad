//! The login form, shared by the phone app's and the office app's login
//! pages; each decides what a login leads to. It offers what the server
//! has open: the identity provider's button ("Logg inn med …"), the
//! username and password, or both. A sign-in at the provider comes back
//! to this page with `#oidc=<code>` (traded here for a session) or
//! `#oidc-error=<reason>` (said here).

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
    /// Where the provider's button leads: `/api/auth/oidc/start?app=…`.
    pub sign_in_at: &'static str,
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

/// Sends a login (password, or the sign-in's code) and says what came of
/// it: the session to `on_login`, or the reason in `error`.
fn log_in(
    login: api::Login,
    busy: UseStateHandle<bool>,
    error: UseStateHandle<Option<Text>>,
    on_login: Callback<LoginResponse>,
) {
    busy.set(true);
    error.set(None);
    wasm_bindgen_futures::spawn_local(async move {
        let from_provider = matches!(login, api::Login::SignInCode(_));
        match api::login(login).await {
            Ok(response) => on_login.emit(response),
            Err(e) => error.set(Some(match e {
                // A wrong password is the user's business; anything
                // else goes to the console for whoever debugs it.
                _ if from_provider => Text::SignInFailed,
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
}

#[function_component(LoginForm)]
pub fn login_form(props: &LoginFormProps) -> Html {
    let app = use_app();
    let username = use_node_ref();
    let password = use_node_ref();
    let busy = use_state(|| false);
    let error = use_state(|| None::<Text>);
    // Whether passwords are open, and the provider's name if there is one;
    // unknown until the server answers (offline, the password form shows).
    let methods = use_state(|| (true, None::<String>));

    {
        let (busy, error, methods, on_login) = (busy.clone(), error.clone(), methods.clone(), props.on_login.clone());
        use_effect_with((), move |()| {
            match take_sign_in_answer() {
                Some(Ok(code)) => log_in(api::Login::SignInCode(code), busy, error, on_login),
                Some(Err(reason)) => error.set(Some(reason)),
                None => {}
            }
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(answer) = api::login_methods().await {
                    methods.set(answer);
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
            log_in(api::Login::Password(request), busy.clone(), error.clone(), on_login.clone());
        })
    };

    let (password_open, provider) = &*methods;
    html! {
        <>
        if let Some(name) = provider {
            <a class="button button-primary sign-in" href={props.sign_in_at}>
                { app.t(Text::SignInWith) }{ " " }{ name }
            </a>
        }
        // Hidden, not left out, when passwords are switched off: one
        // form to build either way.
        <form class="form" {onsubmit} novalidate=true hidden={!*password_open}>
            <label for="username">{ app.t(Text::Username) }</label>
            <input id="username" name="username" type="text" ref={username}
                autocomplete="username" autocapitalize="none" spellcheck="false" required=true />
            <label for="password">{ app.t(Text::Password) }</label>
            <input id="password" name="password" type="password" ref={password}
                autocomplete="current-password" required=true />
            <button type="submit" class="button button-primary" disabled={*busy}>
                { if *busy { app.t(Text::LoggingIn) } else { app.t(Text::LogIn) } }
            </button>
        </form>
        if let Some(message) = *error {
            <p class="error" role="alert">{ app.t(message) }</p>
        }
        </>
    }
}
