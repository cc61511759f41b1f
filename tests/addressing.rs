//! Sites addressed as their generators and hosts address them (`fixtures/addressing/`): pages
//! by path and permalink, locales, pattern redirects in Netlify's and Next.js's formats,
//! aliases, generated routes, and the author and date fields they write. Each site's findings
//! are listed here in full — file, line, rule and message — and pinned by a snapshot; `fix`
//! repoints what redirects through a pattern, byte for byte.

mod common;

use common::{NOW, check_json, pick, replace_tree, rows, run_in};

/// Every finding of a fixture site: path (under the site), line, rule, message.
fn findings(site: &str) -> (serde_json::Value, Vec<Vec<String>>) {
    let arg = format!("fixtures/addressing/{site}");
    let (json, _) = check_json(&[&arg]);
    let found = pick(&json, &["path", "line", "rule", "message"])
        .into_iter()
        .map(|mut r| {
            r[0] = r[0].trim_start_matches(&format!("{arg}/")).to_owned();
            r
        })
        .collect();
    (json, found)
}

#[test]
fn a_nextjs_site_resolves_links_through_its_redirects_locales_and_routes() {
    let (json, found) = findings("nextjs");
    assert_eq!(
        found,
        rows(&[
            [
                "pages/en/blog/events/meetup.html",
                "3",
                "future-date",
                "`date` (2030-05-01) is in the future"
            ],
            [
                "pages/en/blog/events/meetup.html",
                "4",
                "missing-authorship",
                "`authors` is blank"
            ],
            [
                "pages/en/blog/events/meetup.html",
                "7",
                "own-host-link",
                "absolute link to this site's own page /en/blog/events"
            ],
            [
                "pages/en/blog/release/v0.9.0.html",
                "3",
                "stale-updated-at",
                "`date` (2019-03-01) is 2649 days old, more than 1095"
            ],
            [
                "pages/en/links.html",
                "6",
                "redirected-link",
                "link to /blog/release/v1.0.0, which redirects to /en/blog/release/v1.0.0"
            ],
            [
                "pages/en/links.html",
                "7",
                "redirected-link",
                "link to /about/previous-releases, which redirects to /en/about/previous-releases"
            ],
            [
                "pages/en/links.html",
                "8",
                "redirected-link",
                "link to /en/download/releases, which redirects to /en/about/previous-releases"
            ],
            [
                "pages/en/links.html",
                "9",
                "redirected-link",
                "link to /download/releases, which redirects to /en/about/previous-releases"
            ],
            [
                "pages/en/links.html",
                "10",
                "redirected-link",
                "link to /es/about/security, which redirects to another site"
            ],
            [
                "pages/en/links.html",
                "11",
                "redirected-link",
                "link to /feed.xml, which redirects to /en/feed/blog.xml"
            ],
            [
                "pages/en/links.html",
                "12",
                "broken-link",
                "broken link: /blog/nowhere redirects to /en/blog/nowhere, and no page has that URI"
            ],
            [
                "pages/en/links.html",
                "13",
                "broken-link",
                "broken link: /de/about redirects to /en/de/about, and no page has that URI"
            ],
            [
                "pages/en/links.html",
                "14",
                "broken-link",
                "broken link: no page has the URI /en/blog/relase"
            ],
            [
                "pages/en/links.html",
                "15",
                "broken-link",
                "broken link: no page has the URI /en/blog/release/page/two"
            ],
            [
                "pages/en/links.html",
                "16",
                "missing-asset",
                "missing asset: no file en/feed/podcast.xml for /en/feed/podcast.xml"
            ],
            [
                "pages/en/links.html",
                "18",
                "redirected-link",
                "link to /docs/previous-releases, which redirects to /en/about/previous-releases"
            ],
            [
                "pages/en/links.html",
                "19",
                "broken-link",
                "broken link: no page has the URI /en/blog/archive/19"
            ],
            [
                "pages/es/index.html",
                "5",
                "redirected-link",
                "link to /es/about/security, which redirects to another site"
            ],
            [
                "redirects.json",
                "9",
                "redirect-loop",
                "redirect loop: /loop/a → /loop/b → /loop/a"
            ],
            [
                "redirects.json",
                "11",
                "broken-link",
                "the redirect source `/broken/(a` cannot be read: a `(` is not closed by `)`"
            ],
        ])
    );
    insta::assert_json_snapshot!("addressing-nextjs", json);
}

