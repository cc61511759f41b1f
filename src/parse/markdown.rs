//! Links and anchors out of a Markdown body, in the same shape `html::scan` gives for an HTML
//! one (`html::Body`), so a page is read the same way whatever its body is.
//!
//! pulldown-cmark parses the body (CommonMark, with GitHub's tables, footnotes, strikethrough
//! and task lists) with the byte range of every event. Each link's span is the exact bytes of
//! its destination as written: inside `[text](dest "title")`, inside `<dest>`, after an
//! autolink's `<`, or, for a reference-style link, in its definition `[label]: dest` (where
//! `fix` edits it; a definition several links use is one link, as it is one place to repair).
//! The href is the destination as CommonMark reads it (backslash escapes and entity references
//! decoded); a span whose bytes are not the href itself (escapes, references, or a
//! destination not found again) is not `located`, so `fix` leaves it to a person. GFM's
//! autolink literals (a bare `https://…` or `www.…` in text) are links, as remark-gfm and
//! GitHub make them. HTML in the body, inline or in blocks, goes through the HTML scanner at
//! its own offsets (its links, ids, `<base>` and `pagelint-` comments). Code spans and code
//! blocks hold no links. Headings get the ids the site's renderer makes (`parse::slug`), and
//! footnotes the ids remark-gfm, Goldmark or kramdown give them, so that links to them are
//! not broken fragments. MDX bodies are first masked (`parse::mdx`).

use crate::parse::html::{self, Body, LinkSource, RawLink};
use crate::parse::mdx;
use crate::parse::slug::{HeadingIds, Slugger};
use crate::parse::span::Span;
use markup5ever::data::NAMED_ENTITIES;
use pulldown_cmark::{CowStr, Event, LinkType, Options as ParseOptions, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

/// Components of an MDX page whose props hold links: component name → prop names
/// (`{Link: [href], Image: [src]}`), as `site.link_attributes` writes them.
pub type LinkAttributes = BTreeMap<String, Vec<String>>;

/// How a Markdown body is read.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub heading_ids: HeadingIds,
    /// The body is MDX: ESM lines, `{expressions}` and JSX components are not Markdown.
    pub mdx: bool,
    pub link_attributes: &'a LinkAttributes,
}

/// The link sources of Markdown's own syntax, and whether `fix` may edit a destination there.
pub fn is_markdown_destination(source: LinkSource) -> bool {
    matches!(
        source,
        LinkSource::MdLink
            | LinkSource::MdImage
            | LinkSource::MdDefinition
            | LinkSource::MdImageDefinition
    )
}

/// Whether the body of `text` from `start` reads as Markdown rather than as HTML kept in a
/// Markdown file (as Maxfacts's are): `Some(true)` when Markdown's own constructs (headings,
/// links, lists, emphasis, code spans and fences, quotes, tables) are at least a tenth as
/// many as its HTML blocks and inline tags, `Some(false)` when HTML outweighs them so, `None`
/// for a body with neither.
pub fn looks_like_markdown(text: &str, start: usize) -> Option<bool> {
    let body = text.get(start..)?;
    let (mut markdown, mut html) = (0usize, 0usize);
    for event in Parser::new_ext(body, parse_options(HeadingIds::Github)) {
        match event {
            Event::Start(
                Tag::Heading { .. }
                | Tag::List(_)
                | Tag::Emphasis
                | Tag::Strong
                | Tag::BlockQuote(_)
                | Tag::Table(_)
                | Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(_)),
            )
            | Event::Code(_) => markdown += 1,
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. })
                if link_type != LinkType::Autolink && link_type != LinkType::Email =>
            {
                markdown += 1
            }
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => html += 1,
            _ => {}
        }
    }
    match (markdown, html) {
        (0, 0) => None,
        (m, h) => Some(m * 10 >= h),
    }
}

/// Scan `text` (a whole file) from byte `start`, where its Markdown body begins.
pub fn scan(text: &str, start: usize, options: &Options<'_>) -> Body {
    scan_html_as(text, start, options, true)
}

