//! A placement: who, where, which phase, ending it with an outcome, and
//! the mentor's links. Links are
//! made and revoked on the server, so that part needs coverage; the rest
//! comes from the records on the phone.

use innom_shared::api::{MentorLink, MentorLinkState, Role};
use innom_shared::records::{AgreedMeeting, JobProspect, PHASES, Placement};
use innom_shared::sync::AnyRecord;
use innom_shared::values::{Date, DocId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::use_records::use_records;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Text};
use crate::phone::components::end_placement::EndPlacement;
use crate::phone::components::placement_records::placement_records;
use crate::phone::components::qr_code::QrCodeImage;
use crate::phone::routes::{Link, Redirect, Route, use_navigator};
use crate::services::{api, files};
use crate::state::use_app;

#[derive(Debug, PartialEq, Properties)]
pub struct PlacementPageProps {
    pub id: String,
}

#[function_component(PlacementPage)]
pub fn placement_page(props: &PlacementPageProps) -> Html {
    let app = use_app();
    let Some(records) = use_records() else {
        return html! { <Redirect to={Route::Login} /> };
    };
    let id = DocId::parse(&props.id);
    let placement = records.iter().find_map(|r| match &r.record {
        AnyRecord::Placement(p) if Some(p.id) == id => Some(p.clone()),
        _ => None,
    });
    let Some(placement) = placement else {
        return html! {
            <section class="card">
                <h1>{ app.t(Text::NotFoundTitle) }</h1>
                <p>{ app.t(Text::NoPlacement) }</p>
                <Link to={Route::Home} classes="button">{ app.t(Text::BackHome) }</Link>
            </section>
        };
    };
    let participant = records.iter().find_map(|r| match &r.record {
        AnyRecord::Participant(p) if p.id == placement.participant => Some(p.clone()),
        _ => None,
    });
    let workplace = records.iter().find_map(|r| match &r.record {
        AnyRecord::Workplace(w) if w.id == placement.workplace => Some(w.name.clone()),
        _ => None,
    });
    let name = participant.as_ref().map(|p| p.display_name.clone()).unwrap_or_default();
    let first_name = participant.as_ref().map(|p| p.first_name().to_owned()).unwrap_or_default();
    let workplace = workplace.unwrap_or_default();

    html! {
        <>
            <section class="card">
                <h1>{ &name }</h1>
                <p>{ format!("{workplace} · {} {} · {}", app.t(Text::Phase), placement.phase,
                    i18n::code(app.lang, placement.status.as_str())) }</p>
                <p>{ format!("{} – {}", placement.start.to_norwegian(), placement.planned_end.to_norwegian()) }</p>
                <p>
                    { app.t(Text::MentorLabel) }{ ": " }{ &placement.mentor.name }{ " " }
                    if !placement.mentor.phone.is_empty() {
                        <a href={format!("tel:{}", placement.mentor.phone.replace(' ', ""))}>{ &placement.mentor.phone }</a>
                    }
                </p>
                <Link to={Route::NewVisitFor { placement: placement.id.to_string() }} classes="button button-primary">
                    { app.t(Text::NewVisit) }
                </Link>
            </section>
            // The mentor's link near the top: it is made at the workplace,
            // with the mentor standing there.
            <MentorLinks placement={placement.clone()} {first_name} {workplace} />
            { placement_records(&app, &records, placement.id) }
            <TrainingPlan placement={placement.clone()} />
            <FollowUpPlan placement={placement.clone()} />
            <PlacementTerms placement={placement.clone()} />
            <EndPlacement placement={placement.clone()} />
            if app.session.as_ref().is_some_and(|s| s.user.role == Role::Staff) {
                <Privacy participant={placement.participant} />
            }
        </>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct TrainingPlanProps {
    placement: Placement,
}

/// The current phase (1–3) and the training plan's tasks per phase, each
/// ticked when mastered. Every change is saved on the phone at once and
/// merges task by task with changes from other phones.
#[function_component(TrainingPlan)]
fn training_plan(props: &TrainingPlanProps) -> Html {
    let app = use_app();
    let placement = &props.placement;
    let (save, _) = use_save_placement(placement.id);
    let phase_choice = |phase: u8| {
        let save = save.clone();
        let onchange = Callback::from(move |_| save.emit(Box::new(move |p: &mut Placement| p.phase = phase)));
        html! {
            <label class="choice">
                <input type="radio" name="phase" value={phase.to_string()} checked={placement.phase == phase} {onchange} />
                { format!("{} {phase}", app.t(Text::PhaseTitle)) }
            </label>
        }
    };
    let task_box = |task: &innom_shared::records::TrainingTask| {
        let (save, id, mastered) = (save.clone(), task.id.clone(), !task.mastered);
        let onchange = Callback::from(move |_| {
            let id = id.clone();
            save.emit(Box::new(move |p: &mut Placement| {
                if let Some(task) = p.tasks.iter_mut().find(|t| t.id == id) {
                    task.mastered = mastered;
                }
            }));
        });
        html! {
            <li key={task.id.clone()}>
                <label class="check"><input type="checkbox" checked={task.mastered} {onchange} />{ &task.text }</label>
            </li>
        }
    };
    html! {
        <section class="card" aria-labelledby="plan-heading">
            <h2 id="plan-heading">{ app.t(Text::TrainingPlan) }</h2>
            <fieldset class="choices">
                <legend>{ app.t(Text::CurrentPhase) }</legend>
                { for PHASES.map(phase_choice) }
            </fieldset>
            { for PHASES.map(|phase| html! {
                <section class="plan-phase" aria-labelledby={format!("phase-{phase}")}>
                    <h3 id={format!("phase-{phase}")}>{ format!("{} {phase}", app.t(Text::PhaseTitle)) }</h3>
                    if placement.tasks_in_phase(phase).next().is_none() {
                        <p class="muted">{ app.t(Text::NoTasks) }</p>
                    } else {
                        <ul class="tasks">{ for placement.tasks_in_phase(phase).map(task_box) }</ul>
                    }
                </section>
            }) }
        </section>
    }
}

/// One edit of a placement, applied to it as it is when saved.
type PlacementEdit = Box<dyn FnOnce(&mut Placement)>;

/// Saves edits of the placement `id` on the phone; the edits on this page
/// are single fields, saved as soon as they are made, each onto the
/// placement as it is then (not as this page last showed it, which may be
/// older than a merge from another phone). Returns the saver and why the
/// last save failed, if it did (the field then shows the stored value
/// again).
#[hook]
fn use_save_placement(id: DocId) -> (Callback<PlacementEdit>, Option<String>) {
    let engine = use_sync().engine;
    let app = use_app();
    let failed = use_state(|| None::<String>);
    let save = {
        let failed = failed.clone();
        Callback::from(move |edit: PlacementEdit| {
            let Some(engine) = engine.clone() else { return };
            let (failed, app) = (failed.clone(), app.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match engine.update(id, edit).await {
                    Ok(()) => failed.set(None),
                    Err(e) => failed.set(Some(e.message(app.lang))),
                }
            });
        })
    };
    (save, (*failed).clone())
}

/// The mentor (name, phone) and the planned end, corrected as things change.
#[function_component(PlacementTerms)]
fn placement_terms(props: &TrainingPlanProps) -> Html {
    let app = use_app();
    let placement = &props.placement;
    let (save, failed) = use_save_placement(placement.id);
    let edit = |change: fn(&mut Placement, String)| {
        let save = save.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value().trim().to_owned();
            save.emit(Box::new(move |p: &mut Placement| change(p, value)));
        })
    };
    html! {
        <section class="card" aria-labelledby="terms-heading">
            <h2 id="terms-heading">{ app.t(Text::MentorAndDates) }</h2>
            <div class="form">
                <label for="terms-mentor">{ app.t(Text::MentorName) }</label>
                <input id="terms-mentor" type="text" value={placement.mentor.name.clone()}
                    onchange={edit(|p, v| p.mentor.name = v)} />
                <label for="terms-mentor-phone">{ app.t(Text::MentorPhone) }</label>
                <input id="terms-mentor-phone" type="tel" value={placement.mentor.phone.clone()}
                    onchange={edit(|p, v| p.mentor.phone = v)} />
                <label for="terms-end">{ app.t(Text::PlannedEnd) }</label>
                <input id="terms-end" type="date" value={placement.planned_end.to_iso()}
                    onchange={edit(|p, v| p.planned_end = Date::parse(&v).unwrap_or(p.planned_end))} />
                if let Some(message) = failed {
                    <p class="error" role="alert">{ message }</p>
                }
            </div>
        </section>
    }
}

