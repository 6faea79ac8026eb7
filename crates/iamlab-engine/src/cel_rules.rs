//! The one bridge between the policy engines and `iamlab-cel`, generic over the dialect:
//! Exoscale rule expressions and Scaleway conditions both go through it.
//!
//! An expression is compiled once ([`compile`]: parse, then check against the dialect's
//! declarations) when its document is read; validation reports the compiled findings and
//! evaluation reuses the tree, so a keystroke never parses an expression twice. Spans here are
//! relative to the decoded expression text; callers map them into the document.
//!
//! Two ways to evaluate, chosen by the simulation's [`Detail`]:
//! - [`Detail::Explained`] ([`evaluate`]): the tree walk with a trace, whose values every
//!   explanation step of an evaluated rule shows (the playground's decision view, the CLI, the
//!   nearest miss). Every evaluated rule is shown, so every evaluated rule is traced: the trace
//!   is not recorded for some rules only.
//! - [`Detail::DecisionOnly`] ([`outcome`]): `iamlab_cel::Program`, compiled from the tree at
//!   most once per parse (on the first such evaluation, so that a keystroke that only explains
//!   never pays for it), evaluated without a trace. Its outcome is the tree walk's, value for
//!   value and error for error (`iamlab_cel::program`'s contract, and
//!   `tests::the_program_decides_as_the_tree_walk` here).

pub use crate::pipeline::Detail;
#[cfg(feature = "programs")]
use iamlab_cel::Program;
use iamlab_cel::{Activation, Declarations, Dialect, DialectNote, Expr, ExprKind, LexicalFacts, Value};
use iamlab_model::{Diagnostic, Span};
#[cfg(feature = "programs")]
use std::cell::OnceCell;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// An expression parsed and checked once.
#[derive(Debug, Clone)]
pub struct CompiledExpression {
    pub dialect: Dialect,
    /// The tree, absent when the expression has syntax errors (evaluation then fails).
    pub ast: Option<Expr>,
    /// Syntax findings, then type findings against the dialect's declarations.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the expression relies on what the dialect's provider evaluator computes
    /// differently from cel-spec (Exoscale only); each engine reports them under its own codes.
    pub notes: Vec<DialectNote>,
    /// The tree compiled to a program, on the first untraced evaluation.
    #[cfg(feature = "programs")]
    program: OnceCell<Program>,
}

/// The program is a function of the tree and the dialect, so it takes no part in equality.
impl PartialEq for CompiledExpression {
    fn eq(&self, other: &Self) -> bool {
        self.dialect == other.dialect
            && self.ast == other.ast
            && self.diagnostics == other.diagnostics
            && self.notes == other.notes
    }
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

/// An expression compiled with its facts, shared by every document that holds the same text.
pub type SharedCompilation = Rc<(CompiledExpression, LexicalFacts)>;

/// How many compiled expressions a thread keeps: far more than a policy being edited holds (the
/// playground's 50-rule role has 50), few enough to bound the memory of a pathological document,
/// which then only compiles as it would without the cache.
const REMEMBERED_EXPRESSIONS: usize = 2048;

/// The compilations this thread made, by dialect and text.
#[derive(Default)]
struct RecentCompilations {
    index: HashMap<String, usize>,
    compiled: Vec<SharedCompilation>,
}

thread_local! {
    static RECENT: RefCell<RecentCompilations> = RefCell::new(RecentCompilations::default());
}

/// [`compile_with_facts`], remembered: the same text in the same dialect is compiled once per
/// thread and shared. Compiling is a function of the text and the dialect alone (spans are
/// relative to the text), so a remembered compilation is the one a new one would give
/// (`tests::a_remembered_compilation_is_the_one_compiling_gives`). The playground reads its
/// documents again on every keystroke and a keystroke changes one expression at most: the
/// others are not lexed, parsed and checked again (a third of reading the 50-rule role).
pub fn compile_with_facts_shared(text: &str, dialect: Dialect) -> SharedCompilation {
    let key = format!("{}{text}", dialect_key(dialect));
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if let Some(shared) = recent.index.get(&key).and_then(|index| recent.compiled.get(*index)) {
            return Rc::clone(shared);
        }
        if recent.compiled.len() >= REMEMBERED_EXPRESSIONS {
            recent.index.clear();
            recent.compiled.clear();
        }
        let shared = Rc::new(compile_with_facts(text, dialect));
        let index = recent.compiled.len();
        recent.compiled.push(Rc::clone(&shared));
        recent.index.insert(key, index);
        shared
    })
}

fn dialect_key(dialect: Dialect) -> char {
    match dialect {
        Dialect::Standard => 's',
        Dialect::Exoscale => 'x',
        Dialect::Scaleway => 'w',
    }
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
    CompiledExpression {
        dialect,
        ast,
        diagnostics,
        notes,
        #[cfg(feature = "programs")]
        program: OnceCell::new(),
    }
}

/// Evaluates a compiled expression as `detail` asks: with a trace ([`evaluate`]) or for its
/// outcome only ([`outcome`], with an empty trace).
pub fn evaluate_with(compiled: &CompiledExpression, activation: &Activation, detail: Detail) -> Evaluation {
    match detail {
        Detail::Explained => evaluate(compiled, activation),
        Detail::DecisionOnly => Evaluation { outcome: outcome(compiled, activation), trace: Vec::new() },
    }
}

/// Evaluates a compiled expression with a trace of its sub-expression values (the tree walk).
pub fn evaluate(compiled: &CompiledExpression, activation: &Activation) -> Evaluation {
    let Some(ast) = &compiled.ast else {
        return Evaluation { outcome: syntax_error(compiled), trace: Vec::new() };
    };
    let (result, trace) = iamlab_cel::evaluate_traced(ast, activation, compiled.dialect);
    Evaluation { outcome: outcome_of(result), trace: trace_values(ast, &trace) }
}

