//! `pagelint links-to URI`: every page and line that links to a URI, directly or through
//! redirects — what breaks when that page moves or goes.

use super::{Setup, setup, usage_error};
use crate::{ListFormat, SiteArgs};
use pagelint::Request;
use pagelint::parse::uri::{Uri, percent_decode};
use std::process::ExitCode;

/// `links-to URI`: every page and line that links to it, sorted; a count on stderr.
pub fn run(uri: &str, args: &SiteArgs, format: ListFormat, quiet: bool) -> ExitCode {
    let Setup {
        mut config, root, ..
    } = match setup(args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    // Links to paths `site.ignore_links` keeps from being judged are links all the same.
    config.site.ignore_links = globset::GlobSet::empty();
    // The whole site is read: links from every page count.
    let request = Request {
        config: &config,
        root,
        selected: Vec::new(),
        // No date rule's finding is shown here.
        now: jiff::Timestamp::UNIX_EPOCH,
        progress: &pagelint::NoProgress,
        cache: false,
    };
    let site = match pagelint::index(&request) {
        Ok((_, site)) => site,
        Err(e) => return usage_error(e),
    };
    let (target, fragment) = match named_uri(uri, &config.site.hosts) {
        Ok(t) => t,
        Err(e) => return usage_error(e),
    };
    // A name that no page answers may be a page's id.
    let target = match site.lookup(&target) {
        None if !uri.contains('/') => match site.pages_with_id(uri.trim()) {
            [i] => {
                let page = &site.pages[*i];
                if !quiet {
                    eprintln!("pagelint: `{uri}` is the id of the page at {}", page.uri);
                }
                page.uri.clone()
            }
            _ => target,
        },
        _ => target,
    };
    let mut found: Vec<(String, u32, u32, Vec<String>)> = site
        .links_to(&target)
        .into_iter()
        .filter(|(_, link, _)| match (&fragment, &link.target) {
            (None, _) => true,
            (Some(want), pagelint::parse::link::Target::Internal { fragment: got, .. }) => got
                .as_deref()
                .is_some_and(|g| g == want.as_str() || percent_decode(g) == percent_decode(want)),
            _ => false,
        })
        .map(|(page, link, via)| {
            let chain = via.map_or(Vec::new(), |f| {
                f.chain.iter().map(|u| u.as_str().to_owned()).collect()
            });
            (
                page.path.clone(),
                link.position.line,
                link.position.column,
                chain,
            )
        })
        .collect();
    found.sort();
    let shown = match &fragment {
        Some(f) => format!("{target}#{f}"),
        None => target.to_string(),
    };
    let mut out = String::new();
    match format {
        ListFormat::Json => {
            let links: Vec<serde_json::Value> = found
                .iter()
                .map(|(path, line, column, via)| {
                    serde_json::json!({"path": path, "line": line, "column": column, "via": via})
                })
                .collect();
            out = serde_json::json!({"version": 1, "uri": shown, "links": links}).to_string();
            out.push('\n');
        }
        ListFormat::Human => {
            for (path, line, column, via) in &found {
                let through = if via.is_empty() {
                    String::new()
                } else {
                    format!(" (through {})", via.join(" → "))
                };
                out.push_str(&format!(
                    "{path}:{line}:{column}: links to {shown}{through}\n"
                ));
            }
        }
    }
    print!("{out}");
    if !quiet {
        let pages: std::collections::BTreeSet<&str> =
            found.iter().map(|(p, ..)| p.as_str()).collect();
        let missing = match site.lookup(&target) {
            Some(_) => String::new(),
            None => match site.suggest(&target, &target) {
                Some(s) => format!(" (no page has this URI; did you mean {}?)", s.uri),
                None => " (no page has this URI)".to_owned(),
            },
        };
        eprintln!(
            "pagelint: {} link{} to {shown} from {} page{}{missing}",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
        );
    }
    ExitCode::SUCCESS
}

/// The URI (and fragment) a user names: a site path (`/a/b`, `/a/b#x`), or a full URL on one
/// of the site's own hosts.
fn named_uri(name: &str, hosts: &[String]) -> Result<(Uri, Option<String>), String> {
    let name = name.trim();
    let (path, fragment) = if name.contains("://") {
        let url = url::Url::parse(name).map_err(|e| format!("{name:?} is not a URL: {e}"))?;
        let host = url.host_str().unwrap_or_default();
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Err(format!(
                "{name} is not on this site's hosts (site.hosts: {})",
                if hosts.is_empty() {
                    "none".to_owned()
                } else {
                    hosts.join(", ")
                }
            ));
        }
        (url.path().to_owned(), url.fragment().map(str::to_owned))
    } else {
        match name.split_once('#') {
            Some((p, f)) => (p.to_owned(), Some(f.to_owned())),
            None => (name.to_owned(), None),
        }
    };
    let fragment = fragment.filter(|f| !f.is_empty());
    Ok((Uri::from_path(&path), fragment))
}
