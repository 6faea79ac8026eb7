//! The simulated request: what an Exoscale API call looks like to the policy engine.
//!
//! ```json
//! { "operation": "create-instance", "service": "compute", "parameters": {…}, "resources": {…},
//!   "zone": "ch-gva-2", "source_ip": "203.0.113.7", "now": "2026-11-22T12:00:00Z", "api_key": "EXO…" }
//! ```
//! `service` is optional: the catalogue gives the operation's class. Parameter names may be
//! written as the API spells them (`public-ip-assignment`): rule expressions see them with
//! underscores (`parameters.public_ip_assignment`), as Exoscale's documented policies do.

use super::catalog::{catalog, expression_name};
use super::codes::Code;
use crate::catalog::Evidence;
use crate::pipeline::{Read, RequestCode};
use crate::schema;
use iamlab_cel::{Activation, Value};
use iamlab_model::json::{JsonKind, JsonMember, JsonValue};
use iamlab_model::{Diagnostic, Span};

pub(crate) const REQUEST_KEYS: [&str; 9] =
    ["operation", "service", "parameters", "resources", "zone", "source_ip", "now", "api_key", "identity"];

/// A request ready for evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub operation: String,
    pub service: String,
    /// Where the service class came from, when the request did not say.
    pub service_origin: ServiceOrigin,
    /// `parameters` with expression names (underscores) as keys, as JSON.
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub resources: serde_json::Map<String, serde_json::Value>,
    /// The caller's identity (`identity.key`, `identity.org.uuid` in SOS examples), when given.
    pub identity: Option<serde_json::Map<String, serde_json::Value>>,
    pub zone: Option<String>,
    pub source_ip: Option<String>,
    pub now: Option<String>,
    pub api_key: Option<String>,
    /// Parameter keys that were renamed (`public-ip-assignment` → `public_ip_assignment`).
    pub renamed_parameters: Vec<(String, String)>,
}

/// How the engine knows the request's service class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceOrigin {
    /// The request said `service`.
    Given,
    /// The catalogue, with its evidence grade.
    Catalog(Evidence),
}

