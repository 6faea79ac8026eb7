//! The nearest miss of a denied request: among the allow statements and rules that were
//! evaluated and did not apply, the one with the fewest failing parts, the parts that failed
//! with their values, and where it can be said, the change that would make it apply.
//!
//! It reads only what the evaluation explained (each step's outcome and trace) and the policy's
//! JSON (to tell allow elements from deny elements), so it holds for every provider whose steps
//! name their element by its JSON path (`services.compute.rules[0]`, `rules[1]`). The
//! Outscale/AWS engine measures its statements itself, on the trees it evaluated
//! (`outscale::evaluate`): its parts are `Action`, `Resource` and each condition entry.

use crate::pipeline::Source;
use iamlab_cel::{BinaryOp, Dialect, Expr, ExprKind};
use iamlab_model::json::{parse_json, JsonValue};
use iamlab_model::{Decision, DocumentId, Effect, ExplanationStep, NearestMiss, StepOutcome, TraceEntry};

/// How many candidate steps are measured at most: a policy of thousands of statements must not
/// make every keystroke parse thousands of expressions.
const MAX_CANDIDATES: usize = 500;

/// Marks the nearest miss of `decision` when it denies (see the module documentation).
pub fn annotate(decision: &mut Decision, sources: &[Source<'_>]) {
    // An engine that measured its candidates on its own trees (Scaleway, see [`mark_closest`];
    // Outscale/AWS) has marked the nearest miss already: reading the documents again would only
    // cost time.
    if decision.effect == Effect::Allow || decision.explanation.iter().any(|step| step.nearest_miss.is_some()) {
        return;
    }
    let mut trees: Vec<(DocumentId, Option<JsonValue>)> = Vec::new();
    let mut best: Option<(usize, NearestMiss)> = None;
    let candidates = decision
        .explanation
        .iter()
        .enumerate()
        .filter(|(_, step)| matches!(step.outcome, StepOutcome::NotMatched | StepOutcome::Errored))
        .take(MAX_CANDIDATES);
    for (index, step) in candidates {
        let Some(document) = step.locator.document else { continue };
        if !trees.iter().any(|(id, _)| *id == document) {
            let tree =
                sources.iter().find(|source| source.id == document).and_then(|source| parse_json(source.text).value);
            trees.push((document, tree));
        }
        let Some(root) = trees.iter().find(|(id, _)| *id == document).and_then(|(_, tree)| tree.as_ref()) else {
            continue;
        };
        // An Exoscale role holds its policy under `policy`.
        let found = element_value(root, &step.locator.element)
            .or_else(|| root.get("policy").and_then(|policy| element_value(policy, &step.locator.element)));
        let Some(element) = found else { continue };
        let Some(dialect) = allow_dialect(element) else { continue };
        let miss = measure_expression(step, dialect);
        if best.as_ref().is_none_or(|(_, closest)| miss.failing_parts < closest.failing_parts) {
            best = Some((index, miss));
        }
    }
    if let Some((index, miss)) = best {
        if let Some(step) = decision.explanation.get_mut(index) {
            step.nearest_miss = Some(miss);
        }
    }
}

/// Marks the nearest miss of a denied `decision` among `candidates`, explanation step indexes
/// of allow elements in explanation order, each with its expression as the engine compiled it
/// (`None` when it has none) and the text its spans index. It measures as [`annotate`] does,
/// without reading any document again: what an engine that keeps its trees calls.
pub fn mark_closest<'expr>(
    decision: &mut Decision,
    candidates: impl IntoIterator<Item = (usize, Option<(&'expr Expr, &'expr str)>)>,
) {
    if decision.effect == Effect::Allow {
        return;
    }
    let mut best: Option<(usize, NearestMiss)> = None;
    let steps = &decision.explanation;
    let measured = candidates
        .into_iter()
        .filter(|(index, _)| {
            steps.get(*index).is_some_and(|step| matches!(step.outcome, StepOutcome::NotMatched | StepOutcome::Errored))
        })
        .take(MAX_CANDIDATES);
    for (index, expression) in measured {
        let Some(step) = steps.get(index) else { continue };
        let miss = match (step.trace.first(), expression) {
            (Some(_), Some((ast, source))) => measure_tree(step, ast, source),
            (Some(whole), None) => NearestMiss { failing_parts: 1, failing: vec![whole.clone()], change: None },
            (None, _) => NearestMiss { failing_parts: 1, failing: Vec::new(), change: None },
        };
        if best.as_ref().is_none_or(|(_, closest)| miss.failing_parts < closest.failing_parts) {
            best = Some((index, miss));
        }
    }
    if let Some((index, miss)) = best {
        if let Some(step) = decision.explanation.get_mut(index) {
            step.nearest_miss = Some(miss);
        }
    }
}

