//! `iamlab validate --format sarif`: SARIF 2.1.0 (OASIS), the format code-scanning services
//! read. One run, its rules being every code the provider's engine registers (with the
//! pipeline's and the shared request codes) plus any other code reported (JSON syntax, CEL),
//! each with its summary, severity and a help URI into the document that explains it.
//! Regions are 1-based lines and columns in Unicode code points (`columnKind` says so).

use crate::render::SourceText;
use iamlab_engine::RequestCode;
use iamlab_model::{Diagnostic, Provider, Severity};
use serde_json::{json, Value};

/// Where the semantics documents are published: the repository's `docs/` as a web page.
const DOCUMENTS_BASE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/");

/// One file's findings, as `validate` produced them.
pub struct FileFindings<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

/// The document that explains the codes of a namespace (`exoscale` of `exoscale::unknown-operation`).
pub fn document_of_code(code: &str) -> String {
    match code.split("::").next().unwrap_or("") {
        "cel" => "crates/iamlab-cel/DIALECTS.md".to_owned(),
        "json" | "request" | "pipeline" => "docs/semantics/common.md".to_owned(),
        namespace => format!("docs/semantics/{namespace}.md"),
    }
}

pub fn help_uri(code: &str) -> String {
    format!("{DOCUMENTS_BASE}{}", document_of_code(code))
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

struct Rule {
    id: String,
    summary: String,
    severity: Severity,
}

fn rules(provider: Provider, files: &[FileFindings<'_>]) -> Vec<Rule> {
    let registered = iamlab_engine::codes(provider)
        .iter()
        .chain(iamlab_engine::pipeline::PIPELINE_CODES)
        .copied()
        .chain(RequestCode::ALL.map(RequestCode::info));
    let mut rules: Vec<Rule> = Vec::new();
    for info in registered {
        if !rules.iter().any(|rule| rule.id == info.code) {
            rules.push(Rule { id: info.code.to_owned(), summary: info.summary.to_owned(), severity: info.severity });
        }
    }
    // Codes without a registry (the JSON reader's, CEL's) are described by their first finding.
    for diagnostic in files.iter().flat_map(|file| file.diagnostics) {
        if !rules.iter().any(|rule| rule.id == diagnostic.code) {
            rules.push(Rule {
                id: diagnostic.code.clone(),
                summary: diagnostic.message.clone(),
                severity: diagnostic.severity,
            });
        }
    }
    rules
}

fn region(source: &SourceText<'_>, start: u32, end: u32) -> Value {
    let (start_line, start_column) = source.position(start);
    let (end_line, end_column) = source.position(end);
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

fn result(file: &FileFindings<'_>, source: &SourceText<'_>, diagnostic: &Diagnostic, rule_index: usize) -> Value {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!(" (help: {help})"));
    }
    let mut physical = json!({ "artifactLocation": { "uri": file.name } });
    if let Some(span) = diagnostic.primary_span() {
        physical["region"] = region(source, span.start, span.end);
    }
    let mut value = json!({
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": level(diagnostic.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical }],
    });
    if let Some(path) = &diagnostic.path {
        value["properties"] = json!({ "jsonPointer": path });
    }
    let related: Vec<Value> = diagnostic
        .labels
        .iter()
        .filter(|label| !label.primary)
        .enumerate()
        .map(|(index, label)| {
            json!({
                "id": index,
                "message": { "text": if label.message.is_empty() { "related" } else { label.message.as_str() } },
                "physicalLocation": {
                    "artifactLocation": { "uri": file.name },
                    "region": region(source, label.span.start, label.span.end),
                },
            })
        })
        .collect();
    if !related.is_empty() {
        value["relatedLocations"] = Value::Array(related);
    }
    let fixes: Vec<Value> = diagnostic
        .fixes
        .iter()
        .map(|fix| {
            json!({
                "description": { "text": fix.title },
                "artifactChanges": [{
                    "artifactLocation": { "uri": file.name },
                    "replacements": [{
                        "deletedRegion": region(source, fix.span.start, fix.span.end),
                        "insertedContent": { "text": fix.replacement },
                    }],
                }],
            })
        })
        .collect();
    if !fixes.is_empty() {
        value["fixes"] = Value::Array(fixes);
    }
    value
}

/// The SARIF log of one `validate` run.
pub fn sarif_log(provider: Provider, files: &[FileFindings<'_>]) -> Value {
    let rules = rules(provider, files);
    let rules_json: Vec<Value> = rules
        .iter()
        .map(|rule| {
            let uri = help_uri(&rule.id);
            json!({
                "id": rule.id,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": format!("{} ({} for {provider})", rule.summary, rule.severity.as_str()) },
                "help": { "text": format!("{}; every code is explained in {}", rule.summary, document_of_code(&rule.id)) },
                "helpUri": uri,
                "defaultConfiguration": { "level": level(rule.severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut artifacts = Vec::new();
    for file in files {
        let source = SourceText::new(file.text);
        artifacts.push(json!({ "location": { "uri": file.name }, "length": file.text.len() }));
        for diagnostic in file.diagnostics {
            let index = rules.iter().position(|rule| rule.id == diagnostic.code).unwrap_or(0);
            results.push(result(file, &source, diagnostic, index));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "iamlab",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules_json,
                },
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamlab_model::{Fix, Span};

    #[test]
    fn results_point_at_lines_columns_and_their_rule() {
        let text = "{\n  \"é\": \"Alow\"\n}";
        let diagnostic = Diagnostic::error("outscale::invalid-effect", "unknown effect")
            .with_primary(Span::new(10, 16), "")
            .with_help("write `Allow`")
            .with_fix(Fix::new("replace with `Allow`", Span::new(10, 16), "\"Allow\""));
        let diagnostics = [diagnostic];
        let log = sarif_log(Provider::Outscale, &[FileFindings { name: "p.json", text, diagnostics: &diagnostics }]);
        let run = &log["runs"][0];
        let result = &run["results"][0];
        assert_eq!(result["level"], "error");
        // `é` is one code point: the string starts at column 8 of line 2.
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(2), Some(8)));
        assert_eq!(region["endColumn"], 14);
        let rule = &run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], "outscale::invalid-effect");
        assert!(rule["helpUri"].as_str().unwrap().ends_with("docs/semantics/outscale.md"), "{rule}");
        assert_eq!(result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], "\"Allow\"");
    }
}
