//! Lexical facts about one expression, for policy linters: which string literals a variable is
//! compared with (`operation == 'create-instance'`), which fields of which variables it reads
//! (`parameters.public_ip_assignment`), which of those it tests for presence first
//! (`has(parameters.x)`, `parameters.has('x')`, `'x' in parameters`), whether it is the literal
//! `true` and whether it has alternatives (`||`, `?:`). Exoscale's catalogue checks and lints
//! read them; Scaleway's condition lints can read the same.
//!
//! Why the token list and not the syntax tree: these facts are lexical patterns, they must also
//! hold on expressions the parser rejects (so that a typo in one place does not hide an unknown
//! operation elsewhere), and a scan of a flat list never recurses, so a 10,000-deep expression
//! cannot exhaust the stack. The tokens are the parser's own: [`crate::parse_with_facts`] lexes
//! an expression once for its tree and its facts. Spans are byte offsets in the expression text.

use crate::lexer::{tokenize, Token, TokenKind};
use iamlab_model::Span;

/// How a string literal is compared with a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `variable == 'x'`, `'x' == variable` or `variable in [..., 'x', ...]`.
    Equals,
    /// `variable != 'x'`, or an equality under `!(...)`.
    NotEquals,
    /// `variable.startsWith('x')`: a prefix, not a whole value.
    Prefix,
}

impl Comparison {
    /// The comparison as CEL writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Equals => "==",
            Comparison::NotEquals => "!=",
            Comparison::Prefix => "startsWith",
        }
    }
}

/// A variable compared with a string literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringComparison {
    /// The variable's name (`operation`); selections such as `x.operation` are not variables.
    pub variable: String,
    /// The literal's decoded value.
    pub value: String,
    /// The literal's span, quotes and prefix included.
    pub span: Span,
    pub comparison: Comparison,
}

/// One field of a variable: `root.key` or `root['key']`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub root: String,
    pub key: String,
}

/// A read of a field, outside any presence test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRead {
    pub field: Field,
    /// From the root variable to the end of the key (the closing `]` for `root['key']`).
    pub span: Span,
    /// The read (with any further `.field` selections) is the left operand of `in` on a list
    /// literal whose elements are literals of one type: `parameters.bucket in ['a', 'b']`. In
    /// Exoscale's evaluator such an `in` is false, not an error, when the key is missing.
    pub in_uniform_list: bool,
}

/// Everything a scan found, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LexicalFacts {
    pub comparisons: Vec<StringComparison>,
    /// Reads of `variable.key` and `variable['key']`, except those inside `has(...)` (a presence
    /// test, not a read) and method calls on the variable itself (`parameters.size()`).
    pub reads: Vec<FieldRead>,
    /// Fields tested for presence: `has(root.key)`, `root.has('key')`, `'key' in root`, each
    /// once. A list rather than a hash set: an expression tests a handful of fields, and every
    /// distinct set type costs the playground's wasm its own copy of the hash table.
    pub guards: Vec<Field>,
    /// The expression is the literal `true`, possibly in parentheses.
    pub always_true: bool,
    /// It has a `||` or a `?:`: a comparison on one side then says nothing about the other.
    pub has_alternatives: bool,
}

impl LexicalFacts {
    fn add_guard(&mut self, field: Field) {
        if !self.guards.contains(&field) {
            self.guards.push(field);
        }
    }

    /// Whether the expression tests the read field for presence somewhere.
    pub fn is_guarded(&self, read: &FieldRead) -> bool {
        self.guards.contains(&read.field)
    }

    /// The comparisons of one variable, in source order.
    pub fn comparisons_of<'facts>(
        &'facts self,
        variable: &'facts str,
    ) -> impl Iterator<Item = &'facts StringComparison> + 'facts {
        self.comparisons.iter().filter(move |comparison| comparison.variable == variable)
    }

    /// The reads of one variable's fields, in source order.
    pub fn reads_of<'facts>(&'facts self, root: &'facts str) -> impl Iterator<Item = &'facts FieldRead> + 'facts {
        self.reads.iter().filter(move |read| read.field.root == root)
    }

    /// The values `variable` must equal for the expression to hold, when it names them with
    /// `==`/`in` only and has no alternatives (`operation == 'a' || parameters.x` holds for
    /// every operation). `None` when the expression does not bound the variable that way.
    pub fn named_values(&self, variable: &str) -> Option<Vec<&str>> {
        let mut comparisons = self.comparisons.iter().filter(|comparison| comparison.variable == variable).peekable();
        comparisons.peek()?;
        if self.has_alternatives {
            return None;
        }
        comparisons
            .map(|comparison| (comparison.comparison == Comparison::Equals).then_some(comparison.value.as_str()))
            .collect()
    }
}

