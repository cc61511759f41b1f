//! MDX bodies made readable as Markdown: what is JavaScript or JSX in them is blanked out
//! (each byte a space, line breaks kept), so that the Markdown reader sees the rest at its
//! own offsets and is not derailed. Blanked: `import`/`export` blocks (from a line starting
//! with either keyword to the next blank line), `{expressions}` (balanced braces, across
//! lines, with JavaScript strings and comments skipped), and JSX tags: those of components
//! (`<Name …>`, `</Name>`, fragments `<>`), whose props named in `site.link_attributes` are
//! kept as links at the exact bytes of their string values, and those of HTML elements
//! (`<div>`, `<a href>`), which in MDX are JSX too (no HTML block swallows the Markdown lines
//! after them): their links and ids are read by the HTML scanner first. Fenced code and code
//! spans are left as they are: braces and tags there are text. MDX has no indented code, so
//! each line's indentation is moved to its end (`shifts` maps offsets back). One pass, linear.

use crate::parse::html::{self, LinkSource, RawLink};
use crate::parse::markdown::LinkAttributes;
use crate::parse::span::Span;

/// A masked body: the text (the same length as the file, front matter untouched) and the
/// links held by component props.
pub struct Masked {
    pub text: String,
    /// Links of component props and HTML elements, at their offsets in the file.
    pub links: Vec<RawLink>,
    /// Ids of HTML elements.
    pub anchors: Vec<String>,
    /// Lines whose indentation was moved to their end: (line start, indentation), sorted.
    pub shifts: Vec<(usize, usize)>,
}

impl Masked {
    /// The offset in the file of the offset `at` of the masked text.
    pub fn original(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|&(start, _)| start <= at);
        match i.checked_sub(1).map(|k| self.shifts[k]) {
            Some((start, indent)) => {
                let end = memchr::memchr(b'\n', &self.text.as_bytes()[start..])
                    .map_or(self.text.len(), |k| start + k);
                let content_end = end.saturating_sub(indent);
                if at < content_end { at + indent } else { at }
            }
            None => at,
        }
    }
}

