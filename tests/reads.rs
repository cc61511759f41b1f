//! What pagelint reads, through the built binary: nothing outside the content root, never a
//! FIFO or a device, every file with a size bound, and positions as browsers count lines.
#![cfg(unix)]

mod common;

use common::{NOW, diagnostics, page, pagelint, stdout_json, write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Text only the file outside the root holds.
const MARKER: &str = "OUTSIDE-ONLY-7f3a9c";

/// A folder holding `site/` (the root, with a page with a broken link) and `outside/` (a
/// page and a redirects file that hold `MARKER`).
fn layout() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    // The config makes `site/` the root of runs on a file in it.
    write(&site, "pagelint.yaml", "# the defaults\n");
    write(
        &site,
        "a.html",
        page("a", "a", "<a href=\"/nowhere\">x</a>"),
    );
    write(
        dir.path(),
        "outside/secret.html",
        format!("---\nuri: /{MARKER}\n---\n<p>{MARKER}</p>\n<a href=\"/{MARKER}\">x</a>\n"),
    );
    write(
        dir.path(),
        "outside/_redirects",
        format!("/a /{MARKER}\n/b /{MARKER}/2\n"),
    );
    (dir, site)
}

/// `pagelint ARGS` in `dir` with a time limit: a hang fails the test instead of blocking it.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    pagelint()
        .current_dir(dir)
        .args(args)
        .args(["--now", NOW])
        .timeout(Duration::from_secs(20))
        .output()
        .expect("pagelint runs")
}

