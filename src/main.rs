//! The pagelint command line: argument parsing, exit codes, and where output goes.

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::Timestamp;
use pagelint::config::Config;
use pagelint::diagnostic::Severity;
use pagelint::report;
use pagelint::{Request, rules, walk};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Link-integrity and content linter for sites kept as files: YAML front matter over HTML.
#[derive(Parser)]
#[command(name = "pagelint", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Check pages (the default command).
    Check(CheckArgs),
    /// Repair, in place, the links whose repair is certain: links written as page ids or with
    /// typos (when one page is the clear answer), links through redirects, absolute links to the
    /// site's own host, and trailing slashes against the site's policy.
    Fix {
        #[command(flatten)]
        check: CheckArgs,
        /// Print the changes as a unified diff and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// List every page and line that links to a URI (directly or through redirects): what
    /// breaks when that page moves or goes.
    LinksTo {
        /// The URI, as links write it (`/diagnosis/a-z/abscess`).
        uri: String,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// List every rule with its default severity.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. broken-link.
        rule: String,
    },
}

#[derive(Args, Clone)]
struct CheckArgs {
    /// Files or folders to report on. The site index always covers the whole content root:
    /// the config's `root`, else a single folder given here, else the config's folder, else `.`.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Configuration file (default: pagelint.yaml in the checked folder or the nearest parent,
    /// else in the current folder or the nearest parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The time date rules compare with, as RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock).
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Print diagnostics only: no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// No colors (NO_COLOR is honoured too, and colors are off when output is not a terminal).
    #[arg(long)]
    no_color: bool,
    /// Exit 1 when there are warnings, too.
    #[arg(long)]
    deny_warnings: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Neither read nor write the cache that runs on a few files keep in
    /// `<root>/.pagelint_cache/`.
    #[arg(long)]
    no_cache: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Rules) => {
            print_rules();
            ExitCode::SUCCESS
        }
        Some(Command::Explain { rule }) => match rules::find(&rule) {
            Some((_, r)) => {
                print!("{}", r.explain());
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: unknown rule `{rule}`; `pagelint rules` lists every rule");
                ExitCode::from(2)
            }
        },
        Some(Command::Check(args)) => run(args, None),
        Some(Command::Fix { check, dry_run }) => run(check, Some(dry_run)),
        Some(Command::LinksTo { uri, check }) => links_to(&uri, check),
        None => run(cli.check, None),
    }
}

fn print_rules() {
    let rules = rules::rules();
    let width = rules.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
    for r in rules {
        println!(
            "{:width$}  {:7}  {}",
            r.meta.id,
            r.meta.severity.to_string(),
            r.meta.summary
        );
    }
}

/// Report a usage or configuration problem and exit 2.
fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn now(flag: Option<&str>) -> Result<Timestamp, String> {
    if let Some(s) = flag {
        return s
            .parse()
            .map_err(|e| format!("--now {s:?} is not an RFC 3339 date-time: {e}"));
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| Timestamp::from_second(secs).ok())
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH={v:?} is not a number of seconds")),
        _ => Ok(Timestamp::now()),
    }
}

/// What a command runs on: the configuration, the root and the pages to report on.
struct Setup {
    config: Config,
    root: PathBuf,
    selected: Vec<String>,
    now: Timestamp,
}

/// Read the configuration and work out the root and the pages to report on; on a usage or
/// configuration error, the exit code (the error is already printed).
fn setup(args: &CheckArgs) -> Result<Setup, ExitCode> {
    if let Some(n) = args.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
    {
        return Err(usage_error(format!("--threads {n}: {e}")));
    }
    let now = match now(args.now.as_deref()) {
        Ok(t) => t,
        Err(e) => return Err(usage_error(e)),
    };
    let first_dir = args.paths.first().map(|p| {
        if p.is_dir() {
            p.clone()
        } else {
            p.parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        }
    });
    let config_file = args.config.clone().or_else(|| {
        first_dir
            .as_deref()
            .and_then(Config::discover)
            .or_else(|| Config::discover(Path::new(".")))
    });
    let config = match &config_file {
        Some(file) => match Config::load(file) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{:?}", miette::Report::new(*e));
                return Err(ExitCode::from(2));
            }
        },
        None => Config::default(),
    };
    let single_dir = match args.paths.as_slice() {
        [p] if p.is_dir() => Some(p.clone()),
        _ => None,
    };
    let root = config
        .root
        .clone()
        .or(single_dir)
        .or_else(|| {
            config_file.as_deref().and_then(Path::parent).map(|d| {
                if d.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    d.to_path_buf()
                }
            })
        })
        .unwrap_or_else(|| PathBuf::from("."));
    let root = relative_to_cwd(root);
    let mut selected = Vec::new();
    for p in &args.paths {
        if !p.exists() {
            return Err(usage_error(format!(
                "{}: no such file or folder",
                p.display()
            )));
        }
        let (Ok(abs_root), Ok(abs_p)) = (std::path::absolute(&root), std::path::absolute(p)) else {
            return Err(usage_error(format!(
                "{}: cannot resolve the path",
                p.display()
            )));
        };
        let (abs_root, abs_p) = (normalize(&abs_root), normalize(&abs_p));
        if !abs_p.starts_with(&abs_root) {
            return Err(usage_error(format!(
                "{} is not under the content root {}",
                p.display(),
                root.display()
            )));
        }
        selected.push(walk::relative(&abs_root, &abs_p));
    }
    Ok(Setup {
        config,
        root,
        selected,
        now,
    })
}

