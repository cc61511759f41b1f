//! Everything pagelint writes, and what `fix` promises: nothing written follows a symlink (the
//! cache, a fix's temporary file), a fix's exit code and what it reports as left come from a
//! check of what it wrote, a page keeps its owner, group, mode and symlink, and a report that
//! cannot be written is an error.

mod common;

use common::{NOW, diagnostics, page, pick, rows, run_in, stdout_json, write};
use std::fs;

/// The built binary as a plain process (to give it any stdout), color and clock out of the way.
fn bin(dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("pagelint"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

fn is_symlink(path: &std::path::Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `pagelint ARGS` in `root`, which must say `says` on stderr.
fn run_saying(root: &std::path::Path, args: &[&str], says: &str) -> std::process::Output {
    let out = run_in(root, args);
    assert!(stderr(&out).contains(says), "{}", stderr(&out));
    out
}

/// A site whose page a.html has one broken link (to /docs/nowhere) and one fixable one.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "pagelint.yaml", "site:\n  hosts: [www.example.org]\n");
    write(root, "b.html", page("b", "docs/b", "<h2 id=\"s\">S</h2>"));
    write(
        root,
        "a.html",
        page(
            "a",
            "docs/a",
            "<a href=\"https://www.example.org/docs/b#s\">b</a>\n<a href=\"/docs/nowhere\">x</a>",
        ),
    );
    dir
}

#[cfg(unix)]
#[test]
fn a_partial_run_never_writes_through_a_symlink_in_the_cache() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret");
    // A committed .gitignore, cache file or cache folder that is a symlink leading out.
    for planted in [".gitignore", "pages-v2.bin", ""] {
        let dir = site();
        let cache = dir.path().join(".pagelint_cache");
        fs::write(&secret, "keep me\n").expect("write");
        if planted.is_empty() {
            fs::create_dir_all(outside.path().join("cache")).expect("mkdir");
            symlink(outside.path().join("cache"), &cache).expect("symlink");
        } else {
            fs::create_dir(&cache).expect("mkdir");
            symlink(&secret, cache.join(planted)).expect("symlink");
        }
        for _ in 0..2 {
            let out = run_in(
                dir.path(),
                &["check", "a.html", "--now", NOW, "--format", "concise", "-v"],
            );
            // The run goes on, with or without the cache, and finds what there is.
            assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("a.html:11:10: broken-link"),
                "{planted}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            let note = "not using the cache: .pagelint_cache is a symlink";
            assert_eq!(
                stderr(&out).matches(note).count(),
                usize::from(planted.is_empty()),
                "{planted}: said once under --verbose when the folder is a symlink: {}",
                stderr(&out)
            );
        }
        assert_eq!(fs::read_to_string(&secret).expect("read"), "keep me\n");
        if planted.is_empty() {
            let written: Vec<_> = fs::read_dir(outside.path().join("cache"))
                .expect("ls")
                .collect();
            assert!(
                written.is_empty(),
                "nothing written in the folder it points to"
            );
        } else {
            let meta = fs::symlink_metadata(cache.join(planted)).expect("meta");
            assert!(
                meta.is_file(),
                "{planted}: the symlink is replaced by a file"
            );
        }
    }
}

/// The pid the next process started will get, about (Linux hands them out in order).
#[cfg(target_os = "linux")]
fn next_pid() -> u32 {
    std::process::Command::new("true")
        .spawn()
        .expect("true runs")
        .id()
}

#[cfg(target_os = "linux")]
#[test]
fn fix_never_writes_through_a_symlink_planted_at_its_temporary_name() {
    let dir = site();
    let root = dir.path();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret");
    fs::write(&secret, "keep me\n").expect("write");
    // Older builds named it `.a.html.pagelint-<pid>.tmp`: plant that name for the pids the
    // run may get.
    let max: u32 = fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(32768);
    let first = next_pid();
    for pid in (first..first + 3000).map(|p| 1 + (p - 1) % max) {
        std::os::unix::fs::symlink(&secret, root.join(format!(".a.html.pagelint-{pid}.tmp")))
            .expect("symlink");
    }
    run_saying(
        root,
        &["fix", "a.html", "--now", NOW],
        "fixed 1 finding in 1 file",
    );
    assert_eq!(fs::read_to_string(&secret).expect("read"), "keep me\n");
    let meta = fs::symlink_metadata(root.join("a.html")).expect("meta");
    assert!(meta.is_file(), "the page is a file still");
    assert!(
        fs::read_to_string(root.join("a.html"))
            .expect("read")
            .contains("<a href=\"/docs/b#s\">b</a>")
    );
}

#[cfg(unix)]
#[test]
fn fix_removes_the_temporary_files_a_stopped_fix_left_and_nothing_else() {
    let dir = site();
    let root = dir.path();
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(24 * 3600);
    for name in [
        ".pagelint-abcdefghijkl.tmp",
        ".pagelint-mnopqrstuvwx.tmp",
        ".pagelint-short.tmp",
    ] {
        let f = fs::File::create(root.join(name)).expect("create");
        if name != ".pagelint-mnopqrstuvwx.tmp" {
            f.set_modified(long_ago).expect("mtime");
        }
    }
    let outside = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(outside.path(), root.join(".pagelint-ABCDEFGHIJKL.tmp"))
        .expect("symlink");
    let out = run_in(root, &["fix", "a.html", "--now", NOW]);
    assert!(
        stderr(&out)
            .contains(".pagelint-abcdefghijkl.tmp, a temporary file of a fix that was stopped"),
        "{}",
        stderr(&out)
    );
    let mut left: Vec<String> = fs::read_dir(root)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pagelint-"))
        .collect();
    left.sort();
    // A recent one may be a running fix's; a symlink or another name is not pagelint's.
    assert_eq!(
        left,
        [
            ".pagelint-ABCDEFGHIJKL.tmp",
            ".pagelint-mnopqrstuvwx.tmp",
            ".pagelint-short.tmp"
        ]
    );
    assert!(outside.path().exists());
}

#[test]
fn fix_exits_by_a_check_of_what_it_wrote_and_reports_what_is_left_where_it_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "pagelint.yaml", "site:\n  hosts: [www.example.org]\n");
    write(
        root,
        "new.html",
        page("new", "docs/new", "<h2 id=\"other\">S</h2>"),
    );
    // The own-host fix shortens line 11 by 24 bytes; the case-only fix of /Docs/New#sec
    // leads to a page that has no `sec`.
    write(
        root,
        "a.html",
        page(
            "a",
            "docs/a",
            "<p>\n<a href=\"https://www.example.org/docs/new\">x</a> <a href=\"/Docs/New#sec\">y</a></p>",
        ),
    );
    let before = run_in(root, &["check", ".", "--now", NOW, "--format", "json"]);
    assert_eq!(
        pick(&stdout_json(&before), &["rule", "line", "column"]),
        rows(&[["own-host-link", "11", "10"], ["broken-link", "11", "59"]])
    );
    let out = run_saying(
        root,
        &["fix", ".", "--now", NOW, "--format", "json"],
        "fixed 2 findings in 1 file; what is left is for a person",
    );
    let json = stdout_json(&out);
    assert_eq!(
        pick(&json, &["rule", "path", "line", "column", "target"]),
        rows(&[["broken-fragment", "a.html", "11", "36", "/docs/new#sec"]])
    );
    assert_eq!(json["repairs"].as_array().map(Vec::len), Some(2));
    assert_eq!(out.status.code(), Some(1), "the fix left an error");
    // The human report shows the line as it is now, with the label under the link.
    let human = run_in(root, &["check", ".", "--now", NOW]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains(
            " 11 │ <a href=\"/docs/new\">x</a> <a href=\"/docs/new#sec\">y</a></p>\n    ·                                    ──────┬──────"
        ),
        "{text}"
    );
    let again = run_in(root, &["fix", ".", "--now", NOW]);
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        text.contains("╭─[a.html:11:36]") && !text.contains(" 0 │"),
        "{text}"
    );
    assert_eq!(again.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn fix_keeps_a_pages_owner_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = site();
    let a = dir.path().join("a.html");
    fs::set_permissions(&a, fs::Permissions::from_mode(0o640)).expect("chmod");
    let root_user = rustix_is_root();
    if root_user {
        std::os::unix::fs::chown(&a, Some(1234), Some(5678)).expect("chown");
    } else {
        eprintln!("SKIPPED (owner and group part): not root, cannot chown to 1234:5678");
    }
    run_saying(
        dir.path(),
        &["fix", "a.html", "--now", NOW],
        "fixed 1 finding in 1 file",
    );
    let meta = fs::metadata(&a).expect("meta");
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    if root_user {
        assert_eq!((meta.uid(), meta.gid()), (1234, 5678));
    }
    assert!(
        fs::read_to_string(&a)
            .expect("read")
            .contains("href=\"/docs/b#s\"")
    );
}