/// Mask the MDX body of `text` starting at byte `start`.
pub fn mask(text: &str, start: usize, attributes: &LinkAttributes) -> Masked {
    let mut m = Masker {
        src: text.as_bytes(),
        text,
        out: text.as_bytes().to_vec(),
        links: Vec::new(),
        anchors: Vec::new(),
        attributes,
        no_tags_before: 0,
    };
    m.run(start.min(text.len()));
    let shifts = dedent(&mut m.out, start.min(text.len()));
    // Only ASCII bytes were replaced, and only whole characters (every byte of a multi-byte
    // character is blanked with it), so the text is still UTF-8.
    let text = String::from_utf8(m.out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Masked {
        text,
        links: m.links,
        anchors: m.anchors,
        shifts,
    }
}

/// Move each line's leading spaces and tabs (from `start` on) to its end, before its line
/// break: the (line start, indentation) of each line moved.
fn dedent(out: &mut [u8], start: usize) -> Vec<(usize, usize)> {
    let mut shifts = Vec::new();
    let mut i = start;
    // Only from a line start.
    if i > 0 && out.get(i - 1) != Some(&b'\n') {
        i = memchr::memchr(b'\n', &out[i..]).map_or(out.len(), |k| i + k + 1);
    }
    while i < out.len() {
        let end = memchr::memchr(b'\n', &out[i..]).map_or(out.len(), |k| i + k);
        let content_end = if end > i && out[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        let indent = out[i..content_end]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        if indent > 0 && indent < content_end - i {
            out[i..content_end].rotate_left(indent);
            shifts.push((i, indent));
        }
        i = end + 1;
    }
    shifts
}

struct Masker<'a> {
    src: &'a [u8],
    text: &'a str,
    out: Vec<u8>,
    links: Vec<RawLink>,
    anchors: Vec<String>,
    attributes: &'a LinkAttributes,
    /// The end of the paragraph where a tag did not close: the rest of it is text, so that
    /// a stray `<` (`a<b`) masks neither what follows nor, retried at each `<`, takes
    /// quadratic time.
    no_tags_before: usize,
}

impl Masker<'_> {
    fn blank(&mut self, from: usize, to: usize) {
        for b in &mut self.out[from..to.min(self.src.len())] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }

    fn line_end(&self, from: usize) -> usize {
        memchr::memchr(b'\n', &self.src[from..]).map_or(self.src.len(), |i| from + i)
    }

    fn is_blank_line(&self, from: usize) -> bool {
        let end = self.line_end(from);
        self.src[from..end].iter().all(|b| b.is_ascii_whitespace())
    }

    fn run(&mut self, mut i: usize) {
        let n = self.src.len();
        let mut fence: Option<(u8, usize)> = None;
        let mut previous_blank = true;
        while i < n {
            // At a line start.
            let end = self.line_end(i);
            let line = &self.src[i..end];
            let indent = line.iter().take_while(|&&b| b == b' ').count();
            let rest = &line[indent.min(line.len())..];
            let run_of = |c: u8| rest.iter().take_while(|&&b| b == c).count();
            if let Some((c, len)) = fence {
                if indent < 4
                    && run_of(c) >= len
                    && rest[run_of(c)..].iter().all(u8::is_ascii_whitespace)
                {
                    fence = None;
                }
                i = end + 1;
                continue;
            }
            if indent < 4 && (run_of(b'`') >= 3 || run_of(b'~') >= 3) {
                let c = rest[0];
                fence = Some((c, run_of(c)));
                i = end + 1;
                previous_blank = false;
                continue;
            }
            if previous_blank && (line.starts_with(b"import ") || line.starts_with(b"export ")) {
                let mut j = i;
                while j < n && !self.is_blank_line(j) {
                    j = self.line_end(j) + 1;
                }
                self.blank(i, j);
                i = j;
                continue;
            }
            previous_blank = line.iter().all(u8::is_ascii_whitespace);
            i = self.inline(i, end);
        }
    }

    /// Scan a line from `i` (to its end `end`) for code spans, expressions and components;
    /// what is masked may run past the line. Returns where the next line starts.
    fn inline(&mut self, mut i: usize, mut end: usize) -> usize {
        let n = self.src.len();
        while i < end {
            match self.src[i] {
                b'`' => {
                    let run = self.src[i..].iter().take_while(|&&b| b == b'`').count();
                    i = match self.code_span_end(i + run, run) {
                        Some(close) => close,
                        None => i + run,
                    };
                }
                b'{' => {
                    let close = self.expression_end(i);
                    self.blank(i, close);
                    i = close;
                }
                b'<' if i >= self.no_tags_before
                    && (self.is_component(i) || self.is_element(i)) =>
                {
                    match self.component(i) {
                        Ok(close) => {
                            if !self.is_component(i) {
                                self.element(i, close);
                            }
                            self.blank(i, close);
                            i = close;
                        }
                        Err(paragraph_end) => {
                            self.no_tags_before = paragraph_end;
                            i += 1;
                        }
                    }
                }
                _ => i += 1,
            }
            if i > end {
                end = self.line_end(i.min(n));
            }
        }
        end + 1
    }

    /// Whether `<` at `i` opens an HTML element's tag (`<div`, `</div`), JSX in MDX.
    fn is_element(&self, i: usize) -> bool {
        let name_at = if self.src.get(i + 1) == Some(&b'/') {
            i + 2
        } else {
            i + 1
        };
        self.src.get(name_at).is_some_and(u8::is_ascii_lowercase)
    }

    /// The links and ids of the HTML element tag `i..close`, read by the HTML scanner with
    /// its `{expressions}` blanked (an expression's value is no URL we can know).
    fn element(&mut self, i: usize, close: usize) {
        let Some(tag) = self.text.get(i..close) else {
            return;
        };
        let mut bytes = tag.as_bytes().to_vec();
        let mut depth = 0usize;
        // `{…}` becomes `"…"` of spaces: a quoted value, so the next attribute stays one.
        for b in &mut bytes {
            match *b {
                b'{' => {
                    *b = if depth == 0 { b'"' } else { b' ' };
                    depth += 1;
                }
                b'}' if depth > 0 => {
                    depth -= 1;
                    *b = if depth == 0 { b'"' } else { b' ' };
                }
                b'\n' => {}
                _ if depth > 0 => *b = b' ',
                _ => {}
            }
        }
        let tag = String::from_utf8_lossy(&bytes);
        let found = html::scan(&tag, 0);
        self.links.extend(found.links.into_iter().map(|mut l| {
            l.span = Span::new(l.span.start + i, l.span.end + i);
            l
        }));
        self.anchors.extend(found.anchors);
    }

    /// Whether `<` at `i` opens a component tag or fragment: `<Name`, `</Name`, `<>`, `</>`.
    fn is_component(&self, i: usize) -> bool {
        match self.src.get(i + 1) {
            Some(b'>') => true,
            Some(b'/') => self
                .src
                .get(i + 2)
                .is_some_and(|&b| b.is_ascii_uppercase() || b == b'>'),
            Some(b) => b.is_ascii_uppercase(),
            None => false,
        }
    }

    /// Where a code span opened by `run` backticks ending at `from` closes (after its
    /// closing run), within its paragraph.
    fn code_span_end(&self, from: usize, run: usize) -> Option<usize> {
        let mut j = from;
        while j < self.src.len() {
            match self.src[j] {
                b'`' => {
                    let r = self.src[j..].iter().take_while(|&&b| b == b'`').count();
                    if r == run {
                        return Some(j + r);
                    }
                    j += r;
                }
                b'\n' if self.is_blank_line(j + 1) => return None,
                _ => j += 1,
            }
        }
        None
    }

    /// The end (after the `}`) of the expression opened at `i`; an expression that never
    /// closes ends with its paragraph.
    fn expression_end(&self, i: usize) -> usize {
        let n = self.src.len();
        let mut depth = 0usize;
        let mut j = i;
        while j < n {
            match self.src[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return j + 1;
                    }
                }
                q @ (b'"' | b'\'' | b'`') => j = self.string_end(j, q) - 1,
                b'/' if self.src.get(j + 1) == Some(&b'/') => j = self.line_end(j) - 1,
                b'/' if self.src.get(j + 1) == Some(&b'*') => {
                    j = memchr::memmem::find(&self.src[j + 2..], b"*/")
                        .map_or(n, |k| j + 2 + k + 1);
                }
                b'\n' if depth == 1 && self.is_blank_line(j + 1) => return j,
                _ => {}
            }
            j += 1;
        }
        n
    }

    /// The end (after the closing quote) of a JavaScript string opened by `q` at `i`.
    fn string_end(&self, i: usize, q: u8) -> usize {
        let mut j = i + 1;
        while j < self.src.len() {
            match self.src[j] {
                b'\\' => j += 2,
                b if b == q => return j + 1,
                b'\n' if q != b'`' => return j,
                _ => j += 1,
            }
        }
        self.src.len()
    }

    /// Past whitespace from `j`, or `Err` at a blank line (where the paragraph ends) or the
    /// text's end: a tag does not reach past its paragraph.
    fn skip_space(&self, mut j: usize) -> Result<usize, usize> {
        while j < self.src.len() && self.src[j].is_ascii_whitespace() {
            if self.src[j] == b'\n' && self.is_blank_line(j + 1) {
                return Err(j);
            }
            j += 1;
        }
        if j < self.src.len() { Ok(j) } else { Err(j) }
    }

    /// A component or element tag at `i`: its props read, and where it ends (after its `>`);
    /// `Err` with where its paragraph ends when it does not close before then (MDX refuses
    /// such a page; the text after it is still read).
    fn component(&mut self, i: usize) -> Result<usize, usize> {
        let n = self.src.len();
        let mut j = i + 1;
        if self.src.get(j) == Some(&b'/') {
            j += 1;
        }
        let name_start = j;
        while j < n && (self.src[j].is_ascii_alphanumeric() || b"._-:".contains(&self.src[j])) {
            j += 1;
        }
        let name = &self.text[name_start..j];
        let props: Vec<String> = self.attributes.get(name).cloned().unwrap_or_default();
        let mut links = Vec::new();
        loop {
            j = self.skip_space(j)?;
            match self.src[j] {
                b'>' => {
                    self.links.append(&mut links);
                    return Ok(j + 1);
                }
                b'/' => j += 1,
                b'{' => j = self.expression_end(j),
                _ => {
                    let attr_start = j;
                    while j < n
                        && !self.src[j].is_ascii_whitespace()
                        && !b"=>/{".contains(&self.src[j])
                    {
                        j += 1;
                    }
                    let attr = &self.text[attr_start..j];
                    if attr_start == j {
                        j += 1;
                        continue;
                    }
                    j = self.skip_space(j)?;
                    if self.src[j] != b'=' {
                        continue;
                    }
                    j = self.skip_space(j + 1)?;
                    let wanted = props.iter().any(|p| p == attr);
                    match self.src[j] {
                        q @ (b'"' | b'\'') => {
                            let close = self.quote_end(j + 1, q)?;
                            if wanted {
                                let raw = &self.text[j + 1..close];
                                links.push(RawLink {
                                    href: html::decode_attribute(raw),
                                    span: Span::new(j + 1, close),
                                    source: LinkSource::ComponentProp,
                                    located: !raw.contains('&'),
                                });
                            }
                            j = close + 1;
                        }
                        b'{' => {
                            let close = self.expression_end(j);
                            if wanted
                                && let Some(link) =
                                    self.literal_prop(j + 1, close.saturating_sub(1))
                            {
                                links.push(link);
                            }
                            j = close;
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Where the attribute value quoted by `q` from `j` closes (at the quote), or `Err` at the
    /// blank line or text end that comes first.
    fn quote_end(&self, mut j: usize, q: u8) -> Result<usize, usize> {
        while j < self.src.len() {
            match self.src[j] {
                b if b == q => return Ok(j),
                b'\n' if self.is_blank_line(j + 1) => return Err(j),
                _ => j += 1,
            }
        }
        Err(j)
    }

    /// A prop written `{"…"}`, `{'…'}` or ``{`…`}`` (without `${`): a link at its string.
    fn literal_prop(&self, from: usize, to: usize) -> Option<RawLink> {
        let inner = self.text.get(from..to)?;
        let lead = inner.len() - inner.trim_start().len();
        let trimmed = inner.trim();
        let q = trimmed.bytes().next().filter(|q| b"\"'`".contains(q))?;
        if trimmed.len() < 2 || trimmed.as_bytes()[trimmed.len() - 1] != q {
            return None;
        }
        let value = &trimmed[1..trimmed.len() - 1];
        if value.contains(['\\', q as char]) || (q == b'`' && value.contains("${")) {
            return None;
        }
        let at = from + lead + 1;
        Some(RawLink {
            href: value.to_owned(),
            span: Span::new(at, at + value.len()),
            source: LinkSource::ComponentProp,
            located: true,
        })
    }
}
