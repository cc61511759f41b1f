//! gensite: a deterministic generator of synthetic content sites, for benchmarking pagelint and
//! for checking it (and path-resolving link checkers such as hyperlink or lychee) end to end.
//!
//! ```text
//! cargo run --release --example gensite -- --pages N --out DIR [--layout id|uri] [--seed S]
//!                                          [--now YYYY-MM-DD] [--manifest FILE]
//!                                          [--body html|markdown]
//! ```
//!
//! `--body markdown` writes the same pages, links and planted defects as Markdown (`.md`):
//! `# Title {#id}` headings (ids as `site.heading_ids: goldmark` reads them), paragraphs,
//! `*emphasis*`, `-`/`1.` lists, links in turn inline `[text](href)`, reference-style (their
//! `[N]: href` definitions at the page's end) and inline HTML `<a href>`, and a fenced code
//! block whose link-like text is not a link. The random draws are the same, so the manifest
//! is too.
//!
//! # What it writes
//!
//! N pages shaped like the pages of a real content site: YAML front matter (`id`, `uri`,
//! `title`, `type`, `authorship`, `order`, `updated_at`, `created_at`, and on directory pages
//! and some level1 pages a `contents:` list of child ids) over an HTML body of 3–8 KB:
//! an `<h1 id>`, 2–5 `<h2 id>` sections of paragraphs and lists, and 5–10 root-relative links
//! (`<a href="/conditions/gum-swelling/more-info">`) to other pages of the site, about a
//! quarter of them with a `#fragment` naming a heading id of the target page.
//!
//! URIs form a tree: 20 sections (`conditions`, `treatments`, …, type `directory`), topics
//! under them (`conditions/gum-swelling`, type `level1`), and sub-pages two and three levels
//! further down (`conditions/gum-swelling/more-info`, types `level2`/`level3`/`page`).
//!
//! * `--layout uri` (default): each page at `DIR/<uri>/index.html`, plus a home page
//!   `DIR/index.html` (`uri: /`) linking to every section, so a checker that resolves `/a/b`
//!   to `a/b/index.html` checks exactly the links pagelint checks.
//! * `--layout id`: each page at `DIR/content/<section>/<id>.html` (no home page); only a
//!   checker that reads the `uri` field (pagelint) can resolve the links.
//!
//! The text is filler made from built-in word lists. Everything is a function of the seed:
//! the same `--pages`, `--seed` and `--now` give byte-identical output, whatever the number
//! of threads that write it (every page draws from its own PRNG stream).
//!
//! # Planted defects
//!
//! Each is counted exactly and printed in the summary (and, with `--manifest`, listed one per
//! line as `rule<TAB>file<TAB>href-or-field<TAB>note`, named after the pagelint rule that
//! should report it):
//!
//! * broken-link, ~1% of links: half a typo in the target's last segment
//!   (`/conditions/gum-swelling/mor-info`), half a page that does not exist
//!   (`/conditions/gum-swelling/aftercare` when there is no such page);
//! * broken-fragment, ~0.5% of links: an existing page with a fragment it has no id for
//!   (a typo of one of its ids, or a heading id it does not have);
//! * missing-authorship, ~1% of pages: the field absent, or present and blank;
//! * stale-updated-at, ~2% of pages: `updated_at` 1200–4000 days before `--now`
//!   (default 2026-06-01); every other page is updated 10–900 days before it, so with
//!   pagelint's default `max_age_days` (1095) and `--now` set to the same date, exactly the
//!   planted pages are stale.
//!
//! Nothing else is wrong: ids and URIs are unique, required fields (id, uri, title) are there,
//! no date is in the future or has `updated_at` before `created_at`, and every other link
//! reaches a page and every other fragment an id on it.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::LazyLock;
use std::time::Instant;

const USAGE: &str = "\
usage: gensite --pages N --out DIR [--layout id|uri] [--seed S] [--now YYYY-MM-DD]
               [--manifest FILE] [--body html|markdown]

  --pages N          number of content pages to write (at least 1)
  --out DIR          output folder; created, and must be empty if it exists
  --layout uri|id    uri (default): DIR/<uri>/index.html, plus a home page DIR/index.html;
                     id: DIR/content/<section>/<id>.html
  --seed S           PRNG seed, an unsigned integer (default 1); the same seed gives the same
                     site
  --now YYYY-MM-DD   reference date (default 2026-06-01): pages are updated 10-900 days before
                     it, planted stale pages 1200-4000 days before it
  --manifest FILE    also write every planted defect, one per line, tab-separated
  --body html|markdown  html (default), or the same pages written as Markdown (.md)
  -h, --help         print this help
";

/// Share of links planted as broken links (half typos, half missing pages).
const BROKEN_LINK_RATE: f64 = 0.01;
/// Share of links planted with a fragment the target page lacks.
const BROKEN_FRAGMENT_RATE: f64 = 0.005;
/// Share of links with a (valid) fragment.
const FRAGMENT_RATE: f64 = 0.25;
/// Share of pages without authorship (absent or blank).
const MISSING_AUTHORSHIP_RATE: f64 = 0.01;
/// Share of pages with a stale `updated_at`.
const STALE_RATE: f64 = 0.02;
/// Fresh pages are updated this many days before `--now`, at most; stale ones at least
/// `STALE_MIN_DAYS`. pagelint's default threshold (1095 days) lies between.
const FRESH_MAX_DAYS: usize = 900;
const STALE_MIN_DAYS: usize = 1200;
/// Body size aimed at (the h1 and a final list of related links come on top).
const BODY_MIN: usize = 3000;
const BODY_MAX: usize = 6600;

