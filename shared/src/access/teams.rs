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

use std::collections::BTreeSet;

use crate::sync::merge::AnyRecord;
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

/// Who the record `id` is for.
pub fn audience(id: DocId, record: &AnyRecord, facts: &impl TeamFacts) -> Audience {
    let of_placement =
        |placement: DocId| facts.participant_of_placement(placement).and_then(|p| facts.team_of_participant(p));
    let teams: BTreeSet<TeamId> = match record {
        AnyRecord::Workplace(_) => return Audience::Everyone,
        AnyRecord::Participant(_) => facts.team_of_participant(id).into_iter().collect(),
        AnyRecord::Placement(placement) => facts.team_of_participant(placement.participant).into_iter().collect(),
        AnyRecord::MentorFeedback(feedback) => of_placement(feedback.placement).into_iter().collect(),
        AnyRecord::Visit(visit) if visit.placements.is_empty() => facts.teams_of_user(&visit.created_by),
        AnyRecord::Visit(visit) => visit.placements.iter().filter_map(|p| of_placement(*p)).collect(),
    };
    Audience::Teams(teams)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

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
}
