//! `cargo xtask bench-peers`: iamlab against what a user would pick instead, measured side by
//! side in one run, printed as one table of ratios of medians:
//! - CEL against cel-rust (`crates/iamlab-cel/examples/bench_peers.rs`);
//! - CEL in JavaScript land: iamlab-cel compiled to wasm with the playground's profile
//!   (`web/examples/cel_bench.rs`) against `@marcbachmann/cel-js` and `cel-js` in Node, with
//!   each engine's bundle size (gzip) (`bench_js.rs`, `bench_js/cel.mjs`);
//! - AWS simulation: the `aws` profile (`crates/iamlab-engine/examples/aws_corpus.rs`) against
//!   `@cloud-copilot/iam-simulate` (`bench_js/aws.mjs`) on the generated corpus of
//!   `aws_corpus.rs`, every disagreement printed before the timing;
//! - the OUTSCALE/Exoscale and glob-matching scale series with the fitted exponent
//!   (`crates/iamlab-engine/examples/scale_series.rs`).
//!
//! The smoke mode (one evaluation each, no timing, debug build of the native examples) runs in
//! `cargo xtask test` so that it cannot rot; the Node comparisons skip with a message when Node,
//! npm's network or wasm-bindgen is missing.

use crate::{aws_corpus, bench_js, setup, workspace_root};
use std::process::Command;

/// Identity policies and requests per policy of the AWS corpus (480 requests).
const AWS_POLICIES: usize = 60;
const AWS_REQUESTS_PER_POLICY: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Timed,
    Smoke,
}

