use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// The link made by the last click on "Share", until the text changes.
    pub link: Option<AttrValue>,
    pub onshare: Callback<()>,
    pub onreset: Callback<()>,
}

/// Share and reset buttons for the active tab.
#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let onshare = props.onshare.reform(|_: MouseEvent| ());
    let onreset = props.onreset.reform(|_: MouseEvent| ());
    // Select the whole link on focus so that it can be copied at once.
    let onfocus = Callback::from(|event: FocusEvent| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        input.select();
    });
    html! {
        <div class="share-bar">
            <button type="button" id="share-button" onclick={onshare}>{ "Share link" }</button>
            <button type="button" id="reset-button" onclick={onreset}>{ "Reset to example" }</button>
            if let Some(link) = &props.link {
                <input id="share-link" class="share-link" readonly=true value={link.clone()} {onfocus}
                    aria-label="Share link: the policy travels in the URL fragment and never reaches a server" />
            }
        </div>
    }
}
