//! Lints: advice about a policy that means what it says, in the manner of IAM Access Analyzer's
//! suggestions and security warnings (empty lists, redundant actions, `Allow` with `NotAction`,
//! `*` on `*`, `iam:PassRole` on every role, `ForAllValues` in an `Allow`), and EIM's own
//! pitfalls (privilege escalation through policy management, an `api:` action denied without its
//! FCU twin). Sources are in docs/semantics/aws.md and docs/semantics/outscale.md.

use super::catalog;
use super::codes::Code;
use super::evaluate::action_matches;
use super::operators::SetQualifier;
use super::pattern::Pattern;
use super::tree::{Element, ElementKind, Item, Policy, Statement, StatementList};
use super::Profile;
use crate::schema::child_pointer;
use iamlab_model::Diagnostic;

pub fn lint(profile: Profile, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(list) = &policy.statement_list {
        if list.value == (StatementList::Array { items: 0 }) {
            diagnostics.push(
                Code::EmptyStatement
                    .diagnostic("policy has no statement and grants nothing")
                    .with_primary(list.span, "empty array")
                    .with_path("/Statement"),
            );
        }
    }
    for statement in &policy.statements {
        lint_statement(profile, statement, diagnostics);
    }
    if profile == Profile::Outscale {
        lint_twins(policy, diagnostics);
    }
}

fn lint_statement(profile: Profile, statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    let allow = statement.allows();
    if let Some(actions) = &statement.actions {
        // EIM refuses an empty `Action` outright: validation reports `outscale::empty-action`.
        if profile == Profile::Aws || actions.negated() {
            lint_empty(actions, diagnostics);
        }
        lint_redundant_actions(profile, actions, diagnostics);
        if allow && actions.negated() {
            diagnostics.push(
                Code::AllowWithNotAction
                    .diagnostic("`Allow` with `NotAction` allows every action not listed")
                    .with_primary(actions.key_span, "`NotAction` in an `Allow` statement")
                    .with_help(
                        "this also allows actions and services added later; list the allowed actions in `Action` instead",
                    )
                    .with_path(actions.pointer.write()),
            );
        }
    }
    if let Some(resources) = &statement.resources {
        lint_empty(resources, diagnostics);
        if allow && resources.negated() && profile == Profile::Aws {
            diagnostics.push(
                Code::AllowWithNotResource
                    .diagnostic("`Allow` with `NotResource` allows every resource not listed")
                    .with_primary(resources.key_span, "`NotResource` in an `Allow` statement")
                    .with_help("list the allowed resources in `Resource` instead")
                    .with_path(resources.pointer.write()),
            );
        }
    }
    if allow {
        lint_wildcard_escalation(profile, statement, diagnostics);
        if profile == Profile::Outscale {
            lint_policy_management(statement, diagnostics);
        }
    }
    if let Some(span) = statement.condition_key_span {
        if statement.conditions.is_empty() && statement.condition_is_object {
            diagnostics.push(
                Code::EmptyObjectCondition
                    .diagnostic("`Condition` is an empty object")
                    .with_primary(span, "no condition")
                    .with_help("remove the empty `Condition`")
                    .with_path(child_pointer(&statement.pointer.write(), "Condition")),
            );
        }
    }
    lint_conditions(statement, diagnostics);
}

fn lint_empty(element: &Element, diagnostics: &mut Vec<Diagnostic>) {
    if !element.items.is_empty() {
        return;
    }
    let code = match element.kind {
        ElementKind::Action => Code::EmptyArrayAction,
        ElementKind::NotAction => Code::EmptyArrayNotAction,
        ElementKind::Resource => Code::EmptyArrayResource,
        ElementKind::NotResource => Code::EmptyArrayNotResource,
    };
    let name = element.name();
    // An empty `Action`/`Resource` lists nothing, so it matches nothing; an empty `NotAction`/
    // `NotResource` excludes nothing, so it matches everything (the evaluation reads it so).
    let help = if element.negated() {
        let every = if element.kind == ElementKind::NotAction { "action" } else { "resource" };
        format!(
            "an empty `{name}` excludes nothing, so the statement applies to every {every}; write `\"{}\": \"*\"` if that is meant, or list what to exclude",
            if element.kind == ElementKind::NotAction { "Action" } else { "Resource" }
        )
    } else {
        format!("a statement with an empty `{name}` never matches; list values or remove the statement")
    };
    diagnostics.push(
        code.diagnostic(format!("`{name}` is an empty array"))
            .with_primary(element.value_span, "empty array")
            .with_help(help)
            .with_path(element.pointer.write()),
    );
}

