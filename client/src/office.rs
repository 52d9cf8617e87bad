//! The office app at `/kontor`: staff's desk for the merged records. It
//! reads the server's query tables as JSON (nothing is kept in the
//! browser), follows the server's event stream so a visit synced from a
//! phone shows up without a reload, and writes its reviews and conflict
//! choices through the API, which turns them into document changes.
//!
//! * [`attention`]: the attention list (the home page), filters, exports;
//! * [`timeline`]: one placement's timeline, with review;
//! * [`workplace`]: a workplace's overview;
//! * [`history`]: one record's change history, with conflict choice;
//! * [`figures`]: the programme figures as charts and a table;
//! * [`users`]: user accounts and their devices (administrators);
//! * [`routes`]: the screens' addresses; [`context`]: what every screen
//!   reads (the live-update counter, the token, the words).

mod access_log;
mod api;
mod attention;
mod context;
mod figures;
mod history;
mod routes;
mod text;
mod timeline;
mod users;
mod workplace;

use innom_shared::api::{LoginResponse, Role};
use yew::prelude::*;

use crate::components::language_switch::LanguageSwitch;
use crate::components::login_form::LoginForm;
use crate::router::{RouterOf, use_route_of};
use crate::services::{api as common_api, storage};
use crate::state::{Action, AppContext, AppState, Session, use_app};
use context::{Live, t, token};
use routes::{Link, OfficeRoute};
use text::{OfficeText, ot};

#[function_component(Screen)]
fn screen() -> Html {
    let app = use_app();
    match use_route_of::<OfficeRoute>() {
        OfficeRoute::Attention => html! { <attention::AttentionPage /> },
        OfficeRoute::Placement { id } => html! { <timeline::TimelinePage {id} /> },
        OfficeRoute::Workplace { id } => html! { <workplace::WorkplacePage {id} /> },
        OfficeRoute::History { id } => html! { <history::HistoryPage {id} /> },
        OfficeRoute::Figures => html! { <figures::FiguresPage /> },
        OfficeRoute::Users => html! { <users::UsersPage /> },
        OfficeRoute::NotFound => html! {
            <section class="card">
                <h1>{ app.t(crate::i18n::Text::NotFoundTitle) }</h1>
                <Link to={OfficeRoute::Attention} classes="button">{ t(&app, OfficeText::Back) }</Link>
            </section>
        },
    }
}

/// For anyone who is not logged in as staff: the login form.
#[function_component(StaffLogin)]
fn staff_login() -> Html {
    let app = use_app();
    let on_login = {
        let app = app.clone();
        Callback::from(move |response: LoginResponse| {
            app.dispatch(Action::LoggedIn(Session { token: response.token, user: response.user }));
        })
    };
    html! {
        <section class="card narrow">
            <h1>{ t(&app, OfficeText::AppName) }</h1>
            <p class="tagline">{ t(&app, OfficeText::StaffOnly) }</p>
            <LoginForm {on_login} sign_in_at="/api/auth/oidc/start?app=office" />
        </section>
    }
}

#[function_component(OfficeHeader)]
fn office_header() -> Html {
    let app = use_app();
    let on_logout = {
        let app = app.clone();
        Callback::from(move |_| {
            let token = token(&app);
            app.dispatch(Action::LoggedOut);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = common_api::logout(&token).await;
            });
        })
    };
    let staff = app.session.as_ref().is_some_and(|s| s.user.role == Role::Staff);
    html! {
        <header class="app-header">
            <Link to={OfficeRoute::Attention} classes="brand">{ t(&app, OfficeText::AppName) }</Link>
            <nav class="header-actions" aria-label={t(&app, OfficeText::AppName)}>
                if staff {
                    <Link to={OfficeRoute::Attention} classes="button button-quiet">
                        { t(&app, OfficeText::NavAttention) }
                    </Link>
                    <Link to={OfficeRoute::Figures} classes="button button-quiet">
                        { t(&app, OfficeText::NavFigures) }
                    </Link>
                }
                if app.session.as_ref().is_some_and(|s| s.user.is_admin) {
                    <Link to={OfficeRoute::Users} classes="button button-quiet">
                        { t(&app, OfficeText::UsersHeading) }
                    </Link>
                }
                <a href="/" class="button button-quiet">{ t(&app, OfficeText::ToFieldApp) }</a>
                <LanguageSwitch />
                if app.session.is_some() {
                    <button type="button" class="button button-quiet" onclick={on_logout}>
                        { app.t(crate::i18n::Text::LogOut) }
                    </button>
                }
            </nav>
        </header>
    }
}

/// The whole office app.
#[function_component(OfficeApp)]
pub fn office_app() -> Html {
    let state = use_reducer(AppState::restore);
    let live = use_state(|| 0u32);

    use_effect_with(state.lang, |lang| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        storage::save_lang(*lang);
    });
    use_effect_with(state.session.clone(), |session| storage::save_session(session.as_ref()));

    // Follow the server's feed for as long as someone is logged in.
    {
        let live = live.clone();
        use_effect_with(state.session.as_ref().map(|s| s.token.clone()), move |token| {
            let running = std::rc::Rc::new(std::cell::Cell::new(true));
            if let Some(token) = token.clone() {
                let running = running.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let mut moves = 0u32;
                    while running.get() {
                        let result = common_api::read_events(&token, |_| {
                            moves = moves.wrapping_add(1);
                            live.set(moves);
                        })
                        .await;
                        if let Err(e) = result {
                            web_sys::console::debug_1(&format!("event stream closed: {e}").into());
                        }
                        gloo_timers::future::TimeoutFuture::new(3_000).await;
                    }
                });
            }
            move || running.set(false)
        });
    }

    let staff = state.session.as_ref().is_some_and(|s| s.user.role == Role::Staff);
    let logged_in = state.session.is_some();
    let lang = state.lang;
    html! {
        <ContextProvider<AppContext> context={state}>
            <ContextProvider<Live> context={Live(*live)}>
                <RouterOf<OfficeRoute>>
                    <OfficeHeader />
                    <main id="main" class="page page-wide">
                        if staff {
                            <Screen />
                        } else if logged_in {
                            <p class="card" role="alert">{ ot(lang, OfficeText::StaffOnly) }</p>
                        } else {
                            <StaffLogin />
                        }
                    </main>
                </RouterOf<OfficeRoute>>
            </ContextProvider<Live>>
        </ContextProvider<AppContext>>
    }
}
