//! The site's own hosts: hosts of absolute links whose paths are, mostly, the site's own
//! URIs (`https://www.example.org/a/b` where a page has the URI `/a/b`). Pure.

use super::scan::Sample;
use crate::parse::uri::Uri;
use std::collections::{BTreeMap, HashSet};
use url::Url;

/// A host of absolute links, and how many of its links' paths are the site's URIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub host: String,
    pub links: usize,
    pub resolved: usize,
}

/// Hosts whose links mostly (and at least twice) name the site's own URIs, most links
/// first. Links to a host's `/` say nothing and are not counted.
pub fn own_hosts(samples: &[Sample], uris: &HashSet<Uri>) -> Vec<Host> {
    let mut by_host: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for href in samples.iter().flat_map(|s| s.hrefs.iter()) {
        let href = href.trim();
        let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
        let absolute = lower.starts_with("http://") || lower.starts_with("https://");
        if !absolute && !href.starts_with("//") {
            continue;
        }
        let parsed = if absolute {
            Url::parse(href)
        } else {
            Url::parse(&format!("https:{href}"))
        };
        let Ok(url) = parsed else { continue };
        let Some(host) = url.host_str() else { continue };
        let uri = Uri::from_path(url.path());
        if uri.as_str() == "/" {
            continue;
        }
        let entry = by_host.entry(host.to_ascii_lowercase()).or_default();
        entry.0 += 1;
        entry.1 += usize::from(uris.contains(&uri));
    }
    let mut hosts: Vec<Host> = by_host
        .into_iter()
        .filter(|(_, (links, resolved))| *resolved >= 2 && resolved * 2 >= *links)
        .map(|(host, (links, resolved))| Host {
            host,
            links,
            resolved,
        })
        .collect();
    hosts.sort_by(|a, b| b.links.cmp(&a.links).then(a.host.cmp(&b.host)));
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_is_the_sites_own_when_its_paths_are_the_sites_uris() {
        let sample = Sample {
            hrefs: [
                "https://www.example.org/a",
                "http://WWW.example.org/b?x#y",
                "https://www.example.org/",
                "//www.example.org/nothing",
                "https://other.org/a",
                "https://other.org/c",
                "https://other.org/d",
                "https://[bad/",
                "/a",
            ]
            .map(String::from)
            .to_vec(),
            ..Sample::default()
        };
        let uris: HashSet<Uri> = ["/a", "/b"].into_iter().map(Uri::from_path).collect();
        assert_eq!(
            own_hosts(&[sample], &uris),
            vec![Host {
                host: "www.example.org".into(),
                links: 3,
                resolved: 2
            }]
        );
    }
}
