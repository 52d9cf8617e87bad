//! Mentor links and mentor sessions against the real server: a mentor sees
//! only what feedback needs and can touch nothing but their own feedback
//! on their own placement, whatever their phone sends.

use std::collections::BTreeSet;

use automerge::AutoCommit;
use innom_shared::access::Actor;
use innom_shared::access::teams::Audience;
use innom_shared::api::{MentorLink, MentorLinkCreated, MentorLinkState, MentorSessionCreated, Role};
use innom_shared::document;
use innom_shared::records::{MentorFeedback, Placement, ReviewState, Status, Visit};
use innom_shared::sync::wire::RejectionCode;
use innom_shared::sync::{AnyRecord, DeviceSync};
use innom_shared::values::DocId;
use innom_tests::fixtures::{feedback, placement};
use innom_tests::{AddRecord, PASSWORD, TestApp, edited, id, spawn_app};

use innom_tests::world::{PARTICIPANT, PLACEMENT, VISIT, WORKPLACE};

const OTHER_PLACEMENT: u128 = 11;

/// A server with an advisor whose phone has stored a participant, a
/// workplace, two placements and a visit.
struct World {
    app: TestApp,
    advisor: String,
    phone: DeviceSync,
}

async fn world() -> World {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let advisor = app.token("kari", PASSWORD).await;
    let mut phone = innom_tests::usual_world();
    phone
        .add_record(id(OTHER_PLACEMENT), &placement(id(OTHER_PLACEMENT), id(PARTICIPANT), id(WORKPLACE), "2030-06-30"));
    let reply = app.sync_device(&advisor, &mut phone).await;
    assert!(reply.results.iter().all(|r| r.rejection.is_none()));
    World { app, advisor, phone }
}

impl World {
    async fn make_link(&self, placement: u128) -> MentorLinkCreated {
        let response = reqwest::Client::new()
            .post(self.app.url(&format!("/api/placements/{}/mentor-links", id(placement))))
            .bearer_auth(&self.advisor)
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 201);
        response.json().await.expect("body")
    }

    async fn open(&self, secret: &str) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.app.url("/api/mentor/session"))
            .json(&serde_json::json!({ "secret": secret }))
            .send()
            .await
            .expect("request")
    }

    /// A mentor session from a new link on `placement`.
    async fn mentor(&self, placement: u128) -> (MentorLinkCreated, MentorSessionCreated) {
        let link = self.make_link(placement).await;
        let response = self.open(&link.secret).await;
        assert_eq!(response.status(), 200);
        (link, response.json().await.expect("body"))
    }

    async fn links(&self, placement: u128) -> Vec<MentorLink> {
        let path = format!("/api/placements/{}/mentor-links", id(placement));
        self.app.get(&path, Some(&self.advisor)).await.json().await.expect("body")
    }

    /// A copy of a document on the advisor's phone, as an attacker might hold it.
    fn fork(&mut self, n: u128) -> AutoCommit {
        self.phone.doc_mut(id(n)).expect("doc").fork()
    }
}

#[tokio::test]
async fn a_link_opens_a_session_that_sees_only_what_feedback_needs() {
    let world = world().await;
    let (link, session) = world.mentor(PLACEMENT).await;

    assert!(link.secret.len() >= 22, "at least 128 random bits");
    let view = session.view;
    assert_eq!(view.participant_first_name, "Amina");
    assert_eq!(view.workplace_name, "Fjordhotellet");
    assert_eq!((view.phase, view.tasks.len(), view.tasks[0].id.as_str()), (2, 1, "t2"));
    assert_eq!(view.identity, format!("mentor:{}", link.link.id));
    assert_eq!(view.advisor_name, "kari display", "the mentor is told who their feedback reaches");
    // By default a link works until 30 days after the planned end (2030-06-30).
    let planned_end_ms = 1_909_008_000_000; // 2030-06-30T00:00:00Z
    assert_eq!(view.expires_at, planned_end_ms + 31 * 24 * 3_600_000);

    let again = world.app.get("/api/mentor/placement", Some(&session.token)).await;
    let text = again.text().await.expect("body");
    assert!(text.contains("Amina") && !text.contains("Hassan") && !text.contains("41234567"), "{text}");
    assert_eq!(world.links(PLACEMENT).await[0].state, MentorLinkState::Active);
}

