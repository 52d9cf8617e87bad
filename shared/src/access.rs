//! Who may read and change which records: the one place that decides.
//!
//! Changes: the server asks [`Actor::may_change`] about every pushed
//! document, with the record as stored before the push and as it would be
//! after it, so a rule holds whatever the client sends; for a session
//! limited to teams, also [`teams::may_write`]. Reads: a session
//! is sent what [`Actor::scope`] says, and [`Scope::admits`] decides for
//! each document; the server's pull queries carry the same rule as SQL
//! (`store::documents::scope_filter`), and an API test holds the two to
//! each other. The phone uses the same rules to hide controls its user may
//! not use, but never relies on them.

pub mod teams;

use std::collections::BTreeSet;

use self::teams::{Audience, TeamId};
use crate::records::{MentorFeedback, RecordKind, Review, ReviewState};
use crate::sync::merge::AnyRecord;
use crate::sync::wire::{Rejection, RejectionCode};
use crate::values::DocId;

/// Whoever is behind a push or a pull.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The server itself, loading demo data or rebuilding: not limited.
    System,
    /// Office staff: read and change everything, including reviews.
    Staff { username: String },
    /// An employment advisor: every record, except the office's review
    /// fields and the mentors' own feedback.
    Advisor { username: String },
    /// A workplace mentor who came in by link: their own feedback on one
    /// placement, and nothing else.
    Mentor { placement: DocId, identity: String },
}

/// A refusal, as the pushing device will see it.
pub(crate) fn forbidden(message: impl Into<String>) -> Rejection {
    Rejection::new(RejectionCode::Forbidden, message)
}

impl Actor {
    /// The name this actor writes into `created_by` of records it creates.
    pub fn identity(&self) -> Option<&str> {
        match self {
            Self::System => None,
            Self::Staff { username } | Self::Advisor { username } => Some(username),
            Self::Mentor { identity, .. } => Some(identity),
        }
    }

    /// Whether this actor may turn `before` (`None`: a new document) into
    /// `after`.
    pub fn may_change(&self, before: Option<&AnyRecord>, after: &AnyRecord) -> Result<(), Rejection> {
        let Some(identity) = self.identity() else { return Ok(()) };
        match before {
            None if after.created_by() != identity => {
                return Err(forbidden(format!("a new record must be created by {identity}")));
            }
            Some(before) if before.created_by() != after.created_by() => {
                return Err(forbidden("a record's creator cannot change"));
            }
            _ => {}
        }
        match self {
            Self::System | Self::Staff { .. } => Ok(()),
            Self::Advisor { .. } => {
                if after.kind() == RecordKind::MentorFeedback && !answers_office(before, after) {
                    return Err(forbidden("mentor feedback is written by the mentor"));
                }
                if review_changed(before, after) && !answers_office(before, after) {
                    return Err(forbidden("only office staff can review a record"));
                }
                Ok(())
            }
            Self::Mentor { placement, identity } => {
                let AnyRecord::MentorFeedback(feedback) = after else {
                    return Err(forbidden("a mentor can only write feedback"));
                };
                if feedback.created_by != *identity {
                    return Err(forbidden("a mentor can only change their own feedback"));
                }
                if feedback.placement != *placement {
                    return Err(forbidden("this link is for another placement"));
                }
                if let Some(AnyRecord::MentorFeedback(old)) = before {
                    if old.placement != *placement {
                        return Err(forbidden("this link is for another placement"));
                    }
                    if old.review.state != ReviewState::Unreviewed {
                        return Err(forbidden("the office has reviewed this feedback; it can no longer be changed"));
                    }
                }
                if review_changed(before, after) {
                    return Err(forbidden("only office staff can review a record"));
                }
                Ok(())
            }
        }
    }

    /// Which documents this actor's sessions are sent, before teams: an
    /// account's teams narrow `All` to [`Scope::Teams`] (the server knows
    /// them, `store::teams::scope_of`).
    pub fn scope(&self) -> Scope {
        match self {
            Self::System | Self::Staff { .. } | Self::Advisor { .. } => Scope::All,
            Self::Mentor { placement, identity } => {
                Scope::MentorFeedback { placement: *placement, created_by: identity.clone() }
            }
        }
    }
}

/// Which documents a session is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every record: staff who see every team, and the server itself.
    All,
    /// The records for these teams ([`teams::audience`]): advisors, and
    /// staff limited to their teams.
    Teams(BTreeSet<TeamId>),
    /// One mentor's feedback on one placement.
    MentorFeedback { placement: DocId, created_by: String },
}

impl Scope {
    /// Whether a document of `kind` that belongs to `placement` (for
    /// feedback), was created by `created_by` and is for `audience` is in
    /// this scope.
    pub fn admits(&self, kind: RecordKind, placement: Option<DocId>, created_by: &str, audience: &Audience) -> bool {
        match self {
            Self::All => true,
            Self::Teams(teams) => audience.reaches(teams),
            Self::MentorFeedback { placement: own, created_by: identity } => {
                kind == RecordKind::MentorFeedback && placement == Some(*own) && created_by == identity
            }
        }
    }
}

/// Whether `after` is the advisor's answer to the office's question on a
/// visit or on mentor feedback: the one review change an advisor may make,
/// from "needs more information" back to "unreviewed" (the office's
/// queue), with who asked and what left as they were. On feedback, which
/// is the mentor's, the answer (`review.answer`) is all that may change.
fn answers_office(before: Option<&AnyRecord>, after: &AnyRecord) -> bool {
    let answered = |old: &Review, new: &Review| {
        old.state == ReviewState::NeedsMoreInfo
            && new.state == ReviewState::Unreviewed
            && old.reviewer == new.reviewer
            && old.reviewer_name == new.reviewer_name
            && old.comment == new.comment
    };
    match (before, after) {
        (Some(AnyRecord::Visit(old)), AnyRecord::Visit(new)) => answered(&old.review, &new.review),
        (Some(AnyRecord::MentorFeedback(old)), AnyRecord::MentorFeedback(new)) => {
            let untouched = MentorFeedback { review: old.review.clone(), ..new.clone() } == *old;
            answered(&old.review, &new.review) && new.review.answer.is_some() && untouched
        }
        _ => false,
    }
}

/// Whether `after`'s office review differs from `before`'s; a new record
/// must start unreviewed.
fn review_changed(before: Option<&AnyRecord>, after: &AnyRecord) -> bool {
    let of = |record: &AnyRecord| match record {
        AnyRecord::Visit(v) => Some(v.review.clone()),
        AnyRecord::MentorFeedback(MentorFeedback { review, .. }) => Some(review.clone()),
        _ => None,
    };
    let was = match before {
        Some(before) => of(before),
        None => of(after).map(|_| Review::unreviewed()),
    };
    was != of(after)
}
