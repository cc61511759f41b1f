//! pagelint: a link-integrity and content linter for sites kept as files (YAML front matter
//! over an HTML body).
//!
//! The pipeline runs one way: walk → parse (parallel) → index → rules (parallel) → report.
//! `check` is the library's entry point; the binary is a thin shell over it.

pub mod baseline;
pub mod cache;
pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod frontmatter;
pub mod html;
pub mod link;
pub mod page;
pub mod read;
pub mod redirect;
pub mod report;
pub mod rules;
pub mod site;
pub mod span;
pub mod suggest;
pub mod uri;
pub mod walk;

use crate::cache::{Cache, CachedPage};
use crate::config::{Config, RuleTable};
use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::link::{Resolver, Target};
use crate::page::{FieldNames, Page, SitePage};
use crate::read::Reader;
use crate::rules::{Check, Params};
use crate::site::SiteIndex;
use crate::walk::Walked;
use jiff::Timestamp;
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::PathBuf;

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
    /// Told how the run goes (a progress bar, in the binary).
    pub progress: &'a dyn Progress,
    /// Whether a partial run may use and update the on-disk cache in the root.
    pub cache: bool,
}

/// Receives the progress of a run: the library knows nothing of terminals.
pub trait Progress: Sync {
    /// The walk found `pages` pages to read.
    fn start(&self, _pages: usize) {}
    /// One more page was read and linted.
    fn page_done(&self) {}
    /// Reading is over.
    fn finish(&self) {}
}

/// No progress reporting.
pub struct NoProgress;

impl Progress for NoProgress {}

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
    index(req).map(|(report, _)| report)
}

