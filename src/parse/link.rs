//! Resolving an href, as written in a page, to what it points at: against the document's base
//! URL (the page's own URL, or its first `<base href>`), with the fragment kept as the URL
//! holds it, and whether a fragment finds its place in a page.

use crate::parse::html::LinkSource;
use crate::parse::intern::Interner;
use crate::parse::span::{Position, Span};
use crate::parse::uri::{HREF_PATH, Uri, percent_decode};
use globset::GlobSet;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::borrow::Cow;
use url::Url;

/// What the URL parser percent-encodes in a fragment (WHATWG URL § 1.3, the fragment
/// percent-encode set), so that a fragment from the fast path reads as the parser's would.
const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// What starts a fragment directive (`#sec:~:text=…`): the rest is not part of the fragment
/// that indicates an element (URL Fragment Text Directives § 3.3, as HTML's navigation
/// strips it before scrolling to a fragment).
const DIRECTIVE: &str = ":~:";

/// The made-up origin pages are resolved against; links to it are internal.
const ORIGIN: &str = "https://pagelint.invalid/";

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Target {
    /// Another scheme (mailto:, tel:, …) or another host: not judged.
    External,
    /// An internal path matched by `site.ignore_links`: never judged.
    Ignored,
    /// A page of this site, maybe with a fragment: as the URL holds it (percent-encoded where
    /// the URL parser encodes, and without a text directive); `finds_fragment` judges it.
    Internal {
        uri: Uri,
        fragment: Option<Box<str>>,
    },
    /// The href is not a URL at all (boxed: rare, and links are many).
    Invalid(Box<InvalidHref>),
}

/// An href that is not a URL, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InvalidHref {
    pub href: String,
    pub reason: String,
}

/// A link of a page, resolved.
#[derive(Debug, Clone)]
pub struct Link {
    /// The span of the attribute value, as start and length (compact: links are many).
    start: u32,
    len: u32,
    pub position: Position,
    pub source: LinkSource,
    /// The href is an absolute URL (to one of the site's own hosts, when internal).
    pub absolute: bool,
    /// Whether the href's path ends with a slash; `None` when it writes no path of its own
    /// (`#sec`, `?q=1`: the page itself) or ends in a dot segment (`..`, `./`), which a slash
    /// added or removed does not change as it seems to.
    pub trailing_slash: Option<bool>,
    /// Whether the path the browser requests ends with a slash: `trailing_slash`, unless the
    /// renderer drops it (`Locales::localizes_hyperlinks`). Redirect sources matched strictly
    /// on a slash are matched with this.
    pub requested_slash: Option<bool>,
    /// Whether the renderer wrote the linking page's locale in front of the href
    /// (`site.locales.unprefixed`: `page` or `links`): a repair writes the URI without it.
    pub localized: bool,
    /// Whether `fix` may rewrite the value at `span`: the bytes are certainly the value's (an
    /// attribute's raw value; a front-matter scalar `exact_value` located) and the href holds
    /// nothing a rewrite could misread (backslashes, which URLs read as slashes, tabs and line
    /// breaks, which they drop).
    pub editable: bool,
    pub target: Target,
}

impl Link {
    /// A link written as `href` (decoded) at `span`; `located` says whether the span holds
    /// exactly the value's bytes (see `editable`).
    pub fn new(
        span: Span,
        position: Position,
        source: LinkSource,
        href: &str,
        target: Target,
        located: bool,
    ) -> Link {
        let href = href.trim_matches(|c: char| c <= ' ');
        // Compared in place: this is asked for every link of a site (half a million on MDN).
        let starts = |scheme: &str| {
            href.as_bytes()
                .get(..scheme.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(scheme.as_bytes()))
        };
        let absolute = href.starts_with("//") || starts("http://") || starts("https://");
        let path = &href[..href.find(['?', '#']).unwrap_or(href.len())];
        let trailing_slash =
            (!path.is_empty() && !ends_in_dot_segment(path)).then(|| path.ends_with('/'));
        Link {
            start: offset(span.start),
            len: offset(span.len()),
            position,
            source,
            absolute,
            trailing_slash,
            requested_slash: trailing_slash,
            localized: false,
            editable: located && !href.contains(|c: char| c == '\\' || c < ' '),
            target,
        }
    }

    /// The span of the attribute value in the file.
    pub fn span(&self) -> Span {
        let start = self.start as usize;
        Span::new(start, start + self.len as usize)
    }
}

