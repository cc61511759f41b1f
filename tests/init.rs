//! `pagelint init` through the built binary: on a site generated here from scratch (fields
//! named unusually, a nested content root, planted routes, typos and own-host links), on the
//! real Maxfacts export when PAGELINT_CORPUS is set, and its refusals and exit codes.

mod common;

use common::{NOW, copy_dir, pagelint};
use pagelint::config::Config;
use serde_yaml::Value;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

/// A page of the generated site: front matter written as this site's own names.
struct Gen<'a> {
    key: &'a str,
    permalink: &'a str,
    kind: &'a str,
    authored: bool,
    extra: String,
    body: String,
}

impl Gen<'_> {
    fn text(&self) -> String {
        let mut t = format!(
            "---\nkey: {}\npermalink: {}\ntitle: Page {}\ntype: {}\n",
            self.key, self.permalink, self.key, self.kind
        );
        if self.authored {
            t.push_str("authorship: Written by A. Writer; reviewed by B. Reviewer\n");
        }
        t.push_str("updated_at: 2026-03-01T10:00:00Z\ncreated_at: 2025-01-10T10:00:00Z\n");
        t.push_str(&self.extra);
        t.push_str("---\n");
        t.push_str(&self.body);
        t
    }
}

/// A site under `site/content/` of `dir`, with files beside it that are not its pages: 3
/// section pages (type `section`, no authorship), 12 topic pages (authored), 2 pages that
/// forward elsewhere, and links to routes the server would answer (`/`, `/gallery/…`,
/// `/<page>/comments`, `*.pdf`), one typo, one missing page and own-host links.
fn generated_site(dir: &Path) {
    write(dir, "README.md", "# The repository\n\nNot a page.\n");
    write(dir, "node_modules/pkg/doc.md", "---\nid: x\n---\nskipped\n");
    write(dir, ".cache/old.md", "---\nid: y\n---\nhidden\n");
    write(dir, "site/templates/base.html", "<html>{{ body }}</html>\n");
    let sections = ["care", "food", "exercise"];
    let mut n = 0;
    for (s, section) in sections.iter().enumerate() {
        let mut body = format!("<h1 id=\"top-{section}\">{section}</h1>\n<ul>\n");
        for t in 0..4 {
            let _ = writeln!(
                body,
                "<li><a href=\"/{section}/topic-{t}\">Topic {t}</a></li>"
            );
        }
        body.push_str("</ul>\n<p><a href=\"/\">Home</a></p>\n");
        let page = Gen {
            key: section,
            permalink: section,
            kind: "section",
            authored: false,
            extra: String::new(),
            body,
        };
        write(dir, &format!("site/content/{section}.md"), page.text());
        for t in 0..4 {
            n += 1;
            let next = sections[(s + 1) % 3];
            let mut body = format!(
                "<h2 id=\"overview\">Overview</h2>\n<p>See <a href=\"/{next}/topic-{t}#overview\">\
                 the next topic</a> and <a href=\"https://docs.example.test/{section}\">the \
                 section</a>.</p>\n<h2 id=\"details\">Details</h2>\n\
                 <p><a href=\"/gallery/{section}-{t}\">Photos</a>, \
                 <a href=\"/{section}/topic-{t}/comments\">comments</a>, \
                 <a href=\"/downloads/{section}-{t}.pdf\">leaflet</a>, \
                 <a href=\"https://elsewhere.example.net/wiki/{section}-{t}\">elsewhere</a>.</p>\n"
            );
            if n == 1 {
                body.push_str("<p><a href=\"/care/topik-1\">a typo</a></p>\n");
            }
            if n == 2 {
                body.push_str("<p><a href=\"/nowhere/at-all\">gone</a></p>\n");
            }
            let extra = format!(
                "related: {next}/topic-{t}\ntoc:\n  - {{label: Overview, id: overview}}\n  - {{label: Details, id: details}}\n"
            );
            let key = format!("{section}-topic-{t}");
            let permalink = format!("{section}/topic-{t}");
            let page = Gen {
                key: &key,
                permalink: &permalink,
                kind: "topic",
                authored: true,
                extra,
                body,
            };
            write(
                dir,
                &format!("site/content/{section}/topic-{t}.md"),
                page.text(),
            );
        }
    }
    for (i, to) in ["care/topic-0", "food/topic-1"].iter().enumerate() {
        let key = format!("old-{i}");
        let permalink = format!("old/{i}");
        let page = Gen {
            key: &key,
            permalink: &permalink,
            kind: "topic",
            authored: false,
            extra: format!("replaced_by: {to}\n"),
            body: "\n".into(),
        };
        write(dir, &format!("site/content/old/{i}.md"), page.text());
    }
}

