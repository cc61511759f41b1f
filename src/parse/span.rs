//! Byte spans in a file and their 1-based line/column positions.

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

/// Where each line of a text starts, so that offsets map to positions in O(log lines).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
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
        let column = text.as_bytes()[line_start..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40) // not a UTF-8 continuation byte
            .count();
        Position {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// The byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.starts.get((line as usize).checked_sub(1)?).copied()
    }
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
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{FEFF}ab";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), Position::START);
        assert_eq!(index.position(text, 4), Position { line: 1, column: 2 });
    }
}
