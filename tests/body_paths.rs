//! `site.body` by path (`fixtures/body-paths/`): a site keeping HTML fragments as `.md` files
//! in one folder and Markdown elsewhere is read as each folder is written; the scalar form
//! still reads every page one way; a bad entry is refused where it is written.

mod common;

use common::{NOW, check_json, pagelint, pick, rows, write};
use std::fs;

const SITE: &str = "fixtures/body-paths";

/// The findings of `check` on `dir`: path (under it), line, column, rule, message.
fn findings(dir: &str) -> Vec<Vec<String>> {
    let (json, _) = check_json(&[dir]);
    // Paths are printed relative to the working folder (`../../.tmpX/site/…` for a temporary
    // site): resolved, they are compared from the site folder.
    let root = fs::canonicalize(dir).expect("the site folder");
    pick(&json, &["path", "line", "column", "rule", "message"])
        .into_iter()
        .map(|mut r| {
            let path = fs::canonicalize(&r[0]).expect("a finding names a file");
            let under = path
                .strip_prefix(&root)
                .expect("a finding's file is in the site");
            r[0] = under.to_string_lossy().replace('\\', "/");
            r
        })
        .collect()
}

#[test]
fn html_kept_in_md_files_under_one_folder_is_read_as_html_and_the_rest_as_markdown() {
    assert_eq!(
        findings(SITE),
        rows(&[
            [
                "guide/start.md",
                "6",
                "60",
                "broken-link",
                "broken link: no page has the URI /guide/missing"
            ],
            [
                "guide/start.md",
                "7",
                "31",
                "broken-fragment",
                "broken fragment: /legacy/old has no id or anchor `getting-started`"
            ],
            [
                "legacy/old.md",
                "6",
                "10",
                "broken-link",
                "broken link: no page has the URI /legacy/gone"
            ],
        ])
    );
}

#[test]
fn the_scalar_form_reads_every_page_one_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    for rel in ["legacy/old.md", "guide/start.md"] {
        write(
            &site,
            rel,
            fs::read(format!("{SITE}/{rel}")).expect("fixture"),
        );
    }
    let config = fs::read_to_string(format!("{SITE}/pagelint.yaml")).expect("config");
    let scalar = config.replace(
        "  body:\n    default: auto\n    paths:\n      \"legacy/**\": html\n",
        "  body: auto\n",
    );
    assert_ne!(scalar, config);
    write(&site, "pagelint.yaml", &scalar);
    let site = site.to_string_lossy().into_owned();
    let found = findings(&site);
    let rules: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[3].as_str()))
        .collect();
    // Read as Markdown, the legacy page's bracketed text is a link to /nowhere.
    assert_eq!(
        rules,
        [
            ("guide/start.md", "6", "broken-link"),
            ("guide/start.md", "7", "broken-fragment"),
            ("legacy/old.md", "6", "broken-link"),
            ("legacy/old.md", "8", "broken-link"),
        ]
    );
}

#[test]
fn a_bad_body_entry_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (body, message, line) in [
        (
            "  body:\n    paths:\n      \"legacy/**\": htm\n",
            "invalid site.body.paths entry \"legacy/**\": not a body kind",
            "4",
        ),
        (
            "  body:\n    paths:\n      \"legacy/[\": html\n",
            "invalid glob \"legacy/[\"",
            "4",
        ),
    ] {
        write(dir.path(), "pagelint.yaml", format!("site:\n{body}"));
        write(dir.path(), "a.md", "---\nid: a\nuri: /a\ntitle: A\n---\n");
        let out = pagelint()
            .arg("check")
            .arg(dir.path())
            .args(["--now", NOW])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(
            stderr.contains(&format!("pagelint.yaml:{line}:")),
            "{stderr}"
        );
    }
}
