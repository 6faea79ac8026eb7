use crate::components::code_editor::CodeEditor;
use crate::components::diagnostic_list::DiagnosticList;
use crate::state::{EditorDocument, Reveal};
use iamlab_engine::DocumentId;
use iamlab_model::{Diagnostic, Provider, Span};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OrganizationPolicyPanelProps {
    /// The workspace's document of role `OrganizationPolicy`.
    pub document: EditorDocument,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// The gutter marks of the grid's coverage.
    pub marks: AttrValue,
    #[prop_or_default]
    pub reveal: Option<Reveal>,
    /// Each carries the document's id (see `CodeEditorProps::document`).
    pub ontoggle: Callback<(DocumentId, bool)>,
    pub onedit: Callback<(DocumentId, AttrValue)>,
    pub onreveal: Callback<(DocumentId, Span)>,
}

/// Exoscale's organization policy: it applies to every user and API key before their role, and
/// the engine allows everything when none is given.
#[component]
pub fn OrganizationPolicyPanel(props: &OrganizationPolicyPanelProps) -> Html {
    let document = &props.document;
    let id = document.id;
    let ontoggle = props.ontoggle.reform(move |event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        (id, input.checked())
    });
    html! {
        <section class="organization-policy" aria-label="Organization policy">
            <label class="option">
                <input type="checkbox" id="organization-policy-toggle" checked={document.enabled} onchange={ontoggle} />
                { " Apply an organization policy" }
                <span class="pane-hint">{ "evaluated before the role; without one, every operation passes this layer" }</span>
            </label>
            if document.enabled {
                <CodeEditor id="organization-policy-editor" label="Exoscale organization policy (JSON)"
                    provider={Provider::Exoscale} role={document.role}
                    class="organization-editor" text={document.text.clone()} diagnostics={props.diagnostics.clone()}
                    reveal={props.reveal} document={id} onedit={props.onedit.clone()} marks={props.marks.clone()} />
                <DiagnosticList id="organization-policy-diagnostics" title="Organization policy diagnostics"
                    editor="organization-policy-editor" text={document.text.clone()} diagnostics={props.diagnostics.clone()} document={id} onreveal={props.onreveal.clone()} />
            }
        </section>
    }
}
