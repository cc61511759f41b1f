//! `--format json`: one JSON document on stdout, in a shape tests pin (version 1).

use crate::Report;
use crate::diagnostic::{Diagnostic, Severity};
use rayon::prelude::*;
use serde::Serialize;
use serde::ser::Serializer;
use std::io::{self, Write};

#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Diagnostics<'a>,
}

#[derive(Serialize)]
struct Summary {
    pages: usize,
    errors: usize,
    warnings: usize,
}

/// The findings, serialized one by one as they are read (no copy of the list: reports of a
/// large site hold a hundred thousand).
struct Diagnostics<'a>(&'a [Diagnostic]);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(JsonDiagnostic::of))
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    path: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
    help: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    fn of(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            rule: d.rule,
            severity: d.severity,
            path: &d.path,
            line: d.position.line,
            column: d.position.column,
            message: &d.message,
            help: &d.help,
            target: d.target.as_deref(),
        }
    }
}

fn document(report: &Report) -> Json<'_> {
    Json {
        version: 1,
        summary: Summary {
            pages: report.pages,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
        },
        diagnostics: Diagnostics(&report.diagnostics),
    }
}

/// The report as a JSON document (one line, then a newline).
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string(&document(report)).expect("a report always serializes");
    s.push('\n');
    s
}

/// Findings serialized by one thread at a time, and how many such parts are written before the
/// next are made (so that only a few megabytes of the document are ever held).
const PART: usize = 2048;
const PARTS_AT_ONCE: usize = 4;

/// Write the report as `render` does, straight to `out` (a large site's document is tens of
/// megabytes: it is never held in memory whole). The findings are serialized in parts, in
/// parallel, and written in order: the same bytes as `render`'s, in a fraction of the time
/// (165,000 findings on MDN's archived content). `out` should be buffered.
pub fn write(report: &Report, out: &mut impl Write) -> io::Result<()> {
    write_in_parts(report, out, PART, PARTS_AT_ONCE)
}

/// `write`, `part` findings to a part, `at_once` parts made before they are written.
fn write_in_parts(
    report: &Report,
    out: &mut impl Write,
    part: usize,
    at_once: usize,
) -> io::Result<()> {
    let Json {
        version, summary, ..
    } = document(report);
    write!(out, "{{\"version\":{version},\"summary\":")?;
    serde_json::to_writer(&mut *out, &summary)?;
    out.write_all(b",\"diagnostics\":[")?;
    let mut first = true;
    for parts in report.diagnostics.chunks(part * at_once) {
        let parts: Vec<io::Result<Vec<u8>>> = parts
            .par_chunks(part)
            .map(|part| {
                let mut bytes = Vec::with_capacity(part.len() * 512);
                for (i, d) in part.iter().enumerate() {
                    if i > 0 {
                        bytes.push(b',');
                    }
                    serde_json::to_writer(&mut bytes, &JsonDiagnostic::of(d))?;
                }
                Ok(bytes)
            })
            .collect();
        for part in parts {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(&part?)?;
        }
    }
    out.write_all(b"]}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::span::{Position, Span};

    fn finding(path: &str, message: &str, target: Option<&str>) -> Diagnostic {
        Diagnostic {
            rule: "broken-link",
            severity: Severity::Error,
            path: path.into(),
            span: Span::new(3, 9),
            position: Position { line: 2, column: 7 },
            message: message.into(),
            help: "say \"what\"\tto do".into(),
            target: target.map(Into::into),
            repair: None,
            read: None,
        }
    }

    #[test]
    fn the_written_document_is_the_rendered_one() {
        let report = Report {
            pages: 3,
            diagnostics: vec![
                finding(
                    "a/é.html",
                    "broken link: no page has the URI /x",
                    Some("/x"),
                ),
                finding("b.html", "a \u{1} control", None),
            ],
            ..Report::default()
        };
        let mut written = Vec::new();
        write(&report, &mut written).expect("a Vec takes every byte");
        let rendered = render(&report);
        assert_eq!(String::from_utf8(written).expect("UTF-8"), rendered);
        assert!(rendered.ends_with("}]}\n"), "{rendered}");
        assert!(rendered.contains(r#""help":"say \"what\"\tto do""#));
        assert!(rendered.contains(r#""errors":2"#));
    }

    #[test]
    fn findings_written_in_parallel_parts_are_the_rendered_document() {
        // Parts of 3 findings, 2 made at once: no findings, a part not full, a full one, and
        // more than are made at once, by every count up to several rounds.
        for n in 0..=14 {
            let report = Report {
                pages: n,
                diagnostics: (0..n)
                    .map(|i| {
                        let target = format!("/page/{i}");
                        let target = (i % 3 != 0).then_some(target.as_str());
                        finding(&format!("p{i}.html"), &format!("message {i}"), target)
                    })
                    .collect(),
                ..Report::default()
            };
            let mut written = Vec::new();
            write_in_parts(&report, &mut written, 3, 2).expect("a Vec takes every byte");
            assert_eq!(
                String::from_utf8(written).expect("UTF-8"),
                render(&report),
                "{n} findings"
            );
        }
    }
}
