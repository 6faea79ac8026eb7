//! Installs what the build and the tests need, skipping what is already there.
//!
//! What works on this kind of machine (no internet but crates.io, npm, PyPI and Debian) is
//! recorded in `docs/toolchain.md`: wasm-bindgen-cli comes from crates.io, wasm-opt from npm's
//! `binaryen` (Debian's is too old for current rustc output), Chromium and ChromeDriver from
//! Debian. Trunk is not installed: xtask builds the site itself (`site.rs`) from the same
//! `Trunk.toml`, so that a fresh machine does not spend ten minutes of CPU compiling it; people
//! who want `trunk serve` install it as `docs/toolchain.md` says.

use crate::{run, workspace_root};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// npm `binaryen` release whose `wasm-opt` reads what rustc 1.95 emits; Trunk.toml pins
/// `wasm_opt = "version_132"` to match.
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const WASM_OPT_PIN: &str = "version_132";
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// `twiggy top` for the size report's largest contributors (`cargo xtask size --top`).
const TWIGGY_VERSION: &str = "0.8.0";

/// Tools are not hot code: `cargo install --debug` compiles wasm-bindgen-cli in 169 s of CPU
/// against 404 s with its release profile and 375 s with [`CHEAP_INSTALL_PROFILE`], and costs
/// 1.5 s more per site build (`docs/toolchain.md`).
const DEBUG_INSTALL: &str = "--debug";

/// The debug profile without debug info and without incremental state, for the
/// wasm-bindgen-cli install: nobody debugs the tool or rebuilds it edit by edit. From an empty
/// CARGO_HOME: 181 s of CPU for `--debug` with the default features, 134 s with
/// `--no-default-features --bin wasm-bindgen` and no debug info, 121 s without incremental
/// state as well (`docs/toolchain.md`).
const TOOL_BUILD_ENV: &[(&str, &str)] = &[("CARGO_PROFILE_DEV_DEBUG", "false"), ("CARGO_INCREMENTAL", "0")];

