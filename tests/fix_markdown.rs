//! `pagelint fix` on Markdown pages: link destinations are rewritten in Markdown's syntax,
//! byte for byte around them (link text, titles, `<…>`, reference definitions), HTML inside
//! Markdown as HTML, and a destination holding escapes or entities is left to a person.

mod common;

use common::{NOW, page, run_in, write};
use std::fs;

#[test]
fn markdown_destinations_are_rewritten_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "pagelint.yaml", "site:\n  trailing_slash: require\n");
    write(
        root,
        "target.md",
        page("target", "docs/target/", "# Target\n"),
    );
    let body = "Inline [the *target*](/docs/target \"Title (x)\") and ![img](/docs/target)\n\
                and <a href=\"/docs/target\">html</a> and [angle](</docs/target> 'T').\n\
                Reference [one][t] and [two][t]; escaped [e](/docs\\/target) stays.\n\
                In code: `[c](/docs/target)`.\n\n\
                [t]: /docs/target  \"Def title\"\n";
    write(root, "a.md", page("a", "docs/a/", body));
    let out = run_in(root, &["fix", ".", "--now", NOW]);
    assert!(out.status.code().is_some(), "fix ran");
    let fixed = fs::read_to_string(root.join("a.md")).expect("read");
    let expected = page(
        "a",
        "docs/a/",
        "Inline [the *target*](/docs/target/ \"Title (x)\") and ![img](/docs/target/)\n\
         and <a href=\"/docs/target/\">html</a> and [angle](</docs/target/> 'T').\n\
         Reference [one][t] and [two][t]; escaped [e](/docs\\/target) stays.\n\
         In code: `[c](/docs/target)`.\n\n\
         [t]: /docs/target/  \"Def title\"\n",
    );
    assert_eq!(
        fixed,
        expected,
        "only the destinations change; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // What is left is the escaped destination, for a person.
    let again = run_in(root, &["check", ".", "--format", "json", "--now", NOW]);
    let json = common::stdout_json(&again);
    let left: Vec<(String, u64)> = common::diagnostics(&json)
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(left, vec![("trailing-slash".to_owned(), 12)], "{json}");
}
