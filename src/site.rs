//! `SiteIndex`: every page by URI and by id — whether a target exists, which anchors it has,
//! which pages share a URI or id, and which existing URI a broken link most likely meant.

use crate::page::Page;
use crate::uri::Uri;
use std::collections::HashMap;

/// The pages of a site, indexed.
pub struct SiteIndex {
    pub pages: Vec<Page>,
    by_uri: HashMap<Uri, Vec<usize>>,
    /// Other addresses of path-addressed pages (`/a/b.html`, `/a/b/index.html`).
    aliases: HashMap<Uri, usize>,
    by_id: HashMap<String, Vec<usize>>,
    by_last_segment: HashMap<String, Vec<usize>>,
    /// Every URI, sorted, for suggestions.
    uris: Vec<Uri>,
    /// Sub-paths the server answers under every page (`feedback` for `/<page>/feedback`).
    page_suffixes: Vec<String>,
}

/// A likely intended page for a broken link, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub uri: Uri,
    pub reason: String,
}

impl SiteIndex {
    /// Index `pages`; `id_field` names the front-matter field holding a page's id, and
    /// `page_suffixes` the sub-paths the server answers under every page.
    pub fn new(pages: Vec<Page>, id_field: &str, page_suffixes: &[String]) -> SiteIndex {
        let mut by_uri: HashMap<Uri, Vec<usize>> = HashMap::with_capacity(pages.len());
        let mut aliases = HashMap::new();
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::with_capacity(pages.len());
        let mut by_last_segment: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, page) in pages.iter().enumerate() {
            if page.unread && page.uri_from_path {
                // Nothing is known of an unreadable page; it claims no URI.
                continue;
            }
            by_uri.entry(page.uri.clone()).or_default().push(i);
            by_last_segment
                .entry(page.uri.last_segment().to_owned())
                .or_default()
                .push(i);
            if page.uri_from_path {
                aliases.entry(Uri::from_path(&page.rel)).or_insert(i);
            }
            if let Some(id) = page.text(id_field).map(|s| s.trim().to_owned())
                && !id.is_empty()
            {
                by_id.entry(id).or_default().push(i);
            }
        }
        let mut uris: Vec<Uri> = by_uri.keys().cloned().collect();
        uris.sort();
        SiteIndex {
            pages,
            by_uri,
            aliases,
            by_id,
            by_last_segment,
            uris,
            page_suffixes: page_suffixes
                .iter()
                .map(|s| s.trim_matches('/').to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }

    /// Whether the site answers `uri`: a page, or a page's configured sub-path.
    pub fn answers(&self, uri: &Uri) -> bool {
        self.lookup(uri).is_some()
            || self.page_suffixes.iter().any(|suffix| {
                uri.as_str()
                    .strip_suffix(suffix.as_str())
                    .and_then(|rest| rest.strip_suffix('/'))
                    .is_some_and(|parent| self.lookup(&Uri::from_path(parent)).is_some())
            })
    }

    /// The page served at `uri`, if any (the first, when several claim it).
    pub fn lookup(&self, uri: &Uri) -> Option<&Page> {
        let i = match self.by_uri.get(uri) {
            Some(v) => v[0],
            None => *self.aliases.get(uri)?,
        };
        Some(&self.pages[i])
    }

    /// All pages claiming `uri`.
    pub fn pages_at(&self, uri: &Uri) -> &[usize] {
        self.by_uri.get(uri).map_or(&[], Vec::as_slice)
    }

    /// All pages with this id.
    pub fn pages_with_id(&self, id: &str) -> &[usize] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }

    /// The page most likely meant by a link to the missing `uri`, when there is a confident
    /// answer: a page id written instead of a URI, a near-miss typo, or a page with the same
    /// name under another parent.
    /// `from` is the linking page, which is never suggested.
    pub fn suggest(&self, uri: &Uri, from: &Uri) -> Option<Suggestion> {
        self.suggest_any(uri, from).filter(|s| s.uri != *from)
    }

    fn suggest_any(&self, uri: &Uri, from: &Uri) -> Option<Suggestion> {
        let written = uri.as_str().trim_start_matches('/');
        let last = uri.last_segment();
        // 1. The link names a page by its id.
        for candidate in [written, last] {
            if let [i] = self.pages_with_id(candidate) {
                let target = &self.pages[*i].uri;
                return Some(Suggestion {
                    uri: target.clone(),
                    reason: format!("`{candidate}` is the id of the page at {target}"),
                });
            }
        }
        // 2. A typo: the one URI within a small edit distance.
        let limit = (uri.as_str().chars().count() / 12 + 1).min(4);
        if let Some(target) = self.closest_uri(uri, from, limit) {
            return Some(Suggestion {
                reason: format!("{target} is the closest existing URI"),
                uri: target,
            });
        }
        // 3. The page moved: one page has the same last segment.
        if !last.is_empty()
            && let Some([i]) = self.by_last_segment.get(last).map(Vec::as_slice)
        {
            let target = &self.pages[*i].uri;
            return Some(Suggestion {
                uri: target.clone(),
                reason: format!("the only page named `{last}` is at {target}"),
            });
        }
        // 4. A typo in a page id.
        let id_limit = (last.chars().count() / 12 + 1).min(3);
        let id = closest(last, self.by_id.keys().map(String::as_str), id_limit)?;
        let [i] = self.pages_with_id(id) else {
            return None;
        };
        let target = &self.pages[*i].uri;
        Some(Suggestion {
            uri: target.clone(),
            reason: format!("`{last}` is close to `{id}`, the id of the page at {target}"),
        })
    }

    /// The unique URI closest to `uri` within `limit` edits.
    fn closest_uri(&self, uri: &Uri, from: &Uri, limit: usize) -> Option<Uri> {
        let candidates = self.uris.iter().filter(|u| *u != from).map(Uri::as_str);
        let found = closest(uri.as_str(), candidates, limit)?;
        self.uris.iter().find(|u| u.as_str() == found).cloned()
    }
}

/// The closest of `candidates` to `word` within `limit` edits, if exactly one is closest.
pub fn closest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
    limit: usize,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for c in candidates {
        let Some(d) = bounded_levenshtein(word, c, limit) else {
            continue;
        };
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    match (best, tie) {
        (Some((_, c)), false) => Some(c),
        _ => None,
    }
}

/// Levenshtein distance between `a` and `b` if it is at most `limit` (in characters).
pub fn bounded_levenshtein(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (la, lb) = (a.len(), b.len());
    // Byte lengths bound character lengths within a factor; a quick reject on ASCII.
    if la.abs_diff(lb) > limit * 4 {
        return None;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_levenshtein_matches_the_plain_distance_within_the_limit() {
        for (a, b) in [
            ("facial-skin", "facial-skn"),
            ("kitten", "sitting"),
            ("", "abc"),
            ("café", "cafe"),
            ("same", "same"),
        ] {
            let d = strsim::levenshtein(a, b);
            assert_eq!(bounded_levenshtein(a, b, d), Some(d), "{a} {b}");
            if d > 0 {
                assert_eq!(bounded_levenshtein(a, b, d - 1), None, "{a} {b}");
            }
        }
    }

    #[test]
    fn closest_needs_a_unique_winner() {
        let words = ["cervicofacial-abscess", "ludwigs-angina"];
        assert_eq!(
            closest("ludwig-angina", words.iter().copied(), 3),
            Some("ludwigs-angina")
        );
        assert_eq!(closest("ab", ["aa", "bb"].iter().copied(), 1), None);
        assert_eq!(closest("zzz", words.iter().copied(), 2), None);
    }
}