#[test]
fn a_netlify_site_follows_splats_placeholders_force_and_aliases() {
    let (json, found) = findings("netlify");
    assert_eq!(
        found,
        rows(&[
            [
                "links.html",
                "6",
                "redirected-link",
                "link to /news/first, which redirects to /blog/first"
            ],
            [
                "links.html",
                "7",
                "redirected-link",
                "link to /posts/2019/second, which redirects to /blog/second"
            ],
            [
                "links.html",
                "8",
                "redirected-link",
                "link to /guide, which redirects to /docs/guide"
            ],
            [
                "links.html",
                "10",
                "redirected-link",
                "link to /drafts/second, which redirects to /blog/second"
            ],
            [
                "links.html",
                "11",
                "redirected-link",
                "link to /old-home, which redirects to /"
            ],
            [
                "links.html",
                "12",
                "broken-link",
                "broken link: /news/missing redirects to /blog/missing, and no page has that URI"
            ],
            [
                "links.html",
                "13",
                "broken-link",
                "broken link: no page has the URI /store"
            ],
            [
                "links.html",
                "14",
                "broken-link",
                "broken link: no page has the URI /fr/accueil"
            ],
            [
                "links.html",
                "15",
                "broken-link",
                "broken link: no page has the URI /es/inicio-viejo"
            ],
            [
                "links.html",
                "16",
                "broken-link",
                "broken link: /cycle/a is still redirecting after 50 hops"
            ],
            [
                "links.html",
                "17",
                "broken-link",
                "broken link: no page has the URI /pages/about"
            ],
        ])
    );
    insta::assert_json_snapshot!("addressing-netlify", json);
}

#[test]
fn a_hugo_site_serves_its_default_language_unprefixed() {
    let (json, found) = findings("hugo");
    assert_eq!(
        found,
        rows(&[
            [
                "en/about.html",
                "5",
                "updated-before-created",
                "`lastmod` (2025-12-01) is before `date` (2026-01-10)"
            ],
            [
                "en/about.html",
                "9",
                "broken-link",
                "broken link: no page has the URI /posts/hello"
            ],
            [
                "fr/posts/bonjour.html",
                "1",
                "missing-authorship",
                "the page has no `author`"
            ],
            [
                "fr/posts/bonjour.html",
                "4",
                "invalid-date",
                "`lastmod` is not a date: \"not a date\""
            ],
            [
                "fr/posts/bonjour.html",
                "8",
                "broken-link",
                "broken link: no page has the URI /en/about"
            ],
            [
                "fr/posts/bonjour.html",
                "9",
                "broken-link",
                "broken link: no page has the URI /de/about"
            ],
            [
                "fr/posts/bonjour.html",
                "10",
                "redirected-link",
                "link to /company/about, which redirects to /about"
            ],
            [
                "fr/posts/bonjour.html",
                "11",
                "broken-link",
                "broken link: no page has the URI /posts/hello"
            ],
        ])
    );
    insta::assert_json_snapshot!("addressing-hugo", json);
}

