//! Suppressions through the binary: what a directive or the front-matter field hides, what it
//! does not (other rules, other lines), and the reports about suppressions themselves
//! (unused-suppression, invalid-suppression) with their exact positions and exit codes.

mod common;

use common::{NOW, pagelint, pick, rows};
use std::fs;
use std::path::Path;

/// A complete, valid page at `uri`; `extra` goes into the front matter, `body` starts at line 10
/// (line 11 with one line of `extra`).
fn page(id: &str, uri: &str, extra: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\nuri: {uri}\ntitle: {id}\ntype: page\nauthorship: A. Author\n{extra}\
         updated_at: 2026-01-15T10:00:00Z\ncreated_at: 2026-01-10T10:00:00Z\n---\n{body}\n"
    )
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// A site with the target page b (ids `one`, `two`) and page a with `extra` and `body`.
fn site(extra: &str, body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.html", page("a", "docs/a", extra, body));
    write(
        dir.path(),
        "b.html",
        page(
            "b",
            "docs/b",
            "",
            "<h1 id=\"one\">b</h1><h2 id=\"two\">2</h2>",
        ),
    );
    dir
}

/// `pagelint check ARGS --format json --now NOW` in `dir`: the report and the exit code.
fn check(dir: &Path, args: &[&str]) -> (serde_json::Value, i32) {
    let (json, code, _) = common::check_json_in(dir, args);
    (json, code)
}

const FIELDS: [&str; 5] = ["rule", "path", "line", "column", "message"];

#[test]
fn disable_next_line_hides_the_broken_link_and_the_run_passes() {
    let dir = site(
        "",
        "<!-- pagelint-disable-next-line broken-link -- docs/c comes back in May -->\n\
         <p><a href=\"/docs/c\">c</a></p>",
    );
    let (json, code) = check(dir.path(), &[]);
    assert_eq!(pick(&json, &FIELDS), rows::<5>(&[]));
    assert_eq!(json["summary"]["errors"], 0);
    assert_eq!(code, 0);
    // Without the comment, the link is reported: the suppression is what made the difference.
    let bare = site("", "\n<p><a href=\"/docs/c\">c</a></p>");
    let (json, code) = check(bare.path(), &[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "broken-link",
            "a.html",
            "11",
            "13",
            "broken link: no page has the URI /docs/c"
        ]])
    );
    assert_eq!(code, 1);
}

#[test]
fn a_range_ends_at_its_enable_and_later_findings_are_reported() {
    let dir = site(
        "",
        "<!-- pagelint-disable broken-link -->\n\
         <p><a href=\"/docs/x\">x</a></p>\n\
         <p><a href=\"/docs/y\">y</a></p>\n\
         <!-- pagelint-enable broken-link -->\n\
         <p><a href=\"/docs/z\">z</a></p>",
    );
    let (json, code) = check(dir.path(), &[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "broken-link",
            "a.html",
            "14",
            "13",
            "broken link: no page has the URI /docs/z"
        ]])
    );
    assert_eq!(code, 1);
}

#[test]
fn the_front_matter_field_covers_the_whole_page_for_its_rules() {
    let dir = site(
        "pagelint: {disable: [broken-link]}\n",
        "<p><a href=\"/docs/x\">x</a></p>\n<p><a href=\"/docs/y\">y</a> <a href=\"/docs/b#nine\">9</a></p>",
    );
    let (json, code) = check(dir.path(), &[]);
    // broken-fragment is not listed: still reported.
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "broken-fragment",
            "a.html",
            "12",
            "37",
            "broken fragment: /docs/b has no id or anchor `nine`"
        ]])
    );
    assert_eq!(code, 1);
    // The block form reads the same.
    let block = site(
        "pagelint:\n  disable:\n    - broken-link\n    - broken-fragment\n",
        "<p><a href=\"/docs/x\">x</a> <a href=\"/docs/b#nine\">9</a></p>",
    );
    let (json, code) = check(block.path(), &[]);
    assert_eq!(pick(&json, &FIELDS), rows::<5>(&[]));
    assert_eq!(code, 0);
}

