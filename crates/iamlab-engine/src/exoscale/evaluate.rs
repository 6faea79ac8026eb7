//! Evaluation of one request against the organization policy and the role policy.
//!
//! Semantics (sources in `docs/semantics/exoscale.md`):
//! - a request must be allowed by both layers, the organization policy first (absent: allow);
//! - in a policy, the service entry of the request's class decides, or
//!   `default-service-strategy` when the class is absent;
//! - `type: allow` / `type: deny` decide at once;
//! - `type: rules`: rules in order, the first whose expression is `true` decides with its
//!   action; an expression that fails or is not a boolean is skipped; when no rule matches the
//!   request is denied whatever the default strategy.

use super::syntax::{spelling, Action, Policy, Rule, Service, ServiceType, Strategy};
use crate::cel_rules::{self, ExpressionOutcome};
use crate::pipeline::Detail;
use iamlab_cel::Activation;
use iamlab_model::{DecisiveEntry, DocumentId, Effect, ExplanationStep, Layer, Locator, Span, StepOutcome, TraceEntry};

/// A policy to evaluate, with where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct LayerPolicy<'input> {
    pub layer: Layer,
    pub document: DocumentId,
    pub source: &'input str,
    pub policy: &'input Policy,
    /// Whether the rules' steps carry traces.
    pub detail: Detail,
}

/// What one layer decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub effect: Effect,
    pub entry: DecisiveEntry,
}

/// Evaluates one layer; appends one explanation step per element considered.
pub fn evaluate_layer(
    input: LayerPolicy<'_>,
    class: &str,
    activation: &Activation,
    steps: &mut Vec<ExplanationStep>,
) -> Verdict {
    let Some(service) = input.policy.service(class) else {
        return default_strategy(input, class, steps);
    };
    let element = format!("services.{class}");
    match service.service_type.map(|spanned| spanned.value) {
        Some(service_type @ (ServiceType::Allow | ServiceType::Deny)) => {
            let span = service.service_type.map(|spanned| spanned.span);
            let (effect, reason) = if service_type == ServiceType::Allow {
                (Effect::Allow, allowed(input.layer, class, "The service type is allow"))
            } else {
                (Effect::ExplicitDeny, forbidden(input.layer, class, "The service type is deny"))
            };
            steps.push(step(
                input,
                &element,
                None,
                span,
                StepOutcome::Matched,
                format!("the service's type is `{}`", spelling(service_type)),
            ));
            Verdict { effect, entry: entry(input, &element, None, span, reason) }
        }
        // A service without a valid `type` is a schema error: simulation refuses such
        // documents before getting here, so this arm only keeps the match total.
        Some(ServiceType::Rules) | None => evaluate_rules(input, service, activation, steps),
    }
}

fn default_strategy(input: LayerPolicy<'_>, class: &str, steps: &mut Vec<ExplanationStep>) -> Verdict {
    let strategy = input.policy.default_strategy;
    let span = strategy.map(|spanned| spanned.span);
    let element = "default-service-strategy";
    // An absent strategy is a schema error (simulation refuses such documents); deny is the
    // safe reading should one get here.
    let (effect, word, reason) = if strategy.map(|spanned| spanned.value) == Some(Strategy::Allow) {
        (Effect::Allow, spelling(Strategy::Allow), allowed(input.layer, class, "Default service strategy is allow"))
    } else {
        (
            Effect::ImplicitDeny,
            spelling(Strategy::Deny),
            forbidden(input.layer, class, "Default service strategy is deny"),
        )
    };
    steps.push(step(
        input,
        element,
        None,
        span,
        StepOutcome::Matched,
        format!("service class `{class}` is not in `services`: the default service strategy `{word}` applies"),
    ));
    Verdict { effect, entry: entry(input, element, None, span, reason) }
}