/// Scans `source` on its own (the lexical errors are the parser's to report, so they are
/// dropped here). Use [`crate::parse_with_facts`] to lex once for the tree and the facts.
pub fn lexical_facts(source: &str) -> LexicalFacts {
    let mut ignored = Vec::new();
    let tokens = tokenize(source, &mut ignored);
    facts_of_tokens(source, &tokens)
}

/// What the text before a cursor in an expression is in the middle of, for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorContext {
    /// In an unterminated string literal compared with a variable: `operation == 'cre`,
    /// `operation != '`, `operation in ['a', '`. `start` is the first byte of the content.
    ComparedString { variable: String, start: usize },
    /// A field of a variable: `parameters.` or `parameters.ty`; `start` is where the field
    /// name starts.
    Field { root: String, start: usize },
    /// Anything else.
    Other,
}

/// What the cursor at byte `offset` of `source` is completing, from the lexer's tokens of the
/// text before it (so an expression that does not parse, the usual state while typing, works).
pub fn cursor_context(source: &str, offset: usize) -> CursorContext {
    let offset = iamlab_model::floor_char_boundary(source, offset.min(source.len()));
    let before = source.get(..offset).unwrap_or("");
    let mut diagnostics = Vec::new();
    let mut tokens = tokenize(before, &mut diagnostics);
    tokens.retain(|token| token.kind != TokenKind::Eof);
    let scan = Scan { source: before, tokens: &tokens };
    let Some(last) = tokens.len().checked_sub(1) else { return CursorContext::Other };
    let span = scan.span(last);
    if span.end as usize != offset {
        return CursorContext::Other;
    }
    let variable_at = |index: usize| scan.identifier(index).filter(|_| scan.is_variable(index)).map(str::to_owned);
    match scan.kind(last) {
        Some(TokenKind::String(_)) => {
            let unterminated = diagnostics.iter().any(|diagnostic| {
                diagnostic.code == "cel::unterminated-string"
                    && diagnostic.primary_span().is_some_and(|error| error.start == span.start)
            });
            if !unterminated {
                return CursorContext::Other;
            }
            let text = scan.text(last).unwrap_or("");
            let Some(quote_at) = text.find(['\'', '"']) else { return CursorContext::Other };
            let quote = text.get(quote_at..=quote_at).unwrap_or("'");
            let quotes =
                if text.get(quote_at..).is_some_and(|rest| rest.starts_with(&quote.repeat(3))) { 3 } else { 1 };
            let start = span.start as usize + quote_at + quotes;
            // `variable == '…` / `variable != '…`
            if last >= 2 && matches!(scan.kind(last - 1), Some(TokenKind::EqualEqual | TokenKind::NotEqual)) {
                if let Some(variable) = variable_at(last - 2) {
                    return CursorContext::ComparedString { variable, start };
                }
            }
            // `variable in ['a', '…`
            let mut index = last;
            while index >= 1 && scan.is(index - 1, &TokenKind::Comma) && index >= 2 && scan.string(index - 2).is_some()
            {
                index -= 2;
            }
            if index >= 3 && scan.is(index - 1, &TokenKind::LeftBracket) && scan.is(index - 2, &TokenKind::In) {
                if let Some(variable) = variable_at(index - 3) {
                    return CursorContext::ComparedString { variable, start };
                }
            }
            CursorContext::Other
        }
        Some(TokenKind::Dot) => match last.checked_sub(1).and_then(variable_at) {
            Some(root) => CursorContext::Field { root, start: offset },
            None => CursorContext::Other,
        },
        _ if scan.word(last).is_some() && last >= 2 && scan.is(last - 1, &TokenKind::Dot) => {
            match variable_at(last - 2) {
                Some(root) => CursorContext::Field { root, start: span.start as usize },
                None => CursorContext::Other,
            }
        }
        _ => CursorContext::Other,
    }
}