#[cfg(unix)]
fn rustix_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

#[cfg(unix)]
#[test]
fn fix_leaves_a_read_only_page_as_it_is_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = site();
    let a = dir.path().join("a.html");
    let text = fs::read_to_string(&a).expect("read");
    fs::set_permissions(&a, fs::Permissions::from_mode(0o444)).expect("chmod");
    let out = run_saying(
        dir.path(),
        &["fix", "a.html", "--now", NOW],
        "a.html not fixed: it is read-only; make it writable to fix it",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&a).expect("read"), text);
    let mode = fs::metadata(&a).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
}

#[cfg(unix)]
#[test]
fn a_symlinked_page_stays_a_symlink_and_the_file_it_points_to_is_edited_once() {
    let dir = site();
    let root = dir.path();
    // shared/ holds no pages (excluded): the page is the symlink.
    write(
        root,
        "pagelint.yaml",
        "site:\n  hosts: [www.example.org]\nexclude: [\"shared/**\"]\n",
    );
    fs::create_dir(root.join("shared")).expect("mkdir");
    fs::rename(root.join("a.html"), root.join("shared/a.html")).expect("mv");
    std::os::unix::fs::symlink("shared/a.html", root.join("a.html")).expect("symlink");
    let out = run_saying(
        root,
        &["fix", ".", "--now", NOW, "--format", "json"],
        "fixed 1 finding in 1 file",
    );
    assert!(is_symlink(&root.join("a.html")), "still a symlink");
    let edited = fs::read_to_string(root.join("shared/a.html")).expect("read");
    assert!(edited.contains("href=\"/docs/b#s\""), "{edited}");
    assert_eq!(
        pick(&stdout_json(&out), &["rule", "path", "line"]),
        rows(&[["broken-link", "a.html", "11"]])
    );

    // Both the symlink and the file it points to are pages: one file, edited once.
    write(root, "pagelint.yaml", "site:\n  hosts: [www.example.org]\n");
    let text = page(
        "c",
        "docs/c",
        "<a href=\"https://www.example.org/docs/b\">b</a>",
    );
    write(root, "shared/c.html", &text);
    std::os::unix::fs::symlink("shared/c.html", root.join("c.html")).expect("symlink");
    let out = run_saying(
        root,
        &["fix", ".", "--now", NOW, "--format", "json"],
        "fixed 1 finding in 1 file",
    );
    assert_eq!(
        fs::read_to_string(root.join("shared/c.html")).expect("read"),
        text.replace("https://www.example.org/docs/b", "/docs/b")
    );
    assert!(is_symlink(&root.join("c.html")), "still a symlink");
    let json = stdout_json(&out);
    assert!(
        diagnostics(&json)
            .iter()
            .all(|d| d["rule"] != "own-host-link"),
        "{json}"
    );
}

