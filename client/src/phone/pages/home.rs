//! The home page ("I dag"): greeting, sync state, a quick way to record a
//! visit, the office's questions, placements that need a visit or end
//! soon, the follow-ups not yet done (tick one off here), the placements whose mentor has raised a flag, and the visits on
//! this phone with their sync state.

use std::collections::BTreeMap;

use innom_shared::api::Role;
use innom_shared::records::{FollowUp, MentorFeedback, PlacementStatus, Readiness, Status, Visit};
use innom_shared::sorting;
use innom_shared::sync::{AnyRecord, RecordSyncState};
use innom_shared::values::{Date, DocId};
use yew::prelude::*;

use crate::browser::today;
use crate::components::sync_badge::SyncBadge;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Lang, Text};
use crate::phone::components::office_questions::OfficeQuestions;
use crate::phone::components::reminders::Reminders;
use crate::phone::components::sync_panel::SyncPanel;
use crate::phone::routes::{Link, Redirect, Route};
use crate::state::use_app;

#[function_component(HomePage)]
pub fn home_page() -> Html {
    let app = use_app();
    let sync = use_sync();
    let show_all_visits = use_state(|| false);
    let Some(session) = &app.session else {
        return html! { <Redirect to={Route::Login} /> };
    };
    let role = match session.user.role {
        Role::Advisor => app.t(Text::RoleAdvisor),
        Role::Staff => app.t(Text::RoleStaff),
    };
    let records = sync.engine.as_ref().map(|e| e.records()).unwrap_or_default();
    let workplace_name = |id| {
        records.iter().find_map(|r| match &r.record {
            AnyRecord::Workplace(w) if w.id == id => Some(w.name.clone()),
            _ => None,
        })
    };
    let mut visits: Vec<_> = records
        .iter()
        .filter_map(|r| match &r.record {
            AnyRecord::Visit(v) => Some((v, &r.state)),
            _ => None,
        })
        .collect();
    sorting::sort_by_key(&mut visits, |(v, _)| std::cmp::Reverse(v.at));
    // A phone holds months of visits; the page lists the latest ones (and
    // every one the server has not confirmed yet) until asked for all, so
    // it stays quick to draw as they add up.
    let all_visits = visits.len();
    if !*show_all_visits {
        let mut shown = 0;
        visits.retain(|(_, state)| {
            shown += 1;
            shown <= RECENT_VISITS || **state != RecordSyncState::Confirmed
        });
    }
    let show_all = (visits.len() < all_visits).then(|| {
        let show_all_visits = show_all_visits.clone();
        Callback::from(move |_| show_all_visits.set(true))
    });
    let attention = needs_attention(&records);
    let mut placements: Vec<_> = records
        .iter()
        .filter_map(|r| match &r.record {
            AnyRecord::Placement(p) if p.status == PlacementStatus::Active => Some(p.clone()),
            _ => None,
        })
        .collect();
    sorting::sort_by_key(&mut placements, |p| p.planned_end);
    let participant_of = |placement: DocId| {
        records.iter().find_map(|r| match &r.record {
            AnyRecord::Placement(p) if p.id == placement => Some(p.participant),
            _ => None,
        })
    };
    let participant_name = |id| {
        records.iter().find_map(|r| match &r.record {
            AnyRecord::Participant(p) if p.id == id => Some(p.display_name.clone()),
            _ => None,
        })
    };
    let placement_workplace = |placement: DocId| {
        records.iter().find_map(|r| match &r.record {
            AnyRecord::Placement(p) if p.id == placement => Some(p.workplace),
            _ => None,
        })
    };

    let today = today();
    // What is due today (or overdue) comes first; the rest follows below.
    let (due_follow_ups, later_follow_ups): (Vec<_>, Vec<_>) =
        open_follow_ups(&records).into_iter().partition(|(_, f)| f.due.is_some_and(|due| Some(due) <= today));
    let due_meetings = due_meetings(&records, today);
    let mark_done = {
        let engine = sync.engine.clone();
        Callback::from(move |(visit, follow_up): (DocId, String)| {
            let Some(engine) = engine.clone() else { return };
            let done = move |visit: &mut Visit| {
                if let Some(item) = visit.follow_ups.iter_mut().find(|f| f.id == follow_up) {
                    item.done = true;
                }
            };
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = engine.update(visit, done).await {
                    web_sys::console::error_1(&format!("marking a follow-up done: {}", e.message(Lang::En)).into());
                }
            });
        })
    };

    let follow_up_item = |visit: &Visit, item: &FollowUp| {
        let overdue = item.due.is_some_and(|due| Some(due) < today);
        let onchange = {
            let (mark_done, visit, id) = (mark_done.clone(), visit.id, item.id.clone());
            Callback::from(move |_| mark_done.emit((visit, id.clone())))
        };
        html! {
            <li class="follow-up-item" key={item.id.clone()}>
                <label class="check">
                    <input type="checkbox" {onchange} />{ &item.text }
                </label>
                <p class="muted">
                    { workplace_name(visit.workplace).unwrap_or_default() }
                    if let Some(due) = item.due {
                        { format!(" · {} {}", app.t(Text::FollowUpDue), due.to_norwegian()) }
                    }
                    if overdue {
                        { " · " }<strong class="overdue">{ app.t(Text::Overdue) }</strong>
                    }
                </p>
            </li>
        }
    };

    html! {
        <>
            <section class="card">
                <h1 class="greeting">{ format!("{}, {}", app.t(Text::Hello), session.user.display_name) }</h1>
                <p class="role">{ role }</p>
                <Link to={Route::NewVisit} classes="button button-primary">{ app.t(Text::NewVisit) }</Link>
                { " " }
                <Link to={Route::Workplaces} classes="button">{ app.t(Text::WorkplacesHeading) }</Link>
                { " " }
                <Link to={Route::Participants} classes="button">{ app.t(Text::ParticipantsHeading) }</Link>
            </section>
            <OfficeQuestions />
            <section class="card today" aria-labelledby="today-heading">
                <h2 id="today-heading">{ app.t(Text::TodayHeading) }</h2>
                if due_follow_ups.is_empty() && due_meetings.is_empty() {
                    <p class="empty">{ app.t(Text::NothingDueToday) }</p>
                } else {
                    <ul class="record-list">
                        { for due_follow_ups.iter().map(|(visit, item)| follow_up_item(visit, item)) }
                        { for due_meetings.iter().map(|(placement, which, day)| html! {
                            <li class="meeting-item" key={format!("{placement}-{}", u8::from(*which == Text::SecondMeetingDue))}>
                                <Link to={Route::Placement { id: placement.to_string() }}>
                                    { participant_of(*placement).and_then(participant_name).unwrap_or_default() }
                                </Link>
                                <p class="muted">
                                    { format!("{} · {} {}", app.t(*which), app.t(Text::PlannedFor), day.to_norwegian()) }
                                    if Some(*day) < today {
                                        { " · " }<strong class="overdue">{ app.t(Text::Overdue) }</strong>
                                    }
                                </p>
                            </li>
                        }) }
                    </ul>
                }
            </section>
            <Reminders />
            <SyncPanel />
            <section class="card" aria-labelledby="follow-ups-heading">
                <h2 id="follow-ups-heading">{ app.t(Text::LaterFollowUps) }</h2>
                if later_follow_ups.is_empty() {
                    <p class="empty">{ app.t(Text::NoFollowUps) }</p>
                } else {
                    <ul class="record-list">
                        { for later_follow_ups.iter().map(|(visit, item)| follow_up_item(visit, item)) }
                    </ul>
                }
            </section>
            if !attention.is_empty() {
                <section class="card attention" aria-labelledby="attention-heading">
                    <h2 id="attention-heading">{ app.t(Text::AttentionHeading) }</h2>
                    <ul class="record-list">
                        { for attention.iter().map(|(placement, flags)| html! {
                            <li class="attention-item" key={placement.to_string()}>
                                <p class="visit-title">
                                    <Link to={Route::Placement { id: placement.to_string() }}>
                                        { participant_of(*placement).and_then(participant_name).unwrap_or_default() }
                                    </Link>
                                    { " · " }
                                    { placement_workplace(*placement).and_then(workplace_name).unwrap_or_default() }
                                </p>
                                <ul class="flags">
                                    { for flags.iter().map(|flag| html! { <li class="flag">{ app.t(*flag) }</li> }) }
                                </ul>
                            </li>
                        }) }
                    </ul>
                </section>
            }
            if !placements.is_empty() {
                <section class="card" aria-labelledby="placements-heading">
                    <h2 id="placements-heading">{ app.t(Text::PlacementsHeading) }</h2>
                    <ul class="record-list">
                        { for placements.iter().map(|p| html! {
                            <li class="placement-item" key={p.id.to_string()}>
                                <Link to={Route::Placement { id: p.id.to_string() }}>
                                    { participant_name(p.participant).unwrap_or_default() }
                                </Link>
                                { format!(" · {} · {} {}", workplace_name(p.workplace).unwrap_or_default(),
                                    app.t(Text::Phase), p.phase) }
                            </li>
                        }) }
                    </ul>
                </section>
            }
            <section class="card" aria-labelledby="visits-heading">
                <h2 id="visits-heading">{ app.t(Text::Visits) }</h2>
                if visits.is_empty() {
                    <p class="empty">{ app.t(Text::HomeEmpty) }</p>
                } else {
                    <ul class="record-list">
                        { for visits.iter().map(|(visit, state)| html! {
                            <li class="visit-item" key={visit.id.to_string()}>
                                <p class="visit-title">
                                    <span role="img" class={classes!("dot", format!("dot-{}", visit.status.as_str()))}
                                        aria-label={app.t(i18n::status(visit.status))}></span>
                                    { workplace_name(visit.workplace).unwrap_or_default() }
                                    { " · " }{ app.t(i18n::visit_type(visit.visit_type)) }
                                </p>
                                <p class="muted visit-when">{ i18n::date_time(visit.at) }</p>
                                <p class="visit-summary">{ visit.summary.as_str() }</p>
                                <SyncBadge state={(*state).clone()} />
                                <Link to={Route::EditVisit { id: visit.id.to_string() }} classes="button">
                                    { app.t(Text::EditButton) }
                                </Link>
                            </li>
                        }) }
                    </ul>
                    if let Some(onclick) = show_all {
                        <button type="button" class="button" {onclick}>
                            { format!("{} ({all_visits})", app.t(Text::ShowAllVisits)) }
                        </button>
                    }
                }
            </section>
        </>
    }
}

