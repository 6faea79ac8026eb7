use crate::components::code_editor::CodeEditor;
use crate::components::decision_view::DecisionView;
use crate::components::diagnostic_list::DiagnosticList;
use crate::components::notice_bar::NoticeBar;
use crate::components::providers::provider_policy_panels::ProviderPolicyPanels;
use crate::embed::EmbedParams;
use crate::hooks::{use_analysis, use_share_import};
use crate::share::{make_fragment, shared_workspace};
use crate::state::{Action, NoticeKind, State, Tab};
use iamlab_engine::{DocumentId, DocumentRole, Options};
use iamlab_model::Span;
use wasm_bindgen::JsValue;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmbedAppProps {
    pub params: EmbedParams,
}

/// The state an embed starts from: the example of the provider it asks for, until the share
/// link in its fragment (if any) is read. It never reads or writes the playground's autosave,
/// so that a docs page with four embeds leaves the visitor's own work alone.
fn initial_state(params: &EmbedParams) -> State {
    let mut state = State::default();
    if let Some(provider) = params.provider {
        state.tab = Tab::for_provider(provider);
        state.workspace_mut(state.tab).set_options(Options::for_provider(provider));
    }
    state
}

/// `?embed`: one compact workspace (policy with its diagnostics, request, decision) for an
/// `<iframe>` in a documentation page, and a link that opens it in the full playground.
#[component]
pub fn EmbedApp(props: &EmbedAppProps) -> Html {
    let params = props.params.clone();
    let state = use_reducer({
        let params = params.clone();
        move || initial_state(&params)
    });
    use_share_import(state.dispatcher());
    let workspace = state.active().clone();
    let analysis = use_analysis(&workspace);
    let readonly = params.readonly;

    // The theme and the editor height, set once through the CSSOM (the page's CSP allows no
    // inline style attributes).
    use_effect_with(params.clone(), apply_theme_and_height);
    // The full playground's link for the current state, ready before any click.
    let full_link = use_state(|| AttrValue::from("./"));
    {
        let full_link = full_link.clone();
        let decision = analysis.decision.as_ref().as_ref().ok().map(|decision| decision.effect);
        use_effect_with(workspace.clone(), move |workspace| {
            let shared = shared_workspace(workspace, decision);
            yew::platform::spawn_local(async move {
                full_link.set(AttrValue::from(format!("./{}", make_fragment(&shared).await)));
            });
        });
    }
    // After every render, tell the embedding page how tall the content is.
    let root = use_node_ref();
    {
        let root = root.clone();
        let origin = params.parent_origin.clone();
        use_effect(move || post_height(&root, origin.as_deref()));
    }

    let actions = state.dispatcher().to_callback();
    let onedit = if readonly {
        Callback::from(|_: (DocumentId, AttrValue)| ())
    } else {
        actions.reform(|(id, text): (DocumentId, AttrValue)| Action::EditDocument(id, text))
    };
    let ontoggle = actions.reform(|(id, enabled): (DocumentId, bool)| Action::SetDocumentEnabled(id, enabled));
    let onreveal = actions.reform(|(id, span): (DocumentId, Span)| Action::Reveal(id, span));
    let onrestore = actions.reform(|()| Action::Restore);
    let ondismiss = actions.reform(|()| Action::DismissNotice);
    let reveal_in = |id: DocumentId| state.reveal.filter(|reveal| reveal.document == id);
    let provider = workspace.provider();

    let editor = |role: DocumentRole, editor_id: &'static str, class: &'static str, list_id: &'static str| {
        let Some(document) = workspace.document(role) else { return Html::default() };
        let id = document.id;
        let diagnostics = analysis.diagnostics(id);
        let label = format!("{} {} (JSON)", provider.display_name(), role.display_name());
        html! {
            <>
                <CodeEditor id={editor_id} {label} class={class} text={document.text.clone()}
                    diagnostics={diagnostics.clone()} reveal={reveal_in(id)} {readonly}
                    onedit={onedit.reform(move |text| (id, text))} />
                if !diagnostics.is_empty() {
                    <DiagnosticList id={list_id} title="Diagnostics" text={document.text.clone()} {diagnostics}
                        onreveal={onreveal.reform(move |span| (id, span))} />
                }
            </>
        }
    };
    // Only errors and version notices: "loaded the shared policy" is what an embed always does.
    let notice =
        state.notice.clone().filter(|notice| notice.kind == NoticeKind::Error || notice.message.contains("made with"));

    html! {
        <div class="app embed" ref={root} data-tab={state.tab.key()} data-provider={provider.as_str()}
            data-readonly={readonly.to_string()}>
            if let Some(notice) = notice {
                <NoticeBar {notice} {onrestore} {ondismiss} />
            }
            <div class="embed-head">
                <span class="embed-title">{ format!("{} policy", provider.display_name()) }</span>
                if readonly { <span class="embed-readonly">{ "read-only" }</span> }
                <a id="open-playground" class="embed-open" href={(*full_link).clone()} target="_blank" rel="noopener">
                    { "Open in the full playground ↗" }
                </a>
            </div>
            { editor(DocumentRole::Policy, "policy-editor", "policy-editor embed-policy-editor", "policy-diagnostics") }
            if !readonly {
                <ProviderPolicyPanels workspace={workspace.clone()} analysis={analysis.clone()}
                    reveal={state.reveal} onedit={onedit.clone()} {ontoggle} onreveal={onreveal.clone()} />
            }
            <div class="embed-simulation">
                <h2>{ "Request" }</h2>
                { editor(DocumentRole::Request, "request-editor", "request-editor embed-request-editor", "request-diagnostics") }
                <DecisionView analysis={analysis.clone()} documents={workspace.documents.clone()} {onreveal} />
            </div>
        </div>
    }
}

fn apply_theme_and_height(params: &EmbedParams) {
    let Some(root) =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element())
    else {
        return;
    };
    if let Some(theme) = params.theme {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    if let (Some(height), Ok(root)) = (params.height, wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(root)) {
        let _ = root.style().set_property("--embed-editor-height", &format!("{height}px"));
    }
}

/// Posts `{ type: "iamlab:height", height }` to the embedding page, and only to the origin the
/// loader named: never `*`, so no other page that frames this one learns anything.
fn post_height(root: &NodeRef, origin: Option<&str>) {
    let (Some(origin), Some(element)) = (origin, root.cast::<web_sys::Element>()) else { return };
    let Some(parent) = web_sys::window().and_then(|window| window.parent().ok().flatten()) else { return };
    let height = element.get_bounding_client_rect().height().ceil();
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str("iamlab:height"));
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("height"), &JsValue::from_f64(height));
    let _ = parent.post_message(&message, origin);
}
