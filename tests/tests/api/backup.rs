//! `innom backup` and `innom restore` (the same functions the commands
//! run) against a real server and real phones (`DeviceSync`).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use innom_server::store::backup::{self, BackupError};
use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{Status, Visit};
use innom_shared::sync::{DeviceSync, RecordSyncState};
use innom_shared::values::DocId;
use innom_tests::fixtures::visit;
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app_with};

/// How long the phones push while backups are taken.
const PUSHING_FOR: Duration = Duration::from_secs(20);

async fn app_on(database: &std::path::Path) -> TestApp {
    let database = database.to_owned();
    spawn_app_with(move |c| c.database.database = database).await
}

/// The record ids stored in the database file at `path`.
async fn stored_ids(path: &std::path::Path) -> BTreeSet<DocId> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("open the copy");
    let rows: Vec<Vec<u8>> = sqlx::query_scalar("SELECT id FROM documents").fetch_all(&pool).await.expect("ids");
    pool.close().await;
    rows.iter().map(|bytes| DocId(uuid::Uuid::from_slice(bytes).expect("uuid"))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_taken_while_phones_push_hold_every_acknowledged_change_and_restore_to_the_same_records() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let app = Arc::new(app_on(&database).await);
    app.add_user("kari", Role::Advisor, PASSWORD).await;

    // Four phones each save and sync one visit after another; every
    // acknowledged visit is noted with the moment it was acknowledged.
    let acknowledged: Arc<Mutex<Vec<(Instant, DocId)>>> = Arc::default();
    let until = Instant::now() + PUSHING_FOR;
    let mut phones = Vec::new();
    for phone in 0..4u128 {
        let (token, acknowledged, app) = (app.token("kari", PASSWORD).await, acknowledged.clone(), app.clone());
        phones.push(tokio::spawn(async move {
            let mut device = DeviceSync::default();
            let mut n = 0u128;
            while Instant::now() < until {
                let visit_id = id(0x1_0000 * (phone + 1) + n);
                device.add_record(visit_id, &visit(visit_id));
                app.sync_device(&token, &mut device).await;
                assert_eq!(device.state(visit_id), Some(RecordSyncState::Confirmed));
                acknowledged.lock().expect("lock").push((Instant::now(), visit_id));
                n += 1;
            }
        }));
    }

    let mut backups = Vec::new();
    for n in 0..3 {
        tokio::time::sleep(PUSHING_FOR / 4).await;
        let started = Instant::now();
        let before: BTreeSet<DocId> =
            acknowledged.lock().expect("lock").iter().filter(|(at, _)| *at < started).map(|(_, id)| *id).collect();
        let to = folder.path().join(format!("backup-{n}.sqlite"));
        let summary = backup::backup(&database, &to).await.expect("backup");
        let held = stored_ids(&to).await;
        assert!(before.is_subset(&held), "backup {n} lacks {} acknowledged visits", before.difference(&held).count());
        assert_eq!(summary.documents, i64::try_from(held.len()).expect("count"));
        assert!(summary.changes >= summary.documents && summary.users == 1 && summary.last_position > 0);
        backups.push((to, held));
    }
    for phone in phones {
        phone.await.expect("the phone pushed without a failure");
    }
    assert!(acknowledged.lock().expect("lock").len() > 20, "the phones kept pushing");
    drop(app);

    // A restore of the second backup serves exactly its records.
    let (from, held) = &backups[1];
    let restored = folder.path().join("restored").join("innom.sqlite");
    backup::restore(from, &restored).await.expect("restore");
    let app = app_on(&restored).await;
    let token = app.token("kari", PASSWORD).await;
    let mut fresh = DeviceSync::default();
    app.sync_device(&token, &mut fresh).await;
    assert_eq!(fresh.docs.keys().copied().collect::<BTreeSet<_>>(), *held);
}

#[tokio::test]
async fn a_phone_that_synced_after_the_backup_sends_the_restored_server_what_it_lacks() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let to = folder.path().join("backup.sqlite");
    let (first, second) = (id(1), id(2));
    let mut phone = DeviceSync::default();
    {
        let app = app_on(&database).await;
        app.add_user("kari", Role::Advisor, PASSWORD).await;
        let token = app.token("kari", PASSWORD).await;
        phone.add_record(first, &visit(first));
        app.sync_device(&token, &mut phone).await;
        backup::backup(&database, &to).await.expect("backup");

        // After the backup: a new visit, and an edit of the first, both
        // confirmed by the server that is about to lose them.
        phone.add_record(second, &visit(second));
        let doc = phone.doc_mut(first).expect("doc");
        let mut edited: Visit = document::read(doc).expect("valid");
        edited.status = Status::Red;
        document::write(doc, &edited).expect("write");
        app.sync_device(&token, &mut phone).await;
        assert_eq!(phone.state(second), Some(RecordSyncState::Confirmed));
        assert_eq!(phone.state(first), Some(RecordSyncState::Confirmed));
    }

    let summary = backup::restore(&to, &database).await.expect("restore");
    assert_eq!(summary.documents, 1);
    let app = app_on(&database).await;
    let token = app.token("kari", PASSWORD).await;
    let cursor_before = phone.cursor;
    let request = phone.request();
    let reply = app.sync(&token, &request).await;
    assert!(reply.reset, "the phone's cursor ({cursor_before}) does not count in the restored log");
    phone.receive(&reply).expect("applies");
    app.sync_device(&token, &mut phone).await;

    // Both the visit and the edit made after the backup are on the server
    // again, and the phone knows it.
    let mut other = DeviceSync::default();
    app.sync_device(&token, &mut other).await;
    let on_server: Visit = document::read(&other.docs[&first].doc).expect("valid");
    assert_eq!(on_server.status, Status::Red);
    assert!(other.docs.contains_key(&second));
    assert_eq!(phone.state(first), Some(RecordSyncState::Confirmed));
    assert_eq!(phone.state(second), Some(RecordSyncState::Confirmed));
}

#[tokio::test]
async fn restore_refuses_a_running_servers_database_and_a_damaged_backup_and_backup_never_overwrites() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let to = folder.path().join("backup.sqlite");
    let app = app_on(&database).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    backup::backup(&database, &to).await.expect("backup");

    let refused = backup::restore(&to, &database).await.expect_err("the server holds the database");
    assert!(matches!(refused, BackupError::InUse { .. }), "{refused}");
    assert!(refused.to_string().contains("running Innom server"), "{refused}");

    let again = backup::backup(&database, &to).await.expect_err("the file exists");
    assert!(matches!(again, BackupError::Exists { .. }), "{again}");

    // A cut-short copy and a file that is not a database: refused, and
    // the database they were to replace is left as it was.
    let elsewhere = folder.path().join("other.sqlite");
    let bytes = std::fs::read(&to).expect("backup bytes");
    let cut = folder.path().join("cut.sqlite");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let text = folder.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, but long enough to look like a file header".repeat(100))
        .expect("write");
    std::fs::write(&elsewhere, b"keep me").expect("write");
    for damaged in [&cut, &text] {
        let error = backup::restore(damaged, &elsewhere).await.expect_err("refused");
        assert!(matches!(error, BackupError::Damaged { .. } | BackupError::NotInnom { .. }), "{error}");
        assert_eq!(std::fs::read(&elsewhere).expect("read"), b"keep me");
    }
}
