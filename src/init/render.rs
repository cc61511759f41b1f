//! The pagelint.yaml that init writes: every key it sets with a comment saying what the key
//! is and how its value was found, and what only a maintainer can decide (likely routes,
//! files without front matter) written commented out, with counts. Pure: from an
//! `Inference` to text, the same text for the same inference.

use super::fields::{AUTHORSHIP_FIELD, DATE_RULE_FIELDS, TYPE_FIELD};
use super::routes::{Kind, Route};
use super::{Inference, root_key};
use std::fmt::Write as _;

/// Comments are wrapped to this many columns.
const WIDTH: usize = 96;
/// How many files without front matter are listed.
const MAX_LISTED: usize = 20;

/// The configuration file's text.
pub fn config(inf: &Inference) -> String {
    let mut out = String::new();
    let f = &inf.fields;
    comment(
        &mut out,
        0,
        &format!(
            "pagelint configuration, written by `pagelint init` from the {} pages it found. Each \
             key says what it is and how it was found; the README's Configuration section \
             describes every key. Entries written commented out are guesses for a maintainer \
             to decide on: uncomment the ones that are right. `pagelint init` never \
             overwrites this file.",
            pages(inf)
        ),
    );
    out.push('\n');
    let fm_note = if inf.front_matter_optional {
        format!("{} page files", inf.files)
    } else {
        format!(
            "{} of the {} pages with front matter",
            inf.with_front_matter, inf.all_with_front_matter
        )
    };
    comment(
        &mut out,
        0,
        &format!("The content root, relative to this file: the folder holding {fm_note}."),
    );
    let _ = writeln!(out, "root: {}", scalar(root_key(&inf.root)));
    comment(
        &mut out,
        0,
        "Which files are pages: the extensions of the pages found.",
    );
    let _ = writeln!(out, "include: {}", list(&inf.include));
    if !inf.without_front_matter.is_empty() {
        let n = inf.without_front_matter.len();
        // Jekyll renders only files with front matter: the others are not pages.
        let sure = inf.layout.as_ref().is_some_and(|l| l.front_matter_only);
        let text = if sure {
            format!(
                "Jekyll renders only files with front matter and copies the others as they \
                 are: {}.",
                if n == 1 {
                    "the page file here without it is not a page".to_owned()
                } else {
                    format!("the {n} page files here without it are not pages")
                }
            )
        } else {
            format!(
                "{n} page file{} here {} no front matter (invalid-front-matter reports {}); \
                 if {} not pages, exclude {}:",
                plural_s(n),
                if n == 1 { "has" } else { "have" },
                if n == 1 { "it" } else { "them" },
                if n == 1 { "it is" } else { "they are" },
                if n == 1 { "it" } else { "them" },
            )
        };
        comment(&mut out, 0, &text);
        let mark = if sure { "" } else { "# " };
        let _ = writeln!(out, "{mark}exclude:");
        for rel in inf.without_front_matter.iter().take(MAX_LISTED) {
            let _ = writeln!(out, "{mark}  - {}", quoted(rel));
        }
        if n > MAX_LISTED {
            let _ = writeln!(out, "# ({} more)", n - MAX_LISTED);
        }
    }
    if !inf.too_large.is_empty() {
        comment(
            &mut out,
            0,
            &format!(
                "{} file{} larger than 16 MiB {} not read: {}.",
                inf.too_large.len(),
                plural_s(inf.too_large.len()),
                if inf.too_large.len() == 1 {
                    "was"
                } else {
                    "were"
                },
                inf.too_large.join(", ")
            ),
        );
    }
    site(&mut out, inf);
    if f.pages > 0 {
        comment(
            &mut out,
            0,
            "The fields every page has (missing-field reports a page without one).",
        );
        let _ = writeln!(out, "required_fields: {}", list(&f.required));
    }
    dates(&mut out, inf);
    rules(&mut out, inf);
    overrides(&mut out, inf);
    out
}

/// How many pages were read, in words.
fn pages(inf: &Inference) -> usize {
    if inf.front_matter_optional {
        inf.files
    } else {
        inf.with_front_matter
    }
}