const SECTIONS: [&str; 20] = [
    "conditions",
    "treatments",
    "procedures",
    "anatomy",
    "symptoms",
    "diagnosis",
    "medicines",
    "recovery",
    "nutrition",
    "prevention",
    "research",
    "guides",
    "services",
    "patients",
    "professionals",
    "glossary",
    "history",
    "equipment",
    "wellbeing",
    "support",
];

/// Words topic slugs are made of.
const SLUG_WORDS: [&str; 64] = [
    "gum",
    "jaw",
    "tooth",
    "tongue",
    "lip",
    "cheek",
    "palate",
    "throat",
    "neck",
    "skin",
    "bone",
    "nerve",
    "gland",
    "joint",
    "muscle",
    "sinus",
    "ear",
    "eye",
    "nose",
    "scalp",
    "swelling",
    "pain",
    "ulcer",
    "lump",
    "cyst",
    "infection",
    "injury",
    "fracture",
    "bleeding",
    "numbness",
    "stiffness",
    "dryness",
    "rash",
    "spasm",
    "cramp",
    "tumour",
    "abscess",
    "erosion",
    "wear",
    "growth",
    "patch",
    "clicking",
    "locking",
    "burning",
    "tingling",
    "weakness",
    "fatigue",
    "fever",
    "cough",
    "graft",
    "implant",
    "splint",
    "brace",
    "stitch",
    "scan",
    "biopsy",
    "tissue",
    "lesion",
    "plaque",
    "crown",
    "bridge",
    "denture",
    "filling",
    "repair",
];

/// Slugs of sub-pages (under a topic or a sub-page).
const SUB_SLUGS: [&str; 16] = [
    "more-info",
    "detailed",
    "overview",
    "treatment",
    "symptoms",
    "causes",
    "aftercare",
    "faq",
    "images",
    "video",
    "references",
    "patient-guide",
    "summary",
    "case-study",
    "follow-up",
    "self-care",
];

/// Heading ids and texts for `<h2>`.
const HEADINGS: [(&str, &str); 24] = [
    ("overview", "Overview"),
    ("background", "Background"),
    ("causes", "Causes"),
    ("signs", "Signs and symptoms"),
    ("diagnosis", "Diagnosis"),
    ("treatment", "Treatment"),
    ("aftercare", "Aftercare"),
    ("outlook", "Outlook"),
    ("risk-factors", "Risk factors"),
    ("prevention", "Prevention"),
    ("complications", "Complications"),
    ("further-reading", "Further reading"),
    ("history", "History"),
    ("anatomy", "Anatomy"),
    ("procedure", "The procedure"),
    ("recovery", "Recovery"),
    ("questions", "Common questions"),
    ("glossary", "Glossary"),
    ("images", "Images"),
    ("summary", "Summary"),
    ("key-points", "Key points"),
    ("references", "References"),
    ("next-steps", "Next steps"),
    ("support", "Support and advice"),
];

/// Filler prose (repeated words are more frequent).
const WORDS_TEXT: &str = "\
the the the a a an of of of and and and to to in in is is are can may often usually \
sometimes rarely for with without from by on at as this that these which when where \
after before during between most many some few each other both patient patients doctor \
surgeon nurse clinic hospital treatment procedure condition symptom symptoms area region \
side surface tissue tissues layer structure function change changes cause effect result \
results risk chance course stage period week weeks month months year years day time care \
advice support examination test tests scan image sample report team specialist general \
local normal common unusual mild severe early late small large gradual sudden painful \
painless visible hidden upper lower inner outer healthy affected careful simple complex \
needed advised checked treated removed healed reduced increased found seen described \
explained recommended followed planned managed develop develops appear appears improve \
improves return returns help helps include includes require requires show shows";

static WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| WORDS_TEXT.split_whitespace().collect());

const FIRST_NAMES: [&str; 16] = [
    "Alys", "Bram", "Carys", "Dafydd", "Elin", "Fenella", "Gethin", "Hana", "Idris", "Jory",
    "Keziah", "Lowri", "Marek", "Niamh", "Oskar", "Petra",
];
const LAST_NAMES: [&str; 16] = [
    "Ashdown", "Bellamy", "Carrow", "Dunmore", "Ellery", "Fairlie", "Greaves", "Hollis", "Ingram",
    "Jessop", "Kestle", "Lomax", "Mabry", "Noakes", "Orrell", "Penhale",
];

// ---------------------------------------------------------------------------------------------
// Arguments

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Uri,
    Id,
}

struct Args {
    pages: usize,
    out: PathBuf,
    layout: Layout,
    seed: u64,
    /// `--now` in days since 1970-01-01.
    now_days: i64,
    manifest: Option<PathBuf>,
    /// `--body markdown`: pages written as Markdown (`.md`).
    markdown: bool,
}

enum ArgError {
    Help,
    Bad(String),
}

fn value(
    flag: &str,
    inline: Option<String>,
    rest: &mut impl Iterator<Item = String>,
) -> Result<String, ArgError> {
    inline
        .or_else(|| rest.next())
        .ok_or_else(|| ArgError::Bad(format!("{flag} needs a value")))
}

