//! Links and anchors out of an HTML body, with the exact byte span of every attribute value.
//!
//! A link checker needs no tree: it needs each URL an element follows or loads (`a[href]`,
//! `img[src]`, each `srcset` candidate…, as `parse::elements` lists them), each `id` and each
//! `a[name]`, the first `<base href>`, and whether a tag lies inside a `<template>` (whose ids
//! are no anchors); and it needs to know exactly which bytes of the file hold a value (diagnostics point at them and
//! `pagelint fix` rewrites them). No HTML library keeps source positions, so this module is a
//! small scanner that follows the WHATWG tokenizer's states for everything that decides what is
//! markup: comments, doctypes, bogus comments, raw-text elements (`script`, `style`, …),
//! quoted, unquoted and valueless attributes, duplicate attributes (the first wins) and
//! character references in attribute values (with html5ever's entity table). The test suite
//! checks it against scraper/html5ever on every fixture and on the real corpus.
//!
//! It also keeps the comments whose text starts with `pagelint-` (suppression directives, read
//! by `parse::suppression`), and only those: a comment inside raw text (`<script>`, `<style>`,
//! `<textarea>`, `<title>`…) is text, not a comment, exactly as for links.

use crate::parse::elements::{self, Holds, Tag};
use crate::parse::span::Span;
use crate::parse::srcset;
use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

/// Which element and attribute a link came from (`parse::elements` says which these are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkSource {
    AHref,
    AreaHref,
    /// A front-matter field named in `site.link_fields`.
    Field,
    /// The front-matter field that makes the page a redirect (`site.redirect_field`).
    Redirect,
    ImgSrc,
    SourceSrc,
    /// `link[href]` loading a resource (a stylesheet, an icon…), or of no known type.
    LinkHref,
    ScriptSrc,
    VideoSrc,
    VideoPoster,
    AudioSrc,
    /// One candidate of an `img[srcset]`.
    ImgSrcset,
    /// One candidate of a `source[srcset]`.
    SourceSrcset,
    /// One candidate of a `link[imagesrcset]`.
    LinkImagesrcset,
    TrackSrc,
    EmbedSrc,
    ObjectData,
    /// `input[type=image][src]`.
    InputSrc,
    /// `iframe[src]`: a page shown inside this one.
    IframeSrc,
    /// `link[href]` of a hyperlink type (`canonical`, `alternate`, `next`…): a page.
    LinkHrefPage,
    /// A Markdown inline link, `[text](dest)`.
    MdLink,
    /// A Markdown inline image, `![alt](src)`.
    MdImage,
    /// A Markdown reference definition, `[label]: dest`, that a link uses (first).
    MdDefinition,
    /// A Markdown autolink: `<https://…>`, or a GFM autolink literal in text.
    MdAutolink,
    /// A prop of an MDX component listed in `site.link_attributes`.
    ComponentProp,
    /// A Markdown reference definition that an image uses (first): `![alt][label]`.
    MdImageDefinition,
}

impl LinkSource {
    pub fn selector(self) -> &'static str {
        match self {
            LinkSource::AHref => "a[href]",
            LinkSource::AreaHref => "area[href]",
            LinkSource::Field => "front matter",
            LinkSource::Redirect => "redirect",
            LinkSource::ImgSrc => "img[src]",
            LinkSource::SourceSrc => "source[src]",
            LinkSource::LinkHref | LinkSource::LinkHrefPage => "link[href]",
            LinkSource::ScriptSrc => "script[src]",
            LinkSource::VideoSrc => "video[src]",
            LinkSource::VideoPoster => "video[poster]",
            LinkSource::AudioSrc => "audio[src]",
            LinkSource::ImgSrcset => "img[srcset]",
            LinkSource::SourceSrcset => "source[srcset]",
            LinkSource::LinkImagesrcset => "link[imagesrcset]",
            LinkSource::TrackSrc => "track[src]",
            LinkSource::EmbedSrc => "embed[src]",
            LinkSource::ObjectData => "object[data]",
            LinkSource::InputSrc => "input[src]",
            LinkSource::IframeSrc => "iframe[src]",
            LinkSource::MdLink => "markdown link",
            LinkSource::MdImage => "markdown image",
            LinkSource::MdDefinition => "markdown link definition",
            LinkSource::MdAutolink => "markdown autolink",
            LinkSource::ComponentProp => "component prop",
            LinkSource::MdImageDefinition => "markdown image definition",
        }
    }

    /// Whether this source loads an asset (an image, a script…) rather than a page.
    pub fn loads_asset(self) -> bool {
        !matches!(
            self,
            LinkSource::AHref
                | LinkSource::AreaHref
                | LinkSource::Field
                | LinkSource::Redirect
                | LinkSource::IframeSrc
                | LinkSource::LinkHrefPage
                | LinkSource::MdLink
                | LinkSource::MdDefinition
                | LinkSource::MdAutolink
                | LinkSource::ComponentProp
        )
    }
}

