//! The access rules: who may change and read which records.

use innom_shared::access::Actor;
use innom_shared::access::teams::Audience;
use innom_shared::records::*;
use innom_shared::sync::AnyRecord;
use innom_shared::sync::wire::RejectionCode;
use innom_shared::values::{Date, DocId, Timestamp};

fn id(n: u128) -> DocId {
    DocId(uuid::Uuid::from_u128(n))
}

fn advisor() -> Actor {
    Actor::Advisor { username: "kari".into() }
}

fn staff() -> Actor {
    Actor::Staff { username: "ola".into() }
}

fn mentor(placement: u128, identity: &str) -> Actor {
    Actor::Mentor { placement: id(placement), identity: identity.into() }
}

fn visit(created_by: &str) -> Visit {
    Visit {
        id: id(1),
        kind: RecordKind::Visit,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: created_by.into(),
        visit_type: VisitType::DropIn,
        workplace: id(7),
        placements: vec![id(100)],
        advisor: "kari".into(),
        at: Timestamp(1_764_000_000_000),
        duration_minutes: 10,
        met: "Daglig leder".into(),
        summary: "Alt vel.".into(),
        concerns: vec![],
        follow_ups: vec![],
        job_signal: JobSignal::None,
        status: Status::Green,
        review: Review::unreviewed(),
    }
}

fn feedback(placement: u128, created_by: &str) -> MentorFeedback {
    MentorFeedback {
        id: id(2),
        kind: RecordKind::MentorFeedback,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: created_by.into(),
        placement: id(placement),
        mentor_name: "Lise".into(),
        attendance: Score::Good,
        punctuality: Score::Good,
        initiative: Score::Ok,
        norwegian: Score::Ok,
        tasks_mastered: vec![],
        ready_for_next_phase: Readiness::Unsure,
        going_well: String::new(),
        needs_attention: String::new(),
        contact_me: false,
        status: Status::Green,
        review: Review::unreviewed(),
    }
}

fn placement() -> Placement {
    Placement {
        id: id(100),
        kind: RecordKind::Placement,
        schema_version: SCHEMA_VERSION,
        created_at: Timestamp(1_764_000_000_000),
        created_by: "kari".into(),
        participant: id(50),
        workplace: id(7),
        mentor: Mentor { name: "Lise".into(), phone: "41234567".into() },
        advisor: "kari".into(),
        start: Date::parse("2026-09-01").expect("date"),
        planned_end: Date::parse("2026-12-15").expect("date"),
        ended_on: None,
        status: PlacementStatus::Active,
        phase: 1,
        tasks: vec![],
        first_meeting: AgreedMeeting::default(),
        second_meeting: AgreedMeeting::default(),
        contract_signed: true,
        job_prospect: JobProspect::Possible,
        outcome: None,
        outcome_note: String::new(),
    }
}

fn reviewed(mut review: Review) -> Review {
    review.state = ReviewState::NeedsMoreInfo;
    review.reviewer = Some("ola".into());
    review.comment = "Hvem var til stede?".into();
    review
}

fn refused(result: Result<(), innom_shared::sync::Rejection>) -> String {
    let rejection = result.expect_err("the change must be refused");
    assert_eq!(rejection.code, RejectionCode::Forbidden);
    rejection.message
}

#[test]
fn an_advisor_edits_a_visit_but_not_its_review() {
    let before = AnyRecord::Visit(visit("kari"));
    let mut edited = visit("kari");
    edited.status = Status::Red;
    advisor().may_change(Some(&before), &AnyRecord::Visit(edited.clone())).expect("a field edit");

    edited.review = reviewed(edited.review);
    let message = refused(advisor().may_change(Some(&before), &AnyRecord::Visit(edited)));
    assert!(message.contains("staff"), "{message}");
}

