//! Facts about one rule expression that the catalogue checks and lints need: which operation
//! names it compares `operation` with, which `parameters.x` / `resources.y` it reads, and which
//! of those it guards with `has()`.
//!
//! Why a token scan and not the CEL syntax tree: these facts are lexical patterns
//! (`operation == '…'`, `operation in [...]`, `parameters.x`, `parameters.has('x')`,
//! `has(parameters.x)`, `'x' in parameters`), they must also work on expressions the CEL parser
//! rejects (so that a typo in one place does not hide an unknown operation elsewhere), and the
//! scan never recurses, so a 10,000-deep expression cannot exhaust the stack. Offsets are byte
//! offsets in the decoded expression text.

use iamlab_model::Span;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Identifier(String),
    String(String),
    Punct(&'static str),
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Lexeme {
    token: Token,
    span: Span,
}

/// How an operation name literal is compared with `operation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `operation == 'x'` or `operation in [..., 'x', ...]`.
    Equals,
    /// `operation != 'x'`.
    NotEquals,
    /// `operation.startsWith('x')`: a prefix, not a name.
    Prefix,
}

/// One operation name written in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationLiteral {
    pub name: String,
    /// The literal's span, quotes included.
    pub span: Span,
    pub comparison: Comparison,
}

/// One read of `parameters.<key>` or `resources.<key>` (or the `[...]` form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRead {
    /// `parameters`, `resources` or its alias `resource`.
    pub root: &'static str,
    pub key: String,
    /// From the root identifier to the end of the key.
    pub span: Span,
}

/// What a scan found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpressionFacts {
    pub operations: Vec<OperationLiteral>,
    /// Unguarded-or-not reads of request fields (excluding the ones inside `has(...)`).
    pub reads: Vec<FieldRead>,
    /// `(root, key)` pairs tested for presence (`has(parameters.x)`, `parameters.has('x')`,
    /// `'x' in parameters`).
    pub guards: HashSet<(&'static str, String)>,
    /// The expression is the literal `true` (possibly in parentheses).
    pub always_true: bool,
    /// It has a `||` or `?:`: operation names then do not bound what the rest reads.
    pub has_alternatives: bool,
}

impl ExpressionFacts {
    pub fn is_guarded(&self, read: &FieldRead) -> bool {
        self.guards.contains(&(read.root, read.key.clone()))
    }

    /// The operation names the rule can match, when it names them with `==`/`in` only and has
    /// no alternatives (`operation == 'a' || parameters.x` reads `x` for every operation).
    pub fn named_operations(&self) -> Option<Vec<&str>> {
        if self.has_alternatives
            || self.operations.is_empty()
            || self.operations.iter().any(|literal| literal.comparison != Comparison::Equals)
        {
            return None;
        }
        Some(self.operations.iter().map(|literal| literal.name.as_str()).collect())
    }
}

const PUNCTUATION: [&str; 21] =
    ["==", "!=", "<=", ">=", "&&", "||", "(", ")", "[", "]", "{", "}", ".", ",", "!", "<", ">", "?", ":", "+", "-"];

