use super::*;

fn read(md: &str, scheme: HeadingIds, mdx: bool, attributes: &LinkAttributes) -> Body {
    scan(
        md,
        0,
        &Options {
            heading_ids: scheme,
            mdx,
            link_attributes: attributes,
        },
    )
}

fn body(md: &str) -> Body {
    read(md, HeadingIds::Github, false, &LinkAttributes::new())
}

/// Each link as (source, href, the bytes of its span, located).
fn links(md: &str) -> Vec<(&'static str, String, &str, bool)> {
    links_of(md, body(md))
}

fn links_of(md: &str, body: Body) -> Vec<(&'static str, String, &str, bool)> {
    body.links
        .into_iter()
        .map(|l| {
            (
                l.source.selector(),
                l.href,
                &md[l.span.start..l.span.end],
                l.located,
            )
        })
        .collect()
}

#[test]
fn inline_links_and_images_are_found_at_their_destinations() {
    let md = "See [the *guide*](/docs/guide \"Title\") and ![a](</img/a b.png>) \
              and [empty]() and [p](/a_(b)_c).\n";
    assert_eq!(
        links(md),
        vec![
            ("markdown link", "/docs/guide".into(), "/docs/guide", true),
            (
                "markdown image",
                "/img/a b.png".into(),
                "/img/a b.png",
                true
            ),
            ("markdown link", "".into(), "", true),
            ("markdown link", "/a_(b)_c".into(), "/a_(b)_c", true),
        ]
    );
}

#[test]
fn escapes_and_entities_are_decoded_but_spans_stay_raw() {
    let md = "[a](/x\\_y&amp;z&#35;q) [b](/caf&eacute;) [c](/no&amp)\n";
    assert_eq!(
        links(md),
        vec![
            (
                "markdown link",
                "/x_y&z#q".into(),
                "/x\\_y&amp;z&#35;q",
                false
            ),
            ("markdown link", "/café".into(), "/caf&eacute;", false),
            ("markdown link", "/no&amp".into(), "/no&amp", true),
        ]
    );
}

#[test]
fn reference_links_are_reported_once_at_their_definition() {
    let md = "[one][r] and [two][R] and [r] and [gone][missing]\n\n\
              [r]:\n   /target#top \"t\"\n[unused]: /never\n";
    assert_eq!(
        links(md),
        vec![(
            "markdown link definition",
            "/target#top".into(),
            "/target#top",
            true
        )],
        "the definition's bytes, once; an unused definition is no link"
    );
}

#[test]
fn a_definition_an_image_uses_first_is_an_image_definition() {
    let md = "![chart][c] and [the chart][c]; [docs][d]\n\n[c]: /static/c.svg\n[d]: /docs\n";
    let found = links(md);
    assert_eq!(
        found,
        vec![
            (
                "markdown image definition",
                "/static/c.svg".into(),
                "/static/c.svg",
                true
            ),
            ("markdown link definition", "/docs".into(), "/docs", true),
        ]
    );
    assert!(LinkSource::MdImageDefinition.loads_asset());
    assert!(!LinkSource::MdDefinition.loads_asset());
}

#[test]
fn code_is_not_links_but_autolinks_and_literals_are() {
    let md = "Use `[x](/code)` or\n\n```\n[y](/fenced) https://example.org/f\n```\n\n    \
              [z](/indented)\n\n<https://example.org/auto> and https://example.org/a/b_c. \
              (see www.example.org/w) x.https://no.example.org\n";
    assert_eq!(
        links(md),
        vec![
            (
                "markdown autolink",
                "https://example.org/auto".into(),
                "https://example.org/auto",
                true
            ),
            (
                "markdown autolink",
                "https://example.org/a/b_c".into(),
                "https://example.org/a/b_c",
                true
            ),
            (
                "markdown autolink",
                "http://www.example.org/w".into(),
                "www.example.org/w",
                true
            ),
        ]
    );
}

