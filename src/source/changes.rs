//! The change set of `pagelint check --changed-since REF`: which pages changed between the
//! merge base of REF and `HEAD` and the working tree — committed, staged, unstaged and
//! untracked (not ignored) alike — and, for each page deleted, renamed or modified, its text
//! at the base (read from the repository's own objects, never from outside the root) and its
//! text now. Only files a walk of the content root would list as pages count: changes outside
//! the root, excluded by `include`/`exclude`, or in hidden, `target/` or `node_modules/`
//! folders are ignored. A file whose old or new text is larger than `limits.file_bytes` has no
//! text here (nothing is compared for it). Untracked pages are told once the run has listed
//! the site (`Changes::untracked`): they are the listed pages outside git's index that git
//! does not ignore — quicker than `git ls-files --others`, which lists every folder of the
//! repository one at a time, while the run lists the site anyway (from its cache, or a walk
//! in parallel).
//!
//! What the run makes of the old texts (old URIs, removed ids, `PreviousVersion`) is in
//! `run/changed.rs`; the rule that compares a page with its previous version,
//! updated-at-not-bumped, sees a `PreviousVersion` through its context.

use crate::config::Config;
use crate::parse::frontmatter;
use crate::source::git::{Delta, GitError, Repo};
use crate::source::open;
use crate::source::walk::{self, Walked};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

pub use crate::source::git::GitError as Error;

/// What changed since the base.
#[derive(Debug, Default)]
pub struct Changes {
    /// The reference as given (`main`, `origin/main`, a commit).
    pub reference: String,
    /// The merge base of the reference and `HEAD`, as a commit id.
    pub base: String,
    /// The pages that changed and are still there (paths relative to the root); the untracked
    /// ones are told by `untracked`, once the site is listed.
    pub changed: BTreeSet<String>,
    /// The base's version of each page deleted, renamed or modified since.
    pub old: Vec<OldFile>,
    /// The files git tracks under the root (relative to it), to tell untracked pages.
    tracked: HashSet<String>,
    repo: Option<Repo>,
}

/// A page as it was at the base.
#[derive(Debug, Clone)]
pub struct OldFile {
    /// Its path at the base, relative to the root.
    pub rel: String,
    /// Its path now, when it is still a page (modified or renamed).
    pub now: Option<String>,
    /// Its text at the base.
    pub text: Option<String>,
    /// Its text now, when it is still a page.
    pub current: Option<String>,
}

/// What a page rule may know of the page's version at the base (modified or renamed pages
/// only: a new page has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousVersion {
    /// The reference the run compares with, as given.
    pub since: String,
    /// Its updated fields (`site.updated_fields`) as written, by name (none when its front
    /// matter did not parse).
    pub updated: Vec<(String, String)>,
    /// Whether the body (everything after the front matter) differs from today's.
    pub body_changed: bool,
}

impl Changes {
    /// The pages of the site at `root` changed since the merge base of `reference` and
    /// `HEAD`. Not being in a repository, an unknown reference, or no common history is an
    /// error (a usage error for the command line).
    pub fn since(root: &Path, reference: &str, config: &Config) -> Result<Changes, GitError> {
        let repo = Repo::discover(root)?;
        let base = repo.merge_base(reference)?;
        let is_page = |repo_path: &str| {
            repo.rel(repo_path)
                .filter(|rel| walk::would_walk(rel, config))
        };
        // The diff stats every tracked file; meanwhile, the index is read.
        let (deltas, tracked) = std::thread::scope(|s| {
            let diff = s.spawn(|| repo.diff(&base));
            let tracked = repo.tracked();
            let deltas = diff
                .join()
                .unwrap_or_else(|_| Err(GitError::Spawn(std::io::Error::other("git diff"))));
            (deltas, tracked)
        });
        let tracked = tracked?.iter().filter_map(|p| repo.rel(p)).collect();
        let mut changed = BTreeSet::new();
        // (path at the base from the top, path at the base from the root, path now)
        let mut old: Vec<(String, String, Option<String>)> = Vec::new();
        for delta in deltas? {
            match delta {
                Delta::Added(p) => changed.extend(is_page(&p)),
                Delta::Modified(p) => {
                    if let Some(rel) = is_page(&p) {
                        changed.insert(rel.clone());
                        old.push((p, rel.clone(), Some(rel)));
                    }
                }
                Delta::Deleted(p) => {
                    if let Some(rel) = is_page(&p) {
                        old.push((p, rel, None));
                    }
                }
                Delta::Renamed { from, to } => {
                    let now = is_page(&to);
                    changed.extend(now.clone());
                    if let Some(rel) = is_page(&from) {
                        old.push((from, rel, now));
                    }
                }
            }
        }
        let paths: Vec<String> = old.iter().map(|(p, _, _)| p.clone()).collect();
        let inside = root.canonicalize().ok();
        let max = config.limits.file_bytes;
        let texts = repo.files_at(&base, &paths, config.limits.file_bytes)?;
        let old = old
            .into_iter()
            .zip(texts)
            .map(|((_, rel, now), bytes)| OldFile {
                current: now.as_deref().and_then(|n| {
                    let bytes = open::read_inside(inside.as_deref()?, Path::new(n), max).ok()?;
                    Some(String::from_utf8_lossy(&bytes).into_owned())
                }),
                rel,
                now,
                text: bytes.map(|b| String::from_utf8_lossy(&b).into_owned()),
            })
            .collect();
        Ok(Changes {
            reference: reference.to_owned(),
            base,
            changed,
            old,
            tracked,
            repo: Some(repo),
        })
    }

    /// The pages of `walked` (the site as a run lists it) that git neither tracks nor ignores.
    pub fn untracked(&self, walked: &[Walked]) -> Result<Vec<String>, GitError> {
        let Some(repo) = &self.repo else {
            return Ok(Vec::new());
        };
        let candidates: Vec<String> = walked
            .iter()
            .filter_map(|w| match w {
                Walked::Page(e) if !self.tracked.contains(&e.rel) => Some(e.rel.clone()),
                _ => None,
            })
            .collect();
        let ignored: HashSet<String> = repo.ignored(&candidates)?.into_iter().collect();
        Ok(candidates
            .into_iter()
            .filter(|c| !ignored.contains(c))
            .collect())
    }
}

/// The body of a page's text: everything after its front matter.
pub fn body(text: &str) -> &str {
    let start = frontmatter::parse(text).body_start;
    text.get(start..).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::body;

    #[test]
    fn the_body_is_what_follows_the_front_matter() {
        assert_eq!(body("---\nid: a\n---\n<p>x</p>\n"), "<p>x</p>\n");
        assert_eq!(body("<p>no front matter</p>"), "<p>no front matter</p>");
        assert_eq!(body("---\nid: a\n"), "");
    }
}
