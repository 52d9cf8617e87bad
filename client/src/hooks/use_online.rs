//! Whether the browser believes it has a network, updated on the
//! `online` / `offline` events.

use gloo::events::EventListener;
use yew::prelude::*;

#[hook]
pub fn use_online() -> bool {
    let online = use_state(|| gloo::utils::window().navigator().on_line());
    {
        let online = online.clone();
        use_effect_with((), move |()| {
            let window = gloo::utils::window();
            let (up, down) = (online.clone(), online);
            let listeners = [
                EventListener::new(&window, "online", move |_| up.set(true)),
                EventListener::new(&window, "offline", move |_| down.set(false)),
            ];
            // Dropping the listeners removes them.
            move || drop(listeners)
        });
    }
    *online
}
