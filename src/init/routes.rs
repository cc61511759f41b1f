//! Likely routes: the unresolved links of a first check, grouped by what could account for
//! many of them at once — the home page `/`, an extension (`**/*.pdf`), a sub-path under many
//! pages (`/<page>/feedback`, for `site.page_suffixes`), a path prefix under which links name
//! many paths and pages few or none (`/help/physiotherapy/videos/**`), or one path that many
//! pages link to. Links pagelint has a suggestion for are typos, not routes, and are left
//! out. Init writes these commented out, with their counts, for a maintainer to decide. Pure.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// An internal link that reached nothing.
#[derive(Debug, Clone)]
pub struct Unresolved {
    /// The target, normalized (`/a/b`).
    pub uri: String,
    /// The page it is on.
    pub page: String,
    /// Whether pagelint suggests a page for it (a typo, then).
    pub suggested: bool,
}

/// What a group of unresolved links has in common.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// One path (`site.ignore_links`).
    Exact,
    /// Everything under a path (`site.ignore_links`: `/a/b/**`).
    Prefix,
    /// Every path with an extension (`site.ignore_links`: `**/*.pdf`).
    Extension,
    /// A last segment under many pages (`site.page_suffixes`).
    Suffix,
    /// Paths a server generates (`site.routes`): listings of folders that hold pages but are
    /// none, and their numbered pages (`/en/blog/[dir:folder]/page/[n:digits]`).
    Generated,
}

/// A group of unresolved links that one entry of the config would account for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub kind: Kind,
    /// The glob for `site.ignore_links`, the segment for `site.page_suffixes`, or the route
    /// for `site.routes`.
    pub pattern: String,
    pub links: usize,
    /// Distinct pages the links are on.
    pub pages: usize,
    /// Distinct targets, most linked first (at most `EXAMPLES`), and how many there are.
    pub examples: Vec<String>,
    pub paths: usize,
}

/// How many links a group needs.
const MIN_LINKS: usize = 3;
/// How many pages a sub-path must be found under.
const MIN_SUFFIX_PARENTS: usize = 3;
/// How many links, from how many pages, one path needs to be a route by itself.
const MIN_EXACT_LINKS: usize = 5;
const MIN_EXACT_PAGES: usize = 3;
/// How many targets a group lists as examples.
const EXAMPLES: usize = 2;

/// Group `unresolved` (in any order) against the URIs of the site's pages; the groups come
/// most links first.
pub fn group(unresolved: &[Unresolved], pages: &HashSet<String>) -> Vec<Route> {
    let mut pool: Vec<&Unresolved> = unresolved
        .iter()
        .filter(|u| !u.suggested && u.uri.starts_with('/') && !has_glob_meta(&u.uri))
        .collect();
    let mut routes = Vec::new();
    // The home page, when no page is it: the server answers it.
    take(&mut pool, &mut routes, Kind::Exact, |u| {
        (u.uri == "/").then(|| "/".to_owned())
    });
    // Listings of folders the site has pages in, before prefixes would take them wholesale.
    let parents: HashSet<&str> = pages.iter().flat_map(|p| proper_prefixes(p)).collect();
    let shape = |u: &Unresolved| generated(&u.uri, pages, &parents);
    let shapes = accepted(&pool, shape, |links, paths| {
        links >= MIN_LINKS && paths >= 2
    });
    take(&mut pool, &mut routes, Kind::Generated, |u| {
        shape(u).filter(|p| shapes.contains(p))
    });
    let ext = |u: &Unresolved| extension(&u.uri).map(|e| format!("**/*.{e}"));
    let extensions = accepted(&pool, ext, |links, paths| links >= MIN_LINKS && paths >= 2);
    take(&mut pool, &mut routes, Kind::Extension, |u| {
        ext(u).filter(|p| extensions.contains(p))
    });
    let suffixes = page_suffixes(&pool, pages);
    take(&mut pool, &mut routes, Kind::Suffix, |u| {
        let (parent, last) = u.uri.rsplit_once('/')?;
        (pages.contains(parent) && suffixes.contains(last)).then(|| last.to_owned())
    });
    let prefixes = prefixes(&pool, pages);
    take(&mut pool, &mut routes, Kind::Prefix, |u| {
        proper_prefixes(&u.uri)
            .find(|p| prefixes.contains(*p))
            .map(|p| format!("{p}/**"))
    });
    let exact = accepted(&pool, |u| Some(u.uri.clone()), |_, _| true);
    let mut pages_of: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut links_of: HashMap<&str, usize> = HashMap::new();
    for u in &pool {
        pages_of.entry(&u.uri).or_default().insert(&u.page);
        *links_of.entry(&u.uri).or_default() += 1;
    }
    take(&mut pool, &mut routes, Kind::Exact, |u| {
        let many = links_of
            .get(u.uri.as_str())
            .is_some_and(|n| *n >= MIN_EXACT_LINKS)
            && pages_of
                .get(u.uri.as_str())
                .is_some_and(|p| p.len() >= MIN_EXACT_PAGES);
        (many && exact.contains(&u.uri)).then(|| u.uri.clone())
    });
    routes.sort_by(|a, b| b.links.cmp(&a.links).then(a.pattern.cmp(&b.pattern)));
    routes
}