fn lex(text: &str) -> Vec<Lexeme> {
    let bytes = text.as_bytes();
    let mut lexemes = Vec::new();
    let mut position = 0usize;
    while let Some(&byte) = bytes.get(position) {
        let start = position;
        if byte.is_ascii_whitespace() {
            position += 1;
            continue;
        }
        if byte.is_ascii_alphabetic() || byte == b'_' {
            // A raw or bytes string prefix directly followed by a quote.
            let next = bytes.get(position + 1).copied();
            if matches!(byte, b'r' | b'R' | b'b' | b'B') && matches!(next, Some(b'\'' | b'"')) {
                let (value, end) = read_string(text, position + 1, matches!(byte, b'r' | b'R'));
                lexemes.push(Lexeme { token: Token::String(value), span: Span::from_usize(start, end) });
                position = end;
                continue;
            }
            while bytes.get(position).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                position += 1;
            }
            let word = text.get(start..position).unwrap_or_default().to_owned();
            lexemes.push(Lexeme { token: Token::Identifier(word), span: Span::from_usize(start, position) });
            continue;
        }
        if byte == b'\'' || byte == b'"' {
            let (value, end) = read_string(text, position, false);
            lexemes.push(Lexeme { token: Token::String(value), span: Span::from_usize(start, end) });
            position = end;
            continue;
        }
        if let Some(punct) =
            PUNCTUATION.iter().find(|punct| text.get(position..).is_some_and(|rest| rest.starts_with(**punct)))
        {
            position += punct.len();
            lexemes.push(Lexeme { token: Token::Punct(punct), span: Span::from_usize(start, position) });
            continue;
        }
        // Numbers, other operators and non-ASCII characters: skip one char.
        position += text.get(position..).and_then(|rest| rest.chars().next()).map_or(1, char::len_utf8);
        lexemes.push(Lexeme { token: Token::Other, span: Span::from_usize(start, position) });
    }
    lexemes
}

/// Reads a quoted string starting at the quote; returns its (roughly) decoded value and the
/// offset after it. Triple quotes are handled; escapes keep the escaped character.
fn read_string(text: &str, quote_at: usize, raw: bool) -> (String, usize) {
    let bytes = text.as_bytes();
    let Some(&quote) = bytes.get(quote_at) else {
        return (String::new(), quote_at);
    };
    let triple = bytes.get(quote_at + 1) == Some(&quote) && bytes.get(quote_at + 2) == Some(&quote);
    let delimiter_length = if triple { 3 } else { 1 };
    let mut position = quote_at + delimiter_length;
    let mut value = String::new();
    loop {
        let Some(&byte) = bytes.get(position) else {
            return (value, position);
        };
        if byte == quote
            && (!triple || (bytes.get(position + 1) == Some(&quote) && bytes.get(position + 2) == Some(&quote)))
        {
            return (value, position + delimiter_length);
        }
        if byte == b'\\' && !raw {
            if let Some(escaped) = text.get(position + 1..).and_then(|rest| rest.chars().next()) {
                value.push(escaped);
                position += 1 + escaped.len_utf8();
                continue;
            }
        }
        if !triple && byte == b'\n' {
            return (value, position);
        }
        let Some(character) = text.get(position..).and_then(|rest| rest.chars().next()) else {
            return (value, position + 1);
        };
        value.push(character);
        position += character.len_utf8();
    }
}

fn identifier(lexemes: &[Lexeme], index: usize) -> Option<&str> {
    match lexemes.get(index).map(|lexeme| &lexeme.token) {
        Some(Token::Identifier(word)) => Some(word),
        _ => None,
    }
}

fn punct(lexemes: &[Lexeme], index: usize) -> Option<&'static str> {
    match lexemes.get(index).map(|lexeme| &lexeme.token) {
        Some(Token::Punct(punct)) => Some(punct),
        _ => None,
    }
}

fn string(lexemes: &[Lexeme], index: usize) -> Option<(&str, Span)> {
    match lexemes.get(index) {
        Some(Lexeme { token: Token::String(value), span }) => Some((value, *span)),
        _ => None,
    }
}

fn root_name(word: &str) -> Option<&'static str> {
    match word {
        "parameters" => Some("parameters"),
        "resources" => Some("resources"),
        // The policy guide's alias of `resources`.
        "resource" => Some("resource"),
        _ => None,
    }
}

/// Whether the identifier at `index` is a variable (not a field selection like `x.operation`).
fn is_variable(lexemes: &[Lexeme], index: usize) -> bool {
    index == 0 || punct(lexemes, index - 1) != Some(".")
}