pub fn run(mode: Mode) -> Result<(), String> {
    let cel = example_lines(mode, "iamlab-cel", "bench_peers", &[])?;
    let scale = example_lines(mode, "iamlab-engine", "scale_series", &[])?;
    let cases_json = example_output(mode, "iamlab-cel", "bench_peers", &["--cases"])?;
    let celjs = bench_js::cel(mode, &cases_json)?;
    let aws = aws(mode)?;
    if mode == Mode::Smoke {
        println!("bench-peers smoke: {} CEL cases and {} scale points ran", cel.len(), scale.len());
        match &celjs {
            Ok(rows) => println!(
                "bench-peers smoke: CEL in Node (wasm, @marcbachmann/cel-js, cel-js): {} expressions ran",
                rows.iter().filter(|fields| fields.first().is_some_and(|kind| kind == "celjs")).count()
            ),
            Err(skipped) => println!("bench-peers smoke: CEL in Node skipped: {skipped}"),
        }
        match &aws {
            Ok(aws) => println!(
                "bench-peers smoke: AWS corpus: {} of {} decisions agree with @cloud-copilot/iam-simulate ({} of {} with each policy read once)",
                aws.agree, aws.cases, aws.agree_once, aws.cases
            ),
            Err(skipped) => println!("bench-peers smoke: AWS comparison skipped: {skipped}"),
        }
        return Ok(());
    }
    println!("\nbench-peers (median per run, same machine, same run; ratio = peer / iamlab)");
    println!("{:<56} {:>12} {:>12} {:>8}", "case", "iamlab", "peer", "ratio");
    let mut log_ratios = Vec::new();
    for fields in &cel {
        let [name, ours, theirs] = fields.as_slice() else { continue };
        let (ours, theirs) = (number(ours)?, number(theirs)?);
        log_ratios.push((theirs / ours).ln());
        println!(
            "{:<56} {:>10.0}ns {:>10.0}ns {:>7.1}x",
            format!("cel: {name} (cel-rust)"),
            ours,
            theirs,
            theirs / ours
        );
    }
    if !log_ratios.is_empty() {
        let mean = (log_ratios.iter().sum::<f64>() / log_ratios.len() as f64).exp();
        println!("{:<56} {:>12} {:>12} {:>7.1}x", "cel: geometric mean", "", "", mean);
    }
    let mut series: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for fields in &scale {
        let [name, size, nanos] = fields.as_slice() else { continue };
        let point = (number(size)?, number(nanos)?);
        match series.iter_mut().find(|(existing, _)| existing == name) {
            Some((_, points)) => points.push(point),
            None => series.push((name.clone(), vec![point])),
        }
    }
    for (name, points) in &series {
        for (size, nanos) in points {
            println!("{:<56} {:>10.1}µs {:>12} {:>8}", format!("scale: {name} {size}"), nanos / 1000.0, "-", "-");
        }
        println!(
            "{:<56} {:>12} {:>12} {:>8.2}",
            format!("scale: {name} exponent (goal <= 1.1)"),
            "",
            "",
            fitted_exponent(points)
        );
    }
    print_celjs(&celjs);
    match &aws {
        Ok(aws) => {
            println!(
                "{:<56} {:>10.0}ns {:>10.0}ns {:>7.1}x",
                format!("aws: {} requests, per request (iam-simulate)", aws.cases),
                aws.ours_nanos,
                aws.theirs_nanos,
                aws.theirs_nanos / aws.ours_nanos
            );
            println!(
                "{:<56} {:>10.0}ns {:>10.0}ns {:>7.1}x",
                format!("aws: {} requests, iamlab decide (no nearest miss)", aws.cases),
                aws.ours_decide_nanos,
                aws.theirs_nanos,
                aws.theirs_nanos / aws.ours_decide_nanos
            );
            println!(
                "{:<56} {:>10.0}ns {:>10.0}ns {:>7.1}x",
                format!("aws: {} requests, each policy read once (decide)", aws.cases),
                aws.ours_once_nanos,
                aws.theirs_once_nanos,
                aws.theirs_once_nanos / aws.ours_once_nanos
            );
            for (label, ours, theirs) in [
                ("aws: requests per second, read per request (goal >= 50x)", aws.ours_nanos, aws.theirs_nanos),
                ("aws: requests per second, decide", aws.ours_decide_nanos, aws.theirs_nanos),
                ("aws: requests per second, policy read once", aws.ours_once_nanos, aws.theirs_once_nanos),
            ] {
                println!("{label:<56} {:>10.0}/s {:>10.0}/s {:>7.1}x", 1e9 / ours, 1e9 / theirs, theirs / ours);
            }
            println!(
                "{:<56} {:>12} {:>12} {:>8}",
                "aws: decisions that agree (read per request; read once)",
                "",
                format!("{} of {}; {} of {}", aws.agree, aws.cases, aws.agree_once, aws.cases),
                ""
            );
        }
        Err(skipped) => println!("aws (iam-simulate) skipped: {skipped}"),
    }
    crate::bench_browser::print_for_bench_peers()?;
    Ok(())
}

