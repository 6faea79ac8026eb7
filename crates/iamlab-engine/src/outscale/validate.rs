//! The validation phase: Access-Analyzer-style checks over the JSON tree and the policy tree.
//! Every rule and its source is in docs/semantics/aws.md and docs/semantics/outscale.md.

use super::catalog::{self, OUTSCALE_PREFIXES};
use super::conditions::{parse_bool, parse_cidr, parse_date, parse_number, BaseOperator, SetQualifier, ValueType};
use super::evaluate::action_matches;
use super::pattern::Pattern;
use super::syntax::{
    last_member, Element, Item, Policy, Statement, StatementEffect, Version, STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS,
};
use super::{Profile, ValidateOptions};
use iamlab_model::json::{escape_pointer_segment, JsonKind, JsonValue};
use iamlab_model::{Diagnostic, Span};

/// The managed-policy size limit of EIM (seed: CreatePolicy, "a maximum of 5120 non-whitespace
/// characters").
pub const MANAGED_POLICY_LIMIT: usize = 5120;

pub fn validate(
    profile: Profile,
    options: &ValidateOptions,
    text: &str,
    root: &JsonValue,
    policy: Option<&Policy>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    check_case_duplicates(root, "", diagnostics);
    if profile == Profile::Outscale {
        check_length(options, text, root, diagnostics);
    }
    let Some(members) = root.as_object() else {
        return;
    };
    check_unknown_elements(root, &TOP_LEVEL_ELEMENTS, "", "policy", diagnostics);
    let Some(policy) = policy else {
        return;
    };
    check_version(profile, root, policy, diagnostics);
    if let Some(statement) = last_member(members, "Statement") {
        match &statement.value.kind {
            JsonKind::Array(items) => {
                if items.is_empty() {
                    diagnostics.push(
                        Diagnostic::warning("aws::empty-statement", "policy has no statement and grants nothing")
                            .with_primary(statement.value.span, "empty array")
                            .with_path("/Statement"),
                    );
                }
                for (index, item) in items.iter().enumerate() {
                    check_unknown_elements(
                        item,
                        &STATEMENT_ELEMENTS,
                        &format!("/Statement/{index}"),
                        "statement",
                        diagnostics,
                    );
                }
            }
            JsonKind::Object(_) => {
                check_unknown_elements(&statement.value, &STATEMENT_ELEMENTS, "/Statement", "statement", diagnostics);
            }
            _ => {}
        }
    }
    check_sids(policy, diagnostics);
    for statement in &policy.statements {
        check_statement(profile, policy, statement, diagnostics);
    }
    if profile == Profile::Outscale {
        check_twins(policy, diagnostics);
    }
}

/// Keys of one object that differ only in case (`Effect` and `effect`): exact duplicates are
/// already reported by the JSON reader.
fn check_case_duplicates(value: &JsonValue, pointer: &str, diagnostics: &mut Vec<Diagnostic>) {
    match &value.kind {
        JsonKind::Object(members) => {
            for (position, member) in members.iter().enumerate() {
                let earlier = members
                    .get(..position)
                    .unwrap_or(&[])
                    .iter()
                    .find(|other| other.key != member.key && other.key.eq_ignore_ascii_case(&member.key));
                if let Some(first) = earlier {
                    diagnostics.push(
                        Diagnostic::error(
                            "aws::duplicate-key-case",
                            format!("key `{}` duplicates `{}` up to case", member.key, first.key),
                        )
                        .with_primary(member.key_span, "duplicate key")
                        .with_secondary(first.key_span, "first written here")
                        .with_help("policy elements and condition keys must appear once; remove one of them")
                        .with_path(format!("{pointer}/{}", escape_pointer_segment(&member.key))),
                    );
                }
                let child = format!("{pointer}/{}", escape_pointer_segment(&member.key));
                check_case_duplicates(&member.value, &child, diagnostics);
            }
        }
        JsonKind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_case_duplicates(item, &format!("{pointer}/{index}"), diagnostics);
            }
        }
        _ => {}
    }
}

