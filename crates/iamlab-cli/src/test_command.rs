//! `iamlab test`: runs test-case files (the playground grid's format, read and run by
//! `iamlab_engine::test_cases`) against policies: one line per case, then `N passed, M failed`.
//! Exit codes: 0 every case passed; 1 a case failed, a document has errors or the test file
//! has errors (a case with an error is left out); 2 usage or I/O errors, or no engine.

use crate::files::{print_then, read_text, simulation_inputs, usage_error, SourceFile};
use iamlab_cli::junit;
use iamlab_cli::{output, render};
use iamlab_engine::test_cases::{self, CaseResult, TestCase, TestSuite};
use iamlab_engine::{DocumentId, Options, SimulateError, Source};
use iamlab_model::json::parse_json;
use iamlab_model::{Diagnostic, Provider, Span};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    /// JUnit XML, for CI test reports.
    Junit,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// The provider the cases assume (default: each file's `provider`; a different one is an error).
    #[arg(long, value_parser = crate::provider_parser())]
    provider: Option<Provider>,
    /// The policies the cases run against (as `simulate --policy`). Repeat for several.
    #[arg(long = "policy", required = true)]
    policies: Vec<PathBuf>,
    /// Exoscale: the organization policy (default: allow everything).
    #[arg(long)]
    org_policy: Option<PathBuf>,
    /// Scaleway: the principal is the Organization Owner.
    #[arg(long)]
    owner: bool,
    #[arg(long, value_enum, default_value = "human")]
    format: TestFormat,
    /// Test-case files: `{ "iamlab_tests": 1, "provider": …, "cases": [ { "name", "request", "expect" } ] }`.
    #[arg(required = true)]
    tests: Vec<PathBuf>,
}

/// One case with what it gave, ready to print.
pub struct CaseReport {
    name: String,
    expect: &'static str,
    got: Option<&'static str>,
    passed: bool,
    /// "Statement[0] of policy.json": the deciding entries.
    decided_by: Vec<String>,
    /// Why there is no decision.
    error: Option<String>,
    /// The decision as `simulate` prints it, for the JUnit failure's details.
    explanation: Option<String>,
}

pub struct FileReport {
    name: String,
    provider: Provider,
    /// The test file's own findings, and those of each request, in file offsets.
    diagnostics: Vec<Diagnostic>,
    text: String,
    cases: Vec<CaseReport>,
}

/// The span of each case's request in the file. The reader keeps cases in file order and
/// leaves out those with errors, so each case is the next item with its name and request text.
fn request_spans(text: &str, cases: &[TestCase]) -> Vec<Span> {
    let parsed = parse_json(text);
    let items = parsed.value.as_ref().and_then(|root| root.get("cases")).and_then(|cases| cases.as_array());
    let mut items = items.unwrap_or_default().iter();
    cases
        .iter()
        .map(|case| {
            items
                .by_ref()
                .filter_map(|item| item.get("request").map(|request| (item, request.span)))
                .find(|(item, span)| {
                    item.get("name").and_then(|name| name.as_str()) == Some(case.name.as_str())
                        && span.slice(text) == Some(case.request.as_str())
                })
                .map_or_else(Span::default, |(_, span)| span)
        })
        .collect()
}

fn shift(diagnostic: Diagnostic, by: u32) -> Diagnostic {
    diagnostic.map_spans(|span| Span::new(span.start + by, span.end + by))
}

/// The errors of policy documents that refused cases, each shown once however many cases it
/// refused.
#[derive(Default)]
pub struct DocumentErrors {
    pub text: String,
    pub json: Vec<serde_json::Value>,
    reported: Vec<String>,
}