fn print_celjs(celjs: &Result<Vec<Vec<String>>, bench_js::Skipped>) {
    let rows = match celjs {
        Ok(rows) => rows,
        Err(skipped) => {
            println!("cel in Node (wasm vs JavaScript engines) skipped: {skipped}");
            return;
        }
    };
    let peers = ["@marcbachmann/cel-js", "cel-js"];
    let mut log_ratios: Vec<Vec<f64>> = vec![Vec::new(); peers.len()];
    for fields in rows {
        match fields.as_slice() {
            [kind, name, ours, theirs @ ..] if kind == "celjs" => {
                let Ok(ours) = ours.parse::<f64>() else { continue };
                for ((peer, time), ratios) in peers.iter().zip(theirs).zip(&mut log_ratios) {
                    let case = format!("cel wasm/Node: {name} ({peer})");
                    match time.parse::<f64>() {
                        Ok(theirs) => {
                            ratios.push((theirs / ours).ln());
                            println!("{case:<56} {ours:>10.0}ns {theirs:>10.0}ns {:>7.1}x", theirs / ours);
                        }
                        Err(_) => println!("{case:<56} {ours:>10.0}ns {:>12} {:>8}", "n/a", "-"),
                    }
                }
            }
            [kind, name, note] if kind == "note" => println!("  note: {name}: {note}"),
            _ => {}
        }
    }
    for (peer, ratios) in peers.iter().zip(&log_ratios) {
        if !ratios.is_empty() {
            let mean = (ratios.iter().sum::<f64>() / ratios.len() as f64).exp();
            let minimum = ratios.iter().copied().fold(f64::INFINITY, f64::min).exp();
            println!(
                "{:<56} {:>12} {:>12} {:>7.1}x",
                format!("cel wasm/Node: geometric mean ({peer}, min {minimum:.1}x, {} expr)", ratios.len()),
                "",
                "",
                mean
            );
        }
    }
    let bundle = |engine: &str| {
        rows.iter().find_map(|fields| match fields.as_slice() {
            [kind, name, bytes, ..] if kind == "bundle" && name == engine => bytes.parse::<f64>().ok(),
            _ => None,
        })
    };
    if let Some(ours) = bundle("iamlab-cel (wasm)") {
        for (peer, dir) in [("@marcbachmann/cel-js", "@marcbachmann-cel-js"), ("cel-js", "cel-js")] {
            if let Some(theirs) = bundle(dir) {
                println!(
                    "{:<56} {:>10.1}KB {:>10.1}KB {:>7.2}x",
                    format!("bundle gzip: iamlab-cel wasm+glue vs {peer} (minified)"),
                    ours / 1024.0,
                    theirs / 1024.0,
                    theirs / ours
                );
            }
        }
    }
}

/// What the AWS comparison measured.
struct Aws {
    cases: usize,
    agree: usize,
    ours_nanos: f64,
    ours_decide_nanos: f64,
    theirs_nanos: f64,
    /// Each policy read once for its requests, on both sides: decisions that agree and timings.
    agree_once: usize,
    ours_once_nanos: f64,
    theirs_once_nanos: f64,
}

/// The AWS comparison: the corpus written to `target/bench-peers/aws-corpus.json`, decided by
/// both engines, every disagreement printed, then both timings. `Err` is a skip reason.
fn aws(mode: Mode) -> Result<Result<Aws, bench_js::Skipped>, String> {
    if let Err(skipped) = bench_js::ensure_packages() {
        return Ok(Err(skipped));
    }
    let corpus = aws_corpus::generate(AWS_POLICIES, AWS_REQUESTS_PER_POLICY);
    let path = bench_js::bench_dir().join("aws-corpus.json");
    std::fs::write(&path, format!("{corpus:#}\n"))
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    let path_text = path.to_string_lossy().into_owned();
    let ours = tagged_lines(&example_output(mode, "iamlab-engine", "aws_corpus", &[&path_text])?);
    let driver = bench_js::write_driver("aws.mjs", bench_js::AWS_DRIVER)?;
    let mut args = vec![path_text.as_str()];
    if mode == Mode::Smoke {
        args.push("--smoke");
    }
    let theirs = bench_js::run_node(&driver, &args)?;
    let decisions_of = |rows: &[Vec<String>], wanted: &str| -> Vec<String> {
        rows.iter()
            .filter_map(|fields| match fields.as_slice() {
                [kind, _, effect] if kind == wanted => Some(effect.clone()),
                _ => None,
            })
            .collect()
    };
    let decisions = |rows: &[Vec<String>]| decisions_of(rows, "aws-decision");
    let (our_decisions, their_decisions) = (decisions(&ours), decisions(&theirs));
    // The read-once pass must decide every case as the per-request pass did, on both sides.
    let (our_once, their_once) = (decisions_of(&ours, "aws-once-decision"), decisions_of(&theirs, "aws-once-decision"));
    let agree_once = our_once
        .iter()
        .zip(&their_once)
        .zip(our_decisions.iter().zip(&their_decisions))
        .filter(|((ours_once, theirs_once), (ours, theirs))| {
            ours_once == ours && theirs_once == theirs && ours == theirs
        })
        .count();
    let cases = corpus.get("cases").and_then(serde_json::Value::as_array).cloned().unwrap_or_default();
    if our_decisions.len() != cases.len() || their_decisions.len() != cases.len() {
        return Err(format!(
            "aws: {} cases, iamlab decided {}, iam-simulate {}",
            cases.len(),
            our_decisions.len(),
            their_decisions.len()
        ));
    }
    let mut agree = 0;
    for (index, ((ours, theirs), case)) in our_decisions.iter().zip(&their_decisions).zip(&cases).enumerate() {
        if ours == theirs {
            agree += 1;
            continue;
        }
        let request = case.get("request").map(serde_json::Value::to_string).unwrap_or_default();
        let policy = case.get("policy").map(serde_json::Value::to_string).unwrap_or_default();
        println!(
            "aws disagreement #{index}: iamlab {ours}, iam-simulate {theirs}\n  request {request}\n  policy  {policy}"
        );
    }
    let nanos = |rows: &[Vec<String>], wanted: &str| {
        rows.iter()
            .find_map(|fields| match fields.as_slice() {
                [kind, _, nanos] if kind == wanted => nanos.parse::<f64>().ok(),
                _ => None,
            })
            .unwrap_or(0.0)
    };
    Ok(Ok(Aws {
        cases: cases.len(),
        agree,
        ours_nanos: nanos(&ours, "aws"),
        ours_decide_nanos: nanos(&ours, "aws-decide"),
        theirs_nanos: nanos(&theirs, "aws"),
        agree_once,
        ours_once_nanos: nanos(&ours, "aws-once"),
        theirs_once_nanos: nanos(&theirs, "aws-once"),
    }))
}

