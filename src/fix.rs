//! `pagelint fix`: turning certain repairs into edits of exactly the bytes of the attribute or
//! field values they are about, and writing files atomically. Every other byte of a file (line
//! endings, byte order mark, entities, spacing) stays as it was.

use crate::diagnostic::Diagnostic;
use std::io::Write;
use std::path::Path;

mod plan;
pub use plan::{Edit, Planned, apply, href_value, plan};

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
    /// Unified diffs of every change (always made; printed on a dry run).
    pub diff: String,
}

/// Repair what can be repaired with certainty in the files of `diagnostics`; with `dry_run`,
/// change nothing. A file that changed since it was read is skipped, as is one whose text no
/// longer holds the spans.
pub fn fix(diagnostics: &[Diagnostic], base_path: &str, dry_run: bool) -> Outcome {
    // Keyed by the real path: two names that are not UTF-8 may show as the same text.
    let mut by_file: std::collections::BTreeMap<&Path, Vec<usize>> = Default::default();
    for (i, d) in diagnostics.iter().enumerate() {
        if d.repair.is_some() {
            by_file.entry(d.file()).or_default().push(i);
        }
    }
    let mut outcome = Outcome::default();
    for (file, indexes) in by_file {
        let path = diagnostics[indexes[0]].path.as_str();
        let stamp = diagnostics[indexes[0]].stamp;
        if stamp.is_none() || crate::source::cache::stamp(file) != stamp {
            outcome
                .skipped
                .push((path.to_owned(), "it changed since it was read".into()));
            continue;
        }
        let Ok(text) = std::fs::read(file).map(String::from_utf8) else {
            outcome
                .skipped
                .push((path.to_owned(), "it cannot be read again".into()));
            continue;
        };
        let Ok(text) = text else {
            outcome
                .skipped
                .push((path.to_owned(), "it is not UTF-8".into()));
            continue;
        };
        let wanted: Vec<_> = indexes
            .iter()
            .filter_map(|&i| Some((diagnostics[i].span, diagnostics[i].repair.as_ref()?)))
            .collect();
        let planned = plan(&text, &wanted, base_path);
        if planned.is_empty() {
            continue;
        }
        let edits: Vec<Edit> = planned.iter().map(|p| p.edit.clone()).collect();
        let new = apply(&text, &edits);
        outcome.diff.push_str(&unified_diff(path, &text, &new));
        if !dry_run {
            // Checked again just before writing: an editor may have saved meanwhile.
            if crate::source::cache::stamp(file) != stamp {
                outcome
                    .skipped
                    .push((path.to_owned(), "it changed while being fixed".into()));
                continue;
            }
            if let Err(e) = write_atomically(file, &new) {
                outcome
                    .skipped
                    .push((path.to_owned(), format!("it cannot be written: {e}")));
                continue;
            }
        }
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
                path: d.path.clone(),
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

/// Replace `path`'s content with `text` atomically: a temporary file in the same folder, its
/// data synced, the original's permissions, then a rename over the original.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "page".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.pagelint-{}.tmp", std::process::id()));
    let permissions = std::fs::metadata(path)?.permissions();
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&tmp, permissions)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
