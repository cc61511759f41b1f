//! `Page`: one file read — its URI, front-matter fields, links and anchors, each with its
//! position — and `SitePage`, the little of it the site index keeps once the page's own rules
//! have run: URI, id, internal links and anchors. The source text is dropped as soon as the
//! page is read and its fields once it is linted, so memory grows with the number of internal
//! links, not with the size of the markup.

use crate::diagnostic::FileRead;
use crate::parse::frontmatter::{self, Field, FrontMatter, Problem};
use crate::parse::html::LinkSource;
use crate::parse::link::{Link, Resolver, Target};
use crate::parse::locale::Locales;
use crate::parse::span::{LineIndex, Position, Span};
use crate::parse::suppression::{self, Suppression};
use crate::parse::uri::TrailingSlash;
use crate::parse::uri::Uri;
use std::collections::BTreeMap;

/// A problem reading the file itself.
#[derive(Debug, Clone)]
pub struct ReadProblem {
    pub message: String,
    pub help: String,
    pub span: Span,
    pub position: Position,
}

/// A place in the file: span plus the position of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Spot {
    pub span: Span,
    pub position: Position,
}

/// A front-matter field with the position of its value (or key).
#[derive(Debug, Clone)]
pub struct PageField {
    pub field: Field,
    pub spot: Spot,
    /// The spot of the key, for diagnostics about the field as a whole.
    pub key: Spot,
}

/// The front matter's problem, located.
#[derive(Debug, Clone)]
pub struct FrontMatterProblem {
    pub problem: Problem,
    pub spot: Spot,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// The path as walked (what diagnostics show).
    pub path: String,
    /// The path relative to the content root, with `/` separators.
    pub rel: String,
    /// The URI the page is served at.
    pub uri: Uri,
    /// True when the URI comes from the page's path (no usable uri field).
    pub uri_from_path: bool,
    pub fields: BTreeMap<String, PageField>,
    /// The front matter problem, if any; field rules stay quiet when there is one.
    pub front_matter: Option<FrontMatterProblem>,
    /// The opening `---` (or the file's start).
    pub open: Spot,
    pub links: Vec<Link>,
    /// Sorted, deduplicated ids and anchor names.
    pub anchors: Vec<String>,
    /// The entries of the table of contents (`site.toc_field`), in order, and the field's key.
    pub toc: Vec<TocEntry>,
    pub toc_key: Spot,
    /// True when the body holds nothing but whitespace and comments (placeholders, redirects).
    pub body_empty: bool,
    /// True when the file could not be read (only its URI may be known): its fields, links
    /// and anchors are unknown, so no rule judges them.
    pub unread: bool,
    /// False when only the front matter was read (links and anchors are unknown).
    pub body_read: bool,
    /// The file's size and modification time when it was read, and its real path when `path`
    /// does not name it exactly (a name that is not UTF-8): shared with its findings.
    pub read: Option<std::sync::Arc<FileRead>>,
    /// What the bytes that were checked were, when the whole file was read.
    pub digest: Option<Digest>,
    pub read_problem: Option<ReadProblem>,
    /// The suppressions written in the page: the front-matter field first, then the body's
    /// directive comments in order (none when only the front matter was read).
    pub suppressions: Vec<Suppression>,
    /// The limits the page reached while it was read, besides its front matter's (which is
    /// `front_matter`'s problem): limit-exceeded reports them.
    pub limits_reached: Vec<ReadProblem>,
}

/// The length and a 128-bit hash (XXH3) of the bytes that were checked, so that the report
/// shows a file's lines only when they are still those bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest {
    pub len: u64,
    /// The hash's two halves (not a `u128`, whose 16-byte alignment would pad every page).
    pub hash: [u64; 2],
}

impl Digest {
    pub fn of(bytes: &[u8]) -> Digest {
        Digest {
            len: bytes.len() as u64,
            hash: {
                let h = xxhash_rust::xxh3::xxh3_128(bytes);
                [(h >> 64) as u64, h as u64]
            },
        }
    }
}

/// Where a page's URI comes from.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UriFrom {
    /// The uri field (`site.uri_field`) where the page has one, else the page's path.
    #[default]
    Field,
    /// The page's path: the extension dropped, `index.*` as its folder (what static site
    /// generators do); only `site.permalink_field` overrides it.
    Path,
}

