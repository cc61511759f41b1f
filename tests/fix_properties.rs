//! Properties of `fix` on generated pages over a generated site (proptest, a fixed seed): the
//! fixed page re-parses (the same front-matter keys, the same links but for the repaired
//! ones); only the bytes of repaired values change; a second fix changes nothing.

use pagelint::config::Config;
use pagelint::diagnostic::Diagnostic;
use pagelint::fix::{Edit, apply, plan};
use pagelint::parse::{frontmatter, html};
use proptest::prelude::*;
use proptest::test_runner::{Config as Cases, RngSeed};
use std::path::Path;

const FRESH: &str = "type: page\nauthorship: A\nupdated_at: 2026-01-15T10:00:00Z\n\
                     created_at: 2026-01-10T10:00:00Z\n";

/// The pages every generated link points at (or near: one letter off is a certain typo).
const TARGETS: [&str; 3] = [
    "docs/alpha-page",
    "docs/beta/gamma-page",
    "docs/delta-guide",
];

/// A link target as written: a page, or one with a typo; with or without a trailing slash.
fn target() -> impl Strategy<Value = String> {
    (0..TARGETS.len(), any::<bool>(), any::<bool>()).prop_map(|(i, typo, slash)| {
        let mut t = TARGETS[i].to_owned();
        if typo {
            // `…-page` becomes `…-pgae`, `…-guide` `…-gudie`: two letters swapped.
            t = swapped(&t, t.len() - 3);
        }
        if slash {
            t.push('/');
        }
        t
    })
}

/// `s` with the characters at `i` and `i + 1` (ASCII) swapped.
fn swapped(s: &str, i: usize) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    chars.swap(i, i + 1);
    chars.into_iter().collect()
}

/// An href to `t`, in one of the ways pages write them.
fn href() -> impl Strategy<Value = String> {
    let suffix = prop_oneof![
        Just(""),
        Just("#sec"),
        Just("&#35;sec"),
        Just("?a=1&amp;b=2"),
        Just("?a=1#sec"),
    ];
    let form = 0..6usize;
    (target(), suffix, form).prop_map(|(t, suffix, form)| match form {
        0 => format!("/{t}{suffix}"),
        1 => format!("https://www.example.org/{t}{suffix}"),
        2 => format!("https://www.example.org&#47;{t}{suffix}"),
        3 => format!(" /{t}{suffix} "),
        4 => format!("\\{}{suffix}", t.replace('/', "\\")),
        _ => suffix.to_owned(),
    })
}

/// An `<a>` element with `h` in one of the quoting styles.
fn anchor() -> impl Strategy<Value = String> {
    (href(), 0..3usize).prop_map(|(h, quote)| match quote {
        0 => format!("<a href=\"{h}\">x</a>"),
        1 if !h.contains('\'') => format!("<a class=c href='{h}'>x</a>"),
        _ if !h.contains([' ', '\'', '"', '>']) && !h.is_empty() => format!("<a href={h}>x</a>"),
        _ => format!("<a href=\"{h}\">x</a>"),
    })
}

/// The link field, written in one of YAML's ways (some of which fix must leave alone).
fn link_field() -> impl Strategy<Value = String> {
    (target(), any::<bool>(), 0..9usize).prop_map(|(t, lead, form)| {
        let t = if lead { format!("/{t}") } else { t };
        match form {
            0 => format!("further_reading_uri: {t}\n"),
            1 => format!("further_reading_uri: '{t}'\n"),
            2 => format!("further_reading_uri: \"{t}\"  # note\n"),
            3 => format!("further_reading_uri: >-\n  {t}\n"),
            4 => format!("further_reading_uri: &a {t}\nsee_also: *a\n"),
            5 => format!("further_reading_uri: !!str {t}\n"),
            6 => format!("x: &a {t}\nfurther_reading_uri: *a\n"),
            7 => format!("summary: \"x\nfurther_reading_uri: {t}\n\"\nfurther_reading_uri: {t}\n"),
            _ => format!("tags:\n  - a\nfurther_reading_uri: {t}\n"),
        }
    })
}

/// A page: front matter with the link field, a body of links.
fn page() -> impl Strategy<Value = String> {
    (link_field(), prop::collection::vec(anchor(), 1..6), any::<bool>()).prop_map(
        |(field, links, crlf)| {
            let text = format!(
                "---\nid: page\nuri: docs/page\ntitle: T\n{FRESH}{field}---\n<h2 id=\"sec\">S</h2>\n{}\n",
                links.join("\n")
            );
            if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            }
        },
    )
}

