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
        // The root, files, links that go nowhere, and links that write no path of their own
        // (`#sec`, `?q=1`: the page itself) are not this rule's business.
        let is_file = uri.last_segment().contains('.');
        let Some(trailing_slash) = link.trailing_slash else {
            continue;
        };
        if uri.as_str() == "/" || is_file || ctx.site.lookup(uri).is_none() {
            continue;
        }
        let (wrong, message, help) = match policy {
            TrailingSlash::Require => (
                !trailing_slash,
                format!("link to {uri} without the trailing slash the site requires"),
                format!("write it {uri}/"),
            ),
            TrailingSlash::Forbid => (
                trailing_slash,
                format!("link to {uri}/ with a trailing slash the site forbids"),
                format!("write it {uri}"),
            ),
            TrailingSlash::Ignore => (false, String::new(), String::new()),
        };
        if wrong {
            let (repair, help) = super::links::certain_repair(
                link,
                if policy == TrailingSlash::Require {
                    Repair::AddSlash
                } else {
                    Repair::RemoveSlash
                },
                help,
            );
            out.push(Finding {
                span: link.span(),
                position: link.position,
                message,
                help,
                target: Some(uri.into()),
                repair,
            });
        }
    }
}

pub fn own_host_link(ctx: &PageCtx<'_>, out: &mut Vec<Finding>) {
    for (link, uri) in body_links(&ctx.page.links) {
        if link.absolute {
            use crate::parse::html::LinkSource::{ComponentProp, MdDefinition, MdLink};
            // Written root-relative, a hyperlink would get the page's locale in front.
            let localizes = ctx.settings.locales.as_ref().filter(|l| {
                l.localizes_hyperlinks()
                    && matches!(link.source, MdLink | MdDefinition | ComponentProp)
            });
            let (repair, help) = match localizes {
                Some(locales) => {
                    // No root-relative link reaches a URI under another locale (or none).
                    let Some(written) = locales.unlocalized(uri, ctx.page.uri.as_str()) else {
                        continue;
                    };
                    (
                        None,
                        format!(
                            "write it root-relative without the locale, which the renderer puts \
                             in front of it: {written}"
                        ),
                    )
                }
                None => super::links::certain_repair(
                    link,
                    Repair::RootRelative,
                    format!("write it root-relative: {uri} (works on every host and preview)"),
                ),
            };
            out.push(Finding {
                span: link.span(),
                position: link.position,
                message: format!("absolute link to this site's own page {uri}"),
                help,
                target: Some(uri.into()),
                repair,
            });
        }
    }
}
