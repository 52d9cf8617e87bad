//! The programme figures (the input and result factors of Ny sjanse) for
//! a chosen period, as bar charts in SVG and as a table; and the exports.

use innom_shared::api::Figures;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api;
use super::context::{Live, load_failed, t, token};
use super::text::{OfficeText, code, iso_day};
use crate::services::files;
use crate::state::{AppContext, use_app};

#[function_component(FiguresPage)]
pub fn figures_page() -> Html {
    let app = use_app();
    let live = use_context::<Live>().unwrap_or(Live(0));
    // Empty: the server's default period, the last twelve weeks.
    let period = use_state(|| (String::new(), String::new()));
    let figures = use_state(|| None::<Result<Figures, ()>>);

    {
        let (figures, token) = (figures.clone(), token(&app));
        use_effect_with(((*period).clone(), live), move |((from, to), _)| {
            let (from, to) = (from.clone(), to.clone());
            wasm_bindgen_futures::spawn_local(async move {
                figures.set(Some(api::figures(&token, &from, &to).await.map_err(|_| ())));
            });
        });
    }
    let on_change = {
        let period = period.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else { return };
            let (mut from, mut to) = (*period).clone();
            if input.name() == "from" {
                from = input.value();
            } else {
                to = input.value();
            }
            period.set((from, to));
        })
    };
    let shown = match &*figures {
        Some(Ok(figures)) => Some(figures),
        _ => None,
    };
    let (from, to) = shown.map(|f| (f.from.clone(), f.to.clone())).unwrap_or_default();

    html! {
        <>
        <section class="card">
            <h1>{ t(&app, OfficeText::Figures) }</h1>
            <div class="filter-grid">
                <div class="filter">
                    <label for="period-from">{ t(&app, OfficeText::From) }</label>
                    <input id="period-from" name="from" type="date" value={from} onchange={on_change.clone()} />
                </div>
                <div class="filter">
                    <label for="period-to">{ t(&app, OfficeText::To) }</label>
                    <input id="period-to" name="to" type="date" value={to} onchange={on_change} />
                </div>
            </div>
            { match &*figures {
                None => html! { <p aria-busy="true">{ app.t(crate::i18n::Text::Loading) }</p> },
                Some(Err(())) => load_failed(&app),
                Some(Ok(figures)) => figure_table(&app, figures),
            } }
        </section>
        if let Some(figures) = shown {
            <section class="card charts">
                { bar_chart(t(&app, OfficeText::VisitsPerWeek),
                    figures.visits_per_week.iter().map(|(w, n)| (week_label(&app, w), *n)).collect()) }
                { bar_chart(t(&app, OfficeText::PlacementsByStatus),
                    figures.placements_by_status.iter().map(|(s, n)| (code(app.lang, s), *n)).collect()) }
                { bar_chart(t(&app, OfficeText::PlacementsByPhase),
                    figures.placements_by_phase.iter().map(|(p, n)| (format!("{} {p}", t(&app, OfficeText::Phase)), *n)).collect()) }
            </section>
        }
        </>
    }
}

/// An ISO week (`2026-W05`) as people say it: "uke 5 2026".
fn week_label(app: &AppContext, iso_week: &str) -> String {
    match iso_week.split_once("-W") {
        Some((year, week)) => format!("{} {} {year}", t(app, OfficeText::Week), week.trim_start_matches('0')),
        None => iso_week.to_owned(),
    }
}

