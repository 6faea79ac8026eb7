//! Completion at a cursor: what may be written where the cursor is, for the provider's schema
//! and catalogues. It works on the text as it is while someone types (usually not valid JSON):
//! the position comes from the model's error-tolerant cursor scan ([`cursor_at`]), and inside
//! an Exoscale expression from the CEL lexer ([`iamlab_cel::facts::cursor_context`]).
//!
//! Every list comes from the engine's own knowledge, never a copy: keys from the field lists
//! the validators check against, values from the enums they read (`Effect`, a rule's `action`)
//! and from the catalogues (Exoscale service classes, operations and their parameters; Scaleway
//! permission sets; OUTSCALE actions, condition operators and global condition keys).

use crate::exoscale;
use crate::outscale;
use crate::outscale::aws_catalog::AwsCatalog;
use crate::pipeline::DocumentRole;
use crate::scaleway;
use crate::schema::SchemaEnum;
use iamlab_cel::facts::{cursor_context, lexical_facts, CursorContext};
use iamlab_model::json::{cursor_at, decoded_offset_to_source, JsonCursor, PathStep, Slot};
use iamlab_model::{Provider, Span};

/// What a completion item is, for its icon and its ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// An object key of the schema.
    Key,
    /// A value of an enum (`Allow`, `deny`, `rules`, a version).
    Value,
    ServiceClass,
    Operation,
    Parameter,
    PermissionSet,
    Action,
    /// An action pattern with `*` that covers several actions.
    Wildcard,
    Operator,
    ConditionKey,
}

impl CompletionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CompletionKind::Key => "key",
            CompletionKind::Value => "value",
            CompletionKind::ServiceClass => "service class",
            CompletionKind::Operation => "operation",
            CompletionKind::Parameter => "parameter",
            CompletionKind::PermissionSet => "permission set",
            CompletionKind::Action => "action",
            CompletionKind::Wildcard => "wildcard",
            CompletionKind::Operator => "operator",
            CompletionKind::ConditionKey => "condition key",
        }
    }
}

/// One thing that can be written at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    /// What the list shows.
    pub label: String,
    /// What replaces [`Completions::replace`] (quotes, a `": "` after a key, a closing `'`).
    pub insert_text: String,
    pub kind: CompletionKind,
    /// A short description: a type, a scope, a count, a summary.
    pub detail: String,
}

/// The items for one cursor position, all replacing the same span.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completions {
    /// The bytes an item replaces: the partial word or literal at the cursor (empty when the
    /// cursor is between tokens).
    pub replace: Span,
    pub items: Vec<CompletionItem>,
}

/// The completions at byte `offset` of `text`, a document of `role` for `provider`. Items are
/// filtered by what is already typed (a case-insensitive prefix first, then a substring) and
/// never repeat a key the object already has. Empty where nothing can be completed.
pub fn complete(provider: Provider, role: DocumentRole, text: &str, offset: u32) -> Completions {
    complete_with(provider, role, text, offset, outscale::aws_catalog::loaded())
}