fn parse_args(mut rest: impl Iterator<Item = String>) -> Result<Args, ArgError> {
    let mut pages = None;
    let mut out = None;
    let mut layout = Layout::Uri;
    let mut seed = 1;
    let mut now_days = days_from_civil(2026, 6, 1);
    let mut manifest = None;
    let mut markdown = false;
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg, None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Err(ArgError::Help),
            "--pages" => {
                let v = value(&flag, inline, &mut rest)?;
                match v.parse::<usize>() {
                    Ok(n) if n >= 1 => pages = Some(n),
                    _ => {
                        return Err(ArgError::Bad(format!(
                            "--pages wants a number >= 1, not {v:?}"
                        )));
                    }
                }
            }
            "--out" => out = Some(PathBuf::from(value(&flag, inline, &mut rest)?)),
            "--layout" => {
                let v = value(&flag, inline, &mut rest)?;
                layout = match v.as_str() {
                    "uri" => Layout::Uri,
                    "id" => Layout::Id,
                    _ => return Err(ArgError::Bad(format!("--layout is uri or id, not {v:?}"))),
                };
            }
            "--seed" => {
                let v = value(&flag, inline, &mut rest)?;
                seed = v.parse().map_err(|_| {
                    ArgError::Bad(format!("--seed wants an unsigned integer, not {v:?}"))
                })?;
            }
            "--now" => {
                let v = value(&flag, inline, &mut rest)?;
                now_days = parse_day(&v)
                    .ok_or_else(|| ArgError::Bad(format!("--now wants YYYY-MM-DD, not {v:?}")))?;
            }
            "--manifest" => manifest = Some(PathBuf::from(value(&flag, inline, &mut rest)?)),
            "--body" => {
                markdown = match value(&flag, inline, &mut rest)?.as_str() {
                    "markdown" => true,
                    "html" => false,
                    v => {
                        return Err(ArgError::Bad(format!(
                            "--body is html or markdown, not {v:?}"
                        )));
                    }
                }
            }
            _ => return Err(ArgError::Bad(format!("unknown argument {flag:?}"))),
        }
    }
    Ok(Args {
        pages: pages.ok_or_else(|| ArgError::Bad("--pages is required".into()))?,
        out: out.ok_or_else(|| ArgError::Bad("--out is required".into()))?,
        layout,
        seed,
        now_days,
        manifest,
        markdown,
    })
}

// ---------------------------------------------------------------------------------------------
// PRNG and dates

/// SplitMix64: tiny, fast, and good enough for filler.
struct Rng(u64);