#[test]
fn a_suppression_covers_only_its_rules_and_only_its_lines() {
    let dir = site(
        "",
        "<!-- pagelint-disable-next-line broken-link -->\n\
         <p><a href=\"/docs/x\">x</a> <a href=\"/docs/b#nine\">9</a></p>\n\
         <p><a href=\"/docs/y\">y</a></p>\n\
         <p><a href=\"/docs/w\">w</a></p> <!-- pagelint-disable-line broken-link -->",
    );
    let (json, code) = check(dir.path(), &[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[
            [
                "broken-fragment",
                "a.html",
                "11",
                "37",
                "broken fragment: /docs/b has no id or anchor `nine`"
            ],
            [
                "broken-link",
                "a.html",
                "12",
                "13",
                "broken link: no page has the URI /docs/y"
            ],
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn an_unused_suppression_is_a_warning_at_the_comment() {
    let dir = site(
        "",
        "<p>ok</p>\n  <!-- pagelint-disable-next-line broken-link -->\n<p><a href=\"/docs/b\">b</a></p>",
    );
    let (json, code) = check(dir.path(), &[]);
    assert_eq!(
        pick(
            &json,
            &[
                "rule", "severity", "path", "line", "column", "message", "help"
            ]
        ),
        rows(&[[
            "unused-suppression",
            "warning",
            "a.html",
            "11",
            "3",
            "unused suppression: no `broken-link` finding on line 12",
            "remove the comment"
        ]])
    );
    assert_eq!(code, 0);
    let (_, denied) = check(dir.path(), &["--deny-warnings"]);
    assert_eq!(denied, 1);
    // Turned off in the configuration, it says nothing.
    write(
        dir.path(),
        "pagelint.yaml",
        "rules:\n  unused-suppression: off\n",
    );
    let (json, _) = check(dir.path(), &[]);
    assert_eq!(pick(&json, &FIELDS), rows::<5>(&[]));
}

#[test]
fn a_suppression_of_a_rule_that_is_off_is_not_unused() {
    let dir = site("pagelint: {disable: [stale-updated-at]}\n", "<p>ok</p>");
    write(
        dir.path(),
        "pagelint.yaml",
        "rules:\n  stale-updated-at: off\n",
    );
    let (json, code) = check(dir.path(), &[]);
    assert_eq!(pick(&json, &FIELDS), rows::<5>(&[]));
    assert_eq!(code, 0);
    // On again, it is unused: the page is fresh.
    fs::remove_file(dir.path().join("pagelint.yaml")).expect("remove");
    let (json, _) = check(dir.path(), &[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "unused-suppression",
            "a.html",
            "7",
            "22",
            "unused suppression: the page has no `stale-updated-at` finding"
        ]])
    );
}

#[test]
fn an_unknown_rule_is_an_error_with_the_closest_rule() {
    let dir = site(
        "",
        "<!-- pagelint-disable-next-line broken-link, brokn-fragment -->\n<p><a href=\"/docs/x\">x</a></p>",
    );
    let (json, code) = check(dir.path(), &[]);
    assert_eq!(
        pick(
            &json,
            &[
                "rule", "severity", "path", "line", "column", "message", "help"
            ]
        ),
        rows(&[[
            "invalid-suppression",
            "error",
            "a.html",
            "10",
            "46",
            "unknown rule `brokn-fragment` in a suppression",
            "did you mean `broken-fragment`? `pagelint rules` lists every rule"
        ]])
    );
    assert_eq!(code, 1);
}

#[test]
fn orphan_page_suppressions_are_judged_only_on_whole_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "pagelint.yaml",
        "rules:\n  orphan-page: warning\n",
    );
    let field = "pagelint: {disable: [orphan-page]}\n";
    // a is an orphan (suppressed); b is linked from a, so its suppression is unused.
    write(
        dir.path(),
        "a.html",
        page("a", "docs/a", field, "<a href=\"/docs/b\">b</a>"),
    );
    write(dir.path(), "b.html", page("b", "docs/b", field, "<p>b</p>"));
    let (json, _) = check(dir.path(), &[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "unused-suppression",
            "b.html",
            "7",
            "22",
            "unused suppression: the page has no `orphan-page` finding"
        ]])
    );
    // A run on one file cannot judge orphans: its suppression is not unused there.
    let (json, code) = check(dir.path(), &["b.html", "--no-cache"]);
    assert_eq!(pick(&json, &FIELDS), rows::<5>(&[]));
    assert_eq!(code, 0);
}

