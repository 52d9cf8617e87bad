//! `GET /api/admin/access-log` and `/api/admin/access-log.csv`: who was
//! given which participant's records, how and when (see `access_log`), for
//! staff with the admin right (the data protection officer's questions).

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use futures_util::{StreamExt, TryStreamExt};
use innom_shared::api::{AccessLogEntry, ErrorBody};
use innom_shared::values::DocId;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::attention::{bad, date};
use crate::auth::CurrentAdmin;
use crate::error::{Json, Result};
use crate::exports;
use crate::state::AppState;
use crate::store::Db;
use crate::store::access_log::{self, LogQuery};
use crate::store::sessions::SessionUser;
use crate::store::teams;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(access_log_json)).routes(routes!(access_log_csv))
}

/// Which rows of the log to read.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogFilter {
    /// One participant's rows (their record id).
    participant: Option<String>,
    /// From this day (`YYYY-MM-DD`, UTC), included.
    from: Option<String>,
    /// To this day (`YYYY-MM-DD`, UTC), included.
    to: Option<String>,
    /// At most this many rows (default 1,000, at most 10,000; JSON only).
    limit: Option<i64>,
}

/// The filter as a query of the log; staff limited to teams read only
/// their teams' participants.
fn log_query(
    user: &SessionUser,
    filter: std::result::Result<Query<LogFilter>, QueryRejection>,
) -> Result<(LogQuery, i64)> {
    let Query(filter) = filter.map_err(|e| bad(&e.body_text()))?;
    let participant = match filter.participant.as_deref().filter(|p| !p.is_empty()) {
        Some(text) => Some(DocId::parse(text).ok_or_else(|| bad("participant: not a record id (UUID)"))?),
        None => None,
    };
    let (from, to) = (date(filter.from.as_deref(), "from")?, date(filter.to.as_deref(), "to")?);
    let limit = filter.limit.unwrap_or(1_000);
    if !(1..=10_000).contains(&limit) {
        return Err(bad("limit: from 1 to 10000"));
    }
    let query = LogQuery {
        participant,
        from: from.map(|d| d.to_iso()),
        to: to.map(|d| d.to_iso()),
        teams: teams::office_filter(&user.scope),
    };
    Ok((query, limit))
}

/// Who was given which participant's records: one row per reader,
/// participant, channel (`sync`, `office`, `export`) and day, oldest
/// first. Rows are kept for `--access-log-days` (365 by default); an
/// erased participant's rows stay, with `participant_name` null.
#[utoipa::path(
    get,
    path = "/api/admin/access-log",
    tag = "admin",
    security(("bearer" = [])),
    params(LogFilter),
    responses(
        (status = 200, description = "The rows of the access log", body = Vec<AccessLogEntry>),
        (status = 400, description = "A filter is not valid", body = ErrorBody),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
    )
)]
async fn access_log_json(
    State(db): State<Db>,
    CurrentAdmin(admin): CurrentAdmin,
    filter: std::result::Result<Query<LogFilter>, QueryRejection>,
) -> Result<Json<Vec<AccessLogEntry>>> {
    let (query, limit) = log_query(&admin, filter)?;
    let rows = access_log::entries(&db, &query, 0, limit).await?;
    Ok(Json(rows.into_iter().map(|(_, entry)| entry).collect()))
}

/// The access log as a CSV file (UTF-8 with a byte-order mark, `;`,
/// Norwegian column names), every row the filter matches.
#[utoipa::path(
    get,
    path = "/api/admin/access-log.csv",
    tag = "admin",
    security(("bearer" = [])),
    params(LogFilter),
    responses(
        (status = 200, description = "The access log as CSV", content_type = "text/csv"),
        (status = 400, description = "A filter is not valid", body = ErrorBody),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not staff with the admin right", body = ErrorBody),
    )
)]
async fn access_log_csv(
    State(db): State<Db>,
    CurrentAdmin(admin): CurrentAdmin,
    filter: std::result::Result<Query<LogFilter>, QueryRejection>,
) -> Result<Response> {
    let (query, _) = log_query(&admin, filter)?;
    tracing::info!(user = %admin.username, "access log csv export");
    let start = exports::csv_start(&["Dag", "Første gang", "Hvem", "Navn", "Deltaker-ID", "Deltaker", "Kanal"])?;
    const PAGE: i64 = 1_000;
    let pages = futures_util::stream::try_unfold(Some(0), move |after| {
        let (db, query) = (db.clone(), query.clone());
        async move {
            let Some(after) = after else { return Ok::<_, anyhow::Error>(None) };
            let rows = access_log::entries(&db, &query, after, PAGE).await?;
            let next = if rows.len() == usize::try_from(PAGE)? { rows.last().map(|(id, _)| *id) } else { None };
            let cells = rows.into_iter().map(|(_, e)| {
                let first = time::OffsetDateTime::from_unix_timestamp(e.first_at / 1000)
                    .map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
                    .unwrap_or_default();
                let channel = match e.channel.as_str() {
                    "sync" => "Synkronisert til enhet",
                    "office" => "Vist på kontoret",
                    "export" => "Eksportert",
                    other => other,
                };
                vec![
                    e.day,
                    first,
                    e.reader,
                    e.reader_name.unwrap_or_default(),
                    e.participant,
                    e.participant_name.unwrap_or_else(|| "(slettet)".into()),
                    channel.to_owned(),
                ]
            });
            Ok(Some((exports::csv_rows(cells)?, next)))
        }
    });
    let body = futures_util::stream::once(async { Ok(start) }).chain(pages).map_err(|e| {
        tracing::error!("an access log export stopped: {e:#}");
        std::io::Error::other(e.to_string())
    });
    let today = time::OffsetDateTime::now_utc().date();
    exports::attachment(&format!("innom-tilgangslogg-{today}.csv"), Body::from_stream(body))
}
