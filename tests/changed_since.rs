//! `pagelint check --changed-since REF` on real throwaway git repositories: which pages a pull
//! request's run reports on (changed pages, and untouched pages linking to what the change
//! removed), whichever way the change is kept (committed, staged, unstaged, untracked), and
//! updated-at-not-bumped.

mod common;

use common::{check_json_in, git, git_init, pick, rows};
use std::fs;
use std::path::Path;

/// A complete, valid page at `uri` with `body` (on line 10), updated on `updated`.
fn page_on(id: &str, uri: &str, updated: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\nuri: {uri}\ntitle: {id}\ntype: page\nauthorship: A. Author\n\
         updated_at: {updated}\ncreated_at: 2026-01-10\n---\n{body}\n"
    )
}

fn page(id: &str, uri: &str, body: &str) -> String {
    page_on(id, uri, "2026-01-15", body)
}

/// A repository whose `main` holds a site, checked out on the branch `change`.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new(files: &[(&str, &str)]) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        git_init(repo.path());
        for (rel, text) in files {
            repo.write(rel, text);
        }
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-qm", "the site"]);
        repo.git(&["checkout", "-qb", "change"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    fn git(&self, args: &[&str]) {
        git(self.path(), args);
    }

    /// `check --changed-since main ARGS` from the repository's top.
    fn check(&self, args: &[&str]) -> (serde_json::Value, i32) {
        let (json, code, _) = self.check_in(".", args);
        (json, code)
    }

    /// `check --changed-since main ARGS` from a folder of the repository; stderr too.
    fn check_in(&self, folder: &str, args: &[&str]) -> (serde_json::Value, i32, String) {
        let mut all = vec!["--changed-since", "main"];
        all.extend_from_slice(args);
        check_json_in(&self.path().join(folder), &all)
    }

    /// `check --changed-since REFERENCE` from the repository's top.
    fn check_since(&self, reference: &str) -> serde_json::Value {
        check_json_in(self.path(), &["--changed-since", reference]).0
    }

    /// The human format's stderr of `check --changed-since main`.
    fn summary(&self) -> String {
        self.summary_with(&[])
    }

    /// The human format's stderr of `check --changed-since main ARGS`.
    fn summary_with(&self, args: &[&str]) -> String {
        let out = common::pagelint()
            .current_dir(self.path())
            .envs(common::GIT_ENV)
            .args(["check", "--changed-since", "main", "--now", common::NOW])
            .args(args)
            .output()
            .expect("pagelint runs");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

const FIELDS: [&str; 5] = ["path", "rule", "line", "column", "message"];

/// A site where a.html links to b and into c, and d.html has a broken link of its own.
fn linked_site() -> Repo {
    Repo::new(&[
        (
            "a.html",
            &page(
                "a",
                "docs/a",
                "<a href=\"/docs/b\">b</a> <a href=\"/docs/c#setup\">c</a>",
            ),
        ),
        ("b.html", &page("b", "docs/b", "<p>b</p>")),
        (
            "c.html",
            &page(
                "c",
                "docs/c",
                "<h2 id=\"setup\">Setup</h2><h2 id=\"use\">Use</h2>",
            ),
        ),
        (
            "d.html",
            &page("d", "docs/d", "<a href=\"/docs/nowhere\">gone long ago</a>"),
        ),
    ])
}

#[test]
fn a_deleted_page_reports_the_untouched_pages_linking_to_it_and_nothing_else() {
    let repo = linked_site();
    // Nothing changed yet: nothing is reported, not even d.html's old broken link.
    let (json, code) = repo.check(&[]);
    assert_eq!((json["summary"]["pages"].as_u64(), code), (Some(0), 0));
    repo.git(&["rm", "-q", "b.html"]);
    repo.git(&["commit", "-qm", "drop b"]);
    let (json, code) = repo.check(&[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "a.html",
            "broken-link",
            "10",
            "10",
            "broken link: no page has the URI /docs/b"
        ]])
    );
    assert_eq!((json["summary"]["pages"].as_u64(), code), (Some(1), 1));
    assert!(
        repo.summary().starts_with(
            "pagelint: since main (merge base ",
        ) && repo.summary().contains(
            "): 0 pages changed, 1 page linking to removed URIs (/docs/b)\npagelint: checked 1 page in "
        ),
        "{}",
        repo.summary()
    );
    let verbose = repo.summary_with(&["--verbose"]);
    assert!(
        verbose.starts_with(
            "pagelint: reporting on a.html: links to a removed URI\npagelint: since main"
        ),
        "{verbose}"
    );
}

#[test]
fn a_changed_uri_field_staged_only_reports_the_pages_linking_to_the_old_uri() {
    let repo = linked_site();
    repo.write("b.html", &page("b", "docs/b-moved", "<p>b</p>"));
    repo.git(&["add", "b.html"]);
    let (json, _) = repo.check(&[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "a.html",
            "broken-link",
            "10",
            "10",
            "broken link: no page has the URI /docs/b"
        ]])
    );
    // b.html (changed, no findings) and a.html.
    assert_eq!(json["summary"]["pages"], 2);
    // Moved back in the working tree (the index still has the move): nothing was removed.
    repo.write("b.html", &page("b", "docs/b", "<p>b</p>"));
    let (json, code) = repo.check(&[]);
    assert_eq!((pick(&json, &FIELDS), code), (vec![], 0));
}

