//! Baselines: the findings a site accepts for now, so that a check fails only on new ones.
//!
//! A baseline file is one JSON document written one entry per line, sorted by path, rule and
//! key, so that fixing a page removes its lines and a diff shows exactly what changed:
//!
//! ```json
//! {"version": 1, "entries": [
//! {"path":"site/a.html","rule":"broken-link","key":"/docs/old","count":2},
//! {"path":"site/b.html","rule":"missing-field","key":"required field `title` is missing","count":1}
//! ]}
//! ```
//!
//! An entry names what stays when a page is edited: the rule, the repository-relative path,
//! the key (the link's target, or the message without positions: `report::fingerprint::key`),
//! and how many identical findings it accepts. No line numbers: a finding that moved still
//! matches. `apply` removes up to `count` matching findings per entry from a report; findings
//! beyond the count are new and stay; what an entry accepts but no longer finds is stale, and
//! rewriting the baseline drops it. Entries for the same finding that appear twice (as after
//! a merge) add up.

use crate::Report;
use crate::report::context::Context;
use crate::report::fingerprint::{fingerprints, key};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::num::NonZeroU32;

/// The format version `write` writes and `parse` reads.
pub const VERSION: u32 = 1;

/// A parsed baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub entries: Vec<Entry>,
}

/// Findings of one rule with one key on one page, accepted up to `count`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub key: String,
    pub count: u32,
}

/// What a baseline accepts but the report no longer has: each entry with the count left over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stale {
    pub entries: Vec<Entry>,
}

impl Stale {
    /// How many accepted findings are gone (the sum of the counts).
    pub fn findings(&self) -> u64 {
        self.entries.iter().map(|e| u64::from(e.count)).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A baseline file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid baseline, line {line}, column {column}: {message}")]
pub struct BaselineError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The baseline that accepts every finding of `report` (sorted, one entry per line).
pub fn write(report: &Report, ctx: &Context) -> String {
    let mut counts: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    for print in fingerprints(report, ctx) {
        *counts
            .entry((print.path, print.rule, print.key))
            .or_insert(0) += 1;
    }
    let lines: Vec<String> = counts
        .into_iter()
        .map(|((path, rule, key), count)| {
            let entry = Entry {
                path,
                rule,
                key,
                count,
            };
            serde_json::to_string(&entry).unwrap_or_else(|_| unreachable!())
        })
        .collect();
    if lines.is_empty() {
        format!("{{\"version\": {VERSION}, \"entries\": []}}\n")
    } else {
        format!(
            "{{\"version\": {VERSION}, \"entries\": [\n{}\n]}}\n",
            lines.join(",\n")
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    #[serde(deserialize_with = "version")]
    #[allow(dead_code)]
    version: u32,
    entries: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    path: String,
    rule: String,
    key: String,
    count: NonZeroU32,
}

/// The version, which must be one this pagelint reads.
fn version<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    if v == VERSION {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "baseline version {v} is not one this pagelint reads (it reads version {VERSION})"
        )))
    }
}

/// Read a baseline file.
pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
    let raw: RawBaseline = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C": the position is in the fields already.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_owned(),
            None => message,
        };
        BaselineError {
            line: e.line(),
            column: e.column(),
            message,
        }
    })?;
    Ok(Baseline {
        entries: raw
            .entries
            .into_iter()
            .map(|e| Entry {
                path: e.path,
                rule: e.rule,
                key: e.key,
                count: e.count.get(),
            })
            .collect(),
    })
}