/// Patterns (from `key`) whose links and distinct targets `accept` takes.
fn accepted(
    pool: &[&Unresolved],
    key: impl Fn(&Unresolved) -> Option<String>,
    accept: impl Fn(usize, usize) -> bool,
) -> HashSet<String> {
    let mut by: BTreeMap<String, (usize, HashSet<&str>)> = BTreeMap::new();
    for u in pool {
        if let Some(k) = key(u) {
            let e = by.entry(k).or_default();
            e.0 += 1;
            e.1.insert(&u.uri);
        }
    }
    by.into_iter()
        .filter(|(_, (links, paths))| accept(*links, paths.len()))
        .map(|(k, _)| k)
        .collect()
}

/// Move the links `pattern` gives a pattern to from `pool` into groups of `kind`.
fn take(
    pool: &mut Vec<&Unresolved>,
    routes: &mut Vec<Route>,
    kind: Kind,
    pattern: impl Fn(&Unresolved) -> Option<String>,
) {
    let mut groups: BTreeMap<String, Vec<&Unresolved>> = BTreeMap::new();
    pool.retain(|u| match pattern(u) {
        Some(p) => {
            groups.entry(p).or_default().push(u);
            false
        }
        None => true,
    });
    for (pattern, links) in groups {
        let pages: BTreeSet<&str> = links.iter().map(|u| u.page.as_str()).collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for u in &links {
            *counts.entry(&u.uri).or_default() += 1;
        }
        let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        routes.push(Route {
            kind,
            pattern,
            links: links.len(),
            pages: pages.len(),
            paths: by_count.len(),
            examples: by_count
                .iter()
                .take(EXAMPLES)
                .map(|(u, _)| (*u).to_owned())
                .collect(),
        });
    }
}

/// Last segments found under at least `MIN_SUFFIX_PARENTS` pages, with enough links, that
/// no page has as its own last segment (`/a/aftercare` missing where `/b/aftercare` exists
/// is a missing page, not a route).
fn page_suffixes(pool: &[&Unresolved], pages: &HashSet<String>) -> HashSet<String> {
    let own_last: HashSet<&str> = pages.iter().filter_map(|p| p.rsplit('/').next()).collect();
    let mut by_last: BTreeMap<&str, (usize, HashSet<&str>)> = BTreeMap::new();
    for u in pool {
        if let Some((parent, last)) = u.uri.rsplit_once('/')
            && !parent.is_empty()
            && pages.contains(parent)
        {
            let e = by_last.entry(last).or_default();
            e.0 += 1;
            e.1.insert(parent);
        }
    }
    by_last
        .into_iter()
        .filter(|(last, (links, parents))| {
            *links >= MIN_LINKS && parents.len() >= MIN_SUFFIX_PARENTS && !own_last.contains(last)
        })
        .map(|(last, _)| last.to_owned())
        .collect()
}