#[test]
fn a_moved_file_of_a_site_addressed_by_paths_reports_its_linking_pages() {
    let repo = Repo::new(&[
        ("pagelint.yaml", "site:\n  front_matter: optional\n"),
        (
            "index.html",
            "<!DOCTYPE html>\n<p><a href=\"docs/setup.html\">setup</a></p>\n",
        ),
        ("docs/setup.html", "<!DOCTYPE html>\n<h1>Setup</h1>\n"),
        (
            "docs/other.html",
            "<!DOCTYPE html>\n<a href=\"/docs/old-gone.html\">x</a>\n",
        ),
    ]);
    repo.git(&["mv", "docs/setup.html", "docs/install.html"]);
    let (json, code) = repo.check(&[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "index.html",
            "broken-link",
            "2",
            "13",
            "broken link: no page has the URI /docs/setup.html"
        ]])
    );
    assert_eq!(code, 1);
}

#[test]
fn a_removed_heading_id_unstaged_only_reports_the_pages_linking_to_it() {
    let repo = linked_site();
    // The date is bumped: the change is only the id.
    repo.write(
        "c.html",
        &page_on(
            "c",
            "docs/c",
            "2026-05-30",
            "<h2 id=\"install\">Setup</h2><h2 id=\"use\">Use</h2>",
        ),
    );
    let (json, _) = repo.check(&[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "a.html",
            "broken-fragment",
            "10",
            "34",
            "broken fragment: /docs/c has no id or anchor `setup`"
        ]])
    );
    assert!(
        repo.summary()
            .contains("1 page changed, 1 page linking to removed fragments (/docs/c#setup)"),
        "{}",
        repo.summary()
    );
    // Removing an id nobody links to reports the changed page alone.
    repo.write(
        "c.html",
        &page_on(
            "c",
            "docs/c",
            "2026-05-30",
            "<h2 id=\"setup\">Setup</h2><h2>Use</h2>",
        ),
    );
    let (json, code) = repo.check(&[]);
    assert_eq!((json["summary"]["pages"].as_u64(), code), (Some(1), 0));
}

