//! Every validation rule of every record kind, one test each.

use automerge::AutoCommit;
use innom_shared::document::{self, DocumentError};
use innom_shared::records::*;
use innom_shared::validation::{Problem, Validate, ValidationErrors};
use innom_shared::values::{Date, DocId, OrgNumber, Timestamp};

fn date(text: &str) -> Date {
    Date::parse(text).expect("test date")
}

fn workplace() -> Workplace {
    Workplace {
        id: DocId::new_random(),
        kind: RecordKind::Workplace,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "kari".into(),
        name: "Fjordhotellet".into(),
        org_number: OrgNumber::parse("923609016").expect("valid"),
        address: "Strandgata 1, 5013 Bergen".into(),
        industry: Industry::Hotel,
        contacts: vec![Contact {
            id: "c1".into(),
            name: "Per Olsen".into(),
            role: "daglig leder".into(),
            phone: "+47 912 34 567".into(),
            email: "per@fjordhotellet.no".into(),
        }],
        mapping: MappingNotes {
            needs: "Romrengjøring i høysesongen".into(),
            requirements: "Grunnleggende norsk".into(),
            safety_routines: "Kjemikaliekurs første dag".into(),
        },
        hiring_outlook: HiringOutlook::Likely,
        peak_months: vec![9, 10],
    }
}

fn participant() -> Participant {
    Participant {
        id: DocId::new_random(),
        kind: RecordKind::Participant,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "kari".into(),
        display_name: "Amina Hassan".into(),
        programme: Programme::Introduction,
        advisor: "kari".into(),
        goal: Goal::Work,
        language_level: LanguageLevel::A2,
    }
}

fn placement() -> Placement {
    Placement {
        id: DocId::new_random(),
        kind: RecordKind::Placement,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "kari".into(),
        participant: DocId::new_random(),
        workplace: DocId::new_random(),
        mentor: Mentor { name: "Lise Berg".into(), phone: "41234567".into() },
        advisor: "kari".into(),
        start: date("2026-09-01"),
        planned_end: date("2026-12-15"),
        ended_on: None,
        status: PlacementStatus::Active,
        phase: 2,
        tasks: vec![
            TrainingTask { id: "t1".into(), phase: 1, text: "Re senger".into(), mastered: true },
            TrainingTask { id: "t2".into(), phase: 2, text: "Vaske bad".into(), mastered: false },
        ],
        first_meeting: AgreedMeeting::default(),
        second_meeting: AgreedMeeting::default(),
        contract_signed: true,
        job_prospect: JobProspect::Possible,
        outcome: None,
        outcome_note: String::new(),
    }
}

fn visit() -> Visit {
    Visit {
        id: DocId::new_random(),
        kind: RecordKind::Visit,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "kari".into(),
        visit_type: VisitType::DropIn,
        workplace: DocId::new_random(),
        placements: vec![DocId::new_random()],
        advisor: "kari".into(),
        at: Timestamp(1_764_000_000_000),
        duration_minutes: 10,
        met: "Lise (fadder)".into(),
        summary: "Går fint, litt sen om morgenen.".into(),
        concerns: vec![Concern { tag: ConcernTag::Punctuality, note: "Buss".into() }],
        follow_ups: vec![FollowUp {
            id: "f1".into(),
            text: "Sjekke bussrute".into(),
            due: Some(date("2026-11-30")),
            done: false,
        }],
        job_signal: JobSignal::Possible,
        status: Status::Yellow,
        review: Review::unreviewed(),
    }
}

fn feedback() -> MentorFeedback {
    MentorFeedback {
        id: DocId::new_random(),
        kind: RecordKind::MentorFeedback,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "mentor:abc".into(),
        placement: DocId::new_random(),
        mentor_name: "Lise Berg".into(),
        attendance: Score::Good,
        punctuality: Score::Ok,
        initiative: Score::Good,
        norwegian: Score::Ok,
        tasks_mastered: vec!["t2".into()],
        ready_for_next_phase: Readiness::Unsure,
        going_well: "Blid og nøyaktig".into(),
        needs_attention: String::new(),
        contact_me: false,
        status: Status::Green,
        review: Review::unreviewed(),
    }
}

