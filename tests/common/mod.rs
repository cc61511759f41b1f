//! Helpers shared by the integration tests: run the built binary, read its JSON.
#![allow(dead_code)]

use assert_cmd::Command;
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
