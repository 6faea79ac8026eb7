use crate::state::Tab;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub tab: Tab,
    pub aws_profile: bool,
    pub ontabselect: Callback<Tab>,
    /// `true` selects the AWS IAM profile of the Outscale engine, `false` Outscale EIM.
    pub onprofileselect: Callback<bool>,
}

/// The title, the provider tabs and, on the Outscale tab, the language profile.
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
    let profile_button = |aws: bool, label: &'static str, id: &'static str| {
        let pressed = props.aws_profile == aws;
        let onclick = props.onprofileselect.reform(move |_: MouseEvent| aws);
        html! {
            <button type="button" {id} class={classes!("profile", pressed.then_some("active"))}
                aria-pressed={pressed.to_string()} {onclick}>{ label }</button>
        }
    };
    html! {
        <header class="app-header">
            <h1 class="brand">{ "iamlab" }<span class="tagline">{ "IAM policy playground" }</span></h1>
            <nav class="tabs" role="tablist" aria-label="Provider">{ for tabs }</nav>
            if props.tab == Tab::Outscale {
                <div class="profiles" role="group" aria-label="Policy language">
                    { profile_button(false, "Outscale EIM", "profile-outscale") }
                    { profile_button(true, "AWS IAM", "profile-aws") }
                </div>
            }
        </header>
    }
}
