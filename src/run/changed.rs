//! A run with `--changed-since REF`: which pages it reports on, and why. The change set
//! (`source::changes`) names the pages changed since the merge base; this stage parses each
//! one's old text with the same functions as any page (old URI, old ids, old `updated_at`),
//! and adds to the changed pages every other page that links to what the change removed:
//!
//! - a *removed URI* is an old version's URI (or, for a page addressed by its path, its old
//!   path) that no page of the site answers now — a deleted page, a changed `uri:` field, a
//!   moved file. A URI left to a redirect counts too: the pages linking to it are reported
//!   (with redirected-link);
//! - a *removed fragment* is an id an old version had that the page now answering its old URI
//!   lacks.
//!
//! Finding the pages that link to them needs every page's links, which a run on a few pages
//! does not read (it reads only the front matter of the others, or takes them from the
//! cache). So they are looked at only when something may have been removed: an old version
//! whose file is gone, moved or unreadable, whose URI differs from today's, or that had an id
//! today's version lacks. Most changes remove nothing, and such a run costs what a run on the
//! changed files costs. When something may have been removed, each page's link targets come from the
//! links cache (`source::links_cache`) when it knows the file as it is; without one, every
//! body is read, and the links cache written for the next run.

use super::{Error, Read, Run};
use crate::diagnostic::Diagnostic;
use crate::parse::link::Target;
use crate::parse::page::{Page, SitePage};
use crate::parse::uri::{Uri, percent_decode};
use crate::rules;
use crate::site::SiteIndex;
use crate::source::changes::{self, Changes, PreviousVersion};
use crate::source::links_cache::{LinkTarget, LinksCache};
use crate::source::read::Reader;
use crate::source::walk::Walked;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Which pages a `--changed-since` run reported on, and why (paths as diagnostics show them,
/// sorted). A page is counted under the first reason that applies, in this order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The reference as given, and the merge base it was compared at.
    pub reference: String,
    pub base: String,
    /// Pages changed since the base.
    pub changed: Vec<String>,
    /// Other pages named on the command line.
    pub named: Vec<String>,
    /// Unchanged pages linking to a removed URI.
    pub linking_removed_uris: Vec<String>,
    /// Unchanged pages linking to a removed fragment.
    pub linking_removed_fragments: Vec<String>,
    /// The URIs removed (no page answers them now).
    pub removed_uris: Vec<Uri>,
    /// The fragments removed, as `uri#id`.
    pub removed_fragments: Vec<String>,
}

/// Why a page is reported on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reason {
    RemovedUri,
    RemovedFragment,
}

/// What a `--changed-since` run knows before it reads the site.
pub(super) struct Since<'a> {
    pub changes: &'a Changes,
    /// The base's version of each changed page still there, by its path now.
    previous: HashMap<String, PreviousVersion>,
    /// What each page deleted, renamed or modified was at the base.
    old: Vec<OldPage>,
    /// Whether something may have been removed: then every page's links are needed.
    may_remove: bool,
    /// Where the links cache lives and its key, when the run may use the cache.
    links_at: Option<(std::path::PathBuf, u64)>,
    /// The links cache, when something may have been removed and there is one that fits.
    links: Option<LinksCache>,
    /// The pages git does not track (nor ignore), once the site is listed.
    untracked: HashSet<String>,
}

/// What an old version addressed and held.
struct OldPage {
    rel: String,
    uri: Uri,
    uri_from_path: bool,
    anchors: Vec<String>,
}

