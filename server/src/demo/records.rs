//! A small Norwegian demo organisation — workplaces, participants,
//! placements in different phases, visits and mentor feedback — dated
//! relative to the day it is loaded, so it always looks current.

use innom_shared::records::*;
use innom_shared::sync::AnyRecord;
use innom_shared::values::{Date, DocId, OrgNumber, Timestamp};

const DAY_MS: i64 = 86_400_000;

/// A fixed id per demo record, so loading the demo twice finds the same ones.
pub fn demo_id(n: u16) -> DocId {
    DocId(uuid::Uuid::from_u128(0x0000_1000_0000_4000_8000_0000_0000_0000 | u128::from(n)))
}

/// Builds the records around `now`.
struct Demo {
    now: Timestamp,
    today: Date,
}

impl Demo {
    fn day(&self, offset: i64) -> Date {
        Date(self.today.0.saturating_add(time::Duration::days(offset)))
    }

    fn days_ago(&self, days: i64) -> Timestamp {
        Timestamp(self.now.0 - days * DAY_MS)
    }

    #[expect(clippy::too_many_arguments, reason = "one line of demo data per workplace reads best")]
    fn workplace(
        &self,
        n: u16,
        name: &str,
        org: &str,
        address: &str,
        industry: Industry,
        outlook: HiringOutlook,
        peak_months: Vec<u8>,
        notes: [&str; 3],
        contact: [&str; 3],
    ) -> AnyRecord {
        AnyRecord::Workplace(Workplace {
            id: demo_id(n),
            kind: RecordKind::Workplace,
            schema_version: SCHEMA_VERSION,
            created_at: self.days_ago(60),
            created_by: "kari".into(),
            name: name.into(),
            org_number: OrgNumber::parse(org).expect("the demo organisation numbers are valid"),
            address: address.into(),
            industry,
            contacts: vec![Contact {
                id: format!("c{n}"),
                name: contact[0].into(),
                role: contact[1].into(),
                phone: contact[2].into(),
                email: String::new(),
            }],
            mapping: MappingNotes {
                needs: notes[0].into(),
                requirements: notes[1].into(),
                safety_routines: notes[2].into(),
            },
            hiring_outlook: outlook,
            peak_months,
        })
    }

    fn participant(&self, n: u16, name: &str, programme: Programme, goal: Goal, level: LanguageLevel) -> AnyRecord {
        AnyRecord::Participant(Participant {
            id: demo_id(n),
            kind: RecordKind::Participant,
            schema_version: SCHEMA_VERSION,
            created_at: self.days_ago(90),
            created_by: "kari".into(),
            display_name: name.into(),
            programme,
            advisor: "kari".into(),
            goal,
            language_level: level,
        })
    }

    #[expect(clippy::too_many_arguments, reason = "one line of demo data per placement reads best")]
    fn placement(
        &self,
        n: u16,
        participant: u16,
        workplace: u16,
        mentor: [&str; 2],
        days: (i64, i64),
        status: PlacementStatus,
        phase: u8,
        tasks: &[(u8, &str, bool)],
        prospect: JobProspect,
    ) -> AnyRecord {
        AnyRecord::Placement(Placement {
            id: demo_id(n),
            kind: RecordKind::Placement,
            schema_version: SCHEMA_VERSION,
            created_at: self.days_ago(-days.0 + 7),
            created_by: "kari".into(),
            participant: demo_id(participant),
            workplace: demo_id(workplace),
            mentor: Mentor { name: mentor[0].into(), phone: mentor[1].into() },
            advisor: "kari".into(),
            start: self.day(days.0),
            planned_end: self.day(days.1),
            ended_on: (status != PlacementStatus::Active).then(|| self.day(days.1)),
            status,
            phase,
            tasks: tasks
                .iter()
                .enumerate()
                .map(|(i, (phase, text, mastered))| TrainingTask {
                    id: format!("t{}", i + 1),
                    phase: *phase,
                    text: (*text).into(),
                    mastered: *mastered,
                })
                .collect(),
            // Agreed at the start: three weeks in, and three weeks before the end.
            first_meeting: AgreedMeeting { planned: Some(self.day(days.0 + 21)), held: days.0 + 21 < 0 },
            second_meeting: AgreedMeeting { planned: Some(self.day(days.1 - 21)), held: days.1 - 21 < 0 },
            contract_signed: true,
            job_prospect: prospect,
            outcome: (status == PlacementStatus::Hired).then_some(Outcome::Hired),
            outcome_note: String::new(),
        })
    }

