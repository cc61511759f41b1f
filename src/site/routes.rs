//! `site.routes`: URLs the server answers without a page of their own (category listings and
//! their pagination, feeds, archives), as patterns whose placeholders are constrained, so that
//! a route is never a wholesale ignore: `/[locale:locale]/blog/[category:folder]` answers
//! `/en/blog/release` because pages live under it, and not `/en/blog/relase`.
//!
//! A pattern is literal text and placeholders, each `[name]` or `[name:constraint]`:
//! - `[name]` — one path segment, or the part of one it stands in (`[name].xml`);
//! - `[name:a|b|c]` — one of the words listed;
//! - `[name:digits]` — a number (`/page/[n:digits]`);
//! - `[name:locale]` — one of `site.locales.all`;
//! - `[name:folder]` — a segment under which the site has pages (the path up to and with this
//!   segment is the parent of some page's URI);
//! - `[name:page]` — a segment that makes the path so far a page's URI;
//! - `[...name]` — the rest of the path, one segment or more.

use crate::parse::locale::Locales;
use crate::site::pattern::{Pattern, group};
use regex::RegexSet;

/// A placeholder's constraint checked against the site (the others are in the expression).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Folder,
    Page,
}

#[derive(Debug, Clone)]
struct Route {
    pattern: Pattern,
    /// The placeholders checked against the site, by their index.
    checks: Vec<(usize, Check)>,
}

/// The routes of `site.routes`, compiled once.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    routes: Vec<Route>,
    /// Every route's expression, to find the routes a path matches in one pass.
    set: Option<RegexSet>,
}

impl Routes {
    /// Compile the routes as written; an error names the route (by its index) and what is
    /// wrong with it.
    pub fn compile(
        written: &[String],
        locales: Option<&Locales>,
        ignore_case: bool,
    ) -> Result<Routes, (usize, String)> {
        let routes = written
            .iter()
            .enumerate()
            .map(|(i, w)| route(w, locales, ignore_case).map_err(|e| (i, e)))
            .collect::<Result<Vec<_>, _>>()?;
        let set = if routes.is_empty() {
            None
        } else {
            Some(
                RegexSet::new(routes.iter().map(|r| r.pattern.expression()))
                    .map_err(|e| (0, e.to_string()))?,
            )
        };
        Ok(Routes { routes, set })
    }

    /// Whether some route answers `path` (a `Uri`'s text); `is_page` and `has_pages_below`
    /// tell what the site holds at a path.
    pub fn answers(
        &self,
        path: &str,
        is_page: impl Fn(&str) -> bool,
        has_pages_below: impl Fn(&str) -> bool,
    ) -> bool {
        let Some(set) = &self.set else {
            return false;
        };
        set.matches(path).into_iter().any(|i| {
            let route = &self.routes[i];
            if route.checks.is_empty() {
                return true;
            }
            let Some(ends) = route.pattern.ends(path) else {
                return false;
            };
            route.checks.iter().all(|&(at, check)| {
                let Some(Some(end)) = ends.get(at) else {
                    return false;
                };
                // The path up to the end of the segment the value is in.
                let end = path[*end..].find('/').map_or(path.len(), |j| end + j);
                let prefix = &path[..end];
                match check {
                    Check::Folder => has_pages_below(prefix),
                    Check::Page => is_page(prefix),
                }
            })
        })
    }

    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }
}

/// One route, compiled.
fn route(written: &str, locales: Option<&Locales>, ignore_case: bool) -> Result<Route, String> {
    if !written.starts_with('/') {
        return Err(format!("route {written:?} does not start with `/`"));
    }
    let mut expression = String::new();
    let mut names: Vec<Box<str>> = Vec::new();
    let mut checks = Vec::new();
    let mut rest = written;
    while let Some(open) = rest.find('[') {
        expression.push_str(&regex::escape(&rest[..open]));
        let close = rest[open..]
            .find(']')
            .map(|j| open + j)
            .ok_or_else(|| format!("a `[` in route {written:?} is not closed by `]`"))?;
        let inner = &rest[open + 1..close];
        let (name, inner_expr, check) = placeholder(inner, locales)
            .map_err(|e| format!("placeholder `[{inner}]` of route {written:?}: {e}"))?;
        if let Some(check) = check {
            checks.push((names.len(), check));
        }
        expression.push_str(&group(names.len(), &inner_expr));
        names.push(name.into());
        rest = &rest[close + 1..];
    }
    if rest.contains(']') {
        return Err(format!("a `]` in route {written:?} opens no placeholder"));
    }
    expression.push_str(&regex::escape(rest));
    let pattern = Pattern::build(&expression, names, ignore_case)?;
    Ok(Route { pattern, checks })
}

