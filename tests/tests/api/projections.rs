//! The query tables follow every merge in the same transaction, go with an
//! erased record, and are filled on start when a database predates them.

use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{FollowUp, Status, Visit};
use innom_shared::sync::DeviceSync;
use innom_shared::values::{Date, DocId};
use innom_tests::fixtures::visit;
use innom_tests::{TestApp, spawn_app, spawn_app_with};

const PASSWORD: &str = "correct horse battery";

fn id() -> DocId {
    DocId(uuid::Uuid::from_u128(0x91))
}

async fn visit_row(app: &TestApp) -> Option<(String, i64, Option<String>)> {
    let bytes = id().0.as_bytes().to_vec();
    sqlx::query_as("SELECT status, open_follow_ups, next_due FROM visit_rows WHERE id = ?")
        .bind(bytes)
        .fetch_optional(&app.db)
        .await
        .expect("query")
}

#[tokio::test]
async fn a_merged_edit_updates_the_query_table_in_the_same_sync() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let kari = app.token("kari", PASSWORD).await;
    let mut recorded: Visit = visit(id());
    recorded.follow_ups = vec![
        FollowUp { id: "a".into(), text: "Ringe fadder".into(), due: Date::parse("2026-12-03"), done: false },
        FollowUp { id: "b".into(), text: "Sende kontrakt".into(), due: Date::parse("2026-12-01"), done: false },
    ];
    let mut phone = DeviceSync::default();
    phone.insert_local(id(), document::create(&recorded).expect("doc"));
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(visit_row(&app).await, Some(("green".into(), 2, Some("2026-12-01".into()))));

    recorded.status = Status::Red;
    recorded.follow_ups[1].done = true;
    document::write(phone.doc_mut(id()).expect("held"), &recorded).expect("write");
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(visit_row(&app).await, Some(("red".into(), 1, Some("2026-12-03".into()))));
}

#[tokio::test]
async fn a_database_from_before_the_query_tables_gets_them_filled_on_start() {
    let folder = tempfile::tempdir().expect("dir");
    let database = folder.path().join("innom.sqlite");
    {
        let app = spawn_app_with(|c| c.database.database = database.clone()).await;
        app.add_user("kari", Role::Advisor, PASSWORD).await;
        let kari = app.token("kari", PASSWORD).await;
        let mut phone = DeviceSync::default();
        phone.insert_local(id(), document::create(&visit(id())).expect("doc"));
        app.sync_device(&kari, &mut phone).await;
        // As if the rows had never been written.
        sqlx::query("DELETE FROM visit_rows").execute(&app.db).await.expect("delete");
        assert_eq!(visit_row(&app).await, None);
    }
    let app = spawn_app_with(|c| c.database.database = database.clone()).await;
    assert_eq!(visit_row(&app).await, Some(("green".into(), 0, None)));
}

/// The latest visit time summed up for `placement`, if it has a row.
async fn last_visit_at(app: &TestApp, placement: DocId) -> Option<Option<i64>> {
    sqlx::query_scalar("SELECT last_visit_at FROM placement_activity WHERE placement = ?")
        .bind(placement.0.as_bytes().to_vec())
        .fetch_optional(&app.db)
        .await
        .expect("query")
}

async fn visit_placements(app: &TestApp) -> Vec<Vec<u8>> {
    sqlx::query_scalar("SELECT placement FROM visit_placements WHERE visit = ? ORDER BY placement")
        .bind(id().0.as_bytes().to_vec())
        .fetch_all(&app.db)
        .await
        .expect("query")
}

#[tokio::test]
async fn a_visit_moved_to_another_placement_counts_only_for_the_new_one() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let kari = app.token("kari", PASSWORD).await;
    let (first, second) = (DocId(uuid::Uuid::from_u128(0xa1)), DocId(uuid::Uuid::from_u128(0xa2)));
    let mut recorded: Visit = visit(id());
    recorded.placements = vec![first];
    let mut phone = DeviceSync::default();
    phone.insert_local(id(), document::create(&recorded).expect("doc"));
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(last_visit_at(&app, first).await, Some(Some(recorded.at.0)));
    assert_eq!(visit_placements(&app).await, vec![first.0.as_bytes().to_vec()]);

    // An edit that keeps the placement keeps its row and its sum.
    recorded.status = Status::Yellow;
    document::write(phone.doc_mut(id()).expect("held"), &recorded).expect("write");
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(visit_placements(&app).await, vec![first.0.as_bytes().to_vec()]);
    assert_eq!(last_visit_at(&app, first).await, Some(Some(recorded.at.0)));

    // Moved: the old placement no longer has a visit, the new one has.
    recorded.placements = vec![second];
    document::write(phone.doc_mut(id()).expect("held"), &recorded).expect("write");
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(visit_placements(&app).await, vec![second.0.as_bytes().to_vec()]);
    assert_eq!(last_visit_at(&app, first).await, Some(None));
    assert_eq!(last_visit_at(&app, second).await, Some(Some(recorded.at.0)));
}
