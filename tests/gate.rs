//! pagelint as a content team's gate: the paths a pre-commit hook passes, where the config and
//! root are found, no silent green, triage flags, and the mistakes users make on the command
//! line and in pagelint.yaml.

mod common;

use common::{NOW, page, pick, rows, run_in, stdout_json, write};
use std::path::Path;

/// A site folder with `pagelint.yaml` (`root: content`), two pages (one with a broken link)
/// and the things a repository holds beside them.
fn repo_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "pagelint.yaml", "root: content\n");
    write(d, "README.md", "# The site\n");
    write(
        d,
        "content/a.md",
        page(
            "a",
            "docs/a",
            "<p><a href=\"/docs/b\">b</a> <a href=\"/docs/gone\">x</a></p>",
        ),
    );
    write(d, "content/sub/b.md", page("b", "docs/b", "<p>b</p>"));
    write(d, "content/README.md", "notes for editors\n");
    write(d, "content/logo.png", [0x89u8, b'P', b'N', b'G']);
    dir
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The paths of the diagnostics of a JSON run.
fn paths(out: &std::process::Output) -> Vec<Vec<String>> {
    pick(&stdout_json(out), &["path", "rule"])
}

#[test]
fn paths_that_are_not_pages_are_skipped_and_the_pages_still_checked() {
    let dir = repo_site();
    let d = dir.path();
    let args = [
        "check",
        "README.md",
        "content/README.md",
        "content/logo.png",
        "content/deleted.md",
        "content/a.md",
        "--format",
        "json",
        "--now",
        NOW,
    ];
    let out = run_in(d, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(paths(&out), rows(&[["content/a.md", "broken-link"]]));
    assert!(stderr(&out).is_empty(), "quiet without --verbose");
    let verbose = run_in(d, &[&args[..], &["--verbose"]].concat());
    let err = stderr(&verbose);
    for (path, why) in [
        ("README.md", "outside the content root"),
        ("content/README.md", "a repository document"),
        (
            "content/logo.png",
            "not matched by include (**/*.html, **/*.htm, **/*.md, **/*.markdown, **/*.mdx)",
        ),
        ("content/deleted.md", "no such file or folder"),
    ] {
        assert!(
            err.contains(&format!("pagelint: skipped {path}: {why}")),
            "{path}: {err}"
        );
    }
    assert!(!err.contains("skipped content/a.md"), "{err}");
}

#[test]
fn only_non_pages_given_passes_without_a_run() {
    let dir = repo_site();
    let out = run_in(dir.path(), &["check", "README.md", "content/logo.png"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "pagelint: none of the 2 given paths is a page of the site (--verbose says why)\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn the_site_folder_in_any_form_is_the_whole_site() {
    let dir = repo_site();
    let d = dir.path();
    let abs = d.to_string_lossy().into_owned();
    let dot_slash_content = "./content/".to_owned();
    for arg in [
        ".",
        "./",
        abs.as_str(),
        "content",
        dot_slash_content.as_str(),
    ] {
        let out = run_in(d, &["check", arg, "--format", "json", "--now", NOW]);
        assert_eq!(out.status.code(), Some(1), "{arg}: {}", stderr(&out));
        let json = stdout_json(&out);
        assert_eq!(json["summary"]["pages"], 2, "{arg}");
        assert_eq!(
            pick(&json, &["path", "line"]),
            rows(&[["content/a.md", "10"]]),
            "{arg}"
        );
    }
    // From the parent folder, by absolute path: the config is found beside the site.
    let parent = d.parent().expect("a parent");
    let out = run_in(parent, &["check", &abs, "--format", "json", "--now", NOW]);
    assert_eq!(stdout_json(&out)["summary"]["pages"], 2, "{}", stderr(&out));
}

#[test]
fn a_run_from_a_subfolder_finds_the_config_and_the_root() {
    let dir = repo_site();
    let sub = dir.path().join("content/sub");
    // b.md is clean; a.md (elsewhere in the site) is what b's links resolve against.
    let out = run_in(&sub, &["check", "b.md", "--format", "json", "--now", NOW]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["summary"]["pages"], 1);
    let out = run_in(&sub, &["check", ".", "--format", "json", "--now", NOW]);
    assert_eq!(stdout_json(&out)["summary"]["pages"], 1, "{}", stderr(&out));
    let out = run_in(
        &sub,
        &["check", "../a.md", "--format", "json", "--now", NOW],
    );
    assert_eq!(paths(&out), rows(&[["../a.md", "broken-link"]]));
}

#[test]
fn root_flag_overrides_the_config() {
    let dir = repo_site();
    let d = dir.path();
    // With content/sub as the root, /docs/b is its only page.
    let out = run_in(
        d,
        &[
            "check",
            "--root",
            "content/sub",
            "--format",
            "json",
            "--now",
            NOW,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["summary"]["pages"], 1);
    let out = run_in(d, &["check", "--root", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the content root nowhere is not a folder (--root)"));
}

#[test]
fn a_run_that_finds_no_page_is_a_configuration_error() {
    let dir = repo_site();
    let d = dir.path();
    write(
        d,
        "pagelint.yaml",
        "root: content\ninclude: [\"**/*.html\"]\n",
    );
    let out = run_in(d, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no pages found under the content root content (include: **/*.html): check `root` and `include` in pagelint.yaml, or give --root\n"
    );
}

/// A site with one broken link (fixable), one unfixable broken link and a stale page.
fn triage_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "a.html",
        page(
            "a",
            "docs/a",
            "<a href=\"/docs/bb\">b</a> <a href=\"/elsewhere/zzz\">z</a>",
        ),
    );
    write(d, "b.html", page("b", "docs/b", "<p>b</p>"));
    dir
}

/// Later than the pages' updated_at by more than 1095 days: both are stale.
const LATER: &str = "2030-01-01";

#[test]
fn summary_counts_per_rule_and_what_fix_repairs() {
    let dir = triage_site();
    let out = run_in(dir.path(), &["check", "--now", LATER]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.ends_with(
            "2 errors, 2 warnings (broken-link 2, stale-updated-at 2); 1 fixable with `pagelint fix`\n"
        ),
        "{err}"
    );
}

#[test]
fn statistics_print_a_table_per_rule() {
    let dir = triage_site();
    let out = run_in(dir.path(), &["check", "--statistics", "--now", LATER, "-q"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "count  rule              severity  fixable\n    2  broken-link       error     1\n    2  stale-updated-at  warning   0\n"
    );
}

#[test]
fn select_ignore_and_min_severity_narrow_a_run() {
    let dir = triage_site();
    let d = dir.path();
    let rules_of = |args: &[&str]| {
        let out = run_in(
            d,
            &[&["check", "--format", "json", "--now", LATER], args].concat(),
        );
        let json = stdout_json(&out);
        let mut found: Vec<String> = pick(&json, &["rule"]).into_iter().flatten().collect();
        found.dedup();
        (found, out.status.code())
    };
    assert_eq!(
        rules_of(&["--select", "stale-updated-at"]),
        (vec!["stale-updated-at".to_owned()], Some(0))
    );
    assert_eq!(
        rules_of(&["--ignore", "stale-updated-at,invalid-date"]),
        (vec!["broken-link".to_owned()], Some(1))
    );
    assert_eq!(
        rules_of(&["--min-severity", "error"]),
        (vec!["broken-link".to_owned()], Some(1))
    );
    // Selecting a rule that is off by default turns it on.
    assert_eq!(
        rules_of(&["--select", "orphan-page"]),
        (vec!["orphan-page".to_owned()], Some(0))
    );
    let out = run_in(d, &["check", "--ignore", "stale-updated-a"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --ignore: unknown rule `stale-updated-a`; did you mean `stale-updated-at`? `pagelint rules` lists every rule\n"
    );
}

#[test]
fn exit_zero_and_max_warnings_for_gradual_adoption() {
    let dir = triage_site();
    let d = dir.path();
    let code = |args: &[&str]| {
        run_in(d, &[&["check", "-q", "--now", LATER], args].concat())
            .status
            .code()
    };
    assert_eq!(code(&["--exit-zero"]), Some(0));
    assert_eq!(
        code(&["--select", "stale-updated-at", "--max-warnings", "2"]),
        Some(0)
    );
    assert_eq!(
        code(&["--select", "stale-updated-at", "--max-warnings", "1"]),
        Some(1)
    );
    assert_eq!(code(&["--exit-zero", "--config", "missing.yaml"]), Some(2));
}

#[test]
fn command_line_mistakes_get_a_did_you_mean() {
    let dir = triage_site();
    let d = dir.path();
    for (args, expected) in [
        (
            vec!["chek"],
            "error: unknown command `chek`; did you mean `check`? (`pagelint --help` lists the commands)\n",
        ),
        (
            vec!["explain", "broken-links"],
            "error: unknown rule `broken-links`; did you mean `broken-link`? `pagelint rules` lists every rule\n",
        ),
    ] {
        let out = run_in(d, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out), expected, "{args:?}");
    }
    // A plain date is a valid --now, as it is in front matter.
    let out = run_in(
        d,
        &[
            "check",
            "--now",
            "2020-06-01",
            "--select",
            "future-date",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run_in(d, &["check", "--now", "June 1st"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn links_to_takes_only_the_flags_it_uses() {
    let dir = triage_site();
    let out = run_in(dir.path(), &["links-to", "/docs/b", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(2));
    let help = run_in(dir.path(), &["links-to", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--now",
        "--deny-warnings",
        "--no-cache",
        "--no-color",
        "--select",
    ] {
        assert!(!text.contains(flag), "{flag} in links-to --help");
    }
}

/// A config text, checked on a one-page site: the exit code and stderr (unwrapped).
fn config_error(yaml: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.html", page("a", "a", "<p>a</p>"));
    write(dir.path(), "pagelint.yaml", yaml);
    let out = run_in(dir.path(), &["check", "--now", NOW]);
    // miette wraps long messages behind a `│` gutter: read them as one line.
    let text = stderr(&out).replace('│', " ");
    (
        out.status.code(),
        text.split_whitespace().collect::<Vec<_>>().join(" "),
    )
}

#[test]
fn config_mistakes_point_at_the_line_and_say_what_to_do() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "rules:\n  stale-updated-at: {max_age_days: -5}\n",
            &["must be at least 1, not -5", "pagelint.yaml:2:22"],
        ),
        (
            "site:\n  uri_feild: uri\n",
            &[
                "unknown field `uri_feild`",
                "did you mean `uri_field`?",
                "pagelint.yaml:2:3",
            ],
        ),
        (
            "site: [\n",
            &["expected a mapping of site settings", "pagelint.yaml:1:7"],
        ),
        (
            "root: .\nsite:\n  hosts: [a]\nroot: .\n",
            &[
                "`root` is given twice (first on line 1)",
                "pagelint.yaml:4:1",
            ],
        ),
        (
            "rules:\n  broken-link: error\n  broken-link: warning\n",
            &[
                "`broken-link` is given twice (first on line 2)",
                "pagelint.yaml:3:3",
            ],
        ),
    ];
    for (yaml, wanted) in cases {
        let (code, err) = config_error(yaml);
        assert_eq!(code, Some(2), "{yaml}");
        assert!(!err.contains("Raw"), "{yaml}: {err}");
        for w in wanted {
            assert!(err.contains(w), "{yaml}: wanted {w:?} in\n{err}");
        }
    }
    // Repeated keys in different mappings are fine.
    let (code, err) = config_error(
        "overrides:\n  - types: [a]\n    rules: {broken-link: off}\n  - types: [b]\n    rules: {broken-link: off}\n",
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_symlinked_site_folder_is_no_reason_to_refuse() {
    let dir = repo_site();
    let link = dir.path().parent().expect("parent").join(format!(
        "{}-link",
        dir.path().file_name().expect("name").to_string_lossy()
    ));
    #[cfg(unix)]
    {
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(dir.path(), &link).expect("symlink");
        let out = run_in(
            &link,
            &["check", "content/a.md", "--format", "json", "--now", NOW],
        );
        assert_eq!(paths(&out), rows(&[["content/a.md", "broken-link"]]));
        let _ = std::fs::remove_file(&link);
    }
    let _ = Path::new(&link);
}

#[test]
fn output_writes_the_format_to_a_file_and_the_terminal_gets_the_human_report() {
    let dir = triage_site();
    let d = dir.path();
    let out = run_in(
        d,
        &[
            "check",
            "--format",
            "sarif",
            "--output",
            "out.sarif",
            "--now",
            NOW,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("× broken link: no page has the URI /docs/bb"),
        "{stdout}"
    );
    assert!(stderr(&out).contains("2 errors, 0 warnings (broken-link 2)"));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out.sarif")).expect("written"))
            .expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "broken-link");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        10
    );
}

#[test]
fn concise_is_one_line_per_finding() {
    let dir = triage_site();
    let out = run_in(dir.path(), &["check", "--format", "concise", "--now", NOW]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "a.html:10:10: broken-link: broken link: no page has the URI /docs/bb\na.html:10:35: broken-link: broken link: no page has the URI /elsewhere/zzz\n"
    );
}

#[test]
fn github_format_writes_the_job_summary_when_asked() {
    let dir = triage_site();
    let d = dir.path();
    // Outside the site: a .md file in it would be a page.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let summary = elsewhere.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let out = common::pagelint()
        .current_dir(d)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--format", "github", "--now", NOW])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).expect("summary");
    assert!(
        text.starts_with("earlier step\n## pagelint: "),
        "appended: {text}"
    );
    assert!(text.contains("`a.html:10:10`"), "{text}");
    assert!(text.contains("| `broken-link` | error | 2 |"), "{text}");
    let annotations = String::from_utf8_lossy(&out.stdout);
    assert!(
        annotations.starts_with("::error file=a.html,line=10,col=10,"),
        "{annotations}"
    );
}

#[test]
fn a_baseline_fails_only_on_new_findings_and_reports_what_no_longer_matches() {
    let dir = triage_site();
    let d = dir.path();
    let out = run_in(
        d,
        &["check", "--write-baseline", "baseline.json", "--now", NOW],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "pagelint: wrote 2 findings to the baseline baseline.json\n"
    );
    let base = std::fs::read_to_string(d.join("baseline.json")).expect("written");
    assert!(!base.contains("\"line\""), "no line numbers: {base}");
    // Accepted whole, even after the lines move.
    let moved = std::fs::read_to_string(d.join("a.html"))
        .expect("read")
        .replacen("---\n<a", "---\n<p>new first line</p>\n<a", 1);
    write(d, "a.html", &moved);
    let check = |args: &[&str]| {
        run_in(
            d,
            &[
                &[
                    "check",
                    "--baseline",
                    "baseline.json",
                    "--format",
                    "json",
                    "--now",
                    NOW,
                ],
                args,
            ]
            .concat(),
        )
    };
    let out = check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        pick(&stdout_json(&out), &["rule"]),
        Vec::<Vec<String>>::new()
    );
    // A new broken link fails, alone.
    write(
        d,
        "b.html",
        page("b", "docs/b", "<a href=\"/new/broken\">n</a>"),
    );
    let out = check(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        pick(&stdout_json(&out), &["path", "target"]),
        rows(&[["b.html", "/new/broken"]])
    );
    // A fixed finding leaves its entry stale: the file should shrink.
    write(
        d,
        "a.html",
        page(
            "a",
            "docs/a",
            "<a href=\"/docs/b\">b</a> <a href=\"/elsewhere/zzz\">z</a>",
        ),
    );
    let out = check(&[]);
    assert_eq!(
        stderr(&out),
        "pagelint: 1 entry of baseline.json (1 finding) no longer match: run with --write-baseline baseline.json to shrink it\n"
    );
    let out = run_in(d, &["check", "--baseline", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_github_action_runs_commands_pagelint_accepts() {
    let action: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(common::repo().join("action.yml")).expect("action.yml"),
    )
    .expect("action.yml is YAML");
    let steps = action["runs"]["steps"].as_sequence().expect("steps");
    let mut ran = 0;
    for run in steps.iter().filter_map(|s| s["run"].as_str()) {
        for line in run
            .lines()
            .filter(|l| l.trim_start().starts_with("pagelint check"))
        {
            // The inputs empty, the redirect dropped: what the action runs on a site.
            let words: Vec<&str> = line
                .split('>')
                .next()
                .unwrap_or(line)
                .split_whitespace()
                .filter(|w| !w.starts_with('$'))
                .skip(1)
                .collect();
            let dir = triage_site();
            let out = run_in(dir.path(), &[&words[..], &["--now", NOW]].concat());
            let expected = if words.contains(&"--exit-zero") { 0 } else { 1 };
            assert_eq!(
                out.status.code(),
                Some(expected),
                "{line}: {}",
                stderr(&out)
            );
            ran += 1;
        }
    }
    assert_eq!(ran, 2, "the SARIF and the check steps");
}

#[test]
fn a_config_kept_elsewhere_checks_the_folder_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "configs/pagelint.yaml",
        "rules:\n  stale-updated-at: off\n",
    );
    write(d, "site/a.html", page("a", "a", "<a href=\"/b\">b</a>"));
    write(d, "site/b.html", page("b", "b", "<a href=\"/zz\">z</a>"));
    let out = run_in(
        d,
        &[
            "check",
            "--config",
            "configs/pagelint.yaml",
            "site",
            "--format",
            "json",
            "--now",
            NOW,
        ],
    );
    assert_eq!(
        pick(&stdout_json(&out), &["path", "target"]),
        rows(&[["site/b.html", "/zz"]])
    );
}

#[test]
#[cfg(unix)]
fn a_symlink_out_of_the_root_is_never_read_not_even_to_show_its_line() {
    let dir = repo_site();
    let outside = tempfile::tempdir().expect("tempdir");
    write(outside.path(), "id_rsa", "SECRET-LINE-1\nSECRET-LINE-2\n");
    let link = dir.path().join("content/key.md");
    std::os::unix::fs::symlink(outside.path().join("id_rsa"), &link).expect("symlink");
    for args in [
        &["check", "content/key.md", "--now", NOW][..],
        &["check", "--now", NOW],
        &["check", "--now", NOW, "--format", "github"],
    ] {
        let out = run_in(dir.path(), args);
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
        assert!(
            all.contains("leads out of the content root"),
            "{args:?}: {all}"
        );
        assert!(!all.contains("SECRET"), "{args:?} shows the file:\n{all}");
    }
}

#[test]
#[cfg(unix)]
fn a_fifo_is_no_page_and_never_opened() {
    let dir = repo_site();
    let fifo = dir.path().join("content/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let run = |args: &[&str]| {
        common::pagelint()
            .current_dir(dir.path())
            .args(args)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .expect("runs")
    };
    // Given alone, it is skipped; the whole site's run reports it without opening it.
    let out = run(&["check", "-v", "content/pipe.md", "--now", NOW]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("content/pipe.md: not a regular file"));
    let out = run(&["check", "--format", "json", "--now", NOW]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        pick(&stdout_json(&out), &["path", "rule", "message"]),
        rows(&[
            [
                "content/a.md",
                "broken-link",
                "broken link: no page has the URI /docs/gone"
            ],
            [
                "content/pipe.md",
                "unreadable-page",
                "not a regular file (a FIFO, socket or device); it is not read"
            ],
        ])
    );
}

#[test]
fn a_page_named_like_a_repository_document_is_still_a_page() {
    let dir = repo_site();
    let d = dir.path();
    write(
        d,
        "content/security.md",
        page("sec", "security", "<p><a href=\"/docs/gone2\">x</a></p>"),
    );
    write(
        d,
        "content/about/LICENSE.html",
        page("lic", "license", "<p>MIT</p>"),
    );
    write(
        d,
        "content/sub/b.md",
        page(
            "b",
            "docs/b",
            "<a href=\"/security\">s</a> <a href=\"/license\">l</a>",
        ),
    );
    let whole = rows(&[
        ["content/a.md", "broken-link"],
        ["content/security.md", "broken-link"],
    ]);
    let out = run_in(d, &["check", "--format", "json", "--now", NOW]);
    assert_eq!(paths(&out), whole);
    // Given by a hook, it is checked; a README without front matter is still skipped.
    let out = run_in(
        d,
        &[
            "check",
            "-v",
            "content/security.md",
            "content/README.md",
            "content/sub/b.md",
            "--format",
            "json",
            "--now",
            NOW,
        ],
    );
    assert_eq!(paths(&out), rows(&[["content/security.md", "broken-link"]]));
    assert!(stderr(&out).contains("skipped content/README.md: a repository document"));
    // A README that gains front matter becomes a page, also for a run that uses the cache.
    write(
        d,
        "content/README.md",
        page("readme", "readme", "<a href=\"/docs/gone3\">x</a>"),
    );
    let out = run_in(
        d,
        &[
            "check",
            "content/sub/b.md",
            "--format",
            "json",
            "--now",
            NOW,
        ],
    );
    assert_eq!(paths(&out), Vec::<Vec<String>>::new());
    std::thread::sleep(std::time::Duration::from_millis(100));
    write(
        d,
        "content/sub/b.md",
        page("b", "docs/b", "<a href=\"/readme\">r</a>"),
    );
    std::fs::write(d.join("content/README.md"), "notes for editors\n").expect("write");
    let out = run_in(
        d,
        &[
            "check",
            "content/sub/b.md",
            "--format",
            "json",
            "--now",
            NOW,
        ],
    );
    assert_eq!(paths(&out), rows(&[["content/sub/b.md", "broken-link"]]));
}

#[test]
#[cfg(unix)]
fn a_baseline_that_is_no_regular_file_is_refused_not_read() {
    let dir = repo_site();
    // A committed symlink can point anywhere: at a device that never ends, or a FIFO.
    let fifo = dir.path().join("baseline.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("baseline.json")).expect("symlink");
    for file in ["baseline.json", "baseline.fifo"] {
        let out = common::pagelint()
            .current_dir(dir.path())
            .args(["check", "--baseline", file, "--now", NOW])
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{file}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "cannot read the baseline {file}: not a regular file"
            )),
            "{file}: {}",
            stderr(&out)
        );
    }
}

#[cfg(unix)]
#[test]
fn output_and_baseline_files_replace_a_symlink_never_write_through_it() {
    let dir = triage_site();
    let d = dir.path();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "keep me\n").expect("write");
    for (flag, name) in [
        ("--output", "report.sarif"),
        ("--write-baseline", "base.json"),
    ] {
        std::os::unix::fs::symlink(&secret, d.join(name)).expect("symlink");
        let out = run_in(
            d,
            &["check", "--format", "sarif", flag, name, "--now", NOW, "-q"],
        );
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        assert_eq!(
            std::fs::read_to_string(&secret).expect("read"),
            "keep me\n",
            "{flag}"
        );
        let written = std::fs::symlink_metadata(d.join(name)).expect("written");
        assert!(
            written.file_type().is_file(),
            "{flag}: the symlink is replaced by a file"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_page_reached_through_a_symlinked_folder_finds_its_site() {
    let dir = repo_site();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let link = elsewhere.path().join("link");
    std::os::unix::fs::symlink(dir.path().join("content"), &link).expect("symlink");
    let out = run_in(
        elsewhere.path(),
        &["check", "link/a.md", "--format", "json", "--now", NOW],
    );
    let json = stdout_json(&out);
    assert_eq!(json["summary"]["pages"], 1, "{}", stderr(&out));
    assert_eq!(
        pick(&json, &["rule", "target"]),
        rows(&[["broken-link", "/docs/gone"]])
    );
}

#[test]
fn the_human_report_never_sends_a_page_s_control_characters_to_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.html",
        page(
            "a",
            "a",
            "<a href=\"/e\u{1b}[2J\u{7}\u{9b}x\">x</a>\u{1b}]0;title\u{7}",
        ),
    );
    let out = run_in(dir.path(), &["check", "--now", NOW, "--no-color"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "control characters reach the terminal: {text:?}"
    );
    // The label still sits under the link: spans and columns are unchanged.
    assert!(text.contains("/e?[2J?¿x"), "{text}");
    assert!(text.contains("a.html:10:10"), "{text}");
}

#[test]
fn links_to_takes_a_page_as_users_name_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "pagelint.yaml",
        "site:\n  hosts: [www.example.org]\n  ignore_links: [\"/search\"]\n",
    );
    write(
        d,
        "a.html",
        page(
            "a",
            "docs/a",
            "<a href=\"/docs/b#care\">c</a> <a href=\"https://www.example.org/docs/b\">b</a> <a href=\"/docs/b#other\">o</a>\n<a href=\"/search\">s</a>",
        ),
    );
    write(
        d,
        "b.html",
        page("b", "docs/b", "<h2 id=\"care\">Care</h2>"),
    );
    let links = |name: &str| {
        let out = run_in(d, &["links-to", name, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let json = stdout_json(&out);
        let found: Vec<(u64, u64)> = json["links"]
            .as_array()
            .expect("links")
            .iter()
            .map(|l| {
                (
                    l["line"].as_u64().unwrap_or(0),
                    l["column"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        (
            json["uri"].as_str().unwrap_or_default().to_owned(),
            found,
            stderr(&out),
        )
    };
    let (uri, found, _) = links("/docs/b#care");
    assert_eq!((uri.as_str(), found), ("/docs/b#care", vec![(10, 10)]));
    let (uri, found, _) = links("https://www.example.org/docs/b");
    assert_eq!((uri.as_str(), found.len()), ("/docs/b", 3));
    let (uri, found, err) = links("b");
    assert_eq!((uri.as_str(), found.len()), ("/docs/b", 3));
    assert!(
        err.starts_with("pagelint: `b` is the id of the page at /docs/b\n"),
        "{err}"
    );
    let (_, found, err) = links("/docs/bb");
    assert!(found.is_empty());
    assert!(
        err.ends_with("(no page has this URI; did you mean /docs/b?)\n"),
        "{err}"
    );
    // Links to an ignored path are links too.
    let (_, found, _) = links("/search");
    assert_eq!(found, vec![(11, 10)]);
    let out = run_in(d, &["links-to", "https://elsewhere.example.net/docs/b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not on this site's hosts (site.hosts: www.example.org)"));
}
