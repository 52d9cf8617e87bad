use std::time::Duration;

use innom_server::store;
use innom_tests::spawn_app;

#[tokio::test]
async fn every_pooled_connection_runs_wal_with_synchronous_full_and_a_busy_timeout() {
    let app = spawn_app().await;

    // Hold all eight connections at once, so each one is checked, not the
    // same connection eight times.
    let mut connections = Vec::new();
    for _ in 0..8 {
        connections.push(app.db.acquire().await.expect("connection"));
    }
    for conn in &mut connections {
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut **conn).await.expect("q");
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut **conn).await.expect("q");
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut **conn).await.expect("q");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut **conn).await.expect("q");
        assert_eq!(journal, "wal");
        assert_eq!(synchronous, 2, "FULL");
        assert_eq!(busy, i64::try_from(store::BUSY_TIMEOUT_MS).unwrap_or_default());
        assert_eq!(foreign_keys, 1);
    }
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let folder = tempfile::tempdir().expect("dir");
    let path = folder.path().join("notes.sqlite");
    let content = b"Dette er ikke en database, men viktige notater.\n".repeat(200);
    std::fs::write(&path, &content).expect("write");

    let error = store::open(&path).await.expect_err("must refuse");

    assert!(matches!(error, store::OpenError::NotSqlite { .. }), "{error}");
    assert!(error.to_string().contains("not an Innom database"));
    assert_eq!(std::fs::read(&path).expect("read"), content);
}

#[tokio::test]
async fn a_database_from_a_newer_schema_is_refused() {
    let folder = tempfile::tempdir().expect("dir");
    let path = folder.path().join("innom.sqlite");
    let db = store::open(&path).await.expect("open");
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (9999, 'from the future', 1, x'00', 0)",
    )
    .execute(&db)
    .await
    .expect("insert");
    db.close().await;

    let error = store::open(&path).await.expect_err("must refuse");

    assert!(matches!(error, store::OpenError::NewerSchema { version: 9999, .. }), "{error}");
    assert!(error.to_string().contains("newer version of Innom"));
}

#[tokio::test]
async fn migrations_create_the_file_and_its_folder_on_first_start() {
    let folder = tempfile::tempdir().expect("dir");
    let path = folder.path().join("data").join("nested").join("innom.sqlite");

    let db = store::open(&path).await.expect("open");

    assert!(path.is_file());
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(&db)
        .await
        .expect("query");
    assert!(tables.contains(&"users".to_string()) && tables.contains(&"sessions".to_string()), "{tables:?}");
    // A second open of a migrated file is a no-op, not an error.
    db.close().await;
    tokio::time::timeout(Duration::from_secs(10), store::open(&path)).await.expect("in time").expect("reopen");
}
