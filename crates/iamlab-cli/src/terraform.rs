//! Reading `terraform show -json` output: the IAM policies a plan (or a state) would apply,
//! as documents the engine reads. Resource types and their attributes follow the providers'
//! Terraform schemas:
//!
//! - `exoscale_iam_role`: `name`, `description`, `permissions`, `labels`, `editable`, and
//!   `policy` (`default_service_strategy`, `services` by class: `type`, `rules`: `action`,
//!   `expression`, `resources`), turned into the API's role JSON (kebab-case keys);
//! - `exoscale_iam_org_policy`: `default_service_strategy` and `services`, an organization policy;
//! - `scaleway_iam_policy`: `name`, `description`, `organization_id`, `tags`, the principal
//!   (`user_id`, `group_id`, `application_id`, `no_principal`) and `rule` blocks
//!   (`permission_set_names`, `condition`, `project_ids`, `organization_id`), turned into the
//!   API's policy JSON (`rules`);
//! - `outscale_policy` and `outscale_policy_version`: `document`, the EIM policy text itself
//!   (a managed policy).
//!
//! Resources are found in `planned_values` (a plan) or `values` (a state), in the root module
//! and every child module; an attribute whose value is not known until apply is absent there.

use iamlab_engine::DocumentRole;
use iamlab_model::Provider;
use serde_json::{Map, Value};

/// One policy resource of the plan, as a document for the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDocument {
    /// The resource address (`module.iam.exoscale_iam_role.ops`).
    pub address: String,
    pub resource_type: String,
    pub provider: Provider,
    pub role: DocumentRole,
    /// The document's text: the policy text itself (Outscale), or the API's JSON built from the
    /// resource's attributes, two-space indented.
    pub text: Option<String>,
    /// Whether `text` is the resource's own text (`true`) or was built from its attributes.
    pub verbatim: bool,
}

/// Returned when the input is not `terraform show -json` output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Returned when the text is not JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// Returned when the JSON has neither `planned_values` nor `values`.
    #[error("not `terraform show -json` output: no `planned_values` or `values` with a `root_module`")]
    NotAPlan,
}

/// The policy resource types iamlab reads, with the provider and role of their documents.
pub const RESOURCE_TYPES: &[(&str, Provider, DocumentRole)] = &[
    ("exoscale_iam_role", Provider::Exoscale, DocumentRole::Policy),
    ("exoscale_iam_org_policy", Provider::Exoscale, DocumentRole::OrganizationPolicy),
    ("scaleway_iam_policy", Provider::Scaleway, DocumentRole::Policy),
    ("outscale_policy", Provider::Outscale, DocumentRole::ManagedPolicy),
    ("outscale_policy_version", Provider::Outscale, DocumentRole::ManagedPolicy),
];

pub fn read_plan(text: &str) -> Result<Vec<PlanDocument>, PlanError> {
    let plan: Value = serde_json::from_str(text).map_err(|error| PlanError::NotJson(error.to_string()))?;
    let root = ["planned_values", "values"]
        .iter()
        .find_map(|key| plan.get(key).and_then(|values| values.get("root_module")))
        .ok_or(PlanError::NotAPlan)?;
    let mut documents = Vec::new();
    collect(root, &mut documents);
    Ok(documents)
}

fn collect(module: &Value, documents: &mut Vec<PlanDocument>) {
    for resource in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
        if resource.get("mode").and_then(Value::as_str).is_some_and(|mode| mode != "managed") {
            continue;
        }
        let resource_type = resource.get("type").and_then(Value::as_str).unwrap_or("");
        let Some((_, provider, role)) = RESOURCE_TYPES.iter().find(|(name, _, _)| *name == resource_type) else {
            continue;
        };
        let values = resource.get("values").cloned().unwrap_or(Value::Null);
        let (text, verbatim) = match resource_type {
            "outscale_policy" | "outscale_policy_version" => {
                (values.get("document").and_then(Value::as_str).map(str::to_owned), true)
            }
            "exoscale_iam_role" => (Some(pretty(&exoscale_role(&values), *provider, *role)), false),
            "exoscale_iam_org_policy" => (Some(pretty(&exoscale_policy(&values), *provider, *role)), false),
            _ => (Some(pretty(&scaleway_policy(&values), *provider, *role)), false),
        };
        documents.push(PlanDocument {
            address: resource.get("address").and_then(Value::as_str).unwrap_or(resource_type).to_owned(),
            resource_type: resource_type.to_owned(),
            provider: *provider,
            role: *role,
            text,
            verbatim,
        });
    }
    for child in module.get("child_modules").and_then(Value::as_array).into_iter().flatten() {
        collect(child, documents);
    }
}

/// The built document as `iamlab fmt` writes it: the provider's documented key order.
fn pretty(value: &Value, provider: Provider, role: DocumentRole) -> String {
    let text = format!("{}\n", serde_json::to_string_pretty(value).unwrap_or_default());
    iamlab_engine::authoring::format::format_document(provider, role, &text).unwrap_or(text)
}

