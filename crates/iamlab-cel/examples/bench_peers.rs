//! The CEL half of `cargo xtask bench-peers`: iamlab-cel against cel-rust (the `cel` crate) on
//! the expressions of `benches/versus_cel_rust.rs`, both compiled once (iamlab's `Program`), both checked to agree,
//! then the median of 31 samples per evaluation, measured in the same run. Prints one
//! machine-readable line per expression: `bench-peers<TAB>cel<TAB>name<TAB>iamlab ns<TAB>cel-rust ns`.
//! With `--smoke`: one evaluation each, no timing (the figures are 0).
//! With `--cases`: the expressions and variables as one JSON object (`{"variables": {…},
//! "cases": [{"name", "dialect", "expression"}]}`), for the JavaScript comparison's driver.
//! With `--profile NAME ITERATIONS iamlab|cel-rust`: only that side of that expression, evaluated
//! ITERATIONS times and nothing printed, for an instruction count under callgrind (run it with
//! two iteration counts and divide the difference: the per-evaluation figure without the setup).
#![expect(clippy::unwrap_used, reason = "a benchmark whose setup fails should stop loudly")]

#[allow(dead_code, reason = "only the cases and their setup are used here, not criterion's main")]
#[path = "../benches/versus_cel_rust.rs"]
mod cases;

use iamlab_cel::{parse, Program, Value};
use std::hint::black_box;
use std::time::Instant;

fn median_nanos(smoke: bool, mut run: impl FnMut()) -> f64 {
    if smoke {
        run();
        return 0.0;
    }
    let mut samples = Vec::new();
    for _ in 0..31 {
        let start = Instant::now();
        for _ in 0..2_000 {
            run();
        }
        samples.push(start.elapsed().as_nanos() as f64 / 2_000.0);
    }
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The `--profile` mode: `Some((name, iterations, side))`.
fn profile_arguments() -> Option<(String, u64, String)> {
    let arguments: Vec<String> = std::env::args().collect();
    let position = arguments.iter().position(|argument| argument == "--profile")?;
    let mut rest = arguments.into_iter().skip(position + 1);
    let name = rest.next().unwrap();
    let iterations = rest.next().unwrap().parse().unwrap();
    Some((name, iterations, rest.next().unwrap_or_else(|| "iamlab".to_owned())))
}

fn main() {
    let smoke = std::env::args().any(|arg| arg == "--smoke");
    if std::env::args().any(|arg| arg == "--cases") {
        let list: Vec<serde_json::Value> = cases::EXPRESSIONS
            .iter()
            .map(|(name, dialect, source)| {
                serde_json::json!({"name": name, "dialect": dialect.name(), "expression": source})
            })
            .collect();
        println!("{}", serde_json::json!({"variables": cases::variables(), "cases": list}));
        return;
    }
    let context = cases::cel_rust_context();
    if let Some((wanted, iterations, side)) = profile_arguments() {
        let (_, dialect, source) = cases::EXPRESSIONS.iter().find(|(name, _, _)| *name == wanted).unwrap();
        if side == "cel-rust" {
            let program = cel::Program::compile(source).unwrap();
            for _ in 0..iterations {
                black_box(program.execute(black_box(&context))).ok();
            }
        } else {
            let compiled = Program::compile(&parse(source, *dialect).ast.unwrap(), *dialect);
            let activation = cases::iamlab_activation(*dialect);
            for _ in 0..iterations {
                black_box(compiled.evaluate(black_box(&activation))).ok();
            }
        }
        return;
    }
    for (name, dialect, source) in cases::EXPRESSIONS {
        let compiled = Program::compile(&parse(source, *dialect).ast.unwrap(), *dialect);
        let activation = cases::iamlab_activation(*dialect);
        let program = cel::Program::compile(source).unwrap();
        let ours = compiled.evaluate(&activation).unwrap();
        let theirs = program.execute(&context).unwrap();
        assert_eq!(Some(ours == Value::Bool(true)), cases::cel_rust_to_bool(&theirs), "{name}: the engines disagree");
        let iamlab = median_nanos(smoke, || {
            black_box(compiled.evaluate(black_box(&activation))).ok();
        });
        let cel_rust = median_nanos(smoke, || {
            black_box(program.execute(black_box(&context))).ok();
        });
        println!("bench-peers\tcel\t{name}\t{iamlab:.1}\t{cel_rust:.1}");
    }
}
