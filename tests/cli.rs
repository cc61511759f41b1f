//! The command line as users and CI see it: output formats, exit codes, configuration
//! discovery and errors, and bad input that must not stop a run.

mod common;

use common::{
    NOW, check_json, diagnostics, page, pagelint, pick, rows, run_in, stdout_json, write,
};
use std::fs;
use std::path::Path;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.html",
        page(
            "a",
            "docs/a",
            "<p><a href=\"/docs/b\">b</a> <a href=\"/docs/c\">c</a></p>",
        ),
    );
    write(dir.path(), "b.html", page("b", "docs/b", "<p>b</p>"));
    dir
}

#[test]
fn json_output_has_exactly_the_pinned_shape() {
    let dir = site();
    let out = run_in(dir.path(), &["check", "--format", "json", "--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    let expected = concat!(
        r#"{"version":1,"summary":{"pages":2,"errors":1,"warnings":0},"diagnostics":[{"rule":"broken-link","#,
        r#""severity":"error","path":"a.html","line":10,"column":37,"message":"broken link: no page has the URI /docs/c","#,
        r#""help":"did you mean /docs/b? (/docs/b is the closest existing URI)","target":"/docs/c"}]}"#,
        "\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    // A whole-site run (no path, or the root itself) neither reads nor writes the cache.
    let root = dir.path().to_string_lossy().into_owned();
    run_in(dir.path(), &["check", &root, "--now", NOW]);
    assert!(!dir.path().join(".pagelint_cache").exists());
}

#[test]
fn human_output_shows_the_line_the_label_and_the_help() {
    let dir = site();
    let out = run_in(dir.path(), &["--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    insta::assert_snapshot!("human_broken_link", stdout);
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.starts_with("pagelint: checked 2 pages in ")
            && stderr.ends_with(
                "s: 1 error, 0 warnings (broken-link 1); 1 fixable with `pagelint fix`\n"
            ),
        "{stderr}"
    );
    let quiet = run_in(dir.path(), &["check", "--quiet", "--now", NOW]);
    assert!(quiet.stderr.is_empty());
}

#[test]
fn github_format_annotates_the_line() {
    let dir = site();
    let out = run_in(dir.path(), &["check", "--format", "github", "--now", NOW]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "::error file=a.html,line=10,col=37,title=pagelint broken-link::broken link: no page has the URI /docs/c%0Adid you mean /docs/b? (/docs/b is the closest existing URI)\n"
    );
}

#[test]
fn exit_codes_follow_severity() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.html", page("a", "a", "<p>ok</p>"));
    assert_eq!(run_in(dir.path(), &["--now", NOW]).status.code(), Some(0));
    // Stale is a warning: exit 0, unless warnings are denied.
    let later = "2031-01-01T00:00:00Z";
    assert_eq!(run_in(dir.path(), &["--now", later]).status.code(), Some(0));
    assert_eq!(
        run_in(dir.path(), &["--now", later, "--deny-warnings"])
            .status
            .code(),
        Some(1)
    );
    for bad in [
        vec!["--now", "yesterday"],
        vec!["explain", "no-such-rule"],
        vec!["chek"],
        vec!["--select", "broken-links"],
        vec!["--threads", "100000"],
        vec!["--format", "xml"],
    ] {
        let out = run_in(dir.path(), &bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!out.stderr.is_empty(), "{bad:?} says why");
    }
}

#[test]
fn source_date_epoch_is_now_when_no_flag_is_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.html", page("a", "a", "<p>ok</p>"));
    // 2031-01-01: more than 1095 days after the page's update.
    let out = pagelint()
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1924992000")
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let json = stdout_json(&out);
    assert_eq!(json["diagnostics"][0]["rule"], "stale-updated-at");
}

#[test]
fn config_errors_point_into_the_file_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.html", page("a", "a", ""));
    write(
        dir.path(),
        "pagelint.yaml",
        "site:\n  hosts: [example.org]\nrules:\n  broken-lnk: off\n",
    );
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown rule `broken-lnk`"), "{stderr}");
    assert!(stderr.contains("did you mean `broken-link`?"), "{stderr}");
    assert!(stderr.contains("pagelint.yaml:4:3"), "{stderr}");
}

