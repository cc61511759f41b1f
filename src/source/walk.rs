//! Which files are pages: a walk of the content root with include/exclude globs.
//!
//! Hidden folders, `target/` and `node_modules/` are skipped. Symlinks are followed only while
//! they stay inside the root; a symlink that leads out of it, a symlink loop and an unreadable
//! folder are reported, and the walk goes on.

use crate::config::Config;
use rayon::prelude::*;
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

impl Entry {
    /// The path relative to the root as the file system names it: `rel` is shown text, which
    /// two names that are not UTF-8 can share; this is the end of `path` with as many parts.
    pub fn rel_path(&self) -> PathBuf {
        let parts = self.rel.split('/').count();
        let all: Vec<_> = self.path.components().collect();
        all[all.len().saturating_sub(parts)..].iter().collect()
    }
}

/// A folder symlink set aside while walking, to be walked once (if at all) after every real
/// folder: its path as walked, and its target's canonical path.
#[derive(Debug)]
struct Linked {
    entry: Entry,
    target: PathBuf,
}

/// What the walk yields: a page file, or a path it could not follow.
#[derive(Debug)]
pub enum Walked {
    Page(Entry),
    Problem { entry: Entry, message: String },
}

/// Folders never walked (besides hidden ones).
pub const SKIPPED_DIRS: [&str; 2] = ["target", "node_modules"];

/// A repository's own documents, which sit beside a site's pages but are not pages:
/// `README.md`, `CHANGELOG.md`, `LICENSE`, … (by stem, in any case and with any extension),
/// unless the file starts with front matter (`starts_with_front_matter`).
const REPOSITORY_DOCS: [&str; 7] = [
    "readme",
    "changelog",
    "license",
    "licence",
    "contributing",
    "code_of_conduct",
    "security",
];

/// Whether a file name is one of the repository's own documents.
fn is_repository_doc(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    REPOSITORY_DOCS.iter().any(|d| stem.eq_ignore_ascii_case(d))
}

/// Whether the file at `rel` (inside `root`, canonical) starts with front matter (`---` on
/// its first line, after a byte order mark): a page named like a repository document
/// (`security.md`, `license.html`) is still a page, as a README is not. Read as every file is
/// (`source::open`): a symlink out of the root, a FIFO or a device is not looked into.
fn starts_with_front_matter(root: &Path, rel: &Path) -> bool {
    let Ok(head) = crate::source::open::read_head_inside(root, rel, 8) else {
        return false;
    };
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    head.strip_prefix(b"---").is_some_and(|rest| {
        rest.first()
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    })
}

/// Why the regular file at `rel` (relative to `root`, which is canonical; `/` separators) is
/// not a page the walk would find, or `None` when it is one: the same tests the walk makes,
/// for paths given by hand.
pub fn not_a_page(root: &Path, rel: &str, config: &Config) -> Option<String> {
    if let Some(why) = never_walked(rel) {
        return Some(why);
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if is_repository_doc(name) && !starts_with_front_matter(root, Path::new(rel)) {
        return Some("a repository document (README, CHANGELOG, LICENSE, …), not a page".into());
    }
    if !config.include.is_match(rel) {
        return Some(format!(
            "not matched by include ({})",
            config.include_patterns.join(", ")
        ));
    }
    if config.exclude.is_match(rel) {
        return Some(format!(
            "matched by exclude ({})",
            config.exclude_patterns.join(", ")
        ));
    }
    None
}

/// Why a walk never goes to `rel` (relative to the root, `/` separators): a hidden part, or a
/// `target/` or `node_modules/` folder on the way; `None` when it may.
fn never_walked(rel: &str) -> Option<String> {
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        if part.is_empty() || part.starts_with('.') {
            return Some(format!(
                "in a hidden {}, which is never walked",
                if last { "file" } else { "folder" }
            ));
        }
        if !last && SKIPPED_DIRS.contains(&part) {
            return Some(format!("under {part}/, which is never walked"));
        }
    }
    None
}

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

/// What a walk found: the page files (and problems), and the folders it listed — `None` when
/// it met a symlink or a problem, so that only a real walk can tell what is there.
pub struct Walk {
    pub files: Vec<Walked>,
    pub dirs: Option<Vec<String>>,
}

