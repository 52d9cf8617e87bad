//! Demo data, so a newcomer can log in at once.

mod records;

use innom_shared::api::Role;
use innom_shared::values::Timestamp;

use crate::passwords::Passwords;
use innom_shared::access::{Actor, Scope};
use innom_shared::sync::server::Pusher;

use crate::store::documents::{self, Author};
use crate::store::teams::{self, Membership, TeamError};
use crate::store::{Db, now_millis, users};
use crate::sync::{self, SyncHub};

/// The password of every demo account. Demo data is for trying Innom out;
/// a real installation starts without `--demo` and adds users itself.
pub const DEMO_PASSWORD: &str = "stikkinnom";

/// The demo accounts: (username, display name, role, admin right, team).
/// Kari and Ola are in the first team (`Alle`, which every database
/// starts with; Ola sees every team); Siri works in a second team, so the
/// demo shows what need to know means: each advisor's phone holds her own
/// team's participants only.
pub const DEMO_USERS: &[(&str, &str, Role, bool, Option<&str>)] = &[
    ("kari", "Kari Nordmann", Role::Advisor, false, None),
    ("ola", "Ola Hansen", Role::Staff, true, None),
    ("siri", "Siri Dahl", Role::Advisor, false, Some(SECOND_TEAM)),
];

/// The demo's second team.
pub const SECOND_TEAM: &str = "Jobbsjansen";

/// What [`load`] added.
#[derive(Debug)]
pub struct Loaded {
    /// The usernames of the accounts added.
    pub users: Vec<&'static str>,
    /// How many records were stored.
    pub records: usize,
}

/// Adds the demo accounts and records that do not exist yet.
pub async fn load(db: &Db, passwords: &Passwords, hub: &SyncHub) -> anyhow::Result<Loaded> {
    let users = load_users(db, passwords).await?;
    let records = load_records(db, hub).await?;
    Ok(Loaded { users, records })
}

/// Stores the demo records as Automerge documents through the same merge
/// as a phone's push; records already present are left alone. Siri's
/// records are pushed as hers, so her participant joins her team.
async fn load_records(db: &Db, hub: &SyncHub) -> anyhow::Result<usize> {
    let now = Timestamp(now_millis());
    let mut count = 0;
    for (records, maker) in [(records::all(now), None), (records::second_team(now), Some("siri"))] {
        let mut pushed = Vec::new();
        for record in records {
            if documents::load(db, record.id()).await?.is_some() {
                continue;
            }
            let mut doc = record.create_document()?;
            doc.set_actor(automerge::ActorId::from(b"innom-demo".as_slice()));
            let changes = doc.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()).collect();
            pushed.push((record.id(), changes));
        }
        let (author, actor) = match maker {
            Some(username) => {
                let user = users::find_by_username(db, username).await?;
                let author = Author { user_id: user.map(|u| u.id), ..Author::SYSTEM };
                (author, Actor::Advisor { username: username.to_owned() })
            }
            None => (Author::SYSTEM, Actor::System),
        };
        let ids: Vec<_> = pushed.iter().map(|(id, _)| *id).collect();
        count += pushed.len();
        let outcomes = sync::push(hub, pushed, author, Pusher::new(actor, Scope::All)).await?;
        for (id, outcome) in ids.iter().zip(&outcomes) {
            if let Err(rejection) = outcome {
                anyhow::bail!("demo record {id} was rejected: {rejection}");
            }
        }
    }
    Ok(count)
}

async fn load_users(db: &Db, passwords: &Passwords) -> anyhow::Result<Vec<&'static str>> {
    let mut added = Vec::new();
    for (username, display_name, role, is_admin, team) in DEMO_USERS {
        if users::find_by_username(db, username).await?.is_some() {
            continue;
        }
        let membership = match team {
            Some(name) => {
                let id = match teams::add(db, name).await {
                    Ok(team) => team.id,
                    Err(TeamError::Exists(_)) => teams::ids_by_name(db, &[(*name).to_owned()]).await?[0],
                    Err(e) => return Err(e.into()),
                };
                Membership::Teams(vec![id])
            }
            None => Membership::Default,
        };
        let hash = passwords.hash(DEMO_PASSWORD.into()).await?;
        users::add(db, username, display_name, (*role, *is_admin), &hash, &membership).await?;
        added.push(*username);
    }
    Ok(added)
}

/// Loads the demo data only on a database with no accounts at all.
pub async fn load_if_empty(db: &Db, passwords: &Passwords, hub: &SyncHub) -> anyhow::Result<bool> {
    if users::count(db).await? > 0 {
        return Ok(false);
    }
    load(db, passwords, hub).await?;
    Ok(true)
}

/// The demo logins, for printing.
pub fn describe_logins() -> String {
    let mut text = String::from("Demo logins (for trying Innom out; do not use in production):\n");
    for (username, display_name, role, is_admin, _) in DEMO_USERS {
        let admin = if *is_admin { ", admin" } else { "" };
        text.push_str(&format!("  {username:<6} / {DEMO_PASSWORD}   {display_name} ({role}{admin})\n"));
    }
    text
}
