//! The simulated request: one permission set asked for, where, and what the condition sees.
//!
//! ```json
//! { "permission_set": "InstancesFullAccess",
//!   "project_id": "…"            (or "organization_id": "…"),
//!   "context": { "ip": "203.0.113.7", "time": "2026-11-23T09:30:00Z", "user_agent": "…" },
//!   "resource": { "name": "…", "id": "…", "locality": "fr-par" } }
//! ```
//! Absent context and resource fields are absent in CEL: `has(resource.id)` is false, as on a
//! list call ("Resource-level conditions", DC@6b14ca6d). `user_agent` is truncated to 255
//! characters ("Truncated at 255 characters max", "Request-level conditions", DC@3c880ed7).

use super::catalog::{catalog, ScopeType};
use crate::pipeline::{Read, RequestCode};
use crate::schema::{child_pointer, closest_field};
use iamlab_cel::Timestamp;
use iamlab_model::json::{JsonKind, JsonValue};
use iamlab_model::{Diagnostic, Span, Spanned};
use std::net::IpAddr;

/// The request's keys, in the order of the module documentation: the one list, which the reader
/// checks against and `iamlab fmt` (`authoring::format`) sorts by.
pub const REQUEST_KEYS: [&str; 5] = ["permission_set", "project_id", "organization_id", "context", "resource"];
pub const CONTEXT_KEYS: [&str; 3] = ["ip", "time", "user_agent"];
pub const RESOURCE_KEYS: [&str; 3] = ["name", "id", "locality"];
/// "Truncated at 255 characters max" (Request-level conditions).
pub const USER_AGENT_MAX: usize = 255;

/// Where the permission set is asked for (CheckPermissions: `project_id | organization_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestScope {
    Project(String),
    Organization(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub permission_set: Spanned<String>,
    pub scope: RequestScope,
    pub ip: Option<String>,
    /// The RFC 3339 text and its value.
    pub time: Option<(String, Timestamp)>,
    /// Already truncated to [`USER_AGENT_MAX`] characters.
    pub user_agent: Option<String>,
    /// How many characters the truncation cut, when it did.
    pub user_agent_cut: Option<usize>,
    pub resource_name: Option<String>,
    pub resource_id: Option<String>,
    pub resource_locality: Option<String>,
}

fn at(code: RequestCode, message: impl Into<String>, span: Span, pointer: &str, help: &str) -> Diagnostic {
    let diagnostic = code.diagnostic(message).with_primary(span, "").with_path(pointer.to_owned());
    if help.is_empty() {
        diagnostic
    } else {
        diagnostic.with_help(help.to_owned())
    }
}

fn unknown_key(key: &str, span: Span, pointer: &str, owner: &str, known: &[&str]) -> Diagnostic {
    let help = match closest_field(key, known) {
        Some(candidate) => format!("did you mean `{candidate}`?"),
        None => {
            format!("a {owner} has {}", known.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", "))
        }
    };
    at(RequestCode::UnknownField, format!("unknown {owner} field `{key}`"), span, pointer, &help)
}

/// Reads `field` of `object` as an optional string.
fn optional_string(
    object: &JsonValue,
    field: &str,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = object.get(field).filter(|value| !matches!(value.kind, JsonKind::Null))?;
    match value.as_str() {
        Some(text) => Some(text.to_owned()),
        None => {
            diagnostics.push(at(
                RequestCode::InvalidField,
                format!("`{field}` must be a string, found {}", value.kind_name()),
                value.span,
                &child_pointer(pointer, field),
                "",
            ));
            None
        }
    }
}

