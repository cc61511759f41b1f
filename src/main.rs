//! The pagelint command line: argument parsing and dispatch to the drivers in `cli/`.

mod cli;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

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
        site: SiteArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Print the links only: no count on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Write a first pagelint.yaml for the site in DIR, inferred from its pages: the content
    /// root, the fields that hold URIs, ids, authorship, dates and links to other pages, the
    /// site's own hosts, the page types without authorship, and likely routes (commented out,
    /// with counts). Never overwrites an existing pagelint.yaml.
    Init {
        /// The site's or repository's folder; the config is written there.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Print the configuration on stdout instead of writing it.
        #[arg(long, alias = "stdout")]
        dry_run: bool,
        /// The time the first check's date rules compare with, as RFC 3339.
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
    },
    /// List every rule with its default severity.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. broken-link.
        rule: String,
    },
}

/// Where the site is and how to read it: what every command that reads the site shares.
#[derive(Args, Clone)]
pub struct SiteArgs {
    /// Files or folders to report on (default: the whole site). Paths that are not pages of
    /// the site (outside the content root, not matched by `include`, deleted, images, READMEs)
    /// are skipped, so a pre-commit hook may pass any changed file.
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: pagelint.yaml in the folder of the first path or its
    /// nearest parent, else in the current folder or its nearest parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The content root: every page under it is indexed (default: the config's `root`, else
    /// the config file's folder unless a single folder given lies outside it, else that
    /// folder, else the current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Worker threads (default: one per core; at most 256).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// Say which given paths were skipped, and why.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The time date rules compare with: an RFC 3339 date-time or a YYYY-MM-DD date (midnight
    /// UTC) (default: SOURCE_DATE_EPOCH, else the clock).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Print diagnostics only: no summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// No colors (NO_COLOR is honoured too, and colors are off when output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
    /// Exit 1 when there are warnings, too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Exit 1 when there are more than N warnings (errors always fail).
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Exit 0 even when there are errors (for gradual adoption); usage errors still exit 2.
    #[arg(long)]
    pub exit_zero: bool,
    /// Run only these rules (comma-separated ids).
    #[arg(long, value_name = "RULE,…", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_name = "RULE,…", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Report only findings of at least this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<MinSeverity>,
    /// Write the chosen format to FILE; the terminal still gets the human report.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fail only on findings not recorded in this baseline file (see --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in FILE as the baseline and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Print a table of counts per rule (count, rule, severity, fixable) instead of each finding.
    #[arg(long)]
    pub statistics: bool,
    /// Neither read nor write the cache that runs on a few files keep in
    /// `<root>/.pagelint_cache/`.
    #[arg(long)]
    pub no_cache: bool,
    /// Report on the pages changed since the merge base of REF and HEAD (committed, staged,
    /// unstaged and untracked), and on every other page that links to a URI or fragment those
    /// changes removed. PATHs add pages to these.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Each finding with its source line, a label under the span, and the help.
    Human,
    /// One line per finding: `path:line:col: rule: message`.
    Concise,
    /// One JSON document (version 1).
    Json,
    /// GitHub Actions annotations; with GITHUB_STEP_SUMMARY set, also a job summary.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML, for CI test reports (GitLab, Jenkins).
    Junit,
    /// reviewdog's Diagnostic Result JSON.
    Rdjson,
    /// GitLab Code Quality.
    Gitlab,
}

/// The least severity `--min-severity` keeps.
#[derive(Clone, Copy, ValueEnum)]
pub enum MinSeverity {
    Warning,
    Error,
}

/// `links-to` output.
#[derive(Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

/// The subcommands, for a did-you-mean when the first word is none of them.
const COMMANDS: [&str; 5] = ["check", "fix", "links-to", "rules", "explain"];

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Configuration errors are miette reports: as wide as the terminal says it is.
    if let Some(width) = cli::terminal_width() {
        let _ = miette::set_hook(Box::new(move |_| {
            Box::new(miette::MietteHandlerOpts::new().width(width).build())
        }));
    }
    // `pagelint chek`: a first word that is no path but close to a command is a typo.
    if cli.command.is_none()
        && let Some(first) = cli.check.site.paths.first()
        && let Some(word) = first.to_str()
        && std::fs::symlink_metadata(first).is_err()
        && let Some(command) = pagelint::site::suggest::closest(word, COMMANDS.iter().copied(), 2)
    {
        eprintln!(
            "error: unknown command `{word}`; did you mean `{command}`? (`pagelint --help` lists the commands)"
        );
        return ExitCode::from(2);
    }
    match cli.command {
        Some(Command::Init { dir, dry_run, now }) => {
            cli::init::run(cli::init::InitArgs { dir, dry_run, now })
        }
        Some(Command::Rules) => cli::rules::list(),
        Some(Command::Explain { rule }) => cli::rules::explain(&rule),
        Some(Command::Check(args)) => cli::check::run(args, None),
        Some(Command::Fix { check, dry_run }) => cli::check::run(check, Some(dry_run)),
        Some(Command::LinksTo {
            uri,
            site,
            format,
            quiet,
        }) => cli::links_to::run(&uri, &site, format, quiet),
        None => cli::check::run(cli.check, None),
    }
}