/// The two agreed follow-up meetings (planned for, held), whether the
/// practice contract is signed, and the prospect of a job at the end.
#[function_component(FollowUpPlan)]
fn follow_up_plan(props: &TrainingPlanProps) -> Html {
    let app = use_app();
    let placement = &props.placement;
    let (save, _) = use_save_placement(placement.id);
    // One edit of the placement, from a form event.
    let edit = |change: fn(&mut Placement, &HtmlInputElement)| {
        let save = save.clone();
        Callback::from(move |event: Event| {
            let input = event.target_unchecked_into::<HtmlInputElement>();
            save.emit(Box::new(move |p: &mut Placement| change(p, &input)));
        })
    };
    let meeting = |number: u8, meeting: &AgreedMeeting, on_date: Callback<Event>, on_held: Callback<Event>| {
        let (date_id, held_id) = (format!("meeting-{number}-date"), format!("meeting-{number}-held"));
        html! {
            <fieldset class="meeting">
                <legend>{ format!("{}. {}", number, app.t(Text::FollowUpMeetingTitle)) }</legend>
                <label for={date_id.clone()}>{ app.t(Text::MeetingPlanned) }</label>
                <input id={date_id} type="date" value={meeting.planned.map(|d| d.to_iso()).unwrap_or_default()}
                    onchange={on_date} />
                <label class="check" for={held_id.clone()}>
                    <input id={held_id} type="checkbox" checked={meeting.held} disabled={meeting.planned.is_none()}
                        onchange={on_held} />
                    { app.t(Text::MeetingHeld) }
                </label>
            </fieldset>
        }
    };
    html! {
        <section class="card" aria-labelledby="follow-up-plan-heading">
            <h2 id="follow-up-plan-heading">{ app.t(Text::AgreedMeetings) }</h2>
            <div class="form">
                { meeting(1, &placement.first_meeting,
                    edit(|p, input| p.first_meeting.planned = Date::parse(&input.value())),
                    edit(|p, input| p.first_meeting.held = input.checked())) }
                { meeting(2, &placement.second_meeting,
                    edit(|p, input| p.second_meeting.planned = Date::parse(&input.value())),
                    edit(|p, input| p.second_meeting.held = input.checked())) }
                <label class="check">
                    <input type="checkbox" checked={placement.contract_signed}
                        onchange={edit(|p, input| p.contract_signed = input.checked())} />
                    { app.t(Text::ContractSigned) }
                </label>
                <label for="job-prospect">{ app.t(Text::JobProspectLabel) }</label>
                <select id="job-prospect"
                    onchange={edit(|p, input| p.job_prospect = JobProspect::parse(&input.value()).unwrap_or(p.job_prospect))}>
                    { for JobProspect::ALL.iter().map(|prospect| html! {
                        <option value={prospect.as_str()} selected={*prospect == placement.job_prospect}>
                            { i18n::code(app.lang, prospect.as_str()) }
                        </option>
                    }) }
                </select>
            </div>
        </section>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct MentorLinksProps {
    placement: Placement,
    first_name: String,
    workplace: String,
}

/// Where links stand: not loaded, loaded, or no coverage.
#[derive(Debug, Clone, PartialEq)]
enum Links {
    Loading,
    Loaded(Vec<MentorLink>),
    Failed,
}

/// The link a mentor opens: the secret only in the fragment.
fn link_url(secret: &str) -> String {
    let origin = gloo::utils::window().location().origin().unwrap_or_default();
    format!("{origin}{}#{secret}", crate::MENTOR_PATH)
}

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).as_string().unwrap_or_default()
}

