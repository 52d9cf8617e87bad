//! The feedback form: tap scales, the phase's tasks, readiness, two short
//! texts, "please contact me" and a traffic light. Doable in a minute on a
//! phone; saved on the phone at once, synced when there is coverage.

use std::rc::Rc;

use innom_shared::api::MentorView;
use innom_shared::records::{MentorFeedback, Readiness, RecordKind, Review, SCHEMA_VERSION, Score, Status};
use innom_shared::values::{DocId, Timestamp};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::text::{MentorText, mt};

use crate::i18n::{self, Text};
use crate::services::sync::SyncEngine;
use crate::state::use_app;

#[derive(Properties)]
pub struct FeedbackFormProps {
    pub view: MentorView,
    pub engine: Rc<SyncEngine>,
    /// Feedback being corrected; `None` for new feedback.
    pub editing: Option<MentorFeedback>,
    /// The feedback saved on the phone, by id.
    pub on_saved: Callback<DocId>,
}

impl PartialEq for FeedbackFormProps {
    fn eq(&self, other: &Self) -> bool {
        self.view == other.view && Rc::ptr_eq(&self.engine, &other.engine) && self.editing == other.editing
    }
}

/// New feedback from this mentor on this placement, with every question
/// unanswered: a rating the mentor does not tap is stored as not assessed,
/// never as a made-up "OK".
pub(super) fn blank(view: &MentorView) -> MentorFeedback {
    MentorFeedback {
        id: DocId::new_random(),
        kind: RecordKind::MentorFeedback,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(js_sys::Date::now() as i64),
        created_by: view.identity.clone(),
        placement: view.placement,
        mentor_name: view.mentor_name.clone(),
        attendance: Score::NotAssessed,
        punctuality: Score::NotAssessed,
        initiative: Score::NotAssessed,
        norwegian: Score::NotAssessed,
        tasks_mastered: vec![],
        ready_for_next_phase: Readiness::NotAssessed,
        going_well: String::new(),
        needs_attention: String::new(),
        contact_me: false,
        status: Status::NotAssessed,
        review: Review::unreviewed(),
    }
}

