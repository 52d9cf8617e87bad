//! Participants on the phone, from its own records (so offline too): a
//! list to search by name, each with their placements and a way to start a
//! new one, and a short form for a new participant.

use innom_shared::records::{Goal, LanguageLevel, Participant, Programme, RecordKind, SCHEMA_VERSION};
use innom_shared::sorting;
use innom_shared::sync::AnyRecord;
use innom_shared::values::{DocId, Timestamp};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::browser::input_value;
use crate::hooks::use_records::use_records;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{Text, code, fold};
use crate::phone::routes::{Link, Redirect, Route};
use crate::state::use_app;

#[function_component(ParticipantsPage)]
pub fn participants_page() -> Html {
    let app = use_app();
    let search = use_state(String::new);
    let Some(records) = use_records() else {
        return html! { <Redirect to={Route::Login} /> };
    };
    let wanted = fold(&search);
    let mut participants: Vec<&Participant> = records
        .iter()
        .filter_map(|r| match &r.record {
            AnyRecord::Participant(p) if fold(&p.display_name).contains(&wanted) => Some(p),
            _ => None,
        })
        .collect();
    sorting::sort_by(&mut participants, |a, b| a.display_name.cmp(&b.display_name));
    let workplace_name = |id: DocId| {
        records.iter().find_map(|r| match &r.record {
            AnyRecord::Workplace(w) if w.id == id => Some(w.name.clone()),
            _ => None,
        })
    };
    let placements_of = |participant: DocId| {
        records.iter().filter_map(move |r| match &r.record {
            AnyRecord::Placement(p) if p.participant == participant => Some(p),
            _ => None,
        })
    };
    let oninput = {
        let search = search.clone();
        Callback::from(move |event: InputEvent| search.set(input_value(&event)))
    };
    html! {
        <>
        <section class="card">
            <h1>{ app.t(Text::ParticipantsHeading) }</h1>
            <div class="form">
                <label for="participant-search">{ app.t(Text::SearchByName) }</label>
                <input id="participant-search" type="search" value={(*search).clone()} {oninput} />
            </div>
            <ul class="record-list">
                { for participants.iter().map(|person| html! {
                    <li class="participant-item" key={person.id.to_string()}>
                        <p><strong>{ &person.display_name }</strong>
                            { format!(" · {} · {}", code(app.lang, person.programme.as_str()),
                                code(app.lang, person.language_level.as_str())) }</p>
                        <ul class="inline-list">
                            { for placements_of(person.id).map(|p| html! {
                                <li key={p.id.to_string()}>
                                    <Link to={Route::Placement { id: p.id.to_string() }}>
                                        { workplace_name(p.workplace).unwrap_or_default() }
                                    </Link>
                                    { format!(" · {}", code(app.lang, p.status.as_str())) }
                                </li>
                            }) }
                        </ul>
                        <Link to={Route::NewPlacement { participant: Some(person.id.to_string()), workplace: None }}
                            classes="button">
                            { app.t(Text::NewPlacement) }
                        </Link>
                    </li>
                }) }
            </ul>
        </section>
        <NewParticipant />
        </>
    }
}

/// A new participant: the name they go by, programme, goal and Norwegian
/// level. The advisor who adds them is their advisor.
#[function_component(NewParticipant)]
fn new_participant() -> Html {
    let app = use_app();
    let engine = use_sync().engine;
    let (name, programme, goal, level) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    let message = use_state(|| None::<(bool, String)>);
    let Some(session) = app.session.clone() else { return Html::default() };

    let onsubmit = {
        let (name, programme, goal, level, message, app) =
            (name.clone(), programme.clone(), goal.clone(), level.clone(), message.clone(), app.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |node: &NodeRef| node.cast::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            let participant = Participant {
                id: DocId::new_random(),
                kind: RecordKind::Participant,
                schema_version: SCHEMA_VERSION,
                created_at: Timestamp(js_sys::Date::now() as i64),
                created_by: session.user.username.clone(),
                display_name: name.cast::<HtmlInputElement>().map(|i| i.value().trim().to_owned()).unwrap_or_default(),
                programme: Programme::parse(&value(&programme)).unwrap_or(Programme::Introduction),
                advisor: session.user.username.clone(),
                goal: Goal::parse(&value(&goal)).unwrap_or(Goal::Work),
                language_level: LanguageLevel::parse(&value(&level)).unwrap_or(LanguageLevel::Unknown),
            };
            if participant.display_name.is_empty() {
                return message.set(Some((false, app.t(Text::NameNeeded).to_owned())));
            }
            let Some(engine) = engine.clone() else { return };
            let (message, app, name) = (message.clone(), app.clone(), name.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match engine.save(&participant).await {
                    Ok(()) => {
                        if let Some(input) = name.cast::<HtmlInputElement>() {
                            input.set_value("");
                        }
                        message.set(Some((
                            true,
                            format!("{}: {}", app.t(Text::ParticipantAdded), participant.display_name),
                        )));
                    }
                    Err(e) => message.set(Some((false, e.message(app.lang)))),
                }
            });
        })
    };
    let select = |id: &'static str, label: Text, node: &NodeRef, values: &[&'static str], chosen: &str| {
        html! {
            <>
            <label for={id}>{ app.t(label) }</label>
            <select {id} ref={node.clone()}>
                { for values.iter().map(|value| html! {
                    <option value={*value} selected={*value == chosen}>{ code(app.lang, value) }</option>
                }) }
            </select>
            </>
        }
    };
    let programmes: Vec<_> = Programme::ALL.iter().map(|p| p.as_str()).collect();
    let goals: Vec<_> = Goal::ALL.iter().map(|g| g.as_str()).collect();
    let levels: Vec<_> = LanguageLevel::ALL.iter().map(|l| l.as_str()).collect();
    html! {
        <section class="card narrow" aria-labelledby="new-participant-heading">
            <h2 id="new-participant-heading">{ app.t(Text::NewParticipant) }</h2>
            <form class="form" {onsubmit} novalidate=true>
                <label for="participant-name">{ app.t(Text::ParticipantName) }</label>
                <input id="participant-name" type="text" autocomplete="off" ref={name} />
                { select("participant-programme", Text::Programme, &programme, &programmes, "introduction") }
                { select("participant-goal", Text::Goal, &goal, &goals, "work") }
                { select("participant-level", Text::LanguageLevel, &level, &levels, "unknown") }
                if let Some((saved, text)) = &*message {
                    <p class={if *saved { "saved" } else { "error" }} role={if *saved { "status" } else { "alert" }}>{ text }</p>
                }
                <button type="submit" class="button button-primary">{ app.t(Text::AddParticipant) }</button>
            </form>
        </section>
    }
}
