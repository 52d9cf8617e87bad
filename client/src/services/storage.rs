//! What the app keeps in the browser between visits (localStorage).

use gloo::storage::{LocalStorage, Storage};
use innom_shared::api::{Me, MentorView};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::json;

use crate::i18n::Lang;

const LANG_KEY: &str = "innom.lang";
const SESSION_KEY: &str = "innom.session";
const MENTOR_KEY: &str = "innom.mentor";
/// Whose records the phone holds; another user logging in starts empty.
const OWNER_KEY: &str = "innom.owner";

/// A device session: the bearer token and who it belongs to. Kept on the
/// device so a reopened app stays logged in, even with no network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user: Me,
}

/// A mentor session made from a link, and what the mentor sees of the
/// placement, kept so the form opens offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentorSession {
    pub token: String,
    pub view: MentorView,
}

pub fn load_lang() -> Option<Lang> {
    get(LANG_KEY)
}

pub fn save_lang(lang: Lang) {
    // If storage is unavailable the choice lasts only until the page is
    // closed, which is acceptable for a language.
    set(LANG_KEY, &lang);
}

pub fn load_session() -> Option<Session> {
    get(SESSION_KEY)
}

pub fn save_session(session: Option<&Session>) {
    match session {
        Some(session) => set(SESSION_KEY, session),
        None => LocalStorage::delete(SESSION_KEY),
    }
}

pub fn load_mentor() -> Option<MentorSession> {
    get(MENTOR_KEY)
}

pub fn save_mentor(session: Option<&MentorSession>) {
    match session {
        Some(session) => set(MENTOR_KEY, session),
        None => LocalStorage::delete(MENTOR_KEY),
    }
}

pub fn load_owner() -> Option<String> {
    get(OWNER_KEY)
}

pub fn save_owner(username: Option<&str>) {
    match username {
        Some(username) => set(OWNER_KEY, username),
        None => LocalStorage::delete(OWNER_KEY),
    }
}

/// When the phone's database `database` last synced (ms since the epoch),
/// so "last synced" survives closing the app.
pub fn load_last_sync(database: &str) -> Option<f64> {
    get(&format!("innom.last-sync.{database}"))
}

pub fn save_last_sync(database: &str, at: f64) {
    set(&format!("innom.last-sync.{database}"), &at);
}

/// The value stored under `key`, if there is one and it reads as a `T`.
fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    json::from_str(&LocalStorage::raw().get_item(key).ok()??).ok()
}

/// Stores `value` under `key` as JSON. Storage can be full or disabled
/// (private mode); the value then lasts only as long as the page.
fn set<T: Serialize + ?Sized>(key: &str, value: &T) {
    if let Ok(text) = json::to_string(value) {
        let _ = LocalStorage::raw().set_item(key, &text);
    }
}
