use crate::components::diagnostic_list::DiagnosticList;
use crate::highlight::escape_into;
use crate::hooks::WorkspaceAnalysis;
use crate::state::{document_label, EditorDocument};
use iamlab_engine::{DocumentId, DocumentRole, SimulateError};
use iamlab_model::{Decision, Effect, ExplanationStep, Locator, Span, StepOutcome, TraceEntry};
use std::rc::Rc;
use yew::prelude::*;

/// How many decisive entries, explanation steps and trace entries per step are drawn at most: a
/// policy with thousands of statements must not make every keystroke render thousands of rows.
const MAX_DECISIVE: usize = 50;
const MAX_STEPS: usize = 200;
const MAX_TRACE: usize = 50;

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
/// that the provider's engine has not landed yet. Never a made-up decision. `documents` are the
/// ones the editors show: a locator's `DocumentId` picks the editor to select in. A plain
/// function rather than a component (see `theme_toggle`); `html` is the decision's text from
/// `use_decision_html`.
pub fn decision_view(
    analysis: &WorkspaceAnalysis,
    documents: &[EditorDocument],
    html: &AttrValue,
    onreveal: &Callback<(DocumentId, Span)>,
) -> Html {
    let body = match &*analysis.decision {
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
            render_refusal(*document, diagnostics, analysis, documents, onreveal)
        }
        Ok(_) => Html::from_html_unchecked(html.clone()),
    };
    let onclick = {
        let onreveal = onreveal.clone();
        Callback::from(move |event: MouseEvent| {
            if let Some(target) = reveal_clicked(&event) {
                onreveal.emit(target);
            }
        })
    };
    html! {
        <section class="decision" id="decision" aria-label="Decision" aria-live="polite" {onclick}>
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
            Some(_) => onreveal.clone(),
            None => Callback::noop(),
        };
        html! {
            <DiagnosticList id="simulation-diagnostics" title={format!("Errors in the {name}")} {text}
                diagnostics={Rc::new(errors.to_vec())} document={id} {onreveal} />
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

/// A click on a locator button written as HTML text (the decision's, see [`decision_html`], and
/// the test grid's coverage) selects its span: the button carries its document and span as
/// data attributes.
pub(crate) fn reveal_clicked(event: &MouseEvent) -> Option<(DocumentId, Span)> {
    let button = event.target_dyn_into::<web_sys::Element>()?.closest("button.locator[data-start]").ok()??;
    let number = |name: &str| button.get_attribute(name).and_then(|value| value.parse::<u32>().ok());
    Some((DocumentId(number("data-document")?), Span::new(number("data-start")?, number("data-end")?)))
}

/// The locator in the engine's words ([`Locator::describe`], as the CLI prints it), as a button
/// that selects its span when it points into a document shown here.
fn locator_html(html: &mut String, locator: &Locator, documents: &[EditorDocument]) {
    let shown = locator.document.and_then(|id| documents.iter().find(|document| document.id == id));
    // The user's name for the document, or "policy 2" among several, says which one it is. Else
    // the policy is the document of this page, and a layer already says which document it is:
    // name a document only otherwise, and only when the element does not already say it.
    let label = shown.map(|document| document_label(documents, document.id)).unwrap_or_default();
    let name = match shown {
        _ if !label.is_empty() => label.as_str(),
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
            html.push_str(&format!(
                "<button type=\"button\" class=\"locator\" data-document=\"{}\" data-start=\"{}\" data-end=\"{}\">",
                document.id.0, span.start, span.end
            ));
            escape_into(html, &text);
            html.push_str("</button>");
        }
        _ => {
            html.push_str("<span class=\"locator\">");
            escape_into(html, &text);
            html.push_str("</span>");
        }
    }
}

fn trace_html(html: &mut String, entries: &[TraceEntry]) {
    html.push_str("<ul class=\"trace\">");
    for entry in entries.iter().take(MAX_TRACE) {
        html.push_str("<li><code>");
        escape_into(html, &entry.text);
        html.push_str("</code> → <code>");
        escape_into(html, &entry.value);
        html.push_str("</code></li>");
    }
    html.push_str("</ul>");
}

/// The decision as HTML text: it is rebuilt whole on every change, and text costs less wasm
/// than one virtual node per line (the hover box is written the same way).
pub(crate) fn decision_html(decision: &Decision, documents: &[EditorDocument]) -> String {
    let (label, class) = effect_label(decision.effect);
    let mut html = format!(
        "<div class=\"decision-result\"><div class=\"decision-effect {class}\" data-effect=\"{}\">{label}</div>",
        decision.effect.as_str()
    );
    if let Some((step, miss)) = decision.nearest_miss() {
        html.push_str("<div class=\"nearest-miss\" id=\"nearest-miss\"><h3>Nearest miss</h3><p>");
        locator_html(&mut html, &step.locator, documents);
        let plural = if miss.failing_parts == 1 { "" } else { "s" };
        html.push_str(&format!(" came closest: {} part{plural} failed.</p>", miss.failing_parts));
        if let Some(change) = &miss.change {
            html.push_str("<p class=\"nearest-miss-change\">");
            escape_into(&mut html, change);
            html.push_str("</p>");
        }
        if !miss.failing.is_empty() {
            trace_html(&mut html, &miss.failing);
        }
        html.push_str("</div>");
    }
    if !decision.decisive.is_empty() {
        html.push_str("<h3>Decided by</h3><ul class=\"decisive\">");
        for entry in decision.decisive.iter().take(MAX_DECISIVE) {
            html.push_str("<li>");
            locator_html(&mut html, &entry.locator, documents);
            html.push_str("<span class=\"reason\">");
            escape_into(&mut html, &entry.reason);
            html.push_str("</span></li>");
        }
        html.push_str("</ul>");
        let more = decision.decisive.len().saturating_sub(MAX_DECISIVE);
        if more > 0 {
            html.push_str(&format!("<p class=\"more\">… and {more} more</p>"));
        }
    }
    if !decision.explanation.is_empty() {
        html.push_str("<h3>Explanation</h3><ol class=\"explanation\">");
        for step in decision.explanation.iter().take(MAX_STEPS) {
            step_html(&mut html, step, documents);
        }
        html.push_str("</ol>");
        let more = decision.explanation.len().saturating_sub(MAX_STEPS);
        if more > 0 {
            html.push_str(&format!("<p class=\"more\">… and {more} more steps (the first {MAX_STEPS} are shown)</p>"));
        }
    }
    html.push_str("</div>");
    html
}

fn step_html(html: &mut String, step: &ExplanationStep, documents: &[EditorDocument]) {
    let outcome = step.outcome.as_str();
    html.push_str("<li class=\"step ");
    html.push_str(&outcome.replace(' ', "-"));
    html.push_str("\"><span class=\"step-outcome\">");
    html.push_str(outcome);
    html.push_str("</span>");
    if step.outcome != StepOutcome::Note || !step.locator.element.is_empty() {
        locator_html(html, &step.locator, documents);
    }
    html.push_str("<span class=\"reason\">");
    escape_into(html, &step.reason);
    html.push_str("</span>");
    if !step.trace.is_empty() {
        trace_html(html, &step.trace);
    }
    html.push_str("</li>");
}
