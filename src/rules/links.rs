//! broken-link and broken-fragment: does each internal link reach a page, and a place in it?

use super::{PageCtx, SiteCtx as Ctx};
use crate::diagnostic::{Finding, Repair};
use crate::parse::html::LinkSource;
use crate::parse::link::{Target, finds_fragment};
use crate::parse::page::Anchors;
use crate::parse::uri::percent_decode;
use crate::site::suggest::closest;

pub fn broken_link(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for link in &ctx.page.links {
        match &link.target {
            Target::Invalid(invalid) => out.push(Finding {
                span: link.span(),
                position: link.position,
                message: format!("`{}` is not a valid URL: {}", invalid.href, invalid.reason),
                help: "write the link as a path on this site (`/section/page`) or a full URL"
                    .into(),
                target: Some(invalid.href.clone().into()),
                repair: None,
            }),
            Target::Internal { uri, fragment }
                if !ctx.site.answers(uri)
                    && ctx.site.redirect_of(uri, link.requested_slash).is_none()
                    && !is_asset(link.source, uri)
                    // A file that is not a page (`/LICENSE`, a `.htm` that `include` leaves
                    // out), found inside the root: the host serves it as it is.
                    && ctx.site.asset(uri) != Some(&crate::site::AssetCheck::Found) =>
            {
                let suggestion = ctx.site.suggest(uri, &ctx.page.uri);
                // The fragment is kept: a repair rewrites only the path.
                let fragment = fragment
                    .as_deref()
                    .map_or(String::new(), |f| format!("#{f}"));
                let help = match (&suggestion, without_slash(ctx, link, uri)) {
                    (_, Some(help)) => help,
                    (Some(s), None) => match as_written(ctx, link, &s.uri) {
                        Some(w) if w != s.uri => format!(
                            "did you mean {w}{fragment}? ({}; the renderer puts the page's locale \
                             in front of this link, so it is written without it)",
                            s.reason
                        ),
                        Some(_) => format!("did you mean {}{fragment}? ({})", s.uri, s.reason),
                        None => format!(
                            "did you mean {}{fragment}? ({}; the renderer puts the page's locale \
                             in front of this link: write the page's full URL)",
                            s.uri, s.reason
                        ),
                    },
                    (None, None) => format!(
                        "no page has the URI {uri}: correct the link, or, if the server answers \
                         this path without a page, add it to `site.ignore_links` in pagelint.yaml"
                    ),
                };
                // Only a certain suggestion is written; a guess is for a person to choose.
                let written = suggestion
                    .filter(|s| s.certain)
                    .and_then(|s| as_written(ctx, link, &s.uri));
                let (repair, help) = match written {
                    Some(uri) => repoint(link, uri, ctx.settings.trailing_slash, help),
                    None => (None, help),
                };
                out.push(Finding {
                    span: link.span(),
                    position: link.position,
                    message: match link.source {
                        LinkSource::Redirect => {
                            format!("broken redirect: no page has the URI {uri}")
                        }
                        _ => format!("broken link: no page has the URI {uri}"),
                    },
                    help,
                    target: Some(uri.into()),
                    repair,
                });
            }
            Target::Internal { uri, .. } if !ctx.site.answers(uri) => {
                out.extend(through_rule_to_nowhere(ctx, link, uri));
            }
            _ => {}
        }
    }
}

/// How `link` is written to reach `uri`: as `uri`, or, where the renderer put the page's
/// locale in front of it (`Link::localized`), without that locale; `None` when no such link
/// reaches `uri`.
pub fn as_written(
    ctx: &Ctx<'_>,
    link: &crate::parse::link::Link,
    uri: &crate::parse::uri::Uri,
) -> Option<crate::parse::uri::Uri> {
    if !link.localized {
        return Some(uri.clone());
    }
    ctx.settings
        .locales
        .as_ref()?
        .unlocalized(uri, ctx.page.uri.as_str())
}

