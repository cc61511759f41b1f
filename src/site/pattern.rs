//! Path patterns as hosts write them — Netlify's `_redirects` (`:name` for one segment, `*`
//! for the rest, which the destination names `:splat`) and path-to-regexp's, as Next.js and
//! Vercel read a redirect's `source` (`:name`, `:name?`, `:name*`, `:name+`, `:name(regex)`,
//! `(regex)`, `{…}?`) — each compiled once to one anchored regular expression, and the
//! destinations filled from what a match captured. The `regex` crate matches in time linear in
//! the path whatever the pattern (no backtracking), and its size limit bounds what a hostile
//! pattern costs to compile. Pure.

use regex::{Regex, RegexBuilder};

/// How a pattern is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Netlify's `_redirects`: `:name` is one segment, `*` the rest of the path (`:splat`).
    Netlify,
    /// path-to-regexp 6, as Next.js and Vercel read a `source`.
    PathToRegexp,
}

/// The most a compiled pattern may take (a pattern is a line of a file a pull request edits).
const SIZE_LIMIT: usize = 1 << 20;

/// A compiled pattern: the expression, and the name of each of its groups (`p0`, `p1`, … in the
/// expression, so that a group inside a user's regex cannot shift them).
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Regex,
    names: Vec<Box<str>>,
}

/// What a match captured: each placeholder's name and value (empty for one that did not take
/// part).
pub type Captures = Vec<(Box<str>, String)>;

impl Pattern {
    /// Compile `source`; `locale` is the placeholder that stands for one of the site's locales
    /// or none (`site.locales.redirect_placeholder`), with those locales. `ignore_case` as the
    /// host compares paths. The error says what is wrong with the pattern.
    pub fn compile(
        source: &str,
        syntax: Syntax,
        locale: Option<(&str, &[String])>,
        ignore_case: bool,
    ) -> Result<Pattern, String> {
        let (expression, names) = match syntax {
            Syntax::Netlify => netlify(source),
            Syntax::PathToRegexp => path_to_regexp(source, locale)?,
        };
        Pattern::build(&expression, names, ignore_case)
    }

    /// A pattern from an expression already written (`site.routes`).
    pub(crate) fn build(
        expression: &str,
        names: Vec<Box<str>>,
        ignore_case: bool,
    ) -> Result<Pattern, String> {
        let flags = if ignore_case { "(?i)" } else { "" };
        let regex = RegexBuilder::new(&format!("{flags}{}", anchored(expression)))
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(SIZE_LIMIT)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => "the pattern is too large".to_owned(),
                e => format!(
                    "the pattern is not a regular expression pagelint can read: {}",
                    e.to_string().lines().last().unwrap_or("invalid")
                ),
            })?;
        Ok(Pattern { regex, names })
    }

    /// The expression, anchored and with its flags (for a `RegexSet` of many patterns).
    pub fn expression(&self) -> &str {
        self.regex.as_str()
    }

    /// What matching `path` (a `Uri`'s text) captures, if it matches.
    pub fn captures(&self, path: &str) -> Option<Captures> {
        let found = self.regex.captures(path)?;
        Some(
            self.names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let value = found.name(&format!("p{i}")).map_or("", |m| m.as_str());
                    (name.clone(), value.to_owned())
                })
                .collect(),
        )
    }

    /// Where each placeholder's value ends in `path`, by placeholder (for routes' constraints
    /// on the path up to a placeholder's segment); `None` for one that took no part.
    pub(crate) fn ends(&self, path: &str) -> Option<Vec<Option<usize>>> {
        let found = self.regex.captures(path)?;
        Some(
            (0..self.names.len())
                .map(|i| found.name(&format!("p{i}")).map(|m| m.end()))
                .collect(),
        )
    }
}

/// `expression` matched against the whole path.
fn anchored(expression: &str) -> String {
    format!(r"\A(?:{expression})\z")
}

/// A group for placeholder `i` around `inner`.
pub(crate) fn group(i: usize, inner: &str) -> String {
    format!("(?P<p{i}>{inner})")
}

