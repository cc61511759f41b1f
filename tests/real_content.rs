//! pagelint on real content from ../shared (never copied into the repo): the sample page
//! (PAGELINT_SAMPLES) and the whole Maxfacts site (PAGELINT_CORPUS). Without the variables
//! these tests say they were skipped.

mod common;

use common::{check_json, diagnostics};
use std::collections::BTreeMap;

/// (rule, line, column, target) of every diagnostic.
fn located(json: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    diagnostics(json)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
                d["target"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn sample_page_yields_its_broken_links_and_staleness_at_exact_lines() {
    let Some(samples) = common::shared_path("PAGELINT_SAMPLES") else {
        return;
    };
    let path = samples.to_string_lossy().into_owned();
    let (json, code) = check_json(&[&path]);
    assert_eq!(code, 1);
    // Alone, the page's site is just itself: every link to another page is broken.
    let l =
        |rule: &str, line, column, target: &str| (rule.to_owned(), line, column, target.to_owned());
    assert_eq!(
        located(&json),
        vec![
            l("stale-updated-at", 8, 13, ""),
            l("broken-link", 19, 60, "/diagnosis/a-z/cancer/facial-skin"),
            l("broken-link", 27, 51, "/diagnosis/a-z/bone-lesion"),
            l("broken-link", 28, 32, "/diagnosis/a-z/cancer/mouth-cancer"),
            l(
                "broken-link",
                37,
                32,
                "/diagnosis/a-z/tumour/metastases/more-info"
            ),
            l("broken-link", 40, 14, "/diagnosis/a-z/cancer/mouth-cancer"),
            l(
                "broken-link",
                49,
                21,
                "/diagnosis/a-z/cancer/salivary-gland"
            ),
            l(
                "broken-link",
                57,
                54,
                "/diagnosis/a-z/tumour/blood-malignancy"
            ),
            l(
                "broken-link",
                58,
                32,
                "/diagnosis/a-z/tumour/blood-malignancy"
            ),
            l("broken-link", 58, 158, "/diagnosis/a-z/cancer/facial-skin"),
            l(
                "broken-link",
                72,
                49,
                "/diagnosis/a-z/cancer/mouth-cancer/detailed"
            ),
            l(
                "broken-link",
                76,
                18,
                "/treatment/surgery/tumour/metastases"
            ),
        ]
    );
    let stale = &diagnostics(&json)[0];
    assert_eq!(
        stale["message"],
        "`updated_at` (2017-10-27) is 3138 days old, more than 1095"
    );
}

#[test]
fn maxfacts_findings_are_pinned_per_rule() {
    let Some(corpus) = common::shared_path("PAGELINT_CORPUS") else {
        return;
    };
    let path = corpus.to_string_lossy().into_owned();
    let (json, code) = check_json(&["--config", "fixtures/corpora/maxfacts.yaml", &path]);
    assert_eq!(code, 1);
    assert_eq!(json["summary"]["pages"], 466);
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    for d in diagnostics(&json) {
        *per_rule
            .entry(d["rule"].as_str().expect("rule").to_owned())
            .or_default() += 1;
    }
    // Every content page without authorship in this export has an empty body (a
    // placeholder): nothing authored, nothing reported.
    let expected: BTreeMap<String, usize> = [
        ("broken-link", 67),
        ("broken-toc-entry", 1),
        ("redirected-link", 8),
        ("stale-updated-at", 466),
    ]
    .into_iter()
    .map(|(r, n)| (r.to_owned(), n))
    .collect();
    assert_eq!(per_rule, expected);
    // A few findings pinned exactly, with what the help offers.
    let find = |file: &str, line: u64| {
        diagnostics(&json)
            .iter()
            .find(|d| d["path"].as_str().is_some_and(|p| p.ends_with(file)) && d["line"] == line)
            .unwrap_or_else(|| panic!("no finding at {file}:{line}"))
    };
    let typo = find("treatment-surgery-necrosis-hard-level3.md", 193);
    assert_eq!(typo["column"], 50);
    assert_eq!(
        typo["help"],
        "did you mean /treatment/other/medication/miscellaneous/bisphosphonates? \
         (`treatment-other-medication-miscellaneous-bisphophonates` is close to \
         `treatment-other-medication-miscellaneous-bisphosphonates`, the id of the page at \
         /treatment/other/medication/miscellaneous/bisphosphonates)"
    );
    let id_link = find("treatment-surgery-further-reading-and-info.md", 61);
    assert_eq!(id_link["target"], "/help-selfhelp-preamble");
    assert_eq!(
        id_link["help"],
        "did you mean /help? (`help-selfhelp-preamble` is the id of the page at /help)"
    );
    let moved = find("treatment-surgery-necrosis-hard-level1.md", 51);
    assert_eq!(
        moved["target"],
        "/treatment/surgery/necrosis/hard/more-info"
    );
}
