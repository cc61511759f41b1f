//! The URLs of a `srcset` (and `imagesrcset`) value, each as the byte range it takes in the
//! value, by the HTML standard's algorithm (WHATWG HTML § 4.8.4.3.10 "Parse a srcset
//! attribute"): candidates are separated by commas with or without whitespace; a URL runs to
//! the next whitespace, so it may hold commas (`a,b.png 1x`, `data:…;base64,…`), and trailing
//! commas end the candidate instead; descriptors (`100w`, `2x`, `(…)`) follow. A candidate the
//! standard drops for its descriptors (`2x 3x`, `100w 2x`, `0w`, `big`) is dropped here too:
//! no browser fetches it. No allocation: the iterator walks the value's bytes.

use std::ops::Range;

/// The ranges of the candidate URLs of `value`, in order.
pub fn candidates(value: &str) -> Candidates<'_> {
    Candidates {
        bytes: value.as_bytes(),
        pos: 0,
    }
}

/// The iterator `candidates` returns.
pub struct Candidates<'a> {
    bytes: &'a [u8],
    pos: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

impl Iterator for Candidates<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.bytes;
        loop {
            // Splitting loop: skip whitespace and commas.
            while bytes
                .get(self.pos)
                .is_some_and(|&b| is_space(b) || b == b',')
            {
                self.pos += 1;
            }
            if self.pos >= bytes.len() {
                return None;
            }
            // The URL: everything up to the next whitespace.
            let start = self.pos;
            while bytes.get(self.pos).is_some_and(|&b| !is_space(b)) {
                self.pos += 1;
            }
            let mut end = self.pos;
            if bytes[end - 1] == b',' {
                // Trailing commas end the candidate: it has no descriptors.
                while end > start && bytes[end - 1] == b',' {
                    end -= 1;
                }
                return Some(start..end);
            }
            if self.descriptors_valid() {
                return Some(start..end);
            }
        }
    }
}

/// What the descriptors of one candidate said so far (the standard's descriptor parser).
#[derive(Default)]
struct Descriptors {
    width: bool,
    density: bool,
    height: bool,
    error: bool,
}

impl Descriptors {
    /// Judge one descriptor (`100w`, `1.5x`, `50h`, anything else is an error).
    fn add(&mut self, d: &[u8]) {
        let Some((&kind, number)) = d.split_last() else {
            return;
        };
        match kind {
            b'w' if !self.width && !self.density && positive_integer(number) => self.width = true,
            b'x' if !self.width && !self.density && !self.height && float(number) => {
                self.density = true;
            }
            b'h' if !self.height && !self.density && positive_integer(number) => {
                self.height = true;
            }
            _ => self.error = true,
        }
    }

    /// The end of the candidate: `h` alone (without `w`) is an error too.
    fn valid(&self) -> bool {
        !self.error && (self.width || !self.height)
    }
}

impl Candidates<'_> {
    /// The descriptor tokenizer, from after the URL to the end of the candidate (after its
    /// comma): whether the candidate's descriptors are valid.
    fn descriptors_valid(&mut self) -> bool {
        let bytes = self.bytes;
        while bytes.get(self.pos).is_some_and(|&b| is_space(b)) {
            self.pos += 1;
        }
        let mut found = Descriptors::default();
        let mut current: Option<usize> = None; // where the current descriptor starts
        let mut in_parens = false;
        loop {
            let Some(&c) = bytes.get(self.pos) else {
                // EOF (also inside parentheses): the descriptor so far counts.
                if let Some(s) = current {
                    found.add(&bytes[s..self.pos]);
                }
                return found.valid();
            };
            if in_parens {
                in_parens = c != b')';
            } else if is_space(c) {
                if let Some(s) = current.take() {
                    found.add(&bytes[s..self.pos]);
                }
            } else if c == b',' {
                self.pos += 1;
                if let Some(s) = current {
                    found.add(&bytes[s..self.pos - 1]);
                }
                return found.valid();
            } else {
                current.get_or_insert(self.pos);
                in_parens = c == b'(';
            }
            self.pos += 1;
        }
    }
}

/// A valid non-negative integer greater than zero (the standard's `w` and `h` values).
fn positive_integer(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit) && s.iter().any(|&b| b != b'0')
}

/// A valid floating-point number that is not negative (the standard's `x` values).
fn float(s: &[u8]) -> bool {
    let (negative, s) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let int = digits(s);
    let mut i = int;
    let mut fraction = 0;
    if s.get(i) == Some(&b'.') {
        fraction = digits(&s[i + 1..]);
        if fraction == 0 {
            return false;
        }
        i += 1 + fraction;
    }
    if int == 0 && fraction == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exponent = digits(&s[i..]);
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    // A negative density is an error; `-0` is zero, which is not less than zero.
    i == s.len() && (!negative || s.iter().all(|&b| !b.is_ascii_digit() || b == b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(value: &str) -> Vec<&str> {
        candidates(value).map(|r| &value[r]).collect()
    }

    #[test]
    fn candidates_with_and_without_spaces_after_commas() {
        assert_eq!(
            urls("/a.png 1x, /b.png 2x,/c.png 3x"),
            ["/a.png", "/b.png", "/c.png"]
        );
        assert_eq!(urls("/a.png 100w,/b.png 200w"), ["/a.png", "/b.png"]);
        assert_eq!(urls("  /only.png  "), ["/only.png"]);
        assert_eq!(urls(""), Vec::<&str>::new());
        assert_eq!(urls(" , ,, "), Vec::<&str>::new());
    }

    #[test]
    fn a_url_ends_at_whitespace_and_trailing_commas_end_a_candidate() {
        // The standard's own examples: a comma inside a URL is part of it.
        assert_eq!(urls("a,b.png 1x"), ["a,b.png"]);
        assert_eq!(urls("/a.png,/b.png 2x"), ["/a.png,/b.png"]);
        assert_eq!(urls("/a.png, /b.png 2x"), ["/a.png", "/b.png"]);
        assert_eq!(urls("/a.png,, /b.png"), ["/a.png", "/b.png"]);
        assert_eq!(
            urls("data:image/png;base64,iVBO 1x, /b.png 2x"),
            ["data:image/png;base64,iVBO", "/b.png"]
        );
        assert_eq!(urls("/a.png 1x , /b.png 2x"), ["/a.png", "/b.png"]);
    }

    #[test]
    fn descriptors_are_read_as_the_standard_reads_them() {
        assert_eq!(
            urls("/a.png 1.5x, /b.png .5x, /c.png 1e1x"),
            ["/a.png", "/b.png", "/c.png"]
        );
        assert_eq!(urls("/a.png 100w 50h"), ["/a.png"]);
        // Parentheses keep their commas from splitting, but name no descriptor the standard knows.
        assert_eq!(urls("/a.png (x, y) 2x, /b.png"), ["/b.png"]);
        assert_eq!(urls("/a.png (unclosed"), Vec::<&str>::new());
        // Dropped: two densities, width and density, zero width, h without w, unknown, negative.
        for bad in [
            "/a.png 2x 3x",
            "/a.png 100w 2x",
            "/a.png 0w",
            "/a.png 50h",
            "/a.png big",
            "/a.png -1x",
            "/a.png 1.x",
            "/a.png x",
        ] {
            assert_eq!(urls(bad), Vec::<&str>::new(), "{bad}");
        }
        assert_eq!(urls("/a.png 2x 3x, /b.png 1x"), ["/b.png"]);
        assert_eq!(urls("/a.png -0x"), ["/a.png"]);
    }
}
