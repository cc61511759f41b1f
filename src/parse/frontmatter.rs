//! Front matter: the YAML between a first line `---` and the next `---` line.
//!
//! Besides parsing the YAML, a lenient line scan finds where each top-level field is written,
//! so that diagnostics point at the field's own line, and so that a page whose YAML does not
//! parse still keeps the `uri:` it declares (one root cause, one diagnostic).

use crate::parse::span::Span;
use serde_yaml::Value;
use std::collections::BTreeMap;

/// A top-level field: its value and where its key and value are written.
#[derive(Debug, Clone)]
pub struct Field {
    pub value: Value,
    /// The key's span in the file.
    pub key: Span,
    /// The value's span in the file (empty, just after the key, when the value is empty).
    pub value_span: Span,
}

impl Field {
    /// Where diagnostics about this field point: its value, or its key when it has none.
    pub fn span(&self) -> Span {
        if self.value_span.is_empty() {
            self.key
        } else {
            self.value_span
        }
    }

    /// The value as text, for fields that hold a scalar (numbers count; YAML reads
    /// `title: 1984` as a number).
    pub fn text(&self) -> Option<String> {
        scalar_text(&self.value)
    }

    /// True when the value is null or a string of whitespace only.
    pub fn is_blank(&self) -> bool {
        match &self.value {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Why front matter could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file does not start with a `---` line.
    Missing,
    /// No closing `---` line.
    Unterminated,
    /// YAML syntax error; `span` is where the YAML parser stopped.
    Syntax { message: String, span: Span },
    /// The YAML is valid but not a mapping of fields.
    NotMapping { kind: &'static str },
}

/// The outcome of reading a file's front matter.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// Span of the opening `---` (empty at 0 when there is none).
    pub open: Span,
    /// Byte offset where the body starts.
    pub body_start: usize,
    /// Top-level fields. When the YAML did not parse, these come from the lenient scan and
    /// hold the raw text of each `key: value` line.
    pub fields: BTreeMap<String, Field>,
    pub problem: Option<Problem>,
}

impl FrontMatter {
    pub fn is_valid(&self) -> bool {
        self.problem.is_none()
    }
}

/// Read the front matter of `text` (a whole file).
pub fn parse(text: &str) -> FrontMatter {
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut lines = LineIter { text, pos: start };
    let Some((first, first_span)) = lines.next() else {
        return missing(start);
    };
    if first.trim_end() != "---" {
        return missing(start);
    }
    let yaml_start = lines.pos;
    let mut yaml_end = None;
    for (line, span) in lines.by_ref() {
        if line.trim_end() == "---" {
            yaml_end = Some(span.start);
            break;
        }
    }
    let Some(yaml_end) = yaml_end else {
        return FrontMatter {
            open: first_span,
            body_start: text.len(),
            fields: scan_fields(text, yaml_start, text.len()),
            problem: Some(Problem::Unterminated),
        };
    };
    let body_start = lines.pos;
    if let Some(fields) = simple_fields(text, yaml_start, yaml_end) {
        return FrontMatter {
            open: first_span,
            body_start,
            fields,
            problem: None,
        };
    }
    let yaml = &text[yaml_start..yaml_end];
    let lenient = scan_fields(text, yaml_start, yaml_end);
    let (fields, problem) = match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(map)) => {
            let mut fields = BTreeMap::new();
            for (k, v) in map {
                let Some(key) = scalar_text(&k).or_else(|| k.as_bool().map(|b| b.to_string()))
                else {
                    continue;
                };
                let (key_span, value_span) = lenient
                    .get(&key)
                    .map(|f| (f.key, f.value_span))
                    .unwrap_or((first_span, first_span));
                fields.insert(
                    key,
                    Field {
                        value: v,
                        key: key_span,
                        value_span,
                    },
                );
            }
            (fields, None)
        }
        // An empty front matter (`---` twice) is an empty mapping.
        Ok(Value::Null) => (BTreeMap::new(), None),
        Ok(other) => (
            lenient,
            Some(Problem::NotMapping {
                kind: value_kind(&other),
            }),
        ),
        Err(e) => {
            let message = clean_yaml_message(&e.to_string());
            // A duplicate key has no useful location from the parser; the line scan knows it.
            let duplicate = message
                .starts_with("duplicate entry")
                .then(|| first_duplicate_key(text, yaml_start, yaml_end))
                .flatten();
            let at = duplicate.unwrap_or_else(|| {
                e.location()
                    .map(|l| yaml_start + l.index().min(yaml.len()))
                    .unwrap_or(yaml_start)
            });
            let end = text[at..yaml_end]
                .find('\n')
                .map_or(yaml_end, |i| at + i)
                .max(at);
            (
                lenient,
                Some(Problem::Syntax {
                    message,
                    // At most 80 bytes, ending between characters.
                    span: Span::new(at, text.floor_char_boundary(end.min(at + 80)).max(at)),
                }),
            )
        }
    };
    FrontMatter {
        open: first_span,
        body_start,
        fields,
        problem,
    }
}