#[test]
fn config_is_discovered_from_the_checked_folder_and_its_parents() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "site/a.html",
        page("a", "a", "<a href=\"/search\">search</a>"),
    );
    let root = dir.path().join("site");
    let broken = |code: Option<i32>| assert_eq!(code, Some(1));
    broken(
        run_in(dir.path(), &["check", "site", "--now", NOW])
            .status
            .code(),
    );
    write(
        dir.path(),
        "pagelint.yaml",
        "site:\n  ignore_links: [\"/search\"]\n",
    );
    // From the parent folder, naming the site: found above the checked folder.
    assert_eq!(
        run_in(dir.path(), &["check", "site", "--now", NOW])
            .status
            .code(),
        Some(0)
    );
    // From inside the site: found in a parent of the current folder.
    assert_eq!(run_in(&root, &["--now", NOW]).status.code(), Some(0));
}

#[test]
fn checking_one_file_still_resolves_links_across_the_site() {
    let dir = site();
    write(
        dir.path(),
        "pagelint.yaml",
        "required_fields: [id, uri, title]\n",
    );
    write(
        dir.path(),
        "b.html",
        page("b", "docs/b", "<a href=\"/docs/nowhere\">x</a>"),
    );
    // Only b.html is reported on, but its link to /docs/a (a page not named) would resolve.
    let out = run_in(
        dir.path(),
        &["check", "b.html", "--format", "json", "--now", NOW],
    );
    let json = stdout_json(&out);
    assert_eq!(json["summary"]["pages"], 1);
    let paths: Vec<&str> = diagnostics(&json)
        .iter()
        .map(|d| d["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, vec!["b.html"]);
    write(
        dir.path(),
        "b.html",
        page("b", "docs/b", "<a href=\"/docs/a\">x</a>"),
    );
    let out = run_in(dir.path(), &["check", "b.html", "--now", NOW]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn checking_one_file_still_checks_fragments_into_other_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.html",
        page(
            "a",
            "docs/a",
            "<a href=\"/docs/b#there\">ok</a> <a href=\"/docs/b#gone\">x</a>",
        ),
    );
    write(
        dir.path(),
        "b.html",
        page(
            "b",
            "docs/b",
            "<h2 id=\"there\">There</h2><a href=\"#nowhere\">y</a>",
        ),
    );
    let out = run_in(
        dir.path(),
        &["check", "a.html", "--format", "json", "--now", NOW],
    );
    let json = stdout_json(&out);
    // b.html's own broken fragment is not reported: only a.html was asked for.
    assert_eq!(
        pick(&json, &["path", "target"]),
        rows(&[["a.html", "/docs/b#gone"]])
    );
}

/// Date every file and folder under `dir` an hour back, as files are in a real checkout.
fn age(dir: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry.expect("walk");
        let file = fs::File::open(entry.path()).expect("open");
        file.set_modified(past).expect("set mtime");
    }
}

fn targets(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "a.html", "--format", "json", "--now", NOW];
    all.extend_from_slice(args);
    let out = run_in(dir, &all);
    let json = stdout_json(&out);
    diagnostics(&json)
        .iter()
        .map(|d| d["target"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn partial_runs_cache_other_pages_until_they_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "a.html",
        page(
            "a",
            "docs/a",
            "<a href=\"/docs/b#xx\">b</a> <a href=\"/docs/c\">c</a>",
        ),
    );
    write(root, "b.html", page("b", "docs/b", "<h2 id=\"xx\">x</h2>"));
    write(root, "sub/c.html", page("c", "docs/c", ""));
    age(root);
    assert!(targets(root, &[]).is_empty());
    assert!(root.join(".pagelint_cache/.gitignore").is_file());
    // Same size, same time: the cache is trusted (as git trusts its index) ...
    let b = root.join("b.html");
    let before = fs::metadata(&b).expect("meta").modified().expect("mtime");
    write(root, "b.html", page("b", "docs/b", "<h2 id=\"yy\">x</h2>"));
    fs::File::open(&b)
        .expect("open")
        .set_modified(before)
        .expect("mtime");
    assert!(targets(root, &[]).is_empty());
    // ... and bypassed on request.
    assert_eq!(targets(root, &["--no-cache"]), vec!["/docs/b#xx"]);
    // A file that changed is read again.
    write(root, "b.html", page("b", "docs/b", "<h2 id=\"zz\">x</h2>"));
    assert_eq!(targets(root, &[]), vec!["/docs/b#xx"]);
    // A page removed from a folder is noticed through the folder's time.
    fs::remove_file(root.join("sub/c.html")).expect("remove");
    assert_eq!(targets(root, &[]), vec!["/docs/b#xx", "/docs/c"]);
    // The cache folder is never linted.
    let (json, _) = common::check_json(&[&root.to_string_lossy()]);
    assert!(
        diagnostics(&json)
            .iter()
            .all(|d| !d["path"].as_str().unwrap_or("").contains(".pagelint_cache"))
    );
}

#[test]
fn the_redirects_file_is_checked_at_its_own_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "a.html",
        page("a", "docs/a", "<a href=\"/old\">old</a>"),
    );
    write(
        root,
        "pagelint.yaml",
        "site:\n  redirects_file: _redirects\n",
    );
    write(
        root,
        "_redirects",
        "# moved pages\n/old   /docs/a  301\n/gone  /docs/nowhere\n/x /y\n/y /x\n/splat/* /docs/a\n",
    );
    let out = run_in(root, &["check", "--format", "json", "--now", NOW]);
    let json = stdout_json(&out);
    assert_eq!(
        pick(&json, &["path", "rule", "line", "column"]),
        rows(&[
            ["_redirects", "broken-link", "3", "8"],
            // The loop /x → /y → /x once, at its first URI (issue 9: not once per member).
            ["_redirects", "redirect-loop", "4", "1"],
            ["a.html", "redirected-link", "10", "10"],
        ])
    );
}

