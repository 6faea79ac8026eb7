//! Where a cursor is in a JSON text that may be incomplete or invalid, which is the usual state
//! of a document while someone types it: the path from the root to the cursor, whether a key or
//! a value goes there, the string literal under it, and the keys its object already has.
//!
//! Why a scan and not [`super::parse_json`]: the reader stops at the first error and gives no
//! tree, and completion is asked for exactly when the text has one (`{"Eff` has no closing
//! quote). The scan keeps a stack of open containers, follows the reader's token rules
//! (strings end at `"` or at the end of the line, as the reader reports them), tolerates missing
//! commas and colons, and never recurses, so any prefix of any text is safe. String contents are
//! decoded by the reader itself.

use super::parse::parse_json;
use super::value::JsonKind;
use crate::Span;

/// One step of the path from the root to the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

/// What the cursor's position holds in the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// An object key: the cursor is in a key, or where the next key goes.
    Key,
    /// A value: the cursor is in a value, or where one goes (after `:`, in an array).
    Value,
    /// Neither (after a complete value with no comma yet, outside the root value).
    None,
}

/// The string literal the cursor is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringAtCursor {
    /// From the opening quote to the closing quote when there is one; otherwise from the
    /// opening quote to the end of the line (where the reader ends an unterminated string).
    pub span: Span,
    /// Whether the literal has its closing quote.
    pub closed: bool,
    /// The decoded content before the cursor (the raw text when it does not decode, e.g. a
    /// cursor inside an escape).
    pub before: String,
    /// The decoded content of the whole literal.
    pub content: String,
}

/// Where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonCursor {
    /// For [`Slot::Key`], the path of the object the key belongs to; for [`Slot::Value`], the
    /// path of the value itself (its member's key or its array index last).
    pub path: Vec<PathStep>,
    pub slot: Slot,
    /// The string literal under the cursor, if any.
    pub string: Option<StringAtCursor>,
    /// The bare word under the cursor (`tru`, `12`, an unquoted key), or an empty span at the
    /// cursor; for a string, the literal's span.
    pub token: Span,
    /// The keys of the innermost object holding the cursor, before and after it, without the
    /// key literal the cursor is in.
    pub sibling_keys: Vec<String>,
}

#[derive(Debug)]
enum ObjectState {
    /// A key or `}` comes next.
    Key,
    /// A key was read; `:` comes next.
    Colon,
    /// `:` was read; the value comes next.
    Value,
    /// A value was read; `,` or `}` comes next.
    Comma,
}

#[derive(Debug)]
enum Frame {
    Object { keys: Vec<String>, key: Option<String>, state: ObjectState },
    Array { index: usize, expecting_value: bool },
}

enum Token {
    Open(bool),
    Close,
    Colon,
    Comma,
    /// A string literal ending at the byte offset, and whether it has its closing quote.
    String(usize, bool),
    /// Any other run of characters: a number, a literal, a bare word.
    Word(usize),
}

