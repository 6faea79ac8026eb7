use crate::state::{Action, State};
use crate::storage::save_state;
use std::cell::{OnceCell, RefCell};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How long after a change the work is saved. Serializing every tab's workspace into
/// localStorage took about 0.5 ms of each keystroke's way to the DOM (`cargo xtask
/// bench-browser`): a burst of keys is saved once, with its last text, and leaving the page
/// saves at once what is still waiting.
const SAVE_DELAY_MS: i32 = 300;

thread_local! {
    /// The state waiting to be saved, if any.
    static PENDING: RefCell<Option<UseReducerHandle<State>>> = const { RefCell::new(None) };
    /// What saves it, made once: the timer's callback and the page's `pagehide` listener.
    static SAVE: OnceCell<js_sys::Function> = const { OnceCell::new() };
}

/// Saves what is waiting; says so when it cannot.
fn save_pending() {
    // Taken out first: the error's dispatch renders, and a later change may wait again.
    if let Some(state) = PENDING.with(RefCell::take) {
        if let Err(message) = save_state(&state) {
            state.dispatch(Action::ShowError(message));
        }
    }
}

/// Saves every tab's workspace to localStorage shortly after one changes (and when the page is
/// left), and says so when it cannot.
#[hook]
pub fn use_persistence(state: &UseReducerHandle<State>) {
    let saved = (state.tab, state.workspaces.clone());
    let state = state.clone();
    use_effect_with(saved, move |_| {
        // A save already waiting takes this state with it; otherwise one is scheduled.
        if PENDING.with(|pending| pending.replace(Some(state))).is_some() {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        SAVE.with(|save| {
            let save = save.get_or_init(|| {
                let function: js_sys::Function =
                    Closure::<dyn Fn()>::new(save_pending).into_js_value().unchecked_into();
                let _ = window.add_event_listener_with_callback("pagehide", &function);
                function
            });
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(save, SAVE_DELAY_MS);
        });
    });
}