#[test]
fn an_advisor_answers_the_office_by_returning_the_visit_to_unreviewed_and_nothing_more() {
    let mut asked = visit("kari");
    asked.review = reviewed(asked.review);
    let before = AnyRecord::Visit(asked.clone());

    let mut answered = asked.clone();
    answered.met = "Daglig leder".into();
    answered.review.state = ReviewState::Unreviewed;
    advisor().may_change(Some(&before), &AnyRecord::Visit(answered.clone())).expect("the answer");

    // Not marking it reviewed, nor rewriting who asked or what.
    let mut approved = asked.clone();
    approved.review.state = ReviewState::Reviewed;
    refused(advisor().may_change(Some(&before), &AnyRecord::Visit(approved)));
    let mut rewritten = answered.clone();
    rewritten.review.comment = "Alt i orden".into();
    refused(advisor().may_change(Some(&before), &AnyRecord::Visit(rewritten)));
    let mut unnamed = answered;
    unnamed.review.reviewer = None;
    refused(advisor().may_change(Some(&before), &AnyRecord::Visit(unnamed)));
    // And only from "needs more information".
    let plain = AnyRecord::Visit(visit("kari"));
    let mut cleared = visit("kari");
    cleared.review.reviewer = Some("ola".into());
    refused(advisor().may_change(Some(&plain), &AnyRecord::Visit(cleared)));
}

#[test]
fn a_new_visit_from_an_advisor_starts_unreviewed() {
    advisor().may_change(None, &AnyRecord::Visit(visit("kari"))).expect("a new visit");
    let mut sneaky = visit("kari");
    sneaky.review = reviewed(sneaky.review);
    refused(advisor().may_change(None, &AnyRecord::Visit(sneaky)));
}

#[test]
fn staff_review_a_visit_an_advisor_made() {
    let before = AnyRecord::Visit(visit("kari"));
    let mut after = visit("kari");
    after.review = reviewed(after.review);
    staff().may_change(Some(&before), &AnyRecord::Visit(after)).expect("staff review");
}

#[test]
fn a_new_record_names_its_real_creator_and_keeps_it() {
    let message = refused(advisor().may_change(None, &AnyRecord::Visit(visit("ola"))));
    assert!(message.contains("kari"), "{message}");
    let before = AnyRecord::Visit(visit("kari"));
    refused(staff().may_change(Some(&before), &AnyRecord::Visit(visit("ola"))));
    Actor::System.may_change(Some(&before), &AnyRecord::Visit(visit("ola"))).expect("the system is not limited");
}

#[test]
fn an_advisor_cannot_write_mentor_feedback() {
    refused(advisor().may_change(None, &AnyRecord::MentorFeedback(feedback(100, "kari"))));
}

#[test]
fn an_advisor_answers_the_office_on_mentor_feedback_with_the_answer_and_nothing_else() {
    let mut asked = feedback(100, "mentor:1");
    asked.review = reviewed(asked.review);
    asked.review.reviewer_name = Some("Ola Hansen".into());
    let before = AnyRecord::MentorFeedback(asked.clone());

    let mut answered = asked.clone();
    answered.review.state = ReviewState::Unreviewed;
    answered.review.answer = Some("Jeg ringte fadderen i dag.".into());
    advisor().may_change(Some(&before), &AnyRecord::MentorFeedback(answered.clone())).expect("the answer");

    // Not without an answer, not the mentor's words, not who asked.
    let mut silent = answered.clone();
    silent.review.answer = None;
    refused(advisor().may_change(Some(&before), &AnyRecord::MentorFeedback(silent)));
    let mut rewritten = answered.clone();
    rewritten.going_well = "Alt er bra".into();
    refused(advisor().may_change(Some(&before), &AnyRecord::MentorFeedback(rewritten)));
    let mut renamed = answered;
    renamed.review.reviewer_name = Some("Kari".into());
    refused(advisor().may_change(Some(&before), &AnyRecord::MentorFeedback(renamed)));
    // And only to a question: unasked feedback stays the mentor's.
    let plain = AnyRecord::MentorFeedback(feedback(100, "mentor:1"));
    let mut answered_unasked = feedback(100, "mentor:1");
    answered_unasked.review.answer = Some("Hei".into());
    refused(advisor().may_change(Some(&plain), &AnyRecord::MentorFeedback(answered_unasked)));
}