fn init(dir: &Path, args: &[&str]) -> std::process::Output {
    pagelint()
        .arg("init")
        .arg(dir)
        .args(["--now", NOW])
        .args(args)
        .output()
        .expect("pagelint runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"))
}

/// `check --format json` in `dir` (where the config is): the summary and the count per rule.
fn check_in(dir: &Path) -> (serde_json::Value, std::collections::BTreeMap<String, usize>) {
    let out = pagelint()
        .current_dir(dir)
        .args(["check", "--format", "json", "--now", NOW])
        .output()
        .expect("pagelint runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out.stderr)));
    let mut per_rule = std::collections::BTreeMap::new();
    for d in common::diagnostics(&json) {
        *per_rule
            .entry(d["rule"].as_str().expect("rule").to_owned())
            .or_default() += 1;
    }
    (json["summary"].clone(), per_rule)
}

/// The "first check: …" line init printed, and the per-rule lines under it.
fn printed_summary(stderr: &str) -> (String, Vec<String>) {
    let mut lines = stderr
        .lines()
        .skip_while(|l| !l.starts_with("first check: "));
    let head = lines
        .next()
        .unwrap_or_else(|| panic!("no first-check summary in:\n{stderr}"))
        .to_owned();
    let rules = lines
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    (head, rules)
}

/// The summary line `check`'s JSON summary and per-rule counts would make.
fn expected_summary(
    summary: &serde_json::Value,
    per_rule: &std::collections::BTreeMap<String, usize>,
) -> String {
    format!(
        "first check: {} pages, {} error{}, {} warning{} ({} rules)",
        summary["pages"],
        summary["errors"],
        if summary["errors"] == 1 { "" } else { "s" },
        summary["warnings"],
        if summary["warnings"] == 1 { "" } else { "s" },
        per_rule.len()
    )
}

/// The likely routes written commented out: each entry with the comment above it (its lines
/// joined), in order.
fn routes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut said = Vec::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("  #   # ") {
            said.push(comment);
        } else if let Some(entry) = line.strip_prefix("  #   - ") {
            out.push((entry.to_owned(), said.join(" ")));
            said.clear();
        }
    }
    out
}