impl<'a> Since<'a> {
    /// Parse the old versions of the changed pages (and today's, to compare). `cache` is the
    /// root and key of the on-disk caches, when the run may use them.
    pub fn new(
        changes: &'a Changes,
        reader: &Reader<'_>,
        cache: Option<(&std::path::Path, u64)>,
    ) -> Since<'a> {
        let parse = |rel: &str, text: &str| {
            Page::from_text(
                reader.shown(rel),
                rel.to_owned(),
                text,
                &reader.names,
                &reader.resolver,
            )
        };
        let mut since = Since {
            changes,
            previous: HashMap::new(),
            old: Vec::new(),
            may_remove: false,
            links_at: cache.map(|(root, key)| (root.to_path_buf(), key)),
            links: None,
            untracked: HashSet::new(),
        };
        for file in &changes.old {
            let Some(text) = &file.text else {
                continue;
            };
            let old = parse(&file.rel, text);
            let current = match (&file.now, &file.current) {
                (Some(now), Some(current)) => Some((now, parse(now, current), current)),
                _ => None,
            };
            // A file gone or moved may take an address with it (`a/b.html` was `/a/b.html`).
            since.may_remove |= match &current {
                _ if file.now.as_deref() != Some(file.rel.as_str()) => true,
                // Today's text unknown (too large, or not to be read): it may have.
                None => true,
                Some((_, page, _)) => {
                    page.uri != old.uri
                        || old
                            .anchors
                            .iter()
                            .any(|a| page.anchors.binary_search(a).is_err())
                }
            };
            if let Some((now, _, current)) = current {
                let updated = reader
                    .config
                    .site
                    .updated_fields
                    .iter()
                    .filter(|_| old.fields_valid())
                    .filter_map(|name| Some((name.clone(), old.text(name)?)))
                    .collect();
                since.previous.insert(
                    now.clone(),
                    PreviousVersion {
                        since: changes.reference.clone(),
                        updated,
                        body_changed: changes::body(text) != changes::body(current),
                    },
                );
            }
            since.old.push(OldPage {
                rel: file.rel.clone(),
                uri: old.uri,
                uri_from_path: old.uri_from_path,
                anchors: old.anchors,
            });
        }
        if since.may_remove {
            since.links = since
                .links_at
                .as_ref()
                .and_then(|(root, key)| LinksCache::load(root, *key));
        }
        since
    }

    /// Whether the run reads every page's body: something may have been removed, and no
    /// links cache tells the pages' links.
    pub fn read_bodies(&self) -> bool {
        self.may_remove && self.links.is_none()
    }

    /// Learn the untracked pages from the site's listing.
    pub fn add_untracked(&mut self, walked: &[Walked]) -> Result<(), Error> {
        self.untracked = self.changes.untracked(walked)?.into_iter().collect();
        Ok(())
    }

    /// Whether the page at `rel` changed since the base (untracked pages included).
    pub fn is_changed(&self, rel: &str) -> bool {
        self.changes.changed.contains(rel) || self.untracked.contains(rel)
    }

    /// The previous version of the page now at `rel`.
    pub fn previous(&self, rel: &str) -> Option<&PreviousVersion> {
        self.previous.get(rel)
    }
}

