//! The simulated request: `{ "action": "ec2:DescribeInstances", "resource": "arn:…" (default
//! `*`), "context": { "aws:username": "bob" } }`, with the shared request codes
//! ([`RequestCode`]).

use crate::pipeline::RequestCode;
use crate::schema::child_pointer;
use iamlab_model::json::{JsonKind, JsonValue};
use iamlab_model::{Diagnostic, Span};

/// A request: who asks is implied by the policies; what is asked is here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub action: String,
    /// `*` when the request names no resource.
    pub resource: String,
    pub context: Context,
}

/// The request context: condition keys (case-insensitive names) and their values as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    entries: Vec<ContextEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    pub key: String,
    /// Strings as written, numbers as written, booleans as `true`/`false`.
    pub values: Vec<String>,
    /// The request gave an array (a multivalued key), even of one element.
    pub multivalued: bool,
}

impl Context {
    pub fn insert(&mut self, entry: ContextEntry) {
        self.entries.retain(|existing| !existing.key.eq_ignore_ascii_case(&entry.key));
        self.entries.push(entry);
    }

    /// The entry for `key`, whose name is compared ignoring case as AWS does.
    pub fn get(&self, key: &str) -> Option<&ContextEntry> {
        self.entries.iter().find(|entry| entry.key.eq_ignore_ascii_case(key))
    }

    /// The value of a single-valued key, for policy variables (multivalued keys cannot be).
    pub fn single_value(&self, key: &str) -> Option<&str> {
        let entry = self.get(key).filter(|entry| !entry.multivalued)?;
        entry.values.first().map(String::as_str)
    }
}

/// The fields a request has, for the unknown-field help and for completion.
pub(crate) const REQUEST_KEYS: [&str; 3] = ["action", "resource", "context"];