/// For tools that run long enough to want some optimisation (twiggy): opt-level 1, no LTO.
const CHEAP_INSTALL_PROFILE: &[(&str, &str)] = &[
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
    ("CARGO_PROFILE_RELEASE_LTO", "false"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256"),
    ("CARGO_PROFILE_RELEASE_DEBUG", "false"),
    ("CARGO_PROFILE_RELEASE_STRIP", "debuginfo"),
];

pub struct Needs {
    /// Chromium and ChromeDriver, for the browser tests.
    pub browser: bool,
}

/// Installs what is missing. The downloads (npm's binaryen, Debian's Chromium) run on another
/// thread while cargo compiles wasm-bindgen-cli: they wait on the network and the disk, not on
/// the two cores the compile uses.
pub fn install_all(needs: &Needs) -> Result<(), String> {
    let started = Instant::now();
    println!("xtask setup: checking tools");
    install_wasm_target()?;
    install_rust_components()?;
    let (compiled, downloaded) = std::thread::scope(|scope| {
        let downloads = scope.spawn(|| {
            install_wasm_opt()?;
            if needs.browser {
                install_chromium()?;
            }
            Ok::<(), String>(())
        });
        let compiled = install_wasm_bindgen();
        (compiled, downloads.join().unwrap_or_else(|_| Err("the download thread panicked".to_owned())))
    });
    compiled?;
    downloaded?;
    println!("xtask setup: done in {:.0}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// `~/.cargo/bin` and the npm tool directory first, so that Trunk finds our pinned
/// `wasm-opt` before an older one from Debian in `/usr/bin`.
pub fn tool_path() -> String {
    let mut entries = vec![npm_bin_dir()];
    if let Some(home) =
        std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| home_dir().map(|home| home.join(".cargo")))
    {
        entries.push(home.join("bin"));
    }
    let existing = std::env::var_os("PATH").unwrap_or_default();
    entries.extend(std::env::split_paths(&existing));
    std::env::join_paths(entries).map(|path| path.to_string_lossy().into_owned()).unwrap_or_default()
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

fn npm_tools_dir() -> PathBuf {
    workspace_root().join(".tools")
}

fn npm_bin_dir() -> PathBuf {
    npm_tools_dir().join("node_modules").join(".bin")
}

/// The first line a tool prints for `--version`, or `None` when it cannot run.
fn version_of(program: &str) -> Option<String> {
    let output = Command::new(program).arg("--version").env("PATH", tool_path()).output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8_lossy(&output.stdout).lines().next().map(str::to_owned)
}

pub fn install_wasm_target() -> Result<(), String> {
    let output = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|error| format!("cannot run rustup: {error}"))?;
    if String::from_utf8_lossy(&output.stdout).lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        println!("  ok: rust target wasm32-unknown-unknown");
        return Ok(());
    }
    println!("  installing: rust target wasm32-unknown-unknown");
    run("rustup", &["target", "add", "wasm32-unknown-unknown"], &[])
}

/// `cargo xtask test` runs rustfmt and clippy; a minimal rustup profile has neither.
fn install_rust_components() -> Result<(), String> {
    let has = |subcommand: &str| {
        Command::new(cargo_program())
            .args([subcommand, "--version"])
            .output()
            .is_ok_and(|output| output.status.success())
    };
    if has("fmt") && has("clippy") {
        println!("  ok: rustfmt and clippy");
        return Ok(());
    }
    println!("  installing: rustup components rustfmt and clippy");
    run("rustup", &["component", "add", "rustfmt", "clippy"], &[])
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|next| next.trim().strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".to_owned())
}

fn install_wasm_bindgen() -> Result<(), String> {
    let version = locked_wasm_bindgen_version()?;
    if version_of("wasm-bindgen").is_some_and(|installed| installed.trim() == format!("wasm-bindgen {version}")) {
        println!("  ok: wasm-bindgen {version}");
        return Ok(());
    }
    // Only the `wasm-bindgen` binary, without the default `rustls-tls` feature (TLS is for the
    // test runner's downloads, which this project does not use): no rustls/ring to compile.
    // Not --locked: the CLI's lockfile pins a webpki-roots release the registry does not serve,
    // and cargo checks the whole lockfile even for a feature that does not need it.
    println!("  installing: wasm-bindgen-cli {version} from crates.io (debug build, about 2 minutes of CPU)");
    run(
        &cargo_program(),
        &[
            "install",
            DEBUG_INSTALL,
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--no-default-features",
            "--bin",
            "wasm-bindgen",
            "--force",
        ],
        TOOL_BUILD_ENV,
    )
}

/// wasm-opt from npm's binaryen into the checkout's `.tools/`, unless the pinned one is there.
pub fn install_wasm_opt() -> Result<(), String> {
    let wasm_opt = npm_bin_dir().join("wasm-opt");
    let installed = Command::new(&wasm_opt).arg("--version").output().ok();
    if installed.is_some_and(|output| String::from_utf8_lossy(&output.stdout).contains(WASM_OPT_PIN)) {
        println!("  ok: wasm-opt {WASM_OPT_PIN} (npm binaryen)");
        return Ok(());
    }
    println!("  installing: wasm-opt from npm binaryen@{BINARYEN_VERSION} into .tools/");
    let dir = npm_tools_dir();
    std::fs::create_dir_all(&dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let manifest = dir.join("package.json");
    if !manifest.exists() {
        std::fs::write(&manifest, "{ \"name\": \"iamlab-tools\", \"private\": true }\n")
            .map_err(|error| format!("cannot write {}: {error}", manifest.display()))?;
    }
    let package = format!("binaryen@{BINARYEN_VERSION}");
    let prefix = dir.to_string_lossy().into_owned();
    run("npm", &["install", "--prefix", &prefix, "--no-audit", "--no-fund", &package], &[])
}

fn install_chromium() -> Result<(), String> {
    let present = ["/usr/bin/chromium", "/usr/bin/chromedriver"].iter().all(|path| PathBuf::from(path).exists());
    if present {
        println!("  ok: chromium and chromedriver (Debian)");
        return Ok(());
    }
    println!("  installing: chromium and chromium-driver from Debian (about 2 minutes)");
    let is_root =
        Command::new("id").arg("-u").output().is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0");
    let (program, prefix): (&str, &[&str]) = if is_root { ("apt-get", &[]) } else { ("sudo", &["apt-get"]) };
    let update: Vec<&str> = prefix.iter().copied().chain(["update"]).collect();
    run(program, &update, &[])?;
    let install: Vec<&str> = prefix
        .iter()
        .copied()
        .chain(["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"])
        .collect();
    run(program, &install, &[("DEBIAN_FRONTEND", "noninteractive")])
}

pub fn install_cargo_fuzz() -> Result<(), String> {
    if version_of("cargo-fuzz").is_some() {
        return Ok(());
    }
    println!("  installing: cargo-fuzz {CARGO_FUZZ_VERSION}");
    run(&cargo_program(), &["install", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION, "--locked"], &[])
}

/// `twiggy`, for `cargo xtask size --top`. Returns whether it can run; a failed install is
/// reported and the size report goes on without the contributors.
pub fn install_twiggy() -> bool {
    if version_of("twiggy").is_some_and(|version| version.contains(TWIGGY_VERSION)) {
        return true;
    }
    println!("  installing: twiggy {TWIGGY_VERSION} from crates.io (cheap profile)");
    let installed =
        run(&cargo_program(), &["install", "twiggy", "--version", TWIGGY_VERSION, "--locked"], CHEAP_INSTALL_PROFILE);
    match installed {
        Ok(()) => true,
        Err(message) => {
            println!("  twiggy is not available ({message}); the size report goes on without it");
            version_of("twiggy").is_some()
        }
    }
}

/// `Trunk.toml`'s `[tools]` pins must be what xtask installs (Cargo.lock's wasm-bindgen, npm's
/// binaryen), so that Trunk, for people who run it, finds the same tools on PATH: with another
/// pin it would try to download one (and fail offline).
pub fn check_trunk_pins() -> Result<(), String> {
    let trunk_toml = std::fs::read_to_string(workspace_root().join("Trunk.toml"))
        .map_err(|error| format!("cannot read Trunk.toml: {error}"))?;
    let locked = locked_wasm_bindgen_version()?;
    let pin = |key: &str| {
        trunk_toml
            .lines()
            .find(|line| line.trim_start().starts_with(key))
            .and_then(|line| line.split('"').nth(1))
            .map(str::to_owned)
    };
    if pin("wasm_bindgen").as_deref() != Some(locked.as_str()) {
        return Err(format!("Trunk.toml must pin wasm_bindgen = \"{locked}\" (the version in Cargo.lock)"));
    }
    if pin("wasm_opt").as_deref() != Some(WASM_OPT_PIN) {
        return Err(format!("Trunk.toml must pin wasm_opt = \"{WASM_OPT_PIN}\" (the npm binaryen xtask installs)"));
    }
    Ok(())
}
