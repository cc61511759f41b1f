//! What the fuzz targets check, one function per target: each takes arbitrary bytes, runs
//! them through pagelint's library as a run would, and panics when a promise does not hold
//! (no panic on input, spans inside the text on character boundaries, positions as a naive
//! count finds them, normalization idempotent, no path out of the root, fix edits only the
//! values it repairs). The regression suite (`tests/fuzz_regressions.rs`) includes this file
//! and feeds it every reproducer under `fixtures/fuzz/<target>/`, so a crash found once is
//! checked on every `cargo test`.

use pagelint::config::Config;
use pagelint::diagnostic::{Diagnostic, Repair, Severity};
use pagelint::fix;
use pagelint::parse::body::{BodyKind, BodyOptions};
use pagelint::parse::frontmatter;
use pagelint::parse::html::{self, LinkSource};
use pagelint::parse::link::{Link, Resolver, Target};
use pagelint::parse::markdown::{self, LinkAttributes};
use pagelint::parse::page::{FieldNames, Page, SitePage, Spot};
use pagelint::parse::slug::HeadingIds;
use pagelint::parse::span::{LineIndex, Position, Span};
use pagelint::parse::uri::Uri;
use pagelint::rules::{self, suppress};
use pagelint::site::{SiteIndex, SiteOptions};
use pagelint::source::cache::Cache;
use pagelint::source::links_cache::LinksCache;
use std::path::Path;

/// The site the targets read pages for: one own host, a link field and a redirect field, so
/// that field links are read too.
struct Site {
    config: Config,
    links: Vec<String>,
}

impl Site {
    /// The one site every check uses (made once: a configuration takes a while to validate).
    fn get() -> &'static Site {
        static SITE: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
        SITE.get_or_init(Site::new)
    }

    fn new() -> Site {
        let config = Config::parse(
            "site:\n  hosts: [www.example.org]\n  link_fields: [see_also]\n  \
             redirect_field: redirect_to\n  toc_field: toc\n  ignore_links: ['/files/**']\n",
            "pagelint.yaml",
        )
        .unwrap_or_else(|e| panic!("the fuzz site's configuration is valid: {e}"));
        Site {
            links: config.site.link_fields.clone(),
            config,
        }
    }

    fn names(&self) -> FieldNames<'_> {
        let site = &self.config.site;
        FieldNames {
            links: &self.links,
            ..site.field_names(&self.config.limits)
        }
    }

    fn resolver(&self) -> Resolver {
        let site = &self.config.site;
        Resolver::new(&site.hosts, site.ignore_links.clone(), &site.base_path)
    }

    fn page(&self, text: &str) -> Page {
        self.page_at(text, "a/page.html")
    }

    /// The page at `rel` (its extension says how its body is read).
    fn page_at(&self, text: &str, rel: &str) -> Page {
        let names = self.names();
        Page::from_text(
            format!("site/{rel}"),
            rel.into(),
            text,
            &names,
            &self.resolver(),
        )
    }
}

/// Panics unless `span` lies inside `text` with both ends on character boundaries.
pub fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} cuts a character"
    );
}

/// The 1-based line and column of byte `offset`, counted the simplest way: a line ends at
/// each `\n`, each `\r\n` and each `\r` alone (as browsers count them); a column is a
/// character; a byte order mark is not one.
pub fn naive_position(text: &str, offset: usize) -> Position {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in bytes[..offset].iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let line_start = if line_start == 0 && text.starts_with('\u{FEFF}') {
        3.min(offset)
    } else {
        line_start
    };
    Position {
        line,
        column: text[line_start..offset].chars().count() as u32 + 1,
    }
}

/// Panics unless the spot's span is inside `text` and its position is its start's.
fn assert_spot(text: &str, spot: Spot, what: &str) {
    assert_span(text, spot.span, what);
    assert_eq!(
        spot.position,
        naive_position(text, spot.span.start),
        "{what}: position of byte {}",
        spot.span.start
    );
}

