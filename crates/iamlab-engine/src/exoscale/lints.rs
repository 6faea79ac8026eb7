//! Lints: policies that are valid but do not do what their authors most likely expect. Each
//! one is documented with its reason in `docs/semantics/exoscale.md`.

use super::codes::Code;
use super::syntax::{Action, AssumeRolePolicy, DocumentKind, Expression, Policy, Rule, ServiceType, Strategy};
use crate::pipeline::DocumentRole;
use iamlab_cel::facts::FieldRead;
use iamlab_cel::{BinaryOp, ExprKind, UnaryOp};
use iamlab_model::{Diagnostic, Fix};

/// The request maps a rule reads fields of: `resource` is the policy guide's alias of
/// `resources`.
const REQUEST_MAPS: [&str; 3] = ["parameters", "resources", "resource"];

/// What a bare policy will be used as: validation cannot always tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyRole {
    /// A role's `policy`.
    Role,
    /// The organization policy.
    Organization,
    /// A bare policy that may be either: organization-only lints stay silent.
    Unknown,
}

impl PolicyRole {
    /// What the `policy` of a document of `kind` given as `role` is used as.
    pub fn of(kind: DocumentKind, role: DocumentRole) -> PolicyRole {
        match (kind, role) {
            (DocumentKind::Role, _) => PolicyRole::Role,
            (DocumentKind::Policy, DocumentRole::OrganizationPolicy) => PolicyRole::Organization,
            (DocumentKind::Policy, _) => PolicyRole::Unknown,
        }
    }
}

pub fn lint_policy(source: &str, policy: &Policy, role: PolicyRole, diagnostics: &mut Vec<Diagnostic>) {
    let default_strategy = policy.default_strategy.map(|spanned| spanned.value);
    for service in &policy.services {
        let first_unconditional = lint_rules(source, &service.rules, diagnostics);
        let is_rules = service.service_type.map(|spanned| spanned.value) == Some(ServiceType::Rules);
        if is_rules
            && !service.rules.is_empty()
            && first_unconditional.is_none()
            && default_strategy == Some(Strategy::Allow)
        {
            diagnostics.push(Code::RulesImplicitDeny.finding(
                format!(
                    "requests to `{}` that no rule matches are denied, although `default-service-strategy` is `allow`",
                    service.class
                ),
                service.key_span,
                &service.pointer,
                "the default strategy only applies to service classes absent from `services`; end the rules with `{\"action\": \"allow\", \"expression\": \"true\"}` to allow the rest",
            ));
        }
    }
    // Only when the policy is known to be the organization policy: a bare policy is more often
    // a role policy, where denying `iam` (or everything by default) is ordinary.
    if role == PolicyRole::Organization {
        lint_iam_lockout(policy, diagnostics);
    }
}

/// The lints of an ordered list of rules (a service's, or a role's `assume-role-policy`):
/// deprecated `resources`, rules after an unconditional one, deny rules that fail open. Returns
/// the index of the first unconditional rule.
fn lint_rules(source: &str, rules: &[Rule], diagnostics: &mut Vec<Diagnostic>) -> Option<usize> {
    let mut first_unconditional: Option<usize> = None;
    for rule in rules {
        if let Some(resources_span) = rule.resources_span {
            diagnostics.push(Code::DeprecatedResources.finding(
                "the rule field `resources` has no effect",
                resources_span,
                &format!("{}/resources", rule.pointer),
                "Exoscale's Terraform provider says \"This field is not suported. Specify resources using CEL expressions.\": test `resources.<type>.<field>` in the expression instead",
            ));
        }
        let Some(expression) = &rule.expression else { continue };
        let facts = expression.facts();
        if let Some(first) = first_unconditional {
            let first_span = rules.get(first).map(|rule| rule.span).unwrap_or_default();
            diagnostics.push(
                Code::UnreachableRule.finding(
                    format!("rule {} is never evaluated: rule {first} always matches", rule.index),
                    rule.span,
                    &rule.pointer,
                    "rules are evaluated in order and the first match decides; move this rule above the `true` rule or remove it",
                )
                .with_secondary(first_span, "this rule's expression is `true`"),
            );
        } else if facts.always_true {
            first_unconditional = Some(rule.index);
        }
        if rule.action.map(|action| action.value) == Some(Action::Deny) {
            // A read tested with `in [...]` cannot fail: Exoscale's evaluator makes the `in`
            // false when the key is missing (exoscale/cel-parser `has-element`), so
            // `!(parameters.bucket in [...])` denies a request without `bucket`.
            let reads = facts
                .reads
                .iter()
                .filter(|read| REQUEST_MAPS.contains(&read.field.root.as_str()) && !read.in_uniform_list);
            for read in reads.filter(|read| !facts.is_guarded(read)) {
                let finding = Code::DenyFailsOpen.finding(
                    format!(
                        "this deny rule reads `{}.{}` without checking that it exists",
                        read.field.root, read.field.key
                    ),
                    expression.span_in(source, read.span),
                    &format!("{}/expression", rule.pointer),
                    format!(
                        "when a request has no `{key}`, the expression fails, the rule is skipped and the next rule decides (possibly allowing); guard it: `!{root}.has('{key}') || …` or `has({root}.{key}) && …`, or test it with `in [...]`, which Exoscale evaluates as false when the key is missing",
                        key = read.field.key,
                        root = read.field.root
                    ),
                );
                diagnostics.push(match fail_closed_guard(expression, read) {
                    Some(fix) => finding.with_fix(fix),
                    None => finding,
                });
            }
        }
    }
    first_unconditional
}