/// `body:`, when the site's Markdown files hold HTML (the default reads them as Markdown).
fn body(s: &mut String, inf: &Inference) {
    let (markdown, html) = inf.markdown_bodies;
    if html > markdown {
        comment(
            s,
            2,
            &format!(
                "The .md files hold HTML, not Markdown ({html} of {} read so): their bodies \
                 are read as HTML.",
                markdown + html
            ),
        );
        s.push_str("  body: html\n");
    } else if let (true, Some(layout)) = (markdown > 0, &inf.layout) {
        comment(
            s,
            2,
            &format!(
                "Bodies are Markdown ({markdown} of {} Markdown files read so; the rest hold \
                 HTML).",
                markdown + html
            ),
        );
        s.push_str("  body: auto\n");
        super::served::site_keys(s, inf, layout);
    } else if markdown > 0 {
        comment(
            s,
            2,
            &format!(
                "Bodies are Markdown ({markdown} of {} Markdown files read so; the rest \
                 hold HTML): heading ids as GitHub makes them (rehype-slug, Docusaurus, \
                 Astro); say `goldmark` for Hugo, `kramdown` for Jekyll.",
                markdown + html
            ),
        );
        s.push_str("  body: auto\n  heading_ids: github\n");
    }
}

/// The `site:` section.
fn site(out: &mut String, inf: &Inference) {
    let f = &inf.fields;
    let mut s = String::new();
    let (named, links) = f.uri_links;
    match &f.uri {
        Some(uri) => {
            comment(
                &mut s,
                2,
                &format!(
                    "The field holding a page's URI: {}; {named} of the {links} root-relative \
                     links name a page's URI.",
                    uri.note
                ),
            );
            let _ = writeln!(s, "  uri_field: {}", scalar(&uri.name));
        }
        None => comment(
            &mut s,
            2,
            &format!(
                "No field holds the pages' URIs: a page is addressed by its path under the root \
                 (`a/b.md` and `a/b/index.html` are /a/b), so the root must be the folder the \
                 site serves as `/`; {named} of the {links} root-relative links name one."
            ),
        ),
    }
    match &f.id {
        Some(id) => {
            comment(
                &mut s,
                2,
                &format!(
                    "The field holding a page's id (duplicate-id, and suggestions for links \
                     written as ids): {}.",
                    id.note
                ),
            );
            let _ = writeln!(s, "  id_field: {}", scalar(&id.name));
        }
        None if f.pages > 0 => comment(&mut s, 2, "No field holds unique ids."),
        None => {}
    }
    if !inf.hosts.is_empty() {
        let detail: Vec<String> = inf
            .hosts
            .iter()
            .map(|h| format!("{} ({} of {} links)", h.host, h.resolved, h.links))
            .collect();
        comment(
            &mut s,
            2,
            &format!(
                "Absolute links to these hosts are internal: the paths of their links are this \
                 site's URIs: {}.",
                detail.join(", ")
            ),
        );
        let hosts: Vec<String> = inf.hosts.iter().map(|h| h.host.clone()).collect();
        let _ = writeln!(s, "  hosts: {}", list(&hosts));
    }
    if !f.link_fields.is_empty() {
        let detail: Vec<String> = f
            .link_fields
            .iter()
            .map(|l| format!("`{}` {}", l.name, l.note))
            .collect();
        comment(
            &mut s,
            2,
            &format!(
                "Fields naming another page, checked like links: {}.",
                detail.join("; ")
            ),
        );
        let names: Vec<String> = f.link_fields.iter().map(|l| l.name.clone()).collect();
        let _ = writeln!(s, "  link_fields: {}", list(&names));
    }
    if let Some(toc) = &f.toc {
        comment(
            &mut s,
            2,
            &format!(
                "The table of contents, a list of {{text, id}}: each id must be an element id \
                 in the page's body (broken-toc-entry); {}.",
                toc.note
            ),
        );
        let _ = writeln!(s, "  toc_field: {}", scalar(&toc.name));
    }
    if let Some((toc, key)) = &f.toc_other_key {
        comment(
            &mut s,
            2,
            &format!(
                "`{}` looks like a table of contents ({}), but its entries name ids by `{key}`, \
                 and broken-toc-entry reads `id`: not set.",
                toc.name, toc.note
            ),
        );
    }
    if let Some(r) = &f.redirect {
        comment(
            &mut s,
            2,
            &format!("A page with this field forwards there: {}.", r.note),
        );
        let _ = writeln!(s, "  redirect_field: {}", scalar(&r.name));
    }
    if inf.front_matter_optional {
        comment(
            &mut s,
            2,
            &format!(
                "Most page files have no front matter ({} of {}): pages without it are \
                 addressed by their path, and no field rule applies to them.",
                inf.files - inf.with_front_matter,
                inf.files
            ),
        );
        s.push_str("  front_matter: optional\n");
    }
    body(&mut s, inf);
    routes(&mut s, inf);
    if s.lines()
        .any(|l| l.starts_with("  ") && !l.trim_start().starts_with('#'))
    {
        out.push_str("site:\n");
    } else {
        out.push_str("# site:\n");
    }
    out.push_str(&s);
}

