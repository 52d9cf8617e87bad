//! Any valid record survives record → document → bytes → document → record
//! unchanged.

use innom_shared::document;
use innom_shared::records::*;
use innom_shared::validation::limits;
use innom_shared::values::{Date, DocId, OrgNumber, Timestamp};
use proptest::prelude::*;
use proptest::sample::select;

fn id() -> impl Strategy<Value = DocId> {
    any::<u128>().prop_map(|n| DocId(uuid::Uuid::from_u128(n)))
}

/// Printable text, Norwegian letters and line breaks included.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-zA-ZæøåÆØÅ0-9 .,;:!?'\"\\n-]{{0,{max}}}")).expect("regex")
}

fn required(max: usize) -> impl Strategy<Value = String> {
    (proptest::string::string_regex("[a-zA-ZæøåÆØÅ]").expect("regex"), text(max - 1))
        .prop_map(|(first, rest)| first + &rest)
}

fn date() -> impl Strategy<Value = Date> {
    // From 2000 to about 2100.
    (2_451_545i32..2_488_070).prop_map(|jd| Date(time::Date::from_julian_day(jd).expect("in range")))
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (0i64..4_000_000_000_000).prop_map(Timestamp)
}

fn org_number() -> impl Strategy<Value = OrgNumber> {
    (0u32..100_000_000).prop_filter_map("check digit would be 10", |body| {
        let body = format!("{body:08}");
        (0..10).find_map(|check| OrgNumber::parse(&format!("{body}{check}")).ok())
    })
}

fn phone() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "(\\+47 )?[0-9]{8}"]
}

fn header() -> impl Strategy<Value = (DocId, Timestamp, String)> {
    (id(), timestamp(), required(30))
}

fn contact() -> impl Strategy<Value = Contact> {
    (
        required(20),
        required(limits::NAME),
        text(30),
        phone(),
        prop_oneof![Just(String::new()), "[a-z]{1,8}@[a-z]{1,8}\\.no"],
    )
        .prop_map(|(id, name, role, phone, email)| Contact { id, name, role, phone, email })
}

fn workplace() -> impl Strategy<Value = Workplace> {
    (
        header(),
        required(limits::NAME),
        org_number(),
        text(60),
        select(Industry::ALL),
        proptest::collection::vec(contact(), 0..4),
        (text(200), text(200), text(200)),
        select(HiringOutlook::ALL),
        proptest::sample::subsequence((1u8..=12).collect::<Vec<_>>(), 0..12),
    )
        .prop_map(
            |(
                (id, created_at, created_by),
                name,
                org_number,
                address,
                industry,
                mut contacts,
                mapping,
                hiring_outlook,
                peak_months,
            )| {
                for (i, c) in contacts.iter_mut().enumerate() {
                    c.id = format!("{}-{i}", c.id);
                }
                Workplace {
                    id,
                    kind: RecordKind::Workplace,
                    schema_version: SCHEMA_VERSION,
                    created_at,
                    created_by,
                    name,
                    org_number,
                    address,
                    industry,
                    contacts,
                    mapping: MappingNotes { needs: mapping.0, requirements: mapping.1, safety_routines: mapping.2 },
                    hiring_outlook,
                    peak_months,
                }
            },
        )
}

fn participant() -> impl Strategy<Value = Participant> {
    (header(), required(60), select(Programme::ALL), required(20), select(Goal::ALL), select(LanguageLevel::ALL))
        .prop_map(|((id, created_at, created_by), display_name, programme, advisor, goal, language_level)| {
            Participant {
                id,
                kind: RecordKind::Participant,
                schema_version: SCHEMA_VERSION,
                created_at,
                created_by,
                display_name,
                programme,
                advisor,
                goal,
                language_level,
            }
        })
}

fn placement() -> impl Strategy<Value = Placement> {
    let tasks = proptest::collection::vec((1u8..=3, required(80), any::<bool>()), 0..8);
    // A meeting is only held once it has a date.
    let meeting = || {
        (proptest::option::of(date()), any::<bool>())
            .prop_map(|(planned, held)| AgreedMeeting { planned, held: held && planned.is_some() })
    };
    let ending =
        prop_oneof![
            Just((PlacementStatus::Planned, None, String::new())),
            Just((PlacementStatus::Active, None, String::new())),
            (select(&[Outcome::Education, Outcome::NoJob, Outcome::OtherPlacement][..]), text(40))
                .prop_map(|(o, n)| (PlacementStatus::Completed, Some(o), n)),
            required(40).prop_map(|n| (PlacementStatus::EndedEarly, Some(Outcome::EndedEarly), n)),
            Just((PlacementStatus::Hired, Some(Outcome::Hired), String::new())),
        ];
    (
        header(),
        (id(), id()),
        (text(40), phone()),
        required(20),
        date(),
        0i64..400,
        1u8..=3,
        tasks,
        any::<bool>(),
        select(JobProspect::ALL),
        ending,
        (meeting(), meeting()),
    )
        .prop_map(
            |(
                (id, created_at, created_by),
                (participant, workplace),
                (mentor_name, mentor_phone),
                advisor,
                start,
                days,
                phase,
                tasks,
                contract_signed,
                job_prospect,
                (status, outcome, outcome_note),
                (first_meeting, second_meeting),
            )| Placement {
                id,
                kind: RecordKind::Placement,
                schema_version: SCHEMA_VERSION,
                created_at,
                created_by,
                participant,
                workplace,
                mentor: Mentor { name: mentor_name, phone: mentor_phone },
                advisor,
                start,
                planned_end: Date(start.0 + time::Duration::days(days)),
                ended_on: outcome.is_some().then_some(Date(start.0 + time::Duration::days(days))),
                status,
                phase,
                tasks: tasks
                    .into_iter()
                    .enumerate()
                    .map(|(i, (phase, text, mastered))| TrainingTask { id: format!("task-{i}"), phase, text, mastered })
                    .collect(),
                first_meeting,
                second_meeting,
                contract_signed,
                job_prospect,
                outcome,
                outcome_note,
            },
        )
}

