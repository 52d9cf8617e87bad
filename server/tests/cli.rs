//! The `innom` binary: bad input gets one clear line on stderr and a
//! non-zero exit, never a panic.

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod support;

fn innom(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_innom"))
        .args(args)
        .env_remove("INNOM_DATABASE")
        .env_remove("INNOM_LISTEN")
        .env("INNOM_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("innom starts");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("innom exits")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_one_clear_line(output: &Output, expected: &str) {
    let text = stderr(output);
    assert!(!output.status.success(), "should fail: {text}");
    assert_eq!(text.trim_end().lines().count(), 1, "one line, got: {text}");
    assert!(text.contains(expected), "expected {expected:?} in {text:?}");
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn an_unknown_flag_is_one_clear_line_and_exit_code_2() {
    let output = innom(&["serve", "--frobnicate"], "");
    assert_one_clear_line(&output, "unexpected argument '--frobnicate'");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_unwritable_database_path_is_one_clear_line() {
    // A folder cannot be created inside a regular file.
    let folder = tempfile::tempdir().expect("dir");
    let file = folder.path().join("plain-file");
    std::fs::write(&file, "x").expect("write");
    let database = file.join("innom.sqlite");

    let output = innom(&["serve", "--listen", "127.0.0.1:0", "--database", database.to_str().expect("utf-8")], "");

    assert_one_clear_line(&output, "cannot create the data folder");
}

#[test]
fn a_port_in_use_is_one_clear_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");

    let output = innom(
        &["serve", "--listen", &format!("127.0.0.1:{port}"), "--database", database.to_str().expect("utf-8")],
        "",
    );

    assert_one_clear_line(&output, &format!("cannot listen on 127.0.0.1:{port}"));
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_kept() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    std::fs::write(&database, "not a database at all, but someone's notes\n".repeat(100)).expect("write");
    let before = std::fs::read(&database).expect("read");

    let output = innom(&["serve", "--listen", "127.0.0.1:0", "--database", database.to_str().expect("utf-8")], "");

    assert_one_clear_line(&output, "is not an Innom database");
    assert_eq!(std::fs::read(&database).expect("read"), before);
}

#[test]
fn a_missing_or_broken_certificate_is_one_clear_line_naming_the_file() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let cert = folder.path().join("cert.pem");
    let key = folder.path().join("key.pem");
    let serve = |cert: &std::path::Path| {
        let paths = [database.to_str(), cert.to_str(), key.to_str()].map(|p| p.expect("utf-8"));
        innom(
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database",
                paths[0],
                "--tls-cert",
                paths[1],
                "--tls-key",
                paths[2],
            ],
            "",
        )
    };

    let missing = serve(&cert);
    assert_one_clear_line(&missing, &format!("cannot read the TLS certificate {}", cert.display()));

    std::fs::write(&cert, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n").expect("write");
    let no_key = serve(&cert);
    assert_one_clear_line(&no_key, &format!("cannot read the TLS private key {}", key.display()));

    let alone = innom(&["serve", "--tls-cert", "cert.pem"], "");
    assert_one_clear_line(&alone, "--tls-key");
}

#[test]
fn a_static_folder_without_index_html_is_refused() {
    let folder = tempfile::tempdir().expect("dir");
    let output =
        innom(&["serve", "--listen", "127.0.0.1:0", "--static-dir", folder.path().to_str().expect("utf-8")], "");
    assert_one_clear_line(&output, "has no index.html");
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_duplicates() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let db = database.to_str().expect("utf-8");
    let args = ["user", "add", "--database", db, "--username", "siri", "--role", "staff"];

    let added = innom(&args, "a long enough password\n");
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(String::from_utf8_lossy(&added.stdout).contains("Added staff \"siri\""));

    let again = innom(&args, "a long enough password\n");
    assert_one_clear_line(&again, "a user named \"siri\" already exists");
}

#[test]
fn teams_are_made_and_listed_and_a_new_advisor_is_put_in_one() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let db = database.to_str().expect("utf-8");
    let password = "a long enough password\n";
    let add_team = |name: &str| innom(&["team", "add", "--database", db, "--name", name], "");

    let first = innom(&["user", "add", "--database", db, "--username", "kari", "--role", "advisor"], password);
    assert!(first.status.success(), "one team: a new account joins it; {}", stderr(&first));
    let made = add_team("Jobbsjansen");
    assert!(made.status.success(), "{}", stderr(&made));
    assert_one_clear_line(&add_team("jobbsjansen"), "a team named \"jobbsjansen\" already exists");

    let no_team = innom(&["user", "add", "--database", db, "--username", "siri", "--role", "advisor"], password);
    assert_one_clear_line(&no_team, "name the advisor's team(s): Alle, Jobbsjansen");
    let unknown = innom(
        &["user", "add", "--database", db, "--username", "siri", "--role", "advisor", "--team", "Vest"],
        password,
    );
    assert_one_clear_line(&unknown, "no team named \"Vest\"; the teams are: Alle, Jobbsjansen");
    let siri = innom(
        &["user", "add", "--database", db, "--username", "siri", "--role", "advisor", "--team", "jobbsjansen"],
        password,
    );
    assert!(siri.status.success(), "{}", stderr(&siri));

    let list = innom(&["team", "list", "--database", db], "");
    assert!(list.status.success(), "{}", stderr(&list));
    assert_eq!(
        String::from_utf8_lossy(&list.stdout),
        "Alle: 0 participants; kari\nJobbsjansen: 0 participants; siri\n"
    );
}

