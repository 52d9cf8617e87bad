//! Workplaces on the phone, from its own records (so offline too): a list
//! to search by name, and a workplace's page with its hiring outlook, busy
//! months, mapping notes, contacts (tap to call or write), placements and
//! visit history.

use innom_shared::records::{Visit, Workplace};
use innom_shared::sorting;
use innom_shared::sync::AnyRecord;
use innom_shared::values::DocId;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::use_records::use_records;
use crate::i18n::{Text, code, fold, month};
use crate::phone::components::placement_records::{record_list, visit_entry};
use crate::phone::routes::{Link, Redirect, Route};
use crate::state::use_app;

#[function_component(WorkplacesPage)]
pub fn workplaces_page() -> Html {
    let app = use_app();
    let search = use_state(String::new);
    let Some(records) = use_records() else {
        return html! { <Redirect to={Route::Login} /> };
    };
    let wanted = fold(&search);
    let mut workplaces: Vec<Workplace> = records
        .into_iter()
        .filter_map(|r| match r.record {
            AnyRecord::Workplace(w) if fold(&w.name).contains(&wanted) => Some(w),
            _ => None,
        })
        .collect();
    sorting::sort_by(&mut workplaces, |a, b| a.name.cmp(&b.name));
    let oninput = {
        let search = search.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                search.set(input.value());
            }
        })
    };
    html! {
        <section class="card">
            <h1>{ app.t(Text::WorkplacesHeading) }</h1>
            <Link to={Route::NewWorkplace} classes="button">{ app.t(Text::NewWorkplace) }</Link>
            <div class="form">
                <label for="workplace-search">{ app.t(Text::SearchByName) }</label>
                <input id="workplace-search" type="search" value={(*search).clone()} {oninput} />
            </div>
            <ul class="record-list">
                { for workplaces.iter().map(|w| html! {
                    <li class="workplace-item" key={w.id.to_string()}>
                        <Link to={Route::Workplace { id: w.id.to_string() }}>{ &w.name }</Link>
                        { format!(" · {}", code(app.lang, w.industry.as_str())) }
                    </li>
                }) }
            </ul>
        </section>
    }
}

#[derive(Debug, PartialEq, Properties)]
pub struct WorkplacePageProps {
    pub id: String,
}

#[function_component(WorkplacePage)]
pub fn workplace_page(props: &WorkplacePageProps) -> Html {
    let app = use_app();
    let Some(records) = use_records() else {
        return html! { <Redirect to={Route::Login} /> };
    };
    let id = DocId::parse(&props.id);
    let Some(workplace) = records.iter().find_map(|r| match &r.record {
        AnyRecord::Workplace(w) if Some(w.id) == id => Some(w.clone()),
        _ => None,
    }) else {
        return html! {
            <section class="card">
                <h1>{ app.t(Text::NotFoundTitle) }</h1>
                <Link to={Route::Workplaces} classes="button">{ app.t(Text::WorkplacesHeading) }</Link>
            </section>
        };
    };
    let name_of = |person: DocId| {
        records.iter().find_map(|r| match &r.record {
            AnyRecord::Participant(p) if p.id == person => Some(p.display_name.clone()),
            _ => None,
        })
    };
    let placements: Vec<_> = records
        .iter()
        .filter_map(|r| match &r.record {
            AnyRecord::Placement(p) if p.workplace == workplace.id => Some(p.clone()),
            _ => None,
        })
        .collect();
    let visits: Vec<Visit> = records
        .iter()
        .filter_map(|r| match &r.record {
            AnyRecord::Visit(v) if v.workplace == workplace.id => Some(v.clone()),
            _ => None,
        })
        .collect();
    let fact = |label: Text, value: String| {
        html! { if !value.trim().is_empty() { <dt>{ app.t(label) }</dt><dd>{ value }</dd> } }
    };
    let months = workplace.peak_months.iter().map(|m| month(app.lang, *m)).collect::<Vec<_>>().join(", ");

    html! {
        <>
        <section class="card">
            <h1>{ &workplace.name }</h1>
            <dl class="facts">
                { fact(Text::Industry, code(app.lang, workplace.industry.as_str())) }
                { fact(Text::OrgNumberLabel, workplace.org_number.grouped()) }
                { fact(Text::AddressLabel, workplace.address.clone()) }
                { fact(Text::HiringOutlook, code(app.lang, workplace.hiring_outlook.as_str())) }
                { fact(Text::PeakMonths, months) }
                { fact(Text::Needs, workplace.mapping.needs.clone()) }
                { fact(Text::Requirements, workplace.mapping.requirements.clone()) }
                { fact(Text::SafetyRoutines, workplace.mapping.safety_routines.clone()) }
            </dl>
            <Link to={Route::NewVisitAt { workplace: workplace.id.to_string() }} classes="button button-primary">
                { app.t(Text::NewVisit) }
            </Link>
            { " " }
            <Link to={Route::NewPlacement { participant: None, workplace: Some(workplace.id.to_string()) }} classes="button">
                { app.t(Text::NewPlacement) }
            </Link>
            { " " }
            <Link to={Route::EditWorkplace { id: workplace.id.to_string() }} classes="button">{ app.t(Text::EditButton) }</Link>
        </section>
        <section class="card" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">{ app.t(Text::Contacts) }</h2>
            <ul class="record-list">
                { for workplace.contacts.iter().map(|c| html! {
                    <li class="contact" key={c.id.clone()}>
                        <p><strong>{ &c.name }</strong>{ if c.role.is_empty() { String::new() } else { format!(", {}", c.role) } }</p>
                        <p class="contact-links">
                            if !c.phone.is_empty() {
                                <a class="button" href={format!("tel:{}", c.phone.replace(' ', ""))}>{ &c.phone }</a>
                            }
                            if !c.email.is_empty() {
                                <a class="button" href={format!("mailto:{}", c.email)}>{ &c.email }</a>
                            }
                        </p>
                    </li>
                }) }
            </ul>
        </section>
        <section class="card" aria-labelledby="workplace-placements-heading">
            <h2 id="workplace-placements-heading">{ app.t(Text::PlacementsHeading) }</h2>
            <ul class="record-list">
                { for placements.iter().map(|p| html! {
                    <li class="placement-item" key={p.id.to_string()}>
                        <Link to={Route::Placement { id: p.id.to_string() }}>{ name_of(p.participant).unwrap_or_default() }</Link>
                        { format!(" · {} · {} {}", code(app.lang, p.status.as_str()), app.t(Text::Phase), p.phase) }
                    </li>
                }) }
            </ul>
        </section>
        { record_list(&app, "workplace-visits-heading", Text::Visits, visits.iter().map(|v| visit_entry(&app, v)).collect()) }
        </>
    }
}
