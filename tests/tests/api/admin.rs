//! User administration and lost phones: admins manage accounts and device
//! sessions; disabled, revoked, wiped and idle sessions stop working, and
//! each says so in a way the phone can act on.

use innom_shared::api::{DeviceSession, DeviceSessionState, Me, Role, UserAccount};
use innom_shared::sync::DeviceSync;
use innom_shared::values::DocId;
use innom_tests::fixtures::visit;
use innom_tests::{AddRecord, PASSWORD, TestApp, error_code, id, spawn_app};
use serde_json::json;

async fn app_with_admin() -> (TestApp, String) {
    let app = spawn_app().await;
    app.add_admin("ola", PASSWORD).await;
    let admin = app.token("ola", PASSWORD).await;
    (app, admin)
}

async fn user_id(app: &TestApp, admin: &str, username: &str) -> i64 {
    let users: Vec<UserAccount> = app.get("/api/admin/users", Some(admin)).await.json().await.expect("users");
    users.iter().find(|u| u.username == username).map(|u| u.id).expect("the user is listed")
}

async fn sessions_of(app: &TestApp, admin: &str, id: i64) -> Vec<DeviceSession> {
    app.get(&format!("/api/admin/users/{id}/sessions"), Some(admin)).await.json().await.expect("sessions")
}

async fn login_on(app: &TestApp, username: &str, password: &str, device: &str) -> String {
    let body = json!({ "username": username, "password": password, "device_name": device });
    let response = app.http.post(app.url("/api/auth/login")).json(&body).send().await.expect("request");
    assert_eq!(response.status(), 200);
    response.json::<serde_json::Value>().await.expect("json")["token"].as_str().expect("token").to_owned()
}

/// A phone with one visit by kari (the fixtures' author) not yet sent.
fn device_with_new_visit(n: u128) -> (DeviceSync, DocId) {
    let id = id(n);
    let record = visit(id);
    let mut device = DeviceSync::default();
    device.add_record(id, &record);
    (device, id)
}

async fn sync_status(app: &TestApp, token: &str, device: &mut DeviceSync) -> (u16, String) {
    let body = device.request().encode();
    let digest = innom_shared::sync::wire::content_digest(&body);
    let response = app.sync_raw(token, body, Some(&digest)).await;
    let status = response.status().as_u16();
    if status == 200 {
        return (status, String::new());
    }
    device.no_reply();
    (status, error_code(response).await)
}

#[tokio::test]
async fn only_staff_with_the_admin_right_reach_the_admin_routes() {
    let (app, admin) = app_with_admin().await;
    app.add_user("per", Role::Staff, PASSWORD).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let staff = app.token("per", PASSWORD).await;
    let advisor = app.token("kari", PASSWORD).await;

    assert_eq!(app.get("/api/admin/users", Some(&admin)).await.status(), 200);
    for token in [&staff, &advisor] {
        let response = app.get("/api/admin/users", Some(token)).await;
        assert_eq!(response.status(), 403);
        assert_eq!(error_code(response).await, "forbidden");
        let escalate = app.send(reqwest::Method::PATCH, "/api/admin/users/2", token, json!({ "is_admin": true })).await;
        assert_eq!(escalate.status(), 403);
    }
    assert_eq!(app.get("/api/admin/users", None).await.status(), 401);
    let me: Me = app.get("/api/me", Some(&admin)).await.json().await.expect("me");
    assert!(me.is_admin);
}