/// The placement's mentor links: make one (shown as a QR code, and ready to
/// send by SMS or e-mail), see each one's state, revoke.
#[function_component(MentorLinks)]
fn mentor_links(props: &MentorLinksProps) -> Html {
    let app = use_app();
    let links = use_state(|| Links::Loading);
    let made = use_state(|| None::<String>);
    let token = app.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    let placement = props.placement.id;

    let reload = {
        let (links, token) = (links.clone(), token.clone());
        Callback::from(move |()| {
            let (links, token) = (links.clone(), token.clone());
            wasm_bindgen_futures::spawn_local(async move {
                links.set(match api::mentor_links(&token, placement).await {
                    Ok(loaded) => Links::Loaded(loaded),
                    Err(_) => Links::Failed,
                });
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(placement, move |_| reload.emit(()));
    }

    let make = {
        let (token, made, links, reload) = (token.clone(), made.clone(), links.clone(), reload.clone());
        Callback::from(move |_| {
            let (token, made, links, reload) = (token.clone(), made.clone(), links.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::create_mentor_link(&token, placement).await {
                    Ok(created) => {
                        made.set(Some(link_url(&created.secret)));
                        reload.emit(());
                    }
                    Err(_) => links.set(Links::Failed),
                }
            });
        })
    };

    let revoke = |link: i64| {
        let (token, reload, made) = (token.clone(), reload.clone(), made.clone());
        Callback::from(move |_| {
            let (token, reload, made) = (token.clone(), reload.clone(), made.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = api::revoke_mentor_link(&token, placement, link).await;
                made.set(None);
                reload.emit(());
            });
        })
    };

    let fresh = (*made).as_ref().map(|url| {
        let message = i18n::mentor_invitation(&props.placement.mentor.name, &props.first_name, &props.workplace, url);
        let phone = props.placement.mentor.phone.replace(' ', "");
        html! {
            <div class="new-link">
                <QrCodeImage text={url.clone()} label={app.t(Text::QrLabel)} />
                <label for="mentor-link">{ app.t(Text::LinkLabel) }</label>
                <input id="mentor-link" type="text" readonly=true value={url.clone()} />
                <div class="actions">
                    <a class="button" href={format!("sms:{phone}?body={}", encode(&message))}>{ app.t(Text::SendSms) }</a>
                    <a class="button" href={format!("mailto:?subject={}&body={}",
                        encode(i18n::MENTOR_INVITATION_SUBJECT), encode(&message))}>
                        { app.t(Text::SendEmail) }
                    </a>
                </div>
            </div>
        }
    });

    html! {
        <section class="card" aria-labelledby="mentor-links-heading">
            <h2 id="mentor-links-heading">{ app.t(Text::MentorLinksHeading) }</h2>
            { for fresh }
            <button type="button" class="button button-primary" onclick={make}>{ app.t(Text::MakeMentorLink) }</button>
            { match &*links {
                Links::Loading => html! { <p aria-busy="true">{ app.t(Text::Loading) }</p> },
                Links::Failed => html! { <p class="notice" role="status">{ app.t(Text::LinkNeedsNetwork) }</p> },
                Links::Loaded(list) => html! {
                    <ul class="record-list">
                        { for list.iter().map(|link| html! {
                            <li class="mentor-link" key={link.id.to_string()} data-link-state={link.state.as_str()}>
                                <p>
                                    { i18n::date_time(innom_shared::values::Timestamp(link.created_at)) }
                                    { " · " }{ app.t(i18n::link_state(link.state)) }
                                </p>
                                <p class="muted">
                                    { app.t(Text::ExpiresOn) }{ " " }
                                    // A day on the phone's calendar: the hour
                                    // a link stops (midnight UTC) means
                                    // little to anyone.
                                    { i18n::date(innom_shared::values::Timestamp(link.expires_at)) }
                                </p>
                                if link.state == MentorLinkState::Active {
                                    <button type="button" class="button" onclick={revoke(link.id)}>
                                        { app.t(Text::Revoke) }
                                    </button>
                                }
                            </li>
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct PrivacyProps {
    participant: DocId,
}

/// For office staff: everything about the participant as a file, and (with
/// the admin right) erasing it all for good.
#[function_component(Privacy)]
fn privacy(props: &PrivacyProps) -> Html {
    let app = use_app();
    let sync = use_sync();
    let navigator = use_navigator();
    let message = use_state(|| None::<Text>);
    let token = app.session.as_ref().map(|s| s.token.clone()).unwrap_or_default();
    let is_admin = app.session.as_ref().is_some_and(|s| s.user.is_admin);
    let participant = props.participant;

    let export = {
        let (token, message) = (token.clone(), message.clone());
        Callback::from(move |_| {
            let (token, message) = (token.clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::export_participant(&token, participant).await {
                    Ok(json) => {
                        files::save(&format!("innom-deltaker-{participant}.json"), json.as_bytes(), "application/json")
                    }
                    Err(_) => message.set(Some(Text::PrivacyNeedsNetwork)),
                }
            });
        })
    };
    let erase = {
        let (token, message, engine, confirm) =
            (token, message.clone(), sync.engine.clone(), app.t(Text::ConfirmErase));
        Callback::from(move |_| {
            if !gloo::utils::window().confirm_with_message(confirm).unwrap_or(false) {
                return;
            }
            let (token, message, engine, navigator) =
                (token.clone(), message.clone(), engine.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::erase_participant(&token, participant).await {
                    Ok(_) => {
                        // The next sync brings the erasure to this phone too.
                        if let Some(engine) = engine {
                            engine.sync_now().await;
                        }
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Home);
                        }
                    }
                    Err(_) => message.set(Some(Text::PrivacyNeedsNetwork)),
                }
            });
        })
    };

    html! {
        <section class="card" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">{ app.t(Text::PrivacyHeading) }</h2>
            <div class="actions">
                <button type="button" class="button" onclick={export}>{ app.t(Text::ExportParticipant) }</button>
                if is_admin {
                    <button type="button" class="button button-danger" onclick={erase}>{ app.t(Text::EraseParticipant) }</button>
                }
            </div>
            if let Some(text) = *message {
                <p class="notice" role="status">{ app.t(text) }</p>
            }
        </section>
    }
}
