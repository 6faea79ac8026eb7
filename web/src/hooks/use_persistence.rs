use crate::state::{Action, State};
use crate::storage::save_state;
use yew::prelude::*;

/// Saves every tab's workspace to localStorage whenever one changes, and says so when it cannot.
#[hook]
pub fn use_persistence(state: &UseReducerHandle<State>) {
    let saved = (state.tab, state.workspaces.clone());
    let state = state.clone();
    use_effect_with(saved, move |_| {
        if let Err(message) = save_state(&state) {
            state.dispatch(Action::ShowError(message));
        }
    });
}