/// [`complete`] with the AWS action catalogue given (the `aws` profile completes its actions
/// from it when there is one; the tests choose).
fn complete_with(
    provider: Provider,
    role: DocumentRole,
    text: &str,
    offset: u32,
    aws: Option<&AwsCatalog>,
) -> Completions {
    let offset = iamlab_model::floor_char_boundary(text, (offset as usize).min(text.len()));
    let cursor = cursor_at(text, offset);
    let path: Vec<Seg<'_>> = cursor
        .path
        .iter()
        .map(|step| match step {
            PathStep::Key(key) => Seg::Key(key),
            PathStep::Index(_) => Seg::Item,
        })
        .collect();
    let typed = typed_prefix(text, &cursor, offset);
    match cursor.slot {
        Slot::Key => complete_key(provider, role, text, &cursor, offset, &path, &typed),
        Slot::Value => {
            if let Some(completions) = complete_embedded(provider, role, text, &cursor, &path, offset) {
                return completions;
            }
            complete_value(provider, role, replaced_span(text, &cursor, offset), &path, &typed, aws)
        }
        Slot::None => Completions::default(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seg<'a> {
    Key(&'a str),
    Item,
}

/// Whether `path` ends with `pattern`: a literal key, `*` for any key, `[]` for an item.
fn ends(path: &[Seg<'_>], pattern: &[&str]) -> bool {
    let Some(skip) = path.len().checked_sub(pattern.len()) else { return false };
    path.iter().skip(skip).zip(pattern).all(|(seg, want)| match (seg, *want) {
        (Seg::Item, "[]") => true,
        (Seg::Key(_), "*") => true,
        (Seg::Key(key), want) => *key == want,
        (Seg::Item, _) => false,
    })
}

/// Whether `path` is exactly `pattern`.
fn is(path: &[Seg<'_>], pattern: &[&str]) -> bool {
    path.len() == pattern.len() && ends(path, pattern)
}

/// The key `depth` steps from the end of the path (0 is the last).
fn key_back<'a>(path: &[Seg<'a>], depth: usize) -> Option<&'a str> {
    match path.len().checked_sub(depth + 1).and_then(|index| path.get(index)) {
        Some(Seg::Key(key)) => Some(key),
        _ => None,
    }
}

/// What is typed of the token at the cursor: the decoded string content or the bare word
/// before the cursor.
fn typed_prefix(text: &str, cursor: &JsonCursor, offset: usize) -> String {
    match &cursor.string {
        Some(string) => string.before.clone(),
        None => text.get(cursor.token.start as usize..offset).unwrap_or("").to_owned(),
    }
}

/// The span an item replaces: the bare word at the cursor, or a string literal from its opening
/// quote to the end of the word at the cursor (with the closing quote when it follows). Not the
/// whole literal: while someone types, the new quote pairs with the next one on the line
/// (`["ec2:Desc], "Resource"` reads as one string), and the text after the word must stay.
fn replaced_span(text: &str, cursor: &JsonCursor, offset: usize) -> Span {
    let Some(string) = &cursor.string else { return cursor.token };
    let literal_end = string.span.end as usize;
    let rest = text.get(offset..literal_end).unwrap_or("");
    let word = rest
        .find(|ch: char| ch.is_whitespace() || matches!(ch, '"' | ',' | '{' | '}' | '[' | ']'))
        .unwrap_or(rest.len());
    let mut end = offset + word;
    if end < literal_end && text.get(end..).is_some_and(|after| after.starts_with('"')) {
        end += 1;
    }
    Span::from_usize(string.span.start as usize, end)
}

/// A candidate before filtering.
struct Candidate {
    label: String,
    kind: CompletionKind,
    detail: String,
}

fn candidate(label: impl Into<String>, kind: CompletionKind, detail: impl Into<String>) -> Candidate {
    Candidate { label: label.into(), kind, detail: detail.into() }
}

fn keys(list: &[&str]) -> Vec<Candidate> {
    list.iter().map(|key| candidate(*key, CompletionKind::Key, "")).collect()
}

/// The candidates matching `typed`: case-insensitive prefix matches in their order, then the
/// other labels containing it. Case is folded in ASCII only: every label is an ASCII name, and
/// `str::to_lowercase` would bring the Unicode case tables into the playground's wasm.
fn filter(candidates: Vec<Candidate>, typed: &str) -> Vec<Candidate> {
    let typed = typed.to_ascii_lowercase();
    if typed.is_empty() {
        return candidates;
    }
    let (mut prefixed, rest): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|candidate| candidate.label.to_ascii_lowercase().starts_with(&typed));
    prefixed.extend(rest.into_iter().filter(|candidate| candidate.label.to_ascii_lowercase().contains(&typed)));
    prefixed
}

/// A JSON string literal of `value`.
fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
}

