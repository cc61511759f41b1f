//! Suppressions at work: invalid-suppression (a page check: an unknown rule id, an unknown
//! directive, a directive naming no rule), and, after every other check of a run, dropping the
//! findings a page's suppressions cover and reporting those that covered nothing
//! (unused-suppression), so that suppressions cannot outlive the problem they were for.
//!
//! What a suppression covers (see `parse::suppression` for how each is written): a finding of
//! one of its rules whose start is on the line after a `pagelint-disable-next-line` comment,
//! on the lines of a `pagelint-disable-line` comment, between the end of a `pagelint-disable`
//! comment and the start of the `pagelint-enable` of that rule (or the end of the page), or,
//! for the front-matter field, anywhere on the page. A finding covered twice uses the narrowest
//! suppression (a line, then the latest range, then the page), so a redundant one is reported.
//!
//! Not reported as unused: a suppression of a rule that is off for the page (a configuration
//! may turn a rule off for a while), or of orphan-page in a run on a few files (the rule needs
//! the whole site). The two suppression rules cannot be suppressed in a page — naming them is
//! an invalid-suppression — but the configuration can turn them off or down like any rule.

use super::table::RuleTable;
use super::{PageCtx, index_of, rules};
use crate::diagnostic::{Diagnostic, FileRead, Finding, Severity};
use crate::parse::page::{Page, Spot};
use crate::parse::span::Position;
use crate::parse::suppression::{DIRECTIVES, Form, Problem, Suppression};
use crate::site::SiteIndex;
use crate::site::suggest::closest;
use std::collections::HashMap;

/// The rules that report on suppressions themselves: never suppressed in a page.
const ABOUT_SUPPRESSIONS: [&str; 2] = ["unused-suppression", "invalid-suppression"];

/// Rules that judge only in a run over the whole site: a suppression of one is not unused in a
/// run on a few files.
const WHOLE_SITE_ONLY: [&str; 1] = ["orphan-page"];

/// Why a rule id in a suppression names no rule it may suppress (`None`: it is fine).
fn unknown(id: &str) -> Option<(String, String)> {
    if ABOUT_SUPPRESSIONS.contains(&id) {
        return Some((
            format!("`{id}` cannot be suppressed in a page"),
            format!(
                "it reports on the suppressions themselves: turn it off or down for these pages in \
                 pagelint.yaml (`rules: {{{id}: off}}`, or under `overrides:`)"
            ),
        ));
    }
    if super::find(id).is_some() {
        return None;
    }
    let ids = rules()
        .iter()
        .map(|r| r.meta.id.as_str())
        .filter(|r| !ABOUT_SUPPRESSIONS.contains(r));
    let help = match closest(id, ids, 3) {
        Some(near) => format!("did you mean `{near}`? `pagelint rules` lists every rule"),
        None => "`pagelint rules` lists every rule".to_owned(),
    };
    Some((format!("unknown rule `{id}` in a suppression"), help))
}

use super::fields::finding;

pub fn invalid_suppression(ctx: &PageCtx<'_>, out: &mut Vec<Finding>) {
    for s in &ctx.page.suppressions {
        for problem in &s.problems {
            out.push(describe(s, problem));
        }
        for rule in &s.rules {
            if let Some((message, help)) = unknown(&rule.id) {
                out.push(finding(rule.spot, message, help));
            }
        }
    }
}

/// The finding for a problem in how a suppression is written.
fn describe(s: &Suppression, problem: &Problem) -> Finding {
    let usage = "write it as `pagelint: {disable: [rule, …]}`";
    match problem {
        Problem::UnknownDirective { name, spot } => {
            let names = DIRECTIVES.iter().map(|(n, _)| *n);
            let listed = "the directives are pagelint-disable-next-line, pagelint-disable-line, \
                          pagelint-disable and pagelint-enable";
            let help = match closest(name, names, 4) {
                Some(near) => format!("did you mean `{near}`? {listed}"),
                None => listed.to_owned(),
            };
            finding(*spot, format!("unknown directive `{name}`"), help)
        }
        Problem::NoRules => finding(
            s.spot,
            format!("`{}` names no rule", s.form.written()),
            "name the rules it is for (`<!-- pagelint-disable-next-line broken-link -->`): a \
             suppression of every rule would hide problems no one has seen"
                .to_owned(),
        ),
        Problem::UnknownSetting { name, spot } => finding(
            *spot,
            format!("the `pagelint` field has no setting `{name}`"),
            match closest(name, ["disable"].into_iter(), 3) {
                Some(near) => format!("did you mean `{near}`? {usage}"),
                None => usage.to_owned(),
            },
        ),
        Problem::WrongShape { what, kind, spot } => finding(
            *spot,
            format!("{what} is {kind}, not {}", expected(what)),
            usage.to_owned(),
        ),
    }
}

