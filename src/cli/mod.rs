//! The command drivers: each turns parsed arguments into a run of the library and its output,
//! and owns its exit code. What they share — reading the configuration and working out the
//! content root and the pages reported on — is here.

pub mod changed;
pub mod check;
pub mod links_to;
pub mod progress;
pub mod rules;

use crate::CheckArgs;
use jiff::Timestamp;
use pagelint::config::Config;
use pagelint::source::walk;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Report a usage or configuration problem and exit 2.
pub fn usage_error(message: impl std::fmt::Display) -> ExitCode {
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
pub struct Setup {
    pub config: Config,
    pub root: PathBuf,
    pub selected: Vec<String>,
    pub now: Timestamp,
}

/// Read the configuration and work out the root and the pages to report on; on a usage or
/// configuration error, the exit code (the error is already printed).
pub fn setup(args: &CheckArgs) -> Result<Setup, ExitCode> {
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

pub fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok()?.parse().ok()
}
