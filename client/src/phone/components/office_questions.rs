//! The office's questions on the advisor's home page: visits and mentor
//! feedback that staff marked "needs more information", each with who the
//! record is about, who asked and what, until the advisor answers. On a
//! visit the answer is added to its summary; on feedback, which is the
//! mentor's own text, it goes into the review's `answer`. Either way the
//! record goes back to the office as not yet reviewed.

use innom_shared::records::{Review, ReviewState};
use innom_shared::sync::AnyRecord;
use innom_shared::values::{DocId, Timestamp};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Lang, Text};
use crate::state::use_app;

/// How an answer starts in a visit's summary; in Norwegian, as records are.
const ANSWER_PREFIX: &str = "Svar til kontoret:";

#[function_component(OfficeQuestions)]
pub fn office_questions() -> Html {
    let app = use_app();
    let sync = use_sync();
    let records: Vec<AnyRecord> =
        sync.engine.as_ref().map(|e| e.records()).unwrap_or_default().into_iter().map(|l| l.record).collect();
    let asked: Vec<&AnyRecord> = records
        .iter()
        .filter(|record| match record {
            AnyRecord::Visit(v) => v.review.state == ReviewState::NeedsMoreInfo,
            AnyRecord::MentorFeedback(f) => f.review.state == ReviewState::NeedsMoreInfo,
            _ => false,
        })
        .collect();
    if asked.is_empty() {
        return Html::default();
    }
    // Who and where, by name: the question is about people, not ids.
    let placement = |id: DocId| {
        records.iter().find_map(|r| match r {
            AnyRecord::Placement(p) if p.id == id => Some((p.participant, p.workplace)),
            _ => None,
        })
    };
    let participant = |id: DocId| {
        records.iter().find_map(|r| match r {
            AnyRecord::Participant(p) if p.id == id => Some(p.display_name.clone()),
            _ => None,
        })
    };
    let workplace = |id: DocId| {
        records.iter().find_map(|r| match r {
            AnyRecord::Workplace(w) if w.id == id => Some(w.name.clone()),
            _ => None,
        })
    };
    let about = |placements: &[DocId], at: Option<DocId>| {
        let people: Vec<String> =
            placements.iter().filter_map(|p| placement(*p)).filter_map(|(person, _)| participant(person)).collect();
        let place = at.or_else(|| placements.iter().find_map(|p| placement(*p)).map(|(_, w)| w)).and_then(workplace);
        people.into_iter().chain(place).collect::<Vec<_>>().join(" · ")
    };
    html! {
        <section class="card attention" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{ app.t(Text::OfficeAsks) }</h2>
            <ul class="record-list">
                { for asked.into_iter().map(|record| match record {
                    AnyRecord::Visit(v) => html! {
                        <Question key={v.id.to_string()} id={v.id} at={v.at}
                            what={app.t(i18n::visit_type(v.visit_type)).to_owned()}
                            content={v.summary.as_str().to_owned()} review={v.review.clone()}
                            about={about(&v.placements, Some(v.workplace))} on_visit=true />
                    },
                    AnyRecord::MentorFeedback(f) => html! {
                        <Question key={f.id.to_string()} id={f.id} at={f.created_at}
                            what={format!("{} ({})", app.t(Text::FeedbackTitle), f.mentor_name)}
                            content={format!("{} {}", f.going_well, f.needs_attention).trim().to_owned()}
                            review={f.review.clone()} about={about(&[f.placement], None)} on_visit=false />
                    },
                    _ => Html::default(),
                }) }
            </ul>
        </section>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct QuestionProps {
    id: DocId,
    at: Timestamp,
    /// What the record is: the visit's type, or feedback and the mentor.
    what: String,
    /// The visit's summary or the mentor's words.
    content: String,
    review: Review,
    /// The participants and the workplace, by name.
    about: String,
    /// A visit, whose summary the answer goes into; else feedback.
    on_visit: bool,
}

#[function_component(Question)]
fn question(props: &QuestionProps) -> Html {
    let app = use_app();
    let engine = use_sync().engine;
    let answer = use_node_ref();
    let empty = use_state(|| false);
    let onsubmit = {
        let (id, on_visit, answer, empty) = (props.id, props.on_visit, answer.clone(), empty.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let text = answer.cast::<HtmlTextAreaElement>().map(|a| a.value()).unwrap_or_default();
            let text = text.trim().to_owned();
            empty.set(text.is_empty());
            let (Some(engine), false) = (engine.clone(), text.is_empty()) else { return };
            // The answer goes onto the visit as it is now, which a sync may
            // have changed since the page was drawn.
            let visit = on_visit.then(|| {
                engine.records().into_iter().find_map(|listed| match listed.record {
                    AnyRecord::Visit(v) if v.id == id => Some(v),
                    _ => None,
                })
            });
            wasm_bindgen_futures::spawn_local(async move {
                let saved = match visit {
                    Some(None) => return,
                    Some(Some(mut visit)) => {
                        // Appended as one insertion at the end (a text diff
                        // would carry Unicode segmentation tables into the
                        // download).
                        let end = visit.summary.as_str().len();
                        let gap = if end == 0 { "" } else { "\n\n" };
                        visit.summary.splice(end, 0, format!("{gap}{ANSWER_PREFIX} {text}"));
                        visit.review.state = ReviewState::Unreviewed;
                        engine.save(&visit).await
                    }
                    None => engine.answer_feedback(id, &text).await,
                };
                // Said in words, not `{:?}`: Debug formatting would bring
                // every record type's Debug code into the download.
                if let Err(e) = saved {
                    web_sys::console::error_1(&format!("answering the office: {}", e.message(Lang::En)).into());
                }
            });
        })
    };
    let field = format!("answer-{}", props.id);
    let problem = format!("answer-{}-problem", props.id);
    let review = &props.review;
    let asker = review.reviewer_name.clone().or_else(|| review.reviewer.clone()).unwrap_or_default();
    html! {
        <li class="question-item">
            <p class="visit-title">{ &props.about }</p>
            <p class="muted">{ format!("{} · {}", i18n::date_time(props.at), props.what) }</p>
            if !props.content.is_empty() {
                <p class="visit-summary">{ &props.content }</p>
            }
            <p class="notice">{ format!("{asker}: «{}»", review.comment) }</p>
            <form class="form" {onsubmit} novalidate=true>
                <label for={field.clone()}>{ app.t(Text::AnswerOffice) }</label>
                <textarea id={field} ref={answer} rows="3" aria-describedby={empty.then(|| problem.clone())} />
                <p class="field-error" id={problem} role="alert" hidden={!*empty}>
                    { if *empty { app.t(Text::AnswerIsEmpty) } else { "" } }
                </p>
                <button type="submit" class="button button-primary">{ app.t(Text::SendAnswer) }</button>
            </form>
        </li>
    }
}