/// `scan` for a renderer that drops raw HTML from Markdown (`site.raw_html: drop`, as MDX's
/// `format: 'md'` does): the links, ids and base written in HTML are not on the served page.
/// The directives in HTML comments are pagelint's own, and are still read.
pub fn scan_without_html(text: &str, start: usize, options: &Options<'_>) -> Body {
    scan_html_as(text, start, options, false)
}

fn scan_html_as(text: &str, start: usize, options: &Options<'_>, raw_html: bool) -> Body {
    let lone_cr = lone_crs_as_line_feeds(text);
    let text = lone_cr.as_deref().unwrap_or(text);
    let masked = options
        .mdx
        .then(|| mdx::mask(text, start, options.link_attributes));
    let source = masked.as_ref().map_or(text, |m| m.text.as_str());
    let mut reader = Reader {
        source,
        original: text,
        body: Body::default(),
        slugger: Slugger::new(options.heading_ids),
        scheme: options.heading_ids,
        footnotes: Default::default(),
        defined: std::collections::HashSet::new(),
        shifts: None,
        raw_html,
    };
    reader.shifts = masked.as_ref();
    reader.run(start);
    let mut body = reader.body;
    if let Some(m) = masked {
        // Back to the file's offsets (MDX lines lost their indentation), and the links and
        // ids the masking read.
        let back = |s: Span| Span::new(m.original(s.start), m.original(s.start) + s.len());
        for l in &mut body.links {
            l.span = back(l.span);
        }
        for d in &mut body.directives {
            (d.span, d.text) = (back(d.span), back(d.text));
        }
        body.links.extend(m.links);
        body.anchors.extend(m.anchors);
    }
    // Reference definitions are met after the links that use them: back in document order.
    body.links.sort_by_key(|l| l.span.start);
    body
}

/// `text` with each lone `\r` made a `\n` (the same line ending to CommonMark, and the same
/// length, so every offset holds), when it has one: with heading attributes on,
/// pulldown-cmark 0.13 runs an ATX heading ended by a lone `\r` on into the next lines
/// (pulldown-cmark#1132), and a Goldmark or kramdown site's page lost every link after its
/// first heading.
fn lone_crs_as_line_feeds(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes.get(i + 1) != Some(&b'\n');
    memchr::memchr_iter(b'\r', bytes).find(|&i| lone(i))?;
    let mut out = bytes.to_vec();
    for i in memchr::memchr_iter(b'\r', bytes) {
        if lone(i) {
            out[i] = b'\n';
        }
    }
    // One ASCII byte for another: still UTF-8.
    String::from_utf8(out).ok()
}

struct Reader<'a> {
    /// The text parsed: the file, or for MDX the file masked.
    source: &'a str,
    /// The file as written.
    original: &'a str,
    body: Body,
    slugger: Slugger,
    scheme: HeadingIds,
    /// The footnote labels referenced so far (a label's number is its place among them).
    footnotes: rustc_hash::FxHashSet<String>,
    /// Reference definitions already made links (by where they start).
    defined: std::collections::HashSet<usize>,
    /// For MDX, the masked text and how its offsets map back to the file's.
    shifts: Option<&'a mdx::Masked>,
    /// Whether raw HTML is rendered (its links and ids on the page).
    raw_html: bool,
}

/// An open link or image: where it starts, how it is written, and where its last child ends.
struct OpenLink<'e> {
    range: Range<usize>,
    image: bool,
    link_type: LinkType,
    dest: CowStr<'e>,
    id: CowStr<'e>,
    children_end: usize,
}

/// An open heading: its explicit id, the text its renderer slugs, and its raw extent.
struct OpenHeading {
    id: Option<String>,
    text: String,
    raw: Option<Range<usize>>,
}

/// A reference definition: its extent and its destination.
type Definition = (Range<usize>, String);

fn parse_options(scheme: HeadingIds) -> ParseOptions {
    let mut o = ParseOptions::ENABLE_TABLES
        | ParseOptions::ENABLE_FOOTNOTES
        | ParseOptions::ENABLE_STRIKETHROUGH
        | ParseOptions::ENABLE_TASKLISTS;
    if scheme.reads_attributes() {
        o |= ParseOptions::ENABLE_HEADING_ATTRIBUTES;
    }
    o
}

