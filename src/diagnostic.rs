//! `Diagnostic`: one finding at one place, with what is wrong and what to do.

use crate::span::{Position, Span};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A finding. `path` is the file's path as walked; `span` is a byte range in that file and
/// `position` the 1-based line and column of its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub path: String,
    pub span: Span,
    pub position: Position,
    pub message: String,
    pub help: String,
    /// For link rules: the link's target as written.
    pub target: Option<String>,
}

impl Diagnostic {
    /// The order reports use: path, line, column, then rule and message for ties.
    pub fn sort_key(&self) -> (&str, Position, &str, &str) {
        (&self.path, self.position, self.rule, &self.message)
    }
}

/// What a check knows about a finding before the engine adds rule, severity and path.
pub struct Finding {
    pub span: Span,
    pub position: Position,
    pub message: String,
    pub help: String,
    pub target: Option<String>,
}
