//! Heading ids as a site's Markdown renderer makes them (`site.heading_ids`): GitHub's slugger
//! (github-slugger, used by rehype-slug, Docusaurus, Astro and GitHub itself), Hugo's Goldmark
//! `github` auto heading ids, and kramdown's `auto_ids` (Jekyll). Each scheme turns a heading's
//! text into an id and makes repeats unique against the ids already made on the page, as its
//! renderer does; `Slugger` keeps that state for one page.

use crate::parse::slug_strip::STRIPPED;
use rustc_hash::FxHashMap;
use serde::Deserialize;

/// How the site's renderer makes heading ids.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadingIds {
    /// github-slugger: lower-case, punctuation and symbols dropped, each space a `-`; a
    /// repeat gets `-1`, `-2`….
    #[default]
    Github,
    /// Hugo's Goldmark (`autoHeadingIDType: github`): trimmed, letters, digits and `_` kept
    /// (lower-cased), each space or `-` a `-`, the rest dropped; `heading` when nothing is
    /// left; a repeat of any id on the page gets `-1`, `-2`….
    Goldmark,
    /// kramdown's `auto_ids`: leading characters up to the first ASCII letter dropped, then
    /// only ASCII letters, digits, spaces and `-` kept, spaces to `-`, lower-cased;
    /// `section` when nothing is left; a repeat gets `-1`, `-2`….
    Kramdown,
    /// The renderer makes no heading ids: only ids written in the page count.
    None,
}

impl HeadingIds {
    /// Whether the renderer reads `{#id}` heading attributes (Goldmark's `attribute` parser
    /// option and kramdown's IAL do; remark and GitHub do not).
    pub fn reads_attributes(self) -> bool {
        matches!(self, HeadingIds::Goldmark | HeadingIds::Kramdown)
    }
}

/// The ids one page's renderer has made so far.
#[derive(Debug, Default)]
pub struct Slugger {
    scheme: HeadingIds,
    /// github-slugger's occurrences: each slug made, with how many repeats of it were made
    /// (kramdown keeps the same count per base id).
    seen: FxHashMap<String, u32>,
}

impl Slugger {
    pub fn new(scheme: HeadingIds) -> Slugger {
        Slugger {
            scheme,
            seen: FxHashMap::default(),
        }
    }

    /// An id written in the page (`{#id}`, an HTML `id`): Goldmark makes later slugs unique
    /// against it too; the other sluggers only know the slugs they made.
    pub fn taken(&mut self, id: &str) {
        if self.scheme == HeadingIds::Goldmark {
            self.seen.entry(id.to_owned()).or_insert(0);
        }
    }

    /// The id of a heading whose text is `text`, or `None` when the renderer makes none.
    pub fn slug(&mut self, text: &str) -> Option<String> {
        match self.scheme {
            HeadingIds::None => None,
            HeadingIds::Github => Some(self.github(github_base(text))),
            HeadingIds::Goldmark => Some(self.goldmark(goldmark_base(text))),
            HeadingIds::Kramdown => Some(self.kramdown(kramdown_base(text))),
        }
    }

    /// github-slugger's `slug`: while the candidate was made before, count up the base's
    /// occurrences and try `base-N`.
    fn github(&mut self, base: String) -> String {
        let mut result = base.clone();
        while self.seen.contains_key(&result) {
            let n = self.seen.entry(base.clone()).or_insert(0);
            *n += 1;
            result = format!("{base}-{n}");
        }
        self.seen.insert(result.clone(), 0);
        result
    }

    /// Goldmark's id factory in Hugo: the first free `base-N` from 1. Hugo tries each N from
    /// 1 every time (quadratic in a page of headings alike); ids are only ever added, so
    /// every `base-N` up to the last one found for `base` is still taken, and the search
    /// resumes after it (kept as `base`'s count): the same ids, in linear time.
    fn goldmark(&mut self, base: String) -> String {
        let Some(&last) = self.seen.get(&base) else {
            self.seen.insert(base.clone(), 0);
            return base;
        };
        let mut n = last;
        let result = loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                break candidate;
            }
        };
        self.seen.insert(base, n);
        self.seen.insert(result.clone(), 0);
        result
    }

    /// kramdown's `generate_id`: a base seen before gets its count, up by one.
    fn kramdown(&mut self, base: String) -> String {
        match self.seen.get_mut(&base) {
            Some(n) => {
                *n += 1;
                format!("{base}-{n}")
            }
            None => {
                self.seen.insert(base.clone(), 0);
                base
            }
        }
    }
}

fn stripped_by_github(c: char) -> bool {
    STRIPPED
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// github-slugger's `slug(value)`: `value.toLowerCase().replace(regex, '').replace(/ /g, '-')`.
pub fn github_base(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' {
            out.push('-');
        } else if c.is_ascii() {
            // The ASCII the regex keeps: letters, digits, `-` and `_`.
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                out.push(c.to_ascii_lowercase());
            }
        } else {
            for lower in c.to_lowercase() {
                if !stripped_by_github(lower) {
                    out.push(lower);
                }
            }
        }
    }
    out
}

