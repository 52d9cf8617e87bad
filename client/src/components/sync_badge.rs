//! Where one record is: only on this phone, sent, confirmed or rejected.

use innom_shared::sync::RecordSyncState;
use innom_shared::sync::wire::Rejection;
use yew::prelude::*;

use crate::i18n::{Lang, Text};
use crate::state::use_app;

#[derive(Debug, Properties, PartialEq)]
pub struct SyncBadgeProps {
    pub state: RecordSyncState,
}

#[function_component(SyncBadge)]
pub fn sync_badge(props: &SyncBadgeProps) -> Html {
    let app = use_app();
    let (class, text) = match &props.state {
        RecordSyncState::LocalOnly => ("badge badge-local", app.t(Text::StateLocal)),
        RecordSyncState::Sent => ("badge badge-sent", app.t(Text::StateSent)),
        RecordSyncState::Confirmed => ("badge badge-confirmed", app.t(Text::StateConfirmed)),
        RecordSyncState::Rejected(_) => ("badge badge-rejected", app.t(Text::StateRejected)),
    };
    html! {
        <>
            <span {class} data-sync-state={sync_state_name(&props.state)}>{ text }</span>
            if let RecordSyncState::Rejected(rejection) = &props.state {
                <p class="error rejection">{ rejection_text(app.lang, rejection) }</p>
            }
        </>
    }
}

/// Why the server refused the record, in bokmål when it sent that.
fn rejection_text(lang: Lang, rejection: &Rejection) -> &str {
    match (&rejection.message_nb, lang) {
        (Some(nb), Lang::Nb) => nb,
        _ => &rejection.message,
    }
}

/// A stable name for tests and styling.
fn sync_state_name(state: &RecordSyncState) -> &'static str {
    match state {
        RecordSyncState::LocalOnly => "local",
        RecordSyncState::Sent => "sent",
        RecordSyncState::Confirmed => "confirmed",
        RecordSyncState::Rejected(_) => "rejected",
    }
}