/// Copies the attributes `from` (Terraform names) to `to` under the API's names, leaving out
/// nulls, so that an unset attribute stays unset.
fn copy(values: &Value, to: &mut Map<String, Value>, names: &[(&str, &str)]) {
    for (from, key) in names {
        match values.get(from) {
            None | Some(Value::Null) => {}
            Some(value) => {
                to.insert((*key).to_owned(), value.clone());
            }
        }
    }
}

fn exoscale_policy(values: &Value) -> Value {
    let mut policy = Map::new();
    copy(values, &mut policy, &[("default_service_strategy", "default-service-strategy")]);
    if let Some(services) = values.get("services").and_then(Value::as_object) {
        let services: Map<String, Value> = services
            .iter()
            .map(|(class, service)| {
                let mut converted = Map::new();
                copy(service, &mut converted, &[("type", "type")]);
                if let Some(rules) = service.get("rules").and_then(Value::as_array) {
                    let rules = rules
                        .iter()
                        .map(|rule| {
                            let mut converted = Map::new();
                            copy(rule, &mut converted, &[("action", "action"), ("expression", "expression"), ("resources", "resources")]);
                            Value::Object(converted)
                        })
                        .collect();
                    converted.insert("rules".to_owned(), Value::Array(rules));
                }
                (class.clone(), Value::Object(converted))
            })
            .collect();
        policy.insert("services".to_owned(), Value::Object(services));
    }
    Value::Object(policy)
}

fn exoscale_role(values: &Value) -> Value {
    let mut role = Map::new();
    copy(
        values,
        &mut role,
        &[
            ("name", "name"),
            ("description", "description"),
            ("permissions", "permissions"),
            ("labels", "labels"),
            ("editable", "editable"),
        ],
    );
    if let Some(policy) = values.get("policy").filter(|policy| !policy.is_null()) {
        role.insert("policy".to_owned(), exoscale_policy(policy));
    }
    Value::Object(role)
}

fn scaleway_policy(values: &Value) -> Value {
    let mut policy = Map::new();
    copy(
        values,
        &mut policy,
        &[
            ("name", "name"),
            ("description", "description"),
            ("organization_id", "organization_id"),
            ("tags", "tags"),
            ("user_id", "user_id"),
            ("group_id", "group_id"),
            ("application_id", "application_id"),
        ],
    );
    // The provider writes `no_principal = false` when the attribute is not set: only `true` says
    // something.
    if values.get("no_principal") == Some(&Value::Bool(true)) {
        policy.insert("no_principal".to_owned(), Value::Bool(true));
    }
    if let Some(rules) = values.get("rule").and_then(Value::as_array) {
        let rules = rules
            .iter()
            .map(|rule| {
                let mut converted = Map::new();
                copy(
                    rule,
                    &mut converted,
                    &[
                        ("permission_set_names", "permission_set_names"),
                        ("condition", "condition"),
                        ("project_ids", "project_ids"),
                        ("organization_id", "organization_id"),
                    ],
                );
                Value::Object(converted)
            })
            .collect();
        policy.insert("rules".to_owned(), Value::Array(rules));
    }
    Value::Object(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_of_every_module_are_found_and_converted() {
        let plan = r#"{"format_version": "1.2", "planned_values": {"root_module": {
            "resources": [
              {"address": "exoscale_iam_org_policy.org", "mode": "managed", "type": "exoscale_iam_org_policy",
               "values": {"default_service_strategy": "allow", "services": {"sos": {"type": "deny", "rules": null}}}},
              {"address": "data.outscale_policy.x", "mode": "data", "type": "outscale_policy", "values": {}}
            ],
            "child_modules": [{"address": "module.iam", "resources": [
              {"address": "module.iam.scaleway_iam_policy.p", "mode": "managed", "type": "scaleway_iam_policy",
               "values": {"name": "p", "no_principal": false, "application_id": "a", "rule": [{"permission_set_names": ["IAMManager"], "organization_id": "o", "project_ids": null}]}},
              {"address": "module.iam.outscale_policy.q", "mode": "managed", "type": "outscale_policy", "values": {"policy_name": "q"}}
            ]}]}}}"#;
        let documents = read_plan(plan).unwrap();
        let addresses: Vec<&str> = documents.iter().map(|document| document.address.as_str()).collect();
        assert_eq!(addresses, ["exoscale_iam_org_policy.org", "module.iam.scaleway_iam_policy.p", "module.iam.outscale_policy.q"]);
        let value = |index: usize| -> Value { serde_json::from_str(documents[index].text.as_deref().unwrap()).unwrap() };
        assert_eq!(value(0), serde_json::json!({"default-service-strategy": "allow", "services": {"sos": {"type": "deny"}}}));
        assert_eq!(
            value(1),
            serde_json::json!({"name": "p", "application_id": "a", "rules": [{"permission_set_names": ["IAMManager"], "organization_id": "o"}]})
        );
        // A document not known until apply.
        assert_eq!(documents[2].text, None);
        assert_eq!(read_plan("[]"), Err(PlanError::NotAPlan));
        assert!(matches!(read_plan("{"), Err(PlanError::NotJson(_))));
    }
}