#[cfg(unix)]
#[test]
fn the_job_summary_is_never_created_through_a_symlink() {
    let dir = site();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret");
    std::os::unix::fs::symlink(&secret, dir.path().join("summary.md")).expect("symlink");
    let out = common::pagelint()
        .current_dir(dir.path())
        .args(["check", ".", "--now", NOW, "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot write the job summary"),
        "{}",
        stderr(&out)
    );
    assert!(
        !secret.exists(),
        "nothing is created where the symlink points"
    );
    // CI's own file (a regular one) is appended to.
    let summary = dir.path().join("real-summary.md");
    fs::write(&summary, "earlier step\n").expect("write");
    let out = common::pagelint()
        .current_dir(dir.path())
        .args(["check", ".", "--now", NOW, "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = fs::read_to_string(&summary).expect("read");
    assert!(
        text.starts_with("earlier step\n") && text.len() > 20,
        "{text}"
    );
}

const FORMATS: [&str; 8] = [
    "human", "concise", "json", "github", "sarif", "junit", "rdjson", "gitlab",
];

#[cfg(unix)]
#[test]
fn a_report_that_cannot_be_written_is_an_error_in_every_format() {
    let dir = site();
    let root = dir.path();
    for format in FORMATS {
        let full = fs::File::options()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = bin(root)
            .args(["check", ".", "--now", NOW, "--format", format])
            .stdout(full)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot write the report to stdout: No space left on device"),
            "{format}: {}",
            stderr(&out)
        );
    }
    // --output to a full device: a device node of our own, so that an older build, which
    // renamed a file over it, cannot replace the system's /dev/full.
    let devices = tempfile::tempdir().expect("tempdir");
    let full = devices.path().join("full");
    let made = std::process::Command::new("mknod")
        .arg(&full)
        .args(["c", "1", "7"])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("SKIPPED (--output part): cannot mknod a full device here (not root?)");
        return;
    }
    for format in FORMATS {
        let out = run_in(
            root,
            &[
                "check",
                ".",
                "--now",
                NOW,
                "--format",
                format,
                "--output",
                &full.to_string_lossy(),
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "cannot write {}: No space left on device",
                full.display()
            )),
            "{format}: {}",
            stderr(&out)
        );
        use std::os::unix::fs::FileTypeExt;
        let kind = fs::symlink_metadata(&full).expect("meta").file_type();
        assert!(kind.is_char_device(), "{format}: the device is still there");
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_report_quietly() {
    let dir = site();
    // The reading end is closed before pagelint writes: its first write fails.
    for (format, fix) in [("json", false), ("human", false), ("concise", true)] {
        let mut cmd = bin(dir.path());
        cmd.args([if fix { "fix" } else { "check" }, ".", "--now", NOW])
            .args(["--format", format])
            .args(if fix { &["--dry-run"][..] } else { &[][..] })
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("runs");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("waits");
        let err = stderr(&out);
        assert!(
            !err.contains("panicked") && !err.contains("cannot write"),
            "{format}: {err}"
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: the findings decide: {err}"
        );
    }
}

/// `--output /dev/stdout` (a symlink to the stream pagelint was given) writes the report to
/// that stream; the symlink is never replaced by a file.
#[cfg(unix)]
#[test]
fn output_to_a_symlink_to_a_stream_writes_to_the_stream_and_keeps_the_symlink() {
    let dir = site();
    let root = dir.path();
    let links = tempfile::tempdir().expect("tempdir");
    let stream = links.path().join("stdout");
    std::os::unix::fs::symlink("/dev/stdout", &stream).expect("symlink");
    let out = bin(root)
        .args(["check", ".", "--now", NOW, "--format", "json", "--output"])
        .arg(&stream)
        .output()
        .expect("runs");
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    // The terminal's human report follows the JSON one on the same stream.
    let text = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::Deserializer::from_str(&text)
        .into_iter::<serde_json::Value>()
        .next()
        .expect("a JSON document first")
        .expect("the JSON report reached the stream");
    assert!(json["diagnostics"].is_array(), "{json}");
    assert!(is_symlink(&stream), "the symlink is left as it was");
    assert_eq!(
        fs::read_link(&stream).expect("link"),
        std::path::Path::new("/dev/stdout")
    );
}

/// The files in `dir`, sorted.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn output_and_baseline_never_go_through_a_committed_folder_symlink_out_of_the_checkout() {
    use std::os::unix::fs::symlink;
    let dir = site();
    let root = dir.path();
    let outside = tempfile::tempdir().expect("tempdir");
    let out_dir = outside.path().canonicalize().expect("canonical");
    // Committed by a pull request: `reports -> <outside>`, `deep/r -> ../reports`, and an
    // in-checkout `local -> kept/` that stays inside.
    symlink(&out_dir, root.join("reports")).expect("symlink");
    fs::create_dir_all(root.join("deep")).expect("mkdir");
    symlink("../reports", root.join("deep/r")).expect("symlink");
    fs::create_dir_all(root.join("kept")).expect("mkdir");
    symlink("kept", root.join("local")).expect("symlink");
    let absolute = root.join("reports/abs.json");
    for flag in ["--output", "--write-baseline"] {
        for path in [
            "reports/x.json",
            "deep/r/x.json",
            "kept/../reports/x.json",
            absolute.to_str().expect("UTF-8"),
        ] {
            let out = run_in(
                root,
                &["check", flag, path, "--format", "json", "--now", NOW],
            );
            let text = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{flag} {path}: {text}");
            assert!(
                text.contains(&format!("cannot write {path}"))
                    && text.contains("a symlink that leads out of"),
                "{flag} {path}: {text}"
            );
        }
        // Run from elsewhere: the content root's folders are checked too.
        let in_root = root.join("reports/y.json");
        let in_root = in_root.to_str().expect("UTF-8");
        let site = root.to_str().expect("UTF-8");
        let out = run_in(&out_dir, &["check", site, flag, in_root, "--now", NOW]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flag} {in_root}: {}",
            stderr(&out)
        );
        assert_eq!(listing(&out_dir), Vec::<String>::new(), "{flag}");
        // A symlinked folder that stays inside is followed; a path outside the checkout is
        // the user's own, written as given.
        let name = format!("{}.json", flag.trim_start_matches('-'));
        let given = out_dir.join(&name);
        for path in [format!("local/{name}"), given.display().to_string()] {
            let out = run_in(
                root,
                &["check", flag, &path, "--format", "json", "--now", NOW],
            );
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{flag} {path}: {}",
                stderr(&out)
            );
        }
        assert!(root.join("kept").join(&name).is_file(), "{flag}");
        assert!(given.is_file(), "{flag}");
        fs::remove_file(given).expect("rm");
    }
}