/// The config text with every commented-out list entry and key under `site:` uncommented.
fn uncomment_routes(text: &str) -> String {
    text.lines()
        .map(|l| match l.strip_prefix("  # ") {
            Some(rest)
                if rest.starts_with("ignore_links:")
                    || rest.starts_with("page_suffixes:")
                    || rest.trim_start().starts_with("- ") =>
            {
                format!("  {rest}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect()
}

#[test]
fn init_infers_a_generated_site_and_its_first_check_is_what_check_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    generated_site(dir.path());
    let out = init(dir.path(), &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let file = dir.path().join("pagelint.yaml");
    let written = fs::read_to_string(&file).expect("pagelint.yaml is written");
    let c = yaml(&written);
    assert_eq!(c["root"], "site/content");
    assert_eq!(c["include"], yaml("[\"**/*.md\"]"));
    let site = &c["site"];
    assert_eq!(site["uri_field"], "permalink");
    assert_eq!(site["id_field"], "key");
    assert_eq!(site["link_fields"], yaml("[related]"));
    assert_eq!(site["toc_field"], "toc");
    assert_eq!(site["redirect_field"], "replaced_by");
    assert_eq!(site["hosts"], yaml("[docs.example.test]"));
    assert!(
        site.get("ignore_links").is_none(),
        "routes are commented out"
    );
    assert_eq!(
        c["required_fields"],
        yaml("[key, permalink, title, created_at, type, updated_at]")
    );
    assert_eq!(
        c["overrides"],
        yaml("[{types: [section], rules: {missing-authorship: off}}]")
    );
    // How each was found is said beside it.
    for said in [
        "on 17 of 17 pages, values unique; 24 of the 65 root-relative links name a page's URI.",
        "`related` on 12 pages; 12 of 12 values are other pages' URIs.",
        "24 of 24 `id`s name an id in the page's body.",
        "docs.example.test (12 of 12 links)",
        "section 3 of 3",
        "Dates: created_at (17 pages), updated_at (17 pages), which the date rules read.",
    ] {
        assert!(
            written
                .replace("\n# ", " ")
                .replace("\n  # ", " ")
                .contains(said),
            "{said:?} not in:\n{written}"
        );
    }
    // Likely routes, commented out with their counts; the typo and the missing page are not.
    assert_eq!(
        routes(&written),
        [
            (
                "\"**/*.pdf\"",
                "12 links from 12 pages: /downloads/care-0.pdf, /downloads/care-1.pdf, … (12 paths)"
            ),
            (
                "\"/gallery/**\"",
                "12 links from 12 pages: /gallery/care-0, /gallery/care-1, … (12 paths)"
            ),
            ("\"/\"", "3 links from 3 pages: /"),
            (
                "comments",
                "12 links from 12 pages: /care/topic-0/comments, /care/topic-1/comments, … (12 paths)"
            ),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert!(written.contains("  # page_suffixes:\n"), "{written}");
    assert!(
        !written.contains("topik"),
        "a typo is not a route:\n{written}"
    );
    assert!(
        !written.contains("nowhere"),
        "one missing page is not a route:\n{written}"
    );
    assert!(
        !written.contains("elsewhere.example"),
        "another host is not the site's:\n{written}"
    );
    // It loads, and what init printed is what `check` reports with it.
    let config = Config::load(&file).unwrap_or_else(|e| panic!("{}", e.message));
    assert!(config.has_overrides());
    let (summary, per_rule) = check_in(dir.path());
    assert_eq!(
        summary["pages"], 17,
        "pages outside site/content are not pages"
    );
    let (head, rules) = printed_summary(&stderr);
    assert_eq!(
        format!("{head} ({} rules)", rules.len()),
        expected_summary(&summary, &per_rule)
    );
    for rule in &rules {
        let mut parts = rule.split(' ');
        let (name, n) = (parts.next().expect("rule"), parts.next().expect("count"));
        assert_eq!(per_rule[name].to_string(), n, "{rule}");
    }
    assert_eq!(per_rule["broken-link"], 3 + 12 + 12 + 2, "{per_rule:?}");
    // With the routes uncommented, only the typo and the missing page are left.
    fs::write(&file, uncomment_routes(&written)).expect("rewrite");
    let (_, per_rule) = check_in(dir.path());
    assert_eq!(per_rule.get("broken-link"), Some(&2), "{per_rule:?}");
    assert_eq!(per_rule.get("missing-asset"), None, "{per_rule:?}");
    // What init found is printed, too.
    for found in [
        "content root   site/content (17 page files, 17 with front matter)",
        "URI field      permalink",
        "own hosts      docs.example.test",
        "no authorship  section",
    ] {
        assert!(stderr.contains(found), "{found:?} not in:\n{stderr}");
    }
}

#[test]
fn init_never_overwrites_a_config_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    generated_site(dir.path());
    let dry = init(dir.path(), &["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    assert!(!dir.path().join("pagelint.yaml").exists());
    assert!(
        text(&dry.stderr).contains("first check: 17 pages"),
        "{}",
        text(&dry.stderr)
    );
    let real = init(dir.path(), &[]);
    assert_eq!(real.status.code(), Some(0));
    let file = dir.path().join("pagelint.yaml");
    assert_eq!(
        fs::read_to_string(&file).expect("written"),
        text(&dry.stdout),
        "the dry run prints exactly what a run writes"
    );
    fs::write(&file, "rules: {broken-link: warning}\n").expect("edit");
    let again = init(dir.path(), &[]);
    assert_eq!(again.status.code(), Some(2));
    let stderr = text(&again.stderr);
    assert!(
        stderr.contains(&file.display().to_string()) && stderr.contains("never overwrites"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(&file).expect("kept"),
        "rules: {broken-link: warning}\n"
    );
}

#[test]
fn init_says_when_a_parent_config_would_be_found_and_refuses_what_it_cannot_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "pagelint.yaml",
        "rules: {orphan-page: warning}\n",
    );
    let site = dir.path().join("sites/one");
    generated_site(&site);
    let out = init(&site, &[]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    let parent = dir
        .path()
        .canonicalize()
        .expect("canonical")
        .join("pagelint.yaml");
    assert!(
        stderr.contains(&format!("note: {} is found from", parent.display())),
        "{stderr}"
    );
    assert!(site.join("pagelint.yaml").is_file());
    // No pages, no folder: exit 2 and say why.
    let empty = tempfile::tempdir().expect("tempdir");
    write(empty.path(), "notes.txt", "nothing\n");
    let out = init(empty.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no page files"));
    assert!(!empty.path().join("pagelint.yaml").exists());
    let out = init(&empty.path().join("missing"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no such folder"));
}

#[cfg(unix)]
#[test]
fn init_never_follows_a_symlink_out_of_the_folder() {
    let outside = tempfile::tempdir().expect("tempdir");
    for i in 0..30 {
        write(
            outside.path(),
            &format!("many/p{i}.md"),
            format!("---\nid: o{i}\nuri: o/{i}\n---\n<p>outside</p>\n"),
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    generated_site(dir.path());
    std::os::unix::fs::symlink(outside.path().join("many"), dir.path().join("linked"))
        .expect("symlink");
    let out = init(dir.path(), &["--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(yaml(&text(&out.stdout))["root"], "site/content");
}

#[test]
fn init_on_the_real_maxfacts_export() {
    let Some(corpus) = common::shared_path("PAGELINT_CORPUS") else {
        eprintln!("SKIPPED init_on_the_real_maxfacts_export: PAGELINT_CORPUS is not set");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("maxfacts");
    copy_dir(&corpus, &site);
    let out = init(&site, &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let file = site.join("pagelint.yaml");
    let written = fs::read_to_string(&file).expect("written");
    let c = yaml(&written);
    assert_eq!(c["root"], "content");
    assert_eq!(c["site"]["uri_field"], "uri");
    assert_eq!(c["site"]["id_field"], "id");
    assert_eq!(c["site"]["link_fields"], yaml("[further_reading_uri]"));
    assert_eq!(c["site"]["toc_field"], "contents");
    assert_eq!(c["site"]["redirect_field"], "redirect_uri");
    assert_eq!(c["site"]["body"], "html", "its .md files hold HTML");
    assert!(c["site"].get("hosts").is_none());
    assert_eq!(
        c["required_fields"],
        yaml("[id, uri, title, created_at, order, type, updated_at]")
    );
    assert_eq!(
        c["overrides"],
        yaml("[{types: [alphabetical, directory, further], rules: {missing-authorship: off}}]")
    );
    assert!(written.contains("# Authorship: `authorship`, on 356 of 466 pages"));
    // The server's routes, commented out with their counts.
    let found = routes(&written);
    let said = |entry: &str| {
        found
            .iter()
            .find(|(e, _)| e == entry)
            .map(|(_, said)| said.as_str())
            .unwrap_or_else(|| panic!("{entry} not among the routes of:\n{written}"))
    };
    assert_eq!(
        said("\"/help/physiotherapy/videos/**\""),
        "40 links from 4 pages: /help/physiotherapy/videos/shoulder, \
         /help/physiotherapy/videos/neck, … (15 paths)"
    );
    assert_eq!(
        said("\"/help/oral-food/recipes/browse\""),
        "7 links from 5 pages: /help/oral-food/recipes/browse"
    );
    assert!(said("feedback").starts_with("7 links from 6 pages: "));
    assert!(said("\"/help/oral-food/cooking-videos/**\"").starts_with("9 links from 1 page: "));
    assert!(said("\"/help/oral-hygiene/videos/**\"").starts_with("4 links from 1 page: "));
    assert!(said("\"**/*.mp4\"").starts_with("3 links from 2 pages: "));
    assert!(said("\"**/*.pdf\"").starts_with("11 links from 7 pages: "));
    assert_eq!(said("\"/\""), "3 links from 3 pages: /");
    assert!(
        written.contains("  # page_suffixes:\n  #   # 7 links"),
        "{written}"
    );
    // Typos (with a suggested page) are not routes.
    assert!(!written.contains("miscellaneous-steroid\""), "{written}");
    Config::load(&file).unwrap_or_else(|e| panic!("{}", e.message));
    let (summary, per_rule) = check_in(&site);
    assert_eq!(summary["pages"], 466);
    let (head, rules) = printed_summary(&stderr);
    assert_eq!(
        format!("{head} ({} rules)", rules.len()),
        expected_summary(&summary, &per_rule)
    );
    assert_eq!(per_rule.get("missing-authorship"), Some(&3), "{per_rule:?}");
    // With the routes uncommented, what is left are the links to fix.
    fs::write(&file, uncomment_routes(&written)).expect("rewrite");
    let (_, per_rule) = check_in(&site);
    assert_eq!(per_rule.get("broken-link"), Some(&67), "{per_rule:?}");
    assert_eq!(per_rule.get("missing-asset"), None, "{per_rule:?}");
}

/// A blog whose category listings and their numbered pages the server generates: init
/// proposes them as `site.routes` (commented out, with their counts), each placeholder
/// constrained, and a config with them uncommented accepts the listings and nothing else.
#[test]
fn init_proposes_generated_listings_as_constrained_routes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    let post = |uri: &str, body: &str| {
        format!(
            "---\nuri: {uri}\ntitle: {uri}\nauthorship: A\nupdated_at: 2026-03-01\n\
             created_at: 2026-01-01\n---\n{body}\n"
        )
    };
    for (cat, name) in [("release", "v1"), ("release", "v2"), ("events", "meetup")] {
        write(
            site,
            &format!("blog/{cat}/{name}.html"),
            post(&format!("blog/{cat}/{name}"), ""),
        );
    }
    for i in 0..3 {
        write(
            site,
            &format!("index{i}.html"),
            post(
                &format!("home{i}"),
                "<a href=\"/blog/release\">r</a> <a href=\"/blog/events\">e</a> \
                 <a href=\"/blog/release/page/2\">2</a> <a href=\"/blog/events/page/3\">3</a>",
            ),
        );
    }
    let out = init(site, &["--dry-run"]);
    let config = text(&out.stdout);
    for line in [
        "  # routes:",
        "  #   - \"/blog/[dir:folder]\"",
        "  #   - \"/blog/[dir:folder]/page/[n:digits]\"",
    ] {
        assert!(config.contains(line), "no {line:?} in:\n{config}");
    }
    assert!(config.contains("6 links from 3 pages"), "{config}");
    // Uncommented, the routes answer the listings, and a typo'd category is still broken.
    let config = config
        .replace("  # routes:", "  routes:")
        .replace("  #   - \"/blog/", "    - \"/blog/")
        .replace("# site:", "site:");
    write(site, "pagelint.yaml", &config);
    write(
        site,
        "typo.html",
        post("typo", "<a href=\"/blog/relase\">typo</a>"),
    );
    let (json, _, _) = common::check_json_in(site, &["."]);
    let broken: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["rule"] == "broken-link")
        .filter_map(|d| d["target"].as_str())
        .collect();
    assert_eq!(broken, ["/blog/relase"], "{json}");
}

#[test]
fn init_tells_markdown_bodies_from_html_kept_in_md_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for (name, other) in [("alpha", "beta"), ("beta", "gamma"), ("gamma", "alpha")] {
        write(
            d,
            &format!("docs/{name}.md"),
            format!(
                "---\ntitle: {name}\n---\n# The {name} page\n\nSee [the next one](/docs/{other}#the-{other}-page) \
                 and *more*.\n\n## Details\n\n- one\n- [gone](/docs/nowhere)\n"
            ),
        );
    }
    let out = init(d, &["--dry-run"]);
    let written = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let c = yaml(&written);
    assert_eq!(c["site"]["body"], "auto", "{written}");
    assert_eq!(c["site"]["heading_ids"], "github", "{written}");
    assert!(
        written.contains("Bodies are Markdown (3 of 3 Markdown files read so"),
        "{written}"
    );
}