/// An offset in a page as a link keeps it. Pages are at most `config::MAX_FILE_BYTES_CAP`
/// bytes (read lossily, three times that), so offsets fit; one that did not would be kept as
/// the largest, never wrapped round to another place.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether a path's last segment, before a trailing slash if it has one, is `.` or `..`
/// (written plainly or percent-encoded, as the URL parser reads them).
fn ends_in_dot_segment(path: &str) -> bool {
    let path = path.strip_suffix('/').unwrap_or(path);
    let last = path.rsplit('/').next().unwrap_or(path);
    let lower = last.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "." | ".." | "%2e" | ".%2e" | "%2e." | "%2e%2e"
    )
}

/// Resolves hrefs against a page's URL, knowing the site's own hosts and ignored paths.
pub struct Resolver {
    origin: Url,
    hosts: Vec<String>,
    ignore: GlobSet,
    /// Where field values (written like `uri`) live: `/en-US/docs`, or "".
    base_path: String,
    /// One copy of each URI resolved.
    uris: Interner,
}

impl Resolver {
    pub fn new(hosts: &[String], ignore: GlobSet, base_path: &str) -> Self {
        Resolver {
            origin: Url::parse(ORIGIN).expect("the internal origin is a valid URL"),
            hosts: hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
            ignore,
            base_path: base_path.trim_matches('/').to_owned(),
            uris: Interner::default(),
        }
    }

    /// The URL a page is served at, from the path it is addressed by (`/a/b`, `/a/b.html`,
    /// decoded as a `Uri` is): set as the URL's path, percent-encoded, so that no part of it
    /// reads as a scheme (`/a: b`), a query, a fragment or an escape.
    pub fn page_url(&self, path: &str) -> Url {
        let mut url = self.origin.clone();
        url.set_path(&utf8_percent_encode(path, HREF_PATH).to_string());
        url
    }

    /// The document base URL of the page served at `page` whose first `<base href>` holds
    /// `base` (WHATWG HTML § 2.4.1 "document base URL" and § 4.2.3 "set the frozen base URL":
    /// the href parsed against the page's URL; the page's URL itself when it does not parse).
    /// A base on another host makes the page's relative links external; one on `site.hosts`
    /// keeps them internal.
    pub fn document_base(&self, page: &Url, base: Option<&str>) -> Url {
        base.and_then(|b| Url::options().base_url(Some(page)).parse(b).ok())
            .unwrap_or_else(|| page.clone())
    }

