//! The advisor's phone app: its screens ([`pages`], one per route), the
//! pieces they share ([`components`]), the route table ([`routes`]), and
//! here the providers around them: app state (language, session) and the
//! sync engine.

pub mod components;
pub mod pages;
pub mod routes;

use std::rc::Rc;

use innom_shared::values::{DocId, Timestamp};
use yew::prelude::*;

use self::components::app_header::AppHeader;
use self::pages::home::HomePage;
use self::pages::login::LoginPage;
use self::pages::new_placement::NewPlacementPage;
use self::pages::new_visit::{EditVisitPage, NewVisitPage, blank_visit};
use self::pages::not_found::NotFoundPage;
use self::pages::participants::ParticipantsPage;
use self::pages::placement::PlacementPage;
use self::pages::workplace_form::WorkplaceFormPage;
use self::pages::workplaces::{WorkplacePage, WorkplacesPage};
use self::routes::{Route, Router, use_route};
use crate::browser::prepare_offline_use;
use crate::hooks::use_online::use_online;
use crate::hooks::use_sync::SyncContext;
use crate::services::sync::SyncEngine;
use crate::services::{api, storage};
use crate::state::{Action, AppContext, AppState};

/// The IndexedDB database of the advisor's and staff's app.
const ACCOUNT_DATABASE: &str = "innom";

/// The screen for the current route.
#[function_component(Screen)]
fn screen() -> Html {
    match use_route() {
        Route::Home => html! { <HomePage /> },
        Route::Login => html! { <LoginPage /> },
        Route::NewVisit => html! { <NewVisitPage /> },
        Route::NewVisitFor { placement } => html! { <NewVisitPage placement={DocId::parse(&placement)} /> },
        Route::EditVisit { id } => html! { <EditVisitPage {id} /> },
        Route::NewVisitAt { workplace } => html! { <NewVisitPage workplace={DocId::parse(&workplace)} /> },
        Route::Placement { id } => html! { <PlacementPage {id} /> },
        Route::Workplaces => html! { <WorkplacesPage /> },
        Route::Workplace { id } => html! { <WorkplacePage {id} /> },
        Route::NewWorkplace => html! { <WorkplaceFormPage /> },
        Route::EditWorkplace { id } => html! { <WorkplaceFormPage id={Some(id)} /> },
        Route::Participants => html! { <ParticipantsPage /> },
        Route::NewPlacement { participant, workplace } => html! {
            <NewPlacementPage participant={participant.as_deref().and_then(DocId::parse)}
                workplace={workplace.as_deref().and_then(DocId::parse)} />
        },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

/// The server refused the session. An expired or revoked one keeps the
/// phone's records for the next login; a wiped one deletes them first.
fn end_session(state: &AppContext, engine: Option<Rc<SyncEngine>>, wiped: bool) {
    if wiped {
        storage::save_owner(None);
        if let Some(engine) = engine {
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = engine.forget_everything().await {
                    web_sys::console::error_1(&e.to_string().into());
                }
            });
        }
    }
    state.dispatch(Action::SessionEnded { wiped });
}

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::restore);
    let engine = use_state(|| None::<Rc<SyncEngine>>);
    let version = use_state(|| 0u32);
    let online = use_online();

    // Keep <html lang> and the stored choice in step with the language.
    use_effect_with(state.lang, |lang| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        storage::save_lang(*lang);
    });

    use_effect_with(state.session.clone(), |session| storage::save_session(session.as_ref()));

    // Logged in with the records open: make the first save quick (see
    // `SyncEngine::warm_up_save`).
    {
        let username = state.session.as_ref().map(|s| s.user.username.clone());
        let engine = (*engine).clone();
        use_effect_with((username, engine.is_some()), move |(username, _)| {
            if let (Some(username), Some(engine)) = (username, engine) {
                let now = Timestamp(js_sys::Date::now() as i64);
                engine.warm_up_save(blank_visit(username, DocId::new_random(), now));
            }
        });
    }

    // Once per start: open the phone's records, start the sync loop, and
    // check the stored session with the server. Offline, the stored session
    // is kept and the app works from it.
    {
        let (state, engine, version) = (state.clone(), engine.clone(), version.clone());
        use_effect_with((), move |()| {
            let on_change = {
                let version = version.clone();
                Callback::from(move |()| version.set(version.wrapping_add(1)))
            };
            let token = state.session.as_ref().map(|s| s.token.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // In a task of its own: the first screen is drawn without
                // waiting for this, and the phone's main thread is never
                // blocked for long at start (a slow phone's first seconds).
                gloo_timers::future::TimeoutFuture::new(0).await;
                prepare_offline_use("/");
                let mut opened_engine = None;
                match SyncEngine::open(ACCOUNT_DATABASE, on_change).await {
                    Ok(opened) => {
                        opened.set_token(token.clone());
                        let (state, weak) = (state.clone(), Rc::downgrade(&opened));
                        opened.on_session_end(Callback::from(move |wiped| {
                            end_session(&state, weak.upgrade(), wiped);
                        }));
                        engine.set(Some(opened.clone()));
                        wasm_bindgen_futures::spawn_local(opened.clone().run());
                        wasm_bindgen_futures::spawn_local(opened.clone().follow_events());
                        opened_engine = Some(opened);
                    }
                    Err(e) => web_sys::console::error_1(&e.to_string().into()),
                }
                if let Some(token) = token {
                    match api::me(&token).await {
                        Ok(user) => state.dispatch(Action::UserRefreshed(user)),
                        Err(api::ApiError::Unauthorized(body)) => {
                            end_session(&state, opened_engine, body.error == "wiped");
                        }
                        Err(_) => {}
                    }
                }
            });
        });
    }

    // The engine syncs with whoever is logged in now.
    use_effect_with(((*engine).clone().map(|e| Rc::as_ptr(&e)), state.session.clone()), {
        let engine = engine.clone();
        move |(_, session)| {
            if let Some(engine) = engine.as_ref() {
                engine.set_token(session.as_ref().map(|s| s.token.clone()));
                if session.is_some() {
                    let engine = engine.clone();
                    wasm_bindgen_futures::spawn_local(async move { engine.sync_now().await });
                }
            }
        }
    });

    // Coverage is back: sync at once instead of waiting for the timer.
    use_effect_with(online, {
        let engine = engine.clone();
        move |online| {
            if let (true, Some(engine)) = (*online, engine.as_ref()) {
                let engine = engine.clone();
                wasm_bindgen_futures::spawn_local(async move { engine.sync_now().await });
            }
        }
    });

    let sync = SyncContext { engine: (*engine).clone(), version: *version };
    html! {
        <ContextProvider<AppContext> context={state}>
            <ContextProvider<SyncContext> context={sync}>
                <Router>
                    <AppHeader />
                    <main id="main" class="page">
                        <Screen />
                    </main>
                </Router>
            </ContextProvider<SyncContext>>
        </ContextProvider<AppContext>>
    }
}