impl<'a> Reader<'a> {
    fn run(&mut self, start: usize) {
        let source = self.source;
        let Some(body_text) = source.get(start..) else {
            return;
        };
        let parser = Parser::new_ext(body_text, parse_options(self.scheme)).into_offset_iter();
        // Looked up as the parser looks labels up: Unicode case folding (`[ẞ]` is `[SS]`),
        // the same `unicase` folding pulldown-cmark keys its own map with.
        let defs: rustc_hash::FxHashMap<unicase::UniCase<String>, Definition> = parser
            .reference_definitions()
            .iter()
            .map(|(label, def)| {
                (
                    unicase::UniCase::new(label.to_owned()),
                    (
                        def.span.start + start..def.span.end + start,
                        def.dest.to_string(),
                    ),
                )
            })
            .collect();
        let def_of = |label: &str| defs.get(&unicase::UniCase::new(label.to_owned()));
        let mut links: Vec<OpenLink<'_>> = Vec::new();
        let mut heading: Option<OpenHeading> = None;
        let mut code_blocks = 0u32;
        let mut images_in_heading = 0u32;
        // A run of adjacent text outside links and code, for GFM autolink literals.
        let mut run: Option<Range<usize>> = None;
        let mut events = parser.peekable();
        while let Some((event, range)) = events.next() {
            let range = range.start + start..range.end + start;
            let closes_link = matches!(event, Event::End(TagEnd::Link | TagEnd::Image));
            if !closes_link && let Some(open) = links.last_mut() {
                open.children_end = open.children_end.max(range.end);
            }
            let is_text = matches!(event, Event::Text(_));
            if !is_text && let Some(r) = run.take() {
                self.literal_autolinks(r);
            }
            match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    id,
                    ..
                }) => links.push(OpenLink {
                    children_end: range.start + 1,
                    range,
                    image: false,
                    link_type,
                    dest: dest_url,
                    id,
                }),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    id,
                    ..
                }) => {
                    if heading.is_some() {
                        images_in_heading += 1;
                    }
                    links.push(OpenLink {
                        children_end: range.start + 2,
                        range,
                        image: true,
                        link_type,
                        dest: dest_url,
                        id,
                    })
                }
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    if let Some(open) = links.pop() {
                        if open.image && heading.is_some() {
                            images_in_heading = images_in_heading.saturating_sub(1);
                        }
                        let end = open.range.end;
                        self.link(open, &def_of);
                        if let Some(outer) = links.last_mut() {
                            outer.children_end = outer.children_end.max(end);
                        }
                    }
                }
                Event::Start(Tag::CodeBlock(_)) => code_blocks += 1,
                Event::End(TagEnd::CodeBlock) => code_blocks = code_blocks.saturating_sub(1),
                Event::Start(Tag::Heading { id, .. }) => {
                    heading = Some(OpenHeading {
                        id: id.map(|i| i.to_string()),
                        text: String::new(),
                        raw: None,
                    });
                    images_in_heading = 0;
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(h) = heading.take() {
                        self.heading(h);
                    }
                }
                Event::Start(Tag::HtmlBlock) => {
                    // The whole block at once: a tag may span its lines.
                    self.html(range.clone());
                    // Its Html events are the same bytes.
                    while let Some((e, _)) = events.peek() {
                        if matches!(e, Event::End(TagEnd::HtmlBlock)) {
                            break;
                        }
                        events.next();
                    }
                }
                Event::InlineHtml(_) | Event::Html(_) => self.html(range.clone()),
                Event::FootnoteReference(label) => self.footnote_reference(&label),
                Event::Text(ref t) | Event::Code(ref t) => {
                    if let Some(h) = heading.as_mut() {
                        let slugged = match self.scheme {
                            // hast-util-to-string: an image's alt is no text of the heading.
                            HeadingIds::Github | HeadingIds::None => images_in_heading == 0,
                            HeadingIds::Goldmark | HeadingIds::Kramdown => true,
                        };
                        if slugged {
                            self.heading_text(&mut h.text, t, range.clone());
                        }
                        h.raw = Some(match h.raw.take() {
                            Some(r) => r.start.min(range.start)..r.end.max(range.end),
                            None => range.clone(),
                        });
                    }
                    if is_text && code_blocks == 0 && links.is_empty() {
                        run = Some(match run.take() {
                            Some(r) if r.end == range.start => r.start..range.end,
                            Some(r) => {
                                self.literal_autolinks(r);
                                range.clone()
                            }
                            None => range.clone(),
                        });
                    }
                }
                _ => {}
            }
        }
        if let Some(r) = run.take() {
            self.literal_autolinks(r);
        }
    }

    /// A finished link or image: its destination, where it is written.
    fn link<'d>(&mut self, open: OpenLink<'_>, def_of: &dyn Fn(&str) -> Option<&'d Definition>) {
        let source = if open.image {
            LinkSource::MdImage
        } else {
            LinkSource::MdLink
        };
        match open.link_type {
            LinkType::Inline => {
                let found = inline_destination(self.source, open.children_end, open.range.end);
                self.push(open.dest.to_string(), found, open.range, source);
            }
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                let Some((def, dest)) = def_of(&open.id) else {
                    return;
                };
                if !self.defined.insert(def.start) {
                    return;
                }
                // (Found and copied once: a definition a million links use is one link.)
                let found = definition_destination(self.source, def.clone());
                // A definition is one link, of the kind of its first use: an image's loads
                // an asset, and a renderer treats it as an image (no locale written before it).
                let kind = if open.image {
                    LinkSource::MdImageDefinition
                } else {
                    LinkSource::MdDefinition
                };
                self.push(dest.clone(), found, def.clone(), kind);
            }
            LinkType::Autolink => {
                let r = open.range;
                let span = Span::new(r.start + 1, r.end.saturating_sub(1).max(r.start + 1));
                self.body.links.push(RawLink {
                    href: open.dest.to_string(),
                    span,
                    source: LinkSource::MdAutolink,
                    located: self.source.get(span.start..span.end) == Some(&*open.dest),
                });
            }
            LinkType::Email => {
                let r = open.range;
                self.body.links.push(RawLink {
                    href: format!("mailto:{}", open.dest),
                    span: Span::new(r.start + 1, r.end.saturating_sub(1).max(r.start + 1)),
                    source: LinkSource::MdAutolink,
                    located: false,
                });
            }
            _ => {}
        }
    }

    /// A destination `href` found at `found` (else somewhere in `whole`).
    fn push(
        &mut self,
        href: String,
        found: Option<Range<usize>>,
        whole: Range<usize>,
        source: LinkSource,
    ) {
        let (span, located) = match found {
            Some(r) => {
                // Escapes and references are for a person to rewrite: `fix` leaves them.
                let located = self.source.get(r.clone()).is_some_and(|raw| raw == href);
                (Span::new(r.start, r.end), located)
            }
            None => (Span::new(whole.start, whole.start), false),
        };
        self.body.links.push(RawLink {
            href,
            span,
            source,
            located,
        });
    }

    fn heading(&mut self, h: OpenHeading) {
        if let Some(id) = h.id {
            self.slugger.taken(&id);
            self.body.anchors.push(id);
            return;
        }
        let text = match self.scheme {
            // kramdown slugs the heading's raw text, markup and all.
            HeadingIds::Kramdown => h
                .raw
                .and_then(|r| self.source.get(r))
                .unwrap_or_default()
                .to_owned(),
            _ => h.text,
        };
        if let Some(id) = self.slugger.slug(&text)
            && !id.is_empty()
        {
            self.body.anchors.push(id);
        }
    }

    /// Add the text `t` of the event at `range` to a heading's text; in MDX, without the
    /// blanks that stand for expressions (the renderer sees no text there).
    fn heading_text(&self, out: &mut String, t: &str, range: Range<usize>) {
        let at = self.shifts.map_or(range.start, |m| m.original(range.start));
        if self.shifts.is_some()
            && self.source.get(range.clone()) == Some(t)
            && let Some(written) = self.original.get(at..at + range.len())
        {
            let masked = &self.source.as_bytes()[range];
            let mut kept = Vec::with_capacity(t.len());
            for (i, &b) in written.as_bytes().iter().enumerate() {
                if masked[i] == b {
                    kept.push(b);
                }
            }
            out.push_str(&String::from_utf8_lossy(&kept));
            return;
        }
        out.push_str(t);
    }

    /// The HTML at `range` through the HTML scanner, at its own offsets.
    fn html(&mut self, range: Range<usize>) {
        let Some(upto) = self.source.get(..range.end) else {
            return;
        };
        let found = html::scan(upto, range.start);
        self.body.directives.extend(found.directives);
        if !self.raw_html {
            return;
        }
        self.body.links.extend(found.links);
        self.body.anchors.extend(found.anchors);
        if self.body.base.is_none() {
            self.body.base = found.base;
        }
    }

    fn footnote_reference(&mut self, label: &str) {
        // Numbered in the order first referenced; a later reference to the same label adds
        // no id (a set, not a list searched per reference: a page of 100,000 of them).
        if !self.footnotes.insert(label.to_owned()) {
            return;
        }
        let n = self.footnotes.len();
        let safe = footnote_id(label);
        // The reference's id and the definition's, whether it comes before or after.
        let ids = match self.scheme {
            HeadingIds::Github | HeadingIds::None => [
                "footnote-label".to_owned(),
                format!("user-content-fnref-{safe}"),
                format!("user-content-fn-{safe}"),
            ]
            .to_vec(),
            HeadingIds::Goldmark => vec![format!("fnref:{n}"), format!("fn:{n}")],
            HeadingIds::Kramdown => vec![format!("fnref:{label}"), format!("fn:{label}")],
        };
        self.body.anchors.extend(ids);
    }

    /// GFM autolink literals in the text at `range` (`https://…`, `http://…`, `www.…`).
    fn literal_autolinks(&mut self, range: Range<usize>) {
        let Some(text) = self.source.get(range.clone()) else {
            return;
        };
        for (at, len, href) in literal_urls(self.source, range.start, text) {
            self.body.links.push(RawLink {
                href,
                span: Span::new(at, at + len),
                source: LinkSource::MdAutolink,
                located: true,
            });
        }
    }
}

