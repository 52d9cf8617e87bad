//! Training-plan templates (opplæringsplaner): for each industry with a
//! plan, the tasks of its three phases, from the plain text files in
//! `shared/training-plans/` (format in that folder's README). A new
//! placement starts from its industry's template; the advisor adjusts it.

use crate::records::{Industry, PHASES, TrainingTask};
use crate::validation::limits;

/// Why a template file does not read as a training plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("line {line}: a task must come after a [fase N] line")]
    TaskBeforePhase { line: usize },
    #[error("line {line}: only [fase 1], [fase 2] and [fase 3] are phases")]
    UnknownPhase { line: usize },
    #[error("line {line}: a task is at most {max} characters", max = limits::LINE)]
    TooLong { line: usize },
}

/// One task of a template: its phase and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedTask<'a> {
    pub phase: u8,
    pub text: &'a str,
}

/// The template file of an industry, if it has one.
pub fn template(industry: Industry) -> Option<&'static str> {
    Some(match industry {
        Industry::Kindergarten => include_str!("../training-plans/kindergarten.txt"),
        Industry::Care => include_str!("../training-plans/care.txt"),
        Industry::Cleaning => include_str!("../training-plans/cleaning.txt"),
        Industry::Retail => include_str!("../training-plans/retail.txt"),
        Industry::KitchenCanteen => include_str!("../training-plans/kitchen_canteen.txt"),
        Industry::Hotel => include_str!("../training-plans/hotel.txt"),
        Industry::Warehouse | Industry::Construction | Industry::Other => return None,
    })
}

/// Reads a template: `[fase N]` lines start a phase, other lines are its
/// tasks, `#` lines and blank lines are skipped.
pub fn parse(text: &str) -> Result<Vec<PlannedTask<'_>>, PlanError> {
    let mut phase = None;
    let mut tasks = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let (line, content) = (index + 1, raw.trim());
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(header) = content.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            let number = header.strip_prefix("fase").map(str::trim).and_then(|n| n.parse::<u8>().ok());
            phase = Some(number.filter(|n| PHASES.contains(n)).ok_or(PlanError::UnknownPhase { line })?);
            continue;
        }
        let phase = phase.ok_or(PlanError::TaskBeforePhase { line })?;
        if content.chars().count() > limits::LINE {
            return Err(PlanError::TooLong { line });
        }
        tasks.push(PlannedTask { phase, text: content });
    }
    Ok(tasks)
}

/// The training tasks a new placement in `industry` starts with, none
/// mastered, each with an id from `new_id`. None for an industry without a
/// template (or, which a test rules out, a template that does not parse).
pub fn starting_tasks(industry: Industry, mut new_id: impl FnMut() -> String) -> Vec<TrainingTask> {
    let planned = template(industry).and_then(|text| parse(text).ok()).unwrap_or_default();
    planned
        .into_iter()
        .map(|task| TrainingTask { id: new_id(), phase: task.phase, text: task.text.to_owned(), mastered: false })
        .collect()
}
