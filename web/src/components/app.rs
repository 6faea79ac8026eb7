use crate::components::code_editor::CodeEditor;
use crate::components::decision_view::decision_view;
use crate::components::diagnostic_list::DiagnosticList;
use crate::components::examples_gallery::ExamplesGallery;
use crate::components::header::{header, TAB_PANEL_ID};
use crate::components::notice_bar::notice_bar;
use crate::components::providers::provider_header::provider_header;
use crate::components::providers::provider_policy_panels::{provider_policy_panels, PanelCallbacks};
use crate::components::providers::provider_request_tools::provider_request_tools;
use crate::components::request_panel::{request_panel, RequestPanel};
use crate::components::share_bar::share_bar;
use crate::components::test_grid::{coverage_marks, TestGrid};
use crate::components::theme_toggle::theme_toggle;
use crate::embed::embed_snippet;
use crate::hooks::{
    use_analysis, use_aws_catalog, use_branch_coverage, use_decision_html, use_performance_marks, use_persistence,
    use_request_form, use_share_import, use_test_grid, use_theme,
};
use crate::share::{copy_to_clipboard, make_fragment, shared_workspace};
use crate::state::{is_repeatable, Action, Tab, Workspace};
use crate::storage::load_state;
use iamlab_engine::{DocumentId, DocumentRole, Options};
use iamlab_model::{Provider, Span};
use std::cell::OnceCell;
use std::rc::Rc;
use yew::prelude::*;

thread_local! {
    /// The app's callbacks, made at its first render. The playground's root is mounted once and
    /// lives as long as the page, and its dispatcher never changes: so do its callbacks (a hook
    /// would cost the bundle its own copy of yew's hook code).
    static CALLBACKS: OnceCell<Rc<AppCallbacks>> = const { OnceCell::new() };
}

/// The app's callbacks, made once from the dispatcher: yew compares callbacks by identity, so
/// that a component whose other props are the same (the request editor, the gallery, the
/// request builder, the organization policy) is not drawn again when the policy is typed in.
/// The documents' own carry the document's id, so that one serves every editor and list.
struct AppCallbacks {
    actions: Callback<Action>,
    ontabselect: Callback<Tab>,
    onoptionschange: Callback<Options>,
    onerror: Callback<String>,
    onreset: Callback<()>,
    onrestore: Callback<()>,
    ondismiss: Callback<()>,
    onloadexample: Callback<(Provider, usize)>,
    onedit: Callback<(DocumentId, AttrValue)>,
    ontoggle: Callback<(DocumentId, bool)>,
    onreveal: Callback<(DocumentId, Span)>,
    onrename: Callback<(DocumentId, String)>,
}

impl AppCallbacks {
    fn new(actions: Callback<Action>) -> AppCallbacks {
        AppCallbacks {
            ontabselect: actions.reform(Action::SelectTab),
            onoptionschange: actions.reform(Action::SetOptions),
            onerror: actions.reform(Action::ShowError),
            onreset: actions.reform(|()| Action::ResetExamples),
            onrestore: actions.reform(|()| Action::Restore),
            ondismiss: actions.reform(|()| Action::DismissNotice),
            onloadexample: actions.reform(|(provider, index)| Action::LoadExample(provider, index)),
            onedit: actions.reform(|(id, text): (DocumentId, AttrValue)| Action::EditDocument(id, text)),
            ontoggle: actions.reform(|(id, enabled): (DocumentId, bool)| Action::SetDocumentEnabled(id, enabled)),
            onreveal: actions.reform(|(id, span): (DocumentId, Span)| Action::Reveal(id, span)),
            onrename: actions.reform(|(id, name): (DocumentId, String)| Action::RenameDocument(id, name)),
            actions,
        }
    }
}

/// What the editor of `role` holds for the workspace's engine, in the engine's words.
fn role_hint(workspace: &Workspace, role: DocumentRole) -> &'static str {
    iamlab_engine::roles(workspace.provider()).iter().find(|info| info.role == role).map_or("", |info| info.hint)
}