fn evaluate_rules(
    input: LayerPolicy<'_>,
    service: &Service,
    activation: &Activation,
    steps: &mut Vec<ExplanationStep>,
) -> Verdict {
    let class = service.class.as_str();
    let mut decided: Option<Verdict> = None;
    for rule in &service.rules {
        let element = &rule.element;
        let index = u32::try_from(rule.index).ok();
        if decided.is_some() {
            let reason = explained(input, || "not evaluated: an earlier rule decided".to_owned());
            steps.push(step(input, element, index, Some(rule.span), StepOutcome::NotEvaluated, reason));
            continue;
        }
        let (outcome, reason, trace) = evaluate_rule(input, rule, activation);
        let mut explanation = step(input, element, index, Some(rule.span), outcome, reason);
        explanation.trace = trace;
        steps.push(explanation);
        if outcome == StepOutcome::Matched {
            let action = rule.action.map(|spanned| spanned.value).unwrap_or(Action::Deny);
            let verdict = match action {
                Action::Allow => Verdict {
                    effect: Effect::Allow,
                    entry: entry(
                        input,
                        element,
                        index,
                        Some(rule.span),
                        allowed(input.layer, class, &format!("An allow rule matched. Rule index: {}", rule.index)),
                    ),
                },
                Action::Deny => Verdict {
                    effect: Effect::ExplicitDeny,
                    entry: entry(
                        input,
                        element,
                        index,
                        Some(rule.span),
                        forbidden(input.layer, class, &format!("A deny rule matched. Rule index: {}", rule.index)),
                    ),
                },
            };
            decided = Some(verdict);
        }
    }
    decided.unwrap_or_else(|| {
        let element = format!("services.{class}");
        let reason = forbidden(input.layer, class, "No rule matched");
        steps.push(step(
            input,
            &element,
            None,
            Some(service.key_span),
            StepOutcome::Note,
            if input.policy.default_strategy.map(|spanned| spanned.value) == Some(Strategy::Allow) {
                format!(
                    "no rule of `{class}` matched: the request is denied, even though `default-service-strategy` is `allow` (it only applies to service classes absent from `services`)"
                )
            } else {
                format!("no rule of `{class}` matched: the request is denied")
            },
        ));
        Verdict { effect: Effect::ImplicitDeny, entry: entry(input, &element, None, Some(service.key_span), reason) }
    })
}

fn evaluate_rule(
    input: LayerPolicy<'_>,
    rule: &Rule,
    activation: &Activation,
) -> (StepOutcome, String, Vec<TraceEntry>) {
    let action = rule.action.map_or("?", |action| spelling(action.value));
    let Some(expression) = &rule.expression else {
        return (StepOutcome::Errored, format!("the {action} rule has no expression, so it is skipped"), Vec::new());
    };
    // The tree compiled when the document was read: evaluation never parses.
    let evaluation = cel_rules::evaluate_with(expression.compiled(), activation, input.detail);
    let trace = evaluation
        .trace
        .iter()
        .map(|traced| {
            let text = expression.text.get(traced.span.range()).unwrap_or_default().to_owned();
            TraceEntry { span: Some(expression.span_in(input.source, traced.span)), text, value: traced.value.clone() }
        })
        .collect();
    let outcome = match evaluation.outcome {
        ExpressionOutcome::True => StepOutcome::Matched,
        ExpressionOutcome::False => StepOutcome::NotMatched,
        ExpressionOutcome::NotBoolean(_) | ExpressionOutcome::Error(_) => StepOutcome::Errored,
    };
    let reason = explained(input, || {
        match evaluation.outcome {
        ExpressionOutcome::True => format!("the expression is true: this {action} rule decides"),
        ExpressionOutcome::False => "the expression is false".to_owned(),
        ExpressionOutcome::NotBoolean(value) => {
            format!("the expression evaluated to {value}, not a boolean, so the rule is skipped")
        }
        ExpressionOutcome::Error(message) if rule.action.map(|spanned| spanned.value) == Some(Action::Deny) => format!(
            "the expression failed ({message}), so the rule is skipped: a failing deny rule denies nothing and later rules decide"
        ),
        ExpressionOutcome::Error(message) => format!("the expression failed ({message}), so the rule is skipped"),
    }
    });
    (outcome, reason, trace)
}