/// Remove from `report` the findings `baseline` accepts (up to each entry's count, in report
/// order) and return what it accepts that the report no longer has.
pub fn apply(report: &mut Report, baseline: &Baseline, ctx: &Context) -> Stale {
    let mut left: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    for e in &baseline.entries {
        let n = left
            .entry((e.path.clone(), e.rule.clone(), e.key.clone()))
            .or_insert(0);
        *n = n.saturating_add(e.count);
    }
    report.diagnostics.retain(|d| {
        let found = (ctx.repo_path(&d.path), d.rule.to_owned(), key(d));
        match left.get_mut(&found) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
    Stale {
        entries: left
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|((path, rule, key), count)| Entry {
                path,
                rule,
                key,
                count,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fingerprint::tests::{ctx, diag, report};

    fn sample() -> Report {
        report(vec![
            diag("broken-link", "b.html", 4, "broken link: /x", Some("/x")),
            diag("broken-link", "b.html", 9, "broken link: /x", Some("/x")),
            diag("broken-link", "a.html", 3, "broken link: /y", Some("/y")),
            diag(
                "unreadable-page",
                "c.html",
                1,
                "the file is not valid UTF-8 (byte 0xFF at 3:14)",
                None,
            ),
        ])
    }

    #[test]
    fn the_file_is_sorted_one_entry_a_line_and_the_same_bytes_every_time() {
        let text = write(&sample(), &ctx());
        assert_eq!(
            text,
            "{\"version\": 1, \"entries\": [\n\
             {\"path\":\"site/a.html\",\"rule\":\"broken-link\",\"key\":\"/y\",\"count\":1},\n\
             {\"path\":\"site/b.html\",\"rule\":\"broken-link\",\"key\":\"/x\",\"count\":2},\n\
             {\"path\":\"site/c.html\",\"rule\":\"unreadable-page\",\"key\":\"the file is not valid UTF-8 (byte 0xFF)\",\"count\":1}\n\
             ]}\n"
        );
        assert_eq!(text, write(&sample(), &ctx()));
        assert_eq!(
            write(&report(Vec::new()), &ctx()),
            "{\"version\": 1, \"entries\": []}\n"
        );
    }

    #[test]
    fn a_written_baseline_parses_back_and_accepts_everything() {
        let text = write(&sample(), &ctx());
        let baseline = parse(&text).expect("parses");
        assert_eq!(baseline.entries.len(), 3);
        assert_eq!(baseline.entries[1].count, 2);
        let mut r = sample();
        let stale = apply(&mut r, &baseline, &ctx());
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(stale.is_empty());
    }

    #[test]
    fn moved_findings_still_match_and_new_ones_beyond_the_count_stay() {
        let baseline = parse(&write(&sample(), &ctx())).expect("parses");
        let mut r = report(vec![
            diag("broken-link", "b.html", 14, "broken link: /x", Some("/x")),
            diag("broken-link", "b.html", 19, "broken link: /x", Some("/x")),
            diag("broken-link", "b.html", 29, "broken link: /x", Some("/x")),
            diag("broken-link", "a.html", 30, "broken link: /y", Some("/y")),
            diag(
                "unreadable-page",
                "c.html",
                1,
                "the file is not valid UTF-8 (byte 0xFF at 7:1)",
                None,
            ),
        ]);
        let stale = apply(&mut r, &baseline, &ctx());
        assert!(stale.is_empty());
        assert_eq!(r.diagnostics.len(), 1, "the third /x is new");
        assert_eq!(
            (&*r.diagnostics[0].path, r.diagnostics[0].position.line),
            ("b.html", 29)
        );
    }

    #[test]
    fn fixed_findings_become_stale() {
        let baseline = parse(&write(&sample(), &ctx())).expect("parses");
        let mut r = report(vec![diag(
            "broken-link",
            "b.html",
            4,
            "broken link: /x",
            Some("/x"),
        )]);
        let stale = apply(&mut r, &baseline, &ctx());
        assert!(r.diagnostics.is_empty());
        assert_eq!(stale.findings(), 3);
        assert_eq!(
            stale.entries,
            [
                Entry {
                    path: "site/a.html".into(),
                    rule: "broken-link".into(),
                    key: "/y".into(),
                    count: 1
                },
                Entry {
                    path: "site/b.html".into(),
                    rule: "broken-link".into(),
                    key: "/x".into(),
                    count: 1
                },
                Entry {
                    path: "site/c.html".into(),
                    rule: "unreadable-page".into(),
                    key: "the file is not valid UTF-8 (byte 0xFF)".into(),
                    count: 1
                },
            ]
        );
    }

    #[test]
    fn entries_listed_twice_add_up() {
        let text = "{\"version\": 1, \"entries\": [\n\
            {\"path\":\"site/b.html\",\"rule\":\"broken-link\",\"key\":\"/x\",\"count\":1},\n\
            {\"path\":\"site/b.html\",\"rule\":\"broken-link\",\"key\":\"/x\",\"count\":1}\n]}";
        let mut r = sample();
        let stale = apply(&mut r, &parse(text).expect("parses"), &ctx());
        assert!(stale.is_empty());
        assert_eq!(r.diagnostics.len(), 2);
    }

    #[test]
    fn errors_say_where() {
        let e = parse("{\"version\": 1, \"entries\": [\n{\"path\":\"a\",\"rule\":\"r\",\"key\":\"k\",\"count\":0}\n]}")
            .expect_err("count 0 is invalid");
        assert_eq!(e.line, 2, "{e}");
        assert!(
            e.to_string()
                .starts_with("invalid baseline, line 2, column "),
            "{e}"
        );
        let e = parse("{\"version\": 2, \"entries\": []}").expect_err("unknown version");
        assert!(e.message.contains("version 2"), "{e}");
        let e = parse("{\"version\": 1, \"entries\": [\n{\"path\":\"a\"\n]}").expect_err("broken");
        assert_eq!(e.line, 3, "{e}");
        let e = parse("{\"version\": 1, \"entries\": [{\"path\":\"a\",\"rule\":\"r\",\"key\":\"k\",\"count\":1,\"line\":3}]}")
            .expect_err("unknown field");
        assert!(e.message.contains("unknown field `line`"), "{e}");
    }
}