    #[expect(clippy::too_many_arguments, reason = "one line of demo data per visit reads best")]
    fn visit(
        &self,
        n: u16,
        workplace: u16,
        placements: &[u16],
        days_ago: i64,
        visit_type: VisitType,
        summary: &str,
        concern: Option<(ConcernTag, &str)>,
        follow_up: Option<(&str, i64, bool)>,
        status: Status,
        signal: JobSignal,
    ) -> AnyRecord {
        AnyRecord::Visit(Visit {
            id: demo_id(n),
            kind: RecordKind::Visit,
            schema_version: SCHEMA_VERSION,
            created_at: self.days_ago(days_ago),
            created_by: "kari".into(),
            visit_type,
            workplace: demo_id(workplace),
            placements: placements.iter().map(|p| demo_id(*p)).collect(),
            advisor: "kari".into(),
            at: self.days_ago(days_ago),
            duration_minutes: 10,
            met: "Fadder og leder".into(),
            summary: summary.into(),
            concerns: concern.into_iter().map(|(tag, note)| Concern { tag, note: note.into() }).collect(),
            follow_ups: follow_up
                .into_iter()
                .map(|(text, due, done)| FollowUp {
                    id: format!("f{n}"),
                    text: text.into(),
                    due: Some(self.day(due)),
                    done,
                })
                .collect(),
            job_signal: signal,
            status,
            review: Review::unreviewed(),
        })
    }

    #[expect(clippy::too_many_arguments, reason = "one line of demo data per feedback reads best")]
    fn feedback(
        &self,
        n: u16,
        placement: u16,
        mentor: &str,
        scores: [Score; 4],
        tasks: &[&str],
        ready: Readiness,
        notes: [&str; 2],
        contact_me: bool,
        status: Status,
    ) -> AnyRecord {
        AnyRecord::MentorFeedback(MentorFeedback {
            id: demo_id(n),
            kind: RecordKind::MentorFeedback,
            schema_version: SCHEMA_VERSION,
            created_at: self.days_ago(2),
            created_by: "mentor:demo".into(),
            placement: demo_id(placement),
            mentor_name: mentor.into(),
            attendance: scores[0],
            punctuality: scores[1],
            initiative: scores[2],
            norwegian: scores[3],
            tasks_mastered: tasks.iter().map(|t| (*t).into()).collect(),
            ready_for_next_phase: ready,
            going_well: notes[0].into(),
            needs_attention: notes[1].into(),
            contact_me,
            status,
            review: Review::unreviewed(),
        })
    }
}