fn check_length(options: &ValidateOptions, text: &str, root: &JsonValue, diagnostics: &mut Vec<Diagnostic>) {
    if options.managed_policy == Some(false) {
        return;
    }
    let count = text.chars().filter(|ch| !ch.is_whitespace()).count();
    if count <= MANAGED_POLICY_LIMIT {
        return;
    }
    let message = format!(
        "policy has {count} non-whitespace characters, more than the {MANAGED_POLICY_LIMIT} of a managed policy"
    );
    let diagnostic = if options.managed_policy == Some(true) {
        Diagnostic::error("outscale::policy-too-long", message)
    } else {
        Diagnostic::warning("outscale::policy-too-long", message)
    };
    diagnostics.push(
        diagnostic
            .with_primary(root.span, "too long for a managed policy")
            .with_help("EIM rejects managed policy documents over 5120 non-whitespace characters: split the policy")
            .with_path(""),
    );
}

fn check_unknown_elements(
    value: &JsonValue,
    known: &[&str],
    pointer: &str,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(members) = value.as_object() else {
        return;
    };
    for member in members {
        if known.contains(&member.key.as_str()) {
            continue;
        }
        let path = format!("{pointer}/{}", escape_pointer_segment(&member.key));
        let diagnostic = match known.iter().find(|name| name.eq_ignore_ascii_case(&member.key)) {
            Some(name) => {
                Diagnostic::error("aws::element-case", format!("element `{}` must be written `{name}`", member.key))
                    .with_primary(member.key_span, format!("write `{name}`"))
                    .with_help("policy element names are case sensitive and start with an upper-case letter")
            }
            None => Diagnostic::error("aws::unknown-element", format!("`{}` is not a {what} element", member.key))
                .with_primary(member.key_span, "unknown element")
                .with_help(format!(
                    "a {what} has only {}",
                    known.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                )),
        };
        diagnostics.push(diagnostic.with_path(path));
    }
}

fn check_version(profile: Profile, root: &JsonValue, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    match (policy.version, policy.version_span) {
        (Version::Missing, _) if profile == Profile::Aws => diagnostics.push(
            Diagnostic::warning("aws::missing-version", "policy has no `Version`")
                .with_primary(
                    Span::new(root.span.start, root.span.start.saturating_add(1)),
                    "add `\"Version\": \"2012-10-17\"`",
                )
                .with_help(
                    "without `\"Version\": \"2012-10-17\"` policy variables such as `${aws:username}` are plain text",
                )
                .with_path(""),
        ),
        (Version::Other, Some(span)) => {
            // A non-string `Version` is already a type mismatch.
            let Some(written) = root.get("Version").and_then(JsonValue::as_str) else {
                return;
            };
            diagnostics.push(
                Diagnostic::error("aws::invalid-version", format!("invalid policy version `{written}`"))
                    .with_primary(span, "expected `2012-10-17`")
                    .with_help("`Version` is `2012-10-17` (current) or `2008-10-17`; it is not a date you choose")
                    .with_path("/Version"),
            );
        }
        (Version::V2008, Some(span)) => diagnostics.push(
            Diagnostic::warning("aws::old-version", "policy uses the old version `2008-10-17`")
                .with_primary(span, "old version")
                .with_help("use `2012-10-17`: under `2008-10-17` policy variables are plain text")
                .with_path("/Version"),
        ),
        _ => {}
    }
}

fn check_sids(policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    for (position, statement) in policy.statements.iter().enumerate() {
        let Some((sid, span)) = &statement.sid else {
            continue;
        };
        if let Some(bad) = sid.chars().find(|ch| !ch.is_ascii_alphanumeric()) {
            diagnostics.push(
                Diagnostic::error("aws::invalid-sid", format!("`Sid` contains `{bad}`"))
                    .with_primary(*span, "only letters and digits")
                    .with_help("a `Sid` may contain only ASCII letters (A-Z, a-z) and digits (0-9)")
                    .with_path(format!("{}/Sid", statement.pointer)),
            );
        }
        let earlier = policy
            .statements
            .get(..position)
            .unwrap_or(&[])
            .iter()
            .find_map(|other| other.sid.as_ref().filter(|(other_sid, _)| other_sid == sid && !sid.is_empty()));
        if let Some((_, first_span)) = earlier {
            diagnostics.push(
                Diagnostic::error("aws::duplicate-sid", format!("duplicate `Sid` `{sid}`"))
                    .with_primary(*span, "duplicate")
                    .with_secondary(*first_span, "first used here")
                    .with_help("statement IDs must be unique within a policy")
                    .with_path(format!("{}/Sid", statement.pointer)),
            );
        }
    }
}

