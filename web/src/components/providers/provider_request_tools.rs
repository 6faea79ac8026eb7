use crate::components::providers::exoscale::request_builder::RequestBuilder;
use crate::components::providers::scaleway::options_panel::options_panel;
use crate::components::providers::scaleway::request_builder::RequestBuilder as ScalewayRequestBuilder;
use crate::state::RequestTemplate;
use iamlab_engine::Options;
use yew::prelude::*;

/// The active provider's controls above the request: the Exoscale request builder, the
/// Scaleway principal's options and its request builder. A plain function rather than a
/// component (see `theme_toggle`): the builders it draws are components of their own.
pub fn provider_request_tools(
    options: &Options,
    onoptionschange: &Callback<Options>,
    onfill: &Callback<RequestTemplate>,
    onerror: &Callback<String>,
) -> Html {
    match options {
        Options::Exoscale(_) => {
            html! { <RequestBuilder onfill={onfill.clone()} onerror={onerror.clone()} /> }
        }
        Options::Scaleway(options) => {
            html! {
                <>
                    { options_panel(options, &onoptionschange.reform(Options::Scaleway)) }
                    <ScalewayRequestBuilder onfill={onfill.clone()} />
                </>
            }
        }
        _ => Html::default(),
    }
}