#[test]
fn crlf_pages_count_lines_the_same() {
    let text = page(
        "a",
        "docs/a",
        "",
        "<!-- pagelint-disable-next-line broken-link -->\n<p><a href=\"/docs/x\">x</a></p>\n<p><a href=\"/docs/y\">y</a></p>",
    )
    .replace('\n', "\r\n");
    let dir = site("", "");
    write(dir.path(), "a.html", text);
    let (json, _) = check(dir.path(), &[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "broken-link",
            "a.html",
            "12",
            "13",
            "broken link: no page has the URI /docs/y"
        ]])
    );
}

#[test]
fn fix_leaves_a_suppressed_link_alone() {
    // /docs/bb would be repaired to /docs/b (a certain suggestion), were it not suppressed.
    let body = "<!-- pagelint-disable-next-line broken-link -->\n<p><a href=\"/docs/bb\">b</a></p>";
    let dir = site("", body);
    let out = pagelint()
        .current_dir(dir.path())
        .args(["fix", "--dry-run", "--now", NOW])
        .output()
        .expect("pagelint runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(out.status.code(), Some(0));
    let unsuppressed = site("", "\n<p><a href=\"/docs/bb\">b</a></p>");
    let out = pagelint()
        .current_dir(unsuppressed.path())
        .args(["fix", "--dry-run", "--now", NOW])
        .output()
        .expect("pagelint runs");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("+<p><a href=\"/docs/b\">b</a></p>"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn an_enable_ends_the_range_of_its_rules_only() {
    let dir = site(
        "",
        "<!-- pagelint-disable broken-link broken-fragment -->\n\
         <p><a href=\"/docs/x\">x</a></p>\n\
         <!-- pagelint-enable broken-link -->\n\
         <p><a href=\"/docs/y\">y</a> <a href=\"/docs/b#nine\">9</a></p>",
    );
    let (json, code) = check(dir.path(), &[]);
    assert_eq!(
        pick(&json, &FIELDS),
        rows(&[[
            "broken-link",
            "a.html",
            "13",
            "13",
            "broken link: no page has the URI /docs/y"
        ]])
    );
    assert_eq!(code, 1);
}

#[test]
fn pathological_suppressions_are_all_read_and_reported() {
    // 5,000 rule ids on one line of a comment, and as many in the front matter's flow list,
    // and 5,000 one-line suppressions: each id's column was counted from its line's start,
    // and each finding tried every suppression of its page.
    let ids = vec!["broken-link"; 5_000].join(" ");
    let unknown: Vec<String> = (0..5_000).map(|i| format!("rule{i}")).collect();
    let lines: String = (0..5_000)
        .map(|i| format!("<a href=\"/x{i}\">x</a> <!-- pagelint-disable-line broken-link -->\n"))
        .collect();
    let dir = site(
        &format!(
            "pagelint: {{disable: [{}]}}\n",
            vec!["broken-link"; 5_000].join(", ")
        ),
        &format!(
            "<!-- pagelint-disable-next-line {ids} -->\n<a href=\"/gone\">x</a>\n\
             <!-- pagelint-disable {} -->\n{lines}",
            unknown.join(",")
        ),
    );
    // (Speed is measured by the benchmark harness, never asserted here; the quadratic version
    // of this took minutes, which a run of the suite shows.)
    let (json, code) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    let found = common::diagnostics(&json);
    assert_eq!(
        found
            .iter()
            .filter(|d| d["rule"] == "invalid-suppression")
            .count(),
        5_000
    );
}