fn all_output(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const FORMATS: [&str; 8] = [
    "human", "concise", "json", "github", "sarif", "junit", "rdjson", "gitlab",
];

/// The messages of a JSON run's diagnostics on `path`.
fn messages_on(out: &std::process::Output, path: &str) -> Vec<String> {
    diagnostics(&stdout_json(out))
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| d["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_page_symlinked_out_of_the_root_never_shows_the_outside_file_in_any_format() {
    let (dir, site) = layout();
    symlink(
        dir.path().join("outside/secret.html"),
        site.join("leak.html"),
    )
    .expect("symlink");
    symlink("../outside/secret.html", site.join("rel-leak.html")).expect("symlink");
    for format in FORMATS {
        let out = run(dir.path(), &["check", "site", "--format", format]);
        let text = all_output(&out);
        assert!(!text.contains(MARKER), "{format}: {text}");
        assert!(
            text.contains("leak.html"),
            "{format}: the symlink is reported: {text}"
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {text}");
    }
}

/// A site whose pagelint.yaml names `file` as the redirects file (and `extra` config lines).
fn with_redirects(file: &str, extra: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, site) = layout();
    write(
        &site,
        "pagelint.yaml",
        format!("{extra}site:\n  redirects_file: {file}\n"),
    );
    (dir, site)
}

#[test]
fn a_redirects_file_outside_the_root_is_a_config_error_saying_what_to_write() {
    for file in ["/etc/hosts".to_owned(), "../outside/_redirects".to_owned()] {
        let (dir, _site) = with_redirects(&file, "");
        let out = run(dir.path(), &["check", "site"]);
        let text = all_output(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {text}");
        assert!(
            text.contains("is not a path inside the content root")
                && text.contains("relative to the content root"),
            "{file}: {text}"
        );
        assert!(!text.contains(MARKER), "{file}: {text}");
    }
}

#[test]
fn a_redirects_file_that_is_a_symlink_out_a_fifo_a_device_or_too_large_is_a_diagnostic() {
    let cases: [(&str, &MakeFile, &str, &str); 5] = [
        (
            "symlink out",
            &|dir, site| {
                symlink(dir.join("outside/_redirects"), site.join("_redirects")).expect("ln")
            },
            "",
            "leads out of the content root",
        ),
        (
            "folder symlink out",
            &|dir, site| symlink(dir.join("outside"), site.join("conf")).expect("ln"),
            "",
            "leads out of the content root",
        ),
        (
            "fifo",
            &|_, site| mkfifo(&site.join("_redirects")),
            "",
            "not a regular file",
        ),
        (
            "/dev/zero",
            &|_, site| symlink("/dev/zero", site.join("_redirects")).expect("ln"),
            "",
            "leads out of the content root",
        ),
        (
            "oversize",
            &|_, site| write(site, "_redirects", "/x /a\n".repeat(1000)),
            "max_file_bytes: 4096\n",
            "more than the limit (4096)",
        ),
    ];
    for (name, make, extra, why) in cases {
        let file = if name == "folder symlink out" {
            "conf/_redirects"
        } else {
            "_redirects"
        };
        let (dir, site) = with_redirects(file, extra);
        make(dir.path(), &site);
        let out = run(dir.path(), &["check", "site", "--format", "json"]);
        let text = all_output(&out);
        assert!(!text.contains(MARKER), "{name}: {text}");
        let shown = format!("site/{file}");
        let found = messages_on(&out, &shown);
        assert!(
            found
                .iter()
                .any(|m| m.starts_with("cannot read the redirects file") && m.contains(why)),
            "{name}: {found:?} {text}"
        );
        // The human report shows none of it either.
        let human = all_output(&run(dir.path(), &["check", "site"]));
        assert!(!human.contains(MARKER), "{name}: {human}");
    }
}

/// Makes the redirects file of a case in (the folder holding the site, the site).
type MakeFile = dyn Fn(&Path, &Path);

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

#[test]
fn an_asset_behind_a_symlink_out_of_the_root_is_missing_and_the_finding_says_why() {
    let (dir, site) = layout();
    write(dir.path(), "outside/static/logo.png", "png");
    write(dir.path(), "outside/logo.png", "png");
    symlink(dir.path().join("outside/static"), site.join("static")).expect("symlink");
    symlink("../outside/logo.png", site.join("linked.png")).expect("symlink");
    write(&site, "in/real.png", "png");
    symlink("in/real.png", site.join("inside.png")).expect("symlink");
    write(
        &site,
        "p.html",
        page(
            "p",
            "p",
            "<img src=\"/static/logo.png\"><img src=\"/linked.png\"><img src=\"/inside.png\">",
        ),
    );
    let out = run(
        dir.path(),
        &["check", "site/p.html", "--root", "site", "--format", "json"],
    );
    let found = messages_on(&out, "site/p.html");
    for (asset, uri) in [
        ("static/logo.png", "/static/logo.png"),
        ("linked.png", "/linked.png"),
    ] {
        let expected = format!(
            "missing asset: {asset} for {uri} is reached through a symlink that leads out of the content root, which is not followed"
        );
        assert!(found.contains(&expected), "{found:?}");
    }
    // A symlink that stays inside the root counts.
    assert!(!found.iter().any(|m| m.contains("inside.png")), "{found:?}");
}

#[test]
fn fifos_and_devices_as_pages_caches_configs_and_baselines_never_hang() {
    let (dir, site) = layout();
    mkfifo(&site.join("fifo.html"));
    symlink("/dev/zero", site.join("zero.html")).expect("symlink");
    // Walked: reported, not read.
    let out = run(dir.path(), &["check", "site", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    for page in ["site/fifo.html", "site/zero.html"] {
        let found = messages_on(&out, page);
        assert!(
            found
                .iter()
                .any(|m| m.contains("not a regular file") || m.contains("leads out")),
            "{page}: {found:?}"
        );
    }
    // Given on the command line: skipped, and said why.
    let out = run(dir.path(), &["check", "site/fifo.html", "-v"]);
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("not a regular file"), "{text}");
    // The cache file: a FIFO, then a symlink to a device. A partial run ignores it.
    std::fs::create_dir_all(site.join(".pagelint_cache")).expect("mkdir");
    let cache = site.join(".pagelint_cache/pages-v2.bin");
    mkfifo(&cache);
    let out = run(dir.path(), &["check", "site/a.html", "--format", "json"]);
    assert_eq!(
        messages_on(&out, "site/a.html").len(),
        1,
        "{}",
        all_output(&out)
    );
    std::fs::remove_file(&cache).expect("rm");
    symlink("/dev/zero", &cache).expect("symlink");
    let out = run(dir.path(), &["check", "site/a.html", "--format", "json"]);
    assert_eq!(
        messages_on(&out, "site/a.html").len(),
        1,
        "{}",
        all_output(&out)
    );
    // The user's own files: a FIFO or a device is an error, at once.
    mkfifo(&dir.path().join("config.yaml"));
    mkfifo(&dir.path().join("baseline.json"));
    for args in [
        &["check", "site", "--config", "config.yaml"][..],
        &["check", "site", "--config", "/dev/zero"],
        &["check", "site", "--baseline", "baseline.json"],
        &["check", "site", "--baseline", "/dev/zero"],
    ] {
        let out = run(dir.path(), args);
        let text = all_output(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.contains("not a regular file"), "{args:?}: {text}");
    }
}

/// A JSON run's (rule, line, column) of every diagnostic on `path`.
fn places(out: &std::process::Output, path: &str) -> Vec<(String, u64, u64)> {
    diagnostics(&stdout_json(out))
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn lone_cr_files_count_lines_as_browsers_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = page(
        "cr",
        "cr",
        "<p>one</p>\n<p>two <a href=\"/nowhere\">x</a></p>",
    )
    .replace('\n', "\r");
    write(dir.path(), "cr.html", &text);
    let out = run(dir.path(), &["check", ".", "--format", "json"]);
    // The front matter is read (no invalid-front-matter), and the link is on line 11.
    assert_eq!(
        places(&out, "cr.html"),
        vec![("broken-link".to_owned(), 11, 17)],
        "{}",
        all_output(&out)
    );
    let human = all_output(&run(dir.path(), &["check", "."]));
    assert!(human.contains("[cr.html:11:17]"), "{human}");
    assert!(
        human.contains("11 │ <p>two <a href=\"/nowhere\">x</a></p>"),
        "{human}"
    );
    assert!(human.contains("10 │ <p>one</p>"), "{human}");
}

#[test]
fn a_control_character_in_yaml_is_reported_at_its_own_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "c.html",
        "---\nid: c\nuri: c\ntitle: \"fine\"\nnote: \"a\u{1}b\"\n---\n<p>x</p>\n",
    );
    let out = run(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--select",
            "invalid-front-matter",
        ],
    );
    assert_eq!(
        places(&out, "c.html"),
        vec![("invalid-front-matter".to_owned(), 5, 9)],
        "{}",
        all_output(&out)
    );
    let json = stdout_json(&out);
    let message = diagnostics(&json)[0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!message.contains("at position"), "{message}");
}

#[test]
fn a_yaml_error_on_a_line_of_multibyte_characters_keeps_its_snippet() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The error's span is cut at 80 bytes: with and without an ASCII byte before the `é`s,
    // one of the two cuts falls inside a character.
    for (name, lead) in [("one.html", ""), ("two.html", "a")] {
        let line = format!("title: x: {lead}{}", "é".repeat(60));
        write(
            dir.path(),
            name,
            format!("---\nid: a\nuri: {name}\n{line}\n---\n<p>x</p>\n"),
        );
        let out = run(
            dir.path(),
            &["check", name, "--select", "invalid-front-matter"],
        );
        let text = all_output(&out);
        assert!(
            text.contains(&format!("[{name}:4:")),
            "{name}: no snippet: {text}"
        );
        assert!(text.contains(&format!(" 4 │ {line}")), "{name}: {text}");
    }
}