/// Every demo record, dated around `now`.
pub fn all(now: Timestamp) -> Vec<AnyRecord> {
    let today = time::OffsetDateTime::from_unix_timestamp(now.0 / 1000).map_or(time::Date::MIN, |t| t.date());
    let d = Demo { now, today: Date(today) };
    use {HiringOutlook as H, PlacementStatus as P, Score as S};
    let hotel_tasks = [
        (1, "Re senger etter sjekkliste", true),
        (1, "Fylle på tralle", true),
        (2, "Vaske bad på egen hånd", true),
        (2, "Melde fra om skader i rommet", false),
        (3, "Ta ansvar for en etasje", false),
    ];
    vec![
        d.workplace(
            1,
            "Fjordhotellet",
            "987654325",
            "Strandkaien 4, 5013 Bergen",
            Industry::Hotel,
            H::Likely,
            vec![6, 7, 8, 9, 10],
            [
                "Romrengjøring og frokost i høysesongen",
                "Enkel norsk, kan følge sjekkliste",
                "Kjemikaliekurs første uke, verneutstyr på lageret",
            ],
            ["Per Olsen", "housekeeping-sjef", "+47 912 34 567"],
        ),
        d.workplace(
            2,
            "Kiwi Sentrum",
            "876543214",
            "Torgallmenningen 2, 5014 Bergen",
            Industry::Retail,
            H::Possible,
            vec![11, 12],
            ["Varepåfylling og kasse før jul", "Må kunne regne med penger", "Tunge løft: bruk jekketralle"],
            ["Siv Berg", "butikksjef", "+47 934 56 789"],
        ),
        d.workplace(
            3,
            "Solsikken barnehage",
            "998877660",
            "Kirkeveien 12, 5072 Bergen",
            Industry::Kindergarten,
            H::Possible,
            vec![8],
            [
                "Vikarer og assistent på småbarnsavdelingen",
                "Politiattest og god muntlig norsk",
                "Rutiner for levering og henting",
            ],
            ["Hilde Nes", "styrer", "+47 955 11 222"],
        ),
        d.participant(11, "Amina Hassan", Programme::Introduction, Goal::Work, LanguageLevel::A2),
        d.participant(12, "Yonas Tesfaye", Programme::Jobbsjansen, Goal::Work, LanguageLevel::A1),
        d.participant(13, "Olena Kovalenko", Programme::Introduction, Goal::Education, LanguageLevel::B1),
        d.participant(14, "Samir Haddad", Programme::NySjanse, Goal::Work, LanguageLevel::A2),
        d.placement(
            21,
            11,
            1,
            ["Lise Berg", "+47 41 23 45 67"],
            (-60, 40),
            P::Active,
            2,
            &hotel_tasks,
            JobProspect::Likely,
        ),
        d.placement(
            22,
            12,
            2,
            ["Tor Lie", "+47 92 11 22 33"],
            (-30, 75),
            P::Active,
            1,
            &[(1, "Fylle på frukt og grønt", true), (1, "Sjekke datoer", false), (2, "Kasse med veileder", false)],
            JobProspect::Possible,
        ),
        d.placement(
            23,
            13,
            3,
            ["Hilde Nes", "+47 95 51 12 22"],
            (-95, 10),
            P::Active,
            3,
            &[
                (1, "Være med på påkledning", true),
                (2, "Lede samlingsstund", true),
                (3, "Planlegge en aktivitet", false),
            ],
            JobProspect::Possible,
        ),
        d.placement(
            24,
            14,
            1,
            ["Per Olsen", "+47 91 23 45 67"],
            (-260, -80),
            P::Hired,
            3,
            &hotel_tasks,
            JobProspect::Offered,
        ),
        d.visit(
            31,
            1,
            &[21],
            3,
            VisitType::DropIn,
            "Amina jobber selvstendig med rommene. Kommer noen minutter for sent enkelte dager – bussen går sjelden.",
            Some((ConcernTag::Punctuality, "Buss fra Loddefjord")),
            Some(("Finne tidligere bussavgang sammen med Amina", 4, false)),
            Status::Yellow,
            JobSignal::Strong,
        ),
        d.visit(
            32,
            2,
            &[22],
            16,
            VisitType::FollowUpMeeting,
            "Første oppfølgingsmøte. Yonas er blid og punktlig, men sier lite til kundene.",
            Some((ConcernTag::Language, "Øve på faste fraser i kassen")),
            Some(("Sende fraseliste til fadder", -10, true)),
            Status::Green,
            JobSignal::Possible,
        ),
        d.visit(
            33,
            3,
            &[23],
            8,
            VisitType::DropIn,
            "Styreren ønsker å snakke om vikariat etter praksisperioden.",
            None,
            Some(("Avtale møte om vikariat", -1, false)),
            Status::Green,
            JobSignal::Strong,
        ),
        d.visit(
            34,
            1,
            &[],
            70,
            VisitType::MappingVisit,
            "Kartlegging: behov for romrengjøring mai–oktober, mulighet for fast deltid.",
            None,
            None,
            Status::Green,
            JobSignal::Possible,
        ),
        d.feedback(
            41,
            21,
            "Lise Berg",
            [S::Good, S::Ok, S::Good, S::Ok],
            &["t3"],
            Readiness::Yes,
            ["Grundig og rask", "Litt sen om morgenen"],
            false,
            Status::Green,
        ),
        d.feedback(
            42,
            22,
            "Tor Lie",
            [S::Good, S::Good, S::NeedsWork, S::NeedsWork],
            &[],
            Readiness::NotYet,
            ["Alltid presis", "Spør lite når han er usikker"],
            true,
            Status::Yellow,
        ),
    ]
}

/// The records of the demo's second team: Siri's participant, placed at a
/// workplace Kari's team uses too (the employer register is shared), and
/// her visit.
pub fn second_team(now: Timestamp) -> Vec<AnyRecord> {
    let today = time::OffsetDateTime::from_unix_timestamp(now.0 / 1000).map_or(time::Date::MIN, |t| t.date());
    let d = Demo { now, today: Date(today) };
    let records = vec![
        d.participant(15, "Daniel Haile", Programme::Jobbsjansen, Goal::Work, LanguageLevel::A2),
        d.placement(
            25,
            15,
            3,
            ["Hilde Nes", "+47 95 51 12 22"],
            (-20, 70),
            PlacementStatus::Active,
            1,
            &[(1, "Rydde lekerom", true), (2, "Være med på utetid", false)],
            JobProspect::Possible,
        ),
        d.visit(
            35,
            3,
            &[25],
            5,
            VisitType::DropIn,
            "Daniel har kommet godt i gang og blir godt likt av barna.",
            None,
            None,
            Status::Green,
            JobSignal::Possible,
        ),
    ];
    records.into_iter().map(|record| made_by(record, "siri")).collect()
}

/// `record` as made by `advisor`, who also follows it up.
fn made_by(record: AnyRecord, advisor: &str) -> AnyRecord {
    match record {
        AnyRecord::Participant(p) => {
            AnyRecord::Participant(Participant { created_by: advisor.into(), advisor: advisor.into(), ..p })
        }
        AnyRecord::Placement(p) => {
            AnyRecord::Placement(Placement { created_by: advisor.into(), advisor: advisor.into(), ..p })
        }
        AnyRecord::Visit(v) => AnyRecord::Visit(Visit { created_by: advisor.into(), advisor: advisor.into(), ..v }),
        other => other,
    }
}
