//! Bounded time and memory on any input (issue 9): hostile inputs, each of a size that the
//! quadratic or exponential stages of older builds needed minutes (or gigabytes) for, checked
//! with a watchdog. These are hang detectors, not speed assertions: the limit is 60 s for
//! runs that take well under a second.

mod common;

use common::{NOW, diagnostics, hostile, pagelint};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

const WATCHDOG: Duration = Duration::from_secs(60);

/// `pagelint check --format json` over `root`, under the watchdog; the JSON, the exit code and
/// stderr. Fails on a timeout or a panic.
fn check(root: &Path, extra: &[&str]) -> (serde_json::Value, i32) {
    let out = pagelint()
        .current_dir(root)
        .args(["check", "--format", "json", "--now", NOW, "--no-cache"])
        .args(extra)
        .timeout(WATCHDOG)
        .output()
        .expect("pagelint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code != 101 && !stderr.contains("panicked"),
        "pagelint panicked:\n{stderr}"
    );
    assert!(
        code >= 0,
        "pagelint did not finish within {WATCHDOG:?} (hung?)\n{stderr}"
    );
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("output is not JSON ({e}); stderr:\n{stderr}"));
    (json, code)
}

fn found(json: &serde_json::Value) -> BTreeSet<(String, String)> {
    diagnostics(json)
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_owned(),
                d["rule"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_hostile_site_is_checked_in_bounded_time_with_a_diagnostic_for_each_bad_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    let bad = hostile::build(&root, &dir.path().join("outside"), &hostile::Scale::SMALL);
    let (json, code) = check(&root, &[]);
    assert_eq!(code, 1, "errors were found");
    let found = found(&json);
    let missing: Vec<_> = bad
        .iter()
        .filter(|(path, rule)| !found.contains(&(path.clone(), (*rule).to_owned())))
        .collect();
    assert!(
        missing.is_empty(),
        "not reported: {missing:?}\nfound: {found:?}"
    );
    // Nothing outside the root was read, and no page twice through the folder loops.
    let all = diagnostics(&json);
    assert!(all.iter().all(|d| {
        !d["message"]
            .as_str()
            .unwrap_or("")
            .contains("outside-marker")
    }));
    let loop_pages = all
        .iter()
        .filter(|d| d["path"].as_str().is_some_and(|p| p.starts_with("loops/")))
        .filter(|d| d["rule"] == "broken-link")
        .count();
    assert_eq!(
        loop_pages, 7,
        "each of the seven linked folders' pages once"
    );
    // A chain of 10,000 redirects (the old build: 9,950 loop errors) and a loop: one finding each, not one per member.
    let of = |rule: &str| {
        all.iter()
            .filter(|d| d["path"] == "_redirects" && d["rule"] == rule)
            .count()
    };
    assert_eq!((of("limit-exceeded"), of("redirect-loop")), (1, 1));
}

#[cfg(unix)]
#[test]
fn folders_linking_each_other_are_walked_once_and_pages_known_by_their_real_path() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let page = |uri: &str| {
        format!(
            "---\nid: {uri}\nuri: {uri}\ntitle: T\nauthorship: me\n---\n<a href=\"/nowhere\">x</a>\n"
        )
    };
    for i in 0..7 {
        std::fs::create_dir_all(root.join(format!("d{i}"))).expect("mkdir");
        std::fs::write(root.join(format!("d{i}/p.html")), page(&format!("p{i}"))).expect("write");
    }
    for i in 0..7 {
        for j in (0..7).filter(|&j| j != i) {
            symlink(format!("../d{j}"), root.join(format!("d{i}/l{j}"))).expect("symlink");
        }
    }
    // A hidden folder reached only through links (two of them, and a file link): its page is
    // known by the first link in sorted order, and read once.
    std::fs::create_dir_all(root.join(".shared")).expect("mkdir");
    std::fs::write(root.join(".shared/s.html"), page("shared")).expect("write");
    symlink(".shared", root.join("b-link")).expect("symlink");
    symlink(".shared", root.join("a-link")).expect("symlink");
    symlink(".shared/s.html", root.join("c.html")).expect("symlink");
    let (json, _) = check(root, &[]);
    let paths: Vec<&str> = diagnostics(&json)
        .iter()
        .filter(|d| d["rule"] == "broken-link")
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "a-link/s.html",
            "d0/p.html",
            "d1/p.html",
            "d2/p.html",
            "d3/p.html",
            "d4/p.html",
            "d5/p.html",
            "d6/p.html"
        ]
    );
    assert_eq!(json["summary"]["pages"], 8);
}

#[test]
fn too_many_threads_is_a_usage_error_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pagelint()
        .current_dir(dir.path())
        .args(["check", "--threads", "100000"])
        .timeout(WATCHDOG)
        .output()
        .expect("pagelint runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1..=256"));
}
