//! Applying what a form changed onto a record as it is now.
//!
//! A form starts from the record as it was when it opened (`before`) and
//! ends as the person left it (`after`). Meanwhile a sync may have merged
//! someone else's edits into the record (`self`). Writing `after` whole
//! would put back the old values of every field the person never touched,
//! undoing the other edits; so only what differs between `before` and
//! `after` is applied, field by field and, in lists, item by item.

use crate::records::{Visit, Workplace};
use crate::values::retype;

/// Someone else changed the summary while it was being edited here: both
/// edits cannot be kept automatically, so nothing is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the summary was changed on another device while it was edited here")]
pub struct SummaryConflict;

/// Sets `current` to `after` if the form changed it.
fn field<T: PartialEq + Clone>(current: &mut T, before: &T, after: &T) {
    if before != after {
        *current = after.clone();
    }
}

/// The items the form added or changed replace those with the same key
/// (or are added); the items it removed are removed; items it never had
/// (added elsewhere) stay.
fn items<T: PartialEq + Clone, K: PartialEq>(current: &mut Vec<T>, before: &[T], after: &[T], key: impl Fn(&T) -> K) {
    for item in after {
        if before.iter().any(|old| old == item) {
            continue;
        }
        match current.iter_mut().find(|now| key(now) == key(item)) {
            Some(now) => *now = item.clone(),
            None => current.push(item.clone()),
        }
    }
    for gone in before.iter().filter(|old| !after.iter().any(|new| key(new) == key(old))) {
        current.retain(|now| key(now) != key(gone));
    }
}

impl Workplace {
    /// Applies the edit from `before` to `after` onto this workplace.
    pub fn apply_edit(&mut self, before: &Workplace, after: &Workplace) {
        field(&mut self.name, &before.name, &after.name);
        field(&mut self.org_number, &before.org_number, &after.org_number);
        field(&mut self.address, &before.address, &after.address);
        field(&mut self.industry, &before.industry, &after.industry);
        field(&mut self.hiring_outlook, &before.hiring_outlook, &after.hiring_outlook);
        field(&mut self.mapping.needs, &before.mapping.needs, &after.mapping.needs);
        field(&mut self.mapping.requirements, &before.mapping.requirements, &after.mapping.requirements);
        field(&mut self.mapping.safety_routines, &before.mapping.safety_routines, &after.mapping.safety_routines);
        items(&mut self.contacts, &before.contacts, &after.contacts, |c| c.id.clone());
        items(&mut self.peak_months, &before.peak_months, &after.peak_months, |m| *m);
        crate::sorting::sort_by_key(&mut self.peak_months, |month| *month);
    }
}

impl Visit {
    /// Applies the edit from `before` to `after` onto this visit. The
    /// summary is retyped only if nobody else changed it meanwhile.
    pub fn apply_edit(&mut self, before: &Visit, after: &Visit) -> Result<(), SummaryConflict> {
        if before.summary.as_str() != after.summary.as_str() {
            if self.summary.as_str() != before.summary.as_str() {
                return Err(SummaryConflict);
            }
            retype(&mut self.summary, after.summary.as_str());
        }
        field(&mut self.visit_type, &before.visit_type, &after.visit_type);
        field(&mut self.workplace, &before.workplace, &after.workplace);
        field(&mut self.duration_minutes, &before.duration_minutes, &after.duration_minutes);
        field(&mut self.met, &before.met, &after.met);
        field(&mut self.job_signal, &before.job_signal, &after.job_signal);
        field(&mut self.status, &before.status, &after.status);
        items(&mut self.placements, &before.placements, &after.placements, |p| *p);
        items(&mut self.concerns, &before.concerns, &after.concerns, |c| c.tag);
        items(&mut self.follow_ups, &before.follow_ups, &after.follow_ups, |f| f.id.clone());
        Ok(())
    }
}
