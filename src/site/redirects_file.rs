//! Reading a redirects file (`site.redirects_file`) in the format its host reads: `FROM TO
//! [STATUS][!]` lines as Netlify's `_redirects` writes them (and MDN's `_redirects.txt`), or
//! Next.js/Vercel redirects as JSON. Each rule becomes a `FileEntry`, in file order (the
//! first matching rule wins, as on both hosts); what cannot be read is a `FileProblem` at its
//! line and column, and the rest of the file is still read. Linear in the file.

use crate::parse::link::{Resolver, Target};
use crate::parse::locale::Locales;
use crate::parse::page::Spot;
use crate::parse::span::{LineIndex, Span};
use crate::parse::uri::Uri;
use crate::site::pattern::{Pattern, Syntax};
use crate::site::redirect::FileEntry;
use crate::site::settings::RedirectsFormat;

/// A rule of the file that cannot be read, and where.
#[derive(Debug, Clone)]
pub struct FileProblem {
    pub message: String,
    pub help: String,
    pub spot: Spot,
}

/// What a redirects file holds.
#[derive(Debug, Default)]
pub struct Parsed {
    pub entries: Vec<FileEntry>,
    pub problems: Vec<FileProblem>,
}

/// How the file is read: its format and what its patterns need.
pub struct Reading<'a> {
    pub format: RedirectsFormat,
    /// The file's path, for detecting its format.
    pub name: &'a str,
    pub resolver: &'a Resolver,
    pub locales: Option<&'a Locales>,
    /// Whether the site's server ignores case (Netlify's paths are otherwise case-sensitive).
    pub case_insensitive: bool,
    /// How a trailing slash in a source is matched.
    pub slash: crate::site::redirect::SourceSlash,
}

/// Read a redirects file.
pub fn parse(text: &str, reading: &Reading<'_>) -> Parsed {
    let json = match reading.format {
        RedirectsFormat::Json => true,
        RedirectsFormat::Netlify => false,
        RedirectsFormat::Auto => {
            reading.name.ends_with(".json") || text.trim_start().starts_with(['{', '['])
        }
    };
    let lines = LineIndex::new(text);
    let spot = |start: usize, len: usize| Spot {
        span: Span::new(start, start + len),
        position: lines.position(text, start),
    };
    if json {
        json_rules(text, reading, &spot)
    } else {
        netlify_rules(text, reading, &spot)
    }
}

/// Netlify's `_redirects`: `FROM [query=:param…] TO [STATUS[!]] [Condition=…]`, `#` comments.
/// Both paths are from the site's root (or, for `TO`, a full URL), whatever
/// `site.base_path` is. Rules that hold only for some requests (query parameters, a country,
/// language, role or cookie) are not followed: a link is not known to meet them. A 404 rule
/// (a custom error page) answers nothing; a 200 rule is a rewrite.
fn netlify_rules(text: &str, reading: &Reading<'_>, spot: &dyn Fn(usize, usize) -> Spot) -> Parsed {
    let mut out = Parsed::default();
    let mut offset = 0;
    while offset < text.len() {
        // Lines end at LF, CRLF or a lone CR.
        let start = offset;
        let end = memchr::memchr2(b'\n', b'\r', &text.as_bytes()[start..])
            .map_or(text.len(), |i| start + i);
        offset = end + crate::parse::span::break_len(text, end);
        let line = &text[start..end];
        let content = line.split('#').next().unwrap_or("");
        let mut words = content
            .split_ascii_whitespace()
            .map(|w| (w, w.as_ptr() as usize - line.as_ptr() as usize + start));
        let Some((from, from_at)) = words.next() else {
            continue;
        };
        let mut conditional = false;
        let mut to = None;
        for (w, at) in words.by_ref() {
            if w.starts_with('/') || w.contains("://") {
                to = Some((w, at));
                break;
            }
            conditional |= w.contains('='); // a query parameter the rule requires
        }
        let Some((to, to_at)) = to else {
            continue;
        };
        let mut status = None;
        for (w, _) in words {
            match w.trim_end_matches('!').parse::<u16>() {
                Ok(code) if status.is_none() => status = Some((code, w.ends_with('!'))),
                _ => conditional |= w.contains('='),
            }
        }
        let (code, force) = status.unwrap_or((301, false));
        // Host rules (`https://old.example/*`) and conditional rules are not followed.
        if conditional || !from.starts_with('/') || !(code == 200 || (300..400).contains(&code)) {
            continue;
        }
        let pattern = from.contains('*') || from.contains("/:");
        let entry = entry(
            reading,
            (from, spot(from_at, from.len())),
            (to, spot(to_at, to.len())),
            pattern.then_some(Syntax::Netlify),
            force,
            code == 200,
        );
        match entry {
            Ok(Some(e)) => out.entries.push(e),
            Ok(None) => {}
            Err(problem) => out.problems.push(problem),
        }
    }
    out
}

