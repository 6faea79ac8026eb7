use crate::state::Tab;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The id of the element the provider tabs control (the workspace under the header).
pub const TAB_PANEL_ID: &str = "provider-panel";

/// The tab an arrow, Home or End key moves to from `tab`, as in the WAI-ARIA tabs pattern
/// (automatic activation, wrapping at both ends).
fn tab_for_key(tab: Tab, key: &str) -> Option<Tab> {
    let count = Tab::ALL.len();
    let index = match key {
        "ArrowRight" => (tab.index() + 1) % count,
        "ArrowLeft" => (tab.index() + count - 1) % count,
        "Home" => 0,
        "End" => count - 1,
        _ => return None,
    };
    Tab::ALL.get(index).copied()
}

fn focus_tab(tab: Tab) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(&format!("tab-{}", tab.key())))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// The title, the provider tabs and `controls`, the active provider's own (such as a choice of
/// policy language). Only the selected tab is in the tab order; the arrow keys move between
/// tabs. A plain function rather than a component (see `theme_toggle`).
pub fn header(active: Tab, ontabselect: &Callback<Tab>, controls: Html) -> Html {
    let tabs = Tab::ALL.iter().map(|&tab| {
        let selected = tab == active;
        let onclick = ontabselect.reform(move |_: MouseEvent| tab);
        let onkeydown = {
            let ontabselect = ontabselect.clone();
            Callback::from(move |event: KeyboardEvent| {
                if let Some(next) = tab_for_key(tab, &event.key()) {
                    event.prevent_default();
                    ontabselect.emit(next);
                    focus_tab(next);
                }
            })
        };
        html! {
            <button type="button" role="tab" id={format!("tab-{}", tab.key())}
                class={classes!("tab", selected.then_some("active"))}
                aria-selected={selected.to_string()} aria-controls={TAB_PANEL_ID}
                tabindex={if selected { "0" } else { "-1" }} {onclick} {onkeydown}>
                { tab.display_name() }
            </button>
        }
    });
    html! {
        <header class="app-header">
            <h1 class="brand">{ "iamlab" }<span class="tagline">{ "IAM policy playground" }</span></h1>
            <nav class="tabs" role="tablist" aria-label="Provider">{ for tabs }</nav>
            { controls }
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_keys_wrap_and_home_end_jump() {
        assert_eq!(tab_for_key(Tab::Exoscale, "ArrowRight"), Some(Tab::Scaleway));
        assert_eq!(tab_for_key(Tab::Outscale, "ArrowRight"), Some(Tab::Exoscale));
        assert_eq!(tab_for_key(Tab::Exoscale, "ArrowLeft"), Some(Tab::Outscale));
        assert_eq!(tab_for_key(Tab::Scaleway, "Home"), Some(Tab::Exoscale));
        assert_eq!(tab_for_key(Tab::Scaleway, "End"), Some(Tab::Outscale));
        assert_eq!(tab_for_key(Tab::Scaleway, "Enter"), None);
    }
}
