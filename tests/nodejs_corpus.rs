//! pagelint on the English pages of nodejs.org (../shared/corpora/nodejs, never copied into the
//! repo) with fixtures/corpora/nodejs.yaml. Set PAGELINT_NODEJS_CORPUS to that folder to run it;
//! without it the test says it was skipped.
//!
//! The expected findings come from scripts/nodejs_oracle.py, an independent reading of the
//! corpus (markdown-it-py, a github-slugger port and the site's own routing, redirects and other
//! services; see its docstring): every internal link and fragment that fails on nodejs.org as
//! the site serves it, and nothing else. The rule of each is pagelint's: a failing link whose
//! last segment names a file (`.pdf`, `.png`) is `missing-asset`, a failing fragment of a page
//! that exists is `broken-fragment`, any other failing link is `broken-link`.

mod common;

use common::{check_json, diagnostics};
use std::collections::BTreeMap;

/// (path, line, column, rule) of every link finding the oracle lists, in report order.
const ORACLE: &[(&str, u64, u64, &str)] = &[
    (
        "pages/en/blog/announcements/making-nodejs-downloads-reliable.md",
        79,
        119,
        "broken-link",
    ), // /en/blog/announcements/node-js-march-17-incident
    (
        "pages/en/blog/announcements/nodejs-foundation-survey.md",
        104,
        48,
        "missing-asset",
    ), // /static/documents/2016-survey-infographic.png
    (
        "pages/en/blog/announcements/nodejs-foundation-survey.md",
        105,
        60,
        "missing-asset",
    ), // /static/documents/2016-survey-report.pdf
    (
        "pages/en/blog/community/next-chapter.md",
        79,
        17,
        "broken-link",
    ), // https://nodejs.org/documentation/workflow/
    ("pages/en/blog/release/v0.10.0.md", 136, 15, "broken-link"), // https://nodejs.org/benchmarks-v0.10-vs-v0.8/
    (
        "pages/en/blog/release/v0.10.43.md",
        9,
        137,
        "broken-fragment",
    ), // /blog/vulnerability/openssl-and-low-severity-fixes-jan-2016/#_-update-
    (
        "pages/en/blog/release/v0.12.11.md",
        9,
        137,
        "broken-fragment",
    ), // /blog/vulnerability/openssl-and-low-severity-fixes-jan-2016/#_-update-
    (
        "pages/en/blog/release/v18.20.8.md",
        13,
        92,
        "broken-fragment",
    ), // https://nodejs.org/en/about/previous-releases#commercial-support
    (
        "pages/en/blog/uncategorized/ldapjs-a-reprise-of-ldap.md",
        92,
        343,
        "missing-asset",
    ), // /static/images/blog/uncategorized/ldapjs-a-reprise-of-ldap/uR16U.png
    (
        "pages/en/blog/uncategorized/node-meetup-this-thursday.md",
        9,
        30,
        "broken-link",
    ), // https://nodejs.org/meetup/
    (
        "pages/en/blog/uncategorized/porting-node-to-windows-with-microsofts-help.md",
        9,
        168,
        "missing-asset",
    ), // /static/documents/nodeconf.pdf
    (
        "pages/en/blog/uncategorized/trademark.md",
        17,
        24,
        "missing-asset",
    ), // /static/documents/trademark-policy.pdf
    (
        "pages/en/blog/vulnerability/april-2024-security-releases-2.md",
        51,
        53,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/april-2024-security-releases.md",
        63,
        87,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/december-2025-security-releases.md",
        192,
        54,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/january-2025-security-releases.md",
        98,
        54,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/july-2024-security-releases.md",
        143,
        53,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/july-2025-security-releases.md",
        73,
        54,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/july-2026-security-releases.md",
        193,
        54,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/june-2026-security-releases.md",
        154,
        54,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/march-2026-security-releases.md",
        138,
        54,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/may-2025-security-releases.md",
        84,
        54,
        "broken-link",
    ), // https://nodejs.org/en/security/
    (
        "pages/en/blog/vulnerability/openssl-november-2017.md",
        22,
        222,
        "broken-fragment",
    ), // #original_post
    (
        "pages/en/blog/vulnerability/september-2016-security-releases.md",
        15,
        19,
        "broken-fragment",
    ), // #CVE-2016-6304
    (
        "pages/en/blog/vulnerability/september-2016-security-releases.md",
        16,
        19,
        "broken-fragment",
    ), // #CVE-2016-2183
    (
        "pages/en/blog/vulnerability/september-2016-security-releases.md",
        17,
        19,
        "broken-fragment",
    ), // #CVE-2016-6303
    (
        "pages/en/blog/vulnerability/september-2016-security-releases.md",
        18,
        19,
        "broken-fragment",
    ), // #CVE-2016-2178
    (
        "pages/en/blog/vulnerability/september-2016-security-releases.md",
        19,
        19,
        "broken-fragment",
    ), // #CVE-2016-6306
    (
        "pages/en/blog/vulnerability/upcoming-cve-for-eol-versions.md",
        81,
        47,
        "broken-fragment",
    ), // https://nodejs.org/en/about/previous-releases#commercial-support
    (
        "pages/en/blog/vulnerability/updates-cve-for-end-of-life.md",
        87,
        47,
        "broken-fragment",
    ), // https://nodejs.org/en/about/previous-releases#commercial-support
    (
        "pages/en/blog/weekly/weekly-update.2015-03-13.md",
        35,
        28,
        "broken-link",
    ), // https://nodejs.org/about/advisory-board/
    (
        "pages/en/blog/wg/diag-wg-update-2017-02.md",
        77,
        30,
        "missing-asset",
    ), // /static/documents/2016-survey-report.pdf
];

