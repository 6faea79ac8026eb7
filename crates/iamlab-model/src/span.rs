use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into the text a diagnostic or node belongs to.
///
/// Offsets are `u32` because no input the playground accepts is larger than 4 GiB and the
/// smaller type halves the size of every syntax tree node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        if end < start {
            Span { start: end, end: start }
        } else {
            Span { start, end }
        }
    }

    /// Builds a span from `usize` offsets, saturating at `u32::MAX` instead of wrapping.
    pub fn from_usize(start: usize, end: usize) -> Span {
        Span::new(saturate(start), saturate(end))
    }

    pub fn empty_at(offset: u32) -> Span {
        Span { start: offset, end: offset }
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The text under the span, or `None` when the span does not fall on char boundaries of `text`.
    pub fn slice(self, text: &str) -> Option<&str> {
        text.get(self.range())
    }
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
