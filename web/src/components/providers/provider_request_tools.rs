use crate::components::providers::exoscale::request_builder::RequestBuilder;
use crate::components::providers::scaleway::options_panel::OptionsPanel;
use crate::components::providers::scaleway::request_builder::RequestBuilder as ScalewayRequestBuilder;
use crate::state::RequestTemplate;
use iamlab_engine::Options;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProviderRequestToolsProps {
    pub options: Options,
    pub onoptionschange: Callback<Options>,
    pub onfill: Callback<RequestTemplate>,
    pub onerror: Callback<String>,
}

/// The active provider's controls above the request: the Exoscale request builder, the
/// Scaleway principal's options and its request builder.
#[component]
pub fn ProviderRequestTools(props: &ProviderRequestToolsProps) -> Html {
    match &props.options {
        Options::Exoscale(_) => {
            html! { <RequestBuilder onfill={props.onfill.clone()} onerror={props.onerror.clone()} /> }
        }
        Options::Scaleway(options) => {
            html! {
                <>
                    <OptionsPanel options={options.clone()} onchange={props.onoptionschange.reform(Options::Scaleway)} />
                    <ScalewayRequestBuilder onfill={props.onfill.clone()} />
                </>
            }
        }
        _ => Html::default(),
    }
}
