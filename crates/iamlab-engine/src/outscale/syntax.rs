//! The syntax phase: the span-keeping JSON tree → a policy syntax tree ([`Document`]).
//!
//! Reading reports what makes a document's meaning unknown (wrong JSON types, a missing or
//! invalid `Effect`, no `Action`, an unknown condition operator, …): such errors stop a
//! simulation. It also finds, in the same walk, the keys the grammar does not know and the keys
//! that differ from another only in case; those are kept in [`Document::reading_findings`] for
//! checking to report, because a simulation has always ignored them. Everything else (unknown
//! actions, ARN syntax, lints) is validation's job.

use super::codes::Code;
use super::operators::Operator;
use super::tree::{
    ConditionBlock, ConditionEntry, Document, Element, ElementKind, Item, Pointer, Policy, PrincipalElement, Statement,
    StatementEffect, StatementList, Version,
};
use super::variables::{parse_template, Piece, Template};
use crate::schema::{child_pointer, expected_type};
use iamlab_model::json::{self, JsonKind, JsonMember, JsonValue};
use iamlab_model::{Diagnostic, Span, Spanned};
use std::collections::HashMap;

pub(crate) const TOP_LEVEL_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
/// The spellings of `Effect` (case-sensitive).
pub(crate) const EFFECTS: [(&str, StatementEffect); 2] =
    [("Allow", StatementEffect::Allow), ("Deny", StatementEffect::Deny)];
pub(crate) const STATEMENT_ELEMENTS: [&str; 9] =
    ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

/// Reads a document from its JSON tree. `text` is the document, to map spans inside strings.
pub fn read_document(text: &str, root: &JsonValue, diagnostics: &mut Vec<Diagnostic>) -> Document {
    let mut reading_findings = Vec::new();
    find_case_duplicates(root, "", &mut reading_findings);
    let policy = read_policy(text, root, diagnostics, &mut reading_findings);
    Document { span: root.span, policy, reading_findings }
}

fn read_policy(
    text: &str,
    root: &JsonValue,
    diagnostics: &mut Vec<Diagnostic>,
    reading_findings: &mut Vec<Diagnostic>,
) -> Option<Policy> {
    let Some(members) = root.as_object() else {
        diagnostics.push(
            wrong_type(root, "object", "")
                .with_help("a policy document is a JSON object with `Version` and `Statement`"),
        );
        return None;
    };
    find_unknown_elements(members, &Pointer::Root, ElementOwner::Policy, reading_findings);
    let mut policy = Policy {
        opening_span: root.opening_span(),
        version: Version::Missing,
        version_text: None,
        statement_list: None,
        statements: Vec::new(),
    };
    if let Some(member) = root.member("Version") {
        policy.version = match member.value.as_str() {
            Some("2012-10-17") => Version::V2012,
            Some("2008-10-17") => Version::V2008,
            Some(_) => Version::Other,
            None => {
                diagnostics.push(wrong_type(&member.value, "string", "/Version"));
                Version::Other
            }
        };
        policy.version_text = member.value.as_str().map(|text| Spanned::new(text.to_owned(), member.value.span));
    }
    if let Some(member) = root.member("Id") {
        if member.value.as_str().is_none() {
            diagnostics.push(wrong_type(&member.value, "string", "/Id"));
        }
    }
    let Some(statement_member) = root.member("Statement") else {
        diagnostics.push(missing_element(
            Code::MissingStatement,
            root,
            "",
            "policy has no `Statement` element",
            "`Statement` is required",
            "add `\"Statement\": [{ \"Effect\": …, \"Action\": …, \"Resource\": … }]`",
        ));
        return Some(policy);
    };
    let value = &statement_member.value;
    let version = policy.version;
    let list = match &value.kind {
        JsonKind::Object(_) => {
            let pointer = Pointer::Statement { index: None, element: None, item: None };
            policy.statements.extend(read_statement(text, version, 0, pointer, value, diagnostics, reading_findings));
            StatementList::Object
        }
        JsonKind::Array(items) => {
            policy.statements.reserve_exact(items.len());
            for (index, item) in items.iter().enumerate() {
                let pointer = Pointer::Statement { index: Some(index), element: None, item: None };
                let statement = read_statement(text, version, index, pointer, item, diagnostics, reading_findings);
                policy.statements.extend(statement);
            }
            StatementList::Array { items: items.len() }
        }
        _ => {
            diagnostics.push(wrong_type(value, "object or array of objects", "/Statement"));
            StatementList::Other
        }
    };
    policy.statement_list = Some(Spanned::new(list, value.span));
    Some(policy)
}