/// One link: the decoded attribute value and the span of its raw bytes in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLink {
    pub href: String,
    pub span: Span,
    pub source: LinkSource,
    /// Whether `span` holds exactly the bytes `href` was read from (always, in HTML; in
    /// Markdown, unless the destination could not be found again in its link).
    pub located: bool,
}

/// A comment whose text starts with `pagelint-` (after whitespace): a directive to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectiveComment {
    /// The whole comment, `<!--` to `-->`.
    pub span: Span,
    /// Its text, between `<!--` and `-->` (as the tokenizer's comment data).
    pub text: Span,
}

/// What a body holds for the link rules.
#[derive(Debug, Default, Clone)]
pub struct Body {
    pub links: Vec<RawLink>,
    /// Every `id` and every `a[name]`, in document order (duplicates kept), except those
    /// inside a `<template>`: template contents are not in the document tree (WHATWG HTML
    /// § 4.12.3), so no fragment can indicate them (§ 7.4.6.4, "find a potential indicated
    /// element" looks in the document tree).
    pub anchors: Vec<String>,
    /// The decoded `href` of the first `<base href>` outside templates: what relative links
    /// resolve against (§ 2.4.1 "document base URL": "the first base element with an href
    /// attribute in tree order").
    pub base: Option<String>,
    /// The `pagelint-` comments, in document order (terminated comments only).
    pub directives: Vec<DirectiveComment>,
}

/// What a comment's text starts with (after whitespace) to be kept as a directive.
pub const DIRECTIVE_PREFIX: &str = "pagelint-";

/// Scan `text` (a whole file), starting at byte `start` (where the body begins).
pub fn scan(text: &str, start: usize) -> Body {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        pos: start,
        body: Body::default(),
        attrs: Vec::new(),
        names: std::collections::HashSet::new(),
        templates: 0,
    };
    scanner.run();
    scanner.body
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    body: Body,
    /// Reused for every tag's attributes.
    attrs: Vec<Attr>,
    /// The names (lowercased) of a tag's attributes once it has more than `FEW_ATTRIBUTES`,
    /// so that dropping duplicates stays linear on a tag of 100,000 attributes. SipHash, not
    /// FxHash: the names are the page's, and may be chosen to collide.
    names: std::collections::HashSet<Vec<u8>>,
    /// How many `<template>` elements are open here.
    templates: u32,
}

/// Up to this many attributes, a duplicate is found by comparing with each (no allocation).
const FEW_ATTRIBUTES: usize = 16;

/// An attribute as the tokenizer sees it: the spans of its name and raw value.
struct Attr {
    name: Span,
    value: Span,
}

/// Elements whose content is text, not markup, up to their end tag.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
];

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

impl<'a> Scanner<'a> {
    fn run(&mut self) {
        while let Some(i) = memchr::memchr(b'<', &self.bytes[self.pos..]) {
            self.pos += i + 1;
            let Some(&next) = self.bytes.get(self.pos) else {
                return;
            };
            match next {
                b'!' => self.markup_declaration(),
                b'/' => self.end_tag(),
                b'?' => self.bogus_comment(),
                b if b.is_ascii_alphabetic() => self.start_tag(),
                _ => {}
            }
        }
    }