#[test]
fn user_add_refuses_a_short_password() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let output = innom(
        &["user", "add", "--database", database.to_str().expect("utf-8"), "--username", "a", "--role", "advisor"],
        "short\n",
    );
    assert_one_clear_line(&output, "at least 10 characters");
}

#[test]
fn user_add_rejects_an_unknown_role() {
    let output = innom(&["user", "add", "--username", "a", "--role", "admin"], "");
    assert_one_clear_line(&output, "invalid value 'admin'");
}

#[test]
fn demo_prints_the_demo_logins() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");

    let output = innom(&["demo", "--database", database.to_str().expect("utf-8")], "");

    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("kari") && stdout.contains("ola") && stdout.contains("siri") && stdout.contains("stikkinnom"),
        "{stdout}"
    );
    assert!(stdout.contains("Added 3 demo user(s) and 20 demo record(s)"), "{stdout}");
}

/// Every row of the query tables, as text, table by table in a fixed order.
async fn query_tables(db: &innom_server::store::Db) -> Vec<String> {
    let mut rows = Vec::new();
    for table in [
        "workplace_rows",
        "participant_rows",
        "placement_rows",
        "visit_rows",
        "visit_placements",
        "feedback_rows",
        "placement_activity",
    ] {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
            .bind(table)
            .fetch_all(db)
            .await
            .expect("columns");
        let row = columns.iter().map(|c| format!("quote({c})")).collect::<Vec<_>>().join(" || '|' || ");
        let text: Vec<String> = sqlx::query_scalar(&format!("SELECT '{table}: ' || {row} FROM {table} ORDER BY 1"))
            .fetch_all(db)
            .await
            .expect("rows");
        rows.extend(text);
    }
    rows
}

#[tokio::test]
async fn rebuilding_the_query_tables_from_the_documents_gives_identical_tables() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let path = database.to_str().expect("utf-8");
    assert!(innom(&["demo", "--database", path], "").status.success());
    let db = innom_server::store::open(&database).await.expect("open");
    let projected = query_tables(&db).await;
    db.close().await;

    let output = innom(&["rebuild-projections", "--database", path], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("from 20 record(s)"));

    let db = innom_server::store::open(&database).await.expect("open");
    let rebuilt = query_tables(&db).await;
    let links = rebuilt.iter().filter(|r| r.starts_with("visit_placements")).count();
    let summaries = rebuilt.iter().filter(|r| r.starts_with("placement_activity")).count();
    assert_eq!(rebuilt.len() - links - summaries, 20, "one row per record");
    assert!(links > 0, "a row per placement a visit names");
    assert!(summaries >= 3, "a summary per placement with visits or feedback: {summaries}");
    assert_eq!(projected, rebuilt);
}

#[tokio::test]
async fn demo_stores_the_demo_records_as_documents_once() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let path = database.to_str().expect("utf-8");

    let first = innom(&["demo", "--database", path], "");
    let second = innom(&["demo", "--database", path], "");

    assert!(first.status.success() && second.status.success(), "{}", stderr(&second));
    let db = innom_server::store::open(&database).await.expect("open");
    let kinds: Vec<(String, i64)> = sqlx::query_as("SELECT kind, COUNT(*) FROM documents GROUP BY kind ORDER BY kind")
        .fetch_all(&db)
        .await
        .expect("q");
    assert_eq!(
        kinds,
        [("mentor_feedback", 2), ("participant", 5), ("placement", 5), ("visit", 5), ("workplace", 3)]
            .map(|(k, n)| (k.to_string(), n))
    );
    let changes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM changes").fetch_one(&db).await.expect("q");
    assert_eq!(changes, 20, "one change per record, stored once");
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly_even_with_an_open_event_stream() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    support::add_user(&database, "kari", "a long enough password");
    let (mut child, address) = support::start_server(&database);
    let http = reqwest::Client::new();
    let token = support::log_in(&http, &address, "kari", "a long enough password").await;
    let events = http.get(format!("{address}/api/events")).bearer_auth(&token).send().await.expect("events");
    assert_eq!(events.status(), 200);

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(killed.success());

    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "the server did not stop");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}");
    drop(events);
}

