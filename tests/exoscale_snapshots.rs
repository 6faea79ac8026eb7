//! Golden files (insta) for the Exoscale engine: diagnostics with the exact text each one
//! underlines, and decisions with their explanations and CEL traces.

use iamlab_engine::{exoscale, NamedDocument, SimulationInput};
use iamlab_model::{Decision, Diagnostic, Provider};
use serde_json::{json, Value};

/// Diagnostics as JSON, each with the source text under its primary span.
fn diagnostics_json(text: &str, diagnostics: &[Diagnostic]) -> Value {
    Value::Array(
        diagnostics
            .iter()
            .map(|diagnostic| {
                let span = diagnostic.primary_span().unwrap();
                json!({
                    "code": diagnostic.code,
                    "severity": diagnostic.severity,
                    "message": diagnostic.message,
                    "help": diagnostic.help,
                    "path": diagnostic.path,
                    "underlined": span.slice(text).unwrap(),
                })
            })
            .collect(),
    )
}

/// A decision as JSON, with the text of each traced sub-expression checked against its span.
fn decision_json(documents: &[(&str, &str)], decision: &Decision) -> Value {
    for step in &decision.explanation {
        let Some((_, text)) = documents.iter().find(|(name, _)| *name == step.document) else { continue };
        for entry in &step.trace {
            let span = entry.span.unwrap();
            let raw = span.slice(text).unwrap();
            // The document holds the expression JSON-escaped; without escapes the two agree.
            if !raw.contains('\\') {
                assert_eq!(raw, entry.text, "trace span and text disagree");
            }
        }
    }
    serde_json::to_value(decision).unwrap()
}

fn snapshot(name: &str, value: &Value) {
    insta::with_settings!({ prepend_module_to_snapshot => false, snapshot_path => "snapshots" }, {
        insta::assert_json_snapshot!(name, value);
    });
}

fn simulate(role: &str, organization: Option<&str>, request: &str) -> Decision {
    let input = SimulationInput {
        provider: Provider::Exoscale,
        policies: vec![NamedDocument { name: "role.json", text: role }],
        organization_policy: organization.map(|text| NamedDocument { name: "org.json", text }),
        owner: false,
        request: NamedDocument { name: "request.json", text: request },
    };
    iamlab_engine::simulate(&input).unwrap()
}

const PRIVATE_INSTANCE_ROLE: &str = r#"{
  "name": "my-api-role",
  "description": "Role that allows only deploying private instances.",
  "editable": true,
  "policy": {
    "default-service-strategy": "allow",
    "services": {
      "compute": {
        "type": "rules",
        "rules": [
          {
            "expression": "operation == 'create-instance' && (!parameters.has('public_ip_assignment') || parameters.public_ip_assignment != 'none')",
            "action": "deny"
          },
          { "expression": "true", "action": "allow" }
        ]
      },
      "compute-legacy": { "type": "deny" }
    }
  }
}
"#;

#[test]
fn exoscale_snapshot_diagnostics_of_a_faulty_role() {
    let text = r#"{
  "name": "",
  "permissions": ["bypass-governance-retention", "compute", "bypass-governance-retention"],
  "max-session-ttl": 0,
  "colour": "blue",
  "policy": {
    "default-service-strategy": "Allow",
    "services": {
      "compte": { "type": "allow" },
      "sos": { "type": "rules", "rules": [
        { "action": "allow", "expression": "operation == 'get-sos-object'" },
        { "action": "allow", "expression": "operation == 'create-instance'" }
      ] },
      "compute": { "type": "rules", "rules": [
        { "action": "deny", "expression": "operation == 'create-instanse' && parameters.public_ip != 'none'" },
        { "action": "allow", "expression": "true", "resources": ["instance/1"] },
        { "action": "deny", "expression": "zone == 'ch-gva-2'" }
      ] },
      "dns": { "type": "allow", "rules": [] },
      "dbaas": { "type": "rules", "rules": [] }
    }
  }
}
"#;
    let diagnostics = iamlab_engine::validate(Provider::Exoscale, text);
    snapshot("exoscale_faulty_role_diagnostics", &diagnostics_json(text, &diagnostics));
}

