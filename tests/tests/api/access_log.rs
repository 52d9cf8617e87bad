//! The access log: who was given which participant's records, by each
//! channel, read by an admin as JSON and CSV; kept for the configured
//! time; an erased participant's rows stay without a name.

use innom_server::access_log::AccessLog;
use innom_shared::api::{AccessLogEntry, Role};
use innom_tests::world::{PARTICIPANT, PLACEMENT, WORKPLACE};
use innom_tests::{PASSWORD, id, spawn_app, usual_world};

/// The log's rows about the usual world's participant, as `(reader, channel)`.
async fn seen(app: &innom_tests::TestApp, admin: &str) -> Vec<AccessLogEntry> {
    let path = format!("/api/admin/access-log?participant={}", id(PARTICIPANT));
    let response = app.get(&path, Some(admin)).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

#[tokio::test]
async fn each_channel_is_logged_once_a_day_and_an_admin_reads_it() {
    let app = spawn_app().await;
    let (kari, _) = app.kari_and_sofie(PASSWORD).await;
    app.add_admin("ola", PASSWORD).await;
    app.add_user("siv", Role::Staff, PASSWORD).await;
    let (ola, siv) = (app.token("ola", PASSWORD).await, app.token("siv", PASSWORD).await);
    let mut phone = usual_world();
    app.sync_device(&kari, &mut phone).await;

    // A new phone of kari's is sent Amina's records (twice: one row).
    for _ in 0..2 {
        let mut fresh = innom_shared::sync::DeviceSync::default();
        app.sync_device(&kari, &mut fresh).await;
    }
    // Siv looks at the placement and the workplace, and exports visits.
    for path in [
        format!("/api/placements/{}/timeline", id(PLACEMENT)),
        format!("/api/workplaces/{}/overview", id(WORKPLACE)),
        "/api/exports/visits.csv".to_owned(),
        format!("/api/participants/{}/export", id(PARTICIPANT)),
    ] {
        assert_eq!(app.get(&path, Some(&siv)).await.status(), 200, "{path}");
    }

    let rows = seen(&app, &ola).await;
    let mut got: Vec<(&str, &str)> = rows.iter().map(|r| (r.reader.as_str(), r.channel.as_str())).collect();
    got.sort();
    assert_eq!(got, [("kari", "sync"), ("siv", "export"), ("siv", "office")]);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert!(rows.iter().all(|r| r.day == today && r.participant == id(PARTICIPANT).to_string()));
    assert_eq!(rows[0].participant_name.as_deref(), Some("Amina Hassan"));
    assert_eq!(rows.iter().find(|r| r.reader == "kari").and_then(|r| r.reader_name.as_deref()), Some("kari display"));

    let csv = app.get("/api/admin/access-log.csv", Some(&ola)).await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.expect("body");
    assert!(csv.starts_with("\u{feff}\"Dag\";\"Første gang\";\"Hvem\""), "{csv}");
    assert!(csv.contains("\"kari\";\"kari display\""), "{csv}");
    assert!(csv.contains("\"Synkronisert til enhet\"") && csv.contains("\"Eksportert\""), "{csv}");

    // Only admins read it; a bad filter is named.
    assert_eq!(app.get("/api/admin/access-log", Some(&siv)).await.status(), 403);
    let bad = app.get("/api/admin/access-log?participant=nobody", Some(&ola)).await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.expect("body").contains("participant"));
}

#[tokio::test]
async fn old_rows_are_removed_and_an_erasure_keeps_the_rows_without_the_name() {
    let app = spawn_app().await;
    let (kari, _) = app.kari_and_sofie(PASSWORD).await;
    app.add_admin("ola", PASSWORD).await;
    let ola = app.token("ola", PASSWORD).await;
    let mut phone = usual_world();
    app.sync_device(&kari, &mut phone).await;
    app.sync_device(&kari, &mut innom_shared::sync::DeviceSync::default()).await;
    let participant = id(PARTICIPANT).0.as_bytes().to_vec();
    for day in ["2020-01-01", "2099-01-01"] {
        sqlx::query(
            "INSERT INTO access_log (day, reader, participant, channel, first_at) VALUES (?, 'ola', ?, 'office', 0)",
        )
        .bind(day)
        .bind(&participant)
        .execute(&app.db)
        .await
        .expect("an old row");
    }
    let removed = AccessLog::new(app.db.clone(), app.hub.clone(), 365).remove_expired().await.expect("trim");
    assert_eq!(removed, 1, "only the row older than 365 days");
    assert_eq!(seen(&app, &ola).await.len(), 2);

    let erase = format!("/api/participants/{}/erase", id(PARTICIPANT));
    let erased = app.http.post(app.url(&erase)).bearer_auth(&ola).json(&serde_json::json!({})).send().await;
    assert_eq!(erased.expect("request").status(), 200);
    let rows = seen(&app, &ola).await;
    assert_eq!(rows.len(), 2, "the rows stay");
    assert!(rows.iter().all(|r| r.participant_name.is_none()), "{rows:?}");
}
