//! `pagelint init [DIR]`: infer a configuration from the site in DIR, write it as a commented
//! `DIR/pagelint.yaml` (never over an existing one), and print on stderr what was found and
//! the summary of a first check under it. With `--dry-run` the file goes to stdout instead.

use super::{now, usage_error};
use pagelint::config::{Config, FILE_NAME};
use pagelint::diagnostic::Severity;
use pagelint::init::{self, Inference, render, root_key};
use pagelint::{NoProgress, Report, Request};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `pagelint init` was asked.
pub struct InitArgs {
    pub dir: PathBuf,
    pub dry_run: bool,
    pub now: Option<String>,
}

/// Infer, write (or print), check, report.
pub fn run(args: InitArgs) -> ExitCode {
    let dir = &args.dir;
    if !dir.is_dir() {
        return usage_error(format!("{}: no such folder", dir.display()));
    }
    let target = dir.join(FILE_NAME);
    let exists = target.symlink_metadata().is_ok();
    if exists && !args.dry_run {
        return usage_error(format!(
            "{} already exists; pagelint init never overwrites a configuration (move it away \
             first, or see what init would write with `pagelint init --dry-run`)",
            target.display()
        ));
    }
    if let Some(parent) = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.parent().and_then(Config::discover))
    {
        eprintln!(
            "note: {} is found from {} too; {} takes its place for runs in {}",
            parent.display(),
            dir.display(),
            if exists {
                "the existing file"
            } else {
                "the new file"
            },
            dir.display()
        );
    }
    let now = match now(args.now.as_deref()) {
        Ok(t) => t,
        Err(e) => return usage_error(e),
    };
    let inference = match init::infer(dir, now) {
        Ok(i) => i,
        Err(e) => return usage_error(e),
    };
    let text = render::config(&inference);
    let config = if args.dry_run {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        Config::parse(&text, FILE_NAME).map(|mut c| {
            c.root = Some(init::content_root_path(dir, &inference.root));
            c
        })
    } else {
        if let Err(e) = pagelint::source::write::create_new(&target, text.as_bytes()) {
            return usage_error(format!("cannot write {}: {e}", target.display()));
        }
        Config::load(&target)
    };
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(*e));
            return ExitCode::from(2);
        }
    };
    let request = Request {
        root: config
            .root
            .clone()
            .unwrap_or_else(|| init::content_root_path(dir, &inference.root)),
        config: &config,
        selected: Vec::new(),
        now,
        progress: &NoProgress,
        cache: false,
    };
    let report = match pagelint::check(&request) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    let written = if args.dry_run {
        format!("{FILE_NAME} printed above, not written")
    } else {
        format!("wrote {}", target.display())
    };
    eprint!("{}", findings(&inference));
    eprintln!("{written}");
    eprint!("{}", summary(&report));
    ExitCode::SUCCESS
}

/// What init found, one line per finding.
fn findings(inf: &Inference) -> String {
    let f = &inf.fields;
    let mut out = String::new();
    let mut line = |what: &str, text: String| {
        let _ = writeln!(out, "  {what:<14} {text}");
    };
    line(
        "content root",
        format!(
            "{} ({} page files, {} with front matter)",
            root_key(&inf.root),
            inf.files,
            inf.with_front_matter
        ),
    );
    line(
        "URI field",
        match &f.uri {
            Some(u) => format!("{} ({})", u.name, u.note),
            None => "none: pages are addressed by their paths".into(),
        },
    );
    let named = |x: &Option<init::Found>| {
        x.as_ref()
            .map_or_else(|| "none".to_owned(), |x| format!("{} ({})", x.name, x.note))
    };
    line("id field", named(&f.id));
    line("authorship", named(&f.authorship));
    line("dates", names(&f.dates));
    line("link fields", names(&f.link_fields));
    line("contents", named(&f.toc));
    line("redirect field", named(&f.redirect));
    let hosts: Vec<&str> = inf.hosts.iter().map(|h| h.host.as_str()).collect();
    line("own hosts", or_none(hosts.join(", ")));
    let types: Vec<String> = f
        .types
        .iter()
        .map(|(t, (n, _))| format!("{t} {n}"))
        .collect();
    line("page types", or_none(types.join(", ")));
    line(
        "no authorship",
        or_none(f.types_without_authorship().join(", ")),
    );
    line("required", or_none(f.required.join(", ")));
    let routes: Vec<String> = inf
        .routes
        .iter()
        .map(|r| {
            let shown = match r.kind {
                init::routes::Kind::Suffix => format!("/<page>/{}", r.pattern),
                _ => r.pattern.clone(),
            };
            format!("{shown} ({})", r.links)
        })
        .collect();
    line(
        "likely routes",
        if routes.is_empty() {
            "none".into()
        } else {
            format!("{} (written commented out)", routes.join(", "))
        },
    );
    format!("pagelint init found:\n{out}")
}

fn names(found: &[init::Found]) -> String {
    let names: Vec<String> = found
        .iter()
        .map(|f| format!("{} ({} pages)", f.name, f.pages))
        .collect();
    or_none(names.join(", "))
}

fn or_none(s: String) -> String {
    if s.is_empty() { "none".into() } else { s }
}

/// The first check's result: pages, errors, warnings, and the count of each rule.
fn summary(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let mut out = format!(
        "first check: {} page{}, {} error{}, {} warning{}\n",
        report.pages,
        plural_s(report.pages),
        errors,
        plural_s(errors),
        warnings,
        plural_s(warnings)
    );
    let mut by_rule: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for d in &report.diagnostics {
        *by_rule.entry((d.rule, d.severity)).or_default() += 1;
    }
    let mut rows: Vec<((&str, Severity), usize)> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows.iter().map(|((r, _), _)| r.len()).max().unwrap_or(0);
    for ((rule, severity), n) in rows {
        let _ = writeln!(out, "  {rule:<width$}  {n} {severity}{}", plural_s(n));
    }
    if errors + warnings > 0 {
        out.push_str("run `pagelint check` to see each finding\n");
    }
    out
}

fn plural_s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
