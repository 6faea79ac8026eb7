//! The validation phase: the finer rules of the policy grammar (versions, `Sid`s, action and
//! ARN syntax, policy variables, condition values and operators) and the checks against the
//! catalogues (EIM's actions and prefixes, AWS's global condition keys). It reads only the tree
//! that syntax built. Every rule and its source is in docs/semantics/aws.md and
//! docs/semantics/outscale.md; advice about policies that are valid is in [`super::lints`].

use super::catalog::{self, GlobalKey, OUTSCALE_PREFIXES, UNDOCUMENTED_PREFIXES};
use super::codes::Code;
use super::conditions::{parse_bool, parse_cidr, parse_date, parse_number};
use super::operators::{BaseOperator, ValueType};
use super::pattern::Pattern;
use super::tree::{Document, Element, Item, Policy, Statement, Version};
use super::{PolicyKind, Profile};
use crate::schema::child_pointer;
use iamlab_model::{Diagnostic, Severity};

/// The managed-policy size limit of EIM (seed: CreatePolicy, "a maximum of 5120 non-whitespace
/// characters").
pub const MANAGED_POLICY_LIMIT: usize = 5120;

/// Validates a read document. `text` is the document (its size is checked against EIM's limit).
pub fn validate(
    profile: Profile,
    kind: PolicyKind,
    text: &str,
    document: &Document,
    diagnostics: &mut Vec<Diagnostic>,
) {
    diagnostics.extend(document.reading_findings.iter().cloned());
    if profile == Profile::Outscale {
        check_length(kind, text, document, diagnostics);
    }
    let Some(policy) = &document.policy else {
        return;
    };
    check_version(profile, policy, diagnostics);
    check_sids(profile, policy, diagnostics);
    for statement in &policy.statements {
        check_statement(profile, policy, statement, diagnostics);
    }
}

fn check_length(kind: PolicyKind, text: &str, document: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let severity = match kind {
        PolicyKind::Inline => return,
        PolicyKind::Managed => Severity::Error,
        PolicyKind::Unknown => Severity::Warning,
    };
    let count = text.chars().filter(|ch| !ch.is_whitespace()).count();
    if count <= MANAGED_POLICY_LIMIT {
        return;
    }
    let message = format!(
        "policy has {count} non-whitespace characters, more than the {MANAGED_POLICY_LIMIT} of a managed policy"
    );
    diagnostics.push(
        Code::PolicyTooLong
            .diagnostic_with_severity(severity, message)
            .with_primary(document.span, "too long for a managed policy")
            .with_help("EIM rejects managed policy documents over 5120 non-whitespace characters: split the policy")
            .with_path(""),
    );
}

fn check_version(profile: Profile, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    match (policy.version, &policy.version_text) {
        (Version::Missing, _) if profile == Profile::Aws => diagnostics.push(
            Code::MissingVersion
                .diagnostic("policy has no `Version`")
                .with_primary(policy.opening_span, "add `\"Version\": \"2012-10-17\"`")
                .with_help(
                    "without `\"Version\": \"2012-10-17\"` policy variables such as `${aws:username}` are plain text",
                )
                .with_path(""),
        ),
        // A `Version` that is not a string has no text: it is already a type mismatch.
        (Version::Other, Some(written)) => diagnostics.push(
            Code::InvalidVersion
                .diagnostic(format!("invalid policy version `{}`", written.value))
                .with_primary(written.span, "expected `2012-10-17`")
                .with_help("`Version` is `2012-10-17` (current) or `2008-10-17`; it is not a date you choose")
                .with_path("/Version"),
        ),
        (Version::V2008, Some(written)) => diagnostics.push(
            Code::OldVersion
                .diagnostic("policy uses the old version `2008-10-17`")
                .with_primary(written.span, "old version")
                .with_help("use `2012-10-17`: under `2008-10-17` policy variables are plain text")
                .with_path("/Version"),
        ),
        _ => {}
    }
}

