//! The office's figures at scale: starts the release `innom` binary on a
//! fresh SQLite file, loads 10,000 placements and 100,000 visits through
//! the real sync endpoint, and prints how fast the attention list and a
//! placement timeline answer (p50, p95) and how long the CSV export of
//! every visit takes and how much the server's memory grows meanwhile.
//! Run it with `cargo xtask bench` (release builds first).
//!
//! Everything goes to 127.0.0.1 only, and every loop is bounded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use innom_shared::records::{Record, Status};
use innom_shared::sync::wire::{PushedDoc, SyncRequest, WIRE_VERSION, wire_id};
use innom_shared::values::{DocId, Timestamp};
use innom_shared::{document, fixtures};
use innom_tests::bench::{Client, Result, Server, percentile};

const WORKPLACES: u128 = 50;
const PLACEMENTS: u128 = 10_000;
const VISITS_PER_PLACEMENT: u128 = 10;
/// Documents per push: the protocol's limit is 1,000.
const BATCH: usize = 1_000;
const DAY_MS: i64 = 24 * 3600 * 1000;

fn id(n: u128) -> DocId {
    DocId(uuid::Uuid::from_u128(n))
}
fn workplace_id(n: u128) -> DocId {
    id(0x1_0000_0000 + n)
}
fn participant_id(n: u128) -> DocId {
    id(0x2_0000_0000 + n)
}
fn placement_id(n: u128) -> DocId {
    id(0x3_0000_0000 + n)
}
fn visit_id(n: u128) -> DocId {
    id(0x4_0000_0000 + n)
}

/// Pushes records as new documents, `BATCH` to a round trip, keeping none
/// of them in memory afterwards.
struct Loader {
    client: Client,
    batch: Vec<PushedDoc>,
    cursor: u64,
    pushed: usize,
}

impl Loader {
    async fn add(&mut self, record: &impl Record) -> Result<()> {
        let mut doc = document::create(record)?;
        let changes = doc.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec().into()).collect();
        self.batch.push(PushedDoc { id: wire_id(record.header().id), changes });
        if self.batch.len() == BATCH { self.flush().await } else { Ok(()) }
    }

    async fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let push = std::mem::take(&mut self.batch);
        let count = push.len();
        let request = SyncRequest { version: WIRE_VERSION, cursor: self.cursor, push, snapshots: false, log: None };
        let (reply, _, _) = self.client.sync(&request).await?;
        if let Some(refused) = reply.results.iter().find(|r| r.rejection.is_some()) {
            return Err(format!("a record was refused: {:?}", refused.rejection).into());
        }
        self.cursor = reply.cursor;
        self.pushed += count;
        Ok(())
    }
}

fn now_ms() -> i64 {
    i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis())
        .unwrap_or(i64::MAX)
}

async fn load(client: Client) -> Result<usize> {
    let mut loader = Loader { client, batch: Vec::new(), cursor: 0, pushed: 0 };
    for w in 0..WORKPLACES {
        let mut workplace = fixtures::workplace(workplace_id(w));
        workplace.name = format!("Arbeidssted {w}");
        loader.add(&workplace).await?;
    }
    let now = now_ms();
    for p in 0..PLACEMENTS {
        let mut participant = fixtures::participant(participant_id(p));
        participant.display_name = format!("Deltaker {p}");
        loader.add(&participant).await?;
        let workplace = workplace_id(p % WORKPLACES);
        let end = if p % 20 == 0 { "2026-12-01" } else { "2099-01-01" };
        let placement = fixtures::placement(placement_id(p), participant_id(p), workplace, end);
        loader.add(&placement).await?;
        for v in 0..VISITS_PER_PLACEMENT {
            let n = p * VISITS_PER_PLACEMENT + v;
            let mut visit = fixtures::visit(visit_id(n));
            visit.workplace = workplace;
            visit.placements = vec![placement_id(p)];
            visit.at = Timestamp(now - i64::try_from(n % 365).unwrap_or(0) * DAY_MS);
            visit.status =
                [Status::Green, Status::Green, Status::Yellow, Status::Red][usize::try_from(n % 4).unwrap_or(0)];
            loader.add(&visit).await?;
        }
    }
    loader.flush().await?;
    Ok(loader.pushed)
}

