use crate::hooks::Theme;
use yew::prelude::*;

/// The header's dark-mode switch: a toggle button, pressed while the dark theme is on (`theme`
/// is the one in effect: the visitor's choice, or `prefers-color-scheme`). A plain function
/// rather than a component, as the other small stateless pieces of the page: each component
/// type costs the wasm its own copy of Yew's lifecycle code (about 2 KB).
pub fn theme_toggle(theme: Theme, ontoggle: &Callback<()>) -> Html {
    let dark = theme == Theme::Dark;
    html! {
        <button type="button" id="theme-toggle" class="theme-toggle" aria-pressed={dark.to_string()}
            title={if dark { "Switch to light colours" } else { "Switch to dark colours" }}
            onclick={ontoggle.reform(|_: MouseEvent| ())}>
            <span aria-hidden="true">{ if dark { "☾ " } else { "☀ " } }</span>{ "Dark mode" }
        </button>
    }
}
