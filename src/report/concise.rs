//! `--format concise`: one line per finding, `path:line:col: rule: message`, the shape
//! compilers and grep print, which editors and terminals turn into links to the spot.
//!
//! The severity is left out of the line: the rule id already says it (its severity is set
//! per rule), and the literal form keeps `cut -d: -f4` and problem matchers simple. The path
//! is the one walked (relative to the current folder), so the line opens from where pagelint
//! ran. Messages are on one line: a line break or other control character in one is written
//! as a space, so that each finding is exactly one line.

use super::context::Context;
use crate::Report;

/// The report, one finding a line. (The context is not needed: paths stay as walked.)
pub fn render(report: &Report, _ctx: &Context) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&format!(
            "{}:{}:{}: {}: {}\n",
            one_line(&d.path),
            d.position.line,
            d.position.column,
            d.rule,
            one_line(&d.message)
        ));
    }
    out
}

/// `s` with every control character (line breaks, tabs) as a space.
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
    fn one_line_per_finding_in_report_order() {
        let r = report(vec![
            diag("broken-link", "b.html", 2, "broken link: /x", Some("/x")),
            diag(
                "missing-field",
                "a.html",
                7,
                "required field `title`\nis missing",
                None,
            ),
        ]);
        assert_eq!(
            render(&r, &ctx()),
            "a.html:7:3: missing-field: required field `title` is missing\n\
             b.html:2:3: broken-link: broken link: /x\n"
        );
    }

    #[test]
    fn an_empty_report_prints_nothing() {
        assert_eq!(render(&report(Vec::new()), &ctx()), "");
    }
}