fn figure_table(app: &AppContext, f: &Figures) -> Html {
    let share = if f.ended > 0 {
        format!("{} %", (f.ended_in_work_or_education * 100 + f.ended / 2) / f.ended)
    } else {
        "–".to_owned()
    };
    let rows = [
        (OfficeText::EmployersContacted, f.employers_contacted.to_string()),
        (OfficeText::EmployersVisited, f.employers_visited.to_string()),
        (OfficeText::Visits, f.visits.to_string()),
        (OfficeText::Interviews, f.interviews.to_string()),
        (OfficeText::JobOffers, f.job_offers.to_string()),
        (OfficeText::Hires, f.hires.to_string()),
        (OfficeText::Ended, f.ended.to_string()),
        (OfficeText::EndedInWorkOrEducation, f.ended_in_work_or_education.to_string()),
        (OfficeText::ShareInWorkOrEducation, share),
    ];
    html! {
        <table class="figures">
            <caption>{ format!("{} – {}", iso_day(&f.from), iso_day(&f.to)) }</caption>
            <thead>
                <tr><th scope="col">{ t(app, OfficeText::Figure) }</th><th scope="col">{ t(app, OfficeText::Value) }</th></tr>
            </thead>
            <tbody>
                { for rows.into_iter().map(|(label, value)| html! {
                    <tr><th scope="row">{ t(app, label) }</th><td>{ value }</td></tr>
                }) }
            </tbody>
        </table>
    }
}

/// A horizontal bar chart: one labelled bar per item, scaled to the
/// largest. Drawn in SVG with attributes only (the page's security policy
/// allows no inline styles); the numbers are in the text too.
fn bar_chart(title: &str, items: Vec<(String, i64)>) -> Html {
    const ROW: i64 = 28;
    const LABEL: i64 = 150;
    const BAR: i64 = 300;
    let largest = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let height = ROW * i64::try_from(items.len()).unwrap_or(0) + 8;
    let summary = items.iter().map(|(label, n)| format!("{label}: {n}")).collect::<Vec<_>>().join(", ");
    html! {
        <figure class="chart">
            <figcaption>{ title }</figcaption>
            <svg viewBox={format!("0 0 {} {height}", LABEL + BAR + 60)} role="img" aria-label={format!("{title}: {summary}")}>
                { for items.iter().enumerate().map(|(i, (label, n))| {
                    let y = ROW * i64::try_from(i).unwrap_or(0) + 4;
                    let width = (BAR * n / largest).max(if *n > 0 { 2 } else { 0 });
                    html! {
                        <g>
                            <text x={(LABEL - 8).to_string()} y={(y + 18).to_string()} text-anchor="end" class="chart-label">{ label }</text>
                            <rect x={LABEL.to_string()} y={(y + 4).to_string()} width={width.to_string()} height="18" class="chart-bar" />
                            <text x={(LABEL + width + 6).to_string()} y={(y + 18).to_string()} class="chart-value">{ n }</text>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}

#[derive(Debug, PartialEq, Properties)]
pub struct ExportsProps {
    /// The attention list's current filter, as a query string.
    pub query: String,
}

/// Downloads: the attention list as filtered, and every record of a kind.
#[function_component(Exports)]
pub fn exports(props: &ExportsProps) -> Html {
    let app = use_app();
    let failed = use_state(|| false);
    let button = |label: OfficeText, path: String, name: &'static str| {
        let (token, failed) = (token(&app), failed.clone());
        let onclick = Callback::from(move |_| {
            let (token, path, failed) = (token.clone(), path.clone(), failed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::file(&token, &path).await {
                    Ok(bytes) => {
                        failed.set(false);
                        files::save(&format!("innom-{name}.csv"), &bytes, "text/csv");
                    }
                    Err(_) => failed.set(true),
                }
            });
        });
        html! { <li><button type="button" class="button" {onclick}>{ t(&app, label) }</button></li> }
    };
    html! {
        <section class="card" aria-labelledby="exports-heading">
            <h2 id="exports-heading">{ t(&app, OfficeText::Exports) }</h2>
            <ul class="exports">
                { button(OfficeText::ExportFiltered, format!("attention.csv?{}", props.query), "oppfolging") }
                { button(OfficeText::ExportWorkplaces, "exports/workplaces.csv".into(), "arbeidssteder") }
                { button(OfficeText::ExportParticipants, "exports/participants.csv".into(), "deltakere") }
                { button(OfficeText::ExportPlacements, "exports/placements.csv".into(), "praksisplasser") }
                { button(OfficeText::ExportVisits, "exports/visits.csv".into(), "besok") }
                { button(OfficeText::ExportFeedback, "exports/feedback.csv".into(), "tilbakemeldinger") }
            </ul>
            if *failed { { load_failed(&app) } }
        </section>
    }
}
