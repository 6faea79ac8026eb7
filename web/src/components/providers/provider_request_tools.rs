use crate::components::providers::scaleway::options_panel::options_panel;
use iamlab_engine::Options;
use yew::prelude::*;

/// The active provider's controls above the request: the Scaleway principal's options (every
/// provider's request builder is the form of `request_form`). A plain function rather than a
/// component (see `theme_toggle`).
pub fn provider_request_tools(options: &Options, onoptionschange: &Callback<Options>) -> Html {
    match options {
        Options::Scaleway(options) => options_panel(options, &onoptionschange.reform(Options::Scaleway)),
        _ => Html::default(),
    }
}