/// "a request has `action`, `resource` and `context`".
fn request_keys_help() -> String {
    let quoted: Vec<String> = REQUEST_KEYS.iter().map(|key| format!("`{key}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("a request has {} and {last}", rest.join(", ")),
        _ => format!("a request has {}", quoted.join("")),
    }
}

const REQUEST_HELP: &str =
    "a request is `{ \"action\": \"ec2:DescribeInstances\", \"resource\": \"*\", \"context\": { \"aws:username\": \"bob\" } }`";

/// A request finding of `code` at `span`, with the shape of a request as help.
fn request_error(code: RequestCode, span: Span, message: impl Into<String>, pointer: &str) -> Diagnostic {
    code.diagnostic(message).with_primary(span, "here").with_path(pointer.to_owned()).with_help(REQUEST_HELP)
}

/// Reads a request; fails with every finding when it has an error (warnings of a request that
/// reads are dropped: there are none beyond the JSON reader's).
pub fn read_request(text: &str) -> Result<Request, Vec<Diagnostic>> {
    let parsed = iamlab_model::json::parse_json(text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.value.filter(|_| !diagnostics.iter().any(Diagnostic::is_error)) else {
        return Err(diagnostics);
    };
    let Some(members) = root.as_object() else {
        return Err(vec![request_error(RequestCode::NotAnObject, root.span, "request must be a JSON object", "")]);
    };
    let mut action = None;
    let mut resource = "*".to_owned();
    let mut context = Context::default();
    for member in members {
        // The known keys are their own pointers: none is written unless a finding needs it.
        match member.key.as_ref() {
            "action" => match non_empty_string(&member.value) {
                Some(text) => action = Some(text),
                None => diagnostics.push(request_error(
                    RequestCode::InvalidField,
                    member.value.span,
                    "`action` must be a non-empty string",
                    "/action",
                )),
            },
            "resource" => match non_empty_string(&member.value) {
                Some(text) => resource = text,
                None => diagnostics.push(request_error(
                    RequestCode::InvalidField,
                    member.value.span,
                    "`resource` must be a non-empty string",
                    "/resource",
                )),
            },
            "context" => read_context(&member.value, "/context", &mut context, &mut diagnostics),
            other => diagnostics.push(
                RequestCode::UnknownField
                    .diagnostic(format!("unknown request field `{other}`"))
                    .with_primary(member.key_span, "not a request field")
                    .with_help(request_keys_help())
                    .with_path(child_pointer("", other)),
            ),
        }
    }
    // An `action` of the wrong type is already reported at its place.
    if action.is_none() && !diagnostics.iter().any(|diagnostic| diagnostic.path.as_deref() == Some("/action")) {
        diagnostics.push(request_error(RequestCode::MissingField, root.span, "request has no `action`", ""));
    }
    match action {
        Some(action) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(Request { action, resource, context }),
        _ => Err(diagnostics),
    }
}

fn non_empty_string(value: &JsonValue) -> Option<String> {
    value.as_str().filter(|text| !text.is_empty()).map(str::to_owned)
}

fn read_context(value: &JsonValue, pointer: &str, context: &mut Context, diagnostics: &mut Vec<Diagnostic>) {
    let Some(keys) = value.as_object() else {
        diagnostics.push(request_error(RequestCode::InvalidField, value.span, "`context` must be an object", pointer));
        return;
    };
    for key in keys {
        match context_entry(&key.key, &key.value) {
            Ok(Some(entry)) => context.insert(entry),
            // `null` is an absent key (docs/semantics/aws.md, `Null`).
            Ok(None) => {}
            Err(()) => diagnostics.push(request_error(
                RequestCode::InvalidField,
                key.value.span,
                format!("context key `{}` must be a string, number, boolean, null or array of them", key.key),
                &child_pointer(pointer, &key.key),
            )),
        }
    }
}

/// `Ok(None)` for `null`, `Err` for a value of the wrong type.
fn context_entry(key: &str, value: &JsonValue) -> Result<Option<ContextEntry>, ()> {
    let (values, multivalued) = match &value.kind {
        JsonKind::Null => return Ok(None),
        JsonKind::Array(items) => (items.iter().map(scalar_text).collect::<Option<Vec<String>>>().ok_or(())?, true),
        _ => (vec![scalar_text(value).ok_or(())?], false),
    };
    Ok(Some(ContextEntry { key: key.to_owned(), values, multivalued }))
}

fn scalar_text(value: &JsonValue) -> Option<String> {
    match &value.kind {
        JsonKind::String(text) => Some(text.to_string()),
        JsonKind::Number(number) => Some(number.raw.clone()),
        JsonKind::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` as a request: the action, resource and context it means, or one line per
    /// finding (severity, code, `[pointer]`, message).
    fn check(text: &str, expect: &str) {
        let actual = match read_request(text) {
            Ok(request) => {
                let mut out = format!("{} on {}\n", request.action, request.resource);
                for entry in &request.context.entries {
                    let shape = if entry.multivalued { "list" } else { "single" };
                    out.push_str(&format!("{} = {:?} ({shape})\n", entry.key, entry.values));
                }
                out
            }
            Err(diagnostics) => diagnostics
                .iter()
                .map(|diagnostic| {
                    let path = diagnostic.path.as_deref().unwrap_or("-");
                    format!("{} {} [{path}]: {}\n", diagnostic.severity.as_str(), diagnostic.code, diagnostic.message)
                })
                .collect(),
        };
        assert_eq!(actual, expect.strip_prefix('\n').unwrap_or(expect), "{text}");
    }

    #[test]
    fn requests_read_action_resource_and_context() {
        check(
            r#"{"action": "s3:GetObject", "context": {"aws:username": "bob", "aws:TagKeys": ["a", 2, true], "aws:X": null, "AWS:USERNAME": "eve"}}"#,
            r#"
s3:GetObject on *
aws:TagKeys = ["a", "2", "true"] (list)
AWS:USERNAME = ["eve"] (single)
"#,
        );
    }

    #[test]
    fn request_findings_use_the_shared_codes() {
        check(
            r#"[]"#,
            r#"
error request::not-an-object []: request must be a JSON object
"#,
        );
        check(
            r#"{"resource": "", "context": {"k": {}}, "Action": "x:y"}"#,
            r#"
error request::invalid-field [/resource]: `resource` must be a non-empty string
error request::invalid-field [/context/k]: context key `k` must be a string, number, boolean, null or array of them
error request::unknown-field [/Action]: unknown request field `Action`
error request::missing-field []: request has no `action`
"#,
        );
        check(
            r#"{"action": 3, "context": []}"#,
            r#"
error request::invalid-field [/action]: `action` must be a non-empty string
error request::invalid-field [/context]: `context` must be an object
"#,
        );
    }
}
