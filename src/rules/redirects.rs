//! redirected-link and redirect-loop, on pages and on the lines of the redirects file.

use super::table::RuleTable;
use super::{SiteCtx as Ctx, rules};
use crate::diagnostic::{Diagnostic, Finding};
use crate::parse::html::LinkSource;
use crate::parse::link::Target;
use crate::site::SiteIndex;
use crate::site::redirect::{End, Origin};

pub fn redirected_link(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for link in &ctx.page.links {
        if link.source == LinkSource::Redirect {
            continue; // the page's own redirect is no link to it
        }
        let Target::Internal { uri, fragment } = &link.target else {
            continue;
        };
        let Some(followed) = ctx.site.follow_from(uri, link.requested_slash) else {
            continue;
        };
        // A chain that ends nowhere is reported once, where the redirect is declared.
        if !matches!(followed.end, End::Page(_) | End::Elsewhere) {
            continue;
        }
        let last = followed.last();
        let fragment = fragment
            .as_deref()
            .map_or(String::new(), |f| format!("#{f}"));
        // A first hop off the site leaves no URI of this site to name.
        if followed.chain.len() == 1 {
            out.push(Finding {
                span: link.span(),
                position: link.position,
                message: format!("link to {uri}, which redirects to another site"),
                help: format!("link to where {uri} redirects, directly"),
                target: Some(uri.into()),
                repair: None,
            });
            continue;
        }
        // A link the renderer puts the page's locale in front of is written without it.
        let written = matches!(followed.end, End::Page(_))
            .then(|| super::links::as_written(ctx, link, last))
            .flatten();
        let help = match &written {
            Some(w) if w != last => format!(
                "link to {w}{fragment} directly, which is served as {last} ({})",
                followed.describe()
            ),
            _ => format!(
                "link to {last}{fragment} directly ({})",
                followed.describe()
            ),
        };
        let (repair, help) = match written {
            Some(uri) => super::links::repoint(link, uri, ctx.settings.trailing_slash, help),
            None => (None, help),
        };
        out.push(Finding {
            span: link.span(),
            position: link.position,
            message: format!("link to {uri}, which redirects to {last}"),
            help,
            target: Some(format!("{last}{fragment}").into()),
            repair,
        });
    }
}

pub fn redirect_loop(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some((_, spot)) = ctx.page.redirect.as_deref() else {
        return;
    };
    if !declared_here(ctx) {
        return;
    }
    let Some(followed) = ctx.site.follow(&ctx.page.uri) else {
        return;
    };
    if let Some(cycle) = ctx.site.loop_reported_here(&followed) {
        out.push(loop_finding(spot.span, spot.position, &cycle));
    }
}

/// Whether the page's redirect is the one its URI has (a page that shares its URI with an
/// earlier one, or whose URI the redirects file forwards first, reports nothing of it).
pub fn declared_here(ctx: &Ctx<'_>) -> bool {
    ctx.site.redirect(&ctx.page.uri).is_some_and(|r| {
        matches!(r.origin, Origin::Page(i) if ctx.site.pages.get(i).is_some_and(|p| std::ptr::eq(p, ctx.page)))
    })
}

/// A loop, reported once at the first of its URIs: the cycle from there back to it.
fn loop_finding(
    span: crate::parse::span::Span,
    position: crate::parse::span::Position,
    cycle: &[crate::parse::uri::Uri],
) -> Finding {
    let shown: Vec<&str> = cycle.iter().map(|u| u.as_str()).collect();
    Finding {
        span,
        position,
        message: format!("redirect loop: {}", shown.join(" → ")),
        help: "point this redirect, or another of the loop, at the page readers should reach"
            .into(),
        target: cycle.last().map(Into::into),
        repair: None,
    }
}

/// The redirects file's own diagnostics: targets that do not exist (broken-link) and loops.
/// `table` holds the rules as set for the file's path; `text` is the file, or why it could not
/// be read.
pub fn lint_file(
    site: &SiteIndex,
    table: &RuleTable,
    path: &str,
    text: Result<&String, &String>,
) -> Vec<Diagnostic> {
    let setting = |id: &str| {
        rules()
            .iter()
            .zip(&table.0)
            .find(|(r, _)| r.meta.id == id)
            .and_then(|(r, s)| Some((r.meta.id.as_str(), s.as_ref()?.0)))
    };
    let mut out = Vec::new();
    let diagnostic =
        |rule: Option<(&'static str, _)>, spot: crate::parse::page::Spot, message, help, target| {
            rule.map(|(rule, severity)| Diagnostic {
                rule,
                severity,
                path: path.into(),
                span: spot.span,
                position: spot.position,
                message: String::into(message),
                help: String::into(help),
                target: Option::<String>::map(target, String::into),
                repair: None,
                read: None,
            })
        };
    if let Err(e) = text {
        out.extend(diagnostic(
            setting("unreadable-page"),
            crate::parse::page::Spot::default(),
            format!("cannot read the redirects file: {e}"),
            "fix `site.redirects_file` in pagelint.yaml, or the file's permissions".to_owned(),
            None,
        ));
        return out;
    }
    for problem in &site.redirect_problems {
        out.extend(diagnostic(
            setting("broken-link"),
            problem.spot,
            problem.message.clone(),
            problem.help.clone(),
            None,
        ));
    }
    for (i, entry) in site.redirect_entries.iter().enumerate() {
        // A destination with placeholders is judged where a link matches it.
        if let Target::Internal { uri, .. } = &entry.to
            && !crate::site::redirects_file::has_placeholders(&entry.to)
            && !site.answers(uri)
            && site.redirect(uri).is_none()
            // A file the host serves as it is (`/static/favicon.png`).
            && site.asset(uri) != Some(&crate::site::AssetCheck::Found)
        {
            let help = match site.suggest(uri, &entry.from) {
                Some(s) => format!("did you mean {}? ({})", s.uri, s.reason),
                None => {
                    format!("no page has the URI {uri}: point the redirect at a page that exists")
                }
            };
            out.extend(diagnostic(
                setting("broken-link"),
                entry.to_spot,
                format!("broken redirect: no page has the URI {uri}"),
                help,
                Some(uri.to_string()),
            ));
        }
        if entry.pattern.is_some()
            || entry.rewrite
            || !site.redirect_declared_at(&entry.from, Origin::File(i))
        {
            continue;
        }
        let Some(followed) = site.follow(&entry.from) else {
            continue;
        };
        if let Some(cycle) = site.loop_reported_here(&followed) {
            let f = loop_finding(entry.from_spot.span, entry.from_spot.position, &cycle);
            out.extend(diagnostic(
                setting("redirect-loop"),
                entry.from_spot,
                f.message,
                f.help,
                f.target.as_ref().map(|t| t.as_str().to_owned()),
            ));
        } else if followed.end == End::TooLong && !site.is_redirected_to(&entry.from) {
            out.extend(diagnostic(
                setting("limit-exceeded"),
                entry.from_spot,
                super::limits::too_long(&followed, site),
                super::limits::too_long_help(),
                None,
            ));
        }
    }
    out
}
