//! Data-driven Exoscale scenarios: `tests/scenarios/exoscale/*.json`, each file an array of
//! scenarios run through one `check` helper. A simulation scenario gives a `role` (role object or
//! bare policy), an optional `org_policy` and a `request`, and expects an `effect` and optionally
//! the deciding `layer`, `service`, `rule_index`, `element` and a phrase of the explanation. A
//! validation scenario gives a `document` (or raw `document_text`) and expects the exact list of
//! diagnostic codes.

use crate::support::test_data;
use iamlab_engine::{exoscale, NamedDocument, SimulationInput};
use iamlab_model::{Decision, Provider};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    source: String,
    #[serde(default)]
    role: Option<serde_json::Value>,
    #[serde(default)]
    org_policy: Option<serde_json::Value>,
    #[serde(default)]
    request: Option<serde_json::Value>,
    #[serde(default)]
    document: Option<serde_json::Value>,
    #[serde(default)]
    document_text: Option<String>,
    /// `organization` to validate the document as the organization policy.
    #[serde(default, rename = "as")]
    validate_as: Option<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    effect: Option<String>,
    #[serde(default)]
    layer: Option<String>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    rule_index: Option<u32>,
    #[serde(default)]
    element: Option<String>,
    #[serde(default)]
    explanation_contains: Option<String>,
    #[serde(default)]
    codes: Option<Vec<String>>,
}

