//! What the advisor's home page reminds her of, worked out from the records
//! on the phone: running placements nobody has visited for a while, and
//! those ending soon. Pure, so the phone and the tests run the same code.

use crate::records::PlacementStatus;
use crate::sorting;
use crate::sync::AnyRecord;
use crate::values::{Date, DocId, Timestamp};

/// A placement with no visit for this many days needs one.
pub const QUIET_DAYS: i64 = 14;
/// A placement ending within this many days is shown as ending soon.
pub const ENDING_DAYS: i64 = 14;

/// The home page's reminders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reminders {
    /// Active placements with no visit in [`QUIET_DAYS`] (counted from
    /// the start, for one that began more recently), the longest
    /// unvisited first (never visited before all), with the last visit.
    pub needs_visit: Vec<(DocId, Option<Timestamp>)>,
    /// Active placements ending within [`ENDING_DAYS`] (today included),
    /// the soonest first.
    pub ending_soon: Vec<(DocId, Date)>,
}

/// The reminders for `records` on `today`, `now` being this moment.
pub fn reminders<'a>(records: impl IntoIterator<Item = &'a AnyRecord>, today: Date, now: Timestamp) -> Reminders {
    let records: Vec<&AnyRecord> = records.into_iter().collect();
    let last_visit = |placement: DocId| {
        records
            .iter()
            .filter_map(|r| match r {
                AnyRecord::Visit(v) if v.placements.contains(&placement) => Some(v.at),
                _ => None,
            })
            .max()
    };
    let quiet_since = Timestamp(now.0 - QUIET_DAYS * 24 * 3600 * 1000);
    let quiet_started_by = Date(today.0.saturating_sub(time::Duration::days(QUIET_DAYS)));
    let ending_by = Date(today.0.saturating_add(time::Duration::days(ENDING_DAYS)));
    let mut found = Reminders::default();
    for record in &records {
        let AnyRecord::Placement(p) = record else { continue };
        if p.status != PlacementStatus::Active {
            continue;
        }
        let last = last_visit(p.id);
        // The quiet days count from the start: a placement that began
        // this week has not gone unvisited for two.
        if last.is_none_or(|at| at < quiet_since) && p.start <= quiet_started_by {
            found.needs_visit.push((p.id, last));
        }
        if p.planned_end >= today && p.planned_end <= ending_by {
            found.ending_soon.push((p.id, p.planned_end));
        }
    }
    sorting::sort_by_key(&mut found.needs_visit, |(id, last)| (*last, *id));
    sorting::sort_by_key(&mut found.ending_soon, |(id, end)| (*end, *id));
    found
}
