//! Need to know: the server's view `document_teams` says of every record
//! exactly what the pure rule `innom_shared::access::teams::audience` says,
//! over random worlds of teams, an advisor's memberships, participants
//! handed over between teams, placements, visits across teams (and about
//! no placement) and mentor feedback.

use std::collections::{BTreeSet, HashMap};

use innom_server::store::documents::id_bytes_of;
use innom_server::store::teams;
use innom_server::sync;
use innom_shared::access::Actor;
use innom_shared::access::teams::{Audience, TeamFacts, TeamId, audience};
use innom_shared::fixtures::{feedback, participant, placement, visit, workplace};
use innom_shared::records::Visit;
use innom_shared::sync::AnyRecord;
use innom_shared::sync::server::Author;
use innom_shared::values::DocId;
use innom_tests::{PASSWORD, TestApp, spawn_app};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// One random world, by indices into its own lists.
#[derive(Debug, Clone)]
struct World {
    teams: usize,
    /// Which of the teams `kari` (who makes every record) is in.
    kari_teams: Vec<usize>,
    /// Each participant's team after its handovers.
    participants: Vec<Vec<usize>>,
    /// Each placement's participant.
    placements: Vec<usize>,
    /// Each visit's placements (none: a visit at a workplace only).
    visits: Vec<Vec<usize>>,
    /// Each mentor feedback's placement.
    feedback: Vec<usize>,
}

fn worlds() -> impl Strategy<Value = World> {
    (1usize..=3).prop_flat_map(|teams| {
        let placements = proptest::collection::vec(0usize..4, 0..=5);
        (
            Just(teams),
            proptest::collection::vec(0..teams, 0..=teams),
            // Each participant is handed over one to three times.
            proptest::collection::vec(proptest::collection::vec(0..teams, 1..=3), 1..=4),
            placements,
            proptest::collection::vec(
                proptest::collection::btree_set(0usize..6, 0..=2).prop_map(|s| s.into_iter().collect()),
                0..=5,
            ),
            proptest::collection::vec(0usize..6, 0..=3),
        )
            .prop_map(|(teams, kari_teams, participants, placements, visits, feedback)| World {
                teams,
                kari_teams,
                participants,
                placements,
                visits,
                feedback,
            })
    })
}

/// The world's facts, as the pure rule asks for them.
struct Facts {
    participant_team: HashMap<DocId, TeamId>,
    placement_participant: HashMap<DocId, DocId>,
    kari: BTreeSet<TeamId>,
}

impl TeamFacts for Facts {
    fn team_of_participant(&self, participant: DocId) -> Option<TeamId> {
        self.participant_team.get(&participant).copied()
    }
    fn participant_of_placement(&self, placement: DocId) -> Option<DocId> {
        self.placement_participant.get(&placement).copied()
    }
    fn teams_of_user(&self, username: &str) -> BTreeSet<TeamId> {
        if username == "kari" { self.kari.clone() } else { BTreeSet::new() }
    }
}

/// Stores the world (record ids numbered from `base`) and checks the view
/// against the rule for every record in it.
async fn check(app: &TestApp, kari_id: i64, case: u128, world: World) -> Result<(), TestCaseError> {
    let id = |n: u128| DocId(uuid::Uuid::from_u128((case << 16) | n));
    let mut team_ids = Vec::new();
    for t in 0..world.teams {
        team_ids.push(teams::add(&app.db, &format!("case {case} team {t}")).await.expect("team").id);
    }
    let kari: Vec<i64> = world.kari_teams.iter().map(|t| team_ids[*t]).collect();
    teams::set_user_teams(&app.db, kari_id, &kari, false).await.expect("kari's teams");

    let workplace_id = id(0xff);
    let mut records: Vec<(DocId, AnyRecord)> = vec![(workplace_id, workplace(workplace_id).into())];
    records.extend(
        (0..world.participants.len()).map(|p| (id(0x100 + p as u128), participant(id(0x100 + p as u128)).into())),
    );
    // A placement may name a participant the world does not have (a
    // record from a phone that has not sent the participant yet).
    for (n, p) in world.placements.iter().enumerate() {
        let record = placement(id(0x200 + n as u128), id(0x100 + *p as u128), workplace_id, "2030-01-01");
        records.push((id(0x200 + n as u128), record.into()));
    }
    for (n, about) in world.visits.iter().enumerate() {
        let placements = about.iter().map(|p| id(0x200 + *p as u128)).collect();
        records.push((id(0x300 + n as u128), Visit { placements, ..visit(id(0x300 + n as u128)) }.into()));
    }
    for (n, p) in world.feedback.iter().enumerate() {
        records
            .push((id(0x400 + n as u128), feedback(id(0x400 + n as u128), id(0x200 + *p as u128), "mentor-1").into()));
    }
    let pushed = records
        .iter()
        .map(|(doc_id, record)| {
            let mut doc = record.create_document().expect("a document");
            (*doc_id, doc.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()).collect())
        })
        .collect();
    for outcome in sync::push(&app.hub, pushed, Author::SYSTEM, Actor::System).await.expect("push") {
        prop_assert!(outcome.is_ok(), "{outcome:?}");
    }

    let mut facts = Facts {
        participant_team: HashMap::new(),
        placement_participant: HashMap::new(),
        kari: kari.into_iter().collect(),
    };
    for (p, handovers) in world.participants.iter().enumerate() {
        let participant = id(0x100 + p as u128);
        for team in handovers {
            teams::hand_over(&app.db, &id_bytes_of(participant), team_ids[*team], None).await.expect("handover");
        }
        facts.participant_team.insert(participant, team_ids[*handovers.last().expect("one")]);
    }
    for (n, p) in world.placements.iter().enumerate() {
        facts.placement_participant.insert(id(0x200 + n as u128), id(0x100 + *p as u128));
    }

    let keys: Vec<Vec<u8>> = records.iter().map(|(doc_id, _)| id_bytes_of(*doc_id)).collect();
    let stored = teams::audiences(&app.db, &keys).await.expect("audiences");
    for (doc_id, record) in &records {
        let expected = match audience(*doc_id, record, &facts) {
            Audience::Everyone => None,
            Audience::Teams(teams) => Some(teams),
        };
        prop_assert_eq!(&stored[&id_bytes_of(*doc_id)], &expected, "{:?} {}", record.kind(), doc_id);
    }
    Ok(())
}

#[test]
fn the_servers_view_of_who_needs_to_know_is_the_pure_rule() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let app = runtime.block_on(async {
        let app = spawn_app().await;
        app.add_user("kari", innom_shared::api::Role::Advisor, PASSWORD).await;
        app
    });
    let kari_id = runtime.block_on(async {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE username = 'kari'")
            .fetch_one(&app.db)
            .await
            .expect("kari")
    });
    let case = std::cell::Cell::new(0u128);
    let mut runner = TestRunner::new(Config { cases: 500, failure_persistence: None, ..Config::default() });
    runner
        .run(&worlds(), |world| {
            case.set(case.get() + 1);
            runtime.block_on(check(&app, kari_id, case.get(), world))
        })
        .expect("the view agrees with the rule");
}
