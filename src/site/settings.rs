//! `SiteSettings`: how this site addresses, compares and serves its pages — the validated
//! `site:` section of pagelint.yaml (and `required_fields`), as the reader, the index and the
//! rules see it. The config module builds it; nothing here reads a file.

use globset::GlobSet;
use serde::Deserialize;

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
    /// What the bodies are written in (`auto`: by extension).
    pub body: crate::parse::body::BodyKind,
    /// How the site's renderer makes heading ids on Markdown pages.
    pub heading_ids: crate::parse::slug::HeadingIds,
    /// MDX components whose props hold links: name → props.
    pub link_attributes: crate::parse::markdown::LinkAttributes,
}

impl SiteSettings {
    /// How the reader reads bodies under these settings.
    pub fn body_options(&self) -> crate::parse::body::BodyOptions<'_> {
        crate::parse::body::BodyOptions {
            kind: self.body,
            heading_ids: self.heading_ids,
            link_attributes: &self.link_attributes,
        }
    }
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

/// Whether links to pages should end with a slash.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
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
