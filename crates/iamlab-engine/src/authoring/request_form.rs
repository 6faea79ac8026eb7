//! The request builder's form: the fields of a provider's request with their values read from
//! the request's JSON, what each expects and the values the catalogues suggest for it, and the
//! edit of one field as a new JSON text. The playground draws the form from the text on every
//! render, so the form and the JSON never disagree: an edit in either shows in the other.
//!
//! The fields per provider (the request shapes of `exoscale/request.rs`, `scaleway/request.rs`
//! and `outscale/request.rs`):
//! - Exoscale: `operation`, `zone`, `source_ip`, `now`, then every parameter the catalogue
//!   lists for the operation (with its type, whether it is required and its allowed values) and
//!   any other parameter the request holds;
//! - Scaleway: `permission_set`, `project_id` or `organization_id` (the one the request holds,
//!   else the one the set's scope type asks for), `context.ip`, `context.time`,
//!   `context.user_agent`, `resource.name`, `resource.id`, `resource.locality`;
//! - OUTSCALE and AWS: `action`, `resource`, then every key of `context` with its type when it
//!   is a known condition key.
//!
//! Suggestions and types come from [`crate::authoring::complete`], the editor's own
//! completion, asked at the place the value or key would be written: one source of truth.

use crate::authoring::complete::complete;
use crate::authoring::format::format_document;
use crate::exoscale;
use crate::pipeline::DocumentRole;
use crate::scaleway;
use iamlab_model::Provider;
use serde_json::{Map, Value};

/// How many suggestions a field offers at most (the catalogues' matches for what is typed).
const MAX_CHOICES: usize = 30;

/// One field of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestField {
    /// Where the value lives: member names from the request object down (`parameters.size` is
    /// `["parameters", "size"]`).
    pub path: Vec<String>,
    /// What the value is: a type, whether it is required, the allowed values.
    pub hint: String,
    /// The value as the input shows it: a string's text, any other JSON as written, empty when
    /// the request does not hold it.
    pub value: String,
    /// Whether the input is read as JSON (a number, a boolean, a list) rather than as a string.
    pub json: bool,
    /// Values the catalogues suggest for what is typed.
    pub choices: Vec<String>,
}

impl RequestField {
    /// The field's name as the form labels it: its path joined with dots.
    pub fn label(&self) -> String {
        self.path.join(".")
    }
}