/// Hugo's `sanitizeAnchorName` for the `github` type, with its `heading` for an empty result.
pub fn goldmark_base(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == '-' || c == ' ' {
            out.push('-');
        } else if c == '_' || c.is_alphabetic() && !c.is_numeric() || is_decimal_digit(c) {
            out.extend(c.to_lowercase());
        }
    }
    if out.is_empty() {
        out.push_str("heading");
    }
    out
}

/// Go's `unicode.IsDigit` (General_Category Nd), from what std and the GitHub table tell:
/// numeric (Nd, Nl or No), not Other_Number (which GitHub's slugger strips) and not a letter
/// number (alphabetic).
fn is_decimal_digit(c: char) -> bool {
    c.is_ascii_digit() || (c.is_numeric() && !c.is_alphabetic() && !stripped_by_github(c))
}

/// kramdown's `basic_generate_id`, with its `section` for an empty result.
pub fn kramdown_base(text: &str) -> String {
    let from_letter = text.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    let mut out: String = from_letter
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(scheme: HeadingIds, inputs: &[&str]) -> Vec<String> {
        let mut s = Slugger::new(scheme);
        inputs
            .iter()
            .map(|t| s.slug(t).expect("makes ids"))
            .collect()
    }

    /// github-slugger's test/fixtures.json, in its order (one slugger for all of them, as
    /// its test runs them), the ASCII cases and a sample of the Unicode ones.
    #[test]
    fn github_slugger_fixtures() {
        let cases = [
            ("alpha", "alpha"),
            ("alpha", "alpha-1"),
            ("bravoCharlieDelta", "bravocharliedelta"),
            ("__proto__", "__proto__"),
            ("__proto__", "__proto__-1"),
            ("hasOwnProperty", "hasownproperty"),
            ("echo", "echo"),
            ("echo", "echo-1"),
            ("echo 1", "echo-1-1"),
            ("echo-1", "echo-1-2"),
            ("echo", "echo-2"),
            ("foxtrot-1", "foxtrot-1"),
            ("foxtrot", "foxtrot"),
            ("foxtrot", "foxtrot-2"),
            ("heading with a - dash", "heading-with-a---dash"),
            (
                "heading with an _ underscore",
                "heading-with-an-_-underscore",
            ),
            ("heading with a period.txt", "heading-with-a-periodtxt"),
            (
                "exchange.bind_headers(exchange, routing [, bindCallback])",
                "exchangebind_headersexchange-routing--bindcallback",
            ),
            (" ", "-"),
            (" a", "-a"),
            ("a ", "a-"),
            (" a ", "-a-"),
            ("-a-", "-a--1"),
            (
                "apostrophe\u{2019}s should be trimmed",
                "apostrophes-should-be-trimmed",
            ),
            ("golf", "golf"),
            ("golf", "golf-1"),
            ("golf", "golf-2"),
            ("I \u{2665} unicode", "i--unicode"),
            ("dash-dash", "dash-dash"),
            ("en\u{2013}dash", "endash"),
            ("em\u{2013}dash", "emdash"),
            ("\u{1F604} unicode emoji", "-unicode-emoji"),
            ("\u{1F604}-\u{1F604} unicode emoji", "--unicode-emoji"),
            ("\u{1F604}_\u{1F604} unicode emoji", "_-unicode-emoji"),
            ("\u{1F604} - an emoji", "---an-emoji"),
            (":smile: - a gemoji", "smile---a-gemoji"),
            ("Привет", "привет"),
            ("Профили пользователей", "профили-пользователей"),
            ("Привет non-latin 你好", "привет-non-latin-你好"),
            (":ok: No underscore", "ok-no-underscore"),
            (":ok_hand: Single", "ok_hand-single"),
            (
                ":ok_hand::hatched_chick: Two in a row with no spaces",
                "ok_handhatched_chick-two-in-a-row-with-no-spaces",
            ),
            (
                ":ok_hand: :hatched_chick: Two in a row",
                "ok_hand-hatched_chick-two-in-a-row",
            ),
        ];
        let inputs: Vec<&str> = cases.iter().map(|c| c.0).collect();
        let expected: Vec<String> = cases.iter().map(|c| c.1.to_owned()).collect();
        assert_eq!(run(HeadingIds::Github, &inputs), expected);
        // Samples of its per-category cases: marks and connector punctuation stay, other
        // numbers, currency, math symbols, quotes and line separators go, circled letters
        // are alphabetic (and lower-cased).
        for (input, expected) in [
            ("a\u{0300} \u{0305}b", "a\u{0300}-\u{0305}b"),
            ("a_ \u{203F} \u{FF3F}b", "a_-\u{203F}-\u{FF3F}b"),
            ("a\u{B2} \u{BD} \u{2460}b", "a--b"),
            ("a$ \u{20AC} \u{A3}b", "a--b"),
            ("a+ = | \u{B1}b", "a---b"),
            ("a\u{AB} \u{201C} \u{BB}b", "a--b"),
            ("a\u{24BA} \u{24C9}b", "a\u{24D4}-\u{24E3}b"),
            ("a\u{2028}b", "ab"),
            ("a\u{3000}b", "ab"),
        ] {
            assert_eq!(github_base(input), expected, "{input:?}");
        }
    }

    /// Hugo's markup/goldmark/autoid_test.go (TestSanitizeAnchorName), with the id
    /// factory's `heading` and `-1` repeats.
    #[test]
    fn hugo_goldmark_github_ids() {
        let cases = [
            ("God is good: 神真美好", "god-is-good-神真美好"),
            ("Number 32", "number-32"),
            ("Question?", "question"),
            ("1+2=3", "123"),
            ("Special !\"#$%&(parens)=?´* chars", "special-parens-chars"),
            ("Resumé", "resumé"),
            ("One-Hyphen", "one-hyphen"),
            ("Multiple--Hyphens", "multiple--hyphens"),
            ("Trailing hyphen-", "trailing-hyphen-"),
            ("Many   spaces  here", "many---spaces--here"),
            ("Forward/slash", "forwardslash"),
            ("Backward\\slash", "backwardslash"),
            ("Under_score", "under_score"),
            ("Nonbreaking\u{A0}Space", "nonbreakingspace"),
            ("Tab\tSpace", "tabspace"),
            ("Trailing Space ", "trailing-space"),
        ];
        for (input, expected) in cases {
            assert_eq!(goldmark_base(input), expected, "{input:?}");
        }
        let mut s = Slugger::new(HeadingIds::Goldmark);
        s.taken("intro");
        assert_eq!(s.slug("Intro").as_deref(), Some("intro-1"));
        assert_eq!(s.slug("Intro").as_deref(), Some("intro-2"));
        assert_eq!(s.slug("?!").as_deref(), Some("heading"));
        assert_eq!(s.slug("").as_deref(), Some("heading-1"));
        assert_eq!(s.slug("Intro 1").as_deref(), Some("intro-1-1"));
        assert_eq!(goldmark_base("٣ and ² "), "٣-and-");
        // An id written in the page between repeats is skipped as Hugo skips it.
        let mut s = Slugger::new(HeadingIds::Goldmark);
        assert_eq!(s.slug("A").as_deref(), Some("a"));
        assert_eq!(s.slug("A").as_deref(), Some("a-1"));
        s.taken("a-2");
        assert_eq!(s.slug("A 3").as_deref(), Some("a-3"));
        assert_eq!(s.slug("A").as_deref(), Some("a-4"));
        assert_eq!(s.slug("A-1").as_deref(), Some("a-1-1"));
    }

    #[test]
    fn many_headings_alike_take_linear_time() {
        // Hugo's factory tries `-1`, `-2`, … afresh for each repeat: 40,000 alike headings
        // were 800 million lookups.
        let started = std::time::Instant::now();
        for scheme in [
            HeadingIds::Github,
            HeadingIds::Goldmark,
            HeadingIds::Kramdown,
        ] {
            let mut s = Slugger::new(scheme);
            let mut last = None;
            for _ in 0..40_000 {
                last = s.slug("Step");
            }
            assert_eq!(last.as_deref(), Some("step-39999"), "{scheme:?}");
        }
        // Linear is about a second in a debug build on a loaded machine; quadratic, minutes.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
    }

    /// kramdown's test/testcases/block/04_header/with_auto_ids (without its transliterated
    /// option, which is off by default).
    #[test]
    fn kramdown_auto_ids() {
        let ids = run(
            HeadingIds::Kramdown,
            &[
                "This is a header",
                "12. Another one-1-here",
                "Do ^& it now",
                "Hallo",
                "Not now",
                "Hallo",
                "23232",
                "33333",
                "hallO",
                "Transliterated: Đây-là-ví-dụ",
            ],
        );
        assert_eq!(
            ids,
            [
                "this-is-a-header",
                "another-one-1-here",
                "do--it-now",
                "hallo",
                "not-now",
                "hallo-1",
                "section",
                "section-1",
                "hallo-2",
                "transliterated-y-l-v-d",
            ]
        );
    }

    #[test]
    fn no_ids_without_a_scheme_and_attributes_only_where_read() {
        assert_eq!(Slugger::new(HeadingIds::None).slug("Title"), None);
        assert!(HeadingIds::Goldmark.reads_attributes());
        assert!(HeadingIds::Kramdown.reads_attributes());
        assert!(!HeadingIds::Github.reads_attributes());
    }
}
