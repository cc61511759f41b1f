//! `pagelint check` and `pagelint fix`: run, repair what is certain, report, exit.

use super::progress::Bar;
use super::{Setup, setup, terminal_width, usage_error};
use crate::{CheckArgs, Format};
use pagelint::diagnostic::Severity;
use pagelint::{Request, report};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

/// Check, or with `fix` (its value: dry run) also repair, and report what is left.
pub fn run(args: CheckArgs, fix: Option<bool>) -> ExitCode {
    let started = Instant::now();
    let Setup {
        config,
        root,
        selected,
        now,
    } = match setup(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let changes = match super::changed::changes(args.changed_since.as_deref(), &root, &config) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // With --changed-since, a PATH that is the root itself names the root, not every page.
    let selected = match &changes {
        Some(_) => selected.into_iter().filter(|s| !s.is_empty()).collect(),
        None => selected,
    };
    let stderr = std::io::stderr();
    let bar = Bar::new(
        !args.quiet
            && std::io::stdout().is_terminal()
            && stderr.is_terminal()
            && std::env::var_os("CI").is_none(),
    );
    let request = Request {
        config: &config,
        root: root.clone(),
        selected,
        now,
        progress: &bar,
        cache: !args.no_cache,
    };
    let outcome = match &changes {
        Some(c) => pagelint::check_changed(&request, c).map(|(r, s)| (r, Some(s))),
        None => pagelint::check(&request).map(|r| (r, None)),
    };
    let (mut report, selection) = match outcome {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    if let Some(dry_run) = fix {
        let outcome = pagelint::fix::fix(&report.diagnostics, &config.site.base_path, dry_run);
        if dry_run {
            print!("{}", outcome.diff);
        }
        for (path, why) in &outcome.skipped {
            eprintln!("pagelint: {path} not fixed: {why}");
        }
        if !args.quiet {
            for change in &outcome.changes {
                eprintln!("{} {change}", if dry_run { "would fix" } else { "fixed" });
            }
        }
        let n = outcome.fixed.len();
        eprintln!(
            "pagelint: {} {n} finding{} in {} file{}; what is left is for a person:",
            if dry_run { "would fix" } else { "fixed" },
            if n == 1 { "" } else { "s" },
            outcome.files,
            if outcome.files == 1 { "" } else { "s" },
        );
        let fixed: std::collections::HashSet<usize> = outcome.fixed.into_iter().collect();
        let mut i = 0;
        report.diagnostics.retain(|_| {
            i += 1;
            !fixed.contains(&(i - 1))
        });
    }
    let out = match args.format {
        Format::Json => report::json::render(&report),
        Format::Github => report::github::render(&report),
        Format::Human => {
            let stdout = std::io::stdout();
            let color = !args.no_color
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && stdout.is_terminal();
            let width = terminal_width().unwrap_or(100);
            let style = report::human::Style {
                color,
                unicode: true,
                width,
            };
            report::human::render(&report.diagnostics, style, |path| {
                std::fs::read(path)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            })
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`pagelint | head`) is not an error worth a panic.
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if !args.quiet && matches!(args.format, Format::Human) {
        if let Some(selection) = &selection {
            eprintln!("{}", super::changed::describe(selection));
        }
        eprintln!(
            "{}",
            summary(
                report.pages,
                errors,
                warnings,
                started.elapsed().as_secs_f64()
            )
        );
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(pages: usize, errors: usize, warnings: usize, secs: f64) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let found = if errors + warnings == 0 {
        "no problems".to_owned()
    } else {
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    };
    format!(
        "pagelint: checked {} in {secs:.2}s: {found}",
        plural(pages, "page")
    )
}