/// The JSON of an element named like `services.compute.rules[0]` or `Statement[2]`.
fn element_value<'tree, 'text>(root: &'tree JsonValue<'text>, element: &str) -> Option<&'tree JsonValue<'text>> {
    let mut value = root;
    for segment in element.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (segment, None),
        };
        value = value.get(name)?;
        if let Some(index) = index {
            // A lone statement object stands for a list of one.
            value = match value.as_array() {
                Some(items) => items.get(index)?,
                None if index == 0 => value,
                None => return None,
            };
        }
    }
    Some(value)
}

/// Whether the element is an allow rule, and the dialect of its expression; `None` for deny
/// rules and for elements that are not rules (an Outscale/AWS statement).
fn allow_dialect(element: &JsonValue) -> Option<Dialect> {
    if let Some(action) = element.get("action") {
        return (action.as_str() == Some("allow")).then_some(Dialect::Exoscale);
    }
    // A Scaleway rule only ever allows.
    element.get("permission_set_names").map(|_| Dialect::Scaleway)
}

/// A CEL element: its top-level `&&` operands are its parts; a part fails when the trace has it
/// `false` (or as an error).
fn measure_expression(step: &ExplanationStep, dialect: Dialect) -> NearestMiss {
    let Some(whole) = step.trace.first() else {
        // Nothing was traced: the expression is absent or did not parse; the reason says why.
        return NearestMiss { failing_parts: 1, failing: Vec::new(), change: None };
    };
    let parsed = iamlab_cel::parse(&whole.text, dialect);
    let Some(ast) = parsed.ast.filter(|_| !parsed.diagnostics.iter().any(iamlab_model::Diagnostic::is_error)) else {
        return NearestMiss { failing_parts: 1, failing: vec![whole.clone()], change: None };
    };
    measure_tree(step, &ast, &whole.text)
}

/// [`measure_expression`] on a tree already parsed from `source` (the text its spans index,
/// whose sub-expressions the trace quotes).
fn measure_tree(step: &ExplanationStep, ast: &Expr, source: &str) -> NearestMiss {
    let mut parts = Vec::new();
    conjuncts(ast, &mut parts);
    let failing: Vec<(&Expr, TraceEntry)> = parts
        .into_iter()
        .filter_map(|part| {
            let text = part.span.slice(source)?;
            let value = traced_value(step, text)?;
            (value != "true").then(|| (part, TraceEntry { span: None, text: text.to_owned(), value: value.to_owned() }))
        })
        .collect();
    let change = match failing.as_slice() {
        [(part, entry)] => Some(change_for(part, entry, source, step)),
        _ => None,
    };
    let failing_parts = u32::try_from(failing.len().max(1)).unwrap_or(u32::MAX);
    let failing = failing
        .into_iter()
        .map(|(_, entry)| {
            let span = step.trace.iter().find(|traced| traced.text == entry.text).and_then(|traced| traced.span);
            TraceEntry { span, ..entry }
        })
        .collect();
    NearestMiss { failing_parts, failing, change }
}

