//! JSON tree → Exoscale role/policy syntax tree, keeping the span and JSON pointer of every
//! element, and the schema findings met on the way (wrong types, missing or unknown fields,
//! values outside an enum, role field limits, through the shared `schema` helpers). Each rule's
//! expression is compiled here, once, with its lexical facts: validation, lints and evaluation
//! read what is stored in the tree and never parse the text again.
//!
//! Sources: `../shared/seeds/exoscale-iam-role.txt` (create-iam-role, update-iam-role-policy),
//! `exoscale-update-user-role.txt` and the v2 OpenAPI spec (`iam-policy`, `iam-service-policy`,
//! `iam-service-policy-rule`).

use super::codes::{Code, SCHEMA_CODES};
use crate::cel_rules::{self, CompiledExpression, SharedCompilation};
use crate::schema::{child_pointer, missing_field, read_enum, unknown_field, SchemaEnum};
use iamlab_cel::{Dialect, LexicalFacts};
use iamlab_model::json::{decoded_span_to_source, JsonKind, JsonMember, JsonValue};
use iamlab_model::{Diagnostic, Span};

/// Role `name` length limits on create (create-iam-role: 1–191).
pub const ROLE_NAME_MAX: usize = 191;
/// Role `description` length limits (1–255).
pub const ROLE_DESCRIPTION_MAX: usize = 255;
/// The values the spec allows in a role's `permissions`.
pub const ROLE_PERMISSIONS: [&str; 2] = ["bypass-governance-retention", "reset-iam-organization-policy"];

pub(crate) const ROLE_KEYS: [&str; 9] = [
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
pub(crate) const POLICY_KEYS: [&str; 2] = ["default-service-strategy", "services"];
pub(crate) const SERVICE_KEYS: [&str; 2] = ["type", "rules"];
pub(crate) const RULE_KEYS: [&str; 3] = ["action", "expression", "resources"];

pub use iamlab_model::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Allow,
    Deny,
}

impl SchemaEnum for Strategy {
    const VALUES: &'static [(&'static str, Strategy)] = &[("allow", Strategy::Allow), ("deny", Strategy::Deny)];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceType {
    Allow,
    Deny,
    Rules,
}

impl SchemaEnum for ServiceType {
    const VALUES: &'static [(&'static str, ServiceType)] =
        &[("allow", ServiceType::Allow), ("deny", ServiceType::Deny), ("rules", ServiceType::Rules)];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Allow,
    Deny,
}

impl SchemaEnum for Action {
    const VALUES: &'static [(&'static str, Action)] = &[("allow", Action::Allow), ("deny", Action::Deny)];
}

/// The spelling of a schema value, for messages.
pub fn spelling<T: SchemaEnum + PartialEq>(value: T) -> &'static str {
    T::VALUES.iter().find(|(_, candidate)| *candidate == value).map_or("?", |(text, _)| text)
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
    pub assume_role_policy: Option<AssumeRolePolicy>,
}

/// A role's `assume-role-policy`: a list of rules, `{"rules": [{"action", "expression"}]}`
/// (egoscale v3 `generator/source.yaml` schema `iam-assume-role-policy`, rules of the
/// `iam-service-policy-rule` schema), not a policy with services.
#[derive(Debug, Clone, PartialEq)]
pub struct AssumeRolePolicy {
    /// `/assume-role-policy`.
    pub pointer: String,
    pub span: Span,
    pub rules: Vec<Rule>,
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
    /// How a decision names it (`services.compute.rules[3]`), written once when it is read:
    /// every simulated request names every rule it reaches, and a grid simulates many.
    pub element: String,
    pub action: Option<Spanned<Action>>,
    pub expression: Option<Expression>,
    /// The span of the deprecated `resources` member (key to value), when present.
    pub resources_span: Option<Span>,
}

/// A rule's CEL expression: the decoded text and the span of the JSON string literal (quotes
/// included), to map offsets in the text back to the document; and what reading it once gave,
/// so that validation, lints and evaluation never parse or scan it again.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    pub text: String,
    pub literal_span: Span,
    /// Parsed and checked against the Exoscale declarations (spans relative to `text`), with
    /// the lexical facts from the same lexing pass; shared with every other reading of the same
    /// text (`cel_rules::compile_with_facts_shared`).
    compilation: SharedCompilation,
}

