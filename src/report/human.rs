//! Human output: miette's graphical reports, with the source line and a label at the exact
//! span, the rule id and the help.

use crate::diagnostic::{Diagnostic as Finding, Severity};
use crate::parse::span::{LineIndex, Position, Span, break_len, clamp_span, line_bounds};
use crate::source::open::Reread;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

/// One finding, as miette sees it.
struct Shown<'a> {
    finding: &'a Finding,
    source: Option<Excerpt>,
}

/// Lines kept around a finding, each cropped to a window around the finding, so that a
/// 9,000-character line shows as one screen line. It reports the file's own line numbers and
/// the finding's own line and column.
struct Excerpt {
    name: String,
    text: String,
    /// The finding's span within `text`.
    span: Span,
    /// The 0-based file line of `text`'s first line.
    first_line: usize,
    position: Position,
}

/// Characters shown of a line before it is cropped, and around a span on a cropped line.
const MAX_LINE: usize = 160;
const AROUND: usize = 60;

impl Excerpt {
    /// The lines around `span` (one before, one after) of `file`, whose `lines` index is
    /// given; the gutter's line numbers are counted in the text itself.
    fn new(name: &str, file: &str, lines: &LineIndex, span: Span, position: Position) -> Excerpt {
        let span = clamp_span(file, span);
        let (line_start, line_end) = line_bounds(file, span.start);
        // A span crossing a line end is shown on its first line (one on the LF of a CRLF,
        // at that line's end).
        let start = span.start.min(line_end);
        let span = Span::new(start, span.end.clamp(start, line_end));
        let prev = (line_start > 0).then(|| {
            let before = &file[..line_start];
            let end = line_start - if before.ends_with("\r\n") { 2 } else { 1 };
            (line_bounds(file, end).0, end)
        });
        let next = (line_end < file.len()).then(|| {
            let from = line_end + break_len(file, line_end);
            (from, line_bounds(file, from).1.max(from))
        });
        let mut text = String::new();
        let mut first_line = lines.position(file, line_start).line as usize - 1;
        if let Some((p, end)) = prev {
            text.push_str(&crop(&file[p..end]));
            text.push('\n');
            first_line -= 1;
        }
        let line = &file[line_start..line_end];
        let (shown, offset) = crop_around(line, span.start - line_start, span.end - line_start);
        let start = text.len() + offset;
        text.push_str(&shown);
        let span = Span::new(start, start + span.len());
        if let Some((from, end)) = next {
            text.push('\n');
            text.push_str(&crop(&file[from..end]));
        }
        Excerpt {
            name: name.to_owned(),
            text,
            span,
            first_line,
            position,
        }
    }
}

/// A line cut to `MAX_LINE` characters.
fn crop(line: &str) -> String {
    let line = line.strip_suffix('\r').unwrap_or(line);
    match line.char_indices().nth(MAX_LINE) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

/// A line cut to a window around bytes `start..end`; returns it and where `start` lands.
fn crop_around(line: &str, start: usize, end: usize) -> (String, usize) {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let end = end.min(line.len());
    if line.chars().count() <= MAX_LINE {
        return (line.to_owned(), start);
    }
    let from = floor_chars_back(line, start, AROUND);
    let to = ceil_chars_forward(line, end, AROUND);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let offset = out.len() + (start - from);
    out.push_str(&line[from..to]);
    if to < line.len() {
        out.push('…');
    }
    (out, offset)
}

fn floor_chars_back(s: &str, at: usize, n: usize) -> usize {
    s[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn ceil_chars_forward(s: &str, at: usize, n: usize) -> usize {
    s[at..]
        .char_indices()
        .nth(n)
        .map_or(s.len(), |(i, _)| at + i)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        // The header names the finding's own line and column, not the cropped ones.
        let (line, column) = if before == 0 && after == 0 {
            (
                (self.position.line as usize).saturating_sub(1),
                (self.position.column as usize).saturating_sub(1),
            )
        } else {
            (inner.line() + self.first_line, inner.column())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.finding, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.finding.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.source.as_ref()?.span;
        let label = match self.finding.rule {
            "broken-link" | "broken-fragment" => "this link",
            _ => "here",
        };
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(label.to_owned()), (span.start, span.len())),
        )))
    }
}

/// `text` with the control characters a terminal would act on (escape sequences, bells,
/// backspaces: from a page's bytes, a link or a file name) made visible and inert, each the
/// same number of bytes and characters, so spans and columns still fit. Line breaks and tabs
/// stay when `keep_lines` (source text); elsewhere they become `?` too.
fn inert(text: &str, keep_lines: bool) -> std::borrow::Cow<'_, str> {
    let acts = |c: char| acts(c, keep_lines);
    if !any_acts(text.as_bytes(), keep_lines) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            // C1 controls are two bytes in UTF-8: `¿` is too.
            c if acts(c) && c as u32 >= 0x80 => '¿',
            c if acts(c) => '?',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// Whether a terminal would act on `c`, which `inert` makes visible.
