//! Sign-in through an OpenID Connect provider: a real one (`oidc-provider`
//! from npm, tests/browser/oidc_provider.mjs) on 127.0.0.1.

use innom_server::config::Switch;
use innom_server::oidc::{GroupRule, NewAccounts};
use innom_shared::api::{LoginMethods, LoginResponse, Role};
use innom_tests::oidc::{Browser, TestProvider};
use innom_tests::{PASSWORD, TestApp, error_code, spawn_app_with, usual_world};

const KARI_AT_PROVIDER: &str = "kari-provider-password";

async fn sessions(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM sessions").fetch_one(&app.db).await.expect("count")
}

/// Trades the fragment's code for a session.
async fn finish(app: &TestApp, fragment: &str) -> reqwest::Response {
    let code = fragment.strip_prefix("oidc=").unwrap_or_else(|| panic!("signed in, not {fragment}"));
    app.http
        .post(app.url("/api/auth/oidc/finish"))
        .json(&serde_json::json!({ "code": code, "device_name": "Karis telefon" }))
        .send()
        .await
        .expect("request")
}

/// A full sign-in by `username`; the fragment the app is given.
async fn sign_in(app: &TestApp, username: &str, password: &str) -> String {
    let browser = Browser::new();
    let callback = browser.sign_in_at_provider(app, username, password).await;
    browser.back_at_app(app, &callback).await
}

