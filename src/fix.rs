//! `pagelint fix`: turning certain repairs into edits of exactly the bytes of the attribute or
//! field values they are about, and writing files atomically. Every other byte of a file (line
//! endings, byte order mark, entities, spacing) stays as it was.

use crate::diagnostic::{Diagnostic, Repair};
use crate::parse::frontmatter;
use crate::parse::span::Span;
use crate::parse::uri::Uri;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::io::Write;
use std::path::Path;

/// Characters a path cannot hold as they are in an href.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'\\')
    .add(b'{')
    .add(b'}');

/// One edit: the bytes of `span` become `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new: String,
}

/// `uri` as an href: percent-encoded where a path needs it, `&` written as an entity.
pub fn href(uri: &Uri) -> String {
    utf8_percent_encode(uri.as_str(), PATH)
        .to_string()
        .replace('&', "&amp;")
}

/// The scheme and host an href's path is written with (`https://www.example.org`), "" for a
/// relative one; `None` for a scheme without a host (`http:www.example.org`), whose rewriting
/// is not certain.
fn origin(path: &str) -> Option<&str> {
    let scheme = path.find(':').filter(|&i| {
        i > 0
            && path[..i]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    let after_scheme = scheme.map_or(0, |i| i + 1);
    let Some(authority) = path[after_scheme..].strip_prefix("//") else {
        return scheme.is_none().then_some("");
    };
    let host_end = authority.find('/').unwrap_or(authority.len());
    Some(&path[..after_scheme + 2 + host_end])
}

/// Where an href's path ends (its query or fragment starts).
fn path_end(raw: &str) -> usize {
    raw.find(['?', '#']).unwrap_or(raw.len())
}

/// The new value for a link written as `raw` (the bytes of its span) under `repair`; `None`
/// when it is already right or cannot be rewritten with certainty.
pub fn new_value(raw: &str, repair: &Repair, base_path: &str) -> Option<String> {
    let end = path_end(raw);
    // Where a link's path is not written as plain text, which bytes hold it is not certain:
    // an entity may hide a `#`, `?` or `/` (`/x&#35;sec`), a backslash is a slash, spaces and
    // controls around the value are not part of the URL; and a link without a path (`#sec`,
    // `?q=1`) takes its page's, so no slash can be added to or removed from it.
    let path = &raw[..end];
    let unclear = path.contains(['&', '\\'])
        || raw.trim_matches(|c: char| c <= ' ') != raw
        || (path.is_empty() && matches!(repair, Repair::AddSlash | Repair::RemoveSlash));
    if unclear && !matches!(repair, Repair::FieldTarget(_)) {
        return None;
    }
    let new = match repair {
        // An absolute href keeps its scheme and host: a root-relative one would resolve
        // against the page's `<base href>`, which may be elsewhere.
        Repair::Target(uri) => format!("{}{}{}", origin(path)?, href(uri), &raw[end..]),
        Repair::FieldTarget(uri) => field_value(raw, uri, base_path)?,
        Repair::RootRelative => {
            let after_scheme = raw.find("//")? + 2;
            let rest = &raw[after_scheme..];
            let path_at = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            match &rest[path_at..] {
                // `//x` alone would name the host `x`.
                tail if tail.starts_with("//") => return None,
                tail if tail.starts_with('/') => tail.to_owned(),
                tail => format!("/{tail}"),
            }
        }
        Repair::AddSlash if !raw[..end].ends_with('/') => {
            format!("{}/{}", &raw[..end], &raw[end..])
        }
        // Not when a space would end the value: the URL parser strips it (`h /` is not `h`).
        Repair::RemoveSlash
            if end > 1
                && raw[..end].ends_with('/')
                && !raw[..end - 1].ends_with(|c: char| c <= ' ') =>
        {
            format!("{}{}", &raw[..end - 1], &raw[end..])
        }
        Repair::AddSlash | Repair::RemoveSlash => return None,
    };
    (new != raw).then_some(new)
}

/// A front-matter value naming `uri`, written as the old one was: quoted or not, with or
/// without a leading slash, relative to the base path, so that it reads back as `uri`: `%`,
/// `#`, `?`, backslashes and controls percent-encoded (a value decodes, and `#` and `?` would
/// start a fragment and a query), and a value holding `:` rooted (else it reads as a URL).
/// `None` when the old value is not certainly the bytes of `raw`: only a plain or simply
/// quoted string is (not a folded, tagged, aliased or flow value, nor the opening `---` that a
/// field without a line of its own points at).
fn field_value(raw: &str, uri: &Uri, base_path: &str) -> Option<String> {
    frontmatter::simple_text(raw)?;
    let quote = raw.chars().next().filter(|c| *c == '"' || *c == '\'');
    let inner = match quote {
        Some(q) => raw.trim_matches(q),
        None => raw,
    };
    let base = base_path.trim_matches('/');
    let path = uri.as_str().trim_start_matches('/');
    let path = match path.strip_prefix(base) {
        Some(rest) if !base.is_empty() => rest.trim_start_matches('/'),
        _ => path,
    };
    let path = encode_for_field(path);
    let value = if inner.starts_with('/') || path.contains(':') {
        format!("/{path}")
    } else {
        path
    };
    Some(match quote {
        Some('\'') => format!("'{}'", value.replace('\'', "''")),
        Some(_) => format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")),
        None if frontmatter::is_plain(&value) => value,
        None => format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")),
    })
}

/// `path` with what a field value cannot hold as it is percent-encoded (see `field_value`).
fn encode_for_field(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '%' | '#' | '?' | '\\') || c.is_ascii_control() {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The edits that repair `findings` in `text` (the file as it is now). Spans that no longer
/// fit the text, and edits that overlap an earlier one, are left out.
pub fn plan(text: &str, findings: &[&Diagnostic], base_path: &str) -> Vec<(usize, Edit)> {
    let mut edits: Vec<(usize, Edit)> = findings
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let repair = d.repair.as_ref()?;
            let span = d.span;
            let raw = text.get(span.start..span.end)?;
            let new = new_value(raw, repair, base_path)?;
            Some((i, Edit { span, new }))
        })
        .collect();
    edits.sort_by_key(|(_, e)| (e.span.start, e.span.end));
    let mut last_end = 0;
    edits.retain(|(_, e)| {
        let keep = e.span.start >= last_end;
        if keep {
            last_end = e.span.end.max(e.span.start + 1);
        }
        keep
    });
    edits
}

/// `text` with `edits` (sorted, not overlapping) applied.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.new);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A unified diff of a file's change, as `git diff` shows it.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("a/{}", path.trim_start_matches('/')),
            &format!("b/{}", path.trim_start_matches('/')),
        )
        .to_string()
}

