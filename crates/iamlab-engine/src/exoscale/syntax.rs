//! JSON tree → Exoscale role/policy syntax tree, keeping the span and JSON pointer of every
//! element, and the schema findings met on the way (wrong types, missing or unknown fields,
//! values outside an enum, role field limits).
//!
//! Sources: `../shared/seeds/exoscale-iam-role.txt` (create-iam-role, update-iam-role-policy),
//! `exoscale-update-user-role.txt` and the v2 OpenAPI spec (`iam-policy`, `iam-service-policy`,
//! `iam-service-policy-rule`).

use iamlab_model::json::{escape_pointer_segment, JsonKind, JsonMember, JsonValue};
use iamlab_model::{Diagnostic, Severity, Span};

/// Role `name` length limits on create (create-iam-role: 1–191).
pub const ROLE_NAME_MAX: usize = 191;
/// Role `description` length limits (1–255).
pub const ROLE_DESCRIPTION_MAX: usize = 255;
/// The values the spec allows in a role's `permissions`.
pub const ROLE_PERMISSIONS: [&str; 2] = ["bypass-governance-retention", "reset-iam-organization-policy"];

const ROLE_KEYS: [&str; 9] = [
    "name",
    "description",
    "editable",
    "labels",
    "permissions",
    "max-session-ttl",
    "policy",
    "assume-role-policy",
    "id",
];
const POLICY_KEYS: [&str; 2] = ["default-service-strategy", "services"];
const SERVICE_KEYS: [&str; 2] = ["type", "rules"];
const RULE_KEYS: [&str; 3] = ["action", "expression", "resources"];

pub use iamlab_model::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Allow,
    Deny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceType {
    Allow,
    Deny,
    Rules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Allow,
    Deny,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
        }
    }
}

/// What the top-level object of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A role object (`name`, `policy`, …).
    Role,
    /// A bare policy (`default-service-strategy`, `services`): a role policy or the
    /// organization policy, which have the same shape.
    Policy,
}

/// One read document: a role or a bare policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub kind: DocumentKind,
    pub span: Span,
    /// The policy that authorizes requests: the role's `policy`, or the bare policy.
    /// `None` for a role without `policy`.
    pub policy: Option<Policy>,
    /// A role's `assume-role-policy`: it governs who may assume the role, not what the role may
    /// do, so it is validated but never used to simulate a request.
    pub assume_role_policy: Option<Policy>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The JSON pointer of the policy object (`""` for a bare policy, `/policy` in a role).
    pub pointer: String,
    pub span: Span,
    pub default_strategy: Option<Spanned<Strategy>>,
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The service class: the key in `services`.
    pub class: String,
    pub key_span: Span,
    pub span: Span,
    pub pointer: String,
    pub service_type: Option<Spanned<ServiceType>>,
    pub rules: Vec<Rule>,
    /// The span of the `rules` value, when present.
    pub rules_span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub index: usize,
    pub span: Span,
    pub pointer: String,
    pub action: Option<Spanned<Action>>,
    pub expression: Option<Expression>,
    /// The span of the deprecated `resources` member (key to value), when present.
    pub resources_span: Option<Span>,
}

/// A rule's CEL expression: the decoded text and the span of the JSON string literal (quotes
/// included), to map offsets in the text back to the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    pub text: String,
    pub literal_span: Span,
}

impl Policy {
    pub fn service(&self, class: &str) -> Option<&Service> {
        // The last one wins for duplicated keys (the JSON reader reports the duplicate).
        self.services.iter().rev().find(|service| service.class == class)
    }
}

/// Builds a diagnostic at `span` with a JSON pointer.
pub fn finding(
    code: &str,
    severity: Severity,
    message: impl Into<String>,
    span: Span,
    pointer: &str,
    help: impl Into<String>,
) -> Diagnostic {
    let help = help.into();
    let diagnostic = Diagnostic::new(code, severity, message).with_primary(span, "").with_path(pointer.to_owned());
    if help.is_empty() {
        diagnostic
    } else {
        diagnostic.with_help(help)
    }
}

