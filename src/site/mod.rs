//! The site as a whole: the index of every page by URI and id, the redirects between URIs (a
//! redirects file read in its host's format by `redirects_file`, its patterns compiled by
//! `pattern`), the URLs the server answers without a page (`routes`), the suggestions for a URI
//! that is not there, and the site's settings (how it addresses, compares and serves paths)
//! that the rules see through their context.

mod index;
pub mod pattern;
pub mod redirect;
pub mod redirects_file;
pub mod routes;
pub mod settings;
pub mod suggest;

pub use index::*;
