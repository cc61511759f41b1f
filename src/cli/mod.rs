//! The command drivers: each turns parsed arguments into a run of the library and its output,
//! and owns its exit code. What they share — reading the configuration and working out the
//! content root and the pages reported on — is here.

pub mod changed;
pub mod check;
pub mod init;
pub mod links_to;
pub mod progress;
pub mod rules;

use crate::SiteArgs;
use jiff::Timestamp;
use pagelint::config::Config;
use pagelint::source::open::normalize;
use pagelint::source::walk;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write a file pagelint was asked to write (`--output`, `--write-baseline`): to a new
/// temporary file beside it, then renamed over it, so that a path a pull request committed as
/// a symlink is replaced, never written through; under the current folder or the content
/// root (`root`, canonical), a symlinked folder on its way may not lead out of them
/// (`source::write::report_under`).
pub fn write_file(path: &Path, root: Option<&Path>, bytes: &[u8]) -> std::io::Result<()> {
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize()).ok();
    let bases: Vec<&Path> = cwd.as_deref().into_iter().chain(root).collect();
    pagelint::source::write::report_under(&bases, path, bytes)
}

/// Write `text` to stdout. A reader that went away (`pagelint … | head`) ends the output
/// quietly, as ripgrep does (the exit code is still the findings'); any other failure (a full
/// disk) is an error: exit 2, saying the report could not be written.
pub fn print(text: &str) -> Result<(), ExitCode> {
    print_with(|out| out.write_all(text.as_bytes()))
}

/// Write a report to stdout with `write` (through a buffer), as `print` does: a reader that
/// went away ends it quietly, any other failure (a full disk) is an error.
pub fn print_with(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), ExitCode> {
    use std::io::Write as _;
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(usage_error(format!(
            "cannot write the report to stdout: {e}"
        ))),
    }
}

