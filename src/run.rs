//! A run, stage by stage: list the site (from the cache or a walk), read every page once and
//! run its page rules, build the index, read the anchors that reported fragments need, look
//! for assets, keep the cache, run the site rules, sort. `index` reads as that list; each
//! stage is its own function below it. A run with `--changed-since` (`check_changed`) adds
//! one stage after the index, in `run/changed.rs`: the pages linking to what the change removed.

mod changed;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::link::{Resolver, Target};
use crate::parse::page::{Anchors, SitePage};
use crate::parse::uri::Uri;
use crate::rules::suppress::{self, PageSuppressions};
use crate::rules::{self, table::RuleTable};
use crate::site::redirects_file;
use crate::site::{SiteIndex, SiteOptions};
use crate::source::assets;
use crate::source::cache::{self, Cache, CachedPage};
use crate::source::changes::Changes;
use crate::source::open::{self, Digest};
use crate::source::read::Reader;
use crate::source::walk::{self, Walked};
use jiff::Timestamp;
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::PathBuf;

pub use changed::Selection;

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
    /// What the run would tell a user who asks (`--verbose`): not findings, and no reason to
    /// fail (the cache was not used, and why).
    pub notes: Vec<String>,
    /// The digest of what was checked of each file diagnostics name that was read whole, by
    /// path as shown, sorted: the human report shows a file's lines only while the file is
    /// still those bytes, and no text is kept meanwhile.
    pub checked: Vec<(String, Digest)>,
}

impl Report {
    /// The digest of the checked bytes of the file diagnostics show as `path`.
    pub fn checked(&self, path: &str) -> Option<Digest> {
        let i = self
            .checked
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()?;
        Some(self.checked[i].1)
    }

