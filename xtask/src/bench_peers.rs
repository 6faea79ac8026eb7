//! `cargo xtask bench-peers`: iamlab against what a user would pick instead, measured side by
//! side in one run, printed as one table of ratios of medians. Today: CEL against cel-rust
//! (`crates/iamlab-cel/examples/bench_peers.rs`) and the OUTSCALE/Exoscale and glob-matching
//! scale series with the fitted exponent (`crates/iamlab-engine/examples/scale_series.rs`). The
//! smoke mode (one evaluation each, no timing, debug build) runs in `cargo xtask test` so that
//! it cannot rot.

use crate::{setup, workspace_root};
use std::process::Command;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Timed,
    Smoke,
}

pub fn run(mode: Mode) -> Result<(), String> {
    let cel = example_lines(mode, "iamlab-cel", "bench_peers")?;
    let scale = example_lines(mode, "iamlab-engine", "scale_series")?;
    if mode == Mode::Smoke {
        println!("bench-peers smoke: {} CEL cases and {} scale points ran", cel.len(), scale.len());
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
    crate::bench_browser::print_for_bench_peers()?;
    println!("not measured here yet: cel-js / @marcbachmann/cel-js (Node), @cloud-copilot/iam-simulate, browser");
    Ok(())
}

/// Runs an example and keeps its `bench-peers<TAB>kind<TAB>...` lines (without the first two fields).
fn example_lines(mode: Mode, package: &str, example: &str) -> Result<Vec<Vec<String>>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut args = vec!["run", "-q", "--locked", "-p", package, "--example", example];
    if mode == Mode::Timed {
        args.push("--release");
    } else {
        args.extend(["--", "--smoke"]);
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
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("bench-peers\t"))
        .map(|line| line.split('\t').skip(1).map(str::to_owned).collect())
        .collect())
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
