//! Properties of the Markdown reader and of `fix` on Markdown bodies, over generated pages
//! (proptest, a fixed seed): links in every form Markdown writes them (inline, `<…>`, with
//! titles, escapes and entities, reference definitions over two lines, images, autolinks and
//! literals), inside quotes, list items, tables and headings, with CRLF, lone CR, tabs,
//! multibyte text and a byte order mark. Every link's span lies inside the file on character
//! boundaries, at the position a naive count gives, and holds the destination as written;
//! a fix re-parses to the same links and changes no byte outside the destinations it repairs.

use pagelint::diagnostic::Repair;
use pagelint::fix::{apply, plan_in};
use pagelint::parse::body::BodyOptions;
use pagelint::parse::frontmatter;
use pagelint::parse::html::Body;
use pagelint::parse::markdown::{self, is_markdown_destination};
use pagelint::parse::slug::HeadingIds;
use pagelint::parse::span::{LineIndex, Position};
use pagelint::parse::uri::Uri;
use proptest::prelude::*;
use proptest::test_runner::{Config as Cases, RngSeed};

/// A destination as a page writes one: plain, with a query or fragment, escaped, with an
/// entity, with balanced parentheses, multibyte.
fn destination() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/docs/a".to_owned()),
        Just("/docs/b/".to_owned()),
        Just("../up/c#sec".to_owned()),
        Just("/q?a=1&b=2".to_owned()),
        Just("/docs/\\(x\\)".to_owned()),
        Just("/a&amp;b".to_owned()),
        Just("/p_(q)_r".to_owned()),
        Just("/café/ü".to_owned()),
        Just("https://www.example.org/docs/a".to_owned()),
        Just("#frag".to_owned()),
    ]
}

/// Link text: plain, with markup, multibyte, a tab.
fn text() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("a"),
        Just("the *guide*"),
        Just("`code`"),
        Just("日本\tx"),
        Just("[nested]"),
    ]
}

/// One inline construct holding a link (`n` numbers reference labels).
fn inline(n: usize) -> impl Strategy<Value = (String, Option<String>)> {
    (text(), destination(), 0..8usize).prop_map(move |(t, d, form)| match form {
        0 => (format!("[{t}]({d})"), None),
        1 => (format!("[{t}](<{d}> \"title\")"), None),
        2 => (format!("![{t}]({d} 'alt (x)')"), None),
        3 => (
            format!("[{t}][r{n}]"),
            Some(format!("[R{n}]:\n  {d}\n  \"title\"")),
        ),
        4 => (format!("[r{n}]"), Some(format!("[r{n}]: <{d}>"))),
        5 => ("<https://www.example.org/auto>".to_owned(), None),
        6 => ("see www.example.org/lit_(x).".to_owned(), None),
        _ => (format!("[{t}](\n{d})"), None),
    })
}

