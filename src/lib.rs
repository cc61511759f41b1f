//! pagelint: a link-integrity and content linter for sites kept as files (YAML front matter
//! over an HTML body).
//!
//! The pipeline runs one way: walk → parse (parallel) → index → rules (parallel) → report.
//! `check` is the library's entry point; the binary is a thin shell over it.

pub mod config;
pub mod diagnostic;
pub mod frontmatter;
pub mod html;
pub mod link;
pub mod page;
pub mod report;
pub mod rules;
pub mod site;
pub mod span;
pub mod suggest;
pub mod uri;
pub mod walk;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::link::Resolver;
use crate::page::{FieldNames, Page, ReadProblem};
use crate::site::SiteIndex;
use crate::span::{Position, Span};
use crate::walk::{Entry, Walked};
use jiff::Timestamp;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What to check.
pub struct Request<'a> {
    pub config: &'a Config,
    /// The content root: every page under it is indexed.
    pub root: PathBuf,
    /// Report only on pages whose root-relative path equals or lies under one of these
    /// (empty: every page).
    pub selected: Vec<String>,
    /// "Now", for date rules.
    pub now: Timestamp,
}

/// The outcome of a run: how many pages were checked, and what was found, sorted.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Errors that stop a run before it starts.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the content root {path}: {source}")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Walk, parse, index and lint the site.
pub fn check(req: &Request<'_>) -> Result<Report, Error> {
    let config = req.config;
    let walked = walk::walk(&req.root, config).map_err(|source| Error::Root {
        path: req.root.clone(),
        source,
    })?;
    let shown_root = walk::display_root(&req.root);
    let resolver = Resolver::new(&config.hosts, config.ignore_links.clone());
    let names = FieldNames {
        uri: &config.uri_field,
    };
    let pages: Vec<Page> = walked
        .into_par_iter()
        .map(|w| load(w, &shown_root, config, &names, &resolver))
        .collect();
    let site = SiteIndex::new(pages, &config.id_field, &config.page_suffixes);
    let is_selected = |p: &Page| {
        req.selected.is_empty()
            || req
                .selected
                .iter()
                .any(|s| s.is_empty() || p.rel == *s || p.rel.starts_with(&format!("{s}/")))
    };
    let checked: Vec<&Page> = site.pages.iter().filter(|p| is_selected(p)).collect();
    let mut diagnostics: Vec<Diagnostic> = checked
        .par_iter()
        .flat_map_iter(|page| lint_page(page, &site, config, req.now))
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Report {
        pages: checked.len(),
        diagnostics,
    })
}

/// Read one walked file into a page; a file that cannot be read becomes a page with a
/// `ReadProblem`.
fn load(
    walked: Walked,
    shown_root: &Path,
    config: &Config,
    names: &FieldNames<'_>,
    resolver: &Resolver,
) -> Page {
    let shown = |e: &Entry| shown_root.join(&e.rel).to_string_lossy().into_owned();
    let problem = |message: String, help: &str| ReadProblem {
        message,
        help: help.to_owned(),
        span: Span::default(),
        position: Position::START,
    };
    match walked {
        Walked::Problem { entry, message } => Page::unreadable(
            shown(&entry),
            entry.rel,
            problem(
                message,
                "remove or fix the symlink or folder, or exclude it in pagelint.yaml",
            ),
            None,
            names,
        ),
        Walked::Page(entry) => {
            let path = shown(&entry);
            let size = std::fs::metadata(&entry.path).map(|m| m.len());
            if let Ok(size) = size
                && size > config.max_file_bytes
            {
                let head = read_head(&entry.path, HEAD_BYTES.min(config.max_file_bytes));
                return Page::unreadable(
                    path,
                    entry.rel,
                    problem(
                        format!(
                            "the file is {size} bytes, more than max_file_bytes ({}); not checked",
                            config.max_file_bytes
                        ),
                        "split the page, exclude the file, or raise `max_file_bytes` in pagelint.yaml",
                    ),
                    head.as_deref(),
                    names,
                );
            }
            match std::fs::read(&entry.path) {
                Ok(bytes) => Page::from_bytes(path, entry.rel, bytes, names, resolver),
                Err(e) => Page::unreadable(
                    path,
                    entry.rel,
                    problem(
                        format!("cannot read the file: {e}"),
                        "check the file's permissions, or exclude it in pagelint.yaml",
                    ),
                    None,
                    names,
                ),
            }
        }
    }
}

/// How much of a file too large to check is read for its front matter.
const HEAD_BYTES: u64 = 64 * 1024;

/// The first `limit` bytes of a file, as text.
fn read_head(path: &Path, limit: u64) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(limit)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Run every rule that is on for this page.
fn lint_page(page: &Page, site: &SiteIndex, config: &Config, now: Timestamp) -> Vec<Diagnostic> {
    let table = if config.has_overrides() {
        let page_type = page.text("type");
        std::borrow::Cow::Owned(config.rules_for(page_type.as_deref(), &page.rel))
    } else {
        std::borrow::Cow::Borrowed(&config.rules)
    };
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for (rule, setting) in rules::rules().iter().zip(&table.0) {
        let Some((severity, params)) = setting else {
            continue;
        };
        let ctx = rules::Ctx {
            page,
            site,
            params,
            now,
            config,
        };
        (rule.check)(&ctx, &mut findings);
        out.extend(findings.drain(..).map(|f| Diagnostic {
            rule: rule.meta.id.as_str(),
            severity: *severity,
            path: page.path.clone(),
            span: f.span,
            position: f.position,
            message: f.message,
            help: f.help,
            target: f.target,
        }));
    }
    out
}