/// Whether `c` may be part of a placeholder's name.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The name starting `s`.
fn name_at(s: &str) -> &str {
    let end = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
    &s[..end]
}

/// Netlify: `:name` at the start of a segment takes the segment; `*` takes the rest of the
/// path (and `/*` matches the folder itself too, as Netlify's trailing-slash normalization
/// has it); anything else is literal.
fn netlify(source: &str) -> (String, Vec<Box<str>>) {
    let mut out = String::new();
    let mut names: Vec<Box<str>> = Vec::new();
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") && !names.iter().any(|n| &**n == "splat") {
            out.push_str(&format!("(?:/{})?", group(names.len(), ".*")));
            names.push("splat".into());
            rest = &rest[2..];
        } else if c == '*' && !names.iter().any(|n| &**n == "splat") {
            out.push_str(&group(names.len(), ".*"));
            names.push("splat".into());
            rest = &rest[1..];
        } else if c == ':' && out.ends_with('/') && !name_at(&rest[1..]).is_empty() {
            let name = name_at(&rest[1..]);
            out.push_str(&group(names.len(), "[^/]+"));
            names.push(name.into());
            rest = &rest[1 + name.len()..];
        } else {
            out.push_str(&regex::escape(&rest[..c.len_utf8()]));
            rest = &rest[c.len_utf8()..];
        }
    }
    (out, names)
}

/// The default pattern of a path-to-regexp parameter: up to the next delimiter.
const SEGMENT: &str = "[^/#?]+?";

