//! pagelint's fast readers against the reference parsers, on every fixture page and, when
//! PAGELINT_CORPUS is set, on every page of the real corpus:
//! - the link scanner must find exactly the URL-valued attributes (`a[href]`, `img[src]`, each
//!   `srcset` candidate…), ids and anchor names (outside `<template>`) and the first
//!   `<base href>` that scraper's browser-grade parse finds, and every span must hold the raw
//!   text of its value;
//! - the plain-YAML front-matter reader must read whatever it accepts exactly as serde_yaml does.

mod common;

use pagelint::parse::{frontmatter, html, srcset};
use scraper::{ElementRef, Html, Selector};
use std::path::Path;

/// Whether an element lies inside a `<template>` (scraper keeps template contents as its
/// children; the document tree does not hold them).
fn in_template(e: &ElementRef<'_>) -> bool {
    e.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|a| a.name() == "template")
    })
}

/// What the parser finds: every URL the scanner should report (as `selector value`), the
/// anchors, and the first base href.
fn parsed(body: &str) -> (Vec<String>, Vec<String>, Option<String>) {
    let doc = Html::parse_document(body);
    let ids = Selector::parse("[id]").expect("selector");
    let names = Selector::parse("a[name]").expect("selector");
    // Every element and attribute the scanner reports a link or asset for, as `selector value`.
    let mut hrefs: Vec<String> = Vec::new();
    for (tag, attribute) in [
        ("a", "href"),
        ("area", "href"),
        ("img", "src"),
        ("source", "src"),
        ("link", "href"),
        ("script", "src"),
        ("video", "src"),
        ("video", "poster"),
        ("audio", "src"),
        ("track", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("iframe", "src"),
    ] {
        let selector = format!("{tag}[{attribute}]");
        let parsed = Selector::parse(&selector).expect("selector");
        hrefs.extend(
            doc.select(&parsed)
                .filter_map(|e| e.value().attr(attribute))
                .map(|v| format!("{selector} {v}")),
        );
    }
    let inputs = Selector::parse("input[src]").expect("selector");
    hrefs.extend(
        doc.select(&inputs)
            .filter(|e| {
                e.value()
                    .attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("image"))
            })
            .filter_map(|e| e.value().attr("src"))
            .map(|v| format!("input[src] {v}")),
    );
    for (tag, attribute) in [
        ("img", "srcset"),
        ("source", "srcset"),
        ("link", "imagesrcset"),
    ] {
        let selector = format!("{tag}[{attribute}]");
        let parsed = Selector::parse(&selector).expect("selector");
        for value in doc
            .select(&parsed)
            .filter_map(|e| e.value().attr(attribute))
        {
            hrefs.extend(srcset::candidates(value).map(|r| format!("{selector} {}", &value[r])));
        }
    }
    let mut anchors: Vec<String> = doc
        .select(&ids)
        .filter(|e| !in_template(e))
        .filter_map(|e| e.value().attr("id"))
        .chain(
            doc.select(&names)
                .filter(|e| !in_template(e))
                .filter_map(|e| e.value().attr("name")),
        )
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    hrefs.sort();
    anchors.sort();
    anchors.dedup();
    let bases = Selector::parse("base[href]").expect("selector");
    let base = doc
        .select(&bases)
        .find(|e| !in_template(e))
        .and_then(|e| e.value().attr("href"))
        .map(str::to_owned);
    (hrefs, anchors, base)
}

/// Compare the plain-YAML reader with serde_yaml on one file's front matter; returns a
/// difference, and counts the files the reader accepted.
fn compare_front_matter(path: &Path, accepted: &mut usize) -> Option<String> {
    let bytes = std::fs::read(path).expect("readable");
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let end = rest.find("\n---")?;
    let yaml = &rest[..end + 1];
    let fast = frontmatter::simple_mapping(yaml)?;
    *accepted += 1;
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(full) if full == serde_yaml::Value::Mapping(fast.clone()) => None,
        other => Some(format!(
            "{}: plain reader {fast:?}\n serde_yaml {other:?}",
            path.display()
        )),
    }
}

fn front_matter_agrees(files: &[std::path::PathBuf]) -> usize {
    let mut accepted = 0;
    let diffs: Vec<String> = files
        .iter()
        .filter_map(|p| compare_front_matter(p, &mut accepted))
        .collect();
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    accepted
}