/// One rule as an entry: the source compiled when it is a pattern, the destination resolved
/// (its placeholders left for a match to fill).
fn entry(
    reading: &Reading<'_>,
    (from, from_spot): (&str, Spot),
    (to, to_spot): (&str, Spot),
    syntax: Option<Syntax>,
    force: bool,
    rewrite: bool,
) -> Result<Option<FileEntry>, FileProblem> {
    let pattern = match syntax {
        None => None,
        Some(syntax) => {
            let ignore_case = reading.case_insensitive || syntax == Syntax::PathToRegexp;
            let locale = reading.locales.and_then(|l| {
                l.redirect_placeholder
                    .as_deref()
                    .map(|p| (p, l.all.as_slice()))
            });
            let compiled =
                Pattern::compile(from, syntax, locale, ignore_case).map_err(|e| FileProblem {
                    message: format!("the redirect source `{from}` cannot be read: {e}"),
                    help: match syntax {
                        Syntax::Netlify => "write `:name` for one segment and `*` for the rest \
                                            (Netlify's syntax)"
                            .into(),
                        Syntax::PathToRegexp => "write the source in path-to-regexp's syntax, as \
                                                 Next.js reads it (`/:name`, `/:path*`, `/(a|b)`)"
                            .into(),
                    },
                    spot: from_spot,
                })?;
            Some(Box::new(compiled))
        }
    };
    // The file's lines are site paths: the base path, if any, is already part of them.
    let Some(target) = reading.resolver.resolve_site_path(to) else {
        return Ok(None);
    };
    Ok(Some(FileEntry {
        from: Uri::from_path(from),
        from_spot,
        to: target,
        to_raw: to.to_owned(),
        to_spot,
        pattern,
        force,
        rewrite,
        slash: (reading.slash == crate::site::redirect::SourceSlash::Strict)
            .then(|| from.len() > 1 && from.ends_with('/')),
    }))
}

/// Next.js and Vercel: a list of `{source, destination, permanent?}` on its own, or under
/// `redirects` (vercel.json), `external` (nodejs.org's redirects.json), and rewrites under
/// `rewrites` or `internal`. Every source is path-to-regexp; a redirect applies before the
/// site's pages (Next.js runs redirects first), a rewrite after them. Rules with `has` or
/// `missing` conditions are not followed.
fn json_rules(text: &str, reading: &Reading<'_>, spot: &dyn Fn(usize, usize) -> Spot) -> Parsed {
    let mut out = Parsed::default();
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let at = offset_of(text, e.line(), e.column());
            out.problems.push(FileProblem {
                message: format!("the redirects file is not valid JSON: {e}"),
                help: "fix the JSON here; the file's rules are not followed until it parses".into(),
                spot: spot(at, 1),
            });
            return out;
        }
    };
    let located = locate_rules(text);
    let mut next = 0;
    let lists: Vec<(&serde_json::Value, bool)> = match &value {
        serde_json::Value::Array(_) => vec![(&value, false)],
        serde_json::Value::Object(map) => ["redirects", "external", "rewrites", "internal"]
            .iter()
            .filter_map(|k| Some((map.get(*k)?, matches!(*k, "rewrites" | "internal"))))
            .collect(),
        _ => Vec::new(),
    };
    if lists.is_empty() || lists.iter().any(|(l, _)| !l.is_array()) {
        out.problems.push(FileProblem {
            message: "the redirects file holds no list of redirects".into(),
            help: "give a list of {\"source\", \"destination\"} rules, on its own or under \
                   `redirects` (Vercel) or `external` (Next.js)"
                .into(),
            spot: spot(0, text.len().min(1)),
        });
        return out;
    }
    // Rules in the file's order, whatever order the lists are given in.
    let mut rules: Vec<(usize, &serde_json::Value, bool, Option<&Located>)> = Vec::new();
    for (list, rewrite) in lists {
        for rule in list.as_array().into_iter().flatten() {
            let source = rule.get("source").and_then(|s| s.as_str());
            // The located rule with this source, the first not yet taken.
            let found = source.and_then(|s| {
                let i = (next..located.len()).chain(0..next).find(|&i| {
                    located[i].source.as_deref() == Some(s) && !located[i].taken.get()
                })?;
                located[i].taken.set(true);
                next = i + 1;
                Some(&located[i])
            });
            let order = found.map_or(usize::MAX, |l| l.start);
            rules.push((order, rule, rewrite, found));
        }
    }
    rules.sort_by_key(|r| r.0);
    for (_, rule, rewrite, found) in rules {
        let at = |which: Option<(usize, usize)>| {
            which
                .or(found.map(|f| (f.start, 1)))
                .map_or(spot(0, 0), |(s, l)| spot(s, l))
        };
        let (Some(from), Some(to)) = (
            rule.get("source").and_then(|s| s.as_str()),
            rule.get("destination").and_then(|s| s.as_str()),
        ) else {
            out.problems.push(FileProblem {
                message: "a redirect without a `source` and a `destination` (both text)".into(),
                help: "give the rule both, as paths from the site's root or full URLs".into(),
                spot: at(None),
            });
            continue;
        };
        if rule.get("has").is_some() || rule.get("missing").is_some() {
            continue;
        }
        if !from.starts_with('/') {
            out.problems.push(FileProblem {
                message: format!("the redirect source `{from}` does not start with `/`"),
                help: "write the source as a path from the site's root".into(),
                spot: at(found.and_then(|f| f.source_at)),
            });
            continue;
        }
        let from_spot = at(found.and_then(|f| f.source_at));
        let to_spot = at(found.and_then(|f| f.destination_at));
        let pattern = from.contains([':', '(', '*', '{', '?', '+']);
        match entry(
            reading,
            (from, from_spot),
            (to, to_spot),
            pattern.then_some(Syntax::PathToRegexp),
            !rewrite,
            rewrite,
        ) {
            Ok(Some(e)) => out.entries.push(e),
            Ok(None) => {}
            Err(problem) => out.problems.push(problem),
        }
    }
    out
}

