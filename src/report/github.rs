//! `--format github`: GitHub Actions workflow commands, shown as annotations on the
//! pull request's changed lines.

use crate::Report;
use crate::diagnostic::Severity;

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

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            escape(&d.path, true),
            d.position.line,
            d.position.column,
            escape(&format!("pagelint {}", d.rule), true),
            escape(&format!("{}\n{}", d.message, d.help), false),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn workflow_commands_are_escaped() {
        assert_eq!(escape("a:b,c%\n", true), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape("a:b,c%\n", false), "a:b,c%25%0A");
    }
}
