//! The attention list: the placements that need the office's attention,
//! each with why, filtered and searched; it loads again whenever the
//! server's feed moves. Below it, the exports.

use std::cell::Cell;
use std::rc::Rc;

use innom_shared::api::AttentionRow;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api;
use super::context::{Live, load_failed, t, token};
use super::routes::{Link, OfficeRoute};
use super::text::{INDUSTRIES, OfficeText, code, iso_day, reason};
use crate::state::use_app;

/// The list's filters, as the query string's fields; empty is "any".
#[derive(Debug, Clone, PartialEq, Default)]
struct Filter {
    q: String,
    advisor: String,
    industry: String,
    status: String,
    phase: String,
    from: String,
    to: String,
    quiet_days: String,
}

impl Filter {
    fn fields(&self) -> [(&'static str, &str); 8] {
        [
            ("q", &self.q),
            ("advisor", &self.advisor),
            ("industry", &self.industry),
            ("status", &self.status),
            ("phase", &self.phase),
            ("from", &self.from),
            ("to", &self.to),
            ("quiet_days", &self.quiet_days),
        ]
    }

    fn query(&self) -> String {
        self.fields()
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| format!("{name}={}", js_sys::encode_uri_component(value.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// How many of the filters behind "Filtre" are set (the search is
    /// always in view).
    fn in_use(&self) -> usize {
        self.fields().iter().skip(1).filter(|(_, value)| !value.trim().is_empty()).count()
    }

    fn set(&mut self, name: &str, value: String) {
        let field = match name {
            "q" => &mut self.q,
            "advisor" => &mut self.advisor,
            "industry" => &mut self.industry,
            "status" => &mut self.status,
            "phase" => &mut self.phase,
            "from" => &mut self.from,
            "to" => &mut self.to,
            _ => &mut self.quiet_days,
        };
        *field = value;
    }
}

/// The day of `at` (ms since the epoch), as "12.11.2026".
fn day(at: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    format!("{:02}.{:02}.{}", date.get_date(), date.get_month() + 1, date.get_full_year())
}

#[function_component(AttentionPage)]
pub fn attention_page() -> Html {
    let app = use_app();
    let live = use_context::<Live>().unwrap_or(Live(0));
    let filter = use_state(Filter::default);
    let rows = use_state(|| None::<Result<(Vec<AttentionRow>, usize), ()>>);
    let generation = use_memo((), |()| Cell::new(0u32));

    {
        let (rows, token) = (rows.clone(), token(&app));
        let generation = Rc::clone(&generation);
        use_effect_with(((*filter).clone(), live), move |(filter, _)| {
            // Only the newest request's answer is shown.
            let mine = generation.get().wrapping_add(1);
            generation.set(mine);
            let query = filter.query();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::attention(&token, &query).await.map_err(|_| ());
                if generation.get() == mine {
                    rows.set(Some(answer));
                }
            });
        });
    }

    let on_input = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else { return };
            let mut next = (*filter).clone();
            next.set(&input.name(), input.value());
            filter.set(next);
        })
    };
    let on_select = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() else { return };
            let mut next = (*filter).clone();
            next.set(&select.name(), select.value());
            filter.set(next);
        })
    };
    let on_search = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else { return };
            let mut next = (*filter).clone();
            next.q = input.value();
            filter.set(next);
        })
    };
    let on_clear = {
        let filter = filter.clone();
        Callback::from(move |_| filter.set(Filter::default()))
    };

    let select = |name: &'static str, label: OfficeText, current: &str, options: Vec<(String, String)>| {
        let any = t(&app, OfficeText::Any);
        html! {
            <div class="filter">
                <label for={format!("filter-{name}")}>{ t(&app, label) }</label>
                <select id={format!("filter-{name}")} {name} onchange={on_select.clone()}>
                    <option value="" selected={current.is_empty()}>{ any }</option>
                    { for options.into_iter().map(|(value, text)| html! {
                        <option selected={value == current} value={value.clone()}>{ text }</option>
                    }) }
                </select>
            </div>
        }
    };
    let input = |name: &'static str, label: OfficeText, kind: &'static str, current: &str| {
        html! {
            <div class="filter">
                <label for={format!("filter-{name}")}>{ t(&app, label) }</label>
                <input id={format!("filter-{name}")} {name} type={kind} value={current.to_owned()}
                    onchange={on_input.clone()} />
            </div>
        }
    };
    let industries = INDUSTRIES.iter().map(|c| ((*c).to_owned(), code(app.lang, c))).collect();
    let statuses = ["red", "yellow"].iter().map(|c| ((*c).to_owned(), code(app.lang, c))).collect();
    let phases = (1..=3).map(|p| (p.to_string(), p.to_string())).collect();

    html! {
        <>
        <section class="card">
            <h1>{ t(&app, OfficeText::NavAttention) }</h1>
            <p class="tagline">{ t(&app, OfficeText::Live) }</p>
            <div class="filter">
                <label for="filter-q">{ t(&app, OfficeText::Search) }</label>
                <input id="filter-q" name="q" type="search" value={filter.q.clone()} oninput={on_search} />
            </div>
            // Set filters are counted on the closed summary too, so a
            // shorter list is never a surprise.
            <details class="filters" open={filter.in_use() > 0}>
                <summary>
                    { t(&app, OfficeText::Filters) }
                    if filter.in_use() > 0 {
                        <span class="in-use">{ format!("({} {})", filter.in_use(), t(&app, OfficeText::FiltersInUse)) }</span>
                    }
                </summary>
                <div class="filter-grid">
                    { input("advisor", OfficeText::Advisor, "text", &filter.advisor) }
                    { select("industry", OfficeText::Industry, &filter.industry, industries) }
                    { select("status", OfficeText::Status, &filter.status, statuses) }
                    { select("phase", OfficeText::Phase, &filter.phase, phases) }
                    { input("from", OfficeText::From, "date", &filter.from) }
                    { input("to", OfficeText::To, "date", &filter.to) }
                    { input("quiet_days", OfficeText::QuietDays, "number", &filter.quiet_days) }
                </div>
                <button type="button" class="button" onclick={on_clear}>{ t(&app, OfficeText::ClearFilters) }</button>
            </details>
            { match &*rows {
                None => html! { <p aria-busy="true">{ app.t(crate::i18n::Text::Loading) }</p> },
                Some(Err(())) => load_failed(&app),
                Some(Ok((rows, _))) if rows.is_empty() => html! { <p class="empty">{ t(&app, OfficeText::NoRows) }</p> },
                Some(Ok((rows, total))) => attention_table(&app, rows, *total),
            } }
        </section>
        <super::figures::Exports query={filter.query()} />
        </>
    }
}

