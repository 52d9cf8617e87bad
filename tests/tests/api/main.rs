//! API tests against the real server on port 0 with a real SQLite file.

mod access;
mod admin;
mod attention;
mod auth;
mod backup;
mod caddy;
mod database;
mod exports;
mod figures;
mod health;
mod history;
mod https;
mod limits;
mod mentor;
mod metrics;
mod openapi;
mod phone_automerge;
mod privacy;
mod projections;
mod retention;
mod review;
mod schema;
mod static_files;
mod sync;
mod teams;
mod upgrade;
