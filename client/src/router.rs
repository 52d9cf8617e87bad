//! A small router for the apps' handful of fixed addresses: the current
//! route in a context, [`LinkTo`], [`RedirectTo`] and [`use_navigator_of`],
//! on the browser's History API. Written here rather than taken from
//! yew-router, whose generic route matching cost ~10 KB gzip of wasm for
//! six routes; every kilobyte is download time on a phone.
//!
//! The pieces are generic over an app's route type ([`Routable`]); each
//! app keeps its own route table (the phone's is `phone::routes`) and
//! names the pieces for it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// An app's set of screens and their addresses.
pub trait Routable: Clone + PartialEq + std::fmt::Debug + 'static {
    /// The route at `path`; the app's "not found" route for anything unknown.
    fn parse(path: &str) -> Self;
    /// The address of this route.
    fn path(&self) -> String;
    /// The route shown when none is known.
    fn not_found() -> Self;
}

/// The current address's route.
fn current<R: Routable>() -> R {
    R::parse(&gloo::utils::window().location().pathname().unwrap_or_default())
}

/// Moves the app to another route; from [`use_navigator`].
#[derive(Debug, Clone, PartialEq)]
pub struct Navigator<R: Routable> {
    go: Callback<(R, bool)>,
}

impl<R: Routable> Navigator<R> {
    /// A new history entry, as a followed link makes.
    pub fn push(&self, route: &R) {
        self.go.emit((route.clone(), false));
    }

    /// A new history entry once the browser has drawn the screen as it is
    /// now: a form's "saved" shows at once, and the heavier next page
    /// follows a frame later instead of holding the confirmation back.
    pub fn push_after_paint(&self, route: &R) {
        let (navigator, next) = (self.clone(), route.clone());
        // A timeout queued from an animation frame runs after that frame's paint.
        let after_paint = wasm_bindgen::closure::Closure::once_into_js(move || {
            wasm_bindgen_futures::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(0).await;
                navigator.push(&next);
            });
        });
        if gloo::utils::window().request_animation_frame(after_paint.unchecked_ref()).is_err() {
            self.push(route);
        }
    }

    /// Replaces the current entry, so "back" skips it (redirects).
    pub fn replace(&self, route: &R) {
        self.go.emit((route.clone(), true));
    }
}

/// The navigator, inside a [`Router`].
#[hook]
pub fn use_navigator_of<R: Routable>() -> Option<Navigator<R>> {
    use_context::<Navigator<R>>()
}

#[derive(Debug, PartialEq, Properties)]
pub struct RouterProps {
    pub children: Html,
}

/// Holds the current route (from the address bar, and from back/forward)
/// and provides it and a [`Navigator`] to everything inside.
#[function_component(RouterOf)]
pub fn router<R: Routable>(props: &RouterProps) -> Html {
    let route = use_state(current::<R>);
    {
        let route = route.clone();
        use_effect_with((), move |()| {
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "popstate", move |_| {
                route.set(current::<R>());
            });
            move || drop(listener)
        });
    }
    {
        // After a move to another screen, focus goes to its heading, so a
        // screen reader announces the new screen instead of staying on a
        // link that is gone. Not on the first screen: the reader starts at
        // the top of the page by itself.
        let first = use_mut_ref(|| true);
        use_effect_with((*route).clone(), move |_| {
            if !first.replace(false) {
                focus_main_heading();
            }
        });
    }
    let navigator = {
        let route = route.clone();
        Navigator {
            go: Callback::from(move |(next, replace): (R, bool)| {
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
        <ContextProvider<Navigator<R>> context={navigator}>
            <ContextProvider<R> context={(*route).clone()}>
                { props.children.clone() }
            </ContextProvider<R>>
        </ContextProvider<Navigator<R>>>
    }
}

/// Focuses the screen's first heading in `<main>` (or `<main>` itself).
fn focus_main_heading() {
    let document = gloo::utils::document();
    let target = document.query_selector("main h1").ok().flatten().or_else(|| document.get_element_by_id("main"));
    if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        // Focusable from script only, not a stop for the Tab key.
        if !target.has_attribute("tabindex") {
            let _ = target.set_attribute("tabindex", "-1");
        }
        // The page's scroll is the router's (top on a move, kept on "back").
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = target.focus_with_options(&options);
    }
}

/// The current route, inside a [`Router`].
#[hook]
pub fn use_route_of<R: Routable>() -> R {
    use_context::<R>().unwrap_or_else(R::not_found)
}

#[derive(Debug, PartialEq, Properties)]
pub struct LinkProps<R: Routable> {
    pub to: R,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub children: Html,
}

/// A real `<a href>` (so it can be opened in a new tab, and works for
/// screen readers) that changes route without reloading the page.
#[function_component(LinkTo)]
pub fn link<R: Routable>(props: &LinkProps<R>) -> Html {
    let navigator = use_navigator_of::<R>();
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
pub struct RedirectProps<R: Routable> {
    pub to: R,
}

/// Goes to `to` at once, replacing the current history entry.
#[function_component(RedirectTo)]
pub fn redirect<R: Routable>(props: &RedirectProps<R>) -> Html {
    let navigator = use_navigator_of::<R>();
    use_effect_with(props.to.clone(), move |to| {
        if let Some(navigator) = navigator {
            navigator.replace(to);
        }
    });
    Html::default()
}
