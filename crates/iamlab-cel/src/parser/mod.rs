//! Recursive-descent parser for the cel-spec grammar. It never stops at the first error: it
//! returns the tree it could build (with [`ExprKind::Error`] holes) and every diagnostic.
//!
//! Depth is bounded twice: the parser's own recursion ([`MAX_NESTING`] nested brackets or
//! operands) and the height of the tree it builds ([`MAX_HEIGHT`], which also bounds the
//! recursion of the checker and the evaluator, and of dropping the tree).

use crate::ast::{BinaryOp, ComprehensionKind, Expr, ExprKind, FieldInit, Literal, MapEntry, UnaryOp};
use crate::lexer::{tokenize, Token, TokenKind};
use crate::{Dialect, ParsedExpression};
use iamlab_model::{Diagnostic, Span};

mod macros;

/// How deeply brackets and operands may nest before the parser reports `cel::too-deep`.
pub const MAX_NESTING: u32 = 96;
/// The greatest height of a syntax tree; long operator chains count too (`a || b || …`).
pub const MAX_HEIGHT: u32 = 128;

pub(crate) fn parse(source: &str, dialect: Dialect) -> ParsedExpression {
    parse_keeping_tokens(source, dialect).0
}

/// Parses `source` and hands back the tokens it was lexed into, so that callers needing the
/// tokens too (the lexical facts) do not lex it a second time. No tokens for a source too long
/// to have spans.
pub(crate) fn parse_keeping_tokens(source: &str, _dialect: Dialect) -> (ParsedExpression, Vec<Token>) {
    let mut diagnostics = Vec::new();
    if source.len() > u32::MAX as usize {
        diagnostics.push(
            Diagnostic::error("cel::too-long", "expression is longer than 4 GiB").with_primary(Span::empty_at(0), ""),
        );
        return (ParsedExpression { ast: None, diagnostics }, Vec::new());
    }
    let tokens = tokenize(source, &mut diagnostics);
    let eof = Token { kind: TokenKind::Eof, span: Span::from_usize(source.len(), source.len()) };
    let mut parser = Parser { source, tokens, position: 0, diagnostics, nesting: 0, reported_too_deep: false, eof };
    let parsed = parser.expression();
    // Anything after a complete expression is an error; keep parsing the rest so that every
    // problem is reported at once.
    while !parser.at(&TokenKind::Eof) {
        let token = parser.current().clone();
        parser.unexpected(&token, "expected the end of the expression");
        parser.advance();
        if !parser.at(&TokenKind::Eof) {
            let _discarded = parser.expression();
        }
    }
    let Parser { mut diagnostics, tokens, .. } = parser;
    iamlab_model::sort_diagnostics(&mut diagnostics);
    let ast = if parsed.expr.kind == ExprKind::Error && diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        Some(parsed.expr)
    };
    (ParsedExpression { ast, diagnostics }, tokens)
}

/// A node and the height of its tree.
struct Parsed {
    expr: Expr,
    height: u32,
    /// The expression's text including any parentheses around it. The node keeps its own span
    /// (traces show the operand itself), but a parent covers the parentheses too, so that
    /// `a && (b)` spans up to the closing `)`.
    outer: Span,
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    position: usize,
    diagnostics: Vec<Diagnostic>,
    nesting: u32,
    reported_too_deep: bool,
    /// Returned by `current` if the token list were ever empty (it always ends with `Eof`).
    eof: Token,
}

fn describe(kind: &TokenKind, text: &str) -> String {
    match kind {
        TokenKind::Eof => "the end of the expression".to_owned(),
        TokenKind::String(_) | TokenKind::Bytes(_) => "a string literal".to_owned(),
        TokenKind::Int(_) | TokenKind::Uint(_) | TokenKind::Double(_) => format!("number `{text}`"),
        _ => format!("`{text}`"),
    }
}

