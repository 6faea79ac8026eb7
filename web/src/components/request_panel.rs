use crate::components::code_editor::CodeEditor;
use crate::components::diagnostic_list::DiagnosticList;
use crate::state::{EditorDocument, Reveal};
use iamlab_engine::DocumentId;
use iamlab_model::{Diagnostic, Provider, Span};
use std::rc::Rc;
use yew::prelude::*;

/// What the request panel shows: the workspace's document of role `Request`, what the
/// provider's request holds in a few words (the engine's role hint), every finding of the
/// engine on it (JSON syntax and the provider's schema), and the provider's own request tools
/// and options above the editor.
pub struct RequestPanel<'a> {
    pub provider: Provider,
    pub document: &'a EditorDocument,
    pub hint: &'static str,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub reveal: Option<Reveal>,
    pub onedit: Callback<(DocumentId, AttrValue)>,
    pub onreveal: Callback<(DocumentId, Span)>,
    pub tools: Html,
    /// The request builder's form (`request_form`).
    pub form: Html,
}

/// The request to simulate, as JSON in the provider engine's request shape, with its findings.
/// A plain function rather than a component (see `theme_toggle`): the editor and the list it
/// draws are components of their own.
pub fn request_panel(panel: RequestPanel<'_>) -> Html {
    let (text, document) = (panel.document.text.clone(), panel.document.id);
    html! {
        <section class="request" aria-label="Request">
            <h2>{ "Request" }<span class="pane-hint">{ panel.hint }</span></h2>
            { panel.tools }
            { panel.form }
            <CodeEditor id="request-editor" label="Request (JSON)" provider={panel.provider} role={panel.document.role} class="request-editor" text={text.clone()}
                diagnostics={panel.diagnostics.clone()} reveal={panel.reveal} {document} onedit={panel.onedit} />
            if !panel.diagnostics.is_empty() {
                <DiagnosticList id="request-diagnostics" title="Request diagnostics" {text} editor="request-editor"
                    diagnostics={panel.diagnostics} {document} onreveal={panel.onreveal} />
            }
        </section>
    }
}
