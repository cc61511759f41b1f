//! One-line YAML scalars as `fix` reads and writes them: plain, single-quoted and
//! double-quoted, the only forms whose exact bytes a field value can be located at with
//! certainty (a block scalar, an alias, an anchored or tagged value is left for a person).

/// How a one-line scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Single,
    Double,
}

impl Style {
    /// The style `raw` (the bytes of a value) is written in.
    pub fn of(raw: &str) -> Style {
        match raw.as_bytes().first() {
            Some(b'\'') => Style::Single,
            Some(b'"') => Style::Double,
            _ => Style::Plain,
        }
    }
}

/// The text `raw` stands for, read as a one-line scalar of `style`; `None` when it is not one
/// (an unclosed or unescaped quote, an escape this reader does not know, a line break). A plain
/// scalar is its own text: whether YAML reads it as that string is for the caller to check
/// against the parsed value.
pub fn decode(raw: &str, style: Style) -> Option<String> {
    if raw.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return None;
    }
    match style {
        Style::Plain => (!raw.is_empty()).then(|| raw.to_owned()),
        Style::Single => {
            let inner = raw.strip_prefix('\'')?.strip_suffix('\'')?;
            // Inside, a quote is written twice; a lone one would have closed the scalar.
            let text = inner.replace("''", "'");
            (text.matches('\'').count() * 2 == inner.matches('\'').count()).then_some(text)
        }
        Style::Double => decode_double(raw.strip_prefix('"')?.strip_suffix('"')?),
    }
}

/// The inside of a double-quoted scalar, its escapes read (YAML 1.2 § 5.7).
fn decode_double(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let e = chars.next()?;
                let hex = |n: usize, chars: &mut std::str::Chars<'_>| {
                    let digits: String = chars.by_ref().take(n).collect();
                    (digits.len() == n && digits.bytes().all(|b| b.is_ascii_hexdigit()))
                        .then(|| u32::from_str_radix(&digits, 16).ok())
                        .flatten()
                        .and_then(char::from_u32)
                };
                out.push(match e {
                    '0' => '\0',
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    't' | '\t' => '\t',
                    'n' => '\n',
                    'v' => '\u{b}',
                    'f' => '\u{c}',
                    'r' => '\r',
                    'e' => '\u{1b}',
                    ' ' => ' ',
                    '"' => '"',
                    '/' => '/',
                    '\\' => '\\',
                    'N' => '\u{85}',
                    '_' => '\u{a0}',
                    'L' => '\u{2028}',
                    'P' => '\u{2029}',
                    'x' => hex(2, &mut chars)?,
                    'u' => hex(4, &mut chars)?,
                    'U' => hex(8, &mut chars)?,
                    _ => return None,
                });
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// `text` written as a one-line scalar of `style`; `None` when that style cannot hold it
/// (a plain scalar that would read as something else, a single-quoted one with a control
/// character). A double-quoted scalar holds any text.
pub fn encode(text: &str, style: Style) -> Option<String> {
    match style {
        Style::Plain => super::frontmatter::is_plain(text).then(|| text.to_owned()),
        Style::Single => {
            (!text.chars().any(needs_escape)).then(|| format!("'{}'", text.replace('\'', "''")))
        }
        Style::Double => {
            let mut out = String::with_capacity(text.len() + 2);
            out.push('"');
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            Some(out)
        }
    }
}

/// Characters a quoted YAML scalar cannot hold as they are: controls, line breaks of YAML 1.1
/// (which libyaml reads), the byte order mark and the non-characters.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_yaml::Value;

    fn parsed(raw: &str) -> Option<String> {
        match serde_yaml::from_str::<Value>(&format!("k: {raw}\n")).ok()? {
            Value::Mapping(m) => m.get("k")?.as_str().map(str::to_owned),
            _ => None,
        }
    }

    #[test]
    fn decoding_reads_each_style_as_yaml_does() {
        for raw in [
            "'it''s'",
            "'a \"b\" \\n'",
            "\"a\\\"b\\\\c\\n\\t\\x41\\u00e9\\U0001F600\\/\"",
            "\"caf\u{e9}\"",
            "''",
            "\"\"",
            "/docs/a b",
        ] {
            assert_eq!(decode(raw, Style::of(raw)), parsed(raw), "{raw}");
        }
        for bad in [
            "'a'b'",
            "\"a\"b\"",
            "\"\\q\"",
            "'open",
            "\"x\\u12\"",
            "a\rb",
        ] {
            assert_eq!(decode(bad, Style::of(bad)), None, "{bad}");
        }
    }

    #[test]
    fn encoding_reads_back_as_the_text() {
        for text in [
            "/docs/a",
            "it's",
            "a: b",
            "#x",
            "tab\there",
            "q\"uote\\",
            "\u{2028}",
        ] {
            for style in [Style::Plain, Style::Single, Style::Double] {
                if let Some(raw) = encode(text, style) {
                    assert_eq!(parsed(&raw).as_deref(), Some(text), "{raw}");
                    assert_eq!(decode(&raw, style).as_deref(), Some(text), "{raw}");
                }
            }
            assert!(encode(text, Style::Double).is_some());
        }
        assert_eq!(encode("a: b", Style::Plain), None);
        assert_eq!(encode("tab\there", Style::Single), None);
    }
}