/// Runs the cases of one test file against `files` (read with ids by index).
/// `Err` is the exit code of a run that cannot go on (no engine for the provider).
pub fn run_suite(
    name: String,
    text: String,
    suite: &TestSuite,
    mut diagnostics: Vec<Diagnostic>,
    options: &Options,
    files: &[SourceFile],
    errors: &mut DocumentErrors,
) -> Result<FileReport, ExitCode> {
    let sources: Vec<Source<'_>> = files.iter().enumerate().map(|(index, file)| file.source(index)).collect();
    let results = test_cases::run_test_cases(options, &sources, &suite.cases, iamlab_engine::Detail::Explained);
    let spans = request_spans(&text, &suite.cases);
    let name_of = |id: DocumentId| match files.get(id.0 as usize) {
        Some(file) => file.name.clone(),
        None => name.clone(),
    };
    let mut cases = Vec::new();
    for ((case, result), span) in suite.cases.iter().zip(results).zip(spans) {
        let CaseResult { decision, passed } = result;
        let report = match decision {
            Ok(decision) => CaseReport {
                name: case.name.clone(),
                expect: case.expect.as_str(),
                got: Some(decision.effect.as_str()),
                passed,
                decided_by: decision
                    .decisive
                    .iter()
                    .map(|entry| entry.locator.describe(&entry.locator.document.map(name_of).unwrap_or_default()))
                    .collect(),
                error: None,
                explanation: Some(render::render_decision(&decision, &name_of)),
            },
            Err(SimulateError::NotImplemented(provider)) => {
                return Err(usage_error(&format!("not implemented yet for {provider}")))
            }
            Err(SimulateError::InvalidDocument { document, diagnostics: found }) => {
                let error = if let Some(file) = files.get(document.0 as usize) {
                    if !errors.reported.contains(&file.name) {
                        errors.reported.push(file.name.clone());
                        let source = render::SourceText::new(&file.text);
                        errors.text.push_str(&render::render_diagnostics(&file.name, &source, &found));
                        errors.json.push(render::file_report_json(&file.name, &source, &found));
                    }
                    format!("{} has errors", file.name)
                } else {
                    diagnostics.extend(found.into_iter().map(|diagnostic| shift(diagnostic, span.start)));
                    "the request has errors".to_owned()
                };
                CaseReport {
                    name: case.name.clone(),
                    expect: case.expect.as_str(),
                    got: None,
                    passed: false,
                    decided_by: Vec::new(),
                    error: Some(error),
                    explanation: None,
                }
            }
        };
        cases.push(report);
    }
    iamlab_model::sort_diagnostics(&mut diagnostics);
    Ok(FileReport { name, provider: suite.provider, diagnostics, text, cases })
}

/// Reads a test-case file; `Err` is the exit code when it cannot be run (I/O: 2, no suite: 1).
pub fn read_suite(path: &std::path::Path) -> Result<(String, String, TestSuite, Vec<Diagnostic>), ExitCode> {
    let name = path.display().to_string();
    let text = read_text(path).map_err(|message| usage_error(&message))?;
    let read = test_cases::read_test_cases(&text);
    match read.tree {
        Some(suite) => Ok((name, text, suite, read.diagnostics)),
        None => {
            let mut report = render::render_diagnostics(&name, &render::SourceText::new(&text), &read.diagnostics);
            report.push_str(&format!("error: {name} is not a test-case file it can run\n"));
            output::eprint_quietly(&report);
            Err(ExitCode::from(1))
        }
    }
}

pub fn run_test(args: &TestArgs) -> ExitCode {
    let mut reports: Vec<FileReport> = Vec::new();
    let mut errors = DocumentErrors::default();
    for path in &args.tests {
        let (name, text, suite, diagnostics) = match read_suite(path) {
            Ok(read) => read,
            Err(code) => return code,
        };
        let provider = match args.provider {
            Some(provider) if provider != suite.provider => {
                return usage_error(&format!(
                    "{name} has cases for {}, not for --provider {provider}",
                    suite.provider.as_str()
                ))
            }
            _ => suite.provider,
        };
        let inputs = match simulation_inputs(provider, &args.policies, args.org_policy.as_deref(), args.owner) {
            Ok(inputs) => inputs,
            Err(message) => return usage_error(&message),
        };
        match run_suite(name, text, &suite, diagnostics, &inputs.options, &inputs.files, &mut errors) {
            Ok(report) => reports.push(report),
            Err(code) => return code,
        }
    }
    print_reports(&reports, &errors, args.format)
}

