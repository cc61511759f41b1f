//! Edit planning for `pagelint fix`: from a page's text and the repairs wanted of it, the bytes
//! that change and what they become. Pure (no I/O), so a fuzz target can call `plan` directly.
//!
//! A repair is planned only where it is beyond doubt, and each is checked before it is kept:
//! an href is rewritten from its raw attribute bytes (character references and spacing kept),
//! and its decoded new value must be the old one with just the intended change, reaching the
//! intended target through the URL parser; a front-matter value is rewritten only where
//! `frontmatter::exact_value` locates it, in its own style where that style can hold the new
//! text, and the edited YAML must read as before but for the repaired fields.

use crate::diagnostic::Repair;
use crate::parse::body::BodyOptions;
use crate::parse::frontmatter::{self, FrontMatter};
use crate::parse::html::{self, LinkSource};
use crate::parse::link::{Resolver, Target};
use crate::parse::markdown;
use crate::parse::scalar::{self, Style};
use crate::parse::span::Span;
use crate::parse::uri::{HREF_PATH as PATH, Uri};
use percent_encoding::utf8_percent_encode;
use serde_yaml::Value;
use std::collections::BTreeMap;
use url::Url;

/// What relative hrefs are resolved against to compare an old value with its new one; the
/// relations checked (a slash more, the same path) hold against any base.
const BASE: &str = "https://pagelint.invalid/pagelint/base/page";

/// One edit: the bytes of `span` become `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new: String,
}

/// One planned edit and the repairs it makes (indexes into `plan`'s `wanted`): several when
/// findings want the same value changed in different ways (an own-host link without the
/// slash the site requires is made root-relative and given its slash at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub repairs: Vec<usize>,
    pub edit: Edit,
}

/// The edits that make the repairs `wanted` (each the span of a value in `text` and the
/// repair of it) with certainty, sorted by span, never overlapping. `base_path` is
/// `site.base_path` (front-matter values are written under it). What is left out cannot be
/// made with certainty: a span that does not fit the text, a value that cannot be located or
/// rewritten exactly, an edit overlapping an earlier one. `apply(text, edits)` is then the
/// fixed text.
pub fn plan(text: &str, wanted: &[(Span, &Repair)], base_path: &str) -> Vec<Planned> {
    plan_in(text, wanted, base_path, None)
}