    /// The findings grouped by rule and severity (overrides can give a rule two), errors
    /// first, then the largest groups, then by rule id: the order every per-rule table uses.
    pub fn by_rule(&self) -> Vec<((&'static str, Severity), Vec<&Diagnostic>)> {
        let mut groups: std::collections::BTreeMap<_, Vec<&Diagnostic>> = Default::default();
        for d in &self.diagnostics {
            groups.entry((d.rule, d.severity)).or_default().push(d);
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by(|((a_rule, a_sev), a), ((b_rule, b_sev), b)| {
            b_sev
                .cmp(a_sev)
                .then(b.len().cmp(&a.len()))
                .then(a_rule.cmp(b_rule))
        });
        groups
    }

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
    /// The walk found no page: a misconfigured run must not pass.
    #[error(
        "no pages found under the content root {} (include: {include}{exclude}): check `root` and `include` in pagelint.yaml, or give --root",
        root.display()
    )]
    NoPages {
        root: PathBuf,
        include: String,
        exclude: String,
    },
    /// git could not tell which listed pages are untracked (`--changed-since`).
    #[error(transparent)]
    Git(#[from] crate::source::git::GitError),
}

/// Walk, parse, index and lint the site.
pub fn check(req: &Request<'_>) -> Result<Report, Error> {
    index(req).map(|(report, site)| {
        // Freeing every page's links takes a tenth of a second on a large site (MDN's archived
        // content): the caller need not wait for it.
        rayon::spawn(move || drop(site));
        report
    })
}

/// Walk, parse, index and lint the site, and keep the index (for `links-to`).
pub fn index(req: &Request<'_>) -> Result<(Report, SiteIndex), Error> {
    run(Run::new(req, None)).map(|(report, site, _)| (report, site))
}

/// Lint the pages `changes` names (changed since a reference, `--changed-since`), the pages
/// in `req.selected`, and every other page that links to a URI or fragment the change
/// removed; say which pages were chosen and why.
pub fn check_changed(req: &Request<'_>, changes: &Changes) -> Result<(Report, Selection), Error> {
    let (report, _, selection) = run(Run::new(req, Some(changes)))?;
    Ok((report, selection.unwrap_or_default()))
}

fn run(mut run: Run<'_>) -> Result<(Report, SiteIndex, Option<Selection>), Error> {
    let req = run.req;
    let timer = Timer::new();
    let listing = run.list()?;
    if let Some(since) = &mut run.since {
        since.add_untracked(&listing.walked)?;
    }
    timer.lap("walk");
    let mut read = run.read(&listing.walked);
    timer.lap("read and page rules");
    let redirects_file = run.redirects_file();
    let mut site = run.build_index(std::mem::take(&mut read.pages), redirects_file.as_ref());
    timer.lap("index");
    let selection = run.since.as_ref().map(|since| {
        let selection = run.select_linkers(since, &mut site, &mut read, &listing.walked);
        timer.lap("pages linking to what was removed");
        selection
    });
    // A whole run read every body; a partial one reads those its fragments point into.
    if !run.whole {
        run.read_fragment_targets(&mut site, &read.selected, &listing.walked);
        if let Some(cache) = &run.cache
            && (listing.from_walk || !read.all_cached)
        {
            update_cache(cache, &listing.walked, listing.dirs, &site);
        }
    }
    // Only a whole run has read every page's links (orphan-page needs them all).
    site.links_complete = run.whole;
    site.resolve_links();
    site.assets = assets::check(
        asset_uris(&site, &read.selected),
        &req.config.site.static_dirs,
        &req.root,
    );
    // Links no page answers may name a file a static host serves as it is; only those found
    // are kept (a missing one is broken-link's to report).
    let files = assets::check(
        unanswered_uris(&site, &read.selected),
        &req.config.site.static_dirs,
        &req.root,
    );
    site.assets.extend(
        files
            .into_iter()
            .filter(|(_, check)| *check == crate::site::AssetCheck::Found),
    );
    // The redirects file's destinations may be files too (`/static/favicon.png`).
    let destinations = assets::check(
        redirect_destinations(&site),
        &req.config.site.static_dirs,
        &req.root,
    );
    site.assets.extend(
        destinations
            .into_iter()
            .filter(|(_, check)| *check == crate::site::AssetCheck::Found),
    );
    timer.lap("fragment targets, cache, assets");
    let mut diagnostics = read.diagnostics;
    run.site_rules(&site, &read.selected, &mut diagnostics);
    diagnostics.extend(run.redirects_file_rules(&site, redirects_file.as_ref()));
    suppress::apply(&mut diagnostics, read.suppressions, &site);
    timer.lap("site rules and suppressions");
    crate::diagnostic::sort(&mut diagnostics);
    timer.lap("sort");
    let notes = run
        .cache
        .as_ref()
        .and_then(|c| c.unusable.as_ref())
        .map(|why| format!("not using the cache: {why}; running without it (remove it, and pagelint makes its own)"))
        .into_iter()
        .collect();
    let checked = checked_files(&site, redirects_file.as_ref(), &run.reader, &diagnostics);
    let report = Report {
        pages: read.selected.len(),
        diagnostics,
        notes,
        checked,
    };
    Ok((report, site, selection))
}

/// What one run knows before it reads anything.
struct Run<'a> {
    req: &'a Request<'a>,
    config: &'a Config,
    /// Whether every page is reported on.
    whole: bool,
    /// The cache, for a partial run that may use it.
    cache: Option<Cache>,
    reader: Reader<'a>,
    /// With `--changed-since`: the change and the pages' previous versions.
    since: Option<changed::Since<'a>>,
}

/// The site's files, and where the list came from.
struct Listing {
    walked: Vec<Walked>,
    /// The folders with their times, when the walk was plain (for the cache).
    dirs: Option<cache::DirStamps>,
    /// Whether the list comes from a walk (else from the cache).
    from_walk: bool,
}

/// What reading every page found.
struct Read {
    /// What the index keeps of each page, in walk order.
    pages: Vec<SitePage>,
    /// The page rules' diagnostics of the pages reported on.
    diagnostics: Vec<Diagnostic>,
    /// The indexes of the pages reported on.
    selected: Vec<usize>,
    /// The suppressions of the pages reported on that write some.
    suppressions: Vec<PageSuppressions>,
    /// Whether the cache knew every file as it is.
    all_cached: bool,
}

/// What reading a page found besides it: its own diagnostics and suppressions (`None` when it
/// is not reported on), and whether the cache knew the file as it is.
type ReadOutcome = (
    Option<(Vec<Diagnostic>, Option<Box<PageSuppressions>>)>,
    bool,
);

/// The redirects file's path and text (with the digest of its bytes), or why it could not be
/// read.
type RedirectsFile = (String, Result<(String, Digest), String>);

