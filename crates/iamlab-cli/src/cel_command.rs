//! `iamlab cel eval`: evaluates one CEL expression (filled by the CEL issue).

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
    /// The expression.
    pub expression: String,
}

pub fn run_eval(_args: &CelEvalArgs) -> ExitCode {
    eprintln!("error: `iamlab cel eval` is not implemented yet");
    ExitCode::from(2)
}
