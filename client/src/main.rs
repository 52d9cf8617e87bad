//! The phone app's entry point (Trunk builds it from `index.html`).

fn main() {
    innom_client::start_phone();
}
