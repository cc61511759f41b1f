//! `SiteIndex`: every page by URI and by id — whether a target exists, which anchors it has,
//! which pages share a URI or id, and which existing URI a broken link most likely meant.

use crate::parse::link::Target;
use crate::parse::locale::{Locales, Unprefixed};
use crate::parse::page::SitePage;
use crate::parse::uri::Uri;
use crate::site::redirect::{End, FileEntry, Followed, Origin, PatternRules, Redirect};
use crate::site::routes::Routes;
use crate::site::settings::UriFrom;
use crate::site::suggest::{FuzzyIndex, How};
use globset::GlobSet;
use std::borrow::Cow;
// FxHash: the index is hashed once per link, and its keys are not attacker-chosen.
use crate::parse::intern::Interner;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// The longest URI `SiteIndex::key` folds without allocating.
const KEY_INLINE: usize = 240;

/// A URI as the index's keys write it: as it is, or folded to lower case (on a
/// case-insensitive site), on the stack when it is ASCII and short.
// Large on purpose: a key lives on the stack for one lookup, and is never kept or moved far.
#[allow(clippy::large_enum_variant)]
enum Key<'u> {
    Same(&'u str),
    Folded { bytes: [u8; KEY_INLINE], len: usize },
    Owned(String),
}

impl Key<'_> {
    fn into_owned(self) -> String {
        match self {
            Key::Owned(s) => s,
            key => String::from(&*key),
        }
    }
}

impl std::ops::Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Key::Same(s) => s,
            // ASCII lower-cased is ASCII: the check cannot fail, and costs a pass over the bytes.
            Key::Folded { bytes, len } => std::str::from_utf8(&bytes[..*len]).unwrap_or_default(),
            Key::Owned(s) => s,
        }
    }
}

/// The pages of a site, indexed.
pub struct SiteIndex {
    pub pages: Vec<SitePage>,
    by_uri: HashMap<Uri, Vec<usize>>,
    /// Other addresses of path-addressed pages (`/a/b.html`, `/a/b/index.html`).
    aliases: HashMap<Uri, usize>,
    by_id: HashMap<String, Vec<usize>>,
    by_last_segment: HashMap<String, Vec<usize>>,
    /// Every URI and every id, for suggestions; each index built when first needed.
    fuzzy: Fuzzy,
    /// Sub-paths the server answers under every page (`feedback` for `/<page>/feedback`).
    page_suffixes: Vec<String>,
    /// Redirects by the URI they forward from.
    redirects: HashMap<Uri, Redirect>,
    /// The URIs some redirect forwards to (keys), built on first use.
    redirected_to: OnceLock<rustc_hash::FxHashSet<String>>,
    /// How many hops a chain of redirects is followed (`limits.redirect_hops`).
    redirect_hops: usize,
    /// Whether URIs are compared without regard to case (keys are then folded).
    case_insensitive: bool,
    /// The entries of the redirects file.
    pub redirect_entries: Vec<FileEntry>,
    /// The rules of the redirects file that could not be read.
    pub redirect_problems: Vec<crate::site::redirects_file::FileProblem>,
    /// Its pattern redirects, and its rewrites (exact and patterns), by entry.
    patterns: PatternRules,
    rewrites: HashMap<Uri, usize>,
    rewrite_patterns: PatternRules,
    /// What the server answers without a page (`site.routes`).
    routes: Routes,
    /// The site's locales, for links without one.
    locales: Option<Locales>,
    /// `site.ignore_links`, for the destinations patterns make.
    ignore: GlobSet,
    /// Whether every page's links were read (a whole run), so that links *to* a page are known.
    pub links_complete: bool,
    /// How many other pages link to each page (built on first use).
    inbound: OnceLock<Vec<u32>>,
    /// The files behind the assets that the reported pages load (checked before the rules).
    pub assets: HashMap<Uri, AssetCheck>,
    /// One copy of each text the site rules' findings hold (the same broken link, written on
    /// many pages, is the same message, help and target on each).
    pub strings: Interner,
    /// The suggestion for each missing URI asked about, made once (`suggest`).
    suggested: std::sync::Mutex<HashMap<Uri, std::sync::Arc<Suggested>>>,
    /// What `answers` and `redirect` say of each URI the pages' links name, by the address of
    /// its text (`resolve_links`).
    resolved: HashMap<usize, Resolved>,
    /// Whether some redirect source is matched strictly on its trailing slash, so a link's
    /// redirect depends on its slash and not only on its URI (`resolved` holds for `None`).
    slash_strict: bool,
}

/// Whether the site answers a URI, and whether it redirects; with the URI, so that the address
/// it is known by stays its own.
struct Resolved {
    _uri: Uri,
    answers: bool,
    redirects: bool,
}

/// The address of a URI's text: the read keeps one copy of each URI its links name, so that
/// every link to a URI has the same one.
fn address(uri: &Uri) -> usize {
    uri.as_str().as_ptr() as usize
}

/// What `suggest` offers for a missing URI whatever page links to it, and the URIs that were
/// compared with the linking page while it was made: for a page that is none of them, every
/// comparison comes out "not the linking page", as here, so the suggestion is this one.
/// (MDN's archived content has 127,704 broken links to 13,395 missing URIs.)
struct Suggested {
    compared: Vec<Uri>,
    suggestion: Option<Suggestion>,
}

