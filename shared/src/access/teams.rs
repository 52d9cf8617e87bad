//! Need to know: which teams' people a record is for. A workplace is for
//! everyone (the employer register is shared); a participant is for their
//! team; a placement, a visit about placements and mentor feedback are for
//! the teams of the participants they concern; a visit about no placement
//! is for the teams of the advisor who made it. A record whose participant
//! the server does not know (yet) is for no team: only staff who see every
//! team see it.
//!
//! The server's table image of this rule is the view `document_teams`
//! (migration 0014); an API property test holds the two to each other.

use std::collections::{BTreeSet, HashMap};

use super::forbidden;
use crate::sync::merge::AnyRecord;
use crate::sync::wire::Rejection;
use crate::values::DocId;

/// A team, by its id in the server's `teams` table.
pub type TeamId = i64;

/// Who a record is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every team: workplaces.
    Everyone,
    /// These teams (possibly none).
    Teams(BTreeSet<TeamId>),
}

impl Audience {
    /// Whether someone in `teams` needs to know this record.
    pub fn reaches(&self, teams: &BTreeSet<TeamId>) -> bool {
        match self {
            Self::Everyone => true,
            Self::Teams(own) => !own.is_disjoint(teams),
        }
    }
}

/// What the rule needs beyond the record: kept by the server beside the
/// documents (teams, memberships, each participant's team) and in its
/// query tables (each placement's participant).
pub trait TeamFacts {
    /// The team a participant belongs to.
    fn team_of_participant(&self, participant: DocId) -> Option<TeamId>;
    /// The participant a placement is for.
    fn participant_of_placement(&self, placement: DocId) -> Option<DocId>;
    /// The teams of the user with this username.
    fn teams_of_user(&self, username: &str) -> BTreeSet<TeamId>;
}

/// What a record's audience turns on, read from the record alone: the
/// rest ([`TeamFacts`]) changes with handovers and memberships.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Concerns {
    /// A workplace: everyone.
    Everyone,
    /// A participant (itself) or a placement (its participant).
    Participant(DocId),
    /// A visit about placements, or mentor feedback (one placement).
    Placements(Vec<DocId>),
    /// A visit about no placement: made by this user.
    MadeBy(String),
}

impl Concerns {
    /// What the record `id` concerns.
    pub fn of(id: DocId, record: &AnyRecord) -> Self {
        match record {
            AnyRecord::Workplace(_) => Self::Everyone,
            AnyRecord::Participant(_) => Self::Participant(id),
            AnyRecord::Placement(placement) => Self::Participant(placement.participant),
            AnyRecord::MentorFeedback(feedback) => Self::Placements(vec![feedback.placement]),
            AnyRecord::Visit(visit) if visit.placements.is_empty() => Self::MadeBy(visit.created_by.clone()),
            AnyRecord::Visit(visit) => Self::Placements(visit.placements.clone()),
        }
    }

    /// Who a record that concerns this is for.
    pub fn audience(&self, facts: &impl TeamFacts) -> Audience {
        let teams: BTreeSet<TeamId> = match self {
            Self::Everyone => return Audience::Everyone,
            Self::Participant(participant) => facts.team_of_participant(*participant).into_iter().collect(),
            Self::Placements(placements) => placements.iter().filter_map(|p| team_of_placement(*p, facts)).collect(),
            Self::MadeBy(username) => facts.teams_of_user(username),
        };
        Audience::Teams(teams)
    }
}

fn team_of_placement(placement: DocId, facts: &impl TeamFacts) -> Option<TeamId> {
    facts.participant_of_placement(placement).and_then(|p| facts.team_of_participant(p))
}

/// Who the record `id` is for.
pub fn audience(id: DocId, record: &AnyRecord, facts: &impl TeamFacts) -> Audience {
    Concerns::of(id, record).audience(facts)
}

/// Who writes, for [`may_write`].
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    /// The teams they work in.
    pub teams: &'a BTreeSet<TeamId>,
    /// Their username (`created_by` of what they make).
    pub username: &'a str,
    /// Their device has yet to be sent a changed scope: what it made
    /// offline was made under the old one.
    pub stale_view: bool,
}