fn check_statement(profile: Profile, policy: &Policy, statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    if let Some((name, span)) = statement.principal {
        diagnostics.push(
            Diagnostic::error(
                "aws::unsupported-principal",
                "identity policies cannot have `Principal` or `NotPrincipal`",
            )
            .with_primary(span, "not allowed here")
            .with_help(
                "the principal of an identity policy is the user or group it is attached to: remove this element",
            )
            .with_path(format!("{}/{name}", statement.pointer)),
        );
    }
    let allow = matches!(statement.effect, Some((StatementEffect::Allow, _)));
    if let Some(actions) = &statement.actions {
        check_empty(actions, diagnostics);
        for item in &actions.items {
            check_action(profile, item, diagnostics);
        }
        check_redundant_actions(profile, actions, diagnostics);
        if allow && actions.negated {
            diagnostics.push(
                Diagnostic::warning(
                    "aws::allow-with-not-action",
                    "`Allow` with `NotAction` allows every action not listed",
                )
                .with_primary(actions.key_span, "`NotAction` in an `Allow` statement")
                .with_help(
                    "this also allows actions and services added later; list the allowed actions in `Action` instead",
                )
                .with_path(actions.pointer.clone()),
            );
        }
    }
    if let Some(resources) = &statement.resources {
        check_empty(resources, diagnostics);
        check_resources(profile, policy, resources, diagnostics);
        if allow && resources.negated && profile == Profile::Aws {
            diagnostics.push(
                Diagnostic::warning(
                    "aws::allow-with-not-resource",
                    "`Allow` with `NotResource` allows every resource not listed",
                )
                .with_primary(resources.key_span, "`NotResource` in an `Allow` statement")
                .with_help("list the allowed resources in `Resource` instead")
                .with_path(resources.pointer.clone()),
            );
        }
    }
    if allow {
        check_wildcard_escalation(profile, statement, diagnostics);
        if profile == Profile::Outscale {
            check_policy_management(statement, diagnostics);
        }
    }
    if let Some(span) = statement.condition_key_span {
        if profile == Profile::Outscale {
            diagnostics.push(
                Diagnostic::warning(
                    "outscale::condition-undocumented",
                    "EIM does not document the `Condition` element",
                )
                .with_primary(span, "not documented for EIM")
                .with_help(
                    "OUTSCALE's EIM policy elements are Statement, Sid, Action, NotAction, Effect and Resource; \
                                the simulation applies the AWS rules, but EIM may ignore or reject the condition",
                )
                .with_path(format!("{}/Condition", statement.pointer)),
            );
        }
        if statement.conditions.is_empty() && statement.condition_is_object {
            diagnostics.push(
                Diagnostic::info("aws::empty-object-condition", "`Condition` is an empty object")
                    .with_primary(span, "no condition")
                    .with_help("remove the empty `Condition`")
                    .with_path(format!("{}/Condition", statement.pointer)),
            );
        }
    }
    check_conditions(profile, policy, statement, diagnostics);
}

fn check_empty(element: &Element, diagnostics: &mut Vec<Diagnostic>) {
    if element.items.is_empty() {
        let lower = element.name.to_ascii_lowercase();
        diagnostics.push(
            Diagnostic::info(format!("aws::empty-array-{lower}"), format!("`{}` is an empty array", element.name))
                .with_primary(element.value_span, "empty array")
                .with_help(format!(
                    "a statement with an empty `{}` never matches; list values or remove the statement",
                    element.name
                ))
                .with_path(element.pointer.clone()),
        );
    }
}

