//! `iamlab terraform`: validates the IAM policies of a `terraform show -json` plan (or state)
//! and, with `--tests`, runs test-case files against them; every finding is reported against
//! the resource's address. The resource types and how their attributes become documents are in
//! `iamlab_cli::terraform`.
//! Exit codes: 0 nothing at the `--deny` level and every case passed; 1 a finding at that level
//! or a failed case; 2 usage or I/O errors, or input that is not `terraform show -json` output.

use crate::files::{print_then, read_text, usage_error, SourceFile};
use crate::test_command::{self, DocumentErrors, TestFormat};
use crate::validate_command::DenyLevel;
use crate::OutputFormat;
use iamlab_cli::render;
use iamlab_cli::terraform::{read_plan, PlanDocument};
use iamlab_engine::{DocumentId, DocumentRole, Options, Source};
use iamlab_model::{Diagnostic, Provider};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct TerraformArgs {
    /// `terraform show -json` output of a plan (`terraform show -json plan.out > plan.json`) or
    /// of the state.
    plan: PathBuf,
    /// Test-case files to run against the plan's policies of their provider (each Exoscale role
    /// with the organization policy; each other policy on its own).
    #[arg(long = "tests", num_args = 1..)]
    tests: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    deny: DenyLevel,
}

struct Checked {
    document: PlanDocument,
    diagnostics: Vec<Diagnostic>,
}

/// The name findings are shown under: the address, and for a built document a reminder that
/// positions are in the JSON built from the attributes.
fn shown_name(document: &PlanDocument) -> String {
    if document.verbatim {
        document.address.clone()
    } else {
        format!("{} (as API JSON)", document.address)
    }
}

pub fn run_terraform(args: &TerraformArgs) -> ExitCode {
    let text = match read_text(&args.plan) {
        Ok(text) => text,
        Err(message) => return usage_error(&message),
    };
    let documents = match read_plan(&text) {
        Ok(documents) => documents,
        Err(error) => return usage_error(&format!("{}: {error}", args.plan.display())),
    };
    let checked: Vec<Checked> = documents
        .into_iter()
        .map(|document| {
            let diagnostics = match &document.text {
                Some(text) => iamlab_engine::validate(
                    &Options::for_provider(document.provider),
                    &Source { id: DocumentId(0), role: document.role, text },
                ),
                None => Vec::new(),
            };
            Checked { document, diagnostics }
        })
        .collect();
    let denied =
        checked.iter().flat_map(|checked| &checked.diagnostics).any(|diagnostic| args.deny.denies(diagnostic.severity));
    let mut reports = Vec::new();
    let mut errors = DocumentErrors::default();
    for path in &args.tests {
        let (name, text, suite, diagnostics) = match test_command::read_suite(path) {
            Ok(read) => read,
            Err(code) => return code,
        };
        for files in simulation_groups(&checked, suite.provider) {
            let principal = files.first().map(|file| file.name.clone()).unwrap_or_default();
            let label = format!("{name} against {principal}");
            let options = Options::for_provider(suite.provider);
            match test_command::run_suite(
                label,
                text.clone(),
                &suite,
                diagnostics.clone(),
                &options,
                &files,
                &mut errors,
            ) {
                Ok(report) => reports.push(report),
                Err(code) => return code,
            }
        }
    }
    let (output, tests_failed) = match args.format {
        OutputFormat::Human => {
            let mut output = String::new();
            for checked in &checked {
                let document = &checked.document;
                output.push_str(&format!("{} ({}): ", document.address, document.resource_type));
                match &document.text {
                    None => output.push_str("the document is not known until apply: not checked\n"),
                    Some(text) => {
                        output.push_str(&render::render_summary(checked.diagnostics.iter()));
                        output.push_str(&render::render_diagnostics(
                            &shown_name(document),
                            &render::SourceText::new(text),
                            &checked.diagnostics,
                        ));
                    }
                }
            }
            if checked.is_empty() {
                output.push_str("no IAM policy resources in the plan\n");
            }
            let mut tests_failed = false;
            if !args.tests.is_empty() {
                let (tests, failed) = test_command::render_reports(&reports, &errors, TestFormat::Human);
                output.push_str(&tests);
                tests_failed = failed;
            }
            (output, tests_failed)
        }
        OutputFormat::Json => {
            let resources: Vec<serde_json::Value> = checked
                .iter()
                .map(|checked| {
                    let document = &checked.document;
                    let findings = render::file_report_json(
                        &document.address,
                        &render::SourceText::new(document.text.as_deref().unwrap_or("")),
                        &checked.diagnostics,
                    );
                    serde_json::json!({
                        "address": document.address,
                        "type": document.resource_type,
                        "provider": document.provider.as_str(),
                        "kind": document.role.as_str(),
                        "document": document.text,
                        "verbatim": document.verbatim,
                        "diagnostics": findings["diagnostics"],
                    })
                })
                .collect();
            let mut report = serde_json::json!({
                "resources": resources,
                "summary": render::summary_json(checked.iter().flat_map(|checked| &checked.diagnostics)),
            });
            let mut tests_failed = false;
            if !args.tests.is_empty() {
                let (tests, failed) = test_command::render_reports(&reports, &errors, TestFormat::Json);
                report["tests"] = serde_json::from_str(&tests).unwrap_or_default();
                tests_failed = failed;
            }
            (format!("{report}\n"), tests_failed)
        }
    };
    print_then(&output, if denied || tests_failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The sets of documents one simulation takes, for `provider`: an organization policy is
/// added to each principal's document (the engine's `OrganizationPolicy` role), and every other
/// document is a principal on its own. Documents not known until apply are left out.
fn simulation_groups(checked: &[Checked], provider: Provider) -> Vec<Vec<SourceFile>> {
    let known: Vec<&PlanDocument> = checked
        .iter()
        .map(|checked| &checked.document)
        .filter(|document| document.provider == provider && document.text.is_some())
        .collect();
    let file = |document: &PlanDocument, role: DocumentRole| SourceFile {
        name: document.address.clone(),
        text: document.text.clone().unwrap_or_default(),
        role,
    };
    let organization = known.iter().find(|document| document.role == DocumentRole::OrganizationPolicy);
    known
        .iter()
        .filter(|document| document.role != DocumentRole::OrganizationPolicy)
        .map(|document| {
            let mut files = vec![file(document, DocumentRole::Policy)];
            if let Some(organization) = organization {
                files.push(file(organization, DocumentRole::OrganizationPolicy));
            }
            files
        })
        .collect()
}
