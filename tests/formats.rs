//! Every machine format, rendered from a real run over the bundled example site
//! (fixtures/site, six planted defects): SARIF validated against the OASIS schema, the JSON
//! formats read back for their values, JUnit parsed as XML, and baselines round-tripped.

use pagelint::config::Config;
use pagelint::report::context::Context;
use pagelint::report::{concise, github, gitlab, junit, rdjson, sarif, summary};
use pagelint::{NoProgress, Report, Request, baseline};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A run over fixtures/site, as `pagelint check fixtures/site` from the repository's top.
fn run() -> Report {
    let config = Config::load(&repo().join("fixtures/site/pagelint.yaml"))
        .unwrap_or_else(|e| panic!("the example site's config loads: {e:?}"));
    let request = Request {
        config: &config,
        root: PathBuf::from("fixtures/site"),
        selected: Vec::new(),
        now: "2026-06-01T00:00:00Z".parse().expect("a timestamp"),
        progress: &NoProgress,
        cache: false,
    };
    // Integration tests run in the package folder, so the relative root resolves.
    assert_eq!(std::env::current_dir().expect("cwd"), repo());
    pagelint::check(&request).expect("the example site is checked")
}

fn ctx() -> Context {
    Context::new(repo(), repo())
}

/// The six planted defects: rule, path, line, column, severity.
const EXPECTED: [(&str, &str, u64, u64, &str); 6] = [
    (
        "broken-fragment",
        "fixtures/site/growing/pests/slugs.html",
        16,
        14,
        "error",
    ),
    (
        "own-host-link",
        "fixtures/site/index.html",
        15,
        47,
        "warning",
    ),
    (
        "broken-link",
        "fixtures/site/kitchen/green-tomato-chutney.html",
        11,
        21,
        "error",
    ),
    (
        "broken-link",
        "fixtures/site/visit/index.html",
        14,
        16,
        "error",
    ),
    (
        "stale-updated-at",
        "fixtures/site/visit/opening-hours.html",
        7,
        13,
        "warning",
    ),
    (
        "missing-authorship",
        "fixtures/site/visit/volunteering.html",
        1,
        1,
        "error",
    ),
];

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
}

fn u64_at(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no number at {pointer} in {v}"))
}

#[test]
fn the_run_finds_the_planted_defects() {
    let report = run();
    let found: Vec<(&str, &str, u64, u64, String)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule,
                &*d.path,
                u64::from(d.position.line),
                u64::from(d.position.column),
                d.severity.to_string(),
            )
        })
        .collect();
    let expected: Vec<_> = EXPECTED
        .iter()
        .map(|&(r, p, l, c, s)| (r, p, l, c, s.to_owned()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn sarif_is_valid_and_points_at_the_findings() {
    let report = run();
    let log = json(&sarif::render(&report, &ctx()));
    let schema = json(
        &std::fs::read_to_string(repo().join("tests/data/sarif-schema-2.1.0.json"))
            .expect("the schema is kept in tests/data"),
    );
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does reject what the schema forbids.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["ruleIndex"] = Value::from(-5);
    assert!(!validator.is_valid(&broken));

    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), EXPECTED.len());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert_eq!(rules.len(), pagelint::rules::rules().len());
    for (r, (rule, path, line, column, level)) in results.iter().zip(EXPECTED) {
        assert_eq!(str_at(r, "/ruleId"), rule);
        let index = u64_at(r, "/ruleIndex") as usize;
        assert_eq!(str_at(&rules[index], "/id"), rule);
        assert_eq!(str_at(r, "/level"), level);
        let loc = "/locations/0/physicalLocation";
        assert_eq!(str_at(r, &format!("{loc}/artifactLocation/uri")), path);
        assert_eq!(u64_at(r, &format!("{loc}/region/startLine")), line);
        assert_eq!(u64_at(r, &format!("{loc}/region/startColumn")), column);
        assert_eq!(
            str_at(r, "/partialFingerprints/pagelintFingerprint~1v1").len(),
            16
        );
    }
    assert_eq!(
        str_at(&log, "/runs/0/tool/driver/version"),
        env!("CARGO_PKG_VERSION")
    );
}

