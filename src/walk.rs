//! Which files are pages: a walk of the content root with include/exclude globs.
//!
//! Hidden folders, `target/` and `node_modules/` are skipped. Symlinks are followed only while
//! they stay inside the root; a symlink that leads out of it, a symlink loop and an unreadable
//! folder are reported, and the walk goes on.

use crate::config::Config;
use std::path::{Path, PathBuf};
use walkdir::{DirEntry, WalkDir};

/// A file the walk found.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The path as walked (the root as given, joined with `rel`).
    pub path: PathBuf,
    /// The path relative to the root, with `/` separators.
    pub rel: String,
}

/// What the walk yields: a page file, or a path it could not follow.
#[derive(Debug)]
pub enum Walked {
    Page(Entry),
    Problem { entry: Entry, message: String },
}

const SKIPPED_DIRS: [&str; 2] = ["target", "node_modules"];

/// The path of `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Walk `root` for pages, in a stable (sorted) order.
pub fn walk(root: &Path, config: &Config) -> std::io::Result<Vec<Walked>> {
    let canonical_root = root.canonicalize()?;
    let mut found = Vec::new();
    let mut escapes = Vec::new();
    let keep = |e: &DirEntry, escapes: &mut Vec<Entry>| -> bool {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        if name.starts_with('.') {
            return false;
        }
        if e.file_type().is_dir() && SKIPPED_DIRS.contains(&name.as_ref()) {
            return false;
        }
        if e.path_is_symlink() {
            let inside = e
                .path()
                .canonicalize()
                .is_ok_and(|target| target.starts_with(&canonical_root));
            if !inside {
                escapes.push(Entry {
                    path: e.path().to_path_buf(),
                    rel: relative(root, e.path()),
                });
                return false;
            }
        }
        true
    };
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| keep(e, &mut escapes));
    for item in walker {
        match item {
            Ok(e) => {
                if e.file_type().is_dir() {
                    continue;
                }
                let rel = relative(root, e.path());
                if config.include.is_match(&rel) && !config.exclude.is_match(&rel) {
                    found.push(Walked::Page(Entry {
                        path: e.path().to_path_buf(),
                        rel,
                    }));
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let message = match err.loop_ancestor() {
                    Some(ancestor) => format!(
                        "symlink loop: this symlink leads back to its own ancestor `{}`; it is \
                         not followed",
                        relative_or_root(root, ancestor)
                    ),
                    None => match err.io_error() {
                        Some(io) => format!("cannot read this path: {io}"),
                        None => err.to_string(),
                    },
                };
                found.push(Walked::Problem {
                    entry: Entry {
                        rel: relative(root, &path),
                        path,
                    },
                    message,
                });
            }
        }
    }
    for entry in escapes {
        // Only report escapes that would have been pages (or folders that may hold some).
        let is_dir = std::fs::metadata(&entry.path).is_ok_and(|m| m.is_dir());
        if is_dir || config.include.is_match(&entry.rel) {
            let message =
                "this symlink leads out of the content root; it is not followed".to_owned();
            found.push(Walked::Problem { entry, message });
        }
    }
    Ok(found)
}

fn relative_or_root(root: &Path, path: &Path) -> String {
    let rel = relative(root, path);
    if rel.is_empty() { ".".into() } else { rel }
}

/// Keep `path` as the user wrote it, minus a leading `./`.
pub fn display_root(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::new()
    } else {
        root.strip_prefix(".").unwrap_or(root).to_path_buf()
    }
}