/// How many of the latest visits the home page lists at first.
const RECENT_VISITS: usize = 20;

/// Every follow-up not yet done, with its visit, the earliest due first
/// (those without a date last).
fn open_follow_ups(records: &[crate::services::sync::Listed]) -> Vec<(Visit, FollowUp)> {
    let mut open: Vec<(Visit, FollowUp)> = records
        .iter()
        .filter_map(|listed| match &listed.record {
            AnyRecord::Visit(visit) => Some(visit),
            _ => None,
        })
        .flat_map(|visit| visit.follow_ups.iter().filter(|f| !f.done).map(move |f| (visit.clone(), f.clone())))
        .collect();
    sorting::sort_by_key(&mut open, |(_, f)| (f.due.is_none(), f.due));
    open
}

/// The agreed follow-up meetings of running placements planned for today
/// or earlier and not yet held, the earliest first.
fn due_meetings(records: &[crate::services::sync::Listed], today: Option<Date>) -> Vec<(DocId, Text, Date)> {
    let Some(today) = today else { return Vec::new() };
    let mut due: Vec<(DocId, Text, Date)> = Vec::new();
    for listed in records {
        let AnyRecord::Placement(p) = &listed.record else { continue };
        if !matches!(p.status, PlacementStatus::Active | PlacementStatus::Planned) {
            continue;
        }
        for (which, meeting) in [(Text::FirstMeetingDue, &p.first_meeting), (Text::SecondMeetingDue, &p.second_meeting)]
        {
            if let Some(day) = meeting.planned.filter(|day| !meeting.held && *day <= today) {
                due.push((p.id, which, day));
            }
        }
    }
    sorting::sort_by_key(&mut due, |(id, _, day)| (*day, *id));
    due
}

/// Placements whose latest mentor feedback asks for contact, is red or
/// says "not yet" to the next phase, with the reasons.
fn needs_attention(records: &[crate::services::sync::Listed]) -> Vec<(DocId, Vec<Text>)> {
    let mut latest: BTreeMap<DocId, &MentorFeedback> = BTreeMap::new();
    for listed in records {
        if let AnyRecord::MentorFeedback(f) = &listed.record {
            let newer = latest.get(&f.placement).is_none_or(|known| known.created_at < f.created_at);
            if newer {
                latest.insert(f.placement, f);
            }
        }
    }
    latest
        .into_iter()
        .filter_map(|(placement, feedback)| {
            let mut flags = Vec::new();
            if feedback.contact_me {
                flags.push(Text::FlagContactMe);
            }
            if feedback.status == Status::Red {
                flags.push(Text::FlagRed);
            }
            if feedback.ready_for_next_phase == Readiness::NotYet {
                flags.push(Text::FlagNotReady);
            }
            (!flags.is_empty()).then_some((placement, flags))
        })
        .collect()
}