#[tokio::test]
async fn a_mentors_feedback_is_stored_corrected_and_reaches_the_advisor() {
    let mut world = world().await;
    let (_, session) = world.mentor(PLACEMENT).await;
    let mut mentor_phone = DeviceSync::default();
    let feedback_id = id(30);
    let written = feedback(feedback_id, id(PLACEMENT), &session.view.identity);
    mentor_phone.add_record(feedback_id, &written);
    let reply = world.app.sync_device(&session.token, &mut mentor_phone).await;
    assert!(reply.results[0].rejection.is_none(), "{:?}", reply.results);

    let doc = mentor_phone.doc_mut(feedback_id).expect("doc");
    let mut corrected: MentorFeedback = document::read(doc).expect("valid");
    corrected.contact_me = true;
    document::write(doc, &corrected).expect("write");
    let reply = world.app.sync_device(&session.token, &mut mentor_phone).await;
    assert!(reply.results[0].rejection.is_none(), "{:?}", reply.results);

    world.app.sync_device(&world.advisor, &mut world.phone).await;
    let on_advisor_phone: MentorFeedback = document::read(&world.phone.docs[&feedback_id].doc).expect("valid");
    assert!(on_advisor_phone.contact_me);
}

#[tokio::test]
async fn every_crafted_attack_from_a_mentor_session_is_refused_and_nothing_is_stored() {
    let mut world = world().await;
    let (_, me) = world.mentor(PLACEMENT).await;
    let (_, other) = world.mentor(PLACEMENT).await;
    let mine = id(30);
    let theirs = id(31);
    let mine_doc = document::create(&feedback(mine, id(PLACEMENT), &me.view.identity)).expect("create");
    let theirs_doc = document::create(&feedback(theirs, id(PLACEMENT), &other.view.identity)).expect("create");
    assert_eq!(world.app.push_document(&me.token, mine, mine_doc.clone()).await, None);
    assert_eq!(world.app.push_document(&other.token, theirs, theirs_doc.clone()).await, None);
    let before = world.app.dump().await;

    let attacks: Vec<(&str, DocId, AutoCommit)> = vec![
        ("edit a visit", id(VISIT), edited(world.fork(VISIT), |v: &mut Visit| v.status = Status::Red)),
        ("edit a placement", id(PLACEMENT), edited(world.fork(PLACEMENT), |p: &mut Placement| p.phase = 3)),
        (
            "feedback on another placement",
            id(32),
            document::create(&feedback(id(32), id(OTHER_PLACEMENT), &me.view.identity)).expect("create"),
        ),
        (
            "edit another mentor's feedback",
            theirs,
            edited(theirs_doc.clone(), |f: &mut MentorFeedback| f.going_well = "Endret".into()),
        ),
        (
            "new feedback in another mentor's name",
            id(33),
            document::create(&feedback(id(33), id(PLACEMENT), &other.view.identity)).expect("create"),
        ),
        (
            "set review fields",
            mine,
            edited(mine_doc.clone(), |f: &mut MentorFeedback| {
                f.review.state = ReviewState::Reviewed;
                f.review.reviewer = Some("kari".into());
            }),
        ),
        (
            "move feedback to another placement",
            mine,
            edited(mine_doc.clone(), |f: &mut MentorFeedback| f.placement = id(OTHER_PLACEMENT)),
        ),
    ];
    for (attack, doc_id, doc) in attacks {
        let code = world.app.push_document(&me.token, doc_id, doc).await;
        assert_eq!(code, Some(RejectionCode::Forbidden), "{attack}");
    }
    assert_eq!(world.app.dump().await, before, "nothing of any attack is stored");
}

#[tokio::test]
async fn a_mentor_pulls_only_their_own_feedback() {
    let mut world = world().await;
    let (_, me) = world.mentor(PLACEMENT).await;
    let (_, other) = world.mentor(PLACEMENT).await;
    let mine = id(30);
    let theirs = id(31);
    let mine_doc = document::create(&feedback(mine, id(PLACEMENT), &me.view.identity)).expect("create");
    world.app.push_document(&me.token, mine, mine_doc).await;
    let theirs_doc = document::create(&feedback(theirs, id(PLACEMENT), &other.view.identity)).expect("create");
    world.app.push_document(&other.token, theirs, theirs_doc.clone()).await;

    let mut fresh = DeviceSync::default();
    world.app.sync_device(&me.token, &mut fresh).await;
    assert_eq!(fresh.docs.keys().copied().collect::<Vec<_>>(), vec![mine], "bootstrap");

    // Later changes by others stay out of the mentor's pulls too.
    let visit = edited(world.fork(VISIT), |v: &mut Visit| v.status = Status::Yellow);
    assert_eq!(world.app.push_document(&world.advisor, id(VISIT), visit).await, None);
    let theirs_edit = edited(theirs_doc, |f: &mut MentorFeedback| f.contact_me = true);
    assert_eq!(world.app.push_document(&other.token, theirs, theirs_edit).await, None);
    let reply = world.app.sync_device(&me.token, &mut fresh).await;
    assert!(reply.pull.is_empty(), "{:?}", reply.pull.len());
    assert_eq!(fresh.docs.len(), 1);
}

