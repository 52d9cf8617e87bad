//! Recording a visit: where, about which placements, who was met, quick
//! concern tags, follow-ups with due dates, a job signal, a traffic light
//! and a summary. Saved on the phone at once, with or without coverage.
//! From a placement page the workplace and placement come pre-filled, from
//! a workplace page the workplace. The same form edits a saved visit.

use innom_shared::records::{
    Concern, ConcernTag, FollowUp, JobSignal, PlacementStatus, RecordKind, Review, SCHEMA_VERSION, Status, Visit,
    VisitType,
};
use innom_shared::sorting;
use innom_shared::sync::AnyRecord;
use innom_shared::values::{Date, DocId, Timestamp, retype};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::browser::input_value;
use crate::hooks::use_prefilled::use_prefilled;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Text};
use crate::phone::components::problem_line::problem_line;
use crate::phone::routes::{Link, Redirect, Route, use_navigator};
use crate::state::use_app;

#[derive(Debug, PartialEq, Properties)]
pub struct NewVisitProps {
    /// The visit being edited; none for a new one.
    #[prop_or_default]
    pub existing: Option<Visit>,
    /// The placement the visit is about, when started from its page.
    #[prop_or_default]
    pub placement: Option<DocId>,
    /// The workplace the visit is at, when started from its page.
    #[prop_or_default]
    pub workplace: Option<DocId>,
}

/// A follow-up row being typed; one already saved keeps its id and state.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct FollowUpDraft {
    pub id: Option<String>,
    pub text: String,
    pub due: String,
    pub done: bool,
}

/// Editing a saved visit: finds it among the phone's records.
#[derive(Debug, PartialEq, Properties)]
pub struct EditVisitProps {
    pub id: String,
}

#[function_component(EditVisitPage)]
pub fn edit_visit_page(props: &EditVisitProps) -> Html {
    let app = use_app();
    let sync = use_sync();
    let id = DocId::parse(&props.id);
    let records = sync.engine.as_ref().map(|e| e.records()).unwrap_or_default();
    match records.into_iter().find_map(|r| match r.record {
        AnyRecord::Visit(v) if Some(v.id) == id => Some(v),
        _ => None,
    }) {
        Some(visit) => html! { <NewVisitPage existing={visit} /> },
        None => html! {
            <section class="card">
                <h1>{ app.t(Text::NotFoundTitle) }</h1>
                <Link to={Route::Home} classes="button">{ app.t(Text::Cancel) }</Link>
            </section>
        },
    }
}

/// A running or planned placement at a workplace, as a checkbox shows it.
#[derive(Debug, Clone, PartialEq)]
struct PlacementChoice {
    id: DocId,
    workplace: DocId,
    name: String,
}

/// What a visit form must have before it saves: each problem is shown next
/// to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    /// No workplace chosen.
    Workplace,
    /// No placement ticked, and "no placement" not ticked either.
    Placement,
    /// Neither a summary nor a status: the visit would say nothing.
    SummaryOrStatus,
    /// "When" is empty or not a time.
    When,
}

impl Missing {
    fn text(self) -> Text {
        match self {
            Missing::Workplace => Text::MissingWorkplace,
            Missing::Placement => Text::MissingPlacement,
            Missing::SummaryOrStatus => Text::MissingSummaryOrStatus,
            Missing::When => Text::MissingWhen,
        }
    }
}

/// What was typed and ticked in the visit form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VisitInput<'a> {
    pub workplace: Option<DocId>,
    pub placements: &'a [DocId],
    pub no_placement: bool,
    pub summary: &'a str,
    pub status: Status,
    pub when: Option<Timestamp>,
}

/// Everything the form still needs, in the order of its fields. Nothing is
/// assumed for the user: a workplace, a placement (or "no placement") and
/// a summary or a status must be given.
pub(crate) fn missing(input: &VisitInput<'_>) -> Vec<Missing> {
    let mut missing = Vec::new();
    if input.workplace.is_none() {
        missing.push(Missing::Workplace);
    }
    if input.placements.is_empty() && !input.no_placement {
        missing.push(Missing::Placement);
    }
    if input.when.is_none() {
        missing.push(Missing::When);
    }
    if input.summary.trim().is_empty() && input.status == Status::NotAssessed {
        missing.push(Missing::SummaryOrStatus);
    }
    missing
}

