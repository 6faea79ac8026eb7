//! JSON tree → Scaleway policy tree with spans, and the schema findings met on the way.
//!
//! Two shapes are read (sources: `../shared/seeds/scaleway-iam-openapi-flattened.txt`,
//! `scaleway.iam.v1alpha1.Policy`, `Rule`, `RuleSpecs`, CreatePolicy, ListRules, SetRules):
//! - a policy with inline `rules` (the CreatePolicy body; rules as RuleSpecs or as ListRules
//!   returns them);
//! - the API's split form `{"policy": <GetPolicy response>, "rules": [<Rule>…]}` (GetPolicy
//!   returns only counts; the rules come from `GET /iam/v1alpha1/rules?policy_id=`), where
//!   `total_count` of the ListRules response may be kept.
//!
//! Conditions are compiled here, once, with the Scaleway CEL dialect: syntax errors are read
//! errors (the API validates condition syntax and rejects the policy), type findings are left
//! to `validate`.

use super::Code;
use crate::cel_rules::{compile, CompiledExpression};
use crate::schema::{child_pointer, finding, missing_field, unknown_field, wrong_type, SchemaCodes};
use iamlab_cel::Dialect;
use iamlab_model::json::{decoded_span_to_source, JsonKind, JsonValue};
use iamlab_model::{Diagnostic, Severity, Span, Spanned};

/// CreatePolicy: "Name of the policy to create (max length is 64 characters)".
pub const NAME_MAX: usize = 64;
/// CreatePolicy: "Description of the policy to create (max length is 200 characters)".
pub const DESCRIPTION_MAX: usize = 200;
/// CreatePolicy: "Tags associated with the policy (maximum of 10 tags)".
pub const TAGS_MAX: usize = 10;

pub const CODES: SchemaCodes = SchemaCodes {
    wrong_type: Code::WrongType.as_str(),
    missing_field: Code::MissingField.as_str(),
    unknown_field: Code::UnknownField.as_str(),
    unknown_field_severity: Severity::Warning,
    invalid_value: Code::InvalidValue.as_str(),
};

/// A policy's keys in their documented order: the `x-properties-order` of
/// `scaleway.iam.v1alpha1.Policy`, with `rules` after `organization_id`, where the CreatePolicy
/// quickstart writes it. The one list: the reader's "did you mean" and `iamlab fmt`'s key order
/// (`authoring::format`) both read it.
pub const POLICY_KEYS: [&str; 18] = [
    "id",
    "name",
    "description",
    "organization_id",
    "rules",
    "created_at",
    "updated_at",
    "editable",
    "deletable",
    "managed",
    "nb_rules",
    "nb_scopes",
    "nb_permission_sets",
    "tags",
    "user_id",
    "group_id",
    "application_id",
    "no_principal",
];
/// The split form's keys: the GetPolicy response, then the ListRules response's.
pub const SPLIT_KEYS: [&str; 3] = ["policy", "rules", "total_count"];
/// A rule's keys in the `x-properties-order` of `scaleway.iam.v1alpha1.Rule`.
pub const RULE_KEYS: [&str; 7] = [
    "id",
    "permission_set_names",
    "permission_sets_scope_type",
    "condition",
    "project_ids",
    "organization_id",
    "account_root_user_id",
];

/// How the document was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A policy object with its `rules` inside.
    Inline,
    /// `{"policy": …, "rules": […]}`, as GetPolicy and ListRules return them.
    Split,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User(String),
    Group(String),
    Application(String),
    NoPrincipal,
}

impl Principal {
    pub fn describe(&self) -> String {
        match self {
            Principal::User(id) => format!("user `{id}`"),
            Principal::Group(id) => format!("group `{id}`"),
            Principal::Application(id) => format!("application `{id}`"),
            Principal::NoPrincipal => "no principal".to_owned(),
        }
    }
}

/// A rule's scope (x-one-of `scope`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Projects(Vec<Spanned<String>>),
    Organization(String),
    /// Only on Scaleway-managed rules: RuleSpecs cannot set it.
    AccountRootUser(String),
}

/// A rule's condition: the decoded text, the span of the JSON string (quotes included) and the
/// expression compiled once.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub text: String,
    pub literal_span: Span,
    pub compiled: CompiledExpression,
}

