//! Redirects: pages that forward to another URI (`site.redirect_field`), the URIs pages list
//! as their aliases (`site.alias_fields`), the rules of a redirects file (`site.redirects_file`:
//! exact paths, and patterns a link resolves through), the site's locale redirect, and where a
//! chain of them ends.

use crate::parse::link::Target;
use crate::parse::page::Spot;
use crate::parse::uri::Uri;
use crate::site::pattern::Pattern;

/// Where a redirect is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The redirect field of the page at this index.
    Page(usize),
    /// This entry of the redirects file.
    File(usize),
    /// This pattern entry of the redirects file, matched.
    Pattern(usize),
    /// An alias field of the page at this index.
    Alias(usize),
    /// The server's redirect of a path without a locale to the default locale's
    /// (`site.locales.unprefixed: redirect`).
    Locale,
}

impl Origin {
    /// Whether the redirect is made for the URI by a rule, not declared for it: a chain that
    /// ends nowhere through it is reported at the link, as nobody declared it.
    pub fn is_computed(self) -> bool {
        matches!(self, Origin::Pattern(_) | Origin::Locale)
    }
}

/// A redirect: where it goes, and where it is declared.
#[derive(Debug, Clone)]
pub struct Redirect {
    pub to: Target,
    pub origin: Origin,
}

/// A rule of the redirects file.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// The URI it forwards from (for a pattern, its source as a URI, for messages).
    pub from: Uri,
    pub from_spot: Spot,
    /// Where it forwards to (for a pattern, with the placeholders a match fills).
    pub to: Target,
    pub to_raw: String,
    pub to_spot: Spot,
    /// The source, compiled, when it matches many paths.
    pub pattern: Option<Box<Pattern>>,
    /// Whether it applies where a page answers too (Netlify's `!`; Next.js's redirects run
    /// before its pages). Only patterns are shadowed by pages; an exact rule always applied.
    pub force: bool,
    /// Whether the host serves the destination at the source (a 200 rule, a Next.js
    /// rewrite) rather than redirecting to it.
    pub rewrite: bool,
    /// Whether the source ends with a slash, where the host matches sources strictly on it
    /// (`site.redirects_trailing_slash: strict`); `None` where a slash is ignored.
    pub slash: Option<bool>,
}

impl FileEntry {
    /// Whether the rule applies to a link whose path ends with a slash or not (`slash`;
    /// `None`: a URI met along a chain, or a link that writes no path of its own).
    pub fn applies_to(&self, slash: Option<bool>) -> bool {
        match (self.slash, slash) {
            (Some(source), Some(link)) => source == link,
            _ => true,
        }
    }
}

/// How the host matches a trailing slash in a redirect source (`site.redirects_trailing_slash`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceSlash {
    /// `/a` and `/a/` match the same rules: Netlify ignores a trailing slash in its rules, and
    /// Next.js by default redirects `/a/` to `/a` before its redirects run.
    #[default]
    Ignore,
    /// A source matches only with the trailing slash it is written with (path-to-regexp
    /// `strict: true`, as Next.js compiles its custom routes): on a Next.js site with
    /// `skipTrailingSlashRedirect: true`, nothing removes the slash first, so `/a/` passes
    /// by the rule for `/a`.
    Strict,
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
    /// Whether the last hop was made by a rule rather than declared for its URI
    /// (`Origin::is_computed`).
    pub computed: bool,
    /// Whether the first hop was.
    pub first_computed: bool,
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

/// The pattern rules of a redirects file (or its rewrites), found for a path in one pass of
/// one `RegexSet`, in file order.
#[derive(Debug, Default)]
pub struct PatternRules {
    /// The entries, by their index in the file's list.
    entries: Vec<usize>,
    set: Option<regex::RegexSet>,
}

impl PatternRules {
    /// The pattern entries of `entries` that `keep` accepts.
    pub fn new(entries: &[FileEntry], keep: impl Fn(&FileEntry) -> bool) -> PatternRules {
        let chosen: Vec<usize> = (0..entries.len())
            .filter(|&i| entries[i].pattern.is_some() && keep(&entries[i]))
            .collect();
        let expressions = chosen
            .iter()
            .filter_map(|&i| Some(entries[i].pattern.as_ref()?.expression()));
        // Each expression compiled alone already; together they stay within the same limit.
        let set = regex::RegexSetBuilder::new(expressions)
            .size_limit(1 << 24)
            .build()
            .ok()
            .filter(|_| !chosen.is_empty());
        PatternRules {
            entries: chosen,
            set,
        }
    }

    /// The entries whose pattern matches `path`, in file order.
    pub fn matching(&self, path: &str) -> impl Iterator<Item = usize> + '_ {
        let found = self.set.as_ref().map(|set| set.matches(path));
        found
            .into_iter()
            .flat_map(regex::SetMatches::into_iter)
            .map(|k| self.entries[k])
    }
}

/// Where `entry`, a pattern that matches `path`, forwards it: its destination with the
/// placeholders filled.
pub fn filled_target(entry: &FileEntry, path: &str) -> Option<Target> {
    let captures = entry.pattern.as_ref()?.captures(path)?;
    Some(match &entry.to {
        Target::Internal { uri, fragment } => Target::Internal {
            uri: Uri::from_decoded(&crate::site::pattern::fill(uri.as_str(), &captures)),
            fragment: fragment.clone(),
        },
        other => other.clone(),
    })
}
