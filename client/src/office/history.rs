//! One record's history: who changed which field, when and from which
//! device, from the server's change log; and above it any field two people
//! changed at once, with both values and a button to choose one.

use innom_shared::api::{Conflict, History, HistoryStep, ResolveRequest};
use yew::prelude::*;

use super::text::{OfficeText, code, field_label};
use super::{Link, Live, OfficeRoute, api, load_failed, t, token};
use crate::i18n::date_time;
use crate::state::{AppContext, use_app};

#[derive(Debug, PartialEq, Properties)]
pub struct HistoryProps {
    pub id: String,
}

/// A value as the history shows it: text without quotes, codes
/// ("active", "red") in words, yes or no, and days and times as people
/// write them.
fn shown(app: &AppContext, field: &str, value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(day) if is_iso_day(day) => super::attention::iso_day(day),
        Value::String(text) => code(app.lang, text),
        Value::Null => "–".to_owned(),
        Value::Bool(yes) => t(app, if *yes { OfficeText::Yes } else { OfficeText::No }).to_owned(),
        Value::Number(ms) if field == "at" || field == "created_at" => {
            ms.as_i64().map_or_else(|| ms.to_string(), |ms| date_time(innom_shared::values::Timestamp(ms)))
        }
        other => other.to_string(),
    }
}

/// Whether `text` is a day as records store it, `2026-12-05`.
fn is_iso_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
}

/// A field by its everyday name, or by its path where it has none.
fn field_name(app: &AppContext, path: &str) -> Html {
    match field_label(app.lang, path) {
        Some(label) => html! { <span class="field-name" title={path.to_owned()}>{ label }</span> },
        None => html! { <code>{ path }</code> },
    }
}

#[function_component(HistoryPage)]
pub fn history_page(props: &HistoryProps) -> Html {
    let app = use_app();
    let live = use_context::<Live>().unwrap_or(Live(0));
    let history = use_state(|| None::<Result<History, ()>>);
    let reloads = use_state(|| 0u32);

    {
        let (history, token) = (history.clone(), token(&app));
        use_effect_with((props.id.clone(), live, *reloads), move |(id, _, _)| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                history.set(Some(api::history(&token, &id).await.map_err(|_| ())));
            });
        });
    }
    let history = match &*history {
        None => return html! { <p aria-busy="true">{ app.t(crate::i18n::Text::Loading) }</p> },
        Some(Err(())) => return load_failed(&app),
        Some(Ok(history)) => history,
    };
    let on_resolved = {
        let reloads = reloads.clone();
        Callback::from(move |()| reloads.set(reloads.wrapping_add(1)))
    };

    html! {
        <>
        <section class="card" aria-labelledby="conflicts-heading">
            <p><Link to={OfficeRoute::Attention}>{ t(&app, OfficeText::Back) }</Link></p>
            <h1>{ t(&app, OfficeText::History) }</h1>
            <h2 id="conflicts-heading">{ t(&app, OfficeText::Conflicts) }</h2>
            if history.conflicts.is_empty() {
                <p class="empty">{ t(&app, OfficeText::NoConflicts) }</p>
            } else {
                <p>{ t(&app, OfficeText::ConflictHelp) }</p>
                { for history.conflicts.iter().map(|c| conflict(&app, &props.id, c, &on_resolved)) }
            }
        </section>
        <section class="card" aria-labelledby="changes-heading">
            <h2 id="changes-heading">{ t(&app, OfficeText::Changes) }</h2>
            <div class="table-scroll">
                <table class="history">
                    <thead>
                        <tr>
                            <th scope="col">{ t(&app, OfficeText::When) }</th>
                            <th scope="col">{ t(&app, OfficeText::Who) }</th>
                            <th scope="col">{ t(&app, OfficeText::Device) }</th>
                            <th scope="col">{ t(&app, OfficeText::What) }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for history.steps.iter().rev().map(|step| step_row(&app, step)) }
                    </tbody>
                </table>
            </div>
        </section>
        </>
    }
}

fn step_row(app: &AppContext, step: &HistoryStep) -> Html {
    let who = match (&step.username, step.mentor_link) {
        (Some(user), _) => step.user_name.clone().unwrap_or_else(|| user.clone()),
        (None, Some(link)) => format!("{} {link}", t(app, OfficeText::MentorLink)),
        (None, None) => t(app, OfficeText::DemoData).to_owned(),
    };
    html! {
        <tr key={step.seq}>
            <td>{ date_time(innom_shared::values::Timestamp(step.received_at)) }</td>
            <td>{ who }</td>
            <td>{ step.device.clone().unwrap_or_default() }</td>
            <td>
                <ul class="fields">
                    { for step.fields.iter().map(|f| html! {
                        <li>{ field_name(app, &f.field) }{ format!(": {}", shorten(&shown(app, &f.field, &f.value))) }</li>
                    }) }
                </ul>
            </td>
        </tr>
    }
}

/// Long values (whole lists, summaries) cut to a readable length.
fn shorten(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{} …", &text[..end]),
        None => text.to_owned(),
    }
}

fn conflict(app: &AppContext, id: &str, conflict: &Conflict, on_resolved: &Callback<()>) -> Html {
    html! {
        <fieldset class="conflict">
            <legend>{ field_name(app, &conflict.field) }</legend>
            <ul>
                { for conflict.values.iter().map(|value| {
                    let request = ResolveRequest { field: conflict.field.clone(), value: value.clone() };
                    let (token, id, on_resolved) = (token(app), id.to_owned(), on_resolved.clone());
                    let onclick = Callback::from(move |_| {
                        let (token, id, request, on_resolved) = (token.clone(), id.clone(), request.clone(), on_resolved.clone());
                        wasm_bindgen_futures::spawn_local(async move {
                            if api::resolve(&token, &id, &request).await.is_ok() {
                                on_resolved.emit(());
                            }
                        });
                    });
                    let value_shown = shown(app, &conflict.field, value);
                    let label = format!("{}: {value_shown}", t(app, OfficeText::ChooseValue));
                    html! {
                        <li>
                            <span class="value">{ value_shown }</span>
                            <button type="button" class="button" aria-label={label} {onclick}>
                                { t(app, OfficeText::ChooseValue) }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </fieldset>
    }
}