/// Walk, parse, index and lint the site, and keep the index (for `links-to`).
pub fn index(req: &Request<'_>) -> Result<(Report, SiteIndex), Error> {
    let config = req.config;
    let timer = Timer::new();
    // A run that reports on a few files reuses what earlier ones learned of the others.
    let whole = req.selected.is_empty() || req.selected.iter().any(String::is_empty);
    let cache = (req.cache && !whole).then(|| Cache::load(&req.root, cache_key(req)));
    // The folders with their times, if the walk was plain, and whether they come from a walk.
    let (walked, dirs, listed) = match cache.as_ref().and_then(Cache::walked) {
        Some((files, dirs)) => (files, Some(dirs), false),
        None => {
            let walk = walk::walk(&req.root, config).map_err(|source| Error::Root {
                path: req.root.clone(),
                source,
            })?;
            let dirs = walk.dirs.zip(cache.as_ref()).map(|(d, c)| c.stamp_dirs(d));
            (walk.files, dirs, true)
        }
    };
    let reader = Reader {
        shown_root: walk::display_root(&req.root),
        config,
        names: FieldNames {
            uri: &config.uri_field,
            id: &config.id_field,
            links: &config.link_fields,
            toc: config.toc_field.as_deref(),
            redirect: config.redirect_field.as_deref(),
            base_path: &config.base_path,
        },
        resolver: Resolver::new(
            &config.hosts,
            config.ignore_links.clone(),
            &config.base_path,
        ),
    };
    let is_selected = |rel: &str| {
        whole
            || req.selected.iter().any(|s| {
                rel == s
                    || (rel.starts_with(s.as_str()) && rel.as_bytes().get(s.len()) == Some(&b'/'))
            })
    };
    // Read each page once, run its own rules, and keep only what the site rules need. Pages
    // not reported on are needed only for their URIs and ids: their front matter is enough.
    req.progress.start(walked.len());
    // Pages, and beside them what else reading found: the page's own diagnostics (`None` when
    // it is not reported on) and whether the cache knew the file as it is.
    timer.lap("walk");
    let (pages, found): (Vec<SitePage>, Vec<ReadOutcome>) = walked
        .par_iter()
        .map(|w| {
            let rel = &w.entry().rel;
            let selected = is_selected(rel);
            let cached = match (&cache, w) {
                (Some(cache), Walked::Page(e)) => cache.page(rel, &e.path),
                _ => None,
            };
            let known = cached.is_some();
            let done = match cached {
                Some(cached) if !selected => (
                    cached.into_site_page(reader.shown(rel), rel.clone()),
                    (None, known),
                ),
                _ if !selected => (
                    SitePage::new(reader.front_matter(w), &reader.names),
                    (None, known),
                ),
                _ => {
                    let page = reader.page(w);
                    let local = lint_page(&page, config, req.now);
                    (SitePage::new(page, &reader.names), (Some(local), known))
                }
            };
            req.progress.page_done();
            done
        })
        .unzip();
    req.progress.finish();
    let mut diagnostics = Vec::new();
    let mut selected = Vec::new();
    let mut all_known = true;
    for (i, (local, known)) in found.into_iter().enumerate() {
        all_known &= known;
        if let Some(local) = local {
            diagnostics.extend(local);
            selected.push(i);
        }
    }
    // A whole run needs the walk no more: every body was read.
    let walked = if whole { Vec::new() } else { walked };
    // The redirects file, read as text; it is reported on with the pages of a whole run.
    let redirects_file = config.redirects_file.as_ref().map(|rel| {
        let text = std::fs::read(req.root.join(rel))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| e.to_string());
        (rel.clone(), text)
    });
    let entries = match &redirects_file {
        Some((_, Ok(text))) => redirect::parse_file(text, &reader.resolver),
        _ => Vec::new(),
    };
    let options = site::SiteOptions {
        page_suffixes: &config.page_suffixes,
        case_insensitive: config.case_insensitive,
        base_path: &config.base_path,
    };
    timer.lap("read and page rules");
    let mut site = SiteIndex::new(pages, &options, entries);
    timer.lap("index");
    // The bodies of pages that a reported link points into with a fragment: their anchors.
    // (A whole run read every body: nothing is wanted.)
    let mut wanted: Vec<usize> = selected
        .iter()
        .filter(|_| !whole)
        .flat_map(|&i| site.pages[i].links.iter())
        .filter_map(|link| match &link.target {
            Target::Internal {
                uri,
                fragment: Some(_),
            } => site.lookup_index(uri),
            _ => None,
        })
        .filter(|&i| !site.pages[i].anchors_known && !site.pages[i].unread)
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let anchors: Vec<(usize, page::Anchors)> = wanted
        .into_par_iter()
        .map(|i| {
            (
                i,
                SitePage::new(reader.page(&walked[i]), &reader.names).anchors,
            )
        })
        .collect();
    for (i, found) in anchors {
        site.pages[i].anchors = found;
        site.pages[i].anchors_known = true;
    }
    if let Some(cache) = &cache
        && (listed || !all_known)
    {
        update_cache(cache, &walked, dirs, &site);
    }
    // Only a whole run has read every page's links (orphan-page needs them all).
    site.links_complete = whole;
    site.assets = check_assets(&site, &selected, config, &req.root);
    timer.lap("fragment targets, cache, assets");
    diagnostics.par_extend(
        selected
            .par_iter()
            .flat_map_iter(|&i| lint_site_page(&site.pages[i], &site, config)),
    );
    if let Some((rel, text)) = &redirects_file
        && (whole || is_selected(rel))
    {
        let path = reader.shown(rel);
        diagnostics.extend(rules::redirects::lint_file(
            &site,
            config,
            &path,
            text.as_ref(),
        ));
    }
    timer.lap("site rules");
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    timer.lap("sort");
    let report = Report {
        pages: selected.len(),
        diagnostics,
    };
    Ok((report, site))
}

/// Phase times on stderr when PAGELINT_TIMINGS is set: where a run's time goes, for
/// profiling on real sites without a profiler.
struct Timer(Option<std::cell::Cell<std::time::Instant>>);

impl Timer {
    fn new() -> Timer {
        Timer(
            std::env::var_os("PAGELINT_TIMINGS")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        )
    }

    fn lap(&self, phase: &str) {
        if let Some(start) = &self.0 {
            let now = std::time::Instant::now();
            eprintln!(
                "pagelint timing: {phase:<32} {:>8.1} ms",
                (now - start.get()).as_secs_f64() * 1000.0
            );
            start.set(now);
        }
    }
}

/// What reading a page found besides it: its own diagnostics (`None` when it is not reported
/// on), and whether the cache knew the file as it is.
type ReadOutcome = (Option<Vec<Diagnostic>>, bool);

