//! `POST /api/sync` (one round trip of the sync protocol) and
//! `GET /api/events` (server-sent events when the change feed moves).

use std::convert::Infallible;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use innom_shared::access::Actor;
use innom_shared::api::{ErrorBody, Role};
use innom_shared::sync::wire::{self, MEDIA_TYPE, SyncRequest, digest_matches};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access_log::{AccessLog, Channel};
use crate::auth::Caller;
use crate::error::{ApiError, Result};
use crate::state::{AppState, PhoneRetention};
use crate::store::Db;
use crate::store::documents::Author;
use crate::store::teams;
use crate::sync::{self, SyncHub, Syncer};
use crate::telemetry;

/// The largest sync request read; larger ones get 413 before the rest is read.
pub const SYNC_BODY_LIMIT: usize = 8 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sync_round_trip)).layer(DefaultBodyLimit::max(SYNC_BODY_LIMIT))
}

/// The event stream, kept apart because it has no time limit.
pub fn events_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// Pushes a device's changes and pulls everything after its cursor.
///
/// Request and response are CBOR; the format is described in
/// `docs/SYNC.md`. The request must carry a `Content-Digest: sha-256=:…:`
/// header. Each pushed document is accepted or rejected on its own.
#[utoipa::path(
    post,
    path = "/api/sync",
    tag = "sync",
    security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/cbor", description = "A SyncRequest (docs/SYNC.md)"),
    responses(
        (status = 200, description = "A SyncResponse (docs/SYNC.md)", body = Vec<u8>, content_type = "application/cbor"),
        (status = 400, description = "Not a valid sync request", body = ErrorBody),
        (status = 401, description = "No live session", body = ErrorBody),
        (status = 408, description = "The request took longer than the server waits", body = ErrorBody),
        (status = 413, description = "Body over 8 MiB, or more documents or changes than one push may carry", body = ErrorBody),
        (status = 415, description = "Not application/cbor", body = ErrorBody),
    )
)]
async fn sync_round_trip(
    State(db): State<Db>,
    State(hub): State<SyncHub>,
    State(retention): State<PhoneRetention>,
    State(access_log): State<AccessLog>,
    caller: Caller,
    headers: HeaderMap,
    body: std::result::Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response> {
    let started = std::time::Instant::now();
    let answer = round_trip(db, hub, retention, access_log, caller, headers, body).await;
    let outcome = match &answer {
        Ok(_) => "ok",
        Err(e) if e.status().is_client_error() => "refused",
        Err(_) => "failed",
    };
    metrics::counter!(telemetry::SYNCS, "outcome" => outcome).increment(1);
    metrics::histogram!(telemetry::SYNC_SECONDS).record(started.elapsed().as_secs_f64());
    answer
}

/// The round trip itself; [`sync_round_trip`] counts and times it.
async fn round_trip(
    db: Db,
    hub: SyncHub,
    retention: PhoneRetention,
    access_log: AccessLog,
    caller: Caller,
    headers: HeaderMap,
    body: std::result::Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response> {
    if !headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(is_cbor) {
        return Err(ApiError::InvalidBody {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message: format!("a sync request must be sent as {MEDIA_TYPE}"),
        });
    }
    let body = body?;
    // Checked before decoding: a body damaged on the way is refused whole,
    // whatever part of it was hit.
    let digest_ok =
        headers.get("content-digest").and_then(|v| v.to_str().ok()).is_some_and(|v| digest_matches(v, &body));
    if !digest_ok {
        return Err(ApiError::InvalidBody {
            status: StatusCode::BAD_REQUEST,
            message: "missing or wrong Content-Digest (sha-256) for the request body".into(),
        });
    }
    let request = SyncRequest::decode(&body)
        .map_err(|e| ApiError::InvalidBody { status: StatusCode::BAD_REQUEST, message: e.to_string() })?;
    if let Some(message) = request.over_limits() {
        return Err(ApiError::InvalidBody { status: StatusCode::PAYLOAD_TOO_LARGE, message });
    }
    let mut response = sync::sync(&db, &hub, syncer(&db, &caller).await?, request).await?;
    for result in &response.results {
        let outcome = result.rejection.as_ref().map_or("accepted", |r| r.code.as_str());
        metrics::counter!(telemetry::PUSHES, "outcome" => outcome).increment(1);
    }
    // Advisors carry records out of the office on phones; staff work from
    // the office and mentors hold only their own feedback.
    if let Caller::User(user) = &caller
        && user.role == Role::Advisor
    {
        response.retire_before = Some(retention.cutoff().to_iso());
    }
    if !response.pull.is_empty() {
        let reader = match &caller {
            Caller::User(user) => user.username.clone(),
            Caller::Mentor(mentor) => mentor.identity(),
        };
        let sent = response.pull.iter().map(|doc| wire::doc_id(&doc.id));
        access_log.records(&reader, Channel::Sync, sent).await?;
    }
    Ok(([(CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE))], response.encode()).into_response())
}

/// The caller as the sync engine sees them: whom their changes are stored
/// as, the rules their pushes are checked against, what they are sent (an
/// account: the records for its teams, or everything for staff who see
/// every team), and whether that changed since their last sync.
async fn syncer(db: &Db, caller: &Caller) -> Result<Syncer> {
    Ok(match caller {
        Caller::User(user) => {
            let author =
                Author { user_id: Some(user.user_id), session_id: Some(user.session_id), mentor_session_id: None };
            let username = user.username.clone();
            let actor = match user.role {
                Role::Staff => Actor::Staff { username },
                Role::Advisor => Actor::Advisor { username },
            };
            // The mark was read with the session, before its scope: a
            // change after that marks the session again for its next sync.
            // Cleared only when set, so a sync writes nothing here.
            let rescope = user.rescope && teams::take_rescope(db, user.session_id).await?;
            Syncer { author, scope: user.scope.clone(), actor, rescope }
        }
        Caller::Mentor(mentor) => {
            let author = Author { mentor_session_id: Some(mentor.session_id), ..Author::SYSTEM };
            let actor = Actor::Mentor { placement: mentor.placement, identity: mentor.identity() };
            Syncer { author, scope: actor.scope(), actor, rescope: false }
        }
    })
}

/// A stream of `feed` events, each carrying the newest change-log position.
///
/// The first event is sent at once. A browser reads it with `fetch` (an
/// `EventSource` cannot send the `Authorization` header).
#[utoipa::path(
    get,
    path = "/api/events",
    tag = "sync",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "text/event-stream of `feed` events", content_type = "text/event-stream"),
        (status = 401, description = "No live session", body = ErrorBody),
    )
)]
async fn events(
    State(hub): State<SyncHub>,
    _caller: Caller,
) -> Sse<impl Stream<Item = std::result::Result<Event, Infallible>>> {
    let feed = hub.subscribe();
    let open = StreamOpen::new();
    let stream = futures_util::stream::unfold((feed, hub, true, open), |(mut feed, hub, first, open)| async move {
        if !first {
            tokio::select! {
                changed = feed.changed() => changed.ok()?,
                () = hub.closed() => return None,
            }
        }
        let seq = *feed.borrow_and_update();
        Some((Ok(Event::default().event("feed").data(seq.to_string())), (feed, hub, false, open)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Counts an open event stream for as long as it lives.
struct StreamOpen;

impl StreamOpen {
    fn new() -> Self {
        metrics::gauge!(telemetry::EVENT_STREAMS).increment(1.0);
        Self
    }
}

impl Drop for StreamOpen {
    fn drop(&mut self) {
        metrics::gauge!(telemetry::EVENT_STREAMS).decrement(1.0);
    }
}

/// Whether a `Content-Type` names `application/cbor` as RFC 9110 reads it:
/// type and subtype in any letter case, parameters after `;` allowed, and
/// nothing else (`application/cbor-seq` is another media type).
fn is_cbor(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case(MEDIA_TYPE)
}

#[cfg(test)]
mod tests {
    use super::is_cbor;

    #[test]
    fn the_media_type_is_compared_as_rfc_9110_says() {
        for accepted in
            ["application/cbor", "Application/CBOR", "application/cbor; charset=binary", "application/cbor ;x=1"]
        {
            assert!(is_cbor(accepted), "{accepted}");
        }
        for refused in ["application/cbor-seq", "application/cbor+foo", "application/json", "", "application/cborx"] {
            assert!(!is_cbor(refused), "{refused}");
        }
    }
}
