//! The scenario corpus (`tests/scenarios/scaleway/*.json`) run through the public pipeline, and
//! the invariants every scenario must keep (spans inside their documents).

use super::{Options, Scaleway};
use crate::pipeline::{self, decision_spans_outside, spans_outside, DocumentId, DocumentRole, Source};
use serde_json::Value;
use std::path::PathBuf;

fn scenario_files() -> Vec<PathBuf> {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios/scaleway");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    files.sort();
    files
}

fn document_text(document: &Value) -> (DocumentRole, String) {
    let role = DocumentRole::from_key(document["role"].as_str().unwrap()).unwrap();
    let text = match (document.get("text"), document.get("json")) {
        (Some(Value::String(text)), _) => text.clone(),
        (_, Some(json)) => serde_json::to_string_pretty(json).unwrap(),
        _ => panic!("a document has `text` or `json`"),
    };
    (role, text)
}

/// Runs one scenario; returns what went wrong, if anything.
fn run(scenario: &Value) -> Result<(), String> {
    let mut texts: Vec<(DocumentRole, String)> =
        scenario["documents"].as_array().unwrap().iter().map(document_text).collect();
    if let Some(request) = scenario.get("request") {
        let text = match request {
            Value::String(text) => text.clone(),
            other => serde_json::to_string_pretty(other).unwrap(),
        };
        texts.push((DocumentRole::Request, text));
    }
    let sources: Vec<Source<'_>> = texts
        .iter()
        .enumerate()
        .map(|(index, (role, text))| Source { id: DocumentId(index as u32), role: *role, text })
        .collect();
    let options = Options { owner: scenario.pointer("/options/owner").and_then(Value::as_bool).unwrap_or(false) };
    let analysis = pipeline::analyze::<Scaleway>(&sources, &options);
    let mut reported: Vec<String> = Vec::new();
    // A saved version: what comparing it with the documents finds counts among their codes.
    if let Some(saved) = scenario.get("saved_documents").and_then(Value::as_array) {
        let saved_texts: Vec<(DocumentRole, String)> = saved.iter().map(document_text).collect();
        let saved_sources: Vec<Source<'_>> = saved_texts
            .iter()
            .enumerate()
            .map(|(index, (role, text))| Source { id: DocumentId(index as u32), role: *role, text })
            .collect();
        for (id, diagnostic) in pipeline::compare_versions::<Scaleway>(&saved_sources, &sources, &options) {
            let text = texts.get(id.0 as usize).map_or("", |(_, text)| text.as_str());
            let outside = spans_outside(text, std::slice::from_ref(&diagnostic));
            if !outside.is_empty() {
                return Err(format!("version finding outside document {}: {outside:?}", id.0));
            }
            reported.push(diagnostic.code.clone());
        }
    }
    for source in &sources {
        let diagnostics = analysis.diagnostics(source.id);
        let outside = spans_outside(source.text, diagnostics);
        if !outside.is_empty() {
            return Err(format!("spans outside document {}: {outside:?}", source.id.0));
        }
        reported.extend(diagnostics.iter().map(|diagnostic| diagnostic.code.clone()));
    }
    let expect = &scenario["expect"];
    if let Some(codes) = expect.get("codes").and_then(Value::as_array) {
        let mut expected: Vec<&str> = codes.iter().map(|code| code.as_str().unwrap()).collect();
        expected.sort_unstable();
        reported.sort_unstable();
        if expected != reported {
            return Err(format!("codes {reported:?}, expected {expected:?}"));
        }
    }
    if let Some(refused) = expect.get("refused") {
        let Err(pipeline::SimulateError::InvalidDocument { document, diagnostics }) = &analysis.decision else {
            return Err(format!("expected a refusal, got {:?}", analysis.decision));
        };
        let expected_document = match &refused["document"] {
            Value::String(_) => sources.len() - 1,
            other => other.as_u64().unwrap() as usize,
        };
        if document.0 as usize != expected_document {
            return Err(format!("refused document {}, expected {expected_document}", document.0));
        }
        if let Some(codes) = refused.get("codes").and_then(Value::as_array) {
            let mut expected: Vec<&str> = codes.iter().map(|code| code.as_str().unwrap()).collect();
            let mut got: Vec<&str> = diagnostics.iter().map(|diagnostic| diagnostic.code.as_str()).collect();
            expected.sort_unstable();
            got.sort_unstable();
            if expected != got {
                return Err(format!("refusal codes {got:?}, expected {expected:?}"));
            }
        }
    }
    if let Some(effect) = expect.get("effect").and_then(Value::as_str) {
        let decision = analysis.decision.as_ref().map_err(|error| format!("no decision: {error:?}"))?;
        let text_of = |id: DocumentId| texts.get(id.0 as usize).map(|(_, text)| text.clone());
        let outside = decision_spans_outside(decision, &text_of);
        if !outside.is_empty() {
            return Err(format!("decision spans outside their documents: {outside:?}"));
        }
        if decision.effect.as_str() != effect {
            return Err(format!("expected {effect}, got {}: {:#?}", decision.effect.as_str(), decision.explanation));
        }
        if let Some(expected) = expect.get("decisive").and_then(Value::as_array) {
            let got: Vec<Value> = decision
                .decisive
                .iter()
                .map(|entry| {
                    let mut object = serde_json::Map::new();
                    if let Some(document) = entry.locator.document {
                        object.insert("document".to_owned(), Value::from(document.0));
                    }
                    object.insert("element".to_owned(), Value::from(entry.locator.element.clone()));
                    if let Some(index) = entry.locator.index {
                        object.insert("index".to_owned(), Value::from(index));
                    }
                    Value::Object(object)
                })
                .collect();
            if &got != expected {
                return Err(format!("expected decisive {expected:?}, got {got:?}"));
            }
        }
        if let Some(fragments) = expect.get("explanation_contains").and_then(Value::as_array) {
            let all: Vec<String> = decision
                .explanation
                .iter()
                .map(|step| step.reason.clone())
                .chain(decision.decisive.iter().map(|entry| entry.reason.clone()))
                .collect();
            for fragment in fragments {
                let fragment = fragment.as_str().unwrap();
                if !all.iter().any(|reason| reason.contains(fragment)) {
                    return Err(format!("no explanation contains {fragment:?}: {all:#?}"));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn every_scenario_holds() {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in scenario_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let scenarios: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{file:?}: {error}"));
        for scenario in &scenarios {
            count += 1;
            assert!(scenario["source"].as_str().is_some_and(|source| !source.is_empty()), "{scenario}");
            if let Err(failure) = run(scenario) {
                failures.push(format!("{} / {}: {failure}", file.display(), scenario["name"]));
            }
        }
    }
    assert!(count >= 150, "only {count} scenarios");
    assert!(failures.is_empty(), "{} of {count} scenarios fail:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn every_code_is_registered_once_with_a_summary() {
    let codes = <Scaleway as pipeline::ProviderEngine>::codes();
    let mut names: Vec<&str> = codes.iter().map(|info| info.code).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), codes.len());
    assert!(codes.iter().all(|info| !info.summary.is_empty() && !info.summary.ends_with('.')));
}
