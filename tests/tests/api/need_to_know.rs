//! Need to know: the server's view `document_teams` says of every record
//! exactly what the pure rule `innom_shared::access::teams::audience` says,
//! over random worlds of teams, an advisor's memberships, participants
//! handed over between teams, placements, visits across teams (and about
//! no placement) and mentor feedback.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use innom_server::store::documents::id_bytes_of;
use innom_server::store::teams;
use innom_server::sync;
use innom_shared::access::teams::{Audience, TeamFacts, TeamId, audience};
use innom_shared::access::{Actor, Scope};
use innom_shared::fixtures::{feedback, participant, placement, visit, workplace};
use innom_shared::records::Visit;
use innom_shared::sync::AnyRecord;
use innom_shared::sync::server::{Author, Pusher};
use innom_shared::values::DocId;
use innom_tests::{PASSWORD, TestApp, edited, spawn_app};
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

/// Stores the world (record ids numbered from `case`), checks the view
/// against the rule for every record in it, and that kari's phone pulls
/// exactly the records the rule says are for her teams.
async fn check(app: &TestApp, kari: &Kari, case: u128, world: World) -> Result<(), TestCaseError> {
    let id = |n: u128| DocId(uuid::Uuid::from_u128((case << 16) | n));
    let mut team_ids = Vec::new();
    for t in 0..world.teams {
        team_ids.push(teams::add(&app.db, &format!("case {case} team {t}")).await.expect("team").id);
    }
    let kari_teams: Vec<i64> = world.kari_teams.iter().map(|t| team_ids[*t]).collect();
    teams::set_user_teams(&app.db, kari.id, &kari_teams, false).await.expect("kari's teams");

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
    let push = |records: &[(DocId, AnyRecord)]| {
        let pushed = records
            .iter()
            .map(|(doc_id, record)| {
                let mut doc = record.create_document().expect("a document");
                (*doc_id, doc.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()).collect())
            })
            .collect();
        sync::push(&app.hub, pushed, Author::SYSTEM, Pusher::new(Actor::System, Scope::All))
    };
    // The workplace and participants first: handovers need them stored.
    let people = 1 + world.participants.len();
    for outcome in push(&records[..people]).await.expect("push") {
        prop_assert!(outcome.is_ok(), "{outcome:?}");
    }

    let mut facts = Facts {
        participant_team: HashMap::new(),
        placement_participant: HashMap::new(),
        kari: kari_teams.iter().copied().collect(),
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
    app.hub.reload_teams().await.expect("the server reads the handovers");
    // Kari's phone takes its new scope (a bootstrap), then the rest of
    // the world arrives and the phone pulls it as changes.
    let mut phone = innom_shared::sync::DeviceSync { cursor: kari.cursor.get(), ..Default::default() };
    app.sync_device(&kari.token, &mut phone).await;
    let mut phone = innom_shared::sync::DeviceSync { cursor: phone.cursor, ..Default::default() };
    for outcome in push(&records[people..]).await.expect("push") {
        prop_assert!(outcome.is_ok(), "{outcome:?}");
    }
    let reply = app.sync_device(&kari.token, &mut phone).await;
    prop_assert!(!reply.snapshots, "a change pull");
    kari.cursor.set(phone.cursor);
    let pulled: BTreeSet<DocId> = phone.docs.keys().copied().collect();
    let expected: BTreeSet<DocId> = records[people..]
        .iter()
        .filter(|(doc_id, record)| audience(*doc_id, record, &facts).reaches(&facts.kari))
        .map(|(doc_id, _)| *doc_id)
        .collect();
    prop_assert_eq!(pulled, expected, "what kari's phone pulled");

    let keys: Vec<Vec<u8>> = records.iter().map(|(doc_id, _)| id_bytes_of(*doc_id)).collect();
    let mut conn = app.db.acquire().await.expect("a connection");
    let stored = teams::audiences(&mut conn, &keys).await.expect("audiences");
    for (doc_id, record) in &records {
        let expected = match audience(*doc_id, record, &facts) {
            Audience::Everyone => None,
            Audience::Teams(teams) => Some(teams),
        };
        prop_assert_eq!(&stored[&id_bytes_of(*doc_id)], &expected, "{:?} {}", record.kind(), doc_id);
    }
    Ok(())
}

