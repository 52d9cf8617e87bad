//! The newest stretch of the change log, kept in memory by the writer.
//!
//! A phone that syncs often is only a few changes behind, and every push
//! answers with what the others pushed meanwhile: with many phones at
//! once, reading those few changes back from SQLite was the biggest cost
//! of a sync after the merge itself. The writer appends each batch here
//! once it is committed, so a pull whose cursor is inside this stretch is
//! answered from memory, and an older cursor reads the log as before.

use std::collections::{HashMap, VecDeque};

use automerge::ChangeHash;
use innom_shared::values::DocId;

use crate::store::documents::LoggedChange;

/// Most changes kept: several seconds of the heaviest load measured,
/// hours of an ordinary day.
const MOST_CHANGES: usize = 16_384;
/// Most bytes of changes kept.
const MOST_BYTES: usize = 32 << 20;

/// The changes after [`RecentChanges::from`], in log order.
#[derive(Debug)]
pub struct RecentChanges {
    /// Every change after this position is in `changes`; `None` while an
    /// erasure runs, when only the log itself is to be trusted.
    from: Option<i64>,
    changes: VecDeque<LoggedChange>,
    bytes: usize,
    /// The newest feed position handed out, by a change or an erasure.
    end: i64,
    /// The feed position of the newest erasure (0 if none).
    last_erasure: i64,
}

impl RecentChanges {
    /// Empty, starting at the log's `end`.
    pub fn new(end: i64, last_erasure: i64) -> Self {
        Self { from: Some(end), changes: VecDeque::new(), bytes: 0, end, last_erasure }
    }

    /// Adds changes just committed, in log order, and forgets the oldest
    /// beyond the bounds.
    pub fn append(&mut self, stored: Vec<LoggedChange>) {
        for change in stored {
            self.end = self.end.max(change.seq);
            self.bytes += change.bytes.len();
            self.changes.push_back(change);
        }
        while self.changes.len() > MOST_CHANGES || self.bytes > MOST_BYTES {
            let Some(oldest) = self.changes.pop_front() else { break };
            self.bytes -= oldest.bytes.len();
            self.from = self.from.map(|from| from.max(oldest.seq));
        }
    }

    /// Up to `limit` changes after `cursor`, each with its document's
    /// current heads (as the log's query gives them), or `None` if the
    /// cursor is older than what is held.
    pub fn after(&self, cursor: i64, limit: usize) -> Option<Vec<LoggedChange>> {
        if self.from? > cursor {
            return None;
        }
        let first = self.changes.partition_point(|change| change.seq <= cursor);
        // A document's heads as of its newest change held, which may be
        // past the `limit` sent now.
        let mut heads: HashMap<DocId, &[ChangeHash]> = HashMap::new();
        for change in self.changes.range(first..) {
            heads.insert(change.doc_id, &change.doc_heads);
        }
        Some(
            self.changes
                .range(first..)
                .take(limit)
                .map(|change| LoggedChange {
                    doc_heads: heads.get(&change.doc_id).map_or_else(Vec::new, |heads| heads.to_vec()),
                    ..change.clone()
                })
                .collect(),
        )
    }

    /// Whether an erasure happened after `cursor`, which the device must
    /// be told of.
    pub fn erased_since(&self, cursor: i64) -> bool {
        self.last_erasure > cursor
    }

    /// Before an erasure: answer nothing from memory until it is done, so
    /// no pull sends a change of a record being erased.
    pub fn pause(&mut self) {
        self.from = None;
        self.changes.clear();
        self.bytes = 0;
    }

    /// After an erasure: empty, starting at its feed position (`None` if it
    /// failed and the log is as it was).
    pub fn resume(&mut self, erasure: Option<i64>) {
        if let Some(seq) = erasure {
            self.end = self.end.max(seq);
            self.last_erasure = seq;
        }
        self.from = Some(self.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(seq: i64, doc: u128, head: u8) -> LoggedChange {
        LoggedChange {
            seq,
            doc_id: DocId(uuid::Uuid::from_u128(doc)),
            bytes: vec![head; 10],
            session_id: Some(1),
            mentor_session_id: None,
            doc_heads: vec![ChangeHash([head; 32])],
        }
    }

    fn seqs(changes: &[LoggedChange]) -> Vec<i64> {
        changes.iter().map(|c| c.seq).collect()
    }

    #[test]
    fn a_cursor_inside_the_stretch_gets_the_changes_after_it_with_current_heads() {
        let mut recent = RecentChanges::new(10, 0);
        recent.append(vec![change(11, 1, 1), change(12, 2, 2), change(13, 1, 3)]);
        let pulled = recent.after(10, 100).expect("held");
        assert_eq!(seqs(&pulled), vec![11, 12, 13]);
        // Document 1's first change carries the heads after its newest.
        assert_eq!(pulled[0].doc_heads, vec![ChangeHash([3; 32])]);
        assert_eq!(seqs(&recent.after(12, 100).expect("held")), vec![13]);
        assert!(recent.after(13, 100).expect("held").is_empty());
        // Cut at the limit, heads still the newest held.
        let first = recent.after(10, 1).expect("held");
        assert_eq!((seqs(&first), first[0].doc_heads.clone()), (vec![11], vec![ChangeHash([3; 32])]));
        // Older than the stretch: the log must answer.
        assert!(recent.after(9, 100).is_none());
    }

    #[test]
    fn the_oldest_changes_are_forgotten_beyond_the_bound() {
        let mut recent = RecentChanges::new(0, 0);
        let many = i64::try_from(MOST_CHANGES).expect("fits") + 5;
        recent.append((1..=many).map(|seq| change(seq, 1, 1)).collect());
        assert!(recent.after(4, 10).is_none());
        assert_eq!(seqs(&recent.after(5, 1).expect("held")), vec![6]);
    }

    #[test]
    fn the_oldest_changes_are_forgotten_beyond_the_bytes_bound() {
        let mut recent = RecentChanges::new(0, 0);
        let big = |seq| LoggedChange { bytes: vec![0; 10 << 20], ..change(seq, 1, 1) };
        recent.append((1..=4).map(big).collect());
        // 40 MiB held is over the bound: the oldest goes.
        assert!(recent.after(0, 10).is_none());
        assert_eq!(seqs(&recent.after(1, 10).expect("held")), vec![2, 3, 4]);
    }

    #[test]
    fn nothing_is_answered_from_memory_while_an_erasure_runs() {
        let mut recent = RecentChanges::new(0, 0);
        recent.append(vec![change(1, 1, 1), change(2, 2, 2)]);
        recent.pause();
        assert!(recent.after(0, 10).is_none());
        assert!(recent.after(2, 10).is_none());
        recent.resume(Some(3));
        assert!(recent.after(2, 10).is_none(), "the erasure itself is read from the log");
        assert!(recent.after(3, 10).expect("held").is_empty());
        assert!(recent.erased_since(2));
        assert!(!recent.erased_since(3));
        // A failed erasure leaves the log as it was.
        recent.pause();
        recent.resume(None);
        assert!(recent.after(3, 10).expect("held").is_empty());
        assert!(recent.erased_since(2));
    }
}
