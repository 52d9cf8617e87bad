//! Ending a placement with its outcome: hired, education, another
//! placement, no job, or ended early (which needs a reason). Saved on the
//! phone like any edit; the shared validation keeps status, outcome and
//! end date consistent.

use innom_shared::records::{Outcome, Placement, PlacementStatus};
use innom_shared::values::Date;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::hooks::use_prefilled::use_prefilled;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{Lang, Text};
use crate::state::use_app;

#[derive(Debug, PartialEq, Properties)]
pub struct EndPlacementProps {
    pub placement: Placement,
}

/// The label of an outcome.
fn outcome_text(outcome: Outcome) -> Text {
    match outcome {
        Outcome::Hired => Text::OutcomeHired,
        Outcome::Education => Text::OutcomeEducation,
        Outcome::OtherPlacement => Text::OutcomeOtherPlacement,
        Outcome::NoJob => Text::OutcomeNoJob,
        Outcome::EndedEarly => Text::OutcomeEndedEarly,
    }
}

#[function_component(EndPlacement)]
pub fn end_placement(props: &EndPlacementProps) -> Html {
    let app = use_app();
    let engine = use_sync().engine;
    // The end day starts as today; the advisor can pick another.
    let day = use_prefilled(crate::browser::today().map(|d| d.to_iso()).unwrap_or_default());
    let note = use_node_ref();
    let chosen = use_state(|| None::<Outcome>);
    let error = use_state(|| None::<Text>);
    let placement = &props.placement;

    if let (true, Some(outcome)) = (placement.has_ended(), placement.outcome) {
        let ended = placement.ended_on.unwrap_or(placement.planned_end).to_norwegian();
        return html! {
            <section class="card" aria-labelledby="end-heading">
                <h2 id="end-heading">{ app.t(Text::PlacementEnded) }</h2>
                <p class="ended">{ format!("{} · {ended}", app.t(outcome_text(outcome))) }</p>
                if !placement.outcome_note.is_empty() { <p>{ &placement.outcome_note }</p> }
            </section>
        };
    }

    let onsubmit = {
        let (id, chosen, error, day, note) = (placement.id, chosen.clone(), error.clone(), day.clone(), note.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(outcome) = *chosen else { return error.set(Some(Text::ChooseOutcome)) };
            let on = day.cast::<HtmlInputElement>().and_then(|d| Date::parse(&d.value()));
            let Some(on) = on else { return error.set(Some(Text::ChooseEndDate)) };
            let reason = note.cast::<HtmlTextAreaElement>().map(|n| n.value().trim().to_owned()).unwrap_or_default();
            if outcome == Outcome::EndedEarly && reason.is_empty() {
                return error.set(Some(Text::ReasonNeeded));
            }
            let end = move |ended: &mut Placement| {
                ended.status = match outcome {
                    Outcome::Hired => PlacementStatus::Hired,
                    Outcome::EndedEarly => PlacementStatus::EndedEarly,
                    _ => PlacementStatus::Completed,
                };
                (ended.outcome, ended.ended_on, ended.outcome_note) = (Some(outcome), Some(on), reason);
            };
            let (engine, error) = (engine.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let Some(engine) = engine else { return };
                // Onto the placement as it is now, with any merged edits.
                match engine.update(id, end).await {
                    Ok(()) => error.set(None),
                    Err(e) => {
                        web_sys::console::warn_1(&format!("ending the placement: {}", e.message(Lang::En)).into());
                        error.set(Some(Text::CouldNotSave));
                    }
                }
            });
        })
    };
    // Folded until asked for: ending a placement is rare, and the page is
    // read on a phone.
    html! {
        <details class="card fold" aria-labelledby="end-heading">
            <summary><h2 id="end-heading">{ app.t(Text::EndPlacement) }</h2></summary>
            <form class="form" {onsubmit} novalidate=true>
                <fieldset class="choices">
                    <legend>{ app.t(Text::Outcome) }</legend>
                    { for Outcome::ALL.iter().map(|outcome| {
                        let (chosen, outcome) = (chosen.clone(), *outcome);
                        html! {
                            <label class="choice">
                                <input type="radio" name="outcome" value={outcome.as_str()}
                                    onchange={Callback::from(move |_| chosen.set(Some(outcome)))} />
                                { app.t(outcome_text(outcome)) }
                            </label>
                        }
                    }) }
                </fieldset>
                <label for="end-day">{ app.t(Text::EndDate) }</label>
                <input id="end-day" type="date" ref={day} />
                <label for="end-note">{ app.t(Text::EndReason) }</label>
                <textarea id="end-note" ref={note} rows="2" />
                if let Some(message) = *error { <p class="error" role="alert">{ app.t(message) }</p> }
                <button type="submit" class="button button-primary">{ app.t(Text::EndPlacement) }</button>
            </form>
        </details>
    }
}