/// The help for a link that no redirect rule matches only for its trailing slash (the host
/// matches sources strictly on it: `site.redirects_trailing_slash: strict`): where the link
/// without the slash goes.
fn without_slash(
    ctx: &Ctx<'_>,
    link: &crate::parse::link::Link,
    uri: &crate::parse::uri::Uri,
) -> Option<String> {
    use crate::site::redirect::End;
    if link.requested_slash != Some(true) {
        return None;
    }
    let followed = ctx.site.follow_from(uri, Some(false))?;
    let goes = match &followed.end {
        _ if followed.chain.len() == 1 => "redirects to another site".to_owned(),
        End::Page(_) | End::Elsewhere => format!("redirects to {}", followed.last()),
        End::Missing(end) => format!("redirects to {end}, which no page answers either"),
        End::Loop | End::TooLong => format!("redirects without end ({})", followed.describe()),
    };
    let fix = match &followed.end {
        End::Page(_) | End::Elsewhere => "remove the trailing slash, or link where it leads",
        _ => "correct the link",
    };
    Some(format!(
        "the host matches redirect sources exactly, trailing slash included, and no rule is \
         written with it; without the slash, {uri} {goes}: {fix}"
    ))
}

/// A link whose redirect, made by a pattern rule or the locale redirect (which no line
/// declares for this URI, to report there), ends at a URI nothing answers or in a loop.
fn through_rule_to_nowhere(
    ctx: &Ctx<'_>,
    link: &crate::parse::link::Link,
    uri: &crate::parse::uri::Uri,
) -> Option<Finding> {
    use crate::site::redirect::End;
    let followed = ctx.site.follow_from(uri, link.requested_slash)?;
    // A loop or a long chain that starts with a declared redirect is reported where it is
    // declared (redirect-loop, limit-exceeded).
    let computed = match followed.end {
        End::Missing(_) => followed.computed,
        _ => followed.first_computed,
    };
    if !computed || is_asset(link.source, followed.last()) {
        return None;
    }
    let (message, help) = match &followed.end {
        End::Missing(end) => (
            format!("broken link: {uri} redirects to {end}, and no page has that URI"),
            match ctx.site.suggest(end, &ctx.page.uri) {
                Some(s) => format!(
                    "did you mean {}? ({}; the redirect: {})",
                    s.uri,
                    s.reason,
                    followed.describe()
                ),
                None => format!(
                    "correct the link, or the redirect rule it matches ({})",
                    followed.describe()
                ),
            },
        ),
        End::Loop => (
            format!("broken link: {uri} redirects in a loop"),
            format!(
                "correct the redirect rules the link matches ({})",
                followed.describe()
            ),
        ),
        End::TooLong => (
            format!(
                "broken link: {uri} is still redirecting after {} hops",
                ctx.site.redirect_hops()
            ),
            format!(
                "correct the redirect rules the link matches ({uri} → … → {}); {}",
                followed.last(),
                crate::parse::limits::raise("redirect_hops")
            ),
        ),
        End::Page(_) | End::Elsewhere => return None,
    };
    Some(Finding {
        span: link.span(),
        position: link.position,
        message,
        help,
        target: Some(uri.into()),
        repair: None,
    })
}

pub fn broken_fragment(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for link in &ctx.page.links {
        let Target::Internal {
            uri,
            fragment: Some(fragment),
        } = &link.target
        else {
            continue;
        };
        // `#` and `#top` always work: the browser scrolls to the top of the page.
        if finds_fragment(fragment, |_| false) {
            continue;
        }
        // Through redirects, the fragment applies to the page the chain ends at.
        let target = match ctx.site.follow_from(uri, link.requested_slash) {
            Some(followed) => match followed.end {
                crate::site::redirect::End::Page(i) => &ctx.site.pages[i],
                _ => continue,
            },
            None => match ctx.site.lookup(uri) {
                Some(page) => page,
                None => continue, // broken-link reports the page itself.
            },
        };
        // The anchors of a page that could not be read are unknown.
        if target.unread
            || !target.anchors_known
            || finds_fragment(fragment, |name| target.has_anchor(name))
        {
            continue;
        }
        // Shown and compared as the reader wrote it: decoded.
        let fragment = &*percent_decode(fragment);
        let same_page = *uri == ctx.page.uri;
        let where_ = if same_page {
            "this page".to_owned()
        } else {
            uri.to_string()
        };
        let help = match closest(
            fragment,
            target.anchors.iter(),
            (fragment.chars().count() / 5 + 1).min(4),
        ) {
            Some(near) => format!("did you mean #{near}? ({where_} has an element with that id)"),
            None if target.anchors.is_empty() => format!(
                "{where_} has no ids at all: add id=\"{fragment}\" to the element the link should \
                 reach, or drop the fragment"
            ),
            None => format!(
                "use one of the ids of {where_} ({}), or add id=\"{fragment}\" to the element the \
                 link should reach",
                preview(&target.anchors)
            ),
        };
        out.push(Finding {
            span: link.span(),
            position: link.position,
            message: format!("broken fragment: {where_} has no id or anchor `{fragment}`"),
            help,
            target: Some(format!("{uri}#{fragment}").into()),
            repair: None,
        });
    }
}

