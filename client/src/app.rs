//! The routes, and the state provider around them.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::app_header::AppHeader;
use crate::pages::home::HomePage;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;
use crate::services::{api, storage};
use crate::state::{Action, AppContext, AppState};

/// Every screen, with its (Norwegian) address.
#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/logg-inn")]
    Login,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <HomePage /> },
        Route::Login => html! { <LoginPage /> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::restore);

    // Keep <html lang> and the stored choice in step with the language.
    use_effect_with(state.lang, |lang| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        storage::save_lang(*lang);
    });

    use_effect_with(state.session.clone(), |session| storage::save_session(session.as_ref()));

    // Once per start: check the stored session with the server. Offline,
    // the stored session is kept and the app works from it.
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            if let Some(token) = state.session.as_ref().map(|s| s.token.clone()) {
                wasm_bindgen_futures::spawn_local(async move {
                    match api::me(&token).await {
                        Ok(user) => state.dispatch(Action::UserRefreshed(user)),
                        Err(api::ApiError::Unauthorized(_)) => state.dispatch(Action::LoggedOut),
                        Err(_) => {}
                    }
                });
            }
        });
    }

    html! {
        <ContextProvider<AppContext> context={state}>
            <BrowserRouter>
                <AppHeader />
                <main id="main" class="page">
                    <Switch<Route> render={switch} />
                </main>
            </BrowserRouter>
        </ContextProvider<AppContext>>
    }
}