fn acts(c: char, keep_lines: bool) -> bool {
    (c.is_control() || c == '\u{7f}') && !(keep_lines && matches!(c, '\n' | '\r' | '\t'))
}

/// Whether `text` holds a character `inert` changes: a C0 control or DEL byte (line breaks
/// and tabs aside when `keep_lines`), or a C1 control (U+0080–U+009F are 0xC2 0x80–0x9F). A
/// byte scan in blocks the compiler vectorizes: decoding every character of every page shown
/// cost more than rendering its findings.
fn any_acts(text: &[u8], keep_lines: bool) -> bool {
    const BLOCK: usize = 64;
    let maybe = |b: u8| {
        (b < 0x20 && !(keep_lines && matches!(b, b'\n' | b'\r' | b'\t'))) || b == 0x7f || b == 0xc2
    };
    text.chunks(BLOCK).enumerate().any(|(k, block)| {
        block.iter().fold(false, |any, &b| any | maybe(b))
            && block.iter().enumerate().any(|(i, &b)| match b {
                0xc2 => matches!(text.get(k * BLOCK + i + 1), Some(0x80..=0x9f)),
                b => maybe(b),
            })
    })
}

/// A finding with its text made inert for a terminal.
fn inert_finding(f: &Finding) -> std::borrow::Cow<'_, Finding> {
    let (path, message, help) = (
        inert(&f.path, false),
        inert(&f.message, false),
        inert(&f.help, false),
    );
    if matches!(
        (&path, &message, &help),
        (
            std::borrow::Cow::Borrowed(_),
            std::borrow::Cow::Borrowed(_),
            std::borrow::Cow::Borrowed(_)
        )
    ) {
        return std::borrow::Cow::Borrowed(f);
    }
    let mut owned = f.clone();
    owned.path = path.into_owned().into();
    owned.message = message.into_owned().into();
    owned.help = help.into_owned().into();
    std::borrow::Cow::Owned(owned)
}

/// Findings rendered by one thread at a time (whole files: a file is read again once), and
/// how many such parts are made before they are written (so that only a few megabytes of the
/// report are ever held).
const PART: usize = 256;
const PARTS_AT_ONCE: usize = 32;

/// Render findings; `source` returns a file's text (by the path shown) as the run checked it,
/// for the snippets. A finding whose file changed since it was checked is shown without one,
/// and says so.
pub fn render(
    findings: &[Finding],
    style: Style,
    source: impl Fn(&str) -> Reread + Sync,
) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(findings, style, source, &mut out);
    // Every part is a String's bytes.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Write the report as `render` makes it, straight to `out` (on a large site it is a hundred
/// megabytes: it is never held whole). Parts of whole files are rendered in parallel and
/// written in order: the same bytes as one pass would make. `out` should be buffered.
pub fn write(
    findings: &[Finding],
    style: Style,
    source: impl Fn(&str) -> Reread + Sync,
    out: &mut (impl std::io::Write + ?Sized),
) -> std::io::Result<()> {
    write_in_parts(findings, style, source, out, PART, PARTS_AT_ONCE)
}

