//! The only place that talks to `iamlab-cel`: parse and check a rule expression, and evaluate
//! it against a request with a trace of sub-expression values. Spans here are relative to the
//! decoded expression text; callers map them to the document.

use super::request::Request;
use iamlab_cel::{Activation, Declarations, Dialect, Expr, ExprKind, Value};
use iamlab_model::{Diagnostic, Span};
use std::collections::HashSet;
use std::sync::OnceLock;

/// What a rule's expression evaluated to.
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

fn declarations() -> &'static Declarations {
    static DECLARATIONS: OnceLock<Declarations> = OnceLock::new();
    // The preset declares `now` as a string, as the policy guide and the simulator bind it, so
    // that `now < timestamp(...)` is flagged rather than failing silently at evaluation.
    DECLARATIONS.get_or_init(Declarations::exoscale)
}

/// CEL syntax and type findings for one expression, spans relative to the expression.
pub fn check_expression(text: &str) -> Vec<Diagnostic> {
    let parsed = iamlab_cel::parse(text, Dialect::Exoscale);
    let mut diagnostics = parsed.diagnostics;
    if let Some(ast) = &parsed.ast {
        if !diagnostics.iter().any(Diagnostic::is_error) {
            diagnostics.extend(iamlab_cel::check(ast, declarations(), Dialect::Exoscale));
        }
    }
    diagnostics
}

/// The variables a rule expression sees for `request` (see `docs/semantics/exoscale.md`,
/// "Expression context"). Fields the request omits stay unbound, so reading them fails.
pub fn activation(request: &Request) -> Activation {
    let parameters = Value::from_json(&serde_json::Value::Object(request.parameters.clone()));
    let resources = Value::from_json(&serde_json::Value::Object(request.resources.clone()));
    let mut activation = Activation::new()
        .with("operation", Value::string(request.operation.as_str()))
        .with("service", Value::string(request.service.as_str()))
        .with("parameters", parameters)
        // The policy guide's first example reads `resource.sks_nodepool.name`: bound to the
        // same map so that the documented example behaves as documented.
        .with("resource", resources.clone())
        .with("resources", resources);
    let optional = [
        ("zone", &request.zone),
        ("source_ip", &request.source_ip),
        ("now", &request.now),
        ("api_key", &request.api_key),
    ];
    if let Some(identity) = &request.identity {
        activation.insert("identity", Value::from_json(&serde_json::Value::Object(identity.clone())));
    }
    for (name, value) in optional {
        if let Some(value) = value {
            activation.insert(name, Value::string(value.as_str()));
        }
    }
    activation
}

/// Evaluates one expression against the request's variables.
pub fn evaluate(text: &str, activation: &Activation) -> Evaluation {
    let parsed = iamlab_cel::parse(text, Dialect::Exoscale);
    let ast = match (&parsed.ast, parsed.diagnostics.iter().find(|diagnostic| diagnostic.is_error())) {
        (Some(ast), None) => ast,
        (_, first_error) => {
            let message = first_error.map_or("it cannot be parsed".to_owned(), |error| error.message.clone());
            return Evaluation {
                outcome: ExpressionOutcome::Error(format!("syntax error: {message}")),
                trace: Vec::new(),
            };
        }
    };
    let (result, trace) = iamlab_cel::evaluate_traced(ast, activation, Dialect::Exoscale);
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
    values.sort_by_key(|value| (value.span.start, std::cmp::Reverse(value.span.end)));
    values
}