fn review() -> impl Strategy<Value = Review> {
    (select(ReviewState::ALL), required(20), text(100), proptest::option::of(required(100))).prop_map(
        |(state, reviewer, comment, answer)| Review {
            state,
            reviewer_name: (state != ReviewState::Unreviewed).then(|| format!("{reviewer} Hansen")),
            reviewer: (state != ReviewState::Unreviewed).then_some(reviewer),
            comment,
            answer,
        },
    )
}

fn visit() -> impl Strategy<Value = Visit> {
    let follow_ups = proptest::collection::vec((required(80), proptest::option::of(date()), any::<bool>()), 0..5);
    let concerns = proptest::sample::subsequence(ConcernTag::ALL.to_vec(), 0..4);
    (
        header(),
        (select(VisitType::ALL), id(), proptest::collection::hash_set(id(), 0..4)),
        (required(20), timestamp(), 1u32..=720, text(40)),
        text(1_000),
        (concerns, text(40)),
        follow_ups,
        (select(JobSignal::ALL), select(Status::ALL), review()),
    )
        .prop_map(
            |(
                (id, created_at, created_by),
                (visit_type, workplace, placements),
                (advisor, at, duration_minutes, met),
                summary,
                (tags, note),
                follow_ups,
                (job_signal, status, review),
            )| Visit {
                id,
                kind: RecordKind::Visit,
                schema_version: SCHEMA_VERSION,
                created_at,
                created_by,
                visit_type,
                workplace,
                placements: placements.into_iter().collect(),
                advisor,
                at,
                duration_minutes,
                met,
                summary: summary.into(),
                concerns: tags.into_iter().map(|tag| Concern { tag, note: note.clone() }).collect(),
                follow_ups: follow_ups
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, due, done))| FollowUp { id: format!("f{i}"), text, due, done })
                    .collect(),
                job_signal,
                status,
                review,
            },
        )
}

fn feedback() -> impl Strategy<Value = MentorFeedback> {
    let score = || select(Score::ALL);
    (
        header(),
        (id(), required(40)),
        (score(), score(), score(), score()),
        proptest::collection::hash_set("[a-z0-9-]{1,12}", 0..5),
        select(Readiness::ALL),
        (text(200), text(200), any::<bool>(), select(Status::ALL)),
        review(),
    )
        .prop_map(
            |(
                (id, created_at, created_by),
                (placement, mentor_name),
                (attendance, punctuality, initiative, norwegian),
                tasks,
                ready_for_next_phase,
                (going_well, needs_attention, contact_me, status),
                review,
            )| MentorFeedback {
                id,
                kind: RecordKind::MentorFeedback,
                schema_version: SCHEMA_VERSION,
                created_at,
                created_by,
                placement,
                mentor_name,
                attendance,
                punctuality,
                initiative,
                norwegian,
                tasks_mastered: tasks.into_iter().collect(),
                ready_for_next_phase,
                going_well,
                needs_attention,
                contact_me,
                status,
                review,
            },
        )
}

/// record → document → bytes → document → record.
fn round_trip<R: Record>(record: &R) -> Result<(), TestCaseError> {
    prop_assert_eq!(record.validate(), Ok(()), "the generator made an invalid record");
    let mut doc = document::create(record).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let bytes = doc.save();
    let (_, back) = document::load::<R>(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, record);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn workplaces_survive_the_round_trip(record in workplace()) { round_trip(&record)?; }

    #[test]
    fn participants_survive_the_round_trip(record in participant()) { round_trip(&record)?; }

    #[test]
    fn placements_survive_the_round_trip(record in placement()) { round_trip(&record)?; }

    #[test]
    fn visits_survive_the_round_trip(record in visit()) { round_trip(&record)?; }

    #[test]
    fn mentor_feedback_survives_the_round_trip(record in feedback()) { round_trip(&record)?; }
}