/// Walk `root` for pages, in a stable (sorted) order. The first levels of the tree are listed
/// first, and the subtrees below them walked in parallel: on a site kept as `<uri>/index.html`,
/// listing folders is most of the cost of a run.
pub fn walk(root: &Path, config: &Config) -> std::io::Result<Walk> {
    let walker = Walker {
        root,
        canonical_root: root.canonicalize()?,
        config,
        linked: std::sync::Mutex::new(Vec::new()),
        linked_files: std::sync::Mutex::new(Vec::new()),
    };
    let mut found = Vec::new();
    let mut dirs = Some(vec![String::new()]);
    let mut frontier = vec![root.to_path_buf()];
    let enough = rayon::current_num_threads() * 8;
    for _ in 0..SPLIT_LEVELS {
        if frontier.len() >= enough {
            break;
        }
        let mut next = Vec::new();
        for dir in &frontier {
            walker.walk_tree(dir, Some(&mut next), &mut found, &mut dirs);
        }
        frontier = next;
    }
    let subtrees: Vec<(Vec<Walked>, Option<Vec<String>>)> = frontier
        .par_iter()
        .map(|dir| {
            let mut out = Vec::new();
            let mut subdirs = Some(Vec::new());
            walker.walk_tree(dir, None, &mut out, &mut subdirs);
            (out, subdirs)
        })
        .collect();
    for (files, subdirs) in subtrees {
        found.extend(files);
        match (&mut dirs, subdirs) {
            (Some(all), Some(more)) => all.extend(more),
            _ => dirs = None,
        }
    }
    walker.walk_linked_folders(&mut found, &mut dirs);
    found.sort_by(|a, b| a.entry().rel.cmp(&b.entry().rel));
    let linked = walker.linked_files.into_inner().unwrap_or_default();
    dedupe_linked(&mut found, linked);
    if let Some(dirs) = &mut dirs {
        dirs.sort();
    }
    Ok(Walk { files: found, dirs })
}

/// How many levels are listed before subtrees are walked in parallel.
const SPLIT_LEVELS: usize = 3;

impl Walked {
    pub fn entry(&self) -> &Entry {
        match self {
            Walked::Page(e) | Walked::Problem { entry: e, .. } => e,
        }
    }
}

struct Walker<'a> {
    root: &'a Path,
    canonical_root: PathBuf,
    config: &'a Config,
    /// Folder symlinks met, walked after the real folders (`walk_linked_folders`).
    linked: std::sync::Mutex<Vec<Linked>>,
    /// The canonical path of every page reached through a symlink, by its path as walked.
    linked_files: std::sync::Mutex<Vec<(PathBuf, PathBuf)>>,
}

