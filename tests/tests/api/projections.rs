//! The query tables follow every merge in the same transaction, go with an
//! erased record, and are filled on start when a database predates them.

use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{FollowUp, Status, Visit};
use innom_shared::sync::DeviceSync;
use innom_shared::values::{Date, DocId};
use innom_tests::fixtures::visit;
use innom_tests::{AddRecord, PASSWORD, TestApp, id, spawn_app, spawn_app_with};

async fn visit_row(app: &TestApp) -> Option<(String, i64, Option<String>)> {
    let bytes = id(0x91).0.as_bytes().to_vec();
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
    let mut recorded: Visit = visit(id(0x91));
    recorded.follow_ups = vec![
        FollowUp { id: "a".into(), text: "Ringe fadder".into(), due: Date::parse("2026-12-03"), done: false },
        FollowUp { id: "b".into(), text: "Sende kontrakt".into(), due: Date::parse("2026-12-01"), done: false },
    ];
    let mut phone = DeviceSync::default();
    phone.add_record(id(0x91), &recorded);
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(visit_row(&app).await, Some(("green".into(), 2, Some("2026-12-01".into()))));

    recorded.status = Status::Red;
    recorded.follow_ups[1].done = true;
    document::write(phone.doc_mut(id(0x91)).expect("held"), &recorded).expect("write");
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
        phone.add_record(id(0x91), &visit(id(0x91)));
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
        .bind(id(0x91).0.as_bytes().to_vec())
        .fetch_all(&app.db)
        .await
        .expect("query")
}

#[tokio::test]
async fn a_visit_moved_to_another_placement_counts_only_for_the_new_one() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let kari = app.token("kari", PASSWORD).await;
    let (first, second) = (id(0xa1), id(0xa2));
    let mut recorded: Visit = visit(id(0x91));
    recorded.placements = vec![first];
    let mut phone = DeviceSync::default();
    phone.add_record(id(0x91), &recorded);
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(last_visit_at(&app, first).await, Some(Some(recorded.at.0)));
    assert_eq!(visit_placements(&app).await, vec![first.0.as_bytes().to_vec()]);

    // An edit that keeps the placement keeps its row and its sum.
    recorded.status = Status::Yellow;
    document::write(phone.doc_mut(id(0x91)).expect("held"), &recorded).expect("write");
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(visit_placements(&app).await, vec![first.0.as_bytes().to_vec()]);
    assert_eq!(last_visit_at(&app, first).await, Some(Some(recorded.at.0)));

    // Moved: the old placement no longer has a visit, the new one has.
    recorded.placements = vec![second];
    document::write(phone.doc_mut(id(0x91)).expect("held"), &recorded).expect("write");
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(visit_placements(&app).await, vec![second.0.as_bytes().to_vec()]);
    assert_eq!(last_visit_at(&app, first).await, Some(None));
    assert_eq!(last_visit_at(&app, second).await, Some(Some(recorded.at.0)));
}

/// Every row of the query tables, in a fixed order, to compare two states.
async fn query_tables(app: &TestApp) -> Vec<String> {
    let mut rows = Vec::new();
    for (table, key) in [
        ("export_rows", "id"),
        ("workplace_rows", "id"),
        ("participant_rows", "id"),
        ("placement_rows", "id"),
        ("visit_rows", "id"),
        ("feedback_rows", "id"),
        ("visit_placements", "visit, placement"),
        ("placement_activity", "placement"),
    ] {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
            .bind(table)
            .fetch_all(&app.db)
            .await
            .expect("columns");
        let values = columns.iter().map(|c| format!("quote({c})")).collect::<Vec<_>>().join(" || ',' || ");
        // The names are this list's own and the schema's, not input.
        let dump: Vec<String> =
            sqlx::query_scalar(&format!("SELECT '{table}: ' || {values} FROM {table} ORDER BY {key}"))
                .fetch_all(&app.db)
                .await
                .expect("dump");
        rows.extend(dump);
    }
    rows
}