fn policy() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("ignore"), Just("require"), Just("forbid")]
}

/// Check the site in `root`; the diagnostics of `page.html`.
fn findings(root: &Path, config: &Config) -> Vec<Diagnostic> {
    let request = pagelint::Request {
        config,
        root: root.to_path_buf(),
        selected: Vec::new(),
        now: "2026-06-01T00:00:00Z".parse().expect("a time"),
        progress: &pagelint::NoProgress,
        cache: false,
    };
    let report = pagelint::check(&request).expect("the site is checked");
    report
        .diagnostics
        .into_iter()
        .filter(|d| d.path.ends_with("page.html"))
        .collect()
}

/// The edits `fix` would make to `text` for `found`.
fn edits(text: &str, found: &[Diagnostic]) -> Vec<Edit> {
    let wanted: Vec<_> = found
        .iter()
        .filter_map(|d| Some((d.span, d.repair.as_ref()?)))
        .collect();
    plan(text, &wanted, "")
        .into_iter()
        .map(|p| p.edit)
        .collect()
}

/// The links of a page as its body's scanner reads them: decoded href and span.
fn links(text: &str) -> Vec<(String, usize, usize)> {
    let start = frontmatter::parse(text).body_start;
    html::scan(text, start)
        .links
        .into_iter()
        .map(|l| (l.href, l.span.start, l.span.end))
        .collect()
}

proptest! {
    #![proptest_config(Cases {
        cases: 40,
        rng_seed: RngSeed::Fixed(9),
        failure_persistence: None,
        ..Cases::default()
    })]

    #[test]
    fn fix_changes_only_repaired_values_and_a_second_fix_nothing(
        text in page(),
        slash in policy(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let config = Config::parse(
            &format!(
                "site:\n  hosts: [www.example.org]\n  link_fields: [further_reading_uri]\n  \
                 trailing_slash: {slash}\n"
            ),
            "pagelint.yaml",
        )
        .expect("a valid config");
        for (i, t) in TARGETS.iter().enumerate() {
            std::fs::write(
                root.join(format!("t{i}.html")),
                format!("---\nid: t{i}\nuri: {t}\ntitle: T\n{FRESH}---\n<h2 id=\"sec\">S</h2>\n"),
            )
            .expect("write");
        }
        std::fs::write(root.join("page.html"), &text).expect("write");
        let found = findings(root, &config);
        let planned = edits(&text, &found);
        // Each edit is the value of a finding `fix` may repair, and nothing else.
        let repairable: Vec<_> =
            found.iter().filter(|d| d.repair.is_some()).map(|d| d.span).collect();
        for e in &planned {
            prop_assert!(repairable.contains(&e.span), "{e:?} is no repaired value");
        }
        let fixed = apply(&text, &planned);
        let mut at = (0, 0);
        for e in &planned {
            let kept = e.span.start - at.0;
            prop_assert_eq!(&text[at.0..e.span.start], &fixed[at.1..at.1 + kept]);
            at = (e.span.end, at.1 + kept + e.new.len());
        }
        prop_assert_eq!(&text[at.0..], &fixed[at.1..]);
        // The front matter reads as the same fields; the body as the same links, but for the
        // repaired values.
        let (before, after) = (frontmatter::parse(&text), frontmatter::parse(&fixed));
        prop_assert_eq!(before.problem.clone(), after.problem.clone());
        prop_assert_eq!(
            before.fields.keys().collect::<Vec<_>>(),
            after.fields.keys().collect::<Vec<_>>()
        );
        for (k, f) in &before.fields {
            if !planned.iter().any(|e| e.span == f.value_span) {
                prop_assert_eq!(&f.value, &after.fields[k].value, "{}", k);
            }
        }
        let (old_links, new_links) = (links(&text), links(&fixed));
        prop_assert_eq!(old_links.len(), new_links.len());
        for (old, new) in old_links.iter().zip(&new_links) {
            if !planned.iter().any(|e| e.span.start == old.1 && e.span.end == old.2) {
                prop_assert_eq!(&old.0, &new.0);
            }
        }
        // A second fix changes nothing: what is left is for a person.
        std::fs::write(root.join("page.html"), &fixed).expect("write");
        let again = findings(root, &config);
        let second = edits(&fixed, &again);
        prop_assert!(second.is_empty(), "a second fix would make {second:?} in\n{fixed}");
        prop_assert!(
            again.iter().all(|d| d.repair.is_none()),
            "still fixable: {:?}",
            again.iter().filter(|d| d.repair.is_some()).collect::<Vec<_>>()
        );
    }
}
