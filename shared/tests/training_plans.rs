//! The training-plan templates shipped in `shared/training-plans/` and the
//! format they are read in.

use innom_shared::records::Industry;
use innom_shared::training_plans::{PlanError, PlannedTask, parse, starting_tasks, template};

#[test]
fn every_template_parses_and_fills_all_three_phases() {
    let with_plan = [
        Industry::Kindergarten,
        Industry::Care,
        Industry::Cleaning,
        Industry::Retail,
        Industry::KitchenCanteen,
        Industry::Hotel,
    ];
    for industry in with_plan {
        let text = template(industry).unwrap_or_else(|| panic!("{industry:?} has a template"));
        let tasks = parse(text).unwrap_or_else(|e| panic!("{industry:?}: {e}"));
        for phase in 1..=3 {
            assert!(tasks.iter().any(|t| t.phase == phase), "{industry:?} has tasks in phase {phase}");
        }
    }
    assert_eq!(template(Industry::Other), None);
}

#[test]
fn phases_comments_and_blank_lines() {
    let text = "# Hotell\n[fase 1]\nRe senger\n\n  Fylle tralle  \n[fase 3]\n# note\nKontrollere rom\n";
    assert_eq!(
        parse(text),
        Ok(vec![
            PlannedTask { phase: 1, text: "Re senger" },
            PlannedTask { phase: 1, text: "Fylle tralle" },
            PlannedTask { phase: 3, text: "Kontrollere rom" },
        ])
    );
}

#[test]
fn a_broken_template_says_which_line() {
    assert_eq!(parse("Re senger\n"), Err(PlanError::TaskBeforePhase { line: 1 }));
    assert_eq!(parse("[fase 1]\nA\n[fase 4]\n"), Err(PlanError::UnknownPhase { line: 3 }));
    assert_eq!(parse("[trinn 1]\n"), Err(PlanError::UnknownPhase { line: 1 }));
    let long = format!("[fase 2]\n{}\n", "x".repeat(501));
    assert_eq!(parse(&long), Err(PlanError::TooLong { line: 2 }));
}

#[test]
fn starting_tasks_are_unmastered_with_fresh_ids() {
    let mut next = 0;
    let tasks = starting_tasks(Industry::Hotel, || {
        next += 1;
        format!("t{next}")
    });
    assert_eq!(tasks.len(), 12);
    assert!(tasks.iter().all(|t| !t.mastered));
    assert_eq!(tasks[0].id, "t1");
    assert_eq!(tasks[11].id, "t12");
    assert_eq!(tasks[0].text, "Lære hotellets rutiner og avdelingene");
    assert!(starting_tasks(Industry::Warehouse, String::new).is_empty());
}