/// Prints the reports in `format` and gives the exit code: 1 when a case failed or a test file
/// has errors.
pub fn print_reports(reports: &[FileReport], errors: &DocumentErrors, format: TestFormat) -> ExitCode {
    let (text, failed) = render_reports(reports, errors, format);
    print_then(&text, if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The reports in `format`, and whether the run failed (a case failed, a test file has errors).
pub fn render_reports(reports: &[FileReport], errors: &DocumentErrors, format: TestFormat) -> (String, bool) {
    let document_errors = &errors.text;
    let document_error_json = errors.json.clone();
    let file_has_errors = reports.iter().any(|report| report.diagnostics.iter().any(Diagnostic::is_error));
    let passed = reports.iter().flat_map(|report| &report.cases).filter(|case| case.passed).count();
    let failed = reports.iter().flat_map(|report| &report.cases).filter(|case| !case.passed).count();
    let code = failed > 0 || file_has_errors;
    let text = match format {
        TestFormat::Human => {
            output::eprint_quietly(document_errors);
            human_report(reports, passed, failed)
        }
        TestFormat::Json => format!("{}\n", json_report(reports, document_error_json, passed, failed)),
        TestFormat::Junit => junit::junit_report(&junit_suites(reports, document_errors)),
    };
    (text, code)
}

fn case_line(case: &CaseReport) -> String {
    let status = if case.passed { "ok  " } else { "FAIL" };
    let mut line = format!("{status} {}: expected {}", case.name, case.expect);
    match (&case.got, &case.error) {
        (Some(got), _) => {
            line.push_str(&format!(", got {got}"));
            if case.decided_by.is_empty() {
                line.push_str(" (nothing matched the request)");
            } else {
                line.push_str(&format!(" (decided by {})", case.decided_by.join("; ")));
            }
        }
        (None, Some(error)) => line.push_str(&format!(", got no decision: {error}")),
        (None, None) => {}
    }
    line.push('\n');
    line
}

fn human_report(reports: &[FileReport], passed: usize, failed: usize) -> String {
    let mut text = String::new();
    for report in reports {
        text.push_str(&render::render_diagnostics(
            &report.name,
            &render::SourceText::new(&report.text),
            &report.diagnostics,
        ));
        if reports.len() > 1 {
            text.push_str(&format!("{} ({}):\n", report.name, report.provider.as_str()));
        }
        for case in &report.cases {
            text.push_str(&case_line(case));
        }
    }
    text.push_str(&format!("{passed} passed, {failed} failed\n"));
    text
}

fn json_report(
    reports: &[FileReport],
    document_errors: Vec<serde_json::Value>,
    passed: usize,
    failed: usize,
) -> serde_json::Value {
    let files: Vec<serde_json::Value> = reports
        .iter()
        .map(|report| {
            let cases: Vec<serde_json::Value> = report
                .cases
                .iter()
                .map(|case| {
                    serde_json::json!({
                        "name": case.name,
                        "expect": case.expect,
                        "got": case.got,
                        "passed": case.passed,
                        "decided_by": case.decided_by,
                        "error": case.error,
                    })
                })
                .collect();
            let findings =
                render::file_report_json(&report.name, &render::SourceText::new(&report.text), &report.diagnostics);
            serde_json::json!({
                "file": report.name,
                "provider": report.provider.as_str(),
                "diagnostics": findings["diagnostics"],
                "cases": cases,
            })
        })
        .collect();
    serde_json::json!({
        "files": files,
        "documents_with_errors": document_errors,
        "summary": { "passed": passed, "failed": failed },
    })
}

fn junit_suites(reports: &[FileReport], document_errors: &str) -> Vec<junit::Suite> {
    reports
        .iter()
        .map(|report| junit::Suite {
            name: report.name.clone(),
            cases: report
                .cases
                .iter()
                .map(|case| {
                    let message = case_line(case).trim_end().to_owned();
                    let outcome = match (&case.explanation, case.passed) {
                        (_, true) => junit::Outcome::Passed,
                        (Some(explanation), false) => junit::Outcome::Failed { message, details: explanation.clone() },
                        (None, false) => junit::Outcome::Error { message, details: document_errors.to_owned() },
                    };
                    junit::Case { name: case.name.clone(), outcome }
                })
                .collect(),
        })
        .collect()
}
