//! The syntax phase: the span-keeping JSON tree → a policy syntax tree ([`Policy`]).
//!
//! This phase reports only what makes a document's meaning unknown (wrong JSON types, a missing
//! or invalid `Effect`, no `Action`, an unknown condition operator, …): such errors stop a
//! simulation. Everything else (unknown actions, ARN syntax, lints) is the validator's job.

use super::conditions::Operator;
use super::variables::{parse_template, Template, VariableError};
use iamlab_model::json::{self, escape_pointer_segment, JsonKind, JsonMember, JsonValue};
use iamlab_model::{Diagnostic, Span};

/// The policy language version, which decides whether `${…}` is a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2012,
    V2008,
    Missing,
    /// Some other value (reported by the validator); read like a missing version.
    Other,
}

impl Version {
    pub fn has_variables(self) -> bool {
        self == Version::V2012
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementEffect {
    Allow,
    Deny,
}

impl StatementEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementEffect::Allow => "Allow",
            StatementEffect::Deny => "Deny",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: Version,
    pub version_span: Option<Span>,
    pub statement_key_span: Option<Span>,
    /// `Statement` was a single object rather than an array.
    pub single_statement: bool,
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub index: usize,
    pub span: Span,
    pub pointer: String,
    pub sid: Option<(String, Span)>,
    pub effect: Option<(StatementEffect, Span)>,
    pub actions: Option<Element>,
    pub resources: Option<Element>,
    pub condition_key_span: Option<Span>,
    /// `Condition` is a JSON object (possibly empty).
    pub condition_is_object: bool,
    pub conditions: Vec<ConditionBlock>,
    /// `Principal` or `NotPrincipal` and its key span: identity policies cannot have them.
    pub principal: Option<(&'static str, Span)>,
}

impl Statement {
    /// `Statement[2]`, or `Statement` when the document has a single statement object.
    pub fn element_name(&self, single: bool) -> String {
        if single {
            "Statement".to_owned()
        } else {
            format!("Statement[{}]", self.index)
        }
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub name: &'static str,
    pub negated: bool,
    pub key_span: Span,
    pub value_span: Span,
    pub pointer: String,
    pub items: Vec<Item>,
}

/// One string value, with its policy variables when the element supports them.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub text: String,
    /// The span of the JSON value (quotes included for strings).
    pub span: Span,
    pub pointer: String,
    pub template: Template,
    /// Malformed `${…}`, with spans already mapped to the document.
    pub variable_errors: Vec<(Span, String)>,
    /// The JSON value was a string (condition values may also be numbers or booleans).
    pub is_string: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionBlock {
    pub operator: Operator,
    pub operator_text: String,
    pub operator_span: Span,
    pub pointer: String,
    pub entries: Vec<ConditionEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    pub key: String,
    pub key_span: Span,
    pub value_span: Span,
    pub pointer: String,
    pub values: Vec<Item>,
}

pub const TOP_LEVEL_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
pub const STATEMENT_ELEMENTS: [&str; 9] =
    ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

/// Reads the policy tree. `text` is the document (to map spans inside strings).
pub fn read_policy(text: &str, root: &JsonValue, diagnostics: &mut Vec<Diagnostic>) -> Option<Policy> {
    let Some(members) = root.as_object() else {
        diagnostics.push(
            type_mismatch(root, "object", "")
                .with_help("a policy document is a JSON object with `Version` and `Statement`"),
        );
        return None;
    };
    let mut policy = Policy {
        version: Version::Missing,
        version_span: None,
        statement_key_span: None,
        single_statement: false,
        statements: Vec::new(),
    };
    if let Some(member) = last_member(members, "Version") {
        policy.version_span = Some(member.value.span);
        policy.version = match member.value.as_str() {
            Some("2012-10-17") => Version::V2012,
            Some("2008-10-17") => Version::V2008,
            Some(_) => Version::Other,
            None => {
                diagnostics.push(type_mismatch(&member.value, "string", "/Version"));
                Version::Other
            }
        };
    }
    if let Some(member) = last_member(members, "Id") {
        if member.value.as_str().is_none() {
            diagnostics.push(type_mismatch(&member.value, "string", "/Id"));
        }
    }
    let Some(statement_member) = last_member(members, "Statement") else {
        diagnostics.push(
            Diagnostic::error("aws::missing-statement", "policy has no `Statement` element")
                .with_primary(first_line_span(root), "`Statement` is required")
                .with_help("add `\"Statement\": [{ \"Effect\": …, \"Action\": …, \"Resource\": … }]`")
                .with_path(""),
        );
        return Some(policy);
    };
    policy.statement_key_span = Some(statement_member.key_span);
    let reader = Reader { text, variables: policy.version.has_variables() };
    match &statement_member.value.kind {
        JsonKind::Object(_) => {
            policy.single_statement = true;
            if let Some(statement) = reader.statement(0, "/Statement".to_owned(), &statement_member.value, diagnostics)
            {
                policy.statements.push(statement);
            }
        }
        JsonKind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let pointer = format!("/Statement/{index}");
                if let Some(statement) = reader.statement(index, pointer, item, diagnostics) {
                    policy.statements.push(statement);
                }
            }
        }
        _ => diagnostics.push(type_mismatch(&statement_member.value, "object or array of objects", "/Statement")),
    }
    Some(policy)
}

struct Reader<'text> {
    text: &'text str,
    variables: bool,
}

