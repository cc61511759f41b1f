//! `--format rdjson`: reviewdog's Diagnostic Result JSON (`reviewdog -f=rdjson`), which
//! reviewdog posts as review comments or checks on GitHub, GitLab, Gitea and Bitbucket.
//!
//! The shape follows reviewdog's `proto/rdf/reviewdog.proto` (`DiagnosticResult`):
//!
//! ```json
//! {"source": {"name": "pagelint", "url": "…"},
//!  "severity": "ERROR",
//!  "diagnostics": [
//!    {"message": "broken link: … \nhelp", "severity": "ERROR",
//!     "location": {"path": "site/a.html", "range": {"start": {"line": 4, "column": 3}}},
//!     "code": {"value": "broken-link"}}]}
//! ```
//!
//! The top-level severity is the worst of the diagnostics' (`ERROR`, `WARNING`), or left out
//! when there are none; `source.url` is left out unless pagelint's homepage is known
//! (`Context::information_uri`), and `code.url` is left out since rules have no pages of
//! their own on the web (`pagelint explain RULE` documents them); paths are repository-relative (reviewdog
//! matches them against the diff). The proto counts columns in UTF-8 bytes; pagelint counts
//! characters, which is the same on ASCII lines and off by the extra bytes of any
//! non-ASCII characters before the finding on its line. `range.end` and `suggestions` are
//! left out: a finding knows where it starts, and a repair's new text depends on how the
//! file writes the old one, which only `pagelint fix` reads.

use super::context::Context;
use crate::Report;
use crate::diagnostic::Severity;
use serde_json::{Value, json};

/// reviewdog's name for a severity.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
    }
}

/// The report as one rdjson document (pretty-printed, then a newline).
pub fn render(report: &Report, ctx: &Context) -> String {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let message = if d.help.is_empty() {
                d.message.to_string()
            } else {
                format!("{}\n{}", d.message, d.help)
            };
            json!({
                "message": message,
                "severity": severity(d.severity),
                "location": {
                    "path": ctx.repo_path(&d.path),
                    "range": {"start": {
                        "line": d.position.line.max(1),
                        "column": d.position.column.max(1),
                    }},
                },
                "code": {"value": d.rule},
            })
        })
        .collect();
    let mut source = json!({"name": "pagelint"});
    if let Some(url) = &ctx.information_uri {
        source["url"] = json!(url);
    }
    let mut doc = json!({"source": source, "diagnostics": diagnostics});
    if let Some(worst) = report.diagnostics.iter().map(|d| d.severity).max() {
        doc["severity"] = json!(severity(worst));
    }
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| unreachable!());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fingerprint::tests::{ctx, diag, report};

    #[test]
    fn diagnostics_have_locations_codes_and_severities() {
        let r = report(vec![
            diag("broken-link", "a.html", 4, "broken link: /x", Some("/x")),
            diag(
                "orphan-page",
                "b.html",
                1,
                "no other page links to /b",
                None,
            ),
        ]);
        let mut context = ctx();
        context.information_uri = Some("https://example.org/pagelint/".into());
        let doc: Value = serde_json::from_str(&render(&r, &context)).expect("JSON");
        assert_eq!(doc["source"]["name"], "pagelint");
        assert_eq!(doc["source"]["url"], "https://example.org/pagelint/");
        assert_eq!(doc["severity"], "ERROR");
        let d = &doc["diagnostics"][0];
        assert_eq!(d["message"], "broken link: /x\ndo something");
        assert_eq!(d["severity"], "ERROR");
        assert_eq!(d["location"]["path"], "site/a.html");
        assert_eq!(d["location"]["range"]["start"]["line"], 4);
        assert_eq!(d["location"]["range"]["start"]["column"], 3);
        assert_eq!(d["code"]["value"], "broken-link");
        assert_eq!(doc["diagnostics"][1]["severity"], "WARNING");
    }

    #[test]
    fn without_findings_or_a_homepage_optional_fields_are_left_out() {
        let mut context = ctx();
        context.information_uri = None;
        let doc: Value =
            serde_json::from_str(&render(&report(Vec::new()), &context)).expect("JSON");
        assert_eq!(
            doc,
            json!({"source": {"name": "pagelint"}, "diagnostics": []})
        );
    }
}
