//! `iamlab`: validate policies, simulate requests and run policy tests from the command line
//! (CI pipelines).
//!
//! Exit codes: 0 when nothing at the `--deny` level was found (validate), a decision was printed
//! (simulate) or every case passed (test); 1 when a document has an error or a case failed;
//! 2 on usage or I/O errors, or when the provider's engine cannot simulate yet.

mod cel_command;
mod files;
mod fmt_command;
mod schema_command;
mod simulate_command;
mod terraform_command;
mod test_command;
mod validate_command;

use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{Parser, Subcommand, ValueEnum};
use iamlab_engine::DocumentRole;
use iamlab_model::Provider;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "iamlab",
    version,
    about = "Validate IAM policies, simulate requests and test policies for Exoscale, Scaleway and Outscale"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report schema and semantic errors of policy files.
    #[command(
        after_help = "Example:\n  iamlab validate --provider outscale --deny warning --format sarif policy.json > iamlab.sarif"
    )]
    Validate(validate_command::ValidateArgs),
    /// Decide whether a request would be allowed, and explain why.
    #[command(
        after_help = "Example:\n  iamlab simulate --provider exoscale --policy role.json --org-policy org.json --request request.json"
    )]
    Simulate(simulate_command::SimulateArgs),
    /// Run test-case files (named requests and the decision each must give) against policies.
    #[command(
        after_help = "Example:\n  iamlab test --provider outscale --policy policy.json --format junit tests.json > report.xml"
    )]
    Test(test_command::TestArgs),
    /// Rewrite policy files with canonical indentation and the provider's documented key order.
    #[command(after_help = "Example:\n  iamlab fmt --check --provider exoscale role.json")]
    Fmt(fmt_command::FmtArgs),
    /// Print the JSON Schema (draft 2020-12) of a provider's documents or requests.
    #[command(
        after_help = "Example:\n  iamlab schema --provider outscale --kind policy > outscale-policy.schema.json"
    )]
    Schema(schema_command::SchemaArgs),
    /// Validate (and with --tests, test) the IAM policies of a `terraform show -json` plan.
    #[command(
        after_help = "Example:\n  terraform show -json plan.out > plan.json\n  iamlab terraform plan.json --tests tests/iam.json"
    )]
    Terraform(terraform_command::TerraformArgs),
    /// Work with CEL expressions (Exoscale rules, Scaleway conditions).
    #[command(subcommand)]
    Cel(CelCommand),
}

#[derive(Debug, Subcommand)]
enum CelCommand {
    /// Evaluate one expression.
    #[command(
        after_help = "Example:\n  iamlab cel eval --dialect exoscale --vars vars.json \"parameters.type != 'TXT'\"\n  iamlab cel eval '-5 / 2'"
    )]
    Eval(cel_command::CelEvalArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

/// `--provider`: the engine's own provider names, so that a new provider needs no CLI edit.
fn provider_parser() -> impl clap::builder::TypedValueParser<Value = Provider> {
    PossibleValuesParser::new(Provider::ALL.map(Provider::as_str))
        .map(|name| name.parse::<Provider>().unwrap_or(Provider::Exoscale))
}

/// `--kind`: the engine's document roles (the provider says which of them it has).
fn role_parser() -> impl clap::builder::TypedValueParser<Value = DocumentRole> {
    PossibleValuesParser::new(DocumentRole::ALL.map(DocumentRole::as_str))
        .map(|key| DocumentRole::from_key(&key).unwrap_or(DocumentRole::Policy))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate_command::run_validate(&args),
        Command::Simulate(args) => simulate_command::run_simulate(&args),
        Command::Test(args) => test_command::run_test(&args),
        Command::Fmt(args) => fmt_command::run_fmt(&args),
        Command::Schema(args) => schema_command::run_schema(&args),
        Command::Terraform(args) => terraform_command::run_terraform(&args),
        Command::Cel(CelCommand::Eval(args)) => cel_command::run_eval(&args),
    }
}