#[test]
fn base_path_and_case_insensitive_servers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "api.html", page("api", "Web/API", "<p>API</p>"));
    write(
        root,
        "guide.html",
        page(
            "guide",
            "Learn/Guide",
            "<a href=\"/en-US/docs/Web/API\">ok</a> <a href=\"/en-US/docs/web/api\">case</a> \
             <a href=\"/Web/API\">no base</a>",
        ),
    );
    let broken = |config: &str| -> Vec<String> {
        write(root, "pagelint.yaml", config);
        let out = run_in(root, &["check", "--format", "json", "--now", NOW]);
        let json = stdout_json(&out);
        diagnostics(&json)
            .iter()
            .map(|d| d["target"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(
        broken("site:\n  base_path: /en-US/docs\n"),
        vec!["/en-US/docs/web/api", "/Web/API"]
    );
    assert_eq!(
        broken("site:\n  base_path: /en-US/docs\n  case_insensitive: true\n"),
        vec!["/Web/API"]
    );
}

#[test]
fn fix_rewrites_only_the_values_it_is_certain_of() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "pagelint.yaml",
        "site:\n  hosts: [www.example.org]\n  redirect_field: redirect_uri\n",
    );
    write(
        root,
        "target.html",
        page("target-page", "docs/target", "<h2 id=\"s\">S</h2>"),
    );
    write(
        root,
        "old.html",
        "---\nid: old\nuri: docs/old\ntitle: Old\ntype: page\nauthorship: A\nredirect_uri: docs/target\nupdated_at: 2026-01-15T10:00:00Z\ncreated_at: 2026-01-10T10:00:00Z\n---\n",
    );
    // CRLF line ends, a byte order mark, entities and odd spacing must survive untouched.
    let body = "<p><a href=\"/target-page#s\">by id</a>\r\n<a  href = '/docs/targte?x=1&amp;y=2'>typo</a>\r\n\
                <a href=https://www.example.org/docs/target>abs</a>\r\n<a href=\"/docs/old#s\">moved</a>\r\n\
                <a href=\"/nowhere/at/all\">left</a></p>\r\n";
    let text = format!(
        "\u{FEFF}{}",
        page("a", "docs/a", body).replace('\n', "\r\n")
    );
    write(root, "a.html", &text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("a.html"), fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let dry = run_in(root, &["fix", "--dry-run", "a.html", "--now", NOW]);
    let diff = String::from_utf8(dry.stdout).expect("UTF-8");
    assert!(
        diff.contains("--- a/a.html") && diff.contains("+++ b/a.html"),
        "{diff}"
    );
    assert_eq!(
        fs::read_to_string(root.join("a.html")).expect("read"),
        text,
        "dry run writes nothing"
    );
    let out = run_in(root, &["fix", "a.html", "--now", NOW, "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed 4 findings in 1 file"), "{stderr}");
    // Each repair is reported with its place, rule, and old and new value. (The body's `\r\n`
    // became `\r\r\n`: a lone CR and a CRLF, two line ends, as browsers and editors count.)
    assert!(
        stderr.contains(
            "fixed a.html:14:9: own-host-link: https://www.example.org/docs/target -> /docs/target"
        ),
        "{stderr}"
    );
    // What is left is reported, and decides the exit code.
    let json = stdout_json(&out);
    let left: Vec<&str> = diagnostics(&json)
        .iter()
        .map(|d| d["target"].as_str().expect("target"))
        .collect();
    assert_eq!(left, vec!["/nowhere/at/all"]);
    assert_eq!(out.status.code(), Some(1));
    let fixed = fs::read_to_string(root.join("a.html")).expect("read");
    let expected = text
        .replace("/target-page#s", "/docs/target#s")
        .replace("'/docs/targte?x=1&amp;y=2'", "'/docs/target?x=1&amp;y=2'")
        .replace("https://www.example.org/docs/target", "/docs/target")
        .replace("/docs/old#s", "/docs/target#s");
    assert_eq!(fixed, expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(root.join("a.html"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // A second run has nothing left to fix.
    let again = run_in(root, &["fix", "a.html", "--now", NOW]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("fixed 0 findings in 0 files"));
    assert_eq!(
        fs::read_to_string(root.join("a.html")).expect("read"),
        expected
    );
    assert!(
        fs::read_dir(root).expect("ls").all(|e| !e
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")),
        "no temporary file is left behind"
    );
}

#[test]
fn links_to_lists_every_link_to_a_uri_through_redirects_too() {
    let out = pagelint()
        .args([
            "links-to",
            "/garden/ferns",
            "fixtures/orphan-page",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let json = stdout_json(&out);
    assert_eq!(
        json,
        serde_json::json!({"version": 1, "uri": "/garden/ferns", "links": [
            {"path": "fixtures/orphan-page/pass/home.html", "line": 11, "column": 39,
             "via": ["/garden/old-ferns", "/garden/ferns"]},
            {"path": "fixtures/orphan-page/pass/old-ferns.html", "line": 7, "column": 15, "via": []},
        ]})
    );
    let human = pagelint()
        .args(["links-to", "/garden/ferns/", "fixtures/orphan-page"])
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&human.stdout)
            .starts_with("fixtures/orphan-page/pass/home.html:11:39: links to /garden/ferns")
    );
    assert_eq!(
        String::from_utf8_lossy(&human.stderr),
        "pagelint: 2 links to /garden/ferns from 2 pages\n"
    );
}

#[test]
fn plain_static_sites_need_no_front_matter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "pagelint.yaml", "site:\n  front_matter: optional\n");
    write(
        root,
        "index.html",
        "<!DOCTYPE html><a href=\"docs/\">docs</a> <a href=\"docs/setup.html#install\">setup</a> <a href=\"/docs/gone.html\">gone</a>",
    );
    write(
        root,
        "docs/index.html",
        "<a href=\"setup.html\">setup</a> <a href=\"../index.html\">home</a> <a href=\"/\">root</a>",
    );
    write(
        root,
        "docs/setup.html",
        "<h2 id=\"install\">Install</h2><a href=\"./\">up</a>",
    );
    let out = run_in(root, &["check", "--format", "json", "--now", NOW]);
    let json = stdout_json(&out);
    assert_eq!(
        pick(&json, &["rule", "target"]),
        rows(&[["broken-link", "/docs/gone.html"]])
    );
}

#[test]
fn output_is_the_same_bytes_on_every_run_and_thread_count() {
    let (first, _) = check_json(&["fixtures/site"]);
    for threads in ["1", "2", "4"] {
        let (again, _) = check_json(&["fixtures/site", "--threads", threads]);
        assert_eq!(first, again, "--threads {threads}");
    }
    let a = pagelint()
        .args(["check", "fixtures/broken-link", "--now", NOW])
        .output()
        .expect("runs");
    let b = pagelint()
        .args(["check", "fixtures/broken-link", "--now", NOW])
        .output()
        .expect("runs");
    assert_eq!(a.stdout, b.stdout);
}

/// A site whose one page, `big.html`, is over 500 bytes and is linked from `ok.html`, with
/// `config` as its pagelint.yaml; the run's JSON output and exit code.
fn run_with_a_big_page(config: &str) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "ok.html",
        page("ok", "ok", "<a href=\"/big\">big</a>"),
    );
    write(
        dir.path(),
        "big.html",
        page("big", "big", &"<p>x</p>".repeat(100)),
    );
    write(dir.path(), "pagelint.yaml", config);
    let out = run_in(dir.path(), &["check", "--format", "json", "--now", NOW]);
    (out, dir)
}

#[test]
fn a_page_over_limits_file_bytes_is_limit_exceeded_at_its_start_under_either_key() {
    for config in [
        "limits:\n  file_bytes: 500\n",
        "max_file_bytes: 500\n",
        "max_file_bytes: 500\nlimits:\n  file_bytes: 500\n",
    ] {
        let (out, _dir) = run_with_a_big_page(config);
        assert_eq!(out.status.code(), Some(1), "{config:?}");
        let found = pick(
            &stdout_json(&out),
            &["path", "rule", "line", "column", "message", "help"],
        );
        assert_eq!(found.len(), 1, "{config:?}: {found:#?}");
        let [path, rule, line, column, message, help] = &found[0][..] else {
            unreachable!("six keys picked")
        };
        assert_eq!(
            (path.as_str(), rule.as_str(), line.as_str(), column.as_str()),
            ("big.html", "limit-exceeded", "1", "1"),
            "{config:?}"
        );
        assert!(
            message.contains("more than `limits.file_bytes` (500)")
                && !message.contains("max_file_bytes"),
            "{message}"
        );
        assert!(help.contains("raise `limits.file_bytes`"), "{help}");
    }
}

#[test]
fn the_old_and_new_file_size_keys_with_different_values_are_a_config_error() {
    let (out, _dir) = run_with_a_big_page("max_file_bytes: 500\nlimits:\n  file_bytes: 600\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`max_file_bytes` (500) and `limits.file_bytes` (600)")
            && stderr.contains("pagelint.yaml:1:1"),
        "{stderr}"
    );
}

