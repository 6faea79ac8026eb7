//! `cargo xtask bench-browser`: keystrokes in headless Chromium, timed by the app's own
//! performance marks (`web/src/hooks/use_performance_marks.rs`), through the browser-test
//! harness (`tests/browser/bench_keystrokes.rs`, which prints one `bench-browser<TAB>…` line
//! per workload when `IAMLAB_BENCH_KEYSTROKES` is set). Prints the median and p95 of each
//! measure: input event → DOM patched (diagnostics, decision and grid drawn), → next frame,
//! and the phases in between. Figures, not assertions: they vary by machine.

use crate::{dist_dir, setup, workspace_root};
use std::path::Path;
use std::process::Command;

/// Keystrokes per workload (the issue asks for at least 200).
const KEYSTROKES: usize = 240;
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The measures of each line, in the order the test prints them (median, p95 each).
const MEASURES: [&str; 6] = ["input→DOM", "input→frame", "dispatch", "analysis", "grid", "view"];

/// One workload's figures: its name, the keystroke count, then (median, p95) per measure.
pub struct Row {
    pub name: String,
    pub keystrokes: usize,
    pub figures: Vec<(f64, f64)>,
}

pub fn run() -> Result<(), String> {
    crate::setup_and_build_site(&setup::Needs { browser: true })?;
    print_rows(&measure()?);
    Ok(())
}

/// What `bench-peers` adds: the rows when Chromium, chromedriver and a built site are present,
/// otherwise a line saying what is missing.
pub fn print_for_bench_peers() -> Result<(), String> {
    let missing: Vec<&str> = [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromedriver")]
        .into_iter()
        .filter(|(path, _)| !Path::new(path).is_file())
        .map(|(_, name)| name)
        .chain((!dist_dir().join("index.html").is_file()).then_some("dist/ (cargo xtask build)"))
        .collect();
    if missing.is_empty() {
        print_rows(&measure()?);
    } else {
        println!("browser keystrokes: not measured, missing {}", missing.join(", "));
    }
    Ok(())
}

/// Runs the keystroke test with the benchmark's count and reads its lines. The test binary is
/// only the WebDriver client (the timing happens in the browser, on the release site), so its
/// debug build is the one to reuse.
pub fn measure() -> Result<Vec<Row>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let args = [
        "test",
        "-q",
        "--locked",
        "-p",
        "iamlab-tests",
        "--features",
        "browser",
        "--test",
        "integration",
        "browser::bench_keystrokes",
        "--",
        "--nocapture",
        "--test-threads=1",
    ];
    println!("$ {cargo} {}", args.join(" "));
    let dist = dist_dir();
    let output = Command::new(&cargo)
        .args(args)
        .env("IAMLAB_BENCH_KEYSTROKES", KEYSTROKES.to_string())
        .env("IAMLAB_DIST", &dist)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("CHROMIUM", CHROMIUM)
        .env("PATH", setup::tool_path())
        .current_dir(workspace_root())
        .output()
        .map_err(|error| format!("cannot run {cargo}: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the keystroke benchmark failed ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    stdout.lines().filter_map(|line| line.strip_prefix("bench-browser\t")).map(read_row).collect()
}

fn read_row(line: &str) -> Result<Row, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let number = |text: &str| text.parse::<f64>().map_err(|_| format!("bench-browser: `{text}` is not a number"));
    let [name, keystrokes, figures @ ..] = fields.as_slice() else {
        return Err(format!("bench-browser: a line without fields: {line:?}"));
    };
    let keystrokes = keystrokes.parse().map_err(|_| format!("bench-browser: `{keystrokes}` is not a count"))?;
    let figures = figures
        .chunks(2)
        .map(|pair| match pair {
            [median, p95] => Ok((number(median)?, number(p95)?)),
            _ => Err(format!("bench-browser: an odd number of figures in {line:?}")),
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Row { name: (*name).to_owned(), keystrokes, figures })
}

pub fn print_rows(rows: &[Row]) {
    println!("\nbrowser keystrokes (headless Chromium, app's performance marks; ms, median / p95; goal: input→DOM median <= 4 ms)");
    let mut head = format!("{:<40} {:>5}", "workload", "keys");
    for measure in MEASURES {
        head.push_str(&format!(" {measure:>15}"));
    }
    println!("{head}");
    for row in rows {
        let mut line = format!("{:<40} {:>5}", row.name, row.keystrokes);
        for (median, p95) in &row.figures {
            line.push_str(&format!(" {:>15}", format!("{median:.2} / {p95:.2}")));
        }
        println!("{line}");
    }
}