/// A rule step's reason, written only when the decision is explained: the grid's rows
/// ([`Detail::DecisionOnly`]) read the steps' outcomes, and formatting a sentence for each of
/// their rules was a fifth of their evaluation in the playground.
fn explained(input: LayerPolicy<'_>, reason: impl FnOnce() -> String) -> String {
    match input.detail {
        Detail::Explained => reason(),
        Detail::DecisionOnly => String::new(),
    }
}

fn layer_title(layer: Layer) -> &'static str {
    match layer {
        Layer::Organization => "organization policy",
        Layer::Role => "role policy",
    }
}

/// Exoscale's wording: "Forbidden by role policy for compute - A deny rule matched. Rule index: 0".
fn forbidden(layer: Layer, class: &str, detail: &str) -> String {
    format!("Forbidden by {} for {class} - {detail}", layer_title(layer))
}

/// The allow counterpart of Exoscale's wording (Exoscale prints nothing when it allows).
fn allowed(layer: Layer, class: &str, detail: &str) -> String {
    format!("Allowed by {} for {class} - {detail}", layer_title(layer))
}

fn locator(input: LayerPolicy<'_>, element: &str, index: Option<u32>, span: Option<Span>) -> Locator {
    Locator::element(input.document, element).with_layer(input.layer).with_index(index).with_span(span)
}

fn entry(
    input: LayerPolicy<'_>,
    element: &str,
    index: Option<u32>,
    span: Option<Span>,
    reason: String,
) -> DecisiveEntry {
    DecisiveEntry::new(locator(input, element, index, span), reason)
}

fn step(
    input: LayerPolicy<'_>,
    element: &str,
    index: Option<u32>,
    span: Option<Span>,
    outcome: StepOutcome,
    reason: String,
) -> ExplanationStep {
    ExplanationStep::step(locator(input, element, index, span), outcome, reason)
}

/// A note about the evaluation as a whole, filed under the document it is about.
pub fn note(document: DocumentId, reason: String) -> ExplanationStep {
    ExplanationStep::note(Some(document), "request", reason)
}

#[cfg(test)]
mod tests {
    use crate::exoscale::test_support::{documents, fixture, render_decision, sources};
    use crate::exoscale::{Exoscale, Options};
    use crate::pipeline;

    /// Simulates the fixture's request against its documents and renders the decision.
    #[track_caller]
    fn check(input: &str, expect: &str) {
        let documents = documents(input);
        let sources = sources(&documents);
        let decision = pipeline::simulate::<Exoscale>(&sources, &Options).unwrap();
        let text_of = |id: Option<pipeline::DocumentId>| {
            let source = sources.iter().find(|source| Some(source.id) == id);
            source.map(|source| source.text.to_owned()).unwrap_or_default()
        };
        assert_eq!(render_decision(&decision, &text_of), fixture(expect));
    }