/// The errors of an invalid record; panics if it is valid.
fn errors(record: &impl Validate) -> ValidationErrors {
    record.validate().expect_err("record should be invalid")
}

fn problem_at(record: &impl Validate, field: &str) -> Problem {
    let errors = errors(record);
    errors
        .0
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.problem.clone())
        .unwrap_or_else(|| panic!("no error at {field}: {errors}"))
}

#[test]
fn the_fixtures_are_valid_records() {
    assert_eq!(workplace().validate(), Ok(()));
    assert_eq!(participant().validate(), Ok(()));
    assert_eq!(placement().validate(), Ok(()));
    assert_eq!(visit().validate(), Ok(()));
    assert_eq!(feedback().validate(), Ok(()));
}

#[test]
fn a_record_of_another_kind_is_rejected() {
    let mut w = workplace();
    w.kind = RecordKind::Visit;
    assert!(matches!(problem_at(&w, "kind"), Problem::WrongShape(_)));
}

#[test]
fn a_newer_or_zero_schema_version_is_rejected() {
    for version in [0, SCHEMA_VERSION + 1] {
        let mut p = participant();
        p.schema_version = version;
        assert!(matches!(problem_at(&p, "schema_version"), Problem::WrongShape(_)));
    }
}

#[test]
fn header_needs_an_author_and_a_time_after_1970() {
    let mut v = visit();
    v.created_by = " ".into();
    v.created_at = Timestamp(-1);
    assert_eq!(problem_at(&v, "created_by"), Problem::Required);
    assert!(matches!(problem_at(&v, "created_at"), Problem::OutOfRange { .. }));
}

#[test]
fn workplace_needs_a_name_and_limits_its_texts() {
    let mut w = workplace();
    w.name = String::new();
    w.mapping.needs = "x".repeat(5_001);
    assert_eq!(problem_at(&w, "name"), Problem::Required);
    assert_eq!(problem_at(&w, "mapping.needs"), Problem::TooLong { max: 5_000 });
}

#[test]
fn workplace_contacts_need_names_and_well_formed_phone_and_email() {
    let mut w = workplace();
    w.contacts[0].name = String::new();
    w.contacts[0].phone = "ring meg".into();
    w.contacts[0].email = "per.fjordhotellet.no".into();
    assert_eq!(problem_at(&w, "contacts[0].name"), Problem::Required);
    assert_eq!(problem_at(&w, "contacts[0].phone"), Problem::Invalid("phone number"));
    assert_eq!(problem_at(&w, "contacts[0].email"), Problem::Invalid("e-mail address"));
}

#[test]
fn workplace_contacts_have_distinct_ids() {
    let mut w = workplace();
    w.contacts.push(w.contacts[0].clone());
    assert_eq!(problem_at(&w, "contacts"), Problem::Duplicate);
}

#[test]
fn workplace_peak_months_are_distinct_months() {
    let mut w = workplace();
    w.peak_months = vec![13];
    assert_eq!(problem_at(&w, "peak_months"), Problem::OutOfRange { min: 1, max: 12 });
    w.peak_months = vec![12, 12];
    assert_eq!(problem_at(&w, "peak_months"), Problem::Duplicate);
}

#[test]
fn participant_needs_a_name_and_an_advisor() {
    let mut p = participant();
    p.display_name = "\t".into();
    p.advisor = String::new();
    assert_eq!(problem_at(&p, "display_name"), Problem::Required);
    assert_eq!(problem_at(&p, "advisor"), Problem::Required);
}

#[test]
fn participant_first_name_is_the_first_word() {
    assert_eq!(participant().first_name(), "Amina");
}

#[test]
fn placement_cannot_end_before_it_starts() {
    let mut p = placement();
    p.planned_end = date("2026-08-31");
    assert_eq!(problem_at(&p, "planned_end"), Problem::BeforeOther { other: "start" });
}

