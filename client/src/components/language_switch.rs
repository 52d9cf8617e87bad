//! A button that switches between bokmål and English.

use yew::prelude::*;

use crate::i18n::Text;
use crate::state::{Action, use_app};

#[function_component(LanguageSwitch)]
pub fn language_switch() -> Html {
    let app = use_app();
    let other = app.lang.other();
    let onclick = {
        let app = app.clone();
        Callback::from(move |_| app.dispatch(Action::SetLang(other)))
    };
    html! {
        <button type="button" class="button button-quiet" lang={other.tag()}
            title={app.t(Text::SwitchLanguage)} {onclick}>
            { other.own_name() }
        </button>
    }
}