/// The advisor of the random worlds: her account, a session, and her
/// phone's cursor after the last world.
struct Kari {
    id: i64,
    token: String,
    cursor: std::cell::Cell<u64>,
}

#[test]
fn the_servers_view_and_pulls_of_who_needs_to_know_are_the_pure_rule() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (app, kari) = runtime.block_on(async {
        let app = spawn_app().await;
        app.add_user("kari", innom_shared::api::Role::Advisor, PASSWORD).await;
        let id = sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE username = 'kari'")
            .fetch_one(&app.db)
            .await
            .expect("kari");
        let token = app.token("kari", PASSWORD).await;
        (app, Kari { id, token, cursor: std::cell::Cell::new(0) })
    });
    let case = std::cell::Cell::new(0u128);
    let mut runner = TestRunner::new(Config { cases: 500, failure_persistence: None, ..Config::default() });
    runner
        .run(&worlds(), |world| {
            case.set(case.get() + 1);
            runtime.block_on(check(&app, &kari, case.get(), world))
        })
        .expect("the view agrees with the rule");
}

/// Two teams: `kari` in Alle (team A) with Amina, `siri` in Øst (team B)
/// with Yonas; each has a placement at the shared workplace and a visit
/// about it, and one visit (the office's) is about both placements.
struct TwoTeams {
    app: TestApp,
    staff: String,
    kari: String,
    siri: String,
    east: i64,
    /// Kari's cursor after her own push, before siri's.
    kari_cursor: u64,
}

const CANARY: &str = "KANARIFUGL-ØST";

mod ids {
    pub const WORKPLACE: u128 = 1;
    pub const AMINA: u128 = 10;
    pub const AMINA_PLACEMENT: u128 = 11;
    pub const AMINA_VISIT: u128 = 12;
    pub const YONAS: u128 = 20;
    pub const YONAS_PLACEMENT: u128 = 21;
    pub const YONAS_VISIT: u128 = 22;
    pub const BOTH_VISIT: u128 = 30;
}

fn rid(n: u128) -> DocId {
    innom_tests::id(n)
}

async fn two_teams() -> TwoTeams {
    use innom_shared::records::{Participant, Placement};
    use innom_tests::AddRecord;
    let app = spawn_app().await;
    app.add_user("kari", innom_shared::api::Role::Advisor, PASSWORD).await;
    app.add_user("siri", innom_shared::api::Role::Advisor, PASSWORD).await;
    app.add_admin("ola", PASSWORD).await;
    let east = teams::add(&app.db, "Øst").await.expect("team").id;
    let siri_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'siri'").fetch_one(&app.db).await.expect("siri");
    teams::set_user_teams(&app.db, siri_id, &[east], false).await.expect("siri in Øst");
    let (kari, siri, staff) =
        (app.token("kari", PASSWORD).await, app.token("siri", PASSWORD).await, app.token("ola", PASSWORD).await);

    let mut karis = innom_shared::sync::DeviceSync::default();
    karis.add_record(rid(ids::WORKPLACE), &workplace(rid(ids::WORKPLACE)));
    karis.add_record(rid(ids::AMINA), &participant(rid(ids::AMINA)));
    karis.add_record(
        rid(ids::AMINA_PLACEMENT),
        &placement(rid(ids::AMINA_PLACEMENT), rid(ids::AMINA), rid(ids::WORKPLACE), "2030-06-30"),
    );
    karis.add_record(
        rid(ids::AMINA_VISIT),
        &Visit { placements: vec![rid(ids::AMINA_PLACEMENT)], ..visit(rid(ids::AMINA_VISIT)) },
    );
    app.sync_device(&kari, &mut karis).await;
    let kari_cursor = karis.cursor;

    let mut siris = innom_shared::sync::DeviceSync::default();
    let yonas = Participant {
        created_by: "siri".into(),
        display_name: format!("Yonas {CANARY}"),
        advisor: "siri".into(),
        ..participant(rid(ids::YONAS))
    };
    siris.add_record(rid(ids::YONAS), &yonas);
    let at = Placement {
        created_by: "siri".into(),
        advisor: "siri".into(),
        ..placement(rid(ids::YONAS_PLACEMENT), rid(ids::YONAS), rid(ids::WORKPLACE), "2030-06-30")
    };
    siris.add_record(rid(ids::YONAS_PLACEMENT), &at);
    let mut about_yonas = Visit {
        placements: vec![rid(ids::YONAS_PLACEMENT)],
        created_by: "siri".into(),
        ..visit(rid(ids::YONAS_VISIT))
    };
    about_yonas.summary = format!("Yonas trives. {CANARY}").into();
    siris.add_record(rid(ids::YONAS_VISIT), &about_yonas);
    app.sync_device(&siri, &mut siris).await;
    assert!(!siris.has_unconfirmed(), "siri's records are stored");
    // The office, who see both teams, record a visit about both.
    let mut office = innom_shared::sync::DeviceSync::default();
    let both = Visit {
        placements: vec![rid(ids::AMINA_PLACEMENT), rid(ids::YONAS_PLACEMENT)],
        created_by: "ola".into(),
        ..visit(rid(ids::BOTH_VISIT))
    };
    office.add_record(rid(ids::BOTH_VISIT), &both);
    app.sync_device(&staff, &mut office).await;
    assert!(!office.has_unconfirmed(), "the office's visit is stored");
    TwoTeams { app, staff, kari, siri, east, kari_cursor }
}

