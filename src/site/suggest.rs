//! Finding the closest existing name to a mistyped one, fast on sites of any size.
//!
//! Names (URIs, page ids) are split at a separator (`/`, `-`) into a trie of segments. A query
//! walks the trie comparing its segments with each level's children under an edit budget: a typo
//! inside one or two segments is found after comparing with a handful of siblings per level,
//! instead of with every name of the site. The distance is the sum of the segments' costs,
//! ranked by what editors get wrong: a character typo costs its edit distance; where segments
//! are words (ids), a word whose number differs (`level3` for `level1`) costs 2 more than its
//! edits, since it names another page, a word written short or long (`misc` for
//! `miscellaneous`) costs 1, and one whole word dropped from the name, or a number or level
//! (`-level1`) added at its end, costs 2. Each match says what it needed (`Found::how`; a
//! differing number is noted in URIs too), so that a caller can tell a typo from
//! a guess.

/// A set of names, searchable by segment-wise edit distance. The trie is flat: nodes sit in
/// one vector with each node's children contiguous and sorted, and segment text in one string,
/// so a site of 100,000 pages costs a few allocations, not hundreds of thousands.
#[derive(Debug, Default)]
pub struct FuzzyIndex {
    separators: &'static [u8],
    /// Whether segments are words (ids split at `-`): a query may then write a word short or
    /// long, and add or drop one whole word (`-level1` added, a word left out).
    segment_gaps: bool,
    text: String,
    nodes: Vec<Node>,
    /// The entries of all names, grouped by node.
    entries: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// The segment: `text[start..start + len]`.
    start: u32,
    len: u32,
    /// The children: `nodes[children..children + count]`, sorted by segment.
    children: u32,
    count: u32,
    /// The entries whose name ends here: `entries[first..first + ends]`.
    first: u32,
    ends: u32,
    /// Which characters the segment holds (see `char_mask`).
    mask: u64,
}

/// A set of characters in 64 bits (by code point modulo 64). Every character of one string
/// that the other lacks costs at least one edit, and sharing a bit never hides a lack, so
/// `(a & !b).count_ones()` is a lower bound of the edit distance: a free filter before the
/// real distance.
fn char_mask(s: &str) -> u64 {
    s.chars().fold(0, |m, c| m | 1 << (c as u32 % 64))
}