/// `plan` for a page whose body `markdown` says how to read (the reader and the page's file
/// name), when it is Markdown: a link destination of Markdown's own syntax is rewritten in
/// it, HTML inside the Markdown as HTML, and the result is read again as Markdown: an edit
/// is kept only where the link there reads as intended.
pub fn plan_in(
    text: &str,
    wanted: &[(Span, &Repair)],
    base_path: &str,
    markdown: Option<(&BodyOptions<'_>, &str)>,
) -> Vec<Planned> {
    let fm_end = frontmatter::parse(text).body_start;
    let sources: Option<BTreeMap<(usize, usize), LinkSource>> = markdown.map(|(reader, name)| {
        reader
            .scan(name, text, fm_end)
            .links
            .into_iter()
            .map(|l| ((l.span.start, l.span.end), l.source))
            .collect()
    });
    let mut edits = plan_with(text, wanted, base_path, sources.as_ref());
    if let (Some((reader, name)), Some(sources)) = (markdown, &sources) {
        keep_reading_as_intended(text, &mut edits, (reader, name), sources, fm_end);
    }
    edits
}

/// Drop the body edits after which the link at the edit's place no longer reads as its new
/// value, judged on the text with all the edits made (the Markdown around a destination
/// can change how it reads).
fn keep_reading_as_intended(
    text: &str,
    edits: &mut Vec<Planned>,
    (reader, name): (&BodyOptions<'_>, &str),
    sources: &BTreeMap<(usize, usize), LinkSource>,
    fm_end: usize,
) {
    for _ in 0..2 {
        let applied: Vec<Edit> = edits.iter().map(|p| p.edit.clone()).collect();
        let new = apply(text, &applied);
        let found: BTreeMap<(usize, usize), String> = reader
            .scan(name, &new, fm_end.min(new.len()))
            .links
            .into_iter()
            .map(|l| ((l.span.start, l.span.end), l.href))
            .collect();
        let mut shift: isize = 0;
        let mut bad = Vec::new();
        for (i, p) in edits.iter().enumerate() {
            let start = (p.edit.span.start as isize + shift) as usize;
            shift += p.edit.new.len() as isize - p.edit.span.len() as isize;
            if p.edit.span.start < fm_end {
                continue; // a front-matter field: checked by `fields_read_as_intended`
            }
            let end = start + p.edit.new.len();
            let old = (p.edit.span.start, p.edit.span.end);
            let intended = match sources.get(&old) {
                Some(&s) if markdown::is_markdown_destination(s) => {
                    markdown::decode_destination(&p.edit.new)
                }
                _ => html::decode_attribute(&p.edit.new),
            };
            if found.get(&(start, end)) != Some(&intended) {
                bad.push(i);
            }
        }
        if bad.is_empty() {
            return;
        }
        for i in bad.into_iter().rev() {
            edits.remove(i);
        }
    }
    edits.retain(|p| p.edit.span.start < fm_end);
}

fn plan_with(
    text: &str,
    wanted: &[(Span, &Repair)],
    base_path: &str,
    markdown: Option<&BTreeMap<(usize, usize), LinkSource>>,
) -> Vec<Planned> {
    let mut front_matter: Option<FrontMatter> = None;
    // The repairs of each value, in the order they are given.
    let mut by_span: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, (span, _)) in wanted.iter().enumerate() {
        by_span.entry((span.start, span.end)).or_default().push(i);
    }
    // What root-relative hrefs resolve against (found once, when a repair makes one).
    let mut document_base: Option<Option<Url>> = None;
    let mut edits: Vec<Planned> = Vec::new();
    for ((start, end), repairs) in by_span {
        let span = Span::new(start, end);
        let Some(raw) = text.get(start..end) else {
            continue;
        };
        let mut new = raw.to_owned();
        let mut made = Vec::new();
        for i in repairs {
            let step = match wanted[i].1 {
                // A field is rewritten whole, once.
                Repair::FieldTarget(uri) if new == raw => {
                    let fm = front_matter.get_or_insert_with(|| frontmatter::parse(text));
                    field_value(text, fm, span, uri, base_path)
                }
                Repair::FieldTarget(_) => None,
                repair => match markdown.map(|m| m.get(&(start, end))) {
                    // Markdown's own syntax; HTML inside Markdown is HTML.
                    Some(Some(&source)) if markdown::is_markdown_destination(source) => {
                        markdown_value(&new, text.as_bytes().get(start.wrapping_sub(1)), repair)
                    }
                    Some(Some(LinkSource::MdAutolink | LinkSource::ComponentProp)) => None,
                    _ => href_value(&new, quote_before(text, start), repair),
                }
                // A root-relative href takes the document base's host: kept only where that
                // is the old host.
                .filter(|value| {
                    !matches!(repair, Repair::RootRelative) || {
                        let base = document_base.get_or_insert_with(|| {
                            let fm = front_matter.get_or_insert_with(|| frontmatter::parse(text));
                            page_base(text, fm.body_start)
                        });
                        base.as_ref()
                            .is_some_and(|base| stays_on_host(base, &new, value))
                    }
                }),
            };
            match step {
                Some(value) => {
                    new = value;
                    made.push(i);
                }
                // Done already by an earlier repair of the same value.
                None if new != raw && satisfied(&new, wanted[i].1) => made.push(i),
                None => {}
            }
        }
        if new != raw {
            edits.push(Planned {
                repairs: made,
                edit: Edit { span, new },
            });
        }
    }
    let mut last_end = 0;
    edits.retain(|p| {
        let keep = p.edit.span.start >= last_end;
        if keep {
            last_end = p.edit.span.end.max(p.edit.span.start + 1);
        }
        keep
    });
    // Together, too, the field edits must leave the YAML as it was but for their fields.
    if let Some(fm) = &front_matter
        && !fields_read_as_intended(text, fm, wanted, &edits)
    {
        edits.retain(|p| {
            !p.repairs
                .iter()
                .any(|&i| matches!(wanted[i].1, Repair::FieldTarget(_)))
        });
    }
    edits
}

/// Whether the href written as `raw` is already as `repair` wants it (a slash repair or a
/// root-relative one that an earlier repair of the value made too).
fn satisfied(raw: &str, repair: &Repair) -> bool {
    let decoded = html::decode_attribute(raw);
    let core = decoded.trim_matches(|c: char| c <= ' ');
    let path = &core[..path_end(core)];
    let lower = core.get(..8).unwrap_or(core).to_ascii_lowercase();
    match repair {
        Repair::AddSlash => path.ends_with('/'),
        Repair::RemoveSlash => !path.is_empty() && !path.ends_with('/'),
        Repair::RootRelative => {
            !(lower.starts_with("//")
                || lower.starts_with("http://")
                || lower.starts_with("https://"))
        }
        Repair::Target { .. } | Repair::FieldTarget(_) => false,
    }
}

/// `text` with `edits` (sorted, not overlapping, inside the text) applied.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.new);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The quote an attribute value at `start` is written in, if any.
fn quote_before(text: &str, start: usize) -> Option<char> {
    match start.checked_sub(1).map(|i| text.as_bytes()[i]) {
        Some(b'"') => Some('"'),
        Some(b'\'') => Some('\''),
        _ => None,
    }
}

/// `uri` as the path of an href (percent-encoded where a path needs it, not yet HTML-escaped).
pub fn href_path(uri: &Uri) -> String {
    uri.href_path()
}

/// Where an href's path ends (its query or fragment starts).
fn path_end(href: &str) -> usize {
    href.find(['?', '#']).unwrap_or(href.len())
}

/// The new raw value of an attribute written as `raw` (its bytes, inside `quote` if any) under
/// `repair`; `None` when it is already right or cannot be rewritten with certainty. The change
/// is made to the decoded href and written back into the raw bytes: what is around it (spaces,
/// character references) stays as it is written.
pub fn href_value(raw: &str, quote: Option<char>, repair: &Repair) -> Option<String> {
    let (decoded, at) = html::decode_with_offsets(raw);
    let core_start = decoded.len() - decoded.trim_start_matches(|c: char| c <= ' ').len();
    let core = decoded[core_start..].trim_end_matches(|c: char| c <= ' ');
    // The URL parser reads a backslash as a slash and drops tabs and line breaks.
    if core.is_empty() || core.contains(|c: char| c == '\\' || c < ' ') {
        return None;
    }
    let end = path_end(core);
    // The change, in the core: the bytes `from..to` become `with`.
    let (from, to, with) = match repair {
        Repair::Target { uri, slash } => {
            let slash = *slash && uri.as_str() != "/";
            // An absolute href keeps its scheme and host: a root-relative one would resolve
            // against the page's `<base href>`, which may be elsewhere.
            (
                origin_len(core)?,
                end,
                with_trailing_commas_encoded(
                    href_path(uri) + if slash { "/" } else { "" },
                    end == core.len(),
                ),
            )
        }
        Repair::AddSlash if end > 0 && !core[..end].ends_with('/') => (end, end, "/".into()),
        // One slash removed from a path that ends with two (`/a//`, read as `/a/`) would leave
        // one: which of the paths was meant is not certain, so a person decides.
        Repair::RemoveSlash
            if end > 1 && core[..end].ends_with('/') && !core[..end - 1].ends_with('/') =>
        {
            (end - 1, end, "".into())
        }
        Repair::RootRelative => {
            let lower = core.get(..8).unwrap_or(core).to_ascii_lowercase();
            let host_at = if lower.starts_with("//") {
                2
            } else if lower.starts_with("http://") {
                7
            } else if lower.starts_with("https://") {
                8
            } else {
                return None;
            };
            let path_at = core[host_at..]
                .find(['/', '?', '#'])
                .map_or(core.len(), |i| host_at + i);
            let with = if core[path_at..].starts_with('/') {
                ""
            } else {
                "/"
            };
            (0, path_at, with.into())
        }
        Repair::AddSlash | Repair::RemoveSlash | Repair::FieldTarget(_) => return None,
    };
    let (from, to) = (core_start + from, core_start + to);
    // Both ends must fall between what the raw bytes decode to, not inside a reference.
    let clean = |i: usize| i == 0 || i == decoded.len() || at[i] != at[i - 1];
    if !clean(from) || !clean(to) {
        return None;
    }
    let new = format!(
        "{}{}{}",
        &raw[..at[from]],
        with.replace('&', "&amp;"),
        &raw[at[to]..]
    );
    // The raw value must decode to the intended text and stay inside its quoting.
    let intended = format!("{}{with}{}", &decoded[..from], &decoded[to..]);
    // Unquoted, a value ends at a space or `>`, and one that starts with a quote is quoted.
    let fits = match quote {
        Some(q) => !new.contains(q),
        None => {
            !new.is_empty()
                && !new.starts_with(['"', '\''])
                && !new.contains(|c: char| c.is_ascii_whitespace() || c == '>')
        }
    };
    if html::decode_attribute(&new) != intended || !fits {
        return None;
    }
    let new_core = intended.trim_matches(|c: char| c <= ' ');
    // In a `srcset` a URL's trailing commas end its candidate (`/a,/ 1x` made `/a, 1x` would
    // read as `/a` and a candidate `1x`): a value does not gain one.
    if new_core.ends_with(',') && !core.ends_with(',') {
        return None;
    }
    (new != raw && reaches(core, new_core, repair)).then_some(new)
}

/// The new raw bytes of a Markdown link destination written as `raw` (after the byte
/// `before`: `<` for the `<dest>` form) under `repair`, or `None` when it is already right or
/// cannot be rewritten with certainty: a destination holding a backslash escape or a
/// character reference is left to a person, and the new one must be a destination of the same form
/// (no space or control character, balanced parentheses; in `<…>`, no `<`, `>` or line break).
pub fn markdown_value(raw: &str, before: Option<&u8>, repair: &Repair) -> Option<String> {
    // Escapes and references (Markdown's, or what HTML would read as one) are for a person.
    if markdown::decode_destination(raw) != raw || html::decode_attribute(raw) != raw {
        return None;
    }
    let angle = before == Some(&b'<');
    let new = href_value(raw, if angle { Some('>') } else { None }, repair)?;
    // `href_value` wrote `&` as `&amp;`, which a Markdown destination reads as `&` too.
    let fits = if angle {
        !new.contains(['<', '>', '\n', '\r'])
    } else {
        let mut depth = 0i64;
        let balanced = new.bytes().all(|b| {
            depth += match b {
                b'(' => 1,
                b')' => -1,
                _ => 0,
            };
            depth >= 0
        }) && depth == 0;
        balanced && !new.starts_with('<') && !new.contains(|c: char| c <= ' ')
    };
    fits.then_some(new)
}

/// `path`, written where it ends the href (`at_end`), with its trailing commas as `%2C`:
/// read the same as an href, and kept by a `srcset`, whose URLs' trailing commas end their
/// candidate instead.
fn with_trailing_commas_encoded(path: String, at_end: bool) -> String {
    let kept = path.trim_end_matches(',');
    if !at_end || kept.len() == path.len() {
        return path;
    }
    let commas = path.len() - kept.len();
    format!("{kept}{}", "%2C".repeat(commas))
}

/// The document base URL of the page `text` (its body from `body_start`), with `BASE` for
/// the page's own URL: the first `<base href>` parsed against it, else the page's URL (WHATWG
/// HTML § 2.4.1, as `Resolver::document_base` finds it).
fn page_base(text: &str, body_start: usize) -> Option<Url> {
    let page = Url::parse(BASE).ok()?;
    let base = html::scan(text, body_start).base;
    Some(
        base.and_then(|b| Url::options().base_url(Some(&page)).parse(&b).ok())
            .unwrap_or(page),
    )
}

/// Whether the href written `new` (raw), made root-relative from the absolute `old`, reaches
/// the same host as `old` under the page's document base `base`: a root-relative href takes
/// the base's host, so under a `<base href>` on another host, or one that is not a
/// hierarchical URL (`x: y`), it would leave the site or not resolve at all.
fn stays_on_host(base: &Url, old: &str, new: &str) -> bool {
    let parse = |raw: &str| {
        let href = html::decode_attribute(raw);
        Url::options()
            .base_url(Some(base))
            .parse(href.trim_matches(|c: char| c <= ' '))
            .ok()
    };
    let (Some(old), Some(new)) = (parse(old), parse(new)) else {
        return false;
    };
    let page_host = Url::parse(BASE)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned));
    matches!(new.scheme(), "http" | "https")
        && new.host_str().is_some()
        && (new.host_str() == old.host_str() || new.host_str() == page_host.as_deref())
        && new.path() == old.path()
}