/// Evaluates a compiled expression without a trace, through its program (compiled here the
/// first time); without the `programs` feature, through the tree walk.
pub fn outcome(compiled: &CompiledExpression, activation: &Activation) -> ExpressionOutcome {
    let Some(ast) = &compiled.ast else {
        return syntax_error(compiled);
    };
    #[cfg(feature = "programs")]
    let result = compiled.program.get_or_init(|| Program::compile(ast, compiled.dialect)).evaluate(activation);
    // The tree walk without its trace (the same evaluator as the traced walk, with recording
    // off: no second copy of it in the wasm).
    #[cfg(not(feature = "programs"))]
    let result = iamlab_cel::evaluate(ast, activation, compiled.dialect);
    outcome_of(result)
}

fn syntax_error(compiled: &CompiledExpression) -> ExpressionOutcome {
    let first_error = compiled.diagnostics.iter().find(|diagnostic| diagnostic.is_error());
    let message = first_error.map_or("it cannot be parsed".to_owned(), |error| error.message.clone());
    ExpressionOutcome::Error(format!("syntax error: {message}"))
}

fn outcome_of(result: Result<Value, iamlab_cel::EvalError>) -> ExpressionOutcome {
    match result {
        Ok(Value::Bool(true)) => ExpressionOutcome::True,
        Ok(Value::Bool(false)) => ExpressionOutcome::False,
        Ok(other) => ExpressionOutcome::NotBoolean(other.to_string()),
        Err(error) => ExpressionOutcome::Error(error.message),
    }
}

fn trace_values(ast: &Expr, trace: &iamlab_cel::Trace) -> Vec<TracedValue> {
    // The spans already shown or not to be shown, sorted: an expression has a few dozen nodes,
    // and a sorted list costs the wasm less than a hash set type of its own.
    let mut skipped: Vec<Span> = Vec::new();
    let mut skip = |span: Span| match skipped.binary_search(&span) {
        Ok(_) => false,
        Err(position) => {
            skipped.insert(position, span);
            true
        }
    };
    iamlab_cel::walk(ast, &mut |node| {
        let constant = match &node.kind {
            ExprKind::Literal(_) => true,
            ExprKind::List(items) => items.iter().all(|item| matches!(item.kind, ExprKind::Literal(_))),
            _ => false,
        };
        if constant {
            skip(node.span);
        }
    });
    let mut values: Vec<TracedValue> = Vec::new();
    // The last outcome of a node evaluated several times (inside a comprehension) is kept.
    for node in trace.nodes.iter().rev() {
        if !skip(node.span) {
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
        assert_eq!(&outcome(&compiled, &activation), expect, "{text} (program)");
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
    fn decision_only_evaluates_the_program_without_a_trace() {
        let compiled = compile("parameters.size > 10 || zone == 'ch-gva-2'", Dialect::Exoscale);
        let activation = Activation::new()
            .with("parameters", Value::from_json(&serde_json::json!({"size": 3})))
            .with("zone", Value::string("ch-gva-2"));
        let explained = evaluate_with(&compiled, &activation, Detail::Explained);
        let decided = evaluate_with(&compiled, &activation, Detail::DecisionOnly);
        assert_eq!((&explained.outcome, &decided.outcome), (&ExpressionOutcome::True, &ExpressionOutcome::True));
        assert_eq!(explained.trace.len(), 6, "{:?}", explained.trace);
        assert!(decided.trace.is_empty());
        #[cfg(feature = "programs")]
        assert!(compiled.program.get().is_some(), "the program is kept for the next evaluation");
    }

    #[test]
    fn a_remembered_compilation_is_the_one_compiling_gives() {
        let texts =
            ["operation == 'create-instance'", "parameters.size > ", "has(parameters.x) && parameters.x", "1 +"];
        for dialect in [Dialect::Exoscale, Dialect::Scaleway, Dialect::Standard] {
            for text in texts {
                let first = compile_with_facts_shared(text, dialect);
                let again = compile_with_facts_shared(text, dialect);
                assert!(Rc::ptr_eq(&first, &again), "{text:?} is compiled once");
                assert_eq!(*first, compile_with_facts(text, dialect), "{text:?} in {dialect:?}");
            }
        }
        // The dialect is part of what is remembered: the same text checks differently.
        let exoscale = compile_with_facts_shared("request.time", Dialect::Exoscale);
        let scaleway = compile_with_facts_shared("request.time", Dialect::Scaleway);
        assert_ne!(exoscale.0.diagnostics, scaleway.0.diagnostics);
        // Past the bound the thread forgets and compiles again, with the same result.
        for index in 0..REMEMBERED_EXPRESSIONS + 1 {
            compile_with_facts_shared(&format!("zone == 'z{index}'"), Dialect::Exoscale);
        }
        assert!(RECENT.with(|recent| recent.borrow().compiled.len()) <= REMEMBERED_EXPRESSIONS);
        let after = compile_with_facts_shared(texts[0], Dialect::Exoscale);
        assert_eq!(*after, compile_with_facts(texts[0], Dialect::Exoscale));
    }

    #[test]
    fn compile_checks_against_the_dialect_declarations() {
        let compiled = compile("operaton == 'x'", Dialect::Exoscale);
        assert!(compiled.ast.is_some());
        let codes: Vec<&str> = compiled.diagnostics.iter().map(|diagnostic| diagnostic.code.as_str()).collect();
        assert!(!codes.is_empty(), "an unknown variable is reported");
    }
}
