use crate::state::{Action, State};
use crate::storage::save_state;
use yew::prelude::*;

/// Saves every tab's text to localStorage whenever it changes, and says so when it cannot.
#[hook]
pub fn use_persistence(state: &UseReducerHandle<State>) {
    let saved = (
        state.tab,
        state.aws_profile,
        state.scaleway_owner,
        state.organization_policy_enabled,
        state.organization_policy.clone(),
        state.exoscale.clone(),
        state.scaleway.clone(),
        state.outscale.clone(),
    );
    let state = state.clone();
    use_effect_with(saved, move |_| {
        if let Err(message) = save_state(&state) {
            state.dispatch(Action::ShowError(message));
        }
    });
}