/// One repair: where, by which rule, the value before and after.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub rule: &'static str,
    pub old: String,
    pub new: String,
}

/// What `fix` did (or, dry, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    /// Indexes (into the report's diagnostics) of the findings repaired.
    pub fixed: Vec<usize>,
    /// What each repair changed, as `path:line:col: rule: old -> new` lines, sorted.
    pub changes: Vec<String>,
    /// The same repairs, as data (for `--format json`).
    pub repairs: Vec<Change>,
    /// How many files changed.
    pub files: usize,
    /// Files left alone, and why.
    pub skipped: Vec<(String, String)>,
    /// Unified diffs of every change (always made; printed on a dry run).
    pub diff: String,
}

/// Repair what can be repaired with certainty in the files of `diagnostics`; with `dry_run`,
/// change nothing. A file that changed since it was read is skipped, as is one whose text no
/// longer holds the spans.
pub fn fix(diagnostics: &[Diagnostic], base_path: &str, dry_run: bool) -> Outcome {
    let mut by_file: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, d) in diagnostics.iter().enumerate() {
        if d.repair.is_some() {
            by_file.entry(&d.path).or_default().push(i);
        }
    }
    let mut outcome = Outcome::default();
    for (path, indexes) in by_file {
        let file = Path::new(path);
        let stamp = diagnostics[indexes[0]].stamp;
        if stamp.is_none() || crate::source::cache::stamp(file) != stamp {
            outcome
                .skipped
                .push((path.to_owned(), "it changed since it was read".into()));
            continue;
        }
        let Ok(text) = std::fs::read(file).map(String::from_utf8) else {
            outcome
                .skipped
                .push((path.to_owned(), "it cannot be read again".into()));
            continue;
        };
        let Ok(text) = text else {
            outcome
                .skipped
                .push((path.to_owned(), "it is not UTF-8".into()));
            continue;
        };
        let findings: Vec<&Diagnostic> = indexes.iter().map(|&i| &diagnostics[i]).collect();
        let planned = plan(&text, &findings, base_path);
        if planned.is_empty() {
            continue;
        }
        let edits: Vec<Edit> = planned.iter().map(|(_, e)| e.clone()).collect();
        let new = apply(&text, &edits);
        outcome.diff.push_str(&unified_diff(path, &text, &new));
        if !dry_run {
            // Checked again just before writing: an editor may have saved meanwhile.
            if crate::source::cache::stamp(file) != stamp {
                outcome
                    .skipped
                    .push((path.to_owned(), "it changed while being fixed".into()));
                continue;
            }
            if let Err(e) = write_atomically(file, &new) {
                outcome
                    .skipped
                    .push((path.to_owned(), format!("it cannot be written: {e}")));
                continue;
            }
        }
        outcome.files += 1;
        for (i, edit) in &planned {
            let d = &diagnostics[indexes[*i]];
            let old = &text[edit.span.start..edit.span.end];
            outcome.changes.push(format!(
                "{}:{}:{}: {}: {} -> {}",
                d.path, d.position.line, d.position.column, d.rule, old, edit.new
            ));
            outcome.repairs.push(Change {
                path: d.path.clone(),
                line: d.position.line,
                column: d.position.column,
                rule: d.rule,
                old: old.to_owned(),
                new: edit.new.clone(),
            });
            outcome.fixed.push(indexes[*i]);
        }
    }
    outcome.fixed.sort_unstable();
    outcome
}