/// path-to-regexp 6 (`delimiter: "/"`, `prefixes: "./"`): a parameter right after `/` or `.`
/// takes that character as its prefix, so that `/:path*` matches nothing or `/a/b`, and its
/// modifier applies to prefix and parameter together.
fn path_to_regexp(
    source: &str,
    locale: Option<(&str, &[String])>,
) -> Result<(String, Vec<Box<str>>), String> {
    let mut out = String::new();
    let mut names: Vec<Box<str>> = Vec::new();
    let mut unnamed = 0;
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        match c {
            '\\' => {
                let escaped = rest[1..].chars().next().ok_or("the pattern ends in `\\`")?;
                out.push_str(&regex::escape(&escaped.to_string()));
                rest = &rest[1 + escaped.len_utf8()..];
            }
            ':' | '(' => {
                // The prefix is the literal `/` or `.` just written, if any.
                let prefix = if out.ends_with('/') || out.ends_with(r"\.") {
                    let p = if out.ends_with('/') { "/" } else { r"\." };
                    out.truncate(out.len() - p.len());
                    p
                } else {
                    ""
                };
                let (name, pattern, after) = parameter(rest, &mut unnamed, locale)?;
                let (mut modifier, after) = match after.chars().next() {
                    Some(m @ ('?' | '*' | '+')) => (Some(m), &after[1..]),
                    _ => (None, after),
                };
                // The locale placeholder may be left out: `/:locale(en|…|)?`.
                if locale.is_some_and(|(param, _)| *param == *name) {
                    modifier = modifier.or(Some('?'));
                }
                out.push_str(&with_modifier(prefix, "", &pattern, modifier, names.len()));
                names.push(name);
                rest = after;
            }
            '{' => {
                let close = rest.find('}').ok_or("a `{` is not closed by `}`")?;
                let inner = &rest[1..close];
                let after = &rest[close + 1..];
                let (modifier, after) = match after.chars().next() {
                    Some(m @ ('?' | '*' | '+')) => (Some(m), &after[1..]),
                    _ => (None, after),
                };
                let start = inner.find([':', '(']);
                match start {
                    Some(at) => {
                        let (name, pattern, tail) = parameter(&inner[at..], &mut unnamed, locale)?;
                        let prefix = regex::escape(&inner[..at]);
                        let suffix = regex::escape(tail);
                        out.push_str(&with_modifier(
                            &prefix,
                            &suffix,
                            &pattern,
                            modifier,
                            names.len(),
                        ));
                        names.push(name);
                    }
                    None => {
                        let literal = regex::escape(inner);
                        out.push_str(&match modifier {
                            Some(m) => format!("(?:{literal}){m}"),
                            None => literal,
                        });
                    }
                }
                rest = after;
            }
            '?' | '*' | '+' => {
                return Err(format!(
                    "`{c}` follows no parameter (write `\\{c}` for the character itself)"
                ));
            }
            _ => {
                out.push_str(&regex::escape(&rest[..c.len_utf8()]));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Ok((out, names))
}

/// The parameter at the start of `s` (`:name`, `:name(re)` or `(re)`): its name (unnamed
/// ones are numbered from 0, as path-to-regexp numbers them), its expression, and what follows.
fn parameter<'s>(
    s: &'s str,
    unnamed: &mut usize,
    locale: Option<(&str, &[String])>,
) -> Result<(Box<str>, String, &'s str), String> {
    let (name, mut rest) = match s.strip_prefix(':') {
        Some(after) => {
            let name = name_at(after);
            if name.is_empty() {
                return Err("a `:` is not followed by a parameter name".into());
            }
            (Some(name), &after[name.len()..])
        }
        None => (None, s),
    };
    let mut pattern = None;
    if rest.starts_with('(') {
        let (inner, after) = group_body(rest)?;
        pattern = Some(inner.to_owned());
        rest = after;
    }
    let name: Box<str> = match name {
        Some(n) => n.into(),
        None => {
            *unnamed += 1;
            (*unnamed - 1).to_string().into()
        }
    };
    let pattern = match (pattern, locale) {
        (Some(p), _) => p,
        // The locale placeholder matches one of the site's locales (as nodejs.org's
        // `/:locale(en|es|…|)?` does, and Next.js's i18n routing): `|` for none.
        (None, Some((param, all))) if &*name == param => all
            .iter()
            .map(|l| regex::escape(l))
            .chain(std::iter::once(String::new()))
            .collect::<Vec<_>>()
            .join("|"),
        (None, _) => SEGMENT.to_owned(),
    };
    Ok((name, pattern, rest))
}

/// The body of the `(…)` group that starts `s`, and what follows it. As path-to-regexp, a
/// group inside may not capture (`(?:…)` is fine).
fn group_body(s: &str) -> Result<(&str, &str), String> {
    let mut depth = 0usize;
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '(' => {
                if depth > 0 && !s[i + 1..].starts_with('?') {
                    return Err(format!(
                        "a capturing group inside a parameter's pattern (at `{}`): write `(?:…)`",
                        &s[i..]
                    ));
                }
                depth += 1;
            }
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let inner = &s[1..i];
                    if inner.is_empty() {
                        return Err("a parameter's pattern `()` is empty".into());
                    }
                    return Ok((inner, &s[i + 1..]));
                }
            }
            _ => {}
        }
    }
    Err("a `(` is not closed by `)`".into())
}

/// A parameter's expression with its prefix, suffix and modifier, as path-to-regexp builds it.
fn with_modifier(
    prefix: &str,
    suffix: &str,
    pattern: &str,
    modifier: Option<char>,
    i: usize,
) -> String {
    match modifier {
        None => format!("{prefix}{}{suffix}", group(i, pattern)),
        Some('?') => format!("(?:{prefix}{}{suffix})?", group(i, pattern)),
        Some(m) => {
            let repeated = format!("(?:{pattern})(?:{suffix}{prefix}(?:{pattern}))*");
            let optional = if m == '*' { "?" } else { "" };
            format!("(?:{prefix}{}{suffix}){optional}", group(i, &repeated))
        }
    }
}

/// `template` (a redirect's destination) with each `:name` a match captured replaced by its
/// value (a modifier after it, as in `:path*`, dropped); `:name`s it did not capture stay as
/// written. Slashes doubled by an empty value are made one, in the path only.
pub fn fill(template: &str, captures: &Captures) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    let mut emptied = false;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name = name_at(after);
        match captures
            .iter()
            .find(|(n, _)| !name.is_empty() && **n == *name)
        {
            Some((_, value)) => {
                out.push_str(value);
                emptied |= value.is_empty();
                let mut tail = &after[name.len()..];
                if let Some(t) = tail.strip_prefix(['*', '+', '?']) {
                    tail = t;
                }
                rest = tail;
            }
            None => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if emptied {
        out = collapse_slashes(&out);
    }
    out
}