fn check_sids(profile: Profile, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    for (position, statement) in policy.statements.iter().enumerate() {
        let Some(sid) = &statement.sid else {
            continue;
        };
        let pointer = child_pointer(&statement.pointer.write(), "Sid");
        // EIM accepts what AWS refuses: OUTSCALE's QA suite creates policies and versions with
        // `"Sid": "full_api"` (docs/semantics/outscale.md, "Documents").
        let bad_character = match profile {
            Profile::Aws => sid.value.chars().find(|ch| !ch.is_ascii_alphanumeric()),
            Profile::Outscale => None,
        };
        if let Some(bad) = bad_character {
            diagnostics.push(
                Code::InvalidSid
                    .diagnostic(format!("`Sid` contains `{bad}`"))
                    .with_primary(sid.span, "only letters and digits")
                    .with_help("a `Sid` may contain only ASCII letters (A-Z, a-z) and digits (0-9)")
                    .with_path(pointer.clone()),
            );
        }
        let earlier = policy.statements.get(..position).unwrap_or(&[]).iter().find_map(|other| {
            other.sid.as_ref().filter(|other_sid| other_sid.value == sid.value && !sid.value.is_empty())
        });
        if let Some(first) = earlier {
            diagnostics.push(
                Code::DuplicateSid
                    .diagnostic(format!("duplicate `Sid` `{}`", sid.value))
                    .with_primary(sid.span, "duplicate")
                    .with_secondary(first.span, "first used here")
                    .with_help("statement IDs must be unique within a policy")
                    .with_path(pointer),
            );
        }
    }
}

fn check_statement(profile: Profile, policy: &Policy, statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(principal) = &statement.principal {
        diagnostics.push(
            Code::UnsupportedPrincipal
                .diagnostic("identity policies cannot have `Principal` or `NotPrincipal`")
                .with_primary(principal.span, "not allowed here")
                .with_help(
                    "the principal of an identity policy is the user or group it is attached to: remove this element",
                )
                .with_path(child_pointer(&statement.pointer.write(), principal.value.name())),
        );
    }
    if let Some(actions) = &statement.actions {
        if profile == Profile::Outscale && !actions.negated() && actions.items.is_empty() {
            diagnostics.push(
                Code::EmptyAction
                    .diagnostic("EIM refuses an empty `Action`")
                    .with_primary(actions.value_span, "empty array")
                    .with_help(
                        "OUTSCALE answers 400 InvalidParameterValue to such a policy: list the actions, or remove the statement",
                    )
                    .with_path(actions.pointer.write()),
            );
        }
        for item in &actions.items {
            check_action(profile, item, diagnostics);
        }
    }
    if let Some(resources) = &statement.resources {
        check_resources(profile, policy, resources, diagnostics);
    }
    if let Some(span) = statement.condition_key_span {
        if profile == Profile::Outscale {
            diagnostics.push(
                Code::ConditionUndocumented
                    .diagnostic("EIM does not document the `Condition` element")
                    .with_primary(span, "not documented for EIM")
                    .with_help(
                        "OUTSCALE's EIM policy elements are Statement, Sid, Action, NotAction, Effect and Resource; \
                                the simulation applies the AWS rules, but EIM may ignore or reject the condition",
                    )
                    .with_path(child_pointer(&statement.pointer.write(), "Condition")),
            );
        }
    }
    check_conditions(profile, policy, statement, diagnostics);
}

fn check_action(profile: Profile, item: &Item, diagnostics: &mut Vec<Diagnostic>) {
    let action = item.text.as_str();
    let path = item.pointer.write();
    if action == "*" {
        return;
    }
    if action.contains(',') {
        diagnostics.push(
            Code::CommaInAction
                .diagnostic(format!("action `{action}` contains a comma"))
                .with_primary(item.span, "one action per string")
                .with_help("write each action as its own string in an array: `[\"ec2:StartInstances\", \"ec2:StopInstances\"]`")
                .with_path(path),
        );
        return;
    }
    if action.contains("${") {
        diagnostics.push(
            Code::VariableInAction
                .diagnostic("policy variables are not allowed in `Action`")
                .with_primary(item.span, "variable in an action")
                .with_help("policy variables are substituted only in `Resource` and condition values")
                .with_path(path),
        );
        return;
    }
    let Some((service, name)) = action.split_once(':') else {
        diagnostics.push(
            Code::InvalidAction
                .diagnostic(format!("action `{action}` has no service prefix"))
                .with_primary(item.span, "expected `service:Action`")
                .with_help("write actions as `<service prefix>:<action name>`, e.g. `ec2:DescribeInstances`")
                .with_path(path),
        );
        return;
    };
    let well_formed = !service.is_empty()
        && !name.is_empty()
        && service.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '*' | '?'))
        && name.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '*' | '?' | '.'));
    if !well_formed {
        diagnostics.push(
            Code::InvalidAction
                .diagnostic(format!("action `{action}` is not a valid action name"))
                .with_primary(item.span, "invalid action")
                .with_help(
                    "an action is `<service prefix>:<action name>` with letters, digits and the wildcards `*` and `?`",
                )
                .with_path(path),
        );
        return;
    }
    match profile {
        Profile::Aws => {
            if service.contains(['*', '?']) {
                diagnostics.push(
                    Code::WildcardInService
                        .diagnostic(format!("action `{action}` has a wildcard in its service prefix"))
                        .with_primary(item.span, "wildcard in the service prefix")
                        .with_help("AWS matches wildcards only in the action name: write the service, e.g. `ec2:Describe*`, or `*` for all actions")
                        .with_path(path),
                );
            }
        }
        Profile::Outscale => check_outscale_action(item, service, name, diagnostics),
    }
}