fn complete_key(
    provider: Provider,
    role: DocumentRole,
    text: &str,
    cursor: &JsonCursor,
    offset: usize,
    path: &[Seg<'_>],
    typed: &str,
) -> Completions {
    let candidates: Vec<Candidate> = key_candidates(provider, role, path)
        .into_iter()
        .filter(|candidate| !cursor.sibling_keys.contains(&candidate.label))
        .collect();
    let replace = replaced_span(text, cursor, offset);
    // A key already followed by `:` is only renamed; otherwise the colon comes with it.
    let after = text.get(replace.end as usize..).unwrap_or("").trim_start_matches([' ', '\t']);
    let suffix = if after.starts_with(':') { "" } else { ": " };
    let items = filter(candidates, typed)
        .into_iter()
        .map(|candidate| CompletionItem {
            insert_text: format!("{}{suffix}", quoted(&candidate.label)),
            label: candidate.label,
            kind: candidate.kind,
            detail: candidate.detail,
        })
        .collect();
    Completions { replace, items }
}

/// The keys an object at `path` may have.
fn key_candidates(provider: Provider, role: DocumentRole, path: &[Seg<'_>]) -> Vec<Candidate> {
    use DocumentRole::Request;
    match (provider, role) {
        (Provider::Exoscale, Request) if path.is_empty() => keys(&exoscale::request::REQUEST_KEYS),
        (Provider::Exoscale, Request) => Vec::new(),
        (Provider::Exoscale, _) => {
            if path.is_empty() {
                if role == DocumentRole::OrganizationPolicy {
                    return keys(&exoscale::syntax::POLICY_KEYS);
                }
                // A role or a bare policy: both sets of fields are allowed at the top.
                let mut all = keys(&exoscale::syntax::ROLE_KEYS);
                all.extend(keys(&exoscale::syntax::POLICY_KEYS));
                return all;
            }
            if is(path, &["policy"]) {
                keys(&exoscale::syntax::POLICY_KEYS)
            } else if ends(path, &["services"]) {
                exoscale::catalog()
                    .service_classes
                    .iter()
                    .map(|class| candidate(&class.name, CompletionKind::ServiceClass, &class.description))
                    .collect()
            } else if ends(path, &["services", "*"]) {
                keys(&exoscale::syntax::SERVICE_KEYS)
            } else if ends(path, &["rules", "[]"]) {
                keys(&exoscale::syntax::RULE_KEYS)
            } else {
                Vec::new()
            }
        }
        (Provider::Scaleway, Request) => {
            if path.is_empty() {
                keys(&scaleway::request::REQUEST_KEYS)
            } else if is(path, &["context"]) {
                keys(&scaleway::request::CONTEXT_KEYS)
            } else if is(path, &["resource"]) {
                keys(&scaleway::request::RESOURCE_KEYS)
            } else {
                Vec::new()
            }
        }
        (Provider::Scaleway, _) => {
            if path.is_empty() || is(path, &["policy"]) {
                keys(&scaleway::syntax::POLICY_KEYS)
            } else if ends(path, &["rules", "[]"]) {
                keys(&scaleway::syntax::RULE_KEYS)
            } else {
                Vec::new()
            }
        }
        (Provider::Outscale | Provider::Aws, Request) => {
            if path.is_empty() {
                keys(&outscale::request::REQUEST_KEYS)
            } else if is(path, &["context"]) {
                condition_keys()
            } else {
                Vec::new()
            }
        }
        (Provider::Outscale | Provider::Aws, _) => {
            if path.is_empty() {
                keys(&outscale::syntax::TOP_LEVEL_ELEMENTS)
            } else if is(path, &["Statement"]) || is(path, &["Statement", "[]"]) {
                keys(&outscale::syntax::STATEMENT_ELEMENTS)
            } else if in_statement(path, 1) && ends(path, &["Condition"]) {
                condition_operators()
            } else if in_statement(path, 2) && ends(path, &["Condition", "*"]) {
                condition_keys()
            } else {
                Vec::new()
            }
        }
    }
}

/// Whether the path, without its last `depth` steps, is a statement.
fn in_statement(path: &[Seg<'_>], depth: usize) -> bool {
    let statement = path.get(..path.len().saturating_sub(depth)).unwrap_or(&[]);
    path.len() >= depth && (is(statement, &["Statement"]) || is(statement, &["Statement", "[]"]))
}

/// Condition operators with the type they compare, and the set qualifiers; the qualified and
/// `IfExists` spellings once the typed text reaches them.
fn condition_operators() -> Vec<Candidate> {
    let mut candidates = Vec::new();
    for qualifier in ["", "ForAnyValue:", "ForAllValues:"] {
        for (name, value_type) in outscale::operators::base_operators() {
            let detail = value_type.as_str();
            candidates.push(candidate(format!("{qualifier}{name}"), CompletionKind::Operator, detail));
            candidates.push(candidate(
                format!("{qualifier}{name}IfExists"),
                CompletionKind::Operator,
                format!("{detail}, true when the key is missing"),
            ));
        }
    }
    // Unqualified operators first; the IfExists and qualified spellings are still found by
    // the substring pass of the filter when typed.
    iamlab_model::order::sort_by_key(&mut candidates, |candidate| {
        (candidate.label.contains(':'), candidate.label.ends_with("IfExists"))
    });
    candidates
}

fn condition_keys() -> Vec<Candidate> {
    outscale::catalog::global_keys()
        .map(|(name, value_type, multivalued)| {
            let detail = if name.ends_with('/') {
                format!("{}, add a tag key", value_type.as_str())
            } else if multivalued {
                format!("{}, multivalued", value_type.as_str())
            } else {
                value_type.as_str().to_owned()
            };
            candidate(name, CompletionKind::ConditionKey, detail)
        })
        .collect()
}

fn complete_value(
    provider: Provider,
    role: DocumentRole,
    replace: Span,
    path: &[Seg<'_>],
    typed: &str,
    aws: Option<&AwsCatalog>,
) -> Completions {
    let candidates = match value_candidates(provider, role, path, typed, aws) {
        Some(candidates) => candidates,
        None => return Completions::default(),
    };
    let items = filter(candidates, typed)
        .into_iter()
        .map(|candidate| CompletionItem {
            insert_text: quoted(&candidate.label),
            label: candidate.label,
            kind: candidate.kind,
            detail: candidate.detail,
        })
        .collect();
    Completions { replace, items }
}

/// The spellings of an enum the validator reads.
fn enum_names<T: SchemaEnum>() -> Option<Vec<Candidate>> {
    enum_values(T::VALUES.iter().map(|(name, _)| *name))
}

fn enum_values(values: impl Iterator<Item = &'static str>) -> Option<Vec<Candidate>> {
    Some(values.map(|value| candidate(value, CompletionKind::Value, "")).collect())
}

/// The values the value at `path` may take, `None` where the schema does not list them.
fn value_candidates(
    provider: Provider,
    role: DocumentRole,
    path: &[Seg<'_>],
    typed: &str,
    aws: Option<&AwsCatalog>,
) -> Option<Vec<Candidate>> {
    use DocumentRole::Request;
    match (provider, role) {
        (Provider::Exoscale, Request) => {
            if is(path, &["operation"]) {
                Some(operations(None))
            } else if is(path, &["service"]) {
                Some(service_classes())
            } else {
                None
            }
        }
        (Provider::Exoscale, _) => {
            if ends(path, &["rules", "[]", "action"]) || ends(path, &["default-service-strategy"]) {
                enum_names::<exoscale::syntax::Strategy>()
            } else if ends(path, &["services", "*", "type"]) {
                enum_names::<exoscale::syntax::ServiceType>()
            } else {
                None
            }
        }
        (Provider::Scaleway, Request) => is(path, &["permission_set"]).then(permission_sets),
        (Provider::Scaleway, _) => ends(path, &["rules", "[]", "permission_set_names", "[]"]).then(permission_sets),
        (Provider::Outscale | Provider::Aws, Request) => is(path, &["action"]).then(|| actions(provider, typed, aws)),
        (Provider::Outscale | Provider::Aws, _) => {
            if is(path, &["Version"]) {
                enum_values(["2012-10-17"].into_iter())
            } else if in_statement(path, 1) && ends(path, &["Effect"]) {
                enum_values(outscale::syntax::EFFECTS.iter().map(|(name, _)| *name))
            } else if (in_statement(path, 1) && matches!(key_back(path, 0), Some("Action" | "NotAction")))
                || (in_statement(path, 2)
                    && ends(path, &["*", "[]"])
                    && matches!(key_back(path, 1), Some("Action" | "NotAction")))
            {
                Some(actions(provider, typed, aws))
            } else {
                None
            }
        }
    }
}

fn service_classes() -> Vec<Candidate> {
    exoscale::catalog()
        .service_classes
        .iter()
        .map(|class| candidate(&class.name, CompletionKind::ServiceClass, &class.description))
        .collect()
}

/// The operations of `class` (every operation when `None` or unknown), with class and summary.
fn operations(class: Option<&str>) -> Vec<Candidate> {
    let catalog = exoscale::catalog();
    let known = class.filter(|class| catalog.service_class(class).is_some());
    catalog
        .operations
        .iter()
        .filter(|operation| known.is_none_or(|class| operation.service_class == class))
        .map(|operation| {
            let detail = if operation.summary.is_empty() {
                operation.service_class.clone()
            } else {
                format!("{} · {}", operation.service_class, operation.summary)
            };
            candidate(&operation.name, CompletionKind::Operation, detail)
        })
        .collect()
}

fn permission_sets() -> Vec<Candidate> {
    scaleway::catalog()
        .sets
        .iter()
        .map(|set| {
            candidate(
                &set.name,
                CompletionKind::PermissionSet,
                format!("{} scope · {}", set.scope_type.as_str(), set.product),
            )
        })
        .collect()
}

/// The actions `provider` knows, as `(prefix, name)`, grouped by prefix. OUTSCALE reads its EIM
/// catalogue. The AWS profile reads the AWS action catalogue when it is loaded (the playground
/// fetches it, the CLI embeds it); without it, the EIM catalogue's AWS-named services (FCU `ec2`,
/// `iam`, `elasticloadbalancing`, `directconnect`, `kms`, spelled as AWS spells them) without
/// OUTSCALE's own `api`.
fn action_names<'c>(
    provider: Provider,
    aws: Option<&'c AwsCatalog>,
) -> Box<dyn Iterator<Item = (&'c str, &'c str)> + 'c> {
    if let (Provider::Aws, Some(catalog)) = (provider, aws) {
        return Box::new(catalog.services().iter().flat_map(|service| {
            service.actions().iter().map(move |action| (service.prefix.as_str(), action.name.as_str()))
        }));
    }
    Box::new(
        outscale::catalog::actions()
            .iter()
            .filter(move |action| provider != Provider::Aws || action.prefix != "api")
            .map(|action| (action.prefix.as_str(), action.name.as_str())),
    )
}

/// Actions and wildcards for what is typed: before the `:`, one `prefix:*` per service; after
/// it, the service's actions, `prefix:*`, one `prefix:Verb*` per leading verb shared by
/// several actions (`ec2:Describe*`), and the typed text with `*` when it covers several.
fn actions(provider: Provider, typed: &str, aws: Option<&AwsCatalog>) -> Vec<Candidate> {
    let mut candidates = vec![candidate("*", CompletionKind::Wildcard, "every action")];
    let Some((service, name_typed)) = typed.split_once(':') else {
        let mut prefixes: Vec<(&str, usize)> = Vec::new();
        for (prefix, _) in action_names(provider, aws) {
            match prefixes.last_mut() {
                Some((last, count)) if *last == prefix => *count += 1,
                _ => prefixes.push((prefix, 1)),
            }
        }
        candidates.extend(
            prefixes
                .into_iter()
                .map(|(prefix, count)| candidate(format!("{prefix}:*"), CompletionKind::Wildcard, count_detail(count))),
        );
        return candidates;
    };
    let names: Vec<(&str, &str)> =
        action_names(provider, aws).filter(|(prefix, _)| prefix.eq_ignore_ascii_case(service)).collect();
    let Some((prefix, _)) = names.first().copied() else { return candidates };
    candidates.push(candidate(format!("{prefix}:*"), CompletionKind::Wildcard, count_detail(names.len())));
    let mut verbs: Vec<(&str, usize)> = Vec::new();
    for (_, name) in &names {
        let verb = leading_word(name);
        match verbs.iter_mut().find(|(known, _)| *known == verb) {
            Some((_, count)) => *count += 1,
            None => verbs.push((verb, 1)),
        }
    }
    let typed_lower = name_typed.to_ascii_lowercase();
    let covered = names.iter().filter(|(_, name)| name.to_ascii_lowercase().starts_with(&typed_lower)).count();
    // The typed text with `*`, unless a verb wildcard already covers the same actions.
    let same_as_verb =
        verbs.iter().any(|(verb, count)| *count == covered && verb.to_ascii_lowercase().starts_with(&typed_lower));
    if !name_typed.is_empty() && covered >= 2 && !same_as_verb {
        candidates.push(candidate(format!("{prefix}:{name_typed}*"), CompletionKind::Wildcard, count_detail(covered)));
    }
    candidates.extend(
        verbs
            .into_iter()
            .filter(|(_, count)| *count >= 2)
            .map(|(verb, count)| candidate(format!("{prefix}:{verb}*"), CompletionKind::Wildcard, count_detail(count))),
    );
    candidates
        .extend(names.iter().map(|(prefix, name)| candidate(format!("{prefix}:{name}"), CompletionKind::Action, "")));
    candidates
}

fn count_detail(count: usize) -> String {
    if count == 1 {
        "1 action".to_owned()
    } else {
        format!("{count} actions")
    }
}

/// The first word of a CamelCase name (`Describe` of `DescribeInstances`).
fn leading_word(name: &str) -> &str {
    let end = name.char_indices().skip(1).find(|(_, ch)| ch.is_ascii_uppercase()).map_or(name.len(), |(at, _)| at);
    name.get(..end).unwrap_or(name)
}

/// Completion inside a string holding another language: an Exoscale rule's CEL `expression`.
fn complete_embedded(
    provider: Provider,
    role: DocumentRole,
    text: &str,
    cursor: &JsonCursor,
    path: &[Seg<'_>],
    offset: usize,
) -> Option<Completions> {
    if provider != Provider::Exoscale || role == DocumentRole::Request || !ends(path, &["rules", "[]", "expression"]) {
        return None;
    }
    let string = cursor.string.as_ref()?;
    let content = &string.content;
    let at = string.before.len().min(content.len());
    // The service class whose rules these are (`services/<class>/rules/…`), when the rule is one.
    let class = ends(path, &["services", "*", "rules", "[]", "expression"]).then(|| key_back(path, 3)).flatten();
    let (start, candidates, closing) = match cursor_context(content, at) {
        CursorContext::ComparedString { variable, start } if variable == "operation" => {
            let quote = content.get(start.saturating_sub(1)..start).unwrap_or("'").to_owned();
            (start, operations(class), Some(quote))
        }
        CursorContext::Field { root, start } if root == "parameters" => (start, parameters(class, content), None),
        _ => return Some(Completions::default()),
    };
    let typed = content.get(start..at).unwrap_or("");
    // The rest of the name after the cursor is replaced too.
    let name_end = content
        .get(at..)
        .unwrap_or("")
        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
        .map_or(content.len(), |length| at + length);
    let closing = closing.filter(|quote| !content.get(name_end..).unwrap_or("").starts_with(quote.as_str()));
    let replace = Span::new(
        decoded_offset_to_source(text, string.span, start),
        decoded_offset_to_source(text, string.span, name_end),
    );
    // The cursor's own offset must be inside the replaced span, or the mapping went wrong (a
    // literal whose escapes the decoder could not read): offer nothing rather than a bad edit.
    if !(replace.start as usize <= offset && offset <= replace.end as usize) {
        return Some(Completions::default());
    }
    let items = filter(candidates, typed)
        .into_iter()
        .map(|candidate| CompletionItem {
            insert_text: format!("{}{}", candidate.label, closing.as_deref().unwrap_or("")),
            label: candidate.label,
            kind: candidate.kind,
            detail: candidate.detail,
        })
        .collect();
    Some(Completions { replace, items })
}

/// The `parameters.` fields of the operations a rule can reach: those its expression names with
/// `operation ==`/`in` when it bounds the operation that way, else those of its service
/// class, else every operation's. Each with its type and the operations that take it.
fn parameters(class: Option<&str>, expression: &str) -> Vec<Candidate> {
    let catalog = exoscale::catalog();
    let facts = lexical_facts(expression);
    let named = facts.named_values("operation");
    let reachable: Vec<&exoscale::Operation> = match &named {
        Some(names) => names.iter().filter_map(|name| catalog.operation(name)).collect(),
        None => {
            let known = class.filter(|class| catalog.service_class(class).is_some());
            catalog
                .operations
                .iter()
                .filter(|operation| known.is_none_or(|class| operation.service_class == class))
                .collect()
        }
    };
    let mut fields: Vec<(&str, exoscale::ValueType, Vec<&str>)> = Vec::new();
    for operation in reachable {
        for parameter in &operation.parameters {
            let name = parameter.expression_name();
            match fields.iter_mut().find(|(known, _, _)| *known == name) {
                Some((_, _, operations)) => operations.push(&operation.name),
                None => fields.push((name, parameter.value_type, vec![&operation.name])),
            }
        }
    }
    iamlab_model::order::sort_by(&mut fields, |left, right| left.0.cmp(right.0));
    fields
        .into_iter()
        .map(|(name, value_type, operations)| {
            let used_by = match operations.as_slice() {
                [only] => (*only).to_owned(),
                [first, rest @ ..] => format!("{first} and {} more", rest.len()),
                [] => String::new(),
            };
            candidate(name, CompletionKind::Parameter, format!("{} · {used_by}", value_type_name(value_type)))
        })
        .collect()
}

fn value_type_name(value_type: exoscale::ValueType) -> &'static str {
    match value_type {
        exoscale::ValueType::String => "string",
        exoscale::ValueType::Integer => "integer",
        exoscale::ValueType::Boolean => "boolean",
        exoscale::ValueType::Object => "object",
        exoscale::ValueType::StringArray => "array<string>",
        exoscale::ValueType::ObjectArray => "array<object>",
    }
}

#[cfg(test)]
mod tests;