#[test]
fn bad_files_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "ok.html",
        page("ok", "ok", "<a href=\"/big\">big</a>"),
    );
    write(
        root,
        "big.html",
        page("big", "big", &"<p>x</p>".repeat(100)),
    );
    write(root, "pagelint.yaml", "max_file_bytes: 500\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root, root.join("loop")).expect("symlink");
        let outside = tempfile::tempdir().expect("tempdir");
        write(outside.path(), "secret.html", page("s", "s", ""));
        std::os::unix::fs::symlink(outside.path().join("secret.html"), root.join("escape.html"))
            .expect("symlink");
        let out = run_in(root, &["check", "--format", "json", "--now", NOW]);
        assert_eq!(out.status.code(), Some(1));
        let json = stdout_json(&out);
        let found = pick(&json, &["path", "message"]);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0][0] == "big.html"
                && found[0][1].contains("more than `limits.file_bytes` (500)"),
            "{found:#?}"
        );
        assert!(
            found[1][0] == "escape.html" && found[1][1].contains("leads out of the content root")
        );
        assert!(found[2][0] == "loop" && found[2][1].contains("symlink loop"));
        // The link to the page too big to read is not reported again as broken.
        assert!(found.iter().all(|f| f[0] != "ok.html"));
    }
}

#[test]
fn rules_and_explain_print_the_rule_pack() {
    let out = pagelint().arg("rules").output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for rule in pagelint::rules::rules() {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{} ", rule.meta.id))
                    && l.ends_with(rule.meta.summary.trim())),
            "{} missing from `pagelint rules`",
            rule.meta.id
        );
        let out = pagelint()
            .args(["explain", &rule.meta.id])
            .output()
            .expect("runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), rule.explain());
    }
}