impl Run<'_> {
    /// Every page's internal link targets (`None` for a page that could not be read): from
    /// the pages' links when their bodies were read, else from the links cache, else from
    /// reading the body (whose anchors the index then keeps too). The links cache is written
    /// when it did not know a page not reported on.
    fn link_targets(
        &self,
        since: &Since<'_>,
        site: &mut SiteIndex,
        selected: &HashSet<usize>,
        walked: &[Walked],
    ) -> Vec<Option<Box<[LinkTarget]>>> {
        let bodies_read = since.read_bodies();
        let found: Vec<Learned> = site
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| {
                let Walked::Page(entry) = &walked[i] else {
                    return (None, true, None);
                };
                if page.unread {
                    return (None, true, None);
                }
                // The pages reported on are read on every run: only the others are worth
                // storing again.
                if selected.contains(&i) {
                    return (Some(targets_of(&page.links)), true, None);
                }
                if bodies_read {
                    return (Some(targets_of(&page.links)), false, None);
                }
                if let Some(cached) = since
                    .links
                    .as_ref()
                    .and_then(|c| c.get(&entry.rel, &entry.path))
                {
                    return (Some(cached.into()), true, None);
                }
                let read = SitePage::new(self.reader.page(&walked[i]), &self.reader.names);
                (Some(targets_of(&read.links)), false, Some(read.anchors))
            })
            .collect();
        let all_cached = found.iter().all(|(_, cached, _)| *cached);
        let mut targets = Vec::with_capacity(found.len());
        for (i, (links, _, anchors)) in found.into_iter().enumerate() {
            if let Some(anchors) = anchors {
                site.pages[i].anchors = anchors;
                site.pages[i].anchors_known = true;
            }
            targets.push(links);
        }
        if !all_cached && let Some((root, key)) = &since.links_at {
            let store = match &since.links {
                Some(cache) => cache,
                None => &LinksCache::empty(root, *key),
            };
            store.store(
                walked
                    .iter()
                    .zip(&targets)
                    .filter_map(|(w, links)| match (w, links) {
                        (Walked::Page(e), Some(links)) => {
                            Some((e.rel.clone(), e.path.clone(), links.clone()))
                        }
                        _ => None,
                    })
                    .collect(),
            );
        }
        targets
    }

    /// Add to the pages reported on those that link to a URI or fragment the change removed
    /// (their page rules run now), and say which pages were chosen and why.
    pub(super) fn select_linkers(
        &self,
        since: &Since<'_>,
        site: &mut SiteIndex,
        read: &mut Read,
        walked: &[Walked],
    ) -> Selection {
        let fold = |u: &Uri| {
            if self.config.site.case_insensitive {
                u.folded()
            } else {
                u.clone()
            }
        };
        let base_path = &self.config.site.base_path;
        let mut removed_uris: BTreeSet<Uri> = BTreeSet::new();
        let mut removed_fragments: BTreeSet<(usize, &str)> = BTreeSet::new();
        for old in &since.old {
            let alias = old
                .uri_from_path
                .then(|| Uri::under_decoded(base_path, &old.rel));
            for uri in std::iter::once(&old.uri).chain(alias.as_ref()) {
                if !site.answers(uri) {
                    removed_uris.insert(fold(uri));
                }
            }
            if let Some(k) = site.lookup_index(&old.uri)
                && site.pages[k].anchors_known
            {
                removed_fragments.extend(
                    old.anchors
                        .iter()
                        .filter(|a| !site.pages[k].has_anchor(a))
                        .map(|a| (k, a.as_str())),
                );
            }
        }
        let selected: HashSet<usize> = read.selected.iter().copied().collect();
        let targets = if since.may_remove {
            self.link_targets(since, site, &selected, walked)
        } else {
            Vec::new()
        };
        // Without links (nothing may have been removed), nothing can link to it.
        let linkers: Vec<(usize, Reason)> =
            if !removed_uris.is_empty() || !removed_fragments.is_empty() {
                targets
                    .par_iter()
                    .enumerate()
                    .filter(|(i, _)| !selected.contains(i))
                    .filter_map(|(i, links)| {
                        let mut reason = None;
                        for (uri, fragment) in links.as_deref()? {
                            if removed_uris.contains(&fold(uri)) {
                                reason = Some(Reason::RemovedUri);
                                break;
                            }
                            if let Some(f) = fragment
                                && let Some(k) = site.lookup_index(uri)
                                // As written, or decoded (`link::finds_fragment`).
                                && (removed_fragments.contains(&(k, &**f))
                                    || removed_fragments.contains(&(k, &*percent_decode(f))))
                            {
                                reason = Some(Reason::RemovedFragment);
                            }
                        }
                        reason.map(|r| (i, r))
                    })
                    .collect()
            } else {
                Vec::new()
            };
        // The pages now reported on are read again, whole, for their page rules.
        let linted: Vec<(usize, SitePage, Vec<Diagnostic>)> = linkers
            .par_iter()
            .map(|&(i, _)| {
                let page = self.reader.page(&walked[i]);
                let table = self.table(page.text("type").as_deref(), &page.rel);
                let found = rules::lint_page(&page, &table, &self.config.site, self.req.now);
                (i, SitePage::new(page, &self.reader.names), found)
            })
            .collect();
        for (i, page, found) in linted {
            site.pages[i] = page;
            read.diagnostics.extend(found);
            read.selected.push(i);
        }
        read.selected.sort_unstable();
        let shown = |i: usize| site.pages[i].path.clone();
        let mut selection = Selection {
            reference: since.changes.reference.clone(),
            base: since.changes.base.clone(),
            removed_uris: removed_uris.into_iter().collect(),
            removed_fragments: removed_fragments
                .iter()
                .map(|(k, id)| format!("{}#{id}", site.pages[*k].uri))
                .collect(),
            ..Selection::default()
        };
        for &i in &selected {
            if since.is_changed(site.pages[i].rel()) {
                selection.changed.push(shown(i));
            } else {
                selection.named.push(shown(i));
            }
        }
        for (i, reason) in linkers {
            match reason {
                Reason::RemovedUri => selection.linking_removed_uris.push(shown(i)),
                Reason::RemovedFragment => selection.linking_removed_fragments.push(shown(i)),
            }
        }
        for list in [
            &mut selection.changed,
            &mut selection.named,
            &mut selection.linking_removed_uris,
            &mut selection.linking_removed_fragments,
            &mut selection.removed_fragments,
        ] {
            list.sort();
            list.dedup();
        }
        selection
    }
}

/// What was learned of a page's links: its targets (`None`: unreadable), whether the links
/// cache need not be written for them (they came from it, or the page is reported on and read
/// on every run), and its anchors when its body was read here.
type Learned = (
    Option<Box<[LinkTarget]>>,
    bool,
    Option<crate::parse::page::Anchors>,
);

/// The internal link targets of a page's links.
fn targets_of(links: &[crate::parse::link::Link]) -> Box<[LinkTarget]> {
    links
        .iter()
        .filter_map(|l| match &l.target {
            Target::Internal { uri, fragment } => Some((uri.clone(), fragment.clone())),
            _ => None,
        })
        .collect()
}
