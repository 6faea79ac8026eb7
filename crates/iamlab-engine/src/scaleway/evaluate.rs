//! The decision: is the permission set asked for granted where it is asked for?
//!
//! Semantics (each with its source in `docs/semantics/scaleway.md`):
//! - the Organization Owner is always allowed; conditions do not apply to it;
//! - rules only allow, their order has no effect, policies combine by union;
//! - a `no_principal` policy grants nothing;
//! - a rule applies when its scope covers the request, one of its sets is or contains the set
//!   asked for, and its condition is absent, empty or true; a condition that errors or is not
//!   a boolean does not allow;
//! - anything not allowed is an implicit deny (Scaleway has no explicit deny).

use super::catalog::{catalog, ContainmentPath};
use super::request::{Request, RequestScope};
use super::syntax::{Condition, Policy, Principal, Rule, Scope};
use super::Options;
use crate::catalog::Evidence;
use crate::cel_rules::{self, ExpressionOutcome};
use crate::pipeline::{Detail, DocumentRole, Parsed};
use iamlab_model::{Decision, DecisiveEntry, DocumentId, Effect, ExplanationStep, Locator, StepOutcome, TraceEntry};

pub fn evaluate(
    documents: &[Parsed<'_, Policy>],
    request: &Parsed<'_, Request>,
    options: &Options,
    detail: Detail,
) -> Decision {
    let asked = &request.tree;
    let request_id = request.source.id;
    let mut explanation = request_notes(request_id, asked);
    if options.owner {
        let reason = "the principal is the Organization Owner, who has full rights and access to all resources and features of the Organization: policies and their conditions do not apply";
        explanation.push(ExplanationStep::note(Some(request_id), "owner", reason));
        let entry = DecisiveEntry::new(Locator { element: "owner".to_owned(), ..Locator::default() }, reason);
        return Decision { effect: Effect::Allow, decisive: vec![entry], explanation };
    }
    let policies: Vec<&Parsed<'_, Policy>> =
        documents.iter().filter(|document| document.source.role == DocumentRole::Policy).collect();
    if policies.is_empty() {
        explanation.push(ExplanationStep::note(
            Some(request_id),
            "request",
            "no policy reaches the principal: a user or application other than the Owner has no permission beyond its policies",
        ));
    }
    let activation = asked.activation();
    let mut decisive = Vec::new();
    // Every evaluated rule is an allow element: the nearest-miss candidates, each with its
    // condition's compiled tree, so that measuring them reads no document again.
    let mut candidates: Vec<(usize, Option<(&iamlab_cel::Expr, &str)>)> = Vec::new();
    for document in policies {
        let policy = &document.tree;
        let context = RuleContext::new(document.source.id, document.source.text, policy, asked, detail);
        let no_principal =
            matches!(policy.principal.as_ref().map(|principal| &principal.value), Some(Principal::NoPrincipal));
        for rule in &policy.rules {
            if no_principal {
                explanation.push(ExplanationStep::step(
                    context.locator(rule),
                    StepOutcome::NotEvaluated,
                    format!("{}: the policy has no principal (`no_principal`), so its rules grant nothing until one is attached", context.policy_name()),
                ));
                continue;
            }
            let (step, granted) = evaluate_rule(&context, rule, &activation);
            let tree = rule
                .condition
                .as_ref()
                .and_then(|condition| condition.compiled.ast.as_ref().map(|ast| (ast, condition.text.as_str())));
            candidates.push((explanation.len(), tree));
            explanation.push(step);
            if let Some(reason) = granted {
                decisive.push(DecisiveEntry::new(context.locator(rule), reason));
            }
        }
        if policy.rules.is_empty() {
            explanation.push(ExplanationStep::note(
                Some(document.source.id),
                "rules",
                format!("{} has no rules: it grants nothing", context.policy_name()),
            ));
        }
    }
    let effect = if decisive.is_empty() {
        explanation.push(ExplanationStep::note(
            Some(request_id),
            "request",
            format!(
                "no rule grants `{}` {}: the request is denied (Scaleway rules only allow; there is no explicit deny)",
                asked.permission_set.value,
                describe_scope(&asked.scope)
            ),
        ));
        Effect::ImplicitDeny
    } else {
        if decisive.len() > 1 {
            explanation.push(ExplanationStep::note(
                Some(request_id),
                "request",
                format!(
                    "{} rules grant the request; any one of them suffices (policies combine by union)",
                    decisive.len()
                ),
            ));
        }
        Effect::Allow
    };
    let mut decision = Decision { effect, decisive, explanation };
    // The nearest miss reads the traces, which a decision-only run does not record.
    if detail == Detail::Explained {
        crate::authoring::nearest_miss::mark_closest(&mut decision, candidates);
    }
    decision
}

struct RuleContext<'input> {
    document: DocumentId,
    source: &'input str,
    request: &'input Request,
    detail: Detail,
    /// "policy `name`", written once for all the policy's rules.
    policy_name: String,
}