#[test]
fn readme_rule_table_matches_the_rule_pack() {
    let readme = fs::read_to_string(common::repo().join("README.md")).expect("README.md");
    for rule in pagelint::rules::rules() {
        let row = format!(
            "| `{}` | {} | {} |",
            rule.meta.id,
            rule.meta.severity,
            rule.meta.summary.trim()
        );
        assert!(readme.contains(&row), "README lacks the row:\n{row}");
    }
}

#[test]
fn fix_on_the_broken_link_fixtures_repairs_only_certain_suggestions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    common::replace_tree(&common::repo().join("fixtures/broken-link"), root);
    // A dry run prints the diff alone on stdout; what is left goes to stderr.
    let dry = run_in(root, &["fix", "--dry-run", ".", "--now", NOW]);
    let diff = String::from_utf8(dry.stdout).expect("UTF-8");
    assert!(
        diff.lines().all(|l| ["---", "+++", "@@", " ", "+", "-"]
            .iter()
            .any(|p| l.starts_with(p))),
        "{diff}"
    );
    let stderr = String::from_utf8_lossy(&dry.stderr);
    assert!(
        stderr.contains("broken link: no page has the URI /garden/ponds"),
        "{stderr}"
    );
    // JSON lists each repair; the certain ones only (an exact id, a case-only difference, a
    // typo with no rival, the only page of that name).
    let out = run_in(root, &["fix", ".", "--now", NOW, "--format", "json"]);
    let json = stdout_json(&out);
    let repaired: Vec<(&str, &str)> = json["repairs"]
        .as_array()
        .expect("repairs")
        .iter()
        .map(|r| {
            (
                r["old"].as_str().expect("old"),
                r["new"].as_str().expect("new"),
            )
        })
        .collect();
    assert_eq!(
        repaired,
        vec![
            // A relative link under a <base href> (fail/base-href.html): the only page named
            // roses; the repair writes the page's URI.
            ("roses", "/garden/roses"),
            ("/Garden/Roses#pruning", "/garden/roses#pruning"),
            ("/garden-roses-main", "/garden/roses"),
            ("/GARDEN-ROSES-MAIN", "/garden/roses"),
            ("/garden-roses-mian", "/garden/roses"),
            ("/shrubs/climbing-roses", "/garden/climbing-roses"),
            ("/garden/climing-roses", "/garden/climbing-roses"),
            ("/guide/cafe", "/guide/caf%C3%A9"),
        ]
    );
    // Guesses stay for a person, with their suggestion.
    let left: Vec<&str> = diagnostics(&json)
        .iter()
        .filter(|d| {
            d["help"]
                .as_str()
                .is_some_and(|h| h.starts_with("did you mean"))
        })
        .map(|d| d["target"].as_str().expect("target"))
        .collect();
    assert_eq!(
        left,
        vec![
            "/garden-tools-misc-dibber",
            "/garden-compost-guide-level2",
            "/garden-pond-planting-level3",
            "/kitchen-herbs-sage-level1",
            "/kitchen-herbs-sweet-cicely-and-lovage",
            "/garden/ponds",
        ]
    );
    // With nothing left, nothing is announced as left.
    let clean = run_in(root, &["fix", "pass", "--now", NOW]);
    let stderr = String::from_utf8_lossy(&clean.stderr);
    assert!(
        stderr.contains("fixed 0 findings in 0 files\n") && !stderr.contains("left"),
        "{stderr}"
    );
}

