//! pagelint: a link-integrity and content linter for sites kept as files (YAML front matter
//! over an HTML, Markdown or MDX body).
//!
//! The pipeline runs one way, and the folders follow it: `source` walks the content root and
//! reads each file once, with the pure functions of `parse` (front matter, HTML, spans, links);
//! `site` indexes the pages (URIs, ids, redirects, suggestions); `rules` lint a page or a page
//! against the site; `report` formats the diagnostics; `fix` repairs what is certain. `run`
//! drives one check through those stages; the binary (`main.rs`, `cli/`) is a thin shell over it.
//! `init` infers a first configuration from a site's own pages, and checks the site with it.

pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod fix;
pub mod init;
pub mod parse;
pub mod report;
pub mod rules;
mod run;
pub mod site;
pub mod source;

pub use run::{
    Error, NoProgress, Progress, Report, Request, Selection, check, check_changed, index,
};
