//! The mentor's app (Trunk builds it from `mentor.html` into `dist/fadder/`).

fn main() {
    innom_client::start_mentor();
}