/// The likely routes, commented out.
fn routes(s: &mut String, inf: &Inference) {
    let ignore: Vec<&Route> = inf
        .routes
        .iter()
        .filter(|r| !matches!(r.kind, Kind::Suffix | Kind::Generated))
        .collect();
    let generated: Vec<&Route> = inf
        .routes
        .iter()
        .filter(|r| r.kind == Kind::Generated)
        .collect();
    let suffixes: Vec<&Route> = inf
        .routes
        .iter()
        .filter(|r| r.kind == Kind::Suffix)
        .collect();
    if inf.routes.is_empty() {
        return;
    }
    let grouped: usize = inf.routes.iter().map(|r| r.links).sum();
    comment(
        s,
        2,
        &format!(
            "Likely routes: paths that account for {grouped} of the first check's unresolved \
             links (of the {} others, some have a suggested page and the rest are too few \
             alike). If the server answers them without a page, uncomment them (and the \
             key); the others are broken links to fix.",
            inf.unresolved_left
        ),
    );
    for (key, group) in [
        ("routes", generated),
        ("ignore_links", ignore),
        ("page_suffixes", suffixes),
    ] {
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(s, "  # {key}:");
        for r in group {
            for line in wrap(&describe(r), WIDTH - 8) {
                let _ = writeln!(s, "  #   # {line}");
            }
            let value = match r.kind {
                Kind::Suffix => scalar(&r.pattern),
                _ => quoted(&r.pattern),
            };
            let _ = writeln!(s, "  #   - {value}");
        }
    }
}

/// "23 links from 9 pages: /a/b, /a/c, … (5 paths)".
fn describe(r: &Route) -> String {
    let mut text = format!(
        "{} link{} from {} page{}: {}",
        r.links,
        plural_s(r.links),
        r.pages,
        plural_s(r.pages),
        r.examples.join(", ")
    );
    if r.paths > r.examples.len() {
        let _ = write!(text, ", … ({} paths)", r.paths);
    }
    text
}

/// What the date rules will and will not read.
fn dates(out: &mut String, inf: &Inference) {
    let f = &inf.fields;
    if f.dates.is_empty() {
        if f.pages > 0 {
            comment(
                out,
                0,
                "Dates: no field holds dates; the date rules check nothing.",
            );
        }
        return;
    }
    let (updated, created) = super::served::date_fields(inf);
    let read_by_rules = |name: &str| match inf.layout {
        Some(_) => updated.iter().chain(&created).any(|n| n == name),
        None => DATE_RULE_FIELDS.contains(&name),
    };
    let read: Vec<String> = f
        .dates
        .iter()
        .filter(|d| read_by_rules(&d.name))
        .map(|d| format!("{} ({} pages)", d.name, d.pages))
        .collect();
    let other: Vec<String> = f
        .dates
        .iter()
        .filter(|d| !read_by_rules(&d.name))
        .map(|d| format!("`{}` ({} pages)", d.name, d.pages))
        .collect();
    let mut text = String::from("Dates:");
    if !read.is_empty() {
        let _ = write!(text, " {}, which the date rules read.", read.join(", "));
    }
    if !other.is_empty() {
        let _ = write!(
            text,
            " {} dates in {}: the date rules read only updated_at and created_at, so they do \
             not check {}.",
            if read.is_empty() {
                "this site keeps its"
            } else {
                "This site also keeps"
            },
            other.join(", "),
            if other.len() == 1 { "it" } else { "those" }
        );
    }
    comment(out, 0, &text);
}

