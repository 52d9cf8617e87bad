//! Recording a visit: workplace, type, status and a summary, saved on the
//! phone at once, with or without coverage.

use innom_shared::records::{JobSignal, RecordKind, Review, SCHEMA_VERSION, Status, Visit, VisitType};
use innom_shared::sync::AnyRecord;
use innom_shared::values::{DocId, Timestamp};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::Route;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Text};
use crate::router::{Link, Redirect, use_navigator};
use crate::services::sync::SaveError;
use crate::state::use_app;

#[function_component(NewVisitPage)]
pub fn new_visit_page() -> Html {
    let app = use_app();
    let sync = use_sync();
    let navigator = use_navigator();
    let workplace = use_node_ref();
    let visit_type = use_node_ref();
    let duration = use_node_ref();
    let summary = use_node_ref();
    let status = use_state(|| Status::Green);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    let Some(session) = app.session.clone() else {
        return html! { <Redirect to={Route::Login} /> };
    };
    let mut workplaces: Vec<(DocId, String)> = sync
        .engine
        .as_ref()
        .map(|e| e.records())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| match r.record {
            AnyRecord::Workplace(w) => Some((w.id, w.name)),
            _ => None,
        })
        .collect();
    workplaces.sort_by(|a, b| a.1.cmp(&b.1));

    let onsubmit = {
        let (app, engine, busy, error) = (app.clone(), sync.engine.clone(), busy.clone(), error.clone());
        let (workplace, visit_type, duration, summary, status) =
            (workplace.clone(), visit_type.clone(), duration.clone(), summary.clone(), status.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(engine) = engine.clone() else { return };
            let workplace = workplace.cast::<HtmlSelectElement>().and_then(|s| DocId::parse(&s.value()));
            let Some(workplace) = workplace else { return };
            let kind = visit_type
                .cast::<HtmlSelectElement>()
                .and_then(|s| VisitType::parse(&s.value()))
                .unwrap_or(VisitType::DropIn);
            let minutes = duration.cast::<HtmlInputElement>().and_then(|i| i.value().parse().ok()).unwrap_or(0);
            let text = summary.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
            let now = Timestamp(js_sys::Date::now() as i64);
            let visit = Visit {
                id: DocId::new_random(),
                kind: RecordKind::Visit,
                schema_version: SCHEMA_VERSION,
                created_at: now,
                created_by: session.user.username.clone(),
                visit_type: kind,
                workplace,
                placements: vec![],
                advisor: session.user.username.clone(),
                at: now,
                duration_minutes: minutes,
                met: String::new(),
                summary: text.into(),
                concerns: vec![],
                follow_ups: vec![],
                job_signal: JobSignal::None,
                status: *status,
                review: Review::unreviewed(),
            };
            busy.set(true);
            let (app, busy, error, navigator) = (app.clone(), busy.clone(), error.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match engine.save(&visit).await {
                    Ok(()) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Home);
                        }
                    }
                    Err(SaveError::Invalid(errors)) => {
                        error.set(Some(format!("{} {errors}", app.t(Text::InvalidForm))));
                    }
                    Err(SaveError::Storage(e)) => {
                        web_sys::console::error_1(&e.to_string().into());
                        error.set(Some(app.t(Text::StorageFailed).to_owned()));
                    }
                }
                busy.set(false);
            });
        })
    };

    if workplaces.is_empty() {
        return html! {
            <section class="card">
                <h1>{ app.t(Text::NewVisit) }</h1>
                <p>{ app.t(Text::NoWorkplaces) }</p>
            </section>
        };
    }

    let status_choice = |value: Status| {
        let checked = *status == value;
        let status = status.clone();
        let onchange = Callback::from(move |_| status.set(value));
        html! {
            <label class={classes!("choice", format!("choice-{}", value.as_str()))}>
                <input type="radio" name="status" value={value.as_str()} {checked} {onchange} />
                { app.t(i18n::status(value)) }
            </label>
        }
    };

    html! {
        <section class="card narrow">
            <h1>{ app.t(Text::NewVisit) }</h1>
            <form class="form" {onsubmit}>
                <label for="workplace">{ app.t(Text::Workplace) }</label>
                <select id="workplace" ref={workplace}>
                    // `selected` on the first option: without it Chromium shows
                    // the last one after Yew inserts the options.
                    { for workplaces.iter().enumerate().map(|(i, (id, name))| html! {
                        <option value={id.to_string()} selected={i == 0}>{ name }</option>
                    }) }
                </select>
                <label for="visit-type">{ app.t(Text::VisitTypeLabel) }</label>
                <select id="visit-type" ref={visit_type}>
                    { for VisitType::ALL.iter().map(|kind| html! {
                        <option value={kind.as_str()} selected={*kind == VisitType::DropIn}>
                            { app.t(i18n::visit_type(*kind)) }
                        </option>
                    }) }
                </select>
                <label for="duration">{ app.t(Text::DurationMinutes) }</label>
                <input id="duration" type="number" inputmode="numeric" min="1" max="720" value="10" ref={duration} />
                <fieldset class="choices">
                    <legend>{ app.t(Text::StatusLabel) }</legend>
                    { status_choice(Status::Green) }
                    { status_choice(Status::Yellow) }
                    { status_choice(Status::Red) }
                </fieldset>
                <label for="summary">{ app.t(Text::Summary) }</label>
                <textarea id="summary" rows="5" ref={summary} />
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
