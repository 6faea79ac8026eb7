use iamlab_engine::scaleway::Options;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Scaleway's simulation options: the Organization Owner is allowed everything. A plain
/// function rather than a component (see `theme_toggle`).
pub fn options_panel(options: &Options, onchange: &Callback<Options>) -> Html {
    let onchange = onchange.reform(move |event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        Options { owner: input.checked() }
    });
    html! {
        <label class="option">
            <input type="checkbox" id="scaleway-owner" checked={options.owner} {onchange} />
            { " The principal is the Organization Owner" }
        </label>
    }
}
