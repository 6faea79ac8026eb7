use crate::components::providers::outscale::profile_switch::ProfileSwitch;
use iamlab_engine::Options;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProviderHeaderProps {
    pub options: Options,
    pub onoptionschange: Callback<Options>,
}

/// The active provider's controls in the header: the Outscale tab's language profile.
#[component]
pub fn ProviderHeader(props: &ProviderHeaderProps) -> Html {
    match &props.options {
        Options::Outscale(options) => {
            html! { <ProfileSwitch options={*options} onchange={props.onoptionschange.reform(Options::Outscale)} /> }
        }
        _ => Html::default(),
    }
}
