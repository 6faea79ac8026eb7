use crate::components::code_editor::CodeEditor;
use crate::components::decision_view::{DecisionView, ORGANIZATION_DOCUMENT, POLICY_DOCUMENT, REQUEST_DOCUMENT};
use crate::components::diagnostic_list::DiagnosticList;
use crate::components::header::Header;
use crate::components::notice_bar::NoticeBar;
use crate::components::organization_policy_panel::OrganizationPolicyPanel;
use crate::components::request_panel::RequestPanel;
use crate::components::share_bar::ShareBar;
use crate::hooks::{use_persistence, use_share_import};
use crate::share::{encode_fragment, SharedDocument};
use crate::state::{Action, Pane, Tab};
use crate::storage::load_state;
use iamlab_engine::{NamedDocument, SimulationInput};
use iamlab_model::{Provider, Span};
use yew::prelude::*;

/// What the policy editor of each provider expects.
fn policy_hint(provider: Provider) -> &'static str {
    match provider {
        Provider::Exoscale => "an IAM role, a bare role policy or an organization policy",
        Provider::Scaleway => "a policy with its rules",
        Provider::Outscale => "an EIM policy document",
        Provider::Aws => "an AWS IAM identity-based policy document",
    }
}

/// The playground: provider tabs, the policy editor with its diagnostics, and the request with
/// the engine's decision. Every keystroke re-runs `iamlab_engine::validate` and `simulate`.
#[component]
pub fn App() -> Html {
    let state = use_reducer(load_state);
    use_persistence(&state);
    use_share_import(state.dispatcher());

    let provider = state.provider();
    let documents = state.active().clone();
    let diagnostics =
        use_memo((provider, documents.policy.clone()), |(provider, policy)| iamlab_engine::validate(*provider, policy));
    let request_diagnostics =
        use_memo(documents.request.clone(), |request| iamlab_engine::read_json(request).diagnostics);
    // Exoscale's organization policy, when the user applies one.
    let organization_policy =
        (state.tab == Tab::Exoscale && state.organization_policy_enabled).then(|| state.organization_policy.clone());
    let organization_diagnostics = use_memo(organization_policy.clone(), |text| match text {
        Some(text) => iamlab_engine::exoscale::validate_organization_policy(text),
        None => Vec::new(),
    });
    let simulation = use_memo(
        (
            provider,
            documents.policy.clone(),
            documents.request.clone(),
            state.scaleway_owner,
            organization_policy.clone(),
        ),
        |(provider, policy, request, owner, organization_policy)| {
            iamlab_engine::simulate(&SimulationInput {
                provider: *provider,
                policies: vec![NamedDocument { name: POLICY_DOCUMENT, text: policy }],
                organization_policy: organization_policy
                    .as_ref()
                    .map(|text| NamedDocument { name: ORGANIZATION_DOCUMENT, text }),
                owner: *owner && *provider == Provider::Scaleway,
                request: NamedDocument { name: REQUEST_DOCUMENT, text: request },
            })
        },
    );

    let dispatcher = state.dispatcher();
    let actions = dispatcher.to_callback();
    let ontabselect = actions.reform(Action::SelectTab);
    let onprofileselect = actions.reform(Action::SetAwsProfile);
    let onpolicyedit = actions.reform(Action::EditPolicy);
    let onrequestedit = actions.reform(Action::EditRequest);
    let onownerchange = actions.reform(Action::SetScalewayOwner);
    let onorganizationtoggle = actions.reform(Action::SetOrganizationPolicyEnabled);
    let onorganizationedit = actions.reform(Action::EditOrganizationPolicy);
    let onorganizationreveal = actions.reform(|span: Span| Action::Reveal(Pane::OrganizationPolicy, span));
    let onreset = actions.reform(|()| Action::ResetExamples);
    let onfill = actions.reform(|operation: String| match iamlab_engine::exoscale::request_template(&operation) {
        Some(request) => Action::FillRequest { operation, request: AttrValue::from(request) },
        None => Action::ShowError(format!("`{operation}` is not an operation of the Exoscale catalogue")),
    });
    let onrestore = actions.reform(|()| Action::Restore);
    let ondismiss = actions.reform(|()| Action::DismissNotice);
    let onpolicyreveal = actions.reform(|span: Span| Action::Reveal(Pane::Policy, span));
    let onrequestreveal = actions.reform(|span: Span| Action::Reveal(Pane::Request, span));
    let onreveal = actions.reform(|(pane, span): (Pane, Span)| Action::Reveal(pane, span));
    let onshare = {
        let dispatcher = dispatcher.clone();
        let documents = documents.clone();
        let organization_policy = organization_policy.clone();
        Callback::from(move |()| {
            let fragment = encode_fragment(&SharedDocument {
                provider,
                policy: documents.policy.to_string(),
                request: Some(documents.request.to_string()),
                organization_policy: organization_policy.as_ref().map(|text| text.to_string()),
            });
            let page = web_sys::window().and_then(|window| window.location().href().ok()).unwrap_or_default();
            let page = page.split('#').next().unwrap_or_default();
            dispatcher.dispatch(Action::ShowShareLink(AttrValue::from(format!("{page}{fragment}"))));
        })
    };
    let reveal_in = |pane: Pane| state.reveal.filter(|reveal| reveal.pane == pane);

    html! {
        <div class="app" data-tab={state.tab.key()} data-provider={provider.as_str()}>
            <Header tab={state.tab} aws_profile={state.aws_profile} {ontabselect} {onprofileselect} />
            if let Some(notice) = state.notice.clone() {
                <NoticeBar {notice} {onrestore} {ondismiss} />
            }
            <main class="workspace">
                <section class="policy" aria-label="Policy">
                    <div class="pane-head">
                        <h2>{ format!("{} policy", tab_title(state.tab, provider)) }<span class="pane-hint">{ policy_hint(provider) }</span></h2>
                        <ShareBar link={state.share_link.clone()} {onshare} {onreset} />
                    </div>
                    <CodeEditor id="policy-editor" label={format!("{} policy (JSON)", provider.display_name())}
                        class="policy-editor" text={documents.policy.clone()} diagnostics={diagnostics.clone()}
                        reveal={reveal_in(Pane::Policy)} onedit={onpolicyedit} />
                    <DiagnosticList id="policy-diagnostics" title="Diagnostics" text={documents.policy.clone()}
                        diagnostics={diagnostics.clone()} onreveal={onpolicyreveal} />
                    if state.tab == Tab::Exoscale {
                        <OrganizationPolicyPanel enabled={state.organization_policy_enabled}
                            text={state.organization_policy.clone()} diagnostics={organization_diagnostics.clone()}
                            reveal={reveal_in(Pane::OrganizationPolicy)} ontoggle={onorganizationtoggle}
                            onedit={onorganizationedit} onreveal={onorganizationreveal} />
                    }
                </section>
                <section class="simulation" aria-label="Simulation">
                    <RequestPanel tab={state.tab} text={documents.request.clone()} diagnostics={request_diagnostics.clone()}
                        reveal={reveal_in(Pane::Request)} onedit={onrequestedit} onreveal={onrequestreveal} scaleway_owner={state.scaleway_owner}
                        {onownerchange} {onfill} />
                    <DecisionView result={simulation.clone()} policy={documents.policy.clone()}
                        request={documents.request.clone()} organization_policy={state.organization_policy.clone()} {onreveal} />
                </section>
            </main>
            <footer class="app-footer">
                { "Everything runs in your browser: policies never leave this page (share links carry them in the URL fragment, which is not sent to the server)." }
            </footer>
        </div>
    }
}

fn tab_title(tab: Tab, provider: Provider) -> &'static str {
    match (tab, provider) {
        (Tab::Outscale, Provider::Aws) => "AWS IAM",
        _ => provider.display_name(),
    }
}
