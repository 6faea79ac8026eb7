use crate::components::document_callbacks::DocumentCallbacks;
use crate::components::providers::exoscale::organization_policy_panel::OrganizationPolicyPanel;
use crate::hooks::WorkspaceAnalysis;
use crate::state::{Reveal, Workspace};
use iamlab_engine::{DocumentRole, Options};
use yew::prelude::*;

/// The active provider's documents besides the policy and the request, under the policy: the
/// Exoscale organization policy. A plain function rather than a component (see
/// `theme_toggle`): the panel it draws is a component of its own.
pub fn provider_policy_panels(
    workspace: &Workspace,
    analysis: &WorkspaceAnalysis,
    reveal: Option<Reveal>,
    on: &DocumentCallbacks,
) -> Html {
    match &workspace.options {
        Options::Exoscale(_) => {
            let Some(document) = workspace.document(DocumentRole::OrganizationPolicy).cloned() else {
                return Html::default();
            };
            let id = document.id;
            let on = on.of(id);
            html! {
                <OrganizationPolicyPanel diagnostics={analysis.diagnostics(id)}
                    reveal={reveal.filter(|reveal| reveal.document == id)}
                    ontoggle={on.ontoggle} onedit={on.onedit} onreveal={on.onreveal} {document} />
            }
        }
        _ => Html::default(),
    }
}
