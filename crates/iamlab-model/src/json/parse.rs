use super::value::{escape_pointer_segment, JsonKind, JsonMember, JsonNumber, JsonValue};
use crate::{Diagnostic, Fix, Span};
use std::borrow::Cow;
use std::collections::HashMap;

/// How deeply arrays and objects may nest. Policies nest a handful of levels; the limit keeps
/// the reader (and every recursive consumer of its tree, including `Drop`) far from the stack's
/// end in a 1 MiB wasm stack. serde_json uses 128 for the same reason.
pub const MAX_DEPTH: usize = 128;

/// The reader's result: the tree when the text is well-formed, and every finding.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedJson<'text> {
    /// `None` when the text has a syntax error: the reader does not guess a tree.
    pub value: Option<JsonValue<'text>>,
    /// Syntax errors (at most one: the reader stops there) and duplicate keys (all of them).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `text` as one JSON value (RFC 8259). A leading byte-order mark is skipped.
pub fn parse_json(text: &str) -> ParsedJson<'_> {
    let mut reader = Reader::new(text, 0);
    if text.starts_with('\u{feff}') {
        reader.position = 3;
    }
    let value = reader.document();
    ParsedJson { value, diagnostics: reader.diagnostics }
}

/// Reads the string literal whose opening quote is at `start` with the reader's own rules (the
/// token stream of [`super::tokens`] shares them): its decoded text and span, or `None` when it
/// is not a valid literal.
pub(super) fn read_string_at(text: &str, start: usize) -> Option<(String, Span)> {
    let mut reader = Reader::new(text, start);
    reader.string().ok().map(|(decoded, span)| (decoded.into_owned(), span))
}

/// The span of the number starting at `start`, read with the reader's own rules: `Ok` when it
/// is a valid JSON number, `Err` with the extent of the invalid one.
pub(super) fn read_number_at(text: &str, start: usize) -> Result<Span, Span> {
    let mut reader = Reader::new(text, start);
    match reader.number() {
        Ok(value) => Ok(value.span),
        Err(Stop) => {
            let end = reader
                .diagnostics
                .first()
                .and_then(Diagnostic::primary_span)
                .map_or(start + 1, |span| span.end as usize);
            Err(Span::from_usize(start, end.max(start + 1).min(text.len())))
        }
    }
}

/// How many bytes at the start of `bytes` a string literal takes as they are (no quote, no
/// backslash, no control character). Eight bytes are looked at together (the classic test of a
/// word for a zero or a small byte), then the last word byte by byte: most of a policy's bytes
/// are in strings, and this loop is most of reading them.
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let special = |byte: &u8| *byte == b'"' || *byte == b'\\' || *byte < 0x20;
    let mut plain = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk).map(u64::from_le_bytes) else { break };
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let found = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word);
        if found & HIGH != 0 {
            break;
        }
        plain += 8;
    }
    let rest = bytes.get(plain..).unwrap_or(&[]);
    plain + rest.iter().position(special).unwrap_or(rest.len())
}

/// Why reading stopped; the diagnostic is already recorded.
struct Stop;

/// One step of the path to the value being read. A key is kept as the offset of its literal and
/// decoded again only when a diagnostic needs the pointer: reading a document then allocates
/// nothing for paths (a simulation reads every policy for each request).
#[derive(Clone, Copy)]
enum Segment {
    /// The key whose string literal opens at this byte offset.
    Key(usize),
    Index(usize),
}

/// Objects of up to this many members look a repeated key up among the members read so far;
/// larger ones keep an index of their keys, so that a pasted object of thousands of keys stays
/// linear while the few keys of a policy object cost no map.
const LINEAR_KEY_SEARCH: usize = 16;

type Read<T> = Result<T, Stop>;

struct Reader<'text> {
    text: &'text str,
    bytes: &'text [u8],
    position: usize,
    /// JSON pointer segments of the value being read, for diagnostics' `path`.
    path: Vec<Segment>,
    diagnostics: Vec<Diagnostic>,
}