/// A footnote label as remark-gfm writes it in ids: lower-cased, and percent-encoded where a
/// URL would need it (`normalizeUri`).
fn footnote_id(label: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'!')
        .remove(b'$')
        .remove(b'&')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b'*')
        .remove(b'+')
        .remove(b',')
        .remove(b';')
        .remove(b'=')
        .remove(b':')
        .remove(b'@')
        .remove(b'/')
        .remove(b'?')
        .remove(b'#');
    percent_encoding::utf8_percent_encode(&label.to_lowercase(), KEEP).to_string()
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The bytes of an inline link's destination: after the `](` that follows its text (whose
/// last child ends at `from`), up to the link's end.
pub fn inline_destination(src: &str, from: usize, end: usize) -> Option<Range<usize>> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < end {
        if bytes[i] == b']' && bytes.get(i + 1) == Some(&b'(') {
            break;
        }
        i += 1;
    }
    if i >= end {
        return None;
    }
    destination_at(bytes, i + 2, end)
}

/// The destination starting at `i` (after optional whitespace, one line break at most), before
/// `end`: `<…>` or a run of non-space bytes with balanced parentheses.
fn destination_at(bytes: &[u8], i: usize, end: usize) -> Option<Range<usize>> {
    let i = skip_to_destination(bytes, i, end);
    if i >= end {
        return Some(i..i);
    }
    if bytes[i] == b'<' {
        let start = i + 1;
        let mut j = start;
        while j < end {
            match bytes[j] {
                b'\\' => j += 2,
                b'>' => return Some(start..j),
                b'\n' | b'<' => return None,
                _ => j += 1,
            }
        }
        return None;
    }
    let start = i;
    let mut depth = 0usize;
    let mut j = start;
    while j < end {
        match bytes[j] {
            b'\\' if j + 1 < end && bytes[j + 1].is_ascii_punctuation() => j += 2,
            b'(' => {
                depth += 1;
                j += 1;
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                j += 1;
            }
            b if b <= b' ' => break,
            _ => j += 1,
        }
    }
    Some(start..j.min(end))
}

