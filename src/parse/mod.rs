//! Pure functions from a page's bytes to what the rules look at: front matter with the span of
//! every field, links and anchors out of the body (HTML, or Markdown and MDX, with heading ids as
//! the site's renderer makes them), hrefs resolved to site URIs, and the 1-based
//! line and column of every byte offset, and the suppressions a page writes. `limits` holds
//! what one input may cost, and `yaml_scan` refuses YAML past them before the parser sees it;
//! `scalar` reads and writes YAML scalars in their styles (for `fix`). Nothing here does I/O.

pub mod body;
pub mod elements;
pub mod frontmatter;
pub mod html;
pub mod intern;
pub mod limits;
pub mod link;
pub mod locale;
pub mod markdown;
pub mod mdx;
pub mod page;
pub mod scalar;
pub mod slug;
mod slug_strip;
pub mod span;
pub mod srcset;
pub mod suppression;
pub mod uri;
pub mod yaml_scan;