#[tokio::test]
async fn an_admin_adds_a_user_who_can_then_log_in() {
    let (app, admin) = app_with_admin().await;
    let new =
        json!({ "username": "siri", "display_name": "Siri Dahl", "role": "advisor", "password": "lang nok passord" });

    let created = app.send(reqwest::Method::POST, "/api/admin/users", &admin, new.clone()).await;
    assert_eq!(created.status(), 201);
    let account: UserAccount = created.json().await.expect("account");
    assert_eq!((account.username.as_str(), account.role, account.is_admin), ("siri", Role::Advisor, false));
    assert_eq!(app.login("siri", "lang nok passord").await.status(), 200);

    let again = app.send(reqwest::Method::POST, "/api/admin/users", &admin, new).await;
    assert_eq!(again.status(), 409);
    let short = json!({ "username": "tor", "display_name": "Tor", "role": "advisor", "password": "kort" });
    assert_eq!(app.send(reqwest::Method::POST, "/api/admin/users", &admin, short).await.status(), 422);
    let admin_advisor = json!({ "username": "tor", "display_name": "Tor", "role": "advisor", "is_admin": true, "password": "lang nok passord" });
    assert_eq!(app.send(reqwest::Method::POST, "/api/admin/users", &admin, admin_advisor).await.status(), 422);
}

#[tokio::test]
async fn disabling_a_user_ends_every_session_at_once_and_enabling_lets_them_log_in_again() {
    let (app, admin) = app_with_admin().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let phone = login_on(&app, "kari", PASSWORD, "Karis telefon").await;
    let tablet = login_on(&app, "kari", PASSWORD, "Karis nettbrett").await;
    let kari = user_id(&app, &admin, "kari").await;

    let disabled = app
        .send(reqwest::Method::PATCH, &format!("/api/admin/users/{kari}"), &admin, json!({ "disabled": true }))
        .await;
    assert_eq!(disabled.status(), 200);
    assert!(disabled.json::<UserAccount>().await.expect("account").disabled);

    for token in [&phone, &tablet] {
        assert_eq!(app.get("/api/me", Some(token)).await.status(), 401);
        let (device, _) = &mut device_with_new_visit(1);
        assert_eq!(sync_status(&app, token, device).await.0, 401);
    }
    assert_eq!(app.login("kari", PASSWORD).await.status(), 401, "a disabled user cannot log in");

    let enabled = app
        .send(reqwest::Method::PATCH, &format!("/api/admin/users/{kari}"), &admin, json!({ "disabled": false }))
        .await;
    assert_eq!(enabled.status(), 200);
    assert_eq!(app.login("kari", PASSWORD).await.status(), 200);
    assert_eq!(app.get("/api/me", Some(&phone)).await.status(), 401, "old sessions stay ended");
    let states: Vec<_> = sessions_of(&app, &admin, kari).await.iter().map(|s| s.state).collect();
    assert_eq!(states.iter().filter(|s| **s == DeviceSessionState::Revoked).count(), 2);
}

#[tokio::test]
async fn a_session_revoked_with_wipe_tells_that_phone_to_wipe_and_refuses_its_unsent_changes() {
    let (app, admin) = app_with_admin().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let lost = login_on(&app, "kari", PASSWORD, "Mistet telefon").await;
    let new_phone = login_on(&app, "kari", PASSWORD, "Ny telefon").await;
    let kari = user_id(&app, &admin, "kari").await;
    let sessions = sessions_of(&app, &admin, kari).await;
    assert_eq!(sessions.len(), 2);
    let lost_session = sessions.iter().find(|s| s.device_name == "Mistet telefon").expect("listed");
    assert_eq!(lost_session.state, DeviceSessionState::Active);

    let revoked = app
        .send(
            reqwest::Method::POST,
            &format!("/api/admin/sessions/{}/revoke", lost_session.id),
            &admin,
            json!({ "wipe": true }),
        )
        .await;
    assert_eq!(revoked.status(), 204);

    let (mut device, _) = device_with_new_visit(7);
    assert_eq!(sync_status(&app, &lost, &mut device).await, (401, "wiped".into()));
    let me = app.get("/api/me", Some(&lost)).await;
    assert_eq!(me.status(), 401);
    assert_eq!(error_code(me).await, "wiped");
    let (documents, _) = app.dump().await;
    assert!(documents.is_empty(), "the wiped phone's unsent record is refused");
    assert_eq!(app.get("/api/me", Some(&new_phone)).await.status(), 200, "other devices keep working");
    let states: Vec<_> =
        sessions_of(&app, &admin, kari).await.iter().map(|s| (s.device_name.clone(), s.state)).collect();
    assert!(states.contains(&("Mistet telefon".into(), DeviceSessionState::Wiped)), "{states:?}");
    assert!(states.contains(&("Ny telefon".into(), DeviceSessionState::Active)), "{states:?}");
}

