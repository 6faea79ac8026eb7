use yew::prelude::*;

/// Share, embed and reset buttons for the active tab: `link` is the one made by the last click
/// on "Share link" or "Copy embed snippet", until the text changes, and `snippet` its
/// `<iframe>` snippet when the last click asked for it. A plain function rather than a
/// component (see `theme_toggle`).
pub fn share_bar(
    link: Option<&AttrValue>,
    snippet: Option<&AttrValue>,
    onshare: &Callback<()>,
    onembed: &Callback<()>,
    onreset: &Callback<()>,
) -> Html {
    let onshare = onshare.reform(|_: MouseEvent| ());
    let onembed = onembed.reform(|_: MouseEvent| ());
    let onreset = onreset.reform(|_: MouseEvent| ());
    // Select the whole link on focus so that it can be copied at once.
    let onfocus = Callback::from(|event: FocusEvent| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        input.select();
    });
    html! {
        <div class="share-bar">
            <button type="button" id="share-button" onclick={onshare}>{ "Share link" }</button>
            <button type="button" id="embed-button" onclick={onembed}
                title="Copies an <iframe> for a documentation page, with the current state">{ "Copy embed snippet" }</button>
            <button type="button" id="reset-button" onclick={onreset}>{ "Reset to example" }</button>
            if let Some(snippet) = snippet {
                <input id="embed-snippet" class="share-link" readonly=true value={snippet.clone()} onfocus={onfocus.clone()}
                    aria-label="Embed snippet: paste it into a documentation page" />
            } else if let Some(link) = link {
                <input id="share-link" class="share-link" readonly=true value={link.clone()} {onfocus}
                    aria-label="Share link: the policy travels in the URL fragment and never reaches a server" />
            }
        </div>
    }
}