/// The facts of an expression whose tokens are `tokens`.
pub(crate) fn facts_of_tokens(source: &str, tokens: &[Token]) -> LexicalFacts {
    let scan = Scan { source, tokens };
    let mut facts = LexicalFacts::default();
    let mut significant = tokens
        .iter()
        .map(|token| &token.kind)
        .filter(|kind| !matches!(kind, TokenKind::LeftParen | TokenKind::RightParen | TokenKind::Eof));
    facts.always_true = matches!((significant.next(), significant.next()), (Some(TokenKind::True), None));
    facts.has_alternatives = tokens.iter().any(|token| matches!(token.kind, TokenKind::OrOr | TokenKind::Question));
    // The spans of `has(...)` arguments: reads there are presence tests, not reads.
    let mut has_ranges: Vec<Span> = Vec::new();
    for index in 0..tokens.len() {
        let Some(variable) = scan.identifier(index) else { continue };
        if !scan.is_variable(index) {
            continue;
        }
        scan_comparisons(&scan, index, variable, &mut facts);
        if variable == "has" && scan.is(index + 1, &TokenKind::LeftParen) {
            // has(root.key)
            if let (Some(root), true, Some(key)) =
                (scan.identifier(index + 2), scan.is(index + 3, &TokenKind::Dot), scan.word(index + 4))
            {
                facts.add_guard(field(root, key));
                has_ranges.push(scan.span(index + 2).cover(scan.span(index + 4)));
            }
        }
        scan_field_uses(&scan, index, variable, &mut facts);
    }
    // `has_ranges` is in source order and its ranges do not overlap: a binary search finds the
    // only range that may contain a read (linear overall, even for huge expressions).
    facts.reads.retain(|read| {
        let after = has_ranges.partition_point(|range| range.start <= read.span.start);
        after.checked_sub(1).and_then(|index| has_ranges.get(index)).is_none_or(|range| read.span.end > range.end)
    });
    facts
}

fn field(root: &str, key: &str) -> Field {
    Field { root: root.to_owned(), key: key.to_owned() }
}

/// The token list with the lookups the patterns need; every lookup past the end is `None`.
struct Scan<'input> {
    source: &'input str,
    tokens: &'input [Token],
}

impl<'input> Scan<'input> {
    fn kind(&self, index: usize) -> Option<&'input TokenKind> {
        self.tokens.get(index).map(|token| &token.kind)
    }

    fn is(&self, index: usize, kind: &TokenKind) -> bool {
        self.kind(index) == Some(kind)
    }

    fn span(&self, index: usize) -> Span {
        self.tokens.get(index).map(|token| token.span).unwrap_or_default()
    }

    fn text(&self, index: usize) -> Option<&'input str> {
        self.tokens.get(index).and_then(|token| token.span.slice(self.source))
    }

    /// An identifier: what can name a variable.
    fn identifier(&self, index: usize) -> Option<&'input str> {
        matches!(self.kind(index), Some(TokenKind::Ident)).then(|| self.text(index)).flatten()
    }

    /// Any word, keywords included: what can follow a `.` as a field or method name.
    fn word(&self, index: usize) -> Option<&'input str> {
        let is_word = matches!(
            self.kind(index),
            Some(
                TokenKind::Ident
                    | TokenKind::Reserved
                    | TokenKind::True
                    | TokenKind::False
                    | TokenKind::Null
                    | TokenKind::In
            )
        );
        is_word.then(|| self.text(index)).flatten()
    }

    fn string(&self, index: usize) -> Option<(&'input str, Span)> {
        match self.tokens.get(index) {
            Some(Token { kind: TokenKind::String(value), span }) => Some((value, *span)),
            _ => None,
        }
    }

    /// Whether the identifier at `index` is a variable, not a selection like `x.operation`.
    fn is_variable(&self, index: usize) -> bool {
        index == 0 || !self.is(index - 1, &TokenKind::Dot)
    }
}

fn scan_comparisons(scan: &Scan<'_>, index: usize, variable: &str, facts: &mut LexicalFacts) {
    // `!(variable in [...])` or `!(variable == 'x')`: the values are excluded, not matched.
    let negated = index >= 2 && scan.is(index - 1, &TokenKind::LeftParen) && scan.is(index - 2, &TokenKind::Bang);
    let mut push = |value: &str, span: Span, comparison: Comparison| {
        let comparison = match comparison {
            Comparison::Equals if negated => Comparison::NotEquals,
            Comparison::NotEquals if negated => Comparison::Equals,
            other => other,
        };
        facts.comparisons.push(StringComparison {
            variable: variable.to_owned(),
            value: value.to_owned(),
            span,
            comparison,
        });
    };
    let equality = |kind: Option<&TokenKind>| match kind {
        Some(TokenKind::EqualEqual) => Some(Comparison::Equals),
        Some(TokenKind::NotEqual) => Some(Comparison::NotEquals),
        _ => None,
    };
    // variable == 'x' / variable != 'x'
    if let (Some(comparison), Some((value, span))) = (equality(scan.kind(index + 1)), scan.string(index + 2)) {
        push(value, span, comparison);
    }
    // 'x' == variable / 'x' != variable
    if index >= 2 {
        if let (Some(comparison), Some((value, span))) = (equality(scan.kind(index - 1)), scan.string(index - 2)) {
            push(value, span, comparison);
        }
    }
    // variable in ['a', 'b']
    if scan.is(index + 1, &TokenKind::In) && scan.is(index + 2, &TokenKind::LeftBracket) {
        let mut cursor = index + 3;
        loop {
            match scan.kind(cursor) {
                Some(TokenKind::String(_)) => {
                    if let Some((value, span)) = scan.string(cursor) {
                        push(value, span, Comparison::Equals);
                    }
                }
                Some(TokenKind::Comma) => {}
                _ => break,
            }
            cursor += 1;
        }
    }
    // variable.startsWith('x')
    if scan.is(index + 1, &TokenKind::Dot)
        && scan.word(index + 2) == Some("startsWith")
        && scan.is(index + 3, &TokenKind::LeftParen)
    {
        if let Some((value, span)) = scan.string(index + 4) {
            push(value, span, Comparison::Prefix);
        }
    }
}

