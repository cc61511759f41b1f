//! `pagelint check` and `pagelint fix`: run, repair what is certain, narrow to what was asked
//! for, report, and exit with the code CI reads.

use super::progress::Bar;
use super::{Setup, now, print, setup, terminal_width, usage_error};
use crate::{CheckArgs, Format, MinSeverity};
use pagelint::diagnostic::Severity;
use pagelint::report::context::Context;
use pagelint::source::open::Reread;
use pagelint::{Report, Request, baseline, report, rules};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

/// Check, or with `fix` (its value: dry run) also repair, and report what is left.
pub fn run(args: CheckArgs, fix: Option<bool>) -> ExitCode {
    let started = Instant::now();
    let mut setup = match setup(&args.site) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let now = match now(args.now.as_deref()) {
        Ok(t) => t,
        Err(e) => return usage_error(e),
    };
    if let Err(e) = narrow(&mut setup, &args) {
        return usage_error(e);
    }
    setup.tell_skipped(args.site.verbose, args.quiet);
    if setup.nothing_selected() && args.changed_since.is_none() {
        // A pre-commit hook given only a README or an image: nothing of the site changed.
        return ExitCode::SUCCESS;
    }
    let Setup {
        config,
        root,
        selected,
        ..
    } = setup;
    let changes = match super::changed::changes(args.changed_since.as_deref(), &root, &config) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // With --changed-since, a PATH that is the root itself names the root, not every page.
    let selected: Vec<String> = match &changes {
        Some(_) => selected.into_iter().filter(|s| !s.is_empty()).collect(),
        None => selected,
    };
    let whole = changes.is_none() && (selected.is_empty() || selected.iter().any(String::is_empty));
    let sources = Sources {
        root: root.canonicalize().ok(),
        shown_root: pagelint::source::walk::display_root(&root),
    };
    let stderr = std::io::stderr();
    let bar = Bar::new(
        !args.quiet
            && std::io::stdout().is_terminal()
            && stderr.is_terminal()
            && std::env::var_os("CI").is_none(),
    );
    let check = |progress: &dyn pagelint::Progress| {
        let request = Request {
            config: &config,
            root: root.clone(),
            selected: selected.clone(),
            now,
            progress,
            cache: !args.no_cache,
        };
        match &changes {
            Some(c) => pagelint::check_changed(&request, c).map(|(r, s)| (r, Some(s))),
            None => pagelint::check(&request).map(|r| (r, None)),
        }
    };
    let (mut report, mut selection) = match check(&bar) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    if args.site.verbose {
        for note in &report.notes {
            eprintln!("pagelint: {note}");
        }
    }
    let mut repairs = None;
    if let Some(dry_run) = fix {
        let outcome = pagelint::fix::fix(
            &report.diagnostics,
            &config.site.base_path,
            &config.site.body_options(),
            &root,
            dry_run,
        );
        if dry_run && let Err(code) = print(&outcome.diff) {
            return code;
        }
        for path in &outcome.removed {
            eprintln!(
                "pagelint: removed {}, a temporary file of a fix that was stopped",
                path.display()
            );
        }
        for (path, why) in &outcome.skipped {
            eprintln!("pagelint: {path} not fixed: {why}");
        }
        if !args.quiet {
            for change in &outcome.changes {
                eprintln!("{} {change}", if dry_run { "would fix" } else { "fixed" });
            }
        }
        if dry_run || (outcome.files == 0 && outcome.skipped.is_empty()) {
            // Nothing was written: what is left is what this check found, less the repairs.
            let fixed: std::collections::HashSet<usize> = outcome.fixed.iter().copied().collect();
            let mut i = 0;
            report.diagnostics.retain(|_| {
                i += 1;
                !fixed.contains(&(i - 1))
            });
        } else {
            // What is left, and the exit code, come from a check of the files as they are now:
            // a repair may leave another problem, and every line and column moved.
            (report, selection) = match check(&pagelint::NoProgress) {
                Ok(r) => r,
                Err(e) => return usage_error(e),
            };
        }
        repairs = Some((outcome, dry_run));
    }
    if let Some(MinSeverity::Error) = args.min_severity {
        report.diagnostics.retain(|d| d.severity == Severity::Error);
    }
    if let Some((outcome, dry_run)) = &repairs {
        let n = outcome.fixed.len();
        eprintln!(
            "pagelint: {} {n} finding{} in {} file{}{}",
            if *dry_run { "would fix" } else { "fixed" },
            if n == 1 { "" } else { "s" },
            outcome.files,
            if outcome.files == 1 { "" } else { "s" },
            if report.diagnostics.is_empty() {
                ""
            } else {
                "; what is left is for a person:"
            },
        );
    }
    let ctx = report::context::Context::discover(&std::env::current_dir().unwrap_or_default());
    if let Some(file) = &args.write_baseline {
        return write_baseline(file, sources.root.as_deref(), &report, &ctx, args.quiet);
    }
    if let Some(file) = &args.baseline {
        match apply_baseline(file, &mut report, &ctx) {
            // Entries of pages not reported on are not judged by a partial run.
            Ok(stale) if whole && !stale.is_empty() && !args.quiet => eprintln!(
                "pagelint: {} entr{} of {} ({} finding{}) no longer match: run with --write-baseline {} to shrink it",
                stale.entries.len(),
                if stale.entries.len() == 1 { "y" } else { "ies" },
                file.display(),
                stale.findings(),
                if stale.findings() == 1 { "" } else { "s" },
                file.display()
            ),
            Ok(_) => {}
            Err(e) => return usage_error(e),
        }
    }
    // A plain JSON report on stdout is written as it is serialized, and the human report on
    // stdout as it is rendered, never held whole (tens of megabytes on a large site).
    let dry_run = matches!(repairs, Some((_, true)));
    let streamed = args.format == Format::Json
        && !args.statistics
        && repairs.is_none()
        && args.output.is_none();
    let human_streamed =
        !dry_run && (args.output.is_some() || (args.format == Format::Human && !args.statistics));
    let rendered = if streamed || (human_streamed && args.output.is_none()) {
        String::new()
    } else if args.statistics {
        statistics(&report)
    } else {
        match &repairs {
            Some((outcome, _)) if args.format == Format::Json => with_repairs(
                &render(&report, args.format, &ctx, args.no_color, &sources),
                outcome,
            ),
            _ => render(&report, args.format, &ctx, args.no_color, &sources),
        }
    };
    let terminal = match &args.output {
        Some(file) => {
            if let Err(e) = super::write_file(file, sources.root.as_deref(), rendered.as_bytes()) {
                return usage_error(format!("cannot write {}: {e}", file.display()));
            }
            drop(rendered);
            String::new()
        }
        None => rendered,
    };
    // A dry run's stdout is the diff alone: what is left goes to stderr.
    if dry_run {
        let _ = std::io::stderr().lock().write_all(terminal.as_bytes());
    } else if let Err(code) = if streamed {
        super::print_with(|mut out| report::json::write(&report, &mut out))
    } else if human_streamed {
        super::print_with(|mut out| write_human(&report, args.no_color, &sources, &mut out))
    } else {
        print(&terminal)
    } {
        return code;
    }
    if args.format == Format::Github
        && let Some(file) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|f| !f.is_empty())
        && let Err(e) = pagelint::source::write::append(
            std::path::Path::new(&file),
            report::summary::render(&report, &ctx).as_bytes(),
        )
    {
        eprintln!("pagelint: cannot write the job summary: {e}");
    }
    if !args.quiet && (args.format == Format::Human || args.output.is_some()) {
        if let Some(selection) = &selection {
            if args.site.verbose {
                eprint!("{}", super::changed::list(selection));
            }
            eprintln!("{}", super::changed::describe(selection));
        }
        eprintln!(
            "{}",
            summary(&report, started.elapsed().as_secs_f64(), fix.is_none())
        );
    }
    let code = exit_code(&report, &args);
    // The process ends next, and its memory goes back whole: freeing a large site's findings
    // one by one would only make the run longer.
    std::mem::forget(report);
    code
}

