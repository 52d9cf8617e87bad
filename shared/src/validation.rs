//! The rules every record must satisfy, applied identically on the phone
//! (before it says "saved") and on the server (before it stores a merge).
//!
//! A record is checked as a whole and every problem is reported, each with
//! the path of the field it concerns (`contacts[1].phone`), so a form can
//! put the message next to the right input.

use std::fmt;

pub mod words;

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the field, with list indices: `follow_ups[0].text`.
    pub field: String,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What can be wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// An empty text or list where something is needed.
    #[error("is required")]
    Required,
    /// A text longer than the limit, counted in characters.
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    /// A list with more items than allowed.
    #[error("has more than {max} items")]
    TooMany { max: usize },
    /// A number outside its range.
    #[error("must be between {min} and {max}")]
    OutOfRange { min: i64, max: i64 },
    /// Two list items that must be distinct are not.
    #[error("contains a duplicate")]
    Duplicate,
    /// A date before the date it must follow.
    #[error("must not be before {other}")]
    BeforeOther { other: &'static str },
    /// A value that does not fit the rest of the record.
    #[error("{0}")]
    Inconsistent(&'static str),
    /// Malformed text, such as an e-mail address without `@`.
    #[error("is not a valid {0}")]
    Invalid(&'static str),
    /// A record of another kind or an unknown schema version.
    #[error("{0}")]
    WrongShape(&'static str),
}

/// Every problem found in one record; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.problem)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl ValidationErrors {
    /// Whether any error concerns `field` (exactly).
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
}

/// A record that can check itself.
pub trait Validate {
    /// Checks every rule; `Err` lists all problems found.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut check = Checker::default();
        self.check(&mut check);
        check.finish()
    }

    /// Reports every broken rule to `check`.
    fn check(&self, check: &mut Checker);
}

/// Collects problems while a record is walked; field paths nest with
/// [`Checker::nested`].
#[derive(Debug, Default)]
pub struct Checker {
    prefix: String,
    errors: Vec<FieldError>,
}

/// Limits shared by all records, in characters.
pub mod limits {
    /// Names of people, workplaces and contacts.
    pub const NAME: usize = 200;
    /// One-line texts: addresses, roles, task descriptions.
    pub const LINE: usize = 500;
    /// Free-text notes.
    pub const NOTE: usize = 5_000;
    /// A visit's collaborative summary.
    pub const SUMMARY: usize = 20_000;
    /// Items in one list (contacts, tasks, follow-ups).
    pub const LIST: usize = 200;
    /// Phone numbers, including `+` and spaces.
    pub const PHONE: usize = 20;
}

impl Checker {
    fn path(&self, field: &str) -> String {
        if self.prefix.is_empty() { field.to_owned() } else { format!("{}.{field}", self.prefix) }
    }

    /// Records a problem with `field`.
    pub fn fail(&mut self, field: &str, problem: Problem) {
        let field = self.path(field);
        self.errors.push(FieldError { field, problem });
    }

    /// Checks the fields of a nested value under `field`.
    pub fn nested(&mut self, field: &str, walk: impl FnOnce(&mut Checker)) {
        let saved = std::mem::take(&mut self.prefix);
        self.prefix = if saved.is_empty() { field.to_owned() } else { format!("{saved}.{field}") };
        walk(self);
        self.prefix = saved;
    }

    /// Checks each item of a list, with its index in the path, and the
    /// list's length.
    pub fn each<T>(&mut self, field: &str, items: &[T], mut walk: impl FnMut(&mut Checker, &T)) {
        self.max_items(field, items.len(), limits::LIST);
        for (i, item) in items.iter().enumerate() {
            self.nested(&format!("{field}[{i}]"), |c| walk(c, item));
        }
    }

    /// A text that may be empty but not longer than `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, Problem::TooLong { max });
        }
    }

    /// A text with at least one non-space character, at most `max` long.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.fail(field, Problem::Required);
        } else {
            self.text(field, value, max);
        }
    }

    /// A number within `min..=max`.
    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.fail(field, Problem::OutOfRange { min, max });
        }
    }

    /// A list of at most `max` items.
    pub fn max_items(&mut self, field: &str, len: usize, max: usize) {
        if len > max {
            self.fail(field, Problem::TooMany { max });
        }
    }

    /// A list whose items (as given by `key`) are all different.
    pub fn distinct<T, K: PartialEq>(&mut self, field: &str, items: &[T], key: impl Fn(&T) -> K) {
        let keys: Vec<K> = items.iter().map(key).collect();
        if keys.iter().enumerate().any(|(i, k)| keys[..i].contains(k)) {
            self.fail(field, Problem::Duplicate);
        }
    }

    /// A phone number: optional, digits with an optional leading `+` and spaces.
    pub fn phone(&mut self, field: &str, value: &str) {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return;
        }
        let digits = trimmed.strip_prefix('+').unwrap_or(trimmed);
        let ok = digits.chars().all(|c| c.is_ascii_digit() || c == ' ')
            && digits.chars().filter(char::is_ascii_digit).count() >= 5;
        if !ok || value.chars().count() > limits::PHONE {
            self.fail(field, Problem::Invalid("phone number"));
        }
    }

    /// An e-mail address: optional; when given, `local@domain.tld` shaped.
    pub fn email(&mut self, field: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let ok = value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace)
        });
        if !ok || value.len() > limits::NAME {
            self.fail(field, Problem::Invalid("e-mail address"));
        }
    }

    /// Ends the walk.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(ValidationErrors(self.errors)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(walk: impl FnOnce(&mut Checker)) -> Vec<FieldError> {
        let mut check = Checker::default();
        walk(&mut check);
        check.finish().err().map(|e| e.0).unwrap_or_default()
    }

    #[test]
    fn required_text_rejects_blank_and_counts_characters_not_bytes() {
        assert_eq!(errors(|c| c.required_text("name", "  ", 5))[0].problem, Problem::Required);
        assert!(errors(|c| c.required_text("name", "ÆØÅæø", 5)).is_empty());
        assert_eq!(errors(|c| c.required_text("name", "ÆØÅæøå", 5))[0].problem, Problem::TooLong { max: 5 });
    }

    #[test]
    fn nested_and_listed_fields_report_their_full_path() {
        let found = errors(|c| {
            c.nested("mentor", |c| c.required_text("name", "", 10));
            c.each("tasks", &["ok", ""], |c, t| c.required_text("text", t, 10));
        });
        let paths: Vec<_> = found.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(paths, ["mentor.name", "tasks[1].text"]);
    }

    #[test]
    fn phone_numbers_allow_plus_and_spaces_only() {
        assert!(errors(|c| c.phone("p", "+47 912 34 567")).is_empty());
        assert!(errors(|c| c.phone("p", "")).is_empty());
        assert!(!errors(|c| c.phone("p", "912-34-567")).is_empty());
        assert!(!errors(|c| c.phone("p", "12")).is_empty());
    }

    #[test]
    fn email_needs_a_local_part_and_a_dotted_domain() {
        assert!(errors(|c| c.email("e", "kari@bedrift.no")).is_empty());
        for bad in ["kari", "@bedrift.no", "kari@bedrift", "kari@.no", "ka ri@bedrift.no"] {
            assert!(!errors(|c| c.email("e", bad)).is_empty(), "{bad}");
        }
    }

    #[test]
    fn range_and_distinct_report_their_problem() {
        assert_eq!(errors(|c| c.range("phase", 4, 1, 3))[0].problem, Problem::OutOfRange { min: 1, max: 3 });
        assert_eq!(errors(|c| c.distinct("m", &[1, 2, 1], |x| *x))[0].problem, Problem::Duplicate);
        assert!(errors(|c| c.distinct("m", &[1, 2, 3], |x| *x)).is_empty());
    }

    #[test]
    fn lists_longer_than_the_limit_are_rejected() {
        let many = vec![""; limits::LIST + 1];
        let found = errors(|c| c.each("items", &many, |_, _| {}));
        assert_eq!(found[0].problem, Problem::TooMany { max: limits::LIST });
    }
}
