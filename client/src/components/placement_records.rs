//! "What did we say last time": a placement's visits and its mentor's
//! feedback, newest first, read from the records on the phone.

use innom_shared::records::{MentorFeedback, Score, Visit};
use innom_shared::sorting;
use innom_shared::sync::AnyRecord;
use innom_shared::values::{DocId, Timestamp};
use yew::prelude::*;

use crate::app::Route;
use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Text};
use crate::router::Link;
use crate::state::use_app;

#[derive(Debug, PartialEq, Properties)]
pub struct PlacementRecordsProps {
    pub placement: DocId,
}

/// One entry of the list.
enum Entry {
    Visit(Visit),
    Feedback(MentorFeedback),
}

impl Entry {
    fn at(&self) -> Timestamp {
        match self {
            Entry::Visit(v) => v.at,
            Entry::Feedback(f) => f.created_at,
        }
    }
}

#[function_component(PlacementRecords)]
pub fn placement_records(props: &PlacementRecordsProps) -> Html {
    let app = use_app();
    let sync = use_sync();
    let records = sync.engine.as_ref().map(|e| e.records()).unwrap_or_default();
    let mut entries: Vec<Entry> = records
        .into_iter()
        .filter_map(|listed| match listed.record {
            AnyRecord::Visit(v) if v.placements.contains(&props.placement) => Some(Entry::Visit(v)),
            AnyRecord::MentorFeedback(f) if f.placement == props.placement => Some(Entry::Feedback(f)),
            _ => None,
        })
        .collect();
    sorting::sort_by_key(&mut entries, |e| std::cmp::Reverse(e.at()));
    let dot = |status: innom_shared::records::Status| {
        html! {
            <span role="img" class={classes!("dot", format!("dot-{}", status.as_str()))}
                aria-label={app.t(i18n::status(status))}></span>
        }
    };
    let rating = |label: Text, score: Score| {
        html! { <li>{ format!("{}: {}", app.t(label), app.t(i18n::score(score))) }</li> }
    };
    html! {
        <section class="card" aria-labelledby="records-heading">
            <h2 id="records-heading">{ app.t(Text::RecordsHeading) }</h2>
            if entries.is_empty() {
                <p class="empty">{ app.t(Text::NoRecordsYet) }</p>
            }
            <ul class="record-list">
                { for entries.iter().map(|entry| match entry {
                    Entry::Visit(v) => html! {
                        <li class="visit-item" key={v.id.to_string()}>
                            <p class="visit-title">
                                { dot(v.status) }
                                { format!("{} · {}", i18n::date_time(v.at), app.t(i18n::visit_type(v.visit_type))) }
                            </p>
                            if !v.summary.as_str().is_empty() {
                                <p class="visit-summary">{ v.summary.as_str() }</p>
                            }
                            <Link to={Route::EditVisit { id: v.id.to_string() }} classes="button">
                                { app.t(Text::EditButton) }
                            </Link>
                        </li>
                    },
                    Entry::Feedback(f) => html! {
                        <li class="feedback-item" key={f.id.to_string()}>
                            <p class="visit-title">
                                { dot(f.status) }
                                { format!("{} · {} ({})", i18n::date_time(f.created_at),
                                    app.t(Text::FeedbackFromMentor), f.mentor_name) }
                            </p>
                            <ul class="ratings">
                                { rating(Text::Attendance, f.attendance) }
                                { rating(Text::Punctuality, f.punctuality) }
                                { rating(Text::Initiative, f.initiative) }
                                { rating(Text::NorwegianCommunication, f.norwegian) }
                                <li>{ format!("{}: {}", app.t(Text::ReadyNextPhase),
                                    app.t(i18n::readiness(f.ready_for_next_phase))) }</li>
                            </ul>
                            if !f.going_well.is_empty() {
                                <p>{ format!("{}: {}", app.t(Text::GoingWell), f.going_well) }</p>
                            }
                            if !f.needs_attention.is_empty() {
                                <p>{ format!("{}: {}", app.t(Text::NeedsAttention), f.needs_attention) }</p>
                            }
                            if f.contact_me {
                                <p class="flag">{ app.t(Text::ContactMe) }</p>
                            }
                        </li>
                    },
                }) }
            </ul>
        </section>
    }
}
