//! `Context`: what machine formats need besides the report: the tool's version, and where the
//! repository's top folder is, so that a diagnostic's path (as walked: relative to the current
//! folder, or absolute) can be written relative to the repository with forward slashes, as SARIF
//! artifact URIs, GitLab locations, rdjson paths and baselines expect.
//!
//! Paths are mapped lexically (`.` dropped, `..` resolved against what precedes it); symlinks
//! are not followed and no file is read, so the mapping is the same on every machine that walks
//! the same tree.

use std::path::{Component, Path, PathBuf};

/// What renderers know about the run beyond the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// pagelint's version, as SARIF's `tool.driver.version` and JUnit's properties show it.
    pub version: &'static str,
    /// Where people read about pagelint (SARIF's `informationUri`, rdjson's `source.url`):
    /// Cargo.toml's `homepage`, else its `repository`; formats leave it out when neither is set.
    pub information_uri: Option<String>,
    /// The repository's top folder, absolute and lexically normalised.
    root: PathBuf,
    /// The folder relative diagnostic paths are relative to, absolute and normalised.
    cwd: PathBuf,
}

impl Context {
    /// The context for a run started in `cwd`: the repository is the nearest folder at or
    /// above `cwd` holding a `.git` entry (a folder, or the file of a worktree or submodule);
    /// when there is none, `cwd` itself.
    pub fn discover(cwd: &Path) -> Context {
        let cwd = absolute(cwd);
        let root = cwd
            .ancestors()
            .find(|dir| dir.join(".git").symlink_metadata().is_ok())
            .unwrap_or(&cwd)
            .to_path_buf();
        Context::new(root, cwd)
    }

    /// A context with a known repository top folder, for paths relative to `cwd`.
    pub fn new(root: PathBuf, cwd: PathBuf) -> Context {
        let cwd = absolute(&cwd);
        let root = if root.is_absolute() {
            normalise(&root)
        } else {
            normalise(&cwd.join(root))
        };
        Context {
            version: env!("CARGO_PKG_VERSION"),
            information_uri: [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
                .into_iter()
                .find(|u| !u.is_empty())
                .map(str::to_owned),
            root,
            cwd,
        }
    }

    /// The repository's top folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` (relative to the current folder, or absolute) relative to the repository's top,
    /// with `/` between segments. A path outside the repository is returned absolute and
    /// normalised (with forward slashes), since nothing relative would name it.
    pub fn repo_path(&self, path: &str) -> String {
        let given = Path::new(path);
        let full = normalise(&if given.is_absolute() {
            given.to_path_buf()
        } else {
            self.cwd.join(given)
        });
        match full.strip_prefix(&self.root) {
            Ok(rel) => slashed(rel),
            Err(_) => slashed(&full),
        }
    }
}

/// `path` made absolute against the process's current folder, when it is not already; a path
/// that cannot be made absolute (no current folder) is kept as given.
fn absolute(path: &Path) -> PathBuf {
    normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// `path` without `.` segments and with each `..` removing the segment before it (a `..` at
/// the root stays at the root).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                let at_top = matches!(
                    out.components().next_back(),
                    None | Some(Component::RootDir | Component::Prefix(_))
                );
                if !at_top {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A path's segments joined with `/`, whatever the platform's separator.
fn slashed(path: &Path) -> String {
    let mut out = String::new();
    for part in path.components() {
        match part {
            Component::RootDir => out.push('/'),
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn the_repository_is_the_nearest_folder_with_a_git_entry() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path().join("repo");
        fs::create_dir_all(repo.join(".git")).expect("mkdir");
        fs::create_dir_all(repo.join("site/docs")).expect("mkdir");
        let ctx = Context::discover(&repo.join("site/docs"));
        assert_eq!(ctx.root(), normalise(&repo));
        assert_eq!(ctx.repo_path("a.html"), "site/docs/a.html");
        assert_eq!(ctx.repo_path("./b/../c.html"), "site/docs/c.html");
        assert_eq!(ctx.repo_path("../../index.html"), "index.html");
    }

    #[test]
    fn a_git_file_marks_a_worktree_and_the_nearest_one_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outer = dir.path().join("outer");
        let inner = outer.join("vendor/inner");
        fs::create_dir_all(outer.join(".git")).expect("mkdir");
        fs::create_dir_all(inner.join("pages")).expect("mkdir");
        fs::write(inner.join(".git"), "gitdir: ../../.git/worktrees/inner\n").expect("write");
        let ctx = Context::discover(&inner.join("pages"));
        assert_eq!(ctx.root(), normalise(&inner));
        assert_eq!(ctx.repo_path("x.html"), "pages/x.html");
    }

    #[test]
    fn without_a_repository_the_current_folder_is_the_top() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cwd = dir.path().join("plain");
        fs::create_dir_all(&cwd).expect("mkdir");
        // Unless a folder above the temporary one is a repository, cwd is the top.
        let ctx = Context::discover(&cwd);
        if ctx.root() == normalise(&cwd) {
            assert_eq!(ctx.repo_path("./p/q.html"), "p/q.html");
        } else {
            assert!(normalise(&cwd).starts_with(ctx.root()));
        }
    }

    #[test]
    fn absolute_paths_under_the_repository_become_relative() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("r");
        let ctx = Context::new(root.clone(), root.join("sub"));
        let abs = root.join("sub/./x/../y.html");
        assert_eq!(ctx.repo_path(&abs.to_string_lossy()), "sub/y.html");
        assert_eq!(ctx.repo_path("z.html"), "sub/z.html");
    }

    #[test]
    #[cfg(unix)]
    fn paths_outside_the_repository_stay_absolute() {
        let ctx = Context::new(PathBuf::from("/work/repo"), PathBuf::from("/work/repo"));
        assert_eq!(ctx.repo_path("/etc/hosts"), "/etc/hosts");
        assert_eq!(ctx.repo_path("../other/a.html"), "/work/other/a.html");
        assert_eq!(ctx.repo_path("/work/repo/../repo/a.html"), "a.html");
        assert_eq!(ctx.repo_path("/../../x"), "/x");
    }
}
