//! `GET /api/exports/{kind}.csv`: every record of one kind as a CSV file
//! for office staff (see `crate::exports` for the format), streamed from
//! `export_rows` a page at a time.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::Response;
use futures_util::{StreamExt, TryStreamExt};
use innom_shared::api::ErrorBody;
use innom_shared::records::RecordKind;
use innom_shared::values::DocId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access_log::{AccessLog, Channel};
use crate::auth::CurrentStaff;
use crate::error::{ApiError, Result};
use crate::exports::{self, ExportKind, Names};
use crate::state::AppState;
use crate::store::Db;
use crate::store::documents::doc_id;
use crate::store::teams;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_csv))
}

/// Every record of one kind as CSV: UTF-8 with a byte-order mark,
/// semicolon-separated, Norwegian column names.
///
/// `file` is `workplaces.csv`, `participants.csv`, `placements.csv`,
/// `visits.csv` or `feedback.csv`. Made for Excel on a Norwegian desktop:
/// every field quoted (commas, quotes and line breaks survive), values in
/// Norwegian words ("Gul", "Stikke innom", "Ikke vurdert"; the JSON views and
/// the participant export keep Innom's stable codes), advisors by full name,
/// times in Norwegian local time, phone numbers with `00` for a leading `+`
/// (`0047 412 34 567`), and a leading `'` on any other text that would start
/// a formula. For office staff; staff limited to teams get only their
/// teams' records (workplaces: all), and a visit about another team's
/// placement too names only their own participants.
#[utoipa::path(
    get,
    path = "/api/exports/{file}",
    tag = "exports",
    security(("bearer" = [])),
    params(("file" = String, Path,
        description = "workplaces.csv, participants.csv, placements.csv, visits.csv or feedback.csv")),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv"),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 403, description = "Not office staff", body = ErrorBody),
        (status = 404, description = "No such export", body = ErrorBody),
    )
)]
async fn export_csv(
    State(db): State<Db>,
    State(access_log): State<AccessLog>,
    CurrentStaff(user): CurrentStaff,
    Path(file): Path<String>,
) -> Result<Response> {
    let kind = file.strip_suffix(".csv").and_then(ExportKind::from_slug).ok_or(ApiError::NotFound)?;
    let teams = teams::office_filter(&user.scope);
    let names = names_from_tables(&db, teams.as_deref()).await?;
    let start = exports::csv_start(exports::header(kind.kind))?;
    tracing::info!(user = %user.username, export = kind.slug, "csv export");
    let reader = user.username.clone();
    // Each page is logged before it is sent.
    let pages = futures_util::stream::try_unfold(Some(Page::first()), move |page| {
        let (db, names, teams, access_log, reader) =
            (db.clone(), names.clone(), teams.clone(), access_log.clone(), reader.clone());
        async move {
            let Some(page) = page else { return Ok::<_, anyhow::Error>(None) };
            let (chunk, ids, next) = page.read(&db, kind.kind, teams.as_deref(), &names).await?;
            access_log.records(&reader, Channel::Export, ids).await?;
            Ok(Some((chunk, next)))
        }
    });
    let body = futures_util::stream::once(async { Ok(start) }).chain(pages).map_err(|e| {
        // The download stops short; the user sees it fail rather than a silently cut file.
        tracing::error!("a csv export stopped: {e:#}");
        std::io::Error::other(e.to_string())
    });
    let today = time::OffsetDateTime::now_utc().date();
    exports::attachment(&format!("innom-{}-{today}.csv", kind.file_stem), Body::from_stream(body))
}

/// Rows read per round: memory stays flat however many records there are.
const PAGE: i64 = 1_000;

/// Where the next page of `export_rows` starts (after this row).
#[derive(Debug, Clone)]
struct Page {
    created_at: i64,
    id: Vec<u8>,
}

impl Page {
    fn first() -> Self {
        Self { created_at: i64::MIN, id: Vec::new() }
    }

    /// This page as CSV, its records' ids, and where the next starts (none
    /// after the last).
    /// Only records for `teams` (`teams::office_filter`; `None`: all).
    async fn read(
        self,
        db: &Db,
        kind: RecordKind,
        teams: Option<&str>,
        names: &Names,
    ) -> anyhow::Result<(Vec<u8>, Vec<DocId>, Option<Page>)> {
        let kind = kind.as_str();
        let rows = sqlx::query!(
            "SELECT id, created_at, cells, refs FROM export_rows e
             WHERE kind = ?1 AND (created_at, id) > (?2, ?3)
               AND (?5 IS NULL OR EXISTS (SELECT 1 FROM document_teams t WHERE t.doc_id = e.id
                         AND (t.team_id IS NULL OR t.team_id IN (SELECT value FROM json_each(?5)))))
             ORDER BY created_at, id LIMIT ?4",
            kind,
            self.created_at,
            self.id,
            PAGE,
            teams
        )
        .fetch_all(db)
        .await?;
        let next = match rows.last() {
            Some(last) if rows.len() == usize::try_from(PAGE)? => {
                Some(Page { created_at: last.created_at, id: last.id.clone() })
            }
            _ => None,
        };
        let cells =
            rows.iter().map(|r| exports::finished_row(&r.cells, &r.refs, names)).collect::<anyhow::Result<Vec<_>>>()?;
        let ids = rows.iter().filter_map(|r| doc_id(&r.id)).collect();
        Ok((exports::csv_rows(cells)?, ids, next))
    }
}

/// The names rows point to, from the query tables: of participants, only
/// those for `teams` (a visit about two teams' placements names only the
/// reader's participant).
pub(crate) async fn names_from_tables(db: &Db, teams: Option<&str>) -> anyhow::Result<Arc<Names>> {
    let mut names = Names::default();
    for row in sqlx::query!("SELECT id, name FROM workplace_rows").fetch_all(db).await? {
        if let Some(id) = doc_id(&row.id) {
            names.workplaces.insert(id, row.name);
        }
    }
    let participants = sqlx::query!(
        "SELECT id, name FROM participant_rows p
         WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM document_teams t WHERE t.doc_id = p.id
                 AND (t.team_id IS NULL OR t.team_id IN (SELECT value FROM json_each(?1))))",
        teams
    )
    .fetch_all(db)
    .await?;
    for row in participants {
        if let Some(id) = doc_id(&row.id) {
            names.participants.insert(id, row.name);
        }
    }
    for row in sqlx::query!("SELECT id, participant FROM placement_rows").fetch_all(db).await? {
        if let (Some(id), Some(participant)) = (doc_id(&row.id), doc_id(&row.participant)) {
            names.placement_participant.insert(id, participant);
        }
    }
    names.users = crate::store::users::names(db).await?;
    Ok(Arc::new(names))
}
