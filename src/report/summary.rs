//! The GitHub Actions job summary: Markdown the CLI appends to `$GITHUB_STEP_SUMMARY`, shown
//! on the run's page. Annotations (`github.rs`) reach the pull request only for the first few
//! findings; the summary lists them all.
//!
//! A heading with the totals, a table of counts per rule (errors first, then the most
//! frequent, then by id), then the findings grouped by rule in the table's order, each as a
//! code span `path:line:col` (repository-relative, easy to copy) and the message. User text
//! is escaped for GitHub-flavoured Markdown; code spans use a fence longer than any backtick
//! run they hold. A rule with more than `MAX_PER_RULE` findings lists that many and says how
//! many more there are (GitHub caps a step's summary at 1 MiB).

use super::context::Context;
use crate::Report;
use crate::diagnostic::Severity;

/// Findings listed per rule before the rest are counted instead.
pub const MAX_PER_RULE: usize = 100;

/// The report as job-summary Markdown.
pub fn render(report: &Report, ctx: &Context) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let mut out = format!(
        "## pagelint: {} in {}\n\n",
        totals(errors, warnings),
        plural(report.pages, "page")
    );
    if report.diagnostics.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    let groups = report.by_rule();
    out.push_str("| Rule | Severity | Findings |\n| --- | --- | ---: |\n");
    for ((rule, severity), found) in &groups {
        out.push_str(&format!(
            "| {} | {severity} | {} |\n",
            code(rule).replace('|', "\\|"),
            found.len()
        ));
    }
    for ((rule, severity), found) in &groups {
        out.push_str(&format!(
            "\n### {} ({severity}, {})\n\n",
            code(rule),
            found.len()
        ));
        for d in found.iter().take(MAX_PER_RULE) {
            let spot = format!(
                "{}:{}:{}",
                ctx.repo_path(&d.path),
                d.position.line,
                d.position.column
            );
            out.push_str(&format!("- {} {}\n", code(&spot), escape(&d.message)));
        }
        if found.len() > MAX_PER_RULE {
            out.push_str(&format!(
                "- … and {} more (the full list is in the report)\n",
                found.len() - MAX_PER_RULE
            ));
        }
    }
    out
}

fn totals(errors: usize, warnings: usize) -> String {
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `s` as a Markdown code span: fenced by more backticks than it holds in a row, padded when
/// it starts or ends with one, on one line.
pub fn code(s: &str) -> String {
    let s = one_line(s);
    let run = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(run + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// `s` as Markdown text inside a line (never at its start): the characters GitHub's Markdown
/// may read as syntax there (emphasis, code, links, HTML, table cells, strikethrough,
/// entities, math) are backslash-escaped, and line breaks become spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` with control characters (line breaks, tabs) as spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fingerprint::tests::{ctx, diag, report};

    #[test]
    fn counts_are_sorted_errors_first_then_by_count() {
        let r = report(vec![
            diag(
                "orphan-page",
                "a.html",
                1,
                "no other page links to /a",
                None,
            ),
            diag(
                "orphan-page",
                "b.html",
                1,
                "no other page links to /b",
                None,
            ),
            diag(
                "orphan-page",
                "c.html",
                1,
                "no other page links to /c",
                None,
            ),
            diag(
                "duplicate-id",
                "a.html",
                2,
                "id a is also claimed by b.html",
                None,
            ),
            diag("broken-link", "a.html", 5, "broken link: /x", Some("/x")),
            diag("broken-link", "b.html", 5, "broken link: /y", Some("/y")),
        ]);
        let md = render(&r, &ctx());
        assert!(
            md.starts_with("## pagelint: 3 errors, 3 warnings in 2 pages\n"),
            "{md}"
        );
        let table: Vec<&str> = md.lines().filter(|l| l.starts_with("| `")).collect();
        assert_eq!(
            table,
            [
                "| `broken-link` | error | 2 |",
                "| `duplicate-id` | error | 1 |",
                "| `orphan-page` | warning | 3 |",
            ]
        );
        assert!(
            md.contains("\n### `broken-link` (error, 2)\n\n- `site/a.html:5:3` broken link: /x\n"),
            "{md}"
        );
        let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("### ")).collect();
        assert_eq!(headings.len(), 3);
        assert!(headings[2].contains("orphan-page"));
    }

    #[test]
    fn user_text_is_escaped() {
        assert_eq!(
            escape("a|b <i>`x`</i>\nc"),
            "a\\|b \\<i\\>\\`x\\`\\</i\\> c"
        );
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        let r = report(vec![diag(
            "broken-link",
            "p|q.html",
            1,
            "bad <script>",
            None,
        )]);
        let md = render(&r, &ctx());
        assert!(
            md.contains("- `site/p|q.html:1:3` bad \\<script\\>"),
            "{md}"
        );
    }

    #[test]
    fn long_lists_say_how_many_more() {
        let many = (0..MAX_PER_RULE + 7)
            .map(|i| {
                diag(
                    "broken-link",
                    "a.html",
                    i as u32 + 1,
                    "broken link: /x",
                    Some("/x"),
                )
            })
            .collect();
        let md = render(&report(many), &ctx());
        assert_eq!(
            md.lines().filter(|l| l.starts_with("- `")).count(),
            MAX_PER_RULE
        );
        assert!(
            md.contains("- … and 7 more (the full list is in the report)"),
            "{md}"
        );
    }

    #[test]
    fn a_clean_run_says_so() {
        assert_eq!(
            render(&report(Vec::new()), &ctx()),
            "## pagelint: 0 errors, 0 warnings in 2 pages\n\nNo findings.\n"
        );
    }
}