#[test]
fn an_edited_body_without_a_new_updated_at_is_a_warning_with_now_in_its_form() {
    let repo = linked_site();
    repo.write(
        "b.html",
        &page("b", "docs/b", "<p>b, with a new paragraph</p>"),
    );
    let (json, code) = repo.check(&[]);
    assert_eq!(
        pick(
            &json,
            &[
                "path", "rule", "severity", "line", "column", "message", "help"
            ]
        ),
        rows(&[[
            "b.html",
            "updated-at-not-bumped",
            "warning",
            "7",
            "13",
            "the body changed since main, but `updated_at` did not (still 2026-01-15)",
            "set `updated_at` to 2026-06-01, the date of this change",
        ]])
    );
    assert_eq!(code, 0, "a warning");
    // A date-time keeps its form and offset.
    repo.write(
        "b.html",
        &page_on(
            "b",
            "docs/b",
            "2026-01-15T10:00:00-05:00",
            "<p>b, again</p>",
        ),
    );
    repo.git(&["commit", "-qam", "b with a date-time"]);
    repo.write(
        "b.html",
        &page_on(
            "b",
            "docs/b",
            "2026-01-15T10:00:00-05:00",
            "<p>b, once more</p>",
        ),
    );
    let json = repo.check_since("HEAD");
    assert_eq!(
        pick(&json, &["help"]),
        rows(&[["set `updated_at` to 2026-05-31T19:00:00-05:00, the date of this change"]])
    );
    // Bumped: nothing to say.
    repo.write(
        "b.html",
        &page_on(
            "b",
            "docs/b",
            "2026-05-31T09:00:00-05:00",
            "<p>b, once more</p>",
        ),
    );
    let json = repo.check_since("HEAD");
    assert_eq!(pick(&json, &FIELDS), Vec::<Vec<String>>::new());
    // A plain check never asks.
    repo.write("b.html", &page("b", "docs/b", "<p>b, edited again</p>"));
    let (json, _, _) = check_json_in(repo.path(), &["b.html"]);
    assert_eq!(pick(&json, &FIELDS), Vec::<Vec<String>>::new());
}

#[test]
fn untracked_pages_are_reported_and_ignored_files_are_not() {
    let repo = linked_site();
    repo.write(".gitignore", "scratch/\n");
    repo.git(&["add", ".gitignore"]);
    repo.write(
        "new.html",
        &page("new", "docs/new", "<a href=\"/docs/typo\">x</a>"),
    );
    repo.write(
        "scratch/draft.html",
        &page(
            "draft",
            "docs/draft",
            "<a href=\"/docs/nowhere-either\">x</a>",
        ),
    );
    let (json, _) = repo.check(&[]);
    assert_eq!(
        pick(&json, &["path", "rule", "line", "column"]),
        rows(&[["new.html", "broken-link", "10", "10"]])
    );
    // A new page is not asked for a new updated_at.
    assert_eq!(json["summary"]["pages"], 1);
}

#[test]
fn paths_add_pages_to_the_changed_ones() {
    let repo = linked_site();
    // Only the title changes: b.html is reported on, and has nothing to say.
    repo.write(
        "b.html",
        &page("b", "docs/b", "<p>b</p>").replace("title: b", "title: B"),
    );
    let (json, _) = repo.check(&["d.html"]);
    assert_eq!(
        pick(&json, &["path", "rule"]),
        rows(&[["d.html", "broken-link"]])
    );
    assert_eq!(json["summary"]["pages"], 2);
    // The root itself names the root, not every page.
    let (json, _) = repo.check(&["."]);
    assert_eq!(json["summary"]["pages"], 1);
}

#[test]
fn a_content_root_below_the_repository_top_and_a_run_from_a_subfolder() {
    let repo = Repo::new(&[
        ("pagelint.yaml", "root: site\n"),
        ("README.html", "<p>not a page of the site</p>"),
        (
            "site/docs/a.html",
            &page("a", "docs/a", "<a href=\"/docs/b\">b</a>"),
        ),
        ("site/docs/b.html", &page("b", "docs/b", "<p>b</p>")),
        ("site/.hidden/c.html", &page("c", "docs/c", "<p>c</p>")),
    ]);
    fs::remove_file(repo.path().join("site/docs/b.html")).expect("rm");
    repo.write("README.html", "<p>changed, outside the root</p>");
    repo.write("site/.hidden/c.html", "<p>changed, hidden</p>");
    let (json, code, _) = repo.check_in("site/docs", &[]);
    // The root, found through the configuration above, is shown relative to the current folder.
    assert_eq!(
        pick(&json, &["path", "rule", "line"]),
        rows(&[["../docs/a.html", "broken-link", "10"]])
    );
    assert_eq!(code, 1);
}