impl Rng {
    /// Stream `stream` of seed `seed`; distinct streams are independent for our purposes.
    fn new(seed: u64, stream: u64) -> Rng {
        let mut base = Rng(seed);
        let start = base.next_u64() ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Rng(start)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn parse_day(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    let days = days_from_civil(y, m, d);
    (text.len() == 10 && civil_from_days(days) == (y, m, d)).then_some(days)
}

/// Append `secs` (since the epoch) as RFC 3339 UTC.
fn push_rfc3339(buf: &mut String, secs: i64) {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    let _ = write!(
        buf,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
}

// ---------------------------------------------------------------------------------------------
// The site's structure (decided before any body is written)

struct PageInfo {
    /// Without leading slash: `conditions/gum-swelling/more-info`.
    uri: String,
    id: String,
    title: String,
    kind: &'static str,
    section: u32,
    parent: Option<u32>,
    order: u32,
    children: Vec<u32>,
    /// Indices into `HEADINGS` of the page's `<h2 id>`s.
    h2: Vec<u8>,
}

impl PageInfo {
    /// The last URI segment, also the id of the page's `<h1>`.
    fn slug(&self) -> &str {
        self.uri.rsplit('/').next().unwrap_or(&self.uri)
    }

    fn anchors(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.slug()).chain(self.h2.iter().map(|&h| HEADINGS[h as usize].0))
    }

    fn has_anchor(&self, name: &str) -> bool {
        self.anchors().any(|a| a == name)
    }
}

struct Site {
    pages: Vec<PageInfo>,
    /// Page indices by section.
    sections: Vec<Vec<u32>>,
    uris: HashSet<String>,
}

/// `gum-swelling` → `Gum swelling`.
fn humanize(slug: &str) -> String {
    let mut s = String::with_capacity(slug.len());
    for (i, c) in slug.chars().enumerate() {
        match c {
            '-' => s.push(' '),
            c if i == 0 => s.push(c.to_ascii_uppercase()),
            c => s.push(c),
        }
    }
    s
}

fn build_site(n: usize, seed: u64) -> Site {
    let mut rng = Rng::new(seed, u64::MAX);
    let nsec = n.min(SECTIONS.len());
    let mut pages: Vec<PageInfo> = Vec::with_capacity(n);
    let mut uris: HashSet<String> = HashSet::with_capacity(n);
    let mut ids: HashSet<String> = HashSet::with_capacity(n);
    // Pages by depth - 1 (sections are depth 1).
    let mut by_depth: [Vec<u32>; 4] = Default::default();
    let mut sections: Vec<Vec<u32>> = vec![Vec::new(); nsec];
    for i in 0..n {
        let section_name = SECTIONS.get(i).copied();
        let (parent, depth) = if section_name.is_some() {
            (None, 1)
        } else {
            let mut depth = match rng.below(100) {
                0..40 => 2,
                40..75 => 3,
                _ => 4,
            };
            while by_depth[depth - 2].is_empty() {
                depth -= 1;
            }
            let pool = &by_depth[depth - 2];
            (Some(pool[rng.below(pool.len())]), depth)
        };
        let (uri, section, order, title) = match parent {
            None => {
                let name = section_name.unwrap_or_default();
                (name.to_owned(), i as u32, i as u32, humanize(name))
            }
            Some(p) => {
                let parent_page = &pages[p as usize];
                let sub = depth > 2 && rng.chance(0.6);
                let slug = if sub {
                    rng.pick(&SUB_SLUGS).to_owned()
                } else if rng.chance(0.3) {
                    rng.pick(&SLUG_WORDS).to_owned()
                } else {
                    format!("{}-{}", rng.pick(&SLUG_WORDS), rng.pick(&SLUG_WORDS))
                };
                let base = format!("{}/{slug}", parent_page.uri);
                let mut uri = base.clone();
                let mut k = 2;
                while uris.contains(&uri) {
                    uri = format!("{base}-{k}");
                    k += 1;
                }
                let last = uri.rsplit('/').next().unwrap_or("");
                let title = if sub {
                    let topic = parent_page.title.split(" - ").next().unwrap_or("");
                    format!("{topic} - {}", last.replace('-', " "))
                } else {
                    humanize(last)
                };
                let order = parent_page.children.len() as u32;
                (uri, parent_page.section, order, title)
            }
        };
        let kind = match depth {
            1 => "directory",
            2 => "level1",
            _ if rng.chance(0.15) => "page",
            3 => "level2",
            _ => "level3",
        };
        let base_id = if kind == "page" {
            uri.replace('/', "-")
        } else {
            format!("{}-{kind}", uri.replace('/', "-"))
        };
        let mut id = base_id.clone();
        let mut k = 2;
        while ids.contains(&id) {
            id = format!("{base_id}-{k}");
            k += 1;
        }
        // Heading ids: 2-5 distinct, none equal to the h1's id (the slug).
        let slug = uri.rsplit('/').next().unwrap_or("");
        let mut pool: Vec<u8> = (0..HEADINGS.len() as u8)
            .filter(|&h| HEADINGS[h as usize].0 != slug)
            .collect();
        let count = rng.range(2, 5);
        for j in 0..count {
            let k = j + rng.below(pool.len() - j);
            pool.swap(j, k);
        }
        pool.truncate(count);
        uris.insert(uri.clone());
        ids.insert(id.clone());
        if let Some(p) = parent {
            pages[p as usize].children.push(i as u32);
        }
        by_depth[depth - 1].push(i as u32);
        sections[section as usize].push(i as u32);
        pages.push(PageInfo {
            uri,
            id,
            title,
            kind,
            section,
            parent,
            order,
            children: Vec::new(),
            h2: pool,
        });
    }
    Site {
        pages,
        sections,
        uris,
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

#[derive(Default, Clone, Copy)]
struct Stats {
    pages: usize,
    bytes: u64,
    links: usize,
    fragment_links: usize,
    broken_typo: usize,
    broken_missing: usize,
    broken_fragment: usize,
    authorship_absent: usize,
    authorship_blank: usize,
    stale: usize,
    body_min: usize,
    body_max: usize,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        self.pages += o.pages;
        self.bytes += o.bytes;
        self.links += o.links;
        self.fragment_links += o.fragment_links;
        self.broken_typo += o.broken_typo;
        self.broken_missing += o.broken_missing;
        self.broken_fragment += o.broken_fragment;
        self.authorship_absent += o.authorship_absent;
        self.authorship_blank += o.authorship_blank;
        self.stale += o.stale;
        self.body_min = match (self.body_min, o.body_min) {
            (0, b) | (b, 0) => b,
            (a, b) => a.min(b),
        };
        self.body_max = self.body_max.max(o.body_max);
    }

    fn body(&mut self, len: usize) {
        self.body_min = if self.body_min == 0 {
            len
        } else {
            self.body_min.min(len)
        };
        self.body_max = self.body_max.max(len);
    }
}

/// A planted defect, for the manifest.
struct Defect {
    page: u32,
    rule: &'static str,
    what: String,
    note: String,
}

struct PlannedLink {
    href: String,
    text: String,
}

/// A slug with one typing mistake in a letter (swap, drop, double or replace).
fn typo(rng: &mut Rng, s: &str) -> String {
    let letters: Vec<usize> = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_lowercase())
        .map(|(i, _)| i)
        .collect();
    if letters.is_empty() {
        return format!("{s}x");
    }
    for _ in 0..32 {
        let mut v = s.as_bytes().to_vec();
        let i = letters[rng.below(letters.len())];
        match rng.below(4) {
            0 => {
                if i + 1 >= v.len() || !v[i + 1].is_ascii_lowercase() || v[i] == v[i + 1] {
                    continue;
                }
                v.swap(i, i + 1);
            }
            1 => {
                if letters.len() < 3 {
                    continue;
                }
                v.remove(i);
            }
            2 => v.insert(i, v[i]),
            _ => {
                let c = b'a' + rng.below(26) as u8;
                if c == v[i] {
                    continue;
                }
                v[i] = c;
            }
        }
        let t = String::from_utf8(v).unwrap_or_default();
        if t != s && !t.is_empty() {
            return t;
        }
    }
    format!("{s}x")
}

/// The page a link goes to: parent, child, same section or anywhere.
fn pick_target(rng: &mut Rng, site: &Site, i: usize) -> usize {
    let n = site.pages.len();
    if n == 1 {
        return 0;
    }
    let page = &site.pages[i];
    let child_share = if page.kind == "directory" { 60 } else { 30 };
    loop {
        let r = rng.below(100);
        let t = match (page.parent, r) {
            (Some(p), 0..12) => p as usize,
            _ if r < child_share && !page.children.is_empty() => rng.pick(&page.children) as usize,
            _ if r < 75 => rng.pick(&site.sections[page.section as usize]) as usize,
            _ => rng.below(n),
        };
        if t != i {
            return t;
        }
    }
}

/// A link of page `i`: most are good, a few planted broken ones.
fn plan_link(
    rng: &mut Rng,
    site: &Site,
    i: usize,
    st: &mut Stats,
    defects: &mut Vec<Defect>,
) -> PlannedLink {
    let t = pick_target(rng, site, i);
    let target = &site.pages[t];
    let text = if rng.chance(0.6) {
        let mut s = target.title.clone();
        s[..1].make_ascii_lowercase();
        s
    } else {
        let words: Vec<&str> = (0..rng.range(1, 4)).map(|_| rng.pick(&WORDS)).collect();
        words.join(" ")
    };
    st.links += 1;
    let r = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    let href = if r < BROKEN_LINK_RATE {
        let mut uri = String::new();
        let mut is_typo = rng.chance(0.5);
        if is_typo {
            for _ in 0..8 {
                let (dir, last) = match target.uri.rsplit_once('/') {
                    Some((dir, last)) => (format!("{dir}/"), last),
                    None => (String::new(), target.uri.as_str()),
                };
                let candidate = format!("{dir}{}", typo(rng, last));
                if !site.uris.contains(&candidate) {
                    uri = candidate;
                    break;
                }
            }
            is_typo = !uri.is_empty();
        }
        if !is_typo {
            let mut k = 0;
            loop {
                let candidate = if k < 8 {
                    format!("{}/{}", target.uri, rng.pick(&SUB_SLUGS))
                } else {
                    format!("{}/{}-{k}", target.uri, rng.pick(&SUB_SLUGS))
                };
                if !site.uris.contains(&candidate) {
                    uri = candidate;
                    break;
                }
                k += 1;
            }
        }
        if is_typo {
            st.broken_typo += 1;
        } else {
            st.broken_missing += 1;
        }
        let href = format!("/{uri}");
        defects.push(Defect {
            page: i as u32,
            rule: "broken-link",
            what: href.clone(),
            note: if is_typo {
                format!("typo of /{}", target.uri)
            } else {
                "no such page".into()
            },
        });
        href
    } else if r < BROKEN_LINK_RATE + BROKEN_FRAGMENT_RATE {
        let fragment = loop {
            let candidate = if rng.chance(0.5) {
                let anchors: Vec<&str> = target.anchors().collect();
                let anchor = rng.pick(&anchors);
                typo(rng, anchor)
            } else {
                rng.pick(&HEADINGS).0.to_owned()
            };
            if !target.has_anchor(&candidate) && !candidate.eq_ignore_ascii_case("top") {
                break candidate;
            }
        };
        st.broken_fragment += 1;
        st.fragment_links += 1;
        let href = format!("/{}#{fragment}", target.uri);
        defects.push(Defect {
            page: i as u32,
            rule: "broken-fragment",
            what: href.clone(),
            note: format!("/{} has no id {fragment:?}", target.uri),
        });
        href
    } else if r < BROKEN_LINK_RATE + BROKEN_FRAGMENT_RATE + FRAGMENT_RATE {
        st.fragment_links += 1;
        let anchors: Vec<&str> = target.anchors().collect();
        format!("/{}#{}", target.uri, rng.pick(&anchors))
    } else {
        format!("/{}", target.uri)
    };
    PlannedLink { href, text }
}

/// Writes prose with the line wrapping of hand-edited HTML.
struct Prose<'a> {
    buf: &'a mut String,
    /// Write Markdown (`*em*`, `[text](href)`) rather than HTML.
    md: Option<&'a mut Refs>,
    /// Column of the end of the line so far.
    col: usize,
    /// Nothing written yet: no space before the first token.
    fresh: bool,
}

impl Prose<'_> {
    fn token(&mut self, t: &str, width: usize) {
        if !self.fresh {
            if self.col + width > 72 {
                self.buf.push_str("\n    ");
                self.col = 4;
            } else {
                self.buf.push(' ');
                self.col += 1;
            }
        }
        self.buf.push_str(t);
        self.col += width;
        self.fresh = false;
    }