/// A new device of the session `token`, synced.
async fn synced(app: &TestApp, token: &str) -> innom_shared::sync::DeviceSync {
    let mut device = innom_shared::sync::DeviceSync::default();
    app.sync_device(token, &mut device).await;
    device
}

/// The ids a device holds, and whether any of its records names the canary.
fn held(device: &mut innom_shared::sync::DeviceSync) -> (BTreeSet<u128>, bool) {
    let ids = device.docs.keys().map(|id| id.0.as_u128()).collect();
    let canary = device.docs.values_mut().any(|local| {
        let record = AnyRecord::read(local.doc.document()).expect("a record");
        format!("{record:?}").contains(CANARY)
    });
    (ids, canary)
}

#[tokio::test]
async fn an_advisor_is_sent_only_the_records_of_her_teams_participants() {
    let world = two_teams().await;
    let app = &world.app;
    use ids::*;
    // A new phone (bootstrap) and kari's phone that synced before siri
    // pushed (pull from an early cursor).
    let mut fresh = synced(app, &world.kari).await;
    let (ids, canary) = held(&mut fresh);
    assert_eq!(ids, BTreeSet::from([WORKPLACE, AMINA, AMINA_PLACEMENT, AMINA_VISIT, BOTH_VISIT]));
    assert!(!canary, "nothing of Øst's participant reaches kari");
    let mut early = innom_shared::sync::DeviceSync { cursor: world.kari_cursor, ..Default::default() };
    app.sync_device(&world.kari, &mut early).await;
    assert_eq!(held(&mut early).0, BTreeSet::from([BOTH_VISIT]), "of siri's pushes, only the visit about Amina too");
    // A pull from every position of the log, snapshots asked for or not.
    for cursor in 1..=fresh.cursor {
        for snapshots in [false, true] {
            let mut phone = innom_shared::sync::DeviceSync { cursor, ..Default::default() };
            let request = innom_shared::sync::wire::SyncRequest { snapshots, ..phone.request() };
            let reply = app.sync(&world.kari, &request).await;
            phone.receive(&reply).expect("applied");
            let (ids, canary) = held(&mut phone);
            assert!(!canary && !ids.iter().any(|id| [YONAS, YONAS_PLACEMENT, YONAS_VISIT].contains(id)), "{cursor}");
        }
    }
    // The event stream carries log positions, never records.
    let events = app.get("/api/events", Some(&world.kari)).await;
    let mut stream = futures_util::StreamExt::boxed(events.bytes_stream());
    let first = futures_util::StreamExt::next(&mut stream).await.expect("an event").expect("bytes");
    let first = String::from_utf8_lossy(&first);
    assert!(first.contains("event: feed") && !first.contains(CANARY), "{first}");
    // Siri gets her own and the visit about both; staff get everything.
    let mut siris = synced(app, &world.siri).await;
    assert_eq!(held(&mut siris).0, BTreeSet::from([WORKPLACE, YONAS, YONAS_PLACEMENT, YONAS_VISIT, BOTH_VISIT]));
    let mut office = synced(app, &world.staff).await;
    assert_eq!(held(&mut office).0.len(), 8);
}

