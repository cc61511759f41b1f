//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`)
//! and other SARIF viewers.
//!
//! One run; `tool.driver.rules` lists every built-in rule (enabled or not), with its YAML docs
//! as descriptions and help, so a viewer can explain any result; each result names its rule by
//! id and index. Locations are repository-relative URIs against the `%SRCROOT%` base, which
//! `originalUriBaseIds` sets to the repository's top folder; columns count Unicode characters
//! (`columnKind: unicodeCodePoints`). `partialFingerprints["pagelintFingerprint/v1"]` is the
//! line-independent fingerprint (`fingerprint.rs`), so an alert survives edits above it.
//!
//! The shape is checked against the OASIS schema (tests/data/sarif-schema-2.1.0.json) by the
//! tests. The document's keys are written in sorted order; the bytes depend only on the
//! report and the context.

use super::context::Context;
use super::fingerprint::fingerprints;
use crate::Report;
use crate::diagnostic::Severity;
use crate::rules::{self, Rule};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

/// What the `$schema` key points at: the OASIS schema the tests validate against.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of pagelint's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "pagelintFingerprint/v1";

/// Characters a relative URI's path may not hold as they are (RFC 3986), besides controls.
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The report as a SARIF log (pretty-printed JSON, then a newline).
pub fn render(report: &Report, ctx: &Context) -> String {
    let prints = fingerprints(report, ctx);
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .zip(&prints)
        .map(|(d, print)| {
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": message_text(&d.message, &d.help)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": utf8_percent_encode(&print.path, URI_PATH).to_string(),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {
                            "startLine": d.position.line.max(1),
                            "startColumn": d.position.column.max(1),
                        },
                    },
                }],
                "partialFingerprints": {FINGERPRINT_KEY: print.hash()},
            });
            // Engine-reported ids are built-in; an unknown one just has no index.
            if let Some((index, _)) = rules::find(d.rule) {
                result["ruleIndex"] = json!(index);
            }
            result
        })
        .collect();
    let mut driver = json!({
        "name": "pagelint",
        "version": ctx.version,
        "semanticVersion": ctx.version,
        "rules": rules::rules().iter().map(descriptor).collect::<Vec<_>>(),
    });
    if let Some(uri) = &ctx.information_uri {
        driver["informationUri"] = json!(uri);
    }
    let mut root = json!({
        "description": {"text": "The repository's top folder."},
    });
    if let Ok(uri) = url::Url::from_directory_path(ctx.root()) {
        root["uri"] = json!(uri.as_str());
    }
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {"%SRCROOT%": root},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_else(|_| unreachable!());
    out.push('\n');
    out
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A result's message: what is wrong, then what to do.
fn message_text(message: &str, help: &str) -> String {
    if help.is_empty() {
        message.to_owned()
    } else {
        format!("{message}\n{help}")
    }
}

/// A rule's `reportingDescriptor`: its id, summary, why, and help as text and Markdown.
fn descriptor(rule: &Rule) -> Value {
    let m = &rule.meta;
    let text = format!(
        "{}\n\nWhy is this bad?\n{}\nExample:\n{}\nHow to fix:\n{}",
        m.summary.trim(),
        m.why.trim_end(),
        m.example.trim_end(),
        m.fix.trim_end()
    );
    let fence = "`".repeat(longest_backtick_run(&m.example).max(2) + 1);
    let markdown = format!(
        "{}\n\n**Why is this bad?**\n\n{}\n\n**Example**\n\n{fence}\n{}\n{fence}\n\n**How to fix**\n\n{}\n",
        m.summary.trim(),
        m.why.trim_end(),
        m.example.trim_end(),
        m.fix.trim_end()
    );
    json!({
        "id": m.id,
        "name": m.id,
        "shortDescription": {"text": m.summary.trim()},
        "fullDescription": {"text": m.why.trim_end()},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": level(m.severity), "enabled": m.enabled},
    })
}

/// The longest run of backticks in `s` (a code fence must be longer).
fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::fingerprint::tests::{ctx, diag, report};

    /// The OASIS SARIF 2.1.0 schema kept as test data.
    pub(crate) fn validator() -> jsonschema::Validator {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(&path).expect("the SARIF schema is in tests/data");
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::draft4::new(&schema).expect("the schema compiles")
    }

    fn sample() -> Report {
        report(vec![
            diag(
                "broken-link",
                "b c/a#1.html",
                4,
                "broken link: /x",
                Some("/x"),
            ),
            diag(
                "broken-link",
                "b c/a#1.html",
                9,
                "broken link: /x",
                Some("/x"),
            ),
            diag("stale-updated-at", "a.html", 2, "`updated_at` is old", None),
        ])
    }

    #[test]
    fn the_log_is_valid_against_the_official_schema() {
        let mut context = ctx();
        context.information_uri = Some("https://example.org/pagelint".into());
        let out = render(&sample(), &context);
        let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
        let validator = validator();
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn the_validator_rejects_a_broken_log() {
        let out = render(&sample(), &ctx());
        let mut log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
        let validator = validator();
        log["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(!validator.is_valid(&log), "an unknown level is invalid");
        let mut log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            json!(0);
        assert!(!validator.is_valid(&log), "line 0 is invalid");
        assert!(
            !validator.is_valid(&json!({"version": "2.1.0"})),
            "runs is required"
        );
    }

    #[test]
    fn results_point_at_their_rules_and_repository_paths() {
        let out = render(&sample(), &ctx());
        let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), rules::rules().len(), "every built-in rule");
        let results = run["results"].as_array().expect("results");
        assert_eq!(results.len(), 3);
        for r in results {
            let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], r["ruleId"]);
        }
        let loc = &results[1]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "site/b%20c/a%231.html");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 4);
        assert_eq!(
            results[1]["message"]["text"],
            "broken link: /x\ndo something"
        );
        assert_eq!(results[0]["ruleId"], "stale-updated-at");
        assert_eq!(results[0]["level"], "warning");
        let prints: Vec<&Value> = results
            .iter()
            .map(|r| &r["partialFingerprints"][FINGERPRINT_KEY])
            .collect();
        assert_ne!(prints[1], prints[2], "two identical links differ");
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///repo/"
        );
        let broken = &rules[rules::find("broken-link").expect("rule").0];
        assert_eq!(broken["defaultConfiguration"]["level"], "error");
        let help = broken["help"]["markdown"].as_str().expect("markdown");
        assert!(help.contains("**How to fix**"), "{help}");
    }

    #[test]
    fn the_output_is_the_same_bytes_every_time() {
        assert_eq!(render(&sample(), &ctx()), render(&sample(), &ctx()));
    }
}