fn read_statement(
    text: &str,
    version: Version,
    index: usize,
    pointer: Pointer,
    value: &JsonValue,
    diagnostics: &mut Vec<Diagnostic>,
    reading_findings: &mut Vec<Diagnostic>,
) -> Option<Statement> {
    let Some(members) = value.as_object() else {
        diagnostics.push(wrong_type(value, "object", &pointer.write()));
        return None;
    };
    find_unknown_elements(members, &pointer, ElementOwner::Statement, reading_findings);
    let mut statement = Statement {
        index,
        span: value.span,
        pointer,
        sid: None,
        effect: None,
        actions: None,
        resources: None,
        condition_key_span: None,
        condition_is_object: false,
        conditions: Vec::new(),
        principal: None,
    };
    if let Some(member) = value.member("Sid") {
        match member.value.as_str() {
            Some(sid) => statement.sid = Some(Spanned::new(sid.to_owned(), member.value.span)),
            None => {
                diagnostics.push(wrong_type(&member.value, "string", &child_pointer(&statement.pointer.write(), "Sid")))
            }
        }
    }
    match value.member("Effect") {
        None => diagnostics.push(missing_element(
            Code::MissingEffect,
            value,
            &statement.pointer.write(),
            "statement has no `Effect` element",
            "`Effect` is required",
            "add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`",
        )),
        Some(member) => statement.effect = read_effect(&member.value, &statement.pointer, diagnostics),
    }
    let rules = ListRules { scalars: false, variables: version.has_variables() };
    let pointer = &statement.pointer;
    let actions = read_element_or_negation(value, pointer, ElementPair::Actions, rules, text, diagnostics);
    let resources = read_element_or_negation(value, pointer, ElementPair::Resources, rules, text, diagnostics);
    (statement.actions, statement.resources) = (actions, resources);
    // `NotPrincipal` wins when both are written: either is reported the same way.
    for element in [PrincipalElement::Principal, PrincipalElement::NotPrincipal] {
        if let Some(member) = value.member(element.name()) {
            statement.principal = Some(Spanned::new(element, member.key_span));
        }
    }
    if let Some(member) = value.member("Condition") {
        statement.condition_key_span = Some(member.key_span);
        statement.condition_is_object = member.value.as_object().is_some();
        let condition_pointer = child_pointer(&statement.pointer.write(), "Condition");
        statement.conditions = read_conditions(text, version, &member.value, &condition_pointer, diagnostics);
    }
    Some(statement)
}

