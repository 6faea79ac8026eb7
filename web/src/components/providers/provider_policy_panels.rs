use crate::components::providers::exoscale::organization_policy_panel::OrganizationPolicyPanel;
use crate::hooks::WorkspaceAnalysis;
use crate::state::{Reveal, Workspace};
use iamlab_engine::{DocumentId, DocumentRole, Options};
use iamlab_model::Span;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProviderPolicyPanelsProps {
    pub workspace: Workspace,
    pub analysis: Rc<WorkspaceAnalysis>,
    #[prop_or_default]
    pub reveal: Option<Reveal>,
    pub onedit: Callback<(DocumentId, AttrValue)>,
    pub ontoggle: Callback<(DocumentId, bool)>,
    pub onreveal: Callback<(DocumentId, Span)>,
}

/// The active provider's documents besides the policy and the request, under the policy: the
/// Exoscale organization policy.
#[component]
pub fn ProviderPolicyPanels(props: &ProviderPolicyPanelsProps) -> Html {
    match &props.workspace.options {
        Options::Exoscale(_) => {
            let Some(document) = props.workspace.document(DocumentRole::OrganizationPolicy).cloned() else {
                return Html::default();
            };
            let id = document.id;
            html! {
                <OrganizationPolicyPanel diagnostics={props.analysis.diagnostics(id)}
                    reveal={props.reveal.filter(|reveal| reveal.document == id)}
                    ontoggle={props.ontoggle.reform(move |enabled| (id, enabled))}
                    onedit={props.onedit.reform(move |text| (id, text))}
                    onreveal={props.onreveal.reform(move |span| (id, span))} {document} />
            }
        }
        _ => Html::default(),
    }
}