fn child_pointer(parent: &str, segment: &str) -> String {
    format!("{parent}/{}", escape_pointer_segment(segment))
}

/// Reads the top-level value as a role or a bare policy; findings go to `diagnostics`.
pub fn read_document(root: &JsonValue, diagnostics: &mut Vec<Diagnostic>) -> Option<Document> {
    let Some(members) = root.as_object() else {
        diagnostics.push(finding(
            "exoscale::invalid-type",
            Severity::Error,
            format!("expected a role or policy object, found {}", root.kind_name()),
            root.span,
            "",
            "write a role (`{\"name\": …, \"policy\": {…}}`) or a policy (`{\"default-service-strategy\": …, \"services\": {…}}`)",
        ));
        return None;
    };
    let is_role = members.iter().any(|member| ROLE_KEYS.contains(&member.key.as_str()))
        && !members.iter().any(|member| POLICY_KEYS.contains(&member.key.as_str()));
    if is_role {
        Some(read_role(root, members, diagnostics))
    } else {
        let policy = read_policy(root, "", diagnostics);
        Some(Document { kind: DocumentKind::Policy, span: root.span, policy, assume_role_policy: None })
    }
}

fn read_role(root: &JsonValue, members: &[JsonMember], diagnostics: &mut Vec<Diagnostic>) -> Document {
    let mut policy = None;
    let mut assume_role_policy = None;
    let mut permissions_seen: Vec<&str> = Vec::new();
    for member in members {
        let pointer = child_pointer("", &member.key);
        let value = &member.value;
        match member.key.as_str() {
            "name" => check_string_length(value, &pointer, "name", ROLE_NAME_MAX, diagnostics),
            "description" => check_string_length(value, &pointer, "description", ROLE_DESCRIPTION_MAX, diagnostics),
            "editable" => expect_kind(value, &pointer, "editable", "boolean", diagnostics),
            "id" => expect_kind(value, &pointer, "id", "string", diagnostics),
            "labels" => check_labels(value, &pointer, diagnostics),
            "permissions" => check_permissions(value, &pointer, &mut permissions_seen, diagnostics),
            "max-session-ttl" => check_session_ttl(value, &pointer, diagnostics),
            "policy" => policy = read_policy(value, &pointer, diagnostics),
            "assume-role-policy" => {
                assume_role_policy = read_policy(value, &pointer, diagnostics);
            }
            _ => diagnostics.push(unknown_field(member, &pointer, "role", &ROLE_KEYS)),
        }
    }
    if root.get("name").is_none() {
        diagnostics.push(missing_field(root.span, "", "name", "role", "a role needs a `name` (1–191 characters)"));
    }
    if root.get("policy").is_none() {
        diagnostics.push(finding(
            "exoscale::missing-policy",
            Severity::Info,
            "this role has no `policy`: the API then gives it one that allows everything",
            Span::new(root.span.start, root.span.start.saturating_add(1).min(root.span.end)),
            "",
            "write the policy to make the role's reach visible, e.g. `\"policy\": {\"default-service-strategy\": \"deny\", \"services\": {}}`",
        ));
    }
    Document { kind: DocumentKind::Role, span: root.span, policy, assume_role_policy }
}