/// Where a JSON object with a `source` is written: its start, and the spans of its `source`
/// and `destination` values (inside the quotes).
#[derive(Debug, Default)]
struct Located {
    start: usize,
    source: Option<String>,
    source_at: Option<(usize, usize)>,
    destination_at: Option<(usize, usize)>,
    taken: std::cell::Cell<bool>,
}

/// Every JSON object of `text` that has a `source` key, in order: one pass over the text,
/// strings read with their escapes.
fn locate_rules(text: &str) -> Vec<Located> {
    let bytes = text.as_bytes();
    let mut open: Vec<Located> = Vec::new();
    let mut done = Vec::new();
    let mut key: Option<String> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                open.push(Located {
                    start: i,
                    ..Located::default()
                });
                key = None;
            }
            b'}' => {
                if let Some(o) = open.pop()
                    && o.source.is_some()
                {
                    done.push(o);
                }
                key = None;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                let raw = &text[i..(end + 1).min(bytes.len())];
                let value: Option<String> = serde_json::from_str(raw).ok();
                let after = text[(end + 1).min(text.len())..].trim_start();
                if after.starts_with(':') {
                    key = value;
                } else if let (Some(k), Some(o)) = (key.take(), open.last_mut()) {
                    match k.as_str() {
                        "source" => {
                            o.source = value;
                            o.source_at = Some((start, end - start));
                        }
                        "destination" => o.destination_at = Some((start, end - start)),
                        _ => {}
                    }
                }
                i = end;
            }
            b',' | b'[' | b']' => key = None,
            _ => {}
        }
        i += 1;
    }
    done.sort_by_key(|l| l.start);
    done
}

/// The byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    text.floor_char_boundary((start + column.saturating_sub(1)).min(text.len()))
}