#[test]
fn placement_phase_and_task_phases_are_one_to_three() {
    let mut p = placement();
    p.phase = 0;
    p.tasks[1].phase = 4;
    assert_eq!(problem_at(&p, "phase"), Problem::OutOfRange { min: 1, max: 3 });
    assert_eq!(problem_at(&p, "tasks[1].phase"), Problem::OutOfRange { min: 1, max: 3 });
}

#[test]
fn placement_tasks_need_text_and_distinct_ids() {
    let mut p = placement();
    p.tasks[0].text = String::new();
    p.tasks[1].id = "t1".into();
    assert_eq!(problem_at(&p, "tasks[0].text"), Problem::Required);
    assert_eq!(problem_at(&p, "tasks"), Problem::Duplicate);
}

#[test]
fn placement_mentor_phone_is_checked() {
    let mut p = placement();
    p.mentor.phone = "abc".into();
    assert_eq!(problem_at(&p, "mentor.phone"), Problem::Invalid("phone number"));
}

#[test]
fn an_ended_placement_needs_an_outcome_and_an_active_one_has_none() {
    let mut p = placement();
    p.status = PlacementStatus::Completed;
    assert_eq!(problem_at(&p, "outcome"), Problem::Required);
    p.outcome = Some(Outcome::Education);
    assert_eq!(p.validate(), Ok(()));

    let mut active = placement();
    active.outcome = Some(Outcome::Hired);
    assert!(matches!(problem_at(&active, "outcome"), Problem::Inconsistent(_)));
}

#[test]
fn a_hired_placement_has_the_outcome_hired() {
    let mut p = placement();
    p.status = PlacementStatus::Hired;
    p.outcome = Some(Outcome::NoJob);
    assert!(matches!(problem_at(&p, "outcome"), Problem::Inconsistent(_)));
}

