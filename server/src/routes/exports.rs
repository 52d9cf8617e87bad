//! `GET /api/exports/{kind}.csv`: every record of one kind as a CSV file
//! for office staff (see `crate::exports` for the format).

use axum::extract::{Path, State};
use axum::response::Response;
use innom_shared::api::ErrorBody;
use innom_shared::records::RecordKind;
use innom_shared::sync::AnyRecord;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CurrentStaff;
use crate::error::{ApiError, Result};
use crate::exports::{self, ExportKind, Names};
use crate::state::AppState;
use crate::store::{Db, documents};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_csv))
}

/// Every record of one kind as CSV: UTF-8 with a byte-order mark,
/// semicolon-separated, Norwegian column names.
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
    CurrentStaff(user): CurrentStaff,
    Path(file): Path<String>,
) -> Result<Response> {
    let kind = file.strip_suffix(".csv").and_then(ExportKind::from_slug).ok_or(ApiError::NotFound)?;
    let records = documents::all_of_kind(&db, kind.kind).await?;
    let names = names_for(&db, kind.kind).await?;
    let body = exports::csv(kind.kind, &records, &names)?;
    let today = time::OffsetDateTime::now_utc().date();
    let filename = format!("innom-{}-{today}.csv", kind.file_stem);
    tracing::info!(user = %user.username, export = kind.slug, rows = records.len(), "csv export");
    exports::attachment(&filename, body)
}

/// The names a kind's rows refer to (workplace and participant names).
async fn names_for(db: &Db, kind: RecordKind) -> anyhow::Result<Names> {
    let mut names = Names::default();
    let needed: &[RecordKind] = match kind {
        RecordKind::Placement => &[RecordKind::Workplace, RecordKind::Participant],
        RecordKind::Visit | RecordKind::MentorFeedback => {
            &[RecordKind::Workplace, RecordKind::Participant, RecordKind::Placement]
        }
        RecordKind::Workplace | RecordKind::Participant => &[],
    };
    for kind in needed {
        for record in documents::all_of_kind(db, *kind).await? {
            match record {
                AnyRecord::Workplace(w) => {
                    names.workplaces.insert(w.id, w.name);
                }
                AnyRecord::Participant(p) => {
                    names.participants.insert(p.id, p.display_name);
                }
                AnyRecord::Placement(p) => {
                    names.placement_participant.insert(p.id, p.participant);
                }
                AnyRecord::Visit(_) | AnyRecord::MentorFeedback(_) => {}
            }
        }
    }
    Ok(names)
}
