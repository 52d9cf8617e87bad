//! The office's attention list: which placements are on it and why, and
//! its filters.

use innom_shared::api::{AttentionReason as R, AttentionRow};
use innom_shared::document;
use innom_shared::records::{FollowUp, Review, ReviewState, Status};
use innom_shared::sync::DeviceSync;
use innom_shared::values::{Date, Timestamp};
use innom_tests::fixtures::{participant, placement, visit, workplace};
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app};

const DAY_MS: i64 = 24 * 3600 * 1000;

const WORKPLACE: u128 = 0xa0;
// Red visit with an overdue follow-up; ending soon with no visit; visited,
// green and reviewed.
const A: u128 = 0xa1;
const B: u128 = 0xb1;
const C: u128 = 0xc1;

fn now() -> i64 {
    i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).expect("now")
}

fn today_plus(days: i64) -> String {
    Date(time::OffsetDateTime::now_utc().date() + time::Duration::days(days)).to_iso()
}

/// Kari's three placements at one hotel, and Sofie's reviewed visit to C.
async fn setup() -> (TestApp, String) {
    let app = spawn_app().await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;

    let mut phone = DeviceSync::default();
    phone.add_record(id(WORKPLACE), &workplace(id(WORKPLACE)));
    for (n, name, end) in [
        (A, "Amina Ali", "2099-01-01".to_owned()),
        (B, "Bashir Noor", today_plus(5)),
        (C, "Chen Li", "2099-01-01".to_owned()),
    ] {
        let mut person = participant(id(n));
        person.display_name = name.into();
        phone.add_record(id(n), &person);
        let plan = placement(id(n + 1), id(n), id(WORKPLACE), &end);
        phone.add_record(id(n + 1), &plan);
    }
    let mut red = visit(id(A + 2));
    red.workplace = id(WORKPLACE);
    red.placements = vec![id(A + 1)];
    red.at = Timestamp(now() - 2 * DAY_MS);
    red.status = Status::Red;
    red.follow_ups =
        vec![FollowUp { id: "f".into(), text: "Ringe".into(), due: Date::parse("2020-01-01"), done: false }];
    phone.add_record(id(A + 2), &red);
    app.sync_device(&kari, &mut phone).await;
    assert!(!phone.has_unconfirmed());

    let mut seen = visit(id(C + 2));
    seen.created_by = "sofie".into();
    seen.workplace = id(WORKPLACE);
    seen.placements = vec![id(C + 1)];
    seen.at = Timestamp(now() - 3 * DAY_MS);
    seen.review = Review {
        state: ReviewState::Reviewed,
        reviewer: Some("sofie".into()),
        reviewer_name: None,
        comment: String::new(),
        answer: None,
    };
    let mut desk = DeviceSync::default();
    desk.add_record(id(C + 2), &seen);
    app.sync_device(&sofie, &mut desk).await;
    assert!(!desk.has_unconfirmed(), "{:?}", desk.state(id(C + 2)));
    (app, sofie)
}

async fn list(app: &TestApp, token: &str, query: &str) -> Vec<(String, Vec<R>)> {
    let response = app.get(&format!("/api/attention{query}"), Some(token)).await;
    assert_eq!(response.status(), 200, "{query}");
    let rows: Vec<AttentionRow> = response.json().await.expect("json");
    rows.into_iter().map(|r| (r.participant, r.reasons)).collect()
}

#[tokio::test]
async fn each_placement_says_why_it_needs_attention_and_a_quiet_one_is_left_out() {
    let (app, sofie) = setup().await;
    assert_eq!(
        list(&app, &sofie, "").await,
        [
            ("Amina Ali".to_owned(), vec![R::RedStatus, R::OverdueFollowUp, R::Unreviewed]),
            ("Bashir Noor".to_owned(), vec![R::NoRecentVisit, R::EndingSoon]),
        ]
    );
    // With two days as the limit, Chen's visit three days ago is too long ago.
    let quiet = list(&app, &sofie, "?quiet_days=2").await;
    assert!(quiet.contains(&("Chen Li".to_owned(), vec![R::NoRecentVisit])), "{quiet:?}");
}

#[tokio::test]
async fn each_row_names_the_advisor_as_well_as_their_username() {
    let (app, sofie) = setup().await;
    let response = app.get("/api/attention", Some(&sofie)).await;
    let rows: Vec<AttentionRow> = response.json().await.expect("json");
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!((row.advisor.as_str(), row.advisor_name.as_str()), ("kari", "kari display"));
    }
}