    /// Whether `url` is on this site: the internal origin or one of `site.hosts`, over HTTP(S).
    fn is_own(&self, url: &Url) -> bool {
        let host = url.host_str().unwrap_or("");
        matches!(url.scheme(), "http" | "https")
            && (host == self.origin.host_str().unwrap_or("")
                || self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
    }

    /// Resolve `href` as written in a page whose document base URL is `base`; `None` for an
    /// empty href (a reference to the page itself, which always exists). A fragment-only href
    /// (`#x`) resolves against the base like any other (§ 2.4.1): with a `<base href>` naming
    /// another page, it points into that page, as browsers follow it.
    pub fn resolve(&self, base: &Url, href: &str) -> Option<Target> {
        // What the URL parser strips: C0 controls and spaces around the value.
        let trimmed = href.trim_matches(|c: char| c <= ' ');
        if trimmed.is_empty() {
            return None;
        }
        // A root-relative href keeps the base's host: the fast path holds on this site only.
        if let Some((path, fragment)) = plain_root_relative(trimmed)
            && base.host_str() == self.origin.host_str()
        {
            return Some(self.internal(&percent_decode(path), fragment));
        }
        let url = match Url::options().base_url(Some(base)).parse(trimmed) {
            Ok(url) => url,
            Err(e) => {
                return Some(Target::Invalid(Box::new(InvalidHref {
                    href: href.to_owned(),
                    reason: e.to_string(),
                })));
            }
        };
        if !self.is_own(&url) {
            return Some(Target::External);
        }
        Some(self.internal(&percent_decode(url.path()), url.fragment()))
    }

    /// Resolve a front-matter field's value: a URI written like the `uri` field (relative to the
    /// site's root, with or without a leading `/`), or a full URL.
    pub fn resolve_field(&self, value: &str) -> Option<Target> {
        let value = value.trim();
        if value.contains("://") || value.starts_with("//") || value.contains(':') {
            return self.resolve(&self.origin, value);
        }
        let rooted = match self.base_path.as_str() {
            "" => format!("/{}", value.trim_start_matches('/')),
            base => format!("/{base}/{}", value.trim_start_matches('/')),
        };
        self.resolve(&self.origin, &rooted)
    }

    /// Resolve a path written from the site's root, as the lines of a redirects file are
    /// (`/en-US/docs/Web/CSS`, or a full URL): never put under the base path, which such a
    /// path already names when the site has one.
    pub fn resolve_site_path(&self, value: &str) -> Option<Target> {
        let value = value.trim();
        if value.contains("://") || value.starts_with('/') {
            return self.resolve(&self.origin, value);
        }
        self.resolve(&self.origin, &format!("/{value}"))
    }

    /// An internal target from a decoded path and a fragment as written or as the URL
    /// parser left it.
    fn internal(&self, path: &str, fragment: Option<&str>) -> Target {
        let uri = Uri::from_decoded_shared(path, &self.uris);
        // Globs see the normalized path: `/search/` is `/search`.
        if self.ignore.is_match(uri.as_str()) {
            return Target::Ignored;
        }
        Target::Internal {
            uri,
            fragment: fragment.map(|f| {
                let f = f.find(DIRECTIVE).map_or(f, |i| &f[..i]);
                Cow::from(utf8_percent_encode(f, FRAGMENT)).into()
            }),
        }
    }
}

/// Whether `fragment` (as a `Target` holds it) finds its place in a page that has the anchors
/// `has` says it has, as a browser finds "the indicated part of the document" (WHATWG HTML
/// § 7.4.6.4): the top for an empty fragment; else an id or `a[name]` equal to the fragment as
/// the URL holds it, then to its percent-decoding (UTF-8); else the top for `top` in any case.
/// So `#tangent%3A-kustomize` finds `id="tangent%3A-kustomize"`, and `#caf%C3%A9` `id="café"`.
pub fn finds_fragment(fragment: &str, has: impl Fn(&str) -> bool) -> bool {
    if fragment.is_empty() || has(fragment) {
        return true;
    }
    let decoded = percent_decode(fragment);
    has(&decoded) || decoded.eq_ignore_ascii_case("top")
}

/// The path and fragment of a root-relative href that the URL parser would leave as it is
/// (no dot segments, backslashes or control characters): most links of a site, resolved without
/// building a URL. Anything else returns `None` and goes through the parser.
fn plain_root_relative(href: &str) -> Option<(&str, Option<&str>)> {
    let bytes = href.as_bytes();
    if bytes.first() != Some(&b'/') || matches!(bytes.get(1), Some(b'/' | b'\\')) {
        return None;
    }
    if bytes.iter().any(|&b| b < 0x20 || b == b'\\' || b == 0x7f)
        || href.contains("/.")
        || href.contains("%2e")
        || href.contains("%2E")
    {
        return None;
    }
    let (before_fragment, fragment) = match href.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (href, None),
    };
    let path = before_fragment
        .split_once('?')
        .map_or(before_fragment, |(p, _)| p);
    Some((path, fragment))
}

#[cfg(test)]
mod tests {
    use super::*;
    use globset::{GlobBuilder, GlobSetBuilder};

    fn resolver() -> Resolver {
        let mut ignore = GlobSetBuilder::new();
        for g in ["/help/*/videos/**", "**/*.pdf"] {
            ignore.add(
                GlobBuilder::new(g)
                    .literal_separator(true)
                    .build()
                    .expect("valid glob"),
            );
        }
        Resolver::new(
            &["www.example.org".to_owned()],
            ignore.build().expect("valid set"),
            "",
        )
    }

    fn internal(uri: &str, fragment: Option<&str>) -> Option<Target> {
        Some(Target::Internal {
            uri: Uri::from_path(uri),
            fragment: fragment.map(Box::from),
        })
    }

    #[test]
    fn offsets_past_32_bits_saturate_and_never_wrap() {
        let far = (1usize << 32) + 5;
        let link = Link::new(
            Span::new(far, far + 3),
            Position::START,
            LinkSource::AHref,
            "/x",
            Target::External,
            true,
        );
        assert_eq!(link.span().start, u32::MAX as usize);
    }