/// Every span and position a page holds, checked against its text.
fn assert_page(text: &str, page: &Page) {
    assert_spot(text, page.open, "open");
    for (name, f) in &page.fields {
        assert_spot(text, f.spot, name);
        assert_spot(text, f.key, name);
        assert_span(text, f.field.key, name);
        assert_span(text, f.field.value_span, name);
    }
    if let Some(p) = &page.front_matter {
        assert_spot(text, p.spot, "front matter problem");
    }
    for link in &page.links {
        let spot = Spot {
            span: link.span(),
            position: link.position,
        };
        assert_spot(text, spot, "link");
    }
    for entry in &page.toc {
        assert_spot(text, entry.spot, "toc entry");
    }
    for s in &page.suppressions {
        assert_spot(text, s.spot, "suppression");
        for r in &s.rules {
            assert_spot(text, r.spot, "suppressed rule");
        }
    }
}

/// Target `frontmatter`: the splitter, the plain-subset reader and the YAML parser, then a
/// whole page read from the bytes.
pub fn check_front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let fm = frontmatter::parse(&text);
    assert_span(&text, fm.open, "open");
    assert!(
        fm.body_start <= text.len() && text.is_char_boundary(fm.body_start),
        "body start {} cuts the text",
        fm.body_start
    );
    for (name, f) in &fm.fields {
        assert_span(&text, f.key, name);
        assert_span(&text, f.value_span, name);
        for (_, span) in frontmatter::nested_values(&text, f.key.end, fm.body_start, "id") {
            assert_span(&text, span, "nested value");
        }
    }
    if let Some(frontmatter::Problem::Syntax { span, .. }) = &fm.problem {
        assert_span(&text, *span, "syntax error");
    }
    // Whatever the plain subset accepts, it reads as the YAML parser does.
    let yaml_end = text.find("\n---").map_or(text.len(), |i| i + 1);
    let yaml = text.get(4..yaml_end).unwrap_or("");
    if let Some(map) = frontmatter::simple_mapping(yaml) {
        let parsed: Result<serde_yaml::Value, _> = serde_yaml::from_str(yaml);
        match parsed {
            Ok(serde_yaml::Value::Mapping(full)) => assert_eq!(map, full, "{yaml:?}"),
            Ok(serde_yaml::Value::Null) => assert!(map.is_empty(), "{yaml:?}"),
            other => panic!("the plain subset read {yaml:?}, the parser {other:?}"),
        }
    }
    let site = Site::get();
    let names = site.names();
    let page = Page::from_bytes(
        "site/a/page.html".into(),
        "a/page.html".into(),
        data.to_vec(),
        &names,
        &site.resolver(),
    );
    assert_page(&text, &page);
    if let Some(p) = &page.read_problem {
        assert!(p.span.start < data.len(), "read problem past the end");
    }
}

/// Target `html`: the scanner from the front matter's end, then link resolution; every span
/// and position checked.
pub fn check_html(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let start = frontmatter::parse(&text).body_start;
    let body = html::scan(&text, start);
    let lines = LineIndex::new(&text);
    let site = Site::get();
    let resolver = site.resolver();
    let page_url = resolver.page_url("/a/page");
    let base = resolver.document_base(&page_url, body.base.as_deref());
    for raw in &body.links {
        assert_span(&text, raw.span, "link");
        assert!(raw.span.start >= start, "a link before the body");
        let position = lines.position(&text, raw.span.start);
        assert_eq!(position, naive_position(&text, raw.span.start), "link");
        if let Some(target) = resolver.resolve(&base, &raw.href) {
            assert_resolved(&target);
            let link = Link::new(raw.span, position, raw.source, &raw.href, target, true);
            assert_eq!(link.span(), raw.span, "a link keeps its span");
        }
    }
    for d in &body.directives {
        assert_span(&text, d.span, "directive");
        assert_span(&text, d.text, "directive text");
        assert!(
            d.span.start <= d.text.start && d.text.end <= d.span.end,
            "a directive's text lies inside it"
        );
    }
    let page = site.page(&text);
    assert_page(&text, &page);
    assert_findings(&text, page);
}

