//! `pagelint rules` and `pagelint explain RULE`: the rule pack's own documentation.

use pagelint::rules;
use std::process::ExitCode;

/// Every rule with its default severity and summary.
pub fn list() -> ExitCode {
    let rules = rules::rules();
    let width = rules.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
    for r in rules {
        println!(
            "{:width$}  {:7}  {}",
            r.meta.id,
            r.meta.severity.to_string(),
            r.meta.summary
        );
    }
    ExitCode::SUCCESS
}

/// A rule's documentation.
pub fn explain(rule: &str) -> ExitCode {
    match rules::find(rule) {
        Some((_, r)) => {
            print!("{}", r.explain());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "error: unknown rule `{rule}`; {}",
                rules::unknown_rule_help(rule)
            );
            ExitCode::from(2)
        }
    }
}