    fn word(&mut self, rng: &mut Rng, capital: bool) {
        let w = rng.pick(&WORDS);
        if capital {
            let mut s = String::with_capacity(w.len());
            s.push(w.as_bytes()[0].to_ascii_uppercase() as char);
            s.push_str(&w[1..]);
            self.token(&s, s.len());
        } else if rng.chance(0.01) {
            self.token("&amp;", 1);
        } else if rng.chance(0.02) {
            let s = if self.md.is_some() {
                format!("*{w}*")
            } else {
                format!("<em>{w}</em>")
            };
            self.token(&s, w.len());
        } else {
            self.token(w, w.len());
        }
    }

    fn link(&mut self, link: &PlannedLink) {
        let s = match self.md.as_deref_mut() {
            Some(refs) => refs.link(link),
            None => format!("<a href=\"{}\">{}</a>", link.href, link.text),
        };
        self.token(&s, link.text.len());
    }
}

/// How a Markdown page writes its links, in turn: inline `[text](href)`, reference-style
/// `[text][N]` (its `[N]: href` definitions written at the end of the page), and an HTML
/// `<a href>` inside the Markdown. No random draw: the same links as in HTML.
#[derive(Default)]
struct Refs {
    written: usize,
    definitions: Vec<String>,
}

impl Refs {
    fn link(&mut self, link: &PlannedLink) -> String {
        self.written += 1;
        match self.written % 3 {
            0 => format!("<a href=\"{}\">{}</a>", link.href, link.text),
            1 => format!("[{}]({})", link.text, link.href),
            _ => {
                self.definitions.push(link.href.clone());
                format!("[{}][{}]", link.text, self.definitions.len())
            }
        }
    }
}

