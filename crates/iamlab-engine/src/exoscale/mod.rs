//! The Exoscale IAM engine: role and organization policies.
//!
//! Phases, one module each: `syntax` (JSON tree → role/policy tree with spans, schema
//! findings), `validate` (CEL and catalogue checks), `lints`, `evaluate` (a request against
//! the organization and role layers). `catalog` holds the operations catalogue, `request` the
//! simulated request, `facts` the lexical facts of an expression, `cel_bridge` the calls into
//! `iamlab-cel`. The semantics and their sources are in `docs/semantics/exoscale.md`.

mod catalog;
mod cel_bridge;
mod evaluate;
mod facts;
mod lints;
mod request;
mod syntax;
mod validate;

pub use catalog::{catalog, expression_name, Catalog, Confidence, Operation, Parameter, ServiceClass};

use crate::{NamedDocument, SimulateError, SimulationInput};
use evaluate::{evaluate_layer, note, Layer, LayerPolicy};
use iamlab_model::{Decision, Diagnostic, Effect, Severity, Span};
use lints::PolicyRole;
use request::{read_request, Request, ServiceOrigin};
use syntax::{read_document, Document, DocumentKind};

/// Validates a role object or a bare policy (a role policy or the organization policy: they
/// have the same shape, so lints about the organization policy are worded conditionally).
pub fn validate_document(text: &str) -> Vec<Diagnostic> {
    validate_as(text, PolicyRole::Unknown)
}

/// Validates a document known to be the organization policy.
pub fn validate_organization_policy(text: &str) -> Vec<Diagnostic> {
    validate_as(text, PolicyRole::Organization)
}

fn validate_as(text: &str, role: PolicyRole) -> Vec<Diagnostic> {
    let (document, mut diagnostics) = read(text);
    if let Some(document) = document {
        if role == PolicyRole::Organization && document.kind == DocumentKind::Role {
            diagnostics.push(syntax::finding(
                "exoscale::role-as-organization-policy",
                Severity::Error,
                "the organization policy must be a bare policy, not a role",
                document.span,
                "",
                "use the role's `policy` object: `{\"default-service-strategy\": …, \"services\": {…}}`",
            ));
        }
        let policy_role = match document.kind {
            DocumentKind::Role => PolicyRole::Role,
            DocumentKind::Policy => role,
        };
        if let Some(policy) = &document.policy {
            validate::check_policy(text, policy, &mut diagnostics);
            lints::lint_policy(text, policy, policy_role, &mut diagnostics);
        }
        if let Some(policy) = &document.assume_role_policy {
            validate::check_policy(text, policy, &mut diagnostics);
            lints::lint_policy(text, policy, PolicyRole::Role, &mut diagnostics);
        }
    }
    iamlab_model::sort_diagnostics(&mut diagnostics);
    diagnostics
}

/// JSON reading and schema findings.
fn read(text: &str) -> (Option<Document>, Vec<Diagnostic>) {
    let parsed = iamlab_model::json::parse_json(text);
    let mut diagnostics = parsed.diagnostics;
    let document = parsed.value.as_ref().and_then(|root| read_document(root, &mut diagnostics));
    (document, diagnostics)
}

/// Reads a document for simulation: schema errors make its meaning unknown, so they stop it.
/// CEL errors do not: Exoscale skips a rule whose expression fails, and so does the simulator.
fn read_for_simulation(named: &NamedDocument<'_>) -> Result<Document, SimulateError> {
    let (document, diagnostics) = read(named.text);
    let errors: Vec<Diagnostic> = diagnostics.into_iter().filter(Diagnostic::is_error).collect();
    match document {
        Some(document) if errors.is_empty() => Ok(document),
        _ => Err(SimulateError::InvalidDocument { document: named.name.to_owned(), diagnostics: errors }),
    }
}

fn invalid(document: &str, code: &str, message: &str, help: &str) -> SimulateError {
    SimulateError::InvalidDocument {
        document: document.to_owned(),
        diagnostics: vec![Diagnostic::error(code, message).with_help(help)],
    }
}

