use crate::state::Tab;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub tab: Tab,
    pub ontabselect: Callback<Tab>,
    /// The active provider's own controls, such as a choice of policy language.
    #[prop_or_default]
    pub children: Html,
}

/// The title, the provider tabs and the active provider's header controls.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let tabs = Tab::ALL.iter().map(|&tab| {
        let selected = tab == props.tab;
        let onclick = props.ontabselect.reform(move |_: MouseEvent| tab);
        html! {
            <button type="button" role="tab" id={format!("tab-{}", tab.key())}
                class={classes!("tab", selected.then_some("active"))}
                aria-selected={selected.to_string()} {onclick}>
                { tab.display_name() }
            </button>
        }
    });
    html! {
        <header class="app-header">
            <h1 class="brand">{ "iamlab" }<span class="tagline">{ "IAM policy playground" }</span></h1>
            <nav class="tabs" role="tablist" aria-label="Provider">{ for tabs }</nav>
            { props.children.clone() }
        </header>
    }
}