/// A paragraph of 2-6 sentences, with `links` placed at random inside sentences.
fn paragraph(rng: &mut Rng, buf: &mut String, links: &[PlannedLink], md: Option<&mut Refs>) {
    let sentences = rng.range(2, 6);
    let lengths: Vec<usize> = (0..sentences).map(|_| rng.range(6, 18)).collect();
    // (sentence, word position >= 1, link)
    let mut spots: Vec<(usize, usize, usize)> = (0..links.len())
        .map(|l| {
            let s = rng.below(sentences);
            (s, rng.range(1, lengths[s] - 1), l)
        })
        .collect();
    spots.sort_unstable();
    let mut spots = spots.into_iter().peekable();
    let open = if md.is_some() { "" } else { "<p>" };
    buf.push_str(open);
    let markdown = md.is_some();
    let mut prose = Prose {
        buf,
        md,
        col: open.len(),
        fresh: true,
    };
    for (s, &len) in lengths.iter().enumerate() {
        for w in 0..len {
            while let Some(&(_, _, l)) = spots.peek().filter(|&&(ss, ww, _)| (ss, ww) == (s, w)) {
                prose.link(&links[l]);
                spots.next();
            }
            prose.word(rng, w == 0);
        }
        prose.buf.push('.');
        prose.col += 1;
    }
    buf.push_str(if markdown { "\n\n" } else { "</p>\n" });
}

fn list(rng: &mut Rng, buf: &mut String, md: Option<&mut Refs>) {
    let tag = if rng.chance(0.3) { "ol" } else { "ul" };
    let markdown = md.is_some();
    if !markdown {
        let _ = writeln!(buf, "<{tag}>");
    }
    let mut refs = md;
    for item in 0..rng.range(3, 6) {
        let (open, close) = match (markdown, tag) {
            (false, _) => ("    <li>".to_owned(), "</li>\n"),
            (true, "ol") => (format!("{}. ", item + 1), "\n"),
            (true, _) => ("- ".to_owned(), "\n"),
        };
        buf.push_str(&open);
        let mut prose = Prose {
            buf,
            md: refs.as_deref_mut(),
            col: open.len(),
            fresh: true,
        };
        for w in 0..rng.range(3, 9) {
            prose.word(rng, w == 0);
        }
        buf.push_str(close);
    }
    if markdown {
        buf.push('\n');
    } else {
        let _ = writeln!(buf, "</{tag}>");
    }
}

fn push_authorship(rng: &mut Rng, buf: &mut String) {
    let _ = write!(
        buf,
        "authorship: Authored by {} {}",
        rng.pick(&FIRST_NAMES),
        rng.pick(&LAST_NAMES)
    );
    if rng.chance(0.85) {
        let _ = write!(
            buf,
            "; Proof-read/edited by {} {}",
            rng.pick(&FIRST_NAMES),
            rng.pick(&LAST_NAMES)
        );
    }
    buf.push('\n');
}

/// `updated_at` and `created_at`, in seconds; stale when asked.
fn dates(rng: &mut Rng, now_days: i64, stale: bool) -> (i64, i64) {
    let (lo, hi, back) = if stale {
        (STALE_MIN_DAYS, 4000, 1500)
    } else {
        (10, FRESH_MAX_DAYS, 2000)
    };
    let updated = (now_days - rng.range(lo, hi) as i64) * 86_400 + rng.below(86_400) as i64;
    let created = updated - rng.range(0, back) as i64 * 86_400 - rng.below(86_400) as i64;
    (updated, created)
}