#[tokio::test]
async fn a_mentor_token_opens_no_account_route() {
    let world = world().await;
    let (_, session) = world.mentor(PLACEMENT).await;
    for path in [
        "/api/me".to_owned(),
        format!("/api/placements/{}/mentor-links", id(PLACEMENT)),
        format!("/api/documents/{}", id(VISIT)),
    ] {
        assert_eq!(world.app.get(&path, Some(&session.token)).await.status(), 401, "{path}");
    }
    // And an account's token is no mentor session.
    assert_eq!(world.app.get("/api/mentor/placement", Some(&world.advisor)).await.status(), 401);
}

#[tokio::test]
async fn revoked_and_expired_links_stop_working_at_once() {
    let world = world().await;
    let (revoked, session) = world.mentor(PLACEMENT).await;
    let response = reqwest::Client::new()
        .post(world.app.url(&format!("/api/placements/{}/mentor-links/{}/revoke", id(PLACEMENT), revoked.link.id)))
        .bearer_auth(&world.advisor)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 204);

    let reopened = world.open(&revoked.secret).await;
    assert_eq!(reopened.status(), 410);
    let body: serde_json::Value = reopened.json().await.expect("json");
    assert_eq!(body["error"], "link_not_working");
    let mut device = DeviceSync::default();
    let sync = world.app.sync_raw(&session.token, device.request().encode(), None).await;
    assert_eq!(sync.status(), 401, "the session made from a revoked link ends too");

    let expiring = world.make_link(PLACEMENT).await;
    sqlx::query("UPDATE mentor_links SET expires_at = 1 WHERE id = ?")
        .bind(expiring.link.id)
        .execute(&world.app.db)
        .await
        .expect("expire");
    assert_eq!(world.open(&expiring.secret).await.status(), 410);
    assert_eq!(world.open("not a secret anyone was given").await.status(), 410);

    let states: Vec<MentorLinkState> = world.links(PLACEMENT).await.iter().map(|l| l.state).collect();
    assert_eq!(states, vec![MentorLinkState::Expired, MentorLinkState::Revoked]);
}

#[tokio::test]
async fn a_link_cannot_be_made_for_a_record_that_is_no_placement() {
    let world = world().await;
    let response = reqwest::Client::new()
        .post(world.app.url(&format!("/api/placements/{}/mentor-links", id(VISIT))))
        .bearer_auth(&world.advisor)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn the_office_asks_about_mentor_feedback_and_the_advisor_answers_on_her_phone() {
    let mut world = world().await;
    world.app.add_user("sofie", Role::Staff, PASSWORD).await;
    let sofie = world.app.token("sofie", PASSWORD).await;
    let (_, session) = world.mentor(PLACEMENT).await;
    let mut mentor_phone = DeviceSync::default();
    let feedback_id = id(31);
    let written = feedback(feedback_id, id(PLACEMENT), &session.view.identity);
    mentor_phone.add_record(feedback_id, &written);
    world.app.sync_device(&session.token, &mut mentor_phone).await;
    assert!(!mentor_phone.has_unconfirmed());

    // A question needs words; with them, it is stored with the asker's name.
    let path = format!("/api/documents/{feedback_id}/review");
    let no_words = serde_json::json!({ "state": "needs_more_info", "comment": " " });
    let empty = world.app.post_json(&path, &sofie, &no_words).await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.expect("body").contains("comment"));
    let asked = serde_json::json!({ "state": "needs_more_info", "comment": "Hva mener fadderen med «for sent»?" });
    assert_eq!(world.app.post_json(&path, &sofie, &asked).await.status(), 204);

    // Kari's phone has the question, who asked and what.
    world.app.sync_device(&world.advisor, &mut world.phone).await;
    let seen: MentorFeedback = document::read(world.phone.doc_mut(feedback_id).expect("pulled")).expect("feedback");
    assert_eq!(seen.review.state, ReviewState::NeedsMoreInfo);
    assert_eq!(seen.review.reviewer_name.as_deref(), Some("sofie display"));

    // Touching the mentor's words is refused; the answer alone is accepted.
    let meddled = edited::<MentorFeedback>(world.fork(31), |f| {
        f.going_well = "Alt er bra".into();
        f.review.state = ReviewState::Unreviewed;
        f.review.answer = Some("Svar".into());
    });
    assert_eq!(world.app.push_document(&world.advisor, feedback_id, meddled).await, Some(RejectionCode::Forbidden));
    let mut answered = seen.clone();
    answered.review.state = ReviewState::Unreviewed;
    answered.review.answer = Some("Han kom ti minutter for sent to dager; bussen er endret.".into());
    document::write(world.phone.doc_mut(feedback_id).expect("held"), &answered).expect("write");
    let reply = world.app.sync_device(&world.advisor, &mut world.phone).await;
    assert!(reply.results.iter().all(|r| r.rejection.is_none()), "{:?}", reply.results);

    // The office sees the answer beside its question.
    let timeline: serde_json::Value = world
        .app
        .get(&format!("/api/placements/{}/timeline", id(PLACEMENT)), Some(&sofie))
        .await
        .json()
        .await
        .expect("json");
    let entry =
        timeline["entries"].as_array().expect("entries").iter().find(|e| e["record"] == feedback_id.to_string());
    let review = &entry.expect("the feedback")["review"];
    assert_eq!(review["state"], "unreviewed");
    assert_eq!(review["answer"], "Han kom ti minutter for sent to dager; bussen er endret.");
}