/// A moment as a `datetime-local` input shows it (`2026-12-07T18:30`), in
/// the phone's time zone.
fn local_input_value(at: Timestamp) -> String {
    let (year, month, day, hour, minute) = i18n::local_time(at);
    format!("{year}-{month:02}-{day:02}T{hour:02}:{minute:02}")
}

/// A `datetime-local` value read in the phone's time zone; `None` if empty
/// or not a time.
fn parse_local_input(value: &str) -> Option<Timestamp> {
    if value.trim().is_empty() {
        return None;
    }
    // Without an offset, the browser reads a date and time as local time.
    let millis = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value.trim())).get_time();
    (millis.is_finite() && millis >= 0.0).then_some(Timestamp(millis as i64))
}

/// What the form holds when "Lagre" is pressed, read from its fields.
#[derive(Debug)]
pub(crate) struct VisitForm<'a> {
    pub visit_type: VisitType,
    pub workplace: DocId,
    pub placements: Vec<DocId>,
    pub at: Timestamp,
    pub minutes: u32,
    pub met: &'a str,
    pub summary: &'a str,
    pub concerns: &'a [ConcernTag],
    pub follow_ups: &'a [FollowUpDraft],
    pub job_signal: JobSignal,
    pub status: Status,
}

/// The visit the form describes: `start` (the saved visit, or a blank one)
/// with what was typed and ticked. What the form does not show (who
/// recorded it, the office's review, a concern's note) stays as it was;
/// follow-up rows left empty are dropped, and a new one gets an id.
pub(crate) fn typed_visit(mut visit: Visit, form: VisitForm<'_>) -> Visit {
    (visit.visit_type, visit.workplace, visit.placements) = (form.visit_type, form.workplace, form.placements);
    (visit.at, visit.duration_minutes) = (form.at, form.minutes);
    visit.met = form.met.trim().to_owned();
    retype(&mut visit.summary, form.summary);
    visit.concerns = form
        .concerns
        .iter()
        .map(|tag| {
            let note = visit.concerns.iter().find(|c| c.tag == *tag).map(|c| c.note.clone());
            Concern { tag: *tag, note: note.unwrap_or_default() }
        })
        .collect();
    visit.follow_ups = form
        .follow_ups
        .iter()
        .filter(|draft| !draft.text.trim().is_empty())
        .map(|draft| FollowUp {
            id: draft.id.clone().unwrap_or_else(|| DocId::new_random().to_string()),
            text: draft.text.trim().to_owned(),
            due: Date::parse(&draft.due),
            done: draft.done,
        })
        .collect();
    (visit.job_signal, visit.status) = (form.job_signal, form.status);
    visit
}

/// A new drop-in visit by `advisor` at `workplace`, with nothing filled in.
pub(crate) fn blank_visit(advisor: &str, workplace: DocId, now: Timestamp) -> Visit {
    Visit {
        id: DocId::new_random(),
        kind: RecordKind::Visit,
        schema_version: SCHEMA_VERSION,
        created_at: now,
        created_by: advisor.to_owned(),
        visit_type: VisitType::DropIn,
        workplace,
        placements: Vec::new(),
        advisor: advisor.to_owned(),
        at: now,
        duration_minutes: 10,
        met: String::new(),
        summary: "".into(),
        concerns: Vec::new(),
        follow_ups: Vec::new(),
        job_signal: JobSignal::None,
        status: Status::NotAssessed,
        review: Review::unreviewed(),
    }
}