/// The `rules:` section: a rule this site cannot satisfy as it is named, and the assets.
fn rules(out: &mut String, inf: &Inference) {
    let f = &inf.fields;
    let mut s = String::new();
    match &f.authorship {
        Some(a) if a.name == AUTHORSHIP_FIELD => comment(
            out,
            0,
            &format!(
                "Authorship: `authorship`, {}, which missing-authorship reads.",
                a.note
            ),
        ),
        Some(a) if inf.layout.is_some() => {
            let lacking = f.lacking_authorship.len();
            if lacking > super::served::MAX_LISTED {
                comment(
                    &mut s,
                    2,
                    &format!(
                        "{lacking} pages with a body have no `{}`: missing-authorship is off \
                         (turn it on for the folders whose pages must name their authors).",
                        a.name
                    ),
                );
                s.push_str("  missing-authorship: off\n");
            }
        }
        Some(a) => {
            comment(
                &mut s,
                2,
                &format!(
                    "This site names authorship `{}` ({}); missing-authorship reads only \
                     `authorship`, and would report every page.",
                    a.name, a.note
                ),
            );
            s.push_str("  missing-authorship: off\n");
        }
        None if f.pages > 0 && !inf.front_matter_optional => {
            comment(
                &mut s,
                2,
                "No page has an authorship field: missing-authorship would report every page.",
            );
            s.push_str("  missing-authorship: off\n");
        }
        None => {}
    }
    if inf.layout.is_some() && super::served::dates_are_publication_dates(inf) {
        comment(
            &mut s,
            2,
            "The pages' only date is `date`, when a post was published, not when it was \
             last reviewed: stale-updated-at would report every old post.",
        );
        s.push_str("  stale-updated-at: off\n");
    }
    let (assets, missing) = inf.assets;
    if assets > 0 && missing == assets {
        comment(
            &mut s,
            2,
            &format!(
                "None of the {assets} files the pages load (images, scripts, media, \
                 downloads) is under the content root. If they are served from elsewhere, set \
                 `site.static_dirs`, or turn missing-asset off:"
            ),
        );
        s.push_str("  # missing-asset: off\n");
    }
    if s.is_empty() {
        return;
    }
    if s.lines().any(|l| !l.trim_start().starts_with('#')) {
        out.push_str("rules:\n");
    } else {
        out.push_str("# rules:\n");
    }
    out.push_str(&s);
}

/// Page types whose pages mostly have no authorship.
fn overrides(out: &mut String, inf: &Inference) {
    let f = &inf.fields;
    if inf.layout.is_some() {
        super::served::authorless(out, inf);
        return;
    }
    if f.authorship
        .as_ref()
        .is_none_or(|a| a.name != AUTHORSHIP_FIELD)
    {
        return;
    }
    let types = f.types_without_authorship();
    if types.is_empty() {
        return;
    }
    let detail: Vec<String> = types
        .iter()
        .map(|t| {
            let (n, lacking) = f.types[t];
            format!("{t} {lacking} of {n}")
        })
        .collect();
    comment(
        out,
        0,
        &format!(
            "Page types (the `{TYPE_FIELD}` field) whose pages mostly have no authorship \
             (pages with an empty body are not asked for it): {}.",
            detail.join(", ")
        ),
    );
    out.push_str("overrides:\n");
    let _ = writeln!(out, "  - types: {}", list(&types));
    out.push_str("    rules: {missing-authorship: off}\n");
}

/// Append `text` as `#` comment lines indented by `indent`, wrapped.
pub(super) fn comment(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    for line in wrap(text, WIDTH.saturating_sub(indent + 2)) {
        let _ = writeln!(out, "{pad}# {line}");
    }
}

/// `text` in lines of at most `width` columns, broken at spaces only (paths and names stay
/// whole, even when longer).
fn wrap(text: &str, width: usize) -> Vec<std::borrow::Cow<'_, str>> {
    let options = textwrap::Options::new(width)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options)
}

/// A YAML flow list of scalars.
pub(super) fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", items.join(", "))
}

/// A scalar as plain YAML when it is a simple word or path that YAML reads back as the same
/// text, else double-quoted.
pub(super) fn scalar(s: &str) -> String {
    let simple = s
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        && serde_yaml::from_str::<serde_yaml::Value>(s).ok()
            == Some(serde_yaml::Value::String(s.to_owned()));
    if simple { s.to_owned() } else { quoted(s) }
}