/// `count` sequential GETs of each path `paths` gives; their latencies, sorted.
async fn latencies(client: &Client, count: usize, path: impl Fn(usize) -> String) -> Result<Vec<Duration>> {
    let mut seen = Vec::with_capacity(count);
    for n in 0..count {
        let started = Instant::now();
        let response =
            client.http.get(format!("{}{}", client.address, path(n))).bearer_auth(&client.token).send().await?;
        if !response.status().is_success() {
            return Err(format!("{}: status {}", path(n), response.status()).into());
        }
        response.bytes().await?;
        seen.push(started.elapsed());
    }
    seen.sort();
    Ok(seen)
}

fn report(what: &str, sorted: &[Duration], target_ms: f64) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p95 = ms(percentile(sorted, 0.95));
    println!(
        "{what}: p50 {:.1} ms, p95 {p95:.1} ms over {} requests (target p95 ≤ {target_ms:.0} ms){}",
        ms(percentile(sorted, 0.50)),
        sorted.len(),
        if p95 <= target_ms { "" } else { " — OVER" }
    );
}

#[tokio::main]
async fn main() -> Result<()> {
    let innom = std::env::args().nth(1).unwrap_or_else(|| "target/release/innom".into());
    let http = reqwest::Client::builder().timeout(Duration::from_secs(600)).build()?;
    println!("== Office figures (release build, 127.0.0.1) ==");
    let server = Arc::new(Server::start(&innom, &[("kari", "advisor"), ("sofie", "staff")])?);
    let kari = Client::login(&http, &server.address, "kari").await?;
    let sofie = Client::login(&http, &server.address, "sofie").await?;

    let started = Instant::now();
    let pushed = load(kari).await?;
    println!(
        "loaded {pushed} records ({PLACEMENTS} placements, {} visits) through /api/sync in {:.0} s",
        PLACEMENTS * VISITS_PER_PLACEMENT,
        started.elapsed().as_secs_f64()
    );

    let attention = latencies(&sofie, 50, |_| "/api/attention".into()).await?;
    report("attention list, no filter", &attention, 100.0);
    let searched = latencies(&sofie, 50, |n| format!("/api/attention?q=Deltaker%20{n}&status=red")).await?;
    report("attention list, searched and filtered", &searched, 100.0);
    let timeline = latencies(&sofie, 100, |n| {
        format!("/api/placements/{}/timeline", placement_id(u128::try_from(n * 97).unwrap_or(0) % PLACEMENTS))
    })
    .await?;
    report("placement timeline (10 visits each)", &timeline, 100.0);

    // The CSV export of every visit, with the server's memory sampled.
    let before = server.rss_mb();
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (server, sampling) = (server.clone(), sampling.clone());
        std::thread::spawn(move || {
            let mut peak = 0.0f64;
            while sampling.load(Ordering::Relaxed) {
                peak = peak.max(server.rss_mb());
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        })
    };
    let started = Instant::now();
    let response =
        sofie.http.get(format!("{}/api/exports/visits.csv", sofie.address)).bearer_auth(&sofie.token).send().await?;
    let status = response.status();
    let bytes = response.bytes().await?.len();
    let took = started.elapsed();
    sampling.store(false, Ordering::Relaxed);
    let peak = sampler.join().map_err(|_| "the sampler panicked")?;
    println!(
        "CSV of all visits: status {status}, {:.1} MB in {:.2} s (target ≤ 5 s){}; server memory {before:.0} MB before, \
         {peak:.0} MB at most during (+{:.0} MB)",
        bytes as f64 / 1e6,
        took.as_secs_f64(),
        if took.as_secs_f64() <= 5.0 { "" } else { " — OVER" },
        peak - before
    );
    Ok(())
}
