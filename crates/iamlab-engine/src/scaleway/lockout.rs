//! The lock-out guard across versions: an edit that takes away the principal's own right to
//! write policies. A single document cannot show it (the rule that is gone is not there to
//! point at), so it compares the saved version of the policies that reach the principal with
//! the current one.
//!
//! Writing policies is `IAMPolicyManager` or a set that contains it through the curated table
//! (`IAMManager`, and `OrganizationManager` through `IAMManager`), on `organization_id`: those
//! sets are Organization-scoped, and a rule that gives them `project_ids` is an error the
//! validator reports. The Organization Owner is never subject to policies (glossary), so it
//! cannot lock itself out: no finding then.

use super::catalog::{catalog, POLICY_WRITING_SETS};
use super::syntax::{Policy, Principal, Rule, Scope};
use super::{Code, Options};
use crate::pipeline::{DocumentId, Parsed};
use iamlab_model::{Diagnostic, Span};

/// The set every policy-writing set is or contains.
const WRITES_POLICIES: &str = "IAMPolicyManager";

/// How the principal can write policies, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Writing {
    Never,
    UnderCondition,
    Always,
}

/// The strongest rule of `policies` that lets their principal write policies.
struct Strongest<'tree> {
    writing: Writing,
    /// The document, rule and set that give it (none for [`Writing::Never`]).
    granted_by: Option<(DocumentId, &'tree Policy, &'tree Rule, &'tree str)>,
}

fn strongest<'tree>(policies: &'tree [Parsed<'_, Policy>]) -> Strongest<'tree> {
    let mut found = Strongest { writing: Writing::Never, granted_by: None };
    for parsed in policies {
        let policy = &parsed.tree;
        // A `no_principal` policy reaches nobody; one without a principal is an error anyway.
        let reaches_principal =
            policy.principal.as_ref().is_some_and(|principal| principal.value != Principal::NoPrincipal);
        if !reaches_principal {
            continue;
        }
        for rule in &policy.rules {
            let on_organization =
                rule.scope.as_ref().is_some_and(|scope| matches!(scope.value, Scope::Organization(_)));
            let Some(set) = rule.permission_sets.iter().find(|set| writes_policies(&set.value)) else { continue };
            if !on_organization {
                continue;
            }
            let writing = if rule.condition.is_some() { Writing::UnderCondition } else { Writing::Always };
            if writing > found.writing {
                found = Strongest { writing, granted_by: Some((parsed.source.id, policy, rule, set.value.as_str())) };
            }
        }
    }
    found
}

fn writes_policies(set: &str) -> bool {
    set == WRITES_POLICIES
        || POLICY_WRITING_SETS.contains(&set)
        || catalog().containment(set, WRITES_POLICIES).is_some()
}

/// Where a finding about the current version goes: the principal of the document that granted
/// the right in the saved version when it is still there, otherwise of the first policy.
fn place(current: &[Parsed<'_, Policy>], saved_document: Option<DocumentId>) -> Option<(DocumentId, Span, String)> {
    let parsed = saved_document
        .and_then(|id| current.iter().find(|parsed| parsed.source.id == id))
        .or_else(|| current.first())?;
    let span = parsed.tree.principal.as_ref().map_or(Span::new(0, 0), |principal| principal.span);
    Some((parsed.source.id, span, parsed.tree.pointer.clone()))
}

fn policy_name(policy: &Policy) -> String {
    policy.name.as_ref().map_or_else(|| "an unnamed policy".to_owned(), |name| format!("policy `{}`", name.value))
}

pub fn compare_versions(
    saved: &[Parsed<'_, Policy>],
    current: &[Parsed<'_, Policy>],
    options: &Options,
) -> Vec<(DocumentId, Diagnostic)> {
    if options.owner {
        return Vec::new();
    }
    let before = strongest(saved);
    let after = strongest(current);
    if after.writing >= before.writing {
        return Vec::new();
    }
    let Some((_, saved_policy, _, saved_set)) = before.granted_by else { return Vec::new() };
    let help = "keep an unconditioned rule with `IAMManager` or `IAMPolicyManager` on `organization_id` for this principal or another administrator; only the Organization Owner, who is never subject to policies, could restore it";
    let finding = match (after.writing, after.granted_by) {
        (Writing::UnderCondition, Some((id, policy, rule, set))) => {
            let condition = rule.condition.as_ref().map_or("", |condition| condition.text.as_str());
            let span =
                rule.permission_sets.iter().find(|candidate| candidate.value == set).map_or(rule.span, |set| set.span);
            let pointer = format!("{}/permission_set_names", rule.pointer);
            let message = format!(
                "after this edit the principal can write policies only while `{condition}` holds (`{set}` in {}); the saved version granted `{saved_set}` without condition",
                policy_name(policy)
            );
            (id, Code::IamLockout.at(message, span, &pointer, help))
        }
        _ => {
            let Some((id, span, pointer)) = place(current, before.granted_by.map(|(id, ..)| id)) else {
                return Vec::new();
            };
            let message = format!(
                "this edit takes away the principal's last right to write policies (`{saved_set}` on the Organization in {} of the saved version): once applied, it cannot edit its policies to undo it",
                policy_name(saved_policy)
            );
            (id, Code::IamLockout.at(message, span, &pointer, help))
        }
    };
    vec![finding]
}
