//! The OUTSCALE EIM / AWS IAM identity-policy engine, in phases (cedar-policy style):
//! text → JSON tree with spans ([`iamlab_model::json`]) → policy syntax tree ([`syntax`]) →
//! validation ([`validate`]) → evaluation of a request ([`evaluate`]).
//!
//! Two profiles share the language: [`Profile::Outscale`] (EIM: its service prefixes, case
//! sensitive actions, no resource-level restrictions, undocumented conditions) and
//! [`Profile::Aws`] (the full AWS IAM identity-policy grammar). The rules and their sources are
//! in docs/semantics/outscale.md and docs/semantics/aws.md.

pub mod catalog;
pub mod conditions;
pub mod evaluate;
pub mod pattern;
pub mod syntax;
pub mod validate;
pub mod variables;

use crate::{SimulateError, SimulationInput};
use iamlab_model::json::{JsonKind, JsonValue};
use iamlab_model::{Decision, Diagnostic, Provider, Severity};

/// Which dialect of the policy language a document is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    Outscale,
    Aws,
}

impl Profile {
    /// `Provider::Aws` is the AWS profile; every other provider value reads as OUTSCALE.
    pub fn from_provider(provider: Provider) -> Profile {
        match provider {
            Provider::Aws => Profile::Aws,
            _ => Profile::Outscale,
        }
    }
}

/// Options of [`validate_document_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ValidateOptions {
    /// `Some(true)`: the document is a managed policy, so more than 5120 non-whitespace
    /// characters is an error; `Some(false)`: an inline policy, no limit; `None` (unknown): a
    /// warning.
    pub managed_policy: Option<bool>,
}

/// Validates one policy document in the profile of `provider` (`Outscale` or `Aws`).
pub fn validate_document(provider: Provider, text: &str) -> Vec<Diagnostic> {
    validate_document_with(provider, text, &ValidateOptions::default())
}

/// Validates one policy document with options (e.g. whether it is a managed policy).
pub fn validate_document_with(provider: Provider, text: &str, options: &ValidateOptions) -> Vec<Diagnostic> {
    let profile = Profile::from_provider(provider);
    let parsed = crate::read_json(text);
    let mut diagnostics = parsed.diagnostics;
    if let Some(root) = &parsed.value {
        let policy = syntax::read_policy(text, root, &mut diagnostics);
        validate::validate(profile, options, text, root, policy.as_ref(), &mut diagnostics);
    }
    iamlab_model::sort_diagnostics(&mut diagnostics);
    diagnostics
}

