//! `iamlab cel eval`: evaluates one CEL expression with the variables of a JSON file.
//!
//! Output: human — the value as a CEL literal (and, with `--explain`, every sub-expression with
//! its value); `--format json` — `{"value": V}` or `{"error": "message", "span": [start, end]}`.
//! Exit codes: 0 when a value was printed, 1 on a parse or evaluation error, 2 on usage or I/O
//! errors (unreadable or invalid `--vars`).

use iamlab_cel::{
    check, evaluate, evaluate_traced, parse, Activation, Declarations, Dialect, Expr, ExprKind, Span, Trace,
};
use iamlab_cli::{output, render};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DialectArg {
    Standard,
    Exoscale,
    Scaleway,
}

#[derive(Debug, clap::Args)]
pub struct CelEvalArgs {
    /// The dialect: function set and provider quirks.
    #[arg(long, value_enum, default_value = "standard")]
    pub dialect: DialectArg,
    /// A JSON object of variables (RFC 3339 strings where the dialect declares a timestamp).
    #[arg(long)]
    pub vars: Option<PathBuf>,
    /// Print the value of every sub-expression.
    #[arg(long)]
    pub explain: bool,
    #[arg(long, value_enum, default_value = "human")]
    pub format: crate::OutputFormat,
    /// The expression, in one argument; it may start with `-` (`iamlab cel eval '-5 / 2'`).
    #[arg(allow_hyphen_values = true)]
    pub expression: String,
}

fn dialect_and_declarations(dialect: DialectArg) -> (Dialect, Declarations) {
    let dialect = match dialect {
        DialectArg::Standard => Dialect::Standard,
        DialectArg::Exoscale => Dialect::Exoscale,
        DialectArg::Scaleway => Dialect::Scaleway,
    };
    (dialect, Declarations::for_dialect(dialect))
}

fn read_variables(args: &CelEvalArgs, declarations: &Declarations) -> Result<Activation, String> {
    let Some(path) = &args.vars else {
        return Ok(Activation::new());
    };
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|error| format!("cannot read standard input: {error}"))?
    } else {
        std::fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| format!("{}: invalid JSON: {error}", path.display()))?;
    Activation::from_json_object(&json, declarations).map_err(|error| format!("{}: {error}", path.display()))
}

fn span_json(span: Span) -> serde_json::Value {
    serde_json::json!([span.start, span.end])
}

pub fn run_eval(args: &CelEvalArgs) -> ExitCode {
    let (dialect, declarations) = dialect_and_declarations(args.dialect);
    let json_output = args.format == crate::OutputFormat::Json;
    let activation = match read_variables(args, &declarations) {
        Ok(activation) => activation,
        Err(message) => {
            output::eprint_quietly(&format!("error: {message}\n"));
            return ExitCode::from(2);
        }
    };
    let source = args.expression.as_str();
    let parsed = parse(source, dialect);
    let ast = match parsed.ast {
        Some(ast) if !parsed.has_errors() => ast,
        _ => {
            if json_output {
                let first = parsed.diagnostics.iter().find(|diagnostic| diagnostic.is_error());
                let output = serde_json::json!({
                    "error": first.map_or("the expression could not be parsed".to_owned(), |diagnostic| diagnostic.message.clone()),
                    "span": span_json(first.and_then(|diagnostic| diagnostic.primary_span()).unwrap_or_default()),
                });
                if output::print(&format!("{output}\n")).is_err() {
                    return ExitCode::from(2);
                }
            } else {
                for diagnostic in &parsed.diagnostics {
                    output::eprint_quietly(&render::render_diagnostic(
                        "<expression>",
                        &render::SourceText::new(source),
                        diagnostic,
                    ));
                }
            }
            return ExitCode::from(1);
        }
    };
    if !json_output {
        // Warnings never change the outcome, but they usually explain a surprising one.
        for warning in check(&ast, &declarations, dialect) {
            output::eprint_quietly(&render::render_diagnostic(
                "<expression>",
                &render::SourceText::new(source),
                &warning,
            ));
        }
    }
    let (result, trace) = if args.explain {
        let (result, trace) = evaluate_traced(&ast, &activation, dialect);
        (result, Some(trace))
    } else {
        (evaluate(&ast, &activation, dialect), None)
    };
    let mut text = String::new();
    if json_output {
        let mut output = match &result {
            Ok(value) => serde_json::json!({ "value": value.to_json() }),
            Err(error) => serde_json::json!({ "error": error.message, "span": span_json(error.span) }),
        };
        if let (Some(trace), Some(object)) = (&trace, output.as_object_mut()) {
            object.insert("trace".to_owned(), trace_json(source, trace));
        }
        text.push_str(&format!("{output}\n"));
    } else {
        if let Some(trace) = &trace {
            text.push_str(&render_trace(source, &ast, trace));
        }
        match &result {
            Ok(value) => text.push_str(&format!("{value}\n")),
            Err(error) => {
                let shown = error.span.slice(source).unwrap_or("");
                output::eprint_quietly(&format!(
                    "error: {}\n  --> <expression>:{}..{}: {shown}\n",
                    error.message, error.span.start, error.span.end
                ));
            }
        }
    }
    if output::print(&text).is_err() {
        return ExitCode::from(2);
    }
    if result.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn trace_json(source: &str, trace: &Trace) -> serde_json::Value {
    let nodes: Vec<serde_json::Value> = trace
        .nodes
        .iter()
        .map(|node| {
            let text = node.span.slice(source).unwrap_or("");
            match &node.outcome {
                Ok(value) => serde_json::json!({"span": span_json(node.span), "text": text, "value": value.to_json()}),
                Err(error) => serde_json::json!({"span": span_json(node.span), "text": text, "error": error.message}),
            }
        })
        .collect();
    serde_json::Value::Array(nodes)
}

/// One line per evaluated node (literals left out), in evaluation order:
/// `parameters.type != 'TXT'  →  'A' != 'TXT'  →  true`.
fn render_trace(source: &str, ast: &Expr, trace: &Trace) -> String {
    let mut nodes: HashMap<Span, &Expr> = HashMap::new();
    iamlab_cel::walk(ast, &mut |node| {
        nodes.entry(node.span).or_insert(node);
    });
    let show = |span: Span| match trace.outcome_of(span) {
        Some(Ok(value)) => value.to_string(),
        Some(Err(_)) => "error".to_owned(),
        None => "(not evaluated)".to_owned(),
    };
    let mut out = String::new();
    for node in &trace.nodes {
        let expr = nodes.get(&node.span);
        if matches!(expr.map(|expr| &expr.kind), Some(ExprKind::Literal(_))) {
            continue;
        }
        let text = node.span.slice(source).unwrap_or("?");
        out.push_str("  ");
        out.push_str(text);
        if let Some(ExprKind::Binary { op, left, right }) = expr.map(|expr| &expr.kind) {
            out.push_str(&format!("  →  {} {} {}", show(left.span), op.symbol(), show(right.span)));
        }
        match &node.outcome {
            Ok(value) => out.push_str(&format!("  →  {value}\n")),
            Err(error) => out.push_str(&format!("  →  error: {}\n", error.message)),
        }
    }
    out
}
