//! The token stream of a JSON text, for editors: highlighting and bracket matching need every
//! token of a document that does not read yet (the reader stops at the first syntax error),
//! so this scan never stops. Strings and numbers are read with the reader's own rules
//! (`parse::read_string_at`, `parse::read_number_at`): a literal the reader refuses is an
//! [`JsonTokenKind::Invalid`] token here, never a second opinion.

use super::parse::{read_number_at, read_string_at};
use crate::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonTokenKind {
    BeginObject,
    EndObject,
    BeginArray,
    EndArray,
    Colon,
    Comma,
    /// A string literal, with its decoded text.
    String(String),
    Number,
    True,
    False,
    Null,
    /// Text that is no JSON token: a bare word, a comment, a broken string or number. A broken
    /// string runs to its closing quote or the end of its line, so that one bad escape does not
    /// turn the rest of the line into tokens.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonToken {
    pub kind: JsonTokenKind,
    pub span: Span,
}

/// Every token of `text` in order, whitespace left out. Never fails: what is not JSON becomes
/// [`JsonTokenKind::Invalid`] tokens. A leading byte-order mark is skipped, as the reader does.
pub fn tokenize_json(text: &str) -> Vec<JsonToken> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while let Some(&byte) = bytes.get(at) {
        let start = at;
        let punctuation = match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {
                at += 1;
                continue;
            }
            b'{' => Some(JsonTokenKind::BeginObject),
            b'}' => Some(JsonTokenKind::EndObject),
            b'[' => Some(JsonTokenKind::BeginArray),
            b']' => Some(JsonTokenKind::EndArray),
            b':' => Some(JsonTokenKind::Colon),
            b',' => Some(JsonTokenKind::Comma),
            _ => None,
        };
        let (kind, end) = if let Some(kind) = punctuation {
            (kind, start + 1)
        } else if byte == b'"' {
            match read_string_at(text, start) {
                Some((decoded, span)) => (JsonTokenKind::String(decoded), span.end as usize),
                None => (JsonTokenKind::Invalid, broken_string_end(bytes, start)),
            }
        } else if byte == b'-' || byte.is_ascii_digit() {
            match read_number_at(text, start) {
                Ok(span) => (JsonTokenKind::Number, span.end as usize),
                Err(span) => (JsonTokenKind::Invalid, span.end as usize),
            }
        } else {
            let word_end = start
                + bytes.get(start..).map_or(0, |rest| {
                    rest.iter().take_while(|byte| byte.is_ascii_alphanumeric() || **byte == b'_').count()
                });
            match text.get(start..word_end) {
                Some("true") => (JsonTokenKind::True, word_end),
                Some("false") => (JsonTokenKind::False, word_end),
                Some("null") => (JsonTokenKind::Null, word_end),
                _ if word_end > start => (JsonTokenKind::Invalid, word_end),
                // One character that starts no token, whole even when it is multi-byte.
                _ => {
                    let width = text.get(start..).and_then(|rest| rest.chars().next()).map_or(1, char::len_utf8);
                    (JsonTokenKind::Invalid, start + width)
                }
            }
        };
        // Every branch moves forward, so the scan ends; the guard keeps that true by construction.
        at = end.max(start + 1).min(bytes.len());
        tokens.push(JsonToken { kind, span: Span::from_usize(start, at) });
    }
    tokens
}

/// Where a string the reader refused ends for the token stream: after its closing quote, or at
/// the end of its line.
fn broken_string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => return at + 1,
            b'\n' | b'\r' => return at,
            // An escape's second byte is never a closing quote; a multi-byte character's bytes
            // are all >= 0x80, so stepping over one byte keeps `at` on ASCII decisions only.
            b'\\' if bytes.get(at + 1).is_some_and(|next| *next != b'\n' && *next != b'\r') => at += 2,
            _ => at += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One token per line: its kind and its text.
    fn check(input: &str, expect: &str) {
        let rendered: Vec<String> = tokenize_json(input)
            .iter()
            .map(|token| {
                let kind = match &token.kind {
                    JsonTokenKind::String(decoded) => format!("String({decoded})"),
                    other => format!("{other:?}"),
                };
                format!("{kind} {}", token.span.slice(input).unwrap_or("<bad span>"))
            })
            .collect();
        assert_eq!(rendered.join("\n"), expect.trim(), "\ninput: {input}");
    }

    #[test]
    fn well_formed_text() {
        check(
            r#"{"a\u00e9": [1, -2.5e3, true, null], "b": false}"#,
            r#"
BeginObject {
String(aé) "a\u00e9"
Colon :
BeginArray [
Number 1
Comma ,
Number -2.5e3
Comma ,
True true
Comma ,
Null null
EndArray ]
Comma ,
String(b) "b"
Colon :
False false
EndObject }
"#,
        );
    }

    #[test]
    fn broken_text_keeps_going() {
        check(
            "{\"a\\d\": 01, x // é\n\"open\n]}",
            r#"
BeginObject {
Invalid "a\d"
Colon :
Invalid 01
Comma ,
Invalid x
Invalid /
Invalid /
Invalid é
Invalid "open
EndArray ]
EndObject }
"#,
        );
        check("\u{feff}\"", "Invalid \"");
        check("", "");
    }
}
