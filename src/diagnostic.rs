//! `Diagnostic`: one finding at one place, with what is wrong and what to do.

use crate::parse::span::{Position, Span};
use crate::parse::uri::Uri;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

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
    /// The repair `pagelint fix` may apply.
    pub repair: Option<Repair>,
    /// The file's size and modification time when it was read (`fix` skips files that changed).
    pub stamp: Option<(u64, i128)>,
    /// The file's real path when `path` cannot show it exactly (a name that is not UTF-8).
    pub real_path: Option<Box<Path>>,
}

impl Diagnostic {
    /// The file the finding is in, as the file system names it.
    pub fn file(&self) -> &Path {
        self.real_path
            .as_deref()
            .unwrap_or_else(|| Path::new(&self.path))
    }

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
    /// The repair, when it is certain (`pagelint fix` applies it).
    pub repair: Option<Repair>,
}

/// A certain repair of a link's value (the bytes of `span`). What the new value is depends on
/// how the old one is written, which `fix.rs` reads from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// Point the link at this page, keeping its query and fragment; `slash`: with a trailing
    /// slash (as the site's policy wants it, or as the link was written).
    Target { uri: Uri, slash: bool },
    /// Point a front-matter link field at this page (written like the `uri` field).
    FieldTarget(Uri),
    /// Drop the scheme and host of an absolute link to the site's own host.
    RootRelative,
    /// Add the trailing slash the site requires.
    AddSlash,
    /// Remove the trailing slash the site forbids.
    RemoveSlash,
}
