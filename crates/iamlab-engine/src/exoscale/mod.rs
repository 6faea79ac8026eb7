//! The Exoscale IAM engine: role and organization policies.
//!
//! Phases, one module each: `syntax` (JSON tree → role/policy tree with spans, schema
//! findings; each rule expression is compiled there, once, with its lexical facts), `validate`
//! (CEL and catalogue checks), `lints`, `evaluate` (a request against the organization and role
//! layers). `catalog` holds the operations catalogue, `request` the simulated request and the
//! variables expressions see, `codes` every diagnostic code. The semantics and their sources are
//! in `docs/semantics/exoscale.md`.

pub(crate) mod catalog;
mod codes;
mod evaluate;
mod examples;
mod lints;
pub(crate) mod request;
pub(crate) mod syntax;
#[cfg(test)]
mod test_support;
mod validate;

pub use catalog::{
    catalog, expression_name, Catalog, Operation, Parameter, ParameterLocation, ServiceClass, ValueType,
    INFO as CATALOG_INFO,
};
pub use codes::Code;

use crate::catalog::{CatalogInfo, Evidence};
use crate::pipeline::{
    CodeInfo, Detail, DocumentRole, Example, Parsed, ProviderEngine, Read, RoleCount, RoleInfo, SimulateError, Source,
};
use evaluate::{evaluate_layer, note, LayerPolicy};
use iamlab_model::{Decision, Diagnostic, DocumentId, Effect, Layer, Span};
use lints::PolicyRole;
use request::{read_request, Request, ServiceOrigin};
use syntax::{read_document, Document, DocumentKind};

/// The Exoscale engine: a role (or its bare policy) under an optional organization policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Exoscale;

/// Exoscale simulations need nothing beyond their documents: the organization policy is a
/// document of role [`DocumentRole::OrganizationPolicy`], and its absence means "allow all".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options;

const ROLES: &[RoleInfo] = &[
    // The request is read first, so that its errors are reported before the role's.
    RoleInfo {
        role: DocumentRole::Request,
        hint: "an API operation with its parameters",
        count: RoleCount::ExactlyOne,
    },
    RoleInfo {
        role: DocumentRole::Policy,
        hint: "an IAM role, a bare role policy or an organization policy",
        count: RoleCount::ExactlyOne,
    },
    RoleInfo {
        role: DocumentRole::OrganizationPolicy,
        hint: "the organization policy (absent: allow everything)",
        count: RoleCount::AtMostOne,
    },
];

impl ProviderEngine for Exoscale {
    type Document = Document;
    type Request = Request;
    type Options = Options;

    fn roles() -> &'static [RoleInfo] {
        ROLES
    }

    fn read(source: &Source<'_>, _options: &Options) -> Read<Document> {
        let parsed = iamlab_model::json::parse_json(source.text);
        let mut diagnostics = parsed.diagnostics;
        let tree = parsed.value.as_ref().and_then(|root| read_document(root, &mut diagnostics));
        if let Some(document) = &tree {
            if source.role == DocumentRole::OrganizationPolicy && document.kind == DocumentKind::Role {
                diagnostics.push(Code::RoleAsOrganizationPolicy.finding(
                    "the organization policy must be a bare policy, not a role",
                    document.span,
                    "",
                    "use the role's `policy` object: `{\"default-service-strategy\": …, \"services\": {…}}`",
                ));
            }
        }
        Read { tree, diagnostics }
    }

    fn check(source: &Source<'_>, document: &Document, _options: &Options) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let policy_role = PolicyRole::of(document.kind, source.role);
        if let Some(policy) = &document.policy {
            validate::check_policy(source.text, policy, &mut diagnostics);
            lints::lint_policy(source.text, policy, policy_role, &mut diagnostics);
        }
        if let Some(policy) = &document.assume_role_policy {
            validate::check_assume_role_policy(source.text, policy, &mut diagnostics);
            lints::lint_assume_role_policy(source.text, policy, &mut diagnostics);
        }
        diagnostics
    }

    fn read_request(source: &Source<'_>, _options: &Options) -> Read<Request> {
        read_request(source.text)
    }

    fn evaluate(
        documents: &[Parsed<'_, Document>],
        request: &Parsed<'_, Request>,
        _options: &Options,
        detail: Detail,
    ) -> Result<Decision, SimulateError> {
        simulate(documents, request, detail)
    }

    fn examples() -> &'static [Example] {
        examples::EXAMPLES
    }

    fn codes() -> &'static [CodeInfo] {
        codes::INFOS
    }

    fn catalogs() -> &'static [CatalogInfo] {
        &[catalog::INFO]
    }
}

fn invalid(document: DocumentId, code: Code, message: &str, help: &str) -> SimulateError {
    SimulateError::InvalidDocument { document, diagnostics: vec![code.diagnostic(message, help)] }
}

