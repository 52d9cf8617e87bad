//! Durability: the server is killed with SIGKILL at random moments while a
//! client pushes a stream of changes. After every kill the database passes
//! `PRAGMA integrity_check` and holds every change the server acknowledged.

use std::time::Duration;

mod support;

use innom_shared::document;
use innom_shared::records::{JobSignal, RecordKind, Review, SCHEMA_VERSION, Status, Visit, VisitType};
use innom_shared::sync::DeviceSync;
use innom_shared::sync::wire::{MEDIA_TYPE, SyncResponse, content_digest};
use innom_shared::values::{DocId, Timestamp};

const KILLS: u64 = 24;

fn visit(id: DocId) -> Visit {
    Visit {
        id,
        kind: RecordKind::Visit,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "kari".into(),
        visit_type: VisitType::DropIn,
        workplace: DocId(uuid::Uuid::from_u128(7)),
        placements: vec![],
        advisor: "kari".into(),
        at: Timestamp(1_764_000_000_000),
        duration_minutes: 5,
        met: String::new(),
        summary: "Stikker innom".into(),
        concerns: vec![],
        follow_ups: vec![],
        job_signal: JobSignal::None,
        status: Status::Green,
        review: Review::unreviewed(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_change_survives_sigkill() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    support::add_user(&database, "kari", "correct horse battery");

    let http = reqwest::Client::new();
    let mut token = None;
    // (document id, heads the server acknowledged)
    let mut acknowledged: Vec<(DocId, Vec<automerge::ChangeHash>)> = Vec::new();
    let mut device = DeviceSync::default();
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;

    for kill in 0..KILLS {
        let (child, address) = support::start_server(&database);
        let token = match &token {
            Some(token) => token,
            None => token.insert(support::log_in(&http, &address, "kari", "correct horse battery").await),
        };
        // Kill after a pseudo-random 20–220 ms of pushing.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(20 + seed % 200);
        // The kill comes from another task, so it can land mid-request,
        // mid-transaction or mid-fsync.
        let killer = tokio::spawn(async move {
            let mut child = child;
            tokio::time::sleep(delay).await;
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
        });
        let mut n = 0u128;
        loop {
            n += 1;
            let id = DocId(uuid::Uuid::from_u128(u128::from(kill) << 64 | n));
            device.insert_local(id, document::create(&visit(id)).expect("create"));
            let request = device.request();
            let body = request.encode();
            let sent = http
                .post(format!("{address}/api/sync"))
                .bearer_auth(token)
                .header("content-type", MEDIA_TYPE)
                .header("content-digest", content_digest(&body))
                .body(body)
                .send()
                .await;
            let Ok(response) = sent else { break };
            let Ok(bytes) = response.bytes().await else { break };
            let reply = SyncResponse::decode(&bytes).expect("a sync reply");
            device.receive(&reply).expect("applies");
            for result in &reply.results {
                assert!(result.rejection.is_none(), "{:?}", result.rejection);
                acknowledged.push((
                    innom_shared::sync::wire::doc_id(&result.id),
                    innom_shared::sync::wire::heads(&result.heads),
                ));
            }
        }
        killer.await.expect("the killer finishes");

        let db = innom_server::store::open(&database).await.expect("reopens after a kill");
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&db).await.expect("q");
        assert_eq!(integrity, "ok", "after kill {kill}");
        for (id, heads) in &acknowledged {
            for head in heads {
                let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM changes WHERE doc_id = ? AND hash = ?")
                    .bind(id.0.as_bytes().as_slice())
                    .bind(head.0.as_slice())
                    .fetch_one(&db)
                    .await
                    .expect("q");
                assert_eq!(stored, 1, "acknowledged change of {id} lost after kill {kill}");
            }
        }
        db.close().await;
    }
    assert!(acknowledged.len() as u64 > KILLS, "the client pushed between kills ({} pushes)", acknowledged.len());
}
