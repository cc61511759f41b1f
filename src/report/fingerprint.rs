//! Fingerprints: a key per diagnostic that stays the same when lines shift, for baselines,
//! SARIF `partialFingerprints` and GitLab's `fingerprint`.
//!
//! A fingerprint is the rule id, the repository-relative path, the diagnostic's `target` when
//! it has one (else its message with positions taken out), and an occurrence index: the
//! diagnostic's rank among those of the report with the same first three parts, in report
//! order. No line or column enters it, so editing a page above a finding keeps the finding's
//! fingerprint; two identical findings on one page differ by their occurrence, so each
//! fingerprint is unique within a report.
//!
//! The hash is FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) over
//! `pagelint/v1 NUL rule NUL path NUL key NUL occurrence`, written as 16 lowercase hex digits.
//! The algorithm is fixed here and does not depend on the Rust version or platform.

use super::context::Context;
use crate::Report;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

/// What identifies a finding across edits of its page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint {
    pub rule: String,
    /// Repository-relative, with `/` separators.
    pub path: String,
    /// The target, or the message without positions.
    pub key: String,
    /// 0-based rank among the report's diagnostics with the same rule, path and key.
    pub occurrence: usize,
}

impl Fingerprint {
    /// The fingerprint as 16 hex digits (FNV-1a 64; see the module documentation).
    pub fn hash(&self) -> String {
        let mut h = Fnv1a::new();
        for part in [
            "pagelint/v1",
            &self.rule,
            &self.path,
            &self.key,
            &self.occurrence.to_string(),
        ] {
            h.write(part.as_bytes());
            h.write(&[0]);
        }
        format!("{:016x}", h.0)
    }
}

/// The fingerprint of each diagnostic of the report, in report order.
pub fn fingerprints(report: &Report, ctx: &Context) -> Vec<Fingerprint> {
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let (rule, path, key) = (d.rule.to_owned(), ctx.repo_path(&d.path), key(d));
            let n = seen
                .entry((rule.clone(), path.clone(), key.clone()))
                .or_insert(0);
            let occurrence = *n;
            *n += 1;
            Fingerprint {
                rule,
                path,
                key,
                occurrence,
            }
        })
        .collect()
}

/// What tells a diagnostic from others of its rule on its page, without its position: the
/// target when it has one, else the message with positions and ages taken out.
pub fn key(d: &Diagnostic) -> String {
    match &d.target {
        Some(target) => target.to_string(),
        None => line_independent(&d.message),
    }
}

