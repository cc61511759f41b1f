//! Which reader reads a page's body (`site.body`): the HTML scanner, or the Markdown reader
//! (as MDX for `.mdx` files), by the page's extension, for every page, or per path glob
//! (`site.body: {default, paths}`); and how Markdown is read (`site.heading_ids`,
//! `site.link_attributes`).

use crate::parse::html::{self, Body};
use crate::parse::markdown::{self, LinkAttributes};
use crate::parse::slug::HeadingIds;
use serde::Deserialize;

/// What the pages' bodies are written in.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyKind {
    /// By extension: `.md`, `.markdown` and `.mdx` files are Markdown, the rest HTML.
    #[default]
    Auto,
    /// Every body is Markdown (`.mdx` files as MDX).
    Markdown,
    /// Every body is HTML, whatever the extension (Maxfacts's `.md` files hold HTML).
    Html,
}

/// What the site's renderer does with raw HTML in a Markdown (not MDX) body.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// It is written into the page as it is (CommonMark; GitHub, Hugo with `unsafe: true`,
    /// Jekyll's kramdown, remark with rehype-raw).
    #[default]
    Render,
    /// It is left out: its links and ids are not on the page (MDX compiling `.md` with
    /// `format: 'md'` and no rehype-raw, as nodejs.org does; Hugo's Goldmark without
    /// `unsafe: true` writes `<!-- raw HTML omitted -->` instead).
    Drop,
}

/// The syntax one page's body is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Html,
    Markdown,
    Mdx,
}

/// What the bodies of the pages under some paths are written in (`site.body.paths`): a glob
/// relative to the root, and the kind; the last entry that matches a page wins.
pub type BodyPaths = [(globset::GlobMatcher, BodyKind)];

/// How bodies are read.
#[derive(Debug, Clone, Copy)]
pub struct BodyOptions<'a> {
    /// The kind of the pages no entry of `paths` matches.
    pub kind: BodyKind,
    pub paths: &'a BodyPaths,
    pub heading_ids: HeadingIds,
    pub link_attributes: &'a LinkAttributes,
    pub raw_html: RawHtml,
}

static NO_ATTRIBUTES: LinkAttributes = LinkAttributes::new();

impl Default for BodyOptions<'_> {
    fn default() -> Self {
        BodyOptions {
            kind: BodyKind::Auto,
            paths: &[],
            heading_ids: HeadingIds::Github,
            link_attributes: &NO_ATTRIBUTES,
            raw_html: RawHtml::Render,
        }
    }
}

/// The extension of `rel` (a path with `/` separators), lower-cased.
fn extension(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

impl BodyOptions<'_> {
    /// The syntax of the body of the page at `rel` (relative to the root, `/` separators).
    pub fn syntax(&self, rel: &str) -> Syntax {
        let ext = extension(rel);
        let kind = self
            .paths
            .iter()
            .rev()
            .find(|(glob, _)| glob.is_match(rel))
            .map_or(self.kind, |(_, kind)| *kind);
        match kind {
            BodyKind::Html => Syntax::Html,
            BodyKind::Markdown if ext == "mdx" => Syntax::Mdx,
            BodyKind::Markdown => Syntax::Markdown,
            BodyKind::Auto => match ext.as_str() {
                "md" | "markdown" => Syntax::Markdown,
                "mdx" => Syntax::Mdx,
                _ => Syntax::Html,
            },
        }
    }

    /// The links, anchors, base and directives of the body of `text` (the page at `rel`)
    /// from byte `start`.
    pub fn scan(&self, rel: &str, text: &str, start: usize) -> Body {
        match self.syntax(rel) {
            Syntax::Html => html::scan(text, start),
            syntax => {
                let options = markdown::Options {
                    heading_ids: self.heading_ids,
                    mdx: syntax == Syntax::Mdx,
                    link_attributes: self.link_attributes,
                };
                // In MDX, tags are JSX, and rendered.
                if syntax == Syntax::Markdown && self.raw_html == RawHtml::Drop {
                    markdown::scan_without_html(text, start, &options)
                } else {
                    markdown::scan(text, start, &options)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_decides_unless_the_site_says() {
        let auto = BodyOptions::default();
        assert_eq!(auto.syntax("blog/a.md"), Syntax::Markdown);
        assert_eq!(auto.syntax("blog/A.MARKDOWN"), Syntax::Markdown);
        assert_eq!(auto.syntax("index.mdx"), Syntax::Mdx);
        assert_eq!(auto.syntax("a.html"), Syntax::Html);
        assert_eq!(
            auto.syntax(".md"),
            Syntax::Html,
            "a dot file has no extension"
        );
        let html = BodyOptions {
            kind: BodyKind::Html,
            ..auto
        };
        assert_eq!(html.syntax("a.md"), Syntax::Html);
        let md = BodyOptions {
            kind: BodyKind::Markdown,
            ..auto
        };
        assert_eq!(md.syntax("a.html"), Syntax::Markdown);
        assert_eq!(md.syntax("a.mdx"), Syntax::Mdx);
    }

    #[test]
    fn a_path_glob_decides_for_the_pages_it_matches_the_last_match_winning() {
        let glob = |p: &str| crate::config::glob(p).expect("glob").compile_matcher();
        let paths = [
            (glob("legacy/**"), BodyKind::Html),
            (glob("legacy/md/**"), BodyKind::Markdown),
        ];
        let options = BodyOptions {
            paths: &paths,
            ..BodyOptions::default()
        };
        assert_eq!(options.syntax("legacy/a.md"), Syntax::Html);
        assert_eq!(options.syntax("legacy/md/b.md"), Syntax::Markdown);
        assert_eq!(options.syntax("legacy/md/c.mdx"), Syntax::Mdx);
        assert_eq!(options.syntax("blog/a.md"), Syntax::Markdown);
        assert_eq!(options.syntax("blog/a.html"), Syntax::Html);
        // `*` stays within a segment, as in every other glob of the config.
        let paths = [(glob("*.md"), BodyKind::Html)];
        let options = BodyOptions {
            paths: &paths,
            ..BodyOptions::default()
        };
        assert_eq!(options.syntax("a.md"), Syntax::Html);
        assert_eq!(options.syntax("blog/a.md"), Syntax::Markdown);
    }
}