/// Whether `target` is a destination with placeholders still to fill.
pub fn has_placeholders(target: &Target) -> bool {
    matches!(target, Target::Internal { uri, .. } if uri.as_str().contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, name: &str) -> Parsed {
        let resolver = Resolver::new(&["example.org".to_owned()], globset::GlobSet::empty(), "");
        parse(
            text,
            &Reading {
                format: RedirectsFormat::Auto,
                name,
                resolver: &resolver,
                locales: None,
                case_insensitive: false,
                slash: Default::default(),
            },
        )
    }

    /// Each entry as (from, to, pattern?, force, rewrite, line of from).
    fn entries(p: &Parsed) -> Vec<(String, String, bool, bool, bool, u32)> {
        p.entries
            .iter()
            .map(|e| {
                let to = match &e.to {
                    Target::Internal { uri, .. } => uri.to_string(),
                    Target::External => "external".into(),
                    other => format!("{other:?}"),
                };
                (
                    e.from.to_string(),
                    to,
                    e.pattern.is_some(),
                    e.force,
                    e.rewrite,
                    e.from_spot.position.line,
                )
            })
            .collect()
    }

    #[test]
    fn netlify_lines_keep_what_applies_to_every_request() {
        let p = read(
            "# comment\n/a /b\n/c/* /d/:splat 302!\r\n/e /f 200\n/g /404.html 404\n\
             /h id=:id /i 301\n/j /k 302 Country=us\nhttps://old.example/* /l\n\
             /m https://example.org/n 301\n/o https://other.example/p\n/lonely\n",
            "_redirects",
        );
        assert!(p.problems.is_empty());
        let e = |from: &str, to: &str, pattern, force, rewrite, line| {
            (
                from.to_owned(),
                to.to_owned(),
                pattern,
                force,
                rewrite,
                line,
            )
        };
        assert_eq!(
            entries(&p),
            [
                e("/a", "/b", false, false, false, 2),
                e("/c/*", "/d/:splat", true, true, false, 3),
                e("/e", "/f", false, false, true, 4),
                e("/m", "/n", false, false, false, 9),
                e("/o", "external", false, false, false, 10),
            ]
        );
    }

    #[test]
    fn strict_sources_keep_their_trailing_slash_and_apply_to_links_with_the_same() {
        let resolver = Resolver::new(&["example.org".to_owned()], globset::GlobSet::empty(), "");
        let text = "[{\"source\": \"/a/\", \"destination\": \"/b\"},\n \
                    {\"source\": \"/c/:x*\", \"destination\": \"/d\"},\n \
                    {\"source\": \"/\", \"destination\": \"/en\"}]";
        let parsed = |slash| {
            parse(
                text,
                &Reading {
                    format: RedirectsFormat::Auto,
                    name: "redirects.json",
                    resolver: &resolver,
                    locales: None,
                    case_insensitive: false,
                    slash,
                },
            )
        };
        let strict = parsed(crate::site::redirect::SourceSlash::Strict);
        let slashes: Vec<Option<bool>> = strict.entries.iter().map(|e| e.slash).collect();
        // The root is no trailing slash: every path has it.
        assert_eq!(slashes, [Some(true), Some(false), Some(false)]);
        let (a, c) = (&strict.entries[0], &strict.entries[1]);
        assert!(a.applies_to(Some(true)) && !a.applies_to(Some(false)));
        assert!(!c.applies_to(Some(true)) && c.applies_to(Some(false)));
        // A URI met along a chain (no slash of its own) is matched as it is.
        assert!(a.applies_to(None) && c.applies_to(None));
        let loose = parsed(crate::site::redirect::SourceSlash::Ignore);
        assert!(
            loose.entries.iter().all(|e| e.slash.is_none()
                && e.applies_to(Some(true))
                && e.applies_to(Some(false)))
        );
    }

    #[test]
    fn nextjs_and_vercel_json_are_read_in_file_order_at_their_places() {
        // A list alone (next.config's redirects()), rules in file order.
        let p = read(
            "[\n  {\"source\": \"/a/:x\", \"destination\": \"/b/:x\", \"permanent\": true},\n  \
             {\"destination\": \"/d\", \"source\": \"/c\"}\n]\n",
            "redirects.json",
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            entries(&p),
            [
                ("/a/:x".into(), "/b/:x".into(), true, true, false, 2),
                ("/c".into(), "/d".into(), false, true, false, 3),
            ]
        );
        // The value inside its quotes, as a page's attribute value is located.
        assert_eq!(p.entries[1].to_spot.position.column, 20);
        // vercel.json: rewrites after redirects in the file, a conditional rule left out.
        let p = read(
            "{\"rewrites\": [{\"source\": \"/r\", \"destination\": \"/s\"}],\n\"redirects\": [\
             {\"source\": \"/t\", \"destination\": \"/u\", \"has\": [{\"type\": \"query\", \"key\": \"q\"}]},\n\
             {\"source\": \"/v\", \"destination\": \"/w\"}]}",
            "vercel.json",
        );
        assert_eq!(
            entries(&p),
            [
                ("/r".into(), "/s".into(), false, false, true, 1),
                ("/v".into(), "/w".into(), false, true, false, 3),
            ]
        );
    }

    #[test]
    fn a_json_file_that_cannot_be_read_is_a_problem_at_its_place() {
        let p = read(
            "{\"redirects\": [\n  {\"source\": \"/a\" \"destination\": \"/b\"}\n]}",
            "x.json",
        );
        assert!(p.entries.is_empty());
        let problem = &p.problems[0];
        assert!(
            problem.message.contains("not valid JSON"),
            "{}",
            problem.message
        );
        assert_eq!(problem.spot.position.line, 2);
        let p = read("{\"redirects\": {\"source\": \"/a\"}}", "x.json");
        assert!(p.problems[0].message.contains("no list of redirects"));
        let p = read(
            "[{\"source\": \"a\", \"destination\": \"/b\"}, {\"source\": \"/c\"}]",
            "x.json",
        );
        let messages: Vec<&str> = p.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the redirect source `a` does not start with `/`",
                "a redirect without a `source` and a `destination` (both text)"
            ]
        );
    }
}
