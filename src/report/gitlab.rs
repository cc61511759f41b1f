//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), shown in
//! the merge request widget and, on tiers that have it, in the diff.
//!
//! A JSON array of issues with the fields GitLab's documentation requires: `description`
//! (the message and, after it, the help), `check_name` (the rule id), `fingerprint` (the
//! line-independent hash of `fingerprint.rs`, unique per finding in a report: GitLab shows
//! only one issue per fingerprint, and compares fingerprints between the source and target
//! branches to tell new findings from fixed ones), `severity`, and `location` with the
//! repository-relative `path` and `lines.begin`. Errors are `major` and warnings `minor` on
//! GitLab's scale (info, minor, major, critical, blocker): an error breaks the page for a
//! reader, but no finding of a content linter is a build-breaking `critical`/`blocker` in
//! GitLab's sense. `categories` (Code Climate's, which GitLab accepts) is `["Style"]` for
//! every issue, and `type` is `"issue"`.

use super::context::Context;
use super::fingerprint::fingerprints;
use crate::Report;
use crate::diagnostic::Severity;
use serde_json::{Value, json};

/// GitLab's severity for a pagelint severity.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}

/// The report as a Code Quality JSON array (pretty-printed, then a newline).
pub fn render(report: &Report, ctx: &Context) -> String {
    let issues: Vec<Value> = report
        .diagnostics
        .iter()
        .zip(fingerprints(report, ctx))
        .map(|(d, print)| {
            let description = if d.help.is_empty() {
                d.message.to_string()
            } else {
                format!("{} ({})", d.message, d.help)
            };
            json!({
                "type": "issue",
                "description": description,
                "check_name": d.rule,
                "categories": ["Style"],
                "fingerprint": print.hash(),
                "severity": severity(d.severity),
                "location": {
                    "path": print.path,
                    "lines": {"begin": d.position.line.max(1)},
                },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| unreachable!());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fingerprint::tests::{ctx, diag, report};
    use std::collections::BTreeSet;

    #[test]
    fn issues_have_the_required_fields_and_unique_fingerprints() {
        let r = report(vec![
            diag("broken-link", "a.html", 4, "broken link: /x", Some("/x")),
            diag("broken-link", "a.html", 9, "broken link: /x", Some("/x")),
            diag(
                "orphan-page",
                "b.html",
                1,
                "no other page links to /b",
                None,
            ),
        ]);
        let out: Value = serde_json::from_str(&render(&r, &ctx())).expect("JSON");
        let issues = out.as_array().expect("an array");
        assert_eq!(issues.len(), 3);
        assert_eq!(issues[0]["check_name"], "broken-link");
        assert_eq!(issues[0]["severity"], "major");
        assert_eq!(issues[0]["location"]["path"], "site/a.html");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 4);
        assert_eq!(issues[0]["description"], "broken link: /x (do something)");
        assert_eq!(issues[2]["severity"], "minor");
        let prints: BTreeSet<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().expect("a string"))
            .collect();
        assert_eq!(prints.len(), 3, "fingerprints are unique");
    }

    #[test]
    fn an_empty_report_is_an_empty_array() {
        assert_eq!(render(&report(Vec::new()), &ctx()), "[]\n");
    }
}
