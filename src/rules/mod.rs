//! The rule registry: each rule's metadata (from `rules/<id>.yaml`, compiled in) and its check.
//!
//! A check is a plain function that pushes findings and does no I/O. Page checks see one whole
//! page (fields, dates, body) and run while the page is read, in parallel, before its fields are
//! dropped; site checks see what the index keeps of a page (`SitePage`) and the `SiteIndex`
//! (which URIs exist, which ids a target has, which pages share a URI or id). The findings a
//! page's suppressions cover are dropped once both have run, and unused-suppression is
//! reported by the run itself then (`suppress`).

pub mod dates;
mod fields;
mod history;
pub mod limits;
pub mod links;
pub mod redirects;
mod shape;
pub mod suppress;
pub mod table;

use crate::diagnostic::{Diagnostic, Finding, FindingTarget, Severity};
use crate::parse::intern::Interner;
use crate::parse::page::{Page, SitePage};
use crate::site::SiteIndex;
use crate::site::settings::SiteSettings;
use crate::source::changes::PreviousVersion;
use jiff::Timestamp;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use table::RuleTable;

/// What a page check may look at.
pub struct PageCtx<'a> {
    pub page: &'a Page,
    pub params: &'a Params,
    pub now: Timestamp,
    pub settings: &'a SiteSettings,
    /// The page's version at the `--changed-since` base (`None` in other runs, and for pages
    /// new since the base).
    pub previous: Option<&'a PreviousVersion>,
}

/// What a site check may look at.
pub struct SiteCtx<'a> {
    pub page: &'a SitePage,
    pub site: &'a SiteIndex,
    pub params: &'a Params,
    pub settings: &'a SiteSettings,
}