/// Check, or with `fix` (its value: dry run) also repair, and report what is left.
fn run(args: CheckArgs, fix: Option<bool>) -> ExitCode {
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
    let mut report = match pagelint::check(&request) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    if let Some(dry_run) = fix {
        let outcome = pagelint::fix::fix(&report.diagnostics, &config.base_path, dry_run);
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

/// `links-to URI`: every page and line that links to it, sorted; a count on stderr.
fn links_to(uri: &str, args: CheckArgs) -> ExitCode {
    let Setup {
        config,
        root,
        selected: _,
        now,
    } = match setup(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    // The whole site is read: links from every page count.
    let request = Request {
        config: &config,
        root,
        selected: Vec::new(),
        now,
        progress: &pagelint::NoProgress,
        cache: false,
    };
    let site = match pagelint::index(&request) {
        Ok((_, site)) => site,
        Err(e) => return usage_error(e),
    };
    let target = pagelint::uri::Uri::from_path(uri);
    let mut found: Vec<(String, u32, u32, String)> = site
        .links_to(&target)
        .into_iter()
        .map(|(page, link, via)| {
            let via = via.map_or(String::new(), |f| format!(" (through {})", f.describe()));
            (
                page.path.clone(),
                link.position.line,
                link.position.column,
                via,
            )
        })
        .collect();
    found.sort();
    let mut out = String::new();
    match args.format {
        Format::Json => {
            let links: Vec<serde_json::Value> = found
                .iter()
                .map(|(path, line, column, via)| {
                    serde_json::json!({"path": path, "line": line, "column": column, "via": via.trim()})
                })
                .collect();
            out = serde_json::json!({"version": 1, "uri": target.as_str(), "links": links})
                .to_string();
            out.push('\n');
        }
        Format::Human | Format::Github => {
            for (path, line, column, via) in &found {
                out.push_str(&format!("{path}:{line}:{column}: links to {target}{via}\n"));
            }
        }
    }
    print!("{out}");
    if !args.quiet {
        let pages: std::collections::BTreeSet<&str> =
            found.iter().map(|(p, ..)| p.as_str()).collect();
        eprintln!(
            "pagelint: {} link{} to {target} from {} page{}{}",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            if site.lookup(&target).is_none() {
                " (no page has this URI)"
            } else {
                ""
            },
        );
    }
    ExitCode::SUCCESS
}

/// A progress bar on stderr for runs long enough to want one, on a terminal only.
struct Bar(Option<indicatif::ProgressBar>);

/// Runs with fewer pages are over before a bar would help.
const BAR_MIN_PAGES: usize = 2000;

impl Bar {
    fn new(enabled: bool) -> Bar {
        Bar(enabled.then(|| {
            let bar = indicatif::ProgressBar::hidden();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        }))
    }
}

impl pagelint::Progress for Bar {
    fn start(&self, pages: usize) {
        if let Some(bar) = &self.0
            && pages >= BAR_MIN_PAGES
        {
            bar.set_length(pages as u64);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn page_done(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
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

/// Show a root found through config discovery (an absolute path) relative to the current
/// folder when it lies under it, so diagnostics show short paths.
fn relative_to_cwd(path: PathBuf) -> PathBuf {
    if !path.is_absolute() {
        return path;
    }
    let Ok(cwd) = std::env::current_dir() else {
        return path;
    };
    match path.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path,
    }
}

/// Lexically drop `.` and resolve `..` (paths need not exist yet to compare).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok()?.parse().ok()
}
