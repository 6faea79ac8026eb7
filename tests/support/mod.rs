//! Helpers shared by the integration-test modules.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root (this package lives in `<root>/tests`).
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."))
}

/// A path below `<root>/tests`.
pub fn test_data(relative: &str) -> PathBuf {
    workspace_root().join("tests").join(relative)
}

/// A `Command` for the `iamlab` binary, built once per test run with the same cargo that runs
/// the tests (integration tests of another package get no `CARGO_BIN_EXE_iamlab`).
pub fn iamlab_command() -> Command {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    let binary = BINARY.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--package", "iamlab-cli", "--bin", "iamlab"])
            .current_dir(workspace_root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the iamlab binary failed");
        let target_dir =
            std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"));
        target_dir.join("debug").join(format!("iamlab{}", std::env::consts::EXE_SUFFIX))
    });
    let mut command = Command::new(binary);
    command.current_dir(workspace_root());
    command
}
