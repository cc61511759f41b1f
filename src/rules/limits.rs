//! limit-exceeded: where an input reaches one of the run's `Limits` — a front matter too large,
//! too deep or an alias bomb, a page with too many links, a redirect chain too long — so that
//! part of it is not checked.

use super::fields::finding;
use super::{PageCtx, SiteCtx};
use crate::diagnostic::Finding;
use crate::parse::frontmatter::Problem;
use crate::parse::limits;
use crate::site::redirect::End;

/// The limits a page reached while it was read.
pub fn on_page(ctx: &PageCtx<'_>, out: &mut Vec<Finding>) {
    let page = ctx.page;
    if let Some(fm) = &page.front_matter
        && let Problem::Limit { message, help, .. } = &fm.problem
    {
        out.push(finding(fm.spot, message.clone(), help.clone()));
    }
    for reached in &page.limits_reached {
        out.push(finding(
            crate::parse::page::Spot {
                span: reached.span,
                position: reached.position,
            },
            reached.message.clone(),
            reached.help.clone(),
        ));
    }
}

/// A redirect chain longer than `limits.redirect_hops`, once per chain: at the page it starts
/// from (a page no other redirect leads to).
pub fn on_site(ctx: &SiteCtx<'_>, out: &mut Vec<Finding>) {
    let Some((_, spot)) = ctx.page.redirect.as_deref() else {
        return;
    };
    if ctx.site.is_redirected_to(&ctx.page.uri) || !super::redirects::declared_here(ctx) {
        return;
    }
    if let Some(followed) = ctx.site.follow(&ctx.page.uri)
        && followed.end == End::TooLong
    {
        out.push(finding(
            *spot,
            too_long(&followed, ctx.site),
            too_long_help(),
        ));
    }
}

/// "the redirect chain from X is longer than N hops".
pub fn too_long(
    followed: &crate::site::redirect::Followed,
    site: &crate::site::SiteIndex,
) -> String {
    format!(
        "the redirect chain from {} is longer than {} hops (`limits.redirect_hops`); it is not \
         followed further than {}",
        followed.chain[0],
        site.redirect_hops(),
        followed.last()
    )
}

pub fn too_long_help() -> String {
    format!(
        "point the redirects straight at the page readers should reach (browsers give up after \
         about 20 hops); {}",
        limits::raise("redirect_hops")
    )
}
