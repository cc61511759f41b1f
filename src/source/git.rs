//! The git command line, as `--changed-since` needs it: where the content root sits in its
//! repository, the merge base of a reference and `HEAD`, what changed between that base and
//! the working tree (committed, staged and unstaged), which files git tracks and which it
//! ignores, and the base's version of a file. git is run as a child process (no library: it
//! is on every machine we target), with no pager, no external diff or textconv driver, no
//! optional locks and no prompts (`git diff` may still refresh the stat data of the index,
//! quietly and only when it can take the lock, as `git status` does); every path is read
//! NUL-separated (`-z`), so no quoting applies. Paths come back relative to the repository's
//! top; `Repo::rel` maps them to the content root.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why git could not tell what changed: each is a usage error for the caller.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0} (--changed-since needs the git command)")]
    Spawn(std::io::Error),
    #[error(
        "the content root `{root}` is not in a git repository (--changed-since compares with git history)"
    )]
    NotARepo { root: String },
    #[error("--changed-since {reference}: no such commit, branch or tag in this repository")]
    BadRef { reference: String },
    #[error("--changed-since {reference}: {message}")]
    NoBase { reference: String, message: String },
    #[error("git {command} failed: {message}")]
    Failed { command: String, message: String },
}

/// One changed path, as `git diff --name-status` lists it (paths relative to the top).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delta {
    Added(String),
    Deleted(String),
    /// Modified (or its type changed, or it is unmerged).
    Modified(String),
    Renamed {
        from: String,
        to: String,
    },
}

/// A repository, seen from the content root.
#[derive(Debug)]
pub struct Repo {
    /// The content root, where git runs.
    dir: PathBuf,
    /// The root's path from the repository's top, with a trailing `/` ("" at the top).
    prefix: String,
}

