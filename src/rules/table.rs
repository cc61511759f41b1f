//! `RuleTable`: which rules are on for a page, at which severity and with which parameters —
//! the defaults of the rule pack with the configuration's changes applied.

use super::Params;
use crate::diagnostic::Severity;

/// A rule's effective setting: off, or on at a severity with parameters.
pub type RuleSetting = Option<(Severity, Params)>;

/// One setting per rule, in registry order.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTable(pub Vec<RuleSetting>);

/// What a config entry changes for one rule.
#[derive(Debug, Clone)]
pub struct RuleChange {
    pub rule: usize,
    /// `Some(None)` turns the rule off.
    pub severity: Option<Option<Severity>>,
    pub params: Params,
}

impl RuleTable {
    /// Every rule at its default setting.
    pub fn defaults() -> Self {
        RuleTable(
            super::rules()
                .iter()
                .map(|r| {
                    r.meta
                        .enabled
                        .then(|| (r.meta.severity, r.default_params()))
                })
                .collect(),
        )
    }

    /// Apply one configuration entry.
    pub fn apply(&mut self, change: &RuleChange) {
        let rule = &super::rules()[change.rule];
        let slot = &mut self.0[change.rule];
        let (current, mut params) = match slot.take() {
            Some((s, p)) => (Some(s), p),
            None => (None, rule.default_params()),
        };
        params.extend(change.params.clone());
        // A table without `severity` keeps the rule's severity, and turns a rule that is off
        // on at its default severity: giving it parameters says it is wanted.
        let severity = change
            .severity
            .unwrap_or(Some(current.unwrap_or(rule.meta.severity)));
        *slot = severity.map(|s| (s, params));
    }
}
