use crate::components::code_editor::CodeEditor;
use crate::components::decision_view::decision_view;
use crate::components::diagnostic_list::DiagnosticList;
use crate::components::notice_bar::notice_bar;
use crate::components::providers::provider_policy_panels::{provider_policy_panels, PanelCallbacks};
use crate::components::test_grid::{coverage_marks, TestGrid};
use crate::embed::EmbedParams;
use crate::hooks::{
    use_analysis, use_aws_catalog, use_branch_coverage, use_decision_html, use_share_import, use_test_grid,
};
use crate::share::{make_fragment, shared_workspace};
use crate::state::{Action, NoticeKind, State, Tab};
use iamlab_engine::{DocumentId, DocumentRole, Options};
use iamlab_model::Span;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
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
    // An embedded AWS policy fetches the catalogue too; the findings say when it is missing.
    use_aws_catalog(workspace.provider());
    let analysis = use_analysis(&workspace);
    let grid = use_test_grid(&workspace, &analysis);
    let decision_html = use_decision_html(&analysis, &workspace.documents);
    let branches = use_branch_coverage(&workspace);
    let marks_of = |id: DocumentId| coverage_marks(&grid, &branches, &workspace.documents, id);
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
    // Tell the embedding page how tall the content is whenever that changes: a render, a
    // diagnostic list that grows, a font that loads, the reader resizing an editor.
    let root = use_node_ref();
    {
        let root = root.clone();
        let origin = params.parent_origin.clone();
        use_effect_with((), move |_| {
            let observer = observe_height(root, origin);
            move || {
                if let Some((observer, _callback)) = observer {
                    observer.disconnect();
                }
            }
        });
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
    // The grid a link or a docs block (`data-tests`) brings, with each row's result; a
    // read-only embed shows it and takes no change to it.
    let test_grid = if workspace.cases.is_empty() {
        Html::default()
    } else {
        let dispatch = {
            let dispatcher = state.dispatcher();
            move |action: Action| {
                if !readonly {
                    dispatcher.dispatch(action);
                }
            }
        };
        let on = |make: fn() -> Action| {
            let dispatch = dispatch.clone();
            Callback::from(move |()| dispatch(make()))
        };
        html! {
            <TestGrid workspace={workspace.clone()} grid={grid.clone()} branches={branches.clone()} onadd={on(|| Action::AddCase)}
                onedit={{ let dispatch = dispatch.clone(); Callback::from(move |(index, case)| dispatch(Action::EditCase(index, case))) }}
                onremove={{ let dispatch = dispatch.clone(); Callback::from(move |index| dispatch(Action::RemoveCase(index))) }}
                onopen={{ let dispatch = dispatch.clone(); Callback::from(move |index| dispatch(Action::OpenCase(index))) }}
                onpin={{ let dispatch = dispatch.clone(); Callback::from(move |pins| dispatch(Action::PinCases(pins))) }}
                onimport={{ let dispatch = dispatch.clone(); Callback::from(move |cases| dispatch(Action::ImportCases(cases))) }}
                onsaveversion={on(|| Action::SaveVersion)}
                onreveal={onreveal.clone()} onerror={actions.reform(Action::ShowError)} />
        }
    };

    let editor = |role: DocumentRole, editor_id: &'static str, class: &'static str, list_id: &'static str| {
        let Some(document) = workspace.document(role) else { return Html::default() };
        let id = document.id;
        let diagnostics = analysis.diagnostics(id);
        let label = format!("{} {} (JSON)", provider.display_name(), role.display_name());
        html! {
            <>
                <CodeEditor id={editor_id} {label} {provider} {role} class={class} text={document.text.clone()}
                    diagnostics={diagnostics.clone()} reveal={reveal_in(id)} {readonly}
                    document={id} onedit={onedit.clone()} marks={marks_of(id)} />
                if !diagnostics.is_empty() {
                    <DiagnosticList id={list_id} title="Diagnostics" text={document.text.clone()} {diagnostics}
                        document={id} onreveal={onreveal.clone()} />
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
                { notice_bar(&notice, &onrestore, &ondismiss) }
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
                { provider_policy_panels(&workspace, &analysis, state.reveal,
                    PanelCallbacks { onedit: &onedit, ontoggle: &ontoggle, onreveal: &onreveal, marks_of: &marks_of }) }
            }
            <div class="embed-simulation">
                <h2>{ "Request" }</h2>
                { editor(DocumentRole::Request, "request-editor", "request-editor embed-request-editor", "request-diagnostics") }
                { decision_view(&analysis, &workspace.documents, &decision_html, &onreveal) }
            </div>
            { test_grid }
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

/// A `ResizeObserver` and the callback it calls.
type HeightWatch = (web_sys::ResizeObserver, Closure<dyn Fn(JsValue, JsValue)>);

/// Watches the root's size with a `ResizeObserver` and posts its height on every change (the
/// observer also fires once at the start). The closure is returned with the observer, so that it
/// lives as long as the observer does.
fn observe_height(root: NodeRef, origin: Option<String>) -> Option<HeightWatch> {
    let origin = origin.filter(|origin| is_the_parents_origin(origin))?;
    let element = root.cast::<web_sys::Element>()?;
    let callback = {
        let root = root.clone();
        Closure::<dyn Fn(JsValue, JsValue)>::new(move |_entries: JsValue, _observer: JsValue| {
            post_height(&root, &origin);
        })
    };
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(&element);
    Some((observer, callback))
}

/// Whether the page framing this one is of `origin`, where the browser says
/// (`location.ancestorOrigins`, Chromium and Safari); elsewhere `postMessage`'s target origin is
/// the check.
fn is_the_parents_origin(origin: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let ancestors = js_sys::Reflect::get(&window.location(), &JsValue::from_str("ancestorOrigins"))
        .ok()
        .filter(|ancestors| !ancestors.is_undefined() && !ancestors.is_null());
    let Some(ancestors) = ancestors else { return true };
    let first = js_sys::Reflect::get(&ancestors, &JsValue::from_f64(0.0)).ok().and_then(|first| first.as_string());
    first.as_deref() == Some(origin)
}

/// Posts `{ type: "iamlab:height", height }` to the embedding page, and only to the origin the
/// loader named: never `*`, so no other page that frames this one learns anything.
fn post_height(root: &NodeRef, origin: &str) {
    let Some(element) = root.cast::<web_sys::Element>() else { return };
    let Some(window) = web_sys::window() else { return };
    let Some(parent) = window.parent().ok().flatten() else { return };
    // The content's bottom edge in the document, so the page's own margin above it counts.
    let bottom = element.get_bounding_client_rect().bottom() + window.scroll_y().unwrap_or(0.0);
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str("iamlab:height"));
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("height"), &JsValue::from_f64(bottom.ceil()));
    let _ = parent.post_message(&message, origin);
}
