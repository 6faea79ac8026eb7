//! [`TestCommand`]: the `iamlab` binary with its arguments and standard input, run from the
//! workspace root (ripgrep's `tests/util.rs` style).

use super::workspace_root;
use std::ffi::OsStr;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// A command line for the `iamlab` binary, built up and then run by one of the `assert_*`,
/// [`stdout`](TestCommand::stdout) or [`output`](TestCommand::output) methods.
#[derive(Debug)]
pub struct TestCommand {
    command: Command,
    stdin: Option<Vec<u8>>,
}

/// What a finished run gave.
#[derive(Debug)]
pub struct Finished {
    /// The exit code (`None` when a signal ended the process).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    /// Standard output parsed as one JSON value (what `--format json` prints).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|error| panic!("stdout is not one JSON value ({error}):\n{}", self.stdout))
    }
}

impl TestCommand {
    /// `iamlab` with no arguments yet, run from the workspace root so that fixture paths are
    /// relative to it (and show so in the output).
    pub fn new() -> TestCommand {
        let mut command = Command::new(iamlab_binary());
        command.current_dir(workspace_root());
        TestCommand { command, stdin: None }
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut TestCommand {
        self.command.arg(arg);
        self
    }

    pub fn args<I, A>(&mut self, args: I) -> &mut TestCommand
    where
        I: IntoIterator<Item = A>,
        A: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    /// Runs the command in `directory` instead of the workspace root (for commands that write
    /// files, run on copies in a scratch directory).
    pub fn current_dir(&mut self, directory: impl AsRef<std::path::Path>) -> &mut TestCommand {
        self.command.current_dir(directory);
        self
    }

    /// Gives the command this standard input (the CLI reads a file named `-` from it).
    pub fn stdin(&mut self, input: impl Into<Vec<u8>>) -> &mut TestCommand {
        self.stdin = Some(input.into());
        self
    }

    /// Runs the command, whatever its exit code.
    pub fn output(&mut self) -> Finished {
        self.command.stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        self.command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.command.spawn().unwrap_or_else(|error| panic!("{}: {error}", self.describe()));
        if let (Some(input), Some(mut pipe)) = (self.stdin.take(), child.stdin.take()) {
            // Written from a thread so that a large input cannot deadlock against a full stdout.
            std::thread::spawn(move || pipe.write_all(&input));
        }
        let output = child.wait_with_output().unwrap_or_else(|error| panic!("{}: {error}", self.describe()));
        Finished {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs the command and panics, showing what it printed, unless it exits with `code`.
    pub fn assert_exit(&mut self, code: i32) -> Finished {
        let finished = self.output();
        assert_eq!(
            finished.code,
            Some(code),
            "{}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.describe(),
            finished.stdout,
            finished.stderr
        );
        finished
    }

    /// Runs the command, asserts that it succeeded, and returns its standard output.
    pub fn stdout(&mut self) -> String {
        self.assert_exit(0).stdout
    }

    /// The command line, for failure messages.
    fn describe(&self) -> String {
        let args: Vec<String> = self.command.get_args().map(|arg| arg.to_string_lossy().into_owned()).collect();
        format!("iamlab {}", args.join(" "))
    }
}

/// The `iamlab` binary, built once per test run with the same cargo that runs the tests
/// (integration tests of another package get no `CARGO_BIN_EXE_iamlab`).
pub fn iamlab_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
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
    })
}