#[tokio::test]
async fn a_handover_takes_the_records_off_the_old_teams_phones_and_onto_the_new() {
    let world = two_teams().await;
    let app = &world.app;
    use ids::*;
    let mut karis = synced(app, &world.kari).await;
    let mut siris = synced(app, &world.siri).await;

    // Offline, kari edits her visit about Amina; then the office hands
    // Amina over to Øst with siri responsible.
    let local = karis.doc_mut(rid(AMINA_VISIT)).expect("the visit");
    let mut edited: Visit = innom_shared::document::read(local.document()).expect("a visit");
    edited.summary = "Skrevet før overføringen.".into();
    innom_shared::document::write(local, &edited).expect("edit");
    // …and records a new visit about her, also offline.
    {
        use innom_tests::AddRecord;
        let offline = Visit { placements: vec![rid(AMINA_PLACEMENT)], ..visit(rid(60)) };
        karis.add_record(rid(60), &offline);
    }
    let path = format!("/api/participants/{}/team", rid(AMINA));
    let moved = app
        .http
        .put(app.url(&path))
        .bearer_auth(&world.staff)
        .json(&serde_json::json!({ "team": world.east, "advisor": "siri" }))
        .send()
        .await
        .expect("request");
    assert_eq!(moved.status(), 204);

    let reply = app.sync_device(&world.kari, &mut karis).await;
    assert!(reply.snapshots, "kari's phone was sent its records anew");
    assert_eq!(held(&mut karis).0, BTreeSet::from([WORKPLACE]), "Amina's records left kari's phone");
    // The edit made before the handover reached the server.
    let mut office = synced(app, &world.staff).await;
    let stored: Visit =
        innom_shared::document::read(office.doc_mut(rid(AMINA_VISIT)).expect("visit").document()).expect("a visit");
    assert_eq!(stored.summary.as_str(), "Skrevet før overføringen.");
    assert!(office.docs.contains_key(&rid(60)), "the new visit recorded before the handover reached the server");
    // Once told, her phone may no longer name Amina's placement anew.
    let later = Visit { placements: vec![rid(AMINA_PLACEMENT)], ..visit(rid(61)) };
    let later = innom_shared::document::create(&later).expect("doc");
    assert_eq!(
        app.push_document(&world.kari, rid(61), later).await,
        Some(innom_shared::sync::wire::RejectionCode::Forbidden)
    );

    app.sync_device(&world.siri, &mut siris).await;
    let (ids, _) = held(&mut siris);
    assert!(ids.is_superset(&BTreeSet::from([AMINA, AMINA_PLACEMENT, AMINA_VISIT, BOTH_VISIT])), "{ids:?}");
    for id in [AMINA, AMINA_PLACEMENT, AMINA_VISIT] {
        assert_eq!(siris.state(rid(id)), Some(innom_shared::sync::RecordSyncState::Confirmed));
    }

    // Unknown participant, team or advisor; not staff.
    let put = |path: String, token: &str, body: serde_json::Value| {
        app.http.put(app.url(&path)).bearer_auth(token.to_owned()).json(&body).send()
    };
    let unknown = put(format!("/api/participants/{}/team", rid(999)), &world.staff, serde_json::json!({ "team": 1 }));
    assert_eq!(unknown.await.expect("request").status(), 404);
    let no_team = put(path.clone(), &world.staff, serde_json::json!({ "team": 999 }));
    assert_eq!(no_team.await.expect("request").status(), 422);
    let outsider = put(path.clone(), &world.staff, serde_json::json!({ "team": 1, "advisor": "siri" }));
    assert_eq!(outsider.await.expect("request").status(), 422, "siri is not in Alle");
    let advisor = put(path, &world.kari, serde_json::json!({ "team": 1 }));
    assert_eq!(advisor.await.expect("request").status(), 403);
}