/// Whether `writer` may turn `before` (`None`: a new record) into
/// `after`: the record must not be for other teams only before (unless
/// the writer made it: an edit made offline before a handover still
/// reaches the server), and what it comes to name anew (a placement's
/// participant, a visit's placements) must not be another team's (unless
/// it is a new record from a device not yet told of a changed scope: a
/// visit recorded offline before a handover). A participant or placement
/// the server does not know (yet) is no team's: naming it reveals nothing
/// and takes nothing from anyone. A new participant joins its maker's
/// first team, so its maker needs a team.
pub fn may_write(
    writer: &Writer<'_>,
    id: DocId,
    before: Option<&AnyRecord>,
    after: &AnyRecord,
    facts: &impl TeamFacts,
) -> Result<(), Rejection> {
    let teams = writer.teams;
    let others_only = |audience: Audience| match audience {
        Audience::Everyone => false,
        Audience::Teams(own) => !own.is_empty() && own.is_disjoint(teams),
    };
    if let Some(before) = before
        && before.created_by() != writer.username
        && others_only(audience(id, before, facts))
    {
        return Err(forbidden("this record is about another team's participant"));
    }
    let new_participant = before.is_none() && matches!(after, AnyRecord::Participant(_));
    if new_participant && teams.is_empty() && facts.team_of_participant(id).is_none() {
        return Err(forbidden("you are in no team, and a new participant must belong to one of yours"));
    }
    if before.is_none() && writer.stale_view {
        return Ok(());
    }
    let was = before.map(|before| Concerns::of(id, before));
    match Concerns::of(id, after) {
        Concerns::Participant(p)
            if was != Some(Concerns::Participant(p)) && others_only(Concerns::Participant(p).audience(facts)) =>
        {
            Err(forbidden("this participant belongs to another team"))
        }
        Concerns::Placements(now) => {
            let named_before = |p: &DocId| matches!(&was, Some(Concerns::Placements(old)) if old.contains(p));
            let others = now.iter().filter(|p| !named_before(p)).any(|p| others_only(placement_audience(*p, facts)));
            if others { Err(forbidden("a placement named here is another team's participant's")) } else { Ok(()) }
        }
        _ => Ok(()),
    }
}

fn placement_audience(placement: DocId, facts: &impl TeamFacts) -> Audience {
    Audience::Teams(team_of_placement(placement, facts).into_iter().collect())
}

/// The facts of [`TeamFacts`] and what every stored record concerns, kept
/// in memory by the server: a pull asks who each change in its page is
/// for, and a push what its records name, without a query. The writer
/// notes each record as it stores it ([`Self::note`]); the team facts are
/// read anew from the database after a handover or a membership change
/// ([`Self::set_teams`]).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    participant_team: HashMap<DocId, TeamId>,
    placement_participant: HashMap<DocId, DocId>,
    user_teams: HashMap<String, BTreeSet<TeamId>>,
    first_team: Option<TeamId>,
    concerns: HashMap<DocId, Concerns>,
}

impl TeamFacts for Directory {
    fn team_of_participant(&self, participant: DocId) -> Option<TeamId> {
        self.participant_team.get(&participant).copied()
    }
    fn participant_of_placement(&self, placement: DocId) -> Option<DocId> {
        self.placement_participant.get(&placement).copied()
    }
    fn teams_of_user(&self, username: &str) -> BTreeSet<TeamId> {
        self.user_teams.get(username).cloned().unwrap_or_default()
    }
}

impl Directory {
    /// Replaces the team facts: each participant's team, each user's
    /// teams, and the first team (where a participant made by no team's
    /// member goes).
    pub fn set_teams(
        &mut self,
        participant_team: HashMap<DocId, TeamId>,
        user_teams: HashMap<String, BTreeSet<TeamId>>,
        first_team: Option<TeamId>,
    ) {
        (self.participant_team, self.user_teams, self.first_team) = (participant_team, user_teams, first_team);
    }

    /// Takes `other`'s team facts in place of these (the records' stay).
    pub fn take_teams_from(&mut self, other: Directory) {
        self.set_teams(other.participant_team, other.user_teams, other.first_team);
    }

    /// A stored record (made or changed by `maker`, `None`: the server
    /// itself): what it concerns, a placement's participant, and a new
    /// participant's team, chosen as the server's `participant_teams`
    /// chooses it (the maker's first team, else the first team).
    pub fn note(&mut self, id: DocId, record: &AnyRecord, maker: Option<&str>) {
        let concerns = Concerns::of(id, record);
        match (record, &concerns) {
            (AnyRecord::Placement(_), Concerns::Participant(participant)) => {
                self.placement_participant.insert(id, *participant);
            }
            (AnyRecord::Participant(_), _) if !self.participant_team.contains_key(&id) => {
                let own = maker.and_then(|m| self.user_teams.get(m)).and_then(|t| t.first().copied());
                if let Some(team) = own.or(self.first_team) {
                    self.participant_team.insert(id, team);
                }
            }
            _ => {}
        }
        self.concerns.insert(id, concerns);
    }

