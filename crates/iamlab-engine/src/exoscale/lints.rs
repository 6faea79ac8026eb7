//! Lints: policies that are valid but do not do what their authors most likely expect. Each
//! one is documented with its reason in `docs/semantics/exoscale.md`.

use super::codes::Code;
use super::syntax::{Action, Policy, ServiceType, Strategy};
use iamlab_model::Diagnostic;

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

pub fn lint_policy(source: &str, policy: &Policy, role: PolicyRole, diagnostics: &mut Vec<Diagnostic>) {
    let default_strategy = policy.default_strategy.map(|spanned| spanned.value);
    for service in &policy.services {
        let mut first_unconditional: Option<usize> = None;
        for rule in &service.rules {
            if let Some(resources_span) = rule.resources_span {
                diagnostics.push(Code::DeprecatedResources.finding(
                                        "the rule field `resources` has no effect",
                    resources_span,
                    &format!("{}/resources", rule.pointer),
                    "Exoscale deprecated it: the expression alone decides; test `resources.<type>.<field>` in the expression instead",
                ));
            }
            let Some(expression) = &rule.expression else { continue };
            let facts = &expression.facts;
            if let Some(first) = first_unconditional {
                let first_span = service.rules.get(first).map(|rule| rule.span).unwrap_or_default();
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
                let reads = facts.reads.iter().filter(|read| REQUEST_MAPS.contains(&read.field.root.as_str()));
                for read in reads.filter(|read| !facts.is_guarded(read)) {
                    diagnostics.push(Code::DenyFailsOpen.finding(
                                                format!(
                            "this deny rule reads `{}.{}` without checking that it exists",
                            read.field.root, read.field.key
                        ),
                        expression.span_in(source, read.span),
                        &format!("{}/expression", rule.pointer),
                        format!(
                            "when a request has no `{key}`, the expression fails, the rule is skipped and the next rule decides (possibly allowing); guard it: `!{root}.has('{key}') || …` or `has({root}.{key}) && …`",
                            key = read.field.key,
                            root = read.field.root
                        ),
                    ));
                }
            }
        }
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

/// An organization policy that denies the `iam` class denies it to everyone, including the
/// users who would fix the policy (only the owner's portal reset remains).
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
        "nobody could then change the organization policy through the API; only the organization owner can reset it from the portal. Add `\"iam\": {\"type\": \"allow\"}` (or rules that keep IAM for administrators)",
    ));
}