impl<'input> RuleContext<'input> {
    fn new(
        document: DocumentId,
        source: &'input str,
        policy: &Policy,
        request: &'input Request,
        detail: Detail,
    ) -> Self {
        let policy_name = match &policy.name {
            Some(name) => format!("policy `{}`", name.value),
            None => "the policy".to_owned(),
        };
        RuleContext { document, source, request, detail, policy_name }
    }

    fn locator(&self, rule: &Rule) -> Locator {
        Locator::element(self.document, format!("rules[{}]", rule.index))
            .with_index(u32::try_from(rule.index).ok())
            .with_span(Some(rule.span))
    }

    fn policy_name(&self) -> &str {
        &self.policy_name
    }
}

fn describe_scope(scope: &RequestScope) -> String {
    match scope {
        RequestScope::Project(id) => format!("in Project `{id}`"),
        RequestScope::Organization(id) => format!("in Organization `{id}`"),
    }
}

/// Whether the rule's scope covers the request.
fn scope_covers(scope: Option<&Scope>, asked: &RequestScope) -> bool {
    match (scope, asked) {
        (Some(Scope::Projects(ids)), RequestScope::Project(project)) => ids.iter().any(|id| id.value == *project),
        (Some(Scope::Organization(_)), RequestScope::Project(_)) => true,
        (Some(Scope::Organization(organization)), RequestScope::Organization(asked)) => organization == asked,
        (Some(Scope::Projects(_) | Scope::AccountRootUser(_)), _) | (None, _) => false,
    }
}

/// Why the rule's scope covers the request or does not ([`scope_covers`] says which). Written
/// only for the reasons that are shown: most rules of a large policy miss by scope alone.
fn scope_reason(scope: Option<&Scope>, asked: &RequestScope) -> String {
    match (scope, asked) {
        (Some(Scope::Projects(ids)), RequestScope::Project(project)) => {
            if ids.iter().any(|id| id.value == *project) {
                format!("Project `{project}` is in its `project_ids`")
            } else {
                format!("its `project_ids` do not include Project `{project}`")
            }
        }
        (Some(Scope::Projects(_)), RequestScope::Organization(_)) => {
            "its scope is a list of Projects, which does not cover an Organization-wide check: only an `organization_id` rule does (a choice, see the semantics document)".to_owned()
        }
        (Some(Scope::Organization(organization)), RequestScope::Project(project)) => format!(
            "its scope `organization_id` `{organization}` covers every current and future Project of the Organization, Project `{project}` included"
        ),
        (Some(Scope::Organization(organization)), RequestScope::Organization(asked)) => {
            if organization == asked {
                format!("its scope is Organization `{organization}`")
            } else {
                format!("its scope is Organization `{organization}`, not `{asked}`")
            }
        }
        (Some(Scope::AccountRootUser(_)), _) => {
            "its scope `account_root_user_id` is only on Scaleway-managed rules and covers no Project or Organization check".to_owned()
        }
        (None, _) => "it has no scope".to_owned(),
    }
}

/// How one of the rule's sets grants the set asked for.
enum SetMatch<'catalog> {
    Same(String),
    Contained(&'catalog ContainmentPath),
}

fn set_match<'catalog>(rule: &Rule, asked: &str) -> Option<SetMatch<'catalog>> {
    if rule.permission_sets.iter().any(|set| set.value == asked) {
        return Some(SetMatch::Same(asked.to_owned()));
    }
    rule.permission_sets.iter().find_map(|set| catalog().containment(&set.value, asked).map(SetMatch::Contained))
}

