//! The office's questions on the advisor's home page: visits that staff
//! marked "needs more information", each with what they asked, until the
//! advisor answers. The answer is added to the visit's summary, and the
//! visit goes back to the office as not yet reviewed.

use innom_shared::records::{ReviewState, Visit};
use innom_shared::sync::AnyRecord;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Text};
use crate::state::use_app;

/// How an answer starts in the summary; in Norwegian, as records are.
const ANSWER_PREFIX: &str = "Svar til kontoret:";

#[function_component(OfficeQuestions)]
pub fn office_questions() -> Html {
    let app = use_app();
    let sync = use_sync();
    let records = sync.engine.as_ref().map(|e| e.records()).unwrap_or_default();
    let asked: Vec<Visit> = records
        .into_iter()
        .filter_map(|listed| match listed.record {
            AnyRecord::Visit(visit) if visit.review.state == ReviewState::NeedsMoreInfo => Some(visit),
            _ => None,
        })
        .collect();
    if asked.is_empty() {
        return Html::default();
    }
    html! {
        <section class="card attention" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{ app.t(Text::OfficeAsks) }</h2>
            <ul class="record-list">
                { for asked.into_iter().map(|visit| { let key = visit.id.to_string(); html! { <Question {key} {visit} /> } }) }
            </ul>
        </section>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct QuestionProps {
    visit: Visit,
}

#[function_component(Question)]
fn question(props: &QuestionProps) -> Html {
    let app = use_app();
    let engine = use_sync().engine;
    let answer = use_node_ref();
    let visit = &props.visit;
    let onsubmit = {
        let (visit, answer) = (visit.clone(), answer.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let text = answer.cast::<HtmlTextAreaElement>().map(|a| a.value()).unwrap_or_default();
            let (Some(engine), false) = (engine.clone(), text.trim().is_empty()) else { return };
            let mut visit = visit.clone();
            // Appended as one insertion at the end (a text diff would
            // carry Unicode segmentation tables into the download).
            let end = visit.summary.as_str().len();
            let gap = if end == 0 { "" } else { "\n\n" };
            visit.summary.splice(end, 0, format!("{gap}{ANSWER_PREFIX} {}", text.trim()));
            visit.review.state = ReviewState::Unreviewed;
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = engine.save(&visit).await {
                    web_sys::console::error_1(&format!("answering the office: {e:?}").into());
                }
            });
        })
    };
    let field = format!("answer-{}", visit.id);
    html! {
        <li class="question-item">
            <p class="visit-title">
                { format!("{} · {}", i18n::date_time(visit.at), app.t(i18n::visit_type(visit.visit_type))) }
            </p>
            <p class="visit-summary">{ visit.summary.as_str() }</p>
            <p class="notice">
                { format!("{}: «{}»", visit.review.reviewer.clone().unwrap_or_default(), visit.review.comment) }
            </p>
            <form class="form" {onsubmit}>
                <label for={field.clone()}>{ app.t(Text::AnswerOffice) }</label>
                <textarea id={field} ref={answer} rows="3" />
                <button type="submit" class="button button-primary">{ app.t(Text::SendAnswer) }</button>
            </form>
        </li>
    }
}