impl<'a> Run<'a> {
    fn new(req: &'a Request<'a>, changes: Option<&'a Changes>) -> Run<'a> {
        let config = req.config;
        let site = &config.site;
        // A run that reports on a few files reuses what earlier ones learned of the others.
        let whole = changes.is_none()
            && (req.selected.is_empty() || req.selected.iter().any(String::is_empty));
        let cache = (req.cache && !whole).then(|| Cache::load(&req.root, cache_key(req)));
        let reader = Reader {
            // A root that cannot be made canonical fails the walk before anything is read.
            root: req.root.canonicalize().unwrap_or_else(|_| req.root.clone()),
            shown_root: walk::display_root(&req.root),
            config,
            names: site.field_names(&config.limits),
            resolver: Resolver::new(&site.hosts, site.ignore_links.clone(), &site.base_path),
        };
        let caches = req.cache.then(|| (req.root.as_path(), cache_key(req)));
        let since = changes.map(|c| changed::Since::new(c, &reader, caches));
        Run {
            req,
            config,
            whole,
            cache,
            reader,
            since,
        }
    }

    /// Whether the page at `rel` is reported on (before the pages linking to what a change
    /// removed are added).
    fn is_selected(&self, rel: &str) -> bool {
        self.whole
            || self.since.as_ref().is_some_and(|s| s.is_changed(rel))
            || self.req.selected.iter().any(|s| {
                rel == s
                    || (rel.starts_with(s.as_str()) && rel.as_bytes().get(s.len()) == Some(&b'/'))
            })
    }

    /// The site's files: from the cache when it knows the folders as they are, else a walk.
    fn list(&self) -> Result<Listing, Error> {
        if let Some((walked, dirs)) = self.cache.as_ref().and_then(Cache::walked) {
            return Ok(Listing {
                walked,
                dirs: Some(dirs),
                from_walk: false,
            });
        }
        let walk = walk::walk(&self.req.root, self.config).map_err(|source| Error::Root {
            path: self.req.root.clone(),
            source,
        })?;
        if walk.files.is_empty() {
            let exclude = &self.config.exclude_patterns;
            return Err(Error::NoPages {
                root: self.req.root.clone(),
                include: self.config.include_patterns.join(", "),
                exclude: if exclude.is_empty() {
                    String::new()
                } else {
                    format!("; exclude: {}", exclude.join(", "))
                },
            });
        }
        let dirs = walk
            .dirs
            .zip(self.cache.as_ref())
            .map(|(d, c)| c.stamp_dirs(d));
        Ok(Listing {
            walked: walk.files,
            dirs,
            from_walk: true,
        })
    }

    /// Read each page once, run its own rules, and keep only what the site rules need. Pages
    /// not reported on are needed only for their URIs and ids: their front matter (or the
    /// cache's record of it) is enough.
    fn read(&self, walked: &[Walked]) -> Read {
        let progress = self.req.progress;
        progress.start(walked.len());
        // A change that may have removed a URI or id needs every page's links.
        let read_links = self.since.as_ref().is_some_and(|s| s.read_bodies());
        let (pages, found): (Vec<SitePage>, Vec<ReadOutcome>) = walked
            .par_iter()
            .map(|w| {
                let rel = &w.entry().rel;
                let selected = self.is_selected(rel);
                let cached = match (&self.cache, w) {
                    (Some(cache), Walked::Page(e)) if !read_links => cache.page(rel, &e.path),
                    _ => None,
                };
                let known = cached.is_some();
                let done = match cached {
                    Some(cached) if !selected => (
                        cached.into_site_page(self.reader.shown(rel), rel.clone()),
                        (None, known),
                    ),
                    _ if !selected && read_links => (
                        SitePage::new(self.reader.page(w), &self.reader.names),
                        (None, known),
                    ),
                    _ if !selected => (
                        SitePage::new(self.reader.front_matter(w), &self.reader.names),
                        (None, known),
                    ),
                    _ => {
                        let page = self.reader.page(w);
                        let table = self.table(page.text("type").as_deref(), &page.rel);
                        let previous = self.since.as_ref().and_then(|s| s.previous(rel));
                        let local = rules::lint_page_since(
                            &page,
                            &table,
                            &self.config.site,
                            self.req.now,
                            previous,
                        );
                        let suppressions = suppress::resolve(&page, &table).map(Box::new);
                        let local = (local, suppressions);
                        (
                            SitePage::new(page, &self.reader.names),
                            (Some(local), known),
                        )
                    }
                };
                progress.page_done();
                done
            })
            .unzip();
        progress.finish();
        let mut read = Read {
            pages,
            diagnostics: Vec::new(),
            selected: Vec::new(),
            suppressions: Vec::new(),
            all_cached: true,
        };
        for (i, (local, known)) in found.into_iter().enumerate() {
            read.all_cached &= known;
            if let Some((local, suppressions)) = local {
                read.diagnostics.extend(local);
                read.suppressions.extend(suppressions.map(|s| *s));
                read.selected.push(i);
            }
        }
        read
    }

    /// The redirects file, read as text, when the site has one.
    fn redirects_file(&self) -> Option<RedirectsFile> {
        self.config.site.redirects_file.as_ref().map(|rel| {
            let max = self.config.limits.file_bytes;
            let text = open::read_inside(&self.reader.root, std::path::Path::new(rel), max)
                .map(|b| (String::from_utf8_lossy(&b).into_owned(), Digest::of(&b)))
                .map_err(|e| e.to_string());
            (rel.clone(), text)
        })
    }

    /// The index of every page, with the redirects file's entries.
    fn build_index(&self, pages: Vec<SitePage>, redirects: Option<&RedirectsFile>) -> SiteIndex {
        let site = &self.config.site;
        let parsed = match redirects {
            Some((rel, Ok((text, _)))) => redirects_file::parse(
                text,
                &redirects_file::Reading {
                    format: site.redirects_format,
                    name: rel,
                    resolver: &self.reader.resolver,
                    locales: site.locales.as_ref(),
                    case_insensitive: site.case_insensitive,
                    slash: site.redirects_trailing_slash,
                },
            ),
            _ => Default::default(),
        };
        let options = SiteOptions {
            page_suffixes: &site.page_suffixes,
            case_insensitive: site.case_insensitive,
            base_path: &site.base_path,
            redirect_hops: self.config.limits.redirect_hops,
            uri_from: site.uri_from,
            routes: &site.routes,
            locales: site.locales.as_ref(),
            ignore_links: &site.ignore_links,
        };
        let mut index = SiteIndex::new(pages, &options, parsed.entries);
        index.redirect_problems = parsed.problems;
        index
    }

    /// Read the bodies of the pages that a reported link points into with a fragment (through
    /// redirects, where the fragment applies), for their anchors (a partial run read only
    /// their front matter).
    fn read_fragment_targets(&self, site: &mut SiteIndex, selected: &[usize], walked: &[Walked]) {
        let mut wanted: Vec<usize> = selected
            .iter()
            .flat_map(|&i| site.pages[i].links.iter())
            .filter_map(|link| match &link.target {
                Target::Internal {
                    uri,
                    fragment: Some(_),
                } => site.reaches(uri),
                _ => None,
            })
            .filter(|&i| !site.pages[i].anchors_known && !site.pages[i].unread)
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let anchors: Vec<(usize, Anchors)> = wanted
            .into_par_iter()
            .map(|i| {
                let page = self.reader.page(&walked[i]);
                (i, SitePage::new(page, &self.reader.names).anchors)
            })
            .collect();
        for (i, found) in anchors {
            site.pages[i].anchors = found;
            site.pages[i].anchors_known = true;
        }
    }

    /// The site rules, on every page reported on, their findings added to `out`: a batch of
    /// pages at a time (each batch in parallel), so that what the threads found is never held
    /// twice, in their lists and in `out` (a large site's findings are tens of megabytes).
    fn site_rules(&self, site: &SiteIndex, selected: &[usize], out: &mut Vec<Diagnostic>) {
        const BATCH: usize = 512;
        for batch in selected.chunks(BATCH) {
            out.par_extend(batch.par_iter().flat_map_iter(|&i| {
                let page = &site.pages[i];
                let table = self.table(page.page_type.as_deref(), page.rel());
                rules::lint_site_page(page, site, &table, &self.config.site)
            }));
        }
    }

    /// The redirects file's own diagnostics, when it is reported on.
    fn redirects_file_rules(
        &self,
        site: &SiteIndex,
        file: Option<&RedirectsFile>,
    ) -> Vec<Diagnostic> {
        match file {
            Some((rel, text)) if self.is_selected(rel) => rules::redirects::lint_file(
                site,
                &self.config.rules_for(None, rel),
                &self.reader.shown(rel),
                text.as_ref().map(|(text, _)| text),
            ),
            _ => Vec::new(),
        }
    }

    /// The rule settings for a page of this type at this path.
    fn table(&self, page_type: Option<&str>, rel: &str) -> Cow<'a, RuleTable> {
        if self.config.has_overrides() {
            Cow::Owned(self.config.rules_for(page_type, rel))
        } else {
            Cow::Borrowed(&self.config.rules)
        }
    }
}