    /// After `<!`: a comment, or a doctype/CDATA/other treated as a bogus comment.
    fn markup_declaration(&mut self) {
        let rest = &self.bytes[self.pos + 1..];
        if rest.starts_with(b"--") {
            let open = self.pos - 1;
            self.pos += 3;
            // `<!-->` and `<!--->` end at once (abrupt closing of empty comment).
            let rest = &self.bytes[self.pos..];
            if rest.starts_with(b">") {
                self.pos += 1;
                return;
            }
            if rest.starts_with(b"->") {
                self.pos += 2;
                return;
            }
            let mut from = self.pos;
            loop {
                match memchr::memmem::find(&self.bytes[from..], b"--") {
                    None => {
                        self.pos = self.bytes.len();
                        return;
                    }
                    Some(i) => {
                        let mut j = from + i + 2;
                        // Any run of dashes may precede the closing `>`; `--!>` also closes.
                        while self.bytes.get(j) == Some(&b'-') {
                            j += 1;
                        }
                        let end = match self.bytes.get(j) {
                            Some(b'>') => j + 1,
                            Some(b'!') if self.bytes.get(j + 1) == Some(&b'>') => j + 2,
                            _ => {
                                from = j;
                                continue;
                            }
                        };
                        // The data ends before the last two dashes (`<!-- a --->` holds " a -").
                        self.directive(Span::new(open, end), Span::new(self.pos, j - 2));
                        self.pos = end;
                        return;
                    }
                }
            }
        } else {
            self.bogus_comment();
        }
    }

    /// Keep a comment if its text is a pagelint directive.
    fn directive(&mut self, span: Span, text: Span) {
        let data = &self.bytes[text.start..text.end];
        let lead = data.iter().take_while(|&&b| is_space(b)).count();
        if data[lead..].starts_with(DIRECTIVE_PREFIX.as_bytes()) {
            self.body.directives.push(DirectiveComment { span, text });
        }
    }

    /// Everything up to the next `>` is a comment.
    fn bogus_comment(&mut self) {
        self.pos = match memchr::memchr(b'>', &self.bytes[self.pos..]) {
            Some(i) => self.pos + i + 1,
            None => self.bytes.len(),
        };
    }

    /// After `</`.
    fn end_tag(&mut self) {
        self.pos += 1;
        match self.bytes.get(self.pos) {
            Some(b) if b.is_ascii_alphabetic() => {
                // An end tag's attributes are parsed and dropped.
                let name = self.tag_name();
                if self.templates > 0 && Tag::of(name) == Tag::Template {
                    self.templates -= 1;
                }
                let mut ignored = Vec::new();
                self.attributes(&mut ignored);
            }
            Some(b'>') => self.pos += 1,
            Some(_) => self.bogus_comment(),
            None => {}
        }
    }

    /// The tag name's bytes (compared case-insensitively: no allocation per tag).
    fn tag_name(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            if is_space(b) || b == b'/' || b == b'>' {
                break;
            }
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    fn bytes_of(&self, span: Span) -> &'a [u8] {
        &self.bytes[span.start..span.end]
    }

    /// An attribute's value, decoded.
    fn value_of(&self, attr: &Attr) -> String {
        decode_attribute(&self.text[attr.value.start..attr.value.end])
    }