impl FuzzyIndex {
    /// Index `(name, entry)` pairs; names are split at any of `separators` (ASCII). Several
    /// entries may share a name (then a search finds them all, a tie).
    pub fn new<'a>(
        separators: &'static [u8],
        names: impl IntoIterator<Item = (&'a str, u32)>,
    ) -> Self {
        // Sorted as segment lists would sort: a separator sorts before any other byte.
        let key = |b: u8| if separators.contains(&b) { 0 } else { b };
        let mut items: Vec<(&str, u32)> = names.into_iter().collect();
        items.sort_unstable_by(|a, b| {
            a.0.bytes()
                .map(key)
                .cmp(b.0.bytes().map(key))
                .then(a.1.cmp(&b.1))
        });
        // Where each item's next segment starts (past its end: the name ended above).
        let mut cursor: Vec<u32> = vec![0; items.len()];
        let segment_at = |name: &'a str, at: u32| -> Option<&'a str> {
            let at = at as usize;
            if at > name.len() {
                return None;
            }
            let rest = &name[at..];
            let end = rest
                .bytes()
                .position(|b| separators.contains(&b))
                .unwrap_or(rest.len());
            Some(&rest[..end])
        };
        // Exactly as many nodes as distinct segment prefixes: counted on the sorted names (a
        // name adds the segments past what it shares with the one before), so the vectors are
        // allocated once, not doubled and copied (this matters on sites of 100,000 pages).
        let (mut node_count, mut text_len) = (1usize, 0usize);
        let split =
            |name: &'a str| name.split(|c: char| c.is_ascii() && separators.contains(&(c as u8)));
        let mut previous: Option<&str> = None;
        for (name, _) in &items {
            let shared = previous.map_or(0, |p| {
                split(p)
                    .zip(split(name))
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            for segment in split(name).skip(shared) {
                node_count += 1;
                text_len += segment.len();
            }
            previous = Some(name);
        }
        // Offsets and counts are 32-bit: an index they cannot hold is left empty (no
        // suggestion at all, never one to the wrong name); below the bound every `as u32`
        // here is exact.
        let limit = u32::MAX as usize;
        if text_len + items.len() >= limit
            || node_count >= limit
            || items.iter().any(|(n, _)| n.len() >= limit)
        {
            items.clear();
            node_count = 1;
            text_len = 0;
        }
        let mut nodes = Vec::with_capacity(node_count);
        nodes.push(Node {
            start: 0,
            len: 0,
            children: 0,
            count: 0,
            first: 0,
            ends: 0,
            mask: 0,
        });
        let mut index = FuzzyIndex {
            separators,
            segment_gaps: false,
            text: String::with_capacity(text_len),
            nodes,
            entries: Vec::with_capacity(items.len()),
        };
        // Breadth-first: each node's children are laid out together, in sorted order.
        let mut queue = std::collections::VecDeque::from([(0usize, 0usize, items.len())]);
        while let Some((node, from, to)) = queue.pop_front() {
            let first_child = index.nodes.len();
            let mut i = from;
            while i < to {
                let Some(segment) = segment_at(items[i].0, cursor[i]) else {
                    // A name ends at this node (sorted first among the node's items).
                    if index.nodes[node].ends == 0 {
                        index.nodes[node].first = index.entries.len() as u32;
                    }
                    index.entries.push(items[i].1);
                    index.nodes[node].ends += 1;
                    i += 1;
                    continue;
                };
                let mut j = i;
                while j < to && segment_at(items[j].0, cursor[j]) == Some(segment) {
                    cursor[j] += segment.len() as u32 + 1;
                    j += 1;
                }
                let start = index.text.len() as u32;
                index.text.push_str(segment);
                index.nodes.push(Node {
                    start,
                    len: segment.len() as u32,
                    children: 0,
                    count: 0,
                    first: 0,
                    ends: 0,
                    mask: char_mask(segment),
                });
                queue.push_back((index.nodes.len() - 1, i, j));
                i = j;
            }
            index.nodes[node].children = first_child as u32;
            index.nodes[node].count = (index.nodes.len() - first_child) as u32;
        }
        debug_assert_eq!(index.nodes.len(), node_count, "nodes were counted exactly");
        index
    }

    fn segment(&self, node: &Node) -> &str {
        &self.text[node.start as usize..(node.start + node.len) as usize]
    }

    fn children(&self, node: &Node) -> &[Node] {
        &self.nodes[node.children as usize..(node.children + node.count) as usize]
    }

    /// This index with segments taken as words (see the module's paragraph).
    pub fn with_segment_gaps(mut self) -> Self {
        self.segment_gaps = true;
        self
    }

    /// The entries closest to `query`, all at the same smallest distance, if that distance is at
    /// most `limit` (a distance of 0 means the name itself).
    pub fn closest(&self, query: &str, limit: usize) -> Option<(usize, Vec<u32>)> {
        self.closest_found(query, limit)
            .map(|found| (found.distance, found.entries))
    }

    /// As `closest`, with what the match needed besides character typos.
    pub fn closest_found(&self, query: &str, limit: usize) -> Option<Found> {
        let segments: Vec<(&str, u64)> = query
            .split(|c: char| c.is_ascii() && self.separators.contains(&(c as u8)))
            .map(|s| (s, char_mask(s)))
            .collect();
        let mut best = Best {
            distance: limit,
            entries: Vec::new(),
            how: How::default(),
        };
        self.search(&self.nodes[0], &segments, 0, How::default(), &mut best);
        if best.entries.is_empty() {
            return None;
        }
        best.entries.sort_unstable();
        best.entries.dedup();
        Some(Found {
            distance: best.distance,
            entries: best.entries,
            how: best.how,
        })
    }

    fn search(&self, node: &Node, rest: &[(&str, u64)], cost: usize, how: How, best: &mut Best) {
        let gaps = self.segment_gaps && !how.added && !how.dropped;
        // A last word of the query that the name lacks, when it is a number or a level
        // (`-level1` added to an id without one): other words say what the page is about.
        if gaps
            && rest.len() == 1
            && node.len > 0
            && digits(rest[0].0).next().is_some()
            && cost + GAP_COST <= best.distance
        {
            let added = How { added: true, ..how };
            self.search(node, &[], cost + GAP_COST, added, best);
        }
        let Some((&(first, mask), tail)) = rest.split_first() else {
            if node.ends > 0 {
                if cost < best.distance || best.entries.is_empty() {
                    best.distance = cost;
                    best.entries.clear();
                    best.how = How::default();
                }
                if cost == best.distance {
                    let at = node.first as usize;
                    best.entries
                        .extend_from_slice(&self.entries[at..at + node.ends as usize]);
                    best.how = best.how.or(how);
                }
            }
            // A last word of the name that the query left out.
            if gaps && cost + GAP_COST <= best.distance {
                let dropped = How {
                    dropped: true,
                    ..how
                };
                for child in self.children(node) {
                    if child.ends > 0 {
                        self.search(child, rest, cost + GAP_COST, dropped, best);
                    }
                }
            }
            return;
        };
        let children = self.children(node);
        // The exact child first: it sets a low bound that prunes the fuzzy ones.
        let exact = children
            .binary_search_by(|c| self.segment(c).cmp(first))
            .ok();
        if let Some(i) = exact {
            self.search(&children[i], tail, cost, how, best);
        }
        for (i, child) in children.iter().enumerate() {
            if Some(i) == exact {
                continue;
            }
            let budget = best.distance.saturating_sub(cost);
            if budget == 0 {
                break;
            }
            // A segment of the name that the query left out (`skin-cancer`, `facial-skin-cancer`):
            // the query goes on below it, exactly.
            if gaps && GAP_COST <= budget {
                let dropped = How {
                    dropped: true,
                    ..how
                };
                if let Ok(j) = self
                    .children(child)
                    .binary_search_by(|c| self.segment(c).cmp(first))
                {
                    self.search(
                        &self.children(child)[j],
                        tail,
                        cost + GAP_COST,
                        dropped,
                        best,
                    );
                }
            }
            let segment = self.segment(child);
            let abbreviated = self.segment_gaps && abbreviates(first, segment);
            // The free filter first: most siblings differ in more letters than the budget.
            let lacks = (mask & !child.mask)
                .count_ones()
                .max((child.mask & !mask).count_ones());
            if !abbreviated && lacks as usize > budget {
                continue;
            }
            let numbers = digits(first).ne(digits(segment));
            // Among words, another number ranks after a typo; in a URI it is only noted (a
            // near URI is still offered, but never as certain).
            let penalty = if numbers && self.segment_gaps {
                NUMBER_COST
            } else {
                0
            };
            if penalty >= budget || (!abbreviated && lacks as usize + penalty > budget) {
                continue;
            }
            let how = How {
                number: how.number || numbers,
                ..how
            };
            if abbreviated {
                let short = How {
                    abbreviated: true,
                    ..how
                };
                self.search(child, tail, cost + 1 + penalty, short, best);
                continue;
            }
            if let Some(d) = bounded_levenshtein(first, segment, budget - penalty) {
                self.search(child, tail, cost + d + penalty, how, best);
            }
        }
    }
}

/// What a whole word added or dropped costs: more than a one-letter typo, which is likelier.
const GAP_COST: usize = 2;

/// What a segment whose number differs costs besides its edits: it names another page (the
/// level 3 page of a topic, not its level 1), so a plain typo of the same size ranks first.
const NUMBER_COST: usize = 2;

/// The digits of a segment.
fn digits(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(char::is_ascii_digit)
}

/// Whether one segment is the other written short (`misc`, `miscellaneous`; `physio`,
/// `physiotherapy`): a prefix of at least three letters.
fn abbreviates(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    // One letter more or less (`steroid`, `steroids`) is a typo, not an abbreviation.
    short.len() >= 3
        && short.len() + 1 < long.len()
        && long.starts_with(short)
        && long.bytes().all(|c| c.is_ascii_alphabetic())
}

/// What a match needed besides character typos.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct How {
    /// A segment's number differs (`level3` for `level1`).
    pub number: bool,
    /// A segment is written short or long (`misc` for `miscellaneous`).
    pub abbreviated: bool,
    /// The query has a segment the name lacks.
    pub added: bool,
    /// The name has a segment the query lacks.
    pub dropped: bool,
}

impl How {
    fn or(self, other: How) -> How {
        How {
            number: self.number || other.number,
            abbreviated: self.abbreviated || other.abbreviated,
            added: self.added || other.added,
            dropped: self.dropped || other.dropped,
        }
    }

