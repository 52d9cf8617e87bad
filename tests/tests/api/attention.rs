//! The office's attention list: which placements are on it and why, and
//! its filters.

use innom_shared::api::{AttentionReason as R, AttentionRow};
use innom_shared::document;
use innom_shared::records::{FollowUp, Review, ReviewState, Status};
use innom_shared::sync::DeviceSync;
use innom_shared::values::{Date, DocId, Timestamp};
use innom_tests::fixtures::{participant, placement, visit, workplace};
use innom_tests::{TestApp, spawn_app};

const PASSWORD: &str = "correct horse battery";
const DAY_MS: i64 = 24 * 3600 * 1000;

fn id(n: u128) -> DocId {
    DocId(uuid::Uuid::from_u128(n))
}

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
    phone.insert_local(id(WORKPLACE), document::create(&workplace(id(WORKPLACE))).expect("doc"));
    for (n, name, end) in [
        (A, "Amina Ali", "2099-01-01".to_owned()),
        (B, "Bashir Noor", today_plus(5)),
        (C, "Chen Li", "2099-01-01".to_owned()),
    ] {
        let mut person = participant(id(n));
        person.display_name = name.into();
        phone.insert_local(id(n), document::create(&person).expect("doc"));
        let plan = placement(id(n + 1), id(n), id(WORKPLACE), &end);
        phone.insert_local(id(n + 1), document::create(&plan).expect("doc"));
    }
    let mut red = visit(id(A + 2));
    red.workplace = id(WORKPLACE);
    red.placements = vec![id(A + 1)];
    red.at = Timestamp(now() - 2 * DAY_MS);
    red.status = Status::Red;
    red.follow_ups =
        vec![FollowUp { id: "f".into(), text: "Ringe".into(), due: Date::parse("2020-01-01"), done: false }];
    phone.insert_local(id(A + 2), document::create(&red).expect("doc"));
    app.sync_device(&kari, &mut phone).await;
    assert!(!phone.has_unconfirmed());

    let mut seen = visit(id(C + 2));
    seen.created_by = "sofie".into();
    seen.workplace = id(WORKPLACE);
    seen.placements = vec![id(C + 1)];
    seen.at = Timestamp(now() - 3 * DAY_MS);
    seen.review = Review { state: ReviewState::Reviewed, reviewer: Some("sofie".into()), comment: String::new() };
    let mut desk = DeviceSync::default();
    desk.insert_local(id(C + 2), document::create(&seen).expect("doc"));
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
async fn the_filters_narrow_the_list() {
    let (app, sofie) = setup().await;
    let names = |rows: Vec<(String, Vec<R>)>| rows.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
    assert_eq!(names(list(&app, &sofie, "?status=red").await), ["Amina Ali"]);
    assert_eq!(names(list(&app, &sofie, "?q=BASHIR").await), ["Bashir Noor"]);
    assert_eq!(names(list(&app, &sofie, "?q=fjordhotell").await).len(), 2, "by the workplace's name");
    assert_eq!(names(list(&app, &sofie, "?q=ingen+slik").await).len(), 0);
    assert_eq!(names(list(&app, &sofie, "?advisor=kari&industry=hotel&phase=2").await).len(), 2);
    assert_eq!(names(list(&app, &sofie, "?advisor=ola").await).len(), 0);
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
