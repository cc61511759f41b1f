//! Front matter: the YAML between a first line `---` and the next `---` line.
//!
//! Besides parsing the YAML, a lenient line scan finds where each top-level field is written,
//! so that diagnostics point at the field's own line, and so that a page whose YAML does not
//! parse still keeps the `uri:` it declares (one root cause, one diagnostic).

use crate::parse::limits::{self, Limits};
use crate::parse::scalar::{self, Style};
use crate::parse::span::{Span, clamp_span, line_bounds};
use crate::parse::yaml_scan;
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
    /// The style of the one-line scalar `value_span` holds, when those bytes read as the
    /// parsed string value; `exact_value` says whether they are certainly where it comes from.
    pub style: Option<Style>,
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
    /// TOML between `+++` lines (Hugo's other front matter), which pagelint does not read:
    /// its lines are not the body either.
    Toml,
    /// YAML syntax error; `span` is where the YAML parser stopped.
    Syntax { message: String, span: Span },
    /// The YAML is valid but not a mapping of fields.
    NotMapping { kind: &'static str },
    /// The YAML reaches one of the `Limits` (too large, too deep, an alias bomb): it is not
    /// parsed (limit-exceeded, not invalid-front-matter, reports it).
    Limit {
        message: String,
        help: String,
        span: Span,
    },
}

/// The outcome of reading a file's front matter.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// Span of the opening `---` (empty at 0 when there is none).
    pub open: Span,
    /// Byte offset where the body starts.
    pub body_start: usize,
    /// The YAML between the two `---` lines.
    pub yaml: Span,
    /// True when the YAML is all `key: value` lines of the plain subset (`simple_mapping`):
    /// every field's value is then written exactly at its span.
    pub simple: bool,
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

/// Read the front matter of `text` (a whole file), within the default limits.
pub fn parse(text: &str) -> FrontMatter {
    parse_within(text, &Limits::default())
}