/// The first few anchors of a page, for a help text.
fn preview(anchors: &Anchors) -> String {
    const SHOWN: usize = 5;
    let mut s = anchors
        .iter()
        .take(SHOWN)
        .map(|i| format!("#{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    if anchors.len() > SHOWN {
        s.push_str(&format!(", … {} more", anchors.len() - SHOWN));
    }
    s
}

pub fn broken_toc_entry(ctx: &PageCtx<'_>, out: &mut Vec<Finding>) {
    let page = ctx.page;
    if page.toc.is_empty() || !page.fields_valid() {
        return;
    }
    let anchors = Anchors::new(page.anchors.clone());
    // One root cause, one diagnostic: a body without ids fails every entry at once.
    if anchors.is_empty() {
        out.push(Finding {
            span: page.toc_key.span,
            position: page.toc_key.position,
            message: format!(
                "the table of contents has {} entries, but no element of the body has an id",
                page.toc.len()
            ),
            help: "give each heading the table of contents names its id (<h2 id=\"…\">)".into(),
            target: None,
            repair: None,
        });
        return;
    }
    for entry in &page.toc {
        if anchors.contains(&entry.id) {
            continue;
        }
        let help = match closest(
            &entry.id,
            anchors.iter(),
            (entry.id.chars().count() / 5 + 1).min(4),
        ) {
            Some(near) => format!("did you mean `{near}`? (the body has an element with that id)"),
            None => format!(
                "use one of the body's ids ({}), or add id=\"{}\" to the heading this entry \
                 stands for",
                preview(&anchors),
                entry.id
            ),
        };
        out.push(Finding {
            span: entry.spot.span,
            position: entry.spot.position,
            message: format!(
                "table-of-contents entry `{}` names no element of this page",
                entry.id
            ),
            help,
            target: Some(format!("#{}", entry.id).into()),
            repair: None,
        });
    }
}

/// The repair that points `link` at `uri`, by how the link is written, and `help` (which says
/// so when `fix` cannot make it: see `certain_repair`).
pub fn repoint(
    link: &crate::parse::link::Link,
    uri: crate::parse::uri::Uri,
    policy: crate::site::settings::TrailingSlash,
    help: String,
) -> (Option<Repair>, String) {
    use crate::site::settings::TrailingSlash;
    let repair = match link.source {
        LinkSource::Field | LinkSource::Redirect => Repair::FieldTarget(uri),
        _ => {
            // Written as trailing-slash would have it: no second finding once fixed.
            let slash = match policy {
                TrailingSlash::Require => uri.as_str() != "/" && !uri.last_segment().contains('.'),
                TrailingSlash::Forbid => false,
                TrailingSlash::Ignore => link.trailing_slash == Some(true),
            };
            Repair::Target { uri, slash }
        }
    };
    certain_repair(link, repair, help)
}

/// `repair` when `fix` can make it with certainty (`Link::editable`); else none, and `help`
/// says the value is for a person to change.
pub fn certain_repair(
    link: &crate::parse::link::Link,
    repair: Repair,
    help: String,
) -> (Option<Repair>, String) {
    if link.editable {
        return (Some(repair), help);
    }
    let how = match link.source {
        LinkSource::Field | LinkSource::Redirect => {
            "the field is not one plain or quoted value on its own line"
        }
        _ => "the value holds a backslash, a tab or a line break",
    };
    (
        None,
        format!(
            "{help}; `pagelint fix` cannot locate this value with certainty ({how}): change it by \
             hand"
        ),
    )
}

pub fn orphan_page(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (page, site) = (ctx.page, ctx.site);
    if !site.links_complete || page.unread || page.redirect.is_some() || page.uri.as_str() == "/" {
        return;
    }
    let Some(i) = site.lookup_index(&page.uri) else {
        return;
    };
    // Of pages sharing a URI, duplicate-uri speaks; only the one links reach is judged.
    if !std::ptr::eq(&site.pages[i], page) || site.inbound(i) > 0 {
        return;
    }
    out.push(Finding {
        span: page.uri_spot.span,
        position: page.uri_spot.position,
        message: format!("no other page links to {}", page.uri),
        help: "link to it from where readers would look for it, or retire it with a redirect"
            .into(),
        target: Some((&page.uri).into()),
        repair: None,
    });
}

/// Extensions of files that are pages, not assets (served by the site as pages).
const PAGE_EXTENSIONS: [&str; 10] = [
    "html", "htm", "md", "markdown", "mdx", "php", "asp", "aspx", "jsp", "shtml",
];

/// Whether a link to a URI that no page answers is a link to a file (judged by missing-asset)
/// rather than to a page (judged by broken-link): an image, script or other loaded resource, or
/// any link whose last segment has a file extension that is not a page's. Digits alone are a
/// version, not an extension (`/blog/release/v22.0.0` is a page).
pub fn is_asset(source: LinkSource, uri: &crate::parse::uri::Uri) -> bool {
    let last = uri.last_segment();
    // By bytes: this is asked of every link, and a last segment is short.
    match last
        .bytes()
        .rposition(|b| b == b'.')
        .map(|i| (&last[..i], &last[i + 1..]))
    {
        Some((stem, ext))
            if !stem.is_empty() && !ext.is_empty() && !ext.bytes().all(|b| b.is_ascii_digit()) =>
        {
            !PAGE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
        }
        _ => source.loads_asset(),
    }
}

pub fn missing_asset(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for link in &ctx.page.links {
        let Target::Internal { uri, .. } = &link.target else {
            continue;
        };
        if ctx.site.answers(uri)
            || ctx.site.redirect_of(uri, link.requested_slash).is_some()
            || !is_asset(link.source, uri)
        {
            continue;
        }
        let message = match ctx.site.asset(uri) {
            Some(crate::site::AssetCheck::Missing(file)) => {
                format!("missing asset: no file {file} for {uri}")
            }
            Some(crate::site::AssetCheck::LeadsOut(file)) => format!(
                "missing asset: {file} for {uri} is reached through a symlink that leads out of \
                 the content root, which is not followed"
            ),
            _ => continue,
        };
        out.push(Finding {
            span: link.span(),
            position: link.position,
            message,
            help: if link.localized {
                format!(
                    "the renderer puts the page's locale in front of this link, so the \
                     browser asks for {uri}: link the file by its full URL on the site's host \
                     (an absolute link is left as written), with the file in `site.static_dirs`"
                )
            } else {
                "add the file, correct the path, or map its URL prefix to the folder that \
                 holds it in `site.static_dirs`"
                    .into()
            },
            target: Some(uri.into()),
            repair: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::uri::Uri;

    #[test]
    fn a_last_segment_with_a_file_extension_is_an_asset_and_a_version_is_not() {
        let asset = |path: &str, source| is_asset(source, &Uri::from_path(path));
        assert!(asset("/static/a.pdf", LinkSource::AHref));
        assert!(asset("/static/A.PNG", LinkSource::MdLink));
        assert!(asset("/media/clip.mp4", LinkSource::AHref));
        assert!(!asset("/a/page.html", LinkSource::AHref));
        assert!(!asset("/blog/release/v22.0.0", LinkSource::MdLink));
        assert!(!asset("/docs/v8.1", LinkSource::AHref));
        assert!(!asset("/.well-known", LinkSource::AHref));
        // Without an extension, what the link loads decides.
        assert!(asset("/images/logo", LinkSource::ImgSrc));
        assert!(asset("/blog/release/v22.0.0", LinkSource::ImgSrc));
        assert!(!asset("/about", LinkSource::AHref));
    }
}