#[test]
fn a_fragment_through_a_redirect_is_judged_in_partial_runs_as_in_whole_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "pagelint.yaml",
        "site:\n  redirect_field: redirect_uri\n",
    );
    write(
        root,
        "target.html",
        page("target-page", "docs/target", "<h2 id=\"s\">S</h2>"),
    );
    write(
        root,
        "old.html",
        "---\nid: old\nuri: docs/old\ntitle: Old\ntype: page\nauthorship: A\nredirect_uri: docs/target\nupdated_at: 2026-01-15T10:00:00Z\ncreated_at: 2026-01-10T10:00:00Z\n---\n",
    );
    write(
        root,
        "a.html",
        page("a", "docs/a", "<p><a href=\"/docs/old#gone\">moved</a></p>"),
    );
    let fragments = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json", "--now", NOW, "--no-cache"];
        all.extend_from_slice(args);
        let json = stdout_json(&run_in(root, &all));
        diagnostics(&json)
            .iter()
            .filter(|d| d["rule"] == "broken-fragment")
            .map(|d| d["target"].as_str().expect("target").to_owned())
            .collect()
    };
    assert_eq!(fragments(&[]), vec!["/docs/old#gone"]);
    assert_eq!(fragments(&["a.html"]), vec!["/docs/old#gone"]);
}