impl Walker<'_> {
    /// Walk `dir`; with `subdirs`, only list it: its folders go there, unwalked. The folders
    /// seen go to `dirs`, which becomes `None` at the first symlink or problem.
    fn walk_tree(
        &self,
        dir: &Path,
        subdirs: Option<&mut Vec<PathBuf>>,
        out: &mut Vec<Walked>,
        dirs: &mut Option<Vec<String>>,
    ) {
        self.walk_tree_from(dir, subdirs, out, dirs, false);
    }

    /// `walk_tree`; `via_link` when `dir` is reached through a folder symlink (its pages are
    /// then known by their canonical paths, to be read once however many links reach them).
    fn walk_tree_from(
        &self,
        dir: &Path,
        mut subdirs: Option<&mut Vec<PathBuf>>,
        out: &mut Vec<Walked>,
        dirs: &mut Option<Vec<String>>,
        via_link: bool,
    ) {
        let mut skipped = Vec::new();
        let mut walker = WalkDir::new(dir).follow_links(true);
        if subdirs.is_some() {
            walker = walker.max_depth(1);
        }
        let entries = walker
            .into_iter()
            .filter_entry(|e| self.keep(e, &mut skipped));
        for item in entries {
            match item {
                Ok(e) if e.depth() == 0 => {}
                Ok(e) if e.path_is_symlink() && e.file_type().is_dir() => {
                    *dirs = None;
                    if let Some(subdirs) = subdirs.as_deref_mut() {
                        subdirs.push(e.into_path());
                    }
                }
                Ok(e) if e.file_type().is_dir() => {
                    if let Some(dirs) = dirs {
                        dirs.push(relative(self.root, e.path()));
                    }
                    if let Some(subdirs) = subdirs.as_deref_mut() {
                        subdirs.push(e.into_path());
                    }
                }
                Ok(e) => {
                    if e.path_is_symlink() || via_link {
                        *dirs = None;
                        // A file reached through a symlink is known by its real path when the
                        // walk lists that one, else by the first link to it (`dedupe_linked`).
                        let Ok(target) = e.path().canonicalize() else {
                            continue;
                        };
                        if self.walked_as_itself(&target, true) {
                            continue;
                        }
                        if let Ok(mut files) = self.linked_files.lock() {
                            files.push((e.path().to_path_buf(), target));
                        }
                    }
                    let rel = relative(self.root, e.path());
                    if self.config.include.is_match(&rel) && !self.config.exclude.is_match(&rel) {
                        let regular = e.file_type().is_file();
                        let doc = is_repository_doc(&e.file_name().to_string_lossy());
                        let entry = Entry {
                            path: e.into_path(),
                            rel,
                        };
                        if regular && doc {
                            // Its first line decides: the cache looks at its time, as at a
                            // folder's, to know the answer still holds.
                            if let Some(dirs) = dirs {
                                dirs.push(entry.rel.clone());
                            }
                            if starts_with_front_matter(&self.canonical_root, &entry.rel_path()) {
                                out.push(Walked::Page(entry));
                            }
                        } else if regular {
                            out.push(Walked::Page(entry));
                        } else {
                            // Opening a FIFO waits for a writer: only regular files are read.
                            *dirs = None;
                            out.push(Walked::Problem {
                                entry,
                                message: "not a regular file (a FIFO, socket or device); it is \
                                          not read"
                                    .into(),
                            });
                        }
                    }
                }
                Err(err) => {
                    *dirs = None;
                    let path = err
                        .path()
                        .map_or_else(|| self.root.to_path_buf(), Path::to_path_buf);
                    let message = match err.loop_ancestor() {
                        Some(ancestor) => loop_message(self.root, ancestor),
                        None => match err.io_error() {
                            Some(io) => format!("cannot read this path: {io}"),
                            None => err.to_string(),
                        },
                    };
                    out.push(Walked::Problem {
                        entry: Entry {
                            rel: relative(self.root, &path),
                            path,
                        },
                        message,
                    });
                }
            }
        }
        if !skipped.is_empty() {
            *dirs = None;
        }
        for (entry, message) in skipped {
            // Only report symlinks that would have been pages, or folders that may hold some.
            let is_dir = std::fs::metadata(&entry.path).is_ok_and(|m| m.is_dir());
            if is_dir || self.config.include.is_match(&entry.rel) {
                out.push(Walked::Problem { entry, message });
            }
        }
    }

    /// Whether the walk goes into `e`; symlinks that leave the root or loop are set aside.
    fn keep(&self, e: &DirEntry, skipped: &mut Vec<(Entry, String)>) -> bool {
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
            let target = e.path().canonicalize().ok();
            let message = match &target {
                Some(t) if !t.starts_with(&self.canonical_root) => {
                    Some("this symlink leads out of the content root; it is not followed".into())
                }
                None => Some("this symlink leads nowhere; it is not followed".into()),
                // A folder symlink whose target holds it: a loop, even across subtrees.
                Some(t) => e
                    .path()
                    .parent()
                    .and_then(|p| p.canonicalize().ok())
                    .filter(|parent| e.file_type().is_dir() && parent.starts_with(t))
                    .map(|_| loop_message(self.root, t)),
            };
            if let Some(message) = message {
                let entry = Entry {
                    path: e.path().to_path_buf(),
                    rel: relative(self.root, e.path()),
                };
                skipped.push((entry, message));
                return false;
            }
            // A folder symlink inside the root: walked once, after the real folders, and only
            // if they do not hold its target (`walk_linked_folders`).
            if e.file_type().is_dir()
                && let (Some(target), Ok(mut linked)) = (target, self.linked.lock())
            {
                linked.push(Linked {
                    entry: Entry {
                        path: e.path().to_path_buf(),
                        rel: relative(self.root, e.path()),
                    },
                    target,
                });
                return false;
            }
        }
        true
    }

    /// Whether the walk of real folders lists `target` (canonical, inside the root): no part
    /// of its path is hidden or skipped (and, for a file, it is included).
    fn walked_as_itself(&self, target: &Path, file: bool) -> bool {
        let Ok(rel) = target.strip_prefix(&self.canonical_root) else {
            return false;
        };
        let rel = relative(Path::new(""), rel);
        if rel.is_empty() {
            return !file;
        }
        never_walked(&rel).is_none()
            && (!file
                || (self.config.include.is_match(&rel) && !self.config.exclude.is_match(&rel)))
    }

    /// Walk the folder symlinks met, in sorted order of their paths, each target folder once:
    /// not at all when the walk of real folders holds it, else through the first link to it.
    /// The symlinks inside are set aside in turn, so that folders linking each other cost one
    /// walk each, not one per path through them.
    fn walk_linked_folders(&self, found: &mut Vec<Walked>, dirs: &mut Option<Vec<String>>) {
        let mut seen = std::collections::HashSet::new();
        loop {
            let mut batch = match self.linked.lock() {
                Ok(mut linked) => std::mem::take(&mut *linked),
                Err(_) => return,
            };
            if batch.is_empty() {
                return;
            }
            *dirs = None;
            batch.sort_by(|a, b| a.entry.rel.cmp(&b.entry.rel));
            for link in batch {
                if self.walked_as_itself(&link.target, false) || !seen.insert(link.target) {
                    continue;
                }
                self.walk_tree_from(&link.entry.path, None, found, dirs, true);
            }
        }
    }
}

