//! How internal links are written: trailing-slash (the site's policy) and own-host-link.

use super::{PageCtx, SiteCtx};
use crate::diagnostic::{Finding, Repair};
use crate::parse::html::LinkSource;
use crate::parse::link::{Link, Target};
use crate::site::settings::TrailingSlash;

/// Internal links written in the body (front-matter fields are written like `uri`).
fn body_links(links: &[Link]) -> impl Iterator<Item = (&Link, &crate::parse::uri::Uri)> {
    links.iter().filter_map(|l| match (&l.target, l.source) {
        (_, LinkSource::Field | LinkSource::Redirect) => None,
        (Target::Internal { uri, .. }, _) => Some((l, uri)),
        _ => None,
    })
}

pub fn trailing_slash(ctx: &SiteCtx<'_>, out: &mut Vec<Finding>) {
    let policy = ctx.settings.trailing_slash;
    if policy == TrailingSlash::Ignore {
        return;
    }
    for (link, uri) in body_links(&ctx.page.links) {
        // The root, files, and links that go nowhere are not this rule's business.
        let is_file = uri.last_segment().contains('.');
        if uri.as_str() == "/" || is_file || ctx.site.lookup(uri).is_none() {
            continue;
        }
        let (wrong, message, help) = match policy {
            TrailingSlash::Require => (
                !link.trailing_slash,
                format!("link to {uri} without the trailing slash the site requires"),
                format!("write it {uri}/"),
            ),
            TrailingSlash::Forbid => (
                link.trailing_slash,
                format!("link to {uri}/ with a trailing slash the site forbids"),
                format!("write it {uri}"),
            ),
            TrailingSlash::Ignore => (false, String::new(), String::new()),
        };
        if wrong {
            out.push(Finding {
                span: link.span(),
                position: link.position,
                message,
                help,
                target: Some(uri.to_string()),
                repair: Some(if policy == TrailingSlash::Require {
                    Repair::AddSlash
                } else {
                    Repair::RemoveSlash
                }),
            });
        }
    }
}

pub fn own_host_link(ctx: &PageCtx<'_>, out: &mut Vec<Finding>) {
    for (link, uri) in body_links(&ctx.page.links) {
        if link.absolute {
            out.push(Finding {
                span: link.span(),
                position: link.position,
                message: format!("absolute link to this site's own page {uri}"),
                help: format!("write it root-relative: {uri} (works on every host and preview)"),
                target: Some(uri.to_string()),
                repair: Some(Repair::RootRelative),
            });
        }
    }
}