    /// The tag's attribute named `name`, if it has one.
    fn attribute<'t>(&self, attrs: &'t [Attr], name: &[u8]) -> Option<&'t Attr> {
        attrs
            .iter()
            .find(|a| self.bytes_of(a.name).eq_ignore_ascii_case(name))
    }

    /// Each candidate URL of a srcset value, at the span of its own raw bytes.
    fn srcset(&mut self, value: Span, source: LinkSource) {
        let raw = &self.text[value.start..value.end];
        if !raw.contains('&') {
            for r in srcset::candidates(raw) {
                self.body.links.push(RawLink {
                    href: raw[r.clone()].to_owned(),
                    span: Span::new(value.start + r.start, value.start + r.end),
                    source,
                    located: true,
                });
            }
            return;
        }
        // Separators may be written as character references: split the decoded value, and
        // map each URL back to the raw bytes it came from.
        let (decoded, raw_at) = decode_with_offsets(raw);
        for r in srcset::candidates(&decoded) {
            self.body.links.push(RawLink {
                href: decoded[r.clone()].to_owned(),
                span: Span::new(value.start + raw_at[r.start], value.start + raw_at[r.end]),
                source,
                located: true,
            });
        }
    }

    /// After `<` and a letter.
    fn start_tag(&mut self) {
        let name = self.tag_name();
        let mut attrs = std::mem::take(&mut self.attrs);
        attrs.clear();
        if !self.attributes(&mut attrs) {
            self.attrs = attrs;
            return; // EOF inside a tag: the tokenizer emits nothing.
        }
        let tag = Tag::of(name);
        let in_template = self.templates > 0;
        for attr in &attrs {
            let attr_name = self.bytes_of(attr.name);
            if attr_name.eq_ignore_ascii_case(b"id")
                || (tag == Tag::A && attr_name.eq_ignore_ascii_case(b"name"))
            {
                if !in_template {
                    let value = self.value_of(attr);
                    if !value.is_empty() {
                        self.body.anchors.push(value);
                    }
                }
                continue;
            }
            if tag == Tag::Base && attr_name.eq_ignore_ascii_case(b"href") {
                if !in_template && self.body.base.is_none() {
                    self.body.base = Some(self.value_of(attr));
                }
                continue;
            }
            let source = match elements::url_attribute(tag, attr_name) {
                None => continue,
                Some(Holds::Srcset(source)) => {
                    self.srcset(attr.value, source);
                    continue;
                }
                Some(Holds::Url(LinkSource::LinkHref)) => {
                    let rel = self.attribute(&attrs, b"rel").map(|a| self.value_of(a));
                    elements::link_source(rel.as_deref())
                }
                // An input loads its src only as an image button (§ 4.10.5.1.18).
                Some(Holds::Url(LinkSource::InputSrc)) => {
                    let image = self
                        .attribute(&attrs, b"type")
                        .is_some_and(|a| self.value_of(a).eq_ignore_ascii_case("image"));
                    if !image {
                        continue;
                    }
                    LinkSource::InputSrc
                }
                Some(Holds::Url(source)) => source,
            };
            self.body.links.push(RawLink {
                href: self.value_of(attr),
                span: attr.value,
                source,
                located: true,
            });
        }
        if tag == Tag::Template {
            self.templates += 1;
        }
        self.attrs = attrs;
        if name.eq_ignore_ascii_case(b"plaintext") {
            self.pos = self.bytes.len();
        } else if let Some(raw) = RAW_TEXT
            .iter()
            .find(|raw| name.eq_ignore_ascii_case(raw.as_bytes()))
        {
            self.skip_raw_text(raw);
        }
    }

    /// Skip the content of a raw-text element up to (not including) its end tag.
    fn skip_raw_text(&mut self, name: &str) {
        let mut from = self.pos;
        while let Some(i) = memchr::memmem::find(&self.bytes[from..], b"</") {
            let at = from + i;
            let after = at + 2 + name.len();
            let candidate = self.bytes.get(at + 2..after);
            if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes()))
                && self
                    .bytes
                    .get(after)
                    .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
            {
                self.pos = at;
                return;
            }
            from = at + 2;
        }
        self.pos = self.bytes.len();
    }

    /// Attributes up to and including the tag's `>`; false if the file ends first.
    fn attributes(&mut self, attrs: &mut Vec<Attr>) -> bool {
        loop {
            // Before attribute name: whitespace and stray slashes.
            while let Some(&b) = self.bytes.get(self.pos) {
                if is_space(b) || b == b'/' {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            match self.bytes.get(self.pos) {
                None => return false,
                Some(b'>') => {
                    self.pos += 1;
                    return true;
                }
                Some(_) => {}
            }
            // Attribute name: a leading `=` belongs to the name.
            let name_start = self.pos;
            self.pos += 1;
            while let Some(&b) = self.bytes.get(self.pos) {
                if is_space(b) || b == b'/' || b == b'>' || b == b'=' {
                    break;
                }
                self.pos += 1;
            }
            let name = Span::new(name_start, self.pos);
            while self.bytes.get(self.pos).is_some_and(|&b| is_space(b)) {
                self.pos += 1;
            }
            let value = if self.bytes.get(self.pos) == Some(&b'=') {
                self.pos += 1;
                while self.bytes.get(self.pos).is_some_and(|&b| is_space(b)) {
                    self.pos += 1;
                }
                match self.bytes.get(self.pos) {
                    None => return false,
                    Some(&q @ (b'"' | b'\'')) => {
                        let start = self.pos + 1;
                        match memchr::memchr(q, &self.bytes[start..]) {
                            None => return false,
                            Some(i) => {
                                self.pos = start + i + 1;
                                Span::new(start, start + i)
                            }
                        }
                    }
                    // `a=>`: a missing value; the `>` ends the tag.
                    Some(b'>') => Span::new(self.pos, self.pos),
                    Some(_) => {
                        let start = self.pos;
                        while let Some(&b) = self.bytes.get(self.pos) {
                            if is_space(b) || b == b'>' {
                                break;
                            }
                            self.pos += 1;
                        }
                        Span::new(start, self.pos)
                    }
                }
            } else {
                Span::new(self.pos, self.pos)
            };
            if self.is_new_attribute(attrs, name) {
                attrs.push(Attr { name, value });
            }
        }
    }

    /// Whether no attribute of `attrs` is named `name` (a duplicate is dropped: the first one
    /// wins). Past `FEW_ATTRIBUTES`, the names are looked up in a set, not compared one by one.
    fn is_new_attribute(&mut self, attrs: &[Attr], name: Span) -> bool {
        let new_name = self.bytes_of(name);
        if attrs.len() < FEW_ATTRIBUTES {
            return !attrs
                .iter()
                .any(|a| self.bytes_of(a.name).eq_ignore_ascii_case(new_name));
        }
        if attrs.len() == FEW_ATTRIBUTES {
            self.names.clear();
            for a in attrs {
                self.names
                    .insert(self.bytes_of(a.name).to_ascii_lowercase());
            }
        }
        self.names.insert(new_name.to_ascii_lowercase())
    }
}

/// Decode character references in an attribute value, as the tokenizer does.
pub fn decode_attribute(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'&', &bytes[i..]) {
        out.push_str(&raw[i..i + k]);
        i += k;
        let (decoded, used) = char_ref(&raw[i + 1..]);
        if used == 0 {
            out.push('&');
            i += 1;
        } else {
            out.push_str(&decoded);
            i += 1 + used;
        }
    }
    out.push_str(&raw[i..]);
    out
}