#[test]
fn html_inside_markdown_is_scanned_at_its_offsets() {
    let md = "# T\n\n<div id=\"box\">\n<a href=\"/block\">b</a>\n</div>\n\n\
              Text <a href='/inline'>i</a> <!-- pagelint-disable broken-link --> end.\n";
    let b = body(md);
    assert_eq!(
        links_of(md, b.clone()),
        vec![
            ("a[href]", "/block".into(), "/block", true),
            ("a[href]", "/inline".into(), "/inline", true),
        ]
    );
    assert!(b.anchors.contains(&"box".to_owned()));
    assert_eq!(b.directives.len(), 1);
    let d = b.directives[0];
    assert_eq!(
        &md[d.span.start..d.span.end],
        "<!-- pagelint-disable broken-link -->"
    );
}

#[test]
fn headings_get_the_renderers_ids() {
    let md = "# Hello, `World`!\n\n## Hello World\n\n## ![logo](/l.png) Intro {#custom}\n\n\
              Setext\n======\n";
    let ids = |scheme| {
        let mut a = read(md, scheme, false, &LinkAttributes::new()).anchors;
        a.sort();
        a
    };
    assert_eq!(
        ids(HeadingIds::Github),
        ["-intro-custom", "hello-world", "hello-world-1", "setext"]
    );
    assert_eq!(
        ids(HeadingIds::Goldmark),
        ["custom", "hello-world", "hello-world-1", "setext"]
    );
    assert_eq!(
        ids(HeadingIds::Kramdown),
        ["custom", "hello-world", "hello-world-1", "setext"]
    );
    assert!(ids(HeadingIds::None).is_empty());
}

#[test]
fn footnotes_have_their_renderers_ids() {
    let md = "A claim[^Note] and another[^2].\n\n[^Note]: The note.\n[^2]: Two.\n";
    let mut ids = body(md).anchors;
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids,
        [
            "footnote-label",
            "user-content-fn-2",
            "user-content-fn-note",
            "user-content-fnref-2",
            "user-content-fnref-note"
        ]
    );
    let mut hugo = read(md, HeadingIds::Goldmark, false, &LinkAttributes::new()).anchors;
    hugo.sort();
    assert_eq!(hugo, ["fn:1", "fn:2", "fnref:1", "fnref:2"]);
}

#[test]
fn tables_hold_links() {
    let md = "| a | b |\n|---|---|\n| [x](/in\\|cell) | <https://example.org/t> |\n";
    assert_eq!(
        links(md),
        vec![
            ("markdown link", "/in|cell".into(), "/in\\|cell", false),
            (
                "markdown autolink",
                "https://example.org/t".into(),
                "https://example.org/t",
                true
            ),
        ]
    );
}

#[test]
fn mdx_skips_esm_expressions_and_components_and_reads_listed_props() {
    let md = "import { Link } from 'x';\nexport const meta = {\n  a: 1,\n};\n\n\
              # Title {props.x} here\n\n<Card title={\"{\"} href=\"/card\">\n\n[in](/inside)\n\n</Card>\n\n\
              {\n  [1, 2].map(n => <Link href={`/n/${n}`} />)\n}\n\n\
              Text <Link href=\"/about\">about</Link> and <Link href={'/lit'} />.\n\n\
              ```js\nconst a = {b: '<Link href=\"/code\">'};\n```\n";
    let mut attributes = LinkAttributes::new();
    attributes.insert("Link".into(), vec!["href".into()]);
    let b = read(md, HeadingIds::Github, true, &attributes);
    assert_eq!(
        links_of(md, b.clone()),
        vec![
            ("markdown link", "/inside".into(), "/inside", true),
            ("component prop", "/about".into(), "/about", true),
            ("component prop", "/lit".into(), "/lit", true),
        ]
    );
    assert_eq!(b.anchors, ["title--here"], "the expression is no text");
}