/// (path, line, column) of the links that reach a page only through redirects.json (the oracle's
/// "redirected" links that end on a page; `/` → `/en` is next-intl's middleware, not a redirect
/// of the file, and is left out).
const ORACLE_REDIRECTED: &[(&str, u64, u64)] = &[
    ("pages/en/blog/events/nodejs-interactive-2026.md", 117, 61), // /en/contribute, 2 hops
    ("pages/en/blog/events/nodejs-interactive-2026.md", 123, 226),
    ("pages/en/blog/migrations/v22-to-v24.mdx", 23, 39), // https://nodejs.org/blog/release/…
    ("pages/en/blog/migrations/v22-to-v24.mdx", 25, 119),
    ("pages/en/blog/migrations/v22-to-v24.mdx", 25, 181),
];

/// (path, line, column) of the links that redirect off the site: to another host (the oracle's
/// "redirect-external") or to a path another service answers (`/learn`, the oracle's
/// "other-service" reached through a redirect). pagelint reports each as a redirected-link
/// without a repair.
const ORACLE_REDIRECTED_AWAY: &[(&str, u64, u64)] = &[
    ("pages/en/about/eol.mdx", 42, 48), // https://nodejs.org/esp/herodevs → herodevs.com
    ("pages/en/about/get-involved/index.md", 15, 32), // /calendar → calendar.google.com
    (
        "pages/en/blog/announcements/diving-into-the-nodejs-website-redesign.md",
        29,
        119,
    ), // /en/learn/… → https://nodejs.org/learn/…
];

/// The path of a finding relative to the corpus (the report shows it from the working
/// directory: `../shared/corpora/nodejs/pages/…` or an absolute path).
fn under_corpus(shown: &str, corpus: &std::path::Path) -> String {
    let full = common::repo().join(shown);
    let full = full.canonicalize().unwrap_or(full);
    full.strip_prefix(corpus)
        .unwrap_or_else(|_| panic!("{shown} is not under {}", corpus.display()))
        .to_string_lossy()
        .into_owned()
}

