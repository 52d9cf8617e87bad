//! Load generator for sync: starts the release `innom` binary on a fresh
//! SQLite file and prints the figures the sync design promises. Run it with
//! `cargo xtask bench` (it builds in release mode first).
//!
//! Everything goes to 127.0.0.1 only, and every loop is bounded.

use std::sync::Arc;
use std::time::{Duration, Instant};

use innom_shared::document;
use innom_shared::records::{Status, Visit};
use innom_shared::sync::{DeviceSync, RecordSyncState};
use innom_shared::values::DocId;
use innom_tests::bench::{Client, Result, Server, cpu_time_of, percentile};
use innom_tests::fixtures::visit;
use tokio::sync::Mutex;

/// A new visit document, id `n + 1`.
fn made_doc(n: u128) -> (DocId, automerge::AutoCommit) {
    let id = DocId(uuid::Uuid::from_u128(n + 1));
    (id, document::create(&visit(id)).unwrap_or_default())
}

fn new_docs(device: &mut DeviceSync, from: u128, count: u128) {
    for n in from..from + count {
        let (id, doc) = made_doc(n);
        device.insert_local(id, doc);
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let innom = std::env::args().nth(1).unwrap_or_else(|| "target/release/innom".into());
    let http = reqwest::Client::builder().pool_max_idle_per_host(256).build()?;

    println!("== Sync figures (release build, synchronous=FULL, 127.0.0.1) ==");
    // `LOADGEN_ONLY=3,4` runs only those parts, when working on one figure.
    let only = std::env::var("LOADGEN_ONLY").unwrap_or_default();
    let run = |part: &str| only.is_empty() || only.split(',').any(|p| p.trim() == part);

    // 1. A sync with nothing new, with 10 and with 10,000 documents in scope.
    for docs in [10u128, 10_000].into_iter().filter(|_| run("1")) {
        let server = Server::start(&innom, &[("kari", "advisor")])?;
        let client = Client::login(&http, &server.address, "kari").await?;
        let mut device = DeviceSync::default();
        for batch in (0..docs).step_by(1_000) {
            new_docs(&mut device, batch, (docs - batch).min(1_000));
            client.sync_device(&mut device).await?;
        }
        client.sync_device(&mut device).await?;
        let (sent, received) = client.sync_device(&mut device).await?;
        println!(
            "nothing new, {docs:>6} documents: request {sent} B + response {received} B = {} B (budget 2048 B)",
            sent + received
        );
    }

    // 2. A pushed one-field edit on the wire, against the change itself.
    if run("2") {
        let server = Server::start(&innom, &[("kari", "advisor")])?;
        let client = Client::login(&http, &server.address, "kari").await?;
        let mut device = DeviceSync::default();
        new_docs(&mut device, 0, 1);
        client.sync_device(&mut device).await?;
        let id = *device.docs.keys().next().ok_or("no doc")?;
        let doc = device.doc_mut(id).ok_or("no doc")?;
        let mut record: Visit = document::read(doc)?;
        record.status = Status::Red;
        document::write(doc, &record)?;
        let request = device.request();
        let change = request.push.first().and_then(|p| p.changes.first()).map_or(0, |c| c.len());
        let (_, sent, _) = client.sync(&request).await?;
        println!(
            "one-field edit: change {change} B, request {sent} B (budget 1.3 × {change} + 200 = {:.0} B)",
            1.3 * change as f64 + 200.0
        );
    }

    // 3. Merge throughput: single-change pushes from 8 and from 64 devices
    //    at once (more phones, bigger group commits), then 100 documents
    //    per push.
    if run("3") {
        for devices in [8u128, 64] {
            let server = Server::start(&innom, &[("kari", "advisor")])?;
            let clients: Vec<Client> =
                futures_util::future::try_join_all((0..8).map(|_| Client::login(&http, &server.address, "kari")))
                    .await?;
            let pushes = 8_000u128;
            // Made before the clock starts: the phones' own work is not the
            // server's throughput.
            let per_device: Vec<Vec<_>> =
                (0..devices).map(|d| (0..pushes / devices).map(|n| made_doc((d << 40) | n)).collect()).collect();
            let started = Instant::now();
            let (server_cpu, own_cpu) = (server.cpu_time(), cpu_time_of("self"));
            let tasks: Vec<_> = per_device
                .into_iter()
                .enumerate()
                .map(|(d, records)| {
                    let client = clients[d % clients.len()].clone();
                    tokio::spawn(async move {
                        let mut device = DeviceSync::default();
                        for (id, doc) in records {
                            device.insert_local(id, doc);
                            client.sync_phone(&mut device).await?;
                            // A phone's own sync work grows with what it
                            // holds; these drop a record once the server
                            // has it, so the generator's share of the two
                            // cores stays small and the server gets the rest.
                            if device.state(id) == Some(RecordSyncState::Confirmed) {
                                device.docs.remove(&id);
                            }
                        }
                        Result::Ok(())
                    })
                })
                .collect();
            for task in futures_util::future::join_all(tasks).await {
                task??;
            }
            let elapsed = started.elapsed();
            let rate = pushes as f64 / elapsed.as_secs_f64();
            // Each device waits for its answer before it pushes again: 8
            // cannot keep the server busy, 64 can, and the target is the
            // server's rate when it is kept busy.
            let target = if devices >= 64 { "target ≥ 2000" } else { "at most 8 in flight: a round trip's bound" };
            println!("merge throughput, 1 change per push, {devices} devices: {rate:.0} pushes/s ({target})");
            // Where the two cores went: the server's CPU time per push says
            // what it could do with the cores to itself, the generator's
            // what it took from the server here.
            let per_push = |cpu: Duration| cpu.as_secs_f64() * 1e6 / pushes as f64;
            let (server_us, own_us) =
                (per_push(server.cpu_time() - server_cpu), per_push(cpu_time_of("self") - own_cpu));
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
            println!(
                "  CPU per push: server {server_us:.0} µs, generator {own_us:.0} µs; {:.0} % of {cores} cores busy; \
                 the server alone on {cores} cores: about {:.0} pushes/s",
                100.0 * (server_us + own_us) * pushes as f64 / 1e6 / (elapsed.as_secs_f64() * cores),
                cores * 1e6 / server_us.max(1.0),
            );

            if devices == 8 {
                let client = &clients[0];
                let mut device = DeviceSync::default();
                // Past the bootstrap first: only merging is timed.
                client.sync_phone(&mut device).await?;
                let started = Instant::now();
                for batch in 0..20u128 {
                    new_docs(&mut device, (1 << 60) | (batch * 100), 100);
                    client.sync_phone(&mut device).await?;
                }
                let rate = 2_000.0 / started.elapsed().as_secs_f64();
                println!("merge throughput, 100 documents per push: {rate:.0} documents/s");
            }
        }
    }

    // 4. 200 phones, each making 10 edits with one sync each. Paced: every
    //    phone opens within the first second and syncs about once a second
    //    (a real phone syncs after a saved edit, minutes apart), which is
    //    the figure's case. All at once: no pause at all, which measures the
    //    queue at full throughput rather than a phone's wait.
    if run("4") {
        for paced in [true, false] {
            let server = Server::start(&innom, &[("kari", "advisor")])?;
            let sessions: Vec<Client> =
                futures_util::future::try_join_all((0..20).map(|_| Client::login(&http, &server.address, "kari")))
                    .await?;
            let (latencies, errors) = two_hundred_phones(&sessions, paced).await;
            println!(
                "200 phones × 10 syncs, {}: p50 {:.1} ms, p99 {:.1} ms{}, errors {errors}",
                if paced { "about one sync a second each" } else { "all at once, no pause" },
                percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
                percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
                if paced { " (target ≤ 50 ms)" } else { "" },
            );
        }
    }

    // 5. Server memory with 100,000 stored documents.
    if run("5") {
        let server = Server::start(&innom, &[("kari", "advisor")])?;
        let client = Client::login(&http, &server.address, "kari").await?;
        let started = Instant::now();
        for batch in 0..100u128 {
            let mut device = DeviceSync::default();
            new_docs(&mut device, (1 << 70) | (batch * 1_000), 1_000);
            client.sync(&device.request()).await?;
        }
        // One more sync after the load, as a phone would.
        client.sync(&DeviceSync { cursor: 1, ..DeviceSync::default() }.request()).await?;
        println!(
            "100,000 documents stored in {:.0} s; server resident memory {:.0} MB (target ≤ 200 MB)",
            started.elapsed().as_secs_f64(),
            server.rss_mb()
        );
    }
    // 6. Need to know at scale: 100,000 documents across 20 teams (each
    //    team's advisor pushes 250 participants, their placements and
    //    4,500 visits about them), and phones each scoped to one team.
    if run("6") {
        let names: Vec<String> = (0..20).map(|t| format!("team-{t:02}")).collect();
        let advisors: Vec<String> = (0..20).map(|t| format!("advisor{t:02}")).collect();
        let teams: Vec<&str> = names.iter().map(String::as_str).collect();
        let users: Vec<(&str, &str, Option<&str>)> =
            advisors.iter().zip(&teams).map(|(a, t)| (a.as_str(), "advisor", Some(*t))).collect();
        let server = Server::start_with_teams(&innom, &teams, &users)?;
        let started = Instant::now();
        let mut loaders = Vec::new();
        for (t, advisor) in advisors.iter().enumerate() {
            loaders.push(Client::login(&http, &server.address, advisor).await?);
            for chunk in team_records(t as u128, advisor).chunks(1_000) {
                let mut device = DeviceSync::default();
                for (id, doc) in chunk {
                    device.insert_local(*id, doc.clone());
                }
                let (reply, _, _) = loaders[t].sync(&device.request()).await?;
                if let Some(refused) = reply.results.iter().find(|r| r.rejection.is_some()) {
                    return Err(format!("a record was refused: {:?}", refused.rejection).into());
                }
            }
        }
        println!(
            "need to know: 100,000 documents across 20 teams stored in {:.0} s; server resident memory {:.0} MB",
            started.elapsed().as_secs_f64(),
            server.rss_mb()
        );
        // One advisor's new phone: her team's 5,000 documents.
        let mut phone = DeviceSync::default();
        let (started, cpu) = (Instant::now(), server.cpu_time());
        let mut pages = 0;
        loop {
            let (reply, _, _) = loaders[0].sync(&phone.request()).await?;
            phone.receive(&reply)?;
            pages += 1;
            if !reply.more {
                break;
            }
        }
        println!(
            "  bootstrap of one team's scope ({} documents, {pages} pages): {:.0} ms, server CPU {:.0} ms",
            phone.docs.len(),
            started.elapsed().as_secs_f64() * 1000.0,
            (server.cpu_time() - cpu).as_secs_f64() * 1000.0
        );
        loaders[0].sync_device(&mut phone).await?;
        let (sent, received) = loaders[0].sync_device(&mut phone).await?;
        println!(
            "  nothing new, one team's scope: request {sent} B + response {received} B = {} B (budget 2048 B)",
            sent + received
        );
        // 200 phones, 10 per team's advisor, paced as in 4, each already
        // holding its team's records (from the log's end on).
        let mut sessions = Vec::new();
        for advisor in &advisors {
            for _ in 0..10 {
                sessions.push(Client::login(&http, &server.address, advisor).await?);
            }
        }
        // Session n is the n / 10th advisor's.
        let makers: Vec<String> = (0..200).map(|phone| advisors[phone / 10].clone()).collect();
        let (latencies, errors) = two_hundred_phones_as(&sessions, &makers, phone.cursor, true).await;
        println!(
            "  200 phones scoped to one team each × 10 syncs, about one a second: p50 {:.1} ms, p99 {:.1} ms \
             (target ≤ 50 ms), errors {errors}",
            percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
            percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}

/// Team `t`'s 5,000 records, made by `advisor`: a workplace, 250
/// participants, a placement each, and 4,499 visits about the
/// placements, in the order a phone would push them.
fn team_records(t: u128, advisor: &str) -> Vec<(DocId, automerge::AutoCommit)> {
    use innom_shared::records::{Participant, Placement};
    use innom_tests::fixtures::{participant, placement, workplace};
    let id = |kind: u128, n: u128| DocId(uuid::Uuid::from_u128((1 << 100) | (t << 64) | (kind << 32) | n));
    let by = |text: &str| text.to_owned();
    let mut records: Vec<(DocId, automerge::AutoCommit)> = Vec::with_capacity(5_000);
    let place = id(0, 0);
    let made = workplace(place);
    records.push((
        place,
        document::create(&innom_shared::records::Workplace { created_by: by(advisor), ..made }).unwrap_or_default(),
    ));
    for n in 0..250 {
        let person = Participant { created_by: by(advisor), advisor: by(advisor), ..participant(id(1, n)) };
        records.push((id(1, n), document::create(&person).unwrap_or_default()));
    }
    for n in 0..250 {
        let at = Placement {
            created_by: by(advisor),
            advisor: by(advisor),
            ..placement(id(2, n), id(1, n), place, "2030-06-30")
        };
        records.push((id(2, n), document::create(&at).unwrap_or_default()));
    }
    for n in 0..4_499 {
        let about = Visit {
            created_by: by(advisor),
            advisor: by(advisor),
            placements: vec![id(2, n % 250)],
            workplace: place,
            ..visit(id(3, n))
        };
        records.push((id(3, n), document::create(&about).unwrap_or_default()));
    }
    records
}

/// A pause from 0 to `max`, spread evenly over `seed` (a fixed hash, so
/// runs are comparable and the generator needs no random source).
fn jitter(seed: u64, max: Duration) -> Duration {
    let mut x = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    max.mul_f64((x >> 11) as f64 / (1u64 << 53) as f64)
}

/// Runs 200 phones of 10 syncs each; returns the sorted round-trip times
/// and the number of failed syncs.
async fn two_hundred_phones(sessions: &[Client], paced: bool) -> (Vec<Duration>, usize) {
    two_hundred_phones_as(sessions, &vec!["kari".to_owned(); 200], 0, paced).await
}

/// [`two_hundred_phones`], phone `n`'s visit made by `makers[n]` (the
/// account of its session), each phone synced up to `cursor` before.
async fn two_hundred_phones_as(
    sessions: &[Client],
    makers: &[String],
    cursor: u64,
    paced: bool,
) -> (Vec<Duration>, usize) {
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(Mutex::new(0usize));
    let tasks = (0..200u64).map(|phone| {
        let client = sessions[phone as usize % sessions.len()].clone();
        let maker = makers[phone as usize % makers.len()].clone();
        let (latencies, errors) = (latencies.clone(), errors.clone());
        tokio::spawn(async move {
            let mut device = DeviceSync { cursor, ..DeviceSync::default() };
            let id = DocId(uuid::Uuid::from_u128((1 << 50) | (u128::from(phone) << 8) | 1));
            let made = Visit { created_by: maker.clone(), advisor: maker, ..visit(id) };
            device.insert_local(id, document::create(&made).unwrap_or_default());
            for round in 0..10u32 {
                if paced {
                    // The first sync within a second of the start, then
                    // 0.5–1.5 s apart.
                    let seed = (phone << 8) | u64::from(round);
                    let pause = if round == 0 {
                        jitter(seed, Duration::from_secs(1))
                    } else {
                        Duration::from_millis(500) + jitter(seed, Duration::from_secs(1))
                    };
                    tokio::time::sleep(pause).await;
                }
                if round > 0 {
                    let id = *device.docs.keys().next().unwrap_or(&DocId(uuid::Uuid::nil()));
                    if let Some(doc) = device.doc_mut(id)
                        && let Ok(mut record) = document::read::<Visit>(doc)
                    {
                        record.duration_minutes = 5 + round;
                        let _ = document::write(doc, &record);
                    }
                }
                let started = Instant::now();
                match client.sync_phone(&mut device).await {
                    Ok(()) => latencies.lock().await.push(started.elapsed()),
                    Err(_) => *errors.lock().await += 1,
                }
            }
        })
    });
    futures_util::future::join_all(tasks).await;
    let mut latencies = latencies.lock().await.clone();
    latencies.sort();
    let errors = *errors.lock().await;
    (latencies, errors)
}