/// A URL's path is percent-decoded once: the file `a%41.html` is served at `/a%2541`, and `/aA`
/// (what decoding twice made of it) names no page.
#[test]
fn a_percent_in_a_path_is_decoded_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "pagelint.yaml",
        "site:\n  front_matter: optional\nrules:\n  orphan-page: off\n",
    );
    write(dir.path(), "a%41.html", "<p>a%41</p>\n");
    write(
        dir.path(),
        "index.html",
        "<a href=\"/a%2541\">served</a> <a href=\"/aA\">not served</a>\n",
    );
    let (json, code, stderr) = common::check_json_in(dir.path(), &["."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        pick(&json, &["rule", "target"]),
        rows(&[["broken-link", "/aA"]]),
        "{json}"
    );
}

/// A configuration is read whatever letters it is written in (a word with an accent made the
/// scan for duplicate keys slice inside a character: a panic, exit 101).
#[test]
fn a_config_with_accented_words_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "pagelint.yaml",
        "required_fields: [titre, résumé]\nrules:\n  orphan-page: off\n",
    );
    write(
        dir.path(),
        "a.html",
        "---\nid: a\ntitre: A\n---\n<p>a</p>\n",
    );
    let (json, code, stderr) = common::check_json_in(dir.path(), &["."]);
    assert_eq!(code, 1, "{stderr}");
    let rules = pick(&json, &["rule"]);
    assert!(rules.contains(&vec!["missing-field".to_owned()]), "{json}");
    assert!(json.to_string().contains("résumé"), "{json}");
}

#[test]
fn a_missing_uri_gets_the_suggestion_each_linking_page_should_get() {
    // Suggestions are made once per missing URI: a page that is one of the near names is never
    // offered itself, and a tie another page sees is broken for it by leaving itself out.
    let dir = tempfile::tempdir().expect("tempdir");
    for (id, uri) in [
        ("intro", "docs/intro"),
        ("intra", "docs/intra"),
        ("setup", "docs/setup"),
    ] {
        let body = "<p><a href=\"/docs/intrx\">x</a></p>".repeat(3);
        write(dir.path(), &format!("{id}.html"), page(id, uri, &body));
    }
    let out = run_in(dir.path(), &["check", "--format", "json", "--now", NOW]);
    let json = stdout_json(&out);
    let mut helps = pick(&json, &["path", "help"]);
    helps.dedup();
    let no_page = "no page has the URI /docs/intrx: correct the link, or, if the server answers \
                   this path without a page, add it to `site.ignore_links` in pagelint.yaml";
    assert_eq!(
        helps,
        rows(&[
            [
                "intra.html",
                "did you mean /docs/intro? (/docs/intro is the closest existing URI)"
            ],
            [
                "intro.html",
                "did you mean /docs/intra? (/docs/intra is the closest existing URI)"
            ],
            ["setup.html", no_page],
        ]),
        "{json}"
    );
}
