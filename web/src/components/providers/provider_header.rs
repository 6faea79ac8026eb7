use crate::components::providers::outscale::profile_switch::profile_switch;
use iamlab_engine::Options;
use yew::prelude::*;

/// The active provider's controls in the header: the Outscale tab's language profile. A plain
/// function rather than a component (see `theme_toggle`).
pub fn provider_header(options: &Options, onoptionschange: &Callback<Options>) -> Html {
    match options {
        Options::Outscale(options) => profile_switch(*options, &onoptionschange.reform(Options::Outscale)),
        _ => Html::default(),
    }
}
