//! The one bridge between the policy engines and `iamlab-cel`, generic over the dialect:
//! Exoscale rule expressions and Scaleway conditions both go through it.
//!
//! An expression is compiled once ([`compile`]: parse, then check against the dialect's
//! declarations) when its document is read; validation reports the compiled findings and
//! evaluation reuses the tree, so a keystroke never parses an expression twice. Spans here are
//! relative to the decoded expression text; callers map them into the document.

use iamlab_cel::{Activation, Declarations, Dialect, DialectNote, Expr, ExprKind, LexicalFacts, Value};
use iamlab_model::{Diagnostic, Span};
use std::collections::HashSet;
use std::sync::OnceLock;

/// An expression parsed and checked once.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledExpression {
    pub dialect: Dialect,
    /// The tree, absent when the expression has syntax errors (evaluation then fails).
    pub ast: Option<Expr>,
    /// Syntax findings, then type findings against the dialect's declarations.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the expression relies on what the dialect's provider evaluator computes
    /// differently from cel-spec (Exoscale only); each engine reports them under its own codes.
    pub notes: Vec<DialectNote>,
}

/// What an expression evaluated to.
#[derive(Debug, Clone, PartialEq)]
pub enum ExpressionOutcome {
    True,
    False,
    /// It evaluated to something other than a boolean (rendered as CEL writes it).
    NotBoolean(String),
    /// It failed to parse or to evaluate; the message says why.
    Error(String),
}

/// One sub-expression value for the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracedValue {
    pub span: Span,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub outcome: ExpressionOutcome,
    /// Outermost first, then in source order; literals and lists of literals are left out (their
    /// value is their text).
    pub trace: Vec<TracedValue>,
}

/// The declarations of `dialect`, built once per process.
pub fn declarations(dialect: Dialect) -> &'static Declarations {
    static STANDARD: OnceLock<Declarations> = OnceLock::new();
    static EXOSCALE: OnceLock<Declarations> = OnceLock::new();
    static SCALEWAY: OnceLock<Declarations> = OnceLock::new();
    let cell = match dialect {
        Dialect::Standard => &STANDARD,
        Dialect::Exoscale => &EXOSCALE,
        Dialect::Scaleway => &SCALEWAY,
    };
    cell.get_or_init(|| Declarations::for_dialect(dialect))
}

/// Parses and checks `text`: the type check runs only on a tree without syntax errors.
pub fn compile(text: &str, dialect: Dialect) -> CompiledExpression {
    checked(iamlab_cel::parse(text, dialect), dialect)
}

/// [`compile`], plus the expression's lexical facts (`iamlab_cel::facts`) from the same lexing
/// pass, for the providers whose lints read them.
pub fn compile_with_facts(text: &str, dialect: Dialect) -> (CompiledExpression, LexicalFacts) {
    let (parsed, facts) = iamlab_cel::parse_with_facts(text, dialect);
    (checked(parsed, dialect), facts)
}

fn checked(parsed: iamlab_cel::ParsedExpression, dialect: Dialect) -> CompiledExpression {
    let mut diagnostics = parsed.diagnostics;
    let mut notes = Vec::new();
    let ast = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        if let Some(ast) = &parsed.ast {
            let (warnings, found) = iamlab_cel::check_with_notes(ast, declarations(dialect), dialect);
            diagnostics.extend(warnings);
            notes = found;
        }
        parsed.ast
    };
    CompiledExpression { dialect, ast, diagnostics, notes }
}

/// Evaluates a compiled expression with a trace of its sub-expression values.
pub fn evaluate(compiled: &CompiledExpression, activation: &Activation) -> Evaluation {
    let Some(ast) = &compiled.ast else {
        let first_error = compiled.diagnostics.iter().find(|diagnostic| diagnostic.is_error());
        let message = first_error.map_or("it cannot be parsed".to_owned(), |error| error.message.clone());
        return Evaluation { outcome: ExpressionOutcome::Error(format!("syntax error: {message}")), trace: Vec::new() };
    };
    let (result, trace) = iamlab_cel::evaluate_traced(ast, activation, compiled.dialect);
    let outcome = match result {
        Ok(Value::Bool(true)) => ExpressionOutcome::True,
        Ok(Value::Bool(false)) => ExpressionOutcome::False,
        Ok(other) => ExpressionOutcome::NotBoolean(other.to_string()),
        Err(error) => ExpressionOutcome::Error(error.message),
    };
    Evaluation { outcome, trace: trace_values(ast, &trace) }
}

fn trace_values(ast: &Expr, trace: &iamlab_cel::Trace) -> Vec<TracedValue> {
    let mut skipped: HashSet<Span> = HashSet::new();
    iamlab_cel::walk(ast, &mut |node| {
        let constant = match &node.kind {
            ExprKind::Literal(_) => true,
            ExprKind::List(items) => items.iter().all(|item| matches!(item.kind, ExprKind::Literal(_))),
            _ => false,
        };
        if constant {
            skipped.insert(node.span);
        }
    });
    let mut values: Vec<TracedValue> = Vec::new();
    // The last outcome of a node evaluated several times (inside a comprehension) is kept.
    for node in trace.nodes.iter().rev() {
        if !skipped.insert(node.span) {
            continue;
        }
        let value = match &node.outcome {
            Ok(value) => value.to_string(),
            Err(error) => format!("error: {}", error.message),
        };
        values.push(TracedValue { span: node.span, value });
    }
    iamlab_model::order::sort_by_key(&mut values, |value| (value.span.start, std::cmp::Reverse(value.span.end)));
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, dialect: Dialect, variables: &[(&str, Value)], expect: &ExpressionOutcome) {
        let compiled = compile(text, dialect);
        let mut activation = Activation::new();
        for (name, value) in variables {
            activation.insert(*name, value.clone());
        }
        assert_eq!(&evaluate(&compiled, &activation).outcome, expect, "{text}");
    }

    #[test]
    fn one_bridge_serves_every_dialect() {
        check(
            "operation == 'create-instance'",
            Dialect::Exoscale,
            &[("operation", Value::string("create-instance"))],
            &ExpressionOutcome::True,
        );
        check(
            "request.user_agent.startsWith('terraform')",
            Dialect::Scaleway,
            &[],
            &ExpressionOutcome::Error("undeclared reference to 'request'".to_owned()),
        );
        check("1 + 1", Dialect::Standard, &[], &ExpressionOutcome::NotBoolean("2".to_owned()));
        check(
            "1 +",
            Dialect::Standard,
            &[],
            &ExpressionOutcome::Error("syntax error: unexpected end of the expression".to_owned()),
        );
    }

    #[test]
    fn compile_checks_against_the_dialect_declarations() {
        let compiled = compile("operaton == 'x'", Dialect::Exoscale);
        assert!(compiled.ast.is_some());
        let codes: Vec<&str> = compiled.diagnostics.iter().map(|diagnostic| diagnostic.code.as_str()).collect();
        assert!(!codes.is_empty(), "an unknown variable is reported");
    }
}
