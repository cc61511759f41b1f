//! `SiteSettings`: how this site addresses, compares and serves its pages — the validated
//! `site:` section of pagelint.yaml (and `required_fields`), as the reader, the index and the
//! rules see it. The config module builds it; nothing here reads a file.

use globset::GlobSet;
use serde::Deserialize;

pub use crate::parse::page::UriFrom;
pub use crate::parse::uri::TrailingSlash;

/// How the site addresses, compares and serves its pages.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// The front-matter field holding a page's URI.
    pub uri_field: String,
    /// The front-matter field holding a page's id.
    pub id_field: String,
    /// Absolute links to these hosts are internal.
    pub hosts: Vec<String>,
    /// Links whose path matches are never judged.
    pub ignore_links: GlobSet,
    /// Sub-paths the server answers under every page.
    pub page_suffixes: Vec<String>,
    /// Front-matter fields whose value is a page URI, checked like links.
    pub link_fields: Vec<String>,
    /// The front-matter field holding a table of contents: a list of `{id, …}` items.
    pub toc_field: Option<String>,
    /// The front-matter field that makes a page forward to another URI.
    pub redirect_field: Option<String>,
    /// A file of `FROM TO` redirect lines, relative to the content root.
    pub redirects_file: Option<String>,
    /// The path every page's URI lives under (`/en-US/docs`), or "".
    pub base_path: String,
    /// Compare paths without regard to case, as some servers do.
    pub case_insensitive: bool,
    /// Whether links to pages should end with a slash (the trailing-slash rule).
    pub trailing_slash: TrailingSlash,
    /// Where assets live: URL prefix (`/images`) → folder relative to the root, longest
    /// prefix first. Without any, assets are looked for under the root itself.
    pub static_dirs: Vec<(String, String)>,
    /// Whether every page must start with front matter.
    pub front_matter: FrontMatterPolicy,
    /// The fields missing-field asks for.
    pub required_fields: Vec<String>,
    /// Where a page's URI comes from: its uri field (else its path), or its path alone.
    pub uri_from: UriFrom,
    /// The folder under the root whose paths are its pages' URIs (`pages`), if not the root.
    pub content_dir: Option<String>,
    /// A front-matter field that, where a page has it, is the page's URI whatever its path
    /// says (Jekyll's `permalink`, Hugo's `url`).
    pub permalink_field: Option<String>,
    /// The site's locales, when it has several.
    pub locales: Option<crate::parse::locale::Locales>,
    /// How the redirects file is written (detected from its name and content by default).
    pub redirects_format: RedirectsFormat,
    /// How a trailing slash in a redirect source is matched.
    pub redirects_trailing_slash: crate::site::redirect::SourceSlash,
    /// Front-matter fields listing other URIs that forward to the page (Hugo's `aliases`,
    /// Jekyll's `redirect_from`).
    pub alias_fields: Vec<String>,
    /// URLs the server answers without a page (`site.routes`), compiled.
    pub routes: crate::site::routes::Routes,
    /// The fields that say who wrote a page, the first present counting (missing-authorship).
    pub author_fields: Vec<String>,
    /// The fields holding when a page was last updated, the first present counting.
    pub updated_fields: Vec<String>,
    /// The fields holding when a page was created, the first present counting.
    pub created_fields: Vec<String>,
    /// What the bodies are written in (`auto`: by extension).
    pub body: crate::parse::body::BodyKind,
    /// What the bodies under some paths are written in (`site.body.paths`), in order.
    pub body_paths: Vec<(globset::GlobMatcher, crate::parse::body::BodyKind)>,
    /// How the site's renderer makes heading ids on Markdown pages.
    pub heading_ids: crate::parse::slug::HeadingIds,
    /// MDX components whose props hold links: name → props.
    pub link_attributes: crate::parse::markdown::LinkAttributes,
    /// What the renderer does with raw HTML in Markdown bodies.
    pub raw_html: crate::parse::body::RawHtml,
}

/// How the redirects file is written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RedirectsFormat {
    /// JSON when the file's name ends in `.json` or its text starts with `{` or `[`; else
    /// lines.
    #[default]
    Auto,
    /// `FROM TO [STATUS][!] [conditions]` lines, as Netlify's `_redirects` (and MDN's
    /// `_redirects.txt`) write them.
    Netlify,
    /// Next.js or Vercel redirects: `{"redirects": […]}`, `{"external": […]}` or a list of
    /// `{source, destination, permanent?}`, sources in path-to-regexp syntax.
    Json,
}

/// Whether every page must start with front matter.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterPolicy {
    /// A page without front matter is an error (invalid-front-matter).
    #[default]
    Required,
    /// Pages may be plain HTML: without front matter, a page is addressed by its path and no
    /// field rule applies to it.
    Optional,
}

impl SiteSettings {
    /// The names of the fields a page is read with, and how it is addressed.
    pub fn field_names<'a>(
        &'a self,
        limits: &'a crate::parse::limits::Limits,
    ) -> crate::parse::page::FieldNames<'a> {
        crate::parse::page::FieldNames {
            uri: &self.uri_field,
            id: &self.id_field,
            links: &self.link_fields,
            toc: self.toc_field.as_deref(),
            redirect: self.redirect_field.as_deref(),
            base_path: &self.base_path,
            limits,
            uri_from: self.uri_from,
            permalink: self.permalink_field.as_deref(),
            locales: self.locales.as_ref(),
            aliases: &self.alias_fields,
            trailing_slash: self.trailing_slash,
            content_dir: self.content_dir.as_deref(),
            body: self.body_options(),
        }
    }

    /// How the reader reads bodies under these settings.
    pub fn body_options(&self) -> crate::parse::body::BodyOptions<'_> {
        crate::parse::body::BodyOptions {
            kind: self.body,
            paths: &self.body_paths,
            heading_ids: self.heading_ids,
            link_attributes: &self.link_attributes,
            raw_html: self.raw_html,
        }
    }
}
