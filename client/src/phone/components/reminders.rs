//! The home page's reminders: running placements nobody has visited for
//! 14 days, and those ending within 14 days (`innom_shared::reminders`
//! decides), each linked to its placement.

use innom_shared::reminders::reminders;
use innom_shared::sync::AnyRecord;
use innom_shared::values::{DocId, Timestamp};
use yew::prelude::*;

use crate::hooks::use_sync::use_sync;
use crate::i18n::{self, Text};
use crate::phone::routes::{Link, Route};
use crate::state::use_app;

#[function_component(Reminders)]
pub fn reminders_view() -> Html {
    let app = use_app();
    let listed = use_sync().engine.map(|e| e.records()).unwrap_or_default();
    let records: Vec<&AnyRecord> = listed.iter().map(|l| &l.record).collect();
    let Some(today) = crate::browser::today() else { return Html::default() };
    let found = reminders(records.iter().copied(), today, Timestamp(js_sys::Date::now() as i64));
    // "Amina Hassan · Fjordhotellet" for a placement.
    let title = |placement: DocId| -> Option<(String, String)> {
        let p = records.iter().find_map(|r| match r {
            AnyRecord::Placement(p) if p.id == placement => Some(p),
            _ => None,
        })?;
        let name = |want: DocId| {
            records.iter().find_map(|r| match r {
                AnyRecord::Participant(x) if x.id == want => Some(x.display_name.clone()),
                AnyRecord::Workplace(x) if x.id == want => Some(x.name.clone()),
                _ => None,
            })
        };
        Some((name(p.participant).unwrap_or_default(), name(p.workplace).unwrap_or_default()))
    };
    let item = |placement: DocId, detail: String| {
        let (person, workplace) = title(placement).unwrap_or_default();
        html! {
            <li class="placement-item" key={placement.to_string()}>
                <Link to={Route::Placement { id: placement.to_string() }}>{ person }</Link>
                { format!(" · {workplace} · {detail}") }
            </li>
        }
    };
    html! {
        <>
        if !found.needs_visit.is_empty() {
            <section class="card" aria-labelledby="needs-visit-heading">
                <h2 id="needs-visit-heading">{ app.t(Text::NeedsVisitHeading) }</h2>
                <ul class="record-list">
                    { for found.needs_visit.iter().map(|(placement, last)| item(*placement, match last {
                        Some(at) => format!("{} {}", app.t(Text::LastVisited), i18n::date_time(*at)),
                        None => app.t(Text::NeverVisited).to_owned(),
                    })) }
                </ul>
            </section>
        }
        if !found.ending_soon.is_empty() {
            <section class="card" aria-labelledby="ending-heading">
                <h2 id="ending-heading">{ app.t(Text::EndingSoonHeading) }</h2>
                <ul class="record-list">
                    { for found.ending_soon.iter().map(|(placement, end)| {
                        item(*placement, format!("{} {}", app.t(Text::Ends), end.to_norwegian()))
                    }) }
                </ul>
            </section>
        }
        </>
    }
}