/// The files `diagnostics` name that were read whole, with the digests of their bytes, sorted
/// by path.
fn checked_files(
    site: &SiteIndex,
    redirects: Option<&RedirectsFile>,
    reader: &Reader<'_>,
    diagnostics: &[Diagnostic],
) -> Vec<(String, Digest)> {
    let named: std::collections::HashSet<&str> = diagnostics.iter().map(|d| &*d.path).collect();
    let pages = site.pages.iter().filter_map(|p| {
        let digest = p.digest?;
        named
            .contains(p.path.as_str())
            .then(|| (p.path.clone(), digest))
    });
    let file = redirects.and_then(|(rel, text)| {
        let (_, digest) = text.as_ref().ok()?;
        let shown = reader.shown(rel);
        named.contains(shown.as_str()).then_some((shown, *digest))
    });
    let mut checked: Vec<(String, Digest)> = pages.chain(file).collect();
    checked.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    checked.dedup_by(|a, b| a.0 == b.0);
    checked
}

/// The URIs of the assets the pages at `selected` load, sorted and distinct.
fn asset_uris<'s>(site: &'s SiteIndex, selected: &[usize]) -> Vec<&'s Uri> {
    unaccounted(site, selected, true)
}

/// The URIs that links of the pages at `selected` name and that neither a page, a redirect nor
/// an asset accounts for, sorted and distinct: the links broken-link would report, unless a
/// file is there.
fn unanswered_uris<'s>(site: &'s SiteIndex, selected: &[usize]) -> Vec<&'s Uri> {
    unaccounted(site, selected, false)
}