fn missing(start: usize) -> FrontMatter {
    FrontMatter {
        open: Span::new(start, start),
        body_start: start,
        fields: BTreeMap::new(),
        problem: Some(Problem::Missing),
    }
}

/// The mapping of a front matter written in the plain subset of YAML that most pages use
/// (`key: value` lines with plain, simply quoted or decimal values, and comments), read without
/// the YAML parser; `None` for anything else, which the parser then reads. Whatever this accepts,
/// it reads exactly as the parser does (a test checks both on every page it can find).
pub fn simple_mapping(yaml: &str) -> Option<serde_yaml::Mapping> {
    let fields = simple_fields(yaml, 0, yaml.len())?;
    Some(
        fields
            .into_iter()
            .map(|(k, f)| (Value::String(k), f.value))
            .collect(),
    )
}

/// The fields of `text[from..to]` when it is all plain-subset YAML (see `simple_mapping`).
fn simple_fields(text: &str, from: usize, to: usize) -> Option<BTreeMap<String, Field>> {
    let mut fields = BTreeMap::new();
    let lines = LineIter {
        text: &text[..to],
        pos: from,
    };
    for (line, span) in lines {
        if line.starts_with('#') {
            // The parser refuses a comment with a control character in it; so does this.
            if line
                .chars()
                .any(|c| c != '\t' && (c.is_control() || c == '\u{FEFF}'))
            {
                return None;
            }
            continue;
        }
        if line.bytes().all(|b| b == b' ') {
            continue;
        }
        let colon = memchr::memchr(b':', line.as_bytes())?;
        let key = &line[..colon];
        let key_ok = key.as_bytes()[..]
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && !is_reserved_word(key);
        if !key_ok {
            return None;
        }
        let rest = &line[colon + 1..];
        let (value, raw) = match rest.strip_prefix(' ') {
            None if rest.is_empty() => (Value::Null, ""),
            None => return None,
            Some(v) => {
                let raw = v.trim_matches(' ');
                (simple_value(raw)?, raw)
            }
        };
        let value_start = if raw.is_empty() {
            span.start + colon + 1
        } else {
            span.start + colon + 1 + (rest.len() - rest.trim_start_matches(' ').len())
        };
        let field = Field {
            value,
            key: Span::new(span.start, span.start + colon),
            value_span: Span::new(value_start, value_start + raw.len()),
        };
        if fields.insert(key.to_owned(), field).is_some() {
            return None; // a duplicate key: the parser reports it
        }
    }
    Some(fields)
}

/// The text of a value written as a plain or simply quoted YAML string; `None` for anything
/// else (a number, a folded, tagged, aliased or flow value, a line that is no value).
pub fn simple_text(raw: &str) -> Option<String> {
    match simple_value(raw) {
        Some(Value::String(s)) => Some(s),
        // Plain words the fast reader leaves to the parser because they might be numbers.
        None if raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-._/".contains(&b)) =>
        {
            match serde_yaml::from_str(raw).ok()? {
                Value::String(s) => Some(s),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `s` can be written as a plain YAML value and read back as the same text.
pub fn is_plain(s: &str) -> bool {
    simple_value(s) == Some(Value::String(s.to_owned()))
}

fn is_reserved_word(s: &str) -> bool {
    matches!(
        s,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// A value of the plain subset: `None` when it may mean anything but what it looks like.
fn simple_value(v: &str) -> Option<Value> {
    let bytes = v.as_bytes();
    let Some(&first) = bytes.first() else {
        return Some(Value::Null);
    };
    // One pass: characters YAML forbids or treats specially, and whether the text could be a
    // number, infinity or NaN (left to the parser).
    let mut numeric = true;
    let mut prev = 0u8;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            0..=0x1f | 0x7f => return None,
            // U+0080..U+009F (C1 controls), U+FEFF, U+FFFE, U+FFFF.
            0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9F)) => return None,
            0xEF if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
            ) =>
            {
                return None;
            }
            b' ' if prev == b':' => return None,
            b'#' if prev == b' ' => return None,
            _ => {}
        }
        numeric &= matches!(
            b,
            b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' | b'+' | b'-' | b'.' | b'_' | b'x' | b'X'
                | b'o' | b'O' | b'i' | b'I' | b'n' | b'N'
        );
        prev = b;
    }
    match first {
        q @ (b'"' | b'\'') => {
            let inner = v[1..].strip_suffix(q as char)?;
            if inner.contains(q as char) || (q == b'"' && inner.contains('\\')) {
                return None;
            }
            return Some(Value::String(inner.to_owned()));
        }
        b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
        | b'|' | b'>' | b'%' | b'@' | b'`' | b'~' => return None,
        _ => {}
    }
    if prev == b':' || is_reserved_word(v) {
        return None;
    }
    if v == "0" || (first != b'0' && bytes.len() <= 18 && bytes.iter().all(u8::is_ascii_digit)) {
        return v.parse::<u64>().ok().map(|n| Value::Number(n.into()));
    }
    (!numeric).then(|| Value::String(v.to_owned()))
}

pub fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// serde_yaml appends " at line L column C"; the diagnostic has its own position.
fn clean_yaml_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Lines with their spans (without the line ending).
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (&'a str, Span);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let end = memchr::memchr(b'\n', &self.text.as_bytes()[start..])
            .map_or(self.text.len(), |i| start + i);
        self.pos = if end < self.text.len() { end + 1 } else { end };
        let line = self.text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&self.text[start..end]);
        Some((line, Span::new(start, start + line.len())))
    }
}

