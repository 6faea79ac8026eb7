use crate::components::code_editor::CodeEditor;
use crate::components::diagnostic_list::DiagnosticList;
use crate::components::request_builder::RequestBuilder;
use crate::state::{Reveal, Tab};
use iamlab_model::{Diagnostic, Span};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RequestPanelProps {
    pub tab: Tab,
    pub text: AttrValue,
    /// The request's JSON findings.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    #[prop_or_default]
    pub reveal: Option<Reveal>,
    pub onedit: Callback<AttrValue>,
    pub onreveal: Callback<Span>,
    pub scaleway_owner: bool,
    pub onownerchange: Callback<bool>,
    /// Exoscale: fill the request from an operation's template.
    pub onfill: Callback<String>,
}

/// The request to simulate, as JSON in the provider engine's request shape, and its options.
#[component]
pub fn RequestPanel(props: &RequestPanelProps) -> Html {
    let shape = match props.tab {
        Tab::Exoscale => "an operation of the Exoscale API with its zone and parameters",
        Tab::Scaleway => "a permission set, its scope and the request attributes conditions read",
        Tab::Outscale => "an action, a resource and the request context",
    };
    let onownerchange = props.onownerchange.reform(|event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        input.checked()
    });
    html! {
        <section class="request" aria-label="Request">
            <h2>{ "Request" }<span class="pane-hint">{ shape }</span></h2>
            if props.tab == Tab::Exoscale {
                <RequestBuilder onfill={props.onfill.clone()} />
            }
            if props.tab == Tab::Scaleway {
                <label class="option">
                    <input type="checkbox" id="scaleway-owner" checked={props.scaleway_owner} onchange={onownerchange} />
                    { " The principal is the Organization Owner" }
                </label>
            }
            <CodeEditor id="request-editor" label="Request (JSON)" class="request-editor" text={props.text.clone()}
                diagnostics={props.diagnostics.clone()} reveal={props.reveal} onedit={props.onedit.clone()} />
            if !props.diagnostics.is_empty() {
                <DiagnosticList id="request-diagnostics" title="Request diagnostics" text={props.text.clone()}
                    diagnostics={props.diagnostics.clone()} onreveal={props.onreveal.clone()} />
            }
        </section>
    }
}