fn attention_table(app: &crate::state::AppContext, rows: &[AttentionRow], total: usize) -> Html {
    let count = if total > rows.len() {
        format!(
            "{} {} {total} {}. {}",
            rows.len(),
            t(app, OfficeText::Of),
            t(app, OfficeText::Rows),
            t(app, OfficeText::NarrowDown)
        )
    } else {
        let noun = if rows.len() == 1 { OfficeText::Row } else { OfficeText::Rows };
        format!("{} {}", rows.len(), t(app, noun))
    };
    html! {
        <>
        <p class="count" role="status">{ count }</p>
        <div class="table-scroll">
            <table class="attention">
                <thead>
                    <tr>
                        <th scope="col">{ t(app, OfficeText::Participant) }</th>
                        <th scope="col">{ t(app, OfficeText::Workplace) }</th>
                        <th scope="col">{ t(app, OfficeText::Advisor) }</th>
                        <th scope="col">{ t(app, OfficeText::Phase) }</th>
                        <th scope="col">{ t(app, OfficeText::Ends) }</th>
                        <th scope="col">{ t(app, OfficeText::LastVisit) }</th>
                        <th scope="col">{ t(app, OfficeText::Why) }</th>
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().map(|row| html! {
                        <tr key={row.placement.clone()}>
                            <td>
                                <Link to={OfficeRoute::Placement { id: row.placement.clone() }}>
                                    { &row.participant }
                                </Link>
                            </td>
                            <td>
                                <Link to={OfficeRoute::Workplace { id: row.workplace_id.clone() }}>{ &row.workplace }</Link>
                            </td>
                            <td>{ &row.advisor_name }</td>
                            <td>{ row.phase }</td>
                            <td>{ iso_day(&row.planned_end) }</td>
                            <td>{ row.last_visit_at.map(day).unwrap_or_else(|| t(app, OfficeText::Never).to_owned()) }</td>
                            <td>
                                <ul class="reasons">
                                    { for row.reasons.iter().map(|r| html! {
                                        <li class={classes!("reason", format!("reason-{}", reason_class(*r)))}>
                                            { reason(app.lang, *r) }
                                        </li>
                                    }) }
                                </ul>
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
        </>
    }
}

/// A class for the reason's colour: red, yellow, or plain.
fn reason_class(reason: innom_shared::api::AttentionReason) -> &'static str {
    use innom_shared::api::AttentionReason::*;
    match reason {
        RedStatus | OverdueFollowUp | MentorAsksForContact => "red",
        YellowStatus | NotReadyForNextPhase | EndingSoon => "yellow",
        NoRecentVisit | Unreviewed => "plain",
        Conflict => "yellow",
    }
}