    /// Whether the match was character typos alone.
    pub fn typo_only(self) -> bool {
        self == How::default()
    }
}

/// The closest entries to a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub distance: usize,
    pub entries: Vec<u32>,
    /// What the matches at this distance needed (of all of them, together).
    pub how: How,
}

struct Best {
    /// The smallest distance found so far (or the limit, before anything is found).
    distance: usize,
    entries: Vec<u32>,
    how: How,
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

/// Names longer than this (in bytes) are compared only for equality: no URI segment, id or
/// key a person types is this long, and a hostile page may hold names of megabytes.
pub const MAX_COMPARED: usize = 256;

/// Levenshtein distance between `a` and `b` if it is at most `limit` (in characters). Only
/// names of at most `MAX_COMPARED` bytes are compared (a longer one is only ever at distance 0
/// from itself), and only the band of cells within `limit` of the diagonal is computed: the
/// cost is O(len × limit), never len².
pub fn bounded_levenshtein(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a == b {
        return Some(0);
    }
    if a.len().max(b.len()) > MAX_COMPARED {
        return None;
    }
    if a.is_ascii() && b.is_ascii() {
        bounded(a.as_bytes(), b.as_bytes(), limit)
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        bounded(&a, &b, limit)
    }
}

/// The banded distance (Ukkonen): a cell further than `limit` from the diagonal costs more
/// than `limit`, so it is never computed, and is taken as `limit + 1`.
fn bounded<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let over = limit + 1;
    // Rows live on the stack: names are at most MAX_COMPARED long.
    let mut prev = [0usize; MAX_COMPARED + 1];
    let mut cur = [0usize; MAX_COMPARED + 1];
    let width = b.len();
    for (j, slot) in prev.iter_mut().enumerate().take(width + 1) {
        *slot = if j <= limit { j } else { over };
    }
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        let lo = row.saturating_sub(limit);
        let hi = (row + limit).min(width);
        // The cell left of the band (or column 0) starts the row.
        cur[lo.saturating_sub(1)] = over;
        if lo == 0 {
            cur[0] = row.min(over);
        }
        let mut row_min = if lo == 0 { cur[0] } else { over };
        for j in lo.max(1)..=hi {
            let cost = usize::from(*ca != b[j - 1]);
            // `prev[j]` past the band of the row above is over the limit.
            let up = if j < row + limit { prev[j] } else { over };
            let value = (prev[j - 1] + cost)
                .min(up + 1)
                .min(cur[j - 1] + 1)
                .min(over);
            cur[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[width];
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
    fn the_band_gives_the_plain_distance_on_every_pair_and_limit() {
        // Every pair of short strings over a small alphabet, at every limit.
        let words: Vec<String> = (0..3u32.pow(4))
            .flat_map(|n| {
                (0..=4).map(move |len| {
                    (0..len)
                        .map(|k| ['a', 'b', 'é'][(n / 3u32.pow(k)) as usize % 3])
                        .collect()
                })
            })
            .collect();
        for a in words.iter().step_by(7) {
            for b in &words {
                let d = strsim::levenshtein(a, b);
                for limit in 0..=5 {
                    let expected = (d <= limit).then_some(d);
                    assert_eq!(
                        bounded_levenshtein(a, b, limit),
                        expected,
                        "{a} {b} {limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn names_past_the_compared_length_are_not_compared() {
        // Two 100k-character names one letter apart: equal or not compared, never O(n²).
        let a = "a".repeat(100_000);
        let b = format!("{}b", "a".repeat(99_999));
        assert_eq!(bounded_levenshtein(&a, &a, 3), Some(0));
        assert_eq!(bounded_levenshtein(&a, &b, 3), None);
        let long = "a".repeat(MAX_COMPARED + 1);
        assert_eq!(bounded_levenshtein(&long, &long[1..], 3), None);
        let at_cap = "a".repeat(MAX_COMPARED);
        assert_eq!(
            bounded_levenshtein(&at_cap, &at_cap[1..], 3),
            Some(1),
            "a name up to the cap is compared"
        );
        let index = FuzzyIndex::new(b"/", [(b.as_str(), 0)]);
        assert_eq!(index.closest(&a, 3), None);
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
        let index = FuzzyIndex::new(b"/", names.iter().copied().zip(0..));
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
        let shared = FuzzyIndex::new(b"-", [("a-b-c", 7), ("a-b-c", 2), ("a-b", 1)]);
        assert_eq!(shared.closest("a-b-d", 1), Some((1, vec![2, 7])));
        let both = FuzzyIndex::new(b"/-", [("a/b-c", 1), ("a-b/d", 2)]);
        assert_eq!(both.closest("a-b-c", 0), Some((0, vec![1])));
        assert_eq!(both.closest("a/b/e", 1), Some((1, vec![1, 2])));
        assert_eq!(shared.closest("a-b", 0), Some((0, vec![1])));
    }

    #[test]
    fn words_of_ids_are_ranked_by_what_editors_get_wrong() {
        let ids = [
            "tools-miscellaneous-dibber",
            "herbs-perennial-sage-level1",
            "compost-guide",
            "pond-level1",
            "pond-level2",
            "roses-main",
        ];
        let index = FuzzyIndex::new(b"-", ids.iter().copied().zip(0..)).with_segment_gaps();
        let found = |q: &str| index.closest_found(q, 3).map(|f| (f.entries, f.how));
        let how = |f: fn(&mut How)| {
            let mut h = How::default();
            f(&mut h);
            h
        };
        // A word written short, a word left out, a level added: each found, and said so.
        assert_eq!(
            found("tools-misc-dibber"),
            Some((vec![0], how(|h| h.abbreviated = true)))
        );
        assert_eq!(
            found("herbs-sage-level1"),
            Some((vec![1], how(|h| h.dropped = true)))
        );
        assert_eq!(
            found("compost-guide-level2"),
            Some((vec![2], how(|h| h.added = true)))
        );
        // Another level costs more than a typo: level3 is as near to level1 as to level2.
        assert_eq!(
            index
                .closest_found("pond-level3", 3)
                .map(|f| (f.distance, f.entries)),
            Some((3, vec![3, 4]))
        );
        assert_eq!(
            found("herbs-perennial-sage-level3"),
            Some((vec![1], how(|h| h.number = true)))
        );
        // A typo of one letter is still a plain typo, ranked first.
        assert_eq!(found("roses-mian"), Some((vec![5], How::default())));
        // Only a number or level may be added, and only at the end.
        assert_eq!(index.closest_found("compost-guide-extra", 2), None);
        // Without word gaps (URIs), none of it applies.
        let plain = FuzzyIndex::new(b"-", ids.iter().copied().zip(0..));
        assert_eq!(plain.closest("tools-misc-dibber", 3), None);
        assert_eq!(plain.closest("compost-guide-level2", 3), None);
    }
}
