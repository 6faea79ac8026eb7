//! Turns CEL source text into tokens with byte spans. Lexical errors become diagnostics and the
//! lexer keeps going, so that the parser sees the whole input.

use iamlab_model::{Diagnostic, Span};
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    /// A decimal or hexadecimal integer without suffix; may exceed `i64::MAX` by one when it is
    /// the operand of a unary minus, so it is kept as `u64` until the parser decides.
    Int(u64),
    Uint(u64),
    Double(f64),
    String(Rc<str>),
    Bytes(Rc<[u8]>),
    Ident,
    /// A backtick-quoted field name (`` a.`content-type` ``), its text without the backticks.
    QuotedIdent(Rc<str>),
    Reserved,
    True,
    False,
    Null,
    In,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    LeftBrace,
    RightBrace,
    Dot,
    Comma,
    Colon,
    Question,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    EqualEqual,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    AndAnd,
    OrOr,
    /// A single `=`: not CEL, reported by the parser with a "did you mean `==`" help.
    Assign,
    /// A single `&`.
    Ampersand,
    /// A single `|`.
    Pipe,
    /// A character CEL does not use; already reported.
    Invalid,
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// What an editor draws a CEL token as (see [`classify_tokens`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenClass {
    /// A variable or field name, quoted field names included.
    Identifier,
    /// A name called as a function, method or macro: an identifier directly followed by `(`.
    Function,
    /// `true`, `false`, `null`.
    Literal,
    /// A reserved word (`if`, `let`…): CEL refuses them as names.
    Reserved,
    Number,
    /// A string or bytes literal, prefix and quotes included.
    String,
    /// Arithmetic, comparison, logical and conditional operators, and `in`.
    Operator,
    /// Brackets, `.` and `,`.
    Punctuation,
    /// A character CEL does not use.
    Invalid,
}

/// One token of [`classify_tokens`]: its byte span in the expression and its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassifiedToken {
    pub span: Span,
    pub class: TokenClass,
}

/// Every token of `source` with its class, for editors. These are the parser's own tokens (the
/// lexer's errors are left to the parser's diagnostics), so highlighting never disagrees with
/// what the parser reads.
pub fn classify_tokens(source: &str) -> Vec<ClassifiedToken> {
    let mut ignored = Vec::new();
    let tokens = tokenize(source, &mut ignored);
    let mut classified = Vec::with_capacity(tokens.len());
    for (index, token) in tokens.iter().enumerate() {
        let class = match token.kind {
            TokenKind::Ident => {
                let called = tokens.get(index + 1).is_some_and(|next| next.kind == TokenKind::LeftParen);
                if called {
                    TokenClass::Function
                } else {
                    TokenClass::Identifier
                }
            }
            TokenKind::QuotedIdent(_) => TokenClass::Identifier,
            TokenKind::Int(_) | TokenKind::Uint(_) | TokenKind::Double(_) => TokenClass::Number,
            TokenKind::String(_) | TokenKind::Bytes(_) => TokenClass::String,
            TokenKind::True | TokenKind::False | TokenKind::Null => TokenClass::Literal,
            TokenKind::Reserved => TokenClass::Reserved,
            TokenKind::LeftParen
            | TokenKind::RightParen
            | TokenKind::LeftBracket
            | TokenKind::RightBracket
            | TokenKind::LeftBrace
            | TokenKind::RightBrace
            | TokenKind::Dot
            | TokenKind::Comma => TokenClass::Punctuation,
            TokenKind::In
            | TokenKind::Colon
            | TokenKind::Question
            | TokenKind::Plus
            | TokenKind::Minus
            | TokenKind::Star
            | TokenKind::Slash
            | TokenKind::Percent
            | TokenKind::Bang
            | TokenKind::EqualEqual
            | TokenKind::NotEqual
            | TokenKind::Less
            | TokenKind::LessEqual
            | TokenKind::Greater
            | TokenKind::GreaterEqual
            | TokenKind::AndAnd
            | TokenKind::OrOr
            | TokenKind::Assign
            | TokenKind::Ampersand
            | TokenKind::Pipe => TokenClass::Operator,
            TokenKind::Invalid => TokenClass::Invalid,
            TokenKind::Eof => continue,
        };
        classified.push(ClassifiedToken { span: token.span, class });
    }
    classified
}

/// Words the grammar reserves: they cannot name variables or functions.
const RESERVED: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

