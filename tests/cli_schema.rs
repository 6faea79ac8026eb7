//! `iamlab schema`: each provider's JSON Schemas, checked with a JSON Schema validator against
//! the documented examples and every scenario document the engine reads without an error (a
//! schema must never be stricter than the engine), and against documents that must fail.

use crate::support::{test_data, TestCommand};
use iamlab_engine::{DocumentId, DocumentRole, Options, Source};
use iamlab_model::Provider;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The schemas `iamlab schema` prints, by provider and role, compiled once per test.
struct Schemas(HashMap<(Provider, DocumentRole), jsonschema::Validator>);

impl Schemas {
    fn new() -> Schemas {
        let mut validators = HashMap::new();
        for provider in Provider::ALL {
            for info in iamlab_engine::roles(provider) {
                let schema = TestCommand::new()
                    .args(["schema", "--provider", provider.as_str(), "--kind", info.role.as_str()])
                    .assert_exit(0)
                    .json();
                assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
                let validator = jsonschema::validator_for(&schema)
                    .unwrap_or_else(|error| panic!("{provider} {}: not a schema: {error}", info.role.as_str()));
                validators.insert((provider, info.role), validator);
            }
        }
        Schemas(validators)
    }

    /// The schema's errors for `document` (empty when it validates).
    fn errors(&self, provider: Provider, role: DocumentRole, document: &Value) -> Vec<String> {
        let validator = &self.0[&(provider, role)];
        validator.iter_errors(document).map(|error| format!("{error} at {}", error.instance_path())).collect()
    }
}

#[test]
fn documented_examples_validate() {
    let schemas = Schemas::new();
    for provider in Provider::ALL {
        for example in iamlab_engine::examples(provider) {
            for (role, text) in example.documents {
                let document: Value = serde_json::from_str(text).unwrap();
                let errors = schemas.errors(provider, *role, &document);
                assert!(errors.is_empty(), "{provider} example {:?} ({}): {errors:#?}", example.title, role.as_str());
            }
        }
    }
}

/// Every `json` document and request of the scenarios that the engine reads without an error
/// validates against its schema.
#[test]
fn scenario_documents_the_engine_accepts_validate() {
    let schemas = Schemas::new();
    let mut checked = 0;
    for folder in Provider::ALL {
        let Ok(entries) = std::fs::read_dir(test_data(&format!("scenarios/{}", folder.as_str()))) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let scenarios: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for scenario in &scenarios {
                let provider = scenario["options"]["profile"].as_str().map_or(folder, |name| name.parse().unwrap());
                let mut options = Options::for_provider(provider);
                for (flag, value) in scenario["options"].as_object().into_iter().flatten() {
                    if flag != "profile" && value == &json!(true) {
                        options.set_flag(flag).unwrap();
                    }
                }
                let mut documents: Vec<(DocumentRole, &Value)> = scenario["documents"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|document| document.get("json").is_some())
                    .map(|document| {
                        (DocumentRole::from_key(document["role"].as_str().unwrap()).unwrap(), &document["json"])
                    })
                    .collect();
                if let Some(request) = scenario.get("request") {
                    documents.push((DocumentRole::Request, request));
                }
                for (role, document) in documents {
                    let text = serde_json::to_string_pretty(document).unwrap();
                    let source = Source { id: DocumentId(0), role, text: &text };
                    if iamlab_engine::validate(&options, &source).iter().any(|diagnostic| diagnostic.is_error()) {
                        continue;
                    }
                    let errors = schemas.errors(provider, role, document);
                    assert!(
                        errors.is_empty(),
                        "{}: {:?} ({} {}): the engine accepts it, the schema does not: {errors:#?}\n{text}",
                        path.display(),
                        scenario["name"],
                        provider,
                        role.as_str()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} documents were checked");
}

#[test]
fn invalid_documents_fail() {
    let schemas = Schemas::new();
    for (provider, role, document) in [
        (Provider::Exoscale, DocumentRole::Policy, json!({"default-service-strategy": "Deny"})),
        (Provider::Exoscale, DocumentRole::Policy, json!({"services": {"compute": {"type": "maybe"}}})),
        (
            Provider::Exoscale,
            DocumentRole::Policy,
            json!({"policy": {"services": {"dns": {"type": "rules", "rules": [{"action": "allow"}]}}}}),
        ),
        (Provider::Exoscale, DocumentRole::Policy, json!({"max-session-ttl": "1h"})),
        (Provider::Exoscale, DocumentRole::OrganizationPolicy, json!([])),
        (Provider::Exoscale, DocumentRole::Request, json!({"zone": "ch-gva-2"})),
        (Provider::Outscale, DocumentRole::Policy, json!({"Version": "2012-10-17"})),
        (Provider::Outscale, DocumentRole::Policy, json!({"Statement": [{"Effect": "allow", "Action": "*"}]})),
        (Provider::Aws, DocumentRole::ManagedPolicy, json!({"Statement": {"Effect": "Allow", "Action": 3}})),
        (
            Provider::Aws,
            DocumentRole::InlinePolicy,
            json!({"Statement": [{"Effect": "Deny", "Condition": {"StringEquals": "x"}}]}),
        ),
        (Provider::Outscale, DocumentRole::Request, json!({"resource": "*"})),
        (Provider::Scaleway, DocumentRole::Policy, json!({"rules": [{"permission_set_names": "IAMManager"}]})),
        (Provider::Scaleway, DocumentRole::Policy, json!({"no_principal": "yes"})),
        (Provider::Scaleway, DocumentRole::Request, json!({"context": {}})),
    ] {
        assert!(
            !schemas.errors(provider, role, &document).is_empty(),
            "{provider} {}: {document} validates but must not",
            role.as_str()
        );
    }
}

#[test]
fn a_role_the_provider_does_not_have_exits_2() {
    let finished = TestCommand::new().args(["schema", "--provider", "scaleway", "--kind", "managed"]).assert_exit(2);
    assert!(finished.stderr.contains("managed policy documents do not exist for scaleway"), "{}", finished.stderr);
}
