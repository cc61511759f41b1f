//! `pagelint fix`: turning certain repairs into edits of exactly the bytes of the attribute or
//! field values they are about, and writing files atomically (through `source::write`). Every
//! other byte of a file (line endings, byte order mark, entities, spacing) stays as it was.

use crate::diagnostic::Diagnostic;
use crate::source::write;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod plan;
pub use plan::{Edit, Planned, apply, href_path, href_value, plan, plan_in};

/// A unified diff of a file's change, as `git diff` shows it.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("a/{}", path.trim_start_matches('/')),
            &format!("b/{}", path.trim_start_matches('/')),
        )
        .to_string()
}

/// One repair: where, by which rule, the value before and after.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub rule: &'static str,
    pub old: String,
    pub new: String,
}

/// What `fix` did (or, dry, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    /// Indexes (into the report's diagnostics) of the findings repaired.
    pub fixed: Vec<usize>,
    /// What each repair changed, as `path:line:col: rule: old -> new` lines, sorted.
    pub changes: Vec<String>,
    /// The same repairs, as data (for `--format json`).
    pub repairs: Vec<Change>,
    /// How many files changed.
    pub files: usize,
    /// Files left alone, and why.
    pub skipped: Vec<(String, String)>,
    /// Temporary files an earlier run stopped before it renamed them, removed.
    pub removed: Vec<PathBuf>,
    /// Unified diffs of every change (always made; printed on a dry run).
    pub diff: String,
}

/// The files to repair: each file once, however many paths reach it (a symlinked page and the
/// page it points to), under the path that is not a symlink if one is: its real path, the
/// path diagnostics show, and its findings' indexes. A path whose file lies outside the root
/// (or is gone) is in the second list, with why it is left.
type Targets<'a> = (
    BTreeMap<PathBuf, (&'a str, &'a Path, Vec<usize>)>,
    Vec<(String, String)>,
);

fn targets<'a>(diagnostics: &'a [Diagnostic], root: &Path) -> Targets<'a> {
    // Keyed by the real path: two names that are not UTF-8 may show as the same text.
    let mut by_path: BTreeMap<&Path, Vec<usize>> = BTreeMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if d.repair.is_some() {
            by_path.entry(d.file()).or_default().push(i);
        }
    }
    let real_root = root.canonicalize().ok();
    let mut files: BTreeMap<PathBuf, (&str, &Path, Vec<usize>)> = BTreeMap::new();
    let mut left = Vec::new();
    for (file, indexes) in by_path {
        let shown = &*diagnostics[indexes[0]].path;
        let Ok(real) = file.canonicalize() else {
            left.push((shown.to_owned(), "it cannot be found again".into()));
            continue;
        };
        if !real_root.as_ref().is_some_and(|r| real.starts_with(r)) {
            left.push((
                shown.to_owned(),
                "it is a symlink to a file outside the content root".into(),
            ));
            continue;
        }
        let is_link = |p: &Path| {
            std::fs::symlink_metadata(p)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(true)
        };
        match files.get(&real) {
            Some((_, kept, _)) if !is_link(kept) || is_link(file) => {}
            _ => {
                files.insert(real, (shown, file, indexes));
            }
        }
    }
    (files, left)
}

/// Repair what can be repaired with certainty in the files of `diagnostics` (pages under
/// `root`); with `dry_run`, change nothing. A page is rewritten in place of the file it is
/// (a symlinked page stays a symlink, and the file inside the root it points to is edited),
/// keeping its owner, group and mode. A file that changed since it was read, or changes while
/// it is being fixed, is skipped, as is a read-only one and one outside the root.
/// `body` says which pages are Markdown: their link destinations are rewritten in Markdown's
/// syntax, and checked by reading the result again as Markdown.
pub fn fix(
    diagnostics: &[Diagnostic],
    base_path: &str,
    body: &crate::parse::body::BodyOptions<'_>,
    root: &Path,
    dry_run: bool,
) -> Outcome {
    let (files, left) = targets(diagnostics, root);
    let mut outcome = Outcome {
        skipped: left,
        ..Outcome::default()
    };
    if !dry_run {
        let folders: std::collections::BTreeSet<&Path> =
            files.keys().filter_map(|real| real.parent()).collect();
        for folder in folders {
            outcome.removed.extend(write::remove_stale(folder));
        }
    }
    for (real, (path, file, indexes)) in files {
        let mut skip = |why: &str| outcome.skipped.push((path.to_owned(), why.to_owned()));
        let stamp = diagnostics[indexes[0]].stamp();
        let (Some((size, _)), true) = (stamp, crate::source::cache::stamp(&real) == stamp) else {
            skip("it changed since it was read");
            continue;
        };
        if std::fs::metadata(&real).is_ok_and(|m| m.permissions().readonly()) {
            // As ruff --fix, rustfmt and prettier --write: a read-only file is not written.
            skip("it is read-only; make it writable to fix it");
            continue;
        }
        let text = match write::read_regular(&real, size as usize) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                skip("it changed since it was read");
                continue;
            }
            Err(_) => {
                skip("it cannot be read again");
                continue;
            }
        };
        let Ok(text) = String::from_utf8(text) else {
            skip("it is not UTF-8");
            continue;
        };
        let wanted: Vec<_> = indexes
            .iter()
            .filter_map(|&i| Some((diagnostics[i].span, diagnostics[i].repair.as_ref()?)))
            .collect();
        // The path relative to the root, as the reader chose the page's syntax by it
        // (`site.body.paths`).
        let name = file
            .strip_prefix(root)
            .ok()
            .map(|_| crate::source::walk::relative(root, file))
            .or_else(|| real.file_name().map(|n| n.to_string_lossy().into_owned()));
        let reading = match body.syntax(name.as_deref().unwrap_or_default()) {
            crate::parse::body::Syntax::Html => None,
            _ => Some((body, name.as_deref().unwrap_or_default())),
        };
        let planned = plan_in(&text, &wanted, base_path, reading);
        if planned.is_empty() {
            continue;
        }
        let edits: Vec<Edit> = planned.iter().map(|p| p.edit.clone()).collect();
        let new = apply(&text, &edits);
        if !dry_run && let Err(e) = write::replace_page(&real, text.as_bytes(), new.as_bytes()) {
            skip(&e.to_string());
            continue;
        }
        outcome.diff.push_str(&unified_diff(path, &text, &new));
        outcome.files += 1;
        for (i, edit) in planned
            .iter()
            .flat_map(|p| p.repairs.iter().map(move |i| (i, &p.edit)))
        {
            let d = &diagnostics[indexes[*i]];
            let old = &text[edit.span.start..edit.span.end];
            outcome.changes.push(format!(
                "{}:{}:{}: {}: {} -> {}",
                d.path, d.position.line, d.position.column, d.rule, old, edit.new
            ));
            outcome.repairs.push(Change {
                path: d.path.to_string(),
                line: d.position.line,
                column: d.position.column,
                rule: d.rule,
                old: old.to_owned(),
                new: edit.new.clone(),
            });
            outcome.fixed.push(indexes[*i]);
        }
    }
    outcome.fixed.sort_unstable();
    outcome
}
