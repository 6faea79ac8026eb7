use crate::components::code_editor::CodeEditor;
use crate::components::diagnostic_list::DiagnosticList;
use crate::state::{EditorDocument, Reveal};
use iamlab_model::{Diagnostic, Provider, Span};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RequestPanelProps {
    pub provider: Provider,
    /// The workspace's document of role `Request`.
    pub document: EditorDocument,
    /// What the provider's request holds, in a few words (the engine's role hint).
    pub hint: AttrValue,
    /// Every finding of the engine on the request: JSON syntax and the provider's schema.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    #[prop_or_default]
    pub reveal: Option<Reveal>,
    pub onedit: Callback<AttrValue>,
    pub onreveal: Callback<Span>,
    /// The provider's own request tools and options, above the editor.
    #[prop_or_default]
    pub children: Html,
}

/// The request to simulate, as JSON in the provider engine's request shape, with its findings.
#[component]
pub fn RequestPanel(props: &RequestPanelProps) -> Html {
    let text = props.document.text.clone();
    html! {
        <section class="request" aria-label="Request">
            <h2>{ "Request" }<span class="pane-hint">{ &props.hint }</span></h2>
            { props.children.clone() }
            <CodeEditor id="request-editor" label="Request (JSON)" provider={props.provider} role={props.document.role} class="request-editor" text={text.clone()}
                diagnostics={props.diagnostics.clone()} reveal={props.reveal} onedit={props.onedit.clone()} />
            if !props.diagnostics.is_empty() {
                <DiagnosticList id="request-diagnostics" title="Request diagnostics" {text} editor="request-editor"
                    diagnostics={props.diagnostics.clone()} onreveal={props.onreveal.clone()} />
            }
        </section>
    }
}
