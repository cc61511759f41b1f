//! Suppressions written in a page: `pagelint-` directives in HTML comments of the body, and the
//! front-matter field `pagelint: {disable: [RULE, …]}`, read into `Suppression`s with the
//! position of every rule id. Which ids name rules, which findings a suppression covers and
//! whether it was needed is for `rules::suppress`; this module only reads what is written.
//!
//! The forms, in a comment the HTML scanner found (so never inside `<script>`, `<style>`,
//! `<textarea>` or `<title>` text):
//!
//! ```html
//! <!-- pagelint-disable-next-line broken-link, missing-asset -->  the line after the comment
//! <a href="/x">x</a> <!-- pagelint-disable-line broken-link -->   the comment's own line(s)
//! <!-- pagelint-disable broken-link -- the old shop, until it moves -->
//! …                                                               from here…
//! <!-- pagelint-enable broken-link -->                            …to here, or the page's end
//! ```
//!
//! Rule ids are separated by commas and/or whitespace (newlines too); a ` -- ` starts a reason,
//! which is ignored. Every directive must name its rules: there is no blanket form, which would
//! hide problems no one has seen (a directive without ids is reported). A comment whose text
//! starts with `pagelint-` but names no known directive is reported too, so that a typo cannot
//! silently do nothing.

use crate::parse::html::DirectiveComment;
use crate::parse::page::{PageField, Spot};
use crate::parse::span::{LineIndex, Position, Span, break_len};
use serde_yaml::Value;

/// The front-matter field that holds a whole page's suppressions.
pub const FIELD: &str = "pagelint";

/// The directives a comment may hold, and the form each is.
pub const DIRECTIVES: [(&str, Form); 4] = [
    ("pagelint-disable-next-line", Form::NextLine),
    ("pagelint-disable-line", Form::Line),
    ("pagelint-disable", Form::Disable),
    ("pagelint-enable", Form::Enable),
];

/// Which form a suppression takes, and so which findings it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `pagelint-disable-next-line`: findings on the line after the comment's last line.
    NextLine,
    /// `pagelint-disable-line`: findings on the comment's own line (or lines).
    Line,
    /// `pagelint-disable`: findings from the comment's end to a `pagelint-enable` of the rule,
    /// or to the end of the page.
    Disable,
    /// `pagelint-enable`: ends the open `pagelint-disable` of its rules; covers nothing.
    Enable,
    /// The front-matter field: every finding of its rules on the page.
    Page,
    /// A comment starting with `pagelint-` that names no directive (see `Problem`).
    Unknown,
}

impl Form {
    /// How the form is written, for messages.
    pub fn written(self) -> &'static str {
        match self {
            Form::Page => "pagelint.disable",
            Form::Unknown => "pagelint-",
            form => DIRECTIVES
                .iter()
                .find(|(_, f)| *f == form)
                .map_or("pagelint-", |(name, _)| name),
        }
    }
}

/// A rule id as written in a suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    pub id: String,
    pub spot: Spot,
}

/// What is wrong with how a suppression is written (unknown rule ids are judged later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `pagelint-…` that is no directive; `name` is the word as written.
    UnknownDirective { name: String, spot: Spot },
    /// The directive names no rule.
    NoRules,
    /// The front-matter field has a setting other than `disable`.
    UnknownSetting { name: String, spot: Spot },
    /// The front-matter field, or its `disable`, holds the wrong kind of value.
    WrongShape {
        what: &'static str,
        kind: &'static str,
        spot: Spot,
    },
}

/// One suppression as written: a directive comment, or the front-matter field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub form: Form,
    /// The whole comment (`<!--` to `-->`), or the front-matter field's key.
    pub spot: Spot,
    /// Just past the comment's end (its line is the comment's last line); the key's end for
    /// the front-matter field.
    pub end: Position,
    /// The rule ids, in the order written.
    pub rules: Vec<RuleRef>,
    pub problems: Vec<Problem>,
}

/// Read the directive comments the HTML scanner kept, in document order.
pub fn from_comments(
    text: &str,
    lines: &LineIndex,
    comments: &[DirectiveComment],
) -> Vec<Suppression> {
    comments
        .iter()
        .map(|c| from_comment(text, lines, c))
        .collect()
}