/// Scans `text` for the facts the checks need.
pub fn scan(text: &str) -> ExpressionFacts {
    let lexemes = lex(text);
    let mut facts = ExpressionFacts::default();
    let significant: Vec<&Token> =
        lexemes.iter().map(|lexeme| &lexeme.token).filter(|token| !matches!(token, Token::Punct("(" | ")"))).collect();
    facts.always_true = matches!(significant.as_slice(), [Token::Identifier(word)] if word == "true");
    facts.has_alternatives = significant.iter().any(|token| matches!(token, Token::Punct("||" | "?")));
    // The span ranges of `has(...)` macro arguments: reads there are guards, not reads.
    let mut has_ranges: Vec<Span> = Vec::new();
    for index in 0..lexemes.len() {
        let Some(word) = identifier(&lexemes, index) else { continue };
        match word {
            "operation" if is_variable(&lexemes, index) => scan_operation(&lexemes, index, &mut facts),
            "has" if is_variable(&lexemes, index) && punct(&lexemes, index + 1) == Some("(") => {
                // has(parameters.x)
                if let (Some(root), Some("."), Some(key)) = (
                    identifier(&lexemes, index + 2).and_then(root_name),
                    punct(&lexemes, index + 3),
                    identifier(&lexemes, index + 4),
                ) {
                    facts.guards.insert((root, key.to_owned()));
                    if let (Some(first), Some(last)) = (lexemes.get(index + 2), lexemes.get(index + 4)) {
                        has_ranges.push(first.span.cover(last.span));
                    }
                }
            }
            _ => {}
        }
        let Some(root) = root_name(word) else { continue };
        if !is_variable(&lexemes, index) {
            continue;
        }
        let root_span = lexemes.get(index).map(|lexeme| lexeme.span).unwrap_or_default();
        match (punct(&lexemes, index + 1), identifier(&lexemes, index + 2)) {
            // parameters.has('x')
            (Some("."), Some("has")) if punct(&lexemes, index + 3) == Some("(") => {
                if let Some((key, _)) = string(&lexemes, index + 4) {
                    facts.guards.insert((root, key.to_owned()));
                }
            }
            // parameters.size() and other method calls on the map itself read no key.
            (Some("."), Some(_)) if punct(&lexemes, index + 3) == Some("(") => {}
            (Some("."), Some(key)) => {
                let span = root_span.cover(lexemes.get(index + 2).map(|lexeme| lexeme.span).unwrap_or_default());
                facts.reads.push(FieldRead { root, key: key.to_owned(), span });
            }
            (Some("["), _) => {
                if let (Some((key, _)), Some("]")) = (string(&lexemes, index + 2), punct(&lexemes, index + 3)) {
                    let span = root_span.cover(lexemes.get(index + 3).map(|lexeme| lexeme.span).unwrap_or_default());
                    facts.reads.push(FieldRead { root, key: key.to_owned(), span });
                }
            }
            _ => {}
        }
        // 'x' in parameters
        if index >= 2 && identifier(&lexemes, index - 1) == Some("in") {
            if let Some((key, _)) = string(&lexemes, index - 2) {
                facts.guards.insert((root, key.to_owned()));
            }
        }
    }
    // `has_ranges` is in source order and its ranges do not overlap: a binary search finds the
    // only range that may contain a read (linear overall, even for huge expressions).
    facts.reads.retain(|read| {
        let after = has_ranges.partition_point(|range| range.start <= read.span.start);
        after.checked_sub(1).and_then(|index| has_ranges.get(index)).is_none_or(|range| read.span.end > range.end)
    });
    facts
}

