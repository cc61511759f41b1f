//! Helpers shared by the integration tests: run the built binary, read its JSON.
#![allow(dead_code)]

pub mod hostile;

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

/// The fixed "now" every fixture is checked at.
pub const NOW: &str = "2026-06-01T00:00:00Z";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `pagelint` run from the repository root, with color and the clock out of the way.
pub fn pagelint() -> Command {
    let mut cmd = Command::cargo_bin("pagelint").expect("the binary is built");
    cmd.current_dir(repo())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Run `pagelint check ARGS --format json --now NOW` and parse stdout; also return the exit code.
pub fn check_json(args: &[&str]) -> (serde_json::Value, i32) {
    let out = pagelint()
        .arg("check")
        .args(args)
        .args(["--format", "json", "--now", NOW])
        .output()
        .expect("pagelint runs");
    let stdout = String::from_utf8(out.stdout).expect("JSON output is UTF-8");
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "output is not JSON ({e}):\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.code().unwrap_or(-1))
}

pub fn diagnostics(json: &serde_json::Value) -> &Vec<serde_json::Value> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
}

/// The shared test data folder (../shared), when the environment points at it.
pub fn shared_path(var: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(p) if Path::new(&p).exists() => Some(PathBuf::from(p)),
        Some(p) => panic!("{var} points at {p:?}, which does not exist"),
        None => {
            eprintln!("skipped: set {var} to run this test on real content");
            None
        }
    }
}

/// The given fields of every diagnostic, as text (numbers written out), in report order.
pub fn pick(json: &serde_json::Value, keys: &[&str]) -> Vec<Vec<String>> {
    diagnostics(json)
        .iter()
        .map(|d| {
            keys.iter()
                .map(|k| match &d[*k] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// `strs(&[["a", "b"]])`: expected rows for `pick`.
pub fn rows<const N: usize>(rows: &[[&str; N]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

pub const FRESH: &str = "updated_at: 2026-01-15T10:00:00Z\ncreated_at: 2026-01-10T10:00:00Z\n";

/// A complete, valid page at `uri` with `body`.
pub fn page(id: &str, uri: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\nuri: {uri}\ntitle: {id}\ntype: page\nauthorship: A. Author\n{FRESH}---\n{body}\n"
    )
}

pub fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// A run's stdout, read as the JSON report.
pub fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

pub fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    pagelint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("pagelint runs")
}

/// `git ARGS` in `dir`, away from the user's and the system's git configuration, with fixed
/// dates (so commits are the same on every run); panics when git fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .envs(GIT_ENV)
        .env("GIT_AUTHOR_DATE", "2026-05-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-05-01T12:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What keeps the user's and the system's git configuration out of a test.
pub const GIT_ENV: [(&str, &str); 3] = [
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_TERMINAL_PROMPT", "0"),
];

/// A new repository in `dir`, on branch `main`, with a local identity.
pub fn git_init(dir: &Path) {
    git(dir, &["-c", "init.defaultBranch=main", "init", "-q"]);
    git(dir, &["config", "user.name", "Test Author"]);
    git(dir, &["config", "user.email", "author@example.org"]);
}

/// Make `to` hold exactly the files of `from` (besides `.git`).
pub fn replace_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(to).expect("ls") {
        let entry = entry.expect("entry");
        if entry.file_name() != ".git" {
            let path = entry.path();
            if path.is_dir() {
                std::fs::remove_dir_all(path).expect("rm -r");
            } else {
                std::fs::remove_file(path).expect("rm");
            }
        }
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("under from");
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(to.join(rel)).expect("mkdir");
        } else {
            // The bytes, not the mode: ../shared is read-only, a checkout is not.
            let bytes = std::fs::read(entry.path()).expect("read");
            std::fs::write(to.join(rel), bytes).expect("write");
        }
    }
}

/// `pagelint check ARGS --format json --now NOW` run in `dir` (git isolated as in `git`):
/// the report, the exit code and stderr.
pub fn check_json_in(dir: &Path, args: &[&str]) -> (serde_json::Value, i32, String) {
    let out = pagelint()
        .current_dir(dir)
        .envs(GIT_ENV)
        .arg("check")
        .args(args)
        .args(["--format", "json", "--now", NOW])
        .output()
        .expect("pagelint runs");
    let stdout = String::from_utf8(out.stdout).expect("JSON output is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("output is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    (json, out.status.code().unwrap_or(-1), stderr)
}

/// Copy a folder (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let kind = entry.file_type().expect("file type");
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}
