use iamlab_engine::scaleway::Options;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OptionsPanelProps {
    pub options: Options,
    pub onchange: Callback<Options>,
}

/// Scaleway's simulation options: the Organization Owner is allowed everything.
#[component]
pub fn OptionsPanel(props: &OptionsPanelProps) -> Html {
    let onchange = props.onchange.reform(move |event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        Options { owner: input.checked() }
    });
    html! {
        <label class="option">
            <input type="checkbox" id="scaleway-owner" checked={props.options.owner} {onchange} />
            { " The principal is the Organization Owner" }
        </label>
    }
}
