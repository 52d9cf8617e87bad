//! "What did we say last time": a placement's visits and its mentor's
//! feedback, newest first, read from the records on the phone. A part of
//! the placement page drawn by a function, not a component of its own: it
//! has no state, and each component costs about 1 KB of download.

use innom_shared::records::{MentorFeedback, Visit};
use innom_shared::sorting;
use innom_shared::sync::AnyRecord;
use innom_shared::values::{DocId, Timestamp};
use yew::prelude::*;

use crate::i18n::{self, Text};
use crate::phone::routes::{Link, Route};
use crate::services::sync::Listed;
use crate::state::AppContext;

/// One entry of a list of visits and feedback, as drawn: they share one
/// template (each `html!` is code in the download).
pub struct Entry {
    id: DocId,
    class: &'static str,
    at: Timestamp,
    status: innom_shared::records::Status,
    title: String,
    lines: Vec<String>,
    /// A visit can be edited from here; feedback is the mentor's.
    editable: bool,
}

/// A visit as a list entry: its type, status and summary.
pub fn visit_entry(app: &AppContext, v: &Visit) -> Entry {
    Entry {
        id: v.id,
        class: "visit-item",
        at: v.at,
        status: v.status,
        title: app.t(i18n::visit_type(v.visit_type)).to_owned(),
        lines: [v.summary.as_str()].into_iter().filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        editable: true,
    }
}

/// Mentor feedback as a list entry: every rating (an unanswered one as
/// not assessed), readiness, the mentor's words and "contact me".
fn feedback_entry(app: &AppContext, f: &MentorFeedback) -> Entry {
    let ratings = [
        (Text::Attendance, i18n::score(f.attendance)),
        (Text::Punctuality, i18n::score(f.punctuality)),
        (Text::Initiative, i18n::score(f.initiative)),
        (Text::NorwegianCommunication, i18n::score(f.norwegian)),
        (Text::ReadyNextPhase, i18n::readiness(f.ready_for_next_phase)),
    ];
    let mut lines: Vec<String> =
        ratings.iter().map(|(label, value)| format!("{}: {}", app.t(*label), app.t(*value))).collect();
    for (label, text) in [(Text::GoingWell, &f.going_well), (Text::NeedsAttention, &f.needs_attention)] {
        if !text.is_empty() {
            lines.push(format!("{}: {text}", app.t(label)));
        }
    }
    if f.contact_me {
        lines.push(app.t(Text::ContactMe).to_owned());
    }
    Entry {
        id: f.id,
        class: "feedback-item",
        at: f.created_at,
        status: f.status,
        title: format!("{} ({})", app.t(Text::FeedbackTitle), f.mentor_name),
        lines,
        editable: false,
    }
}

/// The placement's visits and feedback among `records`, newest first.
pub fn placement_records(app: &AppContext, records: &[Listed], placement: DocId) -> Html {
    let entries = records
        .iter()
        .filter_map(|listed| match &listed.record {
            AnyRecord::Visit(v) if v.placements.contains(&placement) => Some(visit_entry(app, v)),
            AnyRecord::MentorFeedback(f) if f.placement == placement => Some(feedback_entry(app, f)),
            _ => None,
        })
        .collect();
    record_list(app, "records-heading", Text::RecordsHeading, entries)
}

/// The traffic light's dot for `status` (a `&'static str`: a class made
/// from a `String` is more code in the download).
fn dot_class(status: innom_shared::records::Status) -> &'static str {
    use innom_shared::records::Status as S;
    match status {
        S::Green => "dot dot-green",
        S::Yellow => "dot dot-yellow",
        S::Red => "dot dot-red",
        S::NotAssessed => "dot dot-not_assessed",
    }
}

/// A card listing `entries` newest first under `heading`.
pub fn record_list(app: &AppContext, heading_id: &'static str, heading: Text, mut entries: Vec<Entry>) -> Html {
    sorting::sort_by_key(&mut entries, |e| std::cmp::Reverse(e.at));
    html! {
        <section class="card" aria-labelledby={heading_id}>
            <h2 id={heading_id}>{ app.t(heading) }</h2>
            if entries.is_empty() {
                <p class="empty">{ app.t(Text::NoRecordsYet) }</p>
            }
            <ul class="record-list">
                { for entries.iter().map(|e| html! {
                    <li class={e.class} key={e.id.to_string()}>
                        <p class="visit-title">
                            <span role="img" class={dot_class(e.status)}
                                aria-label={app.t(i18n::status(e.status))}></span>
                            { format!("{} · {}", i18n::date_time(e.at), e.title) }
                        </p>
                        <ul class="ratings">
                            { for e.lines.iter().map(|line| html! { <li>{ line }</li> }) }
                        </ul>
                        if e.editable {
                            <Link to={Route::EditVisit { id: e.id.to_string() }} classes="button">
                                { app.t(Text::EditButton) }
                            </Link>
                        }
                    </li>
                }) }
            </ul>
        </section>
    }
}
