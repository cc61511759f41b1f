//! `--format junit`: JUnit XML, for CI test-report views (GitLab's `artifacts:reports:junit`
//! in the merge request and pipeline, Jenkins' JUnit plugin, Azure Pipelines, CircleCI).
//!
//! One `<testsuite name="pagelint">` with one `<testcase>` per finding, not per page: viewers
//! show one row per test case and at most the first `<failure>` of each, so a page with five
//! broken links would show one of them. Each finding's row is named `rule: path:line:col`
//! (repository-relative), its `classname` is `pagelint.RULE` (Jenkins groups by it: one
//! class per rule), and its `file` and `line` attributes point at the spot (GitLab links the
//! file). A first test case, `N pages checked`, always passes, so a clean run shows as a
//! passing test rather than an empty report.
//!
//! Errors are `<failure type="error">` with the message as the `message` attribute and the
//! full text (position, message, help) as content. Warnings pass, with the same text in
//! `<system-out>`: pagelint exits 0 on warnings (unless `--deny-warnings`), and a test report
//! should not show red where the job is green. So the suite's `failures` count is the
//! report's error count.
//!
//! Text is escaped for XML 1.0: `&`, `<`, `>`, and in attributes `"`, `'`, tabs and line
//! breaks (as character references, which attribute normalisation keeps); characters XML 1.0
//! forbids (controls other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD.

use super::context::Context;
use crate::Report;
use crate::diagnostic::Severity;

/// The report as a JUnit XML document.
pub fn render(report: &Report, ctx: &Context) -> String {
    let tests = report.diagnostics.len() + 1;
    let failures = report.count(Severity::Error);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"pagelint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    out.push_str(&format!(
        "  <testsuite name=\"pagelint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
    ));
    out.push_str("    <properties>\n");
    out.push_str(&format!(
        "      <property name=\"pagelint.version\" value=\"{}\"/>\n",
        attr(ctx.version)
    ));
    out.push_str(&format!(
        "      <property name=\"pagelint.pages\" value=\"{}\"/>\n",
        report.pages
    ));
    out.push_str("    </properties>\n");
    out.push_str(&format!(
        "    <testcase name=\"{} pages checked\" classname=\"pagelint\"/>\n",
        report.pages
    ));
    for d in &report.diagnostics {
        let path = ctx.repo_path(&d.path);
        let spot = format!("{path}:{}:{}", d.position.line, d.position.column);
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"pagelint.{}\" file=\"{}\" line=\"{}\">\n",
            attr(&format!("{}: {spot}", d.rule)),
            attr(d.rule),
            attr(&path),
            d.position.line
        ));
        let body = text(&format!(
            "{spot}: {}[{}]: {}\nhelp: {}",
            d.severity, d.rule, d.message, d.help
        ));
        match d.severity {
            Severity::Error => out.push_str(&format!(
                "      <failure type=\"error\" message=\"{}\">{body}</failure>\n",
                attr(&d.message)
            )),
            Severity::Warning => {
                out.push_str(&format!("      <system-out>{body}</system-out>\n"));
            }
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// `s` as XML character data.
fn text(s: &str) -> String {
    escape(s, false)
}

/// `s` as an XML attribute value (between double quotes).
fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production, less tab, LF and CR,
/// which `escape` handles).
fn allowed(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fingerprint::tests::{ctx, diag, report};
    use quick_xml::events::Event;
    use quick_xml::{Reader, XmlVersion};

    /// Every element name and text of a document, checking it is well-formed.
    fn parse(xml: &str) -> (Vec<String>, Vec<String>) {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let (mut names, mut texts, mut current) = (Vec::new(), Vec::new(), String::new());
        let flush = |current: &mut String, texts: &mut Vec<String>| {
            if !current.trim().is_empty() {
                texts.push(std::mem::take(current));
            }
            current.clear();
        };
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    flush(&mut current, &mut texts);
                    for a in e.attributes() {
                        let a = a.expect("well-formed attribute");
                        a.normalized_value(XmlVersion::Implicit1_0)
                            .expect("attribute value unescapes");
                    }
                    names.push(e.name().as_ref().to_owned());
                }
                Ok(Event::End(_)) => flush(&mut current, &mut texts),
                Ok(Event::Text(t)) => current.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
                Ok(Event::GeneralRef(r)) => {
                    match r.resolve_char_ref().expect("a valid reference") {
                        Some(c) => current.push(c),
                        None => current.push_str(
                            quick_xml::escape::resolve_predefined_entity(&r)
                                .expect("a predefined entity"),
                        ),
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}\n{xml}", reader.error_position()),
            }
        }
        (names, texts)
    }

    #[test]
    fn errors_fail_and_warnings_pass_with_output() {
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
        let xml = render(&r, &ctx());
        let (names, texts) = parse(&xml);
        assert_eq!(names.iter().filter(|n| *n == "testcase").count(), 3);
        assert_eq!(names.iter().filter(|n| *n == "failure").count(), 1);
        assert_eq!(names.iter().filter(|n| *n == "system-out").count(), 1);
        assert!(xml.contains("tests=\"3\" failures=\"1\""), "{xml}");
        assert!(
            xml.contains("name=\"broken-link: site/a.html:4:3\" classname=\"pagelint.broken-link\" file=\"site/a.html\" line=\"4\""),
            "{xml}"
        );
        assert_eq!(
            texts,
            [
                "site/a.html:4:3: error[broken-link]: broken link: /x\nhelp: do something",
                "site/b.html:1:3: warning[orphan-page]: no other page links to /b\nhelp: do something",
            ]
        );
    }

    #[test]
    fn markup_quotes_and_forbidden_characters_are_escaped() {
        let nasty = "a <b> & \"c\" 'd'\u{1}\u{B}\u{FFFF}\ttab\nline\r";
        let r = report(vec![diag("broken-link", "x&y.html", 1, nasty, None)]);
        let xml = render(&r, &ctx());
        let (_, texts) = parse(&xml);
        assert!(
            texts[0].contains("a <b> & \"c\" 'd'\u{FFFD}\u{FFFD}\u{FFFD}\ttab\nline\r"),
            "{texts:?}"
        );
        assert!(!xml.contains('\u{1}') && !xml.contains('\u{B}'));
        assert!(xml.contains("message=\"a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;"));
        assert!(xml.contains("&#9;tab&#10;line&#13;\""), "{xml}");
    }

    #[test]
    fn a_clean_run_is_one_passing_test() {
        let xml = render(&report(Vec::new()), &ctx());
        let (names, _) = parse(&xml);
        assert_eq!(
            names,
            [
                "testsuites",
                "testsuite",
                "properties",
                "property",
                "property",
                "testcase"
            ]
        );
        assert!(xml.contains("<testcase name=\"2 pages checked\" classname=\"pagelint\"/>"));
    }
}