#[test]
fn a_dashes_line_at_the_head_cut_does_not_hide_a_uri_from_partial_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A front matter longer than the first read (8 KiB), with a `-----` line at byte 8189: the
    // read cuts it to `---`. Its uri comes after.
    let mut deep = String::from("---\nid: deep\ntitle: Deep\nnotes: \"start\n");
    let filler = "lorem ipsum dolor sit amet consectetur\n";
    while deep.len() + filler.len() <= 8189 {
        deep.push_str(filler);
    }
    deep.push_str(&"x".repeat(8189 - deep.len() - 1));
    deep.push('\n');
    assert_eq!(deep.len(), 8189);
    // Not the URI its path gives: only its `uri:` names it.
    deep.push_str("-----\nend\"\nuri: /elsewhere/deep\n---\n<p>deep</p>\n");
    write(dir.path(), "deep.html", &deep);
    write(
        dir.path(),
        "b.html",
        page("b", "b", "<a href=\"/elsewhere/deep\">deep</a>"),
    );
    for cache in ["--no-cache", "--quiet"] {
        let out = run(dir.path(), &["check", "b.html", "--format", "json", cache]);
        assert_eq!(
            places(&out, "b.html"),
            vec![],
            "{cache}: {}",
            all_output(&out)
        );
    }
}

#[test]
fn init_on_a_site_with_a_fifo_page_and_a_symlinked_readme_neither_hangs_nor_leaks() {
    let (dir, site) = layout();
    std::fs::remove_file(site.join("pagelint.yaml")).expect("rm");
    mkfifo(&site.join("fifo.html"));
    symlink("/dev/zero", site.join("zero.md")).expect("symlink");
    write(
        dir.path(),
        "outside/README.md",
        format!(
            "---\nid: {MARKER}\nuri: /{MARKER}\ntitle: {MARKER}\n---\n<a href=\"/{MARKER}\">x</a>\n"
        ),
    );
    symlink(dir.path().join("outside/README.md"), site.join("README.md")).expect("symlink");
    symlink("../outside/secret.html", site.join("rel-leak.html")).expect("symlink");
    let out = run(dir.path(), &["init", "site", "--dry-run"]);
    let text = all_output(&out);
    assert!(out.status.code().is_some(), "init was killed: {text}");
    assert!(!text.contains(MARKER), "{text}");
    // The config is written and the first check runs under it: the same, and no leak.
    let out = run(dir.path(), &["init", "site"]);
    let text = all_output(&out);
    assert!(out.status.code().is_some(), "init was killed: {text}");
    assert!(site.join("pagelint.yaml").is_file(), "{text}");
    let config = std::fs::read_to_string(site.join("pagelint.yaml")).expect("read");
    assert!(
        !text.contains(MARKER) && !config.contains(MARKER),
        "{text}\n{config}"
    );
}

#[test]
fn a_readme_symlinked_out_of_the_root_is_judged_without_looking_at_the_outside_file() {
    // Given by hand, a README is a page when it starts with front matter: whether the outside
    // file does must not change the answer.
    let mut answers = Vec::new();
    for outside in [
        format!("---\nuri: /{MARKER}\n---\n"),
        format!("# {MARKER}\n"),
    ] {
        let (dir, site) = layout();
        write(dir.path(), "outside/README.md", &outside);
        symlink("../outside/README.md", site.join("README.md")).expect("symlink");
        let out = run(
            dir.path(),
            &["check", "site/README.md", "-v", "--format", "json"],
        );
        let text = all_output(&out);
        assert!(!text.contains(MARKER), "{text}");
        answers.push((
            out.status.code(),
            text.replace(&dir.path().display().to_string(), ""),
        ));
    }
    assert_eq!(answers[0], answers[1]);
}
