//! Which front-matter fields mean what, read off the pages themselves: the URI field (values
//! that look like paths, unique per page, and that the site's links name), the id field
//! (unique short tokens), authorship, dates, the fields that name other pages (link fields
//! and a redirect field), a table of contents (a list of mappings whose ids name ids of the
//! page's body), the page types, and the fields every page has. Pure: it sees `Sample`s.

use super::Found;
use super::scan::Sample;
use crate::parse::frontmatter::scalar_text;
use crate::parse::uri::Uri;
use crate::rules::dates::parse_date;
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Names a URI field goes by, most likely first.
const URI_NAMES: [&str; 7] = ["uri", "url", "permalink", "path", "slug", "route", "href"];
/// Names an id field goes by, most likely first.
const ID_NAMES: [&str; 6] = ["id", "uid", "uuid", "key", "slug", "name"];
/// Names an authorship field goes by, most likely first.
pub const AUTHORSHIP_NAMES: [&str; 9] = [
    "authorship",
    "author",
    "authors",
    "byline",
    "creator",
    "creators",
    "contributors",
    "written_by",
    "reviewed_by",
];
/// The field missing-authorship reads.
pub const AUTHORSHIP_FIELD: &str = "authorship";
/// The fields the date rules read.
pub const DATE_RULE_FIELDS: [&str; 2] = ["updated_at", "created_at"];
/// The field overrides select page types by.
pub const TYPE_FIELD: &str = "type";

/// What the front matter of the pages says.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    /// Pages whose front matter was read without a problem.
    pub pages: usize,
    /// The URI field; `None`: pages are addressed by their paths.
    pub uri: Option<Found>,
    /// How many root-relative links name a page's URI (under the choice made).
    pub uri_links: (usize, usize),
    pub id: Option<Found>,
    pub authorship: Option<Found>,
    pub dates: Vec<Found>,
    pub link_fields: Vec<Found>,
    pub toc: Option<Found>,
    /// A list of mappings naming body ids, but through a key other than `id`.
    pub toc_other_key: Option<(Found, String)>,
    pub redirect: Option<Found>,
    /// `type` values: how many pages have each, and how many of those (with a body) lack
    /// authorship.
    pub types: BTreeMap<String, (usize, usize)>,
    /// Fields every page has, non-blank.
    pub required: Vec<String>,
    /// Pages with a body that lack the authorship field found, sorted.
    pub lacking_authorship: Vec<String>,
    /// A field that, on the pages having it, is a root-relative path (Jekyll's `permalink`,
    /// Hugo's `url`).
    pub permalink: Option<Found>,
    /// Fields listing root-relative paths that forward to the page (Hugo's `aliases`,
    /// Jekyll's `redirect_from`).
    pub aliases: Vec<Found>,
}

/// Names a permalink field goes by.
const PERMALINK_NAMES: [&str; 2] = ["permalink", "url"];
/// Names an alias field goes by.
const ALIAS_NAMES: [&str; 2] = ["aliases", "redirect_from"];

/// The texts of a field's value: a scalar, or each scalar of a list.
fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(other).into_iter().collect(),
    }
}

/// Among `names`, the fields whose every value (or listed value) is a root-relative path,
/// on at least one page.
fn path_fields(valid: &[&Sample], names: &[&str]) -> Vec<Found> {
    let n = valid.len();
    names
        .iter()
        .filter_map(|name| {
            let values: Vec<Vec<String>> = valid
                .iter()
                .filter_map(|s| s.field(name).map(texts))
                .collect();
            let all_paths = values
                .iter()
                .flatten()
                .all(|v| v.starts_with('/') && path_like(v));
            (!values.is_empty() && all_paths).then(|| {
                Found::new(
                    name,
                    values.len(),
                    format!(
                        "on {} of {n} pages, every value a root-relative path",
                        values.len()
                    ),
                )
            })
        })
        .collect()
}