/// `url` with runs of `/` in its path made one (after a scheme's `//`, and before any `?` or
/// `#`).
fn collapse_slashes(url: &str) -> String {
    let (head, path) = match url.find("://") {
        Some(i) => {
            let host_end = url[i + 3..].find('/').map_or(url.len(), |j| i + 3 + j);
            url.split_at(host_end)
        }
        None => ("", url),
    };
    let end = path.find(['?', '#']).unwrap_or(path.len());
    let mut out = String::from(head);
    let mut last_slash = false;
    for c in path[..end].chars() {
        if !(c == '/' && last_slash) {
            out.push(c);
        }
        last_slash = c == '/';
    }
    out.push_str(&path[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p2r(source: &str) -> Pattern {
        Pattern::compile(source, Syntax::PathToRegexp, None, true).expect(source)
    }

    fn values(p: &Pattern, path: &str) -> Option<Vec<String>> {
        p.captures(path)
            .map(|c| c.into_iter().map(|(_, v)| v).collect())
    }

    // The examples of path-to-regexp 6's README and tests (pillarjs/path-to-regexp, v6.2).
    #[test]
    fn path_to_regexp_parameters_match_as_documented() {
        let p = p2r("/:foo/:bar");
        assert_eq!(
            values(&p, "/test/route"),
            Some(vec!["test".into(), "route".into()])
        );
        assert_eq!(values(&p, "/test"), None);
        let p = p2r("/:foo/:bar?");
        assert_eq!(
            values(&p, "/test"),
            Some(vec!["test".into(), String::new()])
        );
        assert_eq!(
            values(&p, "/test/route"),
            Some(vec!["test".into(), "route".into()])
        );
        let p = p2r("/a/:foo*");
        assert_eq!(values(&p, "/a"), Some(vec![String::new()]));
        assert_eq!(values(&p, "/a/bar/baz"), Some(vec!["bar/baz".into()]));
        let p = p2r("/a/:foo+");
        assert_eq!(values(&p, "/a"), None);
        assert_eq!(values(&p, "/a/bar/baz"), Some(vec!["bar/baz".into()]));
        let p = p2r("/icon-:foo(\\d+).png");
        assert_eq!(values(&p, "/icon-123.png"), Some(vec!["123".into()]));
        assert_eq!(values(&p, "/icon-abc.png"), None);
        let p = p2r("/:foo/(.*)");
        assert_eq!(
            values(&p, "/test/route"),
            Some(vec!["test".into(), "route".into()])
        );
        let p = p2r("/:attr1?{-:attr2}?{-:attr3}?");
        assert_eq!(
            values(&p, "/test-test"),
            Some(vec!["test".into(), "test".into(), String::new()])
        );
        let p = p2r("/:file.:ext");
        assert_eq!(values(&p, "/a.json"), Some(vec!["a".into(), "json".into()]));
        // A `.` before a parameter is its prefix, as a `/` is.
        let p = p2r("/:file.:ext?");
        assert_eq!(values(&p, "/a"), Some(vec!["a".into(), String::new()]));
    }

    // The sources of nodejs.org's redirects.json, as its next.config reads them.
    #[test]
    fn regex_groups_and_locale_placeholders_match_as_nextjs_serves_them() {
        let p = p2r("/(atom|feed|rss).xml");
        for path in ["/atom.xml", "/feed.xml", "/RSS.xml"] {
            assert!(p.captures(path).is_some(), "{path}");
        }
        assert!(p.captures("/blog.xml").is_none());
        assert!(p.captures("/feedXxml").is_none());
        let p = p2r("/(static/|)favicon.ico");
        assert!(p.captures("/favicon.ico").is_some());
        assert!(p.captures("/static/favicon.ico").is_some());
        assert!(p.captures("/other/favicon.ico").is_none());
        let p = p2r("/(static/|)apple-touch-icon(.*).png");
        assert_eq!(
            values(&p, "/apple-touch-icon-120x120.png"),
            Some(vec![String::new(), "-120x120".into()])
        );
        let locales = ["en".to_owned(), "es".to_owned()];
        let p = Pattern::compile(
            "/:locale/about/security",
            Syntax::PathToRegexp,
            Some(("locale", &locales)),
            true,
        )
        .expect("compiles");
        assert_eq!(values(&p, "/about/security"), Some(vec![String::new()]));
        assert_eq!(values(&p, "/es/about/security"), Some(vec!["es".into()]));
        assert_eq!(values(&p, "/de/about/security"), None);
        // Without the site's locales, `:locale` is any one segment.
        assert_eq!(
            values(&p2r("/:locale/about/security"), "/de/about/security"),
            Some(vec!["de".into()])
        );
    }

    #[test]
    fn bad_patterns_are_refused_with_a_reason() {
        for (source, reason) in [
            ("/a/:", "not followed by a parameter name"),
            ("/a/(b", "not closed"),
            ("/a/((b)|c)", "capturing group"),
            ("/a/(?=b)", "not a regular expression"),
            ("/a/*", "follows no parameter"),
            ("/a/()", "empty"),
            ("/a/((?:x{1000}){1000})", "too large"),
        ] {
            let err =
                Pattern::compile(source, Syntax::PathToRegexp, None, false).expect_err(source);
            assert!(err.contains(reason), "{source}: {err}");
        }
    }

    // Netlify's documented examples (docs.netlify.com, Redirects and rewrites: splats,
    // placeholders).
    #[test]
    fn netlify_splats_and_placeholders_match_as_documented() {
        let compile = |s| Pattern::compile(s, Syntax::Netlify, None, false).expect(s);
        let p = compile("/news/*");
        let c = p.captures("/news/2004/01/10/my-story").expect("matches");
        assert_eq!(fill("/blog/:splat", &c), "/blog/2004/01/10/my-story");
        assert_eq!(
            fill("/blog/:splat", &p.captures("/news").expect("matches")),
            "/blog/"
        );
        assert!(p.captures("/newsletter").is_none());
        let p = compile("/news/:year/:month/:date/:slug");
        let c = p.captures("/news/2004/02/12/my-story").expect("matches");
        assert_eq!(
            fill("/blog/:year/:month/:date/:slug", &c),
            "/blog/2004/02/12/my-story"
        );
        assert!(p.captures("/news/2004/02/12").is_none());
        // Paths are case-sensitive on Netlify; a literal `.` is a dot.
        let p = compile("/Old.html");
        assert!(p.captures("/old.html").is_none());
        assert!(p.captures("/OldXhtml").is_none());
    }

    #[test]
    fn destinations_are_filled_from_the_match() {
        let p = p2r("/:locale/blog/weekly-updates/:path*");
        let c = p.captures("/en/blog/weekly-updates/a/b").expect("matches");
        assert_eq!(
            fill("/:locale/blog/weekly/:path*", &c),
            "/en/blog/weekly/a/b"
        );
        let c = p.captures("/en/blog/weekly-updates").expect("matches");
        assert_eq!(fill("/:locale/blog/weekly/:path*", &c), "/en/blog/weekly/");
        assert_eq!(
            fill(
                "https://nodejs.org//learn/:path*",
                &p2r("/learn/:path*").captures("/learn/x").expect("m")
            ),
            "https://nodejs.org//learn/x",
            "only an emptied value collapses slashes"
        );
        let locales = ["en".to_owned()];
        let p = Pattern::compile(
            "/:locale/community",
            Syntax::PathToRegexp,
            Some(("locale", &locales)),
            true,
        )
        .expect("compiles");
        let c = p.captures("/community").expect("matches");
        assert_eq!(fill("/:locale/get-involved", &c), "/get-involved");
        assert_eq!(
            fill("https://x.example/:locale/a?q=:locale", &c),
            "https://x.example/a?q="
        );
        // A name the match did not capture stays as written.
        assert_eq!(fill("/a/:other", &c), "/a/:other");
    }
}
