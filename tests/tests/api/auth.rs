use innom_shared::api::{ErrorBody, LoginResponse, Me, Role};
use innom_tests::{PASSWORD, spawn_app};

#[tokio::test]
async fn login_returns_a_token_that_me_recognises() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;

    let response = app.login("kari", PASSWORD).await;

    assert_eq!(response.status(), 200);
    let login: LoginResponse = response.json().await.expect("json");
    assert_eq!(login.user.role, Role::Advisor);
    assert!(login.token.len() >= 43, "at least 256 bits of token");
    let me: Me = app.get("/api/me", Some(&login.token)).await.json().await.expect("json");
    assert_eq!(
        me,
        Me { username: "kari".into(), display_name: "kari display".into(), role: Role::Advisor, is_admin: false }
    );
}

#[tokio::test]
async fn usernames_are_case_insensitive() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;

    assert_eq!(app.login("KARI", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;

    let wrong_password = app.login("kari", "not the password").await;
    let unknown_user = app.login("nobody", PASSWORD).await;

    assert_eq!(wrong_password.status(), 401);
    assert_eq!(unknown_user.status(), 401);
    let a: ErrorBody = wrong_password.json().await.expect("json");
    let b: ErrorBody = unknown_user.json().await.expect("json");
    assert_eq!(a, b);
    assert_eq!(a.error, "invalid_credentials");
}

#[tokio::test]
async fn the_token_is_stored_only_as_a_hash() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Staff, PASSWORD).await;

    let token = app.token("kari", PASSWORD).await;

    let stored: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_all(&app.db).await.expect("query");
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token.as_bytes());
    assert_eq!(stored[0].len(), 32, "a SHA-256 digest");
    let file = std::fs::read(&app.database).expect("db file");
    let wal = std::fs::read(app.database.with_extension("sqlite-wal")).unwrap_or_default();
    let needle = token.as_bytes();
    for bytes in [file, wal] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle), "the token is in the database file");
    }
}

#[tokio::test]
async fn passwords_are_hashed_with_argon2id_of_at_least_19_mib_and_2_iterations() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;

    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users").fetch_one(&app.db).await.expect("query");

    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,"), "{hash}");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = app.token("kari", PASSWORD).await;

    let response = app.http.post(app.url("/api/auth/logout")).bearer_auth(&token).send().await.expect("request");

    assert_eq!(response.status(), 204);
    assert_eq!(app.get("/api/me", Some(&token)).await.status(), 401);
}

#[tokio::test]
async fn logging_out_one_device_leaves_the_others_logged_in() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let phone = app.token("kari", PASSWORD).await;
    let laptop = app.token("kari", PASSWORD).await;

    app.http.post(app.url("/api/auth/logout")).bearer_auth(&phone).send().await.expect("request");

    assert_eq!(app.get("/api/me", Some(&laptop)).await.status(), 200);
}

#[tokio::test]
async fn me_without_or_with_a_bad_token_is_401() {
    let app = spawn_app().await;

    let missing = app.get("/api/me", None).await;
    let bogus = app.get("/api/me", Some("made-up-token")).await;

    assert_eq!(missing.status(), 401);
    assert_eq!(bogus.status(), 401);
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    let body: ErrorBody = bogus.json().await.expect("json");
    assert_eq!(body.error, "unauthorized");
}

#[tokio::test]
async fn a_disabled_user_can_neither_log_in_nor_use_an_old_token() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = app.token("kari", PASSWORD).await;

    sqlx::query("UPDATE users SET disabled_at = 1").execute(&app.db).await.expect("disable");

    assert_eq!(app.login("kari", PASSWORD).await.status(), 401);
    assert_eq!(app.get("/api/me", Some(&token)).await.status(), 401);
}

#[tokio::test]
async fn malformed_login_bodies_get_a_clear_json_error() {
    let app = spawn_app().await;
    let cases: [(&str, &str, &str); 3] = [
        ("{\"username\": \"kari\"", "application/json", "invalid_body"),
        ("{\"username\": 7, \"password\": \"x\"}", "application/json", "invalid_body"),
        ("username=kari", "application/x-www-form-urlencoded", "unsupported_media_type"),
    ];

    for (body, content_type, code) in cases {
        let response = app
            .http
            .post(app.url("/api/auth/login"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        assert!(response.status().is_client_error(), "{body}: {}", response.status());
        let error: ErrorBody = response.json().await.expect("json error body");
        assert_eq!(error.error, code, "{body}");
        assert!(!error.message.is_empty());
    }
}

#[tokio::test]
async fn repeated_wrong_passwords_make_the_account_wait_even_for_the_right_one() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    app.add_user("ola", Role::Staff, PASSWORD).await;

    for attempt in 0..5 {
        assert_eq!(app.login("kari", "guess").await.status(), 401, "attempt {attempt} is only wrong");
    }
    let held = app.login("Kari", PASSWORD).await;

    assert_eq!(held.status(), 429);
    let retry_after: u64 = held.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let body: ErrorBody = held.json().await.expect("json");
    assert_eq!(body.error, "too_many_attempts");
    assert_eq!(app.login("ola", PASSWORD).await.status(), 200, "other accounts are not held up");

    // Once the wait is over, the right password works and clears the count.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(app.login("kari", PASSWORD).await.status(), 200);
    assert_eq!(app.login("kari", "guess").await.status(), 401);
}
