//! The office app's entry point (Trunk builds it from `office.html`).

fn main() {
    innom_client::start_office();
}