/// Render page `i` into `buf` (cleared first).
fn render_page(
    rng: &mut Rng,
    site: &Site,
    i: usize,
    args: &Args,
    buf: &mut String,
    st: &mut Stats,
    defects: &mut Vec<Defect>,
) {
    let (now_days, markdown) = (args.now_days, args.markdown);
    let page = &site.pages[i];
    buf.clear();
    // Front matter.
    let _ = write!(
        buf,
        "---\nid: {}\nuri: {}\ntitle: {}\ntype: {}\n",
        page.id, page.uri, page.title, page.kind
    );
    if rng.chance(MISSING_AUTHORSHIP_RATE) {
        if rng.chance(0.3) {
            buf.push_str("authorship:\n");
            st.authorship_blank += 1;
        } else {
            st.authorship_absent += 1;
        }
        defects.push(Defect {
            page: i as u32,
            rule: "missing-authorship",
            what: "authorship".into(),
            note: if buf.ends_with("authorship:\n") {
                "blank"
            } else {
                "absent"
            }
            .into(),
        });
    } else {
        push_authorship(rng, buf);
    }
    let _ = writeln!(buf, "order: {}", page.order);
    let stale = rng.chance(STALE_RATE);
    let (updated, created) = dates(rng, now_days, stale);
    let updated_at = buf.len() + "updated_at: ".len();
    buf.push_str("updated_at: ");
    push_rfc3339(buf, updated);
    if stale {
        st.stale += 1;
        defects.push(Defect {
            page: i as u32,
            rule: "stale-updated-at",
            what: "updated_at".into(),
            note: buf[updated_at..].to_owned(),
        });
    }
    buf.push_str("\ncreated_at: ");
    push_rfc3339(buf, created);
    buf.push('\n');
    let with_contents = !page.children.is_empty()
        && (page.kind == "directory" || (page.kind == "level1" && rng.chance(0.3)));
    if with_contents {
        buf.push_str("contents:\n");
        for &c in page.children.iter().take(12) {
            let _ = writeln!(buf, "  - {}", site.pages[c as usize].id);
        }
    }
    buf.push_str("---\n\n");

    // Body.
    let links: Vec<PlannedLink> = (0..rng.range(5, 10))
        .map(|_| plan_link(rng, site, i, st, defects))
        .collect();
    let body_start = buf.len();
    let mut md = markdown.then(Refs::default);
    if markdown {
        // `{#id}`: the ids of the HTML site, as Hugo (goldmark) and kramdown read them.
        let _ = writeln!(buf, "# {} {{#{}}}\n", page.title, page.slug());
    } else {
        let _ = writeln!(buf, "<h1 id=\"{}\">{}</h1>", page.slug(), page.title);
    }
    let target = rng.range(BODY_MIN, BODY_MAX);
    let parts = page.h2.len() + 1;
    let mut next_link = 0;
    for part in 0..parts {
        if part > 0 {
            let (id, text) = HEADINGS[page.h2[part - 1] as usize];
            if markdown {
                let _ = writeln!(buf, "## {text} {{#{id}}}\n");
            } else {
                let _ = writeln!(buf, "<h2 id=\"{id}\">{text}</h2>");
            }
        }
        if markdown && part == 1 {
            // Link-like text in code is no link.
            buf.push_str("```\n[an example](/not/a/page) <a href=\"/nowhere\">x</a>\n```\n\n");
        }
        let part_end = body_start + target * (part + 1) / parts;
        loop {
            if rng.chance(0.15) {
                list(rng, buf, md.as_mut());
            } else {
                // Spread the links over the paragraphs still to come.
                let left = (body_start + target).saturating_sub(buf.len());
                let paragraphs_left = (left / 450).max(1) as f64;
                let p = (links.len() - next_link) as f64 / paragraphs_left;
                let mut take = 0;
                while next_link + take < links.len() && take < 3 && rng.chance(p) {
                    take += 1;
                }
                paragraph(rng, buf, &links[next_link..next_link + take], md.as_mut());
                next_link += take;
            }
            if buf.len() >= part_end {
                break;
            }
        }
    }
    if next_link < links.len() {
        match md.as_mut() {
            Some(refs) => {
                buf.push_str("Related pages:\n\n");
                for link in &links[next_link..] {
                    let _ = writeln!(buf, "- {}", refs.link(link));
                }
                buf.push('\n');
            }
            None => {
                buf.push_str("<p>Related pages:</p>\n<ul>\n");
                for link in &links[next_link..] {
                    let _ = writeln!(
                        buf,
                        "    <li><a href=\"{}\">{}</a></li>",
                        link.href, link.text
                    );
                }
                buf.push_str("</ul>\n");
            }
        }
    }
    if let Some(refs) = md {
        for (n, href) in refs.definitions.iter().enumerate() {
            let _ = writeln!(buf, "[{}]: {href}", n + 1);
        }
    }
    st.pages += 1;
    st.body(buf.len() - body_start);
}

/// The home page of the uri layout: `uri: /`, linking to every section.
fn render_home(site: &Site, seed: u64, now_days: i64, buf: &mut String, st: &mut Stats) {
    let mut rng = Rng::new(seed, u64::MAX - 1);
    buf.clear();
    buf.push_str("---\nid: home\nuri: /\ntitle: Home\ntype: directory\n");
    push_authorship(&mut rng, buf);
    buf.push_str("order: 0\nupdated_at: ");
    let (updated, created) = dates(&mut rng, now_days, false);
    push_rfc3339(buf, updated);
    buf.push_str("\ncreated_at: ");
    push_rfc3339(buf, created);
    buf.push_str("\ncontents:\n");
    for s in &site.sections {
        if let Some(&first) = s.first() {
            let _ = writeln!(buf, "  - {}", site.pages[first as usize].id);
        }
    }
    buf.push_str("---\n\n<h1 id=\"home\">Home</h1>\n");
    paragraph(&mut rng, buf, &[], None);
    buf.push_str("<h2 id=\"sections\">Sections</h2>\n<ul>\n");
    for s in &site.sections {
        if let Some(&first) = s.first() {
            let p = &site.pages[first as usize];
            let _ = writeln!(buf, "    <li><a href=\"/{}\">{}</a></li>", p.uri, p.title);
            st.links += 1;
        }
    }
    buf.push_str("</ul>\n");
}

