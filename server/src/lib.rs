//! The Innom server.
//!
//! A request comes in through [`startup::Application`], which owns the
//! listener and the [`state::AppState`] (database pool, password hasher).
//! [`routes::app`] sends `/api/*` to one handler module per feature under
//! `routes/`, each returning `Result<_, error::ApiError>`; protected
//! handlers take an [`auth::CurrentUser`], which checks the bearer token
//! against the `sessions` table. Every other path is the built client,
//! served by [`static_files`]. Storage is SQLite through [`store`], whose
//! queries are checked at compile time.
//!
//! `main.rs` only parses the command line and calls [`commands::run`].

pub mod access_log;
pub mod auth;
pub mod commands;
pub mod config;
pub mod demo;
pub mod error;
pub mod exports;
pub mod history;
pub mod oidc;
pub mod passwords;
pub mod routes;
pub mod security_headers;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod store;
pub mod sync;
pub mod telemetry;
pub mod throttle;
pub mod timeline;
pub mod tls;
pub mod tokens;