/// The page a suggestion must not be (the linking page; none, to make one for any page), and
/// every URI compared with it.
struct NotFrom<'a> {
    uri: Option<&'a Uri>,
    compared: std::cell::RefCell<Vec<Uri>>,
}

impl<'a> NotFrom<'a> {
    fn new(uri: Option<&'a Uri>) -> Self {
        NotFrom {
            uri,
            compared: Default::default(),
        }
    }

    /// Whether `uri` is the linking page.
    fn is(&self, uri: &Uri) -> bool {
        self.compared.borrow_mut().push(uri.clone());
        self.uri == Some(uri)
    }
}

/// The other addresses of a page addressed by its path: its file's path, and that path
/// without `.html` or `.htm`, as static hosts add `.html` to a path that names no file
/// (Netlify's and GitHub Pages' pretty URLs, nginx's `try_files $uri $uri.html`: `/a/index` and
/// `/index` reach `a/index.html` and `index.html`). On a site addressed by path (a generator's
/// output), the output file is named for the page's URI (a locale's prefix dropped), and a
/// Markdown source is served at its URI only.
fn file_aliases(page: &SitePage, options: &SiteOptions<'_>) -> Vec<Uri> {
    let rel = page.rel();
    let file = match options.uri_from {
        UriFrom::Field => Cow::Borrowed(rel),
        UriFrom::Path
            if [".md", ".markdown", ".mdx"]
                .iter()
                .any(|e| rel.ends_with(e)) =>
        {
            return Vec::new();
        }
        UriFrom::Path => {
            // `a/index.html` of /a, `a.html` of /a: the same file name under the page's URI.
            let name = rel.rsplit('/').next().unwrap_or(rel);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            let uri = page.uri.as_str().trim_matches('/');
            Cow::Owned(match (stem == "index", uri.is_empty()) {
                (true, true) => name.to_owned(),
                (true, false) => format!("{uri}/{name}"),
                (false, _) => format!("{uri}.{ext}"),
            })
        }
    };
    let base = match options.uri_from {
        UriFrom::Field => options.base_path,
        UriFrom::Path => "",
    };
    let mut out = vec![Uri::under_decoded(base, &file)];
    if let Some(stem) = without_page_extension(&file) {
        out.push(Uri::under_decoded(base, stem));
    }
    out
}

/// A page file's path without its `.html` or `.htm`, when it has one.
fn without_page_extension(rel: &str) -> Option<&str> {
    rel.strip_suffix(".html")
        .or_else(|| rel.strip_suffix(".htm"))
}

/// What became of an asset's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetCheck {
    Found,
    /// No file at this path (relative to the content root, as shown).
    Missing(String),
    /// The path (as shown) passes through a symlink that leads out of the content root:
    /// what is there is not looked at.
    LeadsOut(String),
}

/// How the site's server matches paths.
pub struct SiteOptions<'a> {
    /// Sub-paths the server answers under every page.
    pub page_suffixes: &'a [String],
    /// Paths match without regard to case.
    pub case_insensitive: bool,
    /// The path every page lives under.
    pub base_path: &'a str,
    /// How many hops a chain of redirects is followed (`limits.redirect_hops`).
    pub redirect_hops: usize,
    /// Where pages' URIs come from (a site addressed by path serves no Markdown source).
    pub uri_from: UriFrom,
    /// What the server answers without a page.
    pub routes: &'a Routes,
    pub locales: Option<&'a Locales>,
    pub ignore_links: &'a GlobSet,
}

/// Fuzzy indexes of URIs (by `/` segments) and ids (by `-` words); entries are page indexes.
#[derive(Default)]
struct Fuzzy {
    uris: OnceLock<FuzzyIndex>,
    /// URIs split at `/` and `-` alike, for links that confuse the two.
    flat_uris: OnceLock<FuzzyIndex>,
    ids: OnceLock<FuzzyIndex>,
    /// Pages by the hash of their URI and of their id with case folded (for a case-sensitive
    /// site's near misses); hashes, so that 100,000 pages cost no allocation each, and a
    /// lookup compares the pages found.
    folded_uris: OnceLock<HashIndex>,
    folded_ids: OnceLock<HashIndex>,
    /// Pages by the hash of their id without its last word (`a-b` for `a-b-c`): the families
    /// of ids.
    families: OnceLock<HashIndex>,
    /// The hashes of the URIs that have pages below them (`/a/b` of `/a/b/c`): topics with
    /// several pages. A collision can only make a suggestion look less certain.
    parents: OnceLock<rustc_hash::FxHashSet<u64>>,
}

/// A likely intended page for a broken link, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub uri: Uri,
    pub reason: String,
    /// Whether the page meant is beyond doubt (an exact id, a case-only difference, a typo
    /// with no rival), so that `fix` may write it; else it is only offered in the help.
    pub certain: bool,
}

