//! Human output: miette's graphical reports, with the source line and a label at the exact
//! span, the rule id and the help.

use crate::diagnostic::{Diagnostic as Finding, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
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
    source: Option<NamedSource<String>>,
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
        self.source.as_ref()?;
        let span = self.finding.span;
        let label = match self.finding.rule {
            "broken-link" | "broken-fragment" => "this link",
            _ => "here",
        };
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label.to_owned()),
            span.start,
            span.len(),
        ))))
    }
}

/// Render findings; `source` returns a file's text (by the path shown), for the snippets.
/// Findings whose span no longer fits the file (it changed meanwhile) are shown without one.
pub fn render(
    findings: &[Finding],
    style: Style,
    mut source: impl FnMut(&str) -> Option<String>,
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
        .with_word_separator(textwrap::WordSeparator::AsciiSpace);
    let mut out = String::new();
    let mut current: Option<(&str, Option<String>)> = None;
    for finding in findings {
        if current.as_ref().is_none_or(|(p, _)| *p != finding.path) {
            current = Some((&finding.path, source(&finding.path)));
        }
        let text = current.as_ref().and_then(|(_, t)| t.as_ref());
        let fits = text.is_some_and(|t| {
            finding.span.end <= t.len()
                && t.is_char_boundary(finding.span.start)
                && t.is_char_boundary(finding.span.end)
        });
        let shown = Shown {
            finding,
            source: text
                .filter(|_| fits)
                .map(|t| NamedSource::new(&finding.path, t.clone())),
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
        out.push('\n');
    }
    out
}