/// Names of the fields the site index reads.
pub struct FieldNames<'a> {
    pub uri: &'a str,
    pub id: &'a str,
    /// Fields whose value is a page URI.
    pub links: &'a [String],
    /// The table-of-contents field.
    pub toc: Option<&'a str>,
    /// The field that makes a page forward to another URI.
    pub redirect: Option<&'a str>,
    /// The path every page's URI lives under (`/en-US/docs`), or "".
    pub base_path: &'a str,
    /// How much of a page is read (front matter, links).
    pub limits: &'a crate::parse::limits::Limits,
    /// Where a page's URI comes from.
    pub uri_from: UriFrom,
    /// The field that, where a page has it, is its URI (`permalink`).
    pub permalink: Option<&'a str>,
    /// The site's locales, if it has several.
    pub locales: Option<&'a Locales>,
    /// Fields listing other URIs that forward to the page.
    pub aliases: &'a [String],
    /// Whether links to pages end with a slash: where a path-addressed page is served.
    pub trailing_slash: TrailingSlash,
    /// The folder (relative to the root, without slashes) whose paths are the URIs of the pages
    /// under it (`pages` of Next.js, `content` of Hugo), when the root holds more.
    pub content_dir: Option<&'a str>,
    /// How bodies are read (HTML or Markdown, heading ids).
    pub body: crate::parse::body::BodyOptions<'a>,
}

/// Where a page's URI is declared: the uri field's value or the permalink field's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub value: String,
    /// The field it is written in.
    pub field: String,
}

impl FieldNames<'_> {
    /// The URI a page's fields declare (`field` gives a field by name): the uri field's (unless
    /// the site addresses pages by path), else the permalink field's; a blank one declares
    /// nothing, nor a permalink with `:placeholders` (a generator's pattern, not a URI).
    pub fn declared<'f>(&self, field: impl Fn(&str) -> Option<&'f Field>) -> Option<Declared> {
        let text = |name: &str| {
            field(name)
                .and_then(Field::text)
                .filter(|u| !u.trim().is_empty())
        };
        let from_uri = (self.uri_from == UriFrom::Field)
            .then(|| text(self.uri).map(|v| (v, self.uri)))
            .flatten();
        let from_permalink = || {
            let name = self.permalink?;
            text(name).filter(|v| !v.contains("/:")).map(|v| (v, name))
        };
        from_uri
            .or_else(from_permalink)
            .map(|(value, field)| Declared {
                value,
                field: field.to_owned(),
            })
    }

    /// A page's URI: its declared uri (under the base path), else its file path (without
    /// the default locale's prefix, where the site serves that locale without one).
    pub fn page_uri(&self, declared: Option<&Declared>, rel: &str) -> (Uri, bool) {
        match declared {
            Some(d) => (Uri::under(self.base_path, &d.value), false),
            None => {
                // Addressed from the content folder, where the site keeps its pages in one.
                let rel = self
                    .content_dir
                    .and_then(|dir| rel.strip_prefix(dir)?.strip_prefix('/'))
                    .unwrap_or(rel);
                let uri = Uri::under_decoded(self.base_path, Uri::from_file_path(rel).as_str());
                (self.locales.map_or(uri.clone(), |l| l.served(uri)), true)
            }
        }
    }

    /// The path a page is served at, for resolving its relative links: a declared URI as
    /// written (with its trailing slash, if any); in a site addressed by path, the page's URI,
    /// with a slash where the server adds one (a folder's index page, unless the site forbids
    /// trailing slashes, or every page where it requires them); else, as today, the file.
    pub fn served_path(&self, declared: Option<&Declared>, uri: &Uri, rel: &str) -> String {
        let slash = |yes: bool| if yes && uri.as_str() != "/" { "/" } else { "" };
        match declared {
            // A permalink's slash is the generator's (`/about/` is `about/index.html`); a uri
            // field is read as it always was.
            Some(d) => {
                let permalink = self.permalink == Some(d.field.as_str());
                format!("{uri}{}", slash(permalink && d.value.trim().ends_with('/')))
            }
            None if self.uri_from == UriFrom::Path => {
                let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
                let index = stem == "index" || stem.ends_with("/index");
                let slash = match self.trailing_slash {
                    TrailingSlash::Require => true,
                    TrailingSlash::Forbid => false,
                    TrailingSlash::Ignore => index,
                };
                format!(
                    "{uri}{}",
                    if slash && uri.as_str() != "/" {
                        "/"
                    } else {
                        ""
                    }
                )
            }
            None => Uri::under_decoded(self.base_path, rel).to_string(),
        }
    }
}