/// Prefixes under which the links name more paths than there are pages: at least two
/// paths where no page is, at least three (and more than the pages) where some are.
fn prefixes(pool: &[&Unresolved], pages: &HashSet<String>) -> HashSet<String> {
    // The children of each prefix that hold or are pages.
    let mut live: HashMap<&str, HashSet<&str>> = HashMap::new();
    for page in pages {
        for p in proper_prefixes(page) {
            if let Some(child) = page[p.len() + 1..].split('/').next() {
                live.entry(p).or_default().insert(child);
            }
        }
    }
    let mut broken: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for u in pool {
        for p in proper_prefixes(&u.uri) {
            let child = u.uri[p.len() + 1..].split('/').next().unwrap_or("");
            let e = broken.entry(p).or_default();
            e.0 += 1;
            if !live.get(p).is_some_and(|l| l.contains(child)) {
                e.1.insert(child);
            }
        }
    }
    broken
        .into_iter()
        .filter(|(p, (links, children))| {
            let live = live.get(p).map_or(0, HashSet::len);
            *links >= MIN_LINKS
                && if live == 0 {
                    children.len() >= 2
                } else {
                    children.len() >= 3 && children.len() > live
                }
        })
        .map(|(p, _)| p.to_owned())
        .collect()
}

/// The route a server generating listings would answer `uri` by: each segment whose path so
/// far holds pages but is none becomes `[dir:folder]`, each number `[n:digits]`, the rest
/// stays; `None` when nothing does (the link is to a missing page, not a listing), or when the
/// path ends in a literal segment the site has no folder for (a missing page under a listing).
fn generated(uri: &str, pages: &HashSet<String>, parents: &HashSet<&str>) -> Option<String> {
    let mut out = String::new();
    let (mut folders, mut numbers) = (0, 0);
    let segments: Vec<&str> = uri.trim_start_matches('/').split('/').collect();
    // The path up to each segment, and whether it is a folder of pages but no page itself.
    let mut end = 0;
    let steps: Vec<(&str, bool)> = segments
        .iter()
        .map(|seg| {
            end += 1 + seg.len();
            let so_far = &uri[..end];
            (*seg, parents.contains(so_far) && !pages.contains(so_far))
        })
        .collect();
    // Only the deepest folder is the listing's: the ones above it are the site's sections.
    let listing = steps.iter().rposition(|(_, folder)| *folder);
    for (i, (seg, _)) in steps.iter().enumerate() {
        out.push('/');
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            numbers += 1;
            out.push_str(&placeholder("n", numbers, "digits"));
        } else if Some(i) == listing {
            folders += 1;
            out.push_str(&placeholder("dir", folders, "folder"));
        } else if i + 1 == steps.len() && listing == Some(i.wrapping_sub(1)) {
            // `/en/blog/release/v3` is a missing page in the folder, not a listing.
            return None;
        } else {
            out.push_str(seg);
        }
    }
    (folders + numbers > 0 && !has_glob_meta(&out.replace(['[', ']'], ""))).then_some(out)
}

/// `[dir]`, or `[dir2]` for the second of its kind, with its constraint.
fn placeholder(name: &str, nth: usize, constraint: &str) -> String {
    if nth == 1 {
        format!("[{name}:{constraint}]")
    } else {
        format!("[{name}{nth}:{constraint}]")
    }
}

/// `/a`, `/a/b` of `/a/b/c`: the prefixes of a path above it, shallowest first.
fn proper_prefixes(uri: &str) -> impl Iterator<Item = &str> {
    uri.match_indices('/')
        .map(|(i, _)| i)
        .filter(|&i| i > 0)
        .map(move |i| &uri[..i])
}

/// The extension of a path's last segment, when it has one that is not a number
/// (`v20.0.0` is a version, not a file).
fn extension(uri: &str) -> Option<&str> {
    let last = uri.rsplit('/').next()?;
    let (stem, ext) = last.rsplit_once('.')?;
    let ok = !stem.is_empty()
        && (1..=5).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        && !ext.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(ext)
}