/// Find `key: value` lines at the top level of the YAML in `text[from..to]`, without parsing.
fn scan_fields(text: &str, from: usize, to: usize) -> BTreeMap<String, Field> {
    let mut fields = BTreeMap::new();
    for (key, field) in top_level_fields(text, from, to) {
        fields.entry(key).or_insert(field);
    }
    fields
}

/// Every top-level key with the span of its line's key.
fn top_level_keys(text: &str, from: usize, to: usize) -> impl Iterator<Item = (String, Span)> + '_ {
    top_level_fields(text, from, to).map(|(k, f)| (k, f.key))
}

/// Every top-level `key: value` line, in order (duplicates included).
fn top_level_fields(
    text: &str,
    from: usize,
    to: usize,
) -> impl Iterator<Item = (String, Field)> + '_ {
    let lines = LineIter {
        text: &text[..to],
        pos: from,
    };
    lines.filter_map(|(line, span)| {
        let first = line.bytes().next()?;
        if matches!(first, b' ' | b'\t' | b'#' | b'-' | b'[' | b'{') {
            return None;
        }
        let colon = find_key_colon(line)?;
        let key_raw = line[..colon].trim_end();
        let key = unquote(key_raw).to_owned();
        let after = &line[colon + 1..];
        let lead = after.len() - after.trim_start().len();
        let raw_value = strip_comment(after.trim_start()).trim_end();
        let value_start = span.start + colon + 1 + lead;
        let value = if raw_value.is_empty() {
            Value::Null
        } else {
            Value::String(unquote(raw_value).to_owned())
        };
        Some((
            key,
            Field {
                value,
                key: Span::new(span.start, span.start + key_raw.len()),
                value_span: Span::new(value_start, value_start + raw_value.len()),
            },
        ))
    })
}

/// The values of `key:` lines nested under a top-level field (list items and their mappings),
/// in order, with their spans: `from` is the end of the field's key, `to` the end of the
/// front matter. The block ends at the next top-level key.
pub fn nested_values(text: &str, from: usize, to: usize, key: &str) -> Vec<(String, Span)> {
    let start = text[from..].find('\n').map_or(to, |i| from + i + 1);
    let lines = LineIter {
        text: &text[..to.max(start)],
        pos: start,
    };
    let mut out = Vec::new();
    for (line, span) in lines {
        let top_level = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top_level || line.trim_end() == "---" {
            break;
        }
        let inner = line.trim_start_matches([' ', '\t']);
        let inner = inner.strip_prefix("- ").map_or(inner, |r| r.trim_start());
        let Some(rest) = inner.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        let raw = strip_comment(rest.trim_start()).trim_end();
        let at = span.start + (line.len() - rest.len()) + (rest.len() - rest.trim_start().len());
        out.push((unquote(raw).to_owned(), Span::new(at, at + raw.len())));
    }
    out
}

/// Where a top-level key is written a second time, if one is.
fn first_duplicate_key(text: &str, from: usize, to: usize) -> Option<usize> {
    let mut seen = std::collections::HashSet::new();
    top_level_keys(text, from, to)
        .find(|(key, _)| !seen.insert(key.clone()))
        .map(|(_, span)| span.start)
}

