//! Pieces shared by the benchmark binaries (`src/bin/`): the release
//! server on a fresh database, a logged-in client, and percentiles.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use innom_shared::sync::DeviceSync;
use innom_shared::sync::wire::{MEDIA_TYPE, SyncRequest, SyncResponse, content_digest};

/// Every benchmark user's password.
pub const PASSWORD: &str = "load generator password";

/// The release `innom` binary serving a fresh SQLite file in a temporary
/// folder, stopped when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub address: String,
    _folder: tempfile::TempDir,
}

impl Server {
    /// Starts `innom` with `users` (username, role) added first.
    pub fn start(innom: &str, users: &[(&str, &str)]) -> Result<Self> {
        let users: Vec<(&str, &str, Option<&str>)> = users.iter().map(|(u, r)| (*u, *r, None)).collect();
        Self::start_with_teams(innom, &[], &users)
    }

    /// Starts `innom` with `teams` made and `users` (username, role, team)
    /// added first.
    pub fn start_with_teams(innom: &str, teams: &[&str], users: &[(&str, &str, Option<&str>)]) -> Result<Self> {
        let folder = tempfile::tempdir()?;
        let database = folder.path().join("innom.sqlite");
        for team in teams {
            let status = Command::new(innom)
                .args(["team", "add", "--name", team, "--database"])
                .arg(&database)
                .stdout(Stdio::null())
                .status()?;
            if !status.success() {
                return Err(format!("innom team add {team} failed").into());
            }
        }
        for (username, role, team) in users {
            let mut add = Command::new(innom)
                .args(["user", "add", "--username", username, "--role", role, "--database"])
                .arg(&database)
                .args(team.iter().flat_map(|team| ["--team", team]))
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()?;
            add.stdin.take().ok_or("no stdin")?.write_all(format!("{PASSWORD}\n").as_bytes())?;
            add.wait()?;
        }
        let mut child = Command::new(innom)
            .args(["serve", "--listen", "127.0.0.1:0", "--database"])
            .arg(&database)
            .env("INNOM_LOG", "error")
            .stdout(Stdio::piped())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
        let address = line.trim().strip_prefix("Innom is running at ").ok_or("no address")?.to_owned();
        Ok(Self { child, address, _folder: folder })
    }

    /// The server's resident memory now, in MB.
    pub fn rss_mb(&self) -> f64 {
        self.memory_mb("VmRSS:")
    }

    /// The most resident memory the server has had so far, in MiB.
    pub fn peak_rss_mb(&self) -> f64 {
        self.memory_mb("VmHWM:")
    }

    fn memory_mb(&self, field: &str) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        kb / 1024.0
    }

    /// CPU time the server has used so far (user + system).
    pub fn cpu_time(&self) -> Duration {
        cpu_time_of(&self.child.id().to_string())
    }
}

/// CPU time (user + system) used so far by process `pid` (`"self"` for
/// this one), from `/proc`. Zero where `/proc` is not there.
pub fn cpu_time_of(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which may itself hold spaces.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    // utime and stime are fields 14 and 15 of the line, in clock ticks
    // (100 per second on Linux).
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Tiny error plumbing so the generators need no extra crates.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A logged-in API client.
#[derive(Clone, Debug)]
pub struct Client {
    pub http: reqwest::Client,
    pub address: String,
    pub token: String,
}

impl Client {
    /// Logs `username` in.
    pub async fn login(http: &reqwest::Client, address: &str, username: &str) -> Result<Self> {
        let body: serde_json::Value = http
            .post(format!("{address}/api/auth/login"))
            .json(&serde_json::json!({ "username": username, "password": PASSWORD }))
            .send()
            .await?
            .json()
            .await?;
        let token = body["token"].as_str().ok_or("no token")?.to_owned();
        Ok(Self { http: http.clone(), address: address.to_owned(), token })
    }

    /// One round trip; returns the reply and the request and reply body sizes.
    pub async fn sync(&self, request: &SyncRequest) -> Result<(SyncResponse, usize, usize)> {
        let body = request.encode();
        let sent = body.len();
        let response = self
            .http
            .post(format!("{}/api/sync", self.address))
            .bearer_auth(&self.token)
            .header("content-type", MEDIA_TYPE)
            .header("content-digest", content_digest(&body))
            .body(body)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()).into());
        }
        let bytes = response.bytes().await?;
        Ok((SyncResponse::decode(&bytes)?, sent, bytes.len()))
    }

    /// A round trip of `device`'s sync.
    pub async fn sync_device(&self, device: &mut DeviceSync) -> Result<(usize, usize)> {
        let request = device.request();
        let (reply, sent, received) = self.sync(&request).await?;
        device.receive(&reply)?;
        Ok((sent, received))
    }

    /// A round trip whose pulled documents are received in full (the server
    /// does all the same work) but not merged into the simulated phone:
    /// real phones merge on their own CPUs, and here merging hundreds of
    /// phones' pulls would take the cores the server is measured on.
    pub async fn sync_phone(&self, device: &mut DeviceSync) -> Result<()> {
        let request = device.request();
        let (mut reply, _, _) = self.sync(&request).await?;
        reply.pull.clear();
        device.receive(&reply)?;
        Ok(())
    }
}

/// The `p` quantile (0–1) of `sorted`.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
}
