//! `pagelint links-to URI`: every page and line that links to a URI, directly or through
//! redirects — what breaks when that page moves or goes.

use super::{Setup, setup, usage_error};
use crate::{CheckArgs, Format};
use pagelint::Request;
use std::process::ExitCode;

/// `links-to URI`: every page and line that links to it, sorted; a count on stderr.
pub fn run(uri: &str, args: CheckArgs) -> ExitCode {
    let Setup {
        config,
        root,
        selected: _,
        now,
    } = match setup(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if args.changed_since.is_some() {
        return usage_error("links-to reads the whole site: --changed-since is for check and fix");
    }
    // The whole site is read: links from every page count.
    let request = Request {
        config: &config,
        root,
        selected: Vec::new(),
        now,
        progress: &pagelint::NoProgress,
        cache: false,
    };
    let site = match pagelint::index(&request) {
        Ok((_, site)) => site,
        Err(e) => return usage_error(e),
    };
    let target = pagelint::parse::uri::Uri::from_path(uri);
    let mut found: Vec<(String, u32, u32, String)> = site
        .links_to(&target)
        .into_iter()
        .map(|(page, link, via)| {
            let via = via.map_or(String::new(), |f| format!(" (through {})", f.describe()));
            (
                page.path.clone(),
                link.position.line,
                link.position.column,
                via,
            )
        })
        .collect();
    found.sort();
    let mut out = String::new();
    match args.format {
        Format::Json => {
            let links: Vec<serde_json::Value> = found
                .iter()
                .map(|(path, line, column, via)| {
                    serde_json::json!({"path": path, "line": line, "column": column, "via": via.trim()})
                })
                .collect();
            out = serde_json::json!({"version": 1, "uri": target.as_str(), "links": links})
                .to_string();
            out.push('\n');
        }
        Format::Human | Format::Github => {
            for (path, line, column, via) in &found {
                out.push_str(&format!("{path}:{line}:{column}: links to {target}{via}\n"));
            }
        }
    }
    print!("{out}");
    if !args.quiet {
        let pages: std::collections::BTreeSet<&str> =
            found.iter().map(|(p, ..)| p.as_str()).collect();
        eprintln!(
            "pagelint: {} link{} to {target} from {} page{}{}",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            if site.lookup(&target).is_none() {
                " (no page has this URI)"
            } else {
                ""
            },
        );
    }
    ExitCode::SUCCESS
}
