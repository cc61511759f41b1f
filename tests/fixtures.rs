//! Every rule is run over its fixture site: pages under `pass/` must give no diagnostic,
//! every page under `fail/` must give at least one of the rule and none of another, and the
//! whole output is pinned by a snapshot. A rule that only a run with `--changed-since` can
//! trigger has its pages as `before/` and `after/` versions of one site: they are committed in
//! a throwaway repository, and `after/` is checked against `before/` (and alone, finding
//! nothing).

mod common;

use common::{check_json, check_json_in, diagnostics, git, git_init, replace_tree, repo};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The rules that only a `--changed-since` run can trigger.
const CHANGE_RULES: [&str; 1] = ["updated-at-not-bumped"];

/// The folder holding a rule's `pass/` and `fail/` pages.
fn fixture_dir(rule: &str) -> PathBuf {
    let dir = repo().join("fixtures").join(rule);
    if CHANGE_RULES.contains(&rule) {
        dir.join("after")
    } else {
        dir
    }
}

/// A change rule's fixtures, run: `before/` committed on `main`, `after/` on a branch, then
/// `check --changed-since main` in that repository (paths are shown relative to it).
fn changed_run(rule: &str) -> (serde_json::Value, i32) {
    let fixtures = repo().join("fixtures").join(rule);
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    git_init(site);
    replace_tree(&fixtures.join("before"), site);
    git(site, &["add", "-A"]);
    git(site, &["commit", "-qm", "before"]);
    git(site, &["checkout", "-qb", "change"]);
    replace_tree(&fixtures.join("after"), site);
    git(site, &["add", "-A"]);
    git(site, &["commit", "-qm", "after"]);
    // Outside the mode, the rule has nothing to compare.
    let (plain, _, _) = check_json_in(site, &[]);
    assert!(
        diagnostics(&plain).is_empty(),
        "{rule}: a plain check found {plain}"
    );
    let (json, code, _) = check_json_in(site, &["--changed-since", "main"]);
    (json, code)
}

fn rule_ids() -> Vec<String> {
    pagelint::rules::rules()
        .iter()
        .map(|r| r.meta.id.clone())
        .collect()
}

