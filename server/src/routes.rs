//! The HTTP surface: every `/api` route, described by one OpenAPI document,
//! and the built client behind them.

mod auth;
mod documents;
mod health;
mod mentor;
mod sync;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::routing::{any, get};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;
use crate::static_files;

#[derive(OpenApi)]
#[openapi(
    info(title = "Innom API", description = "Sync server for Innom's field recording client."),
    modifiers(&BearerAuth),
    tags((name = "system"), (name = "auth"), (name = "sync"), (name = "mentor"))
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

/// The API routes and the OpenAPI document describing them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(auth::router())
        .merge(sync::router())
        .merge(documents::router())
        .merge(mentor::router())
        .split_for_parts()
}

/// The whole application: the API under `/api`, and the built client (if a
/// folder is given) for every other path.
pub fn app(state: AppState, static_dir: Option<&Path>) -> Router {
    let (api, openapi) = api();
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
    app.layer(SetResponseHeaderLayer::overriding(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}