/// Read the front matter of `text` (a whole file); YAML that reaches one of `limits` is not
/// parsed (the lenient scan still finds its fields).
pub fn parse_within(text: &str, limits: &Limits) -> FrontMatter {
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut lines = LineIter { text, pos: start };
    let Some((first, first_span)) = lines.next() else {
        return missing(start);
    };
    if first.trim_end() == "+++" {
        // The body starts after the closing `+++` (or nowhere): TOML read as Markdown would
        // make links of its URL values.
        let body_start = lines
            .by_ref()
            .find(|(line, _)| line.trim_end() == "+++")
            .map_or(text.len(), |_| lines.pos);
        return FrontMatter {
            open: first_span,
            body_start,
            problem: Some(Problem::Toml),
            ..missing(start)
        };
    }
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
            yaml: Span::new(yaml_start, text.len()),
            simple: false,
            fields: scan_fields(text, yaml_start, text.len()),
            problem: Some(Problem::Unterminated),
        };
    };
    let body_start = lines.pos;
    let yaml = &text[yaml_start..yaml_end];
    // The plain subset is read in one pass; only the size limit applies to it.
    let refused = match too_large(yaml, limits) {
        Some(refusal) => Some(refusal),
        None => {
            if let Some(fields) = simple_fields(text, yaml_start, yaml_end) {
                return FrontMatter {
                    open: first_span,
                    body_start,
                    yaml: Span::new(yaml_start, yaml_end),
                    simple: true,
                    fields,
                    problem: None,
                };
            }
            yaml_scan::check(yaml, limits).err()
        }
    };
    let lenient = scan_fields(text, yaml_start, yaml_end);
    if let Some(refusal) = refused {
        return FrontMatter {
            open: first_span,
            body_start,
            yaml: Span::new(yaml_start, yaml_end),
            simple: false,
            fields: lenient,
            problem: Some(Problem::Limit {
                message: refusal.message,
                help: refusal.help,
                span: problem_span(&text[..yaml_end], yaml_start + refusal.at),
            }),
        };
    }
    let (fields, problem) = match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(map)) => {
            let mut fields = BTreeMap::new();
            for (k, v) in map {
                let Some(key) = field_key(&k) else {
                    continue;
                };
                let (key_span, value_span) = lenient
                    .get(&key)
                    .map(|f| (f.key, f.value_span))
                    .unwrap_or((first_span, first_span));
                // The line scan's guess, kept only when its bytes read as the parsed value.
                let style = lenient.get(&key).and_then(|_| {
                    let raw = &text[value_span.start..value_span.end];
                    let style = Style::of(raw);
                    let s = v.as_str()?;
                    (scalar::decode(raw, style).as_deref() == Some(s)).then_some(style)
                });
                fields.insert(
                    key,
                    Field {
                        value: v,
                        key: key_span,
                        value_span,
                        style,
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
            // A character YAML does not allow has no useful location from the parser either.
            let forbidden = message
                .starts_with("control characters are not allowed")
                .then(|| yaml.find(|c| !is_yaml_printable(c)).map(|i| yaml_start + i))
                .flatten();
            let at = duplicate.or(forbidden).unwrap_or_else(|| {
                e.location()
                    .map(|l| yaml_start + l.index().min(yaml.len()))
                    .unwrap_or(yaml_start)
            });
            (
                lenient,
                Some(Problem::Syntax {
                    message,
                    span: problem_span(&text[..yaml_end], at),
                }),
            )
        }
    };
    FrontMatter {
        open: first_span,
        body_start,
        yaml: Span::new(yaml_start, yaml_end),
        simple: false,
        fields,
        problem,
    }
}

/// Why `yaml` is not read at all: larger than `limits.front_matter_bytes` (refused at its
/// start).
/// Where a problem found at byte `at` of `text` (the page up to the YAML's end) is shown:
/// the rest of its line, at most 80 bytes of it, both ends on character boundaries.
fn problem_span(text: &str, at: usize) -> Span {
    let at = clamp_span(text, Span::new(at, at)).start;
    let end = line_bounds(text, at).1.max(at);
    let mut end = end.min(at + 80);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Span::new(at, end.max(at))
}

fn too_large(yaml: &str, limits: &Limits) -> Option<yaml_scan::Refusal> {
    if yaml.len() > limits.front_matter_bytes {
        return Some(yaml_scan::Refusal {
            at: 0,
            message: format!(
                "the front matter is {} bytes, more than `limits.front_matter_bytes` ({}); it is \
                 not parsed",
                yaml.len(),
                limits.front_matter_bytes
            ),
            help: format!(
                "move long content into the page's body; {}",
                limits::raise("front_matter_bytes")
            ),
        });
    }
    None
}

/// Where the value of the top-level field `key` is written, exactly, and in which style: only
/// for a one-line plain, single- or double-quoted scalar whose bytes read as the parsed value
/// and, when the YAML is not all plain-subset lines, are certainly where that value comes from
/// (written over with another text, the YAML reads as before but for that field). `None` for
/// any other form (a flow mapping, a block scalar, an alias, an anchor, a tag, a line the scan
/// cannot place): a repair of it is for a person.
pub fn exact_value(text: &str, fm: &FrontMatter, key: &str) -> Option<(Span, Style)> {
    if fm.problem.is_some() {
        return None;
    }
    let field = fm.fields.get(key)?;
    let style = field.style?;
    let span = field.value_span;
    if fm.simple || plainly_placed(text, fm.yaml.start, span.start) {
        return Some((span, style));
    }
    confirmed(text, fm, key, span, style).then_some((span, style))
}

/// Whether the YAML of `fm`, with the bytes at `span` written over by a text it does not hold
/// (in `style`), reads as before but for `key`, which reads as that text: then those bytes are
/// where the field's value comes from.
fn confirmed(text: &str, fm: &FrontMatter, key: &str, span: Span, style: Style) -> bool {
    let yaml = &text[fm.yaml.start..fm.yaml.end];
    let Some(sentinel) = (0u32..)
        .map(|n| format!("pagelint-{n}"))
        .find(|s| !yaml.contains(s.as_str()))
    else {
        return false;
    };
    let edited = scalar::encode(&sentinel, style).and_then(|raw| rewrite(text, fm, &[(span, raw)]));
    let mut expected: BTreeMap<&str, &Value> = fm
        .fields
        .iter()
        .map(|(k, f)| (k.as_str(), &f.value))
        .collect();
    let sentinel = Value::String(sentinel);
    expected.insert(key, &sentinel);
    edited.is_some_and(|yaml| reads_as(&yaml, &expected))
}

/// Whether the line holding `at` is certainly a top-level line of the YAML that starts at
/// `from`: every line before it is blank, a comment, a plain-subset `key: value` line, or a
/// list item or indented line with no character that could open a quoted or flow scalar, a
/// block scalar, an anchor, an alias or a tag; and no line break but LF (and CRLF) comes before
/// it (libyaml also breaks lines at a lone CR, NEL, U+2028 and U+2029). Linear, and the common
/// case: else `exact_value` asks the parser.
fn plainly_placed(text: &str, from: usize, at: usize) -> bool {
    let Some(before) = text.get(from..at) else {
        return false;
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let odd_break = |s: &str| {
        s.contains(['\u{85}', '\u{2028}', '\u{2029}', '\t'])
            || s.bytes()
                .enumerate()
                .any(|(i, b)| b == b'\r' && s.as_bytes().get(i + 1) != Some(&b'\n'))
    };
    if odd_break(before) {
        return false;
    }
    before[..line_start].lines().all(|line| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let inner = line.trim_start_matches(' ');
        if inner.is_empty() || inner.starts_with('#') {
            return true;
        }
        if line.starts_with([' ', '-']) {
            return !inner.contains([
                '"', '\'', '[', ']', '{', '}', '|', '>', '&', '*', '!', '%', '@', '`',
            ]);
        }
        let Some((key, value)) = line.split_once(':') else {
            return false;
        };
        !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && (value.is_empty() || value.starts_with(' '))
            && one_line_value(value.trim_matches(' '))
    })
}

/// Whether a top-level value, as written on its key's line, ends there or on indented lines
/// (which `plainly_placed` judges on their own): empty, of the plain subset, or a plain
/// scalar (whatever it reads as: `A`, `1.5`, `true`); never a quoted, flow or block scalar
/// that may run on, nor one with an anchor, alias or tag.
fn one_line_value(v: &str) -> bool {
    v.is_empty()
        || simple_value(v).is_some()
        || !v.starts_with([
            '"', '\'', '[', ']', '{', '}', '|', '>', '&', '*', '!', '%', '@', '`', '?', ':', '-',
            '#', ',', '~',
        ])
}

/// The YAML of `fm` with `edits` (spans in `text`, sorted, inside the YAML) applied.
pub fn rewrite(text: &str, fm: &FrontMatter, edits: &[(Span, String)]) -> Option<String> {
    let mut out = String::with_capacity(fm.yaml.len() + 64);
    let mut at = fm.yaml.start;
    for (span, new) in edits {
        if span.start < at || span.end > fm.yaml.end {
            return None;
        }
        out.push_str(text.get(at..span.start)?);
        out.push_str(new);
        at = span.end;
    }
    out.push_str(text.get(at..fm.yaml.end)?);
    Some(out)
}

/// Whether `yaml` parses to a mapping with exactly the fields `expected` (keys read as
/// `parse` reads them).
pub fn reads_as(yaml: &str, expected: &BTreeMap<&str, &Value>) -> bool {
    let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(yaml) else {
        return false;
    };
    let mut seen = 0;
    for (k, v) in &map {
        let Some(key) = field_key(k) else {
            continue;
        };
        if expected.get(key.as_str()) != Some(&v) {
            return false;
        }
        seen += 1;
    }
    seen == expected.len()
}

/// A mapping key as a field name (strings, numbers and booleans); `None` for others.
fn field_key(k: &Value) -> Option<String> {
    scalar_text(k).or_else(|| k.as_bool().map(|b| b.to_string()))
}

fn missing(start: usize) -> FrontMatter {
    FrontMatter {
        open: Span::new(start, start),
        body_start: start,
        yaml: Span::new(start, start),
        simple: false,
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
        let style = value.is_string().then(|| Style::of(raw));
        let field = Field {
            value,
            key: Span::new(span.start, span.start + colon),
            value_span: Span::new(value_start, value_start + raw.len()),
            style,
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
            // U+0080..U+009F (C1 controls), U+FEFF, U+FFFE, U+FFFF, and U+2028 and U+2029,
            // which libyaml reads as line breaks.
            0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9F)) => return None,
            0xE2 if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0x80), Some(0xA8 | 0xA9))
            ) =>
            {
                return None;
            }
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