/// The form of `text`, a request of `provider`; `None` when the text is not a JSON object (the
/// form then waits for the JSON to be fixed).
pub fn request_fields(provider: Provider, text: &str) -> Option<Vec<RequestField>> {
    let request = iamlab_model::json::serde_value_from_text(text).ok()?;
    let request = request.as_object()?;
    let mut fields = Vec::new();
    let mut add = |path: &[&str], hint: String, json: bool| {
        let value = lookup(request, path);
        let shown = match value {
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let json = json || value.is_some_and(|value| !value.is_string());
        fields.push(RequestField {
            path: path.iter().map(|step| (*step).to_owned()).collect(),
            hint,
            value: shown,
            json,
            choices: Vec::new(),
        });
    };
    match provider {
        Provider::Exoscale => {
            add(&["operation"], "operation of the catalogue".to_owned(), false);
            add(&["zone"], "zone, e.g. ch-gva-2".to_owned(), false);
            add(&["source_ip"], "IP address".to_owned(), false);
            add(&["now"], "time, RFC 3339".to_owned(), false);
            let operation = request.get("operation").and_then(Value::as_str).unwrap_or_default();
            let mut named = Vec::new();
            if let Some(entry) = exoscale::catalog().operation(operation) {
                for parameter in &entry.parameters {
                    let name = parameter.expression_name();
                    named.push(name.to_owned());
                    let mut hint = parameter.value_type.as_str().to_owned();
                    if parameter.required {
                        hint.push_str(", required");
                    }
                    if !parameter.allowed_values.is_empty() {
                        hint.push_str(&format!(": one of {}", parameter.allowed_values.join(", ")));
                    }
                    let json = parameter.value_type != exoscale::ValueType::String;
                    add(&["parameters", name], hint, json);
                }
            }
            let others = request.get("parameters").and_then(Value::as_object).into_iter().flat_map(|map| map.keys());
            for name in others.filter(|name| !named.contains(name)) {
                add(&["parameters", name], "not a parameter of the operation in the catalogue".to_owned(), false);
            }
        }
        Provider::Scaleway => {
            add(&["permission_set"], "permission set of the catalogue".to_owned(), false);
            let set =
                request.get("permission_set").and_then(Value::as_str).and_then(|name| scaleway::catalog().get(name));
            let by_project = set.is_none_or(|set| set.scope_type == scaleway::ScopeType::Projects);
            let scope = match (request.contains_key("project_id"), request.contains_key("organization_id")) {
                (true, _) => "project_id",
                (false, true) => "organization_id",
                (false, false) if by_project => "project_id",
                (false, false) => "organization_id",
            };
            add(&[scope], "where the set is asked for".to_owned(), false);
            add(&["context", "ip"], "IP address".to_owned(), false);
            add(&["context", "time"], "time, RFC 3339".to_owned(), false);
            add(&["context", "user_agent"], "user agent".to_owned(), false);
            for key in scaleway::RESOURCE_KEYS {
                add(&["resource", key], "resource attribute".to_owned(), false);
            }
        }
        Provider::Outscale | Provider::Aws => {
            add(&["action"], "action of the catalogue".to_owned(), false);
            add(&["resource"], "resource (ARN or ORN), * for any".to_owned(), false);
            let keys = request.get("context").and_then(Value::as_object).into_iter().flat_map(|map| map.keys());
            for key in keys {
                add(&["context", key], "condition key".to_owned(), false);
            }
        }
    }
    for field in &mut fields {
        suggest(provider, field);
    }
    Some(fields)
}

/// The value at `path` of `request`.
fn lookup<'request>(request: &'request Map<String, Value>, path: &[&str]) -> Option<&'request Value> {
    let (last, parents) = path.split_last()?;
    let mut object = request;
    for step in parents {
        object = object.get(*step)?.as_object()?;
    }
    object.get(*last)
}