impl Parser<'_> {
    fn current(&self) -> &Token {
        // The token list always ends with `Eof`, and `advance` never moves past it.
        self.tokens.get(self.position).or(self.tokens.last()).unwrap_or(&self.eof)
    }

    fn peek_kind(&self, offset: usize) -> &TokenKind {
        self.tokens.get(self.position + offset).map_or(&TokenKind::Eof, |token| &token.kind)
    }

    fn at(&self, kind: &TokenKind) -> bool {
        &self.current().kind == kind
    }

    fn advance(&mut self) -> Token {
        let token = self.current().clone();
        if self.position + 1 < self.tokens.len() {
            self.position += 1;
        }
        token
    }

    fn text(&self, span: Span) -> &str {
        span.slice(self.source).unwrap_or("")
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        // One error per place: a second one at the same offset is almost always a consequence.
        // Only recent diagnostics are compared, and their number is capped, so that a megabyte
        // of garbage costs linear time.
        let start = diagnostic.primary_span().map(|span| span.start);
        let recent = self.diagnostics.iter().rev().take(8);
        if start.is_some() && recent.into_iter().any(|existing| existing.primary_span().map(|span| span.start) == start)
        {
            return;
        }
        push_capped(&mut self.diagnostics, diagnostic);
    }

    fn unexpected(&mut self, token: &Token, help: &str) {
        let text = self.text(token.span).to_owned();
        let diagnostic = match &token.kind {
            TokenKind::Invalid => return,
            TokenKind::Eof => Diagnostic::error("cel::unexpected-end", "unexpected end of the expression")
                .with_primary(token.span, "")
                .with_help(help),
            TokenKind::Reserved => Diagnostic::error("cel::reserved-word", format!("`{text}` is a reserved word"))
                .with_primary(token.span, "")
                .with_help("reserved words cannot name variables or functions"),
            _ => Diagnostic::error("cel::unexpected-token", format!("unexpected {}", describe(&token.kind, &text)))
                .with_primary(token.span, "")
                .with_help(help),
        };
        self.report(diagnostic);
    }

    /// Consumes the closing token of a bracket pair, or reports it missing.
    fn expect_closing(&mut self, kind: TokenKind, closing: &str, opening_span: Span) -> u32 {
        if self.at(&kind) {
            return self.advance().span.end;
        }
        let token = self.current().clone();
        let text = self.text(token.span).to_owned();
        let found = describe(&token.kind, &text);
        let opening = self.text(opening_span).to_owned();
        self.report(
            Diagnostic::error("cel::unclosed-delimiter", format!("expected `{closing}`, found {found}"))
                .with_primary(token.span, format!("expected `{closing}`"))
                .with_secondary(opening_span, format!("`{opening}` opened here"))
                .with_help(format!("add `{closing}` to close the `{opening}`")),
        );
        token.span.start
    }

    fn error_node(&self, span: Span) -> Parsed {
        Parsed { expr: Expr::new(span, ExprKind::Error), height: 1, outer: span }
    }

    fn report_too_deep(&mut self, span: Span) {
        if !self.reported_too_deep {
            self.reported_too_deep = true;
            self.report(
                Diagnostic::error("cel::too-deep", "expression is nested too deeply")
                    .with_primary(span, "")
                    .with_help(format!(
                        "iamlab accepts up to {MAX_NESTING} nested brackets or operands and trees of height {MAX_HEIGHT}; split the expression"
                    )),
            );
        }
    }

    /// Builds a node over children of height `child_height`, or an error node when it would be
    /// too high.
    fn node(&mut self, span: Span, kind: ExprKind, child_height: u32) -> Parsed {
        let height = child_height + 1;
        if height > MAX_HEIGHT {
            self.report_too_deep(span);
            return self.error_node(span);
        }
        Parsed { expr: Expr::new(span, kind), height, outer: span }
    }

    /// Skips a too-deeply nested region without recursing: up to the token that closes the
    /// enclosing bracket (or a separator at this level).
    fn skip_nested(&mut self) -> Span {
        let start = self.current().span;
        let mut end = start;
        let mut level = 0u32;
        loop {
            match self.current().kind {
                TokenKind::Eof => break,
                TokenKind::LeftParen | TokenKind::LeftBracket | TokenKind::LeftBrace => level += 1,
                TokenKind::RightParen
                | TokenKind::RightBracket
                | TokenKind::RightBrace
                | TokenKind::Comma
                | TokenKind::Colon
                    if level == 0 =>
                {
                    break
                }
                TokenKind::RightParen | TokenKind::RightBracket | TokenKind::RightBrace => level -= 1,
                _ => {}
            }
            end = self.advance().span;
        }
        start.cover(end)
    }

    fn expression(&mut self) -> Parsed {
        if self.nesting >= MAX_NESTING {
            let span = self.current().span;
            self.report_too_deep(span);
            let skipped = self.skip_nested();
            return self.error_node(skipped);
        }
        self.nesting += 1;
        let result = self.conditional();
        self.nesting -= 1;
        result
    }

    fn conditional(&mut self) -> Parsed {
        let condition = self.or();
        if !self.at(&TokenKind::Question) {
            return condition;
        }
        self.advance();
        let then = self.or();
        if self.at(&TokenKind::Colon) {
            self.advance();
        } else {
            let token = self.current().clone();
            self.unexpected(&token, "a conditional needs `:` and an alternative: `condition ? then : otherwise`");
        }
        let otherwise = self.expression();
        let span = condition.outer.cover(otherwise.outer);
        let height = condition.height.max(then.height).max(otherwise.height);
        self.node(
            span,
            ExprKind::Conditional {
                condition: Box::new(condition.expr),
                then: Box::new(then.expr),
                otherwise: Box::new(otherwise.expr),
            },
            height,
        )
    }

    fn binary(&mut self, left: Parsed, op: BinaryOp, right: Parsed) -> Parsed {
        let span = left.outer.cover(right.outer);
        let height = left.height.max(right.height);
        self.node(span, ExprKind::Binary { op, left: Box::new(left.expr), right: Box::new(right.expr) }, height)
    }

    /// The binary operator at the current token and its precedence (1 = `||` … 5 = `*`),
    /// reporting the single-character mistakes (`=`, `&`, `|`) and reading them as intended.
    fn binary_operator(&mut self) -> Option<(BinaryOp, u8)> {
        let token = self.current().clone();
        let mistake = |code: &str, text: &str, intended: &str| {
            Diagnostic::error(code, format!("`{text}` is not an operator"))
                .with_primary(token.span, "")
                .with_help(format!("did you mean `{intended}`?"))
        };
        let found = match token.kind {
            TokenKind::OrOr => (BinaryOp::Or, 1),
            TokenKind::Pipe => {
                self.report(mistake("cel::single-pipe", "|", "||"));
                (BinaryOp::Or, 1)
            }
            TokenKind::AndAnd => (BinaryOp::And, 2),
            TokenKind::Ampersand => {
                self.report(mistake("cel::single-ampersand", "&", "&&"));
                (BinaryOp::And, 2)
            }
            TokenKind::EqualEqual => (BinaryOp::Equal, 3),
            TokenKind::NotEqual => (BinaryOp::NotEqual, 3),
            TokenKind::Less => (BinaryOp::Less, 3),
            TokenKind::LessEqual => (BinaryOp::LessEqual, 3),
            TokenKind::Greater => (BinaryOp::Greater, 3),
            TokenKind::GreaterEqual => (BinaryOp::GreaterEqual, 3),
            TokenKind::In => (BinaryOp::In, 3),
            TokenKind::Assign => {
                self.report(mistake("cel::assignment", "=", "=="));
                (BinaryOp::Equal, 3)
            }
            TokenKind::Plus => (BinaryOp::Add, 4),
            TokenKind::Minus => (BinaryOp::Subtract, 4),
            TokenKind::Star => (BinaryOp::Multiply, 5),
            TokenKind::Slash => (BinaryOp::Divide, 5),
            TokenKind::Percent => (BinaryOp::Remainder, 5),
            _ => return None,
        };
        Some(found)
    }

    fn precedence_at(&self) -> Option<u8> {
        Some(match self.current().kind {
            TokenKind::OrOr | TokenKind::Pipe => 1,
            TokenKind::AndAnd | TokenKind::Ampersand => 2,
            TokenKind::EqualEqual
            | TokenKind::NotEqual
            | TokenKind::Less
            | TokenKind::LessEqual
            | TokenKind::Greater
            | TokenKind::GreaterEqual
            | TokenKind::In
            | TokenKind::Assign => 3,
            TokenKind::Plus | TokenKind::Minus => 4,
            TokenKind::Star | TokenKind::Slash | TokenKind::Percent => 5,
            _ => return None,
        })
    }

    /// Precedence climbing over the five left-associative levels of the grammar
    /// (`||`, `&&`, relations, `+ -`, `* / %`): one stack frame per level of nesting instead of
    /// one per grammar rule, which keeps deep inputs far from the stack's end.
    fn or(&mut self) -> Parsed {
        self.binary_level(1)
    }

    fn binary_level(&mut self, minimum: u8) -> Parsed {
        let mut left = self.unary();
        while let Some(precedence) = self.precedence_at() {
            if precedence < minimum {
                break;
            }
            let Some((op, precedence)) = self.binary_operator() else { break };
            self.advance();
            let right = self.binary_level(precedence + 1);
            left = self.binary(left, op, right);
        }
        left
    }

    fn unary(&mut self) -> Parsed {
        // Iterative, so that `!!!!…` of any length cannot overflow the stack.
        let mut operators: Vec<(UnaryOp, Span)> = Vec::new();
        loop {
            let op = match self.current().kind {
                TokenKind::Bang => UnaryOp::Not,
                TokenKind::Minus => UnaryOp::Negate,
                _ => break,
            };
            let span = self.advance().span;
            operators.push((op, span));
        }
        // A minus directly before a number literal is part of the literal: this is how
        // `-9223372036854775808` (whose magnitude is not an int) is written.
        let mut operand = match (operators.last(), self.current().kind.clone()) {
            (Some((UnaryOp::Negate, minus_span)), TokenKind::Int(magnitude)) if matches!(self.peek_kind(1), kind if !is_member_continuation(kind)) =>
            {
                let minus_span = *minus_span;
                operators.pop();
                let token = self.advance();
                let span = minus_span.cover(token.span);
                let value = if magnitude == 1u64 << 63 {
                    i64::MIN
                } else {
                    match i64::try_from(magnitude) {
                        Ok(value) => -value,
                        Err(_) => {
                            self.report_int_range(span);
                            0
                        }
                    }
                };
                Parsed { expr: Expr::new(span, ExprKind::Literal(Literal::Int(value))), height: 1, outer: span }
            }
            (Some((UnaryOp::Negate, minus_span)), TokenKind::Double(value)) if matches!(self.peek_kind(1), kind if !is_member_continuation(kind)) =>
            {
                let minus_span = *minus_span;
                operators.pop();
                let token = self.advance();
                Parsed {
                    expr: Expr::new(minus_span.cover(token.span), ExprKind::Literal(Literal::Double(-value))),
                    height: 1,
                    outer: minus_span.cover(token.span),
                }
            }
            _ => self.member(),
        };
        while let Some((op, span)) = operators.pop() {
            let node_span = span.cover(operand.outer);
            let height = operand.height;
            operand = self.node(node_span, ExprKind::Unary { op, operand: Box::new(operand.expr) }, height);
        }
        operand
    }

    fn report_int_range(&mut self, span: Span) {
        self.report(
            Diagnostic::error("cel::integer-out-of-range", "integer literal out of int range")
                .with_primary(span, "")
                .with_help(
                "int is a signed 64-bit integer: from -9223372036854775808 to 9223372036854775807; add `u` for a uint",
            ),
        );
    }

    fn member(&mut self) -> Parsed {
        let mut operand = self.primary();
        loop {
            match self.current().kind {
                TokenKind::Dot => {
                    let dot = self.advance();
                    let name_token = self.current().clone();
                    if let TokenKind::QuotedIdent(name) = &name_token.kind {
                        self.advance();
                        let span = operand.outer.cover(name_token.span);
                        let height = operand.height;
                        operand = self.node(
                            span,
                            ExprKind::Select {
                                operand: Box::new(operand.expr),
                                field: name.to_string(),
                                field_span: name_token.span,
                                test_only: false,
                            },
                            height,
                        );
                        continue;
                    }
                    // Reserved words are fine as field and method names (`{'as': 1}.as`).
                    if !matches!(name_token.kind, TokenKind::Ident | TokenKind::Reserved) {
                        self.unexpected(&name_token, "a field or method name must follow `.`");
                        let span = operand.outer.cover(dot.span);
                        let height = operand.height;
                        return self.node(span, ExprKind::Error, height);
                    }
                    self.advance();
                    let name = self.text(name_token.span).to_owned();
                    if self.at(&TokenKind::LeftParen) {
                        let open = self.advance().span;
                        let (args, args_height) = self.arguments(TokenKind::RightParen, ")", open);
                        let end =
                            self.tokens.get(self.position.saturating_sub(1)).map_or(open.end, |token| token.span.end);
                        let span = operand.outer.cover(Span::empty_at(end));
                        operand = self.call(Some(operand), name, name_token.span, args, args_height, span);
                    } else {
                        let span = operand.outer.cover(name_token.span);
                        let height = operand.height;
                        operand = self.node(
                            span,
                            ExprKind::Select {
                                operand: Box::new(operand.expr),
                                field: name,
                                field_span: name_token.span,
                                test_only: false,
                            },
                            height,
                        );
                    }
                }
                TokenKind::LeftBracket => {
                    let open = self.advance().span;
                    let index = self.expression();
                    let end = self.expect_closing(TokenKind::RightBracket, "]", open);
                    let span = operand.outer.cover(Span::empty_at(end));
                    let height = operand.height.max(index.height);
                    operand = self.node(
                        span,
                        ExprKind::Index { operand: Box::new(operand.expr), index: Box::new(index.expr) },
                        height,
                    );
                }
                TokenKind::LeftBrace if qualified_name(&operand.expr).is_some() => {
                    let type_name = qualified_name(&operand.expr).unwrap_or_default();
                    let open = self.advance().span;
                    let (fields, height) = self.field_inits(open);
                    let end = self.expect_closing(TokenKind::RightBrace, "}", open);
                    let span = operand.outer.cover(Span::empty_at(end));
                    operand = self.node(span, ExprKind::Struct { type_name, fields }, height.max(operand.height));
                }
                _ => return operand,
            }
        }
    }

    fn field_inits(&mut self, open: Span) -> (Vec<FieldInit>, u32) {
        let mut fields = Vec::new();
        let mut height = 0;
        if self.nesting >= MAX_NESTING {
            self.report_too_deep(open);
            self.skip_nested();
            return (fields, height);
        }
        while !self.at(&TokenKind::RightBrace) && !self.at(&TokenKind::Eof) {
            let token = self.current().clone();
            if token.kind != TokenKind::Ident {
                self.unexpected(&token, "a message field is written `name: value`");
                self.skip_nested();
                if self.at(&TokenKind::Comma) {
                    self.advance();
                    continue;
                }
                break;
            }
            self.advance();
            if self.at(&TokenKind::Colon) {
                self.advance();
            } else {
                let found = self.current().clone();
                self.unexpected(&found, "a message field is written `name: value`");
            }
            let value = self.expression();
            height = height.max(value.height);
            fields.push(FieldInit {
                field: self.text(token.span).to_owned(),
                field_span: token.span,
                value: value.expr,
            });
            if self.at(&TokenKind::Comma) {
                self.advance();
            } else {
                break;
            }
        }
        (fields, height)
    }

    /// Parses a comma-separated list up to `closing` (consumed); a trailing comma is allowed.
    fn arguments(&mut self, closing: TokenKind, closing_text: &str, open: Span) -> (Vec<Expr>, u32) {
        let mut items = Vec::new();
        let mut height = 0;
        while !self.at(&closing) && !self.at(&TokenKind::Eof) {
            let item = self.expression();
            height = height.max(item.height);
            items.push(item.expr);
            if self.at(&TokenKind::Comma) {
                self.advance();
            } else {
                break;
            }
        }
        self.expect_closing(closing, closing_text, open);
        (items, height)
    }

    fn primary(&mut self) -> Parsed {
        let token = self.current().clone();
        let literal =
            |kind| Parsed { expr: Expr::new(token.span, ExprKind::Literal(kind)), height: 1, outer: token.span };
        match token.kind {
            TokenKind::Int(value) => {
                self.advance();
                match i64::try_from(value) {
                    Ok(value) => literal(Literal::Int(value)),
                    Err(_) => {
                        self.report_int_range(token.span);
                        literal(Literal::Int(0))
                    }
                }
            }
            TokenKind::Uint(value) => {
                self.advance();
                literal(Literal::Uint(value))
            }
            TokenKind::Double(value) => {
                self.advance();
                literal(Literal::Double(value))
            }
            TokenKind::String(ref value) => {
                let value = value.clone();
                self.advance();
                literal(Literal::String(value))
            }
            TokenKind::Bytes(ref value) => {
                let value = value.clone();
                self.advance();
                literal(Literal::Bytes(value))
            }
            TokenKind::True => {
                self.advance();
                literal(Literal::Bool(true))
            }
            TokenKind::False => {
                self.advance();
                literal(Literal::Bool(false))
            }
            TokenKind::Null => {
                self.advance();
                literal(Literal::Null)
            }
            TokenKind::Dot if self.peek_kind(1) == &TokenKind::Ident => {
                // A leading dot names the root scope; iamlab has no containers, so it is the
                // same name.
                self.advance();
                self.identifier_or_call()
            }
            TokenKind::Ident => self.identifier_or_call(),
            TokenKind::LeftParen => {
                let open = self.advance().span;
                let inner = self.expression();
                // Parentheses only group: the node keeps its own span, so that traces show the
                // operand itself.
                self.expect_closing(TokenKind::RightParen, ")", open);
                let end = self.tokens.get(self.position.saturating_sub(1)).map_or(open.end, |token| token.span.end);
                Parsed { outer: open.cover(inner.outer).cover(Span::empty_at(end)), ..inner }
            }
            TokenKind::LeftBracket => {
                let open = self.advance().span;
                let (items, height) = self.arguments(TokenKind::RightBracket, "]", open);
                let end = self.tokens.get(self.position.saturating_sub(1)).map_or(open.end, |token| token.span.end);
                self.node(open.cover(Span::empty_at(end)), ExprKind::List(items), height)
            }
            TokenKind::LeftBrace => {
                let open = self.advance().span;
                let (entries, height) = self.map_entries();
                let end = self.expect_closing(TokenKind::RightBrace, "}", open);
                self.node(open.cover(Span::empty_at(end)), ExprKind::Map(entries), height)
            }
            _ => {
                let help = match token.kind {
                    TokenKind::Eof => "an expression was expected here",
                    TokenKind::Assign => "`=` is not an operator; did you mean `==`?",
                    _ => "an operand (a literal, a name, a call or a parenthesized expression) was expected",
                };
                self.unexpected(&token, help);
                // Leave closing brackets and operators to the rules that expect them.
                let consumes = matches!(
                    token.kind,
                    TokenKind::Reserved
                        | TokenKind::Invalid
                        | TokenKind::Question
                        | TokenKind::Colon
                        | TokenKind::Dot
                        | TokenKind::QuotedIdent(_)
                );
                if consumes {
                    self.advance();
                }
                self.error_node(Span::empty_at(token.span.start).cover(if consumes {
                    token.span
                } else {
                    Span::empty_at(token.span.start)
                }))
            }
        }
    }

    fn map_entries(&mut self) -> (Vec<MapEntry>, u32) {
        let mut entries = Vec::new();
        let mut height = 0;
        while !self.at(&TokenKind::RightBrace) && !self.at(&TokenKind::Eof) {
            let key = self.expression();
            if self.at(&TokenKind::Colon) {
                self.advance();
            } else {
                let token = self.current().clone();
                self.unexpected(&token, "a map entry is written `key: value`");
            }
            let value = self.expression();
            height = height.max(key.height).max(value.height);
            entries.push(MapEntry { key: key.expr, value: value.expr });
            if self.at(&TokenKind::Comma) {
                self.advance();
            } else {
                break;
            }
        }
        (entries, height)
    }

    fn identifier_or_call(&mut self) -> Parsed {
        let token = self.advance();
        let name = self.text(token.span).to_owned();
        if self.at(&TokenKind::LeftParen) {
            let open = self.advance().span;
            let (args, height) = self.arguments(TokenKind::RightParen, ")", open);
            let end = self.tokens.get(self.position.saturating_sub(1)).map_or(open.end, |token| token.span.end);
            let span = token.span.cover(Span::empty_at(end));
            return self.call(None, name, token.span, args, height, span);
        }
        Parsed { expr: Expr::new(token.span, ExprKind::Ident(name)), height: 1, outer: token.span }
    }

    /// Builds a call node, expanding the macros.
    fn call(
        &mut self,
        target: Option<Parsed>,
        function: String,
        function_span: Span,
        mut args: Vec<Expr>,
        args_height: u32,
        span: Span,
    ) -> Parsed {
        let height = args_height.max(target.as_ref().map_or(0, |target| target.height));
        match (target, function.as_str(), args.len()) {
            (None, "has", 1) => {
                let argument = args.pop().map(|arg| arg.kind);
                match argument {
                    Some(ExprKind::Select { operand, field, field_span, .. }) => self.node(
                        span,
                        ExprKind::Select { operand, field, field_span, test_only: true },
                        height.saturating_sub(1),
                    ),
                    _ => {
                        self.report(
                            Diagnostic::error("cel::invalid-has", "invalid argument to has() macro")
                                .with_primary(span, "")
                                .with_help("`has` takes a field selection such as `has(request.ip)`"),
                        );
                        self.error_node(span)
                    }
                }
            }
            (Some(target), name, count) => {
                let kind = match (name, count) {
                    ("all", 2 | 3) => Some(ComprehensionKind::All),
                    ("exists", 2 | 3) => Some(ComprehensionKind::Exists),
                    ("exists_one" | "existsOne", 2 | 3) => Some(ComprehensionKind::ExistsOne),
                    ("map", 2 | 3) => Some(ComprehensionKind::Map),
                    ("filter", 2) => Some(ComprehensionKind::Filter),
                    ("transformList", 3 | 4) => Some(ComprehensionKind::TransformList),
                    ("transformMap", 3 | 4) => Some(ComprehensionKind::TransformMap),
                    ("transformMapEntry", 3 | 4) => Some(ComprehensionKind::TransformMapEntry),
                    _ => None,
                };
                match kind {
                    Some(kind) => self.comprehension(kind, target, args, height, span),
                    None => self.node(
                        span,
                        ExprKind::Call { target: Some(Box::new(target.expr)), function, function_span, args },
                        height,
                    ),
                }
            }
            (None, _, _) => self.node(span, ExprKind::Call { target: None, function, function_span, args }, height),
        }
    }
}

/// How many diagnostics one expression may produce; past it, one last diagnostic says so.
pub(crate) const MAX_DIAGNOSTICS: usize = 100;

pub(crate) fn push_capped(diagnostics: &mut Vec<Diagnostic>, diagnostic: Diagnostic) {
    match diagnostics.len() {
        length if length < MAX_DIAGNOSTICS => diagnostics.push(diagnostic),
        MAX_DIAGNOSTICS => {
            let span = diagnostic.primary_span().unwrap_or_default();
            diagnostics.push(
                Diagnostic::error("cel::too-many-errors", "too many errors; the rest are not reported")
                    .with_primary(span, "")
                    .with_help("fix the errors above first"),
            );
        }
        _ => {}
    }
}

fn is_member_continuation(kind: &TokenKind) -> bool {
    matches!(kind, TokenKind::Dot | TokenKind::LeftBracket)
}

/// `a.b.c` as a dotted name when the expression is only identifiers and selections.
pub(crate) fn qualified_name(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Ident(name) => Some(name.clone()),
        ExprKind::Select { operand, field, test_only: false, .. } => {
            let mut prefix = qualified_name(operand)?;
            prefix.push('.');
            prefix.push_str(field);
            Some(prefix)
        }
        _ => None,
    }
}