/// The quick fix of a deny rule's unguarded read: the smallest boolean part of the expression
/// that holds the read (an operand of `&&`, `||` or `!`) is guarded so that a request without the
/// key makes that part deny, as a deny rule that fails closed would: `(!root.has('key') || part)`,
/// or `(root.has('key') && part)` under an odd number of `!`. Guarding the whole expression instead
/// would deny every request without the key, whatever the rest says. None where the read sits
/// somewhere else (a `?:` condition, a macro, a function argument): no edit is obviously right.
fn fail_closed_guard(expression: &Expression, read: &FieldRead) -> Option<Fix> {
    let key = &read.field.key;
    if key.contains(['\'', '\\']) {
        return None;
    }
    let mut part = expression.compiled().ast.as_ref()?;
    let mut negated = false;
    loop {
        let next = match &part.kind {
            ExprKind::Binary { op: BinaryOp::And | BinaryOp::Or, left, right } => [left, right]
                .into_iter()
                .find(|side| side.span.start <= read.span.start && read.span.end <= side.span.end),
            ExprKind::Unary { op: UnaryOp::Not, operand } => {
                negated = !negated;
                Some(operand)
            }
            ExprKind::Conditional { .. } | ExprKind::Comprehension(_) => return None,
            _ => break,
        };
        part = next?;
    }
    let written = part.span.slice(&expression.text)?;
    let root = &read.field.root;
    let guarded = if negated {
        format!("({root}.has('{key}') && {written})")
    } else {
        format!("(!{root}.has('{key}') || {written})")
    };
    let before = expression.text.get(..part.span.start as usize)?;
    let after = expression.text.get(part.span.end as usize..)?;
    let replacement = serde_json::to_string(&format!("{before}{guarded}{after}")).ok()?;
    let title = format!("deny when the request has no `{key}`: guard the read with `{root}.has('{key}')`");
    Some(Fix::new(title, expression.literal_span, replacement))
}

/// The lints of a role's `assume-role-policy` rules. Choice: they are taken to be evaluated as a
/// service's rules are (in order, the first true one deciding, a failing one skipped), since the
/// API gives them the same schema and documents nothing else.
pub fn lint_assume_role_policy(source: &str, policy: &AssumeRolePolicy, diagnostics: &mut Vec<Diagnostic>) {
    lint_rules(source, &policy.rules, diagnostics);
}