/// An action already covered by a wildcard of the same list (Access Analyzer's "Redundant
/// action" suggestion).
fn lint_redundant_actions(profile: Profile, actions: &Element, diagnostics: &mut Vec<Diagnostic>) {
    let wildcards: Vec<&Item> = actions.items.iter().filter(|item| item.text.contains(['*', '?'])).collect();
    if wildcards.is_empty() {
        return;
    }
    for item in actions.items.iter().filter(|item| !item.text.contains(['*', '?'])) {
        if let Some(wider) = wildcards.iter().find(|wider| action_matches(profile, &wider.text, &item.text)) {
            diagnostics.push(
                Code::RedundantAction
                    .diagnostic(format!("`{}` is already covered by `{}`", item.text, wider.text))
                    .with_primary(item.span, "redundant")
                    .with_secondary(wider.span, "covers it")
                    .with_help("remove the redundant action")
                    .with_path(item.pointer.write()),
            );
        }
    }
}

fn lint_wildcard_escalation(profile: Profile, statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    let Some(actions) = statement.actions.as_ref().filter(|actions| !actions.negated()) else {
        return;
    };
    let all_resources = profile == Profile::Outscale
        || statement
            .resources
            .as_ref()
            .is_some_and(|resources| !resources.negated() && resources.items.iter().any(|item| item.text == "*"));
    if !all_resources {
        return;
    }
    if let Some(item) = actions.items.iter().find(|item| item.text == "*" || item.text == "*:*") {
        diagnostics.push(
            Code::AllowAll
                .diagnostic("statement allows every action on every resource")
                .with_primary(item.span, "`*` on `*`")
                .with_help("this grants full administrator access, including changing its own permissions; grant only the actions needed")
                .with_path(item.pointer.write()),
        );
        return;
    }
    if profile == Profile::Aws {
        if let Some(item) = actions.items.iter().find(|item| action_matches(Profile::Aws, &item.text, "iam:PassRole")) {
            diagnostics.push(
                Code::PassRoleWithStar
                    .diagnostic("statement allows `iam:PassRole` on every role")
                    .with_primary(item.span, "`iam:PassRole` with `\"Resource\": \"*\"`")
                    .with_help("passing any role to a service is a privilege escalation path; list the role ARNs in `Resource`")
                    .with_path(item.pointer.write()),
            );
        }
    }
}

/// An `Allow` of actions that manage policies lets the user raise their own permissions.
fn lint_policy_management(statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    let Some(actions) = statement.actions.as_ref().filter(|actions| !actions.negated()) else {
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
            Code::PrivilegeEscalation
                .diagnostic(message)
                .with_primary(item.span, "the user can grant themselves more permissions")
                .with_help(
                    "a user who can manage policies or policy versions can write a policy that bypasses their current \
                 permissions and attach it to themselves (EIM Policy Generator); grant it to administrators only",
                )
                .with_path(item.pointer.write()),
        );
    }
}

fn lint_conditions(statement: &Statement, diagnostics: &mut Vec<Diagnostic>) {
    let allow = statement.allows();
    for block in &statement.conditions {
        let operator = block.operator;
        if block.entries.is_empty() {
            diagnostics.push(
                Code::EmptyObjectCondition
                    .diagnostic(format!("`{}` has no condition key", block.operator_text))
                    .with_primary(block.operator_span, "no key")
                    .with_help("remove the empty operator block")
                    .with_path(block.pointer.write()),
            );
        }
        for entry in block.entries.iter().filter(|entry| entry.values.is_empty()) {
            diagnostics.push(
                Code::EmptyArrayCondition
                    .diagnostic(format!("condition key `{}` has no values", entry.key))
                    .with_primary(entry.value_span, "empty array")
                    .with_help("an empty list of values never matches; add values or remove the key")
                    .with_path(entry.pointer.write()),
            );
        }
        if allow
            && operator.set == Some(SetQualifier::ForAllValues)
            && !operator.base.is_negated()
            && !operator.if_exists
        {
            diagnostics.push(
                Code::AllowWithForAllValues
                    .diagnostic(format!("`Allow` with `{}` also allows requests without the key", block.operator_text))
                    .with_primary(block.operator_span, "true when the key is missing or empty")
                    .with_help(
                        "add a `Null` condition with `\"false\"` for the key so that requests without it are not allowed",
                    )
                    .with_path(block.pointer.write()),
            );
        }
    }
}

