//! "Who has seen this participant": the access log's rows about one
//! participant, for staff with the admin right, with the log as CSV.

use innom_shared::api::AccessLogEntry;
use yew::prelude::*;

use super::api;
use super::context::{t, token};
use super::text::{OfficeText, iso_day};
use crate::services::files;
use crate::state::use_app;

/// Saves the access log as CSV (`query`: its filter, possibly empty).
fn download(token: String, query: String) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let (token, query) = (token.clone(), query.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(bytes) = api::file(&token, &format!("admin/access-log.csv{query}")).await {
                files::save("innom-tilgangslogg.csv", &bytes, "text/csv");
            }
        });
    })
}

/// The whole log as CSV, on the users page.
#[function_component(AccessLogCard)]
pub fn access_log_card() -> Html {
    let app = use_app();
    html! {
        <section class="card" aria-labelledby="access-log-heading">
            <h2 id="access-log-heading">{ t(&app, OfficeText::AccessLogHeading) }</h2>
            <p>{ t(&app, OfficeText::AccessLogIntro) }</p>
            <p class="actions">
                <button type="button" class="button" onclick={download(token(&app), String::new())}>
                    { t(&app, OfficeText::DownloadAccessLog) }
                </button>
            </p>
        </section>
    }
}

#[derive(Debug, PartialEq, Properties)]
pub struct SeenByProps {
    /// The participant's record id.
    pub participant: String,
}

#[function_component(SeenBy)]
pub fn seen_by(props: &SeenByProps) -> Html {
    let app = use_app();
    let rows = use_state(|| None::<Result<Vec<AccessLogEntry>, ()>>);
    {
        let (rows, token) = (rows.clone(), token(&app));
        use_effect_with(props.participant.clone(), move |participant| {
            let participant = participant.clone();
            wasm_bindgen_futures::spawn_local(async move {
                rows.set(Some(api::seen_by(&token, &participant).await.map_err(|_| ())));
            });
        });
    }
    let on_download = download(token(&app), format!("?participant={}", props.participant));
    let channel = |code: &str| match code {
        "sync" => t(&app, OfficeText::ChannelSync).to_owned(),
        "office" => t(&app, OfficeText::ChannelOffice).to_owned(),
        "export" => t(&app, OfficeText::ChannelExport).to_owned(),
        other => other.to_owned(),
    };
    let body = match &*rows {
        None => html! { <p aria-busy="true">{ app.t(crate::i18n::Text::Loading) }</p> },
        Some(Err(())) => html! { <p>{ t(&app, OfficeText::LoadFailed) }</p> },
        Some(Ok(rows)) if rows.is_empty() => html! { <p class="empty">{ t(&app, OfficeText::SeenByNone) }</p> },
        Some(Ok(rows)) => html! {
            <table class="seen-by">
                <thead><tr>
                    <th scope="col">{ t(&app, OfficeText::Day) }</th>
                    <th scope="col">{ t(&app, OfficeText::Who) }</th>
                    <th scope="col">{ t(&app, OfficeText::How) }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().rev().map(|row| html! {
                        <tr>
                            <td>{ iso_day(&row.day) }</td>
                            <td>{ row.reader_name.clone().unwrap_or_else(|| row.reader.clone()) }</td>
                            <td>{ channel(&row.channel) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
    };
    html! {
        <section class="card" aria-labelledby="seen-by-heading">
            <h2 id="seen-by-heading">{ t(&app, OfficeText::SeenByHeading) }</h2>
            <p>{ t(&app, OfficeText::SeenByIntro) }</p>
            { body }
            <p class="actions">
                <button type="button" class="button" onclick={on_download}>
                    { t(&app, OfficeText::DownloadAccessLog) }
                </button>
            </p>
        </section>
    }
}
