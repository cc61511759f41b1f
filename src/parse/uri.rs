//! `Uri`: a site path in the one form every comparison uses.

use crate::parse::intern::Interner;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// Characters a path cannot hold as they are in an href (`\` would read as `/`, `%` as an
/// escape, `?` and `#` as a query and a fragment).
pub const HREF_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// A normalized site path: one leading `/`, no trailing `/` (except the root itself),
/// percent-decoded, without query or fragment. Two links reach the same page exactly when
/// their `Uri`s are equal.
/// Shared (`Arc`): the links of a site name the same pages over and over, and an `Interner`
/// keeps one copy of each (`Uri::shared`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uri(Arc<str>);

impl serde::Serialize for Uri {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Uri {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Uri, D::Error> {
        Ok(Uri(Arc::from(String::deserialize(d)?)))
    }
}

impl Uri {
    /// From a front-matter `uri` value: surrounding whitespace and slashes are not part of it.
    pub fn from_field(raw: &str) -> Uri {
        Uri::from_path(raw.trim())
    }

    /// This path as an href writes it: percent-encoded where a URL's path needs it (not yet
    /// HTML-escaped); `Uri::from_path` reads it back as this `Uri`.
    pub fn href_path(&self) -> String {
        utf8_percent_encode(&self.0, HREF_PATH).to_string()
    }

    /// From a URL path (`/a/b/`, `a/b`, `/a%20b`). Dot segments left after decoding
    /// (`..%2F`, `%2F..`, or a field written `../x`) are resolved as a URL's are, never above
    /// the root: no `Uri` has a `.` or `..` segment.
    pub fn from_path(path: &str) -> Uri {
        Uri(Arc::from(normalized(&percent_decode(path))))
    }

    /// From a path already percent-decoded (a URL's path once decoded, a file's path, a
    /// `Uri`): decoded no further, so `%41` stays `%41` (the file `a%41.html` is served at
    /// `/a%2541`). Slashes and dot segments are normalized as `from_path` does.
    pub fn from_decoded(decoded: &str) -> Uri {
        Uri(Arc::from(normalized(decoded)))
    }

    /// `from_decoded`, its text the one copy `strings` keeps (a copy is made only of a new one).
    pub fn from_decoded_shared(decoded: &str, strings: &Interner) -> Uri {
        Uri(strings.share_str(&normalized(decoded)))
    }

    /// `path` (written like a `uri` field) under `base` (`/en-US/docs`, or "" for none).
    pub fn under(base: &str, path: &str) -> Uri {
        let base = base.trim_matches('/');
        if base.is_empty() {
            Uri::from_field(path)
        } else {
            Uri::from_path(&format!("{base}/{}", path.trim_matches('/')))
        }
    }

    /// `path`, already decoded (a file's path relative to the root, a `Uri`), under `base`.
    pub fn under_decoded(base: &str, path: &str) -> Uri {
        Uri::from_decoded(&format!(
            "{}/{}",
            base.trim_matches('/'),
            path.trim_matches('/')
        ))
    }

    /// The same URI with its letters in lower case, for servers that ignore case.
    pub fn folded(&self) -> Uri {
        Uri(Arc::from(self.0.to_lowercase()))
    }

    /// The URI of a page addressed by its file path relative to the root
    /// (`a/b.html` and `a/b/index.html` are both `/a/b`).
    pub fn from_file_path(rel: &str) -> Uri {
        let without_ext = strip_page_extension(rel);
        let without_index = without_ext
            .strip_suffix("/index")
            .or_else(|| (without_ext == "index").then_some(""))
            .unwrap_or(without_ext);
        Uri::from_decoded(without_index)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its text, shared with it (not copied).
    pub fn shared(&self) -> Arc<str> {
        Arc::clone(&self.0)
    }

    /// The last path segment (`facial-skin` of `/diagnosis/a-z/cancer/facial-skin`).
    pub fn last_segment(&self) -> &str {
        // A plain loop back to the last `/`: asked of every link several times, and the last
        // segment is short, where `rsplit`'s searcher costs more to set up than to run.
        let start = self.0.bytes().rposition(|b| b == b'/').map_or(0, |i| i + 1);
        &self.0[start..]
    }
}

/// A `Uri` is looked up by its text (`Hash` and `Eq` are the text's).
impl std::borrow::Borrow<str> for Uri {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A decoded URL path as a `Uri`'s text: one leading `/`, no trailing one, its `.` and `..`
/// segments resolved within the root.
fn normalized(decoded: &str) -> String {
    let trimmed = decoded.trim_matches('/');
    let mut s = String::with_capacity(trimmed.len() + 1);
    s.push('/');
    if trimmed.split('/').any(|seg| seg == "." || seg == "..") {
        s.push_str(remove_dot_segments(trimmed).trim_matches('/'));
    } else {
        s.push_str(trimmed);
    }
    s
}

/// Whether links to pages should end with a slash.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrailingSlash {
    /// Either way (a trailing slash never changes the target).
    #[default]
    Ignore,
    /// `/a/b/`.
    Require,
    /// `/a/b`.
    Forbid,
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `path` (segments joined by `/`, without a leading one) with its `.` and `..` segments
/// resolved (RFC 3986 § 5.2.4); a `..` at the top stays at the top.
fn remove_dot_segments(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "." => {}
            ".." => {
                kept.pop();
            }
            seg => kept.push(seg),
        }
    }
    kept.join("/")
}

fn strip_page_extension(rel: &str) -> &str {
    for ext in [".html", ".htm", ".md", ".markdown", ".mdx"] {
        if let Some(stem) = rel.strip_suffix(ext) {
            return stem;
        }
    }
    rel
}

/// Percent-decode, keeping invalid UTF-8 sequences as replacement characters.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if s.contains('%') {
        percent_encoding::percent_decode_str(s).decode_utf8_lossy()
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_uris_are_one_copy_of_each_text() {
        let uris = Interner::default();
        let a = Uri::from_decoded_shared("/a/b/", &uris);
        let b = Uri::from_decoded_shared("a/b", &uris);
        let c = Uri::from_decoded_shared("/a/c", &uris);
        assert_eq!(a, Uri::from_path("/a/b"));
        assert_eq!(a, b);
        assert!(Arc::ptr_eq(&a.0, &b.0), "equal URIs share their text");
        assert_eq!(c.as_str(), "/a/c");
        assert!(!Arc::ptr_eq(&a.0, &c.0));
        // The cache keeps a URI as its text, whatever holds it in memory.
        let bytes = postcard::to_stdvec(&a).expect("serializes");
        assert_eq!(bytes, postcard::to_stdvec("/a/b").expect("serializes"));
        let back: Uri = postcard::from_bytes(&bytes).expect("deserializes");
        assert_eq!(back, a);
    }

