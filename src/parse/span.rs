//! Byte spans in a file and their 1-based line/column positions. Lines end as HTML and YAML
//! end them, and as browsers and editors count them: at LF, CRLF or a lone CR.

use serde::{Deserialize, Serialize};

/// A byte range `start..end` in a file's source text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A 1-based line and column; the column counts Unicode characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };
}

impl Default for Position {
    fn default() -> Self {
        Position::START
    }
}

/// Where each line of a text starts, and how many characters precede every `CHUNK`th byte, so
/// that offsets map to positions in O(log lines + CHUNK), however long a line is (a minified
/// page, a directive naming thousands of rules).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars[k]`: the characters in the text's first `k * CHUNK` bytes.
    chars: Vec<usize>,
}

/// Bytes between two character counts `LineIndex` keeps.
const CHUNK: usize = 4096;

/// The characters in `bytes`: those that are not UTF-8 continuation bytes.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        // A CR starts a line unless an LF follows it (CRLF is one line end).
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        let mut chars = Vec::with_capacity(text.len() / CHUNK + 1);
        chars.push(0);
        let mut total = 0;
        for chunk in text.as_bytes().chunks_exact(CHUNK) {
            total += chars_in(chunk);
            chars.push(total);
        }
        LineIndex { starts, chars }
    }

    /// The characters in `text[..offset]`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let k = (offset / CHUNK).min(self.chars.len() - 1);
        self.chars[k] + chars_in(&text.as_bytes()[k * CHUNK..offset])
    }

    /// The position of byte `offset` of `text` (the text this index was built from).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        // A byte order mark is not a column.
        let line_start = match self.starts[line] {
            0 if text.starts_with('\u{FEFF}') => 3.min(offset),
            start => start,
        };
        // Most lines are short: count their characters; a long line (a minified page) counts
        // from the nearest chunk mark instead of from its start.
        let column = if offset - line_start.min(offset) <= CHUNK {
            chars_in(&text.as_bytes()[line_start.min(offset)..offset])
        } else {
            self.chars_before(text, offset) - self.chars_before(text, line_start)
        };
        // Pages are at most 1 GiB (`config::MAX_FILE_BYTES_CAP`): never saturated.
        let count = |n: usize| u32::try_from(n + 1).unwrap_or(u32::MAX);
        Position {
            line: count(line),
            column: count(column),
        }
    }

    /// A cursor over `text` (the text this index was built from) for offsets asked for mostly
    /// in increasing order, as a page's links are scanned.
    pub fn cursor<'a>(&'a self, text: &'a str) -> Cursor<'a> {
        Cursor {
            lines: self,
            text,
            last: None,
        }
    }

    /// The byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.starts.get((line as usize).checked_sub(1)?).copied()
    }
}

/// Positions of offsets in one text, each counted from the one asked for before it when both
/// are on the same line and in order: a line with thousands of links (a minified page, an
/// index of every API) is counted once, not once per link.
pub struct Cursor<'a> {
    lines: &'a LineIndex,
    text: &'a str,
    /// The last offset asked for, its line (0-based) and that line's end, and its position.
    last: Option<(usize, usize, usize, Position)>,
}

impl Cursor<'_> {
    /// The position of byte `offset`, as `LineIndex::position` gives it.
    pub fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let position = match self.last {
            // (A byte order mark is no column: not counted from inside it.)
            Some((last, line, end, at))
                if last <= offset
                    && offset < end
                    && (line > 0 || last >= 3 || !self.text.starts_with('\u{FEFF}')) =>
            {
                Position {
                    line: line as u32 + 1,
                    column: at.column + chars_in(&self.text.as_bytes()[last..offset]) as u32,
                }
            }
            _ => self.lines.position(self.text, offset),
        };
        let line = position.line as usize - 1;
        let end = self
            .lines
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(usize::MAX);
        self.last = Some((offset, line, end, position));
        position
    }
}