/// serde_yaml appends " at line L column C" (or " at position N"); the diagnostic has its
/// own position.
fn clean_yaml_message(msg: &str) -> String {
    match msg.find(" at line ").or_else(|| msg.find(" at position ")) {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Whether YAML allows `c` in a document (YAML 1.2's c-printable).
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Lines with their spans (without the line end).
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
        // A line ends at LF, CRLF or a lone CR, as YAML and HTML end lines.
        let start = self.pos;
        let end = memchr::memchr2(b'\n', b'\r', &self.text.as_bytes()[start..])
            .map_or(self.text.len(), |i| start + i);
        self.pos = end + crate::parse::span::break_len(self.text, end);
        let line = &self.text[start..end];
        Some((line, Span::new(start, end)))
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
                style: None,
            },
        ))
    })
}

/// The values of `key:` lines nested under a top-level field (list items and their mappings),
/// in order, with their spans: `from` is the end of the field's key, `to` the end of the
/// front matter. The block ends at the next top-level key.
pub fn nested_values(text: &str, from: usize, to: usize, key: &str) -> Vec<(String, Span)> {
    let start = memchr::memchr2(b'\n', b'\r', &text.as_bytes()[from..]).map_or(to, |i| {
        from + i + crate::parse::span::break_len(text, from + i)
    });
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
    fn toml_front_matter_is_named_and_not_read_as_the_body() {
        // Hugo's `+++` front matter: reported as TOML (not as no front matter), and its
        // lines are not the body (a URL value there read as an autolink literal).
        let text =
            "+++\r\ntitle = \"A\"\r\nimage = \"https://www.example.org/x.png\"\r\n+++\r\n# A\n";
        let fm = parse(text);
        assert_eq!(fm.problem, Some(Problem::Toml));
        assert_eq!(&text[fm.body_start..], "# A\n");
        assert_eq!(fm.open, Span::new(0, 3));
        assert!(fm.fields.is_empty());
        let unclosed = "+++\ntitle = \"A\"\n[x](/y)\n";
        let open = parse(unclosed);
        assert_eq!(open.problem, Some(Problem::Toml));
        assert_eq!(
            open.body_start,
            unclosed.len(),
            "no body without a closing `+++`"
        );
    }

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
    fn a_problem_span_never_cuts_a_character() {
        // Too deep (a limit) or not YAML (a syntax error), with wide characters on the line
        // where the problem's 80 bytes end.
        let wide = "\u{FFFD}".repeat(40);
        let yamls = ["", "x", "xx"].into_iter().flat_map(|pad| {
            [
                format!("{}id{pad}{wide}", "[".repeat(81)),
                format!("a: b: {pad}{wide}"),
            ]
        });
        for yaml in yamls {
            let text = format!("---\n{yaml}\n---\nbody");
            let fm = parse(&text);
            let span = match &fm.problem {
                Some(Problem::Limit { span, .. } | Problem::Syntax { span, .. }) => *span,
                other => panic!("{yaml:?} is refused, not {other:?}"),
            };
            assert!(
                span.end > span.start && span.end <= span.start + 80,
                "{span:?}"
            );
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            assert!(
                !text[span.start..span.end].contains('\n'),
                "one line: {span:?}"
            );
        }
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
    fn values_are_located_exactly_or_not_at_all() {
        fn located<'t>(text: &'t str, key: &str) -> Option<(&'t str, Style)> {
            let fm = parse(text);
            exact_value(text, &fm, key).map(|(span, style)| (&text[span.start..span.end], style))
        }
        let simple = "---\na: x\nb: 'y'\nc: \"z\"\n---\n";
        assert_eq!(located(simple, "a"), Some(("x", Style::Plain)));
        assert_eq!(located(simple, "b"), Some(("'y'", Style::Single)));
        assert_eq!(located(simple, "c"), Some(("\"z\"", Style::Double)));
        // Beyond the plain subset, located and confirmed by the parser.
        let full = "---\nt: [1, 2]\nq: \"a\n  b\"\nu: \"x\\u0041\"  # c\n---\n";
        assert_eq!(located(full, "u"), Some(("\"x\\u0041\"", Style::Double)));
        // A lone CR is a line break to YAML too: `u` is a field of its own, and confirmed.
        assert_eq!(
            located("---\nt: x\ru: /a\n---\n", "u"),
            Some(("/a", Style::Plain))
        );
        for (text, key) in [
            ("---\n{u: /a, v: /b}\n---\n", "v"),
            ("---\nu: &a /a\nv: *a\n---\n", "u"),
            ("---\nx: &a /a\nu: *a\n---\n", "u"),
            ("---\n&k u: /a\n---\n", "u"),
            ("---\nu: >-\n  /a\n---\n", "u"),
            ("---\nu: |\n  /a\n---\n", "u"),
            ("---\nu: !!str /a\n---\n", "u"),
            ("---\nt: \"x\nu: /a\n\"\nu: /a\n---\n", "u"),
            ("---\nt: \"x\nu: /a\"\nv: 1\n---\n", "u"),
        ] {
            assert_eq!(located(text, key), None, "{text:?}");
        }
    }

    #[test]
    fn a_field_placed_plainly_is_where_the_parser_reads_it() {
        for text in [
            "---\ntags:\n  - a\n  - b c\nu: /a\n---\n",
            "---\n# c\n\nt: x\nn:\n  k: v\n- z\nu: '/a'\n---\n",
            "---\nt: \"x\nu: /a\n\"\nu: /a\n---\n",
            "---\nt: |\n  u: /a\nu: /a\n---\n",
            "---\nt: a\r\nu: /a\n---\n",
            "---\nt: A\nn: 1.5 # c\nb: true\nu: /a\n---\n",
            "---\nt: [a,\nu: /a]\nu: /a\n---\n",
            "---\nt: a \"b\nc\" d\nu: /a\n---\n",
        ] {
            let fm = parse(text);
            let Some(f) = fm.fields.get("u").filter(|f| f.style.is_some()) else {
                continue;
            };
            let (span, style) = (f.value_span, f.style.expect("a style"));
            if plainly_placed(text, fm.yaml.start, span.start) {
                assert!(confirmed(text, &fm, "u", span, style), "{text:?}");
            }
        }
        let listed = "---\ntags:\n  - a\nu: /a\n---\n";
        let fm = parse(listed);
        assert!(plainly_placed(
            listed,
            fm.yaml.start,
            fm.fields["u"].value_span.start
        ));
    }

    #[test]
    fn yaml_1_1_line_breaks_are_left_to_the_parser() {
        for yaml in ["t: a\u{2028}u: b\n", "t: a\u{2029}b\n", "t: a\u{85}b\n"] {
            assert_eq!(simple_mapping(yaml), None, "{yaml:?}");
        }
    }

    #[test]
    fn empty_front_matter_is_an_empty_mapping() {
        let fm = parse("---\n---\nbody");
        assert!(fm.is_valid());
        assert!(fm.fields.is_empty());
    }
}