    #[test]
    fn slashes_and_editability_come_from_the_written_href() {
        let link = |href: &str| {
            let l = Link::new(
                Span::new(0, href.len()),
                Position::START,
                LinkSource::AHref,
                href,
                Target::External,
                true,
            );
            (l.trailing_slash, l.editable)
        };
        assert_eq!(link("/a/b/"), (Some(true), true));
        assert_eq!(link(" /a/b "), (Some(false), true));
        assert_eq!(link("#sec"), (None, true));
        assert_eq!(link("?q=1"), (None, true));
        assert_eq!(link("/a/../"), (None, true));
        assert_eq!(link("/a/%2E"), (None, true));
        assert_eq!(link("\\a\\b"), (Some(false), false));
        assert_eq!(link("/a\tb"), (Some(false), false));
    }

    #[test]
    fn root_relative_relative_and_own_host_links_are_internal() {
        let r = resolver();
        let base = r.page_url("/diagnosis/a-z/tumour/metastases");
        assert_eq!(r.resolve(&base, "/a/b/"), internal("/a/b", None));
        assert_eq!(r.resolve(&base, "/a/b?x=1#f"), internal("/a/b", Some("f")));
        assert_eq!(
            r.resolve(&base, "more-info"),
            internal("/diagnosis/a-z/tumour/more-info", None)
        );
        assert_eq!(r.resolve(&base, "../x"), internal("/diagnosis/a-z/x", None));
        assert_eq!(
            r.resolve(&base, "https://WWW.example.org/a%20b"),
            internal("/a b", None)
        );
        assert_eq!(
            r.resolve(&base, "#sec%C3%A9"),
            internal("/diagnosis/a-z/tumour/metastases", Some("sec%C3%A9"))
        );
        assert_eq!(r.resolve(&base, "/../../x"), internal("/x", None));
    }