fn check_action(profile: Profile, item: &Item, diagnostics: &mut Vec<Diagnostic>) {
    let action = item.text.as_str();
    let path = item.pointer.clone();
    if action == "*" {
        return;
    }
    if action.contains(',') {
        diagnostics.push(
            Diagnostic::error("aws::comma-in-action", format!("action `{action}` contains a comma"))
                .with_primary(item.span, "one action per string")
                .with_help("write each action as its own string in an array: `[\"ec2:StartInstances\", \"ec2:StopInstances\"]`")
                .with_path(path),
        );
        return;
    }
    if action.contains("${") {
        diagnostics.push(
            Diagnostic::error("aws::variable-in-action", "policy variables are not allowed in `Action`")
                .with_primary(item.span, "variable in an action")
                .with_help("policy variables are substituted only in `Resource` and condition values")
                .with_path(path),
        );
        return;
    }
    let Some((service, name)) = action.split_once(':') else {
        diagnostics.push(
            Diagnostic::error("aws::invalid-action", format!("action `{action}` has no service prefix"))
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
            Diagnostic::error("aws::invalid-action", format!("action `{action}` is not a valid action name"))
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
                    Diagnostic::error("aws::wildcard-in-service", format!("action `{action}` has a wildcard in its service prefix"))
                        .with_primary(item.span, "wildcard in the service prefix")
                        .with_help("AWS matches wildcards only in the action name: write the service, e.g. `ec2:Describe*`, or `*` for all actions")
                        .with_path(path),
                );
            }
        }
        Profile::Outscale => check_outscale_action(item, service, name, diagnostics),
    }
}

/// An action already covered by a wildcard of the same list (Access Analyzer's "Redundant
/// action" suggestion).
fn check_redundant_actions(profile: Profile, actions: &Element, diagnostics: &mut Vec<Diagnostic>) {
    let wildcards: Vec<&Item> = actions.items.iter().filter(|item| item.text.contains(['*', '?'])).collect();
    if wildcards.is_empty() {
        return;
    }
    for item in actions.items.iter().filter(|item| !item.text.contains(['*', '?'])) {
        if let Some(wider) = wildcards.iter().find(|wider| action_matches(profile, &wider.text, &item.text)) {
            diagnostics.push(
                Diagnostic::info(
                    "aws::redundant-action",
                    format!("`{}` is already covered by `{}`", item.text, wider.text),
                )
                .with_primary(item.span, "redundant")
                .with_secondary(wider.span, "covers it")
                .with_help("remove the redundant action")
                .with_path(item.pointer.clone()),
            );
        }
    }
}