/// Whether `b` ends a line (LF, or CR alone or before LF).
fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// The line holding byte `offset` of `text`: where it starts and where its content ends
/// (before its line end). An offset on the LF of a CRLF belongs to the line that CRLF ends.
pub fn line_bounds(text: &str, offset: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut at = offset.min(bytes.len());
    if at > 0 && bytes.get(at) == Some(&b'\n') && bytes[at - 1] == b'\r' {
        at -= 1;
    }
    let start = memchr::memrchr2(b'\n', b'\r', &bytes[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    (start, end)
}

/// The length of the line end at byte `at` of `text` (2 for CRLF, 1 for LF or CR, 0 if none).
pub fn break_len(text: &str, at: usize) -> usize {
    match text.as_bytes().get(at..at + 2) {
        Some(b"\r\n") => 2,
        _ if text.as_bytes().get(at).copied().is_some_and(is_break) => 1,
        _ => 0,
    }
}

/// `span` moved onto `text`: inside it, start before end, both on character boundaries
/// (widened to the characters they cut).
pub fn clamp_span(text: &str, span: Span) -> Span {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\ncé d\r\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        // "cé " is 4 bytes but 3 characters.
        assert_eq!(index.position(text, 7), Position { line: 2, column: 4 });
        assert_eq!(index.position(text, 10), Position { line: 3, column: 1 });
        assert_eq!(index.line_start(3), Some(10));
        assert_eq!(index.line_start(4), None);
    }

    #[test]
    fn columns_on_long_lines_count_characters_across_chunks() {
        let text = format!(
            "x\n{}{}é{}\nz",
            "a".repeat(CHUNK - 1),
            "é".repeat(CHUNK),
            "b"
        );
        let index = LineIndex::new(&text);
        let b = text.rfind('b').expect("b");
        let column = 1 + (CHUNK - 1) + CHUNK + 1;
        assert_eq!(
            index.position(&text, b),
            Position {
                line: 2,
                column: column as u32
            }
        );
        assert_eq!(
            index.position(&text, b + 2),
            Position { line: 3, column: 1 }
        );
        assert_eq!(
            index.position(&text, text.len()),
            Position { line: 3, column: 2 }
        );
    }

    #[test]
    fn a_cursor_gives_the_positions_the_index_gives_in_any_order() {
        let text = format!(
            "\u{FEFF}é<a>\n{}\nb é\r\n\nx{}y",
            "ab".repeat(CHUNK),
            "é".repeat(CHUNK)
        );
        let index = LineIndex::new(&text);
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        // In order (as links are scanned), backwards, and jumping across lines.
        let mut offsets = boundaries.clone();
        offsets.extend(boundaries.iter().rev());
        offsets.extend(
            boundaries
                .iter()
                .step_by(97)
                .chain(boundaries.iter().step_by(89)),
        );
        offsets.push(text.len() + 5);
        let mut cursor = index.cursor(&text);
        for offset in offsets {
            assert_eq!(
                cursor.position(offset),
                index.position(&text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_lf_and_crlf_do() {
        let text = "a\rb\r\nc\nd\r";
        let index = LineIndex::new(text);
        for (offset, line, column) in [(0, 1, 1), (2, 2, 1), (3, 2, 2), (4, 2, 3), (5, 3, 1)] {
            assert_eq!(
                index.position(text, offset),
                Position { line, column },
                "{offset}"
            );
        }
        assert_eq!(index.position(text, 7), Position { line: 4, column: 1 });
        assert_eq!(index.position(text, 9), Position { line: 5, column: 1 });
        assert_eq!(line_bounds(text, 2), (2, 3));
        // The LF of a CRLF is the end of the line before it.
        assert_eq!(line_bounds(text, 4), (2, 3));
        assert_eq!(line_bounds(text, 0), (0, 1));
        assert_eq!(line_bounds(text, 9), (9, 9));
        assert_eq!(
            (break_len(text, 3), break_len(text, 1), break_len(text, 0)),
            (2, 1, 0)
        );
    }

    #[test]
    fn spans_are_clamped_onto_character_boundaries() {
        let text = "aé€";
        assert_eq!(clamp_span(text, Span::new(2, 4)), Span::new(1, 6));
        assert_eq!(clamp_span(text, Span::new(9, 3)), Span::new(6, 6));
        assert_eq!(clamp_span(text, Span::new(0, 1)), Span::new(0, 1));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{FEFF}ab";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), Position::START);
        assert_eq!(index.position(text, 4), Position { line: 1, column: 2 });
    }
}