#[test]
fn nodejs_org_reports_exactly_the_links_and_fragments_that_fail_on_the_site() {
    let Some(corpus) = common::shared_path("PAGELINT_NODEJS_CORPUS") else {
        eprintln!(
            "SKIPPED nodejs_org_reports_exactly_the_links_and_fragments_that_fail_on_the_site: \
             PAGELINT_NODEJS_CORPUS is not set (.ci/run sets it to ../shared/corpora/nodejs)"
        );
        return;
    };
    let corpus = corpus.canonicalize().expect("the corpus folder resolves");
    let (mut json, code) = check_json(&[
        "--config",
        "fixtures/corpora/nodejs.yaml",
        &corpus.to_string_lossy(),
    ]);
    assert_eq!(code, 1, "broken links are errors");
    // Paths as the oracle writes them: from the corpus root.
    for d in json["diagnostics"].as_array_mut().expect("diagnostics") {
        let shown = d["path"].as_str().expect("path").to_owned();
        d["path"] = under_corpus(&shown, &corpus).into();
    }
    let link_rules = ["broken-link", "broken-fragment", "missing-asset"];
    let found: Vec<(String, u64, u64, String)> = diagnostics(&json)
        .iter()
        .filter(|d| link_rules.contains(&d["rule"].as_str().unwrap_or("")))
        .map(|d| {
            (
                d["path"].as_str().expect("path").to_owned(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
                d["rule"].as_str().expect("rule").to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64, String)> = ORACLE
        .iter()
        .map(|&(p, l, c, r)| (p.to_owned(), l, c, r.to_owned()))
        .collect();
    assert_eq!(found, expected);

    let mut per_rule = BTreeMap::new();
    for (_, _, _, rule) in &found {
        *per_rule.entry(rule.as_str()).or_insert(0) += 1;
    }
    assert_eq!(
        per_rule,
        BTreeMap::from([
            ("broken-fragment", 11),
            ("broken-link", 15),
            ("missing-asset", 6)
        ])
    );

    // A handful in full: the target is the URL as the site serves it (a root-relative Markdown
    // link gets the page's locale in front: next-intl's Link).
    let full = |path: &str, line: u64| {
        diagnostics(&json)
            .iter()
            .find(|d| d["path"] == path && d["line"] == line && d["rule"] != "own-host-link")
            .unwrap_or_else(|| panic!("a finding at {path}:{line}"))
            .clone()
    };
    let d = full(
        "pages/en/blog/announcements/making-nodejs-downloads-reliable.md",
        79,
    );
    assert_eq!(
        d["target"],
        "/en/en/blog/announcements/node-js-march-17-incident"
    );
    let d = full(
        "pages/en/blog/uncategorized/porting-node-to-windows-with-microsofts-help.md",
        9,
    );
    assert_eq!(d["target"], "/en/static/documents/nodeconf.pdf");
    let d = full(
        "pages/en/blog/vulnerability/upcoming-cve-for-eol-versions.md",
        81,
    );
    assert_eq!(
        d["target"],
        "/en/about/previous-releases#commercial-support"
    );
    let d = full(
        "pages/en/blog/vulnerability/september-2016-security-releases.md",
        15,
    );
    assert_eq!(
        d["target"],
        "/en/blog/vulnerability/september-2016-security-releases#CVE-2016-6304"
    );
    let redirected_where = |away: bool| -> Vec<(String, u64, u64)> {
        diagnostics(&json)
            .iter()
            .filter(|d| d["rule"] == "redirected-link")
            .filter(|d| {
                d["message"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with("which redirects to another site")
                    == away
            })
            .map(|d| {
                (
                    d["path"].as_str().expect("path").to_owned(),
                    d["line"].as_u64().expect("line"),
                    d["column"].as_u64().expect("column"),
                )
            })
            .collect()
    };
    let listed = |list: &[(&str, u64, u64)]| -> Vec<(String, u64, u64)> {
        list.iter().map(|&(p, l, c)| (p.to_owned(), l, c)).collect()
    };
    assert_eq!(redirected_where(false), listed(ORACLE_REDIRECTED));
    assert_eq!(redirected_where(true), listed(ORACLE_REDIRECTED_AWAY));
    // A trailing slash defeats the redirect (Next.js matches sources strictly): the help says
    // where the link without it goes.
    let d = full(
        "pages/en/blog/vulnerability/april-2024-security-releases.md",
        63,
    );
    assert_eq!(d["rule"], "broken-link");
    assert!(
        d["help"]
            .as_str()
            .unwrap_or("")
            .contains("without the slash, /en/security redirects to another site"),
        "{d}"
    );
    // A root-relative link gets the page's locale in front: the help writes it without one.
    let d = full(
        "pages/en/blog/announcements/making-nodejs-downloads-reliable.md",
        79,
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap_or("")
            .starts_with("did you mean /blog/announcements/node-js-march-17-incident?"),
        "{d}"
    );
    // The file is in public/, but the Markdown link asks for it under /en.
    let d = full("pages/en/blog/wg/diag-wg-update-2017-02.md", 77);
    assert!(
        d["help"]
            .as_str()
            .unwrap_or("")
            .contains("puts the page's locale in front of this link"),
        "{d}"
    );
    let d = full("pages/en/blog/events/nodejs-interactive-2026.md", 117);
    assert!(
        d["help"]
            .as_str()
            .unwrap_or("")
            .contains("/en/about/get-involved"),
        "the help names the final target: {d}"
    );
    for d in diagnostics(&json) {
        if link_rules.contains(&d["rule"].as_str().unwrap_or("")) {
            assert!(
                !d["help"].as_str().unwrap_or("").is_empty(),
                "every finding says what to do: {d}"
            );
        }
    }
}
