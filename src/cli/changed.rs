//! `--changed-since REF` at the command line: asking git what changed (a problem with git or
//! the reference is a usage error, exit 2), and the line on stderr that says which pages were
//! chosen and why.

use super::usage_error;
use pagelint::Selection;
use pagelint::config::Config;
use pagelint::source::changes::Changes;
use std::path::Path;
use std::process::ExitCode;

/// The change set for `--changed-since`, if it was given.
pub fn changes(
    reference: Option<&str>,
    root: &Path,
    config: &Config,
) -> Result<Option<Changes>, ExitCode> {
    let Some(reference) = reference else {
        return Ok(None);
    };
    let started = std::time::Instant::now();
    let changes = Changes::since(root, reference, config).map_err(usage_error)?;
    if std::env::var_os("PAGELINT_TIMINGS").is_some() {
        eprintln!(
            "pagelint timing: {:<32} {:>8.1} ms",
            "changes (git, untracked pages)",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(Some(changes))
}

/// What was chosen: `pagelint: since main (merge base 1a2b3c4d): 3 changed pages, …`.
pub fn describe(s: &Selection) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let base: String = s.base.chars().take(8).collect();
    let mut parts = vec![format!("{} changed", plural(s.changed.len(), "page"))];
    if !s.named.is_empty() {
        parts.push(format!("{} named", plural(s.named.len(), "page")));
    }
    if !s.removed_uris.is_empty() {
        let uris: Vec<String> = s.removed_uris.iter().map(|u| u.to_string()).collect();
        parts.push(format!(
            "{} linking to removed URIs ({})",
            plural(s.linking_removed_uris.len(), "page"),
            few(&uris)
        ));
    }
    if !s.removed_fragments.is_empty() {
        parts.push(format!(
            "{} linking to removed fragments ({})",
            plural(s.linking_removed_fragments.len(), "page"),
            few(&s.removed_fragments)
        ));
    }
    format!(
        "pagelint: since {} (merge base {base}): {}",
        s.reference,
        parts.join(", ")
    )
}

/// `--verbose`: each page reported on, with why, one per line.
pub fn list(s: &Selection) -> String {
    let mut out = String::new();
    for (why, pages) in [
        ("changed", &s.changed),
        ("named", &s.named),
        ("links to a removed URI", &s.linking_removed_uris),
        ("links to a removed fragment", &s.linking_removed_fragments),
    ] {
        for page in pages {
            out.push_str(&format!("pagelint: reporting on {page}: {why}\n"));
        }
    }
    out
}

/// The first few of a list, for one line.
fn few(items: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut out = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        out.push_str(&format!(", … {} more", items.len() - SHOWN));
    }
    out
}
