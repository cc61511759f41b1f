//! A hostile site: one page (or file) for each case of issue 9 that can be written as files,
//! with the rule each must be reported under. `tests/hostile.rs` builds it small and checks
//! it with a watchdog; `examples/hostile.rs` builds it full size for measuring.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

/// How large the hostile inputs are.
pub struct Scale {
    /// Items of the aliased anchor, and aliases of it (N² nodes).
    pub alias_items: usize,
    /// `[` of nested flow sequences, and `{a: ` of nested mappings.
    pub brackets: usize,
    pub braces: usize,
    /// Nested `<div>`s.
    pub tags: usize,
    /// Bytes of the page past `limits.file_bytes` (the site's pagelint.yaml sets it).
    pub big_page: usize,
    pub file_bytes: usize,
    /// Links on one line, attributes of one tag, characters of one name.
    pub links: usize,
    pub attributes: usize,
    pub name: usize,
    /// Hops of a redirect chain in the redirects file.
    pub chain: usize,
}

impl Scale {
    /// The sizes the issue measured (minutes or gigabytes each, on the old code).
    pub const FULL: Scale = Scale {
        alias_items: 5_000,
        brackets: 200_000,
        braces: 125_000,
        tags: 1_000_000,
        big_page: 100 * 1024 * 1024,
        file_bytes: 16 * 1024 * 1024,
        links: 116_000,
        attributes: 200_000,
        name: 100_000,
        chain: 100_000,
    };
    /// Small enough for a test of the debug build, large enough that a quadratic stage
    /// needs minutes there.
    pub const SMALL: Scale = Scale {
        alias_items: 2_000,
        brackets: 20_000,
        braces: 10_000,
        tags: 50_000,
        big_page: 1_200_000,
        file_bytes: 1024 * 1024,
        links: 12_000,
        attributes: 30_000,
        name: 100_000,
        chain: 10_000,
    };
    /// `limits.links_per_page` of the site: below `links`.
    fn links_per_page(&self) -> usize {
        self.links - 1000
    }
}

/// A page with its own id (so that only what is hostile about it is reported).
fn page(fields: &str, body: &str) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(
        "---\nid: page-{n}\ntitle: Hostile\nauthorship: Written by a test\n{fields}---\n{body}\n"
    )
}

fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create folder");
    }
    fs::write(path, text).expect("write");
}