impl Reader<'_> {
    fn statement(
        &self,
        index: usize,
        pointer: String,
        value: &JsonValue,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Statement> {
        let Some(members) = value.as_object() else {
            diagnostics.push(type_mismatch(value, "object", &pointer));
            return None;
        };
        let mut statement = Statement {
            index,
            span: value.span,
            pointer: pointer.clone(),
            sid: None,
            effect: None,
            actions: None,
            resources: None,
            condition_key_span: None,
            condition_is_object: false,
            conditions: Vec::new(),
            principal: None,
        };
        let head = first_line_span(value);
        if let Some(member) = last_member(members, "Sid") {
            match member.value.as_str() {
                Some(sid) => statement.sid = Some((sid.to_owned(), member.value.span)),
                None => diagnostics.push(type_mismatch(&member.value, "string", &format!("{pointer}/Sid"))),
            }
        }
        match last_member(members, "Effect") {
            None => diagnostics.push(
                Diagnostic::error("aws::missing-effect", "statement has no `Effect` element")
                    .with_primary(head, "`Effect` is required")
                    .with_help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`")
                    .with_path(pointer.clone()),
            ),
            Some(member) => match member.value.as_str() {
                Some("Allow") => statement.effect = Some((StatementEffect::Allow, member.value.span)),
                Some("Deny") => statement.effect = Some((StatementEffect::Deny, member.value.span)),
                Some(other) => {
                    let help = match other.to_ascii_lowercase().as_str() {
                        "allow" => "effect values are case sensitive: write `Allow`".to_owned(),
                        "deny" => "effect values are case sensitive: write `Deny`".to_owned(),
                        _ => "`Effect` is either `Allow` or `Deny`".to_owned(),
                    };
                    diagnostics.push(
                        Diagnostic::error("aws::invalid-effect", format!("invalid effect `{other}`"))
                            .with_primary(member.value.span, "expected `Allow` or `Deny`")
                            .with_help(help)
                            .with_path(format!("{pointer}/Effect")),
                    );
                }
                None => diagnostics.push(type_mismatch(&member.value, "string", &format!("{pointer}/Effect"))),
            },
        }
        statement.actions = self.pair(members, &pointer, ("Action", "NotAction"), head, diagnostics);
        statement.resources = self.pair(members, &pointer, ("Resource", "NotResource"), head, diagnostics);
        for name in ["Principal", "NotPrincipal"] {
            if let Some(member) = last_member(members, name) {
                statement.principal = Some((name, member.key_span));
            }
        }
        if let Some(member) = last_member(members, "Condition") {
            statement.condition_key_span = Some(member.key_span);
            statement.condition_is_object = member.value.as_object().is_some();
            statement.conditions = self.conditions(&member.value, &format!("{pointer}/Condition"), diagnostics);
        }
        Some(statement)
    }

    /// Reads `Action`/`NotAction` or `Resource`/`NotResource`: exactly one of the two.
    fn pair(
        &self,
        members: &[JsonMember],
        pointer: &str,
        (positive, negative): (&'static str, &'static str),
        head: Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Element> {
        let lower = positive.to_ascii_lowercase();
        match (last_member(members, positive), last_member(members, negative)) {
            (None, None) => {
                diagnostics.push(
                    Diagnostic::error(
                        format!("aws::missing-{lower}"),
                        format!("statement has neither `{positive}` nor `{negative}`"),
                    )
                    .with_primary(head, format!("`{positive}` or `{negative}` is required"))
                    .with_help(format!("add `\"{positive}\": …` (use `\"*\"` for all)"))
                    .with_path(pointer.to_owned()),
                );
                None
            }
            (Some(first), Some(second)) => {
                diagnostics.push(
                    Diagnostic::error(
                        format!("aws::{lower}-and-not{lower}"),
                        format!("statement has both `{positive}` and `{negative}`"),
                    )
                    .with_primary(second.key_span, format!("`{negative}` here"))
                    .with_secondary(first.key_span, format!("`{positive}` here"))
                    .with_help(format!("keep only one of `{positive}` and `{negative}`"))
                    .with_path(format!("{pointer}/{negative}")),
                );
                None
            }
            (Some(member), None) => self.element(positive, false, member, pointer, diagnostics),
            (None, Some(member)) => self.element(negative, true, member, pointer, diagnostics),
        }
    }

    fn element(
        &self,
        name: &'static str,
        negated: bool,
        member: &JsonMember,
        pointer: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Element> {
        let pointer = format!("{pointer}/{name}");
        // Actions never take variables; resources do under Version 2012-10-17.
        let variables = self.variables && name.ends_with("Resource");
        let items = self.string_list(&member.value, &pointer, false, variables, diagnostics)?;
        Some(Element { name, negated, key_span: member.key_span, value_span: member.value.span, pointer, items })
    }

    /// A string or an array of strings (`scalars`: numbers and booleans too, as condition values).
    fn string_list(
        &self,
        value: &JsonValue,
        pointer: &str,
        scalars: bool,
        variables: bool,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Vec<Item>> {
        let expected = if scalars { "string, number, boolean or array of them" } else { "string or array of strings" };
        match &value.kind {
            JsonKind::Array(values) => {
                let mut items = Vec::with_capacity(values.len());
                let mut ok = true;
                for (index, item) in values.iter().enumerate() {
                    let item_pointer = format!("{pointer}/{index}");
                    match self.item(item, item_pointer, scalars, variables) {
                        Some(item) => items.push(item),
                        None => {
                            ok = false;
                            diagnostics.push(type_mismatch(item, expected, &format!("{pointer}/{index}")));
                        }
                    }
                }
                ok.then_some(items)
            }
            _ => match self.item(value, pointer.to_owned(), scalars, variables) {
                Some(item) => Some(vec![item]),
                None => {
                    diagnostics.push(type_mismatch(value, expected, pointer));
                    None
                }
            },
        }
    }

    fn item(&self, value: &JsonValue, pointer: String, scalars: bool, variables: bool) -> Option<Item> {
        let (text, is_string) = match &value.kind {
            JsonKind::String(text) => (text.clone(), true),
            JsonKind::Number(number) if scalars => (number.raw.clone(), false),
            JsonKind::Bool(flag) if scalars => (flag.to_string(), false),
            _ => return None,
        };
        let (template, variable_errors) = if variables && is_string && text.contains("${") {
            let (template, errors) = parse_template(&text);
            let errors = errors.into_iter().map(|error| (self.map_error(value.span, &error), error.message)).collect();
            (template, errors)
        } else {
            (Template::plain(&text), Vec::new())
        };
        Some(Item { text, span: value.span, pointer, template, variable_errors, is_string })
    }

    fn map_error(&self, literal_span: Span, error: &VariableError) -> Span {
        json::decoded_span_to_source(self.text, literal_span, Span::from_usize(error.start, error.end))
    }

    fn conditions(&self, value: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<ConditionBlock> {
        let Some(operators) = value.as_object() else {
            diagnostics.push(type_mismatch(value, "object", pointer));
            return Vec::new();
        };
        let mut blocks = Vec::new();
        for member in operators {
            let block_pointer = format!("{pointer}/{}", escape_pointer_segment(&member.key));
            let Some(operator) = Operator::parse_ignoring_case(&member.key) else {
                let mut diagnostic =
                    Diagnostic::error("aws::invalid-operator", format!("unknown condition operator `{}`", member.key))
                        .with_primary(member.key_span, "not a condition operator")
                        .with_path(block_pointer);
                if let Some(suggestion) = Operator::suggest(&member.key) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}`?"));
                } else {
                    diagnostic = diagnostic.with_help(
                        "operators are e.g. `StringEquals`, `StringLike`, `NumericLessThan`, `DateGreaterThan`, `Bool`, \
                         `IpAddress`, `ArnLike`, `Null`, with an optional `IfExists` suffix and `ForAllValues:` or \
                         `ForAnyValue:` prefix",
                    );
                }
                diagnostics.push(diagnostic);
                continue;
            };
            let Some(keys) = member.value.as_object() else {
                diagnostics.push(type_mismatch(&member.value, "object", &block_pointer));
                continue;
            };
            let variables = self.variables && operator.base.supports_variables();
            let mut entries = Vec::new();
            for key in keys {
                let entry_pointer = format!("{block_pointer}/{}", escape_pointer_segment(&key.key));
                if let Some(values) = self.string_list(&key.value, &entry_pointer, true, variables, diagnostics) {
                    entries.push(ConditionEntry {
                        key: key.key.clone(),
                        key_span: key.key_span,
                        value_span: key.value.span,
                        pointer: entry_pointer,
                        values,
                    });
                }
            }
            blocks.push(ConditionBlock {
                operator,
                operator_text: member.key.clone(),
                operator_span: member.key_span,
                pointer: block_pointer,
                entries,
            });
        }
        blocks
    }
}

/// The member named exactly `key` (the last one when duplicated, as the JSON reader does).
pub fn last_member<'tree>(members: &'tree [JsonMember], key: &str) -> Option<&'tree JsonMember> {
    members.iter().rev().find(|member| member.key == key)
}

/// The opening brace of an object (to underline "missing element" without the whole block).
pub fn first_line_span(value: &JsonValue) -> Span {
    Span::new(value.span.start, value.span.start.saturating_add(1).min(value.span.end))
}

pub fn type_mismatch(value: &JsonValue, expected: &str, pointer: &str) -> Diagnostic {
    Diagnostic::error("aws::data-type-mismatch", format!("expected {expected}, found {}", value.kind_name()))
        .with_primary(value.span, format!("expected {expected}"))
        .with_help(format!("the IAM policy grammar expects: {expected}"))
        .with_path(pointer.to_owned())
}