/// Simulates the request against the organization policy (absent: allow everything) and the
/// role policy, and explains the decision.
fn simulate(
    documents: &[Parsed<'_, Document>],
    parsed_request: &Parsed<'_, Request>,
    detail: Detail,
) -> Result<Decision, SimulateError> {
    let request = &parsed_request.tree;
    let request_id = parsed_request.source.id;
    let roles: Vec<&Parsed<'_, Document>> =
        documents.iter().filter(|document| document.source.role == DocumentRole::Policy).collect();
    let role_document = match roles.as_slice() {
        [only] => *only,
        [] => {
            return Err(invalid(
                request_id,
                Code::NoRole,
                "no role policy to simulate against",
                "give the role (or its bare policy) of the user or API key making the request",
            ))
        }
        [_, second, ..] => {
            return Err(invalid(
                second.source.id,
                Code::SeveralRoles,
                "an Exoscale user or API key has exactly one role, but several policies were given",
                "simulate one role at a time; put organization-wide rules in the organization policy",
            ))
        }
    };
    let role = &role_document.tree;
    // A role created without `policy` gets one that allows everything (exoscale/cli,
    // cmd/iam/iam_role_create.go: "Policy is optional, if not set API will default to `allow all`").
    let allow_all;
    let role_policy = match &role.policy {
        Some(policy) => policy,
        None => {
            allow_all = syntax::Policy {
                pointer: "/policy".to_owned(),
                span: Span::empty_at(role.span.start),
                default_strategy: Some(iamlab_model::Spanned::new(
                    syntax::Strategy::Allow,
                    Span::empty_at(role.span.start),
                )),
                services: Vec::new(),
            };
            &allow_all
        }
    };
    let organization = documents.iter().find(|document| document.source.role == DocumentRole::OrganizationPolicy);

    let mut explanation = request_notes(request_id, request);
    if role.policy.is_none() {
        explanation.push(note(
            role_document.source.id,
            "the role has no `policy`: the API gives such a role one that allows everything".to_owned(),
        ));
    }
    let mut decisive = Vec::new();
    let activation = request::activation(request);
    if let Some(organization) = organization {
        if let Some(policy) = &organization.tree.policy {
            let layer = LayerPolicy {
                layer: Layer::Organization,
                document: organization.source.id,
                source: organization.source.text,
                policy,
                detail,
            };
            let verdict = evaluate_layer(layer, &request.service, &activation, &mut explanation);
            if verdict.effect != Effect::Allow {
                explanation.push(note(
                    role_document.source.id,
                    "the role policy is not evaluated: the organization policy already denied the request".to_owned(),
                ));
                return Ok(Decision { effect: verdict.effect, decisive: vec![verdict.entry], explanation });
            }
            decisive.push(verdict.entry);
        }
    } else {
        explanation
            .push(note(request_id, "no organization policy given: it defaults to allowing every operation".to_owned()));
    }
    let layer = LayerPolicy {
        layer: Layer::Role,
        document: role_document.source.id,
        source: role_document.source.text,
        policy: role_policy,
        detail,
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
    iamlab_model::order::sort_by_key(&mut parameters, |parameter| !parameter.required);
    let mut map = serde_json::Map::new();
    for parameter in parameters {
        let placeholder = match parameter.value_type {
            ValueType::Integer => serde_json::Value::from(0),
            ValueType::Boolean => serde_json::Value::Bool(false),
            ValueType::Object => serde_json::Value::Object(serde_json::Map::new()),
            ValueType::StringArray | ValueType::ObjectArray => serde_json::Value::Array(Vec::new()),
            ValueType::String => {
                serde_json::Value::String(parameter.allowed_values.first().cloned().unwrap_or_default())
            }
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
fn request_notes(document: DocumentId, request: &Request) -> Vec<iamlab_model::ExplanationStep> {
    let mut notes = Vec::new();
    match request.service_origin {
        ServiceOrigin::Catalog(Evidence::Inferred) => notes.push(note(
            document,
            format!("service class `{}` for `{}` is inferred, not documented", request.service, request.operation),
        )),
        ServiceOrigin::Catalog(evidence) => notes.push(note(
            document,
            format!(
                "service class `{}` for `{}` comes from the catalogue ({})",
                request.service,
                request.operation,
                evidence.as_str()
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
        let request = read_request(&template).tree.unwrap();
        assert_eq!(request.service, "compute");
        assert_eq!(request.parameters.get("public_ip_assignment"), Some(&serde_json::json!("inet4")));
        assert_eq!(request.parameters.get("disk_size"), Some(&serde_json::json!(0)));
        assert!(request_template("no-such-operation").is_none());
    }
}