impl SiteIndex {
    /// Index `pages`; `page_suffixes` are the sub-paths the server answers under every page.
    pub fn new(
        pages: Vec<SitePage>,
        options: &SiteOptions<'_>,
        redirect_entries: Vec<FileEntry>,
    ) -> SiteIndex {
        let case_insensitive = options.case_insensitive;
        let fold = |u: &Uri| {
            if case_insensitive {
                u.folded()
            } else {
                u.clone()
            }
        };
        let mut redirects = HashMap::default();
        for (i, page) in pages.iter().enumerate() {
            if let Some((to, _)) = page.redirect.as_deref() {
                redirects.entry(fold(&page.uri)).or_insert(Redirect {
                    to: to.clone(),
                    origin: Origin::Page(i),
                });
            }
        }
        let mut rewrites = HashMap::default();
        for (i, entry) in redirect_entries.iter().enumerate() {
            match (&entry.pattern, entry.rewrite) {
                (Some(_), _) => {}
                (None, true) => {
                    rewrites.entry(fold(&entry.from)).or_insert(i);
                }
                (None, false) => {
                    redirects.entry(fold(&entry.from)).or_insert(Redirect {
                        to: entry.to.clone(),
                        origin: Origin::File(i),
                    });
                }
            }
        }
        // An alias is a page the generator writes to forward to its page (Hugo's alias pages,
        // jekyll-redirect-from's).
        for (i, page) in pages.iter().enumerate() {
            for alias in &page.aliases {
                redirects.entry(fold(alias)).or_insert(Redirect {
                    to: Target::Internal {
                        uri: page.uri.clone(),
                        fragment: None,
                    },
                    origin: Origin::Alias(i),
                });
            }
        }
        let patterns = PatternRules::new(&redirect_entries, |e| !e.rewrite);
        let rewrite_patterns = PatternRules::new(&redirect_entries, |e| e.rewrite);
        let mut by_uri: HashMap<Uri, Vec<usize>> =
            HashMap::with_capacity_and_hasher(pages.len(), Default::default());
        let mut aliases = HashMap::default();
        let mut by_id: HashMap<String, Vec<usize>> =
            HashMap::with_capacity_and_hasher(pages.len(), Default::default());
        let mut by_last_segment: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, page) in pages.iter().enumerate() {
            if page.unread && page.uri_from_path {
                // Nothing is known of an unreadable page; it claims no URI.
                continue;
            }
            by_uri.entry(fold(&page.uri)).or_default().push(i);
            by_last_segment
                .entry(page.uri.last_segment().to_owned())
                .or_default()
                .push(i);
            if page.uri_from_path {
                for alias in file_aliases(page, options) {
                    aliases.entry(fold(&alias)).or_insert(i);
                }
            }
            if let Some((id, _)) = &page.id {
                by_id.entry(id.to_string()).or_default().push(i);
            }
        }
        SiteIndex {
            pages,
            by_uri,
            aliases,
            by_id,
            by_last_segment,
            fuzzy: Fuzzy::default(),
            case_insensitive,
            page_suffixes: options
                .page_suffixes
                .iter()
                .map(|s| s.trim_matches('/').to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            redirects,
            redirected_to: OnceLock::new(),
            redirect_hops: options.redirect_hops,
            redirect_entries,
            redirect_problems: Vec::new(),
            patterns,
            rewrites,
            rewrite_patterns,
            routes: options.routes.clone(),
            locales: options.locales.cloned(),
            ignore: options.ignore_links.clone(),
            links_complete: false,
            inbound: OnceLock::new(),
            assets: HashMap::default(),
            strings: Interner::default(),
            suggested: Default::default(),
            resolved: HashMap::default(),
            slash_strict: false,
        }
    }

    /// Find out once what `answers` and `redirect` say of each URI the pages' links name: the
    /// rules ask it of every link, several times each, and a URI is named by many pages (MDN's
    /// archived content: 600,000 links to a twentieth as many URIs).
    pub fn resolve_links(&mut self) {
        use rayon::prelude::*;
        let mut distinct: HashMap<usize, &Uri> = HashMap::default();
        for link in self.pages.iter().flat_map(|p| p.links.iter()) {
            if let Target::Internal { uri, .. } = &link.target {
                distinct.entry(address(uri)).or_insert(uri);
            }
        }
        let distinct: Vec<(usize, &Uri)> = distinct.into_iter().collect();
        let resolved: Vec<(usize, Resolved)> = distinct
            .into_par_iter()
            .map(|(at, uri)| {
                let resolved = Resolved {
                    answers: self.answers_anew(uri),
                    redirects: self.redirect_anew(uri, None).is_some(),
                    _uri: uri.clone(),
                };
                (at, resolved)
            })
            .collect();
        self.resolved = resolved.into_iter().collect();
        self.slash_strict = self.redirect_entries.iter().any(|e| e.slash.is_some());
    }

    /// What `resolve_links` found of `uri`, if it is a URI a link names.
    fn resolved(&self, uri: &Uri) -> Option<&Resolved> {
        self.resolved.get(&address(uri))
    }

    /// What became of the file behind the asset at `uri`, if it was checked.
    pub fn asset(&self, uri: &Uri) -> Option<&AssetCheck> {
        self.assets.get(uri)
    }

    /// The page a link to `uri` reaches in the end (through redirects).
    pub fn reaches(&self, uri: &Uri) -> Option<usize> {
        match self.follow(uri) {
            Some(followed) => match followed.end {
                End::Page(i) => Some(i),
                _ => None,
            },
            None => self.lookup_index(uri),
        }
    }

    /// How many other pages link to page `i` (directly or through redirects).
    pub fn inbound(&self, i: usize) -> u32 {
        let counts = self.inbound.get_or_init(|| {
            let mut counts = vec![0u32; self.pages.len()];
            for (from, page) in self.pages.iter().enumerate() {
                let mut seen = std::collections::HashSet::new();
                for link in &page.links {
                    if let Target::Internal { uri, .. } = &link.target
                        && let Some(to) = self.reaches(uri)
                        && to != from
                        && seen.insert(to)
                    {
                        counts[to] += 1;
                    }
                }
            }
            counts
        });
        counts[i]
    }

