//! The keys of the config that say how a Markdown site addressed by path is served, as its
//! generator's files, its folders and its front matter show it (`generator::Layout`,
//! `fields`): `uri_from`, `content_dir`, `permalink_field`, `locales`, `alias_fields`, the
//! redirects file, `static_dirs`, `heading_ids`, and the fields the authorship and date rules
//! read. Each key comes with the evidence it was set from; where the evidence conflicts or is
//! absent, a comment says so and the key is left out. Pure.

use super::Inference;
use super::generator::Layout;
use super::render::{comment, list, quoted, scalar};
use crate::parse::slug::HeadingIds;
use std::fmt::Write as _;

/// Names of fields holding when a page was last changed, most likely first.
const UPDATED_NAMES: [&str; 6] = [
    "updated_at",
    "lastmod",
    "last_modified_at",
    "updated",
    "modified",
    "last_update",
];
/// Names of fields holding when a page was published or created.
const CREATED_NAMES: [&str; 4] = ["created_at", "date", "published", "created"];
/// How many pages without authorship an override lists by path.
pub const MAX_LISTED: usize = 20;

fn ids_name(h: HeadingIds) -> &'static str {
    match h {
        HeadingIds::Github => "github",
        HeadingIds::Goldmark => "goldmark",
        HeadingIds::Kramdown => "kramdown",
        HeadingIds::None => "none",
    }
}

/// The `site:` keys for how pages are addressed and served.
pub fn site_keys(s: &mut String, inf: &Inference, layout: &Layout) {
    let f = &inf.fields;
    let generators: Vec<String> = layout
        .generators
        .iter()
        .map(|g| format!("{} ({})", g.value.name(), g.why))
        .collect();
    comment(
        s,
        2,
        &format!(
            "The site is built by {}: the root is its folder, and a page's URL is its path \
             (the extension dropped, `index` its folder).",
            generators.join(", ")
        ),
    );
    s.push_str("  uri_from: path\n");
    if let Some(d) = &layout.content_dir {
        comment(
            s,
            2,
            &format!("The folder whose paths are the URLs: {}.", d.why),
        );
        let _ = writeln!(s, "  content_dir: {}", scalar(&d.value));
    }
    if let Some(p) = &f.permalink {
        comment(
            s,
            2,
            &format!(
                "A page with this field is served at its value, whatever its path: {}.",
                p.note
            ),
        );
        let _ = writeln!(s, "  permalink_field: {}", scalar(&p.name));
    }
    if let Some(pattern) = &layout.permalink_pattern {
        comment(
            s,
            2,
            &format!(
                "_config.yml sets `permalink: {pattern}`: posts (_posts/) are served by that \
                 pattern, which pagelint does not model; give such pages a `permalink` field, \
                 or list their URLs in `routes`."
            ),
        );
    }
    if let Some(l) = &layout.locales {
        comment(s, 2, &format!("Locales: {}.", l.why));
        s.push_str("  locales:\n");
        let _ = writeln!(s, "    default: {}", scalar(&l.default));
        let _ = writeln!(s, "    all: {}", list(&l.all));
        if layout.locale_placeholder {
            comment(
                s,
                4,
                "The redirects' sources start with `/:locale`: any of the locales, or none.",
            );
            s.push_str("    redirect_placeholder: locale\n");
        }
        match l.prefix_default {
            Some(p) => {
                let _ = writeln!(s, "    prefix_default: {p}");
            }
            None => comment(
                s,
                4,
                "Nothing says whether the default locale's pages are served under its prefix: \
                 they are taken to be, as their paths say (set prefix_default: false if not).",
            ),
        }
    }
    if !f.aliases.is_empty() {
        let detail: Vec<String> = f
            .aliases
            .iter()
            .map(|a| format!("`{}` {}", a.name, a.note))
            .collect();
        comment(
            s,
            2,
            &format!(
                "Fields listing old URLs that forward to the page: {}.",
                detail.join("; ")
            ),
        );
        let names: Vec<String> = f.aliases.iter().map(|a| a.name.clone()).collect();
        let _ = writeln!(s, "  alias_fields: {}", list(&names));
    }
    if let Some((file, format)) = &layout.redirects {
        comment(s, 2, &format!("Redirects: {} ({}).", file.value, file.why));
        let _ = writeln!(s, "  redirects_file: {}", scalar(&file.value));
        let _ = writeln!(s, "  redirects_format: {format}");
    }
    for unread in &layout.unread_redirects {
        comment(s, 2, &format!("Not read: {unread}."));
    }
    if !layout.static_dirs.is_empty() {
        let why: Vec<&str> = layout
            .static_dirs
            .iter()
            .map(|(_, d)| d.why.as_str())
            .collect();
        comment(
            s,
            2,
            &format!("Files the pages load are served from: {}.", why.join("; ")),
        );
        s.push_str("  static_dirs:\n");
        for (prefix, d) in &layout.static_dirs {
            let _ = writeln!(s, "    {}: {}", quoted(prefix), scalar(&d.value));
        }
    }
    match &layout.heading_ids {
        Some(Ok(h)) => {
            comment(s, 2, &format!("Heading ids: {}.", h.why));
            let _ = writeln!(s, "  heading_ids: {}", ids_name(h.value));
        }
        Some(Err(why)) => comment(
            s,
            2,
            &format!(
                "Heading ids: {why}; pagelint makes GitHub's (github-slugger) unless told: set \
                 heading_ids (github, goldmark, kramdown or none) as the renderer makes them."
            ),
        ),
        None => {}
    }
    authors(s, inf);
    dates(s, inf);
}