impl Expression {
    /// Reads the expression `text` of the JSON string at `literal_span`: one lexing pass gives
    /// its tree and its facts.
    pub fn compile(text: &str, literal_span: Span) -> Expression {
        let compilation = cel_rules::compile_with_facts_shared(text, Dialect::Exoscale);
        Expression { text: text.to_owned(), literal_span, compilation }
    }

    /// The tree and findings of the expression.
    pub fn compiled(&self) -> &CompiledExpression {
        &self.compilation.0
    }

    /// What one lexing pass found in the expression (`iamlab_cel::facts`).
    pub fn facts(&self) -> &LexicalFacts {
        &self.compilation.1
    }

    /// Maps a span inside the decoded expression text to the document `source`.
    pub fn span_in(&self, source: &str, span: Span) -> Span {
        decoded_span_to_source(source, self.literal_span, span)
    }
}

impl Policy {
    pub fn service(&self, class: &str) -> Option<&Service> {
        // The last one wins for duplicated keys (the JSON reader reports the duplicate).
        self.services.iter().rev().find(|service| service.class == class)
    }
}

/// Reads the top-level value as a role or a bare policy; findings go to `diagnostics`.
pub fn read_document(root: &JsonValue, diagnostics: &mut Vec<Diagnostic>) -> Option<Document> {
    let Some(members) = root.as_object() else {
        diagnostics.push(Code::InvalidType.finding(
            format!("expected a role or policy object, found {}", root.kind_name()),
            root.span,
            "",
            "write a role (`{\"name\": …, \"policy\": {…}}`) or a policy (`{\"default-service-strategy\": …, \"services\": {…}}`)",
        ));
        return None;
    };
    let is_role = members.iter().any(|member| ROLE_KEYS.contains(&member.key.as_ref()))
        && !members.iter().any(|member| POLICY_KEYS.contains(&member.key.as_ref()));
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
        match member.key.as_ref() {
            "name" => check_string_length(value, &pointer, "name", ROLE_NAME_MAX, diagnostics),
            "description" => check_string_length(value, &pointer, "description", ROLE_DESCRIPTION_MAX, diagnostics),
            "editable" => expect_kind(value, &pointer, "editable", "boolean", diagnostics),
            "id" => expect_kind(value, &pointer, "id", "string", diagnostics),
            "labels" => check_labels(value, &pointer, diagnostics),
            "permissions" => check_permissions(value, &pointer, &mut permissions_seen, diagnostics),
            "max-session-ttl" => check_session_ttl(value, &pointer, diagnostics),
            "policy" => policy = read_policy(value, &pointer, diagnostics),
            "assume-role-policy" => {
                assume_role_policy = read_assume_role_policy(value, &pointer, diagnostics);
            }
            _ => diagnostics.push(unknown_field(&SCHEMA_CODES, member, &pointer, "role", &ROLE_KEYS)),
        }
    }
    if root.get("name").is_none() {
        diagnostics.push(missing_field(
            &SCHEMA_CODES,
            root,
            "",
            "name",
            "role",
            "a role needs a `name` (1–191 characters)",
        ));
    }
    if root.get("policy").is_none() {
        diagnostics.push(Code::MissingPolicy.finding(
            "this role has no `policy`: the API then gives it one that allows everything",
            root.opening_span(),
            "",
            "write the policy to make the role's reach visible, e.g. `\"policy\": {\"default-service-strategy\": \"deny\", \"services\": {}}`",
        ));
    }
    Document { kind: DocumentKind::Role, span: root.span, policy, assume_role_policy }
}

