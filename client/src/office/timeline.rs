//! One placement's timeline: who, where, how far, and every visit, piece
//! of mentor feedback, phase change and mastered task in time order. Staff
//! review visits and feedback here.

use innom_shared::api::{MeetingView, PlacementTimeline, ReviewRequest, TimelineEntry, TimelineKind};
use innom_shared::records::ReviewState;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::access_log::SeenBy;
use super::api;
use super::context::{Live, load_failed, t, token};
use super::routes::{Link, OfficeRoute};
use super::text::{OfficeText, code, field_label, iso_day};
use crate::i18n::date_time;
use crate::services::files;
use crate::state::{AppContext, use_app};

#[derive(Debug, PartialEq, Properties)]
pub struct TimelineProps {
    pub id: String,
}

#[function_component(TimelinePage)]
pub fn timeline_page(props: &TimelineProps) -> Html {
    let app = use_app();
    let live = use_context::<Live>().unwrap_or(Live(0));
    let timeline = use_state(|| None::<Result<PlacementTimeline, ()>>);
    // Bumped after a review, to load the timeline again at once.
    let reloads = use_state(|| 0u32);

    {
        let (timeline, token) = (timeline.clone(), token(&app));
        use_effect_with((props.id.clone(), live, *reloads), move |(id, _, _)| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                timeline.set(Some(api::timeline(&token, &id).await.map_err(|_| ())));
            });
        });
    }

    let placement = match &*timeline {
        None => return html! { <p aria-busy="true">{ app.t(crate::i18n::Text::Loading) }</p> },
        Some(Err(())) => return load_failed(&app),
        Some(Ok(placement)) => placement,
    };
    let on_reviewed = {
        let reloads = reloads.clone();
        Callback::from(move |()| reloads.set(reloads.wrapping_add(1)))
    };
    let on_export = {
        let (token, participant) = (token(&app), placement.participant_id.clone());
        Callback::from(move |_| {
            let (token, participant) = (token.clone(), participant.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(bytes) = api::file(&token, &format!("participants/{participant}/export")).await {
                    files::save(&format!("innom-deltaker-{participant}.json"), &bytes, "application/json");
                }
            });
        })
    };
    // An agreed meeting: its day and whether it was held, or not planned.
    let meeting = |meeting: &MeetingView| match &meeting.planned {
        Some(day) if meeting.held => format!("{} · {}", iso_day(day), t(&app, OfficeText::Held)),
        Some(day) => iso_day(day),
        None => t(&app, OfficeText::NotPlanned).to_owned(),
    };
    let admin = app.session.as_ref().is_some_and(|s| s.user.is_admin);
    let row = |label: OfficeText, value: String| {
        html! { <><dt>{ t(&app, label) }</dt><dd>{ value }</dd></> }
    };

    html! {
        <>
        <section class="card">
            <p><Link to={OfficeRoute::Attention}>{ t(&app, OfficeText::Back) }</Link></p>
            <h1>{ format!("{} – {}", placement.participant, placement.workplace) }</h1>
            <p>
                <Link to={OfficeRoute::Workplace { id: placement.workplace_id.clone() }}>{ &placement.workplace }</Link>
            </p>
            <dl class="facts">
                { row(OfficeText::Status, code(app.lang, &placement.status)) }
                { row(OfficeText::Phase, placement.phase.to_string()) }
                { row(OfficeText::Period, format!("{} – {}", iso_day(&placement.start), iso_day(&placement.planned_end))) }
                { row(OfficeText::Advisor, placement.advisor_name.clone()) }
                { row(OfficeText::Mentor, placement.mentor.clone()) }
                { row(OfficeText::TasksMastered, format!("{} / {}", placement.tasks_mastered, placement.tasks)) }
                { row(OfficeText::JobProspect, code(app.lang, &placement.job_prospect)) }
                { row(OfficeText::FirstMeeting, meeting(&placement.first_meeting)) }
                { row(OfficeText::SecondMeeting, meeting(&placement.second_meeting)) }
                { row(OfficeText::Contract, t(&app, if placement.contract_signed { OfficeText::Signed } else { OfficeText::NotSigned }).to_owned()) }
            </dl>
            <p class="actions">
                <Link to={OfficeRoute::History { id: placement.placement.clone() }} classes="button">
                    { t(&app, OfficeText::ShowHistory) }
                </Link>
                <button type="button" class="button" onclick={on_export}>
                    { t(&app, OfficeText::ExportParticipantJson) }
                </button>
            </p>
        </section>
        <section class="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{ t(&app, OfficeText::Timeline) }</h2>
            if placement.entries.is_empty() {
                <p class="empty">{ t(&app, OfficeText::NoEntries) }</p>
            } else {
                <ol class="timeline">
                    { for placement.entries.iter().rev().enumerate().map(|(n, entry)| html! {
                        <Entry key={format!("{}-{n}", entry.record)} entry={entry.clone()} on_reviewed={on_reviewed.clone()} />
                    }) }
                </ol>
            }
        </section>
        if admin {
            <SeenBy participant={placement.participant_id.clone()} />
        }
        </>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct EntryProps {
    entry: TimelineEntry,
    on_reviewed: Callback<()>,
}

/// One timeline entry; visits and feedback with their review.
#[function_component(Entry)]
fn entry(props: &EntryProps) -> Html {
    let app = use_app();
    let entry = &props.entry;
    let (title, detail) = match entry.kind {
        TimelineKind::Visit => (code(app.lang, &entry.code), entry.text.clone()),
        TimelineKind::Feedback => {
            (code(app.lang, "feedback"), format!("{}. {}", code(app.lang, &entry.code), entry.text))
        }
        TimelineKind::PhaseChanged => (format!("{}: {}", t(&app, OfficeText::PhaseChanged), entry.code), String::new()),
        TimelineKind::TaskMastered => (t(&app, OfficeText::TaskMastered).to_owned(), entry.text.clone()),
        TimelineKind::StatusChanged => {
            (format!("{}: {}", t(&app, OfficeText::StatusChanged), code(app.lang, &entry.code)), String::new())
        }
    };
    html! {
        <li class="timeline-entry">
            <p class="when">
                { date_time(innom_shared::values::Timestamp(entry.at)) }
                if let Some(author) = &entry.author_name { { format!(" · {author}") } }
            </p>
            <h3>
                { title }
                if let Some(status) = &entry.status {
                    <span class={classes!("status", format!("status-{status}"))}>{ code(app.lang, status) }</span>
                }
            </h3>
            if !detail.trim().is_empty() { <p class="detail">{ detail }</p> }
            if !entry.ratings.is_empty() {
                <ul class="ratings">
                    { for entry.ratings.iter().map(|r| html! {
                        <li data-rating={r.value.clone()}>
                            { format!("{}: {}", field_label(app.lang, &r.field).unwrap_or(&r.field), code(app.lang, &r.value)) }
                        </li>
                    }) }
                </ul>
            }
            if entry.conflicted {
                <p class="conflict-note" role="note">
                    <Link to={OfficeRoute::History { id: entry.record.clone() }}>{ t(&app, OfficeText::ConflictNote) }</Link>
                </p>
            }
            if !entry.follow_ups.is_empty() {
                <p class="label">{ t(&app, OfficeText::FollowUps) }</p>
                <ul class="follow-ups">
                    { for entry.follow_ups.iter().map(|f| html! {
                        <li>
                            { &f.text }
                            if let Some(due) = &f.due { { format!(" ({} {})", t(&app, OfficeText::Due), iso_day(due)) } }
                            if f.done { { format!(" – {}", t(&app, OfficeText::Done)) } }
                        </li>
                    }) }
                </ul>
            }
            if entry.review.is_some() {
                <p>
                    <Link to={OfficeRoute::History { id: entry.record.clone() }}>{ t(&app, OfficeText::ShowHistory) }</Link>
                </p>
                <ReviewBox record={entry.record.clone()} review={entry.review.clone()} on_reviewed={props.on_reviewed.clone()} />
            }
        </li>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct ReviewProps {
    record: String,
    review: Option<innom_shared::api::ReviewView>,
    on_reviewed: Callback<()>,
}

/// The review state as a sentence that reads right in each state: "by"
/// names who reviewed or asked, never someone who has not looked yet. A
/// record back in the queue with a reviewer named is one the advisor has
/// answered.
fn review_state_words(app: &AppContext, review: &innom_shared::api::ReviewView) -> String {
    let who = review.reviewer_name.as_ref().or(review.reviewer.as_ref());
    let state = match (review.state, who) {
        (ReviewState::Unreviewed, Some(_)) => t(app, OfficeText::AnsweredAwaitingReview).to_owned(),
        (state, _) => code(app.lang, state.as_str()),
    };
    let by = match (review.state, who) {
        (ReviewState::Reviewed, Some(who)) => format!(" {} {who}", t(app, OfficeText::ReviewedBy)),
        (_, Some(who)) => format!(" ({} {who})", t(app, OfficeText::AskedBy)),
        (_, None) => String::new(),
    };
    format!("{}: {state}{by}", t(app, OfficeText::Review))
}

/// The record's review state, and buttons to set it with a comment.
#[function_component(ReviewBox)]
fn review_box(props: &ReviewProps) -> Html {
    let app = use_app();
    let comment = use_node_ref();
    let failed = use_state(|| false);
    let empty_question = use_state(|| false);
    let Some(review) = &props.review else { return Html::default() };
    let send = |state: ReviewState| {
        let (token, record, comment, failed) = (token(&app), props.record.clone(), comment.clone(), failed.clone());
        let (on_reviewed, empty_question) = (props.on_reviewed.clone(), empty_question.clone());
        Callback::from(move |_| {
            let text = comment.cast::<HtmlTextAreaElement>().map(|c| c.value()).unwrap_or_default();
            // A question without words would reach the advisor as «».
            let no_question = state == ReviewState::NeedsMoreInfo && text.trim().is_empty();
            empty_question.set(no_question);
            if no_question {
                return;
            }
            let request = ReviewRequest { state, comment: text };
            let (token, record, failed, on_reviewed) =
                (token.clone(), record.clone(), failed.clone(), on_reviewed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::review(&token, &record, &request).await {
                    Ok(()) => {
                        failed.set(false);
                        on_reviewed.emit(());
                    }
                    Err(_) => failed.set(true),
                }
            });
        })
    };
    let field = format!("review-{}", props.record);
    html! {
        <div class="review">
            <p class={classes!("review-state", format!("review-{}", review.state))}>
                { review_state_words(&app, review) }
            </p>
            if !review.comment.is_empty() { <p class="review-comment">{ format!("«{}»", review.comment) }</p> }
            if let Some(answer) = &review.answer {
                <p class="review-answer">{ format!("{}: «{answer}»", t(&app, OfficeText::AdvisorAnswered)) }</p>
            }
            <label for={field.clone()}>{ t(&app, OfficeText::ReviewComment) }</label>
            <textarea id={field.clone()} ref={comment.clone()} rows="2"
                aria-describedby={empty_question.then(|| format!("{field}-problem"))} />
            if *empty_question {
                <p class="field-error" id={format!("{field}-problem")} role="alert">
                    { t(&app, OfficeText::QuestionNeedsText) }
                </p>
            }
            if *failed { { load_failed(&app) } }
            <div class="actions">
                <button type="button" class="button" onclick={send(ReviewState::Reviewed)}>
                    { t(&app, OfficeText::MarkReviewed) }
                </button>
                <button type="button" class="button" onclick={send(ReviewState::NeedsMoreInfo)}>
                    { t(&app, OfficeText::AskForMore) }
                </button>
            </div>
        </div>
    }
}