/// Compare the scanner with the parser on one file; returns a description of any difference.
fn compare(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).expect("readable");
    let text = String::from_utf8_lossy(&bytes);
    let start = frontmatter::parse(&text).body_start;
    let body = html::scan(&text, start);
    for link in &body.links {
        let raw = &text[link.span.start..link.span.end];
        if html::decode_attribute(raw) != link.href {
            return Some(format!(
                "{}: span {raw:?} does not decode to {:?}",
                path.display(),
                link.href
            ));
        }
    }
    let mut hrefs: Vec<String> = body
        .links
        .iter()
        .map(|l| format!("{} {}", l.source.selector(), l.href))
        .collect();
    hrefs.sort();
    let mut anchors = body.anchors.clone();
    anchors.sort();
    anchors.dedup();
    let (want_hrefs, want_anchors, want_base) = parsed(&text[start..]);
    (hrefs != want_hrefs || anchors != want_anchors || body.base != want_base).then(|| {
        format!(
            "{}:\n scanner hrefs {hrefs:?}\n  parser hrefs {want_hrefs:?}\n scanner anchors {anchors:?}\n  parser anchors {want_anchors:?}\n scanner base {:?}\n  parser base {want_base:?}",
            path.display(),
            body.base
        )
    })
}

fn pages(root: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "html" || x == "md" || x == "htm")
        })
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn scanner_agrees_with_the_parser_on_every_fixture() {
    let files = pages(&common::repo().join("fixtures"));
    assert!(files.len() > 20, "fixtures are present");
    let diffs: Vec<String> = files.iter().filter_map(|p| compare(p)).collect();
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn plain_yaml_reader_agrees_with_serde_yaml_on_every_fixture() {
    let files = pages(&common::repo().join("fixtures"));
    let accepted = front_matter_agrees(&files);
    assert!(
        accepted * 2 > files.len(),
        "the plain reader takes most fixtures: {accepted}"
    );
}

#[test]
fn scanner_agrees_with_the_parser_on_tricky_markup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        r#"<a href="/a">x</a><!-- <a href="/c"> --><a href='/b'>y</a><a href=/d>z</a>"#,
        r#"<script>document.write('<a href="/no">')</script><a href="/yes">"#,
        r#"<table><a href="/foster">x</a><tr><td><a href="/cell" id="c1">y</td></tr></table>"#,
        r#"<a href="/x?a=1&amp;b=2&copy=3&lt;&#x2F;&#47;" name="n1">e</a><p id="é">"#,
        r#"<a href="/1" href="/2" id="d" id="e"><area href="/map"><AREA HREF="/MAP2">"#,
        r#"<title><a href="/no"></title><textarea><a href="/no2"></textarea><style>a[href="/no3"]{}</style>"#,
        r#"<a
  class="x"
  href = "/multi"
>m</a><a href="">empty</a><a href>none</a><![CDATA[<a href="/cdata">]]>"#,
        r#"<svg><a href="/svg-link" id="svg-id"></a></svg><math><mi id="m"></mi></math>"#,
        r#"<!DOCTYPE html><?php echo '<a href="/no">'; ?><a href="/after-pi">"#,
        r#"<img src="/i.png" SRC="/dup.png"><picture><source src="/s.webp"></picture><link rel=stylesheet href=/c.css>"#,
        r#"<script src="/a.js">document.write('<img src="/no.png">')</script><video src=/v.mp4 poster='/p.jpg'><audio src="/a.ogg">"#,
        r#"<img srcset="/a.png 1x,/b,c.png 2x, /d.png 100w, /bad.png 2x 3x"><picture><source srcset='/e.png&#44; /f&amp;g.png 2x,data:image/png;base64,AA,BB 3x'></picture>"#,
        r#"<link rel=preload as=image imagesrcset="/p.png 2x, /q.png (future) 3x"><track src="/t.vtt"><embed src="/e.swf"><object data="/o.svg"></object>"#,
        r#"<input type=IMAGE src="/btn.png"><input type=text src="/no"><input src="/none"><iframe src="/frame"><a href="/no"></iframe>"#,
        r#"<base target=_blank><template><base href="/no/"><p id="hidden"><template><a name="deeper"></a></template><a href="/kept">k</a></template><base href="/docs/&amp;/"><base href="/2/"><p id="shown">"#,
        r#"<table><template><td id="in-table-template"></td></template><tr><td id="cell"></td></tr></table></template><p id="after-stray-end">"#,
    ];
    for (i, case) in cases.iter().enumerate() {
        let path = dir.path().join(format!("case{i}.html"));
        std::fs::write(&path, case).expect("write");
        if let Some(diff) = compare(&path) {
            panic!("case {i}: {case}\n{diff}");
        }
    }
}

#[test]
fn scanner_agrees_with_the_parser_on_the_real_corpus() {
    let Some(corpus) = common::shared_path("PAGELINT_CORPUS") else {
        return;
    };
    let files = pages(&corpus);
    assert!(files.len() >= 466, "the corpus has its pages");
    let diffs: Vec<String> = files.iter().filter_map(|p| compare(p)).collect();
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn plain_yaml_reader_agrees_with_serde_yaml_on_the_real_corpus() {
    let Some(corpus) = common::shared_path("PAGELINT_CORPUS") else {
        return;
    };
    let files = pages(&corpus);
    let accepted = front_matter_agrees(&files);
    eprintln!("the plain reader took {accepted} of {} pages", files.len());
    assert!(accepted > 0);
}