#[tokio::test]
async fn joining_a_team_brings_its_records_and_leaving_it_takes_them_away() {
    let world = two_teams().await;
    let app = &world.app;
    use ids::*;
    let mut karis = synced(app, &world.kari).await;
    let kari_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'kari'").fetch_one(&app.db).await.expect("kari");

    teams::set_user_teams(&app.db, kari_id, &[1, world.east], false).await.expect("both teams");
    app.sync_device(&world.kari, &mut karis).await;
    let (ids, canary) = held(&mut karis);
    assert_eq!(ids.len(), 8);
    assert!(canary);

    teams::set_user_teams(&app.db, kari_id, &[1], false).await.expect("Alle only");
    app.sync_device(&world.kari, &mut karis).await;
    assert_eq!(held(&mut karis).0, BTreeSet::from([WORKPLACE, AMINA, AMINA_PLACEMENT, AMINA_VISIT, BOTH_VISIT]));
}

#[tokio::test]
async fn a_visit_that_comes_to_concern_another_team_reaches_its_phones_whole() {
    let world = two_teams().await;
    let app = &world.app;
    use ids::*;
    let mut office = synced(app, &world.staff).await;
    let mut siris = synced(app, &world.siri).await;
    assert!(!siris.docs.contains_key(&rid(AMINA_VISIT)));

    // The office, who see both teams, say kari's visit about Amina was
    // also about Yonas' placement.
    let local = office.doc_mut(rid(AMINA_VISIT)).expect("the visit");
    let mut edited: Visit = innom_shared::document::read(local.document()).expect("a visit");
    edited.placements.push(rid(YONAS_PLACEMENT));
    innom_shared::document::write(local, &edited).expect("edit");
    app.sync_device(&world.staff, &mut office).await;
    assert!(!office.has_unconfirmed());

    app.sync_device(&world.siri, &mut siris).await;
    let local = siris.doc_mut(rid(AMINA_VISIT)).expect("siri's phone has the visit");
    let visit: Visit = innom_shared::document::read(local.document()).expect("its whole history");
    assert_eq!(visit.placements.len(), 2);
    assert_eq!(siris.state(rid(AMINA_VISIT)), Some(innom_shared::sync::RecordSyncState::Confirmed));
}

#[tokio::test]
async fn mentor_links_are_made_only_for_placements_in_the_callers_teams() {
    let world = two_teams().await;
    let app = &world.app;
    use ids::*;
    let make = |token: &str, placement: u128| {
        let path = format!("/api/placements/{}/mentor-links", rid(placement));
        app.http.post(app.url(&path)).bearer_auth(token.to_owned()).json(&serde_json::json!({})).send()
    };
    assert_eq!(make(&world.kari, YONAS_PLACEMENT).await.expect("request").status(), 403, "Yonas is in Øst");
    assert_eq!(make(&world.kari, AMINA_PLACEMENT).await.expect("request").status(), 201);
    assert_eq!(make(&world.siri, YONAS_PLACEMENT).await.expect("request").status(), 201);
    assert_eq!(make(&world.staff, YONAS_PLACEMENT).await.expect("request").status(), 201, "staff see every team");
    let listed = app.get(&format!("/api/placements/{}/mentor-links", rid(YONAS_PLACEMENT)), Some(&world.kari)).await;
    assert_eq!(listed.status(), 403);
    let revoke = format!("/api/placements/{}/mentor-links/1/revoke", rid(YONAS_PLACEMENT));
    let revoked = app.http.post(app.url(&revoke)).bearer_auth(&world.kari).json(&serde_json::json!({})).send().await;
    assert_eq!(revoked.expect("request").status(), 403);
}