/// Every rule on `page` (its text `text`), the page rules and the site rules of a site of this
/// one page, then its suppressions: each finding's span inside the text on character boundaries, its position its
/// start's.
fn assert_findings(text: &str, page: Page) {
    let site = Site::get();
    let config = &site.config;
    let table = config.rules_for(page.text("type").as_deref(), &page.rel);
    let now = "2026-12-01T00:00:00Z"
        .parse()
        .unwrap_or_else(|e| panic!("a valid time: {e}"));
    let mut found = rules::lint_page(&page, &table, &config.site, now);
    let suppressions: Vec<_> = suppress::resolve(&page, &table).into_iter().collect();
    let settings = &config.site;
    let options = SiteOptions {
        page_suffixes: &settings.page_suffixes,
        case_insensitive: settings.case_insensitive,
        base_path: &settings.base_path,
        redirect_hops: config.limits.redirect_hops,
        uri_from: settings.uri_from,
        routes: &settings.routes,
        locales: settings.locales.as_ref(),
        ignore_links: &settings.ignore_links,
    };
    let index = SiteIndex::new(
        vec![SitePage::new(page, &site.names())],
        &options,
        Vec::new(),
    );
    found.extend(rules::lint_site_page(
        &index.pages[0],
        &index,
        &table,
        settings,
    ));
    // Suppressed findings dropped, unused suppressions reported.
    suppress::apply(&mut found, suppressions, &index);
    for d in &found {
        let spot = Spot {
            span: d.span,
            position: d.position,
        };
        assert_spot(text, spot, d.rule);
    }
}

/// Panics if an internal target's path has a dot segment: `..` climbing out of the root, or
/// `.`, as written or percent-encoded.
pub fn assert_resolved(target: &Target) {
    if let Target::Internal { uri, .. } = target {
        assert!(uri.as_str().starts_with('/'), "{uri} is not rooted");
        for segment in uri.as_str().split('/') {
            assert!(
                segment != ".." && segment != ".",
                "{uri} keeps a dot segment"
            );
        }
        // Looked up under a root (a page's file, an asset), it names only what is inside it.
        let rel = Path::new(&uri.as_str()[1..]);
        assert!(
            rel.components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
            "{uri} as a file path under the root is {rel:?}"
        );
    }
}

/// The href `fix` writes for `uri`, as the HTML parser hands it back (entities decoded).
fn written(uri: &Uri) -> String {
    fix::href_path(uri)
}

/// Target `uri`: normalization and resolution of arbitrary text, as an href, a field value
/// and a redirects-file path.
pub fn check_uri(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let site = Site::get();
    let resolver = site.resolver();
    let base = resolver.page_url("/a/b/page");
    let targets = [
        resolver.resolve(&base, &text),
        resolver.resolve_field(&text),
        resolver.resolve_site_path(&text),
    ];
    for target in targets.iter().flatten() {
        assert_resolved(target);
        if let Target::Internal { uri, .. } = target {
            // A normalized URI is its own normalization, written as fix writes it.
            let again = resolver.resolve(&base, &written(uri));
            assert!(
                matches!(&again, Some(Target::Internal { uri: u, fragment: None }) if u == uri),
                "{uri} written as {:?} resolves to {again:?}",
                written(uri)
            );
            assert_eq!(&Uri::from_path(&written(uri)), uri, "{uri}");
        }
    }
    for uri in [
        Uri::from_path(&text),
        Uri::from_field(&text),
        Uri::from_file_path(&text),
    ] {
        assert_resolved(&Target::Internal {
            uri: uri.clone(),
            fragment: None,
        });
        assert_eq!(Uri::from_path(&written(&uri)), uri, "{text:?}");
        // Normalization is idempotent.
        assert_eq!(Uri::from_decoded(uri.as_str()), uri, "{text:?}");
    }
}

/// Target `config`: any text is a configuration or an error that points into it.
pub fn check_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(text, "pagelint.yaml") {
        Ok(config) => {
            let _ = config.rules_for(Some("article"), "a/page.html");
            let _ = config.rules_for(None, "index.html");
        }
        Err(e) => {
            use miette::Diagnostic as _;
            for label in e.labels().into_iter().flatten() {
                let span = Span::new(label.offset(), label.offset() + label.len());
                assert_span(text, span, "config error label");
            }
            let mut out = String::new();
            let handler = miette::GraphicalReportHandler::new();
            handler
                .render_report(&mut out, e.as_ref())
                .unwrap_or_else(|err| panic!("the error renders: {err}"));
        }
    }
}

