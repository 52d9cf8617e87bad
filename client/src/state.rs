//! Application state: the interface language and who is logged in. Held in
//! a reducer at the top of the app and shared through a context.

use std::rc::Rc;

use innom_shared::api::Me;
use yew::prelude::*;

use crate::i18n::{Lang, Text, t};
use crate::services::storage;
pub use crate::services::storage::Session;

/// The state every page can read.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub session: Option<Session>,
    /// Why the user was sent to the login page, if the server ended the
    /// session (shown there until the next login).
    pub notice: Option<Text>,
}

/// What can change the state.
#[derive(Debug)]
pub enum Action {
    SetLang(Lang),
    LoggedIn(Session),
    /// The user changed on the server (a refreshed `GET /api/me`).
    UserRefreshed(Me),
    LoggedOut,
    /// The server refused the session; `wiped` if the phone's data was
    /// deleted on an administrator's order.
    SessionEnded {
        wiped: bool,
    },
}

impl AppState {
    /// The state saved on this device, or the defaults.
    pub fn restore() -> Self {
        Self { lang: storage::load_lang().unwrap_or_default(), session: storage::load_session(), notice: None }
    }

    /// Text in the current language.
    pub fn t(&self, key: Text) -> &'static str {
        t(self.lang, key)
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => next.lang = lang,
            Action::LoggedIn(session) => {
                next.session = Some(session);
                next.notice = None;
            }
            Action::UserRefreshed(user) => {
                if let Some(session) = &mut next.session {
                    session.user = user;
                }
            }
            Action::LoggedOut => next.session = None,
            Action::SessionEnded { wiped } => {
                next.session = None;
                next.notice = Some(if wiped { Text::DeviceWiped } else { Text::SessionEnded });
            }
        }
        Rc::new(next)
    }
}

/// The handle components get from [`use_app`].
pub type AppContext = UseReducerHandle<AppState>;

/// The app state and its dispatcher.
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("use_app is called inside <App>")
}
