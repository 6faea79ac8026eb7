//! `iamlab validate`: every finding of policy files, for people (rustc-like), machines (JSON)
//! and code-scanning services (SARIF); `--deny` sets the severity that fails the run and
//! `--fix` applies the edits findings carry.

use crate::files::{print_then, read_source, usage_error, SourceFile};
use iamlab_cli::{output, render, sarif};
use iamlab_engine::{DocumentRole, Options};
use iamlab_model::{Diagnostic, Fix, Provider, Severity};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidateFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
}

/// The lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DenyLevel {
    Error,
    Warning,
    Info,
    Hint,
}

impl DenyLevel {
    pub fn denies(self, severity: Severity) -> bool {
        let lowest = match self {
            DenyLevel::Error => Severity::Error,
            DenyLevel::Warning => Severity::Warning,
            DenyLevel::Info => Severity::Info,
            DenyLevel::Hint => Severity::Hint,
        };
        // `Severity` orders from the most severe (`Error`) to the least (`Hint`).
        severity <= lowest
    }
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    #[arg(long, value_parser = crate::provider_parser())]
    provider: Provider,
    /// What the files are: `organization` (Exoscale), `managed` or `inline` (Outscale/AWS),
    /// `request`, or the provider's default `policy`.
    #[arg(long, value_parser = crate::role_parser(), default_value = "policy")]
    kind: DocumentRole,
    #[arg(long, value_enum, default_value = "human")]
    format: ValidateFormat,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    deny: DenyLevel,
    /// Apply the machine-applicable edits of the findings, write the files, and say what
    /// changed; the findings left are reported as usual.
    #[arg(long)]
    fix: bool,
    /// The saved (deployed) version of the files, in the same order, e.g. `--saved <(git show
    /// HEAD:policy.json)`: what only a comparison shows is reported too, such as an edit that takes
    /// away the principal's own right to write policies (Scaleway's lock-out guard).
    #[arg(long, value_name = "FILE")]
    saved: Vec<PathBuf>,
    /// Policy files (`-` reads standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// One edit made by `--fix`, for the report.
struct Applied {
    file: String,
    line: u32,
    column: u32,
    title: String,
}

/// `text` with the first fix of every finding applied, skipping fixes that overlap an earlier
/// one (they would edit the same characters twice); a later run applies what is left.
fn apply_fixes(text: &str, diagnostics: &[Diagnostic]) -> (String, Vec<Fix>) {
    let mut fixes: Vec<&Fix> = diagnostics.iter().filter_map(|diagnostic| diagnostic.fixes.first()).collect();
    fixes.sort_by_key(|fix| (fix.span.start, fix.span.end));
    let mut chosen: Vec<Fix> = Vec::new();
    for fix in fixes {
        let overlaps = chosen.last().is_some_and(|last| fix.span.start < last.span.end || fix.span == last.span);
        if !overlaps {
            chosen.push(fix.clone());
        }
    }
    let mut fixed = text.to_owned();
    let mut applied = Vec::new();
    for fix in chosen.iter().rev() {
        if let Some(next) = fix.apply(&fixed) {
            fixed = next;
            applied.push(fix.clone());
        }
    }
    applied.reverse();
    (fixed, applied)
}

pub fn run_validate(args: &ValidateArgs) -> ExitCode {
    let provider = args.provider;
    if let Err(error) = iamlab_engine::check_role(provider, args.kind) {
        return usage_error(&error.to_string());
    }
    if args.fix && args.files.iter().any(|path| path.as_os_str() == "-") {
        return usage_error("--fix writes the files it fixes: it cannot fix standard input");
    }
    let mut files: Vec<SourceFile> = Vec::new();
    for path in &args.files {
        match read_source(path, args.kind) {
            Ok(file) => files.push(file),
            Err(message) => return usage_error(&message),
        }
    }
    let options = Options::for_provider(provider);
    let validate = |files: &[SourceFile]| -> Vec<Vec<Diagnostic>> {
        files.iter().enumerate().map(|(index, file)| iamlab_engine::validate(&options, &file.source(index))).collect()
    };
    let mut reports = validate(&files);
    let mut applied: Vec<Applied> = Vec::new();
    if args.fix {
        for (file, diagnostics) in files.iter_mut().zip(&reports) {
            let (fixed, fixes) = apply_fixes(&file.text, diagnostics);
            if fixes.is_empty() {
                continue;
            }
            if let Err(error) = output::write_atomically(std::path::Path::new(&file.name), fixed.as_bytes()) {
                return usage_error(&format!("cannot write {}: {error}", file.name));
            }
            let source = render::SourceText::new(&file.text);
            for fix in fixes {
                let (line, column) = source.position(fix.span.start);
                applied.push(Applied { file: file.name.clone(), line, column, title: fix.title });
            }
            file.text = fixed;
        }
        reports = validate(&files);
    }
    if !args.saved.is_empty() {
        let mut saved: Vec<SourceFile> = Vec::new();
        for path in &args.saved {
            match read_source(path, args.kind) {
                Ok(file) => saved.push(file),
                Err(message) => return usage_error(&message),
            }
        }
        let saved_sources: Vec<_> = saved.iter().enumerate().map(|(index, file)| file.source(index)).collect();
        let current_sources: Vec<_> = files.iter().enumerate().map(|(index, file)| file.source(index)).collect();
        for (id, diagnostic) in iamlab_engine::compare_versions(&options, &saved_sources, &current_sources) {
            if let Some(report) = reports.get_mut(id.0 as usize) {
                report.push(diagnostic);
                iamlab_model::sort_diagnostics(report);
            }
        }
    }
    let denied = reports.iter().flatten().any(|diagnostic| args.deny.denies(diagnostic.severity));
    let text = match args.format {
        ValidateFormat::Human => {
            let mut text = String::new();
            for change in &applied {
                text.push_str(&format!("fixed {}:{}:{}: {}\n", change.file, change.line, change.column, change.title));
            }
            for (file, diagnostics) in files.iter().zip(&reports) {
                text.push_str(&render::render_diagnostics(
                    &file.name,
                    &render::SourceText::new(&file.text),
                    diagnostics,
                ));
            }
            text.push_str(&render::render_summary(reports.iter().flatten()));
            text
        }
        ValidateFormat::Json => {
            let files_json: Vec<serde_json::Value> = files
                .iter()
                .zip(&reports)
                .map(|(file, diagnostics)| {
                    render::file_report_json(&file.name, &render::SourceText::new(&file.text), diagnostics)
                })
                .collect();
            let mut report = serde_json::json!({
                "files": files_json,
                "summary": render::summary_json(reports.iter().flatten()),
            });
            if args.fix {
                report["fixed"] = applied
                    .iter()
                    .map(|change| {
                        serde_json::json!({
                            "file": change.file, "line": change.line, "column": change.column, "title": change.title,
                        })
                    })
                    .collect();
            }
            format!("{report}\n")
        }
        ValidateFormat::Sarif => {
            let findings: Vec<sarif::FileFindings<'_>> = files
                .iter()
                .zip(&reports)
                .map(|(file, diagnostics)| sarif::FileFindings { name: &file.name, text: &file.text, diagnostics })
                .collect();
            let log = sarif::sarif_log(provider, &findings);
            format!("{}\n", serde_json::to_string_pretty(&log).unwrap_or_default())
        }
    };
    print_then(&text, if denied { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