pub fn read_request(text: &str) -> Read<Request> {
    let parsed = iamlab_model::json::parse_json(text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.value else {
        return Read { tree: None, diagnostics };
    };
    let tree = read_root(&root, &mut diagnostics);
    let tree = if diagnostics.iter().any(Diagnostic::is_error) { None } else { tree };
    Read { tree, diagnostics }
}

fn read_root(root: &JsonValue, diagnostics: &mut Vec<Diagnostic>) -> Option<Request> {
    let Some(members) = root.as_object() else {
        diagnostics.push(at(
            RequestCode::NotAnObject,
            format!("the request must be an object, found {}", root.kind_name()),
            root.span,
            "",
            "write `{\"permission_set\": \"InstancesReadOnly\", \"project_id\": \"…\"}`",
        ));
        return None;
    };
    for member in members {
        if !REQUEST_KEYS.contains(&member.key.as_ref()) {
            diagnostics.push(unknown_key(
                &member.key,
                member.key_span,
                &child_pointer("", &member.key),
                "request",
                &REQUEST_KEYS,
            ));
        }
    }
    let permission_set = read_permission_set(root, diagnostics);
    let project = optional_string(root, "project_id", "", diagnostics);
    let organization = optional_string(root, "organization_id", "", diagnostics);
    let scope = match (project, organization) {
        (Some(project), None) => Some(RequestScope::Project(project)),
        (None, Some(organization)) => Some(RequestScope::Organization(organization)),
        (Some(_), Some(_)) => {
            let span = root.get("organization_id").map_or(root.opening_span(), |value| value.span);
            diagnostics.push(at(
                RequestCode::InvalidField,
                "a request is checked either in a Project or in the Organization, not both",
                span,
                "/organization_id",
                "keep `project_id` for a Project's resources, `organization_id` for an Organization-wide check",
            ));
            None
        }
        (None, None) => {
            diagnostics.push(at(
                RequestCode::MissingField,
                "the request has neither `project_id` nor `organization_id`",
                root.opening_span(),
                "",
                "say where the permission set is needed: `\"project_id\": \"…\"` or `\"organization_id\": \"…\"`",
            ));
            None
        }
    };
    if let (Some(set), Some(RequestScope::Project(_))) = (&permission_set, &scope) {
        if catalog().get(&set.value).is_some_and(|known| known.scope_type == ScopeType::Organization) {
            let span = root.get("project_id").map_or(set.span, |value| value.span);
            diagnostics.push(at(
                RequestCode::InvalidField,
                format!("`{}` is an Organization-scoped permission set: it is checked in the Organization, not in a Project", set.value),
                span,
                "/project_id",
                "ask with `organization_id`",
            ));
        }
    }
    // The context and the resource are read even when the set or the scope is wrong, so that
    // one reading reports every finding of the request, not the first ones only.
    let complete = permission_set.is_some() && scope.is_some();
    let mut request = Request {
        permission_set: permission_set.unwrap_or_else(|| Spanned::new(String::new(), root.span)),
        scope: scope.unwrap_or_else(|| RequestScope::Project(String::new())),
        ip: None,
        time: None,
        user_agent: None,
        user_agent_cut: None,
        resource_name: None,
        resource_id: None,
        resource_locality: None,
    };
    if let Some(context) = root.get("context").filter(|value| !matches!(value.kind, JsonKind::Null)) {
        read_context(context, &mut request, diagnostics);
    }
    if let Some(resource) = root.get("resource").filter(|value| !matches!(value.kind, JsonKind::Null)) {
        read_resource(resource, &mut request, diagnostics);
    }
    complete.then_some(request)
}

fn read_permission_set(root: &JsonValue, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
    let Some(value) = root.get("permission_set") else {
        diagnostics.push(at(
            RequestCode::MissingField,
            "the request has no `permission_set`",
            root.opening_span(),
            "",
            "name the permission set the call needs, e.g. `\"permission_set\": \"InstancesReadOnly\"`",
        ));
        return None;
    };
    let Some(name) = value.as_str() else {
        diagnostics.push(at(
            RequestCode::InvalidField,
            format!("`permission_set` must be a string, found {}", value.kind_name()),
            value.span,
            "/permission_set",
            "",
        ));
        return None;
    };
    if catalog().get(name).is_none() {
        // A typo here would silently deny: the request names a set of the catalogue.
        let help = match catalog().closest(name) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None => {
                "permission sets are listed on Scaleway's permission-sets page (`InstancesFullAccess`, `IAMManager`, …)"
                    .to_owned()
            }
        };
        diagnostics.push(at(
            RequestCode::InvalidField,
            format!("unknown permission set `{name}`"),
            value.span,
            "/permission_set",
            &help,
        ));
        return None;
    }
    Some(Spanned::new(name.to_owned(), value.span))
}