fn pages_under(dir: &std::path::Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("fixture folder is readable");
        if entry.file_type().is_file()
            && entry
                .path()
                .extension()
                .is_some_and(|e| e == "html" || e == "md")
        {
            out.insert(
                entry
                    .path()
                    .strip_prefix(repo())
                    .expect("under the repo")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out
}

#[test]
fn every_rule_has_passing_and_failing_fixtures() {
    for rule in rule_ids() {
        let dir = fixture_dir(&rule);
        assert!(
            !pages_under(&dir.join("pass")).is_empty(),
            "fixtures/{rule}/pass has no pages"
        );
        assert!(
            !pages_under(&dir.join("fail")).is_empty(),
            "fixtures/{rule}/fail has no pages"
        );
    }
}

#[test]
fn fixtures_trigger_exactly_their_rule() {
    for rule in rule_ids() {
        let dir = fixture_dir(&rule);
        let mut expected = pages_under(&dir.join("fail"));
        let (json, code, fail) = if CHANGE_RULES.contains(&rule.as_str()) {
            let shown = format!("fixtures/{rule}/after/");
            expected = expected
                .into_iter()
                .map(|p| p.strip_prefix(&shown).expect("under after/").to_owned())
                .collect();
            let (json, code) = changed_run(&rule);
            (json, code, "fail/".to_owned())
        } else {
            let arg = format!("fixtures/{rule}");
            let (json, code) = check_json(&[&arg]);
            (json, code, format!("{arg}/fail/"))
        };
        let found = diagnostics(&json);
        let mut failing = BTreeSet::new();
        for d in found {
            let path = d["path"].as_str().expect("path");
            assert!(
                path.starts_with(&fail),
                "{rule}: a diagnostic outside fail/: {d}"
            );
            assert_eq!(d["rule"], rule.as_str(), "{rule}: another rule fired: {d}");
            failing.insert(path.to_owned());
        }
        assert_eq!(
            failing, expected,
            "{rule}: every fail/ page must be reported"
        );
        let errors = json["summary"]["errors"].as_u64().expect("errors");
        assert_eq!(code, if errors > 0 { 1 } else { 0 }, "{rule}: exit code");
        insta::assert_json_snapshot!(rule.as_str(), json);
    }
}

/// The sites of `fixtures/layouts/`: each lays its pages out as some kind of host does
/// (`base-path`: MDN's; `static-host`: a plain static site), with its own pagelint.yaml.
const LAYOUTS: [&str; 2] = ["base-path", "static-host"];

#[test]
fn layouts_report_their_fail_pages_only() {
    for layout in LAYOUTS {
        let arg = format!("fixtures/layouts/{layout}");
        let dir = repo().join(&arg);
        let (json, _) = check_json(&[&arg]);
        let mut failing = BTreeSet::new();
        for d in diagnostics(&json) {
            let path = d["path"].as_str().expect("path");
            assert!(
                path.starts_with(&format!("{arg}/fail/")),
                "{layout}: a diagnostic outside fail/: {d}"
            );
            failing.insert(path.to_owned());
        }
        assert_eq!(
            failing,
            pages_under(&dir.join("fail")),
            "{layout}: every fail/ page must be reported"
        );
        assert!(
            !pages_under(&dir.join("pass")).is_empty(),
            "{layout}: no pass/"
        );
        insta::assert_json_snapshot!(format!("layout-{layout}"), json);
    }
}

#[test]
fn suggestions_name_the_page_meant_and_say_why() {
    let (json, _) = check_json(&["fixtures/broken-link"]);
    let help = |file: &str| -> String {
        diagnostics(&json)
            .iter()
            .find(|d| d["path"].as_str().is_some_and(|p| p.ends_with(file)))
            .and_then(|d| d["help"].as_str())
            .unwrap_or_else(|| panic!("no finding in {file}"))
            .to_owned()
    };
    for (file, expected) in [
        (
            "fail/id-as-link.html",
            "did you mean /garden/roses? (`garden-roses-main` is the id of the page at /garden/roses)",
        ),
        (
            "fail/id-typo.html",
            "did you mean /garden/roses? (`garden-roses-mian` is close to `garden-roses-main`, \
             the id of the page at /garden/roses)",
        ),
        (
            "fail/slug-typo.html",
            "did you mean /garden/climbing-roses? (/garden/climbing-roses is the closest existing URI)",
        ),
        (
            "fail/moved-page.html",
            "did you mean /garden/climbing-roses? (the only page named `climbing-roses` is at \
             /garden/climbing-roses)",
        ),
        (
            "fail/case-only.html",
            "did you mean /garden/roses#pruning? (/garden/roses differs only in case)",
        ),
        (
            "fail/id-case.html",
            "did you mean /garden/roses? (`GARDEN-ROSES-MAIN` differs only in case from \
             `garden-roses-main`, the id of the page at /garden/roses)",
        ),
        (
            "fail/id-abbreviated.html",
            "did you mean /garden/tools/dibber? (the page whose id is \
             `garden-tools-miscellaneous-dibber` (a word written short or in full), at \
             /garden/tools/dibber)",
        ),
        (
            "fail/id-level-added.html",
            "did you mean /garden/compost? (the page whose id is `garden-compost-guide` (without \
             the number or level the link adds), at /garden/compost)",
        ),
        (
            "fail/id-word-dropped.html",
            "did you mean /kitchen/herbs/sage? (the page whose id is \
             `kitchen-herbs-perennial-sage-level1` (with a word the link leaves out), at \
             /kitchen/herbs/sage)",
        ),
        (
            "fail/id-other-level.html",
            "did you mean /garden/pond/planting? (the page whose id is \
             `garden-pond-planting-level1` (with another number or level: check it is the page \
             meant), at /garden/pond/planting)",
        ),
        (
            "fail/title-slug.html",
            "did you mean /kitchen/herbs/cicely? (the page titled \"Sweet cicely & lovage plants\" \
             (sweet-cicely-and-lovage spells its title), at /kitchen/herbs/cicely; check it is \
             the page meant)",
        ),
        (
            "fail/topic-rivals.html",
            "did you mean /garden/pond? (/garden/pond is the closest existing URI; the site has \
             several pages on this topic: check it is the one meant)",
        ),
    ] {
        assert_eq!(help(file), expected, "{file}");
    }
    // No suggestion where no page is a clear answer.
    assert!(help("fail/nowhere.html").starts_with("no page has the URI"));
}