/// The catalogues' values for the field (an operation, a permission set, an action) and a
/// condition key's type: the editor's completion, asked where the value or key is written.
fn suggest(provider: Provider, field: &mut RequestField) {
    let Some((last, parents)) = field.path.split_last() else { return };
    let mut prefix = String::from("{");
    for parent in parents {
        prefix.push_str(&format!("{}: {{", quoted(parent)));
    }
    let is_key = matches!(field.path.first().map(String::as_str), Some("context"))
        && matches!(provider, Provider::Outscale | Provider::Aws);
    if is_key {
        // The key's completion says its type.
        let text = format!("{prefix}{}", quoted(last));
        let offset = u32::try_from(text.len().saturating_sub(1)).unwrap_or(0);
        let completions = complete(provider, DocumentRole::Request, &text, offset);
        if let Some(item) = completions.items.iter().find(|item| item.label == *last) {
            field.hint = format!("condition key, {}", item.detail);
        }
        return;
    }
    if !matches!(last.as_str(), "operation" | "permission_set" | "action") {
        return;
    }
    let text = format!("{prefix}{}: \"{}", quoted(last), field.value.replace(['"', '\\'], ""));
    let offset = u32::try_from(text.len()).unwrap_or(0);
    let completions = complete(provider, DocumentRole::Request, &text, offset);
    field.choices = completions.items.into_iter().map(|item| item.label).take(MAX_CHOICES).collect();
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// `text` with the field at `path` set to `value` (read as JSON for a field that is, as a
/// string otherwise; an empty value takes the member out), formatted as the provider's
/// requests are. `None` when `text` is not a JSON object.
pub fn set_request_field(provider: Provider, text: &str, path: &[String], value: &str, json: bool) -> Option<String> {
    let mut request = iamlab_model::json::serde_value_from_text(text).ok()?;
    let (last, parents) = path.split_last()?;
    let mut object = request.as_object_mut()?;
    for step in parents {
        let child = object.entry(step.clone()).or_insert_with(|| Value::Object(Map::new()));
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        object = child.as_object_mut()?;
    }
    if value.is_empty() {
        return Some(without_member(provider, text, path).unwrap_or_else(|| text.to_owned()));
    }
    let parsed = json.then(|| iamlab_model::json::serde_value_from_text(value).ok()).flatten();
    object.insert(last.clone(), parsed.unwrap_or_else(|| Value::String(value.to_owned())));
    let written = serde_json::to_string_pretty(&request).ok()?;
    Some(format_document(provider, DocumentRole::Request, &written).unwrap_or(written))
}

/// `text` without the member at `path`, cut out of the text with the comma that separates it
/// from its neighbour (a map's removal would cost the wasm a B-tree's removal code for one
/// field); `None` when there is no such member.
fn without_member(provider: Provider, text: &str, path: &[String]) -> Option<String> {
    let root = iamlab_model::json::parse_json(text).value?;
    let (last, parents) = path.split_last()?;
    let mut object = &root;
    for step in parents {
        object = object.get(step)?;
    }
    let members = object.as_object()?;
    let index = members.iter().rposition(|member| member.key == last.as_str())?;
    let member = members.get(index)?;
    let (start, end) = match (members.get(index + 1), index.checked_sub(1).and_then(|before| members.get(before))) {
        (Some(next), _) => (member.key_span.start, next.key_span.start),
        (None, Some(previous)) => (previous.value.span.end, member.value.span.end),
        (None, None) => (member.key_span.start, member.value.span.end),
    };
    let cut = format!("{}{}", text.get(..start as usize)?, text.get(end as usize..)?);
    Some(format_document(provider, DocumentRole::Request, &cut).unwrap_or(cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form of `text` as `label = value (hint) [choices…]` lines.
    fn check(provider: Provider, text: &str, expect: &str) {
        let fields = request_fields(provider, text);
        let rendered = match fields {
            None => "no form".to_owned(),
            Some(fields) => fields
                .iter()
                .map(|field| {
                    let json = if field.json { " json" } else { "" };
                    let choices = if field.choices.is_empty() {
                        String::new()
                    } else {
                        format!(" [{}]", field.choices.iter().take(3).cloned().collect::<Vec<_>>().join(", "))
                    };
                    format!("{} = {:?} ({}){json}{choices}", field.label(), field.value, field.hint)
                })
                .collect::<Vec<_>>()
                .join("\n"),
        };
        assert_eq!(rendered, expect.trim(), "{text}");
    }

    #[test]
    fn an_exoscale_request_shows_its_operations_parameters_from_the_catalogue() {
        check(
            Provider::Exoscale,
            r#"{"operation": "reboot-instance", "zone": "ch-gva-2", "parameters": {"id": "i-1", "extra": 1}}"#,
            r#"
operation = "reboot-instance" (operation of the catalogue) [reboot-instance]
zone = "ch-gva-2" (zone, e.g. ch-gva-2)
source_ip = "" (IP address)
now = "" (time, RFC 3339)
parameters.id = "i-1" (string, required)
parameters.extra = "1" (not a parameter of the operation in the catalogue) json
"#,
        );
        // A half-typed operation suggests the catalogue's operations that it starts.
        let fields = request_fields(Provider::Exoscale, r#"{"operation": "create-inst"}"#).unwrap();
        assert!(fields[0].choices.iter().any(|choice| choice == "create-instance"), "{:?}", fields[0].choices);
        check(Provider::Exoscale, "[1, 2]", "no form");
        check(Provider::Exoscale, "{\"operation\": ", "no form");
    }

    #[test]
    fn a_scaleway_request_asks_for_the_scope_its_set_needs() {
        let organization = request_fields(Provider::Scaleway, r#"{"permission_set": "IAMManager"}"#).unwrap();
        assert_eq!(organization[1].label(), "organization_id");
        let project = request_fields(Provider::Scaleway, r#"{"permission_set": "InstancesFullAccess"}"#).unwrap();
        assert_eq!(project[1].label(), "project_id");
        let labels: Vec<String> = project.iter().map(RequestField::label).collect();
        assert_eq!(
            labels,
            [
                "permission_set",
                "project_id",
                "context.ip",
                "context.time",
                "context.user_agent",
                "resource.name",
                "resource.id",
                "resource.locality"
            ]
        );
        assert!(project[0].choices.iter().any(|choice| choice == "InstancesFullAccess"));
    }

    #[test]
    fn an_outscale_request_shows_its_context_keys_with_their_types() {
        let fields =
            request_fields(Provider::Aws, r#"{"action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": "10.0.0.1", "aws:SecureTransport": true}}"#)
                .unwrap();
        let labels: Vec<String> = fields.iter().map(RequestField::label).collect();
        assert_eq!(labels, ["action", "resource", "context.aws:SecureTransport", "context.aws:SourceIp"]);
        assert!(fields[2].json && fields[2].value == "true", "{:?}", fields[2]);
        assert!(fields[3].hint.starts_with("condition key, "), "{:?}", fields[3]);
        let outscale = request_fields(Provider::Outscale, r#"{"action": "api:ReadV"}"#).unwrap();
        assert!(outscale[0].choices.iter().any(|choice| choice == "api:ReadVms"), "{:?}", outscale[0].choices);
    }

    #[test]
    fn setting_a_field_rewrites_the_request_and_the_form_reads_it_back() {
        let text = r#"{"operation": "reboot-instance", "parameters": {"id": "i-1"}}"#;
        let path = |steps: &[&str]| steps.iter().map(|step| (*step).to_owned()).collect::<Vec<_>>();
        let zoned = set_request_field(Provider::Exoscale, text, &path(&["zone"]), "de-fra-1", false).unwrap();
        let fields = request_fields(Provider::Exoscale, &zoned).unwrap();
        assert_eq!(fields[1].value, "de-fra-1");
        assert_eq!(fields[4].value, "i-1", "the other fields stay");
        // A JSON field takes its JSON; a string that is not JSON stays a string; empty removes.
        let sized = set_request_field(Provider::Exoscale, &zoned, &path(&["parameters", "size"]), "50", true).unwrap();
        assert!(sized.contains("\"size\": 50"), "{sized}");
        let named = set_request_field(Provider::Exoscale, &sized, &path(&["parameters", "size"]), "big", true).unwrap();
        assert!(named.contains("\"size\": \"big\""), "{named}");
        let removed = set_request_field(Provider::Exoscale, &named, &path(&["zone"]), "", false).unwrap();
        assert!(!removed.contains("zone"), "{removed}");
        for (text, expect) in [
            (r#"{"a": 1, "zone": "x", "b": 2}"#, "{\n  \"a\": 1,\n  \"b\": 2\n}\n"),
            (r#"{"a": 1, "zone": "x"}"#, "{\n  \"a\": 1\n}\n"),
            (r#"{"zone": "x"}"#, "{}\n"),
            (r#"{"a": 1}"#, r#"{"a": 1}"#),
        ] {
            assert_eq!(
                set_request_field(Provider::Exoscale, text, &path(&["zone"]), "", false).unwrap(),
                expect,
                "{text}"
            );
        }
        // Nested objects are made as needed.
        let scaleway =
            set_request_field(Provider::Scaleway, "{}", &path(&["context", "ip"]), "203.0.113.7", false).unwrap();
        assert_eq!(request_fields(Provider::Scaleway, &scaleway).unwrap()[2].value, "203.0.113.7");
        assert_eq!(set_request_field(Provider::Aws, "[]", &path(&["action"]), "s3:GetObject", false), None);
    }
}
