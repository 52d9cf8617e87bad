//! The mentor's app, opened from a mentor link (`/fadder#<secret>`).
//!
//! A separate root from the advisor's app: no menu, no routes, its own
//! IndexedDB database, so nothing of an account's records can mix with it.
//! The secret is traded for a mentor session and then removed from the
//! address bar; the session and the mentor's feedback stay on the phone,
//! and are kept and shown even once the link stops working.

mod feedback_form;
mod text;

use std::rc::Rc;

use innom_shared::api::MentorView;
use innom_shared::records::MentorFeedback;
use innom_shared::sorting;
use innom_shared::sync::AnyRecord;
use innom_shared::values::DocId;
use yew::prelude::*;

use crate::components::language_switch::LanguageSwitch;
use crate::components::sync_badge::SyncBadge;
use crate::hooks::use_online::use_online;
use crate::i18n::{self, Text};
use crate::services::api::{self, ApiError};
use crate::services::storage::{self, MentorSession};
use crate::services::sync::{SyncEngine, SyncFailure};
use crate::state::{AppContext, AppState};
use feedback_form::FeedbackForm;
use text::{MentorText, mt};

/// The IndexedDB database of the mentor app.
const MENTOR_DATABASE: &str = "innom-mentor";

/// Where the link stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LinkState {
    /// Trading the secret, or checking a stored session.
    Checking,
    Working,
    /// Unknown, expired or revoked.
    NotWorking,
    /// The page was opened without a secret and nothing is stored.
    NoLink,
    /// A secret, but no coverage to trade it yet.
    Offline,
}

/// The secret in the address bar's fragment, if any.
fn secret_in_address() -> Option<String> {
    let hash = gloo::utils::window().location().hash().ok()?;
    let secret = hash.trim_start_matches('#').trim().to_owned();
    (!secret.is_empty()).then_some(secret)
}