fn read_effect(
    value: &JsonValue,
    pointer: &Pointer,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<StatementEffect>> {
    let known = value.as_str().and_then(|written| EFFECTS.iter().find(|(name, _)| *name == written));
    let effect = match (known, value.as_str()) {
        (Some((_, effect)), _) => *effect,
        (None, Some(other)) => {
            let help = match other.to_ascii_lowercase().as_str() {
                "allow" => "effect values are case sensitive: write `Allow`",
                "deny" => "effect values are case sensitive: write `Deny`",
                _ => "`Effect` is either `Allow` or `Deny`",
            };
            diagnostics.push(
                Code::InvalidEffect
                    .diagnostic(format!("invalid effect `{other}`"))
                    .with_primary(value.span, "expected `Allow` or `Deny`")
                    .with_help(help)
                    .with_path(child_pointer(&pointer.write(), "Effect")),
            );
            return None;
        }
        (None, None) => {
            diagnostics.push(wrong_type(value, "string", &child_pointer(&pointer.write(), "Effect")));
            return None;
        }
    };
    Some(Spanned::new(effect, value.span))
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: a statement has exactly one of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ElementPair {
    Actions,
    Resources,
}

impl ElementPair {
    fn kinds(self) -> (ElementKind, ElementKind) {
        match self {
            ElementPair::Actions => (ElementKind::Action, ElementKind::NotAction),
            ElementPair::Resources => (ElementKind::Resource, ElementKind::NotResource),
        }
    }

    fn missing_code(self) -> Code {
        match self {
            ElementPair::Actions => Code::MissingAction,
            ElementPair::Resources => Code::MissingResource,
        }
    }

    fn both_code(self) -> Code {
        match self {
            ElementPair::Actions => Code::ActionAndNotAction,
            ElementPair::Resources => Code::ResourceAndNotResource,
        }
    }
}

/// What the values of a list may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListRules {
    /// Numbers and booleans as well as strings (condition values); strings only otherwise.
    scalars: bool,
    /// `${…}` is a policy variable (Version 2012-10-17, and an element or operator that
    /// substitutes variables).
    variables: bool,
}

/// Reads the element of `pair` that the statement has, reporting when it has neither or both.
fn read_element_or_negation(
    statement: &JsonValue,
    pointer: &Pointer,
    pair: ElementPair,
    rules: ListRules,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Element> {
    let (positive, negative) = pair.kinds();
    let (positive_name, negative_name) = (positive.name(), negative.name());
    let (member, kind) = match (statement.member(positive_name), statement.member(negative_name)) {
        (None, None) => {
            diagnostics.push(missing_element(
                pair.missing_code(),
                statement,
                &pointer.write(),
                &format!("statement has neither `{positive_name}` nor `{negative_name}`"),
                &format!("`{positive_name}` or `{negative_name}` is required"),
                &format!("add `\"{positive_name}\": …` (use `\"*\"` for all)"),
            ));
            return None;
        }
        (Some(first), Some(second)) => {
            diagnostics.push(
                pair.both_code()
                    .diagnostic(format!("statement has both `{positive_name}` and `{negative_name}`"))
                    .with_primary(second.key_span, format!("`{negative_name}` here"))
                    .with_secondary(first.key_span, format!("`{positive_name}` here"))
                    .with_help(format!("keep only one of `{positive_name}` and `{negative_name}`"))
                    .with_path(child_pointer(&pointer.write(), negative_name)),
            );
            return None;
        }
        (Some(member), None) => (member, positive),
        (None, Some(member)) => (member, negative),
    };
    let pointer = pointer.element(kind);
    let rules = ListRules { variables: rules.variables && kind.takes_variables(), ..rules };
    let items = read_list(text, &member.value, &pointer, rules, diagnostics)?;
    Some(Element { kind, key_span: member.key_span, value_span: member.value.span, pointer, items })
}

/// A value or an array of values; `None` (after reporting each) when any has the wrong type.
fn read_list(
    text: &str,
    value: &JsonValue,
    pointer: &Pointer,
    rules: ListRules,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Item>> {
    let expected =
        if rules.scalars { "string, number, boolean or array of them" } else { "string or array of strings" };
    match &value.kind {
        JsonKind::Array(values) => {
            let mut items = Vec::with_capacity(values.len());
            let mut all_read = true;
            for (index, value) in values.iter().enumerate() {
                match read_item(text, value, pointer.item(index), rules) {
                    Some(item) => items.push(item),
                    None => {
                        all_read = false;
                        diagnostics.push(wrong_type(value, expected, &pointer.item(index).write()));
                    }
                }
            }
            all_read.then_some(items)
        }
        _ => match read_item(text, value, pointer.clone(), rules) {
            Some(item) => Some(vec![item]),
            None => {
                diagnostics.push(wrong_type(value, expected, &pointer.write()));
                None
            }
        },
    }
}

fn read_item(text: &str, value: &JsonValue, pointer: Pointer, rules: ListRules) -> Option<Item> {
    let (item_text, is_string) = match &value.kind {
        JsonKind::String(text) => (text.to_string(), true),
        JsonKind::Number(number) if rules.scalars => (number.raw.clone(), false),
        JsonKind::Bool(flag) if rules.scalars => (flag.to_string(), false),
        _ => return None,
    };
    let (template, variable_errors) =
        if rules.variables && is_string && item_text.as_bytes().windows(2).any(|pair| pair == b"${") {
            let (mut template, errors) = parse_template(&item_text);
            // No pieces means plain text (`Item::resolve_pattern`): a parsed template keeps one.
            if template.pieces.is_empty() {
                template.pieces.push(Piece::Text(String::new()));
            }
            let errors = errors
                .into_iter()
                .map(|error| {
                    let decoded = Span::from_usize(error.start, error.end);
                    Spanned::new(error.message, json::decoded_span_to_source(text, value.span, decoded))
                })
                .collect();
            (template, errors)
        } else {
            (Template { pieces: Vec::new() }, Vec::new())
        };
    Some(Item { text: item_text, span: value.span, pointer, template, variable_errors, is_string })
}

fn read_conditions(
    text: &str,
    version: Version,
    value: &JsonValue,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ConditionBlock> {
    let Some(operators) = value.as_object() else {
        diagnostics.push(wrong_type(value, "object", pointer));
        return Vec::new();
    };
    let mut blocks = Vec::new();
    for member in operators {
        let block_pointer = child_pointer(pointer, &member.key);
        let Some(operator) = Operator::parse_ignoring_case(&member.key) else {
            diagnostics.push(unknown_operator(member, &block_pointer));
            continue;
        };
        let Some(keys) = member.value.as_object() else {
            diagnostics.push(wrong_type(&member.value, "object", &block_pointer));
            continue;
        };
        let rules =
            ListRules { scalars: true, variables: version.has_variables() && operator.base.supports_variables() };
        let mut entries = Vec::new();
        for key in keys {
            let entry_pointer = Pointer::Written(child_pointer(&block_pointer, &key.key));
            if let Some(values) = read_list(text, &key.value, &entry_pointer, rules, diagnostics) {
                entries.push(ConditionEntry {
                    key: key.key.to_string(),
                    key_span: key.key_span,
                    value_span: key.value.span,
                    pointer: entry_pointer,
                    values,
                });
            }
        }
        blocks.push(ConditionBlock {
            operator,
            operator_text: member.key.to_string(),
            operator_span: member.key_span,
            pointer: Pointer::Written(block_pointer),
            entries,
        });
    }
    blocks
}

fn unknown_operator(member: &JsonMember, pointer: &str) -> Diagnostic {
    let help = match Operator::closest_spelling(&member.key) {
        Some(spelling) => format!("did you mean `{spelling}`?"),
        None => "operators are e.g. `StringEquals`, `StringLike`, `NumericLessThan`, `DateGreaterThan`, `Bool`, \
                 `IpAddress`, `ArnLike`, `Null`, with an optional `IfExists` suffix and `ForAllValues:` or \
                 `ForAnyValue:` prefix"
            .to_owned(),
    };
    Code::InvalidOperator
        .diagnostic(format!("unknown condition operator `{}`", member.key))
        .with_primary(member.key_span, "not a condition operator")
        .with_path(pointer.to_owned())
        .with_help(help)
}

/// The object whose elements a key is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ElementOwner {
    Policy,
    Statement,
}

impl ElementOwner {
    fn noun(self) -> &'static str {
        match self {
            ElementOwner::Policy => "policy",
            ElementOwner::Statement => "statement",
        }
    }

    fn elements(self) -> &'static [&'static str] {
        match self {
            ElementOwner::Policy => &TOP_LEVEL_ELEMENTS,
            ElementOwner::Statement => &STATEMENT_ELEMENTS,
        }
    }
}

/// Keys the grammar does not know, with the right spelling when only the case is wrong.
fn find_unknown_elements(
    members: &[JsonMember],
    pointer: &Pointer,
    owner: ElementOwner,
    findings: &mut Vec<Diagnostic>,
) {
    let known = owner.elements();
    for member in members.iter().filter(|member| !known.contains(&member.key.as_ref())) {
        let diagnostic = match known.iter().find(|name| name.eq_ignore_ascii_case(&member.key)) {
            Some(name) => Code::ElementCase
                .diagnostic(format!("element `{}` must be written `{name}`", member.key))
                .with_primary(member.key_span, format!("write `{name}`"))
                .with_help("policy element names are case sensitive and start with an upper-case letter"),
            None => {
                let names: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
                let what = owner.noun();
                Code::UnknownElement
                    .diagnostic(format!("`{}` is not a {what} element", member.key))
                    .with_primary(member.key_span, "unknown element")
                    .with_help(format!("a {what} has only {}", names.join(", ")))
            }
        };
        findings.push(diagnostic.with_path(child_pointer(&pointer.write(), &member.key)));
    }
}

/// Keys of one object that differ only in case (`Effect` and `effect`), anywhere in the
/// document: exact duplicates are already reported by the JSON reader. The recursion is as deep
/// as the JSON reader's nesting limit at most.
fn find_case_duplicates(value: &JsonValue, pointer: &str, findings: &mut Vec<Diagnostic>) {
    find_case_duplicates_below(value, &PointerTo::Root(pointer), findings);
}

/// The pointer of the value being searched, written out only for a finding: the search runs on
/// every reading of every document (a simulation per request), and almost never finds anything.
enum PointerTo<'parent> {
    Root(&'parent str),
    Key(&'parent PointerTo<'parent>, &'parent str),
    Index(&'parent PointerTo<'parent>, usize),
}

impl PointerTo<'_> {
    fn write(&self) -> String {
        match self {
            PointerTo::Root(pointer) => (*pointer).to_owned(),
            PointerTo::Key(parent, key) => child_pointer(&parent.write(), key),
            PointerTo::Index(parent, index) => format!("{}/{index}", parent.write()),
        }
    }
}

/// Objects of up to this many members compare each key with the earlier ones; larger ones group
/// their keys by lower-case spelling, so that a pasted object of thousands of keys stays linear.
const PAIRWISE_KEYS: usize = 32;

fn find_case_duplicates_below(value: &JsonValue, pointer: &PointerTo<'_>, findings: &mut Vec<Diagnostic>) {
    match &value.kind {
        JsonKind::Object(members) => {
            // The first member of each spelling, by lower-case key (large objects only).
            let mut spellings: Option<HashMap<String, Vec<&JsonMember>>> =
                (members.len() > PAIRWISE_KEYS).then(HashMap::new);
            for (index, member) in members.iter().enumerate() {
                // The first earlier member whose key differs from this one only in case: the
                // first member of the first other spelling.
                let first = match spellings.as_mut() {
                    Some(spellings) => {
                        let same_up_to_case = spellings.entry(member.key.to_ascii_lowercase()).or_default();
                        let first = same_up_to_case.iter().find(|other| other.key != member.key).copied();
                        if !same_up_to_case.iter().any(|other| other.key == member.key) {
                            same_up_to_case.push(member);
                        }
                        first
                    }
                    None => members
                        .get(..index)
                        .unwrap_or(&[])
                        .iter()
                        .find(|other| other.key != member.key && other.key.eq_ignore_ascii_case(&member.key)),
                };
                let member_pointer = PointerTo::Key(pointer, &member.key);
                if let Some(first) = first {
                    findings.push(
                        Code::DuplicateKeyCase
                            .diagnostic(format!("key `{}` duplicates `{}` up to case", member.key, first.key))
                            .with_primary(member.key_span, "duplicate key")
                            .with_secondary(first.key_span, "first written here")
                            .with_help("policy elements and condition keys must appear once; remove one of them")
                            .with_path(member_pointer.write()),
                    );
                }
                find_case_duplicates_below(&member.value, &member_pointer, findings);
            }
        }
        JsonKind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_case_duplicates_below(item, &PointerTo::Index(pointer, index), findings);
            }
        }
        _ => {}
    }
}