fn check_outscale_action(item: &Item, service: &str, name: &str, diagnostics: &mut Vec<Diagnostic>) {
    let action = item.text.as_str();
    let path = item.pointer.clone();
    let lower = service.to_ascii_lowercase();
    if lower == "fcu" || lower == "fcuext" {
        diagnostics.push(
            Diagnostic::error("outscale::fcu-prefix", format!("`{service}:` is not an EIM service prefix: use `ec2:`"))
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
        if !OUTSCALE_PREFIXES.iter().any(|prefix| service_pattern.matches(prefix, false)) {
            diagnostics.push(unknown_prefix(item, service).with_path(path));
        }
        return;
    }
    if !OUTSCALE_PREFIXES.contains(&service) {
        let diagnostic = match OUTSCALE_PREFIXES.iter().find(|prefix| prefix.eq_ignore_ascii_case(service)) {
            Some(prefix) => Diagnostic::error(
                "outscale::action-case",
                format!("service prefix `{service}` must be written `{prefix}`"),
            )
            .with_primary(item.span, format!("write `{prefix}:{name}`"))
            .with_help("EIM policies are case sensitive"),
            None => unknown_prefix(item, service),
        };
        diagnostics.push(diagnostic.with_path(path));
        return;
    }
    let name_pattern = Pattern::glob(name);
    if name_pattern.has_wildcards() {
        let any = catalog::actions_of(service).iter().any(|known| name_pattern.matches(known.name, false));
        if !any && catalog::is_complete(service) {
            diagnostics.push(
                Diagnostic::warning(
                    "outscale::no-matching-action",
                    format!("`{action}` matches no `{service}:` action"),
                )
                .with_primary(item.span, "matches nothing")
                .with_help("EIM action names are case sensitive; check the spelling against the OUTSCALE API reference")
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
            Diagnostic::error(
                "outscale::action-case",
                format!("action `{action}` must be written `{}:{}`", known.prefix, known.name),
            )
            .with_primary(item.span, format!("write `{}:{}`", known.prefix, known.name))
            .with_help("EIM policies are case sensitive: a differently cased action matches nothing")
            .with_path(path),
        );
        return;
    }
    let diagnostic = if catalog::is_complete(service) {
        Diagnostic::error("outscale::unknown-action", format!("unknown action `{action}`"))
            .with_primary(item.span, format!("not a `{service}:` action"))
            .with_help(format!("the `{service}:` catalogue is complete for this API version; check the spelling"))
    } else {
        Diagnostic::hint("outscale::unknown-action", format!("action `{action}` is not in the catalogue"))
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
        "kms" => "OKMS answers to `kms:` in OUTSCALE's tests, but EIM does not document it",
        _ => "EIM service prefixes are `api`, `ec2`, `elasticloadbalancing`, `iam`, `directconnect` and `*`",
    };
    Diagnostic::error("outscale::unknown-prefix", format!("`{service}` is not an EIM service prefix"))
        .with_primary(item.span, "unknown service prefix")
        .with_help(help)
}

fn check_resources(profile: Profile, policy: &Policy, resources: &Element, diagnostics: &mut Vec<Diagnostic>) {
    if profile == Profile::Outscale {
        let restricted = resources.negated || resources.items.iter().any(|item| item.text != "*");
        if restricted {
            diagnostics.push(
                Diagnostic::warning(
                    "outscale::resource-ignored",
                    format!("`{}` has no effect on OUTSCALE", resources.name),
                )
                .with_primary(resources.value_span, "EIM applies policies to all resources")
                .with_help("EIM does not support resource-level restrictions: write `\"Resource\": \"*\"`")
                .with_path(resources.pointer.clone()),
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
                Diagnostic::error("aws::invalid-arn", format!("resource `{}` is not a valid ARN", item.text))
                    .with_primary(item.span, "expected `arn:partition:service:region:account:resource` or `*`")
                    .with_help("an ARN has six colon-separated parts, e.g. `arn:aws:s3:::my-bucket/*`")
                    .with_path(item.pointer.clone()),
            );
        }
    }
}

/// Malformed variables, and variables in a document whose version does not substitute them.
fn check_variables(policy: &Policy, item: &Item, diagnostics: &mut Vec<Diagnostic>) {
    for (span, message) in &item.variable_errors {
        diagnostics.push(
            Diagnostic::error("aws::invalid-variable", message.clone())
                .with_primary(*span, "malformed policy variable")
                .with_help("write `${key}`, `${key, 'default'}`, or `${*}`, `${?}`, `${$}` for the literal characters")
                .with_path(item.pointer.clone()),
        );
    }
    if !policy.version.has_variables() && item.is_string && item.text.contains("${") {
        diagnostics.push(
            Diagnostic::warning(
                "aws::variable-without-version",
                "policy variable is plain text without `\"Version\": \"2012-10-17\"`",
            )
            .with_primary(item.span, "not substituted")
            .with_help("add `\"Version\": \"2012-10-17\"` at the top of the policy to use policy variables")
            .with_path(item.pointer.clone()),
        );
    }
}

fn check_wildcard_escalation(profile: Profile, statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    let Some(actions) = statement.actions.as_ref().filter(|actions| !actions.negated) else {
        return;
    };
    let all_resources = profile == Profile::Outscale
        || statement
            .resources
            .as_ref()
            .is_some_and(|resources| !resources.negated && resources.items.iter().any(|item| item.text == "*"));
    if !all_resources {
        return;
    }
    if let Some(item) = actions.items.iter().find(|item| item.text == "*" || item.text == "*:*") {
        diagnostics.push(
            Diagnostic::warning("aws::allow-all", "statement allows every action on every resource")
                .with_primary(item.span, "`*` on `*`")
                .with_help("this grants full administrator access, including changing its own permissions; grant only the actions needed")
                .with_path(item.pointer.clone()),
        );
        return;
    }
    if profile == Profile::Aws {
        if let Some(item) = actions.items.iter().find(|item| action_matches(Profile::Aws, &item.text, "iam:PassRole")) {
            diagnostics.push(
                Diagnostic::warning("aws::pass-role-with-star", "statement allows `iam:PassRole` on every role")
                    .with_primary(item.span, "`iam:PassRole` with `\"Resource\": \"*\"`")
                    .with_help("passing any role to a service is a privilege escalation path; list the role ARNs in `Resource`")
                    .with_path(item.pointer.clone()),
            );
        }
    }
}

/// An `Allow` of actions that manage policies lets the user raise their own permissions.
fn check_policy_management(statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    let Some(actions) = statement.actions.as_ref().filter(|actions| !actions.negated) else {
        return;
    };
    for item in &actions.items {
        // `*` on `*` is already reported as `aws::allow-all`.
        if item.text == "*" || item.text == "*:*" {
            continue;
        }
        let granted: Vec<String> = catalog::POLICY_MANAGEMENT
            .iter()
            .map(|(prefix, name)| format!("{prefix}:{name}"))
            .filter(|action| action_matches(Profile::Outscale, &item.text, action))
            .collect();
        let Some(first) = granted.first() else {
            continue;
        };
        let message = if granted.len() == 1 && *first == item.text {
            format!("`{first}` lets the user manage policies")
        } else {
            let listed = granted.iter().map(|action| format!("`{action}`")).collect::<Vec<_>>().join(", ");
            format!("`{}` covers policy management actions ({listed})", item.text)
        };
        diagnostics.push(
            Diagnostic::warning("outscale::privilege-escalation", message)
                .with_primary(item.span, "the user can grant themselves more permissions")
                .with_help(
                    "a user who can manage policies or policy versions can write a policy that bypasses their current \
                 permissions and attach it to themselves (EIM Policy Generator); grant it to administrators only",
                )
                .with_path(item.pointer.clone()),
        );
    }
}

/// Well-known global condition keys: (name, value type, multivalued).
const GLOBAL_KEYS: [(&str, ValueType, bool); 43] = [
    ("aws:CalledVia", ValueType::String, true),
    ("aws:CalledViaFirst", ValueType::String, false),
    ("aws:CalledViaLast", ValueType::String, false),
    ("aws:CurrentTime", ValueType::Date, false),
    ("aws:Ec2InstanceSourcePrivateIPv4", ValueType::Ip, false),
    ("aws:Ec2InstanceSourceVpc", ValueType::String, false),
    ("aws:EpochTime", ValueType::Date, false),
    ("aws:FederatedProvider", ValueType::String, false),
    ("aws:MultiFactorAuthAge", ValueType::Numeric, false),
    ("aws:MultiFactorAuthPresent", ValueType::Bool, false),
    ("aws:PrincipalAccount", ValueType::String, false),
    ("aws:PrincipalArn", ValueType::Arn, false),
    ("aws:PrincipalIsAWSService", ValueType::Bool, false),
    ("aws:PrincipalOrgID", ValueType::String, false),
    ("aws:PrincipalOrgPaths", ValueType::String, true),
    ("aws:PrincipalServiceName", ValueType::String, false),
    ("aws:PrincipalServiceNamesList", ValueType::String, true),
    ("aws:PrincipalType", ValueType::String, false),
    ("aws:referer", ValueType::String, false),
    ("aws:RequestedRegion", ValueType::String, false),
    ("aws:ResourceAccount", ValueType::String, false),
    ("aws:ResourceOrgID", ValueType::String, false),
    ("aws:ResourceOrgPaths", ValueType::String, true),
    ("aws:SecureTransport", ValueType::Bool, false),
    ("aws:SourceAccount", ValueType::String, false),
    ("aws:SourceArn", ValueType::Arn, false),
    ("aws:SourceIdentity", ValueType::String, false),
    ("aws:SourceIp", ValueType::Ip, false),
    ("aws:SourceOrgID", ValueType::String, false),
    ("aws:SourceOrgPaths", ValueType::String, true),
    ("aws:SourceVpc", ValueType::String, false),
    ("aws:SourceVpcArn", ValueType::Arn, false),
    ("aws:SourceVpce", ValueType::String, false),
    ("aws:TagKeys", ValueType::String, true),
    ("aws:TokenIssueTime", ValueType::Date, false),
    ("aws:UserAgent", ValueType::String, false),
    ("aws:userid", ValueType::String, false),
    ("aws:username", ValueType::String, false),
    ("aws:ViaAWSService", ValueType::Bool, false),
    ("aws:VpceAccount", ValueType::String, false),
    ("aws:VpceOrgID", ValueType::String, false),
    ("aws:VpceOrgPaths", ValueType::String, true),
    ("aws:VpcSourceIp", ValueType::Ip, false),
];

/// Global keys with a `/tag-key` suffix.
const GLOBAL_TAG_KEYS: [&str; 3] = ["aws:PrincipalTag/", "aws:RequestTag/", "aws:ResourceTag/"];

fn global_key(key: &str) -> Option<(ValueType, bool)> {
    if GLOBAL_TAG_KEYS.iter().any(|prefix| {
        key.len() > prefix.len() && key.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    }) {
        return Some((ValueType::String, false));
    }
    GLOBAL_KEYS
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(key))
        .map(|(_, value_type, multi)| (*value_type, *multi))
}

fn compatible(operator: ValueType, key: ValueType) -> bool {
    operator == key
        || operator == ValueType::Null
        || (operator == ValueType::String && key == ValueType::Arn)
        || (operator == ValueType::Numeric && key == ValueType::Date)
}

fn check_conditions(profile: Profile, policy: &Policy, statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    let allow = matches!(statement.effect, Some((StatementEffect::Allow, _)));
    for block in &statement.conditions {
        let operator = block.operator;
        let base = operator.base;
        let canonical = operator.canonical();
        if canonical != block.operator_text {
            diagnostics.push(
                Diagnostic::warning(
                    "aws::operator-case",
                    format!("write `{canonical}` rather than `{}`", block.operator_text),
                )
                .with_primary(block.operator_span, format!("`{canonical}`"))
                .with_help("condition operators are read ignoring case, but every IAM reference writes them this way")
                .with_path(block.pointer.clone()),
            );
        }
        if base == BaseOperator::Null && operator.if_exists {
            diagnostics.push(
                Diagnostic::error("aws::null-with-if-exists", "`Null` cannot take the `IfExists` suffix")
                    .with_primary(block.operator_span, "`NullIfExists` is not an operator")
                    .with_help("`Null` already tests whether the key exists: use `Null`")
                    .with_path(block.pointer.clone()),
            );
        }
        if block.entries.is_empty() {
            diagnostics.push(
                Diagnostic::info(
                    "aws::empty-object-condition",
                    format!("`{}` has no condition key", block.operator_text),
                )
                .with_primary(block.operator_span, "no key")
                .with_help("remove the empty operator block")
                .with_path(block.pointer.clone()),
            );
        }
        for entry in &block.entries {
            if entry.values.is_empty() {
                diagnostics.push(
                    Diagnostic::info(
                        "aws::empty-array-condition",
                        format!("condition key `{}` has no values", entry.key),
                    )
                    .with_primary(entry.value_span, "empty array")
                    .with_help("an empty list of values never matches; add values or remove the key")
                    .with_path(entry.pointer.clone()),
                );
            }
            for item in &entry.values {
                check_variables(policy, item, diagnostics);
                check_condition_value(base, item, diagnostics);
            }
            let Some((key_type, multi)) = global_key(&entry.key) else {
                if profile == Profile::Aws
                    && entry.key.len() > 4
                    && entry.key.get(..4).is_some_and(|head| head.eq_ignore_ascii_case("aws:"))
                {
                    diagnostics.push(
                        Diagnostic::warning("aws::unknown-global-key", format!("`{}` is not a known global condition key", entry.key))
                            .with_primary(entry.key_span, "unknown `aws:` key")
                            .with_help("check the spelling against the AWS global condition context keys; an absent key makes positive operators false")
                            .with_path(entry.pointer.clone()),
                    );
                }
                continue;
            };
            if !compatible(base.value_type(), key_type) {
                diagnostics.push(
                    Diagnostic::warning(
                        "aws::operator-key-mismatch",
                        format!(
                            "operator `{}` compares {} values but `{}` is of type {}",
                            block.operator_text,
                            base.value_type().as_str(),
                            entry.key,
                            key_type.as_str()
                        ),
                    )
                    .with_primary(entry.key_span, format!("a {} key", key_type.as_str()))
                    .with_help(format!("use an operator of type {} for `{}`", key_type.as_str(), entry.key))
                    .with_path(entry.pointer.clone()),
                );
            }
            match (operator.set, multi) {
                (Some(_), false) if base != BaseOperator::Null => diagnostics.push(
                    Diagnostic::warning("aws::set-operator-on-single-value", format!("`{}` is single-valued: `ForAllValues`/`ForAnyValue` do not belong here", entry.key))
                        .with_primary(block.operator_span, "set operator on a single-valued key")
                        .with_help("set operators are for multivalued keys; with a single-valued key `ForAllValues` is also true when the key is missing")
                        .with_path(entry.pointer.clone()),
                ),
                (None, true) if base != BaseOperator::Null => diagnostics.push(
                    Diagnostic::warning("aws::missing-set-operator", format!("`{}` is multivalued: use `ForAllValues:` or `ForAnyValue:`", entry.key))
                        .with_primary(block.operator_span, "no set operator")
                        .with_help("say whether every value or at least one value of the request must match")
                        .with_path(entry.pointer.clone()),
                ),
                _ => {}
            }
        }
        if allow && operator.set == Some(SetQualifier::ForAllValues) && !base.is_negated() && !operator.if_exists {
            diagnostics.push(
                Diagnostic::warning(
                    "aws::allow-with-for-all-values",
                    format!("`Allow` with `{}` also allows requests without the key", block.operator_text),
                )
                .with_primary(block.operator_span, "true when the key is missing or empty")
                .with_help(
                    "add a `Null` condition with `\"false\"` for the key so that requests without it are not allowed",
                )
                .with_path(block.pointer.clone()),
            );
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
    if !valid {
        let expected = match base.value_type() {
            ValueType::String | ValueType::Arn => "a string",
            ValueType::Numeric => "a number",
            ValueType::Date => "an ISO 8601 date or epoch seconds",
            ValueType::Bool | ValueType::Null => "`true` or `false`",
            ValueType::Ip => "an IPv4 or IPv6 address or CIDR block",
            ValueType::Binary => "base64 text",
        };
        diagnostics.push(
            Diagnostic::error(
                "aws::condition-type-mismatch",
                format!("`{text}` is not a valid value for `{}`", base.name()),
            )
            .with_primary(item.span, format!("expected {expected}"))
            .with_help(format!("`{}` compares {} values", base.name(), base.value_type().as_str()))
            .with_path(item.pointer.clone()),
        );
    }
}

/// Denying an `api:` action without its FCU twin (or the reverse) leaves the other API open.
fn check_twins(policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    let denies: Vec<&Statement> = policy
        .statements
        .iter()
        .filter(|statement| matches!(statement.effect, Some((StatementEffect::Deny, _))))
        .collect();
    // Each deny statement's action patterns, compiled once.
    let deny_patterns: Vec<(bool, Vec<Pattern>)> = denies
        .iter()
        .filter_map(|statement| statement.actions.as_ref())
        .map(|actions| (actions.negated, actions.items.iter().map(|item| Pattern::glob(&item.text)).collect()))
        .collect();
    let denied = |action: &str| {
        deny_patterns
            .iter()
            .any(|(negated, patterns)| patterns.iter().any(|pattern| pattern.matches(action, false)) != *negated)
    };
    for statement in &denies {
        let Some(actions) = statement.actions.as_ref().filter(|actions| !actions.negated) else {
            continue;
        };
        for item in &actions.items {
            let Some((service, name)) = item.text.split_once(':') else {
                continue;
            };
            let pattern = Pattern::glob(name);
            let mut missing: Vec<String> = catalog::API_FCU_TWINS
                .iter()
                .flat_map(|(api, fcu)| [("api", *api), ("ec2", *fcu)])
                .filter(|(prefix, action)| *prefix == service && pattern.matches(action, false))
                .filter_map(|(prefix, action)| catalog::twin(prefix, action))
                .map(|(prefix, action)| format!("{prefix}:{action}"))
                .filter(|twin| !denied(twin))
                .collect();
            missing.dedup();
            if missing.is_empty() {
                continue;
            }
            let code = if service == "api" { "outscale::missing-fcu-twin" } else { "outscale::missing-api-twin" };
            let listed = missing.iter().take(4).map(|twin| format!("`{twin}`")).collect::<Vec<_>>().join(", ");
            let more = if missing.len() > 4 { format!(" and {} more", missing.len() - 4) } else { String::new() };
            diagnostics.push(
                Diagnostic::warning(code, format!("`{}` is denied but not its twin {listed}{more}", item.text))
                    .with_primary(item.span, "the other API still allows it")
                    .with_help("the OUTSCALE API and FCU reach the same resources: deny both actions (docs.outscale.com, EIM Policy Generator)")
                    .with_path(item.pointer.clone()),
            );
        }
    }
}