/// Removes the fragment, so the secret is not left in the address bar or
/// in the history.
fn forget_secret_in_address() {
    let window = gloo::utils::window();
    if let (Ok(history), Ok(path)) = (window.history(), window.location().pathname()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

#[function_component(MentorApp)]
pub fn mentor_app() -> Html {
    // The mentor app shares the language choice and the components of the
    // advisor's app; it never has an account session.
    let app = use_reducer(|| AppState { session: None, ..AppState::restore() });
    let mentor = use_state(storage::load_mentor);
    let link = use_state(|| LinkState::Checking);
    let engine = use_state(|| None::<Rc<SyncEngine>>);
    let version = use_state(|| 0u32);
    let editing = use_state(|| None::<MentorFeedback>);
    // The feedback just saved: the app thanks the mentor for it, and says
    // where it is, instead of showing a blank form.
    let thanked = use_state(|| None::<DocId>);
    let online = use_online();

    use_effect_with(app.lang, |lang| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        storage::save_lang(*lang);
    });

    // Once per start: open the phone's feedback, then trade the link's
    // secret (or check the stored session) and start syncing.
    {
        let (mentor, link, engine, version) = (mentor.clone(), link.clone(), engine.clone(), version.clone());
        use_effect_with((), move |()| {
            crate::browser::prepare_offline_use(crate::MENTOR_PATH);
            let on_change = {
                let version = version.clone();
                Callback::from(move |()| version.set(version.wrapping_add(1)))
            };
            wasm_bindgen_futures::spawn_local(async move {
                let opened = match SyncEngine::open(MENTOR_DATABASE, on_change).await {
                    Ok(opened) => Some(opened),
                    Err(e) => {
                        web_sys::console::error_1(&e.to_string().into());
                        None
                    }
                };
                let session = match secret_in_address() {
                    Some(secret) => match api::open_mentor_session(&secret).await {
                        Ok(created) => {
                            forget_secret_in_address();
                            let session = MentorSession { token: created.token, view: created.view };
                            storage::save_mentor(Some(&session));
                            link.set(LinkState::Working);
                            Some(session)
                        }
                        Err(ApiError::Network(_)) => {
                            link.set(LinkState::Offline);
                            (*mentor).clone()
                        }
                        Err(_) => {
                            forget_secret_in_address();
                            link.set(LinkState::NotWorking);
                            (*mentor).clone()
                        }
                    },
                    None => match (*mentor).clone() {
                        Some(session) => {
                            match api::mentor_placement(&session.token).await {
                                Ok(view) => {
                                    let session = MentorSession { view, ..session };
                                    storage::save_mentor(Some(&session));
                                    link.set(LinkState::Working);
                                    Some(session)
                                }
                                Err(ApiError::Unauthorized(_)) => {
                                    link.set(LinkState::NotWorking);
                                    Some(session)
                                }
                                // Offline: work from what the phone has.
                                Err(_) => {
                                    link.set(LinkState::Working);
                                    Some(session)
                                }
                            }
                        }
                        None => {
                            link.set(LinkState::NoLink);
                            None
                        }
                    },
                };
                mentor.set(session.clone());
                if let Some(opened) = opened {
                    // A mentor's first save is every save: see `warm_up_save`.
                    if let Some(session) = &session {
                        opened.warm_up_save(feedback_form::blank(&session.view));
                    }
                    opened.set_token(session.map(|s| s.token));
                    engine.set(Some(opened.clone()));
                    wasm_bindgen_futures::spawn_local(opened.clone().run());
                }
            });
        });
    }

    // Coverage is back: sync at once.
    use_effect_with(online, {
        let engine = engine.clone();
        move |online| {
            if let (true, Some(engine)) = (*online, engine.as_ref()) {
                let engine = engine.clone();
                wasm_bindgen_futures::spawn_local(async move { engine.sync_now().await });
            }
        }
    });

    // A session the server no longer accepts: the link was revoked or ran out.
    let status = engine.as_ref().map(|e| e.status());
    if status.as_ref().is_some_and(|s| s.last_error == Some(SyncFailure::LoggedOut))
        && *link == LinkState::Working
        && mentor.is_some()
    {
        link.set(LinkState::NotWorking);
    }

    let context: AppContext = app.clone();
    let body = match (&*mentor, *link) {
        (_, LinkState::Checking) => html! { <p aria-busy="true">{ app.t(Text::Loading) }</p> },
        (None, LinkState::Offline) => {
            html! { <p class="notice" role="status">{ mt(&app, MentorText::LinkOffline) }</p> }
        }
        (None, LinkState::NotWorking) => html! {
            <p class="notice notice-error" role="alert">{ mt(&app, MentorText::LinkNotWorking) }</p>
        },
        (None, _) => html! { <p class="notice">{ mt(&app, MentorText::NoLink) }</p> },
        (Some(session), state) => {
            let working = state == LinkState::Working;
            let own = own_feedback(engine.as_ref(), &session.view);
            html! {
                <>
                    if !working {
                        <p class="notice notice-error" role="alert">
                            { mt(&app, MentorText::LinkNotWorking) }{ " " }{ mt(&app, MentorText::KeptOnPhone) }
                        </p>
                    }
                    <PlacementSummary view={session.view.clone()} />
                    if let Some((_, state)) = thanked.and_then(|id| own.iter().find(|(f, _)| f.id == id)) {
                        <ThankYou
                            advisor={session.view.advisor_name.clone()}
                            state={state.clone()}
                            on_new={{
                                let thanked = thanked.clone();
                                Callback::from(move |()| thanked.set(None))
                            }} />
                    } else if working {
                        if let Some(engine) = engine.as_ref() {
                            <FeedbackForm
                                key={editing.as_ref().map(|f| f.id.to_string()).unwrap_or_default()}
                                view={session.view.clone()}
                                engine={engine.clone()}
                                editing={(*editing).clone()}
                                on_saved={{
                                    let (editing, thanked) = (editing.clone(), thanked.clone());
                                    Callback::from(move |id| {
                                        editing.set(None);
                                        thanked.set(Some(id));
                                    })
                                }} />
                        }
                    }
                    <OwnFeedbackList
                        feedback={own}
                        can_correct={working}
                        on_correct={{
                            let (editing, thanked) = (editing.clone(), thanked.clone());
                            Callback::from(move |f: MentorFeedback| {
                                thanked.set(None);
                                editing.set(Some(f));
                            })
                        }} />
                </>
            }
        }
    };

    html! {
        <ContextProvider<AppContext> {context}>
            <header class="app-header">
                <span class="brand">{ "Innom" }</span>
                <LanguageSwitch />
            </header>
            <main id="main" class="page">
                <h1>{ app.t(Text::FeedbackTitle) }</h1>
                { body }
            </main>
        </ContextProvider<AppContext>>
    }
}

/// The mentor's own feedback on this placement, newest first, with its
/// sync state.
fn own_feedback(
    engine: Option<&Rc<SyncEngine>>,
    view: &MentorView,
) -> Vec<(MentorFeedback, innom_shared::sync::RecordSyncState)> {
    let mut own: Vec<_> = engine
        .map(|e| e.records())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|listed| match listed.record {
            AnyRecord::MentorFeedback(f) if f.placement == view.placement && f.created_by == view.identity => {
                Some((f, listed.state))
            }
            _ => None,
        })
        .collect();
    sorting::sort_by_key(&mut own, |(f, _)| std::cmp::Reverse(f.created_at));
    own
}

