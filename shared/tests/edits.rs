//! A form's edit applied onto a record that changed elsewhere while the
//! form was open: both sides' edits stay.

use innom_shared::edits::SummaryConflict;
use innom_shared::fixtures;
use innom_shared::records::{Contact, FollowUp, Status};
use innom_shared::values::DocId;

fn contact(id: &str, name: &str, phone: &str) -> Contact {
    Contact { id: id.into(), name: name.into(), role: String::new(), phone: phone.into(), email: String::new() }
}

#[test]
fn a_workplace_edit_keeps_what_another_device_changed_meanwhile() {
    let mut before = fixtures::workplace(DocId::new_random());
    before.contacts = vec![contact("a", "Per", "+47 900 00 001"), contact("b", "Kari", "+47 900 00 002")];
    before.peak_months = vec![6];

    // Another phone: a new address, a new contact, one more busy month.
    let mut now = before.clone();
    now.address = "Kaien 2, 5003 Bergen".into();
    now.contacts.push(contact("c", "Ola", "+47 900 00 003"));
    now.peak_months.push(12);

    // This form: a new name, Per's new phone, Kari removed, July added.
    let mut after = before.clone();
    after.name = "Fjordhotellet Bryggen".into();
    after.contacts = vec![contact("a", "Per", "+47 911 11 111")];
    after.peak_months.push(7);

    now.apply_edit(&before, &after);
    assert_eq!(now.name, "Fjordhotellet Bryggen");
    assert_eq!(now.address, "Kaien 2, 5003 Bergen", "the other phone's address stays");
    assert_eq!(now.contacts, vec![contact("a", "Per", "+47 911 11 111"), contact("c", "Ola", "+47 900 00 003")]);
    assert_eq!(now.peak_months, vec![6, 7, 12]);
}

#[test]
fn an_untouched_form_changes_nothing() {
    let before = fixtures::workplace(DocId::new_random());
    let mut now = before.clone();
    now.name = "Changed elsewhere".into();
    let expected = now.clone();
    now.apply_edit(&before, &before.clone());
    assert_eq!(now, expected);
}

#[test]
fn a_visit_edit_keeps_the_office_review_and_other_phones_changes() {
    let mut before = fixtures::visit(DocId::new_random());
    before.follow_ups = vec![FollowUp { id: "f1".into(), text: "Ringe fadder".into(), due: None, done: false }];
    let mut now = before.clone();
    now.status = Status::Red;
    now.follow_ups.push(FollowUp { id: "f2".into(), text: "Sende plan".into(), due: None, done: false });

    let mut after = before.clone();
    after.met = "Daglig leder og fadder".into();
    after.follow_ups[0].done = true;
    after.summary = "Alt vel. Fadder fornøyd.".into();

    now.apply_edit(&before, &after).expect("no conflict");
    assert_eq!(now.status, Status::Red, "the other phone's status stays");
    assert_eq!(now.met, "Daglig leder og fadder");
    assert_eq!(now.summary.as_str(), "Alt vel. Fadder fornøyd.");
    assert!(now.follow_ups[0].done);
    assert_eq!(now.follow_ups[1].id, "f2");
}

#[test]
fn a_summary_changed_on_both_sides_is_a_conflict_and_nothing_is_applied() {
    let before = fixtures::visit(DocId::new_random());
    let mut now = before.clone();
    now.summary = "Alt vel, sa fadder.".into();
    let mut after = before.clone();
    after.summary = "Alt vel. Ny avtale.".into();
    after.status = Status::Yellow;
    let untouched = now.clone();
    assert_eq!(now.apply_edit(&before, &after), Err(SummaryConflict));
    assert_eq!(now, untouched);
}