#[test]
fn a_mentor_writes_and_corrects_their_own_feedback() {
    let me = mentor(100, "mentor:1");
    let first = feedback(100, "mentor:1");
    me.may_change(None, &AnyRecord::MentorFeedback(first.clone())).expect("new feedback");
    let mut corrected = first.clone();
    corrected.contact_me = true;
    me.may_change(Some(&AnyRecord::MentorFeedback(first)), &AnyRecord::MentorFeedback(corrected))
        .expect("a correction");
}

#[test]
fn a_mentor_touches_nothing_but_their_own_feedback_on_their_placement() {
    let me = mentor(100, "mentor:1");
    let cases = [
        (None, AnyRecord::Visit(visit("mentor:1"))),
        (Some(AnyRecord::Visit(visit("kari"))), AnyRecord::Visit(visit("kari"))),
        (Some(AnyRecord::Placement(placement())), AnyRecord::Placement(placement())),
        // Feedback on another placement.
        (None, AnyRecord::MentorFeedback(feedback(200, "mentor:1"))),
        // Moving their feedback to another placement, or back.
        (
            Some(AnyRecord::MentorFeedback(feedback(100, "mentor:1"))),
            AnyRecord::MentorFeedback(feedback(200, "mentor:1")),
        ),
        (
            Some(AnyRecord::MentorFeedback(feedback(200, "mentor:1"))),
            AnyRecord::MentorFeedback(feedback(100, "mentor:1")),
        ),
        // Another mentor's feedback on the same placement.
        (
            Some(AnyRecord::MentorFeedback(feedback(100, "mentor:2"))),
            AnyRecord::MentorFeedback(feedback(100, "mentor:2")),
        ),
        (None, AnyRecord::MentorFeedback(feedback(100, "mentor:2"))),
    ];
    for (before, after) in cases {
        refused(me.may_change(before.as_ref(), &after));
    }
}

#[test]
fn a_mentor_cannot_review_or_change_reviewed_feedback() {
    let me = mentor(100, "mentor:1");
    let mut self_reviewed = feedback(100, "mentor:1");
    self_reviewed.review = reviewed(self_reviewed.review);
    refused(me.may_change(None, &AnyRecord::MentorFeedback(self_reviewed.clone())));

    let mut corrected = self_reviewed.clone();
    corrected.going_well = "Alt".into();
    let message =
        refused(me.may_change(Some(&AnyRecord::MentorFeedback(self_reviewed)), &AnyRecord::MentorFeedback(corrected)));
    assert!(message.contains("reviewed"), "{message}");
}

#[test]
fn a_mentor_reads_only_their_own_feedback() {
    let me = mentor(100, "mentor:1");
    assert!(me.scope().admits(RecordKind::MentorFeedback, Some(id(100)), "mentor:1", &Audience::Everyone));
    assert!(!me.scope().admits(RecordKind::MentorFeedback, Some(id(100)), "mentor:2", &Audience::Everyone));
    assert!(!me.scope().admits(RecordKind::MentorFeedback, Some(id(200)), "mentor:1", &Audience::Everyone));
    assert!(!me.scope().admits(RecordKind::Visit, None, "mentor:1", &Audience::Everyone));
    assert!(!me.scope().admits(RecordKind::Placement, Some(id(100)), "kari", &Audience::Everyone));
    for actor in [advisor(), staff()] {
        assert!(actor.scope().admits(RecordKind::Visit, None, "kari", &Audience::Everyone));
        assert!(actor.scope().admits(RecordKind::MentorFeedback, Some(id(100)), "mentor:1", &Audience::Everyone));
    }
}
