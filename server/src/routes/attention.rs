//! The office's views: `GET /api/attention`, the attention list —
//! placements with a red or yellow status, a mentor asking for contact,
//! overdue follow-ups, no visit for a while, an end date close, or records
//! not yet reviewed — each with its reasons, filtered as the office asks;
//! and `GET /api/figures`, the programme figures for a period.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderName;
use axum::response::Response;
use innom_shared::api::{AttentionRow, ErrorBody};
use innom_shared::values::{Date, DocId};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access_log::{AccessLog, Channel};
use crate::auth::CurrentStaff;
use crate::error::{ApiError, Json, Result};
use crate::exports;
use crate::state::AppState;
use crate::store::Db;
use crate::store::attention::{self, AttentionClock, AttentionQuery};
use crate::store::figures::{self, Figures};
use crate::store::sessions::SessionUser;
use crate::store::teams;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(attention_list))
        .routes(routes!(attention_csv))
        .routes(routes!(programme_figures))
}

/// The filters; every one is optional.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttentionFilter {
    /// Only this advisor's placements: their username, or a part of their name.
    advisor: Option<String>,
    /// Only placements at this workplace (record id).
    workplace: Option<String>,
    /// Only this industry (`hotel`, `retail`, …).
    industry: Option<String>,
    /// `red` or `yellow`: only placements whose latest visit or feedback says so.
    status: Option<String>,
    /// Only placements in this phase (1–3).
    phase: Option<i64>,
    /// Only placements running on or after this day (`YYYY-MM-DD`).
    from: Option<String>,
    /// Only placements running on or before this day (`YYYY-MM-DD`).
    to: Option<String>,
    /// A part of the participant's or the workplace's name.
    q: Option<String>,
    /// A placement with no visit for this many days needs one (default 14).
    quiet_days: Option<u32>,
    /// At most this many rows, the most urgent first (default 200, at most
    /// 10,000); `X-Total-Count` says how many there are in all.
    limit: Option<i64>,
}

pub(super) fn bad(message: &str) -> ApiError {
    ApiError::InvalidBody { status: axum::http::StatusCode::BAD_REQUEST, message: message.into() }
}

pub(super) fn date(text: Option<&str>, name: &str) -> Result<Option<Date>> {
    text.filter(|t| !t.is_empty())
        .map(|t| Date::parse(t).ok_or_else(|| bad(&format!("{name}: not a date (YYYY-MM-DD)"))))
        .transpose()
}

/// Placements that need attention, with the reasons, most reasons first.
///
/// For office staff: an advisor's phone has its own "due today" list from
/// its records. A placement is listed when it is planned or running and
/// has a red or yellow latest visit or feedback, a mentor asking for
/// contact or saying "not yet", an overdue follow-up, no visit for
/// `quiet_days` (counted from the start for a placement that began more
/// recently), an end within 14 days, visits or feedback not yet reviewed,
/// or values two people wrote at once that nobody has chosen between
/// (`conflict`, in the placement, one of its visits or its feedback).
/// Each row names the advisor by username and name. The answer holds the
/// 200 most urgent rows unless `limit` says otherwise; the header
/// `X-Total-Count` says how many match. Staff limited to teams see only
/// their teams' placements.
#[utoipa::path(
    get,
    path = "/api/attention",
    tag = "office",
    security(("bearer" = [])),
    params(AttentionFilter),
    responses(
        (status = 200, description = "The attention list", body = Vec<AttentionRow>),
        (status = 400, description = "A filter is not valid", body = ErrorBody),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff", body = ErrorBody),
    )
)]
async fn attention_list(
    State(db): State<Db>,
    State(access_log): State<AccessLog>,
    CurrentStaff(user): CurrentStaff,
    filter: std::result::Result<Query<AttentionFilter>, QueryRejection>,
) -> Result<([(HeaderName, String); 1], Json<Vec<AttentionRow>>)> {
    let (rows, total) = filtered(&db, &user, filter, DEFAULT_LIMIT).await?;
    access_log.records(&user.username, Channel::Office, placements_of(&rows)).await?;
    Ok(([(HeaderName::from_static("x-total-count"), total.to_string())], Json(rows)))
}

/// Rows the list answers with unless asked for fewer or more.
const DEFAULT_LIMIT: i64 = 200;
/// The most rows one answer holds.
const MAX_LIMIT: i64 = 10_000;

