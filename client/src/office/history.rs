//! One record's history: who changed which field, when and from which
//! device, from the server's change log; and above it any field two people
//! changed at once, with both values and a button to choose one.

use innom_shared::api::{Conflict, History, HistoryStep, ResolveRequest};
use std::collections::BTreeMap;

use yew::prelude::*;

use super::api;
use super::context::{Live, load_failed, t, token};
use super::routes::{Link, OfficeRoute};
use super::text::{OfficeText, code, field_label, iso_day};
use crate::i18n::date_time;
use crate::state::{AppContext, use_app};

#[derive(Debug, PartialEq, Properties)]
pub struct HistoryProps {
    pub id: String,
}

/// Fields every record has that say nothing to a person reading its
/// history: who and when are in each step's own columns.
const INTERNAL_FIELDS: [&str; 5] = ["id", "kind", "schema_version", "created_by", "created_at"];

/// A value as the history shows it: text without quotes, codes
/// ("active", "red") in words, records by name instead of id, yes or no,
/// days and times as people write them, lists as their items and an empty
/// one as "–".
fn shown(app: &AppContext, names: &BTreeMap<String, String>, field: &str, value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(day) if is_iso_day(day) => iso_day(day),
        Value::String(id) if innom_shared::values::DocId::parse(id).is_some() && id.len() == 36 => {
            names.get(id).cloned().unwrap_or_else(|| t(app, OfficeText::UnknownRecord).to_owned())
        }
        Value::String(text) => code(app.lang, text),
        Value::Null => "–".to_owned(),
        Value::Bool(yes) => t(app, if *yes { OfficeText::Yes } else { OfficeText::No }).to_owned(),
        Value::Number(ms) if field == "at" || field == "created_at" => {
            ms.as_i64().map_or_else(|| ms.to_string(), |ms| date_time(innom_shared::values::Timestamp(ms)))
        }
        Value::Array(items) if items.is_empty() => "–".to_owned(),
        Value::Array(items) => items.iter().map(|item| shown(app, names, field, item)).collect::<Vec<_>>().join(", "),
        // A list item (follow-up, concern, task, contact) by what it says.
        Value::Object(item) => match ["text", "name", "tag"].iter().find_map(|key| item.get(*key)) {
            Some(words) => {
                let done = item.get("done").or_else(|| item.get("mastered")) == Some(&Value::Bool(true));
                let words = shown(app, names, field, words);
                if done { format!("{words} ✓") } else { words }
            }
            None => item.values().map(|v| shown(app, names, field, v)).collect::<Vec<_>>().join(" "),
        },
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

    // Back to wherever staff came from (the timeline, the attention
    // list); a history opened on its own goes to the attention list.
    let came_from_here = gloo::utils::window().history().and_then(|h| h.length()).unwrap_or(0) > 1;
    let back = Callback::from(|_| {
        if let Ok(history) = gloo::utils::window().history() {
            let _ = history.back();
        }
    });
    let heading = match (history.kind.is_empty(), history.title.is_empty()) {
        (false, false) => format!("{}: {}", code(app.lang, &history.kind), history.title),
        (false, true) => code(app.lang, &history.kind),
        _ => t(&app, OfficeText::History).to_owned(),
    };
    html! {
        <>
        <section class="card" aria-labelledby="conflicts-heading">
            <p>
                if came_from_here {
                    <button type="button" class="button" onclick={back}>{ t(&app, OfficeText::Back) }</button>
                } else {
                    <Link to={OfficeRoute::Attention}>{ t(&app, OfficeText::Back) }</Link>
                }
            </p>
            <h1>{ heading }</h1>
            <p class="muted">{ t(&app, OfficeText::History) }</p>
            <h2 id="conflicts-heading">{ t(&app, OfficeText::Conflicts) }</h2>
            if history.conflicts.is_empty() {
                <p class="empty">{ t(&app, OfficeText::NoConflicts) }</p>
            } else {
                <p>{ t(&app, OfficeText::ConflictHelp) }</p>
                { for history.conflicts.iter().map(|c| conflict(&app, &history.names, &props.id, c, &on_resolved)) }
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
                        { for history.steps.iter().rev().map(|step| step_row(&app, &history.names, step)) }
                    </tbody>
                </table>
            </div>
        </section>
        </>
    }
}

fn step_row(app: &AppContext, names: &BTreeMap<String, String>, step: &HistoryStep) -> Html {
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
                    { for step.fields.iter().filter(|f| !INTERNAL_FIELDS.contains(&f.field.as_str())).map(|f| html! {
                        <li>{ field_name(app, &f.field) }{ format!(": {}", shorten(&shown(app, names, &f.field, &f.value))) }</li>
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

fn conflict(
    app: &AppContext,
    names: &BTreeMap<String, String>,
    id: &str,
    conflict: &Conflict,
    on_resolved: &Callback<()>,
) -> Html {
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
                    let value_shown = shown(app, names, &conflict.field, value);
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