/// Past the whitespace before a destination from `i`, and after a line break past the
/// continuation line's block quote markers (`> `, up to three spaces before each): inside a
/// quote, `[a](` may end a line and its destination start the next, after the `>`.
fn skip_to_destination(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && is_space(bytes[i]) {
        let line_break =
            bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        i += 1;
        if line_break {
            loop {
                let spaces = bytes[i..end]
                    .iter()
                    .take(3)
                    .take_while(|&&b| b == b' ')
                    .count();
                if bytes.get(i + spaces) != Some(&b'>') || i + spaces >= end {
                    break;
                }
                i += spaces + 1;
                if i < end && matches!(bytes[i], b' ' | b'\t') {
                    i += 1;
                }
            }
        }
    }
    i
}

/// The bytes of a reference definition's destination, in the definition at `def`.
pub fn definition_destination(src: &str, def: Range<usize>) -> Option<Range<usize>> {
    let bytes = src.as_bytes();
    let end = def.end.min(bytes.len());
    let mut i = def.start;
    while i < end && bytes[i] != b'[' {
        i += 1;
    }
    i += 1;
    while i < end {
        match bytes[i] {
            b'\\' => i += 2,
            b']' => break,
            _ => i += 1,
        }
    }
    if bytes.get(i + 1) != Some(&b':') {
        return None;
    }
    destination_at(bytes, i + 2, end)
}