fn check_outscale_action(item: &Item, service: &str, name: &str, diagnostics: &mut Vec<Diagnostic>) {
    let action = item.text.as_str();
    let path = item.pointer.write();
    let lower = service.to_ascii_lowercase();
    if lower == "fcu" || lower == "fcuext" {
        diagnostics.push(
            Code::FcuPrefix
                .diagnostic(format!("`{service}:` is not an EIM service prefix: use `ec2:`"))
                .with_primary(item.span, "grants nothing on OUTSCALE")
                .with_help(format!(
                    "FCU actions are written `ec2:{name}`; a policy with `{service}:` matches no request"
                ))
                .with_path(path),
        );
        return;
    }
    let service_pattern = Pattern::glob(service);
    if service_pattern.has_wildcards() {
        let known =
            OUTSCALE_PREFIXES.iter().chain(&UNDOCUMENTED_PREFIXES).any(|prefix| service_pattern.matches(prefix));
        if !known {
            diagnostics.push(unknown_prefix(item, service).with_path(path));
        }
        return;
    }
    if UNDOCUMENTED_PREFIXES.contains(&service) {
        diagnostics.push(
            Code::UndocumentedPrefix
                .diagnostic(format!("`{service}` is not a documented EIM service prefix"))
                .with_primary(item.span, "undocumented, but honoured")
                .with_help(
                    "OKMS answers to `kms:` actions for EIM users in OUTSCALE's QA tests (a `kms:*` policy allows \
                     `ListKeys`), but EIM's documentation does not list the prefix",
                )
                .with_path(path),
        );
        return;
    }
    if !OUTSCALE_PREFIXES.contains(&service) {
        let diagnostic = match OUTSCALE_PREFIXES.iter().find(|prefix| prefix.eq_ignore_ascii_case(service)) {
            Some(prefix) => Code::ActionCase
                .diagnostic(format!("service prefix `{service}` must be written `{prefix}`"))
                .with_primary(item.span, format!("write `{prefix}:{name}`"))
                .with_help("EIM policies are case sensitive"),
            None => unknown_prefix(item, service),
        };
        diagnostics.push(diagnostic.with_path(path));
        return;
    }
    let name_pattern = Pattern::glob(name);
    if name_pattern.has_wildcards() {
        let any = catalog::actions_of(service).iter().any(|known| name_pattern.matches(&known.name));
        if !any && catalog::is_complete(service) {
            diagnostics.push(
                Code::NoMatchingAction
                    .diagnostic(format!("`{action}` matches no `{service}:` action"))
                    .with_primary(item.span, "matches nothing")
                    .with_help(
                        "EIM action names are case sensitive; check the spelling against the OUTSCALE API reference",
                    )
                    .with_path(path),
            );
        }
        return;
    }
    if catalog::find_exact(service, name).is_some() {
        return;
    }
    if let Some(known) = catalog::find_ignoring_case(service, name) {
        diagnostics.push(
            Code::ActionCase
                .diagnostic(format!("action `{action}` must be written `{}:{}`", known.prefix, known.name))
                .with_primary(item.span, format!("write `{}:{}`", known.prefix, known.name))
                .with_help("EIM policies are case sensitive: a differently cased action matches nothing")
                .with_path(path),
        );
        return;
    }
    let diagnostic = if catalog::is_complete(service) {
        Code::UnknownAction
            .diagnostic(format!("unknown action `{action}`"))
            .with_primary(item.span, format!("not a `{service}:` action"))
            .with_help(format!(
                "the `{service}:` catalogue is complete for this API version: EIM stores the policy, but this action grants nothing; check the spelling"
            ))
    } else {
        Code::UnknownAction
            .diagnostic_with_severity(Severity::Hint, format!("action `{action}` is not in the catalogue"))
            .with_primary(item.span, "not catalogued")
            .with_help(format!(
                "the `{service}:` catalogue is partial (calls seen in OUTSCALE code): the action may still exist"
            ))
    };
    diagnostics.push(diagnostic.with_path(path));
}

fn unknown_prefix(item: &Item, service: &str) -> Diagnostic {
    let help = match service.to_ascii_lowercase().as_str() {
        "s3" | "oos" => {
            "EIM does not apply to OUTSCALE Object Storage (OOS): EIM users cannot use it whatever their policies"
        }
        "icu" => "EIM is not compatible with ICU",
        _ => {
            "EIM stores such a policy, but it grants nothing: EIM service prefixes are `api`, `ec2`, \
              `elasticloadbalancing`, `iam`, `directconnect` and `*`"
        }
    };
    Code::UnknownPrefix
        .diagnostic(format!("`{service}` is not an EIM service prefix"))
        .with_primary(item.span, "unknown service prefix")
        .with_help(help)
}