fn expected(what: &str) -> &'static str {
    if what.starts_with("the `pagelint`") {
        "a mapping"
    } else if what.starts_with("an entry") {
        "a rule id"
    } else {
        "a list of rule ids"
    }
}

/// One rule of a suppression, resolved.
#[derive(Debug)]
struct Entry {
    rule: &'static str,
    /// Where its id is written.
    spot: Spot,
    /// Whether the rule is on for the page (a suppression of a rule that is off is not unused).
    on: bool,
    /// For `pagelint-disable`: where the range ends (the start of its `pagelint-enable`).
    until: Option<Position>,
    /// Whether it suppressed a finding (for `pagelint-enable`: ended a range).
    used: bool,
}

/// One suppression with its entries.
#[derive(Debug)]
struct Resolved {
    form: Form,
    spot: Spot,
    end: Position,
    entries: Vec<Entry>,
}

impl Resolved {
    /// Whether it covers a finding that starts at `at`, for its entry `e`.
    fn covers(&self, e: &Entry, at: Position) -> bool {
        match self.form {
            Form::NextLine => at.line == self.end.line + 1,
            Form::Line => (self.spot.position.line..=self.end.line).contains(&at.line),
            Form::Disable => self.end <= at && e.until.is_none_or(|u| at < u),
            Form::Page => true,
            Form::Enable | Form::Unknown => false,
        }
    }
}

/// What a page reported on keeps of its suppressions until the run's findings are in: only
/// pages that write some have one, so a run's memory does not grow with its pages.
#[derive(Debug)]
pub struct PageSuppressions {
    path: String,
    stamp: Option<(u64, i128)>,
    /// unused-suppression's severity on this page, if it is on.
    report: Option<Severity>,
    /// In the order a finding tries them: lines, then ranges latest first, then the page.
    suppressions: Vec<Resolved>,
}

/// Resolve a page's suppressions against the rules and the page's rule table; `None` when it
/// has none that name a rule it may suppress.
pub fn resolve(page: &Page, table: &RuleTable) -> Option<PageSuppressions> {
    let mut resolved: Vec<Resolved> = Vec::new();
    for s in &page.suppressions {
        let entries: Vec<Entry> = s
            .rules
            .iter()
            .filter(|r| !ABOUT_SUPPRESSIONS.contains(&r.id.as_str()))
            .filter_map(|r| {
                let (index, rule) = super::find(&r.id)?;
                Some(Entry {
                    rule: rule.meta.id.as_str(),
                    spot: r.spot,
                    on: table.0.get(index).is_some_and(Option::is_some),
                    until: None,
                    used: false,
                })
            })
            .collect();
        if entries.is_empty() || s.form == Form::Unknown {
            continue;
        }
        resolved.push(Resolved {
            form: s.form,
            spot: s.spot,
            end: s.end,
            entries,
        });
    }
    if resolved.is_empty() {
        return None;
    }
    close_ranges(&mut resolved);
    // The narrowest first: lines, then ranges (the latest opened first), then the page.
    resolved.sort_by_key(|r| {
        let class = match r.form {
            Form::NextLine | Form::Line => 0,
            Form::Disable => 1,
            _ => 2,
        };
        (class, std::cmp::Reverse(r.end))
    });
    let report = table.0[index_of("unused-suppression")]
        .as_ref()
        .map(|(s, _)| *s);
    Some(PageSuppressions {
        path: page.path.clone(),
        stamp: page.read.as_ref().and_then(|r| r.stamp),
        report,
        suppressions: resolved,
    })
}

/// End each `pagelint-disable` range at the next `pagelint-enable` of its rule (in document
/// order); an enable that ends no range is used by nothing.
fn close_ranges(resolved: &mut [Resolved]) {
    // Open ranges: (suppression, entry).
    let mut open: Vec<(usize, usize)> = Vec::new();
    for i in 0..resolved.len() {
        match resolved[i].form {
            Form::Disable => open.extend((0..resolved[i].entries.len()).map(|e| (i, e))),
            Form::Enable => {
                let at = resolved[i].spot.position;
                for e in 0..resolved[i].entries.len() {
                    let rule = resolved[i].entries[e].rule;
                    let before = open.len();
                    open.retain(|&(d, k)| {
                        let entry = &mut resolved[d].entries[k];
                        if entry.rule != rule {
                            return true;
                        }
                        entry.until = Some(at);
                        false
                    });
                    resolved[i].entries[e].used = open.len() < before;
                }
            }
            _ => {}
        }
    }
}

