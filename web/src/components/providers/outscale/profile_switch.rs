use iamlab_engine::outscale::{Options, Profile};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProfileSwitchProps {
    pub options: Options,
    pub onchange: Callback<Options>,
}

/// The Outscale tab's two languages: the same text, read by the Outscale EIM or the AWS IAM
/// profile of the engine.
#[component]
pub fn ProfileSwitch(props: &ProfileSwitchProps) -> Html {
    let button = |profile: Profile, label: &'static str, id: &'static str| {
        let pressed = props.options.profile == profile;
        let options = Options { profile };
        let onclick = props.onchange.reform(move |_: MouseEvent| options);
        html! {
            <button type="button" {id} class={classes!("profile", pressed.then_some("active"))}
                aria-pressed={pressed.to_string()} {onclick}>{ label }</button>
        }
    };
    html! {
        <div class="profiles" role="group" aria-label="Policy language">
            { button(Profile::Outscale, "Outscale EIM", "profile-outscale") }
            { button(Profile::Aws, "AWS IAM", "profile-aws") }
        </div>
    }
}
