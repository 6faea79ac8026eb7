//! Data-driven simulation scenarios for the OUTSCALE EIM and AWS profiles: every JSON file
//! under `tests/scenarios/outscale/` holds one scenario or an array of them:
//!
//! `{ "name", "source", "profile": "aws"|"outscale", "documents": [policy, …], "request": {…},
//!    "expect": { "effect", "decisive": [{ "document", "index" }] } }`
//!
//! Documents are named `policy-0`, `policy-1`, … in the order given. `expect.invalid` (a
//! document name) instead says that the simulation must refuse that document; `decisive` may be
//! left out only when no statement decides (e.g. `sts:GetCallerIdentity`).

use crate::support::test_data;
use iamlab_engine::{NamedDocument, SimulateError, SimulationInput};
use iamlab_model::{Provider, StepOutcome};
use serde_json::Value;
use std::path::Path;

#[test]
fn scenarios() {
    let directory = test_data("scenarios/outscale");
    let mut files: Vec<_> = std::fs::read_dir(&directory).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    let mut count = 0;
    let mut failures = Vec::new();
    for file in files.iter().filter(|path| path.extension().is_some_and(|ext| ext == "json")) {
        let text = std::fs::read_to_string(file).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let scenarios = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for scenario in &scenarios {
            count += 1;
            if let Err(message) = check(file, scenario) {
                failures.push(message);
            }
        }
    }
    assert!(count >= 150, "expected at least 150 scenarios, found {count}");
    assert!(failures.is_empty(), "{} of {count} scenarios failed:\n{}", failures.len(), failures.join("\n"));
}

fn check(file: &Path, scenario: &Value) -> Result<(), String> {
    let name = scenario["name"].as_str().unwrap_or("<unnamed>");
    let where_ = format!("{} / {name}", file.file_name().unwrap_or_default().to_string_lossy());
    let provider = match scenario["profile"].as_str() {
        Some("aws") => Provider::Aws,
        Some("outscale") => Provider::Outscale,
        other => return Err(format!("{where_}: unknown profile {other:?}")),
    };
    let documents: Vec<String> = scenario["documents"]
        .as_array()
        .ok_or_else(|| format!("{where_}: no documents"))?
        .iter()
        .map(|document| match document {
            Value::String(text) => text.clone(),
            other => serde_json::to_string_pretty(other).unwrap(),
        })
        .collect();
    let names: Vec<String> = (0..documents.len()).map(|index| format!("policy-{index}")).collect();
    let request = serde_json::to_string(&scenario["request"]).unwrap();
    let input = SimulationInput {
        provider,
        policies: names.iter().zip(&documents).map(|(name, text)| NamedDocument { name, text }).collect(),
        organization_policy: None,
        owner: false,
        request: NamedDocument { name: "request", text: &request },
    };
    let expect = &scenario["expect"];
    let result = iamlab_engine::simulate(&input);
    if let Some(invalid) = expect["invalid"].as_str() {
        return match result {
            Err(SimulateError::InvalidDocument { document, .. }) if document == invalid => Ok(()),
            other => Err(format!("{where_}: expected {invalid} to be refused, got {other:?}")),
        };
    }
    let decision = result.map_err(|error| format!("{where_}: simulation failed: {error:?}"))?;
    let effect = decision.effect.as_str();
    let expected_effect = expect["effect"].as_str().unwrap_or("<missing>");
    let mut decisive: Vec<(String, u64)> = decision
        .decisive
        .iter()
        .map(|entry| (entry.document.clone(), u64::from(entry.index.unwrap_or(u32::MAX))))
        .collect();
    decisive.sort();
    let mut expected_decisive: Vec<(String, u64)> = expect["decisive"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|entry| {
                    (entry["document"].as_str().unwrap_or("").to_owned(), entry["index"].as_u64().unwrap_or(0))
                })
                .collect()
        })
        .unwrap_or_default();
    expected_decisive.sort();
    // `decisive` may be left out when the decision does not come from a statement.
    let check_decisive = expect.get("decisive").is_some();
    if effect != expected_effect || (check_decisive && decisive != expected_decisive) {
        let reasons: Vec<String> = decision
            .explanation
            .iter()
            .map(|step| format!("    {} {}: {}", step.document, step.element, step.reason))
            .collect();
        return Err(format!(
            "{where_}: expected {expected_effect} by {expected_decisive:?}, got {effect} by {decisive:?}\n{}",
            reasons.join("\n")
        ));
    }
    // Every statement of every document is explained, once.
    let statements: usize = scenario["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|document| match &document["Statement"] {
            Value::Array(items) => items.len(),
            Value::Object(_) => 1,
            _ => 0,
        })
        .sum();
    let steps = decision.explanation.iter().filter(|step| step.outcome != StepOutcome::Note).count();
    if steps != statements {
        return Err(format!("{where_}: {statements} statements but {steps} explanation steps"));
    }
    Ok(())
}
