//! Data-driven tests: one `check_*` helper per API; fixtures are unindented raw strings whose
//! first line is the expression and whose following lines mark spans with `^^^`.

mod check_tests;
mod dialect_tests;
mod eval_tests;
mod exoscale_evaluator_tests;
mod facts_tests;
mod literal_pattern_tests;
mod parse_tests;
mod robustness_tests;

use crate::{
    check, check_with_notes, evaluate, evaluate_traced, lexical_facts, parse, parse_with_facts, Activation,
    Declarations, Dialect, Program, Span,
};
use iamlab_model::Diagnostic;

/// `source` followed by one line per diagnostic: carets under its primary span, then its code
/// and message (and help after `help:`).
fn render_diagnostics(source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = format!("{source}\n");
    for diagnostic in diagnostics {
        let span = diagnostic.primary_span().unwrap_or_default();
        out.push_str(&carets(source, span));
        out.push_str(&format!(" {} {}", diagnostic.code, diagnostic.message));
        if let Some(help) = &diagnostic.help {
            out.push_str(&format!(" (help: {help})"));
        }
        out.push('\n');
    }
    out
}

/// Spaces up to the span, then one caret per character of it (at least one).
fn carets(source: &str, span: Span) -> String {
    let before = source.get(..span.start as usize).map_or(0, |text| text.chars().count());
    let width = span.slice(source).map_or(1, |text| text.chars().count()).max(1);
    format!("{}{}", " ".repeat(before), "^".repeat(width))
}

fn fixture(text: &str) -> &str {
    text.strip_prefix('\n').unwrap_or(text)
}

fn source_of(fixture_text: &str) -> &str {
    fixture(fixture_text).lines().next().unwrap_or("")
}

fn declarations(dialect: Dialect) -> Declarations {
    match dialect {
        Dialect::Standard => Declarations::new(),
        Dialect::Exoscale => Declarations::exoscale(),
        Dialect::Scaleway => Declarations::scaleway(),
    }
}

/// Parses the first line of `expect` and compares the rendered diagnostics with `expect`.
#[track_caller]
fn check_parse(expect: &str) {
    let source = source_of(expect);
    let parsed = parse(source, Dialect::Standard);
    assert_eq!(render_diagnostics(source, &parsed.diagnostics), fixture(expect));
    if !parsed.has_errors() {
        assert!(parsed.ast.is_some(), "no errors but no tree for {source}");
    }
}

/// Parses and checks the first line of `expect` against the dialect's declarations.
#[track_caller]
fn check_check(dialect: Dialect, expect: &str) {
    let source = source_of(expect);
    let parsed = parse(source, dialect);
    assert!(!parsed.has_errors(), "{source} does not parse: {:?}", parsed.diagnostics);
    let ast = parsed.ast.unwrap();
    let warnings = check(&ast, &declarations(dialect), dialect);
    assert_eq!(render_diagnostics(source, &warnings), fixture(expect));
}

/// Parses and checks the first line of `expect` in `dialect`; renders its dialect notes: carets
/// under each note's span, its kind and message, then its help on the next line.
#[track_caller]
fn check_notes(dialect: Dialect, expect: &str) {
    let source = source_of(expect);
    let parsed = parse(source, dialect);
    assert!(!parsed.has_errors(), "{source} does not parse: {:?}", parsed.diagnostics);
    let ast = parsed.ast.unwrap();
    let (warnings, notes) = check_with_notes(&ast, &declarations(dialect), dialect);
    // The notes come from the same pass as the warnings, which they do not change.
    assert_eq!(warnings, check(&ast, &declarations(dialect), dialect));
    let mut rendered = format!("{source}\n");
    for note in &notes {
        rendered.push_str(&format!(
            "{} {:?} {}\n  help: {}\n",
            carets(source, note.span),
            note.kind,
            note.message,
            note.help
        ));
    }
    assert_eq!(rendered, fixture(expect));
}

