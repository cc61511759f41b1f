//! `--format json`: one JSON document on stdout, in a shape tests pin (version 1).

use crate::Report;
use crate::diagnostic::Severity;
use serde::Serialize;

#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Summary {
    pages: usize,
    errors: usize,
    warnings: usize,
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

/// The report as a JSON document (one line, then a newline).
pub fn render(report: &Report) -> String {
    let json = Json {
        version: 1,
        summary: Summary {
            pages: report.pages,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
        },
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                rule: d.rule,
                severity: d.severity,
                path: &d.path,
                line: d.position.line,
                column: d.position.column,
                message: &d.message,
                help: &d.help,
                target: d.target.as_deref(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string(&json).expect("a report always serializes");
    s.push('\n');
    s
}