fn scan_operation(lexemes: &[Lexeme], index: usize, facts: &mut ExpressionFacts) {
    // `!(operation in [...])` or `!(operation == 'x')`: the names are excluded, not matched.
    let negated = index >= 2 && punct(lexemes, index - 1) == Some("(") && punct(lexemes, index - 2) == Some("!");
    let mut push = |name: &str, span: Span, comparison: Comparison| {
        let comparison = match comparison {
            Comparison::Equals if negated => Comparison::NotEquals,
            Comparison::NotEquals if negated => Comparison::Equals,
            other => other,
        };
        facts.operations.push(OperationLiteral { name: name.to_owned(), span, comparison });
    };
    // operation == 'x' / operation != 'x'
    if let Some(operator @ ("==" | "!=")) = punct(lexemes, index + 1) {
        if let Some((name, span)) = string(lexemes, index + 2) {
            push(name, span, if operator == "==" { Comparison::Equals } else { Comparison::NotEquals });
        }
    }
    // 'x' == operation / 'x' != operation
    if index >= 2 {
        if let (Some(operator @ ("==" | "!=")), Some((name, span))) =
            (punct(lexemes, index - 1), string(lexemes, index - 2))
        {
            push(name, span, if operator == "==" { Comparison::Equals } else { Comparison::NotEquals });
        }
    }
    // operation in ['a', 'b']
    if identifier(lexemes, index + 1) == Some("in") && punct(lexemes, index + 2) == Some("[") {
        let mut cursor = index + 3;
        while let Some(lexeme) = lexemes.get(cursor) {
            match &lexeme.token {
                Token::String(name) => push(name, lexeme.span, Comparison::Equals),
                Token::Punct(",") => {}
                _ => break,
            }
            cursor += 1;
        }
    }
    // operation.startsWith('x')
    if punct(lexemes, index + 1) == Some(".")
        && identifier(lexemes, index + 2) == Some("startsWith")
        && punct(lexemes, index + 3) == Some("(")
    {
        if let Some((name, span)) = string(lexemes, index + 4) {
            push(name, span, Comparison::Prefix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_operation_literals_in_every_form() {
        let facts = scan("operation == 'create-instance' || operation in ['a', \"b\"] || 'c' != operation");
        let names: Vec<(&str, Comparison)> =
            facts.operations.iter().map(|literal| (literal.name.as_str(), literal.comparison)).collect();
        assert_eq!(
            names,
            vec![
                ("create-instance", Comparison::Equals),
                ("a", Comparison::Equals),
                ("b", Comparison::Equals),
                ("c", Comparison::NotEquals)
            ]
        );
        assert_eq!(facts.operations.first().unwrap().span, Span::new(13, 30));
    }

    #[test]
    fn separates_guards_from_reads() {
        let facts = scan(
            "operation == 'create-instance' && (!parameters.has('public_ip_assignment') || parameters.public_ip_assignment != 'none') && has(resources.x)",
        );
        assert_eq!(
            facts.guards,
            [("parameters", "public_ip_assignment".to_owned()), ("resources", "x".to_owned())].into_iter().collect()
        );
        assert_eq!(facts.reads.len(), 1);
        assert!(facts.is_guarded(facts.reads.first().unwrap()));
    }

    #[test]
    fn negations_and_alternatives_do_not_bound_the_operations() {
        let negated = scan("!(operation in ['list-buckets']) && parameters.bucket == 'b'");
        assert_eq!(negated.operations.first().map(|literal| literal.comparison), Some(Comparison::NotEquals));
        assert_eq!(negated.named_operations(), None);
        assert_eq!(scan("operation == 'a' || parameters.x == 1").named_operations(), None);
        assert_eq!(scan("operation == 'a' && parameters.x == 1").named_operations(), Some(vec!["a"]));
    }

    #[test]
    fn method_calls_on_the_map_read_no_key() {
        let facts = scan("parameters.has('ip_filter') && int(parameters.size()) == 2");
        assert!(facts.reads.is_empty(), "{:?}", facts.reads);
    }

    #[test]
    fn recognises_unconditional_true() {
        assert!(scan(" (true) ").always_true);
        assert!(!scan("true && false").always_true);
        assert!(!scan("'true'").always_true);
    }

    #[test]
    fn survives_unterminated_strings_and_odd_characters() {
        let facts = scan("operation == 'create-instance || parameters['é");
        assert_eq!(facts.operations.len(), 1);
        scan("\\");
        scan("r'");
        scan("'''");
    }
}
