//! iamlab's CEL (Common Expression Language) engine: a parser that keeps byte spans and never
//! stops at the first error, a static checker against a variable catalogue, and an evaluator
//! that can record the value of every sub-expression, with the provider dialects of Exoscale
//! and Scaleway. The language is the one of cel-spec's `doc/langdef.md`.
//!
//! ```
//! use iamlab_cel::{evaluate, parse, Activation, Dialect, Value};
//!
//! let parsed = parse("parameters.has('type') && parameters.type != 'TXT'", Dialect::Exoscale);
//! let expr = parsed.ast.unwrap();
//! let parameters = serde_json::json!({"type": "A"});
//! let activation = Activation::new().with("parameters", Value::from_json(&parameters));
//! assert_eq!(evaluate(&expr, &activation, Dialect::Exoscale).unwrap(), Value::Bool(true));
//! ```
//!
//! # Phases
//! - [`parse`]: text → [`Expr`] with spans plus [`Diagnostic`]s (module `parser`, `lexer`).
//! - [`check`]: warnings against [`Declarations`] (unknown names with "did you mean", unknown
//!   functions, wrong arity, visible type mismatches).
//! - [`evaluate`] / [`evaluate_traced`]: the value, or an [`EvalError`] with the span of the
//!   failing node; the traced variant also returns a [`Trace`].
//! - [`facts`]: lexical facts for policy linters (string comparisons, field reads, presence
//!   tests), from the parser's own tokens; [`parse_with_facts`] gives the tree and the facts
//!   from one lexing pass.
//!
//! # Dialects
//! See `DIALECTS.md` beside this crate's `Cargo.toml` for the sources of each quirk.
//! - [`Dialect::Standard`]: plain cel-spec (used by the conformance runner).
//! - [`Dialect::Exoscale`]: receiver `map.has('key')`, `string.inIpRange('cidr')`, and what
//!   Exoscale's own evaluator (`exoscale/cel-parser`) computes where it differs from cel-spec:
//!   typed `==`/`!=`/ordering/`in`, a failing left operand of `in [...]` gives false, `matches`
//!   is a full Java-regex match, Clojure's timestamp reader, Java's time zones (unknown: GMT),
//!   `timestamp - timestamp` swapped, `bool()` as `Boolean.parseBoolean`. [`check_with_notes`]
//!   reports where an expression relies on one of these ([`DialectNote`]).
//! - [`Dialect::Scaleway`]: the global `inIpRange(ip, subnet)` (and its receiver form).
//!
//! # Diagnostic codes
//! Parser (errors): `cel::unexpected-token`, `cel::unexpected-end`, `cel::unclosed-delimiter`,
//! `cel::unterminated-string`, `cel::invalid-escape`, `cel::invalid-character`,
//! `cel::integer-out-of-range`, `cel::reserved-word`, `cel::assignment` (`=` for `==`),
//! `cel::single-ampersand`, `cel::single-pipe`, `cel::invalid-has`,
//! `cel::invalid-macro-variable`, `cel::too-deep`, `cel::too-long`, `cel::too-many-errors`.
//! Checker (warnings): `cel::unknown-variable`, `cel::unknown-field`, `cel::unknown-function`,
//! `cel::wrong-arity`, `cel::type-mismatch`, `cel::unsupported-message`.

mod ast;
mod check;
mod declarations;
mod dialect_notes;
mod eval;
pub mod facts;
mod functions;
mod lexer;
mod literal_pattern;
mod operators;
mod parser;
mod program;
mod table;
mod time;
mod value;

pub use ast::{
    walk, BinaryOp, Comprehension, ComprehensionKind, Expr, ExprKind, FieldInit, Literal, MapEntry, UnaryOp,
};
pub use check::{check, check_with_notes};
pub use declarations::{CelType, Declarations};
pub use dialect_notes::{DialectNote, DialectNoteKind};
pub use eval::{evaluate, evaluate_traced, type_value, Activation, EvalError, Trace, TraceNode};
pub use facts::{lexical_facts, LexicalFacts};
pub use iamlab_model::{Diagnostic, Span};
pub use lexer::{classify_tokens, ClassifiedToken, TokenClass};
pub use operators::values_equal;
pub use parser::{MAX_HEIGHT, MAX_NESTING};
pub use program::Program;
pub use time::{
    format_duration, format_timestamp, parse_duration, parse_timestamp, set_time_zone_resolver, Duration,
    TimeZoneResolver, Timestamp,
};
pub use value::{Map, MapKey, Value};

/// Which provider's flavour of CEL to parse, check and evaluate. Passed to every call; there is
/// no global state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// cel-spec as written, for the conformance suite.
    #[default]
    Standard,
    /// Exoscale IAM rule expressions.
    Exoscale,
    /// Scaleway IAM policy conditions.
    Scaleway,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Standard => "standard",
            Dialect::Exoscale => "exoscale",
            Dialect::Scaleway => "scaleway",
        }
    }
}

/// The result of [`parse`]: the tree (absent only when nothing could be built) and every
/// diagnostic, with spans relative to the source.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedExpression {
    pub ast: Option<Expr>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedExpression {
    /// True when some diagnostic is an error (the tree then contains [`ExprKind::Error`] holes).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses one expression. Never panics and never overflows the stack, whatever the input.
pub fn parse(source: &str, dialect: Dialect) -> ParsedExpression {
    parser::parse(source, dialect)
}

/// Parses one expression and computes its [`LexicalFacts`] from the same tokens: one lexing
/// pass for both, which is what a policy engine reading an expression on every keystroke wants.
pub fn parse_with_facts(source: &str, dialect: Dialect) -> (ParsedExpression, LexicalFacts) {
    let (parsed, tokens) = parser::parse_keeping_tokens(source, dialect);
    let facts = facts::facts_of_tokens(source, &tokens);
    (parsed, facts)
}

#[cfg(test)]
mod tests;
