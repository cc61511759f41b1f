//! What keeps a run on a large site small and fast, checked on sites made here: findings that
//! say the same share their texts, the site rules run a batch of pages at a time, and lookups
//! on a site that ignores case fold a URI only when it has capitals.

use pagelint::config::Config;
use pagelint::{NoProgress, Report, Request};
use std::path::Path;
use std::sync::Arc;

fn check(root: &Path, config: &str) -> Report {
    let config = Config::parse(config, "pagelint.yaml")
        .unwrap_or_else(|e| panic!("the config parses: {e:?}"));
    let request = Request {
        config: &config,
        root: root.to_path_buf(),
        selected: Vec::new(),
        now: "2026-06-01T00:00:00Z".parse().expect("a timestamp"),
        progress: &NoProgress,
        cache: false,
    };
    pagelint::check(&request).expect("the site is checked")
}

fn page(id: &str, uri: &str, body: &str) -> String {
    format!("---\nid: {id}\nuri: {uri}\ntitle: {id}\n---\n{body}\n")
}

const QUIET: &str = "rules:\n  missing-authorship: off\n";

#[test]
fn findings_that_say_the_same_share_one_copy_of_each_text() {
    // Two pages link twice each to the same missing page: four findings, one copy of their
    // message, help and target, and one copy of each page's path.
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "<p><a href=\"/gone\">x</a>\n<a href=\"/gone\">y</a></p>";
    std::fs::write(dir.path().join("a.html"), page("a", "/a", body)).expect("write");
    std::fs::write(dir.path().join("b.html"), page("b", "/b", body)).expect("write");
    let report = check(dir.path(), QUIET);
    let broken: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "broken-link")
        .collect();
    assert_eq!(broken.len(), 4, "{:#?}", report.diagnostics);
    assert_eq!(
        &*broken[0].message,
        "broken link: no page has the URI /gone"
    );
    assert_eq!(broken[0].target.as_deref(), Some("/gone"));
    for d in &broken[1..] {
        assert!(Arc::ptr_eq(&d.message, &broken[0].message));
        assert!(Arc::ptr_eq(&d.help, &broken[0].help));
        let (t, t0) = (d.target.as_ref(), broken[0].target.as_ref());
        assert!(Arc::ptr_eq(t.expect("a target"), t0.expect("a target")));
    }
    assert!(Arc::ptr_eq(&broken[0].path, &broken[1].path));
    assert!(Arc::ptr_eq(&broken[2].path, &broken[3].path));
    assert_ne!(broken[0].path, broken[2].path);
}

#[test]
fn every_page_of_a_site_larger_than_a_batch_is_linted_once() {
    // 700 pages (the site rules take 512 at a time), each with one broken link of its own.
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 700;
    for i in 0..n {
        let body = format!(
            "<a href=\"/p{}\">next</a> <a href=\"/gone-{i}\">x</a>",
            (i + 1) % n
        );
        std::fs::write(
            dir.path().join(format!("p{i:04}.html")),
            page(&format!("p{i}"), &format!("/p{i}"), &body),
        )
        .expect("write");
    }
    let report = check(dir.path(), QUIET);
    let targets: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.rule, d.target.as_deref().unwrap_or("")))
        .collect();
    let mut expected: Vec<(String, String)> = (0..n)
        .map(|i| (format!("p{i:04}.html"), format!("broken-link /gone-{i}")))
        .collect();
    expected.sort();
    assert_eq!(
        targets,
        expected.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>()
    );
    assert!(report.diagnostics.windows(2).all(|w| w[0].path < w[1].path));
}

#[test]
fn a_site_that_ignores_case_answers_long_uris_in_any_case() {
    // The index folds a key on the stack up to 240 bytes of ASCII, and into a new string past
    // that: URIs on both sides of the limit are found from links in another case, each link
    // asked about by several rules and more than once.
    let dir = tempfile::tempdir().expect("tempdir");
    let uris: Vec<String> = [239, 240, 241, 600]
        .iter()
        .map(|n| format!("/D{}", "x".repeat(n - 2)))
        .collect();
    let mut body = String::new();
    for (i, uri) in uris.iter().enumerate() {
        let lower = uri.to_lowercase();
        body.push_str(&format!(
            "<a href=\"{lower}\">{i}</a> <a href=\"{lower}\">{i}</a>\n"
        ));
        let name = format!("p{i}.html");
        std::fs::write(dir.path().join(name), page(&format!("p{i}"), uri, "")).expect("write");
    }
    body.push_str("<a href=\"/Dmissing\">gone</a>");
    std::fs::write(dir.path().join("a.html"), page("a", "/a", &body)).expect("write");
    assert_eq!(broken_ignoring_case(dir.path()), ["/Dmissing"]);
}

#[test]
fn a_site_that_ignores_case_answers_links_in_any_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "<a href=\"/docs/café/ünï\">1</a> <a href=\"/DOCS/CAFÉ/ÜNÏ\">2</a> \
                <a href=\"/docs/cafe/uni\">3</a> <a href=\"/Docs/Plain\">4</a>";
    std::fs::write(dir.path().join("a.html"), page("a", "/Docs/Café/Ünï", body)).expect("write");
    std::fs::write(dir.path().join("b.html"), page("b", "/docs/plain", "")).expect("write");
    assert_eq!(broken_ignoring_case(dir.path()), ["/docs/cafe/uni"]);
}

/// The targets of the broken links a case-insensitive site at `root` has.
fn broken_ignoring_case(root: &Path) -> Vec<String> {
    let config = format!("{QUIET}site:\n  case_insensitive: true\n");
    let report = check(root, &config);
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "broken-link")
        .map(|d| d.target.as_deref().unwrap_or("").to_owned())
        .collect()
}
