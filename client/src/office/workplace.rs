//! A workplace's overview: hiring outlook and busy months, mapping notes,
//! contacts (tap to call or write), and its placements.

use innom_shared::api::WorkplaceOverview;
use yew::prelude::*;

use super::api;
use super::context::{Live, load_failed, t, token};
use super::routes::{Link, OfficeRoute};
use super::text::{OfficeText, code, iso_day, month};
use crate::state::use_app;

#[derive(Debug, PartialEq, Properties)]
pub struct WorkplaceProps {
    pub id: String,
}

#[function_component(WorkplacePage)]
pub fn workplace_page(props: &WorkplaceProps) -> Html {
    let app = use_app();
    let live = use_context::<Live>().unwrap_or(Live(0));
    let overview = use_state(|| None::<Result<WorkplaceOverview, ()>>);
    {
        let (overview, token) = (overview.clone(), token(&app));
        use_effect_with((props.id.clone(), live), move |(id, _)| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                overview.set(Some(api::workplace(&token, &id).await.map_err(|_| ())));
            });
        });
    }
    let workplace = match &*overview {
        None => return html! { <p aria-busy="true">{ app.t(crate::i18n::Text::Loading) }</p> },
        Some(Err(())) => return load_failed(&app),
        Some(Ok(workplace)) => workplace,
    };
    let row = |label: OfficeText, value: String| {
        html! { if !value.trim().is_empty() { <dt>{ t(&app, label) }</dt><dd>{ value }</dd> } }
    };
    let months = workplace.peak_months.iter().map(|m| month(app.lang, *m)).collect::<Vec<_>>().join(", ");

    html! {
        <>
        <section class="card">
            <p><Link to={OfficeRoute::Attention}>{ t(&app, OfficeText::Back) }</Link></p>
            <h1>{ &workplace.name }</h1>
            <dl class="facts">
                { row(OfficeText::Industry, code(app.lang, &workplace.industry)) }
                { row(OfficeText::OrgNumber, workplace.org_number.clone()) }
                { row(OfficeText::Address, workplace.address.clone()) }
                { row(OfficeText::HiringOutlook, code(app.lang, &workplace.hiring_outlook)) }
                { row(OfficeText::PeakMonths, months) }
                { row(OfficeText::Needs, workplace.needs.clone()) }
                { row(OfficeText::Requirements, workplace.requirements.clone()) }
                { row(OfficeText::SafetyRoutines, workplace.safety_routines.clone()) }
            </dl>
        </section>
        <section class="card" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">{ t(&app, OfficeText::Contacts) }</h2>
            <ul class="contacts">
                { for workplace.contacts.iter().map(|c| html! {
                    <li>
                        <strong>{ &c.name }</strong>
                        if !c.role.is_empty() { { format!(", {}", c.role) } }
                        if !c.phone.is_empty() {
                            <a class="button" href={format!("tel:{}", c.phone.replace(' ', ""))}>{ &c.phone }</a>
                        }
                        if !c.email.is_empty() {
                            <a class="button" href={format!("mailto:{}", c.email)}>{ &c.email }</a>
                        }
                    </li>
                }) }
            </ul>
        </section>
        <section class="card" aria-labelledby="workplace-placements-heading">
            <h2 id="workplace-placements-heading">{ t(&app, OfficeText::Placements) }</h2>
            <ul class="workplace-placements">
                { for workplace.placements.iter().map(|p| html! {
                    <li key={p.placement.clone()}>
                        <Link to={OfficeRoute::Placement { id: p.placement.clone() }}>{ &p.participant }</Link>
                        { format!(" · {} · {} {} · {} – {} · {}", code(app.lang, &p.status), t(&app, OfficeText::Phase),
                            p.phase, iso_day(&p.start), iso_day(&p.planned_end), p.advisor_name) }
                    </li>
                }) }
            </ul>
        </section>
        </>
    }
}