/// A double-quoted YAML scalar (JSON's string syntax is YAML's).
pub(super) fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn plural_s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::init::Found;
    use crate::init::fields::Fields;
    use crate::init::hosts::Host;

    fn inference() -> Inference {
        let found = |name: &str, pages| Found::new(name, pages, format!("on {pages} pages"));
        let mut types = std::collections::BTreeMap::new();
        types.insert("directory".to_owned(), (4, 3));
        types.insert("page".to_owned(), (10, 1));
        types.insert("true".to_owned(), (2, 2));
        Inference {
            root: "data/content".into(),
            files: 15,
            with_front_matter: 14,
            all_with_front_matter: 14,
            extensions: vec!["md".into()],
            without_front_matter: vec!["README.md".into()],
            too_large: Vec::new(),
            front_matter_optional: false,
            markdown_bodies: (0, 0),
            fields: Fields {
                pages: 14,
                uri: Some(found("uri", 14)),
                uri_links: (20, 25),
                id: Some(found("id", 14)),
                authorship: Some(found("authorship", 10)),
                dates: vec![found("updated_at", 14), found("lastmod", 3)],
                link_fields: vec![found("see_also", 4)],
                toc: Some(found("contents", 3)),
                toc_other_key: None,
                redirect: Some(found("redirect_uri", 1)),
                types,
                required: vec!["id".into(), "uri".into(), "title".into()],
                ..Fields::default()
            },
            hosts: vec![Host {
                host: "www.example.org".into(),
                links: 4,
                resolved: 3,
            }],
            routes: vec![
                Route {
                    kind: Kind::Prefix,
                    pattern: "/help/videos/**".into(),
                    links: 7,
                    pages: 3,
                    examples: vec!["/help/videos/a".into(), "/help/videos/b".into()],
                    paths: 4,
                },
                Route {
                    kind: Kind::Suffix,
                    pattern: "feedback".into(),
                    links: 3,
                    pages: 3,
                    examples: vec!["/a/feedback".into()],
                    paths: 1,
                },
            ],
            unresolved_left: 2,
            assets: (5, 5),
            layout: None,
            include: vec!["**/*.md".into()],
            pages_dir: String::new(),
        }
    }

    /// The text with every commented-out key and list entry uncommented.
    fn uncommented(text: &str) -> String {
        text.lines()
            .map(|l| {
                let indent = l.len() - l.trim_start().len();
                let rest = &l[indent..];
                match rest.strip_prefix("# ") {
                    Some(r)
                        if r.trim_start().starts_with("- ")
                            || r.split(':').next().is_some_and(|k| {
                                !k.is_empty()
                                    && k.bytes()
                                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-')
                            }) =>
                    {
                        format!("{}{r}", &l[..indent])
                    }
                    _ => l.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_file_loads_as_written_and_with_every_guess_uncommented() {
        let text = config(&inference());
        let c = Config::parse(&text, "t.yaml").unwrap_or_else(|e| panic!("{}\n{text}", e.message));
        assert_eq!(
            c.root.as_deref(),
            Some(std::path::Path::new("data/content"))
        );
        assert_eq!(c.site.link_fields, ["see_also"]);
        assert_eq!(c.site.redirect_field.as_deref(), Some("redirect_uri"));
        assert_eq!(c.site.hosts, ["www.example.org"]);
        assert!(c.site.page_suffixes.is_empty());
        assert!(!c.site.ignore_links.is_match("/help/videos/a"));
        assert!(c.has_overrides());
        assert!(
            text.contains(
                "  #   # 7 links from 3 pages: /help/videos/a, /help/videos/b, … (4 paths)\n  #   - \"/help/videos/**\"\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("  - types: [directory, \"true\"]\n"),
            "{text}"
        );
        assert!(text.contains("`lastmod` (3 pages)"), "{text}");
        let all = uncommented(&text);
        let c = Config::parse(&all, "t.yaml").unwrap_or_else(|e| panic!("{}\n{all}", e.message));
        assert_eq!(c.site.page_suffixes, ["feedback"]);
        assert!(c.site.ignore_links.is_match("/help/videos/a"));
        assert!(c.exclude.is_match("README.md"));
        assert!(c.rules_for(None, "a.md").0[crate::rules::index_of("missing-asset")].is_none());
    }

    #[test]
    fn scalars_are_quoted_when_yaml_would_read_them_otherwise() {
        assert_eq!(scalar("further_reading_uri"), "further_reading_uri");
        assert_eq!(scalar("content/pages"), "content/pages");
        for odd in ["true", "123", "a b", "null", "-x", "a: b", "", "#x"] {
            assert!(scalar(odd).starts_with('"'), "{odd}");
        }
    }
}