/// The value the trace has for the sub-expression written `text`.
fn traced_value<'step>(step: &'step ExplanationStep, text: &str) -> Option<&'step str> {
    step.trace.iter().find(|entry| entry.text == text).map(|entry| entry.value.as_str())
}

/// The operands of a chain of `&&`, in source order.
fn conjuncts<'expr>(expr: &'expr Expr, parts: &mut Vec<&'expr Expr>) {
    // The parser bounds the tree's height, so this recursion is bounded too.
    match &expr.kind {
        ExprKind::Binary { op: BinaryOp::And, left, right } => {
            conjuncts(left, parts);
            conjuncts(right, parts);
        }
        _ => parts.push(expr),
    }
}

/// "`parameters.type` is `'A'`; this rule allows only `'TXT'`", or what the part needs to be.
fn change_for(part: &Expr, entry: &TraceEntry, source: &str, step: &ExplanationStep) -> String {
    let text = |expr: &Expr| expr.span.slice(source).unwrap_or_default();
    if let ExprKind::Binary { op, left, right } = &part.kind {
        let (subject, allowed) = match (&left.kind, &right.kind) {
            (ExprKind::Literal(_), _) if *op == BinaryOp::Equal => (right, left),
            _ => (left, right),
        };
        if let Some(actual) = traced_value(step, text(subject)) {
            let (subject, allowed) = (text(subject), text(allowed));
            match op {
                BinaryOp::Equal => return format!("`{subject}` is `{actual}`; this rule allows only `{allowed}`"),
                BinaryOp::In => return format!("`{subject}` is `{actual}`; this rule allows only one of `{allowed}`"),
                BinaryOp::NotEqual => return format!("`{subject}` is `{actual}`; this rule allows anything but it"),
                BinaryOp::Less | BinaryOp::LessEqual | BinaryOp::Greater | BinaryOp::GreaterEqual => {
                    return format!("`{subject}` is `{actual}`; this rule needs `{subject} {} {allowed}`", op.symbol())
                }
                _ => {}
            }
        }
    }
    if entry.value == "false" {
        format!("`{}` is false; the rule applies when it is true", entry.text)
    } else {
        format!("`{}` gave `{}`; the rule applies when it is true", entry.text, entry.value)
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{DocumentId, DocumentRole, Source};
    use crate::Options;
    use iamlab_model::Provider;

    /// The nearest miss of simulating `request` against `policy`, as one line: the element,
    /// the number of failing parts and the change.
    fn check(provider: Provider, policy: &str, request: &str, expect: &str) {
        let sources = [
            Source { id: DocumentId(1), role: DocumentRole::Policy, text: policy },
            Source { id: DocumentId(2), role: DocumentRole::Request, text: request },
        ];
        let decision = crate::simulate(&Options::for_provider(provider), &sources).unwrap();
        let actual = match decision.nearest_miss() {
            Some((step, miss)) => {
                format!("{} {} {}", step.locator.element, miss.failing_parts, miss.change.as_deref().unwrap_or("-"))
            }
            None => "none".to_owned(),
        };
        assert_eq!(actual, expect);
    }

    const EXOSCALE_DNS: &str = r#"{
  "default-service-strategy": "deny",
  "services": {
    "dns": {
      "type": "rules",
      "rules": [
        { "action": "deny", "expression": "operation == 'delete-dns-domain'" },
        { "action": "allow", "expression": "operation == 'create-dns-domain-record' && parameters.type == 'TXT'" },
        { "action": "allow", "expression": "operation == 'list-dns-domains' && zone == 'ch-gva-2' && false" }
      ]
    }
  }
}"#;

    #[test]
    fn the_closest_exoscale_allow_rule_names_the_failing_comparison() {
        let request = r#"{"operation": "create-dns-domain-record", "zone": "ch-gva-2", "parameters": {"type": "A", "name": "www"}}"#;
        check(
            Provider::Exoscale,
            EXOSCALE_DNS,
            request,
            "services.dns.rules[1] 1 `parameters.type` is `'A'`; this rule allows only `'TXT'`",
        );
    }

    #[test]
    fn an_allowed_request_has_no_nearest_miss() {
        let request = r#"{"operation": "create-dns-domain-record", "zone": "ch-gva-2", "parameters": {"type": "TXT", "name": "www"}}"#;
        check(Provider::Exoscale, EXOSCALE_DNS, request, "none");
    }

    #[test]
    fn the_closest_outscale_statement_names_the_action_it_misses() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", "Action": "api:DeleteVms", "Resource": "*"},
  {"Effect": "Allow", "Action": "api:Read*", "Resource": "*"}
]}"#;
        let request = r#"{"action": "api:CreateVms", "resource": "*", "context": {}}"#;
        let sources = [
            Source { id: DocumentId(1), role: DocumentRole::Policy, text: policy },
            Source { id: DocumentId(2), role: DocumentRole::Request, text: request },
        ];
        let decision = crate::simulate(&Options::for_provider(Provider::Outscale), &sources).unwrap();
        let (step, miss) = decision.nearest_miss().unwrap();
        assert_eq!(step.locator.element, "Statement[1]");
        assert_eq!(miss.failing_parts, 1);
        assert!(miss.change.as_deref().unwrap_or_default().contains("api:CreateVms"), "{miss:?}");
    }

    const SCALEWAY_POLICY: &str = r#"{"name": "p", "user_id": "u", "rules": [
  {"permission_set_names": ["InstancesReadOnly"], "project_ids": ["other"]},
  {"permission_set_names": ["InstancesFullAccess"], "project_ids": ["p-1"], "condition": "  request.time.getHours(\"Europe/Paris\") >= 8 && request.user_agent == \"terraform/1.11\" && inIpRange(request.ip, \"203.0.113.0/24\")"},
  {"permission_set_names": ["InstancesFullAccess"], "project_ids": ["p-1"], "condition": "request.user_agent == \"terraform/1.11\" && false"}
]}"#;
    const SCALEWAY_REQUEST: &str = r#"{"permission_set": "InstancesFullAccess", "project_id": "p-1",
  "context": {"ip": "203.0.113.7", "time": "2026-11-23T09:30:00Z", "user_agent": "curl/8"}}"#;

    #[test]
    fn the_closest_scaleway_rule_names_the_failing_comparison() {
        // A rule missed by its scope and one by one part of its condition tie: the first wins.
        check(Provider::Scaleway, SCALEWAY_POLICY, SCALEWAY_REQUEST, "rules[0] 1 -");
        let policy = SCALEWAY_POLICY
            .replace(r#"{"permission_set_names": ["InstancesReadOnly"], "project_ids": ["other"]},"#, "");
        check(
            Provider::Scaleway,
            &policy,
            SCALEWAY_REQUEST,
            "rules[0] 1 `request.user_agent` is `'curl/8'`; this rule allows only `\"terraform/1.11\"`",
        );
    }

    /// Scaleway marks its nearest miss on its compiled conditions; reading the documents again,
    /// as every other provider's decision is measured, gives the same answer.
    #[test]
    fn scaleway_measures_as_the_documents_would() {
        let policy = SCALEWAY_POLICY
            .replace(r#"{"permission_set_names": ["InstancesReadOnly"], "project_ids": ["other"]},"#, "");
        for policy in [SCALEWAY_POLICY, policy.as_str()] {
            let sources = [
                Source { id: DocumentId(1), role: DocumentRole::Policy, text: policy },
                Source { id: DocumentId(2), role: DocumentRole::Request, text: SCALEWAY_REQUEST },
            ];
            let decision = crate::simulate(&Options::for_provider(Provider::Scaleway), &sources).unwrap();
            assert!(decision.nearest_miss().is_some());
            let mut measured_again = decision.clone();
            for step in &mut measured_again.explanation {
                step.nearest_miss = None;
            }
            super::annotate(&mut measured_again, &sources);
            assert_eq!(measured_again, decision);
        }
    }
}
