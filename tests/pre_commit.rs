//! The hook as pre-commit itself runs it: `pre-commit try-repo` against this repository (it
//! builds pagelint with cargo, as `language: rust` hooks are built), in a throwaway git
//! repository holding a small site. Runs when `pre-commit` is installed (`.ci/run` installs
//! it from PyPI and sets PAGELINT_REQUIRE_PRE_COMMIT so that a missing tool fails instead).

mod common;

use common::{page, repo, write};
use std::path::Path;
use std::process::{Command, Output};

fn pre_commit_available() -> bool {
    let found = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("PAGELINT_REQUIRE_PRE_COMMIT").is_none(),
            "PAGELINT_REQUIRE_PRE_COMMIT is set but `pre-commit` is not on PATH"
        );
        eprintln!(
            "SKIPPED: `pre-commit` is not installed (pip install pre-commit); the hook was not tested"
        );
    }
    found
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `pre-commit try-repo <this repository> pagelint --files FILES…` in `dir`.
fn try_repo(dir: &Path, home: &Path, files: &[&str]) -> Output {
    Command::new("pre-commit")
        .current_dir(dir)
        .args(["try-repo", &repo().to_string_lossy(), "pagelint", "--files"])
        .args(files)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        // pre-commit runs `cargo install --path`: keep its build between test runs, and build
        // it the quick way (the hook's speed is not what is tested here).
        .env("CARGO_TARGET_DIR", repo().join("target/pre-commit-build"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("pre-commit runs")
}

#[test]
fn the_hook_blocks_a_broken_link_and_passes_clean_pages_a_readme_and_an_image() {
    if !pre_commit_available() {
        return;
    }
    let site = tempfile::tempdir().expect("tempdir");
    let d = site.path();
    write(
        d,
        "pagelint.yaml",
        "root: content\nrules:\n  stale-updated-at: off\n",
    );
    write(
        d,
        "README.md",
        "# Our site\n\nNo front matter: not a page.\n",
    );
    write(
        d,
        "content/a.md",
        page(
            "a",
            "docs/a",
            "<p><a href=\"/docs/b\">b</a> <a href=\"/docs/nowhere\">x</a></p>",
        ),
    );
    write(
        d,
        "content/b.md",
        page("b", "docs/b", "<p><a href=\"/docs/a\">a</a></p>"),
    );
    write(d, "content/logo.png", [0x89u8, b'P', b'N', b'G', 0, 0]);
    git(d, &["-c", "init.defaultBranch=main", "init", "-q"]);
    git(d, &["add", "-A"]);
    let home = tempfile::tempdir().expect("tempdir");

    let clean = try_repo(
        d,
        home.path(),
        &["content/b.md", "README.md", "content/logo.png"],
    );
    let text = String::from_utf8_lossy(&clean.stdout);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(
        text.contains("pagelint") && text.contains("Passed"),
        "{text}"
    );

    let broken = try_repo(d, home.path(), &["content/a.md", "README.md"]);
    let text = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(
        text.contains("broken link: no page has the URI /docs/nowhere"),
        "{text}"
    );
    assert!(text.contains("content/a.md:10:"), "{text}");
    assert!(!text.contains("README.md is not"), "{text}");
}
