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
    let acts = |c: char| {
        (c.is_control() || c == '\u{7f}') && !(keep_lines && matches!(c, '\n' | '\r' | '\t'))
    };
    if !text.chars().any(acts) {
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

/// Render findings; `source` returns a file's text (by the path shown) as the run checked it,
/// for the snippets. A finding whose file changed since it was checked is shown without one,
/// and says so.
pub fn render(
    findings: &[Finding],
    style: Style,
    mut source: impl FnMut(&str) -> Reread,
) -> String {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        // Break help lines at spaces only: never inside a URI.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    let mut out = String::new();
    let mut current: Option<(&str, Reread, Option<LineIndex>)> = None;
    for raw in findings {
        if current.as_ref().is_none_or(|(p, _, _)| *p != &*raw.path) {
            let text = match source(&raw.path) {
                Reread::Checked(t) => Reread::Checked(inert(&t, true).into_owned()),
                other => other,
            };
            let lines = match &text {
                Reread::Checked(t) => Some(LineIndex::new(t)),
                _ => None,
            };
            current = Some((&*raw.path, text, lines));
        }
        let finding = &*inert_finding(raw);
        let (text, changed) = match &current {
            Some((_, Reread::Checked(t), Some(lines))) => (Some((t, lines)), false),
            Some((_, Reread::Changed, _)) => (None, true),
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
        let _ = handler.render_report(&mut out, &shown);
        if changed {
            out.push_str(
                "  note: the file changed after it was checked; its lines are not shown\n",
            );
        }
        out.push('\n');
    }
    out
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