#[function_component(FeedbackForm)]
pub fn feedback_form(props: &FeedbackFormProps) -> Html {
    let app = use_app();
    let draft = use_state(|| props.editing.clone().unwrap_or_else(|| blank(&props.view)));
    let busy = use_state(|| false);
    let message = use_state(|| None::<(bool, String)>);

    // Changes one field of the draft.
    let update = |change: fn(&mut MentorFeedback, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            change(&mut next, value);
            draft.set(next);
        })
    };

    let scale = |id: &'static str, label: Text, value: Score, set: fn(&mut MentorFeedback, String)| {
        let onpick = update(set);
        html! {
            <fieldset class="choices scale">
                <legend>{ app.t(label) }</legend>
                { for Score::ANSWERS.iter().map(|score| {
                    let onpick = onpick.clone();
                    let score = *score;
                    html! {
                        <label class={classes!("choice", format!("score-{}", score.as_str()))}>
                            <input type="radio" name={id} value={score.as_str()} checked={value == score}
                                onchange={Callback::from(move |_| onpick.emit(score.as_str().to_owned()))} />
                            { app.t(i18n::score(score)) }
                        </label>
                    }
                }) }
            </fieldset>
        }
    };

    let text_input = |set: fn(&mut MentorFeedback, String)| {
        let update = update(set);
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()));
            if let Some(value) = value {
                update.emit(value);
            }
        })
    };

    let onsubmit = {
        let (app, engine, draft, busy, message, on_saved) =
            (app.clone(), props.engine.clone(), draft.clone(), busy.clone(), message.clone(), props.on_saved.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let feedback = (*draft).clone();
            busy.set(true);
            let (app, engine, busy, message, on_saved) =
                (app.clone(), engine.clone(), busy.clone(), message.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match engine.save(&feedback).await {
                    // The mentor's app moves on to the thank-you, which
                    // says where the feedback is.
                    Ok(()) => on_saved.emit(feedback.id),
                    Err(e) => message.set(Some((false, e.message(app.lang)))),
                }
                busy.set(false);
            });
        })
    };

    let status_choice = |value: Status| {
        let checked = draft.status == value;
        let draft = draft.clone();
        let onchange = Callback::from(move |_| {
            let mut next = (*draft).clone();
            next.status = value;
            draft.set(next);
        });
        html! {
            <label class={classes!("choice", format!("choice-{}", value.as_str()))}>
                <input type="radio" name="status" value={value.as_str()} {checked} {onchange} />
                { app.t(i18n::status(value)) }
            </label>
        }
    };

    let readiness_choice = |value: Readiness| {
        let checked = draft.ready_for_next_phase == value;
        let draft = draft.clone();
        let onchange = Callback::from(move |_| {
            let mut next = (*draft).clone();
            next.ready_for_next_phase = value;
            draft.set(next);
        });
        html! {
            <label class="choice">
                <input type="radio" name="ready" value={value.as_str()} {checked} {onchange} />
                { app.t(i18n::readiness(value)) }
            </label>
        }
    };

    let task_tick = |id: String, text: String| {
        let draft = draft.clone();
        let checked = draft.tasks_mastered.contains(&id);
        let onchange = {
            let id = id.clone();
            Callback::from(move |_| {
                let mut next = (*draft).clone();
                match next.tasks_mastered.iter().position(|t| *t == id) {
                    Some(i) => {
                        next.tasks_mastered.remove(i);
                    }
                    None => next.tasks_mastered.push(id.clone()),
                }
                draft.set(next);
            })
        };
        html! {
            <label class="choice tick">
                <input type="checkbox" value={id} {checked} {onchange} />
                { text }
            </label>
        }
    };

    let contact_me = {
        let draft = draft.clone();
        Callback::from(move |_| {
            let mut next = (*draft).clone();
            next.contact_me = !next.contact_me;
            draft.set(next);
        })
    };

    html! {
        <section class="card narrow">
            if props.editing.is_some() {
                <h2>{ mt(&app, MentorText::Correct) }</h2>
            } else {
                <h2>{ mt(&app, MentorText::NewFeedback) }</h2>
            }
            <form class="form" {onsubmit}>
                { scale("attendance", Text::Attendance, draft.attendance,
                    |f, v| f.attendance = Score::parse(&v).unwrap_or(f.attendance)) }
                { scale("punctuality", Text::Punctuality, draft.punctuality,
                    |f, v| f.punctuality = Score::parse(&v).unwrap_or(f.punctuality)) }
                { scale("initiative", Text::Initiative, draft.initiative,
                    |f, v| f.initiative = Score::parse(&v).unwrap_or(f.initiative)) }
                { scale("norwegian", Text::NorwegianCommunication, draft.norwegian,
                    |f, v| f.norwegian = Score::parse(&v).unwrap_or(f.norwegian)) }
                if !props.view.tasks.is_empty() {
                    <fieldset class="choices ticks">
                        <legend>{ mt(&app, MentorText::TasksMastered) }</legend>
                        { for props.view.tasks.iter().map(|t| task_tick(t.id.clone(), t.text.clone())) }
                    </fieldset>
                }
                <fieldset class="choices">
                    <legend>{ app.t(Text::ReadyNextPhase) }</legend>
                    { for Readiness::ANSWERS.iter().map(|r| readiness_choice(*r)) }
                </fieldset>
                <label for="going-well">{ app.t(Text::GoingWell) }</label>
                <textarea id="going-well" rows="3" value={draft.going_well.clone()}
                    oninput={text_input(|f, v| f.going_well = v)} />
                <label for="needs-attention">{ app.t(Text::NeedsAttention) }</label>
                <textarea id="needs-attention" rows="3" value={draft.needs_attention.clone()}
                    oninput={text_input(|f, v| f.needs_attention = v)} />
                <label class="choice tick">
                    <input type="checkbox" checked={draft.contact_me} onchange={contact_me} />
                    { app.t(Text::ContactMe) }
                </label>
                <fieldset class="choices">
                    <legend>{ app.t(Text::StatusLabel) }</legend>
                    { for Status::CHOICES.iter().map(|s| status_choice(*s)) }
                </fieldset>
                <label for="mentor-name">{ mt(&app, MentorText::YourName) }</label>
                <input id="mentor-name" type="text" autocomplete="name" value={draft.mentor_name.clone()}
                    oninput={text_input(|f, v| f.mentor_name = v)} />
                if let Some((ok, text)) = &*message {
                    <p class={if *ok { "notice" } else { "error" }} role={if *ok { "status" } else { "alert" }}>
                        { text }
                    </p>
                }
                <button type="submit" class="button button-primary" disabled={*busy}>
                    { if *busy { app.t(Text::Saving) } else { app.t(Text::Save) } }
                </button>
            </form>
        </section>
    }
}
