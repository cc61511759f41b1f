//! `Diagnostic`: one finding at one place, with what is wrong and what to do.

use crate::parse::span::{Position, Span};
use crate::parse::uri::Uri;
use rayon::slice::ParallelSliceMut;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

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
/// `position` the 1-based line and column of its start. Its texts are shared (`Arc<str>`, one
/// copy of each in a run: see `rules::run_checks`): a large site has a hundred thousand
/// findings and a tenth as many different texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub path: Arc<str>,
    pub span: Span,
    pub position: Position,
    pub message: Arc<str>,
    pub help: Arc<str>,
    /// For link rules: the link's target as written.
    pub target: Option<Arc<str>>,
    /// The repair `pagelint fix` may apply.
    pub repair: Option<Repair>,
    /// What its file was when it was read, one record shared by the file's findings (`None`
    /// when it is not known: no stamp and no real path).
    pub read: Option<Arc<FileRead>>,
}

/// What a finding's file was when it was read. Kept once per file, not in each finding: a
/// large site has a hundred thousand findings in a few thousand files, and the stamp's `i128`
/// would pad every finding to 16-byte alignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRead {
    /// The file's size and modification time (`fix` skips files that changed).
    pub stamp: Option<(u64, i128)>,
    /// The file's real path when `path` cannot show it exactly (a name that is not UTF-8).
    pub real_path: Option<Box<Path>>,
}

impl FileRead {
    /// The shared record of a file, `None` when there is nothing to keep.
    pub fn shared(stamp: Option<(u64, i128)>, real_path: Option<&Path>) -> Option<Arc<FileRead>> {
        (stamp.is_some() || real_path.is_some()).then(|| {
            Arc::new(FileRead {
                stamp,
                real_path: real_path.map(Into::into),
            })
        })
    }
}

impl Diagnostic {
    /// The file the finding is in, as the file system names it.
    pub fn file(&self) -> &Path {
        self.read
            .as_ref()
            .and_then(|r| r.real_path.as_deref())
            .unwrap_or_else(|| Path::new(&*self.path))
    }

    /// The file's size and modification time when it was read.
    pub fn stamp(&self) -> Option<(u64, i128)> {
        self.read.as_ref().and_then(|r| r.stamp)
    }

    /// The order reports use: path, line, column, then rule and message for ties.
    pub fn sort_key(&self) -> (&str, Position, &str, &str) {
        (&self.path, self.position, self.rule, &self.message)
    }
}

/// Sort findings in the order reports use (`Diagnostic::sort_key`), keeping the order of ties.
/// What is sorted, in parallel, is their indexes (4 bytes each, not a finding's size: a stable sort's scratch
/// space is half of what it sorts, and large sites have a hundred thousand findings); the
/// findings are then moved into place along the permutation's cycles.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let mut order: Vec<u32> = (0..diagnostics.len() as u32).collect();
    order.par_sort_by(|&a, &b| {
        diagnostics[a as usize]
            .sort_key()
            .cmp(&diagnostics[b as usize].sort_key())
    });
    // Place i receives the finding at order[i]: follow each cycle once, swapping along it.
    let mut done = vec![false; order.len()];
    for start in 0..order.len() {
        let mut i = start;
        while !done[i] {
            done[i] = true;
            let from = order[i] as usize;
            if from == start {
                break;
            }
            diagnostics.swap(i, from);
            i = from;
        }
    }
}

/// What a check knows about a finding before the engine adds rule, severity and path.
pub struct Finding {
    pub span: Span,
    pub position: Position,
    pub message: String,
    pub help: String,
    pub target: Option<FindingTarget>,
    /// The repair, when it is certain (`pagelint fix` applies it).
    pub repair: Option<Repair>,
}

/// A finding's target: text made for it, or the text of a URI its page's links share (taken as
/// it is, not copied and looked up among the run's texts again: most findings are links to a
/// URI, a hundred thousand on a large site).
pub enum FindingTarget {
    Made(String),
    Shared(Arc<str>),
}

impl FindingTarget {
    pub fn as_str(&self) -> &str {
        match self {
            FindingTarget::Made(text) => text,
            FindingTarget::Shared(text) => text,
        }
    }
}

impl From<String> for FindingTarget {
    fn from(text: String) -> Self {
        FindingTarget::Made(text)
    }
}

impl From<&Uri> for FindingTarget {
    fn from(uri: &Uri) -> Self {
        FindingTarget::Shared(uri.shared())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str, line: u32, message: &str) -> Diagnostic {
        Diagnostic {
            rule: "broken-link",
            severity: Severity::Error,
            path: path.into(),
            span: Span::default(),
            position: Position { line, column: 1 },
            message: message.into(),
            help: "".into(),
            target: None,
            repair: None,
            read: None,
        }
    }

    #[test]
    fn sort_orders_as_a_stable_sort_by_the_key_does() {
        // Ties (same key) are told apart by their help, which must keep its order.
        let mut diagnostics = Vec::new();
        for k in 0..200u32 {
            let mut d = at(
                ["b.html", "a.html", "c/d.html"][(k * 7 % 3) as usize],
                k * 31 % 17,
                ["x", "y"][(k % 2) as usize],
            );
            d.help = k.to_string().into();
            diagnostics.push(d);
        }
        let mut expected = diagnostics.clone();
        expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        sort(&mut diagnostics);
        assert_eq!(diagnostics, expected);
        let mut empty: Vec<Diagnostic> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}