fn check_resources(profile: Profile, policy: &Policy, resources: &Element, diagnostics: &mut Vec<Diagnostic>) {
    if profile == Profile::Outscale {
        let restricted = resources.negated() || resources.items.iter().any(|item| item.text != "*");
        if restricted {
            diagnostics.push(
                Code::ResourceIgnored
                    .diagnostic(format!("`{}` has no effect on OUTSCALE", resources.name()))
                    .with_primary(resources.value_span, "EIM applies policies to all resources")
                    .with_help("EIM does not support resource-level restrictions: write `\"Resource\": \"*\"`")
                    .with_path(resources.pointer.write()),
            );
        }
    }
    for item in &resources.items {
        check_variables(policy, item, diagnostics);
        if item.text == "*" || profile == Profile::Outscale {
            continue;
        }
        let segments: Vec<&str> = item.text.splitn(6, ':').collect();
        let valid = segments.len() == 6
            && segments.first() == Some(&"arn")
            && segments.get(1).is_some_and(|partition| !partition.is_empty())
            && segments.get(2).is_some_and(|service| !service.is_empty());
        if !valid {
            diagnostics.push(
                Code::InvalidArn
                    .diagnostic(format!("resource `{}` is not a valid ARN", item.text))
                    .with_primary(item.span, "expected `arn:partition:service:region:account:resource` or `*`")
                    .with_help("an ARN has six colon-separated parts, e.g. `arn:aws:s3:::my-bucket/*`")
                    .with_path(item.pointer.write()),
            );
        }
    }
}

/// Malformed variables, and variables in a document whose version does not substitute them.
fn check_variables(policy: &Policy, item: &Item, diagnostics: &mut Vec<Diagnostic>) {
    for error in &item.variable_errors {
        diagnostics.push(
            Code::InvalidVariable
                .diagnostic(error.value.clone())
                .with_primary(error.span, "malformed policy variable")
                .with_help("write `${key}`, `${key, 'default'}`, or `${*}`, `${?}`, `${$}` for the literal characters")
                .with_path(item.pointer.write()),
        );
    }
    if !policy.version.has_variables() && item.is_string && item.text.contains("${") {
        diagnostics.push(
            Code::VariableWithoutVersion
                .diagnostic("policy variable is plain text without `\"Version\": \"2012-10-17\"`")
                .with_primary(item.span, "not substituted")
                .with_help("add `\"Version\": \"2012-10-17\"` at the top of the policy to use policy variables")
                .with_path(item.pointer.write()),
        );
    }
}

/// Whether a key of `key` type may be tested by an operator comparing `operator` values.
fn compatible(operator: ValueType, key: ValueType) -> bool {
    operator == key
        || operator == ValueType::Null
        || (operator == ValueType::String && key == ValueType::Arn)
        || (operator == ValueType::Numeric && key == ValueType::Date)
}

