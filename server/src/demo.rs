//! Demo data, so a newcomer can log in at once.

use innom_shared::api::Role;

use crate::passwords::Passwords;
use crate::store::{Db, users};

/// The password of every demo account. Demo data is for trying Innom out;
/// a real installation starts without `--demo` and adds users itself.
pub const DEMO_PASSWORD: &str = "stikkinnom";

/// The demo accounts: (username, display name, role).
pub const DEMO_USERS: &[(&str, &str, Role)] =
    &[("kari", "Kari Nordmann", Role::Advisor), ("ola", "Ola Hansen", Role::Staff)];

/// Adds the demo accounts that do not exist yet; returns the ones added.
pub async fn load(db: &Db, passwords: &Passwords) -> anyhow::Result<Vec<&'static str>> {
    let mut added = Vec::new();
    for (username, display_name, role) in DEMO_USERS {
        if users::find_by_username(db, username).await?.is_some() {
            continue;
        }
        let hash = passwords.hash(DEMO_PASSWORD.into()).await?;
        users::add(db, username, display_name, *role, &hash).await?;
        added.push(*username);
    }
    Ok(added)
}

/// Loads the demo data only on a database with no accounts at all.
pub async fn load_if_empty(db: &Db, passwords: &Passwords) -> anyhow::Result<bool> {
    if users::count(db).await? > 0 {
        return Ok(false);
    }
    load(db, passwords).await?;
    Ok(true)
}

/// The demo logins, for printing.
pub fn describe_logins() -> String {
    let mut text = String::from("Demo logins (for trying Innom out; do not use in production):\n");
    for (username, display_name, role) in DEMO_USERS {
        text.push_str(&format!("  {username:<6} / {DEMO_PASSWORD}   {display_name} ({role})\n"));
    }
    text
}
