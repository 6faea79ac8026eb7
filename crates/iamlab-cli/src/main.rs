//! `iamlab`: validate policies and simulate requests from the command line (CI pipelines).
//!
//! Exit codes: 0 when nothing at error level was found (validate) or a decision was printed
//! (simulate); 1 when a document has an error; 2 on usage or I/O errors, or when the provider's
//! engine cannot simulate yet.

mod cel_command;

use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{Parser, Subcommand, ValueEnum};
use iamlab_cli::render;
use iamlab_engine::{DocumentId, DocumentRole, Options, SimulateError, Source};
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

#[derive(Debug, clap::Args)]
struct ValidateArgs {
    #[arg(long, value_parser = provider_parser())]
    provider: Provider,
    /// What the files are: `organization` (Exoscale), `managed` or `inline` (Outscale/AWS),
    /// `request`, or the provider's default `policy`.
    #[arg(long, value_parser = role_parser(), default_value = "policy")]
    kind: DocumentRole,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Policy files (`-` reads standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct SimulateArgs {
    #[arg(long, value_parser = provider_parser())]
    provider: Provider,
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

/// A file's name as shown in messages, its text, and the role it plays.
struct SourceFile {
    name: String,
    text: String,
    role: DocumentRole,
}

impl SourceFile {
    /// The engine's view of the file: its index among the files of the command is its id.
    fn source(&self, index: usize) -> Source<'_> {
        Source { id: DocumentId(u32::try_from(index).unwrap_or(u32::MAX)), role: self.role, text: &self.text }
    }
}

fn read_source(path: &Path, role: DocumentRole) -> Result<SourceFile, String> {
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
    Ok(SourceFile { name, text, role })
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// The providers that know `role`, for "--org-policy applies to --provider exoscale only".
fn providers_with_role(role: DocumentRole) -> String {
    let names: Vec<&str> = Provider::ALL
        .into_iter()
        .filter(|provider| iamlab_engine::check_role(*provider, role).is_ok())
        .map(Provider::as_str)
        .collect();
    names.join(" or --provider ")
}

/// The providers that have the yes/no option `flag`, for "--owner applies to … only".
fn providers_with_flag(flag: &str) -> String {
    let names: Vec<&str> = Provider::ALL
        .into_iter()
        .filter(|provider| iamlab_engine::option_flags(*provider).contains(&flag))
        .map(Provider::as_str)
        .collect();
    names.join(" or --provider ")
}

fn run_validate(args: &ValidateArgs) -> ExitCode {
    let provider = args.provider;
    if let Err(error) = iamlab_engine::check_role(provider, args.kind) {
        return usage_error(&error.to_string());
    }
    let mut files = Vec::new();
    for path in &args.files {
        match read_source(path, args.kind) {
            Ok(file) => files.push(file),
            Err(message) => return usage_error(&message),
        }
    }
    let options = Options::for_provider(provider);
    let reports: Vec<(&SourceFile, Vec<Diagnostic>)> = files
        .iter()
        .enumerate()
        .map(|(index, file)| (file, iamlab_engine::validate(&options, &file.source(index))))
        .collect();
    let has_error = reports.iter().any(|(_, diagnostics)| diagnostics.iter().any(Diagnostic::is_error));
    match args.format {
        OutputFormat::Human => {
            let mut output = String::new();
            for (file, diagnostics) in &reports {
                let text = render::SourceText::new(&file.text);
                output.push_str(&render::render_diagnostics(&file.name, &text, diagnostics));
            }
            output.push_str(&render::render_summary(reports.iter().flat_map(|(_, diagnostics)| diagnostics)));
            print!("{output}");
        }
        OutputFormat::Json => {
            let files: Vec<serde_json::Value> = reports
                .iter()
                .map(|(file, diagnostics)| {
                    render::file_report_json(&file.name, &render::SourceText::new(&file.text), diagnostics)
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
    let provider = args.provider;
    let mut options = Options::for_provider(provider);
    if args.org_policy.is_some() && iamlab_engine::check_role(provider, DocumentRole::OrganizationPolicy).is_err() {
        let others = providers_with_role(DocumentRole::OrganizationPolicy);
        return usage_error(&format!("--org-policy applies to --provider {others} only"));
    }
    if args.owner && options.set_flag("owner").is_err() {
        return usage_error(&format!("--owner applies to --provider {} only", providers_with_flag("owner")));
    }
    let mut paths: Vec<(&Path, DocumentRole)> =
        args.policies.iter().map(|path| (path.as_path(), DocumentRole::Policy)).collect();
    if let Some(path) = &args.org_policy {
        paths.push((path, DocumentRole::OrganizationPolicy));
    }
    paths.push((&args.request, DocumentRole::Request));
    let mut files = Vec::new();
    for (path, role) in paths {
        match read_source(path, role) {
            Ok(file) => files.push(file),
            Err(message) => return usage_error(&message),
        }
    }
    let sources: Vec<Source<'_>> = files.iter().enumerate().map(|(index, file)| file.source(index)).collect();
    let name_of = |id: DocumentId| files.get(id.0 as usize).map(|file| file.name.clone()).unwrap_or_default();
    match iamlab_engine::simulate(&options, &sources) {
        Ok(decision) => {
            match args.format {
                OutputFormat::Human => print!("{}", render::render_decision(&decision, &name_of)),
                OutputFormat::Json => println!("{}", decision.to_json_string_with_names(&name_of)),
            }
            ExitCode::SUCCESS
        }
        Err(SimulateError::NotImplemented(provider)) => usage_error(&format!("not implemented yet for {provider}")),
        Err(SimulateError::InvalidDocument { document, diagnostics }) => {
            let name = name_of(document);
            let text = files.get(document.0 as usize).map_or("", |file| file.text.as_str());
            match args.format {
                OutputFormat::Human => {
                    let mut output = render::render_diagnostics(&name, &render::SourceText::new(text), &diagnostics);
                    output.push_str(&format!("error: cannot simulate: {name} has errors\n"));
                    eprint!("{output}");
                }
                OutputFormat::Json => {
                    let report = serde_json::json!({
                        "error": format!("{name} has errors"),
                        "files": [render::file_report_json(&name, &render::SourceText::new(text), &diagnostics)],
                    });
                    println!("{report}");
                }
            }
            ExitCode::from(1)
        }
    }
}
