//! Properties of parsing any text (proptest): every span a parse yields lies inside its file
//! on character boundaries, and its line and column are those a naive count finds with LF,
//! CRLF and a lone CR as line ends; splitting front matter off arbitrary bytes never panics;
//! the human report renders any span.

use pagelint::diagnostic::{Diagnostic, Severity};
use pagelint::parse::frontmatter;
use pagelint::parse::limits::Limits;
use pagelint::parse::link::Resolver;
use pagelint::parse::page::{FieldNames, Page};
use pagelint::parse::span::{Position, Span};
use pagelint::report::human::{Style, render};
use pagelint::source::open::Reread;
use proptest::prelude::*;

/// The 1-based line and column of byte `offset` of `text`, counted one character at a time:
/// LF, CRLF and a lone CR end a line; a byte order mark at the start is not a column.
fn naive(text: &str, offset: usize) -> Position {
    let (mut line, mut column) = (1u32, 1u32);
    for (i, c) in text[..offset].char_indices() {
        match c {
            '\u{FEFF}' if i == 0 => {}
            '\n' => (line, column) = (line + 1, 1),
            // A CR ends a line unless an LF follows it (in the whole text).
            '\r' if text[i + 1..].starts_with('\n') => column += 1,
            '\r' => (line, column) = (line + 1, 1),
            _ => column += 1,
        }
    }
    Position { line, column }
}

/// Pieces that make front matter, markup and line ends meet in every way.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---".to_owned()),
        Just("-----".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("uri: /a".to_owned()),
        Just("id: é".to_owned()),
        Just("title: \"x".to_owned()),
        Just("links:\n  - id: a".to_owned()),
        Just(": ".to_owned()),
        Just("<a href=\"/x#é\">".to_owned()),
        Just("<a href='😀'>".to_owned()),
        Just("<p id=\"s\">".to_owned()),
        Just("<img src=\"/i.png\" srcset=\"a.png 1x, b€.png 2x\">".to_owned()),
        Just("<!-- pagelint-disable-next-line broken-link -->".to_owned()),
        Just("&amp;".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\u{1}".to_owned()),
        Just("\u{FEFF}".to_owned()),
        Just("\u{85}".to_owned()),
        Just("é€😀".to_owned()),
        "[ -~]{0,8}",
        "\\PC{0,4}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|p| p.concat())
}

fn parse(text: &str) -> Page {
    let names = FieldNames {
        uri: "uri",
        id: "id",
        links: &["links".to_owned()],
        toc: Some("toc"),
        redirect: Some("redirect_uri"),
        base_path: "",
        limits: &Limits::default(),
        uri_from: Default::default(),
        permalink: None,
        locales: None,
        aliases: &[],
        trailing_slash: Default::default(),
        content_dir: None,
        body: Default::default(),
    };
    let resolver = Resolver::new(&[], globset::GlobSet::empty(), "");
    Page::from_bytes(
        "p.html".into(),
        "p.html".into(),
        text.as_bytes().to_vec(),
        &names,
        &resolver,
    )
}

/// Every span the page holds, with the position it was given.
fn spans(page: &Page) -> Vec<(&'static str, Span, Position)> {
    let mut out = vec![("open", page.open.span, page.open.position)];
    for f in page.fields.values() {
        out.push(("field", f.spot.span, f.spot.position));
        out.push(("key", f.key.span, f.key.position));
    }
    for l in &page.links {
        out.push(("link", l.span(), l.position));
    }
    if let Some(p) = &page.front_matter {
        out.push(("front matter", p.spot.span, p.spot.position));
    }
    for t in &page.toc {
        out.push(("toc", t.spot.span, t.spot.position));
    }
    out
}

fn check_spans(text: &str) -> Result<(), TestCaseError> {
    let page = parse(text);
    for (what, span, position) in spans(&page) {
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "{what} {span:?}"
        );
        prop_assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{what} {span:?} cuts a character"
        );
        prop_assert_eq!(position, naive(text, span.start), "{} at {:?}", what, span);
    }
    Ok(())
}

proptest! {
    // Enough cases to meet every piece next to every other, few enough to stay fast.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn spans_lie_on_character_boundaries_at_naive_positions(text in text()) {
        check_spans(&text)?;
    }

    #[test]
    fn any_text_parses_with_sound_spans(text in "\\PC{0,200}") {
        check_spans(&text)?;
    }

    #[test]
    fn splitting_front_matter_off_arbitrary_bytes_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        fenced in any::<bool>(),
    ) {
        let mut bytes = bytes;
        if fenced {
            bytes.splice(0..0, b"---\n".iter().copied());
        }
        let text = String::from_utf8_lossy(&bytes);
        let fm = frontmatter::parse(&text);
        prop_assert!(fm.body_start <= text.len() && text.is_char_boundary(fm.body_start));
        let page = parse(&text);
        for (what, span, _) in spans(&page) {
            prop_assert!(span.end <= text.len() && text.is_char_boundary(span.start), "{what}");
        }
    }

    #[test]
    fn the_human_report_renders_any_span(
        text in text(),
        start in 0usize..400,
        len in 0usize..400,
        line in 0u32..50,
        column in 0u32..50,
    ) {
        let finding = Diagnostic {
            rule: "broken-link",
            severity: Severity::Error,
            path: "p.html".into(),
            span: Span::new(start, start + len),
            position: Position { line, column },
            message: "m".into(),
            help: "h".into(),
            target: None,
            repair: None,
            read: None,
        };
        let style = Style { color: false, unicode: true, width: 80 };
        let out = render(&[finding], style, |_| Reread::Checked(text.clone()));
        prop_assert!(out.contains("m"));
        prop_assert!(!out.contains(" 0 │"), "{}", out);
    }
}

#[test]
fn the_naive_count_is_the_one_browsers_use() {
    let text = "a\rb\r\nc\nd";
    assert_eq!(naive(text, 2), Position { line: 2, column: 1 });
    assert_eq!(naive(text, 5), Position { line: 3, column: 1 });
    assert_eq!(naive(text, 7), Position { line: 4, column: 1 });
}