fn from_comment(text: &str, lines: &LineIndex, comment: &DirectiveComment) -> Suppression {
    let spot = |start: usize, end: usize| Spot {
        span: Span::new(start, end),
        position: lines.position(text, start),
    };
    // `<!-- x --->` holds "x -": a dash before the closing `-->` is never part of an id.
    let data = text[comment.text.start..comment.text.end].trim_end_matches('-');
    let base = comment.text.start;
    let words = tokens(data);
    let mut suppression = Suppression {
        form: Form::Unknown,
        spot: spot(comment.span.start, comment.span.end),
        end: lines.position(text, comment.span.end),
        rules: Vec::new(),
        problems: Vec::new(),
    };
    // The scanner keeps only comments whose first word starts with `pagelint-`.
    let Some(&(at, name)) = words.first() else {
        return suppression;
    };
    match DIRECTIVES.iter().find(|(n, _)| *n == name) {
        Some(&(_, form)) => suppression.form = form,
        None => {
            suppression.problems.push(Problem::UnknownDirective {
                name: name.to_owned(),
                spot: spot(base + at, base + at + name.len()),
            });
            return suppression;
        }
    }
    suppression.rules = words[1..]
        .iter()
        .map(|&(at, id)| RuleRef {
            id: id.to_owned(),
            spot: spot(base + at, base + at + id.len()),
        })
        .collect();
    if suppression.rules.is_empty() {
        suppression.problems.push(Problem::NoRules);
    }
    suppression
}

/// The words of a directive's text up to its reason (` -- …`), split at commas and
/// whitespace, with their byte offsets in `data`.
fn tokens(data: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = data.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b',' || b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] != b',' && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let word = &data[start..i];
        // A word of dashes alone (`--`, or more) starts the reason: the rest is for people.
        if word.len() >= 2 && word.bytes().all(|b| b == b'-') {
            break;
        }
        out.push((start, word));
    }
    out
}

/// Read the front-matter field `pagelint` (`field`), whose block of lines ends before `to`
/// (the body's start): `{disable: [RULE, …]}`, or `disable:` as one string of ids.
pub fn from_front_matter(
    text: &str,
    lines: &LineIndex,
    field: &PageField,
    to: usize,
) -> Suppression {
    let mut suppression = Suppression {
        form: Form::Page,
        spot: field.key,
        end: lines.position(text, field.key.span.end),
        rules: Vec::new(),
        problems: Vec::new(),
    };
    // Where each word is written: searched for in the field's own lines, in order.
    let from = field.key.span.end;
    let block = Span::new(from, block_end(text, from, to));
    let mut finder = Finder {
        text,
        lines,
        block,
        at: from,
        fallback: field.key,
    };
    let Value::Mapping(map) = &field.field.value else {
        suppression.problems.push(Problem::WrongShape {
            what: "the `pagelint` field",
            kind: crate::parse::frontmatter::value_kind(&field.field.value),
            spot: field.spot,
        });
        return suppression;
    };
    for (key, value) in map {
        let name = crate::parse::frontmatter::scalar_text(key).unwrap_or_default();
        let spot = finder.find(&name);
        if name != "disable" {
            suppression
                .problems
                .push(Problem::UnknownSetting { name, spot });
            continue;
        }
        let ids: Vec<String> = match value {
            Value::Sequence(items) => {
                let mut ids = Vec::new();
                for item in items {
                    match crate::parse::frontmatter::scalar_text(item) {
                        Some(id) => ids.push(id.trim().to_owned()),
                        None => suppression.problems.push(Problem::WrongShape {
                            what: "an entry of `pagelint.disable`",
                            kind: crate::parse::frontmatter::value_kind(item),
                            spot,
                        }),
                    }
                }
                ids
            }
            Value::String(s) => tokens(s).into_iter().map(|(_, w)| w.to_owned()).collect(),
            Value::Null => Vec::new(),
            other => {
                suppression.problems.push(Problem::WrongShape {
                    what: "`pagelint.disable`",
                    kind: crate::parse::frontmatter::value_kind(other),
                    spot,
                });
                continue;
            }
        };
        for id in ids.into_iter().filter(|id| !id.is_empty()) {
            let spot = finder.find(&id);
            suppression.rules.push(RuleRef { id, spot });
        }
    }
    if suppression.rules.is_empty() && suppression.problems.is_empty() {
        suppression.problems.push(Problem::NoRules);
    }
    suppression
}

/// Finds words in a front-matter field's lines, each after the one before.
struct Finder<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    block: Span,
    /// Where the search goes on.
    at: usize,
    /// Where a word that cannot be found is reported: the field's key.
    fallback: Spot,
}

impl Finder<'_> {
    fn find(&mut self, word: &str) -> Spot {
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let bytes = self.text.as_bytes();
        let mut from = self.at;
        while !word.is_empty() && from < self.block.end {
            let Some(i) = memchr::memmem::find(&bytes[from..self.block.end], word.as_bytes())
            else {
                break;
            };
            let (start, end) = (from + i, from + i + word.len());
            let bounded = !bytes
                .get(start.wrapping_sub(1))
                .is_some_and(|&b| is_word(b))
                && !bytes.get(end).is_some_and(|&b| is_word(b));
            if bounded {
                self.at = end;
                return Spot {
                    span: Span::new(start, end),
                    position: self.lines.position(self.text, start),
                };
            }
            from = start + 1;
        }
        self.fallback
    }
}

