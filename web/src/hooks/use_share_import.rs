use crate::share::open_fragment;
use crate::state::{Action, State};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Opens a share link (`#s4=…`, or the older `#s3=…` and `#share=…`): when the page loads with
/// one, and when one is pasted into the address bar of an open page (`hashchange`).
#[hook]
pub fn use_share_import(dispatcher: UseReducerDispatcher<State>) {
    use_effect_with((), move |_| {
        let import = move || import_from_location(dispatcher.clone());
        import();
        let listener = Closure::<dyn Fn()>::new(import);
        let window = web_sys::window();
        if let Some(window) = &window {
            let _ = window.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(window) = &window {
                let _ = window.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            drop(listener);
        }
    });
}

fn import_from_location(dispatcher: UseReducerDispatcher<State>) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let Ok(fragment) = location.hash() else { return };
    if crate::share::classify_fragment(&fragment) == crate::share::Fragment::None {
        return;
    }
    // Drop the fragment, so that reloading the page later keeps the edits made since instead
    // of opening the link again.
    if let (Ok(path), Ok(query), Ok(history)) = (location.pathname(), location.search(), window.history()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{query}")));
    }
    // Inflating is the browser's and asynchronous.
    yew::platform::spawn_local(async move {
        if let Some(shared) = open_fragment(&fragment).await {
            dispatcher.dispatch(Action::ImportShared(shared));
        }
    });
}