/// `message` without what changes when nothing about the finding did: positions written into
/// it (`unreadable-page` says "byte 0xFF at 3:14") and ages (`stale-updated-at` says "is 1200
/// days old", which grows every day).
pub fn line_independent(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while !rest.is_empty() {
        if let Some(after) = position_at(rest) {
            rest = after;
            continue;
        }
        if let Some(after) = days_old(rest) {
            out.push_str("N days old");
            rest = after;
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// After ` at 12:5`, ` at line 12`, or ` at line 12 column 5` at the start of `s`.
fn position_at(s: &str) -> Option<&str> {
    let s = s.strip_prefix(" at ")?;
    if let Some(after_line) = s.strip_prefix("line ") {
        let after = digits(after_line)?;
        return Some(
            after
                .strip_prefix(" column ")
                .and_then(digits)
                .unwrap_or(after),
        );
    }
    digits(digits(s)?.strip_prefix(':')?)
}

/// After `1200 days old` at the start of `s` (not inside a longer number).
fn days_old(s: &str) -> Option<&str> {
    digits(s)?.strip_prefix(" days old")
}

/// After one or more ASCII digits at the start of `s`.
fn digits(s: &str) -> Option<&str> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    (n > 0).then(|| &s[n..])
}

/// FNV-1a, 64 bits.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::parse::span::{Position, Span};
    use std::path::PathBuf;

    /// A diagnostic for tests: rule, path, line, message, target.
    pub(crate) fn diag(
        rule: &'static str,
        path: &str,
        line: u32,
        message: &str,
        target: Option<&str>,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            severity: crate::rules::find(rule).map_or(Severity::Error, |(_, r)| r.meta.severity),
            path: path.into(),
            span: Span::new(0, 1),
            position: Position { line, column: 3 },
            message: message.into(),
            help: "do something".into(),
            target: target.map(Into::into),
            repair: None,
            read: None,
        }
    }

    /// A context whose repository top is /repo and whose current folder is /repo/site.
    pub(crate) fn ctx() -> Context {
        Context::new(PathBuf::from("/repo"), PathBuf::from("/repo/site"))
    }

    pub(crate) fn report(diagnostics: Vec<Diagnostic>) -> Report {
        let mut diagnostics = diagnostics;
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Report {
            pages: 2,
            diagnostics,
            ..Report::default()
        }
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        let hash = |s: &str| {
            let mut h = Fnv1a::new();
            h.write(s.as_bytes());
            h.0
        };
        assert_eq!(hash(""), 0xcbf29ce484222325);
        assert_eq!(hash("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(hash("foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn fingerprints_ignore_lines_and_count_occurrences() {
        let before = report(vec![
            diag("broken-link", "a.html", 3, "broken link: /x", Some("/x")),
            diag("broken-link", "a.html", 9, "broken link: /x", Some("/x")),
            diag("broken-link", "b.html", 3, "broken link: /x", Some("/x")),
        ]);
        let after = report(vec![
            diag("broken-link", "a.html", 13, "broken link: /x", Some("/x")),
            diag("broken-link", "a.html", 19, "broken link: /x", Some("/x")),
            diag("broken-link", "b.html", 30, "broken link: /x", Some("/x")),
        ]);
        let (f1, f2) = (fingerprints(&before, &ctx()), fingerprints(&after, &ctx()));
        assert_eq!(f1, f2);
        assert_eq!(f1[0].path, "site/a.html");
        assert_eq!(f1[0].key, "/x");
        assert_eq!(
            f1.iter().map(|f| f.occurrence).collect::<Vec<_>>(),
            [0, 1, 0]
        );
        let hashes: std::collections::BTreeSet<String> = f1.iter().map(|f| f.hash()).collect();
        assert_eq!(hashes.len(), 3, "each finding has its own hash");
        assert!(hashes.iter().all(|h| h.len() == 16));
    }

    #[test]
    fn the_hash_is_pinned() {
        let f = Fingerprint {
            rule: "broken-link".into(),
            path: "site/a.html".into(),
            key: "/x".into(),
            occurrence: 0,
        };
        // Changing this value invalidates every SARIF and GitLab history: only on purpose.
        assert_eq!(f.hash(), f.clone().hash());
        assert_eq!(f.hash(), "137f64d1b0b496da");
    }

    #[test]
    fn messages_lose_positions_and_ages() {
        assert_eq!(
            line_independent("the file is not valid UTF-8 (byte 0xFF at 3:14)"),
            "the file is not valid UTF-8 (byte 0xFF)"
        );
        assert_eq!(
            line_independent("bad YAML at line 4 column 2, or so at line 7"),
            "bad YAML, or so"
        );
        assert_eq!(
            line_independent("`updated_at` (2020-01-01) is 1200 days old, more than 1095"),
            "`updated_at` (2020-01-01) is N days old, more than 1095"
        );
        assert_eq!(line_independent("look at 3 things"), "look at 3 things");
        assert_eq!(line_independent("café at 1:"), "café at 1:");
    }

    #[test]
    fn without_a_target_the_message_is_the_key() {
        let d = diag(
            "unreadable-page",
            "a.html",
            1,
            "the file is not valid UTF-8 (byte 0xFF at 3:14)",
            None,
        );
        assert_eq!(key(&d), "the file is not valid UTF-8 (byte 0xFF)");
    }
}