fn read_policy(value: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Policy> {
    let Some(members) = value.as_object() else {
        diagnostics.push(wrong_type(value, pointer, "policy", "object"));
        return None;
    };
    let mut policy =
        Policy { pointer: pointer.to_owned(), span: value.span, default_strategy: None, services: Vec::new() };
    for member in members {
        let member_pointer = child_pointer(pointer, &member.key);
        match member.key.as_str() {
            "default-service-strategy" => {
                policy.default_strategy = read_enum(
                    &member.value,
                    &member_pointer,
                    "default-service-strategy",
                    &["allow", "deny"],
                    diagnostics,
                )
                .map(|(index, span)| Spanned {
                    value: if index == 0 { Strategy::Allow } else { Strategy::Deny },
                    span,
                });
            }
            "services" => read_services(&member.value, &member_pointer, &mut policy.services, diagnostics),
            _ => diagnostics.push(unknown_field(member, &member_pointer, "policy", &POLICY_KEYS)),
        }
    }
    if value.get("default-service-strategy").is_none() {
        diagnostics.push(missing_field(
            value.span,
            pointer,
            "default-service-strategy",
            "policy",
            "add `\"default-service-strategy\": \"deny\"` (or `\"allow\"`): it decides for every service class the `services` map does not list",
        ));
    }
    if value.get("services").is_none() {
        diagnostics.push(missing_field(
            value.span,
            pointer,
            "services",
            "policy",
            "add `\"services\": {}` (it may be empty)",
        ));
    }
    Some(policy)
}

fn read_services(value: &JsonValue, pointer: &str, services: &mut Vec<Service>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(members) = value.as_object() else {
        diagnostics.push(wrong_type(value, pointer, "services", "object"));
        return;
    };
    for member in members {
        let service_pointer = child_pointer(pointer, &member.key);
        if let Some(service) = read_service(member, &service_pointer, diagnostics) {
            services.push(service);
        }
    }
}

fn read_service(member: &JsonMember, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Service> {
    let value = &member.value;
    let Some(members) = value.as_object() else {
        diagnostics.push(wrong_type(value, pointer, &format!("services.{}", member.key), "object"));
        return None;
    };
    let mut service = Service {
        class: member.key.clone(),
        key_span: member.key_span,
        span: value.span,
        pointer: pointer.to_owned(),
        service_type: None,
        rules: Vec::new(),
        rules_span: None,
    };
    for field in members {
        let field_pointer = child_pointer(pointer, &field.key);
        match field.key.as_str() {
            "type" => {
                service.service_type =
                    read_enum(&field.value, &field_pointer, "type", &["allow", "deny", "rules"], diagnostics).map(
                        |(index, span)| Spanned {
                            value: match index {
                                0 => ServiceType::Allow,
                                1 => ServiceType::Deny,
                                _ => ServiceType::Rules,
                            },
                            span,
                        },
                    );
            }
            "rules" => {
                service.rules_span = Some(field.value.span);
                match field.value.as_array() {
                    Some(items) => {
                        for (index, item) in items.iter().enumerate() {
                            let rule_pointer = format!("{field_pointer}/{index}");
                            if let Some(rule) = read_rule(item, index, &rule_pointer, diagnostics) {
                                service.rules.push(rule);
                            }
                        }
                    }
                    None => diagnostics.push(wrong_type(&field.value, &field_pointer, "rules", "array")),
                }
            }
            _ => diagnostics.push(unknown_field(field, &field_pointer, "service", &SERVICE_KEYS)),
        }
    }
    let rules_value = value.get("rules");
    let has_rules = rules_value.and_then(JsonValue::as_array).is_some_and(|items| !items.is_empty());
    match service.service_type.map(|spanned| spanned.value) {
        Some(ServiceType::Rules) if !has_rules => diagnostics.push(finding(
            "exoscale::empty-rules",
            Severity::Error,
            format!("service `{}` has type `rules` but no rules", member.key),
            rules_value.map_or(member.key_span, |rules| rules.span),
            pointer,
            "add at least one `{\"action\": …, \"expression\": …}` rule, or use `\"type\": \"allow\"` or `\"deny\"`",
        )),
        Some(ServiceType::Allow | ServiceType::Deny) if rules_value.is_some() => {
            let type_name = if service.service_type.map(|spanned| spanned.value) == Some(ServiceType::Allow) {
                "allow"
            } else {
                "deny"
            };
            diagnostics.push(finding(
                "exoscale::unexpected-rules",
                Severity::Error,
                format!("service `{}` has type `{type_name}`, so its `rules` are never evaluated", member.key),
                value.member("rules").map_or(member.key_span, |rules| rules.key_span.cover(rules.value.span)),
                &child_pointer(pointer, "rules"),
                "use `\"type\": \"rules\"` to evaluate the rules, or remove them",
            ));
        }
        None if value.get("type").is_none() => diagnostics.push(missing_field(
            member.key_span,
            pointer,
            "type",
            &format!("service `{}`", member.key),
            "add `\"type\": \"allow\"`, `\"deny\"` or `\"rules\"`",
        )),
        _ => {}
    }
    Some(service)
}

fn read_rule(value: &JsonValue, index: usize, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Rule> {
    let Some(members) = value.as_object() else {
        diagnostics.push(wrong_type(value, pointer, &format!("rules[{index}]"), "object"));
        return None;
    };
    let mut rule = Rule {
        index,
        span: value.span,
        pointer: pointer.to_owned(),
        action: None,
        expression: None,
        resources_span: None,
    };
    for member in members {
        let member_pointer = child_pointer(pointer, &member.key);
        match member.key.as_str() {
            "action" => {
                rule.action = read_enum(&member.value, &member_pointer, "action", &["allow", "deny"], diagnostics).map(
                    |(choice, span)| Spanned { value: if choice == 0 { Action::Allow } else { Action::Deny }, span },
                );
            }
            "expression" => match member.value.as_str() {
                Some(text) => {
                    if text.trim().is_empty() {
                        diagnostics.push(finding(
                            "exoscale::empty-expression",
                            Severity::Error,
                            "the rule's expression is empty",
                            member.value.span,
                            &member_pointer,
                            "write a CEL expression; `\"true\"` matches every request",
                        ));
                    }
                    rule.expression = Some(Expression { text: text.to_owned(), literal_span: member.value.span });
                }
                None => diagnostics.push(wrong_type(&member.value, &member_pointer, "expression", "string")),
            },
            "resources" => {
                rule.resources_span = Some(member.key_span.cover(member.value.span));
                if !matches!(member.value.kind, JsonKind::Array(_)) {
                    diagnostics.push(wrong_type(&member.value, &member_pointer, "resources", "array"));
                }
            }
            _ => diagnostics.push(unknown_field(member, &member_pointer, "rule", &RULE_KEYS)),
        }
    }
    if value.get("action").is_none() {
        diagnostics.push(missing_field(
            value.span,
            pointer,
            "action",
            "rule",
            "add `\"action\": \"allow\"` or `\"deny\"`",
        ));
    }
    if value.get("expression").is_none() {
        diagnostics.push(missing_field(
            value.span,
            pointer,
            "expression",
            "rule",
            "add an `\"expression\"`; `\"true\"` matches every request",
        ));
    }
    Some(rule)
}

/// Reads a string that must be one of `allowed`; returns its index.
fn read_enum(
    value: &JsonValue,
    pointer: &str,
    field: &str,
    allowed: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(usize, Span)> {
    let Some(text) = value.as_str() else {
        diagnostics.push(wrong_type(value, pointer, field, "string"));
        return None;
    };
    if let Some(index) = allowed.iter().position(|candidate| *candidate == text) {
        return Some((index, value.span));
    }
    let quoted: Vec<String> = allowed.iter().map(|candidate| format!("`{candidate}`")).collect();
    let mut help = format!("use one of {}", quoted.join(", "));
    if let Some(candidate) = allowed.iter().find(|candidate| candidate.eq_ignore_ascii_case(text.trim())) {
        help = format!("values are case-sensitive: write `{candidate}`");
    }
    diagnostics.push(finding(
        "exoscale::invalid-value",
        Severity::Error,
        format!("`{text}` is not a valid `{field}`"),
        value.span,
        pointer,
        help,
    ));
    None
}

fn expect_kind(value: &JsonValue, pointer: &str, field: &str, kind: &str, diagnostics: &mut Vec<Diagnostic>) {
    if value.kind_name() != kind {
        diagnostics.push(wrong_type(value, pointer, field, kind));
    }
}

fn check_string_length(value: &JsonValue, pointer: &str, field: &str, max: usize, diagnostics: &mut Vec<Diagnostic>) {
    let Some(text) = value.as_str() else {
        diagnostics.push(wrong_type(value, pointer, field, "string"));
        return;
    };
    let length = text.chars().count();
    if length == 0 || length > max {
        diagnostics.push(finding(
            "exoscale::invalid-length",
            Severity::Error,
            format!("the role `{field}` must be 1 to {max} characters long, this one has {length}"),
            value.span,
            pointer,
            format!("the API rejects a `{field}` outside 1–{max} characters"),
        ));
    }
}

fn check_labels(value: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(members) = value.as_object() else {
        diagnostics.push(wrong_type(value, pointer, "labels", "object"));
        return;
    };
    for member in members {
        if member.value.as_str().is_none() {
            diagnostics.push(wrong_type(&member.value, &child_pointer(pointer, &member.key), "label value", "string"));
        }
    }
}

fn check_permissions<'value>(
    value: &'value JsonValue,
    pointer: &str,
    seen: &mut Vec<&'value str>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(items) = value.as_array() else {
        diagnostics.push(wrong_type(value, pointer, "permissions", "array"));
        return;
    };
    for (index, item) in items.iter().enumerate() {
        let item_pointer = format!("{pointer}/{index}");
        let Some(text) = item.as_str() else {
            diagnostics.push(wrong_type(item, &item_pointer, "permission", "string"));
            continue;
        };
        if !ROLE_PERMISSIONS.contains(&text) {
            diagnostics.push(finding(
                "exoscale::invalid-permission",
                Severity::Error,
                format!("`{text}` is not a role permission"),
                item.span,
                &item_pointer,
                "role permissions are `bypass-governance-retention` and `reset-iam-organization-policy`; service access belongs in `policy`",
            ));
        } else if seen.contains(&text) {
            diagnostics.push(finding(
                "exoscale::duplicate-permission",
                Severity::Error,
                format!("permission `{text}` is listed twice"),
                item.span,
                &item_pointer,
                "list each permission once",
            ));
        } else {
            seen.push(text);
        }
    }
}

fn check_session_ttl(value: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(number) = value.as_number() else {
        diagnostics.push(wrong_type(value, pointer, "max-session-ttl", "integer"));
        return;
    };
    let positive = number.is_integer() && number.as_i64().is_some_and(|ttl| ttl > 0);
    if !positive {
        diagnostics.push(finding(
            "exoscale::invalid-session-ttl",
            Severity::Error,
            format!("`max-session-ttl` must be a positive whole number of seconds, found `{}`", number.raw),
            value.span,
            pointer,
            "write a number of seconds greater than 0, or leave the field out",
        ));
    }
}

fn wrong_type(value: &JsonValue, pointer: &str, field: &str, expected: &str) -> Diagnostic {
    let article = if expected.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    finding(
        "exoscale::invalid-type",
        Severity::Error,
        format!("`{field}` must be {article} {expected}, found {}", value.kind_name()),
        value.span,
        pointer,
        "",
    )
}

fn missing_field(span: Span, pointer: &str, field: &str, owner: &str, help: &str) -> Diagnostic {
    finding(
        "exoscale::missing-field",
        Severity::Error,
        format!("the {owner} has no `{field}`"),
        // Underline the opening brace only, not the whole object.
        Span::new(span.start, span.start.saturating_add(1).min(span.end)),
        pointer,
        help,
    )
}

fn unknown_field(member: &JsonMember, pointer: &str, owner: &str, known: &[&str]) -> Diagnostic {
    let suggestion = known.iter().find(|candidate| {
        candidate.replace('-', "_") == member.key.replace('-', "_").to_ascii_lowercase()
            || candidate.eq_ignore_ascii_case(&member.key)
    });
    let help = match suggestion {
        Some(candidate) => format!("did you mean `{candidate}`?"),
        None => {
            let names: Vec<String> = known.iter().filter(|key| **key != "id").map(|key| format!("`{key}`")).collect();
            format!("a {owner} has {}; the API ignores other fields", names.join(", "))
        }
    };
    finding(
        "exoscale::unknown-field",
        Severity::Warning,
        format!("unknown {owner} field `{}`", member.key),
        member.key_span,
        pointer,
        help,
    )
}