/// `decode_attribute`, and for each byte of the result (and its end) the offset in `raw` of
/// what it was decoded from.
pub fn decode_with_offsets(raw: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(raw.len());
    let mut offsets = Vec::with_capacity(raw.len() + 1);
    let mut i = 0;
    while let Some(c) = raw[i..].chars().next() {
        if c == '&' {
            let (decoded, used) = char_ref(&raw[i + 1..]);
            if used > 0 {
                out.push_str(&decoded);
                offsets.extend(std::iter::repeat_n(i, decoded.len()));
                i += 1 + used;
                continue;
            }
        }
        out.push(c);
        offsets.extend(i..i + c.len_utf8());
        i += c.len_utf8();
    }
    offsets.push(raw.len());
    (out, offsets)
}

/// A character reference after `&` in an attribute value: the text and the bytes it used
/// (0 when the `&` is literal).
fn char_ref(rest: &str) -> (String, usize) {
    let bytes = rest.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (hex, digits_from) = match bytes.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits = bytes[digits_from..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return (String::new(), 0);
        }
        let text = &rest[digits_from..digits_from + digits];
        let code = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let mut used = digits_from + digits;
        if bytes.get(used) == Some(&b';') {
            used += 1;
        }
        return (numeric_char(code).to_string(), used);
    }
    // Named: the longest name in the table that the text starts with.
    let mut best: Option<(usize, (u32, u32))> = None;
    let mut end = 0;
    while end < bytes.len() && end < 40 {
        end += 1;
        if !rest.is_char_boundary(end) {
            break;
        }
        match NAMED_ENTITIES.get(&rest[..end]) {
            None => break,
            Some(&(0, _)) => {}
            Some(&value) => best = Some((end, value)),
        }
    }
    let Some((used, (c1, c2))) = best else {
        return (String::new(), 0);
    };
    // In attributes, a legacy reference without `;` followed by `=` or an alphanumeric is text.
    if !rest[..used].ends_with(';')
        && bytes
            .get(used)
            .is_some_and(|&b| b == b'=' || b.is_ascii_alphanumeric())
    {
        return (String::new(), 0);
    }
    let mut s = String::new();
    s.extend(char::from_u32(c1));
    if c2 != 0 {
        s.extend(char::from_u32(c2));
    }
    (s, used)
}

