//! `cargo xtask bench --peer`: Innom beside the standard alternative, an
//! automerge-repo sync server (`tests/peer/`), on the same workload, in the
//! same run, alternating, three times each.
//!
//! The workload: 50 phones, each with 20 visit records (made first, not
//! timed), edit every record 5 times; an edit sets one field and appends 20
//! characters to a 200-character summary. A phone makes a round of edits
//! (one per record) and starts the next round when the server has taken
//! the last one. Innom acknowledges a push once it is durable
//! (`synchronous=FULL`); the peer's figures run to its storage write, which
//! is not synced to disk. Innom's phones also pull each other's changes
//! (they are one advisor's records); the peer's are sent nothing.
//!
//! Usage: `peerbench [path to innom]`; run from the repository's root.

use std::process::Command;
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc, Value};
use innom_shared::document;
use innom_shared::fixtures::visit;
use innom_shared::records::Visit;
use innom_shared::sync::{DeviceSync, RecordSyncState};
use innom_shared::values::DocId;
use innom_tests::bench::{Client, Result, Server, cpu_time_of, percentile};

const PHONES: usize = 50;
const RECORDS: usize = 20;
const EDITS: usize = 5;
const RUNS: usize = 3;
/// What each edit appends to the summary: 20 characters.
const APPENDED: &str = " og fadder fulgte op";
/// The summary a record starts with: 200 characters.
const SUMMARY: &str = "Besøk hos arbeidsgiver: deltakeren møter presis, lærer rutinene raskt og samarbeider godt \
                       med kollegene. Lederen ønsker å forlenge praksisen og vurderer en sommerjobb. Neste \
                       besøk om fire uker, kl 10.";

/// One run's figures, for either server.
#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    changes_per_s: f64,
    server_cpu_ms_per_change: f64,
    p50_ms: f64,
    p99_ms: f64,
    peak_rss_mib: f64,
    /// How many cores the load generator itself kept busy.
    load_generator_cores: f64,
}

impl Figures {
    fn print(&self, who: &str) {
        println!(
            "{who:<18} {:>7.0} changes/s  server CPU {:.3} ms/change  p50 {:>7.1} ms  p99 {:>7.1} ms  \
             peak RSS {:>4.0} MiB  load generator {:.2} cores",
            self.changes_per_s,
            self.server_cpu_ms_per_change,
            self.p50_ms,
            self.p99_ms,
            self.peak_rss_mib,
            self.load_generator_cores
        );
    }

    fn from_json(json: &serde_json::Value) -> Result<Self> {
        let field = |name: &str| json[name].as_f64().ok_or_else(|| format!("the peer bench printed no {name}"));
        Ok(Self {
            changes_per_s: field("changes_per_s")?,
            server_cpu_ms_per_change: field("server_cpu_ms_per_change")?,
            p50_ms: field("p50_ms")?,
            p99_ms: field("p99_ms")?,
            peak_rss_mib: field("peak_rss_mib")?,
            load_generator_cores: field("load_generator_cores")?,
        })
    }

    /// The median of each figure over `runs`.
    fn median(runs: &[Self]) -> Self {
        let median = |figure: fn(&Self) -> f64| {
            let mut values: Vec<f64> = runs.iter().map(figure).collect();
            values.sort_by(f64::total_cmp);
            values.get(values.len() / 2).copied().unwrap_or_default()
        };
        Self {
            changes_per_s: median(|f| f.changes_per_s),
            server_cpu_ms_per_change: median(|f| f.server_cpu_ms_per_change),
            p50_ms: median(|f| f.p50_ms),
            p99_ms: median(|f| f.p99_ms),
            peak_rss_mib: median(|f| f.peak_rss_mib),
            load_generator_cores: median(|f| f.load_generator_cores),
        }
    }
}