/// An organization policy that denies the `iam` class denies it to everyone, including the
/// users who would fix the policy: what remains is the reset (the owner's portal, or the API
/// operation `reset-iam-organization-policy` for a role with the permission of that name).
fn lint_iam_lockout(policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    let (span, pointer, how) = match policy.service("iam") {
        Some(service) if service.service_type.map(|spanned| spanned.value) == Some(ServiceType::Deny) => {
            (service.key_span, service.pointer.clone(), "denies the `iam` service")
        }
        Some(_) => return,
        None => match policy.default_strategy {
            Some(strategy) if strategy.value == Strategy::Deny => (
                strategy.span,
                format!("{}/default-service-strategy", policy.pointer),
                "denies every service it does not list, `iam` included",
            ),
            _ => return,
        },
    };
    diagnostics.push(Code::OrgPolicyIamLockout.finding(
        format!("this organization policy {how}: every user and API key loses IAM access"),
        span,
        &pointer,
        "nobody could then change the organization policy through IAM operations; what remains is a reset to allow-all: the organization owner from the portal, or the API operation `reset-iam-organization-policy` (`exo iam org-policy reset`) by a role with the `reset-iam-organization-policy` permission (whether this policy can block that call is undocumented). Add `\"iam\": {\"type\": \"allow\"}` (or rules that keep IAM for administrators)",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exoscale::test_support::{documents, fixture, render_diagnostics, sources};
    use crate::exoscale::{Exoscale, Options};
    use crate::pipeline::{DocumentId, DocumentRole, ProviderEngine, Source};

    /// Reads the fixture's one document (a `//- organization` line makes it the organization
    /// policy) and renders the lints' findings only.
    #[track_caller]
    fn check(input: &str, expect: &str) {
        let documents = documents(input);
        let sources = sources(&documents);
        let [source] = sources.as_slice() else { panic!("one document per lint fixture") };
        let document = Exoscale::read(source, &Options).tree.unwrap();
        let mut diagnostics = Vec::new();
        if let Some(policy) = &document.policy {
            lint_policy(source.text, policy, PolicyRole::of(document.kind, source.role), &mut diagnostics);
        }
        if let Some(policy) = &document.assume_role_policy {
            lint_assume_role_policy(source.text, policy, &mut diagnostics);
        }
        assert_eq!(render_diagnostics(source.text, &diagnostics), fixture(expect));
    }

    #[test]
    fn rules_after_an_unconditional_rule_are_unreachable() {
        check(
            r#"
{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [
  {"action": "allow", "expression": "(true)"},
  {"action": "deny", "expression": "operation == 'delete-instance'", "resources": []}
]}}}
"#,
            r#"
exoscale::deprecated-resources /services/compute/rules/1/resources `"resources": []`: the rule field `resources` has no effect
  help: Exoscale's Terraform provider says "This field is not suported. Specify resources using CEL expressions.": test `resources.<type>.<field>` in the expression instead
exoscale::unreachable-rule /services/compute/rules/1 `{"action": "deny", "expression": "operat…`: rule 1 is never evaluated: rule 0 always matches
  help: rules are evaluated in order and the first match decides; move this rule above the `true` rule or remove it
"#,
        );
    }

    #[test]
    fn deny_rules_that_read_unguarded_fields_fail_open() {
        check(
            r#"
{"default-service-strategy": "deny", "services": {"sos": {"type": "rules", "rules": [
  {"action": "deny", "expression": "parameters.bucket == 'b' && resource.x.name == 'n' && zone == 'z'"},
  {"action": "deny", "expression": "has(parameters.bucket) && parameters.bucket == 'b'"},
  {"action": "allow", "expression": "true"}
]}}}
"#,
            r#"
exoscale::deny-fails-open /services/sos/rules/0/expression `parameters.bucket`: this deny rule reads `parameters.bucket` without checking that it exists
  help: when a request has no `bucket`, the expression fails, the rule is skipped and the next rule decides (possibly allowing); guard it: `!parameters.has('bucket') || …` or `has(parameters.bucket) && …`, or test it with `in [...]`, which Exoscale evaluates as false when the key is missing
  fix: deny when the request has no `bucket`: guard the read with `parameters.has('bucket')`: "parameters.bucket == 'b' && resource.x.name == 'n' && zone == 'z'" -> "(!parameters.has('bucket') || parameters.bucket == 'b') && resource.x.name == 'n' && zone == 'z'"
exoscale::deny-fails-open /services/sos/rules/0/expression `resource.x`: this deny rule reads `resource.x` without checking that it exists
  help: when a request has no `x`, the expression fails, the rule is skipped and the next rule decides (possibly allowing); guard it: `!resource.has('x') || …` or `has(resource.x) && …`, or test it with `in [...]`, which Exoscale evaluates as false when the key is missing
  fix: deny when the request has no `x`: guard the read with `resource.has('x')`: "parameters.bucket == 'b' && resource.x.name == 'n' && zone == 'z'" -> "parameters.bucket == 'b' && (!resource.has('x') || resource.x.name == 'n') && zone == 'z'"
"#,
        );
    }

    #[test]
    fn a_read_tested_in_a_list_cannot_fail_open() {
        // exoscale/cel-parser: `x in [...]` is false when `x` reads a missing key, so a deny rule
        // `!(parameters.bucket in [...])` denies a request without `bucket` (TF
        // `iam-bucket-access`). A list of mixed types is an error there, and so is `startsWith`.
        check(
            r#"
{"default-service-strategy": "deny", "services": {"sos": {"type": "rules", "rules": [
  {"action": "deny", "expression": "!(parameters.bucket in ['my-test-bucket', 'my-other-bucket'])"},
  {"action": "deny", "expression": "parameters.bucket in ['a', 1] || parameters.key.startsWith('tmp/')"},
  {"action": "allow", "expression": "true"}
]}}}
"#,
            r#"
exoscale::deny-fails-open /services/sos/rules/1/expression `parameters.bucket`: this deny rule reads `parameters.bucket` without checking that it exists
  help: when a request has no `bucket`, the expression fails, the rule is skipped and the next rule decides (possibly allowing); guard it: `!parameters.has('bucket') || …` or `has(parameters.bucket) && …`, or test it with `in [...]`, which Exoscale evaluates as false when the key is missing
  fix: deny when the request has no `bucket`: guard the read with `parameters.has('bucket')`: "parameters.bucket in ['a', 1] || parameters.key.startsWith('tmp/')" -> "(!parameters.has('bucket') || parameters.bucket in ['a', 1]) || parameters.key.startsWith('tmp/')"
exoscale::deny-fails-open /services/sos/rules/1/expression `parameters.key`: this deny rule reads `parameters.key` without checking that it exists
  help: when a request has no `key`, the expression fails, the rule is skipped and the next rule decides (possibly allowing); guard it: `!parameters.has('key') || …` or `has(parameters.key) && …`, or test it with `in [...]`, which Exoscale evaluates as false when the key is missing
  fix: deny when the request has no `key`: guard the read with `parameters.has('key')`: "parameters.bucket in ['a', 1] || parameters.key.startsWith('tmp/')" -> "parameters.bucket in ['a', 1] || (!parameters.has('key') || parameters.key.startsWith('tmp/'))"
"#,
        );
    }

    #[test]
    fn rules_services_deny_what_no_rule_matches() {
        check(
            r#"
{"default-service-strategy": "allow", "services": {"compute": {"type": "rules", "rules": [
  {"action": "deny", "expression": "operation == 'delete-instance'"}
]}}}
"#,
            r#"
exoscale::rules-implicit-deny /services/compute `"compute"`: requests to `compute` that no rule matches are denied, although `default-service-strategy` is `allow`
  help: the default strategy only applies to service classes absent from `services`; end the rules with `{"action": "allow", "expression": "true"}` to allow the rest
"#,
        );
    }

    #[test]
    fn an_organization_policy_that_denies_iam() {
        check(
            r#"
//- organization
{"default-service-strategy": "deny", "services": {}}
"#,
            r#"
exoscale::org-policy-iam-lockout /default-service-strategy `"deny"`: this organization policy denies every service it does not list, `iam` included: every user and API key loses IAM access
  help: nobody could then change the organization policy through IAM operations; what remains is a reset to allow-all: the organization owner from the portal, or the API operation `reset-iam-organization-policy` (`exo iam org-policy reset`) by a role with the `reset-iam-organization-policy` permission (whether this policy can block that call is undocumented). Add `"iam": {"type": "allow"}` (or rules that keep IAM for administrators)
"#,
        );
        // The same bare policy as a role policy is ordinary.
        check(
            r#"
{"default-service-strategy": "deny", "services": {"iam": {"type": "deny"}}}
"#,
            "",
        );
    }

    #[test]
    fn assume_role_policy_rules_are_linted_as_rules() {
        check(
            r#"
{"name": "ci", "policy": {"default-service-strategy": "allow", "services": {}},
 "assume-role-policy": {"rules": [
  {"action": "allow", "expression": "true"},
  {"action": "deny", "expression": "parameters.x == 'y'", "resources": []}
]}}
"#,
            r#"
exoscale::deprecated-resources /assume-role-policy/rules/1/resources `"resources": []`: the rule field `resources` has no effect
  help: Exoscale's Terraform provider says "This field is not suported. Specify resources using CEL expressions.": test `resources.<type>.<field>` in the expression instead
exoscale::unreachable-rule /assume-role-policy/rules/1 `{"action": "deny", "expression": "parame…`: rule 1 is never evaluated: rule 0 always matches
  help: rules are evaluated in order and the first match decides; move this rule above the `true` rule or remove it
exoscale::deny-fails-open /assume-role-policy/rules/1/expression `parameters.x`: this deny rule reads `parameters.x` without checking that it exists
  help: when a request has no `x`, the expression fails, the rule is skipped and the next rule decides (possibly allowing); guard it: `!parameters.has('x') || …` or `has(parameters.x) && …`, or test it with `in [...]`, which Exoscale evaluates as false when the key is missing
  fix: deny when the request has no `x`: guard the read with `parameters.has('x')`: "parameters.x == 'y'" -> "(!parameters.has('x') || parameters.x == 'y')"
"#,
        );
    }

    /// The expression of the one deny rule a fail-closed guard is asked of, and the expression the
    /// first fix writes ("" for none). Then, for every fix: the fixed policy reads without errors,
    /// the read it guards is no longer reported, and a request without the key is denied by the
    /// fixed rule where the original skipped it and let the next rule allow (when the fix guards
    /// the rule's only unguarded read).
    #[track_caller]
    fn check_guard(expression: &str, expect: &str) {
        let policy = |expression: &str| {
            let rules = format!(
                "[{{\"action\": \"deny\", \"expression\": {}}}, {{\"action\": \"allow\", \"expression\": \"true\"}}]",
                serde_json::to_string(expression).unwrap()
            );
            format!("{{\"default-service-strategy\": \"deny\", \"services\": {{\"sos\": {{\"type\": \"rules\", \"rules\": {rules}}}}}}}")
        };
        let text = policy(expression);
        let source = Source { id: DocumentId(0), role: DocumentRole::Policy, text: &text };
        let findings = crate::pipeline::validate::<Exoscale>(&source, &Options);
        let fixes: Vec<&Fix> = findings
            .iter()
            .filter(|finding| finding.code == Code::DenyFailsOpen.as_str())
            .flat_map(|finding| finding.fixes.iter())
            .collect();
        let unguarded_reads = findings.iter().filter(|finding| finding.code == Code::DenyFailsOpen.as_str()).count();
        let first = fixes.first().map(|fix| serde_json::from_str::<String>(&fix.replacement).unwrap());
        assert_eq!(first.as_deref().unwrap_or(""), expect);
        for fix in fixes {
            let fixed_expression: String = serde_json::from_str(&fix.replacement).unwrap();
            let fixed =
                format!("{}{}{}", &text[..fix.span.start as usize], fix.replacement, &text[fix.span.end as usize..]);
            assert_eq!(fixed, policy(&fixed_expression));
            let fixed_source = Source { id: DocumentId(0), role: DocumentRole::Policy, text: &fixed };
            let after = crate::pipeline::validate::<Exoscale>(&fixed_source, &Options);
            assert!(
                after.iter().all(|finding| finding.severity != iamlab_model::Severity::Error),
                "{fixed_expression}: {after:?}"
            );
            assert!(after.len() < findings.len(), "{fixed_expression} is still reported: {after:?}");
            let request = r#"{"operation": "list-sos-buckets-usage", "parameters": {}, "resources": {}}"#;
            let decide = |policy: &str| {
                let sources = [
                    Source { id: DocumentId(0), role: DocumentRole::Policy, text: policy },
                    Source { id: DocumentId(1), role: DocumentRole::Request, text: request },
                ];
                crate::pipeline::simulate::<Exoscale>(&sources, &Options).unwrap().effect
            };
            // With a second unguarded read the fixed rule still fails on the other one.
            if unguarded_reads == 1 {
                assert_eq!(decide(&text), iamlab_model::Effect::Allow, "{expression}");
                assert_eq!(decide(&fixed), iamlab_model::Effect::ExplicitDeny, "{fixed_expression}");
            }
        }
    }

    #[test]
    fn a_deny_rules_unguarded_read_is_fixed_by_guarding_its_part() {
        check_guard("parameters.bucket == 'b'", "(!parameters.has('bucket') || parameters.bucket == 'b')");
        check_guard(
            "operation == 'list-sos-buckets-usage' && parameters.bucket != 'public'",
            "operation == 'list-sos-buckets-usage' && (!parameters.has('bucket') || parameters.bucket != 'public')",
        );
        // Under a `!` the guard is written so that the negation makes it deny.
        check_guard(
            "!parameters.key.startsWith('public/')",
            "!(parameters.has('key') && parameters.key.startsWith('public/'))",
        );
        check_guard(
            "!(parameters.bucket == 'a' || !(parameters['key'] == 'k'))",
            "!((parameters.has('bucket') && parameters.bucket == 'a') || !(parameters['key'] == 'k'))",
        );
        check_guard("resources.bucket.name == 'x'", "(!resources.has('bucket') || resources.bucket.name == 'x')");
        // No edit is obviously right inside a `?:` or a macro: the finding has no fix.
        check_guard("parameters.bucket == 'a' ? true : false", "");
        check_guard("['a'].exists(b, parameters.bucket == b)", "");
    }
}