#[test]
fn a_placement_ended_early_says_why() {
    let mut p = placement();
    p.status = PlacementStatus::EndedEarly;
    p.outcome = Some(Outcome::EndedEarly);
    assert_eq!(problem_at(&p, "outcome_note"), Problem::Required);
    p.outcome_note = "Arbeidsgiver la ned avdelingen".into();
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn visit_duration_is_between_a_minute_and_twelve_hours() {
    let mut v = visit();
    v.duration_minutes = 0;
    assert_eq!(problem_at(&v, "duration_minutes"), Problem::OutOfRange { min: 1, max: 720 });
    v.duration_minutes = 721;
    assert!(v.validate().is_err());
}

#[test]
fn visit_summary_is_limited() {
    let mut v = visit();
    v.summary = "a".repeat(20_001).into();
    assert_eq!(problem_at(&v, "summary"), Problem::TooLong { max: 20_000 });
}

#[test]
fn visit_concern_tags_and_placements_are_distinct() {
    let mut v = visit();
    v.concerns.push(Concern { tag: ConcernTag::Punctuality, note: String::new() });
    v.placements.push(v.placements[0]);
    assert_eq!(problem_at(&v, "concerns"), Problem::Duplicate);
    assert_eq!(problem_at(&v, "placements"), Problem::Duplicate);
}

#[test]
fn visit_follow_ups_need_text() {
    let mut v = visit();
    v.follow_ups[0].text = " ".into();
    assert_eq!(problem_at(&v, "follow_ups[0].text"), Problem::Required);
}

#[test]
fn a_review_that_is_done_names_its_reviewer() {
    let mut v = visit();
    v.review.state = ReviewState::Reviewed;
    assert_eq!(problem_at(&v, "review.reviewer"), Problem::Required);
    v.review.reviewer = Some("ola".into());
    assert_eq!(v.validate(), Ok(()));
}

#[test]
fn feedback_needs_the_mentor_name_and_distinct_tasks() {
    let mut f = feedback();
    f.mentor_name = String::new();
    f.tasks_mastered.push("t2".into());
    assert_eq!(problem_at(&f, "mentor_name"), Problem::Required);
    assert_eq!(problem_at(&f, "tasks_mastered"), Problem::Duplicate);
}

#[test]
fn feedback_free_texts_are_limited() {
    let mut f = feedback();
    f.needs_attention = "ø".repeat(5_001);
    assert_eq!(problem_at(&f, "needs_attention"), Problem::TooLong { max: 5_000 });
}

#[test]
fn reading_a_document_of_another_kind_fails_validation() {
    let doc = document::create(&participant()).expect("reconcile");
    // A participant document has no `org_number`, so it is not a workplace.
    assert!(matches!(document::read::<Workplace>(&doc), Err(DocumentError::Shape(_))));
}

#[test]
fn loading_truncated_document_bytes_is_an_error_not_a_partial_record() {
    let mut doc = document::create(&visit()).expect("reconcile");
    let bytes = doc.save();
    let result = document::load::<Visit>(&bytes[..bytes.len() / 2]);
    assert!(matches!(result, Err(DocumentError::Load(_))));
}

#[test]
fn an_invalid_record_in_a_document_is_reported_as_invalid() {
    let mut bad = placement();
    bad.phase = 7;
    let mut doc = AutoCommit::new();
    document::write(&mut doc, &bad).expect("reconcile");
    assert!(matches!(document::read::<Placement>(&doc), Err(DocumentError::Invalid(e)) if e.has("phase")));
}

#[test]
fn concurrent_edits_to_different_tasks_both_survive_a_merge() {
    let original = placement();
    let mut phone_a = document::create(&original).expect("reconcile");
    let mut phone_b = phone_a.fork().with_actor(automerge::ActorId::random());

    let mut a = original.clone();
    a.tasks[1].mastered = true;
    document::write(&mut phone_a, &a).expect("reconcile");
    let mut b = original.clone();
    b.tasks.push(TrainingTask { id: "t3".into(), phase: 3, text: "Lede et skift".into(), mastered: false });
    document::write(&mut phone_b, &b).expect("reconcile");

    phone_a.merge(&mut phone_b).expect("merge");
    let merged: Placement = document::read(&phone_a).expect("valid");
    assert!(merged.tasks[1].mastered);
    assert_eq!(merged.tasks.len(), 3);
}

#[test]
fn a_placement_saved_before_it_had_an_end_date_still_reads() {
    use automerge::transaction::Transactable;
    let mut doc = document::create(&placement()).expect("test value");
    doc.delete(automerge::ROOT, "ended_on").expect("test value");
    let read: Placement = document::read(&doc).expect("test value");
    assert_eq!(read.ended_on, None);
}

#[test]
fn only_an_ended_placement_has_an_end_date_and_not_before_its_start() {
    let mut running = placement();
    running.ended_on = Some(running.planned_end);
    assert_eq!(problem_at(&running, "ended_on"), Problem::Inconsistent("only an ended placement has an end date"));

    let mut ended = placement();
    ended.status = PlacementStatus::Completed;
    ended.outcome = Some(Outcome::NoJob);
    ended.ended_on = Some(Date::parse("2020-01-01").expect("test value"));
    assert_eq!(problem_at(&ended, "ended_on"), Problem::BeforeOther { other: "start" });
    ended.ended_on = Some(ended.start);
    assert!(ended.validate().is_ok());
}

#[test]
fn retype_splices_only_the_stretch_that_changed() {
    use innom_shared::values::retype;
    let cases = [
        ("Alt vel.", "Alt vel. Ny avtale.", "Alt vel. Ny avtale."),
        ("Alt vel.", "Nesten alt vel.", "Nesten alt vel."),
        ("Kom for sent to dager.", "Kom for sent tre dager.", "Kom for sent tre dager."),
        ("Blåbær på kjøkkenet", "Blåbær på lageret", "Blåbær på lageret"),
        ("ææ", "æøæ", "æøæ"),
        ("aaa", "aa", "aa"),
        ("", "Første ord", "Første ord"),
        ("Slettes", "", ""),
        ("Uendret", "Uendret", "Uendret"),
    ];
    for (before, wanted, after) in cases {
        let mut text = autosurgeon::Text::with_value(before);
        retype(&mut text, wanted);
        assert_eq!(text.as_str(), after, "{before:?} to {wanted:?}");
    }
}

#[test]
fn two_phones_retyping_different_parts_of_a_summary_keep_both_edits() {
    use innom_shared::values::retype;
    let mut original = visit();
    original.summary = "Amina trives. Hun møter presis.".into();
    let mut doc = document::create(&original).expect("reconcile");
    let mut phone_a = doc.fork().with_actor(automerge::ActorId::random());
    let mut phone_b = doc.fork().with_actor(automerge::ActorId::random());

    let mut a: Visit = document::read(&phone_a).expect("valid");
    retype(&mut a.summary, "Amina trives godt på kjøkkenet. Hun møter presis.");
    document::write(&mut phone_a, &a).expect("reconcile");
    let mut b: Visit = document::read(&phone_b).expect("valid");
    retype(&mut b.summary, "Amina trives. Hun møter presis og tar ansvar.");
    document::write(&mut phone_b, &b).expect("reconcile");

    phone_a.merge(&mut phone_b).expect("merge");
    let merged: Visit = document::read(&phone_a).expect("valid");
    assert_eq!(merged.summary.as_str(), "Amina trives godt på kjøkkenet. Hun møter presis og tar ansvar.");
}

#[test]
fn text_positions_are_bytes_of_the_rust_string_so_appending_after_norwegian_letters_lands_at_the_end() {
    let mut original = visit();
    original.summary = "Første møte på kjøkkenet.".into();
    let mut doc = document::create(&original).expect("reconcile");
    let mut answered: Visit = document::read(&doc).expect("valid");
    let end = answered.summary.as_str().len();
    answered.summary.splice(end, 0, " Svar: øvd på rutinene.");
    document::write(&mut doc, &answered).expect("reconcile");
    let read: Visit = document::read(&doc).expect("valid");
    assert_eq!(read.summary.as_str(), "Første møte på kjøkkenet. Svar: øvd på rutinene.");
}

#[test]
fn a_held_follow_up_meeting_has_a_date() {
    let mut held = placement();
    held.second_meeting = AgreedMeeting { planned: None, held: true };
    let errors = held.validate().expect_err("no date");
    assert!(errors.has("second_meeting.planned"), "{errors}");
    held.second_meeting.planned = Some(Date::parse("2026-12-01").expect("date"));
    held.validate().expect("valid");
}

#[test]
fn a_placement_saved_before_it_had_agreed_meetings_reads_them_as_not_planned() {
    use automerge::transaction::Transactable;
    let mut doc = document::create(&placement()).expect("test value");
    doc.delete(automerge::ROOT, "first_meeting").expect("test value");
    doc.delete(automerge::ROOT, "second_meeting").expect("test value");
    let read: Placement = document::read(&doc).expect("valid");
    assert_eq!(read.first_meeting, AgreedMeeting::default());
    assert_eq!(read.second_meeting, AgreedMeeting::default());
}

#[test]
fn a_visit_must_say_how_it_went_with_a_summary_or_a_status() {
    let mut silent = visit();
    silent.summary = "  ".into();
    silent.status = Status::NotAssessed;
    assert_eq!(problem_at(&silent, "summary"), Problem::Inconsistent(SUMMARY_OR_STATUS));
    let mut status_only = silent.clone();
    status_only.status = Status::Yellow;
    status_only.validate().expect("a status is enough");
    let mut summary_only = silent;
    summary_only.summary = "Alt vel.".into();
    summary_only.validate().expect("a summary is enough");
}

#[test]
fn unanswered_mentor_ratings_are_valid_as_not_assessed() {
    let mut open = feedback();
    (open.attendance, open.punctuality, open.initiative, open.norwegian) =
        (Score::NotAssessed, Score::NotAssessed, Score::NotAssessed, Score::NotAssessed);
    (open.ready_for_next_phase, open.status) = (Readiness::NotAssessed, Status::NotAssessed);
    open.validate().expect("nothing answered is still feedback");
}