/// Keep one entry per file reached through symlinks (`linked`: path as walked → canonical
/// path): the first in `found`'s (sorted) order.
fn dedupe_linked(found: &mut Vec<Walked>, linked: Vec<(PathBuf, PathBuf)>) {
    if linked.is_empty() {
        return;
    }
    let canonical: std::collections::HashMap<PathBuf, PathBuf> = linked.into_iter().collect();
    let mut seen = std::collections::HashSet::new();
    found.retain(|w| match (w, canonical.get(&w.entry().path)) {
        (Walked::Page(_), Some(target)) => seen.insert(target.clone()),
        _ => true,
    });
}

fn loop_message(root: &Path, ancestor: &Path) -> String {
    let shown = if ancestor.is_absolute() {
        ancestor
            .canonicalize()
            .ok()
            .and_then(|a| {
                let r = root.canonicalize().ok()?;
                Some(relative_or_root(&r, &a))
            })
            .unwrap_or_else(|| ancestor.display().to_string())
    } else {
        relative_or_root(root, ancestor)
    };
    format!(
        "symlink loop: this symlink leads back to its own ancestor `{shown}`; it is not followed"
    )
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

/// Whether a walk of the root would list the file at `rel` (relative to the root, with `/`
/// separators) as a page: it matches `include` and not `exclude`, and no part of its path is
/// hidden, nor a `target/` or `node_modules/` folder. (Symlinks are the walk's to judge.)
pub fn would_walk(rel: &str, config: &Config) -> bool {
    never_walked(rel).is_none() && config.include.is_match(rel) && !config.exclude.is_match(rel)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_readme_is_looked_into_only_inside_the_root_and_only_when_regular() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path().canonicalize().expect("canonical");
        let root = base.join("site");
        std::fs::create_dir_all(root.join("docs")).expect("mkdir");
        let page = "---\nuri: /x\n---\n";
        std::fs::write(base.join("README.md"), page).expect("write");
        std::fs::write(root.join("docs/README.md"), page).expect("write");
        std::fs::write(root.join("CHANGELOG.md"), "# Changes\n").expect("write");
        std::os::unix::fs::symlink("docs/README.md", root.join("in.md")).expect("symlink");
        std::os::unix::fs::symlink("../README.md", root.join("README.md")).expect("symlink");
        rustix::fs::mkfifoat(rustix::fs::CWD, root.join("SECURITY.md"), 0o600.into())
            .expect("mkfifo");
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rels = [
                "docs/README.md",
                "in.md",
                "CHANGELOG.md",
                "README.md",
                "SECURITY.md",
            ];
            let seen: Vec<bool> = rels
                .iter()
                .map(|rel| starts_with_front_matter(&root, Path::new(rel)))
                .collect();
            send.send(seen)
        });
        let seen = receive
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("a FIFO is never waited on");
        // Inside (also through an in-root symlink): read; out of the root or a FIFO: not.
        assert_eq!(seen, vec![true, true, false, false, false]);
    }
}