impl Fields {
    /// Types whose pages mostly lack authorship.
    pub fn types_without_authorship(&self) -> Vec<String> {
        self.types
            .iter()
            .filter(|(_, (n, lacking))| *lacking > 0 && lacking * 2 > *n)
            .map(|(t, _)| t.clone())
            .collect()
    }
}

/// The URI of each page, under the URI field chosen (its path, without one).
pub fn page_uris(samples: &[Sample], uri_field: Option<&str>) -> Vec<Uri> {
    samples
        .iter()
        .map(|s| match uri_field.and_then(|f| s.text(f)) {
            Some(v) => Uri::from_field(&v),
            None => Uri::from_file_path(&s.rel),
        })
        .collect()
}

/// Infer what the fields of `samples` mean.
pub fn infer(samples: &[Sample]) -> Fields {
    let valid: Vec<&Sample> = samples.iter().filter(|s| s.fields.is_some()).collect();
    let n = valid.len();
    let keys: BTreeSet<&str> = valid
        .iter()
        .flat_map(|s| s.fields.iter().flat_map(|f| f.keys().map(String::as_str)))
        .collect();
    let present = |k: &str| valid.iter().filter(|s| s.field(k).is_some()).count();
    let mut fields = Fields {
        pages: n,
        ..Fields::default()
    };
    let (uri, uri_links) = uri_field(samples, &valid, &keys);
    fields.uri = uri;
    fields.uri_links = uri_links;
    let uri_name = fields.uri.as_ref().map(|f| f.name.clone());
    fields.id = id_field(&valid, &keys, uri_name.as_deref());
    fields.authorship = AUTHORSHIP_NAMES
        .iter()
        .map(|k| (*k, present(k)))
        .filter(|(_, c)| *c > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(k, c)| Found::new(k, c, format!("on {c} of {n} pages")));
    fields.dates = date_fields(&valid, &keys);
    let uris: HashSet<Uri> = page_uris(samples, uri_name.as_deref())
        .into_iter()
        .collect();
    let taken: Vec<&str> = [
        uri_name.as_deref(),
        fields.id.as_ref().map(|f| f.name.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (links, redirect) = page_fields(&valid, &keys, &taken, &uris, uri_name.as_deref());
    fields.link_fields = links;
    fields.redirect = redirect;
    let (toc, other) = toc_field(&valid, &keys);
    fields.toc = toc;
    fields.toc_other_key = other;
    if let Some(a) = &fields.authorship {
        fields.lacking_authorship = valid
            .iter()
            .filter(|s| !s.body_empty && s.field(&a.name).is_none())
            .map(|s| s.rel.clone())
            .collect();
        fields.lacking_authorship.sort();
    }
    if fields.uri.is_none() {
        fields.permalink = path_fields(&valid, &PERMALINK_NAMES).into_iter().next();
    }
    fields.aliases = path_fields(&valid, &ALIAS_NAMES);
    for s in &valid {
        if let Some(t) = s.text(TYPE_FIELD) {
            let entry = fields.types.entry(t).or_default();
            entry.0 += 1;
            if !s.body_empty && s.field(AUTHORSHIP_FIELD).is_none() {
                entry.1 += 1;
            }
        }
    }
    if n > 0 {
        let mut required: Vec<String> = keys
            .iter()
            .filter(|k| **k != AUTHORSHIP_FIELD && present(k) == n)
            .map(|k| (*k).to_owned())
            .collect();
        // The id and the URI first, as pages usually write them, then the title.
        let first = [
            fields.id.as_ref().map_or("id", |f| f.name.as_str()),
            uri_name.as_deref().unwrap_or("uri"),
            "title",
        ];
        let rank = |k: &str| first.iter().position(|x| *x == k);
        required.sort_by(|a, b| {
            rank(a)
                .unwrap_or(usize::MAX)
                .cmp(&rank(b).unwrap_or(usize::MAX))
                .then(a.cmp(b))
        });
        fields.required = required;
    }
    fields
}

/// Whether a value could be a site path (`diagnosis/a-z`, `/a/b/`, `coming-soon`).
fn path_like(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 2048
        && !s.contains("://")
        && !s.starts_with('#')
        && !s.chars().any(char::is_whitespace)
        && parse_date(s).is_none()
}

/// The URI field: among fields that look like paths on most pages with values unique per
/// page, the one whose values the site's root-relative links name most often (ties: the
/// usual names; a field nobody links to loses to the pages' paths).
fn uri_field(
    samples: &[Sample],
    valid: &[&Sample],
    keys: &BTreeSet<&str>,
) -> (Option<Found>, (usize, usize)) {
    let linked: Vec<Uri> = samples
        .iter()
        .flat_map(|s| s.hrefs.iter())
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .map(|h| Uri::from_path(h.split(['?', '#']).next().unwrap_or("")))
        .collect();
    let hits = |uris: &HashSet<Uri>| linked.iter().filter(|u| uris.contains(*u)).count();
    let by_path: HashSet<Uri> = samples
        .iter()
        .map(|s| Uri::from_file_path(&s.rel))
        .collect();
    let mut best: (usize, u8, Option<Found>) = (hits(&by_path), 1, None);
    let n = valid.len();
    for key in keys {
        let values: Vec<String> = valid.iter().filter_map(|s| s.text(key)).collect();
        if values.len() * 2 <= n || !values.iter().all(|v| path_like(v)) {
            continue;
        }
        let uris: HashSet<Uri> = values.iter().map(|v| Uri::from_field(v)).collect();
        if uris.len() * 100 < values.len() * 98 {
            continue;
        }
        let score = (hits(&uris), if URI_NAMES.contains(key) { 2 } else { 0 });
        if score > (best.0, best.1) {
            let unique = if uris.len() == values.len() {
                "values unique".to_owned()
            } else {
                format!("{} distinct values", uris.len())
            };
            let note = format!("on {} of {n} pages, {unique}", values.len());
            best = (score.0, score.1, Some(Found::new(key, values.len(), note)));
        }
    }
    (best.2, (best.0, linked.len()))
}

/// The id field: unique short tokens (no spaces or slashes, not dates) on most pages; the
/// usual names first, else the field most pages have.
fn id_field(valid: &[&Sample], keys: &BTreeSet<&str>, uri: Option<&str>) -> Option<Found> {
    let n = valid.len();
    let mut found: Vec<(usize, usize, Found)> = Vec::new();
    // A title is prose and a layout or type names a template: unique on a small site by
    // chance, never ids.
    let never = ["title", "layout", "type", "template", "description"];
    for key in keys
        .iter()
        .filter(|k| Some(**k) != uri && !never.contains(*k))
    {
        let values: Vec<String> = valid.iter().filter_map(|s| s.text(key)).collect();
        let token =
            |v: &String| v.len() <= 128 && !v.contains(['/', ' ', '\t']) && parse_date(v).is_none();
        if values.len() * 2 <= n || !values.iter().all(token) {
            continue;
        }
        let distinct: HashSet<&String> = values.iter().collect();
        if distinct.len() * 100 < values.len() * 98 {
            continue;
        }
        let rank = ID_NAMES.iter().position(|x| x == key);
        let wordy = values
            .iter()
            .filter(|v| v.chars().any(|c| c.is_alphabetic()))
            .count();
        if rank.is_none() && wordy * 2 < values.len() {
            continue; // numbers: an order or a weight more likely than an id
        }
        let note = if distinct.len() == values.len() {
            format!("on {} of {n} pages, values unique", values.len())
        } else {
            format!(
                "on {} of {n} pages, {} distinct",
                values.len(),
                distinct.len()
            )
        };
        found.push((
            rank.unwrap_or(usize::MAX),
            usize::MAX - values.len(),
            Found::new(key, values.len(), note),
        ));
    }
    found.sort_by(|a, b| (a.0, a.1, &a.2.name).cmp(&(b.0, b.1, &b.2.name)));
    found.into_iter().next().map(|f| f.2)
}

/// Fields whose values are dates on nearly every page that has them.
fn date_fields(valid: &[&Sample], keys: &BTreeSet<&str>) -> Vec<Found> {
    let n = valid.len();
    let mut out = Vec::new();
    for key in keys {
        let values: Vec<String> = valid.iter().filter_map(|s| s.text(key)).collect();
        let dates = values.iter().filter(|v| parse_date(v).is_some()).count();
        if dates >= 1 && dates * 10 >= values.len() * 9 {
            out.push(Found::new(
                key,
                values.len(),
                format!("on {} of {n} pages", values.len()),
            ));
        }
    }
    out.sort_by(|a, b| b.pages.cmp(&a.pages).then(a.name.cmp(&b.name)));
    out
}

/// Fields whose values are other pages' URIs on most pages that have them: link fields,
/// and the redirect field (named so, or on pages whose bodies are mostly empty).
fn page_fields(
    valid: &[&Sample],
    keys: &BTreeSet<&str>,
    taken: &[&str],
    uris: &HashSet<Uri>,
    uri_field: Option<&str>,
) -> (Vec<Found>, Option<Found>) {
    let mut links = Vec::new();
    let mut redirects: Vec<(usize, Found)> = Vec::new();
    for key in keys.iter().filter(|k| !taken.contains(k)) {
        let mut present = 0;
        let mut resolved = 0;
        let mut empty = 0;
        for s in valid {
            let Some(v) = s.text(key) else { continue };
            present += 1;
            empty += usize::from(s.body_empty);
            let own = uri_field
                .and_then(|f| s.text(f))
                .map_or_else(|| Uri::from_file_path(&s.rel), |u| Uri::from_field(&u));
            let target = Uri::from_field(&v);
            if path_like(&v) && target != own && uris.contains(&target) {
                resolved += 1;
            }
        }
        if resolved == 0 || resolved * 2 < present {
            continue;
        }
        let note =
            format!("on {present} pages; {resolved} of {present} values are other pages' URIs");
        let named = key.contains("redirect") || key.contains("moved") || key.contains("forward");
        if named || (empty * 2 > present && present * 4 <= valid.len()) {
            let note = format!("{note}; {empty} of those pages have an empty body");
            redirects.push((usize::from(!named), Found::new(key, present, note)));
        } else {
            links.push(Found::new(key, present, note));
        }
    }
    redirects.sort_by(|a, b| (a.0, usize::MAX - a.1.pages).cmp(&(b.0, usize::MAX - b.1.pages)));
    let mut redirects = redirects.into_iter().map(|r| r.1);
    let redirect = redirects.next();
    // A second redirect-like field is checked as a link field.
    links.extend(redirects);
    links.sort_by(|a, b| a.name.cmp(&b.name));
    (links, redirect)
}

/// A table of contents: a field holding a list of mappings, one key of which names ids of
/// the page's own body in most entries. pagelint reads the key `id`.
fn toc_field(valid: &[&Sample], keys: &BTreeSet<&str>) -> (Option<Found>, Option<(Found, String)>) {
    let mut best: Option<(usize, Found, String)> = None;
    for key in keys {
        let mut pages = 0;
        // Per item key: entries, and entries naming a body id.
        let mut by_item_key: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for s in valid {
            let Some(Value::Sequence(items)) = s.field(key) else {
                continue;
            };
            let maps: Vec<&serde_yaml::Mapping> =
                items.iter().filter_map(Value::as_mapping).collect();
            if maps.is_empty() {
                continue;
            }
            pages += 1;
            for map in maps {
                for (k, v) in map {
                    let (Some(k), Some(v)) = (scalar_text(k), scalar_text(v)) else {
                        continue;
                    };
                    let entry = by_item_key.entry(k).or_default();
                    entry.0 += 1;
                    let id = v.trim().trim_start_matches('#');
                    entry.1 +=
                        usize::from(s.anchors.binary_search_by(|a| a.as_str().cmp(id)).is_ok());
                }
            }
        }
        for (item_key, (entries, named)) in by_item_key {
            if named >= 2 && named * 2 >= entries && best.as_ref().is_none_or(|b| named > b.0) {
                let note = format!(
                    "on {pages} pages, lists of mappings: {named} of {entries} `{item_key}`s name an id in the page's body"
                );
                best = Some((named, Found::new(key, pages, note), item_key));
            }
        }
    }
    match best {
        Some((_, found, item_key)) if item_key == "id" => (Some(found), None),
        Some((_, found, item_key)) => (None, Some((found, item_key))),
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, front: &str, body: &str) -> Sample {
        Sample::from_text(rel.into(), &format!("---\n{front}---\n{body}\n"))
    }

    fn site() -> Vec<Sample> {
        let mut pages = Vec::new();
        for i in 0..6 {
            let more = if i < 4 {
                format!("see_also: docs/p{}\n", (i + 1) % 6)
            } else {
                String::new()
            };
            pages.push(page(
                &format!("p{i}.md"),
                &format!(
                    "key: page-{i}\nlocation: docs/p{i}\ntitle: Page {i}\ntype: {}\nauthor: A\n\
                     date: 2024-01-0{}\n{more}toc:\n  - {{label: One, anchor: one}}\n",
                    if i < 3 { "topic" } else { "list" },
                    i + 1
                ),
                &format!(
                    "<h2 id=\"one\">One</h2><a href=\"/docs/p{}\">next</a>",
                    (i + 2) % 6
                ),
            ));
        }
        pages.push(page(
            "moved.md",
            "key: moved\nlocation: docs/old\ntitle: Old\ntype: list\nforward_to: docs/p1\n",
            "",
        ));
        pages
    }

    #[test]
    fn fields_are_recognised_by_their_values_not_only_their_names() {
        let f = infer(&site());
        assert_eq!(f.uri.as_ref().map(|f| f.name.as_str()), Some("location"));
        assert_eq!(f.uri_links, (6, 6));
        assert_eq!(f.id.as_ref().map(|f| f.name.as_str()), Some("key"));
        assert_eq!(
            f.authorship.as_ref().map(|f| f.name.as_str()),
            Some("author")
        );
        let dates: Vec<&str> = f.dates.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(dates, ["date"]);
        let links: Vec<&str> = f.link_fields.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(links, ["see_also"]);
        assert_eq!(
            f.redirect.as_ref().map(|f| f.name.as_str()),
            Some("forward_to")
        );
        assert!(f.toc.is_none());
        assert_eq!(
            f.toc_other_key
                .as_ref()
                .map(|(f, k)| (f.name.as_str(), k.as_str())),
            Some(("toc", "anchor"))
        );
        assert_eq!(f.required, ["key", "location", "title", "type"]);
        // `authorship` itself is absent: every type with a body lacks it.
        assert_eq!(f.types["topic"], (3, 3));
        assert_eq!(f.types["list"], (4, 3));
    }

    #[test]
    fn without_a_linked_uri_field_pages_are_addressed_by_their_paths() {
        let pages = vec![
            page(
                "a/x.md",
                "title: X\nslug: something\n",
                "<a href=\"/a/y\">y</a>",
            ),
            page(
                "a/y.md",
                "title: Y\nslug: other\n",
                "<a href=\"/a/x\">x</a>",
            ),
        ];
        let f = infer(&pages);
        assert!(f.uri.is_none(), "{:?}", f.uri);
        assert_eq!(f.uri_links, (2, 2));
    }
}