pub(crate) fn tokenize(source: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Token> {
    let mut lexer = Lexer { source, bytes: source.as_bytes(), position: 0, diagnostics, tokens: Vec::new() };
    lexer.run();
    lexer.tokens
}

struct Lexer<'a, 'd> {
    source: &'a str,
    bytes: &'a [u8],
    position: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
    tokens: Vec<Token>,
}

impl Lexer<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.position + offset).copied()
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token { kind, span: Span::from_usize(start, self.position) });
    }

    fn error(&mut self, code: &str, message: String, span: Span, help: Option<&str>) {
        let mut diagnostic = Diagnostic::error(code, message).with_primary(span, "");
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        crate::parser::push_capped(self.diagnostics, diagnostic);
    }

    fn run(&mut self) {
        while let Some(byte) = self.peek() {
            let start = self.position;
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => self.position += 1,
                b'/' if self.peek_at(1) == Some(b'/') => {
                    while let Some(byte) = self.peek() {
                        if byte == b'\n' {
                            break;
                        }
                        self.position += 1;
                    }
                }
                b'0'..=b'9' => self.number(),
                b'.' if matches!(self.peek_at(1), Some(b'0'..=b'9')) => self.number(),
                b'"' | b'\'' => self.string(start, false, false),
                b'`' => self.quoted_identifier(start),
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    if let Some((raw, bytes, quote_at)) = self.string_prefix() {
                        self.position = quote_at;
                        self.string(start, raw, bytes);
                    } else {
                        self.identifier();
                    }
                }
                _ => self.punctuation(byte, start),
            }
        }
        let end = self.position;
        self.tokens.push(Token { kind: TokenKind::Eof, span: Span::from_usize(end, end) });
    }

    /// Recognises `r"`, `b'`, `rb"`, `BR'`… and returns (raw, bytes, offset of the quote).
    fn string_prefix(&self) -> Option<(bool, bool, usize)> {
        let mut raw = false;
        let mut bytes = false;
        let mut offset = 0;
        while offset < 2 {
            match self.peek_at(offset) {
                Some(b'r' | b'R') if !raw => raw = true,
                Some(b'b' | b'B') if !bytes => bytes = true,
                Some(b'"' | b'\'') if offset > 0 => return Some((raw, bytes, self.position + offset)),
                _ => return None,
            }
            offset += 1;
        }
        match self.peek_at(offset) {
            Some(b'"' | b'\'') => Some((raw, bytes, self.position + offset)),
            _ => None,
        }
    }

    fn identifier(&mut self) {
        let start = self.position;
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9') = self.peek() {
            self.position += 1;
        }
        let text = self.source.get(start..self.position).unwrap_or("");
        let kind = match text {
            "true" => TokenKind::True,
            "false" => TokenKind::False,
            "null" => TokenKind::Null,
            "in" => TokenKind::In,
            _ if RESERVED.contains(&text) => TokenKind::Reserved,
            _ => TokenKind::Ident,
        };
        self.push(kind, start);
    }

    fn quoted_identifier(&mut self, start: usize) {
        self.position += 1;
        let name_start = self.position;
        while let Some(byte) = self.peek() {
            if byte == b'`' || byte == b'\n' {
                break;
            }
            self.position += 1;
        }
        let name = self.source.get(name_start..self.position).unwrap_or("").to_owned();
        if self.peek() == Some(b'`') {
            self.position += 1;
        } else {
            let span = Span::from_usize(start, self.position);
            self.error(
                "cel::unterminated-string",
                "unterminated quoted name".to_owned(),
                span,
                Some("close the name with `"),
            );
        }
        self.push(TokenKind::QuotedIdent(Rc::from(name)), start);
    }

    fn number(&mut self) {
        let start = self.position;
        let is_hex = self.peek() == Some(b'0') && matches!(self.peek_at(1), Some(b'x' | b'X'));
        if is_hex {
            self.position += 2;
            let digits_start = self.position;
            while let Some(b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F') = self.peek() {
                self.position += 1;
            }
            let digits = self.source.get(digits_start..self.position).unwrap_or("");
            let value = u64::from_str_radix(digits, 16);
            let unsigned = matches!(self.peek(), Some(b'u' | b'U'));
            if unsigned {
                self.position += 1;
            }
            self.integer_token(start, value.ok(), unsigned);
            return;
        }
        while let Some(b'0'..=b'9') = self.peek() {
            self.position += 1;
        }
        let mut is_double = false;
        if self.peek() == Some(b'.') && matches!(self.peek_at(1), Some(b'0'..=b'9')) {
            is_double = true;
            self.position += 1;
            while let Some(b'0'..=b'9') = self.peek() {
                self.position += 1;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            let sign = usize::from(matches!(self.peek_at(1), Some(b'+' | b'-')));
            if matches!(self.peek_at(1 + sign), Some(b'0'..=b'9')) {
                is_double = true;
                self.position += 1 + sign;
                while let Some(b'0'..=b'9') = self.peek() {
                    self.position += 1;
                }
            }
        }
        let text = self.source.get(start..self.position).unwrap_or("");
        if is_double {
            let value = text.parse::<f64>().unwrap_or(f64::NAN);
            self.push(TokenKind::Double(value), start);
            return;
        }
        let value = text.parse::<u64>();
        let unsigned = matches!(self.peek(), Some(b'u' | b'U'));
        if unsigned {
            self.position += 1;
        }
        self.integer_token(start, value.ok(), unsigned);
    }

    fn integer_token(&mut self, start: usize, value: Option<u64>, unsigned: bool) {
        let span = Span::from_usize(start, self.position);
        match value {
            Some(value) if unsigned => self.push(TokenKind::Uint(value), start),
            Some(value) => self.push(TokenKind::Int(value), start),
            None => {
                let kind = if unsigned { "uint" } else { "int" };
                self.error(
                    "cel::integer-out-of-range",
                    format!("integer literal out of {kind} range"),
                    span,
                    Some("int is a signed 64-bit integer and uint an unsigned 64-bit integer"),
                );
                self.push(if unsigned { TokenKind::Uint(0) } else { TokenKind::Int(0) }, start);
            }
        }
    }

    fn punctuation(&mut self, byte: u8, start: usize) {
        let next = self.peek_at(1);
        let (kind, length) = match (byte, next) {
            (b'(', _) => (TokenKind::LeftParen, 1),
            (b')', _) => (TokenKind::RightParen, 1),
            (b'[', _) => (TokenKind::LeftBracket, 1),
            (b']', _) => (TokenKind::RightBracket, 1),
            (b'{', _) => (TokenKind::LeftBrace, 1),
            (b'}', _) => (TokenKind::RightBrace, 1),
            (b'.', _) => (TokenKind::Dot, 1),
            (b',', _) => (TokenKind::Comma, 1),
            (b':', _) => (TokenKind::Colon, 1),
            (b'?', _) => (TokenKind::Question, 1),
            (b'+', _) => (TokenKind::Plus, 1),
            (b'-', _) => (TokenKind::Minus, 1),
            (b'*', _) => (TokenKind::Star, 1),
            (b'/', _) => (TokenKind::Slash, 1),
            (b'%', _) => (TokenKind::Percent, 1),
            (b'=', Some(b'=')) => (TokenKind::EqualEqual, 2),
            (b'=', _) => (TokenKind::Assign, 1),
            (b'!', Some(b'=')) => (TokenKind::NotEqual, 2),
            (b'!', _) => (TokenKind::Bang, 1),
            (b'<', Some(b'=')) => (TokenKind::LessEqual, 2),
            (b'<', _) => (TokenKind::Less, 1),
            (b'>', Some(b'=')) => (TokenKind::GreaterEqual, 2),
            (b'>', _) => (TokenKind::Greater, 1),
            (b'&', Some(b'&')) => (TokenKind::AndAnd, 2),
            (b'&', _) => (TokenKind::Ampersand, 1),
            (b'|', Some(b'|')) => (TokenKind::OrOr, 2),
            (b'|', _) => (TokenKind::Pipe, 1),
            _ => {
                let character = self.source.get(start..).and_then(|rest| rest.chars().next()).unwrap_or('\u{fffd}');
                self.position += character.len_utf8().max(1);
                let span = Span::from_usize(start, self.position);
                let help = match character {
                    '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' => {
                        Some("this is a typographic quote; CEL strings use ' or \"")
                    }
                    _ => None,
                };
                self.error("cel::invalid-character", format!("unexpected character `{character}`"), span, help);
                self.push(TokenKind::Invalid, start);
                return;
            }
        };
        self.position += length;
        self.push(kind, start);
    }

    /// Lexes a string or bytes literal whose opening quote is at `self.position`; `start` is the
    /// offset of its prefix (if any).
    fn string(&mut self, start: usize, raw: bool, is_bytes: bool) {
        let quote = self.peek().unwrap_or(b'"');
        let triple = self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote);
        self.position += if triple { 3 } else { 1 };
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(byte) = self.peek() else {
                let span = Span::from_usize(start, self.position);
                let closing = if triple {
                    [quote; 3].map(char::from).iter().collect::<String>()
                } else {
                    char::from(quote).to_string()
                };
                self.error(
                    "cel::unterminated-string",
                    "unterminated string".to_owned(),
                    span,
                    Some(&format!("close the string with {closing}")),
                );
                break;
            };
            if byte == quote {
                if !triple {
                    self.position += 1;
                    break;
                }
                if self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote) {
                    self.position += 3;
                    break;
                }
            }
            if !triple && (byte == b'\n' || byte == b'\r') {
                let span = Span::from_usize(start, self.position);
                self.error(
                    "cel::unterminated-string",
                    "unterminated string".to_owned(),
                    span,
                    Some("a single-quoted string ends at the end of its line; use ''' or \"\"\" for several lines"),
                );
                break;
            }
            if byte == b'\\' && !raw {
                self.escape(&mut out, is_bytes);
                continue;
            }
            // Copy one whole character so that multi-byte characters stay intact.
            let character_length =
                self.source.get(self.position..).and_then(|rest| rest.chars().next()).map_or(1, char::len_utf8);
            out.extend_from_slice(self.bytes.get(self.position..self.position + character_length).unwrap_or(&[]));
            self.position += character_length;
        }
        if is_bytes {
            self.push(TokenKind::Bytes(Rc::from(out)), start);
        } else {
            // Escapes in strings produce code points, so `out` is valid UTF-8 by construction;
            // the lossy conversion is only a guard.
            let text =
                String::from_utf8(out).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
            self.push(TokenKind::String(Rc::from(text)), start);
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>, is_bytes: bool) {
        let start = self.position;
        self.position += 1;
        let Some(kind) = self.peek() else {
            return;
        };
        self.position += 1;
        let simple = match kind {
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'\\' => Some(b'\\'),
            b'\'' => Some(b'\''),
            b'"' => Some(b'"'),
            b'`' => Some(b'`'),
            b'?' => Some(b'?'),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
            return;
        }
        let (digits, radix) = match kind {
            b'x' | b'X' => (2, 16),
            b'u' => (4, 16),
            b'U' => (8, 16),
            b'0'..=b'3' => {
                self.position -= 1;
                (3, 8)
            }
            _ => {
                let span = Span::from_usize(start, self.position);
                let shown = self.source.get(start..self.position).unwrap_or("\\");
                self.error(
                    "cel::invalid-escape",
                    format!("invalid escape sequence `{shown}`"),
                    span,
                    Some("valid escapes: \\n \\r \\t \\\\ \\' \\\" \\xHH \\uHHHH \\UHHHHHHHH \\ooo (octal)"),
                );
                return;
            }
        };
        let digits_text = self.source.get(self.position..self.position + digits);
        let value = digits_text.and_then(|text| {
            if text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                u32::from_str_radix(text, radix).ok()
            } else {
                None
            }
        });
        let Some(value) = value else {
            // Skip whatever digits there are so that the error is reported once.
            while self.position < start + 2 + digits && self.peek().is_some_and(|byte| byte.is_ascii_hexdigit()) {
                self.position += 1;
            }
            let span = Span::from_usize(start, self.position);
            self.error(
                "cel::invalid-escape",
                format!("escape sequence needs {digits} {} digits", if radix == 8 { "octal" } else { "hexadecimal" }),
                span,
                None,
            );
            return;
        };
        self.position += digits;
        let span = Span::from_usize(start, self.position);
        let is_unicode = matches!(kind, b'u' | b'U');
        if is_bytes && !is_unicode {
            // Octal and hexadecimal escapes are byte values in a bytes literal.
            out.push(u8::try_from(value).unwrap_or(0));
            return;
        }
        match char::from_u32(value) {
            Some(character) => {
                let mut buffer = [0; 4];
                out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
            }
            None => self.error(
                "cel::invalid-escape",
                format!(
                    "escape sequence `{}` is not a Unicode scalar value",
                    self.source.get(start..self.position).unwrap_or("")
                ),
                span,
                Some("surrogate code points (U+D800 to U+DFFF) and values above U+10FFFF are not characters"),
            ),
        }
    }
}
