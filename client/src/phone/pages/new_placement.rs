//! A new placement, started from a participant or a workplace (which come
//! pre-filled): who, where, the mentor, the dates, and the training plan,
//! which can start from the template of the workplace's industry
//! (`shared/training-plans/`). Saved on the phone at once.

use innom_shared::records::{
    AgreedMeeting, JobProspect, Mentor, Placement, PlacementStatus, RecordKind, SCHEMA_VERSION, Workplace,
};
use innom_shared::sorting;
use innom_shared::sync::AnyRecord;
use innom_shared::training_plans;
use innom_shared::values::{Date, DocId, Timestamp};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::browser::today;
use crate::hooks::use_prefilled::use_prefilled;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{Text, code};
use crate::phone::routes::{Link, Redirect, Route, use_navigator};
use crate::state::use_app;

/// How long a new placement is planned for unless the advisor says otherwise.
const USUAL_WEEKS: u16 = 12;

#[derive(Debug, PartialEq, Properties)]
pub struct NewPlacementProps {
    #[prop_or_default]
    pub participant: Option<DocId>,
    #[prop_or_default]
    pub workplace: Option<DocId>,
}

#[function_component(NewPlacementPage)]
pub fn new_placement_page(props: &NewPlacementProps) -> Html {
    let app = use_app();
    let sync = use_sync();
    let navigator = use_navigator();
    let participant = use_state(|| props.participant);
    let workplace = use_state(|| props.workplace);
    let use_template = use_state(|| true);
    let first_day = today().unwrap_or(Date::from_ymd(2026, 1, 1).unwrap_or_else(|| unreachable!()));
    let (mentor_name, mentor_phone) = (use_node_ref(), use_node_ref());
    let start = use_prefilled(first_day.to_iso());
    let end = use_prefilled(first_day.weeks_after(USUAL_WEEKS).to_iso());
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let Some(session) = app.session.clone() else {
        return html! { <Redirect to={Route::Login} /> };
    };

    let records = sync.engine.as_ref().map(|e| e.records()).unwrap_or_default();
    let mut people: Vec<(DocId, String, String)> = records
        .iter()
        .filter_map(|r| match &r.record {
            AnyRecord::Participant(p) => Some((p.id, p.display_name.clone(), p.advisor.clone())),
            _ => None,
        })
        .collect();
    sorting::sort_by(&mut people, |a, b| a.1.cmp(&b.1));
    let mut workplaces: Vec<Workplace> = records
        .into_iter()
        .filter_map(|r| match r.record {
            AnyRecord::Workplace(w) => Some(w),
            _ => None,
        })
        .collect();
    sorting::sort_by(&mut workplaces, |a, b| a.name.cmp(&b.name));
    if people.is_empty() || workplaces.is_empty() {
        return html! {
            <section class="card">
                <h1>{ app.t(Text::NewPlacement) }</h1>
                <p>{ app.t(Text::NeedParticipantAndWorkplace) }</p>
                <Link to={Route::Participants} classes="button">{ app.t(Text::ParticipantsHeading) }</Link>
                { " " }
                <Link to={Route::Workplaces} classes="button">{ app.t(Text::WorkplacesHeading) }</Link>
            </section>
        };
    }
    // Until one is picked, each select shows its first entry.
    let chosen_person = (*participant).filter(|id| people.iter().any(|p| p.0 == *id)).unwrap_or(people[0].0);
    let chosen_place = workplaces.iter().find(|w| Some(w.id) == *workplace).unwrap_or(&workplaces[0]).clone();
    let template = training_plans::template(chosen_place.industry)
        .and_then(|text| training_plans::parse(text).ok())
        .unwrap_or_default();

    let onsubmit = {
        let (engine, error, busy, app, navigator) =
            (sync.engine.clone(), error.clone(), busy.clone(), app.clone(), navigator.clone());
        let (mentor_name, mentor_phone, start, end) =
            (mentor_name.clone(), mentor_phone.clone(), start.clone(), end.clone());
        let advisor = people.iter().find(|p| p.0 == chosen_person).map(|p| p.2.clone()).unwrap_or_default();
        let (industry, workplace_id, with_template) = (chosen_place.industry, chosen_place.id, *use_template);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let text = |node: &NodeRef| {
                node.cast::<HtmlInputElement>().map(|i| i.value().trim().to_owned()).unwrap_or_default()
            };
            let (Some(first), Some(last)) = (Date::parse(&text(&start)), Date::parse(&text(&end))) else {
                return error.set(Some(app.t(Text::DatesNeeded).to_owned()));
            };
            let started = today().is_some_and(|today| first <= today);
            let placement = Placement {
                id: DocId::new_random(),
                kind: RecordKind::Placement,
                schema_version: SCHEMA_VERSION,
                created_at: Timestamp(js_sys::Date::now() as i64),
                created_by: session.user.username.clone(),
                participant: chosen_person,
                workplace: workplace_id,
                mentor: Mentor { name: text(&mentor_name), phone: text(&mentor_phone) },
                advisor: if advisor.is_empty() { session.user.username.clone() } else { advisor.clone() },
                start: first,
                planned_end: last,
                ended_on: None,
                status: if started { PlacementStatus::Active } else { PlacementStatus::Planned },
                phase: 1,
                tasks: if with_template {
                    training_plans::starting_tasks(industry, || DocId::new_random().to_string())
                } else {
                    Vec::new()
                },
                first_meeting: AgreedMeeting::default(),
                second_meeting: AgreedMeeting::default(),
                contract_signed: false,
                job_prospect: JobProspect::Unknown,
                outcome: None,
                outcome_note: String::new(),
            };
            let Some(engine) = engine.clone() else { return };
            let (error, busy, app, navigator) = (error.clone(), busy.clone(), app.clone(), navigator.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match engine.save(&placement).await {
                    Ok(()) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Placement { id: placement.id.to_string() });
                        }
                    }
                    Err(e) => error.set(Some(e.message(app.lang))),
                }
                busy.set(false);
            });
        })
    };
    let pick = |state: &UseStateHandle<Option<DocId>>| {
        let state = state.clone();
        Callback::from(move |event: Event| {
            state.set(DocId::parse(&event.target_unchecked_into::<HtmlSelectElement>().value()));
        })
    };
    let toggle_template = {
        let use_template = use_template.clone();
        Callback::from(move |_| use_template.set(!*use_template))
    };
    html! {
        <section class="card narrow">
            <h1>{ app.t(Text::NewPlacement) }</h1>
            <form class="form" {onsubmit} novalidate=true>
                <label for="placement-participant">{ app.t(Text::Participant) }</label>
                <select id="placement-participant" onchange={pick(&participant)}>
                    { for people.iter().map(|(id, name, _)| html! {
                        <option value={id.to_string()} selected={*id == chosen_person}>{ name }</option>
                    }) }
                </select>
                <label for="placement-workplace">{ app.t(Text::Workplace) }</label>
                <select id="placement-workplace" onchange={pick(&workplace)}>
                    { for workplaces.iter().map(|w| html! {
                        <option value={w.id.to_string()} selected={w.id == chosen_place.id}>{ &w.name }</option>
                    }) }
                </select>
                <label for="mentor-name">{ app.t(Text::MentorName) }</label>
                <input id="mentor-name" type="text" autocomplete="off" ref={mentor_name} />
                <label for="mentor-phone">{ app.t(Text::MentorPhone) }</label>
                <input id="mentor-phone" type="tel" autocomplete="off" ref={mentor_phone} />
                <label for="placement-start">{ app.t(Text::StartDate) }</label>
                <input id="placement-start" type="date" ref={start} />
                <label for="placement-end">{ app.t(Text::PlannedEnd) }</label>
                <input id="placement-end" type="date" ref={end} />
                if template.is_empty() {
                    <p class="hint">{ format!("{} ({})", app.t(Text::NoTemplate), code(app.lang, chosen_place.industry.as_str())) }</p>
                } else {
                    <label class="check">
                        <input type="checkbox" checked={*use_template} onchange={toggle_template} />
                        { format!("{} {} ({} {})", app.t(Text::UseTemplate), code(app.lang, chosen_place.industry.as_str()),
                            template.len(), app.t(Text::TasksCount)) }
                    </label>
                }
                if let Some(message) = &*error {
                    <p class="error" role="alert">{ message }</p>
                }
                <button type="submit" class="button button-primary" disabled={*busy}>
                    { if *busy { app.t(Text::Saving) } else { app.t(Text::Save) } }
                </button>
                <Link to={Route::Home} classes="button">{ app.t(Text::Cancel) }</Link>
            </form>
        </section>
    }
}