/// Runs an example and keeps its `bench-peers<TAB>kind<TAB>...` lines (without the first two fields).
fn example_lines(mode: Mode, package: &str, example: &str, extra: &[&str]) -> Result<Vec<Vec<String>>, String> {
    let lines = tagged_lines(&example_output(mode, package, example, extra)?);
    Ok(lines.into_iter().map(|fields| fields.into_iter().skip(1).collect()).collect())
}

/// The `bench-peers<TAB>kind<TAB>...` lines of an output, split on tabs, the prefix dropped.
fn tagged_lines(output: &str) -> Vec<Vec<String>> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("bench-peers\t"))
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Runs an example (release build when timed; `--smoke` after `extra` otherwise) and returns
/// its standard output.
fn example_output(mode: Mode, package: &str, example: &str, extra: &[&str]) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut args = vec!["run", "-q", "--locked", "-p", package, "--example", example];
    if mode == Mode::Timed {
        args.push("--release");
    }
    args.push("--");
    args.extend(extra);
    if mode == Mode::Smoke {
        args.push("--smoke");
    }
    println!("$ {cargo} {}", args.join(" "));
    let output = Command::new(&cargo)
        .args(&args)
        .env("PATH", setup::tool_path())
        .current_dir(workspace_root())
        .output()
        .map_err(|error| format!("cannot run {cargo}: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo run --example {example}` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn number(text: &str) -> Result<f64, String> {
    text.parse().map_err(|_| format!("bench-peers: `{text}` is not a number"))
}

/// The least-squares slope of log(time) against log(size): 1 is linear.
fn fitted_exponent(points: &[(f64, f64)]) -> f64 {
    let logs: Vec<(f64, f64)> =
        points.iter().filter(|(size, nanos)| *size > 0.0 && *nanos > 0.0).map(|(x, y)| (x.ln(), y.ln())).collect();
    let count = logs.len() as f64;
    let mean_x = logs.iter().map(|(x, _)| x).sum::<f64>() / count;
    let mean_y = logs.iter().map(|(_, y)| y).sum::<f64>() / count;
    let covariance: f64 = logs.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let variance: f64 = logs.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    covariance / variance
}