/// Drop the findings that the suppressions of their pages cover, and add an unused-suppression
/// finding for each suppression that covered nothing. `site` tells which rules judged.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, pages: Vec<PageSuppressions>, site: &SiteIndex) {
    if pages.is_empty() {
        return;
    }
    let mut pages = pages;
    let by_path: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.clone(), i))
        .collect();
    // Per page, the line suppressions (the first of its order) covering each line, in order:
    // a finding tries only those of its own line, however many the page has.
    // (The line suppressions come first in a page's order, then the ranges and the page.)
    let by_line: Vec<(HashMap<u32, Vec<usize>>, usize)> = pages
        .iter()
        .map(|p| {
            let mut lines: HashMap<u32, Vec<usize>> = HashMap::new();
            for (k, s) in p.suppressions.iter().enumerate() {
                let covered = match s.form {
                    Form::NextLine => s.end.line + 1..=s.end.line + 1,
                    Form::Line => s.spot.position.line..=s.end.line,
                    _ => continue,
                };
                for line in covered {
                    lines.entry(line).or_default().push(k);
                }
            }
            let rest = p
                .suppressions
                .partition_point(|s| matches!(s.form, Form::NextLine | Form::Line));
            (lines, rest)
        })
        .collect();
    diagnostics.retain(|d| {
        let Some(&i) = by_path.get(&*d.path) else {
            return true;
        };
        let (lines, rest) = &by_line[i];
        let on_line = lines.get(&d.position.line).map_or(&[][..], Vec::as_slice);
        let order = on_line
            .iter()
            .copied()
            .chain(*rest..pages[i].suppressions.len());
        for k in order {
            let s = &mut pages[i].suppressions[k];
            let hit = s
                .entries
                .iter()
                .position(|e| e.rule == d.rule && s.covers(e, d.position));
            if let Some(e) = hit {
                s.entries[e].used = true;
                return false;
            }
        }
        true
    });
    let judged = |rule: &str| site.links_complete || !WHOLE_SITE_ONLY.contains(&rule);
    for page in &pages {
        let Some(severity) = page.report else {
            continue;
        };
        for s in &page.suppressions {
            let unused: Vec<&Entry> = s
                .entries
                .iter()
                .filter(|e| !e.used && e.on && judged(e.rule))
                .collect();
            if let Some(finding) = unused_finding(s, &unused) {
                diagnostics.push(Diagnostic {
                    rule: rules()[index_of("unused-suppression")].meta.id.as_str(),
                    severity,
                    path: page.path.as_str().into(),
                    span: finding.span,
                    position: finding.position,
                    message: finding.message.into(),
                    help: finding.help.into(),
                    target: None,
                    repair: None,
                    read: FileRead::shared(page.stamp, None),
                });
            }
        }
    }
}

/// The unused-suppression finding for a suppression whose `unused` entries covered nothing.
fn unused_finding(s: &Resolved, unused: &[&Entry]) -> Option<Finding> {
    let first = unused.first()?;
    let names = either(unused.iter().map(|e| e.rule));
    let what = match s.form {
        Form::NextLine => format!("no {names} finding on line {}", s.end.line + 1),
        Form::Line if s.spot.position.line == s.end.line => {
            format!("no {names} finding on this line")
        }
        Form::Line => format!(
            "no {names} finding on lines {} to {}",
            s.spot.position.line, s.end.line
        ),
        Form::Disable => match first.until {
            Some(u) => format!("no {names} finding between here and line {}", u.line),
            None => format!("no {names} finding between here and the end of the page"),
        },
        Form::Enable => format!("no `pagelint-disable` of {names} is open here"),
        Form::Page | Form::Unknown => format!("the page has no {names} finding"),
    };
    let listed = unused
        .iter()
        .map(|e| format!("`{}`", e.rule))
        .collect::<Vec<_>>()
        .join(" and ");
    let (spot, help) = if s.form == Form::Page {
        (
            first.spot,
            format!("remove {listed} from `pagelint.disable` in the front matter"),
        )
    } else if unused.len() == s.entries.len() {
        (s.spot, "remove the comment".to_owned())
    } else {
        (first.spot, format!("remove {listed} from the comment"))
    };
    Some(finding(spot, format!("unused suppression: {what}"), help))
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn either<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_get_the_closest_rule_and_engine_rules_are_refused() {
        assert_eq!(unknown("broken-link"), None);
        let (message, help) = unknown("brokn-link").expect("unknown");
        assert_eq!(message, "unknown rule `brokn-link` in a suppression");
        assert_eq!(
            help,
            "did you mean `broken-link`? `pagelint rules` lists every rule"
        );
        let (message, _) = unknown("unused-suppression").expect("refused");
        assert_eq!(
            message,
            "`unused-suppression` cannot be suppressed in a page"
        );
        assert_eq!(
            unknown("xyzzy").map(|(_, h)| h).as_deref(),
            Some("`pagelint rules` lists every rule")
        );
    }

    #[test]
    fn rule_lists_read_as_a_sentence() {
        assert_eq!(either(["a"].into_iter()), "`a`");
        assert_eq!(either(["a", "b"].into_iter()), "`a` or `b`");
        assert_eq!(either(["a", "b", "c"].into_iter()), "`a`, `b` or `c`");
    }
}