/// Build the site in `root` (an empty folder; `outside` is a folder beside it, for symlinks
/// that lead out). Returns each bad file's path (relative to the root) with the rule it must
/// be reported under.
pub fn build(root: &Path, outside: &Path, scale: &Scale) -> Vec<(String, &'static str)> {
    let mut bad = Vec::new();
    write(
        root,
        "pagelint.yaml",
        format!(
            "site:\n  redirect_field: redirect_to\n  redirects_file: _redirects\nlimits:\n  \
             file_bytes: {}\n  links_per_page: {}\n",
            scale.file_bytes,
            scale.links_per_page()
        ),
    );
    write(root, "ok.html", page("uri: /ok\n", "<p>fine</p>"));
    // YAML: an anchor of N items aliased N times, billion laughs, deep nesting, a NUL.
    let items = vec!["x"; scale.alias_items].join(",");
    let refs = vec!["*b"; scale.alias_items].join(",");
    write(
        root,
        "yaml/alias-bomb.html",
        page(
            &format!("uri: /alias\nbig: &b [{items}]\nrefs: [{refs}]\n"),
            "",
        ),
    );
    let mut lol =
        String::from("uri: /lol\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        lol.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    write(root, "yaml/billion-laughs.html", page(&lol, ""));
    let deep = format!(
        "uri: /deep\nd: {}{}\n",
        "[".repeat(scale.brackets),
        "]".repeat(scale.brackets)
    );
    write(root, "yaml/brackets.html", page(&deep, ""));
    let braces = format!(
        "uri: /braces\nd: {}1{}\n",
        "{a: ".repeat(scale.braces),
        "}".repeat(scale.braces)
    );
    write(root, "yaml/braces.html", page(&braces, ""));
    write(
        root,
        "yaml/nul.html",
        page("uri: /nul\nsummary: a\0b\n", ""),
    );
    for rel in [
        "yaml/alias-bomb.html",
        "yaml/billion-laughs.html",
        "yaml/brackets.html",
    ] {
        bad.push((rel.to_owned(), "limit-exceeded"));
    }
    bad.push(("yaml/braces.html".into(), "limit-exceeded"));
    bad.push(("yaml/nul.html".into(), "invalid-front-matter"));
    // HTML: a million nested tags (with a broken link at the bottom), a page past the size
    // limit, links on one line, a tag of many attributes, two long names.
    let tags = format!(
        "{}<a href=\"/nowhere-deep\">x</a>{}",
        "<div>".repeat(scale.tags),
        "</div>".repeat(scale.tags)
    );
    write(root, "html/nested.html", page("uri: /nested\n", &tags));
    bad.push(("html/nested.html".into(), "broken-link"));
    let mut big = page("uri: /big\n", "").into_bytes();
    big.resize(scale.big_page, b' ');
    write(root, "html/big.html", big);
    bad.push(("html/big.html".into(), "limit-exceeded"));
    let links: String = (0..scale.links)
        .map(|i| format!("<a href=\"/l{i}\">x</a>"))
        .collect();
    write(root, "html/links.html", page("uri: /links\n", &links));
    bad.push(("html/links.html".into(), "limit-exceeded"));
    let attributes: String = (0..scale.attributes).map(|i| format!(" a{i}=1")).collect();
    write(
        root,
        "html/attributes.html",
        page(
            "uri: /attributes\n",
            &format!("<a{attributes} href=\"/nowhere-attr\">x</a>"),
        ),
    );
    bad.push(("html/attributes.html".into(), "broken-link"));
    let name = "a".repeat(scale.name);
    write(
        root,
        "html/long-name.html",
        page(&format!("uri: /{name}\n"), ""),
    );
    write(
        root,
        "html/long-link.html",
        page(
            "uri: /long-link\n",
            &format!("<a href=\"/{}b\">x</a>", &name[1..]),
        ),
    );
    bad.push(("html/long-link.html".into(), "broken-link"));
    // Paths: `..` and `%2e%2e` out of the site, lone CRs, a non-UTF-8 name.
    write(
        root,
        "paths/dots.html",
        page(
            "uri: /dots\n",
            "<a href=\"../../../../etc/passwd\">a</a><a href=\"/%2e%2e/%2e%2e/secret\">b</a>",
        ),
    );
    bad.push(("paths/dots.html".into(), "broken-link"));
    write(
        root,
        "paths/lone-cr.html",
        "---\rid: cr\ruri: /cr\r---\r<a href=\"/nowhere-cr\">x</a>\r",
    );
    // Lone CRs end lines (as in browsers and YAML): valid front matter, and its link checked.
    bad.push(("paths/lone-cr.html".into(), "broken-link"));
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"paths/caf\xe9.html");
        fs::write(
            root.join(name),
            page("uri: /latin1\n", "<a href=\"/nowhere-latin1\">x</a>"),
        )
        .expect("write");
        bad.push(("paths/caf\u{FFFD}.html".into(), "broken-link"));
    }
    // Symlinks: seven folders linking each other, links out of the root, a FIFO.
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        for i in 0..7 {
            write(
                root,
                &format!("loops/d{i}/p.html"),
                page(
                    &format!("uri: /loops/{i}\n"),
                    "<a href=\"/nowhere-loop\">x</a>",
                ),
            );
            bad.push((format!("loops/d{i}/p.html"), "broken-link"));
        }
        for i in 0..7 {
            for j in 0..7 {
                if i != j {
                    symlink(format!("../d{j}"), root.join(format!("loops/d{i}/l{j}")))
                        .expect("symlink");
                }
            }
        }
        fs::create_dir_all(outside).expect("outside");
        write(
            outside,
            "secret.html",
            page("uri: /outside-marker\n", "outside-marker"),
        );
        fs::create_dir_all(root.join("links")).expect("links");
        symlink(outside.join("secret.html"), root.join("links/out.html")).expect("symlink");
        symlink(outside, root.join("links/outdir")).expect("symlink");
        bad.push(("links/out.html".into(), "unreadable-page"));
        bad.push(("links/outdir".into(), "unreadable-page"));
        let status = std::process::Command::new("mkfifo")
            .arg(root.join("links/fifo.html"))
            .status()
            .expect("mkfifo runs");
        assert!(status.success(), "mkfifo");
        bad.push(("links/fifo.html".into(), "unreadable-page"));
    }
    // Redirects: a long chain and a loop in the redirects file, a loop of pages.
    let mut lines = String::new();
    for i in 0..scale.chain {
        lines.push_str(&format!("/c{i} /c{}\n", i + 1));
    }
    lines.push_str(&format!("/c{} /ok\n/x /y\n/y /z\n/z /x\n", scale.chain));
    write(root, "_redirects", lines);
    bad.push(("_redirects".into(), "limit-exceeded"));
    bad.push(("_redirects".into(), "redirect-loop"));
    for (i, to) in [(0, 1), (1, 0)] {
        write(
            root,
            &format!("redirects/loop{i}.html"),
            page(&format!("uri: /loop{i}\nredirect_to: /loop{to}\n"), ""),
        );
    }
    bad.push(("redirects/loop0.html".into(), "redirect-loop"));
    bad
}