/// Report a usage or configuration problem and exit 2.
pub fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// "Now" for date rules: `--now` (an RFC 3339 date-time or a plain date, as front matter
/// accepts), else SOURCE_DATE_EPOCH, else the clock.
pub fn now(flag: Option<&str>) -> Result<Timestamp, String> {
    if let Some(s) = flag {
        return pagelint::rules::dates::parse_date(s).ok_or_else(|| {
            format!("--now {s:?} is neither an RFC 3339 date-time nor a YYYY-MM-DD date")
        });
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
pub struct Setup {
    pub config: Config,
    pub root: PathBuf,
    /// Root-relative paths of the files and folders reported on; empty: the whole site.
    pub selected: Vec<String>,
    /// Given paths that are not pages of the site, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
}

impl Setup {
    /// Whether paths were given and none of them is a page of the site: nothing to report on.
    pub fn nothing_selected(&self) -> bool {
        self.selected.is_empty() && !self.skipped.is_empty()
    }

    /// Say on stderr which given paths were skipped (with `--verbose`), or how many.
    pub fn tell_skipped(&self, verbose: bool, quiet: bool) {
        if verbose {
            for (path, why) in &self.skipped {
                eprintln!("pagelint: skipped {}: {why}", path.display());
            }
        } else if !quiet && self.nothing_selected() {
            let what = match self.skipped.len() {
                1 => "the given path is not".to_owned(),
                n => format!("none of the {n} given paths is"),
            };
            eprintln!("pagelint: {what} a page of the site (--verbose says why)");
        }
    }
}

/// Read the configuration and work out the root and the pages to report on; on a usage or
/// configuration error, the exit code (the error is already printed).
pub fn setup(args: &SiteArgs) -> Result<Setup, ExitCode> {
    if let Some(n) = args.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.into())
            .build_global()
    {
        return Err(usage_error(format!("--threads {n}: {e}")));
    }
    let first_dir = args.paths.first().map(|p| {
        if p.is_dir() {
            p.clone()
        } else {
            p.parent()
                .filter(|d| d.is_dir())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        }
    });
    // The first path's folder as written, then as it really is (a symlinked folder's own
    // parents hold the site's config), then the current folder.
    let config_file = args.config.clone().or_else(|| {
        first_dir
            .as_deref()
            .and_then(|d| Config::discover(d).or_else(|| Config::discover(&d.canonicalize().ok()?)))
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
    let config_dir = config_file.as_deref().and_then(Path::parent).map(|d| {
        if d.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            d.to_path_buf()
        }
    });
    // The config file's folder is the site, unless the one folder given lies outside it (a
    // config given with --config for a site kept elsewhere).
    let inside =
        |dir: &Path, folder: &Path| match (std::path::absolute(dir), std::path::absolute(folder)) {
            (Ok(d), Ok(f)) => normalize(&d).starts_with(normalize(&f)),
            _ => false,
        };
    let site_dir = match (config_dir, single_dir) {
        (Some(c), Some(d)) if !inside(&d, &c) => Some(d),
        (Some(c), _) => Some(c),
        (None, d) => d,
    };
    let root = args
        .root
        .clone()
        .or_else(|| config.root.clone())
        .or(site_dir)
        .unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        return Err(usage_error(format!(
            "the content root {} is not a folder{}",
            root.display(),
            match (&args.root, &config_file) {
                (Some(_), _) => " (--root)".to_owned(),
                (None, Some(file)) => format!(" (from {})", file.display()),
                (None, None) => String::new(),
            }
        )));
    }
    let root = relative_to_cwd(root);
    let Ok(abs_root) = std::path::absolute(&root).map(|r| normalize(&r)) else {
        return Err(usage_error(format!(
            "{}: cannot resolve the path",
            root.display()
        )));
    };
    let mut selected = Vec::new();
    let mut skipped = Vec::new();
    for p in &args.paths {
        match select(p, &abs_root, &config) {
            Ok(rel) => selected.push(rel),
            Err(why) => skipped.push((p.clone(), why)),
        }
    }
    Ok(Setup {
        config,
        root,
        selected,
        skipped,
    })
}

/// The root-relative path a given path selects ("" for the whole site), or why it selects no
/// page of the site.
fn select(path: &Path, abs_root: &Path, config: &Config) -> Result<String, String> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Err("no such file or folder (deleted or moved?)".into());
    };
    let abs = std::path::absolute(path)
        .map(|p| normalize(&p))
        .map_err(|e| format!("cannot resolve the path: {e}"))?;
    if meta.is_dir() && abs_root.starts_with(&abs) {
        // The root itself, or a folder that holds it (the site's folder): the whole site.
        return Ok(String::new());
    }
    let rel = if abs.starts_with(abs_root) {
        walk::relative(abs_root, &abs)
    } else {
        // Reached through a symlinked folder: where it really is decides.
        match (path.canonicalize(), abs_root.canonicalize()) {
            (Ok(real), Ok(real_root)) if real.starts_with(&real_root) => {
                walk::relative(&real_root, &real)
            }
            _ => return Err(format!("outside the content root {}", abs_root.display())),
        }
    };
    if meta.is_dir() {
        return Ok(rel);
    }
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let real_root = abs_root
        .canonicalize()
        .map_err(|e| format!("cannot resolve the content root: {e}"))?;
    match walk::not_a_page(&real_root, &rel, config) {
        Some(why) => Err(why),
        None => Ok(rel),
    }
}

/// Show a root found through config discovery (an absolute path) relative to the current
/// folder, so diagnostics show short paths: `content` below it, `../content` beside it; a
/// root that shares nothing with it but `/` stays absolute.
fn relative_to_cwd(path: PathBuf) -> PathBuf {
    if !path.is_absolute() {
        return path;
    }
    let Ok(cwd) = std::env::current_dir() else {
        return path;
    };
    let (path_n, cwd_n) = (normalize(&path), normalize(&cwd));
    let common = path_n
        .components()
        .zip(cwd_n.components())
        .take_while(|(a, b)| a == b)
        .count();
    // Only `/` in common (or a different drive): an absolute path reads better.
    if common <= 1 {
        return path;
    }
    let mut rel = PathBuf::new();
    for _ in cwd_n.components().skip(common) {
        rel.push("..");
    }
    for c in path_n.components().skip(common) {
        rel.push(c);
    }
    if rel.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        rel
    }
}

pub fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok()?.parse().ok()
}