/// A crafted client of kari's (team Alle) pushes records about Yonas, who
/// is in Øst: each is refused as `forbidden` and nothing of it is stored.
#[tokio::test]
async fn an_advisor_cannot_write_records_about_another_teams_participants() {
    use innom_shared::records::{Participant, Placement};
    use innom_shared::sync::wire::RejectionCode::Forbidden;
    use innom_tests::AddRecord;
    let world = two_teams().await;
    let app = &world.app;
    use ids::*;
    let before = app.dump().await;
    let mut office = synced(app, &world.staff).await;
    let mut fork = |id: u128| office.doc_mut(rid(id)).expect("stored").fork();
    let renamed = edited(fork(YONAS), |p: &mut Participant| p.display_name = "Omdøpt".into());
    let rewritten = edited(fork(YONAS_VISIT), |v: &mut Visit| v.summary = "Overskrevet".into());
    let moved = edited(fork(AMINA_PLACEMENT), |p: &mut Placement| p.participant = rid(YONAS));
    let named = edited(fork(AMINA_VISIT), |v: &mut Visit| v.placements.push(rid(YONAS_PLACEMENT)));
    let new_placement = AnyRecord::from(placement(rid(40), rid(YONAS), rid(WORKPLACE), "2030-06-30"));
    let new_visit = Visit { placements: vec![rid(YONAS_PLACEMENT)], ..visit(rid(41)) };
    let attempts = [
        ("Yonas renamed", rid(YONAS), renamed),
        ("siri's visit about Yonas rewritten", rid(YONAS_VISIT), rewritten),
        ("Amina's placement moved to Yonas", rid(AMINA_PLACEMENT), moved),
        ("kari's visit made to name Yonas' placement", rid(AMINA_VISIT), named),
        ("a new placement for Yonas", rid(40), new_placement.create_document().expect("doc")),
        ("a new visit about Yonas' placement", rid(41), AnyRecord::from(new_visit).create_document().expect("doc")),
    ];
    for (what, id, doc) in attempts {
        assert_eq!(app.push_document(&world.kari, id, doc).await, Some(Forbidden), "{what}");
    }
    assert_eq!(app.dump().await, before, "nothing of it was stored");

    // In her own team she may: a new participant (put in her team) with
    // a placement, pushed together.
    let mut karis = synced(app, &world.kari).await;
    let mine = Participant { display_name: "Ny deltaker".into(), ..participant(rid(50)) };
    karis.add_record(rid(50), &mine);
    karis.add_record(rid(51), &placement(rid(51), rid(50), rid(WORKPLACE), "2030-06-30"));
    app.sync_device(&world.kari, &mut karis).await;
    assert!(!karis.has_unconfirmed(), "both stored");
    let (team, _) = teams::of_participant(&app.db, &id_bytes_of(rid(50))).await.expect("read").expect("placed");
    assert_eq!(team, 1, "in kari's team");
}

