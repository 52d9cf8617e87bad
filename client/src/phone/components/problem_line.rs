//! The line under a form field that says what it still needs.

use yew::prelude::*;

/// The line with `id` under a field, saying `text` if anything is wrong.
/// The element is always there (hidden when all is well, and then empty,
/// so the field's `aria-describedby` reads nothing): a node appearing
/// mid-form would make Yew build the fields after it anew, and uncontrolled
/// fields would lose what they held.
pub fn problem_line(text: Option<&'static str>, id: &'static str) -> Html {
    html! {
        <p class="field-error" {id} role="alert" hidden={text.is_none()}>{ text.unwrap_or_default() }</p>
    }
}
