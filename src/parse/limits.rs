//! `Limits`: how much of any one input a run takes on, so that its time and memory stay bounded
//! whatever a pull request holds. Each limit's default lives here and only here; pagelint.yaml's
//! `limits:` section (README, Configuration) overrides them. Reaching one is a `limit-exceeded`
//! diagnostic at the place it is reached, and the run goes on.

use serde::Deserialize;

/// The limits of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// A page file larger than this is not read (only its head, for its URI).
    pub file_bytes: u64,
    /// Links past this many in one page are not checked.
    pub links_per_page: usize,
    /// A front matter larger than this is not parsed.
    pub front_matter_bytes: usize,
    /// YAML nested deeper than this (block and flow collections) is not parsed.
    pub yaml_depth: usize,
    /// YAML whose aliases would add more than this many nodes when expanded is not parsed.
    pub yaml_alias_nodes: u64,
    /// A chain of redirects longer than this many hops is not followed to its end.
    pub redirect_hops: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 16 * 1024 * 1024,
            links_per_page: 100_000,
            front_matter_bytes: 1024 * 1024,
            yaml_depth: 64,
            yaml_alias_nodes: 100_000,
            redirect_hops: 50,
        }
    }
}

impl Limits {
    /// Each limit's key and value, in the order the README lists them (for validation).
    pub fn entries(&self) -> [(&'static str, u64); 6] {
        [
            ("file_bytes", self.file_bytes),
            ("links_per_page", self.links_per_page as u64),
            ("front_matter_bytes", self.front_matter_bytes as u64),
            ("yaml_depth", self.yaml_depth as u64),
            ("yaml_alias_nodes", self.yaml_alias_nodes),
            ("redirect_hops", self.redirect_hops as u64),
        ]
    }
}

/// "raise `limits.KEY` in pagelint.yaml": the second half of every limit's help.
pub fn raise(key: &str) -> String {
    format!("raise `limits.{key}` in pagelint.yaml if the input is meant to be this large")
}