/// Evaluates the first line of `expect` with `variables` (a JSON object converted with the
/// dialect's declarations); the second line is `=> value` or carets under the failing node and
/// the error message.
#[track_caller]
fn check_eval(dialect: Dialect, variables: &str, expect: &str) {
    let source = source_of(expect);
    let parsed = parse(source, dialect);
    assert!(!parsed.has_errors(), "{source} does not parse: {:?}", parsed.diagnostics);
    let ast = parsed.ast.unwrap();
    let json: serde_json::Value = serde_json::from_str(variables).unwrap();
    let activation = Activation::from_json_object(&json, &declarations(dialect)).unwrap();
    let result = evaluate(&ast, &activation, dialect);
    // Tracing never changes the outcome.
    let (traced, _) = evaluate_traced(&ast, &activation, dialect);
    assert_eq!(result, traced);
    // Nor does compiling first.
    assert_eq!(result, Program::compile(&ast, dialect).evaluate(&activation), "the compiled program differs");
    let rendered = match result {
        Ok(value) => format!("{source}\n=> {value}\n"),
        Err(error) => format!("{source}\n{} {}\n", carets(source, error.span), error.message),
    };
    assert_eq!(rendered, fixture(expect));
}

/// Evaluates with tracing: one line per recorded node, `source text => value`.
#[track_caller]
fn check_trace(dialect: Dialect, variables: &str, expect: &str) {
    let source = source_of(expect);
    let ast = parse(source, dialect).ast.unwrap();
    let json: serde_json::Value = serde_json::from_str(variables).unwrap();
    let activation = Activation::from_json_object(&json, &declarations(dialect)).unwrap();
    let (_, trace) = evaluate_traced(&ast, &activation, dialect);
    let mut rendered = format!("{source}\n");
    for node in &trace.nodes {
        let text = node.span.slice(source).unwrap_or("?");
        match &node.outcome {
            Ok(value) => rendered.push_str(&format!("{text} => {value}\n")),
            Err(error) => rendered.push_str(&format!("{text} => error: {}\n", error.message)),
        }
    }
    assert_eq!(rendered, fixture(expect));
}

/// Scans the first line of `expect` for its lexical facts: one line per comparison and per
/// read (carets under it), then the presence tests in name order, the values each compared
/// variable is bounded to, and the flags.
#[track_caller]
fn check_facts(expect: &str) {
    let source = source_of(expect);
    let facts = lexical_facts(source);
    // Parsing with facts lexes once for both and must find the same facts.
    assert_eq!(parse_with_facts(source, Dialect::Exoscale).1, facts, "{source}");
    let mut rendered = format!("{source}\n");
    for comparison in &facts.comparisons {
        let symbol = comparison.comparison.symbol();
        rendered.push_str(&format!(
            "{} {} {symbol} {}\n",
            carets(source, comparison.span),
            comparison.variable,
            comparison.value
        ));
    }
    for read in &facts.reads {
        let guarded = if facts.is_guarded(read) { " (guarded)" } else { "" };
        let in_list = if read.in_uniform_list { " (in a uniform list)" } else { "" };
        rendered.push_str(&format!(
            "{} reads {}.{}{guarded}{in_list}\n",
            carets(source, read.span),
            read.field.root,
            read.field.key
        ));
    }
    let mut guards: Vec<String> = facts.guards.iter().map(|field| format!("{}.{}", field.root, field.key)).collect();
    guards.sort();
    for guard in guards {
        rendered.push_str(&format!("guards {guard}\n"));
    }
    let mut variables: Vec<&str> = Vec::new();
    for comparison in &facts.comparisons {
        if !variables.contains(&comparison.variable.as_str()) {
            variables.push(&comparison.variable);
        }
    }
    for variable in variables {
        if let Some(values) = facts.named_values(variable) {
            rendered.push_str(&format!("bounds {variable} to {}\n", values.join(", ")));
        }
    }
    if facts.always_true {
        rendered.push_str("always true\n");
    }
    if facts.has_alternatives {
        rendered.push_str("has alternatives\n");
    }
    assert_eq!(rendered, fixture(expect));
}