    /// A stored record's concerns as the server's tables hold them (at
    /// start); a placement's also gives its participant.
    pub fn load(&mut self, id: DocId, concerns: Concerns, is_placement: bool) {
        if let (true, Concerns::Participant(participant)) = (is_placement, &concerns) {
            self.placement_participant.insert(id, *participant);
        }
        self.concerns.insert(id, concerns);
    }

    /// Forgets erased records.
    pub fn forget(&mut self, ids: &[DocId]) {
        for id in ids {
            self.concerns.remove(id);
            self.placement_participant.remove(id);
            self.participant_team.remove(id);
        }
    }

    /// The participants the stored record `id` is about: itself, a
    /// placement's participant, those of a visit's or feedback's placements
    /// (none for a workplace or a visit about no placement).
    /// Only participants the server holds are named.
    pub fn participants_of(&self, id: DocId) -> Vec<DocId> {
        let participants = match self.concerns.get(&id) {
            Some(Concerns::Participant(participant)) => vec![*participant],
            Some(Concerns::Placements(placements)) => {
                placements.iter().filter_map(|p| self.participant_of_placement(*p)).collect()
            }
            Some(Concerns::Everyone | Concerns::MadeBy(_)) | None => Vec::new(),
        };
        participants.into_iter().filter(|p| self.participant_team.contains_key(p)).collect()
    }