fn check_conditions(profile: Profile, policy: &Policy, statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    for block in &statement.conditions {
        let operator = block.operator;
        let base = operator.base;
        let canonical = operator.canonical();
        if canonical != block.operator_text {
            diagnostics.push(
                Code::OperatorCase
                    .diagnostic(format!("write `{canonical}` rather than `{}`", block.operator_text))
                    .with_primary(block.operator_span, format!("`{canonical}`"))
                    .with_help(
                        "condition operators are read ignoring case, but every IAM reference writes them this way",
                    )
                    .with_path(block.pointer.write()),
            );
        }
        if base == BaseOperator::Null && operator.if_exists {
            diagnostics.push(
                Code::NullWithIfExists
                    .diagnostic("`Null` cannot take the `IfExists` suffix")
                    .with_primary(block.operator_span, "`NullIfExists` is not an operator")
                    .with_help("`Null` already tests whether the key exists: use `Null`")
                    .with_path(block.pointer.write()),
            );
        }
        for entry in &block.entries {
            for item in &entry.values {
                check_variables(policy, item, diagnostics);
                check_condition_value(base, item, diagnostics);
            }
            let Some(key) = catalog::global_key(&entry.key) else {
                if profile == Profile::Aws
                    && entry.key.len() > 4
                    && entry.key.get(..4).is_some_and(|head| head.eq_ignore_ascii_case("aws:"))
                {
                    diagnostics.push(
                        Code::UnknownGlobalKey
                            .diagnostic(format!("`{}` is not a known global condition key", entry.key))
                            .with_primary(entry.key_span, "unknown `aws:` key")
                            .with_help("check the spelling against the AWS global condition context keys; an absent key makes positive operators false")
                            .with_path(entry.pointer.write()),
                    );
                }
                continue;
            };
            let GlobalKey { value_type: key_type, multivalued } = key;
            if !compatible(base.value_type(), key_type) {
                diagnostics.push(
                    Code::OperatorKeyMismatch
                        .diagnostic(format!(
                            "operator `{}` compares {} values but `{}` is of type {}",
                            block.operator_text,
                            base.value_type().as_str(),
                            entry.key,
                            key_type.as_str()
                        ))
                        .with_primary(entry.key_span, format!("a {} key", key_type.as_str()))
                        .with_help(format!("use an operator of type {} for `{}`", key_type.as_str(), entry.key))
                        .with_path(entry.pointer.write()),
                );
            }
            match (operator.set, multivalued) {
                (Some(_), false) if base != BaseOperator::Null => diagnostics.push(
                    Code::SetOperatorOnSingleValue
                        .diagnostic(format!("`{}` is single-valued: `ForAllValues`/`ForAnyValue` do not belong here", entry.key))
                        .with_primary(block.operator_span, "set operator on a single-valued key")
                        .with_help("set operators are for multivalued keys; with a single-valued key `ForAllValues` is also true when the key is missing")
                        .with_path(entry.pointer.write()),
                ),
                (None, true) if base != BaseOperator::Null => diagnostics.push(
                    Code::MissingSetOperator
                        .diagnostic(format!("`{}` is multivalued: use `ForAllValues:` or `ForAnyValue:`", entry.key))
                        .with_primary(block.operator_span, "no set operator")
                        .with_help("say whether every value or at least one value of the request must match")
                        .with_path(entry.pointer.write()),
                ),
                _ => {}
            }
        }
    }
}

fn check_condition_value(base: BaseOperator, item: &Item, diagnostics: &mut Vec<Diagnostic>) {
    if item.template.has_variables() && base.supports_variables() {
        return;
    }
    let text = item.text.as_str();
    let valid = match base.value_type() {
        ValueType::String | ValueType::Arn => item.is_string,
        ValueType::Numeric => parse_number(text).is_some(),
        ValueType::Date => parse_date(text).is_some(),
        ValueType::Bool => parse_bool(text).is_some(),
        ValueType::Null => parse_bool(text).is_some(),
        ValueType::Ip => parse_cidr(text).is_some(),
        ValueType::Binary => {
            !text.is_empty() && text.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '/' | '='))
        }
    };
    if valid {
        return;
    }
    let expected = match base.value_type() {
        ValueType::String | ValueType::Arn => "a string",
        ValueType::Numeric => "a number",
        ValueType::Date => "an ISO 8601 date or epoch seconds",
        ValueType::Bool | ValueType::Null => "`true` or `false`",
        ValueType::Ip => "an IPv4 or IPv6 address or CIDR block",
        ValueType::Binary => "base64 text",
    };
    diagnostics.push(
        Code::ConditionTypeMismatch
            .diagnostic(format!("`{text}` is not a valid value for `{}`", base.name()))
            .with_primary(item.span, format!("expected {expected}"))
            .with_help(format!("`{}` compares {} values", base.name(), base.value_type().as_str()))
            .with_path(item.pointer.write()),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_rendered, fixture, read, render};
    use super::*;

    /// Validates `text` in `profile` as a policy of unknown kind; prints validation's findings
    /// in the order found.
    #[track_caller]
    fn check(profile: Profile, text: &str, expect: &str) {
        let text = fixture(text);
        let (document, _) = read(text);
        let mut diagnostics = Vec::new();
        validate(profile, PolicyKind::Unknown, text, &document, &mut diagnostics);
        assert_rendered(&render(text, &diagnostics), expect);
    }

    #[test]
    fn versions_and_sids() {
        check(
            Profile::Aws,
            r#"
{"Statement": [{"Sid": "A-1", "Effect": "Allow", "Action": "*", "Resource": "*"},
 {"Sid": "A-1", "Effect": "Deny", "Action": "*", "Resource": "*"}]}
"#,
            r#"
warning aws::missing-version [] `{`: policy has no `Version`
    help: without `"Version": "2012-10-17"` policy variables such as `${aws:username}` are plain text
error aws::invalid-sid [/Statement/0/Sid] `"A-1"`: `Sid` contains `-`
    help: a `Sid` may contain only ASCII letters (A-Z, a-z) and digits (0-9)
error aws::invalid-sid [/Statement/1/Sid] `"A-1"`: `Sid` contains `-`
    help: a `Sid` may contain only ASCII letters (A-Z, a-z) and digits (0-9)
error aws::duplicate-sid [/Statement/1/Sid] `"A-1"`: duplicate `Sid` `A-1`
    help: statement IDs must be unique within a policy
"#,
        );
        check(
            Profile::Outscale,
            r#"
{"Version": "2024-01-01", "Statement": []}
"#,
            r#"
error aws::invalid-version [/Version] `"2024-01-01"`: invalid policy version `2024-01-01`
    help: `Version` is `2012-10-17` (current) or `2008-10-17`; it is not a date you choose
"#,
        );
        check(
            Profile::Aws,
            r#"
{"Version": "2008-10-17", "Statement": []}
"#,
            r#"
warning aws::old-version [/Version] `"2008-10-17"`: policy uses the old version `2008-10-17`
    help: use `2012-10-17`: under `2008-10-17` policy variables are plain text
"#,
        );
    }

    #[test]
    fn eim_accepts_what_outscale_qa_creates_and_refuses_an_empty_action() {
        // OUTSCALE QA: `"Sid": "full_api"` is created (test_CreatePolicyVersion.py T5521),
        // `"Action": []` answers 400 InvalidParameterValue (test_CreatePolicy.py T2621).
        check(
            Profile::Outscale,
            r#"
{"Statement": [{"Sid": "full_api", "Action": [], "Resource": ["*"], "Effect": "Deny"},
 {"Sid": "full_api2", "NotAction": [], "Resource": "*", "Effect": "Deny"}]}
"#,
            r#"
error outscale::empty-action [/Statement/0/Action] `[]`: EIM refuses an empty `Action`
    help: OUTSCALE answers 400 InvalidParameterValue to such a policy: list the actions, or remove the statement
"#,
        );
    }

    #[test]
    fn principals_and_reading_findings() {
        check(
            Profile::Aws,
            r#"
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*", "Extra": 1}}
"#,
            r#"
error aws::unknown-element [/Statement/Extra] `"Extra"`: `Extra` is not a statement element
    help: a statement has only `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource`, `Condition`
error aws::unsupported-principal [/Statement/NotPrincipal] `"NotPrincipal"`: identity policies cannot have `Principal` or `NotPrincipal`
    help: the principal of an identity policy is the user or group it is attached to: remove this element
"#,
        );
    }

    #[test]
    fn action_syntax() {
        check(
            Profile::Aws,
            r#"
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "*",
 "Action": ["ec2:A,ec2:B", "s3:${x}", "DescribeInstances", "ec2:Describe Instances", "*:Get*", "ec2:*", "*"]}}