/// Replace `path`'s content with `text` atomically: a temporary file in the same folder, its
/// data synced, the original's permissions, then a rename over the original.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "page".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.pagelint-{}.tmp", std::process::id()));
    let permissions = std::fs::metadata(path)?.permissions();
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&tmp, permissions)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        Uri::from_path(s)
    }

    #[test]
    fn targets_keep_query_and_fragment_and_are_encoded() {
        let r = Repair::Target(uri("/a b/c&d"));
        assert_eq!(
            new_value("/x?q=1&amp;r=2#f", &r, "").as_deref(),
            Some("/a%20b/c&amp;d?q=1&amp;r=2#f")
        );
        assert_eq!(new_value("/a%20b/c&amp;d", &r, ""), None, "already right");
        // An absolute href keeps its scheme and host (the page's base may be elsewhere).
        let r = Repair::Target(uri("/y"));
        assert_eq!(
            new_value("https://www.example.org/x#f", &r, "").as_deref(),
            Some("https://www.example.org/y#f")
        );
        assert_eq!(
            new_value("//www.example.org", &r, "").as_deref(),
            Some("//www.example.org/y")
        );
        assert_eq!(new_value("http:www.example.org", &r, ""), None);
    }

    #[test]
    fn links_whose_path_is_not_plain_text_are_left_alone() {
        let target = Repair::Target(uri("/y"));
        for (raw, repair) in [
            ("#sec", &Repair::AddSlash),
            ("?q=1", &Repair::AddSlash),
            ("/a/b ", &Repair::AddSlash),
            (" /a/b/", &Repair::RemoveSlash),
            ("/x&#35;sec", &target),
            ("/x&#47;", &Repair::RemoveSlash),
            ("https://www.example.org&#47;a", &Repair::RootRelative),
            ("/a\\b", &Repair::AddSlash),
            ("https:\\\\www.example.org\\a", &Repair::RootRelative),
        ] {
            assert_eq!(new_value(raw, repair, ""), None, "{raw} under {repair:?}");
        }
        // A fragment-only link repointed at a page keeps its fragment.
        assert_eq!(new_value("#sec", &target, "").as_deref(), Some("/y#sec"));
    }

    #[test]
    fn own_host_links_become_root_relative() {
        let r = Repair::RootRelative;
        assert_eq!(
            new_value("https://www.example.org/a/b?x#y", &r, "").as_deref(),
            Some("/a/b?x#y")
        );
        assert_eq!(new_value("//example.org", &r, "").as_deref(), Some("/"));
        assert_eq!(
            new_value("//example.org//a", &r, ""),
            None,
            "not the host a"
        );
        assert_eq!(
            new_value("HTTP://example.org#top", &r, "").as_deref(),
            Some("/#top")
        );
    }

    #[test]
    fn slashes_are_added_and_removed_before_query_and_fragment() {
        assert_eq!(
            new_value("/a/b?x#y", &Repair::AddSlash, "").as_deref(),
            Some("/a/b/?x#y")
        );
        assert_eq!(new_value("/a/b/", &Repair::AddSlash, ""), None);
        assert_eq!(
            new_value("/a/b/#y", &Repair::RemoveSlash, "").as_deref(),
            Some("/a/b#y")
        );
        assert_eq!(new_value("/", &Repair::RemoveSlash, ""), None);
        assert_eq!(new_value("h /", &Repair::RemoveSlash, ""), None);
    }

    #[test]
    fn field_values_keep_their_style() {
        let r = Repair::FieldTarget(uri("/en-US/docs/Web/API"));
        assert_eq!(
            new_value("Web/APi", &r, "/en-US/docs").as_deref(),
            Some("Web/API")
        );
        assert_eq!(
            new_value("'/Web/APi'", &r, "en-US/docs").as_deref(),
            Some("'/Web/API'")
        );
        // Written so that it reads back as the URI: `a: b` would be a URL of scheme `a`.
        let odd = Repair::FieldTarget(uri("/a: b"));
        assert_eq!(new_value("x", &odd, "").as_deref(), Some("\"/a: b\""));
        let odd = Repair::FieldTarget(Uri::from_decoded("/q#x?%41"));
        assert_eq!(new_value("x", &odd, "").as_deref(), Some("q%23x%3F%2541"));
        // A value that is not a plain or quoted string is left alone.
        for raw in ["---", ">-", "*v", "!!str x", "&a x", "{a: b}"] {
            assert_eq!(new_value(raw, &odd, ""), None, "{raw}");
        }
    }

    #[test]
    fn edits_touch_only_their_spans_and_never_overlap() {
        let text = "\u{FEFF}a\r\n<a href=\"/x\">";
        let at = text.find("/x").expect("href");
        let edits = vec![Edit {
            span: Span::new(at, at + 2),
            new: "/yy".into(),
        }];
        assert_eq!(apply(text, &edits), "\u{FEFF}a\r\n<a href=\"/yy\">");
    }
}