/// How long the scheme and host an href is written with are (`https://www.example.org`,
/// `//www.example.org`), 0 for a relative one; `None` for a scheme without a host
/// (`http:www.example.org`), whose rewriting is not certain.
fn origin_len(href: &str) -> Option<usize> {
    let scheme = href.find(':').filter(|&i| {
        href[..i].starts_with(|c: char| c.is_ascii_alphabetic())
            && href[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    let after_scheme = scheme.map_or(0, |i| i + 1);
    let Some(authority) = href[after_scheme..].strip_prefix("//") else {
        return scheme.is_none().then_some(0);
    };
    let host_end = authority.find(['/', '?', '#']).unwrap_or(authority.len());
    Some(after_scheme + 2 + host_end)
}

/// Whether the href `new`, replacing `old` under `repair`, reaches what the repair intends:
/// the same query and fragment, and the target path, a slash more or less, or the same path
/// on this host.
fn reaches(old: &str, new: &str, repair: &Repair) -> bool {
    let Ok(base) = Url::parse(BASE) else {
        return false;
    };
    let parse = |href: &str| Url::options().base_url(Some(&base)).parse(href).ok();
    let (Some(old), Some(new)) = (parse(old), parse(new)) else {
        return false;
    };
    if old.query() != new.query() || old.fragment() != new.fragment() {
        return false;
    }
    let here = new.host_str() == base.host_str() && new.scheme() == base.scheme();
    match repair {
        // On the host the old href names (this one for a relative href, its own for an
        // absolute one, kept as written).
        Repair::Target { uri, .. } => {
            new.origin() == old.origin()
                && Uri::from_path(&crate::parse::uri::percent_decode(new.path())) == *uri
        }
        Repair::AddSlash => new.path() == format!("{}/", old.path()),
        Repair::RemoveSlash => format!("{}/", new.path()) == old.path(),
        Repair::RootRelative => here && new.path() == old.path(),
        Repair::FieldTarget(_) => false,
    }
}

/// The new bytes of the front-matter value at `span`, pointing it at `uri`: written as the
/// old one is (with or without a leading slash, relative to the base path, in its scalar
/// style where that can hold it, else double-quoted), and read back as `uri`. `None` when the
/// value is not located exactly (`frontmatter::exact_value`) or no text reads as `uri`.
fn field_value(
    text: &str,
    fm: &FrontMatter,
    span: Span,
    uri: &Uri,
    base_path: &str,
) -> Option<String> {
    let (key, field) = fm.fields.iter().find(|(_, f)| f.value_span == span)?;
    let (_, style) = frontmatter::exact_value(text, fm, key).filter(|(s, _)| *s == span)?;
    let old = field.value.as_str()?;
    let new = field_text(old, uri, base_path)?;
    scalar::encode(&new, style).or_else(|| scalar::encode(&new, Style::Double))
}

/// The text of a link field naming `uri`, written as `old` is: with or without a leading
/// slash, relative to the base path; another form where that one would read otherwise.
fn field_text(old: &str, uri: &Uri, base_path: &str) -> Option<String> {
    let base = base_path.trim_matches('/');
    let path = uri.as_str().trim_start_matches('/');
    let path = match path.strip_prefix(base) {
        Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
            rest.trim_start_matches('/')
        }
        _ => path,
    };
    let slash = old.trim_start().starts_with('/');
    let encoded = utf8_percent_encode(path, PATH).to_string();
    let resolver = Resolver::new(&[], globset::GlobSet::empty(), base_path);
    let reads_as_uri = |t: &String| {
        matches!(resolver.resolve_field(t),
            Some(Target::Internal { uri: u, fragment: None }) if u == *uri)
    };
    [
        (slash, path.to_owned()),
        (!slash, path.to_owned()),
        (slash, encoded.clone()),
        (!slash, encoded),
    ]
    .into_iter()
    .map(|(slash, p)| if slash { format!("/{p}") } else { p })
    .find(reads_as_uri)
}

/// Whether the field edits among `edits` leave the front matter reading as before, but for
/// each repaired field, which reads as its new text.
fn fields_read_as_intended(
    text: &str,
    fm: &FrontMatter,
    wanted: &[(Span, &Repair)],
    edits: &[Planned],
) -> bool {
    let field_edits: Vec<&Edit> = edits
        .iter()
        .filter(|p| {
            p.repairs
                .iter()
                .any(|&i| matches!(wanted[i].1, Repair::FieldTarget(_)))
        })
        .map(|p| &p.edit)
        .collect();
    if field_edits.is_empty() {
        return true;
    }
    let mut expected: BTreeMap<&str, Value> = fm
        .fields
        .iter()
        .map(|(k, f)| (k.as_str(), f.value.clone()))
        .collect();
    for e in &field_edits {
        let Some((key, field)) = fm.fields.iter().find(|(_, f)| f.value_span == e.span) else {
            return false;
        };
        let Some(new) = field
            .style
            .and_then(|_| scalar::decode(&e.new, Style::of(&e.new)))
        else {
            return false;
        };
        expected.insert(key, Value::String(new));
    }
    let spans: Vec<(Span, String)> = field_edits
        .iter()
        .map(|e| (e.span, e.new.clone()))
        .collect();
    let expected: BTreeMap<&str, &Value> = expected.iter().map(|(k, v)| (*k, v)).collect();
    frontmatter::rewrite(text, fm, &spans)
        .is_some_and(|yaml| frontmatter::reads_as(&yaml, &expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        Uri::from_path(s)
    }

    fn target(s: &str) -> Repair {
        Repair::Target {
            uri: uri(s),
            slash: false,
        }
    }

    fn href(raw: &str, repair: &Repair) -> Option<String> {
        href_value(raw, Some('"'), repair)
    }

    #[test]
    fn targets_keep_query_and_fragment_and_are_encoded() {
        let r = target("/a b/c&d");
        assert_eq!(
            href("/x?q=1&amp;r=2#f", &r).as_deref(),
            Some("/a%20b/c&amp;d?q=1&amp;r=2#f")
        );
        assert_eq!(href("/a%20b/c&amp;d", &r), None, "already right");
        let slash = Repair::Target {
            uri: uri("/docs/target"),
            slash: true,
        };
        assert_eq!(
            href("/x&#35;s", &slash).as_deref(),
            Some("/docs/target/&#35;s")
        );
        let back = target("/a\\b");
        assert_eq!(href("/x", &back).as_deref(), Some("/a%5Cb"));
    }

    #[test]
    fn a_new_value_never_gains_a_trailing_comma() {
        // Repointed at a path that ends with a comma, it is written `%2C`, which reads the
        // same; before a query the comma is inside the URL and stays.
        assert_eq!(
            href("/images/pond.gif", &target("/garden/andidate,")).as_deref(),
            Some("/garden/andidate%2C")
        );
        assert_eq!(href("/x?q#f", &target("/a,,")).as_deref(), Some("/a,,?q#f"));
        // A slash removed before a comma would leave the comma last: left for a person.
        assert_eq!(href("/a,/", &Repair::RemoveSlash), None);
        assert_eq!(
            href("/a,/?q", &Repair::RemoveSlash).as_deref(),
            Some("/a,?q")
        );
        // In a srcset the repointed candidate reads back whole, and the next one stays.
        let text = r#"<img srcset="/x.png 1x,/y.png 3x">"#;
        let at = text.find("/x.png").expect("candidate");
        let r = target("/garden/andidate,");
        let planned = plan(text, &[(Span::new(at, at + 6), &r)], "");
        let edits: Vec<Edit> = planned.into_iter().map(|p| p.edit).collect();
        let new = apply(text, &edits);
        let value = &new[new.find('"').expect("quote") + 1..new.rfind('"').expect("quote")];
        let urls: Vec<&str> = crate::parse::srcset::candidates(value)
            .map(|r| &value[r])
            .collect();
        assert_eq!(urls, ["/garden/andidate%2C", "/y.png"]);
        assert_eq!(Uri::from_path(urls[0]), uri("/garden/andidate,"));
    }

    #[test]
    fn an_own_host_link_stays_absolute_under_a_base_elsewhere() {
        let rooted = Repair::RootRelative;
        let link = r#"<a href="https://www.example.org/x">x</a>"#;
        let fixed = |page: &str| {
            let at = page.find("https://www.example.org/x").expect("href");
            let span = Span::new(at, at + "https://www.example.org/x".len());
            let edits: Vec<Edit> = plan(page, &[(span, &rooted)], "")
                .into_iter()
                .map(|p| p.edit)
                .collect();
            apply(page, &edits)
        };
        // `/x` would name another host, or not resolve under a base that is not hierarchical.
        for base in [
            r#"<base href="https://other.org/">"#,
            r#"<base href="//other.org/a/">"#,
            r#"<base href="htt: article">"#,
            r#"<base href="mailto:a@b">"#,
        ] {
            let page = format!("{base}{link}");
            assert_eq!(fixed(&page), page, "{base}");
        }
        // On its own host, under a relative base, or a base that does not parse (then the
        // page's URL is the base), or in a template (which counts for nothing): made.
        for base in [
            "",
            r#"<base href="https://www.example.org/a/">"#,
            r#"<base href="../garden/">"#,
            r#"<base href="https://exa mple.org/">"#,
            r#"<template><base href="https://other.org/"></template>"#,
        ] {
            let page = format!("{base}{link}");
            assert_eq!(
                fixed(&page),
                format!(r#"{base}<a href="/x">x</a>"#),
                "{base}"
            );
        }
    }

    #[test]
    fn own_host_links_become_root_relative() {
        let r = Repair::RootRelative;
        assert_eq!(
            href("https://www.example.org/a/b?x#y", &r).as_deref(),
            Some("/a/b?x#y")
        );
        assert_eq!(href("//example.org", &r).as_deref(), Some("/"));
        assert_eq!(href("HTTP://example.org#top", &r).as_deref(), Some("/#top"));
        // A slash written as a character reference is kept as it is written.
        assert_eq!(
            href("https://site.org&#47;a", &r).as_deref(),
            Some("&#47;a")
        );
        assert_eq!(href("https://site.org\\a", &r), None);
    }

    #[test]
    fn slashes_are_added_and_removed_before_query_and_fragment() {
        assert_eq!(
            href("/a/b?x#y", &Repair::AddSlash).as_deref(),
            Some("/a/b/?x#y")
        );
        assert_eq!(href("/a/b/", &Repair::AddSlash), None);
        assert_eq!(
            href("/a/b/#y", &Repair::RemoveSlash).as_deref(),
            Some("/a/b#y")
        );
        assert_eq!(href("/", &Repair::RemoveSlash), None);
        // A path ending with two slashes (found by the fuzzer: `ht|p://?q` is the relative path
        // `ht|p://`) would still end with one.
        assert_eq!(href("/a//", &Repair::RemoveSlash), None);
        assert_eq!(href("ht|p://?print=1#m", &Repair::RemoveSlash), None);
        // Before a fragment written as a reference, and before trailing spaces.
        assert_eq!(
            href("/x&#35;sec", &Repair::AddSlash).as_deref(),
            Some("/x/&#35;sec")
        );
        assert_eq!(
            href(" /a/b ", &Repair::AddSlash).as_deref(),
            Some(" /a/b/ ")
        );
        // No path of its own, a dot segment, a backslash: nothing certain to do.
        for raw in ["#sec", "?q=1", "\\a\\b", "../", "/a/.."] {
            assert_eq!(href(raw, &Repair::AddSlash), None, "{raw}");
            assert_eq!(href(raw, &Repair::RemoveSlash), None, "{raw}");
        }
    }

    #[test]
    fn a_new_value_stays_inside_its_quoting() {
        let r = target("/a'b");
        assert_eq!(href_value("/x", Some('\''), &r).as_deref(), Some("/a%27b"));
        assert_eq!(
            href_value("/x?a=b", None, &Repair::AddSlash).as_deref(),
            Some("/x/?a=b")
        );
        assert_eq!(
            href_value("/x", None, &target("/a b>")).as_deref(),
            Some("/a%20b%3E")
        );
        assert_eq!(
            href_value("/x", None, &Repair::AddSlash).as_deref(),
            Some("/x/")
        );
    }

    #[test]
    fn field_texts_keep_their_form_and_read_as_the_target() {
        assert_eq!(
            field_text("Web/APi", &uri("/en-US/docs/Web/API"), "/en-US/docs").as_deref(),
            Some("Web/API")
        );
        assert_eq!(
            field_text("/Web/APi", &uri("/en-US/docs/Web/API"), "en-US/docs").as_deref(),
            Some("/Web/API")
        );
        // `a: b` would read as a URL with the scheme `a`; rooted, it is a path.
        assert_eq!(field_text("x", &uri("/a: b"), "").as_deref(), Some("/a: b"));
        assert_eq!(field_text("x", &uri("/a#b"), "").as_deref(), Some("a%23b"));
    }

    #[test]
    fn edits_touch_only_their_spans_and_never_overlap() {
        let text = "\u{FEFF}a\r\n<a href=\"/x\">";
        let at = text.find("/x").expect("href");
        let r = Repair::AddSlash;
        let wanted = [(Span::new(at, at + 2), &r), (Span::new(at, at + 2), &r)];
        let edits: Vec<Edit> = plan(text, &wanted, "")
            .into_iter()
            .map(|p| p.edit)
            .collect();
        assert_eq!(edits.len(), 1);
        assert_eq!(apply(text, &edits), "\u{FEFF}a\r\n<a href=\"/x/\">");
        let past = [(Span::new(at, text.len() + 1), &r)];
        assert!(plan(text, &past, "").is_empty());
        // Two repairs of one value make one edit.
        let text = "<a href=\"https://www.example.org/x\">";
        let at = text.find("https").expect("href");
        let span = Span::new(at, text.len() - 2);
        let rooted = Repair::RootRelative;
        let both = plan(text, &[(span, &rooted), (span, &r)], "");
        assert_eq!(both.len(), 1);
        assert_eq!(both[0].repairs, vec![0, 1]);
        assert_eq!(apply(text, &[both[0].edit.clone()]), "<a href=\"/x/\">");
    }
}
