//! `iamlab simulate`: one request against the policies, with the decision explained.

use crate::files::{print_then, read_source, simulation_inputs, usage_error};
use crate::OutputFormat;
use iamlab_cli::{output, render};
use iamlab_engine::{DocumentId, DocumentRole, SimulateError, Source};
use iamlab_model::Provider;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    #[arg(long, value_parser = crate::provider_parser())]
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

pub fn run_simulate(args: &SimulateArgs) -> ExitCode {
    let inputs = match simulation_inputs(args.provider, &args.policies, args.org_policy.as_deref(), args.owner) {
        Ok(inputs) => inputs,
        Err(message) => return usage_error(&message),
    };
    let options = inputs.options;
    let mut files = inputs.files;
    match read_source(&args.request, DocumentRole::Request) {
        Ok(file) => files.push(file),
        Err(message) => return usage_error(&message),
    }
    let sources: Vec<Source<'_>> = files.iter().enumerate().map(|(index, file)| file.source(index)).collect();
    let name_of = |id: DocumentId| files.get(id.0 as usize).map(|file| file.name.clone()).unwrap_or_default();
    match iamlab_engine::simulate(&options, &sources) {
        Ok(decision) => {
            let text = match args.format {
                OutputFormat::Human => render::render_decision(&decision, &name_of),
                OutputFormat::Json => format!("{}\n", decision.to_json_string_with_names(&name_of)),
            };
            print_then(&text, ExitCode::SUCCESS)
        }
        Err(SimulateError::NotImplemented(provider)) => usage_error(&format!("not implemented yet for {provider}")),
        Err(SimulateError::InvalidDocument { document, diagnostics }) => {
            let name = name_of(document);
            let text = files.get(document.0 as usize).map_or("", |file| file.text.as_str());
            match args.format {
                OutputFormat::Human => {
                    let mut report = render::render_diagnostics(&name, &render::SourceText::new(text), &diagnostics);
                    report.push_str(&format!("error: cannot simulate: {name} has errors\n"));
                    output::eprint_quietly(&report);
                    ExitCode::from(1)
                }
                OutputFormat::Json => {
                    let report = serde_json::json!({
                        "error": format!("{name} has errors"),
                        "files": [render::file_report_json(&name, &render::SourceText::new(text), &diagnostics)],
                    });
                    print_then(&format!("{report}\n"), ExitCode::from(1))
                }
            }
        }
    }
}