/// The components whose props the `markdown` target reads links from, as a site would list
/// them in `site.link_attributes`.
fn mdx_components() -> &'static LinkAttributes {
    static COMPONENTS: std::sync::OnceLock<LinkAttributes> = std::sync::OnceLock::new();
    COMPONENTS.get_or_init(|| {
        LinkAttributes::from([
            ("Link".to_owned(), vec!["href".to_owned()]),
            ("Image".to_owned(), vec!["src".to_owned()]),
        ])
    })
}

/// Target `markdown`: the bytes as a Markdown page and as an MDX page, under each heading-id
/// renderer. The reader's links lie inside the body on character boundaries; a destination
/// written in Markdown's own syntax is, in its span's bytes, the href as CommonMark decodes
/// it (exactly those bytes when `located`); and the whole page's spans and positions hold.
pub fn check_markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let start = frontmatter::parse(&text).body_start;
    let site = Site::get();
    for mdx in [false, true] {
        let rel = if mdx { "a/page.mdx" } else { "a/page.md" };
        for heading_ids in [
            HeadingIds::Github,
            HeadingIds::Goldmark,
            HeadingIds::Kramdown,
            HeadingIds::None,
        ] {
            let options = markdown::Options {
                heading_ids,
                mdx,
                link_attributes: mdx_components(),
            };
            let body = markdown::scan(&text, start, &options);
            for raw in &body.links {
                assert_span(&text, raw.span, "markdown link");
                assert!(raw.span.start >= start, "a link before the body");
                if !markdown::is_markdown_destination(raw.source) || raw.span.is_empty() {
                    continue;
                }
                let written = &text[raw.span.start..raw.span.end];
                if raw.located {
                    assert_eq!(written, raw.href, "a located destination is its bytes");
                } else if !mdx {
                    // (MDX masks the text the parser read: its bytes may differ from the file's.)
                    assert_eq!(
                        markdown::decode_destination(written),
                        raw.href,
                        "the bytes at {:?} are not the destination",
                        raw.span
                    );
                }
            }
            let names = FieldNames {
                body: BodyOptions {
                    kind: BodyKind::Auto,
                    heading_ids,
                    link_attributes: mdx_components(),
                    ..BodyOptions::default()
                },
                ..site.names()
            };
            let page = Page::from_text(
                format!("site/{rel}"),
                rel.into(),
                &text,
                &names,
                &site.resolver(),
            );
            assert_page(&text, &page);
        }
    }
}

/// Target `cache`: arbitrary bytes as the page cache and the links cache of a root, and every
/// page they hold used as a run would use it.
pub fn check_cache(data: &[u8]) {
    // The first value of both files is the key: taken from the bytes, so that the fuzzer
    // gets past it.
    let key = postcard::take_from_bytes::<u64>(data).map_or(0, |(k, _)| k);
    let root = Path::new("/nonexistent/pagelint-fuzz-root");
    let cache = Cache::decode(root, key, data);
    for (rel, page) in cache.pages() {
        let page = page
            .clone()
            .into_site_page(format!("site/{rel}"), rel.to_owned());
        assert_eq!(page.rel(), rel);
        let anchors: Vec<&str> = page.anchors.iter().collect();
        for a in &anchors {
            assert!(page.has_anchor(a), "{a} is one of the page's anchors");
        }
        let _ = page.uri.as_str().len() + page.uri.last_segment().len();
    }
    if let Some(links) = LinksCache::decode(root, key, data) {
        for (rel, targets) in links.pages() {
            for (uri, fragment) in targets {
                let _ = (rel.len(), uri.as_str().len(), fragment.as_deref());
            }
        }
    }
}