#[tokio::test]
async fn an_advisor_signs_in_at_the_provider_and_syncs_with_a_session_whose_code_works_once() {
    let provider = TestProvider::start(&[("kari", KARI_AT_PROVIDER, "Kari Nordmann", &[])]).await;
    let app = spawn_app_with(|c| provider.configure(c)).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;

    let methods: LoginMethods =
        app.http.get(app.url("/api/auth/methods")).send().await.expect("asks").json().await.expect("JSON");
    assert_eq!(methods, LoginMethods { password: true, provider: Some("Testkommunen".into()) });

    let browser = Browser::new();
    let callback = browser.sign_in_at_provider(&app, "kari", KARI_AT_PROVIDER).await;
    assert!(callback.contains("code=") && callback.contains("state="), "{callback}");
    let fragment = browser.back_at_app(&app, &callback).await;
    let response = finish(&app, &fragment).await;
    assert_eq!(response.status(), 200);
    let login: LoginResponse = response.json().await.expect("a session");
    assert_eq!((login.user.username.as_str(), login.user.role), ("kari", Role::Advisor));

    // The session syncs like any other.
    let reply = app.sync_device(&login.token, &mut usual_world()).await;
    assert!(reply.results.iter().all(|r| r.rejection.is_none()), "{:?}", reply.results);
    let (device, refresh): (String, Option<String>) =
        sqlx::query_as("SELECT device_name, provider_refresh_token FROM sessions")
            .fetch_one(&app.db)
            .await
            .expect("row");
    assert_eq!(device, "Karis telefon");
    assert!(refresh.is_some_and(|t| !t.is_empty()), "the provider's refresh token is kept for rechecks");

    // The one-time code works once; the provider's answer cannot be replayed.
    let again = finish(&app, &fragment).await;
    assert_eq!(again.status(), 401);
    assert_eq!(error_code(again).await, "sign_in_code_refused");
    assert_eq!(browser.back_at_app(&app, &callback).await, "oidc-error=failed", "a replayed code");
    assert_eq!(sessions(&app).await, 1);
    // Passwords still work unless switched off.
    assert_eq!(app.login("kari", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn answers_that_do_not_check_out_are_refused_and_make_no_session() {
    let provider = TestProvider::start(&[("kari", KARI_AT_PROVIDER, "Kari Nordmann", &[])]).await;
    let app = spawn_app_with(|c| provider.configure(c)).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;

    // A wrong state. (A new browser each time: one signed in at the
    // provider would not see its login page again.)
    let browser = Browser::new();
    let callback = browser.sign_in_at_provider(&app, "kari", KARI_AT_PROVIDER).await;
    let forged = with_state(&callback, "not-the-state");
    assert_eq!(browser.back_at_app(&app, &forged).await, "oidc-error=failed");
    // The answer reaching another browser than the one that started.
    let callback = Browser::new().sign_in_at_provider(&app, "kari", KARI_AT_PROVIDER).await;
    assert_eq!(Browser::new().back_at_app(&app, &callback).await, "oidc-error=failed");
    // Cancelled at the provider.
    let browser = Browser::new();
    let callback = browser.cancel_at_provider(&app).await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    assert_eq!(browser.back_at_app(&app, &callback).await, "oidc-error=cancelled");

    // ID tokens that fail their checks: another audience, a forged
    // signature, expired or issued in the future (clocks), another nonce.
    for (how, answer) in [
        ("wrong_audience", "oidc-error=failed"),
        ("bad_signature", "oidc-error=failed"),
        ("expired", "oidc-error=clock_skew"),
        ("future", "oidc-error=clock_skew"),
        ("nonce", "oidc-error=failed"),
    ] {
        provider.alter_next_token(how).await;
        assert_eq!(sign_in(&app, "kari", KARI_AT_PROVIDER).await, answer, "{how}");
    }
    assert_eq!(sessions(&app).await, 0, "no refused answer made a session");

    // A token signed with a key the provider has just started using: its
    // keys are fetched again, and the sign-in goes through.
    provider.alter_next_token("rotated_key").await;
    let fragment = sign_in(&app, "kari", KARI_AT_PROVIDER).await;
    assert_eq!(finish(&app, &fragment).await.status(), 200, "{fragment}");
    assert_eq!(sessions(&app).await, 1);
}

/// `url` with its `state` parameter replaced.
fn with_state(url: &str, state: &str) -> String {
    let mut parsed = reqwest::Url::parse(url).expect("URL");
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| {
            let value = if k == "state" { state.to_owned() } else { v.into_owned() };
            (k.into_owned(), value)
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

#[tokio::test]
async fn only_allowed_people_sign_in_and_new_accounts_come_from_their_groups() {
    let provider = TestProvider::start(&[
        ("kari", KARI_AT_PROVIDER, "Kari Nordmann", &[]),
        ("ola", "ola-pw", "Ola Disabled", &[]),
        ("nora", "nora-pw", "Nora Ny", &["sg-innom-vest"]),
        ("per", "per-pw", "Per Leder", &["sg-innom-staff", "sg-innom-admins"]),
        ("eva", "eva-pw", "Eva Uten Gruppe", &["sg-other"]),
    ])
    .await;

    // Existing accounts only (the default).
    let app = spawn_app_with(|c| provider.configure(c)).await;
    app.add_user("ola", Role::Advisor, PASSWORD).await;
    sqlx::query("UPDATE users SET disabled_at = 1 WHERE username = 'ola'").execute(&app.db).await.expect("disable");
    assert_eq!(sign_in(&app, "kari", KARI_AT_PROVIDER).await, "oidc-error=not_allowed", "no Innom account");
    assert_eq!(sign_in(&app, "ola", "ola-pw").await, "oidc-error=not_allowed", "disabled in Innom");
    assert_eq!(sessions(&app).await, 0);
    drop(app);

    // New accounts from groups, with passwords switched off.
    let app = spawn_app_with(|c| {
        provider.configure(c);
        c.password_login = Switch::Off;
        c.oidc.oidc_accounts = NewAccounts::Create;
        c.oidc.oidc_groups_claim = Some("groups".into());
        c.oidc.oidc_groups = ["sg-innom-vest=advisor,team:Vest", "sg-innom-staff=staff", "sg-innom-admins=admin"]
            .iter()
            .map(|r| GroupRule::parse(r).expect("rule"))
            .collect();
    })
    .await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    innom_server::store::teams::add(&app.db, "Vest").await.expect("team");
    let methods: LoginMethods =
        app.http.get(app.url("/api/auth/methods")).send().await.expect("asks").json().await.expect("JSON");
    assert!(!methods.password);
    let refused = app.login("kari", PASSWORD).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(error_code(refused).await, "password_login_off");

    let fragment = sign_in(&app, "nora", "nora-pw").await;
    let nora: LoginResponse = finish(&app, &fragment).await.json().await.expect("signed in");
    assert_eq!(
        (nora.user.display_name.as_str(), nora.user.role, nora.user.is_admin),
        ("Nora Ny", Role::Advisor, false)
    );
    let teams: Vec<String> = sqlx::query_scalar(
        "SELECT t.name FROM team_members m JOIN teams t ON t.id = m.team_id JOIN users u ON u.id = m.user_id WHERE u.username = 'nora'",
    )
    .fetch_all(&app.db)
    .await
    .expect("teams");
    assert_eq!(teams, vec!["Vest".to_owned()]);
    let fragment = sign_in(&app, "per", "per-pw").await;
    let per: LoginResponse = finish(&app, &fragment).await.json().await.expect("signed in");
    assert_eq!((per.user.role, per.user.is_admin), (Role::Staff, true));
    assert_eq!(sign_in(&app, "eva", "eva-pw").await, "oidc-error=not_allowed", "no group gives a role");
    // An account made at sign-in has no password that works.
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'nora'")
        .fetch_one(&app.db)
        .await
        .expect("row");
    let passwords = innom_server::passwords::Passwords::new().expect("hasher");
    assert!(!passwords.verify(Some(&hash), hash.clone()).await.expect("verifies"));
}

#[tokio::test]
async fn a_person_switched_off_at_the_provider_loses_their_sessions_at_the_next_sync() {
    let provider =
        TestProvider::start(&[("kari", KARI_AT_PROVIDER, "Kari Nordmann", &[]), ("siri", "siri-pw", "Siri Dahl", &[])])
            .await;
    let app = spawn_app_with(|c| {
        provider.configure(c);
        c.oidc.oidc_recheck_seconds = 1;
    })
    .await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    app.add_user("siri", Role::Advisor, PASSWORD).await;
    let kari: LoginResponse =
        finish(&app, &sign_in(&app, "kari", KARI_AT_PROVIDER).await).await.json().await.expect("in");
    let siri: LoginResponse = finish(&app, &sign_in(&app, "siri", "siri-pw").await).await.json().await.expect("in");
    let mut phone = usual_world();
    app.sync_device(&kari.token, &mut phone).await;

    provider.disable("kari").await;
    let mut refused = false;
    for _ in 0..100 {
        let response = app.sync_raw(&kari.token, phone.request().encode(), None).await;
        if response.status() == 401 {
            assert_eq!(error_code(response).await, "unauthorized");
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(refused, "kari's session ended within 10 s of being switched off at the provider");
    // Siri, still allowed there, goes on; the provider was asked about her too.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(app.get("/api/me", Some(&siri.token)).await.status(), 200);
    let checked: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE u.username = 'siri' AND s.provider_checked_at > s.created_at",
    )
    .fetch_one(&app.db)
    .await
    .expect("count");
    assert_eq!(checked, 1, "siri's session was rechecked and kept");
}

#[tokio::test]
async fn a_session_from_a_provider_that_gives_no_refresh_token_is_not_ended_by_the_recheck() {
    let provider = TestProvider::start_with(&[("kari", KARI_AT_PROVIDER, "Kari Nordmann", &[])], false).await;
    let app = spawn_app_with(|c| {
        provider.configure(c);
        c.oidc.oidc_recheck_seconds = 1;
    })
    .await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let kari: LoginResponse =
        finish(&app, &sign_in(&app, "kari", KARI_AT_PROVIDER).await).await.json().await.expect("in");
    let refresh: Option<String> =
        sqlx::query_scalar("SELECT provider_refresh_token FROM sessions").fetch_one(&app.db).await.expect("row");
    assert_eq!(refresh, None);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(app.get("/api/me", Some(&kari.token)).await.status(), 200, "still signed in after rechecks");
}

#[tokio::test]
async fn an_unreachable_provider_sends_the_browser_back_with_a_reason() {
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("binds").local_addr().expect("addr").port();
    let app = spawn_app_with(|c| {
        c.oidc.oidc_issuer = Some(format!("http://127.0.0.1:{closed}"));
        c.oidc.oidc_client_id = Some("innom".into());
    })
    .await;
    let response = app.http.get(app.url("/api/auth/oidc/start?app=office")).send().await.expect("starts");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/kontor/#oidc-error=provider_unreachable");
    let bad = app.http.get(app.url("/api/auth/oidc/start?app=watch")).send().await.expect("asks");
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.expect("body").contains("watch"), "the error names the wrong value");
}