    #[test]
    fn the_first_matching_rule_decides_with_its_values_traced() {
        check(
            r#"
//- policy
{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [
  {"action": "deny", "expression": "resource.sks_nodepool.name in ['important-nodepool', 'foobar']"},
  {"action": "allow", "expression": "parameters.size > 10"},
  {"action": "allow", "expression": "true"},
  {"action": "deny", "expression": "true"}
]}}}
//- request
{"operation": "scale-sks-nodepool", "parameters": {"size": 3},
 "resources": {"sks_nodepool": {"name": "foobar"}}}
"#,
            r#"
effect: explicit_deny
decisive: role services.compute.rules[0]: Forbidden by role policy for compute - A deny rule matched. Rule index: 0
note: request: service class `compute` for `scale-sks-nodepool` comes from the catalogue (observed)
note: request: no organization policy given: it defaults to allowing every operation
matched: role services.compute.rules[0] `{"action": "deny", "expression": "resour…`: the expression is true: this deny rule decides
  resource.sks_nodepool.name in ['important-nodepool', 'foobar'] => true
  resource.sks_nodepool.name => 'foobar'
  resource.sks_nodepool => {'name': 'foobar'}
  resource => {'sks_nodepool': {'name': 'foobar'}}
not evaluated: role services.compute.rules[1] `{"action": "allow", "expression": "param…`: not evaluated: an earlier rule decided
not evaluated: role services.compute.rules[2] `{"action": "allow", "expression": "true"…`: not evaluated: an earlier rule decided
not evaluated: role services.compute.rules[3] `{"action": "deny", "expression": "true"}`: not evaluated: an earlier rule decided
"#,
        );
    }

    #[test]
    fn failing_and_non_boolean_expressions_are_skipped() {
        check(
            r#"
//- policy
{"default-service-strategy": "allow", "services": {"compute": {"type": "rules", "rules": [
  {"action": "deny", "expression": "parameters.public_ip_assignment == 'inet4'"},
  {"action": "deny", "expression": "zone"},
  {"action": "deny", "expression": "operation = 'x'"}
]}}}
//- request
{"operation": "create-instance", "zone": "ch-gva-2"}
"#,
            r#"
effect: implicit_deny
decisive: role services.compute: Forbidden by role policy for compute - No rule matched
note: request: service class `compute` for `create-instance` comes from the catalogue (documented)
note: request: no organization policy given: it defaults to allowing every operation
error: role services.compute.rules[0] `{"action": "deny", "expression": "parame…`: the expression failed (no such key: public_ip_assignment), so the rule is skipped: a failing deny rule denies nothing and later rules decide
  parameters.public_ip_assignment == 'inet4' => error: no such key: public_ip_assignment
  parameters.public_ip_assignment => error: no such key: public_ip_assignment
  parameters => {}
error: role services.compute.rules[1] `{"action": "deny", "expression": "zone"}`: the expression evaluated to 'ch-gva-2', not a boolean, so the rule is skipped
  zone => 'ch-gva-2'
error: role services.compute.rules[2] `{"action": "deny", "expression": "operat…`: the expression failed (syntax error: `=` is not an operator), so the rule is skipped: a failing deny rule denies nothing and later rules decide
note: role services.compute `"compute"`: no rule of `compute` matched: the request is denied, even though `default-service-strategy` is `allow` (it only applies to service classes absent from `services`)
"#,
        );
    }

    #[test]
    fn the_organization_policy_is_evaluated_first() {
        check(
            r#"
//- policy
{"default-service-strategy": "allow", "services": {}}
//- organization
{"default-service-strategy": "allow", "services": {"sos": {"type": "deny"}}}
//- request
{"operation": "get-object", "parameters": {"bucket": "b"}}
"#,
            r#"
effect: explicit_deny
decisive: organization services.sos: Forbidden by organization policy for sos - The service type is deny
note: request: service class `sos` for `get-object` comes from the catalogue (documented)
matched: organization services.sos `"deny"`: the service's type is `deny`
note: request: the role policy is not evaluated: the organization policy already denied the request
"#,
        );
    }

    #[test]
    fn both_layers_allow_and_a_role_without_policy_allows_everything() {
        check(
            r#"
//- policy
{"name": "no-policy"}
//- organization
{"default-service-strategy": "allow", "services": {}}
//- request
{"operation": "list-zones", "service": "compute"}
"#,
            r#"
effect: allow
decisive: organization default-service-strategy: Allowed by organization policy for compute - Default service strategy is allow
decisive: role default-service-strategy: Allowed by role policy for compute - Default service strategy is allow
note: request: the role has no `policy`: the API gives such a role one that allows everything
matched: organization default-service-strategy `"allow"`: service class `compute` is not in `services`: the default service strategy `allow` applies
matched: role default-service-strategy: service class `compute` is not in `services`: the default service strategy `allow` applies
"#,
        );
    }
}