fn numeric_char(code: u32) -> char {
    match code {
        0 => '\u{FFFD}',
        0x80..=0x9F => C1_REPLACEMENTS[(code - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(code).unwrap_or('\u{FFFD}')),
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(html: &str) -> Vec<(String, &str)> {
        scan(html, 0)
            .links
            .into_iter()
            .map(|l| (l.href, &html[l.span.start..l.span.end]))
            .collect()
    }

    #[test]
    fn spans_cover_the_raw_value_in_every_quoting_style() {
        let html =
            "<a href=\"/x\">1</a><A HREF='/y'>2</a><a href=/z>3</a><a\nclass=c\n  href = \"/w\">";
        assert_eq!(
            links(html),
            vec![
                ("/x".into(), "/x"),
                ("/y".into(), "/y"),
                ("/z".into(), "/z"),
                ("/w".into(), "/w")
            ]
        );
    }

    #[test]
    fn entities_are_decoded_but_spans_stay_raw() {
        // In attributes a legacy name without `;` before `=` or an alphanumeric stays text
        // (`&copy=3`, `&notit;`), but is decoded before anything else (`&not `).
        let html = r#"<a href="/a?x=1&amp;y=2&copy=3&#x41;&#65&notit;&not x&#0;&#x80;">"#;
        assert_eq!(
            links(html),
            vec![(
                "/a?x=1&y=2&copy=3AA&notit;¬ x\u{FFFD}€".into(),
                "/a?x=1&amp;y=2&copy=3&#x41;&#65&notit;&not x&#0;&#x80;"
            )]
        );
    }

    #[test]
    fn comments_scripts_and_raw_text_hide_markup() {
        let html = r#"<!-- <a href="/c"> --><script>var s = '<a href="/s">';</script ><style>a{}</style>
<textarea><a href="/t"></textarea><!----><!--->--><a href="/real">"#;
        assert_eq!(links(html), vec![("/real".into(), "/real")]);
    }

    #[test]
    fn pagelint_comments_are_kept_with_their_spans_and_text() {
        let html = "<!-- pagelint-disable a --><!--\n pagelint-enable a --!><!-- pagelint-x --->\
                    <!-- other --><!----><!-->\
                    <script><!-- pagelint-disable b --></script><!-- pagelint-disable c";
        let found: Vec<(&str, &str)> = scan(html, 0)
            .directives
            .iter()
            .map(|c| {
                (
                    &html[c.span.start..c.span.end],
                    &html[c.text.start..c.text.end],
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("<!-- pagelint-disable a -->", " pagelint-disable a "),
                ("<!--\n pagelint-enable a --!>", "\n pagelint-enable a "),
                ("<!-- pagelint-x --->", " pagelint-x -"),
            ]
        );
    }

    #[test]
    fn anchors_are_ids_and_a_names() {
        let body = scan(
            r#"<h1 id="one">x</h1><a name="two"></a><div name="no"></div><p id="">"#,
            0,
        );
        assert_eq!(body.anchors, vec!["one", "two"]);
    }

    #[test]
    fn first_duplicate_attribute_wins_and_unterminated_tags_vanish() {
        assert_eq!(
            links(r#"<a href="/1" href="/2">"#),
            vec![("/1".into(), "/1")]
        );
        assert!(links(r#"<a href="/1""#).is_empty());
    }

    #[test]
    fn duplicates_are_dropped_among_many_attributes() {
        // Past the few compared one by one, the set decides: still the first wins, in any case.
        let many: String = (0..40).map(|i| format!(" a{i}=x")).collect();
        let html = format!(r#"<a{many} href="/1" A7=y HREF="/2" a39=z>"#);
        assert_eq!(links(&html), vec![("/1".into(), "/1")]);
        let html = format!(r#"<img{many} src="/i.png" srcset="/s.png 2x" SRC="/j.png">"#);
        let got: Vec<String> = links(&html).into_iter().map(|l| l.0).collect();
        assert_eq!(got, ["/i.png", "/s.png"]);
    }

    fn sourced(html: &str) -> Vec<(&'static str, String, &str)> {
        scan(html, 0)
            .links
            .into_iter()
            .map(|l| (l.source.selector(), l.href, &html[l.span.start..l.span.end]))
            .collect()
    }

    #[test]
    fn each_srcset_candidate_is_a_link_at_its_own_bytes() {
        let html = r#"<img srcset="/a.png 1x,/b,c.png 2x, /d.png 100w"><source srcset='/e.png&#44; /f&amp;g.png 2x'>"#;
        assert_eq!(
            sourced(html),
            vec![
                ("img[srcset]", "/a.png".into(), "/a.png"),
                ("img[srcset]", "/b,c.png".into(), "/b,c.png"),
                ("img[srcset]", "/d.png".into(), "/d.png"),
                ("source[srcset]", "/e.png".into(), "/e.png"),
                ("source[srcset]", "/f&g.png".into(), "/f&amp;g.png"),
            ]
        );
    }

    #[test]
    fn every_url_an_element_loads_is_found() {
        let html = r#"<link rel=canonical href="/page"><link rel="icon" href="/i.ico">
<link rel=preload as=image imagesrcset="/p.png 2x"><track src="/t.vtt"><embed src="/e.swf">
<object data="/o.svg"></object><input type=IMAGE src="/btn.png"><input type=text src="/no">
<iframe src="/frame"></iframe><form action="/no"></form><q cite="/no"></q>"#;
        let found: Vec<(&str, String)> = scan(html, 0)
            .links
            .into_iter()
            .map(|l| (l.source.selector(), l.href))
            .collect();
        assert_eq!(
            found,
            vec![
                ("link[href]", "/page".into()),
                ("link[href]", "/i.ico".into()),
                ("link[imagesrcset]", "/p.png".into()),
                ("track[src]", "/t.vtt".into()),
                ("embed[src]", "/e.swf".into()),
                ("object[data]", "/o.svg".into()),
                ("input[src]", "/btn.png".into()),
                ("iframe[src]", "/frame".into()),
            ]
        );
        let body = scan(html, 0);
        assert!(
            !body.links[0].source.loads_asset(),
            "a canonical link is a page"
        );
        assert!(body.links[1].source.loads_asset(), "an icon is an asset");
    }

    #[test]
    fn the_first_base_href_counts_and_templates_hide_ids_and_bases() {
        let body = scan(
            r#"<base target=_blank><template><base href="/no/"><p id="hidden">
<template><a name="deeper"></a></template><a href="/kept">k</a></template>
<base href="/docs/&amp;/"><base href="/second/"><p id="shown">"#,
            0,
        );
        assert_eq!(body.base.as_deref(), Some("/docs/&/"));
        assert_eq!(body.anchors, vec!["shown"]);
        assert_eq!(
            body.links.len(),
            1,
            "links inside a template are still checked"
        );
    }

    #[test]
    fn empty_and_valueless_hrefs_are_links_with_empty_values() {
        let html = "<a href>x</a><a href=\"\">y</a>";
        let found = scan(html, 0).links;
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|l| l.href.is_empty()));
    }
}