/// The playground: provider tabs, the policy editor with its diagnostics, and the request with
/// the engine's decision. Every keystroke re-runs `iamlab_engine::analyze` on the active tab.
#[component]
pub fn App() -> Html {
    let state = use_reducer(load_state);
    use_persistence(&state);
    use_share_import(state.dispatcher());
    let workspace = state.active().clone();
    let analysis = use_analysis(&workspace);
    let grid = use_test_grid(&workspace, &analysis);
    let decision_html = use_decision_html(&analysis, &workspace.documents);
    let branches = use_branch_coverage(&workspace);
    let marks_of = |id: DocumentId| coverage_marks(&grid, &branches, &workspace.documents, id);
    let provider = workspace.provider();
    let aws_catalog = use_aws_catalog(provider);
    let snippet = use_state(|| None::<(AttrValue, AttrValue)>);
    let (theme, ontoggletheme) = use_theme();
    use_performance_marks();

    let dispatcher = state.dispatcher();
    let callbacks =
        CALLBACKS.with(|made| Rc::clone(made.get_or_init(|| Rc::new(AppCallbacks::new(dispatcher.to_callback())))));
    let AppCallbacks {
        actions,
        ontabselect,
        onoptionschange,
        onerror,
        onreset,
        onrestore,
        ondismiss,
        onloadexample,
        onedit,
        ontoggle,
        onreveal,
        onrename,
    } = &*callbacks;
    let test_grid = html! {
        <TestGrid workspace={workspace.clone()} grid={grid.clone()} branches={branches.clone()} onadd={actions.reform(|()| Action::AddCase)}
            onedit={actions.reform(|(index, case)| Action::EditCase(index, case))} onremove={actions.reform(Action::RemoveCase)}
            onopen={actions.reform(Action::OpenCase)} onpin={actions.reform(Action::PinCases)}
            onimport={actions.reform(Action::ImportCases)} onsaveversion={actions.reform(|()| Action::SaveVersion)}
            onreveal={onreveal.clone()} onerror={onerror.clone()} />
    };
    // "Share link" and "Copy embed snippet": the link is deflated by the browser, then shown;
    // the snippet is also put on the clipboard.
    let share = {
        // The texts are copied only on a click: cloning the workspace copies no text.
        let workspace = workspace.clone();
        let decision = analysis.decision.as_ref().as_ref().ok().map(|decision| decision.effect);
        let snippet = snippet.clone();
        Callback::from(move |embed: bool| {
            let shared = shared_workspace(&workspace, decision);
            let dispatcher = dispatcher.clone();
            let snippet = snippet.clone();
            yew::platform::spawn_local(async move {
                let fragment = make_fragment(&shared).await;
                let page = web_sys::window().and_then(|window| window.location().href().ok()).unwrap_or_default();
                let page = page.split('#').next().unwrap_or_default();
                let link = format!("{page}{fragment}");
                if embed {
                    let code = embed_snippet(&link, shared.provider);
                    copy_to_clipboard(&code);
                    snippet.set(Some((AttrValue::from(link.clone()), AttrValue::from(code))));
                }
                dispatcher.dispatch(Action::ShowShareLink(AttrValue::from(link)));
            });
        })
    };
    let onshare = share.reform(|()| false);
    let onembed = share.reform(|()| true);
    // The snippet belongs to the link it was made with: a later link (or none) hides it.
    let snippet_shown =
        snippet.as_ref().filter(|(link, _)| state.share_link.as_ref() == Some(link)).map(|(_, code)| code.clone());
    let reveal_in = |id: DocumentId| state.reveal.filter(|reveal| reveal.document == id);

    let policy_pane = match workspace.document(DocumentRole::Policy) {
        Some(document) => {
            let id = document.id;
            let diagnostics = analysis.diagnostics(id);
            let name =
                is_repeatable(provider, DocumentRole::Policy).then(|| name_field(1, &document.name, onrename, id));
            html! {
                <>
                    { for name }
                    <CodeEditor id="policy-editor" label={format!("{} policy (JSON)", provider.display_name())}
                        {provider} role={document.role} class="policy-editor" text={document.text.clone()} diagnostics={diagnostics.clone()}
                        reveal={reveal_in(id)} document={id} onedit={onedit.clone()} marks={marks_of(id)} />
                    <DiagnosticList id="policy-diagnostics" title="Diagnostics" text={document.text.clone()} editor="policy-editor"
                        {diagnostics} document={id} onreveal={onreveal.clone()} />
                </>
            }
        }
        None => Html::default(),
    };
    // Further policies where the engine reads any number of them (Scaleway: the principal's
    // own and its groups'), each with its own editor and diagnostics.
    let added_policies = workspace.added_documents(DocumentRole::Policy).enumerate().map(|(index, document)| {
        let id = document.id;
        let number = index + 2;
        let editor = format!("policy-editor-{number}");
        let diagnostics = analysis.diagnostics(id);
        let onremove = actions.reform(move |_: MouseEvent| Action::RemoveDocument(id));
        html! {
            <section class="added-policy" key={id.0} aria-label={format!("Policy {number}")}>
                <div class="pane-head">
                    <h3>{ format!("Policy {number}") }{ name_field(number, &document.name, onrename, id) }</h3>
                    <button type="button" class="remove-policy" id={format!("remove-policy-{number}")}
                        onclick={onremove}>{ "Remove" }</button>
                </div>
                <CodeEditor id={editor.clone()} label={format!("{} policy {number} (JSON)", provider.display_name())}
                    {provider} role={document.role} class="policy-editor" text={document.text.clone()} diagnostics={diagnostics.clone()}
                    reveal={reveal_in(id)} document={id} onedit={onedit.clone()} marks={marks_of(id)} />
                <DiagnosticList id={format!("policy-diagnostics-{number}")} title={format!("Policy {number} diagnostics")}
                    text={document.text.clone()} editor={editor} {diagnostics} document={id} onreveal={onreveal.clone()} />
            </section>
        }
    });
    let add_policy = is_repeatable(provider, DocumentRole::Policy).then(|| {
        let onclick = actions.reform(|_: MouseEvent| Action::AddDocument(DocumentRole::Policy));
        html! { <button type="button" id="add-policy" class="add-policy" {onclick}>{ "Add a policy" }</button> }
    });
    let request_text = workspace.document(DocumentRole::Request).map(|document| (document.id, document.text.clone()));
    let form = use_request_form(provider, request_text, onedit);
    let request_pane = match workspace.document(DocumentRole::Request) {
        Some(document) => {
            let id = document.id;
            request_panel(RequestPanel {
                provider,
                document,
                hint: role_hint(&workspace, DocumentRole::Request),
                diagnostics: analysis.diagnostics(id),
                reveal: reveal_in(id),
                onedit: onedit.clone(),
                onreveal: onreveal.clone(),
                tools: provider_request_tools(&workspace.options, onoptionschange),
                form: (*form).clone(),
            })
        }
        None => Html::default(),
    };

    html! {
        <div class="app" data-tab={state.tab.key()} data-provider={provider.as_str()}>
            { header(state.tab, ontabselect, html! {
                <>
                    { provider_header(&workspace.options, onoptionschange) }
                    { theme_toggle(theme, &ontoggletheme) }
                </>
            }) }
            if let Some(notice) = state.notice.clone() {
                { notice_bar(&notice, onrestore, ondismiss) }
            }
            if provider == Provider::Aws {
                <p id="aws-catalog-status" class="catalog-status" data-state={aws_catalog.key()} role="status">
                    { aws_catalog.describe() }</p>
            }
            <ExamplesGallery tab={state.tab} onload={onloadexample.clone()} />
            <main class="workspace" role="tabpanel" id={TAB_PANEL_ID} aria-labelledby={format!("tab-{}", state.tab.key())}>
                <section class="policy" aria-label="Policy">
                    <div class="pane-head">
                        <h2>
                            { format!("{} policy", provider.display_name()) }
                            <span class="pane-hint">{ role_hint(&workspace, DocumentRole::Policy) }</span>
                        </h2>
                        { share_bar(state.share_link.as_ref(), snippet_shown.as_ref(), &onshare, &onembed, onreset) }
                    </div>
                    { policy_pane }
                    { for added_policies }
                    { add_policy }
                    { provider_policy_panels(&workspace, &analysis, state.reveal,
                        PanelCallbacks { onedit, ontoggle, onreveal, marks_of: &marks_of }) }
                </section>
                <section class="simulation" aria-label="Simulation">
                    { request_pane }
                    { decision_view(&analysis, &workspace.documents, &decision_html, onreveal) }
                    { test_grid }
                </section>
            </main>
            <footer class="app-footer">
                { "Everything runs in your browser: policies never leave this page (share links carry them in the URL fragment, which is not sent to the server)." }
            </footer>
        </div>
    }
}

/// The name field of policy `number` (document `id`): a user's name for it (a group's policy, a
/// managed policy), which the decision uses to say which policy decided; committed on change
/// (Enter or leaving the field), not on every keystroke.
fn name_field(number: usize, name: &AttrValue, onrename: &Callback<(DocumentId, String)>, id: DocumentId) -> Html {
    let onchange = onrename.reform(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        (id, input.value())
    });
    html! {
        <input type="text" class="document-name" id={format!("policy-name-{number}")} value={name.clone()}
            placeholder="name (optional)" maxlength="60" aria-label={format!("Name of policy {number}")} {onchange} />
    }
}
