//! Which attributes of which elements hold URLs a browser follows or fetches, and what each is:
//! a link to a page (`a[href]`, `area[href]`, `iframe[src]`, `link[href]` of a hyperlink type)
//! or an asset the page loads (images, `srcset` candidates, scripts, stylesheets, media, tracks,
//! embedded and object data, image buttons). The list follows the HTML standard's index of
//! attributes whose value is a URL (WHATWG HTML § "Attributes" in the index, and § 4.6.7
//! "Link types" for `link[rel]`). Not judged, by choice: `form[action]` and `formaction` (a
//! server's endpoint, rarely a page file), `cite` on `blockquote`, `q`, `del` and `ins` (never
//! fetched nor followed), `meta http-equiv=refresh`, and obsolete attributes (`longdesc`,
//! `background`, `manifest`).

use crate::parse::html::LinkSource;

/// The elements the scanner tells apart (every other element is `Other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    A,
    Area,
    Img,
    Source,
    Link,
    Script,
    Video,
    Audio,
    Track,
    Embed,
    Object,
    Input,
    Iframe,
    Base,
    Template,
    Other,
}

/// Ordered by length where `Tag::of` slices it: `a`, the 4-letter ones, `img`, the rest.
const TAGS: [(&str, Tag); 15] = [
    ("a", Tag::A),
    ("area", Tag::Area),
    ("link", Tag::Link),
    ("base", Tag::Base),
    ("img", Tag::Img),
    ("source", Tag::Source),
    ("script", Tag::Script),
    ("video", Tag::Video),
    ("audio", Tag::Audio),
    ("track", Tag::Track),
    ("embed", Tag::Embed),
    ("object", Tag::Object),
    ("input", Tag::Input),
    ("iframe", Tag::Iframe),
    ("template", Tag::Template),
];

impl Tag {
    /// The element a tag name names, compared without regard to ASCII case.
    pub fn of(name: &[u8]) -> Tag {
        // The scanner asks for every start tag: compare only names of the same length.
        let same_length = match name.len() {
            1 => &TAGS[..1],
            4 => &TAGS[1..4],
            3 => &TAGS[4..5],
            5 | 6 | 8 => &TAGS[5..],
            _ => &[],
        };
        same_length
            .iter()
            .find(|(n, _)| name.eq_ignore_ascii_case(n.as_bytes()))
            .map_or(Tag::Other, |&(_, tag)| tag)
    }
}

/// How an attribute holds URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// The whole value is one URL.
    Url(LinkSource),
    /// A srcset: a list of image candidates (`parse::srcset`).
    Srcset(LinkSource),
}

/// What the attribute `attr` of a `tag` element holds, if URLs. `link[href]` is given as an
/// asset and `input[src]` always: the scanner refines them by `rel` and `type`.
pub fn url_attribute(tag: Tag, attr: &[u8]) -> Option<Holds> {
    let is = |name: &str| attr.eq_ignore_ascii_case(name.as_bytes());
    let holds = match tag {
        Tag::A if is("href") => Holds::Url(LinkSource::AHref),
        Tag::Area if is("href") => Holds::Url(LinkSource::AreaHref),
        Tag::Img if is("src") => Holds::Url(LinkSource::ImgSrc),
        Tag::Img if is("srcset") => Holds::Srcset(LinkSource::ImgSrcset),
        Tag::Source if is("src") => Holds::Url(LinkSource::SourceSrc),
        Tag::Source if is("srcset") => Holds::Srcset(LinkSource::SourceSrcset),
        Tag::Link if is("href") => Holds::Url(LinkSource::LinkHref),
        Tag::Link if is("imagesrcset") => Holds::Srcset(LinkSource::LinkImagesrcset),
        Tag::Script if is("src") => Holds::Url(LinkSource::ScriptSrc),
        Tag::Video if is("src") => Holds::Url(LinkSource::VideoSrc),
        Tag::Video if is("poster") => Holds::Url(LinkSource::VideoPoster),
        Tag::Audio if is("src") => Holds::Url(LinkSource::AudioSrc),
        Tag::Track if is("src") => Holds::Url(LinkSource::TrackSrc),
        Tag::Embed if is("src") => Holds::Url(LinkSource::EmbedSrc),
        Tag::Object if is("data") => Holds::Url(LinkSource::ObjectData),
        Tag::Input if is("src") => Holds::Url(LinkSource::InputSrc),
        Tag::Iframe if is("src") => Holds::Url(LinkSource::IframeSrc),
        _ => return None,
    };
    Some(holds)
}

/// `link` types whose target the browser fetches as a resource (WHATWG HTML § 4.6.7: the
/// "external resource" types; `apple-touch-icon` and `mask-icon` are icons by practice).
const RESOURCE_RELS: [&str; 10] = [
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
    "modulepreload",
    "preload",
    "prefetch",
    "pingback",
];

/// `link` types that make a hyperlink to another document (§ 4.6.7, "Hyperlink" on `link`).
const HYPERLINK_RELS: [&str; 10] = [
    "alternate",
    "canonical",
    "author",
    "help",
    "license",
    "next",
    "prev",
    "search",
    "privacy-policy",
    "terms-of-service",
];

/// What a `link[href]` is, by its `rel` (a set of space-separated, ASCII case-insensitive
/// keywords): a page when it has a hyperlink type and no resource type, else an asset (so a
/// `link` without a known type keeps being judged as a file).
pub fn link_source(rel: Option<&str>) -> LinkSource {
    let has = |set: &[&str]| {
        rel.unwrap_or("")
            .split_ascii_whitespace()
            .any(|k| set.iter().any(|s| k.eq_ignore_ascii_case(s)))
    };
    if !has(&RESOURCE_RELS) && has(&HYPERLINK_RELS) {
        LinkSource::LinkHrefPage
    } else {
        LinkSource::LinkHref
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_told_apart_without_regard_to_case() {
        assert_eq!(Tag::of(b"IMG"), Tag::Img);
        assert_eq!(Tag::of(b"Template"), Tag::Template);
        assert_eq!(Tag::of(b"image"), Tag::Other);
        assert_eq!(Tag::of(b"a-b"), Tag::Other);
        for (name, tag) in TAGS {
            assert_eq!(Tag::of(name.to_uppercase().as_bytes()), tag, "{name}");
        }
    }

    #[test]
    fn link_elements_are_pages_or_assets_by_rel() {
        assert_eq!(link_source(Some("canonical")), LinkSource::LinkHrefPage);
        assert_eq!(link_source(Some(" Next ")), LinkSource::LinkHrefPage);
        assert_eq!(link_source(Some("stylesheet")), LinkSource::LinkHref);
        assert_eq!(
            link_source(Some("alternate stylesheet")),
            LinkSource::LinkHref
        );
        assert_eq!(link_source(Some("preload")), LinkSource::LinkHref);
        assert_eq!(link_source(None), LinkSource::LinkHref);
        assert_eq!(link_source(Some("nonsense")), LinkSource::LinkHref);
    }
}