/// A value of a type the grammar does not allow there.
fn wrong_type(value: &JsonValue, expected: &str, pointer: &str) -> Diagnostic {
    expected_type(Code::DataTypeMismatch.as_str(), value, pointer, expected)
        .with_help(format!("the IAM policy grammar expects: {expected}"))
}

/// A required element that `object` lacks, underlining its opening brace only.
fn missing_element(
    code: Code,
    object: &JsonValue,
    pointer: &str,
    message: &str,
    label: &str,
    help: &str,
) -> Diagnostic {
    code.diagnostic(message).with_primary(object.opening_span(), label).with_help(help).with_path(pointer.to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_rendered, fixture, read, render};
    use crate::outscale::tree::Item;

    /// Reads `text` and prints the tree (one line per statement, one per element and condition
    /// entry), then the reading errors, then the findings kept for checking.
    fn check(text: &str, expect: &str) {
        let text = fixture(text);
        let (document, diagnostics) = read(text);
        let mut out = String::new();
        let items = |items: &[Item]| items.iter().map(|item| format!(" {:?}", item.text)).collect::<String>();
        if let Some(policy) = &document.policy {
            out.push_str(&format!("version {:?}\n", policy.version));
            for statement in &policy.statements {
                let effect = statement.effect.as_ref().map_or("no effect", |effect| effect.value.as_str());
                let sid = statement.sid.as_ref().map(|sid| format!(" {}", sid.value)).unwrap_or_default();
                out.push_str(&format!("{} {effect}{sid}\n", policy.element_name(statement)));
                for element in statement.actions.iter().chain(&statement.resources) {
                    out.push_str(&format!("  {}{}\n", element.name(), items(&element.items)));
                }
                for block in &statement.conditions {
                    for entry in &block.entries {
                        out.push_str(&format!(
                            "  {} {}{}\n",
                            block.operator.canonical(),
                            entry.key,
                            items(&entry.values)
                        ));
                    }
                }
                if let Some(principal) = &statement.principal {
                    out.push_str(&format!("  {}\n", principal.value.name()));
                }
            }
        }
        out.push_str(&render(text, &diagnostics));
        if !document.reading_findings.is_empty() {
            out.push_str("for checking:\n");
            out.push_str(&render(text, &document.reading_findings));
        }
        assert_rendered(&out, expect);
    }

    #[test]
    fn a_policy_reads_into_statements_elements_and_conditions() {
        check(
            r#"
{"Version": "2012-10-17", "Statement": [
{"Sid": "Read", "Effect": "Allow", "Action": ["ec2:Describe*", "s3:Get*"], "Resource": "arn:aws:s3:::b/${aws:username}/*"},
{"Effect": "Deny", "NotAction": "iam:*", "NotResource": [], "Principal": "*",
 "Condition": {"stringequals": {"aws:username": ["bob", 3, true]}, "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}}
]}
"#,
            r#"
version V2012
Statement[0] Allow Read
  Action "ec2:Describe*" "s3:Get*"
  Resource "arn:aws:s3:::b/${aws:username}/*"
Statement[1] Deny
  NotAction "iam:*"
  NotResource
  StringEquals aws:username "bob" "3" "true"
  NumericLessThan aws:MultiFactorAuthAge "3600"
  Principal
"#,
        );
    }

    #[test]
    fn a_single_statement_object_is_named_statement() {
        check(
            r#"
{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
"#,
            r#"
version Missing
Statement Allow
  Action "*"
  Resource "*"
"#,
        );
    }

    #[test]
    fn missing_and_conflicting_elements_stop_the_reading_of_their_statement() {
        check(
            r#"
{"Statement": [{"Action": "*", "NotAction": "x:y"}, 7]}
"#,
            r#"
version Missing
Statement[0] no effect
error aws::missing-effect [/Statement/0] `{`: statement has no `Effect` element
    help: add `"Effect": "Allow"` or `"Effect": "Deny"`
error aws::action-and-notaction [/Statement/0/NotAction] `"NotAction"`: statement has both `Action` and `NotAction`
    help: keep only one of `Action` and `NotAction`
error aws::missing-resource [/Statement/0] `{`: statement has neither `Resource` nor `NotResource`
    help: add `"Resource": …` (use `"*"` for all)
error aws::data-type-mismatch [/Statement/1] `7`: expected object, found number
    help: the IAM policy grammar expects: object
"#,
        );
        check(
            r#"
{"Version": "2012-10-17"}
"#,
            r#"
version V2012
error aws::missing-statement [] `{`: policy has no `Statement` element
    help: add `"Statement": [{ "Effect": …, "Action": …, "Resource": … }]`
"#,
        );
    }

    #[test]
    fn wrong_types_name_what_the_grammar_expects() {
        check(
            r#"
{"Version": 1, "Id": [], "Statement": [{"Sid": 2, "Effect": "allow", "Action": [1, "a:b"], "Resource": {}, "Condition": {"Bool": []}}]}
"#,
            r#"
version Other
Statement[0] no effect
error aws::data-type-mismatch [/Version] `1`: expected string, found number
    help: the IAM policy grammar expects: string
error aws::data-type-mismatch [/Id] `[]`: expected string, found array
    help: the IAM policy grammar expects: string
error aws::data-type-mismatch [/Statement/0/Sid] `2`: expected string, found number
    help: the IAM policy grammar expects: string
error aws::invalid-effect [/Statement/0/Effect] `"allow"`: invalid effect `allow`
    help: effect values are case sensitive: write `Allow`
error aws::data-type-mismatch [/Statement/0/Action/0] `1`: expected string or array of strings, found number
    help: the IAM policy grammar expects: string or array of strings
error aws::data-type-mismatch [/Statement/0/Resource] `{}`: expected string or array of strings, found object
    help: the IAM policy grammar expects: string or array of strings
error aws::data-type-mismatch [/Statement/0/Condition/Bool] `[]`: expected object, found array
    help: the IAM policy grammar expects: object
"#,
        );
        check(
            r#"
["not", "a", "policy"]
"#,
            r#"
error aws::data-type-mismatch [] `["not", "a", "policy"]`: expected object, found array
    help: a policy document is a JSON object with `Version` and `Statement`
"#,
        );
    }

    #[test]
    fn unknown_operators_suggest_the_closest_one() {
        check(
            r#"
{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
 "Condition": {"StringEqual": {"k": "v"}, "Whatever": {"k": "v"}}}}
"#,
            r#"
version Missing
Statement Allow
  Action "*"
  Resource "*"
error aws::invalid-operator [/Statement/Condition/StringEqual] `"StringEqual"`: unknown condition operator `StringEqual`
    help: did you mean `StringEquals`?
error aws::invalid-operator [/Statement/Condition/Whatever] `"Whatever"`: unknown condition operator `Whatever`
    help: operators are e.g. `StringEquals`, `StringLike`, `NumericLessThan`, `DateGreaterThan`, `Bool`, `IpAddress`, `ArnLike`, `Null`, with an optional `IfExists` suffix and `ForAllValues:` or `ForAnyValue:` prefix
"#,
        );
    }

    #[test]
    fn variables_are_read_where_the_version_and_the_element_allow_them() {
        check(
            r#"
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "a:${x}", "Resource": "r/${}",
 "Condition": {"NumericEquals": {"k": "${y"}, "StringLike": {"k": "${z"}}}}
"#,
            r#"
version V2012
Statement Allow
  Action "a:${x}"
  Resource "r/${}"
  NumericEquals k "${y"
  StringLike k "${z"
"#,
        );
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": ["r/${}", "\u0041${z"]}}"#;
        let (document, _) = read(text);
        let resources = document.policy.unwrap().statements.remove(0).resources.unwrap();
        let errors: Vec<(&str, &str)> = resources
            .items
            .iter()
            .flat_map(|item| &item.variable_errors)
            .map(|error| (error.value.as_str(), error.span.slice(text).unwrap()))
            .collect();
        // The span of an error inside an escaped string points at the raw characters.
        assert_eq!(
            errors,
            [("policy variable has no key name", "${}"), ("policy variable is not closed with `}`", "${z")]
        );
    }

    #[test]
    fn unknown_elements_and_case_duplicates_are_kept_for_checking() {
        check(
            r#"
{"Statement": [{"Effect": "Allow", "effect": "Deny", "Action": "*", "Resource": "*", "Conditon": {}}],
 "version": "2012-10-17", "Foo": {"a": 1, "A": 2}}
"#,
            r#"
version Missing
Statement[0] Allow
  Action "*"
  Resource "*"
for checking:
error aws::duplicate-key-case [/Statement/0/effect] `"effect"`: key `effect` duplicates `Effect` up to case
    help: policy elements and condition keys must appear once; remove one of them
error aws::duplicate-key-case [/Foo/A] `"A"`: key `A` duplicates `a` up to case
    help: policy elements and condition keys must appear once; remove one of them
error aws::element-case [/version] `"version"`: element `version` must be written `Version`
    help: policy element names are case sensitive and start with an upper-case letter
error aws::unknown-element [/Foo] `"Foo"`: `Foo` is not a policy element
    help: a policy has only `Version`, `Id`, `Statement`
error aws::element-case [/Statement/0/effect] `"effect"`: element `effect` must be written `Effect`
    help: policy element names are case sensitive and start with an upper-case letter
error aws::unknown-element [/Statement/0/Conditon] `"Conditon"`: `Conditon` is not a statement element
    help: a statement has only `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource`, `Condition`
"#,
        );
    }

    #[test]
    fn each_case_duplicate_names_the_first_key_of_another_spelling() {
        check(
            r#"
{"Statement": [], "Id": "x", "statement": 1, "STATEMENT": 2, "statement": 3}
"#,
            r#"
version Missing
error json::duplicate-key [/statement] `"statement"`: duplicate key `statement`
    help: keep one of them: readers disagree about which value wins (most keep the last)
for checking:
error aws::duplicate-key-case [/statement] `"statement"`: key `statement` duplicates `Statement` up to case
    help: policy elements and condition keys must appear once; remove one of them
error aws::duplicate-key-case [/STATEMENT] `"STATEMENT"`: key `STATEMENT` duplicates `Statement` up to case
    help: policy elements and condition keys must appear once; remove one of them
error aws::duplicate-key-case [/statement] `"statement"`: key `statement` duplicates `Statement` up to case
    help: policy elements and condition keys must appear once; remove one of them
error aws::element-case [/statement] `"statement"`: element `statement` must be written `Statement`
    help: policy element names are case sensitive and start with an upper-case letter
error aws::element-case [/STATEMENT] `"STATEMENT"`: element `STATEMENT` must be written `Statement`
    help: policy element names are case sensitive and start with an upper-case letter
error aws::element-case [/statement] `"statement"`: element `statement` must be written `Statement`
    help: policy element names are case sensitive and start with an upper-case letter
"#,
        );
    }
}