#[tokio::test]
async fn an_idle_session_expires_and_the_phone_syncs_its_kept_work_after_logging_in_again() {
    let (app, admin) = app_with_admin().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = login_on(&app, "kari", PASSWORD, "Karis telefon").await;
    let (mut device, id) = device_with_new_visit(9);
    // 31 days without use; the default idle limit is 30.
    let month_ago = innom_server::store::now_millis() - 31 * 24 * 3600 * 1000;
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE user_id = (SELECT id FROM users WHERE username = 'kari')")
        .bind(month_ago)
        .execute(&app.db)
        .await
        .expect("age");

    assert_eq!(sync_status(&app, &token, &mut device).await, (401, "unauthorized".into()));
    let kari = user_id(&app, &admin, "kari").await;
    assert_eq!(sessions_of(&app, &admin, kari).await[0].state, DeviceSessionState::Expired);

    let again = login_on(&app, "kari", PASSWORD, "Karis telefon").await;
    app.sync_device(&again, &mut device).await;
    assert!(!device.has_unconfirmed(), "the work kept on the phone reached the server");
    let (documents, _) = app.dump().await;
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].0, id.0.as_bytes().to_vec());
}

#[tokio::test]
async fn a_password_reset_ends_the_old_sessions_and_only_the_new_password_works() {
    let (app, admin) = app_with_admin().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let old = app.token("kari", PASSWORD).await;
    let kari = user_id(&app, &admin, "kari").await;

    let path = format!("/api/admin/users/{kari}/password");
    assert_eq!(app.send(reqwest::Method::POST, &path, &admin, json!({ "password": "kort" })).await.status(), 422);
    let reset = app.send(reqwest::Method::POST, &path, &admin, json!({ "password": "et helt nytt passord" })).await;
    assert_eq!(reset.status(), 204);

    assert_eq!(app.get("/api/me", Some(&old)).await.status(), 401);
    assert_eq!(app.login("kari", PASSWORD).await.status(), 401);
    assert_eq!(app.login("kari", "et helt nytt passord").await.status(), 200);
}

#[tokio::test]
async fn an_admin_changes_roles_but_cannot_lock_themselves_out() {
    let (app, admin) = app_with_admin().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let kari_token = app.token("kari", PASSWORD).await;
    let kari = user_id(&app, &admin, "kari").await;
    let ola = user_id(&app, &admin, "ola").await;

    let to_staff =
        app.send(reqwest::Method::PATCH, &format!("/api/admin/users/{kari}"), &admin, json!({ "role": "staff" })).await;
    assert_eq!(to_staff.status(), 200);
    let me: Me = app.get("/api/me", Some(&kari_token)).await.json().await.expect("me");
    assert_eq!(me.role, Role::Staff);

    for change in [json!({ "disabled": true }), json!({ "is_admin": false }), json!({ "role": "advisor" })] {
        let response = app.send(reqwest::Method::PATCH, &format!("/api/admin/users/{ola}"), &admin, change).await;
        assert_eq!(response.status(), 422);
    }
    assert_eq!(app.get("/api/admin/users", Some(&admin)).await.status(), 200, "still an admin");
    let missing = app.send(reqwest::Method::PATCH, "/api/admin/users/999", &admin, json!({ "disabled": true })).await;
    assert_eq!(missing.status(), 404);
}
