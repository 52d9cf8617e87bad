//! The HTTP surface: every `/api` route, described by one OpenAPI document,
//! and the built client behind them.

mod access_log;
mod admin;
mod attention;
mod auth;
mod documents;
mod exports;
mod health;
mod mentor;
mod oidc;
mod privacy;
mod review;
mod schema;
mod sync;
mod teams;
mod timeline;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::security_headers::{self, SecurityHeaders};
use crate::state::AppState;
use crate::static_files;

/// The largest JSON body any endpoint reads (logins, link requests). The
/// sync endpoint has its own, larger limit.
pub const JSON_BODY_LIMIT: usize = 16 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "Innom API", description = "Sync server for Innom's field recording client."),
    modifiers(&BearerAuth),
    tags((name = "system"), (name = "auth"), (name = "sync"), (name = "mentor"), (name = "admin"), (name = "privacy"), (name = "office"))
)]
struct ApiDoc;

/// Declares the `bearer` scheme that protected routes refer to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and the OpenAPI document describing them. Every route
/// but the event stream must answer within `timeout`, body included.
pub fn api(timeout: Duration) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(auth::router())
        .merge(oidc::router())
        .merge(sync::router())
        .merge(documents::router())
        .merge(mentor::router())
        .merge(admin::router())
        .merge(access_log::router())
        .merge(teams::router())
        .merge(privacy::router())
        .merge(exports::router())
        .merge(attention::router())
        .merge(review::router())
        .merge(timeline::router())
        .merge(schema::router())
        .layer(middleware::from_fn_with_state(timeout, time_limit))
        // Outermost, so the sync route's own larger limit overrides it.
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        // The event stream stays open for as long as the app is.
        .merge(sync::events_router())
        .split_for_parts();
    let mut openapi = openapi;
    describe_common_answers(&mut openapi);
    (router, openapi)
}

/// Adds the answers that come from the extractors rather than a handler,
/// so that each operation lists every status it can give: `401` wherever a
/// session is needed, and the JSON body's rejections wherever one is read.
fn describe_common_answers(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build()
    };
    let common_to_bodies = [
        ("400", "The body is not JSON"),
        ("413", "The body is larger than 16 KiB"),
        ("415", "The body is not `application/json`"),
        ("422", "A field is missing or has the wrong type; the message names it"),
    ];
    for item in openapi.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            let answers = &mut operation.responses.responses;
            if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                answers.entry("401".into()).or_insert_with(|| error("No live session").into());
            }
            let reads_json =
                operation.request_body.as_ref().is_some_and(|b| b.content.contains_key("application/json"));
            if reads_json {
                for (status, description) in common_to_bodies {
                    answers.entry(status.into()).or_insert_with(|| error(description).into());
                }
            }
        }
    }
}

/// The whole application: the API under `/api`, and the built client (if a
/// folder is given) for every other path.
pub fn app(state: AppState, static_dir: Option<&Path>, timeout: Duration, over_tls: bool) -> Router {
    let (api, openapi) = api(timeout);
    let openapi = Arc::new(openapi);
    let api = api
        .route("/api/openapi.json", get(move || async move { axum::Json(openapi.as_ref().clone()) }))
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
        // API answers are personal and change with every sync: never cache them.
        .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static("no-store")));

    let app = match static_dir {
        Some(dir) => api.fallback_service(static_files::router(dir)),
        None => api,
    };
    app.layer(middleware::from_fn_with_state(SecurityHeaders::for_client(static_dir, over_tls), security_headers::add))
        // Spans name the path, never the query: the sign-in's callback
        // carries the provider's code there.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

/// Answers 408 with the usual JSON error when a request (reading its body
/// included) takes longer than `limit`, so a stalled upload cannot hold a
/// connection and a database slot for ever.
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout.into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}
