use crate::components::diagnostic_list::DiagnosticList;
use crate::hooks::WorkspaceAnalysis;
use crate::state::EditorDocument;
use iamlab_engine::{DocumentId, DocumentRole, SimulateError};
use iamlab_model::{Decision, Effect, ExplanationStep, Locator, Span, StepOutcome};
use std::rc::Rc;
use yew::prelude::*;

/// How many decisive entries, explanation steps and trace entries per step are drawn at most: a
/// policy with thousands of statements must not make every keystroke render thousands of rows.
const MAX_DECISIVE: usize = 50;
const MAX_STEPS: usize = 200;
const MAX_TRACE: usize = 50;

#[derive(Properties)]
pub struct DecisionViewProps {
    pub analysis: Rc<WorkspaceAnalysis>,
    /// The documents the editors show: a locator's `DocumentId` picks the editor to select in.
    pub documents: Vec<EditorDocument>,
    pub onreveal: Callback<(DocumentId, Span)>,
}

/// Drawn again only when what it shows changes, so that a keystroke that leaves the decision as
/// it was draws nothing here: the documents' texts matter only to a refusal's positions, and
/// `onreveal` is left out, as the app makes the same callback anew on every render.
impl PartialEq for DecisionViewProps {
    fn eq(&self, other: &Self) -> bool {
        let texts_matter = self.analysis.decision.is_err();
        self.analysis == other.analysis && same_documents(&self.documents, &other.documents, texts_matter)
    }
}

/// Whether two lists name the same documents in the same roles (and, if `texts`, with the same
/// texts).
pub fn same_documents(these: &[EditorDocument], those: &[EditorDocument], texts: bool) -> bool {
    these.len() == those.len()
        && these
            .iter()
            .zip(those)
            .all(|(this, that)| this.id == that.id && this.role == that.role && (!texts || this.text == that.text))
}

/// What the engine answered: a decision with its explanation, the errors that prevent one, or
/// that the provider's engine has not landed yet. Never a made-up decision.
#[component]
pub fn DecisionView(props: &DecisionViewProps) -> Html {
    let body = match &*props.analysis.decision {
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
            render_refusal(*document, diagnostics, &props.analysis, &props.documents, &props.onreveal)
        }
        Ok(decision) => render_decision(decision, &props.documents, &props.onreveal),
    };
    html! {
        <section class="decision" id="decision" aria-label="Decision" aria-live="polite">
            <h2>{ "Decision" }</h2>
            { body }
        </section>
    }
}

/// Why there is no decision: the document that has errors, named by its pane, and its errors.
fn render_refusal(
    id: DocumentId,
    errors: &[iamlab_model::Diagnostic],
    analysis: &WorkspaceAnalysis,
    documents: &[EditorDocument],
    onreveal: &Callback<(DocumentId, Span)>,
) -> Html {
    let shown = documents.iter().find(|document| document.id == id);
    let name = shown.map_or("document", |document| document.role.display_name());
    // The request's findings are listed in the request panel right above: listing its errors a
    // second time here would only repeat them.
    let listed = analysis.diagnostics(id);
    let listed_above = shown.is_some_and(|document| document.role == DocumentRole::Request)
        && errors.iter().all(|error| listed.contains(error));
    let list = if listed_above {
        html! { <p class="simulation-invalid-where">{ format!("They are listed under the {name} editor.") }</p> }
    } else {
        let text = shown.map(|document| document.text.clone()).unwrap_or_default();
        let onreveal = match shown {
            Some(_) => onreveal.reform(move |span: Span| (id, span)),
            None => Callback::noop(),
        };
        html! {
            <DiagnosticList id="simulation-diagnostics" title={format!("Errors in the {name}")} {text}
                diagnostics={Rc::new(errors.to_vec())} {onreveal} />
        }
    };
    html! {
        <div class="simulation-invalid">
            <strong>{ format!("The {name} has errors, so there is no decision") }</strong>
            { list }
        </div>
    }
}

