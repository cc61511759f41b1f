//! Helpers shared by the integration tests: run the built binary, read its JSON.
#![allow(dead_code)]

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