#[tokio::test]
async fn the_filters_narrow_the_list() {
    let (app, sofie) = setup().await;
    let names = |rows: Vec<(String, Vec<R>)>| rows.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
    assert_eq!(names(list(&app, &sofie, "?status=red").await), ["Amina Ali"]);
    assert_eq!(names(list(&app, &sofie, "?q=BASHIR").await), ["Bashir Noor"]);
    assert_eq!(names(list(&app, &sofie, "?q=fjordhotell").await).len(), 2, "by the workplace's name");
    assert_eq!(names(list(&app, &sofie, "?q=ingen+slik").await).len(), 0);
    assert_eq!(names(list(&app, &sofie, "?advisor=kari&industry=hotel&phase=2").await).len(), 2);
    assert_eq!(names(list(&app, &sofie, "?advisor=ola").await).len(), 0);
    // Staff know advisors by name: a part of it, in any case, finds theirs.
    assert_eq!(names(list(&app, &sofie, "?advisor=KARI+DISP").await).len(), 2);
    assert_eq!(names(list(&app, &sofie, "?advisor=%25").await).len(), 0, "% is a character, not a wildcard");
    assert_eq!(names(list(&app, &sofie, "?phase=3").await).len(), 0);
    assert_eq!(names(list(&app, &sofie, &format!("?workplace={}", id(WORKPLACE))).await).len(), 2);
    assert_eq!(names(list(&app, &sofie, "?to=2026-08-31").await).len(), 0, "the placements start 1 September");
    for bad in ["?from=yesterday", "?phase=two", "?quiet_days=0"] {
        let response = app.get(&format!("/api/attention{bad}"), Some(&sofie)).await;
        assert_eq!(response.status(), 400, "{bad}");
        let body: serde_json::Value = response.json().await.expect("a JSON error");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    }
    assert_eq!(app.get("/api/attention", None).await.status(), 401);
}

#[tokio::test]
async fn the_filtered_list_downloads_as_csv_with_only_its_rows_for_staff_only() {
    let (app, sofie) = setup().await;
    let response = app.get("/api/attention.csv?q=amina", Some(&sofie)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment;"));
    let body = response.bytes().await.expect("body");
    let text = std::str::from_utf8(body.strip_prefix(b"\xEF\xBB\xBF").expect("a byte-order mark")).expect("UTF-8");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    assert_eq!(&reader.headers().expect("header")[1], "Deltaker");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], id(A + 1).to_string());
    assert_eq!(&rows[0][1], "Amina Ali");
    assert_eq!(&rows[0][4], "kari display", "the advisor by name");
    assert_eq!(&rows[0][11], "rød status, forfalt oppfølging, ikke gjennomgått");

    let kari = app.token("kari", PASSWORD).await;
    assert_eq!(app.get("/api/attention.csv", Some(&kari)).await.status(), 403);
    // The list is the office's, as JSON too: an advisor's phone has its own.
    assert_eq!(app.get("/api/attention", Some(&kari)).await.status(), 403);
    assert_eq!(app.get("/api/attention.csv?phase=x", Some(&sofie)).await.status(), 400);
}

#[tokio::test]
async fn a_placement_timeline_has_its_visits_with_follow_ups_and_reviews_and_its_phase_changes_in_order() {
    let (app, sofie) = setup().await;
    let kari = app.token("kari", PASSWORD).await;

    // Kari moves Amina's placement to phase 3 and ticks a task.
    let mut phone = DeviceSync::default();
    app.sync_device(&kari, &mut phone).await;
    let doc = phone.doc_mut(id(A + 1)).expect("the placement");
    let mut plan: innom_shared::records::Placement = document::read(doc).expect("a placement");
    plan.phase = 3;
    plan.tasks[1].mastered = true;
    plan.first_meeting = innom_shared::records::AgreedMeeting { planned: Date::parse("2026-12-10"), held: true };
    plan.contract_signed = false;
    document::write(doc, &plan).expect("write");
    app.sync_device(&kari, &mut phone).await;

    let path = format!("/api/placements/{}/timeline", id(A + 1));
    assert_eq!(app.get(&path, Some(&kari)).await.status(), 403);
    assert_eq!(app.get(&format!("/api/placements/{}/timeline", id(A + 2)), Some(&sofie)).await.status(), 404);
    let response = app.get(&path, Some(&sofie)).await;
    assert_eq!(response.status(), 200);
    let timeline: innom_shared::api::PlacementTimeline = response.json().await.expect("json");
    assert_eq!(timeline.participant, "Amina Ali");
    assert_eq!(timeline.participant_id, id(A).to_string());
    assert_eq!(timeline.phase, 3);
    use innom_shared::api::MeetingView;
    assert_eq!(timeline.first_meeting, MeetingView { planned: Some("2026-12-10".into()), held: true });
    assert_eq!(timeline.second_meeting, MeetingView { planned: None, held: false });
    assert!(!timeline.contract_signed);
    assert_eq!(timeline.tasks_mastered, i64::try_from(plan.tasks.iter().filter(|t| t.mastered).count()).expect("n"));
    let kinds: Vec<_> = timeline.entries.iter().map(|e| e.kind).collect();
    use innom_shared::api::TimelineKind as K;
    assert_eq!(kinds[0], K::Visit, "the red visit two days ago comes first: {kinds:?}");
    assert!(kinds.contains(&K::PhaseChanged) && kinds.contains(&K::TaskMastered), "{kinds:?}");
    let visit = &timeline.entries[0];
    assert_eq!(visit.record, id(A + 2).to_string());
    assert_eq!(visit.status.as_deref(), Some("red"));
    assert_eq!(visit.follow_ups[0].text, "Ringe");
    assert_eq!(visit.follow_ups[0].due.as_deref(), Some("2020-01-01"));
    assert_eq!(visit.review.as_ref().map(|r| r.state), Some(ReviewState::Unreviewed));
    let phase = timeline.entries.iter().find(|e| e.kind == K::PhaseChanged).expect("phase change");
    assert_eq!((phase.code.as_str(), phase.author.as_deref()), ("3", Some("kari")));
    // Staff see advisors by name.
    assert_eq!(timeline.advisor_name, "kari display");
    assert_eq!(phase.author_name.as_deref(), Some("kari display"));
    assert_eq!(visit.author_name.as_deref(), Some("kari display"));
    let task = timeline.entries.iter().find(|e| e.kind == K::TaskMastered).expect("task");
    assert_eq!(task.text, plan.tasks[1].text);
    assert!(timeline.entries.windows(2).all(|w| w[0].at <= w[1].at), "in time order");

    // Chen's visit was reviewed by Sofie: named, not only by username.
    let path = format!("/api/placements/{}/timeline", id(C + 1));
    let chen: innom_shared::api::PlacementTimeline = app.get(&path, Some(&sofie)).await.json().await.expect("json");
    let review = chen.entries.iter().find_map(|e| e.review.clone()).expect("a reviewed visit");
    assert_eq!((review.reviewer.as_deref(), review.reviewer_name.as_deref()), (Some("sofie"), Some("sofie display")));
}