fn load(file: &str) -> Vec<Scenario> {
    let path = test_data(&format!("scenarios/exoscale/{file}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

/// Runs one scenario; returns what went wrong, if anything.
fn check(scenario: &Scenario) -> Result<(), String> {
    assert!(!scenario.source.trim().is_empty(), "{}: every scenario names its source", scenario.name);
    if let Some(expected_codes) = &scenario.expect.codes {
        let text = match (&scenario.document_text, &scenario.document) {
            (Some(text), _) => text.clone(),
            (None, Some(document)) => pretty(document),
            (None, None) => return Err("a validation scenario needs `document` or `document_text`".to_owned()),
        };
        let diagnostics = match scenario.validate_as.as_deref() {
            Some("organization") => exoscale::validate_organization_policy(&text),
            _ => iamlab_engine::validate(Provider::Exoscale, &text),
        };
        let mut codes: Vec<String> = diagnostics.iter().map(|diagnostic| diagnostic.code.clone()).collect();
        codes.sort();
        let mut expected = expected_codes.clone();
        expected.sort();
        if codes != expected {
            return Err(format!("codes {codes:?}, expected {expected:?}\n{diagnostics:#?}"));
        }
        for diagnostic in &diagnostics {
            let span = diagnostic.primary_span().ok_or_else(|| format!("{} has no span", diagnostic.code))?;
            if span.slice(&text).is_none() {
                return Err(format!("{}: span {span:?} is not inside the document", diagnostic.code));
            }
            if diagnostic.message.ends_with('.') || diagnostic.message.starts_with(char::is_uppercase) {
                return Err(format!("{}: message style: {}", diagnostic.code, diagnostic.message));
            }
        }
        return Ok(());
    }
    let role = pretty(scenario.role.as_ref().ok_or("a simulation scenario needs `role`")?);
    let request = pretty(scenario.request.as_ref().ok_or("a simulation scenario needs `request`")?);
    let organization = scenario.org_policy.as_ref().map(pretty);
    let input = SimulationInput {
        provider: Provider::Exoscale,
        policies: vec![NamedDocument { name: "role.json", text: &role }],
        organization_policy: organization.as_deref().map(|text| NamedDocument { name: "org.json", text }),
        owner: false,
        request: NamedDocument { name: "request.json", text: &request },
    };
    let decision = iamlab_engine::simulate(&input).map_err(|error| format!("simulation failed: {error:?}"))?;
    compare(&scenario.expect, &decision).map_err(|problem| format!("{problem}\n{decision:#?}"))
}

fn compare(expect: &Expect, decision: &Decision) -> Result<(), String> {
    let effect = decision.effect.as_str();
    if let Some(expected) = &expect.effect {
        if effect != expected {
            return Err(format!("effect {effect}, expected {expected}"));
        }
    }
    // The deciding entry: the only one of a deny, the role's (last) one of an allow.
    let decisive = decision.decisive.last().ok_or("no decisive entry")?;
    if let Some(layer) = &expect.layer {
        if decisive.layer.as_deref() != Some(layer.as_str()) {
            return Err(format!("layer {:?}, expected {layer}", decisive.layer));
        }
    }
    if let Some(service) = &expect.service {
        if !decisive.reason.contains(&format!(" for {service} - ")) {
            return Err(format!("reason {:?} does not name service {service}", decisive.reason));
        }
    }
    if let Some(index) = expect.rule_index {
        if decisive.index != Some(index) || !decisive.element.ends_with(&format!(".rules[{index}]")) {
            return Err(format!("decided by {} ({:?}), expected rule {index}", decisive.element, decisive.index));
        }
    } else if expect.element.as_deref().is_some_and(|element| !element.contains(".rules[")) && decisive.index.is_some()
    {
        return Err(format!("decided by rule {:?}, expected no rule", decisive.index));
    }
    if let Some(element) = &expect.element {
        if &decisive.element != element {
            return Err(format!("element {}, expected {element}", decisive.element));
        }
    }
    if let Some(phrase) = &expect.explanation_contains {
        let found = decision.explanation.iter().any(|step| step.reason.contains(phrase.as_str()))
            || decision.decisive.iter().any(|entry| entry.reason.contains(phrase.as_str()));
        if !found {
            return Err(format!("no explanation step or decisive reason contains {phrase:?}"));
        }
    }
    Ok(())
}

fn run_file(file: &str) -> usize {
    let scenarios = load(file);
    let failures: Vec<String> = scenarios
        .iter()
        .filter_map(|scenario| check(scenario).err().map(|problem| format!("--- {}: {problem}", scenario.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios in {file} failed:\n{}",
        failures.len(),
        scenarios.len(),
        failures.join("\n")
    );
    scenarios.len()
}

#[test]
fn exoscale_documented_examples() {
    run_file("documented_examples.json");
}

#[test]
fn exoscale_evaluation_semantics() {
    run_file("evaluation.json");
}

#[test]
fn exoscale_organization_layer() {
    run_file("organization.json");
}

#[test]
fn exoscale_validation() {
    run_file("validation.json");
}

#[test]
fn exoscale_has_at_least_100_scenarios_with_unique_names() {
    let files = ["documented_examples.json", "evaluation.json", "organization.json", "validation.json"];
    let scenarios: Vec<Scenario> = files.iter().flat_map(|file| load(file)).collect();
    assert!(scenarios.len() >= 100, "only {} scenarios", scenarios.len());
    let mut names: Vec<&str> = scenarios.iter().map(|scenario| scenario.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "scenario names must be unique");
}

fn simulate_with(policies: &[&str], request: &str) -> Result<Decision, iamlab_engine::SimulateError> {
    let names = ["first.json", "second.json", "third.json"];
    let input = SimulationInput {
        provider: Provider::Exoscale,
        policies: policies.iter().zip(names).map(|(text, name)| NamedDocument { name, text }).collect(),
        organization_policy: None,
        owner: false,
        request: NamedDocument { name: "request.json", text: request },
    };
    iamlab_engine::simulate(&input)
}

fn refused_with(result: Result<Decision, iamlab_engine::SimulateError>) -> (String, Vec<String>) {
    match result {
        Err(iamlab_engine::SimulateError::InvalidDocument { document, diagnostics }) => {
            (document, diagnostics.into_iter().map(|diagnostic| diagnostic.code).collect())
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn exoscale_simulation_refuses_what_it_cannot_decide() {
    let role = r#"{"default-service-strategy": "allow", "services": {}}"#;
    let request = r#"{"operation": "list-instances"}"#;
    assert_eq!(
        refused_with(simulate_with(&[], request)),
        ("request.json".to_owned(), vec!["exoscale::no-role".to_owned()])
    );
    assert_eq!(
        refused_with(simulate_with(&[role, role], request)),
        ("second.json".to_owned(), vec!["exoscale::several-roles".to_owned()])
    );
    // A role without `policy` is given one that allows everything by the API.
    let without_policy = simulate_with(&[r#"{"name": "r"}"#], request).unwrap();
    assert_eq!(without_policy.effect.as_str(), "allow");
    assert!(without_policy.explanation.iter().any(|step| step.reason.contains("allows everything")));
    // Schema errors make the policy's meaning unknown; warnings do not stop the simulation.
    assert_eq!(
        refused_with(simulate_with(&[r#"{"default-service-strategy": "maybe", "services": {}}"#], request)),
        ("first.json".to_owned(), vec!["exoscale::invalid-value".to_owned()])
    );
    let with_warning = r#"{"default-service-strategy": "allow", "services": {}, "comment": "x"}"#;
    assert_eq!(simulate_with(&[with_warning], request).unwrap().effect.as_str(), "allow");
    assert_eq!(
        refused_with(simulate_with(&[role], "{")),
        ("request.json".to_owned(), vec!["json::unexpected-end".to_owned()])
    );
}

#[test]
fn exoscale_identity_is_bound_when_the_request_gives_it() {
    let role = r#"{"default-service-strategy": "deny", "services": {"sos": {"type": "rules", "rules": [
        {"action": "allow", "expression": "identity.key == 'EXO1' && parameters.bucket == 'b'"}]}}}"#;
    let request =
        r#"{"operation": "get-object", "identity": {"key": "EXO1"}, "parameters": {"bucket": "b", "key": "k"}}"#;
    assert_eq!(simulate_with(&[role], request).unwrap().effect.as_str(), "allow");
    let anonymous = r#"{"operation": "get-object", "parameters": {"bucket": "b", "key": "k"}}"#;
    assert_eq!(simulate_with(&[role], anonymous).unwrap().effect.as_str(), "implicit_deny");
}
