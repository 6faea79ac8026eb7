//! A JSON reader that keeps the byte span of every key and value.
//!
//! Why not a crate: `serde_json` drops positions, and the span-keeping readers we looked at
//! (`json-spanned-value`, `jsonc-parser`, `spanned_json_parser`) either recurse without a depth
//! limit (a stack overflow on 100,000 nested brackets in a 1 MiB wasm stack), stop at duplicate
//! keys without saying where the first one was, or bring parser-combinator dependencies that
//! cost more wasm than this file. This reader is small, never panics, limits nesting to
//! [`MAX_DEPTH`] with a diagnostic, and reports every duplicate key with both positions.

mod cursor;
mod parse;
mod tokens;
mod value;

pub use cursor::{cursor_at, JsonCursor, PathStep, Slot, StringAtCursor};
pub use parse::{parse_json, ParsedJson, MAX_DEPTH};
pub use tokens::{tokenize_json, JsonToken, JsonTokenKind};
pub use value::{escape_pointer_segment, JsonKind, JsonMember, JsonNumber, JsonValue};

use crate::Span;

/// Maps a byte offset inside the *decoded* content of a JSON string literal back to the byte
/// offset in the source text, so that diagnostics about embedded text (e.g. a CEL expression)
/// underline the exact characters even when the literal contains escapes.
///
/// `literal_span` is the span of the whole literal, quotes included (a [`JsonValue`]'s span).
/// Offsets past the end map to the closing quote.
pub fn decoded_offset_to_source(source: &str, literal_span: Span, decoded_offset: usize) -> u32 {
    decoded_offsets_to_source(source, literal_span, &[decoded_offset]).first().copied().unwrap_or(literal_span.start)
}

/// [`decoded_offset_to_source`] for many offsets in one pass over the literal (an editor maps
/// every token of an expression): `decoded_offsets` must be in ascending order; an offset
/// below its predecessor maps where its predecessor did.
pub fn decoded_offsets_to_source(source: &str, literal_span: Span, decoded_offsets: &[usize]) -> Vec<u32> {
    let Some(literal) = literal_span.slice(source) else {
        return vec![literal_span.start; decoded_offsets.len()];
    };
    let content_start = literal_span.start.saturating_add(1);
    let content = literal.strip_prefix('"').unwrap_or(literal);
    let content = content.strip_suffix('"').unwrap_or(content);
    let bytes = content.as_bytes();
    let mut raw = 0usize;
    let mut decoded = 0usize;
    let mut mapped = Vec::with_capacity(decoded_offsets.len());
    for &decoded_offset in decoded_offsets {
        while raw < bytes.len() && decoded < decoded_offset {
            let (raw_width, decoded_width) = match bytes.get(raw) {
                Some(b'\\') => match bytes.get(raw + 1) {
                    Some(b'u') => unicode_escape_widths(content, raw),
                    Some(_) => (2, 1),
                    None => (1, 1),
                },
                Some(_) => {
                    let width = content.get(raw..).and_then(|rest| rest.chars().next()).map_or(1, char::len_utf8);
                    (width, width)
                }
                None => break,
            };
            raw += raw_width;
            decoded += decoded_width;
        }
        mapped.push(content_start.saturating_add(u32::try_from(raw).unwrap_or(u32::MAX)));
    }
    mapped
}

/// Maps a span inside the decoded content of a JSON string back to source offsets.
pub fn decoded_span_to_source(source: &str, literal_span: Span, decoded: Span) -> Span {
    match decoded_offsets_to_source(source, literal_span, &[decoded.start as usize, decoded.end as usize]).as_slice() {
        [start, end] => Span::new(*start, *end),
        _ => Span::new(literal_span.start, literal_span.start),
    }
}

/// Raw and decoded widths of the `\uXXXX` escape (or surrogate pair) starting at `raw`.
fn unicode_escape_widths(content: &str, raw: usize) -> (usize, usize) {
    let hex = |at: usize| content.get(at..at + 4).and_then(|digits| u32::from_str_radix(digits, 16).ok());
    match hex(raw + 2) {
        Some(0xD800..=0xDBFF) => {
            if content.get(raw + 6..raw + 8) == Some("\\u") {
                if let Some(0xDC00..=0xDFFF) = hex(raw + 8) {
                    return (12, 4);
                }
            }
            (6, 3)
        }
        Some(code) => (6, char::from_u32(code).map_or(3, char::len_utf8)),
        None => (2, 1),
    }
}

/// Reads `text` with this reader into a `serde_json::Value`, for callers that go on with serde
/// (`serde_json::from_value`): the playground then compiles no second JSON text parser
/// (`serde_json::from_str`). Duplicate keys keep the last value, as `serde_json` does. A
/// syntax error comes back as its message and one-based line and column (in characters).
pub fn serde_value_from_text(text: &str) -> Result<serde_json::Value, String> {
    let parsed = parse_json(text);
    if let Some(value) = parsed.value {
        return Ok(value.to_serde());
    }
    let error = parsed.diagnostics.iter().find(|diagnostic| diagnostic.code != "json::duplicate-key");
    let message = error.map_or("invalid JSON", |diagnostic| diagnostic.message.as_str());
    let at = crate::LineIndex::new(text)
        .line_col_chars(text, error.and_then(crate::Diagnostic::primary_span).unwrap_or_default().start);
    Err(format!("{message} at line {} column {}", at.line + 1, at.col + 1))
}

#[cfg(test)]
mod tests;