/// Reads `{"rules": [...]}`. The schema requires nothing (an empty object is valid); the
/// policy form that `assume-role-policy` had before egoscale `90207b4d` (2026-06) gets a finding
/// that says what the field holds now.
fn read_assume_role_policy(
    value: &JsonValue,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<AssumeRolePolicy> {
    let Some(members) = value.as_object() else {
        diagnostics.push(wrong_type(value, pointer, "assume-role-policy", "object"));
        return None;
    };
    let mut policy = AssumeRolePolicy { pointer: pointer.to_owned(), span: value.span, rules: Vec::new() };
    for member in members {
        let member_pointer = child_pointer(pointer, &member.key);
        match member.key.as_ref() {
            "rules" => read_rule_list(&member.value, &member_pointer, "rules", &mut policy.rules, diagnostics),
            "default-service-strategy" | "services" => diagnostics.push(Code::UnknownField.finding(
                format!("`assume-role-policy` has no `{}`: it is a list of rules, not a policy", member.key),
                member.key_span,
                &member_pointer,
                "write `\"assume-role-policy\": {\"rules\": [{\"action\": \"allow\", \"expression\": …}]}` (the API's `iam-assume-role-policy` schema); the API ignores this field",
            )),
            _ => diagnostics.push(Code::UnknownField.finding(
                format!("unknown `assume-role-policy` field `{}`", member.key),
                member.key_span,
                &member_pointer,
                "`assume-role-policy` holds only `rules`; the API ignores other fields",
            )),
        }
    }
    Some(policy)
}

/// Reads a `rules` array, one rule per item; `element` is how a decision names the array.
fn read_rule_list(
    value: &JsonValue,
    pointer: &str,
    element: &str,
    rules: &mut Vec<Rule>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match value.as_array() {
        Some(items) => {
            for (index, item) in items.iter().enumerate() {
                let rule_pointer = format!("{pointer}/{index}");
                if let Some(rule) = read_rule(item, index, &rule_pointer, format!("{element}[{index}]"), diagnostics) {
                    rules.push(rule);
                }
            }
        }
        None => diagnostics.push(wrong_type(value, pointer, "rules", "array")),
    }
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
        match member.key.as_ref() {
            "default-service-strategy" => {
                policy.default_strategy = read_enum::<Strategy>(
                    &SCHEMA_CODES,
                    &member.value,
                    &member_pointer,
                    "default-service-strategy",
                    diagnostics,
                );
            }
            "services" => read_services(&member.value, &member_pointer, &mut policy.services, diagnostics),
            _ => diagnostics.push(unknown_field(&SCHEMA_CODES, member, &member_pointer, "policy", &POLICY_KEYS)),
        }
    }
    if value.get("default-service-strategy").is_none() {
        diagnostics.push(missing_field(
            &SCHEMA_CODES,
            value,
            pointer,
            "default-service-strategy",
            "policy",
            "add `\"default-service-strategy\": \"deny\"` (or `\"allow\"`): it decides for every service class the `services` map does not list",
        ));
    }
    if value.get("services").is_none() {
        diagnostics.push(missing_field(
            &SCHEMA_CODES,
            value,
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
        class: member.key.to_string(),
        key_span: member.key_span,
        span: value.span,
        pointer: pointer.to_owned(),
        service_type: None,
        rules: Vec::new(),
        rules_span: None,
    };
    for field in members {
        let field_pointer = child_pointer(pointer, &field.key);
        match field.key.as_ref() {
            "type" => {
                service.service_type =
                    read_enum::<ServiceType>(&SCHEMA_CODES, &field.value, &field_pointer, "type", diagnostics);
            }
            "rules" => {
                service.rules_span = Some(field.value.span);
                let element = format!("services.{}.rules", service.class);
                read_rule_list(&field.value, &field_pointer, &element, &mut service.rules, diagnostics);
            }
            _ => diagnostics.push(unknown_field(&SCHEMA_CODES, field, &field_pointer, "service", &SERVICE_KEYS)),
        }
    }
    let rules_value = value.get("rules");
    let has_rules = rules_value.and_then(JsonValue::as_array).is_some_and(|items| !items.is_empty());
    match service.service_type.map(|spanned| spanned.value) {
        Some(ServiceType::Rules) if !has_rules => diagnostics.push(Code::EmptyRules.finding(
            format!("service `{}` has type `rules` but no rules", member.key),
            rules_value.map_or(member.key_span, |rules| rules.span),
            pointer,
            "add at least one `{\"action\": …, \"expression\": …}` rule, or use `\"type\": \"allow\"` or `\"deny\"`",
        )),
        Some(service_type @ (ServiceType::Allow | ServiceType::Deny)) if rules_value.is_some() => {
            diagnostics.push(Code::UnexpectedRules.finding(
                format!(
                    "service `{}` has type `{}`, so its `rules` are never evaluated",
                    member.key,
                    spelling(service_type)
                ),
                value.member("rules").map_or(member.key_span, |rules| rules.key_span.cover(rules.value.span)),
                &child_pointer(pointer, "rules"),
                "use `\"type\": \"rules\"` to evaluate the rules, or remove them",
            ));
        }
        // Underlined at the service's key, not at its object's brace: the key names the service.
        None if value.get("type").is_none() => diagnostics.push(Code::MissingField.finding(
            format!("the service `{}` has no `type`", member.key),
            Span::new(member.key_span.start, member.key_span.start.saturating_add(1).min(member.key_span.end)),
            pointer,
            "add `\"type\": \"allow\"`, `\"deny\"` or `\"rules\"`",
        )),
        _ => {}
    }
    Some(service)
}

fn read_rule(
    value: &JsonValue,
    index: usize,
    pointer: &str,
    element: String,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let Some(members) = value.as_object() else {
        diagnostics.push(wrong_type(value, pointer, &format!("rules[{index}]"), "object"));
        return None;
    };
    let mut rule = Rule {
        index,
        span: value.span,
        pointer: pointer.to_owned(),
        element,
        action: None,
        expression: None,
        resources_span: None,
    };
    for member in members {
        let member_pointer = child_pointer(pointer, &member.key);
        match member.key.as_ref() {
            "action" => {
                rule.action = read_enum::<Action>(&SCHEMA_CODES, &member.value, &member_pointer, "action", diagnostics);
            }
            "expression" => match member.value.as_str() {
                Some(text) => {
                    if text.trim().is_empty() {
                        diagnostics.push(Code::EmptyExpression.finding(
                            "the rule's expression is empty",
                            member.value.span,
                            &member_pointer,
                            "write a CEL expression; `\"true\"` matches every request",
                        ));
                    }
                    rule.expression = Some(Expression::compile(text, member.value.span));
                }
                None => diagnostics.push(wrong_type(&member.value, &member_pointer, "expression", "string")),
            },
            "resources" => {
                rule.resources_span = Some(member.key_span.cover(member.value.span));
                if !matches!(member.value.kind, JsonKind::Array(_)) {
                    diagnostics.push(wrong_type(&member.value, &member_pointer, "resources", "array"));
                }
            }
            _ => diagnostics.push(unknown_field(&SCHEMA_CODES, member, &member_pointer, "rule", &RULE_KEYS)),
        }
    }
    if value.get("action").is_none() {
        diagnostics.push(missing_field(
            &SCHEMA_CODES,
            value,
            pointer,
            "action",
            "rule",
            "add `\"action\": \"allow\"` or `\"deny\"`",
        ));
    }
    if value.get("expression").is_none() {
        diagnostics.push(missing_field(
            &SCHEMA_CODES,
            value,
            pointer,
            "expression",
            "rule",
            "add an `\"expression\"`; `\"true\"` matches every request",
        ));
    }
    Some(rule)
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
        diagnostics.push(Code::InvalidLength.finding(
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
            diagnostics.push(Code::InvalidPermission.finding(
                                format!("`{text}` is not a role permission"),
                item.span,
                &item_pointer,
                "role permissions are `bypass-governance-retention` and `reset-iam-organization-policy`; service access belongs in `policy`",
            ));
        } else if seen.contains(&text) {
            diagnostics.push(Code::DuplicatePermission.finding(
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
        diagnostics.push(Code::InvalidSessionTtl.finding(
            format!("`max-session-ttl` must be a positive whole number of seconds, found `{}`", number.raw),
            value.span,
            pointer,
            "write a number of seconds greater than 0, or leave the field out",
        ));
    }
}

/// "`field` must be an object, found array", under Exoscale's code.
fn wrong_type(value: &JsonValue, pointer: &str, field: &str, expected: &str) -> Diagnostic {
    crate::schema::wrong_type(&SCHEMA_CODES, value, pointer, field, expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exoscale::test_support::{fixture, render_diagnostics};

    /// Reads `input`; renders what it was read as (with one line per rule: its action, its
    /// expression and how many CEL findings compiling it gave), then the findings.
    #[track_caller]
    fn check(input: &str, expect: &str) {
        let text = fixture(input);
        let parsed = iamlab_model::json::parse_json(text);
        let mut diagnostics = parsed.diagnostics;
        let document = parsed.value.as_ref().and_then(|root| read_document(root, &mut diagnostics));
        let mut rendered = match &document {
            None => "nothing read\n".to_owned(),
            Some(document) => {
                let mut rendered = format!("{:?}\n", document.kind);
                let policy_rules =
                    document.policy.iter().flat_map(|policy| &policy.services).flat_map(|service| &service.rules);
                let assume_rules = document.assume_role_policy.iter().flat_map(|policy| &policy.rules);
                for rule in policy_rules.chain(assume_rules) {
                    let action = rule.action.map_or("?", |action| spelling(action.value));
                    let (text, findings) = rule.expression.as_ref().map_or(("-", 0), |expression| {
                        (expression.text.as_str(), expression.compiled().diagnostics.len())
                    });
                    rendered.push_str(&format!("{} {action} `{text}` ({findings} CEL findings)\n", rule.pointer));
                }
                rendered
            }
        };
        rendered.push_str(&render_diagnostics(text, &diagnostics));
        assert_eq!(rendered, fixture(expect));
    }

    #[test]
    fn a_bare_policy_with_its_rules_compiled_once() {
        check(
            r#"
{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [
  {"action": "deny", "expression": "operation == 'delete-instance'"},
  {"action": "allow", "expression": "operation = 'x'"}
]}}}
"#,
            r#"
Policy
/services/compute/rules/0 deny `operation == 'delete-instance'` (0 CEL findings)
/services/compute/rules/1 allow `operation = 'x'` (1 CEL findings)
"#,
        );
    }

    #[test]
    fn enums_are_read_by_the_shared_reader() {
        check(
            r#"
{"default-service-strategy": "Deny", "services": {
  "compute": {"type": "rule", "rules": []},
  "dns": {"type": "rules", "rules": [{"action": "permit", "expression": "true"}]}
}}
"#,
            r#"
Policy
/services/dns/rules/0 ? `true` (0 CEL findings)
exoscale::invalid-value /default-service-strategy `"Deny"`: `Deny` is not a valid `default-service-strategy`
  help: values are case-sensitive: write `deny`
exoscale::invalid-value /services/compute/type `"rule"`: `rule` is not a valid `type`
  help: use one of `allow`, `deny`, `rules`
exoscale::invalid-value /services/dns/rules/0/action `"permit"`: `permit` is not a valid `action`
  help: use one of `allow`, `deny`
"#,
        );
    }

    #[test]
    fn missing_and_unknown_fields() {
        check(
            r#"
{"services": {"compute": {"rules": [{"expresion": "true"}]}}}
"#,
            r#"
Policy
/services/compute/rules/0 ? `-` (0 CEL findings)
exoscale::unknown-field /services/compute/rules/0/expresion `"expresion"`: unknown rule field `expresion`
  help: did you mean `expression`?
exoscale::missing-field /services/compute/rules/0 `{`: the rule has no `action`
  help: add `"action": "allow"` or `"deny"`
exoscale::missing-field /services/compute/rules/0 `{`: the rule has no `expression`
  help: add an `"expression"`; `"true"` matches every request
exoscale::missing-field /services/compute `"`: the service `compute` has no `type`
  help: add `"type": "allow"`, `"deny"` or `"rules"`
exoscale::missing-field / `{`: the policy has no `default-service-strategy`
  help: add `"default-service-strategy": "deny"` (or `"allow"`): it decides for every service class the `services` map does not list
"#,
        );
    }

    #[test]
    fn rules_and_types_must_agree() {
        check(
            r#"
{"default-service-strategy": "allow", "services": {
  "compute": {"type": "rules", "rules": []},
  "dns": {"type": "deny", "rules": [{"action": "allow", "expression": " "}]}
}}
"#,
            r#"
Policy
/services/dns/rules/0 allow ` ` (1 CEL findings)
exoscale::empty-rules /services/compute `[]`: service `compute` has type `rules` but no rules
  help: add at least one `{"action": …, "expression": …}` rule, or use `"type": "allow"` or `"deny"`
exoscale::empty-expression /services/dns/rules/0/expression `" "`: the rule's expression is empty
  help: write a CEL expression; `"true"` matches every request
exoscale::unexpected-rules /services/dns/rules `"rules": [{"action": "allow", "expressio…`: service `dns` has type `deny`, so its `rules` are never evaluated
  help: use `"type": "rules"` to evaluate the rules, or remove them
"#,
        );
    }

    #[test]
    fn role_fields() {
        check(
            r#"
{"description": "", "permissions": ["reset-iam-organization-policy", "reset-iam-organization-policy", "admin"],
 "max-session-ttl": 1.5, "labels": {"team": 1}, "colour": "red"}
"#,
            r#"
Role
exoscale::invalid-length /description `""`: the role `description` must be 1 to 255 characters long, this one has 0
  help: the API rejects a `description` outside 1–255 characters
exoscale::duplicate-permission /permissions/1 `"reset-iam-organization-policy"`: permission `reset-iam-organization-policy` is listed twice
  help: list each permission once
exoscale::invalid-permission /permissions/2 `"admin"`: `admin` is not a role permission
  help: role permissions are `bypass-governance-retention` and `reset-iam-organization-policy`; service access belongs in `policy`
exoscale::invalid-session-ttl /max-session-ttl `1.5`: `max-session-ttl` must be a positive whole number of seconds, found `1.5`
  help: write a number of seconds greater than 0, or leave the field out
exoscale::invalid-type /labels/team `1`: `label value` must be a string, found number
exoscale::unknown-field /colour `"colour"`: unknown role field `colour`
  help: a role has `name`, `description`, `editable`, `labels`, `permissions`, `max-session-ttl`, `policy`, `assume-role-policy`; the API ignores other fields
exoscale::missing-field / `{`: the role has no `name`
  help: a role needs a `name` (1–191 characters)
exoscale::missing-policy / `{`: this role has no `policy`: the API then gives it one that allows everything
  help: write the policy to make the role's reach visible, e.g. `"policy": {"default-service-strategy": "deny", "services": {}}`
"#,
        );
    }

    #[test]
    fn assume_role_policy_is_a_list_of_rules() {
        // egoscale v3 `generator/source.yaml` l.7720: `iam-assume-role-policy` is `{rules}`.
        check(
            r#"
{"name": "ci", "policy": {"default-service-strategy": "deny", "services": {}},
 "assume-role-policy": {"rules": [{"action": "allow", "expression": "true"}]}}
"#,
            r#"
Role
/assume-role-policy/rules/0 allow `true` (0 CEL findings)
"#,
        );
        // The policy form it had before egoscale 90207b4d, and rules that are not a list.
        check(
            r#"
{"name": "ci", "policy": {"default-service-strategy": "deny", "services": {}},
 "assume-role-policy": {"default-service-strategy": "deny", "services": {}, "rule": []}}
"#,
            r#"
Role
exoscale::unknown-field /assume-role-policy/default-service-strategy `"default-service-strategy"`: `assume-role-policy` has no `default-service-strategy`: it is a list of rules, not a policy
  help: write `"assume-role-policy": {"rules": [{"action": "allow", "expression": …}]}` (the API's `iam-assume-role-policy` schema); the API ignores this field
exoscale::unknown-field /assume-role-policy/services `"services"`: `assume-role-policy` has no `services`: it is a list of rules, not a policy
  help: write `"assume-role-policy": {"rules": [{"action": "allow", "expression": …}]}` (the API's `iam-assume-role-policy` schema); the API ignores this field
exoscale::unknown-field /assume-role-policy/rule `"rule"`: unknown `assume-role-policy` field `rule`
  help: `assume-role-policy` holds only `rules`; the API ignores other fields
"#,
        );
        check(
            r#"
{"name": "ci", "assume-role-policy": {"rules": {"action": "allow"}}, "policy": {"default-service-strategy": "deny", "services": {}}}
"#,
            r#"
Role
exoscale::invalid-type /assume-role-policy/rules `{"action": "allow"}`: `rules` must be an array, found object
"#,
        );
    }

    #[test]
    fn a_document_that_is_not_an_object() {
        check(
            r#"
[1]
"#,
            r#"
nothing read
exoscale::invalid-type / `[1]`: expected a role or policy object, found array
  help: write a role (`{"name": …, "policy": {…}}`) or a policy (`{"default-service-strategy": …, "services": {…}}`)
"#,
        );
    }
}
