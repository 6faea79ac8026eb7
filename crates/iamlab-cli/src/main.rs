//! `iamlab`: validate policies and simulate requests from the command line (CI pipelines).
//!
//! Exit codes: 0 when nothing at error level was found (validate) or a decision was printed
//! (simulate); 1 when a document has an error; 2 on usage or I/O errors, or when the provider's
//! engine cannot simulate yet.

mod cel_command;
mod render;

use clap::{Parser, Subcommand, ValueEnum};
use iamlab_engine::{DocumentKind, NamedDocument, SimulateError, SimulationInput};
use iamlab_model::{Diagnostic, Provider};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "iamlab",
    version,
    about = "Validate IAM policies and simulate requests for Exoscale, Scaleway and Outscale"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report schema and semantic errors of policy files.
    Validate(ValidateArgs),
    /// Decide whether a request would be allowed, and explain why.
    Simulate(SimulateArgs),
    /// Work with CEL expressions (Exoscale rules, Scaleway conditions).
    #[command(subcommand)]
    Cel(CelCommand),
}

#[derive(Debug, Subcommand)]
enum CelCommand {
    /// Evaluate one expression.
    Eval(cel_command::CelEvalArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProviderArg {
    Exoscale,
    Scaleway,
    Outscale,
    Aws,
}

impl From<ProviderArg> for Provider {
    fn from(provider: ProviderArg) -> Provider {
        match provider {
            ProviderArg::Exoscale => Provider::Exoscale,
            ProviderArg::Scaleway => Provider::Scaleway,
            ProviderArg::Outscale => Provider::Outscale,
            ProviderArg::Aws => Provider::Aws,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KindArg {
    /// The provider's default: an Exoscale role or policy, an Outscale/AWS policy of unknown kind.
    Policy,
    /// Exoscale: the organization policy.
    Organization,
    /// Outscale/AWS: a managed policy (5120 non-whitespace characters at most).
    Managed,
    /// Outscale/AWS: an inline user or group policy.
    Inline,
}

impl From<KindArg> for DocumentKind {
    fn from(kind: KindArg) -> DocumentKind {
        match kind {
            KindArg::Policy => DocumentKind::Unspecified,
            KindArg::Organization => DocumentKind::OrganizationPolicy,
            KindArg::Managed => DocumentKind::ManagedPolicy,
            KindArg::Inline => DocumentKind::InlinePolicy,
        }
    }
}

#[derive(Debug, clap::Args)]
struct ValidateArgs {
    #[arg(long, value_enum)]
    provider: ProviderArg,
    /// What the files are, where the provider tells kinds apart.
    #[arg(long, value_enum, default_value = "policy")]
    kind: KindArg,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Policy files (`-` reads standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct SimulateArgs {
    #[arg(long, value_enum)]
    provider: ProviderArg,
    /// Exoscale: a role object or a bare policy; Scaleway: a policy with its rules;
    /// Outscale/AWS: a policy document. Repeat for several.
    #[arg(long = "policy", required = true)]
    policies: Vec<PathBuf>,
    /// Exoscale: the organization policy (default: allow everything).
    #[arg(long)]
    org_policy: Option<PathBuf>,
    /// Scaleway: the principal is the Organization Owner.
    #[arg(long)]
    owner: bool,
    /// The request, a JSON file whose shape depends on the provider.
    #[arg(long)]
    request: PathBuf,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => run_validate(&args),
        Command::Simulate(args) => run_simulate(&args),
        Command::Cel(CelCommand::Eval(args)) => cel_command::run_eval(&args),
    }
}

/// A file's name as shown in messages, and its text.
struct SourceFile {
    name: String,
    text: String,
}

fn read_source(path: &Path) -> Result<SourceFile, String> {
    let name = path.display().to_string();
    let text = if name == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|error| format!("cannot read standard input: {error}"))?;
        text
    } else {
        let bytes = std::fs::read(path).map_err(|error| format!("cannot read {name}: {error}"))?;
        String::from_utf8(bytes).map_err(|error| {
            format!("cannot read {name}: not UTF-8 text (invalid byte at offset {})", error.utf8_error().valid_up_to())
        })?
    };
    Ok(SourceFile { name, text })
}

fn named(source: &SourceFile) -> NamedDocument<'_> {
    NamedDocument { name: source.name.as_str(), text: source.text.as_str() }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn run_validate(args: &ValidateArgs) -> ExitCode {
    let provider = Provider::from(args.provider);
    let mut sources = Vec::new();
    for path in &args.files {
        match read_source(path) {
            Ok(source) => sources.push(source),
            Err(message) => return usage_error(&message),
        }
    }
    let mut reports: Vec<(SourceFile, Vec<Diagnostic>)> = Vec::new();
    for source in sources {
        match iamlab_engine::validate_as(provider, &source.text, DocumentKind::from(args.kind)) {
            Ok(diagnostics) => reports.push((source, diagnostics)),
            Err(error) => return usage_error(&error.to_string()),
        }
    }
    let has_error = reports.iter().any(|(_, diagnostics)| diagnostics.iter().any(Diagnostic::is_error));
    match args.format {
        OutputFormat::Human => {
            let mut output = String::new();
            for (source, diagnostics) in &reports {
                let text = render::SourceText::new(&source.text);
                output.push_str(&render::render_diagnostics(&source.name, &text, diagnostics));
            }
            output.push_str(&render::render_summary(reports.iter().flat_map(|(_, diagnostics)| diagnostics)));
            print!("{output}");
        }
        OutputFormat::Json => {
            let files: Vec<serde_json::Value> = reports
                .iter()
                .map(|(source, diagnostics)| {
                    render::file_report_json(&source.name, &render::SourceText::new(&source.text), diagnostics)
                })
                .collect();
            let all = reports.iter().flat_map(|(_, diagnostics)| diagnostics);
            let report = serde_json::json!({
                "files": files,
                "summary": render::summary_json(all),
            });
            println!("{report}");
        }
    }
    if has_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_simulate(args: &SimulateArgs) -> ExitCode {
    let provider = Provider::from(args.provider);
    if args.org_policy.is_some() && provider != Provider::Exoscale {
        return usage_error("--org-policy applies to --provider exoscale only");
    }
    if args.owner && provider != Provider::Scaleway {
        return usage_error("--owner applies to --provider scaleway only");
    }
    let mut policies = Vec::new();
    for path in &args.policies {
        match read_source(path) {
            Ok(source) => policies.push(source),
            Err(message) => return usage_error(&message),
        }
    }
    let organization_policy = match args.org_policy.as_deref().map(read_source).transpose() {
        Ok(source) => source,
        Err(message) => return usage_error(&message),
    };
    let request = match read_source(&args.request) {
        Ok(source) => source,
        Err(message) => return usage_error(&message),
    };
    let input = SimulationInput {
        provider,
        policies: policies.iter().map(named).collect(),
        organization_policy: organization_policy.as_ref().map(named),
        owner: args.owner,
        request: named(&request),
    };
    match iamlab_engine::simulate(&input) {
        Ok(decision) => {
            match args.format {
                OutputFormat::Human => print!("{}", render::render_decision(&decision)),
                OutputFormat::Json => match serde_json::to_string(&decision) {
                    Ok(json) => println!("{json}"),
                    Err(error) => return usage_error(&format!("cannot serialize the decision: {error}")),
                },
            }
            ExitCode::SUCCESS
        }
        Err(SimulateError::NotImplemented(provider)) => usage_error(&format!("not implemented yet for {provider}")),
        Err(SimulateError::InvalidDocument { document, diagnostics }) => {
            let text = [&request]
                .into_iter()
                .chain(&policies)
                .chain(&organization_policy)
                .find(|source| source.name == document)
                .map_or("", |source| source.text.as_str());
            match args.format {
                OutputFormat::Human => {
                    let mut output =
                        render::render_diagnostics(&document, &render::SourceText::new(text), &diagnostics);
                    output.push_str(&format!("error: cannot simulate: {document} has errors\n"));
                    eprint!("{output}");
                }
                OutputFormat::Json => {
                    let report = serde_json::json!({
                        "error": format!("{document} has errors"),
                        "files": [render::file_report_json(&document, &render::SourceText::new(text), &diagnostics)],
                    });
                    println!("{report}");
                }
            }
            ExitCode::from(1)
        }
    }
}
