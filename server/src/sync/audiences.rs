//! Who each record is for (the view `document_teams`), remembered: a team
//! session's pull asks it for every record in its page, and the view's
//! lookups, though each is a few index searches, add up to more than the
//! rest of a sync.
//!
//! A record's audience changes only when the office hands a participant
//! over or moves someone between teams, or when a stored record comes to
//! concern other teams (the writer's `RegroupedRecords`). Each of those
//! forgets everything and moves the generation on; an answer read from the
//! database is remembered only if no such change came while it was read.

use std::collections::HashMap;

use innom_shared::values::DocId;

/// Records remembered before the cache starts over.
const CAPACITY: usize = 500_000;

/// A record's rows of `document_teams`: a team id each, `None` for everyone.
pub type Audience = Vec<Option<i64>>;

#[derive(Debug, Default)]
pub struct AudienceCache {
    generation: u64,
    known: HashMap<DocId, Audience>,
}

impl AudienceCache {
    /// The remembered audiences of `ids`, the ids not remembered, and the
    /// generation to hand back to [`Self::remember`].
    pub fn lookup(&self, ids: &[DocId]) -> (HashMap<DocId, Audience>, Vec<DocId>, u64) {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for id in ids {
            match self.known.get(id) {
                Some(audience) => {
                    found.insert(*id, audience.clone());
                }
                None => missing.push(*id),
            }
        }
        (found, missing, self.generation)
    }

    /// Remembers audiences read from the database while `generation` was
    /// current; an answer read across a change is dropped.
    pub fn remember(&mut self, generation: u64, read: &HashMap<DocId, Audience>) {
        if generation != self.generation {
            return;
        }
        if self.known.len() + read.len() > CAPACITY {
            self.known.clear();
        }
        self.known.extend(read.iter().map(|(id, audience)| (*id, audience.clone())));
    }

    /// Some audiences may have changed: forget them all.
    pub fn forget_all(&mut self) {
        self.generation += 1;
        self.known.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> DocId {
        DocId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn an_answer_read_across_a_change_is_not_remembered() {
        let mut cache = AudienceCache::default();
        let (_, missing, generation) = cache.lookup(&[id(1)]);
        assert_eq!(missing, [id(1)]);
        cache.forget_all();
        cache.remember(generation, &HashMap::from([(id(1), vec![Some(1)])]));
        assert_eq!(cache.lookup(&[id(1)]).1, [id(1)], "read before the change: dropped");

        let (_, _, generation) = cache.lookup(&[id(1)]);
        cache.remember(generation, &HashMap::from([(id(1), vec![Some(2)])]));
        let (found, missing, _) = cache.lookup(&[id(1), id(2)]);
        assert_eq!((found[&id(1)].clone(), missing), (vec![Some(2)], vec![id(2)]));
        cache.forget_all();
        assert_eq!(cache.lookup(&[id(1)]).1, [id(1)]);
    }
}
