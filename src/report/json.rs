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
                let mut texts = Escaped::default();
                for (i, d) in part.iter().enumerate() {
                    if i > 0 {
                        bytes.push(b',');
                    }
                    write_finding(d, &mut texts, &mut bytes)?;
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

/// One finding as `JsonDiagnostic` serializes it, its texts from `texts`.
fn write_finding(d: &Diagnostic, texts: &mut Escaped, out: &mut Vec<u8>) -> io::Result<()> {
    out.extend_from_slice(b"{\"rule\":");
    texts.write(d.rule, out)?;
    out.extend_from_slice(b",\"severity\":");
    serde_json::to_writer(&mut *out, &d.severity)?;
    out.extend_from_slice(b",\"path\":");
    texts.write(&d.path, out)?;
    out.extend_from_slice(b",\"line\":");
    serde_json::to_writer(&mut *out, &d.position.line)?;
    out.extend_from_slice(b",\"column\":");
    serde_json::to_writer(&mut *out, &d.position.column)?;
    out.extend_from_slice(b",\"message\":");
    texts.write(&d.message, out)?;
    out.extend_from_slice(b",\"help\":");
    texts.write(&d.help, out)?;
    if let Some(target) = &d.target {
        out.extend_from_slice(b",\"target\":");
        texts.write(target, out)?;
    }
    out.push(b'}');
    Ok(())
}

/// Each text a part of the findings names, escaped as a JSON string (quotes included) once:
/// the texts are shared (`Arc<str>`, one copy of each in a run), a page's path by all of its
/// findings and a message by every finding of the same missing URI, and escaping them again
/// for each finding was most of the writer's work. A text is known by its address and length,
/// which name one text while the report is borrowed.
#[derive(Default)]
struct Escaped {
    bytes: Vec<u8>,
    at: rustc_hash::FxHashMap<(usize, usize), (usize, usize)>,
}

impl Escaped {
    /// Append `text` to `out` as serde_json writes a string.
    fn write(&mut self, text: &str, out: &mut Vec<u8>) -> io::Result<()> {
        let key = (text.as_ptr() as usize, text.len());
        let (start, end) = match self.at.get(&key) {
            Some(&range) => range,
            None => {
                let start = self.bytes.len();
                serde_json::to_writer(&mut self.bytes, text)?;
                let range = (start, self.bytes.len());
                self.at.insert(key, range);
                range
            }
        };
        out.extend_from_slice(&self.bytes[start..end]);
        Ok(())
    }
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
    fn escaped_texts_are_serde_jsons_strings_whether_seen_before_or_not() {
        let texts: Vec<std::sync::Arc<str>> = [
            "plain",
            "say \"what\" \\ now",
            "a \u{1} control, a \u{1f} one, a tab\t and a line\n",
            "é, ü, 日本, 🦀 and \u{7f}",
            "",
            // The same text as the first, at another address.
            "plain",
        ]
        .into_iter()
        .map(Into::into)
        .collect();
        let mut escaped = Escaped::default();
        let mut out = Vec::new();
        let mut expected = Vec::new();
        // Twice over: the second time every text is one already escaped.
        for text in texts.iter().chain(&texts) {
            escaped
                .write(text, &mut out)
                .expect("a Vec takes every byte");
            serde_json::to_writer(&mut expected, &**text).expect("a str serializes");
        }
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            String::from_utf8(expected).expect("UTF-8")
        );
        assert_eq!(escaped.at.len(), texts.len(), "one entry per distinct text");
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
