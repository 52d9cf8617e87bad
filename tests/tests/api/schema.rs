//! The records' JSON Schema as served and as kept in `docs/`, and a shape
//! refusal through the real sync endpoint.

use std::path::PathBuf;

use automerge::ROOT;
use automerge::transaction::Transactable;
use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::sync::wire::{self, PushedDoc, RejectionCode, SyncRequest, WIRE_VERSION};
use innom_tests::fixtures::visit;
use innom_tests::{PASSWORD, id, spawn_app};

fn docs_schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/records.schema.json")
}

/// `INNOM_WRITE_DOCS=1` rewrites `docs/records.schema.json` from the server.
#[tokio::test]
async fn the_served_schema_is_the_one_kept_in_docs() {
    let app = spawn_app().await;

    let response = app.get("/api/schema/records.json", None).await;

    assert_eq!(response.status(), 200, "no login needed");
    assert_eq!(response.headers()["content-type"], "application/schema+json");
    let served: serde_json::Value = response.json().await.expect("json");
    if std::env::var_os("INNOM_WRITE_DOCS").is_some() {
        let text = serde_json::to_string_pretty(&served).expect("json") + "\n";
        std::fs::write(docs_schema(), text).expect("write docs/records.schema.json");
    }
    let kept: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(docs_schema()).expect("docs/records.schema.json")).expect("json");
    assert!(
        served == kept,
        "docs/records.schema.json differs from the served schema: run INNOM_WRITE_DOCS=1 cargo test -p innom-tests --test api schema"
    );
}

#[tokio::test]
async fn a_pushed_record_of_the_wrong_shape_is_refused_naming_the_field_and_not_stored() {
    let app = spawn_app().await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let token = app.token("kari", PASSWORD).await;
    let id = id(41);
    let mut doc = document::create(&visit(id)).expect("create");
    doc.delete(ROOT, "met").expect("delete");
    doc.put(ROOT, "visit_type", "coffee_break").expect("put");
    let changes = doc.get_changes(&[]).into_iter().map(|c| c.raw_bytes().to_vec().into()).collect();
    let request = SyncRequest {
        version: WIRE_VERSION,
        cursor: 0,
        push: vec![PushedDoc { id: wire::wire_id(id), changes }],
        snapshots: false,
        log: None,
    };

    let reply = app.sync(&token, &request).await;

    let refused = reply.results[0].rejection.as_ref().expect("refused");
    assert_eq!(refused.code, RejectionCode::InvalidRecord);
    assert_eq!(
        refused.message,
        "met: missing; visit_type: \"coffee_break\" is not one of drop_in, follow_up_meeting, contract_meeting, \
         mapping_visit, job_interview"
    );
    assert_eq!(
        refused.message_nb.as_deref(),
        Some(
            "Hvem vi møtte mangler. Type besøk «coffee_break» er ikke en av drop_in, follow_up_meeting, \
             contract_meeting, mapping_visit, job_interview."
        )
    );
    assert!(app.dump().await.1.is_empty(), "nothing stored");
}