/// `write`, in parts of `part` findings or more, `at_once` parts made before they are written.
fn write_in_parts(
    findings: &[Finding],
    style: Style,
    source: impl Fn(&str) -> Reread + Sync,
    out: &mut (impl std::io::Write + ?Sized),
    part: usize,
    at_once: usize,
) -> std::io::Result<()> {
    let handler = handler(style);
    let parts = parts(findings, part);
    for at_once in parts.chunks(at_once) {
        for text in render_parts(&handler, at_once, &source) {
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// The parts rendered, in order, on as many threads as rayon's pool has. The threads are
/// made here, not taken from the pool: glibc's malloc gives a new thread an arena of its own,
/// where the pool's threads have arenas fragmented by the pages they read, and the report's
/// many small allocations took a second more there on MDN.
fn render_parts(
    handler: &GraphicalReportHandler,
    parts: &[&[Finding]],
    source: &(impl Fn(&str) -> Reread + Sync),
) -> Vec<String> {
    let next = AtomicUsize::new(0);
    let threads = rayon::current_num_threads().clamp(1, parts.len().max(1));
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(i) else {
                return done;
            };
            let mut text = String::with_capacity(part.len() * 1024);
            for file in part.chunk_by(|a, b| a.path == b.path) {
                render_file(handler, file, source(&file[0].path), &mut text);
            }
            done.push((i, text));
        }
    };
    let mut done: Vec<(usize, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        let mut done = Vec::with_capacity(parts.len());
        for worker in workers {
            // A panic in a worker is a panic here, as it would be on one thread.
            done.extend(
                worker
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, text)| text).collect()
}

/// The findings cut into runs of at least `size` findings (the last may be fewer), each
/// ending where a file's findings end.
fn parts(findings: &[Finding], size: usize) -> Vec<&[Finding]> {
    let mut parts = Vec::new();
    let mut rest = findings;
    while !rest.is_empty() {
        let mut end = size.min(rest.len());
        while end < rest.len() && rest[end].path == rest[end - 1].path {
            end += 1;
        }
        let (part, after) = rest.split_at(end);
        parts.push(part);
        rest = after;
    }
    parts
}

/// miette's handler drawn as `style` says.
fn handler(style: Style) -> GraphicalReportHandler {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        // Break help lines at spaces only: never inside a URI.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false)
}

/// The findings of one file (`text`, as read again) onto `out`.
fn render_file(
    handler: &GraphicalReportHandler,
    findings: &[Finding],
    text: Reread,
    out: &mut String,
) {
    let text = match text {
        Reread::Checked(t) => match inert(&t, true) {
            std::borrow::Cow::Borrowed(_) => Reread::Checked(t),
            std::borrow::Cow::Owned(inert) => Reread::Checked(inert),
        },
        other => other,
    };
    let lines = match &text {
        Reread::Checked(t) => Some(LineIndex::new(t)),
        _ => None,
    };
    for raw in findings {
        let finding = &*inert_finding(raw);
        let (text, changed) = match (&text, &lines) {
            (Reread::Checked(t), Some(lines)) => (Some((t, lines)), false),
            (Reread::Changed, _) => (None, true),
            _ => (None, false),
        };
        let shown = Shown {
            finding,
            source: text.map(|(t, lines)| {
                Excerpt::new(&finding.path, t, lines, finding.span, finding.position)
            }),
        };
        if shown.source.is_none() {
            // Without a snippet, say where it is.
            out.push_str(&format!(
                "{}:{}:{}: ",
                finding.path, finding.position.line, finding.position.column
            ));
        }
        // Writing to a String cannot fail.
        let _ = handler.render_report(out, &shown);
        if changed {
            out.push_str(
                "  note: the file changed after it was checked; its lines are not shown\n",
            );
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn finding(file: &str, needle: &str, line: u32, column: u32) -> Finding {
        let start = file.find(needle).expect("needle in file");
        Finding {
            rule: "broken-link",
            severity: Severity::Error,
            path: "f.html".into(),
            span: Span::new(start, start + needle.len()),
            position: Position { line, column },
            message: "broken link".into(),
            help: "fix it".into(),
            target: None,
            repair: None,
            read: None,
        }
    }

    fn plain(findings: &[Finding], file: &str) -> String {
        let style = Style {
            color: false,
            unicode: true,
            width: 100,
        };
        render(findings, style, |_| Reread::Checked(file.to_owned()))
    }

    #[test]
    fn parts_end_where_a_files_findings_end() {
        let file = "<a href=\"/target\">x</a>\n";
        let in_file = |path: &str| {
            let mut f = finding(file, "/target", 1, 10);
            f.path = path.into();
            f
        };
        let findings: Vec<Finding> = ["a", "a", "a", "b", "c", "c"].map(in_file).into();
        let cut = |size| -> Vec<usize> { parts(&findings, size).iter().map(|p| p.len()).collect() };
        assert_eq!(cut(1), [3, 1, 2]);
        assert_eq!(cut(4), [4, 2]);
        assert_eq!(cut(5), [6]);
        assert_eq!(cut(100), [6]);
        assert!(parts(&[], 4).is_empty());
    }

    #[test]
    fn the_report_is_the_same_bytes_however_it_is_cut_into_parts() {
        let files: Vec<String> = (0..7)
            .map(|i| format!("<p>{i}</p>\n<a href=\"/t{i}\">x</a>\n<a href=\"/u{i}\">y</a>\n"))
            .collect();
        let mut findings = Vec::new();
        for (i, file) in files.iter().enumerate() {
            for needle in [format!("/t{i}"), format!("/u{i}")] {
                let mut f = finding(file, &needle, 2 + findings.len() as u32 % 2, 10);
                f.path = format!("f{i}.html").into();
                findings.push(f);
            }
        }
        let style = Style {
            color: false,
            unicode: true,
            width: 100,
        };
        let source = |path: &str| {
            let i: usize = path[1..path.len() - 5].parse().expect("f<i>.html");
            Reread::Checked(files[i].clone())
        };
        let whole = render(&findings, style, source);
        assert_eq!(whole.matches("[f6.html:").count(), 2, "{whole}");
        for (part, at_once) in [(1, 1), (1, 3), (3, 2), (100, 1)] {
            let mut out = Vec::new();
            write_in_parts(&findings, style, source, &mut out, part, at_once).expect("to a Vec");
            assert_eq!(
                String::from_utf8(out).expect("UTF-8"),
                whole,
                "{part} {at_once}"
            );
        }
    }

    #[test]
    fn the_byte_scan_finds_exactly_the_characters_inert_changes() {
        let mut utf8 = [0; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let bytes = c.encode_utf8(&mut utf8).as_bytes();
            for keep_lines in [true, false] {
                assert_eq!(acts(c, keep_lines), any_acts(bytes, keep_lines), "{c:?}");
            }
        }
        // A two-byte character last in a block of the scan: one byte ends it.
        let mut text = vec![b'a'; 63];
        for c in ('\0'..='\u{7ff}').filter(|c| c.len_utf8() == 2) {
            text.truncate(63);
            text.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            text.push(b'b');
            assert_eq!(acts(c, true), any_acts(&text, true), "{c:?}");
        }
        assert_eq!(inert("a\u{9b}[31mb\u{7}", true), "a¿[31mb?");
        assert_eq!(inert("café\u{a0}\n", true), "café\u{a0}\n");
        assert_eq!(inert("x\ny", false), "x?y");
    }

    #[test]
    fn long_lines_are_cropped_around_the_finding_with_the_real_position() {
        let file = format!(
            "first\n{}<a href=\"/target\">x</a>{}\nthird\n",
            "a".repeat(500),
            "b".repeat(500)
        );
        let out = plain(&[finding(&file, "/target", 2, 510)], &file);
        assert!(out.contains("[f.html:2:510]"), "{out}");
        assert!(out.contains(" 2 │ …aaaa"), "{out}");
        assert!(out.contains("<a href=\"/target\">x</a>bbb"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 200), "{out}");
        assert!(
            out.contains(" 1 │ first") && out.contains(" 3 │ third"),
            "{out}"
        );
    }

    #[test]
    fn a_finding_whose_file_changed_is_shown_without_a_snippet_and_says_so() {
        let checked = "<a href=\"/target\">x</a>\n";
        let f = finding(checked, "/target", 1, 10);
        let digest = crate::source::open::Digest::of(checked.as_bytes());
        // The file as it is now: other bytes, even of the same length.
        let now = "<a href=\"/secret\">x</a>\n";
        let style = Style {
            color: false,
            unicode: true,
            width: 100,
        };
        let out = render(std::slice::from_ref(&f), style, |_| {
            Reread::judge(now.as_bytes(), digest)
        });
        assert!(out.starts_with("f.html:1:10: "), "{out}");
        assert!(
            out.contains("the file changed after it was checked"),
            "{out}"
        );
        assert!(!out.contains("secret") && !out.contains(" 1 │"), "{out}");
        // The same bytes as were checked are shown.
        let out = render(&[f], style, |_| Reread::judge(checked.as_bytes(), digest));
        assert!(out.contains(" 1 │ <a href=\"/target\">x</a>"), "{out}");
        assert!(!out.contains("changed after"), "{out}");
    }

    #[test]
    fn lone_cr_lines_are_shown_as_lines_with_their_numbers() {
        let file = "---\ruri: /a\r---\r<p>x</p>\r<a href=\"/target\">x</a>\rlast\r";
        let out = plain(&[finding(file, "/target", 5, 10)], file);
        assert!(out.contains("[f.html:5:10]"), "{out}");
        assert!(out.contains(" 4 │ <p>x</p>"), "{out}");
        assert!(out.contains(" 5 │ <a href=\"/target\">x</a>"), "{out}");
        assert!(out.contains(" 6 │ last"), "{out}");
        assert!(!out.contains('\r'), "{out:?}");
    }

    #[test]
    fn any_span_gets_a_snippet_even_one_cut_inside_a_character_or_past_the_end() {
        let file = "title: café au lait\n";
        let e = file.find('é').expect("é");
        for span in [
            Span::new(e + 1, e + 2),
            Span::new(e, 500),
            Span::new(900, 901),
        ] {
            let mut f = finding(file, "café", 1, 8);
            f.span = span;
            let out = plain(&[f], file);
            assert!(out.contains(" 1 │ title: café au lait"), "{span:?}: {out}");
        }
        // Positions that disagree with the text never wrap the gutter's numbers.
        let mut f = finding(file, "café", 1, 8);
        f.position = Position { line: 1, column: 1 };
        f.span = Span::new(file.len(), file.len());
        let out = plain(&[f], "a\nb\n");
        assert!(!out.contains(" 0 │"), "{out}");
    }
}
