//! Front-matter rules: invalid-front-matter, missing-field, missing-authorship, duplicate-uri,
//! duplicate-id, and unreadable-page for the file itself.

use super::{PageCtx as Ctx, SiteCtx};
use crate::diagnostic::Finding;
use crate::parse::frontmatter::{Problem, value_kind};
use crate::parse::page::{Page, Spot};

use serde_yaml::Value;

/// A finding at `spot` without a target or repair (the page rules' usual kind).
pub(super) fn finding(spot: Spot, message: String, help: impl Into<String>) -> Finding {
    Finding {
        span: spot.span,
        position: spot.position,
        message,
        help: help.into(),
        target: None,
        repair: None,
    }
}

pub fn unreadable_page(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if let Some(p) = &ctx.page.read_problem {
        out.push(finding(
            Spot {
                span: p.span,
                position: p.position,
            },
            p.message.clone(),
            p.help.clone(),
        ));
    }
}

pub fn invalid_front_matter(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let page = ctx.page;
    if let Some(fm) = &page.front_matter {
        let (message, help) = match &fm.problem {
            Problem::Missing => (
                "the page has no front matter".to_owned(),
                "start the file with a line `---`, the page's fields (id, uri, title, …) as YAML, \
                 and another `---` line"
                    .to_owned(),
            ),
            Problem::Toml => (
                "the front matter is TOML (between `+++` lines), which pagelint does not read"
                    .to_owned(),
                "write the fields as YAML between two `---` lines (Hugo reads both)".to_owned(),
            ),
            Problem::Unterminated => (
                "the front matter is not terminated".to_owned(),
                "end the front matter with a line `---` before the body".to_owned(),
            ),
            Problem::Syntax { message, .. } => (
                format!("the front matter is not valid YAML: {message}"),
                "fix the YAML at this line; quote values that contain `: `, `#` or start with a \
                 special character"
                    .to_owned(),
            ),
            Problem::NotMapping { kind } => (
                format!("the front matter is {kind}, not a mapping of fields"),
                "write the front matter as `key: value` lines".to_owned(),
            ),
            // limit-exceeded reports it: one root cause, one diagnostic.
            Problem::Limit { .. } => return,
        };
        // An unreadable page's missing front matter is the same root cause; and a site may
        // have plain HTML pages.
        let optional =
            ctx.settings.front_matter == crate::site::settings::FrontMatterPolicy::Optional;
        if fm.problem != Problem::Missing || !(page.read_problem.is_some() || optional) {
            out.push(finding(fm.spot, message, help));
        }
        return;
    }
    let config = ctx.settings;
    let text_fields = [
        config.id_field.as_str(),
        config.uri_field.as_str(),
        "title",
        "type",
        "authorship",
    ];
    // The date fields are text too; another author field may be a list (`authors: [a, b]`).
    let is_text = |name: &str| {
        text_fields.contains(&name)
            || config
                .updated_fields
                .iter()
                .chain(&config.created_fields)
                .any(|d| d == name)
    };
    for (name, f) in &page.fields {
        let value = &f.field.value;
        let ok = if is_text(name) {
            matches!(value, Value::Null | Value::String(_) | Value::Number(_))
        } else if name == "order" {
            matches!(value, Value::Null) || value.as_i64().is_some()
        } else {
            true
        };
        if !ok {
            let expected = if name == "order" {
                "an integer"
            } else {
                "text"
            };
            out.push(finding(
                f.spot,
                format!("field `{name}` is {}, not {expected}", value_kind(value)),
                format!("write `{name}` as {expected}"),
            ));
        }
    }
}

/// True when the page's field is absent, null or blank; and the spot to report it at.
fn missing(page: &Page, name: &str) -> Option<(Spot, bool)> {
    match page.fields.get(name) {
        None => Some((page.open, true)),
        Some(f) if f.field.is_blank() => Some((f.key, false)),
        Some(_) => None,
    }
}

pub fn missing_field(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if !ctx.page.fields_valid() {
        return;
    }
    for name in &ctx.settings.required_fields {
        // missing-authorship owns the author fields.
        if ctx.settings.author_fields.contains(name) {
            continue;
        }
        if let Some((spot, absent)) = missing(ctx.page, name) {
            let message = if absent {
                format!("required field `{name}` is missing")
            } else {
                format!("required field `{name}` is blank")
            };
            out.push(finding(
                spot,
                message,
                format!("add `{name}:` with a value to the front matter (pagelint.yaml's `required_fields` lists the required fields)"),
            ));
        }
    }
}

pub fn missing_authorship(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // A page with an empty body (a placeholder, a redirect) has nothing authored.
    if !ctx.page.fields_valid() || ctx.page.body_empty {
        return;
    }
    let fields = &ctx.settings.author_fields;
    if ctx.page.first_present(fields).is_some() {
        return;
    }
    // The first field written (blank, or an empty list), else the front matter's start.
    let written = fields
        .iter()
        .find_map(|f| Some((f, ctx.page.fields.get(f)?)));
    let (spot, message) = match written {
        Some((name, f)) => (f.key, format!("`{name}` is blank")),
        None => (
            ctx.page.open,
            format!("the page has no `{}`", fields.join("` or `")),
        ),
    };
    let first = &fields[0];
    out.push(finding(
        spot,
        message,
        format!("add `{first}:` naming who wrote and who reviewed the page"),
    ));
}

/// One diagnostic per page of a group that shares a key, naming the other files.
fn duplicates(
    ctx: &SiteCtx<'_>,
    group: &[usize],
    what: &str,
    value: &str,
    spot: Spot,
    out: &mut Vec<Finding>,
) {
    if group.len() < 2 {
        return;
    }
    let mut others: Vec<&str> = group
        .iter()
        .map(|&i| ctx.site.pages[i].path.as_str())
        .filter(|p| *p != ctx.page.path)
        .collect();
    others.sort_unstable();
    out.push(finding(
        spot,
        format!("{what} {value} is also claimed by {}", others.join(", ")),
        format!("give each page its own {what}"),
    ));
}

pub fn duplicate_uri(ctx: &SiteCtx<'_>, out: &mut Vec<Finding>) {
    let page = ctx.page;
    duplicates(
        ctx,
        ctx.site.pages_at(&page.uri),
        "URI",
        page.uri.as_str(),
        page.uri_spot,
        out,
    );
}

pub fn duplicate_id(ctx: &SiteCtx<'_>, out: &mut Vec<Finding>) {
    let Some((id, spot)) = &ctx.page.id else {
        return;
    };
    duplicates(ctx, ctx.site.pages_with_id(id), "id", id, *spot, out);
}