/// Where `offset` (a byte offset, clamped to the text and to a character boundary) is in `text`.
pub fn cursor_at(text: &str, offset: usize) -> JsonCursor {
    let offset = crate::floor_char_boundary(text, offset.min(text.len()));
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root_done = false;
    let mut found: Option<(JsonCursor, usize)> = None;
    // The key literal at the cursor: not a sibling of itself.
    let mut own_key_start: Option<usize> = None;
    let mut position = if text.starts_with('\u{feff}') { 3 } else { 0 };
    loop {
        while matches!(bytes.get(position), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            position += 1;
        }
        let start = position;
        let token = bytes.get(start).map(|byte| match byte {
            b'{' => Token::Open(true),
            b'[' => Token::Open(false),
            b'}' | b']' => Token::Close,
            b':' => Token::Colon,
            b',' => Token::Comma,
            b'"' => {
                let (end, closed) = string_end(bytes, start);
                Token::String(end, closed)
            }
            _ => Token::Word(word_end(text, start)),
        });
        let end = match &token {
            Some(Token::String(end, _) | Token::Word(end)) => *end,
            Some(_) => start + 1,
            None => start,
        };
        if found.is_none() {
            let inside = match &token {
                Some(Token::String(_, closed)) => start < offset && (offset < end || (!closed && offset <= end)),
                Some(Token::Word(_)) => start < offset && offset <= end,
                _ => false,
            };
            if offset <= start || inside || token.is_none() {
                let cursor = describe(text, &stack, root_done, token.as_ref(), (start, end), offset, inside);
                if inside && matches!(token, Some(Token::String(..)) | Some(Token::Word(_))) && cursor.slot == Slot::Key
                {
                    own_key_start = Some(start);
                }
                found = Some((cursor, stack.len()));
            }
        }
        let Some(token) = token else { break };
        position = end;
        match token {
            Token::Open(is_object) => {
                value_read(&mut stack);
                stack.push(if is_object {
                    Frame::Object { keys: Vec::new(), key: None, state: ObjectState::Key }
                } else {
                    Frame::Array { index: 0, expecting_value: true }
                });
            }
            Token::Close => {
                let frame = stack.pop();
                if let (Some(frame), Some((cursor, depth))) = (frame, found.as_mut()) {
                    // The cursor's container closes: its keys are complete.
                    if stack.len() + 1 == *depth {
                        if let Frame::Object { keys, .. } = frame {
                            cursor.sibling_keys = keys;
                        }
                        return finish(found);
                    }
                }
                if stack.is_empty() {
                    root_done = true;
                }
                // The closed container was the value of its parent's member or item.
                mark_value_done(&mut stack);
            }
            Token::Colon => {
                if let Some(Frame::Object { state, .. }) = stack.last_mut() {
                    *state = ObjectState::Value;
                }
            }
            Token::Comma => match stack.last_mut() {
                Some(Frame::Object { state, key, .. }) => {
                    *state = ObjectState::Key;
                    *key = None;
                }
                Some(Frame::Array { index, expecting_value }) => {
                    *index += 1;
                    *expecting_value = true;
                }
                None => {}
            },
            Token::String(..) | Token::Word(_) => {
                let is_key = matches!(
                    stack.last(),
                    Some(Frame::Object { state: ObjectState::Key | ObjectState::Colon | ObjectState::Comma, .. })
                );
                if is_key {
                    let literal = text.get(start..end).unwrap_or("");
                    let key = match literal.strip_prefix('"') {
                        Some(inner) if matches!(token, Token::String(_, true)) => {
                            decode_content(inner.strip_suffix('"').unwrap_or(inner))
                        }
                        Some(inner) => decode_content(inner),
                        None => literal.to_owned(),
                    };
                    if let Some(Frame::Object { keys, key: current, state }) = stack.last_mut() {
                        if own_key_start != Some(start) {
                            keys.push(key.clone());
                        }
                        *current = Some(key);
                        *state = ObjectState::Colon;
                    }
                } else {
                    value_read(&mut stack);
                    mark_value_done(&mut stack);
                    if stack.is_empty() {
                        root_done = true;
                    }
                }
            }
        }
    }
    // The end of the text: the cursor's object is still open, with the keys read so far.
    if let Some((cursor, depth)) = found.as_mut() {
        if let Some(Frame::Object { keys, .. }) = stack.get(depth.wrapping_sub(1)) {
            cursor.sibling_keys.clone_from(keys);
        }
    }
    finish(found)
}

fn finish(found: Option<(JsonCursor, usize)>) -> JsonCursor {
    found.map_or(
        JsonCursor {
            path: Vec::new(),
            slot: Slot::None,
            string: None,
            token: Span::default(),
            sibling_keys: Vec::new(),
        },
        |(cursor, _)| cursor,
    )
}

/// A value starts in the innermost container (a missing comma between items is forgiven).
fn value_read(stack: &mut [Frame]) {
    if let Some(Frame::Array { index, expecting_value }) = stack.last_mut() {
        if !*expecting_value {
            *index += 1;
        }
        *expecting_value = false;
    }
}

