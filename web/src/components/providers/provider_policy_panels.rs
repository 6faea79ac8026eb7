use crate::components::providers::exoscale::organization_policy_panel::OrganizationPolicyPanel;
use crate::hooks::WorkspaceAnalysis;
use crate::state::{Reveal, Workspace};
use iamlab_engine::{DocumentId, DocumentRole, Options};
use iamlab_model::Span;
use yew::prelude::*;

/// The callbacks of the documents a provider panel shows.
pub struct PanelCallbacks<'a> {
    pub onedit: &'a Callback<(DocumentId, AttrValue)>,
    pub ontoggle: &'a Callback<(DocumentId, bool)>,
    pub onreveal: &'a Callback<(DocumentId, Span)>,
    /// The gutter marks of a document (the grid's coverage).
    pub marks_of: &'a dyn Fn(DocumentId) -> AttrValue,
}

/// The active provider's documents besides the policy and the request, under the policy: the
/// Exoscale organization policy. A plain function rather than a component (see
/// `theme_toggle`): the panel it draws is a component of its own.
pub fn provider_policy_panels(
    workspace: &Workspace,
    analysis: &WorkspaceAnalysis,
    reveal: Option<Reveal>,
    on: PanelCallbacks<'_>,
) -> Html {
    match &workspace.options {
        Options::Exoscale(_) => {
            let Some(document) = workspace.document(DocumentRole::OrganizationPolicy).cloned() else {
                return Html::default();
            };
            let id = document.id;
            html! {
                <OrganizationPolicyPanel diagnostics={analysis.diagnostics(id)} marks={(on.marks_of)(id)}
                    reveal={reveal.filter(|reveal| reveal.document == id)}
                    ontoggle={on.ontoggle.clone()} onedit={on.onedit.clone()} onreveal={on.onreveal.clone()} {document} />
            }
        }
        _ => Html::default(),
    }
}