fn scan_field_uses(scan: &Scan<'_>, index: usize, root: &str, facts: &mut LexicalFacts) {
    match (scan.kind(index + 1), scan.word(index + 2)) {
        // root.has('key')
        (Some(TokenKind::Dot), Some("has")) if scan.is(index + 3, &TokenKind::LeftParen) => {
            if let Some((key, _)) = scan.string(index + 4) {
                facts.add_guard(field(root, key));
            }
        }
        // root.size() and other method calls on the variable itself read no key.
        (Some(TokenKind::Dot), Some(_)) if scan.is(index + 3, &TokenKind::LeftParen) => {}
        (Some(TokenKind::Dot), Some(key)) => {
            let span = scan.span(index).cover(scan.span(index + 2));
            let in_uniform_list = is_in_uniform_list(scan, index + 3);
            facts.reads.push(FieldRead { field: field(root, key), span, in_uniform_list });
        }
        (Some(TokenKind::LeftBracket), _) => {
            if let (Some((key, _)), true) = (scan.string(index + 2), scan.is(index + 3, &TokenKind::RightBracket)) {
                let span = scan.span(index).cover(scan.span(index + 3));
                let in_uniform_list = is_in_uniform_list(scan, index + 4);
                facts.reads.push(FieldRead { field: field(root, key), span, in_uniform_list });
            }
        }
        _ => {}
    }
    // 'key' in root
    if index >= 2 && scan.is(index - 1, &TokenKind::In) {
        if let Some((key, _)) = scan.string(index - 2) {
            facts.add_guard(field(root, key));
        }
    }
}

/// Whether the tokens from `index` are further selections (`.name`, `.name()`) and then `in` a
/// list literal of literals of one type (`[]` included) that ends the right operand.
fn is_in_uniform_list(scan: &Scan<'_>, index: usize) -> bool {
    let mut cursor = index;
    while scan.is(cursor, &TokenKind::Dot) && scan.word(cursor + 1).is_some() {
        cursor += 2;
        if scan.is(cursor, &TokenKind::LeftParen) && scan.is(cursor + 1, &TokenKind::RightParen) {
            cursor += 2;
        }
    }
    if !(scan.is(cursor, &TokenKind::In) && scan.is(cursor + 1, &TokenKind::LeftBracket)) {
        return false;
    }
    cursor += 2;
    // The kind of every element, compared by discriminant (`-1` is an int literal).
    let mut element_kind: Option<std::mem::Discriminant<TokenKind>> = None;
    let mut expect_element = true;
    loop {
        let Some(kind) = scan.kind(cursor) else { return false };
        match kind {
            TokenKind::RightBracket => break,
            TokenKind::Comma if !expect_element => expect_element = true,
            TokenKind::Minus
                if expect_element
                    && matches!(scan.kind(cursor + 1), Some(TokenKind::Int(_) | TokenKind::Double(_))) => {}
            TokenKind::String(_)
            | TokenKind::Int(_)
            | TokenKind::Uint(_)
            | TokenKind::Double(_)
            | TokenKind::Bytes(_)
            | TokenKind::True
            | TokenKind::False
            | TokenKind::Null
                if expect_element =>
            {
                // `true` and `false` are one type.
                let kind = if matches!(kind, TokenKind::False) { &TokenKind::True } else { kind };
                let discriminant = std::mem::discriminant(kind);
                if element_kind.is_some_and(|seen| seen != discriminant) {
                    return false;
                }
                element_kind = Some(discriminant);
                expect_element = false;
            }
            _ => return false,
        }
        cursor += 1;
    }
    // The list must be the whole right operand: nothing that binds tighter may follow it.
    matches!(
        scan.kind(cursor + 1),
        None | Some(
            TokenKind::RightParen
                | TokenKind::RightBracket
                | TokenKind::RightBrace
                | TokenKind::Comma
                | TokenKind::Colon
                | TokenKind::Question
                | TokenKind::AndAnd
                | TokenKind::OrOr
                | TokenKind::EqualEqual
                | TokenKind::NotEqual
                | TokenKind::Less
                | TokenKind::LessEqual
                | TokenKind::Greater
                | TokenKind::GreaterEqual
                | TokenKind::In
                | TokenKind::Eof
        )
    )
}