/// Where the block of a top-level field whose key ends at `from` ends: at the next line that
/// starts a top-level key (or closes the front matter), or at `to`. Lines end as the
/// `LineIndex` ends them: at LF, CRLF or a CR alone.
fn block_end(text: &str, from: usize, to: usize) -> usize {
    let next_line = |at: usize| {
        memchr::memchr2(b'\n', b'\r', &text.as_bytes()[at..to])
            .map(|i| (at + i + break_len(text, at + i)).min(to))
    };
    let Some(mut at) = next_line(from) else {
        return to;
    };
    while at < to {
        let end = next_line(at);
        let line = text[at..end.unwrap_or(to)].trim_end_matches(['\n', '\r']);
        let nested = line.is_empty() || line.starts_with([' ', '\t', '#']);
        if !nested {
            return at;
        }
        let Some(end) = end else {
            break;
        };
        at = end;
    }
    to
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::html;

    /// The suppressions of a body, as (form, ids, problems) with each id's `line:column`.
    fn read(body: &str) -> Vec<(Form, Vec<String>, Vec<Problem>)> {
        let lines = LineIndex::new(body);
        let comments = html::scan(body, 0).directives;
        from_comments(body, &lines, &comments)
            .into_iter()
            .map(|s| {
                let ids = s
                    .rules
                    .iter()
                    .map(|r| {
                        format!(
                            "{}@{}:{}",
                            r.id, r.spot.position.line, r.spot.position.column
                        )
                    })
                    .collect();
                (s.form, ids, s.problems)
            })
            .collect()
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn every_form_is_read_with_the_position_of_each_id() {
        let body = "<!-- pagelint-disable-next-line broken-link -->\n\
                    <a href=/x>x</a> <!-- pagelint-disable-line broken-fragment -->\n\
                    <!-- pagelint-disable missing-asset -->\n\
                    <!-- pagelint-enable missing-asset -->\n";
        assert_eq!(
            read(body),
            vec![
                (Form::NextLine, ids(&["broken-link@1:33"]), vec![]),
                (Form::Line, ids(&["broken-fragment@2:45"]), vec![]),
                (Form::Disable, ids(&["missing-asset@3:23"]), vec![]),
                (Form::Enable, ids(&["missing-asset@4:22"]), vec![]),
            ]
        );
    }

    #[test]
    fn separators_spacing_and_reasons() {
        let body = "<!--pagelint-disable-next-line broken-link,missing-asset-->\
                    <!--   pagelint-disable-next-line\tbroken-link ,  missing-asset ,-->\
                    <!-- pagelint-disable broken-link -- moved; see ticket 12, and missing-asset -->\
                    <!-- pagelint-disable broken-link --->";
        let two = ids(&["broken-link", "missing-asset"]);
        let found: Vec<Vec<String>> = read(body)
            .into_iter()
            .map(|(_, ids, _)| {
                ids.iter()
                    .map(|i| i[..i.find('@').unwrap_or(0)].to_owned())
                    .collect()
            })
            .collect();
        assert_eq!(
            found,
            vec![
                two.clone(),
                two,
                ids(&["broken-link"]),
                ids(&["broken-link"])
            ]
        );
    }

    #[test]
    fn ids_may_span_lines_and_crlf_counts_as_one_line_end() {
        let body = "<p>\r\n<!-- pagelint-disable-next-line\r\n     broken-link,\r\n     missing-asset -->\r\n";
        let lines = LineIndex::new(body);
        let s = &from_comments(body, &lines, &html::scan(body, 0).directives)[0];
        assert_eq!(s.spot.position, Position { line: 2, column: 1 });
        assert_eq!(s.end.line, 4);
        let at: Vec<(u32, u32)> = s
            .rules
            .iter()
            .map(|r| (r.spot.position.line, r.spot.position.column))
            .collect();
        assert_eq!(at, vec![(3, 6), (4, 6)]);
        assert_eq!(
            &body[s.rules[0].spot.span.start..s.rules[0].spot.span.end],
            "broken-link"
        );
    }

    #[test]
    fn mistakes_are_problems_not_silence() {
        let body = "<!-- pagelint-disable-nextline broken-link -->\
                    <!-- pagelint-disable -->\
                    <!-- pagelint-disable -- why not -->";
        let found = read(body);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].0, Form::Unknown);
        assert!(matches!(
            &found[0].2[..],
            [Problem::UnknownDirective { name, spot }]
                if name == "pagelint-disable-nextline" && spot.position.column == 6
        ));
        assert_eq!(found[1].2, vec![Problem::NoRules]);
        assert_eq!(found[2].2, vec![Problem::NoRules]);
    }

    #[test]
    fn comments_in_raw_text_and_other_comments_are_not_directives() {
        let body = "<script>// <!-- pagelint-disable broken-link --></script>\
                    <style>/* <!-- pagelint-disable broken-link --> */</style>\
                    <textarea><!-- pagelint-disable broken-link --></textarea>\
                    <title><!-- pagelint-disable broken-link --></title>\
                    <!-- a note about pagelint-disable broken-link -->\
                    <!pagelint-disable broken-link>\
                    <!-- pagelint-disable broken-link";
        assert!(read(body).is_empty(), "{:?}", read(body));
    }

    fn front_matter(text: &str) -> Suppression {
        let fm = crate::parse::frontmatter::parse(text);
        let lines = LineIndex::new(text);
        let f = &fm.fields[FIELD];
        let field = PageField {
            field: f.clone(),
            spot: Spot {
                span: f.span(),
                position: lines.position(text, f.span().start),
            },
            key: Spot {
                span: f.key,
                position: lines.position(text, f.key.start),
            },
        };
        from_front_matter(text, &lines, &field, fm.body_start)
    }

    fn at(s: &Suppression) -> Vec<(String, u32, u32)> {
        s.rules
            .iter()
            .map(|r| (r.id.clone(), r.spot.position.line, r.spot.position.column))
            .collect()
    }

    #[test]
    fn the_front_matter_field_in_flow_block_and_string_forms() {
        let flow =
            front_matter("---\nid: a\npagelint: {disable: [broken-link, orphan-page]}\n---\n");
        assert_eq!(
            at(&flow),
            vec![("broken-link".into(), 3, 22), ("orphan-page".into(), 3, 35)]
        );
        assert_eq!(flow.form, Form::Page);
        assert!(flow.problems.is_empty());
        let block = front_matter(
            "---\npagelint:\n  disable:\n    - broken-link # moved\n    - orphan-page\ntitle: t\n---\n",
        );
        assert_eq!(
            at(&block),
            vec![("broken-link".into(), 4, 7), ("orphan-page".into(), 5, 7)]
        );
        let string = front_matter("---\npagelint:\n  disable: broken-link, orphan-page\n---\n");
        assert_eq!(
            at(&string),
            vec![("broken-link".into(), 3, 12), ("orphan-page".into(), 3, 25)]
        );
    }

    #[test]
    fn the_front_matter_field_is_located_alike_whatever_its_lines_end_with() {
        // The escaped id is not written as such in the field: it is reported at the key, never
        // found in the `title` after the block, which ends at its line however lines end.
        let lf = "---\npagelint:\n  disable:\n    - \"broken\\x2dlink\"\n    - orphan-page\n\
                  title: broken-link\n---\n";
        let expected = vec![("broken-link".into(), 2, 1), ("orphan-page".into(), 5, 7)];
        for end in ["\n", "\r\n", "\r"] {
            let text = lf.replace('\n', end);
            let s = front_matter(&text);
            assert_eq!(at(&s), expected, "lines ending with {end:?}");
            assert!(s.problems.is_empty(), "{end:?}: {:?}", s.problems);
        }
    }

    #[test]
    fn the_front_matter_field_is_never_read_by_the_plain_subset() {
        // The fast reader declines anything but scalars, so serde_yaml reads the field, and
        // both readers give the same page.
        for yaml in [
            "pagelint: {disable: [broken-link]}\n",
            "pagelint:\n  disable: [broken-link]\n",
        ] {
            assert_eq!(
                crate::parse::frontmatter::simple_mapping(yaml),
                None,
                "{yaml}"
            );
        }
    }

    #[test]
    fn the_front_matter_field_reports_what_it_cannot_read() {
        let s = front_matter("---\npagelint: broken-link\n---\n");
        assert!(matches!(
            &s.problems[..],
            [Problem::WrongShape {
                kind: "a string",
                ..
            }]
        ));
        let s = front_matter("---\npagelint: {disabled: [broken-link]}\n---\n");
        assert!(matches!(
            &s.problems[..],
            [Problem::UnknownSetting { name, spot }] if name == "disabled" && spot.position.column == 12
        ));
        let s = front_matter("---\npagelint: {disable: []}\n---\n");
        assert_eq!(s.problems, vec![Problem::NoRules]);
        let s = front_matter("---\npagelint: {disable: 3}\n---\n");
        assert!(matches!(
            &s.problems[..],
            [Problem::WrongShape {
                kind: "a number",
                ..
            }]
        ));
    }
}
