//! `--format github`: GitHub Actions workflow commands, shown as annotations on the
//! pull request's changed lines.
//!
//! GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job), so
//! errors are written first (in report order), then warnings; when either count passes the
//! limit, a last `::notice::` line gives the counts and says where the full list is (the job
//! summary, `summary.rs`, or the human report).

use super::context::Context;
use crate::Report;
use crate::diagnostic::{Diagnostic, Severity};

/// Annotations of one level GitHub shows per step.
pub const SHOWN_PER_LEVEL: usize = 10;

/// Escape a workflow command's message (`%`, CR and LF) or property (also `:` and `,`).
fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// The report as workflow commands, with paths as walked (relative to the current folder,
/// which in a workflow is usually the repository's top; `render_in` maps them when not).
pub fn render(report: &Report) -> String {
    commands(report, |d| d.path.to_string())
}

/// The report as workflow commands, with repository-relative paths (what GitHub matches
/// annotations against, wherever pagelint ran).
pub fn render_in(report: &Report, ctx: &Context) -> String {
    commands(report, |d| ctx.repo_path(&d.path))
}

fn commands(report: &Report, path: impl Fn(&Diagnostic) -> String) -> String {
    let mut out = String::new();
    for severity in [Severity::Error, Severity::Warning] {
        for d in report.diagnostics.iter().filter(|d| d.severity == severity) {
            out.push_str(&format!(
                "::{severity} file={},line={},col={},title={}::{}\n",
                escape(&path(d), true),
                d.position.line,
                d.position.column,
                escape(&format!("pagelint {}", d.rule), true),
                escape(&format!("{}\n{}", d.message, d.help), false),
            ));
        }
    }
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    if errors > SHOWN_PER_LEVEL || warnings > SHOWN_PER_LEVEL {
        out.push_str(&format!(
            "::notice title=pagelint::{}\n",
            escape(
                &format!(
                    "pagelint found {} and {}; GitHub shows only the \
                     first {SHOWN_PER_LEVEL} of each as annotations. The full list is in the job \
                     summary (or the human report: pagelint check).",
                    plural(errors, "error"),
                    plural(warnings, "warning")
                ),
                false
            )
        ));
    }
    out
}

fn plural(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fingerprint::tests::{ctx, diag, report};

    #[test]
    fn workflow_commands_are_escaped() {
        assert_eq!(escape("a:b,c%\n", true), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape("a:b,c%\n", false), "a:b,c%25%0A");
    }

    #[test]
    fn errors_come_first_in_report_order() {
        let r = report(vec![
            diag(
                "orphan-page",
                "a.html",
                1,
                "no other page links to /a",
                None,
            ),
            diag("broken-link", "b.html", 2, "broken link: /x", Some("/x")),
            diag("broken-link", "c.html", 2, "broken link: /y", Some("/y")),
        ]);
        let out = render(&r);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "no notice under the limit: {out}");
        assert!(lines[0].starts_with("::error file=b.html,line=2,col=3,title=pagelint broken-link::broken link: /x%0Ado something"));
        assert!(lines[1].starts_with("::error file=c.html,"));
        assert!(lines[2].starts_with("::warning file=a.html,"));
        assert!(render_in(&r, &ctx()).starts_with("::error file=site/b.html,"));
    }

    #[test]
    fn past_the_limit_a_notice_points_at_the_full_list() {
        let many: Vec<_> = (0..12)
            .map(|i| {
                diag(
                    "broken-link",
                    "a.html",
                    i + 1,
                    "broken link: /x",
                    Some("/x"),
                )
            })
            .chain([diag(
                "orphan-page",
                "z.html",
                1,
                "no other page links to /z",
                None,
            )])
            .collect();
        let out = render(&report(many));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 14);
        assert!(lines[11].starts_with("::error "));
        assert!(lines[12].starts_with("::warning "));
        assert_eq!(
            lines[13],
            "::notice title=pagelint::pagelint found 12 errors and 1 warning; GitHub shows only \
             the first 10 of each as annotations. The full list is in the job summary (or the \
             human report: pagelint check)."
        );
    }
}