    /// Every link to `uri`: the linking page, the link, and the redirect chain it goes
    /// through (when it reaches `uri` only that way).
    pub fn links_to(
        &self,
        uri: &Uri,
    ) -> Vec<(&SitePage, &crate::parse::link::Link, Option<Followed>)> {
        let target = self.key(uri).into_owned();
        let mut out = Vec::new();
        for page in &self.pages {
            // A page's links to itself do not depend on where it lives.
            if *self.key(&page.uri) == target {
                continue;
            }
            for link in &page.links {
                let Target::Internal { uri: to, .. } = &link.target else {
                    continue;
                };
                if *self.key(to) == target {
                    out.push((page, link, None));
                } else if let Some(followed) = self.follow(to)
                    && followed.chain.iter().any(|u| *self.key(u) == target)
                {
                    out.push((page, link, Some(followed)));
                }
            }
        }
        out
    }

    /// The redirect of `uri`, if any: declared for it (a page's redirect field or alias, an
    /// exact rule of the redirects file), or made by the first pattern rule that matches it
    /// (in file order with the exact rules, as the host reads them; a pattern without `!`
    /// yields to a page there, as Netlify's shadowing has it), or the server's redirect to the
    /// default locale.
    pub fn redirect(&self, uri: &Uri) -> Option<Cow<'_, Redirect>> {
        self.redirect_of(uri, None)
    }

    /// The redirect of a link to `uri` whose path ends with a slash or not (`slash`, as the
    /// browser requests it): where the host matches redirect sources strictly on a trailing
    /// slash, only the rules written with the link's apply (`FileEntry::applies_to`).
    pub fn redirect_of(&self, uri: &Uri, slash: Option<bool>) -> Option<Cow<'_, Redirect>> {
        // What `resolve_links` found is for `slash: None`, which is every link's answer unless
        // some source is matched strictly on its slash.
        if (slash.is_none() || !self.slash_strict)
            && self.resolved(uri).is_some_and(|r| !r.redirects)
        {
            return None;
        }
        self.redirect_anew(uri, slash)
    }

    /// `redirect_of`, found anew.
    fn redirect_anew(&self, uri: &Uri, slash: Option<bool>) -> Option<Cow<'_, Redirect>> {
        let key = self.key(uri);
        let applies = |i: usize| self.redirect_entries[i].applies_to(slash);
        let declared = self.redirects.get(&*key).filter(|r| match r.origin {
            Origin::File(i) => applies(i),
            _ => true,
        });
        let before = match declared {
            Some(
                r @ Redirect {
                    origin: Origin::Page(_) | Origin::Alias(_),
                    ..
                },
            ) => {
                return Some(Cow::Borrowed(r));
            }
            Some(Redirect {
                origin: Origin::File(i),
                ..
            }) => *i,
            _ => usize::MAX,
        };
        let mut answered = None;
        for i in self
            .patterns
            .matching(&key)
            .take_while(|&i| i < before)
            .filter(|&i| applies(i))
        {
            let entry = &self.redirect_entries[i];
            if !entry.force && *answered.get_or_insert_with(|| self.answers(uri)) {
                continue;
            }
            if let Some(to) = crate::site::redirect::filled_target(entry, &key) {
                return Some(Cow::Owned(Redirect {
                    to: self.unless_ignored(to),
                    origin: Origin::Pattern(i),
                }));
            }
        }
        if let Some(r) = declared {
            return Some(Cow::Borrowed(r));
        }
        self.locale_redirect(uri).map(Cow::Owned)
    }

    /// A destination a pattern made, as a link to it resolves (`site.ignore_links`).
    fn unless_ignored(&self, to: Target) -> Target {
        match &to {
            Target::Internal { uri, .. } if self.ignore.is_match(uri.as_str()) => Target::Ignored,
            _ => to,
        }
    }

    /// The server's redirect of a path without a locale to the default locale's
    /// (`unprefixed: redirect`), for a path no page answers and that names no file (a
    /// middleware's matcher leaves files alone).
    fn locale_redirect(&self, uri: &Uri) -> Option<Redirect> {
        let locales = self.locales.as_ref()?;
        (locales.unprefixed == Unprefixed::Redirect
            && locales.locale_of(uri.as_str()).is_none()
            && !uri.last_segment().contains('.')
            && !self.answers(uri))
        .then(|| Redirect {
            to: Target::Internal {
                uri: locales.under(&locales.default, uri),
                fragment: None,
            },
            origin: Origin::Locale,
        })
    }

    /// The form `uri` takes as a key of the index.
    /// (Folded without allocating when it is lower case already: this is asked for every link,
    /// several times.)
    fn key<'u>(&self, uri: &'u Uri) -> Key<'u> {
        let s = uri.as_str();
        if !self.case_insensitive || !s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            return Key::Same(s);
        }
        // On a case-insensitive site most URIs have a capital (MDN's every `/en-US/docs/…`):
        // an ASCII one is folded on the stack, where `to_lowercase` is an allocation per lookup.
        if s.len() <= KEY_INLINE && s.is_ascii() {
            let mut bytes = [0; KEY_INLINE];
            for (to, from) in bytes.iter_mut().zip(s.bytes()) {
                *to = from.to_ascii_lowercase();
            }
            return Key::Folded {
                bytes,
                len: s.len(),
            };
        }
        Key::Owned(s.to_lowercase())
    }

    /// Where following redirects from `uri` ends, if `uri` redirects at all: at most
    /// `limits.redirect_hops` hops, each URI compared with those passed (in a set once the
    /// chain is long), so that a chain costs time linear in its length.
    pub fn follow(&self, uri: &Uri) -> Option<Followed> {
        self.follow_from(uri, None)
    }

    /// `follow` for a link whose path ends with a slash or not (`slash`, as in `redirect_of`):
    /// the first hop is the link's; the URIs a chain passes are matched as they are.
    pub fn follow_from(&self, uri: &Uri, slash: Option<bool>) -> Option<Followed> {
        /// Up to this many URIs passed, a new one is compared with each.
        const FEW: usize = 16;
        let mut chain = vec![uri.clone()];
        let mut passed: Option<rustc_hash::FxHashSet<String>> = None;
        let mut redirect = self.redirect_of(uri, slash)?;
        let first_computed = redirect.origin.is_computed();
        loop {
            let computed = redirect.origin.is_computed();
            let Target::Internal { uri: next, .. } = &redirect.to else {
                return Some(Followed {
                    chain,
                    end: End::Elsewhere,
                    computed,
                    first_computed,
                });
            };
            let key = self.key(next);
            let looped = match &mut passed {
                Some(set) => set.contains(&*key),
                None => chain.iter().any(|u| *self.key(u) == *key),
            };
            chain.push(next.clone());
            if looped {
                return Some(Followed {
                    chain,
                    end: End::Loop,
                    computed,
                    first_computed,
                });
            }
            let Some(r) = self.redirect(next) else {
                let end = match self.lookup_index(next) {
                    Some(i) => End::Page(i),
                    None if self.answers(next) => End::Elsewhere,
                    None => End::Missing(next.clone()),
                };
                return Some(Followed {
                    chain,
                    end,
                    computed,
                    first_computed,
                });
            };
            if chain.len() > self.redirect_hops {
                return Some(Followed {
                    chain,
                    end: End::TooLong,
                    computed,
                    first_computed,
                });
            }
            if chain.len() == FEW {
                passed = Some(chain.iter().map(|u| self.key(u).into_owned()).collect());
            } else if let Some(set) = &mut passed {
                set.insert(key.into_owned());
            }
            redirect = r;
        }
    }

    /// How many hops a chain of redirects is followed (`limits.redirect_hops`).
    pub fn redirect_hops(&self) -> usize {
        self.redirect_hops
    }

    /// Whether some redirect forwards to `uri` (then a chain through `uri` starts before it).
    pub fn is_redirected_to(&self, uri: &Uri) -> bool {
        self.redirected_to
            .get_or_init(|| {
                self.redirects
                    .values()
                    .filter_map(|r| match &r.to {
                        Target::Internal { uri, .. } => Some(self.key(uri).into_owned()),
                        _ => None,
                    })
                    .collect()
            })
            .contains(&*self.key(uri))
    }

    /// Whether the redirect of `uri` is the one declared at `origin` (a URI may be given a
    /// redirect twice: by a page and a line of the redirects file; the first one counts).
    pub fn redirect_declared_at(&self, uri: &Uri, origin: Origin) -> bool {
        self.redirect(uri).is_some_and(|r| r.origin == origin)
    }

    /// The URIs of the loop a chain ended in (from where it comes back to), when `followed`
    /// starts on the loop and at its first member in URI order: a loop is reported once, at
    /// that member, not at every URI on it or leading into it.
    pub fn loop_reported_here(&self, followed: &Followed) -> Option<Vec<Uri>> {
        if followed.end != End::Loop {
            return None;
        }
        let back = self.key(followed.last()).into_owned();
        let start = followed.chain.iter().position(|u| *self.key(u) == back)?;
        let cycle = &followed.chain[start..followed.chain.len() - 1];
        let first = cycle.iter().map(|u| self.key(u).into_owned()).min()?;
        (start == 0 && *self.key(&followed.chain[0]) == first).then(|| followed.chain.clone())
    }

    /// Whether the site answers `uri`: a page, or a page's configured sub-path.
    pub fn answers(&self, uri: &Uri) -> bool {
        match self.resolved(uri) {
            Some(r) => r.answers,
            None => self.answers_anew(uri),
        }
    }

    /// `answers`, found anew.
    fn answers_anew(&self, uri: &Uri) -> bool {
        self.lookup(uri).is_some()
            || self.page_suffixes.iter().any(|suffix| {
                uri.as_str()
                    .strip_suffix(suffix.as_str())
                    .and_then(|rest| rest.strip_suffix('/'))
                    .is_some_and(|parent| self.lookup(&Uri::from_decoded(parent)).is_some())
            })
            || self.rewritten(uri)
            || self.routed(uri)
    }

    /// Whether a rewrite of the redirects file serves `uri` with what is at its destination
    /// (another host's, or a page of this site: one hop, not followed further).
    fn rewritten(&self, uri: &Uri) -> bool {
        let key = self.key(uri);
        let serves = |to: &Target| match to {
            Target::Internal { uri: to, .. } => *self.key(to) != *key && self.lookup(to).is_some(),
            _ => true,
        };
        if let Some(&i) = self.rewrites.get(&*key) {
            return serves(&self.redirect_entries[i].to);
        }
        self.rewrite_patterns
            .matching(&key)
            .next()
            .is_some_and(|i| {
                crate::site::redirect::filled_target(&self.redirect_entries[i], &key)
                    .is_some_and(|to| serves(&self.unless_ignored(to)))
            })
    }

    /// Whether a route of `site.routes` answers `uri`.
    fn routed(&self, uri: &Uri) -> bool {
        if self.routes.is_empty() {
            return false;
        }
        let key = self.key(uri);
        self.routes.answers(
            &key,
            |p| self.lookup(&Uri::from_decoded(p)).is_some(),
            |p| self.has_pages_below(&Uri::from_decoded(p)),
        )
    }

    /// The page served at `uri`, if any (the first, when several claim it).
    pub fn lookup(&self, uri: &Uri) -> Option<&SitePage> {
        Some(&self.pages[self.lookup_index(uri)?])
    }

    /// The index in `pages` of the page served at `uri`.
    pub fn lookup_index(&self, uri: &Uri) -> Option<usize> {
        let key = self.key(uri);
        match self.by_uri.get(&*key) {
            Some(v) => Some(v[0]),
            None => self
                .aliases
                .get(&*key)
                .copied()
                .or_else(|| self.default_locale_page(uri))
                .or_else(|| self.fallback_page(uri)),
        }
    }

    /// The default locale's page that a locale without its own serves at `uri`
    /// (`site.locales.fallback: default`).
    fn fallback_page(&self, uri: &Uri) -> Option<usize> {
        let in_default = self.locales.as_ref()?.fallback_of(uri)?;
        self.by_uri.get(&*self.key(&in_default)).map(|v| v[0])
    }

    /// The default locale's page that a path without a locale is served as, where the server
    /// serves it so (`unprefixed: default`, the default locale's pages under its prefix).
    fn default_locale_page(&self, uri: &Uri) -> Option<usize> {
        let locales = self.locales.as_ref()?;
        if locales.unprefixed != Unprefixed::Default
            || !locales.prefix_default
            || locales.locale_of(uri.as_str()).is_some()
        {
            return None;
        }
        let localized = locales.under(&locales.default, uri);
        self.by_uri.get(&*self.key(&localized)).map(|v| v[0])
    }

    /// All pages claiming `uri`.
    pub fn pages_at(&self, uri: &Uri) -> &[usize] {
        self.by_uri.get(&*self.key(uri)).map_or(&[], Vec::as_slice)
    }

    /// All pages with this id.
    pub fn pages_with_id(&self, id: &str) -> &[usize] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }

    /// The page most likely meant by a link to the missing `uri`, when there is a confident
    /// answer: a page id written instead of a URI, a near-miss typo, or a page with the same
    /// name under another parent.
    /// `from` is the linking page, which is never suggested.
    /// A suggestion that redirects names where the redirects end.
    pub fn suggest(&self, uri: &Uri, from: &Uri) -> Option<Suggestion> {
        let known = self.suggested.lock().ok().and_then(|m| m.get(uri).cloned());
        let made = known.unwrap_or_else(|| {
            let any = NotFrom::new(None);
            let suggestion = self.suggestion(uri, &any);
            let made = std::sync::Arc::new(Suggested {
                compared: any.compared.into_inner(),
                suggestion,
            });
            if let Ok(mut m) = self.suggested.lock() {
                m.entry(uri.clone()).or_insert_with(|| made.clone());
            }
            made
        });
        if made.compared.contains(from) {
            self.suggestion(uri, &NotFrom::new(Some(from)))
        } else {
            made.suggestion.clone()
        }
    }

    /// `suggest`, made anew.
    fn suggestion(&self, uri: &Uri, from: &NotFrom<'_>) -> Option<Suggestion> {
        let mut s = self.suggest_any(uri, from).filter(|s| !from.is(&s.uri))?;
        if let Some(followed) = self.follow(&s.uri)
            && matches!(followed.end, End::Page(_))
        {
            s.reason = format!("{}, which redirects to {}", s.reason, followed.last());
            s.uri = followed.last().clone();
        }
        Some(s)
    }

    fn suggest_any(&self, uri: &Uri, from: &NotFrom<'_>) -> Option<Suggestion> {
        let written = uri.as_str().trim_start_matches('/');
        let last = uri.last_segment();
        let suggestion = |uri: &Uri, reason: String, certain: bool| Suggestion {
            uri: uri.clone(),
            reason,
            certain,
        };
        // 1. The URI of a page in another case (on a site whose server tells cases apart).
        if !self.case_insensitive
            && let [i] =
                self.folded_matches(self.folded_uris(), uri.as_str(), |p| Some(p.uri.as_str()))[..]
        {
            let target = &self.pages[i].uri;
            return Some(suggestion(
                target,
                format!("{target} differs only in case"),
                true,
            ));
        }
        // 2. The link names a page by its id, maybe in another case.
        for candidate in [written, last] {
            if let [i] = self.pages_with_id(candidate) {
                let target = &self.pages[*i].uri;
                return Some(suggestion(
                    target,
                    format!("`{candidate}` is the id of the page at {target}"),
                    true,
                ));
            }
        }
        for candidate in [written, last] {
            if let [i] = self.folded_matches(self.folded_ids(), candidate, |p| {
                p.id.as_ref().map(|(id, _)| &**id)
            })[..]
            {
                let page = &self.pages[i];
                let id = page.id.as_ref().map_or("", |(id, _)| &**id);
                return Some(suggestion(
                    &page.uri,
                    format!(
                        "`{candidate}` differs only in case from `{id}`, the id of the page at {}",
                        page.uri
                    ),
                    true,
                ));
            }
        }
        // 3. A typo: the one URI within a small edit distance.
        let limit = (uri.as_str().chars().count() / 12 + 1).min(4);
        if let Some(found) = self.uris_index().closest_found(uri.as_str(), limit)
            && let Some(target) = self.unique_other(&found.entries, from)
        {
            let below = self.has_pages_below(&target);
            return Some(suggestion(
                &target,
                format!(
                    "{target} is the closest existing URI{}",
                    doubt(found.how, below)
                ),
                found.how.typo_only() && !below,
            ));
        }
        // 4. The page moved: one page has the same last segment.
        if !last.is_empty()
            && let Some([i]) = self.by_last_segment.get(last).map(Vec::as_slice)
        {
            let target = &self.pages[*i].uri;
            let below = self.has_pages_below(target);
            return Some(suggestion(
                target,
                format!(
                    "the only page named `{last}` is at {target}{}",
                    doubt(How::default(), below)
                ),
                !below,
            ));
        }
        // Steps 5 to 7 are for links written as one name, as ids are (`/a-b-c`).
        if written.contains('/') {
            return None;
        }
        // 5. A page id as editors get it wrong: a typo (spaces and underscores written for
        // dashes count as typos), a word written short or long, a `-level1` added, a word left
        // out, another level.
        let query = last.replace([' ', '_'], "-");
        let id_limit = (last.chars().count() / 12 + 1).min(3);
        if let Some(found) = self.ids_index().closest_found(&query, id_limit)
            && let [i] = found.entries[..]
        {
            let page = &self.pages[i as usize];
            let id = page.id.as_ref().map_or("", |(id, _)| &**id);
            let how = found.how;
            let reason = if how.typo_only() {
                format!(
                    "`{last}` is close to `{id}`, the id of the page at {}",
                    page.uri
                )
            } else {
                let mut why = Vec::new();
                if how.abbreviated {
                    why.push("a word written short or in full");
                }
                if how.added {
                    why.push("without the number or level the link adds");
                }
                if how.dropped {
                    why.push("with a word the link leaves out");
                }
                if how.number {
                    why.push("with another number or level: check it is the page meant");
                }
                format!(
                    "the page whose id is `{id}` ({}), at {}",
                    why.join(", "),
                    page.uri
                )
            };
            return Some(suggestion(&page.uri, reason, how.typo_only()));
        }
        // 6. An id whose last words are the page's title in slug form.
        if let Some(s) = self.by_title(&query, from) {
            return Some(s);
        }
        // 7. A URI written with dashes for slashes (`/a-b-c` for `/a/b/c`), maybe with a typo.
        let found = self.flat_index().closest_found(uri.as_str(), limit)?;
        let target = self.unique_other(&found.entries, from)?;
        let below = self.has_pages_below(&target);
        Some(suggestion(
            &target,
            format!(
                "{target} is the closest existing URI{}",
                doubt(found.how, below)
            ),
            found.how.typo_only() && !below,
        ))
    }

    /// The page whose id starts as `query` does and whose title its other words spell
    /// (`…-miscellaneous-vasoconstrictor-and-vasodilator` for the page titled "Vasoconstrictor
    /// & vasodilation medications" in the `…-miscellaneous-` family), if only one does. Only
    /// the longest start that is a family is tried, and only a family of up to 200 pages.
    fn by_title(&self, query: &str, from: &NotFrom<'_>) -> Option<Suggestion> {
        const MAX_FAMILY: usize = 200;
        let families = self.fuzzy.families.get_or_init(|| {
            HashIndex::new(
                self.by_id
                    .iter()
                    .filter_map(|(id, pages)| Some((hash(id.rsplit_once('-')?.0), pages)))
                    .flat_map(|(h, pages)| {
                        pages
                            .iter()
                            .filter_map(move |&i| Some((h, u32::try_from(i).ok()?)))
                    })
                    .collect(),
            )
        });
        // The pages of a family: those whose id starts with it (a hash may collide).
        let family_pages = |family: &str| -> Vec<usize> {
            families
                .get(hash(family))
                .filter(|&i| {
                    self.pages[i].id.as_ref().is_some_and(|(id, _)| {
                        id.rsplit_once('-').is_some_and(|(f, _)| f == family)
                    })
                })
                .collect()
        };
        let (tail, pages) = query
            .match_indices('-')
            .rev()
            .map(|(at, _)| (&query[..at], &query[at + 1..]))
            .find_map(|(family, tail)| {
                let pages = family_pages(family);
                (!pages.is_empty()).then_some((tail, pages))
            })?;
        let words = title_words(tail);
        if words.len() < 2 || pages.len() > MAX_FAMILY {
            return None;
        }
        let mut matching = pages.iter().copied().filter(|&i| {
            let page = &self.pages[i];
            let title = page.title.as_deref().map(title_words).unwrap_or_default();
            !from.is(&page.uri)
                && words.iter().all(|w| {
                    let limit = (w.chars().count() / 4).max(1);
                    title
                        .iter()
                        .any(|t| crate::site::suggest::bounded_levenshtein(w, t, limit).is_some())
                })
        });
        let i = matching.next()?;
        if matching.next().is_some() {
            return None;
        }
        let page = &self.pages[i];
        Some(Suggestion {
            uri: page.uri.clone(),
            reason: format!(
                "the page titled \"{}\" ({} spells its title), at {}; check it is the page meant",
                page.title.as_deref().unwrap_or_default(),
                tail,
                page.uri
            ),
            certain: false,
        })
    }

    /// Whether other pages live below `uri`.
    fn has_pages_below(&self, uri: &Uri) -> bool {
        let parents = self.fuzzy.parents.get_or_init(|| {
            let mut set = rustc_hash::FxHashSet::default();
            for key in self.by_uri.keys() {
                let s = key.as_str();
                for (at, _) in s.match_indices('/').skip(1) {
                    set.insert(hash(&s[..at]));
                }
            }
            set
        });
        parents.contains(&hash(&self.key(uri)))
    }

    fn folded_uris(&self) -> &HashIndex {
        self.fuzzy
            .folded_uris
            .get_or_init(|| folded_map(self.by_uri.iter().map(|(u, pages)| (u.as_str(), pages))))
    }

    fn folded_ids(&self) -> &HashIndex {
        self.fuzzy
            .folded_ids
            .get_or_init(|| folded_map(self.by_id.iter().map(|(id, pages)| (id.as_str(), pages))))
    }

    /// The pages of `map` whose name (`name_of`) is `name` with case folded.
    fn folded_matches(
        &self,
        map: &HashIndex,
        name: &str,
        name_of: impl Fn(&SitePage) -> Option<&str>,
    ) -> Vec<usize> {
        let h = folded_hash(name);
        let name = name.to_lowercase();
        map.get(h)
            .filter(|&i| name_of(&self.pages[i]).is_some_and(|n| n.to_lowercase() == name))
            .collect()
    }

    fn uri_names(&self) -> impl Iterator<Item = (&str, u32)> {
        self.by_uri
            .iter()
            .filter_map(|(u, pages)| Some((u.as_str(), u32::try_from(pages[0]).ok()?)))
    }

    fn uris_index(&self) -> &FuzzyIndex {
        self.fuzzy
            .uris
            .get_or_init(|| FuzzyIndex::new(b"/", self.uri_names()))
    }

    fn flat_index(&self) -> &FuzzyIndex {
        self.fuzzy
            .flat_uris
            .get_or_init(|| FuzzyIndex::new(b"/-", self.uri_names()))
    }

    fn ids_index(&self) -> &FuzzyIndex {
        self.fuzzy.ids.get_or_init(|| {
            FuzzyIndex::new(
                b"-",
                self.by_id
                    .iter()
                    .filter_map(|(id, pages)| Some((id.as_str(), u32::try_from(pages[0]).ok()?))),
            )
            .with_segment_gaps()
        })
    }

    /// The one page of `found` that is not `from`, if there is exactly one.
    fn unique_other(&self, found: &[u32], from: &NotFrom<'_>) -> Option<Uri> {
        let others: Vec<&Uri> = found
            .iter()
            .map(|&i| &self.pages[i as usize].uri)
            .filter(|u| !from.is(u))
            .collect();
        match others[..] {
            [only] => Some(only.clone()),
            _ => None,
        }
    }
}