/// Denying an `api:` action without its FCU twin (or the reverse) leaves the other API open.
fn lint_twins(policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    let denies: Vec<&Statement> = policy.statements.iter().filter(|statement| statement.denies()).collect();
    // Each deny statement's action patterns, compiled once.
    let deny_patterns: Vec<(bool, Vec<Pattern>)> = denies
        .iter()
        .filter_map(|statement| statement.actions.as_ref())
        .map(|actions| (actions.negated(), actions.items.iter().map(|item| Pattern::glob(&item.text)).collect()))
        .collect();
    let denied = |action: &str| {
        deny_patterns
            .iter()
            .any(|(negated, patterns)| patterns.iter().any(|pattern| pattern.matches(action)) != *negated)
    };
    for statement in &denies {
        let Some(actions) = statement.actions.as_ref().filter(|actions| !actions.negated()) else {
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
                .filter(|(prefix, action)| *prefix == service && pattern.matches(action))
                .filter_map(|(prefix, action)| catalog::twin(prefix, action))
                .map(|(prefix, action)| format!("{prefix}:{action}"))
                .filter(|twin| !denied(twin))
                .collect();
            missing.dedup();
            if missing.is_empty() {
                continue;
            }
            let code = if service == "api" { Code::MissingFcuTwin } else { Code::MissingApiTwin };
            let listed = missing.iter().take(4).map(|twin| format!("`{twin}`")).collect::<Vec<_>>().join(", ");
            let more = if missing.len() > 4 { format!(" and {} more", missing.len() - 4) } else { String::new() };
            diagnostics.push(
                code.diagnostic(format!("`{}` is denied but not its twin {listed}{more}", item.text))
                    .with_primary(item.span, "the other API still allows it")
                    .with_help("the OUTSCALE API and FCU reach the same resources: deny both actions (docs.outscale.com, EIM Policy Generator)")
                    .with_path(item.pointer.write()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_rendered, fixture, read, render};
    use super::*;

    /// Lints `text` in `profile`; prints the findings in the order found.
    #[track_caller]
    fn check(profile: Profile, text: &str, expect: &str) {
        let text = fixture(text);
        let (document, _) = read(text);
        let mut diagnostics = Vec::new();
        if let Some(policy) = &document.policy {
            lint(profile, policy, &mut diagnostics);
        }
        assert_rendered(&render(text, &diagnostics), expect);
    }

    #[test]
    fn empty_lists_and_objects() {
        check(
            Profile::Aws,
            r#"
{"Version": "2012-10-17", "Statement": []}
"#,
            r#"
warning aws::empty-statement [/Statement] `[]`: policy has no statement and grants nothing
"#,
        );
        check(
            Profile::Aws,
            r#"
{"Version": "2012-10-17", "Statement": [
{"Effect": "Deny", "NotAction": [], "Resource": [], "Condition": {}},
{"Effect": "Deny", "Action": [], "NotResource": [], "Condition": {"StringEquals": {}, "StringLike": {"k": []}}}]}
"#,
            r#"
info aws::empty-array-notaction [/Statement/0/NotAction] `[]`: `NotAction` is an empty array
    help: an empty `NotAction` excludes nothing, so the statement applies to every action; write `"Action": "*"` if that is meant, or list what to exclude
info aws::empty-array-resource [/Statement/0/Resource] `[]`: `Resource` is an empty array
    help: a statement with an empty `Resource` never matches; list values or remove the statement
info aws::empty-object-condition [/Statement/0/Condition] `"Condition"`: `Condition` is an empty object
    help: remove the empty `Condition`
info aws::empty-array-action [/Statement/1/Action] `[]`: `Action` is an empty array
    help: a statement with an empty `Action` never matches; list values or remove the statement
info aws::empty-array-notresource [/Statement/1/NotResource] `[]`: `NotResource` is an empty array
    help: an empty `NotResource` excludes nothing, so the statement applies to every resource; write `"Resource": "*"` if that is meant, or list what to exclude
info aws::empty-object-condition [/Statement/1/Condition/StringEquals] `"StringEquals"`: `StringEquals` has no condition key
    help: remove the empty operator block
info aws::empty-array-condition [/Statement/1/Condition/StringLike/k] `[]`: condition key `k` has no values
    help: an empty list of values never matches; add values or remove the key
"#,
        );
    }

    #[test]
    fn security_warnings_of_allow_statements() {
        check(
            Profile::Aws,
            r#"
{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret"},
{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*", "*"], "Resource": "*"},
{"Effect": "Allow", "Action": "iam:Pass*", "Resource": "*"},
{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app"},
{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
 "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": "a"}, "ForAllValues:StringNotEquals": {"aws:TagKeys": "b"}}}]}
"#,
            r#"
warning aws::allow-with-not-action [/Statement/0/NotAction] `"NotAction"`: `Allow` with `NotAction` allows every action not listed
    help: this also allows actions and services added later; list the allowed actions in `Action` instead
warning aws::allow-with-not-resource [/Statement/0/NotResource] `"NotResource"`: `Allow` with `NotResource` allows every resource not listed
    help: list the allowed resources in `Resource` instead
info aws::redundant-action [/Statement/1/Action/0] `"s3:GetObject"`: `s3:GetObject` is already covered by `s3:Get*`
    help: remove the redundant action
warning aws::allow-all [/Statement/1/Action/2] `"*"`: statement allows every action on every resource
    help: this grants full administrator access, including changing its own permissions; grant only the actions needed
warning aws::pass-role-with-star [/Statement/2/Action] `"iam:Pass*"`: statement allows `iam:PassRole` on every role
    help: passing any role to a service is a privilege escalation path; list the role ARNs in `Resource`
warning aws::allow-with-for-all-values [/Statement/4/Condition/ForAllValues:StringEquals] `"ForAllValues:StringEquals"`: `Allow` with `ForAllValues:StringEquals` also allows requests without the key
    help: add a `Null` condition with `"false"` for the key so that requests without it are not allowed
"#,
        );
    }

    #[test]
    fn eim_privilege_escalation_and_twins() {
        check(
            Profile::Outscale,
            r#"
{"Statement": [
{"Effect": "Allow", "Action": ["iam:PutUserPolicy", "api:*Policy*", "*:*"], "Resource": "*"},
{"Effect": "Deny", "Action": ["api:DeleteVms", "ec2:StopInstances", "api:Create*"], "Resource": "*"},
{"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}]}
"#,
            r#"
info aws::redundant-action [/Statement/0/Action/0] `"iam:PutUserPolicy"`: `iam:PutUserPolicy` is already covered by `*:*`
    help: remove the redundant action
warning aws::allow-all [/Statement/0/Action/2] `"*:*"`: statement allows every action on every resource
    help: this grants full administrator access, including changing its own permissions; grant only the actions needed
warning outscale::privilege-escalation [/Statement/0/Action/0] `"iam:PutUserPolicy"`: `iam:PutUserPolicy` lets the user manage policies
    help: a user who can manage policies or policy versions can write a policy that bypasses their current permissions and attach it to themselves (EIM Policy Generator); grant it to administrators only
warning outscale::privilege-escalation [/Statement/0/Action/1] `"api:*Policy*"`: `api:*Policy*` covers policy management actions (`api:LinkPolicy`, `api:LinkManagedPolicyToUserGroup`, `api:CreatePolicyVersion`, `api:SetDefaultPolicyVersion`, `api:PutUserPolicy`, `api:PutUserGroupPolicy`)
    help: a user who can manage policies or policy versions can write a policy that bypasses their current permissions and attach it to themselves (EIM Policy Generator); grant it to administrators only
warning outscale::missing-api-twin [/Statement/1/Action/1] `"ec2:StopInstances"`: `ec2:StopInstances` is denied but not its twin `api:StopVms`
    help: the OUTSCALE API and FCU reach the same resources: deny both actions (docs.outscale.com, EIM Policy Generator)
warning outscale::missing-fcu-twin [/Statement/1/Action/2] `"api:Create*"`: `api:Create*` is denied but not its twin `ec2:RunInstances`, `ec2:CreateVolume`, `ec2:CreateSnapshot`, `ec2:CreateImage` and 4 more
    help: the OUTSCALE API and FCU reach the same resources: deny both actions (docs.outscale.com, EIM Policy Generator)
"#,
        );
    }
}