/// The peer: `tests/peer/bench.mjs` starts its server and phones.
fn peer_run() -> Result<Figures> {
    let output = Command::new("node")
        .args(["tests/peer/bench.mjs", &PHONES.to_string(), &RECORDS.to_string(), &EDITS.to_string()])
        .output()?;
    if !output.status.success() {
        return Err(format!("the peer bench failed: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    let last = String::from_utf8_lossy(&output.stdout).lines().last().unwrap_or_default().to_owned();
    Figures::from_json(&serde_json::from_str(&last)?)
}

/// Phone `phone`'s records, as made on the phone.
fn phone_records(phone: usize) -> Vec<(DocId, Visit)> {
    (0..RECORDS)
        .map(|n| {
            let id = DocId(uuid::Uuid::from_u128(((phone as u128 + 1) << 32) | (n as u128 + 1)));
            let mut record = visit(id);
            record.summary = SUMMARY.into();
            (id, record)
        })
        .collect()
}

/// One edit, made on the document directly as the peer's client makes it
/// (`A.splice`): one field set, 20 characters appended to the summary.
/// The phone app reads and writes the whole record for the same operations
/// (`values::retype`), which costs the phone, not the server; on two shared
/// cores it would take CPU from the server being measured.
fn edit(device: &mut DeviceSync, id: DocId, round: usize) -> Result<()> {
    let doc = device.doc_mut(id).ok_or("no such document")?;
    doc.put(ROOT, "duration_minutes", 11 + round as u64)?;
    let Some((Value::Object(ObjType::Text), summary)) = doc.get(ROOT, "summary")? else {
        return Err("the record has no summary text".into());
    };
    let end = doc.length(&summary);
    doc.splice_text(&summary, end, 0, APPENDED)?;
    doc.commit();
    // The peer's edit is 21 operations (one field, 20 characters).
    match doc.get_last_local_change().map(|change| change.len()) {
        Some(ops) if ops <= 1 + APPENDED.chars().count() => Ok(()),
        other => Err(format!("an edit made {other:?} operations, not one field and 20 characters").into()),
    }
}

/// A phone with its records made and stored on the server.
async fn set_up_phone(client: &Client, phone: usize) -> Result<(DeviceSync, Vec<DocId>)> {
    let mut device = DeviceSync::default();
    let mut ids = Vec::with_capacity(RECORDS);
    for (id, record) in phone_records(phone) {
        device.insert_local(id, document::create(&record)?);
        ids.push(id);
    }
    client.sync_phone(&mut device).await?;
    Ok((device, ids))
}

/// Fails unless the server has confirmed every record as the phone has it.
fn all_confirmed(device: &mut DeviceSync, records: &[DocId]) -> Result<()> {
    for id in records {
        match device.state(*id) {
            Some(RecordSyncState::Confirmed) => {}
            other => return Err(format!("record {id} not confirmed: {other:?}").into()),
        }
    }
    Ok(())
}

/// Innom: the release server, phones of `DeviceSync` in this process.
async fn innom_run(innom: &str, http: &reqwest::Client) -> Result<Figures> {
    let server = Server::start(innom, &[("kari", "advisor")])?;
    let at_start = server.peak_rss_mb();
    let clients =
        futures_util::future::try_join_all((0..PHONES).map(|_| Client::login(http, &server.address, "kari"))).await?;
    let after_logins = server.peak_rss_mb();
    let phones =
        futures_util::future::try_join_all(clients.iter().enumerate().map(|(n, c)| set_up_phone(c, n))).await?;
    // Where the peak comes from: the logins' password hashes, the records
    // made, or the edits.
    println!(
        "  Innom's peak RSS: {at_start:.0} MiB at start, {after_logins:.0} MiB after {PHONES} logins, {:.0} MiB \
         once the records are made",
        server.peak_rss_mb()
    );

    let (server_cpu, own_cpu) = (server.cpu_time(), cpu_time_of("self"));
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .zip(phones)
        .map(|(client, (mut device, records))| {
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(RECORDS * EDITS);
                for round in 0..EDITS {
                    let mut made = Vec::with_capacity(RECORDS);
                    for id in &records {
                        edit(&mut device, *id, round)?;
                        made.push(Instant::now());
                    }
                    client.sync_phone(&mut device).await?;
                    latencies.extend(made.iter().map(Instant::elapsed));
                }
                all_confirmed(&mut device, &records)?;
                Result::Ok(latencies)
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    for task in futures_util::future::join_all(tasks).await {
        latencies.extend(task??);
    }
    let seconds = started.elapsed().as_secs_f64();
    let changes = (PHONES * RECORDS * EDITS) as f64;
    latencies.sort();
    Ok(Figures {
        changes_per_s: changes / seconds,
        server_cpu_ms_per_change: (server.cpu_time() - server_cpu).as_secs_f64() * 1e3 / changes,
        p50_ms: percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        p99_ms: percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        peak_rss_mib: server.peak_rss_mb(),
        load_generator_cores: (cpu_time_of("self") - own_cpu).as_secs_f64() / seconds,
    })
}

/// One phone pushing each change on its own and waiting for the answer:
/// the round trip of a single durable change.
async fn one_phone(innom: &str, http: &reqwest::Client) -> Result<()> {
    let server = Server::start(innom, &[("kari", "advisor")])?;
    let client = Client::login(http, &server.address, "kari").await?;
    let (mut device, records) = set_up_phone(&client, 0).await?;
    let server_cpu = server.cpu_time();
    let mut round_trips = Vec::with_capacity(RECORDS * EDITS);
    for round in 0..EDITS {
        for id in &records {
            edit(&mut device, *id, round)?;
            let started = Instant::now();
            client.sync_phone(&mut device).await?;
            round_trips.push(started.elapsed());
        }
    }
    all_confirmed(&mut device, &records)?;
    round_trips.sort();
    let cpu = (server.cpu_time() - server_cpu).as_secs_f64() * 1e3 / round_trips.len() as f64;
    println!(
        "Innom, 1 phone, one change per push: round trip p50 {:.2} ms, p99 {:.2} ms (target ≤ 2 ms); \
         server CPU {cpu:.2} ms/change",
        percentile(&round_trips, 0.50).as_secs_f64() * 1e3,
        percentile(&round_trips, 0.99).as_secs_f64() * 1e3,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let innom = std::env::args().nth(1).unwrap_or_else(|| "target/release/innom".into());
    let http = reqwest::Client::builder().pool_max_idle_per_host(256).build()?;
    println!(
        "== Innom and automerge-repo 2.5.6, {PHONES} phones × {RECORDS} records × {EDITS} edits, \
         {RUNS} runs each, alternating =="
    );
    // `PEERBENCH_INNOM_ONLY=1` leaves the peer out, when profiling Innom.
    let innom_only = std::env::var_os("PEERBENCH_INNOM_ONLY").is_some();
    let (mut peer, mut ours) = (Vec::new(), Vec::new());
    for run in 1..=RUNS {
        if !innom_only {
            let figures = peer_run()?;
            figures.print(&format!("automerge-repo #{run}"));
            peer.push(figures);
        }
        let figures = innom_run(&innom, &http).await?;
        figures.print(&format!("Innom #{run}"));
        ours.push(figures);
    }
    let (peer, ours) = (Figures::median(&peer), Figures::median(&ours));
    println!("-- medians --");
    if !innom_only {
        peer.print("automerge-repo");
    }
    ours.print("Innom");
    println!(
        "Innom/automerge-repo: {:.1}× the changes per second (target ≥ 5×), {:.2} ms server CPU per change \
         (target ≤ 0.3 ms), peak RSS {:.0} MiB (target ≤ 100 MiB)",
        ours.changes_per_s / peer.changes_per_s,
        ours.server_cpu_ms_per_change,
        ours.peak_rss_mib,
    );
    one_phone(&innom, &http).await
}