fn effect_label(effect: Effect) -> (&'static str, &'static str) {
    match effect {
        Effect::Allow => ("Allowed", "effect-allow"),
        Effect::ExplicitDeny => ("Denied explicitly", "effect-explicit-deny"),
        Effect::ImplicitDeny => ("Denied implicitly (nothing allowed it)", "effect-implicit-deny"),
    }
}

/// The locator in the engine's words ([`Locator::describe`], as the CLI prints it), as a button
/// that selects its span when it points into a document shown here.
fn render_locator(locator: &Locator, documents: &[EditorDocument], onreveal: &Callback<(DocumentId, Span)>) -> Html {
    let shown = locator.document.and_then(|id| documents.iter().find(|document| document.id == id));
    // The policy is the document of this page, and a layer already says which document it is:
    // name a document only otherwise, and only when the element does not already say it.
    let name = match shown {
        Some(document)
            if document.role != DocumentRole::Policy
                && locator.layer.is_none()
                && locator.element != document.role.display_name() =>
        {
            document.role.display_name()
        }
        _ => "",
    };
    let text = locator.describe(name);
    match (shown, locator.span) {
        (Some(document), Some(span)) => {
            let id = document.id;
            let onclick = onreveal.reform(move |_: MouseEvent| (id, span));
            html! { <button type="button" class="locator" {onclick}>{ text }</button> }
        }
        _ => html! { <span class="locator">{ text }</span> },
    }
}

fn render_decision(decision: &Decision, documents: &[EditorDocument], onreveal: &Callback<(DocumentId, Span)>) -> Html {
    let (label, class) = effect_label(decision.effect);
    let decisive = decision.decisive.iter().take(MAX_DECISIVE).map(|entry| {
        html! {
            <li>
                { render_locator(&entry.locator, documents, onreveal) }
                <span class="reason">{ &entry.reason }</span>
            </li>
        }
    });
    let steps = decision.explanation.iter().take(MAX_STEPS).map(|step| render_step(step, documents, onreveal));
    let more_decisive = decision.decisive.len().saturating_sub(MAX_DECISIVE);
    let more_steps = decision.explanation.len().saturating_sub(MAX_STEPS);
    html! {
        <div class="decision-result">
            <div class={classes!("decision-effect", class)} data-effect={decision.effect.as_str()}>{ label }</div>
            if let Some((step, miss)) = decision.nearest_miss() {
                <div class="nearest-miss" id="nearest-miss">
                    <h3>{ "Nearest miss" }</h3>
                    <p>
                        { render_locator(&step.locator, documents, onreveal) }
                        { format!(
                            " came closest: {} part{} failed.",
                            miss.failing_parts,
                            if miss.failing_parts == 1 { "" } else { "s" }
                        ) }
                    </p>
                    if let Some(change) = &miss.change {
                        <p class="nearest-miss-change">{ change }</p>
                    }
                    if !miss.failing.is_empty() {
                        <ul class="trace">{ for miss.failing.iter().take(MAX_TRACE).map(|entry| html! {
                            <li><code>{ &entry.text }</code>{ " → " }<code>{ &entry.value }</code></li>
                        }) }</ul>
                    }
                </div>
            }
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

fn render_step(step: &ExplanationStep, documents: &[EditorDocument], onreveal: &Callback<(DocumentId, Span)>) -> Html {
    let outcome = step.outcome.as_str();
    let trace = step.trace.iter().take(MAX_TRACE).map(|entry| {
        html! { <li><code>{ &entry.text }</code>{ " → " }<code>{ &entry.value }</code></li> }
    });
    html! {
        <li class={classes!("step", outcome.replace(' ', "-"))}>
            <span class="step-outcome">{ outcome }</span>
            if step.outcome != StepOutcome::Note || !step.locator.element.is_empty() {
                { render_locator(&step.locator, documents, onreveal) }
            }
            <span class="reason">{ &step.reason }</span>
            if !step.trace.is_empty() {
                <ul class="trace">{ for trace }</ul>
            }
        </li>
    }
}
