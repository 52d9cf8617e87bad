//! A small router for the app's handful of fixed addresses: the current
//! [`Route`] in a context, [`Link`], [`Redirect`] and [`use_navigator`],
//! on the browser's History API. Written here rather than taken from
//! yew-router, whose generic route matching cost ~10 KB gzip of wasm for
//! six routes; every kilobyte is download time on a phone.

use yew::prelude::*;

use crate::app::Route;

impl Route {
    /// The route at `path`; [`Route::NotFound`] for anything unknown.
    pub fn parse(path: &str) -> Self {
        match path.trim_end_matches('/') {
            "" => Self::Home,
            "/logg-inn" => Self::Login,
            "/besok/ny" => Self::NewVisit,
            "/brukere" => Self::Users,
            other => {
                let id_after = |prefix: &str| {
                    other.strip_prefix(prefix).filter(|id| !id.is_empty() && !id.contains('/')).map(str::to_owned)
                };
                if let Some(id) = id_after("/praksis/") {
                    Self::Placement { id }
                } else if let Some(placement) = id_after("/besok/ny/") {
                    Self::NewVisitFor { placement }
                } else {
                    Self::NotFound
                }
            }
        }
    }

    /// The address of this route.
    pub fn path(&self) -> String {
        match self {
            Self::Home => "/".into(),
            Self::Login => "/logg-inn".into(),
            Self::NewVisit => "/besok/ny".into(),
            Self::Users => "/brukere".into(),
            Self::Placement { id } => format!("/praksis/{id}"),
            Self::NewVisitFor { placement } => format!("/besok/ny/{placement}"),
            Self::NotFound => "/404".into(),
        }
    }
}

/// Moves the app to another route; from [`use_navigator`].
#[derive(Debug, Clone, PartialEq)]
pub struct Navigator {
    go: Callback<(Route, bool)>,
}

impl Navigator {
    /// A new history entry, as a followed link makes.
    pub fn push(&self, route: &Route) {
        self.go.emit((route.clone(), false));
    }

    /// Replaces the current entry, so "back" skips it (redirects).
    pub fn replace(&self, route: &Route) {
        self.go.emit((route.clone(), true));
    }
}

/// The navigator, inside a [`Router`].
#[hook]
pub fn use_navigator() -> Option<Navigator> {
    use_context::<Navigator>()
}

#[derive(Debug, PartialEq, Properties)]
pub struct RouterProps {
    pub children: Html,
}

/// Holds the current route (from the address bar, and from back/forward)
/// and provides it and a [`Navigator`] to everything inside.
#[function_component(Router)]
pub fn router(props: &RouterProps) -> Html {
    let route = use_state(|| Route::parse(&gloo::utils::window().location().pathname().unwrap_or_default()));
    {
        let route = route.clone();
        use_effect_with((), move |()| {
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "popstate", move |_| {
                route.set(Route::parse(&gloo::utils::window().location().pathname().unwrap_or_default()));
            });
            move || drop(listener)
        });
    }
    let navigator = {
        let route = route.clone();
        Navigator {
            go: Callback::from(move |(next, replace): (Route, bool)| {
                let window = gloo::utils::window();
                if let Ok(history) = window.history() {
                    let path = next.path();
                    let _ = if replace {
                        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
                    } else {
                        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
                    };
                }
                if !replace {
                    window.scroll_to_with_x_and_y(0.0, 0.0);
                }
                route.set(next);
            }),
        }
    };
    html! {
        <ContextProvider<Navigator> context={navigator}>
            <ContextProvider<Route> context={(*route).clone()}>
                { props.children.clone() }
            </ContextProvider<Route>>
        </ContextProvider<Navigator>>
    }
}

/// The current route, inside a [`Router`].
#[hook]
pub fn use_route() -> Route {
    use_context::<Route>().unwrap_or(Route::NotFound)
}

#[derive(Debug, PartialEq, Properties)]
pub struct LinkProps {
    pub to: Route,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub children: Html,
}

/// A real `<a href>` (so it can be opened in a new tab, and works for
/// screen readers) that changes route without reloading the page.
#[function_component(Link)]
pub fn link(props: &LinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |event: MouseEvent| {
            let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
            if modified || event.button() != 0 {
                return;
            }
            if let Some(navigator) = &navigator {
                event.prevent_default();
                navigator.push(&to);
            }
        })
    };
    html! { <a href={props.to.path()} class={props.classes.clone()} {onclick}>{ props.children.clone() }</a> }
}

#[derive(Debug, PartialEq, Properties)]
pub struct RedirectProps {
    pub to: Route,
}

/// Goes to `to` at once, replacing the current history entry.
#[function_component(Redirect)]
pub fn redirect(props: &RedirectProps) -> Html {
    let navigator = use_navigator();
    use_effect_with(props.to.clone(), move |to| {
        if let Some(navigator) = navigator {
            navigator.replace(to);
        }
    });
    Html::default()
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn every_route_reads_back_from_its_own_path() {
        let routes = [
            Route::Home,
            Route::Login,
            Route::NewVisit,
            Route::Users,
            Route::Placement { id: "abc".into() },
            Route::NewVisitFor { placement: "abc".into() },
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.path()), route);
        }
        assert_eq!(Route::parse("/praksis/"), Route::NotFound);
        assert_eq!(Route::parse("/praksis/a/b"), Route::NotFound);
        assert_eq!(Route::parse("/finnes-ikke"), Route::NotFound);
        assert_eq!(Route::parse("/logg-inn/"), Route::Login);
    }
}