/// A table-of-contents entry: the id it names, and where that id is written.
#[derive(Debug, Clone)]
pub struct TocEntry {
    pub id: String,
    pub spot: Spot,
}

/// How a `SitePage` keeps its root-relative path: as the end of `path` when it is.
pub fn rel_parts(path: &str, rel: String) -> (u32, Option<Box<str>>) {
    if path.ends_with(&rel) {
        return match u32::try_from(path.len() - rel.len()) {
            Ok(start) => (start, None),
            Err(_) => (0, Some(rel.into_boxed_str())),
        };
    }
    (0, Some(rel.into_boxed_str()))
}

/// A page's ids and anchor names, sorted and deduplicated, kept in one string: two
/// allocations per page however many ids it has.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "AnchorsParts")]
pub struct Anchors {
    text: Box<str>,
    /// Where each name ends in `text`.
    ends: Box<[u32]>,
}

/// `Anchors` as stored (in the page cache), before its ends are checked against its text.
#[derive(serde::Deserialize)]
struct AnchorsParts {
    text: Box<str>,
    ends: Box<[u32]>,
}

impl TryFrom<AnchorsParts> for Anchors {
    type Error = &'static str;

    /// Stored anchors are read only if every end lies in the text, in order, between
    /// characters: else a crafted or damaged cache would slice outside the text.
    fn try_from(parts: AnchorsParts) -> Result<Anchors, Self::Error> {
        let (mut start, mut previous) = (0, None);
        for &end in &parts.ends {
            let end = end as usize;
            if end < start || !parts.text.is_char_boundary(end) {
                return Err("anchor ends out of order or outside their text");
            }
            // Sorted and distinct, as `Anchors::new` keeps them (`contains` searches them).
            let name = &parts.text[start..end];
            if previous.is_some_and(|p: &str| p >= name) {
                return Err("anchors not sorted");
            }
            (start, previous) = (end, Some(name));
        }
        Ok(Anchors {
            text: parts.text,
            ends: parts.ends,
        })
    }
}