    /// Who the stored record `id` is for (`None`: no such record).
    pub fn audience_of(&self, id: DocId) -> Option<Audience> {
        self.concerns.get(&id).map(|concerns| concerns.audience(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{feedback, participant, placement, visit, workplace};
    use crate::records::Visit;

    fn id(n: u128) -> DocId {
        DocId(uuid::Uuid::from_u128(n))
    }

    #[derive(Default)]
    struct World {
        participant_team: HashMap<DocId, TeamId>,
        placement_participant: HashMap<DocId, DocId>,
        user_teams: HashMap<String, BTreeSet<TeamId>>,
    }

    impl TeamFacts for World {
        fn team_of_participant(&self, participant: DocId) -> Option<TeamId> {
            self.participant_team.get(&participant).copied()
        }
        fn participant_of_placement(&self, placement: DocId) -> Option<DocId> {
            self.placement_participant.get(&placement).copied()
        }
        fn teams_of_user(&self, username: &str) -> BTreeSet<TeamId> {
            self.user_teams.get(username).cloned().unwrap_or_default()
        }
    }

    fn teams(ids: &[TeamId]) -> Audience {
        Audience::Teams(ids.iter().copied().collect())
    }

    #[test]
    fn each_kind_of_record_is_for_the_teams_of_the_participants_it_concerns() {
        let mut world = World::default();
        world.participant_team.extend([(id(1), 10), (id(2), 20)]);
        world.placement_participant.extend([(id(11), id(1)), (id(12), id(2))]);
        world.user_teams.insert(visit(id(0)).created_by, [30].into());

        assert_eq!(audience(id(5), &workplace(id(5)).into(), &world), Audience::Everyone);
        assert_eq!(audience(id(1), &participant(id(1)).into(), &world), teams(&[10]));
        assert_eq!(audience(id(11), &placement(id(11), id(1), id(5), "2030-01-01").into(), &world), teams(&[10]));
        let both = Visit { placements: vec![id(11), id(12)], ..visit(id(21)) };
        assert_eq!(audience(id(21), &both.into(), &world), teams(&[10, 20]), "a visit at two teams' placements");
        let about_none = Visit { placements: vec![], ..visit(id(22)) };
        assert_eq!(audience(id(22), &about_none.into(), &world), teams(&[30]), "its advisor's teams");
        assert_eq!(audience(id(31), &feedback(id(31), id(12), "mentor-1").into(), &world), teams(&[20]));
        // A placement whose participant is not known reaches no team.
        let stray = Visit { placements: vec![id(99)], ..visit(id(23)) };
        assert_eq!(audience(id(23), &stray.into(), &world), teams(&[]));
        assert!(!teams(&[]).reaches(&[10].into()));
        assert!(Audience::Everyone.reaches(&BTreeSet::new()));
    }

    /// Team 10 is the writer's; Amina (1, placement 11) is in it, Yonas
    /// (2, placement 12) in team 20.
    fn two_teams() -> World {
        let mut world = World::default();
        world.participant_team.extend([(id(1), 10), (id(2), 20)]);
        world.placement_participant.extend([(id(11), id(1)), (id(12), id(2))]);
        world
    }

    #[test]
    fn a_writer_may_not_touch_or_name_another_teams_participants() {
        let world = two_teams();
        let own: BTreeSet<TeamId> = [10].into();
        let someone = Writer { teams: &own, username: "someone-else", stale_view: false };
        let write = |id: DocId, before: Option<AnyRecord>, after: AnyRecord| {
            may_write(&someone, id, before.as_ref(), &after, &world).map_err(|r| r.message)
        };
        let visit_about = |placements: Vec<DocId>| AnyRecord::from(Visit { placements, ..visit(id(21)) });

        assert!(write(id(13), None, placement(id(13), id(1), id(5), "2030-01-01").into()).is_ok());
        assert!(write(id(13), None, placement(id(13), id(2), id(5), "2030-01-01").into()).is_err(), "Yonas");
        assert!(write(id(13), None, placement(id(13), id(3), id(5), "2030-01-01").into()).is_ok(), "not known yet");
        assert!(write(id(21), None, visit_about(vec![id(11)])).is_ok());
        assert!(write(id(21), None, visit_about(vec![id(11), id(12)])).is_err(), "naming Yonas' placement");
        // A visit about both teams' placements: the writer may edit it,
        // but not add the other team's placement to their own.
        assert!(write(id(21), Some(visit_about(vec![id(11), id(12)])), visit_about(vec![id(12), id(11)])).is_ok());
        assert!(write(id(21), Some(visit_about(vec![id(11)])), visit_about(vec![id(11), id(12)])).is_err());
        assert!(write(id(21), Some(visit_about(vec![id(12)])), visit_about(vec![id(12)])).is_err(), "Yonas' visit");
        assert!(write(id(2), Some(participant(id(2)).into()), participant(id(2)).into()).is_err());
        let moved = placement(id(11), id(2), id(5), "2030-01-01");
        let was = placement(id(11), id(1), id(5), "2030-01-01");
        assert!(write(id(11), Some(was.into()), moved.into()).is_err(), "a placement moved to Yonas");
        assert!(write(id(5), Some(workplace(id(5)).into()), workplace(id(5)).into()).is_ok());

        // Who made a record may still change it (an edit made offline
        // before a handover), but not make it name another team's.
        let made = visit(id(22)).created_by;
        let maker = Writer { username: &made, ..someone };
        let mine = |placements| AnyRecord::from(Visit { placements, ..visit(id(22)) });
        assert!(may_write(&maker, id(22), Some(&mine(vec![id(12)])), &mine(vec![id(12)]), &world).is_ok());
        assert!(may_write(&maker, id(22), Some(&mine(vec![id(11)])), &mine(vec![id(11), id(12)]), &world).is_err());
        // A visit recorded offline before a handover, from a device not
        // yet told: it may name what was its team's then.
        let stale = Writer { stale_view: true, ..maker };
        assert!(may_write(&stale, id(23), None, &mine(vec![id(12)]), &world).is_ok());
        assert!(may_write(&stale, id(22), Some(&mine(vec![id(11)])), &mine(vec![id(11), id(12)]), &world).is_err());
        // A new participant joins its maker's team, so they need one.
        let none = BTreeSet::new();
        assert!(may_write(&Writer { teams: &none, ..maker }, id(3), None, &participant(id(3)).into(), &world).is_err());
        assert!(may_write(&maker, id(3), None, &participant(id(3)).into(), &world).is_ok());
    }

    #[test]
    fn the_directory_places_a_new_participant_as_the_server_does() {
        let mut directory = Directory::default();
        directory.set_teams(HashMap::new(), [("kari".to_owned(), BTreeSet::from([7, 3]))].into(), Some(1));
        directory.note(id(1), &participant(id(1)).into(), Some("kari"));
        directory.note(id(2), &participant(id(2)).into(), None);
        directory.note(id(11), &placement(id(11), id(1), id(5), "2030-01-01").into(), Some("kari"));
        assert_eq!(directory.audience_of(id(1)), Some(teams(&[3])), "the maker's first team");
        assert_eq!(directory.audience_of(id(2)), Some(teams(&[1])), "the server's: the first team");
        assert_eq!(directory.audience_of(id(11)), Some(teams(&[3])));
        assert_eq!(directory.audience_of(id(99)), None);
        assert_eq!(directory.participants_of(id(11)), vec![id(1)]);
        directory.forget(&[id(11)]);
        assert_eq!(directory.audience_of(id(11)), None);
    }
}