"#,
            r#"
error aws::comma-in-action [/Statement/Action/0] `"ec2:A,ec2:B"`: action `ec2:A,ec2:B` contains a comma
    help: write each action as its own string in an array: `["ec2:StartInstances", "ec2:StopInstances"]`
error aws::variable-in-action [/Statement/Action/1] `"s3:${x}"`: policy variables are not allowed in `Action`
    help: policy variables are substituted only in `Resource` and condition values
error aws::invalid-action [/Statement/Action/2] `"DescribeInstances"`: action `DescribeInstances` has no service prefix
    help: write actions as `<service prefix>:<action name>`, e.g. `ec2:DescribeInstances`
error aws::invalid-action [/Statement/Action/3] `"ec2:Describe Instances"`: action `ec2:Describe Instances` is not a valid action name
    help: an action is `<service prefix>:<action name>` with letters, digits and the wildcards `*` and `?`
error aws::wildcard-in-service [/Statement/Action/4] `"*:Get*"`: action `*:Get*` has a wildcard in its service prefix
    help: AWS matches wildcards only in the action name: write the service, e.g. `ec2:Describe*`, or `*` for all actions
"#,
        );
    }

    #[test]
    fn eim_actions_against_the_catalogue() {
        check(
            Profile::Outscale,
            r#"
{"Statement": {"Effect": "Allow", "Resource": "*", "Action": [
 "fcu:RunInstances", "API:ReadVms", "s3:GetObject", "kms:ListKeys", "x*:Read*", "*:Read*",
 "api:Reed*", "ec2:Zzz*", "api:ReadVms", "api:readvms", "api:ReadVm", "ec2:DescribeNothing"]}}
"#,
            r#"
error outscale::fcu-prefix [/Statement/Action/0] `"fcu:RunInstances"`: `fcu:` is not an EIM service prefix: use `ec2:`
    help: FCU actions are written `ec2:RunInstances`; a policy with `fcu:` matches no request
error outscale::action-case [/Statement/Action/1] `"API:ReadVms"`: service prefix `API` must be written `api`
    help: EIM policies are case sensitive
warning outscale::unknown-prefix [/Statement/Action/2] `"s3:GetObject"`: `s3` is not an EIM service prefix
    help: EIM does not apply to OUTSCALE Object Storage (OOS): EIM users cannot use it whatever their policies
warning outscale::undocumented-prefix [/Statement/Action/3] `"kms:ListKeys"`: `kms` is not a documented EIM service prefix
    help: OKMS answers to `kms:` actions for EIM users in OUTSCALE's QA tests (a `kms:*` policy allows `ListKeys`), but EIM's documentation does not list the prefix
warning outscale::unknown-prefix [/Statement/Action/4] `"x*:Read*"`: `x*` is not an EIM service prefix
    help: EIM stores such a policy, but it grants nothing: EIM service prefixes are `api`, `ec2`, `elasticloadbalancing`, `iam`, `directconnect` and `*`
warning outscale::no-matching-action [/Statement/Action/6] `"api:Reed*"`: `api:Reed*` matches no `api:` action
    help: EIM action names are case sensitive; check the spelling against the OUTSCALE API reference
error outscale::action-case [/Statement/Action/9] `"api:readvms"`: action `api:readvms` must be written `api:ReadVms`
    help: EIM policies are case sensitive: a differently cased action matches nothing
warning outscale::unknown-action [/Statement/Action/10] `"api:ReadVm"`: unknown action `api:ReadVm`
    help: the `api:` catalogue is complete for this API version: EIM stores the policy, but this action grants nothing; check the spelling
hint outscale::unknown-action [/Statement/Action/11] `"ec2:DescribeNothing"`: action `ec2:DescribeNothing` is not in the catalogue
    help: the `ec2:` catalogue is partial (calls seen in OUTSCALE code): the action may still exist
"#,
        );
    }

    #[test]
    fn resources_and_variables() {
        check(
            Profile::Aws,
            r#"
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
 "Resource": ["*", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3", "bucket", "arn::s3:::b", "arn:aws:s3:::${}"]}}
"#,
            r#"
error aws::invalid-arn [/Statement/Resource/2] `"arn:aws:s3"`: resource `arn:aws:s3` is not a valid ARN
    help: an ARN has six colon-separated parts, e.g. `arn:aws:s3:::my-bucket/*`
error aws::invalid-arn [/Statement/Resource/3] `"bucket"`: resource `bucket` is not a valid ARN
    help: an ARN has six colon-separated parts, e.g. `arn:aws:s3:::my-bucket/*`
error aws::invalid-arn [/Statement/Resource/4] `"arn::s3:::b"`: resource `arn::s3:::b` is not a valid ARN
    help: an ARN has six colon-separated parts, e.g. `arn:aws:s3:::my-bucket/*`
error aws::invalid-variable [/Statement/Resource/5] `${}`: policy variable has no key name
    help: write `${key}`, `${key, 'default'}`, or `${*}`, `${?}`, `${$}` for the literal characters
"#,
        );
        check(
            Profile::Outscale,
            r#"
{"Statement": {"Effect": "Allow", "Action": "api:ReadVms", "Resource": "arn:osc:${aws:username}"}}
"#,
            r#"
warning outscale::resource-ignored [/Statement/Resource] `"arn:osc:${aws:username}"`: `Resource` has no effect on OUTSCALE
    help: EIM does not support resource-level restrictions: write `"Resource": "*"`
warning aws::variable-without-version [/Statement/Resource] `"arn:osc:${aws:username}"`: policy variable is plain text without `"Version": "2012-10-17"`
    help: add `"Version": "2012-10-17"` at the top of the policy to use policy variables
"#,
        );
    }

    #[test]
    fn conditions_against_operators_and_global_keys() {
        check(
            Profile::Aws,
            r#"
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {
 "stringequals": {"aws:username": "bob"},
 "NullIfExists": {"aws:TokenIssueTime": "true"},
 "NumericLessThan": {"aws:MultiFactorAuthAge": "soon", "s3:max-keys": "10"},
 "DateGreaterThan": {"aws:CurrentTime": "2020-13-01"},
 "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "300.0.0.1"]},
 "Bool": {"aws:SecureTransport": "yes", "aws:username": "${aws:PrincipalTag/flag}"},
 "BinaryEquals": {"k": "not base64!"},
 "StringLike": {"aws:SourceIp": "10.*", "aws:usrname": "x", "aws:TagKeys": "a"},
 "ForAnyValue:StringEquals": {"aws:username": "bob", "aws:RequestTag/team": ["a"]}}}}
"#,
            r#"
warning aws::operator-case [/Statement/Condition/stringequals] `"stringequals"`: write `StringEquals` rather than `stringequals`
    help: condition operators are read ignoring case, but every IAM reference writes them this way
error aws::null-with-if-exists [/Statement/Condition/NullIfExists] `"NullIfExists"`: `Null` cannot take the `IfExists` suffix
    help: `Null` already tests whether the key exists: use `Null`
error aws::condition-type-mismatch [/Statement/Condition/NumericLessThan/aws:MultiFactorAuthAge] `"soon"`: `soon` is not a valid value for `NumericLessThan`
    help: `NumericLessThan` compares Numeric values
error aws::condition-type-mismatch [/Statement/Condition/DateGreaterThan/aws:CurrentTime] `"2020-13-01"`: `2020-13-01` is not a valid value for `DateGreaterThan`
    help: `DateGreaterThan` compares Date values
error aws::condition-type-mismatch [/Statement/Condition/IpAddress/aws:SourceIp/1] `"300.0.0.1"`: `300.0.0.1` is not a valid value for `IpAddress`
    help: `IpAddress` compares IPAddress values
error aws::condition-type-mismatch [/Statement/Condition/Bool/aws:SecureTransport] `"yes"`: `yes` is not a valid value for `Bool`
    help: `Bool` compares Bool values
warning aws::operator-key-mismatch [/Statement/Condition/Bool/aws:username] `"aws:username"`: operator `Bool` compares Bool values but `aws:username` is of type String
    help: use an operator of type String for `aws:username`
error aws::condition-type-mismatch [/Statement/Condition/BinaryEquals/k] `"not base64!"`: `not base64!` is not a valid value for `BinaryEquals`
    help: `BinaryEquals` compares Binary values
warning aws::operator-key-mismatch [/Statement/Condition/StringLike/aws:SourceIp] `"aws:SourceIp"`: operator `StringLike` compares String values but `aws:SourceIp` is of type IPAddress
    help: use an operator of type IPAddress for `aws:SourceIp`
warning aws::unknown-global-key [/Statement/Condition/StringLike/aws:usrname] `"aws:usrname"`: `aws:usrname` is not a known global condition key
    help: check the spelling against the AWS global condition context keys; an absent key makes positive operators false
warning aws::missing-set-operator [/Statement/Condition/StringLike/aws:TagKeys] `"StringLike"`: `aws:TagKeys` is multivalued: use `ForAllValues:` or `ForAnyValue:`
    help: say whether every value or at least one value of the request must match
warning aws::set-operator-on-single-value [/Statement/Condition/ForAnyValue:StringEquals/aws:username] `"ForAnyValue:StringEquals"`: `aws:username` is single-valued: `ForAllValues`/`ForAnyValue` do not belong here
    help: set operators are for multivalued keys; with a single-valued key `ForAllValues` is also true when the key is missing
warning aws::set-operator-on-single-value [/Statement/Condition/ForAnyValue:StringEquals/aws:RequestTag~1team] `"ForAnyValue:StringEquals"`: `aws:RequestTag/team` is single-valued: `ForAllValues`/`ForAnyValue` do not belong here
    help: set operators are for multivalued keys; with a single-valued key `ForAllValues` is also true when the key is missing
"#,
        );
        check(
            Profile::Outscale,
            r#"
{"Statement": {"Effect": "Allow", "Action": "api:ReadVms", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}}
"#,
            r#"
warning outscale::condition-undocumented [/Statement/Condition] `"Condition"`: EIM does not document the `Condition` element
    help: OUTSCALE's EIM policy elements are Statement, Sid, Action, NotAction, Effect and Resource; the simulation applies the AWS rules, but EIM may ignore or reject the condition
"#,
        );
    }

    #[test]
    fn the_managed_policy_size_limit_depends_on_the_role() {
        let statement = r#"{"Effect": "Allow", "Action": "api:ReadVms", "Resource": "*"}"#;
        let text = format!("{{\"Statement\": [{}]}}", vec![statement; 110].join(", "));
        let (document, _) = read(&text);
        let codes = |profile: Profile, kind: PolicyKind| {
            let mut diagnostics = Vec::new();
            validate(profile, kind, &text, &document, &mut diagnostics);
            diagnostics
                .iter()
                .map(|diagnostic| format!("{} {}", diagnostic.severity.as_str(), diagnostic.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(Profile::Outscale, PolicyKind::Managed), ["error outscale::policy-too-long"]);
        assert_eq!(codes(Profile::Outscale, PolicyKind::Unknown), ["warning outscale::policy-too-long"]);
        assert!(codes(Profile::Outscale, PolicyKind::Inline).is_empty());
        // AWS has no such limit on the policies iamlab reads (only the missing `Version` shows).
        assert_eq!(codes(Profile::Aws, PolicyKind::Managed), ["warning aws::missing-version"]);
    }
}
