//! The home page ("I dag"): greets the user; the advisor's day fills it.

use innom_shared::api::Role;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::i18n::Text;
use crate::state::use_app;

#[function_component(HomePage)]
pub fn home_page() -> Html {
    let app = use_app();
    let Some(session) = &app.session else {
        return html! { <Redirect<Route> to={Route::Login} /> };
    };
    let role = match session.user.role {
        Role::Advisor => app.t(Text::RoleAdvisor),
        Role::Staff => app.t(Text::RoleStaff),
    };
    html! {
        <section class="card">
            <h1 class="greeting">{ format!("{}, {}", app.t(Text::Hello), session.user.display_name) }</h1>
            <p class="role">{ role }</p>
            <p class="empty">{ app.t(Text::HomeEmpty) }</p>
        </section>
    }
}