/// A placeholder's name, expression and site check.
fn placeholder<'a>(
    inner: &'a str,
    locales: Option<&Locales>,
) -> Result<(&'a str, String, Option<Check>), String> {
    if let Some(name) = inner.strip_prefix("...") {
        return Ok((valid_name(name)?, ".+".into(), None));
    }
    let (name, constraint) = match inner.split_once(':') {
        Some((n, c)) => (valid_name(n)?, Some(c)),
        None => (valid_name(inner)?, None),
    };
    const SEGMENT: &str = "[^/]+";
    Ok(match constraint {
        None => (name, SEGMENT.into(), None),
        Some("digits") => (name, "[0-9]+".into(), None),
        Some("folder") => (name, SEGMENT.into(), Some(Check::Folder)),
        Some("page") => (name, SEGMENT.into(), Some(Check::Page)),
        Some("locale") => {
            let locales = locales
                .ok_or("`locale` needs `site.locales` (the list it is one of)".to_owned())?;
            (name, alternatives(&locales.all), None)
        }
        Some(list) if !list.is_empty() => {
            let words: Vec<String> = list.split('|').map(str::to_owned).collect();
            if words.iter().any(|w| w.is_empty() || w.contains('/')) {
                return Err("a listed word is empty or holds a `/`".into());
            }
            // One word alone is a list too (`[feed:blog]`), unless it names no constraint
            // pagelint knows and looks like a typo of one.
            if words.len() == 1
                && crate::site::suggest::closest(
                    list,
                    ["digits", "folder", "page", "locale"].into_iter(),
                    2,
                )
                .is_some()
            {
                return Err(format!(
                    "unknown constraint `{list}`: use digits, folder, page, locale, or words \
                     separated by `|`"
                ));
            }
            (name, alternatives(&words), None)
        }
        Some(_) => return Err("the constraint after `:` is empty".into()),
    })
}

fn valid_name(name: &str) -> Result<&str, String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Err("a placeholder's name is letters, digits, `_` and `-`".into());
    }
    Ok(name)
}

/// One of `words`, literally.
fn alternatives(words: &[String]) -> String {
    words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(written: &[&str]) -> Routes {
        let locales = Locales {
            default: "en".into(),
            all: vec!["en".into(), "es".into()],
            prefix_default: true,
            unprefixed: Default::default(),
            redirect_placeholder: None,
            fallback: crate::parse::locale::Fallback::None,
        };
        let written: Vec<String> = written.iter().map(|s| s.to_string()).collect();
        Routes::compile(&written, Some(&locales), false).expect("compiles")
    }

    /// The site: pages under /en/blog/release and /en/blog/events, a page /en/about.
    fn answers(r: &Routes, path: &str) -> bool {
        let pages = ["/en/blog/release/v1", "/en/blog/events/x", "/en/about"];
        r.answers(
            path,
            |p| pages.contains(&p),
            |p| pages.iter().any(|page| page.starts_with(&format!("{p}/"))),
        )
    }

    #[test]
    fn constrained_placeholders_answer_only_what_the_site_has() {
        let r = routes(&[
            "/[locale:locale]/blog/[category:folder]",
            "/[locale:locale]/blog/[category:folder]/page/[n:digits]",
            "/[locale:locale]/feed/[name:blog|releases].xml",
            "/[locale:locale]/download/archive/[...version]",
            "/[locale:locale]/[name:page]/print",
        ]);
        for yes in [
            "/en/blog/release",
            "/en/blog/events",
            "/en/blog/release/page/2",
            "/en/feed/releases.xml",
            "/en/download/archive/v20.0.0",
            "/en/download/archive/v20/x",
            "/en/about/print",
        ] {
            assert!(answers(&r, yes), "{yes}");
        }
        for no in [
            "/en/blog/relase",
            "/de/blog/release",
            // No page lives under /es/blog/events.
            "/es/blog/events",
            "/en/blog/release/page/two",
            "/en/feed/release.xml",
            "/en/feed/blog.xml.bak",
            "/en/download/archive",
            "/en/contact/print",
        ] {
            assert!(!answers(&r, no), "{no}");
        }
    }

    #[test]
    fn a_route_that_cannot_be_read_is_refused_with_a_reason() {
        for (written, reason) in [
            ("blog/[x]", "does not start with `/`"),
            ("/blog/[x", "not closed"),
            ("/blog/x]", "opens no placeholder"),
            ("/blog/[x:digts]", "unknown constraint `digts`"),
            ("/blog/[x:]", "empty"),
            ("/blog/[]", "name"),
            ("/blog/[x:a||b]", "empty"),
        ] {
            let err = Routes::compile(&[written.to_owned()], None, false)
                .expect_err(written)
                .1;
            assert!(err.contains(reason), "{written}: {err}");
        }
        let err =
            Routes::compile(&["/[l:locale]".to_owned()], None, false).expect_err("no locales");
        assert!(err.1.contains("site.locales"), "{}", err.1);
    }
}