fn evaluate_rule(
    context: &RuleContext<'_>,
    rule: &Rule,
    activation: &iamlab_cel::Activation,
) -> (ExplanationStep, Option<String>) {
    let locator = context.locator(rule);
    let asked = &context.request.permission_set.value;
    let scope = rule.scope.as_ref().map(|scope| &scope.value);
    let covered = scope_covers(scope, &context.request.scope);
    let matched = set_match(rule, asked);
    let set_reason = || match &matched {
        Some(SetMatch::Same(name)) => format!("it grants `{name}`"),
        Some(SetMatch::Contained(path)) => format!(
            "it grants `{}`, which contains `{asked}` ({}; {} from the set descriptions, not documented as data)",
            path.chain.first().map_or("", String::as_str),
            path.chain.join(" ⊇ "),
            path.evidence.as_str()
        ),
        None => {
            let names: Vec<String> = rule.permission_sets.iter().map(|set| format!("`{}`", set.value)).collect();
            format!("none of its sets ({}) is or contains `{asked}`", names.join(", "))
        }
    };
    let prefix = format!("{} rule {}", context.policy_name(), rule.index);
    if !covered || matched.is_none() {
        let mut reasons = Vec::new();
        if !covered {
            reasons.push(format!("scope: {}", scope_reason(scope, &context.request.scope)));
        }
        if matched.is_none() {
            reasons.push(format!("permission set: {}", set_reason()));
        }
        let step = ExplanationStep::step(
            locator,
            StepOutcome::NotMatched,
            format!("{prefix} does not apply: {}", reasons.join("; ")),
        );
        return (step, None);
    }
    let (set_reason, scope_reason) = (set_reason(), scope_reason(scope, &context.request.scope));
    let Some(condition) = &rule.condition else {
        let reason = format!("{prefix} applies: {set_reason}, {scope_reason}, and it has no condition");
        return (ExplanationStep::step(locator, StepOutcome::Matched, reason.clone()), Some(reason));
    };
    let evaluation = cel_rules::evaluate_with(&condition.compiled, activation, context.detail);
    let trace = trace_entries(context.source, condition, &evaluation.trace);
    let (outcome, reason, granted) = match evaluation.outcome {
        ExpressionOutcome::True => {
            let reason = format!("{prefix} applies: {set_reason}, {scope_reason}, and its condition is true");
            (StepOutcome::Matched, reason.clone(), Some(reason))
        }
        ExpressionOutcome::False => (
            StepOutcome::NotMatched,
            format!("{prefix} does not apply: condition: `{}` is false ({set_reason}, {scope_reason})", condition.text),
            None,
        ),
        ExpressionOutcome::NotBoolean(value) => (
            StepOutcome::Errored,
            format!("{prefix} does not apply: condition: it evaluated to {value}, not a boolean, so it does not allow"),
            None,
        ),
        ExpressionOutcome::Error(message) => (
            StepOutcome::Errored,
            format!(
                "{prefix} does not apply: condition: it failed ({message}), and a condition that errors does not allow"
            ),
            None,
        ),
    };
    let granted = granted.map(|reason| match matched {
        Some(SetMatch::Contained(path)) if path.evidence == Evidence::Inferred => {
            format!("{reason} (this answer depends on the inferred containment {})", path.chain.join(" ⊇ "))
        }
        _ => reason,
    });
    (ExplanationStep::step(locator, outcome, reason).with_trace(trace), granted)
}

fn trace_entries(source: &str, condition: &Condition, trace: &[cel_rules::TracedValue]) -> Vec<TraceEntry> {
    trace
        .iter()
        .map(|traced| TraceEntry {
            span: Some(condition.to_source(source, traced.span)),
            text: condition.text.get(traced.span.range()).unwrap_or_default().to_owned(),
            value: traced.value.clone(),
        })
        .collect()
}

/// What the engine did to the request before evaluating it.
fn request_notes(document: DocumentId, request: &Request) -> Vec<ExplanationStep> {
    let mut notes = Vec::new();
    if let Some(cut) = request.user_agent_cut {
        notes.push(ExplanationStep::note(
            Some(document),
            "context.user_agent",
            format!("`user_agent` was truncated to 255 characters ({cut} cut), as Scaleway does before evaluating conditions"),
        ));
    }
    let absent: Vec<&str> = [
        ("request.ip", request.ip.is_none()),
        ("request.time", request.time.is_none()),
        ("request.user_agent", request.user_agent.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, missing)| missing.then_some(name))
    .collect();
    if !absent.is_empty() {
        notes.push(ExplanationStep::note(
            Some(document),
            "context",
            format!(
                "{} not given: a condition reading it fails, and a failing condition does not allow",
                absent.join(", ")
            ),
        ));
    }
    if request.resource_name.is_none() && request.resource_id.is_none() && request.resource_locality.is_none() {
        notes.push(ExplanationStep::note(
            Some(document),
            "resource",
            "no resource given: the request is read as a list call, where `has(resource.id)` is false",
        ));
    }
    notes
}