/// A hash of `s`.
fn hash(s: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(s)
}

/// A hash of `s` with case folded, computed without folding it into a new string.
fn folded_hash(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    for c in s.chars().flat_map(char::to_lowercase) {
        hasher.write_u32(c as u32);
    }
    hasher.finish()
}

/// Pages by the folded hash of their names.
fn folded_map<'a>(names: impl Iterator<Item = (&'a str, &'a Vec<usize>)>) -> HashIndex {
    HashIndex::new(
        names
            .flat_map(|(name, pages)| {
                let h = folded_hash(name);
                pages
                    .iter()
                    .filter_map(move |&i| Some((h, u32::try_from(i).ok()?)))
            })
            .collect(),
    )
}

/// Pages by a hash of a name: sorted (hash, page) pairs, 16 bytes a page and no allocation
/// each (100,000 pages), found by binary search. A hash may collide: callers compare the
/// names of the pages found.
struct HashIndex(Vec<(u64, u32)>);

impl HashIndex {
    fn new(mut pairs: Vec<(u64, u32)>) -> HashIndex {
        pairs.sort_unstable();
        pairs.dedup();
        pairs.shrink_to_fit();
        HashIndex(pairs)
    }

    /// The pages under hash `h`, in page order.
    fn get(&self, h: u64) -> impl Iterator<Item = usize> + '_ {
        let start = self.0.partition_point(|&(k, _)| k < h);
        self.0[start..]
            .iter()
            .take_while(move |&&(k, _)| k == h)
            .map(|&(_, i)| i as usize)
    }
}

/// The words of a title or of a slug, in lower case, without the small words slugs drop.
fn title_words(text: &str) -> Vec<String> {
    const SMALL: [&str; 8] = ["and", "the", "of", "a", "an", "for", "in", "to"];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !SMALL.contains(&w.as_str()))
        .collect()
}

/// What a help adds when a URI is offered but not certain: its topic has other pages, or the
/// match needed more than a typo.
fn doubt(how: How, below: bool) -> &'static str {
    if below {
        "; the site has several pages on this topic: check it is the one meant"
    } else if !how.typo_only() {
        "; check it is the page meant"
    } else {
        ""
    }
}