    #[test]
    fn a_page_is_served_at_its_whole_path() {
        let r = resolver();
        // Paths as a `Uri` holds them (decoded), so `%41` is those three characters.
        let at = |uri: &str, fragment: Option<&str>| {
            Some(Target::Internal {
                uri: Uri::from_decoded(uri),
                fragment: fragment.map(Box::from),
            })
        };
        // `a: b` as a URL would be the scheme `a`, which relative links cannot resolve against;
        // `?`, `#`, `%` and `\\` in a page's path are part of it, not a query or an escape.
        for (page, sibling) in [
            ("/limiuthorship: Written by June", "/x"),
            ("/a?b/c#d/page", "/a?b/c#d/x"),
            ("/d%41\\e/page", "/d%41\\e/x"),
        ] {
            let base = r.page_url(page);
            assert_eq!(base.host_str(), Some("pagelint.invalid"), "{page}");
            assert_eq!(r.resolve(&base, "x"), at(sibling, None), "{page}");
            assert_eq!(r.resolve(&base, "/y#f"), at("/y", Some("f")), "{page}");
            assert_eq!(r.resolve(&base, "#f"), at(page, Some("f")), "{page}");
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_url_parser() {
        let r = resolver();
        let base = r.page_url("/a/b");
        for href in [
            "/x/y",
            "/x/y/",
            "/x/y?q=1&r=/2#frag",
            "/x/y#",
            "/x/y?#f?g#h",
            "/caf%C3%A9/%zz/100%",
            "/café/naïve#sec é",
            "/a b/\"quoted\"/<angle>/{brace}/`tick`",
            "/x#frag%20with%20space",
            "/x/./y",
            "/x/../y",
            "/x/%2e%2E/y",
            "/x\\y",
            "/x\ty",
            "/",
            "/?q",
            "/#top",
            "/search/",
        ] {
            let fast = plain_root_relative(href)
                .map(|(path, fragment)| r.internal(&percent_decode(path), fragment));
            let url = Url::options()
                .base_url(Some(&base))
                .parse(href)
                .expect("valid");
            let slow = r.internal(&percent_decode(url.path()), url.fragment());
            if let Some(fast) = fast {
                assert_eq!(fast, slow, "{href}");
            }
            assert_eq!(r.resolve(&base, href), Some(slow), "{href}");
        }
    }

    #[test]
    fn site_paths_are_not_put_under_the_base_path() {
        let r = Resolver::new(&[], GlobSet::empty(), "/en-US/docs/");
        let internal_at = |uri: &str| internal(uri, None);
        assert_eq!(
            r.resolve_site_path("/en-US/docs/Web/CSS/number"),
            internal_at("/en-US/docs/Web/CSS/number")
        );
        assert_eq!(
            r.resolve_site_path("en-US/docs/Web"),
            internal_at("/en-US/docs/Web")
        );
        assert_eq!(
            r.resolve_site_path("https://other.example.net/x"),
            Some(Target::External)
        );
        // A front-matter field, by contrast, is written under the base path.
        assert_eq!(
            r.resolve_field("Web/CSS/number"),
            internal_at("/en-US/docs/Web/CSS/number")
        );
    }

    #[test]
    fn fragments_are_kept_as_the_url_holds_them_without_text_directives() {
        let r = resolver();
        let base = r.page_url("/a");
        for (href, fragment) in [
            ("/x#café", "caf%C3%A9"),
            ("/x#caf%C3%A9", "caf%C3%A9"),
            ("/x#sec é", "sec%20%C3%A9"),
            ("/x#tangent%3A-kustomize", "tangent%3A-kustomize"),
            ("/x#:~:text=foo", ""),
            ("/x#sec:~:text=x", "sec"),
            ("x#sec:~:text=x,y", "sec"),
            ("#", ""),
        ] {
            let Some(Target::Internal {
                fragment: Some(f), ..
            }) = r.resolve(&base, href)
            else {
                panic!("{href}: no fragment");
            };
            assert_eq!(&*f, fragment, "{href}");
        }
    }

    #[test]
    fn fragments_find_ids_as_written_then_decoded() {
        let ids = ["tangent%3A-kustomize", "café", "sec"];
        let has = |f: &str| ids.contains(&f);
        for found in [
            "tangent%3A-kustomize",
            "caf%C3%A9",
            "sec",
            "",
            "top",
            "TOP",
            "%74op",
        ] {
            assert!(finds_fragment(found, has), "{found}");
        }
        for missing in ["tangent:-kustomize", "caf%E9", "Sec", "topp"] {
            assert!(!finds_fragment(missing, has), "{missing}");
        }
    }

    #[test]
    fn the_document_base_url_redirects_relative_links() {
        let r = resolver();
        let page = r.page_url("/a/b");
        let at = |base: &str| r.document_base(&page, Some(base));
        // Relative to the page's own URL, root-relative, and on the site's own host.
        assert_eq!(r.resolve(&at("../docs/"), "x"), internal("/docs/x", None));
        assert_eq!(
            r.resolve(&at("/docs/"), "x#f"),
            internal("/docs/x", Some("f"))
        );
        assert_eq!(r.resolve(&at("/docs/"), "#f"), internal("/docs", Some("f")));
        assert_eq!(
            r.resolve(&at("https://www.example.org/docs/"), "/y"),
            internal("/y", None)
        );
        // On another host, relative and root-relative links leave the site.
        for href in ["x", "/y", "#f", "?q"] {
            assert_eq!(
                r.resolve(&at("https://cdn.other.org/"), href),
                Some(Target::External),
                "{href}"
            );
        }
        // A base that does not parse is no base.
        assert_eq!(r.document_base(&page, Some("http://[oops/")), page);
        assert_eq!(r.document_base(&page, None), page);
    }

    #[test]
    fn other_schemes_hosts_and_ignored_paths_are_not_judged() {
        let r = resolver();
        let base = r.page_url("/a");
        for href in [
            "mailto:a@b.c",
            "tel:+441234",
            "javascript:void(0)",
            "data:text/plain,x",
            "https://other.org/a",
            "//cdn.other.org/x",
        ] {
            assert_eq!(r.resolve(&base, href), Some(Target::External), "{href}");
        }
        assert_eq!(
            r.resolve(&base, "/help/oral/videos/1"),
            Some(Target::Ignored)
        );
        assert_eq!(r.resolve(&base, "/docs/x.pdf"), Some(Target::Ignored));
        assert_eq!(
            r.resolve(&base, "/help/oral/videos/"),
            internal("/help/oral/videos", None)
        );
        // `*` does not cross a slash.
        assert_eq!(
            r.resolve(&base, "/help/a/b/videos/1"),
            internal("/help/a/b/videos/1", None)
        );
        assert_eq!(r.resolve(&base, "  "), None);
        assert!(matches!(
            r.resolve(&base, "http://[oops/"),
            Some(Target::Invalid(_))
        ));
    }
}
