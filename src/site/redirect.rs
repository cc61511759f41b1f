//! Redirects: pages that forward to another URI (`site.redirect_field`) and the lines of a
//! redirects file (`site.redirects_file`, `FROM TO` as in Netlify's `_redirects`), and where a
//! chain of them ends.

use crate::parse::link::{Resolver, Target};
use crate::parse::page::Spot;
use crate::parse::span::{LineIndex, Span};
use crate::parse::uri::Uri;

/// Where a redirect is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The redirect field of the page at this index.
    Page(usize),
    /// This entry of the redirects file.
    File(usize),
}

/// A redirect: where it goes, and where it is declared.
#[derive(Debug, Clone)]
pub struct Redirect {
    pub to: Target,
    pub origin: Origin,
}

/// A line of the redirects file.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub from: Uri,
    pub from_spot: Spot,
    pub to: Target,
    pub to_raw: String,
    pub to_spot: Spot,
}

/// Read a redirects file: `FROM TO [STATUS…]` lines, `#` comments. Both sides are paths from
/// the site's root (or, for `TO`, a full URL), as Netlify's `_redirects` and MDN's
/// `_redirects.txt` write them, whatever `site.base_path` is. Entries with splats or
/// placeholders (`*`, `:name`) match many paths and are left alone.
pub fn parse_file(text: &str, resolver: &Resolver) -> Vec<FileEntry> {
    let lines = LineIndex::new(text);
    let spot = |start: usize, len: usize| Spot {
        span: Span::new(start, start + len),
        position: lines.position(text, start),
    };
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < text.len() {
        // Lines end at LF, CRLF or a lone CR.
        let start = offset;
        let end = memchr::memchr2(b'\n', b'\r', &text.as_bytes()[start..])
            .map_or(text.len(), |i| start + i);
        offset = end + crate::parse::span::break_len(text, end);
        let line = &text[start..end];
        let content = line.split('#').next().unwrap_or("");
        let mut words = content
            .split_ascii_whitespace()
            .map(|w| (w, w.as_ptr() as usize - line.as_ptr() as usize + start));
        let (Some((from, from_at)), Some((to, to_at))) = (words.next(), words.next()) else {
            continue;
        };
        if from.contains('*') || from.contains("/:") || !from.starts_with('/') {
            continue;
        }
        // The file's lines are site paths: the base path, if any, is already part of them.
        let Some(target) = resolver.resolve_site_path(to) else {
            continue;
        };
        out.push(FileEntry {
            from: Uri::from_path(from),
            from_spot: spot(from_at, from.len()),
            to: target,
            to_raw: to.to_owned(),
            to_spot: spot(to_at, to.len()),
        });
    }
    out
}

/// Where following redirects from a URI ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// At the page with this index.
    Page(usize),
    /// Somewhere the site does not judge: another host, an ignored path, a page's sub-path.
    Elsewhere,
    /// At a URI nothing answers.
    Missing(Uri),
    /// Back at a URI already passed.
    Loop,
    /// Still redirecting after `limits.redirect_hops` hops: not followed further.
    TooLong,
}

/// A chain of redirects: the URIs passed (the first is where it started) and where it ends.
#[derive(Debug, Clone)]
pub struct Followed {
    pub chain: Vec<Uri>,
    pub end: End,
}

impl Followed {
    /// The chain as text: `/a → /b → /c`.
    pub fn describe(&self) -> String {
        self.chain
            .iter()
            .map(Uri::as_str)
            .collect::<Vec<_>>()
            .join(" → ")
    }

    /// The URI the chain ends at.
    pub fn last(&self) -> &Uri {
        self.chain
            .last()
            .unwrap_or_else(|| unreachable!("a chain starts with its URI"))
    }
}