/// A link destination as CommonMark reads it: backslash escapes of ASCII punctuation and
/// entity and numeric character references decoded.
pub fn decode_destination(raw: &str) -> String {
    if !raw.contains(['\\', '&']) {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if c == '\\'
            && let Some(next) = rest[1..].chars().next()
            && next.is_ascii_punctuation()
        {
            out.push(next);
            rest = &rest[2..];
            continue;
        }
        if c == '&'
            && let Some((decoded, used)) = entity(&rest[1..])
        {
            out.push_str(&decoded);
            rest = &rest[1 + used..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A CommonMark entity or numeric character reference after `&` (it must end with `;`):
/// what it stands for, and how many bytes it used.
fn entity(rest: &str) -> Option<(String, usize)> {
    let semi = rest.as_bytes().iter().take(40).position(|&b| b == b';')?;
    let name = &rest[..semi];
    if let Some(num) = name.strip_prefix('#') {
        let (digits, radix, max) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 6),
            None => (num, 10, 7),
        };
        if digits.is_empty() || digits.len() > max || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let code = u32::from_str_radix(digits, radix).ok()?;
        let c = match code {
            0 => '\u{FFFD}',
            _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
        };
        return Some((c.to_string(), semi + 1));
    }
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let &(c1, c2) = NAMED_ENTITIES.get(&rest[..semi + 1])?;
    if c1 == 0 {
        return None;
    }
    let mut s = String::new();
    s.extend(char::from_u32(c1));
    if c2 != 0 {
        s.extend(char::from_u32(c2));
    }
    Some((s, semi + 1))
}

/// The searchers for autolink literals, built once (building one per text run costs more
/// than the search).
static SCHEME_END: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"://"));
static WWW: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"www."));