impl<'text> Reader<'text> {
    fn new(text: &'text str, position: usize) -> Reader<'text> {
        Reader { text, bytes: text.as_bytes(), position, path: Vec::new(), diagnostics: Vec::new() }
    }
    fn document(&mut self) -> Option<JsonValue<'text>> {
        self.skip_whitespace().ok()?;
        if self.position >= self.bytes.len() {
            self.diagnostics.push(
                Diagnostic::error("json::empty-input", "expected a JSON value, found nothing")
                    .with_primary(self.span_here(), "the document is empty")
                    .with_help("start with `{` to write an object"),
            );
            return None;
        }
        let value = self.value(0).ok()?;
        self.skip_whitespace().ok()?;
        if self.position < self.bytes.len() {
            let span = Span::from_usize(self.position, self.bytes.len());
            self.diagnostics.push(
                Diagnostic::error("json::trailing-content", "unexpected content after the JSON value")
                    .with_primary(span, "nothing may follow the top-level value")
                    .with_secondary(value.span, "the value ends here")
                    .with_help("a document holds exactly one value; wrap several values in an array `[...]`"),
            );
            return None;
        }
        Some(value)
    }

    fn value(&mut self, depth: usize) -> Read<JsonValue<'text>> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let (text, span) = self.string()?;
                Ok(JsonValue { span, kind: JsonKind::String(text) })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.keyword("true", JsonKind::Bool(true)),
            Some(b'f') => self.keyword("false", JsonKind::Bool(false)),
            Some(b'n') => self.keyword("null", JsonKind::Null),
            Some(_) => Err(self.unexpected("a value")),
            None => Err(self.unexpected_end("a value", None)),
        }
    }

    fn object(&mut self, depth: usize) -> Read<JsonValue<'text>> {
        let open = self.position;
        self.check_depth(depth)?;
        self.position += 1;
        let mut members: Vec<JsonMember<'text>> = Vec::new();
        // Built only once the object has more than `LINEAR_KEY_SEARCH` members.
        let mut key_index: Option<HashMap<Cow<'text, str>, Span>> = None;
        self.skip_whitespace()?;
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(JsonValue { span: Span::from_usize(open, self.position), kind: JsonKind::Object(members) });
        }
        loop {
            self.skip_whitespace()?;
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !members.is_empty() => return Err(self.trailing_comma()),
                Some(b'\'') => return Err(self.single_quote()),
                Some(byte) if byte.is_ascii_alphabetic() || byte == b'_' => {
                    let end = self.identifier_end();
                    let span = Span::from_usize(self.position, end);
                    return Err(self.stop(
                        Diagnostic::error("json::unquoted-key", "object keys must be strings in double quotes")
                            .with_primary(span, "unquoted key")
                            .with_help(format!("write `\"{}\"`", self.text.get(self.position..end).unwrap_or(""))),
                    ));
                }
                None => return Err(self.unexpected_end("a key or `}`", Some(open))),
                Some(_) => return Err(self.unexpected("a key in double quotes")),
            }
            let key_start = self.position;
            let (key, key_span) = self.string()?;
            let first = match &key_index {
                Some(index) => index.get(&key).copied(),
                None => members.iter().find(|member| member.key == key).map(|member| member.key_span),
            };
            if let Some(first) = first {
                let mut path = self.pointer();
                path.push('/');
                path.push_str(&escape_pointer_segment(&key));
                self.diagnostics.push(
                    Diagnostic::error("json::duplicate-key", format!("duplicate key `{key}`"))
                        .with_primary(key_span, "this key is repeated")
                        .with_secondary(first, "first defined here")
                        .with_help("keep one of them: readers disagree about which value wins (most keep the last)")
                        .with_path(path),
                );
            }
            self.skip_whitespace()?;
            match self.peek() {
                Some(b':') => self.position += 1,
                Some(b'=') => {
                    return Err(self.stop(
                        Diagnostic::error("json::expected-colon", "expected `:` after the key, found `=`")
                            .with_primary(self.span_of_char(), "`=` is not JSON")
                            .with_help("separate a key from its value with `:`"),
                    ))
                }
                None => return Err(self.unexpected_end("`:`", Some(open))),
                Some(_) => return Err(self.unexpected("`:` after the key")),
            }
            self.skip_whitespace()?;
            self.path.push(Segment::Key(key_start));
            let value = self.value(depth + 1);
            self.path.pop();
            if let Some(index) = key_index.as_mut() {
                index.entry(key.clone()).or_insert(key_span);
            }
            members.push(JsonMember { key, key_span, value: value? });
            if key_index.is_none() && members.len() > LINEAR_KEY_SEARCH {
                let mut index = HashMap::with_capacity(members.len() * 2);
                for member in &members {
                    index.entry(member.key.clone()).or_insert(member.key_span);
                }
                key_index = Some(index);
            }
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b'}') => {
                    self.position += 1;
                    return Ok(JsonValue {
                        span: Span::from_usize(open, self.position),
                        kind: JsonKind::Object(members),
                    });
                }
                None => return Err(self.unexpected_end("`,` or `}`", Some(open))),
                Some(b'"') => return Err(self.missing_comma("members")),
                Some(_) => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Read<JsonValue<'text>> {
        let open = self.position;
        self.check_depth(depth)?;
        self.position += 1;
        let mut items = Vec::new();
        self.skip_whitespace()?;
        if self.peek() == Some(b']') {
            self.position += 1;
            return Ok(JsonValue { span: Span::from_usize(open, self.position), kind: JsonKind::Array(items) });
        }
        loop {
            self.skip_whitespace()?;
            match self.peek() {
                Some(b']') if !items.is_empty() => return Err(self.trailing_comma()),
                Some(b'\'') => return Err(self.single_quote()),
                None => return Err(self.unexpected_end("a value or `]`", Some(open))),
                _ => {}
            }
            self.path.push(Segment::Index(items.len()));
            let item = self.value(depth + 1);
            self.path.pop();
            items.push(item?);
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b']') => {
                    self.position += 1;
                    return Ok(JsonValue { span: Span::from_usize(open, self.position), kind: JsonKind::Array(items) });
                }
                None => return Err(self.unexpected_end("`,` or `]`", Some(open))),
                Some(b'"' | b'{' | b'[' | b'0'..=b'9' | b'-' | b't' | b'f' | b'n') => {
                    return Err(self.missing_comma("elements"))
                }
                Some(_) => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    /// Reads a string literal at the cursor; returns its decoded text (borrowed from the source
    /// when it has no escape) and its span with quotes.
    fn string(&mut self) -> Read<(Cow<'text, str>, Span)> {
        let open = self.position;
        self.position += 1;
        // Most strings have no escape: their text is the source's, and nothing is copied.
        self.position += plain_run(self.bytes.get(self.position..).unwrap_or(&[]));
        if self.peek() == Some(b'"') {
            let content = self.text.get(open + 1..self.position).unwrap_or("");
            self.position += 1;
            return Ok((Cow::Borrowed(content), Span::from_usize(open, self.position)));
        }
        let mut decoded = String::new();
        self.position = open + 1;
        loop {
            let chunk_start = self.position;
            self.position += plain_run(self.bytes.get(self.position..).unwrap_or(&[]));
            decoded.push_str(self.text.get(chunk_start..self.position).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.position += 1;
                    return Ok((Cow::Owned(decoded), Span::from_usize(open, self.position)));
                }
                Some(b'\\') => self.escape(&mut decoded)?,
                Some(b'\n' | b'\r') | None => {
                    return Err(self.stop(
                        Diagnostic::error("json::unterminated-string", "unterminated string")
                            .with_primary(Span::from_usize(open, self.position), "this string has no closing `\"`")
                            .with_help(
                                "close the string with `\"` before the end of the line; write a line break as `\\n`",
                            ),
                    ))
                }
                Some(byte) => {
                    return Err(self.stop(
                        Diagnostic::error(
                            "json::control-character",
                            format!("control character U+{byte:04X} is not allowed in a string"),
                        )
                        .with_primary(self.span_of_char(), "control character")
                        .with_help("escape it, e.g. `\\t` for a tab"),
                    ))
                }
            }
        }
    }

    fn escape(&mut self, decoded: &mut String) -> Read<()> {
        let start = self.position;
        let Some(&kind) = self.bytes.get(self.position + 1) else {
            return Err(self.unexpected_end("an escape sequence", None));
        };
        self.position += 2;
        let simple = match kind {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            _ => None,
        };
        if let Some(ch) = simple {
            decoded.push(ch);
            return Ok(());
        }
        if kind != b'u' {
            let span = Span::from_usize(start, self.char_end(start + 1));
            return Err(self.stop(
                Diagnostic::error("json::invalid-escape", "invalid escape sequence")
                    .with_primary(span, "not a JSON escape")
                    .with_help("JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash as `\\\\`"),
            ));
        }
        let high = self.hex4(start)?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if self.bytes.get(self.position) == Some(&b'\\') && self.bytes.get(self.position + 1) == Some(&b'u') {
                let low_start = self.position;
                self.position += 2;
                let low = self.hex4(low_start)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return Err(self.lone_surrogate(start));
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            } else {
                return Err(self.lone_surrogate(start));
            }
        } else if (0xDC00..0xE000).contains(&high) {
            return Err(self.lone_surrogate(start));
        } else {
            high
        };
        match char::from_u32(code) {
            Some(ch) => decoded.push(ch),
            None => return Err(self.lone_surrogate(start)),
        }
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Read<u32> {
        let digits = self.text.get(self.position..self.position + 4).unwrap_or("");
        match u32::from_str_radix(digits, 16) {
            Ok(value) if digits.len() == 4 && digits.bytes().all(|byte| byte.is_ascii_hexdigit()) => {
                self.position += 4;
                Ok(value)
            }
            _ => {
                // Underline the hex digits that are there: ASCII only, so the span always ends on
                // a character boundary even when a multi-byte character follows `\u`.
                let digits_present = self
                    .bytes
                    .get(self.position..)
                    .unwrap_or(&[])
                    .iter()
                    .take(4)
                    .take_while(|byte| byte.is_ascii_hexdigit())
                    .count();
                let span = Span::from_usize(escape_start, self.position + digits_present);
                Err(self.stop(
                    Diagnostic::error("json::invalid-escape", "invalid unicode escape")
                        .with_primary(span, "expected four hexadecimal digits after `\\u`")
                        .with_help("write e.g. `\\u00e9`"),
                ))
            }
        }
    }

    fn lone_surrogate(&mut self, start: usize) -> Stop {
        let span = Span::from_usize(start, self.position);
        self.stop(
            Diagnostic::error("json::invalid-escape", "unpaired UTF-16 surrogate in unicode escape")
                .with_primary(span, "a surrogate must come as a high/low pair")
                .with_help("write the character itself, or both halves of the pair"),
        )
    }

    fn number(&mut self) -> Read<JsonValue<'text>> {
        let start = self.position;
        let bytes = self.bytes;
        let mut at = start;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let digits =
            |from: usize| bytes.get(from..).map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_digit()).count());
        let integer_digits = digits(at);
        let mut problem = None;
        if integer_digits == 0 {
            problem = Some("expected a digit after `-`");
        } else if integer_digits > 1 && bytes.get(at) == Some(&b'0') {
            problem = Some("numbers may not have leading zeros");
        }
        at += integer_digits;
        if problem.is_none() && bytes.get(at) == Some(&b'.') {
            let fraction = digits(at + 1);
            if fraction == 0 {
                problem = Some("expected a digit after the decimal point");
            }
            at += 1 + fraction;
        }
        if problem.is_none() && matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            let exponent = digits(at);
            if exponent == 0 {
                problem = Some("expected a digit in the exponent");
            }
            at += exponent;
        }
        if problem.is_none() && matches!(bytes.get(at), Some(byte) if byte.is_ascii_alphanumeric() || *byte == b'.') {
            at = self.identifier_end_from(at);
            problem = Some("invalid number");
        }
        if let Some(problem) = problem {
            let end = self.identifier_end_from(at).max(at).min(bytes.len());
            let span = Span::from_usize(start, end.max(start + 1).min(bytes.len()));
            return Err(self.stop(
                Diagnostic::error("json::invalid-number", "invalid number")
                    .with_primary(span, problem)
                    .with_help("JSON numbers look like `-12`, `3.5` or `1e-3`; quote other text as a string"),
            ));
        }
        self.position = at;
        let raw = self.text.get(start..at).unwrap_or("").to_owned();
        Ok(JsonValue { span: Span::from_usize(start, at), kind: JsonKind::Number(JsonNumber { raw }) })
    }

    fn keyword(&mut self, word: &str, kind: JsonKind<'text>) -> Read<JsonValue<'text>> {
        let end = self.identifier_end();
        if self.text.get(self.position..end) == Some(word) {
            let span = Span::from_usize(self.position, end);
            self.position = end;
            Ok(JsonValue { span, kind })
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn check_depth(&mut self, depth: usize) -> Read<()> {
        if depth < MAX_DEPTH {
            return Ok(());
        }
        Err(self.stop(
            Diagnostic::error("json::too-deep", format!("nesting deeper than {MAX_DEPTH} levels"))
                .with_primary(self.span_of_char(), "this bracket opens one level too many")
                .with_help("no policy nests this deeply; look for unbalanced brackets"),
        ))
    }

    #[inline]
    fn skip_whitespace(&mut self) -> Read<()> {
        // Compact JSON has no whitespace between tokens: nothing to loop over then.
        match self.peek() {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/') => self.skip_whitespace_run(),
            _ => Ok(()),
        }
    }

    fn skip_whitespace_run(&mut self) -> Read<()> {
        while let Some(&byte) = self.bytes.get(self.position) {
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' => self.position += 1,
                b'/' if matches!(self.bytes.get(self.position + 1), Some(b'/' | b'*')) => {
                    let end = if self.bytes.get(self.position + 1) == Some(&b'/') {
                        self.text
                            .get(self.position..)
                            .and_then(|rest| rest.find('\n'))
                            .map_or(self.bytes.len(), |at| self.position + at)
                    } else {
                        self.text
                            .get(self.position + 2..)
                            .and_then(|rest| rest.find("*/"))
                            .map_or(self.bytes.len(), |at| self.position + at + 4)
                    };
                    let span = Span::from_usize(self.position, end);
                    return Err(self.stop(
                        Diagnostic::error("json::comment", "comments are not allowed in JSON")
                            .with_primary(span, "comment")
                            .with_help(
                                "remove the comment; a policy's `Sid` or `description` can carry the note instead",
                            ),
                    ));
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn pointer(&self) -> String {
        self.path.iter().fold(String::new(), |mut pointer, segment| {
            pointer.push('/');
            match *segment {
                Segment::Key(start) => {
                    let key = read_string_at(self.text, start).map(|(key, _)| key).unwrap_or_default();
                    pointer.push_str(&escape_pointer_segment(&key));
                }
                Segment::Index(index) => pointer.push_str(&index.to_string()),
            }
            pointer
        })
    }

    fn stop(&mut self, diagnostic: Diagnostic) -> Stop {
        let path = self.pointer();
        self.diagnostics.push(if diagnostic.path.is_none() && !path.is_empty() {
            diagnostic.with_path(path)
        } else {
            diagnostic
        });
        Stop
    }

    fn span_here(&self) -> Span {
        Span::from_usize(self.position, self.position)
    }

    /// The span of the (possibly multi-byte) character at the cursor, or an empty span at the end.
    fn span_of_char(&self) -> Span {
        Span::from_usize(self.position, self.char_end(self.position))
    }

    fn char_end(&self, at: usize) -> usize {
        self.text.get(at..).and_then(|rest| rest.chars().next()).map_or(at, |ch| at + ch.len_utf8())
    }

    fn identifier_end(&self) -> usize {
        self.identifier_end_from(self.position)
    }

    fn identifier_end_from(&self, from: usize) -> usize {
        let mut at = from;
        while matches!(self.bytes.get(at), Some(byte) if byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'+' | b'-'))
        {
            at += 1;
        }
        at
    }

    fn unexpected(&mut self, expected: &str) -> Stop {
        let span = self.span_of_char();
        let found = self.text.get(span.range()).unwrap_or("");
        let word_end = self.identifier_end();
        let word = self.text.get(self.position..word_end).unwrap_or("");
        let diagnostic = match word {
            "True" | "False" | "None" | "NULL" | "Null" | "TRUE" | "FALSE" => {
                Diagnostic::error("json::unexpected-character", format!("expected {expected}, found `{word}`"))
                    .with_primary(Span::from_usize(self.position, word_end), "not a JSON literal")
                    .with_help("JSON literals are lowercase: `true`, `false`, `null`")
            }
            "NaN" | "Infinity" => {
                Diagnostic::error("json::unexpected-character", format!("expected {expected}, found `{word}`"))
                    .with_primary(Span::from_usize(self.position, word_end), "not a JSON number")
                    .with_help("JSON has no NaN or Infinity; quote it as a string if you mean text")
            }
            _ if !word.is_empty() && word.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_') => {
                Diagnostic::error("json::unexpected-character", format!("expected {expected}, found `{word}`"))
                    .with_primary(Span::from_usize(self.position, word_end), "bare word")
                    .with_help(format!("strings are written in double quotes: `\"{word}\"`"))
            }
            _ => Diagnostic::error("json::unexpected-character", format!("expected {expected}, found `{found}`"))
                .with_primary(span, format!("expected {expected}")),
        };
        self.stop(diagnostic)
    }

    fn unexpected_end(&mut self, expected: &str, opened_at: Option<usize>) -> Stop {
        let mut diagnostic =
            Diagnostic::error("json::unexpected-end", format!("unexpected end of input, expected {expected}"))
                .with_primary(self.span_here(), format!("expected {expected}"));
        if let Some(open) = opened_at {
            let bracket = if self.bytes.get(open) == Some(&b'{') { "`{`" } else { "`[`" };
            diagnostic = diagnostic
                .with_secondary(Span::from_usize(open, open + 1), format!("{bracket} opened here is never closed"))
                .with_help("close every `{` with `}` and every `[` with `]`");
        }
        self.stop(diagnostic)
    }

    fn trailing_comma(&mut self) -> Stop {
        // The cursor is on the closing bracket; point at the comma before it.
        let comma = self.text.get(..self.position).and_then(|before| before.rfind(',')).unwrap_or(self.position);
        self.stop(
            Diagnostic::error("json::trailing-comma", "trailing comma")
                .with_primary(
                    Span::from_usize(comma, comma + 1),
                    "JSON does not allow a comma before a closing bracket",
                )
                .with_help("remove this comma")
                .with_fix(Fix::new("remove the comma", Span::from_usize(comma, comma + 1), "")),
        )
    }

    fn missing_comma(&mut self, what: &str) -> Stop {
        let span = self.span_here();
        self.stop(
            Diagnostic::error("json::missing-comma", format!("expected `,` between {what}"))
                .with_primary(span, "a comma is missing here")
                .with_help("separate the items with `,`"),
        )
    }

    fn single_quote(&mut self) -> Stop {
        let end = self
            .text
            .get(self.position + 1..)
            .and_then(|rest| rest.find('\''))
            .map_or(self.position + 1, |at| self.position + at + 2);
        self.stop(
            Diagnostic::error("json::single-quote", "JSON strings use double quotes")
                .with_primary(Span::from_usize(self.position, end), "single-quoted string")
                .with_help("replace `'` with `\"`"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::plain_run;

    #[test]
    fn the_plain_run_stops_where_a_byte_by_byte_scan_does() {
        let simple = |bytes: &[u8]| bytes.iter().position(|byte| matches!(byte, b'"' | b'\\' | 0..=0x1f));
        for stop in [b'"', b'\\', b'\n', 0, 0x1f] {
            for at in 0..20 {
                for len in at..24 {
                    let mut bytes: Vec<u8> = "abcdéfghijklmnopqrstuvwxyz".bytes().cycle().take(len).collect();
                    if let Some(byte) = bytes.get_mut(at) {
                        *byte = stop;
                    }
                    assert_eq!(plain_run(&bytes), simple(&bytes).unwrap_or(len), "{bytes:?}");
                }
            }
        }
        // Bytes just above the stops (space, `#`, `]`, non-ASCII) are plain.
        assert_eq!(plain_run(b" #]\x7f\xc3\xa9 #]\x7f\xc3\xa9"), 12);
    }
}
