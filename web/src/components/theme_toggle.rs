use crate::hooks::Theme;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ThemeToggleProps {
    /// The theme in effect (the visitor's choice, or `prefers-color-scheme`).
    pub theme: Theme,
    pub ontoggle: Callback<()>,
}

/// The header's dark-mode switch: a toggle button, pressed while the dark theme is on.
#[component]
pub fn ThemeToggle(props: &ThemeToggleProps) -> Html {
    let dark = props.theme == Theme::Dark;
    html! {
        <button type="button" id="theme-toggle" class="theme-toggle" aria-pressed={dark.to_string()}
            title={if dark { "Switch to light colours" } else { "Switch to dark colours" }}
            onclick={props.ontoggle.reform(|_: MouseEvent| ())}>
            <span aria-hidden="true">{ if dark { "☾ " } else { "☀ " } }</span>{ "Dark mode" }
        </button>
    }
}