/// A rule's check, by what it needs to see.
#[derive(Clone, Copy)]
pub enum Check {
    Page(fn(&PageCtx<'_>, &mut Vec<Finding>)),
    Site(fn(&SiteCtx<'_>, &mut Vec<Finding>)),
    /// A page check and a site check under one rule (limit-exceeded: limits met while a page
    /// is read, and limits met following the site's redirects).
    Both(
        fn(&PageCtx<'_>, &mut Vec<Finding>),
        fn(&SiteCtx<'_>, &mut Vec<Finding>),
    ),
    /// Reported by the run itself once every other check is done (unused-suppression, see
    /// `suppress::apply`).
    Run,
}

/// A rule's parameters after validation: name → YAML value of the declared type.
pub type Params = BTreeMap<String, serde_yaml::Value>;

/// Each rule: its YAML (id, severity, docs, params) and its check, in the order they are listed.
const REGISTRY: &[(&str, Check)] = &[
    (
        include_str!("../../rules/broken-link.yaml"),
        Check::Site(links::broken_link),
    ),
    (
        include_str!("../../rules/broken-fragment.yaml"),
        Check::Site(links::broken_fragment),
    ),
    (
        include_str!("../../rules/broken-toc-entry.yaml"),
        Check::Page(links::broken_toc_entry),
    ),
    (
        include_str!("../../rules/redirected-link.yaml"),
        Check::Site(redirects::redirected_link),
    ),
    (
        include_str!("../../rules/redirect-loop.yaml"),
        Check::Site(redirects::redirect_loop),
    ),
    (
        include_str!("../../rules/trailing-slash.yaml"),
        Check::Site(shape::trailing_slash),
    ),
    (
        include_str!("../../rules/own-host-link.yaml"),
        Check::Page(shape::own_host_link),
    ),
    (
        include_str!("../../rules/missing-asset.yaml"),
        Check::Site(links::missing_asset),
    ),
    (
        include_str!("../../rules/orphan-page.yaml"),
        Check::Site(links::orphan_page),
    ),
    (
        include_str!("../../rules/invalid-front-matter.yaml"),
        Check::Page(fields::invalid_front_matter),
    ),
    (
        include_str!("../../rules/missing-field.yaml"),
        Check::Page(fields::missing_field),
    ),
    (
        include_str!("../../rules/missing-authorship.yaml"),
        Check::Page(fields::missing_authorship),
    ),
    (
        include_str!("../../rules/duplicate-uri.yaml"),
        Check::Site(fields::duplicate_uri),
    ),
    (
        include_str!("../../rules/duplicate-id.yaml"),
        Check::Site(fields::duplicate_id),
    ),
    (
        include_str!("../../rules/invalid-date.yaml"),
        Check::Page(dates::invalid_date),
    ),
    (
        include_str!("../../rules/updated-before-created.yaml"),
        Check::Page(dates::updated_before_created),
    ),
    (
        include_str!("../../rules/future-date.yaml"),
        Check::Page(dates::future_date),
    ),
    (
        include_str!("../../rules/stale-updated-at.yaml"),
        Check::Page(dates::stale_updated_at),
    ),
    (
        include_str!("../../rules/unreadable-page.yaml"),
        Check::Page(fields::unreadable_page),
    ),
    (
        include_str!("../../rules/unused-suppression.yaml"),
        Check::Run,
    ),
    (
        include_str!("../../rules/invalid-suppression.yaml"),
        Check::Page(suppress::invalid_suppression),
    ),
    (
        include_str!("../../rules/updated-at-not-bumped.yaml"),
        Check::Page(history::updated_at_not_bumped),
    ),
    (
        include_str!("../../rules/limit-exceeded.yaml"),
        Check::Both(limits::on_page, limits::on_site),
    ),
];

/// A rule's identity and documentation, as written in its YAML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub severity: Severity,
    /// False for rules that are off unless the configuration turns them on.
    #[serde(default = "yes")]
    pub enabled: bool,
    pub summary: String,
    pub why: String,
    pub example: String,
    pub fix: String,
    #[serde(default)]
    pub params: BTreeMap<String, ParamMeta>,
}

fn yes() -> bool {
    true
}

/// A declared parameter of a rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamMeta {
    #[serde(rename = "type")]
    pub kind: ParamKind,
    pub default: serde_yaml::Value,
    pub doc: String,
    /// The least value an integer parameter may take.
    #[serde(default)]
    pub min: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    Integer,
    String,
    Boolean,
}

impl ParamKind {
    pub fn accepts(self, value: &serde_yaml::Value) -> bool {
        match self {
            ParamKind::Integer => value.as_i64().is_some(),
            ParamKind::String => value.is_string(),
            ParamKind::Boolean => value.is_bool(),
        }
    }
}

/// A rule: metadata plus check. `index` is its position in `rules()`.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

impl Rule {
    /// The rule's default parameters.
    pub fn default_params(&self) -> Params {
        self.meta
            .params
            .iter()
            .map(|(k, p)| (k.clone(), p.default.clone()))
            .collect()
    }

    /// The text `pagelint explain` prints and the docs show.
    pub fn explain(&self) -> String {
        let m = &self.meta;
        let mut out = format!(
            "{} ({}{})\n\n{}\n\nWhy is this bad?\n{}\nExample:\n{}\nHow to fix:\n{}",
            m.id,
            m.severity,
            if m.enabled { "" } else { ", off by default" },
            m.summary,
            indent(&m.why),
            indent(&m.example),
            indent(&m.fix)
        );
        if !m.params.is_empty() {
            out.push_str("\nParameters:\n");
            for (name, p) in &m.params {
                let default = serde_yaml::to_string(&p.default).unwrap_or_default();
                let min = p.min.map_or(String::new(), |m| format!(", at least {m}"));
                out.push_str(&format!(
                    "  {name} ({:?}, default {}{min}): {}\n",
                    p.kind,
                    default.trim(),
                    p.doc
                ));
            }
        }
        out
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("  {l}\n")
            }
        })
        .collect()
}

/// All built-in rules, in registry order.
pub fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        REGISTRY
            .iter()
            .map(|(yaml, check)| Rule {
                // The rule pack is compiled in and checked by the test suite.
                meta: serde_yaml::from_str(yaml)
                    .unwrap_or_else(|e| panic!("built-in rule file is invalid: {e}\n{yaml}")),
                check: *check,
            })
            .collect()
    })
}

/// The rule with this id.
pub fn find(id: &str) -> Option<(usize, &'static Rule)> {
    rules().iter().enumerate().find(|(_, r)| r.meta.id == id)
}

/// The id of the rule a mistyped `id` most likely means, if one is clearly closest.
pub fn did_you_mean(id: &str) -> Option<&'static str> {
    crate::site::suggest::closest(id, rules().iter().map(|r| r.meta.id.as_str()), 3)
}

/// "did you mean `x`? " for a mistyped rule id, then where every rule is listed.
pub fn unknown_rule_help(id: &str) -> String {
    match did_you_mean(id) {
        Some(n) => format!("did you mean `{n}`? `pagelint rules` lists every rule"),
        None => "`pagelint rules` lists every rule".to_owned(),
    }
}