/// The destinations of the redirects file that no page or redirect answers, sorted and
/// distinct (files, maybe).
fn redirect_destinations(site: &SiteIndex) -> Vec<&Uri> {
    let mut wanted: Vec<&Uri> = site
        .redirect_entries
        .iter()
        .filter_map(|e| match &e.to {
            Target::Internal { uri, .. }
                if !site.answers(uri) && !site.assets.contains_key(uri) =>
            {
                Some(uri)
            }
            _ => None,
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
}

/// The internal URIs that links of the pages at `selected` name, to assets (`assets`) or to
/// pages, that no page or redirect answers, sorted and distinct.
fn unaccounted<'s>(site: &'s SiteIndex, selected: &[usize], assets: bool) -> Vec<&'s Uri> {
    let mut wanted: Vec<&Uri> = selected
        .par_iter()
        .flat_map_iter(|&i| site.pages[i].links.iter())
        .filter_map(|link| match &link.target {
            // The cheap test on the name first: most links are to pages.
            Target::Internal { uri, .. }
                if rules::links::is_asset(link.source, uri) == assets
                    && !site.answers(uri)
                    && site.redirect_of(uri, link.requested_slash).is_none() =>
            {
                Some(uri)
            }
            _ => None,
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
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
                "pagelint timing: {phase:<32} {:>8.1} ms{}",
                (now - start.get()).as_secs_f64() * 1000.0,
                peak_rss().map_or(String::new(), |kb| format!(
                    ", peak RSS so far {} MB",
                    kb / 1024
                ))
            );
            start.set(now);
        }
    }
}

/// The process's peak resident set so far, in KB, where the system tells it (Linux's
/// `/proc/self/status`, `VmHWM`): which stage a run's memory peaks in.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What a cached page means: raised whenever what is kept of a page changes meaning (format 2:
/// fragments as the URL holds them, targets resolved against the document base URL; 3: a page's
/// aliases), so that a
/// cache written by an earlier build of the same version is not trusted.
const CACHE_FORMAT: u32 = 3;

/// What a cache must match: this pagelint, its cache format, this configuration, this root.
fn cache_key(req: &Request<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    CACHE_FORMAT.hash(&mut h);
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