/// The attention list as the office filtered it, as a CSV file (UTF-8
/// with a byte-order mark, `;`, Norwegian column names).
#[utoipa::path(
    get,
    path = "/api/attention.csv",
    tag = "office",
    security(("bearer" = [])),
    params(AttentionFilter),
    responses(
        (status = 200, description = "The attention list as CSV", content_type = "text/csv"),
        (status = 400, description = "A filter is not valid", body = ErrorBody),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff", body = ErrorBody),
    )
)]
async fn attention_csv(
    State(db): State<Db>,
    State(access_log): State<AccessLog>,
    CurrentStaff(user): CurrentStaff,
    filter: std::result::Result<Query<AttentionFilter>, QueryRejection>,
) -> Result<Response> {
    let (rows, _) = filtered(&db, &user, filter, MAX_LIMIT).await?;
    access_log.records(&user.username, Channel::Export, placements_of(&rows)).await?;
    let body = exports::attention_csv(&rows)?;
    tracing::info!(user = %user.username, rows = rows.len(), "attention csv export");
    let today = time::OffsetDateTime::now_utc().date();
    exports::attachment(&format!("innom-oppfolging-{today}.csv"), body)
}

/// The placements of the list's rows.
fn placements_of(rows: &[AttentionRow]) -> Vec<DocId> {
    rows.iter().filter_map(|row| DocId::parse(&row.placement)).collect()
}

/// The attention list, filtered, and how many rows match in all.
async fn filtered(
    db: &Db,
    user: &SessionUser,
    filter: std::result::Result<Query<AttentionFilter>, QueryRejection>,
    default_limit: i64,
) -> Result<(Vec<AttentionRow>, i64)> {
    let Query(filter) = filter.map_err(|e| bad(&e.body_text()))?;
    let (from, to) = (date(filter.from.as_deref(), "from")?, date(filter.to.as_deref(), "to")?);
    let quiet_days = filter.quiet_days.unwrap_or(14);
    if !(1..=365).contains(&quiet_days) {
        return Err(bad("quiet_days: from 1 to 365"));
    }
    let limit = filter.limit.unwrap_or(default_limit);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad("limit: from 1 to 10000"));
    }
    // An id that is no UUID matches no workplace.
    let workplace = filter
        .workplace
        .as_deref()
        .filter(|w| !w.is_empty())
        .map(|text| DocId::parse(text).map(|id| id.0.as_bytes().to_vec()).unwrap_or_default());
    let query = AttentionQuery {
        advisor: filter.advisor,
        workplace,
        industry: filter.industry,
        status: filter.status,
        phase: filter.phase,
        from,
        to,
        q: filter.q,
        teams: teams::office_filter(&user.scope),
        limit,
    };
    let now = time::OffsetDateTime::now_utc();
    let clock = AttentionClock {
        today: Date(now.date()),
        now: i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX),
        quiet_days,
    };
    Ok(attention::list(db, clock, &query).await?)
}

/// The period of the figures.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// The first day (`YYYY-MM-DD`); 12 weeks before `to` if left out.
    from: Option<String>,
    /// The last day (`YYYY-MM-DD`); today if left out.
    to: Option<String>,
}

/// Programme figures for a period: employers contacted and visited, visits
/// per week, placements by status and phase, job offers, hires, and how
/// many ended placements led to work or education. Staff limited to teams
/// get their teams' figures.
#[utoipa::path(
    get,
    path = "/api/figures",
    tag = "office",
    security(("bearer" = [])),
    params(Period),
    responses(
        (status = 200, description = "The figures", body = Figures),
        (status = 400, description = "Not a valid period", body = ErrorBody),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff", body = ErrorBody),
    )
)]
async fn programme_figures(
    State(db): State<Db>,
    CurrentStaff(staff): CurrentStaff,
    period: std::result::Result<Query<Period>, QueryRejection>,
) -> Result<Json<Figures>> {
    let Query(period) = period.map_err(|e| bad(&e.body_text()))?;
    let to = date(period.to.as_deref(), "to")?.unwrap_or(Date(time::OffsetDateTime::now_utc().date()));
    let from = date(period.from.as_deref(), "from")?.unwrap_or(Date(to.0.saturating_sub(time::Duration::weeks(12))));
    if from > to || to.0 - from.0 > time::Duration::days(3 * 366) {
        return Err(bad("the period must start before it ends, and last at most three years"));
    }
    Ok(Json(figures::for_period(&db, from, to, teams::office_filter(&staff.scope)).await?))
}