/// The innermost container's member or item has its value.
fn mark_value_done(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Object { state, .. }) => *state = ObjectState::Comma,
        Some(Frame::Array { expecting_value, .. }) => *expecting_value = false,
        None => {}
    }
}

/// The cursor's description, from the scan's state just before the token at `start`.
fn describe(
    text: &str,
    stack: &[Frame],
    root_done: bool,
    token: Option<&Token>,
    (start, end): (usize, usize),
    offset: usize,
    inside: bool,
) -> JsonCursor {
    let mut path: Vec<PathStep> = Vec::new();
    let frames = stack.len();
    for frame in stack.iter().take(frames.saturating_sub(1)) {
        path.push(step_into(frame));
    }
    let slot = match stack.last() {
        None if root_done => Slot::None,
        None => Slot::Value,
        Some(Frame::Object { state: ObjectState::Key, .. }) => Slot::Key,
        // In a literal after a key with no `:` or after a value with no `,`: still a key
        // being typed (the comma or colon comes later).
        Some(Frame::Object { state: ObjectState::Colon | ObjectState::Comma, .. }) if inside => Slot::Key,
        Some(Frame::Object { state: ObjectState::Value, .. }) => Slot::Value,
        Some(Frame::Object { .. }) => Slot::None,
        Some(Frame::Array { expecting_value, .. }) if *expecting_value || inside => Slot::Value,
        Some(Frame::Array { .. }) => Slot::None,
    };
    if slot == Slot::Value {
        if let Some(frame) = stack.last() {
            let mut step = step_into(frame);
            if let (PathStep::Index(index), Frame::Array { expecting_value: false, .. }) = (&mut step, frame) {
                // A token right after an item with no comma is a new item.
                *index += 1;
            }
            path.push(step);
        }
    }
    let (string, token_span) = match token {
        Some(Token::String(_, closed)) if inside => {
            let span = Span::from_usize(start, end);
            let literal = text.get(start..end).unwrap_or("");
            let content = literal.get(1..literal.len().saturating_sub(usize::from(*closed))).unwrap_or("");
            let before = text.get(start + 1..offset).unwrap_or("");
            let string = StringAtCursor {
                span,
                closed: *closed,
                before: decode_content(before),
                content: decode_content(content),
            };
            (Some(string), span)
        }
        Some(Token::Word(_)) if inside => (None, Span::from_usize(start, end)),
        _ => (None, Span::from_usize(offset, offset)),
    };
    JsonCursor { path, slot, string, token: token_span, sibling_keys: Vec::new() }
}

fn step_into(frame: &Frame) -> PathStep {
    match frame {
        Frame::Object { key, .. } => PathStep::Key(key.clone().unwrap_or_default()),
        Frame::Array { index, .. } => PathStep::Index(*index),
    }
}

/// The end of the string literal opening at `start`, and whether it is closed: the reader's
/// rule, an unescaped `"` or the end of the line.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => return (at + 1, true),
            b'\\' if matches!(bytes.get(at + 1), Some(byte) if *byte != b'\n' && *byte != b'\r') => at += 2,
            b'\n' | b'\r' => return (at, false),
            _ => at += 1,
        }
    }
    (bytes.len().min(at), false)
}

/// The end of a bare word: up to whitespace or a structural character; at least one character.
fn word_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let length = rest
        .char_indices()
        .find(|(_, ch)| matches!(ch, ' ' | '\t' | '\n' | '\r' | '{' | '}' | '[' | ']' | ':' | ',' | '"'))
        .map_or(rest.len(), |(at, _)| at);
    let first = rest.chars().next().map_or(0, char::len_utf8);
    start + length.max(first)
}