#[test]
fn exoscale_snapshot_cel_errors_map_through_json_escapes() {
    // `\"` and `\u00e9` make decoded and raw offsets differ: the underline must still fall on
    // the offending characters of the JSON text.
    let text = r#"{
  "default-service-strategy": "deny",
  "services": {
    "compute": { "type": "rules", "rules": [
      { "action": "allow", "expression": "parameters.name == \"caf\u00e9\" && zone === 'ch-gva-2'" },
      { "action": "allow", "expression": "operation in ['list-instances'" }
    ] }
  }
}
"#;
    let diagnostics = iamlab_engine::validate(Provider::Exoscale, text);
    assert!(diagnostics.iter().any(|diagnostic| diagnostic.code.starts_with("cel::")));
    snapshot("exoscale_cel_errors_through_escapes", &diagnostics_json(text, &diagnostics));
}

#[test]
fn exoscale_snapshot_organization_lockout() {
    let text = r#"{ "default-service-strategy": "deny", "services": { "compute": { "type": "allow" } } }"#;
    let diagnostics = exoscale::validate_organization_policy(text);
    snapshot("exoscale_organization_lockout", &diagnostics_json(text, &diagnostics));
}

#[test]
fn exoscale_snapshot_public_instance_denied() {
    let request =
        r#"{ "operation": "create-instance", "parameters": { "public-ip-assignment": "inet4", "name": "web" } }"#;
    let decision = simulate(PRIVATE_INSTANCE_ROLE, None, request);
    snapshot(
        "exoscale_public_instance_denied",
        &decision_json(&[("role.json", PRIVATE_INSTANCE_ROLE), ("request.json", request)], &decision),
    );
}

#[test]
fn exoscale_snapshot_private_instance_allowed_by_both_layers() {
    let organization = r#"{
  "default-service-strategy": "allow",
  "services": {
    "compute": { "type": "rules", "rules": [
      { "action": "deny", "expression": "!(zone in ['ch-gva-2', 'ch-dk-2'])" },
      { "action": "allow", "expression": "true" }
    ] }
  }
}
"#;
    let request =
        r#"{ "operation": "create-instance", "zone": "ch-gva-2", "parameters": { "public_ip_assignment": "none" } }"#;
    let decision = simulate(PRIVATE_INSTANCE_ROLE, Some(organization), request);
    snapshot(
        "exoscale_private_instance_allowed",
        &decision_json(&[("role.json", PRIVATE_INSTANCE_ROLE), ("org.json", organization)], &decision),
    );
}

#[test]
fn exoscale_snapshot_bucket_rule_fails_open() {
    let role = r#"{
  "default-service-strategy": "deny",
  "services": {
    "sos": { "type": "rules", "rules": [
      { "action": "allow", "expression": "operation in ['list-sos-buckets-usage', 'list-buckets']" },
      { "action": "deny", "expression": "!(parameters.bucket in ['my-test-bucket', 'my-other-bucket'])" },
      { "action": "deny", "expression": "operation in ['create-bucket', 'delete-bucket']" },
      { "action": "allow", "expression": "true" }
    ] }
  }
}
"#;
    let request = r#"{ "operation": "get-object" }"#;
    let decision = simulate(role, None, request);
    snapshot("exoscale_bucket_rule_fails_open", &decision_json(&[("role.json", role)], &decision));
}

#[test]
fn exoscale_snapshot_invalid_request() {
    let request = r#"{ "operation": "create-instanse", "zone": 2, "extra": true }"#;
    let input = SimulationInput {
        provider: Provider::Exoscale,
        policies: vec![NamedDocument { name: "role.json", text: PRIVATE_INSTANCE_ROLE }],
        organization_policy: None,
        owner: false,
        request: NamedDocument { name: "request.json", text: request },
    };
    let Err(iamlab_engine::SimulateError::InvalidDocument { document, diagnostics }) = iamlab_engine::simulate(&input)
    else {
        panic!("an invalid request must not be simulated");
    };
    assert_eq!(document, "request.json");
    snapshot("exoscale_invalid_request", &diagnostics_json(request, &diagnostics));
}