#[test]
fn gitlab_and_rdjson_carry_rules_paths_and_lines() {
    let report = run();
    let issues = json(&gitlab::render(&report, &ctx()));
    let issues = issues.as_array().expect("an array");
    assert_eq!(issues.len(), EXPECTED.len());
    let mut prints = std::collections::BTreeSet::new();
    for (i, (rule, path, line, _, level)) in issues.iter().zip(EXPECTED) {
        assert_eq!(str_at(i, "/check_name"), rule);
        assert_eq!(str_at(i, "/location/path"), path);
        assert_eq!(u64_at(i, "/location/lines/begin"), line);
        let severity = if level == "error" { "major" } else { "minor" };
        assert_eq!(str_at(i, "/severity"), severity);
        assert!(!str_at(i, "/description").is_empty());
        prints.insert(str_at(i, "/fingerprint").to_owned());
    }
    assert_eq!(prints.len(), EXPECTED.len(), "fingerprints are unique");

    let rd = json(&rdjson::render(&report, &ctx()));
    assert_eq!(str_at(&rd, "/source/name"), "pagelint");
    assert_eq!(str_at(&rd, "/severity"), "ERROR");
    let diags = rd["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), EXPECTED.len());
    for (d, (rule, path, line, column, level)) in diags.iter().zip(EXPECTED) {
        assert_eq!(str_at(d, "/code/value"), rule);
        assert_eq!(str_at(d, "/location/path"), path);
        assert_eq!(u64_at(d, "/location/range/start/line"), line);
        assert_eq!(u64_at(d, "/location/range/start/column"), column);
        assert_eq!(str_at(d, "/severity"), level.to_uppercase());
    }
}

#[test]
fn junit_is_well_formed_and_fails_once_per_error() {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let report = run();
    let xml = junit::render(&report, &ctx());
    let mut reader = Reader::from_str(&xml);
    reader.config_mut().check_end_names = true;
    let (mut cases, mut failures, mut files) = (0, 0, Vec::new());
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                match e.name().as_ref() {
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    _ => {}
                }
                for a in e.attributes() {
                    let a = a.expect("a well-formed attribute");
                    if a.key.as_ref() == "file" {
                        files.push(a.value.to_string());
                    }
                }
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.error_position()),
        }
    }
    assert_eq!(
        cases,
        EXPECTED.len() + 1,
        "a case per finding and a summary case"
    );
    assert_eq!(
        failures,
        report.count(pagelint::diagnostic::Severity::Error)
    );
    let expected: Vec<&str> = EXPECTED.iter().map(|e| e.1).collect();
    assert_eq!(files, expected);
}

#[test]
fn text_formats_list_every_finding() {
    let report = run();
    let concise = concise::render(&report, &ctx());
    let lines: Vec<&str> = concise.lines().collect();
    assert_eq!(lines.len(), EXPECTED.len());
    for (l, (rule, path, line, column, _)) in lines.iter().zip(EXPECTED) {
        assert!(
            l.starts_with(&format!("{path}:{line}:{column}: {rule}: ")),
            "{l}"
        );
    }
    let md = summary::render(&report, &ctx());
    assert!(
        md.starts_with("## pagelint: 4 errors, 2 warnings in 9 pages\n"),
        "{md}"
    );
    assert!(md.contains("| `broken-link` | error | 2 |"), "{md}");
    for (_, path, line, column, _) in EXPECTED {
        assert!(md.contains(&format!("`{path}:{line}:{column}`")), "{md}");
    }
    let gh = github::render_in(&report, &ctx());
    let levels: Vec<&str> = gh
        .lines()
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        levels,
        [
            "::error",
            "::error",
            "::error",
            "::error",
            "::warning",
            "::warning"
        ]
    );
}

#[test]
fn a_baseline_of_the_run_accepts_it_whole_and_survives_a_rewrite() {
    let ctx = ctx();
    let text = baseline::write(&run(), &ctx);
    assert_eq!(text.lines().count(), EXPECTED.len() + 2, "{text}");
    assert!(!text.contains("\"line\""), "{text}");
    let parsed = baseline::parse(&text).expect("a written baseline parses");
    let mut report = run();
    let stale = baseline::apply(&mut report, &parsed, &ctx);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert!(stale.is_empty());
    assert_eq!(baseline::write(&run(), &ctx), text, "the same bytes");
    // From another current folder, the same findings have the same repository paths.
    let inside = Context::new(repo(), repo().join("fixtures"));
    let mut shifted = run();
    for d in &mut shifted.diagnostics {
        d.path = Path::new(&*d.path)
            .strip_prefix("fixtures")
            .expect("under fixtures")
            .to_string_lossy()
            .into();
    }
    assert_eq!(baseline::write(&shifted, &inside), text);
}

#[test]
fn the_json_streamed_to_stdout_is_the_document_written_to_a_file() {
    // On stdout the JSON is written as it is serialized (a large site's report is never held
    // whole); with --output it is rendered first. Both are the same bytes.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("report.json");
    let run = |extra: &[&str]| {
        assert_cmd::Command::cargo_bin("pagelint")
            .expect("the binary is built")
            .current_dir(repo())
            .args(["check", "fixtures/site", "--format", "json"])
            .args(["--now", "2026-06-01T00:00:00Z", "-q"])
            .args(extra)
            .output()
            .expect("pagelint runs")
    };
    let streamed = run(&[]);
    let written = run(&["--output", file.to_str().expect("UTF-8 path")]);
    assert_eq!(streamed.status.code(), Some(1));
    assert_eq!(written.status.code(), Some(1));
    let from_file = std::fs::read(&file).expect("the report is written");
    assert_eq!(
        String::from_utf8_lossy(&streamed.stdout),
        String::from_utf8_lossy(&from_file)
    );
    let doc = json(&String::from_utf8_lossy(&streamed.stdout));
    assert_eq!(doc["diagnostics"].as_array().map(Vec::len), Some(6));
    assert!(streamed.stdout.ends_with(b"}]}\n"));
}