/// Staff limited to kari's team (Alle) read the office's views and
/// exports: nothing of Øst's participant is in any answer, which the same
/// request by staff who see every team does show.
#[tokio::test]
async fn the_office_views_and_exports_of_staff_limited_to_teams_hold_only_their_teams() {
    let world = two_teams().await;
    let app = &world.app;
    use ids::*;
    app.add_user("lise", innom_shared::api::Role::Staff, PASSWORD).await;
    let lise_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'lise'").fetch_one(&app.db).await.expect("lise");
    teams::set_user_teams(&app.db, lise_id, &[1], false).await.expect("lise in Alle only");
    let lise = app.token("lise", PASSWORD).await;

    let mut paths: Vec<String> =
        ["/api/attention?quiet_days=1", "/api/attention.csv?quiet_days=1"].into_iter().map(str::to_owned).collect();
    paths.push(format!("/api/workplaces/{}/overview", rid(WORKPLACE)));
    paths.extend(["participants", "placements", "visits"].map(|kind| format!("/api/exports/{kind}.csv")));
    for path in &paths {
        let everyone = app.get(path, Some(&world.staff)).await.text().await.expect("body");
        assert!(everyone.contains(CANARY), "{path}: staff who see every team see Yonas");
        let limited = app.get(path, Some(&lise)).await;
        assert_eq!(limited.status(), 200, "{path}");
        let limited = limited.text().await.expect("body");
        assert!(!limited.contains(CANARY), "{path}: {limited}");
        assert!(limited.contains("Amina") || !everyone.contains("Amina"), "{path}: lise sees Amina");
    }
    // The visits counted are Amina's and the one about both.
    let figures = |token: String| async move {
        let body: serde_json::Value =
            app.get("/api/figures?from=2025-01-01&to=2027-12-31", Some(&token)).await.json().await.expect("json");
        body["visits"].as_i64().expect("visits")
    };
    assert_eq!((figures(world.staff.clone()).await, figures(lise.clone()).await), (3, 2));
    // One placement or participant of Øst's: refused.
    for path in [
        format!("/api/placements/{}/timeline", rid(YONAS_PLACEMENT)),
        format!("/api/participants/{}/export", rid(YONAS)),
    ] {
        assert_eq!(app.get(&path, Some(&lise)).await.status(), 403, "{path}");
        assert_eq!(app.get(&path, Some(&world.staff)).await.status(), 200, "{path}");
    }
    let own = format!("/api/placements/{}/timeline", rid(AMINA_PLACEMENT));
    assert_eq!(app.get(&own, Some(&lise)).await.status(), 200);
    // With the admin right, she still cannot erase Øst's participant.
    sqlx::query("UPDATE users SET is_admin = 1 WHERE username = 'lise'").execute(&app.db).await.expect("admin");
    let erase = format!("/api/participants/{}/erase", rid(YONAS));
    let refused = app.http.post(app.url(&erase)).bearer_auth(&lise).json(&serde_json::json!({})).send().await;
    assert_eq!(refused.expect("request").status(), 403);
    assert!(teams::of_participant(&app.db, &id_bytes_of(rid(YONAS))).await.expect("read").is_some(), "Yonas is kept");
}

#[tokio::test]
async fn what_the_server_holds_of_a_record_is_shown_only_to_those_it_is_for() {
    let world = two_teams().await;
    let app = &world.app;
    use ids::*;
    let status = |id: u128, token: String| async move {
        app.get(&format!("/api/documents/{}", rid(id)), Some(&token)).await.status()
    };
    assert_eq!(status(YONAS_VISIT, world.kari.clone()).await, 403, "Yonas is in Øst, kari is not");
    assert_eq!(status(YONAS_VISIT, world.siri.clone()).await, 200);
    assert_eq!(status(YONAS_VISIT, world.staff.clone()).await, 200, "the office sees every team");
    assert_eq!(status(AMINA_VISIT, world.kari.clone()).await, 200);
    assert_eq!(status(WORKPLACE, world.siri.clone()).await, 200, "workplaces are shared");
    assert_eq!(status(0x99, world.kari.clone()).await, 404);
}

/// The demo data has two teams: kari's phone holds her team's four
/// participants, siri's her one, and both hold the shared workplaces.
#[tokio::test]
async fn the_demo_shows_two_teams_each_advisor_with_her_own_participants() {
    let app = spawn_app().await;
    let passwords = innom_server::passwords::Passwords::new().expect("hasher");
    innom_server::demo::load(&app.db, &passwords, &app.hub).await.expect("demo");
    let mut names = BTreeMap::new();
    for advisor in ["kari", "siri"] {
        let token = app.token(advisor, innom_server::demo::DEMO_PASSWORD).await;
        let mut phone = synced(&app, &token).await;
        let mut held: Vec<String> = Vec::new();
        for local in phone.docs.values_mut() {
            match AnyRecord::read(local.doc.document()).expect("a record") {
                AnyRecord::Participant(p) => held.push(p.display_name),
                AnyRecord::Workplace(w) => held.push(w.name),
                _ => {}
            }
        }
        held.sort();
        names.insert(advisor, held);
    }
    let workplaces = ["Fjordhotellet", "Kiwi Sentrum", "Solsikken barnehage"];
    let with = |people: &[&str]| {
        let mut all: Vec<String> = people.iter().chain(&workplaces).map(|s| (*s).to_owned()).collect();
        all.sort();
        all
    };
    assert_eq!(names["kari"], with(&["Amina Hassan", "Olena Kovalenko", "Samir Haddad", "Yonas Tesfaye"]));
    assert_eq!(names["siri"], with(&["Daniel Haile"]));
}
