//! `pagelint fix` changes only the bytes it means to, only to a target beyond doubt: each case
//! is a page run through the built binary, its whole bytes compared before and after.

mod common;

use common::{FRESH, NOW, run_in, write};
use std::fs;
use std::path::Path;

/// The fields every page needs besides id, uri and title (so other rules stay quiet).
const REST: &str = "type: page\nauthorship: A\n";

fn fresh() -> String {
    format!("{REST}{FRESH}")
}

/// A site with a page at /docs/target (with id `s`) and `config` as pagelint.yaml.
fn site(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "pagelint.yaml", config);
    write(
        dir.path(),
        "target.html",
        format!(
            "---\nid: target\nuri: docs/target\ntitle: T\n{}---\n<h2 id=\"sec\">S</h2>\n",
            fresh()
        ),
    );
    dir
}

/// `pagelint fix .`: its stderr.
fn fix(root: &Path) -> String {
    let out = run_in(root, &["fix", ".", "--now", NOW]);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `pagelint check .`: its stderr (findings go to stdout).
fn check(root: &Path) -> (String, String) {
    let out = run_in(root, &["check", ".", "--now", NOW]);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const FIELDS: &str =
    "site:\n  link_fields: [further_reading_uri]\n  redirect_field: redirect_uri\n";

#[test]
fn field_values_in_forms_fix_cannot_locate_are_left_for_a_person() {
    let dir = site(FIELDS);
    let root = dir.path();
    // A page `name` whose front matter has `title` (its line or lines) and ends with `tail`.
    let page = |name: &str, title: &str, tail: &str| {
        format!(
            "---\nid: {name}\nuri: docs/{name}\n{title}{}{tail}---\n",
            fresh()
        )
    };
    let flow = "---\n{id: flow, uri: docs/flow, title: T, type: page, authorship: A, \
                further_reading_uri: docs/targte}\n---\n<p>x</p>\n";
    let title = "title: T\n";
    let pages = [
        ("flow", flow.to_owned()),
        (
            "anchor-value",
            page(
                "av",
                title,
                "further_reading_uri: &a docs/targte\nsee: *a\n",
            ),
        ),
        (
            "anchor-key",
            page("ak", title, "&k further_reading_uri: docs/targte\n"),
        ),
        (
            "folded",
            page("fo", title, "further_reading_uri: >-\n  docs/targte\n"),
        ),
        (
            "literal",
            page("li", title, "further_reading_uri: |\n  docs/targte\n"),
        ),
        (
            "alias",
            page("al", title, "x: &a docs/targte\nfurther_reading_uri: *a\n"),
        ),
        (
            "tag",
            page("tg", title, "further_reading_uri: !!str docs/targte\n"),
        ),
        // Text inside a quoted value that looks like the field, before the field itself.
        (
            "inside-quotes",
            page(
                "iq",
                "title: \"x\nfurther_reading_uri: docs/targte\n\"\n",
                "further_reading_uri: docs/targte\n",
            ),
        ),
        (
            "inside-quotes-redirect",
            page(
                "iqr",
                "title: \"x\nredirect_uri: docs/targte\"\n",
                "redirect_uri: docs/targte\n",
            ),
        ),
    ];
    for (name, text) in &pages {
        write(root, &format!("{name}.html"), text);
    }
    let (stdout, stderr) = check(root);
    assert_eq!(
        stdout.matches("no page has the URI /docs/targte").count(),
        pages.len(),
        "every page has its broken link: {stdout}"
    );
    assert_eq!(
        stdout
            .matches("cannot locate this value with certainty")
            .count(),
        pages.len(),
        "{stdout}"
    );
    assert!(!stderr.contains("fixable"), "{stderr}");
    let stderr = fix(root);
    assert!(stderr.contains("fixed 0 findings in 0 files"), "{stderr}");
    for (name, text) in &pages {
        assert_eq!(
            &fs::read_to_string(root.join(format!("{name}.html"))).expect("read"),
            text,
            "{name} is unchanged"
        );
    }
}

#[test]
fn field_values_written_on_one_line_are_fixed_in_their_own_style() {
    let dir = site(FIELDS);
    let root = dir.path();
    let rest = fresh();
    // The last pages hold YAML beyond the plain subset (a list, a multi-line quoted value)
    // before the field: the YAML parser reads them, and the field is still located.
    let pages = [
        (
            "plain",
            "further_reading_uri: docs/targte\n",
            "further_reading_uri: docs/target\n",
        ),
        (
            "single",
            "further_reading_uri: '/docs/targte'\n",
            "further_reading_uri: '/docs/target'\n",
        ),
        (
            "double",
            "further_reading_uri: \"docs/targte\"  # see\n",
            "further_reading_uri: \"docs/target\"  # see\n",
        ),
        (
            "listed",
            "tags:\n  - a\n  - 'b: c'\nfurther_reading_uri: docs/targte\n",
            "tags:\n  - a\n  - 'b: c'\nfurther_reading_uri: docs/target\n",
        ),
        (
            "after-quotes",
            "summary: \"two\n  lines\"\nredirect_uri: \"docs/targte\"\n",
            "summary: \"two\n  lines\"\nredirect_uri: \"docs/target\"\n",
        ),
        // A lone CR ends a line, for YAML as for browsers: the field after it is its own,
        // located and confirmed by the parser, and the CR stays.
        (
            "stray-cr",
            "summary: T\rfurther_reading_uri: docs/targte\n",
            "summary: T\rfurther_reading_uri: docs/target\n",
        ),
    ];
    let text = |name: &str, field: &str| {
        format!("---\nid: {name}\nuri: docs/{name}\ntitle: T\n{rest}{field}---\n<p>x</p>\n")
    };
    for (name, before, _) in &pages {
        write(root, &format!("{name}.html"), text(name, before));
    }
    let (_, stderr) = check(root);
    assert!(
        stderr.contains(&format!("{} fixable with `pagelint fix`", pages.len())),
        "{stderr}"
    );
    let stderr = fix(root);
    assert!(
        stderr.contains(&format!(
            "fixed {} findings in {} files",
            pages.len(),
            pages.len()
        )),
        "{stderr}"
    );
    for (name, _, after) in &pages {
        assert_eq!(
            fs::read_to_string(root.join(format!("{name}.html"))).expect("read"),
            text(name, after),
            "{name}"
        );
    }
}

#[test]
fn hrefs_are_repaired_from_their_raw_bytes_and_keep_their_targets() {
    let dir = site("site:\n  hosts: [www.example.org]\n  trailing_slash: require\n");
    let root = dir.path();
    let head = format!("---\nid: a\nuri: docs/a\ntitle: A\n{}---\n", fresh());
    let links = [
        // No path of their own: the page itself, with or without a slash.
        ("#sec", "#sec"),
        ("?q=1", "?q=1"),
        // The slash goes before the spaces HTML's URL parsing strips.
        (" /docs/target ", " /docs/target/ "),
        // A fragment, a slash written as character references: kept as written.
        ("/docs/target&#35;sec", "/docs/target/&#35;sec"),
        (
            "https://www.example.org&#47;docs/target/",
            "&#47;docs/target/",
        ),
        // Repointed as the site's policy writes links: with the slash it requires.
        ("/docs/targte&#35;sec", "/docs/target/&#35;sec"),
        ("/docs/targte/?a=1&amp;b=2", "/docs/target/?a=1&amp;b=2"),
        // A backslash reads as a slash: left for a person.
        ("\\docs\\target", "\\docs\\target"),
        (
            "https://www.example.org\\docs\\target/",
            "https://www.example.org\\docs\\target/",
        ),
    ];
    let body: String = links
        .iter()
        .map(|(href, _)| format!("<a href=\"{href}\">x</a>\n"))
        .collect();
    let head = format!("{head}<h2 id=\"sec\">S</h2>\n");
    write(root, "a.html", format!("{head}{body}"));
    let stderr = fix(root);
    assert!(stderr.contains("fixed 5 findings in 1 file"), "{stderr}");
    let fixed: String = links
        .iter()
        .map(|(_, href)| format!("<a href=\"{href}\">x</a>\n"))
        .collect();
    assert_eq!(
        fs::read_to_string(root.join("a.html")).expect("read"),
        format!("{head}{fixed}")
    );
    // What is left is the two backslashed links, neither counted as fixable.
    let (stdout, stderr) = check(root);
    assert_eq!(
        stdout
            .matches("cannot locate this value with certainty")
            .count(),
        2,
        "{stdout}"
    );
    assert!(!stderr.contains("fixable"), "{stderr}");
}

#[test]
fn own_host_links_under_a_base_elsewhere_stay_absolute() {
    let dir = site("site:\n  hosts: [www.example.org]\n");
    let root = dir.path();
    let link = "<a href=\"https://www.example.org/docs/target\">x</a>\n";
    let page = |id: &str, base: &str| {
        format!(
            "---\nid: {id}\nuri: docs/{id}\ntitle: T\n{}---\n{base}{link}",
            fresh()
        )
    };
    // Root-relative, the link would go to other.org, or nowhere under a base that names no
    // host; on a page without a base it is made root-relative.
    let elsewhere = page("a", "<base href=\"https://other.org/\">\n");
    let opaque = page("b", "<base href=\"htt: article\">\n");
    write(root, "a.html", &elsewhere);
    write(root, "b.html", &opaque);
    write(root, "c.html", page("c", ""));
    let stderr = fix(root);
    assert!(stderr.contains("fixed 1 finding in 1 file"), "{stderr}");
    assert_eq!(
        fs::read_to_string(root.join("a.html")).expect("read"),
        elsewhere
    );
    assert_eq!(
        fs::read_to_string(root.join("b.html")).expect("read"),
        opaque
    );
    assert_eq!(
        fs::read_to_string(root.join("c.html")).expect("read"),
        page("c", "").replace("https://www.example.org/docs/target", "/docs/target")
    );
}

#[test]
fn slashes_written_as_references_are_removed_whole() {
    let dir = site("site:\n  trailing_slash: forbid\n");
    let root = dir.path();
    let head = format!("---\nid: a\nuri: docs/a\ntitle: A\n{}---\n", fresh());
    write(
        root,
        "a.html",
        format!(
            "{head}<a href='/docs/target&#47;'>1</a><a href=/docs/target/>2</a>\
             <a href=\" /docs/target/#sec\t\">3</a><a href=\"/docs/target/./\">4</a>\n"
        ),
    );
    let stderr = fix(root);
    assert!(stderr.contains("fixed 3 findings in 1 file"), "{stderr}");
    assert_eq!(
        fs::read_to_string(root.join("a.html")).expect("read"),
        format!(
            "{head}<a href='/docs/target'>1</a><a href=/docs/target>2</a>\
             <a href=\" /docs/target#sec\t\">3</a><a href=\"/docs/target/./\">4</a>\n"
        )
    );
}

/// Two names that are not UTF-8 and a UTF-8 one all show as `p�.html`: each file gets its
/// own edits, and only them.
#[cfg(unix)]
#[test]
fn files_are_fixed_by_their_real_names() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = site("site: {}\n");
    let root = dir.path();
    let page = |id: &str, first: &str, second: &str| {
        format!(
            "---\nid: {id}\nuri: docs/{id}\ntitle: T\n{}---\n<a href=\"{first}\">1</a>\
             <a href=\"{second}\">2</a>\n",
            fresh()
        )
    };
    write(root, "b.html", page("bbbbbb", "/docs/target", "/docs/xa"));
    // Same sizes, same times: nothing but the name tells them apart.
    let files: [(&[u8], String, String); 3] = [
        (
            b"p\xff.html",
            page("xa", "/docs/targte", "/docs/bbbbbb"),
            page("xa", "/docs/target", "/docs/bbbbbb"),
        ),
        (
            b"p\xfe.html",
            page("xb", "/docs/bbbbbb", "/docs/tagret"),
            page("xb", "/docs/bbbbbb", "/docs/target"),
        ),
        (
            "p\u{FFFD}.html".as_bytes(),
            page("xc", "/docs/bbbbbb", "/docs/bbbbbb"),
            page("xc", "/docs/bbbbbb", "/docs/bbbbbb"),
        ),
    ];
    let when = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    for (name, before, _) in &files {
        let path = root.join(OsStr::from_bytes(name));
        fs::write(&path, before).expect("write");
        fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(when))
            .expect("set time");
    }
    let stderr = fix(root);
    assert!(stderr.contains("fixed 2 findings in 2 files"), "{stderr}");
    for (name, _, after) in &files {
        assert_eq!(
            &fs::read_to_string(root.join(OsStr::from_bytes(name))).expect("read"),
            after,
            "{}",
            String::from_utf8_lossy(name)
        );
    }
}

#[test]
fn max_file_bytes_is_capped_where_offsets_stay_exact() {
    let dir = site("max_file_bytes: 5000000000\n");
    let out = run_in(dir.path(), &["check", ".", "--now", NOW]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("max_file_bytes") && stderr.contains("1073741824"),
        "{stderr}"
    );
    let dir = site("max_file_bytes: 1073741824\n");
    let out = run_in(dir.path(), &["check", ".", "--now", NOW]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
