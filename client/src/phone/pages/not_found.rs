//! An address the app does not know.

use yew::prelude::*;

use crate::i18n::Text;
use crate::phone::routes::{Link, Route};
use crate::state::use_app;

#[function_component(NotFoundPage)]
pub fn not_found_page() -> Html {
    let app = use_app();
    html! {
        <section class="card">
            <h1>{ app.t(Text::NotFoundTitle) }</h1>
            <p>{ app.t(Text::NotFoundBody) }</p>
            <Link to={Route::Home} classes="button">{ app.t(Text::BackHome) }</Link>
        </section>
    }
}
