//! Advisors' phones drop the records of placements that ended more than
//! `--phone-retention-months` ago; the server keeps them, and staff still
//! get them.

use std::collections::BTreeSet;

use innom_shared::api::Role;
use innom_shared::document;
use innom_shared::records::{Outcome, PlacementStatus};
use innom_shared::sync::DeviceSync;
use innom_shared::values::{Date, DocId};
use innom_tests::fixtures::{participant, placement, visit, workplace};
use innom_tests::{AddRecord, PASSWORD, id, spawn_app_with};

const WORKPLACE: u128 = 0x61;
const OLD_PARTICIPANT: u128 = 0x62;
const OLD_PLACEMENT: u128 = 0x63;
const OLD_VISIT: u128 = 0x64;
const PARTICIPANT: u128 = 0x65;
const PLACEMENT: u128 = 0x66;

fn today() -> Date {
    Date(time::OffsetDateTime::now_utc().date())
}

/// A phone with a placement that ended two years ago, a visit about it, and
/// a running placement at the same workplace.
fn phone() -> DeviceSync {
    let mut old = placement(id(OLD_PLACEMENT), id(OLD_PARTICIPANT), id(WORKPLACE), "2024-06-01");
    old.start = Date::parse("2024-01-08").expect("date");
    old.status = PlacementStatus::Hired;
    old.outcome = Some(Outcome::Hired);
    old.ended_on = Some(today().months_before(24));
    let mut about = visit(id(OLD_VISIT));
    about.workplace = id(WORKPLACE);
    about.placements = vec![id(OLD_PLACEMENT)];
    let running = placement(id(PLACEMENT), id(PARTICIPANT), id(WORKPLACE), "2099-03-01");
    let mut phone = DeviceSync::default();
    phone.add_record(id(WORKPLACE), &workplace(id(WORKPLACE)));
    phone.add_record(id(OLD_PARTICIPANT), &participant(id(OLD_PARTICIPANT)));
    phone.add_record(id(PARTICIPANT), &participant(id(PARTICIPANT)));
    phone.add_record(id(OLD_PLACEMENT), &old);
    phone.add_record(id(PLACEMENT), &running);
    phone.add_record(id(OLD_VISIT), &about);
    phone
}

fn held(device: &DeviceSync) -> BTreeSet<DocId> {
    device.docs.keys().copied().collect()
}

#[tokio::test]
async fn an_advisors_phone_drops_old_placements_while_the_server_and_staff_keep_them() {
    let app = spawn_app_with(|config| config.phone_retention_months = 3).await;
    let (kari, sofie) = app.kari_and_sofie(PASSWORD).await;

    // Kari's phone sends everything, then learns the cutoff and drops the
    // old placement's records.
    let mut phone = phone();
    let response = app.sync_device(&kari, &mut phone).await;
    let cutoff = today().months_before(3);
    assert_eq!(response.retire_before, Some(cutoff.to_iso()));
    let dropped: BTreeSet<DocId> = phone.retire(cutoff).into_iter().collect();
    let old: BTreeSet<DocId> = [OLD_PARTICIPANT, OLD_PLACEMENT, OLD_VISIT].map(id).into();
    assert_eq!(dropped, old);
    assert_eq!(held(&phone), [WORKPLACE, PARTICIPANT, PLACEMENT].map(id).into());

    // The server still has all six.
    assert_eq!(app.dump().await.0.len(), 6);

    // Staff are not told to drop anything, and a fresh staff device gets it all.
    let mut desk = DeviceSync::default();
    let response = app.sync_device(&sofie, &mut desk).await;
    assert_eq!(response.retire_before, None);
    assert_eq!(desk.docs.len(), 6);

    // The office adds a note to the old placement: Kari's phone does not
    // take it back.
    let mut old_placement = document::read::<innom_shared::records::Placement>(
        desk.docs.get_mut(&id(OLD_PLACEMENT)).expect("held").doc.document(),
    )
    .expect("placement");
    old_placement.outcome_note = "Fast ansatt fra august".into();
    document::write(desk.doc_mut(id(OLD_PLACEMENT)).expect("held"), &old_placement).expect("write");
    app.sync_device(&sofie, &mut desk).await;
    assert!(!desk.has_unconfirmed());
    app.sync_device(&kari, &mut phone).await;
    assert_eq!(held(&phone), [WORKPLACE, PARTICIPANT, PLACEMENT].map(id).into());

    // A new phone for Kari bootstraps and keeps only the running placement.
    let mut new_phone = DeviceSync::default();
    let response = app.sync_device(&kari, &mut new_phone).await;
    let cutoff = Date::parse(response.retire_before.as_deref().expect("a cutoff")).expect("a date");
    new_phone.retire(cutoff);
    assert_eq!(held(&new_phone), [WORKPLACE, PARTICIPANT, PLACEMENT].map(id).into());
}

#[tokio::test]
async fn the_cutoff_follows_the_configured_months() {
    let app = spawn_app_with(|config| config.phone_retention_months = 18).await;
    app.add_user("kari", Role::Advisor, PASSWORD).await;
    let kari = app.token("kari", PASSWORD).await;
    let response = app.sync_device(&kari, &mut DeviceSync::default()).await;
    assert_eq!(response.retire_before, Some(today().months_before(18).to_iso()));
}