/// Look for the file behind every asset the reported pages load (rules do no I/O).
fn check_assets(
    site: &SiteIndex,
    selected: &[usize],
    config: &Config,
    root: &std::path::Path,
) -> rustc_hash::FxHashMap<uri::Uri, site::AssetCheck> {
    let mut wanted: Vec<&uri::Uri> = selected
        .par_iter()
        .flat_map_iter(|&i| site.pages[i].links.iter())
        .filter_map(|link| match &link.target {
            // The cheap test on the name first: most links are to pages.
            Target::Internal { uri, .. }
                if rules::links::is_asset(link.source, uri)
                    && !site.answers(uri)
                    && site.redirect(uri).is_none() =>
            {
                Some(uri)
            }
            _ => None,
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
        .into_par_iter()
        .filter_map(|uri| {
            let path = uri.as_str();
            let (prefix, folder) = config.static_dirs.iter().find(|(prefix, _)| {
                prefix == "/"
                    || path == prefix
                    || path
                        .strip_prefix(prefix.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })?;
            let rest = path[if prefix == "/" { 0 } else { prefix.len() }..].trim_start_matches('/');
            // No check leaves the root.
            if rest.split('/').any(|s| s == "..") {
                return None;
            }
            let shown = if folder == "." {
                rest.to_owned()
            } else {
                format!("{folder}/{rest}")
            };
            let check = if root.join(&shown).is_file() {
                site::AssetCheck::Found
            } else {
                site::AssetCheck::Missing(shown)
            };
            Some((uri.clone(), check))
        })
        .collect()
}

/// What a cache must match: this pagelint, this configuration, this root.
fn cache_key(req: &Request<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    req.config.fingerprint.hash(&mut h);
    std::path::absolute(&req.root).ok().hash(&mut h);
    h.finish()
}

/// Store what this run knows of every page (the site changed since the cache was made).
fn update_cache(
    cache: &Cache,
    walked: &[Walked],
    dirs: Option<cache::DirStamps>,
    site: &SiteIndex,
) {
    let files = walked
        .par_iter()
        .zip(&site.pages)
        .filter_map(|(w, page)| match w {
            Walked::Page(e) => Some((e.rel.clone(), cache::stamp(&e.path)?, CachedPage::of(page)?)),
            Walked::Problem { .. } => None,
        })
        .collect();
    cache.store(dirs, files);
}

/// The rule settings for a page of this type at this path.
fn table<'c>(config: &'c Config, page_type: Option<&str>, rel: &str) -> Cow<'c, RuleTable> {
    if config.has_overrides() {
        Cow::Owned(config.rules_for(page_type, rel))
    } else {
        Cow::Borrowed(&config.rules)
    }
}

/// Run the checks of every rule that is on for a page, turning findings into diagnostics.
fn run_checks(
    table: &RuleTable,
    path: &str,
    stamp: Option<(u64, i128)>,
    mut run: impl FnMut(&Check, &Params, &mut Vec<Finding>),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for (rule, setting) in rules::rules().iter().zip(&table.0) {
        let Some((severity, params)) = setting else {
            continue;
        };
        run(&rule.check, params, &mut findings);
        out.extend(findings.drain(..).map(|f| Diagnostic {
            rule: rule.meta.id.as_str(),
            severity: *severity,
            path: path.to_owned(),
            span: f.span,
            position: f.position,
            message: f.message,
            help: f.help,
            target: f.target,
            repair: f.repair,
            stamp,
        }));
    }
    out
}

/// The page rules, on a page just read.
fn lint_page(page: &Page, config: &Config, now: Timestamp) -> Vec<Diagnostic> {
    let page_type = page.text("type");
    let table = table(config, page_type.as_deref(), &page.rel);
    run_checks(&table, &page.path, page.stamp, |check, params, out| {
        if let Check::Page(f) = check {
            f(
                &rules::PageCtx {
                    page,
                    params,
                    now,
                    config,
                },
                out,
            );
        }
    })
}

/// The site rules, on a page of the index.
fn lint_site_page(page: &SitePage, site: &SiteIndex, config: &Config) -> Vec<Diagnostic> {
    let table = table(config, page.page_type.as_deref(), page.rel());
    run_checks(&table, &page.path, page.stamp, |check, params, out| {
        if let Check::Site(f) = check {
            f(
                &rules::SiteCtx {
                    page,
                    site,
                    params,
                    config,
                },
                out,
            );
        }
    })
}