/// The pull queries' SQL filter and `Scope::admits` are one rule: what a
/// mentor's devices are sent, by change-log pulls as feedback is written
/// and by a bootstrap afterwards, is exactly what the rule admits among
/// every stored record.
#[tokio::test]
async fn what_a_mentor_is_sent_is_exactly_what_their_scope_admits() {
    let world = world().await;
    // Three mentors, two on one placement; each writes on one device and
    // reads on two more (sessions from the same link), one that pulled
    // before the feedback was written and one that starts afterwards.
    let placements = [PLACEMENT, PLACEMENT, OTHER_PLACEMENT];
    let mut mentors = Vec::new();
    for placement in placements {
        let link = world.make_link(placement).await;
        let mut sessions = Vec::new();
        for _ in 0..3 {
            let session: MentorSessionCreated = world.open(&link.secret).await.json().await.expect("session");
            sessions.push(session);
        }
        let mut early = DeviceSync::default();
        world.app.sync_device(&sessions[1].token, &mut early).await;
        mentors.push((placement, sessions, early));
    }
    for (n, (placement, sessions, _)) in mentors.iter().enumerate() {
        let feedback_id = id(0x40 + n as u128);
        let mut phone = DeviceSync::default();
        phone.add_record(feedback_id, &feedback(feedback_id, id(*placement), &sessions[0].view.identity));
        world.app.sync_device(&sessions[0].token, &mut phone).await;
    }

    let stored: Vec<(Vec<u8>,)> =
        sqlx::query_as("SELECT id FROM documents").fetch_all(&world.app.db).await.expect("ids");
    let mut records = Vec::new();
    for (bytes,) in stored {
        let doc_id = DocId(uuid::Uuid::from_slice(&bytes).expect("uuid"));
        let doc = innom_server::store::documents::load(&world.app.db, doc_id).await.expect("load").expect("stored");
        records.push(AnyRecord::read(&doc).expect("valid"));
    }
    assert_eq!(records.len(), 8, "five records of the advisor's and three pieces of feedback");

    for (placement, sessions, mut early) in mentors {
        let actor = Actor::Mentor { placement: id(placement), identity: sessions[0].view.identity.clone() };
        let scope = actor.scope();
        let admitted: BTreeSet<DocId> = records
            .iter()
            .filter(|r| scope.admits(r.kind(), r.feedback_placement(), r.created_by(), &Audience::Everyone))
            .map(AnyRecord::id)
            .collect();
        assert_eq!(admitted.len(), 1, "each mentor's own feedback");
        world.app.sync_device(&sessions[1].token, &mut early).await;
        let mut late = DeviceSync::default();
        world.app.sync_device(&sessions[2].token, &mut late).await;
        for device in [early, late] {
            assert_eq!(device.docs.keys().copied().collect::<BTreeSet<_>>(), admitted);
        }
    }
}