/// The index of a rule that the engine itself reports (not a user-supplied id).
pub fn index_of(id: &str) -> usize {
    find(id)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("no built-in rule {id}"))
}

/// A page's file as its diagnostics name it: path, and what it was when read (`Diagnostic`).
type FileOf<'a> = (
    &'a str,
    Option<&'a std::sync::Arc<crate::diagnostic::FileRead>>,
);

/// Run the checks `table` turns on, and make their findings diagnostics of the file at `path`,
/// their texts the one copy `strings` keeps of each.
fn run_checks(
    table: &RuleTable,
    (path, read): FileOf<'_>,
    strings: &Interner,
    mut run: impl FnMut(&Check, &Params, &mut Vec<Finding>),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut findings = Vec::new();
    // Every finding names the same file: it is looked up once (the first time one is found).
    let mut shared_path: Option<std::sync::Arc<str>> = None;
    for (rule, setting) in rules().iter().zip(&table.0) {
        let Some((severity, params)) = setting else {
            continue;
        };
        run(&rule.check, params, &mut findings);
        out.extend(findings.drain(..).map(|f| {
            Diagnostic {
                rule: rule.meta.id.as_str(),
                severity: *severity,
                path: shared_path
                    .get_or_insert_with(|| strings.share_str(path))
                    .clone(),
                span: f.span,
                position: f.position,
                message: strings.share_str(&f.message),
                help: strings.share_str(&f.help),
                target: f.target.map(|t| match t {
                    FindingTarget::Made(t) => strings.share_str(&t),
                    FindingTarget::Shared(t) => t,
                }),
                repair: f.repair,
                read: read.cloned(),
            }
        }));
    }
    out.shrink_to_fit();
    out
}

/// The page rules on in `table`, on a page just read.
pub fn lint_page(
    page: &Page,
    table: &RuleTable,
    settings: &SiteSettings,
    now: Timestamp,
) -> Vec<Diagnostic> {
    lint_page_since(page, table, settings, now, None)
}

/// The page rules on in `table`, on a page just read whose version at the `--changed-since`
/// base was `previous`.
pub fn lint_page_since(
    page: &Page,
    table: &RuleTable,
    settings: &SiteSettings,
    now: Timestamp,
    previous: Option<&PreviousVersion>,
) -> Vec<Diagnostic> {
    // A page's own findings are few: their texts are shared within the page only.
    run_checks(
        table,
        page.file(),
        &Interner::default(),
        |check, params, out| {
            if let Check::Page(f) | Check::Both(f, _) = check {
                f(
                    &PageCtx {
                        page,
                        params,
                        now,
                        settings,
                        previous,
                    },
                    out,
                );
            }
        },
    )
}

/// The site rules on in `table`, on a page of the index.
pub fn lint_site_page(
    page: &SitePage,
    site: &SiteIndex,
    table: &RuleTable,
    settings: &SiteSettings,
) -> Vec<Diagnostic> {
    run_checks(table, page.file(), &site.strings, |check, params, out| {
        if let Check::Site(f) | Check::Both(_, f) = check {
            f(
                &SiteCtx {
                    page,
                    site,
                    params,
                    settings,
                },
                out,
            );
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_parses_and_ids_are_unique_and_match_file_names() {
        let mut ids: Vec<&str> = rules().iter().map(|r| r.meta.id.as_str()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("rules/ is readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let expected: Vec<String> = ids.iter().map(|id| format!("{id}.yaml")).collect();
        assert_eq!(
            files, expected,
            "every rules/*.yaml is registered, and only those"
        );
    }

    #[test]
    fn summaries_are_whole_sentences() {
        for rule in rules() {
            let s = rule.meta.summary.trim();
            assert!(
                s.ends_with('.') && !s.contains('\n'),
                "{}: {s:?}",
                rule.meta.id
            );
        }
    }

    #[test]
    fn defaults_have_their_declared_types() {
        for rule in rules() {
            for (name, p) in &rule.meta.params {
                assert!(p.kind.accepts(&p.default), "{}.{name}", rule.meta.id);
                if let (Some(min), Some(n)) = (p.min, p.default.as_i64()) {
                    assert!(
                        n >= min,
                        "{}.{name}: default below its minimum",
                        rule.meta.id
                    );
                }
            }
        }
    }
}
