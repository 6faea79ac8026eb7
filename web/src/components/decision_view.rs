use crate::components::diagnostic_list::DiagnosticList;
use crate::state::Pane;
use iamlab_engine::SimulateError;
use iamlab_model::{Decision, Effect, ExplanationStep, Span, StepOutcome};
use std::rc::Rc;
use yew::prelude::*;

/// How many decisive entries, explanation steps and trace entries per step are drawn at most: a
/// policy with thousands of statements must not make every keystroke render thousands of rows.
const MAX_DECISIVE: usize = 50;
const MAX_STEPS: usize = 200;
const MAX_TRACE: usize = 50;

/// The names the playground gives its two documents in simulation inputs and answers.
pub const POLICY_DOCUMENT: &str = "policy";
pub const REQUEST_DOCUMENT: &str = "request";
pub const ORGANIZATION_DOCUMENT: &str = "organization policy";

#[derive(Properties, PartialEq)]
pub struct DecisionViewProps {
    pub result: Rc<Result<Decision, SimulateError>>,
    pub policy: AttrValue,
    pub request: AttrValue,
    pub organization_policy: AttrValue,
    pub onreveal: Callback<(Pane, Span)>,
}

fn pane_of(document: &str) -> Option<Pane> {
    match document {
        POLICY_DOCUMENT => Some(Pane::Policy),
        REQUEST_DOCUMENT => Some(Pane::Request),
        ORGANIZATION_DOCUMENT => Some(Pane::OrganizationPolicy),
        _ => None,
    }
}

/// What the engine answered: a decision with its explanation, the errors that prevent one, or
/// that the provider's engine has not landed yet. Never a made-up decision.
#[component]
pub fn DecisionView(props: &DecisionViewProps) -> Html {
    let body = match &*props.result {
        Err(SimulateError::NotImplemented(provider)) => html! {
            <div class="simulation-pending">
                <strong>{ format!("Simulation for {} is coming", provider.display_name()) }</strong>
                <p>{ format!(
                    "The {} engine is being written: until it lands the playground shows no decision rather \
                     than a guessed one. Validation above already runs on every keystroke.",
                    provider.display_name()
                ) }</p>
            </div>
        },
        Err(SimulateError::InvalidDocument { document, diagnostics }) => {
            let pane = pane_of(document);
            let text = match pane {
                Some(Pane::Request) => props.request.clone(),
                Some(Pane::OrganizationPolicy) => props.organization_policy.clone(),
                _ => props.policy.clone(),
            };
            let onreveal = match pane {
                Some(pane) => props.onreveal.reform(move |span: Span| (pane, span)),
                None => Callback::noop(),
            };
            html! {
                <div class="simulation-invalid">
                    <strong>{ format!("The {document} has errors, so there is no decision") }</strong>
                    <DiagnosticList id="simulation-diagnostics" title={format!("Errors in the {document}")} {text}
                        diagnostics={Rc::new(diagnostics.clone())} {onreveal} />
                </div>
            }
        }
        Ok(decision) => render_decision(decision, &props.onreveal),
    };
    html! {
        <section class="decision" id="decision" aria-label="Decision" aria-live="polite">
            <h2>{ "Decision" }</h2>
            { body }
        </section>
    }
}

fn effect_label(effect: Effect) -> (&'static str, &'static str) {
    match effect {
        Effect::Allow => ("Allowed", "effect-allow"),
        Effect::ExplicitDeny => ("Denied explicitly", "effect-explicit-deny"),
        Effect::ImplicitDeny => ("Denied implicitly (nothing allowed it)", "effect-implicit-deny"),
    }
}

fn outcome_label(outcome: StepOutcome) -> &'static str {
    match outcome {
        StepOutcome::Matched => "matched",
        StepOutcome::NotMatched => "not matched",
        StepOutcome::Errored => "errored",
        StepOutcome::NotEvaluated => "not evaluated",
        StepOutcome::Note => "note",
    }
}

/// A locator that selects its span in the editor when it has one in a document shown here.
fn locator(
    document: &str,
    layer: Option<&str>,
    element: &str,
    sid: Option<&str>,
    span: Option<Span>,
    onreveal: &Callback<(Pane, Span)>,
) -> Html {
    let mut text = String::new();
    // The policy is the document of this page: name only the others (e.g. the request), and
    // only when the element or layer does not already say it.
    if document != POLICY_DOCUMENT && element != document && layer.is_none() {
        text.push_str(document);
        text.push(' ');
    }
    if let Some(layer) = layer {
        text.push_str(layer);
        text.push(' ');
    }
    text.push_str(element);
    if let Some(sid) = sid {
        text.push_str(&format!(" (Sid {sid})"));
    }
    match (pane_of(document), span) {
        (Some(pane), Some(span)) => {
            let onclick = onreveal.reform(move |_: MouseEvent| (pane, span));
            html! { <button type="button" class="locator" {onclick}>{ text }</button> }
        }
        _ => html! { <span class="locator">{ text }</span> },
    }
}

fn render_decision(decision: &Decision, onreveal: &Callback<(Pane, Span)>) -> Html {
    let (label, class) = effect_label(decision.effect);
    let decisive = decision.decisive.iter().take(MAX_DECISIVE).map(|entry| {
        html! {
            <li>
                { locator(&entry.document, entry.layer.as_deref(), &entry.element, entry.sid.as_deref(), entry.span, onreveal) }
                <span class="reason">{ &entry.reason }</span>
            </li>
        }
    });
    let steps = decision.explanation.iter().take(MAX_STEPS).map(|step| render_step(step, onreveal));
    let more_decisive = decision.decisive.len().saturating_sub(MAX_DECISIVE);
    let more_steps = decision.explanation.len().saturating_sub(MAX_STEPS);
    html! {
        <div class="decision-result">
            <div class={classes!("decision-effect", class)} data-effect={decision.effect.as_str()}>{ label }</div>
            if !decision.decisive.is_empty() {
                <h3>{ "Decided by" }</h3>
                <ul class="decisive">{ for decisive }</ul>
                if more_decisive > 0 {
                    <p class="more">{ format!("… and {more_decisive} more") }</p>
                }
            }
            if !decision.explanation.is_empty() {
                <h3>{ "Explanation" }</h3>
                <ol class="explanation">{ for steps }</ol>
                if more_steps > 0 {
                    <p class="more">{ format!("… and {more_steps} more steps (the first {MAX_STEPS} are shown)") }</p>
                }
            }
        </div>
    }
}

fn render_step(step: &ExplanationStep, onreveal: &Callback<(Pane, Span)>) -> Html {
    let outcome = outcome_label(step.outcome);
    let trace = step.trace.iter().take(MAX_TRACE).map(|entry| {
        html! { <li><code>{ &entry.text }</code>{ " → " }<code>{ &entry.value }</code></li> }
    });
    html! {
        <li class={classes!("step", outcome.replace(' ', "-"))}>
            <span class="step-outcome">{ outcome }</span>
            if step.outcome != StepOutcome::Note || !step.element.is_empty() {
                { locator(&step.document, step.layer.as_deref(), &step.element, step.sid.as_deref(), step.span, onreveal) }
            }
            <span class="reason">{ &step.reason }</span>
            if !step.trace.is_empty() {
                <ul class="trace">{ for trace }</ul>
            }
        </li>
    }
}