    #[test]
    fn field_uris_ignore_surrounding_slashes_and_space() {
        assert_eq!(Uri::from_field("diagnosis/a-z").as_str(), "/diagnosis/a-z");
        assert_eq!(
            Uri::from_field(" /diagnosis/a-z/ ").as_str(),
            "/diagnosis/a-z"
        );
        assert_eq!(Uri::from_field("").as_str(), "/");
        assert_eq!(Uri::from_field("/").as_str(), "/");
    }

    #[test]
    fn paths_are_percent_decoded() {
        assert_eq!(Uri::from_path("/a%20b/caf%C3%A9/").as_str(), "/a b/café");
        assert_eq!(Uri::from_path("/100%").as_str(), "/100%");
        assert_eq!(Uri::from_path("/a%FF").as_str(), "/a\u{FFFD}");
    }

    #[test]
    fn dot_segments_left_after_decoding_are_resolved_within_the_root() {
        assert_eq!(Uri::from_path("/a/b/c/..%2F").as_str(), "/a/b");
        assert_eq!(Uri::from_path("/a/%2F..%2F/b").as_str(), "/a//b");
        assert_eq!(Uri::from_path("/a/.%2F./b").as_str(), "/a/b");
        assert_eq!(Uri::from_field("../../etc/passwd").as_str(), "/etc/passwd");
        assert_eq!(Uri::from_field("./a/./b/.").as_str(), "/a/b");
        assert_eq!(Uri::from_field("a/..").as_str(), "/");
        // Dots that are not a whole segment are names.
        assert_eq!(Uri::from_path("/a/...b/..c").as_str(), "/a/...b/..c");
        assert_eq!(Uri::from_path("/a/%252e%252e/b").as_str(), "/a/%2e%2e/b");
    }

    #[test]
    fn decoded_paths_are_not_decoded_again() {
        assert_eq!(Uri::from_path("/a%2541").as_str(), "/a%41");
        assert_eq!(Uri::from_decoded("/a%41/").as_str(), "/a%41");
        assert_eq!(Uri::from_file_path("a%41.html").as_str(), "/a%41");
        assert_eq!(Uri::under_decoded("/docs/", "a%41").as_str(), "/docs/a%41");
        assert_eq!(Uri::under_decoded("", "/a%41").as_str(), "/a%41");
    }

    #[test]
    fn file_paths_drop_extensions_and_index() {
        assert_eq!(Uri::from_file_path("a/b.html").as_str(), "/a/b");
        assert_eq!(Uri::from_file_path("a/b/index.html").as_str(), "/a/b");
        assert_eq!(Uri::from_file_path("index.htm").as_str(), "/");
        assert_eq!(Uri::from_file_path("notes.md").as_str(), "/notes");
        assert_eq!(Uri::from_file_path("a/notes.markdown").as_str(), "/a/notes");
        assert_eq!(Uri::from_file_path("about/index.mdx").as_str(), "/about");
        assert_eq!(Uri::from_file_path("reindex.html").as_str(), "/reindex");
    }

    #[test]
    fn uris_live_under_the_base_path() {
        assert_eq!(
            Uri::under("/en-US/docs", "Web/API").as_str(),
            "/en-US/docs/Web/API"
        );
        assert_eq!(Uri::under("en-US/docs/", "/").as_str(), "/en-US/docs");
        assert_eq!(Uri::under("", "a/b").as_str(), "/a/b");
    }

    #[test]
    fn last_segment() {
        assert_eq!(Uri::from_path("/a/b/c").last_segment(), "c");
        assert_eq!(Uri::from_path("/").last_segment(), "");
    }
}