/// Whether a path holds characters a glob would read as more than themselves (or that
/// would need quoting in the config): such paths are left for a person.
fn has_glob_meta(s: &str) -> bool {
    s.contains(['*', '?', '[', ']', '{', '}', '\\', '"', '!'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(spec: &[(&str, &str, usize)]) -> Vec<Unresolved> {
        spec.iter()
            .flat_map(|(uri, page, n)| {
                (0..*n).map(move |i| Unresolved {
                    uri: (*uri).to_owned(),
                    page: format!("{page}{i}"),
                    suggested: false,
                })
            })
            .collect()
    }

    fn patterns(routes: &[Route]) -> Vec<(Kind, &str, usize)> {
        routes
            .iter()
            .map(|r| (r.kind, r.pattern.as_str(), r.links))
            .collect()
    }

    #[test]
    fn links_group_by_what_accounts_for_many_of_them() {
        let pages: HashSet<String> = [
            "/help",
            "/help/a",
            "/help/b",
            "/help/c",
            "/help/videos",
            "/help/videos/one",
            "/x/y",
            "/x/y/aftercare",
        ]
        .map(String::from)
        .into();
        let mut u = links(&[
            ("/", "p", 2),
            ("/help/videos/two", "p", 2),
            ("/help/videos/three", "p", 1),
            ("/help/videos/four", "p", 1),
            ("/help/a/feedback", "p", 1),
            ("/help/b/feedback", "p", 1),
            ("/help/c/feedback", "p", 1),
            ("/files/a.pdf", "p", 2),
            ("/b.pdf", "p", 1),
            ("/help/a/aftercare", "p", 1),
            ("/help/b/aftercare", "p", 1),
            ("/help/c/aftercare", "p", 1),
            ("/shop", "p", 6),
            ("/lonely", "p", 4),
            ("/gone/one", "p", 1),
            ("/gone/two", "p", 2),
        ]);
        u.push(Unresolved {
            uri: "/hlep".into(),
            page: "q".into(),
            suggested: true,
        });
        let routes = group(&u, &pages);
        assert_eq!(
            patterns(&routes),
            [
                (Kind::Exact, "/shop", 6),
                (Kind::Prefix, "/help/videos/**", 4),
                (Kind::Extension, "**/*.pdf", 3),
                (Kind::Prefix, "/gone/**", 3),
                (Kind::Suffix, "feedback", 3),
                (Kind::Exact, "/", 2),
            ]
        );
        let videos = routes
            .iter()
            .find(|r| r.pattern == "/help/videos/**")
            .expect("videos");
        assert_eq!((videos.paths, videos.pages), (3, 2));
        assert_eq!(videos.examples, ["/help/videos/two", "/help/videos/four"]);
    }

    #[test]
    fn listings_of_folders_with_pages_are_proposed_as_routes() {
        let pages: HashSet<String> = [
            "/en",
            "/en/blog",
            "/en/blog/release/v1",
            "/en/blog/release/v2",
            "/en/blog/events/meetup",
        ]
        .map(String::from)
        .into();
        let u = links(&[
            ("/en/blog/release", "p", 2),
            ("/en/blog/events", "p", 1),
            ("/en/blog/release/page/2", "p", 2),
            ("/en/blog/events/page/3", "p", 1),
            // A missing post is a broken link, not a listing.
            ("/en/blog/release/v3", "p", 3),
            ("/en/blog/relase", "p", 1),
        ]);
        let routes = group(&u, &pages);
        assert_eq!(
            patterns(&routes)[..2],
            [
                (Kind::Generated, "/en/blog/[dir:folder]", 3),
                (Kind::Generated, "/en/blog/[dir:folder]/page/[n:digits]", 3),
            ]
        );
        assert!(
            routes
                .iter()
                .all(|r| !r.examples.contains(&"/en/blog/relase".to_owned())),
            "{routes:?}"
        );
        assert_eq!(
            generated(
                "/en/blog/release/v3",
                &pages,
                &pages.iter().flat_map(|p| proper_prefixes(p)).collect()
            ),
            None
        );
    }

    #[test]
    fn versions_are_not_extensions_and_prefixes_are_above_the_path() {
        assert_eq!(extension("/a/b.PDF"), Some("PDF"));
        assert_eq!(extension("/en/blog/v20.0.0"), None);
        assert_eq!(extension("/a/.hidden"), None);
        assert_eq!(
            proper_prefixes("/a/b/c").collect::<Vec<_>>(),
            ["/a", "/a/b"]
        );
        assert_eq!(proper_prefixes("/a").count(), 0);
    }
}