/// Where page `i` goes, relative to the output folder.
fn rel_path(site: &Site, i: usize, layout: Layout, markdown: bool) -> String {
    let page = &site.pages[i];
    let ext = if markdown { "md" } else { "html" };
    match layout {
        Layout::Uri => format!("{}/index.{ext}", page.uri),
        Layout::Id => format!(
            "content/{}/{}.{ext}",
            site.pages[page.section as usize].uri, page.id
        ),
    }
}

fn write_file(path: &Path, text: &str) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(16 * 1024, File::create(path)?);
    w.write_all(text.as_bytes())?;
    w.flush()
}

/// Write pages `worker, worker + workers, …`.
fn worker(
    site: &Site,
    args: &Args,
    worker: usize,
    workers: usize,
) -> io::Result<(Stats, Vec<Defect>)> {
    let mut st = Stats::default();
    let mut defects = Vec::new();
    let mut buf = String::with_capacity(16 * 1024);
    for i in (worker..site.pages.len()).step_by(workers) {
        let mut rng = Rng::new(args.seed, i as u64);
        render_page(&mut rng, site, i, args, &mut buf, &mut st, &mut defects);
        let path = args.out.join(rel_path(site, i, args.layout, args.markdown));
        if args.layout == Layout::Uri {
            fs::create_dir_all(path.parent().unwrap_or(&args.out))?;
        }
        write_file(&path, &buf)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        st.bytes += buf.len() as u64;
    }
    Ok((st, defects))
}

fn run(args: &Args) -> io::Result<()> {
    let start = Instant::now();
    let site = build_site(args.pages, args.seed);
    fs::create_dir_all(&args.out)?;
    if args.layout == Layout::Id {
        for s in &site.sections {
            if let Some(&first) = s.first() {
                fs::create_dir_all(
                    args.out
                        .join("content")
                        .join(&site.pages[first as usize].uri),
                )?;
            }
        }
    }
    let workers = std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .clamp(1, 16)
        .min(args.pages);
    let results: Vec<io::Result<(Stats, Vec<Defect>)>> = std::thread::scope(|scope| {
        let site = &site;
        let handles: Vec<_> = (0..workers)
            .map(|w| scope.spawn(move || worker(site, args, w, workers)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    let mut st = Stats::default();
    let mut defects = Vec::new();
    for r in results {
        let (s, d) = r?;
        st.add(&s);
        defects.extend(d);
    }
    let mut home_pages = 0;
    if args.layout == Layout::Uri {
        let mut buf = String::new();
        render_home(&site, args.seed, args.now_days, &mut buf, &mut st);
        let home = if args.markdown {
            "index.md"
        } else {
            "index.html"
        };
        write_file(&args.out.join(home), &buf)?;
        st.bytes += buf.len() as u64;
        home_pages = 1;
    }
    if let Some(path) = &args.manifest {
        defects.sort_by_key(|d| d.page); // stable: a page's defects keep their order
        let mut w = BufWriter::new(File::create(path)?);
        writeln!(w, "rule\tfile\twhat\tnote")?;
        for d in &defects {
            writeln!(
                w,
                "{}\t{}\t{}\t{}",
                d.rule,
                rel_path(&site, d.page as usize, args.layout, args.markdown),
                d.what,
                d.note
            )?;
        }
        w.flush()?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let (y, m, d) = civil_from_days(args.now_days);
    let layout = match args.layout {
        Layout::Uri => "uri",
        Layout::Id => "id",
    };
    println!(
        "gensite: {} (layout {layout}, seed {}, now {y:04}-{m:02}-{d:02}) in {elapsed:.2} s",
        args.out.display(),
        args.seed
    );
    println!(
        "pages written:            {} (+{home_pages} home page)",
        st.pages
    );
    println!("bytes written:            {}", st.bytes);
    println!("body bytes per page:      {}..{}", st.body_min, st.body_max);
    println!(
        "links:                    {} ({} with a fragment)",
        st.links, st.fragment_links
    );
    println!(
        "planted broken links:     {} ({} typos, {} missing pages)",
        st.broken_typo + st.broken_missing,
        st.broken_typo,
        st.broken_missing
    );
    println!("planted broken fragments: {}", st.broken_fragment);
    println!(
        "missing authorship:       {} ({} absent, {} blank)",
        st.authorship_absent + st.authorship_blank,
        st.authorship_absent,
        st.authorship_blank
    );
    println!(
        "stale updated_at:         {} (more than {STALE_MIN_DAYS} days before now; others at most {FRESH_MAX_DAYS})",
        st.stale
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(ArgError::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(ArgError::Bad(message)) => {
            eprintln!("gensite: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Ok(mut entries) = fs::read_dir(&args.out)
        && entries.next().is_some()
    {
        eprintln!(
            "gensite: {} is not empty; remove it or choose another folder\n\n{USAGE}",
            args.out.display()
        );
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gensite: {e}");
            ExitCode::FAILURE
        }
    }
}