#[tokio::test]
async fn a_mentor_links_secret_never_reaches_the_log_and_pages_send_no_referrer() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let path = database.to_str().expect("utf-8");
    assert!(innom(&["demo", "--database", path], "").status.success());
    let placement: Vec<u8> = {
        let db = innom_server::store::open(&database).await.expect("open");
        sqlx::query_scalar("SELECT id FROM documents WHERE kind = 'placement' LIMIT 1")
            .fetch_one(&db)
            .await
            .expect("a demo placement")
    };
    let placement = uuid::Uuid::from_slice(&placement).expect("uuid");
    let log_path = folder.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    // The most verbose log there is: every request, every span.
    let (mut child, address) = support::start_server_logging(&database, "trace", log);
    let http = reqwest::Client::new();
    let token = support::log_in(&http, &address, "kari", innom_server::demo::DEMO_PASSWORD).await;

    let made: serde_json::Value = http
        .post(format!("{address}/api/placements/{placement}/mentor-links"))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("make link")
        .json()
        .await
        .expect("json");
    let secret = made["secret"].as_str().expect("secret").to_owned();
    let opened = http
        .post(format!("{address}/api/mentor/session"))
        .json(&serde_json::json!({ "secret": secret }))
        .send()
        .await
        .expect("open");
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.headers()["referrer-policy"], "no-referrer");
    let mentor_token = opened.json::<serde_json::Value>().await.expect("json")["token"].as_str().expect("t").to_owned();
    let view = http.get(format!("{address}/api/mentor/placement")).bearer_auth(&mentor_token).send().await.expect("v");
    assert_eq!(view.status(), 200);

    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    let log = std::fs::read_to_string(&log_path).expect("log");
    assert!(log.contains("mentor link opened"), "the log was captured: {log}");
    assert!(!log.contains(&secret), "the secret is in the log");
    assert!(!log.contains(&mentor_token) && !log.contains(&token), "a token is in the log");
}

#[test]
fn backup_prints_what_it_holds_and_restore_refuses_what_is_not_an_innom_database() {
    let dir = tempfile::tempdir().expect("dir");
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (database, copy, restored) = (path("innom.sqlite"), path("copy.sqlite"), path("restored.sqlite"));
    let added = innom(
        &["user", "add", "--database", &database, "--username", "siri", "--role", "staff"],
        "langt nok passord\n",
    );
    assert!(added.status.success(), "{}", stderr(&added));

    let backup = innom(&["backup", "--database", &database, "--to", &copy], "");
    assert!(backup.status.success(), "{}", stderr(&backup));
    let printed = String::from_utf8_lossy(&backup.stdout);
    assert!(printed.contains("0 documents, 0 changes, 1 users, last log position 0; integrity check ok"), "{printed}");
    assert_one_clear_line(&innom(&["backup", "--database", &database, "--to", &copy], ""), "already exists");
    assert_one_clear_line(
        &innom(&["backup", "--database", &path("none.sqlite"), "--to", &path("x.sqlite")], ""),
        "there is no database at",
    );

    let restore = innom(&["restore", "--from", &copy, "--database", &restored], "");
    assert!(restore.status.success(), "{}", stderr(&restore));
    std::fs::write(path("notes.txt"), "not a database ".repeat(200)).expect("write");
    let refused = innom(&["restore", "--from", &path("notes.txt"), "--database", &restored], "");
    assert_one_clear_line(&refused, "is not an Innom database");
}

#[test]
fn log_format_json_writes_one_json_object_a_line() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_innom"))
        .args(["serve", "--log-format", "json", "--listen", "127.0.0.1:0", "--database"])
        .arg(dir.path().join("innom.sqlite"))
        .env("INNOM_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("innom starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let listening = lines
        .by_ref()
        .map(|line| line.expect("a line"))
        .find(|line| line.contains("listening"))
        .expect("the server says it is listening");
    let _ = child.kill();
    let _ = child.wait();
    let entry: serde_json::Value = serde_json::from_str(&listening).expect("a JSON object");
    assert_eq!(entry["level"], "INFO");
    assert_eq!(entry["fields"]["message"], "listening");
    assert!(entry["fields"]["addr"].as_str().is_some_and(|a| a.starts_with("127.0.0.1:")), "{entry}");
}
