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
mod examples;
pub mod pattern;
pub mod syntax;
pub mod validate;
pub mod variables;

use crate::pipeline::{
    CodeInfo, DocumentRole, Example, Parsed, ProviderEngine, Read, RoleCount, RoleInfo, SimulateError, Source,
};
use iamlab_model::json::{JsonKind, JsonValue};
use iamlab_model::{Decision, Diagnostic, Severity};

/// Which dialect of the policy language a document is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// OUTSCALE EIM: its service prefixes, case-sensitive actions, no resource-level
    /// restrictions, undocumented conditions.
    #[default]
    Outscale,
    /// The full AWS IAM identity-policy language (`--provider aws`).
    Aws,
}

/// What an Outscale/AWS simulation needs beyond its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub profile: Profile,
}

/// Options of the validation phase, derived from the document's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ValidateOptions {
    /// `Some(true)`: the document is a managed policy, so more than 5120 non-whitespace
    /// characters is an error; `Some(false)`: an inline policy, no limit; `None` (unknown): a
    /// warning.
    pub managed_policy: Option<bool>,
}

impl ValidateOptions {
    pub fn for_role(role: DocumentRole) -> ValidateOptions {
        let managed_policy = match role {
            DocumentRole::ManagedPolicy => Some(true),
            DocumentRole::InlinePolicy => Some(false),
            _ => None,
        };
        ValidateOptions { managed_policy }
    }
}

/// The OUTSCALE EIM / AWS IAM engine (the profile is in [`Options`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outscale;

/// A read policy document: the JSON tree (validation walks it for unknown elements) and the
/// policy when its shape could be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: JsonValue,
    pub policy: Option<syntax::Policy>,
}

const ROLES: &[RoleInfo] = &[
    RoleInfo { role: DocumentRole::Policy, hint: "a policy document", count: RoleCount::Any },
    RoleInfo { role: DocumentRole::ManagedPolicy, hint: "a managed policy document", count: RoleCount::Any },
    RoleInfo { role: DocumentRole::InlinePolicy, hint: "an inline user or group policy", count: RoleCount::Any },
    RoleInfo { role: DocumentRole::Request, hint: "an action, a resource and a context", count: RoleCount::ExactlyOne },
];

impl ProviderEngine for Outscale {
    type Document = Document;
    type Request = evaluate::Request;
    type Options = Options;

    fn roles() -> &'static [RoleInfo] {
        ROLES
    }

    fn read(source: &Source<'_>, _options: &Options) -> Read<Document> {
        let parsed = iamlab_model::json::parse_json(source.text);
        let mut diagnostics = parsed.diagnostics;
        let tree = parsed.value.map(|root| {
            let policy = syntax::read_policy(source.text, &root, &mut diagnostics);
            Document { root, policy }
        });
        Read { tree, diagnostics }
    }

    fn check(source: &Source<'_>, document: &Document, options: &Options) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let validate_options = ValidateOptions::for_role(source.role);
        validate::validate(
            options.profile,
            &validate_options,
            source.text,
            &document.root,
            document.policy.as_ref(),
            &mut diagnostics,
        );
        diagnostics
    }

    fn read_request(source: &Source<'_>, _options: &Options) -> Read<evaluate::Request> {
        match read_request(source.text) {
            Ok(request) => Read { tree: Some(request), diagnostics: Vec::new() },
            Err(diagnostics) => Read { tree: None, diagnostics },
        }
    }

    /// Fails when a document's shape could not be read at all; lint findings (unknown actions,
    /// ARN syntax) never stop it.
    fn evaluate(
        documents: &[Parsed<'_, Document>],
        request: &Parsed<'_, evaluate::Request>,
        options: &Options,
    ) -> Result<Decision, SimulateError> {
        let mut policies = Vec::with_capacity(documents.len());
        for document in documents {
            let Some(policy) = &document.tree.policy else {
                return Err(SimulateError::InvalidDocument {
                    document: document.source.id,
                    diagnostics: vec![Diagnostic::error("aws::unreadable-policy", "the policy could not be read")],
                });
            };
            policies.push(evaluate::DocumentPolicy { document: document.source.id, policy });
        }
        Ok(evaluate::evaluate(options.profile, &policies, &request.tree))
    }

    fn examples() -> &'static [Example] {
        examples::EXAMPLES
    }

    // Replaced by the provider's `Code` enum (issue 8): until then the registry is empty and
    // `cargo xtask tidy` has nothing to check.
    fn codes() -> &'static [CodeInfo] {
        &[]
    }
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
    let parsed = iamlab_model::json::parse_json(text);
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