/// The colon that ends a plain or quoted key: followed by a space or the end of the line.
fn find_key_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let search_from = match bytes[0] {
        q @ (b'"' | b'\'') => 1 + memchr::memchr(q, &bytes[1..])? + 1,
        _ => 0,
    };
    let mut i = search_from;
    while let Some(k) = memchr::memchr(b':', &bytes[i..]) {
        let at = i + k;
        if matches!(bytes.get(at + 1), None | Some(b' ' | b'\t')) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn strip_comment(value: &str) -> &str {
    if let Some(q @ ('"' | '\'')) = value.chars().next() {
        return match value[1..].find(q) {
            Some(i) => &value[..i + 2],
            None => value,
        };
    }
    match value.find(" #") {
        Some(i) => &value[..i],
        None => value,
    }
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_spans() {
        let text = "---\nid: a\nuri: 'x/y'   # where\ntitle:\n---\n<p>body";
        let fm = parse(text);
        assert!(fm.is_valid());
        let uri = &fm.fields["uri"];
        assert_eq!(uri.text().as_deref(), Some("x/y"));
        assert_eq!(&text[uri.value_span.start..uri.value_span.end], "'x/y'");
        assert!(fm.fields["title"].is_blank());
        assert_eq!(&text[fm.body_start..], "<p>body");
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = "\u{FEFF}---\r\nid: a\r\n---\r\nbody";
        let fm = parse(text);
        assert!(fm.is_valid());
        assert_eq!(fm.fields["id"].text().as_deref(), Some("a"));
        assert_eq!(&text[fm.body_start..], "body");
    }

    #[test]
    fn problems_are_classified() {
        assert_eq!(parse("").problem, Some(Problem::Missing));
        assert_eq!(parse("<p>x</p>").problem, Some(Problem::Missing));
        assert_eq!(parse("---\nid: a\n").problem, Some(Problem::Unterminated));
        assert_eq!(
            parse("---\n- a\n---\n").problem,
            Some(Problem::NotMapping { kind: "a list" })
        );
        let text = "---\nid: a\ntitle: Abscess: overview\n---\n";
        let fm = parse(text);
        let Some(Problem::Syntax { span, .. }) = fm.problem else {
            panic!("expected a syntax error, got {:?}", fm.problem);
        };
        let line_of = text[..span.start].matches('\n').count() + 1;
        assert_eq!(line_of, 3);
        // The lenient scan still knows the fields.
        assert_eq!(fm.fields["id"].text().as_deref(), Some("a"));
    }

    #[test]
    fn a_duplicate_key_is_located_at_its_second_occurrence() {
        let text = "---\nid: a\ntitle: x\ntitle: y\n---\n";
        let Some(Problem::Syntax { span, message }) = parse(text).problem else {
            panic!("expected a syntax error");
        };
        assert!(message.starts_with("duplicate entry"), "{message}");
        assert_eq!(&text[span.start..span.end], "title: y");
    }

    #[test]
    fn the_plain_subset_reads_as_the_yaml_parser_reads_it() {
        let accepted = [
            "id: page-one\nuri: x/y\ntitle: Roses, and more (2nd ed.)\norder: 0\nn: 17\n",
            "updated_at: 2017-10-27T18:49:24Z\ncreated_at: 2016-12-06T12:26:57Z\n",
            "a: 'single'\nb: \"double\"\nc:\nd: \n# comment\n\ne: x#y\n",
            "authorship: Authored by A; Proof-read/edited by B\r\nhide: yes\r\n",
            "t: café ünïcode — dash\nu: a:b\nv: 100%\nw: x-ray\nx: it''s\n",
        ];
        let mut fast = 0;
        for yaml in accepted {
            if let Some(map) = simple_mapping(yaml) {
                fast += 1;
                let full: Value = serde_yaml::from_str(yaml).expect("valid YAML");
                assert_eq!(Value::Mapping(map), full, "{yaml}");
            }
        }
        assert_eq!(
            fast,
            accepted.len(),
            "the plain subset covers ordinary front matter"
        );
        for left_to_parser in [
            "a: true\n",
            "a: 1.5\n",
            "a: 0x1F\n",
            "a: .inf\n",
            "a: 012\n",
            "a: 2026-01-15\n",
            "a: ~\n",
            "a: [1, 2]\n",
            "a: \"esc\\n\"\n",
            "a: 'it''s'\n",
            "a: x: y\n",
            "a:\n  - b\n",
            "a: b\n  continued\n",
            "a: 1\na: 2\n",
            "true: x\n",
            "a: &anchor x\n",
            "- a\n",
            "a: x # comment\n",
            "a: x-1\n",
        ] {
            assert_eq!(simple_mapping(left_to_parser), None, "{left_to_parser}");
        }
    }

    #[test]
    fn empty_front_matter_is_an_empty_mapping() {
        let fm = parse("---\n---\nbody");
        assert!(fm.is_valid());
        assert!(fm.fields.is_empty());
    }
}