/// `fix` on a copy of a site: the files it changed, with their text after.
fn fixed(site: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    replace_tree(
        &common::repo().join("fixtures/addressing").join(site),
        dir.path(),
    );
    let out = run_in(dir.path(), &["fix", ".", "--now", NOW]);
    (dir, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn fix_repoints_links_that_redirect_through_patterns_and_locales_exactly() {
    let (dir, stderr) = fixed("nextjs");
    let before = std::fs::read_to_string(
        common::repo().join("fixtures/addressing/nextjs/pages/en/links.html"),
    )
    .expect("read");
    let after = std::fs::read_to_string(dir.path().join("pages/en/links.html")).expect("read");
    // Only the values of the links that end at a page, and nothing else of the file.
    let expected = before
        .replace(
            "href=\"/blog/release/v1.0.0#notes\"",
            "href=\"/en/blog/release/v1.0.0#notes\"",
        )
        .replace(
            "href=\"/about/previous-releases\"",
            "href=\"/en/about/previous-releases\"",
        )
        .replace(
            "href=\"/en/download/releases\"",
            "href=\"/en/about/previous-releases\"",
        )
        .replace(
            "href=\"/download/releases\"",
            "href=\"/en/about/previous-releases\"",
        )
        .replace(
            "href=\"/docs/previous-releases\"",
            "href=\"/en/about/previous-releases\"",
        );
    assert_ne!(before, expected);
    assert_eq!(after, expected, "{stderr}");
    // A link to a route (the feed) or another host has no page to point at: left as it is.
    assert!(after.contains("href=\"/feed.xml\""));
    assert!(after.contains("href=\"/es/about/security\""));

    let (dir, stderr) = fixed("netlify");
    let before =
        std::fs::read_to_string(common::repo().join("fixtures/addressing/netlify/links.html"))
            .expect("read");
    let after = std::fs::read_to_string(dir.path().join("links.html")).expect("read");
    let expected = before
        .replace(
            "href=\"/news/first#top-story\"",
            "href=\"/blog/first#top-story\"",
        )
        .replace("href=\"/posts/2019/second\"", "href=\"/blog/second\"")
        .replace("href=\"/guide\"", "href=\"/docs/guide\"")
        .replace("href=\"/drafts/second\"", "href=\"/blog/second\"")
        .replace("href=\"/old-home\"", "href=\"/\"");
    assert_eq!(after, expected, "{stderr}");
}

#[test]
fn a_site_config_with_a_bad_route_or_locale_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (config, expected) in [
        (
            "site:\n  routes: [\"/blog/[n:digts]\"]\n",
            "invalid site.routes: placeholder `[n:digts]` of route \"/blog/[n:digts]\": unknown constraint `digts`",
        ),
        (
            "site:\n  routes: [\"/[l:locale]/x\"]\n",
            "`locale` needs `site.locales`",
        ),
        (
            "site:\n  locales: {default: de, all: [en, fr]}\n",
            "invalid site.locales: the default locale `de` is not one of `site.locales.all`",
        ),
        (
            "site:\n  author_fields: []\n",
            "site.author_fields is empty",
        ),
        ("site:\n  uri_from: file\n", "unknown variant `file`"),
    ] {
        common::write(dir.path(), "pagelint.yaml", config);
        common::write(dir.path(), "a.html", "---\ntitle: A\n---\n");
        let out = run_in(dir.path(), &["check", "."]);
        // The message as one line, however the terminal report wraps it.
        let stderr = String::from_utf8_lossy(&out.stderr).replace('│', " ");
        let stderr = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(out.status.code(), Some(2), "{config}: {stderr}");
        assert!(stderr.contains(expected), "{config}: {stderr}");
    }
}

#[test]
fn a_nextjs_markdown_site_drops_raw_html_falls_back_to_english_and_matches_slashes_strictly() {
    let (json, _) = check_json(&["fixtures/addressing/nextjs-md"]);
    let arg = "fixtures/addressing/nextjs-md/";
    let found: Vec<Vec<String>> = pick(&json, &["path", "line", "column", "rule", "target"])
        .into_iter()
        .map(|mut r| {
            r[0] = r[0].trim_start_matches(arg).to_owned();
            r
        })
        .collect();
    let post = "pages/en/blog/post.md";
    assert_eq!(
        found,
        rows(&[
            // JSX in `.mdx` is rendered: its link is judged (lowercase `a`: not localized),
            // and its id is a target (`#jsx-id` is no finding).
            [
                "pages/en/blog/jsx.mdx",
                "6",
                "22",
                "broken-link",
                "/blog/gone"
            ],
            // Raw HTML in `.md` is dropped: its id is no target, and its link and image are
            // not judged (`/nowhere`, `/missing.png` are no findings).
            [
                post,
                "9",
                "16",
                "broken-fragment",
                "/en/blog/post#html-anchor"
            ],
            // fr and es serve the English page (and its ids) where they have none.
            [
                post,
                "13",
                "31",
                "broken-fragment",
                "/fr/blog/other#nowhere"
            ],
            // de is no locale of the site; and no locale has /blog/missing.
            [post, "14", "18", "broken-link", "/de/blog/other"],
            [post, "15", "29", "broken-link", "/es/blog/missing"],
            // `/:locale/security` does not match with a trailing slash: a 404.
            [post, "16", "27", "broken-link", "/en/security"],
            // Root-relative, a Markdown link gets the locale in front: it is offered without
            // it (and not for links under another locale, or none, which none reaches).
            [post, "16", "27", "own-host-link", "/en/security"],
            [post, "17", "14", "own-host-link", "/en/security"],
            [post, "17", "14", "redirected-link", "/en/security"],
            // `/old-post/` is written with its slash: only the link with one matches it.
            [post, "18", "42", "redirected-link", "/en/blog/other"],
            [post, "19", "25", "broken-link", "/old-post"],
            // Localized by next-intl's Link, which drops the slash: `/en/moved` matches.
            [post, "21", "30", "redirected-link", "/en/blog/other"],
        ])
    );
    let help = |line: u64| {
        common::diagnostics(&json)
            .iter()
            .find(|d| {
                d["path"] == format!("{arg}{post}")
                    && d["line"] == line
                    && d["rule"] != "own-host-link"
            })
            .and_then(|d| d["help"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        help(16).contains("without the slash, /en/security redirects to another site"),
        "{}",
        help(16)
    );
    // A localized link is written without the locale the renderer puts in front of it.
    assert!(
        help(21).starts_with("link to /blog/other directly, which is served as /en/blog/other"),
        "{}",
        help(21)
    );

    let own_host = common::diagnostics(&json)
        .iter()
        .find(|d| d["rule"] == "own-host-link")
        .and_then(|d| d["help"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        own_host.ends_with("puts in front of it: /security"),
        "{own_host}"
    );

    // `fix` leaves the own-host links as they are (written `/en/security`, they would be
    // served as /en/en/security).
    let (dir, stderr) = fixed("nextjs-md");
    let before = std::fs::read_to_string(
        common::repo()
            .join("fixtures/addressing/nextjs-md")
            .join(post),
    )
    .expect("read");
    let after = std::fs::read_to_string(dir.path().join(post)).expect("read");
    // (`/de/blog/other` differs from one page's URI in its first segment alone: certain.)
    let expected = before
        .replace("(/moved/)", "(/blog/other/)")
        .replace("/de/blog/other)", "/en/blog/other)")
        .replace(
            "(https://example.org/old-post/)",
            "(https://example.org/en/blog/other/)",
        );
    assert_eq!(after, expected, "{stderr}");
}