/// The repair a rule would ask for on link `i`, chosen by `seed`: the kinds `fix` applies.
fn repair_for(seed: u8, i: usize, link: &Link, others: &[Uri]) -> Option<Repair> {
    let Target::Internal { uri, .. } = &link.target else {
        return None;
    };
    let field = matches!(link.source, LinkSource::Field | LinkSource::Redirect);
    let to = others
        .get((seed as usize + i) % others.len().max(1))
        .cloned()
        .unwrap_or_else(|| uri.clone());
    Some(match (seed as usize + i) % 4 {
        _ if field => Repair::FieldTarget(to),
        0 => Repair::Target {
            uri: to,
            slash: false,
        },
        1 if link.absolute => Repair::RootRelative,
        1 | 2 => Repair::AddSlash,
        _ => Repair::RemoveSlash,
    })
}

/// Whether the link still needs `repair`, as the rules that ask for it judge.
fn still_needed(link: &Link, repair: &Repair) -> bool {
    let uri = match &link.target {
        Target::Internal { uri, .. } => uri,
        _ => return false,
    };
    match repair {
        Repair::Target { uri: to, .. } | Repair::FieldTarget(to) => uri != to,
        Repair::RootRelative => link.absolute,
        Repair::AddSlash => link.trailing_slash == Some(false),
        Repair::RemoveSlash => link.trailing_slash == Some(true),
    }
}

fn finding(link: &Link, repair: Repair) -> Diagnostic {
    Diagnostic {
        rule: "fuzz",
        severity: Severity::Error,
        path: "site/a/page.html".into(),
        span: link.span(),
        position: link.position,
        message: "".into(),
        help: "".into(),
        target: None,
        repair: Some(repair),
        read: None,
    }
}