/// Apply `--select` and `--ignore` to the configuration (unknown rule ids are usage errors).
fn narrow(setup: &mut Setup, args: &CheckArgs) -> Result<(), String> {
    for (flag, ids) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        if let Some(id) = ids.iter().find(|id| rules::find(id).is_none()) {
            return Err(format!(
                "{flag}: unknown rule `{id}`; {}",
                rules::unknown_rule_help(id)
            ));
        }
    }
    if !args.select.is_empty() || !args.ignore.is_empty() {
        let keep = |id: &str| {
            (args.select.is_empty() || args.select.iter().any(|s| s == id))
                && !args.ignore.iter().any(|s| s == id)
        };
        setup.config.restrict(keep, &args.select);
    }
    Ok(())
}

/// A JSON report with `"repairs"`: each repair `fix` made (or, dry, would make).
fn with_repairs(json: &str, outcome: &pagelint::fix::Outcome) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(json) else {
        return json.to_owned();
    };
    if let (Some(map), Ok(repairs)) = (
        value.as_object_mut(),
        serde_json::to_value(&outcome.repairs),
    ) {
        map.insert("repairs".to_owned(), repairs);
    }
    let mut out = value.to_string();
    out.push('\n');
    out
}

/// The report in `format`.
fn render(
    report: &Report,
    format: Format,
    ctx: &Context,
    no_color: bool,
    sources: &Sources,
) -> String {
    match format {
        Format::Human => human(report, no_color, sources),
        Format::Concise => report::concise::render(report, ctx),
        Format::Json => report::json::render(report),
        Format::Github => report::github::render_in(report, ctx),
        Format::Sarif => report::sarif::render(report, ctx),
        Format::Junit => report::junit::render(report, ctx),
        Format::Rdjson => report::rdjson::render(report, ctx),
        Format::Gitlab => report::gitlab::render(report, ctx),
    }
}

