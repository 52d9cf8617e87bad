//! Upgrading: a database made by an earlier release opens with this one
//! (migrated on start) and keeps every record, change and account.
//!
//! `tests/fixtures/database-0011.sqlite` was made on 2026-12-07 by the
//! release before the log id (schema migration 11): `innom demo`, then an
//! advisor's device changed the status of three visits and made a mentor
//! link.

use std::collections::BTreeSet;
use std::path::Path;

use innom_shared::records::{Status, Visit};
use innom_shared::sync::{AnyRecord, DeviceSync};
use innom_tests::spawn_app_with;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/database-0011.sqlite");

/// Every change's hash in the file at `path`, and its newest migration.
async fn contents(path: &Path) -> (BTreeSet<Vec<u8>>, i64) {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
    let hashes: Vec<Vec<u8>> = sqlx::query_scalar("SELECT hash FROM changes").fetch_all(&pool).await.expect("hashes");
    let version: i64 =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&pool).await.expect("v");
    pool.close().await;
    (hashes.into_iter().collect(), version)
}

#[tokio::test]
async fn a_database_from_the_previous_release_opens_and_keeps_every_record() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    std::fs::copy(FIXTURE, &database).expect("copy the fixture");
    let (changes_before, version_before) = contents(&database).await;
    assert_eq!((changes_before.len(), version_before), (20, 11));

    let app = {
        let database = database.clone();
        spawn_app_with(move |c| c.database.database = database).await
    };
    // The demo's accounts still log in; a new device gets every record.
    let kari = app.token("kari", "stikkinnom").await;
    let ola = app.token("ola", "stikkinnom").await;
    let mut phone = DeviceSync::default();
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(phone.docs.len(), 17);
    let records: Vec<AnyRecord> =
        phone.docs.values_mut().map(|local| AnyRecord::read(local.doc.document()).expect("a valid record")).collect();
    let statuses: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| match r {
            AnyRecord::Visit(Visit { status, .. }) => Some(status.as_str()),
            _ => None,
        })
        .collect();
    assert!(statuses.contains(Status::Red.as_str()), "the edits made before the upgrade: {statuses:?}");
    // The office's views are filled from the documents.
    let attention = app.get("/api/attention", Some(&ola)).await;
    assert_eq!(attention.status(), 200);
    assert!(!attention.json::<Vec<serde_json::Value>>().await.expect("json").is_empty());
    // One team holds everyone and every participant, so nobody sees less.
    let teams = innom_server::store::teams::list(&app.db).await.expect("teams");
    assert_eq!(teams.len(), 1);
    assert_eq!(
        (teams[0].name.as_str(), teams[0].members.as_slice()),
        ("Alle", ["kari", "ola"].map(String::from).as_slice())
    );
    let participants = records.iter().filter(|r| matches!(r, AnyRecord::Participant(_))).count();
    assert_eq!(usize::try_from(teams[0].participants).expect("count"), participants);
    drop(app);

    let (changes_after, version_after) = contents(&database).await;
    assert!(changes_before.is_subset(&changes_after), "no change is lost");
    assert!(version_after > version_before, "migrated");
}

#[tokio::test]
async fn a_backup_from_the_previous_release_restores_and_is_migrated() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    let summary = innom_server::store::backup::restore(Path::new(FIXTURE), &database).await.expect("restore");
    assert_eq!((summary.documents, summary.changes, summary.users), (17, 20, 2));
    assert!(contents(&database).await.1 > 11, "migrated");
}