/// Reads a request: the request when it has no errors, and every finding (warnings of a usable
/// request included, such as a duplicate key).
pub fn read_request(text: &str) -> Read<Request> {
    let parsed = iamlab_model::json::parse_json(text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.value else {
        return Read { tree: None, diagnostics };
    };
    let Some(members) = root.as_object() else {
        diagnostics.push(request_finding(
            RequestCode::NotAnObject,
            format!("the request must be an object, found {}", root.kind_name()),
            root.span,
            "",
            "write `{\"operation\": \"create-instance\", \"parameters\": {…}}`",
        ));
        return Read { tree: None, diagnostics };
    };
    let mut request = Request {
        operation: String::new(),
        service: String::new(),
        service_origin: ServiceOrigin::Given,
        parameters: serde_json::Map::new(),
        resources: serde_json::Map::new(),
        identity: None,
        zone: None,
        source_ip: None,
        now: None,
        api_key: None,
        renamed_parameters: Vec::new(),
    };
    let mut given_service = None;
    for member in members {
        let pointer = format!("/{}", member.key);
        match member.key.as_ref() {
            "operation" => request.operation = string_field(member, &pointer, &mut diagnostics).unwrap_or_default(),
            "service" => given_service = string_field(member, &pointer, &mut diagnostics),
            "zone" => request.zone = string_field(member, &pointer, &mut diagnostics),
            "source_ip" => request.source_ip = string_field(member, &pointer, &mut diagnostics),
            "now" => request.now = string_field(member, &pointer, &mut diagnostics),
            "api_key" => request.api_key = string_field(member, &pointer, &mut diagnostics),
            "parameters" => {
                if let Some(map) = object_field(member, &pointer, &mut diagnostics) {
                    for (key, value) in map {
                        let renamed = expression_name(&key);
                        if renamed != key {
                            request.renamed_parameters.push((key.clone(), renamed.clone()));
                        }
                        request.parameters.insert(renamed, value);
                    }
                }
            }
            "resources" => {
                if let Some(map) = object_field(member, &pointer, &mut diagnostics) {
                    request.resources = map;
                }
            }
            "identity" => request.identity = object_field(member, &pointer, &mut diagnostics),
            _ => diagnostics.push(request_finding(
                RequestCode::UnknownField,
                format!("unknown request field `{}`", member.key),
                member.key_span,
                &pointer,
                format!("a request has {}", REQUEST_KEYS.map(|key| format!("`{key}`")).join(", ")),
            )),
        }
    }
    if request.operation.is_empty() && root.get("operation").is_none() {
        diagnostics.push(request_finding(
            RequestCode::MissingField,
            "the request has no `operation`",
            root.span,
            "",
            "add the API operation name, e.g. `\"operation\": \"create-instance\"`",
        ));
    }
    match given_service {
        Some(service) => request.service = service,
        None => match catalog().operation(&request.operation) {
            Some(operation) => {
                request.service = operation.service_class.clone();
                request.service_origin = ServiceOrigin::Catalog(operation.evidence);
            }
            None if !request.operation.is_empty() => {
                let span = root.get("operation").map_or(root.span, |value| value.span);
                let help = match catalog().closest_operation(&request.operation) {
                    Some(candidate) => format!("did you mean `{candidate}`? Or add `\"service\"` to say its class"),
                    None => {
                        "add `\"service\"` (e.g. `\"compute\"`) to say which service class it belongs to".to_owned()
                    }
                };
                diagnostics.push(Code::UnknownRequestOperation.finding(
                    format!(
                        "operation `{}` is not in the catalogue, so its service class is unknown",
                        request.operation
                    ),
                    span,
                    "/operation",
                    help,
                ));
            }
            None => {}
        },
    }
    let usable = !diagnostics.iter().any(Diagnostic::is_error);
    Read { tree: usable.then_some(request), diagnostics }
}

fn string_field(member: &JsonMember, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    match &member.value.kind {
        JsonKind::String(text) => Some(text.to_string()),
        _ => {
            diagnostics.push(type_error(&member.value, pointer, &member.key, "a string"));
            None
        }
    }
}

fn object_field(
    member: &JsonMember,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    match member.value.to_serde() {
        serde_json::Value::Object(map) => Some(map),
        _ => {
            diagnostics.push(type_error(&member.value, pointer, &member.key, "an object"));
            None
        }
    }
}

fn type_error(value: &JsonValue, pointer: &str, field: &str, expected: &str) -> Diagnostic {
    request_finding(
        RequestCode::InvalidField,
        format!("request field `{field}` must be {expected}, found {}", value.kind_name()),
        value.span,
        pointer,
        "",
    )
}

/// A request finding under the code every provider shares, at that code's severity.
fn request_finding(
    code: RequestCode,
    message: impl Into<String>,
    span: Span,
    pointer: &str,
    help: impl Into<String>,
) -> Diagnostic {
    schema::finding(code.as_str(), code.info().severity, message, span, pointer, help)
}

/// The variables a rule expression sees for `request` (see `docs/semantics/exoscale.md`,
/// "Expression context"). Fields the request omits stay unbound, so reading them fails.
pub fn activation(request: &Request) -> Activation {
    let parameters = Value::from_json(&serde_json::Value::Object(request.parameters.clone()));
    let resources = Value::from_json(&serde_json::Value::Object(request.resources.clone()));
    let mut activation = Activation::new()
        .with("operation", Value::string(request.operation.as_str()))
        .with("service", Value::string(request.service.as_str()))
        .with("parameters", parameters)
        // The policy guide's first example reads `resource.sks_nodepool.name`: bound to the
        // same map so that the documented example behaves as documented.
        .with("resource", resources.clone())
        .with("resources", resources);
    let optional = [
        ("zone", &request.zone),
        ("source_ip", &request.source_ip),
        ("now", &request.now),
        ("api_key", &request.api_key),
    ];
    if let Some(identity) = &request.identity {
        activation.insert("identity", Value::from_json(&serde_json::Value::Object(identity.clone())));
    }
    for (name, value) in optional {
        if let Some(value) = value {
            activation.insert(name, Value::string(value.as_str()));
        }
    }
    activation
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exoscale::test_support::{fixture, render_diagnostics};

    /// Reads `input` as a request; renders its operation, service class (and where it came
    /// from) and renamed parameters when it is usable, then every finding.
    #[track_caller]
    fn check(input: &str, expect: &str) {
        let text = fixture(input);
        let read = read_request(text);
        let mut rendered = match &read.tree {
            Some(request) => {
                let mut rendered =
                    format!("{} in {} ({:?})\n", request.operation, request.service, request.service_origin);
                for (written, renamed) in &request.renamed_parameters {
                    rendered.push_str(&format!("parameter {written} as {renamed}\n"));
                }
                rendered
            }
            None => "unusable\n".to_owned(),
        };
        rendered.push_str(&render_diagnostics(text, &read.diagnostics));
        assert_eq!(rendered, fixture(expect));
    }

    #[test]
    fn the_catalogue_gives_the_service_class() {
        check(
            r#"
{"operation": "create-instance", "parameters": {"public-ip-assignment": "none"}}
"#,
            r#"
create-instance in compute (Catalog(Documented))
parameter public-ip-assignment as public_ip_assignment
"#,
        );
        check(
            r#"
{"operation": "my-operation", "service": "compute"}
"#,
            r#"
my-operation in compute (Given)
"#,
        );
    }

    #[test]
    fn findings_use_the_shared_request_codes() {
        check(
            r#"
{"operation": 3, "parameters": [], "zone": "ch-gva-2", "zones": "x"}
"#,
            r#"
unusable
request::invalid-field /operation `3`: request field `operation` must be a string, found number
request::invalid-field /parameters `[]`: request field `parameters` must be an object, found array
request::unknown-field /zones `"zones"`: unknown request field `zones`
  help: a request has `operation`, `service`, `parameters`, `resources`, `zone`, `source_ip`, `now`, `api_key`, `identity`
"#,
        );
        check(
            r#"
[]
"#,
            r#"
unusable
request::not-an-object / `[]`: the request must be an object, found array
  help: write `{"operation": "create-instance", "parameters": {…}}`
"#,
        );
        check(
            r#"
{"zone": "ch-gva-2"}
"#,
            r#"
unusable
request::missing-field / `{"zone": "ch-gva-2"}`: the request has no `operation`
  help: add the API operation name, e.g. `"operation": "create-instance"`
"#,
        );
    }

    #[test]
    fn an_operation_the_catalogue_does_not_know_needs_its_service() {
        check(
            r#"
{"operation": "create-instanse"}
"#,
            r#"
unusable
exoscale::unknown-request-operation /operation `"create-instanse"`: operation `create-instanse` is not in the catalogue, so its service class is unknown
  help: did you mean `create-instance`? Or add `"service"` to say its class
"#,
        );
    }
}