/// The GFM extended autolinks in `text` (at offset `base` of `src`): each one's offset,
/// length and href (`www.` links get `http://`, as GitHub and remark-gfm give them).
pub fn literal_urls(src: &str, base: usize, text: &str) -> Vec<(usize, usize, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Candidates are found by `://` and `www.` (rare in prose), not by every `h` and `w`;
    // each search's next hit is kept until passed, so the text is searched once for each.
    // `usize::MAX`: no more hits. `0` before the first search.
    let (mut colon_at, mut www_at) = (0usize, 0usize);
    let mut searched = false;
    let mut i = 0;
    while i < bytes.len() {
        let next = |finder: &memchr::memmem::Finder<'_>| {
            finder.find(&bytes[i..]).map_or(usize::MAX, |k| i + k)
        };
        if !searched || (colon_at != usize::MAX && colon_at < i) {
            colon_at = next(&SCHEME_END);
        }
        if !searched || (www_at != usize::MAX && www_at < i) {
            www_at = next(&WWW);
        }
        searched = true;
        let colon = (colon_at != usize::MAX).then_some(colon_at);
        let www = (www_at != usize::MAX).then_some(www_at);
        let first_colon = colon.filter(|&c| www.is_none_or(|w| c < w));
        let (at, scheme) = if let Some(c) = first_colon {
            let lower = |from: usize, word: &[u8]| {
                bytes
                    .get(from..c)
                    .is_some_and(|s| s.eq_ignore_ascii_case(word))
            };
            if c >= 5 && lower(c - 5, b"https") {
                (c - 5, 8)
            } else if c >= 4 && lower(c - 4, b"http") {
                (c - 4, 7)
            } else {
                i = c + 3;
                continue;
            }
        } else if let Some(w) = www {
            (w, 0)
        } else {
            break;
        };
        if at < i {
            // A scheme inside the autolink just found.
            i = at + scheme.max(4);
            continue;
        }
        // GFM: at the start of a line, after whitespace, or after `*`, `_`, `~` or `(`.
        let before = if at == 0 {
            src.as_bytes().get((base + at).wrapping_sub(1)).copied()
        } else {
            Some(bytes[at - 1])
        };
        let boundary = before.is_none_or(|b| is_space(b) || b"*_~(".contains(&b));
        let next = at + scheme.max(4);
        if !boundary {
            i = next;
            continue;
        }
        // The domain first (its characters only), so a run of schemes without one is skipped
        // at once, not scanned to its end each time.
        let domain = text[at + scheme..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .map_or(text.len(), |k| at + scheme + k);
        // A period that ends the domain is the sentence's, not the domain's.
        if !valid_domain(text[at + scheme..domain].trim_end_matches('.')) {
            i = next;
            continue;
        }
        let end = at + url_end(&text[at..], scheme);
        if end > at + scheme {
            let raw = &text[at..end];
            let href = if scheme == 0 {
                format!("http://{raw}")
            } else {
                raw.to_owned()
            };
            out.push((base + at, end - at, href));
            i = end;
        } else {
            i = next;
        }
    }
    out
}

/// How long the extended autolink starting `text` is (with its `scheme_len`-byte scheme):
/// up to whitespace or `<`, less trailing punctuation, unbalanced `)` and a trailing entity.
fn url_end(text: &str, scheme_len: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = scheme_len;
    while end < bytes.len() && !is_space(bytes[end]) && bytes[end] != b'<' {
        end += 1;
    }
    while end < bytes.len() && !text.is_char_boundary(end) {
        end -= 1;
    }
    // Parentheses counted once, then as each `)` is trimmed: linear in the URL.
    let mut open = text[..end].matches('(').count();
    let mut close = text[..end].matches(')').count();
    loop {
        let s = &text[..end];
        let Some(last) = s.bytes().last() else {
            return end;
        };
        let trailing_punctuation = b"?!.,:*_~'\"".contains(&last);
        let unbalanced = last == b')' && close > open;
        if trailing_punctuation || unbalanced {
            if last == b')' {
                close -= 1;
            }
            if last == b'(' {
                open -= 1;
            }
            end -= 1;
        } else if last == b';'
            && let Some(amp) = s.rfind('&')
            && amp + 2 < end
            && s[amp + 1..end - 1]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric())
        {
            end = amp;
        } else {
            return end;
        }
        if end <= scheme_len {
            return end;
        }
    }
}

/// GFM's valid domain: segments of alphanumerics, `_` and `-` separated by periods, at least
/// one period, and no `_` in the last two segments.
fn valid_domain(rest: &str) -> bool {
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let host = host.split(':').next().unwrap_or(host);
    let segments: Vec<&str> = host.split('.').collect();
    if segments.len() < 2 || segments.iter().any(|s| s.is_empty()) {
        return false;
    }
    let ok = |s: &&str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    };
    segments.iter().all(ok) && segments.iter().rev().take(2).all(|s| !s.contains('_'))
}

#[cfg(test)]
mod tests;
