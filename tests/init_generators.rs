//! `pagelint init` on Markdown sites as their generators lay them out (`fixtures/init/`: a
//! Hugo, a Jekyll, a Docusaurus and a Next.js site, written here): init reads the generator's
//! own files inside the folder it is given, writes a config that says how the site is served,
//! and the first `check` with that config finds exactly the defects planted in each site and
//! nothing else.

mod common;

use common::{NOW, copy_dir, pagelint, pick};
use pagelint::config::Config;
use std::path::Path;

/// Init on a copy of `fixtures/init/SITE`; the config it wrote, and the findings of `check`
/// there (path, line, column, rule, message).
fn init_then_check(site: &str) -> (String, Config, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join(site);
    copy_dir(&common::repo().join("fixtures/init").join(site), &root);
    let out = pagelint()
        .arg("init")
        .arg(&root)
        .args(["--now", NOW])
        .output()
        .expect("init runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(root.join("pagelint.yaml")).expect("init wrote it");
    let config = Config::parse(&text, "pagelint.yaml").unwrap_or_else(|e| panic!("{}", e.message));
    let out = pagelint()
        .current_dir(&root)
        .args(["check", "--format", "json", "--now", NOW])
        .output()
        .expect("check runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let found = pick(&json, &["path", "line", "column", "rule", "message"]);
    (text, config, found)
}

fn rows(expected: &[(&str, u32, u32, &str, &str)]) -> Vec<Vec<String>> {
    expected
        .iter()
        .map(|(p, l, c, r, m)| {
            vec![
                (*p).into(),
                l.to_string(),
                c.to_string(),
                (*r).into(),
                (*m).into(),
            ]
        })
        .collect()
}

fn has(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "no line {line:?} in:\n{text}"
    );
}

#[test]
fn a_hugo_site_gets_goldmark_ids_its_content_dir_static_dir_aliases_and_dates() {
    let (text, c, found) = init_then_check("hugo");
    assert_eq!(c.site.content_dir.as_deref(), Some("content"));
    assert_eq!(
        c.site.heading_ids,
        pagelint::parse::slug::HeadingIds::Goldmark
    );
    assert_eq!(c.site.alias_fields, ["aliases"]);
    assert_eq!(c.site.static_dirs, [("/".to_owned(), "static".to_owned())]);
    assert_eq!(c.site.author_fields, ["author"]);
    assert_eq!(c.site.updated_fields, ["lastmod", "date"]);
    assert_eq!(c.site.created_fields, ["date"]);
    has(
        &text,
        "  # Heading ids: Hugo (hugo.toml): Goldmark's heading ids.",
    );
    assert_eq!(
        found,
        rows(&[
            (
                "content/posts/first.md",
                11,
                28,
                "broken-link",
                "broken link: no page has the URI /posts/missing"
            ),
            (
                "content/posts/second.md",
                9,
                15,
                "redirected-link",
                "link to /old/first, which redirects to /posts/first"
            ),
            (
                "content/posts/second.md",
                9,
                52,
                "broken-fragment",
                "broken fragment: /posts/first has no id or anchor `nope`"
            ),
            (
                "content/posts/second.md",
                10,
                20,
                "missing-asset",
                "missing asset: no file static/images/gone.png for /images/gone.png"
            ),
        ])
    );
}

#[test]
fn a_jekyll_site_gets_kramdown_ids_permalinks_redirect_from_and_leaves_out_files_without_front_matter()
 {
    let (text, c, found) = init_then_check("jekyll");
    assert_eq!(
        c.site.heading_ids,
        pagelint::parse::slug::HeadingIds::Kramdown
    );
    assert_eq!(c.site.permalink_field.as_deref(), Some("permalink"));
    assert_eq!(c.site.alias_fields, ["redirect_from"]);
    assert!(c.exclude.is_match("README.md"));
    assert!(c.site.content_dir.is_none());
    // A title is not an id, however unique on two pages.
    assert_eq!(c.site.id_field, "id");
    has(
        &text,
        "  # Heading ids: Jekyll (_config.yml) renders with kramdown.",
    );
    assert!(text.contains("`permalink: pretty`"), "{text}");
    assert_eq!(
        found,
        rows(&[
            (
                "about.md",
                9,
                66,
                "broken-fragment",
                "broken fragment: / has no id or anchor `1-introduction`"
            ),
            (
                "about.md",
                10,
                19,
                "redirected-link",
                "link to /about-us, which redirects to /about"
            ),
            (
                "about.md",
                10,
                60,
                "broken-link",
                "broken link: no page has the URI /contact"
            ),
        ])
    );
}

#[test]
fn a_docusaurus_site_is_served_from_its_folder_with_github_ids_and_its_static_dir() {
    let (text, c, found) = init_then_check("docusaurus");
    assert_eq!(
        c.site.heading_ids,
        pagelint::parse::slug::HeadingIds::Github
    );
    assert_eq!(c.site.static_dirs, [("/".to_owned(), "static".to_owned())]);
    assert!(c.site.content_dir.is_none(), "docs/ is served under /docs");
    // The repository's README is not a page.
    assert!(!c.include.is_match("README.md"));
    has(&text, "  heading_ids: github");
    assert_eq!(
        found,
        rows(&[
            (
                "docs/guide.md",
                6,
                69,
                "broken-link",
                "broken link: no page has the URI /docs/missing"
            ),
            (
                "docs/intro.md",
                7,
                22,
                "broken-fragment",
                "broken fragment: /docs/guide has no id or anchor `nope`"
            ),
        ])
    );
}

#[test]
fn a_nextjs_site_gets_its_pages_dir_locales_redirects_json_and_public_dir() {
    let (text, c, found) = init_then_check("nextjs");
    assert_eq!(c.site.content_dir.as_deref(), Some("pages"));
    let locales = c.site.locales.as_ref().expect("locales");
    assert_eq!(
        (locales.default.as_str(), locales.all.as_slice()),
        ("en", &["en".to_owned()][..])
    );
    assert_eq!(locales.redirect_placeholder.as_deref(), Some("locale"));
    assert_eq!(c.site.redirects_file.as_deref(), Some("redirects.json"));
    assert_eq!(c.site.static_dirs, [("/".to_owned(), "public".to_owned())]);
    assert!(
        c.rules_for(None, "pages/en/blog/post.md").0[pagelint::rules::index_of("stale-updated-at")]
            .is_none()
    );
    has(
        &text,
        "  # Heading ids: Next.js with rehype-slug (package.json): GitHub's heading ids.",
    );
    assert_eq!(
        found,
        rows(&[
            (
                "pages/en/blog/post.md",
                9,
                46,
                "broken-fragment",
                "broken fragment: /en has no id or anchor `nope`"
            ),
            (
                "pages/en/index.md",
                7,
                59,
                "redirected-link",
                "link to /en/old-post, which redirects to /en/blog/post"
            ),
            (
                "pages/en/index.md",
                8,
                23,
                "broken-link",
                "broken link: no page has the URI /en/blog/missing"
            ),
        ])
    );
}

#[test]
fn without_a_generators_file_heading_ids_are_not_guessed_and_nothing_outside_the_folder_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A Hugo config beside the folder given, not inside it: never read.
    copy_dir(&common::repo().join("fixtures/init/hugo"), dir.path());
    let content = dir.path().join("content");
    let out = pagelint()
        .arg("init")
        .arg(&content)
        .args(["--now", NOW, "--dry-run"])
        .output()
        .expect("init runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains("hugo.toml") && !text.contains("heading_ids: goldmark"),
        "{text}"
    );
    assert!(!Path::new(&content.join("pagelint.yaml")).exists());
}