#[tokio::test]
async fn a_batch_with_every_kind_and_one_visit_merged_twice_stores_what_a_rebuild_gives() {
    use innom_server::store::BEGIN_WRITE;
    use innom_server::store::documents::{self, Author};
    use innom_shared::fixtures;
    use innom_shared::sync::merge;
    use sqlx::Connection;

    let app = spawn_app().await;
    let n = |n: u128| id(n);
    let (workplace, participant, placement, other_placement, feedback) = (n(1), n(2), n(3), n(4), n(5));
    let new_document = |id: DocId, doc: automerge::AutoCommit| {
        let changes: Vec<Vec<u8>> = doc.clone().get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()).collect();
        merge(id, None, &changes).expect("valid")
    };
    let mut recorded: Visit = visit(id(0x91));
    recorded.placements = vec![placement];
    let mut visit_doc = document::create(&recorded).expect("doc");
    let first_visit = new_document(id(0x91), visit_doc.clone());
    // The second push of the visit moves it to the other placement.
    let heads = visit_doc.get_heads();
    recorded.placements = vec![other_placement];
    recorded.status = Status::Red;
    document::write(&mut visit_doc, &recorded).expect("write");
    let moved: Vec<Vec<u8>> = visit_doc.get_changes(&heads).iter().map(|c| c.raw_bytes().to_vec()).collect();
    let second_visit = merge(id(0x91), Some(&first_visit.doc), &moved).expect("valid");
    let batch = vec![
        (workplace, new_document(workplace, document::create(&fixtures::workplace(workplace)).expect("doc"))),
        (participant, new_document(participant, document::create(&fixtures::participant(participant)).expect("doc"))),
        (
            placement,
            new_document(
                placement,
                document::create(&fixtures::placement(placement, participant, workplace, "2027-01-31")).expect("doc"),
            ),
        ),
        (id(0x91), first_visit),
        (
            feedback,
            new_document(feedback, document::create(&fixtures::feedback(feedback, placement, "mentor")).expect("doc")),
        ),
        (id(0x91), second_visit),
    ];
    let changes_in_batch: usize = batch.iter().map(|(_, m)| m.new_changes.len()).sum();
    let batch: Vec<_> = batch.into_iter().map(|(id, merged)| (id, merged, Author::SYSTEM)).collect();

    let mut conn = app.db.acquire().await.expect("connection");
    let mut tx = conn.begin_with(BEGIN_WRITE).await.expect("begin");
    let logged = documents::store_merges(&mut tx, &batch).await.expect("stored");
    tx.commit().await.expect("commit");

    // Every change logged, in push order; the visit's position is its last change's.
    let seqs: Vec<i64> =
        sqlx::query_scalar("SELECT seq FROM changes ORDER BY seq").fetch_all(&app.db).await.expect("log");
    assert_eq!(seqs.len(), changes_in_batch);
    assert_eq!(logged.iter().map(|c| c.seq).collect::<Vec<_>>(), seqs, "the new changes are returned in log order");
    // Each with its document's heads after the batch, as a pull gives them.
    let final_heads = batch[5].1.heads();
    assert!(logged.iter().filter(|c| c.doc_id == id(0x91)).all(|c| c.doc_heads == final_heads));
    assert_eq!(logged.iter().filter(|c| c.doc_id == id(0x91)).count(), 2);
    let last = seqs.last().copied();
    let visit_seq: i64 = sqlx::query_scalar("SELECT seq FROM documents WHERE id = ?")
        .bind(id(0x91).0.as_bytes().to_vec())
        .fetch_one(&app.db)
        .await
        .expect("visit");
    assert_eq!(Some(visit_seq), last);
    // The visit is stored as its second push made it.
    assert_eq!(visit_row(&app).await, Some(("red".into(), 0, None)));
    assert_eq!(visit_placements(&app).await, vec![other_placement.0.as_bytes().to_vec()]);
    assert_eq!(last_visit_at(&app, placement).await, Some(None), "the feedback's placement has no visit");
    assert_eq!(last_visit_at(&app, other_placement).await, Some(Some(recorded.at.0)));

    let stored = query_tables(&app).await;
    assert_eq!(stored.iter().filter(|row| row.starts_with("export_rows")).count(), 5);
    innom_server::store::projections::rebuild(&app.db).await.expect("rebuild");
    assert_eq!(query_tables(&app).await, stored);
}