/// The decoded content of a string literal's `content` (without its quotes), decoded by the
/// reader; the raw content when it does not decode (a cursor inside an escape).
fn decode_content(content: &str) -> String {
    let quoted = format!("\"{content}\"");
    match parse_json(&quoted).value.map(|value| value.kind) {
        Some(JsonKind::String(decoded)) => decoded.into_owned(),
        _ => content.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Describes the cursor at `§` of `input` as `slot path [token] siblings`, compared with
    /// `expect`.
    fn check(input: &str, expect: &str) {
        let offset = input.find('§').unwrap();
        let text = input.replacen('§', "", 1);
        let cursor = cursor_at(&text, offset);
        let path: Vec<String> = cursor
            .path
            .iter()
            .map(|step| match step {
                PathStep::Key(key) => key.clone(),
                PathStep::Index(index) => index.to_string(),
            })
            .collect();
        let token = cursor.token.slice(&text).unwrap_or("?");
        let string = cursor.string.as_ref().map_or(String::new(), |string| {
            format!(" before={:?} content={:?} closed={}", string.before, string.content, string.closed)
        });
        let actual =
            format!("{:?} /{} [{token}]{string} keys={}", cursor.slot, path.join("/"), cursor.sibling_keys.join(","));
        assert_eq!(actual, expect, "\ninput: {input}");
    }

    #[test]
    fn keys_and_values_in_complete_documents() {
        check(r#"{"a": 1, "b§": 2, "c": 3}"#, r#"Key / ["b"] before="b" content="b" closed=true keys=a,c"#);
        check(r#"{"a": {"x": [1, "y§"]}}"#, r#"Value /a/x/1 ["y"] before="y" content="y" closed=true keys="#);
        check(r#"{"a": §1}"#, r#"Value /a [] keys=a"#);
        check(r#"{"a": 1§}"#, r#"Value /a [1] keys=a"#);
        check(r#"{"a": 1 §}"#, r#"None / [] keys=a"#);
        check(r#"{"a": [{}, {§}]}"#, r#"Key /a/1 [] keys="#);
        check(r#"§{}"#, r#"Value / [] keys="#);
        check(r#"{} §"#, r#"None / [] keys="#);
    }

    #[test]
    fn incomplete_text_while_typing() {
        check("{\n  \"§\n}", r#"Key / ["] before="" content="" closed=false keys="#);
        check(
            r#"{"Statement": [{"Effect": "Al§"#,
            r#"Value /Statement/0/Effect ["Al] before="Al" content="Al" closed=false keys=Effect"#,
        );
        check(r#"{"a": 1 "b§"#, r#"Key / ["b] before="b" content="b" closed=false keys=a"#);
        check(r#"{"a" "b": [1 2§"#, r#"Value /b/1 [2] keys="#);
        check(r#"{"a": tr§ue, "b": 1}"#, r#"Value /a [true] keys=a,b"#);
        check(r#"{unq§"#, r#"Key / [unq] keys="#);
        check(r#"{"x": "a\"b§"#, r#"Value /x ["a\"b] before="a\"b" content="a\"b" closed=false keys=x"#);
        check(r#"{"x": "a\u00e9§ b"}"#, r#"Value /x ["a\u00e9 b"] before="aé" content="aé b" closed=true keys=x"#);
        check(r#"{"x": "a\u00§"}"#, r#"Value /x ["a\u00"] before="a\\u00" content="a\\u00" closed=true keys=x"#);
        // A mismatched bracket still closes a container.
        check(r#"{"a": [1}, "b": 2, §"#, r#"Key / [] keys=a,b"#);
    }

    #[test]
    fn every_offset_of_every_prefix_is_safe() {
        let text = "\u{feff}{\"a\": [1, {\"b\\\"\": \"é\\u00e9\"}, tru], 'x' : }}]] \"\n\"";
        for end in (0..=text.len()).filter(|at| text.is_char_boundary(*at)) {
            let prefix = text.get(..end).unwrap();
            for offset in 0..=end + 1 {
                let cursor = cursor_at(prefix, offset);
                assert!(cursor.token.end as usize <= prefix.len());
                assert!(prefix.is_char_boundary(cursor.token.start as usize));
            }
        }
    }
}
