//! Semantic checks of a read policy: permission sets against the catalogue (unknown names,
//! scope types mixed in one rule, Organization-scoped sets on Projects, Project-scoped sets on
//! the whole Organization), the API's echoed scope type, rules scoped to another Organization,
//! and the CEL type findings of every condition mapped onto the JSON string.

use super::catalog::{catalog, ScopeType};
use super::syntax::{Policy, Rule, Scope};
use super::Code;
use iamlab_model::Diagnostic;

/// How many "did you mean" searches one policy may run: each compares a name with all 202
/// sets, and a pasted policy may hold thousands of unknown names.
const SUGGESTION_BUDGET: usize = 64;

pub fn check_policy(source: &str, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    let mut suggestions = SUGGESTION_BUDGET;
    for rule in &policy.rules {
        check_permission_sets(rule, &mut suggestions, diagnostics);
        check_scope(policy, rule, diagnostics);
        if let Some(condition) = &rule.condition {
            // Syntax errors were reported when the policy was read; the rest (unknown
            // variables such as the non-public `session.*`, type mismatches) are here.
            for diagnostic in condition.compiled.diagnostics.iter().filter(|diagnostic| !diagnostic.is_error()) {
                diagnostics.push(
                    diagnostic
                        .clone()
                        .map_spans(|span| condition.to_source(source, span))
                        .with_path(format!("{}/condition", rule.pointer)),
                );
            }
        }
    }
}

fn check_permission_sets(rule: &Rule, suggestions: &mut usize, diagnostics: &mut Vec<Diagnostic>) {
    let catalog = catalog();
    for (index, set) in rule.permission_sets.iter().enumerate() {
        if catalog.get(&set.value).is_some() {
            continue;
        }
        let suggestion = match suggestions.checked_sub(1) {
            Some(left) => {
                *suggestions = left;
                catalog.closest(&set.value)
            }
            None => None,
        };
        let help = match suggestion {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None => "the catalogue holds the 202 sets of Scaleway's permission-sets page; beta sets may exist that it lacks (ListPermissionSets is the live list)".to_owned(),
        };
        diagnostics.push(Code::UnknownPermissionSet.at(
            format!("unknown permission set `{}`", set.value),
            set.span,
            &format!("{}/permission_set_names/{index}", rule.pointer),
            help,
        ));
    }
    let known: Vec<(&iamlab_model::Spanned<String>, ScopeType)> = rule
        .permission_sets
        .iter()
        .filter_map(|set| catalog.get(&set.value).map(|entry| (set, entry.scope_type)))
        .collect();
    let organization_sets: Vec<&str> = known
        .iter()
        .filter(|(_, scope_type)| *scope_type == ScopeType::Organization)
        .map(|(set, _)| set.value.as_str())
        .collect();
    if let Some((first, first_type)) = known.first() {
        if let Some((odd, odd_type)) = known.iter().find(|(_, scope_type)| scope_type != first_type) {
            diagnostics.push(Code::MixedScopeTypes.at(
                format!(
                    "permission sets must be of the same scope type: `{}` is {}-scoped but `{}` is {}-scoped",
                    first.value,
                    scope_word(*first_type),
                    odd.value,
                    scope_word(*odd_type)
                ),
                odd.span,
                &format!("{}/permission_set_names", rule.pointer),
                "Scaleway rejects the rule: put Organization-scoped sets and Project-scoped sets in separate rules",
            ));
            return;
        }
    }
    if let (Some(Scope::Projects(_)), false) =
        (rule.scope.as_ref().map(|scope| &scope.value), organization_sets.is_empty())
    {
        let span = rule.scope.as_ref().map_or(rule.span, |scope| scope.span);
        diagnostics.push(Code::OrganizationSetInProjects.at(
            format!(
                "{} {} Organization-scoped: {} cannot be given `project_ids`",
                organization_sets.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", "),
                if organization_sets.len() == 1 { "is" } else { "are" },
                if organization_sets.len() == 1 { "it" } else { "they" },
            ),
            span,
            &format!("{}/project_ids", rule.pointer),
            "IAM, billing, Project management and tickets are managed at Organization level: use `organization_id`",
        ));
    }
    if let Some(Scope::Organization(_)) = rule.scope.as_ref().map(|scope| &scope.value) {
        if !known.is_empty() && organization_sets.is_empty() {
            let span = rule.scope.as_ref().map_or(rule.span, |scope| scope.span);
            diagnostics.push(Code::AllProjectsScope.at(
                "these permission sets are Project-scoped: on `organization_id` they apply to all current and future Projects of the Organization",
                span,
                &format!("{}/organization_id", rule.pointer),
                "this is the console's \"All projects\"; list `project_ids` to limit the rule to some Projects",
            ));
        }
    }
    if let Some(echoed) = &rule.echoed_scope_type {
        let expected = known.first().map(|(_, scope_type)| scope_type.as_str());
        if let Some(expected) = expected {
            if echoed.value != expected && ["projects", "organization"].contains(&echoed.value.as_str()) {
                diagnostics.push(Code::ScopeTypeMismatch.at(
                    format!(
                        "`permission_sets_scope_type` says `{}` but the catalogue makes these sets `{expected}`",
                        echoed.value
                    ),
                    echoed.span,
                    &format!("{}/permission_sets_scope_type", rule.pointer),
                    "the field is the API's echo, ignored on write; the catalogue may be out of date",
                ));
            }
        }
    }
}

fn scope_word(scope_type: ScopeType) -> &'static str {
    match scope_type {
        ScopeType::Projects => "Project",
        ScopeType::Organization => "Organization",
    }
}

fn check_scope(policy: &Policy, rule: &Rule, diagnostics: &mut Vec<Diagnostic>) {
    let Some(scope) = &rule.scope else { return };
    match &scope.value {
        Scope::Organization(organization) => {
            if let Some(owner) = &policy.organization_id {
                if owner.value != *organization && !owner.value.is_empty() {
                    diagnostics.push(Code::OtherOrganization.at(
                        format!("the rule is scoped to Organization `{organization}` but the policy belongs to `{}`", owner.value),
                        scope.span,
                        &format!("{}/organization_id", rule.pointer),
                        "a policy's rules apply inside its own Organization: use the policy's `organization_id`",
                    ));
                }
            }
        }
        Scope::AccountRootUser(_) => diagnostics.push(Code::AccountRootUserScope.at(
            "`account_root_user_id` is a scope of Scaleway-managed rules only: RuleSpecs (CreatePolicy, SetRules) cannot set it",
            scope.span,
            &format!("{}/account_root_user_id", rule.pointer),
            "use `project_ids` or `organization_id`; the simulation treats this rule as covering no request",
        )),
        Scope::Projects(_) => {}
    }
}
