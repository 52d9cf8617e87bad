//! Helpers shared by the tests that run the `innom` binary itself.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Adds an account with `innom user add`, the password on stdin.
pub fn add_user(database: &Path, username: &str, password: &str) {
    let mut add = Command::new(env!("CARGO_BIN_EXE_innom"))
        .args(["user", "add", "--username", username, "--role", "advisor", "--database"])
        .arg(database)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("user add starts");
    add.stdin.take().expect("stdin").write_all(format!("{password}\n").as_bytes()).expect("password");
    assert!(add.wait().expect("user add exits").success());
}

/// Starts `innom serve` on a free port; returns it with its address.
pub fn start_server(database: &Path) -> (Child, String) {
    start_server_logging(database, "error", Stdio::null())
}

/// Starts `innom serve` with the log filter `level`, its log going to `log`.
pub fn start_server_logging(database: &Path, level: &str, log: impl Into<Stdio>) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_innom"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(database)
        .env("INNOM_LOG", level)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("innom starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("reads the address");
    let address = line.trim().strip_prefix("Innom is running at ").expect("the address line").to_owned();
    (child, address)
}

/// Logs in over HTTP and returns the bearer token.
pub async fn log_in(http: &reqwest::Client, address: &str, username: &str, password: &str) -> String {
    let login: serde_json::Value = http
        .post(format!("{address}/api/auth/login"))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    login["token"].as_str().expect("token").to_owned()
}