#[test]
fn a_bad_reference_and_a_folder_outside_any_repository_are_usage_errors() {
    let repo = linked_site();
    for bad in ["no-such-branch", "--all", ""] {
        let out = common::pagelint()
            .current_dir(repo.path())
            .envs(common::GIT_ENV)
            .args(["check", &format!("--changed-since={bad}")])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr,
            format!(
                "error: --changed-since {bad}: no such commit, branch or tag in this repository\n"
            ),
            "{bad:?}"
        );
        assert!(out.stdout.is_empty());
    }
    let outside = tempfile::tempdir().expect("tempdir");
    fs::write(outside.path().join("a.html"), page("a", "a", "")).expect("write");
    let out = common::pagelint()
        .current_dir(outside.path())
        .envs(common::GIT_ENV)
        // A repository above the temporary folder must not be found.
        .env(
            "GIT_CEILING_DIRECTORIES",
            outside.path().parent().expect("parent"),
        )
        .args(["check", "--changed-since", "main"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: the content root `.` is not in a git repository (--changed-since compares \
         with git history)\n"
    );
}

/// Date every file and folder of the site (not `.git`) an hour back, as in a real checkout,
/// so that the caches trust them.
fn age(dir: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
    {
        let entry = entry.expect("walk");
        let file = fs::File::open(entry.path()).expect("open");
        file.set_modified(past).expect("set mtime");
    }
}

#[test]
fn the_links_cache_knows_unchanged_pages_and_rereads_changed_ones() {
    let repo = linked_site();
    // gen/ is ignored by git: its page is never a changed page, only the cache judges it.
    repo.write(".gitignore", "gen/\n");
    repo.git(&["add", ".gitignore"]);
    repo.git(&["commit", "-qm", "ignore gen/"]);
    let e = |to: &str| page("e", "docs/e", &format!("<a href=\"{to}\">b</a>"));
    repo.write("gen/e.html", &e("/docs/b"));
    let reported =
        |repo: &Repo| -> Vec<Vec<String>> { pick(&repo.check_since("HEAD"), &["path", "rule"]) };
    age(repo.path());
    fs::remove_file(repo.path().join("b.html")).expect("rm");
    let both = rows(&[["a.html", "broken-link"], ["gen/e.html", "broken-link"]]);
    // Every body is read, and the links cache written; the next run reads it.
    assert_eq!(reported(&repo), both);
    assert!(repo.path().join(".pagelint_cache/links-v1.bin").is_file());
    assert_eq!(reported(&repo), both);
    // e.html changed since the cache was written: it is read again.
    repo.write("gen/e.html", &e("/docs/a"));
    age(&repo.path().join("gen"));
    assert_eq!(reported(&repo), rows(&[["a.html", "broken-link"]]));
    // Same size, same time: the cache is trusted (as git trusts its index) ...
    let path = repo.path().join("gen/e.html");
    let before = fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    repo.write("gen/e.html", &e("/docs/b"));
    fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(before))
        .expect("set mtime");
    assert_eq!(reported(&repo), rows(&[["a.html", "broken-link"]]));
    // ... and bypassed with --no-cache.
    let (json, _, _) = check_json_in(repo.path(), &["--changed-since", "HEAD", "--no-cache"]);
    assert_eq!(pick(&json, &["path", "rule"]), both);
}

#[cfg(unix)]
#[test]
fn a_changed_page_that_is_a_symlink_out_of_the_root_is_not_read() {
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret.html");
    fs::write(&secret, page("s", "docs/s", "<p>secret</p>")).expect("write");
    let repo = linked_site();
    fs::remove_file(repo.path().join("b.html")).expect("rm");
    std::os::unix::fs::symlink(&secret, repo.path().join("b.html")).expect("symlink");
    let (json, _) = repo.check(&[]);
    // The walk reports the symlink, and nothing of the file it points at is read or
    // compared; /docs/b is no longer answered, so the page linking to it is reported.
    assert_eq!(
        pick(&json, &["path", "rule", "message"]),
        rows(&[
            [
                "a.html",
                "broken-link",
                "broken link: no page has the URI /docs/b"
            ],
            [
                "b.html",
                "unreadable-page",
                "this symlink leads out of the content root; it is not followed"
            ]
        ])
    );
}