/// Panics unless the planned edit `p` changes only the bytes of the values it repairs: it
/// makes at least one of `findings`, its span is the span of each finding it makes (a link's
/// value), and a slash repair adds or removes one slash and nothing else.
fn assert_edit_inside_its_values(text: &str, p: &fix::Planned, findings: &[Diagnostic]) {
    let edit = &p.edit;
    assert_span(text, edit.span, "edit");
    assert!(
        !p.repairs.is_empty(),
        "an edit that makes no repair: {edit:?}"
    );
    let mut repairs = Vec::new();
    for &f in &p.repairs {
        let finding = &findings[f];
        assert_eq!(
            finding.span, edit.span,
            "an edit outside the value it repairs: {edit:?}"
        );
        repairs.extend(finding.repair.as_ref());
    }
    let old = &text[edit.span.start..edit.span.end];
    let (longer, shorter) = match repairs.as_slice() {
        [Repair::AddSlash] => (edit.new.as_str(), old),
        [Repair::RemoveSlash] => (old, edit.new.as_str()),
        _ => return,
    };
    let at = longer
        .bytes()
        .zip(shorter.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(shorter.len());
    assert!(
        longer.len() == shorter.len() + 1
            && longer.as_bytes()[at] == b'/'
            && longer[at + 1..] == shorter[at..],
        "{repairs:?} made {old:?} into {:?}, not one slash more or less",
        edit.new
    );
}

/// Target `fix`: the first byte picks the repairs, the rest is a page, read as HTML and then
/// as Markdown (where `fix` writes destinations in Markdown's syntax). Every internal link
/// gets one; the planned edits must give a page that reads as the old one except that each
/// repaired link now says what its repair promised, and a second fix must change nothing.
pub fn check_fix(data: &[u8]) {
    let Some((&seed, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return; // fix leaves files that are not UTF-8 alone
    };
    check_fix_as(seed, text, false);
    check_fix_as(seed, text, true);
}

/// `check_fix` on the page read as HTML, or as Markdown.
fn check_fix_as(seed: u8, text: &str, markdown: bool) {
    let site = Site::get();
    let rel = if markdown { "a/page.md" } else { "a/page.html" };
    let body = site.config.site.body_options();
    let reading = markdown.then_some((&body, "page.md"));
    let page = site.page_at(text, rel);
    let mut others: Vec<Uri> = page
        .links
        .iter()
        .filter_map(|l| match &l.target {
            Target::Internal { uri, .. } => Some(uri.clone()),
            _ => None,
        })
        .collect();
    others.push(page.uri.clone());
    let repairs: Vec<Option<Repair>> = page
        .links
        .iter()
        .enumerate()
        .map(|(i, l)| repair_for(seed, i, l, &others))
        .collect();
    let findings: Vec<Diagnostic> = page
        .links
        .iter()
        .zip(&repairs)
        .filter_map(|(l, r)| Some(finding(l, r.clone()?)))
        .collect();
    let refs: Vec<_> = findings
        .iter()
        .filter_map(|d| Some((d.span, d.repair.as_ref()?)))
        .collect();
    let planned = fix::plan_in(text, &refs, "", reading);
    let edits: Vec<fix::Edit> = planned.iter().map(|p| p.edit.clone()).collect();
    for p in &planned {
        assert_edit_inside_its_values(text, p, &findings);
    }
    let new = fix::apply(text, &edits);
    let after = site.page_at(&new, rel);
    assert_eq!(
        after.fields.keys().collect::<Vec<_>>(),
        page.fields.keys().collect::<Vec<_>>(),
        "fix changed which fields there are: {new:?}"
    );
    for (name, f) in &page.fields {
        let span = f.field.value_span;
        let edited = edits
            .iter()
            .any(|e| span.start <= e.span.start && e.span.end <= span.end.max(span.start + 1));
        if !edited {
            assert_eq!(
                after.fields[name].field.value, f.field.value,
                "field {name} not repaired, yet changed: {new:?}"
            );
        }
    }
    assert_eq!(
        after.front_matter.is_some(),
        page.front_matter.is_some(),
        "fix changed whether the front matter reads: {new:?}"
    );
    assert_eq!(
        after.links.len(),
        page.links.len(),
        "fix changed the links of {text:?} into {new:?}"
    );
    assert_eq!(
        after.anchors, page.anchors,
        "fix changed the anchors: {new:?}"
    );
    let edited_starts: Vec<usize> = edits.iter().map(|e| e.span.start).collect();
    // Which findings were applied: the i-th planned edit is finding `planned[i].0`.
    let applied: Vec<usize> = planned.iter().flat_map(|p| p.repairs.clone()).collect();
    let link_of_finding: Vec<usize> = repairs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.as_ref().map(|_| i))
        .collect();
    for (i, (old, now)) in page.links.iter().zip(&after.links).enumerate() {
        assert_eq!(old.source, now.source, "link {i} of {new:?}");
        let edited = applied.iter().any(|&f| link_of_finding[f] == i);
        if !edited {
            assert!(
                !edited_starts.contains(&old.span().start),
                "an edit at an unrepaired link"
            );
            assert_eq!(
                old.target, now.target,
                "link {i} not repaired, yet changed: {new:?}"
            );
            continue;
        }
        let repair = repairs[i]
            .as_ref()
            .expect("an applied finding has a repair");
        let (
            Target::Internal { fragment, .. },
            Target::Internal {
                uri: now_uri,
                fragment: now_fragment,
            },
        ) = (&old.target, &now.target)
        else {
            panic!(
                "repaired link {i} is no longer internal: {:?} in {new:?}",
                now.target
            );
        };
        match repair {
            Repair::Target { uri: to, .. } | Repair::FieldTarget(to) => {
                assert_eq!(now_uri, to, "link {i} repointed in {new:?}");
                if matches!(repair, Repair::Target { .. }) {
                    assert_eq!(
                        fragment, now_fragment,
                        "link {i} keeps its fragment: {new:?}"
                    );
                }
            }
            _ => assert_eq!(old.target, now.target, "link {i} keeps its target: {new:?}"),
        }
        assert!(
            !still_needed(now, repair),
            "link {i} still needs {repair:?} after the fix: {new:?}"
        );
    }
    // A second fix, asked for what still needs repair, changes nothing.
    let again: Vec<Diagnostic> = after
        .links
        .iter()
        .zip(&repairs)
        .filter_map(|(l, r)| {
            let r = r.clone()?;
            still_needed(l, &r).then(|| finding(l, r))
        })
        .collect();
    let refs: Vec<_> = again
        .iter()
        .filter_map(|d| Some((d.span, d.repair.as_ref()?)))
        .collect();
    let second: Vec<fix::Edit> = fix::plan_in(&new, &refs, "", reading)
        .into_iter()
        .map(|p| p.edit)
        .collect();
    assert_eq!(
        fix::apply(&new, &second),
        new,
        "a second fix changed {new:?}"
    );
}
