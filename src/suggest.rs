//! Finding the closest existing name to a mistyped one, fast on sites of any size.
//!
//! Names (URIs, page ids) are split at a separator (`/`, `-`) into a trie of segments. A query
//! walks the trie comparing its segments with each level's children under an edit budget: a typo
//! inside one or two segments is found after comparing with a handful of siblings per level,
//! instead of with every name of the site. The distance is the sum of the segments' edit
//! distances (the plain edit distance whenever the typo does not add or drop a separator).

use std::collections::BTreeMap;

/// A set of names, searchable by segment-wise edit distance.
#[derive(Debug, Default)]
pub struct FuzzyIndex {
    separator: char,
    root: Node,
}

#[derive(Debug, Default)]
struct Node {
    children: BTreeMap<Box<str>, Node>,
    /// The entry that ends here.
    entry: Option<u32>,
}

impl FuzzyIndex {
    /// Index `(name, entry)` pairs; names are split at `separator`.
    pub fn new<'a>(separator: char, names: impl IntoIterator<Item = (&'a str, u32)>) -> Self {
        let mut root = Node::default();
        for (name, entry) in names {
            let mut node = &mut root;
            for segment in name.split(separator) {
                node = node.children.entry(segment.into()).or_default();
            }
            node.entry.get_or_insert(entry);
        }
        FuzzyIndex { separator, root }
    }

    /// The entries closest to `query`, all at the same smallest distance, if that distance is at
    /// most `limit` (a distance of 0 means the name itself).
    pub fn closest(&self, query: &str, limit: usize) -> Option<(usize, Vec<u32>)> {
        let segments: Vec<&str> = query.split(self.separator).collect();
        let mut best = Best {
            distance: limit,
            entries: Vec::new(),
        };
        search(&self.root, &segments, 0, &mut best);
        if best.entries.is_empty() {
            return None;
        }
        best.entries.sort_unstable();
        best.entries.dedup();
        Some((best.distance, best.entries))
    }
}

struct Best {
    /// The smallest distance found so far (or the limit, before anything is found).
    distance: usize,
    entries: Vec<u32>,
}

fn search(node: &Node, rest: &[&str], cost: usize, best: &mut Best) {
    let Some((first, tail)) = rest.split_first() else {
        if let Some(entry) = node.entry {
            if cost < best.distance || best.entries.is_empty() {
                best.distance = cost;
                best.entries.clear();
            }
            if cost == best.distance {
                best.entries.push(entry);
            }
        }
        return;
    };
    // The exact child first: it sets a low bound that prunes the fuzzy ones.
    if let Some(child) = node.children.get(*first) {
        search(child, tail, cost, best);
    }
    for (name, child) in &node.children {
        if **name == **first {
            continue;
        }
        let budget = best.distance.saturating_sub(cost);
        if budget == 0 {
            break;
        }
        if let Some(d) = bounded_levenshtein(first, name, budget) {
            search(child, tail, cost + d, best);
        }
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
    if a.is_ascii() && b.is_ascii() {
        bounded(a.as_bytes(), b.as_bytes(), limit)
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        bounded(&a, &b, limit)
    }
}

fn bounded<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
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

    #[test]
    fn the_trie_finds_typos_in_any_segment_and_reports_ties() {
        let names = [
            "/diagnosis/a-z/cancer/facial-skin",
            "/diagnosis/a-z/cancer/mouth-cancer",
            "/treatment/surgery/bone-lesion",
            "/a/bb",
            "/a/cc",
        ];
        let index = FuzzyIndex::new('/', names.iter().copied().zip(0..));
        assert_eq!(
            index.closest("/diagnosis/a-z/cancer/facial-skn", 3),
            Some((1, vec![0]))
        );
        assert_eq!(
            index.closest("/diagnosis/a-z/cancr/facial-skn", 3),
            Some((2, vec![0]))
        );
        assert_eq!(
            index.closest("/treatment/surgery/bone-lesions", 3),
            Some((1, vec![2]))
        );
        assert_eq!(index.closest("/a/bc", 2), Some((1, vec![3, 4])));
        assert_eq!(index.closest("/elsewhere/entirely", 4), None);
        assert_eq!(index.closest("/a/bb", 4), Some((0, vec![3])));
    }
}