fn read_context(context: &JsonValue, request: &mut Request, diagnostics: &mut Vec<Diagnostic>) {
    let Some(members) = context.as_object() else {
        diagnostics.push(at(
            RequestCode::InvalidField,
            format!("`context` must be an object, found {}", context.kind_name()),
            context.span,
            "/context",
            "write `{\"ip\": \"203.0.113.7\", \"time\": \"2026-11-23T09:30:00Z\", \"user_agent\": \"…\"}`",
        ));
        return;
    };
    for member in members {
        if !CONTEXT_KEYS.contains(&member.key.as_ref()) {
            let help_known: &[&str] = &CONTEXT_KEYS;
            diagnostics.push(unknown_key(
                &member.key,
                member.key_span,
                &child_pointer("/context", &member.key),
                "context",
                help_known,
            ));
        }
    }
    if let Some(ip) = optional_string(context, "ip", "/context", diagnostics) {
        if ip.trim().parse::<IpAddr>().is_err() {
            let span = context.get("ip").map_or(context.span, |value| value.span);
            diagnostics.push(at(
                RequestCode::InvalidField,
                format!("`{ip}` is not an IP address"),
                span,
                "/context/ip",
                "`request.ip` is the caller's public IPv4 or IPv6 address",
            ));
        }
        request.ip = Some(ip);
    }
    if let Some(time) = optional_string(context, "time", "/context", diagnostics) {
        match iamlab_cel::parse_timestamp(&time) {
            Ok(timestamp) => request.time = Some((time, timestamp)),
            Err(message) => {
                let span = context.get("time").map_or(context.span, |value| value.span);
                diagnostics.push(at(
                    RequestCode::InvalidField,
                    format!("`time` is not an RFC 3339 timestamp: {message}"),
                    span,
                    "/context/time",
                    "write e.g. `2026-11-23T09:30:00Z` or `2026-11-23T10:30:00+01:00`",
                ));
            }
        }
    }
    if let Some(user_agent) = optional_string(context, "user_agent", "/context", diagnostics) {
        let length = user_agent.chars().count();
        if length > USER_AGENT_MAX {
            request.user_agent = Some(user_agent.chars().take(USER_AGENT_MAX).collect());
            request.user_agent_cut = Some(length - USER_AGENT_MAX);
        } else {
            request.user_agent = Some(user_agent);
        }
    }
}

fn read_resource(resource: &JsonValue, request: &mut Request, diagnostics: &mut Vec<Diagnostic>) {
    let Some(members) = resource.as_object() else {
        diagnostics.push(at(
            RequestCode::InvalidField,
            format!("`resource` must be an object, found {}", resource.kind_name()),
            resource.span,
            "/resource",
            "write `{\"name\": …, \"id\": …, \"locality\": \"fr-par\"}`, or leave it out for a list call",
        ));
        return;
    };
    for member in members {
        if !RESOURCE_KEYS.contains(&member.key.as_ref()) {
            let help = if member.key == "annotation" {
                "`resource.annotation` is not supported by Scaleway (Resource-level conditions)".to_owned()
            } else {
                match closest_field(&member.key, &RESOURCE_KEYS) {
                    Some(candidate) => format!("did you mean `{candidate}`?"),
                    None => "a resource has `name`, `id` and `locality`".to_owned(),
                }
            };
            diagnostics.push(at(
                RequestCode::UnknownField,
                format!("unknown resource field `{}`", member.key),
                member.key_span,
                &child_pointer("/resource", &member.key),
                &help,
            ));
        }
    }
    request.resource_name = optional_string(resource, "name", "/resource", diagnostics);
    request.resource_id = optional_string(resource, "id", "/resource", diagnostics);
    request.resource_locality = optional_string(resource, "locality", "/resource", diagnostics);
}

impl Request {
    /// The CEL bindings: `request` and `resource` as maps holding only the fields given.
    pub fn activation(&self) -> iamlab_cel::Activation {
        use iamlab_cel::{Map, Value};
        let mut context = Map::new();
        let insert = |map: &mut Map, key: &str, value: Value| {
            // Inserting a string key into a fresh map cannot fail; a failure would only drop
            // the field, which the condition then reports as absent.
            let _ = map.insert(Value::string(key), value);
        };
        if let Some(ip) = &self.ip {
            insert(&mut context, "ip", Value::string(ip.as_str()));
        }
        if let Some((_, timestamp)) = &self.time {
            insert(&mut context, "time", Value::Timestamp(*timestamp));
        }
        if let Some(user_agent) = &self.user_agent {
            insert(&mut context, "user_agent", Value::string(user_agent.as_str()));
        }
        let mut resource = Map::new();
        for (key, value) in
            [("name", &self.resource_name), ("id", &self.resource_id), ("locality", &self.resource_locality)]
        {
            if let Some(value) = value {
                insert(&mut resource, key, Value::string(value.as_str()));
            }
        }
        iamlab_cel::Activation::new()
            .with("request", Value::Map(std::rc::Rc::new(context)))
            .with("resource", Value::Map(std::rc::Rc::new(resource)))
    }
}