impl Condition {
    /// A span inside the decoded condition mapped onto the document's characters.
    pub fn to_source(&self, source: &str, span: Span) -> Span {
        decoded_span_to_source(source, self.literal_span, span)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub index: usize,
    pub span: Span,
    pub pointer: String,
    pub permission_sets: Vec<Spanned<String>>,
    pub permission_sets_span: Option<Span>,
    /// `None` for an absent or empty condition ("" is how the API returns "no condition").
    pub condition: Option<Condition>,
    pub scope: Option<Spanned<Scope>>,
    /// The API's echo `permission_sets_scope_type`, when the rule was pasted from ListRules.
    pub echoed_scope_type: Option<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub span: Span,
    pub form: Form,
    /// The pointer of the policy object (`""` inline, `/policy` in the split form).
    pub pointer: String,
    pub name: Option<Spanned<String>>,
    pub organization_id: Option<Spanned<String>>,
    /// The one principal; `None` when there is none or several (both are errors).
    pub principal: Option<Spanned<Principal>>,
    pub rules: Vec<Rule>,
}

/// Reads the top-level value as a policy; findings go to `diagnostics`.
pub fn read_policy_document(source: &str, root: &JsonValue, diagnostics: &mut Vec<Diagnostic>) -> Option<Policy> {
    let Some(members) = root.as_object() else {
        diagnostics.push(finding(
            Code::WrongType.as_str(),
            Severity::Error,
            format!("a Scaleway policy must be an object, found {}", root.kind_name()),
            root.span,
            "",
            "write `{\"name\": …, \"user_id\": …, \"rules\": [{\"permission_set_names\": […], \"project_ids\": […]}]}`",
        ));
        return None;
    };
    let split = root.get("policy").is_some_and(|policy| matches!(policy.kind, JsonKind::Object(_)));
    if !split {
        let mut policy = read_policy_object(root, "", Form::Inline, diagnostics)?;
        if let Some(rules) = root.get("rules") {
            policy.rules = read_rules(source, rules, "/rules", diagnostics);
        }
        return Some(policy);
    }
    let mut policy = None;
    let mut rules = Vec::new();
    let mut total_count = None;
    for member in members {
        let pointer = child_pointer("", &member.key);
        match member.key.as_ref() {
            "policy" => policy = read_policy_object(&member.value, &pointer, Form::Split, diagnostics),
            "rules" => rules = read_rules(source, &member.value, &pointer, diagnostics),
            "total_count" => match member.value.as_number().and_then(|number| number.as_u64()) {
                Some(count) => total_count = Some(Spanned::new(count, member.value.span)),
                None => diagnostics.push(wrong_type(&CODES, &member.value, &pointer, "total_count", "integer")),
            },
            _ => diagnostics.push(unknown_field(&CODES, member, &pointer, "split policy", &SPLIT_KEYS)),
        }
    }
    let mut policy = policy?;
    if let Some(count) = total_count {
        let given = u64::try_from(rules.len()).unwrap_or(u64::MAX);
        if count.value != given {
            diagnostics.push(finding(
                Code::CountMismatch.as_str(),
                Severity::Warning,
                format!("`total_count` is {} but {}", count.value, rules_given(rules.len())),
                count.span,
                "/total_count",
                "paste every page of `GET /iam/v1alpha1/rules?policy_id=…` (page_size up to 100)",
            ));
        }
    }
    if let Some(inline) = root.get("policy").and_then(|object| object.get("rules")) {
        diagnostics.push(finding(
            Code::UnknownField.as_str(),
            Severity::Warning,
            "the split form takes its rules from the top-level `rules`: these are ignored",
            inline.span,
            "/policy/rules",
            "move the rules next to `policy`, or drop the `policy` wrapper",
        ));
    }
    policy.rules = rules;
    check_rule_count(root, &policy, diagnostics);
    Some(policy)
}

/// The optional value of `key`, with `null` read as absent (the API writes `null` for the
/// members of an x-one-of that are not set).
fn present<'value, 'text>(object: &'value JsonValue<'text>, key: &str) -> Option<&'value JsonValue<'text>> {
    object.get(key).filter(|value| !matches!(value.kind, JsonKind::Null))
}

fn read_string(
    object: &JsonValue,
    key: &str,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<String>> {
    let value = present(object, key)?;
    match value.as_str() {
        Some(text) => Some(Spanned::new(text.to_owned(), value.span)),
        None => {
            diagnostics.push(wrong_type(&CODES, value, &child_pointer(pointer, key), key, "string"));
            None
        }
    }
}

fn read_policy_object(
    object: &JsonValue,
    pointer: &str,
    form: Form,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Policy> {
    let Some(members) = object.as_object() else {
        diagnostics.push(wrong_type(&CODES, object, pointer, "policy", "object"));
        return None;
    };
    for member in members {
        let key = member.key.as_ref();
        let member_pointer = child_pointer(pointer, key);
        let value = &member.value;
        if matches!(value.kind, JsonKind::Null) {
            continue;
        }
        match key {
            "id" | "created_at" | "updated_at" | "description" | "name" | "organization_id" | "user_id"
            | "group_id" | "application_id" => {
                if value.as_str().is_none() {
                    diagnostics.push(wrong_type(&CODES, value, &member_pointer, key, "string"));
                }
            }
            "editable" | "deletable" | "managed" | "no_principal" => {
                if value.as_bool().is_none() {
                    diagnostics.push(wrong_type(&CODES, value, &member_pointer, key, "boolean"));
                }
            }
            "nb_rules" | "nb_scopes" | "nb_permission_sets" => {
                if value.as_number().and_then(|number| number.as_u64()).is_none() {
                    diagnostics.push(wrong_type(&CODES, value, &member_pointer, key, "integer"));
                }
            }
            "tags" => check_tags(value, &member_pointer, diagnostics),
            // Inline rules are read by the caller; in the split form they are reported there.
            "rules" => {}
            _ => diagnostics.push(unknown_field(&CODES, member, &member_pointer, "policy", &POLICY_KEYS)),
        }
    }
    let name = read_string(object, "name", pointer, diagnostics);
    match &name {
        None if present(object, "name").is_none() => diagnostics.push(missing_field(
            &CODES,
            object,
            pointer,
            "name",
            "policy",
            "CreatePolicy requires `name` (at most 64 characters)",
        )),
        Some(name) if name.value.trim().is_empty() => diagnostics.push(finding(
            Code::MissingField.as_str(),
            Severity::Error,
            "the policy's `name` is empty",
            name.span,
            &child_pointer(pointer, "name"),
            "CreatePolicy requires a `name`",
        )),
        Some(name) if name.value.chars().count() > NAME_MAX => diagnostics.push(finding(
            Code::NameTooLong.as_str(),
            Severity::Error,
            format!("the policy's `name` has {} characters, more than {NAME_MAX}", name.value.chars().count()),
            name.span,
            &child_pointer(pointer, "name"),
            "CreatePolicy: \"max length is 64 characters\"",
        )),
        _ => {}
    }
    if let Some(description) = read_string(object, "description", pointer, &mut Vec::new()) {
        let length = description.value.chars().count();
        if length > DESCRIPTION_MAX {
            diagnostics.push(finding(
                Code::DescriptionTooLong.as_str(),
                Severity::Error,
                format!("the policy's `description` has {length} characters, more than {DESCRIPTION_MAX}"),
                description.span,
                &child_pointer(pointer, "description"),
                "CreatePolicy: \"max length is 200 characters\"",
            ));
        }
    }
    let organization_id = read_string(object, "organization_id", pointer, &mut Vec::new());
    let principal = read_principal(object, pointer, diagnostics);
    Some(Policy {
        span: object.span,
        form,
        pointer: pointer.to_owned(),
        name,
        organization_id,
        principal,
        rules: Vec::new(),
    })
}

fn check_tags(value: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(tags) = value.as_array() else {
        diagnostics.push(wrong_type(&CODES, value, pointer, "tags", "array"));
        return;
    };
    for (index, tag) in tags.iter().enumerate() {
        if tag.as_str().is_none() {
            diagnostics.push(wrong_type(&CODES, tag, &format!("{pointer}/{index}"), "tags[]", "string"));
        }
    }
    if tags.len() > TAGS_MAX {
        diagnostics.push(finding(
            Code::TooManyTags.as_str(),
            Severity::Error,
            format!("the policy has {} tags, more than {TAGS_MAX}", tags.len()),
            value.span,
            pointer,
            "CreatePolicy: \"maximum of 10 tags\"",
        ));
    }
}

/// Exactly one of `user_id`, `group_id`, `application_id`, `no_principal: true` (x-one-of
/// `principal`).
fn read_principal(object: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<Principal>> {
    let mut found: Vec<(&str, Spanned<Principal>)> = Vec::new();
    for key in ["user_id", "group_id", "application_id"] {
        let Some(value) = present(object, key) else { continue };
        let Some(id) = value.as_str() else { continue };
        let principal = match key {
            "user_id" => Principal::User(id.to_owned()),
            "group_id" => Principal::Group(id.to_owned()),
            _ => Principal::Application(id.to_owned()),
        };
        found.push((key, Spanned::new(principal, value.span)));
    }
    if let Some(value) = present(object, "no_principal") {
        if value.as_bool() == Some(true) {
            found.push(("no_principal", Spanned::new(Principal::NoPrincipal, value.span)));
        }
    }
    match found.as_slice() {
        [(_, only)] => Some(only.clone()),
        [] => {
            diagnostics.push(finding(
                Code::MissingPrincipal.as_str(),
                Severity::Error,
                "the policy has no principal",
                object.opening_span(),
                pointer,
                "set exactly one of `user_id`, `group_id`, `application_id`, or `\"no_principal\": true`",
            ));
            None
        }
        [_, rest @ ..] => {
            for (key, extra) in rest {
                diagnostics.push(finding(
                    Code::SeveralPrincipals.as_str(),
                    Severity::Error,
                    format!("a policy has exactly one principal, and this one also names {}", extra.value.describe()),
                    extra.span,
                    &child_pointer(pointer, key),
                    "keep one of `user_id`, `group_id`, `application_id`, `no_principal`: write one policy per principal",
                ));
            }
            None
        }
    }
}

/// "1 rule is given", "3 rules are given".
fn rules_given(count: usize) -> String {
    if count == 1 {
        "1 rule is given".to_owned()
    } else {
        format!("{count} rules are given")
    }
}

/// Warns when the policy's `nb_rules` (split form) differs from the rules given.
fn check_rule_count(root: &JsonValue, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    if policy.form != Form::Split {
        return;
    }
    let Some(count) = root.pointer("/policy/nb_rules") else { return };
    let Some(value) = count.as_number().and_then(|number| number.as_u64()) else { return };
    if value != u64::try_from(policy.rules.len()).unwrap_or(u64::MAX) {
        diagnostics.push(finding(
            Code::CountMismatch.as_str(),
            Severity::Warning,
            format!("the policy says `nb_rules` {value} but {}", rules_given(policy.rules.len())),
            count.span,
            "/policy/nb_rules",
            "the simulation uses only the rules given: paste every rule of `GET /iam/v1alpha1/rules?policy_id=…`",
        ));
    }
}

fn read_rules(source: &str, value: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Rule> {
    if matches!(value.kind, JsonKind::Null) {
        return Vec::new();
    }
    let Some(items) = value.as_array() else {
        diagnostics.push(wrong_type(&CODES, value, pointer, "rules", "array"));
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| read_rule(source, item, index, &format!("{pointer}/{index}"), diagnostics))
        .collect()
}

fn read_rule(
    source: &str,
    object: &JsonValue,
    index: usize,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let Some(members) = object.as_object() else {
        diagnostics.push(wrong_type(&CODES, object, pointer, "rules[]", "object"));
        return None;
    };
    for member in members {
        if !RULE_KEYS.contains(&member.key.as_ref()) {
            diagnostics.push(unknown_field(&CODES, member, &child_pointer(pointer, &member.key), "rule", &RULE_KEYS));
        }
    }
    if let Some(id) = present(object, "id") {
        if id.as_str().is_none() {
            diagnostics.push(wrong_type(&CODES, id, &child_pointer(pointer, "id"), "id", "string"));
        }
    }
    let (permission_sets, permission_sets_span) = read_permission_sets(object, pointer, diagnostics);
    let condition = read_condition(source, object, pointer, diagnostics);
    let scope = read_scope(object, pointer, diagnostics);
    let echoed_scope_type = read_string(object, "permission_sets_scope_type", pointer, diagnostics);
    if let Some(echoed) = &echoed_scope_type {
        if !["projects", "organization", "account_root_user", "unknown_scope_type"].contains(&echoed.value.as_str()) {
            diagnostics.push(finding(
                Code::InvalidValue.as_str(),
                Severity::Error,
                format!("`{}` is not a valid `permission_sets_scope_type`", echoed.value),
                echoed.span,
                &child_pointer(pointer, "permission_sets_scope_type"),
                "the API writes `projects`, `organization`, `account_root_user` or `unknown_scope_type`",
            ));
        }
    }
    Some(Rule {
        index,
        span: object.span,
        pointer: pointer.to_owned(),
        permission_sets,
        permission_sets_span,
        condition,
        scope,
        echoed_scope_type,
    })
}

fn read_permission_sets(
    object: &JsonValue,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Spanned<String>>, Option<Span>) {
    // Pointers are built only for findings: most rules have none, and this runs per keystroke.
    let field_pointer = || child_pointer(pointer, "permission_set_names");
    let Some(value) = present(object, "permission_set_names") else {
        diagnostics.push(finding(
            Code::NoPermissionSet.as_str(),
            Severity::Error,
            "the rule has no `permission_set_names`",
            object.opening_span(),
            pointer,
            "a rule grants one or more permission sets, e.g. `\"permission_set_names\": [\"InstancesReadOnly\"]`",
        ));
        return (Vec::new(), None);
    };
    let Some(items) = value.as_array() else {
        diagnostics.push(wrong_type(&CODES, value, &field_pointer(), "permission_set_names", "array"));
        return (Vec::new(), Some(value.span));
    };
    let mut names = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(name) => names.push(Spanned::new(name.to_owned(), item.span)),
            None => diagnostics.push(wrong_type(
                &CODES,
                item,
                &format!("{}/{index}", field_pointer()),
                "permission_set_names[]",
                "string",
            )),
        }
    }
    if items.is_empty() {
        diagnostics.push(finding(
            Code::NoPermissionSet.as_str(),
            Severity::Error,
            "the rule's `permission_set_names` is empty",
            value.span,
            &field_pointer(),
            "a rule grants at least one permission set",
        ));
    }
    (names, Some(value.span))
}

fn read_condition(
    source: &str,
    object: &JsonValue,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Condition> {
    let value = present(object, "condition")?;
    let field_pointer = || child_pointer(pointer, "condition");
    let Some(text) = value.as_str() else {
        diagnostics.push(wrong_type(&CODES, value, &field_pointer(), "condition", "string"));
        return None;
    };
    // The API returns `"condition": ""` for a rule without condition (Terraform cassette
    // policy-condition.cassette.yaml).
    if text.trim().is_empty() {
        return None;
    }
    let compiled = compile(text, Dialect::Scaleway);
    let condition = Condition { text: text.to_owned(), literal_span: value.span, compiled };
    for diagnostic in condition.compiled.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()) {
        diagnostics
            .push(diagnostic.clone().map_spans(|span| condition.to_source(source, span)).with_path(field_pointer()));
    }
    Some(condition)
}

/// Exactly one of `project_ids`, `organization_id`, `account_root_user_id` (x-one-of `scope`).
fn read_scope(object: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<Scope>> {
    let mut found: Vec<(&str, Spanned<Scope>)> = Vec::new();
    if let Some(value) = present(object, "project_ids") {
        let field_pointer = || child_pointer(pointer, "project_ids");
        match value.as_array() {
            Some(items) => {
                let mut ids = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(id) => ids.push(Spanned::new(id.to_owned(), item.span)),
                        None => diagnostics.push(wrong_type(
                            &CODES,
                            item,
                            &format!("{}/{index}", field_pointer()),
                            "project_ids[]",
                            "string",
                        )),
                    }
                }
                if items.is_empty() {
                    diagnostics.push(finding(
                        Code::MissingScope.as_str(),
                        Severity::Error,
                        "the rule's `project_ids` is empty: it covers no Project",
                        value.span,
                        &field_pointer(),
                        "list the Projects, or use `organization_id` for all current and future Projects",
                    ));
                }
                found.push(("project_ids", Spanned::new(Scope::Projects(ids), value.span)));
            }
            None => diagnostics.push(wrong_type(&CODES, value, &field_pointer(), "project_ids", "array")),
        }
    }
    for key in ["organization_id", "account_root_user_id"] {
        let Some(value) = present(object, key) else { continue };
        match value.as_str() {
            Some(id) => {
                let scope = if key == "organization_id" {
                    Scope::Organization(id.to_owned())
                } else {
                    Scope::AccountRootUser(id.to_owned())
                };
                found.push((key, Spanned::new(scope, value.span)));
            }
            None => {
                let mut diagnostic = wrong_type(&CODES, value, &child_pointer(pointer, key), key, "string");
                if value.as_array().is_some() && key == "organization_id" {
                    diagnostic = diagnostic.with_help(
                        "a rule has one Organization: write `\"organization_id\": \"…\"`, or list Projects in `project_ids`",
                    );
                }
                diagnostics.push(diagnostic);
            }
        }
    }
    match found.as_slice() {
        [(_, only)] => Some(only.clone()),
        [] => {
            if !diagnostics.iter().any(|diagnostic| {
                diagnostic.path.as_deref().is_some_and(|path| path.starts_with(&format!("{pointer}/")))
                    && diagnostic.is_error()
            }) {
                diagnostics.push(finding(
                    Code::MissingScope.as_str(),
                    Severity::Error,
                    "the rule has no scope",
                    object.opening_span(),
                    pointer,
                    "add `project_ids` (some Projects) or `organization_id` (the Organization, or all current and future Projects)",
                ));
            }
            None
        }
        [(first, _), rest @ ..] => {
            for (key, extra) in rest {
                diagnostics.push(finding(
                    Code::SeveralScopes.as_str(),
                    Severity::Error,
                    format!("a rule has exactly one scope, but it has both `{first}` and `{key}`"),
                    extra.span,
                    &child_pointer(pointer, key),
                    "write one rule per scope",
                ));
            }
            None
        }
    }
}