#[derive(Debug, PartialEq, Properties)]
struct ThankYouProps {
    /// The advisor's full name; empty if the server did not say.
    advisor: String,
    state: innom_shared::sync::RecordSyncState,
    on_new: Callback<()>,
}

/// The end of giving feedback: thanks, whether it has reached the advisor
/// (and who that is), and a way to write another.
#[function_component(ThankYou)]
fn thank_you(props: &ThankYouProps) -> Html {
    let app = crate::state::use_app();
    let advisor = if props.advisor.is_empty() { mt(&app, MentorText::TheAdvisor) } else { props.advisor.as_str() };
    let reached = props.state == innom_shared::sync::RecordSyncState::Confirmed;
    let text = mt(&app, if reached { MentorText::ThankYouReached } else { MentorText::ThankYouOnPhone });
    let onclick = {
        let on_new = props.on_new.clone();
        Callback::from(move |_| on_new.emit(()))
    };
    html! {
        <section class="card narrow thank-you">
            <p class="notice" role="status" data-reached={reached.to_string()}>
                { text.replace("{advisor}", advisor) }
            </p>
            <SyncBadge state={props.state.clone()} />
            <button type="button" class="button" {onclick}>{ mt(&app, MentorText::WriteNewFeedback) }</button>
        </section>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct PlacementSummaryProps {
    view: MentorView,
}

/// Who the feedback is about: first name, workplace, phase.
#[function_component(PlacementSummary)]
fn placement_summary(props: &PlacementSummaryProps) -> Html {
    let app = crate::state::use_app();
    let view = &props.view;
    html! {
        <section class="card">
            <p class="mentor-about">
                <strong>{ &view.participant_first_name }</strong>
                { format!(" {} {} · {} {}", mt(&app, MentorText::At), view.workplace_name, app.t(Text::Phase), view.phase) }
            </p>
        </section>
    }
}

#[derive(PartialEq, Properties)]
struct OwnFeedbackListProps {
    feedback: Vec<(MentorFeedback, innom_shared::sync::RecordSyncState)>,
    can_correct: bool,
    on_correct: Callback<MentorFeedback>,
}

/// What the mentor has written, with where each one is.
#[function_component(OwnFeedbackList)]
fn own_feedback_list(props: &OwnFeedbackListProps) -> Html {
    let app = crate::state::use_app();
    if props.feedback.is_empty() {
        return html! {};
    }
    html! {
        <section class="card" aria-labelledby="own-feedback-heading">
            <h2 id="own-feedback-heading">{ mt(&app, MentorText::YourFeedback) }</h2>
            <ul class="record-list">
                { for props.feedback.iter().map(|(feedback, state)| {
                    let correctable = props.can_correct
                        && feedback.review.state == innom_shared::records::ReviewState::Unreviewed;
                    let onclick = {
                        let (on_correct, feedback) = (props.on_correct.clone(), feedback.clone());
                        Callback::from(move |_| on_correct.emit(feedback.clone()))
                    };
                    html! {
                        <li class="feedback-item" key={feedback.id.to_string()}>
                            <p class="visit-title">
                                <span role="img" class={classes!("dot", format!("dot-{}", feedback.status.as_str()))}
                                    aria-label={app.t(i18n::status(feedback.status))}></span>
                                { i18n::date_time(feedback.created_at) }
                                if feedback.contact_me {
                                    { " · " }{ app.t(Text::ContactMe) }
                                }
                            </p>
                            if !feedback.going_well.is_empty() {
                                <p class="visit-summary">{ &feedback.going_well }</p>
                            }
                            <SyncBadge state={state.clone()} />
                            if correctable {
                                <button type="button" class="button" {onclick}>{ mt(&app, MentorText::Correct) }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