/// A block holding `line` (and the definition it needs, written in the same container).
fn block(line: String, def: Option<String>, kind: usize) -> String {
    let def = def.unwrap_or_default();
    match kind {
        0 => format!("{line}\n\n{def}"),
        1 => {
            let quoted = |s: &str| {
                s.lines()
                    .map(|l| format!("> {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            format!("{}\n>\n{}", quoted(&line), quoted(&def))
        }
        2 => {
            let indented = def.replace('\n', "\n   ");
            format!(
                "1. item\n\n   {}\n\n   {indented}",
                line.replace('\n', "\n   ")
            )
        }
        3 if !line.contains('\n') => format!("| h | i |\n|---|---|\n| {line} | x |\n\n{def}"),
        4 if !line.contains('\n') => format!("## {line} ü\n\n{def}"),
        _ => format!(
            "- a\n  {}\n\n  {}",
            line.replace('\n', "\n  "),
            def.replace('\n', "\n  ")
        ),
    }
}

/// A Markdown page: front matter, then blocks of links, with one of the line endings.
fn page() -> impl Strategy<Value = String> {
    let blocks = prop::collection::vec((0..6usize, any::<u8>()), 1..6).prop_flat_map(|kinds| {
        kinds
            .into_iter()
            .enumerate()
            .map(|(n, (kind, _))| inline(n).prop_map(move |(l, d)| block(l, d, kind)))
            .collect::<Vec<_>>()
    });
    (blocks, 0..3usize, any::<bool>()).prop_map(|(blocks, ending, bom)| {
        let text = format!(
            "---\ntitle: T\n---\n# Title\n\n{}\n\nend `[c](/code)` and\ttab\n",
            blocks.join("\n\n")
        );
        let text = match ending {
            0 => text,
            1 => text.replace('\n', "\r\n"),
            _ => text.replace('\n', "\r"),
        };
        if bom { format!("\u{FEFF}{text}") } else { text }
    })
}

/// The 1-based line and column of `offset`, counted simply (each `\n`, `\r\n` and lone `\r`
/// ends a line; a column is a character; a byte order mark is none).
fn naive(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(
        if text.starts_with('\u{FEFF}') {
            3.min(offset)
        } else {
            0
        },
        |i| i + 1,
    );
    let line = 1 + before.matches("\r\n").count() + before.matches('\n').count()
        - before.matches("\r\n").count()
        + before.matches('\r').count()
        - before.matches("\r\n").count();
    Position {
        line: line as u32,
        column: text[line_start..offset].chars().count() as u32 + 1,
    }
}

fn scan(text: &str) -> Body {
    let start = frontmatter::parse(text).body_start;
    let options = BodyOptions {
        heading_ids: HeadingIds::Goldmark,
        ..BodyOptions::default()
    };
    options.scan("page.md", text, start)
}

proptest! {
    #![proptest_config(Cases {
        cases: 200,
        rng_seed: RngSeed::Fixed(10),
        failure_persistence: None,
        ..Cases::default()
    })]

    #[test]
    fn every_link_span_is_its_destination_as_written(text in page()) {
        let body = scan(&text);
        let lines = LineIndex::new(&text);
        let start = frontmatter::parse(&text).body_start;
        prop_assert!(!body.links.is_empty());
        for link in &body.links {
            let s = link.span;
            prop_assert!(start <= s.start && s.start <= s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            prop_assert_eq!(lines.position(&text, s.start), naive(&text, s.start));
            if !is_markdown_destination(link.source) {
                continue;
            }
            let written = &text[s.start..s.end];
            prop_assert_eq!(
                markdown::decode_destination(written), link.href.clone(),
                "{:?} at {:?} in {:?}", link.source, s, text
            );
            prop_assert_eq!(link.located, written == link.href, "{:?}", written);
        }
    }

    #[test]
    fn a_markdown_fix_changes_only_the_destinations_it_repairs(
        text in page(),
        choice in any::<u8>(),
    ) {
        let body = scan(&text);
        let repairs: Vec<Repair> = body
            .links
            .iter()
            .enumerate()
            .map(|(i, _)| match (i + choice as usize) % 3 {
                0 => Repair::AddSlash,
                1 => Repair::RemoveSlash,
                _ => Repair::Target { uri: Uri::from_path("/docs/fixed"), slash: false },
            })
            .collect();
        let wanted: Vec<_> = body.links.iter().zip(&repairs).map(|(l, r)| (l.span, r)).collect();
        let options = BodyOptions {
            heading_ids: HeadingIds::Goldmark,
            ..BodyOptions::default()
        };
        let edits: Vec<_> = plan_in(&text, &wanted, "", Some((&options, "page.md")))
            .into_iter()
            .map(|p| p.edit)
            .collect();
        let fixed = apply(&text, &edits);
        // Outside the edits, every byte is as it was.
        let mut at = (0, 0);
        for e in &edits {
            prop_assert!(body.links.iter().any(|l| l.span == e.span && l.located));
            let kept = e.span.start - at.0;
            prop_assert_eq!(&text[at.0..e.span.start], &fixed[at.1..at.1 + kept]);
            at = (e.span.end, at.1 + kept + e.new.len());
        }
        prop_assert_eq!(&text[at.0..], &fixed[at.1..]);
        // The fixed page reads as the same links; an edited one holds what was written.
        let after = scan(&fixed);
        prop_assert_eq!(after.links.len(), body.links.len(), "{:?}", fixed);
        let mut shift = 0isize;
        for (old, new) in body.links.iter().zip(&after.links) {
            prop_assert_eq!(old.source, new.source);
            match edits.iter().find(|e| e.span == old.span) {
                Some(e) => {
                    prop_assert_eq!(&new.href, &e.new, "{:?}", fixed);
                    shift += e.new.len() as isize - old.span.len() as isize;
                }
                None => {
                    prop_assert_eq!(&new.href, &old.href);
                    prop_assert_eq!(new.span.start as isize, old.span.start as isize + shift);
                }
            }
        }
    }
}