/// Simulates the request against the organization policy (absent: allow everything) and the
/// role policy, and explains the decision.
pub fn simulate(input: &SimulationInput<'_>) -> Result<Decision, SimulateError> {
    let request = read_request(input.request.text).map_err(|diagnostics| SimulateError::InvalidDocument {
        document: input.request.name.to_owned(),
        diagnostics: diagnostics.into_iter().filter(Diagnostic::is_error).collect(),
    })?;
    let role_document = match input.policies.as_slice() {
        [only] => only,
        [] => {
            return Err(invalid(
                input.request.name,
                "exoscale::no-role",
                "no role policy to simulate against",
                "give the role (or its bare policy) of the user or API key making the request",
            ))
        }
        [_, second, ..] => {
            return Err(invalid(
                second.name,
                "exoscale::several-roles",
                "an Exoscale user or API key has exactly one role, but several policies were given",
                "simulate one role at a time; put organization-wide rules in the organization policy",
            ))
        }
    };
    let role = read_for_simulation(role_document)?;
    // A role created without `policy` gets one that allows everything (exoscale/cli,
    // cmd/iam/iam_role_create.go: "Policy is optional, if not set API will default to `allow all`").
    let allow_all;
    let role_policy = match &role.policy {
        Some(policy) => policy,
        None => {
            allow_all = syntax::Policy {
                pointer: "/policy".to_owned(),
                span: Span::empty_at(role.span.start),
                default_strategy: Some(syntax::Spanned {
                    value: syntax::Strategy::Allow,
                    span: Span::empty_at(role.span.start),
                }),
                services: Vec::new(),
            };
            &allow_all
        }
    };
    let organization = match &input.organization_policy {
        Some(named) => {
            let document = read_for_simulation(named)?;
            if document.kind == DocumentKind::Role {
                return Err(invalid(
                    named.name,
                    "exoscale::role-as-organization-policy",
                    "the organization policy must be a bare policy, not a role",
                    "use `{\"default-service-strategy\": …, \"services\": {…}}`",
                ));
            }
            Some((named, document))
        }
        None => None,
    };

    let mut explanation = request_notes(input.request.name, &request);
    if role.policy.is_none() {
        explanation.push(note(
            role_document.name,
            "the role has no `policy`: the API gives such a role one that allows everything".to_owned(),
        ));
    }
    let mut decisive = Vec::new();
    let activation = cel_bridge::activation(&request);
    if let Some((named, document)) = &organization {
        if let Some(policy) = &document.policy {
            let layer = LayerPolicy { layer: Layer::Organization, document: named.name, source: named.text, policy };
            let verdict = evaluate_layer(layer, &request.service, &activation, &mut explanation);
            if verdict.effect != Effect::Allow {
                explanation.push(note(
                    role_document.name,
                    "the role policy is not evaluated: the organization policy already denied the request".to_owned(),
                ));
                return Ok(Decision { effect: verdict.effect, decisive: vec![verdict.entry], explanation });
            }
            decisive.push(verdict.entry);
        }
    } else {
        explanation.push(note(
            input.request.name,
            "no organization policy given: it defaults to allowing every operation".to_owned(),
        ));
    }
    let layer = LayerPolicy {
        layer: Layer::Role,
        document: role_document.name,
        source: role_document.text,
        policy: role_policy,
    };
    let verdict = evaluate_layer(layer, &request.service, &activation, &mut explanation);
    let effect = verdict.effect;
    if effect == Effect::Allow {
        decisive.push(verdict.entry);
    } else {
        decisive = vec![verdict.entry];
    }
    Ok(Decision { effect, decisive, explanation })
}

/// A request skeleton for `operation`, for the UI's request builder: the operation, its service
/// class, and every parameter (required ones first) with a placeholder of its type (the first
/// allowed value for enums). Parameter names are written as expressions see them
/// (`public_ip_assignment`). `None` for an operation the catalogue does not know.
pub fn request_template(operation: &str) -> Option<String> {
    let entry = catalog().operation(operation)?;
    let mut parameters: Vec<&Parameter> = entry.parameters.iter().collect();
    parameters.sort_by_key(|parameter| !parameter.required);
    let mut map = serde_json::Map::new();
    for parameter in parameters {
        let placeholder = match parameter.value_type.as_str() {
            "integer" => serde_json::Value::from(0),
            "boolean" => serde_json::Value::Bool(false),
            "object" => serde_json::Value::Object(serde_json::Map::new()),
            kind if kind.starts_with("array") => serde_json::Value::Array(Vec::new()),
            _ => serde_json::Value::String(parameter.allowed_values.first().cloned().unwrap_or_default()),
        };
        map.insert(parameter.expression_name().to_owned(), placeholder);
    }
    let request = serde_json::json!({
        "operation": entry.name,
        "service": entry.service_class,
        "parameters": map,
        "zone": "ch-gva-2",
    });
    serde_json::to_string_pretty(&request).ok()
}

/// Notes about what the engine assumed about the request.
fn request_notes(document: &str, request: &Request) -> Vec<iamlab_model::ExplanationStep> {
    let mut notes = Vec::new();
    match request.service_origin {
        ServiceOrigin::Catalog(Confidence::Inferred) => notes.push(note(
            document,
            format!("service class `{}` for `{}` is inferred, not documented", request.service, request.operation),
        )),
        ServiceOrigin::Catalog(confidence) => notes.push(note(
            document,
            format!(
                "service class `{}` for `{}` comes from the catalogue ({})",
                request.service,
                request.operation,
                confidence.as_str()
            ),
        )),
        ServiceOrigin::Given => {
            if let Some(operation) = catalog().operation(&request.operation) {
                if operation.service_class != request.service {
                    notes.push(note(
                        document,
                        format!(
                            "the request says service `{}`, but the catalogue puts `{}` in `{}`",
                            request.service, request.operation, operation.service_class
                        ),
                    ));
                }
            }
        }
    }
    for (written, renamed) in &request.renamed_parameters {
        notes.push(note(document, format!("parameter `{written}` is seen by expressions as `parameters.{renamed}`")));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_template_is_a_request_the_simulator_accepts() {
        let template = request_template("create-instance").unwrap();
        let request = read_request(&template).unwrap();
        assert_eq!(request.service, "compute");
        assert_eq!(request.parameters.get("public_ip_assignment"), Some(&serde_json::json!("inet4")));
        assert_eq!(request.parameters.get("disk_size"), Some(&serde_json::json!(0)));
        assert!(request_template("no-such-operation").is_none());
    }
}
