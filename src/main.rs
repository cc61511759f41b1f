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
pub struct CheckArgs {
    /// Files or folders to report on. The site index always covers the whole content root:
    /// the config's `root`, else a single folder given here, else the config's folder, else `.`.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Configuration file (default: pagelint.yaml in the checked folder or the nearest parent,
    /// else in the current folder or the nearest parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The time date rules compare with, as RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock).
    #[arg(long, value_name = "RFC3339")]
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
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
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

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Rules) => cli::rules::list(),
        Some(Command::Explain { rule }) => cli::rules::explain(&rule),
        Some(Command::Check(args)) => cli::check::run(args, None),
        Some(Command::Fix { check, dry_run }) => cli::check::run(check, Some(dry_run)),
        Some(Command::LinksTo { uri, check }) => cli::links_to::run(&uri, check),
        None => cli::check::run(cli.check, None),
    }
}