/// Simulates `input.request` against `input.policies` in the profile of `input.provider`.
///
/// Fails when a document or the request has errors that make its meaning unknown (JSON syntax,
/// wrong types, missing `Effect`, …); lint findings (unknown actions, ARN syntax) do not stop it.
pub fn simulate(input: &SimulationInput<'_>) -> Result<Decision, SimulateError> {
    let profile = Profile::from_provider(input.provider);
    let mut policies = Vec::with_capacity(input.policies.len());
    for document in &input.policies {
        let parsed = crate::read_json(document.text);
        let mut diagnostics = parsed.diagnostics;
        let policy = parsed.value.as_ref().and_then(|root| syntax::read_policy(document.text, root, &mut diagnostics));
        match policy {
            Some(policy) if !diagnostics.iter().any(Diagnostic::is_error) => {
                policies.push(evaluate::NamedPolicy { name: document.name, policy });
            }
            _ => {
                iamlab_model::sort_diagnostics(&mut diagnostics);
                return Err(SimulateError::InvalidDocument { document: document.name.to_owned(), diagnostics });
            }
        }
    }
    let request = read_request(input.request.text).map_err(|diagnostics| SimulateError::InvalidDocument {
        document: input.request.name.to_owned(),
        diagnostics,
    })?;
    Ok(evaluate::evaluate(profile, &policies, &request))
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
    pub fn insert(&mut self, key: &str, values: Vec<String>, multivalued: bool) {
        self.entries.retain(|entry| !entry.key.eq_ignore_ascii_case(key));
        self.entries.push(ContextEntry { key: key.to_owned(), values, multivalued });
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

/// Reads `{ "action": "ec2:DescribeInstances", "resource": "arn:…" (default `*`), "context": {…} }`.
pub fn read_request(text: &str) -> Result<evaluate::Request, Vec<Diagnostic>> {
    let parsed = crate::read_json(text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.value.filter(|_| !diagnostics.iter().any(Diagnostic::is_error)) else {
        return Err(diagnostics);
    };
    let request_error = |span, message: String, path: &str| {
        Diagnostic::error("request::invalid", message).with_primary(span, "here").with_path(path.to_owned()).with_help(
            "a request is `{ \"action\": \"ec2:DescribeInstances\", \"resource\": \"*\", \"context\": { \"aws:username\": \"bob\" } }`",
        )
    };
    let Some(members) = root.as_object() else {
        return Err(vec![request_error(root.span, "request must be a JSON object".to_owned(), "")]);
    };
    let mut action = None;
    let mut resource = "*".to_owned();
    let mut context = Context::default();
    for member in members {
        let path = format!("/{}", member.key);
        match member.key.as_str() {
            "action" => match member.value.as_str() {
                Some(text) if !text.is_empty() => action = Some(text.to_owned()),
                _ => diagnostics.push(request_error(
                    member.value.span,
                    "`action` must be a non-empty string".to_owned(),
                    &path,
                )),
            },
            "resource" => match member.value.as_str() {
                Some(text) if !text.is_empty() => resource = text.to_owned(),
                _ => diagnostics.push(request_error(
                    member.value.span,
                    "`resource` must be a non-empty string".to_owned(),
                    &path,
                )),
            },
            "context" => match member.value.as_object() {
                Some(keys) => {
                    for key in keys {
                        match context_values(&key.value) {
                            Some(Some((values, multivalued))) => context.insert(&key.key, values, multivalued),
                            Some(None) => {}
                            None => diagnostics.push(request_error(
                                key.value.span,
                                format!(
                                    "context key `{}` must be a string, number, boolean, null or array of them",
                                    key.key
                                ),
                                &format!("/context/{}", iamlab_model::json::escape_pointer_segment(&key.key)),
                            )),
                        }
                    }
                }
                None => {
                    diagnostics.push(request_error(member.value.span, "`context` must be an object".to_owned(), &path))
                }
            },
            other => diagnostics.push(
                Diagnostic::warning("request::unknown-field", format!("unknown request field `{other}`"))
                    .with_primary(member.key_span, "ignored")
                    .with_help("a request has `action`, `resource` and `context`")
                    .with_path(path),
            ),
        }
    }
    if action.is_none() && !diagnostics.iter().any(|diagnostic| diagnostic.path.as_deref() == Some("/action")) {
        diagnostics.push(request_error(root.span, "request has no `action`".to_owned(), ""));
    }
    match action {
        Some(action) if !diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error) => {
            Ok(evaluate::Request { action, resource, context })
        }
        _ => Err(diagnostics),
    }
}

/// `Some(None)` for `null` (the key is absent), `None` for a value of the wrong type.
fn context_values(value: &JsonValue) -> Option<Option<(Vec<String>, bool)>> {
    match &value.kind {
        JsonKind::Null => Some(None),
        JsonKind::Array(items) => {
            let values: Option<Vec<String>> = items.iter().map(scalar_text).collect();
            Some(Some((values?, true)))
        }
        _ => Some(Some((vec![scalar_text(value)?], false))),
    }
}

fn scalar_text(value: &JsonValue) -> Option<String> {
    match &value.kind {
        JsonKind::String(text) => Some(text.clone()),
        JsonKind::Number(number) => Some(number.raw.clone()),
        JsonKind::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}