impl Repo {
    /// The repository holding `root`.
    pub fn discover(root: &Path) -> Result<Repo, GitError> {
        let dir = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root.to_path_buf()
        };
        let mut repo = Repo {
            dir,
            prefix: String::new(),
        };
        let out = repo.run(&["rev-parse", "--show-prefix"])?;
        if !out.ok {
            return Err(GitError::NotARepo {
                root: root.display().to_string(),
            });
        }
        repo.prefix = out.text().trim_end_matches(['\n', '\r']).to_owned();
        Ok(repo)
    }

    /// The commit where `HEAD` and `reference` meet (the base a pull request is compared with).
    pub fn merge_base(&self, reference: &str) -> Result<String, GitError> {
        // A reference that looks like an option would be read as one.
        let bad = || GitError::BadRef {
            reference: reference.to_owned(),
        };
        if reference.is_empty() || reference.starts_with('-') {
            return Err(bad());
        }
        let commit = format!("{reference}^{{commit}}");
        let out = self.run(&["rev-parse", "--verify", "--quiet", &commit])?;
        if !out.ok {
            return Err(bad());
        }
        let oid = out.text().trim().to_owned();
        let out = self.run(&["merge-base", &oid, "HEAD"])?;
        if !out.ok {
            let message = match out.error().as_str() {
                "" => "it has no common history with HEAD".to_owned(),
                e => e.to_owned(),
            };
            return Err(GitError::NoBase {
                reference: reference.to_owned(),
                message,
            });
        }
        Ok(out.text().trim().to_owned())
    }

    /// What changed under the root between `base` and the working tree: committed, staged
    /// and unstaged changes (with renames); untracked files are told with `tracked` and
    /// `ignored`.
    pub fn diff(&self, base: &str) -> Result<Vec<Delta>, GitError> {
        let out = self.checked(&[
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules",
            base,
            "--",
            ".",
        ])?;
        Ok(parse_name_status(&out.stdout))
    }

    /// The files under the root that git tracks (in its index), relative to the top. Reading
    /// the index is fast; `git ls-files --others` would list every folder, one at a time.
    pub fn tracked(&self) -> Result<Vec<String>, GitError> {
        let out = self.checked(&["ls-files", "-z", "--full-name", "--", "."])?;
        Ok(split_nul(&out.stdout).filter(|p| !p.is_empty()).collect())
    }

    /// Which of `rels` (untracked files, relative to the root) git ignores.
    pub fn ignored(&self, rels: &[String]) -> Result<Vec<String>, GitError> {
        if rels.is_empty() {
            return Ok(Vec::new());
        }
        let mut child = self
            .command(&["check-ignore", "-z", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(GitError::Spawn)?;
        let input: Vec<u8> = rels
            .iter()
            .flat_map(|r| [r.as_bytes(), b"\0"])
            .flatten()
            .copied()
            .collect();
        let Some(mut stdin) = child.stdin.take() else {
            return Err(failed("check-ignore", "no pipe to git".into()));
        };
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().map_err(GitError::Spawn)?;
        let _ = writer.join();
        // 1: none of them is ignored.
        match out.status.code() {
            Some(0) | Some(1) => Ok(split_nul(&out.stdout).filter(|p| !p.is_empty()).collect()),
            _ => Err(failed(
                "check-ignore",
                String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            )),
        }
    }

    /// The contents at `base` of each of `paths` (relative to the top): `None` for a file
    /// that is not there, or larger than `max_bytes`. One `git cat-file --batch` for all.
    pub fn files_at(
        &self,
        base: &str,
        paths: &[String],
        max_bytes: u64,
    ) -> Result<Vec<Option<Vec<u8>>>, GitError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut child = self
            .command(&["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(GitError::Spawn)?;
        // A request per line: a path with a line break cannot be asked for (nor is one a page).
        let requests: String = paths
            .iter()
            .map(|p| {
                if p.contains(['\n', '\r']) {
                    "\n".to_owned()
                } else {
                    format!("{base}:{p}\n")
                }
            })
            .collect();
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(failed("cat-file --batch", "no pipe to git".into()));
        };
        let found = std::thread::scope(|s| {
            // Written from another thread: git's answers could fill the pipe before we read.
            s.spawn(move || {
                let _ = stdin.write_all(requests.as_bytes());
            });
            read_batch(BufReader::new(stdout), paths.len(), max_bytes)
        });
        let _ = child.wait();
        found.map_err(|e| failed("cat-file --batch", e.to_string()))
    }

    /// A path from git (relative to the repository's top) relative to the content root,
    /// when it lies under it.
    pub fn rel(&self, repo_path: &str) -> Option<String> {
        repo_path
            .strip_prefix(self.prefix.as_str())
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("--no-pager")
            .args(["-c", "core.quotepath=off"])
            .arg("-C")
            .arg(&self.dir)
            .args(args)
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_EXTERNAL_DIFF")
            .env_remove("GIT_PAGER");
        cmd
    }

    fn run(&self, args: &[&str]) -> Result<Output, GitError> {
        let out = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .map_err(GitError::Spawn)?;
        Ok(Output {
            ok: out.status.success(),
            stdout: out.stdout,
            stderr: out.stderr,
        })
    }

    /// Run git; a failure is an error naming the command.
    fn checked(&self, args: &[&str]) -> Result<Output, GitError> {
        let out = self.run(args)?;
        if out.ok {
            Ok(out)
        } else {
            Err(failed(args.first().copied().unwrap_or(""), out.error()))
        }
    }
}

fn failed(command: &str, message: String) -> GitError {
    GitError::Failed {
        command: command.to_owned(),
        message,
    }
}

struct Output {
    ok: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Output {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// git's own message, without its `fatal: ` prefix.
    fn error(&self) -> String {
        let text = String::from_utf8_lossy(&self.stderr);
        let text = text.trim();
        text.strip_prefix("fatal: ").unwrap_or(text).to_owned()
    }
}

fn split_nul(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|&b| b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// `git diff --name-status -z`: a status (`M`, `R087`, …), then one path, or two for renames
/// and copies. A copy's source is unchanged: it is its new path that was added.
fn parse_name_status(bytes: &[u8]) -> Vec<Delta> {
    let mut fields = split_nul(bytes);
    let mut out = Vec::new();
    while let Some(status) = fields.next() {
        let Some(path) = fields.next() else { break };
        match status.chars().next() {
            Some('A') => out.push(Delta::Added(path)),
            Some('D') => out.push(Delta::Deleted(path)),
            Some('R') => {
                let Some(to) = fields.next() else { break };
                out.push(Delta::Renamed { from: path, to });
            }
            Some('C') => {
                let Some(to) = fields.next() else { break };
                out.push(Delta::Added(to));
            }
            Some(_) => out.push(Delta::Modified(path)),
            None => {}
        }
    }
    out
}

/// The answers of `git cat-file --batch` to `n` requests: `<oid> blob <size>\n<bytes>\n`, or
/// `<request> missing\n` (or another one-line answer) for what is not a file at the base.
fn read_batch(
    mut reader: impl BufRead,
    n: usize,
    max_bytes: u64,
) -> std::io::Result<Vec<Option<Vec<u8>>>> {
    let mut out = Vec::with_capacity(n);
    let mut header = Vec::new();
    for _ in 0..n {
        header.clear();
        if reader.read_until(b'\n', &mut header)? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&header);
        let parts: Vec<&str> = line.trim_end().split(' ').collect();
        let size = match parts.as_slice() {
            [_, kind, size] if *kind != "missing" => size.parse::<u64>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            out.push(None);
            continue;
        };
        let is_blob = parts.get(1) == Some(&"blob");
        let mut body = reader.by_ref().take(size + 1);
        if is_blob && size <= max_bytes {
            let mut bytes = Vec::with_capacity(size as usize + 1);
            body.read_to_end(&mut bytes)?;
            bytes.truncate(size as usize);
            out.push(Some(bytes));
        } else {
            std::io::copy(&mut body, &mut std::io::sink())?;
            out.push(None);
        }
    }
    out.resize_with(n, || None);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_status_reads_renames_copies_and_odd_names() {
        let raw = b"M\0a b.html\0R087\0old.html\0new.html\0D\0gone.html\0C100\0x.html\0y.html\0A\0\xc3\xa9.html\0T\0t.html\0";
        assert_eq!(
            parse_name_status(raw),
            vec![
                Delta::Modified("a b.html".into()),
                Delta::Renamed {
                    from: "old.html".into(),
                    to: "new.html".into()
                },
                Delta::Deleted("gone.html".into()),
                Delta::Added("y.html".into()),
                Delta::Added("é.html".into()),
                Delta::Modified("t.html".into()),
            ]
        );
        assert_eq!(parse_name_status(b""), vec![]);
        // A truncated answer gives what was complete.
        assert_eq!(
            parse_name_status(b"M\0a\0R100\0b"),
            vec![Delta::Modified("a".into())]
        );
    }

    #[test]
    fn batch_answers_give_blobs_within_the_bound() {
        let raw =
            b"1111 blob 5\nhello\n2222 missing\n3333 blob 12\nhello world!\n4444 tree 3\nabc\n";
        let found = read_batch(&raw[..], 5, 10).expect("reads");
        assert_eq!(found, vec![Some(b"hello".to_vec()), None, None, None, None]);
    }

    #[test]
    fn paths_map_to_the_content_root() {
        let repo = Repo {
            dir: PathBuf::from("."),
            prefix: "content/".into(),
        };
        assert_eq!(repo.rel("content/a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(repo.rel("contentx/a.html"), None);
        assert_eq!(repo.rel("other/a.html"), None);
        assert_eq!(repo.rel("content/"), None);
    }
}