/// `author_fields`, when the site names authorship otherwise than `authorship`.
fn authors(s: &mut String, inf: &Inference) {
    let Some(a) = &inf.fields.authorship else {
        return;
    };
    comment(
        s,
        2,
        &format!("Who wrote a page: `{}`, {}.", a.name, a.note),
    );
    let _ = writeln!(
        s,
        "  author_fields: {}",
        list(std::slice::from_ref(&a.name))
    );
}

/// The date fields the date rules read, by their names.
pub fn date_fields(inf: &Inference) -> (Vec<String>, Vec<String>) {
    let names: Vec<&str> = inf.fields.dates.iter().map(|d| d.name.as_str()).collect();
    let pick = |known: &[&str]| -> Vec<String> {
        known
            .iter()
            .filter(|k| names.contains(k))
            .map(|k| (*k).to_owned())
            .collect()
    };
    let created = pick(&CREATED_NAMES);
    let mut updated = pick(&UPDATED_NAMES);
    // A blog's only date is when a post was published: the updated date falls back on it.
    updated.extend(created.iter().filter(|c| *c == "date").cloned());
    (updated, created)
}

/// `updated_fields` and `created_fields`.
fn dates(s: &mut String, inf: &Inference) {
    let (updated, created) = date_fields(inf);
    if !updated.is_empty() {
        comment(
            s,
            2,
            "When a page was last updated: the first of these a page has (the date fields \
             found, by their names).",
        );
        let _ = writeln!(s, "  updated_fields: {}", list(&updated));
    }
    if !created.is_empty() {
        comment(s, 2, "When a page was created or published:");
        let _ = writeln!(s, "  created_fields: {}", list(&created));
    }
}

/// Whether the only updated date is a publication date (stale-updated-at would report every
/// old post).
pub fn dates_are_publication_dates(inf: &Inference) -> bool {
    let (updated, _) = date_fields(inf);
    updated == ["date"]
}

/// The override turning missing-authorship off for the pages without the author field,
/// when they are few, and whether it was written.
pub fn authorless(out: &mut String, inf: &Inference) -> bool {
    let f = &inf.fields;
    let Some(a) = &f.authorship else {
        return false;
    };
    let lacking = &f.lacking_authorship;
    if lacking.is_empty() || lacking.len() > MAX_LISTED {
        return false;
    }
    comment(
        out,
        0,
        &format!(
            "{} page{} with a body {} no `{}` (index and listing pages, likely): \
             missing-authorship is off for {}.",
            lacking.len(),
            if lacking.len() == 1 { "" } else { "s" },
            if lacking.len() == 1 { "has" } else { "have" },
            a.name,
            if lacking.len() == 1 { "it" } else { "them" },
        ),
    );
    out.push_str("overrides:\n  - paths:\n");
    for rel in lacking {
        let _ = writeln!(
            out,
            "      - {}",
            quoted(&super::generator::join(&inf.pages_dir, rel))
        );
    }
    out.push_str("    rules: {missing-authorship: off}\n");
    true
}
