//! A workplace (arbeidsplass): an employer the programme places participants
//! with, and what the advisor has mapped about it (kartlegging).

use autosurgeon::{Hydrate, Reconcile};

use super::{Record, RecordKind, check_header, impl_record};
use crate::validation::{Checker, Problem, Validate, limits};
use crate::values::{DocId, OrgNumber, Timestamp, string_enum};

string_enum! {
    /// The industries training plans exist for, plus a catch-all.
    pub enum Industry {
        Kindergarten = "kindergarten",
        Care = "care",
        Cleaning = "cleaning",
        Retail = "retail",
        KitchenCanteen = "kitchen_canteen",
        Hotel = "hotel",
        Warehouse = "warehouse",
        Construction = "construction",
        Other = "other",
    }
}

string_enum! {
    /// Whether the workplace is likely to hire: a placement is a means, the
    /// goal is paid work.
    pub enum HiringOutlook {
        Unknown = "unknown",
        None = "none",
        Possible = "possible",
        Likely = "likely",
    }
}

/// A person at the workplace the advisor deals with.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Contact {
    /// Stable item id (a UUID), so concurrent edits hit the same contact.
    #[key]
    pub id: String,
    pub name: String,
    /// Their role at the workplace ("daglig leder", "verneombud").
    pub role: String,
    pub phone: String,
    pub email: String,
}

/// What the advisor learned when mapping the workplace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MappingNotes {
    /// What the employer needs help with.
    pub needs: String,
    /// What a participant must manage (language, certificates, shifts).
    pub requirements: String,
    /// Safety routines a participant must learn (HMS).
    pub safety_routines: String,
}

/// A workplace record.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Workplace {
    pub id: DocId,
    pub kind: RecordKind,
    pub schema_version: u32,
    pub created_at: Timestamp,
    pub created_by: String,
    pub name: String,
    pub org_number: OrgNumber,
    pub address: String,
    pub industry: Industry,
    pub contacts: Vec<Contact>,
    pub mapping: MappingNotes,
    pub hiring_outlook: HiringOutlook,
    /// Months (1–12) with seasonal peaks: hotels in autumn, retail before Christmas.
    pub peak_months: Vec<u8>,
}

impl_record!(Workplace, RecordKind::Workplace);

impl Validate for Workplace {
    fn check(&self, c: &mut Checker) {
        check_header(c, &self.header(), RecordKind::Workplace);
        c.required_text("name", &self.name, limits::NAME);
        c.text("address", &self.address, limits::LINE);
        c.each("contacts", &self.contacts, |c, contact| {
            c.required_text("id", &contact.id, limits::NAME);
            c.required_text("name", &contact.name, limits::NAME);
            c.text("role", &contact.role, limits::NAME);
            c.phone("phone", &contact.phone);
            c.email("email", &contact.email);
        });
        c.distinct("contacts", &self.contacts, |contact| contact.id.clone());
        c.nested("mapping", |c| {
            c.text("needs", &self.mapping.needs, limits::NOTE);
            c.text("requirements", &self.mapping.requirements, limits::NOTE);
            c.text("safety_routines", &self.mapping.safety_routines, limits::NOTE);
        });
        if self.peak_months.iter().any(|m| !(1..=12).contains(m)) {
            c.fail("peak_months", Problem::OutOfRange { min: 1, max: 12 });
        }
        c.distinct("peak_months", &self.peak_months, |m| *m);
    }
}
