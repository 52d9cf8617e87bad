//! The office app's API calls: JSON views of the query tables, the
//! office's own changes (review, resolve), and file exports.

use gloo::net::http::Request;
use innom_shared::api::{
    AccessLogEntry, AttentionRow, Figures, History, PlacementTimeline, ResolveRequest, ReviewRequest, WorkplaceOverview,
};

use crate::services::api::{ApiError, bearer, done, error_from, read, with_json};

/// `GET /api/attention?{query}`: the most urgent rows, and how many match.
pub async fn attention(token: &str, query: &str) -> Result<(Vec<AttentionRow>, usize), ApiError> {
    let response =
        Request::get(&format!("/api/attention?{query}")).header("Authorization", &bearer(token)).send().await?;
    let total = response.headers().get("x-total-count").and_then(|t| t.parse().ok());
    let rows: Vec<AttentionRow> = read(response).await?;
    let total = total.unwrap_or(rows.len());
    Ok((rows, total))
}

/// `GET /api/placements/{id}/timeline`.
pub async fn timeline(token: &str, id: &str) -> Result<PlacementTimeline, ApiError> {
    let url = format!("/api/placements/{id}/timeline");
    read(Request::get(&url).header("Authorization", &bearer(token)).send().await?).await
}

/// `GET /api/workplaces/{id}/overview`.
pub async fn workplace(token: &str, id: &str) -> Result<WorkplaceOverview, ApiError> {
    let url = format!("/api/workplaces/{id}/overview");
    read(Request::get(&url).header("Authorization", &bearer(token)).send().await?).await
}

/// `GET /api/documents/{id}/history`.
pub async fn history(token: &str, id: &str) -> Result<History, ApiError> {
    let url = format!("/api/documents/{id}/history");
    read(Request::get(&url).header("Authorization", &bearer(token)).send().await?).await
}

/// `GET /api/figures?from=&to=`.
pub async fn figures(token: &str, from: &str, to: &str) -> Result<Figures, ApiError> {
    let url = format!("/api/figures?from={from}&to={to}");
    read(Request::get(&url).header("Authorization", &bearer(token)).send().await?).await
}

/// `GET /api/admin/access-log?participant={id}`.
pub async fn seen_by(token: &str, participant: &str) -> Result<Vec<AccessLogEntry>, ApiError> {
    let url = format!("/api/admin/access-log?participant={participant}");
    read(Request::get(&url).header("Authorization", &bearer(token)).send().await?).await
}

/// `POST /api/documents/{id}/review`.
pub async fn review(token: &str, id: &str, request: &ReviewRequest) -> Result<(), ApiError> {
    let url = format!("/api/documents/{id}/review");
    done(with_json(Request::post(&url).header("Authorization", &bearer(token)), request)?.send().await?).await
}

/// `POST /api/documents/{id}/resolve`.
pub async fn resolve(token: &str, id: &str, request: &ResolveRequest) -> Result<(), ApiError> {
    let url = format!("/api/documents/{id}/resolve");
    done(with_json(Request::post(&url).header("Authorization", &bearer(token)), request)?.send().await?).await
}

/// A file from the API (`path` under `/api/`), as bytes: exports need the
/// bearer token, so a plain link cannot fetch them.
pub async fn file(token: &str, path: &str) -> Result<Vec<u8>, ApiError> {
    let response = Request::get(&format!("/api/{path}")).header("Authorization", &bearer(token)).send().await?;
    if response.ok() { Ok(response.binary().await?) } else { Err(error_from(response).await) }
}