impl Anchors {
    pub fn new(mut names: Vec<String>) -> Anchors {
        names.sort_unstable();
        names.dedup();
        let mut text = String::with_capacity(names.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(names.len());
        for name in &names {
            // A page is at most 1 GiB (`config::MAX_FILE_BYTES_CAP`): its names fit.
            let Ok(end) = u32::try_from(text.len() + name.len()) else {
                break;
            };
            text.push_str(name);
            ends.push(end);
        }
        Anchors {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// Whether every name lies inside the text, in order, on character boundaries (true of
    /// every `Anchors` made by `new`; a decoded one is checked before use).
    pub fn is_sound(&self) -> bool {
        let mut start = 0;
        self.ends.iter().all(|&end| {
            let end = end as usize;
            let ok = start <= end && end <= self.text.len() && self.text.is_char_boundary(end);
            start = end;
            ok
        })
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The names, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn contains(&self, name: &str) -> bool {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(name) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}

/// What the site index keeps of a page: enough for the site rules (links, fragments,
/// duplicates) and for their diagnostics.
#[derive(Debug, Clone)]
pub struct SitePage {
    pub path: String,
    /// The path relative to the root is the end of `path` from here (or `rel_own`).
    pub(crate) rel_start: u32,
    pub(crate) rel_own: Option<Box<str>>,
    pub uri: Uri,
    pub uri_from_path: bool,
    /// Where the URI is declared (the uri field's value, or the opening `---`).
    pub uri_spot: Spot,
    /// The page's id and where it is written.
    pub id: Option<(Box<str>, Spot)>,
    /// The front-matter `type`, which selects config overrides.
    pub page_type: Option<Box<str>>,
    /// The front-matter `title`, for suggestions (a link written as the title in slug form).
    pub title: Option<Box<str>>,
    /// Where the page forwards to, and where that is written.
    pub redirect: Option<Box<(Target, Spot)>>,
    /// Other URIs that forward to the page (`site.alias_fields`).
    pub aliases: Box<[Uri]>,
    /// Internal and invalid links only: nothing judges the others.
    pub links: Vec<Link>,
    /// Its ids and anchor names.
    pub anchors: Anchors,
    /// False when only the front matter was read: the anchors are not known yet.
    pub anchors_known: bool,
    /// The file's size and modification time when it was read, and its real path when `path`
    /// does not name it exactly (a name that is not UTF-8): shared with its findings.
    pub read: Option<std::sync::Arc<FileRead>>,
    /// What the bytes that were checked were, when the whole file was read.
    pub digest: Option<Digest>,
    pub unread: bool,
}

impl SitePage {
    /// Its file as diagnostics name it (path, and what it was when read).
    pub fn file(&self) -> (&str, Option<&std::sync::Arc<FileRead>>) {
        (&self.path, self.read.as_ref())
    }

    /// Keep what the site rules need of `page`.
    pub fn new(page: Page, names: &FieldNames<'_>) -> SitePage {
        let uri_spot = names
            .declared(|name| page.fields.get(name).map(|f| &f.field))
            .filter(|_| !page.uri_from_path)
            .and_then(|d| page.fields.get(&d.field))
            .map_or(page.open, |f| f.spot);
        let id = page.fields.get(names.id).and_then(|f| {
            let text = f.field.text()?;
            let id = text.trim();
            (!id.is_empty()).then(|| (Box::from(id), f.spot))
        });
        let page_type = page.text("type").map(String::into_boxed_str);
        let title = page.text("title").map(String::into_boxed_str);
        let redirect = page
            .links
            .iter()
            .find_map(|l| {
                (l.source == LinkSource::Redirect).then(|| {
                    (
                        l.target.clone(),
                        Spot {
                            span: l.span(),
                            position: l.position,
                        },
                    )
                })
            })
            .map(Box::new);
        let aliases = page_aliases(&page, names);
        let (rel_start, rel_own) = rel_parts(&page.path, page.rel);
        let mut links = page.links;
        links.retain(|l| matches!(l.target, Target::Internal { .. } | Target::Invalid(_)));
        links.shrink_to_fit();
        SitePage {
            path: page.path,
            rel_start,
            rel_own,
            uri: page.uri,
            uri_from_path: page.uri_from_path,
            uri_spot,
            id,
            page_type,
            title,
            redirect,
            aliases,
            links,
            anchors: Anchors::new(page.anchors),
            anchors_known: page.body_read,
            read: page.read,
            digest: page.digest,
            unread: page.unread,
        }
    }

    /// Whether the page has the anchor `name`.
    pub fn has_anchor(&self, name: &str) -> bool {
        self.anchors.contains(name)
    }

    /// The path relative to the content root, with `/` separators (kept as the end of `path`
    /// when it is one, as it is on systems with `/` separators: pages are many).
    pub fn rel(&self) -> &str {
        match &self.rel_own {
            Some(rel) => rel,
            None => &self.path[self.rel_start as usize..],
        }
    }
}

impl Page {
    /// Its file as diagnostics name it (path, and what it was when read).
    pub fn file(&self) -> (&str, Option<&std::sync::Arc<FileRead>>) {
        (&self.path, self.read.as_ref())
    }

    /// A page that could not be read. `head` is its first bytes when they could be read (a
    /// file too large to check): its URI still comes from them, so links to it are not broken.
    pub fn unreadable(
        path: String,
        rel: String,
        problem: ReadProblem,
        head: Option<&str>,
        names: &FieldNames<'_>,
    ) -> Page {
        let fields = head
            .map(|h| frontmatter::parse(h).fields)
            .unwrap_or_default();
        let declared = names.declared(|name| fields.get(name));
        let (uri, uri_from_path) = names.page_uri(declared.as_ref(), &rel);
        Page {
            uri_from_path,
            uri,
            path,
            rel,
            fields: BTreeMap::new(),
            front_matter: None,
            open: Spot::default(),
            links: Vec::new(),
            anchors: Vec::new(),
            toc: Vec::new(),
            toc_key: Spot::default(),
            body_empty: true,
            unread: true,
            body_read: false,
            read: None,
            digest: None,
            read_problem: Some(problem),
            suppressions: Vec::new(),
            limits_reached: Vec::new(),
        }
    }

    /// A page of which only the beginning, holding its front matter, was read.
    pub fn front_matter_only(
        path: String,
        rel: String,
        head: &str,
        names: &FieldNames<'_>,
        resolver: &Resolver,
    ) -> Page {
        let fm = frontmatter::parse_within(head, names.limits);
        let exact = exact_link_fields(head, &fm, names);
        let lines = LineIndex::new(head);
        let spot = |span: Span| Spot {
            span,
            position: lines.position(head, span.start),
        };
        let fields = locate(fm.fields, head, &lines);
        let declared = names.declared(|name| fields.get(name).map(|f| &f.field));
        let (uri, uri_from_path) = names.page_uri(declared.as_ref(), &rel);
        let links = field_links(&fields, names, resolver, fm.problem.is_none(), &exact);
        Page {
            uri_from_path,
            uri,
            path,
            rel,
            fields,
            front_matter: None,
            open: spot(fm.open),
            links,
            anchors: Vec::new(),
            toc: Vec::new(),
            toc_key: Spot::default(),
            body_empty: false,
            unread: false,
            body_read: false,
            read: None,
            digest: None,
            read_problem: None,
            suppressions: Vec::new(),
            limits_reached: Vec::new(),
        }
    }

    /// Read a page from its bytes. Bytes that are not UTF-8 give a `ReadProblem` at the first
    /// bad byte, and the rest of the page is still read (with replacement characters).
    pub fn from_bytes(
        path: String,
        rel: String,
        bytes: Vec<u8>,
        names: &FieldNames<'_>,
        resolver: &Resolver,
    ) -> Page {
        match String::from_utf8(bytes) {
            Ok(text) => Page::from_text(path, rel, &text, names, resolver),
            Err(e) => {
                let bad = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                // Offsets up to the first bad byte are the same in the lossy text.
                let position = LineIndex::new(&text).position(&text, bad);
                let mut page = Page::from_text(path, rel, &text, names, resolver);
                page.read_problem = Some(ReadProblem {
                    message: format!(
                        "the file is not valid UTF-8 (byte 0x{:02X} at {}:{})",
                        bytes[bad], position.line, position.column
                    ),
                    help: "save the file as UTF-8; other encodings show as garbled text".into(),
                    span: Span::new(bad, bad + 1),
                    position,
                });
                page
            }
        }
    }

    pub fn from_text(
        path: String,
        rel: String,
        text: &str,
        names: &FieldNames<'_>,
        resolver: &Resolver,
    ) -> Page {
        let lines = LineIndex::new(text);
        let spot = |span: Span| Spot {
            span,
            position: lines.position(text, span.start),
        };
        let fm: FrontMatter = frontmatter::parse_within(text, names.limits);
        let exact = exact_link_fields(text, &fm, names);
        let front_matter = fm.problem.clone().map(|problem| {
            let span = match &problem {
                Problem::Syntax { span, .. } | Problem::Limit { span, .. } => *span,
                _ => fm.open,
            };
            FrontMatterProblem {
                problem,
                spot: spot(span),
            }
        });
        let fields = locate(fm.fields, text, &lines);
        let declared = names.declared(|name| fields.get(name).map(|f| &f.field));
        let (uri, uri_from_path) = names.page_uri(declared.as_ref(), &rel);
        // Relative links resolve from where the page is served, or from its `<base href>`.
        let page_url = resolver.page_url(&names.served_path(declared.as_ref(), &uri, &rel));
        let mut body = names.body.scan(&rel, text, fm.body_start);
        let mut limits_reached = Vec::new();
        let max_links = names.limits.links_per_page;
        if let Some(first_dropped) = body.links.get(max_links) {
            let span = first_dropped.span;
            limits_reached.push(ReadProblem {
                message: format!(
                    "the page has {} links, more than `limits.links_per_page` ({max_links}); \
                     those from here on are not checked",
                    body.links.len()
                ),
                help: format!(
                    "split the page; {}",
                    crate::parse::limits::raise("links_per_page")
                ),
                span,
                position: lines.position(text, span.start),
            });
            body.links.truncate(max_links);
        }
        let base = resolver.document_base(&page_url, body.base.as_deref());
        let field_links = field_links(&fields, names, resolver, front_matter.is_none(), &exact);
        let mut cursor = lines.cursor(text);
        let links = field_links
            .into_iter()
            .chain(body.links.into_iter().filter_map(|raw| {
                let mut target = resolver.resolve(&base, &raw.href)?;
                // A generator that writes the page's locale into its links (Docusaurus, next-intl).
                let (mut localized, mut slash_dropped) = (false, false);
                if let (Some(locales), Target::Internal { uri: to, .. }) =
                    (names.locales, &mut target)
                    && let Some(under) =
                        locales.link_target(to, uri.as_str(), raw.source, &raw.href)
                {
                    *to = under;
                    slash_dropped = locales.localizes_hyperlinks();
                    localized = true;
                }
                let mut link = Link::new(
                    raw.span,
                    cursor.position(raw.span.start),
                    raw.source,
                    &raw.href,
                    target,
                    raw.located,
                );
                if slash_dropped && link.requested_slash.is_some() {
                    link.requested_slash = Some(false);
                }
                link.localized = localized;
                Some(link)
            }))
            .collect();
        let toc_field = names.toc.and_then(|name| fields.get(name));
        let toc_key = toc_field.map_or(Spot::default(), |f| f.key);
        let toc = toc_field
            .map(|f| {
                let ids = f.field.value.as_sequence().map_or_else(Vec::new, |items| {
                    items
                        .iter()
                        .map(|item| item.get("id").and_then(frontmatter::scalar_text))
                        .collect()
                });
                let written = frontmatter::nested_values(text, f.key.span.end, fm.body_start, "id");
                ids.into_iter()
                    .enumerate()
                    .filter_map(|(i, id)| {
                        let id = id?;
                        // Matched by order with where each `id:` is written; else the field.
                        let spot = match written.get(i) {
                            Some((w, span)) if *w == id => spot(*span),
                            _ => f.key,
                        };
                        Some(TocEntry { id, spot })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut anchors = body.anchors;
        anchors.sort_unstable();
        anchors.dedup();
        // The field of a front matter that did not parse is a guess: not read.
        let page_wide = fields
            .get(suppression::FIELD)
            .filter(|_| front_matter.is_none())
            .map(|f| suppression::from_front_matter(text, &lines, f, fm.body_start));
        let mut suppressions: Vec<Suppression> = page_wide.into_iter().collect();
        suppressions.extend(suppression::from_comments(text, &lines, &body.directives));
        Page {
            path,
            rel,
            uri,
            uri_from_path,
            fields,
            front_matter,
            open: spot(fm.open),
            links,
            anchors,
            toc,
            toc_key,
            body_empty: is_blank_html(&text[fm.body_start..]),
            unread: false,
            body_read: true,
            read: None,
            digest: None,
            read_problem: None,
            suppressions,
            limits_reached,
        }
    }

    /// A field's value as text, if the page has it as a scalar.
    pub fn text(&self, name: &str) -> Option<String> {
        self.fields.get(name).and_then(|f| f.field.text())
    }

    /// The first of `names` that the page has with a value (not null, blank, nor an empty
    /// list), and that field: `site.author_fields`, `site.updated_fields` and
    /// `site.created_fields` are read so.
    pub fn first_present<'n>(&self, names: &'n [String]) -> Option<(&'n str, &PageField)> {
        names.iter().find_map(|name| {
            let f = self.fields.get(name)?;
            let empty = match &f.field.value {
                serde_yaml::Value::Sequence(items) => items
                    .iter()
                    .all(|i| frontmatter::scalar_text(i).is_none_or(|t| t.trim().is_empty())),
                _ => f.field.is_blank(),
            };
            (!empty).then_some((name.as_str(), f))
        })
    }

    /// Whether its front matter was read without problems (field rules need it).
    pub fn fields_valid(&self) -> bool {
        self.front_matter.is_none() && !self.unread
    }
}

/// Front-matter fields with the positions of their values and keys in `text`.
fn locate(
    fields: BTreeMap<String, Field>,
    text: &str,
    lines: &LineIndex,
) -> BTreeMap<String, PageField> {
    let spot = |span: Span| Spot {
        span,
        position: lines.position(text, span.start),
    };
    fields
        .into_iter()
        .map(|(k, field)| {
            let (spot, key) = (spot(field.span()), spot(field.key));
            (k, PageField { field, spot, key })
        })
        .collect()
}

/// The URIs the alias fields of a page list (a URI, or a list of them, written like the uri
/// field; a full URL is another host's business), when its front matter parsed.
fn page_aliases(page: &Page, names: &FieldNames<'_>) -> Box<[Uri]> {
    if names.aliases.is_empty() || !page.fields_valid() {
        return Box::default();
    }
    let values = names
        .aliases
        .iter()
        .filter_map(|name| page.fields.get(name))
        .flat_map(|f| match &f.field.value {
            serde_yaml::Value::Sequence(items) => {
                items.iter().filter_map(frontmatter::scalar_text).collect()
            }
            value => frontmatter::scalar_text(value)
                .into_iter()
                .collect::<Vec<_>>(),
        });
    values
        .filter(|v| !v.trim().is_empty() && !v.contains("://") && !v.trim().starts_with("//"))
        .map(|v| Uri::under(names.base_path, &v))
        .collect()
}

/// The links in front-matter fields: `site.link_fields`, written site-root-relative like the
/// uri field, and the redirect field, which makes the page forward. Values from a front matter
/// that did not parse (`valid` false) are guesses: not judged.
fn field_links(
    fields: &BTreeMap<String, PageField>,
    names: &FieldNames<'_>,
    resolver: &Resolver,
    valid: bool,
    exact: &[&str],
) -> Vec<Link> {
    if !valid {
        return Vec::new();
    }
    link_field_names(names)
        .filter_map(|(name, source)| {
            let f = fields.get(name)?;
            let value = f.field.text()?;
            let target = resolver.resolve_field(&value)?;
            Some(Link::new(
                f.spot.span,
                f.spot.position,
                source,
                &value,
                target,
                exact.contains(&name),
            ))
        })
        .collect()
}

/// The fields whose values are links: `site.link_fields`, then the redirect field.
fn link_field_names<'a>(
    names: &'a FieldNames<'_>,
) -> impl Iterator<Item = (&'a str, LinkSource)> + 'a {
    let redirect = names.redirect.map(|r| (r, LinkSource::Redirect));
    names
        .links
        .iter()
        .map(|name| (name.as_str(), LinkSource::Field))
        .chain(redirect)
}

/// The link fields of `fm` whose values `fix` may rewrite (`frontmatter::exact_value`).
fn exact_link_fields<'a>(text: &str, fm: &FrontMatter, names: &'a FieldNames<'_>) -> Vec<&'a str> {
    link_field_names(names)
        .map(|(name, _)| name)
        .filter(|name| frontmatter::exact_value(text, fm, name).is_some())
        .collect()
}

/// Whether an HTML body holds nothing a reader would see: whitespace and comments only.
pub fn is_blank_html(mut body: &str) -> bool {
    loop {
        body = body.trim_start();
        let Some(rest) = body.strip_prefix("<!--") else {
            return body.is_empty();
        };
        match rest.find("-->") {
            Some(i) => body = &rest[i + 3..],
            None => return true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Anchors, is_blank_html};

    #[test]
    fn stored_anchors_are_read_only_when_their_ends_fit_their_text() {
        let good = Anchors::new(vec!["b".into(), "é".into(), "a".into()]);
        let bytes = postcard::to_allocvec(&good).expect("serializes");
        assert_eq!(postcard::from_bytes::<Anchors>(&bytes), Ok(good));
        // text "aé" (3 bytes) with ends: past the text, inside é, out of order, and names
        // out of order or twice ("a", "" after "a"; "aé", "").
        for ends in [&[1u8, 4][..], &[2], &[3, 1], &[1, 1], &[3, 3]] {
            let mut bytes = vec![3, b'a', 0xC3, 0xA9, ends.len() as u8];
            bytes.extend_from_slice(ends);
            assert!(
                postcard::from_bytes::<Anchors>(&bytes).is_err(),
                "ends {ends:?} are refused"
            );
        }
    }

    #[test]
    fn blank_bodies_hold_only_whitespace_and_comments() {
        assert!(is_blank_html(""));
        assert!(is_blank_html("\n  \r\n"));
        assert!(is_blank_html("<!-- placeholder -->\n<!-- todo -->\n"));
        assert!(!is_blank_html("<!-- note --><p>text</p>"));
        assert!(!is_blank_html("text"));
    }
}
