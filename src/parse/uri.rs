//! `Uri`: a site path in the one form every comparison uses.

use crate::parse::intern::Interner;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

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

    /// From a URL path (`/a/b/`, `a/b`, `/a%20b`).
    pub fn from_path(path: &str) -> Uri {
        Uri(Arc::from(normalized(path)))
    }

    /// `from_path`, its text the one copy `strings` keeps (a copy is made only of a new one).
    pub fn from_path_shared(path: &str, strings: &Interner) -> Uri {
        Uri(strings.share_str(&normalized(path)))
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
        Uri::from_path(without_index)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last path segment (`facial-skin` of `/diagnosis/a-z/cancer/facial-skin`).
    pub fn last_segment(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or("")
    }
}

/// A `Uri` is looked up by its text (`Hash` and `Eq` are the text's).
impl std::borrow::Borrow<str> for Uri {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A URL path as a `Uri`'s text: decoded, one leading `/`, no trailing one.
fn normalized(path: &str) -> String {
    let decoded = percent_decode(path);
    let trimmed = decoded.trim_matches('/');
    let mut s = String::with_capacity(trimmed.len() + 1);
    s.push('/');
    s.push_str(trimmed);
    s
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn strip_page_extension(rel: &str) -> &str {
    for ext in [".html", ".htm", ".md"] {
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
        let a = Uri::from_path_shared("/a/b/", &uris);
        let b = Uri::from_path_shared("a/b", &uris);
        let c = Uri::from_path_shared("/a/c", &uris);
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
    fn file_paths_drop_extensions_and_index() {
        assert_eq!(Uri::from_file_path("a/b.html").as_str(), "/a/b");
        assert_eq!(Uri::from_file_path("a/b/index.html").as_str(), "/a/b");
        assert_eq!(Uri::from_file_path("index.htm").as_str(), "/");
        assert_eq!(Uri::from_file_path("notes.md").as_str(), "/notes");
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