#[test]
fn destinations_are_decoded_as_commonmark_says() {
    assert_eq!(decode_destination("/a\\(b\\)"), "/a(b)");
    assert_eq!(
        decode_destination("/a\\b"),
        "/a\\b",
        "not punctuation: kept"
    );
    assert_eq!(
        decode_destination("&#x26;&#38;&#0;&bogus;"),
        "&&\u{FFFD}&bogus;"
    );
}

#[test]
fn literal_autolinks_follow_gfm_trailing_rules() {
    let urls =
        |t: &str| -> Vec<String> { literal_urls(t, 0, t).into_iter().map(|u| u.2).collect() };
    assert_eq!(urls("see https://a.org/x)."), ["https://a.org/x"]);
    assert_eq!(
        urls("Get involved: https://nodejs.org."),
        ["https://nodejs.org"]
    );
    assert_eq!(urls("(https://a.org/x_(y))"), ["https://a.org/x_(y)"]);
    assert_eq!(urls("https://a.org/q?x=1&amp;"), ["https://a.org/q?x=1"]);
    assert_eq!(
        urls("https://localhost/x"),
        Vec::<String>::new(),
        "no period"
    );
    assert_eq!(
        urls("www.a_b.org"),
        Vec::<String>::new(),
        "underscore in the last two"
    );
}

#[test]
fn pathological_input_stays_fast() {
    // Shapes that are quadratic in naive Markdown parsers: unclosed brackets, emphasis
    // runs, deep nesting, a long line of backticks.
    let cases = [
        "[".repeat(50_000),
        "*a ".repeat(30_000),
        ">".repeat(20_000) + " x\n",
        "- ".repeat(10_000) + "x\n",
        "`".repeat(20_000) + "x",
        "[a](".repeat(20_000),
        "<a href=".repeat(20_000),
        "![".repeat(30_000),
        "(https://".repeat(30_000),
        "(https://a.b".repeat(30_000),
        "{".repeat(30_000) + &"`".repeat(30_000),
        // One long definition and many uses: read and copied once, not once per use.
        format!(
            "[x]: /{}\n{}",
            "x".repeat(2_000_000),
            "\n[x]".repeat(10_000)
        ),
        "<A ".repeat(30_000),
        // Many footnotes: each numbered by a lookup, not a search of those before it.
        (0..10_000)
            .map(|i| format!("[^n{i}]\n\n[^n{i}]: x\n\n"))
            .collect::<String>(),
    ];
    for md in &cases {
        let started = std::time::Instant::now();
        let _ = body(md);
        let mut attributes = LinkAttributes::new();
        attributes.insert("A".into(), vec!["href".into()]);
        let _ = read(md, HeadingIds::Github, true, &attributes);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{}… took {:?}",
            &md[..10],
            started.elapsed()
        );
    }
}

#[test]
fn html_kept_in_markdown_files_is_told_from_markdown() {
    let html = "<p>Treatments include</p>\n<ul>\n    <li>Scar <a href=\"/x\">massage</a>.</li>\n\n    <li>Skin graft.</li>\n</ul>\n<p>More <b>text</b></p>\n";
    assert_eq!(looks_like_markdown(html, 0), Some(false));
    let md = "# Title\n\nSome *text* with [a link](/x) and <br> a tag.\n\n- item\n";
    assert_eq!(looks_like_markdown(md, 0), Some(true));
    assert_eq!(looks_like_markdown("plain words\n", 0), None);
}

#[test]
fn mdx_has_no_indented_code_and_its_html_tags_are_jsx() {
    let md = "<section>\n  <div className=\"x\" style={{a: 1}} id=\"box\">\n\n    ## Inside\n\n    \
              See [the docs](/docs) and <a href=\"/html\">this</a>.\n  </div>\n  \
              Learn more with [materials](/learn).\n</section>\n";
    let b = read(md, HeadingIds::Github, true, &LinkAttributes::new());
    assert_eq!(
        links_of(md, b.clone()),
        vec![
            ("markdown link", "/docs".into(), "/docs", true),
            ("a[href]", "/html".into(), "/html", true),
            ("markdown link", "/learn".into(), "/learn", true),
        ]
    );
    let mut anchors = b.anchors;
    anchors.sort();
    assert_eq!(anchors, ["box", "inside"]);
}

