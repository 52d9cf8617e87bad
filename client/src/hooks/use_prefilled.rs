//! Uncontrolled form fields that start filled in.
//!
//! Yew treats `value=` as controlled: on every re-render it puts the given
//! value back if the field's differs, so a field read through a `NodeRef`
//! would lose what was typed as soon as anything else on the form changed
//! (ticking a status after typing the summary). This hook fills the field
//! once, when it first appears, and leaves it to the person after that.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A node ref for an input or textarea that starts with `initial`. The
/// field is filled the first time it is on the page, which may be a later
/// render than the first (a form shown once the phone's records are read).
#[hook]
pub fn use_prefilled(initial: String) -> NodeRef {
    let node = use_node_ref();
    let filled = use_mut_ref(|| false);
    {
        let node = node.clone();
        use_effect(move || {
            let done = *filled.borrow();
            if let (false, Some(field)) = (done, node.get()) {
                // `value` is set by name, so this fits a textarea too.
                field.unchecked_ref::<HtmlInputElement>().set_value(&initial);
                *filled.borrow_mut() = true;
            }
        });
    }
    node
}
