//! What the app keeps in the browser between visits (localStorage).

use gloo::storage::{LocalStorage, Storage};
use innom_shared::api::MentorView;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::state::Session;

const LANG_KEY: &str = "innom.lang";
const SESSION_KEY: &str = "innom.session";
const MENTOR_KEY: &str = "innom.mentor";
/// Whose records the phone holds; another user logging in starts empty.
const OWNER_KEY: &str = "innom.owner";

/// A mentor session made from a link, and what the mentor sees of the
/// placement, kept so the form opens offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentorSession {
    pub token: String,
    pub view: MentorView,
}

pub fn load_lang() -> Option<Lang> {
    LocalStorage::get(LANG_KEY).ok()
}

pub fn save_lang(lang: Lang) {
    // Storage can be full or disabled (private mode); the choice then lasts
    // only until the page is closed, which is acceptable for a language.
    let _ = LocalStorage::set(LANG_KEY, lang);
}

pub fn load_session() -> Option<Session> {
    LocalStorage::get(SESSION_KEY).ok()
}

pub fn save_session(session: Option<&Session>) {
    match session {
        Some(session) => {
            let _ = LocalStorage::set(SESSION_KEY, session);
        }
        None => LocalStorage::delete(SESSION_KEY),
    }
}

pub fn load_mentor() -> Option<MentorSession> {
    LocalStorage::get(MENTOR_KEY).ok()
}

pub fn save_mentor(session: Option<&MentorSession>) {
    match session {
        Some(session) => {
            let _ = LocalStorage::set(MENTOR_KEY, session);
        }
        None => LocalStorage::delete(MENTOR_KEY),
    }
}

pub fn load_owner() -> Option<String> {
    LocalStorage::get(OWNER_KEY).ok()
}

pub fn save_owner(username: Option<&str>) {
    match username {
        Some(username) => {
            let _ = LocalStorage::set(OWNER_KEY, username);
        }
        None => LocalStorage::delete(OWNER_KEY),
    }
}