#[function_component(NewVisitPage)]
pub fn new_visit_page(props: &NewVisitProps) -> Html {
    let app = use_app();
    let sync = use_sync();
    let navigator = use_navigator();
    let records = sync.engine.as_ref().map(|e| e.records()).unwrap_or_default();

    let mut workplaces: Vec<(DocId, String)> = records
        .iter()
        .filter_map(|r| match &r.record {
            AnyRecord::Workplace(w) => Some((w.id, w.name.clone())),
            _ => None,
        })
        .collect();
    sorting::sort_by(&mut workplaces, |a, b| a.1.cmp(&b.1));
    let participant_name = |id: DocId| {
        records.iter().find_map(|r| match &r.record {
            AnyRecord::Participant(p) if p.id == id => Some(p.display_name.clone()),
            _ => None,
        })
    };
    let mut choices: Vec<PlacementChoice> = records
        .iter()
        .filter_map(|r| match &r.record {
            AnyRecord::Placement(p) if matches!(p.status, PlacementStatus::Active | PlacementStatus::Planned) => {
                Some(PlacementChoice {
                    id: p.id,
                    workplace: p.workplace,
                    name: participant_name(p.participant).unwrap_or_default(),
                })
            }
            _ => None,
        })
        .collect();
    sorting::sort_by(&mut choices, |a, b| a.name.cmp(&b.name));
    let given = props.placement.and_then(|id| choices.iter().find(|c| c.id == id).cloned());
    let existing = props.existing.as_ref();

    let workplace = {
        let first = existing.map(|v| v.workplace).or(given.as_ref().map(|c| c.workplace)).or(props.workplace);
        use_state(move || first)
    };
    let placements = {
        let chosen = existing.map(|v| v.placements.clone());
        let given = given.as_ref().map(|c| c.id);
        use_state(move || chosen.unwrap_or_else(|| given.into_iter().collect::<Vec<DocId>>()))
    };
    // Editing a saved visit about no placement keeps "no placement" ticked.
    let no_placement = use_state(|| existing.is_some_and(|v| v.placements.is_empty()));
    let concerns = use_state(|| {
        existing.map(|v| v.concerns.iter().map(|c| c.tag).collect::<Vec<ConcernTag>>()).unwrap_or_default()
    });
    let follow_ups = use_state(|| {
        let mut drafts: Vec<FollowUpDraft> = existing
            .map(|v| {
                let drafts = v.follow_ups.iter().map(|f| FollowUpDraft {
                    id: Some(f.id.clone()),
                    text: f.text.clone(),
                    due: f.due.map(Date::to_iso).unwrap_or_default(),
                    done: f.done,
                });
                drafts.collect()
            })
            .unwrap_or_default();
        drafts.push(FollowUpDraft::default());
        drafts
    });
    let job_signal = use_state(|| existing.map_or(JobSignal::None, |v| v.job_signal));
    let status = use_state(|| existing.map_or(Status::NotAssessed, |v| v.status));
    // "When" shows minutes; left as it was shown, the visit keeps its
    // exact time (a new one the moment it is saved), so visits recorded
    // in the same minute keep their order.
    let shown_when = use_state(|| local_input_value(existing.map_or(Timestamp(js_sys::Date::now() as i64), |v| v.at)));
    let when = use_prefilled((*shown_when).clone());
    let problems = use_state(Vec::<Missing>::new);
    let visit_type = use_node_ref();
    let duration = use_prefilled(existing.map_or(10, |v| v.duration_minutes).to_string());
    let met = use_prefilled(existing.map(|v| v.met.clone()).unwrap_or_default());
    let summary = use_prefilled(existing.map(|v| v.summary.as_str().to_owned()).unwrap_or_default());
    let busy = use_state(|| false);
    let saved = use_state(|| false);
    let error = use_state(|| None::<String>);

    let Some(session) = app.session.clone() else {
        return html! { <Redirect to={Route::Login} /> };
    };
    if workplaces.is_empty() {
        return html! {
            <section class="card">
                <h1>{ app.t(Text::NewVisit) }</h1>
                <p>{ app.t(Text::NoWorkplaces) }</p>
            </section>
        };
    }

    // Nothing is picked for the user: until a workplace is chosen, none is.
    let current_workplace = (*workplace).filter(|id| workplaces.iter().any(|w| w.0 == *id));

    let onsubmit = {
        let (app, engine, busy, saved, error) =
            (app.clone(), sync.engine.clone(), busy.clone(), saved.clone(), error.clone());
        let (placements, no_placement, concerns, follow_ups, job_signal, status) = (
            placements.clone(),
            no_placement.clone(),
            concerns.clone(),
            follow_ups.clone(),
            job_signal.clone(),
            status.clone(),
        );
        let (visit_type, duration, met, summary, when, problems) =
            (visit_type.clone(), duration.clone(), met.clone(), summary.clone(), when.clone(), problems.clone());
        let shown_when = shown_when.clone();
        let existing = props.existing.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(engine) = engine.clone() else { return };
            let kind = visit_type
                .cast::<HtmlSelectElement>()
                .and_then(|s| VisitType::parse(&s.value()))
                .unwrap_or(VisitType::DropIn);
            let minutes = duration.cast::<HtmlInputElement>().and_then(|i| i.value().trim().parse().ok());
            let typed_when = when.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let at = match (&existing, typed_when == *shown_when) {
                (Some(saved), true) => Some(saved.at),
                (None, true) => Some(Timestamp(js_sys::Date::now() as i64)),
                (_, false) => parse_local_input(&typed_when),
            };
            let typed = summary.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
            let chosen: Vec<DocId> = if *no_placement { Vec::new() } else { (*placements).clone() };
            let input = VisitInput {
                workplace: current_workplace,
                placements: &chosen,
                no_placement: *no_placement,
                summary: &typed,
                status: *status,
                when: at,
            };
            let found = missing(&input);
            problems.set(found.clone());
            // A duration that is not a number is left to the shared rules,
            // which say it must be 1 to 720 minutes.
            let (Some(workplace), Some(at), true) = (current_workplace, at, found.is_empty()) else { return };
            let minutes = minutes.unwrap_or(0);
            let now = Timestamp(js_sys::Date::now() as i64);
            // An edit starts from the saved visit, so what the form does not
            // show (who recorded it, the office's review) stays as it was.
            let start = existing.clone().unwrap_or_else(|| blank_visit(&session.user.username, workplace, now));
            let met = met.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let form = VisitForm {
                visit_type: kind,
                workplace,
                placements: chosen,
                at,
                minutes,
                met: &met,
                summary: &typed,
                concerns: &concerns,
                follow_ups: &follow_ups,
                job_signal: *job_signal,
                status: *status,
            };
            let mut visit = typed_visit(start, form);
            // An edit goes onto the visit as it is now, which a sync may
            // have changed since the form opened (`edits.rs`).
            if let Some(before) = &existing {
                let now = engine.records().into_iter().find_map(|r| match r.record {
                    AnyRecord::Visit(v) if v.id == before.id => Some(v),
                    _ => None,
                });
                if let Some(mut now) = now {
                    if now.apply_edit(before, &visit).is_err() {
                        return error.set(Some(app.t(Text::SummaryConflict).to_owned()));
                    }
                    visit = now;
                }
            }
            busy.set(true);
            let (app, busy, saved, error, navigator) =
                (app.clone(), busy.clone(), saved.clone(), error.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match engine.save(&visit).await {
                    // "Saved" shows on the form at once; the home page,
                    // which takes longer to draw, follows.
                    Ok(()) => {
                        saved.set(true);
                        if let Some(navigator) = navigator {
                            navigator.push_after_paint(&Route::Home);
                        }
                    }
                    Err(e) => error.set(Some(e.message(app.lang))),
                }
                busy.set(false);
            });
        })
    };

    let on_workplace = {
        let (workplace, placements, no_placement) = (workplace.clone(), placements.clone(), no_placement.clone());
        Callback::from(move |event: Event| {
            workplace.set(DocId::parse(&event.target_unchecked_into::<HtmlSelectElement>().value()));
            placements.set(Vec::new());
            no_placement.set(false);
        })
    };
    let on_no_placement = {
        let (no_placement, placements) = (no_placement.clone(), placements.clone());
        Callback::from(move |_| {
            if !*no_placement {
                placements.set(Vec::new());
            }
            no_placement.set(!*no_placement);
        })
    };
    // The problem of one field, shown under it and tied to it for screen
    // readers (`aria-describedby`; empty while there is none).
    let problem =
        |which: Missing, id: &'static str| problem_line(problems.contains(&which).then(|| app.t(which.text())), id);
    let here: Vec<&PlacementChoice> = choices.iter().filter(|c| Some(c.workplace) == current_workplace).collect();
    let placement_box = |choice: &PlacementChoice| {
        let id = choice.id;
        let checked = placements.contains(&id);
        let (placements, no_placement) = (placements.clone(), no_placement.clone());
        let onchange = Callback::from(move |_| {
            let mut chosen = (*placements).clone();
            if let Some(at) = chosen.iter().position(|p| *p == id) {
                chosen.remove(at);
            } else {
                chosen.push(id);
                no_placement.set(false);
            }
            placements.set(chosen);
        });
        html! {
            <label class="check"><input type="checkbox" {checked} {onchange} />{ &choice.name }</label>
        }
    };
    let concern_box = |tag: ConcernTag| {
        let checked = concerns.contains(&tag);
        let concerns = concerns.clone();
        let onchange = Callback::from(move |_| {
            let mut chosen = (*concerns).clone();
            if let Some(at) = chosen.iter().position(|t| *t == tag) {
                chosen.remove(at);
            } else {
                chosen.push(tag);
            }
            concerns.set(chosen);
        });
        html! {
            <label class="choice"><input type="checkbox" {checked} {onchange} />{ app.t(i18n::concern(tag)) }</label>
        }
    };
    let follow_up_row = |index: usize, draft: &FollowUpDraft| {
        let edit = |set: fn(&mut FollowUpDraft, String)| {
            let follow_ups = follow_ups.clone();
            Callback::from(move |event: InputEvent| {
                let mut drafts = (*follow_ups).clone();
                if let Some(draft) = drafts.get_mut(index) {
                    set(draft, input_value(&event));
                }
                follow_ups.set(drafts);
            })
        };
        let (text_id, due_id) = (format!("follow-up-{index}"), format!("follow-up-due-{index}"));
        html! {
            <div class="follow-up-row">
                <label for={text_id.clone()}>{ app.t(Text::FollowUpLabel) }</label>
                <input id={text_id} type="text" value={draft.text.clone()}
                    oninput={edit(|draft, value| draft.text = value)} />
                <label for={due_id.clone()}>{ app.t(Text::FollowUpDue) }</label>
                <input id={due_id} type="date" value={draft.due.clone()}
                    oninput={edit(|draft, value| draft.due = value)} />
            </div>
        }
    };
    let add_follow_up = {
        let follow_ups = follow_ups.clone();
        Callback::from(move |_| {
            let mut drafts = (*follow_ups).clone();
            drafts.push(FollowUpDraft::default());
            follow_ups.set(drafts);
        })
    };
    let radio = |name: &'static str, value: &'static str, label: Text, checked: bool, onchange: Callback<Event>| {
        html! {
            <label class={classes!("choice", format!("choice-{value}"))}>
                <input type="radio" {name} {value} {checked} {onchange} />
                { app.t(label) }
            </label>
        }
    };
    let status_choice = |value: Status| {
        let status = status.clone();
        radio(
            "status",
            value.as_str(),
            i18n::status(value),
            *status == value,
            Callback::from(move |_| status.set(value)),
        )
    };
    let signal_choice = |value: JobSignal| {
        let signal = job_signal.clone();
        let checked = *job_signal == value;
        radio(
            "job-signal",
            value.as_str(),
            i18n::job_signal(value),
            checked,
            Callback::from(move |_| signal.set(value)),
        )
    };

    html! {
        <section class="card narrow">
            <h1>{ app.t(if existing.is_some() { Text::EditVisit } else { Text::NewVisit }) }</h1>
            // The form checks itself and says what is missing beside each field.
            <form class="form" {onsubmit} novalidate=true>
                <label for="workplace">{ app.t(Text::Workplace) }</label>
                <select id="workplace" onchange={on_workplace} required=true
                    aria-describedby="workplace-problem">
                    <option value="" disabled=true selected={current_workplace.is_none()}>
                        { app.t(Text::ChooseWorkplace) }
                    </option>
                    { for workplaces.iter().map(|(id, name)| html! {
                        <option value={id.to_string()} selected={Some(*id) == current_workplace}>{ name }</option>
                    }) }
                </select>
                { problem(Missing::Workplace, "workplace-problem") }
                <fieldset class="choices" id="placements" hidden={current_workplace.is_none()}
                    aria-describedby="placements-problem">
                        <legend>{ app.t(Text::PlacementsConcerned) }</legend>
                        { for here.iter().map(|choice| placement_box(choice)) }
                        <label class="check">
                            <input type="checkbox" checked={*no_placement} onchange={on_no_placement} />
                            { app.t(Text::NoPlacementChosen) }
                        </label>
                        { problem(Missing::Placement, "placements-problem") }
                    </fieldset>
                <label for="when">{ app.t(Text::WhenLabel) }</label>
                <input id="when" type="datetime-local" ref={when} required=true
                    aria-describedby="when-problem" />
                { problem(Missing::When, "when-problem") }
                <label for="visit-type">{ app.t(Text::VisitTypeLabel) }</label>
                <select id="visit-type" ref={visit_type}>
                    { for VisitType::ALL.iter().map(|kind| html! {
                        <option value={kind.as_str()} selected={*kind == existing.map_or(VisitType::DropIn, |v| v.visit_type)}>
                            { app.t(i18n::visit_type(*kind)) }
                        </option>
                    }) }
                </select>
                <label for="met">{ app.t(Text::MetLabel) }</label>
                <input id="met" type="text" autocomplete="off" ref={met} />
                <label for="duration">{ app.t(Text::DurationMinutes) }</label>
                <input id="duration" type="number" inputmode="numeric" min="1" max="720" ref={duration} />
                <fieldset class="choices" aria-describedby="status-problem">
                    <legend>{ app.t(Text::StatusLabel) }</legend>
                    { for Status::CHOICES.iter().map(|s| status_choice(*s)) }
                    { problem(Missing::SummaryOrStatus, "status-problem") }
                </fieldset>
                <fieldset class="choices">
                    <legend>{ app.t(Text::ConcernsLabel) }</legend>
                    { for ConcernTag::ALL.iter().map(|tag| concern_box(*tag)) }
                </fieldset>
                <label for="summary">{ app.t(Text::Summary) }</label>
                <textarea id="summary" rows="4" ref={summary}
                    aria-describedby="summary-problem" />
                { problem(Missing::SummaryOrStatus, "summary-problem") }
                { for follow_ups.iter().enumerate().map(|(index, draft)| follow_up_row(index, draft)) }
                <button type="button" class="button" onclick={add_follow_up}>{ app.t(Text::AddFollowUp) }</button>
                <fieldset class="choices">
                    <legend>{ app.t(Text::JobSignalLabel) }</legend>
                    { signal_choice(JobSignal::None) }
                    { signal_choice(JobSignal::Possible) }
                    { signal_choice(JobSignal::Strong) }
                </fieldset>
                if let Some(message) = &*error {
                    <p class="error" role="alert">{ message }</p>
                }
                <p class="error" hidden={problems.is_empty()}>{ app.t(Text::FormNotSaved) }</p>
                if *saved {
                    <p class="saved" role="status">{ app.t(Text::SavedOnPhone) }</p>
                }
                <button type="submit" class="button button-primary" disabled={*busy || *saved}>
                    { if *busy { app.t(Text::Saving) } else { app.t(Text::Save) } }
                </button>
                <Link to={Route::Home} classes="button">{ app.t(Text::Cancel) }</Link>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use innom_shared::records::Status;
    use innom_shared::values::{DocId, Timestamp};

    use innom_shared::records::{Concern, ConcernTag, FollowUp, JobSignal, ReviewState, VisitType};
    use innom_shared::values::Date;

    use super::{FollowUpDraft, Missing, VisitForm, VisitInput, blank_visit, missing, typed_visit};

    fn id(n: u8) -> DocId {
        DocId::parse(&format!("00000000-0000-4000-8000-0000000000{n:02x}")).expect("a valid id")
    }

    fn filled() -> VisitInput<'static> {
        VisitInput {
            workplace: Some(id(1)),
            placements: &[],
            no_placement: true,
            summary: "",
            status: Status::Green,
            when: Some(Timestamp(1_765_000_000_000)),
        }
    }

    #[test]
    fn a_visit_with_a_workplace_no_placement_ticked_and_a_status_is_complete() {
        assert_eq!(missing(&filled()), vec![]);
    }

    #[test]
    fn an_untouched_form_names_every_field_it_needs() {
        let untouched = VisitInput {
            workplace: None,
            placements: &[],
            no_placement: false,
            summary: "  ",
            status: Status::NotAssessed,
            when: Some(Timestamp(1_765_000_000_000)),
        };
        assert_eq!(missing(&untouched), vec![Missing::Workplace, Missing::Placement, Missing::SummaryOrStatus]);
    }

    #[test]
    fn a_summary_without_a_status_is_enough_and_so_is_a_ticked_placement() {
        let placements = [id(2)];
        let input = VisitInput {
            placements: &placements,
            no_placement: false,
            summary: "Alt vel.",
            status: Status::NotAssessed,
            ..filled()
        };
        assert_eq!(missing(&input), vec![]);
    }

    #[test]
    fn an_empty_time_is_reported() {
        assert_eq!(missing(&VisitInput { when: None, ..filled() }), vec![Missing::When]);
    }

    fn form<'a>(concerns: &'a [ConcernTag], follow_ups: &'a [FollowUpDraft]) -> VisitForm<'a> {
        VisitForm {
            visit_type: VisitType::FollowUpMeeting,
            workplace: id(1),
            placements: vec![id(2)],
            at: Timestamp(1_765_000_000_000),
            minutes: 25,
            met: "  Fadder Ola ",
            summary: "Amina trives.",
            concerns,
            follow_ups,
            job_signal: JobSignal::Strong,
            status: Status::Green,
        }
    }

    #[test]
    fn a_new_visit_holds_what_was_typed_and_nothing_else() {
        let drafts = [
            FollowUpDraft { id: None, text: " Ring fadderen ".into(), due: "2026-12-10".into(), done: false },
            FollowUpDraft { id: None, text: "   ".into(), due: "2026-12-11".into(), done: false },
        ];
        let blank = blank_visit("kari", id(9), Timestamp(1_764_000_000_000));
        let visit = typed_visit(blank.clone(), form(&[ConcernTag::Language], &drafts));

        assert_eq!((visit.id, visit.created_by.as_str(), visit.created_at), (blank.id, "kari", blank.created_at));
        assert_eq!(
            (visit.visit_type, visit.workplace, visit.placements.clone()),
            (VisitType::FollowUpMeeting, id(1), vec![id(2)])
        );
        assert_eq!((visit.at, visit.duration_minutes), (Timestamp(1_765_000_000_000), 25));
        assert_eq!((visit.met.as_str(), visit.summary.as_str()), ("Fadder Ola", "Amina trives."));
        assert_eq!(visit.concerns, vec![Concern { tag: ConcernTag::Language, note: String::new() }]);
        assert_eq!(visit.follow_ups.len(), 1, "an empty row is not a follow-up");
        assert_eq!(
            (visit.follow_ups[0].text.as_str(), visit.follow_ups[0].due, visit.follow_ups[0].done),
            ("Ring fadderen", Date::parse("2026-12-10"), false)
        );
        assert!(DocId::parse(&visit.follow_ups[0].id).is_some(), "a new follow-up gets an id");
        assert_eq!((visit.job_signal, visit.status), (JobSignal::Strong, Status::Green));
    }

    #[test]
    fn an_edit_keeps_what_the_form_does_not_show() {
        let mut saved = blank_visit("kari", id(1), Timestamp(1_764_000_000_000));
        saved.concerns = vec![Concern { tag: ConcernTag::Language, note: "Øver på ord".into() }];
        saved.follow_ups = vec![FollowUp { id: "f1".into(), text: "Ring".into(), due: None, done: false }];
        saved.review.state = ReviewState::Reviewed;
        let drafts = [FollowUpDraft { id: Some("f1".into()), text: "Ring".into(), due: String::new(), done: true }];
        let visit = typed_visit(saved.clone(), form(&[ConcernTag::Language], &drafts));

        assert_eq!(visit.review, saved.review, "the office's review stays");
        assert_eq!(visit.concerns[0].note, "Øver på ord", "a ticked concern keeps its note");
        assert_eq!(
            (visit.follow_ups[0].id.as_str(), visit.follow_ups[0].done),
            ("f1", true),
            "the same follow-up, now done"
        );
        let untouched = typed_visit(saved, form(&[], &[]));
        assert!(untouched.concerns.is_empty() && untouched.follow_ups.is_empty(), "unticked and removed rows go");
    }
}