#[test]
fn reference_labels_match_as_commonmark_folds_case() {
    // CommonMark example 540: Unicode case folding, so `ẞ` matches `SS` (lower-casing alone
    // makes `ß` and `ss`, and the link was lost); runs of whitespace are one space.
    assert_eq!(
        links("[ẞ]\n\n[SS]: /url\n"),
        vec![("markdown link definition", "/url".into(), "/url", true)]
    );
    assert_eq!(
        links("[Foo\n  bar][]\n\n[FOO BAR]: /fb\n"),
        vec![("markdown link definition", "/fb".into(), "/fb", true)]
    );
}

#[test]
fn a_destination_on_a_quotes_next_line_is_found_after_its_markers() {
    // Inside a block quote, `[a](` and `[a]:` may end a line: the destination is on the next,
    // after its `>` (it was found at the `>`, not located, so a finding pointed there).
    let md = "> [a](\n> /x)\n\n> > [b]:\n> >  /y\n> >\n> > [b]\n\n> - [c](\n>   /z)\n";
    assert_eq!(
        links(md),
        vec![
            ("markdown link", "/x".into(), "/x", true),
            ("markdown link definition", "/y".into(), "/y", true),
            ("markdown link", "/z".into(), "/z", true),
        ]
    );
    // Outside a quote, an indented continuation is whitespace as before.
    assert_eq!(
        links("- [d]:\n  /w\n\n  [d]\n"),
        vec![("markdown link definition", "/w".into(), "/w", true)]
    );
}

#[test]
fn mdx_a_tag_that_never_closes_does_not_hide_the_text_after_its_paragraph() {
    // MDX refuses these pages; the reader still reads what follows (a stray `<B`, `x<y`, or
    // an unclosed prop quote used to blank the rest of the file).
    let attributes = LinkAttributes::from([("Link".to_owned(), vec!["href".to_owned()])]);
    for md in [
        "a <B c\n\n[after](/x)\n",
        "x<y\n\n[after](/x)\n",
        "<Link href=\"/a\n\n[after](/x)\n",
        "<Link href={\"/a\"\n\n[after](/x)\n",
    ] {
        assert_eq!(
            links_of(md, read(md, HeadingIds::Github, true, &attributes)),
            vec![("markdown link", "/x".into(), "/x", true)],
            "{md:?}"
        );
    }
    // A tag that closes on a later line of its paragraph is still one tag.
    let md = "<Link\n  href=\"/l\"\n/>\n\n[after](/x)\n";
    assert_eq!(
        links_of(md, read(md, HeadingIds::Github, true, &attributes)),
        vec![
            ("component prop", "/l".into(), "/l", true),
            ("markdown link", "/x".into(), "/x", true),
        ]
    );
}

#[test]
fn a_heading_ended_by_a_lone_cr_does_not_hide_the_lines_after_it() {
    // Old Mac line endings under a renderer that reads `{#id}` (pulldown-cmark#1132): the
    // link after the heading was lost, and the heading's id was made of both lines.
    let md = "# Title\r\r[a](/docs/a)\r## Next {#n}\r";
    for scheme in [
        HeadingIds::Goldmark,
        HeadingIds::Kramdown,
        HeadingIds::Github,
    ] {
        let body = read(md, scheme, false, &LinkAttributes::new());
        assert_eq!(
            links_of(md, body.clone()),
            vec![("markdown link", "/docs/a".into(), "/docs/a", true)],
            "{scheme:?}"
        );
        assert_eq!(body.anchors[0], "title", "{scheme:?}");
    }
}