#[tokio::test]
async fn a_workplace_overview_has_its_contacts_and_notes_and_every_placement_there() {
    let (app, sofie) = setup().await;
    let path = format!("/api/workplaces/{}/overview", id(WORKPLACE));
    let kari = app.token("kari", PASSWORD).await;
    assert_eq!(app.get(&path, Some(&kari)).await.status(), 403);
    assert_eq!(app.get(&format!("/api/workplaces/{}/overview", id(A + 1)), Some(&sofie)).await.status(), 404);
    let response = app.get(&path, Some(&sofie)).await;
    assert_eq!(response.status(), 200);
    let overview: innom_shared::api::WorkplaceOverview = response.json().await.expect("json");
    let expected = workplace(id(WORKPLACE));
    assert_eq!(overview.name, expected.name);
    assert_eq!(overview.org_number, expected.org_number.grouped());
    assert_eq!(overview.industry, expected.industry.as_str());
    assert_eq!(overview.needs, expected.mapping.needs);
    assert_eq!(overview.contacts.len(), expected.contacts.len());
    let mut names: Vec<&str> = overview.placements.iter().map(|p| p.participant.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Amina Ali", "Bashir Noor", "Chen Li"]);
    assert!(overview.placements.iter().all(|p| p.advisor_name == "kari display"), "the advisor by name");
}

#[tokio::test]
async fn the_list_is_cut_to_the_limit_most_urgent_first_and_says_how_many_there_are() {
    let (app, sofie) = setup().await;
    let response = app.get("/api/attention?limit=1", Some(&sofie)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-total-count"], "2");
    let rows: Vec<AttentionRow> = response.json().await.expect("json");
    assert_eq!(rows.iter().map(|r| r.participant.as_str()).collect::<Vec<_>>(), ["Amina Ali"], "three reasons first");
    for bad in ["?limit=0", "?limit=10001", "?limit=x"] {
        assert_eq!(app.get(&format!("/api/attention{bad}"), Some(&sofie)).await.status(), 400, "{bad}");
    }
    // Search ignores case, Norwegian letters included; % and _ are plain text.
    let names = |rows: Vec<(String, Vec<R>)>| rows.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
    assert_eq!(names(list(&app, &sofie, "?q=aMiNa").await), ["Amina Ali"]);
    assert!(names(list(&app, &sofie, "?q=%25").await).is_empty(), "a literal percent sign matches no name");
    assert!(names(list(&app, &sofie, "?q=_").await).is_empty());
}

#[tokio::test]
async fn a_placement_that_started_today_is_not_yet_unvisited_for_14_days() {
    let (app, sofie) = setup().await;
    let kari = app.token("kari", PASSWORD).await;
    let mut phone = DeviceSync::default();
    let mut person = participant(id(0xd1));
    person.display_name = "Dana Sami".into();
    phone.add_record(id(0xd1), &person);
    let mut fresh = placement(id(0xd2), id(0xd1), id(WORKPLACE), "2099-01-01");
    fresh.start = Date::parse(&today_plus(0)).expect("date");
    phone.add_record(id(0xd2), &fresh);
    let mut older = placement(id(0xd3), id(0xd1), id(WORKPLACE), "2099-01-01");
    older.start = Date::parse(&today_plus(-14)).expect("date");
    phone.add_record(id(0xd3), &older);
    app.sync_device(&kari, &mut phone).await;
    assert!(!phone.has_unconfirmed());

    let rows = list(&app, &sofie, "?q=dana").await;
    assert_eq!(rows, [("Dana Sami".to_owned(), vec![R::NoRecentVisit])], "only the one begun 14 days ago is quiet");
}
