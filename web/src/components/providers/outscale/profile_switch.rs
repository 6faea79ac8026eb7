use iamlab_engine::outscale::{Options, Profile};
use yew::prelude::*;

/// The Outscale tab's two languages: the same text, read by the Outscale EIM or the AWS IAM
/// profile of the engine. A plain function rather than a component (see `theme_toggle`).
pub fn profile_switch(options: Options, onchange: &Callback<Options>) -> Html {
    let button = |profile: Profile, label: &'static str, id: &'static str| {
        let pressed = options.profile == profile;
        let options = Options { profile };
        let onclick = onchange.reform(move |_: MouseEvent| options);
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