/// `--write-baseline FILE`: record the findings, say how many, exit 0.
fn write_baseline(
    file: &std::path::Path,
    root: Option<&std::path::Path>,
    report: &Report,
    ctx: &Context,
    quiet: bool,
) -> ExitCode {
    if let Err(e) = super::write_file(file, root, baseline::write(report, ctx).as_bytes()) {
        return usage_error(format!("cannot write {}: {e}", file.display()));
    }
    if !quiet {
        let n = report.diagnostics.len();
        eprintln!(
            "pagelint: wrote {n} finding{} to the baseline {}",
            if n == 1 { "" } else { "s" },
            file.display()
        );
    }
    ExitCode::SUCCESS
}

/// The largest baseline read: some 200 bytes a finding, a million findings.
const BASELINE_MAX_BYTES: u64 = 256 * 1024 * 1024;

/// `--baseline FILE`: drop the findings it records; what no longer matches.
fn apply_baseline(
    file: &std::path::Path,
    report: &mut Report,
    ctx: &Context,
) -> Result<baseline::Stale, String> {
    let cannot =
        |why: &dyn std::fmt::Display| format!("cannot read the baseline {}: {why}", file.display());
    // The file is the repository's: a symlink in it may lead to a device that never ends or a
    // FIFO that never opens.
    let bytes =
        pagelint::source::open::read_user_file(file, BASELINE_MAX_BYTES).map_err(|e| cannot(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| cannot(&e))?;
    let parsed = baseline::parse(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(baseline::apply(report, &parsed, ctx))
}

/// Where the human report reads the lines it shows: the files the run checked, each opened
/// again inside the content root (never through a symlink out of it, never a FIFO) and shown
/// only while it is still the bytes that were checked; a file that was not read whole (too
/// large, not a regular file, a symlink out of the root) is never read.
struct Sources {
    /// The content root, canonical.
    root: Option<std::path::PathBuf>,
    /// The root as diagnostics' paths start with it.
    shown_root: std::path::PathBuf,
}

impl Sources {
    fn read(&self, report: &Report, path: &str) -> Reread {
        let rel = std::path::Path::new(path)
            .strip_prefix(&self.shown_root)
            .ok();
        match (&self.root, rel, report.checked(path)) {
            (Some(root), Some(rel), Some(digest)) => Reread::read(root, rel, digest),
            _ => Reread::Unavailable,
        }
    }
}

/// The human report: each finding with its source line (colors on a terminal only).
fn human(report: &Report, no_color: bool, sources: &Sources) -> String {
    report::human::render(&report.diagnostics, human_style(no_color), |path| {
        sources.read(report, path)
    })
}

/// `human`, written to `out` as it is rendered.
fn write_human(
    report: &Report,
    no_color: bool,
    sources: &Sources,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    report::human::write(
        &report.diagnostics,
        human_style(no_color),
        |path| sources.read(report, path),
        out,
    )
}

/// How the human report is drawn here.
fn human_style(no_color: bool) -> report::human::Style {
    let color = !no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    report::human::Style {
        color,
        unicode: true,
        width: terminal_width().unwrap_or(100),
    }
}

/// 1 when the findings fail the run as the flags say, else 0.
fn exit_code(report: &Report, args: &CheckArgs) -> ExitCode {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let fails = errors > 0
        || (args.deny_warnings && warnings > 0)
        || args.max_warnings.is_some_and(|n| warnings > n);
    if fails && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Per rule: its severity, how many findings, how many of them `fix` repairs.
fn per_rule(report: &Report) -> Vec<(&'static str, Severity, usize, usize)> {
    report
        .by_rule()
        .into_iter()
        .map(|((rule, severity), found)| {
            let fixable = found.iter().filter(|d| d.repair.is_some()).count();
            (rule, severity, found.len(), fixable)
        })
        .collect()
}

/// `--statistics`: one row per rule (count, rule, severity, fixable), as ruff prints it.
fn statistics(report: &Report) -> String {
    let rows = per_rule(report);
    let count_width = rows
        .iter()
        .map(|r| r.2.to_string().len())
        .max()
        .unwrap_or(1)
        .max("count".len());
    let rule_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(4);
    let mut out = format!(
        "{:>count_width$}  {:rule_width$}  {:8}  fixable\n",
        "count", "rule", "severity"
    );
    for (rule, severity, n, fixable) in rows {
        out.push_str(&format!(
            "{n:>count_width$}  {rule:rule_width$}  {:8}  {fixable}\n",
            severity.to_string()
        ));
    }
    out
}

/// The summary line: pages, errors and warnings, counts per rule, and what `fix` can repair.
fn summary(report: &Report, secs: f64, hint_fix: bool) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let mut line = format!(
        "pagelint: checked {} in {secs:.2}s: ",
        plural(report.pages, "page")
    );
    if errors + warnings == 0 {
        line.push_str("no problems");
        return line;
    }
    let rows = per_rule(report);
    let rules: Vec<String> = rows.iter().map(|(r, _, n, _)| format!("{r} {n}")).collect();
    line.push_str(&format!(
        "{}, {} ({})",
        plural(errors, "error"),
        plural(warnings, "warning"),
        rules.join(", ")
    ));
    let fixable: usize = rows.iter().map(|r| r.3).sum();
    if hint_fix && fixable > 0 {
        line.push_str(&format!("; {fixable} fixable with `pagelint fix`"));
    }
    line
}
