use serde::{Deserialize, Serialize};

/// A zero-based line and column. What the column counts depends on the method that made it:
/// UTF-8 bytes, Unicode scalar values (for terminals) or UTF-16 code units (for the browser).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Converts byte offsets of one text to lines and columns and back.
///
/// Built once per text (O(n)), each lookup is a binary search over line starts. Lines end at
/// `\n`; a `\r` before it belongs to the line's content, as editors display it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    text_len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(offset, _)| u32::try_from(offset + 1).unwrap_or(u32::MAX)),
        );
        LineIndex { line_starts, text_len: u32::try_from(text.len()).unwrap_or(u32::MAX) }
    }

    /// The byte offset where zero-based `line` starts, if the line exists.
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts.get(line as usize).copied()
    }

    /// The byte range of zero-based `line`, without its `\n`.
    pub fn line_range(&self, line: u32) -> Option<std::ops::Range<usize>> {
        let start = self.line_start(line)?;
        let end = match self.line_start(line + 1) {
            Some(next) => next.saturating_sub(1),
            None => self.text_len,
        };
        Some(start as usize..end as usize)
    }

    /// Line and UTF-8 byte column of `offset` (clamped to the text's length).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(self.text_len);
        let line = self.line_starts.partition_point(|start| *start <= offset).saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        LineCol { line: u32::try_from(line).unwrap_or(u32::MAX), col: offset - start }
    }

    /// Line and column counted in Unicode scalar values, as terminals and rustc show them.
    /// `text` must be the text the index was built from.
    pub fn line_col_chars(&self, text: &str, offset: u32) -> LineCol {
        self.line_col_counted(text, offset, |_| 1)
    }

    /// Line and column counted in UTF-16 code units, as the browser's `selectionStart` and
    /// `setSelectionRange` count them. `text` must be the text the index was built from.
    pub fn line_col_utf16(&self, text: &str, offset: u32) -> LineCol {
        self.line_col_counted(text, offset, |ch| u32::try_from(ch.len_utf16()).unwrap_or(2))
    }

    fn line_col_counted(&self, text: &str, offset: u32, width: impl Fn(char) -> u32) -> LineCol {
        let LineCol { line, col } = self.line_col(offset);
        let start = self.line_start(line).unwrap_or(0) as usize;
        let end = start + col as usize;
        let prefix = text.get(start..floor_char_boundary(text, end)).unwrap_or("");
        LineCol { line, col: prefix.chars().map(width).sum() }
    }
}

/// Converts a UTF-8 byte offset of `text` to a UTF-16 code unit offset (what browser text APIs
/// expect), without building a line index.
pub fn utf8_to_utf16_offset(text: &str, offset: u32) -> u32 {
    let end = floor_char_boundary(text, offset as usize);
    text.get(..end).unwrap_or("").chars().map(|ch| u32::try_from(ch.len_utf16()).unwrap_or(2)).sum()
}

/// Converts a UTF-16 code unit offset (from the browser) to a UTF-8 byte offset of `text`.
pub fn utf16_to_utf8_offset(text: &str, offset_utf16: u32) -> u32 {
    let mut units = 0u32;
    for (index, ch) in text.char_indices() {
        if units >= offset_utf16 {
            return u32::try_from(index).unwrap_or(u32::MAX);
        }
        units += u32::try_from(ch.len_utf16()).unwrap_or(2);
    }
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

/// The largest character boundary of `text` at or before byte `index` (the text's length past
/// its end): where a span that may fall inside a character is safe to cut.
pub fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, offset: u32, expect_utf8: (u32, u32), expect_utf16: (u32, u32)) {
        let index = LineIndex::new(text);
        let utf8 = index.line_col(offset);
        assert_eq!((utf8.line, utf8.col), expect_utf8, "utf-8 position of {offset} in {text:?}");
        let utf16 = index.line_col_utf16(text, offset);
        assert_eq!((utf16.line, utf16.col), expect_utf16, "utf-16 position of {offset} in {text:?}");
    }

    #[test]
    fn ascii_lines() {
        check("ab\ncd\n", 0, (0, 0), (0, 0));
        check("ab\ncd\n", 2, (0, 2), (0, 2));
        check("ab\ncd\n", 3, (1, 0), (1, 0));
        check("ab\ncd\n", 5, (1, 2), (1, 2));
        check("ab\ncd\n", 6, (2, 0), (2, 0));
    }

    #[test]
    fn multibyte_columns() {
        // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 UTF-16 units.
        check("é😀x", 2, (0, 2), (0, 1));
        check("é😀x", 6, (0, 6), (0, 3));
        check("a\r\n😀b", 7, (1, 4), (1, 2));
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let index = LineIndex::new("ab");
        assert_eq!(index.line_col(99), LineCol { line: 0, col: 2 });
    }

    #[test]
    fn utf16_offsets_round_trip() {
        let text = "{\"a\": \"😀\", \"é\": 1}";
        for (offset, _) in text.char_indices() {
            let offset = u32::try_from(offset).unwrap_or(0);
            assert_eq!(utf16_to_utf8_offset(text, utf8_to_utf16_offset(text, offset)), offset);
        }
    }
}
